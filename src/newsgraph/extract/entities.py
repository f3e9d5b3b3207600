"""Entities: people, organisations, places and groups, one canonical name per actor.

Mentions come from the parser's named entities, trimmed of determiners, possessive
endings and leading titles. Mentions of one actor are merged: a surname or first name joins
the full name it belongs to ("Peskov" -> "Dmitry Peskov"), an acronym joins the name it
abbreviates ("OSCE" -> "Organization for Security and Cooperation in Europe"), country aliases
join ("US" -> "United States"). Roles of people come from pre-modifiers ("Kremlin spokesman
Dmitry Peskov") and appositions ("Alexander Grushko, Russia's deputy foreign minister", "his
American counterpart, Wendy Sherman").
"""

from __future__ import annotations

import re
import string
from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from newsgraph.extract import mentions
from newsgraph.extract.base import Found
from newsgraph.extract.lexicon import (
    DETERMINERS,
    HONORIFICS,
    ORG_HEADS,
    PLATFORMS,
    TITLE_WORDS,
    canonical_country,
    demonyms,
    first_name_genders,
    is_outlet_name,
    is_person_noun,
    is_region,
)
from newsgraph.models import Entity, Mention

#: Named-entity labels kept as entities (numbers, dates and amounts are not actors).
LABELS = frozenset("PERSON NORP FAC ORG GPE LOC PRODUCT EVENT WORK_OF_ART LAW LANGUAGE".split())
#: Nouns after a name that make it a building or site, not a person ("Manezh hall").
FACILITY_NOUNS = frozenset(
    """hall square stadium arena center centre airport station street avenue road bridge palace
    tower building museum theater theatre cathedral church mosque temple park hotel university
    college school hospital prison exhibition gallery library""".split()
)
_STOP_INITIALS = frozenset("of for and the in on at to de du la le des del".split())
_NAME_TOKEN = re.compile(r"^[A-Z][\w'.-]*$")
_DASHES = frozenset({"-", "--", "—", "–"})
#: Labels of names that never end in a number ("H. Morris 69" is "H. Morris"; not "Area 51").
_NUMBERLESS = frozenset("PERSON GPE LOC".split())
#: Parts of speech of a capitalised word the parser took into a person's name, which is none of it.
_NOT_FIRST_NAMES = frozenset("VERB ADV ADP SCONJ CCONJ DET INTJ".split())
_NOT_ROLE_ENTITIES = frozenset("PERSON DATE TIME CARDINAL ORDINAL MONEY PERCENT QUANTITY".split())
_ROLE_BREAK_POS = frozenset("DET VERB AUX ADP CCONJ SCONJ PRON NUM PART SPACE INTJ".split())


@dataclass
class _Cluster:
    label: Counter[str] = field(default_factory=Counter)
    names: Counter[str] = field(default_factory=Counter)
    spans: list[Span] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)

    @property
    def first(self) -> int:
        return min(s.start for s in self.spans)

    def add(self, span: Span, label: str, name: str) -> None:
        self.spans.append(span)
        self.label[label] += 1
        self.names[name] += 1


#: Verbs of headlines that follow a name ("Flynn Says ...", "Trump Tells ...").
_HEADLINE_VERBS = frozenset("says tells warns urges slams blasts calls asks vows claims rips".split())


def _clean_name(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" .,;:-\"'")
    return re.sub(r"^(?:the|The)\s+", "", text)


def _trim(ent: Span) -> tuple[Span, list[Token]] | None:
    """Trim an entity span; return it with the title tokens cut from its start (people)."""
    start, end = ent.start, ent.end
    doc = ent.doc
    for i in range(start, end):  # never cross a line break
        if "\n" in doc[i].text or ("\n" in doc[i].whitespace_ and i < end - 1):
            end = i + 1 if "\n" not in doc[i].text else i
            break
    while start < end and (doc[start].lower_ in {"the", "a", "an"} or doc[start].is_punct):
        start += 1
    for i in range(start + 1, end):  # a name never runs over a colon, a quote mark, a bracket, a spaced dash
        tok = doc[i]
        possessive = tok.tag_ == "POS" and not doc[i - 1].whitespace_ and i + 1 < end  # "Fishmongers' Hall"
        if (
            tok.text in {":", ";", "(", ")", "[", "]"}
            or (tok.is_quote and not possessive)
            or (tok.text in _DASHES and doc[i - 1].whitespace_)
        ):
            end = i
            break
    while end > start and (
        doc[end - 1].tag_ == "POS"
        or doc[end - 1].is_punct
        or doc[end - 1].is_space
        or (ent.label_ in _NUMBERLESS and not any(c.isalpha() for c in doc[end - 1].text))
    ):
        end -= 1  # "H. Morris 69", "Dublin Newsroom +353"
    titles: list[Token] = []
    if (
        ent.label_ in {"PERSON", "ORG"}
        and end - start >= 3
        and doc[start].lower_ in demonyms()
        and (ent.label_ == "PERSON" or doc[start + 1].lower_ in first_name_genders())
    ):  # "Mexican Ariel Cruz", "American Dennis Mitchell": a nationality, then the person
        ent = Span(doc, start + 1, end, label="PERSON")
        start += 1
    elif (
        ent.label_ in {"PERSON", "ORG"}
        and end - start >= 3
        and is_region(doc[start].text)
        and _name_of_a_person(doc[start + 1 : end])
        and doc[start].i > 0
        and doc[start - 1].lower_ in {"of", "from", "for"}
    ):  # "Prime Minister of India Narendra Modi", "Senator from Vermont Bernie Sanders"
        ent = Span(doc, start + 1, end, label="PERSON")
        start += 1
    if ent.label_ == "PERSON":
        # a verb or a function word that opens a sentence is no first name: "Make Melbourne a ..."
        while end - start > 1 and doc[start].pos_ in _NOT_FIRST_NAMES:
            start += 1
        # a headline verb the model took into the name: "Obama Says African-American Museum ..."
        while end - start > 1 and doc[end - 1].lower_ in _HEADLINE_VERBS:
            end -= 1
        # a country written in capitals after a byline's name: "By: Henry Lazenby US-based ..."
        while end - start > 2 and doc[end - 1].is_upper and canonical_country(doc[end - 1].text):
            end -= 1
        while end - start > 1 and (
            doc[start].lower_.strip(".") in TITLE_WORDS or doc[start].lower_ in HONORIFICS
        ):
            titles.append(doc[start])
            start += 1
    if end <= start:
        return None
    if ent.label_ == "PERSON":  # the model sometimes leaves out the first name: "Dmitry Peskov spoke"
        while (
            start > ent.sent.start
            and doc[start - 1].pos_ == "PROPN"
            and doc[start - 1].dep_ == "compound"
            and start <= doc[start - 1].head.i < end
            and not doc[start - 1].ent_type_
            and doc[start - 1].is_title
            and doc[start - 1].lower_.strip(".") not in TITLE_WORDS
            and doc[start - 1].lower_ not in HONORIFICS
        ):
            start -= 1
    span = Span(doc, start, end, label=ent.label_)
    if not any(ch.isalpha() for ch in span.text):  # "U.S." is a name
        return None
    if ent.label_ == "PERSON" and not span.text[:1].isupper():
        return None
    return span, titles


def _name_of_a_person(span: Span) -> bool:
    """Whether words read as a person's name: a known first name, or proper nouns that end in no
    organisation's head word ("Narendra Modi"; not "Mutual Fund")."""
    if span[0].lower_ in first_name_genders():
        return True
    return len(span) >= 2 and all(t.pos_ == "PROPN" for t in span) and span[-1].text not in ORG_HEADS


def _role_text(tokens: list[Token]) -> str | None:
    """A role from a run of tokens, when it names a position ("Kremlin spokesman")."""
    while tokens and (
        tokens[0].lower_ in DETERMINERS or tokens[0].lower_ in HONORIFICS or tokens[0].is_punct
    ):
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_punct or tokens[-1].lower_ in HONORIFICS or tokens[-1].pos_ == "ADP"):
        tokens = tokens[:-1]  # and a dangling "chairman of"
    if not tokens or len(tokens) > 10:
        return None
    words = {t.lower_.strip(".") for t in tokens}
    hyphenated = {w for t in tokens for w in t.lower_.split("-")}
    last = tokens[-1]
    if not (last.pos_ in {"NOUN", "PROPN"} and is_person_noun(last.lower_)):
        # the head names no person ("presidential debate", "editor's note"): a title word must
        # carry it, as in "Minister of Agriculture" or "Rep."
        if not (words | hyphenated) & TITLE_WORDS:
            return None
        if last.pos_ == "NOUN" and not words & {"of", "at", "for", "to"}:
            return None
    if all(t.ent_type_ and t.ent_type_ not in ("NORP",) and t.pos_ == "PROPN" for t in tokens):
        return None  # just another name
    text = "".join(t.text_with_ws for t in tokens).strip()
    return re.sub(r"\s+", " ", text)


def _premodifier_role(span: Span, titles: list[Token]) -> str | None:
    doc = span.doc
    tokens = list(titles)
    i = (titles[0].i if titles else span.start) - 1
    sent_start = span.sent.start
    while i >= sent_start and len(tokens) < 10:
        tok = doc[i]
        if tok.is_space or "\n" in tok.whitespace_ or (tok.is_punct and tok.text not in {"-", "."}):
            break
        if tok.tag_ == "POS":  # "Russia's deputy foreign minister"
            tokens.insert(0, tok)
            i -= 1
            continue
        before = doc[i - 1] if i > sent_start else None
        title_of = tok.lower_ == "of" and before is not None and before.lower_.strip(".") in TITLE_WORDS
        of_the = tok.lower_ == "the" and before is not None and before.lower_ == "of"
        if title_of or of_the:  # "Minister of Agriculture", "Chancellor of the Exchequer"
            tokens.insert(0, tok)
            i -= 1
            continue
        if tok.pos_ in _ROLE_BREAK_POS or tok.ent_type_ in _NOT_ROLE_ENTITIES:
            break
        if tok.pos_ not in {"PROPN", "NOUN", "ADJ", "PUNCT", "X"}:
            break
        tokens.insert(0, tok)
        i -= 1
    if not tokens:
        return None
    if tokens and tokens[0].tag_ == "POS":
        tokens = tokens[1:]
    return _role_text(tokens)


def _apposition_roles(span: Span) -> list[str]:
    doc = span.doc
    roles: list[str] = []
    root = span.root
    for child in root.children:  # "Alexander Grushko, Russia's deputy foreign minister, said"
        if child.dep_ == "appos" and child.i >= span.end and child.ent_type_ != "PERSON":
            end = child.i + 1
            while end < len(doc) and end <= child.right_edge.i and not doc[end].is_punct:
                end += 1
            role = _role_text(list(doc[child.left_edge.i : end]))
            if role:
                roles.append(role)
    head = root.head
    if root.dep_ == "appos" and head.i < span.start and head.pos_ == "NOUN" and head.ent_type_ != "PERSON":
        role = _role_text(
            list(doc[head.left_edge.i : head.i + 1])
        )  # "his American counterpart, Wendy Sherman"
        if role:
            roles.append(role)
    if not roles and span.end + 2 < len(doc) and doc[span.end].text == ",":
        # parser missed the apposition: ", <det/possessor> ... <title noun> ,"
        j = span.end + 1
        while (
            j < len(doc) and j - span.end <= 9 and not doc[j].is_punct and doc[j].pos_ not in {"VERB", "AUX"}
        ):
            j += 1
        if j < len(doc) and doc[j].text in {",", ".", ";"} and j > span.end + 1:
            tokens = list(doc[span.end + 1 : j])
            if tokens[0].pos_ in {"DET", "ADJ", "PROPN", "NOUN"} and not any(
                t.ent_type_ == "PERSON" for t in tokens
            ):
                role = _role_text(tokens)
                if role and {t.lower_ for t in tokens} & TITLE_WORDS:
                    roles.append(role)
    return roles


def _initials(name: str) -> str:
    return "".join(
        w[0] for w in re.findall(r"[A-Za-z][\w-]*", name) if w.lower() not in _STOP_INITIALS
    ).upper()


def _person_key(name: str) -> list[str]:
    return [t for t in name.replace(".", ". ").split() if t]


def _compatible(full_a: list[str], full_b: list[str]) -> bool:
    """Two multi-token person names of one person ("Dmitry Peskov", "Dmitry S. Peskov")."""
    if full_a[-1].lower() != full_b[-1].lower():
        return False
    a, b = full_a[0].rstrip(".").lower(), full_b[0].rstrip(".").lower()
    return a == b or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))


def extract(doc: Doc, found: Found) -> list[Entity]:
    """Find the article's entities; fill ``found.entities`` and its token maps."""
    people: list[_Cluster] = []
    others: dict[str, _Cluster] = {}
    singles: list[tuple[Span, str, list[Token]]] = []
    other_spans: list[tuple[Span, str]] = []

    credit = _credit_span(doc, found)  # "(Photo by AFP)": an organisation, whatever the model says
    if credit is not None:
        other_spans.append((credit, credit.text))
    outlet = outlet_key(found)
    model: list[tuple[Span, list[Token]]] = []
    for ent in doc.ents:
        if ent.label_ not in LABELS or (
            credit is not None and ent.start < credit.end and credit.start < ent.end
        ):
            continue
        trimmed = _trim(ent)
        if trimmed is None:
            continue
        span, titles = trimmed
        name = _clean_name(span.text)
        if not name:
            continue
        if (
            name.lower() in PLATFORMS
            or is_outlet_name(name)
            or (outlet and name.lower().replace(" ", "") == outlet)
        ):
            span = Span(doc, span.start, span.end, label="ORG")  # "Twitter", "told Wikinews": never a person
        elif ent.label_ == "PERSON" and span.end < len(doc) and doc[span.end].lower_ in FACILITY_NOUNS:
            span = Span(doc, span.start, span.end, label="FAC")  # "the Manezh exhibition hall"
        model.append((span, titles))
    for span, titles in mentions.find(doc, model):
        name = _clean_name(span.text)
        if not name:
            continue
        if span.label_ == "PERSON":
            parts = _person_key(name)
            if len(parts) == 1:
                singles.append((span, name, titles))
                continue
            cluster = next(
                (c for c in people if _compatible(_person_key(c.names.most_common(1)[0][0]), parts)), None
            )
            if cluster is None:
                cluster = _Cluster()
                people.append(cluster)
            cluster.add(span, "PERSON", name)
            _add_roles(cluster, span, titles)
        else:
            other_spans.append((span, name))

    # single names join the nearest full name they belong to
    for span, name, titles in singles:
        cluster = _person_for(people, name, span.start)
        if cluster is None:
            cluster = _Cluster()
            people.append(cluster)
        cluster.add(span, "PERSON", name)
        _add_roles(cluster, span, titles)

    for span, name in other_spans:
        # a country's name is nobody's surname ("US" beside a byline "Henry Lazenby US")
        country_name = span.label_ in {"GPE", "NORP", "LOC"} and canonical_country(name)
        person = None if country_name else _person_for(people, name, span.start, surname_only=True)
        if person is not None:  # a person the tagger mislabelled in this mention
            person.add(span, "PERSON", name)
            continue
        label = span.label_
        country = canonical_country(name) if label in {"GPE", "LOC", "ORG", "NORP"} else None
        if country:
            name, label = country, "GPE"
        key = name.lower()
        cluster = others.setdefault(key, _Cluster())
        cluster.add(span, label, name)

    _merge_acronyms(others, found.repaired.text)

    clusters = people + list(others.values())
    clusters.sort(key=lambda c: c.first)
    entities: list[Entity] = []
    for n, cluster in enumerate(clusters, 1):
        entity_id = f"e{n}"
        label = cluster.label.most_common(1)[0][0]
        entity = Entity(
            id=entity_id,
            name=_canonical(cluster, label),
            type=label,
            roles=_dedupe(cluster.roles),
            mentions=sorted((found.mention(s) for s in cluster.spans), key=lambda m: m.start),
        )
        entities.append(entity)
        found.entity_tokens[entity_id] = sorted((s.start, s.end) for s in cluster.spans)
        for s in cluster.spans:
            for i in range(s.start, s.end):
                found.token_entity[i] = entity_id
    found.entities = entities
    return entities


def outlet_key(found: Found) -> str | None:
    """The name the article's own site goes by, from its domain ("en.wikinews.org": "wikinews")."""
    source = (found.article.metadata.source or "").lower().removeprefix("www.")
    labels = [w for w in source.split(".") if w]
    if len(labels) < 2:
        return None
    # the label before the public suffix: "bbc" of "bbc.co.uk", "wikinews" of "en.wikinews.org"
    short = [w for w in labels[:-1] if len(w) > 3 or w not in {"co", "com", "org", "net", "gov", "ac"}]
    return short[-1] if short and len(short[-1]) > 2 else None


def _credit_span(doc: Doc, found: Found) -> Span | None:
    """The photo credit of the caption ("(Photo by AFP)") as an organisation mention."""
    credit = found.article.metadata.photo_credit
    caption = next((z for z in found.article.zones if z.kind == "caption"), None)
    if not credit or caption is None:
        return None
    at = found.repaired.text.rfind(credit, 0, caption.end + 1)
    if at < 0:
        return None
    span = doc.char_span(at, at + len(credit), label="ORG")
    return span


def _add_roles(cluster: _Cluster, span: Span, titles: list[Token]) -> None:
    role = _premodifier_role(span, titles)
    if role:
        cluster.roles.append(role)
    cluster.roles.extend(_apposition_roles(span))


def _person_for(people: list[_Cluster], name: str, at: int, *, surname_only: bool = False) -> _Cluster | None:
    """The person cluster a single name belongs to: the most recently mentioned one."""
    word = name.split()[-1].lower() if not surname_only else name.lower()
    if " " in name and not surname_only:
        return None
    candidates = []
    for c in people:
        full = [n for n in c.names if " " in n]
        if not full:
            if not surname_only and any(n.lower() == word for n in c.names):
                candidates.append(c)
            continue
        parts = _person_key(max(full, key=len))
        if parts[-1].lower() == word or (not surname_only and parts[0].lower() == word):
            candidates.append(c)
    if not candidates:
        return None

    def recency(c: _Cluster) -> tuple[int, int]:
        before = [s.start for s in c.spans if s.start <= at]
        return (1, max(before)) if before else (0, -min(s.start for s in c.spans))

    return max(candidates, key=recency)


_BRACKETED_ACRONYM = re.compile(r"\(\s*([A-Z]{2,8})\s*\)")


def _abbreviates(acronym: str, name: str) -> bool:
    """Whether the acronym's letters start words of the name in order ("ISIL"; not "AP" for "NEW YORK")."""
    initials = "".join(w[0] for w in re.findall(r"[A-Za-z][\w-]*", name)).upper()
    position = 0
    for letter in acronym:
        position = initials.find(letter, position) + 1
        if position == 0:
            return False
    return initials[:1] == acronym[:1]


def _merge_acronyms(others: dict[str, _Cluster], text: str) -> None:
    """Merge "OSCE" into "Organization for Security and Cooperation in Europe".

    An acronym joins the long name whose initials it is, or the one it follows in brackets.
    """
    bracketed = {
        m.group(1): text[max(0, m.start() - 120) : m.start()].rstrip()
        for m in _BRACKETED_ACRONYM.finditer(text)
    }
    long_names = [(other, other.names.most_common(1)[0][0]) for key, other in others.items() if " " in key]
    initials = [(other, long_name, _initials(long_name)) for other, long_name in long_names]
    for key, cluster in list(others.items()):
        name = cluster.names.most_common(1)[0][0]
        if not (2 <= len(name) <= 8 and name.isupper() and name.isalpha()):
            continue
        before = bracketed.get(name, "")
        target = next(
            (
                other
                for other, long_name, init in initials
                if init == name or (before.endswith(long_name) and _abbreviates(name, long_name))
            ),
            None,
        )
        if target is not None:
            for span in cluster.spans:
                target.add(span, span.label_, name)
            target.names[name] = 0
            del others[key]


def _canonical(cluster: _Cluster, label: str) -> str:
    names = [n for n, c in cluster.names.most_common() if c > 0] or list(cluster.names)
    # a dateline or headline in capitals ("FLINT, Mich.") gives way to the name as written in the text
    written = [n for n in names if not (n.isupper() and len(n) > 4)]
    if not written and label in {"GPE", "LOC", "FAC", "PERSON"}:  # "BEIRUT (AP) -" alone: "Beirut"
        written = [string.capwords(n) for n in names]
        cluster.names.update({n: cluster.names[n.upper()] for n in written})
    written = written or names
    if label == "PERSON":
        full = [n for n in written if " " in n]
        if full:
            best = max(full, key=lambda n: (len(_person_key(n)) >= 2, cluster.names[n], len(n)))
            return best
    multi = [n for n in written if " " in n and label in {"ORG", "GPE", "LOC", "FAC"}]
    if multi:
        return max(multi, key=lambda n: (cluster.names[n], len(n)))
    return max(written, key=lambda n: cluster.names[n])


def _dedupe(roles: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for r in roles:
        key = r.lower().replace("'s", "s")
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


def is_outlet(name: str, found: Found) -> bool:
    """Whether a name is a news outlet's: by its form ("Wikinews") or as the article's own site."""
    key = outlet_key(found)
    return is_outlet_name(name) or (key is not None and name.lower().replace(" ", "") == key)


__all__ = ["LABELS", "Mention", "extract", "is_outlet", "outlet_key"]
