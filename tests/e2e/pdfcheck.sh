# The accessibility checkers themselves (tests/pdf/, issue 10): on a small PDF
# made to be PDF/UA-1 and PDF/A-2u (tests/pdf/fixture.py) every rule passes
# and pdf.js reads the expected structure and order; on copies broken on
# purpose each checker names exactly the rules that broke. So the pending
# tests/e2e/tagged.sh can be trusted when it says what is wrong with ours.
# Sourced by tests/run (uses check/pass/fail and $TMP).

pc_font=$(awk '/^gothic:/{g=1} g && /^  (- )?file:/{print $NF; exit}' fonts/fonts.yaml)
pc_dir="$TMP/pdfcheck"
mkdir -p "$pc_dir"
python3 tests/pdf/fixture.py "$pc_font" "$pc_dir/good.pdf" 2>"$pc_dir/err"
check "pdfcheck: fixture.py writes the fixture ($(head -c 200 "$pc_dir/err"))" test -s "$pc_dir/good.pdf"

python3 tests/pdf/conformance.py "$pc_dir/good.pdf" >"$pc_dir/good.txt" 2>"$pc_dir/err"
rc=$?
check "pdfcheck: conformance.py passes the fixture ($(grep -m3 ^FAIL "$pc_dir/good.txt" | cut -c1-150 | tr '\n' ' ')$(head -c 200 "$pc_dir/err"))" \
    test "$rc" -eq 0
check "pdfcheck: conformance.py prints one line per rule (252 + EXTRA)" \
    test "$(grep -cE '^(PASS|FAIL|N/A) (PDFUA-1|PDFA-2U|EXTRA) ' "$pc_dir/good.txt")" -eq "$(python3 tests/pdf/conformance.py --list | wc -l)"
for rule in "PDFUA-1 7.1-3" "PDFUA-1 6.2-1" "PDFUA-1 7.5-1" "PDFUA-1 5-1" "PDFA-2U 6.6.2.3.3-8" "PDFA-2U 6.2.11.5-1" \
            "PDFA-2U 6.1.3-1" "PDFA-2U 6.2.3-1" "EXTRA tree-3" "EXTRA xmp-1"; do
    check "pdfcheck: the fixture exercises $rule (PASS, not N/A)" grep -q "^PASS $rule " "$pc_dir/good.txt"
done

# Each fault is reported by the rules that name it, and by no other.
declare -A PC_EXPECT=(
    [untagged-text]="PDFUA-1 7.1-3"
    [no-markinfo]="PDFUA-1 6.2-1"
    [no-xmp]="PDFUA-1 5-1,PDFUA-1 7.1-8,PDFUA-1 7.1-9,PDFA-2U 6.6.2.1-1,PDFA-2U 6.6.4-1,EXTRA xmp-2"
    [no-scope]="PDFUA-1 7.5-1,EXTRA table-1"
    [bad-nesting]="PDFUA-1 7.2-3,PDFUA-1 7.2-9"
    [notdef]="PDFUA-1 7.21.7-1,PDFUA-1 7.21.8-1,PDFA-2U 6.2.11.7.2-1,PDFA-2U 6.2.11.8-1"
    [no-id]="PDFA-2U 6.1.3-1"
)
for b in "${!PC_EXPECT[@]}"; do
    python3 tests/pdf/fixture.py "$pc_font" "$pc_dir/$b.pdf" --break "$b" 2>/dev/null
    python3 tests/pdf/conformance.py "$pc_dir/$b.pdf" >"$pc_dir/$b.txt" 2>/dev/null
    rc=$?
    got=$(awk '$1=="FAIL"{print $2" "$3}' "$pc_dir/$b.txt" | paste -sd, -)
    check "pdfcheck: --break $b fails exactly ${PC_EXPECT[$b]} (got: $got)" test "$rc" -eq 1 -a "$got" = "${PC_EXPECT[$b]}"
done
unset PC_EXPECT

# pdf.js reads the fixture's tree, and finds the untagged run of the broken one.
if [ ! -f tests/pdf/node_modules/pdfjs-dist/legacy/build/pdf.mjs ]; then
    fail "pdfcheck: pdf.js not installed (run: make build/pdfjs.ok)"
else
    node tests/pdf/structure.mjs "$pc_dir/good.pdf" --check --quiet 2>"$pc_dir/err"
    rc=$?
    check "pdfcheck: structure.mjs --check passes the fixture ($(head -c 200 "$pc_dir/err"))" test "$rc" -eq 0
    printf '%s\n' 運営方針 部局名 政策推進部 ① 公民連携事業を推進します。 公民連携事業を推進します。 >"$pc_dir/order.txt"
    node tests/pdf/structure.mjs "$pc_dir/good.pdf" --quiet --expect "$pc_dir/order.txt" 2>"$pc_dir/err"
    rc=$?
    check "pdfcheck: structure.mjs --expect: the tree's reading order ($(head -c 200 "$pc_dir/err"))" test "$rc" -eq 0
    node tests/pdf/readorder.mjs "$pc_dir/good.pdf" >"$pc_dir/readorder.txt" 2>&1
    check "pdfcheck: readorder.mjs prints role paths" grep -qx 'Document/Table/TR/TH: 部局名' "$pc_dir/readorder.txt"
    node tests/pdf/structure.mjs "$pc_dir/untagged-text.pdf" --check --quiet 2>"$pc_dir/err"
    rc=$?
    check "pdfcheck: structure.mjs --check finds the untagged run" \
        test "$rc" -eq 1 -a -n "$(grep '1 of 8 text runs are outside' "$pc_dir/err")"
    node tests/pdf/structure.mjs "$pc_dir/good.pdf" >"$pc_dir/good.json"
    check "pdfcheck: structure.mjs JSON has markInfo, lang, title and the tree" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
p = r["pages"][0]
assert r["markInfo"]["Marked"] is True and r["lang"] == "ja" and r["title"]["xmp"] == "運営方針の例"
assert p["structTree"]["children"][0]["role"] == "Document"
assert [m["mcid"] for m in p["markedContent"]] == [0, 1, 2, 3, 4, 5]
assert all(t["inTree"] for t in p["text"])
' "$pc_dir/good.json"
fi
check "pdfcheck: poppler reads the fixture as tagged" grep -qE '^Tagged: +yes' <(pdfinfo "$pc_dir/good.pdf" 2>/dev/null)
