#!/usr/bin/env bash
# The instructions an import executes, by thread, for each binary given: COUNT generated
# biographies (default 500, about 10 KB each) imported into a new database under
# `valgrind --tool=callgrind --separate-threads=yes`. Instruction counts do not depend on the
# host's load, so builds can be compared on a busy machine (wall time cannot); SHA-256 runs in
# software under valgrind, which inflates its share (about 950 M instructions for 500 pages).
#   bash bench/import-instructions.sh COUNT BINARY...
# Prints per binary: the total, the main thread (the single writer: it also opens and migrates
# the database) and the reading threads. The profiles stay in OUT (default a temporary folder)
# for callgrind_annotate.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: bash bench/import-instructions.sh COUNT BINARY..." >&2; exit 2; }
count=$1
shift
out=${OUT:-$(mktemp -d)}
mkdir -p "$out"
python3 ../shared/corpus/gen_synthetic.py --dir "$out/gen" --count "$count" --kb 10 >/dev/null
n=0
for bin in "$@"; do
  n=$((n + 1))
  rm -f "$out/run$n".db* "$out/run$n".out*
  valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$out/run$n.out" \
    "$bin" --db "$out/run$n.db" import "$out/gen" >"$out/run$n.log" 2>&1 &
  pid=$!
  # The reading threads lower their priority (nice 10) for the writer's sake; valgrind runs
  # one thread at a time, so on a busy host a niced reader would stall the whole run. Back to
  # the process's own priority (this changes nothing that is counted).
  while kill -0 "$pid" 2>/dev/null; do
    for task in /proc/"$pid"/task/*; do
      [ "$(awk '{print $19}' "$task/stat" 2>/dev/null)" = 10 ] &&
        renice -n 0 -p "$(basename "$task")" >/dev/null 2>&1 || true
    done
    sleep 1
  done
  wait "$pid"
  total=0
  readers=0
  writer=0
  for file in "$out/run$n".out-*; do
    ir=$(sed -n 's/^summary: //p' "$file")
    total=$((total + ir))
    case $file in
      *-01) writer=$ir ;;
      *) readers=$((readers + ir)) ;;
    esac
  done
  printf '%s: total %d M, writer %d M, readers %d M (%s)\n' "$bin" $((total / 1000000)) \
    $((writer / 1000000)) $((readers / 1000000)) "$out/run$n.out-*"
done
