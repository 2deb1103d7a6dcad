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

The envelope's two compiled steps are checked against their NumPy references on a whole fan: the
ground ranges (Vincenty's inverse) against Karney's geodesics (pyproj) within 1 mm, and the
crossings of the altitude rows against ``np.gradient`` and ``np.interp`` over each branch made
monotonic, to rounding (1e-9 relative).
"""

import numpy as np
import pytest

from shieldcheck import earth, reach, scipy_flight
from shieldcheck.engine import pack as P
from shieldcheck.engine import results as R
from shieldcheck.engine.engage import ground_ranges
from shieldcheck.flight import fly_launch

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


@pytest.fixture(scope="module")
def fan(test_interceptor):
    """One fan of fly-outs from latitude 40 at azimuth 60, as the envelope flies it: compact tracks,
    their counts and their ground ranges from the site."""
    model = earth.earth_model(earth.DEFAULT_EARTH)
    flights = fly_launch(test_interceptor, earth.site(40.0, 0.0), 60.0, reach.KICKS_DEG[::6], tracks=True,
                         integrator=reach.Integrator(history_spacing_s=reach.FLYOUT_SPACING_S, max_flight_time_s=3_600.0))
    tracks = np.asarray(flights.tracks)
    counts = flights.summary[:, P.O_HISTORY_COUNT].astype(np.int64)
    ground = np.zeros(tracks.shape[:2])
    ground_ranges(tracks, counts, np.radians(40.0), 0.0, model.equatorial_radius_m, model.flattening, ground)
    return tracks, counts, ground, model


def test_ground_ranges_match_karney_within_a_millimetre(fan):
    tracks, counts, ground, model = fan
    recorded = np.arange(tracks.shape[1])[None, :] < counts[:, None]
    normal = tracks[recorded][:, R.T_NORMAL:R.T_NORMAL + 3]
    lat = np.degrees(np.arctan2(normal[:, 2], np.hypot(normal[:, 0], normal[:, 1])))
    lon = np.degrees(np.arctan2(normal[:, 1], normal[:, 0]))
    karney, _ = earth.geodesic_inverse(40.0, 0.0, lat, lon, model)
    assert karney.max() > 1_000e3 and recorded.sum() > 1_000
    assert np.max(np.abs(ground[recorded] - karney)) < 1e-3


def test_crossings_match_numpy_gradient_and_interp(fan):
    tracks, counts, ground, _ = fan
    levels = np.maximum(np.arange(0.0, 2_000e3, reach.ALTITUDE_STEP_M), 1.0)
    crossings = np.empty((len(counts), 2, 4, levels.size))
    reach._branch_crossings(tracks, counts, ground, levels, crossings)
    for k, n in enumerate(counts):
        t, h, r = tracks[k, :n, R.T_TIME], tracks[k, :n, R.T_HEIGHT], ground[k, :n]
        columns = [t, r, np.gradient(r, t), np.gradient(h, t)]
        apex = int(np.argmax(h))
        for branch, part in enumerate((np.arange(apex + 1), np.arange(n - 1, apex - 1, -1))):
            keep = part[np.r_[True, np.diff(np.maximum.accumulate(h[part])) > 0]]  # new highs, from the ground up
            inside = (levels >= h[keep][0]) & (levels <= h[keep][-1])
            assert inside.any()
            for c, column in enumerate(columns):
                expected = np.where(inside, np.interp(levels, h[keep], column[keep]), np.nan)
                np.testing.assert_allclose(crossings[k, branch, c], expected, rtol=1e-9, atol=1e-9)
