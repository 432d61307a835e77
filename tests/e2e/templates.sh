# Templates never print a cell in part: optional parts ({?...?}) vanish
# with their text, a value printed with text around it is required, list
# items of the front matter are written whole and no more of them than the
# form has cells for. On the official layouts and on a test layout of their
# own (tests/fixtures/layouts/optional-test.yaml). Sourced by tests/run.

# An officer without a role: built, the name printed, no empty brackets.
page1() { pdftotext -f 1 -l 1 -raw "$1" - 2>/dev/null | sed -n 3p; }
for doc in 2024 2020; do
    sed '0,/^    role: /{/^    role: /d}' "content/$doc/seisaku-suishin.md" >"$TMP/norole-$doc.md"
    bin/policygen-asan build "$TMP/norole-$doc.md" -o "$TMP/norole-$doc.pdf" 2>"$TMP/err"
    check "templates: $doc officer without a role builds, no message" test $? -eq 0 -a ! -s "$TMP/err"
done
check "templates: FY2024 prints the name alone and the other officer's role in （）" \
    test "$(page1 "$TMP/norole-2024.pdf")" = "理事（監） 山口　伸和 理事（監） 小林　聡（危機管理監）"
check "templates: FY2020 prints the name alone and the other officer's role in ()" \
    test "$(page1 "$TMP/norole-2020.pdf")" = "理事 安田 善昭 理事 小林 聡 (危機管理担当)"

# The test layout: optional parts, literal brackets, blank year-end values
# and blank table rows, all without a message.
L=(--layouts tests/fixtures/layouts)
bin/policygen-asan build tests/fixtures/optional.md -o "$TMP/optional.pdf" "${L[@]}" 2>"$TMP/err"
check "templates: optional-test builds without a message" test $? -eq 0 -a ! -s "$TMP/err"
pdftotext -raw "$TMP/optional.pdf" "$TMP/optional.txt" 2>/dev/null
check "templates: text around a value prints with it" grep -qx "担当：山田　一郎 【注】本当? {括弧}" "$TMP/optional.txt"
check "templates: an optional part prints with its value, vanishes without" \
    grep -qx "佐藤　花子［会計］ 鈴木　次郎" "$TMP/optional.txt"
check "templates: a year-end value not yet written leaves its cell blank" test -z "$(grep '評価' "$TMP/optional.txt")"
check "templates: blank rows print nothing" test "$(grep -c '^行' "$TMP/optional.txt")" = 1

# What is missing is said where it is written, in the form's words.
bin/policygen-asan check tests/fixtures/optional-missing.md "${L[@]}" 2>"$TMP/err"
check "templates: missing values: check exits 1" test $? -eq 1
check "templates: missing values: messages as expected" diff -u tests/fixtures/optional-missing.expected "$TMP/err"

# A layout whose optional part is never closed does not load.
mkdir -p "$TMP/badlayouts"
sed 's/{?［{members.1.role}］?}/{?［{members.1.role}］/' tests/fixtures/layouts/optional-test.yaml \
    >"$TMP/badlayouts/optional-test.yaml"
line=$(grep -n 'members.1.role}］' "$TMP/badlayouts/optional-test.yaml" | cut -d: -f1) # its {? is character 61
bin/policygen-asan check tests/fixtures/optional.md --layouts "$TMP/badlayouts" 2>"$TMP/err"
check "templates: unclosed optional part: exit 1" test $? -eq 1
check "templates: unclosed optional part: a layout error at its {?" grep -qxF \
    "$TMP/badlayouts/optional-test.yaml:$line:61: error: 委員: optional part \`{?［{members.1.role}］\` is never closed: end it with \`?}\`" \
    "$TMP/err"
