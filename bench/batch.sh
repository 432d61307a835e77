#!/usr/bin/env bash
# A year of departments at once: N copies (default 100) of the FY2024
# document in a temporary content tree, built with make -j$BENCH_JOBS
# (default 2) two ways: one `policygen build` per PDF (a pattern rule, as
# the project's Makefile did before issue 13), and as `make` does now: the
# documents split into $BENCH_JOBS runs of `policygen build A.md B.md ...`
# (fonts and layouts loaded once per run). Prints the wall time of each of
# $BENCH_BATCH_RUNS runs (default 3) of each, then the minimum and median.
# Run from anywhere; uses bin/policygen, or the generator named by
# $POLICYGEN (to compare two builds; the batched way needs one that takes
# several documents).
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
per=$(( (n + jobs - 1) / jobs ))
cat >"$tmp/Makefile" <<MAKEFILE
PDFS := \$(patsubst content/%.md,out/%.pdf,\$(wildcard content/*/*.md))
all: \$(PDFS)
out/%.pdf: content/%.md
	@mkdir -p \$(@D)
	@$pg build \$< -o \$@ --layouts $root/layouts --fonts $root/fonts/fonts.yaml
batched:
	@ls content/*/*.md | xargs -P $jobs -n $per $pg build --outdir out --layouts $root/layouts --fonts $root/fonts/fonts.yaml
MAKEFILE

report() { # NAME TIMES...
    local name=$1 sorted min med
    shift
    sorted=$(printf '%s\n' "$@" | sort -g)
    min=$(printf '%s\n' "$sorted" | head -n 1)
    med=$(printf '%s\n' "$sorted" | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}')
    printf '  %s\n    runs (s):' "$name"
    printf ' %.2f' "$@"
    echo
    awk -v min="$min" -v med="$med" -v n="$n" 'BEGIN {
        printf "    min %.2f s, median %.2f s (%.1f ms per document)  %s\n", min, med, 1000 * min / n,
               (med <= 1 ? "ok (<= 1 s)" : "ABOVE 1 s") }'
}

per_doc=()
batched=()
for r in $(seq 1 "$runs"); do
    for mode in all batched; do
        rm -rf "$tmp/out"
        t0=$(date +%s.%N)
        make -s -C "$tmp" -j"$jobs" "$mode"
        t1=$(date +%s.%N)
        built=$(find "$tmp/out" -name '*.pdf' | wc -l)
        [ "$built" -eq "$n" ] || { echo "batch.sh: built $built of $n PDFs ($mode)" >&2; exit 1; }
        t=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b - a}')
        if [ "$mode" = all ]; then per_doc+=("$t"); else batched+=("$t"); fi
    done
done
echo
echo "Batch: $n copies of content/2024/seisaku-suishin.md, make -j$jobs on $(nproc) cores"
report "one process per document" "${per_doc[@]}"
report "$jobs runs of policygen build A.md B.md ... (what make does)" "${batched[@]}"
