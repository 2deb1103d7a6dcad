"""The command line flies a fractional-orbit (FOBS) missile through shieldcheck.orbital.fly_fobs."""

import json

import pytest
from cli_helpers import run


def test_fly_fobs_json_reports_the_orbit_and_the_deorbit(capsys):
    code, out, err = run(["fly", "--missile", "R-36orb", "--from", "Dombarovsky", "--to", "Washington", "--json"],
                         capsys)
    assert code == 0, err
    data = json.loads(out)
    assert data["trajectory"] == "fractional-orbit"
    assert data["impact_miss_km"] < 0.1  # the aiming tolerance, 100 m
    orbit = data["orbit"]
    assert orbit["perigee_km"] == pytest.approx(145.0, abs=0.5)  # the insertion target (PH_R36ORB)
    assert 0.0 < orbit["revolution_fraction"] < 1.0
    assert data["burnout"]["time_s"] < orbit["deorbit_time_s"] < data["flight_time_s"]
    assert orbit["deorbit_delta_v_m_s"] == 760.0  # catalog value (DERIVED)
    assert any("peterhall" in s for s in data["sources"])
    assert "NaN" not in out


def test_fly_fobs_readable_output_names_orbit_deorbit_and_revolution(capsys):
    code, out, err = run(["fly", "--missile", "FOBS", "--from", "Dombarovsky", "--to", "Washington"], capsys)
    assert code == 0, err
    for word in ("fractional-orbit", "orbit", "deorbit", "of a revolution", "period"):
        assert word in out


@pytest.mark.parametrize("args", [("--trajectory", "lofted"), ("--trajectory", "depressed"), ("--apogee-km", "300"),
                                  ("--burnout-angle-deg", "20")])
def test_fobs_with_a_ballistic_shape_is_one_line_and_exit_status_2(capsys, args):
    code, out, err = run(["fly", "--missile", "R-36orb", "--from", "Dombarovsky", "--to", "Washington", *args], capsys)
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert args[0].lstrip("-").replace("-", "_") in err and "fractional-orbit" in err


def test_engage_flies_a_fobs_threat_as_a_fractional_orbit(capsys):
    # Thule's faces straddle north: the southern approach is below its horizon
    code, out, err = run(["engage", "--missile", "R-36orb", "--from", "Dombarovsky", "--to", "Washington",
                          "--interceptor", "GBI (three-stage)", "--site", "New York", "--cueing", "remote",
                          "--sensor", "UEWR Thule", "--json"], capsys)
    assert code == 0, err
    data = json.loads(out)
    assert data["threat"]["trajectory"] == "fractional-orbit"
    assert data["verdict"] == "never_detected"
