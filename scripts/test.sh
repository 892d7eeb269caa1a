#!/usr/bin/env bash
# Sets up what is missing, builds, and runs every check: proto lint, formatting, and the
# unit, integration and end-to-end tests against a throwaway PostgreSQL of their own; then the
# same suites again built with AddressSanitizer and UndefinedBehaviorSanitizer (build-sanitize/),
# and a short run of each fuzz target. Arguments go to both ctest runs (e.g. -R Evidence).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
scripts/setup.sh

echo "== buf lint" >&2
"$root/.tools/node_modules/.bin/buf" lint

echo "== clang-format" >&2
git ls-files '*.cpp' '*.h' | xargs clang-format --dry-run --Werror

echo "== build" >&2
scripts/build.sh

work=$(mktemp -d /tmp/compliance-test.XXXXXX)
chmod 755 "$work"
image_pid=""
cleanup() {
  [[ -n "$image_pid" ]] && kill "$image_pid" 2>/dev/null && wait "$image_pid" 2>/dev/null
  "$root/scripts/pg.sh" stop "$work/pg"
  rm -rf "$work"
}
trap cleanup EXIT
# Durability is not under test here; speed is welcome.
TEST_DATABASE_URL=$(PG_EXTRA_OPTS="-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
  scripts/pg.sh start "$work/pg")
export TEST_DATABASE_URL

# The container image test is the longest by far (on a fresh machine it makes its Debian base
# first) and waits mostly on downloads and disk: with no filter given, it runs beside the
# sanitizer build and both suites instead of after them, its compile taking only the CPU time
# they leave (image_test.sh). Its timeout (tests/CMakeLists.txt) holds their time too.
only_here=()
if [[ $# -eq 0 ]]; then
  (cd build && exec ctest -R '^deploy[.]image$' --output-on-failure) \
    >"$work/image-test.log" 2>&1 &
  image_pid=$!
  only_here=(-E '^deploy[.]image$')
fi

echo "== build with sanitizers and fuzzers" >&2
scripts/build.sh sanitize

failed=0
echo "== tests" >&2
(cd build && ctest -j 2 --output-on-failure --timeout 300 "${only_here[@]}" "$@") || failed=1

echo "== tests with ASan and UBSan, and the fuzzers" >&2
# Any finding fails its test: UBSan stops at the first (the build cannot recover), and ASan
# and LeakSanitizer exit non-zero. The server processes the e2e tests start inherit these.
(
  export ASAN_OPTIONS=detect_leaks=1:check_initialization_order=1:strict_init_order=1
  export LSAN_OPTIONS=suppressions=$root/tests/sanitize/lsan.supp
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  cd build-sanitize && ctest -j 2 --output-on-failure --timeout 300 "$@"
) || failed=1

if [[ -n "$image_pid" ]]; then
  echo "== the container image test" >&2
  image_status=0
  wait "$image_pid" || image_status=$?
  image_pid=""
  cat "$work/image-test.log"
  ((image_status == 0)) || failed=1
fi
exit "$failed"
