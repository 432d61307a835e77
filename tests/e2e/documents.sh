# End-to-end: render every document in content/ with the release and the
# sanitizer builds, and check what the PDF says, embeds and where its lines
# break. Sourced by tests/run (uses check/pass/fail and $TMP).

# Expected page count per document (1 overview + its sheets).
declare -A PAGES=([2024/seisaku-suishin]=6 [2020/seisaku-suishin]=5)
# The seed each document transcribes.
declare -A SEED=([2024/seisaku-suishin]=tests/seeds/001_c2b809ccf79c4bae.txt
                 [2020/seisaku-suishin]=tests/seeds/000_957d40e44544f271.txt)

normalize() { tr -d ' \n\t' | sed 's/　//g;s/→//g;s/↓//g;s/↑//g'; }

for md in content/*/*.md; do
    doc=${md#content/}
    doc=${doc%.md}
    pdf="$TMP/${doc//\//-}.pdf"
    bin/policygen build "$md" -o "$pdf" 2>"$TMP/err"
    check "$doc: builds (exit 0)" test $? -eq 0
    check "$doc: builds without a message" test ! -s "$TMP/err"
    [ -s "$pdf" ] || { fail "$doc: no PDF written"; continue; }

    bin/policygen-asan build "$md" -o "$TMP/asan.pdf" 2>"$TMP/asan.err"
    check "$doc: builds under ASan/UBSan" test $? -eq 0 -a ! -s "$TMP/asan.err"
    check "$doc: ASan build writes the same bytes" cmp -s "$pdf" "$TMP/asan.pdf"

    bin/policygen check "$md" 2>"$TMP/err"
    check "$doc: check passes" test $? -eq 0 -a ! -s "$TMP/err"

    if [ -n "${PAGES[$doc]:-}" ]; then
        pages=$(pdfinfo "$pdf" 2>/dev/null | awk '/^Pages:/{print $2}')
        check "$doc: ${PAGES[$doc]} pages (got $pages)" test "$pages" = "${PAGES[$doc]}"
    fi

    pdftotext -raw "$pdf" "$TMP/raw.txt" 2>"$TMP/poppler.err"
    check "$doc: pdftotext gives no warnings ($(head -c 200 "$TMP/poppler.err"))" test ! -s "$TMP/poppler.err"
    normalize <"$TMP/raw.txt" >"$TMP/norm.txt"

    # Every sentence and cell of the seed comes back from the PDF.
    if [ -n "${SEED[$doc]:-}" ]; then
        missing=0
        while IFS= read -r piece; do
            grep -qF -- "$piece" "$TMP/norm.txt" || { missing=$((missing + 1)); echo "  missing: $piece"; }
        done < <(awk -f tests/e2e/seed-pieces.awk "${SEED[$doc]}")
        check "$doc: every seed sentence is in the PDF ($missing missing)" test "$missing" -eq 0
    fi

    # Fonts: all embedded, subset, with a ToUnicode map.
    pdffonts "$pdf" >"$TMP/fonts.txt" 2>&1
    nfonts=$(awk 'NR>2' "$TMP/fonts.txt" | wc -l)
    good=$(awk 'NR>2 && $(NF-4)=="yes" && $(NF-3)=="yes" && $(NF-2)=="yes"' "$TMP/fonts.txt" | wc -l)
    check "$doc: fonts embedded, subset, unicode ($good of $nfonts)" test "$nfonts" -ge 2 -a "$good" = "$nfonts"

    if command -v qpdf >/dev/null; then
        qpdf --check "$pdf" >"$TMP/qpdf.txt" 2>&1
        check "$doc: qpdf --check" test $? -eq 0
    fi
done

# Line breaks: every wrapped line of the FY2024 seed (30 bytes, 10 kanji, or more;
# the header grid excepted, its cells share a line in the seed) is a line of
# our PDF, so the cells are as wide as the official ones.
pdf24="$TMP/2024-seisaku-suishin.pdf"
if [ -s "$pdf24" ]; then
    pdftotext -raw "$pdf24" "$TMP/raw24.txt"
    missing=0
    total=0
    while IFS= read -r line; do
        total=$((total + 1))
        grep -qxF -- "$line" "$TMP/raw24.txt" || { missing=$((missing + 1)); echo "  line not broken as in the seed: $line"; }
    done < <(sed 's/[ \t]*→[ \t]*$//' tests/seeds/001_c2b809ccf79c4bae.txt |
             awk 'length($0) >= 30 && $0 !~ /^(部 |理事)/')
    check "FY2024: $total seed lines break at the same character ($missing differ)" test "$missing" -eq 0
fi

# Rules: each border is stroked once per page (rules.c merges what cells
# share): no segment twice, none overlapping another on its line.
if [ -s "$pdf24" ]; then
    qpdf --qdf --object-streams=disable "$pdf24" "$TMP/qdf24.pdf"
    awk '/^%% Contents for page/{p = $5} / m$/{a = $1 " " $2} / l$/ && a {print p, a, $1, $2; a = ""}' \
        "$TMP/qdf24.pdf" >"$TMP/segs24.txt"
    check "FY2024: borders are drawn ($(wc -l <"$TMP/segs24.txt") segments)" test "$(wc -l <"$TMP/segs24.txt")" -gt 100
    check "FY2024: no border segment stroked twice on a page" test -z "$(sort "$TMP/segs24.txt" | uniq -d)"
    overlaps=$(awk '$3 == $5 { a = ($2 < $4 ? $2 : $4); b = ($2 < $4 ? $4 : $2); k = $1 " " $3
                      for (n = 1; n <= cnt[k]; n++) if (!(b < lo[k, n] || a > hi[k, n])) bad++
                      cnt[k]++; lo[k, cnt[k]] = a; hi[k, cnt[k]] = b } END { print bad + 0 }' "$TMP/segs24.txt")
    check "FY2024: no two horizontal border segments overlap or touch ($overlaps)" test "$overlaps" -eq 0
fi

# Valgrind: the good documents run clean (no errors, no leaks).
if command -v valgrind >/dev/null; then
    for md in content/*/*.md; do
        valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite,indirect \
            bin/policygen build "$md" -o "$TMP/vg.pdf" >"$TMP/vg.txt" 2>&1
        rc=$?
        check "$md: valgrind clean ($(head -c 300 "$TMP/vg.txt"))" test "$rc" -eq 0
    done
    # and the other commands, on the result edition (every field filled in)
    for args in "next tests/fixtures/result-edition.md" "check tests/bad/overflow.md" \
                "diff tests/fixtures/result-edition.md content/2024/seisaku-suishin.md -o $TMP/vg.pdf" \
                "book content/2024/seisaku-suishin.md tests/fixtures/result-edition.md -o $TMP/vg.pdf"; do
        # shellcheck disable=SC2086
        valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite,indirect \
            bin/policygen $args >/dev/null 2>"$TMP/vg.txt"
        rc=$?
        check "policygen ${args%% *}: valgrind clean ($(grep -m1 '==' "$TMP/vg.txt"))" test "$rc" -ne 9
    done
fi
