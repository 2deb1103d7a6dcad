"""Threat sets that draw launch points in their launch areas (``launch_samples``): the flights they
yield, named by area and reproducible by seed, the assessment's flight rows that carry the drawn
points, and one-line errors naming the file, line, key, value and what is allowed."""

import numpy as np
import pytest
import scenarios

from shieldcheck import assess, launch_areas, scenario
from shieldcheck.earth import EARTH_MODELS, geodesic_inverse
from shieldcheck.errors import InputError


def test_sampled_threat_set_yields_points_in_each_area_named_by_the_area(tmp_path):
    (threat,) = scenarios.load(tmp_path, scenarios.SAMPLED).threats
    flights = threat.flights()
    # 3 points each in Teykovo and the Barents Sea, Tabriz (no area) once; x 2 aims x 1 missile x 1 trajectory
    assert len(flights) == (3 + 1 + 3) * 2
    assert [f.launch for f in flights[::2]] == ["Teykovo"] * 3 + ["Tabriz"] + ["Barents Sea patrol point"] * 3
    by_area = {}
    for f in flights:
        by_area.setdefault(f.launch, set()).add((f.launch_latitude_deg, f.launch_longitude_deg))
    assert by_area["Tabriz"] == {(None, None)}  # its reference point, flown from the catalog site
    # each drawn point goes to both aim points: 3 distinct points per area
    assert len(by_area["Teykovo"]) == 3 and len(by_area["Barents Sea patrol point"]) == 3
    lat, lon = launch_areas.sample("Teykovo", 3, seed=5)
    assert sorted(by_area["Teykovo"]) == sorted(zip(lat.tolist(), lon.tolist()))
    teykovo = launch_areas.area("Teykovo")
    distance_m, _ = geodesic_inverse(teykovo.latitude_deg, teykovo.longitude_deg, lat, lon,
                                     EARTH_MODELS["wgs84-j2-rotating"])
    assert (distance_m <= 100_000.0).all()


def test_same_seed_same_flights_other_seed_other_points(tmp_path):
    first = scenarios.load(tmp_path, scenarios.SAMPLED, "a.toml").flights()
    again = scenarios.load(tmp_path, scenarios.SAMPLED, "b.toml").flights()
    other = scenarios.load(tmp_path, scenarios.SAMPLED.replace("seed = 5", "seed = 6"), "c.toml").flights()
    assert first == again
    assert [f[:4] for f in first] == [f[:4] for f in other] and first != other


def test_without_launch_samples_every_flight_starts_at_the_reference_point(tmp_path):
    text = scenarios.SAMPLED.replace("launch_samples = 3\nseed = 5\n", "")
    (threat,) = scenarios.load(tmp_path, text).threats
    assert len(threat.flights()) == 3 * 2
    assert {f[4:] for f in threat.flights()} == {(None, None)}


def test_area_radius_km_overrides_the_catalog_radius(tmp_path):
    text = scenarios.SAMPLED.replace("seed = 5\n", "seed = 5\narea_radius_km = 10.0\n")
    (threat,) = scenarios.load(tmp_path, text).threats
    points = np.array([f[4:] for f in threat.flights() if f.launch == "Teykovo"])
    teykovo = launch_areas.area("Teykovo")
    distance_m, _ = geodesic_inverse(teykovo.latitude_deg, teykovo.longitude_deg, points[:, 0], points[:, 1],
                                     EARTH_MODELS["wgs84-j2-rotating"])
    assert (distance_m <= 10_000.0).all()
    # the patrol polygon is not a radius: its points are those of the unchanged draw
    plain = scenarios.load(tmp_path, scenarios.SAMPLED, "plain.toml").threats[0].flights()
    assert [f for f in threat.flights() if f.launch.startswith("Barents")] == [
        f for f in plain if f.launch.startswith("Barents")]


def test_groups_sample_too_and_the_scenario_counts_sampled_flights(tmp_path):
    text = scenarios.ONE_SITE + """\
[[threats]]
name = "Bases"
purpose = "russian-concern"
aim_points = ["Washington"]
trajectories = ["minimum-energy"]
launch_samples = 2

  [[threats.group]]
  launch_areas = ["Kozelsk", "Uzhur"]
  missiles = ["Yars"]

  [[threats.group]]
  launch_areas = ["Sea of Okhotsk patrol point"]
  missiles = ["Bulava"]
"""
    s = scenarios.load(tmp_path, text)
    assert len(s.flights()) == 3 * 2
    assert {(f.launch, f.missile) for f in s.flights()} == {("Kozelsk", "Yars"), ("Uzhur", "Yars"),
                                                            ("Sea of Okhotsk patrol point", "Bulava")}
    assert "6 flights" in repr(s)


def test_assessment_flight_rows_keep_the_area_and_carry_the_point(tmp_path):
    s = scenarios.load(tmp_path, scenarios.SAMPLED)
    rows = assess.distinct_flights(s)
    assert len(rows) == len(s.threats[0].flights())  # every drawn point is its own flight
    assert {r["launch"] for r in rows} == {"Teykovo", "Tabriz", "Barents Sea patrol point"}
    from shieldcheck import catalog

    cat = catalog.load()
    sites = [assess._launch_site(cat, r) for r in rows]
    for r, site in zip(rows, sites):
        assert (r["launch_latitude_deg"], r["launch_longitude_deg"]) == (site.latitude_deg, site.longitude_deg)
        if r["launch"] == "Tabriz":
            assert site == cat.site("Tabriz")  # the reference point, with the catalog's height
        else:
            assert site.name == r["launch"] and site != cat.site(r["launch"])
    assert {"launch", "launch_latitude_deg", "launch_longitude_deg"} <= set(assess.SCHEMA_COLUMNS)


def test_sampled_flights_are_flown_from_their_drawn_points(tmp_path):
    """fly_threats starts each flight at its drawn point: the flown launch coordinates are the draw's."""
    text = scenarios.SAMPLED.replace('"Teykovo", "Tabriz", "Barents Sea patrol point"', '"Teykovo"').replace(
        '["Washington", "Boston"]', '["Washington"]').replace("launch_samples = 3", "launch_samples = 2")
    s = scenarios.load(tmp_path, text)
    flown = assess.fly_threats(s)
    lat, lon = launch_areas.sample("Teykovo", 2, seed=5)
    assert [r["status"] for r in flown.rows] == ["flown", "flown"]
    order = np.argsort(flown.flown_ids)
    np.testing.assert_allclose(flown.flown.launch_latitude_deg[order], lat, atol=1e-12)
    np.testing.assert_allclose(flown.flown.launch_longitude_deg[order], lon, atol=1e-12)
    assert [r["launch"] for r in flown.rows] == ["Teykovo", "Teykovo"]


@pytest.mark.parametrize("change, expected", [
    (("launch_samples = 3", "launch_samples = 0"),
     ":27: threats[1].launch_samples = 0 is outside 1 to 1,000 launch points"),
    (("launch_samples = 3", "launch_samples = 5000"), ":27: threats[1].launch_samples = 5000 is outside 1 to 1,000"),
    (("launch_samples = 3", "launch_samples = 2.5"), ":27: threats[1].launch_samples = 2.5: Input should be a "
                                                     "valid integer"),
    (("seed = 5", "seed = -2"), ":28: threats[1].seed = -2 is outside 0 to 9"),
    (("seed = 5", "seed = 5\narea_radius_km = -3.0"),
     ":29: threats[1].area_radius_km = -3.0 is outside 0 (excluded) to 1,000 km"),
    (("launch_samples = 3\n", ""), ":27: threats[1].seed = 5: seed has no effect without launch_samples; "
                                   "allowed: give launch_samples = N too"),
    (("launch_samples = 3", "launch_sample = 3"), ":27: threats[1].launch_sample = 3: unknown key 'launch_sample'. "
                                                  "Did you mean 'launch_samples'"),
])
def test_bad_sampling_keys_give_one_line_with_file_line_key_value_and_allowed(tmp_path, change, expected):
    path = scenarios.write(tmp_path, scenarios.SAMPLED.replace(*change), "bad.toml")
    with pytest.raises(InputError) as info:
        scenario.load(path)
    message = str(info.value)
    assert "\n" not in message and message.startswith(str(path))
    assert expected in message, message
