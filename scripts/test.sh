#!/usr/bin/env bash
# Sets up what is missing, builds, and runs every check: proto lint, formatting, and the
# unit, integration and end-to-end tests against a throwaway PostgreSQL of their own.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
scripts/setup.sh

echo "== buf lint" >&2
(cd proto && "$root/.tools/node_modules/.bin/buf" lint)

echo "== clang-format" >&2
git ls-files '*.cpp' '*.h' | xargs clang-format --dry-run --Werror

echo "== build" >&2
scripts/build.sh

work=$(mktemp -d /tmp/compliance-test.XXXXXX)
chmod 755 "$work"
cleanup() { "$root/scripts/pg.sh" stop "$work/pg"; rm -rf "$work"; }
trap cleanup EXIT
# Durability is not under test here; speed is welcome.
TEST_DATABASE_URL=$(PG_EXTRA_OPTS="-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
  scripts/pg.sh start "$work/pg")
export TEST_DATABASE_URL

echo "== tests" >&2
cd build
ctest -j 2 --output-on-failure --timeout 300 "$@"
