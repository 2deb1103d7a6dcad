"""The test ranges (test_ranges.toml) and the radars' measurement fields: every range loads with its
position, azimuth band and sources; a range placed at a site takes the site's position; the radars of
both sides that `shieldcheck verify` needs are there with their noise; and a broken entry gives one line
naming file, key and value."""

import math

import pytest

from shieldcheck import catalog, limits
from shieldcheck.catalog import Catalog, TestRange
from shieldcheck.errors import InputError
from shieldcheck.sensors import Radar
from test_catalog_ranges import _edit

NEEDED_RANGES = ("Pacific Missile Range Facility", "Reagan Test Site", "Hebrides Range", "Andoya", "Deveselu",
                 "Redzikowo", "Kapustin Yar", "Sary Shagan", "Plesetsk", "Kura")


def test_every_test_range_loads_with_a_position_and_sources():
    ranges = catalog.test_ranges()
    assert {r.name for r in ranges} >= set(NEEDED_RANGES)
    for r in ranges:
        assert isinstance(r, TestRange)
        assert -90.0 <= r.latitude_deg <= 90.0 and -180.0 <= r.longitude_deg <= 360.0, r.name
        assert r.sources and all(isinstance(s, str) and s for s in r.sources), r.name
        assert r.country and r.kind in catalog.TEST_RANGE_KINDS
        if r.azimuth_band_deg is not None:
            low, high = r.azimuth_band_deg
            assert 0.0 <= low < 360.0 and low < high <= low + 360.0, r.name


def test_a_range_at_a_site_takes_the_sites_position():
    for name in ("Deveselu", "Redzikowo", "Kapustin Yar", "Plesetsk"):
        place, site = catalog.test_range(name), catalog.site(name)
        assert (place.latitude_deg, place.longitude_deg, place.height_m) == (site.latitude_deg, site.longitude_deg,
                                                                            site.height_m)
        assert catalog.load().site_sources(name)[0] in place.sources  # the site's citation comes along
    assert catalog.test_range("Deveselu").azimuth_band_deg is None  # no test flown from a deployed site


def test_names_and_aliases_resolve():
    assert catalog.test_range("PMRF").name == "Pacific Missile Range Facility"
    assert catalog.test_range("kwajalein").name == "Reagan Test Site"
    assert catalog.test_range("Andøya").name == "Andoya"
    assert catalog.test_range("Priozersk").site.name == "Sary Shagan"


def test_published_values_as_read():
    # the Andøya pad and its hazard sector, N 69 deg 17' 40'', E 16 deg 01' 11'', 290-350 deg (ASC20_HAZARD)
    andoya = catalog.test_range("Andoya")
    assert andoya.latitude_deg == pytest.approx(69 + 17 / 60 + 40 / 3600, abs=1e-5)
    assert andoya.longitude_deg == pytest.approx(16 + 1 / 60 + 11 / 3600, abs=1e-5)
    assert andoya.azimuth_band_deg == (290.0, 350.0)
    # the Plesetsk-Kura band holds the great-circle bearing between the two catalog points (tolerance: the band)
    from pyproj import Geod

    plesetsk, kura = catalog.test_range("Plesetsk"), catalog.test_range("Kura")
    bearing, _, distance_m = Geod(ellps="WGS84").inv(plesetsk.longitude_deg, plesetsk.latitude_deg,
                                                     kura.longitude_deg, kura.latitude_deg)
    low, high = plesetsk.azimuth_band_deg
    assert low < bearing % 360.0 < high
    assert distance_m / 1e3 == pytest.approx(5_700.0, rel=0.03)  # "Plesetsk to Kura, 5,700 km" (WP_KURA)


def test_an_unknown_range_is_one_line():
    with pytest.raises(InputError) as caught:
        catalog.test_range("Pacific Missile Range")
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("test_range: 'Pacific Missile Range' is not an allowed choice")
    assert "Did you mean 'Pacific Missile Range Facility'" in message and "shieldcheck catalog test-ranges" in message
    with pytest.raises(InputError, match="give the name of one of the catalog's test ranges"):
        catalog.test_range("  ")


def test_the_radars_verify_needs_are_there():
    cat = catalog.load()
    for name, site in (("Voronezh-DM Pionersky", "Pionersky"), ("Voronezh-M Lekhtusi", "Lekhtusi"),
                       ("Voronezh-DM Armavir", "Armavir"), ("Dnepr-Daugava Olenegorsk", "Olenegorsk"),
                       ("UEWR Cape Cod", "Cape Cod"), ("UEWR Clear", "Clear"), ("UEWR Beale", "Beale"),
                       ("UEWR Fylingdales", "Fylingdales"), ("UEWR Thule", "Thule"), ("Globus II Vardo", "Vardo")):
        radar = cat.sensor(name)
        assert isinstance(radar, Radar) and radar.site.name == site, name


def test_every_radar_carries_its_measurement_noise_with_a_band():
    cat = catalog.load()
    radars = [name for name, record in cat.sensors.items() if record.kind == "radar"]
    assert len(radars) >= 16
    for name in radars:
        radar, record = cat.sensor(name), cat.sensors[name]
        for field in Radar.MEASUREMENT_FIELDS + Radar.BIAS_FIELDS:
            value = getattr(radar, field)
            assert value is not None and math.isfinite(value) and value >= 0.0, (name, field)
            cited = getattr(record, field)
            assert cited.estimate and cited.ranged and cited.low <= value <= cited.high and cited.basis, (name, field)
        assert radar.update_interval_s > 0.0


def test_a_radar_without_measurement_fields_has_none():
    site = catalog.site("Kurecik")
    radar = Radar("bare", site, 0.0, 60.0, 1.0, 80.0, 1000.0, 1.0, 10.0)
    assert all(getattr(radar, field) is None for field in Radar.MEASUREMENT_FIELDS + Radar.BIAS_FIELDS)


@pytest.mark.parametrize("field, value", [("range_noise_m", -1.0), ("angle_noise_mrad", math.nan),
                                          ("range_rate_noise_m_s", math.inf), ("update_interval_s", 0.0),
                                          ("range_bias_m", -0.5), ("angle_bias_mrad", math.inf),
                                          ("range_rate_bias_m_s", math.nan)])
def test_a_bad_noise_is_one_line_from_the_record(field, value):
    site = catalog.site("Kurecik")
    with pytest.raises(InputError) as caught:
        Radar("bad", site, 0.0, 60.0, 1.0, 80.0, 1000.0, 1.0, 10.0, **{field: value})
    assert str(caught.value).startswith(f"radar 'bad': {field} = ") and "\n" not in str(caught.value)
    assert limits.bound(field).words in str(caught.value)


def test_a_negative_noise_in_the_file_names_file_line_and_value(data_copy):
    sensors = data_copy / "sensors.toml"
    text = sensors.read_text(encoding="utf-8")
    start = text.index('name = "UEWR Cape Cod"')
    head, tail = text[:start], text[start:]
    old = 'range_noise_m = { value = 15.0, source = "MODEL", estimate = true'
    assert old in tail
    tail = tail.replace(old, 'range_noise_m = { value = -15.0, source = "MODEL", estimate = true', 1)
    tail = tail.replace("low = 3.0, high = 100.0", "low = -20.0, high = 100.0", 1)
    sensors.write_text(head + tail, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        Catalog(data_copy)
    message = str(caught.value)
    assert "sensors.toml" in message and "'UEWR Cape Cod'" in message and "range_noise_m.value = -15.0" in message
    assert "is outside 0 to 10,000 m" in message and "\n" not in message


def test_a_negative_bias_in_the_file_names_file_line_and_value(data_copy):
    sensors = data_copy / "sensors.toml"
    text = sensors.read_text(encoding="utf-8")
    start = text.index('name = "Voronezh-DM Armavir"')
    head, tail = text[:start], text[start:]
    old = 'range_bias_m = { value = 20.0, source = "MODEL"'
    assert old in tail
    tail = tail.replace(old, 'range_bias_m = { value = -20.0, source = "MODEL"', 1)
    tail = tail.replace("low = 5.0, high = 80.0", "low = -40.0, high = 80.0", 1)  # its band, so the value is checked
    sensors.write_text(head + tail, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        Catalog(data_copy)
    message = str(caught.value)
    assert "sensors.toml" in message and "'Voronezh-DM Armavir'" in message and "range_bias_m.value = -20.0" in message
    assert "is outside 0 to 10,000 m" in message and "\n" not in message


def test_noise_on_an_infrared_sensor_is_refused(data_copy):
    _edit(data_copy / "sensors.toml", 'kind = "infrared-satellite"\n',
          'kind = "infrared-satellite"\nrange_noise_m = { value = 1.0, source = "MODEL", estimate = false }\n')
    with pytest.raises(InputError, match="range_noise_m: measurement noise is for radars, not for kind = 'infrared-satellite'"):
        Catalog(data_copy)


def test_a_range_at_an_unknown_site(data_copy):
    _edit(data_copy / "test_ranges.toml", 'site = "Deveselu"', 'site = "Deveselo"')
    with pytest.raises(InputError, match=r"test_ranges.toml: test_range 'Deveselu': site: 'Deveselo' is not an "
                                         r"allowed choice; .*Did you mean 'Deveselu'"):
        Catalog(data_copy)


def test_a_range_with_both_a_site_and_coordinates(data_copy):
    _edit(data_copy / "test_ranges.toml", 'site = "Redzikowo"\n',
          'site = "Redzikowo"\nlatitude_deg = { value = 54.5, source = "MODEL", estimate = true }\n')
    with pytest.raises(InputError, match="test_range\\[5\\] \\('Redzikowo'\\): give either site .* not both"):
        Catalog(data_copy)


def test_a_band_the_wrong_way_round(data_copy):
    _edit(data_copy / "test_ranges.toml", "low_deg = 290.0, high_deg = 350.0", "low_deg = 350.0, high_deg = 290.0")
    with pytest.raises(InputError, match="test_ranges.toml.*'Andoya'.*need 0 <= low_deg < 360 and low_deg < high_deg"):
        Catalog(data_copy)


def test_a_latitude_out_of_bounds(data_copy):
    _edit(data_copy / "test_ranges.toml", "value = 57.33333", "value = 97.33333")
    with pytest.raises(InputError, match="'Kura'.*latitude_deg = 97.33333 is outside -90 to 90 deg"):
        Catalog(data_copy)


def test_a_range_citing_an_unknown_source(data_copy):
    _edit(data_copy / "test_ranges.toml", 'source = "ASC20_HAZARD", estimate = true', 'source = "ASC21_HAZARD", '
          'estimate = true')
    with pytest.raises(InputError, match="test_ranges.toml: test_range 'Andoya': source: 'ASC21_HAZARD' is not an "
                                         "allowed choice"):
        Catalog(data_copy)


def test_the_1997_texts_are_dated_sources():
    sources = catalog.load().sources
    assert str(sources["HEL97"].date) == "1997-03-21"
    for key in ("ABM97_AS1", "ABM97_AS2", "ABM97_SCC", "CBMA97"):
        assert str(sources[key].date) == "1997-09-26", key
