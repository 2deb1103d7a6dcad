"""Fractional-orbit (FOBS) aiming in the compiled kernel (``engine/fobs.py`` through ``orbital.aim_fobs`` and
``orbital.fly_fobs``), against independent flights and the solver it replaced.

References:

- *the ordinary flight path*: every solved route flown again through ``flight.fly_launch`` (the kernel stopped at
  the deorbit time), ``orbital.deorbit_impulse`` and ``orbital.fly_reentry``, and its impact measured on the
  ellipsoid by Karney's geodesic (``earth.geodesic_inverse``); tolerance 100 m, the aiming tolerance;
- *the two-body conic*: a refusal for an orbit out of reach is checked with ``orbital.orbit_altitudes_m`` on the
  burnout state of the deciding full burn, flown again; one for a deorbit that does not come down with the
  conic after the impulse (Bate, Mueller & White 1971, ch. 2);
- *the Python-driven solver it replaced* (``benchmarks/python_fobs_aiming.py``): the same routes agree where both
  converge (impacts within the tolerance, the same launch direction and revolution);
- *the CPU kernel*: the CUDA kernel compiled from the same source, run by numba-cuda's simulator.

The closed-form checks of the orbit and of the deorbit's range are in ``tests/test_orbital_vs_kepler.py``.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from cli_helpers import run

from shieldcheck import assess, catalog, earth, launch_areas, orbital, scenario
from shieldcheck.engine import fobs as F
from shieldcheck.engine import pack as P
from shieldcheck.errors import InputError
from shieldcheck.flight import Integrator, fly_launch
from shieldcheck.vehicles import FractionalOrbit

TOLERANCE_M = 100.0  # the aiming tolerance asked for and checked (fly_fobs's default)
BENCHMARKS = Path(__file__).parents[1] / "benchmarks"
MODEL = earth.earth_model(earth.DEFAULT_EARTH)
HALF_MERIDIAN_M = float(earth.geodesic_inverse(90.0, 0.0, -90.0, 0.0, MODEL)[0])  # the farthest any aim can be
PROPERTY_ROUTES = 300
SEED = 2024


@pytest.fixture(scope="module")
def r36orb():
    return catalog.missile("R-36orb")


def fobs_launch_areas() -> list[str]:
    """The catalog sites from which the built-in scenarios launch a FOBS missile."""
    return sorted({launch for launch, _, _ in built_in_routes()})


def built_in_routes() -> list[tuple[str, str, str]]:
    """(launch site, aim point, missile) of every distinct FOBS flight of the built-in scenarios."""
    found = {}
    for name in scenario.builtin_names():
        for missile, _, launches, aims in assess.threat_groups(scenario.load(name)):
            if missile.orbital is not None:
                for launch, aim in zip(launches, aims):
                    found[(launch.name, aim.name, missile.name)] = None
    return list(found)


def flown_through_the_ordinary_path(vehicle, lat, lon, aims: orbital.FractionalOrbitAims):
    """Impact points (lat, lon deg) of solved controls flown by flight.fly_launch stopped at each deorbit time,
    the impulse (orbital.deorbit_impulse) and the re-entry (orbital.fly_reentry), and the fraction of a revolution
    flown: the inertial angle swept about the Earth's centre from launch to insertion to deorbit to impact, each
    leg in the sense of the orbit's motion."""
    boost = []
    for i in range(len(lat)):
        boost.append(fly_launch(vehicle, earth.Site("launch", lat[i], lon[i]), aims.azimuth_deg[i], aims.kick_deg[i],
                                aims.cutoff_s[i], integrator=Integrator(max_flight_time_s=float(aims.deorbit_time_s[i])))
                     .summary[0])
    boost = np.array(boost)
    states = boost[:, P.O_END_STATE:P.O_END_STATE + 6]
    after = orbital.deorbit_impulse(states, vehicle.orbital.deorbit_delta_v_m_s)
    summary, _ = orbital.fly_reentry(after, boost[:, P.O_END_T], vehicle, MODEL, "ussa1976", Integrator(), False, "cpu")
    assert np.all(summary[:, P.O_STATUS] == P.STATUS_IMPACT)
    lat_i, lon_i, _ = earth.geodetic_from_ecef(summary[:, P.O_IMPACT_ECEF:P.O_IMPACT_ECEF + 3], MODEL)
    insertion = boost[:, P.O_BURNOUT_STATE:P.O_BURNOUT_STATE + 3]
    normal = np.cross(insertion, boost[:, P.O_BURNOUT_STATE + 3:P.O_BURNOUT_STATE + 6])
    launch_eci = earth.ecef_from_geodetic(np.radians(lat), np.radians(lon), np.zeros(len(lat)), MODEL)

    def swept(start, end):
        cross = np.cross(start, end)
        sine = np.linalg.norm(cross, axis=1) * np.sign(np.sum(cross * normal, axis=1))
        return np.arctan2(sine, np.sum(start * end, axis=1)) % (2.0 * np.pi)

    revolutions = (swept(launch_eci, insertion) + swept(insertion, states[:, :3])
                   + swept(states[:, :3], summary[:, P.O_END_STATE:P.O_END_STATE + 3])) / (2.0 * np.pi)
    return np.degrees(lat_i), np.degrees(lon_i), revolutions


def aims_of(aims: orbital.FractionalOrbitAims, rows) -> orbital.FractionalOrbitAims:
    """The routes ``rows`` of a batch's answer."""
    return dataclasses.replace(aims, **{f.name: getattr(aims, f.name)[rows] for f in dataclasses.fields(aims)
                                        if isinstance(getattr(aims, f.name), np.ndarray)})


def random_routes(n: int, seed: int):
    """Launch points drawn in the FOBS launch areas and aims at 5 % to 99.5 % of the farthest distance (half the
    meridian: a FOBS reaches every point): a third on polar bearings (within 10 deg of north or south, so that
    the long way round crosses a pole), a third on the antipodal side (85 % to 99.5 %), a third anywhere."""
    rng = np.random.default_rng(seed)
    areas = fobs_launch_areas()
    area = rng.integers(0, len(areas), n)
    lat, lon = np.empty(n), np.empty(n)
    for k, name in enumerate(areas):
        pick = area == k
        if pick.any():
            lat[pick], lon[pick] = launch_areas.sample(name, int(pick.sum()), seed=seed)
    bearing = rng.uniform(0.0, 360.0, n)
    fraction = rng.uniform(0.05, 0.995, n)
    third = n // 3
    bearing[:third] = np.where(rng.random(third) < 0.5, 0.0, 180.0) + rng.uniform(-10.0, 10.0, third)
    fraction[third:2 * third] = rng.uniform(0.85, 0.995, third)
    aim_lat, aim_lon = earth.geodesic_direct(lat, lon, bearing, fraction * HALF_MERIDIAN_M, MODEL)
    return lat, lon, aim_lat, aim_lon, fraction


def sites(lat, lon):
    return [earth.Site(f"point {i}", float(a), float(b)) for i, (a, b) in enumerate(zip(lat, lon))]


# --- (a) agreement with the solver it replaced, on the built-in routes -------------------------------------------

def _python_solver():
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))
    spec = importlib.util.spec_from_file_location("python_fobs_aiming", BENCHMARKS / "python_fobs_aiming.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_built_in_routes_agree_with_the_python_driven_solver(r36orb):
    routes = built_in_routes()
    assert routes, "the built-in scenarios fly no FOBS"
    assert {name for _, _, name in routes} == {"R-36orb"}
    launch = [catalog.site(a) for a, _, _ in routes]
    aim = [catalog.site(b) for _, b, _ in routes]
    lat, lon = (np.array([getattr(s, k) for s in launch]) for k in ("latitude_deg", "longitude_deg"))
    aim_lat, aim_lon = (np.array([getattr(s, k) for s in aim]) for k in ("latitude_deg", "longitude_deg"))
    new = orbital.fly_fobs(r36orb, launch, aim, history=False)
    old = _python_solver().solve(r36orb, lat, lon, aim_lat, aim_lon)
    # both land within the tolerance (the old solver's answer flown as it flew it)
    assert np.all(old["miss_m"] < TOLERANCE_M) and np.all(new.miss_m() < TOLERANCE_M)
    new_impact = new.summary[:, P.O_IMPACT_ECEF:P.O_IMPACT_ECEF + 3]
    assert np.all(np.linalg.norm(new_impact - old["impact_ecef_m"], axis=1) < 2.0 * TOLERANCE_M)
    # the same branch: launched the same way round (azimuths within 0.5 deg: the kick's search noise turns the
    # track by a few hundredths of a degree), on the same kick to a degree (the least-propellant kick lies where the
    # cut-off is flat in it), on the same orbit (cut-off to 0.1 s) and the same revolution (deorbit within 30 s: a
    # revolution is 5,300 s; the two kicks' orbits differ by about a second of period)
    assert np.all(np.abs((new.azimuth_deg - old["azimuth_deg"] + 180.0) % 360.0 - 180.0) < 0.5)
    assert np.all(np.abs(new.kick_deg - old["kick_deg"]) < 1.0)
    assert np.all(np.abs(new.cutoff_s - old["cutoff_s"]) < 0.1)
    assert np.all(np.abs(new.deorbit_time_s - old["deorbit_time_s"]) < 30.0)
    assert np.all((0.5 < new.revolution_fraction) & (new.revolution_fraction < 1.0))


# --- (b) every route lands, or is refused with a reason that is true ----------------------------------------------

@pytest.fixture(scope="module")
def property_routes(r36orb):
    lat, lon, aim_lat, aim_lon, fraction = random_routes(PROPERTY_ROUTES, SEED)
    aims = orbital.aim_fobs(r36orb, sites(lat, lon), sites(aim_lat, aim_lon))
    return lat, lon, aim_lat, aim_lon, fraction, aims


@pytest.mark.slow
def test_random_routes_land_within_100_m_by_the_ordinary_flight_path(r36orb, property_routes):
    lat, lon, aim_lat, aim_lon, fraction, aims = property_routes
    # the draw covers what it says: polar (a pole within the long way round), antipodal side, near and far
    assert fraction.min() < 0.1 and fraction.max() > 0.98
    assert np.sum(fraction > 0.95) >= 20
    assert len(set(np.round(lat, 3))) > PROPERTY_ROUTES // 2  # launch points spread over the area
    landed = aims.landed
    refused = np.flatnonzero(~landed)
    # the catalog's R-36orb reaches its orbit on every azimuth and brings its warhead down anywhere: every route
    # lands; a refusal would have to say why (checked on missiles that cannot, below)
    assert refused.size == 0, [aims.reasons[i] for i in refused[:5]]
    assert np.all(aims.miss_m < TOLERANCE_M)
    impact_lat, impact_lon, revolutions = flown_through_the_ordinary_path(r36orb, lat, lon, aims)
    miss_m = earth.geodesic_inverse(impact_lat, impact_lon, aim_lat, aim_lon, MODEL)[0]
    assert np.max(miss_m) < TOLERANCE_M
    # the kernel's own miss is the miss of that flight (the same kernel, the same steps): to a millimetre
    np.testing.assert_allclose(miss_m, aims.miss_m, atol=1e-3)
    # the long way round: more than the complementary arc's share of a revolution less the Earth's turn under the
    # flight (up to 25 deg in 5,300 s), and about one revolution at most: an aim near the launch point is carried east
    # of it by the Earth's turn during the flight, and an eastward orbit reaches it just past one revolution (measured
    # here: up to 1.02; the complementary arc's share plus the Earth's turn bounds it)
    assert np.all(revolutions > 1.0 - fraction / 2.0 - 25.0 / 360.0)
    assert np.all(revolutions < 1.0 - fraction / 2.0 + 25.0 / 360.0)
    # the insertion perigee is the one asked for (the cut-off solved to 1 cm in perigee)
    np.testing.assert_allclose(aims.perigee_m, r36orb.orbital.perigee_altitude_m, atol=1.0)


@pytest.mark.parametrize("perigee_km", [230.0, 800.0])
def test_an_orbit_out_of_reach_is_refused_with_the_perigee_and_the_speed_it_lacks(r36orb, perigee_km):
    # The R-36orb's highest perigee is about 225 to 234 km, depending on the azimuth, with its burnout at about
    # 240 km: a perigee of 230 km is out of reach on some routes' azimuths (its burnout speed short), 800 km on every
    # one (above the burnout itself). Each refusal names the best kick's full burn on the azimuth where the orbit
    # fell out of reach; flown again it has the perigee reported, a lower one on kicks either side, and the burnout
    # speed reported short: added along the velocity, the conic's perigee reaches the target. The other routes land.
    target_m = perigee_km * 1e3
    lat, lon, aim_lat, aim_lon, _ = random_routes(12, SEED + 1)
    aims = orbital.aim_fobs(r36orb, sites(lat, lon), sites(aim_lat, aim_lon), perigee_km=perigee_km)
    refused = np.flatnonzero(aims.status == F.FOBS_NO_ORBIT)
    assert refused.size > 0
    assert set(np.flatnonzero(~aims.landed)) == set(refused)
    for i in refused:
        reason = aims.reasons[i]
        assert reason.startswith(f"R-36orb cannot reach an orbit with a perigee of {perigee_km:,.0f} km from "
                                 f"({lat[i]:.2f}, {lon[i]:.2f}) on azimuth {aims.azimuth_deg[i]:.1f} deg: its highest "
                                 f"perigee there is {aims.highest_perigee_m[i] / 1e3:,.0f} km")
        site = earth.Site("launch", lat[i], lon[i])
        kicks = aims.kick_deg[i] + np.array([0.0, -0.5, 0.5])
        full = fly_launch(r36orb, site, aims.azimuth_deg[i], kicks, np.inf,
                          integrator=Integrator(max_flight_time_s=r36orb.burn_time_s + 1.0))
        state = full.summary[:, P.O_BURNOUT_STATE:P.O_BURNOUT_STATE + 6]
        perigee_m = orbital.orbit_altitudes_m(state[:, :3], state[:, 3:], MODEL)[0]
        assert perigee_m[0] == pytest.approx(aims.highest_perigee_m[i], abs=1.0)
        assert perigee_m[0] < target_m and perigee_m[0] >= perigee_m[1:].max() - 1.0
        if np.isfinite(aims.speed_short_m_s[i]):
            assert f"its burnout speed is {aims.speed_short_m_s[i]:,.0f} m/s short of that orbit" in reason
            speed = np.linalg.norm(state[0, 3:])
            faster = state[0, 3:] * (1.0 + aims.speed_short_m_s[i] / speed)
            assert orbital.orbit_altitudes_m(state[0, :3], faster, MODEL)[0] == pytest.approx(target_m, abs=10.0)
            slower = state[0, 3:] * (1.0 + (aims.speed_short_m_s[i] - 1.0) / speed)
            assert orbital.orbit_altitudes_m(state[0, :3], slower, MODEL)[0] < target_m
        else:
            assert aims.burnout_altitude_m[i] < target_m and "below that perigee" in reason
    if perigee_km < 500.0:  # some land, on the perigee asked for
        landed = np.flatnonzero(aims.landed)
        assert landed.size > 0
        impact_lat, impact_lon, _ = flown_through_the_ordinary_path(r36orb, lat[landed], lon[landed],
                                                                    aims_of(aims, landed))
        assert np.max(earth.geodesic_inverse(impact_lat, impact_lon, aim_lat[landed], aim_lon[landed], MODEL)[0]) < 100.0
        np.testing.assert_allclose(aims.perigee_m[landed], target_m, atol=1.0)
    else:
        assert refused.size == len(lat)


def test_a_deorbit_that_cannot_bring_the_warhead_down_is_refused_with_the_perigee_it_leaves(r36orb):
    # A retro impulse of 2 m/s on an orbit with a 200 km perigee leaves it too high for the atmosphere's drag to
    # bring it down in the re-entry's three hours: the reason names the perigee after the impulse, checked on the
    # conic of the state flown again.
    weak = dataclasses.replace(r36orb, orbital=FractionalOrbit(200e3, 2.0, 1.0))
    lat, lon, aim_lat, aim_lon, _ = random_routes(3, SEED + 2)
    aims = orbital.aim_fobs(weak, sites(lat, lon), sites(aim_lat, aim_lon))
    assert np.all(aims.status == F.FOBS_NO_DEORBIT)
    for i in range(3):
        assert aims.reasons[i].startswith("the deorbit impulse of 2 m/s cannot bring R-36orb down from its orbit: "
                                          f"deorbited at {aims.deorbit_time_s[i]:,.0f} s, its perigee is still "
                                          f"{aims.deorbit_perigee_m[i] / 1e3:,.0f} km above the ground")
    boost = [fly_launch(weak, earth.Site("launch", lat[i], lon[i]), aims.azimuth_deg[i], aims.kick_deg[i],
                        aims.cutoff_s[i], integrator=Integrator(max_flight_time_s=float(aims.deorbit_time_s[i])))
             for i in range(3)]
    states = np.array([b.summary[0, P.O_END_STATE:P.O_END_STATE + 6] for b in boost])
    after = orbital.deorbit_impulse(states, 2.0)
    perigee_m = orbital.orbit_altitudes_m(after[:, :3], after[:, 3:], MODEL)[0]
    np.testing.assert_allclose(perigee_m, aims.deorbit_perigee_m, atol=1.0)
    assert np.all(perigee_m > 150e3)
    summary, _ = orbital.fly_reentry(after, states[:, 0] * 0.0 + [b.summary[0, P.O_END_T] for b in boost], weak, MODEL,
                                     "ussa1976", Integrator(), False, "cpu")
    assert np.all(summary[:, P.O_STATUS] == P.STATUS_MAX_TIME)


def test_insertion_steering_reaches_the_perigee_on_the_least_propellant_kick(r36orb):
    # the kick of the earliest cut-off: a kick a degree either side needs a later one for the same perigee
    site = catalog.site("Dombarovsky")
    kick, cutoff = orbital.insertion_steering(r36orb, site, [170.0, 200.0])
    for k, t, azimuth in zip(kick, cutoff, (170.0, 200.0)):
        flown = fly_launch(r36orb, site, azimuth, [k, k - 1.0, k + 1.0], [t, t, t],
                           integrator=Integrator(max_flight_time_s=r36orb.burn_time_s + 1.0))
        state = flown.summary[:, P.O_BURNOUT_STATE:P.O_BURNOUT_STATE + 6]
        perigee_m = orbital.orbit_altitudes_m(state[:, :3], state[:, 3:], MODEL)[0]
        assert perigee_m[0] == pytest.approx(145e3, abs=20.0)
        assert np.all(perigee_m[1:] < perigee_m[0])  # same cut-off, other kicks: a lower perigee


# --- (c) the CUDA kernel from the same source, under numba-cuda's simulator ----------------------------------------

SIMULATOR_SCRIPT = r"""
import json
from shieldcheck import orbital
from shieldcheck.engine import pack as P
out = {}
for device in ("cpu", "gpu"):
    f = orbital.fly_fobs("R-36orb", ["Dombarovsky", "Dombarovsky"], ["Washington", "Moscow"], history=False,
                         device=device)
    out[device] = [f.azimuth_deg.tolist(), f.kick_deg.tolist(), f.cutoff_s.tolist(), f.deorbit_time_s.tolist(),
                   f.miss_m().tolist(), f.summary[:, P.O_IMPACT_ECEF:P.O_IMPACT_ECEF + 3].tolist()]
print(json.dumps(out))
"""


@pytest.mark.slow
def test_cuda_kernel_gives_the_cpu_controls_under_the_simulator(tmp_path):
    # both FOBS kernels compiled for CUDA, the aiming (fobs_aim_batch) and the flight of its answer (fobs_fly_batch)
    env = dict(os.environ, NUMBA_ENABLE_CUDASIM="1", SHIELDCHECK_CACHE_DIR=str(tmp_path))
    done = subprocess.run([sys.executable, "-c", SIMULATOR_SCRIPT], env=env, capture_output=True, text=True,
                          timeout=1800)
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(done.stdout.strip().splitlines()[-1])
    cpu, gpu = results["cpu"], results["gpu"]
    assert max(cpu[4]) < TOLERANCE_M and max(gpu[4]) < TOLERANCE_M
    # the same float64 arithmetic: the same controls, to rounding amplified by the roots' stopping rules
    np.testing.assert_allclose(gpu[0], cpu[0], atol=1e-6)  # azimuth, deg
    np.testing.assert_allclose(gpu[1], cpu[1], atol=1e-6)  # kick, deg
    np.testing.assert_allclose(gpu[2], cpu[2], atol=1e-6)  # cut-off, s
    np.testing.assert_allclose(gpu[3], cpu[3], atol=1e-4)  # deorbit time, s (7.8 km/s: under a metre)
    np.testing.assert_allclose(gpu[5], cpu[5], atol=1.0)  # impact points, ECEF m


# --- (d) bad input: one line ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("call, message", [
    (lambda: orbital.aim_fobs("Yars", "Teykovo", "Washington"), "has no orbital stage"),
    (lambda: orbital.fly_fobs("R-36orb", "Dombarovsky", "Washington", perigee_km=50.0),
     "perigee_km = 50.0 is outside 100 to 2,000"),
    (lambda: orbital.aim_fobs("R-36orb", "Dombarovsky", "Dombarovsky"), "a fractional orbit needs an aim point at least"),
    (lambda: orbital.fly_fobs("R-36orb", "Dombarovsky", "Washington", perigee_km=1_900.0),
     "R-36orb cannot reach an orbit with a perigee of 1,900 km"),
    (lambda: orbital.insertion_steering("R-36orb", "Dombarovsky", 170.0, perigee_km=1_900.0),
     "R-36orb cannot reach an orbit with a perigee of 1,900 km"),
    (lambda: orbital.aim_fobs("R-36orb", "Dombarovsky", "Washington", atmosphere="martian"), "atmosphere: 'martian' is not an allowed choice"),
    (lambda: orbital.aim_fobs("R-36orb", "Dombarovsky", "Washington", device="tpu"), "device: 'tpu' is not an allowed choice"),
    (lambda: orbital.fly_fobs("R-36orb", "Dombarovsky", "Washington", tolerance_m=0.0),
     "tolerance_m = 0.0 is outside 1 to 100,000 m"),
])
def test_bad_input_is_one_line(call, message):
    with pytest.raises(InputError) as error:
        call()
    assert message in str(error.value)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize("args", [("--to", "Dombarovsky"), ("--to", "Atlantis")])
def test_bad_fobs_routes_on_the_command_line_are_one_line_and_exit_status_2(capsys, args):
    code, out, err = run(["fly", "--missile", "R-36orb", "--from", "Dombarovsky", *args], capsys)
    assert code == 2
    assert len(err.strip().splitlines()) == 1


def test_aims_fields_carry_units_and_repr_counts():
    from test_names_carry_units import _check

    for field in dataclasses.fields(orbital.FractionalOrbitAims):
        if field.name not in ("missile_name", "status", "reasons"):
            _check("FractionalOrbitAims", field.name)
    aims = orbital.aim_fobs("R-36orb", "Dombarovsky", "Washington")
    assert repr(aims) == "<FractionalOrbitAims 1 × R-36orb, 1 landed, 0 refused>"
    assert aims.landed.tolist() == [True] and aims.reasons == ("",)
