"""The CPU target: the shared flight physics compiled with numba, a parallel loop over flights.

Compiled kernels are cached on disk (``cache=True``), so a second process does not compile
again.
"""

from __future__ import annotations

import numba

from .physics import build

_fly_one = build(numba.njit(cache=True, error_model="numpy"))


@numba.njit(parallel=True, cache=True, error_model="numpy")
def fly_batch(flights, vehicles, drag, settings, earth, log_density, log_pressure, sound, out, history):
    """Fly every row of ``flights``: one flight per loop iteration, each stopping on its own."""
    for i in numba.prange(flights.shape[0]):
        _fly_one(i, flights, vehicles, drag, settings, earth, log_density, log_pressure, sound, out, history)
