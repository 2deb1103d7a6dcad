"""Space-based interceptors against boosting missiles: which satellites can engage each launch, how many
are absent for every one in range, and how many a constellation needs against a salvo.

For every threat launch (a flown compact track and a launch time after the constellation's epoch) and
every satellite, the compiled kernel of ``engine/orbit_reach.py`` finds whether the satellite's
interceptor, released ``decision + launch`` delays after the threat's detection, reaches a point of the
boost (and, where asked, early ascent) above its kill vehicle's floor in time, with the endgame holding
there; the model and its stated errors are in that module and in docs/model.md ("Space-based
interceptors").

* :func:`engage_from_orbit`: per launch, the satellites that can engage it (count, list, best margin,
  earliest intercept); :class:`SpaceEngagements` gives the **absentee ratio** (satellites in orbit per
  satellite in range: the constellation's size over the mean number that can engage), the share of
  launches covered, and both per group of launches (a launch area) and over the time of day.
* :func:`pair_results`: every (launch, satellite) pair with its verdict and numbers (small cases);
  :func:`reference_pairs` is the same written as a plain NumPy/Python loop (the tests' and the
  benchmark's reference).
* :func:`salvo_engaged`: k missiles launched together, one interceptor per satellite and each satellite
  engaging at most one missile: the largest number engaged is a maximum bipartite matching
  (``scipy.optimize.linear_sum_assignment``); :func:`satellites_needed`: the smallest Walker pattern of a
  family that engages all k with a stated probability over launch times (seeded Monte Carlo).

The detection time of a launch is the space-based infrared warning's (catalog sensor, its
``detection_delay_s``; never detected where that comes after burnout) unless given.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import engine, limits
from .constellation import Constellation
from .endgame import DEFAULT_TRACK_VELOCITY_ERROR_M_S, NO_ENDGAME, Endgame, explain as explain_endgame
from .engine import orbit_reach as O
from .engine import results as R
from .errors import InputError
from .sensors import InfraredWarning
from .verdicts import Verdict

DEFAULT_INFRARED = "SBIRS/DSP infrared warning"
DEFAULT_HORIZON_S = 60.0  # per-launch best margins are exact down to this lateness; satellites farther are skipped
DEFAULT_LISTED = 64  # engaging satellites kept per launch (their count is always exact)
DAY_S = 86_400.0
DEFAULT_SIZES = (250, 500, 1_000, 2_000, 4_000, 8_000, 16_000, 32_000)


def _number(name: str, value, low: float, high: float) -> float:
    ok = (isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
          and math.isfinite(value) and low <= value <= high)
    if not ok:
        raise InputError(f"{name} = {value!r} is not allowed; allowed: {low:,g} to {high:,g}")
    return float(value)


def _whole(name: str, value, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not low <= value <= high:
        raise InputError(f"{name} = {value!r} is not allowed; allowed: a whole number from {low:,} to {high:,}")
    return int(value)


def infrared_warning(infrared) -> InfraredWarning:
    """The space-based infrared warning that detects the launches: a catalog name or an ``InfraredWarning``."""
    if isinstance(infrared, InfraredWarning):
        return infrared
    from . import catalog

    sensor = catalog.sensor(infrared) if isinstance(infrared, str) else None
    if not isinstance(sensor, InfraredWarning):
        raise InputError(f"infrared = {infrared!r}: give the name of a catalog infrared warning sensor "
                         f"(e.g. {DEFAULT_INFRARED!r}) or a sensors.InfraredWarning")
    return sensor


def detection_times(burnout_time_s, infrared=DEFAULT_INFRARED) -> np.ndarray:
    """First detection (s after launch) of flights whose boost ends at ``burnout_time_s``: the warning's
    delay, or inf where the boost ends first (``sensors.InfraredWarning.coverage``)."""
    sensor = infrared_warning(infrared)
    burnout = np.asarray(burnout_time_s, dtype=float)
    return np.where(sensor.detection_delay_s < burnout, sensor.detection_delay_s, np.inf)


def endgame_of(constellation: Constellation, endgame, track_velocity_error_m_s: float) -> Endgame:
    """The endgame of the carrier's kill vehicle: ``kinematic`` (its limits; reach only where the carrier has
    none), ``none`` (reach only), or an ``endgame.Endgame`` as given."""
    if isinstance(endgame, Endgame):
        return endgame
    if endgame == "none" or (endgame == "kinematic" and constellation.carrier.kill_vehicle is None):
        return NO_ENDGAME
    if endgame != "kinematic":
        raise limits.not_allowed("endgame", endgame, ("kinematic", "none"), see="or give an endgame.Endgame")
    return Endgame("kinematic", constellation.carrier.kill_vehicle, track_velocity_error_m_s)


@dataclass(frozen=True)
class Launches:
    """Threat launches as the kernel reads them: compact tracks (flight, sample, results.N_TRACK) and their
    counts, and one row per launch (``orbit_reach.L_*``: track, launch time after the epoch, release,
    window end)."""

    tracks: object  # np.ndarray, or engine.cuda.DeviceTracks on the GPU
    counts: np.ndarray
    rows: np.ndarray
    burnout_time_s: np.ndarray  # per launch

    @property
    def flight_index(self) -> np.ndarray:
        return self.rows[:, O.L_FLIGHT].astype(int)

    @property
    def launch_time_s(self) -> np.ndarray:
        return self.rows[:, O.L_TIME]

    @property
    def release_s(self) -> np.ndarray:
        return self.rows[:, O.L_RELEASE]

    def __len__(self) -> int:
        return self.rows.shape[0]


def launches(flights, constellation: Constellation, launch_time_s, *, flight_index=None, detection_s=None,
             infrared=DEFAULT_INFRARED, after_burnout_s: float = 0.0) -> Launches:
    """The kernel's launch rows for ``flights`` (a ``flight.Flights`` flown with histories or tracks, or a
    tuple ``(tracks, counts, burnout_time_s)`` of compact tracks) launched at ``launch_time_s`` (s after the
    constellation's epoch; one per launch), launch i flying flight ``flight_index[i]`` (default: launch i
    flies flight i, or every launch flight 0 when there is one flight).

    ``detection_s`` (s after launch, one per flight or one for all) overrides the infrared warning's
    detection; ``after_burnout_s`` extends the intercept window past burnout into the early ascent."""
    from .engagement import compact_tracks

    if isinstance(flights, tuple) and len(flights) == 3:
        tracks, counts, burnout = flights
        counts = np.asarray(counts, dtype=np.int64)
        burnout = np.asarray(burnout, dtype=float)
        if np.ndim(tracks) != 3 or np.shape(tracks)[2] != R.N_TRACK or len(counts) != len(tracks) \
                or len(burnout) != len(tracks):
            raise InputError("flights: give a flight.Flights or (tracks (flight, sample, results.N_TRACK), counts, "
                             "burnout_time_s) of one length")
    elif hasattr(flights, "summary") and hasattr(flights, "burnout_time_s"):
        tracks, counts = compact_tracks(flights)
        burnout = np.asarray(flights.burnout_time_s, dtype=float)
    else:
        raise InputError(f"flights = {type(flights).__name__}: give a flight.Flights (fly with tracks=True) or "
                         "(tracks, counts, burnout_time_s)")
    n_flights = len(counts)
    if n_flights == 0:
        raise InputError("flights: no flight given")
    if int(np.max(counts)) == 0:
        raise InputError("flights: no samples were recorded; fly them with tracks=True (or history=True)")
    times = np.atleast_1d(np.asarray(launch_time_s, dtype=float))
    if times.ndim != 1 or times.size == 0 or not np.isfinite(times).all() or np.abs(times).max() > 1e9:
        raise InputError(f"launch_time_s = {launch_time_s!r}: give one or more finite times (s after the "
                         "constellation's epoch, within 1e9 s)")
    if flight_index is None:
        index = np.zeros(times.size, np.int64) if n_flights == 1 else np.arange(n_flights)
        if n_flights > 1 and times.size == 1:
            times = np.full(n_flights, times[0])
        if index.size != times.size:
            raise InputError(f"launch_time_s: {times.size} times for {n_flights} flights; give one time per flight, "
                             "or flight_index")
    else:
        index = np.atleast_1d(np.asarray(flight_index))
        if index.dtype.kind not in "iu" or index.shape != times.shape or index.min() < 0 or index.max() >= n_flights:
            raise InputError(f"flight_index: give one whole number from 0 to {n_flights - 1} per launch time")
    after = _number("after_burnout_s", after_burnout_s, 0.0, 3_600.0)
    if detection_s is None:
        detection = detection_times(burnout, infrared)
    else:
        detection = np.broadcast_to(np.asarray(detection_s, dtype=float), (n_flights,)) \
            if np.ndim(detection_s) <= 1 and np.size(detection_s) in (1, n_flights) else None
        if detection is None or np.isnan(detection).any() or (detection < 0).any():
            raise InputError(f"detection_s = {detection_s!r}: give one time (s after launch, >= 0; inf: never "
                             f"detected) or one per flight ({n_flights})")
    release = detection + constellation.carrier.release_after_detection_s
    rows = np.zeros((times.size, O.N_LAUNCH))
    rows[:, O.L_FLIGHT] = index
    rows[:, O.L_TIME] = times
    rows[:, O.L_RELEASE] = release[index]
    rows[:, O.L_WINDOW_END] = burnout[index] + after
    return Launches(tracks, counts, rows, burnout[index])


def _kernel_inputs(constellation: Constellation, endgame, track_velocity_error_m_s):
    if not isinstance(constellation, Constellation):
        raise InputError(f"constellation = {constellation!r}: give a constellation.Constellation "
                         "(catalog.constellations.constellation(NAME) makes one)")
    game = endgame_of(constellation, endgame, _number("track_velocity_error_m_s", track_velocity_error_m_s, 0.0,
                                                      1_000.0))
    return constellation.elements(), constellation.carrier.row(game.row()), constellation.earth_row(), game


@dataclass(frozen=True, eq=False)
class SpaceEngagements:
    """Per launch: the satellites that can engage it, their count and the best margin.

    ``summary`` (launch, orbit_reach.N_SUMMARY); ``listed`` (launch, capacity) the first engaging satellites by
    index (-1 past the count) with ``listed_margin_s``; the count itself is exact whatever the capacity.
    """

    constellation: Constellation
    launches: Launches
    summary: np.ndarray
    listed: np.ndarray
    listed_margin_s: np.ndarray
    endgame: Endgame
    horizon_s: float

    def __len__(self) -> int:
        return self.summary.shape[0]

    @property
    def engaging(self) -> np.ndarray:
        """Satellites that can engage each launch."""
        return self.summary[:, O.S_ENGAGING].astype(int)

    @property
    def reaching(self) -> np.ndarray:
        """Satellites that reach some point of each launch's window in time, whatever the endgame."""
        return self.summary[:, O.S_REACHING].astype(int)

    @property
    def best_margin_s(self) -> np.ndarray:
        """Best usable margin over the satellites (s early, +); -inf where none comes within ``horizon_s``."""
        return self.summary[:, O.S_BEST_MARGIN]

    @property
    def best_satellite(self) -> np.ndarray:
        return self.summary[:, O.S_BEST_SATELLITE].astype(int)

    @property
    def earliest_intercept_s(self) -> np.ndarray:
        """Earliest intercept in time over the satellites, s after launch (inf: none)."""
        return self.summary[:, O.S_EARLIEST]

    @property
    def detected(self) -> np.ndarray:
        return self.summary[:, O.S_DETECTED] > 0.0

    def engaging_satellites(self, i: int) -> np.ndarray:
        """The satellites that can engage launch i (at most the list's capacity of them)."""
        row = self.listed[i]
        return row[row >= 0]

    def absentee_ratio(self, mask=None) -> float:
        """Satellites in orbit per satellite in range: the constellation's size over the mean number that can
        engage a launch (over the launches of ``mask``, default all); inf where none ever can."""
        engaging = self.engaging if mask is None else self.engaging[np.asarray(mask)]
        if engaging.size == 0:
            raise InputError("absentee_ratio: no launch selected")
        mean = engaging.mean()
        return math.inf if mean == 0 else len(self.constellation) / mean

    def coverage(self, k: int = 1, mask=None) -> float:
        """Share of the launches (of ``mask``) that at least ``k`` satellites can engage."""
        engaging = self.engaging if mask is None else self.engaging[np.asarray(mask)]
        return float((engaging >= k).mean()) if engaging.size else math.nan

    def by_group(self, labels) -> dict[str, dict]:
        """Per group of launches (``labels``: one name per launch, e.g. its launch area): launches, mean and
        least number of satellites engaging, absentee ratio, share covered and the best margin's median."""
        labels = np.asarray(labels, dtype=object)
        if labels.shape != (len(self),):
            raise InputError(f"labels: give one label per launch ({len(self)})")
        out = {}
        for name in dict.fromkeys(labels.tolist()):
            mask = labels == name
            out[str(name)] = {"launches": int(mask.sum()), "mean_engaging": float(self.engaging[mask].mean()),
                              "least_engaging": int(self.engaging[mask].min()),
                              "absentee_ratio": self.absentee_ratio(mask), "covered": self.coverage(1, mask),
                              "median_best_margin_s": float(np.median(self.best_margin_s[mask]))}
        return out

    def over_time(self, bin_s: float = 3_600.0, labels=None) -> list[dict]:
        """The launches grouped by launch time (bins of ``bin_s`` from the earliest), each bin as
        :meth:`by_group` gives it (one group, or one per label): how the moving constellation covers them."""
        width = _number("bin_s", bin_s, 1.0, 1e8)
        t = self.launches.launch_time_s
        bins = np.floor((t - t.min()) / width).astype(int)
        rows = []
        for b in np.unique(bins):
            mask = bins == b
            sub = {"start_s": float(t.min() + b * width), "launches": int(mask.sum()),
                   "mean_engaging": float(self.engaging[mask].mean()), "absentee_ratio": self.absentee_ratio(mask),
                   "covered": self.coverage(1, mask)}
            if labels is not None:
                named = np.asarray(labels, dtype=object)
                sub["groups"] = {str(name): float(self.engaging[mask & (named == name)].mean())
                                 for name in dict.fromkeys(named[mask].tolist())}
            rows.append(sub)
        return rows

    def explain(self, i: int) -> str:
        """Launch i in words: how many satellites can engage it, its best margin and earliest intercept."""
        if isinstance(i, bool) or not isinstance(i, (int, np.integer)) or not 0 <= i < len(self):
            raise InputError(f"launch index i = {i!r} is not one of these {len(self)} launches")
        n = len(self.constellation)
        where = f"launch {i} at {self.launches.launch_time_s[i]:,.0f} s after the epoch"
        if not self.detected[i]:
            return f"{where}: never detected before burnout; no satellite is released"
        engaging = self.engaging[i]
        best = self.best_margin_s[i]
        if engaging == 0:
            late = (f"the best comes {-best:.0f} s too late (satellite {self.best_satellite[i]})"
                    if best > -math.inf else f"none comes within {self.horizon_s:g} s of in time")
            return f"{where}: no satellite of {n:,} can engage it; {late}"
        return (f"{where}: {engaging} of {n:,} satellites can engage it (absentee ratio {n / engaging:,.0f}); best "
                f"margin {best:.0f} s (satellite {self.best_satellite[i]}), earliest intercept "
                f"{self.earliest_intercept_s[i]:.0f} s after launch")

    def stated(self) -> dict:
        """The assumptions every output states: the constellation, its carrier, the endgame and the horizon."""
        c = self.constellation.carrier
        return {"constellation": repr(self.constellation), "satellites": len(self.constellation),
                "delta_v_km_s": c.delta_v_m_s / 1e3, "burn_time_s": c.burn_time_s,
                "decision_delay_s": c.decision_delay_s, "launch_delay_s": c.launch_delay_s,
                "min_intercept_altitude_km": c.min_intercept_altitude_m / 1e3, **self.endgame.stated(),
                "horizon_s": self.horizon_s, "sources": list(self.constellation.sources)}


def engage_from_orbit(flights, constellation: Constellation, launch_time_s, *, flight_index=None, detection_s=None,
                      infrared=DEFAULT_INFRARED, after_burnout_s: float = 0.0, endgame="kinematic",
                      track_velocity_error_m_s: float = DEFAULT_TRACK_VELOCITY_ERROR_M_S,
                      horizon_s: float = DEFAULT_HORIZON_S, listed: int = DEFAULT_LISTED,
                      device: str = "cpu") -> SpaceEngagements:
    """Which satellites of ``constellation`` can engage each launch in its boost (and early ascent).

    Parameters
    ----------
    flights: threat flights (``flight.Flights``, best flown with ``tracks=True``), or compact tracks as
        ``(tracks, counts, burnout_time_s)``; see :func:`launches`.
    constellation: a :class:`~shieldcheck.constellation.Constellation`.
    launch_time_s: launch times after the constellation's epoch (s), one per launch.

    Other options (keyword-only): ``flight_index`` (the flight each launch flies), ``detection_s``,
    ``infrared``, ``after_burnout_s`` (see :func:`launches`), ``endgame`` (``kinematic``, ``none`` or an
    ``endgame.Endgame``), ``track_velocity_error_m_s`` (the space layer's track error the divert removes),
    ``horizon_s`` (best margins exact down to this lateness), ``listed`` (engaging satellites kept per
    launch), ``device`` (``cpu``, ``gpu``).

    Returns :class:`SpaceEngagements`. Raises :class:`~shieldcheck.errors.InputError` on bad input.
    """
    engine.device_checked(device)
    elements, carrier, earth, game = _kernel_inputs(constellation, endgame, track_velocity_error_m_s)
    rows = launches(flights, constellation, launch_time_s, flight_index=flight_index, detection_s=detection_s,
                    infrared=infrared, after_burnout_s=after_burnout_s)
    horizon = _number("horizon_s", horizon_s, 0.0, 3_600.0)
    capacity = _whole("listed", listed, 1, 100_000)
    n = len(rows)
    summary = np.zeros((n, O.N_SUMMARY))
    chosen = np.zeros((n, capacity))
    chosen_margin = np.zeros((n, capacity))
    if device == "gpu":
        from .engine import orbit_reach_cuda

        batch = orbit_reach_cuda.launch_batch
    else:
        batch = O.launch_batch
        rows = Launches(np.ascontiguousarray(rows.tracks), rows.counts, rows.rows, rows.burnout_time_s)
    batch(rows.tracks, rows.counts, rows.rows, elements, carrier, earth, horizon, summary, chosen, chosen_margin)
    return SpaceEngagements(constellation, rows, summary, chosen.astype(np.int64), chosen_margin, game, horizon)


@dataclass(frozen=True, eq=False)
class SpacePairs:
    """Every (launch, satellite) pair: ``values`` (launch, satellite, orbit_reach.N_PAIR)."""

    constellation: Constellation
    launches: Launches
    values: np.ndarray
    endgame: Endgame

    @property
    def verdict(self) -> np.ndarray:
        return self.values[..., O.P_VERDICT].astype(int)

    @property
    def margin_s(self) -> np.ndarray:
        return self.values[..., O.P_MARGIN]

    @property
    def usable_margin_s(self) -> np.ndarray:
        return self.values[..., O.P_USABLE]

    def column(self, index: int) -> np.ndarray:
        return self.values[..., index]

    def explain(self, i: int, k: int) -> str:
        """Launch i against satellite k in words: the verdict, its margin and what decided it."""
        v = self.values[i, k]
        verdict = Verdict(int(v[O.P_VERDICT]))
        text = f"launch {i}, satellite {k}: {verdict.explain(v[O.P_MARGIN], v[O.P_USABLE])}"
        if verdict == Verdict.FEASIBLE:
            text += (f" (earliest at {v[O.P_EARLIEST]:.0f} s after launch, {v[O.P_ALTITUDE] / 1e3:,.0f} km up, after a "
                     f"{v[O.P_FLY_OUT]:.0f} s fly-out over {v[O.P_DISTANCE] / 1e3:,.0f} km; closing "
                     f"{v[O.P_CLOSING] / 1e3:.1f} km/s, crossing {v[O.P_CROSSING]:.0f} deg)")
        elif verdict == Verdict.ENDGAME_INFEASIBLE and self.endgame.on:
            text += f" ({explain_endgame(int(v[O.P_REASON]), v[O.P_REASON_VALUE], self.endgame)})"
        return text


def pair_results(flights, constellation: Constellation, launch_time_s, *, flight_index=None, detection_s=None,
                 infrared=DEFAULT_INFRARED, after_burnout_s: float = 0.0, endgame="kinematic",
                 track_velocity_error_m_s: float = DEFAULT_TRACK_VELOCITY_ERROR_M_S, device: str = "cpu",
                 max_pairs: int = 50_000_000) -> SpacePairs:
    """Every (launch, satellite) pair's verdict and numbers, with no pruning (options as
    :func:`engage_from_orbit`); for small cases: at most ``max_pairs`` pairs."""
    engine.device_checked(device)
    elements, carrier, earth, game = _kernel_inputs(constellation, endgame, track_velocity_error_m_s)
    rows = launches(flights, constellation, launch_time_s, flight_index=flight_index, detection_s=detection_s,
                    infrared=infrared, after_burnout_s=after_burnout_s)
    pairs = len(rows) * len(constellation)
    if pairs > _whole("max_pairs", max_pairs, 1, 10**10):
        raise InputError(f"{len(rows):,} launches x {len(constellation):,} satellites = {pairs:,} pairs, more than "
                         f"max_pairs = {max_pairs:,}: use engage_from_orbit (per-launch summaries) for large cases")
    out = np.zeros((len(rows), len(constellation), O.N_PAIR))
    if device == "gpu":
        from .engine import orbit_reach_cuda

        batch = orbit_reach_cuda.pair_batch
    else:
        batch = O.pair_batch
    batch(np.ascontiguousarray(rows.tracks) if device == "cpu" else rows.tracks, rows.counts, rows.rows, elements,
          carrier, earth, out)
    return SpacePairs(constellation, rows, out, game)


def reference_pairs(flights, constellation: Constellation, launch_time_s, *, flight_index=None, detection_s=None,
                    infrared=DEFAULT_INFRARED, after_burnout_s: float = 0.0, endgame="kinematic",
                    track_velocity_error_m_s: float = DEFAULT_TRACK_VELOCITY_ERROR_M_S,
                    satellites=None) -> np.ndarray:
    """:func:`pair_results`' values written as a plain loop: Python over (launch, satellite) pairs, NumPy over a
    track's samples, the orbits by :meth:`Constellation.states_eci`. The reference the tests and the
    benchmark hold the kernel to (``satellites``: only these, default all). Returns (launch, satellite, N_PAIR)."""
    from .earth import ecef_from_geodetic

    elements, carrier, earth, game = _kernel_inputs(constellation, endgame, track_velocity_error_m_s)
    rows = launches(flights, constellation, launch_time_s, flight_index=flight_index, detection_s=detection_s,
                    infrared=infrared, after_burnout_s=after_burnout_s)
    tracks = np.asarray(rows.tracks)
    model = constellation.earth
    omega = model.rotation_rate_rad_s
    chosen = np.arange(len(constellation)) if satellites is None else np.asarray(satellites)
    out = np.zeros((len(rows), len(chosen), O.N_PAIR))
    row = game.row()
    kv_on = row[R.G_ON] > 0.0
    dv, burn = constellation.carrier.delta_v_m_s, constellation.carrier.burn_time_s
    for i in range(len(rows)):
        f = rows.flight_index[i]
        release, window_end, t0 = rows.rows[i, O.L_RELEASE], rows.rows[i, O.L_WINDOW_END], rows.rows[i, O.L_TIME]
        if not math.isfinite(release):
            out[i, :] = [Verdict.NEVER_DETECTED, -np.inf, 0, 0, np.inf, 0, 0, 0, 0, 0, 0, -np.inf]
            continue
        if release >= window_end:
            out[i, :] = [Verdict.TOO_LATE, window_end - release, 0, 0, np.inf, 0, 0, 0, 0, 0, 0, window_end - release]
            continue
        track = tracks[f, :int(rows.counts[f])]
        t = track[:, R.T_TIME]
        floor = constellation.carrier.min_intercept_altitude_m
        keep = (t > release) & (t <= window_end) & (track[:, R.T_HEIGHT] >= floor)
        track, t = track[keep], t[keep]
        normal = track[:, R.T_NORMAL:R.T_NORMAL + 3]
        latitude = np.arctan2(normal[:, 2], np.hypot(normal[:, 0], normal[:, 1]))
        longitude = np.arctan2(normal[:, 1], normal[:, 0])
        ecef = ecef_from_geodetic(latitude, longitude, track[:, R.T_HEIGHT], model)
        theta = omega * (t0 + t)
        c, s = np.cos(theta), np.sin(theta)
        position = np.stack([c * ecef[:, 0] - s * ecef[:, 1], s * ecef[:, 0] + c * ecef[:, 1], ecef[:, 2]], axis=1)
        w = track[:, R.T_VELOCITY:R.T_VELOCITY + 3]
        relative = np.stack([c * w[:, 0] - s * w[:, 1], s * w[:, 0] + c * w[:, 1], w[:, 2]], axis=1)
        spin = omega * np.stack([-position[:, 1], position[:, 0], np.zeros(len(t))], axis=1)
        inertial = relative + spin
        states = constellation.states_eci(t0 + t) if len(t) else None
        for j, k in enumerate(chosen):
            if len(t) == 0:
                verdict = R.verdict_of(True, False, -math.inf, -math.inf, True)
                out[i, j] = [verdict, -np.inf, 0, 0, np.inf, 0, 0, 0, 0, 0, 0, -np.inf]
                continue
            d = position - states[k, :, :3]
            distance = np.linalg.norm(d, axis=1)
            fly_out = np.where(distance <= 0.5 * dv * burn, np.sqrt(2.0 * distance * burn / dv),
                               distance / dv + 0.5 * burn)
            slack = (t - release) - fly_out
            speed = dv * np.minimum(fly_out / burn, 1.0)
            direction = np.where(distance[:, None] > 0, d / np.where(distance > 0, distance, 1.0)[:, None], 0.0)
            kill = states[k, :, 3:] + speed[:, None] * direction
            closing = np.linalg.norm(inertial - kill, axis=1)
            kill_relative = kill - spin
            norms = np.linalg.norm(kill_relative, axis=1) * np.linalg.norm(relative, axis=1)
            dot = -np.sum(kill_relative * relative, axis=1)
            cos_crossing = np.clip(np.where(norms > 0, dot / np.where(norms > 0, norms, 1.0), 1.0), -1.0, 1.0)
            crossing = np.degrees(np.arccos(cos_crossing))
            reason = np.zeros(len(t), int)
            value = np.zeros(len(t))
            if kv_on:
                divert = row[R.G_VELOCITY_ERROR] * fly_out / row[R.G_TIME_TO_GO]
                for code, failed, amount in ((R.REASON_DIVERT, divert > row[R.G_DIVERT], divert),
                                             (R.REASON_CLOSING_FAST, closing > row[R.G_MAX_CLOSING], closing),
                                             (R.REASON_CLOSING_SLOW, closing < row[R.G_MIN_CLOSING], closing),
                                             (R.REASON_CROSSING, cos_crossing < row[R.G_COS_MAX_CROSSING], crossing)):
                    reason = np.where(failed, code, reason)  # the first failed limit in check order wins: last written
                    value = np.where(failed, amount, value)
            best_reached = slack.max()
            first_best = int(np.argmax(slack))
            usable = reason == R.REASON_NONE
            best_usable = slack[usable].max() if usable.any() else -math.inf
            verdict = R.verdict_of(True, True, best_reached, best_usable, True)
            in_time = np.flatnonzero(usable & (slack >= 0.0))
            e = in_time[0] if in_time.size else None
            if verdict in (R.VERDICT_FEASIBLE, R.VERDICT_TOO_LATE):
                margin, why, why_value = best_usable, 0, 0.0
            else:
                margin, why, why_value = best_reached, reason[first_best], value[first_best]
            out[i, j] = [verdict, margin, why, why_value, t[e] if e is not None else np.inf,
                         track[e, R.T_HEIGHT] if e is not None else 0.0, fly_out[e] if e is not None else 0.0,
                         distance[e] if e is not None else 0.0, closing[e] if e is not None else 0.0,
                         crossing[e] if e is not None else 0.0, 1.0 if best_reached >= 0 else 0.0, best_usable]
    return out


# --- how the coverage scales ---------------------------------------------------------------------------------
WALKER_PARAMETERS = ("altitude_m", "inclination_deg")
CARRIER_PARAMETERS = ("delta_v_m_s", "burn_time_s", "decision_delay_s", "launch_delay_s", "min_intercept_altitude_m")


def varied(constellation: Constellation, parameter: str, value: float) -> Constellation:
    """``constellation`` with one orbit parameter of its Walker pattern (``WALKER_PARAMETERS``) or one carrier
    parameter (``CARRIER_PARAMETERS``) set to ``value`` (SI units, as the records name them)."""
    import dataclasses


    if parameter in WALKER_PARAMETERS:
        if constellation.walker is None:
            raise InputError(f"constellation {constellation.name!r} is a list of orbits: only its carrier can be "
                             "varied")
        pattern = dataclasses.replace(constellation.walker, **{parameter: value})
        return Constellation.of_walker(constellation.name, pattern, constellation.carrier,
                                       sources=constellation.sources, earth=constellation.earth.name)
    if parameter in CARRIER_PARAMETERS:
        return constellation.with_carrier(dataclasses.replace(constellation.carrier, **{parameter: value}))
    allowed = WALKER_PARAMETERS + CARRIER_PARAMETERS
    raise limits.not_allowed("parameter", parameter, allowed)


def absentee_ratio_versus(flights, constellation: Constellation, launch_time_s, parameter: str, values,
                          **options) -> list[dict]:
    """The absentee ratio, mean satellites engaging and share of launches covered as one parameter of the
    constellation or its carrier takes each of ``values`` (see :func:`varied`), the launches those of
    :func:`engage_from_orbit` (``options`` go to it). The boost time is varied by the flights given (a solid and
    a liquid missile), the salvo size by :func:`satellites_needed`."""
    rows = []
    for value in values:
        result = engage_from_orbit(flights, varied(constellation, parameter, value), launch_time_s, **options)
        rows.append({"parameter": parameter, "value": float(value), "satellites": len(result.constellation),
                     "absentee_ratio": result.absentee_ratio(), "mean_engaging": float(result.engaging.mean()),
                     "covered": result.coverage()})
    return rows


# --- salvos -------------------------------------------------------------------------------------------------
def salvo_engaged(engagements: SpaceEngagements, salvo) -> int:
    """How many of the launches ``salvo`` (indices into ``engagements``, launched together) the constellation
    can engage with one interceptor per satellite, each satellite engaging at most one missile: a maximum
    bipartite matching between missiles and the satellites that can engage them
    (``scipy.optimize.linear_sum_assignment`` on the 0/1 costs).

    The per-launch lists hold at most their capacity of satellites; a launch with at least as many
    satellites listed as the salvo has missiles can always be matched, so the matching is exact while the
    capacity is at least the salvo's size (checked)."""
    from scipy.optimize import linear_sum_assignment

    index = np.atleast_1d(np.asarray(salvo))
    if index.dtype.kind not in "iu" or index.size == 0 or index.min() < 0 or index.max() >= len(engagements):
        raise InputError(f"salvo = {salvo!r}: give the indices of one or more launches (0 to {len(engagements) - 1})")
    capacity = engagements.listed.shape[1]
    if capacity < index.size and (engagements.engaging[index] > capacity).any():
        raise InputError(f"salvo of {index.size} launches: the engaging lists hold {capacity} satellites; engage with "
                         f"listed >= {index.size} for an exact matching")
    candidates = [engagements.engaging_satellites(i) for i in index]
    satellites = np.unique(np.concatenate(candidates)) if any(len(c) for c in candidates) else np.zeros(0, int)
    if satellites.size == 0:
        return 0
    column = {k: j for j, k in enumerate(satellites.tolist())}
    cost = np.ones((index.size, satellites.size))
    for m, c in enumerate(candidates):
        cost[m, [column[k] for k in c.tolist()]] = 0.0
    rows, cols = linear_sum_assignment(cost)
    return int((cost[rows, cols] == 0.0).sum())


@dataclass(frozen=True)
class Sizing:
    """Satellites needed for a salvo: per constellation size tried, the share of trials in which every missile
    was engaged and the mean number engaged; ``needed`` the smallest size reaching ``probability`` (None: none
    of those tried)."""

    salvo_size: int
    probability: float
    trials: int
    sizes: tuple[int, ...]  # satellites of each pattern tried (the Walker pattern nearest each size asked)
    all_engaged: tuple[float, ...]
    mean_engaged: tuple[float, ...]
    needed: int | None
    seed: int

    def as_dict(self) -> dict:
        return {"salvo_size": self.salvo_size, "probability": self.probability, "trials": self.trials,
                "sizes": list(self.sizes), "all_engaged": list(self.all_engaged),
                "mean_engaged": list(self.mean_engaged), "needed": self.needed, "seed": self.seed}


def satellites_needed(flights, constellation: Constellation, salvo_size: int, *, probability: float = 0.9,
                      sizes=DEFAULT_SIZES, trials: int = 200, seed: int = 0, span_s: float = DAY_S,
                      device: str = "cpu", **options) -> Sizing:
    """The smallest constellation of ``constellation``'s Walker family (:meth:`Constellation.resized`) that
    engages every missile of a salvo of ``salvo_size`` with at least ``probability``.

    Each trial launches ``salvo_size`` of ``flights`` together (drawn without replacement where there are
    enough, else with) at one launch time drawn uniformly over ``span_s`` after the epoch (over a day the
    Earth turns once under the planes and each satellite circles it about 15 times, so the trials sample the
    constellation's phase); the number engaged is :func:`salvo_engaged`. Draws come from
    ``numpy.random.default_rng(seed)`` and are the same for every size. ``options`` go to
    :func:`engage_from_orbit` (``detection_s``, ``after_burnout_s``, ``endgame``, ...).
    """
    from .launch_areas import check_seed

    k = _whole("salvo_size", salvo_size, 1, 10_000)
    target = _number("probability", probability, 0.0, 1.0)
    n_trials = _whole("trials", trials, 1, 1_000_000)
    span = _number("span_s", span_s, 1.0, 1e8)
    rng = np.random.default_rng(check_seed(seed))
    sizes = [_whole("sizes", int(s) if isinstance(s, (int, np.integer)) else s, 1, 10**6) for s in sizes]
    if not sizes:
        raise InputError("sizes: give at least one constellation size")
    n_flights = len(flights.summary) if hasattr(flights, "summary") else len(flights[1])
    times = rng.uniform(0.0, span, n_trials)
    picks = np.stack([rng.choice(n_flights, k, replace=n_flights < k) for _ in range(n_trials)])
    launch_time = np.repeat(times, k)
    listed = max(k, DEFAULT_LISTED)
    tried, share, mean = [], [], []
    for size in sizes:
        family = constellation.resized(size)
        result = engage_from_orbit(flights, family, launch_time, flight_index=picks.ravel(), listed=listed,
                                   device=device, **options)
        engaged = np.array([salvo_engaged(result, np.arange(j * k, (j + 1) * k)) for j in range(n_trials)])
        tried.append(len(family))
        share.append(float((engaged == k).mean()))
        mean.append(float(engaged.mean()))
    needed = next((n for n, p in zip(tried, share) if p >= target), None)
    return Sizing(k, target, n_trials, tuple(tried), tuple(share), tuple(mean), needed, int(seed))
