"""Guarantees: the limits a treaty could write down, per interceptor site.

The inverse of the assessment. For each interceptor site of a phase:

* **speed limit**: interceptor burnout speeds are swept (the stage model rescaled by one stated
  parameter, ``reach.with_burnout_speed``); the limit is the largest swept speed at which no
  Russian ICBM or SLBM flight of the threat set (purpose ``russian-concern``) is engageable, no
  slower speed being engageable either; reported with the share of the Iranian (``stated``)
  flights the site still engages at that speed;
* **cueing limit**: the interceptor launch is held to ``delay:SECONDS`` after the threat's
  launch, swept; the limit is the earliest such delay from which on no Russian flight is
  engageable, with the Iranian share still covered.

The cue for the speed sweep is the scenario's bounding cue when it states one (the setting of
the published analyses: it ignores where the radars look), otherwise the site's own cueing: a
limit found with the bounding cue holds whatever the sensors, which is what makes it verifiable.
Everything else (altitude band, sector, delays, cross-section) is the scenario's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa

from . import aggregate, reach, treaty
from . import limits as input_limits  # the name `limits` is this module's SiteLimit lists
from .assess import ThreatFlights, site_inputs, threat_flights
from .engagement import Cueing, Verdict, engage_many
from .errors import InputError
from .scenario import Scenario

SPEEDS_KM_S = tuple(np.round(np.arange(2.0, 7.01, 0.5), 2))
DELAYS_S = tuple(range(0, 901, 30))
# The coarser grid `assess` sweeps (each rescaled speed builds its own reach envelopes, several seconds each):
# from 1.5 km/s below each interceptor's catalog speed up to it, and launch delays every 60 s
ASSESS_SPEEDS_BELOW_CATALOG_KM_S = (1.5, 1.0, 0.5, 0.0)
ASSESS_DELAYS_S = tuple(range(0, 901, 60))


@dataclass
class SiteLimit:
    """The sweeps and limits of one interceptor site."""

    site: str
    interceptor: str
    catalog_speed_km_s: float
    cueing: str  # the cue used by the speed sweep
    speeds_km_s: list[float] = field(default_factory=list)
    russian_engageable: list[int] = field(default_factory=list)  # per speed
    stated_share: list[float] = field(default_factory=list)  # per speed: engaged Iranian flights / flown
    delays_s: list[float] = field(default_factory=list)
    russian_engageable_by_delay: list[int] = field(default_factory=list)
    stated_share_by_delay: list[float] = field(default_factory=list)
    n_russian: int = 0
    n_stated: int = 0
    impossible_speeds: dict = field(default_factory=dict)  # speed -> why the stage model cannot reach it
    basings: tuple = ()  # the site's basing (treaty.site_basing: land, or sea for a ship's station); () unknown

    @property
    def speed_limit_km_s(self) -> float | None:
        """Largest swept speed with no Russian flight engageable at it or any slower speed."""
        limit = None
        for speed, count in zip(self.speeds_km_s, self.russian_engageable):
            if count > 0:
                break
            limit = speed
        return limit

    @property
    def stated_share_at_speed_limit(self) -> float | None:
        limit = self.speed_limit_km_s
        return None if limit is None else self.stated_share[self.speeds_km_s.index(limit)]

    @property
    def cueing_limit_s(self) -> float | None:
        """Earliest swept delay from which on no Russian flight is engageable."""
        limit = None
        for delay, count in zip(reversed(self.delays_s), reversed(self.russian_engageable_by_delay)):
            if count > 0:
                break
            limit = delay
        return limit

    @property
    def stated_share_at_cueing_limit(self) -> float | None:
        limit = self.cueing_limit_s
        return None if limit is None else self.stated_share_by_delay[self.delays_s.index(limit)]

    @property
    def speed_limit_at_top(self) -> bool:
        """True when no swept speed engages a Russian flight: the "limit" is only the top of the sweep."""
        return bool(self.speeds_km_s) and self.speed_limit_km_s == self.speeds_km_s[-1]

    def speed_limit_words(self) -> str:
        """The speed limit in words that cannot be misread: a limit, the top of the sweep, or none."""
        if not self.speeds_km_s:
            return "no swept speed is reachable by its stage model"
        if self.speed_limit_km_s is None:
            if any(v < self.speeds_km_s[0] for v in self.impossible_speeds):
                return f"below {self.speeds_km_s[0]:.2f} km/s, the slowest swept speed its stage model reaches"
            return f"below {self.speeds_km_s[0]:.2f} km/s, the slowest swept speed"
        if self.speed_limit_at_top:
            return (f"no Russian flight engageable at any swept speed up to {self.speeds_km_s[-1]:.2f} km/s, the "
                    "fastest swept speed its stage model reaches: not a limit, the top of the sweep")
        return f"{self.speed_limit_km_s:.2f} km/s"

    def treaty_limit(self) -> treaty.TreatyLimit | None:
        """The speed limit in the 1997 texts' words ("maximum velocity over any part of the trajectory, as
        demonstrated in tests, not to exceed X km/s"), placed against the lower-velocity line and the Helsinki
        line of the site's basing (every basing where it is not known); None where the sweep found no limit.
        The swept speed is the interceptor's Earth-relative burnout speed (reach.with_burnout_speed), the speed
        treaty.SPEED_TAKEN names."""
        if self.speed_limit_km_s is None:
            return None
        return treaty.treaty_limit(self.speed_limit_km_s, self.basings or treaty.BASINGS)

    def treaty_words(self) -> str:
        """The limit in treaty wording and where it falls against the 1997 lines; or why there is none to write."""
        found = self.treaty_limit()
        if found is None:
            return f"no limit to write: {self.speed_limit_words()}"
        top = (" (the top of the sweep: no Russian flight was engageable at any swept speed, so a higher limit "
               "may also hold)" if self.speed_limit_at_top else "")
        return found.sentence() + top

    def treaty_json(self) -> dict | None:
        """The treaty wording as guarantee.json carries it (treaty.TreatyLimit.as_json), or None."""
        found = self.treaty_limit()
        return None if found is None else dict(found.as_json(), at_top_of_sweep=self.speed_limit_at_top)

    def cueing_limit_words(self) -> str:
        """The cue limit in words; a launch at the threat's own launch (a delay of 0 s or less) is never offered
        as a limit: no sensor reports a launch before it happens."""
        if not self.delays_s:
            return "no delay swept"
        limit = self.cueing_limit_s
        if limit is None:
            return f"later than {self.delays_s[-1]:.0f} s, the last swept delay"
        if limit <= 0.0:
            return ("no Russian flight engageable at any swept delay, even a launch at the threat's own launch "
                    "(0 s, physically impossible): no cue limit is needed")
        return f"{limit:.0f} s"

    def reachable_speeds_words(self) -> str:
        """The swept speeds the stage model reaches, lowest and highest, and those it cannot."""
        if not self.speeds_km_s:
            return "its stage model reaches none of the swept speeds"
        out = (f"its stage model reaches swept speeds from {self.speeds_km_s[0]:.2f} to "
               f"{self.speeds_km_s[-1]:.2f} km/s")
        if self.impossible_speeds:
            out += " (not " + ", ".join(f"{v:.2f}" for v in sorted(self.impossible_speeds)) + " km/s)"
        return out


def _by_purpose(flight_ids: np.ndarray, purposes: np.ndarray, verdicts: np.ndarray | None = None) -> dict[str, dict]:
    """Flights and engageable flights per purpose (:func:`aggregate.counts`) of one site's evaluation
    (``verdicts``: its verdict per flight; None counts the flights only)."""
    names = [Verdict(int(v)).name.lower() for v in verdicts] if verdicts is not None else [None] * len(flight_ids)
    table = pa.table({"flight_id": pa.array([int(i) for i in flight_ids], pa.int64()),
                      "purpose": pa.array([str(p) for p in purposes], pa.string()),
                      "verdict": pa.array(names, pa.string())})
    return {c["purpose"]: c for c in aggregate.counts(table, ["purpose"])}


def _counts(result, flight_ids: np.ndarray, purposes: np.ndarray) -> tuple[int, float]:
    """Engageable Russian-concern flights, and the share of the stated flights engageable."""
    found = _by_purpose(flight_ids, purposes, result.verdict[:, 0])
    russian, stated = found.get("russian-concern", {}), found.get("stated", {})
    return int(russian.get("engageable", 0)), stated.get("engageable", 0) / max(stated.get("flights", 0), 1)


def guarantee(scenario: Scenario, *, phase: str | None = None, sites=None, speeds_km_s=SPEEDS_KM_S,
              delays_s=DELAYS_S, work_dir: Path | None = None, cache_dir: Path | None = None, progress=None,
              threats: ThreatFlights | None = None,
              speeds_below_catalog_km_s=None, cat=None) -> tuple[str, list[SiteLimit], ThreatFlights]:
    """Speed and cueing limits of every interceptor site of a phase (default: the last one), or of
    the named ``sites`` only. ``threats``: the scenario's flights already flown (an assessment's
    ``flights``), so that they are not flown again. ``speeds_below_catalog_km_s``: sweep each
    interceptor at its catalog burnout speed less each of these (instead of ``speeds_km_s``). ``cat``: the
    catalog to read the sites' records from (the loaded one by default; a sweep case's, ``limit_ranges``)."""
    chosen = scenario.phase(phase) if phase else scenario.phases[-1]
    speeds_km_s = input_limits.check_each("burnout_speed_km_s", speeds_km_s, "speeds_km_s")
    delays_s = input_limits.check_each("cue_delay_s", delays_s, "delays_s")
    entries = list({(e.site, e.interceptor): e for e in chosen.sites}.values())
    if sites:  # checked before any flight is aimed
        names = {e.site.lower(): e.site for e in entries}
        unknown = [s for s in sites if s.lower() not in names]
        if unknown:
            raise input_limits.not_allowed(f"interceptor site of {chosen.name} of {scenario.name}", unknown[0], names.values())
        entries = [e for e in entries if e.site.lower() in {s.lower() for s in sites}]
    if threats is None:
        threats = threat_flights(scenario, work_dir, cache_dir)
    shapes = scenario.sector_shapes() if scenario.sectors else {}
    a = scenario.assumptions
    by_id = {r["flight_id"]: r for r in threats.rows}
    purposes = np.array([by_id[int(i)]["purposes"][0] for i in threats.flown_ids])  # as assess writes `purpose`
    flights = _by_purpose(threats.flown_ids, purposes)
    limits = []
    total = len(entries) * (len(speeds_below_catalog_km_s or speeds_km_s) + 1)
    done = 0
    for entry in entries:
        basis = "bounding" if a.bounding_cueing else "architecture"
        interceptor, site, rule, cueing, options = site_inputs(entry, scenario, shapes, basis, cat)
        if options["launch_delay_s"]:  # the decision time (and launch delay) between the cue and the launch
            rule = f"{rule} +{options['launch_delay_s']:g} s"
        limit = SiteLimit(entry.site, entry.interceptor, interceptor.burnout_speed_m_s / 1e3, rule,
                          n_russian=flights.get("russian-concern", {}).get("flights", 0),
                          n_stated=flights.get("stated", {}).get("flights", 0),
                          basings=treaty.site_basing(entry.site, cat)
                          or treaty.classify_interceptor(entry.interceptor, cat).basings)
        grid = speeds_km_s
        if speeds_below_catalog_km_s is not None:
            grid = tuple(sorted(round(limit.catalog_speed_km_s - d, 2) for d in speeds_below_catalog_km_s
                                if limit.catalog_speed_km_s - d > 0.0))
        for speed in grid:
            try:
                scaled = reach.with_burnout_speed(interceptor, float(speed) * 1e3)
            except InputError as error:  # a speed the stage model cannot reach is a result, reported as such
                limit.impossible_speeds[float(speed)] = str(error)
                continue
            result = engage_many(threats.flown, scaled, [site], cueing=cueing, **options)
            russian, share = _counts(result, threats.flown_ids, purposes)
            limit.speeds_km_s.append(float(speed))
            limit.russian_engageable.append(russian)
            limit.stated_share.append(share)
            done += 1
            if progress:
                progress(done, total, f"{entry.site}: {speed:g} km/s")
        delay_options = dict(options, sensors=(), own_radars=None, launch_delay_s=0.0)  # the delay is the launch time
        for delay in delays_s:
            result = engage_many(threats.flown, interceptor, [site], cueing=Cueing("delay", float(delay)),
                                 **delay_options)
            russian, share = _counts(result, threats.flown_ids, purposes)
            limit.delays_s.append(float(delay))
            limit.russian_engageable_by_delay.append(russian)
            limit.stated_share_by_delay.append(share)
        done += 1
        if progress:
            progress(done, total, f"{entry.site}: cueing")
        limits.append(limit)
    return chosen.name, limits, threats


def limit_ranges(plan, assessment, phase: str, limit: SiteLimit, progress=None) -> dict:
    """The speed limit of one site over an uncertainty sweep's cases (``assess --uncertainty``): the guarantee's
    speed sweep on the assessment's grid, re-run with each case's catalog and assumptions (kill-vehicle limits,
    intercept ceilings, decision time, sensors; the swept speed stands in for the case's own burnout speed), on
    the flights already flown. Returns the limit per case (km/s; None: below the slowest speed swept, or the
    sweep's top where none is engageable), the parameter that moves it most (first-order index, of the limit
    with "below the sweep" counted as the slowest speed less one step) and the case count."""
    from . import sweep

    cases = plan.cases()
    found = []
    for k, case in enumerate(cases):
        here = sweep.world(plan, case)
        _, limits, _ = guarantee(here.scenario, phase=phase, sites=[limit.site], delays_s=(),
                                 threats=assessment.flights, speeds_below_catalog_km_s=ASSESS_SPEEDS_BELOW_CATALOG_KM_S,
                                 cat=here.cat)
        found.append(next(x for x in limits if x.interceptor == limit.interceptor))
        if progress:
            progress(k + 1, len(cases), f"{limit.site}: the speed limit over the catalog's ranges")
    values = [x.speed_limit_km_s for x in found]
    step = min(ASSESS_SPEEDS_BELOW_CATALOG_KM_S[i] - ASSESS_SPEEDS_BELOW_CATALOG_KM_S[i + 1]
               for i in range(len(ASSESS_SPEEDS_BELOW_CATALOG_KM_S) - 1))
    y = np.array([v if v is not None else min(x.speeds_km_s or [0.0]) - step for v, x in zip(values, found)])
    entry = next(e for e in plan.scenario.phase(phase).sites if (e.site, e.interceptor) == (limit.site, limit.interceptor))
    own = {("interceptor", entry.interceptor), *(("sensor", n) for n in (*entry.sensors, *entry.cue_sensors))}

    bounding = plan.scenario.assumptions.bounding_cueing is not None

    def bears(p) -> bool:  # the site's own interceptor (not its swept speed), its sensors (not under the bounding
        # cue, which ignores the radars), the assumptions
        if p.path.table == "assumptions":
            return True
        record = p.path.catalog_field()[1]
        return ((p.path.table, record) in own and p.path.field != ("burnout_speed_km_s",)
                and not (bounding and p.path.table == "sensor"))

    movers = [(index, p.name) for p in plan.parameters if bears(p)
              and (index := aggregate.first_order_index(np.array([c[p.name] for c in cases], float), y)) is not None]
    return {"site": limit.site, "interceptor": limit.interceptor, "phase": phase, "speed_limit_km_s": values,
            "at_top": [x.speed_limit_at_top for x in found], "cases": len(cases),
            "mover": max(movers)[::-1] if movers else None}


@dataclass
class PhaseLimits:
    """The guarantee analysis of one phase of an assessment: the sites swept, and those left out and why."""

    phase: str
    limits: list[SiteLimit]
    left_out: list[str]  # "site (interceptor)": each engages no Russian flight at its catalog values
    run_s: float


def where_it_matters(results: pa.Table, scenario: Scenario) -> dict[str, list[str]]:
    """Phase (in date order) -> the sites that engage some Russian-concern flight there under some cue basis
    (:func:`aggregate.counts` by phase, site and purpose): the only places where a limit changes anything."""
    found: dict[str, list[str]] = {}
    for c in aggregate.counts(results, ("phase", "site", "purpose", "cue_basis")):
        if c["purpose"] == "russian-concern" and c["engageable"] > 0 and c["site"] not in found.get(c["phase"], []):
            found.setdefault(c["phase"], []).append(c["site"])
    return {p.name: found[p.name] for p in sorted(scenario.phases, key=lambda p: p.date) if p.name in found}


def for_assessment(assessment, *, phases: int | None = 1, speeds_km_s=SPEEDS_KM_S, delays_s=ASSESS_DELAYS_S,
                   speeds_below_catalog_km_s=ASSESS_SPEEDS_BELOW_CATALOG_KM_S, progress=None) -> list[PhaseLimits]:
    """The guarantee analysis where it matters, reusing the assessment's flown flights: in the first
    ``phases`` phases (date order; None: all) with an engageable Russian flight, the sites that engage one
    (:func:`where_it_matters`); the phase's other sites are listed as left out (no limit is needed where
    no Russian flight is engageable). By default only the phase in which the capability first emerges (the
    one the report's answer is about), on the coarser grid of ``ASSESS_*``: each rescaled speed builds its
    own reach envelopes, several seconds each; ``speeds_below_catalog_km_s=None`` sweeps ``speeds_km_s``."""
    import time

    scenario = assessment.scenario
    out = []
    for phase_name, site_names in list(where_it_matters(assessment.results, scenario).items())[:phases]:
        start = time.perf_counter()
        phase = scenario.phase(phase_name)
        _, limits, _ = guarantee(scenario, phase=phase_name, sites=site_names, speeds_km_s=speeds_km_s,
                                 delays_s=delays_s, progress=progress, threats=assessment.flights,
                                 speeds_below_catalog_km_s=speeds_below_catalog_km_s)
        swept = {(x.site, x.interceptor) for x in limits}
        left_out = list(dict.fromkeys(f"{e.site} ({e.interceptor})" for e in phase.sites
                                      if (e.site, e.interceptor) not in swept))
        out.append(PhaseLimits(phase_name, limits, left_out, time.perf_counter() - start))
    return out


def write(phase: str, limits: list[SiteLimit], scenario: Scenario, out: Path, *, draw_chart=None) -> None:
    """``guarantee.json`` (the sweeps and limits) and, given ``draw_chart``, ``guarantee.png`` (per site:
    engageable Russian flights and the share of Iranian flights covered against speed and against launch
    delay, and the one against the other as the speed limit rises) into ``out``.

    ``draw_chart(limits, title, path)`` is the chart's writer (``report.figures.guarantee_chart``), passed
    in by whoever runs the study, so that the study needs nothing of the report."""
    import json

    data = {"scenario": scenario.name, "phase": phase,
            "assumptions": {"launch_delay_s": scenario.assumptions.launch_delay_s.value,
                            "rcs_m2": scenario.assumptions.rcs_m2.value,
                            "speed_sweep": "stage model rescaled by one stated parameter (reach.with_burnout_speed)",
                            "cueing_sweep": "interceptor launch held to delay:SECONDS after the threat's launch",
                            "speed_taken": treaty.SPEED_TAKEN},
            "treaty_lines": [{"name": line.name, "value_km_s": line.value, "basings": list(line.basings),
                              "source": line.source, "date": line.date.isoformat()} for line in treaty.INTERCEPTOR_LINES],
            "sites": []}
    for limit in limits:
        data["sites"].append({
            "site": limit.site, "interceptor": limit.interceptor, "catalog_speed_km_s": limit.catalog_speed_km_s,
            "cueing": limit.cueing, "russian_flights": limit.n_russian, "stated_flights": limit.n_stated,
            "speed_limit_km_s": limit.speed_limit_km_s, "stated_share_at_speed_limit": limit.stated_share_at_speed_limit,
            "cueing_limit_s": limit.cueing_limit_s, "stated_share_at_cueing_limit": limit.stated_share_at_cueing_limit,
            "speeds_km_s": limit.speeds_km_s, "russian_engageable": limit.russian_engageable,
            "stated_share": limit.stated_share, "delays_s": limit.delays_s,
            "russian_engageable_by_delay": limit.russian_engageable_by_delay,
            "stated_share_by_delay": limit.stated_share_by_delay, "impossible_speeds": limit.impossible_speeds,
            "basings": list(limit.basings), "treaty_wording": limit.treaty_words(), "treaty": limit.treaty_json()})
    (out / "guarantee.json").write_text(json.dumps(data, indent=1, allow_nan=False))
    if draw_chart is not None:
        draw_chart(limits, f"{scenario.name}, {phase}: where a limit stops Russian flights being engageable",
                    out / "guarantee.png")
