"""Coasting flights on the textbook Earth against the closed-form two-body solution.

Reference: the Keplerian conic through the burnout state (e.g. Wheelon 1959; Bate, Mueller &
White, Fundamentals of Astrodynamics, 1971, ch. 6): the free-flight range angle from the true
anomalies of burnout and of the descending crossing of the Earth's radius, and the flight time
from Kepler's equation. Model: spherical, non-rotating Earth (R = 6371.0 km, GM = 3.986004418e14
m^3/s^2), no J2, no atmosphere. Tolerances from the issue: range within 0.5 km, flight time
within 0.5 s, from 300 km to 12,000 km.
"""

import math

import numpy as np
import pytest

from shieldcheck import flight
from shieldcheck.constants import SPHERE_GM_M3_S2, SPHERE_RADIUS_M

RANGE_TOLERANCE_M = 500.0
TIME_TOLERANCE_S = 0.5


def kepler_range_and_time(altitude_m, speed_m_s, gamma_deg, mu=SPHERE_GM_M3_S2, radius_m=SPHERE_RADIUS_M):
    """Ground range (m) and time of flight (s) from burnout to the descending crossing of the surface."""
    r = radius_m + altitude_m
    gamma = math.radians(gamma_deg)
    h = r * speed_m_s * math.cos(gamma)
    p = h * h / mu
    energy = 0.5 * speed_m_s**2 - mu / r
    e = math.sqrt(1.0 + 2.0 * energy * h * h / mu**2)
    f0 = math.atan2(h * speed_m_s * math.sin(gamma) / (mu * e), (p / r - 1.0) / e)
    f1 = 2.0 * math.pi - math.acos((p / radius_m - 1.0) / e)

    def eccentric(f):
        return 2.0 * math.atan2(math.sqrt(1.0 - e) * math.sin(f / 2.0), math.sqrt(1.0 + e) * math.cos(f / 2.0))

    a = p / (1.0 - e * e)
    mean_motion = math.sqrt(mu / a**3)
    e0, e1 = eccentric(f0), eccentric(f1)
    time_s = ((e1 - e * math.sin(e1)) - (e0 - e * math.sin(e0))) / mean_motion
    return (f1 - f0) * radius_m, time_s


# burnout states (altitude km, speed km/s, flight-path angle deg) spanning 300 to 12,000 km
CASES = [(100.0, 1.6, 45.0), (120.0, 3.0, 40.0), (150.0, 4.5, 35.0), (200.0, 5.5, 30.0), (200.0, 6.5, 25.0),
         (250.0, 7.0, 22.0), (300.0, 7.2, 20.0), (200.0, 7.0, 45.0), (200.0, 7.0, 60.0), (400.0, 6.8, 10.0)]


@pytest.fixture(scope="module")
def flights(topol):
    alt, speed, gamma = (np.array(c) for c in zip(*CASES))
    azimuth = np.linspace(0.0, 330.0, len(CASES))
    latitude = np.linspace(-60.0, 70.0, len(CASES))
    return flight.fly_burnout(latitude, 20.0, alt * 1e3, speed * 1e3, gamma, azimuth, topol,
                              earth="spherical-nonrotating", atmosphere="none")


def test_cases_span_300_to_12000_km():
    ranges = [kepler_range_and_time(a * 1e3, v * 1e3, g)[0] for a, v, g in CASES]
    assert min(ranges) < 300e3 * 1.2 and max(ranges) > 12_000e3 * 0.95


@pytest.mark.parametrize("i", range(len(CASES)))
def test_range_and_time_match_closed_form(flights, i):
    alt, speed, gamma = CASES[i]
    expected_range_m, expected_time_s = kepler_range_and_time(alt * 1e3, speed * 1e3, gamma)
    assert flights.status[i] == flight.FlightStatus.IMPACT
    assert abs(flights.range_m[i] - expected_range_m) < RANGE_TOLERANCE_M
    assert abs(flights.flight_time_s[i] - expected_time_s) < TIME_TOLERANCE_S


def test_apogee_matches_closed_form(flights):
    """Apogee = a(1 + e) - R, located inside a 32 s step; tolerance 1 m (Hermite interpolation)."""
    mu, radius = SPHERE_GM_M3_S2, SPHERE_RADIUS_M
    for i, (alt, speed, gamma) in enumerate(CASES):
        r, v, g = radius + alt * 1e3, speed * 1e3, math.radians(gamma)
        h = r * v * math.cos(g)
        energy = 0.5 * v * v - mu / r
        e = math.sqrt(1.0 + 2.0 * energy * h * h / mu**2)
        a = -mu / (2.0 * energy)
        assert abs(flights.apogee_m[i] - (a * (1.0 + e) - radius)) < 1.0
