"""The 1997 ABM demarcation lines in treaty wording (shieldcheck.treaty), against the texts themselves.

Reference: the First and Second Agreed Statements of 26 Sep 1997 and the Helsinki Joint Statement of
21 Mar 1997 as summarised in docs/literature.md section 12a (catalog sources ABM97_AS1, ABM97_AS2, HEL97,
ABM97_SCC). "Does not exceed" puts a value equal to a line on the allowed side, so the boundary values
are tested exactly, and one step of the float (math.nextafter) beyond each is tested on the other side:
tolerance zero, as the texts give none.
"""

import json
import math

import pytest
from cli_helpers import run

from shieldcheck import aiming, catalog, treaty
from shieldcheck.catalog import Catalog
from shieldcheck.errors import InputError
from test_catalog_ranges import _edit


def _above(x: float) -> float:
    return math.nextafter(x, math.inf)


def test_the_lines_are_the_texts():
    lines = {line.name: line for line in treaty.LINES}
    assert lines["lower-velocity line"].value == 3.0 and lines["lower-velocity line"].source == "ABM97_AS1"
    assert lines["Helsinki sea-based line"].value == 4.5 and lines["Helsinki sea-based line"].basings == ("sea",)
    assert lines["Helsinki land/air-based line"].value == 5.5
    assert set(lines["Helsinki land/air-based line"].basings) == {"land", "air"}
    assert lines["test-target speed line"].value == 5.0 and lines["test-target range line"].value == 3_500.0
    assert str(lines["Helsinki sea-based line"].date) == "1997-03-21"
    assert str(lines["lower-velocity line"].date) == "1997-09-26"
    sources = catalog.load().sources
    for line in treaty.LINES:  # each line's source is a dated entry of sources.toml, of the line's date
        assert sources[line.source].date == line.date, line.name


def test_three_km_s_is_lower_velocity():
    assert treaty.is_lower_velocity(3.0)
    assert treaty.is_lower_velocity(3)
    assert not treaty.is_lower_velocity(_above(3.0))


@pytest.mark.parametrize("basing, line", [("sea", 4.5), ("land", 5.5), ("air", 5.5)])
def test_the_helsinki_line_itself_is_within(basing, line):
    assert treaty.helsinki_line_km_s(basing) == line
    assert treaty.within_helsinki(line, basing)
    assert not treaty.within_helsinki(_above(line), basing)


def test_five_km_s_and_3500_km_are_a_compliant_target():
    assert treaty.is_compliant_target(5.0, 3_500.0)
    assert not treaty.is_compliant_target(_above(5.0), 3_500.0)
    assert not treaty.is_compliant_target(5.0, _above(3_500.0))
    assert not treaty.is_compliant_target(3.0, math.inf)  # a fractional orbit has no range limit


@pytest.mark.parametrize("call, message", [
    (lambda: treaty.is_lower_velocity(math.nan), "speed_km_s = nan: give a finite positive number"),
    (lambda: treaty.is_lower_velocity(-3.0), "speed_km_s = -3.0: give a finite positive number"),
    (lambda: treaty.is_lower_velocity("3"), "speed_km_s = '3': give a finite positive number"),
    (lambda: treaty.is_compliant_target(5.0, -1.0), "range_km = -1.0: give a positive number of km"),
    (lambda: treaty.within_helsinki(4.0, "space"), "basing: 'space' is not an allowed choice; allowed: land, sea, air"),
    (lambda: treaty.treaty_limit(2.5, ("orbit",)), "basing: 'orbit' is not an allowed choice"),
    (lambda: treaty.classify_interceptor("SM-3 Block IIC"), "interceptor: 'SM-3 Block IIC' is not an allowed choice"),
    (lambda: treaty.classify_target("Shahab-4"), "missile: 'Shahab-4' is not an allowed choice"),
])
def test_bad_input_is_one_line(call, message):
    with pytest.raises(InputError) as caught:
        call()
    assert str(caught.value).startswith(message) and "\n" not in str(caught.value)


def test_basing_is_read_from_the_catalog_text():
    assert treaty.basings_of("sea and land (Aegis Ashore Deveselu: 24 missiles)") == ("land", "sea")
    assert treaty.basings_of("land, road-mobile launchers (6-9 launchers)") == ("land",)
    assert treaty.basings_of("sea (Aegis BMD ships)") == ("sea",)
    with pytest.raises(InputError, match="basing = 'in orbit': names none of land, sea, air"):
        treaty.basings_of("in orbit")


# Every catalog interceptor, with the classification its catalog burnout speed and basing give (the values
# of interceptors.toml: a change there that moves an interceptor across a line shows here).
INTERCEPTORS = {
    # name: (speed km/s, basings, lower-velocity, within its Helsinki lines)
    "SM-3 Block IA": (3.0, ("sea",), True, True),  # exactly on the lower-velocity line
    "SM-3 Block IB": (3.0, ("land", "sea"), True, True),
    "SM-3 Block IIA": (4.5, ("land", "sea"), False, True),  # exactly on the sea-based line
    "SM-3 Block IIB": (5.5, ("land",), False, True),  # exactly on the land-based line
    "GBI (three-stage)": (8.0, ("land",), False, False),
    "GBI (two-stage)": (6.3, ("land",), False, False),
    "THAAD": (2.8, ("land",), True, True),
    "53T6": (3.0, ("land",), True, True),
}


def test_every_catalog_interceptor_is_classified():
    assert set(catalog.load().interceptors) == set(INTERCEPTORS)
    for name, (speed, basings, lower, within) in INTERCEPTORS.items():
        c = treaty.classify_interceptor(name)
        assert (c.speed_km_s, c.basings, c.lower_velocity, c.within_helsinki) == (speed, basings, lower, within), name
        assert c.sources[-2:] == ("ABM97_AS1", "HEL97") and c.explain().startswith(name)


def test_the_sources_band_can_move_an_interceptor_across_a_line():
    iia = treaty.classify_interceptor("SM-3 IIA")
    assert iia.speed_band_km_s == (4.0, 5.0)  # the analysts' spread: 5.0 km/s is beyond the sea-based 4.5
    assert iia.within_helsinki_across_band == (True, False) and not iia.settled
    assert "the classification changes" in iia.explain()
    assert treaty.classify_interceptor("THAAD").settled


@pytest.mark.parametrize("speed, lower", [("3.0", True), ("3.01", False)])
def test_an_interceptor_on_the_line_in_a_catalog_file(data_copy, speed, lower):
    _edit(data_copy / "interceptors.toml", 'burnout_speed_km_s = { value = 2.8,', f'burnout_speed_km_s = {{ value = {speed},')
    cat = Catalog(data_copy)
    assert treaty.classify_interceptor("THAAD", cat).lower_velocity is lower


# Every catalog missile as a test target: compliant exactly where both its full-range speed and range are
# within the lines. Iran's medium-range missiles are; every missile of 3,500 km or more is not.
COMPLIANT_TARGETS = {"Shahab-3", "Ghadr-1", "Sejjil-2", "Khorramshahr"}


def test_every_catalog_missile_is_classified_as_a_target():
    cat = catalog.load()
    found = {name: treaty.classify_target(name) for name in cat.missiles}
    assert {n for n, c in found.items() if c.compliant} == COMPLIANT_TARGETS
    for name, c in found.items():
        assert c.compliant == (c.speed_km_s <= 5.0 and c.range_km <= 3_500.0), name
        assert 1.0 < c.speed_km_s < 9.0, name  # a burnout speed: below escape, above any short-range missile
        assert c.sources[-2:] == ("ABM97_AS1", "ABM97_AS2") and c.explain().startswith(name)
    assert math.isinf(found["R-36orb"].range_km) and not found["R-36orb"].range_within
    # the range is the library's maximum range (the method of the catalog's range checks), not a second one
    shahab = found["Shahab-3"]
    assert shahab.range_km == aiming.maximum_range_km(catalog.missile("Shahab-3"), catalog.site(shahab.launch))[0]
    # the Iranian IRBM of 2026 flies at the 5 km/s speed line but beyond the range line
    irbm = found["Iran-IRBM 2026"]
    assert irbm.range_km > 3_500.0 and not irbm.compliant


def test_a_limit_in_treaty_wording():
    limit = treaty.treaty_limit(2.5, ("land",))
    assert limit.wording == ("maximum velocity over any part of the trajectory, as demonstrated in tests, not to "
                             "exceed 2.50 km/s")
    assert [(r["line"], r["relation"]) for r in limit.rows] == [("lower-velocity line", "below"),
                                                                ("Helsinki land/air-based line", "below")]
    at = treaty.treaty_limit(4.5, ("sea",))
    assert [(r["line"], r["relation"], r["within"]) for r in at.rows] == [
        ("lower-velocity line", "above", False), ("Helsinki sea-based line", "at", True)]
    data = at.as_json()
    assert data["lower_velocity"] is False and data["speed_taken"] == treaty.SPEED_TAKEN
    assert json.loads(json.dumps(data)) == data
    assert "at the Helsinki sea-based line (4.5 km/s)" in at.sentence()


def test_a_site_at_sea_is_sea_based():
    assert treaty.site_basing("Eastern Mediterranean patrol station") == ("sea",)
    assert treaty.site_basing("Redzikowo") == ("land",)
    assert treaty.site_basing("44.1,24.4") == ()


def test_catalog_treaty_lists_every_entry(capsys):
    code, out, err = run(["catalog", "treaty", "--json"], capsys)
    assert code == 0, err
    data = json.loads(out)
    cat = catalog.load()
    assert [e["name"] for e in data["interceptors"]] == list(cat.interceptors)
    assert [e["name"] for e in data["targets"]] == list(cat.missiles)
    assert {e["name"] for e in data["targets"] if e["compliant"]} == COMPLIANT_TARGETS
    for e in (*data["lines"], *data["interceptors"], *data["targets"]):
        assert e["source_keys"] == [cat.source_key(text) for text in e["sources"]]
    code, out, err = run(["catalog", "treaty"], capsys)
    assert code == 0, err
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "lower-velocity line" in out and "SM-3 Block IIA" in out and "Khorramshahr" in out


def test_catalog_test_ranges_lists_every_range(capsys):
    code, out, err = run(["catalog", "test-ranges", "--json"], capsys)
    assert code == 0, err
    data = json.loads(out)
    assert [e["name"] for e in data] == list(catalog.load().test_ranges)
    assert all(e["sources"] and e["source_keys"] for e in data)
    code, out, err = run(["catalog", "test-ranges"], capsys)
    assert code == 0 and "Andoya" in out and "290-350" in out
