"""The ``newsgraph`` command: a thin layer that turns library results into output and exit codes.

Exit codes, every command: 0 all done, 1 some inputs failed, 2 every input failed or a usage
error (a bad option, a query too long, an empty name), 3 an internal error (one line naming a
log file that holds the traceback), 4 the store failed (disk full, a lock held too long, a
corrupted or unwritable store, a query past its time limit; what was stored before is kept);
130 interrupted, 141 the reader of the output went away (``| head``). Each failure is one line
on stderr.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import sys
import tempfile
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO, TypeVar

import typer
from rich.console import Console
from typer.core import TyperGroup

from newsgraph.models import Analysis, Article, ReadError

if TYPE_CHECKING:
    from pydantic import BaseModel

    from newsgraph.corpus.ingest import IngestReport
    from newsgraph.store import Store

PageT = TypeVar("PageT", bound="BaseModel")

EXIT_OK, EXIT_SOME_FAILED, EXIT_ALL_FAILED, EXIT_INTERNAL, EXIT_STORE = 0, 1, 2, 3, 4
EXIT_PIPE = 141  # 128 + SIGPIPE: the output's reader closed it
#: Seconds one query of a query command may run (``search``, ``quotes``, ...).
QUERY_TIMEOUT_S = 60.0

EXIT_CODES_HELP = (
    "Exit codes: 0 all done; 1 some inputs failed; 2 all failed, or a usage error; 3 internal error "
    "(the one line names a log file with the traceback); 4 the store failed (disk full, locked, "
    "corrupted, unwritable, a query past its time limit; what was stored before is kept)."
)


def _store_exit(err: Exception) -> int:
    """The exit code of a store error: 2 for a bad request or a wrong store, 4 when the store failed."""
    from newsgraph.store import QueryTimeout, StorageError

    return EXIT_STORE if isinstance(err, (StorageError, QueryTimeout)) else EXIT_ALL_FAILED


def _crash_log(error: BaseException) -> str:
    """Write the traceback to a log file (``$NEWSGRAPH_LOG_DIR`` or the temp folder); its path."""
    folder = os.environ.get("NEWSGRAPH_LOG_DIR") or tempfile.gettempdir()
    stamp = time.strftime("%Y%m%d-%H%M%S")
    try:
        handle, path = tempfile.mkstemp(dir=folder, prefix=f"newsgraph-crash-{stamp}-", suffix=".log")
        with open(handle, "w", encoding="utf-8") as log:
            command = re.sub(r"(//[^:/@\s]+):[^@/\s]*@", r"\1:***@", " ".join(sys.argv[1:]))  # no passwords
            log.write(f"newsgraph {command}\n\n")
            log.write("".join(traceback.format_exception(error)))
    except OSError:
        return "(no log file could be written)"
    return path


class _Commands(TyperGroup):
    """Every command's failures as one line and an exit code, never a traceback."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.TyperException):  # exits, usage errors: typer's own
            raise
        except KeyboardInterrupt:
            _error("interrupted")
            raise typer.Exit(130) from None
        except BrokenPipeError:  # the reader went away (`| head`): stop quietly, as a killed pipe would
            with contextlib.suppress(OSError, ValueError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(EXIT_PIPE) from None
        except Exception as err:
            from newsgraph.store import StoreError

            if isinstance(err, StoreError):
                _error(str(err))
                raise typer.Exit(_store_exit(err)) from None
            log = _crash_log(err)
            _error(f"internal error ({type(err).__name__}: {str(err)[:200]}); the traceback is in {log}")
            raise typer.Exit(EXIT_INTERNAL) from None


app = typer.Typer(
    cls=_Commands,
    add_completion=False,
    no_args_is_help=True,
    help="newsgraph: news articles in, structured records out (people, roles, quotes, places, tags).\n\n"
    + EXIT_CODES_HELP,
)


class _StderrLines(logging.Handler):
    """Log records of newsgraph's readers as 'newsgraph: message' lines on the current stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        sys.stderr.write(f"newsgraph: {record.getMessage()}\n")


def _report_sources() -> None:
    """What the readers of archives and feeds count (skipped records) is printed on stderr."""
    logger = logging.getLogger("newsgraph.sources")
    if not any(isinstance(handler, _StderrLines) for handler in logger.handlers):
        logger.addHandler(_StderrLines())
    logger.setLevel(logging.INFO)


def _print_version(value: bool) -> None:
    if value:
        from newsgraph import __version__

        sys.stdout.write(f"newsgraph {__version__}\n")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:  # the group's options; its help is the app's
    _report_sources()


class OutputFormat(StrEnum):
    jsonl = "jsonl"
    json = "json"
    text = "text"
    seed = "seed"
    ninjs = "ninjs"


def _record(analysis: Analysis) -> dict[str, object]:
    data = analysis.model_dump(mode="json")
    if data.get("text") is None:
        data.pop("text", None)
    return data


def _error(message: str) -> None:
    sys.stderr.write(f"newsgraph: {' '.join(message.split())}\n")


class _Sink:
    """Writes results as they come, counts successes and failures."""

    def __init__(self, output_format: OutputFormat) -> None:
        self.format = output_format
        self.ok = self.failed = 0
        self.collected: list[dict[str, object]] = []
        self.console = Console(highlight=False, soft_wrap=True)

    def put(self, result: Analysis | ReadError, source: Article | ReadError | None = None) -> None:
        if isinstance(result, ReadError):
            self.failed += 1
            _error(str(result))
            return
        self.ok += 1
        if self.format is OutputFormat.seed:
            from newsgraph.extract.tags import render_seed

            text = result.text or (source.text if isinstance(source, Article) else "")
            filled = render_seed(text, result.tags)
            sys.stdout.write(("\n" if self.ok > 1 else "") + filled + ("" if filled.endswith("\n") else "\n"))
        elif self.format is OutputFormat.jsonl:
            from newsgraph.export.jsonl import dumps_line

            sys.stdout.write(dumps_line(_record(result)))
            sys.stdout.flush()
        elif self.format is OutputFormat.ninjs:
            from newsgraph.export.jsonl import dumps_line
            from newsgraph.export.ninjs import to_ninjs

            text = result.text or (source.text if isinstance(source, Article) else "")
            sys.stdout.write(dumps_line(to_ninjs(result, text=text)))
            sys.stdout.flush()
        elif self.format is OutputFormat.json:
            self.collected.append(_record(result))
        else:
            from newsgraph.render import render

            render(result, self.console)

    def close(self) -> None:
        if self.format is OutputFormat.json:
            sys.stdout.write(json.dumps(self.collected, ensure_ascii=False, indent=2) + "\n")


EncodingOption = Annotated[
    str | None,
    typer.Option(
        help="Read text inputs in this encoding (e.g. latin-1, cp1252); default: UTF-8, else detected.",
        rich_help_panel="Input",
    ),
]


def _encoding_option(encoding: str | None) -> None:
    """Exit 2 when ``--encoding`` names no codec Python knows."""
    import codecs

    if encoding is None:
        return
    try:
        codecs.lookup(encoding)
    except LookupError:
        _error(f"--encoding {encoding!r}: unknown encoding (e.g. utf-8, latin-1, cp1252)")
        raise typer.Exit(EXIT_ALL_FAILED) from None


@app.command()
def analyze(
    paths: Annotated[
        list[str],
        typer.Argument(help="Text, HTML, JSONL or CSV files, directories (recursive), or - for stdin."),
    ],
    output_format: Annotated[
        OutputFormat,
        typer.Option(
            "--format",
            "-f",
            help="jsonl (one record per line), json, text (for people), seed (the article back in its "
            "own format, TAGS line filled), or ninjs (IPTC ninjs 3.1, one object per line).",
            rich_help_panel="Output",
        ),
    ] = OutputFormat.jsonl,
    published: Annotated[
        str | None,
        typer.Option(
            help="Publication date (YYYY-MM-DD) for inputs that carry none.", rich_help_panel="Input"
        ),
    ] = None,
    model: Annotated[
        str | None,
        typer.Option(
            help="An installed spaCy pipeline (default: en_core_web_sm).", rich_help_panel="Extraction"
        ),
    ] = None,
    batch_size: Annotated[
        int, typer.Option(min=1, help="Articles per parse batch.", rich_help_panel="Extraction")
    ] = 32,
    encoding: EncodingOption = None,
) -> None:
    """Analyse articles and print one structured record per article.

    Exit codes: 0 every input analysed, 1 some failed (one line each on stderr), 2 every input
    failed or a usage error, 3 an internal error. FIFOs, devices and sockets are refused unless
    given as - (stdin).
    """
    from newsgraph.nlp import ModelNotFoundError, load
    from newsgraph.pipeline import process
    from newsgraph.readers import normalize_date, read_inputs

    date = None
    if published:
        date = normalize_date(published)
        if date is None:
            _error(f"--published {published!r}: not a date (use YYYY-MM-DD)")
            raise typer.Exit(EXIT_ALL_FAILED)
    _encoding_option(encoding)
    if model is not None:  # a named model is checked before any input is read
        try:
            load(model)
        except ModelNotFoundError as err:
            _error(str(err))
            raise typer.Exit(EXIT_ALL_FAILED) from None

    sink = _Sink(output_format)
    sources: deque[Article | ReadError] = deque()  # process() yields one result per input, in order

    def remember(items: Iterable[Article | ReadError]) -> Iterator[Article | ReadError]:
        for item in items:
            sources.append(item)
            yield item

    results = process(
        remember(read_inputs(paths, published=date, encoding=encoding)), model=model, batch_size=batch_size
    )
    try:
        for result in results:
            sink.put(result, sources.popleft())
    except ModelNotFoundError as err:
        _error(str(err))
        raise typer.Exit(EXIT_ALL_FAILED) from None
    sink.close()
    ok, failed = sink.ok, sink.failed
    if failed:
        raise typer.Exit(EXIT_ALL_FAILED if ok == 0 else EXIT_SOME_FAILED)
    if ok == 0:
        _error("no articles found in the inputs")
        raise typer.Exit(EXIT_ALL_FAILED)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the records that newsgraph analyze prints."""
    from newsgraph.schema import analysis_schema

    sys.stdout.write(json.dumps(analysis_schema(), indent=2) + "\n")


# ---------------------------------------------------------------------------------- corpus

DbOption = Annotated[
    str,
    typer.Option(
        "--db",
        envvar="NEWSGRAPH_DB",
        help="The corpus store: an SQLite file, or a postgresql:// URL.",
        rich_help_panel="Store",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.", rich_help_panel="Output")]
CursorOption = Annotated[
    str | None,
    typer.Option(
        help="Go on from this cursor (printed after a page that has more).", rich_help_panel="Output"
    ),
]
LimitOption = Annotated[int, typer.Option(min=1, help="Most results shown.", rich_help_panel="Output")]
FromOption = Annotated[
    str | None, typer.Option("--from", help="From this date (YYYY-MM-DD).", rich_help_panel="Filters")
]
ToOption = Annotated[
    str | None, typer.Option("--to", help="Up to this date (YYYY-MM-DD).", rich_help_panel="Filters")
]


def _date_option(value: str | None, option: str) -> str | None:
    from newsgraph.readers import normalize_date

    if value is None:
        return None
    day = normalize_date(value)
    if day is None:
        _error(f"{option} {value!r}: not a date (use YYYY-MM-DD)")
        raise typer.Exit(EXIT_ALL_FAILED)
    return day


def _open(db: str) -> Store:
    from newsgraph.store import StoreError, open_store

    try:
        return open_store(db, readonly=True, timeout=QUERY_TIMEOUT_S)
    except StoreError as err:
        _error(str(err))
        raise typer.Exit(_store_exit(err)) from None


def _page_query(db: str, fetch: Callable[[Store], PageT], *, as_json: bool) -> PageT | None:
    """Run a paged query on the store (read-only); a bad query is one line and exit 2 (4 when
    the store fails).

    With ``--json`` the page is printed here and None returned; else the page, for the caller
    to print.
    """
    from newsgraph.store import StoreError

    with _open(db) as store:
        try:
            page = fetch(store)
        except StoreError as err:
            _error(str(err))
            raise typer.Exit(_store_exit(err)) from None
    if as_json:
        _print_json(page.model_dump(mode="json"))
        return None
    return page


def _next_page(cursor: str | None) -> None:
    if cursor:
        sys.stderr.write(f"newsgraph: more results: add --cursor {cursor}\n")


def _print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _line(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def _short(text: str, width: int = 160) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


#: Seconds between two progress lines of ``ingest`` when stderr is not a terminal.
PROGRESS_EVERY = 5.0


class _IngestProgress:
    """A rich progress bar on stderr: articles done, articles/s, ETA, failures.

    With ``lines`` (stderr is a file or a pipe: a log, CI), one plain line every
    :data:`PROGRESS_EVERY` seconds instead.
    """

    def __init__(self, *, enabled: bool, total: int | None, lines: bool = False) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        self.enabled = enabled
        self.progress = Progress(
            TextColumn("{task.description:<8}"),
            BarColumn(bar_width=24),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]:.1f} articles/s  ETA"),
            TimeRemainingColumn(),
            TextColumn("{task.fields[failed]} failed, {task.fields[skipped]} known"),
            console=Console(stderr=True),
            transient=False,
            disable=not enabled,
        )
        self.task = self.progress.add_task("ingest", total=total, rate=0.0, failed=0, skipped=0)
        self.lines = lines and not enabled
        self.last_line = time.monotonic()

    def __enter__(self) -> _IngestProgress:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def update(self, report: IngestReport) -> None:
        if self.lines:
            self._line(report)
        if not self.enabled:
            return
        elapsed = max(report.elapsed, 1e-6)
        self.progress.update(
            self.task,
            description=report.stage,
            completed=report.done,
            rate=(report.stored + report.failed) / elapsed,
            failed=report.failed,
            skipped=report.skipped,
        )

    def _line(self, report: IngestReport) -> None:
        now = time.monotonic()
        if now - self.last_line < PROGRESS_EVERY:
            return
        self.last_line = now
        elapsed = max(report.elapsed, 1e-6)
        of = f"/{report.total}" if report.total else ""
        sys.stderr.write(
            f"newsgraph: {report.stage}: {report.done}{of} done ({report.stored} stored, {report.skipped} "
            f"already stored, {report.failed} failed), {(report.stored + report.failed) / elapsed:.1f} "
            f"articles/s, {elapsed:.0f} s\n"
        )
        sys.stderr.flush()


class EngineName(StrEnum):
    local = "local"
    ray = "ray"


@app.command(rich_help_panel="Corpus")
def ingest(
    paths: Annotated[
        list[str],
        typer.Argument(help="Text, HTML, JSONL or CSV files, directories (recursive), or - for stdin."),
    ],
    db: DbOption = "newsgraph.db",
    workers: Annotated[
        int,
        typer.Option(min=1, help="Analysis processes (each loads the model once).", rich_help_panel="Run"),
    ] = 1,
    published: Annotated[
        str | None,
        typer.Option(
            help="Publication date (YYYY-MM-DD) for inputs that carry none.", rich_help_panel="Input"
        ),
    ] = None,
    model: Annotated[
        str | None,
        typer.Option(help="An installed spaCy pipeline (default: en_core_web_sm).", rich_help_panel="Run"),
    ] = None,
    batch_size: Annotated[
        int, typer.Option(min=1, help="Articles per batch sent to a worker.", rich_help_panel="Run")
    ] = 16,
    engine: Annotated[
        EngineName,
        typer.Option(
            help="Where the analysis runs: local processes, or Ray actors (pip install 'newsgraph\\[ray]').",
            rich_help_panel="Run",
        ),
    ] = EngineName.local,
    address: Annotated[
        str | None,
        typer.Option(
            help="Ray cluster to join (auto, HOST:PORT, ray://HOST:PORT); default: $RAY_ADDRESS, "
            "else a local Ray for the run.",
            rich_help_panel="Run",
        ),
    ] = None,
    progress: Annotated[
        bool | None,
        typer.Option(
            "--progress/--no-progress",
            help="Progress bar on stderr (default: when a terminal; else a line every few seconds).",
            rich_help_panel="Output",
        ),
    ] = None,
    encoding: EncodingOption = None,
    as_json: JsonOption = False,
) -> None:
    """Analyse articles into a corpus store; articles already stored are skipped.

    Exit codes: 0 every input stored (or already there), 1 some failed (listed by newsgraph errors),
    2 every input failed, none found, or a usage error, 3 an internal error, 4 the store failed
    (disk full, locked, corrupted, unwritable). A killed or failed run can simply be started
    again: what was stored is kept.
    """
    from newsgraph.corpus.ingest import check_model, estimate_total
    from newsgraph.corpus.ingest import ingest as run_ingest
    from newsgraph.engines import EngineError
    from newsgraph.nlp import ModelNotFoundError
    from newsgraph.store import StoreError, open_store

    day = _date_option(published, "--published")
    _encoding_option(encoding)
    try:
        check_model(model)
        store = open_store(db)
    except ModelNotFoundError as err:
        _error(str(err))
        raise typer.Exit(EXIT_ALL_FAILED) from None
    except StoreError as err:
        _error(str(err))
        raise typer.Exit(_store_exit(err)) from None
    show = sys.stderr.isatty() if progress is None else progress
    total = estimate_total(paths) if show else None
    bar = _IngestProgress(enabled=show, total=total, lines=progress is None and not show)
    try:
        with store, bar:
            report = run_ingest(
                paths,
                store=store,
                workers=workers,
                model=model,
                batch_size=batch_size,
                published=day,
                progress=bar.update,
                engine=engine.value,
                address=address,
                encoding=encoding,
            )
    except EngineError as err:
        _error(str(err))
        raise typer.Exit(EXIT_ALL_FAILED) from None
    except StoreError as err:
        _error(f"{err} (ingest stopped)")
        raise typer.Exit(_store_exit(err)) from None
    except KeyboardInterrupt:
        _error("interrupted; what was stored is kept: run the same command again to go on")
        raise typer.Exit(130) from None
    if as_json:
        _print_json({"db": db, **report.as_dict()})
    passes = report.passes
    found = (
        f"; {passes.actors} actors, {passes.duplicate_groups} near-duplicate groups, {passes.stories} stories"
        if passes
        else ""
    )
    sys.stderr.write(
        f"newsgraph: stored {report.stored} articles ({report.skipped} already stored), "
        f"{report.failed} failed, in {report.elapsed:.1f} s{found} -> {db}\n"
    )
    if report.failed:
        sys.stderr.write("newsgraph: the failures are listed by `newsgraph errors`\n")
        raise typer.Exit(EXIT_ALL_FAILED if report.stored + report.skipped == 0 else EXIT_SOME_FAILED)
    if report.done == 0:
        _error("no articles found in the inputs")
        raise typer.Exit(EXIT_ALL_FAILED)


@app.command(rich_help_panel="Corpus")
def errors(db: DbOption = "newsgraph.db", as_json: JsonOption = False) -> None:
    """List the inputs that failed, with their reasons."""
    with _open(db) as store:
        rows = store.errors()
    if as_json:
        _print_json([row.model_dump() for row in rows])
        return
    for row in rows:
        _line(f"{row.source}: {row.reason}")


@app.command(rich_help_panel="Queries")
def search(
    query: Annotated[str | None, typer.Argument(help='Words, "a phrase", OR, NOT, prefix*.')] = None,
    person: Annotated[
        str | None, typer.Option(help="Mentions this person.", rich_help_panel="Filters")
    ] = None,
    org: Annotated[
        str | None, typer.Option(help="Mentions this organisation.", rich_help_panel="Filters")
    ] = None,
    place: Annotated[str | None, typer.Option(help="Names this place.", rich_help_panel="Filters")] = None,
    source: Annotated[str | None, typer.Option(help="From this domain.", rich_help_panel="Filters")] = None,
    date_from: FromOption = None,
    date_to: ToOption = None,
    limit: LimitOption = 20,
    cursor: CursorOption = None,
    db: DbOption = "newsgraph.db",
    as_json: JsonOption = False,
) -> None:
    """Full-text search of the corpus, with filters."""
    start, end = _date_option(date_from, "--from"), _date_option(date_to, "--to")
    hits = _page_query(
        db,
        lambda store: store.search(
            query,
            person=person,
            organization=org,
            place=place,
            source=source,
            date_from=start,
            date_to=end,
            limit=limit,
            cursor=cursor,
        ),
        as_json=as_json,
    )
    if hits is None:
        return
    for hit in hits.items:
        _line(f"{hit.date or '----------'}  {hit.source or ''}  {_short(hit.title, 100)}  [{hit.article}]")
        _line(f"    {_short(hit.snippet)}")
    _next_page(hits.next)


@app.command(rich_help_panel="Queries")
def quotes(
    speaker: Annotated[str | None, typer.Option(help="Said by this person (any of their names).")] = None,
    about: Annotated[str | None, typer.Option(help="Quotes containing these words.")] = None,
    kind: Annotated[str | None, typer.Option(help="direct, mixed or indirect.")] = None,
    date_from: FromOption = None,
    date_to: ToOption = None,
    limit: LimitOption = 50,
    cursor: CursorOption = None,
    db: DbOption = "newsgraph.db",
    as_json: JsonOption = False,
) -> None:
    """Who said what: quotes by a speaker, optionally about some words."""
    start, end = _date_option(date_from, "--from"), _date_option(date_to, "--to")
    rows = _page_query(
        db,
        lambda store: store.quotes(
            speaker=speaker, about=about, kind=kind, date_from=start, date_to=end, limit=limit, cursor=cursor
        ),
        as_json=as_json,
    )
    if rows is None:
        return
    for row in rows.items:
        _line(f"{row.date or '----------'}  {row.speaker or '(unknown)'} ({row.kind}, {row.cue or '-'})")
        _line(f"    “{_short(row.text, 300)}”  [{row.article}]")
    _next_page(rows.next)


@app.command(rich_help_panel="Queries")
def events(
    kind: Annotated[
        str | None, typer.Option("--type", help="PLOVER type: CONSULT, AGREE, ACCUSE, ..., OTHER.")
    ] = None,
    place: Annotated[str | None, typer.Option(help="Place name or ISO country code.")] = None,
    date_from: FromOption = None,
    date_to: ToOption = None,
    participant: Annotated[str | None, typer.Option(help="An actor taking part.")] = None,
    limit: LimitOption = 50,
    cursor: CursorOption = None,
    db: DbOption = "newsgraph.db",
    as_json: JsonOption = False,
) -> None:
    """Events: what happened, with whom, where and when."""
    from newsgraph.models import EVENT_TYPES

    if kind is not None and kind.strip().upper() not in EVENT_TYPES:
        _error(f"--type {_short(kind, 40)!r}: not an event type; use one of {', '.join(EVENT_TYPES)}")
        raise typer.Exit(EXIT_ALL_FAILED)
    start, end = _date_option(date_from, "--from"), _date_option(date_to, "--to")
    rows = _page_query(
        db,
        lambda store: store.events(
            kind=kind,
            place=place,
            date_from=start,
            date_to=end,
            participant=participant,
            limit=limit,
            cursor=cursor,
        ),
        as_json=as_json,
    )
    if rows is None:
        return
    for row in rows.items:
        name = row.place.name if row.place else None
        where = f" in {name}" if name and name not in row.label else ""
        who = ", ".join(row.participants + row.parties)
        _line(f"{row.date or row.article_date or '----------'}  {row.type}  {row.label}{where}  {who}")
    _next_page(rows.next)


ActorName = Annotated[str, typer.Argument(help="A person, organisation or place, by any of its names.")]


def _actor_query(
    db: str, name: str, fetch: Callable[[Any], BaseModel | None], *, as_json: bool
) -> dict[str, Any] | None:
    """Run an actor query; exit 1 when the actor is unknown; print JSON and return None for --json."""
    with _open(db) as store:
        found = fetch(store)
    if found is None:
        _error(f"no actor named {_short(name, 80)!r} in {db}")
        raise typer.Exit(EXIT_SOME_FAILED)
    data = found.model_dump(mode="json")
    if as_json:
        _print_json(data)
        return None
    return data


@app.command(rich_help_panel="Queries")
def entity(
    name: ActorName,
    limit: LimitOption = 10,
    db: DbOption = "newsgraph.db",
    as_json: JsonOption = False,
) -> None:
    """An actor's page: names, roles over time, co-mentioned actors, quotes. Exit 1 when unknown."""
    page = _actor_query(db, name, lambda store: store.entity(name, limit=limit), as_json=as_json)
    if page is None:
        return
    _line(f"{page['name']} ({page['type']}, actor {page['id']})")
    _line(
        f"  {page['articles']} articles, {page['mentions']} mentions, {page['quotes']} quotes, "
        f"{page['first_date'] or '?'} to {page['last_date'] or '?'}"
    )
    _line(f"  also written: {', '.join(a for a in page['aliases'] if a != page['name']) or '-'}")
    if page["roles"]:
        _line("  roles:")
        for role in page["roles"][:12]:
            _line(
                f"    {role['role']}  ({role['first'] or '?'} to {role['last'] or '?'}, "
                f"{role['articles']} articles)"
            )
        if len(page["roles"]) > 12:
            _line(f"    … and {len(page['roles']) - 12} more (--json lists them)")
    if page["co_mentioned"]:
        _line(
            "  mentioned with: " + ", ".join(f"{c['name']} ({c['articles']})" for c in page["co_mentioned"])
        )
    if page["recent_quotes"]:
        _line("  latest quotes:")
        for quote in page["recent_quotes"]:
            _line(f"    {quote['date'] or '----------'}  “{_short(quote['text'], 200)}”")
    if page["other_matches"]:
        _line(
            "  other matches: "
            + ", ".join(f"{o['name']} ({o['type']}, {o['articles']})" for o in page["other_matches"])
        )


@app.command(rich_help_panel="Queries")
def timeline(
    name: ActorName,
    limit: LimitOption = 200,
    db: DbOption = "newsgraph.db",
    as_json: JsonOption = False,
) -> None:
    """An actor day by day: articles, roles, quotes and events. Exit 1 when unknown."""
    data = _actor_query(db, name, lambda store: store.timeline(name, limit=limit), as_json=as_json)
    if data is None:
        return
    _line(f"{data['name']} ({data['type']})")
    for day in data["days"]:
        roles = f"  as {', '.join(dict.fromkeys(day['roles']))}" if day["roles"] else ""
        _line(
            f"{day['date'] or 'undated'}  {len(day['articles'])} articles, {len(day['quotes'])} quotes{roles}"
        )
        for quote in day["quotes"][:3]:
            _line(f"    “{_short(quote['text'], 150)}”")
        for event in day["events"][:3]:
            _line(f"    {event['type']}: {event['label']}")


@app.command(rich_help_panel="Queries")
def stats(db: DbOption = "newsgraph.db", as_json: JsonOption = False) -> None:
    """What the corpus holds: articles, failures, actors, quotes, events, duplicates, stories."""
    with _open(db) as store:
        data = store.stats().model_dump(mode="json")
    if as_json:
        _print_json(data)
        return
    _line(
        f"{data['articles']} articles ({data['words']} words), {data['errors']} failed inputs, "
        f"{data['first_date'] or '?'} to {data['last_date'] or '?'} ({data['undated']} undated), "
        f"{data['sources']} sources"
    )
    _line(f"{data['actors']} actors ({', '.join(f'{n} {t}' for t, n in data['actors_by_type'].items())})")
    _line(
        f"{data['quotes']} quotes ({data['quotes_attributed']} attributed), {data['events']} events, "
        f"{data['places']} places"
    )
    _line(
        f"{data['duplicate_groups']} near-duplicate groups "
        f"({data['articles_in_duplicate_groups']} articles), "
        f"{data['stories']} stories ({data['articles_in_stories']} articles)"
    )
    if data["top_people"]:
        _line("people: " + ", ".join(f"{p['name']} ({p['articles']})" for p in data["top_people"]))
    if data["top_organizations"]:
        _line(
            "organisations: " + ", ".join(f"{p['name']} ({p['articles']})" for p in data["top_organizations"])
        )
    _line(
        f"store: {data['backend']}, {(data['size_bytes'] or 0) / 1e6:.1f} MB, schema {data['schema_version']}"
        + ("; corpus passes pending (run `newsgraph ingest` again)" if data["passes_pending"] else "")
    )


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    parquet = "parquet"
    gkg = "gkg"
    ninjs = "ninjs"


@app.command(rich_help_panel="Corpus")
def export(
    export_format: Annotated[
        ExportFormat, typer.Argument(metavar="FORMAT", help="jsonl, parquet, gkg or ninjs.")
    ],
    out: Annotated[
        str,
        typer.Option(
            "--out", "-o", help="Output file (jsonl, gkg, ninjs; - for stdout) or directory (parquet)."
        ),
    ] = "-",
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing output file or directory.")
    ] = False,
    corpus: Annotated[
        bool, typer.Option("--corpus", help="jsonl: add each record's corpus fields (actors, groups).")
    ] = False,
    db: DbOption = "newsgraph.db",
) -> None:
    """Export the corpus: JSONL records, Parquet tables, GDELT GKG 2.1 (tab-separated, 27 columns),
    or IPTC ninjs 3.1 (one object per line).

    The output is written to a temporary file (or folder) beside it and renamed when complete, so
    a failed export (a full disk) leaves nothing half-written; an existing output is replaced
    only with --force. Exit 2 for a missing folder or an existing output, 4 when writing fails.
    """
    from newsgraph.export import write_gkg, write_jsonl, write_ninjs, write_parquet
    from newsgraph.export.files import ExportError, atomic_file

    def write(stream: TextIO) -> int:
        if export_format is ExportFormat.jsonl:
            return write_jsonl(store, stream, corpus=corpus)
        if export_format is ExportFormat.ninjs:
            return write_ninjs(store, stream)
        return write_gkg(store, stream)

    if export_format is ExportFormat.parquet and out == "-":
        _error("parquet needs --out DIRECTORY")
        raise typer.Exit(EXIT_ALL_FAILED)
    with _open(db) as store:
        try:
            if export_format is ExportFormat.parquet:
                counts = write_parquet(store, out, force=force)
                sys.stderr.write(
                    f"newsgraph: wrote {', '.join(f'{t} ({n})' for t, n in counts.items())} to {out}\n"
                )
                return
            if out == "-":
                count = write(sys.stdout)
            else:
                with atomic_file(out, force=force) as stream:
                    count = write(stream)
        except ExportError as err:
            _error(str(err))
            raise typer.Exit(EXIT_ALL_FAILED) from None
        except BrokenPipeError:
            raise  # the reader of stdout went away: see _Commands
        except OSError as err:
            _error(f"{out}: cannot write ({err.strerror or err}); nothing was written")
            raise typer.Exit(EXIT_STORE) from None
        sys.stderr.write(f"newsgraph: wrote {count} {export_format.value} records to {out}\n")


def _seconds(text: str) -> float | None:
    """'15m', '30s', '2h', '1d' or a number of seconds; None when not a duration."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    value = text.strip().lower()
    scale = units.get(value[-1:])
    try:
        amount = float(value[:-1] if scale else value)
    except ValueError:
        return None
    return amount * (scale or 1) if amount > 0 else None


@app.command(rich_help_panel="Corpus")
def watch(
    urls: Annotated[list[str], typer.Argument(help="RSS/Atom feeds or XML sitemaps (http or https URLs).")],
    db: DbOption = "newsgraph.db",
    once: Annotated[bool, typer.Option("--once", help="Poll once and exit.", rich_help_panel="Run")] = False,
    every: Annotated[
        str, typer.Option(help="Time between polls: 15m, 1h, 90s.", rich_help_panel="Run")
    ] = "15m",
    state: Annotated[
        str | None,
        typer.Option(
            help="Where polls remember feeds and pages (default: the SQLite file + .watch.json, "
            "else ./newsgraph-watch.json).",
            rich_help_panel="Store",
        ),
    ] = None,
    delay: Annotated[
        float, typer.Option(min=0, help="Seconds between two requests to one host.", rich_help_panel="Fetch")
    ] = 1.0,
    timeout: Annotated[
        float, typer.Option(min=0.1, help="Seconds before a request is given up.", rich_help_panel="Fetch")
    ] = 20.0,
    retries: Annotated[
        int,
        typer.Option(
            min=0,
            help="Retries of a request that failed (backoff 1 s, 2 s, 4 s...).",
            rich_help_panel="Fetch",
        ),
    ] = 2,
    model: Annotated[
        str | None,
        typer.Option(help="An installed spaCy pipeline (default: en_core_web_sm).", rich_help_panel="Run"),
    ] = None,
) -> None:
    """Follow feeds and sitemaps: fetch new article pages politely and ingest them.

    Conditional requests, robots.txt, a delay per host, retries; a feed or page that fails is
    listed by newsgraph errors and the rest go on. Stopped at any point (Ctrl-C, kill), a
    restart resumes: nothing is lost, nothing is stored twice.
    """
    from newsgraph.corpus.ingest import check_model
    from newsgraph.corpus.ingest import ingest as run_ingest
    from newsgraph.nlp import ModelNotFoundError
    from newsgraph.sources.feeds import Fetcher, PollReport, WatchState, poll
    from newsgraph.store import StoreError, open_store

    interval = _seconds(every)
    if interval is None:
        _error(f"--every {every!r}: not a duration (use 15m, 1h, 90s)")
        raise typer.Exit(EXIT_ALL_FAILED)
    bad = [url for url in urls if not url.lower().startswith(("http://", "https://"))]
    if bad:
        _error(f"{_short(bad[0], 80)!r}: not an http(s) URL")
        raise typer.Exit(EXIT_ALL_FAILED)
    if state is None:
        state = db + ".watch.json" if "://" not in db else "newsgraph-watch.json"
    try:
        check_model(model)
        remembered = WatchState.load(state)
        store = open_store(db)
    except (ModelNotFoundError, StoreError, ValueError) as err:
        _error(str(err))
        raise typer.Exit(EXIT_ALL_FAILED) from None
    fetcher = Fetcher(delay=delay, timeout=timeout, retries=retries)
    failed = False
    try:
        with store:
            while True:
                report = PollReport()
                totals = {"stored": 0, "skipped": 0, "failed": 0}

                def store_items(
                    items: Iterator[Article | ReadError], totals: dict[str, int] = totals
                ) -> None:
                    done = run_ingest([], store=store, items=items, model=model)
                    totals["stored"] += done.stored
                    totals["skipped"] += done.skipped
                    totals["failed"] += done.failed

                poll(urls, fetcher=fetcher, state=remembered, store_items=store_items, report=report)
                failed = bool(totals["failed"])
                sys.stderr.write(
                    f"newsgraph: watch: {report.feeds} feeds ({report.unchanged} unchanged, "
                    f"{report.failed_feeds} failed), {report.new_pages} new pages: stored "
                    f"{totals['stored']} ({totals['skipped']} already stored), {totals['failed']} failed "
                    f"(newsgraph errors lists them) -> {db}\n"
                )
                if once:
                    break
                time.sleep(interval)
    except KeyboardInterrupt:
        _error("watch stopped; run the same command again to go on")
        raise typer.Exit(130) from None
    if failed:
        raise typer.Exit(EXIT_SOME_FAILED)


EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@app.command(rich_help_panel="Corpus")
def demo(
    db: Annotated[str, typer.Option("--db", help="Where to build the demo store.")] = "newsgraph-demo.db",
) -> None:
    """Build a store from the example articles shipped in the repo and show what it found."""
    from newsgraph.corpus.ingest import check_model
    from newsgraph.corpus.ingest import ingest as run_ingest
    from newsgraph.nlp import ModelNotFoundError
    from newsgraph.store import StoreError, open_store

    if not EXAMPLES.is_dir():
        _error(f"the example articles are not here ({EXAMPLES}); run the demo from a checkout of newsgraph")
        raise typer.Exit(EXIT_ALL_FAILED)
    try:
        check_model(None)
        store = open_store(db)
    except (ModelNotFoundError, StoreError) as err:
        _error(str(err))
        raise typer.Exit(EXIT_ALL_FAILED) from None
    with store:
        # the seed article, the one example without a date of its own, appeared on 11 January 2022
        report = run_ingest([str(EXAMPLES)], store=store, published="2022-01-11")
        data = store.stats()
        _line(
            f"Built {db} from {EXAMPLES.name}/: {data.articles} articles "
            f"({report.stored} new), {data.actors} actors, {data.quotes} quotes, "
            f"{data.places} places."
        )
        _line()
        _line("Actors linked across articles (one id, several names):")
        for actor in store.top_actors(types=("PERSON", "ORG"), min_articles=2, limit=8):
            aliases = [a for a in actor.aliases if a != actor.name]
            roles = [r.role for r in store.actor_roles(actor.id, limit=2)]
            _line(
                f"  {actor.name} ({actor.type}): {actor.articles} articles, {actor.quotes} quotes"
                + (f"; also {', '.join(repr(a) for a in aliases)}" if aliases else "")
                + (f"; {', '.join(roles)}" if roles else "")
            )
        _line()
        groups = store.duplicate_groups(limit=5)
        _line(f"Near-duplicates (syndicated or lightly edited copies): {len(groups)} group(s)")
        for group in groups:
            _line("  " + "  =  ".join(f"{a.source or a.article}" for a in group.articles))
        _line()
        found = store.stories(limit=5)
        _line(f"Stories (the same happening across outlets): {len(found)}")
        for story in found:
            _line(f"  {story.label}  ({story.first_date} to {story.last_date}):")
            for article in story.articles:
                title = _short(article.title or article.article, 90)
                _line(f"    {article.date}  {article.source or ''}  {title}")
        _line()
        top = store.most_quoted()
        if top:
            said = store.quotes(actor=top, limit=3)
            _line(f"What {top.name} said:")
            for quote in said.items:
                _line(f"  {quote.date}  “{_short(quote.text, 140)}”")
            _line()
            _line(f"Next: newsgraph entity {top.name!r} --db {db}   ·   newsgraph search talks --db {db}")


@app.command(rich_help_panel="Queries")
def serve(
    db: DbOption = "newsgraph.db",
    host: Annotated[
        str, typer.Option(help="The address to listen on (0.0.0.0: every interface).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="The port to listen on.")] = 8000,
    analyze: Annotated[
        bool,
        typer.Option(
            "--analyze", help="Add a page and POST /api/analyze that analyse an article (not stored)."
        ),
    ] = False,
    timeout: Annotated[
        float, typer.Option(min=0.1, help="Stop a query after this many seconds (the request gets 503).")
    ] = 5.0,
) -> None:
    """Serve a store as web pages and an HTTP API (read-only): http://HOST:PORT/, API docs at /docs."""
    import uvicorn

    from newsgraph.store import StoreError
    from newsgraph.web.app import create_app

    try:
        web_app = create_app(db, analyze=analyze, timeout=timeout)
    except StoreError as err:
        _error(str(err))
        raise typer.Exit(EXIT_ALL_FAILED) from None
    sys.stderr.write(f"newsgraph: serving {db} at http://{host}:{port}/ (Ctrl-C stops)\n")
    uvicorn.run(web_app, host=host, port=port, log_level="warning", server_header=False)


def main() -> None:
    """Entry point of the ``newsgraph`` command."""
    app()


if __name__ == "__main__":
    main()
