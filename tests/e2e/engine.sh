# General features of the layout engine, on a test layout of their own
# (tests/fixtures/layouts/flow-test.yaml): pages shared by as many items as
# fit, at most per_page; ruled tables keep at least `min` rows, blank ones
# past the items. Sourced by tests/run.

bin/policygen build tests/fixtures/flow.md -o "$TMP/flow.pdf" --layouts tests/fixtures/layouts 2>"$TMP/err"
check "engine: flow test builds" test $? -eq 0 -a ! -s "$TMP/err"
check "engine: 5 items of 90-110 mm share 2 A4 pages" test "$(pdfinfo "$TMP/flow.pdf" | awk '/^Pages:/{print $2}')" = 2
items_on() { pdftotext -f "$1" -l "$1" "$TMP/flow.pdf" - | grep -o '項目[0-9]の本文' | tr -d '\n'; }
rows_on() { pdftotext -f "$1" -l "$1" "$TMP/flow.pdf" - | grep -c '^罫$'; }
check "engine: items 1-2 on page 1 (the third would not fit)" test "$(items_on 1)" = "項目1の本文項目2の本文"
check "engine: items 3-5 on page 2 (per_page 3)" test "$(items_on 2)" = "項目3の本文項目4の本文項目5の本文"
check "engine: a table of 1 row keeps 3 rows, one of 5 keeps 5" test "$(rows_on 1)" = 8 -a "$(rows_on 2)" = 9
check "engine: blank rows print no item text" test "$(pdftotext "$TMP/flow.pdf" - | grep -c '^行[0-9]-[0-9]の内容。$')" = 9

# A list marker the cell's font lacks is the layout's error, at the cell.
mkdir -p "$TMP/mk2"
sed "s/'① '/'가 '/g" layouts/houshin-r2.yaml >"$TMP/mk2/houshin-r2.yaml"
bin/policygen check content/2020/seisaku-suishin.md --layouts "$TMP/mk2" >"$TMP/mk2.err" 2>&1
check "engine: a list marker missing from the font is the layout's error at the cell" \
    grep -qE "houshin-r2.yaml:[0-9]+:[0-9]+: error: the list marker \`가\` \(U\+AC00\) of this cell is not in font \`mincho\`" "$TMP/mk2.err"
