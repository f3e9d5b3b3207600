"""Tests of the spaCy component: ``nlp.add_pipe("newsgraph")`` sets newsgraph's results on the Doc."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest
from spacy.language import Language

from newsgraph import spacy_component
from newsgraph.nlp import default_model_name

ROOT = Path(__file__).resolve().parents[1]


def test_the_entry_point_is_declared() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    factories = project["project"]["entry-points"]["spacy_factories"]
    assert factories == {"newsgraph": "newsgraph.spacy_component:make_newsgraph"}
    module, _, attribute = factories["newsgraph"].partition(":")
    assert getattr(spacy_component, attribute) is spacy_component.make_newsgraph
    assert module == spacy_component.__name__


def test_spacy_finds_the_factory_through_the_entry_point(tmp_path: Path) -> None:
    """As when installed: a dist-info with the entry point, and no import of newsgraph by the user."""
    dist = tmp_path / "newsgraph_ep-0.0.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: newsgraph-ep\nVersion: 0.0.0\n")
    (dist / "entry_points.txt").write_text(
        "[spacy_factories]\nnewsgraph = newsgraph.spacy_component:make_newsgraph\n"
    )
    script = textwrap.dedent(
        """
        import sys, spacy
        nlp = spacy.blank("en")
        nlp.add_pipe("newsgraph")  # the user never imports newsgraph: spaCy finds it
        assert "newsgraph.spacy_component" in sys.modules
        print(nlp.pipe_names, nlp.get_pipe_meta("newsgraph").assigns)
        """
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT / "src")])}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "['newsgraph']" in done.stdout and "doc._.quotes" in done.stdout


# ---------------------------------------------------------------------------------- with the model


@pytest.fixture(scope="module")
def pipeline() -> Language:
    """The default English pipeline, loaded by spaCy itself, with the component added."""
    import spacy

    nlp = spacy.load(default_model_name())
    nlp.add_pipe("newsgraph")
    return nlp


@pytest.mark.slow
def test_the_seed_article_in_a_spacy_pipeline(pipeline: Language, seed_text: str) -> None:
    doc = pipeline(seed_text)
    assert doc.text == seed_text
    speakers = {quote.speaker for quote in doc._.quotes}
    assert {"Dmitry Peskov", "Alexander Grushko"} <= speakers
    for quote in doc._.quotes:
        assert doc.text[quote.start : quote.end] == quote.text
        if quote.speaker_start is not None:
            assert doc.text[quote.speaker_start : quote.speaker_end] == quote.speaker_text
    assert doc._.roles["Dmitry Peskov"] == ["Kremlin spokesman"]
    peskov = next(ent for ent in doc.ents if ent.text == "Dmitry Peskov")
    assert peskov._.roles == ["Kremlin spokesman"]
    assert any(place.name == "Geneva" and place.lat for place in doc._.places)
    assert any(event.label == "talks in Geneva" for event in doc._.events)
    assert "Russia" in doc._.tags and doc._.topics
    assert [span.text for span in doc.spans["newsgraph_quotes"]][: len(doc._.quotes)]
    assert doc._.newsgraph.quotes == doc._.quotes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Kremlin spokesman Dmitry Peskov said the talks would go on.",
            [("Dmitry Peskov", "the talks would go on")],
        ),
        ('"We are ready," Wendy Sherman told reporters in Geneva.', [("Wendy Sherman", "We are ready,")]),
    ],
)
@pytest.mark.slow
def test_quotes_with_speakers(pipeline: Language, text: str, expected: list[tuple[str, str]]) -> None:
    doc = pipeline(text)
    assert [(quote.speaker, quote.text) for quote in doc._.quotes] == expected


@pytest.mark.slow
def test_a_publication_date_resolves_relative_dates(pipeline: Language) -> None:
    text = "France and Germany held talks in Paris on Monday."
    doc = pipeline.make_doc(text)
    doc._.published = "2022-01-12"
    for _, component in pipeline.pipeline:
        doc = component(doc)
    (event,) = doc._.events
    assert (event.type, event.date) == ("CONSULT", "2022-01-10")
