"""Properties of the integrator and the step rule: invariants, convergence order, batching.

References: conservation laws of the two-body and J2 problems (with thrust and drag off,
inertial energy is conserved, and angular momentum too under point-mass gravity, only its polar
component under J2); the fourth-order convergence of classical Runge-Kutta (Hairer, Norsett &
Wanner, Solving ODEs I, 1993) measured against the closed-form two-body solution.
"""

import math

import numpy as np
import pytest

from shieldcheck import flight
from shieldcheck.constants import SPHERE_GM_M3_S2
from shieldcheck.earth import earth_model
from test_kepler_vs_closed_form import kepler_range_and_time


def _energy_and_momentum(states, gm, j2=0.0, a=0.0):
    """Specific energy (J/kg, with the J2 potential) and angular momentum (m^2/s) of ECI states (n, 6)."""
    r, v = states[:, 0:3], states[:, 3:6]
    norm = np.linalg.norm(r, axis=1)
    potential = -gm / norm * (1.0 - j2 * (a / norm) ** 2 * (1.5 * (r[:, 2] / norm) ** 2 - 0.5))
    return 0.5 * np.sum(v * v, axis=1) + potential, np.cross(r, v)


def _start_and_end(f):
    """ECI states at the start and at the end of a flight stopped by max_flight_time_s (a step end)."""
    start = f.history[0, 0, 1:7]
    end = f.summary[0, flight.P.O_END_STATE:flight.P.O_END_STATE + 6]
    return np.stack([start, end])


# stop the coast at 1,500 s, before impact, so the end state is an RK4 step end, not an interpolation
COAST = flight.Integrator(max_flight_time_s=1500.0)


def test_point_mass_coast_conserves_energy_and_angular_momentum(topol):
    """Relative drift below 1e-7 over 1,500 s of RK4 at 32 s steps (step ends: RK4 is not symplectic,
    its energy error is about 2e-9 at 16 s steps and 3e-8 at 32 s here, the fourth power of the step);
    below 1e-6 on the recorded samples, which are cubic-Hermite interpolations between steps."""
    f = flight.fly_burnout(30.0, 10.0, 200e3, 7200.0, 40.0, 60.0, topol, earth="spherical-nonrotating",
                           atmosphere="none", history=True, integrator=COAST)
    assert f.status[0] == flight.FlightStatus.MAX_TIME
    energy, momentum = _energy_and_momentum(_start_and_end(f), SPHERE_GM_M3_S2)
    assert abs(energy[1] - energy[0]) / abs(energy[0]) < 1e-7
    assert np.linalg.norm(momentum[1] - momentum[0]) / np.linalg.norm(momentum[0]) < 1e-8
    samples = f.history[0, : int(f.summary[0, flight.P.O_HISTORY_COUNT]), 1:7]
    energy, momentum = _energy_and_momentum(samples, SPHERE_GM_M3_S2)
    assert np.ptp(energy) / abs(energy[0]) < 1e-6


def test_j2_coast_conserves_energy_and_polar_angular_momentum(topol):
    """Under J2 the potential is axisymmetric and static in ECI: energy (1e-7, as above) and h_z (1e-8) are
    conserved,
    while the other components of h precess (they change by more than 1e-6)."""
    model = earth_model("wgs84-j2-rotating")
    f = flight.fly_burnout(30.0, 10.0, 200e3, 7200.0, 40.0, 45.0, topol, earth=model.name, atmosphere="none",
                           history=True, integrator=COAST)
    energy, momentum = _energy_and_momentum(_start_and_end(f), model.gm_m3_s2, model.j2, model.equatorial_radius_m)
    scale = np.linalg.norm(momentum[0])
    assert abs(energy[1] - energy[0]) / abs(energy[0]) < 1e-7
    assert abs(momentum[1, 2] - momentum[0, 2]) / scale < 1e-8
    assert np.linalg.norm(momentum[1, :2] - momentum[0, :2]) / scale > 1e-6


def _kepler_position(r0_m, v0_m_s, gamma_rad, t_s, mu=SPHERE_GM_M3_S2):
    """Radius (m) and in-plane angle travelled (rad) after t_s on the conic through a state."""
    h = r0_m * v0_m_s * math.cos(gamma_rad)
    p = h * h / mu
    e = math.sqrt(1.0 + 2.0 * (0.5 * v0_m_s**2 - mu / r0_m) * h * h / mu**2)
    f0 = math.atan2(h * v0_m_s * math.sin(gamma_rad) / (mu * e), (p / r0_m - 1.0) / e)
    big_e0 = 2.0 * math.atan2(math.sqrt(1.0 - e) * math.sin(f0 / 2.0), math.sqrt(1.0 + e) * math.cos(f0 / 2.0))
    a = p / (1.0 - e * e)
    mean = big_e0 - e * math.sin(big_e0) + math.sqrt(mu / a**3) * t_s
    big_e = mean
    for _ in range(50):
        big_e -= (big_e - e * math.sin(big_e) - mean) / (1.0 - e * math.cos(big_e))
    f1 = 2.0 * math.atan2(math.sqrt(1.0 + e) * math.sin(big_e / 2.0), math.sqrt(1.0 - e) * math.cos(big_e / 2.0))
    return p / (1.0 + e * math.cos(f1)), (f1 - f0) % (2.0 * math.pi)


def test_rk4_converges_at_fourth_order(topol):
    """Position error after 1,200 s against Kepler's equation for fixed steps of 120, 60 and 30 s:
    slope 4 +- 0.3 (classical RK4)."""
    radius_m, alt_m, speed, gamma = 6371e3, 200e3, 7000.0, 25.0
    expected_r, expected_angle = _kepler_position(radius_m + alt_m, speed, math.radians(gamma), 1200.0)
    errors = []
    for step in (120.0, 60.0, 30.0):
        integrator = flight.Integrator(air_step_s=step, vacuum_step_s=step, interface_altitude_m=0.0,
                                       max_flight_time_s=1200.0)
        f = flight.fly_burnout(0.0, 0.0, alt_m, speed, gamma, 90.0, topol, earth="spherical-nonrotating",
                               atmosphere="none", integrator=integrator)
        end = f.summary[0, flight.P.O_END_STATE:flight.P.O_END_STATE + 3]
        r = np.linalg.norm(end)
        angle = math.atan2(end[1], end[0]) % (2.0 * math.pi)  # launched east from (0, 0): in-plane angle
        errors.append(math.hypot(r - expected_r, expected_r * (angle - expected_angle)))
    slopes = np.diff(np.log(errors)) / math.log(0.5)
    assert np.all(np.abs(slopes - 4.0) < 0.3), (errors, slopes)


def test_batched_equals_looped(topol):
    """The same flights in one batch and one at a time give identical summaries (bit for bit)."""
    from shieldcheck import catalog

    site = catalog.site("Teykovo")
    kicks = np.linspace(5.0, 60.0, 12)
    cutoffs = np.linspace(120.0, 180.0, 12)
    batch = flight.fly_launch(topol, site, 300.0, kicks, cutoffs)
    for i in range(len(kicks)):
        one = flight.fly_launch(topol, site, 300.0, kicks[i], cutoffs[i])
        np.testing.assert_array_equal(one.summary[0], batch.summary[i])


def test_chunks_equal_one_batch(topol):
    from shieldcheck import catalog

    site = catalog.site("Teykovo")
    kicks = np.linspace(5.0, 60.0, 10)
    whole = flight.fly_launch(topol, site, 0.0, kicks)
    parts = flight.fly_launch(topol, site, 0.0, kicks, chunk_size=3)
    np.testing.assert_array_equal(whole.summary, parts.summary)
    assert [len(f) for f in flight.iter_fly_launch(topol, site, 0.0, kicks, chunk_size=4)] == [4, 4, 2]


def test_a_batch_of_several_missiles_equals_one_batch_per_missile(topol, shahab):
    """Flights of two missiles in one batch (one missile per flight) give the summaries and histories of
    each missile's own batch, bit for bit, with each flight's cut-off clamped to its own burn time."""
    from shieldcheck import catalog

    site = catalog.site("Teykovo")
    kicks = np.linspace(10.0, 40.0, 6)
    missiles = [topol, shahab, topol, shahab, shahab, topol]
    mixed = flight.fly_launch(missiles, site, 300.0, kicks, 1e6, history=True)
    assert mixed.missile_names == tuple(m.name for m in missiles)
    for missile in (topol, shahab):
        mine = np.array([m is missile for m in missiles])
        alone = flight.fly_launch(missile, site, 300.0, kicks[mine], 1e6, history=True)
        np.testing.assert_array_equal(mixed.summary[mine], alone.summary)
        np.testing.assert_array_equal(mixed.cutoff_s[mine], missile.burn_time_s)
        samples = alone.history.shape[1]
        np.testing.assert_array_equal(mixed.history[mine, :samples], alone.history)


def test_eastward_launch_gains_range_from_rotation(topol):
    """The Earth's rotation (465 m/s at the equator) adds range eastward and takes it westward:
    the maximum ranges over kick angles differ by more than 1,000 km for an ICBM."""
    from shieldcheck.earth import site

    kicks = np.linspace(20.0, 85.0, 27)
    east = flight.fly_launch(topol, site(0.0, 0.0), 90.0, kicks)
    west = flight.fly_launch(topol, site(0.0, 0.0), 270.0, kicks)
    assert east.range_km.max() > west.range_km.max() + 1_000.0


def test_ellipsoid_heights_agree_with_bowring(topol):
    """The kernel's heights agree with the NumPy Bowring iteration (five rounds) to 1 mm."""
    from shieldcheck import earth

    f = flight.fly_burnout(70.0, -30.0, 150e3, 6800.0, 35.0, 10.0, topol, history=True)
    track = f.trajectory_of(0)
    model = earth.earth_model("wgs84-j2-rotating")
    lat, lon, height = earth.geodetic_from_ecef(track["position_ecef_m"], model)
    back = earth.ecef_from_geodetic(lat, lon, height, model)
    np.testing.assert_allclose(back, track["position_ecef_m"], atol=1e-6)
    # the impact point found by the kernel (height 0) has NumPy height 0 within 1 mm
    impact = f.summary[0, flight.P.O_IMPACT_ECEF:flight.P.O_IMPACT_ECEF + 3]
    assert abs(earth.geodetic_from_ecef(impact, model)[2]) < 1e-3


@pytest.mark.parametrize("state", [
    (0.0, 0.0, 100e3, 0.0, 0.0, 0.0),          # dropped from rest
    (45.0, 0.0, 200e3, 3000.0, 90.0, 0.0),     # straight up
    (45.0, 0.0, 50e3, 2000.0, -10.0, 90.0),    # already descending inside the atmosphere
    (89.999, 0.0, 200e3, 6000.0, 20.0, 180.0), # at the pole
    (0.0, 0.0, 200e3, 10_900.0, 10.0, 90.0),   # escaping: no impact within the maximum time
    (10.0, 20.0, 0.0, 1000.0, -5.0, 0.0),      # starting on the ground, heading down
])
def test_edge_cases_give_finite_results(topol, state):
    f = flight.fly_burnout(*state, topol)
    assert np.all(np.isfinite(f.summary))
    for value in (f.range_km, f.apogee_km, f.flight_time_s, *f.impact().values(), *f.burnout().values()):
        assert np.all(np.isfinite(value))


def test_vertical_launch_lands_west_of_the_pad(topol):
    """A vertical shot keeps the pad's eastward inertial speed while the ground under it turns
    faster at the lower radius: it lands west of the pad (the classic Coriolis result)."""
    from shieldcheck.earth import site

    f = flight.fly_launch(topol, site(50.0, 30.0), 0.0, 0.0)
    assert f.status[0] == flight.FlightStatus.IMPACT
    assert np.all(np.isfinite(f.summary))
    assert f.impact()["longitude_deg"][0] < 30.0
    assert abs(f.impact()["latitude_deg"][0] - 50.0) < 1.0


def test_stack_that_cannot_lift_off_is_refused_by_the_record(topol):
    from dataclasses import replace

    with pytest.raises(flight.InputError, match="thrust/weight"):
        replace(topol, payload_mass_kg=60_000.0)


def test_kernel_reports_no_liftoff_when_thrust_is_below_weight(topol):
    """Packed rows bypass the record's check: the kernel itself must stop and say so."""
    from shieldcheck import atmosphere, catalog
    from shieldcheck.engine import pack
    from shieldcheck.engine.cpu import fly_batch

    site = catalog.site("Teykovo")
    model = earth_model("wgs84-j2-rotating")
    rows = flight.launch_rows(0, np.array([site.latitude_deg]), np.array([site.longitude_deg]), np.zeros(1),
                              np.zeros(1), np.full(1, 30.0), np.full(1, topol.burn_time_s), model)
    vehicles, drag = pack.vehicle_rows([topol])
    vehicles[0, pack.V_STAGE + pack.S_MASS_FLOW] *= 0.3  # thrust/weight about 0.7
    table = atmosphere.kernel_table()
    out = np.zeros((1, pack.N_OUT))
    fly_batch(rows, vehicles, drag, pack.settings_row(flight.Integrator(), "ussa1976", table.altitude_step_m),
              pack.earth_row(model), table.log_density, table.log_pressure, table.speed_of_sound_m_s, out,
              np.zeros((1, 0, pack.N_HISTORY)))
    assert out[0, pack.O_STATUS] == flight.FlightStatus.NO_LIFTOFF
    assert np.all(np.isfinite(out))


def test_crash_during_boost_is_an_impact_with_finite_numbers(topol):
    from shieldcheck.earth import site

    f = flight.fly_launch(topol, site(0.0, 0.0), 0.0, 85.0)
    assert np.all(np.isfinite(f.summary))
    assert f.status[0] == flight.FlightStatus.IMPACT


def test_flights_repr_summarises_the_physics(topol):
    from shieldcheck import catalog

    f = flight.fly_launch(topol, catalog.site("Teykovo"), 300.0, [30.0, 50.0])
    text = repr(f)
    assert text.startswith("<Flights 2 × Topol-M, range ")
    assert "apogee" in text and "2 landed" in text and "earth=wgs84-j2-rotating" in text
    assert repr(f[:0]) == "<Flights 0 × Topol-M>" or repr(f[:0]).startswith("<Flights 0")


def test_step_rule_height_and_rising_decide_as_the_geodetic_ones():
    """The step rule's radial height has the sign of the geodetic height (NumPy Bowring, ``earth``), and
    ``rising`` is exactly whether the climb rate along the geodetic normal is positive, also where the
    radial climb rate has the other sign (velocities within 0.004 rad of the local horizontal)."""
    import numba

    from shieldcheck import earth
    from shieldcheck.engine import pack as P
    from shieldcheck.engine.physics import build

    kernels = build(numba.njit)
    model = earth.earth_model("wgs84-j2-rotating")
    row = P.earth_row(model)
    omega = model.rotation_rate_rad_s
    rng = np.random.default_rng(4)
    n = 4000
    lat = np.radians(rng.uniform(-90.0, 90.0, n))
    lon = np.radians(rng.uniform(-180.0, 180.0, n))
    height = np.concatenate([rng.uniform(-2e3, 2e3, n // 2), rng.uniform(0.0, 3e6, n - n // 2)])
    position = earth.ecef_from_geodetic(lat, lon, height, model)  # = ECI at t = 0
    up, east, north = earth.local_frame(lat, lon)
    tilt = rng.uniform(-0.004, 0.004, n)[:, None]
    heading = rng.uniform(0.0, 2 * np.pi, n)[:, None]
    relative = rng.uniform(1.0, 8000.0, n)[:, None] * (
        np.cos(tilt) * (np.cos(heading) * north + np.sin(heading) * east) + np.sin(tilt) * up)
    inertial = relative + omega * np.column_stack([-position[:, 1], position[:, 0], np.zeros(n)])
    climbs = np.sum(relative * up, axis=1)
    radial_disagrees = 0
    for i in range(n):
        state = tuple(position[i]) + tuple(inertial[i])
        radial_height, radial_climb = kernels.radial_height_and_climb(state, row)
        if abs(height[i]) > 1e-6:
            assert (radial_height > 0.0) == (height[i] > 0.0)
        assert kernels.rising(state, radial_climb, kernels.normal_tilt(row), row) == (climbs[i] > 0.0)
        radial_disagrees += (radial_climb > 0.0) != (climbs[i] > 0.0)
    assert radial_disagrees > n // 10  # the test reaches the band where only the geodetic normal decides


def _heikkinen(x, y, z, a, f):
    """Heikkinen's closed form (1982; Zhu 1994) in NumPy: geodetic latitude (rad) and height (m), no iteration."""
    e2 = f * (2.0 - f)
    b = a * (1.0 - f)
    p2 = x * x + y * y
    p = np.sqrt(p2)
    big_f = 54.0 * b * b * z * z
    g = p2 + (1.0 - e2) * z * z - e2 * (a * a - b * b)
    c = e2 * e2 * big_f * p2 / g ** 3
    s = np.cbrt(1.0 + c + np.sqrt(c * c + 2.0 * c))
    k = s + 1.0 / s + 1.0
    big_p = big_f / (3.0 * k * k * g * g)
    q = np.sqrt(1.0 + 2.0 * e2 * e2 * big_p)
    r0 = -(big_p * e2 * p) / (1.0 + q) + np.sqrt(np.maximum(  # negative only by rounding, at the poles
        0.5 * a * a * (1.0 + 1.0 / q) - big_p * (1.0 - e2) * z * z / (q * (1.0 + q)) - 0.5 * big_p * p2, 0.0))
    u = np.sqrt((p - e2 * r0) ** 2 + z * z)
    v = np.sqrt((p - e2 * r0) ** 2 + (1.0 - e2) * z * z)
    z0 = b * b * z / (a * v)
    return np.arctan2(z + e2 / (1.0 - e2) * z0, p), u * (1.0 - b * b / (a * v))


@pytest.mark.parametrize("low_m, high_m", [(-50e3, 0.0), (0.0, 100e3), (100e3, 3e6), (3e6, 1e8)])
def test_kernel_geodesy_equals_heikkinens_closed_form(low_m, high_m):
    """Two rounds of Bowring's iteration (``physics.geodetic_height``) against Heikkinen's closed form: latitude
    within 1e-14 rad, height within 1e-7 m, over every latitude (poles and equator included)."""
    import numba

    from shieldcheck import earth
    from shieldcheck.engine.physics import build

    geodetic_height = build(numba.njit).geodetic_height
    model = earth.earth_model("wgs84-j2-rotating")
    a, f = model.equatorial_radius_m, model.flattening
    rng = np.random.default_rng(7)
    latitude = np.concatenate([rng.uniform(-np.pi / 2, np.pi / 2, 3000), [np.pi / 2, -np.pi / 2, 0.0],
                               np.pi / 2 - rng.uniform(0.0, 1e-6, 100), rng.uniform(-1e-6, 1e-6, 100)])
    longitude = rng.uniform(-np.pi, np.pi, latitude.size)
    height = rng.uniform(low_m, high_m, latitude.size)
    x, y, z = earth.ecef_from_geodetic(latitude, longitude, height, model).T
    reference_latitude, reference_height = _heikkinen(x, y, z, a, f)
    for i in range(latitude.size):
        h, sin_latitude, cos_latitude, p = geodetic_height(x[i] ** 2 + y[i] ** 2, z[i], a, f)
        assert abs(np.arctan2(sin_latitude, cos_latitude) - reference_latitude[i]) < 1e-14
        assert abs(h - reference_height[i]) < 1e-7
        assert abs(p - np.hypot(x[i], y[i])) < 1e-6
