#!/usr/bin/env bash
# Install the services the tests start themselves: PostgreSQL (Debian's package). The tests
# create a throwaway cluster with initdb/pg_ctl in a temp dir on a free port and stop it at
# the end, so nothing here starts or configures a server. Safe to run again.
set -euo pipefail
if command -v pg_ctl >/dev/null 2>&1 || compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null; then
    exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    # the Debian package creates a cluster and may start it: the tests use their own
    if command -v pg_ctlcluster >/dev/null 2>&1; then pg_ctlcluster --force "$(ls /etc/postgresql | tail -1)" main stop 2>/dev/null || true; fi
else
    echo "scripts/test-services.sh: PostgreSQL is not installed and cannot be installed here (needs root and apt-get);" >&2
    echo "  the PostgreSQL tests will be skipped" >&2
fi
