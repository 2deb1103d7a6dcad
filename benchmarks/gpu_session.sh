#!/usr/bin/env bash
# The GPU measurements of docs/performance.md in one call on a lent machine (an H200): about 5 minutes,
# the first one or two compiling the CPU and CUDA kernels (the machine starts bare), at most 9.5.
#
# Run from the repository root there, with the wheels the machine lacks carried in .whl/ (made here
# with benchmarks/gpu_wheels.sh):
#
#     bash benchmarks/gpu_session.sh        # writes machine.txt and one .jsonl per benchmark to $OUT
#
# 1. the kernels alone and end to end (bench_kernels.py, 250,000 flights x 4 Phase 4 site entries);
# 2. the sweep from scenario to Parquet, 10^6 flights (bench_sweep.py), with the naive path in the same run;
# 3. the flight kernel against DOP853 and the one-core scipy loop (bench_flight.py, 10^5 flights).
set -uo pipefail
OUT=${OUT:-/tmp/shieldcheck-gpu}
mkdir -p "$OUT"
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl || exit 1
# numba-cuda 0.30 registers np.row_stack, which NumPy 2.5 removed (../shared/reference/gpu-recipe.md)
printf 'import numpy\nif not hasattr(numpy, "row_stack"):\n    numpy.row_stack = numpy.vstack\n' > /tmp/site/sitecustomize.py
export PYTHONPATH="/tmp/site:$PWD/src:$PWD/benchmarks" NUMBA_CACHE_DIR=/tmp/numba-cache PYTHONUNBUFFERED=1 \
       SHIELDCHECK_CACHE_DIR=/tmp/shieldcheck-cache
{
    nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
    echo "cores: $(nproc)"
    python3 -c "import sys, numpy, numba, numba_cuda; print(sys.version.split()[0], 'numpy', numpy.__version__, 'numba', numba.__version__, 'numba-cuda', numba_cuda.__version__)"
    git log -1 --format='commit %H %s' 2>/dev/null || true
} | tee "$OUT/machine.txt"

run() {  # name, seconds, command...
    local name=$1 limit=$2
    shift 2
    echo "== $name: $*"
    timeout "$limit" "$@" 2>"$OUT/$name.err" | tee "$OUT/$name.jsonl"
    tail -5 "$OUT/$name.err"
}
# sizes: the defaults are the measurements; smaller ones try the script under NUMBA_ENABLE_CUDASIM=1
N_KERNELS=${N_KERNELS:-250000} N_SWEEP=${N_SWEEP:-1000000} CHUNK=${CHUNK:-250000} N_FLIGHT=${N_FLIGHT:-100000}
run kernels 240 python3 benchmarks/bench_kernels.py --n "$N_KERNELS" --device gpu --repeat 3
run sweep 180 python3 benchmarks/bench_sweep.py --n "$N_SWEEP" --chunk "$CHUNK" --device gpu --naive-flights 4
run flight 150 python3 benchmarks/bench_flight.py --n "$N_FLIGHT" --device gpu --baseline-n 4 --reference-n 8
