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
    trajectory with that burnout flight-path angle or apogee.

The azimuth is found by a fixed-point iteration on the impact's azimuth error (Coriolis and J2
bend the track), the kick angle by golden-section search or Illinois regula falsi, the cut-off
time by Illinois regula falsi on the downrange error; every step is a batched kernel run, and
every bracket is kept per flight, so each flight converges on its own. The solution lands within
``tolerance_m`` (default 100 m) of the aim; aim points beyond reach give an
:class:`~shieldcheck.errors.InputError` naming the missile's maximum range on that bearing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import earth as earth_mod
from .errors import InputError, did_you_mean
from .flight import DEFAULT_ATMOSPHERE, Flights, Integrator, atmosphere_name, fly_launch
from .vehicles import Missile

TRAJECTORIES = {
    "minimum-energy": "thrust termination on the kick angle that needs the earliest cut-off (least propellant)",
    "lofted": "full burn on the steep kick angle that reaches the aim",
    "depressed": "full burn on the flat kick angle that reaches the aim",
}
KICK_MIN_DEG = 0.05
KICK_MAX_DEG = 85.0
KICK_SCAN_POINTS = 18  # coarse scan of the kick angle before the golden-section search for the maximum range
GOLDEN = (np.sqrt(5.0) - 1.0) / 2.0


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
        from .engine import pack as P

        summary = flights.summary
        start = flights.summary[:, P.O_BURNOUT_STATE:P.O_BURNOUT_STATE + 3]
        normal = np.cross(start, summary[:, P.O_BURNOUT_STATE + 3:P.O_BURNOUT_STATE + 6])
        launch = earth_mod.ecef_from_geodetic(np.radians(flights.launch_latitude_deg),
                                              np.radians(flights.launch_longitude_deg), 0.0, flights.earth)
        end = summary[:, P.O_END_STATE:P.O_END_STATE + 3]
        return (reach_m > 10_000e3) & (np.sum(np.cross(launch, end) * normal, axis=1) < 0.0)


def _illinois(f, lo, hi, f_lo, f_hi, iterations: int, tolerance: float):
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

    cutoff = _illinois(f, lo, hi, np.where(ok, f_lo, -1.0), np.where(ok, f_hi, 1.0), 40, tolerance_m)
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
          apogee_km: float | None = None, earth: str = earth_mod.DEFAULT_EARTH, atmosphere: str = DEFAULT_ATMOSPHERE,
          integrator: Integrator = Integrator(), tolerance_m: float = 100.0, device: str = "cpu") -> AimSolution:
    """Steering (azimuth, kick, cut-off) that lands each flight within ``tolerance_m`` of its aim.

    Arrays broadcast against each other: one flight per (launch, aim) pair. Raises
    :class:`~shieldcheck.errors.InputError` for unknown trajectory names, conflicting options
    and aim points beyond reach (naming the maximum range on that bearing).
    """
    if trajectory not in TRAJECTORIES:
        raise InputError(f"trajectory = {trajectory!r} is not known{did_you_mean(trajectory, TRAJECTORIES)}; "
                         f"allowed: {', '.join(TRAJECTORIES)}")
    if burnout_angle_deg is not None and apogee_km is not None:
        raise InputError("give at most one of burnout_angle_deg and apogee_km")
    constrained = burnout_angle_deg is not None or apogee_km is not None
    if constrained and trajectory == "minimum-energy":
        raise InputError("burnout_angle_deg and apogee_km shape lofted or depressed trajectories; "
                         "use trajectory = 'lofted' or 'depressed' with them")
    if burnout_angle_deg is not None and not (np.isfinite(burnout_angle_deg) and 0.0 < burnout_angle_deg < 90.0):
        raise InputError(f"burnout_angle_deg = {burnout_angle_deg!r} is outside 0 to 90 (exclusive)")
    if apogee_km is not None and not (np.isfinite(apogee_km) and 10.0 <= apogee_km <= 20_000.0):
        raise InputError(f"apogee_km = {apogee_km!r} is outside 10 to 20,000")
    if not missile.stages:
        raise InputError(f"missile {missile.name!r} has no stages to aim")
    atmosphere_name(atmosphere)
    arrays = np.broadcast_arrays(*(np.atleast_1d(np.asarray(v, float)) for v in
                                   (launch_latitude_deg, launch_longitude_deg, launch_height_m,
                                    aim_latitude_deg, aim_longitude_deg)))
    for name, value, low, high in zip(("launch latitude_deg", "launch longitude_deg", "launch height_m",
                                       "aim latitude_deg", "aim longitude_deg"), arrays,
                                      (-90, -180, -500, -90, -180), (90, 360, 10_000, 90, 360)):
        bad = ~np.isfinite(value) | (value < low) | (value > high)
        if bad.any():
            raise InputError(f"{name} = {float(value[bad][0])!r} is outside {low} to {high}")
    lat, lon, height, aim_lat, aim_lon = (np.array(a) for a in arrays)
    problem = _Problem(missile, lat, lon, height, aim_lat, aim_lon, earth, atmosphere, integrator, device)
    if np.any(problem.distance_m < 1_000.0):
        i = int(np.argmax(problem.distance_m < 1_000.0))
        raise InputError(f"aim point is {problem.distance_m[i]:.0f} m from the launch point: a ballistic missile "
                         "cannot be aimed at less than 1 km")
    n = len(lat)
    azimuth = problem.bearing_deg.copy()
    kick = np.full(n, np.nan)
    cutoff = np.full(n, problem.full_s)
    full = np.full(n, problem.full_s)
    for _ in range(8):
        reach_m, best_kick = _max_range(problem, azimuth)
        if np.any(reach_m < problem.distance_m):
            raise _beyond_reach(problem, reach_m, np.argmax(reach_m < problem.distance_m))
        if trajectory == "minimum-energy":
            def cost(k):
                t, shortfall = _cutoff_for_range(problem, azimuth, k, tolerance_m / 4)
                return t + shortfall / 1_000.0  # beyond reach on this kick: penalise 1 s per km short

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
            kick = _illinois(f, lo, hi, f_lo, f_hi, 60, tolerance_m / 4)
            cutoff = full
        else:
            def shape_error(k):
                t, shortfall = _cutoff_for_range(problem, azimuth, k, tolerance_m / 4)
                flights = problem.fly(azimuth, k, t)
                if burnout_angle_deg is not None:
                    value = flights.burnout()["flight_path_angle_deg"] - burnout_angle_deg
                else:
                    value = flights.apogee_km - apogee_km
                return value, t, shortfall

            lo, hi = np.full(n, KICK_MIN_DEG), np.full(n, KICK_MAX_DEG)
            v_lo, _, s_lo = shape_error(lo)
            v_hi, _, s_hi = shape_error(hi)
            # the shape measure falls as the kick grows: steeper at small kicks
            if np.any((v_lo <= 0.0) | (v_hi >= 0.0)):
                i = int(np.argmax((v_lo <= 0.0) | (v_hi >= 0.0)))
                what = f"burnout_angle_deg = {burnout_angle_deg}" if burnout_angle_deg is not None else f"apogee_km = {apogee_km}"
                raise InputError(f"{what} cannot be flown by {missile.name} to {problem.distance_m[i] / 1e3:,.0f} km: "
                                 "no kick angle gives it")
            kick = _illinois(lambda k: -shape_error(k)[0], lo, hi, -v_lo, -v_hi, 40,
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
            f"aiming did not converge: the best {trajectory} steering found for {missile.name} misses the aim "
            f"{problem.distance_m[i] / 1e3:,.0f} km away by {miss_m[i] / 1e3:,.1f} km (tolerance {tolerance_m:g} m); "
            "try another trajectory (minimum-energy controls range by thrust cut-off) or shape it with "
            "burnout_angle_deg or apogee_km")
    shaping = ("thrust termination (least propellant)" if trajectory == "minimum-energy" else
               "full burn" if not constrained else
               f"thrust termination at {'burnout flight-path angle ' + str(burnout_angle_deg) + ' deg' if burnout_angle_deg is not None else 'apogee ' + str(apogee_km) + ' km'}")
    return AimSolution(azimuth % 360.0, kick, np.minimum(cutoff, problem.full_s), trajectory, shaping)


def fly(missile, launch, aim, *, trajectory: str = "minimum-energy", burnout_angle_deg: float | None = None,
        apogee_km: float | None = None, earth: str = earth_mod.DEFAULT_EARTH, atmosphere: str = DEFAULT_ATMOSPHERE,
        integrator: Integrator = Integrator(), history: bool = True, tolerance_m: float = 100.0,
        device: str = "cpu") -> Flights:
    """Aim a missile from launch sites at aim points and fly the solution.

    Parameters
    ----------
    missile: a catalog name (``"Shahab-3"``) or a :class:`~shieldcheck.vehicles.Missile`.
    launch, aim: catalog site names, ``"LAT,LON"`` strings, :class:`~shieldcheck.earth.Site` s,
        or sequences of them (broadcast: one flight per pair).

    Other options (keyword-only): ``trajectory`` (``minimum-energy``, ``lofted``, ``depressed``),
    ``burnout_angle_deg`` or ``apogee_km`` (shape a lofted or depressed trajectory), ``earth``,
    ``atmosphere``, ``integrator``, ``history`` (record samples; default on), ``tolerance_m``,
    ``device``.

    Returns :class:`~shieldcheck.flight.Flights` with the aim points, the miss distance and the
    stated shaping choice. Raises :class:`~shieldcheck.errors.InputError` on bad input.
    """
    from . import catalog

    cat = catalog.load()
    vehicle = cat.missile(missile) if isinstance(missile, str) else missile

    def sites(value):
        values = value if isinstance(value, (list, tuple)) else [value]
        return [cat.site(v) if isinstance(v, str) else v for v in values]

    launches, aims = sites(launch), sites(aim)
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
    solution = solve(vehicle, lat, lon, aim_lat, aim_lon, launch_height_m=height, trajectory=trajectory,
                     burnout_angle_deg=burnout_angle_deg, apogee_km=apogee_km, earth=earth, atmosphere=atmosphere,
                     integrator=integrator, tolerance_m=tolerance_m, device=device)
    launch_sites = [earth_mod.Site(s.name, a, b, h) for s, a, b, h in
                    zip(launches * (len(lat) // len(launches)), lat, lon, height)]
    flights = fly_launch(vehicle, launch_sites, solution.azimuth_deg, solution.kick_deg, solution.cutoff_s,
                         earth=earth, atmosphere=atmosphere, integrator=integrator, history=history, device=device)
    return Flights(flights.missile_names, flights.launch_latitude_deg, flights.launch_longitude_deg, flights.summary,
                   flights.history, flights.earth, flights.atmosphere, flights.integrator, flights.mode,
                   tuple(dict.fromkeys(sources)), flights.azimuth_deg, flights.kick_deg, flights.cutoff_s,
                   np.array(aim_lat, float), np.array(aim_lon, float), trajectory,
                   (f"range control: {solution.shaping}",))
