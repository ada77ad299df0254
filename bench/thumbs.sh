#!/usr/bin/env bash
# /thumb served from the database cache under load (issue 16): wrk -t2 -c16 on one thumbnail
# URL after its first request made and kept it.
#
#   bash bench/thumbs.sh                 # builds the release binary, temporary database
#   ADDR=127.0.0.1:18110 DURATION=10s bash bench/thumbs.sh
#   PLUTARCH_BIN=/path/to/plutarch bash bench/thumbs.sh   # a binary built before (no build)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
DURATION=${DURATION:-10s}
ADDR=${ADDR:-127.0.0.1:18110}
bin=${PLUTARCH_BIN:-}
if [ -z "$bin" ]; then
  cargo build --release --quiet
  bin=./target/release/plutarch
fi
work=$(mktemp -d)
trap 'kill "${pid:-}" 2>/dev/null || true; wait "${pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
"$bin" --db "$work/t.db" user add bench --role editor --password bench-password >/dev/null
token=$("$bin" --db "$work/t.db" token create bench | tail -1)
python3 - "$work/photo.png" <<'PY'
import struct, sys, zlib
w, h = 1600, 1200
rows = b"".join(b"\0" + bytes(((x * 7) ^ (y * 13)) & 255 for x in range(w * 3)) for y in range(h))
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) \
    + chunk(b"IDAT", zlib.compress(rows, 6)) + chunk(b"IEND", b"")
open(sys.argv[1], "wb").write(png)
PY
RUST_LOG=warn "$bin" --db "$work/t.db" serve --addr "$ADDR" > "$work/out" 2> "$work/err" &
pid=$!
for _ in $(seq 100); do grep -q '^listening on ' "$work/out" 2>/dev/null && break; sleep 0.1; done
base=$(sed -n 's/^listening on //p' "$work/out" | head -1)
[ -n "$base" ] || { echo "the server did not start:" >&2; cat "$work/err" >&2; exit 1; }
curl -sf -H "Authorization: Bearer $token" -F "file=@$work/photo.png;filename=Photo.png" \
  "$base/api/files" > /dev/null
url="$base/thumb/250/Photo.png"
first=$(curl -s -o /dev/null -w '%{time_total}' "$url")
echo "first request (makes the thumbnail): ${first}s; then wrk -t2 -c16 -d$DURATION on $(nproc) cores (shared):"
wrk -t2 -c16 -d"$DURATION" --latency "$url"
