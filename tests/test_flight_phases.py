"""The phase of the threat's flight at the intercept: boost, ascent, midcourse, terminal.

References: the phase rule itself as a table (``results.phase_of``, ``results.phase_window``); the
tracks handed to the engagement start at the threat's launch (time 0, on the ground), so the boost
phase is there to engage; the pair-by-pair NumPy reference ``engagement.engage`` against the compiled
kernel with the intercepts restricted to each phase (the same verdicts, margins to 1e-6 s, the same
phases); the union rule (a pair is feasible in any phase exactly when it is feasible in one of them,
with the best of their margins); and a closed-form bound: an interceptor launched at t_L can be, at
the threat's burnout t_bo, no farther from its site than its top speed times t_bo - t_L (top speed:
the burnout speed raised by the energy of a fall from the fan's highest point, plus 2 omega R for the
rotating frame, as tests/test_endgame.py bounds it), so no boost-phase intercept the tool finds lies
farther away.
"""

import math

import numpy as np
import pytest

from shieldcheck import aiming, earth, reach
from shieldcheck.engagement import Cueing, FLIGHT_PHASES, Verdict, engage, engage_many, flight_phase_code
from shieldcheck.engine import results as R
from shieldcheck.errors import InputError

INF = math.inf


@pytest.fixture(scope="module")
def shahab(shahab_flights):
    return shahab_flights


SITES = [earth.site(40.5, 38.0, name="aim"), earth.site(39.0, 36.0, name="west"),
         earth.site(42.0, 44.0, name="north"), earth.site(38.6, 45.0, name="behind")]


@pytest.mark.parametrize("time_s, altitude_m, phase", [
    (0.0, 0.0, R.PHASE_BOOST), (100.0, 80e3, R.PHASE_BOOST),  # up to and including burnout (100 s)
    (100.5, 90e3, R.PHASE_ASCENT), (300.0, 500e3, R.PHASE_ASCENT),  # up to and including apogee (300 s)
    (301.0, 500e3, R.PHASE_MIDCOURSE), (500.0, 70e3, R.PHASE_MIDCOURSE),  # at the floor (70 km) still midcourse
    (500.0, 69_999.0, R.PHASE_TERMINAL),
])
def test_the_phase_rule(time_s, altitude_m, phase):
    """A threat burning out at 100 s, at apogee at 300 s, against an interceptor whose floor is 70 km."""
    assert R.phase_of(time_s, altitude_m, 100.0, 300.0, 70e3) == phase


@pytest.mark.parametrize("name, window", [
    ("any", (-INF, INF)), ("boost", (-INF, 100.0)), ("ascent", (100.0, 300.0)), ("midcourse", (300.0, INF)),
    ("terminal", (INF, -INF)),  # below the floor: never inside the interceptor's band
])
def test_each_phase_is_a_time_window_inside_the_band(name, window):
    assert R.phase_window(flight_phase_code(name), 100.0, 300.0) == window


def test_the_engagement_sees_the_threat_from_its_launch(shahab):
    """The tracks start at the threat's launch, on the ground: no boost-phase engagement needs a flight cut
    by hand. The compact tracks the flight kernel writes for a batch (``tracks=True``) start there too."""
    from shieldcheck import catalog, flight
    from shieldcheck.engagement import compact_tracks

    for i in range(len(shahab)):
        track = shahab.trajectory_of(i)
        assert track["time_s"][0] == 0.0 and abs(track["altitude_m"][0]) < 1.0
        assert shahab.burnout_time_s[i] > track["time_s"][1]
    kept = flight.fly_launch(catalog.missile("Shahab-3"), earth.site(38.08, 46.29), [280.0], [40.0], tracks=True)
    tracks, counts = compact_tracks(kept)
    assert tracks[0, 0, R.T_TIME] == 0.0 and abs(tracks[0, 0, R.T_HEIGHT]) < 1.0


@pytest.mark.parametrize("phase", ["boost", "ascent", "midcourse", "terminal"])
def test_compiled_kernel_agrees_with_the_reference_in_each_phase(shahab, exo, phase):
    cue = Cueing.parse("delay:0")
    many = engage_many(shahab, exo, SITES, cueing=cue, flight_phase=phase, endgame="none")
    for i in range(len(shahab)):
        track = shahab.trajectory_of(i)
        for j, site in enumerate(SITES):
            one = engage(track, exo, site, cueing=cue, burnout_time_s=float(shahab.burnout_time_s[i]),
                         apogee_time_s=float(shahab.apogee_time_s[i]), flight_phase=phase, endgame="none")
            assert many.verdict[i, j] == one.verdict, (phase, i, j, one.message)
            if one.verdict == Verdict.FEASIBLE:
                assert many.margin_s[i, j] == pytest.approx(one.margin_s, abs=1e-6)
                assert one.intercept_point["flight_phase"] == phase == R_NAME[many.intercept_phase[i, j]]
                assert one.window["flight_phases"] == many.phases(i, j) == [phase]
            assert (phase in many.explain(i, j)) and (phase in one.message)
    if phase == "terminal":  # below the interceptor's floor: never in its band
        assert np.all(many.verdict == Verdict.OUT_OF_ALTITUDE_BAND)


R_NAME = {code: name for name, code in FLIGHT_PHASES.items()}


def test_any_phase_is_the_union_of_the_phases(shahab, exo):
    """Feasible in any phase exactly where feasible in one of them, with the best of their margins; the
    unrestricted run names the phases its window spans, and its earliest intercept's."""
    cue = Cueing.parse("delay:0")
    every = engage_many(shahab, exo, SITES, cueing=cue, endgame="none")
    each = {p: engage_many(shahab, exo, SITES, cueing=cue, flight_phase=p, endgame="none")
            for p in FLIGHT_PHASES if p != "any"}
    spans = set()
    for i in range(len(shahab)):
        for j in range(len(SITES)):
            feasible_in = [p for p, e in each.items() if e.verdict[i, j] == Verdict.FEASIBLE]
            assert (every.verdict[i, j] == Verdict.FEASIBLE) == bool(feasible_in), (i, j)
            if feasible_in:
                assert every.margin_s[i, j] == pytest.approx(max(each[p].margin_s[i, j] for p in feasible_in), abs=1e-9)
                assert every.phases(i, j) == feasible_in
                assert R_NAME[every.intercept_phase[i, j]] == feasible_in[0]  # the earliest intercept: the earliest phase
                spans.add(tuple(feasible_in))
    assert any(len(s) >= 2 for s in spans), spans  # some window spans two phases


def _speed_bound_m_s(vehicle, latitude_deg: float) -> float:
    """The fastest any of the interceptor's fly-outs moves: burnout speed plus a fall from the fan's top,
    plus 2 omega R in Earth-relative speed (tests/test_endgame.py, energy)."""
    env = reach.envelope(vehicle, latitude_deg, 0.0)
    return math.sqrt(env.burnout_speed_m_s**2 + 2.0 * 9.80665 * env.max_altitude_m) + 2.0 * 7.292115e-5 * 6.378137e6


def test_boost_phase_intercepts_lie_within_speed_times_time_available(exo):
    """A Yars from Teykovo towards Washington, interceptor sites along its boost arc at 150-1,500 km and
    launches 0-60 s after the threat: every boost-phase intercept lies within v_max (t_bo - t_L) of its
    site (straight line, m; v_max from the fly-out energy). Some sites near the launch do intercept in
    boost; a site farther than the bound never does."""
    from shieldcheck import catalog

    flights = aiming.fly("Yars", "Teykovo", "Washington", history=True)
    track = flights.trajectory_of(0)
    burnout_s = float(flights.burnout_time_s[0])
    launch = catalog.site("Teykovo")
    sites = [earth.site(launch.latitude_deg + 0.5, launch.longitude_deg - d, name=f"{d} deg west") for d in
             (1.0, 2.0, 4.0, 8.0, 16.0, 24.0)]
    model = flights.earth
    found = 0
    for delay_s in (0.0, 30.0, 60.0):
        many = engage_many(flights, exo, sites, cueing=Cueing.parse(f"delay:{delay_s}"), flight_phase="boost",
                           endgame="none")
        for j, site in enumerate(sites):
            site_m = earth.ecef_from_geodetic(math.radians(site.latitude_deg), math.radians(site.longitude_deg), 0.0,
                                              model)
            bound_m = _speed_bound_m_s(exo.vehicle, site.latitude_deg) * (burnout_s - delay_s)
            if many.verdict[0, j] == Verdict.FEASIBLE:
                found += 1
                s = int(many.intercept_index[0, j])
                assert track["time_s"][s] <= burnout_s
                distance_m = float(np.linalg.norm(np.asarray(track["position_ecef_m"][s]) - site_m))
                assert distance_m <= bound_m, (site.name, delay_s, distance_m, bound_m)
            nearest_m = float(np.min(np.linalg.norm(np.asarray(track["position_ecef_m"])[track["time_s"] <= burnout_s]
                                                    - site_m, axis=1)))
            if nearest_m > bound_m:
                assert many.verdict[0, j] != Verdict.FEASIBLE
    assert found >= 1


def test_unknown_flight_phase_is_one_line_naming_the_field(shahab, exo):
    with pytest.raises(InputError, match=r"flight_phase: 'coast' is not an allowed choice; allowed: any, boost, ascent, "
                                         r"midcourse, terminal"):
        engage_many(shahab, exo, SITES[:1], cueing=Cueing.parse("delay:0"), flight_phase="coast", endgame="none")
