"""Exports of a corpus store: JSONL records, Parquet tables, GDELT GKG 2.1 CSV.

- :func:`~newsgraph.export.jsonl.write_jsonl`: one ``analyze`` record per article (optionally
  with its corpus fields: actor ids, duplicate group, story);
- :func:`~newsgraph.export.parquet.write_parquet`: one Parquet file per record type, for DuckDB,
  pandas and Spark;
- :func:`~newsgraph.export.gkg.write_gkg`: GDELT Global Knowledge Graph 2.1 rows, so GDELT
  tooling can read a newsgraph corpus;
- :func:`~newsgraph.export.ninjs.write_ninjs`: IPTC ninjs 3.1, one news object per article, valid
  against IPTC's official schema (:func:`~newsgraph.export.ninjs.validate_ninjs` checks one).

The package is lazy (PEP 562): ``newsgraph analyze`` imports ``newsgraph.export.jsonl`` alone,
without the store (MinHash, SciPy) or pyarrow that the other exports pull in.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsgraph.export.gkg import write_gkg
    from newsgraph.export.jsonl import write_jsonl
    from newsgraph.export.ninjs import to_ninjs, validate_ninjs, write_ninjs
    from newsgraph.export.parquet import write_parquet

__all__ = ["to_ninjs", "validate_ninjs", "write_gkg", "write_jsonl", "write_ninjs", "write_parquet"]

_MODULES = {
    "to_ninjs": "ninjs",
    "validate_ninjs": "ninjs",
    "write_gkg": "gkg",
    "write_jsonl": "jsonl",
    "write_ninjs": "ninjs",
    "write_parquet": "parquet",
}


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module 'newsgraph.export' has no attribute {name!r}")
    return getattr(import_module(f"newsgraph.export.{module}"), name)
