"""The four answers on the first screen: for each, one sentence with its number, what it rests on, a
link to its evidence below and a small figure; with an uncertainty run, its range over the catalog's
ranges beside it. The counts are :mod:`shieldcheck.aggregate`'s (through the context's facts)."""

from __future__ import annotations

import html

from ...aggregate import RUSSIAN_THEATRE, THEATRE_WORDS, finite
from ...scene import site_label
from .. import figures
from ..context import Context
from ..markup import fmt, listing, phase_label, slug


def headline_stated(ctx: Context) -> str:
    """Per phase, the Iranian flights engageable of those the missiles can fly, with the listed total and
    the flights beyond reach; then, for the last phase, per threat set (each with its own denominator)."""
    f = ctx.facts
    listed = f.of_purpose("stated")
    flyable = sum(1 for x in listed if x.get("status") == "flown")
    summary = f.summary()
    if not listed:
        return "the scenario lists no stated (Iranian) flight: there is nothing to defend against."
    if not flyable or not summary:
        return (f"none of the {len(listed):,} Iranian flights the threat sets list can be flown by the catalog's "
                "missiles: there is nothing to engage.")
    parts = [f"{e[('stated', 'architecture')]['engageable']:,} in {html.escape(phase_label(e['phase']))}"
             for e in summary]
    text = (f"{listing(parts)} of the {flyable:,} Iranian flights the catalog's missiles can fly "
            f"({len(listed) - flyable:,} of the {len(listed):,} flights the threat sets list are beyond their "
            "reach)")
    last = summary[-1]["phase"]
    sets = ctx.facts.stated_by_threat_set(last.name)
    if len(sets) > 1:
        text += (f"; in {html.escape(last.name)} by threat set: "
                 + "; ".join(f"{html.escape(c['threat_sets'])} {c['engageable']:,} of {c['flights']:,}"
                             for c in sets))
    return text + "."


def headline_russian(ctx: Context) -> str:
    """Per cue basis: the phases that engage Russian flights, how many of how many, from which sites, by
    how much; or how close the nearest comes."""
    f = ctx.facts
    listed = len(f.of_purpose("russian-concern"))
    sentences = []
    for basis in f.bases:
        found, closest, total = [], None, 0
        for entry in f.summary():
            phase, cell = entry["phase"], entry[("russian-concern", basis)]
            total = max(total, cell["flights"])
            if cell["best_margin_s"] is not None:
                closest = cell["best_margin_s"] if closest is None else max(closest, cell["best_margin_s"])
            if cell["engageable"]:
                sites = sorted({site_label(r) for o in f.of(phase, "russian-concern", basis).values()
                                for r in o.engaged})
                found.append(f"{html.escape(phase.name)} engages {cell['engageable']:,} of {cell['flights']:,} "
                             f"(from {html.escape(', '.join(sites))}, best margin "
                             f"{html.escape(fmt(cell['best_margin_s'], ',.0f', 's', signed=True))})")
        words = html.escape(_cue_words(ctx, basis))
        if found:
            sentences.append(f"under {words}, {listing(found)}")
        else:
            near = ("no site tracks or reaches any" if closest is None else
                    f"the nearest is missed by {html.escape(fmt(-closest, ',.0f', 's'))}" if closest < 0 else
                    f"the best margin is {html.escape(fmt(closest, ',.0f', 's', signed=True))}")
            sentences.append(f"under {words}, no phase engages any of the {total:,} ({near})")
    flown = max((e[("russian-concern", b)]["flights"] for e in f.summary() for b in f.bases), default=0)
    return ("; ".join(sentences) + f". Counted of the {flown:,} Russian flights the catalog's missiles can fly "
            f"({listed:,} listed).")


def headline_theatre(ctx: Context) -> str:
    """The Russian theatre missiles (purpose russian-theatre: the Oreshnik against Europe and the defence's own
    sites), per cue basis: engageable of flown per phase, counted apart from the ICBMs and SLBMs bound for the US;
    "" where the scenario lists none."""
    f = ctx.facts
    listed = len(f.of_purpose(RUSSIAN_THEATRE))
    if not listed:
        return ""
    counted = {basis: f.engageable_words(RUSSIAN_THEATRE, basis) for basis in f.bases}
    sentences = [f"under {html.escape(_cue_words(ctx, basis))}, {html.escape(words)}"
                 for basis, words in counted.items() if words]
    flown = max((e[(RUSSIAN_THEATRE, b)]["flights"] for e in f.summary() for b in f.bases), default=0)
    if not sentences:
        return (f"none of the {listed:,} listed can be flown by the catalog's missiles: there is nothing to "
                "engage.")
    return ("; ".join(sentences) + f". Counted apart from the ICBMs and SLBMs bound for the US, of the {flown:,} "
            f"theatre flights the catalog's missiles can fly ({listed:,} listed).")


def headline_emergence(ctx: Context) -> tuple[str, int | None]:
    """When a Russian flight first becomes engageable, per cue basis; and the index of the first phase."""
    f = ctx.facts
    parts, first_index = [], None
    for basis in f.bases:
        found = f.emergence(basis)
        words = "the architecture's own cueing" if basis == "architecture" else "the bounding cue"
        if found is None:
            parts.append(f"in no phase under {words}")
            continue
        phase, engaged = found
        index = f.phases.index(phase)
        first_index = index if first_index is None else min(first_index, index)
        cancelled = f", cancelled {phase.cancelled.isoformat()} and never built" if phase.cancelled else ""
        parts.append(f"in <strong>{html.escape(phase.name)}</strong> ({html.escape(phase.date.isoformat())}"
                     f"{cancelled}) under {words}")
    return "; ".join(parts) + ".", first_index


def headline_guarantee(ctx: Context) -> str:
    """The first phase's speed and cue limits, per site that engages a Russian flight, with the Iranian share each
    keeps; or why there is none (not run, not needed)."""
    if ctx.guarantees is None:
        return ("not computed for this report (<code>shieldcheck guarantee SCENARIO --phase PHASE</code> "
                "computes it).")
    if not ctx.guarantees:
        return ("no limit is needed: no site of any phase engages a Russian flight bound for the US under any "
                "cue basis assessed.")
    first = ctx.guarantees[0]
    clauses = []
    for limit in first.limits:
        if limit.n_russian == 0:
            continue
        speed = limit.speed_limit_words()
        kept = limit.stated_share_at_speed_limit
        now = ctx.facts.site_share(first.phase, limit)
        share = ("" if kept is None else f", keeping {100 * kept:.0f} % of the Iranian flights"
                 + (f" ({100 * now:.0f} % at its catalog speed)" if now is not None else ""))
        cue = limit.cueing_limit_words()
        cue_share = limit.stated_share_at_cueing_limit
        cue_text = (f"; or a launch no earlier than {cue} after the threat's"
                    + (f" ({100 * cue_share:.0f} % kept)" if cue_share is not None else "")
                    if limit.cueing_limit_s not in (None, 0.0) else f"; cue: {cue}")
        if limit.speed_limit_at_top or limit.speed_limit_km_s is None or not limit.speeds_km_s:
            clauses.append(f"at {html.escape(site_label(limit))}: speed: {html.escape(speed)}"
                           f"{html.escape(cue_text)}")
        else:
            clauses.append(f"at {html.escape(site_label(limit))}: a burnout speed of at most "
                           f"{html.escape(speed)} (catalog {limit.catalog_speed_km_s:.2f}){html.escape(share)}"
                           f"{html.escape(cue_text)}")
    if not clauses:
        return "no Russian flight is in the threat set: no limit to find."
    written = [f"at {site_label(x)}: {x.treaty_words()}" for x in first.limits
               if x.n_russian and x.treaty_limit() is not None]
    wording = (" In the words of the 1997 texts: " + html.escape("; ".join(written)) + "."
               if written else "")
    return (f"in {html.escape(first.phase)}, where it first emerges, no Russian flight would be engageable "
            + "; ".join(clauses) + "." + wording)


def _cue_words(ctx: Context, basis: str) -> str:
    """The cue basis in a few words, the bounding cue with the time from the threat's launch to the
    interceptor's (its delay plus the scenario's decision time and launch delay)."""
    if basis == "architecture":
        return "the architecture's own cueing (its radars)"
    rule = ctx.bounding_rule or ""
    delay = finite(rule.split(":", 1)[1]) if rule.startswith("delay:") else None
    if delay is None:
        return ctx.bounding_words()
    launch = delay + ctx.scenario.assumptions.bounding_launch_delay_s()
    return f"the bounding cue (interceptor launch {fmt(launch, ',.0f', 's')} after the threat's, whatever the radars see)"


def _rests_on(ctx: Context, basis: str) -> str:
    """What an answer rests on: its cue basis, the endgame model and the treatment of uncertainty."""
    model = ctx.scenario.assumptions.endgame_model()
    endgame = "kinematic endgame (catalog kill-vehicle limits)" if model != "none" else "no endgame (reach only)"
    sure = ("P(engageable) over the catalog's ranges: see the tables" if ctx.odds else
            "the catalog's central values, no uncertainty sweep")
    return f"{basis} · {html.escape(endgame)} · {html.escape(sure)}"


def _answer(ctx: Context, key: str, lead: str, text: str, basis: str, evidence: list[tuple[str, str]],
            figure: str, more: tuple[tuple[str, str], ...] = ()) -> str:
    """One answer: its lead and sentence (and ``more`` (lead, sentence) pairs beside it), what it rests on, links to
    its evidence, and its small figure."""
    links = ", ".join(f'<a href="#{i}">{html.escape(t)}</a>' for i, t in evidence)
    return (f'<li id="answer-{key}"><div class="answer-text"><p class="answer"><strong>{lead}</strong> {text}</p>'
            + "".join(f'<p class="answer"><strong>{more_lead}</strong> {more_text}</p>' for more_lead, more_text in more)
            + f'<p class="rests">Rests on: {_rests_on(ctx, basis)}. Evidence: {links}.</p></div>'
            f"{figure}</li>")


def _spread(ctx: Context, ranges: str, mover: str) -> str:
    """An answer's range over the uncertainty run's cases and the parameter that moves it most ("" without one)."""
    o = ctx.odds
    if o is None or not o.answers or not ranges:
        return ""
    return (f' <span class="spread">Over the catalog\'s ranges ({o.answers["cases"]} Latin-hypercube cases): '
            f"{html.escape(ranges)}{'; ' + html.escape(mover) if mover else ''}.</span>")


def spreads(ctx: Context) -> dict[str, str]:
    """The range beside each of the four answers (``_spread``), by answer key."""
    o, f = ctx.odds, ctx.facts
    if o is None or not o.answers:
        return {}

    def per_phase(purpose: str, basis: str) -> str:  # with the catalog's central values among the cases
        found = [(e["phase"].name, o.count_range(e["phase"].name, purpose, basis, e[(purpose, basis)]["engageable"]))
                 for e in f.summary() if (purpose, basis) in e]
        return ", ".join(f"{name} {text}" for name, text in found if text)

    basis = "bounding" if "bounding" in f.bases else "architecture"
    return {"iran": _spread(ctx, "Iranian flights engaged " + per_phase("stated", "architecture"),
                            o.mover_words(("stated", "architecture"))),
            "russia": _spread(ctx, f"Russian flights engageable ({basis} cue) " + per_phase("russian-concern", basis),
                              o.mover_words(("russian-concern", basis))),
            "emergence": _spread(ctx, f"first engageable ({basis} cue) {o.emergence_words(basis)}",
                                 o.mover_words(("emergence", basis))),
            "guarantee": _spread(ctx, f"the speed limit at {o.limit_words()}" if o.guarantee else "", "")}


def answers(ctx: Context) -> str:
    """The four answers, each one sentence with its number, its assumptions and a small figure, on the first
    screen; everything below is the evidence; beside each, with an uncertainty run, its range over the catalog's
    ranges and the parameter that moves it most."""
    f = ctx.facts
    spread = spreads(ctx)
    summary = f.summary()
    labels = [p.name.replace("Phase ", "P") + ("*" if p.cancelled else "") for p in f.phases]
    shares = [100.0 * e[("stated", "architecture")]["engageable"] / e[("stated", "architecture")]["flights"]
              if e[("stated", "architecture")]["flights"] else None for e in summary]
    fig1 = ctx.figs.spark(figures.answer_chart(labels, [("architecture cueing", shares, figures.ENGAGEABLE)],
                                               "Iranian flights engaged (% of flyable)", ctx.figs.path("answer-iran"),
                                               percent=True),
                          "Iranian flights engaged per phase", "① Iranian flights engaged, per phase (*: cancelled)")
    series = [(("architecture cueing" if b == "architecture" else "bounding cue"),
               [e[("russian-concern", b)]["engageable"] for e in summary],
               figures.ENGAGEABLE if b == "architecture" else figures.BOUNDING_ONLY) for b in f.bases]
    fig2 = ctx.figs.spark(figures.answer_chart(labels, series, "Russian flights engageable, per phase",
                                               ctx.figs.path("answer-russia")),
                          "Russian flights engageable per phase", "② Russian flights engageable, per phase")
    colours, legend = [], [("none", figures.NOT_ENGAGED_RUSSIAN)]
    for e in summary:
        arch = e[("russian-concern", "architecture")]["engageable"]
        bound = e[("russian-concern", "bounding")]["engageable"] if "bounding" in f.bases else 0
        colours.append(figures.ENGAGEABLE if arch else figures.BOUNDING_ONLY if bound else
                       figures.NOT_ENGAGED_RUSSIAN)
    if "bounding" in f.bases:
        legend.append(("bounding cue only", figures.BOUNDING_ONLY))
    legend.append(("own cueing", figures.ENGAGEABLE))
    fig3 = ctx.figs.spark(figures.answer_timeline([p.date for p in f.phases], labels, colours, legend,
                                                  "Phases by date: Russian flights engageable?",
                                                  ctx.figs.path("answer-emergence")),
                          "phases by date, coloured by whether a Russian flight is engageable",
                          "③ Phases by date: when it emerges")
    fig4 = ""
    key = next((x for g in (ctx.guarantees or []) for x in g.limits if x.speeds_km_s and x.n_russian), None)
    if key is not None:
        fig4 = ctx.figs.spark(figures.answer_limit(key.speeds_km_s, key.russian_engageable, key.stated_share,
                                                   None if key.speed_limit_at_top else key.speed_limit_km_s,
                                                   f"{key.site} ({key.interceptor}): speed sweep",
                                                   ctx.figs.path("answer-guarantee")),
                              f"speed sweep at {key.site}", f"④ {html.escape(key.site)}: a speed limit")
    emergence, _ = headline_emergence(ctx)
    theatre = headline_theatre(ctx)
    basis_name = {"architecture": "own cueing", "bounding": "bounding cue"}
    items = [
        _answer(ctx, "iran", "Iranian missiles:", "under the architecture's own cueing, " + headline_stated(ctx)
                + spread.get("iran", ""),
                "own cueing", [("summary", "summary"), ("not-flown", "flights not flown")], fig1),
        _answer(ctx, "russia", "Russian ICBMs and SLBMs bound for the US:", headline_russian(ctx)
                + spread.get("russia", ""),
                " and ".join(basis_name[b] for b in f.bases),
                [("summary", "summary"), ("phase-" + slug(f.phases[-1].name), "flight tables")]
                if f.phases else [("summary", "summary")], fig2,
                more=((f"{THEATRE_WORDS}:", theatre),) if theatre else ()),
        _answer(ctx, "emergence", "When it first emerges:", "a Russian flight bound for the US is first "
                "engageable " + emergence + spread.get("emergence", ""), " and ".join(basis_name[b] for b in f.bases),
                [("emergence", "when a threat emerges")], fig3),
        _answer(ctx, "guarantee", "A limit that guarantees it does not:", headline_guarantee(ctx)
                + spread.get("guarantee", ""),
                basis_name["bounding" if "bounding" in f.bases else "architecture"] + " (speed sweep)",
                [("guarantee", "the guarantee")], fig4),
    ]
    return ('<section id="answers"><h2>The answers</h2><ol class="answers">'
            + "".join(items) + "</ol></section>")
