# The editing workflow: next year's draft, dependency files. Sourced by
# tests/run.

# Next year's draft from a result edition: the year moves on, evaluation
# fields and sections are gone, goals/targets/actions stay, and it is valid.
bin/policygen next tests/fixtures/result-edition.md -o "$TMP/next/draft.md" 2>"$TMP/err"
check "next: exit 0" test $? -eq 0
check "next: fiscal year 2025" grep -qx "fiscal_year: 2025" "$TMP/next/draft.md"
check "next: evaluation fields emptied" test -z "$(grep -E '達成状況|達成度|具体的な取組実績|総合評価|今後検討' "$TMP/next/draft.md")"
check "next: goals, targets and actions stay" grep -q "^## 具体的取組 1" "$TMP/next/draft.md"
check "next: the office field stays" grep -qx -- "- 所管室・課: 企画課" "$TMP/next/draft.md"
bin/policygen check "$TMP/next/draft.md" 2>"$TMP/err"
check "next: the draft is a valid document" test $? -eq 0
bin/policygen build "$TMP/next/draft.md" -o "$TMP/next/draft.pdf" 2>/dev/null
pdftotext -raw "$TMP/next/draft.pdf" - 2>/dev/null | grep -q "令和７年度 みらい創造部の運営方針"
check "next: the draft prints as 令和７年度" test $? -eq 0
bin/policygen next tests/fixtures/result-edition.md -o "$TMP/next/draft.md" 2>"$TMP/err"
check "next: refuses to overwrite an existing file" test $? -eq 1
check "next: says why" grep -q "すでにあるので上書きしません" "$TMP/err"
bin/policygen next tests/fixtures/result-edition.md -o "$TMP/next/draft.md" --force 2>/dev/null
check "next --force: replaces it" test $? -eq 0

# Dependency file: the PDF depends on the input, its layout, the fonts.
bin/policygen build content/2024/seisaku-suishin.md -o "$TMP/dep.pdf" --layouts layouts \
    --fonts fonts/fonts.yaml --depfile "$TMP/dep.d" 2>/dev/null
check "depfile names the layout" grep -q "layouts/houshin-r6.yaml" "$TMP/dep.d"
check "depfile names the fonts" grep -q "BIZUDMincho-Regular.ttf" "$TMP/dep.d"
check "depfile target is the PDF" grep -q "^$TMP/dep.pdf: content/2024/seisaku-suishin.md " "$TMP/dep.d"

# Several documents in one run (fonts and layouts loaded once): the same
# PDFs as one run each, a depfile per document, and a broken document
# neither stops the others nor replaces its own last good PDF.
mkdir -p "$TMP/multi/content/2024"
printf -- '---\nlayout: houshin-r6\n---\n# 基本方針\n\n' >"$TMP/multi/content/2024/broken.md"
bin/policygen build content/2024/seisaku-suishin.md -o "$TMP/single-2024.pdf" 2>/dev/null
bin/policygen build content/2020/seisaku-suishin.md -o "$TMP/single-2020.pdf" 2>/dev/null
mkdir -p "$TMP/multi/out" && echo old >"$TMP/multi/out/broken.pdf" # (not under content/: FOLDER/D.pdf)
bin/policygen build content/2024/seisaku-suishin.md "$TMP/multi/content/2024/broken.md" content/2020/seisaku-suishin.md \
    -o "$TMP/multi/out" --depdir "$TMP/multi/deps" 2>"$TMP/err"
check "multi build: exit 1 with a broken document" test $? -eq 1
check "multi build: the broken one reported" grep -q "broken.md" "$TMP/err"
check "multi build: same PDF as a single build (2024)" cmp -s "$TMP/multi/out/2024/seisaku-suishin.pdf" "$TMP/single-2024.pdf"
check "multi build: same PDF as a single build (2020)" cmp -s "$TMP/multi/out/2020/seisaku-suishin.pdf" "$TMP/single-2020.pdf"
check "multi build: a depfile per document" grep -q "^$TMP/multi/out/2020/seisaku-suishin.pdf: content/2020/seisaku-suishin.md .*houshin-r2.yaml" "$TMP/multi/deps/2020/seisaku-suishin.d"
check "multi build: the broken one's PDF is left as it was" test "$(cat "$TMP/multi/out/broken.pdf")" = old
bin/policygen build content/2024/seisaku-suishin.md ./content/2024/seisaku-suishin.md -o "$TMP/multi/o2" 2>/dev/null
check "multi build: two documents to one output refused (exit 2)" test $? -eq 2

# Reproducible: the same input gives the same bytes, and SOURCE_DATE_EPOCH
# (only it) puts a date in.
bin/policygen build content/2024/seisaku-suishin.md -o "$TMP/r1.pdf" 2>/dev/null
bin/policygen build content/2024/seisaku-suishin.md -o "$TMP/r2.pdf" 2>/dev/null
check "reproducible: two builds are byte-identical" cmp -s "$TMP/r1.pdf" "$TMP/r2.pdf"
check "reproducible: no date without SOURCE_DATE_EPOCH" test -z "$(pdfinfo "$TMP/r1.pdf" | grep -E '^(CreationDate|ModDate)')"
SOURCE_DATE_EPOCH=1712016000 bin/policygen build content/2024/seisaku-suishin.md -o "$TMP/r3.pdf" 2>/dev/null
check "SOURCE_DATE_EPOCH gives the creation date" test -n "$(pdfinfo -isodates "$TMP/r3.pdf" | grep '^CreationDate: *2024-04-02')"

# Watch mode: renders at start, re-renders on save, survives a bad save
# (errors printed, last good PDF kept) and recovers on the next good one.
mkdir -p "$TMP/watch"
cp tests/fixtures/result-edition.md "$TMP/watch/doc.md"
POLICYGEN_WATCH_MAX_BUILDS=4 timeout 30 bin/policygen watch "$TMP/watch/doc.md" -o "$TMP/watch/doc.pdf" \
    2>"$TMP/watch/log" &
watch_pid=$!
wait_for() { for _ in $(seq 1 100); do eval "$1" && return 0; sleep 0.1; done; return 1; }
wait_for '[ -s "$TMP/watch/doc.pdf" ]'
check "watch: first render" test -s "$TMP/watch/doc.pdf"
sed -i 's/年4回開催/年5回開催/' "$TMP/watch/doc.md"
wait_for 'pdftotext "$TMP/watch/doc.pdf" - 2>/dev/null | grep -q 年5回開催'
check "watch: a save re-renders" test $? -eq 0
cp "$TMP/watch/doc.pdf" "$TMP/watch/good.pdf"
sed -i 's/達成度: Ａ/達成度: X/' "$TMP/watch/doc.md"
wait_for 'grep -q "前回の正しい版のままです" "$TMP/watch/log"'
check "watch: a bad save prints its error" grep -q "doc.md:30:1: error: 重点目標 1 / 今年度の達成目標 1 / 達成度" "$TMP/watch/log"
check "watch: a bad save keeps the last good PDF" cmp -s "$TMP/watch/doc.pdf" "$TMP/watch/good.pdf"
sed -i 's/達成度: X/達成度: Ｃ/' "$TMP/watch/doc.md"
wait $watch_pid
check "watch: recovers on the next good save" test "$(pdftotext -raw "$TMP/watch/doc.pdf" - | grep -c '^Ｃ$')" -ge 1

# What changed: cells listed in the form's words; cells that merely moved
# are not flagged; the review PDF frames the changed cells.
sed 's/年4回開催し/年6回開催し/; s/^参加者数は目標を上回りました。/参加者数は目標を大きく上回りました。/' \
    tests/fixtures/result-edition.md >"$TMP/new.md"
bin/policygen diff tests/fixtures/result-edition.md "$TMP/new.md" -o "$TMP/review.pdf" >"$TMP/diff.txt" 2>"$TMP/err"
check "diff: exit 0" test $? -eq 0
check "diff: lists the changed target" grep -qx "変更  重点目標 1 / 今年度の達成目標 1 (重点目標シート)" "$TMP/diff.txt"
check "diff: lists the changed result" grep -qx "変更  重点目標 1 / 今年度の達成目標 1 / 達成状況 (重点目標シート)" "$TMP/diff.txt"
check "diff: lists the changed review" grep -qx "変更  重点目標 1 / 総合評価・総括 (重点目標シート)" "$TMP/diff.txt"
check "diff: nothing else" grep -qx "変わった欄: 3 件" "$TMP/diff.txt"
check "diff: writes a review PDF" test -s "$TMP/review.pdf"
check "diff: the review PDF frames cells in red" grep -qa "1 0 0 RG" <(qpdf --qdf --object-streams=disable "$TMP/review.pdf" - 2>/dev/null)
# A second target pushes everything below it down the sheet: those cells
# moved, but only the new target is listed.
awk '/^## 具体的取組 1/{print "## 今年度の達成目標 2"; print ""; print "新しい目標です。"; print ""} {print}' \
    tests/fixtures/result-edition.md >"$TMP/grown.md"
bin/policygen diff tests/fixtures/result-edition.md "$TMP/grown.md" >"$TMP/diff.txt" 2>"$TMP/err"
check "diff: an added target is listed" grep -qx "追加  重点目標 1 / 今年度の達成目標 2 (重点目標シート)" "$TMP/diff.txt"
check "diff: cells that only moved are not flagged" grep -qx "変わった欄: 1 件" "$TMP/diff.txt"
# Against a git revision: the committed version of a file is unchanged.
if git rev-parse --verify -q HEAD >/dev/null 2>&1 && git ls-files --error-unmatch content/2024/seisaku-suishin.md >/dev/null 2>&1; then
    bin/policygen diff content/2024/seisaku-suishin.md --rev HEAD >"$TMP/diff.txt" 2>"$TMP/err"
    check "diff --rev HEAD: runs" test $? -eq 0
fi

# The yearly book: the real department and a second, made-up one.
bin/policygen book content/2024/seisaku-suishin.md tests/fixtures/result-edition.md -o "$TMP/book.pdf" 2>"$TMP/err"
check "book: exit 0" test $? -eq 0 -a ! -s "$TMP/err"
check "book: cover + contents + 6 + 2 pages" test "$(pdfinfo "$TMP/book.pdf" | awk '/^Pages:/{print $2}')" = 10
pdftotext -layout -f 2 -l 2 "$TMP/book.pdf" "$TMP/toc.txt"
check "book: contents give each department's first page" \
    test -n "$(grep -E '政策推進部の運営方針 +3$' "$TMP/toc.txt")" -a -n "$(grep -E 'みらい創造部の運営方針 +9$' "$TMP/toc.txt")"
check "book: page numbers on every page" \
    test "$(for p in $(seq 1 10); do pdftotext -f "$p" -l "$p" "$TMP/book.pdf" - | grep -c -- "^- $p -$"; done | awk '{s += $1} END {print s}')" = 10
qpdf --json=2 --json-key=outlines "$TMP/book.pdf" >"$TMP/outline.json" 2>/dev/null
check "book: a bookmark per department" \
    test "$(grep -c '"title": "令和６年度 \(政策推進部\|みらい創造部\)の運営方針"' "$TMP/outline.json")" = 2
check "book: a bookmark per goal, under its department" \
    test "$(grep -c '"title": "重点目標 [0-9]' "$TMP/outline.json")" = 6
tests/check-pdf "$TMP/book.pdf" >"$TMP/err"
check "book: passes the publishing checks" test $? -eq 0
bin/policygen book content/2024/seisaku-suishin.md content/2020/seisaku-suishin.md -o "$TMP/mixed.pdf" 2>"$TMP/err"
check "book: refuses to bind two fiscal years" grep -q "冊子には 1 つの年度の原稿だけをまとめます" "$TMP/err"

# make renders every good document when another is broken, reports the
# broken one and fails at the end; make check shows every message at once.
MK="$TMP/mk"
mkdir -p "$MK/content/2024" "$MK/build" "$MK/bin"
for f in Makefile generator layouts fonts tests; do ln -s "$PWD/$f" "$MK/$f"; done
ln -s "$PWD/bin/policygen" "$MK/bin/policygen"
ln -s "$PWD/build/deps.ok" "$MK/build/deps.ok"
ln -s "$PWD/build/fonts.ok" "$MK/build/fonts.ok"
cp content/2024/seisaku-suishin.md "$MK/content/2024/a.md"
sed 's/^# 基本方針$/# 基本方針X/' content/2024/seisaku-suishin.md >"$MK/content/2024/b-broken.md"
cp content/2024/seisaku-suishin.md "$MK/content/2024/c.md"
make -C "$MK" --no-print-directory pdfs >"$TMP/mk.out" 2>&1
check "make with a broken document: fails at the end" test $? -ne 0
check "make with a broken document: the good ones before and after it are built" \
    test -s "$MK/out/2024/a.pdf" -a -s "$MK/out/2024/c.pdf" -a ! -e "$MK/out/2024/b-broken.pdf"
check "make with a broken document: says so" grep -q "誤りのある原稿があります" "$TMP/mk.out"
make -C "$MK" --no-print-directory check >"$TMP/mk.out" 2>&1
check "make check: fails, every message of every document" \
    test $? -ne 0 -a -n "$(grep 'b-broken.md:[0-9]*:[0-9]*: error' "$TMP/mk.out")"
rm "$MK/content/2024/b-broken.md"
make -C "$MK" --no-print-directory check >"$TMP/mk.out" 2>&1
check "make check: all good" grep -q "check: 2 件の原稿に誤りはありません" "$TMP/mk.out"
# A name make cannot take as a target (a space): named, the others built.
cp content/2024/seisaku-suishin.md "$MK/content/2024/d e.md"
cp content/2024/seisaku-suishin.md "$MK/content/2024/f(1).md"
cp content/2024/seisaku-suishin.md "$MK/content/2024/部署.md"
rm -f "$MK/out/2024/a.pdf"
make -C "$MK" --no-print-directory pdfs >"$TMP/mk.out" 2>&1
check "make with a space in a document's name: fails at the end, the others built" test $? -ne 0 -a -s "$MK/out/2024/a.pdf"
check "make with a space in a document's name: names the file" \
    grep -q "^content/2024/d e.md: error: この名前のファイルは make では扱えません" "$TMP/mk.out"
check "make with a parenthesis in a document's name: names the file" \
    grep -q "^content/2024/f(1).md: error: この名前のファイルは make では扱えません" "$TMP/mk.out"
check "make: a Japanese document name is built" test -s "$MK/out/2024/部署.pdf"
make -C "$MK" --no-print-directory check >"$TMP/mk.out" 2>&1
check "make check with a space in a document's name: fails, naming it" test $? -ne 0 -a -n "$(grep '^content/2024/d e.md: error' "$TMP/mk.out")"
rm "$MK/content/2024/d e.md" "$MK/content/2024/f(1).md" "$MK/content/2024/部署.md" "$MK/out/2024/部署.pdf"

# make publish: a note (text set smaller to fit) is shown and passes; a
# warning (a character from the fallback font) fails it.
awk '/^# 基本方針$/ { f = 1 } f && /^[^#-]/ && NF { $0 = $0 $0 $0; f = 0 } 1' content/2024/seisaku-suishin.md >"$MK/content/2024/c.md"
make -C "$MK" --no-print-directory publish >"$TMP/mk.out" 2>&1
check "make publish: passes with a note, and shows it" \
    test $? -eq 0 -a -n "$(grep 'c.md:[0-9]*:[0-9]*: note: 基本方針: 欄に入らないので' "$TMP/mk.out")"
sed 's/^# 基本方針$/# 基本方針\n\n𠮷田さんの提案です。/' content/2024/seisaku-suishin.md >"$MK/content/2024/c.md"
make -C "$MK" --no-print-directory publish >"$TMP/mk.out" 2>&1
check "make publish: fails on a warning, naming it" \
    test $? -ne 0 -a -n "$(grep 'c.md:[0-9]*:[0-9]*: warning: .*IPAmj明朝' "$TMP/mk.out")" -a -n "$(grep 'publish: content/2024/c.md failed' "$TMP/mk.out")"
cp content/2024/seisaku-suishin.md "$MK/content/2024/c.md"

# Each command has its own short help; build without -o says where the PDF went;
# a folder given as a document is named as one.
bin/policygen help build >"$TMP/h" 2>&1
check "help build: exit 0, build's own short help" test $? -eq 0 -a "$(wc -l <"$TMP/h")" -lt 8 -a -n "$(grep 'policygen build 原稿.md' "$TMP/h")"
check "build --help: the same as help build" cmp -s "$TMP/h" <(bin/policygen build --help)
check "diff --help: diff's help, not the 50-line one" test "$(bin/policygen diff --help | wc -l)" -lt 8
bin/policygen help frobnicate >/dev/null 2>&1
check "help of an unknown command: exit 2" test $? -eq 2
mkdir -p "$TMP/noout/content/2024"
cp content/2024/seisaku-suishin.md "$TMP/noout/content/2024/x.md"
(cd "$TMP/noout" && "$OLDPWD/bin/policygen" build content/2024/x.md --layouts "$OLDPWD/layouts" --fonts "$OLDPWD/fonts/fonts.yaml") 2>"$TMP/err"
check "build without -o: says where the PDF went" grep -q "out/2024/x.pdf を作りました" "$TMP/err"
bin/policygen check content/2024 2>"$TMP/err"
check "check of a folder: says it is a folder and what to give" grep -q "フォルダです。中のファイルを指定してください" "$TMP/err"

# Watch a whole content/ folder: its year folders are watched too.
mkdir -p "$TMP/wc/content/2024"
cp tests/fixtures/result-edition.md "$TMP/wc/content/2024/a.md"
root=$PWD
(cd "$TMP/wc" && POLICYGEN_WATCH_MAX_BUILDS=2 timeout 30 "$root/bin/policygen" watch content \
    --layouts "$root/layouts" --fonts "$root/fonts/fonts.yaml" 2>"$TMP/wc/log") &
wc_pid=$!
wait_for '[ -s "$TMP/wc/out/2024/a.pdf" ]'
check "watch content/: renders content/2024/a.md to out/2024/a.pdf" test -s "$TMP/wc/out/2024/a.pdf"
sed -i 's/年4回開催/年7回開催/' "$TMP/wc/content/2024/a.md"
wait $wc_pid
check "watch content/: a save in a year folder re-renders" \
    test -n "$(pdftotext "$TMP/wc/out/2024/a.pdf" - 2>/dev/null | grep 年7回開催)"

# Watch a year folder given with a trailing slash: no "//" in its messages;
# a deleted document is said to be gone (its PDF stays).
mkdir -p "$TMP/wd/content/2024"
cp tests/fixtures/result-edition.md "$TMP/wd/content/2024/a.md"
(cd "$TMP/wd" && POLICYGEN_WATCH_MAX_BUILDS=2 timeout 30 "$root/bin/policygen" watch content/2024/ \
    --layouts "$root/layouts" --fonts "$root/fonts/fonts.yaml" 2>"$TMP/wd/log") &
wd_pid=$!
wait_for '[ -s "$TMP/wd/out/2024/a.pdf" ]'
rm "$TMP/wd/content/2024/a.md"
wait_for 'grep -q "は消されました" "$TMP/wd/log"'
check "watch: a deleted document is said to be gone, its PDF kept" \
    test -n "$(grep 'content/2024/a.md は消されました。out/2024/a.pdf はそのまま残っています' "$TMP/wd/log")" -a -s "$TMP/wd/out/2024/a.pdf"
check "watch content/2024/: no double slash in its messages" test -z "$(grep -F '//' "$TMP/wd/log")"
cp tests/fixtures/result-edition.md "$TMP/wd/content/2024/b.md"
wait $wd_pid

# A draft never looks finished: next marks it, every page says 「案」 (an
# artifact, not content), publishing (--final) and the book refuse it.
bin/policygen next content/2024/seisaku-suishin.md -o "$TMP/draft/next.md" 2>/dev/null
check "next: writes status: draft" grep -qx "status: draft" "$TMP/draft/next.md"
bin/policygen build "$TMP/draft/next.md" -o "$TMP/draft/next.pdf" 2>"$TMP/err"
check "a draft builds" test $? -eq 0
check "a draft: 「案」 on every page" test "$(pdftotext -raw "$TMP/draft/next.pdf" - | grep -c '^案$')" -eq "$(pdfinfo "$TMP/draft/next.pdf" | awk '/^Pages:/{print $2}')"
check "a draft: 「案」 is not content (not in the structure tree)" test -z "$(pdfinfo -struct-text "$TMP/draft/next.pdf" | grep -F '"案"')"
bin/policygen build "$TMP/draft/next.md" -o "$TMP/draft/final.pdf" --final 2>"$TMP/err"
check "build --final: refuses a draft, at its status line" test $? -eq 1 -a ! -e "$TMP/draft/final.pdf" -a -n "$(grep 'next.md:[0-9]*:[0-9]*: error: この原稿は案です' "$TMP/err")"
bin/policygen book content/2024/seisaku-suishin.md "$TMP/draft/next.md" -o "$TMP/draft/book.pdf" 2>"$TMP/err"
check "book: refuses a draft" test $? -eq 1 -a -n "$(grep 'この原稿は案です' "$TMP/err")"
# Across a change of form (an r2 document whose next year is r6): refused, never a broken draft.
sed 's/^fiscal_year: 2020/fiscal_year: 2023/' content/2020/seisaku-suishin.md >"$TMP/draft/r2023.md"
bin/policygen next "$TMP/draft/r2023.md" -o "$TMP/draft/r2024.md" 2>"$TMP/err"
check "next across a change of form: exit 1, nothing written" test $? -eq 1 -a ! -e "$TMP/draft/r2024.md"
check "next across a change of form: says the form changes and what to do" grep -q "来年度は様式が \`houshin-r6\` に変わるので、この原稿からは作れません" "$TMP/err"

# Command-line slips: each named, with what to do.
bin/policygen help nosuch >"$TMP/h" 2>&1
check "help of an unknown command: says so, exit 2" test $? -eq 2 -a -n "$(grep "知らないコマンドです: 'nosuch'" "$TMP/h")"
bin/policygen build content/2024/seisaku-suishin.md content/2020/seisaku-suishin.md -o "$TMP/two.pdf" >"$TMP/h" 2>&1
check "build of 2 documents with -o X.pdf: refused, asks for a folder" \
    test $? -eq 2 -a ! -e "$TMP/two.pdf" -a -n "$(grep '原稿が 2 つあります。複数の原稿には出力先のフォルダを' "$TMP/h")"
bin/policygen build content/2024/seisaku-suishin.md ./content/2024/seisaku-suishin.md -o "$TMP/same" >"$TMP/h" 2>&1
check "build of one document twice: names both" grep -qF "content/2024/seisaku-suishin.md と ./content/2024/seisaku-suishin.md の出力先が同じ" "$TMP/h"
: >"$TMP/afile"
bin/policygen build content/2024/seisaku-suishin.md content/2020/seisaku-suishin.md -o "$TMP/afile" >"$TMP/h" 2>&1
check "build into a folder that is a file: says so" grep -qF "出力先のフォルダ $TMP/afile はフォルダではなくファイルです" "$TMP/h"
mkdir -p "$TMP/odir"
bin/policygen build content/2024/seisaku-suishin.md -o "$TMP/odir" >"$TMP/h" 2>&1
check "build of one document with -o FOLDER: says it is a folder, and what to use" \
    grep -qF "出力先はフォルダです。-o には PDF のファイル名を指定します（フォルダの下に作るなら --outdir フォルダ" "$TMP/h"
