"""Who can watch a test (``watch``): the other side's radars by country, and each radar's view of a test
flight by the sensors' own law (horizon, elevation, azimuth sector, detection range)."""

import numpy as np
import pytest

from shieldcheck import catalog
from shieldcheck.trial_flight import fly_trial
from shieldcheck.watch import other_side_radars, side, watch


@pytest.fixture(scope="module")
def trial():
    return fly_trial(catalog.interceptor("SM-3 Block IIA"), catalog.site("Deveselu"), 60.0)


def test_sides_and_the_other_sides_radars():
    assert side("Romania") == side("United States") == side("Greenland") == "NATO"
    assert side("Belarus") == side("Russia") == "Russia"
    assert side("Azerbaijan") == "Azerbaijan"
    watching_a_romanian_test = other_side_radars("Romania")
    assert "Voronezh-DM Armavir" in watching_a_romanian_test
    assert not {"AN/SPY-1 Deveselu", "UEWR Fylingdales"} & set(watching_a_romanian_test)
    assert "UEWR Fylingdales" in other_side_radars("Russia")


def test_armavir_sees_the_test_after_burnout_within_its_limits(trial):
    armavir, gabala = watch(trial, ["Voronezh-DM Armavir", "Daryal Gabala"])
    assert armavir.sees and armavir.first_detection_s > trial.burnout_time_s and not armavir.burnout_tracked
    radar = armavir.radar
    assert armavir.elevation_deg[armavir.seen].min() >= radar.min_elevation_deg
    assert armavir.elevation_deg[armavir.seen].max() <= radar.max_elevation_deg
    assert armavir.slant_range_m[armavir.seen].max() <= radar.detection_range_m(1.0)
    # first seen where the flight rises through the radar's lowest beam
    first = np.flatnonzero(armavir.seen)[0]
    assert armavir.elevation_deg[first - 1] < radar.min_elevation_deg <= armavir.elevation_deg[first]
    assert "sees it" in armavir.summary()
    assert not gabala.sees and gabala.reason_never == "outside the radar's azimuth sector"
    assert "never sees the test" in gabala.summary()


def test_a_radar_beside_the_launch_tracks_burnout(trial):
    (own,) = watch(trial, ["AN/SPY-1 Deveselu"])
    assert own.track_s is not None and own.track_s < trial.burnout_time_s and own.burnout_tracked
