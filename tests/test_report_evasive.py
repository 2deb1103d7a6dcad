"""Threats built to evade defences in the assessment and its report: a fractional orbit beside a
ballistic ICBM on the same route, radar by radar; warheads, decoys and each flight's model in the rows.

Reference for the detection comparison: the R-36orb is steered south from Dombarovsky, over the South
Pole, so the north-facing early-warning radars (Fylingdales, Thule) never see it, while the R-36M2 on
the same route, over the Arctic, is seen by both (catalog radars, 0.1 m^2).
"""

import json
import re

import pytest
import scenarios

from shieldcheck import assess
from shieldcheck.report.html import write_report

pytestmark = pytest.mark.slow  # every test reads the one assessment below, of several seconds


@pytest.fixture(scope="module")
def assessed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("evasive")
    chosen = scenarios.load(folder, scenarios.EVASIVE, "evasive-test.toml")
    result = assess.assess(chosen, work_dir=folder / "work")
    page = write_report(result, folder / "out").read_text(encoding="utf-8")
    return result, page


def test_rows_carry_warheads_decoys_and_the_flight_model(assessed):
    result, _ = assessed
    rows = {r["missile"]: r for r in result.rows()}
    assert rows["R-36M2"]["warheads"] == 10 and rows["R-36orb"]["warheads"] == 1  # RIA09_R36; TIME67
    assert {r["decoys_per_warhead"] for r in result.rows()} == {2}
    flights = {r["missile"]: r for r in result.flights.rows}
    assert flights["R-36orb"]["trajectory"] == "fractional-orbit"
    assert flights["R-36orb"]["flight_model"].startswith("fractional orbit: insertion perigee 145 km")
    assert flights["R-36M2"]["flight_model"].startswith("ballistic")


def test_the_fractional_orbit_escapes_the_north_facing_radars(assessed):
    result, _ = assessed
    seen = {r["missile"]: json.loads(r["detections_json"]) for r in result.flights.rows}
    for radar in ("UEWR Fylingdales", "UEWR Thule"):
        assert radar in seen["R-36M2"] and radar not in seen["R-36orb"]
    # the infrared satellites see both boosts, at the same time (the catalog's 45 s detection)
    assert seen["R-36orb"]["SBIRS/DSP infrared warning"][0] == seen["R-36M2"]["SBIRS/DSP infrared warning"][0]


def test_a_radar_of_the_launching_side_is_not_counted(assessed):
    """A Voronezh radar watches Russia's own launches, not for the defence: never in a Russian flight's
    detections (the R-36M2 from Dombarovsky passes inside Armavir's and Lekhtusi's fields)."""
    result, _ = assessed
    for row in result.flights.rows:
        seen = json.loads(row["detections_json"])
        assert not any(name.startswith(("Voronezh", "Dnepr")) for name in seen), (row["missile"], sorted(seen))


def test_the_report_compares_them_radar_by_radar(assessed):
    result, page = assessed
    section = page[page.index('id="evasive"'):]
    section = section[:section.index("</section>")]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", section))
    first = json.loads(next(r for r in result.flights.rows if r["missile"] == "R-36M2")["detections_json"])
    fylingdales = f"{first['UEWR Fylingdales'][0]:,.0f} s"
    row = re.search(r"R-36orb Dombarovsky → Washington \(fractional-orbit\) UEWR Fylingdales (.*?) R-36M2", text).group(1)
    assert fylingdales in row and "—" in row  # the ballistic missile seen, the fractional orbit not
    assert "R-36orb Dombarovsky → Washington (fractional-orbit) Only not engageable" in text
