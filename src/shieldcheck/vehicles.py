"""Vehicles: multi-stage boosters, their payloads and re-entry vehicles, and drag tables.

Immutable records in SI units. The catalog builds them from cited data files; the kernels see
them only as the rows made by :func:`shieldcheck.engine.pack.vehicle_rows`. Each record checks
that its numbers describe a vehicle that can exist (positive masses, propellant lighter than
the stage, thrust that lifts the stack) and says which field is wrong otherwise.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field

from .constants import STANDARD_GRAVITY_M_S2
from .engine.pack import GLIDE_LAWS
from . import limits
from .errors import InputError


def _require(ok: bool, owner: str, name: str, value, allowed: str) -> None:
    if not ok:
        raise InputError(f"{owner}: {name} = {value!r} is not allowed; {allowed}")


def _finite_in(owner: str, name: str, value: float) -> None:
    """``value`` within the bound ``name`` of :mod:`shieldcheck.limits`, named as ``owner``'s field."""
    limits.check(name, value, f"{owner}: {name}")


@dataclass(frozen=True)
class DragTable:
    """Drag coefficient versus Mach number, interpolated linearly and held at the ends."""

    name: str
    mach: tuple[float, ...]
    cd: tuple[float, ...]

    def __post_init__(self):
        owner = f"drag table {self.name!r}"
        _require(2 <= len(self.mach) <= 16 and len(self.mach) == len(self.cd), owner, "mach/cd", len(self.mach),
                 "2 to 16 points, mach and cd of equal length")
        _require(all(b > a for a, b in zip(self.mach, self.mach[1:])), owner, "mach", self.mach, "strictly increasing")
        for value in self.mach:
            _finite_in(owner, "mach", value)
        for value in self.cd:
            _finite_in(owner, "cd", value)

    def cd_at(self, mach: float) -> float:
        """Drag coefficient at a Mach number (the kernels' rule, for reports and tests)."""
        import numpy as np

        return float(np.interp(mach, self.mach, self.cd))


# Upper bound on a hypersonic glider's lift-to-drag ratio: limits.BOUNDS["lift_to_drag_ratio"] (why there).
MAX_LIFT_TO_DRAG_RATIO = limits.bound("lift_to_drag_ratio").high


@dataclass(frozen=True)
class GlideModel:
    """How the vehicle flown after thrust ends makes lift: a named glide law and its parameters.

    ``constant-lift-to-drag``: lift = ``lift_to_drag_ratio`` x drag whenever the vehicle is in the
    air, perpendicular to the Earth-relative velocity and upwards in the vertical plane (no bank,
    hence no cross-range). Constant L/D is a constant angle of attack: the flight oscillates
    about the equilibrium glide (lift = m (g - v^2 / r)), as Sanger's skip-glide does.

    ``equilibrium-glide``: the boost at full burn on ``boost_kick_deg`` (a depressed boost to the
    glide), then the largest lift (``lift_to_drag_ratio`` x drag), banked up to ``bank_limit_deg`` so
    that its vertical part pulls the vehicle up into an equilibrium glide and holds it; the glide is
    sized to the range to go (energy management by the closed-form glide range, planned to end at
    ``terminal_speed_m_s``), and a terminal dive begins where a predicted push-over (the whole lift
    nose-down until the flight-path angle is ``dive_angle_deg`` below the horizon, then straight) comes
    down on the aim: proportional navigation onto it, steep and fast; a glide short of that point dives
    at the terminal speed with the dive angle held. ``arrival_speed_m_s`` (optional) is the stated speed
    at impact that the terminal speed is sized to (a catalog statement the tests check the model
    against, not a kernel input). The guidance loop: ``engine/physics.py`` (``glide_lift``,
    ``dive_begins``, ``push_over_m``), docs/model.md.
    """

    law: str
    lift_to_drag_ratio: float
    terminal_speed_m_s: float | None = None
    dive_angle_deg: float | None = None
    bank_limit_deg: float | None = None
    boost_kick_deg: float | None = None
    arrival_speed_m_s: float | None = None

    @property
    def guided(self) -> bool:
        """Whether the glide is guided onto an aim (its range set by the glide, not by the boost)."""
        return self.law == "equilibrium-glide"

    @property
    def summary(self) -> str:
        """The glide model as a stated assumption of a flight."""
        if self.guided:
            return (f"glide: equilibrium-glide law, largest L/D {self.lift_to_drag_ratio:g}: boost at full burn on a "
                    f"{self.boost_kick_deg:g} deg kick; after thrust ends the lift, banked up to {self.bank_limit_deg:g} deg, "
                    "pulls up into an equilibrium glide sized to the range to go, down to "
                    f"{self.terminal_speed_m_s:,.0f} m/s where a push-over to {self.dive_angle_deg:g} deg below the horizon "
                    "comes down on the aim, then a steep terminal dive (proportional navigation); "
                    "the bank's horizontal part (reversals keep the vehicle on its great circle) is not flown, no "
                    "cross-range manoeuvre; aerodynamic heating limits not modelled")
        return (f"glide: {self.law} law, L/D {self.lift_to_drag_ratio:g}: after thrust ends, lift = L/D x drag, "
                "perpendicular to the Earth-relative velocity in the vertical plane (no bank, no cross-range "
                "manoeuvre); aerodynamic heating limits not modelled")

    def check(self, owner: str) -> None:
        lifting = [name for name, code in GLIDE_LAWS.items() if code != 0.0]
        if self.law not in lifting:
            raise limits.not_allowed(f"{owner}: glide law", self.law, lifting)
        _finite_in(owner, "lift_to_drag_ratio", self.lift_to_drag_ratio)
        for name in GUIDED_GLIDE_FIELDS:
            value = getattr(self, name)
            if not self.guided:
                _require(value is None, owner, name, value, f"allowed only with the equilibrium-glide law, not {self.law}")
                continue
            _require(value is not None, owner, name, value,
                     f"required by the equilibrium-glide law ({limits.bound(name).words})")
            _finite_in(owner, name, value)
        if self.arrival_speed_m_s is not None:
            _require(self.guided, owner, "arrival_speed_m_s", self.arrival_speed_m_s,
                     f"allowed only with the equilibrium-glide law, not {self.law}")
            _finite_in(owner, "arrival_speed_m_s", self.arrival_speed_m_s)


# the equilibrium-glide law's parameters; their physical bounds (and why) in limits.BOUNDS
GUIDED_GLIDE_FIELDS = ("terminal_speed_m_s", "dive_angle_deg", "bank_limit_deg", "boost_kick_deg")


@dataclass(frozen=True)
class Stage:
    """One rocket stage: constant mass flow over its burn, dropped whole at burnout."""

    gross_mass_kg: float
    propellant_mass_kg: float
    burn_time_s: float
    isp_vacuum_s: float
    isp_sea_level_s: float
    diameter_m: float
    coast_after_s: float = 0.0

    def check(self, owner: str) -> None:
        _finite_in(owner, "gross_mass_kg", self.gross_mass_kg)
        _finite_in(owner, "propellant_mass_kg", self.propellant_mass_kg)
        _require(self.propellant_mass_kg < self.gross_mass_kg, owner, "propellant_mass_kg", self.propellant_mass_kg,
                 f"must be less than gross_mass_kg = {self.gross_mass_kg:g}")
        _finite_in(owner, "burn_time_s", self.burn_time_s)
        _finite_in(owner, "isp_vacuum_s", self.isp_vacuum_s)
        _finite_in(owner, "isp_sea_level_s", self.isp_sea_level_s)
        _require(self.isp_sea_level_s <= self.isp_vacuum_s, owner, "isp_sea_level_s", self.isp_sea_level_s,
                 f"must be at most isp_vacuum_s = {self.isp_vacuum_s:g}")
        _finite_in(owner, "diameter_m", self.diameter_m)
        _finite_in(owner, "coast_after_s", self.coast_after_s)

    @property
    def mass_flow_kg_s(self) -> float:
        return self.propellant_mass_kg / self.burn_time_s

    @property
    def dry_mass_kg(self) -> float:
        return self.gross_mass_kg - self.propellant_mass_kg

    @property
    def reference_area_m2(self) -> float:
        return math.pi * self.diameter_m**2 / 4.0


@dataclass(frozen=True)
class FractionalOrbit:
    """What a fractional-orbit (FOBS) missile adds to its booster: the insertion orbit it is steered
    into and the retro (deorbit) burn of its orbital stage.

    ``perigee_altitude_m`` is the steering target of the insertion (``shieldcheck.orbital``);
    the deorbit burn, ``deorbit_delta_v_m_s`` over about ``deorbit_burn_time_s``, is flown as an
    impulse against the inertial velocity.
    """

    perigee_altitude_m: float
    deorbit_delta_v_m_s: float
    deorbit_burn_time_s: float

    @property
    def summary(self) -> str:
        """The fractional-orbit model as a stated assumption of a flight."""
        return (f"fractional orbit: insertion perigee {self.perigee_altitude_m / 1e3:g} km, deorbit impulse "
                f"{self.deorbit_delta_v_m_s:g} m/s against the inertial velocity (a burn of about "
                f"{self.deorbit_burn_time_s:g} s), then ballistic re-entry")

    def check(self, owner: str) -> None:
        _finite_in(owner, "perigee_altitude_m", self.perigee_altitude_m)
        _finite_in(owner, "deorbit_delta_v_m_s", self.deorbit_delta_v_m_s)
        _finite_in(owner, "deorbit_burn_time_s", self.deorbit_burn_time_s)


@dataclass(frozen=True)
class Missile:
    """A ballistic missile: stages (bottom first), throw weight, re-entry vehicle, steering.

    ``payload_mass_kg`` rides through the whole boost (re-entry vehicles plus bus); after thrust
    ends only ``reentry_mass_kg`` flies on, with its own drag. Steering: vertical rise for
    ``vertical_rise_s``, then a pitch-over of ``pitch_over_s`` towards the launch azimuth, then
    a gravity turn. With a ``glide`` model the vehicle flown after thrust ends makes lift.
    """

    name: str
    stages: tuple[Stage, ...]
    payload_mass_kg: float
    reentry_mass_kg: float
    reentry_diameter_m: float
    reentry_drag: DragTable
    body_drag: DragTable
    vertical_rise_s: float
    pitch_over_s: float
    sources: tuple[str, ...] = field(default=(), compare=False)
    orbital: FractionalOrbit | None = None  # set for fractional-orbit (FOBS) missiles only
    glide: GlideModel | None = None  # set for glide vehicles only

    def __post_init__(self):
        owner = f"missile {self.name!r}"
        for model in (self.orbital, self.glide):
            if model is not None:
                model.check(owner)
        _require(len(self.stages) <= 4, owner, "stages", len(self.stages), "0 to 4 stages")
        for number, stage in enumerate(self.stages, start=1):
            stage.check(f"{owner} stage {number}")
        for name in ("payload_mass_kg", "reentry_mass_kg", "reentry_diameter_m", "vertical_rise_s", "pitch_over_s"):
            _finite_in(owner, name, getattr(self, name))
        if self.stages:
            _require(self.reentry_mass_kg <= self.payload_mass_kg + self.stages[-1].dry_mass_kg, owner,
                     "reentry_mass_kg", self.reentry_mass_kg,
                     "must not exceed payload_mass_kg plus the last stage's dry mass")
            weight_n = self.launch_mass_kg * STANDARD_GRAVITY_M_S2
            thrust_n = self.stages[0].mass_flow_kg_s * STANDARD_GRAVITY_M_S2 * self.stages[0].isp_sea_level_s
            _require(thrust_n > 1.05 * weight_n, owner, "stage 1 thrust/weight", round(thrust_n / weight_n, 3),
                     "the first stage must lift the stack (thrust/weight at sea level > 1.05)")

    @property
    def flight_model(self) -> str:
        """What flies after thrust ends, stated: a ballistic re-entry vehicle, a glide vehicle or a fractional orbit."""
        model = self.orbital or self.glide
        return model.summary if model is not None else "ballistic: the re-entry vehicle flies on drag and gravity alone"

    @property
    def launch_mass_kg(self) -> float:
        return sum(s.gross_mass_kg for s in self.stages) + self.payload_mass_kg

    @property
    def burn_time_s(self) -> float:
        """Time from launch to the last stage's burnout, coasts between stages included."""
        return sum(s.burn_time_s for s in self.stages) + sum(s.coast_after_s for s in self.stages[:-1])

    @property
    def ideal_delta_v_m_s(self) -> float:
        """Rocket-equation velocity gain in vacuum, without gravity or drag losses."""
        total = 0.0
        mass = self.launch_mass_kg
        for stage in self.stages:
            total += STANDARD_GRAVITY_M_S2 * stage.isp_vacuum_s * math.log(mass / (mass - stage.propellant_mass_kg))
            mass -= stage.gross_mass_kg
        return total

    def stage_times_s(self) -> list[tuple[float, float]]:
        """(ignition, burnout) of each stage, seconds after launch."""
        times, t = [], 0.0
        for stage in self.stages:
            times.append((t, t + stage.burn_time_s))
            t += stage.burn_time_s + stage.coast_after_s
        return times

    def reentry_only(self) -> Missile:
        """The re-entry vehicle alone, for flights that start from a burnout state."""
        return Missile(f"{self.name} re-entry vehicle", (), 0.0, self.reentry_mass_kg, self.reentry_diameter_m,
                       self.reentry_drag, self.body_drag, 0.0, 1.0, self.sources, glide=self.glide)

    @property
    def reentry_ballistic_coefficient_kg_m2(self) -> float:
        """m / (Cd A) of the re-entry vehicle at Mach 10 (hypersonic)."""
        area = math.pi * self.reentry_diameter_m**2 / 4.0
        return self.reentry_mass_kg / (self.reentry_drag.cd_at(10.0) * area)


@dataclass(frozen=True)
class Interceptor:
    """An interceptor type: the vehicle that flies out and its intercept altitude band."""

    vehicle: Missile
    min_intercept_altitude_m: float
    max_intercept_altitude_m: float
    burnout_speed_m_s: float = 0.0  # the published or estimated value the stage model stands for

    def __post_init__(self):
        if not (0.0 <= self.min_intercept_altitude_m < self.max_intercept_altitude_m):
            raise InputError(f"interceptor {self.vehicle.name!r}: intercept altitudes "
                             f"{self.min_intercept_altitude_m:g} to {self.max_intercept_altitude_m:g} m are not a band")

    @property
    def name(self) -> str:
        return self.vehicle.name


def with_isp_scale(vehicle: Missile, k: float) -> Missile:
    """Every stage's vacuum and sea-level Isp times k, masses and burn times fixed (so the mass flows too).

    The thrust and the ideal delta-v scale by k: the one stated scale factor by which the uncertainty
    sweep varies a missile's derived stage model as a whole (catalog ``scale``; its band is calibrated
    against the published ranges by tools/calibrate_missile_scale.py). Raises
    :class:`~shieldcheck.errors.InputError` for a factor that is not a positive number, or one that
    takes a stage's Isp, or the lift-off thrust, outside what a stage model allows.
    """
    if isinstance(k, bool) or not isinstance(k, (int, float)) or not (math.isfinite(k) and k > 0.0):
        raise InputError(f"missile {vehicle.name!r}: Isp scale factor = {k!r} is not allowed; a positive number is")
    stages = tuple(dataclasses.replace(s, isp_vacuum_s=k * s.isp_vacuum_s, isp_sea_level_s=k * s.isp_sea_level_s)
                   for s in vehicle.stages)
    return dataclasses.replace(vehicle, stages=stages)


@dataclass(frozen=True)
class KillVehicle:
    """Endgame limits of an interceptor's kill vehicle (SI units; catalog values)."""

    interceptor: str
    min_closing_speed_m_s: float
    max_closing_speed_m_s: float
    max_crossing_angle_deg: float
    divert_m_s: float
    time_to_go_s: float
    max_range_m: float = math.inf  # the interceptor's operational range (inf: none in the catalog)
    hit_to_kill: bool = True  # False: no kill-vehicle limits in the catalog, only the operational range

    @classmethod
    def range_only(cls, interceptor: str, max_range_m: float) -> KillVehicle:
        """An interceptor the catalog gives no hit-to-kill kill vehicle: only its operational range limits it."""
        return cls(interceptor, 0.0, 30_000.0, 180.0, 10_000.0, 600.0, max_range_m, hit_to_kill=False)

    def __post_init__(self):
        checks = (("min_closing_speed_m_s", 0.0, 30_000.0), ("max_closing_speed_m_s", 0.0, 30_000.0),
                  ("max_crossing_angle_deg", 0.0, 180.0), ("divert_m_s", 0.0, 10_000.0),
                  ("time_to_go_s", 0.1, 600.0), ("max_range_m", 1.0, math.inf))
        for name, low, high in checks:
            value = getattr(self, name)
            if not (isinstance(value, (int, float)) and not isinstance(value, bool) and not math.isnan(value)
                    and low <= value <= high and (math.isfinite(value) or name == "max_range_m")):
                raise InputError(f"kill vehicle of {self.interceptor!r}: {name} = {value!r} is outside {low:g} to {high:g}")
        if self.min_closing_speed_m_s > self.max_closing_speed_m_s:
            raise InputError(f"kill vehicle of {self.interceptor!r}: minimum closing speed "
                             f"{self.min_closing_speed_m_s:g} m/s is above the maximum {self.max_closing_speed_m_s:g} m/s")
