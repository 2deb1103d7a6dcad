"""Flights not flown: the flights of the threat sets that the catalog's missile cannot fly, with the
reason for each."""

from __future__ import annotations

import html
from collections import defaultdict

from ..context import Context
from ..markup import details, fmt, howto, html_table


def not_flown(ctx: Context) -> str:
    """The flights not flown, with their counts per missile and the reason for each."""
    f = ctx.facts
    missing = sorted((x for x in f.flights.values() if x.get("status") != "flown"),
                     key=lambda x: (", ".join(x.get("threat_sets", ())), x.get("missile"), x.get("launch"),
                                    x.get("aim")))
    parts = ['<section id="not-flown"><h2>Flights not flown</h2>',
             howto("Flights of the threat sets that the catalog's missile cannot fly: the aim point lies "
                   "beyond its reach on that bearing (reach computed for the missile as modelled, on a "
                   "rotating Earth), or no aim solution was found. They take no part in the engagements; "
                   "the reason gives the numbers.")]
    if not missing:
        parts.append("<p>Every threat flight was flown.</p></section>")
        return "".join(parts)
    rows = [[html.escape(", ".join(x.get("threat_sets", ()))), html.escape(fmt(x.get("launch"))),
             html.escape(fmt(x.get("aim"))), html.escape(fmt(x.get("missile"))),
             html.escape(fmt(x.get("trajectory"))), html.escape(fmt(x.get("status"))),
             ctx.notes.cell(x.get("reason"), why="no reason recorded")] for x in missing]
    counts = defaultdict(int)
    for x in missing:
        counts[x.get("missile")] += 1
    parts.append("<p>" + html.escape(f"{len(missing):,} of {len(f.flights):,} flights not flown: "
                                     + ", ".join(f"{m} {n}" for m, n in sorted(counts.items()))) + ".</p>")
    parts.append(details(f"All {len(rows):,} flights not flown",
                         html_table(["threat sets", "launch", "aim", "missile", "trajectory", "status", "reason"],
                                rows), open_=len(rows) <= 30))
    parts.append("</section>")
    return "".join(parts)
