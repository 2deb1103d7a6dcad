"""Shot opportunities under the stated shoot-look-shoot doctrine (``engagement.shot_opportunities``),
against counts worked by hand.

Doctrine: shot 1 meets the threat at the window's earliest point t_1; shot k+1 is launched at
t_k + look (the look: kill assessment of shot k and commit) and counts only if it too arrives in
time at a point of the window. A point at time t with fly-out time T is reached by an interceptor
launched at L when L + T <= t. Times are exact multiples of the sample step, so the counts are
exact (no tolerance: a whole number of shots).
"""

import numpy as np
import pytest

from shieldcheck.engagement import shot_opportunities


def _slack(time_s, flyout_s, launch_s):
    """How early an interceptor launched at launch_s is at each point (s): t - launch_s - T."""
    return time_s - launch_s - flyout_s


def test_constant_flyout_window_of_300_s_and_a_60_s_look_gives_two_shots():
    """Threat points every 10 s from 300 to 600 s after its launch (the window's altitude band), a
    fly-out of 200 s to every point, first launch at 100 s.

    By hand: shot 1 is in time from t = 300 s (100 + 200) and meets the threat there. Shot 2 is launched
    at 300 + 60 = 360 s and arrives at 360 + 200 = 560 s <= 600 s: it counts, intercepting at 560 s.
    Shot 3 would be launched at 560 + 60 = 620 s, after the window has closed (600 s): it does not
    count. Two shots, where the window's length over the look alone (1 + 300 // 60) would claim six."""
    time_s = np.arange(300.0, 601.0, 10.0)
    slack = _slack(time_s, 200.0, 100.0)
    assert shot_opportunities(time_s, slack, np.ones(time_s.size, bool), 100.0, 60.0) == 2


def test_flyout_shrinking_along_the_window_gives_three_shots():
    """The threat closes on the site: the fly-out falls from 200 s at t = 300 s by 0.5 s per second
    (T = 200 - 0.5 (t - 300)), samples every 10 s from 300 to 600 s, first launch at 100 s, a 60 s look.

    By hand: shot 1 at t_1 = 300 s (100 + 200). Shot 2 launched at 360 s needs 360 + T(t) <= t, i.e.
    360 + 350 - 0.5 t <= t, t >= 473.3 s: the first sample is 480 s. Shot 3 launched at 540 s needs
    540 + 350 - 0.5 t <= t, t >= 593.3 s: the sample at 600 s. Shot 4 would launch at 660 s, after the
    window. Three shots."""
    time_s = np.arange(300.0, 601.0, 10.0)
    slack = _slack(time_s, 200.0 - 0.5 * (time_s - 300.0), 100.0)
    assert shot_opportunities(time_s, slack, np.ones(time_s.size, bool), 100.0, 60.0) == 3


@pytest.mark.parametrize("look_s", [60.0, 25.0])
def test_a_window_shorter_than_one_look_gives_one_shot(look_s):
    """A window of 20 s (samples 300-320 s), fly-out 200 s, launch 100 s: shot 1 at 300 s; shot 2 would
    launch at 300 + look >= 325 s and could arrive no earlier than 525 s, long after the window. One shot."""
    time_s = np.array([300.0, 310.0, 320.0])
    slack = _slack(time_s, 200.0, 100.0)
    assert shot_opportunities(time_s, slack, np.ones(3, bool), 100.0, look_s) == 1


def test_points_where_an_intercept_would_not_count_are_skipped_and_late_ones_give_none():
    """The second shot's point must be allowed (usable, in the sector): with the 560 s point of the
    first case forbidden, shot 2 takes the next allowed one (570 s, also in time). A window the first
    interceptor cannot reach in time (slack < 0 everywhere) gives no shot."""
    time_s = np.arange(300.0, 601.0, 10.0)
    slack = _slack(time_s, 200.0, 100.0)
    allowed = time_s != 560.0
    assert shot_opportunities(time_s, slack, allowed, 100.0, 60.0) == 2
    assert shot_opportunities(time_s, slack - 400.0, np.ones(time_s.size, bool), 100.0, 60.0) == 0
