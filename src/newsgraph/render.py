"""A readable view of an analysis for a person (``--format text``)."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from newsgraph.models import Analysis

_GROUPS = (
    ("People", {"PERSON"}),
    ("Organisations", {"ORG"}),
    ("Places", {"GPE", "LOC", "FAC"}),
    ("Groups", {"NORP"}),
)


def _clip(text: str, width: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def render(analysis: Analysis, console: Console) -> None:
    """Print who is named (with roles), who said what, places and tags."""
    meta = analysis.metadata
    head = Text(analysis.id, style="bold")
    details = ", ".join(x for x in (meta.title, meta.source, meta.published) if x)
    if details:
        head.append(f"  ({details})", style="dim")
    console.print(head)
    for title, types in _GROUPS:
        members = [e for e in analysis.entities if e.type in types]
        if not members:
            continue
        members.sort(key=lambda e: -len(e.mentions))
        console.print(f"[bold]{title}[/bold]")
        for entity in members:
            roles = f" — {escape('; '.join(entity.roles))}" if entity.roles else ""
            console.print(f"  {escape(entity.name)}{roles} [dim]({len(entity.mentions)}×)[/dim]")
    if analysis.quotes:
        console.print("[bold]Quotes[/bold]")
        for quote in analysis.quotes:
            who = quote.speaker or "[unknown]"
            mark = "“{}”" if quote.kind != "indirect" else "{}"
            console.print(
                f"  [cyan]{escape(who)}[/cyan] [dim]{escape(quote.cue or '')} · {quote.kind}[/dim]: "
                + escape(mark.format(_clip(quote.text)))
            )
    if analysis.events:
        console.print("[bold]Events[/bold]")
        for event in analysis.events:
            when = event.date or (f"({event.date_text})" if event.date_text else "undated")
            who = ", ".join(event.participants + event.parties)
            extra = f" ({event.duration})" if event.duration else ""
            console.print(
                f"  {escape(when)} [dim]{event.status} · {event.type}[/dim] {escape(event.label)}"
                + (f" — {escape(who)}" if who else "")
                + escape(extra)
            )
    if analysis.places:
        places = ", ".join(f"{p.name} ({p.country})" if p.country else p.name for p in analysis.places)
        console.print(f"[bold]Geocoded[/bold] {escape(places)}")
    if analysis.tags:
        console.print(f"[bold]Tags[/bold] {escape(', '.join(analysis.tags))}")
    if analysis.topics:
        topics = ", ".join(f"{t.label} ({t.score:.2f})" for t in analysis.topics[:5])
        console.print(f"[bold]Topics[/bold] {escape(topics)}")
    console.print()
