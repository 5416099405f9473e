#!/usr/bin/env bash
# pgvector for Debian's PostgreSQL 15, built from Debian's own source package. Bookworm ships no
# pgvector package; trixie's source (pgvector 0.8.0) builds against bookworm's
# postgresql-server-dev-15 in seconds. The trixie `deb-src` line lives in a private apt
# configuration under $WORK (its own source list, package lists and cache), so the system's apt
# sources are never touched and nothing from trixie is installed: only its source is fetched.
#
#   scripts/build-pgvector.sh         build and install it unless it is installed already
#
# Needs root (apt-get, and installing into /usr/lib/postgresql/15 and /usr/share/postgresql/15).
# `OPTFLAGS=""` keeps the library free of `-march=native`, so it does not depend on this machine's CPU.
# Settings (environment): SCHEMANTIC_PGVECTOR_WORK (default $TMPDIR/schemantic-pgvector).
set -euo pipefail

PG_CONFIG=/usr/lib/postgresql/15/bin/pg_config
WORK="${SCHEMANTIC_PGVECTOR_WORK:-${TMPDIR:-/tmp}/schemantic-pgvector}"

if [ -f /usr/share/postgresql/15/extension/vector.control ] && [ -f /usr/lib/postgresql/15/lib/vector.so ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "pgvector is not installed for PostgreSQL 15: run scripts/build-pgvector.sh as root (it builds Debian's source package)" >&2
  exit 1
fi

echo "building pgvector for PostgreSQL 15 from Debian's trixie source package"
export DEBIAN_FRONTEND=noninteractive
# The build tools, when missing (never upgraded: --no-upgrade).
missing=()
for tool in gcc make dpkg-source; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ "${#missing[@]}" -gt 0 ]; then
  apt-get update -qq
  apt-get install -y -qq --no-upgrade gcc make dpkg-dev >/dev/null
fi
# The server's headers, at the version of the server installed: a newer postgresql-server-dev-15
# would pull a newer postgresql-15 under a server that may be running (its libraries would no
# longer match the binary in memory). Only when that version has left Debian's archive is the
# newest taken, which upgrades the server package; scripts/test-postgres.sh then restarts it.
if [ ! -x "$PG_CONFIG" ] || ! dpkg -s postgresql-server-dev-15 >/dev/null 2>&1; then
  server_version="$(dpkg-query -W -f='${Version}' postgresql-15 2>/dev/null || true)"
  if [ -n "$server_version" ] && apt-get install -y -qq "postgresql-server-dev-15=$server_version" >/dev/null 2>&1; then
    :
  else
    apt-get update -qq
    if [ -z "$server_version" ] || ! apt-get install -y -qq "postgresql-server-dev-15=$server_version" >/dev/null 2>&1; then
      echo "postgresql-server-dev-15 ${server_version:-?} is not in Debian's archive any more: installing the newest (PostgreSQL 15 is upgraded with it)" >&2
      apt-get install -y -qq postgresql-server-dev-15 >/dev/null
    fi
  fi
fi

rm -rf "$WORK"
mkdir -p "$WORK/apt/lists/partial" "$WORK/apt/cache/archives/partial" "$WORK/apt/sources"
cat >"$WORK/apt/sources/trixie-src.sources" <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
apt_private=(
  -o "Dir::Etc::SourceList=/dev/null"
  -o "Dir::Etc::SourceParts=$WORK/apt/sources"
  -o "Dir::State::Lists=$WORK/apt/lists"
  -o "Dir::Cache=$WORK/apt/cache"
  -o "APT::Sandbox::User=root"
)
apt-get "${apt_private[@]}" update -qq
(cd "$WORK" && apt-get "${apt_private[@]}" source --download-only -qq pgvector >/dev/null)
# apt checked the files against the signed Release and Sources indexes; the .dsc signature needs
# a keyring bookworm does not install, so dpkg-source is told not to check it again.
dsc="$(ls "$WORK"/pgvector_*.dsc | head -n 1)"
dpkg-source --no-check -x "$dsc" "$WORK/src" >/dev/null
make -s -C "$WORK/src" OPTFLAGS="" PG_CONFIG="$PG_CONFIG" >/dev/null
make -s -C "$WORK/src" install PG_CONFIG="$PG_CONFIG" >/dev/null
echo "pgvector $(sed -n "s/^default_version = '\(.*\)'/\1/p" "$WORK/src/vector.control") installed for PostgreSQL 15"
