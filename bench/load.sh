#!/usr/bin/env bash
# Load test of the running server with wrk: the same server, one run, side by side.
#
#   bash bench/load.sh            # builds the release binary, starts it on a temporary database
#   DURATION=10s bash bench/load.sh
#   ADDR=127.0.0.1:18301 CYCLES=200 bash bench/load.sh
#   BIN=/path/to/plutarch bash bench/load.sh   # that binary, not built (to compare builds)
#
# Prints requests/s and latency percentiles for /healthz, a biography page view (anonymous and
# signed in), and (when those routes exist) history, search and the sections API, with wrk
# -t2 -c16. With ../shared beside the repository, two corpus biographies are imported first and
# viewed anonymously and signed in too: julia_kristeva (26 KB of markup, a 56 KB page: the
# "60 KB biography" of issue 20) and the long al_Haytham (108 KB of markup, a 193 KB page); then
# "the first view after a save" is timed on each (bench/first-view.py: CYCLES API section
# writes with an editor's token, each followed by one signed-in GET of the page).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
DURATION=${DURATION:-10s}
ADDR=${ADDR:-127.0.0.1:0}
CYCLES=${CYCLES:-200}
bin=${BIN:-}
if [ -z "$bin" ]; then
  cargo build --release --quiet
  bin=./target/release/plutarch
fi
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
export PLUTARCH_ADMIN_PASSWORD=load-test-password
RUST_LOG=warn "$bin" serve --db "$work/load.db" --addr "$ADDR" > "$work/out" 2> "$work/err" &
pid=$!
for _ in $(seq 100); do grep -q '^listening on ' "$work/out" 2>/dev/null && break; sleep 0.1; done
base=$(sed -n 's/^listening on //p' "$work/out" | head -1)
[ -n "$base" ] || { echo "the server did not start:" >&2; cat "$work/err" >&2; exit 1; }
echo "server: $base (pid $pid), wrk -t2 -c16 -d$DURATION, $(nproc) cores"
long=../shared/corpus/wikipedia/al_Haytham.txt
usual=../shared/corpus/wikipedia/julia_kristeva.txt
if [ -f "$long" ]; then
  # Imported beside the running server (which made the sample pages on its first start).
  "$bin" --db "$work/load.db" import "$long" "$usual" > /dev/null 2>&1
fi

# The admin's session cookie, signed in through the form as a browser does.
jar="$work/jar"
csrf=$(curl -s -c "$jar" "$base/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
curl -s -b "$jar" -c "$jar" -o /dev/null \
  --data-urlencode "csrf=$csrf" --data-urlencode name=admin \
  --data-urlencode "password=$PLUTARCH_ADMIN_PASSWORD" "$base/login"
cookie=$(awk '{sub(/^#HttpOnly_/, "")} !/^#/ && NF >= 7 {printf "%s=%s; ", $6, $7}' "$jar")

# run NAME PATH [COOKIE]
run() {
  local name=$1 path=$2 cookie=${3:-}
  local status
  local headers=()
  [ -z "$cookie" ] || headers=(-H "Cookie: $cookie")
  status=$(curl -s -o /dev/null -w '%{http_code}' "${headers[@]}" "$base$path")
  if [ "$status" != 200 ]; then
    printf '%-28s skipped (%s answers %s)\n' "$name" "$path" "$status"
    return
  fi
  curl -s "${headers[@]}" "$base$path" > /dev/null  # warm
  wrk -t2 -c16 -d"$DURATION" --latency "${headers[@]}" "$base$path" > "$work/wrk" 2>&1
  local rps p50 p99
  rps=$(awk '/^Requests\/sec/ {print $2}' "$work/wrk")
  p50=$(awk '$1 == "50%" {print $2}' "$work/wrk")
  p99=$(awk '$1 == "99%" {print $2}' "$work/wrk")
  printf '%-28s %10s req/s   p50 %8s   p99 %8s\n' "$name" "$rps" "$p50" "$p99"
}

run "healthz" /healthz
run "page view (biography)" /wiki/Alan_Turing
if [ -n "$cookie" ]; then
  run "  signed in" /wiki/Alan_Turing "$cookie"
else
  echo "signed-in views skipped: could not sign in"
fi
if [ -f "$long" ]; then
  run "page view (56 KB biography)" /wiki/Julia_kristeva
  [ -z "$cookie" ] || run "  signed in" /wiki/Julia_kristeva "$cookie"
  run "page view (193 KB biography)" /wiki/Al_Haytham
  [ -z "$cookie" ] || run "  signed in" /wiki/Al_Haytham "$cookie"
fi
if [ -f "$long" ] && [ -n "$cookie" ]; then
  "$bin" --db "$work/load.db" user add bench --role editor --password bench-password-123 > /dev/null
  token=$("$bin" --db "$work/load.db" token create bench | tail -1)
  python3 bench/first-view.py "$base" "$token" "$cookie" Julia_kristeva "$CYCLES"
  python3 bench/first-view.py "$base" "$token" "$cookie" Al_Haytham "$CYCLES"
fi
run "page history" /wiki/Alan_Turing/history
run "search" "/search?q=mathematician"
run "api sections" /api/pages/Alan_Turing/sections
run "api one section" /api/pages/Alan_Turing/sections/1
run "healthz (again)" /healthz
