"""Tests of newsgraph.nlp: the newline_sentences component (no model needed)."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from newsgraph.nlp import newline_sentences


def _reference(doc: Doc) -> list[bool | None]:
    """Sentence starts as the rule reads: every token after one whose text holds a line break."""
    out: list[bool | None] = []
    after_break = False
    for token in doc:
        out.append(True if after_break else token.is_sent_start)
        after_break = "\n" in token.text_with_ws
    return out


@pytest.mark.parametrize(
    "text",
    [
        "One line.\nTwo lines.\n\nThree paragraphs.\r\nWindows line.",
        "Spaces  \n  around\t\n\tbreaks \n",
        "\nStarts with a break.",
        "No break at all.",
        "x",
        "",
        "Ends with a break\n",
        "Word\u00a0\nnext \u2028 line",
    ],
)
def test_a_sentence_starts_after_every_line_break(text: str) -> None:
    nlp = spacy.blank("en")
    expected = _reference(nlp.make_doc(text))
    assert [t.is_sent_start for t in newline_sentences(nlp.make_doc(text))] == expected
