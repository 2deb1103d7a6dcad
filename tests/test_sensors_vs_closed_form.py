"""Radar geometry against closed-form results on the textbook sphere, and coverage of flights.

References: the radar horizon of a surface antenna on a sphere of radius R, a target at height h
being visible up to the central angle acos(R / (R + h)); the elevation of such a target,
tan(e) = (cos(theta) - R / (R + h)) / sin(theta) (spherical trigonometry); the radar equation's
fourth-root scaling of range with cross-section (Skolnik 2001, eq. 1.6). Tolerances: 1e-9 deg
in angles, 1e-6 relative in range, and the horizon placed within 1e-4 deg of central angle.
"""

import math

import numpy as np
import pytest

from shieldcheck import earth, flight
from shieldcheck.errors import InputError
from shieldcheck.sensors import Radar, Visibility, coverage, line_of_sight, look_angles, visibility

SPHERE = earth.earth_model("spherical-nonrotating")
R = SPHERE.equatorial_radius_m


def wide_radar(site=None, **changes):
    fields = dict(name="test radar", site=site or earth.site(0.0, 0.0), boresight_azimuth_deg=90.0,
                  azimuth_half_width_deg=180.0, min_elevation_deg=-5.0, max_elevation_deg=90.0,
                  reference_range_km=40_000.0, reference_rcs_m2=1.0, track_time_s=10.0)
    fields.update(changes)
    return Radar(**fields)


def point_on_equator(theta_deg, height_m):
    return earth.ecef_from_geodetic(0.0, np.radians(theta_deg), height_m, SPHERE)


@pytest.mark.parametrize("height_km", [50.0, 200.0, 1000.0])
def test_radar_horizon_on_the_sphere(height_km):
    h = height_km * 1e3
    horizon_deg = math.degrees(math.acos(R / (R + h)))
    radar = wide_radar()
    inside = point_on_equator(horizon_deg - 1e-4, h)
    outside = point_on_equator(horizon_deg + 1e-4, h)
    assert visibility(radar, inside, 1.0, SPHERE) == Visibility.SEEN
    assert visibility(radar, outside, 1.0, SPHERE) == Visibility.BELOW_HORIZON


@pytest.mark.parametrize("theta_deg, height_km", [(1.0, 100.0), (5.0, 300.0), (15.0, 1000.0), (0.5, 20.0)])
def test_elevation_and_azimuth_match_spherical_trigonometry(theta_deg, height_km):
    theta, h = math.radians(theta_deg), height_km * 1e3
    expected = math.degrees(math.atan2(math.cos(theta) - R / (R + h), math.sin(theta)))
    slant, azimuth, elevation = look_angles(wide_radar(), point_on_equator(theta_deg, h), SPHERE)
    assert elevation == pytest.approx(expected, abs=1e-9)
    assert azimuth == pytest.approx(90.0, abs=1e-9)  # due east along the equator
    expected_slant = math.sqrt(R**2 + (R + h) ** 2 - 2 * R * (R + h) * math.cos(theta))  # law of cosines
    assert slant == pytest.approx(expected_slant, rel=1e-12)


def test_range_scales_with_the_fourth_root_of_cross_section():
    radar = wide_radar(reference_range_km=1000.0, reference_rcs_m2=1.0)
    assert radar.detection_range_m(16.0) == pytest.approx(2_000e3, rel=1e-12)
    assert radar.detection_range_m(0.01) == pytest.approx(1000e3 * 0.01**0.25, rel=1e-12)
    target = point_on_equator(3.0, 300e3)  # about 400 km away
    assert visibility(radar, target, 1.0, SPHERE) == Visibility.SEEN
    assert visibility(radar, target, 1e-5, SPHERE) == Visibility.BEYOND_RANGE  # 56 km at 1e-5 m^2


def test_azimuth_sector_and_elevation_limits():
    north_facing = wide_radar(boresight_azimuth_deg=0.0, azimuth_half_width_deg=60.0)
    east = point_on_equator(3.0, 300e3)
    assert visibility(north_facing, east, 1.0, SPHERE) == Visibility.OUTSIDE_AZIMUTH
    high_only = wide_radar(min_elevation_deg=45.0)  # the target is at 39.8 deg elevation
    assert visibility(high_only, east, 1.0, SPHERE) == Visibility.OUTSIDE_ELEVATION


def test_line_of_sight_over_the_wgs84_ellipsoid():
    model = earth.earth_model("wgs84-j2-rotating")
    a = earth.ecef_from_geodetic(np.radians(45.0), 0.0, 0.0, model)
    b = earth.ecef_from_geodetic(np.radians(-45.0), np.pi, 0.0, model)  # the antipode
    assert not line_of_sight(a, b, model)
    up = earth.ecef_from_geodetic(np.radians(45.0), 0.0, 500e3, model)
    assert line_of_sight(a, up, model)
    # a chord of length d sags d^2 / (8 R) below the surface: 196 m over 100 km, 20 km over 1,000 km
    near = earth.ecef_from_geodetic(np.radians(45.0), np.radians([0.0, 1.27]), 1.0, model)
    far = earth.ecef_from_geodetic(np.radians(45.0), np.radians([0.0, 12.7]), 1.0, model)
    assert not line_of_sight(near[0], near[1], model)  # even 100 km: the chord dips 200 m below
    assert not line_of_sight(far[0], far[1], model)
    high = earth.ecef_from_geodetic(np.radians(45.0), np.radians([0.0, 1.27]), 1_000.0, model)
    assert line_of_sight(high[0], high[1], model)  # 1 km up clears a 100 km chord's 196 m sag


def test_coverage_of_a_flight_first_detection_and_track(topol):
    f = flight.fly_burnout(0.0, 10.0, 150e3, 6000.0, 30.0, 90.0, topol, earth="spherical-nonrotating",
                           atmosphere="none", history=True)
    track = f.trajectory_of(0)
    radar = wide_radar(site=earth.site(0.0, 40.0), reference_range_km=3000.0, track_time_s=20.0)
    result = coverage(radar, track["time_s"], track["position_ecef_m"], 1.0, SPHERE)
    assert result.first_detection_s is not None and result.reason_never is None
    seen = visibility(radar, track["position_ecef_m"], 1.0, SPHERE) == Visibility.SEEN
    assert result.first_detection_s == track["time_s"][np.argmax(seen)]
    assert result.track_s == pytest.approx(result.first_detection_s + 20.0)


def test_threat_that_never_rises_above_the_radar_horizon(topol):
    """A 200 km flight at 30 deg east of a radar 3,000 km away never clears its horizon."""
    f = flight.fly_burnout(0.0, 0.0, 30e3, 1500.0, 30.0, 270.0, topol, earth="spherical-nonrotating",
                           atmosphere="none", history=True)
    track = f.trajectory_of(0)
    assert track["altitude_m"].max() < 150e3
    radar = wide_radar(site=earth.site(0.0, 27.0))  # horizon for 150 km: 12.4 deg of arc
    result = coverage(radar, track["time_s"], track["position_ecef_m"], 1.0, SPHERE)
    assert result.first_detection_s is None and result.track_s is None
    assert result.reason_never == "below the radar horizon (no line of sight over the Earth)"


def test_a_radar_pointing_nowhere_is_a_clear_error():
    with pytest.raises(InputError, match="points nowhere"):
        wide_radar(azimuth_half_width_deg=0.0)
    with pytest.raises(InputError, match="reference_range_km = -5"):
        wide_radar(reference_range_km=-5.0)


def test_infrared_warning_reports_after_its_delay_and_loses_the_missile_at_burnout():
    from shieldcheck.sensors import InfraredWarning

    warning = InfraredWarning("satellites", 45.0, 60.0)
    icbm = warning.coverage(burnout_time_s=180.0)
    assert (icbm.first_detection_s, icbm.track_s, icbm.intervals_s) == (45.0, 105.0, ((45.0, 180.0),))
    short = warning.coverage(burnout_time_s=90.0)  # seen, but burnt out before a track is made
    assert short.first_detection_s == 45.0 and short.track_s is None
    missed = warning.coverage(burnout_time_s=30.0)
    assert missed.first_detection_s is None and "before the infrared warning reports it" in missed.reason_never
    with pytest.raises(InputError, match="detection_delay_s = -1"):
        InfraredWarning("bad", -1.0, 10.0)
