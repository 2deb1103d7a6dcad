"""The verdicts' one table (shieldcheck/verdicts.py): every reader takes its codes, order, colours,
messages and margin rule from it, so the report and the globe name the same best verdict for a flight.

Reference: the table itself; the kernels' codes (engine/results.py) and the results rows written by
``assess`` must agree with it.
"""

import itertools

import pytest

from shieldcheck import aggregate, scene, verdicts
from shieldcheck.engine import results as R
from shieldcheck.verdicts import TABLE, Verdict


def test_the_table_has_every_verdict_once_with_ranks_best_first():
    assert set(TABLE) == set(Verdict)
    assert [row.rank for row in TABLE.values()] == list(range(len(Verdict)))
    assert verdicts.ORDER == ("feasible", "beyond_sector", "too_late", "endgame_infeasible", "out_of_altitude_band",
                              "out_of_range", "never_detected")
    assert all(row.name == row.verdict.name.lower() for row in TABLE.values())
    assert len({row.rgba for row in TABLE.values()}) == len(TABLE)


def test_the_kernel_codes_are_the_tables():
    for v in Verdict:
        assert getattr(R, f"VERDICT_{v.name}") == int(v)


def test_margin_rules():
    """A verdict without a margin says why; the defence's margins are a subset of those carried."""
    assert verdicts.MARGIN_VERDICTS == ("feasible", "beyond_sector", "too_late")
    assert verdicts.DEFENCE_MARGIN_VERDICTS == ("feasible", "too_late")
    for row in TABLE.values():
        assert (row.no_margin is None) == row.carries_margin
        assert not row.defence_margin or row.carries_margin


def test_messages():
    assert Verdict.FEASIBLE.explain(95.4) == ("intercept possible: the interceptor can be there 95 s early at its "
                                              "best point")
    assert Verdict.TOO_LATE.explain(-95.4) == "interceptor arrives 95 s too late at its best point"
    assert "12 s too late" in Verdict.ENDGAME_INFEASIBLE.explain(0.0, -12.0)
    assert Verdict.ENDGAME_INFEASIBLE.explain() == TABLE[Verdict.ENDGAME_INFEASIBLE].message


def _row(name: str, site: str, margin_s: float) -> dict:
    carries = verdicts.by_name(name).carries_margin
    return {"flight_id": 1, "phase": "P", "purpose": "stated", "cue_basis": "architecture", "site": site,
            "verdict": name, "margin_s": margin_s if carries else None}


@pytest.mark.parametrize("first, second", list(itertools.product(verdicts.ORDER, repeat=2)))
def test_the_report_and_the_scene_pick_the_same_best_verdict(first, second):
    """For every pair of verdicts at two sites (margins either way round), the report's nearest row
    (aggregate.outcomes) and the scene's and explorer's best row (scene.best_rows; the page orders by the
    served verdicts.ORDER) are the same row."""
    for a_s, b_s in ((30.0, -20.0), (-20.0, 30.0), (5.0, 5.0)):
        rows = [_row(first, "A", a_s), _row(second, "B", b_s)]
        report_best = next(iter(aggregate.outcomes(rows).values()))[1].best
        scene_best = scene.best_rows(rows)[1]
        page_best = min(rows, key=lambda r: verdicts.ORDER.index(r["verdict"]))  # app.js: first in ORDER wins
        assert report_best is scene_best
        assert report_best["verdict"] == page_best["verdict"] == min((first, second), key=verdicts.RANK.get)
