"""Shared fixtures: the spaCy pipeline, loaded once, for tests marked ``slow`` only."""

from __future__ import annotations

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
