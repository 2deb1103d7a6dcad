"""How fast do dispersed Russian ICBM launches go from scenario to Parquet, against the naive path?

Takes the EPAA scenario's Russian ICBM threat set (its bases and US cities, minimum-energy), draws N
launch points uniformly in the bases' launch areas (``launch_areas.sample``), aims each by one
Newton step from its base's aim solution (the impact point's Jacobian in launch point, azimuth and
cut-off, by central differences on the reference flight; the miss this leaves is measured and
reported), then, chunk by chunk, flies them (the kernel writing the compact tracks the engagement
reads), evaluates every flight against every site of Phase 4 (its interceptors and sensors, the
scenario's bounding cue, under which these flights can be engaged at all, and the kill vehicle's
endgame: verdict, margin, window) and writes one Parquet file per chunk. Compilation, envelope
builds and the reference aims are done before the clock starts and reported separately, and so are
the benchmark's own checks of each chunk (the aim's miss, flights still airborne). In the same run
the naive path — each flight by scipy ``solve_ivp`` (RK45, rtol 1e-8), each pair by
``engagement.engage`` over the stored track — is timed on a few flights.

    python benchmarks/bench_sweep.py --n 1000000 --chunk 50000 [--scaling] [--device gpu]

Prints one JSON line per size.
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path

import numpy as np

THREAT = "Russian ICBMs to the US"
PHASE = "Phase 4"
#: The default step rule, with histories sized for flights of up to 40 min (an ICBM to the US takes about
#: 30; a flight still in the air at the end is counted and reported, never silently cut).
INTEGRATOR_MAX_FLIGHT_S = 2_400.0
BASIS = "bounding"  # the scenario's bounding cue: under the sites' own cueing these flights are never tracked
STEP_DEG, STEP_S = 0.02, 0.05  # central-difference steps of the Jacobian (launch point and azimuth; cut-off)


def references(scenario):
    """Per (base, city) route: the missile, the reference launch point, aim point and aim solution."""
    from shieldcheck import assess

    threat = scenario.threat(THREAT).model_copy(update={"trajectories": ("minimum-energy",)})
    only = scenario.model_copy(update={"threats": (threat,)})
    flown = assess.fly_threats(only)
    return [r for r in flown.rows if r["status"] == "flown"]


def impact(missile, lat, lon, azimuth, kick, cutoff):
    from shieldcheck import flight
    from shieldcheck.earth import Sites

    f = flight.fly_launch(missile, Sites(lat, lon), azimuth, kick, cutoff)
    point = f.impact()
    return np.column_stack([point["latitude_deg"], point["longitude_deg"]])


def linear_aim(route, missile, lat, lon):
    """Azimuth and cut-off of launches from (lat, lon) near the route's launch point, onto its aim point:
    one Newton step from the reference solution with the Jacobian of the impact point."""
    from shieldcheck import catalog

    lat0, lon0 = route["launch_latitude_deg"], route["launch_longitude_deg"]
    a0, k0, t0 = route["azimuth_deg"], route["kick_deg"], route["cutoff_s"]
    d = np.array([STEP_DEG, STEP_DEG, STEP_DEG, STEP_S])
    base = np.array([lat0, lon0, a0, t0])
    probes = np.vstack([base] + [base + s * d[j] * np.eye(4)[j] for j in range(4) for s in (1, -1)])
    hits = impact(missile, probes[:, 0], probes[:, 1], probes[:, 2], np.full(len(probes), k0), probes[:, 3])
    jac = np.column_stack([(hits[1 + 2 * j] - hits[2 + 2 * j]) / (2 * d[j]) for j in range(4)])  # d(impact)/d(x)
    target = catalog.site(route["aim"])
    error0 = hits[0] - np.array([target.latitude_deg, target.longitude_deg])
    shift = np.column_stack([lat - lat0, lon - lon0])
    rhs = -(error0[None, :] + shift @ jac[:, :2].T)
    control = np.linalg.solve(jac[:, 2:], rhs.T).T
    return a0 + control[:, 0], np.full(len(lat), k0), np.minimum(t0 + control[:, 1], missile.burn_time_s)


def plan(n: int, scenario, seed: int = 0):
    """N dispersed launches over the routes: missile per flight, launch point, steering, route index."""
    from shieldcheck import catalog, launch_areas

    routes = references(scenario)
    per_route = np.full(len(routes), n // len(routes))
    per_route[: n % len(routes)] += 1
    parts = []
    for r, (route, count) in enumerate(zip(routes, per_route)):
        if count == 0:
            continue
        missile = catalog.missile(route["missile"])
        lat, lon = launch_areas.sample(route["launch"], int(count), seed + r)
        azimuth, kick, cutoff = linear_aim(route, missile, lat, lon)
        parts.append((route, missile, lat, lon, azimuth, kick, cutoff))
    return routes, parts


def chunks(parts, size: int):
    """(route index, missile, lat, lon, azimuth, kick, cutoff) pieces of at most ``size`` flights in all per chunk."""
    current, room = [], size
    for r, (route, missile, lat, lon, azimuth, kick, cutoff) in enumerate(parts):
        start = 0
        while start < len(lat):
            take = min(room, len(lat) - start)
            part = slice(start, start + take)
            current.append((r, missile, lat[part], lon[part], azimuth[part], kick[part], cutoff[part]))
            start += take
            room -= take
            if room == 0:
                yield current
                current, room = [], size
    if current:
        yield current


def site_inputs(scenario):
    """The interceptor, site, cueing and options of every site entry of ``PHASE`` under the ``BASIS`` cue."""
    from shieldcheck import assess

    shapes = scenario.sector_shapes() if scenario.sectors else {}
    return [assess.site_inputs(entry, scenario, shapes, BASIS) for entry in scenario.phase(PHASE).sites]


def launches(pieces):
    """The pieces of a chunk as one batch: each flight's missile, the launch points (``earth.Sites``),
    azimuths, kicks and cut-offs."""
    from shieldcheck.earth import Sites

    missiles = [p[1] for p in pieces for _ in range(len(p[2]))]
    lat, lon, azimuth, kick, cutoff = (np.concatenate([p[k] for p in pieces]) for k in range(2, 7))
    return missiles, Sites(lat, lon), azimuth, kick, cutoff


def run(n: int, chunk: int, device: str, out: Path, seed: int = 0) -> dict:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from shieldcheck import flight, scenario
    from shieldcheck.engagement import Verdict, engage_many

    global INTEGRATOR
    INTEGRATOR = flight.Integrator(max_flight_time_s=INTEGRATOR_MAX_FLIGHT_S)
    epaa = scenario.load("epaa")
    inputs = site_inputs(epaa)
    labels = [f"{e.site} ({e.interceptor})" for e in epaa.phase(PHASE).sites]

    t0 = time.perf_counter()
    routes, parts = plan(n, epaa, seed)
    aim_s = time.perf_counter() - t0

    # warm-up, outside the clock: compiled kernels loaded, envelopes built
    t0 = time.perf_counter()
    warm = flight.fly_launch(*launches(next(chunks(parts, 1))), tracks=True, device=device)  # the first flight
    for interceptor, site, _, cueing, options in inputs:
        engage_many(warm, interceptor, [site], cueing=cueing, device=device, **options)
    warm_s = time.perf_counter() - t0

    times = {"fly_s": 0.0, "engage_s": 0.0, "write_s": 0.0}
    verdict_counts = np.zeros(len(Verdict), np.int64)
    misses = []
    airborne = 0
    check_s = 0.0
    start = time.perf_counter()
    for c, pieces in enumerate(chunks(parts, chunk)):
        t = time.perf_counter()
        batch = launches(pieces)  # one batch of every missile of the chunk
        flights = flight.fly_launch(*batch, tracks=True, device=device, integrator=INTEGRATOR,
                                    chunk_size=len(batch[0]))
        route_index = np.concatenate([np.full(len(p[2]), p[0], np.int32) for p in pieces])
        times["fly_s"] += time.perf_counter() - t
        t = time.perf_counter()
        results = [engage_many(flights, interceptor, [site], cueing=cueing, device=device, **options)
                   for interceptor, site, _, cueing, options in inputs]
        times["engage_s"] += time.perf_counter() - t
        t = time.perf_counter()
        m = len(flights)
        verdict = np.concatenate([r.verdict[:, 0] for r in results])
        feasible = verdict == Verdict.FEASIBLE
        table = pa.table({
            "flight": pa.array(np.tile(np.arange(c * chunk, c * chunk + m), len(results))),
            "route": pa.DictionaryArray.from_arrays(np.tile(route_index, len(results)),
                                                    [f"{x['launch']} -> {x['aim']}" for x in routes]),
            "site": pa.DictionaryArray.from_arrays(np.repeat(np.arange(len(results), dtype=np.int32), m), labels),
            "verdict": pa.DictionaryArray.from_arrays(verdict.astype(np.int32), [v.name.lower() for v in sorted(Verdict)]),
            "margin_s": np.concatenate([r.margin_s[:, 0] for r in results]),
            "window_earliest_s": pa.array(np.concatenate([r.earliest_s[:, 0] for r in results]), mask=~feasible),
            "window_latest_s": pa.array(np.concatenate([r.latest_s[:, 0] for r in results]), mask=~feasible)})
        pq.write_table(table, out / f"chunk-{c:06d}.parquet", compression="zstd")
        times["write_s"] += time.perf_counter() - t
        # the checks of the benchmark itself (how far the linear aim misses, flights still airborne): off the clock
        t = time.perf_counter()
        verdict_counts += np.bincount(verdict, minlength=len(Verdict))
        misses.append(_miss_km(flights, routes, route_index))
        airborne += int(np.sum(~flights.landed))
        check_s += time.perf_counter() - t
    total_s = time.perf_counter() - start - check_s
    miss = np.concatenate(misses)
    evaluations = n * len(inputs)
    return {"flights": n, "sites": len(inputs), "evaluations": evaluations, "chunk": chunk, "device": device,
            "scenario_to_parquet_s": round(total_s, 2), "flights_per_s": round(n / total_s, 1),
            "evaluations_per_s": round(evaluations / total_s, 1), **{k: round(v, 2) for k, v in times.items()},
            "aim_s": round(aim_s, 2), "warm_up_s": round(warm_s, 2), "checks_s": round(check_s, 2),
            "aim_miss_km": {"median": round(float(np.median(miss)), 3), "p99": round(float(np.quantile(miss, 0.99)), 3),
                            "max": round(float(miss.max()), 3)},
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "verdicts": {v.name.lower(): int(verdict_counts[v]) for v in sorted(Verdict) if verdict_counts[v]},
            "routes": len(routes), "not_landed": airborne}


def _miss_km(flights, routes, route_index) -> np.ndarray:
    import pyproj

    from shieldcheck import catalog

    aims = [catalog.site(r["aim"]) for r in routes]
    lat = np.array([aims[i].latitude_deg for i in route_index])
    lon = np.array([aims[i].longitude_deg for i in route_index])
    point = flights.impact()
    _, _, distance_m = pyproj.Geod(ellps="WGS84").inv(point["longitude_deg"], point["latitude_deg"], lon, lat)
    return distance_m / 1e3


def naive(flights_n: int, device: str) -> dict:
    """The naive path on a few flights: scipy one flight at a time, engagement.engage one pair at a time."""
    from shieldcheck import flight, scenario, scipy_flight
    from shieldcheck.earth import Site
    from shieldcheck.engagement import engage

    epaa = scenario.load("epaa")
    routes, parts = plan(flights_n, epaa, seed=99)
    inputs = site_inputs(epaa)

    def engage_all(one):
        track = one.trajectory_of(0)
        for interceptor, site, _, cueing, options in inputs:
            own = options["own_radars"][0] if options["own_radars"] else None
            engage(track, interceptor, site, cueing=cueing, sensors=options["sensors"], own_radar=own,
                   launch_delay_s=options["launch_delay_s"], rcs_m2=options["rcs_m2"],
                   burnout_time_s=float(one.burnout_time_s[0]), sector=options["sectors"][0], endgame=options["endgame"])

    fly_s = engage_s = 0.0
    count = 0
    warm = False  # the envelopes are built (or read) on the first pair, outside the clock, as in ``run``
    for route, missile, lat, lon, azimuth, kick, cutoff in parts:
        for i in range(len(lat)):
            t = time.perf_counter()
            scipy_flight.fly_one_scipy(missile, lat[i], lon[i], azimuth[i], kick[i], cutoff[i], method="RK45", rtol=1e-8)
            fly_s += time.perf_counter() - t
            one = flight.fly_launch(missile, [Site("x", lat[i], lon[i], 0.0)], azimuth[i:i + 1], kick[i:i + 1],
                                    cutoff[i:i + 1], history=True)
            if not warm:
                engage_all(one)
                warm = True
            t = time.perf_counter()
            engage_all(one)
            engage_s += time.perf_counter() - t
            count += 1
    per_flight_s = (fly_s + engage_s) / count
    return {"naive_flights": count, "naive_flights_per_s": round(1 / per_flight_s, 2),
            "naive": "scipy solve_ivp RK45 rtol 1e-8 one flight at a time, engagement.engage one pair at a time"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--chunk", type=int, default=50_000)
    parser.add_argument("--device", default="cpu", choices=("cpu", "gpu"))
    parser.add_argument("--scaling", action="store_true", help="also 10^4 and 10^5 flights, to show the cost is linear")
    parser.add_argument("--naive-flights", type=int, default=8)
    args = parser.parse_args()
    baseline = naive(args.naive_flights, args.device)
    sizes = sorted({s for s in (10_000, 100_000) if args.scaling and s < args.n} | {args.n})
    for n in sizes:
        with tempfile.TemporaryDirectory() as folder:
            result = run(n, args.chunk, args.device, Path(folder))
        result.update(baseline)
        result["ratio"] = round(result["flights_per_s"] / baseline["naive_flights_per_s"], 1)
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
