#!/usr/bin/env bash
# Fuzzes the JSON API against its own OpenAPI document with schemathesis (PyPI).
#
#   bash bench/schemathesis.sh                   # 30 examples per operation, every check
#   MAX_EXAMPLES=100 bash bench/schemathesis.sh
#
# Builds the release binary, serves a temporary database, makes an editor and an admin, each
# with an API token, and runs `schemathesis run --checks all` once with each token (the
# editor's writes are exercised, not only refused; the admin's deletes and job list too).
# PLUTARCH_BIN skips the build and uses that binary.
# bench/schemathesis.toml says which state-dependent answers (410, 412, 428, and 422 where
# two things named cannot be combined) count as accepting a schema-valid request.
# schemathesis comes from $SCHEMATHESIS, else the PATH, else a virtualenv made here.
set -euo pipefail
cd "$(dirname "$0")/.."
MAX_EXAMPLES=${MAX_EXAMPLES:-30}
st=${SCHEMATHESIS:-$(command -v schemathesis || true)}
if [ -z "$st" ]; then
  venv="${TMPDIR:-/tmp}/plutarch-schemathesis"
  [ -x "$venv/bin/schemathesis" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install -q schemathesis; }
  st="$venv/bin/schemathesis"
fi
bin=${PLUTARCH_BIN:-}
if [ -z "$bin" ]; then
  cargo build --release --quiet
  bin="${CARGO_TARGET_DIR:-target}/release/plutarch"
fi
config="$PWD/bench/schemathesis.toml"
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
db="$work/fuzz.db"
RUST_LOG=warn PLUTARCH_ADMIN_PASSWORD=fuzz-admin-password "$bin" serve --db "$db" --addr 127.0.0.1:0 > "$work/out" 2> "$work/err" &
pid=$!
for _ in $(seq 100); do grep -q '^listening on ' "$work/out" 2>/dev/null && break; sleep 0.1; done
base=$(sed -n 's/^listening on //p' "$work/out" | head -1)
[ -n "$base" ] || { echo "the server did not start:" >&2; cat "$work/err" >&2; exit 1; }
"$bin" --db "$db" user add fuzzer --role editor --password fuzz-password-123 > /dev/null
"$bin" --db "$db" user add fuzzadmin --role admin --password fuzz-password-123 > /dev/null
editor=$("$bin" --db "$db" token create fuzzer | tail -1)
admin=$("$bin" --db "$db" token create fuzzadmin | tail -1)
echo "server: $base; schemathesis $("$st" --version | awk '{print $NF}'), $MAX_EXAMPLES examples per operation"
status=0
for role in editor admin; do
  token=$editor; [ "$role" = admin ] && token=$admin
  echo "== with the $role's token"
  # From the temporary folder, so schemathesis's own cache stays out of the repository.
  (cd "$work" && "$st" --config-file "$config" run "$base/api/openapi.json" --url "$base" \
    --checks all --max-examples "$MAX_EXAMPLES" --seed "${SEED:-1}" \
    --header "Authorization: Bearer $token" \
    --report junit --report-dir "$work/report-$role" --no-color "$@") || status=$?
done
if grep -q 'panicked' "$work/err"; then echo "the server panicked:" >&2; grep -A3 panicked "$work/err" >&2; status=1; fi
exit $status
