"""What a constellation of space-based interceptors means for a scenario (``space_study``), the scenario's
``[[constellation]]`` tables, and the report's section on them.

A small scenario (Yars from Kozelsk and Teykovo, the notional Iranian ICBM from Semnan, the North Korean
Hwasong-18 from Pyongyang, all to Washington; one phase with one site) lists a small CBO-2026-like pattern (600 satellites, a 5 km/s carrier); it is assessed once
and studied once per module with a few launches and trials, so that the figures here are of no use beyond the
tests: they check ranges, orderings and brackets, not values.
"""

import dataclasses
import html as html_mod
import json
import re

import numpy as np
import pyarrow.parquet as pq
import pytest
import scenarios

from shieldcheck import assess, scenario, space_study
from shieldcheck.catalog import constellations
from shieldcheck.errors import InputError
from shieldcheck.report.html import write_report

OPTIONS = dict(launches=16, thresholds=(0.5,), smallest=50, largest=8_000, salvo_sizes=(1, 2),
               salvo_family=(200, 1_600), trials=4, altitudes_km=(300.0, 600.0), simultaneous_times=2,
               coverage_step_s=7_200.0, check_times=2, check_trials=1)


@pytest.fixture(scope="module")
def studied(tmp_path_factory):
    """(scenario, assessment, study) of the small scenario."""
    folder = tmp_path_factory.mktemp("space")
    chosen = scenarios.load(folder, scenarios.SPACE + scenarios.CONSTELLATION)
    assessment = assess.assess(chosen, work_dir=folder / "work")
    return chosen, assessment, space_study.study(chosen, threats=assessment.flights, **OPTIONS)


# --- the scenario's [[constellation]] --------------------------------------------------------------------------
def test_a_scenario_lists_a_constellation_resized_with_its_carrier_changed(tmp_path):
    chosen = scenarios.load(tmp_path, scenarios.SPACE + scenarios.CONSTELLATION)
    choice = chosen.constellations[0]
    assert choice.name == "CBO-2026-like"  # the alias resolved to the catalog's name
    assert choice.changes() == {"satellites": 600, "delta_v_km_s": 5.0}
    built = chosen.constellation()
    catalog = constellations.constellation("CBO-2026-like")
    assert abs(len(built) - 600) <= 0.05 * 600 and built.walker.altitude_m == catalog.walker.altitude_m
    assert built.carrier.delta_v_m_s == 5_000.0 and built.carrier.burn_time_s == catalog.carrier.burn_time_s
    assert chosen.constellation("CBO 2026").carrier == built.carrier
    assert "MODEL" in chosen.source_keys()
    with pytest.raises(InputError, match=r"constellation of scenario 'space-test': 'APS-2003-like' is not an "
                                         r"allowed choice; allowed: CBO-2026-like"):
        chosen.constellation("APS-2003-like")
    moved = scenarios.load(tmp_path, scenarios.SPACE + '[[constellation]]\nname = "APS-2003-like"\naltitude_km = 500\n'
                                     'inclination_deg = 65.0\n', "moved.toml").constellation()
    assert len(moved) == 1_600 and moved.altitude_m[0] == 500e3 and moved.inclination_deg[0] == 65.0
    plain = scenarios.load(tmp_path, scenarios.SPACE, "plain.toml")
    assert plain.constellations == ()
    with pytest.raises(InputError, match="lists no constellation"):
        plain.constellation()


@pytest.mark.parametrize("extra, message", [
    ('satellites = 0', r":\d+: constellation\[1\]: satellites = 0 is not allowed; allowed: a whole number 1 to "
                       r"200,000 satellites"),
    ('satellites = 2000.5', r":\d+: constellation\[1\]\.satellites = 2000\.5: Input should be a valid integer"),
    ('altitude_km = 100.0', r":\d+: constellation\[1\]: altitude_km = 100\.0 is not allowed; allowed: 150 to "
                            r"35,786 km"),
    ('inclination_deg = 190.0', r"inclination_deg = 190\.0 is not allowed; allowed: 0 to 180 deg"),
    ('altitude_km = true', r"altitude_km = True: Input should be a number, not true or false"),
    ('satelites = 10', r"unknown key 'satelites'\. Did you mean 'satellites'\?"),
    ('source = "NOPE"', r":\d+: constellation\[1\]\.source: 'NOPE' is not an allowed choice; allowed: MODEL"),
    ('[constellation.carrier]\ndecision_delay_s = -1.0',
     r":\d+: constellation\[1\]\.carrier: decision_delay_s = -1\.0 is not allowed; allowed: 0 to 3,600 s"),
    ('[constellation.carrier]\nlaunch_delay_s = nan', r"launch_delay_s = nan is not allowed; allowed: 0 to 3,600 s"),
    ('[constellation.carrier]\ndelta_v = 5.0', r"unknown key 'delta_v'\. Did you mean 'delta_v_km_s'\?"),
])
def test_a_bad_constellation_table_is_one_line_with_file_line_and_key(tmp_path, extra, message):
    path = scenarios.write(tmp_path, scenarios.SPACE + f'[[constellation]]\nname = "CBO-2026-like"\n{extra}\n')
    with pytest.raises(InputError, match=message) as error:
        scenario.read(path)
    assert "\n" not in str(error.value) and str(error.value).startswith(str(path))


@pytest.mark.parametrize("tables, message", [
    ('[[constellation]]\nname = "CBO-2062"\n',
     r":\d+: constellation\[1\]\.name: 'CBO-2062' is not an allowed choice; allowed: APS-2003-like, "
     r"CBO-2025-like, CBO-2026-like \(see catalog/data/constellations\.toml\)\. Did you mean 'CBO-2026-like'"),
    ('[[constellation]]\nname = "CBO-2026-like"\n[[constellation]]\nname = "cbo 2026"\n',
     r"constellation\[2\]\.name = 'cbo 2026': constellation 'CBO-2026-like' listed twice \(also constellation\[1\]\)"),
    ('[[constellation]]\nsatellites = 10\n', r"missing: constellation\[1\] needs a key 'name'"),
])
def test_a_bad_constellation_name_is_one_line(tmp_path, tables, message):
    with pytest.raises(InputError, match=message) as error:
        scenarios.load(tmp_path, scenarios.SPACE + tables)
    assert "\n" not in str(error.value)


# --- the threshold search --------------------------------------------------------------------------------------
def _step_family(step_at: float):
    """A family whose patterns hold sizes rounded to tens and whose share rises as a smooth curve through 0.5 at
    ``step_at`` satellites."""
    def share_of(n):
        size = max(10, int(round(n / 10.0)) * 10)
        return size, size / (size + step_at)
    return share_of


@pytest.mark.parametrize("start", [50, 3_000, 150_000])
def test_the_threshold_search_brackets_its_answer(start):
    share_of = _step_family(3_000.0)
    found = space_study.threshold_search(share_of, 0.75, start, smallest=10, largest=200_000, tolerance=0.05)
    # share n / (n + 3000) reaches 0.75 at n = 9,000
    assert found["status"] == "crossed"
    assert found["below_share"] < 0.75 <= found["share_at"]
    assert found["satellites"] <= found["below_satellites"] * 1.05
    assert found["below_satellites"] < 9_000 <= found["satellites"]
    assert len(found["evaluations"]) < 30


def test_the_threshold_search_says_when_the_range_holds_no_crossing():
    share_of = _step_family(3_000.0)
    never = space_study.threshold_search(share_of, 0.99, 1_000, smallest=10, largest=20_000)
    assert never["status"] == "not reached" and never["satellites"] is None
    assert never["below_satellites"] == 20_000 and never["below_share"] < 0.99
    already = space_study.threshold_search(share_of, 0.001, 1_000, smallest=10, largest=20_000)
    assert already["status"] == "at or below the smallest" and already["satellites"] == 10
    for bad, message in [(dict(threshold=0.0), r"threshold = 0\.0 is not allowed"),
                         (dict(threshold=1.5), r"threshold = 1\.5 is not allowed"),
                         (dict(start=0), r"start = 0 is not allowed"),
                         (dict(tolerance=0.0), r"tolerance = 0\.0 is not allowed")]:
        arguments = dict(threshold=0.5, start=100) | bad
        with pytest.raises(InputError, match=message):
            space_study.threshold_search(share_of, arguments["threshold"], arguments["start"],
                                         tolerance=arguments.get("tolerance", 0.05))


# --- the study -------------------------------------------------------------------------------------------------
def test_the_shares_are_shares_with_their_intervals(studied):
    chosen, _, study = studied
    assert study.purposes == ("russian-concern", "stated", "north-korean")  # the deterrent first
    assert study.constellation.carrier.delta_v_m_s == 5_000.0 and abs(len(study.constellation) - 600) <= 30
    for purpose in study.purposes:
        s = study.shares[purpose]
        assert s["launches"] == OPTIONS["launches"]
        assert 0.0 <= s["flight_share_low"] <= s["flight_share"] <= s["flight_share_high"] <= 1.0
        assert 0.0 <= s["warhead_share"] <= 1.0
        assert s["engaged"] + sum(s["not_engaged"].values()) == s["launches"]
    by_missile = study.by_missile.to_pylist()
    assert {(r["purpose"], r["missile"]) for r in by_missile} == {("russian-concern", "Yars"),
                                                                  ("stated", "Iran-ICBM (notional)"),
                                                                  ("north-korean", "Hwasong-18")}
    for r in by_missile:
        s = study.shares[r["purpose"]]  # one missile per purpose here: its row is the purpose's
        assert (r["launches"], r["engaged"]) == (s["launches"], s["engaged"])
        assert r["no_satellite_in_time"] == s["not_engaged"]["no satellite in time"]
    table = study.launches.to_pylist()
    assert len(table) == 3 * OPTIONS["launches"]
    assert all(0.0 <= r["launch_time_s"] < 86_400.0 for r in table)
    assert all((r["engaging"] > 0) == (r["why_not"] == "") for r in table)
    # the deterrent: the scenario states none, so New START's warheads, times the warhead share
    d = study.deterrent
    assert d["name"] == "New START" and d["warheads"] == 1_550
    assert d["warheads_engageable"] == pytest.approx(d["warhead_share"] * 1_550)
    m = study.simultaneous
    assert m["missiles"] == 2 and len(m["engaged"]) == 2 and 0 <= m["least_engaged"] <= m["most_engaged"] <= 2


def test_the_north_korean_icbm_is_aimed_lands_and_is_shared_apart(studied):
    _, assessment, study = studied
    flights = assessment.flights
    row = next(r for r in flights.rows if r["missile"] == "Hwasong-18")
    assert (row["status"], row["launch"], row["aim"], row["purposes"]) == ("flown", "Pyongyang", "Washington",
                                                                           ["north-korean"])
    index = np.flatnonzero(flights.flown_ids == row["flight_id"])
    miss_tolerance_m = 1_000.0  # the aiming tolerance of tests/test_aiming.py
    assert flights.flown[index].miss_m()[0] < miss_tolerance_m
    assert 10_000.0 < row["distance_km"] < row["max_range_km"]  # about 11,000 km, within the sized reach
    assert row["burnout_s"] < 200.0  # three solid stages of 60, 64 and 56 s (the Topol-M technology)
    shares = study.shares["north-korean"]
    assert shares["launches"] == OPTIONS["launches"] and shares["engaged"] <= shares["launches"]
    assert "north-korean:" in study.explain()


def test_the_share_grows_with_the_constellation(studied):
    _, _, study = studied
    rows = sorted((r for r in study.sizes.to_pylist() if r["purpose"] == "russian-concern"),
                  key=lambda r: r["satellites"])
    chain = [rows[0]]
    for row in rows[1:]:  # patterns at least three times larger than the last: far beyond the sampling's noise
        if row["satellites"] >= 3 * chain[-1]["satellites"]:
            chain.append(row)
    assert len(chain) >= 2
    shares = [r["warhead_share"] for r in chain]
    assert shares == sorted(shares) and shares[-1] > shares[0], [(r["satellites"], r["warhead_share"]) for r in chain]


def test_the_threshold_bracket_is_in_the_sizes_evaluated(studied):
    _, _, study = studied
    sizes = {(r["purpose"], r["satellites"]): r["warhead_share"] for r in study.sizes.to_pylist()}
    rows = study.thresholds.to_pylist()
    assert {r["purpose"] for r in rows} == set(study.purposes)
    crossed = [r for r in rows if r["status"] == "crossed"]
    assert crossed, rows
    for r in crossed:
        assert r["below_share"] < r["threshold"] <= r["share_at"]
        assert sizes[(r["purpose"], r["satellites"])] == r["share_at"]
        assert sizes[(r["purpose"], r["below_satellites"])] == r["below_share"]
        assert OPTIONS["smallest"] <= r["below_satellites"] < r["satellites"] <= 1.1 * OPTIONS["largest"]
    assert study.threshold("russian-concern", 0.5) is not None


def test_salvos_altitudes_coverage_and_check_points(studied):
    _, _, study = studied
    salvos = study.salvos.to_pylist()
    assert {r["salvo_size"] for r in salvos} == {1, 2}
    for k in (1, 2):
        mine = [r for r in salvos if r["salvo_size"] == k]
        assert all(0.0 <= r["all_engaged"] <= 1.0 for r in mine) and len({r["needed"] for r in mine}) == 1
    one = {r["satellites"]: r["all_engaged"] for r in salvos if r["salvo_size"] == 1}
    two = {r["satellites"]: r["all_engaged"] for r in salvos if r["salvo_size"] == 2}
    assert all(two[n] <= one[n] for n in one)  # the same trials' launch times: two missiles are never easier
    altitudes = study.altitudes.to_pylist()
    assert {r["altitude_km"] for r in altitudes} == {300.0, 600.0}
    assert all(r["absentee_ratio"] is None or r["absentee_ratio"] >= 1.0 for r in altitudes)
    over = study.over_time.to_pylist()
    assert len(over) == 3 * 12 and all(r["engaging"] >= 0 for r in over)
    cover = study.coverage
    assert cover["purpose"] == "russian-concern" and len(cover["snapshots"]) == 4 and cover["track_lat_deg"]
    west, east, south, north = cover["extent_lon_lat"]
    for snap in cover["snapshots"]:
        assert all(south <= lat <= north for lat in snap["lat_deg"]) and all(west <= lon <= east for lon in snap["lon_deg"])
        assert len(snap["engaging_lat_deg"]) == min(snap["engaging"], cover["listed"])
    points = study.check_points.to_pylist()
    assert [p["name"] for p in points] == [p.name for p in space_study.CHECK_POINTS]
    aps = points[0]
    assert aps["published_low"] == 1_600 and aps["satellites"] == 1_600 and aps["differs"]
    assert any("Topol-M" in d for d in aps["differs"]) and any("4 km/s" in d for d in aps["differs"])
    assert aps["needed"] is None or aps["needed"] in aps["sizes"]


def test_the_study_writes_its_tables_and_says_its_answer(studied, tmp_path):
    _, _, study = studied
    paths = study.write(tmp_path)
    assert {p.name for p in paths} == {"space-study.json"} | {f"space-{n.replace('_', '-')}.parquet"
                                                             for n in study.tables()}
    data = json.loads((tmp_path / "space-study.json").read_text())
    assert data["satellites"] == len(study.constellation) and data["shares"]["stated"]["launches"] == 16
    assert pq.read_table(tmp_path / "space-launches.parquet").num_rows == 3 * 16
    text = study.explain()
    assert "russian-concern:" in text and "New START" in text and "check point APS 2003" in text
    assert not re.search(r"\b(nan|inf)\b", text)


def test_bad_study_options_are_one_line(studied):
    chosen, assessment, _ = studied
    for options, message in [
        (dict(launches=0), r"launches = 0 is not allowed"),
        (dict(thresholds=(0.5, 1.2)), r"thresholds = 1\.2 is not allowed"),
        (dict(altitudes_km=(100.0,)), r"altitude_km = 100\.0 is not allowed; allowed: 150 to"),
        (dict(seed=-1), r"seed = -1"),
        (dict(coverage_step_s=1.0), r"coverage_step_s = 1\.0 is not allowed"),
    ]:
        with pytest.raises(InputError, match=message) as error:
            space_study.study(chosen, threats=assessment.flights, **(OPTIONS | options))
        assert "\n" not in str(error.value)
    with pytest.raises(InputError, match=r"constellation: 'CBO-2062' is not an allowed choice"):
        space_study.study(chosen, "CBO-2062", threats=assessment.flights, **OPTIONS)
    with pytest.raises(InputError, match="lists no constellation"):
        space_study.study(chosen.model_copy(update={"constellations": ()}), threats=assessment.flights, **OPTIONS)


# --- the report ----------------------------------------------------------------------------------------------------
def _visible_text(page: str) -> str:
    page = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", page)
    page = re.sub(r"<style>.*?</style>", " ", page, flags=re.S)
    return html_mod.unescape(re.sub(r"<[^>]+>", " ", page))


def test_the_report_shows_the_space_study_with_its_figures(studied, tmp_path):
    _, assessment, study = studied
    page = write_report(assessment, tmp_path, space=study).read_text(encoding="utf-8")
    section = re.search(r'<section id="space">(.*?)</section>', page, re.S)
    assert section, "no space section"
    text = _visible_text(section.group(1))
    assert "Space-based interceptors" in text and "How to read this" in text
    assert re.search(r"Of the Russian deterrent \(Russia to the US\), [\d,]+ satellites could engage \d+ % of the "
                     r"launches in boost", text)
    assert re.search(r"the share of warheads would (cross|not reach|reach) 50 %", text)
    assert re.search(r"Of the North Korean threats \(North Korea to the US\), [\d,]+ satellites could engage", text)
    assert "New START, 1,550 warheads" in text and "Launched together" in text
    assert "APS 2003 (SBI_APS03)" in text and "assumptions that differ" in text and "Per missile" in text
    assert "One Walker shell and one carrier type per constellation" in text  # the limitation, stated
    assert not re.findall(r"\b(nan|NaN|None|inf|Infinity|null)\b", _visible_text(page))
    space_figures = sorted(p.name for p in (tmp_path / "figures").glob("*-space-*.png"))
    assert [re.sub(r"^\d+-", "", name) for name in space_figures] == [
        "space-share-by-size.png", "space-coverage-map.png", "space-coverage-over-time.png",
        "space-absentee-by-altitude.png", "space-satellites-for-salvo.png"]
    for name in space_figures:
        assert f"figures/{name}" in section.group(1)
    embedded = re.findall(r'src="data:image/png;base64,', section.group(1))
    assert len(embedded) == len(space_figures)
    nav = re.search(r"<nav><ol>(.*?)</ol></nav>", page, re.S).group(1)
    assert 'href="#space"' in nav


def test_the_report_says_when_the_listed_constellation_was_not_studied(studied, tmp_path):
    _, assessment, _ = studied
    page = write_report(assessment, tmp_path / "without").read_text(encoding="utf-8")
    section = re.search(r'<section id="space">(.*?)</section>', page, re.S).group(1)
    assert "Not computed for this report" in _visible_text(section) and "CBO-2026-like" in section
    # a scenario with no constellation and no study has no such section
    plain = dataclasses.replace(assessment, scenario=assessment.scenario.model_copy(update={"constellations": ()}))
    page = write_report(plain, tmp_path / "plain").read_text(encoding="utf-8")
    assert 'id="space"' not in page and 'href="#space"' not in page


# --- assess runs the study ----------------------------------------------------------------------------------------
def test_assess_studies_the_listed_constellation_and_reports_it(studied, tmp_path, capsys):
    from shieldcheck import api

    chosen, _, _ = studied
    result = api.assess(chosen, uncertainty=0)
    kept = result.space_study(**OPTIONS)  # the small options of this module, kept for write() and explain()
    assert result.space is kept and kept.purposes == ("russian-concern", "stated", "north-korean")
    assert kept.shares["north-korean"]["launches"] == OPTIONS["launches"]
    folder = result.write(tmp_path / "out")
    page = (folder / "report.html").read_text(encoding="utf-8")
    section = _visible_text(re.search(r'<section id="space">(.*?)</section>', page, re.S).group(1))
    assert "Not computed for this report" not in section
    assert re.search(r"Of the Russian deterrent \(Russia to the US\), [\d,]+ satellites could engage", section)
    assert json.loads((folder / "space" / "space-study.json").read_text())["purposes"] == list(kept.purposes)
    result.explain()
    printed = " ".join(capsys.readouterr().out.split())  # the console wraps long lines
    line = printed[printed.index("Space-based interceptors ("):]
    for purpose in kept.purposes:
        s = kept.shares[purpose]
        assert f"{purpose} {s['engaged']} of {s['launches']} launches" in line
    assert "New START's 1,550 warheads" in line


def test_assess_without_a_constellation_has_no_space_study(studied, capsys):
    from shieldcheck import api

    chosen, _, _ = studied
    plain = api.assess(chosen.model_copy(update={"constellations": ()}), uncertainty=0)
    assert plain.space is None and plain.space_study(launches=1) is None
    plain.explain()
    assert "Space-based interceptors" not in capsys.readouterr().out
