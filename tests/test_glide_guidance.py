"""The equilibrium-glide law (vehicles.GlideModel ``equilibrium-glide``; engine/physics.py ``glide_lift``).

References, each with its tolerance:
* the equilibrium glide's closed form (Eggers, Allen & Neice, NACA TR 1382, as quoted in entry-flight
  textbooks; derived in tests/test_glide_vs_closed_form.py): the held glide's altitude at a speed is where
  L/D x drag = m (g - v^2 / r), and its ground range from v_0 to v_f is
  (L/D) (R / 2) ln[(1 - v_f^2 r / GM) / (1 - v_0^2 r / GM)];
* an independent integration: ``shieldcheck.scipy_flight`` with the same law written again in vectors,
  DOP853 at rtol 1e-11, the dive begun at the exact event (the kernel begins it at the first step's start
  past it, up to 1 s late);
* Tracy & Wright 2020 (Science & Global Security 28:3): the paper could not be opened here; its published
  summary (docs/literature.md: over about 5,000 miles a glider is not much faster than an ICBM) is the
  reference for the flight time against the same booster flying a ballistic re-entry vehicle.
"""

import dataclasses
import math

import numpy as np
import pytest
from test_glide_vs_closed_form import _equilibrium_altitude_m, _range_to_speed_m

from shieldcheck import aiming, atmosphere, catalog, earth, flight, scipy_flight
from shieldcheck.errors import InputError
from shieldcheck.vehicles import DragTable, GlideModel, Missile

EARTH = "spherical-nonrotating"
MODEL = earth.earth_model(earth.DEFAULT_EARTH)
ALTITUDE_TOLERANCE_M = 500.0
RANGE_TOLERANCE_FRACTION = 0.01
IMPACT_TOLERANCE_M = 100.0
GUIDED_TIME_TOLERANCE_S = 5.0
# the hypersonic floor: Mach 5, the usual definition of "hypersonic" (CRS R45811 as quoted, catalog source
# CRS25_HYPERSONIC); at impact against the 1976 atmosphere's sea-level speed of sound (340.3 m/s: 1,701 m/s)
HYPERSONIC_MACH = 5.0
# the stated arrival speed (catalog arrival_speed_m_s) the terminal speed was sized to: the model's arrival on the
# sizing route within this fraction of it (the route and the aiming's cut-off move it by a few per cent)
ARRIVAL_TOLERANCE_FRACTION = 0.05
DIVE_SAMPLES_FROM_S = 1_600.0  # the frozen reference's samples through the dive (tools/make_glide_reference.py)


def _guided(lift_to_drag_ratio: float = 2.6, terminal_speed_m_s: float = 2_500.0) -> Missile:
    t = catalog.load().drag["rv-slender-cone"]
    table = DragTable(t.name, tuple(t.mach), tuple(t.cd))
    glide = GlideModel("equilibrium-glide", lift_to_drag_ratio, terminal_speed_m_s=terminal_speed_m_s,
                       dive_angle_deg=45.0, bank_limit_deg=80.0, boost_kick_deg=55.0)
    return Missile("test guided glider", (), 0.0, 1000.0, 0.6, table, table, 0.0, 1.0, glide=glide)


def _held_glide(glider: Missile, start_m_s: float) -> flight.Flights:
    """The glide without an aim (the whole lift, for range), started horizontally on its equilibrium."""
    start_altitude_m = _equilibrium_altitude_m(glider, start_m_s)
    return flight.fly_burnout(0.0, 0.0, start_altitude_m, start_m_s, 0.0, 90.0, glider, earth=EARTH, history=True)


def test_held_glide_stays_on_the_equilibrium_altitude():
    """Reference: the altitude where L/D x drag = m (g - v^2 / r) at each speed. Tolerance: 500 m (measured when written: 0.06-0.14 km low; the loop
    follows the equilibrium's own sink, and the atmosphere's scale height is taken as 7 km in the loop)."""
    glider = _guided()
    track = _held_glide(glider, 6_000.0).trajectory_of(0)
    for speed_m_s in (5_500.0, 5_000.0, 4_000.0, 3_000.0):
        i = int(np.argmax(track["speed_m_s"] < speed_m_s))
        expected_m = _equilibrium_altitude_m(glider, speed_m_s)
        print(f"{speed_m_s:,.0f} m/s: {track['altitude_m'][i] / 1e3:.2f} km, equilibrium {expected_m / 1e3:.2f} km")
        assert abs(track["altitude_m"][i] - expected_m) < ALTITUDE_TOLERANCE_M


@pytest.mark.parametrize("lift_to_drag_ratio", [2.0, 2.6])
def test_held_glide_range_matches_closed_form(lift_to_drag_ratio):
    """Reference: s = (L/D) (R/2) ln[(1 - v_f^2 r/GM) / (1 - v_0^2 r/GM)] from 6 to 3 km/s. Tolerance: 1 %
    (measured when written: -0.20 % at L/D 2.0, -0.01 % at 2.6)."""
    glider = _guided(lift_to_drag_ratio)
    f = _held_glide(glider, 6_000.0)
    radius_m, gm = MODEL.equatorial_radius_m, MODEL.gm_m3_s2
    r = radius_m + _equilibrium_altitude_m(glider, 6_000.0)
    closed_form_m = lift_to_drag_ratio * radius_m / 2.0 * math.log((1.0 - 3_000.0**2 * r / gm) / (1.0 - 6_000.0**2 * r / gm))
    simulated_m = _range_to_speed_m(f, 3_000.0, radius_m)
    print(f"L/D {lift_to_drag_ratio}: {simulated_m / 1e3:,.0f} km, closed form {closed_form_m / 1e3:,.0f} km "
          f"({simulated_m / closed_form_m - 1.0:+.2%})")
    assert abs(simulated_m / closed_form_m - 1.0) < RANGE_TOLERANCE_FRACTION


@pytest.mark.parametrize("aim", ["Washington", "Berlin"])
def test_aimed_avangard_matches_dop853(aim):
    """Reference: DOP853 rtol 1e-11 with the law written again, on the kernel's aimed steering. Tolerance:
    impact 100 m, time 5 s (the dive begins up to one 1 s step later in the kernel, and its path differs)."""
    missile, launch, target = catalog.missile("Avangard"), catalog.site("Dombarovsky"), catalog.site(aim)
    f = aiming.fly(missile, launch, target, history=False)
    ref = scipy_flight.fly_one_scipy(missile, launch.latitude_deg, launch.longitude_deg, f.azimuth_deg[0],
                                     f.kick_deg[0], f.cutoff_s[0], target=target)
    impact = f.impact()
    miss_m = float(earth.geodesic_inverse(impact["latitude_deg"][0], impact["longitude_deg"][0],
                                          ref["impact_latitude_deg"], ref["impact_longitude_deg"], MODEL)[0])
    print(f"{aim}: impact {miss_m:.1f} m apart, time {f.flight_time_s[0] - ref['impact_time_s']:+.2f} s")
    assert ref["landed"] and miss_m < IMPACT_TOLERANCE_M
    assert abs(f.flight_time_s[0] - ref["impact_time_s"]) < GUIDED_TIME_TOLERANCE_S


def test_avangard_glides_in_the_atmosphere_and_arrives_hypersonic():
    """The issue's case, Dombarovsky -> Washington: after it enters the air the vehicle never climbs back out
    (below 60 km, no climb of more than 15 km above its lowest point so far: the pull-up's overshoot), glides
    tens of kilometres up, lands within 100 m, and stays hypersonic to the ground: above Mach 5 at every
    recorded sample below 20 km (the 1976 atmosphere's speed of sound at each sample's height) and at impact
    (sea level, 1,701 m/s); its arrival within 5 % of the catalog's stated arrival speed, to which its
    terminal speed was sized."""
    f = aiming.fly("Avangard", "Dombarovsky", "Washington", history=True)
    track = f.trajectory_of(0)
    height_m, time_s, speed_m_s = track["altitude_m"], track["time_s"], track["speed_m_s"]
    entry = int(np.argmax((height_m < 60e3) & (time_s > f.burnout_time_s[0])))
    after = height_m[entry:]
    dive = int(np.argmax(after < 20e3))
    low = after[dive:]
    mach = speed_m_s[entry + dive:] / atmosphere.properties(np.maximum(low, 0.0)).speed_of_sound_m_s
    impact_m_s = f.impact()["speed_m_s"][0]
    sea_level_sound_m_s = float(atmosphere.properties(np.array([0.0])).speed_of_sound_m_s[0])
    stated_m_s = catalog.missile("Avangard").glide.arrival_speed_m_s
    print(f"apogee {f.apogee_km[0]:.0f} km, glide {after[:dive].min() / 1e3:.1f}-{after.max() / 1e3:.1f} km, "
          f"{speed_m_s[entry + dive]:,.0f} m/s at 20 km, Mach {mach.min():.1f} at least below it, impact "
          f"{impact_m_s:,.0f} m/s (stated {stated_m_s:,.0f}), flight {f.flight_time_s[0]:,.0f} s")
    assert f.miss_m()[0] < IMPACT_TOLERANCE_M
    assert after.max() < 60e3
    assert (after - np.minimum.accumulate(after)).max() < 15e3
    assert after[:dive].min() > 15e3
    assert len(low) > 3 and mach.min() > HYPERSONIC_MACH
    assert impact_m_s > HYPERSONIC_MACH * sea_level_sound_m_s
    assert abs(impact_m_s / stated_m_s - 1.0) < ARRIVAL_TOLERANCE_FRACTION


def test_push_over_prediction_matches_its_independent_writing():
    """The dive's start: the kernel's predicted push-over range (engine/physics.py ``push_over_m``, run as plain
    Python) against the same prediction written again in scipy_flight, from glide states at 30-40 km and
    2.5-3.5 km/s. Tolerance 1 m (the same midpoint steps; only rounding and the speed of sound's table lookup
    differ), and the range grows with speed and height (a faster, higher glider needs a longer push-over)."""
    from shieldcheck.engine import pack, physics

    missile = catalog.missile("Avangard")
    kernel = physics.build(lambda f: f)
    table = atmosphere.kernel_table()
    vehicles, drag = pack.vehicle_rows([missile])
    settings = pack.settings_row(flight.Integrator(), "ussa1976", table.altitude_step_m)
    earth_row = pack.earth_row(MODEL)
    aim_r = 6_370e3
    ranges_m = {}
    for height_m, speed_m_s in ((30e3, 2_500.0), (35e3, 3_000.0), (40e3, 3_500.0)):
        kernel_m = kernel.push_over_m(aim_r + height_m, speed_m_s, 0.0, aim_r, vehicles[0], drag, settings, earth_row,
                                      table.log_density, table.speed_of_sound_m_s)
        reference_m = scipy_flight.push_over_range_scipy(missile, aim_r + height_m, speed_m_s, 0.0, aim_r)
        print(f"{height_m / 1e3:.0f} km, {speed_m_s:,.0f} m/s: {kernel_m / 1e3:.2f} km, reference {reference_m / 1e3:.2f} km")
        assert abs(kernel_m - reference_m) < 1.0
        ranges_m[height_m] = kernel_m
    assert ranges_m[30e3] < ranges_m[35e3] < ranges_m[40e3]


def test_glider_is_not_much_faster_than_its_booster_flying_ballistically():
    """Reference: Tracy & Wright 2020 as summarised (docs/literature.md): over a Russia-US flight of about 5,000
    miles a glider is not much faster than a ballistic missile. The same booster with a ballistic re-entry vehicle
    on its minimum-energy route: on Dombarovsky -> Washington (9,200 km, the summary's kind of route) the glider
    arrives within 5 minutes of it (either way). Not on shorter routes: to London (3,500 km), outside what the
    summary speaks of, the glider arrives 7 minutes before the minimum-energy arc (docs/model.md)."""
    avangard = catalog.missile("Avangard")
    ballistic = dataclasses.replace(avangard, name="Avangard booster, ballistic", glide=None)
    for aim in ("Washington",):
        glide = aiming.fly(avangard, "Dombarovsky", aim, history=False).flight_time_s[0]
        arc = aiming.fly(ballistic, "Dombarovsky", aim, history=False).flight_time_s[0]
        print(f"{aim}: glider {glide / 60:.1f} min, ballistic {arc / 60:.1f} min")
        assert abs(glide - arc) < 300.0


def test_guided_glider_refuses_other_shapes_and_bad_parameters():
    with pytest.raises(InputError, match="flies its own glide profile"):
        aiming.fly("Avangard", "Dombarovsky", "Washington", trajectory="lofted")
    with pytest.raises(InputError, match="dive_angle_deg"):
        GlideModel("equilibrium-glide", 2.6, terminal_speed_m_s=3000.0, dive_angle_deg=95.0, bank_limit_deg=80.0,
                   boost_kick_deg=55.0).check("test")
    with pytest.raises(InputError, match="terminal_speed_m_s"):
        GlideModel("constant-lift-to-drag", 2.6, terminal_speed_m_s=3000.0).check("test")
    with pytest.raises(InputError, match="required"):
        GlideModel("equilibrium-glide", 2.6).check("test")
    with pytest.raises(InputError, match="arrival_speed_m_s"):
        GlideModel("constant-lift-to-drag", 2.6, arrival_speed_m_s=1800.0).check("test")
    with pytest.raises(InputError, match="arrival_speed_m_s = 9000.0 is outside"):
        GlideModel("equilibrium-glide", 2.6, terminal_speed_m_s=3300.0, dive_angle_deg=45.0, bank_limit_deg=80.0,
                   boost_kick_deg=55.0, arrival_speed_m_s=9000.0).check("test")


def test_avangard_history_matches_the_frozen_dop853_reference():
    """Reference: tests/references/glide_avangard_dombarovsky_washington.csv (tools/make_glide_reference.py: the
    law written again, DOP853 rtol 1e-11, every 60 s, every 5 s from 1,600 s through the dive). The kernel on the
    same frozen steering, its ECI history interpolated to the same times. Tolerances: before the dive, 1 km in
    position and 50 m/s in speed at every sample (the kernel's 1 s RK4 steps along a 27-minute guided glide);
    in the dive, 3.5 km and 200 m/s (the kernel begins it at the first step start past the event, up to one 1 s
    air step after the reference: at 3.3 km/s one step of path, and the speed lost meanwhile in the dense air; the
    homing brings both onto the aim); the impact within 100 m and 5 s of the reference's. Measured when written:
    glide 14 m and 0.15 m/s; dive 1,984 m and 114 m/s; impact 1.2 m and 0.01 s apart."""
    from pathlib import Path

    path = Path(__file__).parent / "references" / "glide_avangard_dombarovsky_washington.csv"
    text = path.read_text()
    steering = [float(v) for v in (text.split("azimuth ")[1].split(" deg")[0], text.split("kick ")[1].split(" deg")[0],
                                   text.split("cut-off ")[1].split(" s,")[0])]
    impact_line = text.split("# IMPACT: t ")[1]
    impact_s = float(impact_line.split(" s")[0])
    impact_lat = float(impact_line.split("lat ")[1].split(" deg")[0])
    impact_lon = float(impact_line.split("lon ")[1].split(" deg")[0])
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    names = lines[0].split(",")
    ref = [dict(zip(names, map(float, line.split(",")))) for line in lines[1:]]
    f = flight.fly_launch(catalog.missile("Avangard"), catalog.site("Dombarovsky"), *steering, history=True,
                          target=catalog.site("Washington"))
    count = int(f.summary[0, flight.P.O_HISTORY_COUNT])
    history = f.history[0, :count]
    t = history[:, flight.P.H_T]
    worst = {"glide": [0.0, 0.0], "dive": [0.0, 0.0]}  # position (m) and speed (m/s) differences at worst
    for row in ref:
        state = np.array([np.interp(row["time_s"], t, history[:, flight.P.H_STATE + j]) for j in range(6)])
        omega = MODEL.rotation_rate_rad_s
        w = state[3:] + omega * np.array([state[1], -state[0], 0.0])
        part = worst["dive" if row["time_s"] >= DIVE_SAMPLES_FROM_S else "glide"]
        part[0] = max(part[0], float(np.linalg.norm(state[:3] - [row["x_eci_m"], row["y_eci_m"], row["z_eci_m"]])))
        part[1] = max(part[1], abs(float(np.linalg.norm(w)) - row["speed_m_s"]))
    impact = f.impact()
    miss_m = float(earth.geodesic_inverse(impact["latitude_deg"][0], impact["longitude_deg"][0], impact_lat, impact_lon,
                                          MODEL)[0])
    print(f"{len(ref)} samples: glide {worst['glide'][0]:.1f} m, {worst['glide'][1]:.2f} m/s, dive {worst['dive'][0]:.1f} m, "
          f"{worst['dive'][1]:.2f} m/s at worst; impact {miss_m:.1f} m, {f.flight_time_s[0] - impact_s:+.2f} s")
    dive_count = sum(row["time_s"] >= DIVE_SAMPLES_FROM_S for row in ref)
    assert len(ref) - dive_count > 25 and dive_count > 5
    assert worst["glide"][0] < 1_000.0 and worst["glide"][1] < 50.0
    assert worst["dive"][0] < 3_500.0 and worst["dive"][1] < 200.0
    assert miss_m < IMPACT_TOLERANCE_M and abs(f.flight_time_s[0] - impact_s) < GUIDED_TIME_TOLERANCE_S
