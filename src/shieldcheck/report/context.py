"""What every section of the report is a function of: one :class:`Context` per report, holding the
assessment's rows (:class:`~shieldcheck.report.facts.Facts`), the studies handed in with it, the notes
that explain each "—" and the figure files. Sections read it and append to its notes and figures, in
the order :mod:`shieldcheck.report.html` calls them; none of them computes physics.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import verdicts
from ..aggregate import Outcome, finite
from .facts import Facts
from .figure_files import FigureFiles
from .markup import DASH, Notes, fmt

__all__ = ["Context"]

NO_MARGIN = {row.name: row.no_margin for row in verdicts.TABLE.values() if row.no_margin}  # verdict -> why no margin


@dataclass(frozen=True)
class Context:
    """One report's inputs and its two accumulators (``notes``, ``figs``), written into ``out_dir``.

    ``footprints``: a :class:`shieldcheck.footprint.Footprint` per phase, or None (not computed);
    ``odds``: the uncertainty run's :class:`shieldcheck.aggregate.SweepOdds`, or None;
    ``guarantees``: a :class:`shieldcheck.guarantee.PhaseLimits` per phase where it matters, or None
    (not run); ``early_phase``: an :class:`shieldcheck.early_phase.EarlyPhases` (every phase studied) or one
    phase's :class:`shieldcheck.early_phase.EarlyPhase`, or None (not computed);
    ``space``: a :class:`shieldcheck.space_study.SpaceStudy`, or None (not computed);
    ``verifications``: a :class:`shieldcheck.verify.Verification` per verified test, or None (not computed).
    ``rcs_m2`` is the scenario's radar cross-section; ``bounding_rule`` the bounding cue's rule
    ("delay:105"), or None where the scenario assesses none."""

    facts: Facts
    out_dir: Path
    notes: Notes
    figs: FigureFiles
    rcs_m2: float
    bounding_rule: str | None = None
    footprints: list | None = None
    odds: object | None = None
    guarantees: list | None = None
    early_phase: object | None = None
    space: object | None = None
    verifications: list | None = None

    @classmethod
    def of(cls, assessment, out_dir: Path, *, footprints=None, uncertainty=None, guarantees=None,
           early_phase=None, space=None, verifications=None) -> "Context":
        """The context of a report of ``assessment`` written into ``out_dir`` (its figures into ``out_dir/figures``)."""
        facts = Facts(assessment)
        a = assessment.scenario.assumptions
        bounding = getattr(a, "bounding_cueing", None)
        rule = getattr(bounding, "value", bounding) if bounding is not None else None
        if rule is None and "bounding" in facts.bases:
            rules = {r.get("cueing") for r in facts.rows if r["cue_basis"] == "bounding"}
            rule = ", ".join(sorted(str(x) for x in rules if x))
        return cls(facts, out_dir, Notes(), FigureFiles(out_dir / "figures"), float(a.rcs_m2.value), rule,
                   footprints, uncertainty, guarantees, early_phase, space, verifications)

    @property
    def scenario(self):
        """The assessed scenario."""
        return self.facts.scenario

    def margin(self, outcome: Outcome | None, *, why_none: str | None = None) -> str:
        """A flight's best margin in s (signed), or "—" with a note saying why it has none."""
        if outcome is None:
            return DASH + self.notes.mark(why_none or "no row for this flight")
        value = outcome.margin_s
        why = why_none or NO_MARGIN.get((outcome.best or {}).get("verdict"), "no margin for this verdict")
        return self.notes.cell(value, ",.0f", "s", signed=True, why=why)

    def probability(self, phase, basis: str, flight_id: int) -> str:
        """The share of the uncertainty sweep's cases in which the flight is engageable, with its interval."""
        found = self.odds.flight(phase.name, basis, flight_id)
        if found is None:
            return DASH + self.notes.mark("not evaluated by the uncertainty sweep")
        p, low, high = found
        return f"{p:.2f} <span class=\"muted\">({low:.2f}-{high:.2f})</span>"

    def bounding_words(self) -> str:
        """The bounding cue in words: its delay after the threat's launch, or its rule."""
        rule = self.bounding_rule or ""
        if rule.startswith("delay:"):
            delay = fmt(finite(rule.split(":", 1)[1]), ",.0f", "s")
            return f"the bounding cue (interceptor launch {delay} after the threat's launch, whatever the sensors see)"
        return f"the bounding cue ({rule or 'a fixed delay'}, whatever the sensors see)"
