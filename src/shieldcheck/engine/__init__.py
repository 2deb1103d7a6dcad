"""The one compiled source of the physics: scalar kernels, packing, and the CPU and CUDA loops."""

from __future__ import annotations

import importlib

from .. import limits
from ..errors import InputError

DEVICES = ("cpu", "gpu")
_CPU_MODULES = {"fly_batch": "cpu", "aim_batch": "cpu", "engage_batch": "engage", "cue_batch": "sensing"}  # on the GPU: all in cuda


def device_checked(device: str) -> str:
    """``device`` if the kernels can run there: ``cpu`` always, ``gpu`` where numba-cuda loads and finds a
    driver and a GPU; else one clear line (checked before any work, not at the first kernel launch)."""
    if device == "cpu":
        return device
    if device != "gpu":
        raise limits.not_allowed("device", device, DEVICES)
    try:
        importlib.import_module(".cuda", __name__)
        from numba import cuda

        found = cuda.is_available()
        why = "no CUDA driver or GPU found"
    except Exception as error:  # numba-cuda missing or a broken driver: say so in one line
        found, why = False, f"{type(error).__name__}: {str(error).strip().splitlines()[0] if str(error).strip() else ''}"
    if not found:
        raise InputError(f"device = 'gpu' is not available here ({why}); install the extra with "
                         "pip install '.[gpu]' on a machine with an NVIDIA GPU") from None
    return device


def batch(name: str, device: str):
    """The compiled batch loop ``name`` (``fly_batch``, ``engage_batch``, ``cue_batch``) for ``device``.

    Compiles (or loads from the cache) only the module asked for; a GPU path that cannot be used
    (numba-cuda missing, no driver, no GPU) is one clear line, not a traceback.
    """
    device_checked(device)
    if device == "cpu":
        return getattr(importlib.import_module(f".{_CPU_MODULES[name]}", __name__), name)
    return getattr(importlib.import_module(".cuda", __name__), name)
