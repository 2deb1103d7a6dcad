"""The summary table (one row per phase) and when a threat to Russian strategic missiles emerges:
the first phase, per cue basis, in which a Russian flight bound for the US is engageable."""

from __future__ import annotations

import html

from .. import figures
from ...scene import site_label
from ..context import Context
from ..markup import DASH, howto, html_table, phase_label


def summary(ctx: Context) -> str:
    """One row per phase: the Iranian and Russian flights engageable of those flown, and the best Russian margin."""
    f = ctx.facts
    bounded = "bounding" in f.bases
    stated_total = len(f.of_purpose("stated"))
    header = ["phase", "date", "Iranian flights engageable / flyable (architecture cueing)",
              "Russian flights engageable / flyable (architecture cueing)"]
    if bounded:
        header.append("Russian flights engageable / flyable (bounding cue)")
    header.append("best Russian margin (architecture cueing)")
    if bounded:
        header.append("best Russian margin (bounding cue)")
    numeric = set(range(2, len(header)))
    rows = []
    for entry in f.summary():
        p = entry["phase"]
        cells = [html.escape(phase_label(p)), html.escape(p.date.isoformat())]
        cells.append(_ratio(ctx, entry[("stated", "architecture")]))
        for basis in f.bases:
            cells.append(_ratio(ctx, entry[("russian-concern", basis)]))
        for basis in f.bases:
            cell = entry[("russian-concern", basis)]
            text = ctx.notes.cell(cell["best_margin_s"], ",.0f", "s", signed=True,
                                  why="no Russian flight of this phase has a margin under this cue basis: "
                                  "every one is never tracked by the cueing sensors, out of the interceptors' "
                                  "reach or out of their altitude band")
            outside = cell["beyond_sector_margin_s"]
            if outside is not None and (cell["best_margin_s"] is None or outside > cell["best_margin_s"]):
                text += ctx.notes.mark("closer outside a site's sector, where the site may not intercept: "
                                       "see the phase's Russian table (verdict beyond_sector); the margin "
                                       "shown counts only intercepts the sectors allow")
            cells.append(text)
        rows.append(cells)
    return ('<section id="summary"><h2>Summary</h2>'
            + howto("One row per phase, in date order. The stated purpose counts the Iranian flights "
                    f"(of {stated_total:,} in the stated threat sets, only those a missile can fly) that at "
                    "least one site of the phase can engage under the architecture's own cueing. The Russian "
                    "columns count the Russian ICBM and SLBM flights to the US that some site could engage. "
                    "The best Russian margin says how close the phase comes: positive, some Russian flight is "
                    "engageable with that many seconds to spare; negative, the best Russian flight is missed "
                    "by that many seconds.")
            + html_table(header, rows, numeric) + "</section>")


def _ratio(ctx: Context, cell: dict) -> str:
    """"engageable / flights" of a summary cell, or "—" where no flight of its kind was flown."""
    if not cell["flights"]:
        return DASH + ctx.notes.mark("no flight of this kind was flown, so none could be engaged")
    cls = "ok" if cell["engageable"] else "muted"
    return f'<span class="{cls}">{cell["engageable"]:,}</span> / {cell["flights"]:,}'


def emergence(ctx: Context) -> str:
    """Per cue basis, the first phase in which a Russian flight is engageable, with the margins chart."""
    f = ctx.facts
    sentences = []
    for basis in f.bases:
        found = f.emergence(basis)
        words = ("the architecture's own cueing" if basis == "architecture" else html.escape(ctx.bounding_words()))
        if found is None:
            sentences.append(f"Under {words}, a Russian ICBM or SLBM bound for the US first becomes engageable "
                             "in <strong>none of the assessed phases</strong>.")
            continue
        phase, engaged = found
        total = len(f.of(phase, "russian-concern", basis))
        sites = sorted({site_label(r) for o in engaged for r in o.engaged})
        cancelled = (f"; this phase was cancelled on {phase.cancelled.isoformat()} and never built"
                     if phase.cancelled else "")
        sentences.append(
            f"Under {words}, a Russian ICBM or SLBM bound for the US first becomes engageable in "
            f"<strong>{html.escape(phase.name)} ({html.escape(phase.date.isoformat())})</strong>{cancelled}: "
            f"{len(engaged):,} of {total:,} Russian flights, by {html.escape(', '.join(sites))}.")
    summary = f.summary()
    labels = [p.name + ("\n(cancelled)" if p.cancelled else "") for p in f.phases]
    arch = [e[("russian-concern", "architecture")]["best_margin_s"] for e in summary]
    bound = ([e[("russian-concern", "bounding")]["best_margin_s"] for e in summary] if "bounding" in f.bases
             else None)
    share = [(e[("stated", "architecture")]["engageable"] / e[("stated", "architecture")]["flights"])
             if e[("stated", "architecture")]["flights"] else None for e in summary]
    path = figures.emergence_chart(labels, arch, bound, share, ctx.figs.path("emergence"))
    figure = ctx.figs.embed(path, "best Russian margin and share of stated flights engageable, per phase",
                            "Top: per phase, the best margin of any Russian flight at any site (bars above the "
                            "zero line: engageable with that many seconds to spare; below: missed by that "
                            "many; “no margin”: no Russian flight is tracked or within reach). Bottom: the "
                            "share of flown stated (Iranian) flights engageable under the architecture's "
                            "cueing.")
    return ('<section id="emergence"><h2>When a threat emerges</h2>'
            + howto("The question behind the Russian concern: from which phase on could the defence engage "
                    "Russian strategic missiles bound for the US? Phases are taken in date order (a cancelled "
                    "phase is assessed as planned). A Russian flight is one of the scenario's threat sets "
                    "whose stated purpose is the Russian concern (purpose = \"russian-concern\"), "
                    "whatever the missile. “Engageable” is physics-only feasibility, not a "
                    "judgement of effectiveness.")
            + "".join(f'<p class="finding">{s}</p>' for s in sentences) + figure + "</section>")
