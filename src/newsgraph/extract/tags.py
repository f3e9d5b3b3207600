"""Tags and keyphrases: a ranked list for the TAGS line, the way an editor would fill it.

Tags name the article's central actors and places first, then its subject:

- entities: an entity's weight is its mention count, more for mentions early in the body and
  for quotes it speaks; mentions in the caption count little so that it does not dominate,
  and the trailer not at all. Organisations known by an acronym are tagged by it ("OSCE"),
  as editors do.
- keyphrases: noun phrases of the text (adjectives and nouns ending in a noun, at most
  three words, lemmatised to merge their forms; time words and vague nouns left out) scored
  by PositionRank (Florescu and Caragea, 2017): a PageRank over the co-occurrence graph of
  the text's nouns and adjectives (words fewer than 20 apart are linked), biased toward
  words that come early and often; a phrase scores the sum of its words. Words in the
  caption have no position bias and phrases found only there weigh a quarter; the trailer
  is not parsed at all.
- subjects: of the keyphrases, those of two words or more around a common noun that are
  neither a name nor a role, ranked by the unbiased (SingleRank) scores of their words that
  are not names, no two sharing such a word ("security guarantees", "military alliance").

``found.keyphrases`` holds the ranked keyphrases; ``found.tags`` the ranked entity tags
followed by a few subjects.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from spacy.tokens import Doc, Token

from newsgraph.extract.base import Found
from newsgraph.extract.lexicon import TITLE_WORDS
from newsgraph.models import Entity

__all__ = [
    "MAX_KEYPHRASES",
    "MAX_KEYPHRASE_TAGS",
    "MAX_TAGS",
    "Keyphrase",
    "entity_tags",
    "extract",
    "keyphrases",
    "merge_tags",
    "position_rank",
    "rank_keyphrases",
    "render_seed",
    "subject_phrases",
    "tag_key",
    "word_ranks",
]

TAG_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT"})
#: Most tags on the TAGS line.
MAX_TAGS = 18
#: Most keyphrases among the tags (they come after the entities).
MAX_KEYPHRASE_TAGS = 4
#: Most keyphrases in ``found.keyphrases``.
MAX_KEYPHRASES = 15
#: Longest keyphrase, in words.
MAX_PHRASE_WORDS = 3
#: Two words are linked when they stand fewer than this many words apart.
WINDOW = 20
#: PageRank damping: the share of a word's score that flows from its neighbours.
DAMPING = 0.85
#: Weight of a keyphrase found only in the photo caption.
CAPTION_ONLY_WEIGHT = 0.25

_WORD_POS = frozenset({"NOUN", "PROPN", "ADJ"})
_HEAD_POS = frozenset({"NOUN", "PROPN"})
_COMPARATIVES = frozenset({"JJR", "JJS"})
_BARE_ACRONYM_S = re.compile(r"[A-Z]{2,}s")
_COMPOUND_POS = frozenset({"VERB", "NOUN", "ADJ", "PROPN", "NUM"})
#: Nouns too general to name a subject: time words, vague nouns for people and things, titles.
GENERIC_WORDS = frozenset(
    """
    year week month day time today yesterday tomorrow tonight morning afternoon evening night weekend
    hour minute decade monday tuesday wednesday thursday friday saturday sunday
    january february march april june july august september october november december
    people person man woman official officials thing way lot part number percent per cent
    mr mrs ms dr mr. mrs. ms. dr.
    """.split()
)


# ---------------------------------------------------------------------------------- entity tags


def _tag_name(entity: Entity) -> str:
    if entity.type == "ORG":
        acronyms = [m.text for m in entity.mentions if re.fullmatch(r"[A-Z]{2,8}", m.text)]
        if acronyms:
            return acronyms[0]
    return entity.name


def _weight(entity: Entity, found: Found, length: int, quoted: Counter[str]) -> float:
    weight = 0.0
    for mention in entity.mentions:
        zone = found.zone_of(mention.start)
        if zone == "caption":
            weight += 0.25
        elif zone == "trailer":
            continue
        else:
            weight += 1.0 + 0.5 * (1 - mention.start / max(1, length))
    weight += 0.5 * quoted[entity.id]
    if entity.type == "PERSON" and " " not in entity.name:
        weight *= 0.5  # a lone first or last name is often a passing reference
    return weight


def entity_tags(found: Found, *, limit: int = MAX_TAGS) -> list[str]:
    """The article's actors and places as tags, most central first, one form each."""
    length = len(found.article.text)
    quoted = Counter(q.speaker_id for q in found.quotes if q.speaker_id)  # quotes per speaker
    scored = [
        (_weight(e, found, length, quoted), -e.mentions[0].start, _tag_name(e))
        for e in found.entities
        if e.type in TAG_TYPES and e.mentions
    ]
    scored.sort(reverse=True)
    tags: list[str] = []
    seen: set[str] = set()
    for weight, _, name in scored:
        key = tag_key(name)
        if weight < 1.0 or key in seen:
            continue
        seen.add(key)
        tags.append(name)
        if len(tags) >= limit:
            break
    return tags


def tag_key(tag: str) -> str:
    """What two forms of one tag share: case, spacing and possessive endings aside.

    An acronym that lost its apostrophe counts as the acronym ("NATOs" as "NATO").
    """
    words = (word[:-1] if _BARE_ACRONYM_S.fullmatch(word) else word for word in tag.split())
    return " ".join(re.sub(r"['\u2019]s?$", "", word.lower()) for word in words)


# ---------------------------------------------------------------------------------- keyphrases


def word_ranks(
    keys: Sequence[str | None],
    priors: Sequence[Sequence[float]],
    *,
    window: int = WINDOW,
    damping: float = DAMPING,
) -> list[dict[str, float]]:
    """PageRank scores of the candidate words of a text, once for each prior.

    ``keys`` is the text's sequence of words, each a candidate key or None for a word that
    is no candidate. Candidates fewer than ``window`` words apart are linked, once per
    co-occurrence. Each prior gives every word a weight (e.g. ``1 / position``); its
    PageRank teleports to each candidate in proportion to its summed weight. Scores sum to 1.
    """
    nodes: dict[str, int] = {}
    positions: list[int] = []
    ids: list[int] = []
    for position, key in enumerate(keys):
        if key is not None:
            positions.append(position)
            ids.append(nodes.setdefault(key, len(nodes)))
    size = len(nodes)
    if size == 0:
        return [{} for _ in priors]
    at = np.asarray(positions)
    node_of = np.asarray(ids)
    # the co-occurrence graph as weighted edges (a sparse matrix: a long text has thousands of
    # candidates, and a dense one would cost size**2 memory and time in every iteration)
    sources: list[np.ndarray] = []
    targets: list[np.ndarray] = []
    for gap in range(1, len(at)):
        close = (at[gap:] - at[:-gap]) < window
        if not close.any():
            break
        a, b = node_of[:-gap][close], node_of[gap:][close]
        differ = a != b
        sources += [a[differ], b[differ]]
        targets += [b[differ], a[differ]]
    edges, counts = np.unique(
        np.concatenate(sources) * size + np.concatenate(targets) if sources else np.zeros(0, dtype=np.int64),
        return_counts=True,
    )
    source, target = edges // size, edges % size
    out = np.bincount(source, weights=counts, minlength=size)
    dangling = out == 0
    out[dangling] = 1.0
    share = counts / out[source]  # each word passes its score on in proportion to its links

    results = []
    for prior in priors:
        teleport = np.zeros(size)
        np.add.at(teleport, node_of, np.asarray(prior, dtype=float)[at])
        total = teleport.sum()
        teleport = teleport / total if total > 0 else np.full(size, 1.0 / size)
        scores = np.full(size, 1.0 / size)
        for _ in range(100):
            walked = np.bincount(target, weights=share * scores[source], minlength=size)
            new = (1 - damping) * teleport + damping * (walked + scores[dangling].sum() * teleport)
            converged = np.abs(new - scores).sum() < 1e-6
            scores = new
            if converged:
                break
        results.append({key: float(scores[node]) for key, node in nodes.items()})
    return results


def position_rank(
    words: Sequence[tuple[str | None, float]], *, window: int = WINDOW, damping: float = DAMPING
) -> dict[str, float]:
    """PositionRank scores of the candidate words of a text.

    ``words`` is the text's sequence of words, each a candidate key (None for a word that is
    no candidate) with its prior weight (its position bias, e.g. ``1 / position``); see
    :func:`word_ranks`.
    """
    keys = [key for key, _ in words]
    return word_ranks(keys, [[weight for _, weight in words]], window=window, damping=damping)[0]


def _is_word(token: Token) -> bool:
    """A noun, name or adjective that may be part of a keyphrase."""
    return (
        token.pos_ in _WORD_POS
        and not token.is_stop
        and len(token.text) > 1
        and any(c.isalpha() for c in token.text)
        and token.lower_ not in GENERIC_WORDS
        and token.lemma_.lower() not in GENERIC_WORDS
    )


def _word_key(token: Token) -> str:
    return (token.text if token.pos_ == "PROPN" else token.lemma_).lower()


def _form(tokens: Sequence[Token]) -> str:
    """How a phrase is written as a tag: names and acronyms as in the text, other words lower-cased."""
    parts = []
    for token, following in zip(tokens, [*tokens[1:], None], strict=True):
        as_written = token.pos_ == "PROPN" or token.text.isupper() or bool(token.ent_type_)
        text = token.text if as_written else token.text.lower()
        gap = following is not None and following.i > token.i + 1  # a line break between them
        parts.append(text + (" " if gap else token.whitespace_))
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _phrases(tokens: Sequence[Token], words: Sequence[bool]) -> list[list[Token]]:
    """Runs of adjectives and nouns ending in a noun (hyphenated compounds kept whole).

    ``tokens`` are a doc's tokens and ``words`` says which may be part of a phrase.
    """
    phrases: list[list[Token]] = []
    run: list[Token] = []

    def close() -> None:
        while run and (run[-1].pos_ not in _HEAD_POS or run[-1].text == "-"):
            run.pop()
        while run and run[0].text == "-":
            run.pop(0)
        if run and sum(1 for t in run if t.text != "-") <= MAX_PHRASE_WORDS:
            phrases.append(list(run))
        run.clear()

    line_break = False
    for token, is_word in zip(tokens, words, strict=True):
        if token.is_space:
            if token.text.count("\n") > 1:  # a blank line ends a phrase
                close()
            line_break = line_break or "\n" in token.text
            continue
        if line_break and token.text[:1].isupper():  # a new line that starts a new paragraph
            close()
        line_break = False
        hyphen = token.text == "-" and bool(run) and not run[-1].whitespace_ and not token.whitespace_
        after_hyphen = bool(run) and run[-1].text == "-" and token.pos_ in _COMPOUND_POS
        leading_comparative = not run and token.tag_ in _COMPARATIVES  # "largest", "bigger"
        if hyphen or after_hyphen or (is_word and not leading_comparative):
            run.append(token)  # hyphenated compounds stay whole: storm-related, U.S.-led
        else:
            close()
    close()
    return phrases


@dataclass
class _Candidate:
    """A candidate phrase: its first occurrence, how it is written, where it occurs."""

    tokens: list[Token]
    forms: Counter[tuple[int, int]]  # (start, end) token index of each occurrence, by text
    outside_caption: bool = False

    def form(self) -> str:
        """The phrase as most often written."""
        (start, end), _ = self.forms.most_common(1)[0]
        return _form(list(self.tokens[0].doc[start:end]))


@dataclass
class _Reading:
    """What the keyphrase rankers read from an article, once."""

    candidates: dict[tuple[str, ...], _Candidate]
    #: PositionRank scores of the words (biased toward the first ones)
    positional: dict[str, float]
    #: SingleRank scores of the words (no bias)
    uniform: dict[str, float]


@dataclass(frozen=True)
class Keyphrase:
    """A ranked keyphrase and its score."""

    text: str
    score: float


def _caption_spans(found: Found) -> list[tuple[int, int]]:
    """Character spans of the photo caption in the parsed (repaired) text."""
    to_original = found.repaired.to_original
    size = len(found.repaired.text) + 1

    def parsed(char: int) -> int:  # the first parsed index at or after an input index
        return bisect_left(range(size), char, key=to_original)

    return [(parsed(z.start), parsed(z.end)) for z in found.article.zones if z.kind == "caption"]


def _read(doc: Doc, found: Found) -> _Reading:
    caption = _caption_spans(found)

    def in_caption(token: Token) -> bool:
        return any(start <= token.idx < end for start, end in caption)

    tokens = list(doc)
    is_word = [_is_word(token) for token in tokens]
    keys = [_word_key(token) if word else None for token, word in zip(tokens, is_word, strict=True)]
    # the words (punctuation aside); caption words have no prior, nor a position
    words: list[str | None] = []
    positional: list[float] = []
    uniform: list[float] = []
    position = 0
    for token, word in zip(tokens, keys, strict=True):
        if token.is_space or token.is_punct:
            continue
        captioned = bool(caption) and in_caption(token)
        words.append(word)
        positional.append(0.0 if captioned or word is None else 1.0 / (position + 1))
        uniform.append(0.0 if captioned or word is None else 1.0)
        position += 0 if captioned else 1
    by_position, evenly = word_ranks(words, [positional, uniform], window=WINDOW, damping=DAMPING)
    candidates: dict[tuple[str, ...], _Candidate] = {}
    texts: dict[str, tuple[int, int]] = {}
    text = found.repaired.text  # the text that was parsed
    for phrase in _phrases(tokens, is_word):
        phrase_key = tuple(keys[t.i] or _word_key(t) for t in phrase if t.text != "-")
        entry = candidates.setdefault(phrase_key, _Candidate(tokens=phrase, forms=Counter()))
        span = (phrase[0].i, phrase[-1].i + 1)
        written = text[phrase[0].idx : phrase[-1].idx + len(phrase[-1].text)]
        entry.forms[texts.setdefault(written, span)] += 1
        if not (caption and in_caption(phrase[0])):
            entry.outside_caption = True
    return _Reading(candidates=candidates, positional=by_position, uniform=evenly)


def _rank(reading: _Reading, limit: int) -> list[Keyphrase]:
    scores = reading.positional
    ranked: list[tuple[float, int, _Candidate]] = []
    for key, entry in reading.candidates.items():
        score = sum(scores.get(word, 0.0) for word in key)
        if not entry.outside_caption:
            score *= CAPTION_ONLY_WEIGHT
        ranked.append((score, -entry.tokens[0].i, entry))
    ranked.sort(key=lambda item: (item[0], item[1]), reverse=True)
    result: list[Keyphrase] = []
    seen: set[str] = set()
    for score, _, entry in ranked:
        form = entry.form()
        form_key = tag_key(form)
        if form_key in seen:
            continue
        seen.add(form_key)
        result.append(Keyphrase(text=form, score=round(score, 5)))
        if len(result) >= limit:
            break
    return result


def rank_keyphrases(doc: Doc, found: Found, *, limit: int = MAX_KEYPHRASES) -> list[Keyphrase]:
    """The article's keyphrases, best first: noun phrases ranked by PositionRank."""
    return _rank(_read(doc, found), limit)


def keyphrases(doc: Doc, found: Found, *, limit: int = MAX_KEYPHRASES) -> list[str]:
    """The article's keyphrases as text, best first (see :func:`rank_keyphrases`)."""
    return [k.text for k in rank_keyphrases(doc, found, limit=limit)]


def _is_subject(tokens: Sequence[Token]) -> bool:
    """A phrase that names a subject: two words or more around a common noun, not a role or name."""
    words = [t for t in tokens if t.text != "-"]
    return (
        len(words) >= 2
        and any(t.pos_ == "NOUN" for t in words)
        and not all(t.ent_type_ for t in words)
        and words[-1].lemma_.lower() not in TITLE_WORDS  # "deputy foreign minister" is a role
        and not any(t.tag_ in {"NNS", "NNPS"} for t in words[:-1])  # "talks result" is a misparse
    )


def _subjects(reading: _Reading, limit: int) -> list[str]:
    scores = reading.uniform
    ranked: list[tuple[float, int, _Candidate, frozenset[str]]] = []
    for entry in reading.candidates.values():
        if not _is_subject(entry.tokens):
            continue
        own = frozenset(_word_key(t) for t in entry.tokens if t.text != "-" and not t.ent_type_)
        score = sum(scores.get(word, 0.0) for word in own)
        if not entry.outside_caption:
            score *= CAPTION_ONLY_WEIGHT
        ranked.append((score, -entry.tokens[0].i, entry, own))
    ranked.sort(key=lambda item: (item[0], item[1]), reverse=True)
    chosen: list[str] = []
    used: set[str] = set()
    for _, _, entry, own in ranked:
        if own & used:  # one tag per subject word: not "security guarantees" and "security demands"
            continue
        used |= own
        chosen.append(entry.form())
        if len(chosen) >= limit:
            break
    return chosen


def subject_phrases(doc: Doc, found: Found, *, limit: int = MAX_KEYPHRASE_TAGS) -> list[str]:
    """Phrases that name the article's subject, for the TAGS line ("security guarantees").

    Subject phrases have two words or more around a common noun and are neither a name nor
    a role. They are ranked by the SingleRank scores of their words that are not names (a
    subject runs through the article, it need not come first); no two share such a word.
    """
    return _subjects(_read(doc, found), limit)


# ---------------------------------------------------------------------------------- the TAGS line


def merge_tags(
    actors: Sequence[str],
    subjects: Sequence[str],
    *,
    limit: int = MAX_TAGS,
    subject_limit: int = MAX_KEYPHRASE_TAGS,
) -> list[str]:
    """Entity tags, then subject keyphrases, without repeats, at most ``limit`` in all.

    Up to ``subject_limit`` subjects take the last places; a subject that repeats an actor
    is left out.
    """
    seen = {tag_key(a) for a in actors}
    extra: list[str] = []
    for subject in subjects:
        key = tag_key(subject)
        if key in seen:
            continue
        seen.add(key)
        extra.append(subject)
        if len(extra) >= subject_limit:
            break
    room = max(0, limit - len(extra))
    tags: list[str] = []
    tag_keys: set[str] = set()
    for actor in actors:
        key = tag_key(actor)
        if key in tag_keys:
            continue
        tag_keys.add(key)
        tags.append(actor)
        if len(tags) >= room:
            break
    return tags + extra


def extract(doc: Doc, found: Found) -> list[str]:
    """Rank the article's actors, places and subjects; fill ``found.tags``, ``keyphrases``, ``subjects``."""
    reading = _read(doc, found)
    found.keyphrases = [k.text for k in _rank(reading, MAX_KEYPHRASES)]
    found.subjects = _subjects(reading, MAX_KEYPHRASE_TAGS)
    found.tags = merge_tags(entity_tags(found), found.subjects)
    return found.tags


_TAGS_LINE = re.compile(r"^(?P<lead>[ \t]*tags[ \t]*:)(?P<value>[^\r\n]*)\r?$", re.IGNORECASE | re.MULTILINE)


def render_seed(article_text: str, tags: list[str]) -> str:
    """The article in its own scraped format with its ``TAGS:`` line filled.

    Tags the line already lists stay first; ``tags`` follow, without repeats, joined by
    ", ". The last ``TAGS:`` line is filled (one is added at the end when there is none);
    every other character of the text is kept as it was.
    """
    matches = list(_TAGS_LINE.finditer(article_text))
    if not matches:
        body = article_text if article_text.endswith("\n") or not article_text else article_text + "\n"
        return body + "TAGS: " + ", ".join(_unique(tags)) + "\n"
    line = matches[-1]
    existing = [t.strip() for t in re.split(r"[,;]", line["value"]) if t.strip()]
    value = ", ".join(_unique([*existing, *tags]))
    start, end = line.span("value")
    return article_text[:start] + (" " + value if value else "") + article_text[end:]


def _unique(tags: Sequence[str]) -> list[str]:
    seen: set[str] = set()
    unique: list[str] = []
    for tag in tags:
        key = tag_key(tag)
        if key and key not in seen:
            seen.add(key)
            unique.append(tag)
    return unique
