"""The verdicts of one (threat flight, interceptor site) pair: each one's code, rank, colour, words and
margin rule, defined once and read by the kernels' codes, the engagement's messages, the summaries, the
report, the scene and the explorer's page (served as JSON by ``/api/results``).

**Rank** (best first) is how close a pair came to an intercept, the order in which a flight's best
verdict over several sites is picked (ties: the larger margin):

1. ``feasible``: an intercept the site may make;
2. ``beyond_sector``: an intercept in time, forbidden only by the site's sector (a policy line, not
   physics);
3. ``too_late``: points the kill vehicle can use are reached, only late (an earlier cue could help;
   its margin says by how much);
4. ``endgame_infeasible``: points reached in time are ruled out by the kill vehicle's endgame (another
   kill vehicle, not a better cue, would be needed);
5. ``out_of_altitude_band``, 6. ``out_of_range``, 7. ``never_detected``: no intercept point at all.

**Margins.** ``carries_margin``: the result row has a ``margin_s`` (s early, +; late, -), the
arrival margin at the best point; ``defence_margin``: that margin is one the defence may use, so it
counts in a phase's best margin (a sector's forbidden intercepts are kept apart).

Layer L0: imports only the standard library.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass


class Verdict(enum.IntEnum):
    """Outcome of one (threat flight, interceptor site) pair: the code the kernels write."""

    FEASIBLE = 0
    NEVER_DETECTED = 1
    OUT_OF_ALTITUDE_BAND = 2
    OUT_OF_RANGE = 3
    TOO_LATE = 4
    BEYOND_SECTOR = 5
    ENDGAME_INFEASIBLE = 6

    @property
    def info(self) -> VerdictInfo:
        """This verdict's row of :data:`TABLE`."""
        return TABLE[self]

    def explain(self, margin_s: float = 0.0, usable_margin_s: float = -math.inf) -> str:
        """The verdict in words; ``margin_s`` its margin (s early, +), ``usable_margin_s`` (endgame_infeasible)
        the slack at the best point the endgame allows (-inf: none)."""
        if self == Verdict.ENDGAME_INFEASIBLE and usable_margin_s > -math.inf:
            return _ENDGAME_LATE.format(late_s=-usable_margin_s)
        return TABLE[self].message.format(early_s=margin_s, late_s=-margin_s)


@dataclass(frozen=True)
class VerdictInfo:
    """One verdict's facts. ``message``: a template of ``early_s``/``late_s`` (s); ``definition``: what the
    verdict means, for the report's glossary; ``no_margin``: why a cell shows no margin (None where the
    verdict carries one)."""

    verdict: Verdict
    name: str  # as in the results table
    words: str  # as a label in the explorer's table and legend
    rank: int  # 0: best (module docstring)
    rgba: tuple[int, int, int, int]  # colour of the scene's tracks and the explorer's legend
    message: str
    definition: str
    carries_margin: bool
    defence_margin: bool
    no_margin: str | None


_ENDGAME_LATE = ("the interceptor is in time only at points its kill vehicle's endgame rules out; at the "
                 "points it allows, the interceptor arrives {late_s:.0f} s too late at its best point")

_ROWS = (
    VerdictInfo(
        Verdict.FEASIBLE, "feasible", "engageable", 0, (46, 160, 67, 255),
        "intercept possible: the interceptor can be there {early_s:.0f} s early at its best point",
        "the interceptor can reach the threat inside its intercept altitude band, inside its sector, in time; "
        "the margin is how many seconds early it can be there at its best point",
        True, True, None),
    VerdictInfo(
        Verdict.BEYOND_SECTOR, "beyond_sector", "beyond sector", 1, (156, 106, 222, 255),
        "intercept possible only outside the site's sector (there {early_s:.0f} s early at its best point)",
        "an intercept would be possible, but only outside the site's sector, where it may not intercept; the "
        "margin is that of the intercept forbidden by the sector",
        True, False, None),
    VerdictInfo(
        Verdict.TOO_LATE, "too_late", "too late", 2, (230, 145, 56, 255),
        "interceptor arrives {late_s:.0f} s too late at its best point",
        "the threat passes within reach, but the interceptor launched on the cue arrives late, at every point it "
        "reaches, tail chases included; the margin (negative) is by how many seconds at its best usable point",
        True, True, None),
    VerdictInfo(
        Verdict.ENDGAME_INFEASIBLE, "endgame_infeasible", "endgame infeasible", 3, (191, 87, 0, 255),
        "the interceptor reaches the threat, but at no point its kill vehicle's endgame allows",
        "the interceptor reaches the threat in time only at points its kill vehicle's endgame rules out (a tail "
        "chase, a closing speed or divert beyond its limits, no track at the intercept, beyond its operational "
        "range), or reaches no point the endgame allows; the reason names the limit and the number, and how late "
        "the interceptor is at the points the endgame allows (no margin)",
        False, False,
        "no margin: the kill vehicle's endgame allows none of the points the interceptor reaches in time"),
    VerdictInfo(
        Verdict.OUT_OF_ALTITUDE_BAND, "out_of_altitude_band", "out of altitude band", 4, (200, 170, 40, 255),
        "threat never inside the interceptor's intercept altitude band after its launch",
        "the threat is never inside the interceptor's intercept altitude band once the interceptor could fly "
        "(no margin)",
        False, False, "no margin: the threat is never inside the interceptor's intercept altitude band"),
    VerdictInfo(
        Verdict.OUT_OF_RANGE, "out_of_range", "out of range", 5, (150, 150, 150, 255),
        "threat never inside the interceptor's reach, whatever the time",
        "the threat never comes within the interceptor's reach, whatever the launch time (no margin)",
        False, False, "no margin: the threat never comes within the interceptor's reach"),
    VerdictInfo(
        Verdict.NEVER_DETECTED, "never_detected", "never detected", 6, (110, 110, 110, 255),
        "threat never tracked by the cueing sensors: no interceptor launch",
        "the cueing sensors never hold a track of the threat, so the site never launches (no margin)",
        False, False, "no margin: the cueing sensors never track this threat, so no interceptor is launched"),
)

#: Every verdict's facts, by verdict (best first)
TABLE: dict[Verdict, VerdictInfo] = {row.verdict: row for row in sorted(_ROWS, key=lambda r: r.rank)}
#: Verdict names, best first: the one order of the report, the scene and the explorer
ORDER: tuple[str, ...] = tuple(row.name for row in TABLE.values())
#: Name -> rank (0: best)
RANK: dict[str, int] = {row.name: row.rank for row in TABLE.values()}
#: Name -> colour (RGBA), best first
RGBA: dict[str, tuple[int, int, int, int]] = {row.name: row.rgba for row in TABLE.values()}
#: Names of the verdicts whose result rows carry a margin
MARGIN_VERDICTS: tuple[str, ...] = tuple(row.name for row in TABLE.values() if row.carries_margin)
#: Names of the verdicts whose margin counts in a phase's best margin
DEFENCE_MARGIN_VERDICTS: tuple[str, ...] = tuple(row.name for row in TABLE.values() if row.defence_margin)
UNRANKED = len(TABLE)  # the rank of a name that is no verdict (after every verdict)


def by_name(name: str) -> VerdictInfo:
    """The facts of the verdict named ``name`` (as in the results table); KeyError otherwise."""
    return TABLE[Verdict[name.upper()]]


def rank_of(name: str | None) -> int:
    """The rank of a verdict's name (0: best); :data:`UNRANKED` for anything else."""
    return RANK.get(name, UNRANKED)  # type: ignore[arg-type]


def as_json() -> list[dict]:
    """The table as the explorer's page reads it: best first, name, words, rank, colour and margin rule."""
    return [{"name": r.name, "code": int(r.verdict), "words": r.words, "rank": r.rank, "rgba": list(r.rgba),
             "carries_margin": r.carries_margin} for r in TABLE.values()]
