"""Person names: one place for the rules that split, fold and compare them.

Used by the corpus passes (linking the same person across articles) and by the store's actor
lookup ("Dmitry S. Peskov" finds "Dmitry Peskov"), so both agree on what a name is.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["NICKNAMES", "PARTICLES", "PersonName", "fold", "parse_person", "person_key", "possessive_re"]

_TITLES = frozenset(
    """
    mr mrs ms miss mx dr prof sir dame lord lady rev reverend fr father sister brother pope saint st
    president vice prime minister secretary deputy assistant undersecretary under chancellor premier
    king queen prince princess duke duchess emperor sheikh emir sultan ayatollah imam rabbi cardinal
    archbishop bishop general gen lt lieutenant col colonel maj major capt captain adm admiral sgt
    sergeant cmdr commander marshal officer chief ceo cfo coo chairman chairwoman chair director
    governor gov senator sen representative rep congressman congresswoman congressmember speaker
    mayor councillor councilor councilman councilwoman judge justice attorney ambassador envoy
    spokesman spokeswoman spokesperson minister foreign defense defence interior finance state
    former acting deputy federal national kremlin white house pentagon us u.s. uk eu un
    democratic republican democrat gop candidate nominee senate house supreme
    """.split()
)
_HONORIFICS = frozenset(
    """
    mr mrs ms miss dr prof sir dame lord lady rev president senator sen governor gov rep secretary
    minister mayor judge justice pope king queen prince princess gen general chancellor premier
    ambassador sheikh ayatollah speaker
    """.split()
)
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "v"})
PARTICLES = frozenset(
    {
        "de",
        "van",
        "von",
        "der",
        "den",
        "da",
        "di",
        "del",
        "della",
        "dos",
        "du",
        "la",
        "le",
        "al",
        "el",
        "bin",
        "ibn",
        "ben",
        "ter",
        "ten",
    }
)
NICKNAMES = {
    "bill": "william",
    "will": "william",
    "billy": "william",
    "bob": "robert",
    "bobby": "robert",
    "rob": "robert",
    "mike": "michael",
    "jim": "james",
    "jimmy": "james",
    "joe": "joseph",
    "tom": "thomas",
    "dick": "richard",
    "rick": "richard",
    "ted": "edward",
    "ed": "edward",
    "dan": "daniel",
    "dave": "david",
    "chris": "christopher",
    "tony": "anthony",
    "alex": "alexander",
    "sasha": "alexander",
    "liz": "elizabeth",
    "beth": "elizabeth",
    "kate": "katherine",
    "katie": "katherine",
    "steve": "steven",
    "stephen": "steven",
    "nick": "nicholas",
    "pete": "peter",
    "sam": "samuel",
    "ben": "benjamin",
    "andy": "andrew",
    "matt": "matthew",
    "pat": "patrick",
    "jerry": "gerald",
    "larry": "lawrence",
    "chuck": "charles",
    "charlie": "charles",
    "jack": "john",
    "johnny": "john",
    "ron": "ronald",
    "vlad": "vladimir",
}
possessive_re = re.compile(r"['’]s?$")


def fold(text: str) -> str:
    """Lower case without accents; letters, digits and single spaces only."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w\s&]", "", plain.replace("-", " ")).split())


@dataclass(frozen=True)
class PersonName:
    """A person's name split into parts (folded keys, and the clean written form)."""

    first: str
    middles: tuple[str, ...]
    last: str
    suffix: str
    written: str
    role: str

    @property
    def full(self) -> bool:
        """Has a first name (not just an initial) and a last name."""
        return bool(self.first) and len(self.first) > 1 and bool(self.last)


def parse_person(name: str) -> PersonName | None:
    """Split a person's name into first, middle, last and suffix, dropping a role before it.

    >>> parse_person("Kremlin spokesman Dmitry S. Peskov").written
    'Dmitry S. Peskov'
    """
    tokens = [
        possessive_re.sub("", t) if t.endswith(("'s", "’s")) else t for t in name.replace(",", " ").split()
    ]
    tokens = [t for t in tokens if t.strip(".'’")]
    if not tokens:
        return None
    suffix = ""
    if len(tokens) > 1 and fold(tokens[-1]) in _SUFFIXES:
        suffix = fold(tokens[-1])
        suffix_token, tokens = tokens[-1], tokens[:-1]
    cut = 0
    for i, token in enumerate(tokens[:-2]):  # a role leaves at least two words of name
        if (token[:1].islower() and token.lower() not in PARTICLES) or fold(token) in _TITLES:
            cut = i + 1
    rest = tokens[cut:]
    if len(rest) == 2 and fold(rest[0]) in _HONORIFICS:
        cut += 1
        rest = rest[1:]
    role = " ".join(tokens[:cut])
    written = " ".join(rest + ([suffix_token] if suffix else []))
    if len(rest) == 1:
        return PersonName("", (), fold(rest[0]), suffix, written, role)
    first, middles, last = rest[0], list(rest[1:-1]), rest[-1]
    while middles and middles[-1].lower() in PARTICLES:
        last = f"{middles.pop()} {last}"
    first_key = fold(first)
    first_key = NICKNAMES.get(first_key, first_key)
    return PersonName(first_key, tuple(fold(m) for m in middles), fold(last), suffix, written, role)


def person_key(name: str) -> tuple[str, str] | None:
    """(first, last) of a person's name, folded, nicknames expanded; None for a single word."""
    person = parse_person(name)
    if person is None or not person.first:
        return None
    return person.first, person.last
