"""`shieldcheck query DIR "SQL"`: DuckDB over an assessment folder or a sweep folder, read-only.

References: an assessment folder's views hold exactly the rows of its Parquet files, and a query of
them gives the counts `aggregate.summary` gives; a hand-built sweep folder (two result files with
different columns, a cases table, no flights) answers a join whose result is known; writing into the
folder is refused; bad input is one line and exit status 2.
"""

import csv
import io
import json

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from cli_helpers import run

from shieldcheck import aggregate, assess




@pytest.fixture(scope="module")
def assessed(small_assessed, tmp_path_factory):
    """A small assessment written as `shieldcheck assess --out` writes its tables."""
    _, result, _ = small_assessed
    out = tmp_path_factory.mktemp("query") / "out"
    out.mkdir()
    pq.write_table(result.results, out / "results.parquet")
    pq.write_table(assess.flights_table(result.flights), out / "flights.parquet")
    return result, out


def test_assessment_views_and_the_summary_agree(assessed, capsys):
    result, out = assessed
    code, text, err = run(["query", str(out), "--json", "select count(*) as n from results"], capsys)
    assert code == 0, err
    assert json.loads(text) == [{"n": result.results.num_rows}]
    assert err == f"{out}: assessment results (shieldcheck assess)\n"  # which kind of folder was read, on stderr
    sql = ("select phase, count(distinct flight_id) filter (where verdict = 'feasible') as engageable, "
           "count(distinct flight_id) as flights from results where purpose = 'russian-concern' "
           "and cue_basis = 'bounding' group by phase order by min(phase_date)")
    code, text, err = run(["query", str(out), "--csv", sql], capsys)
    assert code == 0, err
    got = list(csv.DictReader(io.StringIO(text)))
    want = aggregate.summary(result.results, result.scenario.phases)
    assert [(g["phase"], int(g["engageable"]), int(g["flights"])) for g in got] == [
        (w["phase"], w["russian_bounding_engageable"], w["russian_bounding_flights"]) for w in want]
    code, text, err = run(["query", str(out), "select status, count(*) as n from flights group by status order by 1"],
                          capsys)
    assert code == 0, err
    assert "flown" in text and "2 row(s)" in text  # flown and beyond the missile's reach


def test_readable_tables_read_at_80_columns(assessed, capsys, monkeypatch):
    """A few columns: one table, verdicts and sites whole (wrapped between words); every column of
    the results table: one block per row. Nothing cut with an ellipsis, no line over 80."""
    result, out = assessed
    monkeypatch.setenv("COLUMNS", "80")
    for sql in ("select phase, site, verdict, margin_s, count(*) as n from results group by all order by all",
                "select * from results limit 2"):
        code, text, err = run(["query", str(out), sql], capsys)
        assert code == 0, err
        assert all(len(line) <= 80 for line in text.splitlines()) and "…" not in text, text
    assert set(result.results.column_names) <= set(text.split())  # each column named on its own line
    shown = [line.split("│")[2].strip() for line in text.splitlines() if line.startswith("│ verdict ")]
    assert len(shown) == 2 and set(shown) <= set(result.results.column("verdict").to_pylist())  # whole


def test_queries_cannot_write_into_the_folder_or_read_other_files(assessed, capsys):
    _, out = assessed
    before = sorted(p.name for p in out.iterdir())
    for sql, words in ((f"copy results to '{out / 'x.csv'}'", "not COPY"),
                       (f"select * from read_csv('{out / 'results.parquet'}')", "disabled"),
                       (f"attach '{out / 'x.duckdb'}'", "not ATTACH"),
                       ("create table t as select 1", "not CREATE"),
                       ("set enable_external_access = true", "not SET"),
                       ("select 1; select 2", "one SQL statement")):
        code, _, err = run(["query", str(out), sql], capsys)
        assert code == 2 and words in err and len(err.strip().splitlines()) == 1, (sql, err)
    assert sorted(p.name for p in out.iterdir()) == before


@pytest.fixture()
def sweep(tmp_path):
    """A sweep folder: manifest.json, two result files (the second with a column more), cases, no flights."""
    (tmp_path / "manifest.json").write_text("{}")
    (tmp_path / "results").mkdir()
    pq.write_table(pa.table({"case_id": [0, 0, 1], "flight_id": [1, 2, 1], "site": ["A", "A", "A"],
                             "verdict": ["feasible", "too_late", "too_late"], "margin_s": [12.0, -3.0, -8.0]}),
                   tmp_path / "results" / "part-0.parquet")
    pq.write_table(pa.table({"case_id": [2], "flight_id": [1], "site": ["A"], "verdict": ["feasible"],
                             "margin_s": [20.0], "note": ["second file"]}), tmp_path / "results" / "part-1.parquet")
    pq.write_table(pa.table({"case_id": [0, 1, 2], "burnout_speed_km_s": [4.5, 3.5, 5.0]}), tmp_path / "cases.parquet")
    return tmp_path


def test_sweep_folder_views_over_globs(sweep, capsys):
    sql = ("select c.burnout_speed_km_s, bool_or(r.verdict = 'feasible') as engageable from results r "
           "join cases c using (case_id) group by 1 order by 1")
    code, text, err = run(["query", str(sweep), "--json", sql], capsys)
    assert code == 0 and err == f"{sweep}: sweep results (shieldcheck sweep)\n", err
    assert json.loads(text) == [{"burnout_speed_km_s": 3.5, "engageable": False},
                                {"burnout_speed_km_s": 4.5, "engageable": True},
                                {"burnout_speed_km_s": 5.0, "engageable": True}]
    code, text, err = run(["query", str(sweep), "--json", "select note from results where note is not null"], capsys)
    assert json.loads(text) == [{"note": "second file"}]
    code, text, err = run(["query", str(sweep), "--json", "select 'nan'::double as x, ['inf'::double, 1.0] as l"], capsys)
    assert json.loads(text) == [{"x": None, "l": [None, 1.0]}]  # JSON has no NaN or infinity: null
    code, text, err = run(["query", str(sweep), "show tables"], capsys)
    assert code == 0 and "cases" in text and "results" in text and "flights" not in text
    probability = aggregate.engageable_probability(aggregate.connect(sweep), ["site"]).to_pylist()
    assert (probability[0]["cases_count"], probability[0]["engageable_cases_count"]) == (3, 2)


def test_bad_input_is_one_line_and_status_2(sweep, tmp_path, capsys):
    for args, words in ((["query", str(tmp_path / "nowhere"), "select 1"], "is not a folder"),
                        (["query", str(sweep / "results"), "select 1"], "results.parquet, flights.parquet"),
                        (["query", str(sweep), "selec 1"], "Parser Error"),
                        (["query", str(sweep), "select * from flights"], "flights does not exist"),
                        (["query", str(sweep), "--csv", "--json", "select 1"], "give one of them")):
        code, out, err = run(args, capsys)
        assert code == 2 and words in err and len(err.strip().splitlines()) == 1, (args, err)
    empty = tmp_path / "empty-sweep"
    empty.mkdir()
    (empty / "manifest.json").write_text("{}")
    code, _, err = run(["query", str(empty), "select 1"], capsys)
    assert code == 2 and "results/*.parquet" in err


def test_sql_beginning_with_a_comment_is_the_sql_not_an_option(sweep, capsys):
    for args in (["--json", "-- the cases\nselect count(*) as n from cases"],
                 ["-- the cases\nselect count(*) as n from cases", "--json"],
                 ["--json", "--  --csv is no option here\nselect count(*) as n from cases"]):
        code, text, err = run(["query", str(sweep), *args], capsys)
        assert code == 0 and json.loads(text) == [{"n": 3}], (args, err)
    code, _, err = run(["query", str(sweep), "--cvs", "select 1"], capsys)  # a mistyped option stays one
    assert code == 2 and "No such option: --cvs" in err and err.count("\n") == 1


def test_the_readable_table_shows_the_first_rows_and_says_more_follow(sweep, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")
    from shieldcheck.cli.data import QUERY_ROWS_SHOWN

    code, text, err = run(["query", str(sweep), f"select range as n from range({QUERY_ROWS_SHOWN + 5})"], capsys)
    assert code == 0, err
    assert f"the first {QUERY_ROWS_SHOWN:,} rows shown, more follow" in " ".join(text.split())
    numbers = [int(w) for line in text.splitlines() for w in line.strip("│ ").split() if w.isdigit()]
    assert numbers[-1] == QUERY_ROWS_SHOWN - 1 and QUERY_ROWS_SHOWN not in numbers[1:]
    code, text, err = run(["query", str(sweep), f"select range as n from range({QUERY_ROWS_SHOWN})"], capsys)
    assert code == 0 and f"{QUERY_ROWS_SHOWN:,} row(s)" in " ".join(text.split()) and "more follow" not in text


def test_json_and_csv_stream_every_row_in_batches(sweep, capsys, monkeypatch):
    monkeypatch.setattr(aggregate, "QUERY_BATCH_ROWS", 7)  # many batches: the joins between them
    code, text, err = run(["query", str(sweep), "--json", "select range as n from range(30)"], capsys)
    assert code == 0 and json.loads(text) == [{"n": k} for k in range(30)], err
    code, text, err = run(["query", str(sweep), "--csv", "select range as n from range(30)"], capsys)
    assert code == 0 and text.split() == ["n", *map(str, range(30))], err
    code, text, _ = run(["query", str(sweep), "--json", "select 1 as n where false"], capsys)
    assert json.loads(text) == []
    # DuckDB refuses a value only as the rows are fetched: one line too
    code, _, err = run(["query", str(sweep), "--csv", "select (range - 25)::utinyint from range(30)"], capsys)
    assert code == 2 and err.startswith("error: SQL rejected") and err.count("\n") == 1, err


def test_thirty_million_rows_print_the_first_in_bounded_memory(sweep):
    """The readable table fetches a batch beyond what it shows, never every row: under a 800 MB data limit
    (fetching all 30 million rows as Python tuples takes about 2.7 GB, and fails there with MemoryError)."""
    import resource
    import subprocess
    import sys

    limit = 800 * 2**20

    def limited():
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))

    script = ("import resource, sys\nfrom shieldcheck.cli import main\ntry:\n    main(sys.argv[1:])\nfinally:\n"
              "    print('peak_kb', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n")

    def peak_kb(sql: str) -> tuple[int, str]:
        done = subprocess.run([sys.executable, "-c", script, "query", str(sweep), sql],
                              capture_output=True, text=True, timeout=300, preexec_fn=limited)
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-2000:]
        return int(done.stderr.split("peak_kb")[-1].split()[0]), done.stdout

    # the same process answering one row: what the interpreter, the package and DuckDB take before any row
    # (a clean clone's first run peaked at 1.5 GB for the 30 million rows, a warm one at 0.15 GB: the
    # baseline is measured in the same place, not assumed)
    baseline, _ = peak_kb("select 1")
    peak, text = peak_kb("select * from range(30000000)")
    assert "more follow" in " ".join(text.split())
    assert peak - baseline < 350_000, (peak, baseline)  # one batch of rows and DuckDB's read-ahead


def test_duckdb_itself_works_within_a_stated_memory(sweep):
    """A sort of every row (300 million: about 4.8 GB under DuckDB's default of 80 % of the machine) spills or
    is refused instead: the connection's memory_limit is aggregate.QUERY_MEMORY (256 MB; a sort of 30 million
    rows spilled and peaked at 0.42 GB through `shieldcheck query`), and a query cannot raise it (the
    configuration is locked)."""
    con = aggregate.connect(sweep)
    assert con.execute("select current_setting('memory_limit')").fetchone()[0] == "244.1 MiB"  # 256 MB
    with pytest.raises(duckdb.Error):
        con.execute("SET memory_limit = '64GB'")


def test_a_long_sql_text_refused_comes_back_cut(sweep, capsys):
    # DuckDB's parser quotes the token it stopped at: a 100 KB token came back whole in the error line
    code, _, err = run(["query", str(sweep), "x" * 100_000], capsys)
    assert code == 2 and err.startswith("error: SQL rejected: Parser Error") and err.count("\n") == 1
    assert len(err) < aggregate.SQL_MESSAGE_CHARS + 100 and "characters)" in err, err[:500]
