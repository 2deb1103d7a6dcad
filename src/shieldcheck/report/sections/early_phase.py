"""The section on the early phases: can the sites engage a Russian strategic missile (each class: ICBM, SLBM,
glide vehicle, fractional orbit) in boost or ascent, in any phase of the architecture, and from how far would an
interceptor have to be? The numbers come from :mod:`shieldcheck.early_phase`; this module words them, tables
them (a row per phase, site and class) and draws the reach figure (:func:`shieldcheck.report.figures.early_phase_chart`).
"""

from __future__ import annotations

import html
import math

from ... import catalog
from ... import early_phase as early
from .. import figures
from ..context import Context
from ..markup import html_table, listing

SECTION_ID = "early-phases"
TITLE = "The early phases: boost and ascent"
CONTEXT_SOURCES = ("APS03", "NRC12")  # the boost-phase studies the answer is set against
NO_CURVE = "no reach curve: a sensor cue (no fixed launch time), or a speed the stage model cannot reach"


def studies_of(value) -> early.EarlyPhases | None:
    """The studies the section words: an :class:`~shieldcheck.early_phase.EarlyPhases` as given, one
    :class:`~shieldcheck.early_phase.EarlyPhase` as the only phase studied, or None."""
    if isinstance(value, early.EarlyPhase):
        return early.EarlyPhases(value.scenario, [value], [], value.run_s)
    return value


def _km_s(values) -> str:
    values = sorted(set(values))
    return f"{values[0]:.1f} km/s" if len(values) == 1 else f"{values[0]:.1f}–{values[-1]:.1f} km/s"


def _counts(study, site: str, flight_phase: str, flight_class: str = early.ALL, interceptor: str | None = None) -> str:
    """'0 at 4.0, 4 at 4.5 and 9 at 5.0 km/s' (the flights of a class the site's interceptor engages at each speed)."""
    parts = []
    for s in study.speeds(site, interceptor):
        c = study.case(site, s.burnout_speed_km_s, flight_phase, flight_class, interceptor)
        parts.append(f"{'not run' if c.impossible else c.engageable_count} at {s.burnout_speed_km_s:.1f}")
    return (", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]) + " km/s"


def _plural(count: int, flight_class: str) -> str:
    label = early.class_label(flight_class)
    return f"{count:,} {label}" + ("" if count == 1 else "s")


def _class_counts(study) -> str:
    """'132 ICBMs, 48 SLBMs, 4 glide vehicles and 4 fractional orbits' (flights of each class)."""
    return listing([_plural(study.class_count(c), c) for c in study.classes])


def _engaging(phases, flight_phase: str) -> list[str]:
    """Each (site, class) that engages a flight in ``flight_phase`` at some speed, in words, with the phases where
    it does so alike."""
    found: dict[tuple, list[str]] = {}
    for study in phases.studies:
        for site, interceptor in study.sites:
            for c in study.classes:
                if study.engageable(flight_phase, site, c, interceptor):
                    best = max((x for x in study.cases if x.site == site and x.interceptor == interceptor
                                and x.flight_class == c and x.flight_phase == flight_phase and x.engageable_count),
                               key=lambda x: x.best_margin_s)
                    text = (f"{html.escape(early.class_label(c))} {_counts(study, site, flight_phase, c, interceptor)} "
                            f"(best margin {best.best_margin_s:+,.0f} s: {html.escape(listing(best.engaged[:2]))}"
                            + (" and others" if len(best.engaged) > 2 else "") + ")")
                    found.setdefault((site, interceptor, text), []).append(study.phase)
    return [f"{html.escape(site)} ({html.escape(interceptor)}) in {html.escape(listing(names))}: {text}"
            for (site, interceptor, text), names in found.items()]


def _closest_words(gap: early.Shortfall, launch_s: float, phase: str) -> str:
    """Why the class that comes closest is still out of reach: its nearest boost track, the time, the bound;
    ``phase`` names the phase it was found in."""
    needed = (f"an average {gap.needed_km_s:,.0f} km/s" if gap.available_s > 0
              else "a launch before the threat's burnout")
    return (f"The class that comes closest is the {html.escape(early.class_label(gap.flight_class))}, from "
            f"{html.escape(gap.launch)}: its boost track ({html.escape(gap.flight)}) passes {gap.nearest_km:,.0f} km "
            f"from {html.escape(gap.site)} ({html.escape(phase)}), the nearest to being reached of any class, "
            "site and phase, "
            f"and burns out {gap.burnout_s:,.0f} s after launch, {gap.available_s:,.0f} s after the interceptor's "
            f"launch at {launch_s:,.0f} s; by then even at {gap.burnout_speed_km_s:.1f} km/s the {html.escape(gap.interceptor)} "
            f"can be at most {gap.bound_km:,.0f} km from its site (the closed-form bound, burnout speed times the "
            f"time available) and is at most {gap.reach_km:,.0f} km by its reach envelopes; to cover the "
            f"{gap.nearest_km:,.0f} km it would need {needed}. ")


def _nearest_by_class(phases) -> str:
    """'ICBM 1,250 km (Teykovo, from Redzikowo), SLBM ...': each class's nearest boost track to any site."""
    parts = []
    classes = early.class_order(c for s in phases.studies for c in s.classes)
    for c in classes:
        tracks = [t for s in phases.studies for t in s.tracks if t.flight_class == c]
        if tracks:
            t = min(tracks, key=lambda t: t.nearest_boost_km)
            parts.append(f"{html.escape(early.class_label(c))} {t.nearest_boost_km:,.0f} km ({html.escape(t.launch)}, "
                         f"from {html.escape(t.site)}, burnout {t.burnout_s:,.0f} s)")
    return listing(parts)


def answer(value) -> tuple[str, str]:
    """The answer's lead ("No." / "Not in boost; in ascent, ...") and its paragraph in words, from the numbers of
    every phase studied (an :class:`~shieldcheck.early_phase.EarlyPhases`, or one phase's study)."""
    phases = studies_of(value)
    latest = phases.latest
    boost, ascent, every = (sum(s.engageable(p) for s in phases.studies) for p in early.FLIGHT_PHASES)
    if boost == 0 and ascent == 0:
        lead = "No."
    elif boost == 0:
        lead = "Not in boost; in ascent, a few."
    else:
        lead = "Yes, in boost."
    launch = (f"interceptor launch {latest.launch_s:,.0f} s after the threat's" if math.isfinite(latest.launch_s)
              else "interceptor launch on the sites' own cue")
    pairs = list(dict.fromkeys((site, interceptor) for s in phases.studies for site, interceptor in s.sites))
    speeds = listing([f"{interceptor} at {site} "
                      f"{_km_s(x.burnout_speed_km_s for s in phases.studies if (site, interceptor) in s.sites for x in s.speeds(site, interceptor))}"
                      for site, interceptor in pairs])
    studied = listing([s.phase + (f" (cancelled {s.cancelled}, never built)" if s.cancelled else "")
                       for s in phases.studies])
    skipped = "".join(f"; {html.escape(name)} is not studied: {html.escape(why)}" for name, why in phases.skipped)
    sites = list(dict.fromkeys(site for site, _ in pairs))
    nobody = "neither site" if len(sites) == 2 else "no site" if len(sites) > 2 else html.escape(sites[0])
    words = [f"Under the {latest.cue_basis} cue ({html.escape(latest.cue)}: {launch}), in {html.escape(studied)}"
             f"{skipped}, with {html.escape(speeds)} (the low edge, value and high edge of the catalog's burnout "
             f"speed bands), against the {latest.flight_count:,} Russian flights of the threat sets "
             f"({_class_counts(latest)}: every base, patrol area, aim point and trajectory shape), "]
    if boost == 0:
        words.append(f"{nobody} engages any of them in boost, in any of the phases studied. ")
    else:
        words.append("in boost " + "; ".join(_engaging(phases, "boost")) + ". ")
    if ascent == 0:
        words.append(f"In ascent (after burnout, before apogee) {nobody} engages any either. ")
    else:
        words.append("In ascent (after burnout, before apogee): " + "; ".join(_engaging(phases, "ascent")) + ". ")
    before_apogee = all(set(s.case(site, x.burnout_speed_km_s, "any", early.ALL, kind).engaged)
                        == set(s.case(site, x.burnout_speed_km_s, "boost", early.ALL, kind).engaged)
                        | set(s.case(site, x.burnout_speed_km_s, "ascent", early.ALL, kind).engaged)
                        for s in phases.studies for site, kind in s.sites for x in s.speeds(site, kind))
    if every and before_apogee:
        words.append("In any phase the counts are the same: midcourse adds no Russian flight these sites engage. ")
    elif every:
        words.append("In any phase (midcourse included): " + "; ".join(_engaging(phases, "any")) + ". ")
    else:
        words.append("Nor in any other phase. ")
    gap = phases.closest()
    if gap is not None:
        cancelled = next((s.cancelled for s in phases.studies if s.phase == gap.phase), None)
        phase = gap.phase + (", cancelled, never built" if cancelled else "")
        words.append(_closest_words(gap, gap.burnout_s - gap.available_s, phase))
    nearest = _nearest_by_class(phases)
    if nearest:
        words.append(f"The nearest boost track of each class: {nearest}. ")
    words.append("The APS study of 2003 (APS03) and the NRC study of 2012 (NRC12) concluded that boost-phase intercept "
                 "is impractical except in special geometries, an interceptor based close to the launch area"
                 + ("; these numbers show that " + listing([html.escape(s) for s in sites])
                    + (" are" if len(sites) > 1 else " is") + " not such a geometry for any class of Russian "
                    "strategic missile." if boost == 0 else "."))
    return lead, "".join(words)


def _cell(study, site: str, interceptor: str, flight_phase: str, flight_class: str) -> str:
    """A table cell: the flights engaged at each speed, and at the fastest the best margin or the commonest verdict."""
    fastest = study.speeds(site, interceptor)[-1].burnout_speed_km_s
    c = study.case(site, fastest, flight_phase, flight_class, interceptor)
    counts = _counts(study, site, flight_phase, flight_class, interceptor)
    if c.impossible:
        return html.escape(f"{counts}; not run at {fastest:.1f}: {c.impossible}")
    text = f"{counts} of {c.flight_count}"
    if c.best_margin_s is not None:
        text += f" (best {c.best_margin_s:+,.0f} s)"
    elif c.closest_margin_s is not None:
        text += f" (closest {c.closest_margin_s:+,.0f} s; mostly {c.commonest_verdict})"
    elif c.verdicts:
        text += f" (all {c.commonest_verdict})" if len(c.verdicts) == 1 else f" (mostly {c.commonest_verdict})"
    return html.escape(text)


def _figure(phases, figs, scenario_name: str) -> str:
    """The reach figure: a panel per class (rows) and site with its interceptor (columns)."""
    pairs = list(dict.fromkeys((site, interceptor) for s in phases.studies for site, interceptor in s.sites))
    classes = early.class_order(c for s in phases.studies for c in s.classes)
    panels = []
    for c in classes:
        for site, interceptor in pairs:
            study = next(s for s in reversed(phases.studies) if (site, interceptor) in s.sites)
            reach = [(f"{interceptor} reach, {x.speed.burnout_speed_km_s:.1f} km/s ({x.speed.label})", x.time_s,
                      x.reach_km) for x in study.curves if x.site == site and x.interceptor == interceptor]
            gap = study.boost_shortfall(site, study.speeds(site, interceptor)[-1].burnout_speed_km_s, c, interceptor)
            nearest = study.nearest(site, "boost", c) if c in study.classes else None
            wanted = {x.flight for x in (gap, nearest) if x is not None}
            drawn = [a for a in study.approaches if a.site == site and a.flight in wanted]
            tracks = [(a.flight.replace(" (minimum-energy)", ""), a.time_s, a.distance_km, a.burnout_s) for a in drawn]
            point = None
            if nearest is not None:
                where = next(a for a in drawn if a.flight == nearest.flight).nearest_boost()
                point = (f"nearest boost track: {nearest.nearest_boost_km:,.0f} km ({nearest.launch})", *where)
            panels.append(figures.ReachPanel(f"{early.class_label(c)}: {site} ({interceptor})", study.launch_s, reach,
                                             tracks, point))
    path = figures.early_phase_chart(panels, f"{scenario_name}: interceptor reach against the distance to Russian "
                                     "tracks, by class", figs.path("early-phases"), columns=len(pairs))
    return figs.embed(path, "interceptor reach against distance to Russian tracks, by class",
                      "A row per class of Russian flight, a column per site and its interceptor: the farthest the "
                      "interceptor can be from its site at each catalog speed (solid), launched on the bounding cue, "
                      "and the straight-line distance from the site to the class's nearest boost track and, where "
                      "that is another, to the track that comes nearest to being reached by its burnout (dashed, to "
                      "apogee; boost thick, burnout dotted; the cross marks the nearest boost point), seconds after "
                      "the threat's launch.")


def section(ctx: Context) -> str:
    """The section's HTML: the answer, a table row per phase, site and class, the reach figure, from
    ``ctx.early_phase`` (an :class:`shieldcheck.early_phase.EarlyPhases` or one phase's
    :class:`shieldcheck.early_phase.EarlyPhase`, or None: not computed, or the scenario has none of the sites)."""
    phases, notes, figs, scenario_name = studies_of(ctx.early_phase), ctx.notes, ctx.figs, ctx.scenario.name
    parts = [f'<section id="{SECTION_ID}"><h2>{TITLE}</h2>',
             '<div class="howto"><strong>How to read this.</strong> Russia\'s stated concern is interception '
             '"in the early phases", before the warheads separate. Here every Russian flight of the threat sets, '
             "class by class (ICBMs, SLBMs from their bases and patrol areas, the glide vehicle's boost and ascent, "
             "the fractional orbit: the catalog role of each missile), is engaged by each site in each phase of the "
             "architecture with its interceptor rescaled (one stated parameter of its stage model) to the low edge, "
             "the value and the high edge of the catalog's burnout speed band, the intercepts restricted to the "
             "threat's boost (up to its burnout), to its ascent (burnout to apogee) and to any phase, under the "
             "scenario's bounding cue. The table gives a row per phase, site and class; the closed-form bound is "
             "the farthest an interceptor can be from its site by the threat's burnout, its burnout speed times the "
             "time it has (it starts at rest), which the reach flown never exceeds. The figure shows why: the "
             "farthest the interceptor can be from its site (straight line, from its own reach envelopes, every "
             "azimuth) against the distance from the site to each class's nearest-reached track, up to apogee; "
             "boost is the thick part of each track, its burnout the dot. A track is out of reach while its dashed "
             "curve lies above the interceptor's solid one; a solid curve above a dashed one is necessary for an "
             "intercept, not sufficient (the engagement also asks for the direction, the altitude band and the kill "
             "vehicle's endgame).</div>"]
    if phases is None or not phases.studies:
        parts.append("<p>Not computed for this report: it was written without the study (<code>shieldcheck "
                     "assess</code> runs it), or the scenario has no phase with an interceptor at Redzikowo or "
                     "Deveselu, or it flies no Russian flight.</p></section>")
        return "".join(parts)
    lead, text = answer(phases)
    parts.append(f'<p class="finding"><strong>{html.escape(lead)}</strong> {text}</p>')
    rows = []
    for study in phases.studies:
        phase = study.phase + (" (cancelled)" if study.cancelled else "")
        for site, interceptor in study.sites:
            fastest = study.speeds(site, interceptor)[-1].burnout_speed_km_s
            for c in study.classes:
                nearest = study.nearest(site, "boost", c)
                gap = study.gap(nearest, fastest, interceptor)
                cells = [html.escape(phase), html.escape(f"{site} ({interceptor})"),
                         html.escape(_plural(study.class_count(c), c))]
                cells += [_cell(study, site, interceptor, p, c) for p in early.FLIGHT_PHASES]
                cells.append(html.escape(f"{nearest.nearest_boost_km:,.0f} km ({nearest.launch}, burnout "
                                         f"{nearest.burnout_s:,.0f} s)") if nearest else "—")
                cells.append(notes.cell(gap.available_s if gap else None, ",.0f", "s", why=NO_CURVE))
                cells.append(notes.cell(gap.bound_km if gap else None, ",.0f", "km", why=NO_CURVE))
                cells.append(notes.cell(gap.reach_km if gap else None, ",.0f", "km", why=NO_CURVE))
                rows.append(cells)
    latest = phases.latest
    skipped = "".join(f" {html.escape(name)}: not studied ({html.escape(why)})." for name, why in phases.skipped)
    parts.append(f"<p>{html.escape(scenario_name)}: {latest.flight_count:,} Russian flights ({_class_counts(latest)}; "
                 f"{html.escape(', '.join(latest.missiles))}), burnout {latest.burnout_s[0]:,.0f}–"
                 f"{latest.burnout_s[1]:,.0f} s, apogee {latest.apogee_s[0]:,.0f}–{latest.apogee_s[1]:,.0f} s after "
                 f"launch.{skipped} Computed in {phases.run_s:,.1f} s. The last three columns are those of the "
                 "class's nearest boost track, at the fastest speed of the site's interceptor.</p>")
    parts.append(html_table(["phase", "site (interceptor)", "class (flights)", "engageable in boost", "in ascent",
                             "in any phase", "nearest boost track", "its burnout after the interceptor's launch",
                             "closed-form bound by then, fastest speed", "reach by then, fastest speed"],
                            rows, {7, 8, 9}))
    parts.append(_figure(phases, figs, scenario_name))
    cat = catalog.load()
    cited = [f"{key}: {html.escape(cat.sources[key].citation)}" for key in CONTEXT_SOURCES if key in cat.sources]
    if cited:
        parts.append('<p class="muted">' + "<br>".join(cited) + "</p>")
    parts.append("</section>")
    return "".join(parts)
