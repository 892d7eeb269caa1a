#!/bin/sh
# compose.yaml: the postgres image runs this once, when it initialises an empty data volume
# (/docker-entrypoint-initdb.d). It creates compliance_app, the role compliance-server serves
# as; the `migrate` service then grants it what serving needs and no more (migrate --grant-to):
# it may only read and append the audit log. POSTGRES_USER stays the schema's owner.
# A data volume made before this script existed: create the role by hand (deploy/README.md).
set -e
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v password="${COMPLIANCE_APP_PASSWORD:?set COMPLIANCE_APP_PASSWORD}" <<'SQL'
CREATE ROLE compliance_app LOGIN PASSWORD :'password';
SQL
