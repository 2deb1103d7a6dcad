"""Batched ballistic-missile flight: validate, pack, run the compiled kernel, return ``Flights``.

Three entry points, from the lowest level up:

* :func:`fly_launch`: fly missiles from launch sites with given steering (azimuth, pitch-over
  angle, thrust cut-off time);
* :func:`fly_burnout`: fly re-entry vehicles from given burnout states (the textbook setting);
* :func:`fly`: aim a missile from launch sites at aim points (``shieldcheck.aiming``) and fly
  the solution.

All of them run flights in chunks of ``chunk_size`` through the same kernel on the CPU (numba,
parallel over flights) or the GPU (numba-cuda, one flight per thread); summaries are kept for
every flight, histories only when asked, so memory is bounded by the chunk.
:func:`iter_fly_launch` yields one ``Flights`` per chunk for batches too large to hold.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields

import numpy as np

from . import earth as earth_mod
from . import engine, limits
from .engine import pack as P
from .engine import results as R
from .errors import InputError
from .vehicles import Missile

ATMOSPHERES = {
    "ussa1976": "U.S. Standard Atmosphere 1976 (NOAA-S/T 76-1562), 0-1000 km: drag and pressure-corrected Isp",
    "none": "vacuum: no drag, vacuum specific impulse",
}
DEFAULT_ATMOSPHERE = "ussa1976"
DEFAULT_CHUNK = 1 << 16


class FlightStatus(enum.IntEnum):
    """How a flight ended; each member carries a human message."""

    IMPACT = P.STATUS_IMPACT
    MAX_TIME = P.STATUS_MAX_TIME
    NO_LIFTOFF = P.STATUS_NO_LIFTOFF

    @property
    def message(self) -> str:
        return {
            FlightStatus.IMPACT: "reached the ground",
            FlightStatus.MAX_TIME: "did not reach the ground within the maximum flight time (orbital or escaping)",
            FlightStatus.NO_LIFTOFF: "first-stage thrust does not lift the missile off the ground",
        }[self]


@dataclass(frozen=True)
class Integrator:
    """Step rule of the fixed-step RK4 integrator (seconds, metres).

    Steps of ``boost_step_s`` while thrusting below ``boost_interface_altitude_m`` and
    ``boost_vacuum_step_s`` while thrusting above it (both shortened to land on every pitch-over,
    staging and cut-off event), ``air_step_s`` below ``interface_altitude_m`` when not thrusting, and up to
    ``vacuum_step_s`` above it, shortened while descending so that a step never reaches more than
    half-way to the interface (height and climb rate along the radius). With the defaults, impact
    points of Yars, Shahab-3, Sejjil-2 and R-36M2 flights lie within 11, 18, 9 and 47 m of the same
    model at 0.02 s steps
    (``validation/step_rule.py``) and within 100 m of an independent DOP853 integration (tested).
    """

    boost_step_s: float = 1.0
    air_step_s: float = 1.0
    vacuum_step_s: float = 32.0
    interface_altitude_m: float = 100_000.0
    max_flight_time_s: float = 10_800.0
    history_spacing_s: float = 5.0
    boost_vacuum_step_s: float = 4.0
    boost_interface_altitude_m: float = 40_000.0

    def __post_init__(self):
        for item in fields(self):  # each bound in limits.BOUNDS
            limits.check(item.name, getattr(self, item.name), f"integrator: {item.name}")


def checked_integrator(integrator) -> Integrator:
    """``integrator`` if it is an :class:`Integrator`, else one clear line."""
    if not isinstance(integrator, Integrator):
        raise InputError(f"integrator = {integrator!r}: give a flight.Integrator (Integrator() is the default step rule)")
    return integrator


def atmosphere_name(name: str) -> str:
    """Check an atmosphere model name."""
    return limits.choose("atmosphere", name, ATMOSPHERES)


def kernel_arguments(rows: np.ndarray, missiles: Sequence[Missile], model, atmosphere: str, integrator: Integrator,
                     history: bool, tracks: bool = False, resident: bool = False) -> tuple:
    """The flight kernel's arguments for flight rows (``launch_rows``): the rows, the packed vehicles,
    settings, Earth and atmosphere tables, and the arrays it writes, summaries (n, N_OUT) and recorded
    samples (ECI histories, compact tracks with ``tracks``, or none; only their shape when ``resident``,
    kept on the device)."""
    from . import atmosphere as atm

    checked_integrator(integrator)
    table = atm.kernel_table()
    vehicles, drag = P.vehicle_rows(missiles)
    settings = P.settings_row(integrator, atmosphere, table.altitude_step_m)
    n = rows.shape[0]
    samples = int(math.ceil(integrator.max_flight_time_s / integrator.history_spacing_s)) + 2 if history or tracks else 0
    shape = (n, samples, R.N_TRACK if tracks else P.N_HISTORY)
    hist = np.empty(shape) if resident else np.zeros(shape)
    return (np.ascontiguousarray(rows), vehicles, drag, settings, P.earth_row(model), table.log_density,
            table.log_pressure, table.speed_of_sound_m_s, np.zeros((n, P.N_OUT)), hist)


def run_rows(rows: np.ndarray, missiles: Sequence[Missile], model, atmosphere: str, integrator: Integrator,
             history: bool, device: str, tracks: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Run flight rows through the kernel; return summaries (n, N_OUT) and the recorded samples: ECI
    histories (n, k, N_HISTORY), compact tracks (n, k, results.N_TRACK) with ``tracks``, or none. On the
    GPU, compact tracks stay in the device's memory (``engine.cuda.DeviceTracks``) until the host asks
    for them, so that an engagement on the GPU reads them there."""
    resident = tracks and device == "gpu"
    arguments = kernel_arguments(rows, missiles, model, atmosphere, integrator, history, tracks, resident)
    out, hist = arguments[-2:]
    batch = engine.batch("fly_batch", device)
    if resident:
        return out, batch(*arguments, resident=True)
    batch(*arguments)
    return out, hist


@dataclass(frozen=True, repr=False)
class Flights:
    """Summaries (and optional histories or compact tracks) of a batch of flights, one row per flight.

    Times are seconds after launch (after burnout for flights started from a burnout state);
    positions are stored in the kernel's ECI frame and given geodetically by the methods. A batch
    flown with ``tracks=True`` records the engagement's compact tracks (``results.T_*``: height,
    surface normal and Earth-relative velocity in ECEF) in place of ECI histories.
    """

    missile_names: tuple[str, ...]
    launch_latitude_deg: np.ndarray
    launch_longitude_deg: np.ndarray
    summary: np.ndarray  # (flight, N_OUT), columns named in engine/pack.py
    history: np.ndarray  # (flight, sample, 7): t, ECI position m, ECI velocity m/s
    earth: earth_mod.EarthModel
    atmosphere: str
    integrator: Integrator
    mode: str  # "launch" or "burnout"
    sources: tuple[str, ...] = ()
    azimuth_deg: np.ndarray | None = None
    kick_deg: np.ndarray | None = None
    cutoff_s: np.ndarray | None = None
    aim_latitude_deg: np.ndarray | None = None
    aim_longitude_deg: np.ndarray | None = None
    trajectory: str | None = None
    notes: tuple[str, ...] = field(default=())
    tracks: np.ndarray | None = None  # (flight, sample, results.N_TRACK), when flown with tracks=True (on the GPU: a DeviceTracks)

    def __len__(self) -> int:
        return self.summary.shape[0]

    # --- status ---
    @property
    def status(self) -> np.ndarray:
        return self.summary[:, P.O_STATUS].astype(int)

    @property
    def landed(self) -> np.ndarray:
        return self.status == FlightStatus.IMPACT

    # --- burnout ---
    def _state(self, column: int, time_column: int):
        state = self.summary[:, column:column + 6]
        t = self.summary[:, time_column]
        omega = self.earth.rotation_rate_rad_s
        position = earth_mod.ecef_from_eci(state[:, :3], t, omega)
        velocity = earth_mod.earth_relative_velocity_ecef(state[:, :3], state[:, 3:], t, omega)
        return position, velocity

    def _geodetic_velocity(self, position, velocity):
        lat, lon, height = earth_mod.geodetic_from_ecef(position, self.earth)
        up, east, north = earth_mod.local_frame(lat, lon)
        speed = np.linalg.norm(velocity, axis=-1)
        climb = np.sum(velocity * up, axis=-1)
        gamma = np.degrees(np.arcsin(np.clip(climb / np.maximum(speed, 1e-12), -1.0, 1.0)))
        azimuth = np.degrees(np.arctan2(np.sum(velocity * east, axis=-1), np.sum(velocity * north, axis=-1))) % 360.0
        return np.degrees(lat), np.degrees(lon), height, speed, gamma, azimuth

    @property
    def burnout_time_s(self) -> np.ndarray:
        return self.summary[:, P.O_BURNOUT_T]

    def burnout(self) -> dict[str, np.ndarray]:
        """Burnout state: time, place, Earth-relative speed, flight-path angle and azimuth."""
        position, velocity = self._state(P.O_BURNOUT_STATE, P.O_BURNOUT_T)
        lat, lon, height, speed, gamma, azimuth = self._geodetic_velocity(position, velocity)
        inertial = np.linalg.norm(self.summary[:, P.O_BURNOUT_STATE + 3:P.O_BURNOUT_STATE + 6], axis=1)
        return {"time_s": self.burnout_time_s, "latitude_deg": lat, "longitude_deg": lon, "altitude_m": height,
                "speed_m_s": speed, "inertial_speed_m_s": inertial, "flight_path_angle_deg": gamma,
                "azimuth_deg": azimuth}

    # --- apogee, impact, range ---
    @property
    def apogee_m(self) -> np.ndarray:
        return self.summary[:, P.O_APOGEE_ALTITUDE]

    @property
    def apogee_km(self) -> np.ndarray:
        return self.apogee_m / 1e3

    @property
    def apogee_time_s(self) -> np.ndarray:
        return self.summary[:, P.O_APOGEE_T]

    @property
    def flight_time_s(self) -> np.ndarray:
        """Time from launch (or burnout) to impact, or to the end of a flight that did not land."""
        return self.summary[:, P.O_END_T]

    def impact(self) -> dict[str, np.ndarray]:
        """Impact point (geodetic), Earth-relative speed and angle below the horizontal.

        For flights that did not land (see ``status``) these describe the last state instead.
        """
        position, velocity = self._state(P.O_END_STATE, P.O_END_T)
        landed = self.landed
        position[landed] = self.summary[landed, P.O_IMPACT_ECEF:P.O_IMPACT_ECEF + 3]
        velocity[landed] = self.summary[landed, P.O_IMPACT_VELOCITY_ECEF:P.O_IMPACT_VELOCITY_ECEF + 3]
        lat, lon, height, speed, gamma, azimuth = self._geodetic_velocity(position, velocity)
        return {"time_s": self.summary[:, P.O_END_T], "latitude_deg": lat, "longitude_deg": lon,
                "speed_m_s": speed, "angle_deg": -gamma}

    @property
    def range_m(self) -> np.ndarray:
        """Geodesic distance on the model's ellipsoid from the start point to the impact point."""
        impact = self.impact()
        distance, _ = earth_mod.geodesic_inverse(self.launch_latitude_deg, self.launch_longitude_deg,
                                                 impact["latitude_deg"], impact["longitude_deg"], self.earth)
        return distance

    @property
    def range_km(self) -> np.ndarray:
        return self.range_m / 1e3

    @property
    def past_antipode(self) -> np.ndarray:
        """Whether each flight came down more than half-way round the Earth from its start point.

        Two tests, both needed: in the Earth's frame the impact lies behind the start point along the
        flight's direction of motion (the great circle of the burnout point and the Earth-relative
        velocity there), and in inertia the flight travelled more than a quarter turn in the sense of
        its motion at burnout. The first alone cannot tell a flight that went past the antipode from
        a near-vertical one that drifts back over the ground; the second alone is off by the Earth's
        rotation under a long flight (an eastward flight 190 deg round in inertia lands 178 deg round
        on the ground). The aiming kernel counts the same way (``engine/aim.py``, ``went_round``).
        """
        start = earth_mod.ecef_from_geodetic(np.radians(self.launch_latitude_deg),
                                             np.radians(self.launch_longitude_deg), np.zeros(len(self)), self.earth)
        start = start / np.linalg.norm(start, axis=-1, keepdims=True)
        impact = self.impact()
        end = earth_mod.ecef_from_geodetic(np.radians(impact["latitude_deg"]), np.radians(impact["longitude_deg"]),
                                           np.zeros(len(self)), self.earth)
        end = end / np.linalg.norm(end, axis=-1, keepdims=True)
        position, velocity = self._state(P.O_BURNOUT_STATE, P.O_BURNOUT_T)
        normal = np.cross(position, velocity)
        ahead = np.cross(normal, start)  # the direction of motion at the start point, on that great circle
        behind = np.sum(end * ahead, axis=-1) < 0.0
        # the inertial angle from the start (ECI = ECEF at t = 0) to the end, signed by the burnout orbit's normal
        state = self.summary[:, P.O_BURNOUT_STATE:P.O_BURNOUT_STATE + 6]
        orbit_normal = np.cross(state[:, :3], state[:, 3:])
        end_eci = self.summary[:, P.O_END_STATE:P.O_END_STATE + 3]
        turned = np.arctan2(np.sum(np.cross(start, end_eci) * orbit_normal, axis=-1)
                            / np.maximum(np.linalg.norm(orbit_normal, axis=-1), 1e-300),
                            np.sum(start * end_eci, axis=-1)) % (2.0 * np.pi)
        moving = (np.linalg.norm(normal, axis=-1) > 0.0) & (np.linalg.norm(orbit_normal, axis=-1) > 0.0)
        return moving & behind & (turned > 0.5 * np.pi)

    @property
    def downrange_m(self) -> np.ndarray:
        """Ground distance flown from the start point to the impact point (m), counted in the direction of
        motion: the geodesic (``range_m``) for a flight that came down less than half-way round the Earth,
        else the rest of the way round (the geodesic scaled by (2 pi - c) / c, c the geocentric angle
        between the two points), which keeps growing where ``range_m``, a distance between two points,
        turns back below half the meridian (20,004 km). A near-orbital missile or a fractional orbit
        can fly that far; a range measured to find the longest flight must use this one."""
        short_m = np.asarray(self.range_m, float)
        past = self.past_antipode
        if not past.any():
            return short_m
        impact = self.impact()
        a = earth_mod.ecef_from_geodetic(np.radians(self.launch_latitude_deg), np.radians(self.launch_longitude_deg),
                                         np.zeros(len(self)), self.earth)
        b = earth_mod.ecef_from_geodetic(np.radians(impact["latitude_deg"]), np.radians(impact["longitude_deg"]),
                                         np.zeros(len(self)), self.earth)
        cosine = np.sum(a * b, axis=-1) / (np.linalg.norm(a, axis=-1) * np.linalg.norm(b, axis=-1))
        angle = np.arccos(np.clip(cosine, -1.0, 1.0))
        return np.where(past, short_m * (2.0 * np.pi - angle) / np.maximum(angle, 1e-12), short_m)

    @property
    def downrange_km(self) -> np.ndarray:
        return self.downrange_m / 1e3

    def miss_m(self) -> np.ndarray:
        """Distance from impact to aim point (m); zeros when flights were not aimed."""
        if self.aim_latitude_deg is None:
            return np.zeros(len(self))
        impact = self.impact()
        distance, _ = earth_mod.geodesic_inverse(impact["latitude_deg"], impact["longitude_deg"],
                                                 self.aim_latitude_deg, self.aim_longitude_deg, self.earth)
        return distance

    @property
    def steps(self) -> np.ndarray:
        return self.summary[:, P.O_STEPS].astype(int)

    # --- histories ---
    def trajectory_of(self, i: int) -> dict[str, np.ndarray]:
        """Recorded samples of flight i: time, geodetic position, Earth-relative speed."""
        if isinstance(i, bool) or not isinstance(i, (int, np.integer)) or not -len(self) <= i < len(self):
            raise InputError(f"flight index i = {i!r} is not an index of these {len(self)} flights "
                             f"(an integer from 0 to {len(self) - 1})")
        count = int(self.summary[i, P.O_HISTORY_COUNT])
        if count == 0:
            raise InputError("no history was recorded: fly with history=True")
        if self.tracks is not None:
            return _trajectory_of_track(self.tracks[i, :count], self.earth)
        samples = self.history[i, :count]
        t = samples[:, P.H_T]
        omega = self.earth.rotation_rate_rad_s
        position = earth_mod.ecef_from_eci(samples[:, 1:4], t, omega)
        velocity = earth_mod.earth_relative_velocity_ecef(samples[:, 1:4], samples[:, 4:7], t, omega)
        lat, lon, height = earth_mod.geodetic_from_ecef(position, self.earth)
        return {"time_s": t, "latitude_deg": np.degrees(lat), "longitude_deg": np.degrees(lon), "altitude_m": height,
                "speed_m_s": np.linalg.norm(velocity, axis=1), "position_ecef_m": position,
                "velocity_ecef_m_s": velocity}

    def __getitem__(self, index) -> Flights:
        index = np.arange(len(self))[index]
        index = np.atleast_1d(index)

        def pick(a):
            return None if a is None else np.asarray(a)[index]

        return Flights(tuple(self.missile_names[i] for i in index), self.launch_latitude_deg[index],
                       self.launch_longitude_deg[index], self.summary[index], self.history[index], self.earth,
                       self.atmosphere, self.integrator, self.mode, self.sources, pick(self.azimuth_deg),
                       pick(self.kick_deg), pick(self.cutoff_s), pick(self.aim_latitude_deg),
                       pick(self.aim_longitude_deg), self.trajectory, self.notes, pick(self.tracks))

    def __repr__(self) -> str:
        names = sorted(set(self.missile_names))
        who = names[0] if len(names) == 1 else f"{len(names)} missiles"
        if len(self) == 0:
            return f"<Flights 0 × {who}>"
        r, h = self.range_km, self.apogee_km
        return (f"<Flights {len(self):,} × {who}, range {r.min():,.0f}–{r.max():,.0f} km, "
                f"apogee {h.min():,.0f}–{h.max():,.0f} km, {int(self.landed.sum()):,} landed, "
                f"earth={self.earth.name}, atmosphere={self.atmosphere}>")


def _trajectory_of_track(track: np.ndarray, model: earth_mod.EarthModel) -> dict[str, np.ndarray]:
    """``Flights.trajectory_of`` from the samples of a compact track."""
    normal = track[:, R.T_NORMAL:R.T_NORMAL + 3]
    lat = np.arctan2(normal[:, 2], np.hypot(normal[:, 0], normal[:, 1]))
    lon = np.arctan2(normal[:, 1], normal[:, 0])
    height = track[:, R.T_HEIGHT]
    velocity = track[:, R.T_VELOCITY:R.T_VELOCITY + 3]
    return {"time_s": track[:, R.T_TIME], "latitude_deg": np.degrees(lat), "longitude_deg": np.degrees(lon),
            "altitude_m": height, "speed_m_s": np.linalg.norm(velocity, axis=1),
            "position_ecef_m": earth_mod.ecef_from_geodetic(lat, lon, height, model), "velocity_ecef_m_s": velocity}


def _flight_count(**values) -> int:
    """How many flights the per-flight arguments ``values`` (scalars or flat sequences, by name) describe:
    the longest of them; a ragged sequence is one clear line."""
    sizes = []
    for name, value in values.items():
        try:
            sizes.append(np.size(value))
        except ValueError:
            raise InputError(f"{name} = {limits.shown(value)}: give a number or a flat sequence of numbers") from None
    return max(sizes)


def _as_array(field: str, value, n: int, bound: str | None = None) -> np.ndarray:
    """``value`` as n finite floats within the bound ``bound`` of :mod:`shieldcheck.limits` (default: the
    field's last word), a scalar or n values; else one clear line naming ``field``."""
    bound = limits.bound(bound or field.split()[-1])
    try:
        given = np.asarray(value)
        if given.size == 0:
            empty = InputError(f"{field} = {limits.shown(value)}: no flight given; give at least one")
            raise empty from None
        if given.dtype.kind not in "iuf":  # a bool, a string or an object is not a number here
            raise TypeError
        a = np.broadcast_to(given.astype(float), (n,)).copy()
    except InputError:
        raise
    except (TypeError, ValueError):
        raise InputError(f"{field} = {limits.shown(value)}: give a number or {n} numbers (one per flight)") from None
    bad = ~bound.inside(a)
    if bad.any():
        raise InputError(bound.message(float(a[bad][0]), field))
    return a


def _checked(vehicle, history, tracks: bool = False) -> None:
    """The vehicle and the recording flags given to a flight entry point, checked at the edge."""
    if not isinstance(vehicle, Missile):
        raise InputError(f"missile = {vehicle!r}: give a vehicles.Missile (catalog.missile(NAME) makes one)")
    for name, value in (("history", history), ("tracks", tracks)):
        if not isinstance(value, bool):
            raise InputError(f"{name} = {value!r}: give True or False")
    if history and tracks:
        raise InputError("history = True and tracks = True: a batch records ECI histories or compact tracks, "
                         "give one of them")


def _sites_arrays(sites) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if isinstance(sites, earth_mod.Sites):
        return sites.latitude_deg, sites.longitude_deg, sites.height_m
    if isinstance(sites, earth_mod.Site):
        sites = [sites]
    if not isinstance(sites, (list, tuple)) or not sites or not all(isinstance(s, earth_mod.Site) for s in sites):
        raise InputError(f"launch = {sites!r}: give an earth.Site, a non-empty list of them "
                         "(catalog.site(NAME) makes one) or an earth.Sites (arrays of points)")
    return (np.array([s.latitude_deg for s in sites], float), np.array([s.longitude_deg for s in sites], float),
            np.array([s.height_m for s in sites], float))


def programme_code(name: str) -> float:
    """The kernels' number for a steering programme name."""
    return P.PROGRAMMES[limits.choose("programme", name, P.PROGRAMMES)]


def launch_rows(missile_index, latitude_deg, longitude_deg, height_m, azimuth_deg, kick_deg, cutoff_s,
                model: earth_mod.EarthModel, programme: str = "gravity-turn", target_ecef_m=None) -> np.ndarray:
    """Flight rows for launches at rest on the rotating Earth; ``target_ecef_m`` (n, 3) the aim points a guided
    glider's guidance steers for (None: none, a guided glider then glides for range)."""
    n = len(latitude_deg)
    rows = np.zeros((n, P.N_FLIGHT))
    position = earth_mod.ecef_from_geodetic(np.radians(latitude_deg), np.radians(longitude_deg), height_m, model)
    omega = model.rotation_rate_rad_s
    rows[:, P.F_POSITION:P.F_POSITION + 3] = position
    rows[:, P.F_VELOCITY] = -omega * position[:, 1]
    rows[:, P.F_VELOCITY + 1] = omega * position[:, 0]
    rows[:, P.F_VEHICLE] = missile_index
    rows[:, P.F_AZIMUTH] = np.radians(azimuth_deg)
    _, east, north = earth_mod.local_frame(np.radians(latitude_deg), np.radians(longitude_deg))
    azimuth = np.radians(azimuth_deg)[..., None]
    rows[:, P.F_HEADING:P.F_HEADING + 3] = np.cos(azimuth) * north + np.sin(azimuth) * east
    rows[:, P.F_KICK] = np.radians(kick_deg)
    rows[:, P.F_CUTOFF] = cutoff_s
    rows[:, P.F_PROGRAMME] = programme_code(programme)
    if target_ecef_m is not None:
        rows[:, P.F_TARGET:P.F_TARGET + 3] = target_ecef_m
    return rows


def target_points(target, n: int, model: earth_mod.EarthModel) -> np.ndarray | None:
    """The aim points (ECEF m, (n, 3)) of ``target`` (a Site, a sequence of them or Sites; None: none)."""
    if target is None:
        return None
    lat, lon, height = _sites_arrays(target)
    if len(lat) not in (1, n):
        raise InputError(f"target: {len(lat)} aim points for {n} flights; give one, or one per flight")
    points = earth_mod.ecef_from_geodetic(np.radians(lat), np.radians(lon), height, model)
    return np.broadcast_to(points, (n, 3))


def _vehicles(missile, history, tracks: bool = False) -> tuple[list[Missile], np.ndarray]:
    """The distinct vehicles given to a flight entry point (one missile, or a sequence with one per
    flight) and each flight's index among them, checked at the edge."""
    if isinstance(missile, (list, tuple)) and missile:
        # by identity, without a Python step per flight: a batch of 10^6 flights names its few vehicles 10^6 times
        identity = np.fromiter(map(id, missile), np.int64, len(missile))
        _, first, inverse = np.unique(identity, return_index=True, return_inverse=True)
        order = np.argsort(first)  # the vehicles in the order they first appear
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        vehicles = [missile[first[k]] for k in order]
        for vehicle in vehicles:
            _checked(vehicle, history, tracks)
        return vehicles, rank[inverse.ravel()]
    _checked(missile, history, tracks)
    return [missile], np.zeros(1, np.int64)


def iter_fly_launch(missile: Missile | Sequence[Missile], launch, azimuth_deg, kick_deg, cutoff_s=np.inf, *,
                    earth: str = earth_mod.DEFAULT_EARTH, atmosphere: str = DEFAULT_ATMOSPHERE,
                    integrator: Integrator = Integrator(), history: bool = False, device: str = "cpu",
                    chunk_size: int = DEFAULT_CHUNK, programme: str = "gravity-turn",
                    tracks: bool = False, target=None) -> Iterator[Flights]:
    """Like :func:`fly_launch`, one ``Flights`` per chunk: memory bounded by ``chunk_size``."""
    vehicles, index = _vehicles(missile, history, tracks)
    model = earth_mod.earth_model(earth)
    atmosphere_name(atmosphere)
    programme_code(programme)
    lat, lon, height = _sites_arrays(launch)
    n = max(len(lat), len(index), _flight_count(azimuth_deg=azimuth_deg, kick_deg=kick_deg, cutoff_s=cutoff_s))
    if len(lat) not in (1, n):
        raise InputError(f"launch: {len(lat)} sites for {n} flights; give one site, or one per flight")
    if len(index) not in (1, n):
        raise InputError(f"missile: {len(index)} missiles for {n} flights; give one missile, or one per flight")
    lat, lon, height, index = (np.broadcast_to(a, (n,)) for a in (lat, lon, height, index))
    azimuth = _as_array("azimuth_deg", azimuth_deg, n)
    kick = _as_array("kick_deg", kick_deg, n)
    given = np.asarray(cutoff_s)
    full_burn = np.where(np.isposinf(given), 1e9, given) if given.dtype.kind == "f" else cutoff_s  # inf: burn it all
    cutoff = np.minimum(_as_array("cutoff_s", full_burn, n),
                        np.array([v.burn_time_s for v in vehicles])[index])
    if chunk_size < 1:
        raise InputError(f"chunk_size = {chunk_size} must be at least 1")
    aims = target_points(target, n, model)
    names = np.array([v.name for v in vehicles], dtype=object)
    sources = tuple(dict.fromkeys(source for v in vehicles for source in v.sources))
    for start in range(0, n, chunk_size):
        part = slice(start, min(n, start + chunk_size))
        rows = launch_rows(index[part], lat[part], lon[part], height[part], azimuth[part], kick[part], cutoff[part],
                           model, programme, None if aims is None else aims[part])
        out, hist = run_rows(rows, vehicles, model, atmosphere, integrator, history, device, tracks)
        recorded = {"tracks": hist, "history": np.zeros((len(out), 0, P.N_HISTORY))} if tracks else {"history": hist}
        yield Flights(tuple(names[index[part]]), np.array(lat[part]), np.array(lon[part]), out,
                      earth=model, atmosphere=atmosphere, integrator=integrator, mode="launch", sources=sources,
                      azimuth_deg=azimuth[part], kick_deg=kick[part], cutoff_s=cutoff[part], **recorded)


def concatenate(parts: list[Flights]) -> Flights:
    """One Flights of several, in order (chunks of one batch flown with the same models)."""
    if len(parts) == 1:
        return parts[0]
    first = parts[0]

    def cat(name):
        values = [getattr(p, name) for p in parts]
        if values[0] is None:
            return None
        if name in ("history", "tracks"):  # of different lengths: copied once into zeros (samples past a count are never read)
            joined = np.zeros((sum(len(v) for v in values), max(v.shape[1] for v in values), values[0].shape[2]))
            start = 0
            for v in values:
                joined[start:start + len(v), :v.shape[1]] = v
                start += len(v)
            return joined
        return np.concatenate(values)

    return Flights(sum((p.missile_names for p in parts), ()), cat("launch_latitude_deg"), cat("launch_longitude_deg"),
                   cat("summary"), cat("history"), first.earth, first.atmosphere, first.integrator, first.mode,
                   tuple(dict.fromkeys(source for p in parts for source in p.sources)), cat("azimuth_deg"),
                   cat("kick_deg"), cat("cutoff_s"), tracks=cat("tracks"))


def fly_launch(missile: Missile | Sequence[Missile], launch, azimuth_deg, kick_deg, cutoff_s=np.inf,
               **options) -> Flights:
    """Fly a missile from launch sites with given steering.

    Parameters
    ----------
    missile: the vehicle (``shieldcheck.catalog.missile(NAME)``), or one per flight: flights of
        several missiles then fly in one batch.
    launch: a :class:`~shieldcheck.earth.Site`, a sequence of them, or :class:`~shieldcheck.earth.Sites`
        (arrays of points), broadcast against the steering.
    azimuth_deg, kick_deg: pitch-over azimuth (from north, towards east) and angle from the vertical.
    cutoff_s: thrust termination time after launch (``inf``: burn every stage to depletion).

    Other options (keyword-only): ``earth``, ``atmosphere``, ``integrator``, ``history``
    (record samples every ``integrator.history_spacing_s``), ``tracks`` (record them as the
    engagement's compact tracks instead, written by the kernel: what a sweep needs, without the ECI
    history's round trip), ``device`` (``cpu`` or ``gpu``),
    ``chunk_size``, ``programme`` (steering after the pitch-over: ``gravity-turn``, the default,
    or ``pitch-hold``, thrust held at the kick angle until burnout, as interceptors fly flat), ``target``
    (the aim points, as ``launch``, that a guided glider's glide guidance steers for; without them it
    glides for range; other vehicles ignore them).

    Returns :class:`Flights`. Raises :class:`~shieldcheck.errors.InputError` on bad input.
    """
    return concatenate(list(iter_fly_launch(missile, launch, azimuth_deg, kick_deg, cutoff_s, **options)))


def fly_burnout(latitude_deg, longitude_deg, altitude_m, speed_m_s, flight_path_angle_deg, azimuth_deg,
                vehicle: Missile, *, earth: str = earth_mod.DEFAULT_EARTH, atmosphere: str = DEFAULT_ATMOSPHERE,
                integrator: Integrator = Integrator(), history: bool = False, device: str = "cpu",
                target=None) -> Flights:
    """Fly re-entry vehicles from burnout states, with no boost: the classic textbook setting.

    The burnout speed, flight-path angle (above the local horizontal) and azimuth are relative
    to the rotating Earth (on the non-rotating model they are inertial); ``vehicle`` supplies the
    re-entry vehicle's mass, size and drag (its stages are ignored). Times in the result are
    seconds after burnout; ``target`` as for :func:`fly_launch`. Returns :class:`Flights`.
    """
    _checked(vehicle, history)
    model = earth_mod.earth_model(earth)
    atmosphere_name(atmosphere)
    n = _flight_count(latitude_deg=latitude_deg, longitude_deg=longitude_deg, altitude_m=altitude_m, speed_m_s=speed_m_s,
                      flight_path_angle_deg=flight_path_angle_deg, azimuth_deg=azimuth_deg)
    lat = _as_array("burnout latitude_deg", latitude_deg, n)
    lon = _as_array("burnout longitude_deg", longitude_deg, n)
    alt = _as_array("burnout altitude_m", altitude_m, n, "burnout_altitude_m")
    speed = _as_array("burnout speed_m_s", speed_m_s, n, "burnout_speed_m_s")
    gamma = _as_array("burnout flight_path_angle_deg", flight_path_angle_deg, n)
    azimuth = _as_array("burnout azimuth_deg", azimuth_deg, n)
    position = earth_mod.ecef_from_geodetic(np.radians(lat), np.radians(lon), alt, model)
    up, east, north = earth_mod.local_frame(np.radians(lat), np.radians(lon))
    g, a = np.radians(gamma)[:, None], np.radians(azimuth)[:, None]
    relative = speed[:, None] * (np.cos(g) * (np.cos(a) * north + np.sin(a) * east) + np.sin(g) * up)
    omega = model.rotation_rate_rad_s
    rows = np.zeros((n, P.N_FLIGHT))
    rows[:, P.F_POSITION:P.F_POSITION + 3] = position
    rows[:, P.F_VELOCITY:P.F_VELOCITY + 3] = relative + omega * np.stack(
        [-position[:, 1], position[:, 0], np.zeros(n)], axis=1)
    aims = target_points(target, n, model)
    if aims is not None:
        rows[:, P.F_TARGET:P.F_TARGET + 3] = aims
    rv = vehicle.reentry_only()
    out, hist = run_rows(rows, [rv], model, atmosphere, integrator, history, device)
    return Flights((rv.name,) * n, lat, lon, out, hist, model, atmosphere, integrator, "burnout", vehicle.sources)
