"""The assessment report: one self-contained HTML file that answers the questions phase by phase.

    >>> from shieldcheck import assess, scenario
    >>> from shieldcheck.report.html import write_report
    >>> path = write_report(assess.assess(scenario.load("epaa")), Path("out"))   # out/report.html

``write_report(assessment, out_dir)`` writes ``out_dir/report.html`` and its figures as
``out_dir/figures/*.png`` (PNG files of an earlier report in that folder are replaced). The
HTML opens offline: no script, style sheet, font or image is fetched from anywhere; the figures
are embedded as base64 data URIs and the style sheet (``style.css``) is inline. Links appear only
in the sources table, to the cited documents.

This module is the report's table of contents: :func:`sections` lists the sections in the order
they are written, each a function of the report's :class:`~shieldcheck.report.context.Context`
in a module of :mod:`shieldcheck.report.sections`, and the page's contents are made from the same
list. In order: the four answers (:mod:`~.sections.answers`); about this assessment, the contents
and how to read the report (:mod:`~.sections.front`); the summary table and when a threat to
Russian strategic missiles emerges (:mod:`~.sections.summary`); a limit that would guarantee it
(:mod:`~.sections.guarantee`); the early phases (boost and ascent: :mod:`~.sections.early_phase`);
where the scenario lists a constellation or a space study is handed in, space-based interceptors
(:mod:`~.sections.space`); the numbers game (:mod:`~.sections.numbers`); with an uncertainty run, how sure
(:mod:`~.sections.uncertainty`); one section per phase: its architecture, the stated purpose and
the Russian concern, each with a map (:mod:`~.sections.phases`); defended areas
(:mod:`~.sections.defended_areas`); threats built to evade defences (:mod:`~.sections.evasive`);
timelines and battle spaces of a few representative flights (:mod:`~.sections.engagements`); the
flights no missile could fly (:mod:`~.sections.not_flown`); the assumptions and model settings
(:mod:`~.sections.assumptions`); the sources (:mod:`~.sections.sources`); and the notes that
explain every "—".

Nothing is printed as NaN, None or inf: where a value does not apply the report shows "—"
with a numbered note saying why (:func:`~shieldcheck.report.markup.fmt` and
:class:`~shieldcheck.report.markup.Notes`). Every text is escaped. The report computes no physics:
the numbers are the assessment's and those of the studies handed in.
"""

from __future__ import annotations

import functools
import html
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .. import atomic
from .context import Context
from .markup import DASH, Notes, fmt, html_table, phase_label, slug
from .sections import (answers, assumptions, defended_areas, engagements, evasive, front, guarantee, not_flown,
                       numbers, phases, sources, summary, uncertainty)
from .sections import early_phase as early_phase_section
from .sections import space as space_section
from .style import STYLE_CSS

__all__ = ["DASH", "Notes", "STYLE_CSS", "Section", "fmt", "html_table", "sections", "write_report"]

NOTES_ID, NOTES_TITLE = "notes", "Notes"  # the last section, written once every other has added its notes


@dataclass(frozen=True)
class Section:
    """One entry of the table: the element id and title the contents list it under, and the function of
    the report's context that writes its HTML. A section not ``listed`` is written but not in the contents
    (the title, the contents themselves, a section with nothing to show)."""

    anchor: str
    title: str
    write: Callable[[Context], str]
    listed: bool = True


def sections(ctx: Context) -> list[Section]:
    """The report's sections in the order they are written; the contents list those listed, then the notes."""
    before = [Section("answers", "The answers", answers.answers),
              Section("about", "About this assessment", front.about)]
    after = [Section("how-to-read", "How to read this report", front.how_to_read),
             Section("summary", "Summary", summary.summary),
             Section("emergence", "When a threat emerges", summary.emergence),
             Section("guarantee", "A limit that would guarantee it", guarantee.guarantee),
             Section(early_phase_section.SECTION_ID, early_phase_section.TITLE, early_phase_section.section)]
    if ctx.space is not None or getattr(ctx.scenario, "constellations", ()):
        after.append(Section(space_section.SECTION_ID, space_section.TITLE, space_section.section))
    after.append(Section("numbers", "The numbers game", numbers.numbers))
    if ctx.odds:
        after.append(Section("uncertainty", "How sure: the catalog's ranges", uncertainty.uncertainty))
    after += [Section(f"phase-{slug(p.name)}", phase_label(p), functools.partial(phases.phase, phase=p))
              for p in ctx.facts.phases]
    after += [Section("defended-areas", "Defended areas", defended_areas.defended_areas),
              Section("evasive", "Threats built to evade defences", evasive.evasive,
                      listed=bool(ctx.facts.evasive_ids())),
              Section("timelines", "Timelines", engagements.timelines),
              Section("battle-space", "Battle space", engagements.battle_spaces),
              Section("not-flown", "Flights not flown", not_flown.not_flown),
              Section("assumptions", "Assumptions", assumptions.assumptions),
              Section("sources", "Sources", sources.sources)]
    entries = [(s.anchor, s.title) for s in before + after if s.listed] + [(NOTES_ID, NOTES_TITLE)]
    return [Section("", "", front.title, listed=False), *before,
            Section("", "", functools.partial(front.contents, entries=entries), listed=False), *after]


def page(ctx: Context, progress=None) -> str:
    """The whole page: every section in order, the notes and the footer; ``progress(done, total, what)`` is
    called as each section is written. The figures of an earlier report in the folder that this one did not
    write are removed."""
    start = time.perf_counter()
    table = sections(ctx)
    body = []
    for done, section in enumerate(table, 1):
        body.append(section.write(ctx))
        if progress:
            progress(done, len(table), "writing the report")
    body.append(f'<section id="{NOTES_ID}"><h2>{NOTES_TITLE}</h2><p>Why a cell shows “—”.</p>' + ctx.notes.html()
                + "</section>")
    took = time.perf_counter() - start
    body.append(f"<footer>Written by shieldcheck's report module in {took:,.1f} s; maps from Natural Earth "
                "(public domain). Physics-only feasibility, and in the numbers game a stated kill probability and "
                "doctrine: no discrimination, no countermeasures beyond stated decoys.</footer>")
    ctx.figs.tidy()
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(ctx.scenario.title)}</title><style>{STYLE_CSS}</style></head><body>"
            + "".join(body) + "</body></html>\n")


def write_report(assessment, out_dir: Path, progress=None, footprints=None, uncertainty=None,
                 guarantees=None, early_phase=None, space=None, verifications=None) -> Path:
    """Write ``out_dir/report.html`` (self-contained) and ``out_dir/figures/*.png``; return the HTML path.
    ``progress(done, total, what)`` is called as each section is written; ``footprints`` (a list of
    :class:`shieldcheck.footprint.Footprint`, one per phase, from ``footprint.defended_areas``) fill the
    "Defended areas" section, which otherwise says that they were not computed; ``uncertainty`` (an
    :class:`shieldcheck.aggregate.SweepOdds`) adds each verdict's probability under the catalog's ranges;
    ``guarantees`` (a list of :class:`shieldcheck.guarantee.PhaseLimits`, from ``guarantee.for_assessment``)
    fill "A limit that would guarantee it", which otherwise says that it was not run; ``early_phase`` (an
    :class:`shieldcheck.early_phase.EarlyPhase`, from ``early_phase.for_assessment``) fills "The early phases",
    which otherwise says that it was not computed; ``space`` (a :class:`shieldcheck.space_study.SpaceStudy`, from
    ``space_study.study``) adds "Space-based interceptors", which a scenario that lists a ``[[constellation]]``
    shows without it as not computed; ``verifications`` (a list of :class:`shieldcheck.verify.Verification`)
    add to that section who of the other side could watch each test and how precisely."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    ctx = Context.of(assessment, out_dir, footprints=footprints, uncertainty=uncertainty, guarantees=guarantees,
                     early_phase=early_phase, space=space, verifications=verifications)
    return atomic.write_text(out_dir / "report.html", page(ctx, progress))
