"""Wall time and peak memory of one very long article (a transcript, a long report).

Each case runs in a subprocess of its own, so that its peak resident memory
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``) is its own: the subprocess loads the model
(timed apart), reads the article and runs ``newsgraph.pipeline.process`` over it, the way
``newsgraph analyze`` does. The article is built from the ``text`` column of the Wikinews
articles in ``../shared/corpus/wikinews/*.csv`` (CC BY 2.5), joined by blank lines and repeated
until it holds the size asked for; nothing is copied into the repo, and the benchmark exits 0
with a note when the corpus is absent.

``--whole`` adds, for comparison, the way newsgraph parsed before it cut long articles: the
whole text as one ``Doc`` (``nlp.max_length`` raised to fit) and every extractor over it.

Usage::

    python benchmarks/long_articles.py                  # 1 and 10 million characters
    python benchmarks/long_articles.py --sizes 1 --whole
    python benchmarks/long_articles.py --sizes 0.3,1 --json
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "wikinews"


def corpus_texts(directory: Path) -> list[str]:
    """The ``text`` column of every ``*.csv`` file of ``directory``, in path order."""
    texts: list[str] = []
    csv.field_size_limit(sys.maxsize)
    for path in sorted(directory.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            texts.extend(row["text"].strip() for row in csv.DictReader(handle) if row.get("text"))
    return texts


def build_article(texts: list[str], chars: int) -> str:
    """The texts joined by blank lines, repeated, cut at a paragraph to about ``chars`` characters."""
    parts: list[str] = []
    size = n = 0
    while size < chars:
        text = texts[n % len(texts)]
        parts.append(text)
        size += len(text) + 2
        n += 1
    article = "\n\n".join(parts)
    cut = article.rfind("\n\n", 0, chars)
    return article[: cut if cut > 0 else chars]


def run_case(path: str, mode: str) -> dict[str, object]:
    """In the subprocess: analyse the article at ``path`` and report time, memory and counts."""
    from newsgraph import nlp as nlp_module
    from newsgraph.models import Analysis
    from newsgraph.pipeline import _analyze_doc, process, to_article
    from newsgraph.repair import repair

    started = time.perf_counter()
    nlp = nlp_module.load(None)
    loaded = time.perf_counter()
    rss_loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    text = Path(path).read_text(encoding="utf-8")
    article = to_article({"id": "long", "text": text})  # as a JSONL line is read
    if mode == "whole":
        nlp.max_length = max(nlp.max_length, len(text) + 1)
        repaired = repair(article)
        result: object = _analyze_doc(nlp(repaired.text), article, repaired)
    else:
        result = next(iter(process([article], nlp=nlp)))
    done = time.perf_counter()
    counts = (
        {
            "entities": len(result.entities),
            "quotes": len(result.quotes),
            "events": len(result.events),
            "places": len(result.places),
        }
        if isinstance(result, Analysis)
        else {"error": str(result)}
    )
    return {
        "mode": mode,
        "chars": len(text),
        "words": len(text.split()),
        "load_s": round(loaded - started, 2),
        "seconds": round(done - loaded, 1),
        "rss_loaded_mb": round(rss_loaded),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        **counts,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,10", help="article sizes in millions of characters")
    parser.add_argument("--whole", action="store_true", help="also the whole text as one Doc")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="directory of Wikinews CSV files")
    parser.add_argument("--json", action="store_true", help="one JSON object per case on stdout")
    parser.add_argument("--case", nargs=2, metavar=("PATH", "MODE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.case:
        print(json.dumps(run_case(*args.case)))
        return 0
    texts = corpus_texts(args.corpus) if args.corpus.is_dir() else []
    if not texts:
        print(f"no Wikinews corpus at {args.corpus}: nothing to measure", file=sys.stderr)
        return 0
    say = sys.stderr if args.json else sys.stdout
    print(f"corpus: {len(texts)} Wikinews articles from {args.corpus}; {os.cpu_count()} CPUs", file=say)
    with tempfile.TemporaryDirectory() as tmp:
        for size in (float(s) for s in args.sizes.split(",")):
            path = Path(tmp) / f"article_{size:g}M.txt"
            path.write_text(build_article(texts, int(size * 1_000_000)), encoding="utf-8")
            for mode in ("pieces", "whole") if args.whole else ("pieces",):
                child = subprocess.run(
                    [sys.executable, __file__, "--case", str(path), mode],
                    capture_output=True,
                    text=True,
                    check=False,
                )
                if child.returncode != 0:
                    tail = (child.stderr.strip().splitlines() or ["no output"])[-1]
                    print(f"{size:g}M {mode}: failed ({child.returncode}): {tail}", file=say)
                    continue
                case = json.loads(child.stdout.strip().splitlines()[-1])
                if args.json:
                    print(json.dumps(case))
                rate = case["words"] / max(case["seconds"], 0.01)
                print(
                    f"{case['chars']:>10,} chars {case['words']:>9,} words  {mode:<6}  "
                    f"{case['seconds']:>7.1f} s  {rate:>6,.0f} words/s  "
                    f"peak RSS {case['peak_rss_mb']:>5,} MB (model loaded: {case['rss_loaded_mb']} MB)  "
                    f"{case.get('entities', '-')} entities, {case.get('quotes', '-')} quotes, "
                    f"{case.get('events', '-')} events, {case.get('places', '-')} places",
                    file=say,
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
