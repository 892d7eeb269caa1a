#!/usr/bin/env bash
# Configures (first time) and builds everything, two jobs at a time:
#   scripts/build.sh            into build/, with the system compiler (RelWithDebInfo)
#   scripts/build.sh sanitize   into build-sanitize/, with clang, ASan, UBSan and the fuzzers
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [[ ${1:-} == sanitize ]]; then
  dir=$root/build-sanitize
  options=(-DCOMPLIANCE_SANITIZE=ON -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=Sanitize
    -DCMAKE_CXX_FLAGS=-O1)
else
  dir=$root/build
  options=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
fi
if [[ ! -f "$dir/build.ninja" ]]; then
  cmake -S "$root" -B "$dir" -G Ninja "${options[@]}" >/dev/null
fi
cmake --build "$dir" -j "${BUILD_JOBS:-2}"
