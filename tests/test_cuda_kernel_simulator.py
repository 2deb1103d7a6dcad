"""The CUDA kernel's logic, run on the CPU by numba-cuda's simulator (no GPU needed).

Reference: the CPU kernel compiled from the same source. The simulator executes the device
functions as Python with float64 arithmetic, so the summaries agree to rounding (1e-9
relative); run in a subprocess because the simulator must be enabled before numba.cuda loads.
Flights (boost, coast, re-entry; the compact tracks the kernel writes), glide (lift after thrust ends)
and engagement evaluations, the kill vehicle's endgame and the restriction to a flight phase included.
"""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

SCRIPT = r"""
import json, numpy as np
from shieldcheck import catalog, flight
topol = catalog.missile("Topol-M")
site = catalog.site("Teykovo")
results = {}
for device in ("cpu", "gpu"):
    f = flight.fly_launch(topol, site, [300.0, 20.0, 120.0], [40.0, 55.0, 10.0], [180.0, 150.0, 170.0], device=device)
    b = flight.fly_burnout([10.0, -40.0], [20.0, 100.0], 200e3, [7000.0, 3000.0], [25.0, 40.0], [45.0, 200.0], topol,
                           device=device)
    t = flight.fly_launch(topol, site, [300.0, 20.0], [40.0, 55.0], [180.0, 150.0], device=device, tracks=True,
                          integrator=flight.Integrator(max_flight_time_s=2400.0))
    counts = t.summary[:, flight.P.O_HISTORY_COUNT].astype(int)  # samples past a count are never written
    tracks = np.concatenate([np.asarray(t.tracks)[i, :counts[i]] for i in range(len(t))])
    results[device] = [f.summary.tolist(), b.summary.tolist(), tracks.tolist()]
print(json.dumps(results))
"""


def simulated(script: str, tmp_path) -> dict:
    """What ``script`` prints as its last line (JSON), run with the CUDA simulator enabled."""
    env = dict(os.environ, NUMBA_ENABLE_CUDASIM="1", SHIELDCHECK_CACHE_DIR=str(tmp_path))
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_cuda_kernel_matches_cpu_kernel_under_the_simulator(tmp_path):
    results = simulated(SCRIPT, tmp_path)
    for cpu, gpu in zip(results["cpu"], results["gpu"]):
        np.testing.assert_allclose(np.array(gpu), np.array(cpu), rtol=1e-9, atol=1e-6)


ENGAGE_SCRIPT = r"""
import json
from shieldcheck import aiming, earth
from shieldcheck.endgame import Endgame, KillVehicle
from shieldcheck.engagement import Cueing, engage_many
from shieldcheck.sensors import Radar
from shieldcheck.vehicles import DragTable, Interceptor, Missile, Stage
body = DragTable("test body", (0.0, 1.0, 2.0, 5.0), (0.3, 0.5, 0.35, 0.25))
vehicle = Missile("test interceptor", (Stage(1200.0, 1000.0, 40.0, 265.0, 240.0, 0.53),
                  Stage(450.0, 380.0, 60.0, 285.0, 285.0, 0.53)), 60.0, 30.0, 0.3, body, body, 3.0, 8.0)
exo = Interceptor(vehicle, 70e3, 1000e3)
flights = aiming.fly("Shahab-3", ["Tabriz", "Kermanshah"], ["40.5,38.0", "41.0,40.0"], history=True)
sites = [earth.site(40.5, 38.0), earth.site(44.0, 15.0), earth.site(38.6, 45.0)]
radar = Radar("radar", earth.site(39.0, 36.0), 90.0, 180.0, 1.0, 89.0, 1500.0, 1.0, 10.0)
endgame = Endgame("kinematic", KillVehicle("test", 2500.0, 12000.0, 90.0, 500.0, 30.0), 10.0)
tight_endgame = Endgame("kinematic", KillVehicle("test", 2500.0, 12000.0, 20.0, 500.0, 30.0), 10.0)
out = {}
for device in ("cpu", "gpu"):
    many = engage_many(flights, exo, sites, cueing=Cueing.parse("delay:60"), device=device, shoot_look_shoot_s=20.0,
                       endgame="none")
    cued = engage_many(flights, exo, sites, cueing=Cueing.parse("engage-remote"), sensors=(radar,), device=device,
                       endgame=endgame)
    tight = engage_many(flights, exo, sites, cueing=Cueing.parse("delay:60"), device=device, endgame=tight_endgame)
    behind = engage_many(flights, exo, sites, cueing=Cueing.parse("delay:60"), device=device, endgame=endgame)
    phased = [engage_many(flights, exo, sites, cueing=Cueing.parse("delay:0"), device=device,
                          flight_phase=phase, endgame="none")
              for phase in ("ascent", "midcourse")]
    if device == "cpu":
        out["cued_cpu"] = [cued.verdict.tolist(), cued.margin_s.tolist(), cued.track_s.tolist()]
    out[device] = [many.verdict.tolist() + cued.verdict.tolist() + tight.verdict.tolist()
                   + many.shots.tolist() + cued.shots.tolist(),
                   many.margin_s.tolist() + cued.margin_s.tolist() + tight.margin_s.tolist(),
                   many.earliest_s.tolist() + cued.track_s.tolist() + cued.closing_speed_m_s.tolist()
                   + tight.endgame_value.tolist(),
                   behind.verdict.tolist() + behind.usable_margin_s.tolist() + behind.margin_s.tolist()
                   + [p.verdict.tolist() + p.margin_s.tolist() + p.intercept_phase.tolist() + p.phase_bits.tolist()
                      for p in phased]]
# the same flights flown on the GPU writing compact tracks, engaged there without the tracks leaving it
from shieldcheck import catalog, flight
launches = [earth.site(a, b) for a, b in zip(flights.launch_latitude_deg, flights.launch_longitude_deg)]
kept = flight.fly_launch(catalog.missile("Shahab-3"), launches, flights.azimuth_deg, flights.kick_deg, flights.cutoff_s,
                         tracks=True, device="gpu")
resident = engage_many(kept, exo, sites, cueing=Cueing.parse("engage-remote"), sensors=(radar,), device="gpu",
                       endgame=endgame)
out["resident"] = [type(kept.tracks).__name__, kept.tracks.copied, resident.verdict.tolist(), resident.margin_s.tolist(),
                   resident.track_s.tolist()]
print(json.dumps(out))
"""


@pytest.mark.slow
def test_cuda_engagement_matches_cpu_under_the_simulator(tmp_path):
    results = simulated(ENGAGE_SCRIPT, tmp_path)
    assert results["gpu"][0] == results["cpu"][0]
    np.testing.assert_allclose(results["gpu"][1], results["cpu"][1], atol=1e-9)
    np.testing.assert_allclose(results["gpu"][2], results["cpu"][2], atol=1e-9)
    # the endgame deciding with usable points left (behind the launch), and intercepts restricted to a flight phase
    assert results["gpu"][3] == results["cpu"][3]
    # tracks kept on the device by the flight kernel: never copied to the host, the same cued verdicts and margins
    kind, copied, verdict, margin, track = results["resident"]
    assert kind == "DeviceTracks" and copied is False
    cpu_verdict, cpu_margin, cpu_track = results["cued_cpu"]
    assert verdict == cpu_verdict
    np.testing.assert_allclose(margin, cpu_margin, atol=1e-6)
    np.testing.assert_allclose(track, cpu_track, atol=1e-6)


GLIDE_SCRIPT = r"""
import json
from shieldcheck import catalog, earth, flight
from shieldcheck.vehicles import DragTable, GlideModel, Missile
t = catalog.load().drag["rv-slender-cone"]
table = DragTable(t.name, tuple(t.mach), tuple(t.cd))
glider = Missile("test glider", (), 0.0, 1000.0, 0.6, table, table, 0.0, 1.0,
                 glide=GlideModel("constant-lift-to-drag", 2.6))
guided = Missile("test guided glider", (), 0.0, 1000.0, 0.6, table, table, 0.0, 1.0,
                 glide=GlideModel("equilibrium-glide", 2.6, terminal_speed_m_s=3500.0, dive_angle_deg=45.0,
                                  bank_limit_deg=80.0, boost_kick_deg=55.0))
aim = [earth.Site("aim", 50.0, 67.0), earth.Site("aim", 55.0, 34.0)]
results = {}
for device in ("cpu", "gpu"):
    b = flight.fly_burnout([50.0, 55.0], [60.0, 40.0], [100e3, 60e3], [6500.0, 5000.0], [-5.0, 0.0], [60.0, 300.0],
                           glider, device=device)
    # the equilibrium-glide law: aimed (glide, then the dive by proportional navigation) and for range
    g = flight.fly_burnout([50.0, 55.0], [60.0, 40.0], [35e3, 35e3], [4000.0, 4000.0], [0.0, 0.0], [90.0, 270.0],
                           guided, device=device, target=aim)
    r = flight.fly_burnout([50.0], [60.0], [35e3], [4000.0], [0.0], [90.0], guided, device=device)
    results[device] = b.summary.tolist() + g.summary.tolist() + r.summary.tolist()
print(json.dumps(results))
"""


@pytest.mark.slow
def test_cuda_glide_matches_cpu_kernel_under_the_simulator(tmp_path):
    results = simulated(GLIDE_SCRIPT, tmp_path)
    cpu, gpu = np.array(results["cpu"]), np.array(results["gpu"])
    assert cpu[:, 0].tolist() == [1.0] * 5  # every one landed (STATUS_IMPACT)
    np.testing.assert_allclose(gpu, cpu, rtol=1e-9, atol=1e-6)


AIM_SCRIPT = r"""
import json, numpy as np
from shieldcheck import aiming, catalog
shahab = catalog.missile("Shahab-3")
results = {}
for device in ("cpu", "gpu"):
    routes = aiming.aim_routes(shahab, np.array([38.08, 38.08]), np.array([46.29, 46.29]), np.zeros(2),
                               np.array([39.0, 52.0]), np.array([40.0, 10.0]), aiming.TrajectoryShape(), device=device)
    results[device] = [routes.status.tolist(), routes.azimuth_deg.tolist(), routes.kick_deg.tolist(),
                       routes.cutoff_s.tolist(), routes.flights_flown.tolist(), list(routes.reasons)]
print(json.dumps(results))
"""


@pytest.mark.slow
def test_aiming_kernel_matches_the_cpu_under_the_simulator(tmp_path):
    """The aiming kernel (engine/aim.py) compiled for CUDA: a route it lands (Tabriz to 39 N 40 E) and one beyond
    reach (Tabriz to 52 N 10 E), the same steering, flights flown and reasons as on the CPU."""
    results = simulated(AIM_SCRIPT, tmp_path)
    cpu, gpu = results["cpu"], results["gpu"]
    assert cpu[0] == gpu[0] == [0, 1] and cpu[4] == gpu[4] and cpu[5] == gpu[5]
    for a, b in zip(cpu[1:4], gpu[1:4]):
        np.testing.assert_allclose(np.array(b, float), np.array(a, float), rtol=1e-12, equal_nan=True)
