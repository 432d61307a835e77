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
check "next: says why" grep -q "already exists; not overwritten" "$TMP/err"
bin/policygen next tests/fixtures/result-edition.md -o "$TMP/next/draft.md" --force 2>/dev/null
check "next --force: replaces it" test $? -eq 0

# Dependency file: the PDF depends on the input, its layout, the fonts.
bin/policygen build content/2024/seisaku-suishin.md -o "$TMP/dep.pdf" --layouts layouts \
    --fonts fonts/fonts.yaml --depfile "$TMP/dep.d" 2>/dev/null
check "depfile names the layout" grep -q "layouts/houshin-r6.yaml" "$TMP/dep.d"
check "depfile names the fonts" grep -q "BIZUDMincho-Regular.ttf" "$TMP/dep.d"
check "depfile target is the PDF" grep -q "^$TMP/dep.pdf: content/2024/seisaku-suishin.md " "$TMP/dep.d"

# Reproducible: the same input gives the same bytes, and SOURCE_DATE_EPOCH
# (only it) puts a date in.
bin/policygen build content/2024/seisaku-suishin.md -o "$TMP/r1.pdf" 2>/dev/null
bin/policygen build content/2024/seisaku-suishin.md -o "$TMP/r2.pdf" 2>/dev/null
check "reproducible: two builds are byte-identical" cmp -s "$TMP/r1.pdf" "$TMP/r2.pdf"
check "reproducible: no date without SOURCE_DATE_EPOCH" test -z "$(pdfinfo "$TMP/r1.pdf" | grep -E '^(CreationDate|ModDate)')"
SOURCE_DATE_EPOCH=1712016000 bin/policygen build content/2024/seisaku-suishin.md -o "$TMP/r3.pdf" 2>/dev/null
check "SOURCE_DATE_EPOCH gives the creation date" test -n "$(pdfinfo -isodates "$TMP/r3.pdf" | grep '^CreationDate: *2024-04-02')"
