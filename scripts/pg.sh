#!/usr/bin/env bash
# A throwaway PostgreSQL cluster in a folder of its own, on a free loopback port.
#   pg.sh start DIR   create (first time) and start it; prints its connection string
#   pg.sh stop DIR    stop it (the data stays until DIR is removed)
#   pg.sh url DIR     print the connection string of a cluster made before
# As root, the cluster runs as the unprivileged `postgres` user. PG_EXTRA_OPTS adds server
# settings (the tests turn fsync off; the run command keeps PostgreSQL's durable defaults).
set -euo pipefail

cmd=${1:-}
dir=${2:-}
[[ -n "$cmd" && -n "$dir" ]] || { echo "usage: $0 start|stop|url DIR" >&2; exit 2; }

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[[ -x "$pgbin/initdb" ]] || { echo "pg.sh: PostgreSQL server binaries not found; run scripts/setup.sh" >&2; exit 1; }

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

conninfo() { echo "host=127.0.0.1 port=$(cat "$dir/port") user=compliance dbname=compliance"; }

# As root, the cluster belongs to `postgres`, which may not reach DIR (a clone under /root,
# say). Then the data lives under /var/tmp instead, and DIR/redirect says where.
if [[ -f "$dir/redirect" ]]; then dir=$(cat "$dir/redirect"); fi

case "$cmd" in
  start)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if [[ $(id -u) -eq 0 ]]; then
      chown postgres "$dir"
      if ! as_owner test -w "$dir"; then
        real="/var/tmp/compliance-status-$(printf '%s' "$dir" | sha256sum | cut -c1-12)"
        mkdir -p "$real"
        chown postgres "$real"
        echo "$real" >"$dir/redirect"
        echo "pg.sh: $dir is out of reach for user postgres; keeping the data in $real" >&2
        dir=$real
      fi
    fi
    if [[ ! -f "$dir/data/PG_VERSION" ]]; then
      as_owner "$pgbin/initdb" -D "$dir/data" -U compliance --auth=trust -E UTF8 \
        --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
      "$(dirname "${BASH_SOURCE[0]}")/free-port.sh" >"$dir/port"
    fi
    # A port free when drawn may be taken before PostgreSQL binds it (tests start clusters
    # side by side): then a fresh one is drawn, a few times.
    for attempt in 1 2 3 4 5; do
      port=$(cat "$dir/port")
      as_owner "$pgbin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1 && break
      logged=$(stat -c %s "$dir/server.log" 2>/dev/null || echo 0)
      as_owner "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
        -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='' ${PG_EXTRA_OPTS:-}" \
        start >/dev/null && break
      if ((attempt < 5)) && tail -c +$((logged + 1)) "$dir/server.log" | grep -q 'could not bind'; then
        "$(dirname "${BASH_SOURCE[0]}")/free-port.sh" >"$dir/port"
        continue
      fi
      tail -n 20 "$dir/server.log" >&2
      exit 1
    done
    if ! "$pgbin/psql" "host=127.0.0.1 port=$port user=compliance dbname=postgres" -Atqc \
        "SELECT 1 FROM pg_database WHERE datname = 'compliance'" | grep -q 1; then
      "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U compliance compliance
    fi
    conninfo
    ;;
  stop)
    if [[ -f "$dir/data/PG_VERSION" ]]; then
      as_owner "$pgbin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    ;;
  url)
    conninfo
    ;;
  *)
    echo "usage: $0 start|stop|url DIR" >&2; exit 2 ;;
esac
