"""The one compiled source of the physics: scalar kernels, packing, and the CPU and CUDA loops."""

from __future__ import annotations

import importlib

from ..errors import InputError, did_you_mean

DEVICES = ("cpu", "gpu")
_CPU_MODULES = {"fly_batch": "cpu", "aim_batch": "cpu", "fobs_aim_batch": "cpu", "fobs_fly_batch": "cpu",
                "engage_batch": "engage", "cue_batch": "sensing"}  # on the GPU: all in cuda


def batch(name: str, device: str):
    """The compiled batch loop ``name`` (``fly_batch``, ``engage_batch``, ``cue_batch``) for ``device``.

    Compiles (or loads from the cache) only the module asked for; a GPU path that cannot be loaded
    (numba-cuda missing, no driver) is one clear line, not a traceback.
    """
    if device == "cpu":
        return getattr(importlib.import_module(f".{_CPU_MODULES[name]}", __name__), name)
    if device == "gpu":
        try:
            module = importlib.import_module(".cuda", __name__)
        except Exception as error:  # numba-cuda missing or no driver: say so in one line
            raise InputError(f"device = 'gpu' is not available here ({type(error).__name__}: {error}); "
                             "install the extra with pip install '.[gpu]' on a machine with an NVIDIA GPU") from None
        return getattr(module, name)
    raise InputError(f"device = {device!r} is not known{did_you_mean(device, DEVICES)}; allowed: {', '.join(DEVICES)}")
