"""The early phases: can the sites engage a Russian ICBM in boost or ascent, and from how far would they have to be?

Russia's stated concern is interception "in the early phases", before the warheads separate; the APS
boost-phase study (APS03) and the NRC study (NRC12) judged boost-phase intercept impractical except in
special geometries. This study asks the question of the scenario's own sites (by default Redzikowo and
Deveselu, with the interceptors the scenario gives them, in its latest phase that is not cancelled):

* **Engagement.** The scenario's Russian ICBM flights (purpose ``russian-concern``, catalog role ICBM:
  every base, aim point and trajectory shape of its threat sets, already flown by the assessment) are
  engaged by each site with its interceptor rescaled (``reach.with_burnout_speed``, one stated
  parameter, as ``guarantee`` does) to the low edge, the value and the high edge of the catalog's
  burnout-speed band (``burnout_speed_band_km_s``), under the scenario's bounding cue (its delay plus
  the decision time), with the intercepts restricted to ``boost``, to ``ascent`` and to ``any`` phase
  (``engagement.engage_many``, ``flight_phase``). Everything else is the scenario's: altitude band,
  sector, endgame.
* **From how far.** An interceptor launched at t_L (the bounding cue plus the decision time) has until
  the threat's burnout t_bo (boost) or its apogee (ascent). How far from its site it can be by then is
  read from the interceptor's own reach envelopes (``reach.envelope``, the fans the engagement uses):
  the largest straight-line distance from the site of any envelope cell reached within the time
  (the farthest over every azimuth bin of the site's latitude; the cell's position from its ground
  range and altitude over a sphere of the site's geocentric radius). It never exceeds the burnout speed
  times the time (tested). Beside it, the straight-line distance from each site to the threat's track,
  sample by sample, up to apogee.

The study returns numbers (:class:`EarlyPhase`); the report draws and words them.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np

from . import catalog, earth, limits, reach
from .assess import ThreatFlights, site_inputs
from .engagement import Verdict, engage_many
from .errors import InputError
from .scenario import Scenario

EARLY_SITES = ("Redzikowo", "Deveselu")
FLIGHT_PHASES = ("boost", "ascent", "any")  # the intercepts restricted to each in turn
ROLES = ("ICBM",)  # catalog roles of the Russian flights asked about
# The flights the figure draws (missile, launch area, aim point), where the scenario flies them
REPRESENTATIVE = (("Yars", "Teykovo", "Washington"), ("Yars", "Kozelsk", "Washington"),
                  ("R-36M2", "Dombarovsky", "Washington"))
CURVE_STEP_S = 5.0  # spacing of the reach curves (the threat tracks' own samples are 5 s apart)


@dataclass(frozen=True)
class Speed:
    """One burnout speed of an interceptor's catalog band: ``label`` says which edge (or the value) it is."""

    label: str  # "low", "value", "high", or joined ("value = high") where two coincide
    burnout_speed_km_s: float


def catalog_speeds(interceptor: str, cat=None) -> list[Speed]:
    """The low edge, the value and the high edge of the catalog's burnout speed band of ``interceptor``, in
    increasing order, coinciding ones merged (SM-3 Block IB: 2.7 low, 3.0 value = high)."""
    cat = cat or catalog.load()
    record = cat.interceptors[cat.find("interceptor", interceptor)]
    band = record.burnout_speed_band_km_s
    found: dict[float, list[str]] = {}
    for label, value in (("low", band.low), ("value", record.burnout_speed_km_s.value), ("high", band.high)):
        found.setdefault(round(float(value), 6), []).append(label)
    return [Speed(" = ".join(labels), speed) for speed, labels in sorted(found.items())]


@dataclass
class Case:
    """One site, one burnout speed, one flight phase: how many of the flights it engages, and how close it comes."""

    site: str
    interceptor: str
    speed: Speed
    flight_phase: str
    flight_count: int
    engageable_count: int
    best_margin_s: float | None  # the best margin over the engageable flights (s early); None: none engageable
    closest_margin_s: float | None  # none engageable: the best margin of the rows that have one (s, negative: late)
    verdicts: dict[str, int] = field(default_factory=dict)  # verdict name -> flights
    impossible: str | None = None  # the stage model cannot reach this speed: why (no engagement was run)
    engaged: list[str] = field(default_factory=list)  # the engageable flights (flight_name), best margin first

    @property
    def commonest_verdict(self) -> str | None:
        """The verdict most of the flights get (its name, underscores as spaces)."""
        if not self.verdicts:
            return None
        return max(self.verdicts.items(), key=lambda kv: kv[1])[0].replace("_", " ")


@dataclass
class ReachCurve:
    """How far from its site an interceptor can be (straight line, km) against time after the threat's launch."""

    site: str
    interceptor: str
    speed: Speed
    launch_s: float  # the interceptor's launch after the threat's (bounding cue plus decision time)
    time_s: np.ndarray  # after the threat's launch
    reach_km: np.ndarray  # 0 before the launch

    def at(self, time_s: float) -> float:
        """The reach (km) at a time after the threat's launch (0 before the interceptor's launch)."""
        return float(np.interp(time_s, self.time_s, self.reach_km, left=0.0, right=float(self.reach_km[-1])))


@dataclass
class Approach:
    """One site and one threat flight: the straight-line distance from the site to the threat's track up to apogee."""

    site: str
    flight: str  # "Yars Teykovo → Washington (minimum-energy)"
    time_s: np.ndarray
    distance_km: np.ndarray
    burnout_s: float
    apogee_s: float

    def nearest_km(self, flight_phase: str) -> float:
        """The nearest the track comes to the site in ``boost`` (up to burnout) or ``ascent`` (burnout to apogee)."""
        if flight_phase == "boost":
            chosen = self.time_s <= self.burnout_s
        elif flight_phase == "ascent":
            chosen = (self.time_s > self.burnout_s) & (self.time_s <= self.apogee_s)
        else:
            raise InputError(f"flight_phase = {flight_phase!r}: the nearest approach is kept for boost and ascent only")
        return float(self.distance_km[chosen].min()) if chosen.any() else math.inf


@dataclass
class EarlyPhase:
    """The early-phase study of one phase of a scenario (see the module docstring)."""

    scenario: str
    phase: str
    cue: str  # the cue rule the interceptors launch on, and the delay after it: "delay:105 +30 s"
    cue_basis: str  # "bounding", or "architecture" where the scenario states no bounding cue
    launch_s: float  # the interceptor's launch after the threat's (a delay cue), NaN under a sensor cue
    flight_count: int  # Russian ICBM flights engaged
    missiles: list[str]
    burnout_s: tuple[float, float]  # the earliest and latest burnout over the flights
    apogee_s: tuple[float, float]
    sites: list[tuple[str, str]]  # (site, interceptor)
    cases: list[Case]
    curves: list[ReachCurve]
    approaches: list[Approach]  # the representative flights, from each site
    nearest: dict[tuple[str, str], tuple[float, str, float]]  # (site, boost|ascent) -> (km, flight, its burnout s)
    boost_tracks: list[tuple[str, str, float, float]]  # (site, flight, burnout s, nearest boost track km), every flight
    run_s: float = 0.0

    def case(self, site: str, burnout_speed_km_s: float, flight_phase: str) -> Case:
        """The case of a site at one of its speeds in one flight phase."""
        for c in self.cases:
            if (c.site == site and c.flight_phase == flight_phase
                    and abs(c.speed.burnout_speed_km_s - burnout_speed_km_s) < 1e-9):
                return c
        raise InputError(f"no case for {site} at {burnout_speed_km_s:g} km/s in {flight_phase}")

    def engageable(self, flight_phase: str, site: str | None = None) -> int:
        """Flights engageable in ``flight_phase`` at the best speed of each site's band, summed over the sites
        (the named site's only, where given)."""
        return sum(max((c.engageable_count for c in self.cases if c.site == name and c.flight_phase == flight_phase),
                       default=0) for name, _ in self.sites if site is None or name == site)

    def speeds(self, site: str) -> list[Speed]:
        """The speeds a site was engaged at, in increasing order."""
        return list(dict.fromkeys(c.speed for c in self.cases if c.site == site))

    def boost_shortfall(self, site: str, burnout_speed_km_s: float) -> tuple[float, str, float, float, float] | None:
        """The flight whose boost track comes nearest to being reached from ``site`` at that speed: the least
        (nearest boost track - reach by the flight's burnout), as (shortfall km, flight, burnout s, nearest km,
        reach km); None without a reach curve (a sensor cue has no fixed launch time)."""
        try:
            curve = self.curve(site, burnout_speed_km_s)
        except InputError:
            return None
        found = [(km - curve.at(burnout_s), flight, burnout_s, km, curve.at(burnout_s))
                 for name, flight, burnout_s, km in self.boost_tracks if name == site]
        return min(found) if found else None

    def curve(self, site: str, burnout_speed_km_s: float) -> ReachCurve:
        for c in self.curves:
            if c.site == site and abs(c.speed.burnout_speed_km_s - burnout_speed_km_s) < 1e-9:
                return c
        raise InputError(f"no reach curve for {site} at {burnout_speed_km_s:g} km/s")


def default_phase(scenario: Scenario, sites=EARLY_SITES):
    """The latest phase (by date) that is not cancelled and has an interceptor at one of ``sites``; None where
    no phase has one."""
    wanted = {s.lower() for s in sites}
    chosen = [p for p in sorted(scenario.phases, key=lambda p: p.date)
              if not p.cancelled and any(e.site.lower() in wanted for e in p.sites)]
    return chosen[-1] if chosen else None


def russian_icbms(threats: ThreatFlights, roles=ROLES, cat=None) -> ThreatFlights:
    """The flown flights of purpose ``russian-concern`` whose missile has one of the catalog ``roles``."""
    cat = cat or catalog.load()
    by_id = {r["flight_id"]: r for r in threats.rows}
    keep = [int(i) for i in threats.flown_ids
            if "russian-concern" in by_id[int(i)]["purposes"]
            and cat.missiles[cat.find("missile", by_id[int(i)]["missile"])].role in roles]
    return threats.only(keep)


def reach_km(envelope: reach.ReachEnvelope, site_radius_m: float, time_s: np.ndarray) -> np.ndarray:
    """The largest straight-line distance (km) from the site of any cell of ``envelope`` reached within each
    time (s after the interceptor's launch): cells sorted by arrival time, a running maximum of their distance.

    A cell at ground range s and altitude h lies, over a sphere of the site's geocentric radius R, at
    sqrt(R^2 + (R + h)^2 - 2 R (R + h) cos(s / R)) from the site."""
    n_range, n_altitude = envelope.time_s.shape
    s = np.arange(n_range)[:, None] * envelope.range_step_m
    h = np.arange(n_altitude)[None, :] * envelope.altitude_step_m
    r = site_radius_m
    chord_m = np.sqrt(np.maximum(r * r + (r + h) ** 2 - 2.0 * r * (r + h) * np.cos(s / r), 0.0))
    finite = np.isfinite(envelope.time_s)
    order = np.argsort(envelope.time_s[finite])
    arrival_s = envelope.time_s[finite][order]
    farthest_m = np.maximum.accumulate(chord_m[finite][order])
    k = np.searchsorted(arrival_s, np.asarray(time_s, float), side="right") - 1
    return np.where(k >= 0, farthest_m[np.clip(k, 0, None)], 0.0) / 1e3


def _site_position_m(site, model) -> np.ndarray:
    return np.asarray(earth.ecef_from_geodetic(math.radians(site.latitude_deg), math.radians(site.longitude_deg),
                                               site.height_m, model), float)


def study(scenario: Scenario, threats: ThreatFlights, *, phase: str | None = None, sites=EARLY_SITES,
          speeds: dict[str, list[Speed]] | None = None, roles=ROLES, representative=REPRESENTATIVE,
          progress=None) -> EarlyPhase | None:
    """The early-phase study of one phase of ``scenario`` (default :func:`default_phase`) against its flown
    ``threats`` (an assessment's ``flights``; only the Russian flights of ``roles`` are used).

    ``sites``: the sites asked about (those of the phase are used); ``speeds``: interceptor name -> the
    burnout speeds to engage at (default :func:`catalog_speeds`); ``representative``: (missile, launch,
    aim) of the flights whose distance from each site is kept for the figure (the minimum-energy flight
    of each that the scenario flies). Returns None where the phase has none of the sites or no Russian
    flight of those roles was flown. Raises :class:`~shieldcheck.errors.InputError` for a phase the
    scenario does not have."""
    start = time.perf_counter()
    cat = catalog.load()
    if phase is None:
        chosen = default_phase(scenario, sites)
        if chosen is None:
            return None
    else:
        limits.choose(f"phase of {scenario.name}", phase, [p.name for p in scenario.phases])
        chosen = scenario.phase(phase)
    wanted = {s.lower() for s in sites}
    entries = list({(e.site, e.interceptor): e for e in chosen.sites if e.site.lower() in wanted}.values())
    ours = russian_icbms(threats, roles, cat)
    if not entries or ours.flown is None:
        return None
    flown = ours.flown
    model = flown.earth
    a = scenario.assumptions
    basis = "bounding" if a.bounding_cueing else "architecture"
    shapes = scenario.sector_shapes() if scenario.sectors else {}
    by_id = {r["flight_id"]: r for r in ours.rows}
    names = [flight_name(by_id[int(i)]) for i in ours.flown_ids]
    cases, curves, cue_text, launch_s = [], [], "", math.nan
    horizon_s = float(np.max(flown.apogee_time_s)) + CURVE_STEP_S
    grid_s = np.arange(0.0, horizon_s + CURVE_STEP_S, CURVE_STEP_S)
    total = sum(len((speeds or {}).get(e.interceptor) or catalog_speeds(e.interceptor, cat)) for e in entries)
    done = 0
    for entry in entries:
        interceptor, site, rule, cueing, options = site_inputs(entry, scenario, shapes, basis, cat)
        cue_text = f"{rule} +{options['launch_delay_s']:g} s" if options["launch_delay_s"] else rule
        # a delay cue fixes the interceptor's launch (the reach curve's origin); a sensor cue does not
        site_launch_s = float(cueing.delay_s) + float(options["launch_delay_s"]) if cueing.rule == "delay" else math.nan
        launch_s = site_launch_s if math.isfinite(site_launch_s) else launch_s
        for speed in (speeds or {}).get(entry.interceptor) or catalog_speeds(entry.interceptor, cat):
            try:
                scaled = reach.with_burnout_speed(interceptor, speed.burnout_speed_km_s * 1e3, earth=model.name,
                                                  atmosphere=flown.atmosphere)
            except InputError as error:  # a speed the stage model cannot reach is a result, said as such
                cases += [Case(entry.site, entry.interceptor, speed, p, len(flown), 0, None, None, {}, str(error))
                          for p in FLIGHT_PHASES]
                continue
            for flight_phase in FLIGHT_PHASES:
                result = engage_many(flown, scaled, [site], cueing=cueing, **dict(options, flight_phase=flight_phase))
                cases.append(_case(entry, speed, flight_phase, result, names))
            if math.isfinite(site_launch_s):
                radius_m = float(np.linalg.norm(_site_position_m(site, model)))
                after_launch_s = grid_s - site_launch_s
                farthest = np.zeros_like(grid_s)
                for b in range(int(round(360.0 / reach.AZIMUTH_BIN_DEG))):
                    envelope = reach.envelope(scaled.vehicle, site.latitude_deg, b * reach.AZIMUTH_BIN_DEG,
                                              earth=model.name, atmosphere=flown.atmosphere)
                    farthest = np.maximum(farthest, reach_km(envelope, radius_m, after_launch_s))
                curves.append(ReachCurve(entry.site, entry.interceptor, speed, site_launch_s, grid_s,
                                         np.where(after_launch_s > 0.0, farthest, 0.0)))
            done += 1
            if progress:
                progress(done, total, f"early phases: {entry.site} at {speed.burnout_speed_km_s:g} km/s")
    approaches, nearest, boost_tracks = _approaches(flown, ours.flown_ids, by_id, entries, representative, model, cat)
    return EarlyPhase(scenario.name, chosen.name, cue_text, basis, launch_s, len(flown),
                      sorted({by_id[int(i)]["missile"] for i in ours.flown_ids}),
                      (float(np.min(flown.burnout_time_s)), float(np.max(flown.burnout_time_s))),
                      (float(np.min(flown.apogee_time_s)), float(np.max(flown.apogee_time_s))),
                      [(e.site, e.interceptor) for e in entries], cases, curves, approaches, nearest, boost_tracks,
                      time.perf_counter() - start)


def _case(entry, speed: Speed, flight_phase: str, result, names: list[str]) -> Case:
    verdicts = result.verdict[:, 0]
    margins = result.margin_s[:, 0]
    feasible = verdicts == Verdict.FEASIBLE
    with_margin = np.isin(verdicts, [Verdict.TOO_LATE, Verdict.BEYOND_SECTOR]) & np.isfinite(margins)
    counts: dict[str, int] = {}
    for v in verdicts:
        name = Verdict(int(v)).name.lower()
        counts[name] = counts.get(name, 0) + 1
    engaged = [names[int(k)] for k in np.flatnonzero(feasible)[np.argsort(-margins[feasible], kind="stable")]]
    return Case(entry.site, entry.interceptor, speed, flight_phase, len(verdicts), int(feasible.sum()),
                float(margins[feasible].max()) if feasible.any() else None,
                float(margins[with_margin].max()) if not feasible.any() and with_margin.any() else None, counts,
                engaged=engaged)


def flight_name(row: dict) -> str:
    return f"{row['missile']} {row['launch']} → {row['aim']} ({row['trajectory']})"


def _approaches(flown, flight_ids, by_id, entries, representative, model, cat):
    """The distance from each site to the representative flights' tracks up to apogee, and the nearest any
    flight's boost and ascent track comes to each site."""
    positions = {e.site: _site_position_m(cat.site(e.site), model) for e in entries}
    nearest: dict[tuple[str, str], tuple[float, str, float]] = {}
    boost_tracks = []
    wanted = {tuple(x.lower() for x in r): r for r in representative}
    drawn: dict[tuple, int] = {}
    for k, flight_id in enumerate(flight_ids):
        row = by_id[int(flight_id)]
        key = (row["missile"].lower(), row["launch"].lower(), row["aim"].lower())
        if key in wanted and row["trajectory"] == "minimum-energy" and key not in drawn:
            drawn[key] = k
    approaches = []
    for k, flight_id in enumerate(flight_ids):
        row = by_id[int(flight_id)]
        track = flown.trajectory_of(k)
        burnout_s, apogee_s = float(flown.burnout_time_s[k]), float(flown.apogee_time_s[k])
        upto = track["time_s"] <= apogee_s
        for site, where in positions.items():
            distance_km = np.linalg.norm(np.asarray(track["position_ecef_m"])[upto] - where, axis=1) / 1e3
            approach = Approach(site, flight_name(row), track["time_s"][upto], distance_km, burnout_s, apogee_s)
            boost_tracks.append((site, approach.flight, burnout_s, approach.nearest_km("boost")))
            for flight_phase in ("boost", "ascent"):
                km = approach.nearest_km(flight_phase)
                if km < nearest.get((site, flight_phase), (math.inf,))[0]:
                    nearest[(site, flight_phase)] = (km, approach.flight, burnout_s)
            if k in drawn.values():
                approaches.append(approach)
    order = {k: i for i, k in enumerate(wanted)}
    approaches.sort(key=lambda a: min((order[key] for key, k in drawn.items() if flight_name(by_id[int(flight_ids[k])])
                                       == a.flight), default=len(order)))
    return approaches, nearest, boost_tracks


def for_assessment(assessment, progress=None) -> EarlyPhase | None:
    """The early-phase study of an assessment (its scenario and its flown flights; the default phase and
    sites, the catalog's speed bands); None where the scenario has none of the sites."""
    return study(assessment.scenario, assessment.flights, progress=progress)
