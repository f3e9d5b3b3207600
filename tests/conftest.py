"""Shared fixtures: the spaCy pipeline, loaded once, for tests marked ``slow`` only."""

from __future__ import annotations

import importlib.util
import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from spacy.language import Language

from newsgraph import nlp as nlp_module

SEED = Path(__file__).resolve().parents[1] / "examples" / "seed_article.txt"


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The default pipeline; ``load(None)`` is the call the pipeline and CLI make, so it is cached once."""
    return nlp_module.load(None)


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _no_default_model_unless_slow(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A test not marked ``slow`` fails if it loads the default pipeline (named ones still load)."""
    if request.node.get_closest_marker("slow"):
        return
    real_load = nlp_module.load

    def guarded(name: str | None = None) -> Language:
        if name is None:
            pytest.fail("a test not marked slow loaded the spaCy model")
        return real_load(name)

    monkeypatch.setattr(nlp_module, "load", guarded)


# ---------------------------------------------------------------------------------- stores

BACKENDS = ("sqlite", "postgresql")


def _postgres_bin() -> Path | None:
    """The directory of PostgreSQL's server programs (Debian keeps them off PATH)."""
    import shutil

    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    return versions[-1].parent if versions else None


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A throwaway PostgreSQL cluster on a free port (the URL of its ``postgres`` database).

    Started with ``initdb``/``pg_ctl`` as the ``postgres`` user when run as root (``initdb``
    refuses root), stopped at the end. Skipped where PostgreSQL is not installed, except in CI,
    where its absence is a failure (``.ci/run`` installs it).
    """
    import os
    import shutil
    import socket
    import subprocess
    import tempfile

    bin_dir = _postgres_bin()
    if bin_dir is None or not importlib.util.find_spec("psycopg"):
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL (or psycopg) is not installed: run scripts/test-services.sh")
        pytest.skip("PostgreSQL is not installed")
    base = Path(tempfile.mkdtemp(prefix="newsgraph-pg-"))  # not under pytest's root-only tmp
    as_root = os.geteuid() == 0
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    if as_root:
        shutil.chown(base, "postgres", "postgres")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    data, log = base / "data", base / "log"
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
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {base} -c fsync=off -c full_page_writes=off"
    subprocess.run(
        [*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-o", options, "start"],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
        )
        shutil.rmtree(base, ignore_errors=True)


_databases = itertools.count(1)


def fresh_postgres(server: str) -> str:
    """The URL of a new, empty database on the test cluster."""
    import psycopg

    name = f"t{next(_databases)}_{os.getpid()}"
    with psycopg.connect(server, autocommit=True) as db:
        db.execute(f"CREATE DATABASE {name}")
    return server.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(params=BACKENDS)
def store_target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where to open a fresh store, once per backend: an SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "corpus.db")
    return fresh_postgres(request.getfixturevalue("postgres_server"))
