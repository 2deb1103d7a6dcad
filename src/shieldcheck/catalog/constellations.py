"""The catalog's constellations of space-based interceptors (``catalog/data/constellations.toml``).

Each ``[[constellation]]`` is a Walker delta pattern (``pattern = "walker-delta"``: satellites, planes,
phasing, altitude_km, inclination_deg) or a list of circular orbits (``pattern = "orbits"`` with
``[[constellation.orbit]]`` entries), and a ``[constellation.carrier]`` with its interceptor, delays and
``[constellation.carrier.kill_vehicle]``. Every value is cited as in the rest of the catalog; a file
value out of its bound (``shieldcheck.constellation.BOUNDS``: an orbit below 150 km or above the
geostationary altitude, an inclination outside 0-180 deg, no satellite, a negative delay, ...) or one
that is not a finite number is one :class:`~shieldcheck.errors.InputError` naming file, line, key, value
and what is allowed.

    >>> from shieldcheck.catalog import constellations
    >>> len(constellations.constellation("APS-2003-like"))
    1600
"""

from __future__ import annotations

import functools
import math
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from .. import limits, tomlfile
from ..constellation import BOUNDS, Carrier, Constellation, checked
from ..errors import InputError
from ..vehicles import KillVehicle
from . import DATA, KillVehicleRecord, Ranged, Value, validated
from . import load as load_catalog

FILE = "constellations.toml"


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OrbitRecord(_Record):
    """One circular orbit of an explicit list, at the constellation's epoch."""

    altitude_km: float = Field(allow_inf_nan=False)
    inclination_deg: float = Field(allow_inf_nan=False)
    raan_deg: float = Field(allow_inf_nan=False)
    argument_of_latitude_deg: float = Field(allow_inf_nan=False)
    source: str
    estimate: StrictBool
    note: str | None = None


class CarrierRecord(_Record):
    name: str
    delta_v_km_s: Ranged
    burn_time_s: Ranged
    decision_delay_s: Ranged
    launch_delay_s: Ranged
    min_intercept_altitude_km: Ranged
    kill_vehicle: KillVehicleRecord | None = None


class ConstellationRecord(_Record):
    name: str
    aliases: list[str] = []
    summary: str
    pattern: Literal["walker-delta", "orbits"]
    satellites: Value | None = None
    planes: Value | None = None
    phasing: Value | None = None
    altitude_km: Value | None = None
    inclination_deg: Value | None = None
    raan_spread_deg: Value | None = None
    orbit: list[OrbitRecord] = []
    carrier: CarrierRecord


WALKER_FIELDS = ("satellites", "planes", "phasing", "altitude_km", "inclination_deg")


def _checked_record(record: ConstellationRecord, found: tomlfile.Located, i: int, sources) -> None:
    """Every bound of ``BOUNDS`` on the file's values, and every source key, with file and line."""
    base = ("constellation", i)
    owner = f"constellation {record.name!r}"

    def check(loc: tuple, name: str, value, whole: bool = False):
        try:
            checked(owner, name, value, whole)
        except InputError as error:
            raise InputError(f"{found.where(base + loc)}: {error}") from None

    def cited(loc: tuple, key: str):
        if key not in sources:
            raise InputError(f"{found.where(base + loc)}: {owner}: "
                             f"{limits.not_allowed('source', key, sources, see='sources.toml')}")

    if record.pattern == "walker-delta":
        missing = [name for name in WALKER_FIELDS if getattr(record, name) is None]
        if missing:
            raise InputError(f"{found.where(base)}: {owner}: a walker-delta pattern needs {', '.join(missing)}")
        if record.orbit:
            raise InputError(f"{found.where(base + ('orbit',))}: {owner}: a walker-delta pattern takes no "
                             "[[constellation.orbit]] entries (pattern = \"orbits\" does)")
        for name in WALKER_FIELDS:
            value = getattr(record, name).value
            if name in ("satellites", "planes"):
                check((name, "value"), name, value, whole=True)
            elif name != "phasing":
                check((name, "value"), name, value)
        planes, phasing = record.planes.value, record.phasing.value
        if not (float(phasing) == int(phasing) and 0 <= phasing < planes):
            raise InputError(f"{found.where(base + ('phasing', 'value'))}: {owner}: phasing = {phasing!r} is not "
                             f"allowed; allowed: a whole number from 0 to planes - 1 = {int(planes) - 1}")
        if int(record.satellites.value) % int(planes):
            raise InputError(f"{found.where(base + ('satellites', 'value'))}: {owner}: satellites = "
                             f"{int(record.satellites.value)} is not a multiple of planes = {int(planes)}; a Walker "
                             "pattern has the same number of satellites in every plane")
        if record.raan_spread_deg is not None:
            check(("raan_spread_deg", "value"), "raan_spread_deg", record.raan_spread_deg.value)
    else:
        if not record.orbit:
            raise InputError(f"{found.where(base)}: {owner}: satellites = 0: pattern = \"orbits\" needs at least one "
                             "[[constellation.orbit]] entry")
        given = [name for name in (*WALKER_FIELDS, "raan_spread_deg") if getattr(record, name) is not None]
        if given:
            raise InputError(f"{found.where(base + (given[0],))}: {owner}: {given[0]} belongs to a walker-delta "
                             "pattern, not to a list of orbits")
        for j, orbit in enumerate(record.orbit):
            check(("orbit", j, "altitude_km"), "altitude_km", orbit.altitude_km)
            check(("orbit", j, "inclination_deg"), "inclination_deg", orbit.inclination_deg)
            cited(("orbit", j, "source"), orbit.source)
    carrier = record.carrier
    for name in ("delta_v_km_s", "burn_time_s", "decision_delay_s", "launch_delay_s", "min_intercept_altitude_km"):
        item = getattr(carrier, name)
        for part in ("value", "low", "high"):
            check(("carrier", name, part), name, getattr(item, part))
        cited(("carrier", name, "source"), item.source)
    for name in WALKER_FIELDS + ("raan_spread_deg",):
        item = getattr(record, name)
        if item is not None:
            cited((name, "source"), item.source)
    if carrier.kill_vehicle is not None:
        for name in type(carrier.kill_vehicle).model_fields:
            cited(("carrier", "kill_vehicle", name, "source"), getattr(carrier.kill_vehicle, name).source)


@functools.lru_cache(maxsize=None)
def load(directory: str | None = None) -> dict[str, ConstellationRecord]:
    """The constellation records of a catalog data directory (default: the built-in one), by name, checked."""
    folder = Path(str(directory)) if directory else Path(str(DATA))
    path = folder / FILE
    sources = load_catalog(directory).sources
    document, found = tomlfile.read(path, "catalog file")
    records: dict[str, ConstellationRecord] = {}
    for i, raw in enumerate(document.get("constellation", [])):
        record = validated(ConstellationRecord, raw, found, ("constellation", i))
        _checked_record(record, found, i, sources)
        for alias in [record.name, *record.aliases]:
            other = next((r.name for r in records.values() if _key(alias) in map(_key, [r.name, *r.aliases])), None)
            if other is not None:
                raise InputError(f"{found.where(('constellation', i, 'name'))}: constellation name {alias!r} is used "
                                 f"twice ({other!r} and {record.name!r})")
        records[record.name] = record
    return records


def _key(name: str) -> str:
    return "".join(ch for ch in str(name).lower() if ch.isalnum())


def names(directory: str | None = None) -> list[str]:
    return list(load(directory))


def record(name: str, directory: str | None = None) -> ConstellationRecord:
    """The cited record of a catalog constellation, by name or alias (case, spaces and hyphens ignored)."""
    records = load(directory)
    if not isinstance(name, str) or not name.strip():
        raise InputError(f"constellation = {name!r}: give the name of a catalog constellation ({', '.join(records)})")
    for item in records.values():
        if _key(name) in map(_key, [item.name, *item.aliases]):
            return item
    raise limits.not_allowed("constellation", name, records, see="catalog/data/constellations.toml")


def record_sources(name: str, directory: str | None = None) -> list[str]:
    """The source keys a constellation record cites, in first-use order."""
    item = record(name, directory)
    keys = [getattr(item, f).source for f in (*WALKER_FIELDS, "raan_spread_deg") if getattr(item, f) is not None]
    keys += [orbit.source for orbit in item.orbit]
    c = item.carrier
    keys += [getattr(c, f).source for f in ("delta_v_km_s", "burn_time_s", "decision_delay_s", "launch_delay_s",
                                            "min_intercept_altitude_km")]
    if c.kill_vehicle is not None:
        keys += [getattr(c.kill_vehicle, f).source for f in type(c.kill_vehicle).model_fields]
    return list(dict.fromkeys(keys))


def carrier(name: str, directory: str | None = None) -> Carrier:
    """The :class:`~shieldcheck.constellation.Carrier` of a catalog constellation."""
    c = record(name, directory).carrier
    kv = c.kill_vehicle
    kill_vehicle = None if kv is None else KillVehicle(
        c.name, kv.min_closing_speed_km_s.value * 1e3, kv.max_closing_speed_km_s.value * 1e3,
        kv.max_crossing_angle_deg.value, kv.divert_km_s.value * 1e3, kv.time_to_go_s.value, math.inf)
    return Carrier(c.name, c.delta_v_km_s.value * 1e3, c.burn_time_s.value, c.decision_delay_s.value,
                   c.launch_delay_s.value, c.min_intercept_altitude_km.value * 1e3, kill_vehicle)


def constellation(name: str, directory: str | None = None) -> Constellation:
    """The :class:`~shieldcheck.constellation.Constellation` of a catalog name or alias, its satellites at the
    epoch of the pattern (node of the first plane at 0 deg), with the full citations of its values."""
    item = record(name, directory)
    citations = tuple(load_catalog(directory).citations(record_sources(name, directory)))
    carried = carrier(name, directory)
    if item.pattern == "walker-delta":
        spread = item.raan_spread_deg.value if item.raan_spread_deg is not None else 360.0
        return Constellation.walker_delta(item.name, item.altitude_km.value * 1e3, item.inclination_deg.value,
                                          int(item.satellites.value), int(item.planes.value), int(item.phasing.value),
                                          carried, raan_spread_deg=spread, sources=citations)
    orbits = item.orbit
    return Constellation.from_orbits(item.name, [o.altitude_km * 1e3 for o in orbits],
                                     [o.inclination_deg for o in orbits], [o.raan_deg for o in orbits],
                                     [o.argument_of_latitude_deg for o in orbits], carried, sources=citations)


__all__ = ["BOUNDS", "CarrierRecord", "ConstellationRecord", "OrbitRecord", "carrier", "constellation", "load",
           "names", "record", "record_sources"]
