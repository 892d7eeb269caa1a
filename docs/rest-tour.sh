#!/usr/bin/env bash
# The README's Quick tour over REST/JSON, with curl and jq alone: from an empty database to an
# audit-ready clause 5.1. The tests run this file as it is (tests/e2e/rest/rest_tour.test.mjs).
#
#   COMPLIANCE_HTTP=http://127.0.0.1:8080 COMPLIANCE_TOKEN=$(cat .data/admin-token) docs/rest-tour.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
api=${COMPLIANCE_HTTP:-http://127.0.0.1:8080}/v1
req=frameworks/iso27001-2022/requirements
call() {
  curl -sS --fail-with-body -H "Authorization: Bearer $COMPLIANCE_TOKEN" \
    -H "Content-Type: application/json" "$@"
}

# Where we stand: nothing is owned, evidenced or reviewed yet.
call "$api/readiness" | jq -r '"audit-ready: \(.auditReady) (score \(.score))"'

# An owner for each requirement (a PATCH changes the fields its body names).
for r in a b c d e f g h; do
  call -X PATCH "$api/$req/5.1.$r" -d '{"owner": "ciso@example.com"}' >/dev/null
done

# The tour's evidence, one batch from the CSV the CLI imports; the request ids make a rerun safe.
jq -Rn --arg req "$req" '
  [inputs | split(",")] | .[0] as $header | .[1:]
  | map([$header, .] | transpose | map({(.[0]): .[1]}) | add)
  | {requests: map({
      requestId: ("tour-" + .external_id),
      evidence: {
        requirements: ["\($req)/\(.requirements)"],
        kind: ("EVIDENCE_KIND_" + (.kind | ascii_upcase | gsub("-"; "_"))),
        title, uri, source, externalId: .external_id, collectTime: .collect_time}})}' \
  docs/quick-tour-evidence.csv |
  call -X POST "$api/evidence:batchCreate" -d @- |
  jq -r '"created \(.evidence | length) evidence records"'

# The leadership review of each requirement.
for r in a b c d e f g h; do
  call -X POST "$api/$req/5.1.$r:review" \
    -d '{"conformity": "CONFORMITY_CONFORMING", "notes": "board review 2026-11"}' >/dev/null
done

# The next management review, due in 90 days and every 90 days after.
jq -n --arg requirement "$req/5.1.e" --arg due "$(date -u -d '+90 days' +%Y-%m-%dT00:00:00Z)" \
  '{requirement: $requirement, kind: "ACTION_KIND_MANAGEMENT_REVIEW", title: "Q1 management review",
    owner: "ceo@example.com", dueTime: $due, recurrence: "7776000s"}' |
  call -X POST "$api/actions?requestId=tour-q1-review" -d @- |
  jq -r '"action \(.action.name) due \(.action.dueTime)"'

# Audit-ready now; the OSCAL export for the GRC tool; the audit log checked end to end.
call "$api/readiness" | jq -e -r 'if .auditReady then "audit-ready: true (score \(.score))"
  else error("gaps remain: \([.requirements[] | select(.gaps | length > 0) | .reference])") end'
call "$api/assessmentResults" | jq -r .document >/tmp/compliance-assessment-results.json
call "$api/auditEvents:verify" | jq -e -r 'if .intact then "audit log intact: \(.verifiedEvents) events"
  else error("audit log broken at \(.firstBrokenSequence)") end'
