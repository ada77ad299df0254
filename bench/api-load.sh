#!/usr/bin/env bash
# Load test of the JSON API: section reads with wrk beside /healthz in the same run, then
# durable section writes.
#
#   bash bench/api-load.sh                 # builds the release binary, temporary database
#   DURATION=10s WRITE_SECONDS=10 WRITERS=1 bash bench/api-load.sh
#
# Reads: wrk -t2 -c16 on /healthz, GET /api/pages/Alan_Turing/sections and …/sections/{key}
# (by index and by id). Writes: bench/api-writes.py (PUT …/sections/{key}, each based on the
# previous answer's revision, acknowledged after a synchronous=FULL commit).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
DURATION=${DURATION:-10s}
WRITE_SECONDS=${WRITE_SECONDS:-10}
WRITERS=${WRITERS:-1}
cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-target}/release/plutarch"
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
db="$work/load.db"
RUST_LOG=warn PLUTARCH_ADMIN_PASSWORD=bench-admin-password "$bin" serve --db "$db" --addr 127.0.0.1:0 > "$work/out" 2> "$work/err" &
pid=$!
for _ in $(seq 100); do grep -q '^listening on ' "$work/out" 2>/dev/null && break; sleep 0.1; done
base=$(sed -n 's/^listening on //p' "$work/out" | head -1)
[ -n "$base" ] || { echo "the server did not start:" >&2; cat "$work/err" >&2; exit 1; }
"$bin" --db "$db" user add bench --role editor --password bench-password-123 > /dev/null
token=$("$bin" --db "$db" token create bench | tail -1)
echo "server: $base (pid $pid), wrk -t2 -c16 -d$DURATION, $(nproc) cores"

id=$(curl -s "$base/api/pages/Alan_Turing/sections" | python3 -c 'import json,sys; print(json.load(sys.stdin)["sections"][1]["id"])')
run() {
  local name=$1 path=$2
  local status rps p50 p99
  status=$(curl -s -o /dev/null -w '%{http_code}' "$base$path")
  [ "$status" = 200 ] || { echo "$path answers $status" >&2; exit 1; }
  wrk -t2 -c16 -d"$DURATION" --latency "$base$path" > "$work/wrk" 2>&1
  rps=$(awk '/^Requests\/sec/ {print $2}' "$work/wrk")
  p50=$(awk '$1 == "50%" {print $2}' "$work/wrk")
  p99=$(awk '$1 == "99%" {print $2}' "$work/wrk")
  if grep -q 'Non-2xx' "$work/wrk"; then echo "$path: $(grep 'Non-2xx' "$work/wrk")" >&2; exit 1; fi
  printf '%-34s %10s req/s   p50 %8s   p99 %8s\n' "$name" "$rps" "$p50" "$p99"
  echo "$rps" > "$work/rps-$3"
}
run "healthz" /healthz healthz
run "GET …/sections" /api/pages/Alan_Turing/sections sections
run "GET …/sections/1" /api/pages/Alan_Turing/sections/1 index
run "GET …/sections/{id}" "/api/pages/Alan_Turing/sections/$id" id
run "healthz (again)" /healthz healthz2
python3 - "$work" <<'PY'
import sys
w = sys.argv[1]
r = lambda n: float(open(f"{w}/rps-{n}").read())
health = max(r("healthz"), r("healthz2"))
for name in ("sections", "index", "id"):
    print(f"  {name}: {r(name) / health:.0%} of /healthz")
PY
python3 bench/api-writes.py "$base" "$token" "$WRITE_SECONDS" "$WRITERS"
