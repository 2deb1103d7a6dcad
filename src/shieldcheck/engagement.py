"""Engagement: can an interceptor from a site, cued by a sensor, reach a threat in time, and why not.

For one threat flight (sampled track) and one interceptor site:

1. the cue: ``delay:SECONDS`` (launch SECONDS after the threat's launch, the bounding setting of
   the published analyses), ``own`` (the track time of the site's own radar), ``remote``
   (launch-on-remote: the earliest track of any listed sensor) or ``engage-remote``
   (engage-on-remote: the same cue, and a listed radar must track the threat at the intercept);
2. the interceptor's launch time: the cue plus ``launch_delay_s`` (decision time);
3. every sampled threat position after that launch, before impact and inside the interceptor's
   altitude band, is compared with the interceptor's reach envelope (``reach.py``): the
   interceptor can meet the threat there if its earliest arrival is no later than the threat;
   the point is *usable* when, besides, the kill vehicle's endgame holds there (``endgame.py``:
   operational range, track at intercept, crossing angle, closing speed, divert; off with the
   ``none`` endgame model);
4. the verdict is the first of these reasons that applies, with the number that decided it
   (one rule, ``engine.results.verdict_of``, which the compiled kernel reads too):
   ``never_detected``, ``out_of_altitude_band``, ``out_of_range``; then, where a usable point is
   reached in time, ``feasible`` or ``beyond_sector`` (in time only where the site may not
   intercept: outside its sector, when it has one); where none is, ``endgame_infeasible`` when the
   endgame removed the points reached in time (or every point reached: none usable), naming the
   limit the best of them fails with its value and how late the interceptor is at the best usable
   point, and ``too_late`` only when every point reached, usable or not, is late: an earlier cue
   helps there, and not where the endgame decided. ``margin_s`` is how many seconds early (+) or
   late (-) the interceptor is at its best usable point (for ``endgame_infeasible``, at the best
   point reached, and ``usable_margin_s`` at the best usable one).

Every point is placed in a phase of the threat's flight (``engine.results.phase_of``): ``boost`` up
to its burnout, ``ascent`` (post-boost) up to its apogee, ``midcourse`` after the apogee at or above
the interceptor's lowest intercept altitude, ``terminal`` below it. The tracks start at the threat's
launch, so every phase is there to engage; ``flight_phase`` restricts the intercepts to one phase
(``any``, the default, to none), and a feasible result names the phase of its earliest intercept
and the phases its window spans.

Shot opportunities follow a stated shoot-look-shoot doctrine (:func:`shot_opportunities`): the first
shot is launched at the cue plus the launch delay and meets the threat at the window's earliest
point; each further shot is launched only once the outcome of the one before is seen, a *look*
(``shoot_look_shoot_s``: kill assessment and commit) after that shot's intercept, and counts only if
it too arrives in time at a point of the window (usable, inside the altitude band and the sector).
This module evaluates one pair at a time in NumPy: it is the readable reference (and the naive
baseline) for the compiled batch evaluation.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np
import pyproj

from . import earth as earth_mod
from . import engine, limits, reach
from .engine import pack as P
from .engine import results as R
from .endgame import DEFAULT_ENDGAME, ENDGAME_MODELS, NO_ENDGAME, Endgame, Reason, check_point, explain, for_interceptor
from .errors import InputError
from .sensors import InfraredWarning, Radar, Visibility, coverage, sensor_rows, visibility
from .vehicles import Interceptor
from .verdicts import Verdict  # re-exported: the verdicts' one table is verdicts.py


@dataclass(frozen=True)
class SectorMask:
    """Where a site may intercept: a latitude-longitude raster of its sector (1 inside), cells of
    ``step_deg`` from (-90, -180); the compiled evaluation reads the same cells."""

    name: str
    mask: np.ndarray
    step_deg: float

    @classmethod
    def of(cls, sector, step_deg: float = 0.1) -> SectorMask:
        """The raster of a :class:`shieldcheck.geography.Sector`."""
        from . import geography

        return cls(sector.name, geography.raster(sector.geometry, step_deg), step_deg)

    def contains(self, latitude_deg, longitude_deg) -> np.ndarray:
        """True where the sub-point (degrees) lies in the sector's cells."""
        rows, columns = self.mask.shape
        i = np.clip(((np.asarray(latitude_deg, float) + 90.0) / self.step_deg).astype(int), 0, rows - 1)
        j = ((np.asarray(longitude_deg, float) + 180.0) / self.step_deg).astype(int) % columns
        return self.mask[i, j] != 0


#: The cueing rules, as a choice error lists them
CUEING_RULES = ("own", "remote (launch-on-remote)", "engage-remote (engage-on-remote)", "delay:SECONDS")
ALLOWED_CUEING = ", ".join(CUEING_RULES)
#: The threat's flight phases an engagement may be restricted to, and their kernel codes (``results.PHASE_*``)
FLIGHT_PHASES = {name: code for code, name in enumerate(R.FLIGHT_PHASES)}
PHASE_NAMES = dict(enumerate(R.FLIGHT_PHASES))


def flight_phase_code(name: str, field: str = "flight_phase") -> int:
    """The kernel code of a flight phase's name; one line naming ``field``, the value and the allowed names
    otherwise."""
    return FLIGHT_PHASES[limits.choose(field, name, FLIGHT_PHASES)]


def phases_of(time_s, altitude_m, burnout_time_s: float, apogee_time_s: float, floor_m: float) -> np.ndarray:
    """The flight phase (``results.PHASE_*``) of every sample of a track: ``results.phase_of`` per sample."""
    return np.array([R.phase_of(float(t), float(h), burnout_time_s, apogee_time_s, floor_m)
                     for t, h in zip(np.asarray(time_s, float), np.asarray(altitude_m, float))], dtype=int)


def phase_names(bits: int) -> list[str]:
    """The phases of a bit set (bit ``results.PHASE_*`` of each), in flight order."""
    return [PHASE_NAMES[c] for c in sorted(PHASE_NAMES) if c != R.PHASE_ANY and int(bits) >> c & 1]


@dataclass(frozen=True)
class Cueing:
    """When the interceptor may launch: ``own``, ``remote``, ``engage-remote`` or ``delay`` (with
    ``delay_s``)."""

    rule: str
    delay_s: float = 0.0

    @classmethod
    def parse(cls, text: str) -> Cueing:
        names = ("own", "remote", "engage-remote", "delay")
        if not isinstance(text, str):
            raise limits.not_allowed("cueing", text, CUEING_RULES, suggest=names)
        if text in ("own", "remote", "engage-remote"):
            return cls(text)
        if text.startswith("delay:"):
            given = text.split(":", 1)[1]
            try:
                value = float(given)
            except ValueError:
                value = given  # not a number: refused as such
            return cls("delay", limits.check("cue_delay_s", value, f"cueing {limits.shown(text)}: delay"))
        raise limits.not_allowed("cueing", text, CUEING_RULES, suggest=names)

    @property
    def remote(self) -> bool:
        """Cued by remote sensors (launch- or engage-on-remote)."""
        return self.rule in ("remote", "engage-remote")

    def guides(self, sensors=(), own_radar=None) -> tuple:
        """The radars that must track the threat at the intercept: the site's own radar for ``own``, the
        cue sensors for ``engage-remote``, none for launch-on-remote and a delay."""
        if self.rule == "own":
            return (own_radar,) if own_radar is not None else ()
        return tuple(sensors) if self.rule == "engage-remote" else ()


DEFAULT_SHOOT_LOOK_SHOOT_S = 60.0  # the look when none is stated (scenarios state theirs: MODEL, estimate)
SHOT_DOCTRINE = ("shoot-look-shoot: shot 1 meets the threat at the window's earliest point; each further shot is "
                 "launched shoot_look_shoot_s after the previous shot's intercept (kill assessment and commit) and "
                 "counts only if it too arrives in time at a usable point of the window (altitude band, endgame, "
                 "sector)")


def shot_opportunities(time_s, slack_s, allowed, launch_s: float, look_s: float) -> int:
    """Shots one site can take at one threat under shoot-look-shoot.

    ``time_s``: the threat's samples (s after its launch, increasing); ``slack_s``: how early an
    interceptor launched at ``launch_s`` can be at each (s; -inf where it cannot reach it);
    ``allowed``: the samples where an intercept would count (usable, in the sector). Shot 1 is the
    first allowed sample with slack >= 0 (the window's earliest point, t_1). Shot k+1 is launched at
    t_k + ``look_s`` (the look: kill assessment of shot k and commit), so it reaches a sample only if
    slack >= t_k + look_s - launch_s there (the same fly-out, a later launch); t_{k+1} is the earliest
    such allowed sample. Taking the earliest intercept each time leaves the most time for the next, so
    this count is the most shots the window allows. 0 where no shot arrives in time."""
    shots, need = 0, 0.0
    for t, slack, ok in zip(np.asarray(time_s, float), np.asarray(slack_s, float), np.asarray(allowed, bool)):
        if ok and slack >= need:
            shots += 1
            need = t + look_s - launch_s
    return shots


@dataclass(frozen=True)
class Engagement:
    """The verdict for one pair, the number that decided it, and what it assumed."""

    verdict: Verdict
    margin_s: float
    interceptor_launch_s: float | None
    window: dict | None  # earliest_s, latest_s, min_altitude_km, max_altitude_km
    shots: int
    intercept_point: dict | None  # lat_deg, lon_deg, altitude_km, time_s
    detection: dict | None  # first_s, track_s, sensors: [{sensor, first_s, track_s, gaps_s, never}]
    assumptions: dict = field(default_factory=dict)
    detail: str | None = None  # why, where the verdict alone does not say (e.g. what each sensor missed)
    usable_margin_s: float | None = None  # endgame_infeasible: slack at the best usable point (None: none usable)

    @property
    def message(self) -> str:
        usable = -math.inf if self.usable_margin_s is None else self.usable_margin_s
        text = self.verdict.explain(self.margin_s, usable)
        text = f"{text} ({self.detail})" if self.detail else text
        return restricted(text, self.assumptions.get("flight_phase", "any"))


def restricted(message: str, flight_phase: str) -> str:
    """A verdict's message, saying which phase of the threat's flight the intercepts were restricted to."""
    return message if flight_phase == "any" else f"{message} [intercepts restricted to the {flight_phase} phase]"


def endgame_detail(reason: int, value: float, endgame: Endgame, reached_margin_s: float) -> str:
    """What decided endgame_infeasible: the limit the best point reached fails, with its value, and that
    point's slack."""
    return f"{explain(reason, value, endgame)}; at the best point reached {reached_margin_s:+.0f} s against the threat"


def endgame_of(endgame: Endgame | str, interceptor: Interceptor) -> Endgame:
    """An :class:`Endgame` as given, or the interceptor's under a model's name (``endgame.ENDGAME_MODELS``):
    ``kinematic`` its catalog kill vehicle (reach only where the catalog has none, or does not list the
    interceptor; ``stated()`` says which), ``none`` reach only."""
    if isinstance(endgame, Endgame):
        return endgame
    if not isinstance(endgame, str) or endgame not in ENDGAME_MODELS:
        raise limits.not_allowed("endgame", endgame, [*ENDGAME_MODELS, "an endgame.Endgame"], suggest=ENDGAME_MODELS)
    if endgame == "none":
        return NO_ENDGAME
    from . import catalog

    cat = catalog.load()
    if interceptor.vehicle.name not in cat.interceptors:
        return NO_ENDGAME
    return for_interceptor(interceptor.vehicle.name, endgame, cat=cat)


def engage(track: dict, interceptor: Interceptor, site: earth_mod.Site, *, cueing: Cueing,
           sensors: tuple[Radar | InfraredWarning, ...] = (), own_radar: Radar | None = None,
           launch_delay_s: float = 0.0, shoot_look_shoot_s: float = DEFAULT_SHOOT_LOOK_SHOOT_S, rcs_m2: float = 0.1,
           burnout_time_s: float = 0.0, sector: SectorMask | None = None, endgame: Endgame | str = DEFAULT_ENDGAME,
           earth: str = earth_mod.DEFAULT_EARTH, atmosphere: str = "ussa1976", apogee_time_s: float | None = None,
           flight_phase: str = "any") -> Engagement:
    """Evaluate one threat track against one interceptor site.

    ``track`` is ``Flights.trajectory_of(i)``: time_s, latitude_deg, longitude_deg, altitude_m,
    position_ecef_m, velocity_ecef_m_s, sampled from the threat's launch to its impact;
    ``burnout_time_s`` is the threat's burnout (when infrared warning loses it, and where its boost
    phase ends) and ``apogee_time_s`` its apogee (``Flights.apogee_time_s``; the track's highest sample
    where not given); ``flight_phase`` (:data:`FLIGHT_PHASES`) restricts the intercepts to one phase of
    the threat's flight; ``sector``, when given, is where the site may intercept; ``endgame`` the kill
    vehicle's model and limits, or a model's name (:func:`endgame_of`; by default ``kinematic``, the catalog
    kill vehicle, as ``shieldcheck engage``; ``"none"`` or ``endgame.NO_ENDGAME``: reach only); ``shoot_look_shoot_s`` the look
    from one shot's intercept to the next shot's launch (:func:`shot_opportunities`).
    """
    endgame = endgame_of(endgame, interceptor)
    model = earth_mod.earth_model(earth)
    t = np.asarray(track["time_s"], float)
    flight_phase_code(flight_phase)
    if apogee_time_s is None:
        apogee_time_s = float(t[np.argmax(track["altitude_m"])])
    assumptions = {"cueing": cueing.rule if cueing.rule != "delay" else f"delay:{cueing.delay_s:g}",
                   "launch_delay_s": launch_delay_s, "shoot_look_shoot_s": shoot_look_shoot_s, "rcs_m2": rcs_m2,
                   "min_intercept_altitude_km": interceptor.min_intercept_altitude_m / 1e3,
                   "max_intercept_altitude_km": interceptor.max_intercept_altitude_m / 1e3,
                   "earth": model.name, "atmosphere": atmosphere, "track_sample_s": float(np.median(np.diff(t))),
                   "flight_phase": flight_phase,
                   **endgame.stated()}
    detection = None
    if cueing.rule == "delay":
        cue_s = cueing.delay_s
    else:
        radars = (own_radar,) if cueing.rule == "own" else sensors
        if cueing.rule == "own" and own_radar is None:
            raise InputError(f"cueing 'own' needs a radar at the interceptor site {site.name!r}")
        if cueing.remote and not sensors:
            raise InputError(f"cueing {cueing.rule!r} needs at least one sensor")
        covers = [r.coverage(burnout_time_s) if isinstance(r, InfraredWarning)
                  else coverage(r, t, track["position_ecef_m"], rcs_m2, model) for r in radars]
        tracks = [c.track_s for c in covers if c.track_s is not None]
        firsts = [c.first_detection_s for c in covers if c.first_detection_s is not None]
        per_sensor = [{"sensor": r.name, "first_s": c.first_detection_s, "track_s": c.track_s,
                       "gaps_s": [list(g) for g in c.gaps_s], "never": c.reason_never} for r, c in zip(radars, covers)]
        if not tracks:
            detection = {"first_s": min(firsts) if firsts else None, "track_s": None, "sensors": per_sensor}
            detail = "; ".join(f"{r.name}: {c.reason_never or 'seen, but not long enough to establish a track'}"
                               for r, c in zip(radars, covers))
            return Engagement(Verdict(R.verdict_of(False, False, -math.inf, -math.inf, False)), 0.0, None, None, 0, None,
                              detection, assumptions, detail)
        cue_s = min(tracks)
        detection = {"first_s": min(firsts), "track_s": cue_s, "sensors": per_sensor}
    launch_s = cue_s + launch_delay_s
    samples = sample_by_sample(track, interceptor, site, launch_s, endgame=endgame,
                               guides=cueing.guides(sensors, own_radar), rcs_m2=rcs_m2,
                               earth=earth, atmosphere=atmosphere, burnout_time_s=burnout_time_s,
                               apogee_time_s=apogee_time_s, flight_phase=flight_phase)
    if not samples["candidate"].any():
        return Engagement(Verdict(R.verdict_of(True, False, -math.inf, -math.inf, False)), 0.0, launch_s, None, 0,
                          None, detection, assumptions)
    reachable = samples["reachable"]
    if not reachable.any():
        return Engagement(Verdict(R.verdict_of(True, True, -math.inf, -math.inf, False)), 0.0, launch_s, None, 0,
                          None, detection, assumptions)
    reached = np.where(reachable, samples["slack_s"], -np.inf)
    usable = reachable & (samples["reason"] == Reason.NONE)
    slack = np.where(usable, reached, -np.inf)
    margin = float(slack.max())
    allowed = usable  # where an intercept would count: usable, and inside the sector when the site has one
    if sector is not None:
        assumptions["sector"] = sector.name
        allowed = usable & sector.contains(track["latitude_deg"], track["longitude_deg"])
    feasible = allowed & (slack >= 0.0)
    verdict = Verdict(R.verdict_of(True, True, float(reached.max()), margin, bool(feasible.any())))
    if verdict == Verdict.ENDGAME_INFEASIBLE:
        best = int(np.argmax(reached))  # the earliest of equals, as the kernel takes it
        return Engagement(verdict, float(reached[best]), launch_s, None, 0, None, detection, assumptions,
                          endgame_detail(samples["reason"][best], samples["reason_value"][best], endgame,
                                         float(reached[best])),
                          usable_margin_s=margin if usable.any() else None)
    if verdict != Verdict.FEASIBLE:
        return Engagement(verdict, margin, launch_s, None, 0, None, detection, assumptions)
    margin = float(slack[feasible].max())
    altitude = np.asarray(track["altitude_m"], float)
    first, last = np.flatnonzero(feasible)[[0, -1]]
    window = {"earliest_s": float(t[first]), "latest_s": float(t[last]),
              "min_altitude_km": float(altitude[feasible].min() / 1e3),
              "max_altitude_km": float(altitude[feasible].max() / 1e3),
              "flight_phases": [PHASE_NAMES[c] for c in sorted(set(samples["phase"][feasible].tolist()))]}
    shots = shot_opportunities(t, slack, allowed, launch_s, shoot_look_shoot_s)
    assumptions["shot_doctrine"] = SHOT_DOCTRINE
    point = {"lat_deg": float(track["latitude_deg"][first]), "lon_deg": float(track["longitude_deg"][first]),
             "altitude_km": float(altitude[first] / 1e3), "time_s": float(t[first]),
             "flight_phase": PHASE_NAMES[int(samples["phase"][first])],
             "closing_speed_km_s": float(samples["closing_m_s"][first] / 1e3),
             "crossing_angle_deg": float(np.degrees(np.arccos(np.clip(samples["cos_crossing"][first], -1.0, 1.0)))),
             "divert_needed_m_s": float(endgame.track_velocity_error_m_s * samples["arrival_s"][first]
                                        / endgame.kill_vehicle.time_to_go_s) if endgame.on else None}
    assumptions["intercept_velocity"] = ("kill vehicle velocity at the intercept point: that of the reach envelope's "
                                         "earliest fly-out there; crossing angle 0 deg = head-on")
    return Engagement(Verdict.FEASIBLE, margin, launch_s, window, shots, point, detection, assumptions)


def sample_by_sample(track: dict, interceptor: Interceptor, site: earth_mod.Site, launch_s: float, *,
                     endgame: Endgame = NO_ENDGAME, guides=(), rcs_m2: float = 0.1,
                     earth: str = earth_mod.DEFAULT_EARTH, atmosphere: str = "ussa1976", burnout_time_s: float = 0.0,
                     apogee_time_s: float | None = None, flight_phase: str = "any") -> dict:
    """Every sample of a threat track against an interceptor launched at ``launch_s``: its flight
    ``phase`` (``results.PHASE_*``, from ``burnout_time_s`` and ``apogee_time_s``, the track's highest
    sample where not given), whether it is a candidate (after the launch, inside the altitude band and
    in ``flight_phase``, ``results.phase_window``), the interceptor's earliest arrival
    (``arrival_s``, s after its launch; inf where it cannot reach), ``slack_s`` (how early it is
    there; -inf where unreachable), ``ground_range_m`` from the site, the kill vehicle's closing
    speed and crossing-angle cosine, and the endgame ``reason`` (``endgame.Reason``; NONE where
    the point is usable) with its ``reason_value``. ``guides``: the radars that must track the
    threat at the point (engage-on-remote, own radar). What :func:`engage` decides from, and what
    the battle-space figure draws."""
    model = earth_mod.earth_model(earth)
    t = np.asarray(track["time_s"], float)
    distance_m, azimuth_deg = earth_mod.geodesic_inverse(site.latitude_deg, site.longitude_deg,
                                                        track["latitude_deg"], track["longitude_deg"], model)
    altitude = np.asarray(track["altitude_m"], float)
    if apogee_time_s is None:
        apogee_time_s = float(t[np.argmax(altitude)])
    phase = phases_of(t, altitude, burnout_time_s, apogee_time_s, interceptor.min_intercept_altitude_m)
    after_s, until_s = R.phase_window(flight_phase_code(flight_phase), burnout_time_s, apogee_time_s)
    band = (altitude >= interceptor.min_intercept_altitude_m) & (altitude <= interceptor.max_intercept_altitude_m)
    candidates = (t > launch_s) & band & (t > after_s) & (t <= until_s)
    earliest = np.full(t.shape, np.inf)
    along = np.zeros(t.shape)
    climb = np.zeros(t.shape)
    bins = np.round((azimuth_deg % 360.0) / reach.AZIMUTH_BIN_DEG) % (360.0 / reach.AZIMUTH_BIN_DEG)
    for b in np.unique(bins[candidates]):
        chosen = candidates & (bins == b)
        env = reach.envelope(interceptor.vehicle, site.latitude_deg, b * reach.AZIMUTH_BIN_DEG, earth=model.name,
                             atmosphere=atmosphere)
        earliest[chosen] = env.earliest_s(distance_m[chosen], altitude[chosen])
        along[chosen], climb[chosen] = env.velocity_at(distance_m[chosen], altitude[chosen])
    reachable = candidates & np.isfinite(earliest)
    kill = _kill_vehicle_geometry(track, site, along, climb, model)
    seen = np.zeros(t.size, bool)
    radars = tuple(g for g in guides if isinstance(g, Radar))
    for g in radars:
        seen |= visibility(g, track["position_ecef_m"], rcs_m2, model) == Visibility.SEEN
    reason = np.zeros(t.size, int)
    value = np.zeros(t.size)
    for s in np.flatnonzero(reachable):
        reason[s], value[s] = check_point(kill["closing_m_s"][s], kill["cos_crossing"][s], float(earliest[s]),
                                          float(distance_m[s]), not radars or bool(seen[s]), endgame)
    return {"candidate": candidates, "phase": phase, "reachable": reachable, "arrival_s": earliest,
            "slack_s": np.where(reachable, (t - launch_s) - earliest, -np.inf), "ground_range_m": distance_m,
            "reason": reason, "reason_value": value, **kill}


def _kill_vehicle_geometry(track: dict, site: earth_mod.Site, along_m_s, climb_m_s, model) -> dict:
    """Closing speed (m/s) and cosine of the crossing angle at every sample, the kill vehicle flying
    with the given ground-range and vertical rates along its geodesic from the site (NumPy, Karney's
    geodesics: the reference of the kernel's ``endgame_at``)."""
    lat, lon = np.radians(track["latitude_deg"]), np.radians(track["longitude_deg"])
    geod = pyproj.Geod(a=model.equatorial_radius_m, f=model.flattening)
    lat_deg, lon_deg = np.asarray(track["latitude_deg"], float), np.asarray(track["longitude_deg"], float)
    _, back_deg, _ = geod.inv(np.full(lat_deg.shape, site.longitude_deg), np.full(lat_deg.shape, site.latitude_deg),
                              lon_deg, lat_deg)
    up, east, north = earth_mod.local_frame(lat, lon)
    a = np.radians(np.asarray(back_deg) + 180.0)[:, None]  # the geodesic's direction onwards at the point
    kill = np.asarray(along_m_s)[:, None] * (np.cos(a) * north + np.sin(a) * east) + np.asarray(climb_m_s)[:, None] * up
    threat = np.asarray(track["velocity_ecef_m_s"], float)
    closing = np.linalg.norm(threat - kill, axis=1)
    norms = np.linalg.norm(threat, axis=1) * np.linalg.norm(kill, axis=1)
    cosine = np.where(norms > 0.0, -np.einsum("ij,ij->i", threat, kill) / np.where(norms > 0.0, norms, 1.0), 1.0)
    return {"closing_m_s": closing, "cos_crossing": np.clip(cosine, -1.0, 1.0)}


@dataclass(frozen=True)
class Engagements:
    """Verdicts of every (threat flight, interceptor site) pair: arrays shaped (flight, site)."""

    verdict: np.ndarray  # Verdict codes
    margin_s: np.ndarray
    earliest_s: np.ndarray  # intercept window (0 where not feasible)
    latest_s: np.ndarray
    min_altitude_m: np.ndarray
    max_altitude_m: np.ndarray
    interceptor_launch_s: np.ndarray  # inf where never detected
    first_detection_s: np.ndarray  # by the cueing sensors; inf where never seen, nan for delay cueing
    track_s: np.ndarray  # the cue: established track (s); inf where never tracked, nan for delay cueing
    intercept_index: np.ndarray  # the flight's sample of the earliest intercept; -1 where not feasible
    envelope_build_s: float
    endgame_reason: np.ndarray = None  # endgame_infeasible: the endgame.Reason the best point reached fails
    endgame_value: np.ndarray = None  # ... and its value there (m, deg, m/s)
    closing_speed_m_s: np.ndarray = None  # at the intercept point (0 where not feasible)
    crossing_angle_deg: np.ndarray = None
    divert_needed_m_s: np.ndarray = None
    endgame: Endgame = NO_ENDGAME
    shots: np.ndarray = None  # shot opportunities under shoot-look-shoot (shot_opportunities); 0 where not feasible
    usable_margin_s: np.ndarray = None  # endgame_infeasible: slack at the best usable point (-inf: none usable)
    intercept_phase: np.ndarray = None  # feasible: the threat's flight phase at the earliest intercept (results.PHASE_*)
    phase_bits: np.ndarray = None  # feasible: the phases of the window's points, bit results.PHASE_* of each
    flight_phase: str = "any"  # the phase the intercepts were restricted to

    def phases(self, flight: int, site: int) -> list[str]:
        """The flight phases in which the pair's feasible points lie (empty where not feasible)."""
        return phase_names(int(self.phase_bits[flight, site]))

    def explain(self, flight: int, site: int) -> str:
        verdict = Verdict(int(self.verdict[flight, site]))
        margin = float(self.margin_s[flight, site])
        text = verdict.explain(margin, float(self.usable_margin_s[flight, site]))
        if verdict == Verdict.ENDGAME_INFEASIBLE:
            detail = endgame_detail(self.endgame_reason[flight, site], self.endgame_value[flight, site], self.endgame,
                                    margin)
            text += f" ({detail})"
        return restricted(text, self.flight_phase)


def compact_tracks(flights) -> tuple[np.ndarray, np.ndarray]:
    """(flight, sample, results.N_TRACK) arrays of time (s), altitude (m), the unit surface normal and
    the Earth-relative velocity (ECEF) from the recorded histories of a ``Flights`` batch, and the
    sample counts (compiled, in parallel over flights); a batch flown with ``tracks=True`` has them
    already (on the GPU, in its memory: ``engine.cuda.DeviceTracks``)."""
    from .engine.engage import compact_batch

    counts = flights.summary[:, P.O_HISTORY_COUNT].astype(np.int64)
    if flights.tracks is not None:
        return flights.tracks, counts
    samples = max(int(counts.max(initial=0)), 1)
    tracks = np.empty((len(flights), samples, R.N_TRACK))  # samples past a flight's count are never read
    compact_batch(np.ascontiguousarray(flights.history), counts, flights.earth.rotation_rate_rad_s,
                  flights.earth.equatorial_radius_m, flights.earth.flattening, tracks)
    return tracks, counts


def cue_times(tracks: np.ndarray, counts: np.ndarray, burnout_time_s: np.ndarray,
              sensors: tuple[Radar | InfraredWarning, ...], rcs_m2: float, model: earth_mod.EarthModel,
              device: str = "cpu") -> tuple[np.ndarray, np.ndarray]:
    """First detection and established track (s after the threat's launch; inf where none) of
    each compact track by the earliest of ``sensors``: the cue of ``own`` and ``remote`` cueing
    (compiled, in parallel over flights; the same rules as :func:`sensors.coverage`)."""
    out = np.empty((len(tracks), 2))
    engine.batch("cue_batch", device)(tracks, np.asarray(counts, np.int64), np.asarray(burnout_time_s, float),
              sensor_rows(sensors, rcs_m2, model), model.equatorial_radius_m, model.flattening, out)
    return out[:, 0], out[:, 1]


_PACKED: dict = {}
PACKINGS_KEPT = 8


def _packed(envelopes: tuple) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Envelope grids stacked into one inf-padded array (each distinct envelope once), their
    arrival velocities likewise (zero-padded), the (site, azimuth bin) -> grid index table, and the
    bounds of ``engine.engage``, each over a site's azimuth bins and the altitude rows j and j + 1
    (the rows of one lookup): the earliest arrival (site, range, altitude) and the range of arriving
    ground-range and vertical rates (``_site_rates``). The last ``PACKINGS_KEPT`` packings are kept (a
    sweep evaluates each chunk against a few sites in turn)."""
    key = tuple(id(e) for row in envelopes for e in row)
    if key in _PACKED:
        _PACKED[key] = _PACKED.pop(key)  # the most recently used last
    else:
        distinct = list({id(e): e for row in envelopes for e in row}.values())
        slot = {id(e): i for i, e in enumerate(distinct)}
        nx = max(e.time_s.shape[0] for e in distinct)
        ny = max(e.time_s.shape[1] for e in distinct)
        grids = np.full((len(distinct), nx, ny), np.inf)
        velocities = np.zeros((len(distinct), nx, ny, 2))
        for i, e in enumerate(distinct):
            grids[i, : e.time_s.shape[0], : e.time_s.shape[1]] = e.time_s
            velocities[i, : e.time_s.shape[0], : e.time_s.shape[1]] = np.nan_to_num(e.velocity_m_s)
        index = np.array([[slot[id(e)] for e in row] for row in envelopes], dtype=np.int64)
        site_min = _two_rows(grids[index].min(axis=1), np.minimum)  # (site, range, altitude) over azimuth bins
        while len(_PACKED) >= PACKINGS_KEPT:
            _PACKED.pop(next(iter(_PACKED)))  # the least recently used
        _PACKED[key] = (grids, velocities, index, site_min, _site_rates(grids, velocities, index), envelopes)
    grids, velocities, index, site_min, site_rates, _ = _PACKED[key]
    return grids, velocities, index, site_min, site_rates


def _two_rows(table: np.ndarray, pick) -> np.ndarray:
    """``pick`` (np.minimum, np.maximum) of altitude rows j and j + 1 of a (site, range, altitude) table."""
    out = table.copy()
    out[:, :, :-1] = pick(table[:, :, :-1], table[:, :, 1:])
    return np.ascontiguousarray(out)


def _site_rates(grids: np.ndarray, velocities: np.ndarray, index: np.ndarray) -> np.ndarray:
    """Each site's lowest and highest arriving ground-range and vertical rate (m/s) over its azimuth bins
    and the altitude rows j and j + 1, at the corners the kernel's lookup averages (those reached; inf and
    -inf where none is): (site, range, altitude, [along low, along high, climb low, climb high])."""
    rates = np.empty(index.shape[:1] + grids.shape[1:] + (4,))
    for j, row in enumerate(index):
        used = np.unique(row)
        reached = grids[used] < np.inf
        for c, (rate, empty, pick) in enumerate([(0, np.inf, np.min), (0, -np.inf, np.max), (1, np.inf, np.min),
                                                 (1, -np.inf, np.max)]):
            rates[j, ..., c] = pick(np.where(reached, velocities[used, ..., rate], empty), axis=0)
    for c, pick in enumerate((np.minimum, np.maximum, np.minimum, np.maximum)):
        rates[..., c] = _two_rows(rates[..., c], pick)
    return np.ascontiguousarray(rates)


def _masks(sectors: list[SectorMask | None]) -> tuple[np.ndarray, np.ndarray, float]:
    """Sector rasters stacked (one placeholder when no site has one), each site's slot (-1: none)."""
    distinct = list({id(m): m for m in sectors if m is not None}.values())
    steps = {m.step_deg for m in distinct}
    if len(steps) > 1:
        raise InputError(f"sector rasters must share one cell size; got {sorted(steps)} deg")
    slot = {id(m): i for i, m in enumerate(distinct)}
    masks = np.stack([m.mask for m in distinct]) if distinct else np.zeros((1, 1, 1), np.uint8)
    return masks, np.array([slot[id(m)] if m is not None else -1 for m in sectors], float), steps.pop() if steps else 1.0


@dataclass(frozen=True)
class KernelInputs:
    """The engagement kernel's arguments for a batch (all but the results it writes), and what its
    results are read with: the pairs' shape (flights, sites), launch times and cue times."""

    arguments: tuple
    shape: tuple[int, int]
    launch_s: np.ndarray
    first_detection_s: np.ndarray
    track_s: np.ndarray
    build_s: float


def kernel_inputs(flights, interceptor: Interceptor, sites, *, cueing: Cueing, sensors=(), own_radars=None,
                  rcs_m2: float = 0.1, launch_delay_s: float = 0.0,
                  shoot_look_shoot_s: float = DEFAULT_SHOOT_LOOK_SHOOT_S, sectors=None,
                  endgame: Endgame | str = DEFAULT_ENDGAME, atmosphere: str = "ussa1976", device: str = "cpu",
                  tracks=None, flight_phase: str = "any") -> KernelInputs:
    """The arguments :func:`engage_many` gives the engagement kernel (same parameters): the cue
    times, the envelopes packed, the sites, sectors, guides and endgame as kernel rows."""
    sites = [sites] if isinstance(sites, earth_mod.Site) else list(sites)
    sectors = [None] * len(sites) if sectors is None else list(sectors)
    if len(sectors) != len(sites):
        raise InputError(f"{len(sectors)} sectors given for {len(sites)} sites; give one (or None) per site")
    endgame = endgame_of(endgame, interceptor)
    model = flights.earth
    tracks, counts = compact_tracks(flights) if tracks is None else tracks
    if device != "gpu":
        tracks = np.asarray(tracks)  # tracks a GPU flight kernel kept in its memory, copied here once
    shape = (len(flights), len(sites))
    first = np.full(shape, np.nan)
    track = np.full(shape, np.nan)
    if cueing.rule == "delay":
        cue = np.full(shape, cueing.delay_s)
    elif cueing.remote:
        if not sensors:
            raise InputError(f"cueing {cueing.rule!r} needs at least one sensor")
        f, k = cue_times(tracks, counts, flights.burnout_time_s, tuple(sensors), rcs_m2, model, device)
        first[:], track[:] = f[:, None], k[:, None]
        cue = track.copy()
    else:
        own_radars = [None] * len(sites) if own_radars is None else list(own_radars)
        for j, (s, radar) in enumerate(zip(sites, own_radars, strict=True)):
            if radar is None:
                raise InputError(f"cueing 'own' needs a radar at the interceptor site {s.name!r}")
            first[:, j], track[:, j] = cue_times(tracks, counts, flights.burnout_time_s, (radar,), rcs_m2, model, device)
        cue = track.copy()
    # the radars that must track the threat at the intercept, per site
    own = list(own_radars) if cueing.rule == "own" else [None] * len(sites)
    guides = [tuple(g for g in cueing.guides(sensors, radar) if isinstance(g, Radar)) for radar in own]
    start = time.perf_counter()
    bins = int(round(360.0 / reach.AZIMUTH_BIN_DEG))
    envelopes = [[reach.envelope(interceptor.vehicle, s.latitude_deg, b * reach.AZIMUTH_BIN_DEG, earth=model.name,
                                 atmosphere=atmosphere) for b in range(bins)] for s in sites]
    build_s = time.perf_counter() - start
    grids, velocities, index, site_min, site_rates = _packed(tuple(tuple(row) for row in envelopes))
    masks, slots, mask_step = _masks(sectors)
    site_rows = np.column_stack([np.radians([[s.latitude_deg, s.longitude_deg] for s in sites]).reshape(-1, 2), slots])
    launch_s = (cue + launch_delay_s).ravel()
    band = np.array([interceptor.min_intercept_altitude_m, interceptor.max_intercept_altitude_m,
                     flight_phase_code(flight_phase)])
    phases = np.column_stack([flights.burnout_time_s, flights.apogee_time_s]).astype(float)
    steps = np.array([reach.RANGE_STEP_M, reach.ALTITUDE_STEP_M, mask_step])
    all_guides = [g for row in guides for g in row]
    guide_rows = sensor_rows(tuple(all_guides), rcs_m2, model) if all_guides else np.zeros((1, P.N_SENSOR))
    site_guides = np.array([[sum(len(g) for g in guides[:j]), len(guides[j])] for j in range(len(sites))], float)
    arguments = (tracks, counts, phases, site_rows, index, grids, velocities, site_min, site_rates, masks, launch_s,
                 float(shoot_look_shoot_s), band, steps, P.earth_row(model), endgame.row(), guide_rows,
                 site_guides.reshape(len(sites), 2))
    return KernelInputs(arguments, shape, launch_s.reshape(shape), first, track, build_s)


def engage_many(flights, interceptor: Interceptor, sites, *, cueing: Cueing, sensors=(), own_radars=None,
                rcs_m2: float = 0.1, launch_delay_s: float = 0.0, shoot_look_shoot_s: float = DEFAULT_SHOOT_LOOK_SHOOT_S,
                sectors=None, endgame: Endgame | str = DEFAULT_ENDGAME, atmosphere: str = "ussa1976",
                device: str = "cpu", tracks=None, flight_phase: str = "any") -> Engagements:
    """Every (flight, site) pair of a batch, compiled and in parallel.

    ``flights`` must carry histories (``history=True``) or compact tracks (``tracks=True``). Cueing: ``delay`` (the same launch time for
    every pair), ``remote`` / ``engage-remote`` (the earliest track by any of ``sensors``; for
    engage-on-remote, one of them must also track the threat at the intercept) or ``own`` (the
    track of each site's radar, ``own_radars`` aligned with ``sites``, which must then track it at
    the intercept); ``sectors`` (aligned with ``sites``, :class:`SectorMask` or None) limits where
    each site may intercept; ``endgame`` the kill vehicle's model or its name (:func:`endgame_of`; as
    :func:`engage`, ``kinematic`` by default). Gives the same verdicts and
    margins (and shot opportunities, with the look ``shoot_look_shoot_s``) as :func:`engage` on each pair (tested); the reach envelopes of every site's latitude
    bin and every azimuth bin are built (or read from the cache) first, and their build time
    reported. ``tracks``: the flights' :func:`compact_tracks`, when the caller evaluates one batch many
    times (a sweep) and has built them once. ``flight_phase`` (:data:`FLIGHT_PHASES`) restricts the
    intercepts to one phase of each threat's flight.
    """
    endgame = endgame_of(endgame, interceptor)
    engage_batch = engine.batch("engage_batch", device)
    inputs = kernel_inputs(flights, interceptor, sites, cueing=cueing, sensors=sensors, own_radars=own_radars,
                           rcs_m2=rcs_m2, launch_delay_s=launch_delay_s, shoot_look_shoot_s=shoot_look_shoot_s,
                           sectors=sectors, endgame=endgame, atmosphere=atmosphere, device=device, tracks=tracks,
                           flight_phase=flight_phase)
    shape = inputs.shape
    out = np.zeros((shape[0] * shape[1], R.N_RESULT))
    engage_batch(*inputs.arguments, out)

    def column(c):
        return out[:, c].reshape(shape)

    return Engagements(column(R.R_VERDICT).astype(int), column(R.R_MARGIN), column(R.R_EARLIEST), column(R.R_LATEST),
                       column(R.R_MIN_ALTITUDE), column(R.R_MAX_ALTITUDE), inputs.launch_s, inputs.first_detection_s,
                       inputs.track_s, column(R.R_FIRST_INDEX).astype(int), inputs.build_s, column(R.R_REASON).astype(int),
                       column(R.R_REASON_VALUE), column(R.R_CLOSING), column(R.R_CROSSING), column(R.R_DIVERT), endgame,
                       column(R.R_SHOTS).astype(int), column(R.R_USABLE_MARGIN), column(R.R_PHASE).astype(int),
                       column(R.R_PHASES).astype(int), flight_phase)


def engage_stream(chunks, interceptor: Interceptor, sites, **options) -> Engagements:
    """:func:`engage_many` over chunks of flights (e.g. ``flight.iter_fly_launch(..., history=True)``),
    each chunk's states dropped once its pairs are evaluated: memory is bounded by the chunk, not
    the batch. Returns the Engagements of every flight, in order."""
    import dataclasses

    parts = [engage_many(chunk, interceptor, sites, **options) for chunk in chunks]
    if not parts:
        raise InputError("engage_stream was given no flights")
    arrays = {f.name: np.concatenate([getattr(p, f.name) for p in parts]) for f in dataclasses.fields(Engagements)
              if f.name not in ("envelope_build_s", "endgame", "flight_phase")}
    return Engagements(**arrays, envelope_build_s=sum(p.envelope_build_s for p in parts), endgame=parts[0].endgame,
                       flight_phase=parts[0].flight_phase)
