"""How fast is reach from orbit: a constellation of space-based interceptors against launches over a day,
the compiled kernel against a plain NumPy/Python loop, in the same run?

Flies boost-phase tracks (compact tracks, to 400 s) of ICBM launches from the catalog's Russian launch
areas (Yars, points drawn in each area), from Semnan (the notional Iranian ICBM, liquid) and from a point in
North Korea (Topol-M as the solid stand-in), then evaluates ``--launches`` launches (a flight and a launch
time drawn uniformly over a day) against a Walker constellation of ``--satellites`` satellites (the
CBO-2026-like pattern of the catalog, resized) with the compiled per-launch kernel
(``space_intercept.engage_from_orbit``: one launch per loop iteration, every satellite). In the same run
the plain loop (``space_intercept.reference_pairs``: Python over pairs, NumPy over a track's samples)
evaluates every satellite against ``--naive-launches`` of the launches; its time per pair is extrapolated
to all the pairs, and the number of satellites that can engage each of those launches must agree.

    python benchmarks/bench_sbi.py --satellites 10000 --launches 1000 [--naive-launches 2] [--device cpu|gpu]

Prints one JSON line: satellites, launches, pairs, kernel_s, kernel_pairs_per_s, compile_s (the first, small
call: compilation or the disk cache), naive_pairs, naive_s, naive_extrapolated_s, speedup, counts_agree,
evaluated_fraction (pairs not skipped by the pruning bound), fly_s, and per launch area the launches, mean
satellites engaging, absentee ratio and share covered.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

# (group, missile, launch points: catalog sites with a launch area (points drawn in it) or a point (jittered by
# up to 0.5 deg); azimuth towards North America and pitch-over angle, deg: the slow-lifting liquid missile
# pitches over less, or its gravity turn flattens it into the ground)
GROUPS = [
    ("Russia (Yars)", "Yars", ["Teykovo", "Yoshkar-Ola", "Novosibirsk", "Irkutsk", "Barnaul", "Nizhny Tagil",
                               "Kozelsk", "Tatishchevo", "Dombarovsky", "Uzhur"], 10.0, 20.0),
    ("Iran (notional ICBM)", "Iran-ICBM (notional)", ["Semnan"], 330.0, 2.0),
    ("North Korea (solid stand-in)", "Topol-M", ["40.0,127.5"], 45.0, 20.0),
]
BOOST_WINDOW_S = 400.0


def threats(n_flights: int, seed: int = 0):
    """Boost tracks of ``n_flights`` launches spread over GROUPS (launch points drawn in each launch area) and the
    group of each flight."""
    from shieldcheck import catalog, flight, launch_areas
    from shieldcheck.earth import Sites

    per_group = np.full(len(GROUPS), n_flights // len(GROUPS))
    per_group[: n_flights % len(GROUPS)] += 1
    missiles, latitude, longitude, azimuth, kick, group = [], [], [], [], [], []
    rng = np.random.default_rng(seed)
    for (name, missile, places, heading, pitch_over), count in zip(GROUPS, per_group):
        vehicle = catalog.missile(missile)
        for j in range(count):
            place = places[j % len(places)]
            if launch_areas.has_area(place):
                lat, lon = launch_areas.sample(place, 1, seed=seed * 100_003 + j)
                lat, lon = float(lat[0]), float(lon[0])
            else:
                site = catalog.site(place)
                lat, lon = site.latitude_deg + rng.uniform(-0.5, 0.5), site.longitude_deg + rng.uniform(-0.5, 0.5)
            missiles.append(vehicle)
            latitude.append(lat)
            longitude.append(lon)
            azimuth.append(heading + rng.uniform(-10.0, 10.0))
            kick.append(pitch_over)
            group.append(name)
    flights = flight.fly_launch(missiles, Sites(latitude, longitude), azimuth, kick, tracks=True,
                                integrator=flight.Integrator(max_flight_time_s=BOOST_WINDOW_S))
    return flights, np.array(group, dtype=object)


def run(satellites: int, launches: int, naive_launches: int, device: str = "cpu", n_flights: int = 60,
        seed: int = 0) -> dict:
    from shieldcheck import space_intercept as S
    from shieldcheck.catalog import constellations
    from shieldcheck.engine import orbit_reach as O
    from shieldcheck.verdicts import Verdict

    start = time.perf_counter()
    flights, group = threats(n_flights, seed)
    fly_s = time.perf_counter() - start
    constellation = constellations.constellation("CBO-2026-like").resized(satellites)
    rng = np.random.default_rng(seed)
    launch_time = rng.uniform(0.0, S.DAY_S, launches)
    index = rng.integers(0, len(flights), launches)

    start = time.perf_counter()
    S.engage_from_orbit(flights, constellation, launch_time[:2], flight_index=index[:2], device=device)
    compile_s = time.perf_counter() - start
    start = time.perf_counter()
    result = S.engage_from_orbit(flights, constellation, launch_time, flight_index=index, device=device)
    kernel_s = time.perf_counter() - start

    naive = min(naive_launches, launches)
    start = time.perf_counter()
    reference = S.reference_pairs(flights, constellation, launch_time[:naive], flight_index=index[:naive])
    naive_s = time.perf_counter() - start
    naive_counts = (reference[..., O.P_VERDICT] == Verdict.FEASIBLE).sum(axis=1)
    pairs = launches * len(constellation)
    naive_pairs = naive * len(constellation)
    naive_extrapolated_s = naive_s / max(naive_pairs, 1) * pairs
    labels = group[result.launches.flight_index]
    return {
        "satellites": len(constellation), "constellation": repr(constellation), "launches": launches,
        "flights": len(flights), "pairs": pairs, "device": device, "fly_s": round(fly_s, 2),
        "compile_s": round(compile_s, 2), "kernel_s": float(f"{kernel_s:.3g}"),
        "kernel_pairs_per_s": round(pairs / kernel_s), "naive_pairs": naive_pairs, "naive_s": float(f"{naive_s:.3g}"),
        "naive_pairs_per_s": round(naive_pairs / naive_s) if naive_s > 0 else None,
        "naive_extrapolated_s": round(naive_extrapolated_s, 1),
        "speedup": round(naive_extrapolated_s / kernel_s, 1),
        "counts_agree": bool((naive_counts == result.engaging[:naive]).all()),
        "evaluated_fraction": float(result.summary[:, O.S_EVALUATED].sum() / pairs),
        "mean_engaging": float(result.engaging.mean()), "absentee_ratio": result.absentee_ratio(),
        "by_area": result.by_group(labels),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--satellites", type=int, default=10_000)
    parser.add_argument("--launches", type=int, default=1_000)
    parser.add_argument("--naive-launches", type=int, default=2, help="launches the plain loop evaluates in full")
    parser.add_argument("--flights", type=int, default=60, help="distinct boost tracks the launches draw from")
    parser.add_argument("--device", default="cpu", choices=("cpu", "gpu"))
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(json.dumps(run(args.satellites, args.launches, args.naive_launches, args.device, args.flights, args.seed)))


if __name__ == "__main__":
    main()
