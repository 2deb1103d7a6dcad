"""Aiming: solve, in batches, for the launch azimuth and steering that land a missile on an aim point.

Steering has three unknowns per flight: the pitch-over azimuth, the pitch-over (kick) angle that
shapes the gravity turn, and the thrust cut-off time. How a missile flies short of its maximum
range is a named choice, stated in every result:

``minimum-energy`` (default)
    Thrust termination: of all kick angles, the one that reaches the aim with the earliest
    cut-off, i.e. the least propellant burnt. At the maximum range this is the full burn on
    the range-maximising kick. (On a spherical, airless, non-rotating Earth this is the
    classical minimum-energy trajectory, burnout flight-path angle 45 deg - range angle / 4.)
``lofted`` / ``depressed``
    Full burn of every stage, with the steep (lofted) or flat (depressed) kick angle that reaches
    the aim; or, when ``burnout_angle_deg`` or ``apogee_km`` is given, thrust termination on the
    trajectory with that burnout flight-path angle or apogee; or, with ``apogee_ratio``, thrust
    termination on the trajectory whose apogee is that multiple of the flight's own
    minimum-energy apogee (above 1 lofted, below 1 depressed), which states one shape for flights
    of every range.

A shape is written as text in scenarios and outputs (:class:`TrajectoryShape`):
``minimum-energy``, ``lofted``, ``depressed:apogee_ratio=0.5``, ``lofted:apogee_km=1500``,
``depressed:burnout_angle_deg=15``.

Every route is solved on its own in the compiled aiming kernel (``engine/aim.py``), all routes of a
batch at once, on the CPU or the GPU: the range peak over the kick at full burn (the reach on the
route's track), then the shape's point on the curve of steering that lands at the aim's distance,
each root bracketed (regula falsi, Illinois) so that it converges wherever a solution exists, and
the azimuth corrected by a secant on the cross-track error (Coriolis and J2 bend the track). The
solution lands within ``tolerance_m`` (default 100 m) of the aim; a route that cannot be flown is
refused with the true reason and its number: beyond reach (the maximum range on that track), too
near (the range of the earliest cut-off), or a shape the missile cannot fly there (the span it can).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import earth as earth_mod
from . import engine, limits
from .earth import Sites
from .engine import aim as A
from .errors import InputError
from .flight import (DEFAULT_ATMOSPHERE, Flights, Integrator, atmosphere_name, checked_integrator, fly_launch, kernel_arguments,
                     launch_rows)
from .vehicles import Missile

TRAJECTORIES = {
    "minimum-energy": "thrust termination on the kick angle that needs the earliest cut-off (least propellant)",
    "lofted": "full burn on the steep kick angle that reaches the aim",
    "depressed": "full burn on the flat kick angle that reaches the aim",
}
SHAPE_KEYS = ("apogee_km", "burnout_angle_deg", "apogee_ratio")  # the shape values; their bounds in limits.BOUNDS
KICK_MIN_DEG = math.degrees(A.KICK_MIN_RAD)
KICK_MAX_DEG = math.degrees(A.KICK_MAX_RAD)
AIM_CHUNK = 1024  # routes solve_each hands the kernel at a time: progress moves every chunk
SCAN_BALLISTIC = 8  # kick angles scanned at full burn for the range peak
SCAN_GLIDE = A.MAX_SCAN  # a glide vehicle's range is not single-peaked in the kick (its skips): a finer scan

@dataclass(frozen=True)
class TrajectoryShape:
    """How a missile flies short of its maximum range: a trajectory name and at most one shape value.

    Parsed from ``NAME`` or ``NAME:KEY=VALUE`` (``depressed:apogee_ratio=0.5``); ``str()`` gives the
    same text back, which names the shape in every output.
    """

    name: str = "minimum-energy"
    apogee_km: float | None = None
    burnout_angle_deg: float | None = None
    apogee_ratio: float | None = None

    @classmethod
    def parse(cls, text) -> TrajectoryShape:
        """The shape written in ``text``; :class:`InputError` naming what is wrong and what is allowed."""
        if not isinstance(text, str) or not text.strip():
            raise limits.not_allowed("trajectory", text, [*TRAJECTORIES, "NAME:KEY=VALUE with KEY one of "
                                                         + ", ".join(SHAPE_KEYS)])
        name, _, rest = text.strip().partition(":")
        if name not in TRAJECTORIES:
            raise limits.not_allowed("trajectory", name, TRAJECTORIES)
        if not rest:
            return cls(name)
        key, equals, value = rest.partition("=")
        key = key.strip()
        if name == "minimum-energy":
            raise InputError(f"trajectory = {text!r}: minimum-energy takes no shape value; shape a lofted or "
                             "depressed trajectory instead")
        if not equals:
            raise InputError(f"trajectory = {limits.shown(text)}: the shape must be KEY=VALUE with KEY one of "
                             f"{', '.join(SHAPE_KEYS)}")
        if key not in SHAPE_KEYS:
            raise limits.not_allowed(f"trajectory {name}: shape", key, SHAPE_KEYS)
        try:
            number = float(value)
        except ValueError:
            raise InputError(f"trajectory = {text!r}: {key} = {value.strip()!r} is not a number") from None
        shape = cls(name, **{key: number})
        shape.check()
        return shape

    def check(self) -> None:
        """Each shape value finite and within its bounds; a ratio on the side its name says."""
        values = {k: getattr(self, k) for k in SHAPE_KEYS if getattr(self, k) is not None}
        if len(values) > 1:
            raise InputError(f"trajectory {self.name}: give at most one of {', '.join(values)}")
        if values and self.name == "minimum-energy":
            raise InputError(f"{', '.join(values)} shape lofted or depressed trajectories; use trajectory = "
                             "'lofted' or 'depressed' with them")
        for key, value in values.items():
            limits.check(key, value, f"trajectory {self.name}: {key}")
        ratio = self.apogee_ratio
        if ratio is not None and (ratio > 1.0 if self.name == "depressed" else ratio < 1.0):
            side = "below 1 (lower than minimum-energy)" if self.name == "depressed" else "above 1 (higher than minimum-energy)"
            raise InputError(f"trajectory {self}: a {self.name} apogee_ratio must be {side}")

    @property
    def constrained(self) -> bool:
        return any(getattr(self, k) is not None for k in SHAPE_KEYS)

    def __str__(self) -> str:
        for key in SHAPE_KEYS:
            value = getattr(self, key)
            if value is not None:
                return f"{self.name}:{key}={value:g}"
        return self.name


@dataclass(frozen=True)
class AimSolution:
    """Steering that lands each flight on its aim point, and how it was chosen."""

    azimuth_deg: np.ndarray
    kick_deg: np.ndarray
    cutoff_s: np.ndarray
    trajectory: str
    shaping: str  # the stated choice of how range is controlled

    def __len__(self) -> int:
        return len(self.azimuth_deg)


# what each route's kernel status means in solve_each's rows
_STATUS_TEXT = {A.AIM_LANDED: "flown", A.AIM_BEYOND_REACH: "beyond missile range"}
AT_LAUNCH = -1  # refused before the kernel: the aim is the launch point
ANTIPODAL = -2  # refused before the kernel: the aim is the launch point's antipode (no unique bearing)
MINIMUM_AIM_M = 1_000.0
ANTIPODE_M = 1_000.0  # aims this close to the launch point's antipode have no unique bearing


@dataclass(frozen=True)
class Routes:
    """The aiming kernel's answer for a batch of routes: the steering of those that land within the
    tolerance, and for the others the reason, with the number that decided it (``reasons``; empty where
    landed). ``status`` holds the kernel's codes (``engine.aim.AIM_*``, or ``AT_LAUNCH``/``ANTIPODAL``)."""

    status: np.ndarray
    azimuth_deg: np.ndarray
    kick_deg: np.ndarray
    cutoff_s: np.ndarray
    miss_m: np.ndarray
    flights_flown: np.ndarray
    distance_m: np.ndarray
    bearing_deg: np.ndarray
    reach_m: np.ndarray  # full-burn range of the best kick on the route's track (NaN where not measured)
    minimum_energy_apogee_km: np.ndarray
    reasons: tuple[str, ...]
    span: np.ndarray | None = None  # (route, 2): a refused shape's measure at minimum energy and at the side's far end (km or deg)
    deciding: np.ndarray | None = None  # (route, 3): azimuth deg, kick deg, cut-off s of the flight a refusal names (inf: full burn)

    @property
    def landed(self) -> np.ndarray:
        return self.status == A.AIM_LANDED


def _shape_code(shape: TrajectoryShape) -> tuple[int, int, float]:
    """(side, measure, target in SI) of a trajectory shape, for the route rows."""
    side = {"minimum-energy": A.SIDE_MINIMUM_ENERGY, "lofted": A.SIDE_LOFTED, "depressed": A.SIDE_DEPRESSED}[shape.name]
    if shape.apogee_km is not None:
        return side, A.MEASURE_APOGEE, shape.apogee_km * 1e3
    if shape.burnout_angle_deg is not None:
        return side, A.MEASURE_BURNOUT_ANGLE, math.radians(shape.burnout_angle_deg)
    if shape.apogee_ratio is not None:
        return side, A.MEASURE_APOGEE_RATIO, shape.apogee_ratio
    return side, A.MEASURE_NONE, 0.0


def route_rows(missile: Missile, lat, lon, height, aim_lat, aim_lon, bearing_deg, side: int, measure: int,
               target, tolerance_m: float, model: earth_mod.EarthModel) -> np.ndarray:
    """The aiming kernel's route rows (``engine.aim.A_*``): the reference great circle through the launch point
    on the aim's geodesic bearing, the aim's place on it, the launch site's frame and the shape asked for
    (``target``: the shape's value in SI, one number or one per route)."""
    n = len(lat)
    rows = np.zeros((n, A.N_ROUTE))
    launch = earth_mod.ecef_from_geodetic(np.radians(lat), np.radians(lon), height, model)
    aim = earth_mod.ecef_from_geodetic(np.radians(aim_lat), np.radians(aim_lon), np.zeros(n), model)
    unit = launch / np.linalg.norm(launch, axis=1)[:, None]
    _, east, north = earth_mod.local_frame(np.radians(lat), np.radians(lon))
    bearing = np.radians(bearing_deg)[:, None]
    heading = np.cos(bearing) * north + np.sin(bearing) * east
    tangent = heading - np.sum(heading * unit, axis=1)[:, None] * unit
    tangent /= np.linalg.norm(tangent, axis=1)[:, None]
    pole = np.cross(unit, tangent)
    aim_unit = aim / np.linalg.norm(aim, axis=1)[:, None]
    along = np.arctan2(np.sum(aim_unit * tangent, axis=1), np.sum(aim_unit * unit, axis=1))
    along = np.where(along < -0.5 * np.pi, along + 2.0 * np.pi, along)  # an aim near the antipode
    rows[:, A.A_LAUNCH_UNIT:A.A_LAUNCH_UNIT + 3] = unit
    rows[:, A.A_TANGENT:A.A_TANGENT + 3] = tangent
    rows[:, A.A_POLE:A.A_POLE + 3] = pole
    rows[:, A.A_AIM_ALONG] = along
    rows[:, A.A_AIM_CROSS] = np.arcsin(np.clip(np.sum(aim_unit * pole, axis=1), -1.0, 1.0))
    rows[:, A.A_RADIUS] = np.linalg.norm(aim, axis=1)
    rows[:, A.A_NORTH:A.A_NORTH + 3] = north
    rows[:, A.A_EAST:A.A_EAST + 3] = east
    rows[:, A.A_BEARING] = np.radians(bearing_deg)
    rows[:, A.A_SIDE] = side
    rows[:, A.A_MEASURE] = measure
    rows[:, A.A_TARGET] = target
    rows[:, A.A_TOLERANCE] = tolerance_m
    rows[:, A.A_EARLIEST] = missile.vertical_rise_s + missile.pitch_over_s + 1.0
    rows[:, A.A_AIM_ECEF:A.A_AIM_ECEF + 3] = aim
    rows[:, A.A_SCAN] = SCAN_GLIDE if missile.glide is not None else SCAN_BALLISTIC
    return rows


def aim_routes(missile: Missile, lat, lon, height, aim_lat, aim_lon, shape: TrajectoryShape, *,
               tolerance_m: float = 100.0, earth: str = earth_mod.DEFAULT_EARTH, atmosphere: str = DEFAULT_ATMOSPHERE,
               integrator: Integrator = Integrator(), device: str = "cpu", reach_only: bool = False,
               shape_values=None) -> Routes:
    """Solve every route (arrays of one launch and one aim point each, checked by the caller) in the compiled
    aiming kernel, each on its own; the refused ones get their reason, with the number measured by flying
    the flight that decided it again (Karney's geodesic from the launch point to its impact).

    ``shape_values``: one shape value per route (display units, within the bounds of the shape's key) in place
    of the shape's own, so that a batch can ask each route for a shape of its own (:func:`aim_for_flight_time`)."""
    model = earth_mod.earth_model(earth)
    lat, lon, height, aim_lat, aim_lon = (np.asarray(v, float) for v in (lat, lon, height, aim_lat, aim_lon))
    n = len(lat)
    distance_m, bearing_deg = earth_mod.geodesic_inverse(lat, lon, aim_lat, aim_lon, model)
    distance_m, bearing_deg = np.atleast_1d(distance_m).astype(float), np.atleast_1d(bearing_deg).astype(float)
    antipode_m = earth_mod.geodesic_inverse(-lat, (lon + 360.0) % 360.0 - 180.0, aim_lat, aim_lon, model)[0]
    status = np.full(n, A.AIM_NOT_CONVERGED)
    status[distance_m < MINIMUM_AIM_M] = AT_LAUNCH
    status[np.atleast_1d(antipode_m) < ANTIPODE_M] = ANTIPODAL
    todo = np.flatnonzero(status == A.AIM_NOT_CONVERGED) if not reach_only else np.flatnonzero(status != AT_LAUNCH)
    guided = missile.glide is not None and missile.glide.guided
    if guided and not reach_only and str(shape) != "minimum-energy":
        raise InputError(f"trajectory = {str(shape)!r}: {missile.name} flies its own glide profile (boost at full burn on "
                         f"a {missile.glide.boost_kick_deg:g} deg kick, the glide guided to the aim); only its default, "
                         "minimum-energy, is allowed")
    side, measure, target = (A.SIDE_REACH, A.MEASURE_NONE, 0.0) if reach_only else _shape_code(shape)
    if shape_values is not None and measure != A.MEASURE_NONE:
        values = np.broadcast_to(np.asarray(shape_values, float), (n,))
        target = np.radians(values) if measure == A.MEASURE_BURNOUT_ANGLE else (
            values * 1e3 if measure == A.MEASURE_APOGEE else values)
    # a guided glider's deciding flights are flown again with their aims (without, when its reach is asked for)
    def aims(rows):
        return Sites(aim_lat[rows], aim_lon[rows], np.zeros(len(rows))) if guided and not reach_only else None

    result = np.full((n, A.N_AIM), np.nan)
    if todo.size:
        flights = launch_rows(np.zeros(todo.size, np.int64), lat[todo], lon[todo], height[todo], bearing_deg[todo],
                              np.zeros(todo.size), np.full(todo.size, missile.burn_time_s), model)
        arguments = kernel_arguments(flights, [missile], model, atmosphere, integrator, history=False)
        routes = route_rows(missile, lat[todo], lon[todo], height[todo], aim_lat[todo], aim_lon[todo],
                            bearing_deg[todo], side, measure, np.broadcast_to(target, (n,))[todo], tolerance_m, model)
        part = np.full((todo.size, A.N_AIM), np.nan)
        engine.batch("aim_batch", device)(*arguments, routes, np.zeros((todo.size, A.MAX_SCAN)), part)
        result[todo] = part
        status[todo] = part[:, A.U_STATUS].astype(int)
    # the numbers behind the reasons and the reach: the flights that decided them, flown again
    refly = np.flatnonzero(np.isfinite(result[:, A.U_PEAK_KICK]))
    reach_m = np.full(n, np.nan)
    if refly.size:
        peaks = fly_launch(missile, Sites(lat[refly], lon[refly], height[refly]),
                           np.degrees(result[refly, A.U_PEAK_AZIMUTH]), np.degrees(result[refly, A.U_PEAK_KICK]),
                           np.inf, earth=earth, atmosphere=atmosphere, integrator=integrator, device=device,
                           target=aims(refly))
        # the ground range flown in the direction of motion (past the antipode where a peak goes that far); a peak
        # that does not come down went into orbit: it reaches every point of its track (near orbital speed an
        # eastward launch gains the Earth's rotation and can)
        reach_m[refly] = np.where(peaks.landed, peaks.downrange_m, np.inf)
    landed = status == A.AIM_LANDED
    # the steering of the flight each refusal names: full burn but where the earliest cut-off decided
    deciding = np.where(landed[:, None], np.nan, np.stack([
        np.degrees(result[:, A.U_AZIMUTH]) % 360.0, np.degrees(result[:, A.U_KICK]),
        np.where(status == A.AIM_TOO_NEAR, result[:, A.U_CUTOFF], np.inf)], axis=1))
    limit_m = np.full(n, np.nan)
    limited = np.flatnonzero(np.isin(status, (A.AIM_TOO_NEAR, A.AIM_NO_FULL_BURN)) & np.isfinite(result[:, A.U_KICK]))
    if limited.size:
        limits = fly_launch(missile, Sites(lat[limited], lon[limited], height[limited]), *deciding[limited].T,
                            earth=earth, atmosphere=atmosphere, integrator=integrator, device=device,
                            target=aims(limited))
        limit_m[limited] = _ranges_m(limits, model)
    reasons = tuple("" if landed[i] else _reason(missile, shape, int(status[i]), result[i], distance_m[i],
                                                 bearing_deg[i], reach_m[i], limit_m[i], lat[i], lon[i], tolerance_m)
                    for i in range(n))

    def steering(column, convert=lambda v: v):
        return np.where(landed, convert(result[:, column]), np.nan)

    return Routes(status, steering(A.U_AZIMUTH, lambda v: np.degrees(v) % 360.0), steering(A.U_KICK, np.degrees),
                  steering(A.U_CUTOFF), result[:, A.U_MISS], np.nan_to_num(result[:, A.U_FLIGHTS]).astype(int),
                  distance_m, bearing_deg, reach_m, result[:, A.U_MINIMUM_ENERGY_APOGEE] / 1e3, reasons,
                  _display_span(shape, result[:, [A.U_LIMIT, A.U_LIMIT_HIGH]], status), deciding)


def _display_span(shape: TrajectoryShape, limits: np.ndarray, status: np.ndarray) -> np.ndarray:
    """The span of a refused shape measure in display units (burnout angle deg, apogee km); NaN elsewhere."""
    span = np.where((status == A.AIM_SHAPE_OUTSIDE)[:, None], limits, np.nan)
    return np.degrees(span) if shape.burnout_angle_deg is not None else span / 1e3


def _ranges_m(flights: Flights, model) -> np.ndarray:
    """Geodesic distance (m) from each flight's launch point to where it came down (Karney)."""
    impact = flights.impact()
    return np.atleast_1d(earth_mod.geodesic_inverse(flights.launch_latitude_deg, flights.launch_longitude_deg,
                                                    impact["latitude_deg"], impact["longitude_deg"], model)[0])


def _reason(missile: Missile, shape: TrajectoryShape, status: int, row, distance_m, bearing_deg, reach_m, limit_m,
            lat, lon, tolerance_m) -> str:
    """Why a route was refused, with the number that decided it."""
    name, km = missile.name, distance_m / 1e3
    if status == AT_LAUNCH:
        return (f"aim point is {distance_m:.0f} m from the launch point: a ballistic missile cannot be aimed at less "
                f"than {MINIMUM_AIM_M / 1e3:g} km")
    if status == ANTIPODAL:
        return (f"aim point is within {ANTIPODE_M / 1e3:g} km of the launch point's antipode: no unique bearing leads "
                "there; aim a little off it")
    if status == A.AIM_BEYOND_REACH:
        return (f"aim point {km:,.0f} km away on bearing {bearing_deg % 360.0:.1f} deg is beyond the reach of {name}: its "
                f"maximum range from ({lat:.2f}, {lon:.2f}) on that bearing is {reach_m / 1e3:,.0f} km (full burn, best "
                f"kick angle {math.degrees(row[A.U_PEAK_KICK]):.2f} deg), {km - reach_m / 1e3:,.0f} km short")
    if status == A.AIM_TOO_NEAR:
        return (f"aim point {km:,.0f} km away is too near for {name} on a {shape} trajectory: its earliest thrust "
                f"cut-off ({row[A.U_CUTOFF]:.1f} s) on kick angle {math.degrees(row[A.U_KICK]):.2f} deg already lands "
                f"{limit_m / 1e3:,.0f} km away")
    if status == A.AIM_NO_FULL_BURN:
        which = "steepest" if shape.name == "lofted" else "flattest"
        return (f"no full-burn {shape.name} trajectory of {name} lands as near as {km:,.0f} km: the {which} "
                f"(kick angle {math.degrees(row[A.U_KICK]):.2f} deg) lands {limit_m / 1e3:,.0f} km away; give "
                f"apogee_km, burnout_angle_deg or apogee_ratio to fly a {shape.name} shape cut off early")
    if status == A.AIM_SHAPE_OUTSIDE:
        low, high = row[A.U_LIMIT], row[A.U_LIMIT_HIGH]
        end = "steepest" if shape.name == "lofted" else "flattest"
        if shape.burnout_angle_deg is not None:
            span = f"burnout flight-path angles from {math.degrees(low):.2f} to {math.degrees(high):.2f} deg"
        elif shape.apogee_ratio is not None:
            span = (f"apogees from 1 to {high / low:.3f} times the minimum-energy apogee ({low / 1e3:,.0f} to "
                    f"{high / 1e3:,.0f} km)")
        else:
            span = f"apogees from {low / 1e3:,.0f} to {high / 1e3:,.0f} km"
        return (f"trajectory {shape} cannot be flown by {name} to {km:,.0f} km: its {shape.name} trajectories to that "
                f"aim have {span}, from minimum energy to the {end} that still reaches it")
    return (f"aiming did not converge: the best {shape} steering found for {name} misses the aim {km:,.0f} km away "
            f"by {row[A.U_MISS] / 1e3:,.1f} km (tolerance {tolerance_m:g} m)")


def _checked_points(lat, lon, height, aim_lat, aim_lon):
    """The route arrays, broadcast and checked: one line naming the first value out of bounds."""
    arrays = np.broadcast_arrays(*(np.atleast_1d(np.asarray(v, float)) for v in (lat, lon, height, aim_lat, aim_lon)))
    for field, value in zip(("launch latitude_deg", "launch longitude_deg", "launch height_m", "aim latitude_deg",
                              "aim longitude_deg"), arrays):
        bound = limits.bound(field.split()[-1])
        bad = ~bound.inside(value)
        if bad.any():
            raise InputError(bound.message(float(value[bad][0]), field))
    return (np.array(a) for a in arrays)


def max_range_m(missile: Missile, launch_latitude_deg, launch_longitude_deg, aim_latitude_deg, aim_longitude_deg, *,
                launch_height_m=0.0, earth: str = earth_mod.DEFAULT_EARTH, atmosphere: str = DEFAULT_ATMOSPHERE,
                integrator: Integrator = Integrator(), device: str = "cpu") -> tuple[np.ndarray, np.ndarray]:
    """Full-burn maximum range (m) of each launch on the bearing of its aim point (best kick, the azimuth
    turned until that flight comes down on the bearing's great circle), and the distance to that aim point
    (m): which aims a batch can reach before it is solved."""
    lat, lon, height, aim_lat, aim_lon = _checked_points(launch_latitude_deg, launch_longitude_deg, launch_height_m,
                                                         aim_latitude_deg, aim_longitude_deg)
    routes = aim_routes(missile, lat, lon, height, aim_lat, aim_lon, TrajectoryShape(), earth=earth,
                        atmosphere=atmosphere, integrator=integrator, device=device, reach_only=True)
    return routes.reach_m, routes.distance_m


def maximum_range_km(missile: Missile, launch: earth_mod.Site, *, azimuth_deg: float = 0.0,
                     earth: str = earth_mod.DEFAULT_EARTH, atmosphere: str = DEFAULT_ATMOSPHERE,
                     integrator: Integrator = Integrator(), device: str = "cpu") -> tuple[float, float]:
    """Maximum ground range (km) of a missile launched from ``launch`` on ``azimuth_deg``, and the pitch-over
    (kick) angle (deg) that gives it: full burn, the missile's own vertical rise and pitch-over, the kick
    scanned from 0.5 to 85 deg in 2 deg steps and refined twice round the best (0.1 and 0.005 deg).

    The range is measured over the ground in the direction of motion (``Flights.downrange_km``), so a
    near-orbital flight that comes down past the antipode counts as longer, not shorter. This is the range
    of the minimum-energy trajectory at full burn, the catalog's range checks' method
    (``tests/test_catalog_ranges.py``); -inf where no kick lands (an orbit, or no lift-off)."""
    kicks = np.arange(0.5, 85.0 + 1e-9, 2.0)
    options = dict(earth=earth, atmosphere=atmosphere, integrator=integrator, device=device)
    for width, step in ((2.0, 0.1), (0.1, 0.005)):
        flights = fly_launch(missile, launch, azimuth_deg, kicks, **options)
        ranges = np.where(flights.landed, flights.downrange_km, -np.inf)
        best = kicks[int(np.argmax(ranges))]
        kicks = np.clip(np.arange(best - width, best + width + step / 2, step), 0.01, 89.0)
    flights = fly_launch(missile, launch, azimuth_deg, kicks, **options)
    ranges = np.where(flights.landed, flights.downrange_km, -np.inf)
    i = int(np.argmax(ranges))
    return float(ranges[i]), float(kicks[i])


@dataclass(frozen=True)
class RangeClass:
    """A catalog missile's range class from the physics (``catalog.range_class`` of the range its model
    flies at minimum energy, full burn), beside the role the catalog states by hand."""

    missile: str
    role: str  # the catalog's hand-written role (MRBM, SLBM, HGV, FOBS ...)
    launch: str  # the reference site of the measure (catalog.range_check_site)
    range_km: float  # maximum range due north from it; inf for a fractional orbit (no range limit)
    kick_deg: float  # the kick angle that flies it (NaN for a fractional orbit)
    range_class: str  # SRBM, MRBM, IRBM or ICBM

    def __str__(self) -> str:
        flown = "no range limit (fractional orbit)" if math.isinf(self.range_km) else f"{self.range_km:,.0f} km"
        return f"{self.missile}: {self.range_class} by range ({flown} due north from {self.launch}), role {self.role}"


def range_class_of(missile: str, **options) -> RangeClass:
    """The range class of a catalog missile from the range its model flies (:func:`maximum_range_km`, due north
    from the catalog's reference site of its country and role). A fractional-orbit missile has no range limit:
    intercontinental. ``options`` as for :func:`maximum_range_km` (earth, atmosphere, integrator, device)."""
    from . import catalog

    cat = catalog.load()
    record = cat.missiles[cat.find("missile", missile)]
    launch = catalog.range_check_site(record)
    vehicle = cat.missile(record.name)
    if vehicle.orbital is not None:
        return RangeClass(record.name, record.role, launch, math.inf, math.nan, catalog.range_class(math.inf))
    range_km, kick_deg = maximum_range_km(vehicle, cat.site(launch), **options)
    if not math.isfinite(range_km):
        raise InputError(f"missile {record.name!r}: no full-burn flight due north from {launch} lands (every kick "
                         "angle goes into orbit or does not lift off): its range class cannot be measured")
    return RangeClass(record.name, record.role, launch, range_km, kick_deg, catalog.range_class(range_km))


def _shape(trajectory, burnout_angle_deg, apogee_km, apogee_ratio) -> TrajectoryShape:
    """The shape asked for by a trajectory text and the keyword shape values (at most one in all)."""
    shape = TrajectoryShape.parse(trajectory)
    given = {k: v for k, v in (("apogee_km", apogee_km), ("burnout_angle_deg", burnout_angle_deg),
                               ("apogee_ratio", apogee_ratio)) if v is not None}
    if given and shape.constrained:
        raise InputError(f"trajectory = {trajectory!r} is shaped already; do not also give {', '.join(given)}")
    if given:
        shape = TrajectoryShape(shape.name, **given)
        shape.check()
    return shape


GLIDE_PROFILE = "glide profile"  # what a guided glider flies in place of a ballistic shape
GLIDE_SHAPING = ("glide guidance: energy management to the aim, the boost at full burn on its own kick, cut off "
                 "earlier only where even the lowest glide lands long")


def _shaping(shape: TrajectoryShape) -> str:
    """The stated choice of how range is controlled."""
    if shape.name == "minimum-energy":
        return "thrust termination (least propellant)"
    if not shape.constrained:
        return "full burn"
    if shape.burnout_angle_deg is not None:
        return f"thrust termination at burnout flight-path angle {shape.burnout_angle_deg:g} deg"
    if shape.apogee_ratio is not None:
        return f"thrust termination at {shape.apogee_ratio:g} x the minimum-energy apogee"
    return f"thrust termination at apogee {shape.apogee_km:g} km"


def solve(missile: Missile, launch_latitude_deg, launch_longitude_deg, aim_latitude_deg, aim_longitude_deg, *,
          launch_height_m=0.0, trajectory: str = "minimum-energy", burnout_angle_deg: float | None = None,
          apogee_km: float | None = None, apogee_ratio: float | None = None, earth: str = earth_mod.DEFAULT_EARTH,
          atmosphere: str = DEFAULT_ATMOSPHERE, integrator: Integrator = Integrator(), tolerance_m: float = 100.0,
          device: str = "cpu") -> AimSolution:
    """Steering (azimuth, kick, cut-off) that lands each flight within ``tolerance_m`` of its aim.

    Arrays broadcast against each other: one flight per (launch, aim) pair, each solved on its own in
    the compiled aiming kernel (``engine/aim.py``). ``trajectory`` is a name or a shape text
    (:class:`TrajectoryShape`); ``burnout_angle_deg``, ``apogee_km`` and ``apogee_ratio`` shape it too.
    Raises :class:`~shieldcheck.errors.InputError` for unknown trajectory names, conflicting options,
    and the first route that cannot be flown, with its reason (beyond reach: the maximum range on that
    track; too near; a shape the missile cannot fly there: the span it can). :func:`solve_each` keeps
    going past such routes.
    """
    limits.check("tolerance_m", tolerance_m)
    shape = _shape(trajectory, burnout_angle_deg, apogee_km, apogee_ratio)
    if not missile.stages:
        raise InputError(f"missile {missile.name!r} has no stages to aim")
    atmosphere_name(atmosphere)
    lat, lon, height, aim_lat, aim_lon = _checked_points(launch_latitude_deg, launch_longitude_deg, launch_height_m,
                                                         aim_latitude_deg, aim_longitude_deg)
    routes = aim_routes(missile, lat, lon, height, aim_lat, aim_lon, shape, tolerance_m=tolerance_m, earth=earth,
                        atmosphere=atmosphere, integrator=integrator, device=device)
    if not routes.landed.all():
        raise InputError(routes.reasons[int(np.argmin(routes.landed))])
    if missile.glide is not None and missile.glide.guided:
        return AimSolution(routes.azimuth_deg, routes.kick_deg, np.minimum(routes.cutoff_s, missile.burn_time_s),
                           GLIDE_PROFILE, GLIDE_SHAPING)
    return AimSolution(routes.azimuth_deg, routes.kick_deg, np.minimum(routes.cutoff_s, missile.burn_time_s),
                       str(shape), _shaping(shape))


def solve_each(missile: Missile, trajectory: str, launches, aims, progress=None) -> list[dict]:
    """Aim solutions flight by flight, for a threat set: one dict per (launch, aim) site pair, with
    ``status`` "flown" and the steering, or "beyond missile range" / "not solved" and the reason.
    A flight-time trajectory (``flight_time_s=T``, :func:`flight_time_of`) is aimed by
    :func:`aim_for_flight_time`; each flown dict then names the shape found (``shape``).

    Routes are solved ``AIM_CHUNK`` at a time, in order; ``progress(n)`` is called as n more are settled.
    """
    lat = np.array([s.latitude_deg for s in launches], float)
    lon = np.array([s.longitude_deg for s in launches], float)
    height = np.array([s.height_m for s in launches], float)
    aim_lat = np.array([s.latitude_deg for s in aims], float)
    aim_lon = np.array([s.longitude_deg for s in aims], float)
    flight_time_s = flight_time_of(trajectory)
    if flight_time_s is not None:
        return _solve_each_for_time(missile, flight_time_s, lat, lon, height, aim_lat, aim_lon, progress)
    shape = TrajectoryShape.parse(trajectory)
    out = []
    for first in range(0, len(lat), AIM_CHUNK):
        part = slice(first, first + AIM_CHUNK)
        routes = aim_routes(missile, lat[part], lon[part], height[part], aim_lat[part], aim_lon[part], shape)
        for k in range(len(routes.status)):
            out.append({"status": _STATUS_TEXT.get(int(routes.status[k]), "not solved"),
                        "distance_km": float(routes.distance_m[k] / 1e3),
                        "max_range_km": float(routes.reach_m[k] / 1e3), "reason": routes.reasons[k],
                        "azimuth_deg": float(routes.azimuth_deg[k]), "kick_deg": float(routes.kick_deg[k]),
                        "cutoff_s": float(routes.cutoff_s[k])})
        if progress:
            progress(len(routes.status))
    return out


def flight_time_of(trajectory: str) -> float | None:
    """The flight time (s) a trajectory text ``flight_time_s=T`` aims for (a scenario threat set's
    ``flight_time_s``); None for a shape (:class:`TrajectoryShape`). :class:`InputError` for a time that is
    not a number or outside its bounds."""
    key, equals, value = str(trajectory).partition("=")
    if key.strip() != FLIGHT_TIME_KEY or not equals:
        return None
    try:
        number = float(value)
    except ValueError:
        raise InputError(f"trajectory = {trajectory!r}: {FLIGHT_TIME_KEY} = {value.strip()!r} is not a number") from None
    return limits.check("flight_time_s", number)


def flight_time_trajectory(flight_time_s: float) -> str:
    """The trajectory text of a flight-time aim (``flight_time_s=900``): what a threat set's flights name."""
    return f"{FLIGHT_TIME_KEY}={limits.check('flight_time_s', flight_time_s):g}"


def _solve_each_for_time(missile: Missile, flight_time_s: float, lat, lon, height, aim_lat, aim_lon,
                         progress) -> list[dict]:
    """:func:`solve_each` for a flight-time trajectory: each route on the shape that lands at that time."""
    out = []
    if missile.glide is not None and missile.glide.guided:
        reason = (f"{missile.name} flies its own glide profile (guided to the aim): its flight time is not a choice of "
                  "shape")
        distance_m = np.atleast_1d(earth_mod.geodesic_inverse(lat, lon, aim_lat, aim_lon,
                                                              earth_mod.earth_model(earth_mod.DEFAULT_EARTH))[0])
        if progress:
            progress(len(lat))
        return [{"status": "not solved", "distance_km": float(d / 1e3), "max_range_km": math.nan, "reason": reason,
                 "azimuth_deg": math.nan, "kick_deg": math.nan, "cutoff_s": math.nan, "shape": ""} for d in distance_m]
    for first in range(0, len(lat), AIM_CHUNK):
        part = slice(first, first + AIM_CHUNK)
        timed = aim_for_flight_time(missile, lat[part], lon[part], aim_lat[part], aim_lon[part], flight_time_s,
                                    launch_height_m=height[part])
        for k in range(len(timed.shapes)):
            status = A.AIM_LANDED if timed.shapes[k] else A.AIM_BEYOND_REACH if timed.beyond_reach[k] else -1
            out.append({"status": _STATUS_TEXT.get(status, "not solved"),
                        "distance_km": float(timed.distance_m[k] / 1e3), "max_range_km": float(timed.reach_m[k] / 1e3),
                        "reason": timed.reasons[k], "azimuth_deg": float(timed.azimuth_deg[k]),
                        "kick_deg": float(timed.kick_deg[k]), "cutoff_s": float(timed.cutoff_s[k]),
                        "shape": timed.shapes[k]})
        if progress:
            progress(len(timed.shapes))
    return out


# --- aiming for a flight time --------------------------------------------------------------------------------------

FLIGHT_TIME_KEY = "flight_time_s"  # a trajectory text FLIGHT_TIME_KEY=T aims for the flight time T (s)
FLIGHT_TIME_TOLERANCE_S = 0.5  # a flight-time aim is met when the flown time is within this of the time asked for
FLIGHT_TIME_STEPS = 40  # root steps on the apogee (Illinois regula falsi) before a route is given up
END_INSIDE_FRACTION = 1e-3  # a side's far end cut off early is flown this fraction of its apogee span inside the end


@dataclass(frozen=True)
class TimedRoutes:
    """Routes aimed to land at a flight time: per route the shape found (``shapes``, a :class:`TrajectoryShape`
    text such as ``lofted:apogee_km=1034.2``; empty where refused) with its steering and what it flies, and the
    range of flight times the missile can fly on that route (``shortest_s``: its flattest depressed shape,
    ``longest_s``: its steepest lofted shape; ``minimum_energy_s`` splits the two branches). ``reasons``: one
    line per refused route (empty where landed)."""

    flight_time_s: np.ndarray  # asked for
    shapes: tuple[str, ...]
    azimuth_deg: np.ndarray
    kick_deg: np.ndarray
    cutoff_s: np.ndarray
    flown_time_s: np.ndarray  # the flight time of the shape found
    apogee_km: np.ndarray
    shortest_s: np.ndarray
    longest_s: np.ndarray
    minimum_energy_s: np.ndarray
    distance_m: np.ndarray
    reach_m: np.ndarray
    beyond_reach: np.ndarray  # the aim beyond the missile's reach on the route's track (no flight time lands there)
    reasons: tuple[str, ...]

    @property
    def landed(self) -> np.ndarray:
        return np.array([bool(s) for s in self.shapes], bool)

    def span_text(self, i: int) -> str:
        """Route i's range of flight times in words."""
        return _span_words(self.shortest_s[i], self.longest_s[i], self.minimum_energy_s[i])


def aim_for_flight_time(missile: Missile, launch_latitude_deg, launch_longitude_deg, aim_latitude_deg,
                        aim_longitude_deg, flight_time_s, *, launch_height_m=0.0, earth: str = earth_mod.DEFAULT_EARTH,
                        atmosphere: str = DEFAULT_ATMOSPHERE, integrator: Integrator = Integrator(),
                        tolerance_m: float = 100.0, device: str = "cpu") -> TimedRoutes:
    """The lofted or depressed shape of each route that lands on its aim ``flight_time_s`` (s) after launch.

    Reports give flight times more often than trajectories. On a route the flight time grows with the apogee
    along the curve of steering that lands on the aim, from the flattest depressed shape through minimum energy
    (which splits the two branches) to the steepest lofted one; so each route's time is a bracketed root over the
    apogee of its side (``depressed:apogee_km=...`` below the minimum-energy time, ``lofted:apogee_km=...`` above),
    all routes of a batch solved together by regula falsi (Illinois), each flight flown to measure its time,
    until the flown time is within ``FLIGHT_TIME_TOLERANCE_S``. The ends of each side are the full-burn shapes
    where they land on the aim, else the side's measured apogee span (the extreme kick cut off early).

    Arrays broadcast (one route per launch and aim pair). A route whose time is outside what the missile can fly
    there is refused with that range (``reasons``); routes the missile cannot reach at all with their reason.
    Raises :class:`~shieldcheck.errors.InputError` for a time outside ``limits`` (negative, not finite) and for a
    missile that flies its own glide profile.
    """
    limits.check("tolerance_m", tolerance_m)
    atmosphere_name(atmosphere)
    if missile.glide is not None and missile.glide.guided:
        raise InputError(f"flight_time_s: {missile.name} flies its own glide profile (guided to the aim); its flight "
                         "time is not a choice of shape")
    lat, lon, height, aim_lat, aim_lon = _checked_points(launch_latitude_deg, launch_longitude_deg, launch_height_m,
                                                         aim_latitude_deg, aim_longitude_deg)
    if np.ndim(flight_time_s) == 0:
        times = np.array([limits.check("flight_time_s", flight_time_s)], float)
    else:
        try:
            times = np.atleast_1d(np.asarray(flight_time_s, float))
        except (TypeError, ValueError):
            raise InputError(f"flight_time_s = {limits.shown(flight_time_s)}: give a number of seconds, or one per "
                             "route") from None
        for value in times:
            limits.check("flight_time_s", float(value))
    lat, lon, height, aim_lat, aim_lon, times = (np.array(a, float) for a in np.broadcast_arrays(
        lat, lon, height, aim_lat, aim_lon, times))
    n = len(lat)
    options = dict(earth=earth, atmosphere=atmosphere, integrator=integrator, device=device)

    def flown(shape: TrajectoryShape, rows: np.ndarray, values=None):
        """The shape solved on the rows, and the flight time and apogee of those that land (NaN elsewhere)."""
        routes = aim_routes(missile, lat[rows], lon[rows], height[rows], aim_lat[rows], aim_lon[rows], shape,
                            tolerance_m=tolerance_m, shape_values=values, **options)
        t = np.full(len(rows), np.nan)
        apogee = np.full(len(rows), np.nan)
        ok = np.flatnonzero(routes.landed)
        if ok.size:
            rows_ok = rows[ok]
            flights = fly_launch(missile, Sites(lat[rows_ok], lon[rows_ok], height[rows_ok]), routes.azimuth_deg[ok],
                                 routes.kick_deg[ok], np.minimum(routes.cutoff_s[ok], missile.burn_time_s),
                                 target=Sites(aim_lat[rows_ok], aim_lon[rows_ok], np.zeros(ok.size)), **options)
            t[ok] = np.where(flights.landed, flights.flight_time_s, np.nan)  # a time only where it came down
            apogee[ok] = flights.apogee_km
        return routes, t, apogee

    steering = np.full((n, 3), np.nan)
    flown_t = np.full(n, np.nan)
    flown_apogee = np.full(n, np.nan)
    shapes = [""] * n

    def keep(i, routes, k, t, apogee, text):
        """Route i flies entry k of a solved batch: its steering, flight time, apogee and shape text."""
        steering[i] = routes.azimuth_deg[k], routes.kick_deg[k], min(routes.cutoff_s[k], missile.burn_time_s)
        flown_t[i], flown_apogee[i], shapes[i] = t, apogee, text

    everyone = np.arange(n)
    me, me_t, me_apogee = flown(TrajectoryShape(), everyone)
    reasons = list(me.reasons)
    solvable = np.flatnonzero(me.landed & np.isfinite(me_t))
    # the far end of each side: (time s, apogee km, steering and shape of the end flight)
    ends = {}
    for name, extreme in (("lofted", limits.bound("apogee_km").high), ("depressed", limits.bound("apogee_km").low)):
        end_t, end_apogee = np.full(n, np.nan), np.full(n, np.nan)
        end_steer, end_shape = np.full((n, 3), np.nan), [""] * n

        def note(rows, routes, t, apogee, texts):
            for k, i in enumerate(rows):
                if math.isfinite(t[k]):
                    end_t[i], end_apogee[i], end_shape[i] = t[k], apogee[k], texts[k]
                    end_steer[i] = (routes.azimuth_deg[k], routes.kick_deg[k],
                                    min(routes.cutoff_s[k], missile.burn_time_s))

        routes, t, apogee = flown(TrajectoryShape(name), solvable)
        note(solvable, routes, t, apogee, [name] * len(solvable))
        rest = solvable[~np.isfinite(t)]
        if rest.size:  # no full burn of this side lands on the aim: its far end is the extreme kick cut off early
            asked = TrajectoryShape(name, apogee_km=extreme)
            routes, t, apogee = flown(asked, rest)
            note(rest, routes, t, apogee, [str(asked)] * len(rest))
            spanned = np.flatnonzero((routes.status == A.AIM_SHAPE_OUTSIDE) & np.isfinite(routes.span[:, 1]))
            if spanned.size:
                rows = rest[spanned]
                far = routes.span[spanned, 1]
                inside = np.clip(far + END_INSIDE_FRACTION * (me_apogee[rows] - far), limits.bound("apogee_km").low,
                                 limits.bound("apogee_km").high)
                inside = np.array([float(f"{v:g}") for v in inside])
                routes, t, apogee = flown(TrajectoryShape(name, apogee_km=1000.0), rows, inside)
                note(rows, routes, t, apogee, [f"{name}:apogee_km={v:g}" for v in inside])
        ends[name] = (end_t, end_apogee, end_steer, end_shape)

    shortest = np.where(np.isfinite(ends["depressed"][0]), ends["depressed"][0], me_t)
    longest = np.where(np.isfinite(ends["lofted"][0]), ends["lofted"][0], me_t)
    tol = FLIGHT_TIME_TOLERANCE_S
    todo = {"lofted": [], "depressed": []}
    for i in solvable:
        side = "lofted" if times[i] > me_t[i] else "depressed"
        end_t, end_apogee, end_steer, end_shape = ends[side]
        if abs(times[i] - me_t[i]) <= tol:
            keep(i, me, i, me_t[i], me_apogee[i], "minimum-energy")
        elif math.isfinite(end_t[i]) and abs(times[i] - end_t[i]) <= tol:
            steering[i], flown_t[i], flown_apogee[i], shapes[i] = end_steer[i], end_t[i], end_apogee[i], end_shape[i]
        elif not (shortest[i] - tol <= times[i] <= longest[i] + tol) or not math.isfinite(end_t[i]):
            reasons[i] = (f"{missile.name} cannot fly the {me.distance_m[i] / 1e3:,.0f} km from ({lat[i]:.2f}, "
                          f"{lon[i]:.2f}) to ({aim_lat[i]:.2f}, {aim_lon[i]:.2f}) in flight_time_s = {times[i]:g} s: "
                          f"its flight times on that route are {_span_words(shortest[i], longest[i], me_t[i])}")
        else:
            todo[side].append(i)
    # the root over each side's apogee, all routes of a side together
    for side, rows in todo.items():
        rows = np.array(rows, int)
        if not rows.size:
            continue
        end_t, end_apogee = ends[side][0][rows], ends[side][1][rows]
        a0, g0 = me_apogee[rows].copy(), me_t[rows] - times[rows]  # the minimum-energy end of the bracket
        a1, g1 = end_apogee.copy(), end_t - times[rows]  # the side's far end
        active = np.ones(rows.size, bool)
        best = np.full(rows.size, np.inf)
        for _ in range(FLIGHT_TIME_STEPS):
            if not active.any():
                break
            k = np.flatnonzero(active)
            guess = a1[k] - g1[k] * (a1[k] - a0[k]) / (g1[k] - g0[k])
            low, high = np.minimum(a0[k], a1[k]), np.maximum(a0[k], a1[k])
            inner = (guess > low) & (guess < high)
            guess = np.where(inner, guess, 0.5 * (low + high))
            guess = np.array([float(f"{v:g}") for v in guess])  # the value the shape's text states
            routes, t, apogee = flown(TrajectoryShape(side, apogee_km=1000.0), rows[k], guess)
            g = t - times[rows[k]]
            for j, kk in enumerate(k):
                i = rows[kk]
                if not math.isfinite(g[j]):  # this apogee did not solve: halve the bracket toward minimum energy
                    a1[kk], g1[kk] = 0.5 * (a0[kk] + a1[kk]), g1[kk]
                    continue
                if abs(g[j]) < best[kk]:
                    best[kk] = abs(g[j])
                    keep(i, routes, j, t[j], apogee[j], f"{side}:apogee_km={guess[j]:g}")
                if abs(g[j]) <= tol:
                    active[kk] = False
                    continue
                if g[j] * g1[kk] < 0.0:
                    a0[kk], g0[kk] = a1[kk], g1[kk]
                else:
                    g0[kk] *= 0.5
                a1[kk], g1[kk] = guess[j], g[j]
        for kk in np.flatnonzero(active):
            i = rows[kk]
            if best[kk] > 2.0 * tol:
                shapes[i] = ""
                reasons[i] = (f"aiming {missile.name} for flight_time_s = {times[i]:g} s did not converge: the "
                              f"nearest {side} shape found flies {flown_t[i]:,.1f} s (flight times on that route: "
                              f"{_span_words(shortest[i], longest[i], me_t[i])})")
    landed = np.array([bool(s) for s in shapes])
    for i in range(n):
        if landed[i]:
            reasons[i] = ""
        elif not reasons[i]:  # the minimum-energy steering found, but its flight not measured as coming down
            reasons[i] = (f"aiming {missile.name} for flight_time_s = {times[i]:g} s: its minimum-energy flight to "
                          f"({aim_lat[i]:.2f}, {aim_lon[i]:.2f}) was not measured coming down, so no time range splits")
    steering[~landed] = np.nan
    return TimedRoutes(times, tuple(shapes), steering[:, 0], steering[:, 1], steering[:, 2],
                       np.where(landed, flown_t, np.nan), np.where(landed, flown_apogee, np.nan), shortest, longest,
                       np.where(np.isfinite(me_t), me_t, np.nan), me.distance_m, me.reach_m,
                       me.status == A.AIM_BEYOND_REACH, tuple(reasons))


def _span_words(shortest_s: float, longest_s: float, minimum_energy_s: float) -> str:
    """A route's range of flight times in words."""
    ends = [f"{v:,.0f} s" if math.isfinite(v) else "not measured" for v in (shortest_s, longest_s)]
    return (f"{ends[0]} (flattest depressed) to {ends[1]} (steepest lofted), minimum energy "
            f"{minimum_energy_s:,.0f} s")


def fly(missile, launch, aim, *, trajectory: str = "minimum-energy", burnout_angle_deg: float | None = None,
        apogee_km: float | None = None, apogee_ratio: float | None = None, flight_time_s: float | None = None,
        earth: str = earth_mod.DEFAULT_EARTH, atmosphere: str = DEFAULT_ATMOSPHERE,
        integrator: Integrator = Integrator(), history: bool = True, tolerance_m: float = 100.0,
        device: str = "cpu") -> Flights:
    """Aim a missile from launch sites at aim points and fly the solution.

    Parameters
    ----------
    missile: a catalog name (``"Shahab-3"``) or a :class:`~shieldcheck.vehicles.Missile`.
    launch, aim: catalog site names, ``"LAT,LON"`` strings, :class:`~shieldcheck.earth.Site` s,
        or sequences of them (broadcast: one flight per pair).

    Other options (keyword-only): ``trajectory`` (``minimum-energy``, ``lofted``, ``depressed``, or a
    shape text such as ``depressed:apogee_ratio=0.5``), ``burnout_angle_deg``, ``apogee_km`` or
    ``apogee_ratio`` (shape a lofted or depressed trajectory), ``flight_time_s`` (fly the lofted or
    depressed shape that lands at that time after launch: :func:`aim_for_flight_time`; the shape found is
    the flights' ``trajectory``), ``earth``, ``atmosphere``, ``integrator``, ``history`` (record samples;
    default on), ``tolerance_m``, ``device``.

    A fractional-orbit (FOBS) missile is flown by :func:`shieldcheck.orbital.fly_fobs` (its orbit and
    deorbit; no trajectory shape applies).

    Returns :class:`~shieldcheck.flight.Flights` with the aim points, the miss distance and the
    stated shaping choice. Raises :class:`~shieldcheck.errors.InputError` on bad input.
    """
    return fly_timed(missile, launch, aim, trajectory=trajectory, burnout_angle_deg=burnout_angle_deg,
                     apogee_km=apogee_km, apogee_ratio=apogee_ratio, flight_time_s=flight_time_s, earth=earth,
                     atmosphere=atmosphere, integrator=integrator, history=history, tolerance_m=tolerance_m,
                     device=device)[0]


def fly_timed(missile, launch, aim, *, trajectory: str = "minimum-energy", burnout_angle_deg: float | None = None,
              apogee_km: float | None = None, apogee_ratio: float | None = None, flight_time_s: float | None = None,
              earth: str = earth_mod.DEFAULT_EARTH, atmosphere: str = DEFAULT_ATMOSPHERE,
              integrator: Integrator = Integrator(), history: bool = True, tolerance_m: float = 100.0,
              device: str = "cpu") -> tuple[Flights, TimedRoutes | None]:
    """:func:`fly`, and with ``flight_time_s`` the :class:`TimedRoutes` that chose each flight's shape (the
    range of flight times of each route beside it; None without ``flight_time_s``)."""
    from . import catalog

    cat = catalog.load()
    if not isinstance(missile, (str, Missile)):
        raise InputError(f"missile = {missile!r}: give a catalog missile name or a vehicles.Missile")
    if not isinstance(history, bool):
        raise InputError(f"history = {history!r}: give True or False")
    checked_integrator(integrator)
    engine.device_checked(device)
    vehicle = cat.missile(missile) if isinstance(missile, str) else missile

    def sites(value, what: str):
        values = value if isinstance(value, (list, tuple)) else [value]
        if not values:
            raise InputError(f"{what} = {value!r}: give at least one site")
        for v in values:
            if not isinstance(v, (str, earth_mod.Site)):
                raise InputError(f"{what} = {v!r}: give a catalog site name, 'LAT,LON' in degrees or an "
                                 "earth.Site (or a list of them)")
        return [cat.site(v) if isinstance(v, str) else v for v in values]

    if vehicle.orbital is not None:
        shaped = [name for name, value in (("trajectory", trajectory != "minimum-energy"),
                                           ("burnout_angle_deg", burnout_angle_deg), ("apogee_km", apogee_km),
                                           ("apogee_ratio", apogee_ratio), ("flight_time_s", flight_time_s))
                  if value not in (None, False)]
        if shaped:
            raise InputError(f"{', '.join(shaped)}: {vehicle.name} is a fractional-orbit (FOBS) missile; it flies its "
                             "orbit and deorbit, not a lofted, depressed or shaped ballistic trajectory")
        from .orbital import fly_fobs

        return fly_fobs(vehicle, launch, aim, earth=earth, atmosphere=atmosphere, integrator=integrator,
                        history=history, tolerance_m=tolerance_m, device=device), None
    launches, aims = sites(launch, "launch"), sites(aim, "aim")
    sources = list(vehicle.sources)
    for value in (launch, aim):
        for v in value if isinstance(value, (list, tuple)) else [value]:
            if isinstance(v, str):
                sources += cat.site_sources(v)
    lat = np.array([s.latitude_deg for s in launches])
    lon = np.array([s.longitude_deg for s in launches])
    height = np.array([s.height_m for s in launches])
    aim_lat = np.array([s.latitude_deg for s in aims])
    aim_lon = np.array([s.longitude_deg for s in aims])
    lat, lon, height, aim_lat, aim_lon = np.broadcast_arrays(lat, lon, height, aim_lat, aim_lon)
    if flight_time_s is not None:
        return _fly_for_time(vehicle, launches, lat, lon, height, aim_lat, aim_lon, flight_time_s, sources,
                             trajectory=trajectory, shaped=(burnout_angle_deg, apogee_km, apogee_ratio), earth=earth,
                             atmosphere=atmosphere, integrator=integrator, history=history, tolerance_m=tolerance_m,
                             device=device)
    solution = solve(vehicle, lat, lon, aim_lat, aim_lon, launch_height_m=height, trajectory=trajectory,
                     burnout_angle_deg=burnout_angle_deg, apogee_km=apogee_km, apogee_ratio=apogee_ratio,
                     earth=earth, atmosphere=atmosphere,
                     integrator=integrator, tolerance_m=tolerance_m, device=device)
    launch_sites = [earth_mod.Site(s.name, a, b, h) for s, a, b, h in
                    zip(launches * (len(lat) // len(launches)), lat, lon, height)]
    flights = fly_launch(vehicle, launch_sites, solution.azimuth_deg, solution.kick_deg, solution.cutoff_s,
                         earth=earth, atmosphere=atmosphere, integrator=integrator, history=history, device=device,
                         target=Sites(aim_lat, aim_lon, np.zeros(len(aim_lat))))
    return Flights(flights.missile_names, flights.launch_latitude_deg, flights.launch_longitude_deg, flights.summary,
                   flights.history, flights.earth, flights.atmosphere, flights.integrator, flights.mode,
                   tuple(dict.fromkeys(sources)), flights.azimuth_deg, flights.kick_deg, flights.cutoff_s,
                   np.array(aim_lat, float), np.array(aim_lon, float), solution.trajectory,
                   (f"range control: {solution.shaping}",)), None


def _fly_for_time(vehicle: Missile, launches, lat, lon, height, aim_lat, aim_lon, flight_time_s, sources, *, trajectory,
                  shaped, earth, atmosphere, integrator, history, tolerance_m, device) -> tuple[Flights, TimedRoutes]:
    """The flights of :func:`fly` aimed for a flight time: each route's shape found, then flown."""
    given = [name for name, value in zip(("burnout_angle_deg", "apogee_km", "apogee_ratio"), shaped) if value is not None]
    if trajectory != "minimum-energy" or given:
        raise InputError(f"flight_time_s = {limits.shown(flight_time_s)}: the flight time chooses the trajectory's "
                         f"shape; do not also give {', '.join(given or [f'trajectory = {trajectory!r}'])}")
    timed = aim_for_flight_time(vehicle, lat, lon, aim_lat, aim_lon, flight_time_s, launch_height_m=height, earth=earth,
                                atmosphere=atmosphere, integrator=integrator, tolerance_m=tolerance_m, device=device)
    if not timed.landed.all():
        raise InputError(timed.reasons[int(np.argmin(timed.landed))])
    launch_sites = [earth_mod.Site(s.name, a, b, h) for s, a, b, h in
                    zip(launches * (len(lat) // len(launches)), lat, lon, height)]
    flights = fly_launch(vehicle, launch_sites, timed.azimuth_deg, timed.kick_deg, timed.cutoff_s, earth=earth,
                         atmosphere=atmosphere, integrator=integrator, history=history, device=device,
                         target=Sites(aim_lat, aim_lon, np.zeros(len(aim_lat))))
    shapes = sorted(set(timed.shapes))
    notes = tuple(f"flight time: aimed at {t:g} s, flown on {shape} ({t_flown:,.1f} s); this route's flight times: "
                  f"{timed.span_text(i)}" for i, (t, shape, t_flown) in
                  enumerate(zip(timed.flight_time_s, timed.shapes, timed.flown_time_s)))
    return Flights(flights.missile_names, flights.launch_latitude_deg, flights.launch_longitude_deg, flights.summary,
                   flights.history, flights.earth, flights.atmosphere, flights.integrator, flights.mode,
                   tuple(dict.fromkeys(sources)), flights.azimuth_deg, flights.kick_deg, flights.cutoff_s,
                   np.array(aim_lat, float), np.array(aim_lon, float),
                   shapes[0] if len(shapes) == 1 else "; ".join(shapes),
                   (f"range control: the {'/'.join(shapes)} shape that lands at the flight time asked for",
                    *notes)), timed
