"""Aiming a boost-glide vehicle: the general mechanism (thrust cut-off and kick) lands it on its aim,
and the fly command states its glide model.

Reference: the aim point itself (catalog sites); tolerance the solver's 100 m. Range of the
catalog Avangard grows monotonically with the cut-off time on the solution's azimuth and kick
(checked when written at 1 s spacing, 150-310 s, kicks 20, 43.6, 48.5 and 60 deg, up to where the
flight passes the antipode and the geodesic range wraps), so the cut-off search of aiming.solve
needs no change for lift; its downrange measure counts on past the antipode.
"""

import json

import numpy as np

from shieldcheck import aiming, catalog, earth, flight
from shieldcheck.cli import main

TOLERANCE_M = 100.0


def test_avangard_dombarovsky_to_washington_lands_within_100_m():
    flights = aiming.fly("Avangard", "Dombarovsky", "Washington", history=False)
    print(f"miss {flights.miss_m()[0]:.1f} m, range {flights.range_km[0]:,.0f} km, "
          f"flight time {flights.flight_time_s[0]:,.0f} s, cut-off {flights.cutoff_s[0]:.1f} s")
    assert flights.landed[0]
    assert flights.miss_m()[0] < TOLERANCE_M


def test_glide_range_grows_with_the_cut_off_time():
    """Property the cut-off search relies on, for the glide vehicle: more thrust, more range."""
    cutoff_s = np.linspace(150.0, 310.0, 33)
    f = flight.fly_launch(catalog.missile("Avangard"), catalog.site("Dombarovsky"), 319.08, 43.56, cutoff_s)
    assert f.landed.all()
    assert np.all(np.diff(f.range_km) > 0.0)


def test_fly_states_the_glide_model(capsys):
    main(["fly", "--missile", "Avangard", "--burnout", "50,60,100,6.5,-5,300", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert data["model"]["glide"] == {"law": "constant-lift-to-drag", "lift_to_drag_ratio": 2.6}
    assert data["assumptions"][0].startswith("glide: constant-lift-to-drag law, L/D 2.6")
    assert "no bank" in data["assumptions"][0]
    main(["fly", "--missile", "Yars", "--burnout", "50,60,100,6.5,-5,300", "--json"])
    assert "glide" not in json.loads(capsys.readouterr().out)["model"]


def test_aiming_never_hands_back_steering_that_misses():
    """Full-burn depressed steering for the glide vehicle: the range is not single-peaked in the kick
    angle (skips), which can defeat the kick search; solve must then refuse, not return a miss."""
    from shieldcheck.errors import InputError

    missile, launch, aim = catalog.missile("Avangard"), catalog.site("Dombarovsky"), catalog.site("Washington")
    try:
        solution = aiming.solve(missile, launch.latitude_deg, launch.longitude_deg, aim.latitude_deg,
                                aim.longitude_deg, trajectory="depressed")
    except InputError as error:
        assert str(error).startswith("aiming did not converge: the best depressed steering found for Avangard")
        return
    f = flight.fly_launch(missile, launch, solution.azimuth_deg, solution.kick_deg, solution.cutoff_s)
    f = aiming.Flights(f.missile_names, f.launch_latitude_deg, f.launch_longitude_deg, f.summary, f.history, f.earth,
                       f.atmosphere, f.integrator, f.mode, (), f.azimuth_deg, f.kick_deg, f.cutoff_s,
                       np.array([aim.latitude_deg]), np.array([aim.longitude_deg]))
    assert f.miss_m()[0] < TOLERANCE_M


def test_downrange_counts_on_past_the_antipode():
    """A full-burn glide that travels more than half-way round lands at a geodesic distance below half
    the meridian, on the reverse bearing; the aiming kernel's along-track measure must keep counting
    (> 20,004 km), not turn it into a shortfall. The kernel's own functions, run as plain Python."""
    from shieldcheck.engine import aim as A
    from shieldcheck.engine import physics

    missile, launch, aim = catalog.missile("Avangard"), catalog.site("Dombarovsky"), catalog.site("Washington")
    one = np.ones(1)
    model = earth.earth_model(earth.DEFAULT_EARTH)
    bearing_deg = np.atleast_1d(earth.geodesic_inverse(launch.latitude_deg, launch.longitude_deg, aim.latitude_deg,
                                                       aim.longitude_deg, model)[1])
    rows = flight.launch_rows(np.zeros(1, np.int64), launch.latitude_deg * one, launch.longitude_deg * one, 0.0 * one,
                              bearing_deg, 52.0 * one, missile.burn_time_s * one, model)
    arguments = flight.kernel_arguments(rows, [missile], model, "ussa1976", flight.Integrator(), history=False)
    routes = aiming.route_rows(missile, launch.latitude_deg * one, launch.longitude_deg * one, 0.0 * one,
                               aim.latitude_deg * one, aim.longitude_deg * one, bearing_deg, A.SIDE_MINIMUM_ENERGY,
                               A.MEASURE_NONE, 0.0, 100.0, model)
    kernel = A.build(lambda f: f, physics.build(lambda f: f).fly_one)
    along_m, _, _ = kernel.shoot(0, np.radians(bearing_deg[0]), np.radians(52.0), missile.burn_time_s, *arguments, routes)
    flights = flight.fly_launch(missile, launch, bearing_deg, 52.0, np.inf)
    assert flights.range_km[0] < 20_004.0
    assert along_m + routes[0, A.A_AIM_ALONG] * routes[0, A.A_RADIUS] > 20_004e3
