#!/usr/bin/env bash
# A long fuzzing run: builds the sanitizer build (build-sanitize/) and fuzzes each target (or
# those named) for the given minutes, one after another, keeping what it learns in
# .fuzz/NAME/ so the next run starts from there. A crash stops the run and is written to
# .fuzz/crash-NAME-*; once fixed, copy it into tests/fuzz/regressions/NAME/.
#   scripts/fuzz.sh [--minutes N] [NAME ...]     (default: 10 minutes each, every target)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
minutes=10
targets=()
while (($#)); do
  case $1 in
    --minutes) minutes=$2; shift 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
if ((${#targets[@]} == 0)); then
  for source in "$root"/tests/fuzz/*_fuzz.cpp; do targets+=("$(basename "$source" _fuzz.cpp)"); done
fi
"$root/scripts/setup.sh"
"$root/scripts/build.sh" sanitize
export LSAN_OPTIONS=suppressions=$root/tests/sanitize/lsan.supp
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
mkdir -p "$root/.fuzz"
cd "$root/.fuzz"
for name in "${targets[@]}"; do
  echo "== fuzz $name for $minutes minutes" >&2
  "$root/tests/fuzz/run_fuzzer.sh" "$root/build-sanitize/tests/fuzz/fuzz_$name" "$name" "$root" \
    $((minutes * 60)) "$root/.fuzz/$name"
done
