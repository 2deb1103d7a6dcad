#!/usr/bin/env bash
# The wheels benchmarks/gpu_session.sh installs on the lent GPU machine (Python 3.12, x86-64), which has
# numba, numba-cuda, NumPy, pyarrow, scipy, matplotlib, typer and rich but not these. Into .whl/,
# which git ignores (.gitignore); carry it with the call.
set -euo pipefail
mkdir -p .whl
python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
    --platform manylinux_2_28_x86_64 --platform manylinux_2_27_x86_64 --platform manylinux_2_17_x86_64 \
    --platform manylinux2014_x86_64 --platform manylinux1_x86_64 -d .whl \
    pydantic==2.14.4 pydantic_core==2.50.5 annotated-types==0.8.0 typing-inspection==0.4.5 pyproj==3.7.2 shapely==2.2.0
ls .whl
