"""Constellations of space-based interceptors: their orbits and the interceptor each satellite carries.

A constellation is a set of circular orbits given by mean elements at its epoch (the instant its ECI
frame coincides with ECEF, as a flight's does at launch: ``earth.py``): a Walker delta pattern
(altitude, inclination, T satellites in P equally spaced planes, phasing F) or an explicit list. Every
satellite carries one interceptor (:class:`Carrier`): its delta-v and burn time, the lowest altitude its
kill vehicle can intercept at, the kill vehicle's endgame limits, and the delays from the threat's
detection to the release (the decision, then the launch). The orbits are propagated with J2 by
``engine/orbit_reach.py`` (secular node and argument-of-latitude rates plus the first-order short-period
terms of a circular orbit); :meth:`Constellation.states_eci` is the same theory written with NumPy.

Altitudes are above the equatorial radius (a = R_e + altitude): an orbit's altitude above the ellipsoid
is up to 21 km more at high latitude.

    >>> from shieldcheck.constellation import Carrier, Constellation
    >>> carrier = Carrier("test", 4000.0, 40.0, 30.0, 5.0, 80e3)
    >>> len(Constellation.walker_delta("test", 400e3, 55.0, 60, 6, 1, carrier))
    60
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from . import earth as earth_mod
from .constants import WGS84_EQUATORIAL_RADIUS_M, WGS84_GM_M3_S2, WGS84_ROTATION_RATE_RAD_S
from .engine import orbit_reach as O
from .engine import pack as P
from .errors import InputError
from .vehicles import KillVehicle

#: Altitude of the geostationary orbit above the equatorial radius: a = (GM / omega^2)^(1/3) = 42,164 km
#: with the WGS 84 GM and rotation rate, less 6,378 km: 35,786 km.
GEOSTATIONARY_ALTITUDE_M = (WGS84_GM_M3_S2 / WGS84_ROTATION_RATE_RAD_S**2) ** (1.0 / 3.0) - WGS84_EQUATORIAL_RADIUS_M
LOWEST_ALTITUDE_M = 150e3  # below it a satellite re-enters within days (drag): no constellation can hold there
MAX_SATELLITES = 200_000

# (low, high, unit) of every constellation and carrier value, by the name a caller writes it with: SI names for the
# records, the catalog file's names (km, km/s) for the loader, which checks the raw file values against the same table
_SI_BOUNDS = {
    "altitude_m": (LOWEST_ALTITUDE_M, GEOSTATIONARY_ALTITUDE_M, "m"),
    "delta_v_m_s": (10.0, 15_000.0, "m/s"),
    "min_intercept_altitude_m": (0.0, 1e6, "m"),
}
BOUNDS = {
    **_SI_BOUNDS,
    **{name.replace("_m_s", "_km_s").replace("_m", "_km"): (low / 1e3, high / 1e3, unit.replace("m", "km", 1))
       for name, (low, high, unit) in _SI_BOUNDS.items()},
    "inclination_deg": (0.0, 180.0, "deg"),
    "satellites": (1, MAX_SATELLITES, "satellites"),
    "planes": (1, MAX_SATELLITES, "planes"),
    "raan_spread_deg": (1e-9, 360.0, "deg"),
    "burn_time_s": (0.1, 600.0, "s"),
    "decision_delay_s": (0.0, 3_600.0, "s"),
    "launch_delay_s": (0.0, 3_600.0, "s"),
}


def checked(owner: str, name: str, value, whole: bool = False) -> float:
    """``value`` if it is a finite number within ``BOUNDS[name]`` (a whole one where ``whole``), else one line
    naming ``owner``, the field, the value and what is allowed."""
    low, high, unit = BOUNDS[name]
    ok = (isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
          and math.isfinite(value) and low <= value <= high and (not whole or float(value) == int(value)))
    if not ok:
        kind = "a whole number " if whole else ""
        raise InputError(f"{owner}: {name} = {value!r} is not allowed; allowed: {kind}{low:,g} to {high:,g} {unit}")
    return float(value)


@dataclass(frozen=True)
class Carrier:
    """The interceptor one satellite carries and the delays before it is released (SI units).

    ``delta_v_m_s`` is added to the carrier's orbital velocity over ``burn_time_s`` of constant
    acceleration; the kill vehicle cannot intercept below ``min_intercept_altitude_m``; the release comes
    ``decision_delay_s + launch_delay_s`` after the threat's detection. ``kill_vehicle`` (None: reach only)
    holds the endgame limits as the ground interceptors' kill vehicles have them.
    """

    name: str
    delta_v_m_s: float
    burn_time_s: float
    decision_delay_s: float
    launch_delay_s: float
    min_intercept_altitude_m: float
    kill_vehicle: KillVehicle | None = None

    def __post_init__(self):
        owner = f"carrier {self.name!r}"
        for name in ("delta_v_m_s", "burn_time_s", "decision_delay_s", "launch_delay_s", "min_intercept_altitude_m"):
            checked(owner, name, getattr(self, name))
        if self.kill_vehicle is not None and not isinstance(self.kill_vehicle, KillVehicle):
            raise InputError(f"{owner}: kill_vehicle = {self.kill_vehicle!r}: give a vehicles.KillVehicle or None")

    @property
    def release_after_detection_s(self) -> float:
        """Time from the threat's detection to the interceptor's release: decision, then launch."""
        return self.decision_delay_s + self.launch_delay_s

    def row(self, endgame_row: np.ndarray) -> np.ndarray:
        """The kernel's carrier row (``orbit_reach.C_*``) with an endgame row (``endgame.Endgame.row``)."""
        row = np.zeros(O.N_CARRIER)
        row[O.C_DELTA_V] = self.delta_v_m_s
        row[O.C_BURN] = self.burn_time_s
        row[O.C_MIN_ALTITUDE] = self.min_intercept_altitude_m
        row[O.C_ENDGAME:O.C_ENDGAME + len(endgame_row)] = endgame_row
        return row


def _is_number(value) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)


@dataclass(frozen=True)
class Walker:
    """A Walker delta pattern i: T/P/F at one altitude: T satellites in P planes whose nodes are spread evenly
    over ``raan_spread_deg`` (360: delta), S = T/P per plane evenly spaced, and satellite q of plane p at
    argument of latitude 360 (q / S + p F / T) deg at the epoch (Walker 1984)."""

    altitude_m: float
    inclination_deg: float
    satellites: int
    planes: int
    phasing: int
    raan_spread_deg: float = 360.0
    raan_offset_deg: float = 0.0

    def check(self, owner: str) -> None:
        checked(owner, "altitude_m", self.altitude_m)
        checked(owner, "inclination_deg", self.inclination_deg)
        checked(owner, "satellites", self.satellites, whole=True)
        checked(owner, "planes", self.planes, whole=True)
        checked(owner, "raan_spread_deg", self.raan_spread_deg)
        if not (_is_number(self.raan_offset_deg) and math.isfinite(self.raan_offset_deg)):
            raise InputError(f"{owner}: raan_offset_deg = {self.raan_offset_deg!r} is not allowed; allowed: a finite "
                             "angle in degrees")
        if int(self.satellites) % int(self.planes) != 0:
            raise InputError(f"{owner}: satellites = {self.satellites} is not a multiple of planes = {self.planes}; "
                             "a Walker pattern has the same number of satellites in every plane")
        if not (_is_number(self.phasing) and float(self.phasing) == int(self.phasing)
                and 0 <= int(self.phasing) < int(self.planes)):
            raise InputError(f"{owner}: phasing = {self.phasing!r} is not allowed; allowed: a whole number from 0 to "
                             f"planes - 1 = {int(self.planes) - 1}")

    @property
    def per_plane(self) -> int:
        return int(self.satellites) // int(self.planes)

    def elements_deg(self) -> tuple[np.ndarray, np.ndarray]:
        """Node and argument of latitude (deg) of every satellite at the epoch, plane by plane."""
        t, p, s = int(self.satellites), int(self.planes), self.per_plane
        plane = np.repeat(np.arange(p), s)
        slot = np.tile(np.arange(s), p)
        raan = (self.raan_offset_deg + plane * self.raan_spread_deg / p) % 360.0
        u = (360.0 * slot / s + 360.0 * plane * int(self.phasing) / t) % 360.0
        return raan, u

    def resized(self, satellites: int) -> Walker:
        """The same pattern with about ``satellites`` satellites: planes and satellites per plane scaled by the
        same factor (P = round(sqrt(T P0 / S0)), S = round(T / P)), the phasing kept (modulo the planes)."""
        ratio = self.per_plane / int(self.planes)
        planes = max(1, int(round(math.sqrt(satellites / ratio))))
        per_plane = max(1, int(round(satellites / planes)))
        return Walker(self.altitude_m, self.inclination_deg, planes * per_plane, planes, int(self.phasing) % planes,
                      self.raan_spread_deg, self.raan_offset_deg)

    def __str__(self) -> str:
        return (f"Walker {self.inclination_deg:g} deg: {int(self.satellites)}/{int(self.planes)}/{int(self.phasing)} "
                f"at {self.altitude_m / 1e3:,.0f} km")


@dataclass(frozen=True, eq=False, repr=False)
class Constellation:
    """Satellites on circular orbits (mean elements at the epoch, one entry per satellite) and their carrier.

    Build one with :meth:`walker_delta` or :meth:`from_orbits`; the catalog's are read by
    ``shieldcheck.catalog.constellations``.
    """

    name: str
    altitude_m: np.ndarray  # (satellite,)
    inclination_deg: np.ndarray
    raan_deg: np.ndarray  # node at the epoch, in the epoch's ECI frame
    argument_of_latitude_deg: np.ndarray  # mean argument of latitude at the epoch
    carrier: Carrier
    walker: Walker | None = None
    sources: tuple[str, ...] = ()
    earth: earth_mod.EarthModel = field(default_factory=lambda: earth_mod.earth_model(earth_mod.DEFAULT_EARTH))

    @classmethod
    def walker_delta(cls, name: str, altitude_m: float, inclination_deg: float, satellites: int, planes: int,
                     phasing: int, carrier: Carrier, *, raan_spread_deg: float = 360.0, raan_offset_deg: float = 0.0,
                     sources: tuple[str, ...] = (), earth: str = earth_mod.DEFAULT_EARTH) -> Constellation:
        """A Walker pattern (see :class:`Walker`); raises InputError for a pattern that cannot exist."""
        pattern = Walker(altitude_m, inclination_deg, satellites, planes, phasing, raan_spread_deg, raan_offset_deg)
        pattern.check(f"constellation {name!r}")
        return cls.of_walker(name, pattern, carrier, sources=sources, earth=earth)

    @classmethod
    def of_walker(cls, name: str, pattern: Walker, carrier: Carrier, *, sources: tuple[str, ...] = (),
                  earth: str = earth_mod.DEFAULT_EARTH) -> Constellation:
        pattern.check(f"constellation {name!r}")
        raan, u = pattern.elements_deg()
        n = int(pattern.satellites)
        return cls(name, np.full(n, float(pattern.altitude_m)), np.full(n, float(pattern.inclination_deg)), raan, u,
                   _carrier(name, carrier), pattern, tuple(sources), earth_mod.earth_model(earth))

    @classmethod
    def from_orbits(cls, name: str, altitude_m, inclination_deg, raan_deg, argument_of_latitude_deg, carrier: Carrier,
                    *, sources: tuple[str, ...] = (), earth: str = earth_mod.DEFAULT_EARTH) -> Constellation:
        """An explicit list of circular orbits (one value each, or one per satellite; broadcast)."""
        owner = f"constellation {name!r}"
        try:
            columns = np.broadcast_arrays(*(np.atleast_1d(np.asarray(v, dtype=float)) for v in
                                            (altitude_m, inclination_deg, raan_deg, argument_of_latitude_deg)))
        except (TypeError, ValueError):
            raise InputError(f"{owner}: altitude_m, inclination_deg, raan_deg and argument_of_latitude_deg must be "
                             "numbers or sequences of one length") from None
        altitude, inclination, raan, u = (np.array(c, dtype=float).ravel() for c in columns)
        if altitude.size == 0:
            raise InputError(f"{owner}: satellites = 0 is not allowed; allowed: 1 to {MAX_SATELLITES:,} satellites")
        checked(owner, "satellites", altitude.size, whole=True)
        for values, name_ in ((altitude, "altitude_m"), (inclination, "inclination_deg")):
            low, high, _ = BOUNDS[name_]
            bad = ~np.isfinite(values) | (values < low) | (values > high)
            if bad.any():
                checked(f"{owner} (orbit {int(np.flatnonzero(bad)[0]) + 1})", name_, float(values[bad][0]))
        for values, name_ in ((raan, "raan_deg"), (u, "argument_of_latitude_deg")):
            if not np.isfinite(values).all():
                raise InputError(f"{owner}: {name_} = {float(values[~np.isfinite(values)][0])!r} is not allowed; "
                                 "allowed: a finite angle in degrees")
        return cls(name, altitude, inclination, raan % 360.0, u % 360.0, _carrier(name, carrier), None, tuple(sources),
                   earth_mod.earth_model(earth))

    def __len__(self) -> int:
        return len(self.altitude_m)

    def __repr__(self) -> str:
        shape = str(self.walker) if self.walker is not None else (
            f"{len(self):,} orbits at {self.altitude_m.min() / 1e3:,.0f}-{self.altitude_m.max() / 1e3:,.0f} km")
        c = self.carrier
        return (f"<Constellation {self.name!r}: {shape}; carrier {c.delta_v_m_s / 1e3:g} km/s in {c.burn_time_s:g} s, "
                f"released {c.release_after_detection_s:g} s after detection>")

    def resized(self, satellites: int) -> Constellation:
        """The same Walker pattern with about ``satellites`` satellites (:meth:`Walker.resized`)."""
        if self.walker is None:
            raise InputError(f"constellation {self.name!r} is a list of orbits, not a Walker pattern: it cannot be "
                             "resized; give a Walker pattern")
        checked(f"constellation {self.name!r}", "satellites", satellites, whole=True)
        return Constellation.of_walker(self.name, self.walker.resized(int(satellites)), self.carrier,
                                       sources=self.sources, earth=self.earth.name)

    def with_carrier(self, carrier: Carrier) -> Constellation:
        """The same orbits with another carrier (a sweep over its delta-v, burn or delays)."""
        return Constellation(self.name, self.altitude_m, self.inclination_deg, self.raan_deg,
                             self.argument_of_latitude_deg, _carrier(self.name, carrier), self.walker, self.sources,
                             self.earth)

    # --- the orbits -------------------------------------------------------------------------------
    def mean_rates(self) -> dict[str, np.ndarray]:
        """Mean semi-major axis (m), mean motion, gamma = J2 (R/a)^2 and the secular J2 rates of the node and of
        the argument of latitude (rad/s), one per satellite.

        First order (Vallado, Fundamentals of Astrodynamics and Applications, eq. 9-41, e = 0):
        Omega' = -3/2 gamma n cos i and omega' + M' = n (1 + 3/4 gamma (8 cos^2 i - 2)); with Brouwer's
        second-order J2^2 terms as SGP4 initialises them (Hoots and Roehrich 1980; its J4 terms left out, the
        gravity here being J2 only), which bring the node rate to 3e-4 and the position to about 1 km of a
        numerical J2 integration over a day (tests/test_space_interceptors.py)."""
        e = self.earth
        a = e.equatorial_radius_m + self.altitude_m
        n = np.sqrt(e.gm_m3_s2 / a**3)
        gamma = e.j2 * (e.equatorial_radius_m / a) ** 2
        c = np.cos(np.radians(self.inclination_deg))
        c2 = c * c
        first = 1.5 * gamma * n
        second = 0.75 * gamma * gamma * n
        mean_anomaly_rate = n + 0.5 * first * (3.0 * c2 - 1.0) + 0.0625 * second * (13.0 - 78.0 * c2 + 137.0 * c2 * c2)
        perigee_rate = -0.5 * first * (1.0 - 5.0 * c2) + 0.0625 * second * (7.0 - 114.0 * c2 + 395.0 * c2 * c2)
        node_rate = -first * c + 0.5 * second * (4.0 - 19.0 * c2) * c
        return {"a_m": a, "n_rad_s": n, "gamma": gamma, "raan_rate_rad_s": node_rate,
                "u_rate_rad_s": mean_anomaly_rate + perigee_rate}

    def elements(self) -> np.ndarray:
        """The kernel's satellite rows (``orbit_reach.K_*``), (satellite, N_ELEMENT)."""
        rates = self.mean_rates()
        rows = np.zeros((len(self), O.N_ELEMENT))
        rows[:, O.K_A] = rates["a_m"]
        rows[:, O.K_N] = rates["n_rad_s"]
        rows[:, O.K_INCLINATION] = np.radians(self.inclination_deg)
        rows[:, O.K_RAAN] = np.radians(self.raan_deg)
        rows[:, O.K_U] = np.radians(self.argument_of_latitude_deg)
        rows[:, O.K_RAAN_RATE] = rates["raan_rate_rad_s"]
        rows[:, O.K_U_RATE] = rates["u_rate_rad_s"]
        rows[:, O.K_GAMMA] = rates["gamma"]
        # |v| <= n a (1 + 2 gamma) (the transverse and radial short-period terms); 3 gamma and 1 m/s to spare
        rows[:, O.K_SPEED_BOUND] = rates["n_rad_s"] * rates["a_m"] * (1.0 + 3.0 * rates["gamma"]) + 1.0
        return rows

    def earth_row(self) -> np.ndarray:
        return P.earth_row(self.earth)

    def states_eci(self, time_s) -> np.ndarray:
        """ECI positions (m) and velocities (m/s) of every satellite at every time (s after the epoch):
        (satellite, time, 6). The theory of ``engine/orbit_reach.satellite_state`` written with NumPy (the
        tests hold the two to each other and to a numerical J2 integration)."""
        t = np.atleast_1d(np.asarray(time_s, dtype=float))[None, :]
        rates = self.mean_rates()
        a, n, gamma = (rates[key][:, None] for key in ("a_m", "n_rad_s", "gamma"))
        inclination = np.radians(self.inclination_deg)[:, None]
        raan = np.radians(self.raan_deg)[:, None] + rates["raan_rate_rad_s"][:, None] * t
        u = np.radians(self.argument_of_latitude_deg)[:, None] + rates["u_rate_rad_s"][:, None] * t
        c, s = np.cos(inclination), np.sin(inclination)
        theta2 = c * c
        s2u, c2u = np.sin(2.0 * u), np.cos(2.0 * u)
        # first-order short-period J2 terms of a circular orbit (Hoots and Roehrich 1980, SGP4 with e = 0)
        radius = a * (1.0 - 0.75 * gamma * (3.0 * theta2 - 1.0)) + 0.25 * gamma * a * (1.0 - theta2) * c2u
        uk = u - 0.125 * gamma * (7.0 * theta2 - 1.0) * s2u
        raan_k = raan + 0.75 * gamma * c * s2u
        inclination_k = inclination + 0.75 * gamma * c * s * c2u
        radial_rate = -0.5 * gamma * n * a * (1.0 - theta2) * s2u
        transverse = n * a + 0.5 * gamma * n * a * ((1.0 - theta2) * c2u + 1.5 * (3.0 * theta2 - 1.0))
        su, cu, sn, cn = np.sin(uk), np.cos(uk), np.sin(raan_k), np.cos(raan_k)
        si, ci = np.sin(inclination_k), np.cos(inclination_k)
        unit_u = np.stack([-sn * ci * su + cn * cu, cn * ci * su + sn * cu, si * su], axis=-1)
        unit_v = np.stack([-sn * ci * cu - cn * su, cn * ci * cu - sn * su, si * cu], axis=-1)
        position = radius[..., None] * unit_u
        velocity = radial_rate[..., None] * unit_u + transverse[..., None] * unit_v
        return np.concatenate([position, velocity], axis=-1)

    def sub_satellite_points(self, time_s) -> tuple[np.ndarray, np.ndarray]:
        """Geodetic latitude and longitude (deg) of every satellite's nadir at every time: (satellite, time)."""
        t = np.atleast_1d(np.asarray(time_s, dtype=float))
        states = self.states_eci(t)
        ecef = earth_mod.ecef_from_eci(states[..., :3], t[None, :], self.earth.rotation_rate_rad_s)
        latitude, longitude, _ = earth_mod.geodetic_from_ecef(ecef, self.earth)
        return np.degrees(latitude), np.degrees(longitude)


def _carrier(name: str, carrier) -> Carrier:
    if not isinstance(carrier, Carrier):
        raise InputError(f"constellation {name!r}: carrier = {carrier!r}: give a constellation.Carrier")
    return carrier
