"""The world of 2026: the EPAA as built, the threats since 2024 and range classes from the physics.

References and tolerances:
- the new catalog entries against their sources (sources.toml keys, each with its address and the
  date it was read) and the scenario's phases against the dates of the events cited in it;
- the Oreshnik and the Iranian IRBM of March 2026 flown by their models (maximum range due north from
  the catalog's reference site, the method of tests/test_catalog_ranges.py) inside the ranges their
  sources give; the Iranian missile reaches Diego Garcia from the coast nearest it;
- the RS-28 Sarmat near circular speed: coasting flights of 12,000 to 28,000 km on the textbook Earth
  (spherical, non-rotating, airless) against the closed-form two-body solution (Bate, Mueller & White,
  ch. 6; tests/test_kepler_vs_closed_form.py), 0.5 km and 0.5 s as there, the range counted past the
  antipode; the Sarmat aimed 16,000-18,000 km, over the South Pole, lands within the aiming tolerance
  (100 m, Karney's geodesic) and its burnout state is checked against the same closed form: between
  the textbook minimum-energy speed for its range and circular speed, and the atmosphere only takes
  range away (the flown inertial range angle at most the two-body one);
- range classes: the US definitions (CRS24_BMD, MDA_CLASSES, USNATO16, RUMSFELD98) at their bounds,
  and from the models' flights (an SLBM of 8,000 km is of intercontinental range).
"""

from __future__ import annotations

import datetime
import math
import tomllib
from pathlib import Path

import numpy as np
import pytest
import scenarios
from pydantic import BaseModel

from shieldcheck import aggregate, aiming, catalog, earth, flight, scenario
from shieldcheck.catalog import Catalog, Value
from shieldcheck.constants import SPHERE_GM_M3_S2, SPHERE_RADIUS_M
from shieldcheck.engine import aim as A
from shieldcheck.engine import pack as P
from shieldcheck.errors import InputError
from test_catalog_ranges import _edit
from test_kepler_vs_closed_form import kepler_range_and_time

DATA = Path(str(catalog.DATA))
SOURCES = tomllib.loads((DATA / "sources.toml").read_text())["source"]
NEW_MISSILES = ("Oreshnik", "RS-28 Sarmat", "Iran-IRBM 2026")
NEW_SITES = ("Chabahar", "Kapustin Yar", "Krichev", "Diego Garcia")
MODEL = earth.earth_model(earth.DEFAULT_EARTH)
RANGE_TOLERANCE_M = 500.0  # as tests/test_kepler_vs_closed_form.py
TIME_TOLERANCE_S = 0.5
AIM_TOLERANCE_M = 100.0  # the aiming kernel's landing tolerance


def _values(record):
    """Every cited Value inside a catalog record."""
    for name in type(record).model_fields:
        item = getattr(record, name)
        for sub in item if isinstance(item, list) else [item]:
            if isinstance(sub, Value):
                yield sub
            elif isinstance(sub, BaseModel):
                yield from _values(sub)


# --- the new catalog entries ----------------------------------------------------------------------

@pytest.mark.parametrize("name", NEW_MISSILES)
def test_new_missiles_load_with_every_value_sourced(name):
    cat = catalog.load()
    record = cat.missiles[name]
    values = list(_values(record))
    assert values and all(v.source in cat.sources for v in values)
    # every number derived or chosen here says so
    assert all(v.estimate for v in values if v.source in ("MODEL", "DERIVED"))
    # the published range is cited to a document, not to the model; so are the warheads where a source gives them
    assert record.published_range_km.source not in ("MODEL", "DERIVED")
    assert record.warheads.source in cat.sources
    assert record.warheads.source not in ("MODEL", "DERIVED") or record.warheads.estimate
    assert record.published_range_km.low <= record.published_range_km.value <= record.published_range_km.high
    assert record.scale.low < 1.0 < record.scale.high  # the uncertainty band brackets the model as stated
    missile = cat.missile(name)
    assert missile.stages and missile.launch_mass_kg > 0


def test_the_sources_since_2024_have_an_address_and_the_date_they_were_read():
    cat = catalog.load()
    keys = {v.source for name in NEW_MISSILES for v in _values(cat.missiles[name])}
    keys |= {v.source for name in NEW_SITES for v in _values(cat.sites[name])}
    keys |= {cat.missiles[n].warheads.source for n in NEW_MISSILES} | {"HUR24_ORESHNIK", *catalog.RANGE_CLASS_SOURCES}
    for key in keys - {"MODEL", "DERIVED", "USNATO16", "JRNODONG"}:
        assert SOURCES[key].get("url", "").startswith("http"), key
        assert SOURCES[key].get("accessed") == "2026-12-07", key


def test_the_oreshnik_payload_is_data_six_warheads_of_six_submunitions():
    record = catalog.missile_record("Oreshnik")
    assert (record.warheads.value, record.warheads.source) == (6, "HUR24_ORESHNIK")
    sub = record.submunitions_per_warhead
    assert (sub.value, sub.low, sub.high, sub.source, sub.estimate) == (6, 6, 6, "HUR24_ORESHNIK", True)
    assert record.role == "IRBM" and record.propellant == "solid"
    assert catalog.missile_record("Yars").submunitions_per_warhead is None  # only where a source reports them


@pytest.mark.parametrize("name", NEW_SITES)
def test_new_sites_load_with_sources(name):
    cat = catalog.load()
    record = cat.sites[name]
    assert record.latitude_deg.source in cat.sources and record.longitude_deg.source in cat.sources
    assert cat.site(name).name == name


def test_submunitions_out_of_order_are_refused(data_copy):
    missiles = data_copy / "missiles.toml"
    _edit(missiles, "submunitions_per_warhead = { value = 6, low = 6, high = 6,",
          "submunitions_per_warhead = { value = 6, low = 7, high = 6,")
    with pytest.raises(InputError) as error:
        Catalog(data_copy)
    assert str(missiles) in str(error.value) and "submunitions_per_warhead" in str(error.value)
    assert "low <= value <= high" in str(error.value)


def test_a_count_with_an_unknown_source_is_refused(data_copy):
    missiles = data_copy / "missiles.toml"
    _edit(missiles, 'high = 6, source = "HUR24_ORESHNIK", estimate = true, note = "\'six warheads:',
          'high = 6, source = "HUR24_ORESHNIKK", estimate = true, note = "\'six warheads:')
    with pytest.raises(InputError, match="source: 'HUR24_ORESHNIKK' is not an allowed choice") as error:
        Catalog(data_copy)
    assert "Oreshnik" in str(error.value) and "Did you mean 'HUR24_ORESHNIK'" in str(error.value)


# --- the architecture as built ----------------------------------------------------------------------

def test_as_built_phases_are_the_dates_things_happened():
    built = scenario.load("epaa-as-built")
    assert [(p.name, p.date) for p in built.phases] == [
        ("Aegis ship (2011)", datetime.date(2011, 3, 1)),   # USS Monterey, March 2011 (USEMB_EPAA)
        ("Kurecik radar (2012)", datetime.date(2012, 1, 1)),  # AN/TPY-2 operational 1 Jan 2012 (HURRIYET12)
        ("Deveselu (2016)", datetime.date(2016, 5, 12)),   # certified operational (NAVALTODAY16)
        ("Redzikowo (2024)", datetime.date(2024, 7, 11)),  # NATO mission-ready (NEWSAZ24_JUL)
    ]
    assert all(p.cancelled is None for p in built.phases)  # as built: nothing cancelled, nothing planned
    sites = [{(s.site, s.interceptor): s for s in p.sites} for p in built.phases]
    assert list(sites[0]) == [("Eastern Mediterranean patrol station", "SM-3 Block IA")]
    assert sites[0][("Eastern Mediterranean patrol station", "SM-3 Block IA")].cueing == "own"  # no TPY-2 yet
    assert "AN/TPY-2 Kurecik" in sites[1][("Eastern Mediterranean patrol station", "SM-3 Block IA")].cueing_sensors
    deveselu = sites[2][("Deveselu", "SM-3 Block IB")]
    assert (deveselu.count.value, deveselu.count.source, deveselu.count.estimate) == (24, "SEAPOWER15", False)
    assert ("Redzikowo", "SM-3 Block IIA") not in sites[2]
    redzikowo = sites[3][("Redzikowo", "SM-3 Block IIA")]
    assert (redzikowo.count.value, redzikowo.count.source) == (24, "NEWSAZ24_NOV")
    assert redzikowo.cueing_sensors == ("AN/SPY-1 Redzikowo", "AN/TPY-2 Kurecik")
    assert not any(s.interceptor == "SM-3 Block IIB" for p in built.phases for s in p.sites)  # never built (SP13)
    assert "13 November 2024" in built.phases[3].note  # the inauguration, beside the mission-ready date


def test_as_built_is_assessed_against_the_shared_threat_sets_and_those_since_2024():
    built, planned = scenario.load("epaa-as-built"), scenario.load("epaa")
    by_name = {t.name: t for t in built.threats}
    assert [t.name for t in planned.threats] == [t.name for t in built.threats][:len(planned.threats)]
    new = {t.name: t.purpose for t in built.threats[len(planned.threats):]}
    assert new == {"Oreshnik to European capitals": "russian-theatre", "Oreshnik against the EPAA sites": "russian-theatre",
                   "Iran to Diego Garcia (March 2026)": "stated", "Iranian IRBM of 2026 to NATO Europe": "stated",
                   "RS-28 Sarmat to the US": "russian-concern"}
    assert set(new.values()) <= set(aggregate.PURPOSES)
    oreshnik = {f.launch for f in by_name["Oreshnik to European capitals"].flights()}
    assert oreshnik == {"Kapustin Yar", "Krichev"}
    assert set(by_name["Oreshnik against the EPAA sites"].aim_points) >= {"Deveselu", "Redzikowo"}
    assert by_name["Iran to Diego Garcia (March 2026)"].aim_points == ("Diego Garcia",)
    assert len(built.flights()) == len(planned.flights()) + 180 + 24 + 6 + 270 + 36


def test_a_purpose_outside_the_summary_table_is_refused(tmp_path):
    text = (Path(str(scenario.BUILTIN)) / "epaa-as-built.toml").read_text()
    with pytest.raises(InputError, match="purpose: 'russian-theater' is not an allowed choice.*'russian-theatre'"):
        scenarios.load(tmp_path, text.replace('purpose = "russian-theatre"', 'purpose = "russian-theater"', 1), "bad.toml")


# --- the threats since 2024, flown -------------------------------------------------------------------

@pytest.mark.parametrize("name", ["Oreshnik", "Iran-IRBM 2026", "RS-28 Sarmat"])
def test_the_models_fly_the_ranges_their_sources_give(name):
    record = catalog.missile_record(name)
    launch = catalog.range_check_site(record)
    range_km, _ = aiming.maximum_range_km(catalog.missile(name), catalog.site(launch))
    published = record.published_range_km
    assert published.low <= range_km <= published.high, (name, launch, range_km)


def test_the_iranian_irbm_reaches_diego_garcia_from_the_coast_nearest_it():
    # sized to fly the reported 4,000 km on the route from Chabahar (3,826 km): tools/size_notional_missiles.py
    launches = [catalog.site("Chabahar"), catalog.site("Bandar Abbas")]
    target = catalog.site("Diego Garcia")
    reach_m, distance_m = aiming.max_range_m(
        catalog.missile("Iran-IRBM 2026"), [s.latitude_deg for s in launches], [s.longitude_deg for s in launches],
        target.latitude_deg, target.longitude_deg)
    assert 3_810e3 <= distance_m[0] <= 4_000e3  # the reported distances (CNN26_DIEGO, WSJ26_DIEGO)
    assert reach_m[0] >= 1.04 * distance_m[0]
    assert reach_m[1] < distance_m[1]  # from Bandar Abbas, 4,195 km, it falls short


def test_the_oreshnik_reaches_every_capital_and_site_from_both_launch_areas():
    built = {t.name: t for t in scenario.load("epaa-as-built").threats}
    aims = list(built["Oreshnik to European capitals"].aim_points) + list(built["Oreshnik against the EPAA sites"].aim_points)
    pairs = [(catalog.site(a), catalog.site(b)) for a in ("Kapustin Yar", "Krichev") for b in aims]
    reach_m, distance_m = aiming.max_range_m(catalog.missile("Oreshnik"), [a.latitude_deg for a, _ in pairs],
                                             [a.longitude_deg for a, _ in pairs], [b.latitude_deg for _, b in pairs],
                                             [b.longitude_deg for _, b in pairs])
    assert np.all(reach_m > distance_m), [(a.name, b.name) for (a, b), r, d in zip(pairs, reach_m, distance_m) if r <= d]


# --- near circular speed: the textbook Earth against Kepler, and the Sarmat's long routes -------------

# burnout states (altitude km, speed m/s, flight-path angle deg) whose two-body range runs from 12,000 km to past
# the antipode (28,000 km); the last four come down more than half-way round
NEAR_CIRCULAR = [(150.0, 7500.0, 8.0), (150.0, 7700.0, 5.0), (150.0, 7700.0, 8.0), (150.0, 7750.0, 8.0),
                 (200.0, 7700.0, 5.0), (300.0, 7700.0, 8.0), (150.0, 7800.0, 2.0), (200.0, 7750.0, 2.0),
                 (300.0, 7800.0, 5.0), (200.0, 7800.0, 2.0)]


@pytest.fixture(scope="module")
def coasting(topol):
    alt, speed, gamma = (np.array(c) for c in zip(*NEAR_CIRCULAR))
    azimuth = np.linspace(0.0, 315.0, len(NEAR_CIRCULAR))
    return flight.fly_burnout(np.linspace(-50.0, 60.0, len(NEAR_CIRCULAR)), 20.0, alt * 1e3, speed, gamma, azimuth,
                              topol, earth="spherical-nonrotating", atmosphere="none")


@pytest.mark.parametrize("i", range(len(NEAR_CIRCULAR)))
def test_near_circular_coasting_matches_kepler_past_the_antipode(coasting, i):
    alt_km, speed, gamma = NEAR_CIRCULAR[i]
    expected_m, expected_s = kepler_range_and_time(alt_km * 1e3, speed, gamma)
    assert coasting.status[i] == flight.FlightStatus.IMPACT
    assert abs(coasting.downrange_m[i] - expected_m) < RANGE_TOLERANCE_M
    assert abs(coasting.flight_time_s[i] - expected_s) < TIME_TOLERANCE_S
    half_meridian_m = math.pi * SPHERE_RADIUS_M
    assert bool(coasting.past_antipode[i]) == (expected_m > half_meridian_m)
    if expected_m > half_meridian_m:  # the geodesic between the two points turns back; the range flown does not
        assert coasting.range_m[i] == pytest.approx(2.0 * half_meridian_m - expected_m, abs=RANGE_TOLERANCE_M)


def test_the_cases_span_twelve_thousand_km_to_past_the_antipode():
    ranges = [kepler_range_and_time(a * 1e3, v, g)[0] for a, v, g in NEAR_CIRCULAR]
    assert min(ranges) < 12_700e3 and max(ranges) > 28_000e3
    assert sum(16_000e3 <= r <= 18_000e3 for r in ranges) >= 3


def test_a_steep_flight_that_drifts_back_is_not_counted_past_the_antipode(topol):
    # launched almost straight up, it comes down a little west of the pad on the rotating Earth: behind the start
    # along its heading, but a small fraction of a turn in inertia
    f = flight.fly_launch(topol, catalog.site("Teykovo"), 90.0, 0.5)
    assert f.landed[0] and not f.past_antipode[0]
    assert f.downrange_m[0] == pytest.approx(f.range_m[0])


# Sarmat routes from Uzhur: (bearing deg, distance km). Due south the track runs over the South Pole onto the
# 90 deg W meridian that leads on to the central US; 10 deg east of south the launch gains the Earth's rotation.
SARMAT_ROUTES = [(180.0, 16_000.0), (180.0, 16_500.0), (170.0, 18_000.0)]


@pytest.fixture(scope="module")
def sarmat_flights():
    uzhur = catalog.site("Uzhur")
    aims = []
    for bearing, distance_km in SARMAT_ROUTES:
        lat, lon = earth.geodesic_direct(uzhur.latitude_deg, uzhur.longitude_deg, bearing, distance_km * 1e3, MODEL)
        aims.append(earth.Site(f"{bearing:g} deg, {distance_km:,.0f} km", float(lat), float(lon), 0.0))
    return aiming.fly("RS-28 Sarmat", [uzhur] * len(aims), aims, history=False)


def test_the_sarmat_lands_on_its_long_routes_over_the_south_pole(sarmat_flights):
    f = sarmat_flights
    assert np.all(f.landed)
    assert np.all(f.miss_m() < AIM_TOLERANCE_M), f.miss_m()
    assert f.downrange_km == pytest.approx([d for _, d in SARMAT_ROUTES], abs=0.5)
    impact = f.impact()
    assert impact["latitude_deg"][1] < -85.0 and impact["longitude_deg"][1] == pytest.approx(-90.2, abs=1.0)  # past the pole
    # no numerical trouble: finite everywhere, suborbital at burnout, a flight time of a near-orbital lob
    burnout = f.burnout()
    assert all(np.all(np.isfinite(v)) for v in burnout.values())
    assert np.all((f.flight_time_s > 2_000.0) & (f.flight_time_s < 3_000.0))


def test_the_sarmat_burnout_states_against_the_two_body_closed_form(sarmat_flights):
    f = sarmat_flights
    gm = MODEL.gm_m3_s2
    for i in range(len(f)):
        state = f.summary[i, P.O_BURNOUT_STATE:P.O_BURNOUT_STATE + 6]
        r, v = state[:3], state[3:]
        end = f.summary[i, P.O_END_STATE:P.O_END_STATE + 3]
        rn, vn = np.linalg.norm(r), np.linalg.norm(v)
        normal = np.cross(r, v) / np.linalg.norm(np.cross(r, v))
        flown_rad = math.atan2(np.dot(np.cross(r, end), normal), np.dot(r, end)) % (2.0 * math.pi)
        # energy: more than the two-body minimum for the transfer flown (Lambert's minimum-energy ellipse from the
        # burnout point to the impact point: semi-major axis s / 2, s the semi-perimeter of the triangle of the two
        # radii and the chord), less than circular speed: a suborbital flight that spends little above the minimum
        r_end = np.linalg.norm(end)
        semi_perimeter = 0.5 * (rn + r_end + np.linalg.norm(end - r))
        v_minimum = math.sqrt(gm * (2.0 / rn - 2.0 / semi_perimeter))
        assert v_minimum < vn < math.sqrt(gm / rn), (i, v_minimum, vn)
        assert vn / v_minimum < 1.02
        # the two-body conic through the burnout state: where it comes down to the impact radius, the atmosphere
        # and J2 only take range away; where it does not, only the air brings the flight down
        h = np.linalg.norm(np.cross(r, v))
        energy = 0.5 * vn * vn - gm / rn
        p = h * h / gm
        e = math.sqrt(1.0 + 2.0 * energy * h * h / gm**2)
        cosine = (p / np.linalg.norm(end) - 1.0) / e
        if abs(cosine) <= 1.0:
            f0 = math.atan2(np.dot(r, v) * h / (gm * e * rn), (p / rn - 1.0) / e)
            kepler_rad = 2.0 * math.pi - math.acos(cosine) - f0
            assert flown_rad < kepler_rad
        else:
            assert p / (1.0 + e) > np.linalg.norm(end)  # its perigee lies above the impact point
        # the same burnout state coasting on the textbook Earth: the closed form to 0.5 km and 0.5 s
        lat = math.degrees(math.asin(r[2] / rn))
        lon = math.degrees(math.atan2(r[1], r[0]))
        up = r / rn
        north = np.array([-math.sin(math.radians(lat)) * math.cos(math.radians(lon)),
                          -math.sin(math.radians(lat)) * math.sin(math.radians(lon)), math.cos(math.radians(lat))])
        east = np.cross(north, up)
        gamma = math.degrees(math.asin(np.dot(v, up) / vn))
        azimuth = math.degrees(math.atan2(np.dot(v, east), np.dot(v, north)))
        textbook = flight.fly_burnout(lat, lon, rn - SPHERE_RADIUS_M, vn, gamma, azimuth, catalog.missile("RS-28 Sarmat"),
                                      earth="spherical-nonrotating", atmosphere="none")
        h_sphere = rn * vn * math.cos(math.radians(gamma))
        e_sphere = math.sqrt(1.0 + 2.0 * (0.5 * vn * vn - SPHERE_GM_M3_S2 / rn) * h_sphere**2 / SPHERE_GM_M3_S2**2)
        if h_sphere**2 / SPHERE_GM_M3_S2 / (1.0 + e_sphere) < SPHERE_RADIUS_M:
            expected_m, expected_s = kepler_range_and_time(rn - SPHERE_RADIUS_M, vn, gamma)
            assert textbook.status[0] == flight.FlightStatus.IMPACT
            assert abs(textbook.downrange_m[0] - expected_m) < RANGE_TOLERANCE_M
            assert abs(textbook.flight_time_s[0] - expected_s) < TIME_TOLERANCE_S
        else:  # in vacuum it never comes down: an orbit, which the flight kernel says rather than inventing a range
            assert textbook.status[0] == flight.FlightStatus.MAX_TIME


def test_the_sarmat_reach_due_south_is_measured_on_the_track(sarmat_flights):
    # 17,000 km due south lies beyond every flight that comes down on that track (16,661 km): the route is
    # refused as beyond reach with that number, not left unconverged. The bearing's own scan sees farther
    # (18,400 km at full burn on 180 deg, but 400 km east of the track): near orbital speed the range turns
    # sharply with the azimuth.
    uzhur = catalog.site("Uzhur")
    lat, lon = earth.geodesic_direct(uzhur.latitude_deg, uzhur.longitude_deg, 180.0, 17_000e3, MODEL)
    routes = aiming.aim_routes(catalog.missile("RS-28 Sarmat"), np.array([uzhur.latitude_deg]),
                               np.array([uzhur.longitude_deg]), np.zeros(1), np.atleast_1d(lat), np.atleast_1d(lon),
                               aiming.TrajectoryShape())
    assert routes.status[0] == A.AIM_BEYOND_REACH
    assert 16_000e3 < routes.reach_m[0] < 17_000e3
    assert "beyond the reach of RS-28 Sarmat" in routes.reasons[0]


def test_an_eastward_launch_near_orbital_speed_reaches_every_point_of_its_track():
    # the Sarmat 10 deg east of south from Uzhur: some full burns go into orbit, so the reach is unbounded
    uzhur = catalog.site("Uzhur")
    lat, lon = earth.geodesic_direct(uzhur.latitude_deg, uzhur.longitude_deg, 170.0, 15_000e3, MODEL)
    reach_m, _ = aiming.max_range_m(catalog.missile("RS-28 Sarmat"), uzhur.latitude_deg, uzhur.longitude_deg, lat, lon)
    assert np.isinf(reach_m[0])


def test_the_south_pole_route_to_the_us_is_beyond_any_ballistic_range():
    # the long way round the great circle from the Sarmat's bases to the US cities of its threat set
    built = {t.name: t for t in scenario.load("epaa-as-built").threats}
    sarmat = built["RS-28 Sarmat to the US"]
    meridian_m = 2.0 * float(earth.geodesic_inverse(90.0, 0.0, -90.0, 0.0, MODEL)[0])
    for launch in sarmat.launch_areas:
        for aim in sarmat.aim_points:
            a, b = catalog.site(launch), catalog.site(aim)
            short_m = float(earth.geodesic_inverse(a.latitude_deg, a.longitude_deg, b.latitude_deg, b.longitude_deg,
                                                   MODEL)[0])
            assert meridian_m - short_m > 29_000e3 > 18_900e3  # the published 18,000 km and its band's high


# --- range classes from the physics --------------------------------------------------------------------

@pytest.mark.parametrize("range_km, expected", [
    (300.0, "SRBM"), (1_000.0, "SRBM"), (1_000.001, "MRBM"), (3_000.0, "MRBM"), (3_000.5, "IRBM"),
    (5_500.0, "IRBM"), (5_500.01, "ICBM"), (18_000.0, "ICBM"), (math.inf, "ICBM")])
def test_range_class_bounds(range_km, expected):
    assert catalog.range_class(range_km) == expected


@pytest.mark.parametrize("bad", [0.0, -5.0, math.nan, True, "5500"])
def test_range_class_refuses_what_is_not_a_range(bad):
    with pytest.raises(InputError, match="give a maximum range in km"):
        catalog.range_class(bad)


def test_range_class_sources_are_entries():
    assert set(catalog.RANGE_CLASS_SOURCES) <= set(catalog.load().sources)


@pytest.mark.parametrize("name, role, expected", [
    ("Bulava", "SLBM", "ICBM"),  # an SLBM of 8,000 km is of intercontinental range
    ("Shahab-3", "MRBM", "MRBM"),
    ("Iran-IRBM 2026", "IRBM", "IRBM"),
    ("RS-28 Sarmat", "ICBM", "ICBM"),
    ("R-36orb", "FOBS", "ICBM"),  # a fractional orbit has no range limit
])
def test_range_class_from_the_flown_range_beside_the_role(name, role, expected):
    found = aiming.range_class_of(name)
    assert (found.role, found.range_class) == (role, expected)
    assert found.range_class == catalog.range_class(found.range_km)
    assert name in str(found) and expected in str(found)


def test_the_oreshnik_sits_on_the_intermediate_intercontinental_boundary():
    # sized to 'somewhat more than 3,400 miles' (DOD24_ORESHNIK): its class turns on a few km of 5,500
    found = aiming.range_class_of("Oreshnik")
    assert found.role == "IRBM" and abs(found.range_km - 5_500.0) < 50.0
    assert found.range_class == ("ICBM" if found.range_km > 5_500.0 else "IRBM")
