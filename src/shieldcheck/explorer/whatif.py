"""What-if: one phase (or one engagement) re-evaluated with an interceptor's burnout speed, the launch
delay, the minimum intercept altitude or a missile's scale changed, through the same engine as ``assess``.

A missile's scale (every stage's Isp times the factor, as ``sweep`` varies it) re-aims and re-flies that
missile's threat flights in the compiled aiming kernel (``engine/aim.py``), the others as assessed.

A burnout speed is applied as ``sweep`` applies it: snapped to its grid (``sweep.RESOLUTION``), the
stage model rescaled by one stated parameter (``reach.with_burnout_speed``) and its reach envelopes
built, once per speed (cached on disk, so a speed asked before answers at once). A delay or an
altitude only re-evaluates. Requests whose estimated cost exceeds :data:`MAX_COST_S` are refused
before any work.
"""

from __future__ import annotations

import dataclasses
import time

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .. import assess, limits, reach
from ..aggregate import finite
from ..errors import InputError
from ..sweep import RESOLUTION

SPEED_STEP_KM_S = RESOLUTION[("interceptor", "burnout_speed_km_s")]
SCALE_STEP = RESOLUTION[("missile", "scale")]
REAIM_S = 20.0  # re-aiming and re-flying the threat flights for a missile's scale (docs/performance.md)
#: Measured on 2 busy cores (docs/performance.md, "The explorer"): result rows a second of a phase's what-if
#: (1,936 rows of EPAA Phase 4 in 1.2-2.0 s, the rows' words included), and the time to rescale one
#: interceptor's stage model and build the reach envelopes a phase needs, for a speed not asked before.
EVALUATIONS_PER_S = 1_000.0
REBUILD_S = 30.0
MAX_COST_S = 240.0  # a what-if expected to take longer is refused (ask for one site or one flight)
#: What a row of the explorer's tables carries (a subset of the results table's columns).
BASES = ("architecture", "bounding")  # the cue bases a what-if evaluates
#: The numbers a what-if changes, each with its bound in ``limits.BOUNDS`` (the same as the command line's,
#: the scenario's and the sweep's): request field -> bound name
BOUNDED_FIELDS = {"burnout_speed_km_s": "burnout_speed_km_s", "launch_delay_s": "launch_delay_s",
                  "min_intercept_altitude_km": "min_intercept_altitude_km", "missile_scale": "scale"}
ROW_FIELDS = ("flight_id", "missile", "launch", "aim", "trajectory", "purpose", "site", "interceptor", "cue_basis",
              "verdict", "margin_s", "message", "window_earliest_s", "window_latest_s", "intercept_lat_deg",
              "intercept_lon_deg", "intercept_altitude_km", "intercept_time_s", "first_detection_s")


class WhatIf(BaseModel):
    """A what-if request: which result, phase, cue basis (and optionally site and flight), and the values
    to change (None: the assessment's own)."""

    model_config = ConfigDict(extra="forbid")

    result: str = Field(min_length=1, max_length=200)
    phase: str = Field(min_length=1, max_length=200)
    basis: str = "bounding"
    site: str | None = Field(None, max_length=200)
    flight_id: int | None = Field(None, ge=0, lt=2**31)
    burnout_speed_km_s: float | None = None
    launch_delay_s: float | None = None
    min_intercept_altitude_km: float | None = None
    missile: str | None = Field(None, min_length=1, max_length=200)
    missile_scale: float | None = None

    @field_validator("basis")
    @classmethod
    def _basis(cls, value):
        return limits.choose("basis", value, BASES)

    @field_validator(*BOUNDED_FIELDS)
    @classmethod
    def _within(cls, value, info):
        """Each changed number within its bound (NaN and the infinities outside every one)."""
        if value is not None:
            bound = limits.bound(BOUNDED_FIELDS[info.field_name])
            if not bound.inside(value):
                raise ValueError(bound.message(value, info.field_name))
        return value


def limits_json() -> dict:
    """The bounds of the what-if's numbers, by request field, as the explorer's page reads them."""
    return {field: limits.bound(name).as_json() for field, name in BOUNDED_FIELDS.items()}


def row(r: dict) -> dict:
    """The explorer's view of a results row: :data:`ROW_FIELDS`, numbers finite or None."""
    return {k: (finite(r.get(k)) if isinstance(r.get(k), float) else r.get(k)) for k in ROW_FIELDS}


def _plan(loaded, request: WhatIf):
    """The scenario, phase and site entries of a request, checked; InputError naming what is wrong."""
    scenario = loaded.scenario
    phase = scenario.phase(request.phase)
    entries = [e for e in phase.sites if request.site is None or e.site == request.site]
    if not entries:
        raise limits.not_allowed(f"site of {phase.name}", request.site, sorted({e.site for e in phase.sites}))
    if request.min_intercept_altitude_km is not None:
        from .. import catalog

        for name in sorted({e.interceptor for e in entries}):
            ceiling_km = catalog.load().interceptor(name).max_intercept_altitude_m / 1e3
            if request.min_intercept_altitude_km >= ceiling_km:
                raise InputError(f"min_intercept_altitude_km = {request.min_intercept_altitude_km:g} is not below the "
                                 f"maximum intercept altitude of {name} ({ceiling_km:,.0f} km)")
    if (request.missile is None) != (request.missile_scale is None):
        raise InputError("missile and missile_scale go together: give both (a catalog missile of the scenario's "
                         "threats and its scale) or neither")
    if request.missile is not None:
        from .. import catalog

        name = catalog.load().find("missile", request.missile)
        flown = sorted({r["missile"] for r in loaded.threats().rows})
        if name not in flown:  # the missiles of this assessment's threat flights
            raise limits.not_allowed("missile of this assessment's threat flights", request.missile, flown)
    if request.basis == "bounding" and not scenario.assumptions.bounding_cueing:
        raise InputError(f"scenario {scenario.name!r} states no bounding cue; use basis 'architecture'")
    return scenario, phase, entries


def speed_applied(value_km_s: float | None) -> float | None:
    """The burnout speed a request is evaluated at: snapped to the grid of ``SPEED_STEP_KM_S``."""
    return None if value_km_s is None else round(round(value_km_s / SPEED_STEP_KM_S) * SPEED_STEP_KM_S, 9)


def scale_applied(value: float | None) -> float | None:
    """The missile scale a request is evaluated at: snapped to the grid of ``SCALE_STEP``."""
    return None if value is None else round(round(value / SCALE_STEP) * SCALE_STEP, 9)


def estimate_s(loaded, request: WhatIf) -> float:
    """Seconds the request is expected to take on 2 cores (flights x sites x bases, a rebuild for a speed
    not evaluated before in this process, and re-aiming for a missile's scale)."""
    scenario, phase, entries = _plan(loaded, request)
    flights = 1 if request.flight_id is not None else len(loaded.scene.tracks)
    rebuild = 0.0
    speed = speed_applied(request.burnout_speed_km_s)
    if speed is not None and (speed, tuple(sorted({e.interceptor for e in entries}))) not in _REBUILT:
        rebuild = REBUILD_S * len({e.interceptor for e in entries})
    return flights * len(entries) / EVALUATIONS_PER_S + rebuild + (REAIM_S if request.missile_scale is not None else 0.0)


_REBUILT: set = set()


def evaluate(loaded, request: WhatIf, progress=None) -> dict:
    """The rows of the request's phase (site, flight) under its changed values, what was applied, and how long
    it took. ``progress(done, total, what)`` is called as sites finish."""
    start = time.perf_counter()
    scenario, phase, entries = _plan(loaded, request)
    threats = loaded.threats()
    scale = scale_applied(request.missile_scale)
    missile = None
    if scale is not None:
        from .. import catalog

        cat = catalog.load()
        missile = cat.find("missile", request.missile)
        threats = assess.fly_threats(scenario, None, cat=cat.with_value("missile", missile, ("scale",), scale))
    if request.flight_id is not None:
        if request.flight_id not in set(int(i) for i in threats.flown_ids):
            raise InputError(f"flight_id = {request.flight_id} is not a flown flight of this assessment")
        threats = threats.only([request.flight_id])
    if request.launch_delay_s is not None:
        a = scenario.assumptions
        scenario = scenario.model_copy(update={"assumptions": a.model_copy(update={
            "launch_delay_s": a.launch_delay_s.model_copy(update={"value": float(request.launch_delay_s)})})})
    speed = speed_applied(request.burnout_speed_km_s)
    chosen = {e.interceptor for e in entries}

    def interceptor_of(entry, interceptor):
        if entry.interceptor not in chosen:
            return interceptor
        if speed is not None:
            interceptor = reach.with_burnout_speed(interceptor, speed * 1e3)
        if request.min_intercept_altitude_km is not None:
            interceptor = dataclasses.replace(interceptor,
                                              min_intercept_altitude_m=request.min_intercept_altitude_km * 1e3)
        return interceptor

    shapes = scenario.sector_shapes() if scenario.sectors else {}
    rows = []
    sites = list(dict.fromkeys(e.site for e in entries))
    for k, site in enumerate(sites):
        if progress:
            progress(k, len(sites), site)
        rows += assess.phase_rows(scenario, phase, threats, shapes, sites={site}, bases={request.basis},
                                   interceptor_of=interceptor_of)
    if progress:
        progress(len(sites), len(sites), "done")
    if speed is not None:
        _REBUILT.add((speed, tuple(sorted(chosen))))
    applied = {"burnout_speed_km_s": speed, "interceptors": sorted(chosen) if speed is not None else [],
               "launch_delay_s": scenario.assumptions.launch_delay_s.value,
               "min_intercept_altitude_km": request.min_intercept_altitude_km, "missile": missile,
               "missile_scale": scale}
    return {"rows": [row(r) for r in rows], "applied": applied, "elapsed_s": round(time.perf_counter() - start, 3)}
