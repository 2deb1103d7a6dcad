"""The geometry of an assessment for globe viewers: CZML (CesiumJS, STK) and KML (Google Earth).

One scene per (phase, cue basis): every flown threat flight as a time-tagged track coloured by its
best verdict at the phase's sites, the interceptor sites (with the operational range of their kill
vehicle), the radars (a fan of their azimuth limits out to their detection range for the scenario's
cross-section: the field of view at ground level, drawn as a wall up to a stated height), the first
detection of each flight, each feasible pair's earliest intercept point, its intercept window (the
stretch of the track inside it) and the reach its interceptor has at that moment (the ground range
its reach envelope covers at the intercept's altitude in the time from its launch to the intercept,
drawn as a circle from the intercept time on), and the scenario's sectors.

Times are seconds after each threat's launch, all threats launched together at a notional epoch
(:data:`EPOCH`): the scene is a geometry, not a prediction of a date. Positions are geodetic
(WGS 84 latitude and longitude in degrees, height in metres above the ellipsoid), read from the
tracks an assessment keeps (``assess.TRACK_STEP_S`` apart) and the results table; nothing is
recomputed here but the reach circles, read from the cached reach envelopes.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from pyproj import Geod

from . import aggregate, atomic, catalog, limits, verdicts
from .errors import InputError

#: The notional launch time of every threat in a scene (all launched together).
EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
#: Verdict colours (RGBA), best first, and the order a flight's best verdict is picked by: verdicts.py's
VERDICT_RGBA = verdicts.RGBA
VERDICT_ORDER = verdicts.ORDER
RADAR_WALL_HEIGHT_M = 1_000_000.0  # the fan of a radar's field of view is drawn as a wall this high
FAN_STEP_DEG = 2.0  # spacing of the points along a radar's arc and a site's range circle
_GEOD = Geod(ellps="WGS84")


@dataclass
class Scene:
    """What a scene is drawn from: an assessment's results, tracks and flights, and its scenario."""

    scenario: object  # scenario.Scenario
    results: pa.Table
    tracks: dict[int, dict]  # flight_id -> time_s, lat_deg, lon_deg, altitude_km (numpy arrays)
    flights: list[dict] = field(default_factory=list)  # flights table rows (names, detections_json)

    @classmethod
    def of(cls, assessment) -> "Scene":
        """The scene of an in-memory ``assess.Assessment``."""
        from .assess import flights_table

        return cls(assessment.scenario, assessment.results, assessment.flights.tracks,
                   flights_table(assessment.flights).to_pylist())

    @classmethod
    def read(cls, folder: Path, scenario) -> "Scene":
        """The scene of an assessment folder (``results.parquet``, ``tracks.parquet``, ``flights.parquet``)."""
        missing = [n for n in ("results.parquet", "tracks.parquet", "flights.parquet") if not (folder / n).exists()]
        if missing:
            raise InputError(f"{str(folder)!r} is not an assessment folder with tracks: {', '.join(missing)} missing; "
                             "write one with shieldcheck assess SCENARIO --out FOLDER")
        return cls(scenario, pq.read_table(folder / "results.parquet"), read_tracks(folder / "tracks.parquet"),
                   pq.read_table(folder / "flights.parquet").to_pylist())

    def rows(self, phase: str, basis: str) -> list[dict]:
        """The results rows of one phase and cue basis; an unknown phase or basis is an InputError."""
        phases, bases = [p.name for p in self.scenario.phases], cue_bases(self.scenario)
        limits.choose("phase", phase, phases)
        limits.choose("cue basis", basis, bases)
        return [r for r in self._rows if r["phase"] == phase and r["cue_basis"] == basis]

    @functools.cached_property
    def _rows(self) -> list[dict]:
        """The results table as rows, converted once (every view and request of a scene reads them)."""
        return aggregate.rows(self.results)  # each label text shared by its rows


def tracks_table(tracks: dict[int, dict]) -> pa.Table:
    """One row per kept track point: flight_id, time_s, latitude_deg, longitude_deg, altitude_km."""
    ids = [np.full(len(t["time_s"]), k, np.int64) for k, t in tracks.items()]
    column = lambda key: np.concatenate([np.asarray(t[key], float) for t in tracks.values()]) if tracks else np.zeros(0)
    return pa.table({"flight_id": np.concatenate(ids) if ids else np.zeros(0, np.int64), "time_s": column("time_s"),
                     "latitude_deg": column("lat_deg"), "longitude_deg": column("lon_deg"),
                     "altitude_km": column("altitude_km")})


def read_tracks(path: Path) -> dict[int, dict]:
    """The tracks written by :func:`tracks_table`, by flight."""
    table = pq.read_table(path)
    ids = table.column("flight_id").to_numpy()
    values = {k: table.column(c).to_numpy() for k, c in (("time_s", "time_s"), ("lat_deg", "latitude_deg"),
                                                          ("lon_deg", "longitude_deg"), ("altitude_km", "altitude_km"))}
    order = np.argsort(ids, kind="stable")
    ids = ids[order]
    starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]]) if len(ids) else np.zeros(0, int)
    ends = np.r_[starts[1:], len(ids)]
    return {int(ids[a]): {k: v[order][a:b] for k, v in values.items()} for a, b in zip(starts, ends)}


def best_rows(rows: list[dict]) -> dict[int, dict]:
    """Per flight, the row of its best verdict over the sites (:data:`VERDICT_ORDER`; ties: largest margin)."""
    def rank(r: dict) -> tuple:
        return verdicts.rank_of(r["verdict"]), -(r["margin_s"] if r["margin_s"] is not None else -math.inf)

    best: dict[int, dict] = {}
    for r in rows:
        old = best.get(r["flight_id"])
        if old is None or rank(r) < rank(old):
            best[r["flight_id"]] = r
    return best


def position_at(track: dict, time_s: float) -> tuple[float, float, float] | None:
    """Longitude, latitude (deg) and height (m) of a track at ``time_s``, linear between kept points
    (longitude unwrapped across the antimeridian); None outside the track."""
    t = track["time_s"]
    if not len(t) or not t[0] <= time_s <= t[-1]:
        return None
    lon = np.degrees(np.unwrap(np.radians(track["lon_deg"])))
    value = float(np.interp(time_s, t, lon))
    return ((value + 180.0) % 360.0 - 180.0, float(np.interp(time_s, t, track["lat_deg"])),
            float(np.interp(time_s, t, track["altitude_km"])) * 1e3)


def _fan(lat_deg: float, lon_deg: float, range_km: float, azimuths_deg: np.ndarray, closed: bool) -> list[tuple]:
    """Points (lon, lat) at ``range_km`` along the geodesics of ``azimuths_deg``, from the centre when not ``closed``."""
    lon, lat, _ = _GEOD.fwd(np.full(len(azimuths_deg), lon_deg), np.full(len(azimuths_deg), lat_deg),
                            azimuths_deg, np.full(len(azimuths_deg), range_km * 1e3))
    points = list(zip(lon.tolist(), lat.tolist()))
    return points if closed else [(lon_deg, lat_deg), *points, (lon_deg, lat_deg)]


def radar_fan(radar, range_km: float) -> list[tuple]:
    """The ground outline (lon, lat) of a radar's azimuth limits out to ``range_km``."""
    half = radar.azimuth_half_width_deg
    if half >= 180.0:
        return _fan(radar.site.latitude_deg, radar.site.longitude_deg, range_km, np.arange(0.0, 360.0 + 1e-9, FAN_STEP_DEG), True)
    count = max(2, int(math.ceil(2 * half / FAN_STEP_DEG)) + 1)
    azimuths = radar.boresight_azimuth_deg + np.linspace(-half, half, count)
    return _fan(radar.site.latitude_deg, radar.site.longitude_deg, range_km, azimuths, False)


@dataclass(frozen=True)
class Mark:
    """One thing drawn in a scene, in a form both CZML and KML write from."""

    id: str
    kind: str  # flight, site, radar, detection, intercept, window, reach, sector
    name: str
    description: str
    rgba: tuple[int, int, int, int]
    points: tuple  # (time_s, lon, lat, height_m) for timed marks; (lon, lat, height_m) otherwise
    timed: bool = False
    start_s: float | None = None  # shown from this time on (None: always)
    range_km: float | None = None  # a circle's radius: a site's operational range, an interceptor's reach
    properties: dict = field(default_factory=dict)


def site_label(row_or_site) -> str:
    """"Site (interceptor)" of a row or a phase site."""
    if isinstance(row_or_site, dict):
        return f"{row_or_site.get('site')} ({row_or_site.get('interceptor')})"
    return f"{row_or_site.site} ({row_or_site.interceptor})"


def marks(scene: Scene, phase: str, basis: str) -> list[Mark]:
    """Everything drawn for ``phase`` under ``basis``: flights, sites, radars, detections, intercepts,
    windows and sectors, with the words that explain each."""
    rows = scene.rows(phase, basis)
    cat = catalog.load()
    names = {r["flight_id"]: r for r in scene.flights}
    out: list[Mark] = []
    best = best_rows(rows)
    for flight_id, row in sorted(best.items()):
        track = scene.tracks.get(flight_id)
        if track is None:
            continue
        title = f"{row['missile']} {row['launch']} → {row['aim']} ({row['trajectory']})"
        words = "; ".join(f"{site_label(r)}: {r['message']}" for r in rows if r["flight_id"] == flight_id)
        points = tuple(zip(track["time_s"].tolist(), track["lon_deg"].tolist(), track["lat_deg"].tolist(),
                           (track["altitude_km"] * 1e3).tolist()))
        out.append(Mark(f"flight-{flight_id}", "flight", title, words, VERDICT_RGBA[row["verdict"]], points, timed=True,
                        properties={"flight_id": flight_id, "verdict": row["verdict"], "purpose": row["purpose"],
                                    "margin_s": row["margin_s"], "site": row["site"]}))
        first = _first_detection(names.get(flight_id, {}), row)
        if first is not None and (where := position_at(track, first[1])) is not None:
            out.append(Mark(f"detect-{flight_id}", "detection", f"{title}: first detected by {first[0]}",
                            f"{first[0]} detects it {first[1]:.0f} s after launch", (255, 255, 255, 255), where,
                            start_s=first[1], properties={"flight_id": flight_id, "sensor": first[0]}))
    for r in rows:
        if r["verdict"] != "feasible" or r["intercept_lat_deg"] is None:
            continue
        track = scene.tracks.get(r["flight_id"])
        ident = f"{r['flight_id']}-{r['site']}"
        out.append(Mark(f"intercept-{ident}", "intercept", f"earliest intercept from {site_label(r)}", r["message"],
                        (255, 40, 40, 255), (r["intercept_lon_deg"], r["intercept_lat_deg"], r["intercept_altitude_km"] * 1e3),
                        start_s=r["intercept_time_s"],
                        properties={"flight_id": r["flight_id"], "site": r["site"], "time_s": r["intercept_time_s"],
                                    "margin_s": r["margin_s"]}))
        reach_km = reach_at_intercept_km(cat, r)
        if reach_km is not None:
            site = cat.site(r["site"])
            out.append(Mark(f"reach-{ident}", "reach", f"reach of {site_label(r)} at the intercept",
                            f"{r['interceptor']}, launched from {r['site']} {r['interceptor_launch_s']:.0f} s after the "
                            f"threat's launch, reaches {reach_km:,.0f} km of ground range at "
                            f"{r['intercept_altitude_km']:,.0f} km altitude by the intercept, "
                            f"{r['intercept_time_s'] - r['interceptor_launch_s']:.0f} s after its own launch (its reach "
                            "envelope facing the intercept point)", (255, 40, 40, 50),
                            (site.longitude_deg, site.latitude_deg, site.height_m), start_s=r["intercept_time_s"],
                            range_km=reach_km, properties={"flight_id": r["flight_id"], "site": r["site"],
                                                           "range_km": reach_km}))
        if track is not None:
            inside = (track["time_s"] >= r["window_earliest_s"]) & (track["time_s"] <= r["window_latest_s"])
            window = tuple(zip(track["lon_deg"][inside].tolist(), track["lat_deg"][inside].tolist(),
                               (track["altitude_km"][inside] * 1e3).tolist()))
            if len(window) >= 2:
                out.append(Mark(f"window-{ident}", "window", f"intercept window from {site_label(r)}",
                                f"{r['window_earliest_s']:.0f}-{r['window_latest_s']:.0f} s after launch",
                                (255, 40, 40, 160), window, properties={"flight_id": r["flight_id"], "site": r["site"]}))
    chosen = scene.scenario.phase(phase)
    radars = {}
    by_site: dict[str, list] = {}
    for entry in chosen.sites:
        by_site.setdefault(entry.site, []).append(entry)
    for name, entries in by_site.items():  # one mark per site, whatever number of interceptor types it holds
        site = cat.site(name)
        ranges = {}
        for entry in entries:
            kill_vehicle = cat.kill_vehicle(entry.interceptor)
            ranges[entry.interceptor] = (kill_vehicle.max_range_m / 1e3 if kill_vehicle and
                                         math.isfinite(kill_vehicle.max_range_m) else None)
        known = [r for r in ranges.values() if r is not None]
        words = "; ".join(f"{i} at {name}: " + (f"operational range {r:,.0f} km" if r else "no operational range catalogued")
                          for i, r in ranges.items())
        interceptors = ", ".join(ranges)
        out.append(Mark(f"site-{name}", "site", f"{name} ({interceptors})", words + (
                        "; the circle is the largest" if len(known) > 1 else ""), (60, 130, 255, 255),
                        (site.longitude_deg, site.latitude_deg, site.height_m), range_km=max(known) if known else None,
                        properties={"site": name, "interceptor": interceptors}))
    for entry in chosen.sites:
        for name in entry.cueing_sensors:
            sensor = cat.sensor(name)
            if hasattr(sensor, "boresight_azimuth_deg"):
                radars[name] = sensor
    rcs_m2 = scene.scenario.assumptions.rcs_m2.value
    for name, radar in radars.items():
        range_km = radar.detection_range_m(rcs_m2) / 1e3
        outline = tuple((lon, lat, RADAR_WALL_HEIGHT_M) for lon, lat in radar_fan(radar, range_km))
        out.append(Mark(f"radar-{name}", "radar", name,
                        f"field of view of {name}: azimuth {radar.boresight_azimuth_deg:g}° ± "
                        f"{radar.azimuth_half_width_deg:g}°, detection range {range_km:,.0f} km for {rcs_m2:g} m² "
                        f"(ground outline; wall drawn to {RADAR_WALL_HEIGHT_M / 1e3:,.0f} km)",
                        (255, 220, 0, 90), outline, properties={"sensor": name, "range_km": range_km}))
    for sector_name, sector in (scene.scenario.sector_shapes() if scene.scenario.sectors else {}).items():
        polygons = getattr(sector.geometry, "geoms", [sector.geometry])
        for k, polygon in enumerate(polygons):
            simple = polygon.simplify(0.05)
            ring = tuple((x, y, 0.0) for x, y in simple.exterior.coords)
            out.append(Mark(f"sector-{sector_name}-{k}", "sector", f"sector {sector_name}",
                            f"sector {sector_name}: {', '.join(sector.countries)}", (52, 101, 164, 70), ring,
                            properties={"sector": sector_name}))
    return out


def reach_at_intercept_km(cat, row: dict) -> float | None:
    """The ground range (km) an interceptor reaches at the intercept's altitude in the time from its launch to
    the intercept, from its reach envelope facing the intercept point (``reach.envelope``); None where the row
    has no intercept."""
    from . import earth as earth_mod
    from . import reach

    if row.get("intercept_time_s") is None or row.get("interceptor_launch_s") is None:
        return None
    site = cat.site(row["site"])
    _, azimuth = earth_mod.geodesic_inverse(site.latitude_deg, site.longitude_deg, row["intercept_lat_deg"],
                                            row["intercept_lon_deg"], earth_mod.earth_model(earth_mod.DEFAULT_EARTH))
    envelope = reach.envelope(cat.interceptor(row["interceptor"]).vehicle, site.latitude_deg, float(azimuth))
    j = min(int(round(row["intercept_altitude_km"] * 1e3 / envelope.altitude_step_m)), envelope.time_s.shape[1] - 1)
    reached = np.flatnonzero(envelope.time_s[:, j] <= row["intercept_time_s"] - row["interceptor_launch_s"])
    return float(reached.max() * envelope.range_step_m / 1e3) if len(reached) else None


def _first_detection(flight: dict, row: dict) -> tuple[str, float] | None:
    """The sensor of the phase's cue that detects a flight first, and when (s), from the flights table."""
    try:
        found = json.loads(flight.get("detections_json") or "{}")
    except ValueError:
        return None
    if row.get("first_detection_s") is not None:  # the cue of the row that decided the verdict
        return "the cueing sensors", float(row["first_detection_s"])
    times = [(v[0], k) for k, v in found.items() if v and v[0] is not None]
    return (min(times)[1], float(min(times)[0])) if times else None


def _when(seconds: float) -> dt.datetime:
    return EPOCH + dt.timedelta(seconds=float(seconds))


def czml(scene: Scene, phase: str, basis: str) -> str:
    """The CZML document (JSON text) of ``phase`` under ``basis`` (czml3's model, validated)."""
    from czml3 import (CZML_VERSION, Clock, Color, Document, Ellipse, Label, Material, Packet, Path, Point, Polygon,
                       Polyline, PolylineMaterial, Position, PositionList, SolidColorMaterial, TimeInterval, Wall)

    drawn = marks(scene, phase, basis)
    end_s = max([m.points[-1][0] for m in drawn if m.timed] or [60.0])
    packets = [Packet(id="document", name=f"{scene.scenario.name}: {phase}, {basis} cue", version=CZML_VERSION,
                      clock=Clock(currentTime=EPOCH, multiplier=30.0,
                                  interval=TimeInterval(start=EPOCH, end=_when(end_s))))]

    def colour(rgba):
        return Color(rgba=list(rgba))

    for m in drawn:
        properties = {k: v for k, v in {"kind": m.kind, **m.properties}.items() if v is not None}  # CZML has no null
        common = {"id": m.id, "name": m.name, "description": m.description, "properties": properties}
        if m.timed:
            samples = [x for point in m.points for x in point]
            packets.append(Packet(**common, availability=TimeInterval(start=EPOCH, end=_when(m.points[-1][0])),
                                  position=Position(epoch=EPOCH, cartographicDegrees=samples),
                                  path=Path(material=PolylineMaterial(solidColor=SolidColorMaterial(color=colour(m.rgba))),
                                            width=2.0, leadTime=0.0, trailTime=1e6, resolution=10.0),
                                  point=Point(pixelSize=6.0, color=colour(m.rgba))))
        elif m.kind in ("window",):
            packets.append(Packet(**common, polyline=Polyline(
                positions=PositionList(cartographicDegrees=[x for p in m.points for x in p]), width=5.0,
                material=PolylineMaterial(solidColor=SolidColorMaterial(color=colour(m.rgba))))))
        elif m.kind == "radar":
            packets.append(Packet(**common, wall=Wall(
                positions=PositionList(cartographicDegrees=[x for p in m.points for x in p]),
                material=Material(solidColor=SolidColorMaterial(color=colour(m.rgba))), outline=True)))
        elif m.kind == "sector":
            packets.append(Packet(**common, polygon=Polygon(
                positions=PositionList(cartographicDegrees=[x for p in m.points for x in p]),
                material=Material(solidColor=SolidColorMaterial(color=colour(m.rgba))), outline=True)))
        else:  # a point: site, detection, intercept
            extra = {}
            if m.start_s is not None:
                extra["availability"] = TimeInterval(start=_when(m.start_s), end=_when(end_s))
            if m.range_km:
                fill = m.rgba if m.kind == "reach" else (60, 130, 255, 40)
                extra["ellipse"] = Ellipse(semiMajorAxis=m.range_km * 1e3, semiMinorAxis=m.range_km * 1e3,
                                           material=Material(solidColor=SolidColorMaterial(color=colour(fill))),
                                           outline=True)
            if m.kind != "reach":
                extra["point"] = Point(pixelSize=9.0 if m.kind == "site" else 7.0, color=colour(m.rgba))
            packets.append(Packet(**common, **extra, position=Position(cartographicDegrees=list(m.points)),
                                  label=Label(text=m.name if m.kind == "site" else None, font="12px sans-serif",
                                              show=m.kind == "site")))
    return Document(packets=packets).dumps()


_KML_IDS = threading.Lock()  # simplekml numbers its elements from one counter shared by the process


def kml(scene: Scene, phase: str, basis: str) -> str:
    """The KML document (text) of ``phase`` under ``basis``: one folder per kind of mark. Its element ids
    count from the start in every document, so the same scene gives the same text however many
    documents the process wrote before (simplekml's counter is the process's)."""
    import simplekml
    from simplekml.base import Kmlable

    with _KML_IDS:
        Kmlable._globalid = 0  # as in a new process
        return _kml(scene, phase, basis, simplekml)


def _kml(scene: Scene, phase: str, basis: str, simplekml) -> str:
    document = simplekml.Kml(name=f"{scene.scenario.name}: {phase}, {basis} cue")
    folders = {}

    def hex_colour(rgba):  # KML's aabbggrr
        r, g, b, a = rgba
        return f"{a:02x}{b:02x}{g:02x}{r:02x}"

    for m in marks(scene, phase, basis):
        folder = folders.get(m.kind) or folders.setdefault(m.kind, document.newfolder(name=m.kind))
        if m.timed or m.kind in ("window",):
            coords = [p[1:] for p in m.points] if m.timed else list(m.points)
            line = folder.newlinestring(name=m.name, description=m.description, coords=coords)
            line.altitudemode = simplekml.AltitudeMode.absolute
            line.style.linestyle.color = hex_colour(m.rgba)
            line.style.linestyle.width = 4 if m.kind == "window" else 2
        elif m.kind == "reach":
            circle = _fan(m.points[1], m.points[0], m.range_km, np.arange(0.0, 360.0 + 1e-9, FAN_STEP_DEG), True)
            polygon = folder.newpolygon(name=m.name, description=m.description, outerboundaryis=circle)
            polygon.altitudemode = simplekml.AltitudeMode.clamptoground
            polygon.style.polystyle.color = hex_colour(m.rgba)
        elif m.kind in ("radar", "sector"):
            polygon = folder.newpolygon(name=m.name, description=m.description, outerboundaryis=list(m.points))
            polygon.altitudemode = simplekml.AltitudeMode.absolute if m.kind == "radar" else simplekml.AltitudeMode.clamptoground
            polygon.extrude = 1 if m.kind == "radar" else 0
            polygon.style.polystyle.color = hex_colour(m.rgba)
        else:
            point = folder.newpoint(name=m.name, description=m.description, coords=[m.points])
            point.altitudemode = simplekml.AltitudeMode.absolute
            point.style.iconstyle.color = hex_colour(m.rgba)
    return document.kml()


def cue_bases(scenario) -> list[str]:
    """The cue bases an assessment of ``scenario`` evaluates: the sites' own, and the bounding cue where it states one."""
    from .aggregate import BASES

    return list(BASES if scenario.assumptions.bounding_cueing else BASES[:1])


def default_view(scene: Scene) -> tuple[str, str]:
    """The phase and cue basis a scene opens on: the latest phase, under the bounding cue where there is one."""
    return scene.scenario.phases[-1].name, cue_bases(scene.scenario)[-1]


def write(scene: Scene, out: Path) -> dict[str, Path]:
    """``scene.czml`` and ``scene.kml`` (the default view: :func:`default_view`) and ``tracks.parquet`` into ``out``."""
    phase, basis = default_view(scene)
    written = {}
    for name, text in (("scene.czml", lambda: czml(scene, phase, basis)), ("scene.kml", lambda: kml(scene, phase, basis))):
        written[name] = atomic.write_text(out / name, text())
    tracks = tracks_table(scene.tracks)
    written["tracks.parquet"] = atomic.write(out / "tracks.parquet", lambda partial: pq.write_table(tracks, partial))
    return written
