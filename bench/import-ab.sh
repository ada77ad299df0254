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
declare -A times ratios cpu_ratios round cpu
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
    read -r wall user sys <"$work/time"
    round[$bin]=$wall
    cpu[$bin]=$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')
    times[$bin]="${times[$bin]:-} ${round[$bin]}"
  done
  for bin in "${bins[@]:1}"; do
    ratios[$bin]="${ratios[$bin]:-} $(awk -v a="${round[$bin]}" -v b="${round[${bins[0]}]}" 'BEGIN {printf "%.4f", a / b}')"
    cpu_ratios[$bin]="${cpu_ratios[$bin]:-} $(awk -v a="${cpu[$bin]}" -v b="${cpu[${bins[0]}]}" 'BEGIN {printf "%.4f", a / b}')"
  done
done
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores; wall seconds per import, sorted:"
for bin in "$@"; do
  sorted=$(tr ' ' '\n' <<<"${times[$bin]}" | sed '/^$/d' | sort -n)
  median=$(awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}' <<<"$sorted")
  echo "$bin: $(tr '\n' ' ' <<<"$sorted")(median $median s, $(awk -v m="$median" 'BEGIN {printf "%d", 10000/m}') pages/s)"
done
# ratio_line NAME RATIOS: the median and quartiles of a list of ratios, as percentages.
ratio_line() {
  tr ' ' '\n' <<<"$2" | sed '/^$/d' | sort -n | awk -v name="$1" '{a[NR]=$1} END {
    printf "%s: %+.1f %% (quartiles %+.1f %%, %+.1f %%)\n", name,
      100 * (a[int((NR + 1) / 2)] - 1), 100 * (a[int((NR + 3) / 4)] - 1), 100 * (a[int((3 * NR + 3) / 4)] - 1)
  }'
}
echo "each round's wall time against the first binary's in the same round (median, quartiles):"
for bin in "${@:2}"; do ratio_line "$bin" "${ratios[$bin]}"; done
echo "the same for CPU time (user + system, all threads):"
for bin in "${@:2}"; do ratio_line "$bin" "${cpu_ratios[$bin]}"; done
