"""Defended areas: per phase, the footprint of the representative stated threat (computed by
:func:`shieldcheck.footprint.defended_areas` and handed in: the report computes no physics)."""

from __future__ import annotations

import html

from .. import figures
from ..context import Context
from ..markup import details, fmt, howto, html_table


def defended_areas(ctx: Context) -> str:
    """Per phase, the footprint of the representative stated threat (computed by
    :func:`shieldcheck.footprint.defended_areas` and handed in: the report computes no physics)."""
    parts = ['<section id="defended-areas"><h2>Defended areas</h2>']
    footprints = ctx.footprints
    if footprints is None:
        parts.append("<p>Footprints were not computed for this report; <code>shieldcheck footprint</code> "
                      "computes them for any phase, launch area, missile and region.</p></section>")
        return "".join(parts)
    if not footprints:
        parts.append("<p>The scenario states no threat (no stated threat set): there is no footprint to show."
                     "</p></section>")
        return "".join(parts)
    first = footprints[0]
    cells = first.grid
    parts.append(howto(
        f"For each phase, the aim points of {html.escape(str(cells.region))} whose flights the phase's sites "
        f"can engage: {html.escape(first.missile)} from {html.escape(first.launch)}, the first launch area and "
        "missile of the scenario's first stated threat set, on minimum-energy trajectories, under each site's "
        f"own cueing. The region is cut into {fmt(cells.cell_km, ',.0f', 'km')} equal-area cells (a coarse grid, "
        "to keep the report quick: <code>shieldcheck footprint --grid-km 25</code> gives a finer one). Each "
        "flight of a fan counts where it actually lands; a cell is <em>defended</em> when every flight landing "
        "in it is engageable by some site, <em>partly</em> when some are; cells no flight lands in are beyond "
        "the missile's reach. The area counts defended cells only."))
    rows = []
    for f in footprints:
        capitals = f.capitals_inside
        others = [p for p in f.places_inside if p not in capitals]
        rows.append([html.escape(f.phase), html.escape("; ".join(f.sites)),
                     html.escape(fmt(f.area_km2, ",.0f", "km²")), html.escape(fmt(f.partly_area_km2, ",.0f", "km²")),
                     html.escape(fmt(f.reachable_area_km2, ",.0f", "km²")),
                     html.escape(", ".join(capitals)) if capitals else "none",
                     html.escape(", ".join(others)) if others else "none"])
    parts.append(html_table(["phase", "sites (cueing)", "defended area", "partly defended", "reached by the missile",
                         "capitals inside", "other cities inside"], rows, {2, 3, 4}))
    for f in footprints:
        path = figures.footprint_map(f, ctx.figs.path(f"{f.phase}-defended-area"))
        parts.append(ctx.figs.embed(
            path, f"defended area of {f.phase}",
            f"{html.escape(f.phase)}: defended area against {html.escape(f.missile)} from "
            f"{html.escape(f.launch)}, {html.escape(fmt(f.area_km2, ',.0f', 'km²'))} (green; yellow partly "
            "defended, orange reached but not defended). Map: plate carrée, latitude stretched by "
            "1/cos(mid-latitude); cells are squares of the Lambert azimuthal equal-area projection centred on "
            f"the region, {html.escape(fmt(f.cell_area_km2, ',.0f', 'km²'))} each."))
    parts.append(details("How these footprints were computed", "<ul>" + "".join(
        f"<li>{html.escape(line)}</li>" for line in first.assumptions) + "</ul>", open_=False))
    parts.append("</section>")
    return "".join(parts)
