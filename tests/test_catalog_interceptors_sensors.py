"""The interceptor and sensor catalog: every entry loads into a valid record with its sources,
names resolve with "did you mean", and broken entries give one line naming file, key and value."""


import pytest

from shieldcheck import catalog
from shieldcheck.catalog import Catalog
from shieldcheck.errors import InputError
from shieldcheck.sensors import InfraredWarning, Radar
from test_catalog_ranges import _edit



def test_every_interceptor_loads_with_sources_and_a_band():
    cat = catalog.load()
    assert {"SM-3 Block IA", "SM-3 Block IB", "SM-3 Block IIA", "SM-3 Block IIB", "THAAD"} <= set(cat.interceptors)
    for name, record in cat.interceptors.items():
        interceptor = cat.interceptor(name)
        assert interceptor.vehicle.sources
        assert record.burnout_speed_band_km_s.low <= record.burnout_speed_km_s.value <= record.burnout_speed_band_km_s.high
        assert 0.0 <= interceptor.min_intercept_altitude_m < interceptor.max_intercept_altitude_m
        # ideal delta-v above the stated burnout speed (gravity and drag losses to spend)
        assert interceptor.vehicle.ideal_delta_v_m_s > interceptor.burnout_speed_m_s


def test_every_sensor_loads():
    cat = catalog.load()
    kinds = {type(cat.sensor(name)) for name in cat.sensors}
    assert kinds == {Radar, InfraredWarning}
    tpy2 = catalog.sensor("TPY-2 Kurecik")
    assert tpy2.site.name == "Kurecik" and tpy2.reference_range_km > 0
    for site in ("Deveselu", "Redzikowo", "Fylingdales", "Gabala", "Armavir", "Brdy"):
        assert any(cat.sensors[n].site and site.lower() in cat.sensors[n].site.lower() for n in cat.sensors), site


def test_unknown_names_suggest():
    with pytest.raises(InputError, match="Did you mean 'SM-3 Block IIB' or 'SM-3 Block IIA'"):
        catalog.interceptor("SM-3 Block IIC")
    with pytest.raises(InputError, match="^sensor: 'AN/TPY-3 Kurecik' is not an allowed choice"):
        catalog.sensor("AN/TPY-3 Kurecik")



def test_sensor_at_an_unknown_site(data_copy):
    _edit(data_copy / "sensors.toml", 'site = "Kurecik"', 'site = "Kurecek"')
    with pytest.raises(InputError, match=r"sensors.toml: sensor 'AN/TPY-2 Kurecik': site: 'Kurecek' is not an allowed "
                                         r"choice; allowed: .* \(see sites.toml\)\. Did you mean 'Kurecik'"):
        Catalog(data_copy)


def test_radar_pointing_nowhere(data_copy):
    text = (data_copy / "sensors.toml").read_text()
    start = text.index('name = "AN/TPY-2 Kurecik"')
    head, tail = text[:start], text[start:]
    tail = tail.replace("azimuth_half_width_deg = { value = 60.0", "azimuth_half_width_deg = { value = 0.0", 1)
    tail = tail.replace("low = 50.0, high = 60.0", "low = 0.0, high = 60.0", 1)  # its range still holds the value
    (data_copy / "sensors.toml").write_text(head + tail)
    with pytest.raises(InputError, match="sensors.toml: radar 'AN/TPY-2 Kurecik' points nowhere"):
        Catalog(data_copy).sensor("AN/TPY-2 Kurecik")


def test_interceptor_with_negative_mass(data_copy):
    text = (data_copy / "interceptors.toml").read_text()
    start = text.index('name = "SM-3 Block IA"')
    head, tail = text[:start], text[start:]
    tail = tail.replace("gross_mass_kg = { value = 700.0", "gross_mass_kg = { value = -700.0", 1)
    (data_copy / "interceptors.toml").write_text(head + tail)
    with pytest.raises(InputError, match=r"interceptors.toml: missile 'SM-3 Block IA' stage 1: gross_mass_kg = -700.0"):
        Catalog(data_copy).interceptor("SM-3 Block IA")


def test_a_divert_beyond_the_burnout_speed_is_refused(data_copy):
    _edit(data_copy / "interceptors.toml", 'divert_km_s = { value = 1.0, source = "MODEL", estimate = true, low = 0.5, '
          'high = 1.5', 'divert_km_s = { value = 5.0, source = "MODEL", estimate = true, low = 0.5, high = 6.0')
    with pytest.raises(InputError, match=r"interceptors.toml:\d+: .*SM-3 Block IIA.*divert_km_s reaches 6 km/s, not below "
                                         r"the burnout speed of 4.5 km/s"):
        Catalog(data_copy).interceptor("SM-3 Block IIA")


def test_a_limit_outside_its_range_is_refused(data_copy):
    _edit(data_copy / "interceptors.toml", 'max_crossing_angle_deg = { value = 90.0', 'max_crossing_angle_deg = { value = 170.0')
    with pytest.raises(InputError, match=r"interceptors.toml:\d+: .*need low <= value <= high, got 60.0 <= 170.0 <= 150.0"):
        Catalog(data_copy).interceptor("SM-3 Block IA")
