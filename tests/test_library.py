"""The public library (``shieldcheck.api``: ``sc.engage``, ``sc.assess``, ``sc.compare``, ``sc.guarantee``,
``sc.footprint``, ``sc.sweep``) against the command line it stands under.

Reference: the command itself, run in the same process on the same small cases. For each function,
the result's tables are the tables the command writes (read back from its Parquet or JSON), its
``explain()`` prints the command's standard output, and ``write(folder)`` writes the command's
``--out`` folder byte for byte, every file (hidden ones and the kept work included). What cannot be
the same between two runs is named where it is compared: the report's time of writing and the
seconds each part took (report.html), the seconds a footprint took (footprint.json's ``run_s``), the
run time the terminal prints, and the line break a progress bar leaves in captured output (a
terminal shows none).
"""

import inspect
import json
import re
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import scenarios
from cli_helpers import run
from scenarios import LATE_CUE as LATE
from test_footprint import BOX

import shieldcheck as sc
from shieldcheck import aggregate, api
from shieldcheck.errors import InputError

REMOTE = dict(missile="Yars", launch="Teykovo", aim="Washington", cueing="remote",
              sensors=["UEWR Fylingdales", "AN/TPY-2 Kurecik"])  # a pair each of whose sensors says something
REMOTE_ARGS = ["--missile", "Yars", "--from", "Teykovo", "--to", "Washington", "--cueing", "remote",
               "--sensor", "UEWR Fylingdales", "--sensor", "AN/TPY-2 Kurecik"]
BAR = "\n"  # what a progress bar leaves in captured output when it is cleared (nothing in a terminal)


@pytest.fixture(autouse=True)
def wide(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")


@pytest.fixture(scope="module")
def small_file(tmp_path_factory):
    """The small scenario in a folder of this module's own (the comparisons below read what is kept beside it)."""
    return scenarios.write(tmp_path_factory.mktemp("library"), scenarios.SMALL, "small.toml")


def _files(folder) -> dict[str, bytes]:
    """Every file under ``folder``, hidden ones included: relative path -> bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _report_without_times(data: bytes) -> str:
    """report.html less what differs between two runs: when it was written and how long each part took."""
    text = data.decode()
    text = re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", "WHEN", text)
    return re.sub(r"([Cc]omputed in |report module in |; )[\d,]+\.\d s", r"\1X s", text)


def _same_folders(made_by_command, made_by_library, times=None):
    """The two folders hold the same files, byte for byte; ``times``: name -> a function that removes
    from a file what differs between two runs (compared after it)."""
    a, b = _files(made_by_command), _files(made_by_library)
    assert sorted(a) == sorted(b)
    times = times or {}
    differ = [name for name in a if a[name] != b[name] and name not in times]
    assert not differ, differ
    for name, strip in times.items():
        assert strip(a[name]) == strip(b[name]), name
    return a


def _normal(text: str, *folders) -> str:
    """Terminal text with the output folders named OUT and the run time left out."""
    for folder in folders:
        text = text.replace(str(folder), "OUT")
    return re.sub(r"run time [\d,]+\.\d s", "run time X s", text)


def _explained(result, capsys, **options) -> str:
    capsys.readouterr()
    result.explain(**options)
    return capsys.readouterr().out


# --- the package's names --------------------------------------------------------------------------

def test_dir_lists_every_lazy_name_and_each_resolves():
    names = dir(sc)
    for name in ("engage", "assess", "compare", "guarantee", "footprint", "sweep", "catalog", "fly", "Flights",
                 "InputError", "api"):
        assert name in names, name
    assert set(sc.__all__) <= set(names)
    assert sc.engage is api.engage and sc.compare is api.compare and sc.fly is sc.aiming.fly
    # the study modules of the same names stay modules (their functions are theirs) and, called, run the library
    from shieldcheck import assess as assess_module

    assert sc.assess is assess_module and callable(sc.assess) and hasattr(sc.assess, "shared_work_dir")
    for name in ("assess", "guarantee", "footprint", "sweep"):
        assert inspect.signature(getattr(sc, name)) == inspect.signature(getattr(api, name))


def test_the_library_checks_its_options_as_the_command_does(capsys, small_file):
    for call, args in ((lambda: sc.engage(launch_delay_s=-5.0), ["engage", "--launch-delay", "-5"]),
                       (lambda: sc.assess("epa"), ["assess", "epa"]),
                       (lambda: sc.guarantee(small_file, speeds_km_s="5:3:1"), ["guarantee", str(small_file),
                                                                                "--speeds", "5:3:1"]),
                       (lambda: sc.sweep(small_file, ["x"]), ["sweep", str(small_file), "--vary", "x"])):
        with pytest.raises(InputError) as error:
            call()
        code, _, err = run(args, capsys)
        assert code == 2 and err == f"error: {error.value}\n"
    assert api.own_radar("Deveselu").name == "AN/SPY-1 Deveselu"
    with pytest.raises(InputError, match="no catalog radar stands at the interceptor site 'Rota'"):
        api.own_radar("Rota")


# --- engage -----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def remote():
    return sc.engage(**REMOTE)


def test_engage_is_the_command(remote, capsys, tmp_path):
    code, text, err = run(["engage", *REMOTE_ARGS], capsys)
    assert code == 0, err
    code, line, err = run(["engage", *REMOTE_ARGS, "--json", "--plot", str(tmp_path / "plot.png")], capsys)
    assert code == 0, err
    assert _explained(remote, capsys) == text
    assert _explained(remote, capsys, full_sources=True) == run(["engage", *REMOTE_ARGS, "--sources"], capsys)[1]
    assert remote.to_json() + "\n" == line
    folder = remote.write(tmp_path / "out")
    assert _files(folder) == {"engage.json": line.encode(), "battlespace.png": (tmp_path / "plot.png").read_bytes(),
                              ".shieldcheck-kind": b"engage\n"}  # the folder holds a single engagement (folder_kind)
    # the tables: the JSON's fields
    data = json.loads(line)
    row = remote.summary.to_pylist()[0]
    assert (row["verdict"], row["message"], row["margin_s"]) == (data["verdict"], data["message"], data["margin_s"])
    assert (row["missile"], row["interceptor"], row["site"]) == ("Yars", "SM-3 Block IIA", "Redzikowo")
    assert row["range_km"] == data["threat"]["range_km"] and row["sensors"] == "; ".join(data["sensors"])
    assert (row["window_earliest_s"] is None) == (data["window"] is None)
    assert remote.detections.to_pylist() == data["detection"]["sensors"]
    assert remote.verdict == data["verdict"] and remote.margin_s == data["margin_s"]


def test_engage_takes_records_as_it_takes_names():
    options = dict(interceptor="SM-3 Block IA", site="40.5,38", cueing="delay:60")
    by_name = sc.engage("Shahab-3", "Tabriz", "40.5,38", **options)
    by_record = sc.engage(sc.catalog.missile("Shahab-3"), sc.catalog.site("Tabriz"), "40.5,38", **options)
    assert by_record.summary.equals(by_name.summary)
    # the same, but for the sources: a Site record brings no catalog name to cite (aiming.fly)
    assert {k: v for k, v in by_record.data.items() if not k.startswith("source")} == \
        {k: v for k, v in by_name.data.items() if not k.startswith("source")}


def test_to_pandas_gives_the_tables_or_says_what_it_needs(remote):
    with pytest.raises(InputError, match="table of EngageResult: 'rows' is not an allowed choice"):
        remote.to_pandas("rows")
    try:
        import pandas  # noqa: F401
    except ImportError:
        with pytest.raises(ImportError, match=r"needs pandas \(pip install pandas\)"):
            remote.to_pandas()
        return
    frames = remote.to_pandas()
    assert sorted(frames) == sorted(remote.TABLES)
    assert frames["summary"].to_dict("records") == remote.summary.to_pandas().to_dict("records")
    assert remote.to_pandas("detections")["sensor"].tolist() == REMOTE["sensors"]


# --- assess and compare -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def assessed(small_file, tmp_path_factory):
    """The small scenario assessed by the command (two uncertainty cases) and by the library, in folders of the
    same name (the report names its folder), under one root, so that their paths print the same width:
    (command's folder, its stdout, library result, the library's folder, not written yet)."""
    import io
    from contextlib import redirect_stdout

    from shieldcheck.cli import main

    root = tmp_path_factory.mktemp("assessed")
    # first into the shared work cache: OUT/.work keeps what a run computed afresh (aim solutions, flights,
    # phases), so two runs keep the same work only from the same cache
    sc.assess(small_file, uncertainty=2)
    text = io.StringIO()
    with redirect_stdout(text), pytest.MonkeyPatch.context() as patch:
        patch.setenv("COLUMNS", "200")  # as every test here (``wide``)
        main(["assess", str(small_file), "--uncertainty", "2", "--out", str(root / "cli" / "out")])
    result = sc.assess(small_file, uncertainty=2)
    return root / "cli" / "out", text.getvalue(), result, root / "lib" / "out"


def test_assess_is_the_command(assessed, capsys):
    folder, stdout, result, out = assessed
    unwritten = _explained(result, capsys)
    assert result.folder is None and "Wrote" not in unwritten
    written = result.write(out)
    assert written == out and result.folder == written
    explained = _explained(result, capsys)
    assert "Wrote" in explained and "How sure" in unwritten  # before: the uncertainty run's page in its work folder
    assert _normal(stdout, folder) == BAR + _normal(explained, written)
    files = _same_folders(folder, written, {"report.html": _report_without_times})
    assert {"results.parquet", "flights.parquet", "report.html", "attrition.json", "scene.czml", "tracks.parquet",
            "scenario.json", ".shieldcheck.lock"} <= set(files)
    assert any(name.startswith(".work/") for name in files)  # the kept work: the command resumes from it
    assert {"uncertainty/summary.json", "uncertainty/cases.parquet"} <= set(files)
    # the tables are the command's
    results = pq.read_table(folder / "results.parquet")
    assert result.results.equals(results) and result.flights.equals(pq.read_table(folder / "flights.parquet"))
    assert result.summary.to_pylist() == aggregate.summary(results, result.scenario.phases)
    assert result.numbers == json.loads((folder / "attrition.json").read_text())


def test_a_folder_another_run_holds_is_refused(assessed, tmp_path):
    result = assessed[2]
    folder = tmp_path / "out"
    folder.mkdir()
    with api.exclusive(folder):
        with pytest.raises(InputError, match="another shieldcheck run is writing there"):
            result.write(folder)
    assert not (folder / "results.parquet").exists()


def test_compare_is_the_command(small_file, assessed, capsys, tmp_path):
    code, stdout, err = run(["compare", str(small_file), str(small_file), "--out", str(tmp_path / "cli")], capsys)
    assert code == 0, err
    result = sc.compare(small_file, small_file)
    written = result.write(tmp_path / "lib")
    assert _normal(stdout, tmp_path / "cli") == BAR + _normal(_explained(result, capsys), tmp_path / "lib")
    _same_folders(tmp_path / "cli", written, {"small/report.html": _report_without_times})
    rows = json.loads((tmp_path / "cli" / "compare.json").read_text())
    assert result.summary.to_pylist() == [{"scenario": name, **row} for name, phases in rows.items() for row in phases]


# --- guarantee, footprint, sweep --------------------------------------------------------------------

def test_guarantee_is_the_command(small_file, capsys, tmp_path):
    args = ["--phase", "Second", "--site", "Redzikowo", "--speeds", "4,5", "--delays", "0:300:150"]
    code, stdout, err = run(["guarantee", str(small_file), *args, "--out", str(tmp_path / "cli")], capsys)
    assert code == 0, err
    result = sc.guarantee(small_file, phase="Second", sites=["Redzikowo"], speeds_km_s=(4, 5), delays_s="0:300:150")
    written = result.write(tmp_path / "lib")
    assert _normal(stdout, tmp_path / "cli") == BAR + _normal(_explained(result, capsys), tmp_path / "lib")
    _same_folders(tmp_path / "cli", written)
    data = json.loads((tmp_path / "cli" / "guarantee.json").read_text())
    assert [{k: s[k] for k in result.sites.column_names} for s in data["sites"]] == result.sites.to_pylist()
    assert [(r["speed_km_s"], r["russian_engageable"], r["stated_share"]) for r in result.speeds.to_pylist()] == \
        [x for s in data["sites"] for x in zip(s["speeds_km_s"], s["russian_engageable"], s["stated_share"])]
    assert [(r["delay_s"], r["russian_engageable"]) for r in result.delays.to_pylist()] == \
        [x for s in data["sites"] for x in zip(s["delays_s"], s["russian_engageable_by_delay"])]


def _without_run_s(data: bytes) -> list:
    return [{k: v for k, v in entry.items() if k != "run_s"} for entry in json.loads(data)]


def test_footprint_is_the_command(capsys, tmp_path):
    path = tmp_path / "footprint-test.toml"
    path.write_text(LATE, encoding="utf-8")
    args = ["--phase", "Late", "--launch", "Tabriz", "--missile", "Shahab-3", "--region", BOX, "--grid-km", "200"]
    code, stdout, err = run(["footprint", str(path), *args, "--out", str(tmp_path / "cli")], capsys)
    assert code == 0, err
    code, line, err = run(["footprint", str(path), *args, "--out", str(tmp_path / "json"), "--json"], capsys)
    assert code == 0, err
    result = sc.footprint(path, phase="Late", launch="Tabriz", missile="Shahab-3", region=BOX, grid_km=200)
    written = result.write(tmp_path / "lib")
    assert _normal(stdout, tmp_path / "cli") == BAR + _normal(_explained(result, capsys), tmp_path / "lib")
    _same_folders(tmp_path / "cli", written, {"footprint.json": _without_run_s})  # run_s: the seconds it took
    assert _without_run_s(f"[{result.to_json()}]".encode()) == _without_run_s(f"[{line}]".encode())
    assert result.cells.equals(pq.read_table(tmp_path / "cli" / "footprint.parquet"))


def test_sweep_is_the_command(small_file, capsys, tmp_path):
    vary = ["assumptions.launch_delay_s=10,20"]
    code, stdout, err = run(["sweep", str(small_file), "--vary", vary[0], "--chunk-cases", "1", "--out",
                             str(tmp_path / "cli")], capsys)
    assert code == 0, err
    result = sc.sweep(small_file, vary, chunk_cases=1)
    assert result.folder is None and (result.work.path / "summary.json").exists()
    written = result.write(tmp_path / "lib")
    assert _normal(stdout, tmp_path / "cli") == BAR + _normal(_explained(result, capsys), tmp_path / "lib")
    _same_folders(tmp_path / "cli", written)
    assert result.cases.equals(pq.read_table(tmp_path / "cli" / "cases.parquet"))
    assert result.results.equals(pq.read_table(tmp_path / "cli" / "results"))
    summary = json.loads((tmp_path / "cli" / "summary.json").read_text())
    assert result.by_phase.to_pylist() == summary["by_phase"] and result.summary == summary
    # a folder holding another sweep is refused, as the command refuses it
    other = sc.sweep(small_file, ["assumptions.launch_delay_s=10,30"], chunk_cases=1)
    with pytest.raises(InputError, match="holds a different sweep"):
        other.write(tmp_path / "lib")
    work = other.work.path
    del other
    import gc

    gc.collect()
    assert not work.exists()  # a result's temporary work goes with it


# --- the documentation's examples run as written ---------------------------------------------------------

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_the_api_page_runs_as_written(tmp_path, monkeypatch, capsys):
    """Every ```python block of docs/api.md, in order in one namespace, from a folder laid out as the
    repository's root (the examples read docs/examples/redzikowo-phase-3.toml and write into the folder)."""
    import shutil

    (tmp_path / "docs" / "examples").mkdir(parents=True)
    shutil.copy(DOCS / "examples" / "redzikowo-phase-3.toml", tmp_path / "docs" / "examples")
    monkeypatch.chdir(tmp_path)
    blocks = re.findall(r"```python\n(.*?)```", (DOCS / "api.md").read_text(), re.S)
    assert len(blocks) >= 7  # the setting and one per function
    namespace = {}
    for block in blocks:
        exec(compile(block, str(DOCS / "api.md"), "exec"), namespace)
    out = capsys.readouterr().out
    assert "2 feasible rows of 16" in out  # R-36M2 from Dombarovsky, depressed, to Boston and Washington
    assert {p.name for p in (tmp_path / "yars-pair").iterdir()} == {"engage.json", "battlespace.png", ".shieldcheck-kind"}
    for name in ("pair", "result", "both", "limits", "area", "odds"):
        assert isinstance(namespace[name], api.Result), name


def test_the_example_walks_its_question_end_to_end(tmp_path, monkeypatch, capsys):
    """docs/examples/one_question.py, as a script: Phase 3 at Redzikowo reaches two of the eight Russian
    ICBM routes under the bounding cue, the best 42 s early (as in the built-in epaa's Phase 3), and the
    pair on its own says the same."""
    import runpy
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # its outputs
    namespace = runpy.run_path(str(DOCS / "examples" / "one_question.py"))
    out = capsys.readouterr().out
    assert "bounding cue: {" in out and "'feasible': 2" in out
    assert "best margin: R-36M2 Dombarovsky -> Boston (depressed:apogee_ratio=0.6): feasible, +42 s" in out
    assert namespace["pair"].verdict == "feasible" and round(namespace["pair"].margin_s) == 42
    assert namespace["limits"].sites.to_pylist()[0]["speed_limit_km_s"] == 4.0
    assert (namespace["folder"] / "limits" / "guarantee.json").exists()
