"""`shieldcheck assess`, `guarantee` and `compare` on a small scenario, and their bad input.

References: the files each command promises exist and agree with each other (the Parquet rows are
the rows the summary counts); bad scenarios give one line naming the file, key and value, and
exit status 2.
"""

import json
import re

import pyarrow.parquet as pq
import pytest
import scenarios
from cli_helpers import run

from shieldcheck.api import numbers_table, summary_table

MARGIN_VERDICTS = ("feasible", "too_late", "beyond_sector")  # the verdicts that carry a margin


@pytest.mark.slow
def test_assess_writes_report_results_and_flights(small_file, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    code, out, err = run(["assess", str(small_file), "--out", str(tmp_path / "out")], capsys)
    assert code == 0, err
    results = pq.read_table(tmp_path / "out" / "results.parquet").to_pylist()
    flights = pq.read_table(tmp_path / "out" / "flights.parquet").to_pylist()
    html = (tmp_path / "out" / "report.html").read_text()
    assert {r["phase"] for r in results} == {"First", "Second"}
    assert len(flights) == 3 and sum(f["status"] == "flown" for f in flights) == 2
    assert all(not (isinstance(v, float) and v != v) for f in flights for v in f.values())  # null, never NaN
    # a margin only where one applies (feasible, too late, beyond the sector); null, never 0.0, elsewhere
    assert all((r["margin_s"] is not None) == (r["verdict"] in MARGIN_VERDICTS) for r in results)
    assert any(r["margin_s"] is None for r in results)  # SMALL has never_detected and out_of_range rows
    assert "When a threat emerges" in html and "run time" in out
    _assert_no_nan_or_infinity(tmp_path / "out")
    engaged = {r["flight_id"] for r in results if r["phase"] == "Second" and r["purpose"] == "stated"
               and r["cue_basis"] == "architecture" and r["verdict"] == "feasible"}
    assert f"│ Second │ 2018-01-01 │ {len(engaged)}/1 " in out
    # the numbers game: attrition.json states its assumptions and counts the same engageable flights
    numbers = json.loads((tmp_path / "out" / "attrition.json").read_text())
    assert numbers["assumptions"]["deterrent"]["warheads"] == 1550 and "The numbers game" in out
    assert not numbers["assumptions"]["single_shot_pk"]["stated"]  # SMALL states none: the notional default
    for phase in numbers["phases"]:
        for basis, bound in phase["russian"].items():
            feasible = {r["flight_id"] for r in results if r["phase"] == phase["phase"] and r["cue_basis"] == basis
                        and r["purpose"] == "russian-concern" and r["verdict"] == "feasible"}
            assert bound["engageable_flights"] == len(feasible) and bound["sentence"].startswith(phase["phase"])
    assert 'id="numbers"' in html
    # the verifications the guarantee's limits need: in verification.json and, each, in the guarantee answer
    import html as html_mod

    verifications = json.loads((tmp_path / "out" / "verification.json").read_text())
    assert all(html_mod.escape(v["conclusion"]) in html for v in verifications)
    assert f"verification.json ({len(verifications)} tests)" in out
    # the same tables in an 80-column terminal: nothing cut, no line too long
    monkeypatch.setenv("COLUMNS", "80")
    _assert_fits_80_columns(_render(numbers_table(numbers)))


def _render(table) -> str:
    """The table as the terminal (COLUMNS wide) shows it."""
    import io

    from rich.console import Console

    text = io.StringIO()
    Console(file=text).print(table)
    assert text.getvalue()
    return text.getvalue()


def _assert_fits_80_columns(text: str) -> None:
    assert all(len(line) <= 80 for line in text.splitlines()), text
    assert "…" not in text, text


@pytest.mark.slow
def test_guarantee_and_compare(small_file, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("COLUMNS", "80")
    code, out, err = run(["guarantee", str(small_file), "--phase", "Second", "--site", "Redzikowo",
                          "--speeds", "4,5", "--delays", "0:300:150", "--out", str(tmp_path / "g")], capsys)
    assert code == 0, err
    _assert_fits_80_columns(out)
    assert "│ Redzikowo " in out
    monkeypatch.setenv("COLUMNS", "200")
    data = json.loads((tmp_path / "g" / "guarantee.json").read_text())
    assert [s["site"] for s in data["sites"]] == ["Redzikowo"] and data["sites"][0]["delays_s"] == [0.0, 150.0, 300.0]
    # the speed limit in the 1997 texts' words, placed against the lines of the site's basing (Redzikowo: land)
    redzikowo = data["sites"][0]
    assert redzikowo["basings"] == ["land"] and data["assumptions"]["speed_taken"].startswith("burnout speed relative")
    if redzikowo["speed_limit_km_s"] is None:
        assert redzikowo["treaty"] is None and redzikowo["treaty_wording"].startswith("no limit to write")
    else:
        assert redzikowo["treaty"]["wording"].endswith(f"not to exceed {redzikowo['speed_limit_km_s']:.2f} km/s")
        assert [r["line"] for r in redzikowo["treaty"]["lines"]] == ["lower-velocity line",
                                                                    "Helsinki land/air-based line"]
    assert "In the words of the 1997 ABM demarcation texts" in out
    assert (tmp_path / "g" / "guarantee.png").read_bytes()[:4] == b"\x89PNG"
    code, out, err = run(["compare", str(small_file), str(small_file), "--out", str(tmp_path / "c")], capsys)
    assert code == 0, err
    both = json.loads((tmp_path / "c" / "compare.json").read_text())
    assert len(both) == 1 and [p["phase"] for p in next(iter(both.values()))] == ["First", "Second"]
    # the JSON's best margins: null (never 0.0) where no row of the phase, purpose and cue basis has a margin
    rows = pq.read_table(tmp_path / "c" / "small" / "results.parquet").to_pylist()
    nulls = 0
    for entry in next(iter(both.values())):
        for purpose, label in (("stated", "stated"), ("russian-concern", "russian")):
            for basis in ("architecture", "bounding"):
                margins = [r["margin_s"] for r in rows if r["phase"] == entry["phase"] and r["purpose"] == purpose
                           and r["cue_basis"] == basis and r["verdict"] in ("feasible", "too_late")]
                best = entry[f"{label}_{basis}_best_margin_s"]
                assert best == (max(margins) if margins else None), (entry["phase"], purpose, basis)
                nulls += best is None
    assert nulls > 0  # SMALL has groups without a margin
    page = (tmp_path / "c" / "compare.html").read_text()
    assert "side by side" in page and "small/report.html" in page
    assert all((tmp_path / "c" / "small" / name).exists() for name in ("report.html", "results.parquet", "flights.parquet"))
    assert "nan" not in page.lower() and "None" not in page
    monkeypatch.setenv("COLUMNS", "80")
    for name, rows in both.items():  # the long headers wrap between words; phases and counts stay whole
        text = _render(summary_table(name, rows))
        _assert_fits_80_columns(text)
        assert all(f"│ {row['phase']} " in text for row in rows)
    for folder in (tmp_path / "g", tmp_path / "c", tmp_path / "c" / "small"):
        _assert_no_nan_or_infinity(folder)


def _assert_no_nan_or_infinity(folder):
    """Every output in ``folder``: no NaN or infinity in a Parquet column, a JSON value or a page's text."""
    import math
    import re

    import pyarrow.compute as pc

    for path in folder.iterdir():
        if path.suffix == ".parquet":
            table = pq.read_table(path)
            for name in table.column_names:
                column = table[name]
                if column.type in ("double", "float"):
                    assert pc.all(pc.is_finite(column)).as_py() in (True, None), (path, name)
        elif path.suffix == ".json":
            json.loads(path.read_text(), parse_constant=lambda c: pytest.fail(f"{path}: {c}"))
            assert all(math.isfinite(x) for x in map(float, re.findall(r"-?\d+\.?\d*(?:e[-+]?\d+)?", path.read_text())))
        elif path.suffix == ".html":
            words = re.sub(r"<[^>]+>", " ", path.read_text()).split()
            assert not {"nan", "NaN", "inf", "-inf", "Infinity"} & set(words), path


@pytest.mark.parametrize("args, expected", [
    (["assess", "epa"], "did you mean 'epaa'"),
    (["guarantee", "epaa", "--phase", "Phase 9"], "phase of scenario 'epaa': 'Phase 9' is not an allowed choice"),
    (["guarantee", "epaa", "--speeds", "5:3:1"], "--speeds '5:3:1'"),
    (["guarantee", "epaa", "--site", "Deveslu"], "Did you mean 'Deveselu'"),
    (["guarantee", "epaa", "--delays", "abc"], "--delays 'abc'"),
    (["assess", "epaa", "--out", "/proc/not-writable"], "cannot write there"),
    (["assess", "epaa", "--out", "x" * 300], "--out: cannot write there: xxxx"),  # one name over 255 bytes
    (["assess", "epaa", "--out", "/".join(["y" * 200] * 30)], "(6,029 characters): file name too long"),
    (["sweep", "epaa", "--vary", "assumptions.launch_delay_s=10", "--out", "z" * 300], "(300 characters): file name"),
])
def test_bad_input_is_one_line_and_status_2(args, expected, capsys):
    code, out, err = run(args, capsys)
    assert code == 2 and expected.lower() in err.lower() and len(err.strip().splitlines()) == 1, err


def test_an_out_path_too_long_is_bad_input_cut_and_nothing_is_written(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(["assess", "epaa", "--out", "n" * 5000], capsys)
    assert code == 2 and err.count("\n") == 1 and len(err) < 300, err  # the path cut, its length stated
    assert "5,000 characters" in err and "resumes" not in err and not list(tmp_path.iterdir())


def test_a_path_too_long_met_mid_run_is_bad_input_too(capsys, monkeypatch):
    # a name the system refuses as too long (ENAMETOOLONG) is the user's path, never the machine's failure
    import errno

    from shieldcheck import api

    def too_long(*args, **kwargs):
        raise OSError(errno.ENAMETOOLONG, "File name too long", "/out/" + "w" * 4000)

    monkeypatch.setattr(api, "assess", too_long)
    code, _, err = run(["assess", "epaa"], capsys)
    assert code == 2 and err.startswith("error: cannot write there: /out/www") and "4,005 characters" in err
    assert err.count("\n") == 1 and "finished work is kept" not in err


def test_a_broken_scenario_names_file_line_and_key(tmp_path, capsys):
    text = scenarios.SMALL.replace('interceptor = "SM-3 Block IB"', 'interceptor = "SM-3 Block 1B"')
    bad = scenarios.write(tmp_path, text.replace("date = 2018-01-01", "date = 2010-01-01"), "bad.toml")
    code, _, err = run(["assess", str(bad), "--out", str(tmp_path / "o")], capsys)
    assert code == 2 and "bad.toml" in err and len(err.strip().splitlines()) == 1, err


def test_an_interrupted_assessment_says_its_finished_work_is_kept(small_file, tmp_path, capsys, monkeypatch):
    from shieldcheck import assess

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(assess, "assess", interrupted)
    code, _, err = run(["assess", str(small_file), "--out", str(tmp_path / "o")], capsys)
    assert code == 130 and "finished work is kept" in err and "resumes" in err


def test_a_second_run_into_the_same_folder_is_refused(tmp_path, capsys):
    # the first run holds OUT/.shieldcheck.lock (an advisory lock, released when its process ends)
    from shieldcheck.api import exclusive

    out = tmp_path / "out"
    out.mkdir()
    with exclusive(out):
        code, _, err = run(["assess", "epaa", "--out", str(out)], capsys)
    assert code == 2
    assert "another shieldcheck run is writing there" in err and err.count("\n") == 1
    assert not (out / ".work").exists()  # nothing done by the second run


@pytest.mark.parametrize("kind", ["fifo", "folder", "device", "nested"])
def test_a_scenario_that_is_not_a_readable_file_is_refused_before_it_is_read(tmp_path, capsys, kind):
    import os

    path = {"device": "/dev/zero"}.get(kind, str(tmp_path / "s.toml"))
    if kind == "fifo":
        os.mkfifo(path)  # reading it would block for ever
    elif kind == "folder":
        os.mkdir(path)
    elif kind == "nested":
        (tmp_path / "s.toml").write_text('[scenario]\nname = "x"\nsources = ' + "[" * 5000 + "]" * 5000 + "\n")
    code, _, err = run(["assess", path, "--out", str(tmp_path / "out")], capsys)
    assert code == 2
    assert path in err and err.count("\n") == 1
    assert not (tmp_path / "out").exists()  # refused before any folder is made


@pytest.mark.slow
def test_flights_table_has_its_schema_when_the_first_flight_is_not_flown(tmp_path, capsys):
    # The first flight of this set (Sejjil-2 Tabriz -> London) is beyond the missile's reach: every
    # column of the explicit schema is still there, null where a flight has no value, never NaN.
    from shieldcheck import assess

    text = scenarios.SMALL.replace('aim_points = ["Ankara", "London"]', 'aim_points = ["London", "Ankara"]')
    path = scenarios.write(tmp_path, text, "s.toml")
    code, _, err = run(["assess", str(path), "--out", str(tmp_path / "out")], capsys)
    assert code == 0, err
    table = pq.read_table(tmp_path / "out" / "flights.parquet")
    assert table.schema == assess.FLIGHT_SCHEMA
    rows = table.to_pylist()
    assert rows[0]["status"] == "beyond missile range" and rows[0]["range_km"] is None
    flown = [r for r in rows if r["status"] == "flown"]
    assert flown and all(r["range_km"] > 0 and r["apogee_km"] > 0 and r["burnout_s"] > 0 for r in flown)
    assert all(json.loads(r["detections_json"]) is not None for r in flown)


@pytest.mark.parametrize("name, make", [("results.parquet", "folder"), ("report.html", "folder"),
                                        ("figures", "file"), (".work", "file"), ("", "file")])
def test_an_output_of_the_wrong_kind_is_refused_before_any_work(small_file, tmp_path, capsys, name, make):
    out = tmp_path / "out"
    target = out / name if name else out
    if name:
        out.mkdir()
    target.mkdir() if make == "folder" else target.write_text("")
    code, _, err = run(["assess", str(small_file), "--out", str(out)], capsys)
    assert code == 2 and err.count("\n") == 1 and str(target) in err, err
    assert ("is a folder" if make == "folder" else "is not a folder") in err
    if name != ".work":
        assert not (out / ".work").exists()  # refused before any work


@pytest.mark.slow
@pytest.mark.parametrize("number, why", [(28, "No space left on device"), (13, "Permission denied")])
def test_a_disk_that_fails_mid_run_is_one_line_status_1_and_keeps_finished_work(small_file, tmp_path, capsys,
                                                                                  monkeypatch, number, why):
    # the tables are written after every phase is assessed: the finished phases must survive the failure
    import pyarrow.parquet

    real = pyarrow.parquet.write_table

    def failing(table, where, *args, **kwargs):
        if ".work" in str(where):
            return real(table, where, *args, **kwargs)
        raise OSError(number, why, str(where))

    monkeypatch.setattr(pyarrow.parquet, "write_table", failing)
    out = tmp_path / "out"  # no uncertainty run: its own tables are written first (tests/test_sweep.py)
    code, _, err = run(["assess", str(small_file), "--out", str(out), "--uncertainty", "0"], capsys)
    assert code == 1 and err.count("\n") == 1 and why in err and "results.parquet" in err, err
    assert "finished work is kept" in err and "Traceback" not in err
    assert len(list((out / ".work").glob("phase-*.parquet"))) == 2  # both phases of the scenario kept
    assert not (out / "results.parquet").exists() and not (out / "report.html").exists()
    monkeypatch.setattr(pyarrow.parquet, "write_table", real)
    code, _, err = run(["assess", str(small_file), "--out", str(out), "--uncertainty", "0"], capsys)  # resumes
    assert code == 0 and (out / "results.parquet").exists(), err


@pytest.mark.slow
def test_assess_states_its_endgame_model(small_file, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    code, out, err = run(["assess", str(small_file), "--out", str(tmp_path / "o"), "--endgame", "none"], capsys)
    assert code == 0, err
    assert "Endgame: none (reach only" in out
    rows = pq.read_table(tmp_path / "o" / "results.parquet").to_pylist()
    assert {r["endgame"] for r in rows} == {"none"} and not any(r["verdict"] == "endgame_infeasible" for r in rows)
    code, _, err = run(["assess", str(small_file), "--out", str(tmp_path / "p"), "--endgame", "tail"], capsys)
    assert code == 2 and "--endgame: 'tail' is not an allowed choice; allowed: kinematic, none" in err and not (tmp_path / "p" / ".work").exists()


@pytest.mark.slow
def test_compare_after_assess_reads_the_shared_work_cache(small_file, tmp_path, capsys, monkeypatch):
    """`assess` of a scenario, then `compare` of it with another scenario into another folder: the first
    scenario's threats are not flown and its pairs not evaluated again (counted at the two functions that
    do that work), they are read back from the shared work cache ($SHIELDCHECK_CACHE_DIR/work: conftest
    points it into the session's tmp folder), and its results are identical, row for row. The second
    scenario has the same threats under other assumptions (as sectoral has epaa's): its flights are read
    back too, and only its pairs are evaluated. The threats here are this test's own (one aim point
    fewer than SMALL's), so no other test has cached them."""
    import os
    from pathlib import Path

    from shieldcheck import assess as assess_mod

    monkeypatch.setenv("COLUMNS", "200")
    work = Path(os.environ["SHIELDCHECK_CACHE_DIR"]) / "work"
    assert work == assess_mod.shared_work_dir() and not str(work).startswith(os.path.expanduser("~/.cache"))
    flown, evaluated = [], []
    fly, rows = assess_mod.fly_threats, assess_mod.phase_rows
    monkeypatch.setattr(assess_mod, "fly_threats", lambda s, *a, **k: flown.append(s.name) or fly(s, *a, **k))
    monkeypatch.setattr(assess_mod, "phase_rows", lambda s, *a, **k: evaluated.append(s.name) or rows(s, *a, **k))
    files = {}
    for name, delay_s in (("cached", "10.0"), ("other", "20.0")):
        files[name] = tmp_path / f"{name}.toml"
        text = small_file.read_text().replace('name = "small"', f'name = "{name}"')
        text = text.replace('aim_points = ["Ankara", "London"]', 'aim_points = ["Ankara"]')
        files[name].write_text(text.replace('launch_delay_s = { value = 10.0', f'launch_delay_s = {{ value = {delay_s}'))
    pickles = set(work.glob("threats-*.pickle"))
    # no uncertainty run (its cases read the flights back again), as compare makes none
    code, out, err = run(["assess", str(files["cached"]), "--out", str(tmp_path / "a"), "--uncertainty", "0"], capsys)
    assert code == 0, err
    assert flown == ["cached"] and evaluated == ["cached", "cached"]  # its two phases
    assert len(set(work.glob("threats-*.pickle")) - pickles) == 1
    code, out, err = run(["compare", str(files["cached"]), str(files["other"]), "--out", str(tmp_path / "c")], capsys)
    assert code == 0, err
    assert flown == ["cached"] and evaluated == ["cached", "cached", "other", "other"]
    before = pq.read_table(tmp_path / "a" / "results.parquet")
    after = pq.read_table(tmp_path / "c" / "cached" / "results.parquet")
    assert after.equals(before)
    assert pq.read_table(tmp_path / "c" / "cached" / "flights.parquet").equals(
        pq.read_table(tmp_path / "a" / "flights.parquet"))
    other = pq.read_table(tmp_path / "c" / "other" / "results.parquet").to_pylist()
    assert {r["interceptor_launch_s"] + 10.0 for r in before.to_pylist() if r["cueing"] == "delay:105"} == \
        {r["interceptor_launch_s"] for r in other if r["cueing"] == "delay:105"}  # its own launch delay was used


@pytest.mark.slow
def test_assess_restricted_to_a_flight_phase(small_file, tmp_path, capsys, monkeypatch):
    """``--flight-phase midcourse``: every feasible row intercepts in midcourse and says so, and no pair
    is feasible that is not feasible unrestricted; the unrestricted rows name the phases of their
    windows. An unknown phase, on the command line or in the scenario file, is one line naming the field,
    the value and the allowed names, exit status 2, before any work."""
    monkeypatch.setenv("COLUMNS", "200")
    code, _, err = run(["assess", str(small_file), "--out", str(tmp_path / "any")], capsys)
    assert code == 0, err
    every = pq.read_table(tmp_path / "any" / "results.parquet").to_pylist()
    code, _, err = run(["assess", str(small_file), "--out", str(tmp_path / "mid"), "--flight-phase", "midcourse"],
                       capsys)
    assert code == 0, err
    mid = pq.read_table(tmp_path / "mid" / "results.parquet").to_pylist()
    key = ("phase", "flight_id", "site", "interceptor", "cue_basis")
    unrestricted = {tuple(r[k] for k in key): r for r in every}
    feasible = [r for r in mid if r["verdict"] == "feasible"]
    assert feasible  # SMALL's stated flights are met in midcourse
    for r in feasible:
        assert r["intercept_flight_phase"] == r["window_flight_phases"] == "midcourse"
        assert json.loads(r["assumptions"])["flight_phase"] == "midcourse"
        assert unrestricted[tuple(r[k] for k in key)]["verdict"] == "feasible"
    for r in every:
        assert (r["window_flight_phases"] is not None) == (r["verdict"] == "feasible")
        if r["verdict"] == "feasible":
            assert r["intercept_flight_phase"] == r["window_flight_phases"].split(", ")[0]
    code, _, err = run(["assess", str(small_file), "--out", str(tmp_path / "bad"), "--flight-phase", "coast"], capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1 and not (tmp_path / "bad" / ".work").exists()
    assert re.search(r"(--flight-phase|flight_phase): 'coast' is not an allowed choice; allowed: any, boost, ascent, "
                     r"midcourse", err), err
    coast = 'cueing = "remote"\nflight_phase = { value = "coast", source = "MODEL" }\n'
    bad = scenarios.write(tmp_path, scenarios.SMALL.replace('cueing = "remote"\n', coast, 1), "bad.toml")
    code, _, err = run(["assess", str(bad), "--out", str(tmp_path / "bad2")], capsys)
    assert code == 2 and "flight_phase" in err and "coast" in err and "'boost'" in err, err


ASSESS_MEMORY_LIMIT_GB = 3.0  # address space allowed the assess below: a small assess peaks near 1 GB resident


def _assess_limited(scenario_file, out, limit_gb: float = ASSESS_MEMORY_LIMIT_GB):
    """``shieldcheck assess SCENARIO --uncertainty 0 --out OUT`` in a process of its own whose address space is
    limited (RLIMIT_AS) to ``limit_gb``: what a runaway allocation (a label copied into every row) cannot pass."""
    import subprocess
    import sys

    limit = int(limit_gb * 2**30)
    code = ("import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (%d, %d)); "
            "from shieldcheck._entry import main; sys.argv = ['shieldcheck', *sys.argv[1:]]; main()" % (limit, limit))
    return subprocess.run([sys.executable, "-c", code, "assess", str(scenario_file), "--uncertainty", "0", "--out",
                           str(out)], capture_output=True, text=True, timeout=1800)


@pytest.mark.slow
def test_assess_of_a_name_at_its_bound_runs_in_bounded_memory_and_one_over_is_refused(tmp_path):
    """A scenario named with 200 characters (the bound of a name, limits.TEXT_BOUNDS) is assessed under a 3 GB
    address-space limit, its name stored once per results table (a dictionary column), not once per row; 201
    characters, and a million (which once made `assess` grow to 20 GB), are refused in one line, exit 2,
    before any work and within the same limit."""
    from shieldcheck import limits

    bound = limits.text_bound("name").max_chars
    assert bound == 200
    name = "n" * bound
    path = scenarios.write(tmp_path, scenarios.SMALL.replace('name = "small"', f'name = "{name}"', 1), "named.toml")
    done = _assess_limited(path, tmp_path / "out")
    assert done.returncode == 0, done.stderr[-2000:]
    table = pq.read_table(tmp_path / "out" / "results.parquet")
    assert table.num_rows > 0 and set(table.column("scenario").to_pylist()) == {name}
    for column in ("scenario", "phase", "site", "interceptor", "missile", "verdict", "assumptions"):
        chunks = table.column(column).chunks
        assert all(str(c.type).startswith("dictionary") for c in chunks), column
    assert all(len(c.dictionary) == 1 for c in table.column("scenario").chunks)  # the name once per chunk
    line = next(i for i, text in enumerate(scenarios.SMALL.splitlines(), 1) if text == 'name = "small"')
    for length in (bound + 1, 1_000_000):
        path = scenarios.write(tmp_path, scenarios.SMALL.replace('name = "small"', f'name = "{"n" * length}"', 1),
                               f"long-{length}.toml")
        done = _assess_limited(path, tmp_path / f"out-{length}")
        assert done.returncode == 2, done.stderr[-2000:]
        assert done.stderr.strip().splitlines() == [
            f"error: {path}:{line}: scenario.name = {'n' * (limits.SHOWN_CHARS - 12)!r}... ({length:,} characters) "
            f"is too long; allowed: at most {bound} characters"]
        assert not (tmp_path / f"out-{length}").exists()
