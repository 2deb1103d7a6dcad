"""The kill vehicle's endgame: which points an interceptor reaches in time its kill vehicle can use.

References: the law of cosines (the closing speed of two velocities and the angle between them is a
closed form, so the kernel's closing speed and crossing angle must satisfy it); energy (no fly-out
of the reach envelope moves faster than its fan's burnout speed); monotonicity (the endgame only
removes points, so no margin grows and no verdict becomes feasible when it is switched on); the
pair-by-pair NumPy reference ``engagement.engage`` (Karney's geodesics) against the compiled
kernel (Vincenty's), to 1e-6 s and 1e-6 relative; each limit, made impossible to meet, naming
itself with the number that decided it; the verdict precedence (``results.verdict_of``) as a table;
and a hand-checked pair the endgame decides though usable points exist (a cue earlier by the
lateness it states, and the pair is feasible by the difference, to 1e-6 s).
"""

import math

import numpy as np
import pytest

from shieldcheck import catalog, earth, reach
from shieldcheck.endgame import NO_ENDGAME, Endgame, KillVehicle, Reason, for_interceptor
from shieldcheck.engagement import Cueing, SectorMask, Verdict, engage, engage_many
from shieldcheck.engine.results import verdict_of
from shieldcheck.errors import InputError
from shieldcheck.sensors import Radar


@pytest.fixture(scope="module")
def flights(shahab_flights):
    return shahab_flights


SITES = [earth.site(40.5, 38.0, name="aim"), earth.site(39.0, 36.0, name="west"),
         earth.site(42.0, 44.0, name="north"), earth.site(44.0, 15.0, name="far west"),
         earth.site(38.6, 45.0, name="behind")]  # behind Tabriz: in time only in a tail chase of the first flight


def _endgame(**changes):
    limits = dict(min_closing_speed_m_s=2_500.0, max_closing_speed_m_s=12_000.0, max_crossing_angle_deg=90.0,
                  divert_m_s=500.0, time_to_go_s=30.0, max_range_m=math.inf)
    limits.update(changes)
    return Endgame("kinematic", KillVehicle("test interceptor", **limits), 10.0)


def test_closing_speed_and_crossing_angle_obey_the_law_of_cosines(flights, exo):
    many = engage_many(flights, exo, SITES, cueing=Cueing.parse("delay:60"), endgame=_endgame())
    feasible = many.verdict == Verdict.FEASIBLE
    assert feasible.sum() >= 3
    for i, j in zip(*np.nonzero(feasible)):
        track = flights.trajectory_of(int(i))
        s = int(many.intercept_index[i, j])
        threat = float(np.linalg.norm(track["velocity_ecef_m_s"][s]))
        one = engage(track, exo, SITES[j], cueing=Cueing.parse("delay:60"), endgame=_endgame(),
                     burnout_time_s=float(flights.burnout_time_s[i]))
        # the kill vehicle's speed from the reference's own closing speed and angle: solve the cosine law
        closing = many.closing_speed_m_s[i, j]
        angle = math.radians(many.crossing_angle_deg[i, j])
        assert closing == pytest.approx(one.intercept_point["closing_speed_km_s"] * 1e3, rel=1e-6)
        assert many.crossing_angle_deg[i, j] == pytest.approx(one.intercept_point["crossing_angle_deg"], abs=1e-4)
        # |v_t - v_k|^2 = v_t^2 + v_k^2 + 2 v_t v_k cos(angle), with v_k > 0 the positive root
        b = 2.0 * threat * math.cos(angle)
        kill = (-b + math.sqrt(b * b - 4.0 * (threat**2 - closing**2))) / 2.0
        assert 0.0 < kill < 5_500.0  # the test interceptor is a 5 km/s vehicle
        assert max(closing, 0.0) <= threat + kill + 1e-6


def test_no_fly_out_is_faster_than_energy_allows(exo):
    """After burnout a fly-out gains speed only by falling: v^2 <= v_bo^2 + 2 g0 h_top (h_top the fan's
    highest altitude), plus at most 2 omega R in Earth-relative speed from the rotating frame."""
    env = reach.envelope(exo.vehicle, 40.0, 90.0)
    speed = np.hypot(env.velocity_m_s[..., 0], env.velocity_m_s[..., 1])
    reachable = np.isfinite(env.time_s)
    assert reachable.sum() > 1_000
    assert np.all(np.isfinite(speed[reachable]))
    bound = math.sqrt(env.burnout_speed_m_s**2 + 2.0 * 9.80665 * env.max_altitude_m) + 2.0 * 7.292115e-5 * 6.378137e6
    assert env.burnout_speed_m_s * 0.9 < speed[reachable].max() <= bound
    # low and near the site every fly-out is still climbing
    assert np.all(env.velocity_m_s[0:3, 2:6, 1][reachable[0:3, 2:6]] > 0.0)


@pytest.mark.parametrize("cueing, options", [
    ("delay:60", {}),
    ("remote", {"sensors": "radar"}),
    ("engage-remote", {"sensors": "radar"}),
    ("own", {"own_radars": "radars"}),
    ("delay:60", {"sectors": "box"}),
])
def test_compiled_kernel_agrees_with_the_reference_with_the_endgame_on(flights, exo, cueing, options):
    radars = [Radar(f"radar at {s.name}", s, 90.0, 60.0, 1.0, 89.0, 1_500.0, 1.0, 10.0) for s in SITES]
    box = np.zeros((180, 360), np.uint8)
    box[90 + 39: 90 + 42, 180 + 36: 180 + 40] = 1
    given = {"radar": radars[:1], "radars": radars, "box": [SectorMask("box", box, 1.0)] * len(SITES)}
    options = {k: given[v] for k, v in options.items()}
    cue = Cueing.parse(cueing)
    decided_with_usable_points = 0
    for endgame in (_endgame(), _endgame(max_crossing_angle_deg=40.0, min_closing_speed_m_s=3_000.0)):
        many = engage_many(flights, exo, SITES, cueing=cue, endgame=endgame, **options)
        for i in range(len(flights)):
            track = flights.trajectory_of(i)
            for j, site in enumerate(SITES):
                one = engage(track, exo, site, cueing=cue, sensors=tuple(options.get("sensors", ())),
                             own_radar=options.get("own_radars", [None] * len(SITES))[j], endgame=endgame,
                             burnout_time_s=float(flights.burnout_time_s[i]),
                             sector=options.get("sectors", [None] * len(SITES))[j])
                assert many.verdict[i, j] == one.verdict, (cueing, i, j, one.message, one.detail)
                if one.verdict not in (Verdict.NEVER_DETECTED, Verdict.OUT_OF_RANGE, Verdict.OUT_OF_ALTITUDE_BAND):
                    assert many.margin_s[i, j] == pytest.approx(one.margin_s, abs=1e-6)
                if one.verdict == Verdict.ENDGAME_INFEASIBLE:
                    assert many.explain(i, j).split(" (", 1)[1].split(";")[0] in one.detail
                    if one.usable_margin_s is None:
                        assert many.usable_margin_s[i, j] == -np.inf
                    else:
                        decided_with_usable_points += 1
                        assert many.usable_margin_s[i, j] == pytest.approx(one.usable_margin_s, abs=1e-6)
                        assert many.explain(i, j) == one.message
    if "sensors" not in options and "own_radars" not in options:  # the tail chase behind Tabriz is compared
        assert decided_with_usable_points >= 1


def test_the_endgame_only_removes_points(flights, exo):
    """Switched on, the endgame can turn a feasible pair infeasible, never the reverse, and never raises a
    margin; switched off it never gives endgame_infeasible."""
    cue = Cueing.parse("delay:30")
    off = engage_many(flights, exo, SITES, cueing=cue, endgame=NO_ENDGAME)
    on = engage_many(flights, exo, SITES, cueing=cue, endgame=_endgame(max_crossing_angle_deg=30.0))
    assert not np.any(off.verdict == Verdict.ENDGAME_INFEASIBLE)
    assert np.all((on.verdict == Verdict.FEASIBLE) <= (off.verdict == Verdict.FEASIBLE))
    # a pair in time without the endgame is never too_late with it: the endgame decided, not the clock
    assert not np.any((off.verdict == Verdict.FEASIBLE) & (on.verdict == Verdict.TOO_LATE))
    both = (on.verdict == Verdict.FEASIBLE) & (off.verdict == Verdict.FEASIBLE)
    assert np.all(on.margin_s[both] <= off.margin_s[both] + 1e-9)
    assert np.any(on.verdict == Verdict.ENDGAME_INFEASIBLE)  # the 30 deg limit removes some pairs entirely


@pytest.mark.parametrize("limits, reason, words", [
    ({"max_range_m": 10.0}, Reason.BEYOND_OPERATIONAL_RANGE, "beyond operational range"),
    ({"max_crossing_angle_deg": 0.0}, Reason.CROSSING_ANGLE, "tail chase: crossing angle"),
    ({"min_closing_speed_m_s": 29_000.0, "max_closing_speed_m_s": 30_000.0}, Reason.CLOSING_TOO_SLOW,
     "below the 29.0 km/s"),
    ({"min_closing_speed_m_s": 0.0, "max_closing_speed_m_s": 1.0}, Reason.CLOSING_TOO_FAST, "above the 0.0 km/s"),
    ({"divert_m_s": 0.0}, Reason.DIVERT, "divert needed"),
])
def test_each_limit_names_itself_and_the_number_that_decided(flights, exo, limits, reason, words):
    many = engage_many(flights, exo, SITES[:1], cueing=Cueing.parse("delay:60"), endgame=_endgame(**limits))
    assert many.verdict[0, 0] == Verdict.ENDGAME_INFEASIBLE
    assert many.endgame_reason[0, 0] == reason
    assert words in many.explain(0, 0)


def test_engage_on_remote_needs_a_radar_track_at_the_intercept(flights, exo):
    # a radar looking away from the intercept points cues (sees the boost) but cannot guide the kill vehicle
    site = SITES[0]
    narrow = Radar("narrow", earth.site(38.5, 45.5, name="near Tabriz"), 135.0, 10.0, 0.0, 89.0, 3_000.0, 1.0, 5.0)
    launch_on_remote = engage_many(flights[:1], exo, [site], cueing=Cueing.parse("remote"), sensors=(narrow,),
                                   endgame=_endgame())
    engage_on_remote = engage_many(flights[:1], exo, [site], cueing=Cueing.parse("engage-remote"), sensors=(narrow,),
                                   endgame=_endgame())
    assert launch_on_remote.verdict[0, 0] == Verdict.FEASIBLE
    assert engage_on_remote.verdict[0, 0] == Verdict.ENDGAME_INFEASIBLE
    assert engage_on_remote.endgame_reason[0, 0] == Reason.NO_TRACK


def test_every_hit_to_kill_interceptor_has_its_limits_with_ranges():
    cat = catalog.load()
    for name, record in cat.interceptors.items():
        kv = record.kill_vehicle
        if name == "53T6":  # not hit-to-kill in the catalog: operational range only, stated in the report
            assert kv is None
            continue
        assert kv is not None, name
        for field in type(kv).model_fields:
            value = getattr(kv, field)
            assert value.low <= value.value <= value.high and value.basis, (name, field)
        assert for_interceptor(name).on and not for_interceptor(name, "none").on
    only_range = for_interceptor("53T6")  # not hit-to-kill in the catalog: its 80 km operational range only
    assert only_range.on and not only_range.kill_vehicle.hit_to_kill and only_range.kill_vehicle.max_range_m == 80e3
    assert only_range.stated()["endgame"].startswith("kinematic (no kill-vehicle limits")


@pytest.mark.parametrize("make, words", [
    (lambda: KillVehicle("x", 2_500.0, 12_000.0, 90.0, -1.0, 30.0), "divert_m_s = -1.0"),
    (lambda: KillVehicle("x", 5_000.0, 1_000.0, 90.0, 500.0, 30.0), "minimum closing speed 5000 m/s is above"),
    (lambda: KillVehicle("x", 2_500.0, 12_000.0, 200.0, 500.0, 30.0), "max_crossing_angle_deg = 200.0"),
    (lambda: KillVehicle("x", 2_500.0, 12_000.0, 90.0, 500.0, math.nan), "time_to_go_s = nan"),
    (lambda: Endgame("kinematic"), "needs the kill vehicle's limits"),
    (lambda: Endgame("magic"), "endgame: 'magic' is not an allowed choice; allowed: kinematic, none"),
    (lambda: _endgame().__class__("kinematic", _endgame().kill_vehicle, -3.0), "track_velocity_error_m_s = -3.0"),
    (lambda: for_interceptor("SM-3 Block IIA", "tail"), "endgame: 'tail' is not an allowed choice"),
])
def test_impossible_limits_are_one_line_errors(make, words):
    with pytest.raises(InputError, match=words.replace("(", r"\(").replace(")", r"\)")) as error:
        make()
    assert "\n" not in str(error.value)


INF = math.inf


@pytest.mark.parametrize("detected, in_band, reached_s, usable_s, in_sector, verdict", [
    (False, False, -INF, -INF, False, Verdict.NEVER_DETECTED),
    (True, False, -INF, -INF, False, Verdict.OUT_OF_ALTITUDE_BAND),
    (True, True, -INF, -INF, False, Verdict.OUT_OF_RANGE),
    (True, True, 5.0, 5.0, True, Verdict.FEASIBLE),
    (True, True, 5.0, 0.0, True, Verdict.FEASIBLE),  # just in time counts
    (True, True, 5.0, 5.0, False, Verdict.BEYOND_SECTOR),
    (True, True, 50.0, -20.0, False, Verdict.ENDGAME_INFEASIBLE),  # in time only where the endgame fails
    (True, True, 0.0, -20.0, False, Verdict.ENDGAME_INFEASIBLE),
    (True, True, 50.0, -INF, False, Verdict.ENDGAME_INFEASIBLE),  # nothing usable at all
    (True, True, -10.0, -INF, False, Verdict.ENDGAME_INFEASIBLE),
    (True, True, -10.0, -20.0, False, Verdict.TOO_LATE),  # late even in a tail chase: the cue decides
    (True, True, -20.0, -20.0, False, Verdict.TOO_LATE),  # endgame off: the same points
])
def test_verdict_precedence_is_one_rule(detected, in_band, reached_s, usable_s, in_sector, verdict):
    """``results.verdict_of``, the rule the kernel and the reference both read, as a table."""
    assert verdict_of(detected, in_band, reached_s, usable_s, in_sector) == verdict


def test_endgame_infeasible_names_the_limit_and_the_lateness_of_the_usable_points(flights, exo):
    """The Shahab-3 from Tabriz towards 40.5 N 38 E, against the test interceptor 60 km south-west of Tabriz
    (behind the launch), launched 60 s after it. Without the endgame it is feasible; with a 90 deg crossing
    limit the points it reaches in time are tail chases, and the head-on enough points it reaches are late:
    endgame_infeasible, with the crossing angle and the lateness. Hand check: the best point reached is the
    same point with the endgame on or off (same margin, 1e-6 s); a cue earlier by the stated lateness plus
    1 s makes the usable points 1 s early (the slack moves one for one with the launch time; 1e-6 s)."""
    site, track = SITES[4], flights.trajectory_of(0)
    burnout_s = float(flights.burnout_time_s[0])
    off = engage(track, exo, site, cueing=Cueing.parse("delay:60"), burnout_time_s=burnout_s, endgame="none")
    on = engage(track, exo, site, cueing=Cueing.parse("delay:60"), endgame=_endgame(), burnout_time_s=burnout_s)
    assert off.verdict == Verdict.FEASIBLE and off.margin_s > 60.0
    assert on.verdict == Verdict.ENDGAME_INFEASIBLE, on.message
    assert on.margin_s == pytest.approx(off.margin_s, abs=1e-6)
    late_s = -on.usable_margin_s
    assert 0.0 < late_s < 60.0
    angle = float(on.detail.split("crossing angle ")[1].split(" deg")[0])
    assert 90.0 < angle <= 180.0
    assert f"arrives {late_s:.0f} s too late" in on.message and "tail chase" in on.message
    earlier = engage(track, exo, site, cueing=Cueing.parse(f"delay:{60.0 - late_s - 1.0!r}"), endgame=_endgame(),
                     burnout_time_s=burnout_s)
    assert earlier.verdict == Verdict.FEASIBLE
    assert earlier.margin_s == pytest.approx(1.0, abs=1e-6)


def test_the_library_default_is_the_command_lines():
    """engage and engage_many default to the kinematic endgame of the catalog kill vehicle, as
    `shieldcheck engage`; "none" (or NO_ENDGAME) asks for reach only."""
    import inspect

    from shieldcheck import cli
    from shieldcheck.engagement import endgame_of

    defaults = {f.__name__: inspect.signature(f).parameters["endgame"].default for f in (engage, engage_many)}
    assert defaults == {"engage": "kinematic", "engage_many": "kinematic"}
    assert inspect.signature(cli.engage).parameters["endgame"].default.default == "kinematic"
    sm3 = catalog.interceptor("SM-3 Block IIA")
    assert endgame_of("kinematic", sm3) == for_interceptor("SM-3 Block IIA", "kinematic") != NO_ENDGAME
    assert endgame_of("none", sm3) is NO_ENDGAME and endgame_of(NO_ENDGAME, sm3) is NO_ENDGAME
    with pytest.raises(InputError, match="endgame: 'kinetic' is not an allowed choice; allowed: kinematic, none"):
        endgame_of("kinetic", sm3)
