"""Hand-built analysed articles for the store, corpus, export and CLI tests (no model needed).

``make(id, text, people=..., orgs=..., quotes=...)`` finds each surface form in ``text`` for
the mentions, so offsets are real; :func:`build_store` writes records and runs the passes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from newsgraph.corpus.passes import run_passes
from newsgraph.models import (
    Analysis,
    Article,
    Entity,
    Event,
    EventPlace,
    Mention,
    Metadata,
    Place,
    Quote,
    Topic,
)
from newsgraph.store import Store, open_store, prepare

#: (canonical name, type, roles, surface forms searched in the text)
EntitySpec = tuple[str, str, Sequence[str], Sequence[str]]
#: (quote text, speaker name or None, kind, cue)
QuoteSpec = tuple[str, str | None, str, str]


def mentions(text: str, forms: Iterable[str]) -> list[Mention]:
    """Every occurrence of each form in the text, in text order."""
    found = [
        Mention(start=m.start(), end=m.end(), text=m.group(0))
        for form in forms
        for m in re.finditer(rf"(?<!\w){re.escape(form)}(?!\w)", text)
    ]
    return sorted(found, key=lambda m: m.start)


def make(
    id: str,
    text: str,
    *,
    entities: Sequence[EntitySpec] = (),
    quotes: Sequence[QuoteSpec] = (),
    places: Sequence[tuple[str, str | None, float | None, float | None, str | None]] = (),
    events: Sequence[Event] = (),
    published: str | None = None,
    url: str | None = None,
    source: str | None = None,
    title: str | None = None,
    tags: Sequence[str] = (),
    topics: Sequence[Topic] = (),
) -> tuple[Article, Analysis]:
    """An article and its analysis, with mentions and quote offsets found in ``text``."""
    meta = Metadata(url=url, source=source, title=title, published=published)
    built: list[Entity] = []
    for i, (name, type_, roles, forms) in enumerate(entities, 1):
        built.append(
            Entity(
                id=f"e{i}", name=name, type=type_, roles=list(roles), mentions=mentions(text, forms or [name])
            )
        )
    by_name = {e.name: e for e in built}
    quote_records = []
    for quote_text, speaker, kind, cue in quotes:
        start = text.index(quote_text)
        speaker_entity = by_name.get(speaker) if speaker else None
        quote_records.append(
            Quote(
                text=quote_text,
                start=start,
                end=start + len(quote_text),
                kind=kind,  # type: ignore[arg-type]
                speaker=speaker,
                speaker_id=speaker_entity.id if speaker_entity else None,
                cue=cue,
            )
        )
    place_records = [
        Place(
            name=name,
            country=country,
            lat=lat,
            lon=lon,
            kind=kind,
            entity_id=by_name[name].id if name in by_name else None,
            mentions=mentions(text, [name]),
        )
        for name, country, lat, lon, kind in places
    ]
    analysis = Analysis(
        id=id,
        metadata=meta,
        entities=built,
        quotes=quote_records,
        events=list(events),
        places=place_records,
        tags=list(tags),
        topics=list(topics),
    )
    return Article(id=id, text=text, metadata=meta), analysis


def event(text: str, evidence: str, **fields: object) -> Event:
    """An event whose evidence span is ``evidence`` in ``text``."""
    start = text.index(evidence)
    place = fields.pop("place", None)
    return Event(
        start=start,
        end=start + len(evidence),
        place=EventPlace(**place) if isinstance(place, dict) else None,
        **fields,  # type: ignore[arg-type]
    )


# ---------------------------------------------------------------------------------- a corpus

GENEVA = (
    "Kremlin spokesman Dmitry Peskov said on Tuesday the talks in Geneva gave no reason for optimism. "
    '"We see no real reason to be optimistic so far," Peskov said. '
    "US Deputy Secretary of State Wendy Sherman held talks with Sergei Ryabkov in Geneva."
)
BRUSSELS = (
    "Dmitry S. Peskov said the meeting with the North Atlantic Treaty Organization in Brussels "
    "would be hard. "
    '"NATO must listen to our concerns about expansion," Peskov told reporters. '
    "NATO Secretary-General Jens Stoltenberg met the Russian delegation in Brussels."
)
BRUSSELS_COPY = BRUSSELS.replace("would be hard", "would be difficult") + " More talks follow in Vienna."
HARBOUR = (
    "The city council of Port Elgin approved a harbour plan. Mayor Helen Marsh called the vote "
    '"a turning point for the town". Councillor Peter Osei voted against the harbour plan.'
)
CLINTON = (
    "Former President Bill Clinton campaigned in Iowa. Chelsea Clinton joined him. "
    '"We need a fair economy," Clinton said in Des Moines.'
)


def corpus() -> list[tuple[Article, Analysis]]:
    """Five hand-built articles: two on Russia's talks (one with a syndicated copy) and two others."""
    return [
        make(
            "geneva",
            GENEVA,
            entities=[
                ("Dmitry Peskov", "PERSON", ["Kremlin spokesman"], ["Dmitry Peskov", "Peskov"]),
                ("Geneva", "GPE", [], []),
                ("Wendy Sherman", "PERSON", ["US Deputy Secretary of State"], []),
                ("Sergei Ryabkov", "PERSON", [], []),
            ],
            quotes=[
                ("We see no real reason to be optimistic so far,", "Dmitry Peskov", "direct", "said"),
                ("the talks in Geneva gave no reason for optimism", "Dmitry Peskov", "indirect", "said"),
            ],
            places=[("Geneva", "CH", 46.20222, 6.14569, "city")],
            events=[
                event(
                    GENEVA,
                    "held talks with Sergei Ryabkov in Geneva",
                    type="CONSULT",
                    label="talks",
                    participants=["Wendy Sherman", "Sergei Ryabkov"],
                    parties=["United States", "Russia"],
                    place={"name": "Geneva", "country": "CH", "lat": 46.20222, "lon": 6.14569},
                    date="2022-01-10",
                    status="occurred",
                )
            ],
            published="2022-01-11",
            url="https://www.ansarpress.com/english/26044",
            source="ansarpress.com",
            title="Kremlin sees no reason for optimism",
            tags=["Russia", "Dmitry Peskov", "Geneva"],
        ),
        make(
            "brussels",
            BRUSSELS,
            entities=[
                ("Dmitry S. Peskov", "PERSON", [], ["Dmitry S. Peskov", "Peskov"]),
                ("North Atlantic Treaty Organization", "ORG", [], []),
                ("NATO", "ORG", [], []),
                ("Brussels", "GPE", [], []),
                ("Jens Stoltenberg", "PERSON", ["NATO Secretary-General"], []),
            ],
            quotes=[
                ("NATO must listen to our concerns about expansion,", "Dmitry S. Peskov", "direct", "told")
            ],
            places=[("Brussels", "BE", 50.85045, 4.34878, "city")],
            published="2022-01-12",
            url="https://news.example.org/2022/01/12/brussels",
            source="news.example.org",
            title="Peskov: NATO must listen",
        ),
        make(
            "brussels-copy",
            BRUSSELS_COPY,
            entities=[
                ("Kremlin spokesman Dmitry Peskov", "PERSON", [], ["Dmitry S. Peskov", "Peskov"]),
                ("North Atlantic Treaty Organization", "ORG", [], []),
                ("NATO", "ORG", [], []),
                ("Brussels", "GPE", [], []),
                ("Jens Stoltenberg", "PERSON", ["NATO Secretary-General"], []),
            ],
            quotes=[("NATO must listen to our concerns about expansion,", "Peskov", "direct", "told")],
            places=[("Brussels", "BE", 50.85045, 4.34878, "city")],
            published="2022-01-12",
            url="https://wire.example.com/russia-nato",
            source="wire.example.com",
        ),
        make(
            "harbour",
            HARBOUR,
            entities=[
                ("Helen Marsh", "PERSON", ["Mayor"], []),
                ("Peter Osei", "PERSON", ["Councillor"], []),
                ("Port Elgin", "GPE", [], []),
            ],
            quotes=[("a turning point for the town", "Helen Marsh", "mixed", "called")],
            places=[("Port Elgin", "CA", None, None, "city")],
            published="2022-03-01",
            source="harbour.example",
        ),
        make(
            "clinton",
            CLINTON,
            entities=[
                ("Bill Clinton", "PERSON", ["Former President"], ["Bill Clinton", "Clinton"]),
                ("Chelsea Clinton", "PERSON", [], []),
                ("Iowa", "GPE", [], []),
                ("Des Moines", "GPE", [], []),
            ],
            quotes=[("We need a fair economy,", "Bill Clinton", "direct", "said")],
            places=[("Iowa", "US", None, None, "admin1"), ("Des Moines", "US", 41.60054, -93.60911, "city")],
            published="2015-12-01",
        ),
    ]


def build_store(target: Path | str, records: Sequence[tuple[Article, Analysis]] | None = None) -> Store:
    """A store at ``target`` (a path or a PostgreSQL URL) holding ``records`` (default: :func:`corpus`).

    The corpus passes have run.
    """
    store = open_store(target)
    store.write([prepare(article, analysis) for article, analysis in (records or corpus())])
    run_passes(store)
    return store
