# PDF/A-2u (ISO 19005-2) and PDF/UA-1 (ISO 14289-1), the part that is not
# the structure tree: every kind of PDF the project makes (a department, the
# book, a review, one dated by SOURCE_DATE_EPOCH) goes through
# tests/check-conformance, one check per rule (the ids are the veraPDF tests
# in ../shared/reference/verapdf/: "6.1.2-1" of PDFA-2U.xml, "UA 5-1" of
# PDFUA-1.xml), and the main points again through other readers: poppler,
# libxml2 (xmllint), fontTools (ttx), qpdf. Sourced by tests/run.

C="$TMP/conform"
mkdir -p "$C"
bin/policygen build content/2024/seisaku-suishin.md -o "$C/dept.pdf" 2>/dev/null
bin/policygen build content/2024/seisaku-suishin.md -o "$C/again.pdf" 2>/dev/null
bin/policygen build content/2020/seisaku-suishin.md -o "$C/dept2020.pdf" 2>/dev/null
bin/policygen book content/2024/seisaku-suishin.md tests/fixtures/result-edition.md -o "$C/book.pdf" 2>/dev/null
bin/policygen diff tests/fixtures/result-edition.md content/2024/seisaku-suishin.md -o "$C/review.pdf" >/dev/null 2>&1
SOURCE_DATE_EPOCH=1712016000 bin/policygen build content/2024/seisaku-suishin.md -o "$C/dated.pdf" 2>/dev/null

for kind in dept book review dated; do
    pdf="$C/$kind.pdf"
    [ -s "$pdf" ] || { fail "conformance: no $kind PDF written"; continue; }
    n=0
    while IFS=$'\t' read -r status rule what detail; do
        n=$((n + 1))
        check "$kind: $rule: $what${detail:+ ($detail)}" test "$status" = ok
    done < <(tests/check-conformance --report --manifest fonts/fonts.yaml "$pdf")
    check "$kind: tests/check-conformance ran its rules ($n)" test "$n" -ge 50
done

# The same points through other readers, on the department and the dated PDF.
pdf="$C/dept.pdf"
catalog=$(qpdf --show-object=1 "$pdf" 2>/dev/null)
xmp_obj=$(printf '%s' "$catalog" | grep -o '/Metadata [0-9]*' | cut -d' ' -f2)
check "6.6.2.1-1 / UA 7.1-8: pdfinfo says Metadata Stream: yes" \
    grep -q '^Metadata Stream: *yes' <(pdfinfo "$pdf" 2>/dev/null)
qpdf --show-object="$xmp_obj" --raw-stream-data "$pdf" >"$C/xmp.xml" 2>/dev/null
check "6.6.2.1-4: the XMP is well-formed XML (xmllint --noout)" xmllint --noout "$C/xmp.xml"
check "ISO 19005-2 6.6.2.1: the XMP stream is stored unfiltered" \
    test -z "$(qpdf --show-object="$xmp_obj" "$pdf" 2>/dev/null | grep /Filter)"

# Info (as poppler reads it) and XMP (as libxml2 reads it) agree.
xpath() { xmllint --xpath "string(//*[local-name()='$1']$2)" "$3" 2>/dev/null; }
info() { pdfinfo -isodates "$2" 2>/dev/null | sed -n "s/^$1: *//p"; }
for pair in "Title title //*[local-name()='li']" "Author creator //*[local-name()='li']" \
            "Subject description //*[local-name()='li']" "Keywords Keywords" \
            "Creator CreatorTool" "Producer Producer"; do
    read -r key prop sub <<<"$pair"
    want=$(info "$key" "$pdf")
    got=$(xpath "$prop" "$sub" "$C/xmp.xml")
    check "Info=XMP (PDF/A-1 6.7.3): /$key \"$want\" is the XMP's $prop \"$got\"" test -n "$want" -a "$want" = "$got"
done
nsval() { xmllint --xpath "string(//*[local-name()='$1' and namespace-uri()='$2'])" "$3" 2>/dev/null; }
check "UA 5-2: pdfuaid:part is 1 (xmllint)" test "$(nsval part http://www.aiim.org/pdfua/ns/id/ "$C/xmp.xml")" = 1
check "6.6.4-2: pdfaid:part is 2 (xmllint)" test "$(nsval part http://www.aiim.org/pdfa/ns/id/ "$C/xmp.xml")" = 2
check "6.6.4-3: pdfaid:conformance is U (xmllint)" \
    test "$(nsval conformance http://www.aiim.org/pdfa/ns/id/ "$C/xmp.xml")" = U
check "no date in Info and none in XMP without SOURCE_DATE_EPOCH" \
    test -z "$(info CreationDate "$pdf")$(xpath CreateDate '' "$C/xmp.xml")$(xpath ModifyDate '' "$C/xmp.xml")"
dated_xmp=$(qpdf --show-object="$(qpdf --show-object=1 "$C/dated.pdf" | grep -o '/Metadata [0-9]*' | cut -d' ' -f2)" \
    --raw-stream-data "$C/dated.pdf" 2>/dev/null)
printf '%s' "$dated_xmp" >"$C/dated.xml"
check "Info=XMP (PDF/A-1 6.7.3): SOURCE_DATE_EPOCH gives the same date to CreationDate and xmp:CreateDate" \
    test "$(info CreationDate "$C/dated.pdf")" = "2024-04-02T00:00:00Z" -a \
         "$(xpath CreateDate '' "$C/dated.xml")" = "2024-04-02T00:00:00+00:00"
check "Info=XMP (PDF/A-1 6.7.3): ModDate and xmp:ModifyDate too" \
    test "$(info ModDate "$C/dated.pdf")" = "2024-04-02T00:00:00Z" -a \
         "$(xpath ModifyDate '' "$C/dated.xml")" = "2024-04-02T00:00:00+00:00"

# The OutputIntent's profile is a pinned file, byte for byte: the first of
# the manifest's list that holds the PDF's colours. A form in grays takes
# the gray profile; a review, whose frames are red (RG), takes sRGB.
profile_of() { # PDF -> the DestOutputProfile's bytes on stdout
    local cat obj
    cat=$(qpdf --show-object=1 "$1" 2>/dev/null)
    obj=$(printf '%s' "$cat" | grep -o '/DestOutputProfile [0-9]*' | cut -d' ' -f2)
    qpdf --show-object="$obj" --filtered-stream-data "$1" 2>/dev/null
}
pins=$(awk '/^output_intent:/{k=1} /^[a-z]/ && !/^output_intent:/{k=0} k && /^ +sha256:/{print $2}' fonts/fonts.yaml)
check "the manifest lists two profiles, gray then RGB" test "$(printf '%s\n' "$pins" | wc -l)" -eq 2
for kind in dept dept2020 book; do
    got=$(profile_of "$C/$kind.pdf" | sha256sum | cut -d' ' -f1)
    check "6.2.3-1: $kind (grays only): the profile is the first pin of fonts/fonts.yaml ($got)" \
        test "$got" = "$(printf '%s\n' "$pins" | sed -n 1p)"
    check "6.2.3-1: $kind: the profile is Gray-CIE_L.icc of icc-profiles-free, /N 1" \
        cmp -s <(profile_of "$C/$kind.pdf") /usr/share/color/icc/Gray-CIE_L.icc
done
check "6.2.4.3-2: the review draws in RGB (its red frames)" \
    grep -q ' RG' <(qpdf --qdf --object-streams=disable "$C/review.pdf" - 2>/dev/null)
got=$(profile_of "$C/review.pdf" | sha256sum | cut -d' ' -f1)
check "6.2.3-1: review (RGB): the profile is the second pin, sRGB ($got)" \
    test "$got" = "$(printf '%s\n' "$pins" | sed -n 2p)"
check "6.2.3-1: review: the profile is sRGB.icc of icc-profiles-free" \
    cmp -s <(profile_of "$C/review.pdf") /usr/share/color/icc/sRGB.icc

# A manifest whose profiles cannot hold the review's red: an error, never a
# PDF/A that breaks 6.2.4.3-2.
sed '/sRGB.icc/,$d' fonts/fonts.yaml >"$C/gray-only.yaml"
rm -f "$C/review-gray.pdf"
out=$(bin/policygen diff tests/fixtures/result-edition.md content/2024/seisaku-suishin.md -o "$C/review-gray.pdf" \
    --fonts "$C/gray-only.yaml" 2>&1 >/dev/null) # the messages only
check "6.2.4.3-2: a review with only a gray profile in the manifest is an error ($out)" \
    grep -q "^$C/gray-only.yaml:[0-9]*:1: error: output_intent: no profile holds the colours of the PDF of content/2024/seisaku-suishin.md (it draws in RGB, the review's red frames)" <<<"$out"
check "6.2.4.3-2: ... and no PDF is written" test ! -e "$C/review-gray.pdf"
bin/policygen build content/2024/seisaku-suishin.md -o "$C/gray-only.pdf" --fonts "$C/gray-only.yaml" 2>/dev/null
check "a form in grays builds with the gray profile alone" cmp -s "$C/gray-only.pdf" "$C/dept.pdf"

for icc in Gray-CIE_L sRGB; do
    check "pin: make re-checks $icc.icc's SHA-256 when the file changes (a prerequisite of build/fonts.ok)" \
        grep -q "^build/fonts.ok:.*/usr/share/color/icc/$icc.icc" <(make -pn build/fonts.ok 2>/dev/null)
done
bin/policygen build content/2024/seisaku-suishin.md -o "$C/dep.pdf" --depfile "$C/dep.d" 2>/dev/null
check "pin: the depfile names both profiles, so a new profile rebuilds the PDFs" \
    sh -c 'grep -q sRGB.icc "$1" && grep -q Gray-CIE_L.icc "$1"' sh "$C/dep.d"

# /ID from the content: present, and two builds are still byte-identical.
check "6.1.3-1: the trailer has an /ID" grep -q '/ID \[ *<[0-9A-Fa-f]\{32\}> *<[0-9A-Fa-f]\{32\}>' \
    <(qpdf --show-object=trailer "$pdf" 2>/dev/null)
check "6.1.3-1: two builds are byte-identical, /ID included" cmp -s "$pdf" "$C/again.pdf"
check "6.1.3-1: another document, another /ID" test \
    "$(qpdf --show-object=trailer "$pdf" | grep -o '/ID.*')" != "$(qpdf --show-object=trailer "$C/dept2020.pdf" | grep -o '/ID.*')"

# Font programs: fontTools reads every table of every FontFile2 (it fails on
# a zero-length table), which are only those a CIDFontType2 needs; the
# subset tags differ per subset.
for kind in dept book review; do
    nprog=0
    qpdf --qdf --object-streams=disable "$C/$kind.pdf" "$C/qdf.pdf" 2>/dev/null
    for obj in $(grep -a -o '/FontFile2 [0-9]*' "$C/qdf.pdf" | cut -d' ' -f2); do
        nprog=$((nprog + 1))
        qpdf --show-object="$obj" --filtered-stream-data "$C/qdf.pdf" >"$C/font.ttf" 2>/dev/null
        rm -f "$C/font.ttx"
        ttx -q -o "$C/font.ttx" "$C/font.ttf" >"$C/ttx.err" 2>&1
        status=$? # ttx's, before the $(...) of the message runs
        check "ISO 19005-2 6.2.11.2: $kind: fontTools (ttx) reads every table of FontFile2 $obj ($(head -c 200 "$C/ttx.err"))" \
            test "$status" -eq 0 -a ! -s "$C/ttx.err"
        check "ISO 32000-1 9.9: $kind: FontFile2 $obj holds glyf loca head hhea hmtx maxp and no cmap (codes are glyph ids)" \
            test "$(grep -o '^  <[A-Za-z0-9_]*>' "$C/font.ttx" | tr -d ' <>' | LC_ALL=C sort | tr '\n' ' ')" = "GlyphOrder glyf head hhea hmtx loca maxp "
    done
    check "$kind: two embedded font programs ($nprog)" test "$nprog" -eq 2
    tags=$(pdffonts "$C/$kind.pdf" 2>/dev/null | awk 'NR > 2 {print substr($1, 1, 7)}')
    check "ISO 32000-1 9.6.4: $kind: one subset tag per font, none of libharu's HPDFAA ($(echo $tags))" \
        test "$(printf '%s\n' "$tags" | sort -u | grep -c '^[A-Z]\{6\}+$')" -eq 2 -a -z "$(printf '%s' "$tags" | grep HPDFA)"
done
t24=$(pdffonts "$C/dept.pdf" | awk '/Mincho/{print substr($1, 1, 6)}')
t20=$(pdffonts "$C/dept2020.pdf" | awk '/Mincho/{print substr($1, 1, 6)}')
check "ISO 32000-1 9.6.4: other glyphs, other tag (FY2024 mincho $t24, FY2020 mincho $t20)" test -n "$t24" -a "$t24" != "$t20"

for kind in dept book review dated; do
    qpdf --check "$C/$kind.pdf" >"$C/qpdf.txt" 2>&1
    check "$kind: qpdf --check clean" test $? -eq 0
done
