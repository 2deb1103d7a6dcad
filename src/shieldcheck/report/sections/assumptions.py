"""Assumptions: the scenario's, each with its source and whether it is an estimate; the sectors; the
model settings recorded with the result rows; the interceptors' altitude bands and their kill
vehicles' endgame limits; and the cueing rules as assessed."""

from __future__ import annotations

import html
import json
from collections import defaultdict

from ... import catalog
from ...aggregate import finite
from ...scene import site_label
from ..context import Context
from ..markup import DASH, fmt, howto, html_table

ENDGAME_KEYS = ("min_closing_speed_km_s", "max_closing_speed_km_s", "max_crossing_angle_deg", "divert_km_s",
                "time_to_go_s", "max_range_km")  # per interceptor: shown in their own table


def assumptions(ctx: Context) -> str:
    """The scenario's assumptions and sectors, the model settings, altitude bands, endgame limits and cueing rules."""
    s, f = ctx.scenario, ctx.facts
    a = s.assumptions
    rows = []
    for name in type(a).model_fields:
        item = getattr(a, name)
        if item is None:
            continue
        unit = {"s": "s", "m2": "m²", "km": "km"}.get(name.rsplit("_", 1)[-1], "")
        if hasattr(item, "source"):
            value = item.value
            shown = html.escape(fmt(value, ",.4g", unit)) if not isinstance(value, str) else html.escape(value)
            rows.append([f"<code>{html.escape(name)}</code>", shown, html.escape(fmt(item.source)),
                         html.escape(fmt(item.estimate)),
                         ctx.notes.cell(item.note, why="no note given in the scenario")])
        else:
            rows.append([f"<code>{html.escape(name)}</code>", html.escape(fmt(item)),
                         DASH + ctx.notes.mark("a rule of the scenario file, not a cited number: no source "
                                               "key and no estimate flag"),
                         DASH + ctx.notes.mark("a rule of the scenario file, not a cited number: no source "
                                               "key and no estimate flag"),
                         html.escape("the cueing rule of every site that states none"
                                     if name == "cueing" else "")])
    parts = ['<section id="assumptions"><h2>Assumptions</h2>',
             howto("The scenario's assumptions, each with its source key (see Sources) and whether it is an "
                   "estimate, then the model settings recorded with every result row. Estimates are the "
                   "numbers to sweep: the results hold only for the values shown."),
             "<h3>Scenario assumptions</h3>",
             html_table(["assumption", "value", "source", "estimate", "note"], rows)]
    if s.sectors:
        sector_rows = [[html.escape(x.name), html.escape(", ".join(x.countries)),
                        html.escape(fmt(x.buffer_km.value, ",.0f", "km")), html.escape(x.source),
                        ctx.notes.cell(x.note, why="no note given in the scenario")] for x in s.sectors]
        parts += ["<h3>Sectors</h3>", html_table(["sector", "countries (Natural Earth)", "buffer", "source", "note"],
                                             sector_rows)]
    settings: dict[str, set] = defaultdict(set)
    bands: dict[str, dict] = {}
    cueing: dict[tuple, list[str]] = defaultdict(list)
    for r in f.rows:
        try:
            data = json.loads(r.get("assumptions") or "{}")
        except (TypeError, ValueError):
            data = {}
        bands.setdefault(r.get("interceptor"), data)
        key = (site_label(r), r["cue_basis"], fmt(data.get("cueing", r.get("cueing"))),
               fmt(data.get("cue_sensors")))
        if r.get("phase") not in cueing[key]:
            cueing[key].append(r.get("phase"))
        for k, v in data.items():
            if k in ("cueing", "cue_sensors") or k.endswith(("intercept_altitude_km", "burnout_speed_km_s")) \
                    or k in ENDGAME_KEYS:
                continue
            settings[k].add(fmt(v, ",.6g"))
    setting_rows = [[f"<code>{html.escape(k)}</code>", html.escape(", ".join(sorted(v)))]
                    for k, v in sorted(settings.items())]
    parts += ["<h3>Model settings (from the result rows)</h3>", html_table(["setting", "value(s)"], setting_rows)]
    band_rows = [[html.escape(fmt(name)),
                  ctx.notes.cell(finite(d.get("min_intercept_altitude_km")), ",.0f", "km",
                                 why="not recorded with the rows"),
                  ctx.notes.cell(finite(d.get("max_intercept_altitude_km")), ",.0f", "km",
                                 why="not recorded with the rows"),
                  ctx.notes.cell(finite(d.get("interceptor_burnout_speed_km_s")), ",.2f", "km/s",
                                 why="the interceptor's burnout speed is not recorded with the rows")]
                 for name, d in sorted(bands.items(), key=lambda kv: str(kv[0]))]
    parts += ["<h3>Interceptors: intercept altitude band</h3>",
              html_table(["interceptor", "lowest intercept", "highest intercept", "burnout speed"], band_rows,
                     {1, 2, 3})]
    parts += _endgame_limits(ctx, sorted(name for name in bands if name))
    cue_rows = [[html.escape(k[0]), html.escape(k[1]), html.escape(k[2]),
                 html.escape(k[3]) if k[3] != DASH else DASH + ctx.notes.mark(
                     "a delay cue: the launch time is fixed, no sensor is involved"),
                 html.escape(", ".join(str(p) for p in phases))] for k, phases in sorted(cueing.items())]
    parts += ["<h3>Cueing rules as assessed</h3>",
              html_table(["site (interceptor)", "cue basis", "rule", "sensors whose track cues the launch", "phases"],
                     cue_rows)]
    parts.append("</section>")
    return "".join(parts)


def _endgame_limits(ctx: Context, interceptors: list[str]) -> list[str]:
    """The kill vehicles' endgame limits as assessed, each with the range the catalog gives for it."""
    cat = catalog.load()
    models = {json.loads(r.get("assumptions") or "{}").get("endgame", "kinematic").split(" ")[0]
              for r in ctx.facts.rows}
    rows = []
    for name in interceptors:
        record = cat.interceptors.get(cat.find("interceptor", name))
        kv = record.kill_vehicle if record else None
        if kv is None:
            rows.append([html.escape(name)] + [DASH + ctx.notes.mark(
                "the catalog gives this interceptor no hit-to-kill kill vehicle: its operational range only")] * 5
                        + [html.escape(fmt(record.max_range_km.value, ",.0f", "km")) if record and record.max_range_km
                           else DASH + ctx.notes.mark("no operational range in the catalog")])
            continue
        cells = [html.escape(name)]
        for item, unit, spec in ((kv.min_closing_speed_km_s, "km/s", ".1f"), (kv.max_closing_speed_km_s, "km/s", ".1f"),
                                 (kv.max_crossing_angle_deg, "deg", ".0f"), (kv.divert_km_s, "km/s", ".1f"),
                                 (kv.time_to_go_s, "s", ".0f")):
            cells.append(html.escape(f"{item.value:{spec}} {unit} ({item.low:{spec}}–{item.high:{spec}})"))
        cells.append(html.escape(fmt(record.max_range_km.value, ",.0f", "km")) if record.max_range_km
                     else DASH + ctx.notes.mark("no operational range in the catalog"))
        rows.append(cells)
    intro = ("Endgame model of these results: " + ", ".join(sorted(models)) + ". With the kinematic model a "
             "point the interceptor reaches in time is usable only within these limits of its kill vehicle "
             "(value, then the range to sweep; every one an estimate: see the catalog notes); with none a "
             "tail chase counts as an intercept.")
    return ["<h3>Kill vehicles: endgame limits</h3>", howto(intro),
            html_table(["interceptor", "closing speed at least", "closing speed at most", "crossing angle at most",
                    "divert", "seeker time-to-go", "operational range"], rows)]
