"""The ``newsgraph`` command: a thin layer that turns library results into output and exit codes.

Exit codes of ``newsgraph analyze``: 0 every input analysed, 1 some inputs failed, 2 every input
failed (or a usage error). Each failure is one line on stderr naming the input and the reason.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console

from newsgraph.models import Analysis, ReadError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="newsgraph: news articles in, structured records out (people, roles, quotes, places, tags).",
)

EXIT_OK, EXIT_SOME_FAILED, EXIT_ALL_FAILED = 0, 1, 2


class OutputFormat(StrEnum):
    jsonl = "jsonl"
    json = "json"
    text = "text"


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

    def put(self, result: Analysis | ReadError) -> None:
        if isinstance(result, ReadError):
            self.failed += 1
            _error(str(result))
            return
        self.ok += 1
        if self.format is OutputFormat.jsonl:
            sys.stdout.write(json.dumps(_record(result), ensure_ascii=False) + "\n")
            sys.stdout.flush()
        elif self.format is OutputFormat.json:
            self.collected.append(_record(result))
        else:
            from newsgraph.render import render

            render(result, self.console)

    def close(self) -> None:
        if self.format is OutputFormat.json:
            sys.stdout.write(json.dumps(self.collected, ensure_ascii=False, indent=2) + "\n")


@app.command()
def analyze(
    paths: Annotated[
        list[str],
        typer.Argument(help="Text, HTML, JSONL or CSV files, directories (recursive), or - for stdin."),
    ],
    output_format: Annotated[
        OutputFormat,
        typer.Option(
            "--format", "-f", help="jsonl (one record per line), json, or text.", rich_help_panel="Output"
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
) -> None:
    """Analyse articles and print one structured record per article."""
    from newsgraph.nlp import ModelNotFoundError, load
    from newsgraph.pipeline import process
    from newsgraph.readers import normalize_date, read_inputs

    date = None
    if published:
        date = normalize_date(published)
        if date is None:
            _error(f"--published {published!r}: not a date (use YYYY-MM-DD)")
            raise typer.Exit(EXIT_ALL_FAILED)
    if model is not None:  # a named model is checked before any input is read
        try:
            load(model)
        except ModelNotFoundError as err:
            _error(str(err))
            raise typer.Exit(EXIT_ALL_FAILED) from None

    sink = _Sink(output_format)
    results = process(read_inputs(paths, published=date), model=model, batch_size=batch_size)
    try:
        for result in results:
            sink.put(result)
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
    """Print the JSON Schema of the records ``analyze`` prints."""
    from newsgraph.schema import analysis_schema

    sys.stdout.write(json.dumps(analysis_schema(), indent=2) + "\n")


def main() -> None:
    """Entry point of the ``newsgraph`` command."""
    app()


if __name__ == "__main__":
    main()
