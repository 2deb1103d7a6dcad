"""How precisely the other side can measure an interceptor's burnout speed from its radar track.

A radar that sees a test flight (``watch``) measures slant range, azimuth, elevation and range rate
at its update interval, each with Gaussian noise of a stated standard deviation (:class:`RadarNoise`).
The observer fits the flight model to the track by nonlinear least squares
(``scipy.optimize.least_squares``): the declared interceptor's stage model, flown by the compiled
flight core from the declared range, with four free parameters: the specific-impulse scale (the
burnout speed's own parameter: thrust and delta-v scale with it), the pitch-over kick (the
flight-path shape), the launch azimuth and the launch time. The burnout speed (Earth-relative, the
largest speed of an interceptor that burns out above the atmosphere) is the fitted model's, and its
standard deviation comes from the covariance of the weighted least-squares fit, (J^T J)^-1 with J
the Jacobian of the noise-weighted residuals, carried to the speed by its gradient (the delta method).

Systematic errors: a real track also carries errors that stay the same over the whole track (a range
bias from the range-zero calibration and the ionosphere's group delay, an angle bias from the face
alignment and refraction, a range-rate bias from the frequency reference and the drift of the
propagation delay), which do not average down however many points are tracked. Each track draws one
bias per measurement type from its radar's one-sigma (:class:`RadarNoise`, catalog ``*_bias_*``), and
the fit carries them as nuisance parameters with Gaussian priors of those sigmas (each prior a residual
appended to the least squares), so the interval includes them; a bias of zero is not carried and the
fit is then the white-noise fit. A timing bias (the radar clock's offset) is the free launch time.

Stated assumptions: the steering programme (gravity turn or attitude hold) and the launch point are
those declared; the noise is white and its size known; the biases are Gaussian, one per track and
measurement type (azimuth and elevation each draw the angle bias), with the stated sigmas. With shared telemetry (the New START precedent: Treaty Article IX and Protocol Part Seven
exchange telemetric information on ICBM and SLBM launches) the vehicle's own velocity enters the fit
as a further measurement (:data:`TELEMETRY_NOISE_M_S` per axis every :data:`TELEMETRY_INTERVAL_S`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import least_squares
from scipy.stats import norm

from . import earth as earth_mod
from . import limits
from .errors import InputError
from .flight import DEFAULT_ATMOSPHERE, Integrator, fly_burnout
from .sensors import Radar, measure
from .trial_flight import SAMPLE_SPACING_S, TrialFlight, fly_trial, interpolate_state
from .vehicles import Interceptor
from .watch import RadarView

#: Measurement noise of a radar for which the catalog states none: STATED ASSUMPTIONS, not
#: sourced values. Range 30 m and angle 2 mrad (one standard deviation): a UHF phased array of about
#: 2 deg beamwidth (35 mrad) measures angle to a fraction of it, beamwidth / (1.6 sqrt(2 SNR)) = 1.5 mrad
#: at 20 dB (Skolnik, Introduction to Radar Systems, 3rd ed., 2001, sec. 4.7); range rate 2 m/s from the
#: range over a dwell; an update every 2 s of a tracked object.
DEFAULT_RANGE_NOISE_M = 30.0
DEFAULT_ANGLE_NOISE_MRAD = 2.0
DEFAULT_RANGE_RATE_NOISE_M_S = 2.0
DEFAULT_UPDATE_INTERVAL_S = 2.0
#: Systematic errors of a radar for which the catalog states none (one sigma, one value per track): STATED
#: ASSUMPTIONS, the catalog's UHF class (sensors.toml): a 20 m range bias (the ionosphere's group delay
#: 40.3 TEC / f^2 at 430 MHz after a climatological correction, with the range-zero calibration), 0.5 mrad of
#: angle bias (alignment and refraction residuals) and 0.2 m/s of range-rate bias (the delay's drift).
DEFAULT_RANGE_BIAS_M = 20.0
DEFAULT_ANGLE_BIAS_MRAD = 0.5
DEFAULT_RANGE_RATE_BIAS_M_S = 0.2
#: Shared telemetry: the vehicle's Earth-relative velocity every second with 0.1 m/s noise per axis
#: (STATED ASSUMPTION: a navigation-grade inertial/GPS solution; telemetry tapes are not public).
TELEMETRY_NOISE_M_S = 0.1
TELEMETRY_INTERVAL_S = 1.0
#: Telemetry's own velocity bias per axis (one sigma, the same over a flight): 0.02 m/s, STATED ASSUMPTION (a
#: navigation-grade solution's slowly varying error, small against its 0.1 m/s noise).
TELEMETRY_BIAS_M_S = 0.02
#: Free parameters of the fit, in order: specific-impulse scale, kick (deg), azimuth (deg), launch time (s).
PARAMETERS = ("isp_scale", "kick_deg", "azimuth_deg", "launch_time_s")
#: Finite-difference steps of the burnout speed's gradient, per parameter (launch time: none needed).
GRADIENT_STEPS = (1e-5, 1e-3, 1e-3)
#: Sought precision of the fit's cost (scipy's ftol, xtol).
FIT_TOLERANCE = 1e-10
#: The fit's bound on a carried bias, in its own standard deviations (far beyond any draw of its prior).
BIAS_BOUND = 50.0


@dataclass(frozen=True)
class RadarNoise:
    """A radar's measurement noise (one standard deviation), its track update interval, and its systematic
    errors (one standard deviation of a bias drawn once per track; zero: none)."""

    range_noise_m: float = DEFAULT_RANGE_NOISE_M
    angle_noise_mrad: float = DEFAULT_ANGLE_NOISE_MRAD
    range_rate_noise_m_s: float = DEFAULT_RANGE_RATE_NOISE_M_S
    update_interval_s: float = DEFAULT_UPDATE_INTERVAL_S
    range_bias_m: float = DEFAULT_RANGE_BIAS_M
    angle_bias_mrad: float = DEFAULT_ANGLE_BIAS_MRAD
    range_rate_bias_m_s: float = DEFAULT_RANGE_RATE_BIAS_M_S

    def __post_init__(self):
        for name in Radar.BIAS_FIELDS:
            limits.check(name, getattr(self, name), f"radar noise: {name}")
        for name in Radar.MEASUREMENT_FIELDS:
            value = limits.check(name, getattr(self, name), f"radar noise: {name}")
            if value == 0.0:
                raise InputError(f"radar noise: {name} = 0: a measurement without noise cannot weight a fit; "
                                 f"allowed: above 0 to {limits.bound(name).high:,g} {limits.bound(name).unit}")

    @classmethod
    def of(cls, radar: Radar, **overrides) -> RadarNoise:
        """A radar's noise and biases: each override given (not None), else the radar's catalog value, else the default."""
        values = {}
        for name in Radar.MEASUREMENT_FIELDS + Radar.BIAS_FIELDS:
            value = overrides.get(name)
            values[name] = value if value is not None else getattr(radar, name)
        return cls(**{name: value for name, value in values.items() if value is not None})

    def bias_sigmas(self) -> np.ndarray:
        """One-sigma biases of a track's four measurement types: range (m), azimuth and elevation (rad),
        range rate (m/s)."""
        angle = self.angle_bias_mrad * 1e-3
        return np.array([self.range_bias_m, angle, angle, self.range_rate_bias_m_s])


@dataclass(frozen=True)
class Track:
    """A simulated radar track: measurement times (s after launch) and the noisy slant range (m),
    azimuth and elevation (rad) and range rate (m/s), with the noise they were drawn with and the biases
    drawn for this track (range m, azimuth and elevation rad, range rate m/s; zeros when none)."""

    radar: Radar
    noise: RadarNoise
    time_s: np.ndarray
    range_m: np.ndarray
    azimuth_rad: np.ndarray
    elevation_rad: np.ndarray
    range_rate_m_s: np.ndarray
    bias: tuple = (0.0, 0.0, 0.0, 0.0)

    @property
    def tracked_s(self) -> float:
        return float(self.time_s[-1] - self.time_s[0]) if self.time_s.size else 0.0


@dataclass(frozen=True)
class Telemetry:
    """Telemetered Earth-relative velocity (m/s, ECEF, (m, 3)) at times after launch (s), with its noise and
    the one-sigma of its own bias per axis (m/s; zero: none)."""

    time_s: np.ndarray
    velocity_ecef_m_s: np.ndarray
    noise_m_s: float
    bias_m_s: float = 0.0


def measurement_times(view: RadarView, trial: TrialFlight, update_interval_s: float) -> np.ndarray:
    """Times (s after launch) of a radar's measurements: every update from first detection while in view."""
    if not view.sees:
        return np.empty(0)
    t = np.arange(view.first_detection_s, view.last_seen_s + 1e-9, update_interval_s)
    sample = np.clip(np.searchsorted(trial.time_s, t, side="right") - 1, 0, trial.time_s.size - 1)
    return t[view.seen[sample]]


def simulate_track(trial: TrialFlight, view: RadarView, noise: RadarNoise, rng: np.random.Generator) -> Track:
    """The track a radar would get of a test flight: true look angles plus Gaussian noise (``rng``).

    The azimuth noise is the angle noise over cos(elevation) (the angle noise is across the beam). After the
    noise, one bias per measurement type is drawn for the whole track (:meth:`RadarNoise.bias_sigmas`;
    none drawn when all are zero, so the noise is then the white-noise track's for the same ``rng``).
    """
    model = earth_mod.earth_model(trial.earth)
    t = measurement_times(view, trial, noise.update_interval_s)
    position, velocity = trial.state_at(t)
    slant, azimuth, elevation, rate = measure(view.radar, position, velocity, model)
    angle = noise.angle_noise_mrad * 1e-3
    range_m = slant + rng.normal(0.0, noise.range_noise_m, t.size)
    azimuth_rad = azimuth + rng.normal(0.0, 1.0, t.size) * angle / np.cos(elevation)
    elevation_rad = elevation + rng.normal(0.0, angle, t.size)
    rate_m_s = rate + rng.normal(0.0, noise.range_rate_noise_m_s, t.size)
    sigmas = noise.bias_sigmas()
    bias = rng.normal(0.0, 1.0, 4) * sigmas if t.size and np.any(sigmas > 0.0) else np.zeros(4)
    return Track(view.radar, noise, t, range_m + bias[0], azimuth_rad + bias[1], elevation_rad + bias[2],
                 rate_m_s + bias[3], tuple(float(b) for b in bias))


def simulate_telemetry(trial: TrialFlight, rng: np.random.Generator, *, noise_m_s: float = TELEMETRY_NOISE_M_S,
                       interval_s: float = TELEMETRY_INTERVAL_S, bias_m_s: float = TELEMETRY_BIAS_M_S) -> Telemetry:
    """The vehicle's own velocity, as telemetered, from launch to the end of the sampled flight: white noise
    of ``noise_m_s`` and one bias per axis for the whole flight, drawn with ``bias_m_s`` (none when zero)."""
    limits.check("telemetry_noise_m_s", noise_m_s)
    limits.check("telemetry_bias_m_s", bias_m_s)
    t = np.arange(0.0, trial.time_s[-1] + 1e-9, interval_s)
    _, velocity = trial.state_at(t)
    measured = velocity + rng.normal(0.0, noise_m_s, velocity.shape)
    if bias_m_s > 0.0:
        measured = measured + rng.normal(0.0, bias_m_s, 3)
    return Telemetry(t, measured, float(noise_m_s), float(bias_m_s))


@dataclass(frozen=True)
class BurnoutEstimate:
    """The burnout speed fitted to the tracks (m/s), its standard deviation, and what that shows.

    ``low_m_s``-``high_m_s`` is the two-sided interval at ``confidence``; ``lower_bound_m_s`` the
    one-sided lower bound at ``confidence`` (a limit is shown exceeded when it lies below it).
    ``sigma_by_tracked_s`` pairs tracked time from first detection (s) with the standard deviation a
    track of that length would give (the fit's information accumulated in time). ``kind``: ``model``
    (:func:`estimate_burnout_speed`) or ``coast`` (:func:`estimate_coast_speed`: the speed at the first
    coast measurement, a lower bound on the flight's largest speed whatever its stage model).
    """

    speed_m_s: float
    std_m_s: float
    confidence: float
    parameters: dict
    measurements: int
    tracked_s: float
    telemetry: bool
    sigma_by_tracked_s: tuple[tuple[float, float], ...] = field(default=())
    kind: str = "model"  # "model": the declared stage model's burnout speed; "coast": the speed at the first coast point
    biases: int = 0  # how many systematic errors the fit carried as nuisance parameters (their priors in the interval)

    @property
    def z(self) -> float:
        return float(norm.ppf(0.5 + 0.5 * self.confidence))

    @property
    def low_m_s(self) -> float:
        return self.speed_m_s - self.z * self.std_m_s

    @property
    def high_m_s(self) -> float:
        return self.speed_m_s + self.z * self.std_m_s

    @property
    def lower_bound_m_s(self) -> float:
        return self.speed_m_s - float(norm.ppf(self.confidence)) * self.std_m_s

    def shows_exceeded(self, limit_m_s: float) -> bool:
        """Whether this test shows ``limit_m_s`` exceeded at the estimate's confidence (one-sided)."""
        return self.lower_bound_m_s > limit_m_s

    def tests_needed(self, speed_m_s: float, limit_m_s: float) -> int | None:
        """How many such tests, averaged, show the limit exceeded in the median case, when the speed
        flown is ``speed_m_s``: the smallest n with z sigma / sqrt(n) < speed - limit; None if not above."""
        margin = speed_m_s - limit_m_s
        if margin <= 0.0:
            return None
        return max(1, math.ceil((float(norm.ppf(self.confidence)) * self.std_m_s / margin) ** 2 * (1.0 + 1e-12)))

    def tracked_s_needed(self, speed_m_s: float, limit_m_s: float) -> float | None:
        """The shortest tracked time from first detection (s) after which one test shows the limit exceeded in
        the median case (z sigma < speed - limit); None if no tracked time in this track does."""
        margin = speed_m_s - limit_m_s
        z = float(norm.ppf(self.confidence))
        for tracked, sigma in self.sigma_by_tracked_s:
            if margin > 0.0 and z * sigma < margin:
                return tracked
        return None


def _wrapped(angle_rad):
    return (angle_rad + np.pi) % (2.0 * np.pi) - np.pi


class _Model:
    """The flight model the observer fits: flights of the declared interceptor by parameters, cached."""

    def __init__(self, interceptor: Interceptor, trial: TrialFlight, duration_s: float, atmosphere: str):
        self.interceptor, self.trial, self.duration_s, self.atmosphere = interceptor, trial, duration_s, atmosphere
        self.cache: dict[tuple, TrialFlight] = {}

    def flight(self, isp_scale: float, kick_deg: float, azimuth_deg: float) -> TrialFlight:
        key = (float(isp_scale), float(kick_deg), float(azimuth_deg))
        if key not in self.cache:
            if len(self.cache) > 64:
                self.cache.clear()
            self.cache[key] = fly_trial(self.interceptor, self.trial.launch, float(azimuth_deg), kick_deg=float(kick_deg),
                                        programme=self.trial.programme, isp_scale=float(isp_scale),
                                        duration_s=self.duration_s, earth=self.trial.earth, atmosphere=self.atmosphere)
        return self.cache[key]


class _Biases:
    """The systematic errors a fit carries as nuisance parameters: per track its range, azimuth, elevation and
    range-rate bias, then telemetry's three axes; only those with a one-sigma above zero are carried, each
    as ``u`` = bias / sigma with the prior residual ``u`` (a Gaussian prior of that sigma)."""

    def __init__(self, tracks, telemetry):
        sigmas = [track.noise.bias_sigmas() for track in tracks]
        if telemetry is not None:
            sigmas.append(np.full(3, telemetry.bias_m_s))
        self.sigmas = np.concatenate(sigmas) if sigmas else np.empty(0)
        self.carried = self.sigmas > 0.0
        self.count = int(self.carried.sum())

    def values(self, u) -> np.ndarray:
        """Every bias (m, rad, m/s) for the carried ones' scaled values ``u``; zero where not carried."""
        full = np.zeros(self.sigmas.size)
        full[self.carried] = np.asarray(u, float) * self.sigmas[self.carried]
        return full


def _residuals_of(states, tracks, telemetry, earth: earth_mod.EarthModel, biases=None) -> np.ndarray:
    """Noise-weighted residuals of every measurement, ordered track by track, then telemetry;
    ``states(time_s, radar_clock)``: the model's ECEF position and velocity at those times; ``biases``:
    the systematic errors added to the model's measurements, in :class:`_Biases` order (None: none)."""
    out = []
    bias = np.zeros(4 * len(tracks) + 3) if biases is None else biases
    for k, track in enumerate(tracks):
        position, velocity = states(track.time_s, True)
        slant, azimuth, elevation, rate = measure(track.radar, position, velocity, earth)
        b = bias[4 * k:4 * k + 4]
        angle = track.noise.angle_noise_mrad * 1e-3
        out += [(slant + b[0] - track.range_m) / track.noise.range_noise_m,
                _wrapped(azimuth + b[1] - track.azimuth_rad) * np.cos(elevation) / angle,
                (elevation + b[2] - track.elevation_rad) / angle,
                (rate + b[3] - track.range_rate_m_s) / track.noise.range_rate_noise_m_s]
    if telemetry is not None:
        _, velocity = states(telemetry.time_s, False)
        b = bias[4 * len(tracks):4 * len(tracks) + 3]
        out.append(((velocity + b - telemetry.velocity_ecef_m_s) / telemetry.noise_m_s).ravel())
    return np.concatenate(out) if out else np.empty(0)


def _residuals(theta, model: _Model, tracks, telemetry, free, biases: _Biases) -> np.ndarray:
    """Residuals of the declared model with parameters ``theta`` (the free ones of :data:`PARAMETERS`, then
    the carried biases' scaled values), the biases' prior residuals last."""
    n = int(free.sum())
    full = np.array([1.0, model.trial.kick_deg, model.trial.azimuth_deg, 0.0])
    full[free] = theta[:n]
    flight = model.flight(*full[:3])

    def states(time_s, radar_clock):
        return flight.state_at(time_s - full[3] if radar_clock else time_s)

    measured = _residuals_of(states, tracks, telemetry, earth_mod.earth_model(model.trial.earth),
                             biases.values(theta[n:]))
    return np.concatenate([measured, theta[n:]])


def _row_times(tracks, telemetry, priors: int = 0) -> np.ndarray:
    """The time of every residual row of :func:`_residuals`, in its order; the ``priors`` prior rows last,
    at -1 s (known before launch, before any measurement)."""
    times = [np.tile(track.time_s, 4) for track in tracks]
    if telemetry is not None:
        times.append(np.repeat(telemetry.time_s, 3))
    times.append(np.full(priors, -1.0))
    return np.concatenate(times)


def estimate_burnout_speed(interceptor: Interceptor, trial: TrialFlight, tracks, *, confidence: float = 0.95,
                           telemetry: Telemetry | None = None,
                           atmosphere: str = DEFAULT_ATMOSPHERE) -> BurnoutEstimate | None:
    """Fit the flight model to radar tracks (and telemetry) and estimate the burnout speed.

    ``trial`` gives what is declared (the range, the programme) and the starting guess of the
    flight-path shape and azimuth; the fit starts from the catalog model (isp scale 1) and launch
    time 0. Returns None when there is nothing to fit (no track with a measurement, no telemetry).
    Raises :class:`~shieldcheck.errors.InputError` for a confidence outside 0-1.
    """
    limits.check("confidence", confidence)
    tracks = [t for t in tracks if t.time_s.size > 0]
    if not tracks and telemetry is None:
        return None
    free = np.array([True, True, True, bool(tracks)])  # telemetry alone has no clock of its own to fit
    last = max([t.time_s[-1] for t in tracks] + ([telemetry.time_s[-1]] if telemetry is not None else []))
    model = _Model(interceptor, trial, min(7_200.0, last + 30.0), atmosphere)
    biases = _Biases(tracks, telemetry)
    nuisance = np.zeros(biases.count)
    start = np.concatenate([np.array([1.0, trial.kick_deg, trial.azimuth_deg, 0.0])[free], nuisance])
    low = np.concatenate([np.array([0.5, 0.5, trial.azimuth_deg - 45.0, -120.0])[free], nuisance - BIAS_BOUND])
    high = np.concatenate([np.array([2.0, 89.5, trial.azimuth_deg + 45.0, 120.0])[free], nuisance + BIAS_BOUND])
    fit = least_squares(_residuals, start, bounds=(low, high), args=(model, tracks, telemetry, free, biases),
                        x_scale="jac", diff_step=1e-6, ftol=FIT_TOLERANCE, xtol=FIT_TOLERANCE, method="trf")
    full = np.array([1.0, trial.kick_deg, trial.azimuth_deg, 0.0])
    full[free] = fit.x[:int(free.sum())]
    speed = model.flight(*full[:3]).burnout_speed_m_s
    gradient = np.zeros(free.size)
    for i, step in enumerate(GRADIENT_STEPS):
        up, down = full[:3].copy(), full[:3].copy()
        up[i] += step
        down[i] -= step
        gradient[i] = (model.flight(*up).burnout_speed_m_s - model.flight(*down).burnout_speed_m_s) / (2.0 * step)
    gradient = np.concatenate([gradient[free], nuisance])  # the speed does not depend on the biases
    jacobian = np.asarray(fit.jac)
    information = jacobian.T @ jacobian
    try:
        std = float(math.sqrt(max(gradient @ np.linalg.solve(information, gradient), 0.0)))
    except np.linalg.LinAlgError:
        raise InputError("the track does not determine the flight (its information matrix is singular): "
                         "too few measurements") from None
    row_time = _row_times(tracks, telemetry, biases.count)
    by_time = _sigma_by_tracked_time(jacobian, row_time, gradient, min(t.time_s[0] for t in tracks)) if tracks else ()
    return BurnoutEstimate(speed, std, float(confidence), dict(zip(PARAMETERS, full.tolist())),
                           int(sum(t.time_s.size for t in tracks)),
                           float(max(t.tracked_s for t in tracks)) if tracks else 0.0, telemetry is not None, by_time,
                           biases=biases.count)


def _sigma_by_tracked_time(jacobian, row_time, gradient, first_s: float) -> tuple[tuple[float, float], ...]:
    """(tracked time from first detection (s), standard deviation of the speed (m/s)) at each measurement
    time, from the information of the rows up to it (telemetry rows, if any, count from launch)."""
    order = np.argsort(row_time, kind="stable")
    rows, times = jacobian[order], row_time[order]
    information = np.cumsum(rows[:, :, None] * rows[:, None, :], axis=0)
    ends = np.flatnonzero(np.diff(np.append(times, np.inf)) > 0.0)
    out = []
    for end in ends:
        if times[end] < first_s:
            continue
        try:
            variance = gradient @ np.linalg.solve(information[end], gradient)
        except np.linalg.LinAlgError:
            continue
        if np.isfinite(variance) and variance >= 0.0 and np.linalg.cond(information[end]) < 1e14:
            out.append((float(times[end] - first_s), float(math.sqrt(variance))))
    return tuple(out)


#: The coast fit takes the measurements from this long after burnout (s): the track shows the end of
#: thrust as a step in acceleration, which the observer is taken to see.
COAST_MARGIN_S = 5.0
#: Free parameters of the coast fit: the state at its first measurement.
COAST_PARAMETERS = ("latitude_deg", "longitude_deg", "altitude_m", "speed_m_s", "flight_path_angle_deg",
                    "azimuth_deg")


class _Coast:
    """Ballistic coasts from a state at ``start_s`` (the compiled flight core from a burnout state), cached."""

    def __init__(self, interceptor: Interceptor, start_s: float, duration_s: float, earth: str, atmosphere: str):
        self.interceptor, self.start_s, self.duration_s = interceptor, start_s, duration_s
        self.earth, self.atmosphere = earth, atmosphere
        self.cache: dict[tuple, tuple] = {}

    def samples(self, theta) -> tuple:
        key = tuple(float(x) for x in theta)
        if key not in self.cache:
            if len(self.cache) > 64:
                self.cache.clear()
            lat, lon, alt, speed, gamma, azimuth = key
            flown = fly_burnout(lat, lon, alt, speed, gamma, azimuth, self.interceptor.vehicle, earth=self.earth,
                                atmosphere=self.atmosphere, history=True,
                                integrator=Integrator(history_spacing_s=SAMPLE_SPACING_S,
                                                      max_flight_time_s=self.duration_s))
            samples = flown.trajectory_of(0)
            keep = np.concatenate([[True], np.diff(samples["time_s"]) > 1e-9])
            self.cache[key] = (samples["time_s"][keep], samples["position_ecef_m"][keep],
                               samples["velocity_ecef_m_s"][keep])
        return self.cache[key]

    def states(self, theta):
        sample_time, position, velocity = self.samples(theta)
        return lambda time_s, radar_clock: interpolate_state(sample_time, position, velocity, time_s - self.start_s)


def _measured_positions(track: Track, earth: earth_mod.EarthModel) -> np.ndarray:
    """ECEF positions (m) of a track's measurements, from its range and angles."""
    radar = track.radar
    lat, lon = np.radians(radar.site.latitude_deg), np.radians(radar.site.longitude_deg)
    antenna = earth_mod.ecef_from_geodetic(lat, lon, radar.site.height_m, earth)
    up, east, north = earth_mod.local_frame(lat, lon)
    ce = np.cos(track.elevation_rad)[:, None]
    direction = (ce * np.sin(track.azimuth_rad)[:, None] * east + ce * np.cos(track.azimuth_rad)[:, None] * north
                 + np.sin(track.elevation_rad)[:, None] * up)
    return antenna + track.range_m[:, None] * direction


def estimate_coast_speed(interceptor: Interceptor, trial: TrialFlight, tracks, *, confidence: float = 0.95,
                         atmosphere: str = DEFAULT_ATMOSPHERE) -> BurnoutEstimate | None:
    """The Earth-relative speed at the first coast measurement, fitted to the tracks with no stage model.

    The measurements from ``COAST_MARGIN_S`` after burnout (``trial.burnout_time_s``) are fitted by a
    ballistic coast (gravity and, where there is air, the kill vehicle's drag) from a free state at the
    first of them: six parameters, no thrust, no declared model. Any speed of the flight is at most its
    largest, so the fitted speed is a lower bound on the speed a limit "over any part of the trajectory"
    is about, whatever the vehicle. Returns None when fewer than three measurement times remain.
    """
    limits.check("confidence", confidence)
    start = trial.burnout_time_s + COAST_MARGIN_S
    kept = []
    for track in tracks:
        after = track.time_s >= start
        kept.append(Track(track.radar, track.noise, track.time_s[after], track.range_m[after],
                          track.azimuth_rad[after], track.elevation_rad[after], track.range_rate_m_s[after],
                          track.bias))
    kept = [t for t in kept if t.time_s.size > 0]
    if len(np.unique(np.concatenate([t.time_s for t in kept]))) < 3 if kept else True:
        return None
    earth = earth_mod.earth_model(trial.earth)
    first_s = min(t.time_s[0] for t in kept)
    last_s = max(t.time_s[-1] for t in kept)
    # the starting guess: a quadratic through the first minute of measured positions, at the first time
    guess_track = min(kept, key=lambda t: t.time_s[0])
    near = guess_track.time_s <= guess_track.time_s[0] + 60.0
    if near.sum() < 3:
        near = np.arange(guess_track.time_s.size) < 3
    positions = _measured_positions(guess_track, earth)[near]
    dt = guess_track.time_s[near] - first_s
    fit = np.polyfit(dt, positions, min(2, int(near.sum()) - 1))
    position0, velocity0 = fit[-1], fit[-2]  # the value and the slope at the first time
    lat, lon, height = earth_mod.geodetic_from_ecef(position0[None, :], earth)
    up, east, north = earth_mod.local_frame(lat[0], lon[0])
    speed0 = float(np.linalg.norm(velocity0))
    gamma0 = float(np.degrees(np.arcsin(np.clip(velocity0 @ up / max(speed0, 1e-9), -1.0, 1.0))))
    azimuth0 = float(np.degrees(np.arctan2(velocity0 @ east, velocity0 @ north)))
    theta0 = np.array([np.degrees(lat[0]), np.degrees(lon[0]), max(float(height[0]), 1.0),
                       float(np.clip(speed0, 200.0, 10_900.0)), float(np.clip(gamma0, -85.0, 85.0)), azimuth0])
    low = np.array([-89.9, theta0[1] - 30.0, 0.0, 100.0, -89.0, azimuth0 - 180.0])
    high = np.array([89.9, theta0[1] + 30.0, 5e6, 10_999.0, 89.0, azimuth0 + 180.0])
    coast = _Coast(interceptor, first_s, last_s - first_s + 2.0, trial.earth, atmosphere)
    biases = _Biases(kept, None)
    nuisance = np.zeros(biases.count)

    def residuals(theta):
        return np.concatenate([_residuals_of(coast.states(theta[:6]), kept, None, earth, biases.values(theta[6:])),
                               theta[6:]])

    solved = least_squares(residuals, np.concatenate([theta0, nuisance]),
                           bounds=(np.concatenate([low, nuisance - BIAS_BOUND]),
                                   np.concatenate([high, nuisance + BIAS_BOUND])),
                           x_scale="jac", diff_step=1e-6, ftol=FIT_TOLERANCE, xtol=FIT_TOLERANCE, method="trf")
    jacobian = np.asarray(solved.jac)
    gradient = np.zeros(6 + biases.count)
    gradient[3] = 1.0
    try:
        std = float(math.sqrt(max(gradient @ np.linalg.solve(jacobian.T @ jacobian, gradient), 0.0)))
    except np.linalg.LinAlgError:
        return None
    by_time = _sigma_by_tracked_time(jacobian, _row_times(kept, None, biases.count), gradient, first_s)
    return BurnoutEstimate(float(solved.x[3]), std, float(confidence),
                           dict(zip(COAST_PARAMETERS, solved.x[:6].tolist())), int(sum(t.time_s.size for t in kept)),
                           float(last_s - first_s), False, by_time, "coast", biases.count)
