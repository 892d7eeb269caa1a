#!/usr/bin/env bash
# The benchmark command: sets up what is missing, builds, starts a PostgreSQL of its own with
# PostgreSQL's durable defaults (fsync on) and the real server, then runs compliance-bench,
# which prints the results table and writes build/bench/results.{md,json}.
#   bench/run.sh [compliance-bench flags, e.g. --seconds 3 --history 100000]
# BENCH_BUILT=1 skips setup and build (the test suite's smoke run, on a tree it just built).
# BENCH_SERVER=path measures that compliance-server instead of this tree's (bench/compare.sh).
# BENCH_KEEP_LOG=file and BENCH_KEEP_PG_LOG=file keep the server's and PostgreSQL's logs;
# PG_EXTRA_OPTS adds PostgreSQL settings (scripts/pg.sh), e.g. "-c log_checkpoints=on".
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
if [[ -z "${BENCH_BUILT:-}" ]]; then
  scripts/setup.sh
  scripts/build.sh
fi

work=$(mktemp -d /tmp/compliance-bench.XXXXXX)
chmod 755 "$work"
server_pid=""
cleanup() {
  local status=$?
  ((status == 0)) || tail -n 20 "$work/server.log" >&2 || true
  # A server that exits with an error (or a wrapper such as perf's) must not leave
  # PostgreSQL running: nothing here may stop the trap before pg.sh does.
  if [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null; then
    wait "$server_pid" 2>/dev/null || true
  fi
  "$root/scripts/pg.sh" stop "$work/pg" || true
  if [[ -n "${BENCH_KEEP_LOG:-}" ]]; then cp "$work/server.log" "$BENCH_KEEP_LOG" || true; fi
  if [[ -n "${BENCH_KEEP_PG_LOG:-}" ]]; then cp "$work/pg/server.log" "$BENCH_KEEP_PG_LOG" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

DATABASE_URL=$(scripts/pg.sh start "$work/pg")
export DATABASE_URL
server=${BENCH_SERVER:-build/service/compliance-server}
"$server" migrate >/dev/null
token=$("$server" token create --name bench --role admin)
# Checkpoints are signed as in production: the signing is part of what is measured.
"$server" audit-key create --name bench/audit --audit-signing-key "$work/audit.key" >/dev/null
export COMPLIANCE_AUDIT_SIGNING_KEY=$work/audit.key
grpc=127.0.0.1:$(scripts/free-port.sh)
metrics=127.0.0.1:$(scripts/free-port.sh)
# A server from before the REST listener (bench/compare.sh) serves without one.
http_flags=() bench_http=()
if "$server" --help 2>/dev/null | grep -q -- --http-listen; then
  http=127.0.0.1:$(scripts/free-port.sh)
  http_flags=(--http-listen "$http") bench_http=(--http "$http")
fi
# A server from before webhooks (bench/compare.sh) has no deliveries to measure.
webhook_flags=() bench_webhooks=()
if "$server" --help 2>/dev/null | grep -q -- --allow-insecure-webhooks; then
  webhook_flags=(--allow-insecure-webhooks) bench_webhooks=(--webhooks)
fi
# Scrapes are measured uncached (--metrics-cache 0): each one pays for its snapshot query.
"$server" serve --no-migrate --listen "$grpc" --metrics-listen "$metrics" --metrics-cache 0 \
  "${http_flags[@]}" "${webhook_flags[@]}" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  COMPLIANCE_SERVER=$grpc COMPLIANCE_TOKEN=$token build/client/compliancectl requirements list \
    >/dev/null 2>&1 && break
  sleep 0.1
done
sleep 2  # let start-up settle before the idle memory reading

pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
machine="$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)),"
machine+=" $(free -g | awk '/Mem:/ {print $2}') GiB, $("$pgbin/postgres" --version), fsync on"
results=${BENCH_RESULTS:-build/bench/results}  # scripts/soak.sh writes elsewhere
mkdir -p "$(dirname "$results")"
build/bench/compliance-bench --server "$grpc" --metrics "$metrics" "${bench_http[@]}" \
  "${bench_webhooks[@]}" \
  --database-url "$DATABASE_URL" \
  --token "$token" --server-pid "$server_pid" --server-binary "$server" \
  --pgbench "$pgbin/pgbench" \
  --json "$results.json" --machine "$machine" "$@" | tee "$results.md"
echo "machine: $machine" | tee -a "$results.md"
