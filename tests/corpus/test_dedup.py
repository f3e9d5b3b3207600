"""Tests of near-duplicate grouping with MinHash LSH (no model)."""

from __future__ import annotations

from newsgraph.corpus.dedup import NUM_PERM, THRESHOLD, group, shingles, signature, similarity

STORY = (
    "Talks to end a strike by ferry crews in the north of Scotland collapsed in Aberdeen on Monday, "
    "leaving island services cancelled for a third day. The union walked out of the meeting with the "
    "company after six hours, saying it had not improved its pay offer. The general secretary said his "
    "members would stay on strike until the company came back with a better deal. The chief executive "
    "said the offer of a four per cent rise was the most the company could afford, and that the firm had "
    "lost more than two million pounds since the strike began. The transport secretary urged both sides "
    "to return to the table and said the government was ready to bring in a mediator by Friday."
)
EDITED = (
    "Island ferries stay in port. "
    + STORY.replace("on Monday", "on Monday afternoon")
    .replace("six hours", "seven hours")
    .replace("since the strike began", "since the strike started")
    .rsplit(". The transport secretary", 1)[0]
    + "."
)
OTHER_REPORT = (
    "Travellers stranded by the ferry strike spent another night in Aberdeen as the dispute between the "
    "company and its crews showed no sign of ending. A nurse said she had missed two shifts at the "
    "hospital. The union leader said crews would not accept a rise lower than inflation, and the minister "
    "said she would name a mediator on Friday unless the two sides agreed to meet."
)


def test_signature_is_fixed_size_and_deterministic() -> None:
    assert len(signature(STORY)) == NUM_PERM * 4
    assert signature(STORY) == signature(STORY)
    assert signature(STORY.upper()) == signature(STORY)  # case and punctuation do not matter


def test_shingles() -> None:
    assert shingles("One two, three!") == {b"one two three"}
    assert len(shingles("a b c d e f")) == 2
    assert shingles("") == set()


def test_edited_copy_is_similar_and_another_report_is_not() -> None:
    assert similarity(signature(STORY), signature(EDITED)) >= THRESHOLD
    assert similarity(signature(STORY), signature(OTHER_REPORT)) < 0.2


def test_groups() -> None:
    found = group(
        [
            (1, signature(STORY)),
            (2, signature(OTHER_REPORT)),
            (5, signature(EDITED)),
            (7, signature(STORY)),
            (9, signature("")),
            (10, signature("")),
        ]
    )
    assert found == {1: 1, 5: 1, 7: 1}


def test_no_signatures_no_groups() -> None:
    assert group([]) == {}


def test_only_new_articles_are_looked_up() -> None:
    signatures = [(1, signature(STORY)), (2, signature(OTHER_REPORT)), (3, signature(EDITED))]
    assert group(signatures, new_after=3) == {}  # nothing new: nothing looked up
    assert group(signatures, new_after=2) == {1: 1, 3: 1}  # the new one finds the old
    assert group(signatures, known={1: 1, 3: 1}, new_after=3) == {1: 1, 3: 1}  # earlier groups kept
