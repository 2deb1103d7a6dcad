"""Threats built to evade defences: glide vehicles and fractional orbits, engageable by phase, and when
each radar first sees them beside a ballistic missile on the same route."""

from __future__ import annotations

import html

from ...scene import site_label
from ..context import Context
from ..facts import nearest
from ..markup import DASH, howto, html_table


def evasive(ctx: Context) -> str:
    """Glide vehicles and fractional orbits: engageable by phase, and when each radar first sees them
    against a ballistic missile on the same route."""
    f = ctx.facts
    ids = f.evasive_ids()
    if not ids:
        return ""
    rows = []
    for flight_id in ids:
        for phase in f.phases:
            cells = [html.escape(f.flight_name(flight_id)), html.escape(phase.name)]
            for basis in f.bases:
                o = f.of(phase, "russian-concern", basis).get(flight_id)
                cells.append(DASH + ctx.notes.mark("not assessed under this cue basis") if o is None else
                             ('<span class="ok">engageable by ' + html.escape(", ".join(site_label(r) for r in o.engaged))
                              + "</span>") if o.engageable else
                             html.escape(f"not engageable; {nearest(o)}"))
            rows.append(cells)
    seen = []
    for flight_id in ids:
        twin = f.ballistic_twin(flight_id)
        mine, theirs = f.detections(flight_id), f.detections(twin)
        for sensor in sorted(set(mine) | set(theirs)):
            cells = [html.escape(f.flight_name(flight_id)), html.escape(sensor)]
            for found, who in ((mine, "this flight"), (theirs, "the ballistic missile")):
                first, track = found.get(sensor, (None, None))
                cells += [ctx.notes.cell(first, ",.0f", " s", why=f"{who}: never detected by this sensor"),
                          ctx.notes.cell(track, ",.0f", " s", why=f"{who}: never tracked by this sensor")]
            cells.append(html.escape(f.flight_name(twin)) if twin is not None else
                         DASH + ctx.notes.mark("no ballistic flight on the same route in the threat sets"))
            seen.append(cells)
    header = ["flight", "phase"] + [f"{b} cue" for b in f.bases]
    parts = ['<section id="evasive"><h2>Threats built to evade defences</h2>',
             howto("Glide vehicles and fractional-orbit (FOBS) flights: first, phase by phase, whether a site "
                   "could engage them; then, radar by radar (every sensor of the catalog, whatever the "
                   "architecture), when each is first detected and tracked (seconds after launch) beside a "
                   "ballistic ICBM flown from the same launch area to the same aim point on its "
                   "minimum-energy path. The models are stated in every flight's row of flights.parquet "
                   "(flight_model): the glide vehicle's lift law and lift-to-drag ratio, the FOBS orbit and "
                   "deorbit impulse."),
             html_table(header, rows)]
    if seen:
        parts.append(html_table(["flight", "sensor", "first detection", "track", "ballistic: first detection",
                             "ballistic: track", "ballistic missile on the same route"], seen, {2, 3, 4, 5}))
    else:
        parts.append("<p>No sensor of the catalog detects these flights or their ballistic counterparts.</p>")
    return "".join(parts) + "</section>"
