"""How fast are full ICBM-class flights in a batch, against the naive one-at-a-time baseline?

Flies N full flights (boost, coast, re-entry with drag, ground impact) from aiming solutions of
RS-24 Yars launches from Russian bases at US cities, batched through the compiled kernel, and in
the same run times the naive baseline: scipy ``solve_ivp`` RK45 at rtol 1e-8, one flight at a
time, the same model with its staging and impact events (``shieldcheck.scipy_flight``). Accuracy:
the batched impact points against a DOP853 integration at rtol 1e-11 of the same flights.

    python benchmarks/bench_flight.py --n 10000 [--device cpu|gpu] [--scaling]

Prints one JSON line: n, device, batched_per_s, baseline_per_s, ratio, max_impact_error_m,
compile_s (cold, in a fresh process with an empty cache), warm_start_s (a second process,
cached), steps_per_s, and with --scaling the time for 10^3 ... 10^6 flights.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time

import numpy as np

# base -> city pairs of 6,200 to 8,000 km, within every version of the catalog's Yars model
PAIRS = [("Teykovo", "Washington"), ("Teykovo", "New York"), ("Kozelsk", "Boston"), ("Vypolzovo", "Chicago"),
         ("Yoshkar-Ola", "Boston"), ("Gadzhiyevo", "Seattle"), ("Vypolzovo", "Washington"), ("Kozelsk", "New York")]
MISSILE = "Yars"
# cost of one RK4 step: 4 evaluations of gravity + J2 (~40 flop), drag with the table lookups and
# the closed-form height (~120 flop), plus the step rule and update (~40 flop): about 700 flop
FLOP_PER_STEP = 700.0
FP64_PEAK_FLOP_S = {"H100": 34e12, "H200": 34e12}


def steering(n: int, seed: int = 0):
    """Launch sites and steering of n flights: the aiming solutions of PAIRS, cycled, jittered."""
    from shieldcheck import aiming, catalog

    missile = catalog.missile(MISSILE)
    launch = [catalog.site(a) for a, b in PAIRS]
    aim = [catalog.site(b) for a, b in PAIRS]
    solution = aiming.solve(missile, [s.latitude_deg for s in launch], [s.longitude_deg for s in launch],
                            [s.latitude_deg for s in aim], [s.longitude_deg for s in aim])
    rng = np.random.default_rng(seed)
    index = np.arange(n) % len(PAIRS)
    # jitter so that no two flights are the same: +-1 deg azimuth, +-1 deg kick, up to -2 s cut-off
    azimuth = solution.azimuth_deg[index] + rng.uniform(-1.0, 1.0, n)
    kick = solution.kick_deg[index] + rng.uniform(-1.0, 1.0, n)
    cutoff = solution.cutoff_s[index] - rng.uniform(0.0, 2.0, n)
    return missile, [launch[i] for i in index], azimuth, kick, cutoff


def time_batched(missile, sites, azimuth, kick, cutoff, device):
    from shieldcheck import flight

    flight.fly_launch(missile, sites[:4], azimuth[:4], kick[:4], cutoff[:4], device=device)  # compile or load
    start = time.perf_counter()
    flights = flight.fly_launch(missile, sites, azimuth, kick, cutoff, device=device)
    return time.perf_counter() - start, flights


def time_start(env_extra: dict) -> float:
    """Seconds for a fresh process to import shieldcheck and fly one flight (compilation included)."""
    code = ("import time; t = time.perf_counter(); from shieldcheck import catalog, flight; "
            "flight.fly_launch(catalog.missile('Yars'), catalog.site('Teykovo'), 300.0, 40.0); "
            "print(time.perf_counter() - t)")
    done = subprocess.run([sys.executable, "-c", code], env={**os.environ, **env_extra}, capture_output=True,
                          text=True, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--device", choices=("cpu", "gpu"), default="cpu")
    parser.add_argument("--baseline-n", type=int, default=16, help="flights timed with the naive baseline")
    parser.add_argument("--reference-n", type=int, default=16, help="flights checked against DOP853")
    parser.add_argument("--scaling", action="store_true", help="also time 10^3 ... 10^6 flights")
    args = parser.parse_args()

    from shieldcheck import earth, scipy_flight

    missile, sites, azimuth, kick, cutoff = steering(args.n)
    with tempfile.TemporaryDirectory() as cache:
        compile_s = time_start({"NUMBA_CACHE_DIR": cache})
    warm_start_s = time_start({})
    batched_s, flights = time_batched(missile, sites, azimuth, kick, cutoff, args.device)

    def scipy_one(i, **options):
        s = sites[i]
        return scipy_flight.fly_one_scipy(missile, s.latitude_deg, s.longitude_deg, azimuth[i], kick[i], cutoff[i],
                                          **options)

    start = time.perf_counter()
    for i in range(args.baseline_n):
        scipy_one(i, method="RK45", rtol=1e-8)
    baseline_s = (time.perf_counter() - start) / args.baseline_n

    impact = flights.impact()
    model = earth.earth_model(earth.DEFAULT_EARTH)
    errors = []
    for i in range(args.reference_n):
        ref = scipy_one(i, method="DOP853", rtol=1e-11)
        distance, _ = earth.geodesic_inverse(impact["latitude_deg"][i], impact["longitude_deg"][i],
                                             ref["impact_latitude_deg"], ref["impact_longitude_deg"], model)
        errors.append(float(distance))
    result = {
        "n": args.n, "device": args.device, "missile": MISSILE,
        "batched_s": round(batched_s, 4), "batched_per_s": round(args.n / batched_s, 1),
        "baseline_per_s": round(1.0 / baseline_s, 3), "ratio": round(baseline_s * args.n / batched_s, 1),
        "baseline": f"scipy solve_ivp RK45 rtol 1e-8, one flight at a time, {args.baseline_n} flights",
        "max_impact_error_m": round(max(errors), 3),
        "reference": f"scipy solve_ivp DOP853 rtol 1e-11, {args.reference_n} flights",
        "mean_steps": round(float(flights.steps.mean()), 1),
        "steps_per_s": round(float(flights.steps.sum()) / batched_s, 1),
        "landed_fraction": float(flights.landed.mean()),
        "compile_s": round(compile_s, 2), "warm_start_s": round(warm_start_s, 2),
        "machine": f"{platform.machine()} {os.cpu_count()} cores {platform.processor() or ''}".strip(),
    }
    if args.device == "gpu":
        from numba import cuda

        name = cuda.get_current_device().name.decode() if isinstance(cuda.get_current_device().name, bytes) else str(cuda.get_current_device().name)
        result["gpu"] = name
        peak = next((v for k, v in FP64_PEAK_FLOP_S.items() if k in name), None)
        if peak:
            result["fp64_fraction_of_peak"] = round(result["steps_per_s"] * FLOP_PER_STEP / peak, 4)
            result["flop_per_step_estimate"] = FLOP_PER_STEP
    if args.scaling:
        scaling = {}
        for n in (1_000, 10_000, 100_000, 1_000_000):
            m, s, a, k, c = steering(n)
            seconds, _ = time_batched(m, s, a, k, c, args.device)
            scaling[str(n)] = round(seconds, 3)
        result["scaling_s"] = scaling
    print(json.dumps(result))


if __name__ == "__main__":
    main()
