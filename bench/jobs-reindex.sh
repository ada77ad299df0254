#!/usr/bin/env bash
# The reindex-search job: COUNT (default 2,000) generated biographies of about 10 KB imported,
# then `plutarch jobs run reindex-search` at two batch sizes. Each step is one write of its own;
# the time per step is how long the job holds the writer at a time (what an edit may wait).
#   bash bench/jobs-reindex.sh [COUNT]   (CORPUS=/path/to/shared/corpus if not ../shared/corpus)
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-2000}
bin=target/release/plutarch
[ -x "$bin" ] || cargo build --release --bin plutarch
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "${CORPUS:-../shared/corpus}/gen_synthetic.py" --dir "$work/gen" --count "$count" --kb 10 >/dev/null
"$bin" --db "$work/wiki.db" import "$work/gen" 2>&1 | grep -v INFO
for batch in 100 20; do
  start=$(date +%s.%N)
  out=$("$bin" --db "$work/wiki.db" jobs run reindex-search --batch "$batch" 2>&1 | grep -v INFO)
  end=$(date +%s.%N)
  steps=$(echo "$out" | sed -n 's/.* in \([0-9]*\) steps/\1/p')
  echo "$out" | tail -1
  awk -v s="$start" -v e="$end" -v n="$steps" -v b="$batch" -v c="$count" 'BEGIN {
    t = e - s; printf "batch %d: %.2f s for %d pages (%.0f pages/s), %.1f ms per step\n", b, t, c, c / t, 1000 * t / n }'
done
