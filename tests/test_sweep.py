"""The uncertainty sweep (`shieldcheck sweep`): what a case changes, the dataset, resumption, Dask.

References: a sweep whose one case holds the scenario's own values gives the verdicts and margins
of `assess` row for row (the same engine, re-entered through a catalog copy); a later interceptor
launch can only lose intercepts (the verdicts are monotonic in the launch delay); a sweep killed
with SIGKILL and started again, and a sweep run on a Dask LocalCluster of two workers, write the
same dataset as an uninterrupted in-process run, case for case.
"""

import json
import os
import signal
import time

import numpy as np
import pyarrow.parquet as pq
import pytest
import scenarios
from cli_helpers import run, run_process, start_process

from shieldcheck import aggregate, scenario, sweep
from shieldcheck.errors import InputError
from shieldcheck.report.sweep import write_summary

IIA_SPEED = 'interceptor."SM-3 Block IIA".burnout_speed_km_s'


@pytest.fixture(scope="module")
def small(small_file):
    return scenario.load(small_file)


def _rows(folder, columns=("case_id", "phase", "site", "cue_basis", "flight_id", "verdict", "margin_s")):
    table = pq.read_table(folder / "results").select(list(columns))
    return sorted(tuple(r.values()) for r in table.to_pylist())


def test_a_case_with_the_scenarios_own_values_gives_the_verdicts_of_assess(small, small_assessed, tmp_path):
    assessed = small_assessed[1].rows()
    plan = sweep.plan(small, ["assumptions.launch_delay_s=10"])  # the scenario's own value
    sweep.run(plan, tmp_path)
    swept = pq.read_table(tmp_path / "results").to_pylist()
    assert len(swept) == len(assessed) == 12  # 2 flown flights x 3 phase sites x 2 cue bases
    key = ("phase", "site", "cue_basis", "flight_id")
    expected = {tuple(r[k] for k in key): r for r in assessed}
    for row in swept:
        other = expected[tuple(row[k] for k in key)]
        assert row["verdict"] == other["verdict"]
        assert row["margin_s"] == pytest.approx(other["margin_s"], abs=1e-9) if other["margin_s"] is not None \
            else row["margin_s"] is None
        assert row["window_earliest_s"] == other["window_earliest_s"]
        assert (row["launch"], row["aim"], row["purpose"]) == (other["launch"], other["aim"], other["purpose"])


def test_a_later_launch_never_wins_an_intercept(small, tmp_path):
    plan = sweep.plan(small, ["assumptions.launch_delay_s=0:300:50"])
    sweep.run(plan, tmp_path)
    rows = pq.read_table(tmp_path / "results").to_pylist()
    cases = {c["case_id"]: c["assumptions.launch_delay_s"] for c in pq.read_table(tmp_path / "cases.parquet").to_pylist()}
    assert sorted(cases.values()) == [0, 50, 100, 150, 200, 250, 300]
    by_pair: dict = {}
    for r in rows:
        by_pair.setdefault((r["phase"], r["site"], r["cue_basis"], r["flight_id"]), []).append(
            (cases[r["case_id"]], r["verdict"] == "feasible", r["margin_s"]))
    flipped = 0
    for series in by_pair.values():
        series.sort()
        feasible = [f for _, f, _ in series]
        assert feasible == sorted(feasible, reverse=True)  # once lost, never regained
        flipped += feasible[0] and not feasible[-1]
        margins = [m for _, f, m in series if f]
        assert all(a >= b - 1e-6 for a, b in zip(margins, margins[1:]))  # the margin shrinks with the delay
    assert flipped >= 1  # the sweep does cross a threshold
    summary = json.loads((tmp_path / "summary.json").read_text())
    flips = [t for t in summary["thresholds"] if t["parameter"] == "assumptions.launch_delay_s"]
    assert flips and all(t["curve"][0]["direction"] == "engageable at or below" for t in flips)
    for t in flips:  # the bracket agrees with the rows
        ok = {cases[r["case_id"]] for r in rows if r["verdict"] == "feasible" and r["launch"] == t["launch"]
              and r["site"] == t["site"] and r["phase"] == t["phase"] and r["cue_basis"] == t["cue_basis"]}
        assert max(ok) == t["curve"][0]["from"] and t["curve"][0]["first_failing"] == min(set(cases.values()) - ok)


def test_a_faster_interceptor_is_rescaled_and_recorded_at_the_stated_resolution(small, tmp_path):
    plan = sweep.plan(small, [f"{IIA_SPEED}=uniform(4.0,5.5)"], samples=3, seed=7, phases=("Second",))
    speeds = [c["interceptor.SM-3 Block IIA.burnout_speed_km_s"] for c in plan.cases()]
    assert all(abs(s / 0.05 - round(s / 0.05)) < 1e-6 for s in speeds) and len(set(speeds)) > 1
    here = sweep.world(plan, plan.cases()[0])
    interceptor = here.interceptor("SM-3 Block IIA")
    assert interceptor.burnout_speed_m_s == pytest.approx(speeds[0] * 1e3)
    assert interceptor.vehicle != sweep.catalog.load().interceptor("SM-3 Block IIA").vehicle  # the model, rescaled


@pytest.mark.parametrize("vary, message", [
    ('interceptor."SM-3 Block IIA".burnout_sped_km_s=4:5:0.5', "did you mean 'burnout_speed_km_s'"),
    ('intercepter."SM-3 Block IIA".burnout_speed_km_s=4:5:0.5', "did you mean 'interceptor'"),
    (f"{IIA_SPEED}=4:5", "not a specification"),
    (f"{IIA_SPEED}=uniform(5,4)", "needs B > A"),
    (f"{IIA_SPEED}=0.1:5:0.5", "burnout_speed_km_s = 0.1 is outside 0.5 to 12 km/s"),
    (f"{IIA_SPEED}=normal(4.5,2)", "mean +- 5 sigma"),
    ("missile.Yars.published_range_km=10000,12000", "does not enter the engine"),
    ("assumptions.launch_dela_s=1,2", "did you mean 'launch_delay_s'"),
    ("launch.Teykovo.dispersal_km=1,2", "draws launch points"),
    (f"{IIA_SPEED}", "give PATH=SPEC"),
])
def test_bad_sweeps_are_one_line_and_write_nothing(small_file, tmp_path, capsys, vary, message):
    out = tmp_path / "out"
    code, _, err = run(["sweep", str(small_file), "--vary", vary, "--out", str(out)], capsys)
    assert code == 2 and message.lower() in err.lower() and len(err.strip().splitlines()) == 1, err
    assert not out.exists()


def test_a_folder_holding_another_sweep_is_refused(small_file, tmp_path, capsys):
    out = tmp_path / "out"
    assert run(["sweep", str(small_file), "--vary", "assumptions.launch_delay_s=10,20", "--out", str(out)], capsys)[0] == 0
    code, _, err = run(["sweep", str(small_file), "--vary", "assumptions.launch_delay_s=10,30", "--out", str(out)], capsys)
    assert code == 2 and "holds a different sweep" in err and "parameters" in err


def test_a_scheduler_that_does_not_answer_is_one_line_and_writes_nothing(small_file, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(sweep, "SCHEDULER_TIMEOUT_S", 2)  # the rule, on a shorter clock
    out = tmp_path / "out"
    start = time.perf_counter()
    code, _, err = run(["sweep", str(small_file), "--vary", "assumptions.launch_delay_s=10", "--out", str(out),
                        "--scheduler", "tcp://127.0.0.1:9"], capsys)
    assert code == 2 and "no Dask scheduler answered" in err and len(err.strip().splitlines()) == 1, err
    assert time.perf_counter() - start < sweep.SCHEDULER_TIMEOUT_S + 5
    assert not any((out / name).exists() for name in ("manifest.json", "cases.parquet", "results"))


SWEEP = ["--vary", "assumptions.launch_delay_s=0:200:25", "--vary", f"{IIA_SPEED}=4.0,4.5", "--chunk-cases", "2"]


@pytest.fixture(scope="module")
def uninterrupted(small, tmp_path_factory):
    """The sweep of SWEEP, run through once in this process."""
    out = tmp_path_factory.mktemp("whole") / "out"
    plan = sweep.plan(small, ["assumptions.launch_delay_s=0:200:25", f"{IIA_SPEED}=4.0,4.5"], chunk_cases=2)
    sweep.run(plan, out, write_page=write_summary)
    return out


@pytest.mark.slow
def test_a_sweep_killed_with_sigkill_resumes_to_the_same_dataset(small_file, uninterrupted, tmp_path):
    out = tmp_path / "out"
    command = ["sweep", str(small_file), *SWEEP, "--out", str(out)]
    process = start_process(command)
    deadline = time.time() + 300
    while time.time() < deadline and len(list((out / "results").glob("chunk-*.parquet"))) < 2:
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    finished = len(list((out / "results").glob("chunk-*.parquet")))
    assert 2 <= finished < 9 and not (out / "summary.json").exists()  # killed part-way
    again = run_process(command)
    assert again.returncode == 0, again.stderr
    assert _rows(out) == _rows(uninterrupted)
    assert len(_rows(out)) == 18 * 12  # 9 delays x 2 speeds, each 12 rows: none lost, none twice
    assert json.loads((out / "manifest.json").read_text()) == json.loads((uninterrupted / "manifest.json").read_text())


def test_a_second_process_in_the_same_folder_is_refused(small_file, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    import fcntl

    with open(out / ".shieldcheck.lock", "a+") as held:  # as a running sweep holds it
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        second = run_process(["sweep", str(small_file), *SWEEP, "--out", str(out)])
    assert second.returncode == 2 and "another shieldcheck run is writing there" in second.stderr
    assert not (out / "manifest.json").exists()


@pytest.mark.slow
def test_a_dask_local_cluster_writes_the_same_dataset(small_file, uninterrupted, tmp_path, capsys):
    out = tmp_path / "out"
    code, _, err = run(["sweep", str(small_file), *SWEEP, "--out", str(out), "--scheduler", "local:2"], capsys)
    assert code == 0, err
    assert _rows(out) == _rows(uninterrupted)
    for name in ("summary.json",):
        assert json.loads((out / name).read_text()) == json.loads((uninterrupted / name).read_text())


def test_the_summary_states_its_probabilities_with_intervals(uninterrupted):
    summary = json.loads((uninterrupted / "summary.json").read_text())
    for r in summary["probabilities"]:
        assert r["wilson_low_fraction"] <= r["engageable_fraction"] <= r["wilson_high_fraction"]
        assert r["cases_count"] == 18
    ranked = [r for r in summary["sensitivity"] if r["purpose"] == "stated"]
    assert ranked[0]["parameter"] == "assumptions.launch_delay_s"  # the delay, not the speed, decides Tabriz-Ankara
    page = (uninterrupted / "summary.html").read_text()
    assert "data:image/png;base64," in page and "Convergence" in page and "Wilson" in page


def test_plan_refuses_no_parameters(small):
    with pytest.raises(InputError, match="at least one --vary"):
        sweep.plan(small, [])


def test_a_missile_scale_re_aims_that_missile_and_keeps_the_others(small, tmp_path):
    plan = sweep.plan(small, ["missile.Yars.scale=0.999,1.012"], phases=("Second",))
    sweep.run(plan, tmp_path)
    flights = pq.read_table(tmp_path / "flights").to_pylist()
    flown = {(f["case_id"], f["missile"]): f for f in flights if f["status"] == "flown"}
    assert flown[0, "Sejjil-2"]["cutoff_s"] == flown[1, "Sejjil-2"]["cutoff_s"]  # not varied: the same flight
    # more Isp: the minimum-energy aim to the same point needs a shorter burn (reference: the rocket
    # equation; the same delta-v is reached sooner with a larger exhaust speed)
    assert flown[1, "Yars"]["cutoff_s"] < flown[0, "Yars"]["cutoff_s"] - 0.1
    assert abs(flown[1, "Yars"]["range_km"] - flown[0, "Yars"]["range_km"]) < 1.0  # both aimed at Washington


def test_a_dispersal_radius_draws_the_launch_points_within_it(tmp_path):
    from shieldcheck import catalog
    from shieldcheck.earth import EARTH_MODELS, geodesic_inverse

    wgs84 = EARTH_MODELS["wgs84-j2-rotating"]

    sampled = scenarios.SMALL.replace('launch_areas = ["Teykovo"]', 'launch_areas = ["Teykovo"]\nlaunch_samples = 2\nseed = 3')
    plan = sweep.plan(scenarios.load(tmp_path, sampled, "dispersed.toml"), ["launch.Teykovo.dispersal_km=5,60"], phases=("Second",))
    sweep.run(plan, tmp_path / "out")
    flights = [f for f in pq.read_table(tmp_path / "out" / "flights").to_pylist() if f["launch"] == "Teykovo"]
    centre = catalog.site("Teykovo")
    radius = {0: 5.0, 1: 60.0}
    for f in flights:  # reference: the geodesic distance from the area's point (earth.geodesic_inverse)
        distance_m = geodesic_inverse(centre.latitude_deg, centre.longitude_deg, f["launch_latitude_deg"],
                                      f["launch_longitude_deg"], wgs84)[0]
        assert distance_m <= radius[f["case_id"]] * 1e3 + 1.0
    assert max(geodesic_inverse(centre.latitude_deg, centre.longitude_deg, f["launch_latitude_deg"],
                                f["launch_longitude_deg"], wgs84)[0] for f in flights if f["case_id"] == 1) > 5e3


def test_a_sweep_that_would_not_fit_the_disk_is_refused_before_any_work(small_file, tmp_path, capsys, monkeypatch):
    import collections

    usage = collections.namedtuple("usage", "total used free")
    monkeypatch.setattr(sweep.shutil, "disk_usage", lambda path: usage(10**6, 10**6 - 1000, 1000))
    out = tmp_path / "out"
    code, _, err = run(["sweep", str(small_file), "--vary", "assumptions.launch_delay_s=0:100:1", "--out", str(out)],
                       capsys)
    assert code == 2 and "more than the" in err and "GB free" in err and len(err.strip().splitlines()) == 1, err
    assert not any((out / name).exists() for name in ("manifest.json", "cases.parquet", "results"))


def test_catalog_bands_cover_the_scenarios_ranges_and_say_what_they_leave_out(tmp_path):
    ranged = scenarios.SMALL.replace('launch_delay_s = { value = 10.0, source = "MODEL", estimate = true }',
                                     'launch_delay_s = { value = 10.0, source = "MODEL", estimate = true, low = 0.0, '
                                     'high = 60.0, basis = "modelling band" }')
    small = scenarios.load(tmp_path, ranged, "ranged.toml")
    chosen, left_out = sweep.catalog_bands(small)
    assert f"{IIA_SPEED}=band" in chosen and 'sensor."UEWR Fylingdales".reference_range_km=band' in chosen
    assert "assumptions.launch_delay_s=band" in chosen
    assert any(line.startswith('interceptor."SM-3 Block IIA".burn_time_s:') for line in left_out)
    # a radar's biases enter only the verification's track fit: left out, with the reason
    assert not any("_bias_" in path for path in chosen)
    assert any(line.startswith('sensor."UEWR Fylingdales".range_bias_m: a radar\'s measurement errors') for line in left_out)
    plan = sweep.plan(small, chosen, samples=3)  # every one of them plans
    assert len(plan.parameters) == len(chosen)


def rows_of(out):
    return pq.read_table(out / "uncertainty" / "results").to_pylist()


@pytest.mark.slow
def test_assess_with_uncertainty_shows_each_verdicts_probability(small_file, tmp_path, capsys, monkeypatch):
    # the catalog's bands of the scenario, less those that rebuild stage models (for the test's time)
    chosen, left_out = sweep.catalog_bands(scenario.load(small_file))
    cheap = [v for v in chosen if "burnout_speed" not in v]
    assert len(cheap) >= 10
    monkeypatch.setattr(sweep, "catalog_bands", lambda s: (cheap, left_out + ["(burnout speeds: left out by the test)"]))
    out = tmp_path / "out"
    code, stdout, err = run(["assess", str(small_file), "--out", str(out), "--uncertainty", "4"], capsys)
    assert code == 0, err
    assert "How sure: (ranges) over 4 Latin-hypercube cases" in stdout
    page = (out / "report.html").read_text()
    assert 'id="uncertainty"' in page and "P(engageable)" in page and "left out by the test" in page
    # beside each answer, its range over the cases (the central value among them) and what moves it most
    odds = aggregate.sweep_odds(out / "uncertainty")
    assert page.count('<span class="spread">Over the catalog') >= 3
    per_case = {}
    for r in rows_of(out):
        if r["purpose"] == "stated" and r["cue_basis"] == "architecture" and r["phase"] == "Second":
            per_case.setdefault(r["case_id"], set())
            if r["verdict"] == "feasible":
                per_case[r["case_id"]].add(r["flight_id"])
    counts = sorted(len(v) for v in per_case.values())
    assert odds.answers["counts"][("Second", "stated", "architecture")] == (counts[0], counts[-1])
    assert odds.count_range("Second", "stated", "architecture", central=counts[-1] + 5).endswith(f"-{counts[-1] + 5}")
    rows = rows_of(out)
    assert {r["case_id"] for r in rows} == {0, 1, 2, 3}
    # the probability the report gives a Russian flight is the share of cases with some feasible site
    russian = {r["flight_id"] for r in rows if r["purpose"] == "russian-concern"}
    for flight_id in russian:
        cases = {r["case_id"] for r in rows if r["flight_id"] == flight_id and r["phase"] == "Second"
                 and r["cue_basis"] == "bounding" and r["verdict"] == "feasible"}
        odds = aggregate.sweep_odds(out / "uncertainty").flight("Second", "bounding", flight_id)
        assert odds[0] == len(cases) / 4
    code, _, err = run(["assess", str(small_file), "--out", str(tmp_path / "x"), "--uncertainty", "-1"], capsys)
    assert code == 2 and "--uncertainty -1" in err


def test_first_order_index_of_few_cases_is_not_one_for_every_parameter():
    """With few cases every case in its own bin explained every variation (an index of 1 for any parameter): the
    bins hold at least MIN_CASES_PER_BIN cases. Reference: y depends on x1 only, monotonically; x2 is noise."""
    rng = np.random.default_rng(0)
    x1, x2 = rng.permutation(8) / 8.0, rng.permutation(8) / 8.0
    y = (x1 > 0.45).astype(float)
    assert aggregate.sensitivity_bins(8) == 2
    assert aggregate.first_order_index(x1, y) == 1.0
    assert aggregate.first_order_index(x2, y) < 0.5
