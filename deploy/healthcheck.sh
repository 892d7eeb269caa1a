#!/bin/sh
# The image's HEALTHCHECK: grpc.health.v1.Health/Check for the whole server ("") over
# HTTP/2, with curl (Debian has no grpc_health_probe). Healthy only on SERVING, whose framed
# response is the seven bytes 00 00 00 00 02 08 01; NOT_SERVING, an error status or no answer
# fail. Speaks TLS when the server does (unverified: this is loopback). A server that
# requires client certificates is checked with COMPLIANCE_HEALTHCHECK_CERT and _KEY.
set -eu
port=${COMPLIANCE_LISTEN##*:}
path=grpc.health.v1.Health/Check
if [ -n "${COMPLIANCE_TLS_CERT:-}" ]; then
  set -- --http2 --insecure "https://127.0.0.1:$port/$path"
  if [ -n "${COMPLIANCE_HEALTHCHECK_CERT:-}" ]; then
    set -- "$@" --cert "$COMPLIANCE_HEALTHCHECK_CERT" --key "${COMPLIANCE_HEALTHCHECK_KEY:?}"
  fi
else
  set -- --http2-prior-knowledge "http://127.0.0.1:$port/$path"
fi
answer=$(printf '\0\0\0\0\0' |
  curl -sS --max-time 2 -H 'content-type: application/grpc' -H 'te: trailers' \
    --data-binary @- "$@" | od -An -tx1 | tr -d ' \n')
[ "$answer" = "00000000020801" ] || { echo "not serving (answer: ${answer:-none})" >&2; exit 1; }
