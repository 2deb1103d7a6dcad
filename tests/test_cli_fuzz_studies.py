"""A seeded fuzz of the studies' surfaces: ``sweep`` (its --vary texts), ``query`` (SQL texts and folders),
``footprint`` (its options) and the scenario file's free-text fields. Every case either succeeds with
finite numbers only or ends in one line naming the field (exit status 2), never a traceback, never NaN.

Each case is checked before any flight: a sweep's --vary texts through ``sweep.plan`` (every check of
``shieldcheck sweep`` before work; an accepted plan's cases must be finite numbers within the field's
bounds) and, on the command line, into an --out that is a file (so an accepted text ends at the
folder check, in one line too); a footprint's options through ``footprint.plan`` and, on the command
line, with one value that must be refused; the scenario's free text through the loader. The explorer's
what-if requests are fuzzed in tests/test_api_fuzz.py.
"""

import json
import math
import random

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import scenarios
from cli_helpers import run

from shieldcheck import footprint, limits, scenario, sweep
from shieldcheck.errors import InputError

LONG = "x" * 100_000

# ---- sweep: --vary PATH=SPEC ----------------------------------------------------------------------------

PATHS = ['interceptor."SM-3 Block IIA".burnout_speed_km_s', 'interceptor."SM-3 Block IA".burn_time_s',
         'interceptor."SM-3 Block IIA".kill_vehicle.divert_km_s', 'interceptor."SM-3 Block IIA".max_intercept_altitude_km',
         'interceptor.THAAD.burnout_speed_km_s', 'sensor."AN/TPY-2 Kurecik".reference_range_km',
         'sensor."AN/SPY-1 Deveselu".track_time_s', "missile.Yars.scale", "missile.Sejjil-2.scale", "missile.Bulava.scale",
         "missile.Yars.published_range_km", "launch.Teykovo.dispersal_km", "launch.Tabriz.dispersal_km",
         "assumptions.launch_delay_s", "assumptions.rcs_m2", "assumptions.shoot_look_shoot_s",
         "assumptions.single_shot_pk", "assumptions.cueing", "assumptions", "interceptor", 'interceptor."".x',
         'interceptor."SM-3 Block IIA"', "sensor.nosuch.x", "..", "", " ", "\t", "a.b.c.d.e.f", LONG, "é.ü.☃",
         'interceptor."SM-3 Block IIA".burnout_speed_km_s.value', "missile.Yars.stages"]
SPECS = ["4:5:0.5", "4.5", "0.1,1", "band", "uniform(4,5)", "normal(4.5,0.1)", "0:3600:600", "1e400:1e401:1",
         "4:1e400:1", "5:4:1", "4:5:0", "4:5:-1", "0:1:1e-9", "nan", "inf", "-inf,1", "NaN:1:1", "uniform(5,4)",
         "normal(1,0)", "normal(1,-1)", "normal(1e300,1e300)", "uniform(-1e308,1e308)", "", " ", ",", "1,,2", "1e-320",
         "-0.0", "band(1)", "uniform(1)", "1:2:3:4", LONG, "0x10", "1_000", "１２", "4;drop", "0,0.1", "99999"]


def _vary_cases(seed: int, n: int):
    rng = random.Random(seed)
    for _ in range(n):
        yield rng.choice(PATHS) + rng.choice(["=", "=", "=", "", "==", " = "]) + rng.choice(SPECS)


VARY_CASES = list(_vary_cases(seed=20261207, n=160))


@pytest.fixture(scope="module")
def small(small_file):
    return scenario.load(small_file)


def _one_clear_line(message: str, *names: str) -> None:
    assert message and "\n" not in message and "Traceback" not in message and len(message) < 1_500, message[:2000]
    words = [w for w in names if w and w.strip()]
    assert any(w[:40] in message for w in words), (names, message)


@pytest.mark.parametrize("vary", VARY_CASES, ids=[f"{v:.50}" for v in VARY_CASES])
def test_fuzzed_vary_texts_plan_a_finite_sweep_or_refuse_in_one_line(small, vary):
    _plan_or_refuse(small, vary)


@pytest.mark.slow
def test_many_more_fuzzed_vary_texts(small):
    for vary in _vary_cases(seed=20261211, n=1_500):
        _plan_or_refuse(small, vary)


def _plan_or_refuse(small, vary: str) -> None:
    try:
        plan = sweep.plan(small, [vary], samples=3)
        cases = plan.cases()
    except InputError as error:
        path, _, spec = vary.partition("=")
        _one_clear_line(str(error), path.strip(), path.split(".")[0], spec.strip(), "--vary", "parameter", "samples")
        return
    (parameter,) = plan.parameters
    bound = limits.BOUNDS.get(parameter.path.field[-1], sweep.UNBOUNDED)
    values = [case[parameter.name] for case in cases]
    assert values and all(math.isfinite(v) and bound.inside(v) for v in values), (vary, values[:5])


@pytest.mark.parametrize("vary", VARY_CASES[:30], ids=[f"{v:.50}" for v in VARY_CASES[:30]])
def test_fuzzed_vary_texts_on_the_command_line_end_in_one_line(small_file, tmp_path, capsys, vary):
    out = tmp_path / "a-file"
    out.write_text("not a folder")  # an accepted sweep ends here, before any work
    code, text, err = run(["sweep", str(small_file), "--vary", vary, "--out", str(out)], capsys)
    assert code == 2 and err.startswith("error: ") and err.count("\n") == 1, err[-2000:]
    assert "Traceback" not in err and not text.strip() and out.read_text() == "not a folder"


# ---- query: SQL texts and folders ---------------------------------------------------------------------------

SQL = ["select count(*) as n from results", "select * from results", "select margin_s / 0 as x from results",
       "select 'nan'::double as x", "select 1e308 * 10 as x", "-- a comment\nselect 1 as n", "--\nselect 2 as n",
       "/* c */ select 3 as n", "select 1; select 2", "", " ", ";", "--", "-- only a comment",
       "copy results to '/tmp/x.csv'", "attach '/tmp/x.db'", "select * from read_csv('/etc/passwd')",
       "install httpfs", "set threads = 1", "pragma version", "create table t as select 1", "drop view results",
       "select * from nosuch", "selec 1", "select " + "1," * 5_000 + "1", LONG, "select '" + LONG + "' as s",
       "select 1 as \"é☃\"", "select [1, 2, 'nan'::double] as l", "select {'a': 'inf'::double} as s",
       "select (range - 5)::utinyint from range(10)", "select * from range(100000)", "describe results",
       "show tables", "summarize results", "explain select 1", "with x as (select 1 as n) select * from x",
       "from results select verdict", "select $1", "select ?", "select getenv('HOME')", "\x00", "select '\x00' as z"]
FORMATS = [[], ["--json"], ["--csv"], ["--csv", "--json"]]
#: SQL that makes a non-finite number itself: the table and CSV print what it made (JSON, which has none, null)
ARITHMETIC = ("'nan'", "'inf'", "1e308", "/ 0")
FOLDERS = ["assessment", "sweep", "empty", "missing", "file", "manifest-only", "broken-parquet"]


@pytest.fixture(scope="module")
def query_folders(tmp_path_factory):
    """Small hand-built folders of each kind a user may point `query` at."""
    root = tmp_path_factory.mktemp("query-fuzz")
    table = pa.table({"flight_id": [0, 1, 2], "verdict": ["feasible", "too_late", "out_of_range"],
                      "margin_s": [12.5, -3.0, None], "phase": ["First", "First", "Second"]})
    (root / "assessment").mkdir()
    pq.write_table(table, root / "assessment" / "results.parquet")
    pq.write_table(pa.table({"flight_id": [0, 1, 2], "status": ["flown"] * 3}), root / "assessment" / "flights.parquet")
    (root / "sweep" / "results").mkdir(parents=True)
    pq.write_table(table.append_column("case_id", pa.array([0, 0, 1])), root / "sweep" / "results" / "chunk-000000.parquet")
    pq.write_table(pa.table({"case_id": [0, 1], "x": [1.0, 2.0]}), root / "sweep" / "cases.parquet")
    (root / "sweep" / "manifest.json").write_text("{}")
    (root / "empty").mkdir()
    (root / "file").write_text("not a folder")
    (root / "manifest-only").mkdir()
    (root / "manifest-only" / "manifest.json").write_text("{}")
    (root / "broken-parquet").mkdir()
    (root / "broken-parquet" / "results.parquet").write_bytes(b"PAR1 not really")
    return root


def _query_cases(seed: int, n: int):
    rng = random.Random(seed)
    for _ in range(n):
        yield rng.choice(FOLDERS), rng.randrange(len(SQL)), rng.randrange(len(FORMATS))


QUERY_CASES = list(_query_cases(seed=20261208, n=120))


@pytest.mark.parametrize("folder, which, form", QUERY_CASES,
                         ids=[f"{f}-{SQL[w]!r:.30}-{'+'.join(FORMATS[k]) or 'table'}" for f, w, k in QUERY_CASES])
def test_fuzzed_queries_answer_or_refuse_in_one_line(query_folders, capsys, folder, which, form):
    _answer_or_refuse(query_folders, capsys, folder, which, form)


@pytest.mark.slow
def test_many_more_fuzzed_queries(query_folders, capsys):
    for folder, which, form in _query_cases(seed=20261212, n=800):
        _answer_or_refuse(query_folders, capsys, folder, which, form)


def _answer_or_refuse(query_folders, capsys, folder: str, which: int, form: int) -> None:
    code, text, err = run(["query", str(query_folders / folder), *FORMATS[form], SQL[which]], capsys)
    assert code in (0, 2), (code, err[-2000:])
    assert "Traceback" not in err
    if code == 2:
        assert err.startswith("error: ") and err.count("\n") == 1 and len(err) < 1_500, err[:2000]
        return
    kind = "sweep results (shieldcheck sweep)" if folder == "sweep" else "assessment results (shieldcheck assess)"
    assert err == f"{query_folders / folder}: {kind}\n", err  # only the kind of folder read, in one line
    words = text.replace(",", " ").replace('"', " ").split()
    if not any(word in SQL[which] for word in ARITHMETIC):  # the tables hold no NaN: a query of them shows none
        assert not {"nan", "NaN", "inf", "-inf", "Infinity", "-Infinity"} & set(words), text[:2000]
    if FORMATS[form] == ["--json"]:
        json.loads(text, parse_constant=lambda c: pytest.fail(f"{c} in {text[:200]}"))


# ---- footprint: options --------------------------------------------------------------------------------------

FOOTPRINT_GOOD = {"phase": "Second", "launch": "Tabriz", "missile": "Sejjil-2", "region": "europe", "grid_km": 400.0,
                  "cue_basis": "architecture", "sites": ()}
FOOTPRINT_BAD = {
    "phase": ["", " ", "Third", "first ", LONG, "\x00", "None", "1"],
    "launch": ["", "Tabrix", "91,0", "0,400", "nan,nan", "inf,0", "1e400,0", LONG, "12,abc", "Teykovo,"],
    "missile": ["", "Sejil-9", "THAAD", "R-36orb", LONG, "nan", "[]"],
    "region": ["", "asia", "0,0,0,0", "10,10,0,0", "nan,0,1,1", "0,0,1e400,1", "-91,0,0,10", "0,0,1,1,1", LONG],
    "grid_km": [0.0, -1.0, 0.5, 1e9, math.nan, math.inf, -math.inf, 2001.0],
    "cue_basis": ["", "bound", "own", LONG, "architecture "],
    "sites": [("Redzikow",), ("",), (LONG,), ("Deveselu", "Deveselu "), ("Fylingdales",)],
}


def _footprint_cases(seed: int, n: int):
    rng = random.Random(seed)
    for _ in range(n):
        field = rng.choice(sorted(FOOTPRINT_BAD))
        yield field, rng.randrange(len(FOOTPRINT_BAD[field]))


FOOTPRINT_CASES = list(_footprint_cases(seed=20261209, n=60))
OPTION = {"grid_km": "--grid-km", "cue_basis": "--cue-basis", "sites": "--site"}


@pytest.mark.parametrize("field, which", FOOTPRINT_CASES,
                         ids=[f"{f}-{FOOTPRINT_BAD[f][w]!r:.30}" for f, w in FOOTPRINT_CASES])
def test_fuzzed_footprint_options_end_in_one_line_naming_the_option(small_file, capsys, field, which):
    value = FOOTPRINT_BAD[field][which]
    options = {**FOOTPRINT_GOOD, field: value}
    args = ["footprint", str(small_file)]
    for key, given in options.items():
        for one in (given if key == "sites" else [given]):
            args += [OPTION.get(key, f"--{key}"), str(one)]
    code, text, err = run(args, capsys)
    assert code == 2 and err.startswith("error: ") and err.count("\n") == 1 and len(err) < 1_500, (code, err[:2000])
    assert "Traceback" not in err
    shown = [str(v)[:30] for v in (value if field == "sites" else [value])]
    named = {OPTION.get(field, f"--{field}"), field, field.replace("_", " "), "site", "launch", "missile", "phase",
             "region", "cue basis", "grid", *shown}
    assert any(word and word.strip() and word in err for word in named), (field, value, err)


def test_every_valid_footprint_plan_is_finite(small):
    # the baseline itself plans (so each case above fails for its one bad value), within the cell bounds
    plan = footprint.plan(small, launch="Tabriz", missile="Sejjil-2", phases=["Second"], where="europe", grid_km=400.0)
    assert 0 < len(plan.grid.x_m) <= footprint.MAX_CELLS


# ---- the scenario file's free text -----------------------------------------------------------------------------

TEXT_FIELDS = {  # the line of scenarios.SMALL holding the text, and how it is written there
    "scenario.name": 'name = "small"', "scenario.title": 'title = "Two sites, two phases, an Iranian and a Russian flight"',
    "scenario.description": 'description = "test scenario"', "phase.name": 'name = "First"',
    "threats.name": 'name = "Iran"', "phase.source": 'source = "MODEL"', "assumptions.cueing": 'cueing = "remote"',
}
TEXTS = ["", " ", "\t", "\n", "x" * 300, "y" * 100_000, "\u0000", "\u202egnp.exe", "é☃𝄞", "nan", "inf", "None",
         "'; drop table results; --", "<script>alert(1)</script>", "\\", '"', "../../etc/passwd", "{}", "[1]",
         "a\r\nb", "\u00a0", "MODEL ", "First"]


def _text_cases(seed: int, n: int):
    rng = random.Random(seed)
    for _ in range(n):
        yield rng.choice(sorted(TEXT_FIELDS)), rng.randrange(len(TEXTS))


TEXT_CASES = list(_text_cases(seed=20261210, n=70))


@pytest.mark.parametrize("field, which", TEXT_CASES, ids=[f"{f}-{TEXTS[w]!r:.20}" for f, w in TEXT_CASES])
def test_fuzzed_free_text_loads_or_is_refused_in_one_line_naming_the_field(tmp_path, field, which):
    line = TEXT_FIELDS[field]
    key = line.split(" = ")[0]
    text = scenarios.SMALL.replace(line, f"{key} = {json.dumps(TEXTS[which], ensure_ascii=False)}", 1)
    try:
        loaded = scenarios.load(tmp_path, text, "fuzz.toml")
    except InputError as error:
        message = str(error)
        assert "\n" not in message and "Traceback" not in message and len(message) < 1_500, message[:2000]
        assert "fuzz.toml" in message and (key in message or field in message), message[:500]
        return
    assert isinstance(loaded, scenario.Scenario) and loaded.phases and loaded.threats
