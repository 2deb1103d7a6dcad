"""Sensors: ground radars (field of view, line of sight over the ellipsoid, range versus cross-section).

A radar sees a target when four conditions hold, each a reason a target can be missed:

* ``line of sight``: the straight line from the antenna to the target does not pass through the
  Earth's ellipsoid (exact: the ellipsoid is mapped onto the unit sphere, where the segment test
  is closed form);
* ``elevation``: the target's elevation above the antenna's geodetic horizon lies between the
  radar's minimum and maximum beam elevations;
* ``azimuth``: its azimuth lies within the half-width either side of the boresight;
* ``range``: its slant range is within the detection range for its radar cross-section, scaled
  from a stated reference by the radar equation, R = R_ref (sigma / sigma_ref)^(1/4) (same
  power, aperture, dwell and detection threshold: the fourth-root law of Skolnik, Introduction to
  Radar Systems, 3rd ed., 2001, eq. 1.6).

Positions are ECEF metres, arrays (..., 3). Nothing here knows catalog names.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import numpy as np

from . import earth as earth_mod
from .engine import pack as P
from . import limits
from .errors import InputError


class Visibility(enum.IntEnum):
    """Why a radar does or does not see a target; each member carries a human message."""

    SEEN = 0
    BELOW_HORIZON = 1
    OUTSIDE_ELEVATION = 2
    OUTSIDE_AZIMUTH = 3
    BEYOND_RANGE = 4

    @property
    def message(self) -> str:
        return {
            Visibility.SEEN: "inside the radar's coverage",
            Visibility.BELOW_HORIZON: "below the radar horizon (no line of sight over the Earth)",
            Visibility.OUTSIDE_ELEVATION: "outside the radar's elevation limits",
            Visibility.OUTSIDE_AZIMUTH: "outside the radar's azimuth sector",
            Visibility.BEYOND_RANGE: "beyond the radar's detection range for this cross-section",
        }[self]


@dataclass(frozen=True)
class Radar:
    """A ground radar: where it is, where it looks, how far it sees a reference target."""

    name: str
    site: earth_mod.Site
    boresight_azimuth_deg: float
    azimuth_half_width_deg: float
    min_elevation_deg: float
    max_elevation_deg: float
    reference_range_km: float
    reference_rcs_m2: float
    track_time_s: float
    range_noise_m: float | None = None
    angle_noise_mrad: float | None = None
    range_rate_noise_m_s: float | None = None
    update_interval_s: float | None = None
    range_bias_m: float | None = None
    angle_bias_mrad: float | None = None
    range_rate_bias_m_s: float | None = None

    # The four measurement fields (one-sigma errors of a single measurement at a firm track, and the time
    # between measurements of one tracked object) are what an estimator of a tracked flight needs; None where
    # the catalog gives none. Bounds: limits.py.
    MEASUREMENT_FIELDS = ("range_noise_m", "angle_noise_mrad", "range_rate_noise_m_s", "update_interval_s")
    # The three systematic errors (one-sigma, one value for a whole track: calibration and propagation residuals,
    # which do not average down); None where the catalog gives none. Bounds: limits.py (non-negative, finite).
    BIAS_FIELDS = ("range_bias_m", "angle_bias_mrad", "range_rate_bias_m_s")

    def __post_init__(self):
        for field in self.MEASUREMENT_FIELDS + self.BIAS_FIELDS:
            value = getattr(self, field)
            if value is not None:
                limits.check(field, value, f"radar {self.name!r}: {field}")
        checks = {
            "boresight_azimuth_deg": (self.boresight_azimuth_deg, -360.0, 360.0),
            "azimuth_half_width_deg": (self.azimuth_half_width_deg, 0.0, 180.0),
            "min_elevation_deg": (self.min_elevation_deg, -10.0, 90.0),
            "max_elevation_deg": (self.max_elevation_deg, -10.0, 90.0),
            "reference_range_km": (self.reference_range_km, 1.0, 50_000.0),
            "reference_rcs_m2": (self.reference_rcs_m2, 1e-6, 1e3),
            "track_time_s": (self.track_time_s, 0.0, 3_600.0),
        }
        for field, (value, low, high) in checks.items():
            if not (isinstance(value, (int, float)) and np.isfinite(value) and low <= value <= high):
                raise InputError(f"radar {self.name!r}: {field} = {value!r} is outside {low:g} to {high:g}")
        if self.azimuth_half_width_deg == 0.0 or self.max_elevation_deg <= self.min_elevation_deg:
            raise InputError(f"radar {self.name!r} points nowhere: azimuth half-width "
                             f"{self.azimuth_half_width_deg} deg, elevation {self.min_elevation_deg} to "
                             f"{self.max_elevation_deg} deg; need a half-width > 0 and max elevation > min elevation")

    def detection_range_m(self, rcs_m2) -> np.ndarray:
        """Detection range (m) for a cross-section (m^2): the radar equation's fourth-root law."""
        rcs = np.asarray(rcs_m2, float)
        if np.any(~np.isfinite(rcs) | (rcs <= 0.0)):
            raise InputError(f"radar cross-section rcs_m2 = {rcs_m2!r} must be positive")
        return self.reference_range_km * 1e3 * (rcs / self.reference_rcs_m2) ** 0.25


def measure(radar: Radar, position_ecef_m, velocity_ecef_m_s, model: earth_mod.EarthModel):
    """Slant range (m), azimuth from north and elevation (rad) and range rate (m/s) of targets from a radar
    (velocities Earth-relative, ECEF; None: no range rate, NaN)."""
    lat, lon = np.radians(radar.site.latitude_deg), np.radians(radar.site.longitude_deg)
    antenna = earth_mod.ecef_from_geodetic(lat, lon, radar.site.height_m, model)
    up, east, north = earth_mod.local_frame(lat, lon)
    d = np.asarray(position_ecef_m, float) - antenna
    slant = np.linalg.norm(d, axis=-1)
    u, e, n = d @ up, d @ east, d @ north
    rate = (np.sum(d * np.asarray(velocity_ecef_m_s, float), axis=-1) / slant if velocity_ecef_m_s is not None
            else np.full_like(slant, np.nan))
    return slant, np.arctan2(e, n), np.arctan2(u, np.hypot(e, n)), rate


def look_angles(radar: Radar, position_ecef_m, model: earth_mod.EarthModel):
    """Slant range (m), azimuth (deg from north) and elevation (deg) of targets from a radar."""
    slant, azimuth, elevation, _ = measure(radar, position_ecef_m, None, model)
    return slant, np.degrees(azimuth) % 360.0, np.degrees(elevation)


def line_of_sight(from_ecef_m, to_ecef_m, model: earth_mod.EarthModel) -> np.ndarray:
    """True where the segment between two points (..., 3) stays outside the ellipsoid.

    Scaling x, y by 1/a and z by 1/b maps the ellipsoid onto the unit sphere and segments onto
    segments, so the test is the distance from the origin to a segment, in closed form.
    """
    scale = np.array([1.0 / model.equatorial_radius_m, 1.0 / model.equatorial_radius_m, 1.0 / model.polar_radius_m])
    p = np.asarray(from_ecef_m, float) * scale
    q = np.asarray(to_ecef_m, float) * scale
    d = q - p
    length2 = np.maximum(np.sum(d * d, axis=-1), 1e-300)
    s = np.clip(-np.sum(p * d, axis=-1) / length2, 0.0, 1.0)
    closest = p + s[..., None] * d
    # 1e-12 of the radius (6 micrometres): an antenna on the surface looking along it is not blocked
    return np.sum(closest * closest, axis=-1) >= 1.0 - 1e-12


def visibility(radar: Radar, position_ecef_m, rcs_m2, model: earth_mod.EarthModel) -> np.ndarray:
    """A :class:`Visibility` code for every target position (the first condition that fails)."""
    slant, azimuth, elevation = look_angles(radar, position_ecef_m, model)
    lat, lon = np.radians(radar.site.latitude_deg), np.radians(radar.site.longitude_deg)
    antenna = earth_mod.ecef_from_geodetic(lat, lon, radar.site.height_m, model)
    off_boresight = np.abs((azimuth - radar.boresight_azimuth_deg + 180.0) % 360.0 - 180.0)
    code = np.full(slant.shape, Visibility.SEEN, dtype=int)
    code = np.where(slant > radar.detection_range_m(rcs_m2), Visibility.BEYOND_RANGE, code)
    code = np.where(off_boresight > radar.azimuth_half_width_deg, Visibility.OUTSIDE_AZIMUTH, code)
    code = np.where((elevation < radar.min_elevation_deg) | (elevation > radar.max_elevation_deg),
                    Visibility.OUTSIDE_ELEVATION, code)
    code = np.where(~line_of_sight(np.broadcast_to(antenna, np.shape(position_ecef_m)), position_ecef_m, model),
                    Visibility.BELOW_HORIZON, code)
    return code


@dataclass(frozen=True)
class Coverage:
    """When a radar sees one flight: first detection, established track, and the gaps between."""

    first_detection_s: float | None
    track_s: float | None
    intervals_s: tuple[tuple[float, float], ...]
    reason_never: str | None  # why it never saw the flight, when it did not

    @property
    def gaps_s(self) -> tuple[tuple[float, float], ...]:
        """Intervals between the first detection and the last sighting when the target was lost."""
        return tuple((a[1], b[0]) for a, b in zip(self.intervals_s, self.intervals_s[1:]))


def coverage(radar: Radar, time_s, position_ecef_m, rcs_m2, model: earth_mod.EarthModel) -> Coverage:
    """Coverage of one sampled flight (times (k,), ECEF positions (k, 3)) by a radar.

    Sightings between samples are taken to last from sample to sample (resolution: the sampling
    interval). The track is established ``track_time_s`` after first detection, provided the
    target is still in view then; otherwise at the start of the first later interval that is at
    least that long.
    """
    t = np.asarray(time_s, float)
    code = visibility(radar, position_ecef_m, rcs_m2, model)
    seen = code == Visibility.SEEN
    if not seen.any():
        values, counts = np.unique(code, return_counts=True)
        return Coverage(None, None, (), Visibility(int(values[np.argmax(counts)])).message)
    edges = np.flatnonzero(np.diff(np.concatenate([[0], seen.astype(int), [0]])))
    intervals = tuple((float(t[a]), float(t[b - 1])) for a, b in zip(edges[::2], edges[1::2]))
    from .engine.sensing import first_and_track

    first, track = np.empty(1), np.empty(1)
    first_and_track(seen[None, :], t[None, :], np.array([t.size]), float(radar.track_time_s), first, track)
    return Coverage(intervals[0][0], float(track[0]) if np.isfinite(track[0]) else None, intervals, None)


@dataclass(frozen=True)
class InfraredWarning:
    """Space-based infrared launch warning: reports a boosting missile after a stated delay and
    loses it at burnout, when its plume goes out (no coverage gaps are modelled during boost)."""

    name: str
    detection_delay_s: float
    track_time_s: float

    def __post_init__(self):
        for field, value in (("detection_delay_s", self.detection_delay_s), ("track_time_s", self.track_time_s)):
            if not (isinstance(value, (int, float)) and np.isfinite(value) and 0.0 <= value <= 600.0):
                raise InputError(f"sensor {self.name!r}: {field} = {value!r} is outside 0 to 600")

    def coverage(self, burnout_time_s: float) -> Coverage:
        """Coverage of a flight whose boost ends at ``burnout_time_s`` (s after launch)."""
        first = self.detection_delay_s
        if first >= burnout_time_s:
            return Coverage(None, None, (), "the boost ends before the infrared warning reports it")
        track = first + self.track_time_s
        return Coverage(first, track if track <= burnout_time_s else None, ((first, burnout_time_s),), None)


def sensor_rows(sensors, rcs_m2: float, model) -> np.ndarray:
    """Rows of radars (antenna, local frame, limits, detection range for ``rcs_m2``) and infrared
    warning sensors (delay, track time), in the columns of ``engine/pack.py`` (``S_*``)."""
    rows = np.zeros((len(sensors), P.N_SENSOR))
    for row, sensor in zip(rows, sensors):
        row[P.S_TRACK_TIME] = sensor.track_time_s
        if isinstance(sensor, InfraredWarning):
            row[P.S_KIND] = P.KIND_INFRARED
            row[P.S_DELAY] = sensor.detection_delay_s
            continue
        latitude, longitude = np.radians(sensor.site.latitude_deg), np.radians(sensor.site.longitude_deg)
        row[P.S_ANTENNA:P.S_ANTENNA + 3] = earth_mod.ecef_from_geodetic(latitude, longitude, sensor.site.height_m, model)
        up, east, north = earth_mod.local_frame(latitude, longitude)
        row[P.S_UP:P.S_UP + 3], row[P.S_EAST:P.S_EAST + 3], row[P.S_NORTH:P.S_NORTH + 3] = up, east, north
        row[P.S_BORESIGHT] = sensor.boresight_azimuth_deg
        row[P.S_HALF_WIDTH] = sensor.azimuth_half_width_deg
        row[P.S_MIN_ELEVATION] = sensor.min_elevation_deg
        row[P.S_MAX_ELEVATION] = sensor.max_elevation_deg
        row[P.S_RANGE] = sensor.detection_range_m(rcs_m2)
    return rows
