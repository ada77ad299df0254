#!/usr/bin/env bash
# Import speed of two or more builds, side by side: ROUNDS rounds, each importing the same
# generated corpus (10,000 biographies of about 10 KB) once with every binary in turn into a new
# database, then each binary's wall times sorted, with the median. Alternating the binaries
# round by round keeps a host whose speed drifts from favouring one of them.
#   bash bench/import-ab.sh ROUNDS BINARY BINARY...   (an odd ROUNDS gives a true median)
# e.g. build the older commit into another target folder, copy both binaries, and compare.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 3 ] || { echo "usage: bash bench/import-ab.sh ROUNDS BINARY BINARY..." >&2; exit 2; }
rounds=$1
shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 ../shared/corpus/gen_synthetic.py --dir "$work/gen" --count 10000 --kb 10 >/dev/null
declare -A times
for _ in $(seq "$rounds"); do
  for bin in "$@"; do
    rm -f "$work"/ab.db*
    /usr/bin/time -f '%e' -o "$work/time" "$bin" --db "$work/ab.db" import "$work/gen" >/dev/null 2>&1
    times[$bin]="${times[$bin]:-} $(cat "$work/time")"
  done
done
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores; wall seconds per import, sorted:"
for bin in "$@"; do
  sorted=$(tr ' ' '\n' <<<"${times[$bin]}" | sed '/^$/d' | sort -n)
  median=$(awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}' <<<"$sorted")
  echo "$bin: $(tr '\n' ' ' <<<"$sorted")(median $median s, $(awk -v m="$median" 'BEGIN {printf "%d", 10000/m}') pages/s)"
done
