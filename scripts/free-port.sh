#!/usr/bin/env bash
# Prints a TCP port on 127.0.0.1 that nothing listens on right now. It is drawn from below the
# kernel's ephemeral range: a port in that range may be the local end of any outgoing
# connection, which a listener cannot bind even though nothing listens there.
set -euo pipefail
low=20000
read -r ephemeral_start _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || ephemeral_start=32768
high=$((ephemeral_start > low + 1000 ? ephemeral_start : 65535))
[[ $high == 65535 ]] && low=61000
for _ in $(seq 1 200); do
  port=$((low + RANDOM % (high - low)))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; exit 0; fi
done
echo "free-port.sh: no free port found" >&2
exit 1
