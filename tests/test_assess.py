"""The assessment pipeline: scenario -> threat flights -> compiled engagements -> rows.

References: every row of a small assessment against the pair-by-pair NumPy reference
(``engagement.engage`` on the same stored track, same cueing, sensors and assumptions): the
same verdict, margin to 1e-6 s and window; flights beyond a missile's reach are listed with the
reason and take no part; an interrupted run resumes from the finished phases; the guarantee
sweeps are monotonic in speed and in delay (a faster interceptor reaches at least what a slower
one reaches; a later launch at most what an earlier one does).
"""

import json
import math

import pyarrow.parquet as pq
import pytest

from shieldcheck import assess, catalog, guarantee, scenario
from shieldcheck.endgame import for_interceptor
from shieldcheck.engagement import Cueing, Verdict, engage


@pytest.fixture(scope="module")
def small(small_assessed):
    return small_assessed


def test_rows_cover_every_flown_flight_site_and_cue_basis(small):
    chosen, result, _ = small
    rows = result.rows()
    flown = [r for r in result.flights.rows if r["status"] == "flown"]
    beyond = [r for r in result.flights.rows if r["status"] != "flown"]
    assert {(r["launch"], r["aim"]) for r in beyond} == {("Tabriz", "London")}  # 3,900 km: beyond a Sejjil-2
    assert "beyond the reach" in beyond[0]["reason"] and "maximum range" in beyond[0]["reason"]
    assert len(rows) == len(flown) * 3 * 2  # three phase sites, architecture and bounding cue
    for r in rows:
        for value in r.values():
            assert not (isinstance(value, float) and not math.isfinite(value)), r
        assert r["verdict"] in {v.name.lower() for v in Verdict}
        json.loads(r["assumptions"])


def test_rows_agree_with_the_pair_by_pair_reference(small):
    """Each row against engagement.engage on the same stored track: verdict, margin (1e-6 s), window, with
    the kill vehicle's endgame the scenario states (by default kinematic)."""
    chosen, result, _ = small
    threats = result.flights
    a = chosen.assumptions
    for r in result.rows():
        k = int(list(threats.flown_ids).index(r["flight_id"]))
        entry = next(e for p in chosen.phases if p.name == r["phase"] for e in p.sites if e.site == r["site"])
        cue = Cueing.parse(r["cueing"])
        sensors = tuple(catalog.sensor(n) for n in entry.cueing_sensors)
        one = engage(threats.flown.trajectory_of(k), catalog.interceptor(entry.interceptor), catalog.site(entry.site),
                     cueing=cue, sensors=sensors if cue.remote else (),
                     own_radar=sensors[0] if cue.rule == "own" else None, launch_delay_s=a.launch_delay_s.value,
                     rcs_m2=a.rcs_m2.value, shoot_look_shoot_s=a.shoot_look_shoot_s.value,
                     burnout_time_s=float(threats.flown.burnout_time_s[k]),
                     endgame=for_interceptor(entry.interceptor, a.endgame_model(), a.velocity_error_m_s()))
        assert r["verdict"] == one.verdict.name.lower(), (r["phase"], r["site"], r["cueing"], one.message)
        if r["margin_s"] is not None:
            assert r["margin_s"] == pytest.approx(one.margin_s, abs=1e-6)
        if one.window:
            assert r["window_earliest_s"] == pytest.approx(one.window["earliest_s"], abs=1e-9)
            assert r["shots"] == one.shots


def test_summary_and_emergence_count_what_the_rows_say(small):
    _, result, _ = small
    rows = result.rows()
    summary = assess.summary(result)
    assert [s["phase"] for s in summary] == ["First", "Second"]
    for s in summary:
        engaged = {r["flight_id"] for r in rows if r["phase"] == s["phase"] and r["purpose"] == "russian-concern"
                   and r["cue_basis"] == "bounding" and r["verdict"] == "feasible"}
        assert s["russian_bounding_engageable"] == len(engaged)
    first = assess.emergence(result, "bounding")
    assert first is None or first["russian_bounding_engageable"] > 0


def test_an_interrupted_run_resumes_from_finished_phases(small):
    chosen, result, folder = small
    parts = sorted((folder / "work").glob("phase-*.parquet"))
    assert len(parts) == 2
    parts[1].unlink()  # the second phase was not finished
    again = assess.assess(chosen, work_dir=folder / "work")
    assert again.results.equals(result.results)
    assert pq.read_table(parts[0]).num_rows > 0


def test_labels_are_stored_once_per_table_and_read_as_plain_text(small, tmp_path):
    """Every label column (scenario, phase, site, verdict, assumptions...) is dictionary-encoded in memory and
    in results.parquet, each distinct text once; DuckDB, ``to_pylist`` and ``aggregate.rows`` read plain text,
    and ``aggregate.rows`` shares one string among the rows that hold it."""
    from shieldcheck import aggregate

    _, result, _ = small
    table = result.results
    labels = [f.name for f in assess.SCHEMA if f.type == assess.LABEL]
    assert {"scenario", "phase", "site", "interceptor", "threat_sets", "missile", "purpose", "verdict",
            "assumptions"} <= set(labels)
    assert table.schema.equals(assess.SCHEMA) and table.column("scenario").num_chunks == 1
    for name in labels:
        dictionary = table.column(name).chunk(0).dictionary.to_pylist()
        assert sorted(dictionary, key=str) == sorted(set(table.column(name).to_pylist()) - {None}, key=str), name
    pq.write_table(table, tmp_path / "results.parquet")
    back = pq.read_table(tmp_path / "results.parquet")
    assert back.schema.equals(assess.SCHEMA) and back.equals(table)
    rows = aggregate.rows(table)
    assert rows == table.to_pylist()
    for name in ("scenario", "site", "assumptions"):  # one string object per distinct text
        assert len({id(r[name]) for r in rows}) == len({r[name] for r in rows}), name
    con = aggregate.connect(tmp_path)
    assert con.execute("select count(*) from results where scenario = ?", [result.scenario.name]).fetchone()[0] == \
        table.num_rows


@pytest.mark.slow
def test_guarantee_sweeps_are_monotonic(small):
    chosen, _, folder = small
    _, limits, _ = guarantee.guarantee(chosen, phase="Second", speeds_km_s=(3.5, 4.5, 5.5), delays_s=(0, 200, 600),
                                       work_dir=folder / "work")
    assert [limit.site for limit in limits] == ["Deveselu", "Redzikowo"]
    for limit in limits:
        assert limit.russian_engageable == sorted(limit.russian_engageable)
        assert limit.russian_engageable_by_delay == sorted(limit.russian_engageable_by_delay, reverse=True)
        assert all(0.0 <= s <= 1.0 for s in limit.stated_share + limit.stated_share_by_delay)


def test_limits_read_the_sweeps():
    limit = guarantee.SiteLimit("s", "i", 4.5, "delay:105", speeds_km_s=[3.0, 4.0, 5.0], russian_engageable=[0, 0, 2],
                                stated_share=[0.2, 0.5, 0.9], delays_s=[0.0, 100.0, 200.0],
                                russian_engageable_by_delay=[3, 0, 0], stated_share_by_delay=[1.0, 0.8, 0.1])
    assert limit.speed_limit_km_s == 4.0 and limit.stated_share_at_speed_limit == 0.5
    assert limit.cueing_limit_s == 100.0 and limit.stated_share_at_cueing_limit == 0.8


def test_shipped_aim_solutions_are_current():
    # The built-in threat sets' aim solutions ship with the package (tools/build_aim_cache.py), named by
    # a digest of the missile, trajectory, places and the package's code and data (cachekey): a stale
    # file is never read, but a missing one costs every fresh install minutes of aiming.
    from pathlib import Path

    names = {assess.aim_cache_name(missile, trajectory, launches, aims)
             for name in scenario.builtin_names()
             for missile, trajectory, launches, aims in assess.threat_groups(scenario.load(name))
             if missile.orbital is None}
    missing = sorted(n for n in names if not (Path(str(assess.SHIPPED_AIMS)) / n).is_file())
    assert not missing, (f"{len(missing)} of {len(names)} aim-solution files of the built-in threat sets are not "
                         "shipped: run PYTHONPATH=src python tools/build_aim_cache.py")


@pytest.mark.slow
def test_the_report_reports_progress_section_by_section(small, tmp_path):
    from shieldcheck.report.html import write_report

    steps = []
    write_report(small[1], tmp_path, lambda done, total, what: steps.append((done, total, what)))
    assert len(steps) > 8 and [d for d, _, _ in steps] == list(range(1, len(steps) + 1))
    assert all(total == len(steps) and what == "writing the report" for _, total, what in steps)
