#!/usr/bin/env bash
# Import of many source documents at once: 200 generated biographies (the people the sources
# name), then COUNT generated source documents (about 3 KB each, every one naming a few of the
# people) with one `plutarch import --source DIR`, for each COUNT given: wall time and time
# per source, which stays flat when the import is linear.
#   bash bench/import-sources.sh BINARY [COUNT...]   (default counts: 1000 4000)
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: bash bench/import-sources.sh BINARY [COUNT...]" >&2; exit 2; }
bin=$1
shift
counts=("${@:-1000}")
[ $# -ge 1 ] || counts=(1000 4000)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 ../shared/corpus/gen_synthetic.py --dir "$work/people" --count 200 --kb 5 >/dev/null
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
for count in "${counts[@]}"; do
  rm -rf "$work/sources" "$work"/wiki.db*
  python3 - "$work/people" "$work/sources" "$count" <<'PY'
import os, random, sys
people_dir, out, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
rng = random.Random(13)
names = sorted(f[:-5].replace("_", " ") for f in os.listdir(people_dir) if f.endswith(".wiki"))
words = "the council met on a wet morning and heard the report of the committee about the new road".split()
os.makedirs(out)
for i in range(count):
    lines = [f"Report number {i} on the affairs of the borough", ""]
    for p in range(12):
        sentence = " ".join(rng.choice(words) for _ in range(30))
        who = rng.choice(names)
        lines.append(f"In {1900 + rng.randrange(100)}, {who} said that {sentence} (item {i}.{p}).")
        lines.append("")
    with open(os.path.join(out, f"report-{i:05}.txt"), "w") as f:
        f.write("\n".join(lines))
PY
  "$bin" --db "$work/wiki.db" import "$work/people" >/dev/null 2>&1
  start=$(date +%s.%N)
  "$bin" --db "$work/wiki.db" import --source --kind news "$work/sources" >/dev/null 2>"$work/err" ||
    { cat "$work/err" >&2; exit 1; }
  end=$(date +%s.%N)
  awk -v c="$count" -v s="$start" -v e="$end" \
    'BEGIN {printf "%d sources: %.2f s, %.2f ms per source\n", c, e - s, 1000 * (e - s) / c}'
done
