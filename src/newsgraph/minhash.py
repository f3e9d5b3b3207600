"""MinHash signatures of texts, and the LSH bands that find near-duplicates without a scan.

A text's :func:`signature` is a 64-permutation MinHash (datasketch) of its word 5-grams (lower
case, punctuation dropped), 256 bytes. :func:`bands` cuts it into ``BANDS`` bands of ``ROWS``
values (the split datasketch's ``MinHashLSH`` picks for a 0.5 threshold) and hashes each band
with its number to one signed 64-bit key: two texts whose signatures share a key are candidate
duplicates. The store indexes the keys, so finding an article's candidates is an index lookup,
whatever the size of the corpus.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

import numpy as np
from datasketch import LeanMinHash, MinHash

__all__ = [
    "BANDS",
    "NUM_PERM",
    "ROWS",
    "SHINGLE_WORDS",
    "bands",
    "lean",
    "shingles",
    "signature",
    "similarity",
]

NUM_PERM = 64
SHINGLE_WORDS = 5
BANDS, ROWS = 14, 4
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


def lean(data: bytes) -> LeanMinHash:
    return LeanMinHash(seed=1, hashvalues=np.frombuffer(data, dtype=np.uint32), scheme=_SCHEME)


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of the texts behind two signatures."""
    left, right = np.frombuffer(a, dtype=np.uint32), np.frombuffer(b, dtype=np.uint32)
    return float(np.count_nonzero(left == right)) / len(left)


def bands(data: bytes) -> list[int]:
    """The LSH band keys of a signature (none for the signature of an empty text)."""
    if len(data) != NUM_PERM * 4 or data == _empty():
        return []
    width = ROWS * 4
    keys = []
    for band in range(BANDS):
        digest = hashlib.blake2b(
            bytes([band]) + data[band * width : (band + 1) * width], digest_size=8
        ).digest()
        keys.append(int.from_bytes(digest, "big", signed=True))
    return keys


@lru_cache(maxsize=1)
def _empty() -> bytes:
    return signature("")
