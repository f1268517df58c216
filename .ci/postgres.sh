#!/usr/bin/env bash
# Install PostgreSQL's server binaries from Debian if they are absent. Nothing is started
# here: the tests start their own throwaway server (initdb + pg_ctl in a temporary folder,
# on a free loopback port), and with CI=true they fail rather than skip without it.
set -euo pipefail

if compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    echo "postgres.sh: PostgreSQL is installed: $(ls -d /usr/lib/postgresql/*/bin | tail -n1)"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# The Debian package creates a cluster and may start it; the tests do not use it.
$SUDO apt-get install -y -qq --no-install-recommends postgresql >/dev/null
# The tests run the server as the 'postgres' user when they run as root; the package makes it.
id postgres >/dev/null
echo "postgres.sh: installed $(ls -d /usr/lib/postgresql/*/bin | tail -n1)"
