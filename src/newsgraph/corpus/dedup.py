"""Near-duplicates: syndicated and lightly edited copies of one article, found with MinHash LSH.

An article's :func:`signature` is a 64-permutation MinHash (datasketch) of its word 5-grams
(lower case, punctuation dropped), 256 bytes, computed where the article is analysed and kept
in the store. :func:`group` puts all signatures in a ``MinHashLSH`` index, checks each
candidate pair's estimated Jaccard similarity against ``threshold`` (0.5: a copy with a new
headline, a cut last paragraph or a dozen edited words stays well above it; two reports of the
same event in different words stay far below), and joins the pairs into groups. Articles
already checked keep their groups, so a later run looks up only the articles added since.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

__all__ = ["NUM_PERM", "SHINGLE_WORDS", "THRESHOLD", "group", "shingles", "signature", "similarity"]

NUM_PERM = 64
SHINGLE_WORDS = 5
THRESHOLD = 0.5
_SCHEME = "affine32"
_WORD_RE = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, *, size: int = SHINGLE_WORDS) -> set[bytes]:
    """The word ``size``-grams of a text (lower case, punctuation ignored), as bytes."""
    words = _WORD_RE.findall(text.casefold())
    if len(words) <= size:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


@lru_cache(maxsize=1)
def _permutations() -> object:
    return MinHash(num_perm=NUM_PERM, seed=1, scheme=_SCHEME).permutations


def signature(text: str) -> bytes:
    """The MinHash signature of a text: ``NUM_PERM`` unsigned 32-bit values, as bytes."""
    minhash = MinHash(num_perm=NUM_PERM, seed=1, permutations=_permutations(), scheme=_SCHEME)
    grams = shingles(text)
    if grams:
        minhash.update_batch(list(grams))
    return bytes(np.asarray(minhash.hashvalues, dtype=np.uint32).tobytes())


def _lean(data: bytes) -> LeanMinHash:
    return LeanMinHash(seed=1, hashvalues=np.frombuffer(data, dtype=np.uint32), scheme=_SCHEME)


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of the texts behind two signatures."""
    left, right = np.frombuffer(a, dtype=np.uint32), np.frombuffer(b, dtype=np.uint32)
    return float(np.count_nonzero(left == right)) / len(left)


def group(
    signatures: Iterable[tuple[int, bytes]],
    *,
    threshold: float = THRESHOLD,
    known: Mapping[int, int] | None = None,
    new_after: int = 0,
) -> dict[int, int]:
    """Near-duplicate groups: article id -> group id (its smallest member), for groups of two or more.

    Every signature goes into the LSH index, but only articles with an id above ``new_after``
    are looked up in it: ``known`` gives the groups found before (article id -> group id), so a
    run after an ingest checks only the new articles. Each lookup's candidates are checked
    against ``threshold`` together, as one array operation.
    """
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    ids: list[int] = []
    rows: dict[int, int] = {}
    blobs: list[bytes] = []
    empty = signature("")
    for article, data in signatures:
        if len(data) != NUM_PERM * 4 or data == empty:
            continue
        rows[article] = len(ids)
        ids.append(article)
        blobs.append(data)
        lsh.insert(article, _lean(data), check_duplication=False)
    matrix = np.frombuffer(b"".join(blobs), dtype=np.uint32).reshape(len(ids), NUM_PERM) if ids else None
    del blobs
    parent: dict[int, int] = {}

    def find(item: int) -> int:
        root = item
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(item, item) != root:
            parent[item], item = root, parent[item]
        return root

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for article, group_id in (known or {}).items():
        if article in rows and group_id in rows:
            union(article, group_id)
    if matrix is not None:
        min_equal = math.ceil(threshold * NUM_PERM)
        for article in ids:
            if article <= new_after:
                continue
            row = matrix[rows[article]]
            candidates = [other for other in lsh.query(_lean(row.tobytes())) if other != article]
            if not candidates:
                continue
            equal = np.count_nonzero(matrix[[rows[c] for c in candidates]] == row, axis=1)
            for other, same in zip(candidates, equal.tolist(), strict=True):
                if same >= min_equal:
                    union(article, other)
    sizes: dict[int, int] = {}
    for article in ids:
        root = find(article)
        sizes[root] = sizes.get(root, 0) + 1
    return {article: find(article) for article in ids if sizes[find(article)] > 1}
