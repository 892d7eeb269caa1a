#!/usr/bin/env bash
# Sets up what is missing, builds, and runs compliance-server in the foreground. Without
# DATABASE_URL it starts a throwaway PostgreSQL under .data/pg (kept between runs, git-ignored).
# Ctrl-C stops the server (it drains first) and then that PostgreSQL.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
scripts/setup.sh
scripts/build.sh

server=build/service/compliance-server
token_hint='$(build/service/compliance-server token create --name NAME --role admin)'
if [[ -z "${DATABASE_URL:-}" ]]; then
  DATABASE_URL=$(scripts/pg.sh start "$root/.data/pg")
  export DATABASE_URL
  trap '"$root/scripts/pg.sh" stop "$root/.data/pg"; echo "local PostgreSQL stopped" >&2' EXIT
  echo "local PostgreSQL: $DATABASE_URL" >&2
  # An admin token for this local database, made once and kept beside it (git-ignored).
  if [[ ! -s .data/admin-token ]]; then
    (umask 077 && "$server" token create --name "local-admin-$(date +%Y%m%d%H%M%S)" \
      --role admin >.data/admin-token)
  fi
  token_hint='$(cat .data/admin-token)'
fi

listen=${COMPLIANCE_LISTEN:-127.0.0.1:50051}
cat >&2 <<EOM

compliance-server is starting on $listen (metrics: http://${COMPLIANCE_METRICS_LISTEN:-127.0.0.1:9464}/metrics).
In another terminal, from $root:
  export COMPLIANCE_SERVER=$listen
  export COMPLIANCE_TOKEN=$token_hint
  build/client/compliancectl requirements list
  build/client/compliancectl requirements review 5.1.a --conformity conforming --notes "policy signed"
  build/client/compliancectl evidence add --requirement 5.1.a --kind policy --title "Security policy v3" --uri https://intranet.example.com/policy-v3.pdf
  build/client/compliancectl actions add --requirement 5.1.e --kind management-review --title "Q1 management review" --owner ceo@example.com --due +90d
  build/client/compliancectl audit verify
Stop with Ctrl-C.

EOM
"$server" serve "$@"
