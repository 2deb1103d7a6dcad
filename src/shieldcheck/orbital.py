"""Fractional orbital bombardment (FOBS): boost into a low orbit, coast, deorbit, re-enter.

A FOBS (the Soviet R-36orb / 8K69, 1968-1983) puts its warhead into a low orbit the long way
round, launched away from its target (for the USSR: south, over the South Pole), and fires a
retro-rocket before one revolution is complete, so that radars facing the short (polar) route
never see it and its flight time is not that of a ballistic missile. This module flies it with
the existing compiled kernel, unchanged:

1. boost and coast: :func:`shieldcheck.flight.fly_launch` (history kept), thrust cut off when
   the osculating orbit's perigee reaches the stated altitude, on the gravity-turn kick angle
   that needs the earliest cut-off for it (least propellant: the most nearly circular orbit);
2. deorbit: an impulse of ``deorbit_delta_v_m_s`` against the inertial velocity at the deorbit
   time ``t_d`` (state at ``t_d`` from the kernel's own dense output, cubic Hermite between
   recorded samples; or, for the final flight, the kernel stopped at ``t_d`` by
   ``Integrator(max_flight_time_s=t_d)``);
3. re-entry: the same kernel from the post-impulse state, started at ``t0 = t_d`` in the launch's
   ECI frame (flight row ``F_T0``), so that times stay seconds after launch and the kernel's
   Earth rotation angle ``omega t`` stays that of the launch; the re-entry vehicle flies alone.

The impulse stands for a burn of tens of seconds (``deorbit_burn_time_s``; 30 s assumed for the
R-36orb). It is adequate because the burn lasts about half a per cent of the period (30 s of
5,300 s), during which the direction of flight turns by about 2 deg: centred on the impulse
time, a burn along the velocity gives the same orbit to second order in (burn time / period),
and the aiming below absorbs the residual by moving the deorbit time (the landing point, not the
deorbit instant, is what is solved for).

Aiming (:func:`fly_fobs`): the launch azimuth starts at the aim's bearing + 180 deg (the
complementary great-circle arc, 2 pi R - d); for each azimuth the deorbit time is solved by
secant / Illinois iteration on the along-track miss (on a fixed orbit the landing point moves
monotonically along the ground track with the deorbit time), then the azimuth is corrected for
the cross-track miss (Earth rotation and J2 bend the track; first a geometric step, then secant
steps), as ``aiming.py`` does; every step is one batched kernel run over all flights, and each
flight's solution is the one it gets alone.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from . import earth as earth_mod
from .engine import pack as P
from .errors import InputError
from .flight import DEFAULT_ATMOSPHERE, Flights, Integrator, atmosphere_name, fly_launch, run_rows
from .vehicles import Missile

KICK_MIN_DEG = 0.05
KICK_MAX_DEG = 85.0
TRAJECTORY = "fractional-orbit"


# --- closed-form two-body relations (the reference for the tests and the first guesses) --------

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


def _settled(f, tolerance: float):
    """``f`` for a batched root finder, and a function that, given its result, returns for each
    element the first point at which |f| fell below ``tolerance``: each element's answer is then
    the one it gets when solved alone, however long the rest of the batch iterates."""
    first = {}

    def wrapped(x):
        value = f(x)
        if "x" not in first:
            first["x"], first["hit"] = np.array(x, float), np.abs(value) < tolerance
        else:
            new = ~first["hit"] & (np.abs(value) < tolerance)
            first["x"] = np.where(new, x, first["x"])
            first["hit"] = first["hit"] | new
        return value

    def result(x):
        return np.where(first["hit"], first["x"], x) if "x" in first else x

    return wrapped, result


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
    "arc), corrected for Earth rotation and J2 by fixed-point iteration on the cross-track miss",
    "deorbit: an impulse against the inertial velocity at the solved deorbit time, standing for a burn of tens of "
    "seconds (second-order difference in burn time / period; the solved deorbit time absorbs it)",
    "coast flown with the re-entry vehicle's mass and drag (orbital stage not modelled separately; on the R-36orb's "
    "145 x 221 km orbit drag changes the speed by 0.1 m/s and the position by 0.6 km over a revolution)",
    "orbit figures: osculating Keplerian elements at burnout (point-mass GM); J2 makes the flown altitudes "
    "differ from them by a few km",
    "re-entry: the re-entry vehicle alone from the deorbit state, the same kernel (drag, 1976 atmosphere)",
)


# --- aiming -----------------------------------------------------------------------------------

class _Fobs:
    """Batched FOBS flights for one missile from launch sites to aim points."""

    def __init__(self, missile: Missile, lat, lon, height, aim_lat, aim_lon, earth, atmosphere, integrator,
                 device, perigee_m):
        self.missile = missile
        self.model = earth_mod.earth_model(earth)
        self.launch = [earth_mod.Site(f"launch {i}", a, b, h) for i, (a, b, h) in enumerate(zip(lat, lon, height))]
        self.lat, self.lon, self.aim_lat, self.aim_lon = lat, lon, aim_lat, aim_lon
        self.earth, self.atmosphere, self.integrator, self.device = earth, atmosphere, integrator, device
        self.perigee_m = perigee_m
        self.delta_v = missile.orbital.deorbit_delta_v_m_s
        self.full_s = missile.burn_time_s
        self.distance_m, self.bearing_deg = earth_mod.geodesic_inverse(lat, lon, aim_lat, aim_lon, self.model)
        self.n = len(lat)

    def _options(self, max_flight_time_s: float, history: bool):
        integrator = dataclasses.replace(self.integrator, max_flight_time_s=max_flight_time_s)
        return dict(earth=self.earth, atmosphere=self.atmosphere, integrator=integrator, history=history,
                    device=self.device)

    def insertion(self, azimuth, kick, cutoff_s, rows=None) -> Flights:
        """Boost only (to thrust end), for the orbit at insertion; ``rows`` (flight index of each
        row, default one row per flight) lets one kernel run try several steerings per flight."""
        rows = np.arange(self.n) if rows is None else rows
        return fly_launch(self.missile, [self.launch[i] for i in rows], azimuth, kick, cutoff_s,
                          **self._options(self.full_s + 1.0, False))

    def perigee_of(self, flights: Flights) -> np.ndarray:
        """Perigee altitude (m) of the insertion orbit; -1e7 for flights that fell before thrust ended."""
        state = flights.summary[:, P.O_BURNOUT_STATE:P.O_BURNOUT_STATE + 6]
        fell = (flights.status != P.STATUS_MAX_TIME) | (np.linalg.norm(state[:, :3], axis=1) < 1.0)
        state = np.where(fell[:, None], np.array([7e6, 0, 0, 0, 7e3, 0.0]), state)
        return np.where(fell, -1e7, orbit_altitudes_m(state[:, :3], state[:, 3:], self.model)[0])

    def cutoff_for_perigee(self, azimuth, kick, top, rows=None):
        """Thrust cut-off (s) at which the osculating perigee reaches the target on given kicks, where
        the full burn's perigee ``top`` exceeds it (perigee rises monotonically over the last stage's
        final seconds); the full burn elsewhere. Arrays are per row (see :meth:`insertion`)."""
        rows = np.arange(self.n) if rows is None else rows
        lo = np.full(len(rows), self.missile.stage_times_s()[-1][0] + 1.0)  # one second into the last stage

        def f(cutoff):
            return self.perigee_of(self.insertion(azimuth, kick, cutoff, rows)) - self.perigee_m

        f_lo = f(lo)
        ok = (f_lo < 0.0) & (top >= self.perigee_m)
        g, settled = _settled(f, 300.0)
        cutoff = settled(_illinois(g, lo, np.full(len(rows), self.full_s), np.where(ok, f_lo, -1.0),
                                   np.where(ok, top - self.perigee_m, 1.0), 40, 300.0))
        return np.where(ok, cutoff, np.where(f_lo >= 0.0, lo, self.full_s))

    def _grid_best(self, score, lo, hi, points: int, rounds: int):
        """Kick (deg) of the lowest ``score`` per flight: a grid of ``points`` kicks per flight in
        one batched run, refined ``rounds`` times around the best (each round spans two grid steps)."""
        n = self.n
        rows = np.repeat(np.arange(n), points)
        best = 0.5 * (lo + hi)
        for _ in range(rounds):
            grid = np.linspace(lo, hi, points).T  # (flight, point)
            values = score(grid.ravel(), rows).reshape(n, points)
            j = np.argmin(values, axis=1)
            best = grid[np.arange(n), j]
            step = (hi - lo) / (points - 1)
            lo, hi = np.maximum(best - step, KICK_MIN_DEG), np.minimum(best + step, KICK_MAX_DEG)
        return best

    def steering(self, azimuth, previous_kick=None) -> tuple[np.ndarray, np.ndarray]:
        """Kick angle (deg) and thrust cut-off (s) of the insertion: of the gravity-turn kicks whose
        orbit reaches the target perigee, the one that needs the earliest cut-off (least propellant;
        it is also the most nearly circular orbit), cut off when the osculating perigee reaches it.
        Grid searches batched over flights; with ``previous_kick`` (a solution for a nearby
        azimuth) only a window of 3 deg around it is searched."""
        n = self.n
        full_s = self.full_s

        def top(kick, rows):
            return self.perigee_of(self.insertion(azimuth[rows], kick, np.full(len(rows), full_s), rows))

        if previous_kick is None:
            best = self._grid_best(lambda k, rows: -top(k, rows), np.full(n, KICK_MIN_DEG), np.full(n, KICK_MAX_DEG),
                                   21, 4)
            window = 12.0  # deg either side of the highest-perigee kick: the kicks that reach the perigee
        else:
            best, window = previous_kick, 3.0
        highest = top(best, np.arange(n))
        if np.any(highest < self.perigee_m):
            i = int(np.argmax(highest < self.perigee_m))
            raise InputError(f"{self.missile.name} cannot reach an orbit with a perigee of {self.perigee_m / 1e3:,.0f} km "
                             f"from ({self.lat[i]:.2f}, {self.lon[i]:.2f}) on azimuth {azimuth[i] % 360:.1f} deg: its "
                             f"highest perigee there is {highest[i] / 1e3:,.0f} km")

        def cost(kick, rows):
            reach = top(kick, rows)
            shortfall_km = np.maximum(self.perigee_m - reach, 0.0) / 1e3
            return self.cutoff_for_perigee(azimuth[rows], kick, reach, rows) + shortfall_km  # 1 s per km short

        kick = self._grid_best(cost, np.maximum(best - window, KICK_MIN_DEG), np.minimum(best + window, KICK_MAX_DEG),
                               13, 4)
        reach = top(kick, np.arange(n))
        if np.any(reach < self.perigee_m):  # the least-propellant search left the reachable kicks: fall back
            kick = np.where(reach < self.perigee_m, best, kick)
            reach = top(kick, np.arange(n))
        return kick, self.cutoff_for_perigee(azimuth, kick, reach)

    def coast(self, azimuth, kick, cutoff_s, max_time_s: float) -> Flights:
        return fly_launch(self.missile, self.launch, azimuth, kick, cutoff_s, **self._options(max_time_s, True))

    def impact_errors(self, summary):
        """Along-track miss (m, + beyond the aim) and cross-track miss (m, + aim to the right of the
        track) of impacts, and their distance to the aim (m)."""
        impact = summary[:, P.O_IMPACT_ECEF:P.O_IMPACT_ECEF + 3]
        velocity = summary[:, P.O_IMPACT_VELOCITY_ECEF:P.O_IMPACT_VELOCITY_ECEF + 3]
        lat, lon, _ = earth_mod.geodetic_from_ecef(impact, self.model)
        _, east, north = earth_mod.local_frame(lat, lon)
        heading = np.degrees(np.arctan2(np.sum(velocity * east, -1), np.sum(velocity * north, -1)))
        distance, bearing = earth_mod.geodesic_inverse(np.degrees(lat), np.degrees(lon), self.aim_lat, self.aim_lon,
                                                       self.model)
        off = np.radians(bearing - heading)
        landed = summary[:, P.O_STATUS] == P.STATUS_IMPACT
        along = np.where(landed, -distance * np.cos(off), -1e7)  # not landed: treat as far short
        return along, np.where(landed, distance * np.sin(off), 0.0), distance

    def reentry(self, coast: Flights, deorbit_time_s, history: bool = False, state=None):
        if state is None:
            state = state_at(coast.history, coast.summary[:, P.O_HISTORY_COUNT], deorbit_time_s)
        after = deorbit_impulse(state, self.delta_v)
        options = self._options(self.integrator.max_flight_time_s, history)
        return fly_reentry(after, deorbit_time_s, self.missile, self.model, self.atmosphere, options["integrator"],
                           history, self.device)

    def first_guess(self, coast: Flights) -> np.ndarray:
        """Deorbit time (s) from the coast's ground track and the closed-form re-entry range angle:
        the time the track passes nearest the aim, less the re-entry's angle over the mean motion."""
        guess = np.empty(self.n)
        burnout = coast.burnout_time_s
        aim = earth_mod.ecef_from_geodetic(np.radians(self.aim_lat), np.radians(self.aim_lon), 0.0, self.model)
        for i in range(self.n):
            track = coast.trajectory_of(i)
            after = track["time_s"] > burnout[i] + 60.0
            gap = np.linalg.norm(track["position_ecef_m"][after] - aim[i], axis=1)
            t_over = track["time_s"][after][int(np.argmin(gap))]
            samples = coast.history[i, :int(coast.summary[i, P.O_HISTORY_COUNT])]
            state = samples[min(int(np.searchsorted(samples[:, 0], t_over)), len(samples) - 1), 1:]
            r = np.linalg.norm(state[:3])
            v = np.linalg.norm(state[3:]) - self.delta_v
            angle = reentry_range_angle_rad(r, v, 0.0, float(np.linalg.norm(aim[i])), self.model.gm_m3_s2)
            period = kepler_orbit(state[:3], state[3:], self.model.gm_m3_s2)["period_s"]
            angle = np.nan_to_num(angle, nan=0.05)
            guess[i] = t_over - angle / (2.0 * np.pi) * period
        return np.clip(guess, burnout + 1.0, None)

    def solve_deorbit(self, coast: Flights, tolerance_m: float) -> np.ndarray:
        """Deorbit times that put each impact on its aim along the track (secant, then Illinois)."""
        lo_limit = coast.burnout_time_s + 1.0
        hi_limit = coast.flight_time_s - 1.0
        x0 = np.clip(self.first_guess(coast), lo_limit, hi_limit)
        f0 = self.impact_errors(self.reentry(coast, x0)[0])[0]
        speed_m_s = 7_000.0  # ground speed of a low orbit, for the second point only
        x1 = np.clip(x0 - f0 / speed_m_s, lo_limit, hi_limit)
        f1 = self.impact_errors(self.reentry(coast, x1)[0])[0]
        for _ in range(12):
            if np.all(np.abs(f1) < tolerance_m):
                break
            slope = np.where(np.abs(x1 - x0) > 1e-9, (f1 - f0) / np.where(x1 != x0, x1 - x0, 1.0), speed_m_s)
            slope = np.where(slope > 100.0, slope, speed_m_s)  # the landing point moves forward with t_d
            x2 = np.clip(x1 - f1 / slope, lo_limit, hi_limit)
            x2 = np.where(np.abs(f1) < tolerance_m, x1, x2)
            x0, f0 = x1, f1
            x1 = x2
            f1 = self.impact_errors(self.reentry(coast, x1)[0])[0]
        if np.all(np.abs(f1) < tolerance_m):
            return x1
        # bracket and finish with Illinois regula falsi where the secant did not converge
        lo = np.clip(x1 - 120.0, lo_limit, hi_limit)
        hi = np.clip(x1 + 120.0, lo_limit, hi_limit)

        def f(t):
            return self.impact_errors(self.reentry(coast, t)[0])[0]

        f_lo, f_hi = f(lo), f(hi)
        ok = (f_lo < 0.0) & (f_hi >= 0.0)
        if not np.all(ok | (np.abs(f1) < tolerance_m)):
            i = int(np.argmax(~ok & (np.abs(f1) >= tolerance_m)))
            raise InputError(f"no deorbit time lands {self.missile.name} on the aim ({self.aim_lat[i]:.2f}, "
                             f"{self.aim_lon[i]:.2f}) within the coast: along-track miss {f1[i] / 1e3:,.1f} km")
        g, settled = _settled(f, tolerance_m)
        return np.where(np.abs(f1) < tolerance_m, x1,
                        settled(_illinois(g, lo, hi, np.where(ok, f_lo, -1.0), np.where(ok, f_hi, 1.0), 40, tolerance_m)))


def _sites(cat, value):
    values = value if isinstance(value, (list, tuple)) else [value]
    return [cat.site(v) if isinstance(v, str) else v for v in values]


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

    Returns :class:`FractionalOrbitFlights` (a :class:`~shieldcheck.flight.Flights`) with the aim
    points, the orbit, the deorbit time and the fraction of a revolution flown. Raises
    :class:`~shieldcheck.errors.InputError` for a missile without an orbital stage, a perigee it
    cannot reach, aims too close to the launch point, or no solution within ``tolerance_m``.
    """
    from . import catalog

    cat = catalog.load()
    vehicle = cat.missile(missile) if isinstance(missile, str) else missile
    if vehicle.orbital is None:
        raise InputError(f"missile {vehicle.name!r} has no orbital stage (no [missile.deorbit] in the catalog): "
                         "it cannot fly a fractional orbit; use shieldcheck.aiming.fly")
    atmosphere_name(atmosphere)
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
    problem = _Fobs(vehicle, lat, lon, height, aim_lat, aim_lon, earth, atmosphere, integrator, device, perigee_m)
    if np.any(problem.distance_m < 1_000.0):
        i = int(np.argmax(problem.distance_m < 1_000.0))
        raise InputError(f"aim point is {problem.distance_m[i]:.0f} m from the launch point: a fractional orbit "
                         "needs an aim point at least 1 km away")
    radius_m = math.sqrt(problem.model.equatorial_radius_m * problem.model.polar_radius_m)
    range_angle = 2.0 * np.pi - problem.distance_m / radius_m  # the long way round
    azimuth = (problem.bearing_deg + 180.0) % 360.0
    kick = cutoff = steered_azimuth = previous = None
    done = np.zeros(problem.n, bool)  # converged flights keep their steering
    for _ in range(12):
        if kick is None:
            kick, cutoff = problem.steering(azimuth)
            steered_azimuth = azimuth.copy()
        else:
            # a flight whose azimuth moved by more than 0.5 deg searches its kick again (near the last
            # one); the others keep it and re-solve only the cut-off, so that small azimuth corrections
            # are not lost in search noise (each flight's path is independent of the batch)
            moved = ~done & (np.abs((azimuth - steered_azimuth + 180.0) % 360.0 - 180.0) > 0.5)
            new_kick, new_cutoff = problem.steering(azimuth, kick) if moved.any() else (kick, cutoff)
            reach = problem.perigee_of(problem.insertion(azimuth, kick, np.full(problem.n, problem.full_s)))
            kept_cutoff = problem.cutoff_for_perigee(azimuth, kick, reach)
            kick = np.where(moved, new_kick, kick)
            cutoff = np.where(moved, new_cutoff, np.where(done, cutoff, kept_cutoff))
            steered_azimuth = np.where(moved, azimuth, steered_azimuth)
        period = orbit_altitudes_m(*np.split(problem.insertion(azimuth, kick, cutoff).summary[
            :, P.O_BURNOUT_STATE:P.O_BURNOUT_STATE + 6], 2, axis=1), problem.model)[2]
        coast = problem.coast(azimuth, kick, cutoff, float(problem.full_s + 1.1 * np.max(period)))
        deorbit_s = problem.solve_deorbit(coast, tolerance_m / 4)
        along, cross, miss = problem.impact_errors(problem.reentry(coast, deorbit_s)[0])
        done = miss < tolerance_m / 2  # margin for the final flight from the kernel's exact deorbit state
        if np.all(done):
            break
        # a clockwise turn of the launch azimuth by delta moves the track at range angle theta by
        # R sin(theta) delta to the right (Earth rotation changes this): first step from it, then
        # secant steps on each flight's own cross-track miss against its azimuth
        slope = -np.radians(1.0) * radius_m * np.sin(range_angle)  # d(cross)/d(azimuth), m per deg
        slope = np.where(np.abs(slope) < 0.2 * np.radians(1.0) * radius_m,
                         np.sign(slope - 1e-30) * 0.2 * np.radians(1.0) * radius_m, slope)
        if previous is not None:
            change = (azimuth - previous[0] + 180.0) % 360.0 - 180.0
            secant = (cross - previous[1]) / np.where(np.abs(change) > 1e-9, change, 1.0)
            slope = np.where((np.abs(change) > 1e-9) & (secant * slope > 0.0), secant, slope)
        previous = (azimuth.copy(), cross.copy())
        turn = np.clip(-cross / slope, -20.0, 20.0)
        azimuth = np.where(done, azimuth, (azimuth + turn) % 360.0)
    if np.any(miss >= tolerance_m):
        i = int(np.argmax(miss >= tolerance_m))
        raise InputError(f"no fractional orbit of {vehicle.name} lands within {tolerance_m:g} m of "
                         f"({aim_lat[i]:.2f}, {aim_lon[i]:.2f}): closest {miss[i]:,.0f} m")
    return _final(problem, azimuth, kick, cutoff, deorbit_s, history, tuple(dict.fromkeys(sources)))


def _angle_about(normal, start, end) -> np.ndarray:
    """Angle (rad, 0 to 2 pi) from ECI positions ``start`` to ``end`` about the Earth's centre, in
    the sense of ``normal`` (each leg of a FOBS flight is less than one revolution)."""
    cross = np.cross(start, end)
    sine = np.linalg.norm(cross, axis=1) * np.sign(np.sum(cross * normal, axis=1))
    return np.arctan2(sine, np.sum(start * end, axis=1)) % (2.0 * np.pi)


def _final(problem: _Fobs, azimuth, kick, cutoff, deorbit_s, history: bool, sources) -> FractionalOrbitFlights:
    """Fly the solution: the kernel stopped at each deorbit time (Integrator(max_flight_time_s=t_d)),
    the impulse, the re-entry; stitched into one flight each."""
    parts = [fly_launch(problem.missile, problem.launch[i], azimuth[i], kick[i], cutoff[i],
                        **problem._options(float(deorbit_s[i]), history)) for i in range(problem.n)]
    boost_summary = np.concatenate([p.summary for p in parts])
    width = max(p.history.shape[1] for p in parts)
    boost_history = np.zeros((problem.n, width, P.N_HISTORY))
    for i, p in enumerate(parts):
        boost_history[i, :p.history.shape[1]] = p.history[0]
    first = parts[0]
    boost = Flights((problem.missile.name,) * problem.n, problem.lat, problem.lon, boost_summary, boost_history,
                    first.earth, first.atmosphere, first.integrator, "launch", (), azimuth, kick, cutoff)
    end_time_s = boost.summary[:, P.O_END_T]  # the kernel's own stop, = t_d to rounding
    state = boost.summary[:, P.O_END_STATE:P.O_END_STATE + 6]
    reentry_summary, reentry_history = problem.reentry(boost, end_time_s, history, state)
    summary, stitched = stitch(boost, end_time_s, reentry_summary, reentry_history)
    insertion = boost.summary[:, P.O_BURNOUT_STATE:P.O_BURNOUT_STATE + 6]
    perigee, apogee, period, inclination = orbit_altitudes_m(insertion[:, :3], insertion[:, 3:], problem.model)
    heights = np.array([site.height_m for site in problem.launch])
    launch_eci = earth_mod.ecef_from_geodetic(np.radians(problem.lat), np.radians(problem.lon), heights, problem.model)
    normal = np.cross(insertion[:, :3], insertion[:, 3:])  # the orbit's angular momentum: the sense of travel
    swept = sum(_angle_about(normal, a, b) for a, b in ((launch_eci, insertion[:, :3]), (insertion[:, :3], state[:, :3]),
                                                        (state[:, :3], summary[:, P.O_END_STATE:P.O_END_STATE + 3])))
    revolutions = swept / (2.0 * np.pi)
    notes = (f"range control: deorbit time (impulse {problem.delta_v:g} m/s), insertion perigee "
             f"{problem.perigee_m / 1e3:g} km",) + ASSUMPTIONS
    return FractionalOrbitFlights(
        (problem.missile.name,) * problem.n, problem.lat, problem.lon, summary, stitched, boost.earth,
        boost.atmosphere, problem.integrator, "launch", sources, azimuth % 360.0, kick,
        np.array(cutoff), np.array(problem.aim_lat), np.array(problem.aim_lon), TRAJECTORY, notes,
        deorbit_time_s=end_time_s, deorbit_delta_v_m_s=np.full(problem.n, problem.delta_v),
        perigee_altitude_m=perigee, apogee_altitude_m=apogee, period_s=period, inclination_deg=inclination,
        coast_revolution_fraction=(end_time_s - boost.burnout_time_s) / period, revolution_fraction=revolutions)
