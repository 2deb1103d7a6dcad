"""The battle-space figure: what each point of a threat's path offers the interceptor, drawn per pair.

References: the classification of samples is checked by hand on a constructed set (every class
once); the figure of a real pair is a PNG whose coloured points are those of the engagement's own
verdict (a feasible pair has usable points, a pair failing the endgame has points reached in time
that fail it and none usable); bad --plot paths are one line, status 2, before any work.
"""

import numpy as np
import pytest
from cli_helpers import run

from shieldcheck import aiming, catalog
from shieldcheck.endgame import Endgame, KillVehicle
from shieldcheck.engagement import Cueing, Verdict, engage, sample_by_sample
from shieldcheck.report import battlespace


def test_each_sample_gets_its_class():
    samples = {"reachable": np.array([False, True, True, True]), "slack_s": np.array([-np.inf, -5.0, 10.0, 20.0]),
               "reason": np.array([0, 0, 3, 0])}
    assert battlespace.classes(samples).tolist() == [0, 1, 2, 3]


@pytest.fixture(scope="module")
def pair():
    flights = aiming.fly("Shahab-3", "Tabriz", "40.5,38.0", history=True)
    return flights.trajectory_of(0), float(flights.burnout_time_s[0])


@pytest.mark.parametrize("crossing_deg, verdict, drawn", [(90.0, Verdict.FEASIBLE, 3), (1.0, Verdict.ENDGAME_INFEASIBLE, 2)])
def test_the_figure_shows_what_decided_the_verdict(pair, tmp_path, crossing_deg, verdict, drawn):
    track, burnout_s = pair
    interceptor = catalog.interceptor("SM-3 Block IB")
    site = catalog.site("40.0,38.5")
    endgame = Endgame("kinematic", KillVehicle("SM-3 Block IB", 2_500.0, 12_000.0, crossing_deg, 500.0, 30.0), 10.0)
    result = engage(track, interceptor, site, cueing=Cueing.parse("delay:60"), burnout_time_s=burnout_s, endgame=endgame)
    assert result.verdict == verdict
    samples = sample_by_sample(track, interceptor, site, result.interceptor_launch_s, endgame=endgame)
    kinds = battlespace.classes(samples)
    assert drawn in kinds and (3 in kinds) == (verdict == Verdict.FEASIBLE)
    path = battlespace.plot_pair(track, interceptor, site, result, endgame=endgame, title="test",
                                 path=tmp_path / "bs.png")
    assert path.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize("where, words", [("plot.svg", "ending in .png"), ("missing/plot.png", "does not exist"),
                                          ("", "is a folder")])
def test_a_bad_plot_path_is_refused_before_any_work(capsys, tmp_path, where, words):
    target = tmp_path / where if where else tmp_path
    if not where:
        target = tmp_path / "folder.png"
        target.mkdir()
    code, _, err = run(["engage", "--plot", str(target)], capsys)
    assert code == 2 and words in err and err.count("\n") == 1, err
