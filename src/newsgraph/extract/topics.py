"""Topics: IPTC Media Topics of the article (to come)."""

from __future__ import annotations

from spacy.tokens import Doc

from newsgraph.extract.base import Found
from newsgraph.models import Topic


def extract(doc: Doc, found: Found) -> list[Topic]:
    """Classify the article into IPTC Media Topics; fill ``found.topics``."""
    found.topics = []
    return found.topics
