"""The CPU target: the shared flight physics compiled with numba, a parallel loop over flights.

Compiled kernels are cached on disk (``cache=True``), so a second process does not compile
again; ``engine/cache.py`` drops that cache whenever the engine's sources change.
"""

from __future__ import annotations

import numba

from .cache import drop_stale
from .physics import build

drop_stale(__file__)

_LEAVES = {"heikkinen", "air_height", "table_position", "ambient_pressure", "ecef_from_eci", "eci_from_ecef", "local_frame", "gravity", "air", "drag_coefficient",
           "hermite", "height_and_climb", "geodetic", "derivative"}


def _jit(function):
    inline = "always" if function.__name__ in _LEAVES else "never"
    return numba.njit(inline=inline, cache=True, error_model="numpy")(function)


_fly_one = build(_jit).fly_one


@numba.njit(parallel=True, cache=True, error_model="numpy")
def fly_batch(flights, vehicles, drag, settings, earth, log_density, log_pressure, sound, out, history):
    """Fly every row of ``flights``: one flight per loop iteration, each stopping on its own."""
    for i in numba.prange(flights.shape[0]):
        _fly_one(i, flights, vehicles, drag, settings, earth, log_density, log_pressure, sound, out, history)
