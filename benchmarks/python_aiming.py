"""The Python-driven aiming solver that the compiled one replaced: the baseline of ``bench_aiming.py``.

Every step of its searches (golden-section on the kick, Illinois regula falsi on the cut-off, a fixed
point on the azimuth) is one batched run of the flight kernel over all routes, driven from NumPy.
Kept only to be measured against, in the same run, and to compare solutions with.
"""

from __future__ import annotations

import math

import numpy as np

from shieldcheck import earth as earth_mod
from shieldcheck.aiming import AimSolution, _checked_points, _shape
from shieldcheck.errors import InputError
from shieldcheck.flight import DEFAULT_ATMOSPHERE, Flights, Integrator, atmosphere_name, fly_launch
from shieldcheck.vehicles import Missile

SEARCH_TOLERANCE_M = 500.0
REFINE_KICK_DEG = 1.5
KICK_MIN_DEG = 0.05
KICK_MAX_DEG = 85.0
KICK_SCAN_POINTS = 18
GOLDEN = (np.sqrt(5.0) - 1.0) / 2.0


class _Problem:
    """Batched evaluation of steering -> (downrange error m, azimuth error deg, flights)."""

    def __init__(self, missile, lat, lon, height, aim_lat, aim_lon, earth, atmosphere, integrator, device):
        self.missile = missile
        self.launch = [earth_mod.Site(f"launch {i}", a, b, h) for i, (a, b, h) in enumerate(zip(lat, lon, height))]
        self.lat, self.lon = lat, lon
        self.model = earth_mod.earth_model(earth)
        self.distance_m, self.bearing_deg = earth_mod.geodesic_inverse(lat, lon, aim_lat, aim_lon, self.model)
        self.options = dict(earth=earth, atmosphere=atmosphere, integrator=integrator, device=device)
        self.full_s = missile.burn_time_s
        self.runs = 0

    def fly(self, azimuth_deg, kick_deg, cutoff_s) -> Flights:
        self.runs += 1
        return fly_launch(self.missile, self.launch, azimuth_deg, kick_deg, cutoff_s, **self.options)

    def errors(self, flights: Flights):
        """Downrange error (m, + long) and azimuth error (deg) of each impact against its aim.

        A flight that travels past the antipode of its launch point (a glide vehicle can) lands at a
        geodesic distance below half the meridian, on the reverse bearing; its downrange is then
        counted on past the antipode (twice the half meridian less the geodesic distance), so that
        the error keeps growing with the flight's reach instead of turning into a shortfall.
        """
        impact = flights.impact()
        reach_m, azimuth = earth_mod.geodesic_inverse(self.lat, self.lon, impact["latitude_deg"],
                                                      impact["longitude_deg"], self.model)
        off = (azimuth - self.bearing_deg + 180.0) % 360.0 - 180.0
        off = np.where(reach_m < 1_000.0, 0.0, off)  # no bearing for a flight that fell at the pad
        along = reach_m * np.cos(np.radians(off))
        beyond = self._past_antipode(flights, reach_m)
        if np.any(beyond):
            half_meridian_m = earth_mod.geodesic_inverse(90.0, 0.0, -90.0, 0.0, self.model)[0]
            along = np.where(beyond, 2.0 * half_meridian_m - reach_m, along)
            off = np.where(beyond, (azimuth + 180.0 - self.bearing_deg + 180.0) % 360.0 - 180.0, off)
        return along - self.distance_m, off

    @staticmethod
    def _past_antipode(flights: Flights, reach_m) -> np.ndarray:
        """Whether each flight went more than half-way round: the inertial angle from launch to end,
        signed in the sense of motion at burnout (plane of burnout position and velocity), is negative.
        Only flights that end over 10,000 km from launch are considered (a short fall-back is not one)."""
        from shieldcheck.engine import pack as P

        summary = flights.summary
        start = flights.summary[:, P.O_BURNOUT_STATE:P.O_BURNOUT_STATE + 3]
        normal = np.cross(start, summary[:, P.O_BURNOUT_STATE + 3:P.O_BURNOUT_STATE + 6])
        launch = earth_mod.ecef_from_geodetic(np.radians(flights.launch_latitude_deg),
                                              np.radians(flights.launch_longitude_deg), 0.0, flights.earth)
        end = summary[:, P.O_END_STATE:P.O_END_STATE + 3]
        return (reach_m > 10_000e3) & (np.sum(np.cross(launch, end) * normal, axis=1) < 0.0)


def illinois(f, lo, hi, f_lo, f_hi, iterations: int, tolerance: float):
    """Vectorised Illinois regula falsi for f(x) = 0 on brackets with f(lo) < 0 < f(hi)."""
    x = hi.copy()
    side = np.zeros(len(lo))
    for _ in range(iterations):
        x = np.where(f_hi != f_lo, (lo * f_hi - hi * f_lo) / np.where(f_hi != f_lo, f_hi - f_lo, 1.0), 0.5 * (lo + hi))
        fx = f(x)
        below = fx < 0.0
        lo = np.where(below, x, lo)
        hi = np.where(below, hi, x)
        f_hi = np.where(below, np.where(side == -1, 0.5 * f_hi, f_hi), fx)
        f_lo = np.where(below, fx, np.where(side == 1, 0.5 * f_lo, f_lo))
        side = np.where(below, -1, 1)
        if np.all(np.abs(fx) < tolerance):
            break
    return x


def _golden(f, lo, hi, iterations: int):
    """Vectorised golden-section search for the minimum of f on [lo, hi]."""
    a, b = lo.copy(), hi.copy()
    c = b - GOLDEN * (b - a)
    d = a + GOLDEN * (b - a)
    fc, fd = f(c), f(d)
    for _ in range(iterations):
        left = fc < fd
        b = np.where(left, d, b)
        a = np.where(left, a, c)
        new_c = b - GOLDEN * (b - a)
        new_d = a + GOLDEN * (b - a)
        # one new evaluation per element: reuse the surviving interior point
        x = np.where(left, new_c, new_d)
        fx = f(x)
        fc, fd, c, d = (np.where(left, fx, fd), np.where(left, fc, fx),
                        np.where(left, new_c, d), np.where(left, c, new_d))
    return np.where(fc < fd, c, d)


def _cutoff_for_range(problem: _Problem, azimuth, kick, tolerance_m):
    """Thrust cut-off time that reaches the aim distance for given azimuth and kick.

    Returns (cutoff_s, shortfall_m): the shortfall is > 0 where even a full burn falls short.
    """
    n = len(azimuth)
    earliest = problem.missile.vertical_rise_s + problem.missile.pitch_over_s + 1.0
    lo = np.full(n, min(earliest, problem.full_s))
    hi = np.full(n, problem.full_s)
    f_lo = problem.errors(problem.fly(azimuth, kick, lo))[0]
    f_hi = problem.errors(problem.fly(azimuth, kick, hi))[0]
    shortfall = np.maximum(-f_hi, 0.0)
    ok = (f_lo < 0.0) & (f_hi >= 0.0)

    def f(t):
        return problem.errors(problem.fly(azimuth, kick, t))[0]

    cutoff = illinois(f, lo, hi, np.where(ok, f_lo, -1.0), np.where(ok, f_hi, 1.0), 40, tolerance_m)
    return np.where(ok, cutoff, np.where(f_hi < 0.0, hi, lo)), shortfall


def _max_range(problem: _Problem, azimuth):
    """Full-burn maximum range (m) on each azimuth, and the kick angle that gives it."""
    n = len(azimuth)

    def negative_range(kick):
        return -(problem.errors(problem.fly(azimuth, kick, np.full(n, problem.full_s)))[0] + problem.distance_m)

    # a coarse scan first, in one batch, then golden-section search around each flight's best grid
    # point: the range need not be single-peaked in the kick angle (a glide vehicle's skips)
    grid = np.linspace(KICK_MIN_DEG, KICK_MAX_DEG, KICK_SCAN_POINTS)
    scan = _full_burn_downrange_m(problem, azimuth, grid)
    step = grid[1] - grid[0]
    best = grid[np.argmax(scan, axis=1)]
    kick = _golden(negative_range, np.maximum(best - step, KICK_MIN_DEG), np.minimum(best + step, KICK_MAX_DEG), 24)
    return -negative_range(kick), kick


def _full_burn_downrange_m(problem: _Problem, azimuth, kicks) -> np.ndarray:
    """Full-burn downrange (m), shape (flight, kick): every flight at every kick angle, in one batched run."""
    n, k = len(azimuth), len(kicks)
    scan = _Problem.__new__(_Problem)  # the same problem with each flight repeated once per kick angle
    scan.__dict__.update(problem.__dict__)
    scan.launch = [site for site in problem.launch for _ in range(k)]
    scan.lat, scan.lon = np.repeat(problem.lat, k), np.repeat(problem.lon, k)
    scan.distance_m, scan.bearing_deg = np.repeat(problem.distance_m, k), np.repeat(problem.bearing_deg, k)
    flights = scan.fly(np.repeat(azimuth, k), np.tile(kicks, n), np.full(n * k, problem.full_s))
    problem.runs += 1
    return (scan.errors(flights)[0] + scan.distance_m).reshape(n, k)


def _beyond_reach(problem: _Problem, reach_m, index) -> InputError:
    i = int(index)
    return InputError(
        f"aim point {problem.distance_m[i] / 1e3:,.0f} km away on bearing {problem.bearing_deg[i]:.1f} deg is beyond the "
        f"reach of {problem.missile.name}: its maximum range from ({problem.lat[i]:.2f}, {problem.lon[i]:.2f}) on that "
        f"bearing is {reach_m[i] / 1e3:,.0f} km (full burn, best kick angle)")


def max_range_m(missile: Missile, launch_latitude_deg, launch_longitude_deg, aim_latitude_deg, aim_longitude_deg, *,
                launch_height_m=0.0, earth: str = earth_mod.DEFAULT_EARTH, atmosphere: str = DEFAULT_ATMOSPHERE,
                integrator: Integrator = Integrator(), device: str = "cpu") -> tuple[np.ndarray, np.ndarray]:
    """Full-burn maximum range (m) of each launch on the bearing of its aim point (best kick), and the
    distance to that aim point (m): which aims a batch can reach before it is solved."""
    arrays = np.broadcast_arrays(*(np.atleast_1d(np.asarray(v, float)) for v in
                                   (launch_latitude_deg, launch_longitude_deg, launch_height_m,
                                    aim_latitude_deg, aim_longitude_deg)))
    lat, lon, height, aim_lat, aim_lon = (np.array(a) for a in arrays)
    problem = _Problem(missile, lat, lon, height, aim_lat, aim_lon, earth, atmosphere, integrator, device)
    reach_m, _ = _max_range(problem, problem.bearing_deg.copy())
    return reach_m, problem.distance_m


def solve(missile: Missile, launch_latitude_deg, launch_longitude_deg, aim_latitude_deg, aim_longitude_deg, *,
          launch_height_m=0.0, trajectory: str = "minimum-energy", burnout_angle_deg: float | None = None,
          apogee_km: float | None = None, apogee_ratio: float | None = None, earth: str = earth_mod.DEFAULT_EARTH,
          atmosphere: str = DEFAULT_ATMOSPHERE, integrator: Integrator = Integrator(), tolerance_m: float = 100.0,
          minimum_energy_apogee_km=None, device: str = "cpu") -> AimSolution:
    """Steering (azimuth, kick, cut-off) that lands each flight within ``tolerance_m`` of its aim.

    Arrays broadcast against each other: one flight per (launch, aim) pair. ``trajectory`` is a
    name or a shape text (:class:`TrajectoryShape`); ``burnout_angle_deg``, ``apogee_km`` and
    ``apogee_ratio`` shape it too. Raises :class:`~shieldcheck.errors.InputError` for unknown
    trajectory names, conflicting options and aim points beyond reach (naming the maximum range
    on that bearing). ``minimum_energy_apogee_km`` (per flight) spares an ``apogee_ratio`` shape the
    minimum-energy solution it is measured against, where the caller has it already.
    """
    if not (isinstance(tolerance_m, (int, float)) and not isinstance(tolerance_m, bool) and math.isfinite(tolerance_m)
            and 1.0 <= tolerance_m <= 100_000.0):
        raise InputError(f"tolerance_m = {tolerance_m!r} is outside 1 to 100,000 m")
    shape = _shape(trajectory, burnout_angle_deg, apogee_km, apogee_ratio)
    trajectory = shape.name
    burnout_angle_deg, apogee_km = shape.burnout_angle_deg, shape.apogee_km
    constrained = shape.constrained
    if not missile.stages:
        raise InputError(f"missile {missile.name!r} has no stages to aim")
    atmosphere_name(atmosphere)
    lat, lon, height, aim_lat, aim_lon = _checked_points(launch_latitude_deg, launch_longitude_deg, launch_height_m,
                                                         aim_latitude_deg, aim_longitude_deg)
    problem = _Problem(missile, lat, lon, height, aim_lat, aim_lon, earth, atmosphere, integrator, device)
    if np.any(problem.distance_m < 1_000.0):
        i = int(np.argmax(problem.distance_m < 1_000.0))
        raise InputError(f"aim point is {problem.distance_m[i]:.0f} m from the launch point: a ballistic missile "
                         "cannot be aimed at less than 1 km")
    if shape.apogee_ratio is not None:
        # the flights' own minimum-energy apogees set the target apogee of each
        if minimum_energy_apogee_km is None:
            lowest = solve(missile, lat, lon, aim_lat, aim_lon, launch_height_m=height, earth=earth,
                           atmosphere=atmosphere, integrator=integrator, tolerance_m=tolerance_m, device=device)
            minimum_energy_apogee_km = problem.fly(lowest.azimuth_deg, lowest.kick_deg, lowest.cutoff_s).apogee_km
        apogee_km = shape.apogee_ratio * np.broadcast_to(np.asarray(minimum_energy_apogee_km, float), lat.shape)
    n = len(lat)
    azimuth = problem.bearing_deg.copy()
    kick = np.full(n, np.nan)
    cutoff = np.full(n, problem.full_s)
    full = np.full(n, problem.full_s)
    search_m = max(tolerance_m / 4, SEARCH_TOLERANCE_M)
    for iteration in range(8):
        # The first pass searches every kick angle; later passes only correct the azimuth by a degree
        # or two, so they search near the kick already found (and the reach is already known).
        refine = iteration > 0 and trajectory == "minimum-energy" or iteration > 0 and constrained
        if not refine:
            reach_m, best_kick = _max_range(problem, azimuth)
            if np.any(reach_m < problem.distance_m):
                i = int(np.argmax(reach_m < problem.distance_m))
                if iteration == 0:  # on the aim's own bearing: the aim is beyond reach
                    raise _beyond_reach(problem, reach_m, i)
                # on a corrected azimuth: the corrections diverged, the aim itself may well be in reach
                raise InputError(
                    f"aiming did not converge: the best {shape} steering found for {missile.name} leaves the aim "
                    f"{problem.distance_m[i] / 1e3:,.0f} km away out of reach after {iteration} azimuth corrections; "
                    "try another trajectory (minimum-energy controls range by thrust cut-off) or shape it with "
                    "burnout_angle_deg or apogee_km")
        if trajectory == "minimum-energy":
            def cost(k):
                t, shortfall = _cutoff_for_range(problem, azimuth, k, search_m)
                return t + shortfall / 1_000.0  # beyond reach on this kick: penalise 1 s per km short

            if refine:
                kick = _golden(cost, np.maximum(kick - REFINE_KICK_DEG, KICK_MIN_DEG),
                               np.minimum(kick + REFINE_KICK_DEG, KICK_MAX_DEG), 16)
            else:
                kick = _golden(cost, np.full(n, KICK_MIN_DEG), np.full(n, KICK_MAX_DEG), 24)
            cutoff, _ = _cutoff_for_range(problem, azimuth, kick, tolerance_m / 4)
        elif not constrained:
            lofted = trajectory == "lofted"

            def f(k):
                error = problem.errors(problem.fly(azimuth, k, full))[0]
                return error if lofted else -error

            lo = np.full(n, KICK_MIN_DEG) if lofted else best_kick
            hi = best_kick if lofted else np.full(n, KICK_MAX_DEG)
            f_lo, f_hi = f(lo), f(hi)
            if np.any(f_lo >= 0.0) or np.any(f_hi < 0.0):
                i = int(np.argmax((f_lo >= 0.0) | (f_hi < 0.0)))
                raise InputError(
                    f"no full-burn {trajectory} trajectory of {missile.name} reaches exactly "
                    f"{problem.distance_m[i] / 1e3:,.0f} km (kick angles {KICK_MIN_DEG}-{KICK_MAX_DEG} deg): give "
                    "burnout_angle_deg or apogee_km to shape it with thrust termination")
            kick = illinois(f, lo, hi, f_lo, f_hi, 60, tolerance_m / 4)
            cutoff = full
        else:
            def shape_error(k):
                t, shortfall = _cutoff_for_range(problem, azimuth, k, search_m)
                flights = problem.fly(azimuth, k, t)
                if burnout_angle_deg is not None:
                    value = flights.burnout()["flight_path_angle_deg"] - burnout_angle_deg
                else:
                    value = flights.apogee_km - apogee_km
                return value, t, shortfall

            v_lo = v_hi = None
            if refine:
                lo = np.maximum(kick - REFINE_KICK_DEG, KICK_MIN_DEG)
                hi = np.minimum(kick + REFINE_KICK_DEG, KICK_MAX_DEG)
                v_lo, v_hi = shape_error(lo)[0], shape_error(hi)[0]
                if np.any((v_lo <= 0.0) | (v_hi >= 0.0)):  # the shape left the narrow bracket: search them all
                    v_lo = v_hi = None
            if v_lo is None:
                lo, hi = np.full(n, KICK_MIN_DEG), np.full(n, KICK_MAX_DEG)
                v_lo, v_hi = shape_error(lo)[0], shape_error(hi)[0]
            # the shape measure falls as the kick grows: steeper at small kicks
            if np.any((v_lo <= 0.0) | (v_hi >= 0.0)):
                i = int(np.argmax((v_lo <= 0.0) | (v_hi >= 0.0)))
                what = (f"burnout_angle_deg = {burnout_angle_deg}" if burnout_angle_deg is not None else
                        f"apogee_km = {np.broadcast_to(apogee_km, n)[i]:,.0f}")
                raise InputError(f"trajectory {shape}: {what} cannot be flown by {missile.name} to "
                                 f"{problem.distance_m[i] / 1e3:,.0f} km: no kick angle gives it")
            kick = illinois(lambda k: -shape_error(k)[0], lo, hi, -v_lo, -v_hi, 40,
                             0.01 if burnout_angle_deg is not None else 0.5)
            cutoff, shortfall = _cutoff_for_range(problem, azimuth, kick, tolerance_m / 4)
            if np.any(shortfall > tolerance_m):
                i = int(np.argmax(shortfall > tolerance_m))
                raise InputError(f"{missile.name} cannot reach {problem.distance_m[i] / 1e3:,.0f} km on that "
                                 f"{trajectory} trajectory: it falls {shortfall[i] / 1e3:,.0f} km short")
        along, off = problem.errors(problem.fly(azimuth, kick, cutoff))
        cross_m = problem.distance_m * np.radians(off)
        miss_m = np.hypot(along, cross_m)
        if np.all(miss_m < tolerance_m):
            break
        azimuth = azimuth - off
    else:
        # never hand back steering that misses: say so (e.g. a range that is not single-peaked in the
        # kick angle, as a glide vehicle's skips make it, defeats the kick search)
        i = int(np.argmax(miss_m))
        raise InputError(
            f"aiming did not converge: the best {shape} steering found for {missile.name} misses the aim "
            f"{problem.distance_m[i] / 1e3:,.0f} km away by {miss_m[i] / 1e3:,.1f} km (tolerance {tolerance_m:g} m); "
            "try another trajectory (minimum-energy controls range by thrust cut-off) or shape it with "
            "burnout_angle_deg or apogee_km")
    if trajectory == "minimum-energy":
        shaping = "thrust termination (least propellant)"
    elif not constrained:
        shaping = "full burn"
    elif burnout_angle_deg is not None:
        shaping = f"thrust termination at burnout flight-path angle {burnout_angle_deg:g} deg"
    elif shape.apogee_ratio is not None:
        shaping = f"thrust termination at {shape.apogee_ratio:g} x the minimum-energy apogee"
    else:
        shaping = f"thrust termination at apogee {apogee_km:g} km"
    return AimSolution(azimuth % 360.0, kick, np.minimum(cutoff, problem.full_s), str(shape), shaping)
