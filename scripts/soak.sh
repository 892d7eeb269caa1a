#!/usr/bin/env bash
# The soak: mixed load (reads, creates with retries, batches, completions of recurring actions,
# audit watchers, /metrics scrapes) against the real server for a bounded time, printing errors
# and the server's RSS every interval. It fails on any error, or when RSS grows by 10 % or more
# after the warm-up. The server and its PostgreSQL are bench/run.sh's (durable defaults).
#   scripts/soak.sh [--seconds N (default 600)] [--warmup N (60)] [--interval N (30)]
#                   [--max-growth PERCENT (10)]
# SOAK_BUILT=1 skips setup and build. The output is also kept in build/soak/results.md.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
flags=(--soak)
while (($#)); do
  case $1 in
    --seconds | --warmup | --interval | --max-growth) flags+=("--soak-${1#--}" "$2"); shift 2 ;;
    *) echo "soak.sh: unknown flag $1" >&2; exit 2 ;;
  esac
done
if [[ -z "${SOAK_BUILT:-}" ]]; then
  scripts/setup.sh
  [[ -f build/build.ninja ]] || cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build build -j "${BUILD_JOBS:-2}" --target compliance-server compliancectl compliance-bench
fi
BENCH_BUILT=1 BENCH_RESULTS=build/soak/results exec bench/run.sh "${flags[@]}"
