#!/usr/bin/env bash
# Sets up what is missing, builds, and runs compliance-server in the foreground. Without
# DATABASE_URL it starts a throwaway PostgreSQL under .data/pg (kept between runs, git-ignored).
# Ctrl-C stops the server (it drains first) and then that PostgreSQL.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
scripts/setup.sh
scripts/build.sh

if [[ -z "${DATABASE_URL:-}" ]]; then
  DATABASE_URL=$(scripts/pg.sh start "$root/.data/pg")
  export DATABASE_URL
  trap '"$root/scripts/pg.sh" stop "$root/.data/pg"; echo "local PostgreSQL stopped" >&2' EXIT
  echo "local PostgreSQL: $DATABASE_URL" >&2
fi

listen=${COMPLIANCE_LISTEN:-127.0.0.1:50051}
cat >&2 <<EOM

compliance-server is starting on $listen. In another terminal:
  export COMPLIANCE_SERVER=$listen
  build/client/compliancectl requirements list
  build/client/compliancectl requirements get 5.1.a
  build/client/compliancectl requirements review 5.1.a --conformity conforming --notes "policy signed"
Stop with Ctrl-C.

EOM
build/service/compliance-server serve "$@"
