"""How sure: what the verdicts become over the catalog's ranges (the uncertainty run of
``assess --uncertainty``, summed up by :class:`shieldcheck.aggregate.SweepOdds`)."""

from __future__ import annotations

import html
from pathlib import Path

from ..context import Context
from ..markup import details, howto, html_table, phase_label


def uncertainty(ctx: Context) -> str:
    """What the verdicts become over the catalog's ranges (assess --uncertainty)."""
    o = ctx.odds
    m = o.manifest
    rows = []
    for phase in ctx.facts.phases:
        for basis in ctx.facts.bases:
            for purpose in ("stated", "russian-concern"):
                r = o.phase(phase.name, purpose, basis)
                if r is None:
                    continue
                rows.append([html.escape(phase_label(phase)), purpose, basis, f"{r['flights']:,}", f"{r['mean']:.1f}",
                             f"{r['p05']:.0f}-{r['p95']:.0f}",
                             f"{r['probability_any']:.2f} ({r['ci_low']:.2f}-{r['ci_high']:.2f})"])
    top = sorted((r for r in o.sensitivity if r["first_order_index"] is not None),
                 key=lambda r: -r["first_order_index"])[:6]
    ranking = "; ".join(f"{html.escape(r['parameter'])} ({r['purpose']}: {r['first_order_index']:.2f})" for r in top)
    c = o.convergence
    widest = "—" if c["max_ci_half_width"] is None else f"{c['max_ci_half_width']:.2f}"
    left = ("".join(f"<li>{html.escape(line)}</li>" for line in o.left_out)
            or "<li>none</li>")
    folder = Path(o.folder).name
    return ('<section id="uncertainty"><h2>How sure: the catalog\'s ranges</h2>'
            + howto(f"Every verdict above is one point in the space of values the sources disagree on. Here the "
                    f"same engagements were evaluated in {m['cases']:,} cases ({html.escape(m['method'])}, seed "
                    f"{m['seed']}), each drawing every one of the {len(m['parameters'])} ranges below uniformly "
                    "within the range the catalog or the scenario gives it. Beside each verdict the flight tables "
                    "show P(engageable): the share of cases in which some site of the phase can engage the "
                    "flight, with its 95 % Wilson interval.")
            + html_table(["phase", "purpose", "cue basis", "flights", "mean engageable", "5th-95th percentile",
                      "P(at least one engageable)"], rows, {3, 4})
            + f"<p>Which ranges move the engageable count most (first-order variance-based index, estimated from "
              f"the cases): {ranking or 'none varies it'}. Widest interval half-width: {widest} at "
              f"{c['cases']:,} cases.</p>"
            + details(f"The {len(m['parameters'])} ranges swept",
                      "<ul>" + "".join(f"<li>{html.escape(p['path'])}: {html.escape(p['basis'] or '')}</li>"
                                       for p in m["parameters"]) + "</ul>", open_=False)
            + details("Ranges not swept, and why", f"<ul>{left}</ul>", open_=False)
            + f"<p>The cases, every row and the sweep's own summary are in <code>{html.escape(folder)}/</code> "
              "(<code>summary.html</code>; <code>shieldcheck query</code> runs SQL over them).</p></section>")
