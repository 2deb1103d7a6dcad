"""Maps for reports: countries, sectors, tracks, sites and radar coverage, on a plate carrée or
centred on the North Pole.

Why: a sector, a threat corridor or a radar's field of view is judged at a glance on a map,
and a report needs it as a file without a display.

Axes are longitude (x) and latitude (y) in degrees, stretched by 1/cos(mid-latitude) so that
shapes near the middle of the map keep their proportions. Circles and wedges are geodesic on
WGS 84 (vertices by ``pyproj.Geod.fwd``); lines that cross the antimeridian are broken
there instead of being drawn back across the map. Country shapes are Natural Earth 1:50m
(see :mod:`shieldcheck.geography`).

Figures are made with matplotlib's object API (``Figure`` with an Agg canvas), never pyplot,
so drawing a map changes nothing global (backend, current figure) for the caller.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pyproj
import shapely
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch
from matplotlib.path import Path as MplPath
from matplotlib.ticker import FixedLocator, FuncFormatter

from .. import geography
from ..errors import InputError

__all__ = ["draw_circle_km", "draw_sector", "draw_sites", "draw_track", "draw_wedge_km", "label_places",
           "place_labels", "polar_axes", "project", "save_png", "sea_labels", "world_axes"]

SEA_COLOR = "#e3edf5"
LAND_COLOR = "#f2eee4"
BORDER_COLOR = "#8f8f8f"
GRATICULE_COLOR = "#a9b4bf"
PNG_DPI = 110
ATTRIBUTION = "Natural Earth"
ARC_STEP_DEG = 1.0  # azimuth spacing of the vertices of geodesic circles and wedges
RADIAL_STEP_KM = 25.0  # vertex spacing along a wedge's straight (geodesic) sides

# drawing order: land, borders, graticule, sectors and coverage, tracks, sites
Z_LAND, Z_BORDERS, Z_SECTORS, Z_TRACKS, Z_SITES = 0.5, 0.8, 2.0, 3.0, 4.0


@functools.lru_cache(maxsize=1)
def _geod() -> pyproj.Geod:
    return pyproj.Geod(ellps="WGS84")


def project(ax: Axes, lat_deg, lon_deg) -> tuple[np.ndarray, np.ndarray]:
    """Map coordinates (x, y) of (lat, lon) degrees on ``ax``: longitude and latitude on a plate
    carrée, metres on a polar map (:func:`polar_axes`); NaN stays NaN (a break in a line)."""
    lat = np.asarray(lat_deg, dtype=float)
    lon = (np.asarray(lon_deg, dtype=float) + 180.0) % 360.0 - 180.0
    to_xy = getattr(ax, "shieldcheck_to_xy", None)
    if to_xy is None:
        return lon, lat
    x, y = to_xy.transform(lon, lat)
    bad = ~(np.isfinite(lat) & np.isfinite(lon))
    return np.where(bad, np.nan, x), np.where(bad, np.nan, y)


def _projected(ax: Axes, path: MplPath) -> MplPath:
    """A lon/lat path in the map coordinates of ``ax``."""
    if getattr(ax, "shieldcheck_to_xy", None) is None or len(path.vertices) == 0:
        return path
    x, y = project(ax, path.vertices[:, 1], path.vertices[:, 0])
    return MplPath(np.column_stack([x, y]), path.codes)


def _checked_extent(extent_lon_lat: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    lon_min, lon_max, lat_min, lat_max = (float(v) for v in extent_lon_lat)
    if not (-180.0 <= lon_min < lon_max <= 180.0 and -90.0 <= lat_min < lat_max <= 90.0):
        raise InputError(f"map extent {extent_lon_lat} must be (lon_min, lon_max, lat_min, lat_max) with "
                         "-180 <= lon_min < lon_max <= 180 and -90 <= lat_min < lat_max <= 90 degrees")
    return lon_min, lon_max, lat_min, lat_max


def _path(*geometries) -> MplPath:
    """One compound matplotlib path of (Multi)Polygons, holes wound against their exteriors."""
    vertices, codes = [], []
    for polygon in (p for geometry in geometries for p in geography.polygons(geometry)):
        for ring in [polygon.exterior, *polygon.interiors]:
            xy = np.asarray(ring.coords)[:, :2]
            vertices.append(xy)
            codes.append(np.full(len(xy), MplPath.LINETO, dtype=MplPath.code_type))
            codes[-1][0] = MplPath.MOVETO
            codes[-1][-1] = MplPath.CLOSEPOLY
    if not vertices:
        return MplPath(np.empty((0, 2)))
    return MplPath(np.concatenate(vertices), np.concatenate(codes))


def _overlaps(bounds: tuple[float, float, float, float], extent: tuple[float, float, float, float]) -> bool:
    lon_min, lat_min, lon_max, lat_max = bounds
    return lon_max >= extent[0] and lon_min <= extent[1] and lat_max >= extent[2] and lat_min <= extent[3]


def _graticule_step_deg(extent: tuple[float, float, float, float]) -> float:
    return 10.0 if max(extent[1] - extent[0], extent[3] - extent[2]) <= 60.0 else 20.0


def _degrees_label(value_deg: float, positive: str, negative: str) -> str:
    value_deg = round(value_deg, 6)
    if value_deg == 0.0 or abs(value_deg) == 180.0:
        return f"{abs(value_deg):g}°"
    return f"{abs(value_deg):g}°{positive if value_deg > 0 else negative}"


def _draw_graticule(ax: Axes, extent: tuple[float, float, float, float]) -> None:
    step_deg = _graticule_step_deg(extent)
    lon_ticks = np.arange(math.ceil(extent[0] / step_deg), math.floor(extent[1] / step_deg) + 1) * step_deg
    lat_ticks = np.arange(math.ceil(extent[2] / step_deg), math.floor(extent[3] / step_deg) + 1) * step_deg
    ax.xaxis.set_major_locator(FixedLocator(lon_ticks))
    ax.yaxis.set_major_locator(FixedLocator(lat_ticks))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: _degrees_label(v, "E", "W")))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: _degrees_label(v, "N", "S")))
    ax.tick_params(labelsize=7, length=2, colors="0.3")
    ax.grid(True, color=GRATICULE_COLOR, linewidth=0.4, linestyle=":")


def _simplified_lines(lines, tolerance_deg: float) -> list[np.ndarray]:
    """Border lines (lon, lat degrees) simplified within ``tolerance_deg`` (Douglas-Peucker, shapely)."""
    return [np.asarray(shapely.LineString(line).simplify(tolerance_deg).coords) if len(line) > 2 else line
            for line in lines]


@functools.lru_cache(maxsize=16)
def _plate_carree_base(extent: tuple[float, float, float, float], width_in: float):
    """Land (one path, or None) and border lines of a plate-carrée extent, simplified within half a
    pixel of the saved figure (``PNG_DPI``): built once per extent and width, shared by every map of it
    (matplotlib does not change a patch's path)."""
    tolerance_deg = (extent[1] - extent[0]) / (width_in * PNG_DPI) / 2.0
    land = [geography.country(name) for name in geography.country_names()]
    land = [shape.simplify(tolerance_deg) for shape in land if _overlaps(shape.bounds, extent)]
    borders = [line for line in geography.outlines()
               if _overlaps((line[:, 0].min(), line[:, 1].min(), line[:, 0].max(), line[:, 1].max()), extent)]
    return (_path(*land) if land else None), _simplified_lines(borders, tolerance_deg)


@functools.lru_cache(maxsize=16)
def _polar_base(min_lat_deg: float, central_lon_deg: float, width_in: float):
    """Land (one path) and border lines of a polar map, in its metres, simplified within half a pixel
    of the saved figure: built once per map kind."""
    tolerance_deg = 2.0 * (90.0 - min_lat_deg) / (width_in * PNG_DPI) / 2.0
    to_xy = pyproj.Transformer.from_crs(
        "EPSG:4326", f"+proj=aeqd +lat_0=90 +lon_0={central_lon_deg} +ellps=WGS84 +units=m", always_xy=True)

    class _Frame:  # what project() reads of an axes
        shieldcheck_to_xy = to_xy

    box = (-180.0, min_lat_deg - 5.0, 180.0, 90.0)
    land = [shapely.clip_by_rect(geography.country(name), *box) for name in geography.country_names()]
    land = [shape.simplify(tolerance_deg) for shape in land if not shape.is_empty]
    borders = []
    for line in _simplified_lines(geography.outlines(), tolerance_deg):
        if line[:, 1].max() >= box[1]:
            x, y = project(_Frame, np.where(line[:, 1] >= box[1], line[:, 1], np.nan), line[:, 0])
            borders.append(np.column_stack([x, y]))
    return _projected(_Frame, _path(*land)), borders


def world_axes(extent_lon_lat: tuple[float, float, float, float], *, title: str | None = None,
               width_in: float = 10.0) -> tuple[Figure, Axes]:
    """A plate-carrée map of (lon_min, lon_max, lat_min, lat_max) degrees with land, borders and graticule.

    Land is filled from the country polygons, borders and coasts drawn in grey, and a graticule
    every 10 degrees (20 where the map spans more than 60 degrees) labelled in degrees; the
    data source is credited in the lower right corner. The y axis is stretched by
    1/cos(mid-latitude). The figure has its own Agg canvas; pass it to :func:`save_png`.

    Raises:
        InputError: the extent is not within [-180, 180] x [-90, 90] or is empty.
    """
    extent = _checked_extent(extent_lon_lat)
    mid_lat_rad = math.radians(0.5 * (extent[2] + extent[3]))
    aspect = 1.0 / max(math.cos(mid_lat_rad), 0.1)
    height_in = width_in * (extent[3] - extent[2]) * aspect / (extent[1] - extent[0])
    figure = Figure(figsize=(width_in, min(max(height_in, 0.25 * width_in), 2.0 * width_in) + 0.6))
    FigureCanvasAgg(figure)
    ax = figure.add_subplot()
    ax.set_facecolor(SEA_COLOR)

    land, borders = _plate_carree_base(extent, width_in)
    if land is not None:  # an artist, not a patch: the limits are set below, so its many vertices need no walk
        ax.add_artist(PathPatch(land, facecolor=LAND_COLOR, edgecolor="none", zorder=Z_LAND))
    ax.add_collection(LineCollection(borders, colors=BORDER_COLOR, linewidths=0.4, zorder=Z_BORDERS),
                      autolim=False)

    _draw_graticule(ax, extent)
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_aspect(aspect, adjustable="box")
    ax.text(0.995, 0.005, ATTRIBUTION, transform=ax.transAxes, ha="right", va="bottom", fontsize=6, color="0.35",
            zorder=Z_SITES + 1)
    if title:
        ax.set_title(title, fontsize=11)
    return figure, ax


def polar_axes(min_lat_deg: float = 20.0, *, central_lon_deg: float = -40.0, title: str | None = None,
               width_in: float = 10.0) -> tuple[Figure, Axes]:
    """A map of the northern hemisphere down to ``min_lat_deg``, centred on the pole.

    Azimuthal equidistant (pyproj ``aeqd`` on WGS 84): distances from the pole and directions
    from it are true, so routes over the Arctic, which a plate carrée stretches into long arcs,
    stay nearly straight. ``central_lon_deg`` points down the page. Land, borders, parallels every
    15 degrees and meridians every 30 degrees; the figure has its own Agg canvas.
    """
    if not (-10.0 <= min_lat_deg < 80.0):
        raise InputError(f"min_lat_deg = {min_lat_deg} must be from -10 to 80 degrees")
    figure = Figure(figsize=(width_in, width_in + 0.6))
    FigureCanvasAgg(figure)
    ax = figure.add_subplot()
    ax.set_facecolor(SEA_COLOR)
    ax.shieldcheck_to_xy = pyproj.Transformer.from_crs(
        "EPSG:4326", f"+proj=aeqd +lat_0=90 +lon_0={central_lon_deg} +ellps=WGS84 +units=m", always_xy=True)
    land, borders = _polar_base(min_lat_deg, central_lon_deg, width_in)
    ax.add_artist(PathPatch(land, facecolor=LAND_COLOR, edgecolor="none", zorder=Z_LAND))  # limits set below
    ax.add_collection(LineCollection(borders, colors=BORDER_COLOR, linewidths=0.4, zorder=Z_BORDERS),
                      autolim=False)
    for lat in np.arange(math.ceil(min_lat_deg / 15.0) * 15.0, 90.0, 15.0):
        x, y = project(ax, np.full(361, lat), np.arange(-180.0, 181.0))
        ax.plot(x, y, color=GRATICULE_COLOR, linewidth=0.4, linestyle=":", zorder=Z_BORDERS)
        tx, ty = project(ax, [lat], [central_lon_deg])
        ax.annotate(_degrees_label(lat, "N", "S"), (tx[0], ty[0]), fontsize=6.5, color="0.35", ha="center",
                    va="bottom")
    for lon in np.arange(-180.0, 180.0, 30.0):
        x, y = project(ax, np.linspace(min_lat_deg, 90.0, 50), np.full(50, lon))
        ax.plot(x, y, color=GRATICULE_COLOR, linewidth=0.4, linestyle=":", zorder=Z_BORDERS)
        tx, ty = project(ax, [min_lat_deg + 2.0], [lon])
        ax.annotate(_degrees_label(lon, "E", "W"), (tx[0], ty[0]), fontsize=6.5, color="0.35", ha="center",
                    va="center")
    edge = project(ax, [min_lat_deg], [central_lon_deg])[1][0]
    ax.set_xlim(edge, -edge)
    ax.set_ylim(edge, -edge)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.text(0.995, 0.005, ATTRIBUTION, transform=ax.transAxes, ha="right", va="bottom", fontsize=6, color="0.35",
            zorder=Z_SITES + 1)
    if title:
        ax.set_title(title, fontsize=11)
    return figure, ax


def _add_patch(ax: Axes, patch: PathPatch) -> PathPatch:
    """Add ``patch`` to ``ax``; where the axes' limits are fixed (every map here sets them), without the
    walk over its vertices that updating the data limits costs (tens of ms for a coastline)."""
    if ax.get_autoscalex_on() or ax.get_autoscaley_on():
        return ax.add_patch(patch)
    ax.add_artist(patch)
    return patch


def draw_sector(ax: Axes, sector: geography.Sector, color="tab:red", label: str | None = None) -> PathPatch:
    """A sector as a translucent fill with a solid outline, labelled (for a legend) by ``label`` or its name."""
    patch = PathPatch(_projected(ax, _path(sector.geometry)), facecolor=to_rgba(color, 0.25), edgecolor=color,
                      linewidth=1.2,
                      label=sector.name if label is None else label, zorder=Z_SECTORS)
    return _add_patch(ax, patch)


def _broken_at_antimeridian(lat_deg, lon_deg) -> tuple[np.ndarray, np.ndarray]:
    """(lon, lat) of a line, with a NaN gap and an end point on each side where it crosses 180 degrees."""
    lat_deg = np.asarray(lat_deg, dtype=float).ravel()
    lon_deg = (np.asarray(lon_deg, dtype=float).ravel() + 180.0) % 360.0 - 180.0
    if lat_deg.shape != lon_deg.shape:
        raise InputError(f"a track needs as many latitudes as longitudes, got {lat_deg.size} and {lon_deg.size}")
    jumps = np.flatnonzero(np.abs(np.diff(lon_deg)) > 180.0)
    lon_parts, lat_parts, start = [], [], 0
    for k in jumps:
        edge_deg = 180.0 if lon_deg[k] > lon_deg[k + 1] else -180.0
        next_lon_deg = lon_deg[k + 1] + 2.0 * edge_deg
        fraction = (edge_deg - lon_deg[k]) / (next_lon_deg - lon_deg[k])
        crossing_lat_deg = lat_deg[k] + fraction * (lat_deg[k + 1] - lat_deg[k])
        lon_parts += [lon_deg[start:k + 1], [edge_deg, np.nan, -edge_deg]]
        lat_parts += [lat_deg[start:k + 1], [crossing_lat_deg, np.nan, crossing_lat_deg]]
        start = k + 1
    lon_parts.append(lon_deg[start:])
    lat_parts.append(lat_deg[start:])
    return np.concatenate(lon_parts), np.concatenate(lat_parts)


def draw_track(ax: Axes, lat_deg, lon_deg, **kw) -> list[Line2D]:
    """A ground track through (lat, lon) degrees, broken where it crosses the antimeridian.

    Keyword arguments go to ``Axes.plot`` (color, linewidth, label, ...).
    """
    if getattr(ax, "shieldcheck_to_xy", None) is None:
        x, y = _broken_at_antimeridian(lat_deg, lon_deg)
    else:  # continuous across the antimeridian on a polar map
        x, y = project(ax, np.asarray(lat_deg, dtype=float).ravel(), np.asarray(lon_deg, dtype=float).ravel())
    kw.setdefault("zorder", Z_TRACKS)
    kw.setdefault("linewidth", 1.2)
    return ax.plot(x, y, **kw)


def draw_sites(ax: Axes, lat_deg, lon_deg, labels: Sequence[str] | None = None, marker: str = "^",
               color="black") -> PathCollection:
    """Markers at (lat, lon) degrees, each with its label beside it when ``labels`` is given."""
    lat = np.atleast_1d(np.asarray(lat_deg, dtype=float))
    lon = (np.atleast_1d(np.asarray(lon_deg, dtype=float)) + 180.0) % 360.0 - 180.0
    if lat.shape != lon.shape or (labels is not None and len(labels) != lat.size):
        raise InputError(f"sites need as many latitudes, longitudes and labels: got {lat.size}, {lon.size} and "
                         f"{'no' if labels is None else len(labels)} labels")
    xs, ys = project(ax, lat, lon)
    markers = ax.scatter(xs, ys, marker=marker, color=color, s=28, edgecolors="white", linewidths=0.6,
                         zorder=Z_SITES)
    for text, x, y in zip(labels or (), xs, ys, strict=False):
        ax.annotate(text, (x, y), xytext=(4, 3), textcoords="offset points", fontsize=7, color=color,
                    zorder=Z_SITES)
    return markers


def _geodesic_points(lat_deg: float, lon_deg: float, radius_km: float, azimuth_deg: np.ndarray):
    """(lon, lat) degrees of the points ``radius_km`` from (lat, lon) along the given azimuths."""
    if not (math.isfinite(radius_km) and radius_km > 0.0):
        raise InputError(f"radius_km = {radius_km} must be finite and positive")
    n = azimuth_deg.size
    lon, lat, _ = _geod().fwd(np.full(n, float(lon_deg)), np.full(n, float(lat_deg)), azimuth_deg,
                              np.full(n, radius_km * 1000.0))
    return np.asarray(lon), np.asarray(lat)


def _geodesic_radial(lat_deg: float, lon_deg: float, radius_km: float, azimuth_deg: float):
    """(lon, lat) degrees along the geodesic from (lat, lon) out to ``radius_km`` on ``azimuth_deg``."""
    count = max(2, math.ceil(radius_km / RADIAL_STEP_KM) + 1)
    distance_m = np.linspace(0.0, radius_km * 1000.0, count)
    lon, lat, _ = _geod().fwd(np.full(count, float(lon_deg)), np.full(count, float(lat_deg)),
                              np.full(count, float(azimuth_deg)), distance_m)
    return np.asarray(lon), np.asarray(lat)


def draw_circle_km(ax: Axes, lat_deg: float, lon_deg: float, radius_km: float, **kw) -> list[Line2D]:
    """The geodesic circle of ``radius_km`` round (lat, lon) degrees, e.g. a radar's range ring.

    Keyword arguments go to ``Axes.plot``.
    """
    azimuth_deg = np.linspace(0.0, 360.0, round(360.0 / ARC_STEP_DEG) + 1)
    lon, lat = _geodesic_points(lat_deg, lon_deg, radius_km, azimuth_deg)
    return draw_track(ax, lat, lon, **kw)


def draw_wedge_km(ax: Axes, lat_deg: float, lon_deg: float, radius_km: float, azimuth_from_deg: float,
                  azimuth_to_deg: float, **kw) -> PathPatch:
    """A filled geodesic sector (a radar's field of view) from ``azimuth_from_deg`` clockwise to ``azimuth_to_deg``.

    Azimuths are clockwise from north; equal azimuths 360 degrees apart give a full disc.
    ``color`` (default "tab:blue") sets the outline and, with ``alpha`` (default 0.2), the fill;
    other keyword arguments go to ``PathPatch``. A wedge across the antimeridian is drawn on both
    sides of it.
    """
    span_deg = (float(azimuth_to_deg) - float(azimuth_from_deg)) % 360.0
    if span_deg == 0.0:
        if azimuth_to_deg == azimuth_from_deg:
            raise InputError(f"wedge from azimuth {azimuth_from_deg} to {azimuth_to_deg} deg has no width")
        span_deg = 360.0
    azimuth_deg = azimuth_from_deg + np.linspace(0.0, span_deg, max(2, math.ceil(span_deg / ARC_STEP_DEG) + 1))
    lon, lat = _geodesic_points(lat_deg, lon_deg, radius_km, azimuth_deg)
    ring = np.column_stack([lon, lat])
    if span_deg < 360.0:
        outward = np.column_stack(_geodesic_radial(lat_deg, lon_deg, radius_km, azimuth_deg[0]))
        inward = np.column_stack(_geodesic_radial(lat_deg, lon_deg, radius_km, azimuth_deg[-1]))[::-1]
        ring = np.vstack([outward[:-1], ring, inward[1:]])
    color = kw.pop("color", "tab:blue")
    alpha = kw.pop("alpha", 0.2)
    kw.setdefault("facecolor", to_rgba(color, alpha))
    kw.setdefault("edgecolor", color)
    kw.setdefault("linewidth", 0.8)
    kw.setdefault("zorder", Z_SECTORS)
    patch = PathPatch(_projected(ax, _path(geography.polygon_from_lon_lat(ring))), **kw)
    return _add_patch(ax, patch)


def save_png(fig: Figure, path) -> Path:
    """Write ``fig`` as a PNG at 110 dpi, cropped to its content; returns the path written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=PNG_DPI, bbox_inches="tight")
    return path


# Where a label may go beside its point, nearest first (offset in points, alignment); the far ring gets a
# leader line back to the point.
NEAR_OFFSETS_PT = ((4, 3, "left", "bottom"), (4, -3, "left", "top"), (-4, 3, "right", "bottom"),
                   (-4, -3, "right", "top"), (0, 6, "center", "bottom"), (0, -6, "center", "top"),
                   (8, 0, "left", "center"), (-8, 0, "right", "center"))
FAR_OFFSETS_PT = tuple((round(r * math.cos(a)), round(r * math.sin(a)),
                        "left" if math.cos(a) > 0.2 else "right" if math.cos(a) < -0.2 else "center",
                        "bottom" if math.sin(a) > 0.2 else "top" if math.sin(a) < -0.2 else "center")
                       for r in (18.0, 30.0, 44.0, 60.0, 80.0) for a in np.radians(np.arange(0.0, 360.0, 30.0)))
MARKER_BOX_PT = 3.5  # half-size of the box kept free round each labelled point
_HALO = [patheffects.withStroke(linewidth=2.0, foreground="white", alpha=0.85)]  # legible over tracks


def place_labels(ax: Axes, labels: Sequence[tuple], *, taken: list | None = None, optional: bool = False,
                 fontsize: float = 7.0, **style) -> list:
    """Labels beside their points, none over another or over a labelled point: each goes to the first free
    place of :data:`NEAR_OFFSETS_PT`, then of :data:`FAR_OFFSETS_PT` with a leader line; an ``optional``
    label (a country or sea name, written at its point) that finds no free place is left out. ``labels``:
    (x, y, text) in map coordinates, or (x, y, text, colour); ``taken``: display boxes already used
    (shared between calls, so later labels avoid earlier ones). Returns the placed ``Text`` artists.

    Why: a reader must be able to read every site's name; where labels collide none can be read.
    """
    from matplotlib.text import Text
    from matplotlib.transforms import Bbox

    figure = ax.figure
    renderer = figure.canvas.get_renderer()
    ax.apply_aspect()
    frame = ax.get_window_extent(renderer)
    taken = [] if taken is None else taken
    points = [ax.transData.transform((float(x), float(y))) for x, y, *_ in labels]
    pad = MARKER_BOX_PT * figure.dpi / 72.0
    if not optional:
        taken.extend(Bbox([[px - pad, py - pad], [px + pad, py + pad]]) for px, py in points)
    placed = []
    for (x, y, text, *colour), (px, py) in zip(labels, points):
        if not (frame.x0 <= px <= frame.x1 and frame.y0 <= py <= frame.y1):
            continue
        kw = dict(style, fontsize=fontsize, zorder=Z_SITES + 0.6, path_effects=_HALO)
        if colour:
            kw["color"] = colour[0]
        candidates = ((0, 0, "center", "center"),) if optional else NEAR_OFFSETS_PT + FAR_OFFSETS_PT
        for k, (dx, dy, ha, va) in enumerate(candidates):
            far = not optional and k >= len(NEAR_OFFSETS_PT)
            artist = ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points", ha=ha, va=va,
                                 arrowprops=dict(arrowstyle="-", color="0.35", linewidth=0.5, shrinkA=0, shrinkB=2)
                                 if far else None, **kw)
            artist.update_positions(renderer)
            box = Text.get_window_extent(artist, renderer).frozen()  # the text's box, not its leader line's
            inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
            if inside and not any(box.overlaps(other) for other in taken):
                taken.append(box)
                placed.append(artist)
                break
            artist.remove()
        else:
            if not optional:  # nowhere free: at its first place, drawn all the same (a name is never dropped)
                dx, dy, ha, va = NEAR_OFFSETS_PT[0]
                artist = ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points", ha=ha, va=va, **kw)
                artist.update_positions(renderer)
                taken.append(Text.get_window_extent(artist, renderer).frozen())
                placed.append(artist)
    return placed


@functools.lru_cache(maxsize=1)
def sea_labels() -> tuple[tuple[str, float, float], ...]:
    """(name, latitude, longitude) degrees of the seas and oceans the maps name (``data/sea_labels.csv``:
    the names of IHO S-23, a label point chosen inside each)."""
    import csv
    from importlib.resources import files

    text = files("shieldcheck").joinpath("data/sea_labels.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return tuple((r["name"], float(r["latitude_deg"]), float(r["longitude_deg"])) for r in rows)


@functools.lru_cache(maxsize=1)
def _country_label_points() -> tuple[tuple[str, float, float, float], ...]:
    """(name, lat, lon, area in square degrees) of each country's label point: the pole of inaccessibility
    (``shapely.ops.polylabel``) of its largest part in the shipped Natural Earth shapes, largest first."""
    from shapely.ops import polylabel

    out = []
    for name in geography.country_names():
        parts = geography.polygons(geography.country(name))
        if not parts:
            continue
        largest = max(parts, key=lambda p: p.area)
        point = polylabel(largest, tolerance=0.1)
        out.append((name, point.y, point.x, largest.area))
    return tuple(sorted(out, key=lambda r: -r[3]))


def label_places(ax: Axes, taken: list, *, countries: int = 40) -> list:
    """Country names (the ``countries`` largest on the shipped shapes, at their label points) and sea names
    (:func:`sea_labels`) where they fit without covering another label; returns the placed texts."""
    seas = [(*[v[0] for v in project(ax, [lat], [lon])], name)
            for name, lat, lon in sea_labels()]
    placed = place_labels(ax, seas, taken=taken, optional=True, fontsize=6.5, color="#4a6f8a", fontstyle="italic")
    lands = [(*[v[0] for v in project(ax, [lat], [lon])], name)
             for name, lat, lon, _ in _country_label_points()[:countries]]
    placed += place_labels(ax, lands, taken=taken, optional=True, fontsize=6, color="0.45")
    return placed
