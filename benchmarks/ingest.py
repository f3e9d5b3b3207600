"""Ingest and corpus-store benchmarks: workers, write-path overhead, a 100k-article store.

Part ``workers`` (same synthetic corpus, each run in a fresh process, so each includes start-up
and model loading):

- ``analysis``: ``pipeline.process(read_inputs(...))`` consumed in one process (no store);
- ``ingest-1``: ``newsgraph ingest --workers 1`` into a new store (read, hash, analyse, prepare,
  write, then the corpus passes; the passes are timed apart);
- ``ingest-2``: the same with ``--workers 2``.

It reports ``ingest-1 / ingest-2`` (target >= 1.7) and the write-path overhead
``(ingest-1 without passes) / analysis - 1`` (target <= 10 %), and the peak RSS of each process.

Part ``scale``: a synthetic store of ``--scale-articles`` articles (default 100,000) built from
the analyses of part ``workers`` (the repo's own texts): article *i* takes base analysis
*i mod K*; its people and organisations are renamed with made-up names of the same length
(per name, one in five keeps its own, the others draw from thousands of pseudonyms, a few
often and most rarely, so actors recur across articles as in news), and about 30 % of the
other words are replaced by words of the same length (2 % of the articles are near-copies,
with 2 % replaced). Offsets stay valid and the record (entities, quotes, events) follows the
text. Dates spread over two years, 40 sources. Analysing 100,000 articles would take hours on two cores; the
store's write path (prepare + write), the corpus passes and the queries are what this part
measures. It reports write rate, RSS of the writing process at 10 % and 100 % of the articles,
pass times and peak RSS, store size, search p50/p95, entity page and quotes latency.

Usage::

    python benchmarks/ingest.py                       # both parts, 600 articles, 100k store
    python benchmarks/ingest.py --part workers --articles 300
    python benchmarks/ingest.py --part scale --scale-articles 20000 --json
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from throughput import synthetic_corpus  # noqa: E402

from newsgraph.models import Analysis, Article  # noqa: E402

SEED = 20220111
BATCH = 16  # the ingest default; the analysis baseline parses in batches of the same size


def rss_mb() -> tuple[float, float]:
    """(current RSS, peak RSS) of this process in MB, from /proc."""
    fields: dict[str, float] = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                fields[key] = int(value.split()[0]) / 1024
    return fields.get("VmRSS", 0.0), fields.get("VmHWM", 0.0)


def say(text: str, *, quiet: bool) -> None:
    print(text, file=sys.stderr if quiet else sys.stdout, flush=True)


# ---------------------------------------------------------------------------------- part 1


def _child(mode: str, corpus: str, db: str) -> None:
    """One measured run, in its own process; prints a JSON line."""
    started = time.monotonic()
    if mode == "analysis":
        from newsgraph.pipeline import process
        from newsgraph.readers import read_inputs

        count = sum(1 for _ in process(read_inputs([corpus]), batch_size=BATCH))
        out: dict[str, Any] = {"articles": count}
    elif mode == "split":  # one process, one pass: time in the analysis, in prepare, in the writes
        from newsgraph.models import ReadError
        from newsgraph.pipeline import process
        from newsgraph.readers import read_inputs
        from newsgraph.store import open_store, prepare

        articles = [a for a in read_inputs([corpus]) if not isinstance(a, ReadError)]
        spent = {"analysis": 0.0, "prepare": 0.0, "write": 0.0}
        with open_store(db) as store:
            for start in range(0, len(articles), BATCH):
                batch = articles[start : start + BATCH]
                clock = time.perf_counter()
                results = list(process(batch, batch_size=BATCH))
                spent["analysis"] += time.perf_counter() - clock
                clock = time.perf_counter()
                rows = [
                    prepare(a, r) for a, r in zip(batch, results, strict=True) if not isinstance(r, ReadError)
                ]
                spent["prepare"] += time.perf_counter() - clock
                clock = time.perf_counter()
                store.write(rows)
                spent["write"] += time.perf_counter() - clock
        out = {"articles": len(articles), **spent}
    else:
        from newsgraph.corpus.ingest import ingest
        from newsgraph.store import open_store

        with open_store(db) as store:
            report = ingest(
                [corpus], store=store, workers=int(mode.split("-")[1]), batch_size=BATCH, passes=False
            )
            streamed = time.monotonic() - started
            from newsgraph.corpus.passes import run_passes

            passes = run_passes(store)
        out = {"articles": report.stored, "streamed": streamed, "passes": passes.as_dict()}
    out["seconds"] = time.monotonic() - started
    out["rss_peak_mb"] = rss_mb()[1]
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    out["cpu_main"] = own.ru_utime + own.ru_stime
    out["cpu_workers"] = workers.ru_utime + workers.ru_stime
    print(json.dumps(out))


def part_workers(n: int, work: Path, *, repeat: int, quiet: bool) -> dict[str, Any]:
    texts = synthetic_corpus(n)
    corpus = work / "corpus.jsonl"
    with corpus.open("w", encoding="utf-8") as out:
        for i, text in enumerate(texts):
            out.write(json.dumps({"id": f"syn-{i:05d}", "text": text}) + "\n")
    words = sum(len(t.split()) for t in texts)
    say(
        f"corpus: {n} synthetic articles from examples/*.txt, {words} words; {os.cpu_count()} CPUs",
        quiet=quiet,
    )
    results: dict[str, Any] = {"articles": n, "words": words, "repeat": repeat}
    halves = [work / "half-0.jsonl", work / "half-1.jsonl"]
    lines = corpus.read_text(encoding="utf-8").splitlines(keepends=True)
    for k, half in enumerate(halves):
        half.write_text("".join(lines[k::2]), encoding="utf-8")
    runs: dict[str, list[dict[str, Any]]] = {"analysis": [], "ingest-1": [], "ingest-2": [], "ceiling": []}
    for round_ in range(repeat):  # interleaved: a busy spell on a shared machine hits all
        modes = ("analysis", "ingest-1", "ingest-2", "ceiling")
        for mode in modes if round_ % 2 == 0 else modes[::-1]:
            if mode == "ceiling":  # two independent analysis processes, one per half: the machine's best
                started = time.monotonic()
                children = [
                    subprocess.Popen(
                        [sys.executable, __file__, "--child", "analysis", str(half), ""],
                        stdout=subprocess.PIPE,
                        text=True,
                    )
                    for half in halves
                ]
                for child in children:
                    child.communicate()
                wall = time.monotonic() - started
                runs[mode].append({"wall": wall, "seconds": wall, "rss_peak_mb": 0.0})
                say(f"{'ceiling':10s} {wall:7.1f} s wall (two analysis processes, a half each)", quiet=quiet)
                continue
            db = work / f"{mode}.db"
            for old in work.glob(f"{mode}.db*"):
                old.unlink()
            started = time.monotonic()
            done = subprocess.run(
                [sys.executable, __file__, "--child", mode, str(corpus), str(db)],
                capture_output=True,
                text=True,
                check=True,
            )
            wall = time.monotonic() - started
            data = json.loads(done.stdout.strip().splitlines()[-1])
            data["wall"] = wall
            runs[mode].append(data)
            streamed = f", streamed {data['streamed']:.1f} s + passes" if "streamed" in data else ""
            say(
                f"{mode:10s} {wall:7.1f} s wall ({data['seconds']:.1f} s in process{streamed}), "
                f"{n / wall:5.1f} articles/s, CPU {data['cpu_main']:.0f} s main "
                f"+ {data['cpu_workers']:.0f} s workers, "
                f"peak RSS {data['rss_peak_mb']:.0f} MB (main process)",
                quiet=quiet,
            )
    for mode, measured in runs.items():
        best = min(measured, key=lambda d: d["wall"])
        results[mode] = {**best, "walls": [d["wall"] for d in measured]}
    split = work / "split.db"
    for old in work.glob("split.db*"):
        old.unlink()
    done = subprocess.run(
        [sys.executable, __file__, "--child", "split", str(corpus), str(split)],
        capture_output=True,
        text=True,
        check=True,
    )
    parts = json.loads(done.stdout.strip().splitlines()[-1])
    results["split"] = parts
    results["write_share"] = (parts["prepare"] + parts["write"]) / parts["analysis"]
    say(
        f"one pass, timed inside: analysis {parts['analysis']:.1f} s, prepare {parts['prepare']:.2f} s, "
        f"write {parts['write']:.2f} s: the write path is "
        f"{100 * results['write_share']:.1f} % of the analysis",
        quiet=quiet,
    )
    one, two, alone = results["ingest-1"], results["ingest-2"], results["analysis"]
    results["speedup_2_workers"] = one["wall"] / two["wall"]
    results["speedup_ceiling"] = alone["wall"] / results["ceiling"]["wall"]
    results["write_overhead"] = one["streamed"] / alone["seconds"] - 1
    say(
        f"best of {repeat}: 2 workers / 1 worker: {results['speedup_2_workers']:.2f}x (target >= 1.7; "
        f"two independent processes on this machine: {results['speedup_ceiling']:.2f}x); "
        f"ingest-1 over analysis alone, end to end: "
        f"{100 * results['write_overhead']:+.1f} % (target <= 10 %)",
        quiet=quiet,
    )
    return results


# ---------------------------------------------------------------------------------- part 2

_WORD_RE = re.compile(r"[A-Za-z]{3,}")
_NAME_WORD_RE = re.compile(r"[A-Za-z]+")
_CONSONANTS, _VOWELS = "bcdfghklmnprstvz", "aeiou"


def _vocabulary(texts: list[str]) -> dict[int, list[str]]:
    by_length: dict[int, set[str]] = {}
    for text in texts:
        for word in _WORD_RE.findall(text):
            by_length.setdefault(len(word), set()).add(word.lower())
    return {n: sorted(words) for n, words in by_length.items()}


def _pseudonym(word: str, j: int) -> str:
    """A made-up word of the same length and capitals, the same for the same (word, j)."""
    if j == 0:
        return word
    rng = random.Random(f"{word}/{j}")
    out = []
    for i, char in enumerate(word):
        if not char.isalpha():
            out.append(char)
            continue
        letter = rng.choice(_VOWELS if i % 2 else _CONSONANTS)
        out.append(letter.upper() if char.isupper() else letter)
    return "".join(out)


def _rename(text: str, names: dict[str, str]) -> str:
    return _NAME_WORD_RE.sub(lambda m: names.get(m.group(0), m.group(0)), text)


def _variant(
    article: Article, analysis: Analysis, vocab: dict[int, list[str]], rng: random.Random, share: float
) -> tuple[str, Analysis]:
    """A text of the same length with renamed people and organisations and ``share`` of other words
    replaced, and the analysis that goes with it (offsets unchanged)."""
    names: dict[str, str] = {}
    for entity in analysis.entities:
        if entity.type in ("PERSON", "ORG"):
            # a few names recur a lot, most rarely: actors recur across the corpus as in news
            j = 0 if rng.random() < 0.2 else min(int(rng.paretovariate(0.8)), 5000)
            for word in _NAME_WORD_RE.findall(entity.name):
                names.setdefault(word, _pseudonym(word, j))
    spans = sorted(
        (m.start, m.end) for e in analysis.entities if e.type in ("PERSON", "ORG") for m in e.mentions
    )
    kept = sorted((m.start, m.end) for e in analysis.entities for m in e.mentions)
    chars = list(article.text)
    for match in _WORD_RE.finditer(article.text):
        start, end = match.span()
        if rng.random() < share and not any(s < end and start < e for s, e in kept):
            options = vocab.get(end - start)
            if options:
                chars[start:end] = rng.choice(options)
    for start, end in spans:
        chars[start:end] = _rename(article.text[start:end], names)
    text = "".join(chars)
    entities = [
        e.model_copy(
            update={
                "name": _rename(e.name, names),
                "mentions": [m.model_copy(update={"text": text[m.start : m.end]}) for m in e.mentions],
            }
        )
        if e.type in ("PERSON", "ORG")
        else e
        for e in analysis.entities
    ]
    quotes = [
        q.model_copy(
            update={
                "text": text[q.start : q.end],
                "speaker": _rename(q.speaker, names) if q.speaker else None,
            }
        )
        for q in analysis.quotes
    ]
    events = [
        ev.model_copy(update={"participants": [_rename(p, names) for p in ev.participants]})
        for ev in analysis.events
    ]
    tags = [_rename(t, names) for t in analysis.tags]
    return text, analysis.model_copy(
        update={"entities": entities, "quotes": quotes, "events": events, "tags": tags}
    )


def synthetic_store(
    bases: list[tuple[Article, Analysis]], total: int, seed: int = SEED, *, per_day: int | None = None
) -> Iterator[tuple[Article, Analysis]]:
    """``total`` (article, analysis) pairs varied from the base analyses (see the module docstring).

    Dates spread over two years; with ``per_day``, article *i* is filed on day ``i // per_day``
    instead, as a corpus that grows with the news (the same number of articles every day).
    """
    from datetime import date, timedelta

    rng = random.Random(seed)
    vocab = _vocabulary([article.text for article, _ in bases])
    sources = [f"outlet{k:02d}.example" for k in range(40)]
    start = date(2021, 1, 1)
    for i in range(total):
        article, analysis = bases[i % len(bases)]
        share = 0.02 if rng.random() < 0.02 else 0.3
        text, varied = _variant(article, analysis, vocab, rng, share)
        text += f"\nRef {i}.\n"
        offset = rng.randrange(730) if per_day is None else i // per_day
        day = (start + timedelta(days=offset)).isoformat()
        source = rng.choice(sources)
        meta = analysis.metadata.model_copy(
            update={
                "published": day,
                "source": source,
                "url": f"https://{source}/{day.replace('-', '/')}/a{i}",
            }
        )
        yield (
            Article(id=f"scale-{i:06d}", text=text, metadata=meta),
            varied.model_copy(update={"id": f"scale-{i:06d}", "metadata": meta}),
        )


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": 1000 * statistics.median(ordered),
        "p95_ms": 1000 * ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))],
        "max_ms": 1000 * ordered[-1],
        "n": len(ordered),
    }


def part_scale(total: int, base_db: Path, work: Path, *, quiet: bool) -> dict[str, Any]:
    from newsgraph.corpus.passes import run_passes
    from newsgraph.store import open_store, prepare

    with open_store(base_db, readonly=True) as base:
        bases = [
            (Article(id=item.key, text=item.text, metadata=item.analysis.metadata), item.analysis)
            for item in base.articles()
        ]
    say(f"scale: {total} articles from {len(bases)} analysed bases", quiet=quiet)
    db = work / "scale.db"
    results: dict[str, Any] = {"articles": total, "bases": len(bases)}
    rss_at: dict[int, float] = {}
    marks = {total // 10, total}
    started = time.monotonic()
    written = 0
    with open_store(db) as store:
        batch: list[Any] = []
        for article, analysis in synthetic_store(bases, total):
            batch.append(prepare(article, analysis))
            if len(batch) == 500:
                written += store.write(batch).stored
                batch = []
                if written in marks or written // 500 * 500 in marks:
                    rss_at[written] = rss_mb()[0]
        if batch:
            written += store.write(batch).stored
        rss_at[written] = rss_mb()[0]
        write_seconds = time.monotonic() - started
        results["write_seconds"] = write_seconds
        results["write_rate"] = written / write_seconds
        results["rss_mb_at"] = rss_at
        say(
            f"prepare + write: {written} articles in {write_seconds:.0f} s "
            f"({written / write_seconds:.0f}/s); "
            + ", ".join(f"RSS {v:.0f} MB at {k}" for k, v in sorted(rss_at.items())),
            quiet=quiet,
        )
        started = time.monotonic()
        passes = run_passes(store)
        results["passes"] = passes.as_dict()
        results["passes_seconds"] = time.monotonic() - started
        results["rss_peak_mb"] = rss_mb()[1]
        say(
            f"passes: {results['passes_seconds']:.0f} s ({passes.seconds}); {passes.actors} actors, "
            f"{passes.duplicate_groups} duplicate groups, {passes.stories} stories; "
            f"peak RSS {results['rss_peak_mb']:.0f} MB",
            quiet=quiet,
        )
    size = sum(p.stat().st_size for p in work.glob("scale.db*"))
    results["store_mb"] = size / 1e6
    say(f"store: {size / 1e6:.0f} MB ({size / total / 1024:.1f} KB per article)", quiet=quiet)
    results["latency"] = _latencies(db, quiet=quiet)
    return results


def _latencies(db: Path, *, quiet: bool) -> dict[str, Any]:
    from newsgraph.store import open_store

    rng = random.Random(SEED)
    out: dict[str, Any] = {}
    with open_store(db, readonly=True) as store:
        actors = [a.name for a in store.top_actors(types=("PERSON", "ORG"), limit=200)]
        people = [a.name for a in store.top_actors(types=("PERSON",), limit=1000) if a.quotes > 0][:50]
        texts = [item.text for _, item in zip(range(300), store.articles(batch=300), strict=False)]
        words = list(_vocabulary(texts)[6])
        queries: list[tuple[str, dict[str, Any]]] = []
        for _ in range(100):
            queries.append((rng.choice(words), {}))
            queries.append((f"{rng.choice(words)} {rng.choice(words)}", {}))
            queries.append((rng.choice(actors), {}))
            queries.append((rng.choice(words), {"person": rng.choice(people), "date_from": "2021-06-01"}))
            queries.append(
                (f'"{rng.choice(actors)}"', {"source": "outlet07.example", "date_to": "2022-06-30"})
            )
        store.search("warm up")
        samples: dict[str, list[float]] = {"all": []}
        for number, (query, filters) in enumerate(queries):
            kind = ["word", "two words", "name", "word + person + date", "phrase + source + date"][number % 5]
            started = time.perf_counter()
            store.search(query, limit=20, **filters)
            elapsed = time.perf_counter() - started
            samples["all"].append(elapsed)
            samples.setdefault(kind, []).append(elapsed)
        out["search"] = {kind: _percentiles(values) for kind, values in samples.items()}
        entity_samples = []
        for name in actors[:100]:
            started = time.perf_counter()
            store.entity(name)
            entity_samples.append(time.perf_counter() - started)
        out["entity"] = _percentiles(entity_samples)
        quote_samples = []
        for name in people[:50]:
            started = time.perf_counter()
            store.quotes(speaker=name, about=rng.choice(words), limit=50)
            quote_samples.append(time.perf_counter() - started)
        out["quotes"] = _percentiles(quote_samples)
    for kind, figures in out["search"].items():
        say(
            f"search {kind:24s} p50 {figures['p50_ms']:6.1f} ms  p95 {figures['p95_ms']:6.1f} ms", quiet=quiet
        )
    for name in ("entity", "quotes"):
        say(f"{name:31s} p50 {out[name]['p50_ms']:6.1f} ms  p95 {out[name]['p95_ms']:6.1f} ms", quiet=quiet)
    return out


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _child(*sys.argv[2:5])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--part", choices=("workers", "scale", "all"), default="all")
    parser.add_argument("--articles", type=int, default=600, help="synthetic articles for part workers")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each measurement (best counts)")
    parser.add_argument("--scale-articles", type=int, default=100_000)
    parser.add_argument("--work", help="keep the corpora and stores in this directory")
    parser.add_argument("--json", action="store_true", help="print every figure as one JSON object")
    args = parser.parse_args()
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="newsgraph-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {}
    if args.part in ("workers", "all"):
        for old in work.glob("ingest-*.db*"):
            old.unlink()
        results["workers"] = part_workers(args.articles, work, repeat=args.repeat, quiet=args.json)
    if args.part in ("scale", "all"):
        base = work / "ingest-1.db"
        if not base.exists():
            raise SystemExit(
                f"part scale needs the analyses of part workers ({base}); run --part workers first"
            )
        for old in work.glob("scale.db*"):
            old.unlink()
        results["scale"] = part_scale(args.scale_articles, base, work, quiet=args.json)
    if args.json:
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
