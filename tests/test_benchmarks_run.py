"""The benchmarks run as written, on a few flights, on the CPU and under numba-cuda's simulator: the
few minutes of a lent GPU (``benchmarks/gpu_session.sh``) must not be lost to a script that no
longer runs.

References: the kernels timed alone fly the same flights as ``flight.fly_launch``, bit for bit
(``bench_kernels``' own check, here on the CPU and under the simulator); the sweep benchmark's
verdict counts add up to flights x site entries and equal those of the Parquet files it wrote.
"""

import importlib.util
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest

BENCHMARKS = Path(__file__).parents[1] / "benchmarks"


def _benchmark(name: str):
    """The module benchmarks/NAME.py, imported as the scripts import each other (from their folder)."""
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_the_sweep_benchmark_writes_every_evaluation(tmp_path):
    result = _benchmark("bench_sweep").run(8, 4, "cpu", tmp_path)
    assert result["flights"] == 8 and result["not_landed"] == 0
    assert sum(result["verdicts"].values()) == result["evaluations"] == 8 * result["sites"]
    table = pq.read_table(sorted(tmp_path.glob("chunk-*.parquet"))[0].parent)
    assert table.num_rows == result["evaluations"]
    assert Counter(table.column("verdict").to_pylist()) == result["verdicts"]
    assert result["aim_miss_km"]["max"] < 5.0  # the linear aim lands within a few km of its city


@pytest.mark.slow
def test_the_kernel_benchmark_runs_on_the_cpu_and_under_the_cuda_simulator():
    cpu = _benchmark("bench_kernels").run(4, "cpu", 1)
    assert cpu["kernel_equals_end_to_end"] and cpu["landed"] == 4 and cpu["evaluations"] == 4 * cpu["sites"]
    assert cpu["flight_kernel_s"] > 0.0 and cpu["engage_kernel_s"] > 0.0
    # the GPU path of the same script, as gpu_session.sh runs it (the simulator must be on before numba.cuda loads)
    done = subprocess.run([sys.executable, str(BENCHMARKS / "bench_kernels.py"), "--n", "3", "--device", "gpu",
                           "--repeat", "1"], env=dict(os.environ, NUMBA_ENABLE_CUDASIM="1"), capture_output=True,
                          text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    gpu = json.loads(done.stdout.strip().splitlines()[-1])
    assert gpu["device"] == "gpu" and gpu["kernel_equals_end_to_end"] and gpu["landed"] == 3
