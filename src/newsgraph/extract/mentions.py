"""Name mentions of an article: the parser's entities, corrected by the layout and by evidence
gathered across the whole article.

The small English model tags each sentence on its own and is weak on wire copy: headlines in
capitals, datelines, results tables, organisations it has not seen. These rules read what the
text itself says:

- layout: a dateline (``BERLIN 1996-08-30``, ``WASHINGTON (Reuters) -``) names a place, the line
  of a name just above it the reporter; in a results row (``Pohang 3 Ulsan 2``), a standings
  row (``TEXAS 76 58 .567``) or a fixture (``Kent v Surrey``, ``BOSTON AT TEXAS``) the names are
  teams (national sides stay countries); ``X beat Y`` names two teams unless they are people;
- organisation heads: a name that ends in ``Corp``, ``Party``, ``Ministry``, ``United`` ... (or
  starts a ``Bank of ...``) is an organisation;
- hygiene: a person has a proper-noun word and no number ("More than 95%", "COVID-19"); a time
  zone ("UTC"), an interviewer's tag in a transcript ("((WN))") and a bare "State" of
  "Secretary of State" are no entities; a name never runs over a spaced dash or a line break;
- one name, one type: every mention of a name takes the type most of the article's evidence
  gives it (an untagged repeat adds the words around it: "in Goa"), and repeats of a name the
  parser left untagged are tagged (a surname after the full name, an acronym after its
  expansion, a name in a capitals headline).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from spacy.tokens import Doc, Span, Token

from newsgraph.extract.lexicon import (
    AREA_NOUNS,
    HOME_NATIONS,
    HONORIFICS,
    LEGAL_FORMS,
    ORG_HEADS,
    SETTLEMENT_NOUNS,
    TIME_ZONES,
    TITLE_WORDS,
    canonical_country,
    first_name_genders,
    is_region,
)

#: Lower-case words that may join the capitalised words of one name ("Bank of England").
_JOINERS = frozenset("of de du da di del der den van von la le y & for".split())
#: Joiners that may not end or start a name, only sit inside one.
_DASHES = frozenset({"-", "--", "—", "–", "---"})
#: A result or standings figure: "3", ".567", "76", "108-3" (not "8-1-26-3", a bowling figure).
_SCORE = re.compile(r"^(?:\d{1,3}|\d*\.\d+|\d{1,3}-\d{1,3})$")
#: Parts of speech of a capitalised word that opens a sentence without being a name.
_NOT_NAME_POS = frozenset("DET PRON ADP CCONJ SCONJ ADV AUX VERB PART INTJ".split())
#: Function words, which in a capitals line are no names ("KANSAS CITY AT DETROIT").
_FUNCTION_WORDS = frozenset(
    """a an the at in on to by for from of with as into over after before v vs vs. versus and or
    but is are was were be has have had will would says said""".split()
)
_FIXTURE_WORDS = frozenset({"v", "v.", "vs", "vs.", "versus"})
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
#: What follows the place of a dateline on its line.
_DATELINE_DATE = re.compile(
    rf"^(?:\d{{4}}-\d\d?-\d\d?|{_MONTH}\s+\d{{1,2}}(?:,?\s+\d{{4}})?|\d{{1,2}}\s+{_MONTH}(?:\s+\d{{4}})?)\s*$",
    re.IGNORECASE,
)
_CALENDAR = re.compile(rf"^(?:{_MONTH}|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)$", re.IGNORECASE)
#: "(Reuters) -": the agency of a dateline that opens the first paragraph.
_DATELINE_AGENCY = re.compile(r"^\(\s*([A-Z][\w.&' -]{1,40}?)\s*\)\s*(?:-|--|—|–)")
#: Verbs of a sports result whose subject and object are sides.
_WIN_VERBS = frozenset("beat defeat edge thrash rout crush trounce overcome overpower outclass".split())
#: A capital after a small letter, as brands write ("SpaceX", "EastMed"), but not "McArthur", "DeSantis".
_CAMEL = re.compile(r"^(?!(?:Mc|Mac|De|Di|Da|Du|La|Le|Van|Von|Fitz|St)[A-Z])\w*[a-z][A-Z]")
#: Common nouns for a kind of organisation, next to its name ("news agency Interfax", "club Atalanta").
_ORG_KINDS = frozenset(
    """agency company firm group club side team bank newspaper daily weekly magazine airline carrier
    insurer maker manufacturer retailer broadcaster publisher publishers conglomerate brokerage
    shares stock""".split()
)
#: Prepositions that put a name in a place.
_PLACE_PREPOSITIONS = frozenset("in near outside".split())
#: Words of direction before "of" that put a name on the map ("west of Bermuda").
_COMPASS = frozenset(
    """north south east west northeast northwest southeast southwest north-east north-west south-east
    south-west""".split()
)
#: Nouns for a kind of place, before "of" or beside a comma ("the town of Katwa", "the capital,
#: Sanaa", "Magnitogorsk, a city in ..."), and the office of a town ("the mayor of Yartsevo").
_PLACE_KINDS = SETTLEMENT_NOUNS | AREA_NOUNS
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
#: What a firm has, before "of" or "in" and its name ("shares of Magna", "a stake in Cofinec").
_OWNED = frozenset("shares stock stake stakes subsidiary unit division shareholders".split())
#: Roles in a team or a firm, not in a government ("captain", "striker", "chairman").
_TEAM_ROLES = frozenset(
    """captain striker midfielder defender goalkeeper keeper coach manager player forward winger
    pitcher quarterback chairman""".split()
)
_WIN_STEMS = frozenset(w[:3] for w in _WIN_VERBS)
_ONE_INITIAL = re.compile(r"^[A-Z]\.$")
#: Words of a street's name ("S. Lexington Avenue" is no person).
_STREET_WORDS = frozenset("avenue street road boulevard lane drive square place way highway route".split())
_INITIAL = re.compile(r"^[A-Z]\.(?:[A-Z]\.)*$")
#: Weight of the evidence of the layout against one label given by the parser.
_LAYOUT = 3
#: Weight of a reading no other mention changes (it votes as the layout does): a dateline names
#: a place, whatever the text calls a team of the same name.
_FIXED = 9


def _is_name_token(text: str) -> bool:
    """Whether a token's text is a capitalised word (a function word in capitals, "AT", "IN", is none)."""
    if not text or not text[0].isupper() or not any(c.isalpha() for c in text):
        return False
    return not (text.isupper() and text.lower() in _FUNCTION_WORDS)


def _lines(texts: list[str]) -> list[tuple[int, int]]:
    """Token ranges of the text's lines (line breaks left out), from the tokens' texts."""
    out: list[tuple[int, int]] = []
    start = 0
    for i, text in enumerate(texts):
        if "\n" in text:
            if i > start:
                out.append((start, i))
            start = i + 1
    if start < len(texts):
        out.append((start, len(texts)))
    return out


def _is_caps_line(texts: list[str], start: int, end: int) -> bool:
    """Whether a line is set in capitals (a wire headline, a slug): three words or more, none lower."""
    words = [w for w in texts[start:end] if len(w) > 1 and w.isalpha()]
    return len(words) >= 3 and all(w.isupper() for w in words)


def _name_runs(doc: Doc, is_name: list[bool], start: int, end: int) -> list[tuple[int, int]]:
    """Maximal runs of capitalised tokens in ``doc[start:end]``, with joiners inside them."""
    runs: list[tuple[int, int]] = []
    i = start
    while i < end:
        if not is_name[i]:
            i += 1
            continue
        j = i + 1
        while j < end:
            tok = doc[j]
            if is_name[j]:
                j += 1
            elif j + 2 < end and tok.lower_ in _JOINERS and doc[j + 1].lower_ in _JOINERS and is_name[j + 2]:
                j += 3  # "van der Merwe"
            elif (
                j + 1 < end
                and is_name[j + 1]
                and (
                    tok.lower_ in _JOINERS
                    or (tok.text in {"-", "–"} and not doc[j - 1].whitespace_ and not tok.whitespace_)
                    or (tok.text == "." and not tok.whitespace_)
                )
            ):
                j += 2
            else:
                break
        runs.append((i, j))
        i = j
    return runs


class _Mentions:
    """Labelled, non-overlapping token spans with the weight of the evidence behind each."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.spans: dict[int, tuple[int, str, int]] = {}  # start -> (end, label, weight)
        self.owner: dict[int, int] = {}  # token -> start of the span covering it
        self.titles: dict[int, list[Token]] = {}
        self.text: list[str] = []
        self.lower: list[str] = []
        self.pos: list[str] = []
        for tok in doc:  # one pass: a token is costly to make
            self.text.append(tok.text)
            self.lower.append(tok.lower_)
            self.pos.append(tok.pos_)
        self.is_name = [_is_name_token(text) for text in self.text]
        self.lines = _lines(self.text)
        self._runs = [_name_runs(doc, self.is_name, s, e) for s, e in self.lines]
        self._run_at = {i: run for runs in self._runs for run in runs for i in range(*run)}

    def runs(self, line: int) -> list[tuple[int, int]]:
        """The name runs of a line (by its index in ``lines``)."""
        return self._runs[line]

    def run_of(self, i: int) -> tuple[int, int] | None:
        """The name run holding token ``i``."""
        return self._run_at.get(i)

    def covered(self, start: int, end: int) -> bool:
        return any(i in self.owner for i in range(start, end))

    def remove(self, start: int) -> None:
        end, _, _ = self.spans.pop(start)
        for i in range(start, end):
            self.owner.pop(i, None)
        self.titles.pop(start, None)

    def put(self, start: int, end: int, label: str, weight: int, titles: list[Token] | None = None) -> None:
        """Add a span, dropping the spans it overlaps; the layout's first reading stands."""
        if weight >= _LAYOUT and any(
            self.spans[s][2] >= _LAYOUT and (s, self.spans[s][0]) != (start, end)
            for s in {self.owner[i] for i in range(start, end) if i in self.owner}
        ):
            return
        for s in {self.owner[i] for i in range(start, end) if i in self.owner}:
            self.remove(s)
        self.spans[start] = (end, label, weight)
        for i in range(start, end):
            self.owner[i] = start
        if titles:
            self.titles[start] = titles

    def label_at(self, start: int, end: int) -> str | None:
        hit = self.spans.get(start)
        return hit[1] if hit is not None and hit[0] == end else None


def _person_like(doc: Doc, start: int, end: int) -> bool:
    """Whether a name looks like a person's: an initial or a known first name, or the parser's
    PERSON over two words or more."""
    if end - start >= 2 and (
        _INITIAL.match(doc[start].text)
        or any(doc[i].lower_ in first_name_genders() for i in range(start, end - 1))
    ):
        return True
    return end - start >= 2 and all(doc[i].ent_type_ == "PERSON" for i in range(start, end))


def _side_label(doc: Doc, start: int, end: int) -> str | None:
    """The label of a side named in a result: a country, else a team (organisation); None for a person."""
    name = doc[start:end].text
    if canonical_country(name) or name.lower() in HOME_NATIONS:
        return "GPE"
    if _person_like(doc, start, end):
        return None
    return "ORG"


def _mark_side(found: _Mentions, start: int, end: int) -> None:
    label = _side_label(found.doc, start, end)
    if label is not None:
        found.put(start, end, label, _LAYOUT)


def _results(found: _Mentions, line: int, *, in_caps: bool) -> None:
    """Teams of results, standings and fixtures on one line."""
    doc = found.doc
    start, end = found.lines[line]
    texts = found.text
    runs = [
        (a, b)
        for a, b in found.runs(line)
        if not any(c.isdigit() for w in texts[a:b] for c in w)
        and not _CALENDAR.match(" ".join(texts[a:b]))
        and (in_caps or "PROPN" in found.pos[a:b])
    ]
    if not runs:
        return

    # a bracketed qualifier after a name: "Proleter ( Z ) 0", "Benetton ( Italy ) 92"
    def after(j: int) -> int:
        if j < end and doc[j].text == "(":
            k = j + 1
            while k < end and k - j <= 5 and texts[k] != ")":
                k += 1
            if k < end and texts[k] == ")":
                return k + 1
        return j

    def score_at(j: int) -> bool:  # "108-3" is three tokens; "8-1-26-3" is no score
        k = j
        while k < end and not doc[k].whitespace_ and k + 1 < end:
            k += 1
        return j < end and doc[j - 1].whitespace_ != "" and bool(_SCORE.match(doc[j : k + 1].text))

    depth, bracketed = 0, set()
    for i in range(start, end):
        depth += texts[i] == "("
        depth -= texts[i] == ")" and depth > 0
        if depth:
            bracketed.add(i)
    sides: list[tuple[int, int]] = []
    scored: list[tuple[int, int]] = []
    for a, b in runs:
        if a in bracketed:
            continue  # the scorers of a result: "Aberdeen 3 ( Miller 10 , Rowson 55 )"
        j = after(b)
        if not score_at(j):
            continue
        scored.append((a, b))
        # a standings row: the line is the name and two figures or more
        rest = doc[j:end]
        before = doc[start:a]
        figures = [t for t in rest if not t.is_punct]
        if (
            len(figures) >= 2
            and all(_SCORE.match(t.text) or t.like_num for t in figures)
            and all(t.is_punct or t.like_num for t in before)
        ):
            sides.append((a, b))
    # results: "Pohang 3 Ulsan 2", "Durham 114 ( ... ) , Glamorgan 259": two names or more, each
    # followed by its score
    prose = sum(
        1 for i in range(start, end) if i not in bracketed and texts[i].isalpha() and texts[i].islower()
    )
    if len({doc[a:b].text.lower() for a, b in scored}) >= 2 and prose <= 3:  # not "Day 1 and Day 2"
        sides += scored
    # fixtures: "Kent v Surrey", and a line "KANSAS CITY AT DETROIT"
    for (a, b), (c, d) in itertools.pairwise(runs):
        between = doc[b:c]
        if len(between) != 1:
            continue
        word = between[0].lower_
        whole_line = a == start and d >= end - 1
        if word in _FIXTURE_WORDS and (whole_line or not in_caps):
            sides += [(a, b), (c, d)]
        elif word == "at" and whole_line:  # "BOSTON AT TEXAS": a team, and where it plays
            sides.append((a, b))
            found.put(c, d, "GPE", _LAYOUT)
    for a, b in sides:
        _mark_side(found, a, b)
    # an athlete and the country in brackets: "Irina Privalova ( Russia ) 11.27"
    for a, b in runs:
        if (
            2 <= b - a <= 3
            and b + 2 < end
            and doc[b].text == "("
            and doc[b + 2].text == ")"
            and canonical_country(doc[b + 1].text)
            and doc[b - 1].text not in ORG_HEADS
            and not any(doc[i].text.isupper() and len(doc[i].text) > 1 for i in range(a, b))
        ):
            found.put(a, b, "PERSON", _LAYOUT)


def _win_sides(found: _Mentions, doc: Doc) -> None:
    """``X beat Y``: subject and object are sides, unless people."""
    for i, pos in enumerate(found.pos):
        if pos != "VERB" or found.lower[i][:3] not in _WIN_STEMS:
            continue
        tok = doc[i]
        if tok.lemma_.lower() not in _WIN_VERBS:
            continue
        subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
        if subj is None or obj is None or subj.pos_ != "PROPN" or obj.pos_ != "PROPN":
            continue
        if subj.ent_type_ == "PERSON" or obj.ent_type_ == "PERSON":
            continue  # one side is a person: so is the other
        for head in (subj, obj):
            run = found.run_of(head.i)
            if run is not None:
                _mark_side(found, *run)


def _kind_nouns(found: _Mentions, doc: Doc) -> None:
    """A name next to the common noun of its kind: "the news agency Interfax", "club Atalanta",
    "Interfax news agency said", "Magna shares"."""
    for n, word in enumerate(found.lower):
        if (word not in _ORG_KINDS and word not in _OWNED) or found.pos[n] != "NOUN":
            continue
        tok = doc[n]
        places = [n + 1, n - 1] if word in _ORG_KINDS else []  # "club Atalanta", "Magna shares"
        if word in _OWNED and n + 2 < len(doc) and found.lower[n + 1] in {"of", "in"}:
            places.append(n + 2)  # "shares of Magna", "a stake in Cofinec"
        for i in places:
            if not (0 <= i < len(doc)) or not found.is_name[i]:
                continue
            run = found.run_of(i)
            if run is None or (i != tok.i - 1 and run[0] != i) or (i == tok.i - 1 and run[1] != tok.i):
                continue
            a, b = run
            while a < b and doc[a].pos_ in _NOT_NAME_POS:
                a += 1
            if (
                a < b
                and b - a <= 4
                and not _person_like(doc, a, b)
                and not canonical_country(doc[a:b].text)
                and not any(doc[k].ent_type_ in {"GPE", "LOC", "FAC", "NORP"} for k in range(a, b))
            ):
                found.put(a, b, "ORG", _LAYOUT)


def _team_roles(found: _Mentions, doc: Doc) -> None:
    """The name before a team's or a firm's role and a person: "Warwickshire captain Tim Munton",
    "Deportivo chairman Augusto Lendoiro" name a team or a firm (a country stays a country)."""
    for n, word in enumerate(found.lower):
        if word not in _TEAM_ROLES or n == 0 or n + 1 >= len(doc):
            continue
        tok = doc[n]
        if not (found.is_name[tok.i + 1] and doc[tok.i + 1].ent_type_ == "PERSON"):
            continue
        run = found.run_of(tok.i - 1)
        if run is None or run[1] != tok.i or run[1] - run[0] > 3:
            continue
        a, b = run
        while a < b and doc[a].pos_ in _NOT_NAME_POS:
            a += 1
        if a < b:
            _mark_side(found, a, b)


def _datelines(found: _Mentions) -> None:
    """Places of datelines, the agency after them, and the reporter's name on the line above."""
    doc, lines = found.doc, found.lines
    for n, (start, end) in enumerate(lines):
        runs = found.runs(n)
        if not runs or runs[0][0] != start:
            continue
        options = [([runs[0]], runs[0][1])]
        k = runs[0][1]
        if k + 1 < end and doc[k].text == "," and len(runs) > 1 and runs[1][0] == k + 1:
            k = runs[1][1] + (1 if runs[1][1] < end and doc[runs[1][1]].text == "." else 0)
            options.insert(0, ([runs[0], runs[1]], k))  # "TAVILDARA , Tajikistan 1996-08-30", "FLINT, Mich."
        places, agency = None, None
        for candidate, k in options:
            rest = doc[k:end].text if k < end else ""
            agency = _DATELINE_AGENCY.match(rest)
            if _DATELINE_DATE.match(rest) or (agency and doc[start].text.isupper()):
                places = candidate
                break
        if places is None or any(b - a > 4 or _CALENDAR.match(doc[a:b].text) for a, b in places):
            continue
        for a, b in places:
            found.put(a, b, "GPE", _FIXED)
        if agency:
            at = doc[k].idx + agency.start(1)
            span = doc.char_span(at, at + len(agency.group(1)), alignment_mode="contract")
            if span is not None and len(span):
                found.put(span.start, span.end, "ORG", _LAYOUT)
        if n > 0:
            _byline(found, *lines[n - 1])


def _byline(found: _Mentions, start: int, end: int) -> None:
    """A line of two to four capitalised words (after "By") above a dateline: the reporter."""
    doc = found.doc
    if doc[start].lower_ == "by":
        start += 1
    words = doc[start:end]
    if 2 <= len(words) <= 4 and all(_is_name_token(t.text) and not t.text.isupper() for t in words):
        found.put(start, end, "PERSON", _LAYOUT)


def _organisation_heads(found: _Mentions, caps: set[int]) -> None:
    """Names headed by an organisation word: "Acme Corp", "Labour Party", "Bank of Japan"."""
    doc = found.doc
    for n in range(len(found.lines)):
        if n in caps:
            continue
        for a, b in found.runs(n):
            while a < b and (
                doc[a].pos_ in _NOT_NAME_POS
                or doc[a].lower_ in _JOINERS
                or (doc[a].is_sent_start and doc[a].pos_ == "NOUN")
            ):
                a += 1  # "Shares of Acme Corp": the name starts at its first proper noun
            if b - a < 2:
                continue
            run_start = a
            words = [t.text.rstrip(".") for t in doc[a:b]]
            ofs = [k for k, t in enumerate(doc[a:b]) if t.lower_ == "of"]
            if ofs and words[ofs[0] - 1] in ORG_HEADS:
                pass  # "Bank of Japan", "Ministry of Defence"
            elif words[-1] in ORG_HEADS:
                if ofs:  # "Professor Smith of Binghamton University": the part after "of"
                    a += ofs[-1] + 1
            else:
                continue
            if a == run_start:  # "Bread and Roses Party", not "Secret Service and Park Police"
                left = found.run_of(a - 2) if a >= 2 and found.lower[a - 1] == "and" else None
                if (
                    left is not None
                    and left[1] == a - 1
                    and a - 1 - left[0] <= 2
                    and found.text[a - 2] not in ORG_HEADS
                    and not any(doc[i].ent_type_ for i in range(*left))
                ):
                    a = left[0]
                    while found.pos[a] in _NOT_NAME_POS:
                        a += 1
            if b - a < 2 or found.label_at(a, b) == "ORG":
                continue
            k = b - 1
            while k > 0 and doc[k].ent_type_ == "ORG" and doc[k].ent_iob_ == "I":
                k -= 1
            if doc[b - 1].ent_type_ == "ORG" and k <= a:
                continue  # the parser's organisation holds this one: it stands ("Life and Liberty Party")
            if doc[b - 1].ent_type_ in {"GPE", "LOC", "FAC"}:
                continue  # "Soviet Union": the parser's place stands
            if any(doc[i].ent_type_ == "PERSON" for i in range(a, b)) and words[-1] not in ORG_HEADS:
                continue
            found.put(a, b, "ORG", _LAYOUT)


def _speaker_tags(found: _Mentions) -> None:
    """The speaker tags of an interview's transcript: "((Jane Doe))" or "Jane Doe:" opening a line."""
    doc = found.doc
    for start, end in found.lines:
        a = start + 2 if end - start > 4 and doc[start].text == doc[start + 1].text == "(" else start
        b = a
        while b < end and b - a < 5 and found.is_name[b]:
            b += 1
        closed = (
            b + 1 < end and doc[b].text == doc[b + 1].text == ")"
            if a > start
            else (b < end and doc[b].text == ":")
        )
        if closed and 2 <= b - a <= 4 and not any(doc[i].text.isupper() for i in range(a, b)):
            found.put(a, b, "PERSON", _LAYOUT)


def _model_spans(found: _Mentions, spans: Iterable[tuple[Span, list[Token]]]) -> None:
    for span, titles in spans:
        if not found.covered(span.start, span.end):
            found.put(span.start, span.end, span.label_, 1, titles)


def _not_a_name(doc: Doc, start: int, end: int, label: str, surnames: set[str]) -> bool:
    """Spans the parser took for names that are none."""
    tokens = doc[start:end]
    text = tokens.text
    if text in TIME_ZONES:  # "(1700 UTC)"
        return True
    if not any(c.isupper() for c in text):
        return True  # "restraint", "n't": no capital, no name
    if (
        text.replace(".", "").lower() in {"am", "pm"}
        and start > 0
        and any(c.isdigit() for c in doc[start - 1].text)
    ):
        return True  # "at 4:00 A.M."
    if label == "PERSON":
        if any(t.like_num or any(c.isdigit() for c in t.text) or t.text == "%" for t in tokens):
            return True  # "More than 95%", "COVID-19"
        if not any(t.pos_ == "PROPN" and t.text[:1].isupper() for t in tokens) and not (
            end - start == 1 and text.lower() in surnames
        ):
            return True  # "Reports", "Police"; not "Sanders" after "Bernie Sanders"
        if end - start == 1 and _CAMEL.search(text):
            return True  # "SpaceX", "CentOS": a brand's spelling, no person's
        words = [t.text for t in tokens if t.is_alpha]
        if (
            len(words) >= 2
            and any(w.isupper() and len(w) >= 3 for w in words)
            and not all(w.isupper() for w in words)
        ):
            return True  # "Post COVID Melbourne": an acronym inside a name in small letters
    if (
        end - start == 1
        and text.lower().rstrip(".") in AREA_NOUNS | SETTLEMENT_NOUNS | TITLE_WORDS | HONORIFICS
    ):
        return True  # "Secretary of State", "State Senator", "the race for President"
    # a transcript's speaker tag: "((WN))" or "WN:" at the start of a line, an acronym
    line_start = (
        start == 0
        or "\n" in doc[start - 1].text
        or (
            start >= 2
            and doc[start - 1].text == "("
            and doc[start - 2].text == "("
            and (start == 2 or "\n" in doc[start - 3].text)
        )
    )
    return bool(
        line_start and text.isupper() and len(text) <= 4 and end < len(doc) and doc[end].text in {")", ":"}
    )


def _acronym(doc: Doc, start: int, end: int) -> bool:
    """One word of four capitals or more, not a transcript's speaker tag ("WALLACE: Let's start")."""
    text = doc[start:end].text
    speaker_tag = end < len(doc) and doc[end].text == ":"
    return end - start == 1 and text.isalpha() and text.isupper() and len(text) >= 4 and not speaker_tag


def _propagate(found: _Mentions, caps: set[int]) -> None:
    """Tag untagged repeats of the article's names; in capitals lines, read names case-blind."""
    doc = found.doc
    names: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    backed: set[str] = set()  # one-word names that stand for a longer one: a surname, an acronym
    for start, (end, label, weight) in found.spans.items():
        words = tuple(found.lower[start:end])
        names[words][label] += weight
        if label == "PERSON" and end - start >= 2 and not doc[end - 1].text.isupper():
            names[(found.lower[end - 1],)]["PERSON"] += weight  # a surname
            backed.add(found.lower[end - 1])
        elif label == "ORG" and end - start >= 2 and found.text[end - 1].rstrip(".") in LEGAL_FORMS:
            short = tuple(found.lower[start : end - 1])  # "Corvane Ltd" -> "Corvane"
            names[short]["ORG"] += weight
            backed.add(" ".join(short))
    for words in list(names):
        if len(words) == 1 or "PERSON" in names[words]:
            continue
        acronym = "".join(w[0] for w in words if w not in _JOINERS)
        if 2 <= len(acronym) <= 6 and (acronym,) not in names:
            names[(acronym.lower(),)].update(names[words])
            backed.add(acronym.lower())
    longest = max((len(w) for w in names), default=0)
    for n in range(len(found.lines)):
        in_caps = n in caps
        for a, b in found.runs(n):
            while a < b and found.pos[a] in _NOT_NAME_POS:
                a += 1  # "The Kent captain": a sentence's first word may be capitalised
            i = a
            while i < b:
                hit = None
                for length in range(min(longest, b - i), 0, -1):
                    words = tuple(found.lower[i : i + length])
                    if (
                        words in names
                        and (
                            length > 1
                            or in_caps
                            or " ".join(words) in backed
                            or sum(names[words].values()) >= 2
                        )
                        and not found.covered(i, i + length)
                    ):
                        hit = length
                        break
                if hit is None:
                    i += 1
                    continue
                whole = (i == a and i + hit == b) or in_caps
                proper = in_caps or "PROPN" in found.pos[i : i + hit]
                if whole and proper:
                    label = names[tuple(found.lower[i : i + hit])].most_common(1)[0][0]
                    found.put(i, i + hit, label, 0)  # a repeat adds no evidence of its own
                i += hit


def _initialled(found: _Mentions) -> None:
    """An initial and a surname: "C. Cairns", "J.R. Hartley" name a person."""
    doc = found.doc
    for n in range(len(found.lines)):
        for a, b in found.runs(n):
            if not (2 <= b - a <= 3 and _ONE_INITIAL.match(found.text[a])):
                continue
            rest = found.text[a + 1 : b]
            if (
                all(w[:1].isupper() and w[1:].islower() and w.isalpha() for w in rest)
                and all(p == "PROPN" for p in found.pos[a + 1 : b])
                and not any(w in ORG_HEADS or w.lower() in _STREET_WORDS for w in rest)
                and doc[a].ent_type_ in {"", "PERSON", "ORG"}
            ):
                found.put(a, b, "PERSON", _LAYOUT)


def _lists(found: _Mentions) -> None:
    """Names in one list are of one kind: "Harte, McLoughlin, Houghton and Quinn" are all people
    when most of those the parser tagged are."""
    for n in range(len(found.lines)):
        runs = found.runs(n)
        groups: list[list[tuple[int, int]]] = []
        for a, b in runs:
            prev = groups[-1][-1] if groups else None
            if (
                prev is not None
                and 1 <= a - prev[1] <= 2
                and all(w in {",", "and", ";"} for w in found.lower[prev[1] : a])
            ):
                groups[-1].append((a, b))
            else:
                groups.append([(a, b)])
        for group in groups:
            if len(group) < 3:
                continue
            labels = Counter(found.label_at(a, b) for a, b in group)
            tagged = sum(c for label, c in labels.items() if label)
            label, count = max(
                ((k, v) for k, v in labels.items() if k), key=lambda kv: kv[1], default=(None, 0)
            )
            if label is None or count < 2 or count * 2 < len(group) or count < tagged:
                continue  # the parser's tags must agree, on two names or more
            for a, b in group:
                if not found.covered(a, b) and b - a <= 4 and "PROPN" in found.pos[a:b]:
                    found.put(a, b, label, 0)


def _countries(found: _Mentions) -> None:
    """A name the parser left untagged that is a country's: "( Belarus )", "Top Belarus politician"."""
    for n in range(len(found.lines)):
        for a, b in found.runs(n):
            if found.pos[a] == "DET":
                a += 1  # "The Netherlands"
            if b - a > 4 or found.covered(a, b):
                continue
            name = " ".join(found.text[a:b])
            if canonical_country(name) and found.lower[a] not in first_name_genders():
                found.put(a, b, "GPE", 1)


def _place_kind(word: str) -> bool:
    """Whether a word names a kind of place, in the singular or the plural ("town", "cities")."""
    singular = word[:-3] + "y" if word.endswith("ies") else word.removesuffix("s")
    return word in _PLACE_KINDS or singular in _PLACE_KINDS


def _first_name(found: _Mentions, start: int, end: int) -> bool:
    """Whether a name of two words or more opens with a known first name ("Joe Biden")."""
    return end - start > 1 and found.lower[start] in first_name_genders()


def _place_evidence(found: _Mentions, start: int, end: int) -> int:
    """The weight of what the words around a name say of it being a place: "in Maidan Shahr",
    "west of Bermuda", "the town of Katwa", "the mayor of Yartsevo", "the Sulu region",
    "Guayanilla, Puerto Rico", "the capital, Sanaa", "Magnitogorsk, a city in ..."; "a camp at
    Ain Issa" weighs less (one is angry at a person too)."""
    doc, lower = found.doc, found.lower
    before = lower[start - 1] if start > 0 else ""
    before2 = lower[start - 2] if start > 1 else ""
    after = lower[end] if end < len(doc) else ""
    if after == "'s" or (end < len(doc) and doc[end].tag_ == "POS"):
        return 0  # "in Smith's view"
    if _first_name(found, start, end):
        return 0  # "trust in Joe Biden": a person
    if before in _PLACE_PREPOSITIONS:
        return _LAYOUT
    if before == "of" and (before2 in _COMPASS or _place_kind(before2) or before2 == "mayor"):
        return _LAYOUT
    if before == "," and _place_kind(before2):
        return _LAYOUT  # "the capital, Sanaa"
    if after in _PLACE_KINDS and found.text[end].islower():
        following = found.pos[end + 1] if end + 1 < len(doc) else ""
        if following not in {"NOUN", "PROPN"}:
            return _LAYOUT  # "the Sulu region"; not "the Lowe town hall"
    if after == ",":
        # "Guayanilla, Puerto Rico" (the region ends the phrase: not "Smith, Texas Governor")
        for length in (3, 2, 1):
            region_end = end + 1 + length
            if region_end > len(doc) or not all(found.is_name[end + 1 : region_end]):
                continue
            following = found.pos[region_end] if region_end < len(doc) else ""
            if following not in {"NOUN", "PROPN"} and is_region(" ".join(found.text[end + 1 : region_end])):
                return _LAYOUT
        # "Magnitogorsk, a city in the Urals"
        j = end + 1
        if j < len(doc) and lower[j] in {"a", "an", "the"}:
            j += 1
            while j < len(doc) and j - end <= 4 and found.pos[j] == "ADJ":
                j += 1
            if j < len(doc) and lower[j] in _PLACE_KINDS:
                return _LAYOUT
    if before == "at" and start > 1 and found.pos[start - 2] == "NOUN":
        return 1  # "a camp at Ain Issa"
    return 0


def _settle(found: _Mentions) -> None:
    """One name, one type: every mention of a name takes the label its evidence favours. The
    words around a mention vote for a place (:func:`_place_evidence`); the place labels of a
    name count together against a person's ("Ain Issa" a person once, a site once, and "at" a
    camp: a place); a name with no vote of a person's own coordinated with a town takes its
    label ("entered Tell Tamer and Ain Issa")."""
    doc = found.doc
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for start, (end, label, weight) in found.spans.items():
        key = doc[start:end].text.lower()
        if weight:
            votes[key][label] += min(weight, _LAYOUT)
        # a repeat the parser left untagged adds no label of its own, but its words still say
        # where it stands ("Goa is safe" twice, then "in Goa": a place)
        # no person is in someone, and hardly a firm ("in Congress" is kept)
        if label in _PLACE_LABELS:
            votes[key][label] += _place_evidence(found, start, end)
        elif found.text[start] not in ORG_HEADS and (
            label == "PERSON"
            or (
                label == "ORG"
                and not found.text[start].isupper()
                and end - start == 1
                and start > 0
                and found.lower[start - 1] in _PLACE_PREPOSITIONS
            )
        ):
            votes[key]["GPE"] += _place_evidence(found, start, end)
    for key in list(votes):
        if not votes[key]["GPE"]:
            del votes[key]["GPE"]
    for start, (end, label, weight) in list(found.spans.items()):
        key = doc[start:end].text.lower()
        if len(votes[key]) < 2 or weight >= _FIXED:
            continue
        if canonical_country(key):
            best = "GPE"
        else:
            best = max(votes[key].items(), key=lambda kv: (kv[1], kv[0] == label))[0]
            places = {k: v for k, v in votes[key].items() if k in _PLACE_LABELS}
            if best == "PERSON" and sum(places.values()) > votes[key]["PERSON"]:
                best = max(places.items(), key=lambda kv: (kv[1], kv[0] == "GPE"))[0]
        if best != label:
            titles = found.titles.get(start)
            found.put(start, end, best, weight, titles if best == "PERSON" else None)
    _coordinated_places(found, votes)


def _coordinated_places(found: _Mentions, votes: dict[str, Counter[str]]) -> None:
    """A person's name said once, with no title and no first name, coordinated with a town or a
    site ("Tell Tamer and Ain Issa", "Causeway Bay, and Tin Hau"): a place too. A country is no
    such partner ("Lowe and Ardia" names a person and a country)."""
    doc = found.doc
    starts = sorted(found.spans)
    by_end = {found.spans[s][0]: s for s in starts}
    for start in starts:
        end, label, weight = found.spans[start]
        if (
            label != "PERSON"
            or weight >= _LAYOUT
            or found.titles.get(start)
            or _first_name(found, start, end)
        ):
            continue
        key = doc[start:end].text.lower()
        if sum(votes[key].values()) > 1:
            continue  # named more than once, or with other evidence: the parser's reading stands
        partners = []
        j = end
        while j < len(doc) and j - end < 2 and found.lower[j] in {",", "and", "or"}:
            j += 1
        if j > end and j in found.spans and {"and", "or"} & set(found.lower[end:j]):
            partners.append(j)
        i = start
        while i > 0 and start - i < 2 and found.lower[i - 1] in {",", "and", "or"}:
            i -= 1
        if i < start and i in by_end and {"and", "or"} & set(found.lower[i:start]):
            partners.append(by_end[i])  # not a comma alone: "in Mirati, Pranab Mukherjee began"
        for other in partners:
            other_end, other_label, _ = found.spans[other]
            if other_label in _PLACE_LABELS and not canonical_country(doc[other:other_end].text):
                found.put(start, end, other_label, weight)
                break


def _caps_line_spans(found: _Mentions, line: int) -> None:
    """In a capitals line keep only what other evidence backs: a country, the layout."""
    doc = found.doc
    start, end = found.lines[line]
    for a, b in found.runs(line):
        for i in range(a, b):
            for j in (i + 2, i + 1):  # "SRI LANKA", "NORWAY"
                if j <= b and not found.covered(i, j) and canonical_country(" ".join(found.text[i:j])):
                    found.put(i, j, "GPE", _LAYOUT)
                    break
    for s in [s for s in found.spans if start <= s < end]:
        e, _, weight = found.spans[s]
        if weight >= _LAYOUT:
            continue
        if canonical_country(doc[s:e].text):
            found.put(s, e, "GPE", _LAYOUT)
        else:
            found.remove(s)


def _dash_slug(found: _Mentions, line: int) -> None:
    """A line's opening word before a spaced dash ("SOCCER - ...", "BRITAIN - Gilts ..."): a
    country is a place; anything else is a slug, no name."""
    doc = found.doc
    start, end = found.lines[line]
    runs = found.runs(line)
    if not runs or runs[0][0] != start:
        return
    a, b = runs[0]
    if not (b < end and doc[b].text in _DASHES and doc[b - 1].whitespace_ and doc[a:b].text.isupper()):
        return
    if canonical_country(doc[a:b].text):
        found.put(a, b, "GPE", _LAYOUT)


def find(doc: Doc, spans: Iterable[tuple[Span, list[Token]]]) -> list[tuple[Span, list[Token]]]:
    """The article's name mentions, each with the title tokens cut from its start.

    ``spans`` are the parser's entities, already trimmed; the result replaces them.
    """
    found = _Mentions(doc)
    lines = found.lines
    caps = {n for n, (s, e) in enumerate(lines) if _is_caps_line(found.text, s, e)}
    _datelines(found)
    _speaker_tags(found)
    for n in range(len(lines)):
        _results(found, n, in_caps=n in caps)
        _dash_slug(found, n)
    _win_sides(found, doc)
    _team_roles(found, doc)
    _kind_nouns(found, doc)
    _organisation_heads(found, caps)
    _initialled(found)
    _model_spans(found, spans)
    surnames = {
        found.lower[end - 1]
        for start, (end, label, _) in found.spans.items()
        if label == "PERSON" and end - start > 1
    }
    organisations = {doc[s:e].text for s, (e, label, _) in found.spans.items() if label == "ORG"}
    for start in list(found.spans):
        end, label, weight = found.spans[start]
        if weight < _LAYOUT and _not_a_name(doc, start, end, label, surnames):
            found.remove(start)
        elif weight < _LAYOUT and label == "PERSON" and _acronym(doc, start, end):
            # "afraid of COVID": no person; "ALDI announced", a firm the text names elsewhere
            if doc[start:end].text in organisations:
                found.put(start, end, "ORG", weight)
            else:
                found.remove(start)
    for n in caps:
        _caps_line_spans(found, n)
    _propagate(found, caps)
    _countries(found)
    _lists(found)
    _settle(found)
    out: list[tuple[Span, list[Token]]] = []
    for start in sorted(found.spans):
        end, label, _ = found.spans[start]
        out.append((Span(doc, start, end, label=label), found.titles.get(start, [])))
    return out


__all__ = ["find"]
