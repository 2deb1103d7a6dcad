"""The CPU target: the shared flight physics compiled with numba, a parallel loop over flights.

Compiled kernels are cached on disk (``cache=True``), so a second process does not compile
again; ``engine/cache.py`` drops that cache whenever the engine's code (or the constants it takes) changes.

The flight kernel is compiled without numba's reference counting of arrays (``_nrt=False``): it
allocates nothing, and the counts that every call and inlined copy of an array argument would
otherwise update are atomic operations on memory shared by all threads, which halved its speed on
two cores (docs/performance.md).
"""

from __future__ import annotations

import numba

from .cache import drop_stale
from .aim import build as build_aim
from .fobs import build as build_fobs
from .physics import build

drop_stale(__file__)

_LEAVES = {"geodetic_height", "air_height", "table_position", "ambient_pressure", "ecef_from_eci", "eci_from_ecef", "gravity", "air", "drag_coefficient",
           "hermite", "height_and_climb", "derivative", "radial_height_and_climb", "rising", "normal_tilt"}


def _jit(function):
    inline = "always" if function.__name__ in _LEAVES else "never"
    return numba.njit(inline=inline, cache=True, error_model="numpy", _nrt=False)(function)


_fly_one = build(_jit).fly_one
_aim_one = build_aim(_jit, _fly_one).aim_one
_fobs = build_fobs(_jit, _fly_one)
_fobs_aim_one = _fobs.aim_one
_fobs_fly_solution = _fobs.fly_solution


@numba.njit(parallel=True, cache=True, error_model="numpy", _nrt=False)
def fly_batch(flights, vehicles, drag, settings, earth, log_density, log_pressure, sound, out, history):
    """Fly every row of ``flights``: one flight per loop iteration, each stopping on its own."""
    for i in numba.prange(flights.shape[0]):
        _fly_one(i, flights, vehicles, drag, settings, earth, log_density, log_pressure, sound, out, history)


@numba.njit(parallel=True, cache=True, error_model="numpy", _nrt=False)
def aim_batch(flights, vehicles, drag, settings, earth, log_density, log_pressure, sound, out, history, routes, scan,
              result):
    """Aim every route: one route per loop iteration, each solved on its own (``engine/aim.py``)."""
    for i in numba.prange(flights.shape[0]):
        _aim_one(i, flights, vehicles, drag, settings, earth, log_density, log_pressure, sound, out, history, routes,
                 scan, result)


@numba.njit(parallel=True, cache=True, error_model="numpy", _nrt=False)
def fobs_aim_batch(flights, vehicles, drag, scratch, earth, log_density, log_pressure, sound, out, history, routes,
                   reentry_flights, reentry_out, reentry_history, result):
    """Aim every fractional-orbit route: one route per loop iteration, each solved on its own (``engine/fobs.py``)."""
    for i in numba.prange(flights.shape[0]):
        _fobs_aim_one(i, flights, vehicles, drag, scratch, earth, log_density, log_pressure, sound, out, history, routes,
                      reentry_flights, reentry_out, reentry_history, result)


@numba.njit(parallel=True, cache=True, error_model="numpy", _nrt=False)
def fobs_fly_batch(flights, vehicles, drag, scratch, earth, log_density, log_pressure, sound, out, history, routes,
                   reentry_flights, reentry_out, reentry_history, result):
    """Fly every fractional-orbit route's solution: boost and coast to the deorbit time, then the re-entry."""
    for i in numba.prange(flights.shape[0]):
        _fobs_fly_solution(i, flights, vehicles, drag, scratch, earth, log_density, log_pressure, sound, out, history,
                           routes, reentry_flights, reentry_out, reentry_history, result)
