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
mkdir -p .data
# The key that signs the audit log's checkpoints, made once; it never enters the database.
if [[ -z "${COMPLIANCE_AUDIT_SIGNING_KEY:-}" ]]; then
  export COMPLIANCE_AUDIT_SIGNING_KEY=$root/.data/audit.key
  if [[ ! -s "$COMPLIANCE_AUDIT_SIGNING_KEY" ]]; then
    "$server" audit-key create --name "compliance-status/$(hostname)" >/dev/null
  fi
fi
"$server" audit-key public >.data/audit.pub
# Every checkpoint is also written here, outside the database (a WORM mount in production).
if [[ -z "${COMPLIANCE_AUDIT_WITNESS_DIR:-}" ]]; then
  mkdir -p .data/audit-witness
  export COMPLIANCE_AUDIT_WITNESS_DIR=$root/.data/audit-witness
fi
if [[ -z "${DATABASE_URL:-}" ]]; then
  owner_url=$(scripts/pg.sh start "$root/.data/pg")
  trap '"$root/scripts/pg.sh" stop "$root/.data/pg"; echo "local PostgreSQL stopped" >&2' EXIT
  echo "local PostgreSQL: $owner_url" >&2
  # The schema belongs to the cluster's owner; the server connects as compliance_app, which
  # may only read and append the audit log (README: least privilege).
  psql "$owner_url" -qAtc "SELECT 1 FROM pg_roles WHERE rolname = 'compliance_app'" | grep -q 1 ||
    psql "$owner_url" -qc "CREATE ROLE compliance_app LOGIN"
  DATABASE_URL=$owner_url "$server" migrate --grant-to compliance_app
  # An admin token for this local database, made once and kept beside it (git-ignored).
  if [[ ! -s .data/admin-token ]]; then
    (umask 077 && DATABASE_URL=$owner_url "$server" token create \
      --name "local-admin-$(date +%Y%m%d%H%M%S)" --role admin >.data/admin-token)
  fi
  token_hint='$(cat .data/admin-token)'
  export DATABASE_URL="$owner_url user=compliance_app"
fi

listen=${COMPLIANCE_LISTEN:-127.0.0.1:50051}
http=${COMPLIANCE_HTTP_LISTEN-127.0.0.1:8080}
cat >&2 <<EOM

compliance-server is starting on $listen, REST/JSON on http://$http (OpenAPI: http://$http/openapi.json)
(metrics: http://${COMPLIANCE_METRICS_LISTEN:-127.0.0.1:9464}/metrics).
In another terminal, from $root:
  export COMPLIANCE_SERVER=$listen
  export COMPLIANCE_TOKEN=$token_hint
  build/client/compliancectl requirements list
  build/client/compliancectl requirements review 5.1.a --conformity conforming --notes "policy signed"
  build/client/compliancectl evidence add --requirement 5.1.a --kind policy --title "Security policy v3" --uri https://intranet.example.com/policy-v3.pdf
  build/client/compliancectl actions add --requirement 5.1.e --kind management-review --title "Q1 management review" --owner ceo@example.com --due +90d
  build/client/compliancectl audit verify
  build/client/compliancectl audit checkpoint > checkpoint.txt     # keep it; later:
  build/client/compliancectl audit verify --key .data/audit.pub --checkpoint checkpoint.txt
Or over REST/JSON, with curl (docs/rest-tour.sh goes from an empty database to audit-ready):
  curl -s -H "Authorization: Bearer \$COMPLIANCE_TOKEN" http://$http/v1/requirements | jq '.requirements[].reference'
  COMPLIANCE_HTTP=http://$http docs/rest-tour.sh
Stop with Ctrl-C.

EOM
"$server" serve "$@"
