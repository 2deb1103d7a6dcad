"""The CUDA target of reach from orbit: ``orbit_reach.build``'s scalar functions compiled with numba-cuda, one
(launch, satellite) pair or one launch per thread.

Imported only when the GPU path is asked for (``space_intercept`` with ``device='gpu'``); under
``NUMBA_ENABLE_CUDASIM=1`` numba-cuda's simulator runs the same kernels on the CPU, which is how their logic
is tested without a GPU (the kernels are module-level functions so that the simulator can stand in for
``numba.cuda`` inside them).
"""

from __future__ import annotations

import numpy as np
from numba import cuda

from .orbit_reach import N_PAIR, build

_scalar = build(cuda.jit(device=True))
_evaluate_pair = _scalar.evaluate_pair
_summarise_launch = _scalar.summarise_launch
THREADS_PER_BLOCK = 128


@cuda.jit
def _pair_kernel(tracks, counts, launches, elements, carrier, earth, out):
    m = cuda.grid(1)
    n_sat = elements.shape[0]
    if m < launches.shape[0] * n_sat:
        i = m // n_sat
        k = m % n_sat
        result = _evaluate_pair(i, k, tracks, counts, launches, elements, carrier, earth)
        for c in range(N_PAIR):
            out[i, k, c] = result[c]


@cuda.jit
def _launch_kernel(tracks, counts, launches, elements, carrier, earth, horizon_s, summary, listed, listed_margin):
    i = cuda.grid(1)
    if i < launches.shape[0]:
        _summarise_launch(i, tracks, counts, launches, elements, carrier, earth, horizon_s, summary, listed,
                          listed_margin)


def _on_device(a):
    """A kernel argument in the GPU's memory: compact tracks the flight kernel kept there
    (``engine.cuda.DeviceTracks``) as they are, a host array copied up."""
    if not isinstance(a, np.ndarray) and hasattr(a, "array"):
        return a.array
    return cuda.to_device(np.ascontiguousarray(a))


def pair_batch(tracks, counts, launches, elements, carrier, earth, out):
    """Every (launch, satellite) pair on the GPU, one pair per thread; copies ``out`` back."""
    n = out.shape[0] * out.shape[1]
    if n == 0:
        return
    device = [_on_device(a) for a in (tracks, counts, launches, elements, carrier, earth)]
    out_device = cuda.device_array_like(out)
    _pair_kernel[(n + THREADS_PER_BLOCK - 1) // THREADS_PER_BLOCK, THREADS_PER_BLOCK](*device, out_device)
    out_device.copy_to_host(out)


def launch_batch(tracks, counts, launches, elements, carrier, earth, horizon_s, summary, listed, listed_margin):
    """Per-launch summaries on the GPU, one launch per thread looping over the satellites; copies them back."""
    n = summary.shape[0]
    if n == 0:
        return
    device = [_on_device(a) for a in (tracks, counts, launches, elements, carrier, earth)]
    outs = [cuda.device_array_like(a) for a in (summary, listed, listed_margin)]
    _launch_kernel[(n + THREADS_PER_BLOCK - 1) // THREADS_PER_BLOCK, THREADS_PER_BLOCK](*device, float(horizon_s),
                                                                                       *outs)
    for device_array, host in zip(outs, (summary, listed, listed_margin)):
        device_array.copy_to_host(host)
