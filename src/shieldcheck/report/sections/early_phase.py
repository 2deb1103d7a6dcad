"""The section on the early phases: can the sites engage a Russian ICBM in boost or ascent, and from how
far would an interceptor have to be? The numbers come from :mod:`shieldcheck.early_phase`; this module words
them, tables them and draws the reach figure (:func:`shieldcheck.report.figures.early_phase_chart`).
"""

from __future__ import annotations

import html
import math

from ... import catalog
from .. import figures
from ..context import Context
from ..markup import html_table, listing

SECTION_ID = "early-phases"
TITLE = "The early phases: boost and ascent"
CONTEXT_SOURCES = ("APS03", "NRC12")  # the boost-phase studies the answer is set against
NO_CURVE = "no reach curve: a sensor cue (no fixed launch time), or a speed the stage model cannot reach"


def _km_s(values) -> str:
    values = sorted(set(values))
    return f"{values[0]:.1f} km/s" if len(values) == 1 else f"{values[0]:.1f}–{values[-1]:.1f} km/s"


def _counts(study, site: str, flight_phase: str) -> str:
    """'0 at 4.0, 4 at 4.5 and 9 at 5.0 km/s' (the flights the site engages at each speed)."""
    parts = [f"{study.case(site, s.burnout_speed_km_s, flight_phase).engageable_count} at {s.burnout_speed_km_s:.1f}"
             for s in study.speeds(site)]
    return (", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]) + " km/s"


def answer(study) -> tuple[str, str]:
    """The answer's lead ("No." / "Not in boost; in ascent, ...") and its paragraph in words, from the numbers."""
    sites = [s for s, _ in study.sites]
    speeds = listing([f"{interceptor} at {site} {_km_s(x.burnout_speed_km_s for x in study.speeds(site))}"
                      for site, interceptor in study.sites])
    boost, ascent, every = (study.engageable(p) for p in ("boost", "ascent", "any"))
    nobody = "neither site" if len(sites) == 2 else "no site" if len(sites) > 2 else sites[0]
    if boost == 0 and ascent == 0:
        lead = "No."
    elif boost == 0:
        lead = "Not in boost; in ascent, a few."
    else:
        lead = "Yes, in boost."
    launch = (f"interceptor launch {study.launch_s:,.0f} s after the threat's" if math.isfinite(study.launch_s)
              else "interceptor launch on the sites' own cue")
    words = [f"Under the {study.cue_basis} cue ({html.escape(study.cue)}: {launch}), with {html.escape(speeds)} "
             f"(the low edge, value and high edge of the catalog's burnout speed bands), "]
    if boost == 0:
        words.append(f"{nobody} engages any of the {study.flight_count:,} Russian ICBM flights of {study.phase} "
                     f"({html.escape(', '.join(study.missiles))}: every base, aim point and trajectory shape) in boost. ")
    else:
        words.append("in boost the sites engage " + listing([f"{html.escape(s)} {_counts(study, s, 'boost')}"
                                                                for s in sites])
                     + f" of the {study.flight_count:,} Russian ICBM flights of {study.phase}. ")
    if ascent == 0:
        words.append(f"In ascent (after burnout, before apogee) {nobody} engages any either. ")
    else:
        engaging = [s for s in sites if study.engageable("ascent", s)]
        best = max((c for c in study.cases if c.flight_phase == "ascent" and c.engageable_count),
                   key=lambda c: c.best_margin_s)
        words.append("In ascent (after burnout, before apogee) " + listing(
            [f"{html.escape(s)} engages {_counts(study, s, 'ascent')}" for s in engaging])
            + f" (best margin {best.best_margin_s:+,.0f} s at {best.speed.burnout_speed_km_s:.1f} km/s: "
            f"{html.escape(listing(best.engaged[:3]))}" + (" and others" if len(best.engaged) > 3 else "") + "). ")
    before_apogee = all(set(study.case(s, x.burnout_speed_km_s, "any").engaged)
                        == set(study.case(s, x.burnout_speed_km_s, "boost").engaged)
                        | set(study.case(s, x.burnout_speed_km_s, "ascent").engaged)
                        for s in sites for x in study.speeds(s))
    if every and before_apogee:
        words.append("In any phase the counts are the same: midcourse adds no Russian ICBM these sites engage. ")
    elif every:
        words.append("In any phase: " + listing([f"{html.escape(s)} {_counts(study, s, 'any')}" for s in sites])
                     + ". ")
    else:
        words.append("Nor in any other phase. ")
    gaps = []
    for site in sites:
        fastest = study.speeds(site)[-1].burnout_speed_km_s
        gap = study.boost_shortfall(site, fastest)
        if gap is None:
            continue
        _, flight, burnout_s, km, reach_km = gap
        available_s = burnout_s - study.launch_s
        needed = f"an average {km / available_s:,.0f} km/s" if available_s > 0 else "a launch before the threat's"
        gaps.append(f"the boost track that comes nearest to being reached from {html.escape(site)} ({html.escape(flight)}) "
                    f"passes {km:,.0f} km from it and burns out {burnout_s:,.0f} s after launch, "
                    f"{available_s:,.0f} s after the interceptor's launch, by when even at {fastest:.1f} km/s the "
                    f"interceptor is at most {reach_km:,.0f} km from its site (to cover the {km:,.0f} km it would "
                    f"need {needed})")
    if gaps:
        words.append(f"From how far: these missiles burn out {study.burnout_s[0]:,.0f}–{study.burnout_s[1]:,.0f} s "
                     "after launch; " + "; ".join(gaps) + ". ")
    words.append("The APS study of 2003 (APS03) and the NRC study of 2012 (NRC12) concluded that boost-phase intercept "
                 "is impractical except in special geometries, an interceptor based close to the launch area"
                 + ("; these numbers show that " + listing([html.escape(s) for s in sites])
                    + (" are" if len(sites) > 1 else " is") + " not such a geometry for Russia's ICBM bases."
                    if boost == 0 else "."))
    return lead, "".join(words)


def section(ctx: Context) -> str:
    """The section's HTML: the answer, a table per site and speed, the reach figure, from ``ctx.early_phase``
    (an :class:`shieldcheck.early_phase.EarlyPhase`, or None: not computed, or the scenario has none of the
    sites)."""
    study, notes, figs, scenario_name = ctx.early_phase, ctx.notes, ctx.figs, ctx.scenario.name
    parts = [f'<section id="{SECTION_ID}"><h2>{TITLE}</h2>',
             '<div class="howto"><strong>How to read this.</strong> Russia\'s stated concern is interception '
             '"in the early phases", before the warheads separate. Here every Russian ICBM flight of the threat sets '
             "is engaged by each site with its interceptor rescaled (one stated parameter of its stage model) to the "
             "low edge, the value and the high edge of the catalog's burnout speed band, the intercepts restricted "
             "to the threat's boost (up to its burnout), to its ascent (burnout to apogee) and to any phase, under "
             "the scenario's bounding cue. The figure shows why: the farthest the interceptor can be from its site "
             "(straight line, from its own reach envelopes, every azimuth) against the distance from the site to "
             "a few threat tracks, up to apogee; boost is the thick part of each track, its burnout the dot. A "
             "track is out of reach while its dashed curve lies above the interceptor's solid one; a solid curve "
             "above a dashed one is necessary for an intercept, not sufficient (the engagement also asks for the "
             "direction, the altitude band and the kill vehicle's endgame).</div>"]
    if study is None:
        parts.append("<p>Not computed for this report: it was written without the study (<code>shieldcheck "
                     "assess</code> runs it), or the scenario has no phase, not cancelled, with an interceptor at "
                     "Redzikowo or Deveselu, or it flies no Russian ICBM.</p></section>")
        return "".join(parts)
    lead, text = answer(study)
    parts.append(f'<p class="finding"><strong>{html.escape(lead)}</strong> {text}</p>')
    rows = []
    for site, interceptor in study.sites:
        for speed in study.speeds(site):
            cells = [html.escape(f"{site} ({interceptor})"),
                     html.escape(f"{speed.burnout_speed_km_s:.2f} km/s ({speed.label})")]
            for flight_phase in ("boost", "ascent", "any"):
                c = study.case(site, speed.burnout_speed_km_s, flight_phase)
                if c.impossible:
                    cells.append(html.escape("not run: " + c.impossible))
                    continue
                text = f"{c.engageable_count} of {c.flight_count}"
                if c.best_margin_s is not None:
                    text += f" (best {c.best_margin_s:+,.0f} s)"
                elif c.closest_margin_s is not None:
                    text += f" (closest {c.closest_margin_s:+,.0f} s; mostly {c.commonest_verdict})"
                else:
                    text += f" (all {c.commonest_verdict})" if len(c.verdicts) == 1 else f" (mostly {c.commonest_verdict})"
                cells.append(html.escape(text))
            gap = study.boost_shortfall(site, speed.burnout_speed_km_s)
            cells.append(notes.cell(gap[4] if gap else None, ",.0f", "km",
                                    why=NO_CURVE))
            cells.append(notes.cell(gap[3] if gap else None, ",.0f", "km",
                                    why=NO_CURVE))
            rows.append(cells)
    parts.append(f"<p>{study.phase} of {html.escape(scenario_name)}; {study.flight_count:,} Russian ICBM flights "
                 f"({html.escape(', '.join(study.missiles))}), burnout {study.burnout_s[0]:,.0f}–{study.burnout_s[1]:,.0f} s, "
                 f"apogee {study.apogee_s[0]:,.0f}–{study.apogee_s[1]:,.0f} s after launch; computed in "
                 f"{study.run_s:,.1f} s.</p>")
    parts.append(html_table(["site (interceptor)", "burnout speed", "engageable in boost", "in ascent",
                             "in any phase", "reach at the nearest-reached boost track's burnout",
                             "that track's nearest approach"], rows, {5, 6}))
    panels = []
    for site, interceptor in study.sites:
        reach = [(f"{interceptor} reach, {c.speed.burnout_speed_km_s:.1f} km/s ({c.speed.label})", c.time_s, c.reach_km)
                 for c in study.curves if c.site == site]
        tracks = [(a.flight.replace(" (minimum-energy)", ""), a.time_s, a.distance_km, a.burnout_s)
                  for a in study.approaches if a.site == site]
        nearest = study.nearest.get((site, "boost"))
        point = None
        if nearest:
            point = (f"nearest boost track of any flight: {nearest[0]:,.0f} km", nearest[2], nearest[0])
        panels.append(figures.ReachPanel(f"{site} ({interceptor})", study.launch_s, reach, tracks, point))
    path = figures.early_phase_chart(panels, f"{scenario_name}, {study.phase}: interceptor reach against the distance "
                                     "to Russian ICBM tracks", figs.path("early-phases"))
    parts.append(figs.embed(path, "interceptor reach against distance to Russian ICBM tracks",
                            "Per site: the farthest its interceptor can be from it at each catalog speed (solid), "
                            "launched on the bounding cue, and the straight-line distance from the site to "
                            "representative Russian ICBM tracks (dashed, minimum-energy, to apogee; boost thick, "
                            "burnout dotted), seconds after the threat's launch."))
    cat = catalog.load()
    cited = [f"{key}: {html.escape(cat.sources[key].citation)}" for key in CONTEXT_SOURCES if key in cat.sources]
    if cited:
        parts.append('<p class="muted">' + "<br>".join(cited) + "</p>")
    parts.append("</section>")
    return "".join(parts)
