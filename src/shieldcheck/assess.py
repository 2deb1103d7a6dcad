"""The assessment: every phase of an architecture against every threat set, one row per pair.

``assess(scenario)`` flies every threat flight of the scenario once (aimed by ``aiming``, with
histories), then, phase by phase and site by site, evaluates every (flight, site) pair with the
compiled engagement batch (``engagement.engage_many``): the site's interceptor, its cueing rule
and sensors, its sector, the scenario's assumptions. The result is a table with one row per
(threat flight, phase, site) carrying the verdict, the number that decided it, the window, the
shots, the intercept point and the assumptions; flights a missile cannot fly (aim beyond its
reach) are listed with the reason in the flights table and take no part in the engagements.

Finished work is kept in ``work_dir`` (aim solutions, the flown threats and each phase's rows, keyed
by a digest of the scenario, the catalog's data and the code), so an interrupted run resumes where it
stopped; and, given ``cache_dir`` (the commands give :func:`shared_work_dir`), in a cache shared by
every command and output folder, so that `compare` or `guarantee` after `assess` of the same scenario
reads its flights and rows back instead of flying them again. Files are written through a temporary
name unique to the process and renamed: two processes sharing the cache each leave whole files.
"""

from __future__ import annotations

import functools
import json
import math
import pickle
import time
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from . import aggregate, aiming, atomic, cachekey, catalog, flight, reach
from .aggregate import finite as _finite
from .aggregate import BASES  # the site's own cueing; the scenario's bounding cue
from .earth import Site
from .endgame import explain as explain_endgame
from .endgame import for_interceptor as endgame_for
from .engagement import PHASE_NAMES, SHOT_DOCTRINE, Cueing, SectorMask, Verdict, engage_many
from .engine import pack as P
from .errors import InputError
from .scenario import Scenario

TRACK_STEP_S = 10.0  # spacing of the track points kept for maps
# Aim solutions of the built-in threat sets, shipped so that the built-in assessments need not aim
# on a fresh machine (built by tools/build_aim_cache.py; tests/test_assess.py checks they are current).
SHIPPED_AIMS = resources.files(__package__) / "scenarios" / "aim"


@dataclass
class ThreatFlights:
    """The scenario's distinct threat flights: names, what became of each, and the flown batch."""

    rows: list[dict]  # flight_id, launch, launch_latitude_deg, launch_longitude_deg, aim, missile, status, ...
    flown: flight.Flights | None  # the flown flights, in the order of ``flown_ids``
    flown_ids: np.ndarray
    tracks: dict[int, dict] = field(default_factory=dict)  # flight_id -> time_s, lat, lon, altitude_km (thinned)

    def only(self, flight_ids) -> "ThreatFlights":
        """These flights with only ``flight_ids`` flown (the others keep their rows, unflown)."""
        keep = np.flatnonzero(np.isin(self.flown_ids, np.asarray(list(flight_ids), int)))
        if self.flown is None or not len(keep):
            return ThreatFlights(self.rows, None, np.zeros(0, int))
        return ThreatFlights(self.rows, self.flown[keep], self.flown_ids[keep],
                             {int(i): self.tracks[int(i)] for i in self.flown_ids[keep] if int(i) in self.tracks})


@dataclass
class Assessment:
    """Everything an assessment produced: the rows, the flights, and how long it took."""

    scenario: Scenario
    results: pa.Table
    flights: ThreatFlights
    run_s: float
    timings: dict

    def rows(self) -> list[dict]:
        return aggregate.rows(self.results)


def _digest(*parts) -> str:
    """A key for finished work: the parts and everything that can change a number (``cachekey.key``:
    the package's code and data, less comments and docstrings)."""
    return cachekey.key(*parts)


def distinct_flights(scenario: Scenario, cat=None, radius_km_by_area: dict | None = None) -> list[dict]:
    """One row per distinct (launch point, aim, missile, trajectory), with the threat sets it belongs to.

    ``launch`` is the launch area's name; ``launch_latitude_deg`` and ``launch_longitude_deg`` a
    point drawn in it, or None for its reference point (filled in when the flights are flown).
    ``cat`` and ``radius_km_by_area`` as for :func:`fly_threats`.
    """
    cat = cat or catalog.load()
    decoys = scenario.assumptions.decoys_per_warhead
    rows: dict[tuple, dict] = {}
    for threat in scenario.threats:
        for f in threat.flights(radius_km_by_area):
            row = rows.setdefault(tuple(f), {"launch": f.launch, "launch_latitude_deg": f.launch_latitude_deg,
                                             "launch_longitude_deg": f.launch_longitude_deg, "aim": f.aim,
                                             "missile": f.missile, "trajectory": f.trajectory,
                                             "range_class": range_class(f.missile),
                                             "warheads": cat.missiles[f.missile].warheads.value,
                                             "flight_model": cat.missile(f.missile).flight_model,
                                             "decoys_per_warhead": int(decoys.value) if decoys else None,
                                             "threat_sets": [], "purposes": []})
            if threat.name not in row["threat_sets"]:
                row["threat_sets"].append(threat.name)
                row["purposes"].append(threat.purpose)
    return [dict(row, flight_id=i) for i, row in enumerate(rows.values())]


@functools.cache
def range_class(missile: str) -> str | None:
    """A catalog missile's range class from the range its model flies (``aiming.range_class_of``: SRBM, MRBM,
    IRBM, ICBM), once per process; None where it cannot be measured (no full-burn flight lands)."""
    try:
        return aiming.range_class_of(missile).range_class
    except InputError:
        return None


def shared_work_dir() -> Path:
    """The work cache every command and output folder shares: ``work`` under ``reach.cache_root()``
    ($SHIELDCHECK_CACHE_DIR, else ~/.cache/shieldcheck). Deleting the folder clears it."""
    return reach.cache_root() / "work"


def _read_pickle(path: Path):
    """The object pickled in ``path`` (a file this package wrote into a work folder), or None when there
    is none or it cannot be read (then it is rebuilt)."""
    try:
        return pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
        return None


def threat_flights(scenario: Scenario, work_dir: Path | None = None, cache_dir: Path | None = None,
                   progress=None) -> ThreatFlights:
    """The scenario's threat flights, flown (:func:`fly_threats`) with their detections
    (:func:`detections`), or read back from ``work_dir`` or ``cache_dir`` where a run with the same
    threats kept them; kept in both. The key is a digest of what the flights depend on: the threat
    sets, the decoys per warhead and the cross-section (of the rows and detections), the catalog's
    data and the code; so scenarios that share their threats (the built-in ones) share their flights.
    The histories are kept up to the longest flight's last sample."""
    a = scenario.assumptions
    key = _digest([t.model_dump(mode="json") for t in scenario.threats],
                  a.decoys_per_warhead.value if a.decoys_per_warhead else None, a.rcs_m2.value, "threats")
    name = f"threats-{key}.pickle"
    folders = [(folder, folder == cache_dir) for folder in (work_dir, cache_dir) if folder is not None]
    threats = next((found for found in (_read_pickle(folder / name) for folder, _ in folders) if found is not None),
                   None)
    if threats is None:
        threats = fly_threats(scenario, work_dir, progress)
        detections(threats, scenario.assumptions.rcs_m2.value)
    elif progress:
        progress(len(threats.rows))
    data = None
    for folder, shared in folders:
        if not (folder / name).exists():
            data = data or pickle.dumps(_trimmed(threats), protocol=pickle.HIGHEST_PROTOCOL)
            atomic.write_bytes(folder / name, data, shared=shared)
    return threats


def _trimmed(threats: ThreatFlights) -> ThreatFlights:
    """The threats with their histories cut after the longest flight's last recorded sample (the rest is
    never read: ``Flights.trajectory_of`` and the compact tracks stop at each flight's count)."""
    flown = threats.flown
    if flown is None or flown.history.ndim != 3:
        return threats
    last = max(int(flown.summary[:, P.O_HISTORY_COUNT].max(initial=0)), 1)
    return replace(threats, flown=replace(flown, history=flown.history[:, :last].copy()))


def fly_threats(scenario: Scenario, work_dir: Path | None = None, progress=None, *, cat=None,
                radius_km_by_area: dict | None = None) -> ThreatFlights:
    """Aim and fly every distinct threat flight.

    Aim solutions are kept in ``work_dir`` and, across runs and output folders, under
    ``reach.cache_root()/aim``; those of the built-in threat sets ship with the package
    (``SHIPPED_AIMS``). Each file is named by :func:`aim_cache_name`. ``cat``: the catalog the missiles
    are read from (the loaded one by default; a sweep's case passes a copy with its values);
    ``radius_km_by_area`` replaces the radius of disc launch areas (catalog name -> km)."""
    cat = cat or catalog.load()
    rows = distinct_flights(scenario, cat, radius_km_by_area)
    if work_dir is not None:
        work_dir.mkdir(parents=True, exist_ok=True)
    parts = []
    for (missile_name, trajectory), members in _groups(rows):
        missile = cat.missile(missile_name)
        launches = [_launch_site(cat, r) for r in members]
        aims = [cat.site(r["aim"]) for r in members]
        if missile.orbital is not None:  # a fractional orbit: aimed and flown by orbital.fly_fobs
            flown, ok = _fly_fractional_orbits(missile, trajectory, members, launches, aims)
            if ok:
                parts.append((flown, [members[i]["flight_id"] for i in ok]))
            if progress:
                progress(len(members))
            continue
        name = aim_cache_name(missile, trajectory, launches, aims)
        caches = [folder / name for folder in (work_dir, reach.cache_root() / "aim") if folder is not None]
        solved = next((found for found in map(_read_json, caches + [Path(str(SHIPPED_AIMS)) / name])
                       if found is not None), None)
        if solved is None:
            solved = aiming.solve_each(missile, trajectory, launches, aims, progress=progress)
        elif progress:
            progress(len(members))
        for cache in caches:
            if not cache.exists():
                atomic.write_text(cache, json.dumps(solved), shared=cache.parent == reach.cache_root() / "aim")
        for r, s in zip(members, solved):
            r.update(s)
            r["shape"] = s.get("shape") or r["trajectory"]  # a flight-time trajectory's shape found, else its own
        flyable = [(r, site, aim) for r, site, aim in zip(members, launches, aims) if r["status"] == "flown"]
        if flyable:
            flown = flight.fly_launch(missile, [site for _, site, _ in flyable], [r["azimuth_deg"] for r, _, _ in flyable],
                                      [r["kick_deg"] for r, _, _ in flyable], [r["cutoff_s"] for r, _, _ in flyable],
                                      history=True, target=[aim for _, _, aim in flyable])
            parts.append((flown, [r["flight_id"] for r, _, _ in flyable]))
    if not parts:
        return ThreatFlights(rows, None, np.zeros(0, int))
    flown = parts[0][0] if len(parts) == 1 else flight.concatenate([p[0] for p in parts])
    ids = np.concatenate([np.asarray(p[1], int) for p in parts])
    result = ThreatFlights(rows, flown, ids)
    by_id = {r["flight_id"]: r for r in rows}
    for k, flight_id in enumerate(ids):
        track = flown.trajectory_of(k)
        keep = _thin(track["time_s"], TRACK_STEP_S)
        result.tracks[int(flight_id)] = {"time_s": track["time_s"][keep], "lat_deg": track["latitude_deg"][keep],
                                         "lon_deg": track["longitude_deg"][keep],
                                         "altitude_km": track["altitude_m"][keep] / 1e3}
        row = by_id[int(flight_id)]
        row["range_km"] = float(flown.range_km[k])
        row["flight_time_s"] = float(flown.flight_time_s[k])
        row["apogee_km"] = float(flown.apogee_km[k])
        row["burnout_s"] = float(flown.burnout_time_s[k])
    return result


def aim_cache_name(missile, trajectory: str, launches: list[Site], aims: list[Site]) -> str:
    """The file name of one group's aim solutions: a digest of the missile (every number of its record),
    the trajectory, the places, and the package's code and data (``cachekey``), so that a changed model
    never reads an old solution; a comment or docstring edit keeps the name."""
    places = [(s.latitude_deg, s.longitude_deg, s.height_m) for s in launches + aims]
    return f"aim-{_digest(missile, trajectory, places)}.json"


def _groups(rows: list[dict]) -> list[tuple[tuple[str, str], list[dict]]]:
    """Flights aimed together (one missile, one trajectory), minimum-energy first."""
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        groups.setdefault((row["missile"], row["trajectory"]), []).append(row)
    return sorted(groups.items(), key=lambda g: g[0][1] != "minimum-energy")


def threat_groups(scenario: Scenario) -> list[tuple]:
    """(missile, trajectory, launch sites, aim sites) of each group of the scenario's flights aimed together."""
    cat = catalog.load()
    return [(cat.missile(m), t, [_launch_site(cat, r) for r in rows], [cat.site(r["aim"]) for r in rows])
            for (m, t), rows in _groups(distinct_flights(scenario))]


def detections(threats: ThreatFlights, rcs_m2: float) -> None:
    """When each catalog sensor not of the launching side first detects and tracks each flown flight,
    whatever the architecture.

    Adds ``detections_json`` to every flown row: ``{sensor: [first_detection_s, track_s]}`` for the
    sensors that detect it (seconds after launch; null where detected but never tracked), so that
    a glide vehicle or a fractional orbit can be compared with a ballistic missile on the same
    route, radar by radar. A sensor on the missile's own side (:func:`watch.side`: a Voronezh radar
    and a Russian missile) watches its own launches, not for the defence: it is left out."""
    from .engagement import compact_tracks, cue_times
    from .watch import side

    if threats.flown is None:
        return
    cat = catalog.load()
    tracks, counts = compact_tracks(threats.flown)
    found = [{} for _ in threats.flown_ids]
    by_id = {r["flight_id"]: r for r in threats.rows}
    launching = np.array([side(cat.missiles[cat.find("missile", by_id[int(i)]["missile"])].country)
                          for i in threats.flown_ids], dtype=object)
    for name in cat.sensors:
        record = cat.sensors[name]
        watching = launching != side(cat.sites[cat.find("site", record.site)].country) if record.site else True
        if not np.any(watching):
            continue
        first, track = cue_times(tracks, counts, threats.flown.burnout_time_s, (cat.sensor(name),), rcs_m2,
                                 threats.flown.earth)
        first = np.where(watching, first, np.inf)
        for k in np.flatnonzero(np.isfinite(first)):
            found[k][name] = [float(first[k]), float(track[k]) if math.isfinite(track[k]) else None]
    for k, flight_id in enumerate(threats.flown_ids):
        by_id[int(flight_id)]["detections_json"] = json.dumps(found[k])


def _fly_fractional_orbits(missile, trajectory: str, members: list[dict], launches: list[Site], aims: list[Site]):
    """FOBS flights of one group, aimed in one kernel call (each route solved on its own, so one that cannot be
    solved does not sink the others): the flown batch and the indices of the members it holds; the others get
    the reason."""
    from .orbital import fly_fobs_each

    for row in members:
        row.update(azimuth_deg=math.nan, kick_deg=math.nan, cutoff_s=math.nan)
    if trajectory != "minimum-energy":
        reason = (f"{missile.name} is a fractional-orbit (FOBS) missile: it flies its orbit and deorbit, not the "
                  f"{trajectory} trajectory")
        for row in members:
            row.update(status="not solved", reason=reason)
        return None, []
    try:
        flown, ok, reasons = fly_fobs_each(missile, launches, aims, history=True)
    except InputError as error:  # the same for every route of the group (the missile, its perigee)
        flown, ok, reasons = None, [], (str(error),) * len(members)
    for row, reason in zip(members, reasons):
        if reason:
            row.update(status="not solved", reason=reason)
    for k, i in enumerate(ok):
        members[i].update(status="flown", reason="", trajectory=flown.trajectory, azimuth_deg=float(flown.azimuth_deg[k]),
                          kick_deg=float(flown.kick_deg[k]), cutoff_s=float(flown.cutoff_s[k]))
    return flown, ok


def _launch_site(cat, row: dict) -> Site:
    """Where a flight starts: its drawn point (height 0 m, as for catalog sites without a published
    height), or the launch area's reference point; the row's coordinates are filled in either way."""
    site = cat.site(row["launch"])
    if row["launch_latitude_deg"] is not None:
        site = Site(site.name, row["launch_latitude_deg"], row["launch_longitude_deg"], 0.0)
    row["launch_latitude_deg"], row["launch_longitude_deg"] = site.latitude_deg, site.longitude_deg
    return site


def _read_table(path: Path) -> pa.Table | None:
    """The finished phase in ``path`` when it has the current schema, else None (then it is rebuilt)."""
    try:
        table = pq.read_table(path)
    except (OSError, pa.ArrowException):
        return None
    return table if table.schema.equals(SCHEMA) else None


def _read_json(path: Path | None):
    """The JSON in ``path``, or None when there is none or it cannot be read (then it is rebuilt)."""
    try:
        return json.loads(path.read_text()) if path is not None else None
    except (OSError, ValueError):
        return None


def _thin(time_s: np.ndarray, step_s: float) -> np.ndarray:
    """Indices of samples about ``step_s`` apart, first and last kept."""
    if time_s.size == 0:
        return np.zeros(0, int)
    marks = np.floor(time_s / step_s)
    keep = np.r_[True, np.diff(marks) > 0]
    keep[-1] = True
    return np.flatnonzero(keep)


def site_inputs(entry, scenario: Scenario, shapes: dict, basis: str = "architecture", cat=None):
    """Catalog records of one phase site under a cue basis: the interceptor, the site, the cueing
    rule (its text and parsed) and the cue options of ``engage_many`` (sensors or own radar, sector);
    ``cat`` the catalog to read them from (the loaded one by default)."""
    cat = cat or catalog.load()
    a = scenario.assumptions
    rule = a.bounding_cueing.value if basis == "bounding" else entry.cueing or a.cueing
    cueing = Cueing.parse(rule)
    sensors = tuple(cat.sensor(name) for name in entry.cueing_sensors) if cueing.rule != "delay" else ()
    options = {"sensors": sensors if cueing.remote else (),
               "own_radars": [sensors[0]] if cueing.rule == "own" else None,
               "sectors": [SectorMask.of(shapes[entry.sector]) if entry.sector else None],
               "rcs_m2": a.rcs_m2.value,
               "launch_delay_s": a.bounding_launch_delay_s() if basis == "bounding" else a.launch_delay_s.value,
               "shoot_look_shoot_s": a.shoot_look_shoot_s.value, "flight_phase": a.flight_phase_name(),
               "endgame": endgame_for(entry.interceptor, a.endgame_model(), a.velocity_error_m_s(), cat)}
    return cat.interceptor(entry.interceptor), cat.site(entry.site), rule, cueing, options


def phase_rows(scenario: Scenario, phase, threats: ThreatFlights, shapes: dict, *, sites=None, bases=None,
               interceptor_of=None) -> list[dict]:
    """Every (flown threat flight, site, cue basis) row of one phase; of the ``sites`` and cue ``bases``
    named (all by default), with ``interceptor_of(entry, interceptor)`` in place of the catalog's
    interceptor where given (a what-if's changed values)."""
    a = scenario.assumptions
    rcs_m2, slsd_s = a.rcs_m2.value, a.shoot_look_shoot_s.value
    by_id = {r["flight_id"]: r for r in threats.rows}
    out = []
    if threats.flown is None:
        return out
    tracks = threats.flown
    trajectory = functools.lru_cache(maxsize=None)(tracks.trajectory_of)  # each flight's track once per phase
    bases = [b for b in (BASES if a.bounding_cueing else BASES[:1]) if bases is None or b in bases]
    # texts the same in many rows are made once and shared by reference (the table stores each once: LABEL)
    threat_sets = {flight_id: "; ".join(r["threat_sets"]) for flight_id, r in by_id.items()}
    phase_date = phase.date.isoformat()
    phase_cancelled = phase.cancelled.isoformat() if phase.cancelled else None
    for entry, basis in ((e, b) for e in phase.sites if sites is None or e.site in sites for b in bases):
        interceptor, site, rule, cueing, options = site_inputs(entry, scenario, shapes, basis)
        if interceptor_of is not None:
            interceptor = interceptor_of(entry, interceptor)
        result = engage_many(tracks, interceptor, [site], cueing=cueing, **options)
        endgame = options["endgame"]
        assumptions = {"launch_delay_s": options["launch_delay_s"], "rcs_m2": rcs_m2, "shoot_look_shoot_s": slsd_s,
                       "shot_doctrine": SHOT_DOCTRINE,
                       "cueing": rule, "cue_sensors": list(entry.cueing_sensors) if cueing.rule != "delay" else [],
                       "min_intercept_altitude_km": interceptor.min_intercept_altitude_m / 1e3,
                       "max_intercept_altitude_km": interceptor.max_intercept_altitude_m / 1e3,
                       "interceptor_burnout_speed_km_s": interceptor.burnout_speed_m_s / 1e3
                       if interceptor.burnout_speed_m_s else None,
                       "earth": tracks.earth.name, "atmosphere": tracks.atmosphere, "flight_phase": options["flight_phase"],
                       **endgame.stated()}
        assumptions_text = json.dumps(assumptions)
        for k, flight_id in enumerate(threats.flown_ids):
            info = by_id[int(flight_id)]
            verdict = Verdict(int(result.verdict[k, 0]))
            margin = float(result.margin_s[k, 0])
            feasible = verdict == Verdict.FEASIBLE
            point = None
            if feasible:
                point = _intercept_point(trajectory(k), int(result.intercept_index[k, 0]))
            launch_s = float(result.interceptor_launch_s[k, 0])
            row = {
                "scenario": scenario.name, "phase": phase.name, "phase_date": phase_date,
                "phase_cancelled": phase_cancelled, "flight_id": int(flight_id), "threat_sets": threat_sets[int(flight_id)],
                "purpose": aggregate.purpose_of(info), "launch": info["launch"],
                "launch_latitude_deg": info["launch_latitude_deg"],
                "launch_longitude_deg": info["launch_longitude_deg"], "aim": info["aim"],
                "missile": info["missile"], "range_class": info.get("range_class"), "trajectory": info["trajectory"],
                "shape": info.get("shape") or info["trajectory"], "warheads": info["warheads"],
                "decoys_per_warhead": info["decoys_per_warhead"],
                "range_km": info["range_km"], "flight_time_s": info["flight_time_s"], "apogee_km": info["apogee_km"],
                "site": entry.site, "interceptor": entry.interceptor,
                "count": entry.count.value if entry.count else None,
                "cueing": rule, "cue_basis": basis, "sector": entry.sector,
                "verdict": verdict.name.lower(), "message": result.explain(k, 0),
                "margin_s": margin if verdict.info.carries_margin else None,
                "endgame": endgame.model,
                "endgame_reason": explain_endgame(result.endgame_reason[k, 0], result.endgame_value[k, 0], endgame)
                if verdict == Verdict.ENDGAME_INFEASIBLE else None,
                "closing_speed_km_s": float(result.closing_speed_m_s[k, 0]) / 1e3 if feasible else None,
                "crossing_angle_deg": float(result.crossing_angle_deg[k, 0]) if feasible else None,
                "divert_needed_m_s": float(result.divert_needed_m_s[k, 0]) if feasible and endgame.on else None,
                "interceptor_launch_s": launch_s if math.isfinite(launch_s) else None,
                "first_detection_s": _finite(result.first_detection_s[k, 0]),
                "track_s": _finite(result.track_s[k, 0]),
                "window_earliest_s": float(result.earliest_s[k, 0]) if feasible else None,
                "window_latest_s": float(result.latest_s[k, 0]) if feasible else None,
                "window_min_altitude_km": float(result.min_altitude_m[k, 0]) / 1e3 if feasible else None,
                "window_max_altitude_km": float(result.max_altitude_m[k, 0]) / 1e3 if feasible else None,
                "shots": int(result.shots[k, 0]) if feasible else 0,
                "intercept_lat_deg": point[0] if point else None, "intercept_lon_deg": point[1] if point else None,
                "intercept_altitude_km": point[2] if point else None,
                "intercept_time_s": float(result.earliest_s[k, 0]) if feasible else None,
                "intercept_flight_phase": PHASE_NAMES[int(result.intercept_phase[k, 0])] if feasible else None,
                "window_flight_phases": ", ".join(result.phases(k, 0)) if feasible else None,
                "assumptions": assumptions_text,
            }
            out.append(row)
    return out


def _intercept_point(track: dict, s: int) -> tuple[float, float, float]:
    """Sub-point (deg) and altitude (km) of a flight's track at its sample s (the earliest intercept)."""
    return float(track["latitude_deg"][s]), float(track["longitude_deg"][s]), float(track["altitude_m"][s] / 1e3)


SCHEMA_COLUMNS = ("scenario", "phase", "phase_date", "phase_cancelled", "flight_id", "threat_sets", "purpose", "launch",
                  "launch_latitude_deg", "launch_longitude_deg", "aim", "missile", "range_class", "trajectory", "shape",
                  "warheads", "decoys_per_warhead", "range_km", "flight_time_s", "apogee_km", "site", "interceptor",
                  "count", "cueing", "cue_basis", "sector", "verdict", "message", "margin_s", "endgame", "endgame_reason",
                  "closing_speed_km_s", "crossing_angle_deg", "divert_needed_m_s", "interceptor_launch_s",
                  "first_detection_s", "track_s", "window_earliest_s", "window_latest_s", "window_min_altitude_km",
                  "window_max_altitude_km", "shots", "intercept_lat_deg", "intercept_lon_deg",
                  "intercept_altitude_km", "intercept_time_s", "intercept_flight_phase", "window_flight_phases",
                  "assumptions")
#: The type of a column of labels: each distinct text stored once, each row an index into them (a Parquet
#: dictionary column; DuckDB, ``to_pylist`` and the report read plain strings). The label columns repeat
#: the same few texts (a scenario's name, a phase's, a site's) in thousands of rows.
LABEL = pa.dictionary(pa.int32(), pa.string())
_TYPES = {"flight_id": pa.int64(), "count": pa.int64(), "shots": pa.int64(), "warheads": pa.int64(),
          "decoys_per_warhead": pa.int64()}
_LABELS = {"scenario", "phase", "phase_date", "phase_cancelled", "threat_sets", "purpose", "launch", "aim", "missile",
           "range_class", "shape", "trajectory", "site", "interceptor", "cueing", "cue_basis", "sector", "verdict",
           "assumptions", "endgame", "intercept_flight_phase", "window_flight_phases"}
_STRINGS = {"message", "endgame_reason"}  # a text of its own in each row
SCHEMA = pa.schema([(c, _TYPES.get(c, LABEL if c in _LABELS else pa.string() if c in _STRINGS else pa.float64()))
                    for c in SCHEMA_COLUMNS])


_FLIGHT_TYPES = {"flight_id": pa.int64(), "warheads": pa.int64(), "decoys_per_warhead": pa.int64()}
_FLIGHT_LABELS = {"launch", "aim", "missile", "range_class", "trajectory", "shape", "flight_model", "threat_sets",
                  "purposes", "status"}
_FLIGHT_STRINGS = {"reason", "detections_json"}
FLIGHT_COLUMNS = ("flight_id", "launch", "launch_latitude_deg", "launch_longitude_deg", "aim", "missile", "range_class",
                  "trajectory", "shape", "warheads", "decoys_per_warhead", "flight_model", "threat_sets", "purposes",
                  "status", "reason", "distance_km", "max_range_km", "azimuth_deg", "kick_deg", "cutoff_s", "range_km",
                  "flight_time_s",
                  "apogee_km", "burnout_s", "detections_json")
FLIGHT_SCHEMA = pa.schema([(c, _FLIGHT_TYPES.get(c, LABEL if c in _FLIGHT_LABELS else pa.string()
                                                if c in _FLIGHT_STRINGS else pa.float64())) for c in FLIGHT_COLUMNS])


def flights_table(threats: ThreatFlights) -> pa.Table:
    """The flights table with its explicit schema: every column in every row, null (never NaN) where a
    flight has no value (one not flown has no range), lists joined with "; "."""
    def cell(value):
        if isinstance(value, list):
            return "; ".join(value)
        return None if isinstance(value, float) and not math.isfinite(value) else value

    return pa.Table.from_pylist([{c: cell(row.get(c)) for c in FLIGHT_COLUMNS} for row in threats.rows],
                                schema=FLIGHT_SCHEMA)


def assess(scenario: Scenario, *, work_dir: Path | None = None, cache_dir: Path | None = None,
           progress=None) -> Assessment:
    """Run every phase of ``scenario`` against its threat flights (see the module docstring).

    ``work_dir``: the run's own work folder; ``cache_dir``: a work cache shared with other runs
    (:func:`shared_work_dir`); finished work is read from either and kept in both.
    ``progress(step: int, total: int, what: str)`` is called as work finishes.
    """
    start = time.perf_counter()
    total = len(distinct_flights(scenario)) + sum(len(p.sites) for p in scenario.phases)
    done = 0

    def advance(n: int, what: str):
        nonlocal done
        done += n
        if progress:
            progress(done, total, what)

    shapes = scenario.sector_shapes() if scenario.sectors else {}
    advance(0, "aiming and flying the threats")  # the bar shows the whole task from the start
    threats = threat_flights(scenario, work_dir, cache_dir, lambda n: advance(n, "aiming and flying the threats"))
    flown_s = time.perf_counter() - start
    tables = []
    folders = [(folder, folder == cache_dir) for folder in (work_dir, cache_dir) if folder is not None]
    for phase in scenario.phases:
        name = f"phase-{_digest(scenario.model_dump(mode='json'), phase.name)}.parquet"
        table = next((found for found in (_read_table(folder / name) for folder, _ in folders) if found is not None),
                     None)
        if table is None:
            table = pa.Table.from_pylist(phase_rows(scenario, phase, threats, shapes), schema=SCHEMA)
        for folder, shared in folders:
            if not (folder / name).exists():  # atomic: a phase is either finished or not there
                atomic.write(folder / name, functools.partial(pq.write_table, table), shared=shared)
        tables.append(table)
        advance(len(phase.sites), phase.name)
    # one chunk with one dictionary per label column: the table that reading results.parquet back gives
    results = pa.concat_tables(tables).unify_dictionaries().combine_chunks() if tables else SCHEMA.empty_table()
    run_s = time.perf_counter() - start
    return Assessment(scenario, results, threats, run_s, {"threat_flights_s": flown_s, "total_s": run_s})


def summary(assessment: Assessment) -> list[dict]:
    """Per phase: how many stated (Iranian) and Russian-concern flights some site can engage, how many
    only outside a site's sector, and how close the phase comes (the best margin, s, over the
    pairs a site's sector allows; negative: missed by that much). Computed by :func:`aggregate.summary`."""
    return aggregate.summary(assessment.results, assessment.scenario.phases)


def emergence(assessment: Assessment, basis: str = "architecture") -> dict | None:
    """The first phase (in date order) at which a Russian-concern flight becomes engageable
    (:func:`aggregate.emergence`)."""
    return aggregate.emergence(summary(assessment), basis)
