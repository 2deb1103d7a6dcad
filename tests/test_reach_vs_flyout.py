"""Interceptor reach envelopes against independent fly-out integrations.

Reference: fly-outs at kick angles between the fan's members, integrated by
``shieldcheck.scipy_flight`` (DOP853, rtol 1e-11) and sampled every 10 s from 20 s on: the
envelope's earliest arrival time at each sampled point (ground range, altitude) must equal the
sample's time within 1.5 s on the climbing branch, and never be later than it by more than that
(the envelope is the earliest time over all fly-outs). Measured when written: 0.02 s inside the
fan, 1.27 s at worst in the cells at its edge, where the near-vertical fly-out leaves grid nodes
unreachable and the envelope averages the reachable corners. The interceptor is a stated test vehicle (two solid stages,
about 4 km/s), not a catalog entry.
"""

import numpy as np
import pytest

from shieldcheck import earth, reach, scipy_flight
from shieldcheck.vehicles import DragTable, Missile, Stage

BODY = DragTable("test body", (0.0, 1.0, 2.0, 5.0), (0.3, 0.5, 0.35, 0.25))
TEST_INTERCEPTOR = Missile(
    "test interceptor",
    (Stage(1_200.0, 1_000.0, 12.0, 265.0, 240.0, 0.53), Stage(450.0, 380.0, 25.0, 285.0, 285.0, 0.53)),
    60.0, 30.0, 0.3, BODY, BODY, 2.0, 3.0)
TIME_TOLERANCE_S = 1.5


@pytest.fixture(scope="module")
def envelope():
    return reach.build_envelope(TEST_INTERCEPTOR, latitude_deg=40.0, azimuth_deg=60.0)


@pytest.mark.parametrize("kick_deg", [7.3, 27.1, 52.6])
def test_envelope_matches_independent_flyouts(envelope, kick_deg):
    model = earth.earth_model(earth.DEFAULT_EARTH)
    times = np.arange(20.0, 400.0, 10.0)
    ref = scipy_flight.fly_one_scipy(TEST_INTERCEPTOR, 40.0, 0.0, 60.0, kick_deg, sample_times_s=times)
    samples = ref["samples_eci"]
    position = earth.ecef_from_eci(samples[:, 1:4], samples[:, 0], model.rotation_rate_rad_s)
    lat, lon, height = earth.geodetic_from_ecef(position, model)
    ground, _ = earth.geodesic_inverse(40.0, 0.0, np.degrees(lat), np.degrees(lon), model)
    keep = height > 5_000.0
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


def test_envelopes_are_cached_per_bin():
    a = reach.envelope(TEST_INTERCEPTOR, 41.0, 58.0)
    b = reach.envelope(TEST_INTERCEPTOR, 39.0, 50.0)  # same bins: latitude 40, azimuth 45
    assert a is b
    assert reach.envelope(TEST_INTERCEPTOR, 41.0, 100.0) is not a
