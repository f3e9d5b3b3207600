#!/usr/bin/env bash
# Install the services the tests start themselves, from Debian's packages:
# - PostgreSQL: the tests create a throwaway cluster with initdb/pg_ctl in a temp dir on a free
#   port and stop it at the end, so nothing here starts or configures a server;
# - Chromium: the browser tests (tests/web/test_browser.py) drive /usr/bin/chromium through
#   Playwright with executable_path (Playwright's own browser download is not used).
# Safe to run again: what is installed already is left alone.
set -euo pipefail

can_install() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; }

updated=0
apt_install() {
    export DEBIAN_FRONTEND=noninteractive
    if [ "$updated" = 0 ]; then apt-get update -qq; updated=1; fi
    apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# ---------------------------------------------------------------------------- PostgreSQL
if command -v pg_ctl >/dev/null 2>&1 || compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null; then
    :
elif can_install; then
    apt_install postgresql
    # the Debian package creates a cluster and may start it: the tests use their own
    if command -v pg_ctlcluster >/dev/null 2>&1; then pg_ctlcluster --force "$(ls /etc/postgresql | tail -1)" main stop 2>/dev/null || true; fi
else
    echo "scripts/test-services.sh: PostgreSQL is not installed and cannot be installed here (needs root and apt-get);" >&2
    echo "  the PostgreSQL tests will be skipped" >&2
fi

# ------------------------------------------------------------------------------ Chromium
if [ -x /usr/bin/chromium ]; then
    :
elif can_install; then
    apt_install chromium
else
    echo "scripts/test-services.sh: Chromium is not installed and cannot be installed here (needs root and apt-get);" >&2
    echo "  the browser tests will be skipped (and fail under CI=true)" >&2
fi
