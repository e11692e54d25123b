#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the audit tests and print
#   export LEAKGUARD_TEST_PG=postgresql://...
# on stdout (use: eval "$(.ci/start-postgres.sh)"). Installs the server from the
# distribution's packages when missing. PostgreSQL refuses to run as root, so as root
# the cluster belongs to the `postgres` user (created if needed).
set -euo pipefail

log() { echo "start-postgres: $*" >&2; }

find_bin() {
    local dir
    for dir in /usr/lib/postgresql/*/bin; do
        if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/postgres" ]; then
            echo "$dir"
            return 0
        fi
    done
    if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
        dirname "$(command -v initdb)"
        return 0
    fi
    return 1
}

if ! BIN=$(find_bin); then
    if [ "$(id -u)" -ne 0 ]; then
        log "no PostgreSQL server binaries and not root: cannot install"
        exit 1
    fi
    log "installing postgresql from the distribution's packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    # policy-rc.d keeps the package from starting its own cluster service.
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    apt-get install -y -qq postgresql >&2
    rm -f /usr/sbin/policy-rc.d
    BIN=$(find_bin)
fi

RUN=()
if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    RUN=(runuser -u postgres --)
fi

BASE=$(mktemp -d /tmp/leakguard-pg.XXXXXX)
chmod 755 "$BASE"
[ "${#RUN[@]}" -gt 0 ] && chown postgres "$BASE"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

"${RUN[@]}" "$BIN/initdb" -D "$BASE/data" -U leakguard --auth=trust -E UTF8 >"$BASE/initdb.log" 2>&1 \
    || { cat "$BASE/initdb.log" >&2; exit 1; }
"${RUN[@]}" "$BIN/pg_ctl" -D "$BASE/data" -l "$BASE/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $BASE -c fsync=off -c max_connections=100" start >&2 \
    || { cat "$BASE/server.log" >&2; exit 1; }
"${RUN[@]}" "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U leakguard leakguard_test

log "PostgreSQL on 127.0.0.1:$PORT (data $BASE/data; stop: ${RUN[*]} $BIN/pg_ctl -D $BASE/data stop)"
echo "export LEAKGUARD_TEST_PG=postgresql://leakguard@127.0.0.1:$PORT/leakguard_test"
