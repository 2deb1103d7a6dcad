"""Interceptor reach envelopes against independent fly-out integrations.

Reference: fly-outs at kick angles between the fan's members, integrated by
``shieldcheck.scipy_flight`` (DOP853, rtol 1e-11) and sampled every 10 s from 20 s on: the
envelope's earliest arrival time at each sampled point (ground range, altitude) must equal the
sample's time within 1.5 s on the climbing branch, and never be later than it by more than that
(the envelope is the earliest time over all fly-outs). Measured when written: 0.1-0.6 s, the
worst in the cells at the fan's near-vertical edge, where the envelope averages the reachable
corners of a cell. Points below 30 km, under every intercept band, are left out: there the slow
climb makes the arrival time steep across a 5 km grid row. The interceptor is the stated test
vehicle of conftest.py (about 4.9 km/s), not a catalog entry.
"""

import numpy as np
import pytest

from shieldcheck import earth, reach, scipy_flight

TIME_TOLERANCE_S = 1.5


@pytest.fixture(scope="module")
def envelope(test_interceptor):
    return reach.build_envelope(test_interceptor, latitude_deg=40.0, azimuth_deg=60.0)


@pytest.mark.parametrize("kick_deg", [7.3, 27.1, 52.6])
def test_envelope_matches_independent_flyouts(envelope, test_interceptor, kick_deg):
    model = earth.earth_model(earth.DEFAULT_EARTH)
    times = np.arange(20.0, 400.0, 10.0)
    ref = scipy_flight.fly_one_scipy(test_interceptor, 40.0, 0.0, 60.0, kick_deg, sample_times_s=times)
    samples = ref["samples_eci"]
    position = earth.ecef_from_eci(samples[:, 1:4], samples[:, 0], model.rotation_rate_rad_s)
    lat, lon, height = earth.geodetic_from_ecef(position, model)
    ground, _ = earth.geodesic_inverse(40.0, 0.0, np.degrees(lat), np.degrees(lon), model)
    keep = height > 30_000.0  # below, the slow climb makes the time field steep across a 5 km cell
    predicted = envelope.earliest_s(ground[keep], height[keep])
    assert np.all(np.isfinite(predicted))
    # never later than this fly-out, and on its climbing branch no earlier than it by more than the tolerance
    assert np.all(predicted <= samples[keep, 0] + TIME_TOLERANCE_S), np.max(predicted - samples[keep, 0])
    climbing = np.r_[np.diff(height[keep]) > 0, False]
    assert np.all(np.abs(predicted - samples[keep, 0])[climbing] < TIME_TOLERANCE_S)


def test_envelope_is_unreachable_beyond_the_fan(envelope):
    assert np.isinf(envelope.earliest_s(envelope.max_range_m + 50e3, 100e3))
    assert np.isinf(envelope.earliest_s(100e3, envelope.max_altitude_m + 50e3))
    assert envelope.burnout_speed_m_s > 3_000.0 and envelope.build_s > 0.0


def test_envelopes_are_cached_per_bin(test_interceptor):
    a = reach.envelope(test_interceptor, 41.0, 58.0)
    b = reach.envelope(test_interceptor, 39.0, 50.0)  # same bins: latitude 40, azimuth 45
    assert a is b
    assert reach.envelope(test_interceptor, 41.0, 100.0) is not a


@pytest.mark.parametrize("programme, kick_deg", [("gravity-turn", 77.7), ("pitch-hold", 27.1), ("pitch-hold", 52.6)])
def test_envelope_is_never_later_than_any_flyout(envelope, test_interceptor, programme, kick_deg):
    """Including the caps near the flattest fly-outs' apogees and the held-attitude fan."""
    model = earth.earth_model(earth.DEFAULT_EARTH)
    ref = scipy_flight.fly_one_scipy(test_interceptor, 40.0, 0.0, 60.0, kick_deg, programme=programme,
                                     sample_times_s=np.arange(20.0, 400.0, 10.0))
    samples = ref["samples_eci"]
    position = earth.ecef_from_eci(samples[:, 1:4], samples[:, 0], model.rotation_rate_rad_s)
    lat, lon, height = earth.geodetic_from_ecef(position, model)
    ground, _ = earth.geodesic_inverse(40.0, 0.0, np.degrees(lat), np.degrees(lon), model)
    keep = height > 30_000.0
    assert keep.sum() >= 5
    assert np.all(envelope.earliest_s(ground[keep], height[keep]) <= samples[keep, 0] + TIME_TOLERANCE_S)


def test_envelopes_are_kept_on_disk_between_runs(test_interceptor, tmp_path, monkeypatch):
    monkeypatch.setenv("SHIELDCHECK_CACHE_DIR", str(tmp_path))
    reach._cached.cache_clear()
    first = reach.envelope(test_interceptor, -30.0, 180.0)
    stored = list((tmp_path / "envelopes").glob("*.npz"))
    assert len(stored) == 1
    reach._cached.cache_clear()  # a new run: nothing in memory

    def no_build(*args, **kwargs):
        raise AssertionError("the envelope was rebuilt instead of read from the disk cache")

    monkeypatch.setattr(reach, "build_envelope", no_build)
    again = reach.envelope(test_interceptor, -30.0, 180.0)
    np.testing.assert_array_equal(again.time_s, first.time_s)
    assert again.interceptor == first.interceptor and again.burnout_speed_m_s == first.burnout_speed_m_s
    reach._cached.cache_clear()
