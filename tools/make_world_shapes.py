"""Make ``src/shieldcheck/data/countries-50m.geojson.gz`` from world-atlas's ``countries-50m.json``.

Source: world-atlas 2.0.2 (npm; ISC licence, copyright Mike Bostock), whose
``countries-50m.json`` is Natural Earth's 1:50m admin-0 countries (public domain) as TopoJSON,
quantized to a 1e5 x 1e5 grid (0.0036 degree of longitude, 0.0017 of latitude). Run once; the
output is committed, and shieldcheck never downloads anything at run time.

What this does:

1. Decodes the TopoJSON (delta-encoded, quantized arcs; a negative arc index means the arc
   reversed) into rings of longitude/latitude degrees.
2. Drops the 0.001-degree ring round the South Pole that world-atlas's stitching leaves as
   Antarctica's outer ring (all of it at latitude -89.999), keeping the coast as the outline.
3. Makes planar polygons with :func:`shieldcheck.geography.polygon_from_lon_lat`: rings that
   cross the antimeridian (Russia's Chukotka and Wrangel Island, Fiji) are cut there; the
   Antarctic coast, which goes round the South Pole, is closed along latitude -90.
4. Snaps coordinates to a 1e-4 degree grid (11 m, well under the 1:50m data's own
   resolution) keeping every polygon valid, and writes one GeoJSON Feature per country,
   sorted by name, with properties ``name`` (Natural Earth's short name as in world-atlas)
   and ``id`` (ISO 3166-1 numeric as a string, null where Natural Earth has none), gzipped
   with a fixed timestamp so that the output is byte-for-byte reproducible.

Usage (from the repository root, with the project's virtual environment; npm fetches the
package tarball from the npm registry)::

    dir=$(mktemp -d)
    (cd "$dir" && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz)
    PYTHONPATH=src .venv/bin/python tools/make_world_shapes.py "$dir/package/countries-50m.json"

Options: ``--output PATH`` (default ``src/shieldcheck/data/countries-50m.geojson.gz``). The input
must be world-atlas 2.0.2's file (SHA-256 checked); the output is then byte-for-byte the
shipped one.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry.polygon import orient

from shieldcheck.geography import polygon_from_lon_lat

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = ROOT / "src" / "shieldcheck" / "data" / "countries-50m.geojson.gz"
INPUT_SHA256 = "04342cdc1e3016bcd7db1630de95684d67b79fe3c8c460321e87aef469502394"  # world-atlas 2.0.2
GRID_DEG = 1e-4
DECIMALS = 4
SOURCE = ("Natural Earth 1:50m admin-0 countries (public domain, naturalearthdata.com) via world-atlas 2.0.2 "
          "countries-50m.json (ISC licence, copyright Mike Bostock); cut at the antimeridian and snapped to "
          "1e-4 degree by tools/make_world_shapes.py")


def decoded_arcs(topology: dict) -> list[np.ndarray]:
    """Every arc as an (n, 2) longitude/latitude array in degrees."""
    scale = np.asarray(topology["transform"]["scale"], dtype=float)
    translate = np.asarray(topology["transform"]["translate"], dtype=float)
    return [translate + np.cumsum(np.asarray(arc, dtype=float), axis=0) * scale for arc in topology["arcs"]]


def ring(arcs: list[np.ndarray], indices: list[int]) -> np.ndarray:
    """The ring made by joining the arcs ``indices`` (each shares its first point with the last arc's end)."""
    pieces = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        pieces.append(arc if not pieces else arc[1:])
    return np.concatenate(pieces)


def is_polar_cap(points_deg: np.ndarray) -> bool:
    """The stitching's ring round a pole: every vertex within 0.01 degree of latitude of it."""
    return bool(np.all(np.abs(points_deg[:, 1]) > 89.99))


def country_geometry(arcs: list[np.ndarray], topo_geometry: dict):
    """A country's planar (Multi)Polygon in [-180, 180] degrees."""
    polygons = [topo_geometry["arcs"]] if topo_geometry["type"] == "Polygon" else topo_geometry["arcs"]
    parts = []
    for polygon in polygons:
        rings = [r for r in (ring(arcs, indices) for indices in polygon) if not is_polar_cap(r)]
        if rings:
            parts.append(polygon_from_lon_lat(rings[0], rings[1:]))
    return shapely.union_all(parts)


def snapped(geometry):
    """``geometry`` on the GRID_DEG grid, valid, exteriors counter-clockwise (RFC 7946)."""
    geometry = shapely.set_precision(geometry, GRID_DEG)
    if not geometry.is_valid or geometry.geom_type not in ("Polygon", "MultiPolygon"):
        raise ValueError(f"snapping left a {geometry.geom_type}: {shapely.is_valid_reason(geometry)}")
    polygons = [orient(p, sign=1.0) for p in shapely.get_parts(geometry)]
    return polygons[0] if len(polygons) == 1 else shapely.MultiPolygon(polygons)


def rounded(coordinates):
    if isinstance(coordinates[0], int | float):
        return [round(float(c), DECIMALS) for c in coordinates]
    return [rounded(c) for c in coordinates]


def feature(name: str, iso_numeric: str | None, geometry) -> dict:
    mapping = shapely.geometry.mapping(geometry)
    return {"type": "Feature", "properties": {"name": name, "id": iso_numeric},
            "geometry": {"type": mapping["type"], "coordinates": rounded(mapping["coordinates"])}}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("countries_50m_json", type=Path, help="world-atlas 2.0.2 countries-50m.json")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)

    raw = args.countries_50m_json.read_bytes()
    if hashlib.sha256(raw).hexdigest() != INPUT_SHA256:
        raise SystemExit(f"{args.countries_50m_json} is not world-atlas 2.0.2's countries-50m.json "
                         f"(SHA-256 {hashlib.sha256(raw).hexdigest()}, expected {INPUT_SHA256})")
    topology = json.loads(raw)
    arcs = decoded_arcs(topology)
    features = []
    for topo_geometry in topology["objects"]["countries"]["geometries"]:
        name = topo_geometry["properties"]["name"]
        geometry = snapped(country_geometry(arcs, topo_geometry))
        features.append(feature(name, topo_geometry.get("id"), geometry))
    features.sort(key=lambda f: f["properties"]["name"])
    collection = {"type": "FeatureCollection", "source": SOURCE, "features": features}

    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as packed:
        packed.write(text)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(buffer.getvalue())
    print(f"{args.output}: {len(features)} countries, {len(text):,} bytes of GeoJSON, "
          f"{len(buffer.getvalue()):,} gzipped")


if __name__ == "__main__":
    main()
