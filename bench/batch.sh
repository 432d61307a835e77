#!/usr/bin/env bash
# A year of departments at once: N copies (default 100) of the FY2024
# document in a temporary content tree, built by a tiny Makefile with
# make -j$BENCH_JOBS (default 2), the way `make -j2` builds content/.
# Prints the wall time of each of $BENCH_BATCH_RUNS runs (default 3), then
# the minimum and median. Run from anywhere; uses bin/policygen, or the
# generator named by $POLICYGEN (to compare two builds).
set -eu
cd "$(dirname "$0")/.."
n=${1:-100}
runs=${BENCH_BATCH_RUNS:-3}
jobs=${BENCH_JOBS:-2}
root=$PWD
pg=${POLICYGEN:-$root/bin/policygen}
[ -x "$pg" ] || { echo "batch.sh: build bin/policygen first (make bin/policygen)" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/policygen-batch-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/content/2024"
for i in $(seq -w 1 "$n"); do
    cp content/2024/seisaku-suishin.md "$tmp/content/2024/dept$i.md"
done
cat >"$tmp/Makefile" <<EOF
PDFS := \$(patsubst content/%.md,out/%.pdf,\$(wildcard content/*/*.md))
all: \$(PDFS)
out/%.pdf: content/%.md
	@mkdir -p \$(@D)
	@$pg build \$< -o \$@ --layouts $root/layouts --fonts $root/fonts/fonts.yaml
EOF

times=()
for r in $(seq 1 "$runs"); do
    rm -rf "$tmp/out"
    t0=$(date +%s.%N)
    make -s -C "$tmp" -j"$jobs"
    t1=$(date +%s.%N)
    built=$(find "$tmp/out" -name '*.pdf' | wc -l)
    [ "$built" -eq "$n" ] || { echo "batch.sh: built $built of $n PDFs" >&2; exit 1; }
    times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b - a}')")
done
sorted=$(printf '%s\n' "${times[@]}" | sort -g)
min=$(printf '%s\n' "$sorted" | head -n 1)
med=$(printf '%s\n' "$sorted" | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}')
echo
echo "Batch: $n copies of content/2024/seisaku-suishin.md, make -j$jobs on $(nproc) cores"
printf '  runs (s):'; printf ' %.2f' "${times[@]}"; echo
awk -v min="$min" -v med="$med" -v n="$n" 'BEGIN {
    printf "  min %.2f s, median %.2f s (%.1f ms per document)  %s\n", min, med, 1000 * min / n,
           (med < 5 ? "ok (< 5 s)" : "ABOVE 5 s") }'
