# Nothing a writer or a layout author does may crash the generator, hang
# it, exhaust its memory or destroy a file (issue 9). Every case runs under
# `timeout` (a hang is a failure: status 124) and most under ASan/UBSan;
# each asserts the message, the exit status and what is left on disk.
# The limits themselves are listed in docs/limits.md. Sourced by tests/run.

L="$TMP/limits"
mkdir -p "$L"
PG=bin/policygen-asan
GOOD=content/2024/seisaku-suishin.md

# run LIMIT CMD...: run with a time limit; status in $rc, stderr in $L/err.
run() {
    local t=$1
    shift
    timeout "$t" "$@" >"$L/out" 2>"$L/err"
    rc=$?
}
said() { grep -q -- "$1" "$L/err"; }

# ---- characters no input may hold ----------------------------------------
# U+FFFF ends libunibreak's text (it used to abort every command); the
# other noncharacters, controls and separators are refused the same way.
for cp in 'EF BF BF:U+FFFF' 'EF BF BE:U+FFFE' 'EF B7 90:U+FDD0' 'F0 9F BF BF:U+1FFFF' 'C2 85:U+0085' \
          '1B:U+001B' 'E2 80 A8:U+2028' '0D:U+000D'; do
    bytes=$(printf '\\x%s' ${cp%%:*})
    name=${cp#*:}
    { sed -n '1,/^# 基本方針/p' "$GOOD"; printf '\n基本方針の文%b途中\n' "$bytes"; sed -n '/^# 重点目標 1/,$p' "$GOOD"; } >"$L/char.md"
    run 20 $PG check "$L/char.md"
    check "$name in a paragraph: check exits 1 (got $rc)" test "$rc" -eq 1
    check "$name in a paragraph: said at its line and column, with the code" \
        grep -qE "^$L/char.md:[0-9]+:7: error: ${name/+/\\+} は使えない文字です" "$L/err"
done
{ sed -n '1,/^# 重点目標 1/p' "$GOOD" | sed '$d'; printf '# 重点目標 1 見出し\xef\xbf\xbfの中\n'; sed -n '/^# 重点目標 1/,$p' "$GOOD" | sed 1d; } >"$L/head.md"
for cmd in check build diff book; do
    case $cmd in
        build) run 20 $PG build "$L/head.md" -o "$L/head.pdf" ;;
        diff) run 20 $PG diff "$GOOD" "$L/head.md" ;;
        book) run 20 $PG book "$GOOD" "$L/head.md" -o "$L/book.pdf" ;;
        *) run 20 $PG check "$L/head.md" ;;
    esac
    check "U+FFFF in a heading: $cmd exits 1, no abort (got $rc)" test "$rc" -eq 1
    check "U+FFFF in a heading: $cmd says so" said "U+FFFF は使えない文字です"
done
check "U+FFFF: no PDF written" test ! -e "$L/head.pdf" -a ! -e "$L/book.pdf"

# The same characters written as escapes, which the file's bytes do not show:
# YAML "\uFFFF" and "\0" (it cut the value short), Markdown &#x1b;.
sed 's/^department: .*/department: "政策\\uFFFF推進部"/' "$GOOD" >"$L/esc.md"
run 20 $PG build "$L/esc.md" -o "$L/esc.pdf"
check "front matter \"\\uFFFF\": refused, no abort (got $rc)" test "$rc" -eq 1 -a ! -e "$L/esc.pdf"
check "front matter \"\\uFFFF\": says the code point at the value" said "esc.md:4:13: error: 前付けの値に使えない文字 U+FFFF があります"
sed 's/^department: .*/department: "政策\\0推進部"/' "$GOOD" >"$L/nul.md"
run 20 $PG check "$L/nul.md"
check "front matter \"\\0\": refused, not cut short (got $rc)" said "前付けの値に使えない文字 U+0000 があります"
mkdir -p "$L/esclay"
sed 's/text: 【基本方針】/text: "【基本\\uFFFF方針】"/' layouts/houshin-r6.yaml >"$L/esclay/houshin-r6.yaml"
run 20 $PG check "$GOOD" --layouts "$L/esclay"
check "layout \"\\uFFFF\": refused with its position (got $rc)" said "houshin-r6.yaml:[0-9]*:[0-9]*: error: layout: a value holds U+FFFF"
{ sed -n '1,/^# 基本方針/p' "$GOOD"; printf '\nab&#x1b;[2Jc\n'; } >"$L/ent.md"
run 20 $PG check "$L/ent.md"
check "Markdown &#x1b;: refused as U+001B" said "U+001B は使えない文字です"
check "Markdown &#x1b;: no escape byte reaches the terminal" test -z "$(grep -a $'\033' "$L/err")"

# ---- command line ----------------------------------------------------------
run 10 $PG diff "$GOOD" --rev HEAD --rev HEAD~1
check "an option given twice: a usage error" test "$rc" -eq 2 -a -n "$(grep -- '--rev が 2 回指定されています' "$L/err")"
sed 's/^fiscal_year: .*/fiscal_year: 1868/' "$GOOD" >"$L/year.md"
run 10 $PG check "$L/year.md"
check "a fiscal year out of range (1868): refused with the range" said "1980〜2099 年度"

# ---- the book ----------------------------------------------------------------
mkdir -p "$L/book"
for i in $(seq -w 1 21); do sed "s/^department: .*/department: 部$i/" "$GOOD" >"$L/book/d$i.md"; done
run 60 $PG book "$L"/book/d*.md -o "$L/book.pdf"
check "book of 21 departments: refused, in Japanese, at the first extra one" said "book/d21.md: error: 冊子にまとめられるのは 20 部局までです"
run 20 $PG book "$L/book/d01.md" "$L/book/../book/d01.md" -o "$L/book.pdf"
check "book with one document twice: refused" said "同じ原稿が冊子に 2 回指定されています"
run 10 $PG build "$GOOD" -o ''
check "-o '': a usage error, no crash (got $rc)" test "$rc" -eq 2
check "-o '': says the value is empty" said "-o に空の値は使えません"
check "--help lists exit status 3 (out of memory)" grep -q "3 out of memory" <(bin/policygen --help)

# ---- front matter: plain data only, within budgets --------------------------
fm() { { printf -- '---\nlayout: houshin-r6\n'; cat; printf -- '---\n'; sed -n '/^# 基本方針/,$p' "$GOOD"; } >"$L/fm.md"; }
python3 - "$L/bomb.yaml" <<'EOF'
import sys
s = 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
for i in range(1, 10):
    s += 'a%d: &a%d [%s]\n' % (i, i, ','.join(['*a%d' % (i - 1)] * 9))
open(sys.argv[1], 'w').write(s)
EOF
fm <"$L/bomb.yaml"
run 10 $PG check "$L/fm.md"
check "front matter alias bomb: refused fast (got $rc)" test "$rc" -eq 1
check "front matter alias bomb: the anchor is named at its line" grep -q "fm.md:3:5: error: 前付けでアンカー (&a0) は使えません" "$L/err"
printf 'department: *x\n' | fm
run 10 $PG check "$L/fm.md"
check "front matter alias: refused" said "前付けでエイリアス (\*x) は使えません"
printf 'department: !!str 政策推進部\n' | fm
run 10 $PG check "$L/fm.md"
check "front matter tag: refused" said "前付けでタグ (tag:yaml.org,2002:str) は使えません"
{ printf 'a: '; head -c 100000 /dev/zero | tr '\0' '['; echo; } | fm
run 10 $PG check "$L/fm.md"
check "front matter [[[… 100000 deep: refused fast (got $rc)" test "$rc" -eq 1
check "front matter [[[… 100000 deep: says the depth limit" said "fm.md:3:11: error: 前付けの入れ子が深すぎます（8 段まで）"
{ for i in $(seq 1 20); do printf "%*sk$i:\n" $((i * 2 - 2)) ""; done; } | fm
run 10 $PG check "$L/fm.md"
check "front matter nested 20 deep: says the depth limit" said "前付けの入れ子が深すぎます"
{ for i in $(seq 1 3000); do echo "key$i: v"; done; } | fm
run 10 $PG check "$L/fm.md"
check "front matter of 3000 keys: says the node limit" said "前付けの項目が多すぎます（2000 個まで）"
{ for i in $(seq 1 900); do echo "key$i: v"; done; echo "key5: again"; } | fm
run 10 $PG check "$L/fm.md"
check "front matter: a repeated key among 900 is named" said "前付けのキー \`key5\` が 2 回書かれています"

# ---- Markdown ----------------------------------------------------------------
# A 240 KB paragraph of short lines (each soft break used to rescan the rest;
# 400 KB took 100 s).
{ sed -n '1,/^# 基本方針/p' "$GOOD"; echo; for i in $(seq 1 80000); do echo ab; done; } >"$L/soft.md"
run 20 $PG check "$L/soft.md"
check "240 KB paragraph of short lines: refused as too long, in time (got $rc)" test "$rc" -eq 1
check "240 KB paragraph of short lines: the cell overflows" said "小さくしても欄に入りません"

# ---- layouts -------------------------------------------------------------------
mkdir -p "$L/lay"
bad_layout() { sed "$1" layouts/houshin-r6.yaml >"$L/lay/houshin-r6.yaml"; run 10 $PG check "$GOOD" --layouts "$L/lay"; }
bad_layout '0,/x: 0, w: 28/s//x: 1e300, w: 28/'
check "layout x: 1e300: refused (got $rc)" test "$rc" -eq 1
check "layout x: 1e300: at the layout's line, with the page's bound" said "lay/houshin-r6.yaml:[0-9]*:[0-9]*: error: cell x is 1e+300 mm; it must lie from 0 to 186 mm"
bad_layout 's/^  margin: .*/  margin: -1e300/'
check "layout margin -1e300: refused" said "error: the top page margin is -1e+300 mm"
bad_layout '0,/size: 10.5/s//size: 1e7/'
check "layout size 1e7: refused fast (got $rc)" test "$rc" -eq 1
check "layout size 1e7: says the range" said "error: size is 1e+07 pt; it must lie from 2 to 96 pt"
bad_layout '0,/x: 0, w: 28/s//x: 0, w: 900/'
check "layout: a cell past the right margin is refused" said "error: cell w is 900 mm"
bad_layout "s/match: '^基本方針\$'/match: '^(a|aa)+\$'/"
printf -- '---\nlayout: houshin-r6\n---\n# aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\n' >"$L/cat.md"
run 10 $PG check "$L/cat.md" --layouts "$L/lay"
check "catastrophic pattern: refused in time (got $rc)" test "$rc" -eq 1
check "catastrophic pattern: the layout's pattern is named" said "lay/houshin-r6.yaml:[0-9]*:[0-9]*: error: pattern \`^(a|aa)+\$\` gave up"
check "catastrophic pattern: not told the heading is not in the form" test -z "$(grep 'cat.md:4' "$L/err")"
{ cat layouts/houshin-r6.yaml; cat "$L/bomb.yaml"; } >"$L/lay/houshin-r6.yaml"
run 10 $PG check "$GOOD" --layouts "$L/lay"
check "layout alias bomb: refused fast (got $rc)" test "$rc" -eq 1
check "layout alias bomb: the anchor is named" said "layout: anchors (&a0) are not supported"
{ cat layouts/houshin-r6.yaml; printf 'extra: '; head -c 100000 /dev/zero | tr '\0' '['; echo; } >"$L/lay/houshin-r6.yaml"
run 10 $PG check "$GOOD" --layouts "$L/lay"
check "layout [[[… 100000 deep: refused fast (got $rc)" test "$rc" -eq 1
check "layout [[[… 100000 deep: says the depth limit" said "layout nests too deeply (at most 32 levels)"

# A layout that prints a long body in 400 cells: the run's wrapping budget
# stops it in time (it took 24 s) and in memory.
mkdir -p "$L/many"
python3 - "$L/many" <<'PY'
import sys
rows = ''.join("      - height: 0.5\n        cells:\n"
               "          - {x: 0, w: 100, text: '{policy.body}', min_size: 2, size: 96}\n" for _ in range(400))
open(sys.argv[1] + '/many.yaml', 'w').write(
    "name: many\ndefaults: {font: mincho}\nsections:\n  - {id: policy, match: '^P$', min: 1, body: required}\n"
    "pages:\n  - name: p\n    rows:\n" + rows)
open(sys.argv[1] + '/many.md', 'w').write('---\nlayout: many\n---\n# P\n\n' + '政策を推進する。' * 8000 + '\n')
PY
run 20 $PG check "$L/many/many.md" --layouts "$L/many"
check "layout printing a long body 400 times: stopped in time (got $rc)" test "$rc" -eq 1
check "layout printing a long body 400 times: says the budget" said "組む文字が多すぎます（1 回に 4 MB まで）"

# 1000 items of a repeated row of three unnamed cells: every review key is
# alike (numbering them rescanned every cell: 12.7 s).
mkdir -p "$L/alike"
python3 - "$L/alike" <<'PY'
import sys
open(sys.argv[1] + '/alike.yaml', 'w').write("""name: alike
defaults: {font: mincho, size: 2, min_size: 2, line_height: 0.5, padding: 0, border: none, border_width: 0}
sections:
  - {id: t, name: 項目, match: '^項目$', max: 1000, body: optional}
pages:
  - name: p
    rows:
      - repeat: t
        rows:
          - height: 0.25
            cells: [{x: 0, w: 62, text: '{body}'}, {x: 62, w: 62, text: '{body}'}, {x: 124, w: 62, text: '{body}'}]
""")
open(sys.argv[1] + '/alike.md', 'w').write('---\nlayout: alike\n---\n\n' + '# 項目\n\n' * 1000)
PY
run 10 bin/policygen build "$L/alike/alike.md" -o "$L/alike/alike.pdf" --layouts "$L/alike"
check "3000 alike cells: built in time (got $rc)" test "$rc" -eq 0
# A pattern just under its match limit, on 1000 headings: the document's
# matching budget (it took minutes at the limits).
mkdir -p "$L/re"
printf '%s\n' "name: re" "defaults: {font: mincho}" "sections:" \
    "  - {id: s0, name: s0, match: '^(a|aa)*c\$', max: 1000, body: optional}" \
    "pages:" "  - name: p" "    rows:" "      - height: 10" "        cells: []" >"$L/re/re.yaml"
python3 -c "import sys; open(sys.argv[1],'w').write('---\nlayout: re\n---\n\n' + ('# ' + 'a' * 20 + 'cX\n\n') * 1000)" "$L/re/h.md"
run 10 bin/policygen check "$L/re/h.md" --layouts "$L/re"
check "1000 headings against a slow pattern: done in time (got $rc)" test "$rc" -eq 1
# A bad value in a style shared by many cells: said once.
sed 's/^  label: {font: gothic, size: 9.5,/  label: {font: gothic, size: 900,/' layouts/houshin-r6.yaml >"$L/lay/houshin-r6.yaml"
run 10 $PG check "$GOOD" --layouts "$L/lay"
check "a bad value in a style: one message per place, not one per cell ($(grep -c 'size is 900' "$L/err"))" \
    test "$(grep -c 'size is 900' "$L/err")" -le 3

# ---- only regular files are read --------------------------------------------
rm -f "$L/lay/houshin-r6.yaml"
mkfifo "$L/lay/houshin-r6.yaml" "$L/fifo.md" "$L/fifo.yaml"
run 10 $PG check "$GOOD" --layouts "$L/lay"
check "layout that is a FIFO: refused without blocking (got $rc)" test "$rc" -eq 1
check "layout that is a FIFO: says it is not a regular file" said "ふつうのファイルではないので読みません"
run 10 $PG check "$L/fifo.md"
check "input that is a FIFO: refused without blocking (got $rc)" test "$rc" -eq 1
run 10 $PG check "$GOOD" --fonts "$L/fifo.yaml"
check "font manifest that is a FIFO: refused without blocking (got $rc)" test "$rc" -eq 1
sed "0,/file: .*/s||file: $L/fifo.md|" fonts/fonts.yaml >"$L/fonts.yaml"
run 10 $PG check "$GOOD" --fonts "$L/fonts.yaml"
check "font file that is a FIFO: refused without blocking (got $rc)" test "$rc" -eq 1
check "font file that is a FIFO: says so" said "is not a regular file"
run 10 $PG check "$L"
check "a folder as input: refused (got $rc)" test "$rc" -eq 1

# ---- outputs never destroy a file ---------------------------------------------
cp "$GOOD" "$L/doc.md"
cp "$GOOD" "$L/doc.copy"
mkdir -p "$L/sub"
for target in "$L/doc.md" "$L/sub/../doc.md" "$L/./doc.md"; do
    run 20 $PG build "$L/doc.md" -o "$target"
    check "build -o the input ($target): refused (got $rc)" test "$rc" -eq 1
    check "build -o the input ($target): the source is intact" cmp -s "$L/doc.md" "$L/doc.copy"
done
ln "$L/doc.md" "$L/hard.pdf"
run 20 $PG build "$L/doc.md" -o "$L/hard.pdf"
check "build -o a hard link of the input: refused" test "$rc" -eq 1 -a "$(cat "$L/hard.pdf" | head -c 3)" = "---"
cp layouts/houshin-r6.yaml "$L/layout.copy"
run 20 $PG build "$GOOD" -o layouts/houshin-r6.yaml
check "build -o the layout: refused, layout intact" cmp -s layouts/houshin-r6.yaml "$L/layout.copy"
check "build -o the input: says why" said "このコマンドが読むファイル"
run 20 $PG next "$GOOD" -o "$GOOD" --force
check "next -o the input --force: refused" test "$rc" -eq 1
run 20 $PG build "$GOOD" -o "$L/fifo.yaml"
check "-o a FIFO: refused, not blocking (got $rc)" test "$rc" -eq 1 -a -p "$L/fifo.yaml"
run 20 $PG build "$GOOD" -o /dev/null
check "-o /dev/null: refused, /dev/null still a device" test "$rc" -eq 1 -a -c /dev/null
echo "keep me" >"$L/target.txt"
ln -s "$L/target.txt" "$L/link.pdf"
run 20 $PG build "$GOOD" -o "$L/link.pdf"
check "-o a symlink: refused (got $rc)" test "$rc" -eq 1
check "-o a symlink: link and target untouched" test -L "$L/link.pdf" -a "$(cat "$L/target.txt")" = "keep me"
check "-o a symlink: says what to do" said "シンボリックリンク"
echo old >"$L/suid.pdf"
chmod 6755 "$L/suid.pdf"
run 20 $PG build "$GOOD" -o "$L/suid.pdf"
check "a setuid/setgid old PDF: replaced (got $rc)" test "$rc" -eq 0
check "a setuid/setgid old PDF: the new one has neither bit, keeps rwx" test "$(stat -c %a "$L/suid.pdf")" = 755
run 20 $PG build "$GOOD" -o "$L/same.pdf" --depfile "$L/same.pdf"
check "-o and --depfile the same file: refused" test "$rc" -eq 1 -a ! -e "$L/same.pdf"
# The depfile fails: the old PDF must stay (both replace, or neither).
bin/policygen build "$GOOD" -o "$L/keep.pdf" 2>/dev/null
echo "old" >"$L/keep.pdf"
run 20 $PG build "$GOOD" -o "$L/keep.pdf" --depfile "$L/nofolder/x.d/"
check "depfile cannot be written: exit 1" test "$rc" -eq 1
check "depfile cannot be written: the old PDF is kept" test "$(cat "$L/keep.pdf")" = old
check "no temporary file left" test -z "$(find "$L" -name '*.tmp')"
# Interrupted at any moment: the temporary file never stays behind.
for delay in 0.005 0.01 0.015 0.02 0.025 0.03 0.04 0.06 0.08 0.1; do
    timeout -s INT "$delay" bin/policygen build "$GOOD" -o "$L/int.pdf" --depfile "$L/int.d" 2>/dev/null
    timeout -s TERM "$delay" bin/policygen book "$GOOD" content/2024/*.md -o "$L/int-book.pdf" 2>/dev/null
done
check "SIGINT/SIGTERM at any moment: no temporary file left" test -z "$(find "$L" -name '*.tmp')"
# The same, every 0.2 ms over the span of a build (~10 ms here): the
# window where the files are written is under a millisecond, and a signal
# there must wait for the main thread, never end the process from the
# worker thread (worker.c blocks every signal).
for delay in $(seq 0.003 0.0002 0.016); do
    timeout -s INT "$delay" bin/policygen build "$GOOD" -o "$L/int2.pdf" --depfile "$L/int2.d" 2>/dev/null
done
check "SIGINT every 0.2 ms over a build: no temporary file left" test -z "$(find "$L" -name '*.tmp')"
for delay in $(seq 0.003 0.0005 0.016); do
    timeout -s QUIT "$delay" bin/policygen build "$GOOD" -o "$L/quit.pdf" 2>/dev/null
done
check "SIGQUIT (^\\) every 0.5 ms over a build: no temporary file left" test -z "$(find "$L" -name '*.tmp')"
# A file size limit: a write error said and the temporary file removed,
# not the process killed by SIGXFSZ with it left.
mkdir -p "$L/fsize"
echo old >"$L/fsize/x.pdf"
out=$( (ulimit -f 50; bin/policygen build "$GOOD" -o "$L/fsize/x.pdf") 2>&1)
rc=$?
check "ulimit -f: exit 1 (got $rc)" test "$rc" -eq 1
check "ulimit -f: says it cannot write" grep -q "x.pdf: error: 書き込めません: File too large" <<<"$out"
check "ulimit -f: the old PDF kept, no temporary file" \
    test "$(cat "$L/fsize/x.pdf")" = old -a -z "$(find "$L/fsize" -name '*.tmp')"
# One CPU (taskset): no worker thread, the same work in turn, the same bytes.
if command -v taskset >/dev/null; then
    taskset -c 0 bin/policygen build "$GOOD" content/2020/seisaku-suishin.md --outdir "$L/one" 2>/dev/null
    one=$?
    bin/policygen build "$GOOD" content/2020/seisaku-suishin.md --outdir "$L/two" 2>/dev/null
    check "one CPU: built (got $one)" test "$one" -eq 0
    for y in 2020 2024; do
        check "one CPU: $y, the same bytes as with the worker" \
            cmp -s "$L/one/$y/seisaku-suishin.pdf" "$L/two/$y/seisaku-suishin.pdf"
    done
fi
# SIGKILL cannot be held: the temp file it leaves is taken away by the next
# build of the same PDF, and nothing else is (a live build's, another PDF's).
mkdir -p "$L/stale"
sleep 30 &
live=$!
dead=$(sh -c 'echo $$')
touch -d '2 minutes ago' "$L/stale/.k.pdf.$dead.0.tmp" "$L/stale/.k.pdf.$live.0.tmp" \
    "$L/stale/.other.pdf.$dead.0.tmp" "$L/stale/.k.pdf.$dead.0.tmp.keep" "$L/stale/.k.pdf.+$dead.0.tmp" \
    "$L/stale/.k.pdf.0$dead.0.tmp" "$L/stale/.k.pdf.$dead.-1.tmp"
touch "$L/stale/.k.pdf.$dead.1.tmp" # just now: perhaps a build in another PID namespace
run 30 $PG build "$GOOD" -o "$L/stale/k.pdf"
check "after a SIGKILL: the dead build's temp file is taken away" test "$rc" -eq 0 -a ! -e "$L/stale/.k.pdf.$dead.0.tmp"
check "after a SIGKILL: a running build's temp file, another PDF's and other names stay" \
    test -e "$L/stale/.k.pdf.$live.0.tmp" -a -e "$L/stale/.other.pdf.$dead.0.tmp" -a -e "$L/stale/.k.pdf.$dead.0.tmp.keep" \
    -a -e "$L/stale/.k.pdf.+$dead.0.tmp" -a -e "$L/stale/.k.pdf.0$dead.0.tmp" -a -e "$L/stale/.k.pdf.$dead.-1.tmp"
check "after a SIGKILL: a temp file younger than a minute stays (its build may run where kill cannot see it)" \
    test -e "$L/stale/.k.pdf.$dead.1.tmp"
kill "$live" 2>/dev/null
wait "$live" 2>/dev/null
rm -rf "$L/stale"

# ---- fonts -----------------------------------------------------------------------
# A damaged font (glyf table zeroed or overwritten, contours ending
# backwards, composites of nothing) is an error, not blank glyphs.
python3 - "$L" <<'EOF'
import random, struct, sys
src = '/usr/share/fonts/truetype/bizud-mincho/BIZUDMincho-Regular.ttf'
b = bytearray(open(src, 'rb').read())
n = struct.unpack('>H', b[4:6])[0]
for i in range(n):
    tag, _, off, ln = struct.unpack('>4sIII', b[12 + 16 * i:28 + 16 * i])
    if tag == b'glyf':
        break
z = bytearray(b); z[off:off + ln] = bytes(ln)
open(sys.argv[1] + '/zero.ttf', 'wb').write(z)
random.seed(1)
g = bytearray(b); g[off:off + ln] = bytes(random.randrange(256) for _ in range(ln))
open(sys.argv[1] + '/garbage.ttf', 'wb').write(g)
# Every glyph's data well placed, its insides wrong: contours ending
# backwards; every glyph a composite of an empty one (prints nothing).
tab = {}
for i in range(n):
    tag, _, o, l = struct.unpack('>4sIII', b[12 + 16 * i:28 + 16 * i])
    tab[tag] = (o, l)
head, loca, maxp = tab[b'head'][0], tab[b'loca'][0], tab[b'maxp'][0]
long_loca = struct.unpack('>h', b[head + 50:head + 52])[0]
glyphs = struct.unpack('>H', b[maxp + 4:maxp + 6])[0]
def at(i):
    if long_loca:
        return struct.unpack('>I', b[loca + 4 * i:loca + 4 * i + 4])[0]
    return 2 * struct.unpack('>H', b[loca + 2 * i:loca + 2 * i + 2])[0]
empty = next(i for i in range(1, glyphs) if at(i) == at(i + 1))
back = bytearray(b); comp = bytearray(b)
for i in range(glyphs):
    s, e = off + at(i), off + at(i + 1)
    if e - s >= 18 and struct.unpack('>h', b[s:s + 2])[0] > 1:
        back[s + 10:s + 12] = struct.pack('>H', 60000)
    if e - s >= 18:
        comp[s:s + 2] = struct.pack('>h', -1)
        comp[s + 10:s + 18] = struct.pack('>HHhh', 0x0003, empty, 0, 0)
open(sys.argv[1] + '/backwards.ttf', 'wb').write(back)
open(sys.argv[1] + '/hollow.ttf', 'wb').write(comp)
EOF
for f in zero garbage backwards hollow; do
    sed -e '/^output_intent:/,$d' -e "s|file: .*|file: $L/$f.ttf|" fonts/fonts.yaml >"$L/$f.yaml"
    run 30 bin/policygen build "$GOOD" -o "$L/$f.pdf" --fonts "$L/$f.yaml"
    check "font with a damaged glyf ($f): exit 1 (got $rc)" test "$rc" -eq 1 -a ! -e "$L/$f.pdf"
    check "font with a damaged glyf ($f): says the font is damaged" said "の字形を読めません。フォントファイル $L/$f.ttf が壊れています"
done
check "make re-checks the font pin when a font file changes (fonts are prerequisites)" \
    grep -q '^build/fonts.ok:.*BIZUDMincho-Regular.ttf' <(make -pn build/fonts.ok 2>/dev/null)
