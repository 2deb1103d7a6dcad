"""The one aggregation over a results table (shieldcheck.aggregate), on hand-built tables whose answers
are counted by hand, and the Wilson score interval against its closed form.

Reference for the interval: E. B. Wilson, "Probable inference, the law of succession, and statistical
inference", J. Am. Stat. Assoc. 22 (1927) 209-212; the figures for 5 of 10 (0.2366-0.7634) are the
textbook ones at z = 1.96 (e.g. Newcombe, Stat. Med. 17 (1998) 857, method 3).
"""

import datetime
import math
from types import SimpleNamespace

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from shieldcheck import aggregate
from shieldcheck.errors import InputError


def _rows(*rows):
    """A results table from (phase, date, purpose, cue_basis, flight_id, site, verdict, margin_s) tuples."""
    names = ("phase", "phase_date", "purpose", "cue_basis", "flight_id", "site", "verdict", "margin_s")
    columns = {n: [r[i] for r in rows] for i, n in enumerate(names)}
    columns["phase_cancelled"] = [None] * len(rows)
    return pa.table(columns)


# Phase "Late" is listed first but dated later: every summary goes by date.
TABLE = _rows(
    ("Late", "2020-01-01", "russian-concern", "bounding", 7, "A", "feasible", 40.0),
    ("Late", "2020-01-01", "russian-concern", "bounding", 7, "B", "too_late", -5.0),
    ("Late", "2020-01-01", "russian-concern", "bounding", 8, "A", "beyond_sector", 90.0),  # only beyond sector
    ("Late", "2020-01-01", "stated", "architecture", 1, "A", "feasible", 12.0),
    ("Early", "2011-01-01", "russian-concern", "bounding", 7, "A", "too_late", -30.0),
    ("Early", "2011-01-01", "russian-concern", "bounding", 8, "A", "beyond_sector", 3.0),
    ("Early", "2011-01-01", "russian-concern", "bounding", 8, "B", "feasible", 1.0),  # engaged: not "only beyond"
    ("Early", "2011-01-01", "stated", "architecture", 1, "A", "out_of_range", None),
    ("Early", "2011-01-01", "stated", None, 2, "A", "too_late", -8.0),  # no cue basis: counts as architecture
)


def test_summary_counts_flights_engageable_beyond_sector_and_margins():
    early, late = aggregate.summary(TABLE)
    assert (early["phase"], late["phase"]) == ("Early", "Late")  # date order
    assert aggregate.cell(early, "russian-concern", "bounding") == {
        "flights": 2, "engageable": 1, "beyond_sector": 0, "best_margin_s": 1.0, "beyond_sector_margin_s": 3.0}
    assert aggregate.cell(late, "russian-concern", "bounding") == {
        "flights": 2, "engageable": 1, "beyond_sector": 1, "best_margin_s": 40.0, "beyond_sector_margin_s": 90.0}
    assert aggregate.cell(early, "stated", "architecture") == {
        "flights": 2, "engageable": 0, "beyond_sector": 0, "best_margin_s": -8.0, "beyond_sector_margin_s": None}
    assert aggregate.cell(early, "russian-concern", "architecture")["flights"] == 0


def test_emergence_is_the_first_phase_in_date_order():
    rows = aggregate.summary(TABLE)
    assert aggregate.emergence(rows, "bounding")["phase"] == "Early"
    assert aggregate.emergence(rows, "architecture") is None
    assert aggregate.emergence(rows, "architecture", purpose="stated")["phase"] == "Late"


def test_the_purpose_column_alone_says_who_a_flight_is_for():
    """A Russian missile in a stated threat set counts as stated; nothing but `purpose` is read."""
    table = TABLE.append_column("missile", pa.array(["Yars"] * TABLE.num_rows))
    table = table.append_column("aim", pa.array(["Ankara"] * TABLE.num_rows))
    assert aggregate.summary(table) == aggregate.summary(TABLE)


def test_one_rule_says_which_flights_are_russian():
    """A flight listed by a stated and a Russian-concern threat set is for the first that lists it, in the
    flights table (``purposes``) as in the results rows (``purpose``), for the summaries and attrition alike."""
    first_stated = {"purposes": ["stated", "russian-concern"]}
    first_russian = {"purposes": ["russian-concern", "stated"]}
    assert not aggregate.is_russian(first_stated) and aggregate.is_russian(first_russian)
    assert aggregate.purpose_of(first_stated) == "stated" and aggregate.purpose_of({"purposes": []}) is None
    assert aggregate.is_russian({"purpose": "russian-concern"}) and not aggregate.is_russian({"purpose": "stated"})


def test_attrition_counts_the_russian_flights_the_summary_counts(monkeypatch):
    """attrition.assess's total of Russian flights and its rows are the summary's: one flight listed first
    by a stated set (stated everywhere), one by a Russian-concern set."""
    from shieldcheck import attrition

    flights = [{"flight_id": 0, "purposes": ["stated", "russian-concern"], "status": "flown", "threat_sets": ["a"],
                "launch": "L", "warheads": 1},
               {"flight_id": 1, "purposes": ["russian-concern"], "status": "flown", "threat_sets": ["b"],
                "launch": "L", "warheads": 1}]
    rows = [{"phase": "P", "phase_date": datetime.date(2020, 1, 1), "purpose": aggregate.purpose_of(f),
             "cue_basis": "architecture", "flight_id": f["flight_id"], "site": "S", "interceptor": "SM-3",
             "verdict": "feasible", "margin_s": 10.0, "shots": 1, "warheads": 1} for f in flights]
    seen = {}

    def bound(rows, pk, doctrine, decoys, counts, total, deterrent):
        seen.setdefault("rows", [r["flight_id"] for r in rows])
        seen.setdefault("total", total)
        return {"destroyed_at_most": 0, "sites": []}

    monkeypatch.setattr(attrition, "russian_bound", bound)
    monkeypatch.setattr(attrition, "sentence", lambda *a: "")
    monkeypatch.setattr(attrition, "deterrent", lambda scenario=None: {"warheads": 1550})
    monkeypatch.setattr(attrition, "settings", lambda scenario: SimpleNamespace(
        pk=0.5, doctrine=None, decoys=0, single_shot_pk=None, shot_doctrine=None, decoys_per_warhead=None,
        prior=None))
    monkeypatch.setattr(attrition, "posterior_pks", lambda scenario, prior: {"at": {}, "summary": {}})
    site = SimpleNamespace(site="S", interceptor="SM-3", count=None)
    scenario = SimpleNamespace(name="s", raids=(), phases=[SimpleNamespace(name="P", date=datetime.date(2020, 1, 1),
                                                                           cancelled=None, sites=[site])],
                               assumptions=SimpleNamespace(shoot_look_shoot_s=SimpleNamespace(value=0.0)))
    attrition.numbers(SimpleNamespace(scenario=scenario, rows=lambda: rows, flights=SimpleNamespace(rows=flights)))
    table = _rows(*[tuple(r[k] for k in ("phase", "phase_date", "purpose", "cue_basis", "flight_id", "site",
                                         "verdict", "margin_s")) for r in rows])
    summary = aggregate.cell(aggregate.summary(table)[0], "russian-concern", "architecture")
    assert seen == {"rows": [1], "total": 1} and summary["flights"] == 1


def test_scenario_phases_without_rows_are_listed_with_zeros():
    phases = [SimpleNamespace(name=n, date=datetime.date.fromisoformat(d), cancelled=None)
              for n, d in (("Early", "2011-01-01"), ("Empty", "2015-01-01"), ("Late", "2020-01-01"))]
    rows = aggregate.summary(TABLE, phases)
    assert [r["phase"] for r in rows] == ["Early", "Empty", "Late"]
    assert aggregate.cell(rows[1], "stated", "architecture") == {
        "flights": 0, "engageable": 0, "beyond_sector": 0, "best_margin_s": None, "beyond_sector_margin_s": None}


def test_outcomes_rank_the_nearest_site():
    outcomes = aggregate.outcomes(TABLE.to_pylist())
    seven = outcomes[("Late", "russian-concern", "bounding")][7]
    assert seven.engageable and seven.margin_s == 40.0 and seven.best["site"] == "A"
    eight = outcomes[("Late", "russian-concern", "bounding")][8]
    assert not eight.engageable and eight.best["verdict"] == "beyond_sector" and eight.shots is None
    assert set(outcomes[("Early", "stated", "architecture")]) == {1, 2}


def test_wilson_interval_against_the_closed_form():
    # 5 of 10 at z = 1.96: 0.2366-0.7634 as published to four decimals, so compared to 5e-5
    low, high = aggregate.wilson_interval(5, 10)
    assert low == pytest.approx(0.2366, abs=5e-5) and high == pytest.approx(0.7634, abs=5e-5)
    # none of n: the interval is [0, z^2 / (n + z^2)] exactly (floating point only)
    z2 = aggregate.Z_95 ** 2
    low, high = aggregate.wilson_interval(0, 10)
    assert low == 0.0 and high == pytest.approx(z2 / (10 + z2), rel=1e-12)
    low, high = aggregate.wilson_interval(10, 10)
    assert high == 1.0 and low == pytest.approx(10 / (10 + z2), rel=1e-12)
    with pytest.raises(InputError, match="successes"):
        aggregate.wilson_interval(3, 0)


def _cases():
    """Group A: 10 cases, 5 engageable (in case 0 by one of two flights); group B: 3 cases, none engageable."""
    rows = []
    for case in range(10):
        rows.append((case, "A", 1, "feasible" if case < 5 else "too_late", float(case - 4)))  # margins -4 .. 5
        if case == 0:
            rows.append((case, "A", 2, "out_of_range", None))
    rows += [(case, "B", 3, "never_detected", None) for case in range(3)]
    return pa.table({"case_id": [r[0] for r in rows], "site": [r[1] for r in rows], "flight_id": [r[2] for r in rows],
                     "verdict": [r[3] for r in rows], "margin_s": pa.array([r[4] for r in rows], pa.float64())})


def test_engageable_probability_per_group():
    out = aggregate.engageable_probability(_cases(), ["site"]).to_pylist()
    a, b = out
    assert (a["site"], a["cases_count"], a["engageable_cases_count"], a["engageable_fraction"]) == ("A", 10, 5, 0.5)
    assert (a["wilson_low_fraction"], a["wilson_high_fraction"]) == pytest.approx(aggregate.wilson_interval(5, 10),
                                                                                rel=1e-12)
    assert a["median_margin_s"] == pytest.approx(0.5)  # median of -4 .. 5
    assert (b["cases_count"], b["engageable_cases_count"], b["wilson_low_fraction"]) == (3, 0, 0.0)
    assert b["median_margin_s"] is None and math.isclose(b["wilson_high_fraction"], aggregate.wilson_interval(0, 3)[1])


def test_engageable_probability_on_a_connection_and_bad_keys():
    import duckdb

    con = duckdb.connect()
    con.register("results", _cases())
    table = aggregate.engageable_probability(con, ["site"])
    assert table.column("engageable_cases_count").to_pylist() == [5, 0]
    with pytest.raises(InputError, match="column to group by: 'aim' is not an allowed choice; allowed: "):
        aggregate.engageable_probability(con, ["site", "aim"])
    with pytest.raises(InputError, match="case_id"):
        aggregate.engageable_probability(TABLE, ["site"])


def test_counts_per_phase_and_site():
    russian = TABLE.filter(pc.equal(TABLE["purpose"], "russian-concern"))
    by_site = {(c["phase"], c["site"]): c for c in aggregate.counts(russian, ["phase", "site"])}
    assert (by_site[("Early", "B")]["engageable"], by_site[("Early", "A")]["engageable"]) == (1, 0)
    assert by_site[("Early", "A")]["beyond_sector"] == 1 and by_site[("Early", "A")]["best_margin_s"] == -30.0
    assert by_site[("Late", "A")]["flights"] == 2 and by_site[("Late", "B")]["best_margin_s"] == -5.0
