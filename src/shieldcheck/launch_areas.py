"""Launch areas: where a site's launchers may stand, and launch points drawn uniformly in them.

Why: a road-mobile division, a silo field or an SSBN bastion is not one point. Whether an
interceptor can reach a missile depends on where it was launched, so an assessment flies
launch points drawn across the area instead of only the catalog's reference point.

The areas are the ``[site.launch_area]`` tables of ``catalog/data/sites.toml``: a disc of
``radius_km`` round the site's point (road-mobile garrisons, silo fields) or a polygon of
``[latitude, longitude]`` vertices (SSBN patrol areas). ``dispersal`` and ``silo-field`` areas
are drawn only on land, ``patrol`` areas only at sea; land is Natural Earth's countries
(:func:`shieldcheck.geography.land_near`), good to a few kilometres at the coast.

Drawing is uniform by area on the WGS 84 ellipsoid:

* a disc is drawn in geodesic polar coordinates about its centre: azimuth uniform, and the
  geodesic distance s with ``sin(s / 2R) = sqrt(u) sin(r / 2R)`` (u uniform), which is uniform
  by area on a sphere of the centre's Gaussian radius R = sqrt(M N); each point is then placed
  on the ellipsoid by Karney's direct geodesic (``earth.geodesic_direct``). Every point is
  exactly within ``radius_km`` by geodesic distance, and the draw is uniform on the ellipsoid
  too: the geodesic disc's area equals the sphere cap's to 2e-7, and the share of its inner
  half to 3e-8, for radii up to 1,000 km at any latitude (measured; the test allows 1e-5);
* a polygon is drawn by rejection in the cylindrical equal-area projection EPSG:6933 (uniform
  in its plane is uniform by area on the ellipsoid), keeping the points inside the polygon
  (planar in longitude and latitude, as in :mod:`shieldcheck.geography`).

Points on the wrong surface (sea for a land area, land for a patrol area) are rejected and
drawn again, so the draw stays uniform over the part of the area where launchers can stand.
Draws are reproducible: a numpy Generator seeded by ``seed`` and the site's catalog name, so
that one seed gives every area its own stream, whatever the order in which areas are drawn.

    >>> from shieldcheck import launch_areas
    >>> lat_deg, lon_deg = launch_areas.sample("Teykovo", 3, seed=1)
    >>> lat_deg.shape
    (3,)
"""

from __future__ import annotations

import functools
import math
import zlib
from dataclasses import dataclass, field

import numpy as np

from . import catalog as catalog_mod
from . import limits
from .catalog import SiteRecord
from .earth import EARTH_MODELS, geodesic_direct
from .errors import InputError

MAX_SAMPLES = int(limits.bound("launch_samples").high)  # launch points per area of a threat set
MAX_DRAW = int(limits.bound("draw_points").high)  # points in one call of sample()
BOUNDARY_STEP_DEG = 1.0  # azimuth spacing of a disc's outline (chords 4e-5 of the radius inside the circle)
MIN_AREA_KM2 = 1.0  # an area with less room than this for its launchers has none
_WGS84 = EARTH_MODELS["wgs84-j2-rotating"]
_MAX_ROUNDS = 200  # rejection rounds before giving up (each round expects to fill the draw)


@dataclass(frozen=True)
class LaunchArea:
    """One site's launch area: its reference point, its shape, and where launchers can stand.

    ``geometry`` is the usable part (the disc or polygon less the sea, or less the land) in
    longitude/latitude degrees; ``area_km2`` its area on the ellipsoid.
    """

    name: str
    kind: str  # dispersal | silo-field | patrol
    latitude_deg: float
    longitude_deg: float
    radius_km: float | None  # None for a polygon
    surface: str  # "land" or "sea"
    area_km2: float
    sources: tuple[str, ...]
    geometry: object = field(repr=False, compare=False)

    def __repr__(self) -> str:
        shape = f"radius {self.radius_km:g} km" if self.radius_km is not None else "polygon"
        return (f"<LaunchArea {self.name!r}: {self.kind}, {shape}, {self.area_km2:,.0f} km^2 of {self.surface} "
                f"round {self.latitude_deg:.3f}, {self.longitude_deg:.3f}>")


def _record(site: str | SiteRecord) -> tuple[SiteRecord, str]:
    """The site record and the file to name in messages."""
    cat = catalog_mod.load()
    path = str(cat.directory / "sites.toml")
    if isinstance(site, SiteRecord):
        return site, path
    return cat.sites[cat.find("site", site)], path


def has_area(site: str | SiteRecord) -> bool:
    """Whether a catalog site has a launch area (False for a plain point and for ``"LAT,LON"``)."""
    if isinstance(site, SiteRecord):
        return site.launch_area is not None
    try:
        record, _ = _record(site)
    except InputError:
        return False
    return record.launch_area is not None


def check_radius_km(radius_km: float, where: str) -> float:
    """``radius_km`` as a float within ``limits`` ``dispersal_km``, or an InputError naming ``where``."""
    return float(limits.check("dispersal_km", radius_km, where))


def _gaussian_radius_m(latitude_deg: float) -> float:
    """sqrt(M N): the radius of the sphere that osculates the ellipsoid's area at a latitude."""
    a, e2 = _WGS84.equatorial_radius_m, _WGS84.eccentricity_squared
    s2 = math.sin(math.radians(latitude_deg)) ** 2
    return a * math.sqrt(1.0 - e2) / (1.0 - e2 * s2)


def _disc_outline(latitude_deg: float, longitude_deg: float, radius_m: float):
    from . import geography

    azimuth_deg = np.arange(0.0, 360.0, BOUNDARY_STEP_DEG)
    lat, lon = geodesic_direct(latitude_deg, longitude_deg, azimuth_deg, radius_m, _WGS84)
    return geography.polygon_from_lon_lat(np.column_stack([lon, lat]))


def _build(record: SiteRecord, path: str, radius_km: float | None) -> LaunchArea:
    from . import geography

    spec = record.launch_area
    where = f"{path}: site {record.name!r}: launch_area"
    if spec is None:
        raise InputError(f"{path}: site {record.name!r} has no launch area; allowed: a site with a "
                         "[site.launch_area] table (road-mobile garrisons, silo fields, SSBN patrol areas)")
    lat0, lon0 = record.latitude_deg.value, record.longitude_deg.value
    if spec.polygon is not None:
        if radius_km is not None:
            raise InputError(f"{where}: radius_km = {radius_km!r} given, but this area is a polygon; allowed: a "
                             "radius only for an area given by radius_km")
        vertices = np.asarray(spec.polygon.vertices_deg, float)
        shape = geography.polygon_from_lon_lat(vertices[:, ::-1])
        sources = (spec.polygon.source,)
    else:
        radius_km = spec.radius_km.value if radius_km is None else check_radius_km(radius_km, f"{where}.radius_km")
        shape = _disc_outline(lat0, lon0, radius_km * 1e3)
        sources = (spec.radius_km.source,)
    land = geography.land_near(shape)
    surface = "sea" if spec.kind == "patrol" else "land"
    usable = shape.difference(land) if surface == "sea" else shape.intersection(land)
    area_km2 = geography.area_km2(usable)
    if area_km2 < MIN_AREA_KM2:
        lies = "wholly on land" if surface == "sea" else "wholly at sea"
        given = "polygon" if spec.polygon is not None else f"radius_km = {radius_km:g}"
        raise InputError(f"{where}: the {given} lies {lies} (Natural Earth 1:50m countries), leaving "
                         f"{area_km2:.3g} km^2 for launchers; allowed: a {spec.kind} area with at least "
                         f"{MIN_AREA_KM2:g} km^2 of {surface} in it")
    return LaunchArea(record.name, spec.kind, lat0, lon0, radius_km, surface, area_km2, sources, usable)


@functools.lru_cache(maxsize=256)
def _cached(name: str, radius_km: float | None) -> LaunchArea:
    record, path = _record(name)
    return _build(record, path, radius_km)


def area(site: str | SiteRecord, *, radius_km: float | None = None) -> LaunchArea:
    """The :class:`LaunchArea` of a catalog site (by name or alias, or its record).

    ``radius_km`` overrides the catalog's radius of an area given by a radius (a sweep varies
    it between the catalog's ``low`` and ``high``).

    Raises:
        InputError: the site has no launch area, the override is not a plausible radius or is
            given for a polygon, or the area has no land (no sea, for a patrol area) in it.
    """
    if radius_km is not None:
        radius_km = check_radius_km(radius_km, "radius_km")
    if isinstance(site, SiteRecord):
        record, path = _record(site)
        return _build(record, path, radius_km)
    record, _ = _record(site)
    return _cached(record.name, radius_km)


def _rng(name: str, seed: int) -> np.random.Generator:
    """A Generator for one area: the seed, and the area's name as a stable spawn key."""
    return np.random.default_rng(np.random.SeedSequence(int(seed), spawn_key=(zlib.crc32(name.encode("utf-8")),)))


def _draw_disc(a: LaunchArea, rng: np.random.Generator, count: int) -> tuple[np.ndarray, np.ndarray]:
    """``count`` points uniform by area in the full disc (before the surface is checked)."""
    radius_r = _gaussian_radius_m(a.latitude_deg)
    half_angle = a.radius_km * 1e3 / (2.0 * radius_r)
    u = rng.random(count)
    azimuth_deg = rng.random(count) * 360.0
    distance_m = 2.0 * radius_r * np.arcsin(np.sqrt(u) * math.sin(half_angle))
    return geodesic_direct(a.latitude_deg, a.longitude_deg, azimuth_deg, distance_m, _WGS84)


@functools.lru_cache(maxsize=1)
def _equal_area():
    import pyproj

    from .geography import EQUAL_AREA_CRS

    return pyproj.Transformer.from_crs("EPSG:4326", EQUAL_AREA_CRS, always_xy=True)


def _draw_box(a: LaunchArea, rng: np.random.Generator, count: int) -> tuple[np.ndarray, np.ndarray]:
    """``count`` points uniform by area in the usable part's longitude/latitude bounding box."""
    lon_min, lat_min, lon_max, lat_max = a.geometry.bounds
    transformer = _equal_area()
    _, y_min = transformer.transform(0.0, lat_min)
    _, y_max = transformer.transform(0.0, lat_max)
    lon_deg = lon_min + rng.random(count) * (lon_max - lon_min)
    y = y_min + rng.random(count) * (y_max - y_min)
    _, lat_deg = transformer.transform(np.zeros(count), y, direction="INVERSE")
    return np.asarray(lat_deg, float), lon_deg


def _draw(a: LaunchArea, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    from . import geography

    rng = _rng(a.name, seed)
    draw = _draw_disc if a.radius_km is not None else _draw_box
    lat_out, lon_out, have = [], [], 0
    batch = max(64, 2 * n)
    for _ in range(_MAX_ROUNDS):
        lat, lon = draw(a, rng, batch)
        keep = geography.contains(a.geometry, lat, lon)
        lat_out.append(lat[keep])
        lon_out.append(lon[keep])
        have += int(keep.sum())
        if have >= n:
            return np.concatenate(lat_out)[:n], np.concatenate(lon_out)[:n]
        batch = min(max(batch, int(4 * (n - have) * batch / max(int(keep.sum()), 1))), 1_000_000)
    raise InputError(f"site {a.name!r}: launch area too little of which is {a.surface} to draw {n} points "
                     f"({have} found in {_MAX_ROUNDS} rounds)")


@functools.lru_cache(maxsize=1024)
def _sample_cached(name: str, n: int, seed: int, radius_km: float | None) -> tuple[np.ndarray, np.ndarray]:
    lat, lon = _draw(_cached(name, radius_km), n, seed)
    lat.flags.writeable = False
    lon.flags.writeable = False
    return lat, lon


def check_samples(n, where: str = "launch_samples", bound: str = "launch_samples") -> int:
    """``n`` as a count of launch points within the bound ``bound`` of :mod:`shieldcheck.limits`
    (``launch_samples``: per area of a threat set; ``draw_points``: one call of :func:`sample`), or an
    InputError naming ``where``."""
    return int(limits.check(bound, n, where))


def check_seed(seed, where: str = "seed") -> int:
    """``seed`` as a whole number within the bound ``seed`` of :mod:`shieldcheck.limits`, or an InputError."""
    return int(limits.check("seed", seed, where))


def sample(site: str | SiteRecord, n: int, seed: int = 0, *,
           radius_km: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Latitudes and longitudes (deg, shape (n,)) of ``n`` launch points drawn uniformly in a site's area.

    Uniform by area on the WGS 84 ellipsoid, only on land (``dispersal``, ``silo-field``) or
    only at sea (``patrol``); the same ``seed`` gives the same points (method in the module's
    documentation). ``radius_km`` overrides the catalog's radius of an area given by a radius.
    Arrays of a catalog site's draw are cached and read-only.

    Raises:
        InputError: ``n`` outside 1 to ``MAX_DRAW``, a bad seed or radius, or a site with no
            launch area (see :func:`area`).
    """
    n = check_samples(n, "n", "draw_points")
    seed = check_seed(seed)
    if radius_km is not None:
        radius_km = check_radius_km(radius_km, "radius_km")
    if isinstance(site, SiteRecord):
        return _draw(area(site, radius_km=radius_km), n, seed)
    record, _ = _record(site)
    return _sample_cached(record.name, n, seed, radius_km)


__all__ = ["LaunchArea", "MAX_DRAW", "MAX_SAMPLES", "area", "check_radius_km", "check_samples", "check_seed",
           "has_area", "sample"]
