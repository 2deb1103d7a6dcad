"""The catalog: cited data files of missiles, sites and drag tables, validated on load.

Every physical value in ``catalog/data/*.toml`` is ``{ value, source, estimate [, note] }`` with
``source`` a key of ``sources.toml``, and, for an estimate that can change a verdict, its plausible
range ``low, high, basis`` (docs/sources.md, "Uncertainty ranges"). Records are validated by pydantic (unknown keys are
errors); a broken file gives one :class:`~shieldcheck.errors.InputError` naming the file, the
key, the value and what is allowed. Names are matched without regard to case, spaces or
hyphens, aliases included, with a "did you mean" for near misses.

    >>> from shieldcheck import catalog
    >>> catalog.missile("Shahab-3").launch_mass_kg
    15392.0
"""

from __future__ import annotations

import datetime
import functools
import math
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import ClassVar, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationError, model_validator

from ..earth import Site
from .. import tomlfile
from .. import limits
from ..errors import InputError
from ..sensors import InfraredWarning, Radar
from ..vehicles import (GUIDED_GLIDE_FIELDS, DragTable, FractionalOrbit, GlideModel, Interceptor, KillVehicle, Missile,
                        Stage, with_isp_scale)

DATA = resources.files(__package__) / "data"
INTERCEPT_TESTS_FILE = "intercept_tests.toml"  # the interceptors' flight test records (kill_probability.py)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _low_value_high(record):
    """A record's value lies between the low and high of its sources' spread."""
    if not record.low <= record.value <= record.high:
        raise ValueError(f"need low <= value <= high, got {record.low} <= {record.value} <= {record.high}")
    return record


class Value(_Strict):
    """A number with its source key and whether it is an estimate, and optionally its plausible range.

    ``low`` and ``high`` (given together, ``low <= value <= high``) with their ``basis`` (the
    sources' spread, or a stated modelling band) are the range the uncertainty sweep draws from
    (``sampling.ParameterPath.band``); ``tests/test_catalog_uncertainty.py`` requires one on every
    estimate that enters the engine.
    """

    value: float = Field(allow_inf_nan=False)
    source: str
    estimate: StrictBool
    note: str | None = None
    low: float | None = Field(None, allow_inf_nan=False)
    high: float | None = Field(None, allow_inf_nan=False)
    basis: str | None = None

    needs_basis: ClassVar[bool] = True  # a range states what it rests on (not a published range: its note does)

    @model_validator(mode="after")
    def _range(self):
        if (self.low is None) != (self.high is None):
            raise ValueError("give low and high together (the plausible range), or neither")
        if self.low is None:
            if self.basis is not None:
                raise ValueError("basis without a range: give low and high too")
            return self
        if self.needs_basis and not (self.basis or "").strip():
            raise ValueError("a range (low, high) needs its basis: the sources' spread or a stated modelling band")
        return _low_value_high(self)

    @property
    def ranged(self) -> bool:
        """Whether the value carries a plausible range (low, high)."""
        return self.low is not None


class Ranged(Value):
    """A value that must carry a plausible range for the uncertainty sweep and its basis (the
    sources' spread, or a stated modelling band)."""

    low: float = Field(allow_inf_nan=False)
    high: float = Field(allow_inf_nan=False)
    basis: str


class KillVehicleRecord(_Strict):
    """Endgame limits of a kill vehicle (``endgame.KillVehicle``), each with its range."""

    min_closing_speed_km_s: Ranged
    max_closing_speed_km_s: Ranged
    max_crossing_angle_deg: Ranged
    divert_km_s: Ranged
    time_to_go_s: Ranged


class PublishedRange(Value):
    """A missile's published range: the spread of the sources is its range (low, high), their note its basis."""

    low: float = Field(allow_inf_nan=False, gt=0)
    high: float = Field(allow_inf_nan=False, gt=0)
    payload_kg: float | None = None

    needs_basis: ClassVar[bool] = False


class WarheadCount(_Strict):
    """Re-entry vehicles per missile: the value assessed and the spread of the sources."""

    value: int = Field(ge=1, le=30)
    low: int = Field(ge=1, le=30)
    high: int = Field(ge=1, le=30)
    source: str
    estimate: StrictBool
    note: str | None = None

    _ordered = model_validator(mode="after")(_low_value_high)


class SubmunitionCount(_Strict):
    """Submunitions carried by each re-entry vehicle (the Oreshnik's six per warhead, HUR24_ORESHNIK): the
    value and the spread of the sources. Carried as data: the flight model flies each re-entry vehicle as
    one body, the submunitions' separation in the terminal phase is not modelled."""

    value: int = Field(ge=1, le=100)
    low: int = Field(ge=1, le=100)
    high: int = Field(ge=1, le=100)
    source: str
    estimate: bool
    note: str | None = None

    _ordered = model_validator(mode="after")(_low_value_high)


class StageRecord(_Strict):
    gross_mass_kg: Value
    propellant_mass_kg: Value
    burn_time_s: Value
    isp_vacuum_s: Value
    isp_sea_level_s: Value | None = None
    diameter_m: Value
    coast_after_s: Value | None = None


class ReentryRecord(_Strict):
    mass_kg: Value
    diameter_m: Value
    drag_table: str


class BodyRecord(_Strict):
    drag_table: str


class GuidanceRecord(_Strict):
    vertical_rise_s: Value
    pitch_over_s: Value


class OrbitRecord(_Strict):
    """The insertion orbit of a fractional-orbit (FOBS) missile: published values; the perigee is
    the steering target, the rest are checks."""

    perigee_altitude_km: Value
    apogee_altitude_km: Value | None = None
    inclination_deg: Value | None = None
    period_min: Value | None = None


class DeorbitRecord(_Strict):
    """The retro (deorbit) burn of a FOBS orbital stage."""

    delta_v_m_s: Value
    burn_time_s: Value


class DatedEvent(_Strict):
    """A dated event with its source: a treaty's entry into force or its expiry."""

    date: datetime.date
    source: str
    estimate: bool
    note: str | None = None


class DeclaredFigure(_Strict):
    """Warheads a party declared under a treaty, as of a date (a data exchange)."""

    date: datetime.date
    party: str = Field(min_length=1)
    warheads: int = Field(ge=0)
    deployed_launchers: int | None = Field(None, ge=0)
    source: str
    estimate: bool
    note: str | None = None


class DeterrentRecord(_Strict):
    """A size of a nuclear deterrent, in warheads, that a defence's reach is compared with (attrition.py);
    for a treaty's limit, optionally its dates and the figures declared under it (its status on a date)."""

    name: str
    aliases: list[str] = []
    summary: str
    warheads: Value
    entered_into_force: DatedEvent | None = None
    expired: DatedEvent | None = None
    declared: list[DeclaredFigure] = []

    @model_validator(mode="after")
    def _whole(self):
        if self.warheads.value != int(self.warheads.value) or self.warheads.value < 1:
            raise ValueError(f"warheads must be a whole number of at least 1, got {self.warheads.value}")
        if self.entered_into_force and self.expired and self.expired.date <= self.entered_into_force.date:
            raise ValueError(f"expired ({self.expired.date}) must come after entered_into_force "
                             f"({self.entered_into_force.date})")
        return self

    def cited(self) -> list:
        """The dated events and declared figures, each with its own ``source``."""
        return [e for e in (self.entered_into_force, self.expired) if e is not None] + list(self.declared)


INTERCEPT_OUTCOMES = ("hit", "miss", "no-test")
BALLISTIC_TARGETS = ("SRBM", "MRBM", "IRBM", "ICBM", "long-range", "ballistic")
TARGET_CLASSES = BALLISTIC_TARGETS + ("satellite", "none")


class InterceptTestRecord(_Strict):
    """One engagement of one interceptor type in a flight test (intercept_tests.toml): its date, name,
    outcome and target class, cited. ``outcome``: hit, miss, or no-test (no interceptor flew at a target)."""

    date: datetime.date
    test: str = Field(min_length=1)
    interceptor: str
    outcome: Literal[INTERCEPT_OUTCOMES]
    target_class: Literal[TARGET_CLASSES]
    intercept_attempt: bool = True
    interceptors_fired: int = Field(1, ge=1, le=10)
    source: str
    estimate: bool
    note: str | None = None


class TallyRecord(_Strict):
    """A published count of a system's intercept tests on a date (hits of attempts), without per-test detail."""

    date: datetime.date
    system: str = Field(min_length=1)
    interceptors: list[str] = Field(min_length=1)
    hits: int = Field(ge=0)
    attempts: int = Field(ge=1)
    source: str
    note: str | None = None

    @model_validator(mode="after")
    def _hits_within_attempts(self):
        if self.hits > self.attempts:
            raise ValueError(f"hits ({self.hits}) must not exceed attempts ({self.attempts})")
        return self


class MissileRecord(_Strict):
    name: str
    aliases: list[str] = []
    country: str
    role: Literal["SRBM", "MRBM", "IRBM", "ICBM", "SLBM", "FOBS", "HGV"]
    propellant: Literal["liquid", "solid"]
    summary: str
    derivation: str
    published_range_km: PublishedRange | None = None  # required except for FOBS (no range limit)
    payload_mass_kg: Value
    warheads: WarheadCount
    submunitions_per_warhead: SubmunitionCount | None = None  # only where a source reports them
    reentry_vehicle: ReentryRecord
    body: BodyRecord
    guidance: GuidanceRecord
    stage: list[StageRecord] = Field(min_length=1, max_length=4)
    orbit: OrbitRecord | None = None  # FOBS only
    deorbit: DeorbitRecord | None = None  # FOBS only
    glide: GlideRecord | None = None
    # ONE stated scale factor of the whole stage model, for the uncertainty sweep: every stage's vacuum
    # and sea-level Isp times this factor (reach.with_isp_scale). The value is 1.0 (the model as stated);
    # low and high are the factors at which the model's maximum range equals the published low and high
    # (tools/calibrate_missile_scale.py), or a stated modelling band where no range is published.
    scale: Ranged | None = None

    @model_validator(mode="after")
    def _role_fields(self):
        fobs = self.role == "FOBS"
        if fobs and (self.orbit is None or self.deorbit is None):
            raise ValueError("a FOBS missile needs [missile.orbit] and [missile.deorbit] tables")
        if not fobs and (self.orbit is not None or self.deorbit is not None):
            raise ValueError(f"orbit and deorbit tables are for role = 'FOBS' only, not {self.role!r}")
        if not fobs and self.published_range_km is None:
            raise ValueError("published_range_km is required (only a FOBS has no range limit)")
        if self.scale is not None and self.scale.value != 1.0:
            raise ValueError(f"scale.value must be 1.0 (the stage model as stated; low and high are the factors "
                             f"to sweep), got {self.scale.value!r}")
        return self


class Band(_Strict):
    """A range of published values to sweep: the disagreement among sources."""

    low: float = Field(allow_inf_nan=False)
    high: float = Field(allow_inf_nan=False)
    source: str
    note: str | None = None


class GlideRecord(_Strict):
    """The glide model of a boost-glide vehicle: a named law (vehicles.GlideModel), its L/D and, for a guided
    glide, its guidance parameters."""

    law: str
    lift_to_drag_ratio: Value
    lift_to_drag_ratio_band: Band | None = None
    terminal_speed_m_s: Value | None = None
    dive_angle_deg: Value | None = None
    bank_limit_deg: Value | None = None
    boost_kick_deg: Value | None = None
    arrival_speed_m_s: Value | None = None


MissileRecord.model_rebuild()  # its optional glide field refers to GlideRecord, defined just above


class PayloadRecord(_Strict):
    mass_kg: Value
    diameter_m: Value
    drag_table: str


class InterceptorRecord(_Strict):
    name: str
    aliases: list[str] = []
    country: str
    basing: str
    summary: str
    derivation: str
    burnout_speed_km_s: Value
    burnout_speed_band_km_s: Band
    burn_time_s: Value
    launch_mass_kg: Value | None = None
    min_intercept_altitude_km: Ranged
    max_intercept_altitude_km: Ranged
    max_range_km: Value | None = None
    kill_vehicle_mass_kg: Value | None = None
    kill_vehicle: KillVehicleRecord | None = None
    launch_delay_s: Value | None = None
    payload: PayloadRecord
    guidance: GuidanceRecord
    stage: list[StageRecord] = Field(min_length=1, max_length=4)

    @model_validator(mode="after")
    def _divert_below_burnout_speed(self):
        """A kill vehicle cannot divert by more than its interceptor's burnout speed (nor can its range)."""
        kv = self.kill_vehicle
        if kv is not None and kv.divert_km_s.high >= self.burnout_speed_km_s.value:
            raise ValueError(f"kill_vehicle.divert_km_s reaches {kv.divert_km_s.high:g} km/s, not below the burnout "
                             f"speed of {self.burnout_speed_km_s.value:g} km/s")
        return self


class SensorRecord(_Strict):
    name: str
    aliases: list[str] = []
    kind: Literal["radar", "infrared-satellite"]
    system: str
    site: str | None = None
    summary: str
    boresight_azimuth_deg: Value | None = None
    azimuth_half_width_deg: Value | None = None
    min_elevation_deg: Value | None = None
    max_elevation_deg: Value | None = None
    reference_range_km: Value | None = None
    reference_rcs_m2: Value | None = None
    track_time_s: Value
    height_m: Value | None = None
    detection_delay_s: Value | None = None
    # a radar's measurement noise and update interval (optional; sensors.Radar.MEASUREMENT_FIELDS)
    range_noise_m: Value | None = None
    angle_noise_mrad: Value | None = None
    range_rate_noise_m_s: Value | None = None
    update_interval_s: Value | None = None
    # its systematic errors, one-sigma per track (optional; sensors.Radar.BIAS_FIELDS)
    range_bias_m: Value | None = None
    angle_bias_mrad: Value | None = None
    range_rate_bias_m_s: Value | None = None

    @model_validator(mode="after")
    def _complete(self):
        needed = (("boresight_azimuth_deg", "azimuth_half_width_deg", "min_elevation_deg", "max_elevation_deg",
                   "reference_range_km", "reference_rcs_m2", "site") if self.kind == "radar" else ("detection_delay_s",))
        missing = [name for name in needed if getattr(self, name) is None]
        if missing:
            raise ValueError(f"a {self.kind} needs {', '.join(missing)}")
        if self.kind != "radar":
            given = [name for name in Radar.MEASUREMENT_FIELDS + Radar.BIAS_FIELDS if getattr(self, name) is not None]
            if given:
                raise ValueError(f"{', '.join(given)}: measurement noise is for radars, not for kind = {self.kind!r}")
        for name in Radar.MEASUREMENT_FIELDS + Radar.BIAS_FIELDS:
            value = getattr(self, name)
            for end in (("value", "low", "high") if value is not None else ()):
                number = getattr(value, end)
                if number is not None and not limits.bound(name).inside(number):
                    raise ValueError(limits.bound(name).message(number, f"{name}.{end}"))
        return self


class DragRecord(_Strict):
    name: str
    summary: str
    mach: list[float]
    cd: list[float]
    source: str
    estimate: StrictBool
    note: str | None = None


class AreaRadius(_Strict):
    """A launch area's radius (km) round its site's point, with the sources' spread (low, high).

    Not a :class:`Value`: NaN and absurd numbers are let through parsing so that the catalog's
    own check can name the site, the value and what is allowed.
    """

    value: float
    low: float
    high: float
    source: str
    estimate: StrictBool
    spread_sources: list[str] = []  # the sources of low and high, where they differ from source
    basis: str | None = None  # what low and high rest on: the sources' spread, or a stated modelling band
    note: str | None = None


class AreaPolygon(_Strict):
    """A launch area's outline: ``[latitude, longitude]`` vertices in degrees (WGS 84), in order."""

    vertices_deg: list[tuple[float, float]]
    source: str
    estimate: StrictBool
    note: str | None = None


class LaunchAreaRecord(_Strict):
    """Where a site's launchers may stand: a disc round the site's point, or a polygon.

    ``kind`` says which surface the launchers need: ``dispersal`` (road-mobile launchers on
    their routes) and ``silo-field`` (fixed silos) are drawn on land, ``patrol`` (SSBNs) at sea.
    The site's own latitude and longitude stay its reference point.
    """

    kind: Literal["dispersal", "silo-field", "patrol"]
    radius_km: AreaRadius | None = None
    polygon: AreaPolygon | None = None


class SiteRecord(_Strict):
    name: str
    aliases: list[str] = []
    kind: Literal["launch-area", "icbm-base", "ssbn-bastion", "city", "defence-site", "test-site"]
    country: str
    latitude_deg: Value
    longitude_deg: Value
    height_m: Value | None = None
    summary: str
    launch_area: LaunchAreaRecord | None = None


class SourceRecord(_Strict):
    citation: str
    url: str | None = None
    accessed: str | None = None
    file: str | None = None  # a document of the repository the entry points to (docs/literature.md for LIT)
    date: datetime.date | None = None  # the document's own date, where it matters (a treaty text's signature)


TEST_RANGES_FILE = "test_ranges.toml"  # where interceptors and targets are flown in tests (treaty, verify)
TEST_RANGE_KINDS = ("test-range", "impact-area", "deployed-site")


class AzimuthBand(_Strict):
    """A band of launch azimuths (degrees clockwise from true north), ``low_deg`` to ``high_deg``; ``high_deg``
    may pass 360 for a band that crosses north. Cited, with its basis where it is derived."""

    low_deg: float = Field(allow_inf_nan=False)
    high_deg: float = Field(allow_inf_nan=False)
    source: str
    estimate: StrictBool
    note: str | None = None
    basis: str | None = None

    @model_validator(mode="after")
    def _ordered(self):
        bound = limits.bound("launch_azimuth_deg")
        for end in ("low_deg", "high_deg"):
            if not bound.inside(getattr(self, end)):
                raise ValueError(bound.message(getattr(self, end), end))
        if not (self.low_deg < 360.0 and self.low_deg < self.high_deg <= self.low_deg + 360.0):
            raise ValueError(f"need 0 <= low_deg < 360 and low_deg < high_deg <= low_deg + 360, got low_deg = "
                             f"{self.low_deg!r}, high_deg = {self.high_deg!r}")
        if self.estimate and not (self.basis or "").strip():
            raise ValueError("an estimated band needs its basis: how it was derived")
        return self


class TestRangeRecord(_Strict):
    """A test range (test_ranges.toml): where it is (its own coordinates, or ``site``, a sites.toml entry),
    who runs it, and the band of launch azimuths into its sea or impact area where one is published or derived."""

    __test__ = False  # a record, not a pytest test class

    name: str
    aliases: list[str] = []
    kind: Literal[TEST_RANGE_KINDS]
    operator: str
    country: str
    summary: str
    site: str | None = None
    latitude_deg: Value | None = None
    longitude_deg: Value | None = None
    height_m: Value | None = None
    launch_azimuth_deg: AzimuthBand | None = None

    @model_validator(mode="after")
    def _placed(self):
        own = (self.latitude_deg is not None, self.longitude_deg is not None)
        if self.site is not None and any(own):
            raise ValueError("give either site (a sites.toml entry) or latitude_deg and longitude_deg, not both")
        if self.site is None and not all(own):
            raise ValueError("give latitude_deg and longitude_deg (or site, the name of a sites.toml entry)")
        for name, bound in (("latitude_deg", "latitude_deg"), ("longitude_deg", "longitude_deg"), ("height_m", "height_m")):
            value = getattr(self, name)
            if value is not None and not limits.bound(bound).inside(value.value):
                raise ValueError(limits.bound(bound).message(value.value, name))
        return self


@dataclass(frozen=True)
class TestRange:
    """A test range of the catalog: its position (WGS-84 degrees, metres above the ellipsoid), the band of
    launch azimuths into its sea or impact area as (low, high) degrees from north (``high`` may pass 360)
    or None where none is stated, and the full citations of its values."""

    __test__ = False  # a record, not a pytest test class

    name: str
    latitude_deg: float
    longitude_deg: float
    height_m: float
    azimuth_band_deg: tuple[float, float] | None
    country: str
    sources: tuple[str, ...]
    kind: str = "test-range"
    operator: str = ""
    summary: str = ""

    @property
    def site(self) -> Site:
        """The range's position as an :class:`~shieldcheck.earth.Site` (a launch point for the flight model)."""
        return Site(self.name, self.latitude_deg, self.longitude_deg, self.height_m)


def _glide_model(record: GlideRecord | None) -> GlideModel | None:
    if record is None:
        return None
    guidance = {name: getattr(record, name).value for name in (*GUIDED_GLIDE_FIELDS, "arrival_speed_m_s")
                if getattr(record, name) is not None}
    return GlideModel(record.law, record.lift_to_drag_ratio.value, **guidance)


def _key(name: str) -> str:
    return re.sub(r"[\s_\-()/.]", "", str(name).lower())


def _values(record: BaseModel):
    """Every cited Value inside a record (depth first)."""
    for name in type(record).model_fields:
        item = getattr(record, name)
        items = item if isinstance(item, list) else [item]
        for sub in items:
            if isinstance(sub, Value):
                yield sub
            elif isinstance(sub, BaseModel):
                yield from _values(sub)


def _read(path: Path) -> tuple[dict, tomlfile.Located]:
    """A catalog file's document and where its keys are (file and line for every message)."""
    return tomlfile.read(path, "catalog file")


def validated(model, raw: dict, found: tomlfile.Located, loc: tuple):
    """``raw`` (the table at key path ``loc`` of the file ``found``) as a ``model`` record, or one line naming the
    file, line, key path, the record's name where it has one, the value and what pydantic refused (every catalog
    file's loader uses it: ``catalog.constellations`` too)."""
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        key = ".".join(str(p) for p in first["loc"])
        value = first.get("input")
        shown = repr(value) if not isinstance(value, dict) else "{...}"
        named = f" ({raw['name']!r})" if isinstance(raw, dict) and isinstance(raw.get("name"), str) else ""
        where = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc).lstrip(".")
        if not key:  # a check of the whole record (a model validator): no one key to show
            raise InputError(f"{found.where(loc)}: {where}{named}: {first['msg'].removeprefix('Value error, ')}") from None
        raise InputError(f"{found.where(loc + tuple(first['loc']))}: {where}{named}.{key} = {shown}: "
                         f"{first['msg']}") from None


def _check_launch_area(record: SiteRecord, path: Path, sources) -> None:
    """The shape of a site's launch area: a plausible radius or a simple polygon, cited.

    Whether the area has land (or sea) in it is checked where its shape is built, in
    :mod:`shieldcheck.launch_areas`, so that loading the catalog needs no country shapes.
    """
    import shapely  # only for a site with a launch area

    area = record.launch_area
    where = f"{path}: site {record.name!r}: launch_area"
    if (area.radius_km is None) == (area.polygon is None):
        raise InputError(f"{where}: give exactly one of radius_km and polygon (a disc round the site's point, "
                         "or an outline)")
    cited = area.radius_km or area.polygon
    for key in [cited.source, *(area.radius_km.spread_sources if area.radius_km else [])]:
        if key not in sources:
            raise InputError(f"{where}: {limits.not_allowed('source', key, sources, see='sources.toml')}")
    if area.radius_km is not None:
        r = area.radius_km
        for key in ("value", "low", "high"):
            v = getattr(r, key)
            if not (math.isfinite(v) and limits.bound("dispersal_km").inside(v)):
                raise InputError(limits.bound("dispersal_km").message(v, f"{where}.radius_km.{key}"))
        if not r.low <= r.value <= r.high:
            raise InputError(f"{where}.radius_km = {r.value!r}: allowed low <= value <= high, "
                             f"got {r.low!r} <= {r.value!r} <= {r.high!r}")
        return
    vertices = area.polygon.vertices_deg
    for j, (lat, lon) in enumerate(vertices):
        for bound, value, field in (("latitude_deg", lat, "latitude_deg"),
                                    ("outline_longitude_deg", lon, "longitude_deg")):
            if not (math.isfinite(value) and limits.bound(bound).inside(value)):
                raise InputError(limits.bound(bound).message(value, f"{where}.polygon.vertices_deg[{j + 1}] {field}"))
    distinct = list(dict.fromkeys(vertices))
    if len(distinct) < 3:
        raise InputError(f"{where}.polygon.vertices_deg = {len(distinct)} distinct vertices: allowed a polygon of "
                         "at least 3 [latitude, longitude] vertices")
    lat_deg = [v[0] for v in vertices]
    lon_deg = np.unwrap([v[1] for v in vertices], period=360.0)  # an outline may cross the antimeridian
    ring = shapely.Polygon(list(zip(lon_deg, lat_deg)))
    if not ring.is_valid:
        reason = shapely.is_valid_reason(ring)
        raise InputError(f"{where}.polygon.vertices_deg: the outline crosses itself ({reason}, as longitude, "
                         "latitude): allowed a simple polygon, vertices in order round its edge")


class Catalog:
    """All records of one data directory, with name lookup and cross-checks."""

    def __init__(self, directory: Path):
        directory = Path(str(directory))
        self.directory = directory
        self._aliases: dict = {}  # (table, normalised name or alias) -> catalog name
        self.missiles, self.sites, self.interceptors, self.sensors, self.deterrents = {}, {}, {}, {}, {}
        self.test_ranges: dict = {}
        raw_sources, found = _read(directory / "sources.toml")
        self.sources = {k: validated(SourceRecord, v, found, ("source", k))
                        for k, v in raw_sources.get("source", {}).items()}
        self.drag = {}
        raw_drag, found = _read(directory / "drag.toml")
        for i, raw in enumerate(raw_drag.get("drag_table", [])):
            record = validated(DragRecord, raw, found, ("drag_table", i))
            self._check_source(record.source, directory / "drag.toml", f"drag_table {record.name!r}")
            self.drag[record.name] = record
        self.missiles = self._named(MissileRecord, directory / "missiles.toml", "missile")
        self.sites = self._named(SiteRecord, directory / "sites.toml", "site")
        self.interceptors = self._named(InterceptorRecord, directory / "interceptors.toml", "interceptor")
        self.sensors = self._named(SensorRecord, directory / "sensors.toml", "sensor")
        if (directory / "deterrents.toml").is_file():  # optional in a user's catalog directory
            self.deterrents = self._named(DeterrentRecord, directory / "deterrents.toml", "deterrent")
            for record in self.deterrents.values():
                for item in record.cited():
                    self._check_source(item.source, directory / "deterrents.toml", f"deterrent {record.name!r}")
        if (directory / TEST_RANGES_FILE).is_file():  # optional in a user's catalog directory
            self.test_ranges = self._named(TestRangeRecord, directory / TEST_RANGES_FILE, "test_range")
            for record in self.test_ranges.values():
                if record.launch_azimuth_deg is not None:
                    self._check_source(record.launch_azimuth_deg.source, directory / TEST_RANGES_FILE,
                                       f"test_range {record.name!r}")
                if record.site is not None:
                    try:
                        self.find("site", record.site)
                    except InputError:
                        raise InputError(f"{directory / TEST_RANGES_FILE}: test_range {record.name!r}: "
                                         f"{limits.not_allowed('site', record.site, self.sites, see='sites.toml')}") from None
        self.intercept_tests: tuple[InterceptTestRecord, ...] = ()
        self.intercept_tallies: tuple[TallyRecord, ...] = ()
        if (directory / INTERCEPT_TESTS_FILE).is_file():  # optional in a user's catalog directory
            self.intercept_tests, self.intercept_tallies = self._intercept_tests(directory / INTERCEPT_TESTS_FILE)
        for record in self.interceptors.values():
            if record.payload.drag_table not in self.drag:
                raise InputError(f"{directory / 'interceptors.toml'}: interceptor {record.name!r}: "
                                 f"{limits.not_allowed('drag_table', record.payload.drag_table, self.drag, see='drag.toml')}")
        for record in self.sensors.values():
            if record.site is not None:
                try:
                    self.find("site", record.site)
                except InputError:
                    raise InputError(f"{directory / 'sensors.toml'}: sensor {record.name!r}: "
                                     f"{limits.not_allowed('site', record.site, self.sites, see='sites.toml')}") from None
        for record in self.missiles.values():
            for table in (record.reentry_vehicle.drag_table, record.body.drag_table):
                if table not in self.drag:
                    raise InputError(f"{directory / 'missiles.toml'}: missile {record.name!r}: "
                                     f"{limits.not_allowed('drag_table', table, self.drag, see='drag.toml')}")

    def _intercept_tests(self, path: Path) -> tuple[tuple[InterceptTestRecord, ...], tuple[TallyRecord, ...]]:
        """The intercept test records and published tallies of ``path``, each interceptor resolved to its
        catalog name; a bad row is one InputError naming file, line, key, value and what is allowed."""
        document, found = _read(path)
        tables = {"intercept_test": InterceptTestRecord, "tally": TallyRecord}
        for key in document:
            if key not in tables:
                raise InputError(f"{found.where((key,))}: {limits.not_allowed('table', key, tables)}")
        out: dict[str, list] = {"intercept_test": [], "tally": []}
        seen: dict[tuple, int] = {}
        for table, model in tables.items():
            for i, raw in enumerate(document.get(table, [])):
                loc = (table, i)
                record = validated(model, raw, found, loc)
                if record.source not in self.sources:
                    raise InputError(f"{found.where(loc + ('source',))}: "
                                     f"{limits.not_allowed(f'{table}[{i}].source', record.source, self.sources, see='sources.toml')}")
                if table == "intercept_test":
                    name = self._resolved("interceptor", record.interceptor, found, loc + ("interceptor",),
                                          f"{table}[{i}].interceptor")
                    record = record.model_copy(update={"interceptor": name})
                    key = (record.date, record.test.lower(), name)
                    if key in seen:
                        raise InputError(f"{found.where(loc)}: {table}[{i}] ({record.test!r}, {record.date}, {name}) "
                                         f"repeats {table}[{seen[key]}]: one row per test and interceptor")
                    seen[key] = i
                else:
                    names = [self._resolved("interceptor", n, found, loc + ("interceptors", j),
                                            f"{table}[{i}].interceptors[{j}]") for j, n in enumerate(record.interceptors)]
                    record = record.model_copy(update={"interceptors": names})
                out[table].append(record)
        return tuple(out["intercept_test"]), tuple(out["tally"])

    def _resolved(self, table: str, name, found: tomlfile.Located, loc: tuple, key: str) -> str:
        """The catalog name of ``name`` (a ``table`` record), or one InputError naming file, line and key."""
        try:
            return self.find(table, name)
        except InputError as error:
            raise InputError(f"{found.where(loc)}: {key} = {name!r}: {error}") from None

    def _check_source(self, key: str, path: Path, where: str) -> None:
        if key not in self.sources:
            raise InputError(f"{path}: {where}: {limits.not_allowed('source', key, self.sources, see='sources.toml')}")

    def _named(self, model, path: Path, table: str) -> dict:
        records: dict = {}
        document, found = _read(path)
        for i, raw in enumerate(document.get(table, [])):
            record = validated(model, raw, found, (table, i))
            for value in _values(record):
                self._check_source(value.source, path, f"{table} {record.name!r}")
            band = getattr(record, "burnout_speed_band_km_s", None)
            if band is not None:
                self._check_source(band.source, path, f"{table} {record.name!r}")
            for count in (getattr(record, "warheads", None), getattr(record, "submunitions_per_warhead", None)):
                if count is not None:
                    self._check_source(count.source, path, f"{table} {record.name!r}")
            if getattr(record, "launch_area", None) is not None:
                _check_launch_area(record, path, self.sources)
            glide = getattr(record, "glide", None)
            if glide is not None:
                if glide.lift_to_drag_ratio_band is not None:
                    self._check_source(glide.lift_to_drag_ratio_band.source, path, f"{table} {record.name!r}")
                try:
                    _glide_model(glide).check(f"{table} {record.name!r}")
                except InputError as error:
                    raise InputError(f"{path}: {error}") from None
            for alias in [record.name, *record.aliases]:
                key = (table, _key(alias))
                if key in self._aliases and self._aliases[key] != record.name:
                    raise InputError(f"{path}: {table} name {alias!r} is used twice "
                                     f"({self._aliases[key]!r} and {record.name!r})")
                self._aliases[key] = record.name
            records[record.name] = record
        return records

    def find(self, table: str, name: str, field: str | None = None) -> str:
        """The catalog name of a record of a kind, by name or alias (case-insensitive); ``field``: how an
        error names the input (default: the kind)."""
        field = field or table
        if not isinstance(name, str) or not name.strip():
            kind = table.replace("_", " ")
            raise InputError(f"{field} = {limits.shown(name)}: give the name of one of the catalog's {kind}s "
                             f"(a non-empty string; see `shieldcheck catalog {table.replace('_', '-')}s`)")
        try:
            return self._aliases[(table, _key(name))]
        except KeyError:
            names = {"missile": self.missiles, "site": self.sites, "interceptor": self.interceptors,
                     "sensor": self.sensors, "deterrent": self.deterrents, "test_range": self.test_ranges}[table]
            see = "`shieldcheck catalog test-ranges`" if table == "test_range" else f"`shieldcheck catalog {table}s`"
            raise limits.not_allowed(field, name, names, see=see) from None

    def with_value(self, table: str, name: str, field: tuple[str, ...], value: float) -> Catalog:
        """A copy of this catalog with one number of one record replaced (the uncertainty sweep's case):
        ``table`` one of missile, interceptor, sensor, site; ``field`` the path to the number inside the
        record (``("kill_vehicle", "divert_km_s")``; for a site, ``("launch_area", "radius_km")``). The
        objects built from the copy (``interceptor()``, ``sensor()``, ...) carry the new value; the
        value's source, estimate flag and range stay those of the catalog."""
        records = {"missile": "missiles", "interceptor": "interceptors", "sensor": "sensors", "site": "sites"}[table]

        def replaced(item, path):
            if not path:
                return item.model_copy(update={"value": float(value)})
            return item.model_copy(update={path[0]: replaced(getattr(item, path[0]), path[1:])})

        key = self.find(table, name)
        copy = object.__new__(Catalog)
        copy.__dict__.update(self.__dict__)
        setattr(copy, records, {**getattr(self, records), key: replaced(getattr(self, records)[key], tuple(field))})
        return copy

    def citations(self, keys) -> list[str]:
        """Full citations for source keys, in first-use order."""
        return [self.sources[k].citation + (f" <{self.sources[k].url}>" if self.sources[k].url else "")
                for k in dict.fromkeys(keys)]

    def source_key(self, citation: str) -> str:
        """The sources.toml key of a full citation as :meth:`citations` writes it: the way back from an
        output's text (a flight's ``sources``) to the entry a reader can look up."""
        if "_by_citation" not in self.__dict__:
            self._by_citation = {self.citations([key])[0]: key for key in self.sources}
        try:
            return self._by_citation[citation]
        except KeyError:
            raise InputError(f"citation {citation[:60]!r}... is not an entry of sources.toml") from None

    def record_sources(self, table: str, name: str) -> list[str]:
        """The source keys a catalog record cites, in first-use order: each value's, a missile's or an
        interceptor's drag tables', a site's launch area's, a test range's site and azimuth band. ``table``: missile,
        interceptor, sensor, site, test_range."""
        record = {"missile": self.missiles, "interceptor": self.interceptors, "sensor": self.sensors,
                  "site": self.sites, "test_range": self.test_ranges}[table][self.find(table, name)]
        keys = [v.source for v in _values(record)]
        if table == "test_range":
            if record.site is not None:
                keys = self.record_sources("site", record.site) + keys
            if record.launch_azimuth_deg is not None:
                keys.append(record.launch_azimuth_deg.source)
        if table == "missile":
            keys += [self.drag[record.reentry_vehicle.drag_table].source, self.drag[record.body.drag_table].source]
        elif table == "interceptor":
            keys += [self.drag[record.payload.drag_table].source]
        elif table == "site" and record.launch_area is not None:
            area = record.launch_area
            keys += [area.polygon.source] if area.polygon else [area.radius_km.source, *area.radius_km.spread_sources]
        return list(dict.fromkeys(keys))

    def missile(self, name: str) -> Missile:
        """The :class:`~shieldcheck.vehicles.Missile` of a catalog name or alias."""
        record = self.missiles[self.find("missile", name)]

        def table(key):
            t = self.drag[key]
            return DragTable(t.name, tuple(t.mach), tuple(t.cd))

        stages = tuple(
            Stage(s.gross_mass_kg.value, s.propellant_mass_kg.value, s.burn_time_s.value, s.isp_vacuum_s.value,
                  (s.isp_sea_level_s or s.isp_vacuum_s).value, s.diameter_m.value,
                  s.coast_after_s.value if s.coast_after_s else 0.0)
            for s in record.stage)
        keys = self.record_sources("missile", record.name)
        orbital = None
        if record.deorbit is not None:
            orbital = FractionalOrbit(record.orbit.perigee_altitude_km.value * 1e3, record.deorbit.delta_v_m_s.value,
                                      record.deorbit.burn_time_s.value)
        try:
            missile = Missile(record.name, stages, record.payload_mass_kg.value, record.reentry_vehicle.mass_kg.value,
                              record.reentry_vehicle.diameter_m.value, table(record.reentry_vehicle.drag_table),
                              table(record.body.drag_table), record.guidance.vertical_rise_s.value,
                              record.guidance.pitch_over_s.value, tuple(self.citations(keys)), orbital=orbital,
                              glide=_glide_model(record.glide))
            if record.scale is not None and record.scale.value != 1.0:  # a sweep's case (with_value) scales it
                missile = with_isp_scale(missile, record.scale.value)
            return missile
        except InputError as error:
            raise InputError(f"{self.directory / 'missiles.toml'}: {error}") from None

    def _table(self, key: str) -> DragTable:
        t = self.drag[key]
        return DragTable(t.name, tuple(t.mach), tuple(t.cd))

    def interceptor(self, name: str) -> Interceptor:
        """The :class:`~shieldcheck.vehicles.Interceptor` of a catalog name or alias."""
        record = self.interceptors[self.find("interceptor", name)]
        stages = tuple(
            Stage(s.gross_mass_kg.value, s.propellant_mass_kg.value, s.burn_time_s.value, s.isp_vacuum_s.value,
                  (s.isp_sea_level_s or s.isp_vacuum_s).value, s.diameter_m.value,
                  s.coast_after_s.value if s.coast_after_s else 0.0)
            for s in record.stage)
        keys = self.record_sources("interceptor", record.name)
        table = self._table(record.payload.drag_table)
        try:
            vehicle = Missile(record.name, stages, record.payload.mass_kg.value, record.payload.mass_kg.value,
                              record.payload.diameter_m.value, table, table, record.guidance.vertical_rise_s.value,
                              record.guidance.pitch_over_s.value, tuple(self.citations(keys)))
            return Interceptor(vehicle, record.min_intercept_altitude_km.value * 1e3,
                               record.max_intercept_altitude_km.value * 1e3, record.burnout_speed_km_s.value * 1e3)
        except InputError as error:
            raise InputError(f"{self.directory / 'interceptors.toml'}: {error}") from None

    def kill_vehicle(self, name: str) -> KillVehicle | None:
        """The endgame limits of an interceptor's kill vehicle, with its operational range; only the range
        where the catalog states no kill vehicle; None where it states neither (reach only)."""
        record = self.interceptors[self.find("interceptor", name)]
        kv = record.kill_vehicle
        if kv is None:
            return KillVehicle.range_only(record.name, record.max_range_km.value * 1e3) if record.max_range_km else None
        return KillVehicle(record.name, kv.min_closing_speed_km_s.value * 1e3, kv.max_closing_speed_km_s.value * 1e3,
                           kv.max_crossing_angle_deg.value, kv.divert_km_s.value * 1e3, kv.time_to_go_s.value,
                           record.max_range_km.value * 1e3 if record.max_range_km else math.inf)

    def sensor(self, name: str) -> Radar | InfraredWarning:
        """A catalog sensor: a :class:`~shieldcheck.sensors.Radar` or an infrared warning."""
        record = self.sensors[self.find("sensor", name)]
        try:
            if record.kind == "infrared-satellite":
                return InfraredWarning(record.name, record.detection_delay_s.value, record.track_time_s.value)
            site = self.site(record.site)
            if record.height_m is not None:
                site = Site(site.name, site.latitude_deg, site.longitude_deg, record.height_m.value)
            measured = {name: getattr(record, name).value for name in Radar.MEASUREMENT_FIELDS + Radar.BIAS_FIELDS
                        if getattr(record, name) is not None}
            return Radar(record.name, site, record.boresight_azimuth_deg.value, record.azimuth_half_width_deg.value,
                         record.min_elevation_deg.value, record.max_elevation_deg.value,
                         record.reference_range_km.value, record.reference_rcs_m2.value, record.track_time_s.value,
                         **measured)
        except InputError as error:
            raise InputError(f"{self.directory / 'sensors.toml'}: {error}") from None

    def site(self, name: str) -> Site:
        """A catalog site by name or alias, or an ad hoc site from ``"LAT,LON"`` in degrees."""
        if not isinstance(name, str):
            raise InputError(f"site = {name!r}: give a catalog site name or 'LAT,LON' in degrees")
        text = name.strip()
        if re.fullmatch(r"[-+\d.eE\s]+,[-+\d.eE\s]+", text):
            try:
                lat, lon = (float(part) for part in text.split(","))
            except ValueError:
                raise InputError(f"site {text!r}: expected LAT,LON in degrees, e.g. 55.75,37.62") from None
            return Site(text, lat, lon, 0.0)
        if "," in text:
            raise InputError(f"site {text!r}: expected LAT,LON in degrees (two numbers), e.g. 55.75,37.62")
        record = self.sites[self.find("site", text)]
        height = record.height_m.value if record.height_m else 0.0
        return Site(record.name, record.latitude_deg.value, record.longitude_deg.value, height)

    def site_sources(self, name: str) -> list[str]:
        """Citations of a catalog site's coordinates and launch area ([] for ad hoc coordinates)."""
        try:
            return self.citations(self.record_sources("site", name))
        except InputError:
            return []


    def test_range(self, name: str) -> TestRange:
        """A catalog test range by name or alias (``"PMRF"``, ``"Kwajalein"``); a range placed at a sites.toml
        entry takes that site's position."""
        record = self.test_ranges[self.find("test_range", name)]
        if record.site is not None:
            place = self.site(record.site)
            latitude_deg, longitude_deg, height_m = place.latitude_deg, place.longitude_deg, place.height_m
        else:
            latitude_deg, longitude_deg = record.latitude_deg.value, record.longitude_deg.value
            height_m = record.height_m.value if record.height_m else 0.0
        band = record.launch_azimuth_deg
        return TestRange(record.name, latitude_deg, longitude_deg, height_m,
                         (band.low_deg, band.high_deg) if band is not None else None, record.country,
                         tuple(self.citations(self.record_sources("test_range", record.name))),
                         record.kind, record.operator, record.summary)


@functools.lru_cache(maxsize=None)
def load(directory: str | None = None) -> Catalog:
    """The catalog of a data directory (default: the built-in one), loaded once."""
    return Catalog(Path(str(directory)) if directory else Path(str(DATA)))


def missile(name: str) -> Missile:
    """A missile of the built-in catalog by name or alias (``"Shahab-3"``, ``"SS-27"``)."""
    return load().missile(name)


def site(name: str) -> Site:
    """A site of the built-in catalog by name or alias, or ``"LAT,LON"`` in degrees."""
    return load().site(name)


def interceptor(name: str) -> Interceptor:
    """An interceptor of the built-in catalog by name or alias (``"SM-3 IIA"``)."""
    return load().interceptor(name)


def kill_vehicle(name: str) -> KillVehicle | None:
    """The endgame limits of a built-in interceptor's kill vehicle (None where it has none)."""
    return load().kill_vehicle(name)


def sensor(name: str) -> Radar | InfraredWarning:
    """A sensor of the built-in catalog by name or alias (``"AN/TPY-2 Kurecik"``)."""
    return load().sensor(name)


def test_ranges() -> tuple[TestRange, ...]:
    """Every test range of the built-in catalog, in file order."""
    cat = load()
    return tuple(cat.test_range(name) for name in cat.test_ranges)


def test_range(name: str) -> TestRange:
    """A test range of the built-in catalog by name or alias (``"PMRF"``, ``"Sary Shagan"``); an unknown name is
    one line naming the allowed ones."""
    return load().test_range(name)


test_ranges.__test__ = test_range.__test__ = False  # catalog functions, not pytest tests


# Range classes of ballistic missiles, by maximum range (km): the US definitions. A class's upper bound
# belongs to it ("ICBM range (greater than 5,500 km)", RUMSFELD98); the bounds and their sources:
RANGE_CLASSES = (
    ("SRBM", 1_000.0),  # short range: up to 1,000 km (CRS24_BMD: "300-1,000 km")
    ("MRBM", 3_000.0),  # medium range: 1,000-3,000 km (MDA_CLASSES)
    ("IRBM", 5_500.0),  # intermediate range: 3,000-5,500 km (MDA_CLASSES; USNATO16 "between 3,000-5,500 km")
    ("ICBM", math.inf),  # intercontinental: greater than 5,500 km (RUMSFELD98)
)
RANGE_CLASS_SOURCES = ("CRS24_BMD", "MDA_CLASSES", "USNATO16", "RUMSFELD98")


def range_class(range_km: float) -> str:
    """The US range class (SRBM, MRBM, IRBM, ICBM) of a maximum range in km: SRBM up to 1,000 km, MRBM
    to 3,000, IRBM to 5,500, ICBM beyond (``RANGE_CLASSES``; each class includes its upper bound).

    A class of range, not of role: an SLBM that flies 8,000 km is of intercontinental range."""
    if isinstance(range_km, bool) or not isinstance(range_km, (int, float)) or math.isnan(range_km) or range_km <= 0:
        raise InputError(f"range_km = {range_km!r}: give a maximum range in km, a positive number")
    return next(name for name, upper_km in RANGE_CLASSES if range_km <= upper_km)


def range_check_site(record: MissileRecord) -> str:
    """The launch site from which a missile's maximum range is compared with its published range.

    Iranian missiles from Semnan, North Korean from Pyongyang, Russian ICBMs from Teykovo, SLBMs from the
    Barents Sea patrol point (the stated rule of ``tools/calibrate_catalog.py`` and the range tests).
    """
    if record.country == "Iran":
        return "Semnan"
    if record.country == "North Korea":
        return "Pyongyang"
    if record.role == "SLBM":
        return "Barents Sea patrol point"
    return "Teykovo"


def missile_record(name: str) -> MissileRecord:
    """The full cited record of a missile (published range, derivation, every source)."""
    cat = load()
    return cat.missiles[cat.find("missile", name)]
