# Bad input: every file in tests/bad/ must fail with exactly the messages in
# its .expected file (FILE:LINE:COL: error: MESSAGE, in the form's words),
# exit 1, and leave the previous PDF untouched. Sourced by tests/run.

good_pdf="$TMP/previous.pdf"
bin/policygen build content/2024/seisaku-suishin.md -o "$good_pdf" 2>/dev/null
cp "$good_pdf" "$TMP/previous.copy"

format_ok() {
    # every line is a diagnostic or the closing count
    ! grep -vE '^[^ ]+:[0-9]+:[0-9]+: (error|warning): |^[^ ]+: (error|warning): |^policygen: エラー [0-9]+ 件$' "$1"
}

for md in tests/bad/*.md; do
    name=$(basename "$md" .md)
    bin/policygen-asan check "$md" >"$TMP/out" 2>"$TMP/err"
    rc=$?
    check "bad/$name: check exits 1 (got $rc)" test "$rc" -eq 1
    check "bad/$name: messages as expected" diff -u "${md%.md}.expected" "$TMP/err"
    check "bad/$name: every line is FILE:LINE:COL: error: MESSAGE" format_ok "$TMP/err"
    check "bad/$name: check writes nothing to stdout" test ! -s "$TMP/out"

    bin/policygen build "$md" -o "$good_pdf" 2>/dev/null
    check "bad/$name: failed build exits 1" test $? -eq 1
    check "bad/$name: the previous PDF is untouched" cmp -s "$good_pdf" "$TMP/previous.copy"
done
check "no temporary file is left beside the PDF" test -z "$(find "$TMP" -name '.previous.pdf.*')"

# Limits, generated here rather than committed: a 10 MB file, quotes and
# lists nested thousands deep. Each is a clear error, fast, without a crash.
head -c 10485760 /dev/zero | tr '\0' 'a' >"$TMP/big.md"
bin/policygen-asan check "$TMP/big.md" 2>"$TMP/err"
check "10 MB input: exit 1" test $? -eq 1
check "10 MB input: says the limit" grep -q "ファイルが大きすぎます" "$TMP/err"

{ printf -- '---\nlayout: houshin-r6\n---\n# 基本方針\n\n'; for _ in $(seq 1 100000); do printf '> '; done; echo x; } >"$TMP/quotes.md"
bin/policygen-asan check "$TMP/quotes.md" 2>"$TMP/err"
check "quotes nested 100000 deep: exit 1" test $? -eq 1
check "quotes nested 100000 deep: refused" grep -q "引用（>）は運営方針の原稿では使えません" "$TMP/err"

{ printf -- '---\nlayout: houshin-r6\n---\n# 基本方針\n\n'; for i in $(seq 0 450); do printf "%*s- x\n" $((i * 2)) ""; done; } >"$TMP/lists.md"
bin/policygen-asan check "$TMP/lists.md" 2>"$TMP/err"
check "lists nested 450 deep: exit 1" test $? -eq 1
check "lists nested 450 deep: refused" grep -q "入れ子の箇条書きは使えません" "$TMP/err"

# Usage errors exit 2; --help exits 0 and explains both commands.
bin/policygen >/dev/null 2>&1
check "no command: exit 2" test $? -eq 2
bin/policygen frobnicate x.md >/dev/null 2>&1
check "unknown command: exit 2" test $? -eq 2
bin/policygen build a.md b.md --depfile x.d >/dev/null 2>&1
check "build with two inputs and one --depfile: exit 2" test $? -eq 2
bin/policygen check --bogus a.md >/dev/null 2>&1
check "unknown option: exit 2" test $? -eq 2
bin/policygen --help >"$TMP/help" 2>&1
check "--help: exit 0" test $? -eq 0
check "--help explains build and check" grep -q "policygen check INPUT.md" "$TMP/help"
bin/policygen check "$TMP/does-not-exist.md" 2>"$TMP/err"
check "missing input: exit 1" test $? -eq 1

# The fuzz corpus replays without a sanitizer finding.
if [ -x build/tests/fuzz_replay ]; then
    build/tests/fuzz_replay tests/fuzz/corpus/* >"$TMP/replay.txt" 2>&1
    replay_rc=$? # before the message's $(tail), whose status $? would be
    check "fuzz corpus replays clean under ASan/UBSan ($(tail -n 1 "$TMP/replay.txt"))" test "$replay_rc" -eq 0
fi

# The engine knows no form: no section of either official form is named in
# the C sources (the layouts in layouts/ carry all of it).
check "generator/ names no section of a form" test -z "$(grep -rlE '重点|基本|政策目標|達成|具体的|所管' generator/)"
