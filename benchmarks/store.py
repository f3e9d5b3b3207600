"""Store benchmarks: SQLite vs PostgreSQL write cost, and the incremental passes at 10k vs 100k articles.

Part ``writes``: the same prepared articles (the store's real rows: record, MinHash, bands,
entities, quotes, events, places) written in batches of 16, one transaction each, to a new
SQLite store and to a new PostgreSQL database on a throwaway local cluster
(:func:`newsgraph.store.cluster.local_postgres`, durable settings). Runs alternate between the
backends; the median per-article write time of each and their ratio are reported.

Part ``passes``: a synthetic store (article *i* is a variant of one of a few dozen really
analysed Wikinews articles: people and organisations renamed from a pool of pseudonyms that
recur as news actors do, a third of the other words replaced; see ``benchmarks/ingest.py``)
is grown to ``--small`` articles (``PER_DAY`` a day, as an archive grows with the news) with the
passes run, then ``--add`` new articles are stored
and the passes timed in a fresh process (time and that process's peak RSS); the store is then
grown to ``--large`` and the same is done again. The target: the pass over the added articles
costs at most 1.2x at the large size what it costs at the small one, with flat memory.

Usage::

    python benchmarks/store.py --part writes --articles 2000
    python benchmarks/store.py --part passes --small 10000 --large 100000 --add 1000
    python benchmarks/store.py --part paging --articles 500000

Part ``paging``: a store of ``--articles`` bare articles (one quote each; a fiftieth undated)
filled by SQL on each backend, then 30 newest-first pages of articles (``search`` without a
query) and of quotes walked by cursor; the baseline in the same run is the same page read the
way it was before the ``*_newest`` indexes (ORDER BY the date column with an OR-ed cursor
condition), which sorts the whole table for every page.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from ingest import synthetic_store  # noqa: E402

from newsgraph.models import Analysis, Article  # noqa: E402
from newsgraph.store.base import NEWEST_ARTICLES, NEWEST_QUOTES  # noqa: E402

WIKINEWS = REPO.parent / "shared" / "corpus" / "wikinews"
BATCH = 16
#: Articles a day in the passes part: the store grows with the news, as a real archive does.
PER_DAY = 300


def bases(count: int) -> list[tuple[Article, Analysis]]:
    """Real analyses of ``count`` Wikinews articles (or the repo's examples when the corpus is absent)."""
    from newsgraph.pipeline import process
    from newsgraph.readers import read_inputs

    folder = WIKINEWS if WIKINEWS.is_dir() else REPO / "examples"
    paths = sorted(str(p) for p in folder.iterdir() if p.is_file())[:count]
    articles = [a for a in read_inputs(paths) if isinstance(a, Article)]
    results = list(process(articles, batch_size=BATCH))
    return [(a, r) for a, r in zip(articles, results, strict=True) if isinstance(r, Analysis)]


def part_writes(count: int, repeat: int) -> dict[str, Any]:
    from newsgraph.store import open_store, prepare
    from newsgraph.store.cluster import create_database, local_postgres

    rows = [prepare(a, r) for a, r in synthetic_store(bases(30), count)]
    timings: dict[str, list[float]] = {"sqlite": [], "postgresql": []}
    with local_postgres(durable=True) as server, tempfile.TemporaryDirectory() as work:
        for run in range(repeat):
            for backend in ("sqlite", "postgresql") if run % 2 == 0 else ("postgresql", "sqlite"):
                target = f"{work}/w{run}.db" if backend == "sqlite" else create_database(server, f"w{run}")
                with open_store(target) as store:
                    started = time.perf_counter()
                    for start in range(0, len(rows), BATCH):
                        store.write(rows[start : start + BATCH])
                    timings[backend].append((time.perf_counter() - started) / len(rows))
    out = {b: 1000 * statistics.median(t) for b, t in timings.items()}
    print(f"write, per article (median of {repeat}, {count} articles, batches of {BATCH}):")
    print(f"  sqlite      {out['sqlite']:.2f} ms")
    print(f"  postgresql  {out['postgresql']:.2f} ms")
    print(f"  ratio postgresql/sqlite {out['postgresql'] / out['sqlite']:.2f}")
    return {"ms_per_article": out, "ratio": out["postgresql"] / out["sqlite"]}


def _grow(target: str, pool: list[tuple[Article, Analysis]], start: int, stop: int) -> float:
    """Store synthetic articles ``start``..``stop`` and run the passes; returns the seconds taken."""
    from newsgraph.store import open_store, prepare

    began = time.monotonic()
    with open_store(target) as store:
        batch = []
        for i, (article, analysis) in enumerate(synthetic_store(pool, stop, per_day=PER_DAY)):
            if i < start:
                continue
            batch.append(prepare(article, analysis))
            if len(batch) == 500:
                store.write(batch)
                batch = []
        if batch:
            store.write(batch)
    return time.monotonic() - began


def _timed_passes(target: str) -> dict[str, Any]:
    """Run the passes in a fresh process: its wall time and peak RSS."""
    code = (
        "import json, sys, time\n"
        "from newsgraph.corpus.passes import run_passes\n"
        "from newsgraph.store import open_store\n"
        "store = open_store(sys.argv[1]); t = time.perf_counter(); report = run_passes(store)\n"
        "hwm = next(int(x.split()[1]) for x in open('/proc/self/status') if x.startswith('VmHWM'))\n"
        "print(json.dumps({'seconds': time.perf_counter() - t, 'steps': report.seconds,"
        " 'rss_peak_mb': hwm / 1024}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code, target], capture_output=True, text=True, check=True)
    return dict(json.loads(done.stdout))


def part_passes(small: int, large: int, add: int) -> dict[str, Any]:
    pool = bases(40)
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as work:
        target = f"{work}/passes.db"
        size = 0
        for goal in (small, large):
            grown = _grow(target, pool, size, goal)
            base = _timed_passes(target)
            print(
                f"grew to {goal} articles in {grown:.0f} s; passes over them {base['seconds']:.0f} s",
                flush=True,
            )
            # the measured step: ``add`` articles not seen before, then the passes over them
            _grow(target, pool, goal, goal + add)
            measured = _timed_passes(target)
            results[goal] = measured
            print(
                f"  +{add} articles at {goal}: passes {measured['seconds']:.2f} s "
                f"({', '.join(f'{k} {v:.2f} s' for k, v in measured['steps'].items())}), "
                f"peak RSS {measured['rss_peak_mb']:.0f} MB",
                flush=True,
            )
            size = goal + add
    ratio = results[large]["seconds"] / results[small]["seconds"]
    print(f"ratio {large} / {small}: {ratio:.2f} (target <= 1.2)")
    results["ratio"] = ratio
    return results


_FILL = {
    "sqlite": (
        "WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < ?)"
        " INSERT INTO articles (hash, key, source, title, date, text, words, record, ingested)"
        " SELECT 'h' || n, 'k' || n, 'example.com', 't', CASE WHEN n % 50 = 0 THEN NULL"
        " ELSE date('2000-01-01', '+' || (n % 9000) || ' days') END, 'x', 1, x'00', 'now' FROM g"
    ),
    "postgresql": (
        "INSERT INTO articles (hash, key, source, title, date, text, words, record, ingested)"
        " SELECT 'h' || n, 'k' || n, 'example.com', 't', CASE WHEN n % 50 = 0 THEN NULL"
        " ELSE to_char(date '2000-01-01' + (n % 9000), 'YYYY-MM-DD') END, 'x', 1, '\\x00'::bytea, 'now'"
        " FROM generate_series(1, ?) n"
    ),
}


def _page(store: Any, table: str, cursor: tuple[str, int] | None, *, indexed: bool) -> tuple[str, int] | None:
    """One newest-first page of 20 (the SQL of ``Store.search``/``Store.quotes`` without the joins
    and filters), read with the indexes' key and order, or as before them (``indexed=False``: the
    date column, NULLS LAST, an OR-ed cursor condition); returns the next page's cursor."""
    a = table[0]
    key, order = (NEWEST_ARTICLES if a == "a" else NEWEST_QUOTES) if indexed else ("", "")
    where, args = "", []
    if cursor is not None and indexed:
        where, args = f" WHERE ({key}) < (?, ?)", list(cursor)
    elif cursor is not None:
        where = f" WHERE coalesce({a}.date, '') < ? OR (coalesce({a}.date, '') = ? AND {a}.id < ?)"
        args = [cursor[0], cursor[0], cursor[1]]
    if not indexed:
        order = f"{a}.date DESC{' NULLS LAST' if store.backend == 'postgresql' else ''}, {a}.id DESC"
    rows = store.execute(
        f"SELECT {a}.id, {a}.date FROM {table} {a}{where} ORDER BY {order} LIMIT 21", args
    ).fetchall()
    return (rows[19][1] or "", int(rows[19][0])) if len(rows) > 20 else None


def part_paging(count: int, pages: int = 30) -> dict[str, Any]:
    from newsgraph.store import open_store
    from newsgraph.store.cluster import local_postgres

    results: dict[str, Any] = {}
    with local_postgres() as server, tempfile.TemporaryDirectory() as work:
        for backend, target in (("sqlite", f"{work}/paging.db"), ("postgresql", server)):
            with open_store(target) as store:
                with store.transaction():
                    store.execute(_FILL[backend], (count,))
                    store.execute(
                        'INSERT INTO quotes (article, speaker, text, kind, start, "end", date)'
                        " SELECT id, 's', 'q', 'direct', 0, 1, date FROM articles"
                    )
                store.execute("ANALYZE")
                for what in ("articles", "quotes"):
                    timings: dict[bool, list[float]] = {True: [], False: []}
                    cursors: dict[bool, tuple[str, int] | None] = {True: None, False: None}
                    for _ in range(pages):
                        for indexed in (True, False):
                            started = time.perf_counter()
                            cursors[indexed] = _page(store, what, cursors[indexed], indexed=indexed)
                            timings[indexed].append(time.perf_counter() - started)
                    new, old = (1000 * statistics.median(timings[flag]) for flag in (True, False))
                    print(
                        f"{backend:10s} {what:8s} page of 20 of {count:,}: {new:7.2f} ms"
                        f" (before the index {old:7.2f} ms; ratio {new / old:.3f})"
                    )
                    results[f"{backend}/{what}"] = {"ms": new, "ms_before": old}
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--part", choices=("writes", "passes", "paging"), default="writes")
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--add", type=int, default=1000)
    args = parser.parse_args()
    if args.part == "writes":
        part_writes(args.articles, args.repeat)
    elif args.part == "paging":
        part_paging(args.articles)
    else:
        part_passes(args.small, args.large, args.add)
    print(f"peak RSS of the driver {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
