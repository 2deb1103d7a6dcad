"""A seeded fuzz of the Python API's argument space: each public entry point is called with one
argument replaced by a bad value of some type; it must raise the package's InputError in one line
naming that argument (or its value), or succeed with finite numbers only, never raise anything else.

The call forms each take a valid baseline (a short Shahab-3 flight), so the cases that slip through
as valid still run quickly.
"""

import json
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


# ---- the explorer's what-if: every request field fuzzed, over the server ----

# Bad values as JSON text (NaN, the infinities and 1e400 as Python's json module reads them), one field at a time.
WHATIF_BAD = ["null", "0", "-1", "1e300", "NaN", "Infinity", "-Infinity", "1e400", "-1e400", '""', '" "',
              json.dumps("x" * 300), json.dumps("x" * 20_000), "[]", "{}", "[1, 2, 3]", "true", '"nan"', '"-5"', "3.5",
              "-0.0", str(2**70), '"\\u0000"', '{"$gt": 1}', '"First"', '"bounding"', "12.5", "0.49", "1e-320"]
WHATIF_FIELDS = ("result", "phase", "basis", "site", "flight_id", "burnout_speed_km_s", "launch_delay_s",
                 "min_intercept_altitude_km", "missile", "missile_scale", "unknown_field")


def _whatif_cases(seed: int, n: int):
    rng = random.Random(seed)
    for _ in range(n):
        yield rng.choice(WHATIF_FIELDS), rng.randrange(len(WHATIF_BAD))


WHATIF_CASES = list(_whatif_cases(seed=20261130, n=60))


@pytest.fixture(scope="module")
def whatif_client(small_result):
    """The explorer's application in process, its what-if evaluation replaced by a stub: the fuzz is of the
    request's surface (schema, bounds, the checks before a job is queued), not of the engine."""
    from fastapi.testclient import TestClient  # needs httpx2, a test requirement: missing, the fixture fails

    from shieldcheck.explorer import whatif
    from shieldcheck.explorer.server import create_app

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(whatif, "evaluate", lambda loaded, request, progress=None: {"rows": [], "applied": {},
                                                                                   "elapsed_s": 0.0})
        with TestClient(create_app([small_result[2]]), raise_server_exceptions=False) as client:
            yield client, small_result[2].name


@pytest.mark.parametrize("field, which", WHATIF_CASES, ids=[f"{f}-{WHATIF_BAD[w]:.20}" for f, w in WHATIF_CASES])
def test_fuzzed_whatif_requests_end_in_200_or_one_line_4xx(whatif_client, field, which):
    client, result = whatif_client
    base = {"result": result, "phase": "First", "basis": "architecture", "flight_id": 0}
    body = json.dumps({k: v for k, v in base.items() if k != field})[:-1] + f', "{field}": {WHATIF_BAD[which]}}}'
    response = client.post("/api/whatif", content=body.encode(), headers={"content-type": "application/json"})
    assert response.status_code == 200 or 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    assert len(response.content) < 2_000, response.content[:300]
    answer = response.json()
    if response.status_code == 200:
        assert answer["job"].startswith("job-") and math.isfinite(answer["estimate_s"])
    else:
        assert isinstance(answer["detail"], str) and answer["detail"] and "\n" not in answer["detail"], answer
