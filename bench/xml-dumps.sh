#!/usr/bin/env bash
# MediaWiki XML dumps (issue 19): import and export speed and peak memory on a generated dump of
# PAGES biographies x REVISIONS revisions (each revision changing one section).
#
#   cargo build --release && bash bench/xml-dumps.sh [PAGES] [REVISIONS]
#
# Prints the load average first: the figures mean little on a machine busy with other work.
set -euo pipefail
cd "$(dirname "$0")/.."
pages=${1:-10000}
revisions=${2:-10}
bin=${PLUTARCH_BIN:-target/release/plutarch}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
python3 bench/make-dump.py "$work/dump.xml" --pages "$pages" --revisions "$revisions"
ls -l "$work/dump.xml" | awk '{print "dump: " $5 " bytes"}'
measure() { # label, command...
    local label=$1; shift
    /usr/bin/time -v "$@" >"$work/out" 2>"$work/time" || { cat "$work/out" "$work/time"; exit 1; }
    grep -E '^(imported|exported)' "$work/out" | sed "s/^/$label: /"
    grep -E 'Elapsed|Maximum resident' "$work/time" | sed "s/^\s*/$label: /"
}
measure import "$bin" --db "$work/wiki.db" import-xml "$work/dump.xml"
measure re-import "$bin" --db "$work/wiki.db" import-xml "$work/dump.xml"
measure export "$bin" --db "$work/wiki.db" export-xml "$work/export.xml"
measure export-current "$bin" --db "$work/wiki.db" export-xml "$work/current.xml" --current
ls -l "$work/wiki.db" | awk '{print "database: " $5 " bytes"}'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
