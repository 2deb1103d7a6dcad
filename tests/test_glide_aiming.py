"""Aiming a boost-glide vehicle: the general mechanism (thrust cut-off and kick) lands it on its aim,
and the fly command states its glide model.

Reference: the aim point itself (catalog sites); tolerance the solver's 100 m. Range of the
catalog Avangard grows monotonically with the cut-off time on the solution's azimuth and kick
(checked when written at 1 s spacing, 150-310 s, kicks 20, 43.6, 48.5 and 60 deg, up to where the
flight passes the antipode and the geodesic range wraps), so the cut-off search of aiming.solve
needs no change for lift; its downrange measure counts on past the antipode.
"""

import dataclasses
import json

import numpy as np
from cli_helpers import run

from shieldcheck import aiming, catalog, earth, flight
from shieldcheck.vehicles import GlideModel

TOLERANCE_M = 100.0


def test_avangard_dombarovsky_to_washington_lands_within_100_m():
    flights = aiming.fly("Avangard", "Dombarovsky", "Washington", history=False)
    print(f"miss {flights.miss_m()[0]:.1f} m, range {flights.range_km[0]:,.0f} km, "
          f"flight time {flights.flight_time_s[0]:,.0f} s, cut-off {flights.cutoff_s[0]:.1f} s")
    assert flights.landed[0]
    assert flights.miss_m()[0] < TOLERANCE_M


def test_glide_range_grows_with_the_cut_off_time():
    """Property the glider's cut-off root relies on: without an aim (gliding for range, the dive at the
    terminal speed), more thrust, more range, on the boost's own kick."""
    cutoff_s = np.linspace(150.0, 310.0, 33)
    missile = catalog.missile("Avangard")
    f = flight.fly_launch(missile, catalog.site("Dombarovsky"), 319.08, missile.glide.boost_kick_deg, cutoff_s)
    assert f.landed.all()
    assert np.all(np.diff(f.range_km) > 0.0)


def test_fly_states_the_glide_model(capsys):
    code, out, err = run(["fly", "--missile", "Avangard", "--burnout", "50,60,100,6.5,-5,300", "--json"], capsys)
    assert code == 0, err
    data = json.loads(out)
    assert data["model"]["glide"]["law"] == "equilibrium-glide"
    assert data["model"]["glide"]["lift_to_drag_ratio"] == 2.6
    assert data["assumptions"][0].startswith("glide: equilibrium-glide law, largest L/D 2.6")
    assert "banked up to 80 deg" in data["assumptions"][0]
    code, out, err = run(["fly", "--missile", "Yars", "--burnout", "50,60,100,6.5,-5,300", "--json"], capsys)
    assert code == 0, err
    assert "glide" not in json.loads(out)["model"]


def test_downrange_counts_on_past_the_antipode():
    """A full-burn glide that travels more than half-way round lands at a geodesic distance below half
    the meridian, on the reverse bearing; the aiming kernel's along-track measure must keep counting
    (> 20,004 km), not turn it into a shortfall. The kernel's own functions, run as plain Python."""
    from shieldcheck.engine import aim as A
    from shieldcheck.engine import physics

    avangard = catalog.missile("Avangard")  # its vehicle under the constant-L/D law, which glides past the antipode
    missile = dataclasses.replace(avangard, glide=GlideModel("constant-lift-to-drag", avangard.glide.lift_to_drag_ratio))
    launch, aim = catalog.site("Dombarovsky"), catalog.site("Washington")
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
