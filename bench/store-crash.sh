#!/usr/bin/env bash
# kill -9 during a write load, then reopen: PRAGMA integrity_check must be ok and every edit
# that was acknowledged must be there. Runs ROUNDS rounds (default 5) on one database.
#   bash bench/store-crash.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
bin=$(cargo test --release --test it --no-run --message-format=json 2>/dev/null |
  jq -r 'select(.executable != null and .target.name == "it") | .executable' | tail -1)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db="$work/crash.db"
acks="$work/acks.log"
: >"$acks"
for round in $(seq 1 "$rounds"); do
  PLUTARCH_CRASH_DB="$db" PLUTARCH_CRASH_ROUND="$round" \
    "$bin" store::crash_writer --ignored --exact --nocapture --test-threads 1 >>"$acks" 2>/dev/null &
  writer=$!
  # Let it write for a while (0.5 to 2.5 s), then pull the plug mid-write.
  sleep "$(awk -v r="$RANDOM" 'BEGIN { printf "%.2f", 0.5 + (r % 200) / 100 }')"
  kill -9 "$writer"
  wait "$writer" 2>/dev/null || true
  echo "round $round: killed after $(grep -c "^acked r$round " "$acks" || true) acknowledged edits"
  PLUTARCH_CRASH_DB="$db" PLUTARCH_CRASH_ACKS="$acks" \
    "$bin" store::crash_check --ignored --exact --nocapture --test-threads 1 | grep -E "crash check|panicked|FAILED" || {
    echo "round $round: the check failed"
    exit 1
  }
done
echo "store-crash: $rounds rounds, $(grep -c '^acked ' "$acks") acknowledged edits, none lost"
