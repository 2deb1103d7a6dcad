"""A seeded fuzz of the Python API's argument space: each public entry point is called with one
argument replaced by a bad value of some type; it must raise the package's InputError in one line
naming that argument (or its value), or succeed with finite numbers only, never raise anything else.

The call forms each take a valid baseline (a short Shahab-3 flight), so the cases that slip through
as valid still run quickly.
"""

import math
import random

import numpy as np
import pytest

import shieldcheck as sc
from shieldcheck import catalog
from shieldcheck.engagement import Cueing
from shieldcheck.errors import InputError

BAD = [None, 0, -1, 1e300, math.nan, math.inf, -math.inf, "", " ", "x" * 300, b"Tabriz", [], {}, [1, 2, 3],
       True, object(), (), "nan", "-5", 3.5]


def _shahab():
    return catalog.missile("Shahab-3")


def _tabriz():
    return catalog.site("Tabriz")


# name -> (callable taking keyword arguments, valid baseline keywords)
ENTRY_POINTS = {
    "sc.fly": (lambda **k: sc.fly(**k), {"missile": "Shahab-3", "launch": "Tabriz", "aim": "Tehran",
                                          "trajectory": "minimum-energy", "tolerance_m": 100.0, "history": False}),
    "sc.fly_launch": (lambda **k: sc.fly_launch(**k), {"missile": _shahab, "launch": _tabriz, "azimuth_deg": 90.0,
                                                      "kick_deg": 20.0, "cutoff_s": 60.0, "history": False}),
    "sc.fly_burnout": (lambda **k: sc.fly_burnout(**k), {"latitude_deg": 35.0, "longitude_deg": 50.0,
                                                        "altitude_m": 100e3, "speed_m_s": 3000.0,
                                                        "flight_path_angle_deg": 40.0, "azimuth_deg": 300.0,
                                                        "vehicle": _shahab}),
    "catalog.missile": (lambda **k: catalog.missile(**k), {"name": "Yars"}),
    "catalog.site": (lambda **k: catalog.site(**k), {"name": "Teykovo"}),
    "catalog.interceptor": (lambda **k: catalog.interceptor(**k), {"name": "SM-3 Block IIA"}),
    "catalog.sensor": (lambda **k: catalog.sensor(**k), {"name": "AN/TPY-2 Kurecik"}),
    "Cueing.parse": (lambda **k: Cueing.parse(**k), {"text": "delay:120"}),
}


def _cases(seed: int, n: int):
    rng = random.Random(seed)
    names = sorted(ENTRY_POINTS)
    for _ in range(n):
        name = rng.choice(names)
        argument = rng.choice(sorted(ENTRY_POINTS[name][1]))
        yield name, argument, rng.randrange(len(BAD))


def _finite(value) -> bool:
    """True when every number reachable in a result (arrays, dicts, dataclass fields) is finite."""
    if isinstance(value, (bool, str, bytes)) or value is None:
        return True
    if isinstance(value, (int, float, np.floating)):
        return math.isfinite(value)
    if isinstance(value, np.ndarray):
        return value.dtype.kind not in "fc" or bool(np.isfinite(value).all())
    if isinstance(value, dict):
        return all(_finite(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return all(_finite(v) for v in value)
    return True


CASES = list(_cases(seed=20261129, n=80))


@pytest.mark.parametrize("name, argument, which", CASES,
                         ids=[f"{n}-{a}-{BAD[w]!r:.20}" for n, a, w in CASES])
def test_fuzzed_api_calls_raise_input_error_or_return_finite_numbers(name, argument, which):
    call, baseline = ENTRY_POINTS[name]
    kwargs = {k: (v() if callable(v) else v) for k, v in baseline.items()}
    kwargs[argument] = BAD[which]
    try:
        result = call(**kwargs)
    except InputError as error:
        message = str(error)
        assert "\n" not in message and message
        shown = repr(BAD[which])[:40]
        assert argument in message or shown in message or argument.split("_")[0] in message, (argument, message)
        return
    value = BAD[which]
    numbers = value if isinstance(value, list) else [value]
    # only a finite real number (or numbers, broadcast one per flight) may pass: never a bool, text or None
    assert all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in numbers), \
        f"{name}({argument}={value!r}) was accepted"
    if hasattr(result, "summary"):  # a Flights: every summary number the outputs are made of
        assert np.isfinite(result.summary).all() and _finite(result.impact()) and _finite(result.burnout())
    else:
        assert _finite(getattr(result, "__dict__", result))
