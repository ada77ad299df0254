#!/usr/bin/env bash
# Round trip through MediaWiki itself (issue 19; not CI, needs root and Debian's packages):
# installs MediaWiki 1.39 (`mediawiki`, `php-sqlite3`) on SQLite, imports Plutarch's export with
# importDump.php, dumps it back with dumpBackup.php --full, imports that into a new Plutarch
# wiki, and compares every revision's text byte for byte both ways.
#
#   cargo build && bash bench/mediawiki-roundtrip.sh [PAGES] [REVISIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
pages=${1:-200}
revisions=${2:-5}
bin=$(realpath "${PLUTARCH_BIN:-target/debug/plutarch}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mw=/usr/share/mediawiki

if [ ! -f "$mw/maintenance/importDump.php" ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        mediawiki php-sqlite3 php-cli php-mbstring php-xml php-intl >/dev/null
fi
php -r 'echo "PHP ", PHP_VERSION, "\n";'

# MediaWiki on SQLite, with our Source namespace (100) so Source: pages keep it.
mkdir -p "$work/data" "$work/conf"
php "$mw/maintenance/install.php" --dbtype sqlite --dbpath "$work/data" --dbname roundtrip \
    --server http://localhost --scriptpath /mediawiki --pass 'Roundtrip-pass-19' \
    --confpath "$work/conf" --lang en Roundtrip Admin >"$work/install.log" 2>&1 \
    || { tail -20 "$work/install.log"; exit 1; }
cat >>"$work/conf/LocalSettings.php" <<'PHP'
$wgExtraNamespaces[100] = "Source";
$wgExtraNamespaces[101] = "Source_talk";
PHP
conf=(--conf "$work/conf/LocalSettings.php")

# Plutarch's export of a generated wiki (no hidden revisions: a dump carries no text for them).
python3 bench/make-dump.py "$work/generated.xml" --pages "$pages" --revisions "$revisions"
"$bin" --db "$work/p1.db" import-xml "$work/generated.xml"
"$bin" --db "$work/p1.db" export-xml "$work/p1.xml"

start=$(date +%s)
php "$mw/maintenance/importDump.php" "${conf[@]}" "$work/p1.xml" 2>&1 | tail -2
echo "importDump.php: $(( $(date +%s) - start )) s"
start=$(date +%s)
php "$mw/maintenance/dumpBackup.php" "${conf[@]}" --full --quiet >"$work/mw.xml"
echo "dumpBackup.php --full: $(( $(date +%s) - start )) s, $(stat -c %s "$work/mw.xml") bytes"

"$bin" --db "$work/p2.db" import-xml "$work/mw.xml"
"$bin" --db "$work/p2.db" export-xml "$work/p2.xml"

python3 - "$work/p1.xml" "$work/mw.xml" "$work/p2.xml" <<'PY'
import sys, xml.etree.ElementTree as ET

def texts(path):
    """(title, timestamp, index among the same second) -> text, for every revision with a text."""
    out, seen = {}, {}
    for _, el in ET.iterparse(path):
        if el.tag.rsplit('}', 1)[-1] != 'page':
            continue
        ns = el.tag[:el.tag.index('}') + 1]
        title = el.find(ns + 'title').text
        for rev in el.findall(ns + 'revision'):
            text = rev.find(ns + 'text')
            if text is None or text.get('deleted') is not None:
                continue
            stamp = rev.find(ns + 'timestamp').text
            n = seen.get((title, stamp), 0)
            seen[(title, stamp)] = n + 1
            out[(title, stamp, n)] = text.text or ''
        el.clear()
    return out

p1, mw, p2 = (texts(p) for p in sys.argv[1:4])
status = 0
for name, a, b in (("Plutarch -> MediaWiki", p1, mw), ("MediaWiki -> Plutarch", mw, p2)):
    missing = sorted(set(a) - set(b))
    differ = [k for k in a if k in b and a[k] != b[k]]
    print(f"{name}: {len(a)} revisions, {len(missing)} missing, {len(differ)} differ")
    for k in (missing + differ)[:5]:
        print("   ", k, repr(a.get(k, '')[:80]), repr(b.get(k, '')[:80]))
    status |= bool(missing or differ)
sys.exit(status)
PY
