# The counts the writer's guide gives for each form (docs/content-format.md,
# section 3) are the layouts' own: every section's min and max, and how many
# items each front-matter list has cells for. A layout changed without its
# docs fails here. Sourced by tests/run.

python3 tests/docs/check-limits.py docs/content-format.md layouts/*.yaml >"$TMP/docs-limits" 2>&1
status=$? # the command's, before the $(...) of the message runs
check "docs/content-format.md: counts as in layouts/*.yaml ($(head -n 1 "$TMP/docs-limits"))" test "$status" -eq 0

# The check itself catches a drift either way (a doc or a layout changed).
sed 's/| 1〜5 | — |/| 1〜6 | — |/' docs/content-format.md >"$TMP/drift.md"
python3 tests/docs/check-limits.py "$TMP/drift.md" layouts/*.yaml >/dev/null 2>&1
check "docs limits check: catches a count changed in the docs" test $? -eq 1
sed 's/^    max: 5$/    max: 4/' layouts/houshin-r6.yaml >"$TMP/houshin-r6.yaml"
python3 tests/docs/check-limits.py docs/content-format.md "$TMP/houshin-r6.yaml" >/dev/null 2>&1
check "docs limits check: catches a count changed in a layout" test $? -eq 1
