#!/usr/bin/env bash
# Configures (first time) and builds everything, two jobs at a time:
#   scripts/build.sh            into build/, with the system compiler (RelWithDebInfo, -g1)
#   scripts/build.sh sanitize   into build-sanitize/, with clang, ASan, UBSan and the fuzzers
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [[ ${1:-} == sanitize ]]; then
  dir=$root/build-sanitize
  options=(-DCOMPLIANCE_SANITIZE=ON -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=Sanitize
    -DCMAKE_CXX_FLAGS=-O1)
else
  dir=$root/build
  # Line tables and function names (-g1) are what backtraces and profiles use; full debug
  # information was a third of the compile time.
  options=(-DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG")
fi
if [[ ! -f "$dir/build.ninja" ]]; then
  cmake -S "$root" -B "$dir" -G Ninja "${options[@]}" >/dev/null
fi
cmake --build "$dir" -j "${BUILD_JOBS:-2}"
