"""Figures of the assessment report: phase maps, the emergence chart and engagement timelines.

Every function draws one figure with matplotlib's object API (``Figure`` with its own Agg
canvas, never pyplot), writes it as a PNG with :func:`shieldcheck.report.maps.save_png` and
returns the path. Inputs are plain numbers and names prepared by :mod:`shieldcheck.report.html`;
nothing here reads an assessment.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from . import maps

__all__ = ["MapLayers", "absentee_by_altitude", "answer_chart", "coverage_map", "coverage_over_time",
           "early_phase_chart", "emergence_chart", "guarantee_chart", "layer_map", "satellites_for_salvo",
           "share_by_size", "timelines"]

# Outcome colours shared by the maps, charts and the HTML legend.
ENGAGEABLE = "#1a9641"  # engageable under the architecture's own cueing
BOUNDING_ONLY = "#f08c00"  # engageable only under the bounding cue
NOT_ENGAGED = "#d7191c"  # not engageable (stated threats)
NOT_ENGAGED_RUSSIAN = "#7a7a7a"  # not engageable (Russian flights: grey, so the few that are stand out)
NO_FLIGHT = "#9e9e9e"
SITE_COLOR = "#1f3b73"
RADAR_COLOR = "#2b83ba"
SECTOR_COLORS = ("#3465a4", "#cc0000", "#75507b", "#c4a000", "#4e9a06")


@dataclass
class MapLayers:
    """What one map shows; every position in degrees (lat, lon)."""

    extent: tuple[float, float, float, float]
    title: str
    sectors: list = field(default_factory=list)  # geography.Sector
    # (name, lat, lon, boresight_deg, half_width_deg, range_km, label or None)
    radars: list[tuple] = field(default_factory=list)
    tracks: list[tuple] = field(default_factory=list)  # (lat array, lon array, colour, linewidth)
    sites: list[tuple] = field(default_factory=list)  # (name, lat, lon)
    points: list[tuple] = field(default_factory=list)  # (lat, lon, marker, colour, label or None)
    intercepts: list[tuple] = field(default_factory=list)  # (lat, lon, colour)
    legend: list[tuple] = field(default_factory=list)  # (label, kind "line"/"marker"/"patch", colour, marker)
    width_in: float = 9.0
    site_labels: bool = True
    polar: bool = False  # centred on the North Pole down to the extent's lowest latitude (maps.polar_axes)
    place_names: bool = True  # country and sea names where they fit (maps.label_places)
    placed: list = field(default_factory=list)  # after drawing: the labels of sites, radars and points (Text)
    placed_places: list = field(default_factory=list)  # after drawing: the country and sea names placed (Text)


def layer_map(layers: MapLayers, path: Path) -> Path:
    """A map of sectors, radar coverage, ground tracks, sites, points and intercept points."""
    if layers.polar:
        figure, ax = maps.polar_axes(layers.extent[2], title=layers.title, width_in=layers.width_in)
    else:
        figure, ax = maps.world_axes(layers.extent, title=layers.title, width_in=layers.width_in)
    for k, sector in enumerate(layers.sectors):
        maps.draw_sector(ax, sector, color=SECTOR_COLORS[k % len(SECTOR_COLORS)], label=f"sector {sector.name}")
    for _name, lat, lon, boresight_deg, half_width_deg, range_km, _label in layers.radars:
        if not (math.isfinite(range_km) and range_km > 0.0):
            continue
        if half_width_deg >= 180.0:
            start, end = boresight_deg - 180.0, boresight_deg + 180.0
        else:
            start, end = boresight_deg - half_width_deg, boresight_deg + half_width_deg
        maps.draw_wedge_km(ax, lat, lon, range_km, start, end, color=RADAR_COLOR, alpha=0.08, linewidth=0.6)
    for lat, lon, colour, width in layers.tracks:
        maps.draw_track(ax, lat, lon, color=colour, linewidth=width, alpha=0.85)
    labels = []  # (x, y, text, colour): placed together at the end, so that none covers another
    if layers.radars:
        maps.draw_sites(ax, [r[1] for r in layers.radars], [r[2] for r in layers.radars], marker="s",
                        color=RADAR_COLOR)
        labels += [(*_xy(ax, r[1], r[2]), r[6], RADAR_COLOR) for r in layers.radars if r[6] and layers.site_labels]
    if layers.sites:
        maps.draw_sites(ax, [s[1] for s in layers.sites], [s[2] for s in layers.sites], marker="^", color=SITE_COLOR)
        labels += [(*_xy(ax, s[1], s[2]), s[0], SITE_COLOR) for s in layers.sites if layers.site_labels]
    for lat, lon, marker, colour, label in layers.points:
        x, y = maps.project(ax, [lat], [lon])
        ax.scatter(x, y, marker=marker, s=30, color=colour, edgecolors="black", linewidths=0.4, zorder=maps.Z_SITES)
        if label:
            labels.append((x[0], y[0], label, "0.15"))
    if layers.intercepts:
        x, y = maps.project(ax, [p[0] for p in layers.intercepts], [p[1] for p in layers.intercepts])
        ax.scatter(x, y, marker="x", s=28, color=[p[2] for p in layers.intercepts], linewidths=1.3,
                   zorder=maps.Z_SITES + 0.5)
    renderer = figure.canvas.get_renderer()
    ax.apply_aspect()
    taken = [t.get_window_extent(renderer) for t in ax.texts]  # the graticule's labels and the attribution
    layers.placed = maps.place_labels(ax, labels, taken=taken, fontsize=6.5)
    layers.placed_places = maps.label_places(ax, taken) if layers.place_names else []
    handles = [_handle(*entry) for entry in layers.legend]
    handles += [Patch(facecolor=SECTOR_COLORS[k % len(SECTOR_COLORS)], alpha=0.4, label=f"sector {s.name}")
                for k, s in enumerate(layers.sectors)]
    if handles:  # below the map, where it hides nothing
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.05), ncol=min(4, len(handles)),
                  fontsize=7, frameon=False)
    path = maps.save_png(figure, path)
    return path



def _xy(ax, lat_deg: float, lon_deg: float) -> tuple[float, float]:
    x, y = maps.project(ax, [lat_deg], [lon_deg])
    return float(x[0]), float(y[0])


def _handle(label: str, kind: str, colour: str, marker: str | None = None):
    if kind == "line":
        return Line2D([], [], color=colour, linewidth=1.5, label=label)
    if kind == "patch":
        return Patch(facecolor=colour, alpha=0.3, edgecolor=colour, label=label)
    return Line2D([], [], color=colour if marker == "x" else "none", marker=marker or "o", markerfacecolor=colour,
                  markeredgecolor="black" if marker != "x" else colour, linestyle="none", label=label)


def new_figure(width_in: float, height_in: float) -> Figure:
    figure = Figure(figsize=(width_in, height_in))
    FigureCanvasAgg(figure)
    return figure


def emergence_chart(labels: list[str], architecture_s: list, bounding_s: list | None, stated_share: list,
                    path: Path) -> Path:
    """Per phase: the best Russian margin (s) under each cue basis, and the share of stated flights engageable.

    ``None`` entries (no margin: e.g. never tracked) are drawn as no bar with "no margin" written.
    """
    figure = new_figure(9.0, 6.0)
    top, bottom = figure.subplots(2, 1, gridspec_kw={"height_ratios": [3, 2]})
    x = np.arange(len(labels))
    series = [("architecture cueing", architecture_s, SITE_COLOR)]
    if bounding_s is not None:
        series.append(("bounding cue", bounding_s, BOUNDING_ONLY))
    width = 0.8 / len(series)
    finite = [v for _, values, _ in series for v in values if v is not None]
    span = max([abs(v) for v in finite] + [1.0])
    for k, (name, values, colour) in enumerate(series):
        offset = (k - (len(series) - 1) / 2) * width
        heights = [v if v is not None else 0.0 for v in values]
        top.bar(x + offset, heights, width * 0.95, color=colour, label=name)
        for xi, value in zip(x + offset, values):
            if value is None:
                top.text(xi, 0.02 * span, "no margin", rotation=90, ha="center", va="bottom", fontsize=7, color="0.3")
            else:
                top.text(xi, value, f"{value:+.0f} s", ha="center", va="bottom" if value >= 0 else "top", fontsize=7)
    top.axhline(0.0, color="black", linewidth=0.8)
    low = min([0.0] + finite)
    high = max([0.0] + finite)
    pad = 0.15 * max(high - low, 1.0)
    top.set_ylim(low - (pad if low < 0.0 else 0.5 * pad), high + (2.0 if high > 0.0 else 1.0) * pad + 0.1 * span)
    top.set_xticks(x, labels, fontsize=8)
    top.set_xlim(-0.5 - 0.5 / max(len(labels), 1), len(labels) - 0.5 + 0.5 / max(len(labels), 1))
    top.set_ylabel("best Russian margin (s)\n+ early, - late", fontsize=8)
    top.set_title("How close each phase comes to a Russian ICBM or SLBM bound for the US", fontsize=10, pad=18)
    top.legend(fontsize=7, loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=len(series), frameon=False,
               borderaxespad=0.2)  # above the bars, where it covers none
    top.tick_params(labelsize=7)
    shares = [100.0 * v if v is not None else 0.0 for v in stated_share]
    bottom.bar(x, shares, 0.5, color=ENGAGEABLE)
    for xi, value in zip(x, stated_share):
        bottom.text(xi, 100.0 * value if value is not None else 1.0,
                    f"{100.0 * value:.0f} %" if value is not None else "none flown", ha="center", va="bottom",
                    fontsize=7)
    bottom.set_ylim(0.0, 115.0)
    bottom.set_xticks(x, labels, fontsize=8)
    bottom.set_xlim(*top.get_xlim())
    bottom.set_ylabel("stated flights\nengageable (%)", fontsize=8)
    bottom.tick_params(labelsize=7)
    figure.tight_layout()
    return maps.save_png(figure, path)


@dataclass
class Timeline:
    """One threat flight seen by every site of one phase (times in s after the threat's launch)."""

    title: str
    flight_time_s: float
    sites: list[dict]  # label, verdict, first_detection_s, track_s, interceptor_launch_s, window_earliest_s,
    #                   window_latest_s, intercept_time_s (None where it does not apply)


def timelines(items: list[Timeline], path: Path) -> Path:
    """One panel per flight, one bar per site: flight, detection, track, interceptor launch, intercept window."""
    heights = [max(1, len(item.sites)) + 1.2 for item in items]
    figure = new_figure(9.0, 0.42 * sum(heights) + 0.6)
    axes = figure.subplots(len(items), 1, gridspec_kw={"height_ratios": heights}, squeeze=False)[:, 0]
    for ax, item in zip(axes, items):
        n = len(item.sites)
        for k, site in enumerate(item.sites):
            y = n - 1 - k
            ax.barh(y, item.flight_time_s, 0.5, color="#e0e0e0", edgecolor="0.6", linewidth=0.5)
            early, late = site.get("window_earliest_s"), site.get("window_latest_s")
            if early is not None and late is not None:
                ax.barh(y, max(late - early, item.flight_time_s * 0.004), 0.5, left=early, color=ENGAGEABLE,
                        alpha=0.8)
            for key, marker, colour in (("first_detection_s", "|", RADAR_COLOR), ("track_s", "|", "#1f1f7a"),
                                        ("interceptor_launch_s", "^", BOUNDING_ONLY),
                                        ("intercept_time_s", "x", "black")):
                value = site.get(key)
                if value is not None:
                    ax.plot([value], [y], marker=marker, color=colour, markersize=9 if marker == "|" else 6,
                            markeredgewidth=2 if marker == "|" else 1.2, linestyle="none")
            ax.text(item.flight_time_s * 1.01, y, site.get("verdict", ""), va="center", fontsize=7, color="0.25")
        ax.set_yticks(range(n), [s["label"] for s in reversed(item.sites)], fontsize=7)
        ax.set_xlim(0.0, item.flight_time_s * 1.2)
        ax.set_ylim(-0.7, n - 0.3)
        ax.set_title(item.title, fontsize=9, loc="left")
        ax.tick_params(axis="x", labelsize=7)
        ax.set_xlabel("time after the threat's launch (s)", fontsize=7)
    handles = [Patch(facecolor="#e0e0e0", edgecolor="0.6", label="threat in flight"),
               Line2D([], [], marker="|", color=RADAR_COLOR, linestyle="none", markersize=9, markeredgewidth=2,
                      label="first detection"),
               Line2D([], [], marker="|", color="#1f1f7a", linestyle="none", markersize=9, markeredgewidth=2,
                      label="track (cue)"),
               Line2D([], [], marker="^", color=BOUNDING_ONLY, linestyle="none", label="interceptor launch"),
               Patch(facecolor=ENGAGEABLE, alpha=0.8, label="intercept window"),
               Line2D([], [], marker="x", color="black", linestyle="none", label="earliest intercept")]
    figure.legend(handles=handles, loc="lower center", ncol=6, fontsize=7, frameon=False)
    figure.tight_layout(rect=(0.0, 0.04, 1.0, 1.0))
    return maps.save_png(figure, path)


# Cell colours of footprint maps, by footprint.CellState value (0: beyond reach, not drawn)
FOOTPRINT_COLORS = {1: "#f4a582", 2: "#fee08b", 3: "#1a9641"}
FOOTPRINT_LABELS = {1: "reached, not defended", 2: "partly defended", 3: "defended"}


def footprint_map(footprint, path: Path) -> Path:
    """A footprint's cells by state on a plate carrée of its region, with the phase's interceptor sites,
    the launch point (where it lies on the map) and the catalog cities, those inside labelled."""
    from matplotlib.collections import PolyCollection

    from .. import catalog

    region = footprint.grid.region
    pad_lon = 0.02 * (region.east_deg - region.west_deg)
    pad_lat = 0.02 * (region.north_deg - region.south_deg)
    extent = (max(region.west_deg - pad_lon, -180.0), min(region.east_deg + pad_lon, 180.0),
              max(region.south_deg - pad_lat, -90.0), min(region.north_deg + pad_lat, 90.0))
    title = (f"{footprint.phase}: {footprint.kind}, {footprint.missile} from {footprint.launch} "
             f"({footprint.area_km2:,.0f} km²)")
    figure, ax = maps.world_axes(extent, title=title, width_in=9.0)
    lat, lon = footprint.grid.corners_deg()
    drawn = footprint.cell_state > 0
    if drawn.any():
        polygons = np.stack([lon[drawn], lat[drawn]], axis=-1)
        colours = [FOOTPRINT_COLORS[int(s)] for s in footprint.cell_state[drawn]]
        ax.add_collection(PolyCollection(polygons, facecolors=colours, edgecolors="none", alpha=0.55,
                                         zorder=maps.Z_SECTORS), autolim=False)
    names = [s.split(":")[0] for s in footprint.sites]
    positions = []
    for name in dict.fromkeys(names):
        site = catalog.site(name)
        positions.append((name, site.latitude_deg, site.longitude_deg))
    if positions:
        maps.draw_sites(ax, [p[1] for p in positions], [p[2] for p in positions], labels=[p[0] for p in positions],
                        marker="^", color=SITE_COLOR)
    maps.draw_sites(ax, [footprint.launch_latitude_deg], [footprint.launch_longitude_deg], labels=[footprint.launch],
                    marker="o", color="black")
    for place in footprint.places:
        inside = place["state"] == "defended"
        x, y = maps.project(ax, [place["lat_deg"]], [place["lon_deg"]])
        ax.scatter(x, y, marker="*" if place["capital"] else "o", s=22 if place["capital"] else 10,
                   color="black" if inside else "0.55", zorder=maps.Z_SITES)
        if inside:
            ax.annotate(place["name"], (x[0], y[0]), xytext=(3, -7), textcoords="offset points", fontsize=6,
                        color="0.1", zorder=maps.Z_SITES)
    handles = [Patch(facecolor=FOOTPRINT_COLORS[k], alpha=0.55, label=FOOTPRINT_LABELS[k]) for k in (3, 2, 1)]
    handles += [_handle("interceptor site", "marker", SITE_COLOR, "^"), _handle("launch point", "marker", "black", "o"),
                _handle("capital (black: defended)", "marker", "black", "*"),
                _handle("other city (black: defended)", "marker", "0.55", "o")]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.05), ncol=3, fontsize=7, frameon=False)
    return maps.save_png(figure, path)


def guarantee_chart(limits, title: str, path: Path, *, width_in: float = 15.0) -> Path:
    """Per site (:class:`shieldcheck.guarantee.SiteLimit`): Russian flights engageable (solid) and the share of
    Iranian flights covered (dashed) against burnout speed and against launch delay, and the one against the
    other as the speed limit rises (labels: km/s). The legend is below the panels, where it hides no curve."""
    figure = new_figure(width_in, 4.9)
    *axes, trade = figure.subplots(1, 3)
    shares = [ax.twinx() for ax in axes]
    handles = []
    for k, limit in enumerate(limits):
        colour = SECTOR_COLORS[k % len(SECTOR_COLORS)]
        label = f"{limit.site} ({limit.interceptor})"
        for ax, share, x, russian, stated in ((axes[0], shares[0], limit.speeds_km_s, limit.russian_engageable,
                                               limit.stated_share),
                                              (axes[1], shares[1], limit.delays_s, limit.russian_engageable_by_delay,
                                               limit.stated_share_by_delay)):
            ax.plot(x, russian, marker="o", ms=3, color=colour)
            share.plot(x, [100 * v for v in stated], ls="--", color=colour)
        trade.plot(limit.russian_engageable, [100 * v for v in limit.stated_share], marker="o", ms=3, color=colour)
        for speed, x, y in zip(limit.speeds_km_s, limit.russian_engageable, limit.stated_share):
            trade.annotate(f"{speed:g}", (x, 100 * y), fontsize=6, xytext=(3, 3), textcoords="offset points",
                           color=colour)
        handles.append(Line2D([], [], color=colour, marker="o", ms=3, label=label))
    handles += [Line2D([], [], color="0.3", label="Russian flights engageable (solid, left axis)"),
                Line2D([], [], color="0.3", ls="--", label="Iranian flights covered, % (dashed, right axis)")]
    if any(limit.delays_s and limit.delays_s[0] <= 0.0 for limit in limits):  # shown, but never a limit
        axes[1].annotate("0 s: a launch at the threat's own launch,\nphysically impossible", (0.0, 0.0),
                         xytext=(6, 40), textcoords="offset points", fontsize=6.5, color="0.3",
                         arrowprops=dict(arrowstyle="-", color="0.5", linewidth=0.5))
    axes[0].set_xlabel("interceptor burnout speed (km/s)", fontsize=8)
    axes[1].set_xlabel("interceptor launch delay after the threat's launch (s)", fontsize=8)
    for ax, share in zip(axes, shares):
        ax.set_ylabel("Russian flights engageable", fontsize=8)
        share.set_ylabel("Iranian flights covered (%)", fontsize=8)
        share.set_ylim(-2, 102)
        ax.set_ylim(bottom=-0.5)
        ax.grid(alpha=0.3)
        ax.tick_params(labelsize=7)
        share.tick_params(labelsize=7)
    trade.set_xlabel("Russian flights engageable", fontsize=8)
    trade.set_ylabel("Iranian flights covered (%)", fontsize=8)
    trade.set_title("as the speed limit rises (labels: km/s)", fontsize=9)
    trade.set_ylim(-2, 102)
    trade.grid(alpha=0.3)
    trade.tick_params(labelsize=7)
    figure.suptitle(title, fontsize=10)
    figure.legend(handles=handles, loc="lower center", ncol=min(4, len(handles)), fontsize=7, frameon=False)
    figure.tight_layout(rect=(0.0, 0.09, 1.0, 1.0))
    return maps.save_png(figure, path)


@dataclass
class ReachPanel:
    """One site of the early-phase figure: its interceptor's reach at each speed and its distance to threat tracks.

    Times in s after the threat's launch, distances in km. ``reach``: (label, time_s, reach_km);
    ``tracks``: (label, time_s, distance_km, burnout_s) up to the threat's apogee; ``nearest``: (label, time_s,
    km) of the nearest any boost track comes, or None."""

    title: str
    launch_s: float
    reach: list[tuple]
    tracks: list[tuple]
    nearest: tuple | None = None


REACH_COLOURS = ("#9ecae1", "#4292c6", "#08306b")  # slow to fast
TRACK_COLOURS = ("#d7191c", "#f08c00", "#7b3294", "#1a9641")


def early_phase_chart(panels: list[ReachPanel], title: str, path: Path, columns: int | None = None) -> Path:
    """Per panel (a site, or a class of threat and a site): how far its interceptor can be from it (solid, one
    curve per speed) against the distance from the site to a few threat tracks (dashed, to apogee; boost drawn
    thicker, burnout marked). Where a solid curve stays below a dashed one, that threat is out of reach at that
    time. ``columns``: panels per row (default: all in one row), filled row by row."""
    columns = max(1, min(columns or len(panels), len(panels)))
    rows = -(-len(panels) // columns)
    width_in = 6.0 if rows == 1 else 4.6
    figure = new_figure(width_in * columns, (4.6 if rows == 1 else 3.6) * rows)
    axes = np.atleast_1d(figure.subplots(rows, columns, sharey=True, squeeze=False)).ravel()
    for ax in axes[len(panels):]:
        ax.set_visible(False)
    for ax, panel in zip(axes, panels):
        for k, (label, time_s, km) in enumerate(panel.reach):
            colour = REACH_COLOURS[min(k, len(REACH_COLOURS) - 1)] if len(panel.reach) > 1 else REACH_COLOURS[-1]
            ax.plot(time_s, km, color=colour, linewidth=1.8, label=label)
        for k, (label, time_s, km, burnout_s) in enumerate(panel.tracks):
            colour = TRACK_COLOURS[k % len(TRACK_COLOURS)]
            time_s, km = np.asarray(time_s), np.asarray(km)
            boost = time_s <= burnout_s
            ax.plot(time_s[boost], km[boost], color=colour, linewidth=2.4, linestyle="--")
            ax.plot(time_s[~boost], km[~boost], color=colour, linewidth=1.0, linestyle="--", label=label)
            if boost.any():
                ax.plot([time_s[boost][-1]], [km[boost][-1]], marker="o", color=colour, markersize=4)
        if panel.nearest is not None:
            label, time_s, km = panel.nearest
            ax.plot([time_s], [km], marker="x", color="black", markersize=7, linestyle="none", label=label)
        if math.isfinite(panel.launch_s):
            ax.axvline(panel.launch_s, color="0.4", linewidth=0.8, linestyle=":")
            ax.annotate("interceptor launch", (panel.launch_s, 0.0), xytext=(3, 3), textcoords="offset points",
                        fontsize=6.5, color="0.3", rotation=90, va="bottom")
        ax.set_title(panel.title, fontsize=9)
        ax.set_xlabel("time after the threat's launch (s)", fontsize=8)
        ends_s = [float(np.max(time_s)) for _, time_s, _, _ in panel.tracks if len(time_s)]
        ax.set_xlim(0.0, 1.05 * max(ends_s)) if ends_s else ax.set_xlim(left=0.0)
        ax.set_ylim(bottom=0.0)
        ax.grid(alpha=0.3)
        ax.tick_params(labelsize=7)
        ax.legend(fontsize=6.5, loc="upper left", frameon=False)
    for ax in axes[::columns]:
        ax.set_ylabel("straight-line distance from the site (km)", fontsize=8)
    figure.suptitle(title, fontsize=10)
    figure.tight_layout()
    return maps.save_png(figure, path)


ANSWER_SIZE_IN = (3.0, 1.55)  # the small figures beside the report's first answers: legible at 330 px wide


def _answer_axes(title: str):
    figure = new_figure(*ANSWER_SIZE_IN)
    ax = figure.add_subplot()
    ax.set_title(title, fontsize=7.5, loc="left")
    ax.tick_params(labelsize=6.5, length=2)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return figure, ax


def answer_chart(labels: list[str], series: list[tuple], title: str, path: Path, *, percent: bool = False) -> Path:
    """Small grouped bars per phase: ``series`` of (name, values or None, colour); each bar labelled with its value;
    a legend (above the bars, outside them) only where there are several series."""
    figure, ax = _answer_axes(title)
    x = np.arange(len(labels))
    width = 0.8 / max(len(series), 1)
    top = max([v for _, values, _ in series for v in values if v is not None] + [1.0])
    for k, (name, values, colour) in enumerate(series):
        offset = (k - (len(series) - 1) / 2) * width
        ax.bar(x + offset, [v or 0.0 for v in values], width * 0.92, color=colour, label=name)
        for xi, v in zip(x + offset, values):
            text = "—" if v is None else (f"{v:.0f}%" if percent else f"{v:,.0f}")
            ax.text(xi, (v or 0.0) + 0.03 * top, text, ha="center", va="bottom", fontsize=5.5)
    ax.set_xticks(x, labels, fontsize=6)
    ax.set_ylim(0.0, top * (1.25 if len(series) == 1 else 1.6))
    if percent:
        ax.set_ylim(0.0, 125.0)
        ax.set_yticks([0, 50, 100])
    if len(series) > 1:
        ax.legend(fontsize=5.5, loc="upper left", ncol=len(series), frameon=False, borderaxespad=0.1)
    figure.tight_layout(pad=0.3)
    return maps.save_png(figure, path)


def answer_timeline(dates: list, labels: list[str], colours: list[str], legend: list[tuple], title: str,
                    path: Path) -> Path:
    """Phases as points on a calendar line, each coloured by what it can do (``legend``: (label, colour))."""
    import matplotlib.dates as mdates

    figure, ax = _answer_axes(title)
    ax.plot(dates, [0] * len(dates), color="0.6", linewidth=1.0, zorder=1)
    ax.scatter(dates, [0] * len(dates), s=40, c=colours, edgecolors="black", linewidths=0.5, zorder=2)
    for k, (d, label) in enumerate(zip(dates, labels)):
        ax.annotate(label, (d, 0), xytext=(0, 7 if k % 2 == 0 else -12), textcoords="offset points", ha="center",
                    fontsize=5.5)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.set_ylim(-1.0, 1.0)
    import datetime

    span = max(max(dates) - min(dates), datetime.timedelta(days=3 * 365))  # one phase: three years round it
    pad = span * 0.12 if len(dates) > 1 else span / 2
    ax.set_xlim(min(dates) - pad, max(dates) + pad)
    ax.xaxis.set_major_locator(mdates.YearLocator(max(1, round(span.days / 365.25 / 6))))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.legend(handles=[Line2D([], [], marker="o", color="none", markerfacecolor=c, markeredgecolor="black",
                              label=text) for text, c in legend],
              fontsize=5.5, loc="upper center", bbox_to_anchor=(0.5, -0.28), ncol=len(legend), frameon=False,
              handletextpad=0.2, columnspacing=0.8)
    figure.tight_layout(pad=0.3)
    return maps.save_png(figure, path)


def answer_limit(speeds_km_s: list[float], russian: list[int], stated_share: list[float], limit_km_s, title: str,
                 path: Path) -> Path:
    """One site's speed sweep, small: Russian flights engageable (bars) and Iranian flights covered (line, %),
    the limit marked."""
    figure, ax = _answer_axes(title)
    step = min(np.diff(speeds_km_s)) if len(speeds_km_s) > 1 else 0.5
    ax.bar(speeds_km_s, russian, step * 0.8, color=BOUNDING_ONLY, label="Russian flights engageable (bars)")
    ax.set_xlabel("burnout speed (km/s)", fontsize=6, labelpad=1)
    ax.set_ylim(0, max(list(russian) + [1]) * 1.5)
    share = ax.twinx()
    share.plot(speeds_km_s, [100 * v for v in stated_share], color=ENGAGEABLE, marker="o", ms=2.5,
               label="Iranian flights covered, % (line)")
    share.set_ylim(0, 130)
    share.set_yticks([0, 50, 100])
    share.tick_params(labelsize=6, length=2)
    if limit_km_s is not None:
        ax.axvline(limit_km_s, color="black", linewidth=0.8, linestyle=":")
    handles = [Patch(facecolor=BOUNDING_ONLY, label="Russian engageable"),
               Line2D([], [], color=ENGAGEABLE, marker="o", ms=2.5, label="Iranian covered %"),
               Line2D([], [], color="black", linestyle=":", label="limit")]
    share.legend(handles=handles, fontsize=5.5, loc="upper left", ncol=3, frameon=False, borderaxespad=0.1,
                 handlelength=1.2, columnspacing=0.6)
    figure.tight_layout(pad=0.3)
    return maps.save_png(figure, path)


# --- space-based interceptors (report/sections/space.py) -------------------------------------------------------
SNAPSHOT_COLOURS = ("#d7191c", "#f08c00", "#1a9641", "#2b83ba", "#7b3294", "#8c510a")


def coverage_map(extent: tuple[float, float, float, float], snapshots: list[tuple], launch: tuple, track: tuple,
                 title: str, path: Path) -> Path:
    """Sub-satellite points over a launch area: per snapshot (label, lat, lon, engaging lat, engaging lon), every
    satellite as a small dot and those that can engage the launch as large ones, in the snapshot's colour;
    ``launch`` (name, lat, lon) a star, ``track`` (lat, lon) the boost's ground track."""
    figure, ax = maps.world_axes(extent, title=title, width_in=9.0)
    lat_track, lon_track = track
    if len(lat_track):
        maps.draw_track(ax, lat_track, lon_track, color="black", linewidth=2.0)
    handles = []
    for k, (label, lat, lon, engaging_lat, engaging_lon) in enumerate(snapshots):
        colour = SNAPSHOT_COLOURS[k % len(SNAPSHOT_COLOURS)]
        if len(lat):
            x, y = maps.project(ax, lat, lon)
            ax.scatter(x, y, s=2.5, color=colour, alpha=0.45, linewidths=0, zorder=maps.Z_SITES - 0.5)
        if len(engaging_lat):
            x, y = maps.project(ax, engaging_lat, engaging_lon)
            ax.scatter(x, y, s=42, color=colour, edgecolors="black", linewidths=0.6, zorder=maps.Z_SITES + 0.5)
        handles.append(Line2D([], [], color="none", marker="o", markerfacecolor=colour, markeredgecolor="black",
                              label=label))
    name, lat0, lon0 = launch
    x, y = maps.project(ax, [lat0], [lon0])
    ax.scatter(x, y, marker="*", s=120, color="white", edgecolors="black", linewidths=0.8, zorder=maps.Z_SITES + 1)
    handles += [Line2D([], [], color="none", marker="*", markerfacecolor="white", markeredgecolor="black",
                       markersize=10, label=f"{name} (launch)"),
                Line2D([], [], color="black", linewidth=2.0, label="boost ground track")]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.05), ncol=min(3, len(handles)),
              fontsize=7, frameon=False)
    return maps.save_png(figure, path)


def _plain_log_axis(axis) -> None:
    """A logarithmic axis labelled 1,000 and 2,000 rather than 10^3 and 2 x 10^3."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    axis.set_major_locator(LogLocator(base=10.0, subs=(1.0, 2.0, 5.0)))
    axis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}" if value >= 1 else f"{value:g}"))
    axis.set_minor_formatter(NullFormatter())


def _space_axes(width_in: float, height_in: float, title: str, xlabel: str, ylabel: str):
    figure = new_figure(width_in, height_in)
    ax = figure.add_subplot()
    ax.set_title(title, fontsize=9)
    ax.set_xlabel(xlabel, fontsize=8)
    ax.set_ylabel(ylabel, fontsize=8)
    ax.tick_params(labelsize=7)
    ax.grid(alpha=0.3)
    return figure, ax


def coverage_over_time(series: list[tuple], title: str, path: Path) -> Path:
    """Satellites that can engage one flight launched at each time of the day: ``series`` of (label, hours,
    satellites engaging)."""
    figure, ax = _space_axes(8.0, 3.2, title, "launch time (hours after the constellation's epoch)",
                             "satellites that can engage it")
    for k, (label, hours, engaging) in enumerate(series):
        ax.step(hours, engaging, where="post", color=SNAPSHOT_COLOURS[k % len(SNAPSHOT_COLOURS)], linewidth=1.4,
                label=label)
    ax.set_xlim(0.0, 24.0)
    ax.set_xticks(range(0, 25, 3))
    ax.set_ylim(bottom=0.0)
    ax.legend(fontsize=6.5, loc="upper left", frameon=False)
    figure.tight_layout()
    return maps.save_png(figure, path)


def share_by_size(series: list[tuple], thresholds: list[float], studied: int, title: str, path: Path) -> Path:
    """Share of launches engageable in boost against the constellation's size (log axis): ``series`` of (label,
    satellites, share 0-1), the ``thresholds`` as dotted lines and the studied size as a dashed one."""
    figure, ax = _space_axes(7.0, 3.6, title, "satellites in orbit (the same Walker family)",
                             "share of warheads engageable (%)")
    for k, (label, sizes, shares) in enumerate(series):
        ax.plot(sizes, [100.0 * s for s in shares], marker="o", markersize=3.5, linewidth=1.4,
                color=SNAPSHOT_COLOURS[k % len(SNAPSHOT_COLOURS)], label=label)
    for level in thresholds:
        ax.axhline(100.0 * level, color="0.35", linewidth=0.8, linestyle=":")
        ax.annotate(f"{level:.0%}", (1.0, 100.0 * level), xycoords=("axes fraction", "data"), xytext=(3, 0),
                    textcoords="offset points", fontsize=6.5, va="center", color="0.3")
    ax.axvline(studied, color="black", linewidth=0.9, linestyle="--")
    ax.annotate(f"studied: {studied:,}", (studied, 2.0), xytext=(3, 3), textcoords="offset points", fontsize=6.5,
                rotation=90, va="bottom")
    ax.set_xscale("log")
    _plain_log_axis(ax.xaxis)
    ax.set_ylim(0.0, 105.0)
    ax.legend(fontsize=6.5, loc="upper left", frameon=False)
    figure.tight_layout()
    return maps.save_png(figure, path)


def absentee_by_altitude(series: list[tuple], title: str, path: Path) -> Path:
    """Absentee ratio (satellites in orbit per satellite in range, log axis) against the orbit's altitude:
    ``series`` of (label, altitudes km, ratios or None where none is ever in range: drawn as an open triangle
    at the top)."""
    figure, ax = _space_axes(6.5, 3.6, title, "altitude of the orbits (km)",
                             "satellites in orbit per satellite in range")
    finite = [r for _, _, ratios in series for r in ratios if r is not None] or [1.0]
    top = max(finite) * 3.0
    for k, (label, altitudes, ratios) in enumerate(series):
        colour = SNAPSHOT_COLOURS[k % len(SNAPSHOT_COLOURS)]
        pairs = [(a, r) for a, r in zip(altitudes, ratios) if r is not None]
        if pairs:
            ax.plot(*zip(*pairs), marker="o", markersize=3.5, linewidth=1.4, color=colour, label=label)
        none = [a for a, r in zip(altitudes, ratios) if r is None]
        if none:
            ax.scatter(none, [top] * len(none), marker="^", s=30, facecolors="none", edgecolors=colour,
                       label=f"{label}: none in range")
    ax.set_yscale("log")
    _plain_log_axis(ax.yaxis)
    ax.set_ylim(min(finite) / 2.0, top * 1.6)
    ax.legend(fontsize=6.5, loc="best", frameon=False)
    figure.tight_layout()
    return maps.save_png(figure, path)


def satellites_for_salvo(salvo_sizes: list[int], needed: list, largest: list[int], probability: float, title: str,
                         path: Path) -> Path:
    """Satellites needed to engage every missile of a salvo with ``probability`` against the salvo's size; where
    no size tried was enough (None), an open triangle at the largest tried ("more than")."""
    figure, ax = _space_axes(6.5, 3.6, title, "missiles launched together",
                             f"satellites to engage all in {probability:.0%} of trials")
    found = [(k, n) for k, n in zip(salvo_sizes, needed) if n is not None]
    if found:
        ax.plot(*zip(*found), marker="o", markersize=4, linewidth=1.4, color=SNAPSHOT_COLOURS[3], label="needed")
    beyond = [(k, m) for k, n, m in zip(salvo_sizes, needed, largest) if n is None]
    if beyond:
        ax.scatter(*zip(*beyond), marker="^", s=40, facecolors="none", edgecolors=SNAPSHOT_COLOURS[0],
                   label="more than the largest tried")
    ax.set_yscale("log")
    _plain_log_axis(ax.yaxis)
    ax.set_xticks(salvo_sizes)
    ax.legend(fontsize=6.5, loc="best", frameon=False)
    figure.tight_layout()
    return maps.save_png(figure, path)
