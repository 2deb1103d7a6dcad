"""How fast is fractional-orbit (FOBS) aiming in the compiled kernel, against the Python-driven solver it replaced?

N routes of the R-36orb from launch points drawn in the catalog's FOBS launch areas (the launch areas of the
built-in threat sets' FOBS groups: Dombarovsky) at aims drawn at 5 % to 99.5 % of the farthest distance (half the
meridian: a FOBS reaches every point), seeded, aimed by ``orbital.aim_fobs`` (the controls, every route on its own
in ``engine/fobs.py``) and, separately, aimed and flown by ``orbital.fly_fobs`` (with the flights, no history).
The first ``--baseline`` of the same routes are aimed and flown in the same run by the Python-driven solver
(``benchmarks/python_fobs_aiming.py``: every search step one batched kernel run, driven from NumPy). Every timing
is after compilation (the kernels load from numba's cache or are compiled before the clock).

Prints one JSON line: aims/s of both and their ratio, the largest miss, and how the solutions agree where both
land (launch azimuth, kick, deorbit time, impact points).

    python benchmarks/bench_fobs_aiming.py [--n 200] [--baseline 4] [--device cpu|gpu]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def routes(n: int, seed: int = 7):
    """N (launch, aim) pairs: launch points drawn in the FOBS launch areas of the built-in threat sets, aims at 5 %
    to 99.5 % of half the meridian on uniformly drawn bearings."""
    from shieldcheck import assess, earth, launch_areas, scenario

    areas = sorted({launch.name for name in scenario.builtin_names()
                    for missile, _, launches, _ in assess.threat_groups(scenario.load(name))
                    if missile.orbital is not None for launch in launches})
    model = earth.earth_model(earth.DEFAULT_EARTH)
    half_meridian_m = float(earth.geodesic_inverse(90.0, 0.0, -90.0, 0.0, model)[0])
    rng = np.random.default_rng(seed)
    area = rng.integers(0, len(areas), n)
    lat, lon = np.empty(n), np.empty(n)
    for k, name in enumerate(areas):
        pick = area == k
        if pick.any():
            lat[pick], lon[pick] = launch_areas.sample(name, int(pick.sum()), seed=seed)
    aim_lat, aim_lon = earth.geodesic_direct(lat, lon, rng.uniform(0.0, 360.0, n),
                                             rng.uniform(0.05, 0.995, n) * half_meridian_m, model)
    return lat, lon, aim_lat, aim_lon, areas


def run(n: int, baseline: int, device: str) -> dict:
    import python_fobs_aiming

    from shieldcheck import catalog, earth, orbital
    from shieldcheck.engine import pack as P

    lat, lon, aim_lat, aim_lon, areas = routes(n)
    launch = [earth.Site(f"launch {i}", float(a), float(b)) for i, (a, b) in enumerate(zip(lat, lon))]
    aim = [earth.Site(f"aim {i}", float(a), float(b)) for i, (a, b) in enumerate(zip(aim_lat, aim_lon))]
    r36orb = catalog.missile("R-36orb")
    orbital.fly_fobs(r36orb, launch[:1], aim[:1], history=False, device=device)  # compiled before the clock
    start = time.perf_counter()
    aims = orbital.aim_fobs(r36orb, launch, aim, device=device)
    kernel_s = time.perf_counter() - start
    start = time.perf_counter()
    flown = orbital.fly_fobs(r36orb, launch, aim, history=False, device=device) if aims.landed.all() else None
    flown_s = time.perf_counter() - start
    start = time.perf_counter()
    old = python_fobs_aiming.solve(r36orb, lat[:baseline], lon[:baseline], aim_lat[:baseline], aim_lon[:baseline],
                                   device=device)
    baseline_s = time.perf_counter() - start
    out = {"routes": n, "launch_areas": areas, "landed": int(aims.landed.sum()),
           "kernel_aims_per_s": n / kernel_s, "kernel_s": kernel_s,
           "flights_per_route_mean": float(aims.flights_flown_count.mean()),
           "max_miss_m": float(np.nanmax(aims.miss_m)), "baseline_routes": baseline,
           "baseline_aims_per_s": baseline / baseline_s, "baseline_s": baseline_s,
           "ratio": (n / kernel_s) / (baseline / baseline_s),
           "azimuth_difference_max_deg": float(np.max(np.abs(
               (aims.azimuth_deg[:baseline] - old["azimuth_deg"] + 180.0) % 360.0 - 180.0))),
           "kick_difference_max_deg": float(np.max(np.abs(aims.kick_deg[:baseline] - old["kick_deg"]))),
           "deorbit_difference_max_s": float(np.max(np.abs(aims.deorbit_time_s[:baseline] - old["deorbit_time_s"])))}
    if flown is not None:
        out["aimed_and_flown_per_s"] = n / flown_s
        impact = flown.summary[:baseline, P.O_IMPACT_ECEF:P.O_IMPACT_ECEF + 3]
        out["impact_difference_max_m"] = float(np.max(np.linalg.norm(impact - old["impact_ecef_m"], axis=1)))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--baseline", type=int, default=4)
    parser.add_argument("--device", default="cpu", choices=["cpu", "gpu"])
    args = parser.parse_args()
    out = {"device": args.device, "machine": platform.processor() or platform.machine(), "cores": os.cpu_count()}
    out.update(run(args.n, args.baseline, args.device))
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
