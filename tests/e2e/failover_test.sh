#!/usr/bin/env bash
# Failover to a standby, as CloudNativePG or Patroni do it: a primary with a synchronous
# streaming standby, the server given both hosts with target_session_attrs=read-write, writes
# under way, the primary stopped with -m immediate and the standby promoted. The same server
# process must keep serving (health NOT_SERVING, then SERVING again), every acknowledged write
# must be on the new primary exactly once (retried request_ids do not duplicate), and the
# audit log must verify against its signed checkpoints.
#   failover_test.sh PROJECT_ROOT SERVER_BINARY CLI_BINARY
set -euo pipefail
root=$1 server=$2 cli=$3
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
work=$(mktemp -d /tmp/compliance-failover.XXXXXX)
chmod 755 "$work"
server_pid="" writer_pid=""

as_owner() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  [[ -n "$writer_pid" ]] && kill "$writer_pid" 2>/dev/null || true
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  for node in primary standby; do
    [[ -f "$work/$node/PG_VERSION" ]] && as_owner "$pgbin/pg_ctl" -D "$work/$node" -m immediate stop >/dev/null 2>&1 || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "failover: FAILED: $*" >&2
  for log in server primary standby; do
    [[ -s "$work/$log.log" ]] && { echo "-- $log.log" >&2; tail -n 20 "$work/$log.log" >&2; }
  done
  exit 1
}
# A step that fails says which, with the logs that tell why.
trap 'fail "line $LINENO: $BASH_COMMAND"' ERR

# Starts NODE on a fresh port, printing it; a port taken between drawing and binding (tests
# run side by side) is drawn again.
start_node() {
  local node=$1 port
  for _ in 1 2 3 4 5; do
    port=$("$root/scripts/free-port.sh")
    if as_owner "$pgbin/pg_ctl" -D "$work/$node" -l "$work/$node.log" -o "-p $port" -w start >/dev/null; then
      echo "$port"
      return 0
    fi
    grep -q 'could not bind' "$work/$node.log" || return 1
  done
  return 1
}

[[ $(id -u) -eq 0 ]] && chown postgres "$work"
as_owner "$pgbin/initdb" -D "$work/primary" -U compliance --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
# Acknowledged means on both: the primary waits for the standby's flush at every commit.
cat >>"$work/primary/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
synchronous_standby_names = 'standby'
synchronous_commit = on
EOF
p1=$(start_node primary)
as_owner "$pgbin/pg_basebackup" -h 127.0.0.1 -p "$p1" -U compliance -D "$work/standby" -X stream
touch "$work/standby/standby.signal"
# Promoted, it has no standby of its own to wait for (its copy of postgresql.conf names one).
cat >>"$work/standby/postgresql.auto.conf" <<EOF
primary_conninfo = 'host=127.0.0.1 port=$p1 user=compliance application_name=standby'
synchronous_standby_names = ''
EOF
[[ $(id -u) -eq 0 ]] && chown -R postgres "$work/standby"
p2=$(start_node standby)
primary="host=127.0.0.1 port=$p1 user=compliance"
"$pgbin/createdb" -h 127.0.0.1 -p "$p1" -U compliance compliance
for _ in $(seq 1 100); do
  state=$("$pgbin/psql" "$primary dbname=postgres" -Atc \
    "SELECT sync_state FROM pg_stat_replication WHERE application_name = 'standby'")
  [[ "$state" == sync ]] && break
  sleep 0.1
done
[[ "$state" == sync ]] || fail "the standby never became synchronous"

"$server" audit-key create --name failover.test/audit --audit-signing-key "$work/audit.key" >"$work/audit.pub"
both="host=127.0.0.1,127.0.0.1 port=$p1,$p2 user=compliance dbname=compliance target_session_attrs=read-write"
DATABASE_URL=$both COMPLIANCE_LISTEN=127.0.0.1:0 COMPLIANCE_METRICS_LISTEN=127.0.0.1:0 \
  COMPLIANCE_HTTP_LISTEN=127.0.0.1:0 \
  COMPLIANCE_NO_AUTH=1 COMPLIANCE_HEALTH_INTERVAL=0.2 COMPLIANCE_AUDIT_SIGNING_KEY=$work/audit.key \
  "$server" serve >"$work/server.out" 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 1 300); do
  address=$(sed -n 's/^compliance-server listening on //p' "$work/server.out" 2>/dev/null || true)
  [[ -n "$address" ]] && break
  sleep 0.1
done
[[ -n "$address" ]] || fail "the server did not start"
export COMPLIANCE_SERVER=$address
health() { COMPLIANCE_LISTEN=$address sh "$root/deploy/healthcheck.sh" 2>/dev/null; }

# The writer: each record is retried with its request_id until it is acknowledged, as an HR
# sync would: the same request every time (collect_time included: left out, the CLI sends
# "now", and a retry after a lost acknowledgement would be another request under the same
# request_id); acknowledged ones are listed.
writes=80
writer() {
  for i in $(seq 1 "$writes"); do
    for _ in $(seq 1 600); do
      code=0
      "$cli" --timeout 5s evidence add --requirement 5.1.g --kind training-record \
        --title "training record $i" --uri "https://hr.example.com/records/$i" \
        --source hr-system --external-id "record-$i" --request-id "failover-$i" \
        --collect-time 2026-11-01T09:00:00Z \
        >/dev/null 2>>"$work/writer.err" || code=$?
      if ((code == 0)); then
        echo "$i" >>"$work/acknowledged"
        break
      fi
      ((code == 2)) && return 1  # a usage error: retrying cannot help
      sleep 0.1
    done
  done
}
writer &
writer_pid=$!
for _ in $(seq 1 600); do
  [[ -f "$work/acknowledged" && $(wc -l <"$work/acknowledged") -ge 20 ]] && break
  sleep 0.05
done

as_owner "$pgbin/pg_ctl" -D "$work/primary" -m immediate stop >/dev/null
seen_not_serving=0
for _ in $(seq 1 100); do
  if ! health; then seen_not_serving=1; break; fi
  sleep 0.1
done
as_owner "$pgbin/pg_ctl" -D "$work/standby" -w promote >/dev/null
wait "$writer_pid" || true
writer_pid=""
for _ in $(seq 1 100); do health && break; sleep 0.1; done
health || fail "health did not turn SERVING again after the promotion"
((seen_not_serving)) || fail "health never turned NOT_SERVING while no primary was reachable"

new_primary="host=127.0.0.1 port=$p2 user=compliance dbname=compliance"
acknowledged=$(sort -u "$work/acknowledged" | wc -l)
((acknowledged == writes)) || fail "only $acknowledged of $writes writes were acknowledged"
stored=$("$pgbin/psql" "$new_primary" -Atc \
  "SELECT count(*) || ' ' || count(DISTINCT external_id) FROM evidence WHERE source = 'hr-system'")
[[ "$stored" == "$writes $writes" ]] ||
  fail "the new primary holds $stored records (total, distinct) for $writes acknowledged writes"

# Every event sealed, then signed: the sealer reconnected to the new primary.
for _ in $(seq 1 100); do
  pending=$("$pgbin/psql" "$new_primary" -Atc "SELECT count(*) FROM audit_pending")
  size=$("$cli" -o json audit checkpoint 2>/dev/null | sed -n 's/.*"treeSize": "\([0-9]*\)".*/\1/p')
  [[ "$pending" == 0 && "${size:-0}" -ge "$writes" ]] && break
  sleep 0.2
done
[[ "$pending" == 0 ]] || fail "$pending audit events were never sealed after the failover"
"$cli" audit verify >/dev/null || fail "the audit chain does not verify"
"$cli" audit verify --key "$work/audit.pub" || fail "the audit log does not verify against its checkpoints"
kill -0 "$server_pid" || fail "the server process died"
echo "failover: 1 passed, 0 failed ($writes of $writes writes acknowledged and stored once)"
