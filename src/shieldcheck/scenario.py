"""Scenario files: a missile-defence architecture, phase by phase, and the threats it is assessed against.

A scenario is a TOML file, validated on load; what you read in it is what is assessed. Built-in
scenarios live in ``shieldcheck/scenarios/``: ``epaa`` (the European Phased Adaptive Approach as
planned), ``epaa-as-built`` (the same at the dates it was fielded, against the threats since 2024),
``third-site-2007`` (the cancelled Bush-era GBI site in Poland) and ``sectoral`` (the EPAA under
Russia's 2012 "sectoral" proposal).

    >>> from shieldcheck import scenario
    >>> epaa = scenario.load("epaa")
    >>> [phase.name for phase in epaa.phases]
    ['Phase 1', 'Phase 2', 'Phase 3', 'Phase 4']

The file (every table and key; unknown keys anywhere are errors, with "did you mean")::

    [scenario]
    name = "epaa"                   # the built-in name is the file's stem
    title = "..."
    description = "..."
    sources = ["USEMB_EPAA"]        # keys of catalog/data/sources.toml
    include_threats = "threats"     # optional: the [[threats]] of threats.toml, looked up next to
                                    # this file, then among the built-in scenarios

    [assumptions]                   # each number a {value, source, estimate, note} like the catalog's, with
                                    # optionally its plausible range for the uncertainty sweep: low, high
                                    # (low <= value <= high) and basis (the sources' spread or a modelling band)
    launch_delay_s = { value = 0.0, source = "MODEL", estimate = true, note = "...", low = 0.0, high = 120.0, basis = "..." }
    rcs_m2 = {...}                  # threat radar cross-section (radar detection)
    shoot_look_shoot_s = {...}      # the look: from one shot's intercept to the next shot's launch
    cueing = "remote"               # default rule of every site: own | remote | engage-remote | delay:SECONDS
    bounding_cueing = { value = "delay:105", source = "KEY", estimate = true, note = "..." }   # optional: every site, whatever its sensors
    bounding_decision_time_s = {...}   # optional: from the bounding cue to a commit (added to launch_delay_s)
    endgame = { value = "kinematic", source = "MODEL", note = "..." }   # optional: kinematic (default) | none
    track_velocity_error_m_s = {...}   # optional: the track's velocity error of the divert check
    flight_phase = { value = "any", source = "MODEL", note = "..." }   # optional: any (default) | boost | ascent | midcourse | terminal
    decoys_per_warhead = { value = 0, source = "MODEL", estimate = true, note = "..." }        # optional: carried into the results
    single_shot_pk = { value = 0.8, source = "ACT17", estimate = true, note = "NOTIONAL ..." }  # optional: 0 to 1 (attrition.py)
    shot_doctrine = { value = "salvo:2", source = "SOF19", estimate = true, note = "..." }     # optional: "shoot-look-shoot" or "salvo:N"
    pk_prior = { alpha = 1.0, beta = 1.0, source = "MODEL", note = "..." }  # optional: the Beta prior of the
                                    # test-record Pk posterior (kill_probability.py; default the uniform Beta(1, 1))
    deterrent = { name = "New START", warheads = 1550, source = "NEWSTART", estimate = false, note = "..." }
                                    # optional: the warheads the numbers game compares with (a catalog deterrent's
                                    # name; default its New START limit, said so)
    assessment_date = 2026-03-01    # optional: the date the deterrent's treaty status is given on (default the
                                    # date of the last phase)

    [[sector]]                      # optional: where a site may intercept (Natural Earth countries)
    name = "NATO"
    countries = ["Poland", "Germany"]
    buffer_km = {...}
    source = "POD"
    note = "how it was drawn"

    [[phase]]                       # in date order; each lists its complete architecture
    name = "Phase 1"
    date = 2011-03-01               # announced date; where only a year was announced, 1 January
    source = "KEY"
    cancelled = 2013-03-15          # optional, with cancelled_source
    cancelled_source = "KEY"
    note = "..."
      [[phase.site]]                # one interceptor type at one catalog site
      site = "Eastern Mediterranean patrol station"
      interceptor = "SM-3 Block IA"
      count = { value = 24, source = "LIT", estimate = false }   # optional, cited
      sensors = ["AN/SPY-1 Eastern Mediterranean"]                # the site's own radars
      cueing = "remote"             # optional: overrides assumptions.cueing
      cue_sensors = ["AN/TPY-2 Kurecik"]                          # remote sensors
      sector = "NATO"               # optional: intercepts only over this sector
      source = "KEY"                # optional (the phase's source otherwise)
      note = "..."

    [[threats]]
    name = "Iran to NATO Europe"
    purpose = "stated"              # or "russian-concern", "russian-theatre", "north-korean" (aggregate.PURPOSES)
    launch_areas = ["Tabriz"]       # catalog sites (or "LAT,LON")
    missiles = ["Shahab-3"]
    aim_points = ["London"]
    trajectories = ["minimum-energy", "depressed:apogee_ratio=0.6"]   # NAME or NAME:KEY=VALUE (aiming.TrajectoryShape)
    flight_time_s = 900.0           # optional (with or without trajectories): every route also flown on the
                                    # lofted or depressed shape that lands at this time after launch (1 to
                                    # 100,000 s; the flights' trajectory "flight_time_s=900"); a route the
                                    # missile cannot fly in that time is refused with its range of times
    launch_samples = 20             # optional: launch points drawn per launch area (1 to 1,000);
                                    # without it every flight starts at the area's reference point
    seed = 1                        # optional, with launch_samples: the draw's seed (default 0)
    area_radius_km = 150.0          # optional, with launch_samples: overrides the catalog radius of
                                    # every launch area given by a radius (not the patrol polygons)
    source = "KEY"                  # optional
    note = "..."
      [[threats.group]]             # instead of launch_areas + missiles: several pairings of
      launch_areas = ["Kozelsk"]    # launch areas and missiles (e.g. the missile of each base)
      missiles = ["Yars"]
      note = "..."

    [[raid]]                        # optional: missiles launched together (the numbers game, attrition.py)
    name = "Iranian raid on NATO Europe"
    threat_set = "Iran to NATO Europe"   # a [[threats]] name
    launch_areas = ["Tabriz"]       # optional: only the threat set's flights from these launch areas
    missiles = { value = 10, source = "MODEL", estimate = true, note = "..." }   # a whole number, 1 to the
                                    # set's flights from those areas (one missile per flight)
    note = "..."

    [[constellation]]               # optional: space-based interceptors (space_study.py answers what they mean)
    name = "CBO-2026-like"          # a constellation of catalog/data/constellations.toml (name or alias)
    satellites = 2000               # optional: the same Walker pattern resized (Walker.resized: planes and
                                    # satellites per plane scaled together; the pattern may hold a few more or less)
    altitude_km = 500.0             # optional: the pattern at another altitude (150 km to geostationary)
    inclination_deg = 65.0          # optional: at another inclination (0 to 180 deg)
    source = "MODEL"                # optional: why these changes (a sources.toml key)
    note = "..."
      [constellation.carrier]       # optional: the carrier's values changed (any of them; bounds of
      delta_v_km_s = 5.0            # constellation.BOUNDS): delta_v_km_s, burn_time_s, decision_delay_s,
      decision_delay_s = 60.0       # launch_delay_s, min_intercept_altitude_km

Semantics:

* A phase lists its whole architecture: nothing is inherited from an earlier phase. The same
  site may appear twice in a phase with different interceptors, never twice with the same one.
* Cueing of a site (``PhaseSite.cue()``): ``own`` launches on the track of the site's own radars
  (``sensors``, which must be catalog radars standing at that site); ``remote`` launches on the
  earliest track of the site's own radars *and* its ``cue_sensors`` (``PhaseSite.cueing_sensors``);
  ``delay:SECONDS`` launches that long after the threat's launch. On load the default rule of
  ``[assumptions]`` is written into every site that has none, so ``PhaseSite.cueing`` is always the
  rule assessed.
* Names are resolved to the catalog's own spelling on load (``"Kürecik TPY-2"`` becomes
  ``"AN/TPY-2 Kurecik"``); interceptor sites must be catalog sites, threat launch areas and aim
  points may also be ``"LAT,LON"`` in degrees.
* ``Threat.flights()`` is the cross product of launch points, aim points, missiles and
  trajectories (per group); flights beyond a missile's reach are kept: the engine reports them.
  A launch point is the launch area's reference point (the catalog site, as named) unless
  ``launch_samples`` is given: then each launch area that has an area in the catalog
  (``[site.launch_area]``: road-mobile garrisons, silo fields, SSBN patrol areas) gives that many
  points drawn uniformly in it, on land or at sea (:mod:`shieldcheck.launch_areas`), the same
  points for every aim point, missile and trajectory; a launch area without an area (the
  Iranian launch areas, ``"LAT,LON"``) gives its reference point once, whatever the count.
  Each :class:`ThreatFlight` keeps the area's name as ``launch`` and carries the drawn point
  (``launch_latitude_deg``, ``launch_longitude_deg``; None for a reference point). The same
  seed draws the same points for an area in every threat set.
* A ``[[constellation]]`` names a catalog constellation and what the scenario changes in it
  (``ConstellationChoice.constellation()`` builds it); its values are checked against
  ``constellation.BOUNDS`` on load, and only a Walker pattern can be resized or moved.
* Sectors are checked by name here (no country in two sectors); ``Scenario.sector_shapes()``
  builds their shapes with :mod:`shieldcheck.geography`, checks the country names and that no two
  sectors overlap by more than ``SECTOR_OVERLAP_LIMIT_KM2``.

Every text of the file (names, labels, titles, notes, sources) and every key is at most as long as
its bound in ``limits.TEXT_BOUNDS`` (a name 200 characters, a note 20,000), checked as the file is
read (``tomlfile.read``).

Errors are :class:`~shieldcheck.errors.InputError` with one message naming the file, the line,
the key path (tables counted from 1: ``phase[2].site[1]`` is the first ``[[phase.site]]`` of the
second ``[[phase]]``), the value, and what is allowed.
"""

from __future__ import annotations

import datetime
import math
import re
import tomllib
import typing
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, StrictBool, ValidationError

from . import catalog as catalog_mod
from . import limits, tomlfile
from .aggregate import PURPOSES
from .catalog import Value
from .engine.results import FLIGHT_PHASES
from .errors import InputError, did_you_mean

BUILTIN = resources.files(__package__) / "scenarios"
SECTOR_OVERLAP_LIMIT_KM2 = 1_000.0  # two sectors may share at most this much area (border slivers)

# The assumptions checked against their bounds in limits.BOUNDS (display units, as on the command line):
# always given, and given only where the file states them.
BOUNDED = ("launch_delay_s", "shoot_look_shoot_s", "rcs_m2")
OPTIONAL_BOUNDED = ("bounding_decision_time_s", "track_velocity_error_m_s", "decoys_per_warhead", "single_shot_pk")
#: (low, high) of :data:`BOUNDED`, as the command line's ``engage`` reads them until it calls ``limits.check``
LIMITS = {key: (limits.bound(key).low, limits.bound(key).high) for key in BOUNDED}
MAX_FILE_BYTES = 10_000_000  # a scenario file is text written by hand: far larger is a mistake

_MISSING = object()  # a key with no value to show (a missing key)


@dataclass(frozen=True)
class _Doc(tomlfile.Located):
    """A scenario (or threats) file and the line of every key path in it."""

    def error(self, loc: tuple, value, message: str) -> InputError:
        shown = "" if value is _MISSING else f" = {_show(value)}"
        return InputError(f"{self.where(loc)}: {_keypath(loc)}{shown}: {message}")

    def not_allowed(self, loc: tuple, value, allowed, **options) -> InputError:
        """The one refusal of a choice (``limits.not_allowed``), at the key's line."""
        return InputError(f"{self.where(loc)}: {limits.not_allowed(_keypath(loc), value, allowed, **options)}")

    def outside(self, loc: tuple, value, bound: str) -> InputError:
        """The one refusal of a number outside its bound ``limits.BOUNDS[bound]``, at the key's line."""
        return InputError(f"{self.where(loc)}: {limits.bound(bound).message(value, _keypath(loc))}")


# ---------------------------------------------------------------------------------------------
# Records (frozen; the TOML key is the alias where the field name differs)
# ---------------------------------------------------------------------------------------------

class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Count(_Strict):
    """A cited number of interceptors at a site."""

    value: int = Field(gt=0)
    source: str
    estimate: StrictBool
    note: str | None = None


class BoundingCue(_Strict):
    """A ``delay:SECONDS`` cue applied to every site regardless of its sensors: the setting published
    analyses use to bound whether an intercept is possible at all."""

    value: str
    source: str
    estimate: StrictBool
    note: str | None = None


class EndgameChoice(_Strict):
    """The kill vehicle's endgame model (``endgame.ENDGAME_MODELS``), with its reason."""

    value: Literal["kinematic", "none"]
    source: str
    estimate: StrictBool = False
    note: str | None = None


class FlightPhaseChoice(_Strict):
    """The phase of the threat's flight the intercepts are restricted to (``engagement.FLIGHT_PHASES``;
    ``any``: none), with its reason."""

    value: Literal[FLIGHT_PHASES]
    source: str
    estimate: StrictBool = False
    note: str | None = None


class ShotDoctrine(_Strict):
    """How many interceptors a site fires at one target (``attrition.Doctrine``): ``shoot-look-shoot``
    or ``salvo:N``, cited like a number."""

    value: str
    source: str
    estimate: StrictBool
    note: str | None = None


class PkPrior(_Strict):
    """The Beta(alpha, beta) prior of the single-shot kill probability's test-record posterior
    (``kill_probability.BetaPrior``), cited like a number."""

    alpha: float
    beta: float
    source: str
    estimate: bool = True
    note: str | None = None


class DeterrentChoice(_Strict):
    """The deterrent the numbers game compares with: a catalog deterrent's name and its warheads, cited."""

    name: str
    warheads: int = Field(ge=1, le=100_000)
    source: str
    estimate: bool
    note: str | None = None


class Assumptions(_Strict):
    """The engagement assumptions shared by every site of the scenario."""

    launch_delay_s: Value
    rcs_m2: Value
    shoot_look_shoot_s: Value
    cueing: str
    bounding_cueing: BoundingCue | None = None
    bounding_decision_time_s: Value | None = None
    decoys_per_warhead: Value | None = None
    endgame: EndgameChoice | None = None
    track_velocity_error_m_s: Value | None = None
    flight_phase: FlightPhaseChoice | None = None

    def flight_phase_name(self) -> str:
        """The flight phase the scenario restricts its intercepts to (``any`` where it states none)."""
        return self.flight_phase.value if self.flight_phase else "any"

    def endgame_model(self) -> str:
        """The endgame model the scenario states (``endgame.DEFAULT_ENDGAME`` where it states none)."""
        from .endgame import DEFAULT_ENDGAME

        return self.endgame.value if self.endgame else DEFAULT_ENDGAME

    def velocity_error_m_s(self) -> float:
        """The track's velocity error of the divert check (``endgame.DEFAULT_TRACK_VELOCITY_ERROR_M_S``
        where the scenario states none)."""
        from .endgame import DEFAULT_TRACK_VELOCITY_ERROR_M_S

        return self.track_velocity_error_m_s.value if self.track_velocity_error_m_s else DEFAULT_TRACK_VELOCITY_ERROR_M_S

    def bounding_launch_delay_s(self) -> float:
        """Seconds from the bounding cue to interceptor launch: the decision time plus the launch delay."""
        return self.launch_delay_s.value + (self.bounding_decision_time_s.value if self.bounding_decision_time_s else 0.0)
    single_shot_pk: Value | None = None
    shot_doctrine: ShotDoctrine | None = None
    pk_prior: PkPrior | None = None
    deterrent: DeterrentChoice | None = None
    assessment_date: datetime.date | None = None


class Raid(_Strict):
    """A raid: how many missiles are launched together, drawn from which threat set's flights (and, if
    given, only from some of its launch areas). The numbers game (``attrition.py``) gives its leakage."""

    name: str = Field(min_length=1)
    threat_set: str
    missiles: Value
    launch_areas: tuple[str, ...] = ()
    note: str | None = None


def _not_true_or_false(value):
    """A number of a constellation's change as TOML gives it; ``true`` and ``false`` are not numbers."""
    if isinstance(value, bool):
        raise ValueError("Input should be a number, not true or false")
    return value


_ChangedNumber = typing.Annotated[float | None, BeforeValidator(_not_true_or_false)]
CONSTELLATION_CARRIER_KEYS = ("delta_v_km_s", "burn_time_s", "decision_delay_s", "launch_delay_s",
                              "min_intercept_altitude_km")


class CarrierChange(_Strict):
    """The carrier values a scenario changes in a catalog constellation (display units, as the catalog's)."""

    delta_v_km_s: _ChangedNumber = None
    burn_time_s: _ChangedNumber = None
    decision_delay_s: _ChangedNumber = None
    launch_delay_s: _ChangedNumber = None
    min_intercept_altitude_km: _ChangedNumber = None

    def changed(self) -> dict[str, float]:
        """The values given, by key."""
        return {key: getattr(self, key) for key in CONSTELLATION_CARRIER_KEYS if getattr(self, key) is not None}


class ConstellationChoice(_Strict):
    """A constellation of space-based interceptors the scenario studies: a catalog constellation by name,
    optionally resized, moved to another altitude or inclination, or with carrier values changed."""

    name: str = Field(min_length=1)
    satellites: int | None = Field(None, strict=True)
    altitude_km: _ChangedNumber = None
    inclination_deg: _ChangedNumber = None
    carrier: CarrierChange | None = None
    source: str | None = None
    note: str | None = None

    def changes(self) -> dict[str, float]:
        """What the scenario changes, by key (display units): empty for the catalog constellation as it is."""
        changed = {key: getattr(self, key) for key in ("satellites", "altitude_km", "inclination_deg")
                   if getattr(self, key) is not None}
        return {**changed, **(self.carrier.changed() if self.carrier else {})}

    def constellation(self):
        """The :class:`~shieldcheck.constellation.Constellation`: the catalog's, with the changes applied."""
        import dataclasses

        from .catalog import constellations
        from .constellation import Constellation

        built = constellations.constellation(self.name)
        if built.walker is not None and (self.altitude_km is not None or self.inclination_deg is not None):
            pattern = built.walker
            if self.altitude_km is not None:
                pattern = dataclasses.replace(pattern, altitude_m=self.altitude_km * 1e3)
            if self.inclination_deg is not None:
                pattern = dataclasses.replace(pattern, inclination_deg=self.inclination_deg)
            built = Constellation.of_walker(built.name, pattern, built.carrier, sources=built.sources,
                                            earth=built.earth.name)
        if self.satellites is not None:
            built = built.resized(self.satellites)
        if self.carrier is not None and self.carrier.changed():
            si = {key.replace("_km_s", "_m_s").replace("_km", "_m"): value * (1e3 if key.endswith(("_km", "_km_s"))
                                                                             else 1.0)
                  for key, value in self.carrier.changed().items()}
            built = built.with_carrier(dataclasses.replace(built.carrier, **si))
        return built


class Sector(_Strict):
    """Where the sites assigned to it may intercept: Natural Earth countries plus a buffer."""

    name: str = Field(min_length=1)
    countries: tuple[str, ...] = Field(min_length=1)
    buffer_km: Value
    source: str
    note: str | None = None


class PhaseSite(_Strict):
    """One interceptor type at one catalog site, with its sensors and cueing rule."""

    site: str
    interceptor: str
    count: Count | None = None
    sensors: tuple[str, ...] = ()
    cueing: str | None = None
    cue_sensors: tuple[str, ...] = ()
    sector: str | None = None
    source: str | None = None
    note: str | None = None

    def cue(self):
        """The :class:`~shieldcheck.engagement.Cueing` of this site."""
        from .engagement import Cueing

        return Cueing.parse(self.cueing)

    @property
    def cueing_sensors(self) -> tuple[str, ...]:
        """The sensors whose earliest track cues this site: own radars, plus ``cue_sensors`` when remote."""
        rule = self.cue().rule
        if rule == "own":
            return self.sensors
        if rule in ("remote", "engage-remote"):
            return tuple(dict.fromkeys((*self.sensors, *self.cue_sensors)))
        return ()


class Phase(_Strict):
    """The complete architecture of one phase."""

    name: str = Field(min_length=1)
    date: datetime.date
    source: str
    cancelled: datetime.date | None = None
    cancelled_source: str | None = None
    note: str | None = None
    sites: tuple[PhaseSite, ...] = Field(alias="site", min_length=1)


class LaunchGroup(_Strict):
    """Launch areas and the missiles flown from them."""

    launch_areas: tuple[str, ...] = Field(min_length=1)
    missiles: tuple[str, ...] = Field(min_length=1)
    note: str | None = None


class ThreatFlight(typing.NamedTuple):
    """One threat flight: names, and the launch point when it was drawn in the launch area.

    ``launch`` is always the launch area's catalog name (or its ``"LAT,LON"``), so results stay
    grouped per base; ``launch_latitude_deg`` and ``launch_longitude_deg`` are the drawn point,
    or None where the flight starts at the area's reference point (the catalog site).
    """

    launch: str
    aim: str
    missile: str
    trajectory: str
    launch_latitude_deg: float | None = None
    launch_longitude_deg: float | None = None


class Threat(_Strict):
    """A threat set: every launch point x aim point x missile x trajectory.

    A launch point is a launch area's reference point, or, with ``launch_samples``, each of
    that many points drawn uniformly in the area (:mod:`shieldcheck.launch_areas`).
    """

    name: str = Field(min_length=1)
    purpose: Literal[tuple(PURPOSES)]  # who the threat set is for: aggregate.PURPOSES
    launch_areas: tuple[str, ...] = ()
    missiles: tuple[str, ...] = ()
    groups: tuple[LaunchGroup, ...] = Field((), alias="group")
    aim_points: tuple[str, ...] = Field(min_length=1)
    trajectories: tuple[str, ...] = ()
    flight_time_s: float | None = None
    launch_samples: int | None = None
    seed: int | None = None
    area_radius_km: float | None = None
    source: str | None = None
    note: str | None = None

    def launches(self) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
        """(launch areas, missiles) pairings: the groups, or the top-level lists as one group."""
        if self.groups:
            return tuple((g.launch_areas, g.missiles) for g in self.groups)
        return ((self.launch_areas, self.missiles),)

    def launch_points(self, launch: str, radius_km: float | None = None) -> list[tuple[float | None, float | None]]:
        """The launch points of one launch area: drawn ones, or ``[(None, None)]`` for its reference point.

        Without ``launch_samples``, and for a launch area that has no area (a point: the Iranian
        launch areas, ``"LAT,LON"``), the reference point only, once. ``radius_km`` replaces the
        radius of a disc area (a sweep's case); else the threat's ``area_radius_km``, else the catalog's.
        """
        from . import launch_areas

        if self.launch_samples is None or not launch_areas.has_area(launch):
            return [(None, None)]
        disc = launch_areas.area(launch).radius_km is not None
        radius_km = (radius_km if radius_km is not None else self.area_radius_km) if disc else None
        lat_deg, lon_deg = launch_areas.sample(launch, self.launch_samples, self.seed or 0, radius_km=radius_km)
        return [(float(lat), float(lon)) for lat, lon in zip(lat_deg, lon_deg)]

    def flights(self, radius_km_by_area: dict[str, float] | None = None) -> list[ThreatFlight]:
        """Every :class:`ThreatFlight` (launch point, aim point, missile, trajectory), in file order;
        ``radius_km_by_area`` replaces the radius of some disc launch areas (catalog name -> km)."""
        radii = radius_km_by_area or {}
        return [ThreatFlight(launch, aim, missile, trajectory, lat, lon)
                for launch_areas, missiles in self.launches()
                for launch in launch_areas for lat, lon in self.launch_points(launch, radii.get(launch))
                for aim in self.aim_points
                for missile in missiles for trajectory in self.trajectories]


class _Header(_Strict):
    name: str = Field(min_length=1)
    title: str
    description: str
    sources: tuple[str, ...] = ()
    include_threats: str | None = None


class _ScenarioFile(_Strict):
    scenario: _Header
    assumptions: Assumptions
    sector: tuple[Sector, ...] = ()
    phase: tuple[Phase, ...] = Field(min_length=1)
    threats: tuple[Threat, ...] = ()
    raid: tuple[Raid, ...] = ()
    constellation: tuple[ConstellationChoice, ...] = ()


class _ThreatsFile(_Strict):
    threats: tuple[Threat, ...] = Field(min_length=1)


class Scenario(_Strict):
    """A validated scenario: phases of an architecture and the threat sets to assess it against."""

    name: str
    title: str
    description: str
    sources: tuple[str, ...]
    assumptions: Assumptions
    sectors: tuple[Sector, ...]
    phases: tuple[Phase, ...]
    threats: tuple[Threat, ...]
    path: Path
    include_threats: str | None = None
    raids: tuple[Raid, ...] = ()
    constellations: tuple[ConstellationChoice, ...] = ()
    _doc: _Doc | None = PrivateAttr(default=None)
    _shapes: dict | None = PrivateAttr(default=None)

    def with_endgame(self, model: str, field: str = "endgame") -> Scenario:
        """This scenario with its endgame model replaced (``endgame.ENDGAME_MODELS``), stated as set by
        the caller: a published argument re-run both ways. ``field``: how a refusal names the input (the
        command line's ``--endgame``)."""
        from .endgame import ENDGAME_MODELS

        limits.choose(field, model, ENDGAME_MODELS)
        choice = EndgameChoice(value=model, source="MODEL", note="set by the caller (--endgame), not the scenario file")
        return self.model_copy(update={"assumptions": self.assumptions.model_copy(update={"endgame": choice})})

    def with_flight_phase(self, name: str, field: str = "flight_phase") -> Scenario:
        """This scenario with its intercepts restricted to one phase of the threat's flight
        (``engagement.FLIGHT_PHASES``), stated as set by the caller. ``field``: how a refusal names the
        input (the command line's ``--flight-phase``)."""
        limits.choose(field, name, FLIGHT_PHASES)
        choice = FlightPhaseChoice(value=name, source="MODEL", note="set by the caller (--flight-phase), not the scenario file")
        return self.model_copy(update={"assumptions": self.assumptions.model_copy(update={"flight_phase": choice})})

    def with_pk_prior(self, alpha: float, beta: float, note: str = "set on the command line (--pk-prior)") -> Scenario:
        """A copy with the test-record Pk posterior's Beta prior replaced (``assess --pk-prior A,B``)."""
        from .kill_probability import check_prior

        alpha, beta = check_prior(alpha, beta, "--pk-prior")
        prior = PkPrior(alpha=alpha, beta=beta, source="MODEL", estimate=True, note=note)
        return self.model_copy(update={"assumptions": self.assumptions.model_copy(update={"pk_prior": prior})})

    def phase(self, name: str) -> Phase:
        """A phase by name (case-insensitive)."""
        for phase in self.phases:
            if phase.name.lower() == str(name).lower():
                return phase
        raise limits.not_allowed(f"phase of scenario {self.name!r}", name, [p.name for p in self.phases])

    def threat(self, name: str) -> Threat:
        """A threat set by name (case-insensitive)."""
        for threat in self.threats:
            if threat.name.lower() == str(name).lower():
                return threat
        raise limits.not_allowed(f"threat set of scenario {self.name!r}", name, [t.name for t in self.threats])

    def constellation(self, name: str | None = None):
        """The :class:`~shieldcheck.constellation.Constellation` of a ``[[constellation]]`` of the scenario,
        by its catalog name or alias (the first one when ``name`` is None), with the scenario's changes."""
        if not self.constellations:
            raise InputError(f"scenario {self.name!r} lists no constellation: add a [[constellation]] table "
                             "(a catalog constellation's name), or give a constellation")
        if name is None:
            return self.constellations[0].constellation()
        from .catalog import constellations

        wanted = constellations.record(name).name if isinstance(name, str) and name.strip() else name
        for choice in self.constellations:
            if choice.name == wanted:
                return choice.constellation()
        raise limits.not_allowed(f"constellation of scenario {self.name!r}", name,
                                 [c.name for c in self.constellations])

    def flights(self) -> list[ThreatFlight]:
        """Every threat flight of every threat set (duplicates across sets kept)."""
        return [f for threat in self.threats for f in threat.flights()]

    def source_keys(self) -> list[str]:
        """Every sources.toml key the scenario cites, in first-use order."""
        return list(dict.fromkeys(key for _, key in _source_refs(self)))

    def citations(self) -> list[str]:
        """Full citations of every source the scenario cites."""
        return catalog_mod.load().citations(self.source_keys())

    def sector_shapes(self) -> dict:
        """``{name: geography.Sector}`` of every sector; checks country names and overlaps.

        Raises :class:`InputError` naming the file and line for a country unknown to Natural
        Earth, or for two sectors that overlap by more than ``SECTOR_OVERLAP_LIMIT_KM2``.
        """
        if self._shapes is None:
            from . import geography

            doc = self._doc or _Doc(self.path, {})
            shapes = {}
            for i, sector in enumerate(self.sectors):
                for j, country in enumerate(sector.countries):
                    try:
                        geography.country(country)
                    except InputError as error:
                        raise doc.error(("sector", i, "countries", j), country, str(error)) from None
                shapes[sector.name] = geography.sector(sector.name, list(sector.countries), sector.buffer_km.value)
            names = list(shapes)
            for a, first in enumerate(names):
                for b in range(a + 1, len(names)):
                    area_km2 = float(geography.overlap_km2(shapes[first], shapes[names[b]]))
                    if area_km2 > SECTOR_OVERLAP_LIMIT_KM2:
                        raise doc.error(("sector", b, "countries"), list(self.sectors[b].countries),
                                        f"sector {names[b]!r} overlaps sector {first!r} by {area_km2:,.0f} km^2 "
                                        f"(at most {SECTOR_OVERLAP_LIMIT_KM2:,.0f} km^2 allowed): "
                                        "reduce buffer_km or move countries")
            self._shapes = shapes
        return dict(self._shapes)

    def __repr__(self) -> str:
        flights = len(self.flights())
        return (f"<Scenario {self.name!r}: {len(self.phases)} phases, {len(self.sectors)} sectors, "
                f"{len(self.threats)} threat sets, {flights} flights>")


# ---------------------------------------------------------------------------------------------
# How a key and a value are shown in a message (where they are: tomlfile)
# ---------------------------------------------------------------------------------------------

def _show(value) -> str:
    if isinstance(value, dict):
        return "{...}"
    if isinstance(value, (list, tuple)):
        if any(isinstance(item, dict) for item in value):
            return f"[{len(value)} table{'s' if len(value) != 1 else ''}]"
        text = repr(list(value))
        return text if len(text) <= 120 else text[:117] + "...]"
    return limits.shown(value)  # a 100 KB text comes back cut, its length stated


def _keypath(loc: tuple) -> str:
    return tomlfile.key_path(loc)


# ---------------------------------------------------------------------------------------------
# Reading and validating
# ---------------------------------------------------------------------------------------------

def _read(path: Path, model):
    """Parse and structurally validate a file: (record, _Doc)."""
    raw, found = tomlfile.read(path, "scenario file", max_bytes=MAX_FILE_BYTES)
    doc = _Doc(path, found.index)
    try:
        return model.model_validate(raw), doc
    except ValidationError as error:
        raise _structure_error(error, doc, model) from None


def _model_at(model, loc: tuple):
    """The pydantic model that holds the last key of ``loc``."""
    for part in loc:
        if isinstance(part, int):
            continue
        fields = {(f.alias or name): f for name, f in model.model_fields.items()}
        if part not in fields:
            return model
        found = _models_in(fields[part].annotation)
        if not found:
            return model
        model = found[0]
    return model


def _models_in(annotation) -> list:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]


def _structure_error(error: ValidationError, doc: _Doc, root) -> InputError:
    errors = error.errors()
    # an unknown key first: a misspelt key also makes the intended one "missing"
    first = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
    loc, kind = tuple(first["loc"]), first["type"]
    if kind == "extra_forbidden":
        model = _model_at(root, loc[:-1])
        allowed = [f.alias or name for name, f in model.model_fields.items()]
        return doc.error(loc, first.get("input", _MISSING), f"unknown key {loc[-1]!r}"
                         f"{did_you_mean(str(loc[-1]), allowed)} (allowed here: {', '.join(allowed)})")
    if kind == "missing":
        model = _model_at(root, loc[:-1])
        field_info = {(f.alias or n): f for n, f in model.model_fields.items()}.get(loc[-1])
        wanted = f" ({field_info.description})" if field_info is not None and field_info.description else ""
        parent = _keypath(loc[:-1]) or "the file"
        return doc.error(loc, _MISSING, f"missing: {parent} needs a key {loc[-1]!r}{wanted}")
    if kind == "literal_error":  # a choice: the one wording, with the allowed names
        allowed = re.findall(r"'([^']*)'", str(first.get("ctx", {}).get("expected", "")))
        return doc.not_allowed(loc, first.get("input"), allowed)
    message = (first["msg"].removeprefix("Value error, ").replace("Tuple should", "List should")
               .replace("a valid tuple", "a list"))
    if kind.startswith("date"):
        message += "; write a TOML date such as 2011-03-01"
    return doc.error(loc, first.get("input", _MISSING), message)


def _source_refs(record) -> list[tuple[tuple, str]]:
    """(relative key path, source key) of every cited source inside a record, depth first."""
    refs = []
    if isinstance(record, Value | Count):
        return [(("source",), record.source)]
    for name, info in type(record).model_fields.items():
        key = info.alias or name
        item = getattr(record, name)
        if key in ("source", "cancelled_source") and isinstance(item, str):
            refs.append(((key,), item))
        elif key == "sources" and isinstance(item, tuple):
            refs += [((key, i), s) for i, s in enumerate(item)]
        elif isinstance(item, BaseModel):
            refs += [((key,) + p, s) for p, s in _source_refs(item)]
        elif isinstance(item, tuple):
            for i, sub in enumerate(item):
                if isinstance(sub, BaseModel):
                    refs += [((key, i) + p, s) for p, s in _source_refs(sub)]
    return refs


class _Checker:
    """Semantic checks against the catalog; resolves names to the catalog's spelling."""

    def __init__(self, cat):
        self.cat = cat

    def sources(self, record, doc: _Doc, prefix: tuple) -> None:
        for loc, key in _source_refs(record):
            if key not in self.cat.sources:
                raise doc.not_allowed(prefix + loc, key, self.cat.sources, see="catalog/data/sources.toml")

    def name(self, table: str, value: str, doc: _Doc, loc: tuple) -> str:
        try:
            return self.cat.find(table, value, _keypath(loc))
        except InputError as error:
            raise InputError(f"{doc.where(loc)}: {error}") from None

    def point(self, value: str, doc: _Doc, loc: tuple) -> str:
        """A threat launch area or aim point: a catalog site (its catalog name) or "LAT,LON"."""
        try:
            return self.cat.site(value).name
        except InputError as error:
            raise doc.error(loc, value, f"{error}; allowed: a catalog site (see `shieldcheck catalog sites`) "
                            "or LAT,LON in degrees") from None

    def cueing(self, text: str, doc: _Doc, loc: tuple):
        from .engagement import Cueing

        try:
            return Cueing.parse(text)
        except InputError as error:
            raise doc.error(loc, text, str(error)) from None


def _check_value(doc: _Doc, loc: tuple, value: Value, bound: str) -> None:
    """The value, and the ends of its plausible range where it has one, within ``limits.BOUNDS[bound]``."""
    for key in ("value", "low", "high"):
        number = getattr(value, key)
        if number is not None and not limits.bound(bound).inside(number):
            raise doc.outside(loc + (key,), number, bound)


def _check_date(doc: _Doc, loc: tuple, date: datetime.date | None) -> None:
    """A date within ``limits.SCENARIO_DATES`` (None: not given)."""
    if date is not None and not limits.SCENARIO_DATES.inside(date):
        raise InputError(f"{doc.where(loc)}: {limits.SCENARIO_DATES.message(date, _keypath(loc))}")


def _check_sectors(sectors: tuple[Sector, ...], doc: _Doc) -> None:
    owner: dict[str, tuple[int, str]] = {}
    names: dict[str, int] = {}
    for i, sector in enumerate(sectors):
        if sector.name.lower() in names:
            raise doc.error(("sector", i, "name"), sector.name,
                            f"sector name used twice (also sector[{names[sector.name.lower()] + 1}])")
        names[sector.name.lower()] = i
        _check_value(doc, ("sector", i, "buffer_km"), sector.buffer_km, "buffer_km")
        for j, country in enumerate(sector.countries):
            key = country.strip().lower()
            if key in owner:
                k, other = owner[key]
                where = "twice in this sector" if k == i else f"already in sector {other!r} (sector[{k + 1}])"
                raise doc.error(("sector", i, "countries", j), country,
                                f"country listed {where}: sectors must not overlap")
            owner[key] = (i, sector.name)


def _resolve_site(entry: PhaseSite, cat: _Checker, doc: _Doc, loc: tuple, default_cueing: str,
                  sectors: dict[str, str]) -> PhaseSite:
    site = cat.name("site", entry.site, doc, loc + ("site",))
    interceptor = cat.name("interceptor", entry.interceptor, doc, loc + ("interceptor",))
    sensors = []
    for j, name in enumerate(entry.sensors):
        sensor = cat.name("sensor", name, doc, loc + ("sensors", j))
        record = cat.cat.sensors[sensor]
        at = cat.cat.find("site", record.site) if record.site else None
        if record.kind != "radar" or at != site:
            placed = f"a {record.kind} at {at!r}" if at else f"a {record.kind}"
            raise doc.error(loc + ("sensors", j), name,
                            f"{sensor!r} is {placed}, not a radar at {site!r}: `sensors` lists the site's own "
                            "radars; put other sensors in `cue_sensors`")
        sensors.append(sensor)
    cue_sensors = [cat.name("sensor", name, doc, loc + ("cue_sensors", j)) for j, name in enumerate(entry.cue_sensors)]
    if entry.cueing is None:
        rule_loc, text, origin = ("assumptions", "cueing"), default_cueing, " (the default of [assumptions])"
    else:
        rule_loc, text, origin = loc + ("cueing",), entry.cueing, ""
    rule = cat.cueing(text, doc, rule_loc).rule
    if rule == "own" and not sensors:
        raise doc.error(loc + ("cueing",), text, f"cueing 'own'{origin} needs the site's own radar in `sensors`, "
                        f"and {_keypath(loc)} lists none; allowed: add sensors = [\"RADAR\"], or cueing = \"remote\" "
                        "with cue_sensors, or \"delay:SECONDS\"")
    if rule in ("remote", "engage-remote") and not sensors and not cue_sensors:
        raise doc.error(loc + ("cueing",), text, f"cueing {rule!r}{origin} needs at least one sensor, and "
                        f"{_keypath(loc)} lists neither `sensors` nor `cue_sensors`; allowed: add "
                        "cue_sensors = [\"SENSOR\"] (see `shieldcheck catalog sensors`), or \"delay:SECONDS\"")
    sector = entry.sector
    if sector is not None:
        if sector.lower() not in sectors:  # the names of the file's [[sector]] tables
            raise doc.not_allowed(loc + ("sector",), sector, sectors.values())
        sector = sectors[sector.lower()]
    if entry.count is not None and entry.count.value > 10_000:
        raise doc.error(loc + ("count", "value"), entry.count.value, "outside 1 to 10,000")
    return entry.model_copy(update={"site": site, "interceptor": interceptor, "sensors": tuple(sensors),
                                    "cue_sensors": tuple(cue_sensors), "cueing": text, "sector": sector})


def _check_phases(phases: tuple[Phase, ...], cat: _Checker, doc: _Doc, default_cueing: str,
                  sectors: dict[str, str]) -> tuple[Phase, ...]:
    resolved, names = [], {}
    for i, phase in enumerate(phases):
        loc = ("phase", i)
        if phase.name.lower() in names:
            raise doc.error(loc + ("name",), phase.name,
                            f"phase name used twice (also phase[{names[phase.name.lower()] + 1}])")
        names[phase.name.lower()] = i
        for key in ("date", "cancelled"):
            _check_date(doc, loc + (key,), getattr(phase, key))
        if i and phase.date < phases[i - 1].date:
            raise doc.error(loc + ("date",), phase.date.isoformat(),
                            f"before phase[{i}] {phases[i - 1].name!r} ({phases[i - 1].date.isoformat()}): "
                            "phases must be listed in date order")
        if (phase.cancelled is None) != (phase.cancelled_source is None):
            given, needed = ("cancelled", "cancelled_source") if phase.cancelled else ("cancelled_source", "cancelled")
            raise doc.error(loc + (given,), getattr(phase, given) if given == "cancelled_source"
                            else phase.cancelled.isoformat(), f"needs {needed!r} too (a cancellation is cited)")
        sites, seen = [], {}
        for j, entry in enumerate(phase.sites):
            site = _resolve_site(entry, cat, doc, loc + ("site", j), default_cueing, sectors)
            pair = (site.site, site.interceptor)
            if pair in seen:
                raise doc.error(loc + ("site", j, "interceptor"), entry.interceptor,
                                f"{site.interceptor!r} at {site.site!r} is listed twice in this phase "
                                f"(also site[{seen[pair] + 1}]); give one entry per site and interceptor")
            seen[pair] = j
            sites.append(site)
        resolved.append(phase.model_copy(update={"sites": tuple(sites)}))
    return tuple(resolved)


def _check_threat(threat: Threat, cat: _Checker, doc: _Doc, loc: tuple) -> Threat:
    from .aiming import TRAJECTORIES, TrajectoryShape, flight_time_of, flight_time_trajectory

    if threat.groups and (threat.launch_areas or threat.missiles):
        key = "launch_areas" if threat.launch_areas else "missiles"
        raise doc.error(loc + (key,), list(getattr(threat, key)),
                        "give either launch_areas and missiles, or [[threats.group]] tables, not both")
    update: dict = {}
    if not threat.groups:
        for key in ("launch_areas", "missiles"):
            if not getattr(threat, key):
                raise doc.error(loc + (key,), list(getattr(threat, key)),
                                f"an empty threat set: {key} needs at least one name (or use [[threats.group]] "
                                "tables with launch_areas and missiles)")
        update["launch_areas"] = tuple(cat.point(v, doc, loc + ("launch_areas", j))
                                       for j, v in enumerate(threat.launch_areas))
        update["missiles"] = tuple(cat.name("missile", v, doc, loc + ("missiles", j))
                                   for j, v in enumerate(threat.missiles))
    else:
        groups = []
        for g, group in enumerate(threat.groups):
            where = loc + ("group", g)
            groups.append(group.model_copy(update={
                "launch_areas": tuple(cat.point(v, doc, where + ("launch_areas", j))
                                      for j, v in enumerate(group.launch_areas)),
                "missiles": tuple(cat.name("missile", v, doc, where + ("missiles", j))
                                  for j, v in enumerate(group.missiles))}))
        update["groups"] = tuple(groups)
    update["aim_points"] = tuple(cat.point(v, doc, loc + ("aim_points", j)) for j, v in enumerate(threat.aim_points))
    shapes = []
    for j, trajectory in enumerate(threat.trajectories):
        try:
            timed = flight_time_of(trajectory)
            shapes.append(str(TrajectoryShape.parse(trajectory)) if timed is None else flight_time_trajectory(timed))
        except InputError as error:
            name = trajectory.partition(":")[0]
            if name not in TRAJECTORIES:
                raise doc.not_allowed(loc + ("trajectories", j), name,
                                      [*TRAJECTORIES, "NAME:KEY=VALUE (a shape, e.g. depressed:apogee_ratio=0.5)"],
                                      suggest=TRAJECTORIES) from None
            raise doc.error(loc + ("trajectories", j), trajectory, str(error).split(": ", 1)[-1]) from None
    if threat.flight_time_s is not None:
        if not limits.bound("flight_time_s").inside(threat.flight_time_s) or not math.isfinite(threat.flight_time_s):
            raise doc.outside(loc + ("flight_time_s",), threat.flight_time_s, "flight_time_s")
        timed = flight_time_trajectory(threat.flight_time_s)
        if timed not in shapes:
            shapes.append(timed)
    if not shapes:
        raise doc.error(loc + ("trajectories",), [], "give at least one trajectory, or flight_time_s")
    update["trajectories"] = tuple(shapes)
    _check_sampling(threat, update, doc, loc)
    return threat.model_copy(update=update)


def _check_sampling(threat: Threat, update: dict, doc: _Doc, loc: tuple) -> None:
    """launch_samples, seed and area_radius_km: their ranges, and that every sampled area can be drawn."""
    from . import launch_areas

    if threat.launch_samples is None:
        for key in ("seed", "area_radius_km"):
            if getattr(threat, key) is not None:
                raise doc.error(loc + (key,), getattr(threat, key), f"{key} has no effect without launch_samples; "
                                "allowed: give launch_samples = N too (points drawn per launch area)")
        return
    checks = (("launch_samples", launch_areas.check_samples), ("seed", launch_areas.check_seed),
              ("area_radius_km", launch_areas.check_radius_km))
    for key, check in checks:
        value = getattr(threat, key)
        if value is not None:
            try:
                check(value, _keypath(loc + (key,)))
            except InputError as error:
                raise InputError(f"{doc.where(loc + (key,))}: {error}") from None
    if "groups" in update:
        places = [(loc + ("group", g, "launch_areas", j), name)
                  for g, group in enumerate(update["groups"]) for j, name in enumerate(group.launch_areas)]
    else:
        places = [(loc + ("launch_areas", j), name) for j, name in enumerate(update["launch_areas"])]
    for where, name in places:
        if launch_areas.has_area(name):
            try:
                disc = launch_areas.area(name).radius_km is not None
                launch_areas.area(name, radius_km=threat.area_radius_km if disc else None)
            except InputError as error:
                raise doc.error(where, name, str(error)) from None


def _check_raids(raids: tuple[Raid, ...], threats: tuple[Threat, ...], cat: _Checker, doc: _Doc) -> tuple[Raid, ...]:
    """Each raid names a threat set and some of its launch areas, and launches a whole number of missiles,
    at least one and at most the missiles of those flights (one missile per flight: the threat set's
    inventory as the scenario defines it)."""
    by_name = {t.name.lower(): t for t in threats}
    resolved, names = [], {}
    for i, raid in enumerate(raids):
        loc = ("raid", i)
        if raid.name.lower() in names:
            raise doc.error(loc + ("name",), raid.name, f"raid name used twice (also raid[{names[raid.name.lower()] + 1}])")
        names[raid.name.lower()] = i
        threat = by_name.get(raid.threat_set.lower())
        if threat is None:
            raise doc.not_allowed(loc + ("threat_set",), raid.threat_set, [t.name for t in threats])
        offered = [a for areas, _ in threat.launches() for a in areas]
        areas = []
        for j, name in enumerate(raid.launch_areas):
            area = cat.point(name, doc, loc + ("launch_areas", j))
            if area not in offered:  # the launch areas of the raid's threat set
                raise doc.not_allowed(loc + ("launch_areas", j), area, dict.fromkeys(offered))
            areas.append(area)
        _check_value(doc, loc + ("missiles",), raid.missiles, "raid_missiles")
        n = raid.missiles.value
        if n != int(n):
            raise doc.error(loc + ("missiles", "value"), n, "must be a whole number of missiles")
        chosen = set(areas) or set(offered)
        inventory = sum(1 for f in threat.flights() if f.launch in chosen)
        if n > inventory:
            where = f" from {', '.join(areas)}" if areas else ""
            raise doc.error(loc + ("missiles", "value"), n, f"a raid of {int(n):,} missiles is larger than the "
                            f"{inventory:,} missiles of threat set {threat.name!r}{where} (one missile per flight: "
                            "launch point x aim point x missile x trajectory); allowed: 1 to "
                            f"{inventory:,}, or add flights to the threat set")
        resolved.append(raid.model_copy(update={"threat_set": threat.name, "launch_areas": tuple(areas)}))
    return tuple(resolved)


def _check_constellations(choices: tuple[ConstellationChoice, ...], doc: _Doc) -> tuple[ConstellationChoice, ...]:
    """Each ``[[constellation]]`` names a catalog constellation (resolved to its catalog name) once, and every
    change is within ``constellation.BOUNDS``; only a Walker pattern is resized or moved."""
    from .catalog import constellations
    from .constellation import checked

    resolved, names = [], {}
    for i, choice in enumerate(choices):
        loc = ("constellation", i)
        try:
            record = constellations.record(choice.name)
        except InputError:
            raise doc.not_allowed(loc + ("name",), choice.name, constellations.names(),
                                  see="catalog/data/constellations.toml") from None
        if record.name in names:
            raise doc.error(loc + ("name",), choice.name, f"constellation {record.name!r} listed twice (also "
                            f"constellation[{names[record.name] + 1}]); list each catalog constellation once")
        names[record.name] = i
        moved = [key for key in ("satellites", "altitude_km", "inclination_deg") if getattr(choice, key) is not None]
        if moved and record.pattern != "walker-delta":
            raise doc.error(loc + (moved[0],), getattr(choice, moved[0]), f"constellation {record.name!r} is a list "
                            "of orbits, not a Walker pattern: only its carrier can be changed")
        checks = [((key,), key, getattr(choice, key), key == "satellites") for key in moved]
        if choice.carrier is not None:
            checks += [(("carrier", key), key, value, False) for key, value in choice.carrier.changed().items()]
        for path, key, value, whole in checks:
            try:
                checked(_keypath(loc + path[:-1]), key, value, whole)
            except InputError as error:
                raise InputError(f"{doc.where(loc + path)}: {error}") from None
        resolved.append(choice.model_copy(update={"name": record.name}))
    return tuple(resolved)


def _include(name: str, here: Path, doc: _Doc) -> Path:
    """The threats file ``include_threats`` names: next to the scenario, else a built-in one."""
    file = name if name.endswith(".toml") else f"{name}.toml"
    if Path(file).name != file:
        raise doc.error(("scenario", "include_threats"), name, "give a file name without a folder "
                        "(looked up next to this file, then among the built-in scenarios)")
    for folder in (here.parent, Path(str(BUILTIN))):
        if (folder / file).is_file():
            return folder / file
    available = sorted({p.stem for folder in (here.parent, Path(str(BUILTIN))) for p in folder.glob("*.toml")
                        if not _is_scenario(p)})
    raise doc.not_allowed(("scenario", "include_threats"), name, available,
                          see="the threat files next to this file and among the built-in scenarios")


def _is_scenario(path: Path) -> bool:
    try:
        return "scenario" in tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False


def read(path: str | Path) -> Scenario:
    """Read and validate a scenario file (see the module's documentation for the format)."""
    path = Path(path)
    cat = _Checker(catalog_mod.load())
    file, doc = _read(path, _ScenarioFile)
    head = file.scenario
    cat.sources(file, doc, ())
    for key in BOUNDED + OPTIONAL_BOUNDED:
        if getattr(file.assumptions, key) is not None:
            _check_value(doc, ("assumptions", key), getattr(file.assumptions, key), key)
    if file.assumptions.decoys_per_warhead is not None:
        decoys = file.assumptions.decoys_per_warhead
        if decoys.value != int(decoys.value):
            raise doc.error(("assumptions", "decoys_per_warhead", "value"), decoys.value, "must be a whole number")
    if file.assumptions.shot_doctrine is not None:
        from .attrition import Doctrine

        try:
            Doctrine.parse(file.assumptions.shot_doctrine.value)
        except InputError as error:
            raise doc.error(("assumptions", "shot_doctrine", "value"), file.assumptions.shot_doctrine.value,
                            str(error).split(": ", 1)[-1]) from None
    if file.assumptions.pk_prior is not None:
        from .kill_probability import check_prior

        for key in ("alpha", "beta"):
            value = getattr(file.assumptions.pk_prior, key)
            try:
                check_prior(value, 1.0)
            except InputError as error:
                raise doc.error(("assumptions", "pk_prior", key), value, str(error).split(": ", 1)[-1]) from None
    if file.assumptions.deterrent is not None:
        name = cat.name("deterrent", file.assumptions.deterrent.name, doc, ("assumptions", "deterrent", "name"))
        file = file.model_copy(update={"assumptions": file.assumptions.model_copy(update={
            "deterrent": file.assumptions.deterrent.model_copy(update={"name": name})})})
    cat.cueing(file.assumptions.cueing, doc, ("assumptions", "cueing"))
    _check_date(doc, ("assumptions", "assessment_date"), file.assumptions.assessment_date)
    if file.assumptions.bounding_cueing is not None:
        loc = ("assumptions", "bounding_cueing", "value")
        if cat.cueing(file.assumptions.bounding_cueing.value, doc, loc).rule != "delay":
            raise doc.error(loc, file.assumptions.bounding_cueing.value, "the bounding cue must be delay:SECONDS")
    _check_sectors(file.sector, doc)
    sectors = {s.name.lower(): s.name for s in file.sector}
    phases = _check_phases(file.phase, cat, doc, file.assumptions.cueing, sectors)

    threats: list[tuple[Threat, _Doc, tuple]] = []
    if head.include_threats is not None:
        included, included_doc = _read(_include(head.include_threats, path, doc), _ThreatsFile)
        cat.sources(included, included_doc, ())
        threats += [(t, included_doc, ("threats", i)) for i, t in enumerate(included.threats)]
    threats += [(t, doc, ("threats", i)) for i, t in enumerate(file.threats)]
    if not threats:
        raise InputError(f"{path}: no threats: a scenario needs at least one [[threats]] table "
                         "(or include_threats = \"threats\" in [scenario] for the built-in threat sets)")
    resolved, names = [], {}
    for threat, where, loc in threats:
        if threat.name.lower() in names:
            raise where.error(loc + ("name",), threat.name,
                              f"threat set name used twice (also in {names[threat.name.lower()]})")
        names[threat.name.lower()] = f"{where.path.name}:{where.line(loc) or '?'}"
        resolved.append(_check_threat(threat, cat, where, loc))

    raids = _check_raids(file.raid, tuple(resolved), cat, doc)
    scenario = Scenario(name=head.name, title=head.title, description=head.description, sources=head.sources,
                        assumptions=file.assumptions, sectors=file.sector, phases=phases, threats=tuple(resolved),
                        path=path, include_threats=head.include_threats, raids=raids,
                        constellations=_check_constellations(file.constellation, doc))
    scenario._doc = doc
    return scenario


# ---------------------------------------------------------------------------------------------
# Built-in scenarios
# ---------------------------------------------------------------------------------------------

def _builtin_paths() -> dict[str, Path]:
    folder = Path(str(BUILTIN))
    return {p.stem: p for p in sorted(folder.glob("*.toml")) if _is_scenario(p)}


def builtin_names() -> list[str]:
    """The names of the built-in scenarios (``epaa``, ``epaa-as-built``, ``sectoral``, ``third-site-2007``)."""
    return sorted(_builtin_paths())


BOUNDING_SCENARIO = "epaa"  # the built-in scenario whose bounding cue `shieldcheck engage` takes by default


def bounding_cue(name: str = BOUNDING_SCENARIO) -> tuple[BoundingCue, float]:
    """A built-in scenario's bounding cue (``delay:SECONDS``, cited) and its seconds from that cue to the
    interceptor's launch (``Assumptions.bounding_launch_delay_s``): the one source of ``engage``'s
    default cue, so that a single pair and an assessment's bounding rows start from the same cue."""
    a = load(name).assumptions
    return a.bounding_cueing, a.bounding_launch_delay_s()


def load(name_or_path: str | Path) -> Scenario:
    """A built-in scenario by name (case-insensitive), or a scenario file by path.

    Raises :class:`InputError` for an unknown name (with "did you mean" and the built-in names)
    and for every problem in the file (naming the file, line, key, value and what is allowed).
    """
    if isinstance(name_or_path, Path):
        return read(name_or_path)
    text = str(name_or_path).strip()
    builtins = _builtin_paths()
    key = text.lower().replace("_", "-")
    if key in builtins:
        return read(builtins[key])
    if text.endswith(".toml") or "/" in text or "\\" in text or Path(text).is_file():
        return read(Path(text))
    raise limits.not_allowed("scenario", text, [*builtins, "a path to a .toml file"], suggest=builtins)


__all__ = ["Assumptions", "CarrierChange", "ConstellationChoice", "Count", "DeterrentChoice", "LaunchGroup", "PkPrior", "Phase", "PhaseSite", "Raid", "Scenario", "Sector", "ShotDoctrine", "Threat",
           "ThreatFlight", "bounding_cue", "builtin_names", "load", "read", "SECTOR_OVERLAP_LIMIT_KM2"]

