"""Interceptor reach: the earliest time after launch at which an interceptor can be at a point.

An interceptor's reach envelope is built from fans of fly-outs flown by the flight core (same
Earth, atmosphere and integrator as the threats): full burn, one azimuth, kick angles from
near-vertical to near-horizontal, with a gravity turn and with the attitude held at the kick angle
(the flat fly-outs a guided interceptor can fly). On every altitude row of a grid, each fly-out crosses the row
(climbing, and again falling after its apogee) at some ground range and time; between adjacent
fly-outs the earliest time is interpolated linearly in ground range, and the envelope keeps the
earliest of the climbing and falling crossings. Cells outside the fan are unreachable (``inf``).
This is the flyout-fan construction of the published analyses (e.g. Wilkening 2012, Butt and
Postol 2011), computed here rather than read off a figure.

The Earth's rotation makes reach depend slightly on azimuth and latitude: envelopes are built
per (latitude, azimuth) bin and cached in memory, keyed by the interceptor's parameters, the
models and the bin, so that a sweep builds each once.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass

import numpy as np

from . import earth as earth_mod
from .errors import InputError
from .flight import DEFAULT_ATMOSPHERE, Integrator, fly_launch
from .vehicles import Missile

RANGE_STEP_M = 10_000.0
ALTITUDE_STEP_M = 5_000.0
KICKS_DEG = np.concatenate([np.linspace(0.2, 10.0, 25), np.linspace(10.5, 88.0, 156)])
FLYOUT_SPACING_S = 1.0
AZIMUTH_BIN_DEG = 45.0
PROGRAMMES = ("gravity-turn", "pitch-hold")
LATITUDE_BIN_DEG = 10.0


@dataclass(frozen=True)
class ReachEnvelope:
    """Earliest arrival time (s after interceptor launch) on a (ground range, altitude) grid.

    ``time_s[i, j]`` is for ground range ``i * range_step_m`` and altitude ``j * altitude_step_m``
    (``inf`` where no fly-out reaches). ``burnout_speed_m_s`` and ``burnout_time_s`` describe
    the fan's fastest fly-out; ``build_s`` is how long the envelope took to build.
    """

    interceptor: str
    time_s: np.ndarray
    range_step_m: float
    altitude_step_m: float
    earth: str
    atmosphere: str
    latitude_deg: float
    azimuth_deg: float
    burnout_speed_m_s: float
    burnout_time_s: float
    build_s: float

    @property
    def max_range_m(self) -> float:
        reachable = np.isfinite(self.time_s).any(axis=1)
        return float(np.flatnonzero(reachable).max() * self.range_step_m) if reachable.any() else 0.0

    @property
    def max_altitude_m(self) -> float:
        reachable = np.isfinite(self.time_s).any(axis=0)
        return float(np.flatnonzero(reachable).max() * self.altitude_step_m) if reachable.any() else 0.0

    def earliest_s(self, ground_range_m, altitude_m) -> np.ndarray:
        """Earliest arrival time (s) at points, bilinear between grid nodes; inf if unreachable.

        A point is reachable when at least one corner of its grid cell is: at the fan's edge this
        extends the envelope by less than one cell (10 km in range, 5 km in altitude).
        """
        x = np.asarray(ground_range_m, float) / self.range_step_m
        y = np.asarray(altitude_m, float) / self.altitude_step_m
        nx, ny = self.time_s.shape
        outside = (x < 0) | (y < 0) | (x > nx - 1) | (y > ny - 1)
        i = np.clip(np.floor(x).astype(int), 0, nx - 2)
        j = np.clip(np.floor(y).astype(int), 0, ny - 2)
        u, v = np.clip(x - i, 0.0, 1.0), np.clip(y - j, 0.0, 1.0)
        # bilinear over the reachable corners of the cell (weights renormalised): at the fan's edge a
        # point inside the fan may share a cell with unreachable nodes
        total = np.zeros(np.shape(x))
        weight = np.zeros(np.shape(x))
        for di, dj, w in ((0, 0, (1 - u) * (1 - v)), (1, 0, u * (1 - v)), (0, 1, (1 - u) * v), (1, 1, u * v)):
            corner = self.time_s[i + di, j + dj]
            finite = np.isfinite(corner)
            total += np.where(finite, w * np.where(finite, corner, 0.0), 0.0)
            weight += np.where(finite, w, 0.0)
        reachable = ~outside & (weight > 0.0)
        return np.where(reachable, total / np.where(reachable, weight, 1.0), np.inf)


def _branch_crossings(track, levels):
    """Times and ground ranges at which a fly-out crosses each altitude level, climbing and falling.

    Each branch is the fly-out before and after its apogee, made monotonic in altitude; levels
    above the apogee get NaN.
    """
    h, t, r = track["altitude_m"], track["time_s"], track["ground_m"]
    apex = int(np.argmax(h))
    out = []
    for falling in (False, True):
        part = slice(apex, None) if falling else slice(0, apex + 1)
        hh, tt, rr = h[part], t[part], r[part]
        if falling:  # reverse so that altitude increases
            hh, tt, rr = hh[::-1], tt[::-1], rr[::-1]
        hh = np.maximum.accumulate(hh)
        keep = np.r_[True, np.diff(hh) > 0]
        hh, tt, rr = hh[keep], tt[keep], rr[keep]
        ok = (levels >= hh[0]) & (levels <= hh[-1]) if hh.size > 1 else np.zeros(levels.shape, bool)
        out.append((np.where(ok, np.interp(levels, hh, tt), np.nan), np.where(ok, np.interp(levels, hh, rr), np.nan)))
    return out


def _fill(row, ranges, r1, t1, r2, t2):
    """Lower one grid row to the linear interpolation between two crossings (ranges r, times t)."""
    lo, hi = (r1, r2) if r1 <= r2 else (r2, r1)
    i0 = int(np.ceil(lo / RANGE_STEP_M))
    i1 = min(int(np.floor(hi / RANGE_STEP_M)), ranges.size - 1)
    if i1 < i0:
        return
    x = ranges[i0:i1 + 1]
    value = t1 + (t2 - t1) * ((x - r1) / (r2 - r1)) if r2 != r1 else np.full(x.shape, min(t1, t2))
    row[i0:i1 + 1] = np.minimum(row[i0:i1 + 1], value)


def _fan_grid(tracks, ranges, altitudes) -> np.ndarray:
    """Earliest arrival on the grid from one fan of fly-outs ordered by kick angle.

    Between two neighbouring fly-outs (in kick angle) that both cross an altitude on the same
    branch, the fly-outs in between cross it between their crossing points: the time is
    interpolated linearly in ground range. Where one crosses a level and its neighbour does not
    (the level lies between their apogees), the in-between fly-outs cross it between the first
    one's climbing and falling crossings: that cap is filled the same way.
    """
    levels = np.maximum(altitudes, 1.0)  # every fly-out starts at 0 m: the ground row is its first metre
    crossings = [_branch_crossings(track, levels) for track in tracks]
    grid = np.full((ranges.size, altitudes.size), np.inf)
    for a, b in zip(crossings, crossings[1:]):
        for j in range(levels.size):
            for (ta, ra), (tb, rb) in zip(a, b):
                if np.isfinite(ta[j]) and np.isfinite(tb[j]):
                    _fill(grid[:, j], ranges, ra[j], ta[j], rb[j], tb[j])
            for one, other in ((a, b), (b, a)):
                (tc, rc), (tf, rf) = one
                if np.isfinite(tc[j]) and np.isfinite(tf[j]) and not np.isfinite(other[0][0][j]):
                    _fill(grid[:, j], ranges, rc[j], tc[j], rf[j], tf[j])
    return grid


def build_envelope(interceptor: Missile, *, latitude_deg: float = 0.0, azimuth_deg: float = 0.0,
                   earth: str = earth_mod.DEFAULT_EARTH, atmosphere: str = DEFAULT_ATMOSPHERE,
                   integrator: Integrator = Integrator(history_spacing_s=FLYOUT_SPACING_S, max_flight_time_s=3_600.0),
                   kicks_deg: np.ndarray = KICKS_DEG, device: str = "cpu") -> ReachEnvelope:
    """Fly the fans and build the envelope for one latitude and azimuth (see the module docstring).

    Two fans are flown, one per steering programme (``gravity-turn`` and ``pitch-hold``, the
    flat fly-outs an interceptor's guidance can shape), and the envelope keeps the earlier
    arrival of the two.
    """
    if not interceptor.stages:
        raise InputError(f"interceptor {interceptor.name!r} has no stages to fly out")
    start = time.perf_counter()
    model = earth_mod.earth_model(earth)
    site = earth_mod.site(latitude_deg, 0.0)
    fans, fastest = [], (0.0, 0.0)
    for programme in PROGRAMMES:
        fan = fly_launch(interceptor, site, azimuth_deg, kicks_deg, earth=earth, atmosphere=atmosphere,
                         integrator=integrator, history=True, device=device, programme=programme)
        tracks = [fan.trajectory_of(k) for k in range(len(fan))]
        for track in tracks:
            track["ground_m"], _ = earth_mod.geodesic_inverse(latitude_deg, 0.0, track["latitude_deg"],
                                                             track["longitude_deg"], model)
        fans.append(tracks)
        burnout = fan.burnout()
        k = int(np.argmax(burnout["speed_m_s"]))
        fastest = max(fastest, (float(burnout["speed_m_s"][k]), float(fan.burnout_time_s[k])))
    top = max(float(track["altitude_m"].max()) for tracks in fans for track in tracks)
    far = max(float(track["ground_m"].max()) for tracks in fans for track in tracks)
    ranges = np.arange(0.0, far + RANGE_STEP_M, RANGE_STEP_M)
    altitudes = np.arange(0.0, top + ALTITUDE_STEP_M, ALTITUDE_STEP_M)
    grid = np.minimum.reduce([_fan_grid(tracks, ranges, altitudes) for tracks in fans])
    return ReachEnvelope(interceptor.name, grid, RANGE_STEP_M, ALTITUDE_STEP_M, model.name, atmosphere,
                         latitude_deg, azimuth_deg % 360.0, fastest[0], fastest[1], time.perf_counter() - start)


@functools.lru_cache(maxsize=256)
def _cached(interceptor: Missile, latitude_bin: float, azimuth_bin: float, earth: str, atmosphere: str) -> ReachEnvelope:
    return build_envelope(interceptor, latitude_deg=latitude_bin, azimuth_deg=azimuth_bin, earth=earth,
                          atmosphere=atmosphere)


def envelope(interceptor: Missile, latitude_deg: float, azimuth_deg: float, *, earth: str = earth_mod.DEFAULT_EARTH,
             atmosphere: str = DEFAULT_ATMOSPHERE) -> ReachEnvelope:
    """The cached envelope of the (latitude, azimuth) bin containing a launch.

    Bins are 10 deg of latitude and 45 deg of azimuth; the cache key is the interceptor record
    (all its parameters), the bin and the model names.
    """
    latitude_bin = float(np.clip(np.round(latitude_deg / LATITUDE_BIN_DEG) * LATITUDE_BIN_DEG, -80.0, 80.0))
    azimuth_bin = float(np.round((azimuth_deg % 360.0) / AZIMUTH_BIN_DEG) * AZIMUTH_BIN_DEG % 360.0)
    return _cached(interceptor, latitude_bin, azimuth_bin, earth, atmosphere)
