# Characters beyond the everyday set (issue 11): above U+FFFF, variation
# sequences, the fallback font (IPAmj明朝), in a name (front matter), a
# title (heading), a body and a field; the text layer (pdftotext, pdf.js),
# the fonts, rendering (a variant glyph is not its base glyph), the
# messages, and pasted word-processor characters. Sourced by tests/run.

CH="$TMP/chars"
mkdir -p "$CH"
SRC=content/2024/seisaku-suishin.md
# VS17 (U+E0100) and VS20 (U+E0103) as UTF-8, for the fixtures.
VS17=$(printf '\xf3\xa0\x84\x80')
VS20=$(printf '\xf3\xa0\x84\x83')
# 葛+VS17: BIZ UD has it; 葛+VS20: only IPAmj明朝; あ+VS17: no font.
KUZU1="葛$VS17"
KUZU4="葛$VS20"
# name: 𠮷 (fallback, listed in fallback_chars), 葛󠄀 (variant in BIZ UD);
# title: 𩸽; body: 𠮟 𠮷 葛󠄃 葛󠄀 あ󠄀; field: 𩸽 葛󠄃.
sed -e "s/^  name: 市川　信行/  name: 𠮷田　${KUZU1}城\nfallback_chars: 𠮷/" \
    -e "1,/^# 重点目標 1 /s/^# 重点目標 1 シティプロモーション/# 重点目標 1 𩸽のシティプロモーション/" \
    -e "s/^昨年度リニューアルした/𠮟る𠮷野と${KUZU4}飾と${KUZU1}城とあ${VS17}の昨年度リニューアルした/" \
    -e "0,/^- 所管室・課: 秘書広報課/s/^- 所管室・課: 秘書広報課/- 所管室・課: 𩸽${KUZU4}課/" \
    "$SRC" >"$CH/names.md"

bin/policygen build "$CH/names.md" -o "$CH/names.pdf" 2>"$CH/err"
status=$? # the command's, before the $(...) of the message runs
check "characters: builds (exit 0; $(head -c 300 "$CH/err"))" test "$status" -eq 0 -a -s "$CH/names.pdf"
bin/policygen-asan build "$CH/names.md" -o "$CH/asan.pdf" 2>"$CH/asan.err"
check "characters: ASan/UBSan build, same bytes" cmp -s "$CH/names.pdf" "$CH/asan.pdf"
bin/policygen build "$CH/names.md" -o "$CH/again.pdf" 2>/dev/null
check "characters: reproducible" cmp -s "$CH/names.pdf" "$CH/again.pdf"

# Messages: 葛󠄃 from the fallback (once per cell: the body and the field),
# あ󠄀 printed as あ; 𠮷 is expected (fallback_chars), 𩸽 𠮟 葛󠄀 are BIZ UD's.
said_c() { grep -qF -- "$1" "$CH/err"; }
check "characters: fallback warning names the sequence, its U+ codes and the cell" \
    said_c "warning: 重点目標 1 / 具体的取組 1: \`葛\` (U+845B U+E0103) はフォント \`mincho\`（BIZ UD明朝）にないので、代わりのフォント IPAmj明朝 の字形で"
check "characters: fallback warning in the field's cell too" \
    grep -qE "warning: 重点目標 1 / 具体的取組 1 / 所管[^:]*: \`葛\` \(U\+845B U\+E0103\)" "$CH/err"
check "characters: a sequence no font shows: warning, base printed" \
    said_c "異体字 \`あ\` (U+3042 U+E0100) を表せるフォントがないので"
check "characters: no warning for 𠮷 (fallback_chars), 𩸽, 𠮟" \
    test "$(grep -cE 'U\+20BB7|U\+29E3D|U\+20B9F' "$CH/err")" -eq 0
check "characters: 3 warnings in all ($(wc -l <"$CH/err"))" test "$(grep -c ': warning: ' "$CH/err")" -eq 3
check "characters: messages never print a selector raw" test "$(grep -c "$VS17\|$VS20" "$CH/err")" -eq 0

# The text layer: exactly the source's code points, sequences included.
pdftotext "$CH/names.pdf" "$CH/text.txt" 2>"$CH/poppler.err"
check "characters: pdftotext without warnings" test ! -s "$CH/poppler.err"
for s in "𠮷田　${KUZU1}城" "𩸽のシティプロモーション" "𠮟る𠮷野と${KUZU4}飾と${KUZU1}城とあ${VS17}の" "𩸽${KUZU4}課"; do
    check "characters: pdftotext gives back \"$s\" ($(printf %s "$s" | od -An -tx1 | tr -d ' \n' | head -c 60))" \
        grep -qF -- "$s" "$CH/text.txt"
done
if [ -d tests/pdf/node_modules ]; then
    node tests/pdf/readorder.mjs "$CH/names.pdf" >"$CH/pdfjs.txt" 2>"$CH/pdfjs.err"
    tr -d ' ' <"$CH/pdfjs.txt" >"$CH/pdfjs-nospace.txt"
    for s in "𩸽のシティプロモーション" "𠮟る𠮷野と"; do
        check "characters: pdf.js gives back \"$s\"" grep -qF -- "$s" "$CH/pdfjs.txt"
    done
    # pdf.js counts a glyph whose text holds a mark (a selector is Mn) as
    # zero-width and would add a space after it: the selectors ride on an
    # empty glyph of their own (subset.h), so the text comes back exact
    # (but that pdf.js writes every space, U+3000 too, as U+0020).
    for s in "${KUZU4}飾と${KUZU1}城とあ${VS17}の" "𩸽${KUZU4}課" "𠮷田 ${KUZU1}城"; do
        check "characters: pdf.js gives back \"$s\" exactly" grep -qF -- "$s" "$CH/pdfjs.txt"
    done
fi

# Fonts: BIZ UD and IPAmj明朝, all embedded, subset, with ToUnicode; the
# PDF stays PDF/A-2u and PDF/UA-1.
pdffonts "$CH/names.pdf" >"$CH/fonts.txt" 2>&1
check "characters: IPAmj明朝 embedded as a subset" grep -qE '^[A-Z]{6}\+IPAmjMincho +CID TrueType +Identity-H +yes +yes +yes' "$CH/fonts.txt"
check "characters: every font embedded, subset, unicode" \
    test "$(awk 'NR>2 && !($(NF-4)=="yes" && $(NF-3)=="yes" && $(NF-2)=="yes")' "$CH/fonts.txt" | wc -l)" -eq 0
tests/check-conformance "$CH/names.pdf" >"$CH/conf.txt" 2>&1
status=$? # the command's, before the $(...) of the message runs
check "characters: PDF/A-2u and PDF/UA-1 rules pass ($(head -c 300 "$CH/conf.txt"))" test "$status" -eq 0
qpdf --check "$CH/names.pdf" >/dev/null 2>&1
check "characters: qpdf --check" test $? -eq 0
bin/policygen build "$SRC" -o "$CH/plain.pdf" 2>/dev/null
check "characters: a document needing no fallback embeds no IPAmj明朝" test "$(pdffonts "$CH/plain.pdf" | grep -c IPAmj)" -eq 0

# Rendering: the variant glyph is not the base glyph. Two documents that
# differ in one character of one cell; their first pages rendered must
# differ (and one rendered twice must not).
glyph_doc() { sed -e "s/^政策推進部は、市の政策/政策推進部は、$1の政策/" "$SRC" >"$CH/g-$2.md"
              bin/policygen build "$CH/g-$2.md" -o "$CH/g-$2.pdf" 2>/dev/null
              pdftoppm -r 72 -gray -f 1 -l 1 -x 0 -y 120 -W 595 -H 120 "$CH/g-$2.pdf" >"$CH/g-$2.pgm"; }
glyph_doc "葛" base
glyph_doc "葛" base2
glyph_doc "$KUZU1" vs17
glyph_doc "$KUZU4" vs20
glyph_doc "吉" kichi
glyph_doc "𠮷" tsuchiyoshi
check "characters: rendering is stable" cmp -s "$CH/g-base.pgm" "$CH/g-base2.pgm"
check "characters: 葛󠄀 (VS17, BIZ UD's variant) renders unlike 葛" test -s "$CH/g-vs17.pgm" -a -n "$(cmp "$CH/g-base.pgm" "$CH/g-vs17.pgm" 2>&1)"
check "characters: 葛󠄃 (VS20, IPAmj明朝's) renders unlike 葛 and unlike 葛󠄀" \
    test -n "$(cmp "$CH/g-base.pgm" "$CH/g-vs20.pgm" 2>&1)" -a -n "$(cmp "$CH/g-vs17.pgm" "$CH/g-vs20.pgm" 2>&1)"
check "characters: 𠮷 renders unlike 吉" test -n "$(cmp "$CH/g-kichi.pgm" "$CH/g-tsuchiyoshi.pgm" 2>&1)"
# ... and only where the glyph is: the rest of the page is the same.
cmp -l "$CH/g-base.pgm" "$CH/g-vs17.pgm" 2>/dev/null | wc -l >"$CH/ndiff"
check "characters: the variant changes a glyph's worth of pixels ($(cat "$CH/ndiff"))" \
    test "$(cat "$CH/ndiff")" -gt 5 -a "$(cat "$CH/ndiff")" -lt 400

# Pasted word-processor text: a warning each, at file:line:col, with the
# U+ code and what to write instead; nothing invisible printed raw.
NBSP=$(printf '\xc2\xa0'); ZWSP=$(printf '\xe2\x80\x8b'); SHY=$(printf '\xc2\xad'); TAB=$(printf '\t')
sed -e "s/^政策推進部は、市の政策/政策推進部は、市${NBSP}の${ZWSP}政${SHY}策${TAB}を“と”‘と’ｶﾀｶﾅの政策/" "$SRC" >"$CH/pasted.md"
line=$(grep -n '^政策推進部は、' "$CH/pasted.md" | cut -d: -f1)
bin/policygen build "$CH/pasted.md" -o "$CH/pasted.pdf" 2>"$CH/perr"
check "pasted: still builds (warnings only)" test $? -eq 0 -a -s "$CH/pasted.pdf"
for w in "$line:9: warning: ノーブレークスペース (U+00A0)" "$line:11: warning: 幅のない見えない文字 (U+200B)" \
         "$line:13: warning: ソフトハイフン (U+00AD)" "$line:15: warning: 段落の中にタブ (U+0009)" \
         "$line:17: warning: かぎ括弧ではない引用符 \`“\` (U+201C) があります。この様式では \`「\`" \
         "$line:19: warning: かぎ括弧ではない引用符 \`”\` (U+201D) があります。この様式では \`」\`" \
         "$line:20: warning: かぎ括弧ではない引用符 \`‘\` (U+2018) があります。この様式では \`『\`" \
         "$line:22: warning: かぎ括弧ではない引用符 \`’\` (U+2019) があります。この様式では \`』\`" \
         "$line:23: warning: 半角カタカナ \`ｶﾀｶﾅ\` があります。全角の \`カタカナ\` で書いてください"; do
    check "pasted: $CH/pasted.md:$w" grep -qF -- "pasted.md:$w" "$CH/perr"
done
check "pasted: no invisible character printed raw in a message" \
    test "$(grep -c "$NBSP\|$ZWSP\|$SHY\|$TAB" "$CH/perr")" -eq 0
pdftotext "$CH/pasted.pdf" - 2>/dev/null | grep -F '政策推進部は、' >"$CH/ptext"
check "pasted: zero-width and soft hyphen not printed, the tab a space" grep -qF "の政策 を“と”" "$CH/ptext"

# Slips found by trying it as a writer would (round two).
SEL=$(printf '\xf3\xa0\x84\x80') # U+E0100
ZW=$(printf '\xe2\x80\x8b')
sed "s/^政策推進部は、市の政策/葛${SEL}${SEL}と市の政策/" "$SRC" >"$CH/double.md"
bin/policygen check "$CH/double.md" >"$CH/double.err" 2>&1
check "characters: a doubled selector is one error naming the sequence, not a damaged font" \
    test -n "$(grep -F '`葛` (U+845B U+E0100 U+E0100): 異体字セレクタは 1 字に 1 つまでです' "$CH/double.err")" \
    -a -z "$(grep -F '壊れています' "$CH/double.err")"
# fallback_chars as a YAML list; a typo of the key gets a suggestion.
awk 'NR == 2 { print "fallback_chars:\n  - 𠮷\nfalback_chars: x" } 1' "$SRC" |
    sed 's/^政策推進部は、市の政策/𠮷田と市の政策/' >"$CH/fblist.md"
bin/policygen check "$CH/fblist.md" >"$CH/fblist.err" 2>&1
check "characters: fallback_chars as a list silences the warning" test -z "$(grep -F 'IPAmj' "$CH/fblist.err")"
check "characters: a typo of fallback_chars is told the key" grep -qF '`falback_chars` は様式で使われていません。`fallback_chars` のまちがい' "$CH/fblist.err"
# Invisible characters are never printed raw, whatever the message quotes.
sed "s/^## 今年度の達成目標 1\$/## 今年度の${ZW}達成目標 1/" "$SRC" >"$CH/zwhead.md"
bin/policygen check "$CH/zwhead.md" >"$CH/zwhead.err" 2>&1
check "characters: a heading with U+200B is quoted with <U+200B>" grep -qF '見出し `今年度の<U+200B>達成目標 1` は様式にありません' "$CH/zwhead.err"
check "characters: no message has U+200B raw" test "$(grep -c "$ZW" "$CH/zwhead.err")" -eq 0
# A body of invisible characters only is no body; a run of them is one warning.
awk -v zw="$ZW$ZW$ZW" 'skip && /^# / { skip = 0 } skip { next } /^# 基本方針$/ { print; print ""; print zw; print ""; skip = 1; next } 1' \
    "$SRC" >"$CH/zwbody.md"
bin/policygen check "$CH/zwbody.md" >"$CH/zwbody.err" 2>&1
check "characters: a body of zero-width characters is a missing body" grep -qF 'error: 基本方針に文章がありません' "$CH/zwbody.err"
check "characters: a run of zero-width characters is one warning" grep -qF '(U+200B) があります。印刷されないので消してください（3 個続いています）' "$CH/zwbody.err"
# Half-width katakana with its voicing mark: the composed full-width kana.
sed 's/^政策推進部は、市の政策/ｶﾞｲﾄﾞﾌﾞｯｸと市の政策/' "$SRC" >"$CH/hw.md"
bin/policygen check "$CH/hw.md" >"$CH/hw.err" 2>&1
check "characters: ｶﾞｲﾄﾞﾌﾞｯｸ is told ガイドブック, in one warning" \
    test "$(grep -cF '半角カタカナ `ｶﾞｲﾄﾞﾌﾞｯｸ` があります。全角の `ガイドブック` で書いてください' "$CH/hw.err")" -eq 1
# One document's many warnings never hide another's error (limits per file).
awk 'NR == 2 { for (k = 1; k <= 230; k++) print "unknown" k ": x" } 1' "$SRC" >"$CH/many.md"
sed 's/^# 基本方針$/# 基本方針X/' "$SRC" >"$CH/zbroken.md"
bin/policygen check "$CH/many.md" "$CH/zbroken.md" >"$CH/many.err" 2>&1
check "characters: a batch's error is shown however many warnings another document has" \
    test "$(grep -c 'many.md.*warning' "$CH/many.err")" -eq 200 -a -n "$(grep "zbroken.md:[0-9]*:[0-9]*: error" "$CH/many.err")"
# A layout's quotes are two or four printable marks.
mkdir -p "$CH/lq"
for q in 5 '「」『' "「${SEL}」『』"; do
    sed "s/^quotes:.*/quotes: '$q'/" layouts/houshin-r6.yaml >"$CH/lq/houshin-r6.yaml"
    bin/policygen check "$SRC" --layouts "$CH/lq" >"$CH/lq.err" 2>&1
    check "characters: layout quotes '$q' refused at its line" grep -qE "houshin-r6.yaml:[0-9]+:[0-9]+: error: quotes are the form's quotation marks" "$CH/lq.err"
done
# A selector after a space is stray, as at the start; a value printed in
# several cells (the department) is told of once, at its place.
awk -v sel="$SEL" 'NR > 1 && /^department:/ && !done { sub(/: /, ": " sel); done = 1 } 1' "$SRC" >"$CH/seldept.md"
bin/policygen check "$CH/seldept.md" >"$CH/seldept.err" 2>&1
check "characters: a selector at the start of the department: one error at its line and column" \
    test "$(grep -c 'error: .*(U+E0100) は前の文字に付く異体字セレクタか結合文字ですが、前に文字がありません' "$CH/seldept.err")" -eq 1 -a \
    -n "$(grep -E "seldept.md:$(grep -n '^department:' "$CH/seldept.md" | cut -d: -f1):13: error" "$CH/seldept.err")"
