"""Every phase of a scenario against every threat set: :func:`assess` (``shieldcheck assess``) and
:func:`compare` (``shieldcheck compare``), with the tables their explanations print.

The assessment pipeline: the phases assessed (``assess.assess``) and the uncertainty run over the
catalog's ranges (``sweep.run``, into ``uncertainty/``); then the writers: the tables, the explorer's
view and the numbers game, the report's own studies (its defended areas, ``footprint.defended_areas``;
speed limits, ``guarantee.for_assessment`` and ``guarantee.limit_ranges``; early phases,
``early_phase.for_assessment``; where the scenario lists a ``[[constellation]]``, what its first one means,
``space_study.study``), computed when first asked for, and the report.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from ..errors import InputError
from . import folders, options, terminal
from .result import Result

#: Cases of the uncertainty run every `assess` makes by default (about 3 s each on the EPAA on 2 cores).
ASSESS_UNCERTAINTY_CASES = 8


def summary_table(title: str, rows: list[dict], odds=None):
    """One row per phase: engageable flights of each threat set and cue basis, and the best Russian margin; with
    ``odds`` (an uncertainty run) each count's range over the cases beside it."""

    def spread(phase: str, purpose: str, basis: str, central: int) -> str:
        found = odds.count_range(phase, purpose, basis, central) if odds is not None else ""
        return f" ({found})" if found else ""

    def margin(value):
        return "—" if value is None else f"{value:+.0f} s"

    cells = []
    for r in rows:
        bounding = (f"{r['russian_bounding_engageable']}/{r['russian_bounding_flights']}"
                    + (f" ({r['russian_bounding_beyond_sector']} only beyond sector)"
                       if r["russian_bounding_beyond_sector"] else "")
                    if r["russian_bounding_flights"] else "—")
        best = r["russian_bounding_best_margin_s"] if r["russian_bounding_flights"] else r["russian_architecture_best_margin_s"]
        if r["russian_bounding_flights"]:
            bounding += spread(r["phase"], "russian-concern", "bounding", r["russian_bounding_engageable"])
        cells.append([r["phase"] + (f" (cancelled {r['cancelled']})" if r["cancelled"] else ""), r["date"],
                      f"{r['stated_architecture_engageable']}/{r['stated_architecture_flights']}"
                      + spread(r["phase"], "stated", "architecture", r["stated_architecture_engageable"]),
                      f"{r['russian_architecture_engageable']}/{r['russian_architecture_flights']}"
                      + spread(r["phase"], "russian-concern", "architecture", r["russian_architecture_engageable"]),
                      bounding,
                      margin(best)])
    return terminal.table(title, [("phase", "key"), ("date", "key"), ("Iranian flights engageable", "key"),
                                  ("Russian engageable (architecture cue)", "key"),
                                  ("Russian engageable (bounding cue)", "key"), ("best Russian margin", "key")], cells)


def theatre_line(rows: list[dict]) -> str:
    """The Russian theatre missiles (purpose russian-theatre: the Oreshnik against Europe and the defence's own
    sites), counted apart from the stated and the Russian-concern flights: per phase, engageable of flown, under
    each cue basis; "" where the scenario flies none."""
    from ..aggregate import BASES, RUSSIAN_THEATRE, THEATRE_WORDS, engageable_words

    words = {"architecture": "architecture cue", "bounding": "bounding cue"}
    parts = [f"{engageable_words(rows, RUSSIAN_THEATRE, basis)} ({words[basis]})" for basis in BASES
             if engageable_words(rows, RUSSIAN_THEATRE, basis)]
    return f"{THEATRE_WORDS} (counted apart): " + "; ".join(parts) if parts else ""


def numbers_table(numbers: dict):
    """One row per phase: the numbers game (attrition.json) in brief."""
    a = numbers["assumptions"]
    pk, doctrine, told = a["single_shot_pk"], a["shot_doctrine"], a["deterrent"]
    title = (f"The numbers game: Pk {pk['value']:g}{' (notional)' if pk['estimate'] else ''}, doctrine "
             f"{doctrine['value']}, {a['decoys_per_warhead']['value']} decoys per warhead; warheads destroyed at most, "
             f"of {told['name']}'s {told['warheads']:,}")
    bases = [b for b in ("architecture", "bounding") if numbers["phases"] and b in numbers["phases"][0]["russian"]]
    short = {"architecture": "arch.", "bounding": "bound."}
    cue = " / ".join(short[b] for b in bases)
    columns = [("phase", "key"), (f"Russian engageable ({cue} cue)", "key"), ("interceptors at engaging sites", "key"),
               (f"warheads destroyed at most ({cue})", "key"),
               *((f"raid '{r['name']}', {r['missiles']:,} missiles: leaking warheads", "key") for r in numbers["raids"]),
               (f"at test-record Pk p5-p95: destroyed ({short[bases[-1]]}); raid leakers (arch.)", "key")]
    rows = []
    for p in numbers["phases"]:
        cells = [p["phase"] + (" (cancelled)" if p["cancelled"] else "")]
        cells.append(" / ".join(f"{p['russian'][b]['engageable_flights']}/{p['russian'][b]['flights']}" for b in bases))
        last = p["russian"][bases[-1]]
        stock = f"{last['interceptors_stated']:,}" if last["engageable_flights"] else "—"
        if last["sites_without_count"]:
            stock += " + not stated: " + ", ".join(last["sites_without_count"])
        cells.append(stock)
        cells.append(" / ".join(f"{p['russian'][b]['destroyed_at_most']:,.1f}" for b in bases)
                     + f" ({100 * last['deterrent_fraction']:.2f} %)")
        for raid in p["raids"]:
            r = raid["architecture"]
            cells.append("—" if r["expected_leaking_warheads"] is None else
                         f"{r['expected_leaking_warheads']:,.2f} of {r['raid_warheads']:,.0f}"
                         + (" (inventory exhausted)" if any(s["exhausted"] for s in r["sites"]) else ""))
        v = last["destroyed_at_most_test_records"]  # the test-record posterior's interval (attrition.py)
        cells.append(f"{v['at_pk_p05']:,.1f}-{v['at_pk_p95']:,.1f}" + "".join(
            f"; {x['architecture']['expected_leaking_warheads_test_records']['at_pk_p95']:,.2f}-"
            f"{x['architecture']['expected_leaking_warheads_test_records']['at_pk_p05']:,.2f}"
            for x in p["raids"] if x["architecture"]["expected_leaking_warheads"] is not None))
        rows.append(cells)
    return terminal.table(title, columns, rows)


class AssessResult(Result):
    """An assessed scenario (:func:`assess`): every phase against every threat set, with what the report adds.

    Tables: ``results`` (results.parquet: one row per flight x site x phase x cue basis, with verdict,
    reason and margin), ``flights`` (flights.parquet: one row per threat flight) and ``summary`` (one row
    per phase: engageable flights of each threat set and cue basis, best margins; the terminal's table).
    Also: ``assessment`` (:class:`assess.Assessment`), ``scenario``, ``numbers`` (attrition.json: the
    numbers game), ``emergence`` (cue basis -> the first phase with an engageable Russian flight, or
    None), ``odds`` (the uncertainty run's :class:`aggregate.SweepOdds`, or None), ``guarantees``,
    ``footprints`` and ``early_phase`` (the report's speed limits, defended areas and early phases:
    computed when first asked for, by ``write()`` or ``explain()`` after an uncertainty run, as they
    take longer than a small assessment itself), ``space`` (the space study of the scenario's first
    ``[[constellation]]``, :class:`space_study.SpaceStudy` with the defaults of ``shieldcheck space``, on
    the assessment's own flights; None where the scenario lists none: computed when first asked for, by
    ``write()`` and ``explain()``), ``folder`` (where it was written, or None) and ``elapsed_s``.

    ``explain()`` prints what ``shieldcheck assess`` prints (the "Wrote ..." line once written);
    ``write(folder)`` writes what ``assess --out FOLDER`` writes: the tables, report.html and figures/,
    attrition.json, verification.json (``verification_data``: the tests the guarantee's limits need and who of
    the other side can watch them, in ``verify --json``'s form), the explorer's view (scene.czml, scene.kml,
    tracks.parquet, scenario.json), the kept work (.work/), the uncertainty run (uncertainty/) and, with a
    constellation, the space study's tables (space/: what ``shieldcheck space --out`` writes).
    """

    TABLES = ("results", "flights", "summary")

    def __init__(self, assessment, work: folders.Work, *, odds, swept, uncertainty: int, attrition_text: str,
                 elapsed_s: float):
        self.assessment, self.work = assessment, work
        self.odds, self.swept, self.uncertainty = odds, swept, uncertainty
        self._studies = None  # (footprints, guarantees, early phase), once computed
        self._space = None  # the space study, once computed (only where the scenario lists a constellation)
        self._verifications = None  # (verifications, seconds taken), once computed
        self.attrition_text = attrition_text
        self.numbers = json.loads(attrition_text)
        self.elapsed_s = elapsed_s
        self.folder = None
        self.report = None

    @property
    def scenario(self):
        return self.assessment.scenario

    @property
    def results(self):
        return self.assessment.results

    @property
    def flights(self):
        from .. import assess as assess_mod

        return assess_mod.flights_table(self.assessment.flights)

    @property
    def summary_rows(self) -> list[dict]:
        from .. import assess as assess_mod

        return assess_mod.summary(self.assessment)

    @property
    def summary(self):
        import pyarrow as pa

        return pa.Table.from_pylist(self.summary_rows)

    @property
    def emergence(self) -> dict:
        from .. import assess as assess_mod

        return {basis: assess_mod.emergence(self.assessment, basis) for basis in ("architecture", "bounding")}

    def studies(self, progress=None) -> tuple:
        """(footprints, guarantees, early phase): the report's own studies of the assessment, computed on the
        first call (``progress(done, total, what)`` follows them) and kept; with an uncertainty run, the key
        site's speed limit over its cases too (``odds.guarantee``)."""
        if self._studies is None:
            from .. import early_phase, footprint
            from .. import guarantee as guarantee_mod

            result, odds = self.assessment, self.odds
            areas = footprint.defended_areas(result.scenario, progress=progress)
            limits = guarantee_mod.for_assessment(result, progress=(lambda done, total, what: progress(
                done, total, f"guarantee: {what}")) if progress else None)
            key = next(((g.phase, x) for g in limits for x in g.limits if x.speeds_km_s and x.n_russian), None)
            if odds is not None and odds.plan is not None and key is not None:
                odds.guarantee = guarantee_mod.limit_ranges(odds.plan, result, *key, progress=progress)
            self._studies = (areas, limits, early_phase.for_assessment(result, progress=progress))
        return self._studies

    @property
    def footprints(self) -> list:
        return self.studies()[0]

    @property
    def guarantees(self) -> list:
        return self.studies()[1]

    @property
    def verifications(self) -> list:
        """The verifications the guarantee's limits need (:func:`shieldcheck.verify.for_guarantees`: per limited
        site and its interceptor, a test from the site and one from its test range, at the limit's speed and at
        the catalog speed), computed with the guarantee on first use; their time in ``verification_s``."""
        if self._verifications is None:
            from .. import verify as verify_mod

            limits = self.guarantees
            start = time.perf_counter()
            found = verify_mod.for_guarantees(limits)
            self._verifications = (found, time.perf_counter() - start)
        return self._verifications[0]

    @property
    def verification_s(self) -> float:
        """Seconds the verifications took (computing them if not yet done)."""
        self.verifications
        return self._verifications[1]

    @property
    def verification_data(self) -> list[dict]:
        """verification.json's content: per verification, what ``verify --json`` gives (:class:`VerifyResult`)."""
        from .verification import VerifyResult

        return [VerifyResult(v).data for v in self.verifications]

    @property
    def early_phase(self):
        """The early phases (:class:`early_phase.EarlyPhases`: every phase with Redzikowo or Deveselu, each
        Russian class), or None where the scenario has neither site."""
        return self.studies()[2]

    def space_study(self, progress=None, **options):
        """The space study of the scenario's first ``[[constellation]]`` (:func:`space_study.study`, on the
        assessment's flights, so nothing is flown twice; ``options`` are its keyword options, by default those
        of ``shieldcheck space``), computed on the first call and kept (a later call's options are not used);
        None where the scenario lists no constellation (then nothing is imported or computed)."""
        if self._space is None and self.scenario.constellations:
            from .. import assess as assess_mod
            from .. import space_study as space_mod

            self._space = space_mod.study(self.scenario, threats=self.assessment.flights,
                                          cache_dir=assess_mod.shared_work_dir(), progress=(
                                              lambda done, total, what: progress(done, total, f"space: {what}"))
                                          if progress else None, **options)
        return self._space

    @property
    def space(self):
        return self.space_study()

    def write(self, folder, progress=None) -> Path:
        """Write what ``shieldcheck assess --out FOLDER`` writes into ``folder`` (checked first, and held
        while written: a second run into it is refused); the folder. ``progress(done, total, what)``, or
        True for a progress bar, follows the report's sections."""
        start = time.perf_counter()
        folder = folders.output_folder(Path(folder), "assess")
        context, update = terminal.progress_of(progress)
        with folders.exclusive(folder), context:
            self._write(folder, update)
        self.elapsed_s += time.perf_counter() - start
        return folder

    def _write(self, out: Path, progress=None) -> None:
        """The outputs into ``out``, which this run holds."""
        import pyarrow.parquet as pq

        from .. import assess as assess_mod
        from .. import atomic
        from ..explorer.results import write_view
        from ..report.html import write_report

        def write(table, path: Path) -> None:  # through a temporary name: a killed run leaves no final-looking table
            atomic.write(path, lambda partial: pq.write_table(table, partial))

        folders.copy_work(self.work.path, out, (".work", "uncertainty"))
        write(self.assessment.results, out / "results.parquet")
        write(assess_mod.flights_table(self.assessment.flights), out / "flights.parquet")
        write_view(self.assessment, out)
        atomic.write_text(out / "attrition.json", self.attrition_text)
        areas, limits, early = self.studies(progress)
        space = self.space_study(progress)
        if space is not None:
            space.write(out / "space")
        verifications = self.verifications
        atomic.write_text(out / "verification.json", json.dumps(self.verification_data, indent=1, allow_nan=False))
        self.report = write_report(self.assessment, out, progress, footprints=areas, uncertainty=self.odds,
                                   guarantees=limits, early_phase=early, space=space, verifications=verifications)
        self.folder = out

    def explain(self, full_sources: bool = False) -> None:
        """Print what ``shieldcheck assess`` prints: the summary table, when a Russian flight first becomes
        engageable, the endgame model, the uncertainty run's ranges, the numbers game and, once written,
        what was written."""
        odds = self.odds
        if odds is not None:
            self.studies()  # the speed limit over the cases (odds.guarantee)
        console = terminal.console()
        console.print(summary_table(f"{self.scenario.title}", self.summary_rows, odds))
        for basis, first in self.emergence.items():
            console.print(f"When a Russian ICBM/SLBM bound for the US first becomes engageable ({basis} cue): "
                          + (f"{first['phase']} ({first['date']})" if first else "in none of the assessed phases")
                          + (f" (over the cases: {odds.emergence_words(basis)}; {odds.mover_words(('emergence', basis))})"
                             if odds is not None and odds.emergence_words(basis) else ""),
                          highlight=False)
        theatre = theatre_line(self.summary_rows)
        if theatre:
            console.print(theatre, highlight=False)
        console.print(terminal.endgame_line(self.scenario), highlight=False)
        where = self.folder or self.work.path
        if odds is not None:
            plan, left_out = self.swept
            console.print(f"How sure: (ranges) over {self.uncertainty:,} Latin-hypercube cases of {len(plan.parameters)} "
                          f"ranges of the catalog and the scenario ({len(left_out)} left out, each with its reason). "
                          f"Iranian flights engaged: {odds.mover_words(('stated', 'architecture'))}. Russian flights "
                          f"engageable (bounding cue): {odds.mover_words(('russian-concern', 'bounding'))}."
                          + (f" Speed limit at {odds.limit_words()}." if odds.guarantee else "")
                          + f" P(engageable) beside each verdict in the report; {where / 'uncertainty' / 'summary.html'}",
                          highlight=False)
        console.print(numbers_table(self.numbers))
        space = self.space_study()
        if space is not None:
            console.print(space_line(space), highlight=False)
        if self.folder is not None:
            out = self.folder
            console.print(f"Wrote {self.report}, {out / 'results.parquet'} ({self.results.num_rows} rows), "
                          f"{out / 'flights.parquet'}, {out / 'attrition.json'}, {out / 'verification.json'} "
                          f"({len(self.verifications)} tests), {out / 'scene.czml'} and "
                          f"{out / 'scene.kml'} (shieldcheck serve {out} shows it on a globe)"
                          + (f", {out / 'space'} (the space study's tables)" if self._space is not None else "")
                          + "; run time "
                          f"{self.elapsed_s:.1f} s", highlight=False)

    def __repr__(self) -> str:
        return (f"<AssessResult {self.scenario.name}: {len(self.scenario.phases)} phases, {self.results.num_rows:,} "
                f"result rows{f', written to {str(self.folder)!r}' if self.folder else ''}>")


def space_line(study) -> str:
    """The assess summary's line on a space study: each purpose's share engageable in boost, one launch at a
    time, and the deterrent's warheads on engageable missiles."""
    parts = []
    for purpose in study.purposes:
        s = study.shares[purpose]
        parts.append(f"{purpose} {s['engaged']} of {s['launches']} launches ({s['flight_share']:.0%}, 95 % interval "
                     f"{s['flight_share_low']:.0%}-{s['flight_share_high']:.0%})")
    deterrent = study.deterrent
    return (f"Space-based interceptors ({study.constellation!r}): engageable in boost, one launch at a time: "
            + "; ".join(parts)
            + (f"; of {deterrent['name']}'s {deterrent['warheads']:,} warheads about "
               f"{deterrent['warheads_engageable']:,.0f} on missiles that could be engaged" if deterrent else "")
            + " (the report's section 'Space-based interceptors'; shieldcheck space for its options)")


def uncertainty_plan(chosen, uncertainty: int):
    """(sweep plan, ranges left out) of ``uncertainty`` Latin-hypercube cases over the catalog's and the
    scenario's ranges, or None for 0 cases; checked before any work."""
    if isinstance(uncertainty, bool) or not isinstance(uncertainty, int) or uncertainty < 0:
        raise InputError(f"--uncertainty {uncertainty}: give a number of cases (0: none)")
    if not uncertainty:
        return None
    from .. import sweep as sweep_mod

    bands, left_out = sweep_mod.catalog_bands(chosen)
    if not bands:
        raise InputError(f"--uncertainty {uncertainty}: neither the catalog nor the scenario gives a range to the "
                         "values its verdicts depend on")
    return sweep_mod.plan(chosen, bands, samples=uncertainty, seed=0), left_out


def _run(chosen, work: folders.Work, swept, uncertainty: int, progress, start: float) -> AssessResult:
    """Assess ``chosen`` keeping its work in ``work``, with the uncertainty run ``swept`` (or None)."""
    from .. import aggregate, attrition
    from .. import assess as assess_mod

    terminal.started(progress)
    result = assess_mod.assess(chosen, work_dir=work.path / ".work", cache_dir=assess_mod.shared_work_dir(),
                               progress=progress)
    odds = None
    if swept is not None:
        from .. import sweep as sweep_mod
        from ..report.sweep import write_summary

        plan, left_out = swept
        sweep_mod.run(plan, work.path / "uncertainty", progress=(lambda done, total, what: progress(
            done, total, "evaluating the catalog's ranges (cases)")) if progress else None, write_page=write_summary)
        odds = aggregate.sweep_odds(work.path / "uncertainty", left_out)
        odds.plan = plan
    text = json.dumps(attrition.numbers(result), indent=1, allow_nan=False)
    return AssessResult(result, work, odds=odds, swept=swept, uncertainty=uncertainty, attrition_text=text,
                        elapsed_s=time.perf_counter() - start)


def assess(scenario="epaa", *, endgame: str | None = None, flight_phase: str | None = None, pk_prior=None,
           uncertainty: int = ASSESS_UNCERTAINTY_CASES, out=None, progress=None) -> AssessResult:
    """Every phase of ``scenario`` (a built-in name such as "epaa", a TOML file, or a loaded
    :class:`scenario.Scenario`) against every threat set: what ``shieldcheck assess`` computes, with the
    same options and defaults.

    ``endgame``: override the scenario's endgame model (kinematic | none); ``flight_phase``: override
    its flight_phase (any | boost | ascent | midcourse | terminal); ``pk_prior``: the Beta prior of the
    single-shot Pk posterior from the test records, "A,B" or (A, B), each above 0 (default the scenario's
    pk_prior, else the uniform 1,1); ``uncertainty``: Latin-hypercube
    cases over the ranges the catalog and the scenario give (0: none). ``out``: work and write in this
    folder as ``assess --out`` does (checked before any work, held against a second run, resumed from
    its finished work); without it the work is kept in a temporary folder and nothing else is written
    until ``write(folder)``. ``progress``: ``progress(done, total, what)`` or True for a progress bar.

    Returns an :class:`AssessResult`. Raises :class:`InputError` on bad input, before any work.
    """
    start = time.perf_counter()
    chosen = options.scenario(scenario, endgame)  # before anything is written
    if flight_phase is not None:
        chosen = chosen.with_flight_phase(flight_phase)
    if pk_prior is not None:  # the Beta prior of the test-record Pk posterior (kill_probability.py)
        from ..kill_probability import parse_prior

        if isinstance(pk_prior, (tuple, list)):  # (A, B), as a notebook gives it
            pk_prior = ",".join(str(v) for v in pk_prior)
        chosen = chosen.with_pk_prior(*parse_prior(pk_prior, "--pk-prior"))
    swept = uncertainty_plan(chosen, uncertainty)
    context, update = terminal.progress_of(progress)
    if out is None:
        with context:
            return _run(chosen, folders.Work(), swept, uncertainty, update, start)
    out = folders.output_folder(Path(out), "assess")
    with folders.exclusive(out), context:
        result = _run(chosen, folders.Work(out), swept, uncertainty, update, start)
        result._write(out, update)
    result.elapsed_s = time.perf_counter() - start
    return result


class CompareResult(Result):
    """Two scenarios side by side (:func:`compare`): what each engages of the stated threats and of the
    Russian flights, phase by phase.

    Tables: ``summary`` (compare.json as a table: one row per scenario and phase, the scenario's name
    first). Also: ``assessments`` (name -> :class:`AssessResult`, each with its own tables),
    ``summaries`` (name -> the per-phase rows of compare.json) and ``folder``.

    ``explain()`` prints what ``shieldcheck compare`` prints; ``write(folder)`` writes what
    ``compare --out FOLDER`` writes: compare.json, compare.html and each scenario's assessment in its
    own subfolder (named after its file; a second one of the same stem gets "-2").
    """

    TABLES = ("summary",)

    def __init__(self, assessments: dict, subfolders: dict):
        self.assessments, self.subfolders = assessments, subfolders
        self.folder = None
        self.page = None

    @property
    def summaries(self) -> dict:
        return {name: a.summary_rows for name, a in self.assessments.items()}

    @property
    def summary(self):
        import pyarrow as pa

        return pa.Table.from_pylist([{"scenario": name, **row}
                                     for name, rows in self.summaries.items() for row in rows])

    def _columns(self) -> list:
        return [(self.subfolders[name], a.scenario.title, a.summary_rows,
                 {basis: first for basis, first in a.emergence.items()}) for name, a in self.assessments.items()]

    def _write_top(self, out: Path) -> None:
        from .. import atomic
        from ..report.compare import write_comparison

        atomic.write_text(out / "compare.json", json.dumps(self.summaries, indent=1, allow_nan=False))
        self.page = write_comparison(self._columns(), out)
        self.folder = out

    def write(self, folder, progress=None) -> Path:
        """Write what ``shieldcheck compare --out FOLDER`` writes into ``folder``; the folder."""
        folder = folders.output_folder(Path(folder), "compare")
        for name, assessed in self.assessments.items():
            assessed.write(folder / self.subfolders[name], progress)
        self._write_top(folder)
        return folder

    def explain(self, full_sources: bool = False, *, scenarios: bool = True) -> None:
        """Print what ``shieldcheck compare`` prints: each scenario's part (:func:`explain_compared`; not with
        ``scenarios=False``, for a caller that printed them as they came) and, once written, what was."""
        if scenarios:
            for name, assessed in self.assessments.items():
                explain_compared(name, assessed)
        if self.folder is not None:
            terminal.console().print(f"Wrote {self.page}, {self.folder / 'compare.json'} and each scenario's report, "
                                     "results.parquet and flights.parquet in its own folder", highlight=False)

    def __repr__(self) -> str:
        return f"<CompareResult {' vs '.join(self.assessments)}>"


def explain_compared(name: str, assessed: AssessResult) -> None:
    """Print one scenario's part of what ``shieldcheck compare`` prints: its summary table, the first phase
    with an engageable Russian flight under each cue basis, and its endgame model."""
    console = terminal.console()
    console.print(summary_table(f"{name}: {assessed.scenario.title}", assessed.summary_rows))
    for basis, first in assessed.emergence.items():
        console.print(f"{name}: first phase with an engageable Russian flight ({basis} cue): "
                      + (f"{first['phase']} ({first['date']})" if first else "none"), highlight=False)
    console.print(f"{name}: {terminal.endgame_line(assessed.scenario)}", highlight=False)


def _label(name) -> str:
    """A scenario's key in compare.json: the name or file as given, or a loaded scenario's name."""
    from .. import scenario as scenario_mod

    return name.name if isinstance(name, scenario_mod.Scenario) else str(name)


def compare(scenario_a, scenario_b, *, endgame: str | None = None, out=None, progress=None,
            each=None) -> CompareResult:
    """Two scenarios (built-in names, TOML files or loaded scenarios) assessed side by side, without an
    uncertainty run: what ``shieldcheck compare`` computes. ``endgame`` overrides both scenarios'
    endgame model; ``out``: work and write in this folder as ``compare --out`` does (each scenario in its
    own subfolder); ``progress`` as for :func:`assess`; ``each(name, assessed)``, given, is called as each
    scenario is assessed (and written), with its :class:`AssessResult` (the command prints its part then).

    Returns a :class:`CompareResult`. Raises :class:`InputError` on bad input, before any work.
    """
    chosen = {}
    for name in (scenario_a, scenario_b):  # both before any work
        if _label(name) not in chosen:
            chosen[_label(name)] = options.scenario(name, endgame)
    subfolders = {}
    for label in chosen:  # one folder each, even when two files share a stem
        stem = Path(label).stem
        subfolders[label] = stem if stem not in subfolders.values() else f"{stem}-2"
    context, update = terminal.progress_of(progress)
    assessments = {}
    if out is not None:
        out = folders.output_folder(Path(out), "compare")
        from .. import folder_kind

        for label in chosen:  # every scenario's folder before any work
            folder_kind.check(out / subfolders[label], "assess")
    with context:
        for label, loaded in chosen.items():
            start = time.perf_counter()
            if out is None:
                assessments[label] = _run(loaded, folders.Work(), None, 0, update, start)
            else:
                folder = folders.output_folder(out / subfolders[label], "assess")
                with folders.exclusive(folder):
                    assessments[label] = _run(loaded, folders.Work(folder), None, 0, update, start)
                    assessments[label]._write(folder, update)
            if each is not None:
                each(label, assessments[label])
    result = CompareResult(assessments, subfolders)
    if out is not None:
        result._write_top(out)
    return result
