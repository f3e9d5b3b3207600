"""Dates: date expressions of the text, resolved against the publication date.

What is found (one :class:`~newsgraph.extract.base.DateMention` each, its offsets in the
parsed text like spaCy's ``token.idx``, in text order):

- explicit dates: "December 23, 2021", "23 December 2021", "Wednesday, April 4, 2018",
  "2021-12-23", "13/01/2022" (day and month only when unambiguous), "Dec. 23", "23 Dec";
- months and years: "December 2021", "in March", "last March", "in 2017";
- weekdays: "on Monday", "the Monday talks", "last Friday", "next Tuesday";
- relative expressions: "today", "tonight", "this morning", "yesterday", "last night",
  "tomorrow", "this/last/next week|month|year", "earlier this month", "two days ago",
  "a day after", "the next day", "the day before", "that night", "the same day".

How each is resolved (the anchor is the publication date; with none, only dates that carry
their year resolve and the rest keep their text with a null date):

- a weekday is the last such day up to the anchor (the anchor's own weekday is the anchor
  itself) when its clause is in the past or has no tense, and the next such day from the
  anchor when the clause is about the future. The tense comes from the verb that governs the
  expression: a past form (VBD, "has held") is past; "will", "would", "shall", "is due to",
  "is to", "plans to", "is expected to", "is set to", "is scheduled to", an infinitive, or a
  present progressive ("is meeting on Thursday") is future;
- a day and month without a year take the year that puts them nearest the anchor, or the last
  or next one by tense; a month alone likewise ("in March": the last March, or the next);
- "this week" is the anchor's ISO week (its Monday, granularity week); "last month" the month
  before the anchor (granularity month), and so on;
- "a day after", "the next day", "the day before" count from the last day-precise date named
  before them (else the anchor); "that night", "the same day" are that day.

Dates are ``YYYY-MM-DD``; a month-precise one is ``YYYY-MM`` and a year ``YYYY``. Limits: no
times of day, no ranges ("from Monday to Wednesday" gives two dates), no holidays by name, and
the tense heuristic does not see reported speech from earlier days.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from spacy.tokens import Doc, Token

from newsgraph.extract.base import DateMention, Found

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
WEEKDAYS = {
    name: number
    for number, name in enumerate("monday tuesday wednesday thursday friday saturday sunday".split())
}
NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "several": 3, "few": 3, "couple": 2,
}  # fmt: skip

Tense = str  # "past" or "future"

# ------------------------------------------------------------------------------ patterns

_MONTH = (
    r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_WEEKDAY = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)"
_NUMBER = r"(?P<n>a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|few|\d{1,3})"
_UNIT = r"(?P<unit>day|week|month|year)s?"

#: (kind, pattern), tried in this order; a match overlapping an earlier one is dropped. A group
#: named "expr" is the expression when the pattern also matches a cue word before it.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, flags))
    for kind, pattern, flags in (
        ("iso", r"\b" + _YEAR + r"-(?P<mon>[01]\d)-(?P<day>[0-3]\d)\b", 0),
        (
            "full",
            r"\b(?:" + _WEEKDAY + r",?\s+)?" + _MONTH + r"\s+" + _DAY + r"(?:,\s*|\s+)" + _YEAR + r"\b",
            0,
        ),
        (
            "full",
            r"\b(?:"
            + _WEEKDAY
            + r",?\s+)?(?:the\s+)?"
            + _DAY
            + r"\s+(?:of\s+)?"
            + _MONTH
            + r",?\s+"
            + _YEAR
            + r"\b",
            0,
        ),
        ("numeric", r"\b(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)/" + _YEAR + r"\b", 0),
        ("month_day", r"\b(?:" + _WEEKDAY + r",?\s+)?" + _MONTH + r"\s+" + _DAY + r"\b(?!\s*%|\d|:\d)", 0),
        (
            "month_day",
            r"\b(?:" + _WEEKDAY + r",?\s+)?(?:the\s+)?" + _DAY + r"\s+(?:of\s+)?" + _MONTH + r"\b",
            0,
        ),
        ("month_year", r"\b" + _MONTH + r",?\s+(?:of\s+)?" + _YEAR + r"\b", 0),
        ("ago", r"\b" + _NUMBER + r"\s+" + _UNIT + r"\s+(?P<dir>ago|earlier|later|before|after)\b", re.I),
        ("relative_day", r"\b(?P<word>today|tonight|yesterday|tomorrow|last\s+night)\b", re.I),
        ("relative_day", r"\bthis\s+(?P<word>morning|afternoon|evening)\b", re.I),
        (
            "next_day",
            r"\bthe\s+(?P<word>next|following|previous|preceding)\s+(?P<unit>day|week|month|year)\b",
            re.I,
        ),
        ("next_day", r"\bthe\s+day\s+(?P<word>before|after)\b", re.I),
        ("same_day", r"\b(?:that|the\s+same)\s+(?:day|night|morning|afternoon|evening)\b", re.I),
        (
            "period",
            r"(?<!\bthe\s)\b(?:(?P<edge>earlier|later)\s+)?(?P<rel>this|last|next|past|coming|previous)\s+"
            r"(?P<unit>week|weekend|month|year)\b",
            re.I,
        ),
        (
            "weekday",
            r"\b(?:(?P<rel>[Ll]ast|[Nn]ext|[Tt]his|[Cc]oming|[Pp]ast)\s+)?" + _WEEKDAY + r"(?!s)\b",
            0,
        ),
        (
            "month",
            r"\b(?:(?P<rel>[Ll]ast|[Nn]ext|[Tt]his)\s+)?(?P<month>January|February|March|April|May|June|July"
            r"|August|September|October|November|December)\b(?!\s*\d)",
            0,
        ),
        (
            "year",
            r"(?:\b(?:in|since|until|by|of|from|during|early|late|In|Since|By|From|During)\s+|\bmid-)"
            r"(?P<expr>" + _YEAR + r")\b(?![-/]\d)",
            0,
        ),
    )
)


#: Words before a month named alone that make it a month ("in March", "since May").
_MONTH_CUE = re.compile(
    r"\b(?:in|since|until|till|by|of|early|late|during|from|through|before|after)\s+$|mid-$", re.I
)


@dataclass(frozen=True)
class DateExpression:
    """A date expression found in a text: where, its kind, and the pattern's named parts."""

    start: int
    end: int
    text: str
    kind: str
    parts: dict[str, str]


def find_expressions(text: str) -> list[DateExpression]:
    """Date expressions of a text, left to right and never overlapping (no model needed).

    >>> [e.text for e in find_expressions("Talks on Monday, not on December 23, 2021.")]
    ['Monday', 'December 23, 2021']
    """
    found: list[DateExpression] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span("expr") if "expr" in pattern.groupindex else match.span()
            if any(start < e.end and e.start < end for e in found):
                continue
            parts = {k: v for k, v in match.groupdict().items() if v is not None}
            if kind == "month" and "rel" not in parts and not _MONTH_CUE.search(text, 0, start):
                continue  # "May" alone is a verb as often as a month: "in May", "last May" only
            found.append(DateExpression(start, end, text[start:end], kind, parts))
    found.sort(key=lambda e: e.start)
    return found


# ------------------------------------------------------------------------------ resolution


@dataclass(frozen=True)
class Resolved:
    """A resolved date: ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` by granularity, or None."""

    date: str | None
    granularity: str = "day"


def parse_date(value: str | None) -> date | None:
    """The calendar day of an ISO date or datetime ("2022-01-11", "2022-01-11T10:00Z"), else None."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def weekday_date(weekday: int, anchor: date, tense: Tense | None = None, rel: str | None = None) -> date:
    """The day of ``weekday`` (0 = Monday) an article of day ``anchor`` means.

    Past or no tense: the last such day up to the anchor (the anchor's own weekday is the
    anchor). Future: the next one from the anchor. "last Monday" is always before the anchor,
    "next Monday" always after it; "coming Monday" is the next one from it.

    >>> str(weekday_date(0, date(2022, 1, 11)))  # Monday, in an article of Tuesday 11 January
    '2022-01-10'
    >>> str(weekday_date(2, date(2022, 1, 11), "future"))
    '2022-01-12'
    """
    rel = (rel or "").lower()
    back = (anchor.weekday() - weekday) % 7
    ahead = (weekday - anchor.weekday()) % 7
    if rel in {"last", "past"}:
        return anchor - timedelta(days=back or 7)
    if rel == "next":
        return anchor + timedelta(days=ahead or 7)
    if rel == "coming" or tense == "future":
        return anchor + timedelta(days=ahead)
    if rel == "this" and tense is None:  # the one of the anchor's week
        return anchor + timedelta(days=weekday - anchor.weekday())
    return anchor - timedelta(days=back)


def month_day_date(month: int, day: int, anchor: date, tense: Tense | None = None) -> date | None:
    """The date of a day and month without a year: the year that puts it nearest the anchor,
    unless the tense points the other way and that side's date is within 300 days of it
    ("will open on July 20", said in January, is next July; "November 20" said on 4 November
    is this November whatever the tense)."""
    options = []
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            options.append(date(year, month, day))
        except ValueError:
            continue
    if not options:
        return None
    nearest = min(options, key=lambda d: abs((d - anchor).days))
    if tense == "past":
        side = [d for d in options if d <= anchor]
    elif tense == "future":
        side = [d for d in options if d >= anchor]
    else:
        side = []
    if side and nearest not in side:
        best = min(side, key=lambda d: abs((d - anchor).days))
        if abs((best - anchor).days) <= 300:
            return best
    return nearest


def month_date(month: int, anchor: date, tense: Tense | None = None, rel: str | None = None) -> str:
    """``YYYY-MM`` of a month named alone: "in March" is the last March up to the anchor's month
    (or the next one, in the future); "last March" is before the anchor's month, "next" after."""
    rel = (rel or "").lower()
    year = anchor.year
    if rel == "last" or (rel != "next" and tense != "future"):
        if month > anchor.month or (rel == "last" and month == anchor.month):
            year -= 1
    elif month < anchor.month or (rel == "next" and month == anchor.month):
        year += 1
    return f"{year:04d}-{month:02d}"


def shift_month(anchor: date, months: int) -> str:
    """``YYYY-MM`` of the month ``months`` after the anchor's (negative: before)."""
    index = anchor.year * 12 + anchor.month - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def resolve(
    expr: DateExpression,
    anchor: date | None,
    tense: Tense | None = None,
    previous_day: date | None = None,
    previous: str | None = None,
) -> Resolved:
    """Resolve an expression against the publication day ``anchor`` (None: unknown).

    ``tense`` is that of the clause holding the expression; ``previous_day`` the last
    day-precise date named before it, which "a day after" counts from; ``previous`` the last
    date of any precision ("in 2011 ... three years later").
    """
    parts = expr.parts
    kind = expr.kind
    try:
        if kind == "iso":
            return Resolved(_iso(int(parts["year"]), int(parts["mon"]), int(parts["day"])))
        if kind == "full":
            return Resolved(_iso(int(parts["year"]), _month(parts["month"]), int(parts["day"])))
        if kind == "numeric":
            first, second = int(parts["a"]), int(parts["b"])
            if (first > 12) == (second > 12) and first != second:
                return Resolved(None)  # 03/04/2022: April or March?
            day, month = (first, second) if first > 12 or first == second else (second, first)
            return Resolved(_iso(int(parts["year"]), month, day))
        if kind == "month_year":
            return Resolved(f"{int(parts['year']):04d}-{_month(parts['month']):02d}", "month")
        if kind == "year":
            return Resolved(f"{int(parts['year']):04d}", "year")
    except ValueError:
        return Resolved(None)
    granularity = _GRANULARITY.get(kind, "day")
    if kind == "period":
        granularity = "week" if parts["unit"].lower() in {"week", "weekend"} else parts["unit"].lower()
    if anchor is None:
        return Resolved(None, granularity)
    if kind == "month_day":
        found = month_day_date(_month(parts["month"]), int(parts["day"]), anchor, tense)
        return Resolved(found.isoformat() if found else None)
    if kind == "month":
        return Resolved(month_date(_month(parts["month"]), anchor, tense, parts.get("rel")), "month")
    if kind == "weekday":
        return Resolved(
            weekday_date(WEEKDAYS[parts["weekday"].lower()], anchor, tense, parts.get("rel")).isoformat()
        )
    if kind == "relative_day":
        word = " ".join(parts["word"].lower().split())
        offset = {"yesterday": -1, "last night": -1, "tomorrow": 1}.get(word, 0)
        return Resolved((anchor + timedelta(days=offset)).isoformat())
    if kind == "next_day":
        step = 1 if parts["word"].lower() in {"next", "following", "after"} else -1
        return _shift(parts.get("unit", "day").lower(), step, anchor, previous_day, previous)
    if kind == "same_day":
        return Resolved((previous_day or anchor).isoformat())
    if kind == "ago":
        count = NUMBERS.get(parts["n"].lower()) or int(parts["n"])
        direction = parts["dir"].lower()
        if direction == "ago":
            return _shift(parts["unit"].lower(), -count, anchor, anchor, anchor.isoformat())
        step = count if direction in {"later", "after"} else -count
        return _shift(parts["unit"].lower(), step, anchor, previous_day, previous)
    if kind == "period":
        return _resolve_period(parts, anchor)
    return Resolved(None)


_GRANULARITY = {"month_year": "month", "month": "month", "year": "year"}


def _shift(unit: str, step: int, anchor: date, previous_day: date | None, previous: str | None) -> Resolved:
    """``step`` units after the last date named (of enough precision for the unit), else the anchor."""
    if unit == "day":
        base = previous_day or anchor
        return Resolved((base + timedelta(days=step)).isoformat())
    if unit == "week":
        day = (previous_day or anchor) + timedelta(weeks=step)
        return Resolved((day - timedelta(days=day.weekday())).isoformat(), "week")
    if unit == "month":
        base = date.fromisoformat(previous[:7] + "-01") if previous and len(previous) >= 7 else anchor
        return Resolved(shift_month(base, step), "month")
    year = int(previous[:4]) if previous else anchor.year
    return Resolved(f"{year + step:04d}", "year")


def _resolve_period(parts: dict[str, str], anchor: date) -> Resolved:
    rel = parts["rel"].lower()
    unit = parts["unit"].lower()
    step = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}.get(rel, 0)
    if unit in {"week", "weekend"}:  # the Monday of the ISO week (a weekend's too)
        monday = anchor - timedelta(days=anchor.weekday()) + timedelta(weeks=step)
        return Resolved(monday.isoformat(), "week")
    if unit == "month":
        return Resolved(shift_month(anchor, step), "month")
    return Resolved(f"{anchor.year + step:04d}", "year")


def _month(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def _iso(year: int, month: int, day: int) -> str:
    return date(year, month, day).isoformat()


# ------------------------------------------------------------------------------ tense

#: Words whose infinitive complement is about the future ("is due to hold", "plans to meet").
FUTURE_GOVERNORS = frozenset(
    """due set scheduled expected slated poised going plan plans planned planning intend intends
    intended aim aims aimed prepare prepares prepared hope hopes agree agreed agrees want wants
    decide decided promise promised vow vowed threaten threatened forecast forecasted predicted
    projected likely unlikely ready""".split()
)
_ARRANGED = frozenset({"schedule", "set", "plan", "expect", "slate", "due", "forecast", "predict"})
_FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo", "would", "'d"})
_PAST_AUX = frozenset({"has", "have", "had", "'ve", "'s", "was", "were"})
_PRESENT_BE = frozenset({"is", "are", "am", "'re", "'m"})
_VERB_POS = frozenset({"VERB", "AUX"})


def verb_tense(verb: Token, depth: int = 0) -> Tense | None:
    """The tense of a verb's clause: "past", "future", or None (present, unknown).

    Reads the verb's tag and auxiliaries; an infinitive takes the future when a word such as
    "due", "set" or "plans" governs it ("is due to hold"), else its governing verb's tense.
    """
    auxes = [c for c in verb.children if c.dep_ in {"aux", "auxpass"}]
    words = {a.lower_ for a in auxes}
    if words & _FUTURE_AUX or any(a.tag_ == "MD" and a.lower_ in _FUTURE_AUX for a in auxes):
        return "future"
    if "to" in words or (verb.tag_ == "VB" and verb.dep_ == "xcomp"):
        head = verb.head
        if head.lower_ in FUTURE_GOVERNORS or head.lemma_.lower() in FUTURE_GOVERNORS:
            return "future"
        if head.lemma_ == "be" and head.i < verb.i:  # "is to hold"; "was to open" is past
            return "past" if head.tag_ == "VBD" else "future"
        if head.i != verb.i and head.pos_ in _VERB_POS and depth < 4:
            return verb_tense(head, depth + 1)
        if head.i != verb.i and head.pos_ == "ADJ":
            return _adjective_tense(head)
        return "future"
    if verb.tag_ == "VBD":
        return "past"
    if verb.tag_ == "VBN":
        if verb.lemma_ in _ARRANGED and not words & {"has", "have", "had", "'ve", "was", "were"}:
            return "future"  # "the debate scheduled for Thursday"
        if words & {"has", "have", "had", "'ve", "was", "were"}:
            return "past"
        if words & _PRESENT_BE:
            return None
        return "past" if verb.dep_ in {"ROOT", "conj"} else None
    if verb.tag_ == "VBG":
        if words & {"was", "were"}:
            return "past"
        if words & _PRESENT_BE:
            return "future"  # "is meeting on Thursday": an arrangement
        return None
    if verb.tag_ in {"VBZ", "VBP"} and verb.lemma_ == "be":
        for child in verb.children:
            if child.dep_ in {"acomp", "attr"} and child.lower_ in FUTURE_GOVERNORS:
                return "future"
    return None


def _adjective_tense(adjective: Token) -> Tense | None:
    """Tense of "due" in "is due to hold": future unless its copula is past ("was due to")."""
    if adjective.lower_ in FUTURE_GOVERNORS:
        copula = adjective.head
        return "past" if copula.tag_ == "VBD" and adjective.lower_ not in {"due", "set"} else "future"
    return None


def tense_at(doc: Doc, start: int, end: int) -> Tense | None:
    """The tense of the clause holding the characters ``start:end`` of the parsed text.

    Climbs from the expression to the nearest verb (through prepositions and nouns: "the
    Monday talks" takes the tense of the verb the talks depend on) and asks :func:`verb_tense`;
    a verb with no tense of its own (a participle, "Speaking at ... on Tuesday") defers to the
    verb it depends on.
    """
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    token = span.root
    for _ in range(12):
        if token.pos_ in _VERB_POS and token.dep_ not in {"aux", "auxpass"}:
            tense = verb_tense(token)
            if tense is not None:
                return tense
            if token.tag_ in {"VBZ", "VBP"} and token.dep_ == "ROOT":
                return None
        if token.head.i == token.i:
            return None
        token = token.head
    return None


# ------------------------------------------------------------------------------ the stage


def extract(doc: Doc, found: Found) -> list[DateMention]:
    """Find and resolve the article's dates; fill ``found.dates`` (in text order)."""
    text = found.repaired.text
    anchor = parse_date(found.article.metadata.published)
    mentions: list[DateMention] = []
    previous_day: date | None = None
    previous: str | None = None
    for expr in _expressions(doc, text):
        tense = tense_at(doc, expr.start, expr.end) if expr.kind in _TENSED else None
        resolved = resolve(expr, anchor, tense, previous_day, previous)
        mentions.append(DateMention(expr.start, expr.end, expr.text, resolved.date, resolved.granularity))
        if resolved.date is not None and resolved.granularity != "week":
            previous = resolved.date
            if resolved.granularity == "day":
                previous_day = date.fromisoformat(resolved.date)
    found.dates = mentions
    return mentions


_TENSED = frozenset({"weekday", "month_day", "month"})


def _expressions(doc: Doc, text: str) -> Iterator[DateExpression]:
    """The expressions of the text, and years the parser marked as dates with no cue word."""
    expressions = find_expressions(text)
    for ent in doc.ents:
        year = ent.label_ == "DATE" and re.fullmatch(r"(?:1[89]|20)\d\d", ent.text)
        if year and not any(e.start < ent.end_char and ent.start_char < e.end for e in expressions):
            expressions.append(
                DateExpression(ent.start_char, ent.end_char, ent.text, "year", {"year": ent.text})
            )
    expressions.sort(key=lambda e: e.start)
    yield from expressions


__all__ = [
    "DateExpression",
    "Resolved",
    "extract",
    "find_expressions",
    "month_date",
    "month_day_date",
    "parse_date",
    "resolve",
    "tense_at",
    "verb_tense",
    "weekday_date",
]
