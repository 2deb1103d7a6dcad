"""The studies beside the assessment: :func:`guarantee` (``shieldcheck guarantee``: the speed and cue at
which no Russian flight is engageable), :func:`footprint` (``shieldcheck footprint``: the aim points a
phase defends) and :func:`sweep` (``shieldcheck sweep``: every verdict as a probability)."""

from __future__ import annotations

import contextlib
import json
import time
from pathlib import Path

from .. import folder_kind, limits
from ..errors import InputError
from . import folders, options, terminal
from .result import Result

GUARANTEE_SPEEDS_KM_S = "2.0:7.0:0.5"  # the burnout speeds ``guarantee`` sweeps by default, km/s
GUARANTEE_DELAYS_S = "0:900:30"  # the launch delays it sweeps by default, s


class GuaranteeResult(Result):
    """Per interceptor site of a phase, the largest burnout speed and the earliest cue at which no Russian
    flight is engageable (:func:`guarantee`).

    Tables: ``sites`` (one row per site: its limits, the share of the Iranian flights covered at
    each, and the speed limit in the 1997 texts' words, ``treaty_wording``), ``speeds`` (per site and
    burnout speed swept: Russian flights engageable, Iranian share) and
    ``delays`` (per site and launch delay swept, the same); together what guarantee.json holds. Also:
    ``phase`` (the phase examined), ``site_limits`` (the :class:`guarantee.SiteLimit` of each site),
    ``scenario`` and ``folder``.

    ``explain()`` prints what ``shieldcheck guarantee`` prints; ``write(folder)`` writes what
    ``guarantee --out FOLDER`` writes: guarantee.json, guarantee.png and the kept work (.work/).
    """

    TABLES = ("sites", "speeds", "delays")

    def __init__(self, scenario, phase: str, site_limits: list, work: folders.Work):
        self.scenario, self.phase, self.site_limits, self.work = scenario, phase, site_limits, work
        self.folder = None

    @property
    def sites(self):
        import pyarrow as pa

        rows = [{"site": x.site, "interceptor": x.interceptor, "catalog_speed_km_s": x.catalog_speed_km_s,
                 "cueing": x.cueing, "russian_flights": x.n_russian, "stated_flights": x.n_stated,
                 "speed_limit_km_s": x.speed_limit_km_s, "stated_share_at_speed_limit": x.stated_share_at_speed_limit,
                 "cueing_limit_s": x.cueing_limit_s, "stated_share_at_cueing_limit": x.stated_share_at_cueing_limit,
                 "treaty_wording": x.treaty_words()}
                for x in self.site_limits]
        schema = pa.schema([("site", pa.string()), ("interceptor", pa.string()), ("catalog_speed_km_s", pa.float64()),
                            ("cueing", pa.string()), ("russian_flights", pa.int64()), ("stated_flights", pa.int64()),
                            ("speed_limit_km_s", pa.float64()), ("stated_share_at_speed_limit", pa.float64()),
                            ("cueing_limit_s", pa.float64()), ("stated_share_at_cueing_limit", pa.float64()),
                            ("treaty_wording", pa.string())])
        return pa.Table.from_pylist(rows, schema=schema)

    def _sweep_table(self, values: str, engageable: str, share: str, column: str):
        import pyarrow as pa

        rows = [{"site": x.site, "interceptor": x.interceptor, column: float(v), "russian_engageable": int(n),
                 "stated_share": float(s)}
                for x in self.site_limits
                for v, n, s in zip(getattr(x, values), getattr(x, engageable), getattr(x, share))]
        schema = pa.schema([("site", pa.string()), ("interceptor", pa.string()), (column, pa.float64()),
                            ("russian_engageable", pa.int64()), ("stated_share", pa.float64())])
        return pa.Table.from_pylist(rows, schema=schema)

    @property
    def speeds(self):
        return self._sweep_table("speeds_km_s", "russian_engageable", "stated_share", "speed_km_s")

    @property
    def delays(self):
        return self._sweep_table("delays_s", "russian_engageable_by_delay", "stated_share_by_delay", "delay_s")

    def write(self, folder) -> Path:
        """Write what ``shieldcheck guarantee --out FOLDER`` writes into ``folder`` (checked first, held while
        written); the folder."""
        folder = folders.output_folder(Path(folder), "guarantee")
        with folders.exclusive(folder):
            self._write(folder)
        return folder

    def _write(self, out: Path) -> None:
        from .. import guarantee as guarantee_mod
        from ..report.figures import guarantee_chart

        folders.copy_work(self.work.path, out, (".work",))
        guarantee_mod.write(self.phase, self.site_limits, self.scenario, out, draw_chart=guarantee_chart)
        self.folder = out

    def explain(self, full_sources: bool = False) -> None:
        """Print what ``shieldcheck guarantee`` prints: the limits of each site, the assumptions and, once
        written, what was written."""
        def share(value):
            return "—" if value is None else f"{100 * value:.0f} %"

        site_limits = self.site_limits
        shown = terminal.table(
            f"{self.scenario.title}: {self.phase}: limits at which no Russian ICBM/SLBM flight is engageable",
            [("site", "key"), ("interceptor", "key"), ("catalog speed", "key"), ("cue (speed sweep)", "key"),
             ("speed limit", "text"), ("Iranian covered at it", "key"), ("earliest cue (delay)", "text"),
             ("Iranian covered at it", "key")],
            [[limit.site, limit.interceptor, f"{limit.catalog_speed_km_s:.2f} km/s", limit.cueing,
              limit.speed_limit_words(), share(limit.stated_share_at_speed_limit), limit.cueing_limit_words(),
              share(limit.stated_share_at_cueing_limit)] for limit in site_limits])
        console = terminal.console()
        console.print(shown)
        a = self.scenario.assumptions
        n_russian = site_limits[0].n_russian if site_limits else 0
        n_stated = site_limits[0].n_stated if site_limits else 0
        for line in (
                f"threat set: {n_russian} Russian ICBM/SLBM flights bound for the US and {n_stated} Iranian flights "
                "that their missiles can fly (the scenario's threat sets)",
                "speed sweep: each interceptor's stage model rescaled by one stated parameter to each burnout speed "
                "(reach.with_burnout_speed); cue: the scenario's bounding cue where it states one, which ignores where "
                "the radars look, so that the limit holds whatever the sensors",
                "cue sweep: the interceptor launched the given seconds after the threat's launch, at its catalog speed",
                "a limit is the largest speed (earliest delay) with no Russian flight engageable there or at any "
                "slower speed (later delay) swept",
                f"launch delay {a.launch_delay_s.value:g} s, radar cross-section {a.rcs_m2.value:g} m^2, the sites' "
                "altitude bands and sectors: as in the scenario; physics-only feasibility (no kill probability)",
                terminal.endgame_line(self.scenario)):
            console.print(f"  - {line}", highlight=False)
        console.print("In the words of the 1997 ABM demarcation texts (speed: the Earth-relative burnout speed; lines "
                      "3.0 km/s lower-velocity, Helsinki 4.5 km/s sea-based and 5.5 km/s land- or air-based):",
                      highlight=False)
        for limit in site_limits:
            console.print(f"  - {limit.site} ({limit.interceptor}): {limit.treaty_words()}", highlight=False)
        if self.folder is not None:
            console.print(f"Wrote {self.folder / 'guarantee.png'} and {self.folder / 'guarantee.json'}",
                          highlight=False)

    def __repr__(self) -> str:
        return f"<GuaranteeResult {self.scenario.name}, {self.phase}: {len(self.site_limits)} site(s)>"


def guarantee(scenario="epaa", *, phase: str | None = None, sites=(), speeds_km_s=GUARANTEE_SPEEDS_KM_S,
              delays_s=GUARANTEE_DELAYS_S, endgame: str | None = None, out=None, progress=None) -> GuaranteeResult:
    """Per interceptor site of a phase (default: the scenario's last): the largest burnout speed and the
    earliest cue at which no Russian ICBM/SLBM flight is engageable: what ``shieldcheck guarantee``
    computes, with the same options and defaults.

    ``sites``: only these interceptor sites of the phase; ``speeds_km_s`` and ``delays_s``: the burnout
    speeds (km/s) and launch delays (s) swept, as "FROM:TO:STEP", "A,B,C" or a sequence of numbers;
    ``endgame``: override the scenario's endgame model; ``out``: work and write in this folder as
    ``guarantee --out`` does; ``progress``: ``progress(done, total, what)`` or True for a progress bar.

    Returns a :class:`GuaranteeResult`. Raises :class:`InputError` on bad input, before any work.
    """
    from .. import assess as assess_mod
    from .. import guarantee as guarantee_mod

    chosen = options.scenario(scenario, endgame)
    speeds = options.values("--speeds", speeds_km_s, "burnout_speed_km_s")
    delays = options.values("--delays", delays_s, "cue_delay_s")
    sites = [sites] if isinstance(sites, str) else list(sites)
    if phase is not None:
        chosen.phase(phase)
    context, update = terminal.progress_of(progress)

    def run(work: folders.Work) -> GuaranteeResult:
        terminal.started(update)
        phase_name, found, _ = guarantee_mod.guarantee(chosen, phase=phase, sites=sites or None, speeds_km_s=speeds,
                                                       delays_s=delays, work_dir=work.path / ".work",
                                                       cache_dir=assess_mod.shared_work_dir(), progress=update)
        return GuaranteeResult(chosen, phase_name, found, work)

    if out is None:
        with context:
            return run(folders.Work())
    out = folders.output_folder(Path(out), "guarantee")
    with folders.exclusive(out), context:
        result = run(folders.Work(out))
        result._write(out)
    return result


class FootprintResult(Result):
    """The aim points of a region whose flights a phase's sites can engage (:func:`footprint`).

    Tables: ``cells`` (footprint.parquet: one row per grid cell with its state, flights landing and
    flights engageable). Also: ``footprint`` (the :class:`footprint.Footprint`: areas, places,
    assumptions), ``data`` (its JSON summary, footprint.json's entry), ``scenario`` and ``folder``.

    ``explain()`` prints what ``shieldcheck footprint`` prints; ``to_json()`` the line ``--json`` prints;
    ``write(folder)`` writes what ``footprint --out FOLDER`` writes: footprint.png, footprint.parquet and
    footprint.json.
    """

    TABLES = ("cells",)

    def __init__(self, scenario, footprint):
        self.scenario, self.footprint = scenario, footprint
        self.folder = None
        self.paths = None

    @property
    def cells(self):
        return self.footprint.to_table()

    @property
    def data(self) -> dict:
        return self.footprint.summary()

    def to_json(self) -> str:
        """The one line of JSON ``shieldcheck footprint --json`` prints (without its newline)."""
        return json.dumps(self.data, allow_nan=False)

    def write(self, folder) -> Path:
        """Write what ``shieldcheck footprint --out FOLDER`` writes into ``folder`` (checked first, held while
        written); the folder."""
        folder = folders.output_folder(Path(folder), "footprint")
        with folders.exclusive(folder):
            self._write(folder)
        return folder

    def _write(self, out: Path) -> None:
        from .. import footprint as footprint_mod
        from ..report import figures

        self.paths = footprint_mod.write([self.footprint], out, draw_map=figures.footprint_map)
        self.folder = out

    def explain(self, full_sources: bool = False) -> None:
        """Print what ``shieldcheck footprint`` prints: the areas and places, the assumptions and, once
        written, what was written."""
        result = self.footprint
        shown = terminal.table(
            f"{self.scenario.title}: {result.kind}, {result.missile} from {result.launch} over "
            f"{result.grid.region.name} ({result.grid.cell_km:g} km cells)",
            [("phase", "key"), ("sites", "key"), ("defended area (km²)", "number"),
             ("partly defended (km²)", "number"), ("reached (km²)", "number"), ("places inside", "text")],
            [[result.phase, "\n".join(dict.fromkeys(label.split(":")[0] for label in result.sites)),
              f"{result.area_km2:,.0f}", f"{result.partly_area_km2:,.0f}", f"{result.reachable_area_km2:,.0f}",
              ", ".join(f"{p}{' (capital)' if p in result.capitals_inside else ''}"
                        for p in result.places_inside) or "none"]])
        console = terminal.console()
        console.print(shown)
        for line in result.assumptions:
            console.print(f"  - {line}", highlight=False)
        if self.paths is not None:
            console.print(f"Wrote {self.paths['png']}, {self.paths['parquet']} ({len(result.grid):,} cells) and "
                          f"{self.paths['json']}", highlight=False)

    def __repr__(self) -> str:
        return f"<FootprintResult {self.footprint!r}>"


def footprint(scenario, *, phase: str, launch: str, missile: str, sites=(), region: str = "europe",
              grid_km: float = 50.0, cue_basis: str = "architecture", out=None, progress=None) -> FootprintResult:
    """The aim points of a region whose flights the sites of one phase of ``scenario`` can engage, for
    one threat (``missile`` from ``launch``: catalog names or "LAT,LON"): what ``shieldcheck footprint``
    computes, with the same options and defaults.

    ``sites``: only these interceptor sites of the phase; ``region``: europe | us | "LAT0,LON0,LAT1,LON1"
    (south-west and north-east corners); ``grid_km``: the cell size (equal-area square cells);
    ``cue_basis``: architecture (each site's own cueing) | bounding (the scenario's bounding cue);
    ``out``: write into this folder as ``footprint --out`` does; ``progress``: ``progress(done, total,
    what)`` or True for a progress bar.

    Returns a :class:`FootprintResult`. Raises :class:`InputError` on bad input, before any flight.
    """
    from .. import footprint as footprint_mod
    from .. import scenario as scenario_mod

    sites = [sites] if isinstance(sites, str) else list(sites)
    for option, value in (("--phase", phase), ("--launch", launch), ("--missile", missile), ("--region", region),
                          *(("--site", name) for name in sites)):
        options.named(option, value)
    limits.check("grid_km", grid_km, "--grid-km")
    chosen = scenario if isinstance(scenario, scenario_mod.Scenario) else scenario_mod.load(scenario)
    plan = footprint_mod.plan(chosen, launch=launch, missile=missile, phases=[phase], sites=sites or None,
                              where=region, grid_km=grid_km, cue_basis=cue_basis)  # every check before any flight
    context, update = terminal.progress_of(progress)
    if out is None:
        with context:
            terminal.started(update)
            return FootprintResult(chosen, footprint_mod.compute(plan, update)[0])
    out = folders.output_folder(Path(out), "footprint")
    with folders.exclusive(out):
        with context:
            terminal.started(update)
            result = FootprintResult(chosen, footprint_mod.compute(plan, update)[0])
        result._write(out)
    return result


class SweepResult(Result):
    """Every verdict as a probability over uncertain values (:func:`sweep`).

    Tables: ``by_phase`` (summary.json's per phase, purpose and cue basis rows: engageable flights per
    case, mean and 5-95 %, P(any) with its 95 % interval; the terminal's table), ``sensitivity``
    (summary.json's first-order indices, per parameter and purpose), ``cases`` (cases.parquet: the
    values of each case) and ``results`` (results/*.parquet: one row per case x flight x site x phase x
    cue basis; read when asked, it can be large). Also: ``summary`` (summary.json), ``manifest``,
    ``plan`` (the :class:`sweep.Sweep`), ``scenario``, ``work`` (the folder the sweep runs in) and
    ``folder``.

    ``explain()`` prints what ``shieldcheck sweep`` prints; ``write(folder)`` writes what ``sweep --out
    FOLDER`` writes: manifest.json, cases.parquet, results/, flights/, summary.json, summary.html and
    the kept work (.work/); a folder that holds another sweep is refused, one that holds this one is
    completed.
    """

    TABLES = ("by_phase", "sensitivity", "cases", "results")

    def __init__(self, scenario, plan, manifest: dict, work: folders.Work, elapsed_s: float):
        self.scenario, self.plan, self.manifest, self.work = scenario, plan, manifest, work
        self.summary = json.loads((work.path / "summary.json").read_text())
        self.elapsed_s = elapsed_s
        self.folder = None

    @property
    def by_phase(self):
        import pyarrow as pa

        return pa.Table.from_pylist(self.summary["by_phase"])

    @property
    def sensitivity(self):
        import pyarrow as pa

        return pa.Table.from_pylist(self.summary["sensitivity"])

    @property
    def cases(self):
        import pyarrow.parquet as pq

        return pq.read_table(self.work.path / "cases.parquet")

    @property
    def results(self):
        import pyarrow.parquet as pq

        return pq.read_table(self.work.path / "results")

    def write(self, folder) -> Path:
        """Write what ``shieldcheck sweep --out FOLDER`` writes into ``folder`` (checked first, held while
        written); the folder."""
        from .. import sweep as sweep_mod

        start = time.perf_counter()
        folder = folders.output_folder(Path(folder), "sweep")
        with folders.exclusive(folder):
            if not folders.same(self.work.path, folder):
                sweep_mod.start(self.plan, folder, self.plan.cases())  # refuses a folder holding another sweep
                folders.copy_work(self.work.path, folder, ("flights", "results", ".work", "summary.json",
                                                           "summary.html"))
            self.folder = folder
        self.elapsed_s += time.perf_counter() - start
        return folder

    def explain(self, full_sources: bool = False) -> None:
        """Print what ``shieldcheck sweep`` prints: the probabilities per phase, what moves each purpose's
        verdicts most, the convergence, the endgame model and, once written, what was written."""
        summary, manifest = self.summary, self.manifest
        console = terminal.console()
        console.print(terminal.table(
            f"{self.scenario.title}: {manifest['cases']:,} cases; engageable flights per case (mean, 5-95 %) and the "
            "probability that any is engageable, P(any), with its 95 % interval",
            [("phase", "key"), ("purpose, cue basis", "key"), ("flights", "number"), ("mean", "number"),
             ("5-95 %", "number"), ("P(any)", "key")],
            [[r["phase"], f"{r['purpose']}, {r['cue_basis']}", f"{r['flights']:,}", f"{r['mean']:.1f}",
              f"{r['p05']:.0f}-{r['p95']:.0f}", f"{r['probability_any']:.2f} ({r['ci_low']:.2f}-{r['ci_high']:.2f})"]
             for r in summary["by_phase"]]))
        ranked = [r for r in summary["sensitivity"] if r["first_order_index"] is not None]
        for purpose in sorted({r["purpose"] for r in ranked}):
            top = max((r for r in ranked if r["purpose"] == purpose), key=lambda r: r["first_order_index"])
            console.print(f"Moves the {purpose} verdicts most: {top['parameter']} (first-order index "
                          f"{top['first_order_index']:.2f})", highlight=False)
        c = summary["convergence"]
        if c["max_ci_half_width"] is not None:
            console.print(f"Convergence: widest 95 % interval half-width {c['max_ci_half_width']:.2f} at "
                          f"{c['cases']:,} cases", highlight=False)
        console.print(terminal.endgame_line(self.scenario), highlight=False)
        if self.folder is not None:
            out = self.folder
            console.print(f"Wrote {out / 'summary.html'}, {out / 'summary.json'}, {out / 'results'} "
                          f"({summary['rows']:,} rows), {out / 'cases.parquet'}; run time {self.elapsed_s:.1f} s",
                          highlight=False)

    def __repr__(self) -> str:
        return f"<SweepResult {self.scenario.name}: {self.manifest['cases']:,} cases, {self.summary['rows']:,} rows>"


def sweep(scenario="epaa", vary=(), *, samples: int = 64, seed: int = 0, method: str = "latin-hypercube", phases=(),
          device: str = "cpu", scheduler: str | None = None, endgame: str | None = None, chunk_cases: int = 0,
          out=None, progress=None) -> SweepResult:
    """Every verdict of ``scenario`` as a probability over uncertain values: what ``shieldcheck sweep``
    computes, with the same options and defaults.

    ``vary``: one or more "PATH=SPEC" (PATH: interceptor."NAME".FIELD, sensor."NAME".FIELD,
    missile.NAME.scale, launch.AREA.dispersal_km or assumptions.NAME; SPEC: START:STOP:STEP, A,B,C,
    uniform(A,B), normal(MU,SIGMA) or band, the catalog's range); ``samples``: draws of the
    distributions (each crossed with the grids); ``seed``; ``method``: latin-hypercube or monte-carlo;
    ``phases``: the phases swept (default all); ``device``: cpu or gpu; ``scheduler``: run the chunks on
    Dask (tcp://HOST:PORT or local:N); ``endgame``: override the scenario's endgame model;
    ``chunk_cases``: cases per chunk (0: about 200,000 rows a chunk). ``out``: run in this folder as
    ``sweep --out`` does (a killed sweep resumes with the same call); without it the sweep runs in a
    temporary folder kept as long as the result. ``progress``: ``progress(done, total, what)`` or True.

    Returns a :class:`SweepResult`. Raises :class:`InputError` on bad input, before any work.
    """
    from .. import sweep as sweep_mod
    from ..report.sweep import write_summary

    start = time.perf_counter()
    if device not in ("cpu", "gpu"):
        raise InputError(f"--device {device!r}: allowed: cpu, gpu")
    chosen = options.scenario(scenario, endgame)
    if isinstance(seed, bool) or seed < 0:
        raise InputError(f"--seed {seed}: give a whole number of at least 0")
    vary = [vary] if isinstance(vary, str) else list(vary)
    phases = (phases,) if isinstance(phases, str) else tuple(phases or ())
    plan = sweep_mod.plan(chosen, vary, samples=samples, seed=seed, method=method, phases=phases, device=device,
                          chunk_cases=chunk_cases)
    try:
        new_folder = out is not None and not Path(out).exists()
        marked = out is not None and (Path(out) / folder_kind.MARKER).exists()
    except OSError:  # a path the system refuses: output_folder says why
        new_folder = marked = False
    work = folders.Work(None if out is None else folders.output_folder(Path(out), "sweep"))
    context, update = terminal.progress_of(progress, "cases")
    try:
        with (folders.exclusive(work.path) if out is not None else contextlib.nullcontext()), context:
            terminal.started(update)
            manifest = sweep_mod.run(plan, work.path, scheduler=scheduler, progress=update, write_page=write_summary)
    except InputError:
        if out is not None and not marked:  # the kind it marked the folder with goes too
            (work.path / folder_kind.MARKER).unlink(missing_ok=True)
        if new_folder:  # a refused sweep leaves no folder behind (its lock was the last thing in it)
            (work.path / folders.LOCK).unlink(missing_ok=True)
            with contextlib.suppress(OSError):
                work.path.rmdir()
        raise
    result = SweepResult(chosen, plan, manifest, work, 0.0)
    if out is not None:
        result.folder = work.path
    result.elapsed_s = time.perf_counter() - start
    return result

