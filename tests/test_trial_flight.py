"""The interceptor test flight (``trial_flight``): the fan's fastest fly-out by default, interpolation
between samples against a finer sampling of the same flight, and a test flown at a stated burnout speed."""

import numpy as np
import pytest

from shieldcheck import catalog, reach
from shieldcheck.errors import InputError
from shieldcheck.flight import Integrator, fly_launch
from shieldcheck.trial_flight import fly_trial, isp_scale_for


@pytest.fixture(scope="module")
def sm3():
    return catalog.interceptor("SM-3 Block IIA")


@pytest.fixture(scope="module")
def deveselu():
    return catalog.site("Deveselu")


def test_by_default_the_test_flies_the_fans_fastest_flyout(sm3, deveselu):
    trial = fly_trial(sm3, deveselu, 60.0)
    fastest = reach.fan_fastest_flyout(sm3, latitude_deg=deveselu.latitude_deg, azimuth_deg=60.0)
    assert (trial.kick_deg, trial.programme) == (fastest["kick_deg"], fastest["programme"])
    # the same flight from a different longitude: the same speed to within the Earth's shape (1 m/s)
    assert trial.burnout_speed_m_s == pytest.approx(fastest["speed_m_s"], abs=1.0)
    assert trial.time_s[0] == 0.0 and trial.time_s[-1] == pytest.approx(600.0)
    assert trial.max_speed_m_s == pytest.approx(trial.burnout_speed_m_s, rel=1e-3)  # exo-atmospheric: fastest at burnout
    assert "burnout 4.50 km/s" in repr(trial)


def test_positions_between_samples_match_a_finer_sampling_within_a_metre(sm3, deveselu):
    trial = fly_trial(sm3, deveselu, 60.0)
    finer = fly_launch(sm3.vehicle, deveselu, 60.0, trial.kick_deg, programme=trial.programme, history=True,
                       integrator=Integrator(history_spacing_s=0.25, max_flight_time_s=600.0)).trajectory_of(0)
    between = (finer["time_s"] % 1.0 != 0.0) & (finer["time_s"] < 599.0)
    position, velocity = trial.state_at(finer["time_s"][between])
    tolerance_m = 1.0  # cubic Hermite on 1 s samples: the thrust's steps at staging and burnout dominate
    assert np.abs(position - finer["position_ecef_m"][between]).max() < tolerance_m
    assert np.abs(velocity - finer["velocity_ecef_m_s"][between]).max() < 5.0  # m/s, across burnout's step


def test_a_test_flown_at_a_stated_burnout_speed(sm3, deveselu):
    trial = fly_trial(sm3, deveselu, 60.0)
    k = isp_scale_for(sm3, deveselu, 60.0, 5_500.0, kick_deg=trial.kick_deg, programme=trial.programme)
    faster = fly_trial(sm3, deveselu, 60.0, kick_deg=trial.kick_deg, programme=trial.programme, isp_scale=k)
    assert faster.burnout_speed_m_s == pytest.approx(5_500.0, rel=1e-4)
    assert k > 1.0


def test_bad_input_is_one_clear_error(sm3, deveselu):
    with pytest.raises(InputError, match="give both kick_deg and programme"):
        fly_trial(sm3, deveselu, 60.0, kick_deg=30.0)
    with pytest.raises(InputError, match="programme: 'loop' is not an allowed choice"):
        fly_trial(sm3, deveselu, 60.0, kick_deg=30.0, programme="loop")
    with pytest.raises(InputError, match="azimuth_deg = nan"):
        fly_trial(sm3, deveselu, float("nan"))
