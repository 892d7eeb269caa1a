#!/usr/bin/env bash
# The container image of deploy/Dockerfile, built and run with podman:
# - it builds on a Debian 12 base made with debootstrap (no registry needed), and holds what
#   it should: a non-root user, both programs with every library they load, the migrations,
#   the entrypoint and a HEALTHCHECK, and no compiler;
# - the audit signing key is made inside the image into a fresh named volume, as compose.yaml's
#   audit-key service does (Docker gives a new volume the owner of the image's mount point,
#   podman the container's user), once: a second run leaves it; `serve` without a key refuses;
# - beside the test PostgreSQL, `migrate --grant-to ROLE` applies the schema as the owner and
#   grants a least-privilege role (as the Kubernetes Job does), which cannot delete audit
#   events; a server connecting as that role with COMPLIANCE_NO_MIGRATE (as the Deployment runs
#   it), read-only and without capabilities, with the key mounted read-only and a witness
#   volume, does not warn that it could rewrite the audit log, passes the image's HEALTHCHECK
#   (gRPC health), refuses a call without a token, answers ListRequirements with a token made by
#   `compliance-server token create` inside it, signs a checkpoint after a change into the
#   witness volume that `compliancectl audit verify --key` accepts, serves /metrics, and exits 0
#   on SIGTERM after draining;
# - with certificates it serves mutual TLS, and its HEALTHCHECK follows;
# - without a database the HEALTHCHECK fails on NOT_SERVING.
#
#   image_test.sh REPO_ROOT COMPLIANCECTL      (TEST_DATABASE_URL: the test PostgreSQL)
#
# Exits 77, which ctest reports as skipped, where this machine cannot build or run images at
# all (no podman or runc, no base image can be made, or podman cannot run a container).
# The debootstrap base is cached in COMPLIANCE_BASE_CACHE (default below), outside the repo.
set -euo pipefail
root=$(cd "$1" && pwd)
cli=$2
: "${TEST_DATABASE_URL:?set TEST_DATABASE_URL to the test PostgreSQL (scripts/test.sh does)}"
cache=${COMPLIANCE_BASE_CACHE:-/var/tmp/compliance-status-bookworm-base.tar}
base=localhost/compliance-status-bookworm-base
image=localhost/compliance-status-test:$$
server=compliance-image-test-$$
nodb=compliance-image-nodb-$$
tls=compliance-image-tls-$$
database=image_test_$$
role=image_test_app_$$  # the least-privilege role the servers connect as (cluster-wide: unique)
key_volume=compliance-image-key-$$
witness_volume=compliance-image-witness-$$

skip() { echo "SKIPPED: $*" >&2; exit 77; }
fail() { echo "FAILED: $*" >&2; exit 1; }
step() { echo "== $* (at ${SECONDS}s)" >&2; }

command -v podman >/dev/null || skip "podman is not installed (scripts/setup.sh installs it)"
command -v runc >/dev/null || skip "runc is not installed (scripts/setup.sh installs it)"

work=$(mktemp -d /tmp/compliance-image-test.XXXXXX)
# crun and podman's default ulimits fail in this kind of sandbox; runc without them works.
export CONTAINERS_CONF=$work/containers.conf
printf '[containers]\ndefault_ulimits = []\n[engine]\nruntime = "runc"\n' >"$CONTAINERS_CONF"
admin_sql() { psql "$TEST_DATABASE_URL dbname=postgres" -qAtX -v ON_ERROR_STOP=1 -c "$1"; }
cleanup() {
  podman rm -f -t 0 "$server" "$nodb" "$tls" >/dev/null 2>&1 || true
  podman volume rm -f "$key_volume" "$witness_volume" >/dev/null 2>&1 || true
  podman rmi -f "$image" >/dev/null 2>&1 || true
  admin_sql "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null 2>&1 || true
  admin_sql "DROP ROLE IF EXISTS $role" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
trap "exit 143" TERM INT

step "base image"
if ! podman image exists "$base"; then
  if [[ ! -s "$cache" ]]; then
    [[ $(id -u) -eq 0 ]] || skip "no base image cached at $cache, and debootstrap needs root"
    command -v debootstrap >/dev/null || skip "debootstrap is not installed"
    debootstrap --variant=minbase bookworm "$work/rootfs" http://deb.debian.org/debian \
      >"$work/debootstrap.log" 2>&1 ||
      { tail -n 20 "$work/debootstrap.log" >&2; skip "debootstrap cannot make a Debian 12 base"; }
    rm -rf "$work"/rootfs/var/cache/apt/archives/*.deb "$work"/rootfs/var/lib/apt/lists/*
    tar -C "$work/rootfs" -c . >"$cache.$$" && mv "$cache.$$" "$cache"
    rm -rf "$work/rootfs"
  fi
  podman import "$cache" "$base" >/dev/null
fi
podman run --rm "$base" true >"$work/run.log" 2>&1 ||
  { cat "$work/run.log" >&2; skip "podman cannot run a container on this machine"; }

step "build"
# Yielding: the builds and tests beside it come first. Its RUN steps run in a cgroup of their
# own, where nice means nothing to the processes outside; the group's CPU weight does (2 of the
# usual 1024: idle time only, while anything else wants the cores).
# Within the test's timeout (tests/CMakeLists.txt), so that a build that runs out of time still
# shows where it stood.
build_seconds=3300
build_status=0
timeout "$build_seconds" nice -n 15 podman build --cpu-shares 2 --format docker --layers=false \
  --build-arg BASE_IMAGE="$base" -f "$root/deploy/Dockerfile" -t "$image" "$root" \
  >"$work/build.log" 2>&1 || build_status=$?
if ((build_status != 0)); then
  tail -n 40 "$work/build.log" >&2
  ((build_status != 124)) || fail "the image did not build in ${build_seconds}s"
  fail "the image does not build"
fi
podman image inspect "$image" --format '{{.Size}}' | awk '{printf "image: %.0f MB\n", $1 / 1e6}' >&2

step "contents"
inspect() { podman image inspect "$image" --format "$1"; }
[[ $(inspect '{{.Config.User}}') == 10001:10001 ]] || fail "runs as '$(inspect '{{.Config.User}}')', not 10001:10001"
[[ $(inspect '{{json .Config.Entrypoint}}') == '["compliance-server"]' ]] || fail "entrypoint is $(inspect '{{json .Config.Entrypoint}}')"
[[ $(inspect '{{json .Config.Healthcheck.Test}}') == *compliance-healthcheck* ]] || fail "no HEALTHCHECK"
for port in 50051/tcp 9464/tcp; do
  [[ $(inspect '{{json .Config.ExposedPorts}}') == *"$port"* ]] || fail "does not expose $port"
done
inside() { podman run --rm --health-interval disable --entrypoint sh "$image" -c "$1"; }
missing=$(inside 'ldd /usr/local/bin/compliance-server /usr/local/bin/compliancectl | grep "not found" || true')
[[ -z "$missing" ]] || fail "libraries missing in the image: $missing"
shipped=$(inside 'cd /usr/share/compliance-status/migrations && ls *.sql')
[[ "$shipped" == "$(cd "$root/migrations" && ls *.sql)" ]] || fail "migrations shipped: $shipped"
compilers=$(inside 'command -v c++ gcc cmake || true')
[[ -z "$compilers" ]] || fail "build tools in the runtime image: $compilers"

step "audit signing key"
hardened=(--read-only --tmpfs /tmp --cap-drop ALL --security-opt no-new-privileges
  --health-interval disable)
locked_down=(--network host "${hardened[@]}")
key_dir=/var/lib/compliance-status/audit-key
key=$key_dir/audit.key
# compose.yaml's audit-key service: make the key unless the volume holds one already.
make_key() {
  podman run --rm --network none "${hardened[@]}" -v "$key_volume:$key_dir" \
    -e COMPLIANCE_AUDIT_SIGNING_KEY="$key" --entrypoint sh "$image" -c \
    'test -s "$COMPLIANCE_AUDIT_SIGNING_KEY" || compliance-server audit-key create --name image-test/audit'
}
podman volume create "$key_volume" >/dev/null
created=$(make_key 2>"$work/key.log") || { cat "$work/key.log" >&2; fail "audit-key create failed in the container"; }
[[ "$created" == image-test/audit+* ]] || fail "audit-key create printed '$created', not a verifier key"
again=$(make_key 2>"$work/key.log") ||
  { cat "$work/key.log" >&2; fail "the audit-key one-shot fails once the key exists"; }
[[ -z "$again" ]] || fail "the audit-key one-shot made a second key: $again"
verifier=$(podman run --rm --network none "${hardened[@]}" -v "$key_volume:$key_dir:ro" \
  -e COMPLIANCE_AUDIT_SIGNING_KEY="$key" "$image" audit-key public 2>"$work/key.log") ||
  { cat "$work/key.log" >&2; fail "audit-key public failed"; }
[[ "$verifier" == "$created" ]] || fail "audit-key public printed $verifier, not $created"
signing=(-v "$key_volume:$key_dir:ro" -e COMPLIANCE_AUDIT_SIGNING_KEY="$key")

step "migrate as the owner, then serve as $role"
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
grpc_port=$(free_port)
metrics_port=$(free_port)
http_port=$(free_port)
admin_sql "CREATE DATABASE $database"
admin_sql "CREATE ROLE $role LOGIN"
owner_url="$TEST_DATABASE_URL dbname=$database"
url="$owner_url user=$role"  # libpq: the last user= wins
if podman run --rm "${locked_down[@]}" -e DATABASE_URL="$url" "$image" >"$work/unsigned.log" 2>&1; then
  fail "serve started without an audit signing key"
fi
grep -q "no audit signing key" "$work/unsigned.log" || { cat "$work/unsigned.log" >&2; fail "serve without a key did not say why it stopped"; }
podman run --rm "${locked_down[@]}" -e DATABASE_URL="$owner_url" "$image" migrate --grant-to "$role" \
  >"$work/migrate.log" 2>&1 || { cat "$work/migrate.log" >&2; fail "compliance-server migrate --grant-to failed in the container"; }
grep -q "schema is current" "$work/migrate.log" || { cat "$work/migrate.log" >&2; fail "migrate said nothing"; }
grep -q "role $role may serve" "$work/migrate.log" || { cat "$work/migrate.log" >&2; fail "migrate did not grant $role"; }
if psql "$url" -qAtX -c "DELETE FROM audit_events" >/dev/null 2>"$work/delete.log"; then
  fail "$role may delete audit events"
fi
grep -q "permission denied" "$work/delete.log" || { cat "$work/delete.log" >&2; fail "deleting audit events as $role failed for another reason"; }
podman volume create "$witness_volume" >/dev/null
podman run -d --name "$server" "${locked_down[@]}" "${signing[@]}" \
  -v "$witness_volume:/var/lib/compliance-status/audit-witness" \
  -e COMPLIANCE_AUDIT_WITNESS_DIR=/var/lib/compliance-status/audit-witness \
  -e DATABASE_URL="$url" -e COMPLIANCE_NO_MIGRATE=1 \
  -e COMPLIANCE_LISTEN="127.0.0.1:$grpc_port" -e COMPLIANCE_METRICS_LISTEN="127.0.0.1:$metrics_port" \
  -e COMPLIANCE_HTTP_LISTEN="127.0.0.1:$http_port" \
  "$image" >/dev/null 2>"$work/start.log" || { cat "$work/start.log" >&2; fail "the container does not start"; }
wait_healthy() {
  for _ in $(seq 1 60); do
    if podman healthcheck run "$1" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  return 1
}
wait_healthy "$server" || { podman logs "$server" >&2; fail "the container never passed its HEALTHCHECK (gRPC health)"; }

step "calls"
export COMPLIANCE_SERVER=127.0.0.1:$grpc_port
if "$cli" requirements list >/dev/null 2>"$work/denied.log"; then fail "a call without a token was answered"; fi
grep -q UNAUTHENTICATED "$work/denied.log" || { cat "$work/denied.log" >&2; fail "no UNAUTHENTICATED without a token"; }
token=$(podman exec "$server" compliance-server token create --name image-test --role viewer 2>"$work/token.log") ||
  { cat "$work/token.log" >&2; fail "token create failed in the container"; }
COMPLIANCE_TOKEN=$token "$cli" --output json requirements list >"$work/requirements.json" ||
  fail "ListRequirements failed"
names=$(python3 -c 'import json, sys
doc = json.load(open(sys.argv[1]))
rows = doc if isinstance(doc, list) else next(v for v in doc.values() if isinstance(v, list))
print(" ".join(r["name"].rsplit("/", 1)[-1] for r in rows))' "$work/requirements.json")
[[ "$names" == "5.1.a 5.1.b 5.1.c 5.1.d 5.1.e 5.1.f 5.1.g 5.1.h" ]] || fail "ListRequirements answered: $names"
curl -sS --fail --max-time 5 "http://127.0.0.1:$metrics_port/metrics" | grep -q '^compliance_readiness_score{' ||
  fail "/metrics has no readiness score"
curl -sS --fail --max-time 5 "http://127.0.0.1:$http_port/healthz" | grep -q '"SERVING"' ||
  fail "REST /healthz is not SERVING"
curl -sS --fail --max-time 5 -H "Authorization: Bearer $token" \
  "http://127.0.0.1:$http_port/v1/frameworks/iso27001-2022/requirements/5.1.h" |
  grep -q '"reference":"5.1(h)"' || fail "REST GetRequirement failed"
if podman logs "$server" 2>&1 | grep "could rewrite the audit log" >&2; then
  fail "the server, connected as $role, could rewrite the audit log"
fi

step "signed checkpoints"
admin=$(podman exec "$server" compliance-server token create --name image-test-admin --role admin 2>"$work/token.log") ||
  { cat "$work/token.log" >&2; fail "token create (admin) failed in the container"; }
COMPLIANCE_TOKEN=$admin "$cli" requirements review 5.1.a --conformity conforming --notes "image test" \
  >/dev/null || fail "ReviewRequirement failed"
witnessed=""
for _ in $(seq 1 40); do
  witnessed=$(podman exec "$server" ls /var/lib/compliance-status/audit-witness 2>/dev/null | grep '^checkpoint-' || true)
  [[ -n "$witnessed" ]] && break
  sleep 0.25
done
[[ -n "$witnessed" ]] || { podman logs "$server" >&2; fail "no checkpoint in the witness volume after a change"; }
witness_dir=$(podman volume inspect "$witness_volume" --format '{{.Mountpoint}}')
COMPLIANCE_TOKEN=$token "$cli" audit verify --key "$verifier" --checkpoint "$witness_dir" >"$work/verify.log" 2>&1 ||
  { cat "$work/verify.log" >&2; fail "audit verify --key does not accept the server's signed checkpoints"; }
grep -q "^intact" "$work/verify.log" || { cat "$work/verify.log" >&2; fail "audit verify said: $(cat "$work/verify.log")"; }
# The gauge is set just after the witness file is written.
for _ in $(seq 1 20); do
  curl -sS --fail --max-time 5 "http://127.0.0.1:$metrics_port/metrics" >"$work/metrics.txt" || true
  grep -q '^compliance_audit_checkpoint_size [1-9]' "$work/metrics.txt" && break
  sleep 0.25
done
grep -q '^compliance_audit_checkpoint_size [1-9]' "$work/metrics.txt" ||
  fail "/metrics has no compliance_audit_checkpoint_size after a checkpoint"

step "mutual TLS"
# A self-signed certificate serves as the server's, the client CA and the client's at once.
# The HEALTHCHECK speaks TLS when the server does (the Kubernetes tls/ overlay relies on it)
# and presents COMPLIANCE_HEALTHCHECK_CERT where client certificates are required.
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost -keyout "$work/tls.key" -out "$work/tls.crt" >/dev/null 2>&1
chmod 644 "$work/tls.key"  # a throwaway key, readable by the container's user
tls_port=$(free_port)
podman run -d --name "$tls" "${locked_down[@]}" "${signing[@]}" -v "$work/tls.crt:/tls/tls.crt:ro" \
  -v "$work/tls.key:/tls/tls.key:ro" -e DATABASE_URL="$url" -e COMPLIANCE_NO_MIGRATE=1 \
  -e COMPLIANCE_TLS_CERT=/tls/tls.crt -e COMPLIANCE_TLS_KEY=/tls/tls.key \
  -e COMPLIANCE_TLS_CLIENT_CA=/tls/tls.crt \
  -e COMPLIANCE_HEALTHCHECK_CERT=/tls/tls.crt -e COMPLIANCE_HEALTHCHECK_KEY=/tls/tls.key \
  -e COMPLIANCE_LISTEN="127.0.0.1:$tls_port" -e COMPLIANCE_METRICS_LISTEN="127.0.0.1:$(free_port)" \
  -e COMPLIANCE_HTTP_LISTEN="127.0.0.1:$(free_port)" \
  "$image" >/dev/null 2>&1
wait_healthy "$tls" || { podman logs "$tls" >&2; fail "the TLS server never passed its HEALTHCHECK"; }
if podman exec -e COMPLIANCE_HEALTHCHECK_CERT= "$tls" compliance-healthcheck 2>/dev/null; then
  fail "the HEALTHCHECK passed without the client certificate the server requires"
fi
COMPLIANCE_TOKEN=$token "$cli" --server "localhost:$tls_port" --ca "$work/tls.crt" \
  --cert "$work/tls.crt" --key "$work/tls.key" requirements list >/dev/null ||
  fail "ListRequirements over mutual TLS failed"

step "SIGTERM"
podman stop -t 30 "$server" >/dev/null 2>&1
code=$(podman inspect "$server" --format '{{.State.ExitCode}}')
[[ "$code" == 0 ]] || { podman logs "$server" >&2; fail "exit code $code after SIGTERM"; }

step "no database"
podman run -d --name "$nodb" "${locked_down[@]}" "${signing[@]}" -e COMPLIANCE_NO_MIGRATE=1 \
  -e DATABASE_URL="host=127.0.0.1 port=1 user=nobody dbname=nothing connect_timeout=1" \
  -e COMPLIANCE_LISTEN="127.0.0.1:$grpc_port" -e COMPLIANCE_METRICS_LISTEN="127.0.0.1:$metrics_port" \
  -e COMPLIANCE_HTTP_LISTEN="127.0.0.1:$http_port" \
  "$image" >/dev/null 2>&1
not_serving=false
for _ in $(seq 1 40); do
  if ! podman exec "$nodb" compliance-healthcheck 2>"$work/nodb.log" &&
    grep -q "answer: 00000000020802" "$work/nodb.log"; then not_serving=true; break; fi
  sleep 0.5
done
$not_serving || { cat "$work/nodb.log" >&2; fail "the HEALTHCHECK did not fail on NOT_SERVING"; }
if podman healthcheck run "$nodb" >/dev/null 2>&1; then fail "podman calls the server without a database healthy"; fi

step "passed"
