"""Range classes and the Russian theatre missiles in the outputs.

References: the range class of each missile is ``aiming.range_class_of`` (the range its model flies;
tests/test_world_2026.py checks it against the US definitions), shown beside the hand-written role; the
theatre counts are recounted here from the results rows by the definition of aggregate.py (a flight is
engageable in a phase under a cue basis when one of its site rows is feasible), independently of DuckDB.
"""

from __future__ import annotations

import html as html_mod
import json
import re

import pytest
import scenarios
from cli_helpers import run
from test_cli_terminal import fits

from shieldcheck import aggregate, aiming, assess
from shieldcheck.api.assessment import theatre_line
from shieldcheck.report.context import Context
from shieldcheck.report.sections import answers

THEATRE = scenarios.SMALL + """
[[threats]]
name = "Oreshnik against Europe"
purpose = "russian-theatre"
launch_areas = ["Kapustin Yar"]
aim_points = ["Warsaw", "Bucharest"]
missiles = ["Oreshnik"]
trajectories = ["minimum-energy"]
flight_time_s = 900.0
"""


def _text(fragment: str) -> str:
    return html_mod.unescape(re.sub(r"<[^>]+>", "", fragment))


@pytest.fixture(scope="module")
def theatre(tmp_path_factory):
    """The small scenario with an Oreshnik threat set against Europe (minimum energy and 15 minutes), assessed."""
    folder = tmp_path_factory.mktemp("theatre")
    chosen = scenarios.load(folder, THEATRE, "theatre.toml")
    return chosen, assess.assess(chosen, work_dir=folder / "work"), folder


def _recount(results, purpose: str, basis: str) -> dict[str, tuple[int, int]]:
    """Phase -> (engageable, flights) of a purpose under a cue basis, from the rows themselves."""
    by: dict[str, dict[int, bool]] = {}
    for r in results.to_pylist():
        if r["purpose"] == purpose and (r["cue_basis"] or "architecture") == basis:
            seen = by.setdefault(r["phase"], {})
            seen[r["flight_id"]] = seen.get(r["flight_id"], False) or r["verdict"] == "feasible"
    return {phase: (sum(v.values()), len(v)) for phase, v in by.items()}


def test_flights_carry_their_missile_s_range_class_and_shape(theatre):
    _, assessed, _ = theatre
    table = assess.flights_table(assessed.flights)
    assert table.schema == assess.FLIGHT_SCHEMA
    rows = table.to_pylist()
    classes = {r["missile"]: r["range_class"] for r in rows}
    assert classes["Sejjil-2"] == "MRBM" and classes["Yars"] == "ICBM"
    assert classes["Oreshnik"] == aiming.range_class_of("Oreshnik").range_class
    timed = [r for r in rows if r["trajectory"] == "flight_time_s=900"]
    assert len(timed) == 2
    for r in timed:  # each flown on the lofted shape found for 15 minutes, stated in the row
        assert r["status"] == "flown", r["reason"]
        assert r["shape"].startswith("lofted:apogee_km=") and abs(r["flight_time_s"] - 900.0) <= 1.0
    plain = [r for r in rows if r["trajectory"] == "minimum-energy"]
    assert all(r["shape"] == "minimum-energy" for r in plain)


def test_result_rows_carry_the_range_class_and_shape_of_their_flight(theatre):
    _, assessed, _ = theatre
    flights = {r["flight_id"]: r for r in assess.flights_table(assessed.flights).to_pylist()}
    results = assessed.results.to_pylist()
    assert results and {"range_class", "shape"} <= set(assessed.results.column_names)
    for r in results:
        assert (r["range_class"], r["shape"]) == (flights[r["flight_id"]]["range_class"],
                                                  flights[r["flight_id"]]["shape"])


def test_the_terminal_counts_the_theatre_missiles_apart(theatre):
    chosen, assessed, _ = theatre
    line = theatre_line(assess.summary(assessed))
    assert line.startswith("Russian theatre missiles against Europe (counted apart): ")
    for basis in aggregate.BASES:
        for phase, (engageable, flights) in _recount(assessed.results, "russian-theatre", basis).items():
            assert f"{engageable:,} of {flights:,} engageable in {phase}" in line
    assert "architecture cue" in line and "bounding cue" in line


def test_no_theatre_line_without_theatre_flights(small_assessed):
    _, assessed, _ = small_assessed
    assert theatre_line(assess.summary(assessed)) == ""


def test_the_report_answers_for_the_theatre_missiles(theatre, tmp_path):
    _, assessed, _ = theatre
    ctx = Context.of(assessed, tmp_path)
    text = _text(answers.headline_theatre(ctx))
    for phase, (engageable, flights) in _recount(assessed.results, "russian-theatre", "architecture").items():
        assert f"{engageable:,} of {flights:,} engageable in {phase}" in text
    assert "of the 4 theatre flights the catalog's missiles can fly (4 listed)" in text
    page = answers.answers(ctx)
    russia = page[page.index('id="answer-russia"'):page.index('id="answer-emergence"')]
    assert "Russian theatre missiles against Europe:" in russia
    assert page.count("<li ") == 4  # beside the Russian answer, not a fifth


def test_the_report_says_nothing_of_theatre_missiles_where_none_are_listed(small_assessed, tmp_path):
    _, assessed, _ = small_assessed
    ctx = Context.of(assessed, tmp_path)
    assert answers.headline_theatre(ctx) == ""
    assert "Russian theatre missiles" not in answers.answers(ctx)


def test_catalog_missiles_show_the_range_class_beside_the_role(capsys):
    code, out, err = run(["catalog", "missiles", "--json"], capsys)
    assert code == 0, err
    entries = {e["name"]: e for e in json.loads(out)}
    bulava = entries["Bulava"]  # an SLBM of 8,000 km is of intercontinental range
    assert (bulava["role"], bulava["range_class"]) == ("SLBM", "ICBM")
    assert bulava["flown_range_km"] == pytest.approx(aiming.range_class_of("Bulava").range_km, abs=0.1)
    assert entries["Shahab-3"]["range_class"] == "MRBM" and entries["R-36orb"]["flown_range_km"] is None
    code, out, err = run(["catalog", "missiles"], capsys)
    assert code == 0, err
    fits(out)
    header = next(line for line in out.splitlines() if "name" in line and "role" in line)
    assert "class" in header
    row = next(line for line in out.splitlines() if line.startswith("│ Bulava "))
    assert re.search(r"│ SLBM\s+│ ICBM\s+│", row), row


def test_fly_states_the_range_class(capsys):
    code, out, err = run(["fly", "--missile", "Bulava", "--json"], capsys)
    assert code == 0, err
    data = json.loads(out)
    assert data["range_class"] == "ICBM" and "role SLBM" in data["range_class_basis"]
