#!/usr/bin/env bash
# Idle sockets and slow bodies cannot take the server down (issue 17).
#
#   bash bench/connections.sh
#   IDLE=2000 SLOW=300 HOLD=20 bash bench/connections.sh
#
# Builds the release binary and starts it on a temporary database under `ulimit -n 1024`, with
# its default limits. bench/connections.py then opens IDLE connections that send nothing and
# SLOW sign-in posts announcing 6.4 MB bodies (half with a length, half chunked) that are sent
# as fast as the server reads them for half of HOLD seconds and then stall; meanwhile it asks
# for /healthz and a page view every 200 ms on new connections. Prints how those answered
# (latency), the server's memory before, during and after, and what the server logged.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
(ulimit -n 1024; RUST_LOG=warn exec ./target/release/plutarch serve --db "$work/bench.db" --addr 127.0.0.1:0 > "$work/out" 2> "$work/err") &
pid=$!
for _ in $(seq 100); do grep -q '^listening on ' "$work/out" 2>/dev/null && break; sleep 0.1; done
base=$(sed -n 's/^listening on http:\/\///p' "$work/out" | head -1)
[ -n "$base" ] || { echo "the server did not start:" >&2; cat "$work/err" >&2; exit 1; }
echo "server: $base (pid $pid), open-file limit $(awk '/^Max open files/ {print $4}' /proc/$pid/limits), $(nproc) cores"
timeout 120 python3 bench/connections.py "$base" "$pid"
echo "server log (warnings):"
sed 's/^/  /' "$work/err" | cut -c1-220 | tail -n 8
kill -0 "$pid" && echo "the server is still running"
