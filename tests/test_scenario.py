"""Scenario files: the built-in scenarios load with cited, catalog-resolved contents, and every kind
of mistake in a file gives one InputError naming the file, the line, the key path, the value and
what is allowed."""

import datetime
from pathlib import Path

import pytest
import scenarios

from shieldcheck import catalog, scenario
from shieldcheck.errors import InputError


def _error(tmp_path: Path, old: str, new: str, count: int = 1) -> tuple[str, str]:
    """The message of loading MINIMAL with ``old`` replaced by ``new`` (the ``count``-th occurrence)."""
    at = -1
    for _ in range(count):
        at = scenarios.MINIMAL.index(old, at + 1)
    text = scenarios.MINIMAL[:at] + new + scenarios.MINIMAL[at + len(old):]
    with pytest.raises(InputError) as caught:
        scenarios.load(tmp_path, text, "bad.toml")
    return str(caught.value), text


def _line(text: str, fragment: str, count: int = 1) -> int:
    """The line (from 1) of the ``count``-th line containing ``fragment``."""
    found = [i + 1 for i, line in enumerate(text.splitlines()) if fragment in line]
    return found[count - 1]


# --- the built-in scenarios ---------------------------------------------------------------------

def test_builtin_names():
    assert scenario.builtin_names() == ["epaa", "epaa-as-built", "sectoral", "third-site-2007"]


@pytest.mark.parametrize("name", ["epaa", "sectoral", "third-site-2007"])
def test_every_builtin_loads_with_catalog_names_and_cited_values(name):
    s = scenario.load(name.upper())  # names match without regard to case
    assert s.name == name == s.path.stem
    cat = catalog.load()
    assert s.sources and set(s.source_keys()) <= set(cat.sources)
    assert len(s.citations()) == len(s.source_keys())
    dates = [phase.date for phase in s.phases]
    assert dates == sorted(dates)
    for phase in s.phases:
        for site in phase.sites:
            assert site.site in cat.sites and site.interceptor in cat.interceptors
            assert set(site.sensors) | set(site.cue_sensors) <= set(cat.sensors)
            assert site.cueing is not None and site.cue().rule in ("own", "remote", "delay")
            assert site.cueing_sensors  # every built-in site is cued by some sensor
            if site.count is not None:
                assert site.count.source in cat.sources
    for threat in s.threats:
        for launch, aim, missile, trajectory, *point in threat.flights():
            assert point == [None, None]  # no launch_samples in the built-in threat sets: reference points
            assert launch in cat.sites and aim in cat.sites and missile in cat.missiles
        # every ballistic set read across the same three trajectory shapes (glide and orbital systems fly their own)
        if threat.name != "Russian systems built to evade defences":
            assert threat.trajectories == ("minimum-energy", "lofted:apogee_ratio=1.5", "depressed:apogee_ratio=0.6")
    # the same shared threat sets everywhere
    assert [t.name for t in s.threats] == ["Iran to NATO Europe", "Iran to south-eastern Europe",
                                           "Iran to US east coast", "Russian ICBMs to the US", "Russian SLBMs to the US",
                                           "Russian systems built to evade defences"]
    assert len(s.flights()) == 1_511


def test_epaa_phases():
    epaa = scenario.load("epaa")
    assert [p.name for p in epaa.phases] == ["Phase 1", "Phase 2", "Phase 3", "Phase 4"]
    assert [p.date.year for p in epaa.phases] == [2011, 2015, 2018, 2020]
    assert [p.cancelled for p in epaa.phases] == [None, None, None, datetime.date(2013, 3, 15)]
    assert epaa.phase("phase 4").cancelled_source == "SP13"
    one = epaa.phases[0].sites
    assert [(s.site, s.interceptor) for s in one] == [("Eastern Mediterranean patrol station", "SM-3 Block IA")]
    assert one[0].cueing == "remote"
    assert one[0].cueing_sensors == ("AN/SPY-1 Eastern Mediterranean", "AN/TPY-2 Kurecik")
    two = {s.site: s for s in epaa.phases[1].sites}
    assert two["Deveselu"].interceptor == "SM-3 Block IB" and two["Deveselu"].count.value == 24
    assert two["Deveselu"].sensors == ("AN/SPY-1 Deveselu",)
    assert two["Eastern Mediterranean patrol station"].interceptor == "SM-3 Block IB"
    three = {(s.site, s.interceptor) for s in epaa.phases[2].sites}
    assert ("Redzikowo", "SM-3 Block IIA") in three and ("Deveselu", "SM-3 Block IB") in three
    assert ("Redzikowo", "SM-3 Block IIB") in {(s.site, s.interceptor) for s in epaa.phases[3].sites}
    with pytest.raises(InputError, match="Did you mean 'Phase 3'"):
        epaa.phase("Phase 33")


def test_third_site_is_remotely_cued_gbis():
    third = scenario.load("third-site-2007")
    (phase,) = third.phases
    (site,) = phase.sites
    assert (site.site, site.interceptor, site.count.value) == ("Redzikowo", "GBI (two-stage)", 10)
    assert site.sensors == () and site.cueing == "remote"
    assert site.cueing_sensors == ("European Midcourse Radar Brdy", "UEWR Fylingdales")


def test_sectoral_sectors_are_disjoint_by_name_and_every_site_is_in_nato():
    sectoral = scenario.load("sectoral")
    sectors = {s.name: {c.lower() for c in s.countries} for s in sectoral.sectors}
    assert set(sectors) == {"NATO", "Russia"}
    assert not sectors["NATO"] & sectors["Russia"]
    assert {"estonia", "latvia", "lithuania", "norway"} <= sectors["Russia"] and "poland" in sectors["NATO"]
    assert all(s.buffer_km.estimate for s in sectoral.sectors)
    epaa = scenario.load("epaa")
    for mine, theirs in zip(sectoral.phases, epaa.phases, strict=True):
        assert [(s.site, s.interceptor) for s in mine.sites] == [(s.site, s.interceptor) for s in theirs.sites]
        for site in mine.sites:
            assert site.sector == "NATO"
            assert {"Daryal Gabala", "Voronezh-DM Armavir", "AN/TPY-2 Kurecik"} <= set(site.cueing_sensors)


def test_sectoral_shapes_do_not_overlap():
    from shieldcheck import geography

    shapes = scenario.load("sectoral").sector_shapes()
    assert set(shapes) == {"NATO", "Russia"}
    assert geography.overlap_km2(shapes["NATO"], shapes["Russia"]) <= scenario.SECTOR_OVERLAP_LIMIT_KM2


def test_threat_flights_cross_product():
    threats = {t.name: t for t in scenario.load("epaa").threats}
    assert len(threats["Iran to NATO Europe"].flights()) == 3 * 30 * 4 * 3
    assert len(threats["Iran to south-eastern Europe"].flights()) == 3 * 7 * 3 * 3
    assert len(threats["Iran to US east coast"].flights()) == 6 * 3 * 3
    assert threats["Iran to US east coast"].flights()[0][:4] == ("Tabriz", "Washington", "Iran-ICBM (notional)",
                                                                 "minimum-energy")
    # every European NATO capital (30 members in Europe, 2024) is an aim point
    assert len(set(threats["Iran to NATO Europe"].aim_points)) == 30
    russian = threats["Russian ICBMs to the US"]
    assert len(russian.flights()) == 11 * 4 * 3
    bases = {name for name, r in catalog.load().sites.items() if r.kind == "icbm-base"}
    assert {launch for launch, *_ in russian.flights()} == bases
    assert {(f.launch, f.missile) for f in russian.flights() if f.launch in ("Kozelsk", "Uzhur")} == {
        ("Kozelsk", "Yars"), ("Uzhur", "R-36M2")}
    slbm = threats["Russian SLBMs to the US"]
    bastions = {name for name, r in catalog.load().sites.items() if r.kind == "ssbn-bastion"}
    assert {launch for launch, *_ in slbm.flights()} == bastions and len(slbm.flights()) == 4 * 4 * 3


def test_minimal_file_loads_with_resolved_names(tmp_path):
    text = scenarios.MINIMAL.replace('"AN/TPY-2 Kurecik"]', '"Kürecik TPY-2"]', 1).replace('"Sejjil-2"', '"Sajjil"')
    s = scenario.load(str(scenarios.write(tmp_path, text, "mine.toml")))
    assert s.phases[0].sites[0].cue_sensors == ("AN/TPY-2 Kurecik",)  # the catalog's own spelling
    (threat,) = s.threats
    assert len(threat.flights()) == 2 * 3 * 2 * 2
    assert ("Semnan", "Berlin", "Sejjil-2", "lofted") in [f[:4] for f in threat.flights()]
    assert s.phases[1].sites[1].cue().delay_s == 120.0 and s.phases[1].sites[1].cueing_sensors == ()
    assert s.phases[1].sites[0].sector == "West"


def test_a_user_file_may_include_the_builtin_threats(tmp_path):
    head, _, _ = scenarios.MINIMAL.partition("[[threats]]")
    text = head.replace('sources = ["MODEL"]', 'sources = ["MODEL"]\ninclude_threats = "threats"')
    s = scenarios.load(tmp_path, text, "mine.toml")
    assert len(s.flights()) == 1_511


# --- errors: file, line, key path, value, what is allowed -------------------------------------

def test_toml_syntax_error(tmp_path):
    message, text = _error(tmp_path, 'name = "One"', 'name = "One')
    line = _line(text, 'name = "One')
    assert f"bad.toml:{line}" in message and "not valid TOML" in message


def test_unknown_key_suggests(tmp_path):
    message, text = _error(tmp_path, 'interceptor = "SM-3 Block IIA"', 'interceptr = "SM-3 Block IIA"')
    assert f"bad.toml:{_line(text, 'interceptr')}: phase[2].site[2].interceptr" in message
    assert "unknown key 'interceptr'" in message and "Did you mean 'interceptor'" in message
    message, text = _error(tmp_path, "[[threats]]", "[[threat]]")
    assert f"bad.toml:{_line(text, '[[threat]]')}: threat = " in message and "Did you mean 'threats'" in message
    message, text = _error(tmp_path, "rcs_m2 = { value = 0.1,", "rcs_m2 = { valu = 0.1,")
    assert f"bad.toml:{_line(text, 'valu =')}: assumptions.rcs_m2" in message and "Did you mean 'value'" in message


@pytest.mark.parametrize("old, new, key, table", [
    ('site = "Redzikowo"', 'site = "Redzikowa"', "phase[2].site[2].site: 'Redzikowa'", "site"),
    ('interceptor = "SM-3 Block IIA"', 'interceptor = "SM-3 Block IIC"', "phase[2].site[2].interceptor", "interceptor"),
    ('sensors = ["AN/SPY-1 Deveselu"]', 'sensors = ["AN/SPY-1 Devesel"]', "phase[1].site[1].sensors[1]", "sensor"),
    ('cue_sensors = ["AN/TPY-2 Kurecik"]', 'cue_sensors = ["AN/TPY-2 Kurecek"]', "phase[1].site[1].cue_sensors[1]",
     "sensor"),
    ('"Sejjil-2"]', '"Sejil-3"]', "threats[1].missiles[2]: 'Sejil-3'", "missile"),
    ('"Berlin"]', '"Berln"]', "threats[1].aim_points[3] = 'Berln'", "site"),
])
def test_unknown_catalog_names(tmp_path, old, new, key, table):
    message, text = _error(tmp_path, old, new)
    bad = new.split('"')[1]
    assert f"bad.toml:{_line(text, bad)}: {key}" in message
    assert f"{bad!r} is not an allowed choice; allowed: " in message and "Did you mean" in message
    assert f"(see `shieldcheck catalog {table}s`)" in message


def test_interceptor_site_must_be_a_catalog_site(tmp_path):
    message, text = _error(tmp_path, 'site = "Redzikowo"', 'site = "54.48,17.11"')
    assert f"bad.toml:{_line(text, '54.48,17.11')}: phase[2].site[2].site: '54.48,17.11' is not an allowed " \
           "choice; allowed: " in message


def test_own_sensor_must_stand_at_the_site(tmp_path):
    message, text = _error(tmp_path, 'sensors = ["AN/SPY-1 Deveselu"]', 'sensors = ["AN/TPY-2 Kurecik"]')
    line = _line(text, 'sensors = ["AN/TPY-2')
    assert f"bad.toml:{line}: phase[1].site[1].sensors[1] = 'AN/TPY-2 Kurecik'" in message
    assert "not a radar at 'Deveselu'" in message and "cue_sensors" in message


def test_trajectory_not_allowed(tmp_path):
    message, text = _error(tmp_path, '"lofted"]', '"loftd"]')
    assert f"bad.toml:{_line(text, 'loftd')}: threats[1].trajectories[2]: 'loftd' is not an allowed choice" in message
    assert "Did you mean 'lofted'" in message and "; allowed: minimum-energy, lofted, depressed, NAME:KEY=VALUE" in message


def test_shaped_trajectories_are_read_and_named_canonically(tmp_path):
    text = scenarios.MINIMAL.replace('"lofted"]', '"lofted:apogee_ratio=1.50", " depressed:burnout_angle_deg=12"]')
    threat = scenarios.load(tmp_path, text, "shaped.toml").threats[0]
    assert threat.trajectories == ("minimum-energy", "lofted:apogee_ratio=1.5", "depressed:burnout_angle_deg=12")


@pytest.mark.parametrize("shape, expected", [
    ("depressed:apogee_ratio=1.5", "a depressed apogee_ratio must be below 1"),
    ("lofted:apogee_ratio=0.5", "a lofted apogee_ratio must be above 1"),
    ("lofted:apogee=900", "'apogee' is not an allowed choice; allowed: apogee_km, burnout_angle_deg, apogee_ratio"),
    ("lofted:apogee_km=high", "apogee_km = 'high' is not a number"),
    ("lofted:apogee_km=nan", "apogee_km = nan is outside 10 to 20,000 km"),
    ("depressed:burnout_angle_deg=90", "burnout_angle_deg = 90.0 is outside 0 (excluded) to 90 (excluded) deg"),
    ("minimum-energy:apogee_km=900", "minimum-energy takes no shape value"),
])
def test_shaped_trajectory_errors(tmp_path, shape, expected):
    message, text = _error(tmp_path, '"lofted"]', f'"{shape}"]')
    assert f"bad.toml:{_line(text, shape)}: threats[1].trajectories[2] = {shape!r}" in message
    assert expected in message and "\n" not in message


def test_cueing_not_parseable(tmp_path):
    message, text = _error(tmp_path, 'cueing = "delay:120"', 'cueing = "delay:soon"')
    assert f"bad.toml:{_line(text, 'delay:soon')}: phase[2].site[2].cueing = 'delay:soon'" in message
    assert "0 to 7,200" in message
    message, text = _error(tmp_path, 'cueing = "remote"', 'cueing = "remot"')
    assert f"bad.toml:{_line(text, 'remot')}: assumptions.cueing = 'remot'" in message
    assert "allowed: own, remote (launch-on-remote), engage-remote (engage-on-remote), delay:SECONDS" in message


def test_remote_cueing_needs_a_sensor_and_own_cueing_an_own_radar(tmp_path):
    message, text = _error(tmp_path, 'cueing = "delay:120"', 'cueing = "remote"')
    line = _line(text, 'cueing = "remote"', 2)
    assert f"bad.toml:{line}: phase[2].site[2].cueing = 'remote'" in message
    assert "needs at least one sensor" in message and "cue_sensors" in message
    message, text = _error(tmp_path, 'cueing = "delay:120"', 'cueing = "own"')
    line = _line(text, 'cueing = "own"')
    assert f"bad.toml:{line}: phase[2].site[2].cueing = 'own'" in message
    assert "needs the site's own radar in `sensors`" in message
    # the default rule of [assumptions] applies to a site without its own, and is named
    message, _ = _error(tmp_path, '  cueing = "delay:120"\n', "")
    assert "phase[2].site[2].cueing = 'remote'" in message and "the default of [assumptions]" in message


def test_phase_dates_in_order(tmp_path):
    message, text = _error(tmp_path, "date = 2012-01-01", "date = 2010-06-30")
    assert f"bad.toml:{_line(text, '2010-06-30')}: phase[2].date = '2010-06-30'" in message
    assert "phases must be listed in date order" in message and "2011-01-01" in message


@pytest.mark.parametrize("old, new, key", [
    ("date = 2012-01-01", "date = 9999-12-31", "phase[2].date = 9999-12-31"),
    ("date = 2011-01-01", "date = 1900-01-01", "phase[1].date = 1900-01-01"),
    ("date = 2012-01-01", "date = 2012-01-01\ncancelled = 2101-01-01\ncancelled_source = \"MODEL\"",
     "phase[2].cancelled = 2101-01-01"),
    ('cueing = "remote"\n', 'cueing = "remote"\nassessment_date = 0001-01-01\n', "assumptions.assessment_date = 0001-01-01"),
])
def test_dates_outside_the_missile_age_are_refused_at_their_line(tmp_path, old, new, key):
    # a phase dated 9999-12-31 once crashed the report's timeline after the whole assessment had run
    message, text = _error(tmp_path, old, new)
    fragment = new.strip().splitlines()[-1 if "cancelled" not in new else 1]
    assert f"bad.toml:{_line(text, fragment)}: {key} is outside 1950-01-01 to 2100-12-31" in message, message
    assert "\n" not in message


def test_cancellation_needs_its_source(tmp_path):
    message, text = _error(tmp_path, "date = 2012-01-01", "date = 2012-01-01\ncancelled = 2011-06-01")
    assert f"bad.toml:{_line(text, 'cancelled =')}: phase[2].cancelled = '2011-06-01'" in message
    assert "cancelled_source" in message


def test_undefined_sector(tmp_path):
    message, text = _error(tmp_path, 'sector = "West"', 'sector = "Wset"')
    assert f"bad.toml:{_line(text, 'Wset')}: phase[2].site[1].sector: 'Wset' is not an allowed choice" in message
    assert "Did you mean 'West'" in message and "; allowed: West, East." in message


def test_sectors_may_not_share_a_country(tmp_path):
    message, text = _error(tmp_path, 'countries = ["Poland"]', 'countries = ["Poland", "germany"]')
    assert f"bad.toml:{_line(text, 'germany')}: sector[2].countries[2] = 'germany'" in message
    assert "already in sector 'West' (sector[1])" in message


def test_empty_threat_sets(tmp_path):
    message, text = _error(tmp_path, 'missiles = ["Shahab-3", "Sejjil-2"]', "missiles = []")
    assert f"bad.toml:{_line(text, 'missiles = []')}: threats[1].missiles = []" in message
    assert "at least one" in message
    message, text = _error(tmp_path, 'aim_points = ["Bucharest", "Warsaw", "Berlin"]', "aim_points = []")
    assert f"bad.toml:{_line(text, 'aim_points = []')}: threats[1].aim_points = []" in message
    assert "List should have at least 1 item" in message
    head, _, _ = scenarios.MINIMAL.partition("[[threats]]")
    with pytest.raises(InputError, match=r"bad\.toml: no threats: .*\[\[threats\]\]"):
        scenarios.load(tmp_path, head, "bad.toml")


def test_unknown_source_key(tmp_path):
    message, text = _error(tmp_path, 'source = "MODEL"\n\n  [[phase.site]]', 'source = "MODLE"\n\n  [[phase.site]]')
    assert f"bad.toml:{_line(text, 'MODLE')}: phase[1].source: 'MODLE' is not an allowed choice" in message
    assert "sources.toml" in message and "Did you mean 'MODEL'" in message


def test_value_outside_limits(tmp_path):
    message, text = _error(tmp_path, "shoot_look_shoot_s = { value = 60.0", "shoot_look_shoot_s = { value = -5.0")
    assert message.endswith(f"bad.toml:{_line(text, '-5.0')}: assumptions.shoot_look_shoot_s.value = -5.0 is outside "
                            "1 to 3,600 s")


def test_purpose_and_missing_keys(tmp_path):
    message, text = _error(tmp_path, 'purpose = "stated"', 'purpose = "stat"')
    assert f"bad.toml:{_line(text, 'stat')}: threats[1].purpose: 'stat' is not an allowed choice; allowed: stated, " \
           "russian-concern, russian-theatre, north-korean. Did you mean 'stated'?" in message
    message, text = _error(tmp_path, '  interceptor = "SM-3 Block IIA"\n', "")
    line = _line(text, 'site = "Redzikowo"') - 1  # the [[phase.site]] header
    assert f"bad.toml:{line}: phase[2].site[2].interceptor: missing" in message


def test_unknown_include(tmp_path):
    head, _, _ = scenarios.MINIMAL.partition("[[threats]]")
    text = head.replace('sources = ["MODEL"]', 'sources = ["MODEL"]\ninclude_threats = "threat"')
    with pytest.raises(InputError) as caught:
        scenarios.load(tmp_path, text, "bad.toml")
    assert f"bad.toml:{_line(text, 'include_threats')}: scenario.include_threats: 'threat' is not an allowed " \
           "choice; allowed: threats" in str(caught.value)
    assert "Did you mean 'threats'" in str(caught.value)


def test_unknown_builtin_name():
    with pytest.raises(InputError, match=r"^scenario: 'epa' is not an allowed choice; allowed: .*epaa, .*a path to a "
                                         r"\.toml file\. Did you mean 'epaa'\?$"):
        scenario.load("epa")
    with pytest.raises(InputError, match="nowhere.toml: scenario file not found"):
        scenario.load("nowhere.toml")


def test_sector_shapes_check_country_names_and_overlaps(tmp_path):
    text = scenarios.MINIMAL.replace('"Germany",', '"Germny",')
    s = scenarios.load(tmp_path, text, "bad.toml")  # country names are checked with the shapes
    with pytest.raises(InputError) as caught:
        s.sector_shapes()
    assert f"bad.toml:{_line(text, 'Germny')}: sector[1].countries[2] = 'Germny'" in str(caught.value)
    assert "Germany" in str(caught.value)
    # Germany and Poland share a border: a 100 km buffer makes West and East overlap
    text = scenarios.MINIMAL.replace("buffer_km = { value = 0.0", "buffer_km = { value = 100.0", 1)
    with pytest.raises(InputError) as caught:
        scenarios.load(tmp_path, text, "bad.toml").sector_shapes()
    line = _line(text, 'countries = ["Poland"]')
    assert f"bad.toml:{line}: sector[2].countries" in str(caught.value)
    assert "sector 'East' overlaps sector 'West' by" in str(caught.value)


def test_errors_in_an_included_threats_file_name_that_file(tmp_path):
    head, _, threats = scenarios.MINIMAL.partition("[[threats]]")
    included = "[[threats]]" + threats.replace('"Shahab-3"', '"Shahab-4"')
    scenarios.write(tmp_path, included, "mythreats.toml")
    text = head.replace('sources = ["MODEL"]', 'sources = ["MODEL"]\ninclude_threats = "mythreats"')
    with pytest.raises(InputError) as caught:
        scenarios.load(tmp_path, text, "bad.toml")
    line = _line(included, "Shahab-4")
    assert f"mythreats.toml:{line}: threats[1].missiles[1]: 'Shahab-4' is not an allowed choice" in str(caught.value)
    # a threat set named twice (once included, once in the file)
    scenarios.write(tmp_path, "[[threats]]" + threats, "mythreats.toml")
    with pytest.raises(InputError, match=r"bad\.toml:\d+: threats\[1\]\.name = 'Iran': threat set name used twice"):
        scenarios.load(tmp_path, text + "[[threats]]" + threats, "bad.toml")


@pytest.mark.parametrize("word", ['"yes"', '"true"', "1"])
def test_an_estimate_flag_is_a_toml_boolean_only(tmp_path, word):
    # 'estimate = "yes"' must not pass for true: a flag that decides what the uncertainty cases draw is
    # given as the TOML booleans true or false.
    message, text = _error(tmp_path, "rcs_m2 = { value = 0.1, source = \"MODEL\", estimate = true }",
                           f"rcs_m2 = {{ value = 0.1, source = \"MODEL\", estimate = {word} }}")
    assert f"bad.toml:{_line(text, 'rcs_m2')}: assumptions.rcs_m2.estimate" in message
    assert "valid boolean" in message
