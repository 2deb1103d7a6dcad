"""The battle-space figure of one (threat flight, interceptor site) pair: why an intercept works or fails.

Two panels share the threat's altitude as their vertical axis. Left, against time since the threat's
launch: the threat's altitude, the detection, cue and interceptor-launch times, the interceptor's
altitude band, and the intercept window. Right, against ground range from the interceptor site: the
threat's path and the interceptor's reach (contours of its earliest arrival, s after its launch, from
the reach envelope of the bin facing the threat). On both, each sample of the threat is coloured by
what it offers: usable in time (the kill vehicle's endgame holds), reached in time but failing the
endgame, reached only late, or out of reach / outside the altitude band.

Inputs are what :func:`shieldcheck.engagement.sample_by_sample` and
:func:`shieldcheck.engagement.engage` return; the figure is drawn with matplotlib's object API and
written with :func:`shieldcheck.report.maps.save_png`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from . import maps
from .figures import ENGAGEABLE, NOT_ENGAGED, NO_FLIGHT, SITE_COLOR

ENDGAME_FAILS = "#f08c00"  # reached in time, but the kill vehicle's endgame fails there
LATE = NOT_ENGAGED
REACH_CONTOURS_S = (60, 120, 180, 240, 300, 420, 600, 900)


def classes(samples: dict) -> np.ndarray:
    """Per sample: 0 out of reach or band, 1 reached late, 2 reached in time but the endgame fails,
    3 usable in time."""
    reached = samples["reachable"]
    in_time = reached & (samples["slack_s"] >= 0.0)
    usable = samples["reason"] == 0
    out = np.zeros(reached.shape, int)
    out[reached] = 1
    out[in_time & ~usable] = 2
    out[in_time & usable] = 3
    return out


def draw(track: dict, samples: dict, result, envelope, *, title: str, path: Path) -> Path:
    """Write the battle-space PNG of one pair to ``path``.

    ``track``: ``Flights.trajectory_of``; ``samples``: ``engagement.sample_by_sample`` for the same
    interceptor launch; ``result``: the pair's ``engagement.Engagement``; ``envelope``: the
    ``reach.ReachEnvelope`` facing the threat (None to leave the reach out)."""
    t = np.asarray(track["time_s"], float)
    altitude_km = np.asarray(track["altitude_m"], float) / 1e3
    ground_km = np.asarray(samples["ground_range_m"], float) / 1e3
    kind = classes(samples)
    colours = np.array([NO_FLIGHT, LATE, ENDGAME_FAILS, ENGAGEABLE])[kind]
    fig = Figure(figsize=(11.0, 4.6))
    FigureCanvasAgg(fig)
    left, right = fig.subplots(1, 2, sharey=True)
    for ax, x in ((left, t), (right, ground_km)):
        ax.plot(x, altitude_km, color="#4d4d4d", linewidth=0.8, zorder=2)
        ax.scatter(x, altitude_km, c=colours, s=9, zorder=3, linewidths=0)
    a = result.assumptions
    low, high = a["min_intercept_altitude_km"], a["max_intercept_altitude_km"]
    for ax in (left, right):
        ax.axhspan(low, min(high, altitude_km.max() * 1.15 + 50.0), color="#dfe8f5", zorder=0)
        ax.grid(alpha=0.3)
    marks = []
    if result.detection:
        if result.detection.get("first_s") is not None:
            marks.append((result.detection["first_s"], "first detection", "#2b83ba", ":"))
        if result.detection.get("track_s") is not None:
            marks.append((result.detection["track_s"], "track (cue)", "#1f1f7a", "--"))
    if result.interceptor_launch_s is not None:
        marks.append((result.interceptor_launch_s, "interceptor launch", SITE_COLOR, "-"))
    for x, label, colour, style in marks:
        left.axvline(x, color=colour, linestyle=style, linewidth=1.1, label=f"{label} {x:.0f} s")
    if result.window:
        left.axvspan(result.window["earliest_s"], result.window["latest_s"], color=ENGAGEABLE, alpha=0.12,
                     label=f"intercept window {result.window['earliest_s']:.0f}-{result.window['latest_s']:.0f} s")
    left.set_xlabel("time since the threat's launch (s)")
    left.set_ylabel("threat altitude (km)")
    if envelope is not None:
        nx, ny = envelope.time_s.shape
        r = np.arange(nx) * envelope.range_step_m / 1e3
        h = np.arange(ny) * envelope.altitude_step_m / 1e3
        grid = np.where(np.isfinite(envelope.time_s), envelope.time_s, np.nan).T
        levels = [lv for lv in REACH_CONTOURS_S if np.nanmin(grid) < lv < np.nanmax(grid)]
        if levels:
            contours = right.contour(r, h, grid, levels=levels, colors=SITE_COLOR, linewidths=0.6, alpha=0.7)
            right.clabel(contours, fmt="%d s", fontsize=7)
        right.set_xlim(0.0, max(float(np.nanmax(ground_km)), 100.0) * 1.05)
    right.scatter([0.0], [0.0], marker="^", s=50, color=SITE_COLOR, zorder=4, clip_on=False)
    right.set_xlabel("ground range from the interceptor site (km)")
    handles = [Patch(color="#dfe8f5", label=f"intercept altitude band {low:,.0f}-{high:,.0f} km"),
               Line2D([], [], color=ENGAGEABLE, marker="o", linestyle="none", label="usable in time"),
               Line2D([], [], color=ENDGAME_FAILS, marker="o", linestyle="none",
                      label="reached in time, endgame fails"),
               Line2D([], [], color=LATE, marker="o", linestyle="none", label="reached only late"),
               Line2D([], [], color=NO_FLIGHT, marker="o", linestyle="none", label="out of reach or band"),
               Line2D([], [], color=SITE_COLOR, linewidth=0.6, label="interceptor reach: earliest arrival")]
    # below the panels, where they cover no point of the path (saved with bbox_inches="tight")
    left.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=2, frameon=False)
    right.legend(handles=handles, fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=2, frameon=False)
    left.set_ylim(0.0, altitude_km.max() * 1.15 + 50.0)
    fig.suptitle(title, fontsize=10)
    return maps.save_png(fig, path)


def plot_pair(track: dict, interceptor, site, result, *, endgame, guides=(), rcs_m2: float = 0.1, title: str,
              path: Path) -> Path:
    """The battle space of one evaluated pair (``result`` from ``engagement.engage`` on ``track``): its
    samples for the same interceptor launch, the envelope facing its best point, the figure."""
    from .. import earth as earth_mod
    from .. import reach
    from ..engagement import sample_by_sample

    launch_s = result.interceptor_launch_s
    if launch_s is None:  # never launched: every sample is out of reach
        n = len(track["time_s"])
        distance, _ = earth_mod.geodesic_inverse(site.latitude_deg, site.longitude_deg, track["latitude_deg"],
                                                 track["longitude_deg"], earth_mod.earth_model(earth_mod.DEFAULT_EARTH))
        samples = {"reachable": np.zeros(n, bool), "slack_s": np.full(n, -np.inf), "reason": np.zeros(n, int),
                   "ground_range_m": distance}
        return draw(track, samples, result, None, title=title, path=path)
    samples = sample_by_sample(track, interceptor, site, launch_s, endgame=endgame, guides=guides, rcs_m2=rcs_m2)
    best = int(np.argmax(np.where(samples["reachable"], samples["slack_s"], -np.inf))) if samples["reachable"].any() \
        else int(np.argmin(samples["ground_range_m"]))
    _, azimuth = earth_mod.geodesic_inverse(site.latitude_deg, site.longitude_deg, track["latitude_deg"][best],
                                            track["longitude_deg"][best], earth_mod.earth_model(earth_mod.DEFAULT_EARTH))
    envelope = reach.envelope(interceptor.vehicle, site.latitude_deg, float(azimuth))
    return draw(track, samples, result, envelope, title=title, path=path)


def evaluate_row(scenario, threats, row: dict, shapes: dict | None = None):
    """The track, interceptor, site, cueing, evaluation (``engagement.engage``) and options of one results
    row, re-evaluated with the assessment's inputs; None where its flight was not flown."""
    from ..assess import site_inputs
    from ..engagement import engage

    found = np.flatnonzero(threats.flown_ids == int(row["flight_id"])) if threats.flown is not None else []
    if not len(found):
        return None
    k = int(found[0])
    if shapes is None:
        shapes = scenario.sector_shapes() if scenario.sectors else {}
    phase = scenario.phase(row["phase"])
    entry = next(e for e in phase.sites if e.site == row["site"] and e.interceptor == row["interceptor"])
    interceptor, site, _, cueing, options = site_inputs(entry, scenario, shapes, row["cue_basis"])
    track = threats.flown.trajectory_of(k)
    result = engage(track, interceptor, site, cueing=cueing, sensors=tuple(options["sensors"]),
                    own_radar=(options["own_radars"] or [None])[0], launch_delay_s=options["launch_delay_s"],
                    shoot_look_shoot_s=scenario.assumptions.shoot_look_shoot_s.value, rcs_m2=options["rcs_m2"],
                    burnout_time_s=float(threats.flown.burnout_time_s[k]), sector=options["sectors"][0],
                    endgame=options["endgame"], apogee_time_s=float(threats.flown.apogee_time_s[k]),
                    flight_phase=options["flight_phase"])
    return track, interceptor, site, cueing, result, options


def figure_of_row(scenario, threats, row: dict, path: Path, title: str | None = None, shapes: dict | None = None):
    """The battle-space figure of one results row (:func:`evaluate_row`, then :func:`plot_pair`) at ``path``,
    titled ``title`` and its verdict, with the evaluation it draws: (path, ``engagement.Engagement``); None
    where its flight was not flown."""
    pair = evaluate_row(scenario, threats, row, shapes)
    if pair is None:
        return None
    track, interceptor, site, cueing, result, options = pair
    title = title or f"{row['missile']} {row['launch']} → {row['aim']}: {row['site']}, {row['phase']}, {row['cue_basis']} cue"
    return plot_pair(track, interceptor, site, result, endgame=options["endgame"],
                     guides=cueing.guides(options["sensors"], (options["own_radars"] or [None])[0]),
                     rcs_m2=options["rcs_m2"], title=f"{title}: {result.verdict.name.lower().replace('_', ' ')}",
                     path=path), result
