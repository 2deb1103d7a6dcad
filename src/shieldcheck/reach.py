"""Interceptor reach: the earliest time after launch at which an interceptor can be at a point.

An interceptor's reach envelope is built from fans of fly-outs flown by the flight core (same
Earth, atmosphere and integrator as the threats): full burn, one azimuth, kick angles from
near-vertical to near-horizontal, with a gravity turn and with the attitude held at the kick angle
(the flat fly-outs a guided interceptor can fly). On every altitude row of a grid, each fly-out crosses the row
(climbing, and again falling after its apogee) at some ground range and time; between adjacent
fly-outs the earliest time is interpolated linearly in ground range, and the envelope keeps the
earliest of the climbing and falling crossings. Cells outside the fan are unreachable (``inf``).
This is the flyout-fan construction of the published analyses (e.g. Wilkening 2012, Butt and
Postol 2011), computed here rather than read off a figure. With the time the envelope keeps the
velocity of the fly-out that arrives first (its ground-range and vertical components, interpolated
the same way): the kill vehicle's velocity at the intercept point, for the endgame.

The Earth's rotation makes reach depend slightly on azimuth and latitude: envelopes are built
per (latitude, azimuth) bin and cached, in memory and on disk (``cache_directory()``), keyed by
a digest of the interceptor's parameters, the models, the bin and the package's code and data, so
that a sweep, or the next run, builds each once.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numba
import numpy as np

from . import atomic, cachekey
from . import earth as earth_mod
from .constants import STANDARD_GRAVITY_M_S2
from .engine import pack as P
from .engine.results import T_HEIGHT, T_TIME
from .engine.engage import ground_ranges
from .errors import InputError
from .flight import DEFAULT_ATMOSPHERE, Integrator, fly_launch
from .vehicles import Interceptor, Missile, with_isp_scale  # noqa: F401 (reach.with_isp_scale as before)

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
    (``inf`` where no fly-out reaches); ``velocity_m_s[i, j]`` is the Earth-relative velocity there
    of the fly-out that arrives first: (away from the site along the ground, up), m/s, NaN where
    unreachable. ``burnout_speed_m_s`` and ``burnout_time_s`` describe the fan's fastest fly-out;
    ``build_s`` is how long the envelope took to build.
    """

    interceptor: str
    time_s: np.ndarray
    velocity_m_s: np.ndarray
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

    def _corners(self, ground_range_m, altitude_m):
        """The four corners of each point's grid cell with their bilinear weights, zero where a corner
        is unreachable, and which points are reachable (at least one reachable corner, inside)."""
        x = np.asarray(ground_range_m, float) / self.range_step_m
        y = np.asarray(altitude_m, float) / self.altitude_step_m
        nx, ny = self.time_s.shape
        outside = (x < 0) | (y < 0) | (x > nx - 1) | (y > ny - 1)
        i = np.clip(np.floor(x).astype(int), 0, nx - 2)
        j = np.clip(np.floor(y).astype(int), 0, ny - 2)
        u, v = np.clip(x - i, 0.0, 1.0), np.clip(y - j, 0.0, 1.0)
        corners = []
        for di, dj, w in ((0, 0, (1 - u) * (1 - v)), (1, 0, u * (1 - v)), (0, 1, (1 - u) * v), (1, 1, u * v)):
            finite = np.isfinite(self.time_s[i + di, j + dj])
            corners.append((i + di, j + dj, np.where(finite, w, 0.0)))
        weight = sum(c[2] for c in corners)
        return corners, ~outside & (weight > 0.0), np.where(weight > 0.0, weight, 1.0)

    def earliest_s(self, ground_range_m, altitude_m) -> np.ndarray:
        """Earliest arrival time (s) at points, bilinear between grid nodes; inf if unreachable.

        A point is reachable when at least one corner of its grid cell is: at the fan's edge this
        extends the envelope by less than one cell (10 km in range, 5 km in altitude); the weights
        of the reachable corners are renormalised.
        """
        corners, reachable, weight = self._corners(ground_range_m, altitude_m)
        total = sum(w * np.where(w > 0.0, self.time_s[i, j], 0.0) for i, j, w in corners)
        return np.where(reachable, total / weight, np.inf)

    def velocity_at(self, ground_range_m, altitude_m) -> tuple[np.ndarray, np.ndarray]:
        """Ground-range and vertical rates (m/s) of the earliest fly-out at points, with the weights of
        :meth:`earliest_s`; zero where unreachable."""
        corners, reachable, weight = self._corners(ground_range_m, altitude_m)
        rates = []
        for k in range(2):
            total = sum(w * np.where(w > 0.0, self.velocity_m_s[i, j, k], 0.0) for i, j, w in corners)
            rates.append(np.where(reachable, total / weight, 0.0))
        return rates[0], rates[1]


@numba.njit(cache=True)
def _gradient(f, t, i, n):
    """``np.gradient(f[:n], t[:n])[i]``: second-order central differences on uneven spacing inside,
    one-sided at the ends."""
    if i == 0:
        return (f[1] - f[0]) / (t[1] - t[0])
    if i == n - 1:
        return (f[n - 1] - f[n - 2]) / (t[n - 1] - t[n - 2])
    hs, hd = t[i] - t[i - 1], t[i + 1] - t[i]
    return (-hd / (hs * (hd + hs)) * f[i - 1] + (hd - hs) / (hd * hs) * f[i] + hs / (hd * (hd + hs)) * f[i + 1])


@numba.njit(cache=True)
def _interp(x, x0, x1, f0, f1):
    """The value at x on the line through (x0, f0) and (x1, f1), rounded as ``np.interp`` does."""
    if x == x1:
        return f1
    if x == x0:
        return f0
    return (f1 - f0) / (x1 - x0) * (x - x0) + f0


@numba.njit(parallel=True, cache=True, error_model="numpy")
def _branch_crossings(tracks, counts, ground_m, levels, out):
    """Time, ground range and velocity (ground-range and vertical rates) at which each fly-out crosses
    each altitude level, climbing and falling: ``out`` (fly-out, branch, (time, range, ground-range
    rate, vertical rate), level), NaN above its apogee.

    Each branch is the fly-out before and after its apogee, made monotonic in altitude (only the
    samples above every earlier one of the branch, taken from the ground up, are kept); between them
    each column is interpolated linearly in altitude (as ``np.interp``). The rates are the samples'
    central differences in time (as ``np.gradient``).
    """
    out[:] = np.nan
    for k in numba.prange(tracks.shape[0]):
        n = int(counts[k])
        if n < 2:
            continue
        t, h, r = tracks[k, :n, T_TIME], tracks[k, :n, T_HEIGHT], ground_m[k, :n]
        apex = 0
        for i in range(n):
            if h[i] > h[apex]:
                apex = i
        kept = np.empty(n, np.int64)
        for branch in range(2):
            m = 0
            first, last, step = (0, apex + 1, 1) if branch == 0 else (n - 1, apex - 1, -1)
            for i in range(first, last, step):  # the falling branch from the ground up
                if m == 0 or h[i] > h[kept[m - 1]]:
                    kept[m] = i
                    m += 1
            if m < 2:
                continue
            j = 0
            for level in range(levels.size):
                x = levels[level]
                if x < h[kept[0]] or x > h[kept[m - 1]]:
                    continue
                while j < m - 2 and h[kept[j + 1]] <= x:
                    j += 1
                lo, hi = kept[j], kept[j + 1]
                out[k, branch, 0, level] = _interp(x, h[lo], h[hi], t[lo], t[hi])
                out[k, branch, 1, level] = _interp(x, h[lo], h[hi], r[lo], r[hi])
                out[k, branch, 2, level] = _interp(x, h[lo], h[hi], _gradient(r, t, lo, n), _gradient(r, t, hi, n))
                out[k, branch, 3, level] = _interp(x, h[lo], h[hi], _gradient(h, t, lo, n), _gradient(h, t, hi, n))


@numba.njit(cache=True)
def _fill(grid, j, a, b, range_step_m):
    """Lower grid row j to the linear interpolation between two crossings a and b (time, range,
    ground-range rate, vertical rate); where the time is lowered the velocity is the interpolated one."""
    t1, r1, t2, r2 = a[0], a[1], b[0], b[1]
    lo, hi = (r1, r2) if r1 <= r2 else (r2, r1)
    i0 = int(math.ceil(lo / range_step_m))
    i1 = min(int(math.floor(hi / range_step_m)), grid.shape[0] - 1)
    for i in range(i0, i1 + 1):
        x = i * range_step_m
        w = (x - r1) / (r2 - r1) if r2 != r1 else (0.0 if t1 <= t2 else 1.0)
        value = t1 + (t2 - t1) * w
        if value < grid[i, j, 0]:
            grid[i, j, 0] = value
            grid[i, j, 1] = a[2] + (b[2] - a[2]) * w
            grid[i, j, 2] = a[3] + (b[3] - a[3]) * w


@numba.njit(cache=True)
def _fill_fan(crossings, grid, range_step_m):
    """Lower the grid (range, altitude, (time, ground-range rate, vertical rate)) between every pair
    of neighbouring fly-outs; ``crossings`` is (fly-out, branch (climbing, falling), (time, range,
    ground-range rate, vertical rate), level), NaN where a fly-out misses a level."""
    for k in range(crossings.shape[0] - 1):
        for j in range(grid.shape[1]):
            for branch in range(2):
                a = crossings[k, branch, :, j]
                b = crossings[k + 1, branch, :, j]
                if math.isfinite(a[0]) and math.isfinite(b[0]):
                    _fill(grid, j, a, b, range_step_m)
            for one, other in ((k, k + 1), (k + 1, k)):
                climbing = crossings[one, 0, :, j]
                falling = crossings[one, 1, :, j]
                if math.isfinite(climbing[0]) and math.isfinite(falling[0]) and not math.isfinite(crossings[other, 0, 0, j]):
                    _fill(grid, j, climbing, falling, range_step_m)


def _fan_grid(crossings, ranges, altitudes) -> np.ndarray:
    """Earliest arrival on the grid from one fan of fly-outs ordered by kick angle, given where each
    crosses the altitude rows (``_branch_crossings``): (range, altitude, (time, ground-range rate,
    vertical rate)).

    Between two neighbouring fly-outs (in kick angle) that both cross an altitude on the same
    branch, the fly-outs in between cross it between their crossing points: the time is
    interpolated linearly in ground range. Where one crosses a level and its neighbour does not
    (the level lies between their apogees), the in-between fly-outs cross it between the first
    one's climbing and falling crossings: that cap is filled the same way.
    """
    grid = np.full((ranges.size, altitudes.size, 3), np.inf)
    grid[:, :, 1:] = np.nan
    _fill_fan(crossings, grid, float(ranges[1] - ranges[0]) if ranges.size > 1 else RANGE_STEP_M)
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
                         integrator=integrator, tracks=True, device=device, programme=programme)
        samples = np.asarray(fan.tracks)
        counts = fan.summary[:, P.O_HISTORY_COUNT].astype(np.int64)
        ground_m = np.zeros(samples.shape[:2])
        ground_ranges(samples, counts, math.radians(latitude_deg), 0.0, model.equatorial_radius_m, model.flattening,
                      ground_m)
        fans.append((samples, counts, ground_m))
        burnout = fan.burnout()
        k = int(np.argmax(burnout["speed_m_s"]))
        fastest = max(fastest, (float(burnout["speed_m_s"][k]), float(fan.burnout_time_s[k])))
    recorded = [np.arange(samples.shape[1])[None, :] < counts[:, None] for samples, counts, _ in fans]
    top = max(float(samples[..., T_HEIGHT][m].max()) for (samples, _, _), m in zip(fans, recorded))
    far = max(float(ground_m[m].max()) for (_, _, ground_m), m in zip(fans, recorded))
    ranges = np.arange(0.0, far + RANGE_STEP_M, RANGE_STEP_M)
    altitudes = np.arange(0.0, top + ALTITUDE_STEP_M, ALTITUDE_STEP_M)
    levels = np.maximum(altitudes, 1.0)  # every fly-out starts at 0 m: the ground row is its first metre
    grids = []
    for samples, counts, ground_m in fans:
        crossings = np.empty((len(counts), 2, 4, levels.size))
        _branch_crossings(samples, counts, ground_m, levels, crossings)
        grids.append(_fan_grid(crossings, ranges, altitudes))
    grids = np.stack(grids)
    first = np.argmin(grids[:, :, :, 0], axis=0)[None, :, :, None]  # the earlier of the fans, cell by cell
    grid = np.take_along_axis(grids, first, axis=0)[0]
    return ReachEnvelope(interceptor.name, grid[:, :, 0], grid[:, :, 1:], RANGE_STEP_M, ALTITUDE_STEP_M, model.name, atmosphere,
                         latitude_deg, azimuth_deg % 360.0, fastest[0], fastest[1], time.perf_counter() - start)


def cache_root() -> Path:
    """Where work is kept between runs (reach envelopes, aim solutions): $SHIELDCHECK_CACHE_DIR, else
    ~/.cache/shieldcheck."""
    return Path(os.environ.get("SHIELDCHECK_CACHE_DIR") or os.path.join(os.path.expanduser("~"), ".cache", "shieldcheck"))


def cache_directory() -> Path:
    """Where built envelopes are kept between runs."""
    return cache_root() / "envelopes"


def _cache_key(interceptor: Missile, latitude_bin: float, azimuth_bin: float, earth: str, atmosphere: str) -> str:
    """A digest of everything an envelope depends on: the vehicle's parameters, the models, the bin,
    the fan and grid settings, and the package's code and data (``cachekey``)."""
    return cachekey.key(dataclasses.replace(interceptor, sources=()), latitude_bin, azimuth_bin, earth, atmosphere,
                        KICKS_DEG.tolist(), RANGE_STEP_M, ALTITUDE_STEP_M, FLYOUT_SPACING_S, length=32)


@functools.lru_cache(maxsize=256)
def _cached(interceptor: Missile, latitude_bin: float, azimuth_bin: float, earth: str, atmosphere: str) -> ReachEnvelope:
    path = cache_directory() / f"{_cache_key(interceptor, latitude_bin, azimuth_bin, earth, atmosphere)}.npz"
    try:
        with np.load(path) as stored:
            fields = json.loads(str(stored["fields"]))
            return ReachEnvelope(time_s=stored["time_s"], velocity_m_s=stored["velocity_m_s"], **fields)
    except (OSError, KeyError, ValueError, TypeError):
        pass  # not built yet, or unreadable: build it
    built = build_envelope(interceptor, latitude_deg=latitude_bin, azimuth_deg=azimuth_bin, earth=earth,
                           atmosphere=atmosphere)
    fields = {f.name: getattr(built, f.name) for f in dataclasses.fields(built) if f.name not in ("time_s", "velocity_m_s")}
    atomic.write(path, lambda partial: np.savez(partial, time_s=built.time_s, velocity_m_s=built.velocity_m_s,
                                               fields=json.dumps(fields)), shared=True)  # read-only: rebuilt next time
    return built


def envelope(interceptor: Missile, latitude_deg: float, azimuth_deg: float, *, earth: str = earth_mod.DEFAULT_EARTH,
             atmosphere: str = DEFAULT_ATMOSPHERE) -> ReachEnvelope:
    """The cached envelope of the (latitude, azimuth) bin containing a launch.

    Bins are 10 deg of latitude and 45 deg of azimuth; the cache key is the interceptor record
    (all its parameters), the bin and the model names.
    """
    latitude_bin = float(np.clip(np.round(latitude_deg / LATITUDE_BIN_DEG) * LATITUDE_BIN_DEG, -80.0, 80.0))
    azimuth_bin = float(np.round((azimuth_deg % 360.0) / AZIMUTH_BIN_DEG) * AZIMUTH_BIN_DEG % 360.0)
    return _cached(interceptor, latitude_bin, azimuth_bin, earth, atmosphere)


# --- the fan's burnout speed, and a stage model rescaled to a requested one ---------------------
#
# Calibration target (stated; docs/sources.md, "Calibration against burnout speeds"): the FAN
# BURNOUT SPEED of an interceptor is the largest Earth-relative burnout speed over the fly-out fan
# of ``build_envelope``: both steering programmes (``PROGRAMMES``), every kick of ``KICKS_DEG``,
# full burn, launched due north (azimuth 0) from latitude 0, longitude 0, height 0, on the default
# Earth (WGS-84 with J2, rotating) and atmosphere (1976), with the envelope's integrator step rule.
# A stage model stands for its ``burnout_speed_m_s`` when its fan burnout speed equals it within
# BURNOUT_SPEED_TOLERANCE.

#: Relative tolerance of the calibration target: |fan burnout speed / requested - 1| <= 1 %.
BURNOUT_SPEED_TOLERANCE = 0.01
#: Relative tolerance to which :func:`with_burnout_speed` bisects (well inside the target's 1 %).
BISECTION_TOLERANCE = 1e-4
#: A request within this relative tolerance of a model's own fan burnout speed leaves the stage
#: model unchanged (so that the catalog model, calibrated and rounded, keeps its cached envelopes).
UNCHANGED_TOLERANCE = 1e-3
#: Highest and lowest propellant mass fraction (propellant / stage gross) any stage may reach
#: when the dry masses are rescaled. 0.93 is the solid-motor bound of tools/calibrate_catalog.py
#: (docs/sources.md, section 7; stated, not sourced); 0.30 is a stated modelling bound below
#: which a stage would be mostly structure (the derived catalog stages lay in 0.51-0.82 before calibration).
MAX_PROPELLANT_FRACTION = 0.93
MIN_PROPELLANT_FRACTION = 0.30
#: Lowest first-stage lift-off thrust/weight (sea-level Isp) of a rescaled model (stated bound).
MIN_LIFTOFF_THRUST_WEIGHT = 1.5
#: Sources that mark a catalog value as our own modelling choice (adjustable), as in
#: tools/calibrate_catalog.py.
OWN_SOURCES = ("MODEL", "DERIVED")


def _fan_integrator(vehicle: Missile) -> Integrator:
    """The envelope's step rule, stopped just after burnout (the burnout state is all that is kept)."""
    return Integrator(history_spacing_s=FLYOUT_SPACING_S, max_flight_time_s=vehicle.burn_time_s + 2.0)


@functools.lru_cache(maxsize=4096)
def _fan_fastest(vehicle: Missile, earth: str, atmosphere: str, latitude_deg: float,
                 azimuth_deg: float) -> tuple[float, float, str, float, float]:
    site = earth_mod.site(latitude_deg, 0.0)
    best = (-1.0, 0.0, "", 0.0, 0.0)
    for programme in PROGRAMMES:
        fan = fly_launch(vehicle, site, azimuth_deg, KICKS_DEG, earth=earth, atmosphere=atmosphere,
                         integrator=_fan_integrator(vehicle), programme=programme)
        burnout = fan.burnout()
        speed = np.where(np.isfinite(burnout["speed_m_s"]), burnout["speed_m_s"], -1.0)
        k = int(np.argmax(speed))
        if speed[k] > best[0]:
            best = (float(speed[k]), float(KICKS_DEG[k]), programme, float(burnout["time_s"][k]),
                    float(burnout["altitude_m"][k]))
    return best


def _vehicle(interceptor_or_missile) -> Missile:
    return interceptor_or_missile.vehicle if isinstance(interceptor_or_missile, Interceptor) else interceptor_or_missile


def fan_fastest_flyout(interceptor_or_missile, *, earth: str = earth_mod.DEFAULT_EARTH,
                       atmosphere: str = DEFAULT_ATMOSPHERE, latitude_deg: float = 0.0,
                       azimuth_deg: float = 0.0) -> dict:
    """The fan's fastest fly-out at burnout: speed (m/s), kick (deg), programme, time (s), altitude (m).

    The fan is the calibration target's (see the comment above ``BURNOUT_SPEED_TOLERANCE``):
    ``PROGRAMMES`` x ``KICKS_DEG``, full burn, from (``latitude_deg``, 0) towards ``azimuth_deg``.
    Cached per (vehicle record, models, place).
    """
    speed, kick, programme, time_s, altitude = _fan_fastest(_vehicle(interceptor_or_missile), earth, atmosphere,
                                                            float(latitude_deg), float(azimuth_deg))
    return {"speed_m_s": speed, "kick_deg": kick, "programme": programme, "time_s": time_s, "altitude_m": altitude}


def fan_burnout_speed_m_s(interceptor_or_missile, *, earth: str = earth_mod.DEFAULT_EARTH,
                          atmosphere: str = DEFAULT_ATMOSPHERE, latitude_deg: float = 0.0,
                          azimuth_deg: float = 0.0) -> float:
    """The fan burnout speed (m/s): the fastest Earth-relative burnout speed of the fly-out fan.

    With the defaults (due north from latitude 0) this is the calibration target; it equals the
    ``burnout_speed_m_s`` of ``build_envelope`` at the same place and models.
    """
    return fan_fastest_flyout(interceptor_or_missile, earth=earth, atmosphere=atmosphere, latitude_deg=latitude_deg,
                              azimuth_deg=azimuth_deg)["speed_m_s"]


def with_dry_scale(vehicle: Missile, k: float) -> Missile:
    """Every stage's dry mass times k, gross masses fixed, burn times fixed (solid motors).

    The rule of parameter (a) of tools/calibrate_catalog.py for solid stages: the propellant
    fraction changes and the thrust follows the load (the grain burns for the stated time).
    """
    stages = tuple(dataclasses.replace(s, propellant_mass_kg=s.gross_mass_kg - k * s.dry_mass_kg)
                   for s in vehicle.stages)
    return dataclasses.replace(vehicle, stages=stages)


def with_payload(vehicle: Missile, payload_kg: float) -> Missile:
    """The mass carried to burnout set to ``payload_kg`` (the kill vehicle flies on with it)."""
    return dataclasses.replace(vehicle, payload_mass_kg=payload_kg, reentry_mass_kg=payload_kg)


@dataclass(frozen=True)
class SpeedParameter:
    """One stated parameter of a stage model and its bounds; ``fast`` is the bound of highest speed."""

    name: str
    describe: str
    build: Callable[[Missile, float], Missile]
    nominal: float
    fast: float
    slow: float
    bounds: str


def _liftoff_thrust_n(stage) -> float:
    return stage.mass_flow_kg_s * STANDARD_GRAVITY_M_S2 * stage.isp_sea_level_s


def speed_parameters(interceptor: Interceptor) -> list[SpeedParameter]:
    """The parameters :func:`with_burnout_speed` may change, in order of preference, with bounds.

    (a) ``dry``: the stage dry masses x k (gross fixed, burn times fixed), when the propellant
    masses are our own modelling values (``MODEL``/``DERIVED``; an interceptor that is not in the
    built-in catalog counts as such); bounds: every stage's propellant fraction within
    ``MIN_PROPELLANT_FRACTION``-``MAX_PROPELLANT_FRACTION`` and lift-off thrust/weight at least
    ``MIN_LIFTOFF_THRUST_WEIGHT``.
    (b) ``payload``: the mass at burnout, when the catalog marks it as the fitted parameter
    (source ``DERIVED``: the GBI models, whose published motors fix the stages); bounds: from the
    catalog kill-vehicle mass up to the payload at which lift-off thrust/weight falls to
    ``MIN_LIFTOFF_THRUST_WEIGHT``.
    """
    from . import catalog
    vehicle = interceptor.vehicle
    record = catalog.load().interceptors.get(vehicle.name)
    out = []
    own_stages = record is None or all(s.propellant_mass_kg.source in OWN_SOURCES for s in record.stage)
    if own_stages and vehicle.stages:
        fractions = [s.propellant_mass_kg / s.gross_mass_kg for s in vehicle.stages]
        k_fast = (1.0 - MAX_PROPELLANT_FRACTION) / (1.0 - max(fractions))
        k_slow = (1.0 - MIN_PROPELLANT_FRACTION) / (1.0 - min(fractions))
        first = vehicle.stages[0]
        # lift-off thrust/weight with k: thrust ~ (gross - k dry) / burn, launch mass fixed
        k_lift = (first.gross_mass_kg - MIN_LIFTOFF_THRUST_WEIGHT * vehicle.launch_mass_kg * first.burn_time_s
                  / first.isp_sea_level_s) / first.dry_mass_kg
        out.append(SpeedParameter("dry", "stage dry masses x k (gross masses and burn times fixed), k =", with_dry_scale,
                                  1.0, k_fast, min(k_slow, k_lift),
                                  f"propellant fractions {MIN_PROPELLANT_FRACTION:g}-{MAX_PROPELLANT_FRACTION:g}, "
                                  f"lift-off thrust/weight >= {MIN_LIFTOFF_THRUST_WEIGHT:g}"))
    if (record is not None and record.payload.mass_kg.source == "DERIVED" and record.kill_vehicle_mass_kg is not None
            and vehicle.stages):
        heaviest = (_liftoff_thrust_n(vehicle.stages[0]) / (MIN_LIFTOFF_THRUST_WEIGHT * STANDARD_GRAVITY_M_S2)
                    - sum(s.gross_mass_kg for s in vehicle.stages))
        kv = record.kill_vehicle_mass_kg.value
        out.append(SpeedParameter("payload", "mass at burnout (the catalog model's fitted quantity), kg =",
                                  with_payload, vehicle.payload_mass_kg, kv, heaviest,
                                  f"from lift-off thrust/weight {MIN_LIFTOFF_THRUST_WEIGHT:g} down to the {kv:g} kg kill vehicle"))
    return out


def _bisect_speed(speed, fast: float, slow: float, target: float) -> float:
    """x between the bounds with speed(x) = target (speed monotonic, speed(slow) <= target <= speed(fast))."""
    for _ in range(60):
        mid = 0.5 * (fast + slow)
        value = speed(mid)
        if abs(value / target - 1.0) <= BISECTION_TOLERANCE:
            return mid
        if value >= target:
            fast = mid
        else:
            slow = mid
    return mid


@functools.lru_cache(maxsize=512)
def _rescaled(interceptor: Interceptor, burnout_speed_m_s: float, earth: str,
              atmosphere: str) -> tuple[Interceptor, str, float]:
    vehicle = interceptor.vehicle

    def speed(parameter, x):
        return fan_burnout_speed_m_s(parameter.build(vehicle, x), earth=earth, atmosphere=atmosphere)

    if abs(fan_burnout_speed_m_s(vehicle, earth=earth, atmosphere=atmosphere) / burnout_speed_m_s - 1.0) \
            <= UNCHANGED_TOLERANCE:
        return dataclasses.replace(interceptor, burnout_speed_m_s=burnout_speed_m_s), "", math.nan
    reachable = []
    for parameter in speed_parameters(interceptor):
        fastest, slowest = speed(parameter, parameter.fast), speed(parameter, parameter.slow)
        if slowest <= burnout_speed_m_s <= fastest:
            x = _bisect_speed(lambda v, p=parameter: speed(p, v), parameter.fast, parameter.slow, burnout_speed_m_s)
            return (dataclasses.replace(interceptor, vehicle=parameter.build(vehicle, x),
                                        burnout_speed_m_s=burnout_speed_m_s), parameter.name, x)
        reachable.append(f"{slowest / 1e3:.2f}-{fastest / 1e3:.2f} km/s with the {parameter.describe} "
                         f"{parameter.slow:,.4g} to {parameter.fast:,.4g} ({parameter.bounds})")
    raise InputError(f"interceptor {interceptor.name!r}: burnout speed {burnout_speed_m_s / 1e3:.2f} km/s is out of reach "
                     f"of its stage model; reachable fan burnout speeds: " + ("; or ".join(reachable) or "none (no "
                     "stage parameter of this model may be changed)"))


def with_burnout_speed(interceptor: Interceptor, burnout_speed_m_s: float, *, earth: str = earth_mod.DEFAULT_EARTH,
                       atmosphere: str = DEFAULT_ATMOSPHERE) -> Interceptor:
    """The interceptor with its stage model rescaled by ONE stated parameter to a fan burnout speed.

    The fan burnout speed (:func:`fan_burnout_speed_m_s`: due north from latitude 0, both
    programmes, ``KICKS_DEG``) of the returned vehicle equals ``burnout_speed_m_s`` within
    ``BISECTION_TOLERANCE`` (0.01 %; the calibration target asks for 1 %), and its
    ``burnout_speed_m_s`` field is set to the request. The parameter is the first of
    :func:`speed_parameters` whose bounds reach the request: the stage dry masses x k (gross masses
    fixed), or, for the GBI models whose fitted quantity is the mass at burnout, that mass; found
    by bisection on the fan. A model already within ``UNCHANGED_TOLERANCE`` (0.1 %) of the request
    is returned with its vehicle unchanged (its reach envelopes stay cached). Results are cached per (interceptor, speed,
    models). Raises :class:`~shieldcheck.errors.InputError` naming the interceptor, the request and
    the reachable range when no parameter reaches it within its bounds.
    """
    speed = float(burnout_speed_m_s)
    if not (math.isfinite(speed) and speed > 0.0):
        raise InputError(f"interceptor {interceptor.name!r}: burnout speed = {burnout_speed_m_s!r} m/s is not allowed; "
                         "a positive number is")
    return _rescaled(interceptor, speed, earth, atmosphere)[0]
