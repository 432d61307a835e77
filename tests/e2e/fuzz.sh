# The corpora of the front-matter and layout fuzzers replay without a
# sanitizer finding, each input under the replay's time limit (2 s of CPU,
# see tests/fuzz/replay.c; `timeout` bounds the whole replay too), and the
# targets still reach a whole PDF with the real front matter and layout.
# (tests/fuzz/findings/ is not replayed: those inputs still fail.) The
# layout target's folder goes to $TMP, in case a replay is stopped. Sourced
# by tests/run.

for name in frontmatter layout; do
    bin=build/tests/fuzz_replay_$name
    if [ ! -x "$bin" ]; then
        fail "fuzz: $bin is not built (make test builds it)"
        continue
    fi
    TMPDIR=$TMP timeout 300 "$bin" tests/fuzz/corpus-$name/* >"$TMP/replay-$name.txt" 2>&1
    rc=$?
    check "fuzz corpus-$name replays clean under ASan/UBSan, 2 s an input ($(tail -n 1 "$TMP/replay-$name.txt"))" \
        test "$rc" -eq 0
    [ "$rc" -eq 0 ] || grep -E 'replay:|ERROR|runtime error|SUMMARY' "$TMP/replay-$name.txt" | head -n 5
done

# The fixed document of each target is whole with the real input: the
# FY2024 front matter gives the 2-page short document, houshin-r6 as the
# fuzzed layout the 6-page FY2024 document (and the compact seed, a small
# layout for the same document whose numbers mutations hit more often, 4 pages).
if [ -x build/tests/fuzz_replay_frontmatter ]; then
    TMPDIR=$TMP POLICYGEN_FUZZ_EXPECT_PAGES=2 timeout 60 build/tests/fuzz_replay_frontmatter \
        tests/fuzz/corpus-frontmatter/seed-2024.yaml >"$TMP/out" 2>&1
    check "fuzz_frontmatter: the FY2024 front matter makes a whole 2-page PDF" test $? -eq 0
fi
if [ -x build/tests/fuzz_replay_layout ]; then
    TMPDIR=$TMP POLICYGEN_FUZZ_EXPECT_PAGES=6 timeout 60 build/tests/fuzz_replay_layout \
        tests/fuzz/corpus-layout/seed-houshin-r6.yaml >"$TMP/out" 2>&1
    check "fuzz_layout: layouts/houshin-r6.yaml as the layout makes the whole 6-page PDF" test $? -eq 0
    TMPDIR=$TMP POLICYGEN_FUZZ_EXPECT_PAGES=4 timeout 60 build/tests/fuzz_replay_layout \
        tests/fuzz/corpus-layout/seed-compact-r6.yaml >"$TMP/out" 2>&1
    check "fuzz_layout: the compact seed layout makes a whole 4-page PDF" test $? -eq 0
fi

# The replay's time limit works: an input that runs on is stopped and named.
if [ -x build/tests/fuzz_replay_spin ]; then
    printf 'ok' >"$TMP/quick-input"
    printf 'spin' >"$TMP/slow-input"
    REPLAY_SECONDS=1 timeout 60 build/tests/fuzz_replay_spin "$TMP/quick-input" "$TMP/slow-input" >/dev/null 2>"$TMP/err"
    rc=$?
    check "fuzz replay: an input over the time limit fails the replay (exit 124, got $rc)" test "$rc" -eq 124
    check "fuzz replay: the slow input is named" grep -q "slow-input: timeout: over 1 s of CPU time" "$TMP/err"
else
    fail "fuzz: build/tests/fuzz_replay_spin is not built (make test builds it)"
fi
