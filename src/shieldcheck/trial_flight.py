"""An interceptor test flight: one fly-out from a test range or site, sampled in time through burnout
and after, in ECEF over the WGS-84 Earth.

The flight is the compiled flight core's (``flight.fly_launch``: the same stage model, Earth,
atmosphere and integrator as every fly-out of the reach envelopes): full burn, pitch-over on a stated
azimuth and kick angle, then a gravity turn or the attitude held at the kick angle (``programme``).
Without a kick and programme the test flies the fan's fastest fly-out at that place and azimuth
(``reach.fan_fastest_flyout``): the flight that demonstrates the model's highest burnout speed,
which is what a velocity limit "as demonstrated in tests" is about.

A test may be flown faster than the catalog model: ``isp_scale`` multiplies every stage's specific
impulse (``vehicles.with_isp_scale``: thrust and ideal delta-v scale with it), and
:func:`isp_scale_for` finds the scale at which the test's burnout speed is a stated one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import earth as earth_mod
from . import limits
from .errors import InputError
from .flight import DEFAULT_ATMOSPHERE, Integrator, fly_launch
from .reach import PROGRAMMES, fan_fastest_flyout
from .vehicles import Interceptor, with_isp_scale

#: Seconds of flight sampled after launch by default: the climb, burnout and the first ten minutes
#: of the coast (an exo-atmospheric interceptor is near its apogee by then).
DEFAULT_DURATION_S = 600.0
#: Spacing of the recorded samples (s); positions between samples are cubic Hermite interpolants of
#: the samples' positions and velocities (centimetres on the coast).
SAMPLE_SPACING_S = 1.0


@dataclass(frozen=True)
class TrialFlight:
    """One interceptor test flight sampled in time.

    ``time_s`` (k,) is seconds after launch; ``position_ecef_m`` and ``velocity_ecef_m_s`` (k, 3)
    are the ECEF position and Earth-relative velocity. ``burnout_speed_m_s`` is the Earth-relative
    speed at burnout, the largest of the flight for an interceptor that burns out above the
    atmosphere (the quantity the 1997 texts limit).
    """

    interceptor: str
    launch: earth_mod.Site
    azimuth_deg: float
    kick_deg: float
    programme: str
    isp_scale: float
    burnout_time_s: float
    burnout_speed_m_s: float
    burnout_altitude_m: float
    time_s: np.ndarray
    position_ecef_m: np.ndarray
    velocity_ecef_m_s: np.ndarray
    earth: str

    @property
    def max_speed_m_s(self) -> float:
        """The largest Earth-relative speed over the sampled flight (m/s), burnout's included."""
        return float(max(np.linalg.norm(self.velocity_ecef_m_s, axis=1).max(), self.burnout_speed_m_s))

    def geodetic(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Latitude (deg), longitude (deg) and height (m) of every sample."""
        lat, lon, height = earth_mod.geodetic_from_ecef(self.position_ecef_m, earth_mod.earth_model(self.earth))
        return np.degrees(lat), np.degrees(lon), height

    def state_at(self, time_s) -> tuple[np.ndarray, np.ndarray]:
        """ECEF position (m) and Earth-relative velocity (m/s) at times after launch, (n, 3) each
        (:func:`interpolate_state` between the samples)."""
        return interpolate_state(self.time_s, self.position_ecef_m, self.velocity_ecef_m_s, time_s)

    def __repr__(self) -> str:
        return (f"<TrialFlight {self.interceptor} from {self.launch.name} on {self.azimuth_deg:g} deg, kick "
                f"{self.kick_deg:g} deg ({self.programme}), burnout {self.burnout_speed_m_s / 1e3:.2f} km/s at "
                f"{self.burnout_time_s:.0f} s, {self.burnout_altitude_m / 1e3:.0f} km>")


def interpolate_state(sample_time_s, position_ecef_m, velocity_ecef_m_s, time_s) -> tuple[np.ndarray, np.ndarray]:
    """Position (m) and velocity (m/s) at ``time_s`` from samples (k,), (k, 3), (k, 3) of one flight.

    Cubic Hermite between the two samples around each time (the velocity is the derivative of the
    position in the frame of the samples); times outside the samples are clamped to their ends.
    """
    samples = np.asarray(sample_time_s, float)
    t = np.clip(np.asarray(time_s, float), samples[0], samples[-1])
    i = np.clip(np.searchsorted(samples, t, side="right") - 1, 0, samples.size - 2)
    t0, t1 = samples[i], samples[i + 1]
    h = (t1 - t0)[:, None]
    s = ((t - t0) / (t1 - t0))[:, None]
    p0, p1 = position_ecef_m[i], position_ecef_m[i + 1]
    v0, v1 = velocity_ecef_m_s[i], velocity_ecef_m_s[i + 1]
    s2, s3 = s * s, s * s * s
    position = ((2 * s3 - 3 * s2 + 1) * p0 + (s3 - 2 * s2 + s) * h * v0 + (-2 * s3 + 3 * s2) * p1
                + (s3 - s2) * h * v1)
    velocity = ((6 * s2 - 6 * s) * p0 / h + (3 * s2 - 4 * s + 1) * v0 + (-6 * s2 + 6 * s) * p1 / h
                + (3 * s2 - 2 * s) * v1)
    return position, velocity


def fly_trial(interceptor: Interceptor, launch: earth_mod.Site, azimuth_deg: float, *, kick_deg: float | None = None,
              programme: str | None = None, isp_scale: float = 1.0, duration_s: float = DEFAULT_DURATION_S,
              earth: str = earth_mod.DEFAULT_EARTH, atmosphere: str = DEFAULT_ATMOSPHERE) -> TrialFlight:
    """Fly one interceptor test from ``launch`` on ``azimuth_deg`` (from north, towards east).

    ``kick_deg`` and ``programme`` shape the flight path (pitch-over angle from the vertical, and
    ``gravity-turn`` or ``pitch-hold``); left out, both are the fan's fastest fly-out at the launch
    latitude and azimuth. ``isp_scale`` multiplies the stages' specific impulse (1: the catalog model).
    Returns :class:`TrialFlight`, sampled every ``SAMPLE_SPACING_S`` for ``duration_s`` or to impact.
    Raises :class:`~shieldcheck.errors.InputError` on bad input.
    """
    limits.check("azimuth_deg", azimuth_deg, "test flight: azimuth_deg")
    if not (isinstance(duration_s, (int, float)) and math.isfinite(duration_s) and 10.0 <= duration_s <= 7_200.0):
        raise InputError(f"test flight: duration_s = {duration_s!r} is outside 10 to 7,200 s")
    if (kick_deg is None) != (programme is None):
        raise InputError("test flight: give both kick_deg and programme, or neither (the fan's fastest fly-out)")
    if kick_deg is None:
        fastest = fan_fastest_flyout(interceptor, latitude_deg=launch.latitude_deg, azimuth_deg=azimuth_deg,
                                     earth=earth, atmosphere=atmosphere)
        kick_deg, programme = fastest["kick_deg"], fastest["programme"]
    if programme not in PROGRAMMES:
        raise limits.not_allowed("test flight: programme", programme, PROGRAMMES)
    if not (isinstance(kick_deg, (int, float)) and math.isfinite(kick_deg) and 0.0 < kick_deg < 90.0):
        raise InputError(f"test flight: kick_deg = {kick_deg!r} is outside 0 to 90 deg (exclusive)")
    vehicle = interceptor.vehicle if isp_scale == 1.0 else with_isp_scale(interceptor.vehicle, isp_scale)
    flown = fly_launch(vehicle, launch, float(azimuth_deg), float(kick_deg), earth=earth, atmosphere=atmosphere,
                       programme=programme, history=True,
                       integrator=Integrator(history_spacing_s=SAMPLE_SPACING_S, max_flight_time_s=float(duration_s)))
    samples = flown.trajectory_of(0)
    burnout = flown.burnout()
    t = samples["time_s"]
    keep = np.concatenate([[True], np.diff(t) > 1e-9])  # a sample repeated at the end of the flight
    return TrialFlight(interceptor.name, launch, float(azimuth_deg) % 360.0, float(kick_deg), programme, float(isp_scale),
                       float(burnout["time_s"][0]), float(burnout["speed_m_s"][0]), float(burnout["altitude_m"][0]),
                       t[keep], samples["position_ecef_m"][keep], samples["velocity_ecef_m_s"][keep],
                       earth_mod.earth_model(earth).name)


#: How closely :func:`isp_scale_for` meets the burnout speed asked for (relative): a test flown "at" a speed is
#: within this of it.
SPEED_TOLERANCE = 1e-4


def isp_scale_for(interceptor: Interceptor, launch: earth_mod.Site, azimuth_deg: float, burnout_speed_m_s: float, *,
                  kick_deg: float, programme: str, earth: str = earth_mod.DEFAULT_EARTH,
                  atmosphere: str = DEFAULT_ATMOSPHERE) -> float:
    """The specific-impulse scale at which this test flight burns out at ``burnout_speed_m_s`` (m/s).

    Secant iterations on the flown burnout speed, to 0.01 % (a few flights). Raises
    :class:`~shieldcheck.errors.InputError` when the scale needed lies outside 0.5 to 2.
    """
    target = float(burnout_speed_m_s)
    if not (math.isfinite(target) and target > 0.0):
        raise InputError(f"test flight: burnout_speed_m_s = {burnout_speed_m_s!r} must be a positive number")

    def speed(k: float) -> float:
        return fly_trial(interceptor, launch, azimuth_deg, kick_deg=kick_deg, programme=programme, isp_scale=k,
                         duration_s=10.0 + 2.0 * interceptor.vehicle.burn_time_s, earth=earth,
                         atmosphere=atmosphere).burnout_speed_m_s

    k0, v0 = 1.0, speed(1.0)
    k1 = target / v0
    for _ in range(30):
        if not 0.5 <= k1 <= 2.0:
            break
        v1 = speed(k1)
        if abs(v1 / target - 1.0) <= SPEED_TOLERANCE:
            return k1
        k0, v0, k1 = k1, v1, k1 + (target - v1) * (k1 - k0) / (v1 - v0) if v1 != v0 else k1 * target / v1
    raise InputError(f"interceptor {interceptor.name!r}: a burnout speed of {target / 1e3:.2f} km/s on this test flight "
                     "needs its specific impulse scaled outside 0.5 to 2")
