"""Write ``src/newsgraph/data/us_county_points.tsv``: a point inside each US county.

Input: ``counties-10m.json`` of the npm package ``us-atlas`` (3.0.1; ISC licence, the US Census
Bureau's cartographic county boundaries, 2017 edition, public domain), fetched with
``npm pack us-atlas@3.0.1``. Each county's point is the area centroid of its largest polygon
(planar in degrees, which is close enough for a county), rounded to 0.01 degree.

    python scripts/us_county_points.py package/counties-10m.json > src/newsgraph/data/us_county_points.tsv
"""

from __future__ import annotations

import json
import sys
from typing import Any


def _arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    out = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        out.append(points)
    return out


def _ring(arcs: list[list[tuple[float, float]]], indices: list[int]) -> list[tuple[float, float]]:
    ring: list[tuple[float, float]] = []
    for i in indices:
        points = arcs[i] if i >= 0 else arcs[~i][::-1]
        ring.extend(points[1:] if ring else points)
    return ring


def _centroid(ring: list[tuple[float, float]]) -> tuple[float, float, float]:
    """Signed area and centroid (x, y) of a ring."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(area) < 1e-12:
        xs, ys = zip(*ring, strict=True)
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return area / 2, cx / (3 * area), cy / (3 * area)


def main(path: str) -> None:
    with open(path, encoding="utf-8") as f:
        topology = json.load(f)
    arcs = _arcs(topology)
    print("# US counties: FIPS code, latitude, longitude (see data/README.md; scripts/us_county_points.py)")
    for geometry in topology["objects"]["counties"]["geometries"]:
        polygons = geometry.get("arcs") or []
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        rings = [_ring(arcs, polygon[0]) for polygon in polygons if polygon]
        if not rings:
            continue
        _area, lon, lat = max((_centroid(r) for r in rings), key=lambda c: abs(c[0]))
        print(f"{geometry['id']}\t{lat:.2f}\t{lon:.2f}")


if __name__ == "__main__":
    main(sys.argv[1])
