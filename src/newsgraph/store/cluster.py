"""A throwaway local PostgreSQL cluster, for tests, benchmarks and trying the PostgreSQL store.

>>> with local_postgres() as url:            # doctest: +SKIP
...     store = open_store(url)

Uses the server programs of the installed PostgreSQL (Debian keeps them in
``/usr/lib/postgresql/VERSION/bin``): ``initdb`` in a temporary directory (as the ``postgres``
user when run as root, since ``initdb`` refuses root), ``pg_ctl start`` on a free port of
127.0.0.1 with durability off (``fsync=off``: for throwaway data only), and ``pg_ctl stop -m
immediate`` plus removal of the directory at the end.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["create_database", "free_ports", "local_postgres", "postgres_bin"]


def postgres_bin() -> Path | None:
    """The directory of PostgreSQL's server programs, or None when PostgreSQL is not installed."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    return versions[-1].parent if versions else None


def free_ports(count: int) -> list[int]:
    """``count`` distinct TCP ports of 127.0.0.1 that are free now (for throwaway servers)."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


@contextmanager
def local_postgres(*, durable: bool = False) -> Iterator[str]:
    """Start a new cluster; yields the URL of its ``postgres`` database; stops and removes it after."""
    bin_dir = postgres_bin()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL is not installed (Debian: apt-get install postgresql)")
    base = Path(tempfile.mkdtemp(prefix="newsgraph-pg-"))
    as_root = os.geteuid() == 0
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    if as_root:
        shutil.chown(base, "postgres", "postgres")
    (port,) = free_ports(1)
    data, log = base / "data", base / "log"
    pg_ctl = str(bin_dir / "pg_ctl")
    try:
        subprocess.run(
            [
                *prefix,
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ],
            check=True,
            capture_output=True,
        )
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {base}"
        if not durable:
            options += " -c fsync=off -c full_page_writes=off -c synchronous_commit=off"
        subprocess.run(
            [*prefix, pg_ctl, "-D", str(data), "-l", str(log), "-w", "-o", options, "start"],
            check=True,
            capture_output=True,
        )
        try:
            yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
        finally:
            subprocess.run([*prefix, pg_ctl, "-D", str(data), "-m", "immediate", "stop"], capture_output=True)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def create_database(server: str, name: str) -> str:
    """Create database ``name`` on the server of ``server`` (a URL); returns the new database's URL."""
    import psycopg

    if not name.isidentifier():
        raise ValueError(f"not a database name: {name!r}")
    with psycopg.connect(server, autocommit=True) as db:
        db.execute(f"CREATE DATABASE {name}")
    return server.rsplit("/", 1)[0] + "/" + name
