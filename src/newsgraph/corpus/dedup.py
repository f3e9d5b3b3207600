"""Near-duplicates: syndicated and lightly edited copies of one article, found with MinHash LSH.

An article's :func:`signature` is a 64-permutation MinHash (datasketch) of its word 5-grams
(lower case, punctuation dropped), 256 bytes, computed where the article is analysed and kept
in the store with its LSH band keys (:mod:`newsgraph.minhash`). The incremental pass looks up
each new article's candidates by band key in the store and keeps those whose estimated Jaccard
similarity reaches ``threshold`` (:func:`duplicates_of`; 0.5: a copy with a new headline, a cut
last paragraph or a dozen edited words stays well above it; two reports of the same event in
different words stay far below). :func:`group` does the same over a whole list of signatures
in memory (for a corpus held outside a store).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import numpy as np
from datasketch import MinHashLSH

from newsgraph.minhash import NUM_PERM, SHINGLE_WORDS, lean, shingles, signature, similarity

__all__ = [
    "NUM_PERM",
    "SHINGLE_WORDS",
    "THRESHOLD",
    "duplicates_of",
    "group",
    "shingles",
    "signature",
    "similarity",
]

THRESHOLD = 0.5


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
        lsh.insert(article, lean(data), check_duplication=False)
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
            candidates = [other for other in lsh.query(lean(row.tobytes())) if other != article]
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


def duplicates_of(data: bytes, candidates: Mapping[int, bytes], *, threshold: float = THRESHOLD) -> list[int]:
    """Those of the candidate articles (id -> signature) whose text is a near-duplicate of this one."""
    if not candidates:
        return []
    ids = list(candidates)
    matrix = np.frombuffer(b"".join(candidates[i] for i in ids), dtype=np.uint32).reshape(len(ids), NUM_PERM)
    row = np.frombuffer(data, dtype=np.uint32)
    equal = np.count_nonzero(matrix == row, axis=1)
    min_equal = math.ceil(threshold * NUM_PERM)
    return [i for i, same in zip(ids, equal.tolist(), strict=True) if same >= min_equal]
