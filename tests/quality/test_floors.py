"""Quality gate: attribution figures on the repo's own annotated texts must not fall below floors.

`attribution.jsonl` holds short news texts written for this project with their quotes annotated
(where each quote starts, its kind, its speaker). `floors.json` pins the lowest acceptable
figures and the corpus hash, so a silent change of the data shows up as a failure, the way
trafilatura's evaluation gate works. Raise a floor when the code gets better; never lower one
without saying why in the commit.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

import newsgraph

HERE = Path(__file__).parent
CORPUS = HERE / "attribution.jsonl"
FLOORS = json.loads((HERE / "floors.json").read_text(encoding="utf-8"))


def _same_speaker(predicted: str | None, gold: str) -> bool:
    if not predicted:
        return False
    p, g = predicted.lower().split(), gold.lower().split()
    return p == g or g[-1] in p or all(t in g for t in p)


def measure() -> dict[str, float]:
    """Recall, speaker accuracy, kind accuracy and precision of quotes on the corpus."""
    items = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    gold_n = found = speaker_ok = kind_ok = predicted = predicted_ok = 0
    for item, record in zip(items, newsgraph.analyze_many(items), strict=True):
        text = item["text"]
        spans = []
        for gold in item["quotes"]:
            at = text.index(gold["starts"])
            spans.append((at, at + len(gold["starts"])))
            gold_n += 1
            # the innermost record holding it: a fragment inside a reported clause is its own quote
            holding = [q for q in record.quotes if q.start <= at < q.end]
            hit = min(holding, key=lambda q: q.end - q.start, default=None)
            if hit is None:
                continue
            found += 1
            speaker_ok += _same_speaker(hit.speaker, gold["speaker"])
            kind_ok += hit.kind == gold["kind"]
        for quote in record.quotes:
            predicted += 1
            predicted_ok += any(quote.start < end and start < quote.end for start, end in spans)
    return {
        "recall": found / gold_n,
        "speaker_accuracy": speaker_ok / max(1, found),
        "kind_accuracy": kind_ok / max(1, found),
        "precision": predicted_ok / max(1, predicted),
    }


def test_corpus_is_the_pinned_one() -> None:
    digest = hashlib.sha256(CORPUS.read_bytes()).hexdigest()
    assert digest == FLOORS["corpus_sha256"], "attribution.jsonl changed: re-measure and update floors.json"


@pytest.mark.slow
def test_attribution_figures_hold_their_floors() -> None:
    figures = measure()
    below = {k: round(v, 3) for k, v in figures.items() if v < FLOORS[k]}
    assert not below, f"below the floors in floors.json: {below} (all figures: {figures})"


if __name__ == "__main__":  # python tests/quality/test_floors.py: print the figures
    print(json.dumps({k: round(v, 3) for k, v in measure().items()}, indent=2))
