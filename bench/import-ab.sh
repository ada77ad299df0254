#!/usr/bin/env bash
# Import speed of two or more builds, side by side: ROUNDS rounds, each importing the same
# generated corpus (10,000 biographies of about 10 KB) once with every binary in turn into a new
# database, then each binary's wall times sorted, with the median. Alternating the binaries
# round by round (every other round in the opposite order) keeps a host whose speed drifts from
# favouring one of them; and since the binaries of one round run within seconds of each other,
# each later binary's time is also divided by the first binary's of the same round: the median
# of those ratios follows the host's drift far less than a ratio of medians (issue 13).
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
declare -A times ratios cpu_ratios wall cpu
# ratio A B: A divided by B, to four places.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.4f", a / b}'; }
bins=("$@")
for r in $(seq "$rounds"); do
  # Every other round runs the binaries in the opposite order, so none always runs first.
  order=("${bins[@]}")
  if [ $((r % 2)) -eq 0 ]; then
    order=()
    for ((k = ${#bins[@]} - 1; k >= 0; k--)); do order+=("${bins[k]}"); done
  fi
  for bin in "${order[@]}"; do
    rm -f "$work"/ab.db*
    /usr/bin/time -f '%e %U %S' -o "$work/time" "$bin" --db "$work/ab.db" import "$work/gen" >/dev/null 2>&1
    read -r seconds user sys <"$work/time"
    wall[$bin]=$seconds
    cpu[$bin]=$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')
    times[$bin]="${times[$bin]:-} $seconds"
  done
  for bin in "${bins[@]:1}"; do
    ratios[$bin]="${ratios[$bin]:-} $(ratio "${wall[$bin]}" "${wall[${bins[0]}]}")"
    cpu_ratios[$bin]="${cpu_ratios[$bin]:-} $(ratio "${cpu[$bin]}" "${cpu[${bins[0]}]}")"
  done
done
# sorted LIST: the numbers of a space-separated list, one a line, in increasing order.
sorted() { tr ' ' '\n' <<<"$1" | sed '/^$/d' | sort -n; }
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores; wall seconds per import, sorted:"
for bin in "${bins[@]}"; do
  times_sorted=$(sorted "${times[$bin]}")
  median=$(awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}' <<<"$times_sorted")
  echo "$bin: $(tr '\n' ' ' <<<"$times_sorted")(median $median s, $(awk -v m="$median" 'BEGIN {printf "%d", 10000/m}') pages/s)"
done
# ratio_line NAME RATIOS: the median and quartiles of a list of ratios, as percentages.
ratio_line() {
  sorted "$2" | awk -v name="$1" '{a[NR]=$1} END {
    printf "%s: %+.1f %% (quartiles %+.1f %%, %+.1f %%)\n", name,
      100 * (a[int((NR + 1) / 2)] - 1), 100 * (a[int((NR + 3) / 4)] - 1), 100 * (a[int((3 * NR + 3) / 4)] - 1)
  }'
}
echo "each round's wall time against the first binary's in the same round (median, quartiles):"
for bin in "${bins[@]:1}"; do ratio_line "$bin" "${ratios[$bin]}"; done
echo "the same for CPU time (user + system, all threads):"
for bin in "${bins[@]:1}"; do ratio_line "$bin" "${cpu_ratios[$bin]}"; done
