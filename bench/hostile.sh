#!/usr/bin/env bash
# Time scaling of hostile markup (issue 17): for each construct, the time of parse + render +
# extraction (outline, search text, facts, links) at n and 4n bytes and their ratio, which is
# about 4 when the work is linear (a quadratic step shows as 16). The fastest of three runs each.
#
#   bench/hostile.sh            # n = 128 KB (the table rows: 256 KB), about a minute
#   HOSTILE_KB=256 bench/hostile.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --example hostile --quiet
exec target/release/examples/hostile
