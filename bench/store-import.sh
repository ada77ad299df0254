#!/usr/bin/env bash
# Import speed: COUNT (default 10,000) generated biographies of about 10 KB, then an export that
# must give back the imported files byte for byte, and a second import that changes nothing.
#   bash bench/store-import.sh [COUNT]
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-10000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 ../shared/corpus/gen_synthetic.py --dir "$work/gen" --count "$count" --kb 10 >/dev/null
cargo build --release --quiet
bin=${CARGO_TARGET_DIR:-target}/release/plutarch
echo "corpus: $count files, $(du -sh "$work/gen" | cut -f1); load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
/usr/bin/time -f "import: %e s wall, %U s user, %S s system, %M KB peak memory" "$bin" --db "$work/wiki.db" import "$work/gen" 2>&1 | grep -v INFO
echo "database: $(du -h "$work/wiki.db" | cut -f1)"
/usr/bin/time -f "export: %e s wall" "$bin" --db "$work/wiki.db" export "$work/out" 2>&1 | grep -v INFO
diff -r "$work/gen" "$work/out" && echo "export: identical to the imported files"
"$bin" --db "$work/wiki.db" import "$work/gen" 2>&1 | grep -v INFO
