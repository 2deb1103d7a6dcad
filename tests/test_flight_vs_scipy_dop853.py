"""Full flights (boost, J2, rotation, drag, re-entry) against an independent high-accuracy integration.

Reference: ``shieldcheck.scipy_flight`` — the same model written separately in scalar Python and
integrated with scipy's DOP853 at rtol 1e-11, piecewise between the boost events, with scipy's
event location for impact and apogee. Tolerances (the issue's): impact point within 100 m for
ICBM-class flights; flight time within 1 s, apogee within 100 m, burnout position within 10 m.
Measured when written: impact 0.7-4.2 m, flight time 5 ms, apogee 0.5-7 m.
"""

import numpy as np
import pytest

from shieldcheck import catalog, earth, flight, scipy_flight

IMPACT_TOLERANCE_M = 100.0
TIME_TOLERANCE_S = 1.0
APOGEE_TOLERANCE_M = 100.0
BURNOUT_TOLERANCE_M = 10.0
MODEL = earth.earth_model(earth.DEFAULT_EARTH)

LAUNCHES = [
    ("Yars", "Teykovo", 320.0, 45.0, 170.0),       # ICBM, thrust cut late in stage 3
    ("R-36M2", "Uzhur", 10.0, 30.0, np.inf),        # liquid heavy ICBM, full burn, over the pole
    ("Topol-M", "Teykovo", 300.0, 50.0, 100.0),     # cut-off in the middle of stage 2
    ("Shahab-3", "Tabriz", 300.0, 20.0, np.inf),    # single-stage MRBM, blunt RV
]


def _miss_m(lat1, lon1, lat2, lon2):
    return float(earth.geodesic_inverse(lat1, lon1, lat2, lon2, MODEL)[0])


@pytest.mark.parametrize("name, site_name, azimuth_deg, kick_deg, cutoff_s", LAUNCHES)
def test_launch_matches_dop853(name, site_name, azimuth_deg, kick_deg, cutoff_s):
    missile, site = catalog.missile(name), catalog.site(site_name)
    f = flight.fly_launch(missile, site, azimuth_deg, kick_deg, cutoff_s)
    ref = scipy_flight.fly_one_scipy(missile, site.latitude_deg, site.longitude_deg, azimuth_deg, kick_deg, cutoff_s)
    impact = f.impact()
    assert ref["landed"] and f.landed[0]
    assert _miss_m(impact["latitude_deg"][0], impact["longitude_deg"][0], ref["impact_latitude_deg"],
                   ref["impact_longitude_deg"]) < IMPACT_TOLERANCE_M
    assert abs(f.flight_time_s[0] - ref["impact_time_s"]) < TIME_TOLERANCE_S
    assert abs(f.apogee_m[0] - ref["apogee_m"]) < APOGEE_TOLERANCE_M
    assert f.burnout_time_s[0] == pytest.approx(ref["burnout_time_s"], abs=1e-6)
    kernel_burnout = f.summary[0, flight.P.O_BURNOUT_STATE:flight.P.O_BURNOUT_STATE + 3]
    assert np.linalg.norm(kernel_burnout - ref["burnout_state_eci"][:3]) < BURNOUT_TOLERANCE_M


@pytest.mark.parametrize("state", [(56.0, 40.0, 200e3, 7000.0, 25.0, 320.0), (35.0, 53.0, 80e3, 3000.0, 40.0, 290.0)])
def test_reentry_from_burnout_matches_dop853(state):
    """Coast and re-entry with drag from a burnout state (Yars re-entry vehicle)."""
    vehicle = catalog.missile("Yars")
    f = flight.fly_burnout(*state, vehicle)
    ref = scipy_flight.fly_burnout_scipy(vehicle, *state)
    impact = f.impact()
    assert _miss_m(impact["latitude_deg"][0], impact["longitude_deg"][0], ref["impact_latitude_deg"],
                   ref["impact_longitude_deg"]) < IMPACT_TOLERANCE_M
    assert abs(f.flight_time_s[0] - ref["impact_time_s"]) < TIME_TOLERANCE_S


def test_aimed_minimum_energy_flight_matches_dop853():
    """The aiming solution of an RS-24 Yars from Teykovo at Washington, flown by both."""
    import shieldcheck

    f = shieldcheck.fly("Yars", "Teykovo", "Washington", history=False)
    site = catalog.site("Teykovo")
    ref = scipy_flight.fly_one_scipy(catalog.missile("Yars"), site.latitude_deg, site.longitude_deg,
                                     f.azimuth_deg[0], f.kick_deg[0], f.cutoff_s[0])
    impact = f.impact()
    assert _miss_m(impact["latitude_deg"][0], impact["longitude_deg"][0], ref["impact_latitude_deg"],
                   ref["impact_longitude_deg"]) < IMPACT_TOLERANCE_M
