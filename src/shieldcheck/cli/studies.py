"""The commands that run a study of a scenario, each a thin layer over the library function of its name
(:mod:`shieldcheck.api`): ``assess``, ``guarantee``, ``footprint``, ``compare``, ``sweep`` and ``verify``. Each
parses its options, calls the function with ``out=`` its output folder (the folder checked and held,
the work resumed there) and prints the result's ``explain()``."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .. import api, folder_kind
from ..api.assessment import ASSESS_UNCERTAINTY_CASES, explain_compared
from ..api.studies import GUARANTEE_DELAYS_S, GUARANTEE_SPEEDS_KM_S
from ..api.terminal import progress_bar
from ..api.verification import VERIFY_CONFIDENCE, VERIFY_LIMIT_KM_S
from .common import ENDGAME_HELP, FLIGHT_PHASE_HELP, Command, app

VARY_HELP = ("PATH=SPEC, repeatable. PATH: interceptor.\"NAME\".FIELD, sensor.\"NAME\".FIELD, missile.NAME.scale, "
             "launch.AREA.dispersal_km or assumptions.NAME; SPEC: START:STOP:STEP, A,B,C, uniform(A,B), "
             "normal(MU,SIGMA) or band (the catalog's range)")


@app.command(cls=Command)
def assess(
    scenario: str = typer.Argument("epaa", help="built-in scenario (epaa, sectoral, third-site-2007) or a TOML file"),
    out: Path = typer.Option(None, "--out", help="output folder (default ./shieldcheck-SCENARIO)"),
    endgame: Optional[str] = typer.Option(None, help="override the scenario's endgame model: " + ENDGAME_HELP),
    flight_phase: Optional[str] = typer.Option(
        None, "--flight-phase", help="override the scenario's flight_phase: " + FLIGHT_PHASE_HELP),
    pk_prior: Optional[str] = typer.Option(None, "--pk-prior", help=(
        "A,B: the Beta prior of the single-shot Pk posterior from the test records (default the scenario's "
        "pk_prior, else the uniform 1,1); each above 0")),
    uncertainty: int = typer.Option(ASSESS_UNCERTAINTY_CASES, help=(
        "evaluate N Latin-hypercube cases over the ranges the catalog and the scenario give (OUT/uncertainty): "
        "beside each answer its range over them and the parameter that moves it most, beside each verdict its "
        f"probability; {ASSESS_UNCERTAINTY_CASES} by default, a size that keeps the quick start within two minutes on "
        "2 cores (0: none; 256 for ranges and rankings that settle)")),
):
    """Every phase against every threat set: a report with its tables and figures.

    Writes report.html, figures/*.png, results.parquet, flights.parquet and attrition.json (the numbers
    game: inventories, kill probability, doctrine, raids)."""
    bar, update = progress_bar()
    with bar:
        result = api.assess(scenario, endgame=endgame, flight_phase=flight_phase, pk_prior=pk_prior,
                            uncertainty=uncertainty,
                            out=out or Path(f"shieldcheck-{Path(scenario).stem}"), progress=update)
    result.explain()


@app.command(cls=Command)
def guarantee(
    scenario: str = typer.Argument("epaa", help="built-in scenario or a TOML file"),
    phase: Optional[str] = typer.Option(None, help="phase to examine (default: the last)"),
    site: list[str] = typer.Option([], help="only these interceptor sites of the phase (repeat for several)"),
    speeds: str = typer.Option(GUARANTEE_SPEEDS_KM_S, help="burnout speeds to sweep, km/s: FROM:TO:STEP or a comma "
                                                           "list"),
    delays: str = typer.Option(GUARANTEE_DELAYS_S, help="launch delays to sweep, s: FROM:TO:STEP or a comma list"),
    out: Path = typer.Option(None, "--out", help="folder for guarantee.png and guarantee.json (default ./shieldcheck-guarantee-SCENARIO)"),
    endgame: Optional[str] = typer.Option(None, help="override the scenario's endgame model: " + ENDGAME_HELP),
):
    """Per interceptor site: the largest burnout speed and the earliest cue at which no Russian flight is engageable."""
    bar, update = progress_bar()
    with bar:
        result = api.guarantee(scenario, phase=phase, sites=site, speeds_km_s=speeds, delays_s=delays, endgame=endgame,
                               out=out or Path(f"shieldcheck-guarantee-{Path(scenario).stem}"), progress=update)
    result.explain()


@app.command(cls=Command)
def footprint(
    scenario: str = typer.Argument(..., help="built-in scenario (epaa, sectoral, third-site-2007) or a TOML file"),
    phase: str = typer.Option(..., help="phase of the scenario"),
    site: list[str] = typer.Option([], help="only these interceptor sites of the phase (repeat for several)"),
    launch: str = typer.Option(..., help="threat launch area: catalog name or LAT,LON"),
    missile: str = typer.Option(..., help="threat missile (catalog name)"),
    region: str = typer.Option("europe", help="europe | us | LAT0,LON0,LAT1,LON1 (south-west and north-east corners)"),
    grid_km: float = typer.Option(50.0, "--grid-km", help="cell size, km (equal-area square cells)"),
    cue_basis: str = typer.Option("architecture", "--cue-basis",
                                  help="architecture (each site's own cueing) | bounding (the scenario's bounding cue)"),
    out: Path = typer.Option(None, "--out", help="folder for footprint.png, footprint.parquet and footprint.json "
                                                 "(default ./shieldcheck-footprint-SCENARIO)"),
    as_json: bool = typer.Option(False, "--json", help="print the summary as one JSON object"),
):
    """The aim points of a region whose flights a phase's sites can engage: area, places inside, map."""
    bar, update = progress_bar()
    with bar:
        result = api.footprint(scenario, phase=phase, launch=launch, missile=missile, sites=site, region=region,
                               grid_km=grid_km, cue_basis=cue_basis,
                               out=out or Path(f"shieldcheck-footprint-{Path(scenario).stem}"), progress=update)
    if as_json:
        typer.echo(result.to_json())
        return
    result.explain()


@app.command(cls=Command)
def compare(
    scenario_a: str = typer.Argument(..., help="first scenario (e.g. epaa)"),
    scenario_b: str = typer.Argument(..., help="second scenario (e.g. sectoral)"),
    out: Path = typer.Option(Path("shieldcheck-compare"), "--out", help="output folder"),
    endgame: Optional[str] = typer.Option(None, help="override both scenarios' endgame model: " + ENDGAME_HELP),
):
    """Side by side: what each scenario engages of the stated threats and of the Russian flights, phase by phase."""
    bar, update = progress_bar()

    def each(name, assessed):  # each scenario's part as soon as it is assessed
        bar.stop()
        explain_compared(name, assessed)

    with bar:
        result = api.compare(scenario_a, scenario_b, endgame=endgame, out=out, progress=update, each=each)
    result.explain(scenarios=False)


@app.command(cls=Command)
def sweep(
    scenario: str = typer.Argument("epaa", help="built-in scenario or a TOML file"),
    vary: list[str] = typer.Option(..., "--vary", help=VARY_HELP),
    samples: int = typer.Option(64, help="draws of the distributions (each crossed with the grids)"),
    seed: int = typer.Option(0, help="seed of the draws (the same seed, the same cases)"),
    method: str = typer.Option("latin-hypercube", help="latin-hypercube or monte-carlo"),
    phase: Optional[list[str]] = typer.Option(None, "--phase", help="phases to sweep (default: all)"),
    out: Path = typer.Option(None, "--out", help="output folder (default ./shieldcheck-sweep-SCENARIO)"),
    device: str = typer.Option("cpu", help="cpu or gpu (the engagement kernels)"),
    scheduler: Optional[str] = typer.Option(None, help="run the chunks on Dask: tcp://HOST:PORT or local:N"),
    endgame: Optional[str] = typer.Option(None, help="override the scenario's endgame model: " + ENDGAME_HELP),
    chunk_cases: int = typer.Option(0, help="cases per chunk, the unit of work, memory and resumption (0: about "
                                            "200,000 rows a chunk)"),
):
    """Every verdict as a probability over uncertain values.

    Writes manifest.json, cases.parquet, results/ (one row per case x flight x site x phase x cue basis),
    summary.json and summary.html. A killed sweep resumes with the same command."""
    bar, update = progress_bar("cases")
    with bar:
        result = api.sweep(scenario, vary, samples=samples, seed=seed, method=method, phases=phase or (),
                           device=device, scheduler=scheduler, endgame=endgame, chunk_cases=chunk_cases,
                           out=out or Path(f"shieldcheck-sweep-{Path(scenario).stem}"), progress=update)
    result.explain()


@app.command(cls=Command)
def space(
    scenario: str = typer.Argument(..., help="built-in scenario (epaa, sectoral, ...) or a TOML file"),
    constellation: Optional[str] = typer.Option(
        None, help="a [[constellation]] of the scenario or a catalog constellation (default: the scenario's first)"),
    launches: int = typer.Option(48, help="(flight, launch time) pairs drawn per purpose over a day"),
    seed: int = typer.Option(0, help="seed of the launch times and orbital phases"),
    trials: int = typer.Option(20, help="Monte Carlo trials per salvo size (satellites needed)"),
    check_points: bool = typer.Option(True, "--check-points/--no-check-points",
                                      help="compute the APS 2003 and CBO check points beside the answer"),
    device: str = typer.Option("cpu", help="cpu | gpu"),
    out: Path = typer.Option(None, "--out", help="folder for space-study.json and space-*.parquet (default: "
                                                 "shieldcheck-space-NAME)"),
    as_json: bool = typer.Option(False, "--json", help="print the study as one JSON object"),
):
    """Space-based interceptors: what share of the deterrent and of the stated threats a constellation could
    engage in boost, and from what size."""
    import json

    from .. import assess as assess_mod
    from .. import scenario as scenario_mod
    from .. import space_study

    chosen = scenario_mod.load(scenario)
    out = out or Path(f"shieldcheck-space-{Path(scenario).stem}")
    folder_kind.check(out, "space")  # before any work (the folder is made and marked when written)
    bar, update = progress_bar()
    with bar:
        result = space_study.study(chosen, constellation, launches=launches, seed=seed, trials=trials,
                                   check=check_points, device=device, cache_dir=assess_mod.shared_work_dir(),
                                   progress=update)
    result.write(out)
    if as_json:
        typer.echo(json.dumps(result.as_dict(), default=str))
        return
    typer.echo(result.explain())


@app.command(cls=Command)
def verify(
    range_name: str = typer.Option(..., "--range", help="test range or site the test is flown from (catalog name)"),
    interceptor: str = typer.Option(..., help="interceptor (catalog name)"),
    azimuth_deg: float = typer.Option(..., "--azimuth-deg", help="launch azimuth, deg clockwise from north"),
    radar: list[str] = typer.Option([], "--radar", help="a radar that watches (repeat for several; default: every "
                                                        "catalog radar on the other side)"),
    limit_km_s: float = typer.Option(VERIFY_LIMIT_KM_S, "--limit-km-s", help="the velocity limit to verify, km/s"),
    confidence: float = typer.Option(VERIFY_CONFIDENCE, help="confidence level, between 0 and 1"),
    telemetry: bool = typer.Option(False, "--telemetry", help="telemetry shared (the New START precedent)"),
    seed: int = typer.Option(0, help="seed of the measurement noise"),
    burnout_speed_km_s: Optional[float] = typer.Option(
        None, "--burnout-speed-km-s", help="fly the test at this burnout speed (default: the catalog model's)"),
    range_noise_m: Optional[float] = typer.Option(None, "--range-noise-m", help="every radar's range noise, m (1 sigma)"),
    angle_noise_mrad: Optional[float] = typer.Option(None, "--angle-noise-mrad",
                                                     help="every radar's angle noise, mrad (1 sigma)"),
    range_rate_noise_m_s: Optional[float] = typer.Option(None, "--range-rate-noise-m-s",
                                                         help="every radar's range-rate noise, m/s (1 sigma)"),
    update_interval_s: Optional[float] = typer.Option(None, "--update-interval-s",
                                                      help="every radar's track update interval, s"),
    range_bias_m: Optional[float] = typer.Option(None, "--range-bias-m",
                                                 help="every radar's range bias, m (1 sigma, one per track; 0: none)"),
    angle_bias_mrad: Optional[float] = typer.Option(None, "--angle-bias-mrad",
                                                    help="every radar's angle bias, mrad (1 sigma, per track)"),
    range_rate_bias_m_s: Optional[float] = typer.Option(None, "--range-rate-bias-m-s",
                                                        help="every radar's range-rate bias, m/s (1 sigma, per track)"),
    out: Path = typer.Option(None, "--out", help="folder for verify.json, verify.png and verify-*.parquet"),
    as_json: bool = typer.Option(False, "--json", help="print the result as one JSON object"),
):
    """Who of the other side can watch an interceptor test, and how precisely they measure its burnout speed
    against a stated limit (the 1997 ABM demarcation texts' velocity lines)."""
    result = api.verify(range_name, interceptor, azimuth_deg=azimuth_deg, radars=radar, limit_km_s=limit_km_s,
                        confidence=confidence, telemetry=telemetry, seed=seed, burnout_speed_km_s=burnout_speed_km_s,
                        range_noise_m=range_noise_m, angle_noise_mrad=angle_noise_mrad,
                        range_rate_noise_m_s=range_rate_noise_m_s, update_interval_s=update_interval_s,
                        range_bias_m=range_bias_m, angle_bias_mrad=angle_bias_mrad,
                        range_rate_bias_m_s=range_rate_bias_m_s, out=out)
    if as_json:
        typer.echo(result.to_json())
        return
    result.explain()
