"""shieldcheck: open, reproducible technical assessment of ballistic-missile defence.

Point-mass missile flight on a rotating WGS-84 Earth, batched and compiled for CPU and GPU,
with a cited catalog of missiles and sites.

    >>> import shieldcheck as sc
    >>> flights = sc.fly("Shahab-3", "Tabriz", "Bucharest")
    >>> flights.range_km

Each command of the command line is a function too (:mod:`shieldcheck.api`, docs/api.md), returning a
result with Arrow tables, ``explain()`` and ``write(folder)``:

    >>> sc.engage("Yars", "Teykovo", "New York", site="Redzikowo").explain()
    >>> sc.assess("epaa", uncertainty=0).results

``sc.assess``, ``sc.guarantee``, ``sc.footprint``, ``sc.sweep`` and ``sc.verify`` are also the study modules of those
names (``from shieldcheck import assess`` is the module): calling one runs the library function of its
name, and its attributes are the study's own.

Heavy modules (numba kernels) load on first use, so ``import shieldcheck`` stays fast.
"""

from __future__ import annotations

import sys as _sys
import types as _types

from .constants import PACKAGE_VERSION as __version__

#: The library functions (:mod:`shieldcheck.api`), one per command.
LIBRARY = ("engage", "assess", "compare", "guarantee", "footprint", "sweep", "verify")
#: Library functions whose names are also study modules of the package: the module, called, runs the function.
CALLABLE_STUDIES = ("assess", "guarantee", "footprint", "sweep", "verify")
MODULES = ("catalog", "earth", "atmosphere", "aiming", "flight", "vehicles", "api")
FLIGHT_NAMES = ("fly_burnout", "fly_launch", "Flights", "Integrator", "FlightStatus")

__all__ = ["fly", "fly_burnout", "fly_launch", "catalog", "earth", "Flights", "Integrator", "InputError",
           "engage", "assess", "compare", "guarantee", "footprint", "sweep", "verify"]


class _Study(_types.ModuleType):
    """A study module (``shieldcheck.assess``...) that, called, runs the library function of its name
    (``shieldcheck.api.assess``...), so that ``sc.assess("epaa")`` works whether or not the module was
    imported first."""

    def __call__(self, *args, **kwargs):
        from . import api

        return getattr(api, self.__name__.rpartition(".")[2])(*args, **kwargs)

    @property
    def __signature__(self):
        import inspect

        from . import api

        return inspect.signature(getattr(api, self.__name__.rpartition(".")[2]))


class _Package(_types.ModuleType):
    """The package module: a study module bound to it (as the import system does once the module is
    loaded) is made callable (:class:`_Study`)."""

    def __setattr__(self, name, value):
        if name in CALLABLE_STUDIES and type(value) is _types.ModuleType:
            value.__class__ = _Study
        super().__setattr__(name, value)


_sys.modules[__name__].__class__ = _Package


def __getattr__(name):
    import importlib

    if name in MODULES or name in CALLABLE_STUDIES:
        return importlib.import_module(f".{name}", __name__)
    if name in FLIGHT_NAMES:
        return getattr(importlib.import_module(".flight", __name__), name)
    if name == "fly":
        return importlib.import_module(".aiming", __name__).fly
    if name in LIBRARY:
        return getattr(importlib.import_module(".api", __name__), name)
    if name == "InputError":
        from .errors import InputError

        return InputError
    raise AttributeError(f"module 'shieldcheck' has no attribute {name!r}")


def __dir__():
    """Every name of the package, the lazy ones included (tab completion shows them)."""
    return sorted({*(n for n in globals() if n != "annotations"), *__all__, *MODULES, *FLIGHT_NAMES, *LIBRARY})
