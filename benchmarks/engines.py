"""The Ray engine against the local process pool: ``newsgraph ingest`` throughput with each.

Each measurement is one fresh process running ``newsgraph.corpus.ingest.ingest`` on the same
JSONL corpus into a new SQLite store, with ``--workers`` workers (2), batches of 16 and no
corpus passes (they do not depend on the engine):

- ``local``: ``engine="local"``, spawned worker processes;
- ``ray``: ``engine="ray"``, a local Ray started for the run (one CPU per worker, a 256 MB
  object store, no dashboard) and one actor per worker.

Both load the model once per worker. Figures per run: **end to end** (from the call to the
last write: start-up, model loads and the whole stream), **steady** (from the first stored
batch to the last: the stream once the workers are up; the words of the batches stored after
the first, counted exactly), and **CPU per word** (this process, plus every process it started:
pool workers, or Ray's own processes and its actors, sampled after each write). The engines
alternate, the order swapped every round, and the median of ``--repeat`` rounds is reported
with every run in brackets. The issue's target is ``ray / local >= 0.9``.

Corpus: the first ``--articles`` texts (150) of the 295 English Wikinews articles in
``../shared/corpus/wikinews/*.csv`` (CC BY 2.5), read in place; the benchmark exits 0 with a
note when they are absent.

Usage::

    python benchmarks/engines.py [--articles N] [--repeat R] [--workers W] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from throughput import WIKINEWS, wikinews_corpus

ENGINES = ("local", "ray")
BATCH = 16
TARGET = 0.9


def _tree_cpu() -> float:
    """CPU seconds (user + system) of this process's descendants now alive, and of their reaped children."""
    tick = os.sysconf("SC_CLK_TCK")
    parent: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parent[int(entry)] = int(fields[1])
        cpu[int(entry)] = sum(int(x) for x in fields[11:15]) / tick  # utime stime cutime cstime
    me, total = os.getpid(), 0.0
    for pid in cpu:
        ancestor = parent.get(pid, 0)
        while ancestor > 1 and ancestor != me:
            ancestor = parent.get(ancestor, 0)
        if ancestor == me:
            total += cpu[pid]
    return total


def _child(engine: str, corpus: str, db: str, workers: int) -> None:
    """One measured ingest, in its own process; prints a JSON line."""
    from newsgraph.corpus.ingest import IngestReport, ingest
    from newsgraph.store import open_store

    words = {}
    with open(corpus, encoding="utf-8") as lines:
        for line in lines:
            item = json.loads(line)
            words[item["id"]] = len(item["text"].split())
    first: dict[str, float] = {}
    workers_cpu = [0.0]

    def progress(report: IngestReport) -> None:
        if report.stored and "at" not in first:
            first["at"], first["stored"] = time.monotonic(), report.stored
        if report.stored:  # sampled while the workers are alive (the last call follows the last write)
            workers_cpu[0] = max(workers_cpu[0], _tree_cpu())

    with open_store(db) as store:
        started = time.monotonic()
        report = ingest(
            [corpus],
            store=store,
            engine=engine,
            workers=workers,
            batch_size=BATCH,
            passes=False,
            progress=progress,
        )
        ended = time.monotonic()
        keys = [item.key for item in store.articles()]  # in the order stored
    stored_words = sum(words[key] for key in keys)
    first_words = sum(words[key] for key in keys[: int(first["stored"])])
    print(
        json.dumps(
            {
                "engine": engine,
                "stored": report.stored,
                "failed": report.failed,
                "words": stored_words,
                "seconds": ended - started,
                "first_batch": first["at"] - started,
                "steady_words": stored_words - first_words,
                "steady_seconds": ended - first["at"],
                "cpu_main": time.process_time(),
                "cpu_workers": workers_cpu[0],
            }
        )
    )


def _run(engine: str, corpus: Path, work: Path, workers: int) -> dict[str, Any]:
    db = work / f"{engine}.db"
    for old in work.glob(f"{engine}.db*"):
        old.unlink()
    env = dict(os.environ)
    env.setdefault("RAY_AUTH_MODE", "disabled")  # a private local Ray for the run
    env.pop("RAY_ADDRESS", None)
    done = subprocess.run(
        [sys.executable, __file__, "--child", engine, str(corpus), str(db), str(workers)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=150)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument(
        "--copies",
        type=int,
        default=1,
        help="run over the corpus this many times (each copy's texts marked, so none is a known hash)",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--wikinews", type=Path, default=WIKINEWS)
    parser.add_argument("--json", action="store_true", help="every figure as one JSON object on stdout")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        engine, corpus, db, workers = args.child
        _child(engine, corpus, db, int(workers))
        return 0
    out = sys.stderr if args.json else sys.stdout
    if not any(args.wikinews.glob("*.csv")):
        print(f"skipped: no Wikinews CSV files in {args.wikinews}", file=sys.stderr)
        return 0
    texts = wikinews_corpus(args.wikinews)[: args.articles]
    texts = [text if copy == 0 else f"{text}\n(copy {copy})" for copy in range(args.copies) for text in texts]
    with tempfile.TemporaryDirectory(prefix="ng-engines-") as folder:
        work = Path(folder)
        corpus = work / "corpus.jsonl"
        with corpus.open("w", encoding="utf-8") as stream:
            for i, text in enumerate(texts):
                stream.write(json.dumps({"id": f"wn-{i:04d}", "text": text}) + "\n")
        words = sum(len(t.split()) for t in texts)
        print(
            f"corpus: {len(texts)} Wikinews articles ({args.copies} copies), {words} words; "
            f"{os.cpu_count()} CPUs, "
            f"{args.workers} workers, batches of {BATCH}; load average {os.getloadavg()[0]:.1f}",
            file=out,
            flush=True,
        )
        runs: dict[str, list[dict[str, Any]]] = {engine: [] for engine in ENGINES}
        for round_ in range(args.repeat):  # interleaved: a busy spell on a shared machine hits both
            for engine in ENGINES if round_ % 2 == 0 else ENGINES[::-1]:
                run = _run(engine, corpus, work, args.workers)
                runs[engine].append(run)
                print(
                    f"  {engine:5s} round {round_ + 1}: {run['seconds']:6.1f} s end to end "
                    f"(first batch stored at {run['first_batch']:4.1f} s), {run['stored']} stored, "
                    f"{run['failed']} failed; CPU {run['cpu_main']:.0f} s main + {run['cpu_workers']:.0f} s "
                    f"workers",
                    file=out,
                    flush=True,
                )
    results: dict[str, Any] = {"articles": len(texts), "words": words, "repeat": args.repeat, "runs": runs}
    for engine, measured in runs.items():
        total = [run["words"] / run["seconds"] for run in measured]
        steady = [run["steady_words"] / run["steady_seconds"] for run in measured]
        results[engine] = {
            "words_per_s": statistics.median(total),
            "steady_words_per_s": statistics.median(steady),
            "first_batch_s": statistics.median(run["first_batch"] for run in measured),
            "cpu_ms_per_word": statistics.median(
                1000 * (run["cpu_main"] + run["cpu_workers"]) / run["words"] for run in measured
            ),
        }
        print(
            f"{engine:5s} {results[engine]['words_per_s']:7.0f} words/s end to end "
            f"[{', '.join(f'{x:.0f}' for x in total)}], "
            f"{results[engine]['steady_words_per_s']:7.0f} words/s steady "
            f"[{', '.join(f'{x:.0f}' for x in steady)}], "
            f"first batch stored at {results[engine]['first_batch_s']:.1f} s, "
            f"{results[engine]['cpu_ms_per_word']:.2f} CPU ms/word",
            file=out,
        )
    for figure, label in (("words_per_s", "end to end"), ("steady_words_per_s", "steady")):
        ratio = results["ray"][figure] / results["local"][figure]
        results[f"ratio_{figure}"] = ratio
        print(f"ratio ray/local = {ratio:.2f} {label} (target >= {TARGET})", file=out)
    results["load_average_after"] = os.getloadavg()[0]
    print(f"load average after: {results['load_average_after']:.1f}", file=out)
    if args.json:
        print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
