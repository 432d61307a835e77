# Rows grow before text shrinks (tests/fixtures/layouts/grow-test.yaml):
# a growing row takes the height its text needs at the form's size, from a
# `rest` row down to its min_height or from the room left at the bottom of
# the page; text that still does not fit is shrunk with a note; text that
# fits at no size is an error. Sourced by tests/run.

GT=tests/fixtures/layouts
grow_doc() { # grow_doc FILE CHARS... : items of so many characters each (and 付記 after --)
    local f=$1; shift
    { printf -- '---\nlayout: grow-test\n---\n'
      local kind=項目 i=0
      for n in "$@"; do
          if [ "$n" = -- ]; then kind=付記; i=0; continue; fi
          i=$((i + 1)); printf '# %s %d\n\n' "$kind" "$i"
          yes あいうえおかきくけこ | head -n $((n / 10)) | tr -d '\n'; printf '\n\n'
      done; } >"$f"
}
# The top (pt from the page's top) of a word on page P.
word_top() { pdftotext -f "$2" -l "$2" -bbox "$1" - | awk -v w="$3" -F'"' 'index($0, ">" w "<") {print int($4 + 0.5); exit}'; }

grow_doc "$TMP/grow.md" 50 270 1600 -- 50 300
bin/policygen build "$TMP/grow.md" -o "$TMP/grow.pdf" --layouts $GT 2>"$TMP/grow.err"
check "grow: builds (a note is no failure)" test $? -eq 0 -a -s "$TMP/grow.pdf"
# 項目 1: fits in 20 mm: the rest row starts at 10 + 20 mm (85 pt) + 1 mm padding.
check "grow: text that fits leaves the rows as the layout has them" test "$(word_top "$TMP/grow.pdf" 1 評価欄)" = 88
# 項目 2: 10 lines at 10 pt need 53.2 mm: the row grows, the rest row moves down.
check "grow: a row grows to hold its text at the form's size" test "$(word_top "$TMP/grow.pdf" 2 評価欄)" = 182
check "grow: the row below the rest row stays where it was" \
    test "$(word_top "$TMP/grow.pdf" 2 末尾の欄)" = "$(word_top "$TMP/grow.pdf" 1 末尾の欄)"
check "grow: no note when the grown row holds the text" test -z "$(grep '項目 2' "$TMP/grow.err")"
# 項目 3: more than the page can give: the rest row gives up down to its
# 50 mm (starts at 10 + 20 + 187 mm = 615 pt), and the text is shrunk.
check "grow: a rest row gives up its height down to min_height" test "$(word_top "$TMP/grow.pdf" 3 評価欄)" = 618
check "grow: then text shrinks, with a note naming the cell and the size" grep -qF \
    "grow.md:14:1: note: 項目 3 / 本文: 欄に入らないので、文字を様式の 10.0 pt から 8.0 pt に小さくしました" "$TMP/grow.err"
check "grow: one message in all" test "$(wc -l <"$TMP/grow.err")" = 1
# 付記: two items share a page with no rest row: 付記 1 keeps its rows,
# 付記 2 grows into the room left at the bottom of the page.
check "grow: an item on a shared page grows into the page's free room" \
    test "$(word_top "$TMP/grow.pdf" 4 付記1の末尾)" = 88 -a "$(word_top "$TMP/grow.pdf" 4 付記2の末尾)" = 297

# The order: grow, then shrink, then an error when no size fits.
grow_doc "$TMP/grow2.md" 4000 -- 1000
bin/policygen-asan build "$TMP/grow2.md" -o "$TMP/grow2.pdf" --layouts $GT 2>"$TMP/grow2.err"
check "grow: text that fits at no size is still an error" test $? -eq 1 -a ! -e "$TMP/grow2.pdf"
check "grow: the error says how many lines the grown row holds" grep -qF \
    "項目 1 / 本文: 7.0 pt まで小さくしても欄に入りません: 103 行あり、入るのは 55 行です" "$TMP/grow2.err"
check "grow: max_height bounds the growth (then the text shrinks)" grep -qF \
    "付記 1 / 本文: 欄に入らないので、文字を様式の 10.0 pt から 7.5 pt に小さくしました" "$TMP/grow2.err"

# The official form: a sheet with one 達成目標 and one 具体的取組 and a long
# 具体的取組 (six times goal 3's) keeps 10 pt; the 総合評価・総括 box gives way.
awk 'f && NF { $0 = $0 $0 $0 $0 $0 $0; f = 0 } /^## 具体的取組 1$/ && ++n == 3 { f = 1 } 1' \
    content/2024/seisaku-suishin.md >"$TMP/long-action.md"
bin/policygen build "$TMP/long-action.md" -o "$TMP/long-action.pdf" 2>"$TMP/long-action.err"
check "grow: FY2024 with a long 具体的取組 builds without a note" test $? -eq 0 -a ! -s "$TMP/long-action.err"
check "grow: the long 具体的取組 is printed whole" test "$(pdftotext -f 4 -l 4 "$TMP/long-action.pdf" - | tr -d '\n' | grep -o 'ハラスメント防止' | wc -l)" = 6
top_review() { word_top "$1" 4 総合評価・総括; }
bin/policygen build content/2024/seisaku-suishin.md -o "$TMP/grow-fy2024.pdf" 2>/dev/null
check "grow: 総合評価・総括 moved down to make room" \
    test "$(top_review "$TMP/long-action.pdf")" -gt "$(top_review "$TMP/grow-fy2024.pdf")"

# A row that gives keeps what its own text needs: on an r6 sheet with one
# 達成目標 and one 具体的取組, a long 具体的取組 and a long 総合評価・総括
# (a result edition) share the page; neither fails, the 具体的取組 shrinks.
awk 'f && NF { $0 = $0 $0 $0 $0 $0 $0 $0 $0 $0 $0; f = 0 } /^## 具体的取組 1$/ && ++n == 3 { f = 1 } 1' \
    content/2024/seisaku-suishin.md >"$TMP/long-both.md"
review=$(yes '今年度は研修を計画どおり実施し、職員の能力向上に一定の成果がありました。' | head -n 14 | tr -d '\n')
awk -v r="$review" '/^# 重点目標 4/ && !done { print "## 総合評価・総括\n\n" r "\n\n- 全体の達成度: Ｂ\n"; done = 1 } 1' \
    "$TMP/long-both.md" >"$TMP/long-both2.md"
bin/policygen build "$TMP/long-both2.md" -o "$TMP/long-both.pdf" 2>"$TMP/long-both.err"
check "grow: a giving row's own text keeps its room, the growing row shrinks instead" \
    test $? -eq 0 -a -n "$(grep '具体的取組 1: 欄に入らないので' "$TMP/long-both.err")" -a -z "$(grep '総合評価' "$TMP/long-both.err")"

# Layout mistakes about growing rows, each at the layout's line.
mkdir -p "$TMP/gl"
for case in "min_height: 50|grow: true|it cannot also grow" \
            "grow: true|max_height: 30|add \`grow: true\`" \
            "grow: true|min_height: 40|min_height is 40 mm; it must lie from 1 to 20" \
            "grow: true|grow: true, min_height: 5|not both" \
            "min_height: 50|min_height: 0|min_height is a height in mm, at least 1"; do
    IFS='|' read -r from to want <<<"$case"
    # the first row that has `from` gets `to` instead (a flow mapping's keys
    # written as block keys: "a: 1, b: 2" becomes two lines)
    awk -v f="        $from" -v t="$to" '$0 == f && !done { n = split(t, kv, ", "); for (i = 1; i <= n; i++) print "        " kv[i]; done = 1; next } 1' \
        $GT/grow-test.yaml >"$TMP/gl/grow-test.yaml"
    bin/policygen check "$TMP/grow.md" --layouts "$TMP/gl" >"$TMP/gl.err" 2>&1
    check "grow: layout error for '$to' in place of '$from'" grep -qF -- "$want" "$TMP/gl.err"
done
# A row under a cell that spans rows cannot give up its height (the
# spanning cell is measured by no row).
sed 's/{x: 100, w: 90, text: 右の欄}/{x: 100, w: 90, text: 右の欄, rowspan: 2}/' $GT/grow-test.yaml >"$TMP/gl/grow-test.yaml"
bin/policygen check "$TMP/grow.md" --layouts "$TMP/gl" >"$TMP/gl.err" 2>&1
check "grow: min_height under a spanning cell is a layout error at the row" \
    grep -qE "grow-test.yaml:[0-9]+:[0-9]+: error: a row under a cell that spans rows \(rowspan, line [0-9]+\) cannot give up its height" "$TMP/gl.err"
