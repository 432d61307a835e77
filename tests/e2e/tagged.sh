# Tagged PDF, checked (issue 10): every kind of PDF the project makes — a
# department's form (FY2024 and FY2020 layouts), the yearly book, the review
# PDF of `diff -o` — is PDF/UA-1 and PDF/A-2u. Sourced by tests/run (uses
# check/pass/fail and $TMP); run it alone with `tests/run-one tests/e2e/tagged.sh`.
#
# Named tagged.sh.pending until the generator writes the structure tree:
# tests/run sources only *.sh, so `make test` stays green meanwhile. Rename it
# to tagged.sh when tagging lands. docs/accessibility.md says what each check
# covers and what is left to a person.
#
# Per PDF:
#   - tests/pdf/conformance.py: every machine-checkable rule of the veraPDF
#     PDF/UA-1 and PDF/A-2u profiles (and the EXTRA ones); each FAIL line is a
#     failed check named by its rule id (e.g. "PDFUA-1 7.1-3").
#   - pdf.js (tests/pdf/structure.mjs), what Firefox hands a screen reader:
#     MarkInfo/Marked true, a structure tree, every text run in the tree (or an
#     Artifact), and for the department forms the tree's reading order is the
#     form's logical order (tests/fixtures/reading-order/*.txt: title, header
#     table, 基本方針, 重点目標 table, legend, then each sheet).
#   - poppler, a second reader: `pdfinfo` says "Tagged: yes" and
#     `pdfinfo -struct-text` lists the document's text.

if [ ! -f build/pdfjs.ok ] || [ ! -f tests/pdf/node_modules/pdfjs-dist/legacy/build/pdf.mjs ]; then
    fail "tagged: pdf.js not installed (run: make build/pdfjs.ok)"
else
    tdir="$TMP/tagged"
    mkdir -p "$tdir"

    # The four kinds of PDF, with the title each must carry.
    declare -A TAGGED_PDF=() TAGGED_TITLE=() TAGGED_SEED=()
    for md in content/*/*.md; do
        doc=${md#content/}
        doc=${doc%.md}
        label="tagged ${doc}"
        pdf="$tdir/${doc//\//-}.pdf"
        bin/policygen build "$md" -o "$pdf" 2>"$tdir/err"
        check "$label: builds" test $? -eq 0 -a -s "$pdf"
        TAGGED_PDF[$label]=$pdf
        TAGGED_TITLE[$label]=運営方針
    done
    TAGGED_SEED["tagged 2024/seisaku-suishin"]=tests/fixtures/reading-order/2024.txt
    TAGGED_SEED["tagged 2020/seisaku-suishin"]=tests/fixtures/reading-order/2020.txt

    bin/policygen book $(ls content/2024/*.md | sort) -o "$tdir/book.pdf" 2>"$tdir/err"
    check "tagged book: builds" test $? -eq 0 -a -s "$tdir/book.pdf"
    TAGGED_PDF["tagged book"]=$tdir/book.pdf
    TAGGED_TITLE["tagged book"]=運営方針

    # A review PDF with one changed field (its red frame must be an Artifact).
    sed 's/協働事業を実施します/協働事業を多数実施します/' content/2024/seisaku-suishin.md >"$tdir/changed.md"
    bin/policygen diff content/2024/seisaku-suishin.md "$tdir/changed.md" -o "$tdir/review.pdf" >/dev/null 2>"$tdir/err"
    check "tagged review: builds" test -s "$tdir/review.pdf"
    TAGGED_PDF["tagged review"]=$tdir/review.pdf
    TAGGED_TITLE["tagged review"]=運営方針

    for label in "${!TAGGED_PDF[@]}"; do
        pdf=${TAGGED_PDF[$label]}
        [ -s "$pdf" ] || continue

        # veraPDF's rules, one check per rule that applies.
        python3 tests/pdf/conformance.py "$pdf" >"$tdir/conf.txt" 2>"$tdir/conf.err"
        rc=$?
        check "$label: conformance.py reads the file ($(head -c 200 "$tdir/conf.err"))" test "$rc" -le 1
        while read -r status rest; do
            case $status in
                PASS) pass ;;
                FAIL) fail "$label: ${rest:0:300}" ;;
            esac
        done <"$tdir/conf.txt"

        # pdf.js, as Firefox reads it.
        node tests/pdf/structure.mjs "$pdf" >"$tdir/struct.json" 2>"$tdir/struct.err"
        rc=$?
        check "$label: pdf.js reads the file ($(head -c 200 "$tdir/struct.err"))" test "$rc" -eq 0
        summary=$(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
s = r["summary"]
print(str(s["marked"]).lower(), s["treeElements"], s["textRuns"], s["outside"], s["inTree"], s["artifacts"])
' "$tdir/struct.json" 2>/dev/null)
        read -r marked elements runs outside intree artifacts <<<"${summary:-false 0 0 -1 0 0}"
        check "$label: pdf.js: MarkInfo/Marked is true" test "$marked" = true
        check "$label: pdf.js: the structure tree is not empty ($elements elements)" test "$elements" -gt 0
        check "$label: pdf.js: every text run is in the tree or an Artifact ($outside of $runs outside; $intree in the tree, $artifacts artifacts)" \
            test "$outside" -eq 0 -a "$runs" -gt 0
        seed=${TAGGED_SEED[$label]:-}
        if [ -n "$seed" ]; then
            # The form's logical order, written out (the official PDF's own text
            # order is its drawing order: 【基本方針】 before the title).
            node tests/pdf/structure.mjs "$pdf" --quiet --expect-in-order "$seed" 2>"$tdir/order.err"
            rc=$?
            check "$label: pdf.js: the tree reads in the form's logical order ($seed) ($(head -c 200 "$tdir/order.err"))" \
                test "$rc" -eq 0
        fi

        # poppler, a second reader.
        check "$label: pdfinfo says Tagged: yes" grep -qE '^Tagged: +yes' <(pdfinfo "$pdf" 2>/dev/null)
        pdfinfo -struct-text "$pdf" >"$tdir/struct-text.txt" 2>/dev/null
        check "$label: pdfinfo -struct-text lists the text (${TAGGED_TITLE[$label]})" \
            grep -qF "${TAGGED_TITLE[$label]}" "$tdir/struct-text.txt"
        qpdf --check "$pdf" >/dev/null 2>&1
        check "$label: qpdf --check" test $? -eq 0
    done

    # Subset tags come from the glyph set, not HPDFAA/HPDFAB in every file.
    a=$(pdffonts "${TAGGED_PDF["tagged 2024/seisaku-suishin"]}" 2>/dev/null | awk 'NR>2{print $1}' | sort)
    b=$(pdffonts "${TAGGED_PDF["tagged 2020/seisaku-suishin"]}" 2>/dev/null | awk 'NR>2{print $1}' | sort)
    check "tagged: the FY2024 and FY2020 documents have different subset tags" test -n "$a" -a "$a" != "$b"
    unset TAGGED_PDF TAGGED_TITLE TAGGED_SEED
fi
