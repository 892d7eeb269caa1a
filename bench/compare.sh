#!/usr/bin/env bash
# The same bench, in one run, against the server of another commit and this tree's:
#   bench/compare.sh REV [compliance-bench flags]     e.g. bench/compare.sh HEAD~3
# Builds REV's compliance-server in a worktree of its own (under /tmp, kept for the next
# comparison), then runs bench/run.sh with REV's server and with this tree's, one after the
# other, with the same client, flags and machine. Every row's ratio is to a baseline measured
# in its own pass, so the two passes compare ratio to ratio: the table it prints gives both,
# and their quotient (now / REV; above 1 is better where the target is ≥, worse where ≤).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
[[ $# -ge 1 ]] || { echo "usage: bench/compare.sh REV [compliance-bench flags]" >&2; exit 2; }
rev=$(git rev-parse --short "$1^{commit}")
shift
if [[ -z "${BENCH_BUILT:-}" ]]; then
  scripts/setup.sh
  scripts/build.sh
fi

other=/tmp/compliance-compare-$rev
if [[ ! -d "$other" ]]; then
  git worktree add --detach "$other" "$rev" >/dev/null
fi
if [[ ! -f "$other/build/build.ninja" ]]; then
  cmake -S "$other" -B "$other/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build "$other/build" -j "${BUILD_JOBS:-2}" --target compliance-server

out=build/bench/compare
mkdir -p "$out"
echo "== bench of $rev's server" >&2
BENCH_BUILT=1 BENCH_SERVER="$other/build/service/compliance-server" \
  BENCH_RESULTS="$out/$rev" bench/run.sh "$@" >/dev/null
echo "== bench of this tree's server ($(git rev-parse --short HEAD)$(git diff --quiet || echo +))" >&2
BENCH_BUILT=1 BENCH_RESULTS="$out/now" bench/run.sh "$@" >/dev/null

python3 - "$out/$rev.json" "$out/now.json" "$rev" <<'PY' | tee "$out/comparison.md"
import json, sys
before, now, rev = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3]
rows_before = {row["scenario"]: row for row in before["rows"]}
print(f"| scenario | {rev}: figure | ratio | now: figure | ratio | now / {rev} | target |")
print("|---|---|---|---|---|---|---|")
for row in now["rows"]:
    old = rows_before.get(row["scenario"])
    if old is None:
        print(f"| {row['scenario']} | — | — | {row['figure']} | {row['ratio']:.2f} | — | {row['target']} |")
        continue
    change = row["ratio"] / old["ratio"] if old["ratio"] else float("nan")
    print(f"| {row['scenario']} | {old['figure']} | {old['ratio']:.2f} | {row['figure']} "
          f"| {row['ratio']:.2f} | {change:.2f} | {row['target']} |")
print(f"\nmachine: {now['machine']}")
PY
