"""Defended-area footprints: which aim points of a region the sites of a phase can defend.

For one phase of a scenario (or some of its sites), a threat launch area and a missile, the
footprint is the set of aim points on a grid over a region (Europe, the US, or a latitude and
longitude box) whose flights the phase's sites can engage, with its area and the catalog's
cities inside it. Turned round, with a Russian base as the launch area and the US as the region,
the same footprint is the "deterrent exposure": the US aim points whose flights a site in
Europe could engage.

Method (every approximation is listed in :attr:`Footprint.assumptions`):

1. *Steering.* Minimum-energy steering (``aiming.solve_each``) is solved for ``STEERING_RANGES``
   ranges along the fan's central bearing, from the region's nearest edge (or a floor) to the
   missile's maximum range on that bearing (or the region's far edge); the last point of a fan
   that reaches the maximum is the full burn on the kick angle of the longest solved range. Kick
   angle, cut-off time and the launch azimuth's offset from the bearing are interpolated
   linearly in range.
2. *Fan.* Flights are flown on rings of range every half cell (``FAN_SPACING_CELLS``), each ring
   with azimuths every half cell across the region's bearings from the launch point (plus
   ``AZIMUTH_MARGIN_DEG``), with the interpolated steering (``flight.iter_fly_launch`` with
   histories, ``FLIGHT_CHUNK`` at a time, so memory is bounded by the chunk).
3. *Engagement.* Each chunk is evaluated by the compiled batch ``engagement.engage_many`` against
   every site of the phase, with the site's interceptor, cueing rule, sensors and sector and the
   scenario's assumptions, exactly as ``assess`` does (``assess.site_inputs``). A flight is
   engageable when some site of the phase can engage it.
4. *Raster.* Each flight defends the point where it actually lands (its impact, not the intended
   aim). Cells are ``grid_km`` x ``grid_km`` squares of the Lambert azimuthal equal-area projection
   on the WGS 84 ellipsoid centred on the region, so every cell has the same area on the
   ellipsoid, ``grid_km``^2; a cell belongs to the region when its centre lies inside the region's
   latitude and longitude box. A cell is *defended* when flights land in it and every one of them
   is engageable, *partly defended* when some are, *not defended* when none is, and *beyond
   reach* when no flight lands in it (beyond the missile's reach, or nearer the launch point than
   the shortest range flown).

The defended area is the number of defended cells times the cell area; a place (a catalog city,
capitals flagged) is inside when its cell is defended.
"""

from __future__ import annotations

import enum
import functools
import json
import math
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa

from . import atomic, catalog, earth, limits
from .errors import InputError

GRID_KM = 50.0  # default cell size
GRID_LIMITS_KM = (limits.bound("grid_km").low, limits.bound("grid_km").high)  # as the command line reads it
MAX_CELLS = 200_000  # cells in the grid's bounding square: a larger grid is refused before any work
MAX_FLIGHTS = 400_000  # flights in the fan
STEERING_RANGES = 24  # ranges aimed along the central bearing, the steering interpolated between them
FAN_SPACING_CELLS = 0.5  # fan flights every half cell in range and across
AZIMUTH_MARGIN_DEG = 2.0  # the fan is this much wider on each side than the region's bearings
MIN_RANGE_KM = 150.0  # shortest range aimed: below it a ballistic missile's steering is not meaningful
FLIGHT_CHUNK = 1_000  # flights flown and evaluated together (histories of a chunk: about 120 MB)
REPORT_GRID_KM = 100.0  # the report's coarse grid
REGION_SAMPLES = 41  # points per side of the region sampled for its distances and bearings from the launch
CUE_BASES = ("architecture", "bounding")


class CellState(enum.IntEnum):
    """What a grid cell is: who lands in it and whether the phase engages them."""

    BEYOND_REACH = 0
    NOT_DEFENDED = 1
    PARTLY_DEFENDED = 2
    DEFENDED = 3

    @property
    def label(self) -> str:
        return {CellState.BEYOND_REACH: "no flight lands here (beyond the missile's reach or nearer than its "
                                        "shortest range flown)",
                CellState.NOT_DEFENDED: "flights land here; none is engageable",
                CellState.PARTLY_DEFENDED: "flights land here; some but not all are engageable",
                CellState.DEFENDED: "flights land here; every one is engageable"}[self]


@dataclass(frozen=True)
class Region:
    """A latitude and longitude box (degrees): south, west, north, east."""

    name: str
    south_deg: float
    west_deg: float
    north_deg: float
    east_deg: float

    @property
    def centre_deg(self) -> tuple[float, float]:
        return 0.5 * (self.south_deg + self.north_deg), 0.5 * (self.west_deg + self.east_deg)

    def contains(self, latitude_deg, longitude_deg) -> np.ndarray:
        lat, lon = np.asarray(latitude_deg, float), np.asarray(longitude_deg, float)
        return (lat >= self.south_deg) & (lat <= self.north_deg) & (lon >= self.west_deg) & (lon <= self.east_deg)

    def __str__(self) -> str:
        return (f"{self.name} ({self.south_deg:g} to {self.north_deg:g} deg N, "
                f"{self.west_deg:g} to {self.east_deg:g} deg E)")


REGIONS = {
    # MODEL choices: boxes round the European NATO capitals and the contiguous United States
    "europe": Region("europe", 34.0, -25.0, 72.0, 45.0),
    "us": Region("us", 24.0, -125.0, 50.0, -66.0),
}


def region(text) -> Region:
    """A named region (``europe``, ``us``) or ``LAT0,LON0,LAT1,LON1`` (south-west and north-east corners)."""
    if isinstance(text, Region):
        return text
    allowed = [*REGIONS, "LAT0,LON0,LAT1,LON1 in degrees"]
    if not isinstance(text, str) or not text.strip():
        raise limits.not_allowed("region", text, allowed)
    key = text.strip().lower()
    if key in REGIONS:
        return REGIONS[key]
    if "," not in key:
        raise limits.not_allowed("region", text, allowed, suggest=REGIONS)
    try:
        values = [float(v) for v in key.split(",")]
    except ValueError:
        values = []
    if len(values) != 4 or not all(math.isfinite(v) for v in values):
        raise InputError(f"region {text!r}: expected four numbers LAT0,LON0,LAT1,LON1 in degrees (south-west and "
                         "north-east corners)")
    south, west, north, east = values
    if not (-89.0 <= south < north <= 89.0 and -180.0 <= west < east <= 180.0 and east - west <= 180.0):
        raise InputError(f"region {text!r}: need -89 <= LAT0 < LAT1 <= 89 and -180 <= LON0 < LON1 <= 180 degrees, "
                         "at most 180 degrees of longitude (a box that crosses the antimeridian: not supported)")
    return Region(key, south, west, north, east)


@dataclass(frozen=True)
class Grid:
    """Equal-area square cells over a region: Lambert azimuthal equal-area on WGS 84, centred on it.

    ``x_m``, ``y_m``: projected centres of the cells kept (centre inside the region's box);
    ``index``: (row, column) of the bounding square -> kept cell, or -1.
    """

    region: Region
    cell_km: float
    x0_m: float
    y0_m: float
    index: np.ndarray
    x_m: np.ndarray
    y_m: np.ndarray
    latitude_deg: np.ndarray
    longitude_deg: np.ndarray

    @property
    def cell_area_km2(self) -> float:
        return self.cell_km ** 2

    @property
    def proj(self) -> str:
        lat, lon = self.region.centre_deg
        return f"+proj=laea +lat_0={lat:g} +lon_0={lon:g} +ellps=WGS84 +units=m"

    def __len__(self) -> int:
        return self.x_m.size

    def cell_of(self, latitude_deg, longitude_deg) -> np.ndarray:
        """The kept cell of each point, or -1 (outside the region or its grid)."""
        x, y = _transformer(self.proj).transform(np.asarray(longitude_deg, float), np.asarray(latitude_deg, float))
        step = self.cell_km * 1e3
        with np.errstate(invalid="ignore"):
            column = np.floor((np.asarray(x) - self.x0_m) / step)
            row = np.floor((np.asarray(y) - self.y0_m) / step)
        rows, columns = self.index.shape
        ok = np.isfinite(column) & np.isfinite(row) & (column >= 0) & (column < columns) & (row >= 0) & (row < rows)
        out = np.full(np.shape(column), -1, dtype=np.int64)
        out[ok] = self.index[row[ok].astype(np.int64), column[ok].astype(np.int64)]
        return out

    def corners_deg(self) -> tuple[np.ndarray, np.ndarray]:
        """(cell, 4) latitudes and longitudes of each kept cell's corners, counter-clockwise."""
        half = self.cell_km * 500.0
        dx = np.array([-half, half, half, -half])
        dy = np.array([-half, -half, half, half])
        lon, lat = _transformer(self.proj).transform(self.x_m[:, None] + dx, self.y_m[:, None] + dy,
                                                     direction="INVERSE")
        return np.asarray(lat), np.asarray(lon)


@functools.lru_cache(maxsize=8)
def _transformer(proj: str):
    import pyproj

    return pyproj.Transformer.from_crs("EPSG:4326", proj, always_xy=True)


def _bounds_m(where: Region, proj: str) -> tuple[float, float, float, float]:
    lat = np.concatenate([np.full(200, where.south_deg), np.full(200, where.north_deg),
                          np.linspace(where.south_deg, where.north_deg, 200)[:, None].repeat(2, 1).ravel()])
    lon = np.concatenate([np.linspace(where.west_deg, where.east_deg, 200)] * 2
                         + [np.tile([where.west_deg, where.east_deg], 200)])
    x, y = _transformer(proj).transform(lon, lat)
    return float(np.min(x)), float(np.min(y)), float(np.max(x)), float(np.max(y))


def grid(where, cell_km: float = GRID_KM) -> Grid:
    """The equal-area grid of ``cell_km`` cells over a region (name, box text or :class:`Region`).

    Raises :class:`InputError` for a cell size outside ``GRID_LIMITS_KM`` or a grid of more than
    ``MAX_CELLS`` cells (before any cell is made)."""
    where = region(where)
    limits.check("grid_km", cell_km)
    lat_c, lon_c = where.centre_deg
    proj = f"+proj=laea +lat_0={lat_c:g} +lon_0={lon_c:g} +ellps=WGS84 +units=m"
    x_min, y_min, x_max, y_max = _bounds_m(where, proj)
    step = cell_km * 1e3
    columns, rows = math.ceil((x_max - x_min) / step), math.ceil((y_max - y_min) / step)
    if columns * rows > MAX_CELLS:
        finest = math.ceil(cell_km * math.sqrt(columns * rows / MAX_CELLS))
        raise InputError(f"grid_km = {cell_km:g} over {where.name} gives {columns * rows:,} cells; at most "
                         f"{MAX_CELLS:,} allowed: give a grid of {finest:g} km or more")
    x = x_min + step * (np.arange(columns) + 0.5)
    y = y_min + step * (np.arange(rows) + 0.5)
    xx, yy = np.meshgrid(x, y)
    lon, lat = _transformer(proj).transform(xx, yy, direction="INVERSE")
    keep = where.contains(lat, lon)
    index = np.full((rows, columns), -1, dtype=np.int64)
    index[keep] = np.arange(int(keep.sum()))
    return Grid(where, float(cell_km), x_min, y_min, index, xx[keep], yy[keep], np.asarray(lat)[keep],
                np.asarray(lon)[keep])


# ---------------------------------------------------------------------------------------------
# The plan: every input checked and the fan laid out before anything is flown
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Plan:
    """A footprint computation, validated: phases and their site entries, launch, missile, grid, fan bearings."""

    scenario: object
    phases: tuple  # scenario.Phase
    entries: tuple  # per phase: the PhaseSite entries counted
    launch: earth.Site
    launch_name: str
    missile_name: str
    grid: Grid
    cue_basis: str
    central_bearing_deg: float
    half_width_deg: float
    near_m: float  # nearest and farthest sampled distance from the launch point to the region
    far_m: float
    steering_ranges_count: int


def plan(scenario, *, launch: str, missile: str, phases=None, sites=None, where="europe", grid_km: float = GRID_KM,
         cue_basis: str = "architecture", steering_ranges_count: int = STEERING_RANGES) -> Plan:
    """Check every input and lay out the grid and the fan's bearings; nothing is flown.

    ``phases``: phase names (default: every phase); ``sites``: only these interceptor sites of them
    (each must stand in at least one chosen phase). Raises :class:`InputError` naming the bad input."""
    from .scenario import Scenario

    if not isinstance(scenario, Scenario):
        raise InputError(f"scenario = {scenario!r}: give a scenario (scenario.load(NAME))")
    cat = catalog.load()
    limits.choose("cue basis", cue_basis, CUE_BASES)
    if cue_basis == "bounding" and scenario.assumptions.bounding_cueing is None:
        raise InputError(f"scenario {scenario.name!r} states no bounding cue: use the architecture cue basis")
    steering_ranges_count = int(limits.check("steering_ranges_count", steering_ranges_count))
    if isinstance(phases, str):
        phases = [phases]
    chosen = tuple(scenario.phase(p) for p in phases) if phases else scenario.phases
    entries = []
    for phase in chosen:
        mine = list(phase.sites)
        entries.append(mine)
    if sites:
        if isinstance(sites, str):
            sites = [sites]
        names = {e.site.lower(): e.site for mine in entries for e in mine}
        for s in sites:
            if not isinstance(s, str) or s.lower() not in names:
                where_ = ", ".join(p.name for p in chosen)
                raise limits.not_allowed(f"interceptor site of {where_} of {scenario.name}", s, names.values())
        wanted = {s.lower() for s in sites}
        entries = [[e for e in mine if e.site.lower() in wanted] for mine in entries]
    vehicle = cat.missile(missile)
    if vehicle.orbital is not None:
        raise InputError(f"missile {vehicle.name!r} is a fractional-orbit (FOBS) missile: its footprint is not a fan of "
                         "ballistic ranges; choose a ballistic missile")
    launch_site = cat.site(launch)
    cells = grid(where, grid_km)
    if len(cells) == 0:
        raise InputError(f"region {cells.region} holds no whole {grid_km:g} km cell: give a finer grid")
    near_m, far_m, central, half = _bearings(launch_site, cells.region)
    spacing_m = grid_km * 1e3 * FAN_SPACING_CELLS
    flights = _fan_size(max(near_m - grid_km * 1e3, MIN_RANGE_KM * 1e3), far_m + grid_km * 1e3, half, spacing_m)
    if flights > MAX_FLIGHTS:
        raise InputError(f"grid_km = {grid_km:g}: the fan over {cells.region.name} from {launch_site.name} needs about "
                         f"{flights:,} flights; at most {MAX_FLIGHTS:,} allowed: give a coarser grid")
    return Plan(scenario, chosen, tuple(tuple(e) for e in entries), launch_site, launch, vehicle.name, cells,
                cue_basis, central, half, near_m, far_m, steering_ranges_count)


def _bearings(launch: earth.Site, where: Region) -> tuple[float, float, float, float]:
    """Nearest and farthest distance (m) from the launch point to the region, and the central bearing
    and half-width (deg) of the bearings that cover it (half-width 180: the launch point is inside)."""
    model = earth.earth_model(earth.DEFAULT_EARTH)
    lat, lon = np.meshgrid(np.linspace(where.south_deg, where.north_deg, REGION_SAMPLES),
                           np.linspace(where.west_deg, where.east_deg, REGION_SAMPLES))
    distance_m, bearing_deg = earth.geodesic_inverse(launch.latitude_deg, launch.longitude_deg, lat.ravel(),
                                                     lon.ravel(), model)
    if where.contains(launch.latitude_deg, launch.longitude_deg):
        return 0.0, float(distance_m.max()), 0.0, 180.0
    lat_c, lon_c = where.centre_deg
    _, reference = earth.geodesic_inverse(launch.latitude_deg, launch.longitude_deg, lat_c, lon_c, model)
    relative = (bearing_deg - float(reference) + 180.0) % 360.0 - 180.0
    lo, hi = float(relative.min()), float(relative.max())
    half = min(0.5 * (hi - lo) + AZIMUTH_MARGIN_DEG, 180.0)
    return float(distance_m.min()), float(distance_m.max()), float((reference + 0.5 * (lo + hi)) % 360.0), half


def _rings(low_m: float, high_m: float, spacing_m: float) -> np.ndarray:
    if high_m <= low_m:
        return np.zeros(0)
    return np.linspace(low_m, high_m, max(2, math.ceil((high_m - low_m) / spacing_m) + 1))


def _ring_azimuths(range_m: float, half_width_deg: float, spacing_m: float) -> np.ndarray:
    """Relative azimuths (deg) of one ring, about ``spacing_m`` apart along its arc."""
    arc_m = math.radians(2.0 * half_width_deg) * range_m
    n = max(2, math.ceil(arc_m / spacing_m) + 1)
    if half_width_deg >= 180.0:
        return np.linspace(-180.0, 180.0, n, endpoint=False)
    return np.linspace(-half_width_deg, half_width_deg, n)


def _fan_size(low_m: float, high_m: float, half_width_deg: float, spacing_m: float) -> int:
    return int(sum(_ring_azimuths(r, half_width_deg, spacing_m).size for r in _rings(low_m, high_m, spacing_m)))


# ---------------------------------------------------------------------------------------------
# Steering along the central bearing, and the fan
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Steering:
    """Minimum-energy steering against range along one bearing: the table the fan interpolates."""

    range_m: np.ndarray
    azimuth_offset_deg: np.ndarray  # launch azimuth minus the bearing of the aim
    kick_deg: np.ndarray
    cutoff_s: np.ndarray
    max_range_m: float  # full burn, best kick, on the central bearing
    unsolved: tuple[str, ...] = ()  # reasons for ranges that could not be aimed

    def at(self, range_m) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        r = np.asarray(range_m, float)
        return (np.interp(r, self.range_m, self.azimuth_offset_deg), np.interp(r, self.range_m, self.kick_deg),
                np.interp(r, self.range_m, self.cutoff_s))


_STEERING: dict = {}  # solved tables of this process, by missile, launch point, bearing and ranges


def steering(missile, launch: earth.Site, bearing_deg: float, low_m: float, high_m: float, count: int) -> Steering | None:
    """Minimum-energy steering for ``count`` ranges from ``low_m`` to ``high_m`` (capped at the missile's
    reach) on one bearing; None when the missile reaches no farther than ``low_m`` there."""
    from . import aiming

    key = (missile, launch.latitude_deg, launch.longitude_deg, round(bearing_deg, 6), round(low_m), round(high_m), count)
    if key in _STEERING:
        return _STEERING[key]
    model = earth.earth_model(earth.DEFAULT_EARTH)
    lat, lon = earth.geodesic_direct(launch.latitude_deg, launch.longitude_deg, bearing_deg, 1_000e3, model)
    reach_m = float(aiming.max_range_m(missile, launch.latitude_deg, launch.longitude_deg, lat, lon,
                                       launch_height_m=launch.height_m)[0][0])
    top_m = min(high_m, 0.995 * reach_m)  # aiming needs room below the reach to converge
    if top_m <= low_m:
        _STEERING[key] = None
        return None
    ranges_m = np.linspace(low_m, top_m, count)
    aim_lat, aim_lon = earth.geodesic_direct(launch.latitude_deg, launch.longitude_deg, np.full(count, bearing_deg),
                                             ranges_m, model)
    solved = aiming.solve_each(missile, "minimum-energy", [launch] * count,
                               [earth.Site(f"range {r / 1e3:.0f} km", a, b) for r, a, b in zip(ranges_m, aim_lat, aim_lon)])
    ok = [i for i, s in enumerate(solved) if s["status"] == "flown"]
    unsolved = tuple(f"{ranges_m[i] / 1e3:,.0f} km: {s['reason']}" for i, s in enumerate(solved) if s["status"] != "flown")
    if len(ok) < 2:
        raise InputError(f"{missile.name} from {launch.name}: minimum-energy steering could be solved for "
                         f"{len(ok)} of {count} ranges on bearing {bearing_deg:.1f} deg; "
                         + ("; ".join(unsolved[:2]) or "no range"))
    r = ranges_m[ok]
    offset = np.array([(solved[i]["azimuth_deg"] - bearing_deg + 180.0) % 360.0 - 180.0 for i in ok])
    kick = np.array([solved[i]["kick_deg"] for i in ok])
    cutoff = np.array([solved[i]["cutoff_s"] for i in ok])
    if high_m > top_m:  # out to the maximum: the full burn on the kick of the longest solved range
        r, offset = np.append(r, reach_m), np.append(offset, offset[-1])
        kick, cutoff = np.append(kick, kick[-1]), np.append(cutoff, missile.burn_time_s)
    table = Steering(r, offset, kick, cutoff, reach_m, unsolved)
    _STEERING[key] = table
    return table


# ---------------------------------------------------------------------------------------------
# The result
# ---------------------------------------------------------------------------------------------

@dataclass
class Footprint:
    """The footprint of one phase (or some of its sites) against one launch area and missile."""

    scenario: str
    phase: str
    phase_date: str
    sites: list[str]  # "site: interceptor (cueing)"
    launch: str
    launch_latitude_deg: float
    launch_longitude_deg: float
    missile: str
    kind: str  # "defended area" or "deterrent exposure"
    grid: Grid
    cue_basis: str
    cell_state: np.ndarray  # CellState per kept cell
    cell_flights_count: np.ndarray
    cell_engageable_count: np.ndarray
    flight_latitude_deg: np.ndarray  # impact points of the fan's landed flights
    flight_longitude_deg: np.ndarray
    flight_range_km: np.ndarray
    flight_engageable: np.ndarray  # bool per landed flight
    max_range_km: float | None
    places: list[dict]  # catalog cities in the region: name, country, capital, lat_deg, lon_deg, state
    assumptions: list[str] = field(default_factory=list)
    run_s: float = 0.0

    @property
    def cell_area_km2(self) -> float:
        return self.grid.cell_area_km2

    def _area(self, *states: CellState) -> float:
        return float(np.isin(self.cell_state, [int(s) for s in states]).sum()) * self.cell_area_km2

    @property
    def area_km2(self) -> float:
        """Defended area: cells whose landing flights are all engageable."""
        return self._area(CellState.DEFENDED)

    @property
    def partly_area_km2(self) -> float:
        return self._area(CellState.PARTLY_DEFENDED)

    @property
    def reachable_area_km2(self) -> float:
        """Cells some flight of the fan lands in."""
        return self._area(CellState.NOT_DEFENDED, CellState.PARTLY_DEFENDED, CellState.DEFENDED)

    @property
    def region_area_km2(self) -> float:
        return len(self.grid) * self.cell_area_km2

    def places_in(self, *states: CellState) -> list[str]:
        wanted = {s.name.lower() for s in states}
        return [p["name"] for p in self.places if p["state"] in wanted]

    @property
    def places_inside(self) -> list[str]:
        return self.places_in(CellState.DEFENDED)

    @property
    def capitals_inside(self) -> list[str]:
        return [p["name"] for p in self.places if p["state"] == "defended" and p["capital"]]

    def summary(self) -> dict:
        """The JSON summary (footprint.json): what was computed, the figures, the places and the assumptions."""
        counts = {s.name.lower(): int((self.cell_state == s).sum()) for s in CellState}
        return {"scenario": self.scenario, "phase": self.phase, "phase_date": self.phase_date, "kind": self.kind,
                "sites": self.sites, "launch": self.launch,
                "launch_lat_deg": round(self.launch_latitude_deg, 5), "launch_lon_deg": round(self.launch_longitude_deg, 5),
                "missile": self.missile, "cue_basis": self.cue_basis,
                "region": {"name": self.grid.region.name, "south_deg": self.grid.region.south_deg,
                           "west_deg": self.grid.region.west_deg, "north_deg": self.grid.region.north_deg,
                           "east_deg": self.grid.region.east_deg},
                "grid_km": self.grid.cell_km, "cell_area_km2": self.cell_area_km2, "projection": self.grid.proj,
                "cells": counts, "area_km2": self.area_km2, "partly_area_km2": self.partly_area_km2,
                "reachable_area_km2": self.reachable_area_km2, "region_area_km2": self.region_area_km2,
                "places_inside": self.places_inside, "capitals_inside": self.capitals_inside,
                "places_partly_inside": self.places_in(CellState.PARTLY_DEFENDED),
                "places_reached_not_defended": self.places_in(CellState.NOT_DEFENDED),
                "places_beyond_reach": self.places_in(CellState.BEYOND_REACH),
                "flights": int(self.flight_engageable.size),
                "flights_engageable": int(self.flight_engageable.sum()),
                "max_range_km": None if self.max_range_km is None else round(self.max_range_km, 1),
                "assumptions": self.assumptions, "run_s": round(self.run_s, 2)}

    def to_table(self) -> pa.Table:
        """One row per grid cell (footprint.parquet), with an explicit schema."""
        n = len(self.grid)
        states = pa.DictionaryArray.from_arrays(pa.array(np.asarray(self.cell_state, np.int32)),
                                                [s.name.lower() for s in CellState])

        def label(text: str) -> pa.DictionaryArray:  # the same text in every cell: stored once
            return pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, np.int32)), pa.array([text], pa.string()))

        columns = {
            "scenario": label(self.scenario), "phase": label(self.phase), "launch": label(self.launch),
            "missile": label(self.missile), "cue_basis": label(self.cue_basis),
            "cell_id": np.arange(n, dtype=np.int64), "latitude_deg": self.grid.latitude_deg,
            "longitude_deg": self.grid.longitude_deg, "x_km": self.grid.x_m / 1e3, "y_km": self.grid.y_m / 1e3,
            "area_km2": np.full(n, self.cell_area_km2), "state": states,
            "flights_count": self.cell_flights_count.astype(np.int64),
            "engageable_count": self.cell_engageable_count.astype(np.int64),
        }
        return pa.Table.from_pydict(columns, schema=TABLE_SCHEMA)

    def __repr__(self) -> str:
        return (f"<Footprint {self.phase} of {self.scenario}: {self.missile} from {self.launch} over "
                f"{self.grid.region.name} ({self.grid.cell_km:g} km cells), defended {self.area_km2:,.0f} km^2 of "
                f"{self.reachable_area_km2:,.0f} km^2 reached; {len(self.places_inside)} places inside>")


_LABEL = pa.dictionary(pa.int32(), pa.string())  # a text repeated in many cells, stored once (as assess.LABEL)
TABLE_SCHEMA = pa.schema([("scenario", _LABEL), ("phase", _LABEL), ("launch", _LABEL),
                          ("missile", _LABEL), ("cue_basis", _LABEL), ("cell_id", pa.int64()),
                          ("latitude_deg", pa.float64()), ("longitude_deg", pa.float64()), ("x_km", pa.float64()),
                          ("y_km", pa.float64()), ("area_km2", pa.float64()), ("state", _LABEL),
                          ("flights_count", pa.int64()), ("engageable_count", pa.int64())])


# ---------------------------------------------------------------------------------------------
# Computing
# ---------------------------------------------------------------------------------------------

def compute(chosen: Plan, progress=None) -> list[Footprint]:
    """Fly the fan once and evaluate it against every site of every chosen phase: one Footprint per phase.

    ``progress(done, total, what)`` is called as chunks of flights are finished."""
    from . import assess, flight
    from .engagement import Verdict, engage_many

    start = time.perf_counter()
    scenario, cells = chosen.scenario, chosen.grid
    cat = catalog.load()
    vehicle = cat.missile(chosen.missile_name)
    spacing_m = cells.cell_km * 1e3 * FAN_SPACING_CELLS
    low_m = max(chosen.near_m - cells.cell_km * 1e3, MIN_RANGE_KM * 1e3)
    table = steering(vehicle, chosen.launch, chosen.central_bearing_deg, low_m, chosen.far_m + cells.cell_km * 1e3,
                     chosen.steering_ranges_count)
    shapes = scenario.sector_shapes() if any(e.sector for mine in chosen.entries for e in mine) else {}
    # distinct (site, interceptor, cue) evaluations over every chosen phase
    keys, inputs = [], {}
    for mine in chosen.entries:
        row = []
        for entry in mine:
            interceptor, site, rule, cueing, options = assess.site_inputs(entry, scenario, shapes, chosen.cue_basis)
            key = (entry.site, entry.interceptor, rule, entry.cueing_sensors if cueing.rule != "delay" else (),
                   entry.sector)
            inputs.setdefault(key, (interceptor, site, cueing, options))
            row.append(key)
        keys.append(row)
    order = list(inputs)
    lat_parts, lon_parts, range_parts, hit_parts = [], [], [], []
    not_landed = 0
    flights = 0
    if table is not None:
        rings = _rings(table.range_m[0], table.range_m[-1], spacing_m)
        relative = [_ring_azimuths(r, chosen.half_width_deg, spacing_m) for r in rings]
        ring_m = np.concatenate([np.full(a.size, r) for r, a in zip(rings, relative)])
        bearing = chosen.central_bearing_deg + np.concatenate(relative)
        offset, kick, cutoff = table.at(ring_m)
        azimuth = (bearing + offset) % 360.0
        flights = azimuth.size
        chunks = flight.iter_fly_launch(vehicle, chosen.launch, azimuth, kick, cutoff, history=True,
                                        chunk_size=FLIGHT_CHUNK)
        done = 0
        for chunk in chunks:
            landed = chunk.landed
            not_landed += int((~landed).sum())
            hits = np.zeros((len(chunk), len(order)), dtype=bool)
            for j, key in enumerate(order):
                interceptor, site, cueing, options = inputs[key]
                result = engage_many(chunk, interceptor, [site], cueing=cueing, **options)
                hits[:, j] = result.verdict[:, 0] == Verdict.FEASIBLE
            impact = chunk.impact()
            lat_parts.append(impact["latitude_deg"][landed])
            lon_parts.append(impact["longitude_deg"][landed])
            range_parts.append(chunk.range_km[landed])
            hit_parts.append(hits[landed])
            done += len(chunk)
            if progress:
                progress(done, flights, "footprint flights")
    lat = np.concatenate(lat_parts) if lat_parts else np.zeros(0)
    lon = np.concatenate(lon_parts) if lon_parts else np.zeros(0)
    range_km = np.concatenate(range_parts) if range_parts else np.zeros(0)
    hits = np.concatenate(hit_parts) if hit_parts else np.zeros((0, len(order)), dtype=bool)
    cell = cells.cell_of(lat, lon)
    inside = cell >= 0
    kind = _kind(scenario, chosen.launch_name)
    common = _assumptions(chosen, table, flights, not_landed, int((~inside).sum()))
    elapsed = time.perf_counter() - start
    out = []
    for phase, mine, row in zip(chosen.phases, chosen.entries, keys):
        columns = [order.index(k) for k in row]
        engageable = hits[:, columns].any(axis=1) if columns else np.zeros(lat.size, dtype=bool)
        n = np.bincount(cell[inside], minlength=len(cells))
        k = np.bincount(cell[inside], weights=engageable[inside].astype(float), minlength=len(cells)).astype(np.int64)
        state = np.where(n == 0, CellState.BEYOND_REACH,
                         np.where(k == 0, CellState.NOT_DEFENDED,
                                  np.where(k < n, CellState.PARTLY_DEFENDED, CellState.DEFENDED))).astype(np.int64)
        labels = [f"{e.site}: {e.interceptor} ({inputs[key][2].rule if inputs[key][2].rule != 'delay' else key[2]})"
                  for e, key in zip(mine, row)]
        out.append(Footprint(scenario.name, phase.name, phase.date.isoformat(), labels, chosen.launch_name,
                             chosen.launch.latitude_deg, chosen.launch.longitude_deg, chosen.missile_name, kind, cells,
                             chosen.cue_basis, state, n, k, lat, lon, range_km, engageable,
                             None if table is None else table.max_range_m / 1e3,
                             _places(cells, state), list(common), elapsed))
    return out


def footprint(scenario, *, phase: str, launch: str, missile: str, sites=None, where="europe",
              grid_km: float = GRID_KM, cue_basis: str = "architecture", progress=None) -> Footprint:
    """The footprint of one phase of ``scenario`` (or its named ``sites``) against ``missile`` from ``launch``
    over the region ``where`` (see the module docstring). Raises :class:`InputError` on bad input, before
    anything is flown."""
    return compute(plan(scenario, launch=launch, missile=missile, phases=[phase], sites=sites, where=where,
                        grid_km=grid_km, cue_basis=cue_basis), progress)[0]


def _kind(scenario, launch_name: str) -> str:
    """"deterrent exposure" where the launch area is one of the scenario's Russian-concern launch areas."""
    russian = {a.lower() for t in scenario.threats if t.purpose == "russian-concern"
               for areas, _ in t.launches() for a in areas}
    return "deterrent exposure" if launch_name.lower() in russian else "defended area"


def _places(cells: Grid, state: np.ndarray) -> list[dict]:
    """Catalog cities inside the region's grid, each with the state of its cell; capitals flagged
    (a city whose catalog summary begins "Capital of")."""
    cat = catalog.load()
    out = []
    for name, record in cat.sites.items():
        if record.kind != "city":
            continue
        lat, lon = record.latitude_deg.value, record.longitude_deg.value
        k = int(cells.cell_of(np.array([lat]), np.array([lon]))[0])
        if k < 0:
            continue
        out.append({"name": name, "country": record.country, "capital": record.summary.startswith("Capital of"),
                    "lat_deg": lat, "lon_deg": lon, "state": CellState(int(state[k])).name.lower()})
    return sorted(out, key=lambda p: p["name"])


def _assumptions(chosen: Plan, table: Steering | None, flights: int, not_landed: int, outside: int) -> list[str]:
    cells = chosen.grid
    a = chosen.scenario.assumptions
    lines = [
        f"aim points: every {cells.cell_km:g} km x {cells.cell_km:g} km cell of {cells.region}; cells are squares of "
        f"the Lambert azimuthal equal-area projection on WGS 84 centred on the region ({cells.proj}), each "
        f"{cells.cell_area_km2:,.0f} km^2 on the ellipsoid; a cell is in the region when its centre is",
        f"threat: {chosen.missile_name} from {chosen.launch.name} ({chosen.launch.latitude_deg:.3f}, "
        f"{chosen.launch.longitude_deg:.3f}), minimum-energy steering solved (aiming.solve_each, 100 m) for "
        f"{chosen.steering_ranges_count} ranges on the central bearing {chosen.central_bearing_deg:.1f} deg and "
        "interpolated linearly in range (kick angle, cut-off time, launch-azimuth offset); the same steering is "
        "flown on every bearing of the fan, so ranges on other bearings differ from the central one by the Earth's "
        "rotation and shape (each flight is counted where it lands)",
        f"fan: {flights:,} flights on rings every {cells.cell_km * FAN_SPACING_CELLS:g} km of range and azimuths "
        f"every {cells.cell_km * FAN_SPACING_CELLS:g} km of arc, over bearings "
        f"{chosen.central_bearing_deg:.1f} +/- {chosen.half_width_deg:.1f} deg; {not_landed:,} did not land (not "
        f"counted); {outside:,} landed outside the region's cells",
        "each flight defends the point where it actually lands (its impact), not its intended aim; a cell is "
        "defended when every flight landing in it is engageable by some site of the phase, partly defended when "
        "some are, not defended when none is, and beyond reach when no flight lands in it; the defended area "
        "counts defended cells only",
        f"engagement: engagement.engage_many per site, with each site's interceptor, altitude band, sector and "
        f"{'bounding cue ' + a.bounding_cueing.value if chosen.cue_basis == 'bounding' else 'own cueing rule and sensors'}"
        f"; launch delay {a.bounding_launch_delay_s() if chosen.cue_basis == 'bounding' else a.launch_delay_s.value:g} s "
        f"after the cue, radar cross-section {a.rcs_m2.value:g} m^2, endgame model {a.endgame_model()} (the scenario's "
        "assumptions); physics-only feasibility (no kill probability, discrimination or countermeasures)",
        "places: catalog cities (sites.toml, kind city) whose cell is defended; capitals are those whose catalog "
        "summary names them so",
    ]
    if table is None:
        lines.append(f"the region lies beyond {chosen.missile_name}'s reach on the central bearing: no flight flown")
    else:
        lines.append(f"{chosen.missile_name}'s full-burn maximum range on the central bearing: "
                     f"{table.max_range_m / 1e3:,.0f} km; ranges flown {table.range_m[0] / 1e3:,.0f}-"
                     f"{table.range_m[-1] / 1e3:,.0f} km (aim points nearer than the shortest are beyond reach here)")
        if table.unsolved:
            lines.append(f"{len(table.unsolved)} of {chosen.steering_ranges_count} steering ranges could not be "
                         f"aimed and were left out: {table.unsolved[0]}")
    return lines


def write(footprints: list[Footprint], out: Path, *, draw_map=None) -> dict[str, Path]:
    """footprint.parquet (every footprint's cells), footprint.json and, given ``draw_map``, footprint.png
    (the first footprint) into ``out``, each through a temporary name; the paths written.

    ``draw_map(footprint, path)`` draws the map and returns its path (``report.figures.footprint_map``):
    whoever runs the study passes the writer in, so that the study needs nothing of the report.
    """
    import pyarrow.parquet as pq

    out = Path(out)
    paths = {"png": out / "footprint.png", "parquet": out / "footprint.parquet", "json": out / "footprint.json"}
    if draw_map is None:
        del paths["png"]
    else:
        atomic.write(paths["png"], lambda partial: draw_map(footprints[0], partial))
    cells = pa.concat_tables([f.to_table() for f in footprints])
    atomic.write(paths["parquet"], lambda partial: pq.write_table(cells, partial))
    atomic.write_text(paths["json"], json.dumps([f.summary() for f in footprints], indent=1, allow_nan=False))
    return paths


# ---------------------------------------------------------------------------------------------
# The report's defended areas
# ---------------------------------------------------------------------------------------------

def representative(scenario) -> tuple[str, str] | None:
    """(launch area, missile) standing for the scenario's stated threat: the first launch area and
    missile of its first stated threat set; None when it states no threat."""
    for threat in scenario.threats:
        if threat.purpose == "stated":
            for areas, missiles in threat.launches():
                if areas and missiles:
                    return areas[0], missiles[0]
    return None


def defended_areas(scenario, *, where="europe", grid_km: float = REPORT_GRID_KM, progress=None) -> list[Footprint]:
    """Per phase of ``scenario``, the footprint of its representative stated threat over ``where``
    on a coarse grid (the report's "Defended areas"); [] when the scenario states no threat."""
    chosen = representative(scenario)
    if chosen is None:
        return []
    launch, missile = chosen
    return compute(plan(scenario, launch=launch, missile=missile, where=where, grid_km=grid_km), progress)


__all__ = ["CellState", "Footprint", "Grid", "Plan", "Region", "REGIONS", "compute", "defended_areas", "footprint",
           "grid", "plan", "region", "representative", "write"]
