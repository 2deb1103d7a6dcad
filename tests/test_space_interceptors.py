"""Space-based interceptors: constellation geometry, J2 propagation, reach from orbit, absentee ratio,
salvo matching, bad input, and the CUDA kernel under numba-cuda's simulator.

References and tolerances:

* Walker geometry: the pattern's definition (Walker 1984): T satellites, P planes 360/P deg apart, S = T/P
  per plane 360/S deg apart, plane p offset by p F 360/T deg; exact to rounding (1e-9 deg).
* J2: the nodal regression rate -3/2 n J2 (R/a)^2 cos i (Vallado, Fundamentals of Astrodynamics and
  Applications, eq. 9-41) against the node of a numerical J2 integration (scipy DOP853, rtol 1e-12) fitted
  over a day: 0.3 % (second-order J2^2 terms are about 0.2 %); the model's positions against that integration
  from the same state: 1.5 km over a day for inclined orbits (measured 0.3-1.1 km), 5 km for an equatorial one
  (measured 4.2 km), where the model leaves out J2^2 short-period and J2^3 secular terms.
* Reach: a satellite directly above a point of the track, with the arrival time in closed form
  (tau = sqrt(2 d burn / dv) within the burn, d / dv + burn / 2 after it): 1e-6 s; the uniform-field reach
  against an integrated fly-out under J2 gravity: 2 % up to 200 s, 4.5 % up to 300 s (the gravity gradient
  across the fly-out, about n^2 tau^2 / 3, measured 1.6 % and 4.0 %).
* Absentee ratio: the APS 2003 study found at least 1,600 orbiting interceptors needed against one solid ICBM
  from North Korea (SBI_APS03, S), i.e. about one in range per 10^3 in orbit; the check is of that order of
  magnitude only (10^2 to 10^4), with the APS-2003-like catalog constellation as it stands (not tuned).
* The compiled kernel against a plain NumPy/Python loop (``space_intercept.reference_pairs``): 1e-9 relative;
  the per-launch loop with pruning against every pair: exact counts, best margins exact down to the horizon.
"""

import json
import math
import os
import subprocess
import sys

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from shieldcheck import catalog, earth, flight
from shieldcheck import space_intercept as S
from shieldcheck.catalog import constellations
from shieldcheck.constellation import GEOSTATIONARY_ALTITUDE_M, Carrier, Constellation, Walker
from shieldcheck.engine import orbit_reach as O
from shieldcheck.engine import results as R
from shieldcheck.errors import InputError
from shieldcheck.vehicles import KillVehicle
from shieldcheck.verdicts import Verdict

KV = KillVehicle("test SBI", 2_500.0, 12_000.0, 180.0, 2_500.0, 30.0)
CARRIER = Carrier("test SBI", 4_000.0, 40.0, 30.0, 5.0, 70e3, KV)
NORTH_KOREA = "40.0,127.5"  # a point in central North Korea for the APS check (no catalog site there)


def _j2_integration(constellation, k, time_s):
    """States of satellite k integrated under point-mass + J2 gravity (DOP853, rtol 1e-12) from the model's state
    at the epoch: an independent reference for the propagation."""
    model = constellation.earth
    gm, radius, j2 = model.gm_m3_s2, model.equatorial_radius_m, model.j2

    def derivative(_, y):
        r2 = y[0] ** 2 + y[1] ** 2 + y[2] ** 2
        mu = gm / (r2 * math.sqrt(r2))
        k_ = 1.5 * j2 * radius * radius / r2
        z2 = y[2] ** 2 / r2
        return [y[3], y[4], y[5], -mu * (1 + k_ * (1 - 5 * z2)) * y[0], -mu * (1 + k_ * (1 - 5 * z2)) * y[1],
                -mu * (1 + k_ * (3 - 5 * z2)) * y[2]]

    start = constellation.states_eci([0.0])[k, 0]
    done = solve_ivp(derivative, (0.0, time_s[-1]), start, method="DOP853", rtol=1e-12, atol=1e-6, t_eval=time_s)
    return done.y.T


# --- constellations -----------------------------------------------------------------------------------------
def test_walker_pattern_geometry():
    c = Constellation.walker_delta("test", 400e3, 55.0, 60, 6, 2, CARRIER)
    assert len(c) == 60
    raan = c.raan_deg.reshape(6, 10)
    u = c.argument_of_latitude_deg.reshape(6, 10)
    np.testing.assert_allclose(raan[:, 0], [0.0, 60.0, 120.0, 180.0, 240.0, 300.0], atol=1e-9)
    assert (raan == raan[:, :1]).all()  # one node per plane
    np.testing.assert_allclose(np.diff(u, axis=1) % 360.0, 36.0, atol=1e-9)  # S = 10 per plane
    np.testing.assert_allclose((u[1:, 0] - u[:-1, 0]) % 360.0, 2 * 360.0 / 60, atol=1e-9)  # F = 2: 12 deg per plane
    # the state at the epoch: on the orbit's plane, at the mean radius within the short-period term
    states = c.states_eci([0.0])[:, 0]
    normal = np.cross(states[:, :3], states[:, 3:])
    inclination = np.degrees(np.arccos(normal[:, 2] / np.linalg.norm(normal, axis=1)))
    np.testing.assert_allclose(inclination, 55.0, atol=0.05)  # 3/4 gamma cos i sin i = 0.02 deg short-period
    a = earth.EARTH_MODELS["wgs84-j2-rotating"].equatorial_radius_m + 400e3
    assert np.abs(np.linalg.norm(states[:, :3], axis=1) - a).max() < 12e3  # J2 terms: a few km


def test_a_walker_pattern_resized_keeps_its_shape():
    c = constellations.constellation("APS-2003-like")
    bigger = c.resized(6_400)
    assert len(bigger) == 6_400 and bigger.walker.planes == 80 and bigger.walker.per_plane == 80
    assert bigger.walker.altitude_m == c.walker.altitude_m and bigger.carrier == c.carrier


def test_the_catalog_constellations_load_with_their_sources():
    names = constellations.names()
    assert {"APS-2003-like", "CBO-2025-like", "CBO-2026-like"} <= set(names)
    sizes = {name: len(constellations.constellation(name)) for name in names}
    assert sizes["APS-2003-like"] == 1_600 and sizes["CBO-2026-like"] == 7_800 and sizes["CBO-2025-like"] == 1_300
    c = constellations.constellation("cbo 2026")  # alias, case and spaces ignored
    assert c.name == "CBO-2026-like" and 300e3 <= c.altitude_m[0] <= 500e3
    assert any("Congressional Budget Office" in s for s in c.sources)
    keys = constellations.record_sources("APS-2003-like")
    assert "SBI_APS03" in keys and "MODEL" in keys
    # every value that is not a published number is flagged an estimate with its range (the carrier's)
    record = constellations.record("APS-2003-like")
    for name in ("delta_v_km_s", "burn_time_s", "decision_delay_s", "launch_delay_s", "min_intercept_altitude_km"):
        item = getattr(record.carrier, name)
        assert item.estimate and item.low <= item.value <= item.high and item.basis


# --- J2 propagation --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("altitude_km, inclination_deg, tolerance_m", [
    (300.0, 45.0, 1_500.0), (500.0, 97.0, 1_500.0), (1_200.0, 30.0, 1_500.0), (400.0, 0.0, 5_000.0)])
def test_propagation_against_a_numerical_j2_integration(altitude_km, inclination_deg, tolerance_m):
    c = Constellation.from_orbits("one", altitude_km * 1e3, inclination_deg, 40.0, 25.0, CARRIER)
    time_s = np.linspace(0.0, 86_400.0, 145)
    model = c.states_eci(time_s)[0]
    reference = _j2_integration(c, 0, time_s)
    assert np.linalg.norm(reference[:, :3] - model[:, :3], axis=1).max() < tolerance_m
    # the compiled kernel is the same theory as the NumPy one (the packing included)
    compiled = np.zeros((1, len(time_s), 6))
    O.state_batch(c.elements(), time_s, compiled)
    np.testing.assert_allclose(compiled[0], model, rtol=0, atol=1e-6)


@pytest.mark.parametrize("altitude_km, inclination_deg", [(300.0, 45.0), (500.0, 60.0), (1_200.0, 30.0)])
def test_nodal_regression_against_vallado(altitude_km, inclination_deg):
    c = Constellation.from_orbits("one", altitude_km * 1e3, inclination_deg, 40.0, 25.0, CARRIER)
    time_s = np.linspace(0.0, 86_400.0, 289)
    states = _j2_integration(c, 0, time_s)
    h = np.cross(states[:, :3], states[:, 3:])
    node = np.unwrap(np.arctan2(h[:, 0], -h[:, 1]))
    fitted = np.polyfit(time_s, node, 1)[0]
    model = c.earth
    a = model.equatorial_radius_m + altitude_km * 1e3
    n = math.sqrt(model.gm_m3_s2 / a**3)
    vallado = -1.5 * n * model.j2 * (model.equatorial_radius_m / a) ** 2 * math.cos(math.radians(inclination_deg))
    assert abs(fitted / vallado - 1.0) < 3e-3
    assert abs(fitted / c.mean_rates()["raan_rate_rad_s"][0] - 1.0) < 5e-4  # with the second-order terms


# --- reach from orbit -------------------------------------------------------------------------------------------
def _track_under(satellite_altitude_m: float, point_height_m: float, sample_s: float, climb_m_s: float):
    """One equatorial satellite and a one-sample compact track directly below it at ``sample_s`` (s after a launch
    at the epoch), climbing vertically at ``climb_m_s``; the geodetic normal is the radius on the equator."""
    c = Constellation.from_orbits("overhead", satellite_altitude_m, 0.0, 0.0, 0.0, CARRIER)
    state = c.states_eci([sample_s])[0, 0]
    model = c.earth
    ecef = earth.ecef_from_eci(state[:3], sample_s, model.rotation_rate_rad_s)
    longitude = math.atan2(ecef[1], ecef[0])
    tracks = np.zeros((1, 1, R.N_TRACK))
    tracks[0, 0, R.T_TIME] = sample_s
    tracks[0, 0, R.T_HEIGHT] = point_height_m
    tracks[0, 0, R.T_NORMAL:R.T_NORMAL + 3] = [math.cos(longitude), math.sin(longitude), 0.0]
    tracks[0, 0, R.T_VELOCITY:R.T_VELOCITY + 3] = climb_m_s * np.array([math.cos(longitude), math.sin(longitude), 0.0])
    return c, (tracks, np.array([1]), np.array([200.0]))


@pytest.mark.parametrize("satellite_km, point_km", [(400.0, 100.0), (150.0, 100.0)])
def test_reach_of_a_satellite_directly_above_the_point(satellite_km, point_km):
    sample_s, climb = 150.0, 3_000.0
    c, tracks = _track_under(satellite_km * 1e3, point_km * 1e3, sample_s, climb)
    result = S.pair_results(tracks, c, 0.0, detection_s=0.0).values[0, 0]
    # by hand: an equatorial circular orbit sits at r = a (1 - 3/2 gamma) and moves east at n a (1 + 3/2 gamma)
    # (the short-period terms with i = 0); the point lies on the same radius at R_e + h
    model = c.earth
    a = model.equatorial_radius_m + satellite_km * 1e3
    gamma = model.j2 * (model.equatorial_radius_m / a) ** 2
    distance = a * (1.0 - 1.5 * gamma) - (model.equatorial_radius_m + point_km * 1e3)
    dv, burn = 4_000.0, 40.0
    if distance <= 0.5 * dv * burn:  # still burning: d = 1/2 (dv / burn) tau^2
        fly_out, speed = math.sqrt(2.0 * distance * burn / dv), dv * math.sqrt(2.0 * distance * burn / dv) / burn
    else:  # coasting: d = dv (tau - burn / 2)
        fly_out, speed = distance / dv + 0.5 * burn, dv
    release = 0.0 + 30.0 + 5.0  # detection at launch, decision, launch
    margin = sample_s - release - fly_out
    assert result[O.P_VERDICT] == Verdict.FEASIBLE
    assert result[O.P_MARGIN] == pytest.approx(margin, abs=1e-6)
    assert result[O.P_DISTANCE] == pytest.approx(distance, abs=1e-3)
    assert result[O.P_FLY_OUT] == pytest.approx(fly_out, abs=1e-6)
    # closing: the threat climbs at 3 km/s while the kill vehicle comes straight down at its speed; across, the
    # satellite's eastward speed against the Earth's rotation at the point
    n = math.sqrt(model.gm_m3_s2 / a**3)
    across = n * a * (1.0 + 1.5 * gamma) - model.rotation_rate_rad_s * (model.equatorial_radius_m + point_km * 1e3)
    assert result[O.P_CLOSING] == pytest.approx(math.hypot(climb + speed, across), abs=1e-6)
    # later detection: the margin shrinks one for one, into too_late
    late = S.pair_results(tracks, c, 0.0, detection_s=margin + 10.0).values[0, 0]
    assert late[O.P_VERDICT] == Verdict.TOO_LATE and late[O.P_MARGIN] == pytest.approx(-10.0, abs=1e-6)


@pytest.mark.parametrize("direction", ["down", "up", "ahead", "side", "down-ahead"])
def test_uniform_field_reach_against_an_integrated_fly_out(direction):
    c = Constellation.from_orbits("one", 300e3, 50.0, 30.0, 10.0, CARRIER)
    model = c.earth
    gm, radius, j2 = model.gm_m3_s2, model.equatorial_radius_m, model.j2
    start = c.states_eci([0.0])[0, 0]
    up = start[:3] / np.linalg.norm(start[:3])
    ahead = start[3:] / np.linalg.norm(start[3:])
    unit = {"down": -up, "up": up, "ahead": ahead, "side": np.cross(up, ahead),
            "down-ahead": (ahead - up) / math.sqrt(2.0)}[direction]
    dv, burn = CARRIER.delta_v_m_s, CARRIER.burn_time_s

    def fly(fly_out_s: float, thrust: bool) -> np.ndarray:
        def derivative(t, y):
            r2 = y[0] ** 2 + y[1] ** 2 + y[2] ** 2
            mu = gm / (r2 * math.sqrt(r2))
            k_ = 1.5 * j2 * radius * radius / r2
            z2 = y[2] ** 2 / r2
            push = dv / burn * unit if thrust and t < burn else np.zeros(3)
            return [y[3], y[4], y[5], -mu * (1 + k_ * (1 - 5 * z2)) * y[0] + push[0],
                    -mu * (1 + k_ * (1 - 5 * z2)) * y[1] + push[1], -mu * (1 + k_ * (3 - 5 * z2)) * y[2] + push[2]]
        y = start
        for t0, t1 in ((0.0, min(burn, fly_out_s)), (burn, fly_out_s)):
            if t1 > t0:
                y = solve_ivp(derivative, (t0, t1), y, method="DOP853", rtol=1e-11, atol=1e-6).y[:, -1]
        return y[:3]

    for fly_out, tolerance in ((60.0, 0.02), (200.0, 0.02), (300.0, 0.045)):
        reach = 0.5 * dv / burn * fly_out**2 if fly_out <= burn else dv * (fly_out - 0.5 * burn)
        displacement = fly(fly_out, True) - fly(fly_out, False)
        assert np.linalg.norm(displacement - reach * unit) / reach < tolerance, fly_out


# --- flights ------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def boosts(topol):
    """Topol-M (solid, 180 s burn; the catalog's stand-in for the APS solid ICBM) from central North Korea towards
    the United States and from Teykovo: the boost and early ascent as compact tracks."""
    sites = [catalog.site(NORTH_KOREA), catalog.site(NORTH_KOREA), catalog.site("Teykovo")]
    return flight.fly_launch(topol, sites, [45.0, 30.0, 0.0], [20.0, 25.0, 20.0], tracks=True,
                             integrator=flight.Integrator(max_flight_time_s=400.0))


def test_absentee_ratio_of_the_aps_constellation_is_of_the_aps_order(boosts):
    c = constellations.constellation("APS-2003-like")
    times = np.linspace(0.0, 86_400.0, 48, endpoint=False)
    result = S.engage_from_orbit(boosts[:1], c, times, flight_index=np.zeros(48, np.int64))
    ratio = result.absentee_ratio()
    assert 1e2 <= ratio <= 1e4, ratio
    # the same figure per group and over time, and the words
    group = result.by_group(["North Korea"] * 48)["North Korea"]
    assert group["absentee_ratio"] == ratio and group["launches"] == 48
    rows = result.over_time(6 * 3_600.0)
    assert len(rows) == 4 and sum(r["launches"] for r in rows) == 48
    i = int(np.argmax(result.engaging))
    assert "satellites can engage it" in result.explain(i)
    # a ten-times larger pattern of the same family has about ten times as many in range: the ratio holds
    larger = S.engage_from_orbit(boosts[:1], c.resized(16_000), times, flight_index=np.zeros(48, np.int64))
    assert 0.5 < larger.absentee_ratio() / ratio < 2.0


def test_the_kernel_equals_the_plain_loop_and_the_pruned_summaries_equal_every_pair(boosts):
    c = constellations.constellation("APS-2003-like").resized(400)
    times = np.array([0.0, 7_200.0, 30_000.0, 61_000.0, 0.0, 40_000.0])
    index = np.array([0, 1, 2, 0, 2, 1])
    pairs = S.pair_results(boosts, c, times, flight_index=index)
    reference = S.reference_pairs(boosts, c, times, flight_index=index)
    finite = np.isfinite(reference)
    assert (np.isfinite(pairs.values) == finite).all()
    np.testing.assert_allclose(pairs.values[finite], reference[finite], rtol=1e-9, atol=1e-6)
    assert (pairs.verdict == Verdict.FEASIBLE).any() and (pairs.verdict == Verdict.TOO_LATE).any()
    summary = S.engage_from_orbit(boosts, c, times, flight_index=index, horizon_s=60.0)
    np.testing.assert_array_equal(summary.engaging, (pairs.verdict == Verdict.FEASIBLE).sum(axis=1))
    np.testing.assert_array_equal(summary.reaching, pairs.column(O.P_REACHED).sum(axis=1))
    usable = np.where(pairs.usable_margin_s >= -60.0, pairs.usable_margin_s, -np.inf)
    np.testing.assert_array_equal(summary.best_margin_s, usable.max(axis=1))
    for i in range(len(times)):
        assert set(summary.engaging_satellites(i)) == set(np.flatnonzero(pairs.verdict[i] == Verdict.FEASIBLE))
    assert summary.summary[:, O.S_EVALUATED].sum() < 0.5 * len(times) * len(c)  # the pruning skips most


def test_the_endgame_rules_apply_from_orbit(boosts):
    c = constellations.constellation("APS-2003-like")
    times = np.linspace(0.0, 86_400.0, 8, endpoint=False)
    index = np.zeros(8, np.int64)
    reach_only = S.engage_from_orbit(boosts, c, times, flight_index=index, endgame="none")
    kinematic = S.engage_from_orbit(boosts, c, times, flight_index=index)
    assert (kinematic.engaging <= reach_only.engaging).all()
    slow = KillVehicle("slow", 2_500.0, 6_000.0, 180.0, 2_500.0, 30.0)  # a kill vehicle that cannot close fast
    strict = S.engage_from_orbit(boosts, c.with_carrier(Carrier("slow", 4_000.0, 40.0, 30.0, 5.0, 70e3, slow)),
                                 times, flight_index=index)
    assert strict.engaging.sum() < kinematic.engaging.sum()
    pairs = S.pair_results(boosts[:1], c.with_carrier(Carrier("slow", 4_000.0, 40.0, 30.0, 5.0, 70e3, slow)),
                           times[:1])
    failed = np.flatnonzero(pairs.verdict[0] == Verdict.ENDGAME_INFEASIBLE)
    assert failed.size and "closing speed" in pairs.explain(0, int(failed[0]))


def test_a_launch_detected_too_late_is_never_engaged(boosts):
    c = constellations.constellation("APS-2003-like")
    never = S.engage_from_orbit(boosts[:1], c, [0.0], detection_s=np.inf)
    assert never.engaging[0] == 0 and not never.detected[0] and "never detected" in never.explain(0)
    late = S.pair_results(boosts[:1], c.resized(100), [0.0], detection_s=170.0)  # released after burnout
    assert (late.verdict == Verdict.TOO_LATE).all()
    np.testing.assert_allclose(late.margin_s, 180.0 - 170.0 - 35.0)


# --- salvos ---------------------------------------------------------------------------------------------------------
def _engagements_with_lists(lists):
    c = Constellation.walker_delta("small", 400e3, 50.0, 10, 2, 0, CARRIER)
    n, capacity = len(lists), 8
    listed = -np.ones((n, capacity), np.int64)
    summary = np.zeros((n, O.N_SUMMARY))
    for i, satellites in enumerate(lists):
        listed[i, :len(satellites)] = satellites
        summary[i, O.S_ENGAGING] = len(satellites)
    launches = S.Launches(np.zeros((1, 1, R.N_TRACK)), np.ones(1, np.int64), np.zeros((n, O.N_LAUNCH)), np.zeros(n))
    return S.SpaceEngagements(c, launches, summary, listed, np.zeros((n, capacity)), S.NO_ENDGAME, 60.0)


def test_salvo_matching_by_hand():
    # missile 0 can be engaged by satellites 1 or 2, missiles 1 and 2 only by satellite 1: two engaged at most
    # (a greedy choice of satellite 1 for missile 0 would engage one)
    result = _engagements_with_lists([[1, 2], [1], [1]])
    assert S.salvo_engaged(result, [0, 1, 2]) == 2
    assert S.salvo_engaged(result, [0, 1]) == 2
    assert S.salvo_engaged(result, [1, 2]) == 1
    assert S.salvo_engaged(_engagements_with_lists([[3], [4], []]), [0, 1, 2]) == 2
    with pytest.raises(InputError, match="salvo"):
        S.salvo_engaged(result, [5])


def test_satellites_needed_is_reproducible_and_grows_with_the_salvo(boosts):
    c = constellations.constellation("APS-2003-like")
    options = dict(sizes=(400, 1_600, 6_400), trials=12, seed=3)
    one = S.satellites_needed(boosts[:2], c, 1, **options)
    again = S.satellites_needed(boosts[:2], c, 1, **options)
    assert one == again
    assert one.all_engaged[-1] >= one.all_engaged[0] and one.all_engaged[-1] > 0.5
    three = S.satellites_needed(boosts[:2], c, 3, **options)
    assert all(p3 <= p1 for p1, p3 in zip(one.all_engaged, three.all_engaged))
    assert three.as_dict()["salvo_size"] == 3


# --- bad input -------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("key, value, message", [
    ("altitude_km", "100.0", r"constellations.toml:\d+: constellation 'APS-2003-like': altitude_km = 100.0 is not "
                             r"allowed; allowed: 150 to 35,786 km"),
    ("altitude_km", "40000.0", r"altitude_km = 40000.0 is not allowed; allowed: 150 to 35,786 km"),
    ("inclination_deg", "190.0", r"inclination_deg = 190.0 is not allowed; allowed: 0 to 180 deg"),
    ("satellites", "0.0", r"satellites = 0.0 is not allowed; allowed: a whole number 1 to"),
    ("decision_delay_s", "-5.0", r"decision_delay_s = -5.0 is not allowed; allowed: 0 to 3,600 s"),
    ("launch_delay_s", "inf", r"constellations.toml:\d+: constellation\[0\] \('APS-2003-like'\)\.carrier\.launch_delay_s\.value "
                              r"= inf: Input should be a finite number"),
    ("burn_time_s", "nan", r"carrier.burn_time_s.value = nan: Input should be a finite number"),
    ("phasing", "40.0", r"phasing = 40.0 is not allowed; allowed: a whole number from 0 to planes - 1 = 39"),
])
def test_bad_constellation_file_is_one_line(data_copy, key, value, message):
    """The first constellation's ``key`` set to ``value`` (its range, where it has one, set to the value too)."""
    path = data_copy / "constellations.toml"
    lines = path.read_text().splitlines()
    line = next(i for i, text in enumerate(lines) if text.startswith(f"{key} = "))
    ranged = "low" in lines[line]
    extra = f', low = {value}, high = {value}, basis = "test"' if ranged else ""
    lines[line] = f'{key} = {{ value = {value}, source = "MODEL", estimate = true{extra} }}'
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError, match=message) as error:
        constellations.load(str(data_copy))
    assert "\n" not in str(error.value) and str(path) in str(error.value)


def test_bad_records_and_calls_are_one_line(boosts):
    for call, message in [
        (lambda: Constellation.walker_delta("x", 140e3, 50.0, 10, 2, 0, CARRIER),
         r"altitude_m = 140000.0 is not allowed"),
        (lambda: Constellation.walker_delta("x", GEOSTATIONARY_ALTITUDE_M + 1e3, 50.0, 10, 2, 0, CARRIER),
         r"altitude_m = .* is not allowed"),
        (lambda: Constellation.walker_delta("x", 400e3, -1.0, 10, 2, 0, CARRIER), r"inclination_deg = -1.0"),
        (lambda: Constellation.walker_delta("x", 400e3, 50.0, 0, 1, 0, CARRIER), r"satellites = 0 is not allowed"),
        (lambda: Constellation.walker_delta("x", 400e3, 50.0, 10, 3, 0, CARRIER), r"not a multiple of planes"),
        (lambda: Constellation.from_orbits("x", [], [], [], [], CARRIER), r"satellites = 0 is not allowed"),
        (lambda: Constellation.from_orbits("x", [400e3, 100e3], 50.0, 0.0, 0.0, CARRIER), r"orbit 2.*altitude_m"),
        (lambda: Carrier("x", 4_000.0, 40.0, -1.0, 5.0, 70e3), r"decision_delay_s = -1.0 is not allowed"),
        (lambda: Carrier("x", 4_000.0, 40.0, 30.0, math.nan, 70e3), r"launch_delay_s = nan is not allowed"),
        (lambda: Carrier("x", 4_000.0, 40.0, 30.0, math.inf, 70e3), r"launch_delay_s = inf is not allowed"),
        (lambda: S.engage_from_orbit(boosts, constellations.constellation("APS-2003-like"), [math.nan] * 3),
         r"launch_time_s"),
        (lambda: S.engage_from_orbit(boosts, "APS-2003-like", [0.0] * 3), r"give a constellation.Constellation"),
        (lambda: S.engage_from_orbit(flight.fly_launch(catalog.missile("Topol-M"), catalog.site(NORTH_KOREA), 45.0,
                                                       20.0), constellations.constellation("APS-2003-like"), [0.0]),
         r"no samples were recorded; fly them with tracks=True"),
        (lambda: S.engage_from_orbit(boosts, constellations.constellation("APS-2003-like"), [0.0] * 3,
                                     detection_s=-1.0), r"detection_s = -1.0"),
        (lambda: S.engage_from_orbit(boosts, constellations.constellation("APS-2003-like"), [0.0] * 3,
                                     after_burnout_s=math.inf), r"after_burnout_s = inf is not allowed"),
        (lambda: constellations.constellation("APS-2030"), r"constellation: 'APS-2030' is not an allowed choice.*Did you mean"),
        (lambda: Walker(400e3, 50.0, 10, 2, 5).check("x"), r"phasing = 5 is not allowed"),
    ]:
        with pytest.raises(InputError, match=message) as error:
            call()
        assert "\n" not in str(error.value)


# --- CUDA, under the simulator ----------------------------------------------------------------------------------------
CUDA_SCRIPT = r"""
import json, sys, numpy as np
from shieldcheck import space_intercept as S
from shieldcheck.catalog import constellations
from shieldcheck.constellation import Constellation
data = np.load(sys.argv[1])
base = constellations.constellation("APS-2003-like")
pick = data["satellites"]
c = Constellation.from_orbits("few", base.altitude_m[pick], base.inclination_deg[pick], base.raan_deg[pick],
                              base.argument_of_latitude_deg[pick], base.carrier)
tracks = (data["tracks"], data["counts"], data["burnout"])
out = {}
for device in ("cpu", "gpu"):
    pairs = S.pair_results(tracks, c, data["times"], flight_index=data["index"], device=device)
    summary = S.engage_from_orbit(tracks, c, data["times"], flight_index=data["index"], device=device)
    out[device] = [np.nan_to_num(pairs.values, posinf=1e300, neginf=-1e300).tolist(),
                   np.nan_to_num(summary.summary, posinf=1e300, neginf=-1e300).tolist(), summary.listed.tolist()]
print(json.dumps(out))
"""


def test_cuda_kernels_match_the_cpu_under_the_simulator(boosts, tmp_path):
    c = constellations.constellation("APS-2003-like")
    times = np.array([0.0, 21_600.0])
    index = np.array([0, 2])
    pairs = S.pair_results(boosts, c, times, flight_index=index)
    engaging = np.flatnonzero((pairs.verdict == Verdict.FEASIBLE).any(axis=0))
    others = np.setdiff1d(np.arange(0, len(c), 97), engaging)[:6]
    satellites = np.concatenate([engaging[:6], others])
    assert engaging.size > 0
    tracks, counts = np.asarray(boosts.tracks), boosts.summary[:, flight.P.O_HISTORY_COUNT].astype(np.int64)
    np.savez(tmp_path / "case.npz", tracks=tracks, counts=counts, burnout=boosts.burnout_time_s, times=times,
             index=index, satellites=satellites)
    env = dict(os.environ, NUMBA_ENABLE_CUDASIM="1")
    done = subprocess.run([sys.executable, "-c", CUDA_SCRIPT, str(tmp_path / "case.npz")], env=env,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    for cpu, gpu in zip(result["cpu"], result["gpu"]):
        np.testing.assert_allclose(np.array(gpu), np.array(cpu), rtol=1e-9, atol=1e-6)
    assert np.array(result["cpu"][1])[:, O.S_ENGAGING].sum() > 0


def test_the_benchmark_runs_on_a_small_case():
    """benchmarks/bench_sbi.py as written, on a few satellites and launches: its plain loop and the kernel agree."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).parents[1] / "benchmarks" / "bench_sbi.py"
    spec = importlib.util.spec_from_file_location("bench_sbi", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = module.run(300, 6, 2, n_flights=3)
    assert result["counts_agree"] and result["pairs"] == 6 * result["satellites"]
    assert set(result["by_area"]) <= {name for name, *_ in module.GROUPS}
    assert result["kernel_s"] > 0.0 and result["naive_s"] > 0.0


def test_coverage_grows_with_delta_v_and_shrinks_with_the_decision_delay(boosts):
    """Reach only (no endgame): a faster interceptor reaches every point sooner and a later release leaves less
    time, so the satellites in range can only grow with delta-v and shrink with the decision delay."""
    c = constellations.constellation("APS-2003-like")
    times = np.linspace(0.0, 86_400.0, 24, endpoint=False)
    options = dict(flight_index=np.zeros(24, np.int64), endgame="none")
    faster = S.absentee_ratio_versus(boosts, c, times, "delta_v_m_s", [3_000.0, 4_000.0, 6_000.0], **options)
    engaging = [row["mean_engaging"] for row in faster]
    assert engaging == sorted(engaging) and engaging[-1] > engaging[0]
    slower = S.absentee_ratio_versus(boosts, c, times, "decision_delay_s", [10.0, 30.0, 60.0], **options)
    engaging = [row["mean_engaging"] for row in slower]
    assert engaging == sorted(engaging, reverse=True) and engaging[0] > engaging[-1]
    higher = S.absentee_ratio_versus(boosts, c, times, "altitude_m", [300e3, 800e3], **options)
    assert higher[0]["satellites"] == higher[1]["satellites"] == 1_600
    with pytest.raises(InputError, match="Did you mean 'delta_v_m_s'"):
        S.varied(c, "delta_v", 1.0)
