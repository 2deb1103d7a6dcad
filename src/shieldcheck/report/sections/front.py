"""The front of the report: its title, what was assessed (about), the contents and how to read it."""

from __future__ import annotations

import datetime
import html
from urllib.parse import quote

from ... import verdicts
from ...aggregate import finite
from ...constants import PACKAGE_VERSION
from ..context import Context
from ..markup import DASH, fmt, html_table, phase_label

VERDICT_MEANINGS = {row.name: row.definition for row in verdicts.TABLE.values()}  # best first


def title(ctx: Context) -> str:
    """The page's heading: the scenario's title."""
    return f"<header><h1>{html.escape(ctx.scenario.title)}</h1></header>"


def about(ctx: Context) -> str:
    """What was assessed: the scenario, when the report was written, the counts of flights and rows, the globe."""
    f, s = ctx.facts, ctx.scenario
    flown = sum(1 for x in f.flights.values() if x.get("status") == "flown")
    version = PACKAGE_VERSION
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    run_s = finite(getattr(f.assessment, "run_s", None))
    by_basis = ", ".join(f"{sum(1 for r in f.rows if r['cue_basis'] == b):,} under the {b} cue basis"
                         for b in f.bases)
    items = [
        ("Scenario", html.escape(s.name)),
        ("Report written", html.escape(now)),
        ("shieldcheck version", ctx.notes.cell(version, why="the installed shieldcheck states no version")),
        ("Assessment run time", ("computed in " + html.escape(fmt(run_s, ",.1f", "s")) if run_s is not None
                                 else DASH + ctx.notes.mark("the assessment did not record its run time"))
         + ' <span class="muted">(work read back from the work directory is not re-timed)</span>'),
        ("Phases", html.escape(f"{len(f.phases)}: " + ", ".join(phase_label(p) for p in f.phases))),
        ("Threat flights", html.escape(f"{len(f.flights):,} distinct flights in {len(s.threats)} threat sets; "
                                       f"{flown:,} flown, {len(f.flights) - flown:,} not flown "
                                       "(beyond the missile's reach or not solved)")),
        ("Engagement pairs", html.escape(f"{len(f.rows):,} (flight, phase, site, cue basis) rows: {by_basis}")),
        ("On a globe", globe(ctx)),
    ]
    meta = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in items)
    return (f'<section id="about"><h2>About this assessment</h2><p>{html.escape(s.description)}</p>'
            f'<dl class="meta">{meta}</dl></section>')


def globe(ctx: Context) -> str:
    """Where to see this result on a globe: the explorer's view of it, and the scene files beside the report."""
    from ... import scene
    from ...explorer import DEFAULT_PORT

    phase, basis = scene.default_view(scene.Scene(ctx.scenario, ctx.facts.assessment.results, {}))
    folder = ctx.out_dir.name
    url = f"http://127.0.0.1:{DEFAULT_PORT}/#result={quote(folder)}&phase={quote(phase)}&basis={basis}"
    return (f'<code>shieldcheck serve {html.escape(folder)}</code> opens this result in the explorer, a local '
            f'server that needs no network (<a href="{html.escape(url)}">this view</a> while it runs); '
            f'<a href="scene.czml">scene.czml</a> (CesiumJS, STK) and <a href="scene.kml">scene.kml</a> '
            f'(Google Earth) beside this report hold the geometry of {html.escape(phase)} under the '
            f'{html.escape(basis)} cue')


def contents(ctx: Context, entries: list[tuple[str, str]]) -> str:
    """The contents: a link to each (element id, title) of ``entries``."""
    items = "".join(f'<li><a href="#{i}">{html.escape(t)}</a></li>' for i, t in entries)
    return f"<nav><ol>{items}</ol></nav>"


def how_to_read(ctx: Context) -> str:
    """What a row, a verdict, a cue basis and a margin mean, with an example message of each verdict."""
    f = ctx.facts
    examples = {}
    for r in f.rows:
        examples.setdefault(r.get("verdict"), r.get("message"))
    rows = [[f"<code>{html.escape(v)}</code>", html.escape(meaning),
             html.escape(fmt(examples.get(v))) if examples.get(v) else
             DASH + ctx.notes.mark("no row of this assessment has this verdict")]
            for v, meaning in VERDICT_MEANINGS.items()]
    bounding = (f" Under {html.escape(ctx.bounding_words())} every site is assessed a second time: this bound, "
                "used by published analyses to bound the question, ignores sensor coverage altogether: it asks "
                "whether the interceptor could reach the threat if it were launched that early, not whether "
                "the architecture's radars would let it." if "bounding" in f.bases else
                " This scenario sets no bounding cue: only the architecture's own cueing is assessed.")
    return (
        '<section id="how-to-read"><h2>How to read this report</h2>'
        "<p>Every threat flight of the scenario is flown once on a rotating WGS 84 Earth; then, phase by phase, "
        "every site of the phase is tested against every flown flight. A flight is <em>engageable</em> in a "
        "phase when at least one of the phase's sites can intercept it. The results are <strong>physics-only "
        "feasibility</strong>: whether an interceptor could be at the threat in time, inside its altitude band "
        "and its sector, at a point its kill vehicle can use (the endgame: meeting the warhead roughly head-on, "
        "within its closing-speed, divert and range limits, unless the assumptions below say the endgame model "
        "is <code>none</code>). They say nothing of the probability of a kill, of discrimination of warheads from "
        "decoys, of countermeasures, of the number of interceptors left, or of command decisions. "
        "<a href=\"#numbers\">The numbers game</a> adds interceptor inventories, a kill probability, a shot "
        "doctrine, warheads, decoys and raids, each a stated assumption.</p>"
        "<p>Each site is first assessed under the <em>architecture's cueing</em>: its own cueing rule and "
        f"sensors, as the scenario states them.{bounding}</p>"
        "<p>A <em>margin</em> is in seconds: positive, the interceptor could be there that much early at "
        "its best point; negative, it is that much late. A “—” marks a value that does not apply; "
        "its numbered note (at the end) says why.</p>"
        + html_table(["verdict", "meaning", "example message from this assessment"], rows)
        + "</section>")
