"""The CUDA target: the same flight physics compiled with numba-cuda, one flight per thread.

Imported only when the GPU path is asked for (``pip install .[gpu]``); under
``NUMBA_ENABLE_CUDASIM=1`` numba-cuda's simulator runs the same kernel on the CPU, which is how
the kernel's logic is tested without a GPU.
"""

from __future__ import annotations

import numpy as np
from numba import cuda

from .physics import build

_fly_one = build(cuda.jit(device=True)).fly_one
THREADS_PER_BLOCK = 128


@cuda.jit
def _fly_kernel(flights, vehicles, drag, settings, earth, log_density, log_pressure, sound, out, history):
    i = cuda.grid(1)
    if i < flights.shape[0]:
        _fly_one(i, flights, vehicles, drag, settings, earth, log_density, log_pressure, sound, out, history)


def fly_batch(flights, vehicles, drag, settings, earth, log_density, log_pressure, sound, out, history):
    """Fly every row of ``flights`` on the GPU and copy the summaries (and history) back."""
    n = flights.shape[0]
    if n == 0:
        return
    device = [cuda.to_device(np.ascontiguousarray(a)) for a in (flights, vehicles, drag, settings, earth, log_density, log_pressure, sound)]
    out_device = cuda.device_array_like(out)
    history_device = cuda.device_array_like(history)
    blocks = (n + THREADS_PER_BLOCK - 1) // THREADS_PER_BLOCK
    _fly_kernel[blocks, THREADS_PER_BLOCK](*device, out_device, history_device)
    out_device.copy_to_host(out)
    history_device.copy_to_host(history)
