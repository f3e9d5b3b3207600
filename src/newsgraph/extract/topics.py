"""Topics: the article's IPTC Media Topics, ranked, from a cue-term lexicon.

The vocabulary is IPTC's (``data/iptc_mediatopics.tsv``: the 17 top-level Media Topics, their
second-level children and a few third-level ones, with codes and English labels). Each topic
has cue terms with weights (``data/iptc_topic_terms.txt``, written for newsgraph from the
topics' labels and scope and newsroom usage; no model is fitted; terms are split into words
by spaCy's tokenizer, as the text is). An article's words (lemmas, and names as written) are
matched against the terms, longest first; a term found
``n`` times adds ``weight * (1 + ln n)`` to its topic, so one repeated word cannot carry an
article. Verbs match by their form ("hits" is no pop hit); words of people's and places' names
and of dates match only terms written with a capital ("Gardener", "Ivory Coast" and "March" cue
nothing); idioms listed under the code ``none`` cue nothing ("according to"). Sums of money
(spaCy's MONEY entities) are business evidence, places named a little political evidence, and
results written "3-1" sport evidence. The title counts double, the lead (the first sentence
after a headline line) double, and the photo caption half. A topic's evidence adds up to its parents,
and the top levels that are mostly side themes of news (education, health, society, labour ...)
count for less; a topic's score is its share of all top-level evidence, times a confidence that
grows with the amount of evidence.

The topics returned are the top levels holding a fair share of the evidence, each followed
(in score order) by its children that do; the first topic is the best top level.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import spacy
from spacy.tokens import Doc, Span, Token

from newsgraph.extract.base import Found
from newsgraph.extract.dates import MONTHS
from newsgraph.models import Topic

__all__ = [
    "MediaTopic",
    "classify",
    "entity_evidence",
    "extract",
    "parsed_evidence",
    "score_words",
    "topic_evidence",
    "vocabulary",
]

#: How much a word counts in each zone of the article (body words count 1).
ZONE_WEIGHTS: Mapping[str, float] = {"title": 2.0, "subheading": 1.5, "caption": 0.5, "trailer": 0.0}
#: Prior weights of top levels. Those whose cue words ("police", "court", "jobs", "pay", "school",
#: "children", "hospital", "church", "award") run through political, business and world reporting
#: as side themes count for less than their evidence: a story leads with them only when they
#: clearly dominate it.
TOP_LEVEL_WEIGHTS: Mapping[str, float] = {
    "medtop:02000000": 0.7,  # crime, law and justice
    "medtop:05000000": 0.7,  # education
    "medtop:06000000": 0.7,  # environment
    "medtop:07000000": 0.7,  # health
    "medtop:08000000": 0.7,  # human interest
    "medtop:09000000": 0.7,  # labour
    "medtop:10000000": 0.7,  # lifestyle and leisure
    "medtop:12000000": 0.7,  # religion
    "medtop:14000000": 0.7,  # society
}
#: Named-entity types that cue a topic on their own, with their weight: sums of money are
#: business news (the lexicon's "bn" and "million" see only some of them); countries, cities
#: and states named are a weak sign of public affairs.
ENTITY_CUES: Mapping[str, tuple[str, float]] = {
    "MONEY": ("medtop:04000000", 1.0),
    "GPE": ("medtop:11000000", 0.5),
}
#: How much more the words of the lead (the first sentence of the body) count: it says what
#: the story is about, where later sentences add background and reactions.
LEAD_WEIGHT = 2.0
#: Most words of a first line that is a headline.
HEADLINE_WORDS = 20
_BLANK_LINE = re.compile(r"\n[ \t\r]*\n")
#: Results written as "3-1" or "24-17" are sport evidence, with this weight.
SCORE_LINE_CUE: tuple[str, float] = ("medtop:15000000", 1.5)
_DASHES = frozenset({"-", "\u2013"})
#: Evidence at which a topic's score is half its share (scores grow with the evidence).
HALF_CONFIDENCE = 3.0
#: Least share of the evidence for a top-level topic to be returned (the best one always is).
MIN_TOP_SHARE = 0.12
#: Least share of the evidence for a lower-level topic to be returned.
MIN_CHILD_SHARE = 0.05
#: Least total evidence for an article to get any topic at all.
MIN_EVIDENCE = 1.5
#: Most topics returned.
MAX_TOPICS = 12

#: The pseudo-code of phrases that cue nothing but keep their words from cueing ("according to").
NO_TOPIC = "none"

#: An inner hyphen that spaCy's English tokenizer splits off: before a letter, or between digits.
_HYPHEN_SPLIT = re.compile(r"(?<=[^\W_])-(?=[^\W\d_])|(?<=\d)-(?=\d)")

_LOWER = "l"
_CASED = "C"

WordKey = tuple[str, str]
Term = tuple[WordKey, ...]


@dataclass(frozen=True)
class MediaTopic:
    """One IPTC Media Topic: its qcode, English label, parent's qcode and top-level label."""

    code: str
    label: str
    parent: str | None
    top_level: str
    level: int


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, MediaTopic]:
    """The IPTC Media Topics newsgraph knows, by qcode (``medtop:11000000``), read once."""
    rows: list[tuple[str, str | None, str]] = []
    text = resources.files("newsgraph").joinpath("data", "iptc_mediatopics.tsv").read_text(encoding="utf-8")
    for line in text.splitlines()[1:]:
        if not line.strip():
            continue
        code, parent_code, label = line.split("\t")
        rows.append((code, parent_code or None, label))
    labels = {code: label for code, _, label in rows}
    parents = {code: parent for code, parent, _ in rows}
    topics: dict[str, MediaTopic] = {}
    for code, parent, label in rows:
        top, level = code, 1
        while (up := parents[top]) is not None:
            top = up
            level += 1
        topics[code] = MediaTopic(code=code, label=label, parent=parent, top_level=labels[top], level=level)
    return topics


def _word_key(word: str) -> WordKey:
    return (_CASED, word) if any(c.isupper() for c in word) else (_LOWER, word)


class _Node:
    """A node of the cue-term trie: the words after it, and the term that ends here (if any)."""

    __slots__ = ("cased", "cues", "lower", "term")

    def __init__(self) -> None:
        self.lower: dict[str, _Node] = {}  # by lemma or lower-cased word
        self.cased: dict[str, _Node] = {}  # by the word as written
        self.term: Term | None = None
        self.cues: tuple[tuple[str, float], ...] = ()


@lru_cache(maxsize=1)
def _lexicon() -> _Node:
    """The cue terms as a trie over words; each term holds its (topic code, weight) pairs."""
    known = vocabulary()
    # terms are split into words as the parser splits text ("hat-trick", "firm's", "3G"), and
    # punctuation, which matches nothing, is left out of them as it is left out of the text
    tokenizer = spacy.blank("en").tokenizer
    cues: dict[Term, dict[str, float]] = defaultdict(dict)
    text = resources.files("newsgraph").joinpath("data", "iptc_topic_terms.txt").read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        code, weight_text, terms = (part.strip() for part in line.split(" | ", 2))
        if code != NO_TOPIC and code not in known:
            raise ValueError(f"iptc_topic_terms.txt line {number}: unknown topic {code!r}")
        weight = float(weight_text)
        for raw in terms.split(","):
            words = [t.text for t in tokenizer(raw.strip()) if not t.is_punct and not t.is_space]
            if not words:
                continue
            term = tuple(_word_key(w) for w in words)
            if code == NO_TOPIC:  # a phrase that only keeps its words from cueing ("according to")
                cues.setdefault(term, {})
                continue
            # a term listed twice for one topic keeps its larger weight
            cues[term][code] = max(weight, cues[term].get(code, 0.0))
    root = _Node()
    for term, codes in cues.items():
        node = root
        for kind, word in term:
            children = node.cased if kind == _CASED else node.lower
            node = children.setdefault(word, _Node())
        node.term = term
        node.cues = tuple(codes.items())
    return root


def _hyphenated(words: Sequence[tuple[str, str, float]]) -> list[tuple[str, str, float]]:
    """``(lemma, text, weight)`` words with inner hyphens split as the parser splits them.

    A hyphen before a letter ("hat-trick") or between digits ("3-1") is a token of its own
    for spaCy, and the words of the lexicon are split so; words given whole are split alike.
    """
    out: list[tuple[str, str, float]] = []
    for lemma, text, weight in words:
        pieces = _HYPHEN_SPLIT.split(text) if "-" in text else ()
        if len(pieces) < 2:
            out.append((lemma, text, weight))
            continue
        lemmas = _HYPHEN_SPLIT.split(lemma)
        if len(lemmas) != len(pieces):  # a name's words keep their empty lemma
            lemmas = [piece.lower() if lemma else "" for piece in pieces]
        out += [(piece_lemma, piece, weight) for piece_lemma, piece in zip(lemmas, pieces, strict=True)]
    return out


def _forms(lemma: str, text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """How a word may match a term: its lower-case forms, and its forms as written.

    A word given with an empty lemma matches terms with a capital letter only (a surname such
    as "Gardener" or "Cole", a month such as "March", is no cue word).
    """
    lower = lemma.lower()
    text_lower = text.lower()
    if not lower:
        lowers: tuple[str, ...] = ()
    else:
        lowers = (lower,) if lower == text_lower else (lower, text_lower)
    if len(text) > 2 and text[-1] == "s" and not text.islower():
        if text.endswith("ies"):
            return lowers, (text, text[:-1], text[:-3] + "y")
        return lowers, (text, text[:-1])
    return lowers, (text,)


def _step(node: _Node, forms: tuple[tuple[str, ...], tuple[str, ...]]) -> list[_Node]:
    """The nodes a word leads to from ``node``: names as written first ("Labour" before "labour")."""
    lowers, written = forms
    found = [node.cased[form] for form in written if form in node.cased] if node.cased else []
    found += [node.lower[form] for form in lowers if form in node.lower]
    return found


def _longest_match(
    forms: Sequence[tuple[tuple[str, ...], tuple[str, ...]]], start: int, root: _Node
) -> _Node | None:
    """The trie node of the longest cue term that the words from ``start`` spell, if any."""
    best: _Node | None = None
    frontier = [root]
    for position in range(start, len(forms)):
        frontier = [child for node in frontier for child in _step(node, forms[position])]
        if not frontier:
            break
        ended = next((node for node in frontier if node.term is not None), None)
        if ended is not None:
            best = ended
    return best


def topic_evidence(words: Sequence[tuple[str, str, float]]) -> dict[str, float]:
    """Evidence for each topic from an article's words: ``(lemma, text, weight)`` triples.

    Terms match longest first and do not overlap; a term seen with total weight ``n`` adds
    ``w * (1 + ln n)`` (or ``w * n`` below 1) to each topic it cues with weight ``w``. The
    evidence is the topic's own, not yet added up to its parents.
    """
    root = _lexicon()
    words = _hyphenated(words)
    forms = [_forms(lemma, text) for lemma, text, _ in words]
    counts: dict[Term, float] = defaultdict(float)
    ends: dict[Term, _Node] = {}
    i = 0
    while i < len(words):
        node = _longest_match(forms, i, root)
        if node is None or node.term is None:
            i += 1
            continue
        counts[node.term] += max(word[2] for word in words[i : i + len(node.term)])
        ends[node.term] = node
        i += len(node.term)
    evidence: dict[str, float] = defaultdict(float)
    for term, count in counts.items():
        if count <= 0:
            continue
        strength = count if count < 1 else 1.0 + math.log(count)
        for code, weight in ends[term].cues:
            evidence[code] += weight * strength
    return dict(evidence)


def classify(evidence: Mapping[str, float]) -> list[Topic]:
    """Rank topics from their own evidence (see :func:`topic_evidence`).

    Evidence adds up to the parent topics (weighted by :data:`TOP_LEVEL_WEIGHTS`); a topic's
    share is its part of all top-level evidence, and its score that share times a confidence
    that grows with the evidence (``E / (E + HALF_CONFIDENCE)``). Returns the best top level
    first, then the others in score order.
    """
    topics = vocabulary()
    total_by_code: dict[str, float] = defaultdict(float)
    for code, value in evidence.items():
        weighted = value * TOP_LEVEL_WEIGHTS.get(_top_code(code), 1.0)
        node: str | None = code
        while node is not None:
            total_by_code[node] += weighted
            node = topics[node].parent
    tops = {code: value for code, value in total_by_code.items() if topics[code].level == 1}
    grand = sum(tops.values())
    if grand < MIN_EVIDENCE:
        return []
    best = max(tops, key=lambda code: (tops[code], code))
    chosen: list[tuple[float, int, str]] = []
    for code, value in total_by_code.items():
        share = value / grand
        topic = topics[code]
        if topic.level == 1:
            if code == best or share >= MIN_TOP_SHARE:
                chosen.append((share, -topic.level, code))
            continue
        top_code = _top_code(code)
        if (top_code == best or tops[top_code] / grand >= MIN_TOP_SHARE) and share >= MIN_CHILD_SHARE:
            chosen.append((share, -topic.level, code))
    chosen.sort(key=lambda item: (-item[0], -item[1], item[2]))
    # the best top level leads, whatever a child of another scored
    chosen.sort(key=lambda item: item[2] != best)
    confidence = grand / (grand + HALF_CONFIDENCE)
    return [
        Topic(
            code=code,
            label=topics[code].label,
            top_level=topics[code].top_level,
            score=round(share * confidence, 3),
        )
        for share, _, code in chosen[:MAX_TOPICS]
    ]


def _top_code(code: str) -> str:
    topics = vocabulary()
    while (parent := topics[code].parent) is not None:
        code = parent
    return code


def score_words(words: Iterable[tuple[str, str, float]]) -> list[Topic]:
    """Topics of an article given as ``(lemma, text, weight)`` words (no spaCy needed)."""
    return classify(topic_evidence(list(words)))


def _zone_weights(found: Found) -> tuple[list[int], list[float]]:
    """Zone boundaries in the parsed text and the weight of words from each boundary on."""
    to_original = found.repaired.to_original
    size = len(found.repaired.text) + 1

    def parsed(char: int) -> int:  # the first parsed index at or after an input index
        return bisect_left(range(size), char, key=to_original)

    bounds: list[int] = [0]
    weights: list[float] = [1.0]
    for zone in sorted(found.article.zones, key=lambda z: z.start):
        bounds += [parsed(zone.start), parsed(zone.end)]
        weights += [ZONE_WEIGHTS.get(zone.kind, 1.0), 1.0]
    return bounds, weights


def _month_in_date(token: Token) -> bool:
    """ "March" in "Sunday, March 1, 2020" is a month, not a protest march (nor "May" a verb)."""
    return token.ent_type_ in {"DATE", "TIME"} and token.lower_.rstrip(".") in MONTHS


def entity_evidence(entities: Iterable[tuple[str, float]]) -> dict[str, float]:
    """Evidence from named entities given as ``(label, weight)`` pairs (see :data:`ENTITY_CUES`).

    An entity type seen with total weight ``n`` adds ``w * (1 + ln n)`` like a cue term.
    """
    counts: dict[str, float] = defaultdict(float)
    for label, weight in entities:
        if label in ENTITY_CUES:
            counts[label] += weight
    evidence: dict[str, float] = defaultdict(float)
    for label, count in counts.items():
        strength = count if count < 1 else 1.0 + math.log(count)
        code, weight = ENTITY_CUES[label]
        evidence[code] += weight * strength
    return dict(evidence)


#: Entity types whose words match only cue terms as written ("Labour", "NASA"): a person's name
#: ("Jason Gardener", "Carlton Cole"), a place's ("Ivory Coast", "Green Bay") or a date ("March",
#: "Christmas Day") is no cue word.
NAMES_ONLY = frozenset({"PERSON", "GPE", "LOC", "DATE", "TIME"})


def _lemma(token: Token) -> str:
    """The lemma a token matches cue terms by; empty when it matches names only."""
    kind = token.ent_type_
    if kind in NAMES_ONLY and (kind not in {"DATE", "TIME"} or token.text[:1].isupper()):
        return ""
    # a verb matches by its form: "hits", "stars", "storms" and "strikes" as verbs are no
    # pop hits, film stars, weather or walkouts (the lexicon lists the verb forms it means)
    return token.lower_ if token.pos_ == "VERB" else token.lemma_


def extract(doc: Doc, found: Found) -> list[Topic]:
    """Classify the article into IPTC Media Topics; fill ``found.topics`` and ``topic_evidence``."""
    bounds, weights = _zone_weights(found)
    lead_start, lead_end = lead_sentence(doc)

    def weight(char: int) -> float:
        zone = weights[bisect_right(bounds, char) - 1]
        return zone * LEAD_WEIGHT if lead_start <= char < lead_end else zone

    evidence = parsed_evidence(
        doc, doc.ents, lambda token: weight(token.idx), lambda ent: weight(ent.start_char)
    )
    found.topic_evidence = evidence
    found.topics = classify(evidence)
    return found.topics


def lead_sentence(doc: Doc) -> tuple[int, int]:
    """Character span of the article's lead: its first sentence after a headline line.

    A first line of at most :data:`HEADLINE_WORDS` words set off by a blank line, or ending
    without punctuation before a line that starts with a capital, is a headline (whether or not
    the reader took it for a title), and the lead is the sentence after it; otherwise (a first
    line of hard-wrapped prose, say) the lead is the first sentence. ``(0, 0)`` for an empty text.
    """
    text = doc.text
    start = len(text) - len(text.lstrip())
    line_end = text.find("\n", start)
    if line_end != -1 and len(text[start:line_end].split()) <= HEADLINE_WORDS:
        rest = text[line_end:]
        after = rest.lstrip()
        own_line = _BLANK_LINE.match(rest) is not None or (
            text[start:line_end].rstrip()[-1:].isalnum() and after[:1].isupper()
        )
        if after and own_line:
            start = line_end
    for sentence in doc.sents:
        if sentence.end_char > start and sentence.text.strip():
            first = next((t for t in sentence if not t.is_space and t.idx >= start), None)
            if first is not None:
                return first.idx, sentence.end_char
    return 0, 0


def _score_lines(tokens: Sequence[Token]) -> list[Token]:
    """The first numbers of results written "3-1", "24-17" or "2-2" (the larger first).

    A range ("10-12 June", "aged 30-39") has the smaller number first; a share ("50-60%") is
    followed by a per cent sign.
    """
    found: list[Token] = []
    following: list[Token | None] = [*tokens[3:], None]
    for first, dash, second, nxt in zip(tokens, tokens[1:], tokens[2:], following, strict=False):
        if dash.text not in _DASHES or not (first.text.isdigit() and second.text.isdigit()):
            continue
        if first.idx + len(first.text) != dash.idx or dash.idx + len(dash.text) != second.idx:
            continue
        if len(first.text) > 3 or len(second.text) > 3 or int(first.text) < int(second.text):
            continue
        if nxt is not None and nxt.text in {"%", "per", "percent"}:
            continue
        found.append(first)
    return found


def parsed_evidence(
    tokens: Iterable[Token],
    ents: Iterable[Span],
    token_weight: Callable[[Token], float],
    ent_weight: Callable[[Span], float],
) -> dict[str, float]:
    """Topic evidence of a parsed text: its words and its named entities, each with its zone weight."""
    tokens = list(tokens)
    kept = [t for t in tokens if not t.is_space and not t.is_punct and not _month_in_date(t)]
    evidence = topic_evidence([(_lemma(t), t.text, token_weight(t)) for t in kept])
    lines = sum(token_weight(t) for t in _score_lines(tokens))
    if lines > 0:
        code, weight = SCORE_LINE_CUE
        strength = lines if lines < 1 else 1.0 + math.log(lines)
        evidence[code] = evidence.get(code, 0.0) + weight * strength
    for code, value in entity_evidence((ent.label_, ent_weight(ent)) for ent in ents).items():
        evidence[code] = evidence.get(code, 0.0) + value
    return evidence
