"""Engagement verdicts in hand-checked geometries.

References (checked by hand from the flights' own numbers, printed in each test's comment):
a head-on geometry that must be feasible; a tail chase that must be too late; a threat that never
rises above a radar's horizon, so an interceptor cued by that radar never launches; a threat whose
apogee is below the interceptor's minimum intercept altitude. The interceptor is the stated test
vehicle of conftest.py (about 5 km/s), not a catalog entry.
"""

import numpy as np
import pytest

from shieldcheck import aiming, earth
from shieldcheck.engagement import Cueing, Interceptor, SectorMask, Verdict, engage
from shieldcheck.errors import InputError
from shieldcheck.sensors import Radar


@pytest.fixture(scope="module")
def shahab_track():
    """Shahab-3 from Tabriz towards 40.5 N 38 E (about 720 km, apogee about 190 km)."""
    f = aiming.fly("Shahab-3", "Tabriz", "40.5,38.0", history=True)
    return f.trajectory_of(0)


@pytest.fixture(scope="module")
def yars_track():
    f = aiming.fly("Yars", "Teykovo", "Washington", history=True)
    return f.trajectory_of(0)


@pytest.fixture(scope="module")
def exo(test_interceptor):
    return Interceptor(test_interceptor, 70e3, 1_000e3)


def test_head_on_is_feasible(shahab_track, exo):
    """Interceptor at the aim point, launched 60 s after the threat: it meets the descending
    warhead head-on with time to spare."""
    site = earth.site(40.5, 38.0, name="defended point")
    result = engage(shahab_track, exo, site, cueing=Cueing.parse("delay:60"), endgame="none")
    assert result.verdict == Verdict.FEASIBLE, result.message
    assert result.margin_s > 0.0
    assert result.window["earliest_s"] <= result.window["latest_s"]
    assert 70.0 <= result.window["min_altitude_km"] <= result.window["max_altitude_km"] <= 1_000.0
    assert result.shots >= 1 and result.intercept_point["altitude_km"] >= 70.0
    assert "early" in result.message
    assert result.intercept_point["crossing_angle_deg"] < 60.0  # meeting nearly head-on
    assert result.intercept_point["closing_speed_km_s"] > 3.0


def test_tail_chase_is_too_late(yars_track, exo):
    """Interceptor 300 km behind an ICBM's launch point, launched 100 s after it: the ICBM
    recedes at 6-7 km/s, faster than the interceptor can close."""
    site = earth.site(55.0, 43.5, name="behind the launch")  # south-east of Teykovo, opposite to the US
    result = engage(yars_track, exo, site, cueing=Cueing.parse("delay:100"), endgame="none")
    assert result.verdict in (Verdict.TOO_LATE, Verdict.OUT_OF_RANGE), result.message
    if result.verdict == Verdict.TOO_LATE:
        assert result.margin_s < 0.0 and "too late" in result.message


def test_threat_never_above_the_radar_horizon_is_never_detected(shahab_track, exo):
    """A radar 2,500 km west of the flight: a 190 km apogee is visible to 1,500 km at most."""
    radar_site = earth.site(41.0, 14.0, name="far radar")
    radar = Radar("far radar", radar_site, 90.0, 180.0, 0.0, 90.0, 5_000.0, 1.0, 10.0)
    result = engage(shahab_track, exo, radar_site, cueing=Cueing("own"), own_radar=radar, endgame="none")
    assert result.verdict == Verdict.NEVER_DETECTED
    assert result.interceptor_launch_s is None
    assert result.detection["first_s"] is None and result.detection["track_s"] is None
    assert "radar horizon" in result.detection["sensors"][0]["never"] and "radar horizon" in result.message


def test_threat_below_the_altitude_band(shahab_track, test_interceptor):
    high_only = Interceptor(test_interceptor, 400e3, 1_000e3)
    result = engage(shahab_track, high_only, earth.site(40.5, 38.0), cueing=Cueing.parse("delay:0"), endgame="none")
    assert result.verdict == Verdict.OUT_OF_ALTITUDE_BAND


def test_cueing_rules_are_checked(shahab_track, exo):
    with pytest.raises(InputError, match="allowed: own, remote .launch-on-remote., engage-remote .engage-on-remote., delay:SECONDS"):
        Cueing.parse("psychic")
    with pytest.raises(InputError, match=r"cueing 'delay:soon': delay = 'soon' is not a number; allowed: 0 to 7,200 s"):
        Cueing.parse("delay:soon")
    with pytest.raises(InputError, match="needs at least one sensor"):
        engage(shahab_track, exo, earth.site(40.5, 38.0), cueing=Cueing("remote"), endgame="none")
    with pytest.raises(InputError, match="not a band"):
        Interceptor(exo.vehicle, 100e3, 50e3)


def test_compiled_batch_gives_the_same_verdicts_as_the_pair_by_pair_reference(shahab_track, exo):
    """engage_many (compiled, all pairs in parallel) against engage (NumPy, one pair at a time):
    identical verdicts, margins and windows to 1e-6 s (Vincenty's and Karney's geodesics agree to
    well under a millimetre), and the same shoot-look-shoot shot count (a 20 s look, short enough
    that some windows allow several shots)."""
    from shieldcheck.engagement import engage_many

    flights = aiming.fly("Shahab-3", ["Tabriz", "Kermanshah"], ["40.5,38.0", "41.0,40.0"], history=True)
    sites = [earth.site(40.5, 38.0, name="aim"), earth.site(39.0, 36.0, name="west"), earth.site(42.0, 44.0, name="north"),
             earth.site(44.0, 15.0, name="far west")]
    radars = [Radar(f"radar at {s.name}", s, 90.0, 180.0, 1.0, 89.0, 1_500.0, 1.0, 10.0) for s in sites]
    box = np.zeros((180, 360), np.uint8)
    box[90 + 39: 90 + 42, 180 + 36: 180 + 40] = 1  # 39-42 N, 36-40 E: covers part of the feasible arcs
    sector = SectorMask("box", box, 1.0)
    verdicts = set()
    shots = set()
    look_s = 20.0
    for cueing, options in [("delay:60", {}), ("remote", {"sensors": radars[:1]}), ("own", {"own_radars": radars}),
                            ("delay:60", {"sectors": [sector, sector, None, sector]})]:
        cue = Cueing.parse(cueing)
        many = engage_many(flights, exo, sites, cueing=cue, shoot_look_shoot_s=look_s, endgame="none", **options)
        for i in range(len(flights)):
            track = flights.trajectory_of(i)
            burnout_s = float(flights.burnout_time_s[i])
            for j, site in enumerate(sites):
                one = engage(track, exo, site, cueing=cue, sensors=tuple(options.get("sensors", ())),
                             own_radar=options.get("own_radars", [None] * 4)[j], burnout_time_s=burnout_s,
                             sector=options.get("sectors", [None] * 4)[j], shoot_look_shoot_s=look_s, endgame="none")
                verdicts.add(one.verdict)
                shots.add(one.shots)
                assert many.shots[i, j] == one.shots, (cueing, i, j)
                assert many.verdict[i, j] == one.verdict, (cueing, i, j, one.message)
                assert many.margin_s[i, j] == pytest.approx(one.margin_s, abs=1e-6)
                if one.interceptor_launch_s is not None:
                    assert many.interceptor_launch_s[i, j] == pytest.approx(one.interceptor_launch_s, abs=1e-9)
                if one.window:
                    assert many.earliest_s[i, j] == pytest.approx(one.window["earliest_s"], abs=1e-9)
                    assert many.latest_s[i, j] == pytest.approx(one.window["latest_s"], abs=1e-9)
                    assert track["time_s"][many.intercept_index[i, j]] == one.intercept_point["time_s"]
                else:
                    assert many.intercept_index[i, j] == -1
    # the comparison covers radar cueing that never launches, and an intercept only outside a sector
    assert {Verdict.FEASIBLE, Verdict.NEVER_DETECTED, Verdict.BEYOND_SECTOR} <= verdicts, verdicts
    assert max(shots) >= 2, shots  # the doctrine's second shots are compared too


def test_pruning_bounds_hold_against_karney_geodesics():
    """The compiled evaluation skips samples using geodesic length between the angle between the
    surface normals times a (1 - e^2) and times a / sqrt(1 - e^2) (1e-5 margin): checked on
    200,000 random WGS-84 pairs up to 4,000 km with Karney's geodesics (pyproj)."""
    import pyproj

    geod = pyproj.Geod(ellps="WGS84")
    rng = np.random.default_rng(7)
    n = 200_000
    lat1 = np.degrees(np.arcsin(rng.uniform(-1, 1, n)))
    lon1 = rng.uniform(-180, 180, n)
    distance = rng.uniform(1e3, 4e6, n)
    lon2, lat2, _ = geod.fwd(lon1, lat1, rng.uniform(0, 360, n), distance)

    def normal(lat, lon):
        lat, lon = np.radians(lat), np.radians(lon)
        return np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], -1)

    angle = np.arccos(np.clip(np.sum(normal(lat1, lon1) * normal(lat2, lon2), -1), -1, 1))
    model = earth.earth_model("wgs84-j2-rotating")
    e2 = model.eccentricity_squared
    assert np.all(distance >= angle * model.equatorial_radius_m * (1 - e2) - 1.0)
    assert np.all(distance <= angle * model.equatorial_radius_m / np.sqrt(1 - e2) * (1 + 1e-5) + 1.0)


def test_skipping_bounds_hold_against_karney_geodesics():
    """The other bounds the compiled evaluation skips samples with, on 200,000 random WGS-84 pairs up to
    6,400 km (1 rad) with Karney's geodesics (pyproj):

    - the angle between the normals from their chord c: c <= angle <= c (1 + c^2 / 20);
    - the geodesic's length s from the straight line d between its ends: d <= s <= d (1 + d^2 / 20 r_min^2)
      (its curvature is at most 1 / r_min, r_min = a (1 - e^2)), 1 m margins;
    - the kill vehicle's direction at the point (the geodesic's, onwards) from the normal section through
      the site, the tangential part of the line from the site: within DIRECTION_ERROR_RAD + e^2 angle^2
      (the geodesic departs from it by about e^2 angle^2 / 12: at most a tenth of that allowance here).
    """
    import pyproj

    from shieldcheck.engine.engage import DIRECTION_ERROR_RAD

    model = earth.earth_model("wgs84-j2-rotating")
    a, e2 = model.equatorial_radius_m, model.eccentricity_squared
    r_min = a * (1 - e2)
    geod = pyproj.Geod(a=a, f=model.flattening)
    rng = np.random.default_rng(11)
    n = 200_000
    lat1 = np.degrees(np.arcsin(rng.uniform(-1, 1, n)))
    lat1[: n // 4] = rng.uniform(-89.9, 89.9, n // 4)  # polar sites too
    lon1 = rng.uniform(-180, 180, n)
    distance = rng.uniform(1e2, 6.4e6, n)
    lon2, lat2, back_deg = geod.fwd(lon1, lat1, rng.uniform(0, 360, n), distance)

    def normal(lat, lon):
        lat, lon = np.radians(lat), np.radians(lon)
        return np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], -1)

    def surface(lat, lon):
        nrm = normal(lat, lon)
        radius = a / np.sqrt(1 - e2 * nrm[:, 2] ** 2)
        return nrm * np.stack([radius, radius, radius * (1 - e2)], -1)

    n1, n2 = normal(lat1, lon1), normal(lat2, lon2)
    angle = np.arctan2(np.linalg.norm(np.cross(n1, n2), axis=-1), np.sum(n1 * n2, -1))
    chord = np.linalg.norm(n1 - n2, axis=-1)
    assert np.all(chord <= angle + 1e-12) and np.all(angle <= chord * (1 + 0.05 * chord**2) + 1e-12)
    line = surface(lat2, lon2) - surface(lat1, lon1)
    d = np.linalg.norm(line, axis=-1)
    assert np.all(d <= r_min)
    assert np.all(d - 1.0 <= distance) and np.all(distance <= d * (1 + 0.05 * (d / r_min) ** 2) + 1.0)
    # direction onwards at the end point (Karney), against the tangential part of the line from the site
    lat, lon = np.radians(lat2), np.radians(lon2)
    north = np.stack([-np.sin(lat) * np.cos(lon), -np.sin(lat) * np.sin(lon), np.cos(lat)], -1)
    east = np.stack([-np.sin(lon), np.cos(lon), np.zeros_like(lon)], -1)
    onwards = np.radians(np.asarray(back_deg) + 180.0)[:, None]
    h = np.cos(onwards) * north + np.sin(onwards) * east
    tangential = line - np.sum(line * n2, -1)[:, None] * n2
    h_estimate = tangential / np.linalg.norm(tangential, axis=-1)[:, None]
    error = np.linalg.norm(h - h_estimate, axis=-1)
    allowance = DIRECTION_ERROR_RAD + e2 * angle**2
    assert np.all(error <= 0.1 * allowance), float(np.max(error / allowance))


@pytest.mark.slow
def test_skipping_changes_no_result(exo):
    """The compiled evaluation gives the same results, to the bit, whatever order it takes the samples in:
    best bound first from a heap holding them all (the CPU path), a heap of 7 then the rest in time
    order, and no heap (every sample in time order; the CUDA path's fallback past its scratch), with
    the endgame on, radars that must track the intercept, and a sector."""
    import numba

    from shieldcheck import engine
    from shieldcheck.endgame import Endgame, KillVehicle
    from shieldcheck.engine import engage as kernel
    from shieldcheck.engagement import engage_many

    flights = aiming.fly("Shahab-3", ["Tabriz", "Kermanshah"], ["40.5,38.0", "41.0,40.0"], history=True)
    sites = [earth.site(40.5, 38.0, name="aim"), earth.site(39.0, 36.0, name="west"),
             earth.site(42.0, 44.0, name="north"), earth.site(44.0, 15.0, name="far west")]
    radar = Radar("radar", earth.site(39.0, 36.0), 90.0, 60.0, 1.0, 89.0, 1_500.0, 1.0, 10.0)
    box = np.zeros((180, 360), np.uint8)
    box[90 + 39: 90 + 42, 180 + 36: 180 + 40] = 1
    sector = SectorMask("box", box, 1.0)

    @numba.njit
    def in_order(scratch_samples, tracks, counts, phases, sites, index, grids, velocities, site_min, site_rates, masks,
                 launch_s, look_s, band, steps, earth_row, endgame, guides, site_guides, out):
        for k in range(out.shape[0]):
            scratch = np.empty((scratch_samples, 4))
            kernel._evaluate_pair(k, k // sites.shape[0], k % sites.shape[0], tracks, counts, phases, sites, index, grids,
                                  velocities, site_min, site_rates, masks, launch_s[k], look_s, band, steps, earth_row,
                                  endgame, guides, site_guides, scratch, out)

    captured = []
    batch = engine.batch

    def capture(name, device):
        found = batch(name, device)
        return (lambda *args: (captured.append(args), found(*args))) if name == "engage_batch" else found

    for limits in ((2_500.0, 12_000.0, 90.0, 500.0, 30.0), (3_000.0, 12_000.0, 40.0, 200.0, 30.0)):
        endgame = Endgame("kinematic", KillVehicle("test", *limits), 10.0)
        try:
            engine.batch = capture
            engage_many(flights, exo, sites, cueing=Cueing.parse("engage-remote"), sensors=(radar,), endgame=endgame,
                        sectors=[sector, None, sector, None])
        finally:
            engine.batch = batch
        *inputs, out = captured.pop()
        assert len(set(out[:, 0])) >= 3  # several verdicts
        for scratch_samples in (7, 0):
            again = np.full_like(out, np.nan)
            in_order(scratch_samples, *inputs, again)
            np.testing.assert_array_equal(again, out)


def test_streamed_chunks_give_the_batch_result(exo):
    """engage_stream over chunks of 2 flights == engage_many over the 5 flights at once (to the bit)."""
    from shieldcheck import flight
    from shieldcheck.engagement import engage_many, engage_stream

    launch = earth.site(38.08, 46.29)
    args = ("Shahab-3", launch, [280.0, 285.0, 290.0, 295.0, 300.0], [30.0, 35.0, 40.0, 45.0, 50.0])
    from shieldcheck import catalog

    missile = catalog.missile(args[0])
    sites = [earth.site(40.5, 38.0), earth.site(39.0, 36.0)]
    whole = engage_many(flight.fly_launch(missile, *args[1:], history=True), exo, sites, cueing=Cueing.parse("delay:60"),
                        endgame="none")
    streamed = engage_stream(flight.iter_fly_launch(missile, *args[1:], history=True, chunk_size=2), exo, sites,
                             cueing=Cueing.parse("delay:60"))
    for name in ("verdict", "margin_s", "earliest_s", "latest_s", "interceptor_launch_s"):
        np.testing.assert_array_equal(getattr(streamed, name), getattr(whole, name))
