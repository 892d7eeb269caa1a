#!/usr/bin/env bash
# The Python verifier of docs/audit-log.md, taken verbatim from its `<!-- python-verifier -->`
# block, against a real server: on a fresh database, a server with a signing key and a witness
# directory records events in two batches, with a checkpoint saved between them; the verifier
# must pass on what the server serves (checkpoint, events, inclusion and consistency proofs,
# the witness file as the old checkpoint, the key from a file), and must fail, naming what
# failed, on an altered after_json (with the chain left broken, and with it recomputed), an
# event cut from the end, a checkpoint with a flipped root, a checkpoint checked with another
# key, and proofs with a flipped hash. The documented `compliancectl audit verify --key
# --checkpoint` command runs too.
#
#   audit_python_verifier.sh PROJECT_ROOT COMPLIANCE_SERVER COMPLIANCECTL
#
# TEST_DATABASE_URL: a libpq key=value string of a superuser of the test PostgreSQL (as
# scripts/test.sh sets it). The verifier runs with Debian's /usr/bin/python3, which has
# python3-cryptography, whatever python3 is first on PATH.
set -euo pipefail
root=$(cd "$1" && pwd)
server_bin=$2
cli=$3
: "${TEST_DATABASE_URL:?set TEST_DATABASE_URL to the test PostgreSQL (scripts/test.sh does)}"
python=/usr/bin/python3

fail() { echo "FAILED: $*" >&2; exit 1; }
step() { echo "== $* (at ${SECONDS}s)" >&2; }

[[ -x $python ]] || fail "$python is missing"
"$python" -c 'import cryptography' 2>/dev/null ||
  fail "$python has no cryptography module (apt-get install python3-cryptography)"

# Nothing from the caller's environment changes how the server or the CLI behave here.
while read -r name; do unset "$name"; done < <(compgen -e | grep -E '^(COMPLIANCE_|DATABASE_URL$)' || true)

work=$(mktemp -d /tmp/audit-python-verifier.XXXXXX)
database=audit_pyverify_$$_${RANDOM}${RANDOM}
server_pid=
admin_sql() { psql "$TEST_DATABASE_URL" -qAtX -v ON_ERROR_STOP=1 -c "$1"; }
cleanup() {
  local status=$?
  if [[ -n $server_pid ]]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [[ $status -ne 0 && -s $work/server.log ]]; then
    echo "--- server log (last 30 lines)" >&2
    tail -n 30 "$work/server.log" >&2
  fi
  admin_sql "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null 2>&1 ||
    echo "warning: cannot drop database $database" >&2
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 143' TERM INT

step "the verifier from docs/audit-log.md"
verifier=$work/verify_audit.py
awk '/^<!-- python-verifier -->$/ { marker = 1; next }
     marker == 1 { if ($0 != "```python") exit 1; marker = 2; next }
     marker == 2 && $0 == "```" { marker = 3; exit }
     marker == 2 { print }
     END { if (marker != 3) exit 1 }' "$root/docs/audit-log.md" >"$verifier" ||
  fail "docs/audit-log.md has no complete \`<!-- python-verifier -->\` \`\`\`python block"
"$python" -m py_compile "$verifier" || fail "the verifier in docs/audit-log.md does not compile"

step "database, key and server"
admin_sql "CREATE DATABASE $database" >/dev/null
key_file=$work/audit.key
vkey=$("$server_bin" audit-key create --name example.com/compliance-audit \
  --audit-signing-key "$key_file") || fail "compliance-server audit-key create failed"
[[ $vkey == example.com/compliance-audit+* ]] || fail "audit-key create printed '$vkey'"
[[ $("$server_bin" audit-key public --audit-signing-key "$key_file") == "$vkey" ]] ||
  fail "audit-key public does not print the key that audit-key create printed"
printf '%s\n' "$vkey" >"$work/audit.pub"
other_vkey=$("$server_bin" audit-key create --name example.com/compliance-audit \
  --audit-signing-key "$work/other.key") || fail "compliance-server audit-key create failed"
mkdir "$work/witness"

"$server_bin" --database-url "$TEST_DATABASE_URL dbname=$database" \
  --listen 127.0.0.1:0 --metrics-listen 127.0.0.1:0 --http-listen 127.0.0.1:0 --no-auth \
  --audit-signing-key "$key_file" --audit-witness-dir "$work/witness" \
  --shutdown-delay 0 --drain-timeout 1 serve >"$work/server.out" 2>"$work/server.log" &
server_pid=$!
address=
for _ in $(seq 300); do
  address=$(sed -n 's/^compliance-server listening on //p' "$work/server.out" 2>/dev/null || true)
  [[ -n $address ]] && break
  kill -0 "$server_pid" 2>/dev/null || fail "the server exited before listening"
  sleep 0.1
done
[[ -n $address ]] || fail "the server did not print 'compliance-server listening on' in 30s"
export COMPLIANCE_SERVER=$address
ctl() { "$cli" "$@" >>"$work/cli.log" 2>&1 || fail "compliancectl $* (see below)$(tail -n 5 "$work/cli.log")"; }

# The newest checkpoint's size; waits until it is $1.
wait_for_checkpoint() {
  local size=
  for _ in $(seq 100); do
    size=$("$cli" audit checkpoint 2>/dev/null | sed -n 2p) || true
    [[ $size == "$1" ]] && return 0
    sleep 0.1
  done
  fail "the newest checkpoint covers '${size}' events, not $1, after 10s"
}

step "events 1-5, then the checkpoint of 5"
ctl requirements update 5.1.a --notes "policy approved by the board"
ctl requirements update 5.1.b --notes "Überprüfung der Ziele — ISMS 2026"  # UTF-8: F() counts bytes
ctl evidence add --requirement 5.1.a --kind policy --title "Information security policy" \
  --uri https://example.com/policy --collect-time 2026-11-30T09:15:00.123456789Z \
  --request-id pyverify-evidence-1
ctl requirements update 5.1.a --notes "objectives are measurable" --review-interval 180d
ctl evidence add --requirement 5.1.c --kind meeting-minutes --title "Board minutes" \
  --uri https://example.com/minutes --label team=board
wait_for_checkpoint 5
"$cli" audit checkpoint >"$work/old.txt"
[[ -f $work/witness/checkpoint-00000000000000000005 ]] || fail "no witness file of 5 events"

step "event 6, its checkpoint, then events 7-11"
ctl requirements update 5.1.d --notes "resources granted"
wait_for_checkpoint 6
"$cli" audit checkpoint >"$work/six.txt"
for i in 1 2 3; do ctl requirements update 5.1.a --notes "review $i"; done
ctl evidence add --requirement 5.1.a --kind other --title "Second policy note" \
  --uri https://example.com/p2
ctl requirements update 5.1.e --owner ciso@example.com
wait_for_checkpoint 11

step "what the server serves"
"$cli" audit checkpoint >"$work/checkpoint.txt"
"$cli" -o json audit list >"$work/events.json"
"$cli" -o json audit prove 5.1.a >"$work/prove.json"
"$cli" -o json audit consistency 5 11 >"$work/consistency.json"
"$cli" -o json audit consistency 5 6 >"$work/consistency-5-6.json"
[[ $(sed -n 2p "$work/checkpoint.txt") == 11 ]] || fail "the checkpoint is not of 11 events"

# Altered copies, made with the verifier's own functions where hashes must be recomputed.
step "altered copies"
"$python" - "$work" "$verifier" <<'EOF'
import base64, importlib.util, json, sys
work, path = sys.argv[1:]
spec = importlib.util.spec_from_file_location("verify_audit", path)
v = importlib.util.module_from_spec(spec)
spec.loader.exec_module(v)

def load(name):
    with open(f"{work}/{name}", encoding="utf-8") as f:
        return json.load(f)

def save(name, value):
    with open(f"{work}/{name}", "w", encoding="utf-8") as f:
        json.dump(value, f)

def flip(b64):
    raw = bytearray(base64.b64decode(b64))
    raw[0] ^= 0x01
    return base64.b64encode(bytes(raw)).decode()

# One after_json changed, nothing else: the chain breaks there too.
listed = load("events.json")
events = listed["auditEvents"]
event = events[6]  # sequence 7
assert event["sequence"] == "7" and event["afterJson"], event
event["afterJson"] = event["afterJson"].replace("review", "reviev", 1)
assert event["afterJson"] != load("events.json")["auditEvents"][6]["afterJson"]
save("events-altered.json", listed)

# Event 6 changed, and the chain recomputed from it on, as someone careful would.
listed = load("events.json")
events = listed["auditEvents"]
events[5]["afterJson"] = events[5]["afterJson"].replace("resources granted", "resources denied")
assert events[5]["afterJson"] != load("events.json")["auditEvents"][5]["afterJson"]
previous = events[4]["hash"]
for event in events[5:]:
    event["prevHash"] = previous
    event["hash"] = previous = v.chain_hash(previous, event)
save("events-rechained.json", listed)

# The last event cut.
listed = load("events.json")
listed["auditEvents"] = listed["auditEvents"][:10]
save("events-cut.json", listed)

# The checkpoint's root with one bit flipped, its signature kept.
with open(f"{work}/checkpoint.txt", encoding="utf-8") as f:
    lines = f.read().split("\n")
lines[2] = flip(lines[2])
with open(f"{work}/checkpoint-flipped.txt", "w", encoding="utf-8") as f:
    f.write("\n".join(lines))

# One hash of the consistency proof, and of an inclusion proof, flipped.
consistency = load("consistency.json")
assert consistency["hashes"], consistency
consistency["hashes"][-1] = flip(consistency["hashes"][-1])
save("consistency-flipped.json", consistency)
prove = load("prove.json")
assert prove["proofs"] and prove["proofs"][0]["hashes"], prove
prove["proofs"][0]["hashes"][0] = flip(prove["proofs"][0]["hashes"][0])
save("prove-flipped.json", prove)
EOF

passed=0
failed=0
# expect NAME pass|fail PATTERN ARGS...: runs the verifier with ARGS; it must exit 0 (pass) or
# 1 (fail), without a traceback, and print a line matching the extended regex PATTERN.
expect() {
  local name=$1 want=$2 pattern=$3 rc=0 output
  shift 3
  output=$(cd "$work" && "$python" "$verifier" "$@" 2>&1) || rc=$?
  local problem=
  if [[ $want == pass && $rc -ne 0 ]]; then
    problem="exited $rc, not 0"
  elif [[ $want == fail && $rc -ne 1 ]]; then
    problem="exited $rc, not 1"
  elif grep -q '^Traceback' <<<"$output"; then
    problem="raised an exception"
  elif ! grep -Eq -- "$pattern" <<<"$output"; then
    problem="printed no line matching: $pattern"
  fi
  if [[ -z $problem ]]; then
    passed=$((passed + 1))
    echo "ok   $name"
  else
    failed=$((failed + 1))
    echo "FAIL $name: $problem"
    sed 's/^/     | /' <<<"$output"
  fi
}

step "the verifier"
expect "fresh data: checkpoint, events, inclusion and consistency proofs" pass \
  '^audit log verified$' \
  "$vkey" checkpoint.txt events.json prove.json consistency.json old.txt
expect "fresh data: the witness file as the old checkpoint, the key from a file" pass \
  '^ok: consistency: the tree of 11 events extends the one of 5 unchanged$' \
  audit.pub checkpoint.txt events.json - consistency.json witness/checkpoint-00000000000000000005
expect "fresh data: adjacent checkpoints of 5 and 6 events" pass \
  '^ok: Merkle tree: the events hash to the root of every signed checkpoint \(sizes 5, 6\)$' \
  "$vkey" six.txt events.json consistency-5-6.json old.txt
expect "fresh data: inclusion proofs without the event list" pass \
  '^ok: inclusion: [1-9][0-9]* event\(s\) proved in the signed tree of 11 events$' \
  "$vkey" checkpoint.txt - prove.json
expect "an after_json changed" fail \
  '^FAILED: one of events 6…11 was altered' \
  "$vkey" checkpoint.txt events-altered.json prove.json consistency.json old.txt
expect "an after_json changed: the chain names it" fail \
  '^FAILED: hash chain: event 7 does not match its hash' \
  "$vkey" checkpoint.txt events-altered.json
expect "an after_json changed: the inclusion proof's event differs from the list" fail \
  '^FAILED: prove.json: the inclusion proof of event 7: the event proved differs' \
  "$vkey" checkpoint.txt events-altered.json prove.json
expect "an event changed, the chain recomputed: adjacent checkpoints name it" fail \
  '^FAILED: event 6 was altered after six.txt was signed' \
  "$vkey" six.txt events-rechained.json consistency-5-6.json old.txt
expect "an event changed, the chain recomputed: the chain alone passes" fail \
  '^ok: hash chain: 11 events' \
  "$vkey" checkpoint.txt events-rechained.json
expect "the last event cut" fail \
  '^FAILED: event 11 is missing: checkpoint.txt covers 11 events$' \
  "$vkey" checkpoint.txt events-cut.json
expect "a checkpoint with a flipped root" fail \
  '^FAILED: checkpoint-flipped.txt: the signature by example.com/compliance-audit does not verify' \
  "$vkey" checkpoint-flipped.txt events.json
expect "a checkpoint checked with another key of the same name" fail \
  '^FAILED: checkpoint.txt: no signature by example.com/compliance-audit\+' \
  "$other_vkey" checkpoint.txt events.json
expect "a consistency proof with a flipped hash" fail \
  '^FAILED: consistency: consistency-flipped.json does not prove' \
  "$vkey" checkpoint.txt events.json - consistency-flipped.json old.txt
expect "an inclusion proof with a flipped hash" fail \
  '^FAILED: prove-flipped.json: the inclusion proof of event [0-9]+ does not verify' \
  "$vkey" checkpoint.txt events.json prove-flipped.json

step "the documented compliancectl audit verify"
if output=$("$cli" audit verify --key "$vkey" --checkpoint "$work/old.txt" \
  --checkpoint "$work/witness" 2>&1) && [[ $output == "intact: 11 events verified against"* ]]; then
  passed=$((passed + 1))
  echo "ok   compliancectl audit verify --key --checkpoint FILE --checkpoint WITNESS_DIR"
else
  failed=$((failed + 1))
  echo "FAIL compliancectl audit verify --key --checkpoint FILE --checkpoint WITNESS_DIR: $output"
fi

echo "python verifier: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
