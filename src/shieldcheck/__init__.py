"""shieldcheck: open, reproducible technical assessment of ballistic-missile defence.

Point-mass missile flight on a rotating WGS-84 Earth, batched and compiled for CPU and GPU,
with a cited catalog of missiles and sites.

    >>> import shieldcheck as sc
    >>> flights = sc.fly("Shahab-3", "Tabriz", "Bucharest")
    >>> flights.range_km

Heavy modules (numba kernels) load on first use, so ``import shieldcheck`` stays fast.
"""

from __future__ import annotations

from .constants import PACKAGE_VERSION as __version__

__all__ = ["fly", "fly_burnout", "fly_launch", "catalog", "earth", "Flights", "Integrator", "InputError"]


def __getattr__(name):
    import importlib

    if name in ("catalog", "earth", "atmosphere", "aiming", "flight", "vehicles"):
        return importlib.import_module(f".{name}", __name__)
    if name in ("fly_burnout", "fly_launch", "Flights", "Integrator", "FlightStatus"):
        return getattr(importlib.import_module(".flight", __name__), name)
    if name == "fly":
        return importlib.import_module(".aiming", __name__).fly
    if name == "InputError":
        from .errors import InputError

        return InputError
    raise AttributeError(f"module 'shieldcheck' has no attribute {name!r}")
