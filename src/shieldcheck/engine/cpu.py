"""The CPU target: the shared flight physics compiled with numba, a parallel loop over flights.

Compiled kernels are cached on disk (``cache=True``), so a second process does not compile
again. Numba checks only this file's time stamp against its cache, not the files it calls
into, so the cache is dropped here whenever the engine's sources change.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numba

from .physics import build


def _drop_stale_cache() -> None:
    """Remove this module's numba cache if physics.py or pack.py changed since it was written."""
    here = Path(__file__).parent
    digest = hashlib.sha256(b"".join((here / name).read_bytes() for name in ("physics.py", "pack.py", "cpu.py"))).hexdigest()
    cache = here / "__pycache__"
    stamp = cache / "cpu-engine.sha256"
    try:
        if stamp.exists() and stamp.read_text() == digest:
            return
        for path in cache.glob("cpu.*.nb[ic]"):
            path.unlink()
        cache.mkdir(exist_ok=True)
        stamp.write_text(digest)
    except OSError:  # read-only install: numba then caches in its user-wide directory
        pass


_drop_stale_cache()

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
