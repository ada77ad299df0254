#!/usr/bin/env bash
# What one search costs over a section of one word repeated N times (issue 17): FTS5's
# snippet() was quadratic in the repetitions. Each binary gets a fresh database holding one
# page whose section is `zyzzyva ` × N, and answers, RUNS times each (median shown):
#   one     /api/search?q=zyzzyva
#   repeat  /api/search?q=zyzzyva+zyzzyva+… (75 copies)
#
#   bash bench/search-cost.sh                       # this tree's release build
#   bash bench/search-cost.sh /tmp/old/plutarch ./target/release/plutarch   # side by side
#   SIZES="10000 40000" RUNS=1 MAX_TIME=30 bash bench/search-cost.sh   # a request gives up after 30 s
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${SIZES:-"10000 40000"}
RUNS=${RUNS:-3}
MAX_TIME=${MAX_TIME:-60}
if [ $# -eq 0 ]; then
  cargo build --release --quiet
  set -- ./target/release/plutarch
fi
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$work"' EXIT
repeat=$(printf 'zyzzyva+%.0s' $(seq 75))

time_of() {  # the median of RUNS: seconds and status (000: gave up after MAX_TIME)
  for _ in $(seq "$RUNS"); do
    curl -s -o /dev/null -m "$MAX_TIME" -w '%{time_total} %{http_code}\n' "$1" || true
  done | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p"
}

for binary in "$@"; do
  for n in $SIZES; do
    rm -rf "$work/db"* "$work/out" "$work/err"
    mkdir -p "$work/pages"
    { printf '= Repetitive =\nLead.\n== Words ==\n'; printf 'zyzzyva %.0s' $(seq "$n"); printf '\n'; } \
      > "$work/pages/Repetitive.wiki"
    RUST_LOG=warn "$binary" --db "$work/db" import "$work/pages" > /dev/null
    PLUTARCH_REQUEST_DEADLINE=600s RUST_LOG=warn "$binary" --db "$work/db" serve --addr 127.0.0.1:0 \
      > "$work/out" 2> "$work/err" &
    pid=$!
    for _ in $(seq 100); do grep -q '^listening on ' "$work/out" 2>/dev/null && break; sleep 0.1; done
    base=$(sed -n 's/^listening on //p' "$work/out" | head -1)
    [ -n "$base" ] || { echo "$binary did not start:" >&2; cat "$work/err" >&2; exit 1; }
    read -r one one_status <<< "$(time_of "$base/api/search?q=zyzzyva")"
    read -r rep rep_status <<< "$(time_of "$base/api/search?q=$repeat")"
    printf '%-40s N=%-6s one %8.3f s (%s)   repeat x75 %8.3f s (%s)\n' \
      "$binary" "$n" "$one" "$one_status" "$rep" "$rep_status"
    # An older build keeps a runaway search going through SIGTERM: 5 s, then SIGKILL.
    kill "$pid"
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then echo "  (SIGTERM did not stop it in 5 s: SIGKILL)"; kill -9 "$pid"; fi
    wait "$pid" 2>/dev/null || true; pid=
  done
done
