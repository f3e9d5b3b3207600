"""Events: what happened, with whom, where and when (to come)."""

from __future__ import annotations

from spacy.tokens import Doc

from newsgraph.extract.base import Found
from newsgraph.models import Event


def extract(doc: Doc, found: Found) -> list[Event]:
    """Find the article's events; fill ``found.events``."""
    found.events = []
    return found.events
