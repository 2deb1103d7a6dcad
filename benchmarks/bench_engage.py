"""How fast are (threat flight, interceptor site) engagement evaluations, against a per-pair loop?

Flies N RS-24 Yars flights (aiming solutions of Russian base -> US city pairs, jittered) with
compact histories, then evaluates every flight against SM-3 Block IIA at 10 sites (delay cueing,
launch 120 s after the threat) with the compiled batch (``engagement.engage_many``), and, in the
same run, the naive per-pair loop (``engagement.engage``: NumPy over one flight's stored track,
one pair at a time) on a sample of pairs, checking that both give the same verdict on every
sampled pair.

    python benchmarks/bench_engage.py --n 5000 [--baseline-pairs 300] [--save FILE.npz | --compare FILE.npz]

Prints one JSON line: n_flights, n_sites, evaluations, batched_per_s, baseline_per_s, ratio,
verdicts_agree, envelope_build_s (first build in this run; 0 when read from the disk cache),
verdict counts. ``--save`` writes every pair's results (verdict, margin, window, intercept sample,
endgame reason and value, closing speed, crossing angle, divert); ``--compare`` checks them against
such a file, to the bit (``results_identical``: pairs equal in every field), e.g. before and after
a kernel change.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

RESULT_FIELDS = ("verdict", "margin_s", "earliest_s", "latest_s", "min_altitude_m", "max_altitude_m", "intercept_index",
                 "endgame_reason", "endgame_value", "closing_speed_m_s", "crossing_angle_deg", "divert_needed_m_s")
SITES = ["Redzikowo", "Deveselu", "Eastern Mediterranean patrol station", "Black Sea patrol station",
         "North Sea patrol station", "Norwegian Sea patrol station", "Rota", "Fylingdales", "Thule", "Kurecik"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5_000)
    parser.add_argument("--baseline-pairs", type=int, default=300, help="pairs the naive loop checks; 0: every pair")
    parser.add_argument("--cueing", default="delay:120")
    parser.add_argument("--sensors", default="AN/TPY-2 Kurecik,UEWR Fylingdales,SBIRS/DSP infrared warning",
                        help="comma-separated catalog sensors for remote cueing")
    parser.add_argument("--stream-n", type=int, default=0,
                        help="also fly and evaluate this many flights chunk by chunk (engagement.engage_stream)")
    parser.add_argument("--chunk", type=int, default=10_000)
    parser.add_argument("--endgame", default="kinematic", choices=("kinematic", "none"),
                        help="the kill vehicle's endgame model, evaluated in the same pass")
    parser.add_argument("--device", default="cpu", choices=("cpu", "gpu"),
                        help="where the batch runs (gpu: pip install '.[gpu]'); the naive loop is always NumPy")
    parser.add_argument("--save", help="write every pair's results to this .npz")
    parser.add_argument("--compare", help="compare every pair's results with this .npz (from --save), to the bit")
    args = parser.parse_args()

    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent))
    from bench_flight import steering

    from shieldcheck import catalog, flight
    from shieldcheck.endgame import for_interceptor
    from shieldcheck.engagement import Cueing, engage, engage_many

    missile, launch, azimuth, kick, cutoff = steering(args.n)
    integrator = flight.Integrator(max_flight_time_s=3_000.0)
    start = time.perf_counter()
    flights = flight.fly_launch(missile, launch, azimuth, kick, cutoff, history=True, integrator=integrator)
    fly_s = time.perf_counter() - start
    interceptor = catalog.interceptor("SM-3 Block IIA")
    sites = [catalog.site(name) for name in SITES]
    cueing = Cueing.parse(args.cueing)
    sensors = tuple(catalog.sensor(name) for name in args.sensors.split(",")) if cueing.remote else ()
    endgame = for_interceptor(interceptor.name, args.endgame)
    if cueing.rule == "own":
        parser.error("own cueing needs a radar at every site; use delay or remote")

    first = engage_many(flights[:2], interceptor, sites, cueing=cueing, sensors=sensors, endgame=endgame,
                        device=args.device)  # envelopes, compilation
    start = time.perf_counter()
    many = engage_many(flights, interceptor, sites, cueing=cueing, sensors=sensors, endgame=endgame, device=args.device)
    batched_s = time.perf_counter() - start
    evaluations = len(flights) * len(sites)

    rng = np.random.default_rng(0)
    if args.baseline_pairs:
        pairs = [(int(rng.integers(len(flights))), int(rng.integers(len(sites)))) for _ in range(args.baseline_pairs)]
    else:  # every pair
        pairs = [(i, j) for i in range(len(flights)) for j in range(len(sites))]
    agree = margins = 0
    start = time.perf_counter()
    for i, j in pairs:
        one = engage(flights.trajectory_of(i), interceptor, sites[j], cueing=cueing, sensors=sensors,
                     burnout_time_s=float(flights.burnout_time_s[i]), endgame=endgame)
        agree += int(one.verdict == many.verdict[i, j])
        margins += int(abs(one.margin_s - many.margin_s[i, j]) <= 1e-6)
    baseline_s = (time.perf_counter() - start) / len(pairs)

    stream = None
    if args.stream_n:
        import resource

        missile_s, launch_s, azimuth_s, kick_s, cutoff_s = steering(args.stream_n)
        chunks = flight.iter_fly_launch(missile_s, launch_s, azimuth_s, kick_s, cutoff_s, history=True,
                                        integrator=integrator, chunk_size=args.chunk)
        engage_s = 0.0
        start = time.perf_counter()
        verdicts = []
        for chunk in chunks:
            t0 = time.perf_counter()
            verdicts.append(engage_many(chunk, interceptor, sites, cueing=cueing, sensors=sensors, endgame=endgame,
                                        device=args.device).verdict)
            engage_s += time.perf_counter() - t0
        total_s = time.perf_counter() - start
        stream = {"flights": args.stream_n, "chunk": args.chunk, "evaluations": args.stream_n * len(sites),
                  "fly_and_engage_s": round(total_s, 2), "engage_s": round(engage_s, 2),
                  "engage_per_s": round(args.stream_n * len(sites) / engage_s, 1),
                  "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                  "feasible": int(sum(int(np.sum(v == 0)) for v in verdicts))}

    results = {name: np.asarray(getattr(many, name)) for name in RESULT_FIELDS}
    if args.save:
        np.savez(args.save, **results)
    identical = None
    if args.compare:
        saved = np.load(args.compare)
        same = np.ones(many.verdict.shape, bool)
        for name in RESULT_FIELDS:
            same &= (saved[name] == results[name]) | (np.isnan(saved[name]) & np.isnan(results[name]))
        identical = f"{int(same.sum())}/{same.size}"

    codes, counts = np.unique(many.verdict, return_counts=True)
    from shieldcheck.engagement import Verdict

    print(json.dumps({
        "n_flights": len(flights), "n_sites": len(sites), "evaluations": evaluations,
        "interceptor": interceptor.name, "cueing": args.cueing, "endgame": args.endgame, "device": args.device,
        "batched_s": round(batched_s, 4), "batched_per_s": round(evaluations / batched_s, 1),
        "baseline_per_s": round(1.0 / baseline_s, 1), "ratio": round(baseline_s * evaluations / batched_s, 1),
        "baseline": f"engagement.engage, NumPy over one stored track, one pair at a time, {len(pairs)} pairs",
        "verdicts_agree": f"{agree}/{len(pairs)}", "margins_agree": f"{margins}/{len(pairs)}",
        "envelope_build_s": round(first.envelope_build_s, 2), "fly_with_history_s": round(fly_s, 2),
        "verdicts": {Verdict(int(c)).name.lower(): int(k) for c, k in zip(codes, counts)},
        "stream": stream, "results_identical": identical,
    }))


if __name__ == "__main__":
    main()
