#!/usr/bin/env bash
# What reading knowledge from the text costs an import (issue 13): a build of this checkout
# against the same commit without the text's reading (bench/without-text-extraction.patch: the
# person from its infobox alone, as before issue 13, and no citations looked for), side by side
# with bench/import-ab.sh (10,000 generated biographies, builds alternated round by round).
#   bash bench/import-cost.sh [ROUNDS]   (default 7: one five-round run moves by several points
#   on a 2-core host; an odd number gives a true median)
# Both are release builds in target folders under COST_TARGET (default /tmp/plutarch-cost),
# kept for the next run: the first run builds twice from nothing (about 10 minutes each on two
# cores). The build without the reading is made from HEAD; uncommitted changes are measured in
# the build with it only, so commit first.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-7}
out=${COST_TARGET:-${TMPDIR:-/tmp}/plutarch-cost}
mkdir -p "$out"
[ -z "$(git status --porcelain --untracked-files=no)" ] ||
  echo "note: uncommitted changes are in the build with the reading only" >&2
tree="$out/without-tree"
git worktree remove --force "$tree" 2>/dev/null || rm -rf "$tree"
git worktree prune
git worktree add --detach --quiet "$tree" HEAD
trap 'git worktree remove --force "$tree"' EXIT
git -C "$tree" apply "$PWD/bench/without-text-extraction.patch"
echo "building with the text's reading ($(git rev-parse --short HEAD)) and without it" >&2
CARGO_TARGET_DIR="$out/with-target" cargo build --release --quiet --bin plutarch
CARGO_TARGET_DIR="$out/without-target" cargo build --release --quiet --bin plutarch \
  --manifest-path "$tree/Cargo.toml"
cp "$out/with-target/release/plutarch" "$out/with-reading"
cp "$out/without-target/release/plutarch" "$out/without-reading"
bash bench/import-ab.sh "$rounds" "$out/with-reading" "$out/without-reading"
