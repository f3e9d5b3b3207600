"""Cross-article entity linking: one actor id for the same person or organisation everywhere.

The input is the corpus's distinct surface names (:class:`~newsgraph.store.NameStat`: a name,
its entity type, how often it is mentioned and the roles it was given); the output maps each
name to an actor and gives each actor a canonical name. Rules:

- People: role words and titles before a name are dropped ("Kremlin spokesman Dmitry Peskov",
  "President Vladimir Putin"), middle names and initials are optional ("Dmitry S. Peskov",
  "Hillary Rodham Clinton"), common nicknames match their full first name ("Bill"/"William").
  Different first names, different middle initials ("George H. W." and "George W.") or a
  different suffix ("Jr.") are different people.
- A lone surname or first name ("Peskov", "Hillary") joins the one person it can be: the only
  candidate, or one with at least 80 % of the candidates' mentions; when the lone name carries
  roles that name a position or occupation, only candidates whose roles share one count; a
  candidate seen in under a quarter as many articles as the lone name is not it. Otherwise the
  lone name stays apart.
- Organisations and places: case, "the", possessives, dots and British/American spellings are
  ignored ("the Kremlin"/"Kremlin", "U.N."/"UN", "Organisation"/"Organization"), and an
  acronym joins the one name whose initials it spells ("NATO" / "North Atlantic Treaty
  Organization", "OSCE" / "... (OSCE)").

An actor's id is the smallest name id of its group, so ids stay stable as a corpus grows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from newsgraph.extract.lexicon import TITLE_WORDS
from newsgraph.names import NICKNAMES, PersonName, fold, parse_person, person_key, possessive_re
from newsgraph.store.records import NameStat

__all__ = [
    "Linking",
    "PersonName",
    "index_keys",
    "link",
    "parse_person",
    "person_key",
    "probe_keys",
    "roles_compatible",
]

#: Share of the candidates' mentions a person needs to take a lone surname or first name.
DOMINANT_SHARE = 0.8
#: A lone name seen in more than this many times the articles of its only full-name match is
#: something else ("Twitter" and a misread "Wilayat Twitter").
RARE_FULL_NAME = 4

_ROLE_NOUNS = TITLE_WORDS | frozenset(
    """
    secretary nurse doctor physician surgeon teacher student pupil worker farmer soldier veteran
    resident passenger commuter shopkeeper driver pilot engineer activist protester organiser
    organizer campaigner volunteer businessman businesswoman entrepreneur billionaire millionaire
    lobbyist donor voter supporter critic opponent rival challenger incumbent host presenter anchor
    pastor priest monk nun mother father wife husband daughter son brother sister widow uncle aunt
    cousin grandfather grandmother
    """.split()
)
_ACRONYM_SKIP = frozenset({"of", "the", "and", "for", "in", "on", "at", "to", "de", "du", "des", "&", "a"})
_SPELLINGS = (
    ("organisation", "organization"),
    ("defence", "defense"),
    ("centre", "center"),
    ("labour", "labor"),
    ("programme", "program"),
)
_PAREN_ACRONYM_RE = re.compile(r"\(([A-Z][A-Za-z.&]{1,9})\)\s*$")


def _middles_compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    if not a or not b:
        return True
    x, y = a[0], b[0]
    if x[:1] != y[:1]:
        return False
    return len(x) == 1 or len(y) == 1 or x == y


def _role_words(roles: Iterable[str]) -> set[str]:
    """The words of roles that name a position, an occupation or a family tie ("spokesman", "nurse")."""
    words = {w for role in roles for w in fold(role).replace("-", " ").split()}
    return {w.removesuffix("s") if w.removesuffix("s") in _ROLE_NOUNS else w for w in words} & _ROLE_NOUNS


def roles_compatible(a: Iterable[str], b: Iterable[str]) -> bool:
    """False only when both sides name positions or occupations and share none of them.

    Only role nouns count ("Kremlin spokesman" and "spokesman for the Kremlin" agree; "union
    leader" and "nurse" do not); roles without one ("remark", "speech", a misread phrase) say
    nothing either way.
    """
    words_a, words_b = _role_words(a), _role_words(b)
    return not words_a or not words_b or bool(words_a & words_b)


def _org_key(name: str) -> str:
    text = _PAREN_ACRONYM_RE.sub("", name).strip()
    text = possessive_re.sub("", text) if text.endswith(("'s", "’s", "s'")) else text
    key = fold(text.replace(".", ""))
    if key.startswith("the "):
        key = key[4:]
    for british, american in _SPELLINGS:
        key = key.replace(british, american)
    return key


def _acronym(name: str) -> str | None:
    """The letters of a written acronym ("NATO", "U.N."), else None."""
    letters = name.replace(".", "").replace(" ", "").replace("&", "")
    if 2 <= len(letters) <= 7 and letters.isalpha() and letters.isupper():
        return letters
    return None


def _initials(name: str) -> str | None:
    words = [w for w in re.split(r"[\s\-]+", _PAREN_ACRONYM_RE.sub("", name)) if w]
    if words and words[0].lower() == "the":
        words = words[1:]
    significant = [w for w in words if w.lower() not in _ACRONYM_SKIP]
    if len(significant) < 2:
        return None
    return "".join(w[0] for w in significant).upper()


_ACRONYM_GROUPS = frozenset({"ORG", "PLACE", "NORP", "FAC"})


def _group(type_: str) -> str:
    return {"GPE": "PLACE", "LOC": "PLACE"}.get(type_, type_)


# ---------------------------------------------------------------------------------- linking


@dataclass
class Linking:
    """The result: each name's actor, and each actor's canonical (name, type)."""

    actor_of: dict[int, int] = field(default_factory=dict)
    canonical: dict[int, tuple[str, str]] = field(default_factory=dict)

    def groups(self) -> dict[int, list[int]]:
        """Actor id -> its name ids."""
        out: dict[int, list[int]] = {}
        for name_id, actor in self.actor_of.items():
            out.setdefault(actor, []).append(name_id)
        return out


class _Clusters:
    """Union-find over name ids."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def add(self, item: int) -> None:
        self.parent.setdefault(item, item)

    def find(self, item: int) -> int:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


@dataclass
class _Person:
    ids: list[int]
    mentions: int
    articles: int
    roles: set[str]
    middles: tuple[str, ...]
    first: str
    last: str


def _choose(candidates: Sequence[_Person], roles: frozenset[str]) -> _Person | None:
    """The one candidate a partial name can be, or None when it is ambiguous."""
    if roles:
        candidates = [c for c in candidates if roles_compatible(roles, c.roles)]
    if not candidates:
        return None
    if len(candidates) == 1:
        return candidates[0]
    total = sum(c.mentions for c in candidates)
    best = max(candidates, key=lambda c: c.mentions)
    return best if total and best.mentions >= DOMINANT_SHARE * total else None


def _link_people(names: Sequence[NameStat], clusters: _Clusters) -> dict[int, str]:
    """Group person names; returns name id -> the clean written form used for canonical names."""
    written: dict[int, str] = {}
    parsed: dict[int, PersonName] = {}
    with_roles: list[NameStat] = []
    for stat in names:
        person = parse_person(stat.name)
        if person is not None:
            parsed[stat.id] = person
            written[stat.id] = person.written
            if person.role:  # "Kremlin spokesman Peskov": the role written into the name counts
                stat = NameStat(
                    stat.id, stat.type, stat.name, stat.mentions, stat.articles, stat.roles | {person.role}
                )
        with_roles.append(stat)
    names = with_roles
    # full names: same first (nickname-expanded), last and suffix; middles must agree
    buckets: dict[tuple[str, str, str], list[NameStat]] = {}
    for stat in names:
        person = parsed.get(stat.id)
        if person is not None and person.full:
            buckets.setdefault((person.first, person.last, person.suffix), []).append(stat)
    people: list[_Person] = []
    for (first, last, _suffix), stats in buckets.items():
        groups: list[_Person] = []
        with_middle = sorted((s for s in stats if parsed[s.id].middles), key=lambda s: (-s.mentions, s.id))
        without = [s for s in stats if not parsed[s.id].middles]
        for stat in with_middle:
            middles = parsed[stat.id].middles
            home = next((g for g in groups if _middles_compatible(g.middles, middles)), None)
            if home is None:
                home = _Person([], 0, 0, set(), middles, first, last)
                groups.append(home)
            home.ids.append(stat.id)
            home.mentions += stat.mentions
            home.articles += stat.articles
            home.roles |= stat.roles
        if without:
            if not groups:
                groups.append(_Person([], 0, 0, set(), (), first, last))
            home = max(groups, key=lambda g: g.mentions)
            for stat in without:
                home.ids.append(stat.id)
                home.mentions += stat.mentions
                home.articles += stat.articles
                home.roles |= stat.roles
        people.extend(groups)
    by_last: dict[str, list[_Person]] = {}
    by_first: dict[str, list[_Person]] = {}
    for person_group in people:
        for other in person_group.ids[1:]:
            clusters.union(person_group.ids[0], other)
        by_last.setdefault(person_group.last, []).append(person_group)
        by_first.setdefault(person_group.first, []).append(person_group)
    # partial names: a lone surname or first name, or an initial and a surname
    for stat in names:
        person = parsed.get(stat.id)
        if person is None or person.full:
            continue
        if person.first:  # "D. Peskov"
            candidates = [p for p in by_last.get(person.last, []) if p.first[:1] == person.first[:1]]
        else:
            candidates = by_last.get(person.last) or by_first.get(NICKNAMES.get(person.last, person.last), [])
        choice = _choose(candidates, stat.roles)
        if choice is not None and choice.articles * RARE_FULL_NAME >= stat.articles:
            clusters.union(choice.ids[0], stat.id)
    return written


def _link_others(names: Sequence[NameStat], clusters: _Clusters) -> None:
    """Group organisations, places and the rest by normalised name, then acronyms."""
    by_key: dict[tuple[str, str], list[NameStat]] = {}
    for stat in names:
        key = _org_key(stat.name)
        if key:
            by_key.setdefault((_group(stat.type), key), []).append(stat)
    # what each acronym may stand for: (group, name id, mentions) of names whose initials spell
    # it, or that carry it in brackets ("Organization for ... in Europe (OSCE)")
    expansions: dict[str, list[tuple[str, int, int]]] = {}
    acronyms: list[tuple[str, str, int]] = []
    for (group, _key), stats in by_key.items():
        head = stats[0]
        for stat in stats[1:]:
            clusters.union(head.id, stat.id)
        if group not in _ACRONYM_GROUPS:
            continue
        mentions = sum(s.mentions for s in stats)
        own = _acronym(re.sub(r"^(?:the|The)\s+", "", head.name))
        if own is not None:
            acronyms.append((group, own, head.id))
            continue
        spelled = {_initials(head.name)}
        for stat in stats:
            match = _PAREN_ACRONYM_RE.search(stat.name)
            if match:
                spelled.add(_acronym(match[1]))
        for letters in spelled:
            if letters:
                expansions.setdefault(letters, []).append((group, head.id, mentions))
    for group, letters, name_id in acronyms:
        options = expansions.get(letters, [])
        same = [o for o in options if o[0] == group]
        if not same and group in ("ORG", "PLACE"):
            same = [o for o in options if o[0] in ("ORG", "PLACE")]
        weights: dict[int, int] = {}
        for _group_name, head_id, mentions in same:
            root = clusters.find(head_id)
            weights[root] = weights.get(root, 0) + mentions
        if not weights:
            continue
        best = max(sorted(weights), key=lambda r: weights[r])
        if len(weights) == 1 or weights[best] >= DOMINANT_SHARE * sum(weights.values()):
            clusters.union(best, name_id)


def link(names: Iterable[NameStat]) -> Linking:
    """Group the corpus's distinct names into actors (see the module docstring for the rules)."""
    stats = list(names)
    clusters = _Clusters()
    for stat in stats:
        clusters.add(stat.id)
    people = [s for s in stats if s.type == "PERSON"]
    others = [s for s in stats if s.type != "PERSON"]
    written = _link_people(people, clusters)
    _link_others(others, clusters)

    result = Linking()
    members: dict[int, list[NameStat]] = {}
    for stat in stats:
        root = clusters.find(stat.id)
        members.setdefault(root, []).append(stat)
    for group in members.values():
        actor = min(s.id for s in group)
        for stat in group:
            result.actor_of[stat.id] = actor
        result.canonical[actor] = _canonical(group, written)
    return result


def _canonical(group: Sequence[NameStat], written: dict[int, str]) -> tuple[str, str]:
    """The name and type an actor is shown under."""
    types: dict[str, int] = {}
    for stat in group:
        types[stat.type] = types.get(stat.type, 0) + stat.mentions
    type_ = max(sorted(types), key=lambda t: types[t])
    forms: dict[str, int] = {}
    if type_ == "PERSON":
        for stat in group:
            form = written.get(stat.id)
            person = parse_person(stat.name)
            if form and person is not None and person.full:
                forms[form] = forms.get(form, 0) + stat.mentions
    if not forms:
        for stat in group:
            form = written.get(stat.id, stat.name) if type_ == "PERSON" else stat.name
            forms[form] = forms.get(form, 0) + stat.mentions
    best = max(sorted(forms), key=lambda f: (forms[f], -abs(len(f.split()) - 2), len(f)))
    return best, type_


# ---------------------------------------------------------------------------------- incremental keys


def index_keys(name: str, type_: str) -> set[str]:
    """The keys a name is filed under, so that a later name that may be the same actor finds it.

    A person with a first and last name is filed under both (``last:`` and ``first:``), a lone
    name under ``lone:``; an organisation or place under its folded name and the acronym it
    spells or is. Keys carry the name's group (people, places, organisations).
    """
    group = _group(type_)
    if type_ == "PERSON":
        person = parse_person(name)
        if person is None:
            return set()
        if not person.first:
            return {f"{group}:lone:{person.last}"} if person.last else set()
        return {f"{group}:last:{person.last}", f"{group}:first:{person.first}"}
    keys = {f"{group}:org:{_org_key(name)}"}
    letters = _acronym(_PAREN_ACRONYM_RE.sub("", name).strip()) or _initials(name)
    found = _PAREN_ACRONYM_RE.search(name)
    for value in (letters, found[1].replace(".", "") if found else None):
        if value:
            keys.add(f"ACRONYM:{value.upper()}")
    return keys


def probe_keys(name: str, type_: str) -> set[str]:
    """The keys under which the names that may be the same actor as this one are filed.

    A full name looks for the same surname and for lone names that are its first or last name;
    a lone name for everyone with that last or first name; organisations and places for their
    own keys (see :func:`index_keys`).
    """
    if type_ != "PERSON":
        return index_keys(name, type_)
    group = _group(type_)
    person = parse_person(name)
    if person is None:
        return set()
    if not person.first:
        nick = NICKNAMES.get(person.last, person.last)
        return {f"{group}:last:{person.last}", f"{group}:first:{person.last}", f"{group}:first:{nick}"}
    return {f"{group}:last:{person.last}", f"{group}:lone:{person.last}", f"{group}:lone:{person.first}"}
