"""Fractional orbital bombardment (FOBS): boost into a low orbit, coast, deorbit, re-enter.

A FOBS (the Soviet R-36orb / 8K69, 1968-1983) puts its warhead into a low orbit the long way
round, launched away from its target (for the USSR: south, over the South Pole), and fires a
retro-rocket before one revolution is complete, so that radars facing the short (polar) route
never see it and its flight time is not that of a ballistic missile. This module flies it with
the flight kernel's own ``fly_one``, unchanged:

1. boost and coast: thrust cut off when the osculating orbit's perigee reaches the stated
   altitude, on the gravity-turn kick angle that needs the earliest cut-off for it (least
   propellant: the most nearly circular orbit), the kernel stopped at the deorbit time ``t_d``;
2. deorbit: an impulse of ``deorbit_delta_v_m_s`` against the inertial velocity at ``t_d``
   (:func:`deorbit_impulse`; :func:`state_at` reads a state between recorded samples by the
   kernel's own cubic Hermite rule);
3. re-entry: the same kernel from the post-impulse state, started at ``t0 = t_d`` in the launch's
   ECI frame (flight row ``F_T0``), so that times stay seconds after launch and the kernel's
   Earth rotation angle ``omega t`` stays that of the launch; the re-entry vehicle flies alone.

The impulse stands for a burn of tens of seconds (``deorbit_burn_time_s``; 30 s assumed for the
R-36orb). It is adequate because the burn lasts about half a per cent of the period (30 s of
5,300 s), during which the direction of flight turns by about 2 deg: centred on the impulse
time, a burn along the velocity gives the same orbit to second order in (burn time / period),
and the aiming below absorbs the residual by moving the deorbit time (the landing point, not the
deorbit instant, is what is solved for).

Aiming (:func:`aim_fobs`, :func:`fly_fobs`): the controls (launch azimuth, kick, cut-off,
deorbit time) are solved in the compiled kernel, every route on its own, on the CPU or the GPU
(``engine/fobs.py``): the launch azimuth starts at the aim's bearing + 180 deg (the complementary
great-circle arc, 2 pi R - d); for each azimuth the cut-off is a root of the perigee and the
deorbit time a root of the along-track error (on a fixed orbit the landing point moves
monotonically along the track with the deorbit time), and the azimuth is a root of the
cross-track error (Earth rotation and J2 bend the track), each bracketed. A route that cannot be
flown gets its reason with the number that decided it (the perigee the missile cannot reach and
the burnout speed it lacks, the perigee the deorbit impulse leaves).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from . import earth as earth_mod
from . import engine
from .engine import fobs as F
from .engine import pack as P
from .errors import InputError
from .flight import DEFAULT_ATMOSPHERE, Flights, Integrator, atmosphere_name, kernel_arguments, launch_rows, run_rows
from .vehicles import Missile

TRAJECTORY = "fractional-orbit"
MINIMUM_AIM_M = 1_000.0  # the nearest aim point a fractional orbit is aimed at


# --- closed-form two-body relations (the reference for the tests and the first guesses) --------

def kepler_orbit(position_eci_m, velocity_eci_m_s, gm_m3_s2: float) -> dict[str, np.ndarray]:
    """Osculating Keplerian orbit of inertial states (..., 3): semi-major axis, eccentricity,
    perigee and apogee radii (m), period (s), inclination (deg) and the unit vector to perigee."""
    r = np.asarray(position_eci_m, float)
    v = np.asarray(velocity_eci_m_s, float)
    rn = np.linalg.norm(r, axis=-1)
    h = np.cross(r, v)
    hn = np.linalg.norm(h, axis=-1)
    energy = 0.5 * np.sum(v * v, axis=-1) - gm_m3_s2 / rn
    a = -gm_m3_s2 / (2.0 * energy)
    e_vec = np.cross(v, h) / gm_m3_s2 - r / rn[..., None]
    e = np.linalg.norm(e_vec, axis=-1)
    p = hn * hn / gm_m3_s2
    perigee = p / (1.0 + e)
    apogee = np.where(e < 1.0, p / np.maximum(1.0 - e, 1e-12), np.inf)
    period = np.where(a > 0.0, 2.0 * np.pi * np.sqrt(np.abs(a) ** 3 / gm_m3_s2), np.inf)
    inclination = np.degrees(np.arccos(np.clip(h[..., 2] / hn, -1.0, 1.0)))
    direction = np.where(e[..., None] > 1e-9, e_vec / np.maximum(e, 1e-300)[..., None], r / rn[..., None])
    return {"semi_major_axis_m": a, "eccentricity": e, "perigee_radius_m": perigee, "apogee_radius_m": apogee,
            "period_s": period, "inclination_deg": inclination, "perigee_direction": direction}


def ellipsoid_radius_m(direction, model: earth_mod.EarthModel) -> np.ndarray:
    """Geocentric radius (m) of the model's ellipsoid along unit vectors (..., 3)."""
    d = np.asarray(direction, float)
    a, b = model.equatorial_radius_m, model.polar_radius_m
    sin2 = d[..., 2] ** 2 / np.sum(d * d, axis=-1)
    return a * b / np.sqrt(b * b * (1.0 - sin2) + a * a * sin2)


def orbit_altitudes_m(position_eci_m, velocity_eci_m_s, model: earth_mod.EarthModel):
    """Perigee and apogee altitudes (m) of the osculating orbit above the model's ellipsoid (radius
    at the perigee's and the apogee's geocentric latitude), period (s) and inclination (deg)."""
    orbit = kepler_orbit(position_eci_m, velocity_eci_m_s, model.gm_m3_s2)
    towards = orbit["perigee_direction"]
    perigee = orbit["perigee_radius_m"] - ellipsoid_radius_m(towards, model)
    apogee = orbit["apogee_radius_m"] - ellipsoid_radius_m(-towards, model)
    return perigee, apogee, orbit["period_s"], orbit["inclination_deg"]


def reentry_range_angle_rad(radius_m, speed_m_s, flight_path_angle_rad, surface_radius_m: float,
                            gm_m3_s2: float) -> np.ndarray:
    """Central angle (rad) flown on the two-body conic from a state to the descending crossing of
    the sphere of ``surface_radius_m``; NaN where the conic does not reach it.

    Bate, Mueller & White (1971) ch. 6: p = h^2 / mu, true anomaly f from
    r = p / (1 + e cos f), the crossing on the descending branch.
    """
    r, v, g = (np.asarray(x, float) for x in (radius_m, speed_m_s, flight_path_angle_rad))
    h = r * v * np.cos(g)
    p = h * h / gm_m3_s2
    energy = 0.5 * v * v - gm_m3_s2 / r
    e = np.sqrt(np.maximum(1.0 + 2.0 * energy * h * h / gm_m3_s2**2, 0.0))
    f0 = np.arctan2(h * v * np.sin(g) / (gm_m3_s2 * np.maximum(e, 1e-300)), (p / r - 1.0) / np.maximum(e, 1e-300))
    cos_f1 = (p / surface_radius_m - 1.0) / np.maximum(e, 1e-300)
    f1 = 2.0 * np.pi - np.arccos(np.clip(cos_f1, -1.0, 1.0))
    return np.where(np.abs(cos_f1) <= 1.0, (f1 - f0) % (2.0 * np.pi), np.nan)


# --- the three legs ---------------------------------------------------------------------------

def state_at(history: np.ndarray, counts: np.ndarray, time_s: np.ndarray) -> np.ndarray:
    """ECI states (flight, 6) at given times from recorded histories, by cubic Hermite
    interpolation between the two samples around each time (positions with their velocities:
    the kernel's own dense-output rule)."""
    n = history.shape[0]
    out = np.empty((n, 6))
    for i in range(n):
        t = history[i, :int(counts[i]), P.H_T]
        k = int(np.clip(np.searchsorted(t, time_s[i], side="right") - 1, 0, len(t) - 2))
        dt = t[k + 1] - t[k]
        s = (time_s[i] - t[k]) / dt
        a, b = history[i, k, 1:], history[i, k + 1, 1:]
        h00, h10, h01, h11 = 2 * s**3 - 3 * s**2 + 1, (s**3 - 2 * s**2 + s) * dt, -2 * s**3 + 3 * s**2, (s**3 - s**2) * dt
        d00, d10, d01, d11 = (6 * s**2 - 6 * s) / dt, 3 * s**2 - 4 * s + 1, (-6 * s**2 + 6 * s) / dt, 3 * s**2 - 2 * s
        out[i, :3] = h00 * a[:3] + h10 * a[3:] + h01 * b[:3] + h11 * b[3:]
        out[i, 3:] = d00 * a[:3] + d10 * a[3:] + d01 * b[:3] + d11 * b[3:]
    return out


def deorbit_impulse(state_eci: np.ndarray, delta_v_m_s) -> np.ndarray:
    """States (flight, 6) after an impulse of ``delta_v_m_s`` against the inertial velocity."""
    new = np.array(state_eci, float)
    speed = np.linalg.norm(new[:, 3:], axis=1)
    new[:, 3:] *= (1.0 - np.asarray(delta_v_m_s, float) / speed)[:, None]
    return new


def fly_reentry(state_eci: np.ndarray, start_time_s, vehicle: Missile, model: earth_mod.EarthModel,
                atmosphere: str, integrator: Integrator, history: bool, device: str):
    """Fly re-entry vehicles from ECI states of the launch's frame at times ``start_time_s`` after
    launch (flight row F_T0): summaries (flight, N_OUT) and histories, times from launch."""
    n = state_eci.shape[0]
    rows = np.zeros((n, P.N_FLIGHT))
    rows[:, P.F_POSITION:P.F_POSITION + 3] = state_eci[:, :3]
    rows[:, P.F_VELOCITY:P.F_VELOCITY + 3] = state_eci[:, 3:]
    rows[:, P.F_T0] = start_time_s
    return run_rows(rows, [vehicle.reentry_only()], model, atmosphere, integrator, history, device)


def stitch(boost: Flights, deorbit_time_s: np.ndarray, reentry_summary: np.ndarray,
           reentry_history: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One summary and history per flight from the boost-and-coast run (up to the deorbit time) and
    the re-entry run (from it): burnout from the first, impact and end from the second, apogee the
    higher of the two, history samples of the first before t_d then those of the second."""
    n = len(boost)
    summary = np.array(reentry_summary)
    summary[:, P.O_BURNOUT_T] = boost.summary[:, P.O_BURNOUT_T]
    summary[:, P.O_BURNOUT_STATE:P.O_BURNOUT_STATE + 6] = boost.summary[:, P.O_BURNOUT_STATE:P.O_BURNOUT_STATE + 6]
    higher = boost.summary[:, P.O_APOGEE_ALTITUDE] >= reentry_summary[:, P.O_APOGEE_ALTITUDE]
    for column in (P.O_APOGEE_ALTITUDE, P.O_APOGEE_T):
        summary[:, column] = np.where(higher, boost.summary[:, column], reentry_summary[:, column])
    summary[:, P.O_STEPS] = boost.summary[:, P.O_STEPS] + reentry_summary[:, P.O_STEPS]
    if boost.history.shape[1] == 0 or reentry_history.shape[1] == 0:
        summary[:, P.O_HISTORY_COUNT] = 0
        return summary, np.zeros((n, 0, P.N_HISTORY))
    parts = []
    for i in range(n):
        first = boost.history[i, :int(boost.summary[i, P.O_HISTORY_COUNT])]
        first = first[first[:, P.H_T] < deorbit_time_s[i] - 1e-6]
        parts.append(np.concatenate([first, reentry_history[i, :int(reentry_summary[i, P.O_HISTORY_COUNT])]]))
    history = np.zeros((n, max(len(p) for p in parts), P.N_HISTORY))
    for i, part in enumerate(parts):
        history[i, :len(part)] = part
        summary[i, P.O_HISTORY_COUNT] = len(part)
    return summary, history


# --- result -----------------------------------------------------------------------------------

@dataclass(frozen=True, repr=False)
class FractionalOrbitFlights(Flights):
    """:class:`~shieldcheck.flight.Flights` of FOBS flights, with their orbit and deorbit.

    The history is the stitched whole flight (boost, coast, re-entry; seconds after launch, the
    launch's ECI frame), so engagement and sensor code read it as any other flight. Added per
    flight: the insertion orbit (osculating at burnout: perigee and apogee altitude above the
    ellipsoid, Keplerian period, inclination), the deorbit time and impulse, the coast from
    insertion to deorbit as a fraction of the period, and the fraction of a revolution flown
    from launch to impact (inertial angle swept about the Earth's centre / 360 deg).
    """

    deorbit_time_s: np.ndarray | None = None
    deorbit_delta_v_m_s: np.ndarray | None = None
    perigee_altitude_m: np.ndarray | None = None
    apogee_altitude_m: np.ndarray | None = None
    period_s: np.ndarray | None = None
    inclination_deg: np.ndarray | None = None
    coast_revolution_fraction: np.ndarray | None = None
    revolution_fraction: np.ndarray | None = None

    def __getitem__(self, index) -> FractionalOrbitFlights:
        picked = Flights.__getitem__(self, index)
        index = np.atleast_1d(np.arange(len(self))[index])
        extra = {name: getattr(self, name)[index] for name in
                 ("deorbit_time_s", "deorbit_delta_v_m_s", "perigee_altitude_m", "apogee_altitude_m", "period_s",
                  "inclination_deg", "coast_revolution_fraction", "revolution_fraction")}
        return FractionalOrbitFlights(**{f: getattr(picked, f) for f in Flights.__dataclass_fields__}, **extra)

    def approach_azimuth_deg(self) -> np.ndarray:
        """Azimuth (deg from north) of the Earth-relative velocity at impact: the final approach."""
        impact = self.summary[:, P.O_IMPACT_ECEF:P.O_IMPACT_ECEF + 3]
        velocity = self.summary[:, P.O_IMPACT_VELOCITY_ECEF:P.O_IMPACT_VELOCITY_ECEF + 3]
        lat, lon, _ = earth_mod.geodetic_from_ecef(impact, self.earth)
        _, east, north = earth_mod.local_frame(lat, lon)
        return np.degrees(np.arctan2(np.sum(velocity * east, axis=-1), np.sum(velocity * north, axis=-1))) % 360.0

    def __repr__(self) -> str:
        if len(self) == 0:
            return "<FractionalOrbitFlights 0>"
        return (f"<FractionalOrbitFlights {len(self):,} × {self.missile_names[0]}, orbit "
                f"{self.perigee_altitude_m.min() / 1e3:,.0f}-{self.apogee_altitude_m.max() / 1e3:,.0f} km, "
                f"deorbit at {self.deorbit_time_s.min():,.0f}-{self.deorbit_time_s.max():,.0f} s, "
                f"{self.revolution_fraction.min():.2f}-{self.revolution_fraction.max():.2f} of a revolution, "
                f"{int(self.landed.sum()):,} landed, earth={self.earth.name}, atmosphere={self.atmosphere}>")


ASSUMPTIONS = (
    "insertion: gravity turn on the kick angle that reaches the stated perigee altitude with the earliest thrust "
    "cut-off (least propellant, the most nearly circular orbit), cut off when the osculating perigee reaches it",
    "launched the long way round: azimuth solved from the aim's bearing + 180 deg (the complementary great-circle "
    "arc), corrected for Earth rotation and J2 by a bracketed root of the cross-track miss",
    "deorbit: an impulse against the inertial velocity at the solved deorbit time, standing for a burn of tens of "
    "seconds (second-order difference in burn time / period; the solved deorbit time absorbs it)",
    "coast flown with the re-entry vehicle's mass and drag (orbital stage not modelled separately; on the R-36orb's "
    "145 x 221 km orbit drag changes the speed by 0.1 m/s and the position by 0.6 km over a revolution)",
    "orbit figures: osculating Keplerian elements at burnout (point-mass GM); J2 makes the flown altitudes "
    "differ from them by a few km",
    "re-entry: the re-entry vehicle alone from the deorbit state, the same kernel (drag, 1976 atmosphere)",
)



# --- aiming: the controls solved in the compiled kernel (engine/fobs.py) ----------------------

@dataclass(frozen=True)
class FractionalOrbitAims:
    """The FOBS aiming kernel's answer for a batch of routes (:func:`aim_fobs`).

    Per route: the controls (launch azimuth, kick, thrust cut-off, deorbit time) and the miss of those
    that land within the tolerance; for the others the reason, with the number that decided it
    (``reasons``, empty where landed), and the controls of the flight that decided it (the best kick's
    full burn where the orbit cannot be reached). ``status`` holds the kernel's codes
    (``engine.fobs.FOBS_*``).
    """

    missile_name: str
    status: np.ndarray
    azimuth_deg: np.ndarray
    kick_deg: np.ndarray
    cutoff_s: np.ndarray
    deorbit_time_s: np.ndarray
    miss_m: np.ndarray
    flights_flown_count: np.ndarray
    distance_m: np.ndarray  # geodesic distance from launch to aim, the short way
    bearing_deg: np.ndarray  # geodesic bearing of the aim from the launch point
    perigee_m: np.ndarray  # insertion perigee altitude flown (landed), m
    highest_perigee_m: np.ndarray  # orbit not reached: the highest perigee altitude at full burn over the kicks
    speed_short_m_s: np.ndarray  # ... the inertial speed that best full burn lacks (NaN: its burnout is too low)
    burnout_altitude_m: np.ndarray  # ... the altitude of that burnout
    deorbit_perigee_m: np.ndarray  # not brought down: the perigee altitude left after the impulse
    shortfall_m: np.ndarray  # the latest deorbit of the coast lands this far short along the track
    track_miss_m: np.ndarray  # no azimuth brings the first revolution's track onto the aim: the nearest it comes
    reasons: tuple[str, ...]

    @property
    def landed(self) -> np.ndarray:
        return self.status == F.FOBS_LANDED

    def __len__(self) -> int:
        return len(self.status)

    def __repr__(self) -> str:
        return (f"<FractionalOrbitAims {len(self):,} × {self.missile_name}, {int(self.landed.sum()):,} landed, "
                f"{len(self) - int(self.landed.sum()):,} refused>")


def _sites(cat, value):
    values = value if isinstance(value, (list, tuple)) else [value]
    return [cat.site(v) if isinstance(v, str) else v for v in values]


def _checked_routes(missile, launch, aim, perigee_km):
    """The vehicle, the broadcast launch and aim points (lat, lon, height, aim lat, aim lon; deg, m), the
    insertion perigee (m) and the sources of the names given, checked at the edge."""
    from . import catalog

    cat = catalog.load()
    vehicle = cat.missile(missile) if isinstance(missile, str) else missile
    if vehicle.orbital is None:
        raise InputError(f"missile {vehicle.name!r} has no orbital stage (no [missile.deorbit] in the catalog): "
                         "it cannot fly a fractional orbit; use shieldcheck.aiming.fly")
    perigee_m = vehicle.orbital.perigee_altitude_m if perigee_km is None else perigee_km * 1e3
    if not (math.isfinite(perigee_m) and 100e3 <= perigee_m <= 2_000e3):
        raise InputError(f"perigee_km = {perigee_km!r} is outside 100 to 2,000")
    launches, aims = _sites(cat, launch), _sites(cat, aim)
    sources = list(vehicle.sources)
    for value in (launch, aim):
        for v in value if isinstance(value, (list, tuple)) else [value]:
            if isinstance(v, str):
                sources += cat.site_sources(v)
    arrays = np.broadcast_arrays(*(np.array([getattr(s, k) for s in group], float) for group, k in
                                   ((launches, "latitude_deg"), (launches, "longitude_deg"), (launches, "height_m"),
                                    (aims, "latitude_deg"), (aims, "longitude_deg"))))
    lat, lon, height, aim_lat, aim_lon = (np.array(a) for a in arrays)
    return vehicle, lat, lon, height, aim_lat, aim_lon, perigee_m, tuple(dict.fromkeys(sources))


def _fobs_arguments(vehicle: Missile, lat, lon, height, azimuth_deg, aim_lat, aim_lon, model, atmosphere: str,
                    integrator: Integrator, perigee_m: float, tolerance_m: float, task: int = F.TASK_AIM,
                    history_until_s: float | None = None) -> list:
    """The FOBS kernels' arguments (``engine.fobs``, all but the solutions): the launch rows, the vehicle and its
    re-entry vehicle packed, each route's scratch row (its own settings first), the route rows, and the rows the
    re-entry leg is flown in. With ``history_until_s``, histories are kept: of the boost and coast up to that time
    (s after launch), and of the re-entry for the integrator's ``max_flight_time_s``."""
    n = len(lat)
    rows = launch_rows(np.zeros(n, np.int64), lat, lon, height, azimuth_deg, np.zeros(n),
                       np.full(n, vehicle.burn_time_s), model)
    keep = history_until_s is not None
    boost = dataclasses.replace(integrator, max_flight_time_s=float(history_until_s)) if keep else integrator
    arguments = list(kernel_arguments(rows, [vehicle, vehicle.reentry_only()], model, atmosphere, boost, keep))
    settings = arguments[3]
    scratch = np.zeros((n, F.N_SCRATCH))
    scratch[:, :P.N_SETTINGS] = settings
    arguments[3] = scratch
    routes = np.zeros((n, F.N_ROUTE))
    routes[:, F.R_LAUNCH:F.R_LAUNCH + 3] = rows[:, P.F_POSITION:P.F_POSITION + 3]
    _, east, north = earth_mod.local_frame(np.radians(lat), np.radians(lon))
    routes[:, F.R_NORTH:F.R_NORTH + 3] = north
    routes[:, F.R_EAST:F.R_EAST + 3] = east
    routes[:, F.R_AIM:F.R_AIM + 3] = earth_mod.ecef_from_geodetic(np.radians(aim_lat), np.radians(aim_lon),
                                                                 np.zeros(n), model)
    routes[:, F.R_AZIMUTH] = np.radians(azimuth_deg)
    routes[:, F.R_PERIGEE] = perigee_m
    routes[:, F.R_DELTA_V] = vehicle.orbital.deorbit_delta_v_m_s
    routes[:, F.R_REENTRY_VEHICLE] = 1  # the second vehicle row
    routes[:, F.R_EARLIEST_CUTOFF] = vehicle.stage_times_s()[-1][0] + 1.0  # one second into the last stage
    routes[:, F.R_TOLERANCE] = tolerance_m
    routes[:, F.R_REENTRY_TIME] = integrator.max_flight_time_s
    routes[:, F.R_TASK] = task
    samples = int(math.ceil(integrator.max_flight_time_s / integrator.history_spacing_s)) + 2 if keep else 0
    return arguments + [routes, np.zeros((n, P.N_FLIGHT)), np.zeros((n, P.N_OUT)),
                        np.zeros((n, samples, P.N_HISTORY))]


def _reason(vehicle: Missile, status: int, row, lat, lon, aim_lat, aim_lon, perigee_m, tolerance_m) -> str:
    """Why a route was refused, with the number that decided it."""
    name = vehicle.name
    if status == F.FOBS_NO_ORBIT:
        text = (f"{name} cannot reach an orbit with a perigee of {perigee_m / 1e3:,.0f} km from ({lat:.2f}, {lon:.2f}) "
                f"on azimuth {math.degrees(row[F.SOL_AZIMUTH]) % 360.0:.1f} deg: its highest perigee there is "
                f"{row[F.SOL_LIMIT] / 1e3:,.0f} km (full burn, kick angle {math.degrees(row[F.SOL_KICK]):.2f} deg)")
        if math.isfinite(row[F.SOL_SPEED_SHORT]):
            return text + f"; its burnout speed is {row[F.SOL_SPEED_SHORT]:,.0f} m/s short of that orbit"
        if math.isfinite(row[F.SOL_BURNOUT_ALTITUDE]):
            return text + (f"; its burnout at {row[F.SOL_BURNOUT_ALTITUDE] / 1e3:,.0f} km is below that perigee, "
                           "which no burnout speed there reaches")
        return text + "; it falls back before its thrust ends"
    if status == F.FOBS_NO_DEORBIT:
        return (f"the deorbit impulse of {vehicle.orbital.deorbit_delta_v_m_s:g} m/s cannot bring {name} down from its "
                f"orbit: deorbited at {row[F.SOL_DEORBIT]:,.0f} s, its perigee is still {row[F.SOL_LIMIT] / 1e3:,.0f} km "
                "above the ground")
    if status == F.FOBS_TRACK_MISSES:
        return (f"no launch azimuth brings the track of {name}'s first revolution onto the aim ({aim_lat:.2f}, "
                f"{aim_lon:.2f}): the nearest it comes is {row[F.SOL_LIMIT] / 1e3:,.1f} km, on azimuth "
                f"{math.degrees(row[F.SOL_AZIMUTH]) % 360.0:.1f} deg (the compass scanned in "
                f"{360.0 / F.SCAN_AZIMUTHS:g} deg steps)")
    if status == F.FOBS_BEYOND:
        return (f"no deorbit time lands {name} on the aim ({aim_lat:.2f}, {aim_lon:.2f}) within the coast of "
                f"{F.COAST_REVOLUTIONS:g} revolutions: the latest, at {row[F.SOL_DEORBIT]:,.0f} s, lands "
                f"{row[F.SOL_LIMIT] / 1e3:,.1f} km short along the track")
    return (f"no fractional orbit of {name} lands within {tolerance_m:g} m of ({aim_lat:.2f}, {aim_lon:.2f}): "
            f"closest {row[F.SOL_MISS]:,.0f} m")


def too_near_reason(distance_m: float) -> str:
    """Why an aim this near its launch point (m) gets no fractional orbit."""
    return (f"aim point is {distance_m:.0f} m from the launch point: a fractional orbit needs an aim point at least "
            f"{MINIMUM_AIM_M / 1e3:g} km away")


def _solve(vehicle, lat, lon, height, aim_lat, aim_lon, perigee_m, earth, atmosphere, integrator, tolerance_m, device):
    """The solutions (route, N_SOLUTION) of the FOBS aiming kernel, the geodesic distance (m) and bearing (deg)."""
    if not (isinstance(tolerance_m, (int, float)) and not isinstance(tolerance_m, bool) and math.isfinite(tolerance_m)
            and 1.0 <= tolerance_m <= 100_000.0):
        raise InputError(f"tolerance_m = {tolerance_m!r} is outside 1 to 100,000 m")
    atmosphere_name(atmosphere)
    model = earth_mod.earth_model(earth)
    distance_m, bearing_deg = earth_mod.geodesic_inverse(lat, lon, aim_lat, aim_lon, model)
    distance_m, bearing_deg = np.atleast_1d(distance_m).astype(float), np.atleast_1d(bearing_deg).astype(float)
    if np.any(distance_m < MINIMUM_AIM_M):
        raise InputError(too_near_reason(distance_m[int(np.argmax(distance_m < MINIMUM_AIM_M))]))
    azimuth_deg = (bearing_deg + 180.0) % 360.0  # the long way round
    arguments = _fobs_arguments(vehicle, lat, lon, height, azimuth_deg, aim_lat, aim_lon, model, atmosphere,
                                integrator, perigee_m, tolerance_m)
    result = np.full((len(lat), F.N_SOLUTION), np.nan)
    if len(lat):
        engine.batch("fobs_aim_batch", device)(*arguments, result)
    return result, distance_m, bearing_deg


def _aims(vehicle, result, distance_m, bearing_deg, lat, lon, aim_lat, aim_lon, perigee_m,
          tolerance_m) -> FractionalOrbitAims:
    status = result[:, F.SOL_STATUS].astype(int)
    landed = status == F.FOBS_LANDED

    def where(code, column):
        return np.where(status == code, result[:, column], np.nan)

    reasons = tuple("" if landed[i] else _reason(vehicle, int(status[i]), result[i], lat[i], lon[i], aim_lat[i],
                                                 aim_lon[i], perigee_m, tolerance_m) for i in range(len(status)))
    return FractionalOrbitAims(
        vehicle.name, status, np.degrees(result[:, F.SOL_AZIMUTH]) % 360.0, np.degrees(result[:, F.SOL_KICK]),
        result[:, F.SOL_CUTOFF], result[:, F.SOL_DEORBIT], result[:, F.SOL_MISS],
        np.nan_to_num(result[:, F.SOL_FLIGHTS]).astype(int), distance_m, bearing_deg,
        np.where(landed, result[:, F.SOL_PERIGEE], np.nan), where(F.FOBS_NO_ORBIT, F.SOL_LIMIT),
        where(F.FOBS_NO_ORBIT, F.SOL_SPEED_SHORT), where(F.FOBS_NO_ORBIT, F.SOL_BURNOUT_ALTITUDE),
        where(F.FOBS_NO_DEORBIT, F.SOL_LIMIT), where(F.FOBS_BEYOND, F.SOL_LIMIT), where(F.FOBS_TRACK_MISSES, F.SOL_LIMIT),
        reasons)


def aim_fobs(missile, launch, aim, *, perigee_km: float | None = None, earth: str = earth_mod.DEFAULT_EARTH,
             atmosphere: str = DEFAULT_ATMOSPHERE, integrator: Integrator = Integrator(), tolerance_m: float = 100.0,
             device: str = "cpu") -> FractionalOrbitAims:
    """Solve the controls of a fractional-orbit (FOBS) missile aimed the long way round at aim points, without
    flying the answers and without raising for the routes that cannot be flown.

    Every route is solved on its own in the compiled kernel (``engine/fobs.py``), all routes of the batch at
    once, on the CPU or the GPU. Arguments as :func:`fly_fobs`.

    Returns :class:`FractionalOrbitAims`: the controls of the routes that land within ``tolerance_m``, the
    reason of each that does not. Raises :class:`~shieldcheck.errors.InputError` for bad input only (a
    missile without an orbital stage, a perigee outside 100 to 2,000 km, an aim within 1 km of its launch
    point, unknown names or models).
    """
    vehicle, lat, lon, height, aim_lat, aim_lon, perigee_m, _ = _checked_routes(missile, launch, aim, perigee_km)
    result, distance_m, bearing_deg = _solve(vehicle, lat, lon, height, aim_lat, aim_lon, perigee_m, earth, atmosphere,
                                             integrator, tolerance_m, device)
    return _aims(vehicle, result, distance_m, bearing_deg, lat, lon, aim_lat, aim_lon, perigee_m, tolerance_m)


def insertion_steering(missile, launch, azimuth_deg, *, perigee_km: float | None = None,
                       earth: str = earth_mod.DEFAULT_EARTH, atmosphere: str = DEFAULT_ATMOSPHERE,
                       integrator: Integrator = Integrator(), device: str = "cpu") -> tuple[np.ndarray, np.ndarray]:
    """Kick angle (deg) and thrust cut-off (s) of a FOBS missile's insertion on given launch azimuths: of the
    gravity-turn kicks whose orbit reaches the perigee, the one that needs the earliest cut-off, cut off when
    the osculating perigee reaches it (solved in the compiled kernel, as :func:`aim_fobs` solves it for an aim).

    ``launch`` as in :func:`fly_fobs`, broadcast against ``azimuth_deg``. Raises
    :class:`~shieldcheck.errors.InputError` where the orbit cannot be reached, with the reason.
    """
    vehicle, lat, lon, height, _, _, perigee_m, _ = _checked_routes(missile, launch, launch, perigee_km)
    atmosphere_name(atmosphere)
    azimuth = np.asarray(azimuth_deg, float)
    lat, lon, height, azimuth = (np.array(a) for a in np.broadcast_arrays(lat, lon, height, np.atleast_1d(azimuth)))
    model = earth_mod.earth_model(earth)
    arguments = _fobs_arguments(vehicle, lat, lon, height, azimuth, lat, lon, model, atmosphere, integrator,
                                perigee_m, 100.0, F.TASK_INSERTION)
    result = np.full((len(lat), F.N_SOLUTION), np.nan)
    engine.batch("fobs_aim_batch", device)(*arguments, result)
    refused = result[:, F.SOL_STATUS] != F.FOBS_INSERTION
    if np.any(refused):
        i = int(np.argmax(refused))
        raise InputError(_reason(vehicle, int(result[i, F.SOL_STATUS]), result[i], lat[i], lon[i], lat[i], lon[i],
                                 perigee_m, 100.0))
    return np.degrees(result[:, F.SOL_KICK]), result[:, F.SOL_CUTOFF]


def fly_fobs(missile, launch, aim, *, perigee_km: float | None = None, earth: str = earth_mod.DEFAULT_EARTH,
             atmosphere: str = DEFAULT_ATMOSPHERE, integrator: Integrator = Integrator(), history: bool = True,
             tolerance_m: float = 100.0, device: str = "cpu") -> FractionalOrbitFlights:
    """Aim a fractional-orbit (FOBS) missile the long way round at aim points and fly the solution.

    Parameters
    ----------
    missile: a catalog name (``"R-36orb"``) or a :class:`~shieldcheck.vehicles.Missile` with an
        ``orbital`` record.
    launch, aim: catalog site names, ``"LAT,LON"`` strings, :class:`~shieldcheck.earth.Site` s,
        or sequences of them (broadcast: one flight per pair).

    Other options (keyword-only): ``perigee_km`` (insertion perigee altitude; default the
    missile's), ``earth``, ``atmosphere``, ``integrator`` (its ``max_flight_time_s`` bounds the
    re-entry leg), ``history`` (default on: the stitched whole flight), ``tolerance_m``, ``device``.

    The controls are solved in the compiled kernel (:func:`aim_fobs`), each route on its own, and the
    solutions flown by the same kernel: the miss flown is the miss solved.

    Returns :class:`FractionalOrbitFlights` (a :class:`~shieldcheck.flight.Flights`) with the aim
    points, the orbit, the deorbit time and the fraction of a revolution flown. Raises
    :class:`~shieldcheck.errors.InputError` for a missile without an orbital stage, a perigee it
    cannot reach, aims too close to the launch point, or no solution within ``tolerance_m``.
    """
    vehicle, lat, lon, height, aim_lat, aim_lon, perigee_m, sources = _checked_routes(missile, launch, aim, perigee_km)
    result, distance_m, bearing_deg = _solve(vehicle, lat, lon, height, aim_lat, aim_lon, perigee_m, earth, atmosphere,
                                             integrator, tolerance_m, device)
    refused = result[:, F.SOL_STATUS] != F.FOBS_LANDED
    if np.any(refused):
        i = int(np.argmax(refused))
        raise InputError(_reason(vehicle, int(result[i, F.SOL_STATUS]), result[i], lat[i], lon[i], aim_lat[i],
                                 aim_lon[i], perigee_m, tolerance_m))
    return _final(vehicle, lat, lon, height, aim_lat, aim_lon, perigee_m, earth, atmosphere, integrator, tolerance_m,
                  result, history, sources, device)


def fly_fobs_each(missile, launch, aim, *, perigee_km: float | None = None, earth: str = earth_mod.DEFAULT_EARTH,
                  atmosphere: str = DEFAULT_ATMOSPHERE, integrator: Integrator = Integrator(), history: bool = True,
                  tolerance_m: float = 100.0,
                  device: str = "cpu") -> tuple[FractionalOrbitFlights | None, list[int], tuple[str, ...]]:
    """Aim and fly a fractional-orbit missile's routes as :func:`fly_fobs` does, all in one kernel call, without
    letting one route that cannot be flown sink the others.

    Every route is solved on its own in the kernel, so each gets the controls (or the reason) that
    :func:`fly_fobs` gives it alone. Returns the flights of the routes that land (one batch, in route order;
    None where none does), their indices, and each route's reason ('' where it landed). Raises
    :class:`~shieldcheck.errors.InputError` for bad input only (as :func:`fly_fobs`; an aim within 1 km of its
    launch point is that route's reason).
    """
    vehicle, lat, lon, height, aim_lat, aim_lon, perigee_m, sources = _checked_routes(missile, launch, aim, perigee_km)
    n = len(lat)
    distance_m = np.atleast_1d(earth_mod.geodesic_inverse(lat, lon, aim_lat, aim_lon, earth_mod.earth_model(earth))[0])
    near = distance_m < MINIMUM_AIM_M
    todo = np.flatnonzero(~near)
    result, _, bearing_deg = _solve(vehicle, lat[todo], lon[todo], height[todo], aim_lat[todo], aim_lon[todo],
                                    perigee_m, earth, atmosphere, integrator, tolerance_m, device)
    aims = _aims(vehicle, result, distance_m[todo], bearing_deg, lat[todo], lon[todo], aim_lat[todo], aim_lon[todo],
                 perigee_m, tolerance_m)
    reasons = [too_near_reason(d) if near[k] else "" for k, d in enumerate(distance_m)]
    for k, i in enumerate(todo):
        reasons[i] = aims.reasons[k]
    ok = [int(i) for i in todo[aims.landed]]
    if not ok:
        return None, ok, tuple(reasons)
    flown = _final(vehicle, lat[ok], lon[ok], height[ok], aim_lat[ok], aim_lon[ok], perigee_m, earth, atmosphere,
                   integrator, tolerance_m, result[aims.landed], history, sources, device)
    return flown, ok, tuple(reasons)


def _angle_about(normal, start, end) -> np.ndarray:
    """Angle (rad, 0 to 2 pi) from ECI positions ``start`` to ``end`` about the Earth's centre, in
    the sense of ``normal`` (each leg of a FOBS flight is less than one revolution)."""
    cross = np.cross(start, end)
    sine = np.linalg.norm(cross, axis=1) * np.sign(np.sum(cross * normal, axis=1))
    return np.arctan2(sine, np.sum(start * end, axis=1)) % (2.0 * np.pi)


def _final(vehicle: Missile, lat, lon, height, aim_lat, aim_lon, perigee_m, earth, atmosphere, integrator, tolerance_m,
           result, history: bool, sources, device: str) -> FractionalOrbitFlights:
    """Fly the solutions in the kernel (``engine.fobs``: the boost and coast stopped at each deorbit time, the
    impulse, the re-entry), exactly the flights the solver measured; stitched into one flight each."""
    n = len(lat)
    model = earth_mod.earth_model(earth)
    azimuth_deg = np.degrees(result[:, F.SOL_AZIMUTH]) % 360.0
    kick_deg = np.degrees(result[:, F.SOL_KICK])
    cutoff_s = result[:, F.SOL_CUTOFF]
    until_s = float(np.max(result[:, F.SOL_DEORBIT])) if history else None
    arguments = _fobs_arguments(vehicle, lat, lon, height, azimuth_deg, aim_lat, aim_lon, model, atmosphere,
                                integrator, perigee_m, tolerance_m, history_until_s=until_s)
    engine.batch("fobs_fly_batch", device)(*arguments, result)
    boost_summary, boost_history = arguments[8], arguments[9]
    reentry_summary, reentry_history = arguments[12], arguments[13]
    boost_integrator = dataclasses.replace(integrator, max_flight_time_s=until_s) if history else integrator
    boost = Flights((vehicle.name,) * n, lat, lon, boost_summary, boost_history, model, atmosphere, boost_integrator,
                    "launch", (), azimuth_deg, kick_deg, cutoff_s)
    end_time_s = boost.summary[:, P.O_END_T]  # the kernel's own stop, = t_d to rounding
    state = boost.summary[:, P.O_END_STATE:P.O_END_STATE + 6]
    summary, stitched = stitch(boost, end_time_s, reentry_summary, reentry_history)
    insertion = boost.summary[:, P.O_BURNOUT_STATE:P.O_BURNOUT_STATE + 6]
    perigee, apogee, period, inclination = orbit_altitudes_m(insertion[:, :3], insertion[:, 3:], model)
    launch_eci = earth_mod.ecef_from_geodetic(np.radians(lat), np.radians(lon), height, model)
    normal = np.cross(insertion[:, :3], insertion[:, 3:])  # the orbit's angular momentum: the sense of travel
    swept = sum(_angle_about(normal, a, b) for a, b in ((launch_eci, insertion[:, :3]), (insertion[:, :3], state[:, :3]),
                                                        (state[:, :3], summary[:, P.O_END_STATE:P.O_END_STATE + 3])))
    revolutions = swept / (2.0 * np.pi)
    delta_v = vehicle.orbital.deorbit_delta_v_m_s
    notes = (f"range control: deorbit time (impulse {delta_v:g} m/s), insertion perigee {perigee_m / 1e3:g} km",
             ) + ASSUMPTIONS
    return FractionalOrbitFlights(
        (vehicle.name,) * n, lat, lon, summary, stitched, model, atmosphere, integrator, "launch", sources, azimuth_deg,
        kick_deg, np.array(cutoff_s), np.array(aim_lat), np.array(aim_lon), TRAJECTORY, notes,
        deorbit_time_s=end_time_s, deorbit_delta_v_m_s=np.full(n, delta_v),
        perigee_altitude_m=perigee, apogee_altitude_m=apogee, period_s=period, inclination_deg=inclination,
        coast_revolution_fraction=(end_time_s - boost.burnout_time_s) / period, revolution_fraction=revolutions)
