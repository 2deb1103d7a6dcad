"""A few representative engagements drawn two ways: timelines (every site of the phase against one
flight, in seconds after its launch) and battle spaces (the threat's path coloured by what it offers
the interceptor, :mod:`shieldcheck.report.battlespace`)."""

from __future__ import annotations

import html

from ...aggregate import finite
from ...scene import site_label
from .. import figures
from ..battlespace import figure_of_row
from ..context import Context
from ..markup import howto


def representative_pairs(ctx: Context) -> list[tuple[str, dict]]:
    """The representative (reason, result row) pairs the timelines and battle spaces show."""
    f = ctx.facts
    picks: list[tuple[str, dict]] = []

    def best(purpose: str, basis: str, feasible_only: bool = False):
        rows = [r for r in f.rows if r.get("purpose") == purpose and r["cue_basis"] == basis
                and finite(r.get("margin_s")) is not None and (not feasible_only or r.get("verdict") == "feasible")]
        return max(rows, key=lambda r: r["margin_s"], default=None)

    for why, row in (("the Russian flight with the best margin under the architecture's cueing",
                      best("russian-concern", "architecture")),
                     ("the Russian flight with the best margin under the bounding cue",
                      best("russian-concern", "bounding")),
                     ("an Iranian flight engageable under the architecture's cueing (the best margin)",
                      best("stated", "architecture", True)),
                     ("the Iranian flight that comes closest (no Iranian flight is engageable under the "
                      "architecture's cueing)", None if best("stated", "architecture", True) else
                      next((best("stated", b) for b in f.bases if best("stated", b)), None))):
        if row is not None and not any(p[1]["flight_id"] == row["flight_id"] and p[1]["phase"] == row["phase"]
                                       and p[1]["cue_basis"] == row["cue_basis"] for p in picks):
            picks.append((why, row))
    endgame_fails = next((r for r in f.rows if r.get("purpose") == "russian-concern" and r["cue_basis"] == "bounding"
                          and r.get("verdict") == "endgame_infeasible"), None)
    if endgame_fails is not None:
        picks.append(("a Russian flight the interceptor reaches but its kill vehicle cannot use (bounding cue)",
                      endgame_fails))
    return picks


def timelines(ctx: Context) -> str:
    """The representative flights' timelines, one panel per flight, one line per site of its phase."""
    f = ctx.facts
    picks = representative_pairs(ctx)
    parts = ['<section id="timelines"><h2>Timelines</h2>',
             howto("For a few representative flights, every site of the phase on one line each: the threat's "
                   "flight from launch to impact (grey), the first detection and the established track of "
                   "the site's cueing sensors (under a delay cue there are none: the launch is at the stated "
                   "delay), the interceptor's launch (▲), the intercept window (green: the times at which "
                   "an interceptor launched then could meet the threat in its altitude band) and the earliest "
                   "intercept (×). A site with no green bar cannot intercept; its verdict is written at the "
                   "right.")]
    if not picks:
        parts.append("<p>No flight has a margin at any site: there is no engagement to show.</p></section>")
        return "".join(parts)
    items, listed = [], []
    for why, row in picks:
        rows = [r for r in f.rows if r["flight_id"] == row["flight_id"] and r.get("phase") == row.get("phase")
                and r["cue_basis"] == row["cue_basis"]]
        rows.sort(key=lambda r: site_label(r))
        flight_time = finite(row.get("flight_time_s"))
        if flight_time is None:
            flight_time = finite(f.flights.get(row["flight_id"], {}).get("flight_time_s"))
        if flight_time is None:
            continue
        title = (f"{f.flight_name(row['flight_id'])}: {row.get('phase')}, {row['cue_basis']} cue "
                 f"(flight {flight_time:,.0f} s)")
        sites = [{"label": site_label(r), "verdict": (r.get("verdict") or "").replace("_", " "),
                  **{k: finite(r.get(k)) for k in ("first_detection_s", "track_s", "interceptor_launch_s",
                                                   "window_earliest_s", "window_latest_s", "intercept_time_s")}}
                 for r in rows]
        items.append(figures.Timeline(title, flight_time, sites))
        listed.append(f"<li>{html.escape(title)}: {html.escape(why)}.</li>")
    if not items:
        parts.append("<p>No flight time is known for the chosen flights.</p></section>")
        return "".join(parts)
    path = figures.timelines(items, ctx.figs.path("timelines"))
    parts.append("<ul>" + "".join(listed) + "</ul>")
    parts.append(ctx.figs.embed(path, "engagement timelines", "Engagement timelines, one panel per flight, "
                                "times in seconds after the threat's launch."))
    parts.append("</section>")
    return "".join(parts)


def battle_spaces(ctx: Context) -> str:
    """For the representative pairs: why the intercept works or fails, drawn as analysts draw it."""
    parts = ['<section id="battle-space"><h2>Battle space</h2>',
             howto("For the representative pairs of the timelines: the threat's altitude against time (left) "
                   "and against ground range from the interceptor site (right). Each point of the threat's "
                   "path is coloured by what it offers the interceptor launched on the cue: usable in time "
                   "(green), reached in time but failing the kill vehicle's endgame (orange: a tail chase, a "
                   "closing speed or divert beyond its limits), reached only late (red), out of reach or of "
                   "the altitude band (grey). The blue lines on the right are the interceptor's reach: its "
                   "earliest arrival, seconds after its launch, from the reach envelope facing the threat.")]
    drawn = 0
    shapes = ctx.scenario.sector_shapes() if ctx.scenario.sectors else {}  # once, for every pair
    for why, row in representative_pairs(ctx):
        title = f"{ctx.facts.flight_name(row['flight_id'])}: {site_label(row)}, {row.get('phase')}, {row['cue_basis']} cue"
        try:
            drawn_pair = figure_of_row(ctx.scenario, ctx.facts.assessment.flights, row,
                                       ctx.figs.path(f"battle-space-{drawn + 1}"), title, shapes)
        except (KeyError, ValueError, StopIteration):
            continue
        if drawn_pair is None:
            continue
        path, result = drawn_pair
        parts.append(ctx.figs.embed(path, f"battle space: {title}",
                                    f"{html.escape(title)}: {html.escape(why)}. {html.escape(result.message)}"
                                    + (f" ({html.escape(result.detail)})" if result.detail else "")))
        drawn += 1
    if not drawn:
        parts.append("<p>No pair to draw: no flight was flown.</p>")
    return "".join(parts) + "</section>"
