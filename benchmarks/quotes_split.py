"""Quote attribution on any PolNeAR split, scored the way the referee scores ``quotes``.

The referee (``../shared/eval/score.py quotes``) reads the dev split; its ``.ann`` reader stops
on the train split (one annotation line there has no tab). Train is the best stand-in for the
blind split, so this script scores any split with the referee's own functions, imported from
``score.py`` (nothing of the evaluation data is copied), and an ``.ann`` reader that skips
malformed lines. Use it to check that a change helps on text it was not tuned on.

Usage::

    python benchmarks/quotes_split.py [--split train] [--limit 300] [--offset 0] [--errors N] [--kind direct]

It prints the referee's figures (recall, speaker accuracy per kind, precision, end-to-end), and
with ``--errors N`` a sample of N attributions whose speaker is wrong, with their context. It
exits 0 with a note when ``../shared/eval`` is absent.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REFEREE = ROOT.parent / "shared" / "eval" / "score.py"


def load_referee() -> ModuleType | None:
    """``score.py`` as a module, with an ``.ann`` reader that skips lines it cannot split."""
    if not REFEREE.exists():
        return None
    spec = importlib.util.spec_from_file_location("referee_score", REFEREE)
    assert spec is not None and spec.loader is not None
    referee = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(referee)
    strict = referee.parse_ann

    def tolerant(path: Path) -> list[dict[str, Any]]:
        lines = path.read_text(encoding="utf-8").splitlines()
        kept = [ln for ln in lines if not ln.startswith("T") or len(ln.split("\t")) >= 2]
        with tempfile.TemporaryDirectory() as tmp:
            clean = Path(tmp) / path.name
            clean.write_text("\n".join(kept), encoding="utf-8")
            return list(strict(clean))

    referee.parse_ann = tolerant
    return referee


def kind_of(referee: ModuleType, text: str, gold: dict[str, Any]) -> str | None:
    """The referee's split of a gold attribution: direct, speech (indirect) or other."""
    content, cue = referee._ext(gold["content"]), referee._ext(gold["cue"])
    if not content or not cue:
        return None
    if re.search(r"[\"\u201c\u201d]", text[content[0] : content[1]]):
        return "direct"
    return "speech" if set(referee.toks(text[cue[0] : cue[1]])) & referee.SPEECH_CUES else "other"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", default="train", help="PolNeAR split (default train)")
    parser.add_argument("--limit", type=int, default=300, help="first N articles (0: all)")
    parser.add_argument("--offset", type=int, default=0, help="skip the first N articles")
    parser.add_argument("--errors", type=int, default=0, help="print N wrong speakers")
    parser.add_argument("--kind", default="direct", choices=["direct", "speech", "other"])
    args = parser.parse_args(argv)
    referee = load_referee()
    if referee is None:
        print(f"no referee at {REFEREE}: nothing to score", file=sys.stderr)
        return 0
    from newsgraph.pipeline import analyze_many

    items = list(referee.polnear_items(args.split, referee.DATA))[args.offset :]
    items = items[: args.limit or None]
    results = {a.id: a for a in analyze_many([{"id": i, "text": t} for i, t, _ in items])}
    stats: Counter[str] = Counter()
    wrong: list[str] = []
    for doc_id, text, golds in items:
        quotes = results[doc_id].quotes
        used = set()
        for gold in golds:
            kind = kind_of(referee, text, gold)
            if kind is None:
                continue
            content = referee._ext(gold["content"])
            stats[f"gold_{kind}"] += 1
            best, hit = 0, None
            for n, quote in enumerate(quotes):
                ov = referee.overlap(quote.start, quote.end, *content)
                if ov >= 0.5 * min(quote.end - quote.start, content[1] - content[0]) and ov > best:
                    best, hit = ov, n
            if hit is None:
                continue
            used.add(hit)
            stats[f"found_{kind}"] += 1
            source = referee._ext(gold["source"])
            if not source:
                continue
            stats[f"withsrc_{kind}"] += 1
            quote = quotes[hit]
            overlaps = quote.speaker_start is not None and quote.speaker_end is not None
            ok = (overlaps and referee.overlap(quote.speaker_start, quote.speaker_end, *source) > 0) or (
                referee.name_match(quote.speaker, text[source[0] : source[1]])
            )
            stats[f"attr_{kind}"] += ok
            if not ok and kind == args.kind:
                wrong.append(
                    f"{doc_id}: gold {text[source[0] : source[1]]!r}, predicted {quote.speaker!r} "
                    f"({quote.speaker_text!r}, cue {quote.cue!r})\n"
                    f"    ...{text[max(0, content[0] - 120) : content[0]]!r} "
                    f"[[{text[content[0] : content[1]][:120]!r}]]"
                )
        for n, quote in enumerate(quotes):
            stats["pred"] += 1
            spans = [referee._ext(g["content"]) for g in golds]
            covered = any(
                s and referee.overlap(quote.start, quote.end, *s) > 0.5 * (quote.end - quote.start)
                for s in spans
            )
            stats["pred_ok"] += n in used or covered

    def ratio(a: str, b: str) -> float:
        return stats[a] / stats[b] if stats[b] else 0.0

    missed = stats["gold_direct"] - stats["found_direct"] + stats["gold_speech"] - stats["found_speech"]
    e2e = (stats["attr_direct"] + stats["attr_speech"]) / max(
        1, stats["withsrc_direct"] + stats["withsrc_speech"] + missed
    )
    direct = ratio("found_direct", "gold_direct"), ratio("attr_direct", "withsrc_direct")
    speech = ratio("found_speech", "gold_speech"), ratio("attr_speech", "withsrc_speech")
    print(
        f"quotes[{args.split}, {len(items)} articles from {args.offset}] "
        f"direct: recall {direct[0]:.3f} speaker-acc {direct[1]:.3f} | "
        f"indirect speech: recall {speech[0]:.3f} speaker-acc {speech[1]:.3f} | "
        f"precision {ratio('pred_ok', 'pred'):.3f} | end-to-end attributed recall {e2e:.3f}"
    )
    random.seed(1)
    for line in random.sample(wrong, min(args.errors, len(wrong))):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
