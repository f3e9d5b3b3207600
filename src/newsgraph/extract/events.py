"""Events: what happened, with whom, where and when.

A trigger word names the event ("talks", "met", "press conference", "accuse", "sanctions",
"protest"), typed with the PLOVER ontology. Around it, in its sentence:

- place: the place named with "in"/"at" nearest the trigger; a sentence that names several
  ("talks this week with NATO in Brussels on Wednesday and with the OSCE in Vienna on
  Thursday") gives one event per place, each with the date next to it;
- date: the date expression nearest the place or trigger (``found.dates``, resolved by the
  dates stage against the publication date), else none;
- participants: people who are the trigger verb's subject or object, or named with it ("held
  talks with", "X and his counterpart, Y", "Speaking at a briefing, X said");
- parties: countries and organisations in the same roles ("Russia is due to hold talks with
  NATO");
- status: scheduled when the event lies ahead (its date after publication, or "will", "is due
  to", "plans to"), occurred when it lies behind, reported otherwise;
- duration: "more than seven hours" when stated.

Mentions of one event in several sentences (same type and place, compatible dates) become one
record, its evidence the first mention.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from spacy.tokens import Doc, Span, Token

from newsgraph.extract.base import DateMention, Found
from newsgraph.extract.quotes import CUE_VERBS
from newsgraph.models import Event, EventPlace, Place

#: trigger lemma -> (PLOVER type, label); multi-word triggers are matched on their head noun.
TRIGGERS: dict[str, tuple[str, str]] = {
    **dict.fromkeys(["talk", "talks", "negotiation", "negotiate", "consultation"], ("CONSULT", "talks")),
    **dict.fromkeys(["meeting", "meet", "summit"], ("CONSULT", "meeting")),
    **dict.fromkeys(["briefing", "conference"], ("CONSULT", "press conference")),
    **dict.fromkeys(["visit"], ("CONSULT", "visit")),
    **dict.fromkeys(["agreement", "accord", "treaty", "deal", "ceasefire"], ("AGREE", "agreement")),
    **dict.fromkeys(["agree", "sign"], ("AGREE", "agreement")),
    **dict.fromkeys(["accuse", "accusation", "allege", "allegation", "blame"], ("ACCUSE", "accusation")),
    **dict.fromkeys(["threaten", "threat", "warn", "warning"], ("THREATEN", "warning")),
    **dict.fromkeys(["reject", "rejection", "refuse", "veto"], ("REJECT", "rejection")),
    **dict.fromkeys(["demand", "request", "appeal", "urge"], ("REQUEST", "request")),
    **dict.fromkeys(["protest", "demonstration", "march", "demonstrate"], ("PROTEST", "protest")),
    # political gatherings: a campaign rally, a debate, a speech, a hearing (a protest rally is a protest)
    "rally": ("CONSULT", "rally"),
    "debate": ("CONSULT", "debate"),
    "speech": ("CONSULT", "speech"),
    "hearing": ("CONSULT", "hearing"),
    "fundraiser": ("CONSULT", "fundraiser"),
    "stop": ("CONSULT", "campaign stop"),
    "hall": ("CONSULT", "town hall"),
    **dict.fromkeys(["sanction", "sanctions", "embargo"], ("SANCTION", "sanctions")),
    **dict.fromkeys(
        ["attack", "bombing", "airstrike", "invasion", "invade", "shelling", "bomb"], ("ASSAULT", "attack")
    ),
    **dict.fromkeys(
        ["buildup", "deployment", "deploy", "mobilization", "mobilize"], ("MOBILIZE", "military buildup")
    ),
    **dict.fromkeys(["arrest", "detain", "detention"], ("COERCE", "arrest")),
    **dict.fromkeys(["aid", "assistance"], ("AID", "aid")),
}
#: Prepositions that put a verb's subject at the event ("said during a rally", "spoke at a briefing").
_AT_EVENT = frozenset("during at in after before following ahead".split())
#: Words before a trigger that put the event ahead ("the upcoming debates").
_AHEAD = frozenset("upcoming forthcoming next future coming planned scheduled".split())
#: Triggers that are events only as nouns.
_NOUN_ONLY = frozenset("rally debate speech hearing fundraiser stop hall".split())
#: Verbs whose object names the event they take part in ("held talks", "attended a summit").
_LIGHT_VERBS = frozenset("hold attend host join moderate chair organise organize lead stage convene".split())
_FUTURE = re.compile(
    r"\b(will|would|shall|due to|is to|are to|plans? to|planned|scheduled|expected to|set to"
    r"|to be held|next|upcoming|forthcoming)\b",
    re.I,
)
_DURATION = re.compile(
    r"\b(?:(?:more|less|fewer) than|over|nearly|almost|about|around|some|at least)?\s*"
    r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|many)"
    r"\s+(?:hours?|days?|minutes?|weeks?)\b",
    re.I,
)
_PLACE_PREPOSITIONS = frozenset({"in", "at", "to", "from", "near", "outside", "inside"})
PARTY_TYPES = frozenset({"GPE", "ORG"})


@dataclass
class _Draft:
    type: str
    family: str  # the trigger table's label: "talks" and "negotiations" are one kind of event
    label: str
    trigger: Token
    sent: Span
    place: Place | None = None
    place_token: int | None = None
    date: DateMention | None = None
    participants: list[str] = field(default_factory=list)
    parties: list[str] = field(default_factory=list)
    status: Literal["occurred", "scheduled", "reported"] = "reported"
    duration: str | None = None


def _trigger(token: Token) -> tuple[str, str] | None:
    if token.pos_ not in {"NOUN", "VERB", "PROPN"}:
        return None
    hit = TRIGGERS.get(token.lemma_.lower()) or TRIGGERS.get(token.lower_)
    if hit is None:
        return None
    lemma = token.lemma_.lower()
    lefts = {t.lower_ for t in token.lefts}
    if lemma == "conference" and not lefts & {"press", "news"}:
        return None  # a "conference" alone is often not an event of this article
    if lemma in _NOUN_ONLY and token.pos_ != "NOUN":
        return None  # "to debate", "stop the war", "hearing that"
    if (lemma == "stop" and "campaign" not in lefts) or (lemma == "hall" and "town" not in lefts):
        return None
    if lemma == "rally" and any(
        w in {"protest", "protesters"} or w.startswith(("anti", "counter")) for w in lefts
    ):
        return ("PROTEST", "protest")
    if (
        token.lemma_.lower() in {"deal", "march", "aid", "visit", "talk"}
        and token.pos_ == "VERB"
        and token.lemma_ != "visit"
    ):
        return None
    return hit


def _label(token: Token, default: str) -> str:
    """The trigger's own words ("news briefing", "annual press conference", "talks")."""
    if token.pos_ != "NOUN":
        return default
    lefts = [t for t in token.lefts if t.dep_ in {"compound", "amod"} and t.is_alpha and not t.ent_type_]
    words = [*lefts, token]
    words.sort(key=lambda t: t.i)
    return " ".join(t.lower_ for t in words)


def _status(draft: _Draft, published: str | None) -> Literal["occurred", "scheduled", "reported"]:
    if any(t.lower_ in _AHEAD for t in draft.trigger.lefts):
        return "scheduled"  # "the upcoming debates", whatever day the sentence names
    if draft.date is not None and draft.date.date and published:
        day = draft.date.date[: len(published)] if draft.date.granularity == "day" else draft.date.date
        if draft.date.granularity == "day":
            if day > published:
                return "scheduled"
            if day <= published:
                return "occurred"
    head = draft.trigger if draft.trigger.pos_ == "VERB" else draft.trigger.head
    window = draft.sent.text[: max(0, head.idx + len(head.text) - draft.sent.start_char)]
    clause = window[-80:]
    if _FUTURE.search(clause):
        return "scheduled"
    if head.tag_ in {"VBD", "VBN"} or any(
        c.tag_ == "VBD" for c in head.children if c.dep_ in {"aux", "auxpass"}
    ):
        return "occurred"
    return "reported"


def extract(doc: Doc, found: Found) -> list[Event]:
    """Find the article's events; fill ``found.events``."""
    published = found.article.metadata.published
    places_by_token = _places_by_token(found)
    quoted = [(q.start, q.end) for q in found.quotes if q.kind != "indirect"]
    drafts: list[_Draft] = []
    for sent in doc.sents:
        hits = {
            t.i: h for t in sent if (h := _trigger(t)) is not None and not _in_input_spans(found, t, quoted)
        }
        for i, hit in hits.items():
            if _hypothetical(doc[i]):
                continue
            drafts.extend(_drafts_for(doc[i], sent, hit, found, places_by_token, published, set(hits)))
    events = [_record(d, found) for d in _fold_placeless(_merge(drafts)) if _worth_a_record(d)]
    found.events = events
    return events


def _hypothetical(token: Token) -> bool:
    """ "if it launched an attack": a condition, not an event."""
    for node in [token, *token.ancestors][:6]:
        if node.dep_ == "advcl" and any(c.lower_ in {"if", "unless", "whether"} for c in node.children):
            return True
    return False


#: Events that need no named actor to be news ("thousands protested in Madrid").
_ANONYMOUS = frozenset({"PROTEST", "ASSAULT", "COERCE"})


def _worth_a_record(draft: _Draft) -> bool:
    """An event needs a where or a when, and someone taking part (unless it is a protest or attack)."""
    when_or_where = draft.place is not None or (draft.date is not None and draft.date.date is not None)
    return when_or_where and (bool(draft.participants or draft.parties) or draft.type in _ANONYMOUS)


def _in_input_spans(found: Found, token: Token, spans: list[tuple[int, int]]) -> bool:
    start, _ = found.offsets(token.idx, token.idx + len(token.text))
    return any(a <= start < b for a, b in spans)


def _places_by_token(found: Found) -> dict[int, Place]:
    """doc token index -> geocoded place whose entity mention covers it."""
    by_entity = {p.entity_id: p for p in found.places if p.entity_id}
    out: dict[int, Place] = {}
    for entity_id, spans in found.entity_tokens.items():
        place = by_entity.get(entity_id)
        if place is None:
            continue
        for start, end in spans:
            for i in range(start, end):
                out[i] = place
    return out


def _anchor_verb(token: Token) -> Token:
    """The verb a trigger hangs on ("held" for "held talks", "hold" for "hold two rounds of talks")."""
    verb = token
    for _ in range(6):
        if verb.pos_ in {"VERB", "AUX"} or verb.head.i == verb.i:
            break
        verb = verb.head
    return verb


def _attachment(token: Token) -> Token | None:
    """What a place is "in"/"at": the head of its locative preposition, through "the city of"."""
    current = token
    for _ in range(5):
        head = current.head
        if head.i == current.i:
            return None
        if head.dep_ == "prep" or head.pos_ == "ADP":
            if head.lower_ in _PLACE_PREPOSITIONS:
                return head.head
            if head.lower_ != "of":
                return None
        current = head
    return None


def _participle_head(verb: Token) -> Token | None:
    """ "Speaking at a briefing ..., Peskov said": the main verb whose subject the participle shares."""
    if verb.dep_ in {"advcl", "xcomp"} and not any(c.dep_ in {"nsubj", "nsubjpass"} for c in verb.children):
        return verb.head
    return None


def _belongs(head: Token, trigger: Token, verbs: set[int], triggers: set[int]) -> bool:
    """Whether a place or date attached to ``head`` belongs to this trigger's event."""
    if head.i == trigger.i or head.i in verbs:
        return True
    node = head
    for _ in range(8):  # up from the attachment to the trigger or its verb, not through another trigger
        if node.i in triggers and node.i != trigger.i:
            return False
        if node.i == trigger.i or node.i in verbs:
            return True
        if node.head.i == node.i:
            return False
        node = node.head
    return False


def _drafts_for(
    token: Token,
    sent: Span,
    hit: tuple[str, str],
    found: Found,
    places_by_token: dict[int, Place],
    published: str | None,
    triggers: set[int],
) -> list[_Draft]:
    kind, default_label = hit
    verb = _anchor_verb(token)
    main = _participle_head(verb)
    verbs = {verb.i} | ({main.i} if main is not None else set())
    doc = sent.doc
    located: list[tuple[int, Place]] = []
    seen: set[str] = set()
    attach_party: dict[int, str] = {}  # place token -> the party it is attached to ("NATO in Brussels")
    heads: dict[int, int] = {}  # place token -> the token its preposition hangs on
    for i in range(sent.start, sent.end):
        place = places_by_token.get(i)
        if place is None or place.name in seen or (i > 0 and places_by_token.get(i - 1) is place):
            continue
        head = _attachment(doc[i])
        if head is not None and _belongs(head, token, verbs, triggers):
            located.append((i, place))
            heads[i] = head.i
            seen.add(place.name)
            named = _entity_name(found, head)
            if named is not None and named[1] in PARTY_TYPES:
                attach_party[i] = named[0]
    # "at the Manezh exhibition hall in central Moscow": the site lies in the city; the city it is
    inner = {a for a, _ in located for b, _ in located if a != b and 0 <= heads[b] - a <= 3}
    # "in Flint, Mich.": the state after the town's comma only says where the town is
    inner |= {b for a, _ in located for b, _ in located if b - a == 2 and doc[a + 1].text == ","}
    located = [(i, place) for i, place in located if i not in inner]
    dates = []
    for mention in found.dates:
        if not (sent.start_char <= mention.start < sent.end_char):
            continue
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is not None and (
            span.root.head.i in verbs | {token.i} or _belongs(span.root, token, verbs, triggers)
        ):
            dates.append(mention)
    participants, parties = _actors(token, sent, found)
    towns = {p.name for p in found.places if p.kind in {"city", "admin1"}}
    parties = [p for p in parties if p not in seen and p not in towns]
    duration = _DURATION.search(sent.text)
    targets: list[tuple[int | None, Place | None]] = [(i, p) for i, p in located] or [(None, None)]
    drafts = []
    for place_token, place in targets:
        anchor = doc[place_token].idx if place_token is not None else token.idx
        # with several places, each takes the date right after it ("in Brussels on Wednesday")
        near = [d for d in dates if 0 <= d.start - anchor <= 40] if len(targets) > 1 else dates
        date: DateMention | None = min(near or dates, key=lambda d: abs(d.start - anchor), default=None)
        own = attach_party.get(place_token) if place_token is not None else None
        shared = [p for p in parties if p not in attach_party.values()]
        draft = _Draft(
            type=kind,
            family=default_label,
            label=_label(token, default_label),
            trigger=token,
            sent=sent,
            place=place,
            place_token=place_token,
            date=date,
            participants=list(participants),
            parties=shared + ([own] if own and own not in shared else []),
            duration=duration.group().strip() if duration and kind == "CONSULT" else None,
        )
        draft.status = _status(draft, published)
        past = draft.date.date if draft.date is not None else None
        if draft.status == "scheduled" and published and past and past[:10] < published[:10]:
            draft.date = None  # a day already past is not the day of an event still ahead
        drafts.append(draft)
    return drafts


def _entity_name(found: Found, token: Token) -> tuple[str, str] | None:
    entity = found.entity(found.token_entity.get(token.i))
    return (entity.name, entity.type) if entity is not None else None


def _actors(token: Token, sent: Span, found: Found) -> tuple[list[str], list[str]]:
    """People and parties taking part: the trigger's arguments and those of the verb it hangs on."""
    heads: list[Token] = [token]
    verb = token
    while (
        verb.pos_ != "VERB"
        and verb.head.i != verb.i
        and verb.dep_ in {"dobj", "pobj", "prep", "nsubj", "compound", "attr", "conj", "appos"}
    ):
        verb = verb.head
    if verb.i != token.i:
        heads.append(verb)
    # "Russia is due to hold talks": the subject sits on a verb above
    climb = verb
    for _ in range(3):
        if any(c.dep_ in {"nsubj", "nsubjpass"} for c in climb.children) or climb.head is climb:
            break
        if climb.dep_ not in {"xcomp", "ccomp", "acomp", "conj"}:
            break
        climb = climb.head
        heads.append(climb)
    # "Speaking at a news briefing ..., Peskov said": the participle's subject is the main clause's
    main = _participle_head(verb)
    if main is not None:
        heads.append(main)
    under_verb = next((a for a in [token, *token.ancestors] if a.head.i == verb.i and a.i != verb.i), None)
    at_it = under_verb is not None and under_verb.dep_ == "prep" and under_verb.lower_ in _AT_EVENT
    people: list[str] = []
    parties: list[str] = []
    for head in heads:
        # "Peskov described the talks": who speaks of an event is not in it
        # ... unless it speaks at it: "X criticised the law during a campaign stop"
        talks_about = head is not token and head is not main and head.lemma_ in CUE_VERBS and not at_it
        for child in head.children:
            if child.dep_ not in {
                "nsubj",
                "nsubjpass",
                "dobj",
                "prep",
                "agent",
                "poss",
                "compound",
                "dative",
            }:
                continue
            if talks_about and child.dep_ in {"nsubj", "nsubjpass", "agent", "dative"}:
                continue
            for t in child.subtree:
                if not (sent.start <= t.i < sent.end):
                    continue
                if t.dep_ == "relcl" or t.dep_ == "ccomp":
                    break
                named = _entity_name(found, t)
                if named is None:
                    continue
                name, kind = named
                target = people if kind == "PERSON" else parties if kind in PARTY_TYPES else None
                if target is not None and name not in target:
                    target.append(name)
    return people, parties


def _merge(drafts: list[_Draft]) -> list[_Draft]:
    merged: list[_Draft] = []
    for draft in drafts:
        same = next((m for m in merged if _same_event(m, draft)), None)
        if same is None:
            merged.append(draft)
            continue
        same.participants += [p for p in draft.participants if p not in same.participants]
        same.parties += [p for p in draft.parties if p not in same.parties]
        if same.date is None or (same.date.date is None and draft.date is not None):
            same.date = draft.date
            same.status = draft.status if draft.status != "reported" else same.status
        if same.place is None:
            same.place = draft.place
        same.duration = same.duration or draft.duration
    return merged


def _fold_placeless(merged: list[_Draft]) -> list[_Draft]:
    """An event named without a place joins the one placed event of its kind on the same date."""
    out = []
    for draft in merged:
        day = draft.date.date if draft.date else None
        placed = [
            m
            for m in merged
            if m.place is not None
            and m.type == draft.type
            and m.family == draft.family
            and m.date
            and m.date.date == day
        ]
        if draft.place is None and day is not None and len(placed) == 1:
            target = placed[0]
            target.participants += [p for p in draft.participants if p not in target.participants]
            target.parties += [p for p in draft.parties if p not in target.parties]
            continue
        out.append(draft)
    return out


def _same_event(a: _Draft, b: _Draft) -> bool:
    if a.type != b.type or a.family != b.family:
        return False
    if a.place is not None and b.place is not None:
        if a.place.name != b.place.name:
            return False
    elif a.place is not None or b.place is not None:
        return (
            a.date is not None
            and b.date is not None
            and a.date.date == b.date.date
            and a.date.date is not None
        )
    da = a.date.date if a.date else None
    db = b.date.date if b.date else None
    return da is None or db is None or da == db


def _record(draft: _Draft, found: Found) -> Event:
    start, end = found.offsets(draft.sent.start_char, draft.sent.end_char)
    text = found.article.text
    while end > start and text[end - 1].isspace():
        end -= 1
    place = draft.place
    label = draft.label + (f" in {place.name}" if place is not None else "")
    return Event(
        type=draft.type,
        label=label,
        participants=draft.participants,
        parties=draft.parties,
        place=EventPlace(name=place.name, country=place.country, lat=place.lat, lon=place.lon)
        if place
        else None,
        date=draft.date.date if draft.date and draft.date.granularity == "day" else None,
        date_text=draft.date.text if draft.date else None,
        status=draft.status,
        duration=draft.duration,
        start=start,
        end=end,
    )
