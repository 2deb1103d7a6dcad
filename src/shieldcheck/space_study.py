"""What a constellation of space-based interceptors would mean for a scenario: the share of the Russian
deterrent and of the other threat sets it could engage in boost, the size from which that share crosses
stated thresholds, the satellites it needs against salvos, how the absentee ratio grows with altitude, and the
published check points (APS 2003, CBO 2025, CBO 2026) computed beside the published figures.

:func:`study` flies the scenario's threat flights (``assess.threat_flights``: aimed and flown as the assessment
flies them, read back from its cache where it has them) and asks ``space_intercept`` every question; nothing
here is new physics. The answers, each a stated Monte Carlo with its sizes as parameters and one seed:

* **Share engageable in boost** (per purpose of the threat sets: ``russian-concern`` is the deterrent,
  ``stated`` the threats the defence is stated to answer): ``launches`` pairs (flight, launch time) drawn
  uniformly, the flight among the purpose's flown flights, the time over a day after the constellation's epoch;
  a launch is engageable when at least one satellite can put its kill vehicle on it in boost
  (``space_intercept.engage_from_orbit``: the scenario's endgame model and track error). The *flight share* is
  the share of those launches, with its Wilson 95 % interval; the *warhead share* weights each by its missile's
  warheads (catalog). Each launch is alone: a satellite in range of two launches counts for both.
* **The deterrent** (``attrition.deterrent``: the scenario's deterrent, or New START's 1,550 warheads): the
  warhead share times its warheads is the deterrent's warheads on missiles that could be engaged one at a time,
  the deterrent's warheads taken as spread over the launch areas, missiles and routes as the threat sets'
  flights are. **Launched together**: every flight of the deterrent's threat sets (one missile per flight, as
  the numbers game counts; at most ``MAX_SIMULTANEOUS``, drawn) launched at once, at ``simultaneous_times``
  launch times; one interceptor per satellite, each satellite engaging at most one missile
  (``space_intercept.salvo_engaged``, a maximum matching): the missiles that could be engaged.
* **Size for a share** (:func:`threshold_search`): the same launches against the constellation's Walker family
  (``Constellation.resized``), bracketed by factors of 4 from the studied size, then bisected (geometric mean)
  until the bracket's two patterns are within ``size_tolerance`` of each other; the answer is the bracket's
  upper pattern, with the share on both sides. The share is not exactly monotone in the size (each size is
  another pattern), so the answer is a bracket, stated as such.
* **Satellites needed against a salvo** (``space_intercept.satellites_needed``): k missiles drawn from the
  deterrent's flights (the first purpose's where it has none) launched together, for each k of
  ``salvo_sizes``; the smallest pattern of the family tried that engages all k with ``probability``.
* **Absentee ratio versus altitude** (``space_intercept.varied``): the same launches, the pattern moved to
  each altitude of ``altitudes_km``.
* **Coverage over time**: one representative flight per purpose (of its most frequent launch area) launched
  every ``coverage_step_s`` over a day, and the sub-satellite points at the release of four of those launches
  (0, 6, 12 and 18 h) near its launch area: what the report's map and time chart show.
* **Check points** (:data:`CHECK_POINTS`, :func:`check_points`): the catalog's constellations against the
  published sizes, with the assumptions that differ named; ``validation/sbi_check_points.py`` runs them at
  their full size (96 launch times, 100 trials), which gives the numbers docs/model.md quotes.

The defaults keep a run to seconds once the kernels are compiled; a study for publication raises
``launches``, ``trials`` and ``check_trials``.

    >>> from shieldcheck import scenario, space_study
    >>> result = space_study.study(scenario.load("epaa"), "CBO-2026-like", launches=200)  # doctest: +SKIP
    >>> print(result.explain())  # doctest: +SKIP
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa

from . import space_intercept as S
from .aggregate import wilson_interval
from .constellation import Constellation, checked
from .engine import orbit_reach as O
from .engine import results as R
from .errors import InputError

DETERRENT_PURPOSE = "russian-concern"
DEFAULT_LAUNCHES = 48  # (flight, launch time) pairs drawn per purpose
DEFAULT_THRESHOLDS = (0.5, 0.9)
DEFAULT_SALVO_SIZES = (1, 2, 5, 10)
DEFAULT_SALVO_FAMILY = (250, 1_000, 4_000, 16_000)
DEFAULT_TRIALS = 20
DEFAULT_ALTITUDES_KM = (300.0, 400.0, 500.0, 800.0, 1_200.0)
DEFAULT_SIMULTANEOUS_TIMES = 4
DEFAULT_PROBABILITY = 0.9
SIZE_RANGE = (10, 100_000)  # the smallest and largest Walker pattern the threshold search tries
LARGEST_SEARCHED = 150_000  # the most ``largest`` may be: a resized pattern may hold a little more than asked, and
# constellation.MAX_SATELLITES (200,000) bounds every pattern
SIZE_TOLERANCE = 0.05  # the search stops when the bracket's two patterns are within 5 % of each other
COVERAGE_STEP_S = 900.0
MAP_TIMES_S = (0.0, 21_600.0, 43_200.0, 64_800.0)  # launches whose sub-satellite points the coverage map shows
MAP_HALF_WIDTH_DEG = (50.0, 28.0)  # the map's half-width in longitude and latitude round the launch area
MAP_LISTED = 512  # engaging satellites kept per launch of the coverage map
MAX_SIMULTANEOUS = 2_000  # the most missiles launched together in the deterrent's salvo (drawn beyond it)


def _whole(name: str, value, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not low <= value <= high:
        raise InputError(f"{name} = {value!r} is not allowed; allowed: a whole number from {low:,} to {high:,}")
    return int(value)


def _fraction(name: str, value, *, closed: bool = True) -> float:
    ok = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool) \
        and math.isfinite(value) and (0.0 <= value <= 1.0 if closed else 0.0 < value <= 1.0)
    if not ok:
        raise InputError(f"{name} = {value!r} is not allowed; allowed: a share from {'0' if closed else 'above 0'} "
                         "to 1")
    return float(value)


def _finite(value) -> float | None:
    """A float for the tables and JSON: None where it is not finite (no NaN, no infinity leaves the study)."""
    value = float(value)
    return value if math.isfinite(value) else None


# --- the size from which a share crosses a threshold ---------------------------------------------------------
def threshold_search(share_of, threshold: float, start: int, *, smallest: int = SIZE_RANGE[0],
                     largest: int = SIZE_RANGE[1], tolerance: float = SIZE_TOLERANCE) -> dict:
    """The smallest constellation size at which ``share_of`` reaches ``threshold``, as a bracket.

    ``share_of(n)`` gives ``(satellites, share)`` of the pattern nearest ``n`` satellites (its own size may
    differ a little). From ``start`` the search steps by factors of 4 (down while the share is reached, up while
    it is not, within ``smallest``..``largest``) until the threshold lies between two sizes, then bisects at
    their geometric mean until the two patterns are within ``tolerance`` (relative) of each other or no pattern
    lies between them. Returns ``status`` (``crossed``; ``at or below the smallest``: reached already at
    ``smallest``; ``not reached``: not at ``largest``), ``satellites`` (the bracket's upper pattern, None where
    not reached), ``share_at``, ``below_satellites`` and ``below_share`` (its lower pattern), ``evaluations``.
    """
    target = _fraction("threshold", threshold, closed=False)
    low_n, high_n = _whole("smallest", smallest, 1, 10**7), _whole("largest", largest, 1, 10**7)
    if high_n < low_n:
        raise InputError(f"largest = {largest:,} is below smallest = {smallest:,}")
    if not (isinstance(tolerance, (int, float)) and not isinstance(tolerance, bool) and 0.0 < tolerance <= 1.0):
        raise InputError(f"tolerance = {tolerance!r} is not allowed; allowed: above 0 to 1")
    request = min(max(_whole("start", start, 1, 10**7), low_n), high_n)
    seen: list[tuple[int, float]] = []

    def ask(n: int) -> tuple[int, float]:
        size, share = share_of(int(n))
        seen.append((int(size), float(share)))
        return int(size), float(share)

    size, share = ask(request)
    if share >= target:  # reached: step down until it is not
        above = (request, size, share)
        below = None
        while request > low_n:
            request = max(low_n, request // 4)
            size, share = ask(request)
            if share < target:
                below = (request, size, share)
                break
            above = (request, size, share)
        if below is None:
            return {"threshold": target, "status": "at or below the smallest", "satellites": above[1],
                    "share_at": above[2], "below_satellites": None, "below_share": None, "evaluations": seen}
    else:  # not reached: step up until it is
        below = (request, size, share)
        above = None
        while request < high_n:
            request = min(high_n, request * 4)
            size, share = ask(request)
            if share >= target:
                above = (request, size, share)
                break
            below = (request, size, share)
        if above is None:
            return {"threshold": target, "status": "not reached", "satellites": None, "share_at": None,
                    "below_satellites": below[1], "below_share": below[2], "evaluations": seen}
    while above[1] > below[1] * (1.0 + tolerance):
        middle = int(round(math.sqrt(below[0] * above[0])))
        if middle in (below[0], above[0]):
            break
        size, share = ask(middle)
        if size in (below[1], above[1]):  # no other pattern between the two
            break
        if share >= target:
            above = (middle, size, share)
        else:
            below = (middle, size, share)
    return {"threshold": target, "status": "crossed", "satellites": above[1], "share_at": above[2],
            "below_satellites": below[1], "below_share": below[2], "evaluations": seen}


# --- the check points -------------------------------------------------------------------------------------------
NORTH_KOREA_DEG = (40.0, 127.5)  # a point in central North Korea (no catalog site there)


@dataclass(frozen=True)
class CheckPoint:
    """A published constellation size, and how the tool computes the same figure: the catalog constellation's
    Walker family against ``launches`` (a key of :func:`check_point_flights`), a salvo of ``salvo_size``, the
    sizes ``family`` tried; ``differs`` names the assumptions that are the tool's, not the study's."""

    name: str
    source: str  # sources.toml key
    published: str
    published_low: int
    published_high: int
    constellation: str
    launches: str
    salvo_size: int
    family: tuple[int, ...]
    differs: tuple[str, ...]


_COMMON = ("the study's orbits, interceptor and timelines were not retrieved: the carrier, its delays and the "
           "kill vehicle are the catalog's MODEL values (constellations.toml)",
           "the constellation's shape (planes, phasing, inclination) is a Walker pattern of our choice, resized "
           "with planes and satellites per plane scaled together")
CHECK_POINTS = (
    CheckPoint("APS 2003", "SBI_APS03", "at least 1,600 SBIs against one solid-propellant ICBM from North Korea",
               1_600, 1_600, "APS-2003-like", "North Korea field", 1, (800, 1_600, 3_200),
               _COMMON + ("Topol-M (180 s burn) stands in for the study's solid ICBM",
                          "launch points: 10 drawn within 1 deg of 40.0 N 127.5 E, towards the United States "
                          "(azimuth 35-55 deg)",
                          "sized to engage the missile in 90 % of launch times over a day (the study's criterion "
                          "was not retrieved)")),
    CheckPoint("CBO 2025", "SBI_CBO25", "1,300 to 2,000 SBIs against one or two ICBMs from a regional adversary",
               1_300, 2_000, "CBO-2025-like", "North Korea field", 2, (1_000, 2_000, 4_000, 7_800, 16_000, 32_000),
               _COMMON + ("a salvo of two Topol-M launched together from North Korea",
                          "sized to engage both in 90 % of launch times over a day")),
    CheckPoint("CBO 2026", "SBI_CBO26", "7,800 SBIs at 300-500 km sized for 10 simultaneous targets",
               7_800, 7_800, "CBO-2026-like", "North Korea field", 10, (1_000, 2_000, 4_000, 7_800, 16_000, 32_000),
               _COMMON + ("a salvo of 10 Topol-M launched together from North Korea (the estimate's targets "
                          "and their origin were not read)",
                          "sized to engage all 10 in 90 % of launch times over a day")),
    CheckPoint("CBO 2026, against a Russian field", "SBI_CBO26",
               "7,800 SBIs at 300-500 km sized for 10 simultaneous targets", 7_800, 7_800, "CBO-2026-like",
               "Teykovo", 10, (1_000, 2_000, 4_000, 7_800, 16_000, 32_000),
               _COMMON + ("a salvo of 10 Yars launched together from the Teykovo area (the estimate's targets "
                          "were not stated as Russian)",
                          "sized to engage all 10 in 90 % of launch times over a day")),
)


def boosts(missile: str, latitude_deg, longitude_deg, azimuth_deg, kick_deg):
    """Boost and early ascent (400 s) of a catalog missile from the given points, flown with compact tracks."""
    from . import catalog, flight
    from .earth import Sites

    return flight.fly_launch(catalog.missile(missile), Sites(latitude_deg, longitude_deg), azimuth_deg, kick_deg,
                             tracks=True, integrator=flight.Integrator(max_flight_time_s=400.0))


def check_point_flights() -> dict:
    """The launches of the check points, by name: ``North Korea, solid`` (Topol-M, 180 s burn, from 40.0 N
    127.5 E towards the United States), ``North Korea, liquid`` (the notional liquid Iranian ICBM, 253 s burn,
    from the same point), ``North Korea field`` (10 Topol-M from points drawn within 1 deg of it, azimuth
    35-55 deg, seed 0) and ``Teykovo`` (10 Yars from points drawn in the Teykovo area, seed 1)."""
    from . import launch_areas

    lat, lon = NORTH_KOREA_DEG
    rng = np.random.default_rng(0)
    solid = boosts("Topol-M", lat, lon, 45.0, 20.0)
    liquid = boosts("Iran-ICBM (notional)", lat, lon, 45.0, 2.0)
    field_ = boosts("Topol-M", lat + rng.uniform(-1, 1, 10), lon + rng.uniform(-1, 1, 10),
                    45.0 + rng.uniform(-10, 10, 10), 20.0)
    latitude, longitude = launch_areas.sample("Teykovo", 10, seed=1)
    teykovo = boosts("Yars", latitude, longitude, 10.0, 20.0)
    return {"North Korea, solid": solid, "North Korea, liquid": liquid, "North Korea field": field_,
            "Teykovo": teykovo}


def _carrier_words(c: Constellation) -> str:
    k = c.carrier
    return (f"carrier {k.delta_v_m_s / 1e3:g} km/s in {k.burn_time_s:g} s, released {k.release_after_detection_s:g} s "
            f"after the infrared warning's detection, kill vehicle floor {k.min_intercept_altitude_m / 1e3:g} km")


def check_points(*, times: int = 96, trials: int = 100, seed: int = 0, probability: float = DEFAULT_PROBABILITY,
                 points=CHECK_POINTS, flights: dict | None = None, device: str = "cpu") -> list[dict]:
    """Each check point computed: the satellites needed (``space_intercept.satellites_needed`` over the point's
    family, ``trials`` seeded launch times) and the absentee ratio of the catalog constellation against the
    point's first launch at ``times`` launch times spread evenly over a day, beside the published figure and
    the assumptions that differ. ``flights``: :func:`check_point_flights` (flown here when not given)."""
    from .catalog import constellations

    n_times = _whole("times", times, 1, 100_000)
    flown = flights if flights is not None else check_point_flights()
    launch_times = np.linspace(0.0, S.DAY_S, n_times, endpoint=False)
    out = []
    for point in points:
        catalog_constellation = constellations.constellation(point.constellation)
        launches = flown[point.launches]
        sizing = S.satellites_needed(launches, catalog_constellation, point.salvo_size, probability=probability,
                                     sizes=point.family, trials=trials, seed=seed, device=device)
        alone = S.engage_from_orbit(launches, catalog_constellation, launch_times,
                                    flight_index=np.zeros(n_times, np.int64), device=device)
        out.append({"name": point.name, "source": point.source, "published": point.published,
                    "published_low": point.published_low, "published_high": point.published_high,
                    "constellation": point.constellation, "satellites": len(catalog_constellation),
                    "launches": point.launches, "salvo_size": point.salvo_size, "probability": sizing.probability,
                    "trials": sizing.trials, "sizes": list(sizing.sizes), "all_engaged": list(sizing.all_engaged),
                    "needed": sizing.needed, "launch_times": n_times,
                    "absentee_ratio": _finite(alone.absentee_ratio()),
                    "mean_engaging": float(alone.engaging.mean()), "covered": alone.coverage(),
                    "differs": [*point.differs, _carrier_words(catalog_constellation)]})
    return out


# --- the study -------------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class SpaceStudy:
    """A constellation against a scenario's threat sets: Arrow tables and plain dicts (JSON-ready, no NaN).

    Tables: ``launches`` (one row per sampled launch: purpose, flight, launch time, satellites engaging, best
    margin, why not), ``by_missile`` (the same per purpose and missile), ``sizes`` (each pattern of the family evaluated: its share per purpose), ``thresholds`` (per
    purpose and threshold: the size bracket), ``salvos`` (per salvo size and pattern tried: the share of trials
    with every missile engaged), ``altitudes`` (absentee ratio per altitude and purpose), ``over_time`` (the
    representative flights' satellites engaging over a day), ``check_points``. Dicts: ``shares`` (per
    purpose), ``deterrent`` (the deterrent and its shares), ``simultaneous`` (the deterrent launched together),
    ``coverage`` (the map's points), ``settings`` and ``stated`` (every assumption)."""

    scenario: str
    constellation: Constellation
    purposes: tuple[str, ...]
    shares: dict
    deterrent: dict | None
    simultaneous: dict | None
    coverage: dict | None
    settings: dict
    stated: dict
    launches: pa.Table
    by_missile: pa.Table
    sizes: pa.Table
    thresholds: pa.Table
    salvos: pa.Table
    altitudes: pa.Table
    over_time: pa.Table
    check_points: pa.Table
    run_s: float
    salvo_purpose: str | None = None
    notes: list[str] = field(default_factory=list)

    def tables(self) -> dict[str, pa.Table]:
        """Every table, by name."""
        return {"launches": self.launches, "by_missile": self.by_missile, "sizes": self.sizes, "thresholds": self.thresholds,
                "salvos": self.salvos, "altitudes": self.altitudes, "over_time": self.over_time,
                "check_points": self.check_points}

    def threshold(self, purpose: str, threshold: float) -> dict | None:
        """The size bracket of one purpose and threshold (a row of ``thresholds``), or None."""
        return next((row for row in self.thresholds.to_pylist()
                     if row["purpose"] == purpose and math.isclose(row["threshold"], threshold)), None)

    def as_dict(self) -> dict:
        """The dicts and every table as lists of rows: what ``study.json`` holds."""
        return {"scenario": self.scenario, "constellation": repr(self.constellation),
                "satellites": len(self.constellation), "purposes": list(self.purposes), "shares": self.shares,
                "deterrent": self.deterrent, "simultaneous": self.simultaneous, "salvo_purpose": self.salvo_purpose,
                "settings": self.settings, "stated": self.stated, "notes": self.notes, "run_s": self.run_s,
                **{name: table.to_pylist() for name, table in self.tables().items() if name != "launches"}}

    def write(self, out_dir) -> list[Path]:
        """``space-study.json`` (:meth:`as_dict`) and one ``space-NAME.parquet`` per table in ``out_dir``; the
        files written. A folder that holds another kind of output is refused (``folder_kind.claim``)."""
        import pyarrow.parquet as pq

        from . import atomic, folder_kind

        folder = Path(out_dir)
        folder.mkdir(parents=True, exist_ok=True)
        folder_kind.claim(folder, "space")
        paths = [atomic.write_text(folder / "space-study.json", json.dumps(self.as_dict(), indent=1, allow_nan=False))]
        for name, table in self.tables().items():
            paths.append(atomic.write(folder / f"space-{name.replace('_', '-')}.parquet",
                                      lambda path, t=table: pq.write_table(t, path)))
        return paths

    def explain(self) -> str:
        """The answer in words: what share each purpose's launches the constellation could engage in boost, the
        deterrent's warheads, the deterrent launched together, and the sizes for the thresholds."""
        n = len(self.constellation)
        lines = [f"{self.constellation!r} against the threat sets of scenario {self.scenario!r}"]
        for purpose in self.purposes:
            s = self.shares[purpose]
            lines.append(f"{purpose}: {s['engaged']} of {s['launches']} launches ({s['flight_share']:.0%}, 95 % "
                         f"interval {s['flight_share_low']:.0%}-{s['flight_share_high']:.0%}) could be engaged in "
                         f"boost by at least one of {n:,} satellites, one launch at a time ({s['warhead_share']:.0%} "
                         f"of their warheads); {s['mean_engaging']:.1f} satellites in range on average")
            missed = {why: count for why, count in s.get("not_engaged", {}).items() if count}
            if missed:
                lines.append("  not engaged: " + ", ".join(f"{why} {count}" for why, count in missed.items()))
            for row in self.thresholds.to_pylist():
                if row["purpose"] != purpose:
                    continue
                lines.append(f"  {row['threshold']:.0%} of the warheads: {threshold_words(row)}")
        if self.deterrent:
            d = self.deterrent
            lines.append(f"the deterrent ({d['name']}, {d['warheads']:,} warheads): about "
                         f"{d['warheads_engageable']:,.0f} on missiles that could be engaged one at a time")
        if self.simultaneous:
            m = self.simultaneous
            lines.append(f"launched together ({m['missiles']:,} missiles at once): {m['mean_engaged']:.1f} engaged on "
                         f"average ({m['least_engaged']}-{m['most_engaged']} over {m['times']} launch times), "
                         f"{m['share']:.1%}")
        needed = {row["salvo_size"]: (row["needed"], row["satellites"]) for row in self.salvos.to_pylist()}
        for k, (value, largest) in needed.items():
            lines.append(f"salvo of {k} ({self.salvo_purpose}): " + (
                f"{value:,} satellites engage all in {self.settings['probability']:.0%} of trials" if value is not None
                else f"no pattern tried (up to {largest:,}) engages all in {self.settings['probability']:.0%} of trials"))
        for row in self.check_points.to_pylist():
            got = f"{row['needed']:,}" if row["needed"] is not None else f"more than {max(row['sizes']):,}"
            lines.append(f"check point {row['name']}: published {row['published']} ({row['source']}); computed "
                         f"{got} for a salvo of {row['salvo_size']} (absentee ratio {_ratio_words(row['absentee_ratio'])})")
        return "\n".join(lines)


def _ratio_words(value) -> str:
    return "infinite: none in range" if value is None else f"{value:,.0f}"


def threshold_words(row: dict) -> str:
    """A threshold row in words: 'from about 2,400 satellites (2,310: 48 %; 2,400: 51 %)'."""
    if row["status"] == "not reached":
        return (f"not reached by the largest pattern tried ({row['below_satellites']:,} satellites: "
                f"{row['below_share']:.0%})")
    if row["status"] == "at or below the smallest":
        return f"reached already by the smallest pattern tried ({row['satellites']:,} satellites: {row['share_at']:.0%})"
    return (f"from about {row['satellites']:,} satellites ({row['below_satellites']:,}: {row['below_share']:.0%}; "
            f"{row['satellites']:,}: {row['share_at']:.0%})")


def _flown(scenario, threats):
    """The flown flights' rows (in the order of the flown batch), their compact tracks, counts and burnouts."""
    from .engagement import compact_tracks

    if threats.flown is None or not len(threats.flown_ids):
        raise InputError(f"scenario {scenario.name!r}: none of its threat flights could be flown (every aim point "
                         "beyond its missile's reach): nothing to engage")
    by_id = {r["flight_id"]: r for r in threats.rows}
    rows = [by_id[int(i)] for i in threats.flown_ids]
    tracks, counts = compact_tracks(threats.flown)
    return rows, (np.ascontiguousarray(tracks), counts, np.asarray(threats.flown.burnout_time_s, float))


def boost_top_m(flights: tuple) -> np.ndarray:
    """The highest recorded point of each flight's boost (m): a kill vehicle whose floor is above it has no
    point of the boost to intercept."""
    tracks, counts, burnout = flights
    out = np.zeros(len(counts))
    for f, count in enumerate(counts):
        samples = tracks[f, :int(count)]
        boosting = samples[:, R.T_TIME] <= burnout[f] + 1e-9
        out[f] = samples[boosting, R.T_HEIGHT].max() if boosting.any() else 0.0
    return out


def why_not(result: S.SpaceEngagements, boost_top: np.ndarray, floor_m: float) -> np.ndarray:
    """Per launch, why no satellite engages it ('' where one does): ``never detected`` (the infrared warning
    reports after burnout), ``released after burnout`` (detection plus the carrier's delays), ``boost below the
    floor`` (the boost never climbs to the kill vehicle's floor) or ``no satellite in time`` (in range too late, or
    the endgame refuses)."""
    release, end = result.launches.release_s, result.launches.rows[:, O.L_WINDOW_END]
    top = boost_top[result.launches.flight_index]
    reasons = np.where(~np.isfinite(release), "never detected",
                       np.where(release >= end, "released after burnout",
                                np.where(top < floor_m, "boost below the floor", "no satellite in time")))
    return np.where(result.engaging > 0, "", reasons).astype(object)


WHY_NOT = ("never detected", "released after burnout", "boost below the floor", "no satellite in time")


def _subset(flights: tuple, index: np.ndarray) -> tuple:
    tracks, counts, burnout = flights
    return np.ascontiguousarray(tracks[index]), counts[index], burnout[index]


def _purposes(rows: list[dict]) -> list[str]:
    """The purposes of the flown flights: the deterrent's first, then in the order the threat sets give them."""
    found = list(dict.fromkeys(p for r in rows for p in r["purposes"]))
    return sorted(found, key=lambda p: p != DETERRENT_PURPOSE)


def _shares(result: S.SpaceEngagements, mask: np.ndarray, warheads: np.ndarray, reasons=None) -> dict:
    engaging = result.engaging[mask]
    engaged = engaging > 0
    w = warheads[mask]
    low, high = wilson_interval(int(engaged.sum()), int(mask.sum()))
    out = {"launches": int(mask.sum()), "engaged": int(engaged.sum()), "flight_share": float(engaged.mean()),
           "flight_share_low": low, "flight_share_high": high,
           "warhead_share": float((w * engaged).sum() / w.sum()), "mean_engaging": float(engaging.mean()),
           "absentee_ratio": _finite(result.absentee_ratio(mask))}
    if reasons is not None:
        out["not_engaged"] = {why: int((reasons[mask] == why).sum()) for why in WHY_NOT}
    return out


def _representative(rows: list[dict], pool: np.ndarray) -> int:
    """A flight of the pool's most frequent launch area, minimum-energy where it has one."""
    areas = [rows[i]["launch"] for i in pool]
    commonest = max(dict.fromkeys(areas), key=areas.count)
    members = [i for i in pool if rows[i]["launch"] == commonest]
    return next((i for i in members if rows[i]["trajectory"] == "minimum-energy"), members[0])


def _label(row: dict) -> str:
    return f"{row['missile']} from {row['launch']} to {row['aim']} ({row['trajectory']})"


def study(scenario, constellation=None, *, threats=None, launches: int = DEFAULT_LAUNCHES, seed: int = 0,
          thresholds=DEFAULT_THRESHOLDS, smallest: int = SIZE_RANGE[0], largest: int = SIZE_RANGE[1],
          size_tolerance: float = SIZE_TOLERANCE, salvo_sizes=DEFAULT_SALVO_SIZES,
          salvo_family=DEFAULT_SALVO_FAMILY, trials: int = DEFAULT_TRIALS, probability: float = DEFAULT_PROBABILITY,
          altitudes_km=DEFAULT_ALTITUDES_KM, simultaneous_times: int = DEFAULT_SIMULTANEOUS_TIMES,
          coverage_step_s: float = COVERAGE_STEP_S, check: bool = True, check_times: int = 24,
          check_trials: int = DEFAULT_TRIALS, work_dir=None, cache_dir=None, device: str = "cpu",
          progress=None) -> SpaceStudy:
    """What ``constellation`` would mean against the threat sets of ``scenario`` (see the module's text).

    Parameters
    ----------
    scenario: a :class:`~shieldcheck.scenario.Scenario`.
    constellation: a ``[[constellation]]`` of the scenario by name (None: its first), a catalog constellation's
        name, or a :class:`~shieldcheck.constellation.Constellation` (a Walker pattern: it is resized and moved).

    Other options (keyword-only): ``threats`` (the scenario's ``assess.ThreatFlights``, e.g. an assessment's
    ``.flights``; flown here when not given, kept in ``work_dir`` and ``cache_dir`` as ``assess`` keeps them),
    ``launches`` ((flight, time) pairs per purpose), ``seed``, ``thresholds`` (warhead shares), ``smallest``,
    ``largest`` and ``size_tolerance`` (the threshold search), ``salvo_sizes``, ``salvo_family`` (the sizes
    tried), ``trials`` and ``probability`` (satellites needed), ``altitudes_km``, ``simultaneous_times``,
    ``coverage_step_s``, ``check`` (compute the check points, with ``check_times`` and ``check_trials``),
    ``device`` (``cpu``, ``gpu``), ``progress(done, total, what)``.

    Returns :class:`SpaceStudy`. Raises :class:`~shieldcheck.errors.InputError` on bad input.
    """
    from . import assess, attrition
    from .catalog import constellations as catalog_constellations
    from .launch_areas import check_seed

    start = time.perf_counter()
    chosen = _constellation_of(scenario, constellation, catalog_constellations)
    if chosen.walker is None:
        raise InputError(f"constellation {chosen.name!r} is a list of orbits: the study resizes and moves a Walker "
                         "pattern; give one")
    n_launches = _whole("launches", launches, 1, 1_000_000)
    seed = check_seed(seed)
    levels = tuple(_fraction("thresholds", t, closed=False)
                   for t in (thresholds if isinstance(thresholds, (list, tuple)) else [thresholds]))
    salvo_ks = tuple(_whole("salvo_sizes", int(k) if isinstance(k, (int, np.integer)) else k, 1, 10_000)
                     for k in salvo_sizes)
    n_trials = _whole("trials", trials, 1, 1_000_000)
    _whole("largest", largest, _whole("smallest", smallest, 1, LARGEST_SEARCHED), LARGEST_SEARCHED)
    together = _whole("simultaneous_times", simultaneous_times, 0, 10_000)
    altitudes = [float(a) for a in altitudes_km]
    for a in altitudes:
        checked("altitudes_km", "altitude_km", a)
    step = float(coverage_step_s)
    if not (math.isfinite(step) and 60.0 <= step <= S.DAY_S):
        raise InputError(f"coverage_step_s = {coverage_step_s!r} is not allowed; allowed: 60 to 86,400 s")
    a = scenario.assumptions
    engage = {"endgame": a.endgame_model(), "track_velocity_error_m_s": a.velocity_error_m_s(), "device": device}
    steps = 7 + (1 if check else 0)
    done = 0

    def advance(what: str):
        nonlocal done
        done += 1
        if progress:
            progress(done, steps, what)

    if threats is None:
        threats = assess.threat_flights(scenario, work_dir, cache_dir)
    rows, flights = _flown(scenario, threats)
    advance("flew the threat flights")
    purposes = _purposes(rows)
    warheads_of = np.array([float(r["warheads"] or 1) for r in rows])
    rng = np.random.default_rng(seed)
    pools, picks, times, labels = {}, [], [], []
    for purpose in purposes:
        pool = np.array([i for i, r in enumerate(rows) if purpose in r["purposes"]], np.int64)
        pools[purpose] = pool
        picks.append(pool[rng.integers(0, len(pool), n_launches)])
        times.append(rng.uniform(0.0, S.DAY_S, n_launches))
        labels += [purpose] * n_launches
    picks, times, labels = np.concatenate(picks), np.concatenate(times), np.asarray(labels, dtype=object)
    masks = {p: labels == p for p in purposes}
    weights = warheads_of[picks]

    def engaged_by(c: Constellation, **extra) -> S.SpaceEngagements:
        return S.engage_from_orbit(flights, c, times, flight_index=picks, **engage, **extra)

    result = engaged_by(chosen)
    top = boost_top_m(flights)
    reasons = why_not(result, top, chosen.carrier.min_intercept_altitude_m)
    shares = {p: _shares(result, masks[p], weights, reasons) for p in purposes}
    launch_table = pa.table({
        "purpose": labels.tolist(), "flight_id": [int(rows[i]["flight_id"]) for i in picks],
        "launch": [rows[i]["launch"] for i in picks], "missile": [rows[i]["missile"] for i in picks],
        "aim": [rows[i]["aim"] for i in picks], "trajectory": [rows[i]["trajectory"] for i in picks],
        "warheads": pa.array(weights.astype(np.int64)), "launch_time_s": pa.array(times),
        "engaging": pa.array(result.engaging.astype(np.int64)),
        "best_margin_s": pa.array([_finite(v) for v in result.best_margin_s], pa.float64()),
        "burnout_s": pa.array(flights[2][picks]), "boost_top_km": pa.array(top[picks] / 1e3),
        "release_s": pa.array([_finite(v) for v in result.launches.release_s], pa.float64()),
        "why_not": pa.array(reasons.tolist(), pa.string())})
    missiles = np.array([rows[i]["missile"] for i in picks], dtype=object)
    missile_rows = []
    for purpose in purposes:
        for missile in dict.fromkeys(missiles[masks[purpose]].tolist()):
            mine = masks[purpose] & (missiles == missile)
            engaged = result.engaging[mine] > 0
            missile_rows.append({"purpose": purpose, "missile": missile, "launches": int(mine.sum()),
                                 "engaged": int(engaged.sum()), "flight_share": float(engaged.mean()),
                                 "mean_engaging": float(result.engaging[mine].mean()),
                                 **{why.replace(" ", "_"): int((reasons[mine] == why).sum()) for why in WHY_NOT}})
    advance("engaged the sampled launches")

    # the size for each threshold, over the Walker family (every pattern evaluated once)
    evaluated: dict[int, dict] = {len(chosen): shares}

    def shares_at(n: int) -> tuple[int, dict]:
        family = chosen.resized(n)
        if len(family) not in evaluated:
            at = engaged_by(family)
            evaluated[len(family)] = {p: _shares(at, masks[p], weights) for p in purposes}
        return len(family), evaluated[len(family)]

    threshold_rows = []
    for purpose in purposes:
        for level in levels:
            found = threshold_search(lambda n, p=purpose: (lambda s: (s[0], s[1][p]["warhead_share"]))(shares_at(n)),
                                     level, len(chosen), smallest=smallest, largest=largest, tolerance=size_tolerance)
            threshold_rows.append({"purpose": purpose, **{k: v for k, v in found.items() if k != "evaluations"},
                                   "evaluations": len(found["evaluations"])})
    size_rows = [{"satellites": size, "purpose": p, **{k: v for k, v in at[p].items()}}
                 for size, at in sorted(evaluated.items()) for p in purposes]
    advance("searched the sizes for the thresholds")

    # the deterrent, one launch at a time and all together
    told = attrition.deterrent(scenario) if DETERRENT_PURPOSE in purposes else None
    deterrent = None
    if told is not None:
        share = shares[DETERRENT_PURPOSE]
        deterrent = {"name": told["name"], "warheads": told["warheads"], "source": told["source"],
                     "stated": told["stated"], "estimate": told["estimate"], "citation": told["citation"],
                     "treaty": told.get("treaty", {}).get("sentence"),
                     "flights": int(len(pools[DETERRENT_PURPOSE])),
                     "warheads_on_flights": int(warheads_of[pools[DETERRENT_PURPOSE]].sum()),
                     "warhead_share": share["warhead_share"],
                     "warheads_engageable": share["warhead_share"] * told["warheads"]}
    simultaneous = None
    if DETERRENT_PURPOSE in purposes and together:
        pool = pools[DETERRENT_PURPOSE]
        if len(pool) > MAX_SIMULTANEOUS:
            pool = np.sort(rng.choice(pool, MAX_SIMULTANEOUS, replace=False))
        at_times = rng.uniform(0.0, S.DAY_S, together)
        k = len(pool)
        salvo = S.engage_from_orbit(flights, chosen, np.repeat(at_times, k), flight_index=np.tile(pool, together),
                                    listed=max(k, S.DEFAULT_LISTED), **engage)
        engaged = np.array([S.salvo_engaged(salvo, np.arange(j * k, (j + 1) * k)) for j in range(together)])
        simultaneous = {"missiles": int(k), "times": int(together), "launch_times_s": at_times.tolist(),
                        "engaged": engaged.tolist(), "mean_engaged": float(engaged.mean()),
                        "least_engaged": int(engaged.min()), "most_engaged": int(engaged.max()),
                        "share": float(engaged.mean() / k),
                        "satellites_in_range": float(salvo.engaging.mean())}
    advance("launched the deterrent together")

    # satellites needed against salvos
    salvo_purpose = DETERRENT_PURPOSE if DETERRENT_PURPOSE in purposes else purposes[0]
    salvo_flights = _subset(flights, pools[salvo_purpose])
    salvo_rows = []
    for k in salvo_ks:
        sizing = S.satellites_needed(salvo_flights, chosen, k, probability=probability, sizes=salvo_family,
                                     trials=n_trials, seed=seed, **engage)
        salvo_rows += [{"salvo_size": k, "satellites": size, "all_engaged": share, "mean_engaged": mean,
                        "needed": sizing.needed, "probability": sizing.probability, "trials": sizing.trials}
                       for size, share, mean in zip(sizing.sizes, sizing.all_engaged, sizing.mean_engaged)]
    advance("sized the constellation against salvos")

    # the absentee ratio versus altitude
    altitude_rows = []
    for altitude in altitudes:
        moved = S.varied(chosen, "altitude_m", altitude * 1e3)
        at = engaged_by(moved)
        for p in purposes:
            altitude_rows.append({"altitude_km": altitude, "purpose": p, "satellites": len(moved),
                                  "absentee_ratio": _finite(at.absentee_ratio(masks[p])),
                                  "mean_engaging": float(at.engaging[masks[p]].mean()),
                                  "covered": at.coverage(1, masks[p])})
    advance("moved the pattern in altitude")

    # coverage over a day, and the map's points
    day = np.arange(0.0, S.DAY_S, step)
    over_rows, coverage = [], None
    for purpose in purposes:
        k = _representative(rows, pools[purpose])
        curve = S.engage_from_orbit(flights, chosen, day, flight_index=np.full(len(day), k, np.int64), **engage)
        over_rows += [{"purpose": purpose, "flight_id": int(rows[k]["flight_id"]), "flight": _label(rows[k]),
                       "launch_time_s": float(t), "engaging": int(e), "best_margin_s": _finite(m)}
                      for t, e, m in zip(day, curve.engaging, curve.best_margin_s)]
        if coverage is None:
            coverage = _coverage_map(chosen, flights, rows, k, threats, purpose, engage)
    advance("followed the coverage over a day")

    check_rows = check_points(times=check_times, trials=check_trials, seed=seed, probability=probability,
                              device=device) if check else []
    if check:
        advance("computed the check points")
    settings = {"launches_per_purpose": n_launches, "seed": seed, "thresholds": list(levels),
                "smallest": smallest, "largest": largest, "size_tolerance": size_tolerance,
                "salvo_sizes": list(salvo_ks), "salvo_family": [int(s) for s in salvo_family], "trials": n_trials,
                "probability": probability, "altitudes_km": altitudes, "simultaneous_times": together,
                "coverage_step_s": step, "check_points": bool(check), "check_times": check_times,
                "check_trials": check_trials, "device": device}
    stated = {**result.stated(), "infrared": S.DEFAULT_INFRARED, "window": "boost (to burnout)",
              "scenario_changes": _changes(scenario, chosen)}
    notes = []
    unflown = [r for r in threats.rows if r.get("status") != "flown"]
    if unflown:
        notes.append(f"{len(unflown):,} of the scenario's {len(threats.rows):,} threat flights could not be flown "
                     "(beyond their missile's reach) and take no part")
    advance("done")
    return SpaceStudy(
        scenario=scenario.name, constellation=chosen, purposes=tuple(purposes), shares=shares, deterrent=deterrent,
        simultaneous=simultaneous, coverage=coverage, settings=settings, stated=stated, launches=launch_table,
        by_missile=_table(missile_rows, {"purpose": pa.string(), "missile": pa.string(), "launches": pa.int64(),
                                         "engaged": pa.int64(), "flight_share": pa.float64(),
                                         "mean_engaging": pa.float64(),
                                         **{why.replace(" ", "_"): pa.int64() for why in WHY_NOT}}),
        sizes=_table(size_rows, {"satellites": pa.int64(), "purpose": pa.string(), "launches": pa.int64(),
                                 "engaged": pa.int64(), "flight_share": pa.float64(),
                                 "flight_share_low": pa.float64(), "flight_share_high": pa.float64(),
                                 "warhead_share": pa.float64(), "mean_engaging": pa.float64(),
                                 "absentee_ratio": pa.float64()}),
        thresholds=_table(threshold_rows, {"purpose": pa.string(), "threshold": pa.float64(), "status": pa.string(),
                                           "satellites": pa.int64(), "share_at": pa.float64(),
                                           "below_satellites": pa.int64(), "below_share": pa.float64(),
                                           "evaluations": pa.int64()}),
        salvos=_table(salvo_rows, {"salvo_size": pa.int64(), "satellites": pa.int64(), "all_engaged": pa.float64(),
                                   "mean_engaged": pa.float64(), "needed": pa.int64(), "probability": pa.float64(),
                                   "trials": pa.int64()}),
        altitudes=_table(altitude_rows, {"altitude_km": pa.float64(), "purpose": pa.string(),
                                         "satellites": pa.int64(), "absentee_ratio": pa.float64(),
                                         "mean_engaging": pa.float64(), "covered": pa.float64()}),
        over_time=_table(over_rows, {"purpose": pa.string(), "flight_id": pa.int64(), "flight": pa.string(),
                                     "launch_time_s": pa.float64(), "engaging": pa.int64(),
                                     "best_margin_s": pa.float64()}),
        check_points=_table(check_rows, {"name": pa.string(), "source": pa.string(), "published": pa.string(),
                                         "published_low": pa.int64(), "published_high": pa.int64(),
                                         "constellation": pa.string(), "satellites": pa.int64(),
                                         "launches": pa.string(), "salvo_size": pa.int64(),
                                         "probability": pa.float64(), "trials": pa.int64(),
                                         "sizes": pa.list_(pa.int64()), "all_engaged": pa.list_(pa.float64()),
                                         "needed": pa.int64(), "launch_times": pa.int64(),
                                         "absentee_ratio": pa.float64(), "mean_engaging": pa.float64(),
                                         "covered": pa.float64(), "differs": pa.list_(pa.string())}),
        run_s=time.perf_counter() - start, salvo_purpose=salvo_purpose, notes=notes)


def _table(rows: list[dict], schema: dict) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=pa.schema(list(schema.items())))


def _constellation_of(scenario, constellation, catalog_constellations) -> Constellation:
    if isinstance(constellation, Constellation):
        return constellation
    if constellation is None:
        return scenario.constellation()
    if not isinstance(constellation, str):
        raise InputError(f"constellation = {constellation!r}: give a constellation's name or a "
                         "constellation.Constellation")
    listed = [c.name for c in getattr(scenario, "constellations", ())]
    name = catalog_constellations.record(constellation).name
    return scenario.constellation(name) if name in listed else catalog_constellations.constellation(name)


def _changes(scenario, chosen: Constellation) -> dict:
    for choice in getattr(scenario, "constellations", ()):
        if choice.name == chosen.name:
            return {"changes": choice.changes(), "source": choice.source, "note": choice.note}
    return {}


def _coverage_map(chosen: Constellation, flights: tuple, rows: list[dict], k: int, threats, purpose: str,
                  engage: dict) -> dict:
    """The sub-satellite points near flight k's launch area at the release of launches at ``MAP_TIMES_S``, with
    those of the satellites that could engage each launch, and the flight's boost ground track."""
    result = S.engage_from_orbit(flights, chosen, np.asarray(MAP_TIMES_S), flight_index=np.full(len(MAP_TIMES_S), k),
                                 listed=MAP_LISTED, **engage)
    release = result.launches.release_s
    track = threats.flown.trajectory_of(k)  # rows are in the flown batch's order
    burnout = float(flights[2][k])
    boost = track["time_s"] <= burnout + 1e-9
    lat0, lon0 = float(track["latitude_deg"][0]), float(track["longitude_deg"][0])
    half_lon, half_lat = MAP_HALF_WIDTH_DEG
    west, east = max(-180.0, lon0 - half_lon), min(180.0, lon0 + half_lon)
    south, north = max(-85.0, lat0 - half_lat), min(85.0, lat0 + half_lat)
    snapshots = []
    for j, t in enumerate(MAP_TIMES_S):
        at = t + (release[j] if math.isfinite(release[j]) else 0.0)
        lat, lon = chosen.sub_satellite_points([at])
        lat, lon = lat[:, 0], lon[:, 0]
        inside = (lat >= south) & (lat <= north) & (lon >= west) & (lon <= east)
        engaging = result.engaging_satellites(j)
        snapshots.append({"launch_time_s": float(t), "at_s": float(at), "engaging": int(result.engaging[j]),
                          "lat_deg": lat[inside].tolist(), "lon_deg": lon[inside].tolist(),
                          "engaging_lat_deg": lat[engaging].tolist(), "engaging_lon_deg": lon[engaging].tolist()})
    return {"purpose": purpose, "flight": _label(rows[k]), "launch": rows[k]["launch"],
            "launch_latitude_deg": lat0, "launch_longitude_deg": lon0, "burnout_s": burnout,
            "track_lat_deg": track["latitude_deg"][boost].tolist(), "track_lon_deg": track["longitude_deg"][boost].tolist(),
            "extent_lon_lat": [west, east, south, north], "snapshots": snapshots, "listed": MAP_LISTED}


__all__ = ["CHECK_POINTS", "CheckPoint", "DETERRENT_PURPOSE", "SpaceStudy", "boosts", "check_point_flights",
           "check_points", "study", "threshold_search", "threshold_words", "WHY_NOT", "boost_top_m", "why_not"]
