"""The uncertainty sweep: every verdict of a scenario as a probability over what the sources disagree on.

A sweep runs a scenario's engagements once per *case*, a case being one value for each varied
parameter (:mod:`shieldcheck.sampling`: grids, lists, Monte Carlo or Latin-hypercube draws over
catalog values and the scenario's assumptions). Each case re-does only what its values change:

* an interceptor's burnout speed rescales its stage model (``reach.with_burnout_speed``) and
  builds its reach envelopes; its burn time stretches every stage's burn (propellant fixed) and
  recalibrates the model to its burnout speed; its altitude band or kill-vehicle limits only
  re-evaluate;
* a sensor value or an assumption (cue and decision delays, cross-section) only re-evaluates;
* a missile's ``scale`` (every stage's Isp times the factor) and a launch area's dispersal
  radius re-aim and re-fly the threat flights they touch.

Values that rebuild a stage model or re-aim flights are applied on a stated grid (``RESOLUTION``:
for example 0.05 km/s of burnout speed), so that cases share what was built; the value applied
is the one recorded, in the cases table and in every row.

Output, in one folder: ``manifest.json`` (written first: the scenario's digest, the parameters,
seed, samples, method, package version, device), ``cases.parquet`` (one row per case),
``results/chunk-NNNNNN.parquet`` (one row per case x flight x site x phase x cue basis: the
values, verdict, margin, window), ``flights/`` (the threat flights, per case where they vary)
and the summary (``summary.json``, ``summary.html``: :func:`shieldcheck.aggregate`'s
probabilities, thresholds, sensitivity and convergence). Chunks are written through temporary
names, so a sweep killed at any moment resumes with the same command, losing only the chunk in
progress; a lock keeps a second process out of the folder.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import BaseModel

from . import assess, atomic, cachekey, catalog, limits, reach, sampling
from .constants import PACKAGE_VERSION
from .engagement import Cueing, Verdict, compact_tracks, engage_many
from .errors import InputError
from .scenario import Scenario
from .sensors import Radar

#: Rows per chunk file, about: a chunk is the unit of work, of memory and of resumption.
CHUNK_ROWS = 200_000
#: Grid on which values that rebuild a stage model or re-aim flights are applied (field -> step).
RESOLUTION = {("interceptor", "burnout_speed_km_s"): 0.05, ("interceptor", "burn_time_s"): 1.0,
              ("missile", "scale"): 0.005, ("launch", "dispersal_km"): 1.0}
#: A varied value is checked against the bound of its field's name in ``limits.BOUNDS``; a field with none
#: there must be a finite number of at least zero, :data:`UNBOUNDED`.
UNBOUNDED = limits.Bound("value", 0.0, 1.7976931348623157e308, "", "a catalog or assumption value with no bound "
                         "of its own in limits.BOUNDS: a finite number of at least zero")
#: Bytes one result row takes on disk, about (measured on the built-in scenarios, zstd Parquet).
ROW_BYTES = 24
FLIGHT_PARAMETERS = ("missile", "launch")


@dataclass(frozen=True)
class Parameter:
    """One varied parameter: its path, its specification (and the text it was given as)."""

    path: sampling.ParameterPath
    spec: sampling.Spec
    text: str

    @property
    def name(self) -> str:
        """The column of its values: the path without quotes (``interceptor.SM-3 Block IIA.burn_time_s``)."""
        return ".".join(x for x in (self.path.table, self.path.record, *self.path.field) if x is not None)

    @property
    def resolution(self) -> float | None:
        return RESOLUTION.get((self.path.table, self.path.field[-1]))

    def describe(self) -> dict:
        basis = self.spec.basis
        return {"parameter": self.name, "path": str(self.path), "spec": self.text, "kind": "draw" if self.spec.drawn else "grid",
                "resolution": self.resolution, "basis": basis}


@dataclass(frozen=True)
class Sweep:
    """What a sweep runs: the scenario, the parameters, how they are drawn, which phases, where."""

    scenario: Scenario
    parameters: tuple[Parameter, ...]
    samples: int = 1
    seed: int = 0
    method: str = "latin-hypercube"
    phases: tuple[str, ...] = ()
    device: str = "cpu"
    chunk_cases: int = 0  # cases per chunk; 0: about CHUNK_ROWS rows

    def cases(self) -> list[dict]:
        """Every case (parameter name -> applied value), in case order."""
        drawn = sampling.cases({p.path: p.spec for p in self.parameters}, samples=self.samples, seed=self.seed,
                               method=self.method)

        def applied(p, value):
            return round(round(value / p.resolution) * p.resolution, 9) if p.resolution else value

        return [{p.name: applied(p, case[str(p.path)]) for p in self.parameters} for case in drawn]

    @property
    def drawn(self) -> bool:
        return any(p.spec.drawn for p in self.parameters)

    def selected_phases(self):
        return [p for p in self.scenario.phases if not self.phases or p.name in self.phases]

    def manifest(self, n_cases: int, chunk_cases: int) -> dict:
        """What makes this sweep this sweep: a folder holding another is refused."""
        scenario = self.scenario.model_dump(mode="json")
        digest = hashlib.sha256(json.dumps(scenario, sort_keys=True).encode()).hexdigest()[:16]
        return {"kind": "shieldcheck-sweep", "scenario": self.scenario.name, "scenario_digest": digest,
                "catalog_digest": cachekey.code_digest("catalog/data")[:16], "parameters": [p.describe() for p in self.parameters],
                # draws only: a sweep of grids is the same whatever --samples, --seed and --method say
                **({"samples": self.samples, "seed": self.seed, "method": self.method} if self.drawn else
                   {"samples": None, "seed": None, "method": "grid"}),
                "phases": [p.name for p in self.selected_phases()], "cases": n_cases, "chunk_cases": chunk_cases,
                "package_version": PACKAGE_VERSION, "device": self.device}


def plan(scenario: Scenario, vary: list[str], *, samples: int = 1, seed: int = 0, method: str = "latin-hypercube",
         phases: tuple[str, ...] = (), device: str = "cpu", chunk_cases: int = 0) -> Sweep:
    """A checked :class:`Sweep` from ``--vary PATH=SPEC`` texts: unknown paths (with "did you mean"),
    specifications that do not parse, values outside physical bounds and parameters that do not
    enter the engine are refused here, before any work."""
    if not vary:
        raise InputError("give at least one --vary PATH=SPEC, e.g. --vary 'interceptor.\"SM-3 Block IIA\"."
                         "burnout_speed_km_s=band'")
    parameters = []
    for text in vary:
        if not isinstance(text, str) or "=" not in text:
            raise InputError(f"--vary {limits.shown(text)}: give PATH=SPEC, e.g. assumptions.launch_delay_s=30:120:30")
        path_text, spec_text = text.split("=", 1)
        path = sampling.ParameterPath.parse(path_text)
        path.value_object(scenario)  # the path exists
        spec = sampling.Spec.parse(spec_text, path, scenario)
        if any(p.path == path for p in parameters):
            raise InputError(f"--vary {limits.shown(text)}: {path} is varied twice")
        parameters.append(Parameter(path, spec, spec_text.strip()))
    phases = tuple(dict.fromkeys(scenario.phase(name).name for name in phases))  # the scenario's spelling
    chunk_cases = int(limits.check("chunk_cases", chunk_cases, "--chunk-cases"))
    chosen = Sweep(scenario, tuple(parameters), samples, seed, method, phases, device, chunk_cases)
    for p in parameters:
        _check_bounds(p)
        _check_swept(chosen, p)
        _check_enters(chosen, p)
        _check_inputs(chosen, p)
    return chosen


#: Catalog ranges ``catalog_bands`` leaves out, and why (they are swept with ``shieldcheck sweep``).
LEFT_OUT = {"burn_time_s": "each value rebuilds the interceptor's stage model and its reach envelopes, "
                           "together with each burnout speed (minutes per case)",
            "scale": "each value re-aims every flight of the missile",
            "dispersal_km": "each value re-draws and re-aims the launch points",
            "shoot_look_shoot_s": "it sets the shot count, not the verdict",
            "single_shot_pk": "the numbers game, not the verdicts",
            "decoys_per_warhead": "the numbers game, not the verdicts"}


def catalog_bands(scenario: Scenario) -> tuple[list[str], list[str]]:
    """``--vary PATH=band`` for every range the catalog and the scenario give a value that enters the
    scenario's verdicts (its interceptors, the sensors its sites use, its assumptions), except those of
    ``LEFT_OUT``; and the ranges left out, each with the reason."""
    cat = catalog.load()
    interceptors = dict.fromkeys(cat.find("interceptor", e.interceptor) for p in scenario.phases for e in p.sites)
    sensors = dict.fromkeys(cat.find("sensor", n) for p in scenario.phases for e in p.sites
                            for n in (*e.sensors, *e.cue_sensors))
    candidates: list[tuple[str, str]] = []  # (path, field name)

    def walk(prefix: str, record, path: tuple = ()):
        for name, value in record:
            if isinstance(value, catalog.Value):
                if value.low is not None and value.high is not None and value.low < value.high:
                    candidates.append((f"{prefix}.{'.'.join((*path, name))}", name))
            elif isinstance(value, catalog.Band) and name == "burnout_speed_band_km_s":
                candidates.append((f"{prefix}.{'.'.join((*path, 'burnout_speed_km_s'))}", "burnout_speed_km_s"))
            elif isinstance(value, BaseModel) and name not in ("payload", "guidance"):
                walk(prefix, value, (*path, name))

    for name in interceptors:
        walk(f'interceptor."{name}"', cat.interceptors[name])
    for name in sensors:
        walk(f'sensor."{name}"', cat.sensors[name])
    for name, value in scenario.assumptions:
        if isinstance(value, catalog.Value) and value.low is not None and value.low < value.high:
            candidates.append((f"assumptions.{name}", name))
    chosen, left_out = [], []
    for path, field in dict.fromkeys(candidates):
        if field in LEFT_OUT:
            left_out.append(f"{path}: {LEFT_OUT[field]}")
            continue
        try:
            plan(scenario, [f"{path}=band"])
        except InputError as error:  # a range on a value that does not enter the engine
            left_out.append(f"{path}: {str(error).split(': ', 1)[-1]}")
            continue
        chosen.append(f"{path}=band")
    return chosen, left_out


def _check_bounds(p: Parameter) -> None:
    """Refuse a specification whose values leave the field's physical bounds (a normal draw: 5 sigma);
    the objects built from a case check their own bounds too."""
    bound = limits.BOUNDS.get(p.path.field[-1], UNBOUNDED)
    spec = p.spec
    if spec.kind == "values":
        extremes = (min(spec.values), max(spec.values))
    elif spec.kind == "uniform":
        extremes = (spec.a, spec.b)
    else:
        extremes = (spec.a - 5 * spec.b, spec.a + 5 * spec.b)
    for value in extremes:
        if not (math.isfinite(value) and bound.inside(value)):
            extent = ", its mean +- 5 sigma" if spec.kind == "normal" else ""
            raise InputError(f"{bound.message(value, f'--vary {p.name}')} (reached by {limits.shown(p.text)}{extent})")


def _swept_phases(sweep: Sweep) -> str:
    names = [p.name for p in sweep.selected_phases()]
    return f"the phase{'s' if len(names) > 1 else ''} swept ({', '.join(names)})"


def _listed(names) -> str:
    return ", ".join(dict.fromkeys(names)) or "none"


def _check_swept(sweep: Sweep, p: Parameter) -> None:
    """Refuse a parameter that no engagement of the sweep reads, before any work: an interceptor at no
    site of the phases swept, a sensor that cues none of them, a missile in no threat set, an assumption
    that the phases swept (their cueing, the endgame) never read, or one that sets no recorded value."""
    path, scenario = p.path, sweep.scenario
    why = None
    a = scenario.assumptions
    entries = [e for phase in sweep.selected_phases() for e in phase.sites]
    rules = [(e, a.bounding_cueing.value if basis == "bounding" else e.cueing or a.cueing)
             for e in entries for basis in (assess.BASES if a.bounding_cueing else assess.BASES[:1])]
    cued = [e for e, rule in rules if Cueing.parse(rule).rule != "delay" and e.cueing_sensors]  # as site_inputs
    kinematic = a.endgame_model() == "kinematic"
    cat = catalog.load()
    name = None if path.table == "assumptions" else path.catalog_field()[1]
    if path.table == "interceptor":
        used = [cat.find("interceptor", e.interceptor) for e in entries]
        if name not in used:
            why = (f"{name!r} is the interceptor of no site in {_swept_phases(sweep)}; the interceptors there: "
                   f"{_listed(used)}")
        elif path.field[0] == "kill_vehicle" and not kinematic:
            why = "the endgame is 'none' (reach only), so no kill-vehicle limit is read"
    elif path.table == "sensor":
        used = [cat.find("sensor", n) for e in cued for n in e.cueing_sensors]
        if name not in used:
            why = (f"{name!r} cues no site in {_swept_phases(sweep)}; the sensors that do: "
                   f"{_listed(used) if used else 'none (every site launches on a fixed delay)'}")
    elif path.table == "missile":
        used = [cat.find("missile", m) for t in scenario.threats for _, missiles in t.launches() for m in missiles]
        if name not in used:
            why = f"{name!r} is in no threat set of {scenario.name!r}, so it changes no flight; its missiles: {_listed(used)}"
    elif path.table == "assumptions":
        field = path.field[0]
        if field == "shoot_look_shoot_s":
            why = ("it sets how many shots fit in a window, not the verdict, margin or window a sweep records "
                   "(shieldcheck assess reports the shots)")
        elif field == "rcs_m2" and not cued:
            why = (f"no site in {_swept_phases(sweep)} is cued by a sensor (every one launches on a fixed delay: "
                   f"{_listed(rule for _, rule in rules)}), and only a sensor reads the cross-section")
        elif field == "bounding_decision_time_s" and not a.bounding_cueing:
            why = f"{scenario.name!r} states no bounding_cueing, the only cue this decision time is added to"
        elif field == "track_velocity_error_m_s" and not kinematic:
            why = "the endgame is 'none' (reach only), and only the kinematic endgame's divert check reads it"
    if why:
        raise InputError(f"--vary {p.name} changes nothing the sweep evaluates: {why}")


def _check_enters(sweep: Sweep, p: Parameter) -> None:
    """Refuse a parameter whose value would change nothing the engine uses (a summary field, say)."""
    path = p.path
    if path.table == "assumptions":
        if path.field[0] == "single_shot_pk" or path.field[0] == "decoys_per_warhead":
            raise InputError(f"--vary {p.name}: it enters the numbers game (attrition), not the engagement verdicts "
                             "a sweep evaluates")
        return
    if path.table == "launch":
        if not any(t.launch_samples for t in sweep.scenario.threats for areas, _ in t.launches()
                   if path.catalog_field()[1] in areas):
            raise InputError(f"--vary {p.name}: no threat set of {sweep.scenario.name!r} draws launch points in "
                             f"{path.record!r} (launch_samples), so its dispersal changes no flight")
        return
    if (path.table, path.field[-1]) in RESOLUTION:
        return
    if path.table == "sensor" and path.field[-1] in Radar.MEASUREMENT_FIELDS + Radar.BIAS_FIELDS:
        raise InputError(f"--vary {p.name}: a radar's measurement errors enter the tracks `shieldcheck verify` "
                         "simulates, not the engagement verdicts a sweep evaluates")
    nominal = _objects(catalog.load(), path)
    item = path.catalog_value()
    value = float(item.value)
    low, high = getattr(item, "low", None), getattr(item, "high", None)
    probe = (high if high != value else low) if low is not None and high is not None and low < high else value * 1.1 + 1.0
    table, name, field = path.catalog_field()
    if _objects(catalog.load().with_value(table, name, field, probe), path) == nominal:
        raise InputError(f"--vary {p.name}: this value does not enter the engine (it is a summary or a note of the "
                         "record); vary the values the model is built from")


def _ends(spec: sampling.Spec) -> tuple[float, ...]:
    """The extreme values of a specification (a normal draw: its mean +- 5 sigma, as ``_check_bounds``)."""
    if spec.kind == "values":
        return (min(spec.values), max(spec.values))
    if spec.kind == "uniform":
        return (spec.a, spec.b)
    return (spec.a - 5 * spec.b, spec.a + 5 * spec.b)


def _engagement_inputs(sweep: Sweep, here: World) -> list:
    """What the engagements of the phases swept read from the catalog and the assumptions (per phase site
    and cue basis: interceptor, site, cueing rule, sensors, delays, endgame), less what a case never changes
    (the sector masks, not built here: they take seconds) and what no recorded column depends on (the look
    of shoot-look-shoot)."""
    bases = assess.BASES if here.scenario.assumptions.bounding_cueing else assess.BASES[:1]
    inputs = []
    for phase in sweep.selected_phases():
        for entry in phase.sites:
            unmasked = entry.model_copy(update={"sector": None})
            for basis in bases:
                interceptor, site, rule, _, options = assess.site_inputs(unmasked, here.scenario, {}, basis, cat=here.cat)
                kept = {k: v for k, v in options.items() if k not in ("sectors", "shoot_look_shoot_s")}
                inputs.append((interceptor, site, rule, kept))
    return inputs


def _check_inputs(sweep: Sweep, p: Parameter) -> None:
    """Build what the engagements read with each end of the parameter's values, before any work: a value
    that a record refuses (a radar's range below 1 km, say) is refused here, not in the first chunk; and
    refuse a parameter none of whose values, nor its catalog range, changes those inputs."""
    path = p.path
    if path.table not in ("interceptor", "sensor", "assumptions") or (path.table, path.field[-1]) in RESOLUTION:
        return  # flights, rescaled stage models and launch areas: checked by _check_swept and _check_bounds
    alone = dataclasses.replace(sweep, parameters=(p,))
    item = path.value_object(sweep.scenario)
    value = float(item.value)
    nominal = _engagement_inputs(alone, world(alone, {p.name: value}))
    own = [v for v in dict.fromkeys(_ends(p.spec)) if v != value]
    low, high = getattr(item, "low", None), getattr(item, "high", None)
    ranged = [float(v) for v in (low, high) if v is not None and float(v) != value and float(v) not in own]
    changed = False
    for probe in own:  # the sweep's own values: a record that refuses one refuses the sweep
        try:
            inputs = _engagement_inputs(alone, world(alone, {p.name: probe}))
        except InputError as error:
            raise InputError(f"--vary {p.name}: {limits.shown(p.text)} reaches {probe:g}, which the record refuses "
                             f"({error})") from None
        changed = changed or inputs != nominal
    for probe in ranged if not changed else ():  # else the catalog's range: does the value enter at all?
        try:
            changed = _engagement_inputs(alone, world(alone, {p.name: probe})) != nominal
        except InputError:
            continue
        if changed:
            break
    probes = own + ranged
    if probes and not changed:
        raise InputError(f"--vary {p.name} changes nothing the sweep evaluates: the engagements of "
                         f"{_swept_phases(sweep)} read the same inputs at {', '.join(f'{v:g}' for v in probes)} as at "
                         f"{value:g}")


def _objects(cat, path: sampling.ParameterPath):
    """What the engine is built from for the record at ``path``."""
    name = path.catalog_field()[1]
    if path.table == "interceptor":
        return cat.interceptor(name), cat.kill_vehicle(name)
    return {"missile": cat.missile, "sensor": cat.sensor}[path.table](name)


@dataclass
class World:
    """The catalog and the scenario as one case has them."""

    cat: catalog.Catalog
    scenario: Scenario
    speeds_km_s: dict  # interceptor catalog name -> burnout speed to rescale to
    burn_times_s: dict  # interceptor catalog name -> total burn time
    radii_km: dict  # launch area catalog name -> dispersal radius

    def interceptor(self, name: str):
        """The case's interceptor: its record's values, its burn time, its model rescaled to its burnout speed."""
        interceptor = self.cat.interceptor(name)
        if name in self.burn_times_s:
            nominal = self.cat.interceptors[name].burn_time_s.value
            k = self.burn_times_s[name] / nominal
            vehicle = interceptor.vehicle
            stages = tuple(dataclasses.replace(s, burn_time_s=s.burn_time_s * k) for s in vehicle.stages)
            interceptor = dataclasses.replace(interceptor, vehicle=dataclasses.replace(vehicle, stages=stages))
        speed_km_s = self.speeds_km_s.get(name)
        if speed_km_s is not None or name in self.burn_times_s:
            target = speed_km_s if speed_km_s is not None else interceptor.burnout_speed_m_s / 1e3
            interceptor = reach.with_burnout_speed(interceptor, target * 1e3)
        return interceptor


def world(sweep: Sweep, case: dict) -> World:
    """The catalog and scenario of one case."""
    cat = catalog.load()
    updates = {}
    speeds, burns, radii = {}, {}, {}
    for p in sweep.parameters:
        value = case[p.name]
        path = p.path
        if path.table == "assumptions":
            old = getattr(sweep.scenario.assumptions, path.field[0])
            updates[path.field[0]] = old.model_copy(update={"value": float(value)})
            continue
        table, name, field = path.catalog_field()
        if path.table == "launch":
            radii[name] = float(value)
        elif path.table == "interceptor" and field == ("burnout_speed_km_s",):
            speeds[name] = float(value)
        elif path.table == "interceptor" and field == ("burn_time_s",):
            burns[name] = float(value)
        else:
            cat = cat.with_value(table, name, field, value)
    scenario = sweep.scenario
    if updates:
        scenario = scenario.model_copy(update={"assumptions": scenario.assumptions.model_copy(update=updates)})
    return World(cat, scenario, speeds, burns, radii)


def flight_key(sweep: Sweep, case: dict) -> tuple:
    """The values of a case that change the threat flights (equal keys: the same flights)."""
    return tuple((p.name, case[p.name]) for p in sweep.parameters if p.path.table in FLIGHT_PARAMETERS)


class _Flown:
    """The threat flights of the cases of one chunk, flown once per distinct flight key."""

    def __init__(self, sweep: Sweep, work_dir: Path | None):
        self.sweep, self.work_dir, self.key, self.value = sweep, work_dir, None, None

    def get(self, key: tuple, here: World):
        if key != self.key:
            threats = assess.fly_threats(here.scenario, self.work_dir, cat=here.cat, radius_km_by_area=here.radii_km)
            tracks = compact_tracks(threats.flown) if threats.flown is not None else None
            self.key, self.value = key, (threats, tracks)
        return self.value


_VERDICTS = [v.name.lower() for v in sorted(Verdict)]
_MARGIN_VERDICTS = np.array([v.info.carries_margin for v in sorted(Verdict)])


def _strings(values: list[str], index: np.ndarray) -> pa.DictionaryArray:
    """A dictionary-encoded string column: ``values[index]`` without a Python string per row."""
    return pa.DictionaryArray.from_arrays(pa.array(np.asarray(index, np.int32)), pa.array(values, pa.string()))


def evaluate_case(sweep: Sweep, case_id: int, case: dict, here: World, flown, shapes: dict) -> tuple[pa.Table, pa.Table]:
    """One case's rows (every flown threat flight x phase site x cue basis) and its flights table;
    ``shapes`` the scenario's sector shapes (no case changes them)."""
    threats, tracks = flown
    scenario = here.scenario
    by_id = {r["flight_id"]: r for r in threats.rows}
    ids = threats.flown_ids
    n = len(ids)
    columns: dict[str, list] = {k: [] for k in ("phase", "site", "interceptor", "cue_basis", "verdict", "margin",
                                                  "earliest", "latest", "flight")}
    labels = {"phase": [], "site": [], "interceptor": [], "cue_basis": []}
    bases = assess.BASES if scenario.assumptions.bounding_cueing else assess.BASES[:1]
    for phase in sweep.selected_phases():
        for entry in phase.sites:
            interceptor = here.interceptor(here.cat.find("interceptor", entry.interceptor))
            for basis in bases:
                if n == 0:
                    continue
                _, site, _, cueing, options = assess.site_inputs(entry, scenario, shapes, basis, cat=here.cat)
                result = engage_many(threats.flown, interceptor, [site], cueing=cueing, tracks=tracks,
                                     device=sweep.device, **options)
                for key, text in (("phase", phase.name), ("site", entry.site), ("interceptor", entry.interceptor),
                                  ("cue_basis", basis)):
                    if text not in labels[key]:
                        labels[key].append(text)
                    columns[key].append(np.full(n, labels[key].index(text)))
                verdict = result.verdict[:, 0]
                feasible = verdict == Verdict.FEASIBLE
                columns["verdict"].append(verdict - min(Verdict))
                columns["margin"].append(np.where(_MARGIN_VERDICTS[verdict - min(Verdict)], result.margin_s[:, 0], np.nan))
                columns["earliest"].append(np.where(feasible, result.earliest_s[:, 0], np.nan))
                columns["latest"].append(np.where(feasible, result.latest_s[:, 0], np.nan))
                columns["flight"].append(np.arange(n))
    rows = sum(len(c) for c in columns["flight"])
    flight = np.concatenate(columns["flight"]) if rows else np.zeros(0, int)
    info = [by_id[int(i)] for i in ids]
    names = {k: sorted({r[k] for r in info}) for k in ("launch", "aim", "missile", "trajectory")}
    names["purpose"] = sorted({r["purposes"][0] for r in info})
    position = {k: np.array([names[k].index(r["purposes"][0] if k == "purpose" else r[k]) for r in info], int)
                for k in names}
    table = {"case_id": pa.array(np.full(rows, case_id, np.int64))}
    for key in ("phase", "site", "interceptor", "cue_basis"):
        table[key] = _strings(labels[key], np.concatenate(columns[key]) if rows else np.zeros(0, int))
    table["flight_id"] = pa.array(np.asarray(ids, np.int64)[flight] if rows else np.zeros(0, np.int64))
    for key in ("launch", "aim", "missile", "trajectory", "purpose"):
        table[key] = _strings(names[key], position[key][flight] if rows else np.zeros(0, int))
    table["verdict"] = _strings(_VERDICTS, np.concatenate(columns["verdict"]) if rows else np.zeros(0, int))
    for key, column in (("margin_s", "margin"), ("window_earliest_s", "earliest"), ("window_latest_s", "latest")):
        values = np.concatenate(columns[column]) if rows else np.zeros(0)
        table[key] = pa.array(values, pa.float64(), mask=~np.isfinite(values))
    for p in sweep.parameters:
        table[p.name] = pa.array(np.full(rows, float(case[p.name])))
    flights = assess.flights_table(threats).drop_columns(["detections_json"])
    return pa.table(table), flights


def run_chunk(sweep: Sweep, first_case_id: int, cases: list[dict],
              work_dir: Path | None = None) -> tuple[pa.Table, pa.Table | None]:
    """The rows of one chunk of cases (``cases``, numbered from ``first_case_id``), and its flights (per
    case, where flights vary; else None).

    A pure function of its arguments: the same on any process or machine, so a Dask worker and the
    in-process loop write the same dataset; the driver draws the cases once and sends each chunk its own.
    """
    flown = _Flown(sweep, work_dir)
    shapes = sweep.scenario.sector_shapes() if sweep.scenario.sectors else {}
    tables, flights = [], []
    varies = any(p.path.table in FLIGHT_PARAMETERS for p in sweep.parameters)
    order = sorted(range(len(cases)), key=lambda k: flight_key(sweep, cases[k]))  # cases sharing flights together
    for k in order:
        case_id, case = first_case_id + k, cases[k]
        here = world(sweep, case)
        rows, flown_table = evaluate_case(sweep, case_id, case, here, flown.get(flight_key(sweep, case), here), shapes)
        tables.append(rows)
        if varies:
            flights.append(flown_table.add_column(0, "case_id", pa.array(np.full(flown_table.num_rows, case_id))))
    results = pa.concat_tables(tables)
    return results, (pa.concat_tables(flights) if flights else None)


def nominal_flights(sweep: Sweep, case: dict, work_dir: Path | None = None) -> pa.Table:
    """The threat flights every case shares (when no varied value changes them), as ``case`` has them."""
    here = world(sweep, case)
    threats = assess.fly_threats(here.scenario, work_dir, cat=here.cat)
    return assess.flights_table(threats).drop_columns(["detections_json"])


def _write_table(table: pa.Table, path: Path) -> None:
    atomic.write(path, lambda partial: pq.write_table(table, partial, compression="zstd"))


def chunk_path(out: Path, chunk: int, kind: str = "results") -> Path:
    return out / kind / f"chunk-{chunk:06d}.parquet"


def chunk_size(sweep: Sweep, rows_per_case: int) -> int:
    """Cases per chunk: the sweep's, or about ``CHUNK_ROWS`` rows."""
    return sweep.chunk_cases or max(1, CHUNK_ROWS // max(1, rows_per_case))


def rows_per_case(sweep: Sweep) -> int:
    """Rows one case writes (flights of the scenario x phase sites x cue bases), before any flying:
    distinct threat flights that could be flown, an upper bound."""
    flights = len(assess.distinct_flights(sweep.scenario))
    bases = 2 if sweep.scenario.assumptions.bounding_cueing else 1
    return flights * bases * sum(len(p.sites) for p in sweep.selected_phases())


def start(sweep: Sweep, out: Path, cases: list[dict]) -> dict:
    """Write (or check) the manifest and the table of ``cases`` (``sweep.cases()``) before any work; the
    manifest."""
    out.mkdir(parents=True, exist_ok=True)
    per_case = rows_per_case(sweep)
    manifest = sweep.manifest(len(cases), chunk_size(sweep, per_case))
    path = out / "manifest.json"
    if path.exists():
        try:
            found = json.loads(path.read_text())
        except ValueError:
            found = None
        if found != manifest:
            differs = sorted(k for k in manifest if not isinstance(found, dict) or found.get(k) != manifest[k])
            raise InputError(f"--out {str(out)!r} holds a different sweep (its {', '.join(differs) or 'manifest'} "
                             "differ); give another folder, or remove it to start again")
        return manifest
    need = per_case * len(cases) * ROW_BYTES
    free = shutil.disk_usage(out).free
    if need > free:
        raise InputError(f"the sweep writes about {need / 1e9:,.1f} GB ({len(cases):,} cases x {per_case:,} rows), "
                         f"more than the {free / 1e9:,.1f} GB free under {str(out)!r}; draw fewer samples or sweep "
                         "fewer phases")
    table = {"case_id": pa.array(np.arange(len(cases), dtype=np.int64))}
    for p in sweep.parameters:
        table[p.name] = pa.array([c[p.name] for c in cases], pa.float64())
    _write_table(pa.table(table), out / "cases.parquet")
    atomic.write_text(path, json.dumps(manifest, indent=1))  # last of the start: a folder with a manifest has its cases table
    return manifest


def run(sweep: Sweep, out: Path, *, scheduler: str | None = None, progress=None, write_page=None) -> dict:
    """Run every chunk not yet written into ``out`` (in-process, or on a Dask cluster), then the
    summary; the manifest. ``progress(done_cases, total_cases, what)`` is called per chunk;
    ``write_page(summary, path)``, given, writes summary.html beside summary.json
    (``report.sweep.write_summary``: passed in by whoever runs the sweep, as a study needs nothing of
    the report)."""
    client = connect(scheduler) if scheduler else None  # before anything is written: a dead scheduler writes nothing
    fresh = not (out / "manifest.json").exists()
    found = {name for name in WRITTEN if (out / name).exists()}  # not this run's: never discarded
    try:
        cases = sweep.cases()  # drawn once: each chunk is sent its own
        manifest = start(sweep, out, cases)
        n_cases, per_chunk = manifest["cases"], manifest["chunk_cases"]
        chunks = range(math.ceil(n_cases / per_chunk))
        varies = any(p.path.table in FLIGHT_PARAMETERS for p in sweep.parameters)
        todo = [c for c in chunks if not chunk_path(out, c).exists()]
        done = (len(chunks) - len(todo)) * per_chunk
        work = out / ".work"
        if progress:
            progress(min(done, n_cases), n_cases, "sweeping")
        if not varies and not (out / "flights" / "all.parquet").exists():
            _write_table(nominal_flights(sweep, cases[0], work), out / "flights" / "all.parquet")

        def piece(chunk: int) -> tuple[int, list[dict]]:  # the chunk's first case id and its cases
            return chunk * per_chunk, cases[chunk * per_chunk:(chunk + 1) * per_chunk]

        def store(chunk: int, tables) -> None:
            nonlocal done
            results, flights = tables
            if flights is not None:
                _write_table(flights, chunk_path(out, chunk, "flights"))
            _write_table(results, chunk_path(out, chunk))  # last: a chunk is done when its results are there
            done += min(per_chunk, n_cases - chunk * per_chunk)
            if progress:
                progress(done, n_cases, "sweeping")

        if client is None:
            for chunk in todo:
                store(chunk, run_chunk(sweep, *piece(chunk), work))
        else:
            from distributed import as_completed

            futures = {client.submit(run_chunk, sweep, *piece(chunk), None, pure=False): chunk for chunk in todo}
            for future in as_completed(futures):
                store(futures[future], future.result())
    except InputError:
        if fresh:  # refused: a sweep this run began leaves nothing behind, and the corrected command starts afresh
            discard(out, keep=found)
        raise
    finally:
        if client is not None:
            _close(client)
    from . import aggregate

    summary = aggregate.sweep_summary(out, manifest)
    atomic.write_text(out / "summary.json", json.dumps(summary, indent=1, allow_nan=False))
    if write_page is not None:
        write_page(summary, out / "summary.html")
    return manifest


#: What a sweep writes into its folder (``discard`` removes these, and only these).
WRITTEN = ("manifest.json", "cases.parquet", "results", "flights", ".work", "summary.json", "summary.html")


def discard(out: Path, keep=()) -> None:
    """Remove what a sweep wrote into ``out`` (:data:`WRITTEN`, less the names in ``keep``: what was there
    before it began), leaving anything else there."""
    for name in (n for n in WRITTEN if n not in keep):
        path = out / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        elif path.exists() or path.is_symlink():
            path.unlink(missing_ok=True)


SCHEDULER_TIMEOUT_S = 10


def connect(scheduler: str):
    """A Dask client: ``local:N`` starts a LocalCluster of N single-threaded worker processes (one
    numba thread each);
    ``tcp://HOST:PORT`` connects to a running scheduler within ``SCHEDULER_TIMEOUT_S``."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise InputError("--scheduler needs dask.distributed (pip install 'distributed')") from None
    text = scheduler.strip()
    if text.startswith("local:"):
        try:
            workers = int(text.split(":", 1)[1])
        except ValueError:
            workers = 0
        if not 1 <= workers <= 1024:
            raise InputError(f"--scheduler {scheduler!r}: give local:N with N a whole number from 1 to 1024")
        # one thread per worker and one numba thread in it: N workers keep N cores busy, not N x cores
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                               env={"NUMBA_NUM_THREADS": "1"})
        return Client(cluster)
    if not text.startswith(("tcp://", "tls://")):
        raise InputError(f"--scheduler {scheduler!r}: give tcp://HOST:PORT (a running dask scheduler) or local:N")
    try:
        return Client(text, timeout=f"{SCHEDULER_TIMEOUT_S}s")
    except (OSError, TimeoutError) as error:
        raise InputError(f"--scheduler {scheduler!r}: no Dask scheduler answered within {SCHEDULER_TIMEOUT_S} s "
                         f"({type(error).__name__}); nothing was written") from None


def _close(client) -> None:
    cluster = getattr(client, "cluster", None)
    client.close()
    if cluster is not None:
        cluster.close()

