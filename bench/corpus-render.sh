#!/usr/bin/env bash
# Issue 14's measure: renders ../shared/corpus/wikipedia/ as the wiki does and counts, per page,
# placeholder boxes, raw markup in the text, footnotes holding a placeholder and infobox rows
# labelled with a raw parameter name (see examples/corpus_render.rs).
#   bash bench/corpus-render.sh [FOLDER] [--names N]
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo run --quiet --example corpus_render -- "$@"
