#!/usr/bin/env bash
# /api/people over many generated people: COUNT biographies (default 100,000, about 2 KB each)
# imported into a new database, then a release server on 127.0.0.1 answers 40 requests of each
# query, every one with another `limit` so the answer cache is never used; prints the median
# and the 90th percentile of the time to first byte.
#   bash bench/people.sh [COUNT]
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-100000}
port=${PORT:-18990}
cargo build --release -q
bin=target/release/plutarch
work=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
python3 ../shared/corpus/gen_synthetic.py --dir "$work/gen" --count "$count" --kb 2 --seed 3 >/dev/null
"$bin" --db "$work/people.db" import "$work/gen" 2>/dev/null | tail -1
"$bin" --db "$work/people.db" serve --addr "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
measure() {
  for n in $(seq 101 140); do
    curl -s -o /dev/null -w '%{time_starttransfer}\n' "http://127.0.0.1:$port$1&limit=$n"
  done | sort -n | awk -v q="$1" '{a[NR]=$1} END {printf "%-60s median %.1f ms, p90 %.1f ms\n", q, a[int((NR+1)/2)]*1000, a[int(NR*0.9)]*1000}'
}
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores, $count people:"
measure "/api/people?born_after=1900&born_before=1950"
measure "/api/people?born_after=1900&born_before=1900"
measure "/api/people?born_after=2990&born_before=2999"
measure "/api/people?sort=born"
measure "/api/people?born_after=1900&born_before=1950&sort=born"
