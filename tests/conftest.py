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


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A throwaway PostgreSQL cluster for the session (the URL of its ``postgres`` database).

    Skipped where PostgreSQL is not installed, except in CI, where its absence is a failure
    (``scripts/test-services.sh`` installs it).
    """
    from newsgraph.store.cluster import local_postgres, postgres_bin

    if postgres_bin() is None or not importlib.util.find_spec("psycopg"):
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL (or psycopg) is not installed: run scripts/test-services.sh")
        pytest.skip("PostgreSQL is not installed")
    with local_postgres() as url:
        yield url


_databases = itertools.count(1)


def fresh_postgres(server: str) -> str:
    """The URL of a new, empty database on the test cluster."""
    from newsgraph.store.cluster import create_database

    return create_database(server, f"t{next(_databases)}_{os.getpid()}")


@pytest.fixture(params=BACKENDS)
def store_target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where to open a fresh store, once per backend: an SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "corpus.db")
    return fresh_postgres(request.getfixturevalue("postgres_server"))


# ---------------------------------------------------------------------------------- the web app
# (one conftest for the whole suite: a second conftest.py in a folder without __init__.py would
# shadow this one for ``from conftest import ...``)


@pytest.fixture(scope="session")
def web_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The web tests' store (SQLite): the hand-built corpus plus an article full of payloads."""
    from web_records import web_store

    return web_store(tmp_path_factory.mktemp("web") / "web.db")


@pytest.fixture(scope="session")
def client(web_db: Path) -> Iterator[object]:
    """The app over :func:`web_db`, called in-process (a ``fastapi.testclient.TestClient``)."""
    from fastapi.testclient import TestClient

    from newsgraph.web.app import create_app

    with TestClient(create_app(str(web_db))) as test_client:
        yield test_client
