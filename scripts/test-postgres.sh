#!/usr/bin/env bash
# The test suite's PostgreSQL server: Debian's PostgreSQL 15 (what `apt-get install postgresql`
# gives on bookworm), one cluster in a data directory of its own, listening on 127.0.0.1 only.
# With pgvector, built from Debian's source package when missing (scripts/build-pgvector.sh).
# The tests that need a database (durable runs, graphs, the examples) each create their own
# database on it (test/helpers/postgres.ts) and drop it afterwards.
#
#   scripts/test-postgres.sh          start it (installs PostgreSQL first when missing and run as
#                                     root); does nothing when it already runs. Prints the URL.
#   scripts/test-postgres.sh stop     stop it (the data directory stays)
#   scripts/test-postgres.sh url      print the URL the tests use
#
# Settings (environment): SCHEMANTIC_PG_PORT (54329), SCHEMANTIC_PG_DIR (the cluster's directory,
# default $TMPDIR/schemantic-postgres). The tests read SCHEMANTIC_TEST_DATABASE_URL, default
# postgres://postgres@127.0.0.1:54329/postgres: what this script prints.
#
# PostgreSQL refuses to run as root: as root, the cluster belongs to the `postgres` user (the
# Debian package creates it) and every server command runs as that user. Authentication is
# `trust`, and only from 127.0.0.1 and the cluster's own socket: a throwaway server for tests.
set -euo pipefail

PORT="${SCHEMANTIC_PG_PORT:-54329}"
DIR="${SCHEMANTIC_PG_DIR:-${TMPDIR:-/tmp}/schemantic-postgres}"
DATA="$DIR/data"
URL="postgres://postgres@127.0.0.1:${PORT}/postgres"
command="${1:-start}"

# The server's binaries: Debian keeps them out of PATH, under /usr/lib/postgresql/<major>/bin.
find_bin() {
  for candidate in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
    if [ -x "$candidate/pg_ctl" ] && [ -x "$candidate/initdb" ]; then
      echo "$candidate"
      return 0
    fi
  done
  if command -v pg_ctl >/dev/null && command -v initdb >/dev/null; then
    dirname "$(command -v pg_ctl)"
    return 0
  fi
  return 1
}

# Runs a command as the cluster's owner: the `postgres` user when we are root, else ourselves.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

running() {
  [ -f "$DATA/postmaster.pid" ] && as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

case "$command" in
  url)
    echo "$URL"
    exit 0
    ;;
  start | stop) ;;
  *)
    echo "usage: scripts/test-postgres.sh [start|stop|url]" >&2
    exit 2
    ;;
esac

if ! BIN="$(find_bin)"; then
  if [ "$command" = stop ]; then exit 0; fi
  if [ "$(id -u)" != 0 ]; then
    echo "PostgreSQL is not installed: run \`sudo apt-get install -y postgresql\` (Debian/Ubuntu), or point SCHEMANTIC_TEST_DATABASE_URL at a server of yours" >&2
    exit 1
  fi
  echo "installing PostgreSQL (apt-get install postgresql)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  BIN="$(find_bin)"
fi

# pgvector (the documentation-search example's store): Debian's source package, built once when
# missing and we are root (scripts/build-pgvector.sh); the tests that need it say so otherwise.
if [ "$command" = start ] && [ "$(id -u)" = 0 ]; then
  "$(dirname "$0")/build-pgvector.sh" >&2
fi

if [ "$command" = stop ]; then
  if running; then as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null; fi
  exit 0
fi

if running; then
  # A server started before its package was upgraded (building pgvector can upgrade it) runs an
  # older binary than the libraries on disk, and fails to load them: restart it on the new one.
  running_version="$(as_owner "$BIN/psql" -h "$DIR" -p "$PORT" -U postgres -d postgres -Atc 'SHOW server_version' 2>/dev/null || true)"
  installed_version="$("$BIN/postgres" --version | sed -n 's/^postgres (PostgreSQL) \([^ ]*\).*/\1/p')"
  if [ -n "$running_version" ] && [ "${running_version%% *}" != "$installed_version" ]; then
    echo "restarting PostgreSQL: it runs $running_version, the installed binary is $installed_version" >&2
    as_owner "$BIN/pg_ctl" -D "$DATA" -l "$DIR/server.log" -m fast -w restart >/dev/null
  fi
  echo "$URL"
  exit 0
fi

mkdir -p "$DIR"
if [ "$(id -u)" = 0 ]; then chown postgres: "$DIR"; fi
if [ ! -f "$DATA/PG_VERSION" ]; then
  as_owner "$BIN/initdb" -D "$DATA" -U postgres -A trust -E UTF8 --no-locale >"$DIR/initdb.log" 2>&1 || {
    cat "$DIR/initdb.log" >&2
    exit 1
  }
fi

# Fast and disposable: the data need not survive a power cut (fsync off), and the socket lives in
# the cluster's directory (the system's /var/run/postgresql may not exist or not be writable).
# Enough connections for the scale-out tests: several worker processes, each with a DBOS pool.
options="-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$DIR"
options+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400"
if ! as_owner "$BIN/pg_ctl" -D "$DATA" -l "$DIR/server.log" -o "$options" -w -t 60 start >/dev/null; then
  tail -n 30 "$DIR/server.log" >&2 || true
  exit 1
fi
echo "$URL"
