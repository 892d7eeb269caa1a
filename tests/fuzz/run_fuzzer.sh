#!/usr/bin/env bash
# Runs one fuzz target over its seeds (tests/fuzz/seeds/NAME; the request seeds are text-format
# protobuf, encoded here with protoc) and its regressions (tests/fuzz/regressions/NAME: inputs
# that once failed, kept so they never fail again).
#   run_fuzzer.sh BINARY NAME PROJECT_ROOT [SECONDS] [CORPUS_DIR]
# A libFuzzer binary (the sanitizer build) runs every input and then fuzzes for SECONDS (default
# 20), adding what it finds to CORPUS_DIR (default: a temporary folder); a crash is written to
# ./crash-NAME-* and fails the run. The replay binary of the normal build runs each input once,
# and 2,000 pseudo-random ones.
set -euo pipefail
binary=$1 name=$2 root=$3 seconds=${4:-20} corpus=${5:-}
here=$root/tests/fuzz
work=$(mktemp -d /tmp/compliance-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT
[[ -n "$corpus" ]] || corpus=$work/corpus
mkdir -p "$corpus" "$work/seeds"

if [[ $name == request_validation ]]; then
  protos=(compliance/v1/action.proto compliance/v1/audit.proto compliance/v1/evidence.proto
    compliance/v1/report.proto compliance/v1/requirement.proto compliance/v1/webhook.proto)
  for seed in "$here/seeds/$name"/*.txtpb; do
    method=$(basename "$seed" .txtpb)
    { printf '%s\n' "$method"
      protoc --encode="compliance.v1.${method}Request" -I "$root/proto" -I "$root/third_party" \
        "${protos[@]}" <"$seed"
    } >"$work/seeds/$method"
  done
elif [[ -d "$here/seeds/$name" ]]; then
  cp "$here/seeds/$name"/* "$work/seeds/"
fi
inputs=("$work/seeds")
[[ -d "$here/regressions/$name" ]] && inputs+=("$here/regressions/$name")

help=$("$binary" -help=1 2>&1 || true)
if [[ $help != *libFuzzer* ]]; then
  exec "$binary" --random 2000 "${inputs[@]}"
fi
options=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536
  -print_final_stats=1 -artifact_prefix="$PWD/crash-$name-")
[[ -f "$here/$name.dict" ]] && options+=(-dict="$here/$name.dict")
if ! "$binary" "${options[@]}" "$corpus" "${inputs[@]}"; then
  echo "fuzz: $name failed; keep the input above in tests/fuzz/regressions/$name/ once fixed" >&2
  exit 1
fi
