"""How fast is aiming in the compiled kernel, against the Python-driven solver it replaced?

Three measurements, every one after compilation (the kernels load from numba's cache or are compiled
before the clock):

1. **Batched ICBM routes.** N RS-24 Yars launches from the catalog's Russian ICBM bases, each dispersed up
   to 50 km, at the catalog's US cities (seeded), aimed and flown through ``sc.fly(missile, launches,
   aims)`` with sequences (minimum-energy, 100 m). The same routes' first ``--baseline`` are aimed in the
   same run by the Python-driven solver (``benchmarks/python_aiming.py``: every search step one batched
   kernel run, driven from NumPy). Prints aims/s of both and their ratio, and how the solutions agree
   where both land (impact points, kick branch).
2. **One fresh route**, as ``shieldcheck fly --missile Yars --from Uzhur --to Washington`` aims it: the
   command run in this process (its parse, aim, flight and output), on a route not aimed before in it.
3. **The built-in threat sets aimed from scratch**: every (missile, trajectory) group of every built-in
   scenario that the kernel aims (the fractional orbits are aimed by ``orbital.fly_fobs``), without the
   shipped solutions.

    python benchmarks/bench_aiming.py [--n 2000] [--baseline 20] [--device cpu|gpu]

Prints one JSON line.
"""

from __future__ import annotations

import argparse
import contextlib
import io
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
    """N (launch, aim) pairs: Russian ICBM bases dispersed up to 50 km, US cities (catalog)."""
    from shieldcheck import catalog, earth

    cat = catalog.load()
    bases = [cat.site(name) for name, r in cat.sites.items() if r.kind == "icbm-base" and r.country == "Russia"]
    cities = [cat.site(name) for name, r in cat.sites.items() if r.kind == "city" and r.country == "United States"]
    rng = np.random.default_rng(seed)
    base = rng.integers(0, len(bases), n)
    city = rng.integers(0, len(cities), n)
    model = earth.earth_model(earth.DEFAULT_EARTH)
    lat, lon = earth.geodesic_direct([bases[b].latitude_deg for b in base], [bases[b].longitude_deg for b in base],
                                     rng.uniform(0.0, 360.0, n), 50e3 * np.sqrt(rng.uniform(0.0, 1.0, n)), model)
    launches = [earth.Site(f"launch {i}", float(a), float(b)) for i, (a, b) in enumerate(zip(lat, lon))]
    aims = [cities[c] for c in city]
    return launches, aims


def batched(n: int, baseline: int, device: str) -> dict:
    import python_aiming

    import shieldcheck as sc
    from shieldcheck import aiming, catalog

    launches, aims = routes(n)
    sc.fly("Yars", launches[:2], aims[:2], history=False, device=device)  # compiled before the clock
    start = time.perf_counter()
    flights = sc.fly("Yars", launches, aims, history=False, device=device)
    kernel_s = time.perf_counter() - start
    miss = flights.miss_m()
    yars = catalog.missile("Yars")
    lat = np.array([s.latitude_deg for s in launches[:baseline]])
    lon = np.array([s.longitude_deg for s in launches[:baseline]])
    aim_lat = np.array([s.latitude_deg for s in aims[:baseline]])
    aim_lon = np.array([s.longitude_deg for s in aims[:baseline]])
    start = time.perf_counter()
    old = python_aiming.solve(yars, lat, lon, aim_lat, aim_lon)
    baseline_s = time.perf_counter() - start
    new = aiming.solve(yars, lat, lon, aim_lat, aim_lon)
    return {"routes": n, "kernel_aims_per_s": n / kernel_s, "kernel_s": kernel_s,
            "max_miss_m": float(np.max(miss)), "baseline_routes": baseline,
            "baseline_aims_per_s": baseline / baseline_s, "baseline_s": baseline_s,
            "ratio": (n / kernel_s) / (baseline / baseline_s),
            "kick_difference_max_deg": float(np.max(np.abs(new.kick_deg - old.kick_deg))),
            "cutoff_difference_max_s": float(np.max(np.abs(new.cutoff_s - old.cutoff_s)))}


def one_route() -> dict:
    from shieldcheck.cli import main

    with contextlib.redirect_stdout(io.StringIO()):
        main(["fly", "--missile", "Yars", "--from", "Kozelsk", "--to", "Chicago", "--json"])  # compiled, imported
        start = time.perf_counter()
        main(["fly", "--missile", "Yars", "--from", "Uzhur", "--to", "Washington", "--json"])
    return {"fly_command_s": time.perf_counter() - start}


def threat_sets(device: str) -> dict:
    from shieldcheck import aiming, assess, scenario

    groups = {}
    for name in scenario.builtin_names():
        for missile, trajectory, launches, aims in assess.threat_groups(scenario.load(name)):
            if missile.orbital is None:
                key = (missile.name, trajectory, tuple((s.latitude_deg, s.longitude_deg) for s in launches + aims))
                groups[key] = (missile, trajectory, launches, aims)
    count = sum(len(g[2]) for g in groups.values())
    start = time.perf_counter()
    statuses = {}
    for missile, trajectory, launches, aims in groups.values():
        for row in aiming.solve_each(missile, trajectory, launches, aims):
            statuses[row["status"]] = statuses.get(row["status"], 0) + 1
    return {"threat_set_routes": count, "threat_sets_s": time.perf_counter() - start, "threat_set_statuses": statuses}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--baseline", type=int, default=20)
    parser.add_argument("--device", default="cpu", choices=["cpu", "gpu"])
    args = parser.parse_args()
    out = {"device": args.device, "machine": platform.processor() or platform.machine(), "cores": os.cpu_count()}
    out.update(batched(args.n, args.baseline, args.device))
    out.update(one_route())
    out.update(threat_sets(args.device))
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
