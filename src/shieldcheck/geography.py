"""Countries as longitude/latitude polygons, sectors made of them, their areas and rasters.

Why: a defended area or a threatened region is named in words ("Poland and the Baltic states,
with 100 km of sea"); the analysis needs it as a polygon to test points against, an area to
compare, and a grid that a compiled kernel can look up.

Data: Natural Earth 1:50m admin-0 countries (public domain, naturalearthdata.com) as packaged
by world-atlas 2.0.2 (ISC licence, Mike Bostock), shipped as ``data/countries-50m.geojson.gz``
and made by ``tools/make_world_shapes.py``; see ``data/NATURAL_EARTH_LICENCE.txt``. Names are
Natural Earth's short names ("United States of America", "Czechia", "Bosnia and Herz.").
At 1:50m the outlines are good to a few kilometres: fine for sectors hundreds of kilometres
across, not for a border town.

Geometry is planar in longitude and latitude (degrees on WGS 84, longitude in [-180, 180]):
polygons that cross the antimeridian are cut there into pieces on either side, and a ring
around a pole (Antarctica) is closed along the pole's latitude, so that a planar
point-in-polygon test answers as on the sphere. Distances and areas are never taken in
degrees: buffers use azimuthal-equidistant projections and areas an equal-area projection.
"""

from __future__ import annotations

import functools
import gzip
import json
import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources

import numpy as np
import pyproj
import shapely
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from . import limits
from .errors import InputError

__all__ = [
    "Sector",
    "area_km2",
    "contains",
    "country",
    "country_names",
    "iso_numeric",
    "land_near",
    "outlines",
    "overlap_km2",
    "polygon_from_lon_lat",
    "polygons",
    "raster",
    "sector",
]

DATA_FILE = "data/countries-50m.geojson.gz"

# Other names people use for a country, mapped to Natural Earth's name (matching ignores case,
# accents, spaces, hyphens, full stops and apostrophes).
ALIASES = {
    "United States": "United States of America",
    "USA": "United States of America",
    "US": "United States of America",
    "America": "United States of America",
    "UK": "United Kingdom",
    "Great Britain": "United Kingdom",
    "Britain": "United Kingdom",
    "Czech Republic": "Czechia",
    "North Macedonia": "Macedonia",
    "Bosnia and Herzegovina": "Bosnia and Herz.",
    "Bosnia": "Bosnia and Herz.",
    "Democratic Republic of the Congo": "Dem. Rep. Congo",
    "DR Congo": "Dem. Rep. Congo",
    "Republic of the Congo": "Congo",
    "Central African Republic": "Central African Rep.",
    "Dominican Republic": "Dominican Rep.",
    "Equatorial Guinea": "Eq. Guinea",
    "South Sudan": "S. Sudan",
    "Western Sahara": "W. Sahara",
    "Ivory Coast": "Côte d'Ivoire",
    "Cape Verde": "Cabo Verde",
    "Swaziland": "eSwatini",
    "Burma": "Myanmar",
    "East Timor": "Timor-Leste",
    "Faroe Islands": "Faeroe Is.",
    "Republic of Korea": "South Korea",
    "Korea": "South Korea",
    "DPRK": "North Korea",
    "Turkiye": "Turkey",
    "Türkiye": "Turkey",
    "Russian Federation": "Russia",
    "Vatican City": "Vatican",
    "Holy See": "Vatican",
    "Northern Cyprus": "N. Cyprus",
    "Solomon Islands": "Solomon Is.",
    "Marshall Islands": "Marshall Is.",
    "Falkland Islands": "Falkland Is.",
    "Antigua and Barbuda": "Antigua and Barb.",
    "Saint Vincent and the Grenadines": "St. Vin. and Gren.",
    "Saint Kitts and Nevis": "St. Kitts and Nevis",
    "French Polynesia": "Fr. Polynesia",
}

TILE_DEG = 10.0  # buffers are grown tile by tile, each in its own azimuthal-equidistant projection
BUFFER_VERTEX_SPACING_M = 10_000.0  # outline spacing of a grown buffer before it is mapped back
EDGE_DENSIFY_DEG = 0.1  # straight lon/lat edges are split this finely before projecting
EQUAL_AREA_CRS = "EPSG:6933"  # WGS 84 / NSIDC EASE-Grid 2.0 Global: cylindrical, equal-area
SNAP_DECIMALS = 9  # pieces moved by 360 degrees are rounded to 1e-9 degree so that their cut edges meet exactly
_WINDOW_SHIFTS_DEG = (-720.0, -360.0, 0.0, 360.0, 720.0)


# --- Countries -----------------------------------------------------------------------------

def _key(name: str) -> str:
    """``name`` for matching: no case, accents, spaces, hyphens, full stops or apostrophes."""
    decomposed = unicodedata.normalize("NFKD", str(name))
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c for c in letters.casefold() if c not in " \t-.'\u2019_")


@dataclass(frozen=True)
class _Country:
    name: str
    iso_numeric: str | None
    geometry: BaseGeometry


@functools.lru_cache(maxsize=1)
def _countries() -> dict[str, _Country]:
    """The shipped countries by Natural Earth name, read once."""
    packed = resources.files("shieldcheck").joinpath(DATA_FILE).read_bytes()
    collection = json.loads(gzip.decompress(packed))
    countries = {}
    for feature in collection["features"]:
        properties = feature["properties"]
        geometry = shapely.geometry.shape(feature["geometry"])
        countries[properties["name"]] = _Country(properties["name"], properties["id"], geometry)
    return countries


@functools.lru_cache(maxsize=1)
def _by_key() -> dict[str, str]:
    names = {_key(name): name for name in _countries()}
    for alias, name in ALIASES.items():
        names.setdefault(_key(alias), name)
    return names


def country_names() -> list[str]:
    """Natural Earth's names of the shipped countries and territories, sorted."""
    return sorted(_countries())


def _canonical(name: str) -> str:
    found = _by_key().get(_key(name))
    if found is None:
        raise limits.not_allowed("country", name, country_names(), see="Natural Earth's names")
    return found


def country(name: str) -> BaseGeometry:
    """The country's (Multi)Polygon, longitude/latitude in degrees.

    ``name`` is Natural Earth's name or one of :data:`ALIASES`, without regard to case,
    accents, spaces, hyphens or full stops ("czech-republic", "United States").

    Raises:
        InputError: the name is not known (the message suggests close names).
    """
    return _countries()[_canonical(name)].geometry


def iso_numeric(name: str) -> str | None:
    """ISO 3166-1 numeric code of the country ("616" for Poland), None where Natural Earth has none."""
    return _countries()[_canonical(name)].iso_numeric


@functools.lru_cache(maxsize=1)
def _land_index() -> tuple[shapely.STRtree, tuple[BaseGeometry, ...]]:
    shapes = tuple(entry.geometry for entry in _countries().values())
    return shapely.STRtree(shapes), shapes


def land_near(geometry: BaseGeometry) -> BaseGeometry:
    """The land (every country's shape) that meets ``geometry``, longitude/latitude degrees.

    Why: a launch area on land or at sea is drawn from only where its launchers can stand, and
    the union of the few countries near it is much cheaper than the world's. Land is what
    Natural Earth's admin-0 countries cover (islands included, inland lakes counted as land);
    everything else, the Caspian included, is sea.
    """
    tree, shapes = _land_index()
    near = [shapes[i] for i in tree.query(geometry, predicate="intersects")]
    return _polygonal(shapely.union_all(near)) if near else shapely.Polygon()


# --- Planar polygons from rings on the sphere ------------------------------------------------

def _polygon_parts(geometry: BaseGeometry) -> list[shapely.Polygon]:
    """The non-empty polygons inside ``geometry``, however nested in collections."""
    if isinstance(geometry, shapely.Polygon):
        return [] if geometry.is_empty else [geometry]
    if isinstance(geometry, shapely.MultiPolygon | shapely.GeometryCollection):
        return [p for part in geometry.geoms for p in _polygon_parts(part)]
    return []


def _polygonal(geometry: BaseGeometry) -> BaseGeometry:
    """Only the area of ``geometry``: its polygons unioned, lines and points dropped."""
    parts = _polygon_parts(geometry)
    if len(parts) == 1:
        return parts[0]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def _unwrapped_area(ring_lon_lat_deg: np.ndarray) -> BaseGeometry:
    """The area a ring encloses, in continuous longitude (which may run outside [-180, 180]).

    Longitudes are unwrapped so that no step exceeds 180 degrees. A ring that then gains or
    loses 360 degrees goes round a pole: it is closed along the latitude of the pole on the
    side of its mean latitude.
    """
    ring = np.asarray(ring_lon_lat_deg, dtype=float)
    if ring.ndim != 2 or ring.shape[1] != 2 or len(ring) < 3:
        raise InputError(f"a ring needs (n >= 3, 2) longitude/latitude values, got shape {ring.shape}")
    if not np.array_equal(ring[0], ring[-1]):
        ring = np.vstack([ring, ring[:1]])
    lon_deg = np.unwrap(ring[:, 0], period=360.0)
    lat_deg = ring[:, 1]
    if round((lon_deg[-1] - lon_deg[0]) / 360.0):
        pole_deg = -90.0 if lat_deg.mean() < 0.0 else 90.0
        lon_deg = np.concatenate([lon_deg, [lon_deg[-1], lon_deg[0], lon_deg[0]]])
        lat_deg = np.concatenate([lat_deg, [pole_deg, pole_deg, lat_deg[0]]])
    return _polygonal(shapely.make_valid(shapely.Polygon(np.column_stack([lon_deg, lat_deg]))))


def _into_world(area: BaseGeometry) -> BaseGeometry:
    """``area`` in continuous longitude cut into 360-degree windows and moved into [-180, 180]."""
    pieces = []
    for shift_deg in _WINDOW_SHIFTS_DEG:
        window = shapely.box(-180.0 - shift_deg, -90.0, 180.0 - shift_deg, 90.0)
        piece = _polygonal(area.intersection(window))
        if not piece.is_empty:
            pieces.append(shapely.transform(piece, lambda xy, s=shift_deg: np.round(xy + (s, 0.0), SNAP_DECIMALS)))
    return _polygonal(shapely.union_all(pieces)) if pieces else shapely.Polygon()


def polygon_from_lon_lat(exterior_lon_lat_deg: np.ndarray,
                         holes_lon_lat_deg: Iterable[np.ndarray] = ()) -> BaseGeometry:
    """A planar (Multi)Polygon in [-180, 180] degrees from a polygon's rings on the sphere.

    Rings are (n, 2) longitude/latitude arrays in degrees, consecutive vertices less than
    180 degrees of longitude apart. A ring crossing the antimeridian is cut there into pieces
    on either side (Chukotka stays next to 180 E rather than spanning the globe); a ring going
    round a pole is closed through that pole. Self-touching rings are repaired.
    """
    area = _into_world(_unwrapped_area(exterior_lon_lat_deg))
    holes = [_into_world(_unwrapped_area(hole)) for hole in holes_lon_lat_deg]
    if holes:
        area = _polygonal(area.difference(shapely.union_all(holes)))
    return area


def _rings(polygon: shapely.Polygon) -> list[np.ndarray]:
    return [np.asarray(polygon.exterior.coords)[:, :2]] + [np.asarray(r.coords)[:, :2] for r in polygon.interiors]


# --- Sectors -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Sector:
    """A named region made of whole countries, optionally grown by ``buffer_km`` of sea and land.

    ``geometry`` is a (Multi)Polygon in longitude/latitude degrees, cut at the antimeridian.
    """

    name: str
    countries: tuple[str, ...]
    buffer_km: float
    geometry: BaseGeometry = field(repr=False, compare=False)

    def __repr__(self) -> str:
        lon_min, lat_min, lon_max, lat_max = self.geometry.bounds
        return (f"<Sector {self.name!r}: {', '.join(self.countries)}; buffer {self.buffer_km:g} km; "
                f"lon {lon_min:.1f} to {lon_max:.1f} deg, lat {lat_min:.1f} to {lat_max:.1f} deg>")


def sector(name: str, countries: Sequence[str], buffer_km: float = 0.0) -> Sector:
    """The union of ``countries``, grown by ``buffer_km`` (e.g. to take in coastal waters).

    The buffer is grown on the WGS 84 ellipsoid, tile by tile: the union is cut into
    10 x 10 degree tiles, each tile is buffered by ``buffer_km`` in an azimuthal-equidistant
    projection centred on that tile, and the grown tiles are mapped back, cut at the
    antimeridian and unioned (the buffer of a union is the union of the buffers, so cutting
    costs nothing). Distances from the projection centre are exact geodesics; across them the
    projection stretches by (rho/R)/sin(rho/R), so a buffer edge at distance rho from its tile's
    centre is short by at most about rho^2/(6 R^2) of ``buffer_km``: 0.4 % at rho = 1,000 km
    (a tile's corner with a 200 km buffer), 0.8 % at 1,400 km (a 600 km buffer). Arcs have
    16 segments per quarter circle (chords 0.12 % inside the arc) and the outline is resampled
    every 10 km before mapping back. Measured geodesic distance from the grown outline to the
    countries: within 0.35 % of ``buffer_km`` for Poland (50 and 200 km), Norway (500 km),
    Russia (300 km) and Fiji (200 km, across the antimeridian).

    Raises:
        InputError: a country is not known, no country is given, or ``buffer_km`` is negative.
    """
    names = tuple(_canonical(c) for c in ([countries] if isinstance(countries, str) else countries))
    if not names:
        raise InputError(f"sector {name!r} names no country")
    buffer_km = float(limits.check("buffer_km", buffer_km, f"sector {limits.shown(name)}: buffer_km"))
    union = _polygonal(shapely.union_all([country(c) for c in names]))
    geometry = _grown_km(union, buffer_km) if buffer_km > 0.0 else union
    return Sector(name, names, buffer_km, geometry)


@functools.lru_cache(maxsize=4096)
def _aeqd_transformer(lon_deg: float, lat_deg: float) -> pyproj.Transformer:
    """Longitude/latitude to an azimuthal-equidistant plane (metres) centred on (lon, lat), WGS 84."""
    aeqd = pyproj.CRS.from_proj4(f"+proj=aeqd +lat_0={lat_deg} +lon_0={lon_deg} +datum=WGS84 +units=m")
    return pyproj.Transformer.from_crs("EPSG:4326", aeqd, always_xy=True)


def _project(geometry: BaseGeometry, transformer: pyproj.Transformer, direction: str = "FORWARD"):
    def apply(xy: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(xy[:, 0], xy[:, 1], direction=direction)
        return np.column_stack([x, y])
    return shapely.transform(geometry, apply)


def _tiles(geometry: BaseGeometry) -> list[tuple[float, float, BaseGeometry]]:
    """(centre lon, centre lat, piece) for every TILE_DEG tile that ``geometry`` reaches."""
    corners = set()
    for part in _polygon_parts(geometry):
        lon_min, lat_min, lon_max, lat_max = part.bounds
        for i in range(math.floor(lon_min / TILE_DEG), math.floor(lon_max / TILE_DEG) + 1):
            for j in range(math.floor(lat_min / TILE_DEG), math.floor(lat_max / TILE_DEG) + 1):
                corners.add((i, j))
    shapely.prepare(geometry)
    tiles = []
    for i, j in sorted(corners):
        box = shapely.box(i * TILE_DEG, j * TILE_DEG, (i + 1) * TILE_DEG, (j + 1) * TILE_DEG)
        if geometry.intersects(box):
            piece = _polygonal(geometry.intersection(box))
            if not piece.is_empty:
                tiles.append(((i + 0.5) * TILE_DEG, min(max((j + 0.5) * TILE_DEG, -90.0), 90.0), piece))
    return tiles


def _grown_km(geometry: BaseGeometry, buffer_km: float) -> BaseGeometry:
    """``geometry`` grown by ``buffer_km`` on the ellipsoid (method in :func:`sector`)."""
    grown = [geometry]
    for lon_deg, lat_deg, piece in _tiles(geometry):
        transformer = _aeqd_transformer(lon_deg, lat_deg)
        plane = _project(shapely.segmentize(piece, EDGE_DENSIFY_DEG), transformer)
        plane = shapely.segmentize(plane.buffer(buffer_km * 1000.0, quad_segs=16), BUFFER_VERTEX_SPACING_M)
        for polygon in _polygon_parts(plane):
            rings = [np.asarray(r) for r in _rings(_project(polygon, transformer, "INVERSE"))]
            grown.append(polygon_from_lon_lat(rings[0], rings[1:]))
    return _polygonal(shapely.union_all(grown))


@functools.lru_cache(maxsize=1)
def _equal_area_transformer() -> pyproj.Transformer:
    return pyproj.Transformer.from_crs("EPSG:4326", EQUAL_AREA_CRS, always_xy=True)


def area_km2(geometry: BaseGeometry) -> float:
    """Area of a longitude/latitude geometry on the WGS 84 ellipsoid, km^2.

    Computed in the cylindrical equal-area EPSG:6933 after splitting edges every 0.1 degree
    (edges are straight in longitude/latitude), so the error is that of the outline itself.
    """
    if geometry.is_empty:
        return 0.0
    plane = _project(shapely.segmentize(geometry, EDGE_DENSIFY_DEG), _equal_area_transformer())
    return float(plane.area) / 1e6


def overlap_km2(a: Sector, b: Sector) -> float:
    """Area common to two sectors, km^2 (0 for sectors that only touch or are apart).

    Why: sectors defended or attacked separately should not share ground; a positive overlap
    means they do.
    """
    if not a.geometry.intersects(b.geometry):
        return 0.0
    return area_km2(_polygonal(a.geometry.intersection(b.geometry)))


# --- Point tests and rasters -------------------------------------------------------------------

def _normalized_lon_deg(lon_deg) -> np.ndarray:
    return (np.asarray(lon_deg, dtype=float) + 180.0) % 360.0 - 180.0


def contains(geometry: BaseGeometry, lat_deg, lon_deg) -> np.ndarray:
    """Whether each (lat, lon) point in degrees is inside ``geometry``; broadcasting arrays of bool.

    Longitudes are taken modulo 360 into [-180, 180). Points exactly on the outline count as
    outside.
    """
    shapely.prepare(geometry)
    return np.asarray(shapely.contains_xy(geometry, _normalized_lon_deg(lon_deg), np.asarray(lat_deg, dtype=float)),
                      dtype=bool)


def _grid_size(step_deg: float, span_deg: float) -> int:
    cells = span_deg / step_deg
    if not step_deg > 0.0 or abs(cells - round(cells)) > 1e-6:
        raise InputError(f"raster step_deg = {step_deg} must be positive and divide 180 degrees")
    return round(cells)


def raster(geometry: BaseGeometry, step_deg: float = 0.1) -> np.ndarray:
    """A uint8 latitude/longitude mask of ``geometry``: 1 where a cell's centre is inside.

    Shape (180/step, 360/step); cell (i, j) spans latitude -90 + i*step to -90 + (i+1)*step and
    longitude -180 + j*step to -180 + (j+1)*step, so a kernel finds a point's cell as
    i = floor((lat + 90)/step), j = floor((lon + 180)/step). Only the cells within each polygon's
    bounding box are tested. A point within one cell of the outline may be classed differently
    from :func:`contains`.
    """
    rows = _grid_size(step_deg, 180.0)
    columns = _grid_size(step_deg, 360.0)
    mask = np.zeros((rows, columns), dtype=np.uint8)
    for part in _polygon_parts(geometry):
        shapely.prepare(part)
        lon_min, lat_min, lon_max, lat_max = part.bounds
        i0 = max(math.ceil((lat_min + 90.0) / step_deg - 0.5), 0)
        i1 = min(math.floor((lat_max + 90.0) / step_deg - 0.5), rows - 1)
        j0 = max(math.ceil((lon_min + 180.0) / step_deg - 0.5), 0)
        j1 = min(math.floor((lon_max + 180.0) / step_deg - 0.5), columns - 1)
        if i1 < i0 or j1 < j0:
            continue
        lat_deg = -90.0 + (np.arange(i0, i1 + 1) + 0.5) * step_deg
        lon_deg = -180.0 + (np.arange(j0, j1 + 1) + 0.5) * step_deg
        inside = shapely.contains_xy(part, lon_deg[None, :], lat_deg[:, None])
        mask[i0:i1 + 1, j0:j1 + 1] |= inside.astype(np.uint8)
    return mask


# --- Outlines for maps ---------------------------------------------------------------------

def _drawn_pieces(ring_lon_lat_deg: np.ndarray) -> list[np.ndarray]:
    """A ring split where it runs along the antimeridian or a pole, edges made by the cutting."""
    lon_deg, lat_deg = ring_lon_lat_deg[:, 0], ring_lon_lat_deg[:, 1]
    on_cut = np.abs(lon_deg) == 180.0
    at_pole = np.abs(lat_deg) == 90.0
    artificial = (on_cut[:-1] & on_cut[1:] & (lon_deg[:-1] == lon_deg[1:])) | (at_pole[:-1] & at_pole[1:])
    if not artificial.any():
        return [ring_lon_lat_deg]
    pieces, start = [], 0
    for k in np.flatnonzero(artificial):
        if k + 1 - start >= 2:
            pieces.append(ring_lon_lat_deg[start:k + 1])
        start = k + 1
    if len(ring_lon_lat_deg) - start >= 2:
        pieces.append(ring_lon_lat_deg[start:])
    return pieces


@functools.lru_cache(maxsize=1)
def _outlines() -> tuple[np.ndarray, ...]:
    pieces = []
    for entry in _countries().values():
        for polygon in _polygon_parts(entry.geometry):
            for ring in _rings(polygon):
                for drawn in _drawn_pieces(ring):
                    piece = np.ascontiguousarray(drawn, dtype=float)
                    piece.flags.writeable = False
                    pieces.append(piece)
    return tuple(pieces)


def outlines() -> list[np.ndarray]:
    """Every country's rings as read-only (n, 2) longitude/latitude arrays in degrees.

    For drawing coastlines and borders: the edges that cutting at the antimeridian and closing
    Antarctica through the South Pole add are left out, so no line runs along 180 degrees or
    along the pole.
    """
    return list(_outlines())


def polygons(geometry: BaseGeometry) -> list[shapely.Polygon]:
    """The polygons of ``geometry``, exteriors counter-clockwise and holes clockwise.

    Why: a filled drawing (non-zero winding) then leaves the holes empty.
    """
    return [orient(p, sign=1.0) for p in _polygon_parts(geometry)]
