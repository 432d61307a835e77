# diff --rev: the committed version of a file is read by running git without
# a shell, in the file's own folder, bounded in size and time. Every command
# runs under `timeout 10`, so a hang fails. Sourced by tests/run.

root=$PWD
G="$TMP/git"
repo="$G/repo"
mkdir -p "$repo/docs/2024" "$G/bin"
# A git on PATH that leaves a mark each time it runs, then runs the real one:
# a refused revision must leave no mark.
real_git=$(command -v git)
printf '#!/bin/sh\necho "$*" >>"%s"\nexec "%s" "$@"\n' "$G/git-ran" "$real_git" >"$G/bin/git"
chmod +x "$G/bin/git"
# policygen-asan, in the test repository's world, with the project's layouts and fonts.
pg() { timeout 10 env PATH="$G/bin:$PATH" "$root/bin/policygen-asan" "$@" --layouts "$root/layouts" \
    --fonts "$root/fonts/fonts.yaml"; }

git -C "$repo" init -q
git -C "$repo" config user.name "policygen tests"
git -C "$repo" config user.email "tests@example.invalid"
git -C "$repo" config commit.gpgsign false
cp content/2024/seisaku-suishin.md "$repo/docs/2024/doc.md"
cp content/2024/seisaku-suishin.md "$repo/docs/2024/-dash.md"
head -c 2000000 /dev/zero | tr '\0' 'a' >"$repo/docs/2024/big.md"
git -C "$repo" add . && git -C "$repo" commit -qm "FY2024" || fail "git: cannot make the test repository"
sed -i 's/政策推進部は、市の政策をまとめ/政策推進部は、市の政策を大胆にまとめ/' "$repo/docs/2024/doc.md"
cp content/2024/seisaku-suishin.md "$repo/docs/2024/new.md" # never committed

# relative path, from the repository's top folder and from below it (with ..)
(cd "$repo" && pg diff docs/2024/doc.md --rev HEAD) >"$G/out" 2>"$G/err"
status=$? # the command's, before the $(...) of the message runs
check "diff --rev HEAD, relative path: exit 0 ($(head -c 300 "$G/err"))" test "$status" -eq 0
check "diff --rev HEAD, relative path: the changed cell" grep -qx "変わった欄: 1 件" "$G/out"
(cd "$repo/docs" && pg diff ../docs/2024/doc.md --rev HEAD) >"$G/out" 2>"$G/err"
status=$? # the command's, before the $(...) of the message runs
check "diff --rev HEAD, ../ path from a subfolder: exit 0 ($(head -c 300 "$G/err"))" test "$status" -eq 0
check "diff --rev HEAD, ../ path: the changed cell" grep -qx "変わった欄: 1 件" "$G/out"
# absolute path, run from another repository (the project's own) and from /tmp
pg diff "$repo/docs/2024/doc.md" --rev HEAD >"$G/out" 2>"$G/err"
status=$? # the command's, before the $(...) of the message runs
check "diff --rev HEAD, absolute path from another repository: exit 0 ($(head -c 300 "$G/err"))" test "$status" -eq 0
check "diff --rev HEAD, absolute path: the changed cell" grep -qx "変わった欄: 1 件" "$G/out"
(cd /tmp && pg diff "$repo/docs/2024/doc.md" --rev HEAD) >"$G/out" 2>"$G/err"
status=$? # the command's, before the $(...) of the message runs
check "diff --rev HEAD from /tmp: exit 0 ($(head -c 300 "$G/err"))" test "$status" -eq 0
check "diff --rev HEAD from /tmp: the changed cell" grep -qx "変わった欄: 1 件" "$G/out"
# the repository is the file's, even inside a git hook (GIT_DIR, GIT_INDEX_FILE set)
(cd /tmp && GIT_DIR=/nonexistent GIT_INDEX_FILE=/nonexistent pg diff "$repo/docs/2024/doc.md" --rev HEAD) \
    >"$G/out" 2>"$G/err"
status=$? # the command's, before the $(...) of the message runs
check "diff --rev HEAD with GIT_DIR set elsewhere: exit 0 ($(head -c 300 "$G/err"))" test "$status" -eq 0
# a file name that begins with - is a file, not an option
(cd "$repo/docs/2024" && pg diff ./-dash.md --rev HEAD) >"$G/out" 2>"$G/err"
status=$? # the command's, before the $(...) of the message runs
check "diff --rev HEAD, a file named -dash.md: exit 0 ($(head -c 300 "$G/err"))" test "$status" -eq 0
check "diff --rev HEAD, a file named -dash.md: unchanged" grep -qx "変わった欄: 0 件" "$G/out"
check "diff --rev: git did run for the good revisions" test -s "$G/git-ran"
# valgrind: no leak, no error, including the child's pipes
if command -v valgrind >/dev/null; then
    timeout 60 env PATH="$G/bin:$PATH" valgrind -q --error-exitcode=9 --leak-check=full \
        --errors-for-leak-kinds=definite,indirect --track-fds=yes "$root/bin/policygen" diff \
        "$repo/docs/2024/doc.md" --rev HEAD --layouts layouts --fonts fonts/fonts.yaml >/dev/null 2>"$G/vg"
    rc=$?
    check "diff --rev: valgrind clean ($(grep -m1 '==' "$G/vg"))" test "$rc" -eq 0
    check "diff --rev: no descriptor left open ($(grep -m1 -A2 'Open file descriptor [0-9]*: *$\|pipe' "$G/vg"))" \
        test -z "$(grep -i 'pipe' "$G/vg")"
fi

# Revisions that are refused before git runs: an option, a path, a range,
# spaces or control characters, the empty string, an overlong one.
rm -f "$G/git-ran" "$G/x"
for rev in "--output=$G/x" "-p" "HEAD:docs/2024/doc.md" ":/FY2024" "HEAD..HEAD~1" "HEAD 1" \
           "$(printf 'HEAD\033[2J')" "$(head -c 300 /dev/zero | tr '\0' 'a')" "HEAD;rm" "ＨＥＡＤ"; do
    (cd "$repo" && pg diff docs/2024/doc.md --rev "$rev") >"$G/out" 2>"$G/err"
    rc=$?
    shown=$(printf '%s' "$rev" | head -c 40 | tr -c '[:print:]' '?')
    check "diff --rev '$shown': refused with exit 1 (got $rc)" test "$rc" -eq 1
    check "diff --rev '$shown': said as FILE: error: (whole-file form) ($(head -c 300 "$G/err"))" \
        grep -q "^docs/2024/doc.md: error: .*リビジョン\|^docs/2024/doc.md: error: .*範囲" "$G/err"
done
(cd "$repo" && pg diff docs/2024/doc.md --rev "") >"$G/out" 2>"$G/err"
check "diff --rev '': a usage error (exit 2)" test $? -eq 2
check "diff --rev '': says the value is empty" grep -q -- "--rev に空の値は使えません" "$G/err"
check "diff --rev --output=FILE: refused because of the leading -" grep -q "で始まると git のオプションと取り違えられる" \
    <(cd "$repo" && pg diff docs/2024/doc.md --rev "--output=$G/x" 2>&1)
check "diff --rev with control characters: not echoed to the terminal" test -z "$(grep -a $'\033' "$G/err")"
check "refused revisions: git never ran ($(head -c 200 "$G/git-ran" 2>/dev/null))" test ! -e "$G/git-ran"
check "refused revisions: no file written by git" test ! -e "$G/x"

# git's own message when it fails
(cd "$repo" && pg diff docs/2024/doc.md --rev nosuchbranch) >"$G/out" 2>"$G/err"
check "diff --rev nosuchbranch: exit 1" test $? -eq 1
check "diff --rev nosuchbranch: git's message in ours ($(head -c 300 "$G/err"))" \
    grep -q "^docs/2024/doc.md: error: git のリビジョン \`nosuchbranch\` のこのファイルを読めません.*git: .*nosuchbranch" "$G/err"
(cd "$repo" && pg diff docs/2024/doc.md --rev HEAD~5) >"$G/out" 2>"$G/err"
check "diff --rev HEAD~5 (no such commit): git's message ($(head -c 300 "$G/err"))" grep -q "git: .*HEAD~5" "$G/err"
# a file that was never committed
(cd "$repo" && pg diff docs/2024/new.md --rev HEAD) >"$G/out" 2>"$G/err"
check "diff --rev, file never committed: exit 1" test $? -eq 1
check "diff --rev, file never committed: says so ($(head -c 300 "$G/err"))" \
    grep -q "^docs/2024/new.md: error: .*そのリビジョンにコミットされていますか.*git: .*new.md" "$G/err"
# a file outside any repository (GIT_CEILING_DIRECTORIES: whatever is above $TMP)
mkdir -p "$G/norepo"
cp content/2024/seisaku-suishin.md "$G/norepo/doc.md"
(cd /tmp && GIT_CEILING_DIRECTORIES="$G" pg diff "$G/norepo/doc.md" --rev HEAD) >"$G/out" 2>"$G/err"
check "diff --rev, file outside any repository: exit 1" test $? -eq 1
check "diff --rev, file outside any repository: says so ($(head -c 300 "$G/err"))" \
    grep -q "^$G/norepo/doc.md: error: このファイルは git のリポジトリ（の作業ツリー）の中にない" "$G/err"
# a folder that does not exist
(cd "$repo" && pg diff nodir/doc.md --rev HEAD) >"$G/out" 2>"$G/err"
check "diff --rev, no such folder: says so ($(head -c 300 "$G/err"))" grep -q "^nodir/doc.md: error: フォルダ \`nodir\` がありません" "$G/err"
# a committed version larger than the input limit: refused, git killed, fast
(cd "$repo" && pg diff docs/2024/big.md --rev HEAD) >"$G/out" 2>"$G/err"
rc=$?
check "diff --rev, 2 MB committed file: exit 1 within the timeout (got $rc)" test "$rc" -eq 1
check "diff --rev, 2 MB committed file: too large ($(head -c 300 "$G/err"))" \
    grep -q "^docs/2024/big.md: error: --rev HEAD の版のファイルが大きすぎます" "$G/err"
# a git that exits but leaves a process holding its output open: policygen
# stops at git's exit instead of waiting for that process
mkdir -p "$G/bin2"
printf '#!/bin/sh\n"%s" "$@"; rc=$?\nsleep 60 &\necho $! >>"%s"\nexit $rc\n' "$real_git" "$G/sleepers" >"$G/bin2/git"
chmod +x "$G/bin2/git"
(cd "$repo" && timeout 10 env PATH="$G/bin2:$PATH" "$root/bin/policygen-asan" diff docs/2024/doc.md --rev HEAD \
    --layouts "$root/layouts" --fonts "$root/fonts/fonts.yaml") >"$G/out" 2>"$G/err"
rc=$?
check "diff --rev, git leaves a process holding its output: no hang, exit 0 (got $rc; $(head -c 300 "$G/err"))" \
    test "$rc" -eq 0
[ -s "$G/sleepers" ] && kill $(cat "$G/sleepers") 2>/dev/null

# git's stdin is /dev/null, not ours: a git that reads its stdin to the end
# must not wait for a pipe that stays open
mkdir -p "$G/bin3"
printf '#!/bin/sh\ncat >/dev/null\nexec "%s" "$@"\n' "$real_git" >"$G/bin3/git"
chmod +x "$G/bin3/git"
(cd "$repo" && timeout 10 env PATH="$G/bin3:$PATH" "$root/bin/policygen-asan" diff docs/2024/doc.md --rev HEAD \
    --layouts "$root/layouts" --fonts "$root/fonts/fonts.yaml") >"$G/out" 2>"$G/err" \
    < <(echo "$BASHPID" >"$G/stdin-pid"; exec sleep 30)
rc=$?
kill "$(cat "$G/stdin-pid")" 2>/dev/null
check "diff --rev: git's stdin is /dev/null, not ours (got $rc; $(head -c 300 "$G/err"))" test "$rc" -eq 0

# no git at all
(cd "$repo" && timeout 10 env PATH=/nonexistent "$root/bin/policygen-asan" diff docs/2024/doc.md --rev HEAD \
    --layouts "$root/layouts" --fonts "$root/fonts/fonts.yaml") >"$G/out" 2>"$G/err"
check "diff --rev without git: exit 1" test $? -eq 1
check "diff --rev without git: says so ($(head -c 300 "$G/err"))" grep -q "git を実行できません" "$G/err"
