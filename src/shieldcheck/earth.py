"""The Earth: named shape-and-gravity models, frames (geodetic, ECEF, ECI), geodesics and sites.

Frames. ECEF is fixed to the Earth (WGS 84 axes). ECI is the inertial frame that coincides with
ECEF at the flight's start (t = 0) and about whose z axis the Earth turns at the model's rate:
``position_ecef = R_z(omega t) position_eci``. Precession, nutation and polar motion change
the axis by far less than a metre at the ground over an hour's flight and are ignored.

Models are chosen by name (``earth="wgs84-j2-rotating"``); the kernels receive them as one
row of numbers made in :func:`shieldcheck.engine.pack.earth_row`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from . import constants as k
from . import limits
from .errors import InputError


@dataclass(frozen=True)
class EarthModel:
    """Shape, gravity and rotation of the Earth used for a flight."""

    name: str
    equatorial_radius_m: float
    flattening: float
    gm_m3_s2: float
    j2: float
    rotation_rate_rad_s: float
    summary: str

    @property
    def polar_radius_m(self) -> float:
        return self.equatorial_radius_m * (1.0 - self.flattening)

    @property
    def eccentricity_squared(self) -> float:
        return self.flattening * (2.0 - self.flattening)


EARTH_MODELS = {
    m.name: m
    for m in (
        EarthModel(
            "wgs84-j2-rotating", k.WGS84_EQUATORIAL_RADIUS_M, k.WGS84_FLATTENING, k.WGS84_GM_M3_S2, k.EGM96_J2,
            k.WGS84_ROTATION_RATE_RAD_S,
            "WGS 84 ellipsoid, gravity GM + J2 (EGM96), rotating at the WGS 84 rate",
        ),
        EarthModel(
            "wgs84-pointmass-rotating", k.WGS84_EQUATORIAL_RADIUS_M, k.WGS84_FLATTENING, k.WGS84_GM_M3_S2, 0.0,
            k.WGS84_ROTATION_RATE_RAD_S,
            "WGS 84 ellipsoid, point-mass gravity (no J2), rotating at the WGS 84 rate",
        ),
        EarthModel(
            "spherical-nonrotating", k.SPHERE_RADIUS_M, 0.0, k.SPHERE_GM_M3_S2, 0.0, 0.0,
            "textbook sphere of radius 6371.0 km, point-mass gravity, no rotation",
        ),
    )
}
DEFAULT_EARTH = "wgs84-j2-rotating"


def earth_model(name: str | EarthModel) -> EarthModel:
    """The Earth model of a given name (``wgs84-j2-rotating``, ...)."""
    if isinstance(name, EarthModel):
        return name
    return EARTH_MODELS[limits.choose("earth", name, EARTH_MODELS)]


def ecef_from_geodetic(latitude_rad, longitude_rad, height_m, model: EarthModel) -> np.ndarray:
    """ECEF position (m), shape (..., 3), of geodetic coordinates on the model's ellipsoid."""
    latitude_rad, longitude_rad, height_m = np.broadcast_arrays(
        np.asarray(latitude_rad, float), np.asarray(longitude_rad, float), np.asarray(height_m, float))
    e2 = model.eccentricity_squared
    sl, cl = np.sin(latitude_rad), np.cos(latitude_rad)
    n = model.equatorial_radius_m / np.sqrt(1.0 - e2 * sl * sl)  # prime-vertical radius of curvature
    return np.stack([
        (n + height_m) * cl * np.cos(longitude_rad),
        (n + height_m) * cl * np.sin(longitude_rad),
        (n * (1.0 - e2) + height_m) * sl,
    ], axis=-1)


def geodetic_from_ecef(position_ecef_m, model: EarthModel) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Geodetic latitude (rad), longitude (rad) and height (m) of ECEF positions (..., 3).

    Bowring's iteration (1976) from the geocentric guess, five rounds: converged to well below
    a millimetre for any point above the Earth's core. The kernels take two rounds from the
    parametric latitude, checked against this and against Heikkinen's closed form in the tests.
    """
    p = np.asarray(position_ecef_m, float)
    x, y, z = p[..., 0], p[..., 1], p[..., 2]
    a, e2 = model.equatorial_radius_m, model.eccentricity_squared
    rho = np.hypot(x, y)
    latitude = np.arctan2(z, rho * (1.0 - e2))
    for _ in range(5):
        sl = np.sin(latitude)
        n = a / np.sqrt(1.0 - e2 * sl * sl)
        latitude = np.arctan2(z + n * e2 * sl, rho)
    sl, cl = np.sin(latitude), np.cos(latitude)
    n = a / np.sqrt(1.0 - e2 * sl * sl)
    # height along the normal, written to stay accurate both near the equator and near the poles
    height = rho * cl + z * sl - n * (1.0 - e2 * sl * sl)
    return latitude, np.arctan2(y, x), height


def local_frame(latitude_rad, longitude_rad) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Up, east and north unit vectors (ECEF), each shape (..., 3), of the geodetic frame."""
    sl, cl = np.sin(latitude_rad), np.cos(latitude_rad)
    so, co = np.sin(longitude_rad), np.cos(longitude_rad)
    up = np.stack([cl * co, cl * so, sl], axis=-1)
    east = np.stack([-so, co, np.zeros_like(so)], axis=-1)
    north = np.stack([-sl * co, -sl * so, cl], axis=-1)
    return up, east, north


def ecef_from_eci(vector_eci, time_s, rotation_rate_rad_s: float) -> np.ndarray:
    """Rotate ECI vectors (..., 3) into ECEF at times (...) in seconds after the epoch."""
    v = np.asarray(vector_eci, float)
    theta = rotation_rate_rad_s * np.asarray(time_s, float)
    c, s = np.cos(theta), np.sin(theta)
    return np.stack([c * v[..., 0] + s * v[..., 1], -s * v[..., 0] + c * v[..., 1], v[..., 2]], axis=-1)


def earth_relative_velocity_ecef(position_eci_m, velocity_eci_m_s, time_s, rotation_rate_rad_s: float) -> np.ndarray:
    """Velocity relative to the rotating Earth (m/s, ECEF components) of ECI states."""
    r = ecef_from_eci(position_eci_m, time_s, rotation_rate_rad_s)
    v = ecef_from_eci(velocity_eci_m_s, time_s, rotation_rate_rad_s)
    return v + rotation_rate_rad_s * np.stack([r[..., 1], -r[..., 0], np.zeros_like(r[..., 0])], axis=-1)


@functools.lru_cache(maxsize=None)
def _geod(model: EarthModel):
    from pyproj import Geod

    return Geod(a=model.equatorial_radius_m, f=model.flattening)


def geodesic_inverse(latitude1_deg, longitude1_deg, latitude2_deg, longitude2_deg, model: EarthModel):
    """Geodesic distance (m) and forward azimuth (deg from north) between points on the ellipsoid.

    Karney's algorithm (GeographicLib, through pyproj), accurate to nanometres, including
    nearly antipodal points.
    """
    lat1, lon1, lat2, lon2 = np.broadcast_arrays(*(np.asarray(v, float) for v in
                                                  (latitude1_deg, longitude1_deg, latitude2_deg, longitude2_deg)))
    azimuth_deg, back_deg, distance_m = _geod(model).inv(lon1, lat1, lon2, lat2)
    return np.asarray(distance_m, float), np.asarray(azimuth_deg, float)


def geodesic_direct(latitude_deg, longitude_deg, azimuth_deg, distance_m, model: EarthModel):
    """Latitude and longitude (deg) reached along a geodesic from a point, azimuth and distance."""
    lat, lon, az, dist = np.broadcast_arrays(*(np.asarray(v, float) for v in
                                              (latitude_deg, longitude_deg, azimuth_deg, distance_m)))
    lon2, lat2, _ = _geod(model).fwd(lon, lat, az, dist)
    return np.asarray(lat2, float), np.asarray(lon2, float)


#: A site's coordinates: geodetic latitude and longitude (deg), height above the ellipsoid (m); bounds in limits.BOUNDS.
SITE_FIELDS = ("latitude_deg", "longitude_deg", "height_m")


@dataclass(frozen=True)
class Site:
    """A point on the Earth: a launch area, a base, a city, a defence site."""

    name: str
    latitude_deg: float
    longitude_deg: float
    height_m: float = 0.0

    def __post_init__(self):
        for field_name in SITE_FIELDS:
            limits.check(field_name, getattr(self, field_name), f"site {limits.shown(self.name)}: {field_name}")

    def __str__(self) -> str:
        return f"{self.name} ({self.latitude_deg:.4f}°, {self.longitude_deg:.4f}°)"


class Sites:
    """Many points on the Earth as arrays: geodetic latitude and longitude (deg) and height above the
    ellipsoid (m), one value each or one per point. Launch points drawn in an area
    (``launch_areas.sample``) fly from them as they are, with no :class:`Site` made for each."""

    def __init__(self, latitude_deg, longitude_deg, height_m=0.0):
        columns = []
        for name, value in zip(SITE_FIELDS, (latitude_deg, longitude_deg, height_m)):
            a = np.asarray(value)
            if a.dtype.kind not in "iuf" or a.ndim > 1:
                raise InputError(f"sites: {name} = {value!r}: give a number or a one-dimensional array of numbers")
            a = np.atleast_1d(a.astype(float))
            bad = ~limits.bound(name).inside(a)
            if bad.any():
                raise InputError(limits.bound(name).message(float(a[bad][0]),
                                                            f"sites: point {int(np.flatnonzero(bad)[0])}: {name}"))
            columns.append(a)
        try:
            shape = np.broadcast_shapes(*(c.shape for c in columns))
        except ValueError:
            raise InputError("sites: latitude_deg, longitude_deg and height_m have "
                             f"{', '.join(str(c.size) for c in columns)} values; give one or the same number each") from None
        if shape == (0,):
            raise InputError("sites: no points given")
        self.latitude_deg, self.longitude_deg, self.height_m = (np.broadcast_to(c, shape) for c in columns)

    def __len__(self) -> int:
        return len(self.latitude_deg)

    def __repr__(self) -> str:
        return f"<Sites {len(self):,} points>"


def site(latitude_deg: float, longitude_deg: float, height_m: float = 0.0, name: str | None = None) -> Site:
    """A site at given geodetic coordinates (degrees, metres above the ellipsoid)."""
    label = name or f"{latitude_deg:.4f},{longitude_deg:.4f}"
    return Site(label, float(latitude_deg), float(longitude_deg), float(height_m))
