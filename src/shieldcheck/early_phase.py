"""The early phases: can the sites engage a Russian strategic missile in boost or ascent, and from how far would
they have to be?

Russia's stated concern is interception "in the early phases", before the warheads separate; the APS
boost-phase study (APS03) and the NRC study (NRC12) judged boost-phase intercept impractical except in
special geometries. This study asks the question of the scenario's own sites (by default Redzikowo and
Deveselu, with the interceptors the scenario gives them), for every class of Russian strategic missile the
scenario's threat sets fly, in every phase that has one of the sites (:func:`study_phases`; one phase:
:func:`study`):

* **Classes.** The flights of purpose ``russian-concern`` (``aggregate.is_russian``), grouped by their
  missile's catalog role: ICBM, SLBM (from the bases and patrol areas of its threat set), HGV (the glide
  vehicle: only its boost and ascent are asked about here), FOBS (the fractional orbit), and any other role
  such a set carries. No missile or launch area is named in the code.
* **Engagement.** Each site engages every one of those flights (every base, aim point and trajectory shape
  of the threat sets, already flown by the assessment) with its interceptor rescaled
  (``reach.with_burnout_speed``, one stated parameter, as ``guarantee`` does) to the low edge, the value and
  the high edge of the catalog's burnout-speed band (``burnout_speed_band_km_s``), under the scenario's
  bounding cue (its delay plus the decision time), with the intercepts restricted to ``boost``, to ``ascent``
  and to ``any`` phase (``engagement.engage_many``, ``flight_phase``). Everything else is the scenario's:
  altitude band, sector, endgame. One engagement serves every phase whose site has the same inputs.
* **From how far.** An interceptor launched at t_L (the bounding cue plus the decision time) has until
  the threat's burnout t_bo (boost) or its apogee (ascent). The closed-form bound: it cannot be farther from
  its site than its burnout speed times the time it has, v (t_bo - t_L) (:func:`bound_km`; it starts at
  rest). The reach actually flown is read from the interceptor's own reach envelopes (``reach.envelope``, the
  fans the engagement uses): the largest straight-line distance from the site of any envelope cell reached
  within the time (the farthest over every azimuth bin of the site's latitude; the cell's position from its
  ground range and altitude over a sphere of the site's geocentric radius); it never exceeds the bound
  (tested). Beside them, the straight-line distance from each site to each flight's track, sample by sample,
  up to apogee, and its nearest approach in boost and in ascent.

The study returns numbers (:class:`EarlyPhase`, :class:`EarlyPhases`); the report draws and words them.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np

from . import aggregate, catalog, earth, limits, reach
from .assess import ThreatFlights, site_inputs
from .engagement import Verdict, engage_many
from .errors import InputError
from .scenario import Scenario

EARLY_SITES = ("Redzikowo", "Deveselu")
FLIGHT_PHASES = ("boost", "ascent", "any")  # the intercepts restricted to each in turn
ALL = "all"  # the class of the cases that count every class together
# The order the classes are shown in (catalog roles, strategic first); a role not listed follows, by name
CLASS_ORDER = ("ICBM", "SLBM", "HGV", "FOBS", "IRBM", "MRBM", "SRBM")
CLASS_LABELS = {"ICBM": "ICBM", "SLBM": "SLBM", "HGV": "glide vehicle", "FOBS": "fractional orbit",
                "IRBM": "IRBM", "MRBM": "MRBM", "SRBM": "SRBM", ALL: "every class"}
CURVE_STEP_S = 5.0  # spacing of the reach curves (the threat tracks' own samples are 5 s apart)


def class_label(flight_class: str) -> str:
    """A class's name in words ("glide vehicle" for the catalog role HGV)."""
    return CLASS_LABELS.get(flight_class, flight_class)


def class_order(classes) -> list[str]:
    """The classes in the order they are shown: :data:`CLASS_ORDER`, then any other by name."""
    return sorted(set(classes), key=lambda c: (CLASS_ORDER.index(c) if c in CLASS_ORDER else len(CLASS_ORDER), c))


def bound_km(burnout_speed_km_s: float, available_s: float) -> float:
    """The closed-form bound (km): the farthest an interceptor that starts at rest and never exceeds its burnout
    speed can be from its site ``available_s`` after its launch, v t (0 where no time is left)."""
    return burnout_speed_km_s * max(float(available_s), 0.0)


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
class Intercept:
    """An engaged flight's earliest intercept: when, and how far from the site (straight line)."""

    flight: str
    time_s: float  # after the threat's launch
    distance_km: float  # from the site
    flight_phase: str  # the threat's phase there (boost, ascent, midcourse)


@dataclass
class Case:
    """One site, one burnout speed, one flight phase, one class of flights (``ALL``: every class): how many of
    the flights it engages, and how close it comes."""

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
    flight_class: str = ALL  # the catalog role of the flights counted, or ALL
    intercepts: list[Intercept] = field(default_factory=list)  # the engageable flights' earliest intercepts

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
class Track:
    """One site and one threat flight: when its boost and ascent end, and the nearest its track comes in each."""

    site: str
    flight: str  # "Yars Teykovo → Washington (minimum-energy)"
    flight_class: str  # the missile's catalog role
    launch: str  # the launch area (or patrol area)
    burnout_s: float
    apogee_s: float
    nearest_boost_km: float  # straight line from the site, up to burnout
    nearest_ascent_km: float  # burnout to apogee (inf: no sample there)

    def nearest_km(self, flight_phase: str) -> float:
        """The nearest the track comes to the site in ``boost`` or ``ascent``."""
        if flight_phase not in ("boost", "ascent"):
            raise InputError(f"flight_phase = {flight_phase!r}: the nearest approach is kept for boost and ascent only")
        return self.nearest_boost_km if flight_phase == "boost" else self.nearest_ascent_km


@dataclass
class Approach:
    """One site and one threat flight: the straight-line distance from the site to the threat's track up to apogee."""

    site: str
    flight: str  # "Yars Teykovo → Washington (minimum-energy)"
    time_s: np.ndarray
    distance_km: np.ndarray
    burnout_s: float
    apogee_s: float
    flight_class: str = ALL

    def nearest_boost(self) -> tuple[float, float]:
        """(time s, km): where the track's boost comes nearest to the site."""
        boost = np.flatnonzero(self.time_s <= self.burnout_s)
        k = boost[np.argmin(self.distance_km[boost])] if len(boost) else int(np.argmin(self.distance_km))
        return float(self.time_s[k]), float(self.distance_km[k])

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
class Shortfall:
    """The boost track that comes nearest to being reached from a site at one speed: how near it passes, when it
    burns out, and how far the interceptor can be by then (the reach flown, and the closed-form bound)."""

    phase: str
    site: str
    interceptor: str
    burnout_speed_km_s: float
    flight: str
    flight_class: str
    launch: str
    burnout_s: float
    available_s: float  # burnout after the interceptor's launch (negative: it burns out before)
    nearest_km: float  # the boost track's nearest approach to the site
    reach_km: float  # the reach envelope's farthest by the burnout
    bound_km: float  # the closed-form bound v (t_bo - t_L)

    @property
    def shortfall_km(self) -> float:
        """How much farther the boost track passes than the interceptor can be by its burnout."""
        return self.nearest_km - self.reach_km

    @property
    def needed_km_s(self) -> float:
        """The average speed (km/s) it would take to cover the nearest distance in the time available (inf: none)."""
        return self.nearest_km / self.available_s if self.available_s > 0 else math.inf


@dataclass
class EarlyPhase:
    """The early-phase study of one phase of a scenario (see the module docstring)."""

    scenario: str
    phase: str
    cue: str  # the cue rule the interceptors launch on, and the delay after it: "delay:105 +30 s"
    cue_basis: str  # "bounding", or "architecture" where the scenario states no bounding cue
    launch_s: float  # the interceptor's launch after the threat's (a delay cue), NaN under a sensor cue
    flight_count: int  # Russian flights engaged, every class
    missiles: list[str]
    burnout_s: tuple[float, float]  # the earliest and latest burnout over the flights
    apogee_s: tuple[float, float]
    sites: list[tuple[str, str]]  # (site, interceptor)
    cases: list[Case]
    curves: list[ReachCurve]
    approaches: list[Approach]  # the flights drawn: of each class and site, the one that comes nearest to reach
    tracks: list[Track] = field(default_factory=list)  # every site and flight
    classes: list[str] = field(default_factory=list)  # the catalog roles flown, in CLASS_ORDER
    class_missiles: dict[str, list[str]] = field(default_factory=dict)  # class -> its missiles
    class_counts: dict[str, int] = field(default_factory=dict)  # class -> its flights
    cancelled: str | None = None  # the phase's cancellation date (ISO), where it was cancelled (never built)
    run_s: float = 0.0

    def case(self, site: str, burnout_speed_km_s: float, flight_phase: str, flight_class: str = ALL,
             interceptor: str | None = None) -> Case:
        """The case of a site (and its ``interceptor``, where the site has several) at one of its speeds in one
        flight phase, for one class (default: every class)."""
        for c in self.cases:
            if (c.site == site and c.flight_phase == flight_phase and c.flight_class == flight_class
                    and interceptor in (None, c.interceptor)
                    and abs(c.speed.burnout_speed_km_s - burnout_speed_km_s) < 1e-9):
                return c
        raise InputError(f"no case for {site} at {burnout_speed_km_s:g} km/s in {flight_phase} for {flight_class}")

    def class_count(self, flight_class: str) -> int:
        """The flights of a class (every class: ALL)."""
        return self.flight_count if flight_class == ALL else self.class_counts.get(flight_class, 0)

    def engageable(self, flight_phase: str, site: str | None = None, flight_class: str = ALL,
                   interceptor: str | None = None) -> int:
        """Flights engageable in ``flight_phase`` at the best speed of each site's band, summed over the sites and
        their interceptors (the named site's, or interceptor's, only, where given), of one class (default: every
        class)."""
        return sum(max((c.engageable_count for c in self.cases if c.site == name and c.interceptor == kind
                        and c.flight_phase == flight_phase and c.flight_class == flight_class), default=0)
                   for name, kind in self.sites if site in (None, name) and interceptor in (None, kind))

    def speeds(self, site: str, interceptor: str | None = None) -> list[Speed]:
        """The speeds a site (and its ``interceptor``, where the site has several) was engaged at, in increasing
        order."""
        return list(dict.fromkeys(c.speed for c in self.cases if c.site == site and interceptor in (None, c.interceptor)))

    def nearest(self, site: str, flight_phase: str, flight_class: str = ALL) -> Track | None:
        """The flight whose track comes nearest to ``site`` in ``boost`` or ``ascent`` (of one class)."""
        found = [t for t in self.tracks if t.site == site and flight_class in (ALL, t.flight_class)]
        return min(found, key=lambda t: (t.nearest_km(flight_phase), t.flight)) if found else None

    def time_range_s(self, what: str, flight_class: str = ALL) -> tuple[float, float]:
        """The earliest and latest ``burnout`` or ``apogee`` (s after launch) of a class's flights."""
        values = [t.burnout_s if what == "burnout" else t.apogee_s for t in self.tracks
                  if flight_class in (ALL, t.flight_class)]
        return (min(values), max(values)) if values else (math.nan, math.nan)

    def boost_shortfall(self, site: str, burnout_speed_km_s: float, flight_class: str = ALL,
                        interceptor: str | None = None) -> Shortfall | None:
        """The flight (of one class) whose boost track comes nearest to being reached from ``site`` at that speed:
        the least (nearest boost track - reach by the flight's burnout); None without a reach curve (a sensor cue
        has no fixed launch time) or without such a flight."""
        found = [self.gap(t, burnout_speed_km_s, interceptor)
                 for t in self.tracks if t.site == site and flight_class in (ALL, t.flight_class)]
        found = [g for g in found if g is not None]
        return min(found, key=lambda s: (s.shortfall_km, s.flight)) if found else None

    def gap(self, track: Track, burnout_speed_km_s: float, interceptor: str | None = None) -> Shortfall | None:
        """How far ``track``'s boost passes beyond what its site's interceptor (at that speed) can reach by the
        threat's burnout; None without a reach curve (a sensor cue has no fixed launch time)."""
        try:
            curve = self.curve(track.site, burnout_speed_km_s, interceptor)
        except InputError:
            return None
        available_s = track.burnout_s - curve.launch_s
        return Shortfall(self.phase, track.site, curve.interceptor, burnout_speed_km_s, track.flight,
                         track.flight_class, track.launch, track.burnout_s, available_s, track.nearest_boost_km,
                         curve.at(track.burnout_s), bound_km(burnout_speed_km_s, available_s))

    def curve(self, site: str, burnout_speed_km_s: float, interceptor: str | None = None) -> ReachCurve:
        """The reach curve of a site (and its ``interceptor``) at one speed."""
        for c in self.curves:
            if (c.site == site and interceptor in (None, c.interceptor)
                    and abs(c.speed.burnout_speed_km_s - burnout_speed_km_s) < 1e-9):
                return c
        raise InputError(f"no reach curve for {site} at {burnout_speed_km_s:g} km/s")

    def closest(self) -> Shortfall | None:
        """Over every site and interceptor (at its fastest speed) and class: the boost track that comes nearest to
        being reached."""
        found = [s for site, kind in self.sites if self.speeds(site, kind)
                 for s in [self.boost_shortfall(site, self.speeds(site, kind)[-1].burnout_speed_km_s, ALL, kind)]
                 if s is not None]
        return min(found, key=lambda s: (s.shortfall_km, s.flight)) if found else None


@dataclass
class EarlyPhases:
    """The early-phase study of every phase of a scenario that has one of the sites (:func:`study_phases`)."""

    scenario: str
    studies: list[EarlyPhase]  # by phase date
    skipped: list[tuple[str, str]]  # (phase, why it was not studied)
    run_s: float = 0.0

    @property
    def latest(self) -> EarlyPhase | None:
        """The latest phase studied that was not cancelled (else the latest studied)."""
        built = [s for s in self.studies if s.cancelled is None]
        return (built or self.studies or [None])[-1]

    def closest(self) -> Shortfall | None:
        """Over every phase, site and class: the boost track that comes nearest to being reached (the first phase
        where it does, where several tie)."""
        found = [s for s in (x.closest() for x in self.studies) if s is not None]
        return min(found, key=lambda s: (s.shortfall_km, s.flight)) if found else None


def phases_with_sites(scenario: Scenario, sites=EARLY_SITES) -> tuple[list, list[tuple[str, str]]]:
    """The phases (by date) that have an interceptor at one of ``sites``, cancelled ones included (the question is
    asked of what was planned too), and (phase, why) for the others."""
    wanted = {s.lower() for s in sites}
    chosen, skipped = [], []
    for p in sorted(scenario.phases, key=lambda p: p.date):
        if any(e.site.lower() in wanted for e in p.sites):
            chosen.append(p)
        else:
            skipped.append((p.name, f"no interceptor at {' or '.join(sites)}"))
    return chosen, skipped


def default_phase(scenario: Scenario, sites=EARLY_SITES):
    """The latest phase (by date) that is not cancelled and has an interceptor at one of ``sites``; None where
    no phase has one."""
    chosen = [p for p in phases_with_sites(scenario, sites)[0] if not p.cancelled]
    return chosen[-1] if chosen else None


def flight_class(row: dict, cat=None) -> str:
    """A flight's class: the catalog role of its missile (ICBM, SLBM, HGV, FOBS ...)."""
    cat = cat or catalog.load()
    return cat.missiles[cat.find("missile", row["missile"])].role


def russian_flights(threats: ThreatFlights, roles=None, cat=None) -> ThreatFlights:
    """The flown Russian-concern flights (``aggregate.is_russian``), of the catalog ``roles`` where given (default:
    every role)."""
    cat = cat or catalog.load()
    by_id = {r["flight_id"]: r for r in threats.rows}
    keep = [int(i) for i in threats.flown_ids if aggregate.is_russian(by_id[int(i)])
            and (roles is None or flight_class(by_id[int(i)], cat) in roles)]
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
          speeds: dict[str, list[Speed]] | None = None, roles=None, progress=None) -> EarlyPhase | None:
    """The early-phase study of one phase of ``scenario`` (default :func:`default_phase`) against its flown
    ``threats`` (an assessment's ``flights``; only the Russian-concern flights are used, of the catalog
    ``roles`` where given, every role by default).

    ``sites``: the sites asked about (those of the phase are used); ``speeds``: interceptor name -> the
    burnout speeds to engage at (default :func:`catalog_speeds`). Returns None where the phase has none of
    the sites or no Russian flight was flown. Raises :class:`~shieldcheck.errors.InputError` for a phase the
    scenario does not have."""
    cat = catalog.load()
    if phase is None:
        chosen = default_phase(scenario, sites)
        if chosen is None:
            return None
    else:
        limits.choose(f"phase of {scenario.name}", phase, [p.name for p in scenario.phases])
        chosen = scenario.phase(phase)
    ours = russian_flights(threats, roles, cat)
    if ours.flown is None:
        return None
    return _study(scenario, chosen, ours, sites, speeds, {}, cat, progress)


def study_phases(scenario: Scenario, threats: ThreatFlights, *, sites=EARLY_SITES,
                 speeds: dict[str, list[Speed]] | None = None, roles=None, progress=None) -> EarlyPhases | None:
    """The early-phase study of every phase of ``scenario`` that has an interceptor at one of ``sites``
    (:func:`phases_with_sites`: cancelled phases too, marked as such), the others listed with the reason they
    were skipped. A site whose inputs (interceptor, cue, sector) are the same in several phases is engaged
    once. Arguments as for :func:`study`; None where no phase has one of the sites or no Russian flight was
    flown."""
    start = time.perf_counter()
    cat = catalog.load()
    chosen, skipped = phases_with_sites(scenario, sites)
    ours = russian_flights(threats, roles, cat)
    if not chosen or ours.flown is None:
        return None
    memo: dict = {}
    studies = [_study(scenario, p, ours, sites, speeds, memo, cat, progress) for p in chosen]
    studies = [s for s in studies if s is not None]
    return EarlyPhases(scenario.name, studies, skipped, time.perf_counter() - start)


def _study(scenario, chosen, ours: ThreatFlights, sites, speeds, memo: dict, cat, progress) -> EarlyPhase | None:
    """The study of one phase against the Russian flights ``ours``; ``memo`` keeps each site's engagements (by its
    inputs and speed) and the tracks' distances from the sites for the phases after it."""
    start = time.perf_counter()
    wanted = {s.lower() for s in sites}
    entries = list({(e.site, e.interceptor): e for e in chosen.sites if e.site.lower() in wanted}.values())
    if not entries:
        return None
    flown = ours.flown
    model = flown.earth
    a = scenario.assumptions
    basis = "bounding" if a.bounding_cueing else "architecture"
    shapes = scenario.sector_shapes() if scenario.sectors else {}
    by_id = {r["flight_id"]: r for r in ours.rows}
    rows = [by_id[int(i)] for i in ours.flown_ids]
    names = [flight_name(r) for r in rows]
    kinds = np.array([flight_class(r, cat) for r in rows])
    classes = class_order(kinds.tolist())
    horizon_s = float(np.max(flown.apogee_time_s)) + CURVE_STEP_S
    grid_s = np.arange(0.0, horizon_s + CURVE_STEP_S, CURVE_STEP_S)
    flights = (flown, names, kinds, classes, model, grid_s)
    cases, curves, cue_text, launch_s = [], [], "", math.nan
    total = sum(len((speeds or {}).get(e.interceptor) or catalog_speeds(e.interceptor, cat)) for e in entries)
    done = 0
    for entry in entries:
        interceptor, site, rule, cueing, options = site_inputs(entry, scenario, shapes, basis, cat)
        cue_text = f"{rule} +{options['launch_delay_s']:g} s" if options["launch_delay_s"] else rule
        # a delay cue fixes the interceptor's launch (the reach curve's origin); a sensor cue does not
        site_launch_s = float(cueing.delay_s) + float(options["launch_delay_s"]) if cueing.rule == "delay" else math.nan
        launch_s = site_launch_s if math.isfinite(site_launch_s) else launch_s
        for speed in (speeds or {}).get(entry.interceptor) or catalog_speeds(entry.interceptor, cat):
            key = (entry.site, entry.interceptor, entry.sector, rule, tuple(entry.cueing_sensors), speed)
            if key not in memo:
                memo[key] = _engage(entry, interceptor, site, cueing, options, speed, site_launch_s, flights)
            found, curve = memo[key]
            cases += found
            curves += [curve] if curve is not None else []
            done += 1
            if progress:
                progress(done, total, f"early phases: {chosen.name}, {entry.site} ({entry.interceptor}) at "
                         f"{speed.burnout_speed_km_s:g} km/s")
    places = ("tracks",) + tuple(sorted({e.site for e in entries}))
    if places not in memo:
        memo[places] = _tracks(ours, rows, names, kinds, entries, model, cat)
    tracks, approaches = memo[places]
    study = EarlyPhase(scenario.name, chosen.name, cue_text, basis, launch_s, len(flown),
                       sorted({r["missile"] for r in rows}),
                       (float(np.min(flown.burnout_time_s)), float(np.max(flown.burnout_time_s))),
                       (float(np.min(flown.apogee_time_s)), float(np.max(flown.apogee_time_s))),
                       [(e.site, e.interceptor) for e in entries], cases, curves, [], tracks, classes,
                       {c: sorted({r["missile"] for r, k in zip(rows, kinds) if k == c}) for c in classes},
                       {c: int(np.sum(kinds == c)) for c in classes},
                       chosen.cancelled.isoformat() if chosen.cancelled else None)
    study.approaches = _drawn(study, approaches)
    study.run_s = time.perf_counter() - start
    return study


def _engage(entry, interceptor, site, cueing, options, speed: Speed, site_launch_s: float, flights):
    """One site at one speed: its cases (each flight phase, every class and each class) and its reach curve."""
    flown, names, kinds, classes, model, grid_s = flights
    groups = [(ALL, np.ones(len(names), bool))] + [(c, kinds == c) for c in classes]
    try:
        scaled = reach.with_burnout_speed(interceptor, speed.burnout_speed_km_s * 1e3, earth=model.name,
                                          atmosphere=flown.atmosphere)
    except InputError as error:  # a speed the stage model cannot reach is a result, said as such
        return [Case(entry.site, entry.interceptor, speed, p, int(mask.sum()), 0, None, None, {}, str(error),
                     flight_class=c) for p in FLIGHT_PHASES for c, mask in groups], None
    where_m = _site_position_m(site, model)
    cases = []
    for flight_phase in FLIGHT_PHASES:
        result = engage_many(flown, scaled, [site], cueing=cueing, **dict(options, flight_phase=flight_phase))
        intercepts = _intercepts(result, flown, names, where_m)
        cases += [_case(entry, speed, flight_phase, result, names, mask, c, intercepts) for c, mask in groups]
    curve = None
    if math.isfinite(site_launch_s):
        radius_m = float(np.linalg.norm(where_m))
        after_launch_s = grid_s - site_launch_s
        farthest = np.zeros_like(grid_s)
        for b in range(int(round(360.0 / reach.AZIMUTH_BIN_DEG))):
            envelope = reach.envelope(scaled.vehicle, site.latitude_deg, b * reach.AZIMUTH_BIN_DEG,
                                      earth=model.name, atmosphere=flown.atmosphere)
            farthest = np.maximum(farthest, reach_km(envelope, radius_m, after_launch_s))
        curve = ReachCurve(entry.site, entry.interceptor, speed, site_launch_s, grid_s,
                           np.where(after_launch_s > 0.0, farthest, 0.0))
    return cases, curve


def _intercepts(result, flown, names: list[str], where_m: np.ndarray) -> dict[int, Intercept]:
    """The earliest intercept of each feasible flight (by its index): time, and straight-line distance from the site."""
    from .engagement import PHASE_NAMES

    found = {}
    for k in np.flatnonzero(result.verdict[:, 0] == Verdict.FEASIBLE):
        s = int(result.intercept_index[k, 0])
        track = flown.trajectory_of(int(k))
        found[int(k)] = Intercept(names[int(k)], float(track["time_s"][s]),
                                  float(np.linalg.norm(track["position_ecef_m"][s] - where_m)) / 1e3,
                                  PHASE_NAMES[int(result.intercept_phase[k, 0])])
    return found


def _case(entry, speed: Speed, flight_phase: str, result, names: list[str], mask: np.ndarray, flight_class: str,
          intercepts: dict[int, Intercept]) -> Case:
    verdicts = result.verdict[:, 0]
    margins = result.margin_s[:, 0]
    feasible = (verdicts == Verdict.FEASIBLE) & mask
    with_margin = np.isin(verdicts, [Verdict.TOO_LATE, Verdict.BEYOND_SECTOR]) & np.isfinite(margins) & mask
    counts: dict[str, int] = {}
    for v in verdicts[mask]:
        name = Verdict(int(v)).name.lower()
        counts[name] = counts.get(name, 0) + 1
    order = np.flatnonzero(feasible)[np.argsort(-margins[feasible], kind="stable")]
    return Case(entry.site, entry.interceptor, speed, flight_phase, int(mask.sum()), int(feasible.sum()),
                float(margins[feasible].max()) if feasible.any() else None,
                float(margins[with_margin].max()) if not feasible.any() and with_margin.any() else None, counts,
                engaged=[names[int(k)] for k in order], flight_class=flight_class,
                intercepts=[intercepts[int(k)] for k in order])


def flight_name(row: dict) -> str:
    return f"{row['missile']} {row['launch']} → {row['aim']} ({row['trajectory']})"


def _tracks(ours: ThreatFlights, rows, names, kinds, entries, model, cat):
    """Every (site, flight): its nearest approach in boost and in ascent (:class:`Track`), and its distance from
    the site sample by sample up to apogee (:class:`Approach`, by (site, flight))."""
    flown = ours.flown
    positions = {e.site: _site_position_m(cat.site(e.site), model) for e in entries}
    tracks, approaches = [], {}
    for k, row in enumerate(rows):
        track = flown.trajectory_of(k)
        burnout_s, apogee_s = float(flown.burnout_time_s[k]), float(flown.apogee_time_s[k])
        upto = track["time_s"] <= max(apogee_s, burnout_s)  # a fractional orbit's highest point can precede its burnout
        for site, where in positions.items():
            distance_km = np.linalg.norm(np.asarray(track["position_ecef_m"])[upto] - where, axis=1) / 1e3
            approach = Approach(site, names[k], track["time_s"][upto], distance_km, burnout_s, apogee_s, str(kinds[k]))
            approaches[(site, names[k])] = approach
            tracks.append(Track(site, names[k], str(kinds[k]), row["launch"], burnout_s, apogee_s,
                                approach.nearest_km("boost"), approach.nearest_km("ascent")))
    return tracks, approaches


def _drawn(study: EarlyPhase, approaches: dict) -> list[Approach]:
    """The tracks the figure draws: of each site and class, the nearest boost track, and the one that comes nearest
    to being reached at the fastest speed of each of the site's interceptors where that is another."""
    drawn = []
    for site, interceptor in study.sites:
        for c in study.classes:
            speeds = study.speeds(site, interceptor)
            gap = study.boost_shortfall(site, speeds[-1].burnout_speed_km_s, c, interceptor) if speeds else None
            for flight in [study.nearest(site, "boost", c).flight] + ([gap.flight] if gap is not None else []):
                if all(a is not approaches[(site, flight)] for a in drawn):
                    drawn.append(approaches[(site, flight)])
    return drawn


def for_assessment(assessment, progress=None) -> EarlyPhases | None:
    """The early-phase study of an assessment (its scenario and its flown flights; every phase with one of the
    sites, the catalog's speed bands); None where the scenario has none of the sites."""
    return study_phases(assessment.scenario, assessment.flights, progress=progress)
