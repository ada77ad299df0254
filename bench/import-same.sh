#!/usr/bin/env bash
# Whether two builds import the same generated corpus into the same derived data (issue 13: a
# faster import must not change what it extracts). Each binary imports COUNT generated
# biographies (default 500) into a new database; then the derived tables are dumped in a fixed
# order (people, facts, events, citations, mentions, links, categories, templates, the search
# rows and sections), and every page's `/api/pages/{title}/facts` and `/timeline` JSON is read
# from a server over that database. The two dumps must be identical.
#   bash bench/import-same.sh BEFORE_BINARY AFTER_BINARY [COUNT] [PORT]
# Exit 0 and "identical" when they are; otherwise the first lines of the difference, exit 1.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: bash bench/import-same.sh BEFORE AFTER [COUNT] [PORT]" >&2; exit 2; }
before=$1
after=$2
count=${3:-500}
port=${4:-18251}
work=$(mktemp -d)
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
python3 ../shared/corpus/gen_synthetic.py --dir "$work/gen" --count "$count" --kb 10 >/dev/null

# Every row of the tables a save derives from a text, in a fixed order (ids are assigned in
# import order, the same for both builds).
dump_tables() {
  local db=$1
  for table in people facts events citations mentions links categories templates \
    search_rows sections; do
    echo "== $table"
    sqlite3 -readonly "$db" "SELECT * FROM $table ORDER BY 1, 2, 3" 2>&1 || true
  done
}

# Every page's facts and timeline as the API serves them.
dump_api() {
  local bin=$1 db=$2
  "$bin" --db "$db" serve --addr "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$port/api/pages" >/dev/null 2>&1 && break
    sleep 0.1
  done
  sqlite3 -readonly "$db" "SELECT title FROM pages ORDER BY id" |
    python3 -c 'import sys, urllib.parse; [print(urllib.parse.quote(l.rstrip("\n").replace(" ", "_"), safe="")) for l in sys.stdin]' |
    while read -r title; do
      for what in facts timeline; do
        echo "== $title $what"
        # The import's time is the only thing that may differ.
        curl -s "http://127.0.0.1:$port/api/pages/$title/$what" |
          sed -E 's/"timestamp":"[^"]*"/"timestamp":_/g'
        echo
      done
    done
  kill "$server"
  wait "$server" 2>/dev/null || true
  server=
}

for side in before after; do
  bin=${!side}
  "$bin" --db "$work/$side.db" import "$work/gen" >/dev/null 2>&1
  dump_tables "$work/$side.db" >"$work/$side.tables"
  dump_api "$bin" "$work/$side.db" >"$work/$side.api"
done
echo "$(grep -c '' "$work/before.tables") table lines, $(grep -c '^== ' "$work/before.api") API answers"
if cmp -s "$work/before.tables" "$work/after.tables" && cmp -s "$work/before.api" "$work/after.api"; then
  echo identical
else
  diff "$work/before.tables" "$work/after.tables" | head -20 | cut -c1-300 || true
  diff "$work/before.api" "$work/after.api" | head -20 | cut -c1-300 || true
  exit 1
fi
