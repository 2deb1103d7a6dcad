"""A limit that would guarantee it: per phase where a Russian flight is engageable and per site that
engages one, the burnout-speed and cue limits and the Iranian share each keeps
(computed by :mod:`shieldcheck.guarantee` and handed in)."""

from __future__ import annotations

import html

from ... import treaty
from ...scene import site_label
from .. import figures
from ..context import Context
from ..markup import fmt, howto, html_table
from .verification import verification_paragraph


def treaty_wording(limits) -> str:
    """The speed limits in the words of the 1997 ABM demarcation texts: one sentence, and a small table of where
    each site's limit falls against the 3.0 km/s lower-velocity line and the Helsinki line of its basing (4.5 km/s
    sea based, 5.5 km/s land or air based); empty where no site has a limit."""
    found = [(x, x.treaty_limit()) for x in limits]
    found = [(x, t) for x, t in found if t is not None]
    if not found:
        return ""
    rows = []
    for limit, written in found:
        where = {r["line"]: r["relation"] for r in written.rows}
        rows.append([html.escape(site_label(limit)), html.escape(written.wording)]
                    + [html.escape(where.get(line.name, "—")) for line in treaty.INTERCEPTOR_LINES])
    head = ("<p>In the words of the 1997 ABM demarcation texts (the First Agreed Statement's lower-velocity line, "
            "the Helsinki Joint Statement's lines by basing; the speed compared is the interceptor's burnout speed "
            "relative to the rotating Earth, as a ground radar would measure it): "
            + html.escape("; ".join(f"at {site_label(x)}: {x.treaty_words()}" for x, _ in found)) + ".</p>")
    return head + html_table(["site (interceptor)", "the limit in treaty wording"]
                             + [f"{line.name} ({line.value:.1f} km/s)" for line in treaty.INTERCEPTOR_LINES], rows)


def guarantee(ctx: Context) -> str:
    """Per phase where a Russian flight is engageable and per site that engages one: the speed and cue limits
    and the Iranian share each keeps, with the trade-off figure (computed by :mod:`shieldcheck.guarantee`)."""
    parts = ['<section id="guarantee"><h2>A limit that would guarantee it</h2>',
             howto("For each interceptor site that engages a Russian flight, the guarantee analysis rescales the "
                   "interceptor's stage model to each swept burnout speed (one stated parameter) and, "
                   "separately, holds its launch to each swept delay after the threat's launch; a limit is the "
                   "largest speed (the earliest delay) at which no Russian flight of the threat sets is "
                   "engageable, nor at any slower speed (later delay) swept. Beside each limit, the share of "
                   "the Iranian flights the site still engages there, under the same cue. A limit found under "
                   "the bounding cue holds whatever the radars see, which is what makes it verifiable.")]
    if ctx.guarantees is None:
        parts.append("<p>Not computed for this report: <code>shieldcheck guarantee SCENARIO --phase PHASE</code> "
                     "computes it for any phase.</p>" + verification_paragraph(ctx.verifications) + "</section>")
        return "".join(parts)
    if not ctx.guarantees:
        parts.append("<p>No site of any phase engages a Russian flight bound for the US under any cue basis "
                     "assessed: no limit is needed, and the analysis was not run.</p>"
                     + verification_paragraph(ctx.verifications) + "</section>")
        return "".join(parts)
    for g in ctx.guarantees:
        rows = []
        for limit in g.limits:
            now = ctx.facts.site_share(g.phase, limit)
            rows.append([html.escape(site_label(limit)), html.escape(f"{limit.catalog_speed_km_s:.2f} km/s"),
                         html.escape(limit.cueing), html.escape(limit.speed_limit_words()),
                         ctx.notes.cell(None if limit.speed_limit_at_top else limit.stated_share_at_speed_limit,
                                        ".0%", why="no speed limit in the sweep: nothing is kept or lost"),
                         ctx.notes.cell(now, ".0%", why="the site has no Iranian flight to engage"),
                         html.escape(limit.cueing_limit_words()),
                         ctx.notes.cell(limit.stated_share_at_cueing_limit if limit.cueing_limit_s else None,
                                        ".0%", why="no cue limit in the sweep, or none needed"),
                         html.escape(limit.reachable_speeds_words())])
        first = g.limits[0] if g.limits else None
        grid = (f"speeds swept {fmt(first.speeds_km_s[0] if first.speeds_km_s else None, '.2f')}–"
                f"{fmt(max(list(first.speeds_km_s) + list(first.impossible_speeds)) if first else None, '.2f')}"
                f" km/s, delays {fmt(first.delays_s[0], ',.0f')}–{fmt(first.delays_s[-1], ',.0f')} s"
                if first and first.delays_s else "")
        parts.append(f"<h3>{html.escape(g.phase)}</h3>")
        if g is ctx.guarantees[0]:
            parts.append("<p>Run for this report where it matters and is affordable: the phase in which a "
                         "Russian flight first becomes engageable, the sites that engage one, each interceptor "
                         "at its catalog burnout speed and 0.5, 1.0 and 1.5 km/s below it, and launch delays "
                         "every 60 s (each rescaled speed builds its own reach envelopes, seconds each). "
                         "<code>shieldcheck guarantee SCENARIO --phase PHASE --speeds FROM:TO:STEP --delays "
                         "FROM:TO:STEP</code> sweeps any phase on any grid.</p>")
        parts.append(f"<p>{len(g.limits)} site(s) swept against {first.n_russian if first else 0:,} Russian and "
                     f"{first.n_stated if first else 0:,} Iranian flights ({html.escape(grid)}; "
                     f"{g.run_s:,.1f} s)."
                     + (f" Not swept, because they engage no Russian flight at their catalog values: "
                        f"{html.escape(', '.join(g.left_out))}." if g.left_out else "") + "</p>")
        parts.append(html_table(["site (interceptor)", "catalog burnout speed", "cue of the speed sweep",
                             "speed limit", "Iranian kept at it", "Iranian at catalog speed",
                             "earliest launch after the threat's (cue limit)", "Iranian kept at it",
                             "speeds the stage model reaches"], rows, {1, 4, 5, 7}))
        parts.append(treaty_wording(g.limits))
        if g.limits:
            path = figures.guarantee_chart(g.limits, f"{ctx.scenario.name}, {g.phase}: where a limit stops "
                                           "Russian flights being engageable",
                                           ctx.figs.path(f"guarantee-{g.phase}"))
            parts.append(ctx.figs.embed(path, f"guarantee sweeps of {g.phase}",
                                        f"{html.escape(g.phase)}: per site, Russian flights engageable (solid) "
                                        "and Iranian flights covered (dashed) against burnout speed (left) and "
                                        "launch delay (middle), and the trade-off as the speed limit rises "
                                        "(right)."))
    parts.append(verification_paragraph(ctx.verifications))
    parts.append("</section>")
    return "".join(parts)
