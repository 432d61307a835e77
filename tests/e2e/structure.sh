# The structure a screen reader gets (tagged PDF, issue 10), read back by
# poppler (`pdfinfo -struct-text`): every feature of the structure-test
# layout on its own, and the official forms in their logical reading order.
# Sourced by tests/run.

S="$TMP/structure"
mkdir -p "$S"
bin/policygen-asan build tests/fixtures/structure.md -o "$S/s.pdf" --layouts tests/fixtures/layouts 2>"$S/err"
check "structure-test: builds" test $? -eq 0
check "structure-test: Tagged: yes" grep -q '^Tagged: *yes' <(pdfinfo "$S/s.pdf")
pdfinfo -struct-text "$S/s.pdf" >"$S/tree" 2>&1
check "structure-test: the tree as expected (H1, table with TH scope/ColSpan/RowSpan, an empty TD, no arrow, L/LI, TOC/TOCI/Link, Sect, Lbl/LBody)" \
    diff -u tests/fixtures/structure.expected "$S/tree"

# FY2024: page 1 in the form's logical order, then one Sect per 重点目標 sheet.
bin/policygen build content/2024/seisaku-suishin.md -o "$S/r6.pdf" 2>/dev/null
pdfinfo -struct-text "$S/r6.pdf" >"$S/r6" 2>&1
order=$(grep -E '^ {2}[A-Za-z0-9]+' "$S/r6" | sed 's/ (block)//; s/^ *//' | tr '\n' ' ')
check "FY2024: page 1 reads title, header table, 基本方針, 重点目標 table, legend, then a Sect per sheet ($order)" \
    test "$order" = "H1 Table H2 P P P H2 Table H2 L Sect Sect Sect Sect Sect "
check "FY2024: the title is the H1" grep -aqF '"令和６年度 政策推進部の運営方針"' <(grep -aA1 '^  H1' "$S/r6")
check "FY2024: the legend is a list of 5 items" test "$(sed -n '/^  L /,/^  Sect/p' "$S/r6" | grep -c '^    LI')" -eq 5
check "FY2024: header labels are row headers" grep -q '/Scope /Row' "$S/r6"
check "FY2024: each sheet's goal is an H2" test "$(grep -ac '^    H2' "$S/r6")" -eq 5
check "FY2024: blank evaluation cells are empty TDs (達成状況, 達成度)" \
    test "$(grep -cE '^ +TD$' "$S/r6")" -gt 20
check "FY2024: the arrows are not read" test -z "$(grep -aF -e '"→"' -e '"↓"' -e '"↑"' "$S/r6")"
check "FY2024: every text of the page is in the tree (pdftotext words all found)" \
    test -z "$(pdftotext -raw "$S/r6.pdf" - | tr -d '\f' | tr -s ' \n' '\n\n' | grep -av '^$' | grep -avxF -e '→' -e '↓' -e '↑' | \
        while read -r w; do grep -aqF -- "$w" "$S/r6" || echo "$w"; done | head -5)"

# FY2020: numbered items are lists with their markers as labels.
bin/policygen build content/2020/seisaku-suishin.md -o "$S/r2.pdf" 2>/dev/null
pdfinfo -struct-text "$S/r2.pdf" >"$S/r2" 2>&1
check "FY2020: ① items are L/LI with Lbl ① and LBody" grep -aqF '"① "' <(grep -aA1 'Lbl' "$S/r2")
check "FY2020: a Sect per 重点課題, with H2, H3 and H4 headings" \
    test "$(grep -c '^  Sect' "$S/r2")" -ge 2 -a -n "$(grep '^      H4\|^    H4' "$S/r2")"

# The book: cover, contents as TOC with links, each department a Part.
bin/policygen book content/2024/*.md -o "$S/book.pdf" 2>/dev/null
pdfinfo -struct-text "$S/book.pdf" >"$S/book" 2>&1
check "book: contents are TOC/TOCI with a Link per department" \
    test "$(grep -c '^    TOCI' "$S/book")" -eq "$(ls content/2024/*.md | wc -l)" -a -n "$(grep '^      Link' "$S/book")"
check "book: each department is a Part" test "$(grep -c '^  Part' "$S/book")" -eq "$(ls content/2024/*.md | wc -l)"
qpdf --qdf --object-streams=disable "$S/book.pdf" "$S/book.qdf" 2>/dev/null
check "book: the link annotation says what it is (/Contents), prints (/F 4) and has its structure key" \
    test -n "$(awk '/^[0-9]+ 0 obj/{o=""} {o=o" "$0} /\/Subtype \/Link/{print o}' "$S/book.qdf" | \
        grep -a '/Contents <feff' | grep -a '/F 4 ' | grep -a '/StructParent')"
check "book: the contents page orders annotations by structure (/Tabs /S)" grep -aq '/Tabs /S' "$S/book.qdf"

# The review PDF of diff: tagged too, its red frames outside the structure.
sed 's/年4回開催/年5回開催/; s/市政運営/行政運営/' content/2024/seisaku-suishin.md >"$S/changed.md"
bin/policygen diff content/2024/seisaku-suishin.md "$S/changed.md" -o "$S/review.pdf" >/dev/null 2>&1
check "review PDF: tagged" grep -q '^Tagged: *yes' <(pdfinfo "$S/review.pdf")
check "review PDF: the frames are artifacts (red only inside /Artifact)" \
    test -z "$(qpdf --qdf --object-streams=disable "$S/review.pdf" - 2>/dev/null | awk '/BMC|BDC/{m=$0} /^EMC/{m=""} /1 0 0 RG/ && m !~ /Artifact/' )"
