"""How fast are the kernels alone, and how close to them does the end-to-end path come?

The workload of ``bench_sweep.py``: N dispersed Russian ICBM launches aimed at US cities, evaluated
against every site entry of EPAA Phase 4 under the bounding cue. On one batch it times

- the flight kernel alone (full flights writing the engagement's compact tracks), its inputs
  already packed and, on the GPU, already in device memory;
- the engagement kernel alone, every (flight, site entry) pair, inputs ready likewise;
- the end-to-end calls on the same batch (``flight.fly_launch`` and ``engagement.engage_many``:
  packing, transfers and results included), and their ratio to the kernels (the target: within 1.5).

On the GPU it also reports each kernel's registers and local memory per thread and the float64
divisions in its PTX. Compilation and envelope builds happen before the clock, on a first small batch.

    python benchmarks/bench_kernels.py --n 100000 [--device gpu] [--repeat 3]

Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

import bench_sweep


def workload(n: int, seed: int = 0):
    """(missiles per flight, Sites, azimuth, kick, cut-off) of n dispersed launches, and the Phase 4 site inputs."""
    from shieldcheck import scenario

    epaa = scenario.load("epaa")
    _, parts = bench_sweep.plan(n, epaa, seed)
    return bench_sweep.launches(parts), bench_sweep.site_inputs(epaa)


def best_of(repeat: int, run) -> float:
    """The shortest of ``repeat`` timed calls of ``run`` (seconds)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def resources(kernel) -> dict:
    """Registers and local memory per thread, and float64 divisions in the PTX, of a compiled CUDA kernel."""
    def one(value):
        return max(value.values()) if isinstance(value, dict) else value

    try:
        ptx = kernel.inspect_asm()
        ptx = "\n".join(ptx.values()) if isinstance(ptx, dict) else ptx
        return {"registers_per_thread": one(kernel.get_regs_per_thread()),
                "local_bytes_per_thread": one(kernel.get_local_mem_per_thread()),
                "f64_divisions_in_ptx": ptx.count("div.rn.f64"), "f64_square_roots_in_ptx": ptx.count("sqrt.rn.f64")}
    except (AttributeError, NotImplementedError, TypeError):  # the CUDA simulator compiles nothing
        return {}


def run(n: int, device: str, repeat: int) -> dict:
    from shieldcheck import engine, flight
    from shieldcheck import earth as earth_mod
    from shieldcheck.engagement import engage_many, kernel_inputs
    from shieldcheck.engine.results import N_RESULT

    (missiles, sites, azimuth, kick, cutoff), inputs = workload(n)
    integrator = flight.Integrator(max_flight_time_s=bench_sweep.INTEGRATOR_MAX_FLIGHT_S)
    model = earth_mod.earth_model(earth_mod.DEFAULT_EARTH)

    def fly(k=None):
        part = slice(None) if k is None else slice(0, k)
        return flight.fly_launch(missiles[part], earth_mod.Sites(sites.latitude_deg[part], sites.longitude_deg[part]),
                                 azimuth[part], kick[part], cutoff[part], tracks=True, device=device,
                                 integrator=integrator, chunk_size=n)

    def engage_all(flights):
        return [engage_many(flights, interceptor, [site], cueing=cueing, device=device, **options)
                for interceptor, site, _, cueing, options in inputs]

    engage_all(fly(8))  # compile (or load) and build the envelopes, outside the clock
    flights = fly()
    end_to_end_fly_s = best_of(repeat, fly)
    end_to_end_engage_s = best_of(repeat, lambda: engage_all(flights))

    vehicles = list(dict.fromkeys(missiles))
    index = np.array([vehicles.index(m) for m in missiles])
    rows = flight.launch_rows(index, sites.latitude_deg, sites.longitude_deg, sites.height_m, azimuth, kick,
                              np.minimum(cutoff, [vehicles[i].burn_time_s for i in index]), model)
    fly_arguments = flight.kernel_arguments(rows, vehicles, model, "ussa1976", integrator, history=False, tracks=True,
                                            resident=device == "gpu")
    engage_arguments = [kernel_inputs(flights, interceptor, [site], cueing=cueing, device=device, **options).arguments
                        for interceptor, site, _, cueing, options in inputs]
    evaluations = n * len(engage_arguments)
    result = {"flights": n, "sites": len(engage_arguments), "evaluations": evaluations, "device": device}
    if device == "gpu":
        result.update(_gpu_kernels(fly_arguments, engage_arguments, n, repeat))
    else:
        fly_batch, engage_batch = engine.batch("fly_batch", "cpu"), engine.batch("engage_batch", "cpu")
        result["flight_kernel_s"] = best_of(repeat, lambda: fly_batch(*fly_arguments))
        out = np.zeros((n, N_RESULT))
        result["engage_kernel_s"] = best_of(repeat, lambda: [engage_batch(*a, out) for a in engage_arguments])
        result["summaries"] = fly_arguments[-2]
    # the kernel timed alone flew the same flights as the end-to-end call, to the bit
    result["kernel_equals_end_to_end"] = bool(np.array_equal(result.pop("summaries"), flights.summary))
    kernels_s = result["flight_kernel_s"] + result["engage_kernel_s"]
    end_to_end_s = end_to_end_fly_s + end_to_end_engage_s
    result.update({
        "flight_kernel_per_s": round(n / result["flight_kernel_s"], 1),
        "engage_kernel_evaluations_per_s": round(evaluations / result["engage_kernel_s"], 1),
        "end_to_end_fly_s": round(end_to_end_fly_s, 4), "end_to_end_engage_s": round(end_to_end_engage_s, 4),
        "end_to_end_over_kernels": round(end_to_end_s / kernels_s, 2),
        "flight_kernel_s": round(result["flight_kernel_s"], 4), "engage_kernel_s": round(result["engage_kernel_s"], 4),
        "landed": int(np.sum(flights.landed))})
    return result


def _gpu_kernels(fly_arguments, engage_arguments, n: int, repeat: int) -> dict:
    """The two CUDA kernels timed alone on device-resident inputs (launch to synchronize)."""
    from numba import cuda

    from shieldcheck.engine import cuda as target
    from shieldcheck.engine.results import N_RESULT

    def up(a):
        return target.on_device(a) if isinstance(a, (np.ndarray, target.DeviceTracks)) else a

    threads = target.THREADS_PER_BLOCK
    fly_device = [up(a) for a in fly_arguments[:-1]] + [cuda.device_array(fly_arguments[-1].shape)]
    engage_device = [[up(a) for a in arguments] for arguments in engage_arguments]
    out = cuda.device_array((n, N_RESULT))

    def fly():
        target._fly_kernel[(n + threads - 1) // threads, threads](*fly_device)
        cuda.synchronize()

    def engage():
        for arguments in engage_device:
            target._engage_kernel[(n + threads - 1) // threads, threads](*arguments, out)
        cuda.synchronize()

    result = {"flight_kernel_s": best_of(repeat, fly), "engage_kernel_s": best_of(repeat, engage),
              "threads_per_block": threads, "summaries": fly_device[-2].copy_to_host()}
    result["flight_kernel"] = resources(target._fly_kernel)
    result["engage_kernel"] = resources(target._engage_kernel)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--device", default="cpu", choices=("cpu", "gpu"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(json.dumps(run(args.n, args.device, args.repeat)), flush=True)


if __name__ == "__main__":
    main()
