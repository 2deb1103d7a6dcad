"""The endgame: whether a kill vehicle can use an intercept point its interceptor reaches in time.

Reaching a point on the threat's path before the threat is necessary, not sufficient. A hit-to-kill
kill vehicle must also meet the warhead roughly head-on ("interceptors have to be directed at a
target warhead coming toward them, not one they are trying to overtake", CIGI07; MDA on a
Poland-based kill vehicle and a Russian ICBM: "not fast enough to catch [it] in a tail-chase
scenario", HER08), at a closing speed its seeker and lethality allow, with enough divert to remove
the error of the point it was aimed at, guided by a sensor that tracks the threat there, and within
its operational range. The ``kinematic`` model checks, at each intercept point:

1. **operational range**: ground range from the site <= the interceptor's ``max_range_km`` (where
   the catalog has one);
2. **track at intercept**: for engage-on-remote (``engage-remote``) and own-radar (``own``)
   cueing, some guiding radar sees the threat there; launch-on-remote (``remote``) and a bare
   delay need only the cue;
3. **crossing angle** (0 deg head-on, 180 deg a pure tail chase) <= the kill vehicle's limit;
4. **closing speed** within the kill vehicle's band;
5. **divert**: the Earth-relative prediction error of the point, the track's velocity error times
   the interceptor's time of flight, removed in the seeker's time-to-go: needed
   ``error_m_s * fly-out_s / time_to_go_s`` <= the kill vehicle's divert.

The kill vehicle's velocity at the point is that of the reach envelope's earliest fly-out there
(``reach.ReachEnvelope.velocity_m_s``): a stated approximation, since an interceptor arriving later
than its earliest could fly another trajectory. ``none`` keeps the reach-only verdict (a tail chase
counts as an intercept), so a published argument can be re-run both ways.

Every limit is a catalog value with its source and a range for the uncertainty sweep
(``catalog/data/interceptors.toml``, ``[interceptor.kill_vehicle]``); the track's velocity error is
a scenario assumption.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass

import numpy as np

from . import limits
from .engine import results as R
from .errors import InputError
from .vehicles import KillVehicle  # the record, beside the interceptor it belongs to

ENDGAME_MODELS = ("kinematic", "none")
DEFAULT_ENDGAME = "kinematic"
#: Velocity error of the track the kill vehicle is aimed by, where a scenario states none: a modelling
#: assumption (no published track accuracy was found; sweep 1-50 m/s).
DEFAULT_TRACK_VELOCITY_ERROR_M_S = 10.0


class Reason(enum.IntEnum):
    """The endgame limit an intercept point fails (kernel code ``R_REASON``)."""

    NONE = R.REASON_NONE
    BEYOND_OPERATIONAL_RANGE = R.REASON_RANGE
    NO_TRACK = R.REASON_NO_TRACK
    CROSSING_ANGLE = R.REASON_CROSSING
    CLOSING_TOO_SLOW = R.REASON_CLOSING_SLOW
    CLOSING_TOO_FAST = R.REASON_CLOSING_FAST
    DIVERT = R.REASON_DIVERT


@dataclass(frozen=True)
class Endgame:
    """The endgame model of an engagement: ``kinematic`` with a kill vehicle's limits, or ``none``."""

    model: str = DEFAULT_ENDGAME
    kill_vehicle: KillVehicle | None = None
    track_velocity_error_m_s: float = 0.0

    def __post_init__(self):
        limits.choose("endgame", self.model, ENDGAME_MODELS)
        if self.model == "kinematic" and self.kill_vehicle is None:
            raise InputError("endgame 'kinematic' needs the kill vehicle's limits (catalog.kill_vehicle(INTERCEPTOR))")
        limits.check("track_velocity_error_m_s", self.track_velocity_error_m_s)

    @property
    def on(self) -> bool:
        return self.model == "kinematic"

    def row(self) -> np.ndarray:
        """The kernel's endgame row (layout ``results.G_*``)."""
        row = np.zeros(R.N_ENDGAME)
        if self.on:
            kv = self.kill_vehicle
            row[R.G_ON] = 1.0
            row[R.G_MIN_CLOSING] = kv.min_closing_speed_m_s
            row[R.G_MAX_CLOSING] = kv.max_closing_speed_m_s
            row[R.G_COS_MAX_CROSSING] = math.cos(math.radians(kv.max_crossing_angle_deg))
            row[R.G_DIVERT] = kv.divert_m_s
            row[R.G_TIME_TO_GO] = kv.time_to_go_s
            row[R.G_MAX_RANGE] = kv.max_range_m
            row[R.G_VELOCITY_ERROR] = self.track_velocity_error_m_s
        return row

    def stated(self) -> dict:
        """The model and its limits, as every output states them."""
        if not self.on:
            return {"endgame": "none (reach only: a tail chase counts as an intercept)"}
        kv = self.kill_vehicle
        if not kv.hit_to_kill:
            return {"endgame": "kinematic (no kill-vehicle limits in the catalog: operational range only)",
                    "max_range_km": kv.max_range_m / 1e3}
        return {"endgame": "kinematic", "min_closing_speed_km_s": kv.min_closing_speed_m_s / 1e3,
                "max_closing_speed_km_s": kv.max_closing_speed_m_s / 1e3,
                "max_crossing_angle_deg": kv.max_crossing_angle_deg, "divert_km_s": kv.divert_m_s / 1e3,
                "time_to_go_s": kv.time_to_go_s,
                "max_range_km": kv.max_range_m / 1e3 if math.isfinite(kv.max_range_m) else None,
                "track_velocity_error_m_s": self.track_velocity_error_m_s}


NO_ENDGAME = Endgame("none")


def for_interceptor(name: str, model: str = DEFAULT_ENDGAME,
                    track_velocity_error_m_s: float = DEFAULT_TRACK_VELOCITY_ERROR_M_S, cat=None) -> Endgame:
    """The endgame of a catalog interceptor under a model: its kill vehicle's limits for
    ``kinematic`` (only its operational range where the catalog gives it no hit-to-kill kill vehicle,
    reach only where it gives neither); reach only for ``none``. ``stated()`` says which. ``cat``: the
    catalog to read (the loaded one by default; a sweep's case passes its own copy)."""
    from . import catalog

    limits.choose("endgame", model, ENDGAME_MODELS)
    kill_vehicle = (cat or catalog.load()).kill_vehicle(name) if model == "kinematic" else None
    if kill_vehicle is None:
        return NO_ENDGAME
    return Endgame("kinematic", kill_vehicle, track_velocity_error_m_s)


def explain(reason: int, value: float, endgame: Endgame) -> str:
    """Why an intercept point fails the endgame, with the number that decided it and the limit."""
    kv = endgame.kill_vehicle
    reason = Reason(int(reason))
    if reason == Reason.BEYOND_OPERATIONAL_RANGE:
        return f"beyond operational range: the point is {value / 1e3:,.0f} km from the site, limit {kv.max_range_m / 1e3:,.0f} km"
    if reason == Reason.NO_TRACK:
        return "no guiding radar tracks the threat at the intercept point (engage-on-remote or own-radar cueing)"
    if reason == Reason.CROSSING_ANGLE:
        return (f"tail chase: crossing angle {value:.0f} deg, beyond the {kv.max_crossing_angle_deg:.0f} deg "
                "the kill vehicle allows (0 = head-on)")
    if reason == Reason.CLOSING_TOO_SLOW:
        return (f"closing speed {value / 1e3:.1f} km/s below the {kv.min_closing_speed_m_s / 1e3:.1f} km/s "
                "the kill vehicle needs")
    if reason == Reason.CLOSING_TOO_FAST:
        return (f"closing speed {value / 1e3:.1f} km/s above the {kv.max_closing_speed_m_s / 1e3:.1f} km/s "
                "the kill vehicle can handle")
    if reason == Reason.DIVERT:
        return f"divert needed {value:,.0f} m/s, more than the kill vehicle's {kv.divert_m_s:,.0f} m/s"
    return ""


def check_point(closing_m_s: float, cos_crossing: float, fly_out_s: float, ground_range_m: float, tracked: bool,
                endgame: Endgame) -> tuple[int, float]:
    """(reason code, deciding value) of one intercept point, in the order of the module docstring;
    (0, 0.0) where the point passes. The reference implementation (``engagement.engage``); the
    compiled kernel applies the same rules."""
    if not endgame.on:
        return Reason.NONE, 0.0
    kv = endgame.kill_vehicle
    if ground_range_m > kv.max_range_m:
        return Reason.BEYOND_OPERATIONAL_RANGE, ground_range_m
    if not tracked:
        return Reason.NO_TRACK, 0.0
    if cos_crossing < math.cos(math.radians(kv.max_crossing_angle_deg)):
        return Reason.CROSSING_ANGLE, math.degrees(math.acos(max(min(cos_crossing, 1.0), -1.0)))
    if closing_m_s < kv.min_closing_speed_m_s:
        return Reason.CLOSING_TOO_SLOW, closing_m_s
    if closing_m_s > kv.max_closing_speed_m_s:
        return Reason.CLOSING_TOO_FAST, closing_m_s
    divert = endgame.track_velocity_error_m_s * fly_out_s / kv.time_to_go_s
    if divert > kv.divert_m_s:
        return Reason.DIVERT, divert
    return Reason.NONE, 0.0
