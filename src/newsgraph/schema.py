"""The JSON Schema of the output records, committed as ``schemas/analysis.schema.json``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from newsgraph.models import Analysis

SCHEMA_PATH = Path(__file__).parent / "schemas" / "analysis.schema.json"


def analysis_schema() -> dict[str, Any]:
    """JSON Schema of one ``newsgraph analyze`` record."""
    schema = Analysis.model_json_schema(mode="serialization")
    schema["$id"] = "https://github.com/newsgraph/newsgraph/schema/analysis.schema.json"
    return schema
