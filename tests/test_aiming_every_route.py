"""Every route within reach lands within 100 m of its aim, or is refused with a reason that is true.

Property test over 2,000 seeded random routes per missile class (the catalog's ICBM, SLBM, MRBMs, the
notional Iranian IRBM and ICBM; the glide vehicle, whose flights cost ten times a ballistic one, on 500
here and on 2,000 in ``validation/aiming_every_route.py``): launch points over the whole globe (polar,
trans-equatorial and antipodal-side routes among them, 250 launched above 75 deg of latitude), every
bearing, distances from 5 % to 99.5 % of the maximum range on the bearing (``aiming.max_range_m``:
the full-burn range peak on the bearing's track), and each shape in turn (minimum-energy, full-burn
lofted and depressed, and the threat sets' apogee-ratio shapes and a burnout-angle shape).

References and tolerances:
- a landed route: its steering flown again, Karney's geodesic from impact to aim (GeographicLib
  through pyproj), under 100 m;
- a route beyond reach: a scan of 90 kicks at full burn on the azimuth the reason names, and the
  peak flown by the kernel: no flight comes down farther along the route's track than the aim;
- too near: the flight the reason names (earliest cut-off on its kick) comes down beyond the aim;
- no full-burn shape: the steepest (lofted) or flattest (depressed) full burn comes down beyond it;
- a shape outside its span: the span's minimum-energy end is the apogee (or burnout angle) of the
  route's own minimum-energy solution, solved apart, within 1 km (0.05 deg), and the asked value
  lies outside the span.
The FOBS is aimed by its own kernel (``engine/fobs.py``, its orbit and deorbit, through ``orbital.aim_fobs``):
``tests/test_fobs_aiming.py``.

Known limits, measured and held here (``NOT_CONVERGED``: the route ends "aiming did not converge", never with
a false reason). Where the azimuth and the range control, corrected one after the other, do not meet, the kernel
solves them together (``engine/aim.py``, ``joint_root``) and, failing that, judges the reach on the route's own
track; every route of the ICBM, SLBM, MRBMs and notional IRBM lands or is refused with a true reason. The glide
vehicle flies its own profile (its boost on its own kick, the range set by its glide guidance, which flies to the
aim: every flight named is flown with its aim) and takes no other shape; its reach is that of its aimed flight at
full burn, which a beyond-reach route's named flight must fall short of. Its reach is counted past the antipode,
about 21,000 km, so that routes run to 19,800 km; at the edge of that reach, where the glide's energy just
suffices, at most 4 of 500 end near the aim without converging (7 before the joint solve; 1 with the
push-over dive). The notional ICBM launched east
near the equator gains the Earth's full rotation and is near orbital speed: its reach there, counted past the
antipode, is 32,000-34,000 km, so its routes run to 19,800 km (the cap below), within 2,000 km of the antipode,
where every track from the launch point converges and the azimuth moves the impact across the track by only some
30 km per degree while the range turns by thousands of km per degree of kick. Some of those aims lie outside every
landing of the missile although the range peak on the bearing passes them (the RS-28 Sarmat route below is one,
scanned); they end unconverged, 120-1,060 km from the aim: 2 of 334 minimum-energy routes, 3 and 4 of 333 full-burn
lofted and depressed ones, and 1, 3 and 1 of 333 of the three constrained shapes (4, 6, 11, 1, 3 and 1 before the
joint solve, which also moved 9 full-burn routes from unconverged to beyond reach on their own track).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from shieldcheck import aiming, catalog, earth, flight
from shieldcheck.engine import aim as A

ROUTES = 2_000
ROUTES_OF = {"glide vehicle": 500}  # validation/aiming_every_route.py runs every class at ROUTES
POLAR = 250
TOLERANCE_M = 100.0
CLASSES = {"ICBM": "Yars", "SLBM": "Bulava", "MRBM": "Shahab-3", "MRBM, liquid": "Ghadr-1",
           "IRBM (notional)": "Iran-IRBM (notional)", "ICBM (notional)": "Iran-ICBM (notional)",
           "glide vehicle": "Avangard"}
SHAPES = ("minimum-energy", "lofted", "depressed", "lofted:apogee_ratio=1.5", "depressed:apogee_ratio=0.6",
          "depressed:burnout_angle_deg=20")
MODEL = earth.earth_model(earth.DEFAULT_EARTH)
SHAPES_OF = {"glide vehicle": ("minimum-energy",)}
# (routes of the shape, of the class's routes drawn) that end unconverged, as measured (see the docstring); scaled
# to the routes drawn (validation/aiming_every_route.py draws 2,000 of every class)
NOT_CONVERGED_AT_MOST = {("glide vehicle", "minimum-energy"): (4, 500),
                         # near orbital speed, within 2,000 km of the antipode (the notional ICBM launched east)
                         ("ICBM (notional)", "minimum-energy"): (2, 2000), ("ICBM (notional)", "lofted"): (3, 2000),
                         ("ICBM (notional)", "depressed"): (4, 2000),
                         ("ICBM (notional)", "lofted:apogee_ratio=1.5"): (1, 2000),
                         ("ICBM (notional)", "depressed:apogee_ratio=0.6"): (3, 2000),
                         ("ICBM (notional)", "depressed:burnout_angle_deg=20"): (1, 2000)}


def _routes(missile, seed: int, count: int = ROUTES):
    rng = np.random.default_rng(seed)
    lat = np.degrees(np.arcsin(rng.uniform(-1.0, 1.0, count)))
    polar = min(POLAR, count // 8)
    lat[:polar] = rng.choice([-1.0, 1.0], polar) * rng.uniform(75.0, 89.9, polar)
    lon = rng.uniform(-180.0, 180.0, count)
    bearing = rng.uniform(0.0, 360.0, count)
    near_lat, near_lon = earth.geodesic_direct(lat, lon, bearing, np.full(count, 1_000e3), MODEL)
    reach_m, _ = aiming.max_range_m(missile, lat, lon, near_lat, near_lon)
    distance_m = rng.uniform(0.05, 0.995, count) * np.minimum(reach_m, 19_900e3)
    aim_lat, aim_lon = earth.geodesic_direct(lat, lon, bearing, distance_m, MODEL)
    return lat, lon, np.asarray(aim_lat), np.asarray(aim_lon)


def _along_m(missile, flights, lat, lon, aim_lat, aim_lon):
    """Along-track distance (m) of each flight's end on its route's reference circle (engine/aim.py)."""
    bearing = np.atleast_1d(earth.geodesic_inverse(lat, lon, aim_lat, aim_lon, MODEL)[1])
    rows = aiming.route_rows(missile, lat, lon, np.zeros(len(lat)), aim_lat, aim_lon, bearing, 0, 0, 0.0, 100.0, MODEL)
    impact = flights.impact()
    end = earth.ecef_from_geodetic(np.radians(impact["latitude_deg"]), np.radians(impact["longitude_deg"]), 0.0, MODEL)
    unit = end / np.linalg.norm(end, axis=1)[:, None]
    along = np.arctan2(np.sum(unit * rows[:, A.A_TANGENT:A.A_TANGENT + 3], axis=1),
                       np.sum(unit * rows[:, A.A_LAUNCH_UNIT:A.A_LAUNCH_UNIT + 3], axis=1))
    return along * rows[:, A.A_RADIUS], rows[:, A.A_AIM_ALONG] * rows[:, A.A_RADIUS]


@pytest.mark.slow
@pytest.mark.parametrize("label", list(CLASSES))
def test_every_route_lands_or_is_refused_with_a_true_reason(label):
    missile = catalog.missile(CLASSES[label])
    count = ROUTES_OF.get(label, ROUTES)
    lat, lon, aim_lat, aim_lon = _routes(missile, seed=sum(map(ord, label)), count=count)
    counts = {}
    shapes = SHAPES_OF.get(label, SHAPES)
    for k, text in enumerate(shapes):
        part = np.arange(k, count, len(shapes))
        shape = aiming.TrajectoryShape.parse(text)
        routes = aiming.aim_routes(missile, lat[part], lon[part], np.zeros(part.size), aim_lat[part], aim_lon[part],
                                   shape)
        status = routes.status
        stuck = np.flatnonzero(status == A.AIM_NOT_CONVERGED)
        allowed, of = NOT_CONVERGED_AT_MOST.get((label, text), (0, count))
        assert stuck.size <= math.ceil(allowed * count / of), [routes.reasons[i] for i in stuck[:3]]
        assert all(routes.reasons[i].startswith("aiming did not converge") for i in stuck)
        for code in np.unique(status):
            counts[(text, int(code))] = int(np.sum(status == code))
        guided = missile.glide is not None and missile.glide.guided

        def aims(rows):  # a guided glider's guidance flies to its aim: every flight named is flown with it
            return earth.Sites(aim_lat[part][rows], aim_lon[part][rows]) if guided else None

        # landed: the steering flown again lands within the tolerance (Karney)
        ok = np.flatnonzero(routes.landed)
        flown = flight.fly_launch(missile, earth.Sites(lat[part][ok], lon[part][ok]), routes.azimuth_deg[ok],
                                  routes.kick_deg[ok], routes.cutoff_s[ok], target=aims(ok))
        impact = flown.impact()
        miss = earth.geodesic_inverse(impact["latitude_deg"], impact["longitude_deg"], aim_lat[part][ok],
                                      aim_lon[part][ok], MODEL)[0]
        assert np.all(miss < TOLERANCE_M), float(np.max(miss))
        # beyond reach: no kick at full burn on the azimuth named comes down farther along the track than the aim
        beyond = np.flatnonzero(status == A.AIM_BEYOND_REACH)
        if beyond.size and guided:
            # a guided glider's reach is its aimed flight at full burn on its boost's kick: that flight comes down short
            short = flight.fly_launch(missile, earth.Sites(lat[part][beyond], lon[part][beyond]), *routes.deciding[beyond].T,
                                      target=aims(beyond))
            along, aim = _along_m(missile, short, lat[part][beyond], lon[part][beyond], aim_lat[part][beyond],
                                  aim_lon[part][beyond])
            assert np.all(along < aim)
        elif beyond.size:
            assert np.all(routes.reach_m[beyond] < routes.distance_m[beyond])
            kicks = np.linspace(0.05, 85.0, 90)
            sel = np.repeat(part[beyond], kicks.size)
            azimuth = np.repeat(routes.deciding[beyond, 0], kicks.size)
            scan = flight.fly_launch(missile, earth.Sites(lat[sel], lon[sel]), azimuth, np.tile(kicks, beyond.size),
                                     np.inf)
            along, aim = _along_m(missile, scan, lat[sel], lon[sel], aim_lat[sel], aim_lon[sel])
            assert np.all(along < aim + TOLERANCE_M)
        # too near / no full-burn shape: the flight named comes down beyond the aim
        named = np.flatnonzero((status == A.AIM_TOO_NEAR) | (status == A.AIM_NO_FULL_BURN))
        if named.size:
            check = flight.fly_launch(missile, earth.Sites(lat[part][named], lon[part][named]),
                                      *routes.deciding[named].T, target=aims(named))
            along, aim = _along_m(missile, check, lat[part][named], lon[part][named], aim_lat[part][named],
                                  aim_lon[part][named])
            assert np.all(along > aim)
        # a shape outside its span: the minimum-energy end is the route's own minimum-energy solution's
        outside = np.flatnonzero(status == A.AIM_SHAPE_OUTSIDE)
        if outside.size:
            lowest = aiming.aim_routes(missile, lat[part][outside], lon[part][outside], np.zeros(outside.size),
                                       aim_lat[part][outside], aim_lon[part][outside], aiming.TrajectoryShape())
            assert np.all(lowest.landed)
            me = flight.fly_launch(missile, earth.Sites(lat[part][outside], lon[part][outside]), lowest.azimuth_deg,
                                   lowest.kick_deg, lowest.cutoff_s)
            if shape.burnout_angle_deg is not None:
                measured, target, within = me.burnout()["flight_path_angle_deg"], shape.burnout_angle_deg, 0.05
            else:
                measured, within = me.apogee_km, 1.0
                target = shape.apogee_ratio * measured if shape.apogee_ratio else shape.apogee_km
            assert np.all(np.abs(routes.span[outside, 0] - measured) < within)
            low, high = np.min(routes.span[outside], axis=1), np.max(routes.span[outside], axis=1)
            assert np.all((target < low) | (target > high))
    landed = sum(v for (_, code), v in counts.items() if code == A.AIM_LANDED)
    assert sum(counts.values()) == count
    print(label, CLASSES[label], f"{landed} of {count} landed", counts)
    assert landed > count // 3  # the property is not vacuous


def _track_errors_m(missile, flights, lat, lon, aim_lat, aim_lon):
    """Along-track and cross-track errors (m) of each flight's end from its aim, on the route's reference circle
    (``engine/aim.py``), past the antipode where the flight went that far."""
    bearing = np.atleast_1d(earth.geodesic_inverse(lat, lon, aim_lat, aim_lon, MODEL)[1])
    rows = aiming.route_rows(missile, lat, lon, np.zeros(len(lat)), aim_lat, aim_lon, bearing, 0, 0, 0.0, 100.0, MODEL)
    impact = flights.impact()
    end = earth.ecef_from_geodetic(np.radians(impact["latitude_deg"]), np.radians(impact["longitude_deg"]), 0.0, MODEL)
    unit = end / np.linalg.norm(end, axis=1)[:, None]
    along = np.arctan2(np.sum(unit * rows[:, A.A_TANGENT:A.A_TANGENT + 3], axis=1),
                       np.sum(unit * rows[:, A.A_LAUNCH_UNIT:A.A_LAUNCH_UNIT + 3], axis=1))
    along = np.where((along < 0.0) & flights.past_antipode, along + 2.0 * np.pi, along)
    cross = np.arcsin(np.clip(np.sum(unit * rows[:, A.A_POLE:A.A_POLE + 3], axis=1), -1.0, 1.0))
    radius = rows[:, A.A_RADIUS]
    return ((along - rows[:, A.A_AIM_ALONG]) * radius, (cross - rows[:, A.A_AIM_CROSS]) * radius)


@pytest.mark.slow
@pytest.mark.parametrize("shape, launch, aim", [
    ("minimum-energy", (7.4046, -8.0449), (-7.6302, 168.96)),  # 481 km off before
    ("lofted", (-20.9976, -66.2651), (19.9655, 109.4671)),  # 3,910 km off before
])
def test_near_orbital_routes_the_corrections_one_after_the_other_missed_land(shape, launch, aim):
    """The notional ICBM launched east near the equator, 18,000-19,600 km round: the azimuth and the range control
    corrected one after the other did not meet; solved together they land within 100 m (Karney)."""
    missile = catalog.missile("Iran-ICBM (notional)")
    f = aiming.fly(missile, earth.Site("launch", *launch, 0.0), earth.Site("aim", *aim, 0.0), trajectory=shape,
                   history=False)
    assert f.landed[0] and f.miss_m()[0] < TOLERANCE_M, f.miss_m()


@pytest.mark.slow
def test_the_sarmat_five_degrees_east_of_south_18000_km_away_is_not_landed_falsely():
    """RS-28 Sarmat from Uzhur 5 deg east of due south, 18,000 km: over the South Pole, near circular speed, 2,000 km
    from the antipode, where every track from Uzhur converges and the azimuth moves the impact across the track
    by only about 30 km per degree. No flight of the Sarmat lands on this aim: every flight that comes down at the
    aim's distance along the track (a cut-off root at each kick and azimuth that reaches it, azimuths 165-180 deg,
    where the range does not jump there) comes down more than 100 km to the side, and from 182.5 deg on no full burn reaches the aim's distance. The
    kernel ends the route "did not converge" with its nearest miss (about 140 km), no false landing or reason."""
    uzhur = catalog.site("Uzhur")
    sarmat = catalog.missile("RS-28 Sarmat")
    lat, lon = (float(v) for v in earth.geodesic_direct(uzhur.latitude_deg, uzhur.longitude_deg, 175.0, 18_000e3,
                                                        MODEL))
    routes = aiming.aim_routes(sarmat, [uzhur.latitude_deg], [uzhur.longitude_deg], [0.0], [lat], [lon],
                               aiming.TrajectoryShape())
    assert routes.status[0] == A.AIM_NOT_CONVERGED and routes.reasons[0].startswith("aiming did not converge")
    # the scan: at each (azimuth, kick) whose full burn reaches the aim's distance, the cut-off root by bisection
    azimuth, kick = (v.ravel() for v in np.meshgrid(np.arange(165.0, 181.0, 2.5), np.arange(45.0, 56.5, 0.5)))
    n = azimuth.size
    args = ([uzhur.latitude_deg] * n, [uzhur.longitude_deg] * n, [lat] * n, [lon] * n)
    args = tuple(np.array(a) for a in args)

    def errors(cutoff_s):
        flown = flight.fly_launch(sarmat, earth.Sites(args[0], args[1]), azimuth, kick, cutoff_s)
        return _track_errors_m(sarmat, flown, *args)

    full = sarmat.burn_time_s
    along_full, _ = errors(np.full(n, full))
    reaching = along_full > 0.0
    low, high = np.full(n, 0.7 * full), np.full(n, full)
    for _ in range(40):
        middle = 0.5 * (low + high)
        along, _ = errors(middle)
        low, high = np.where(along < 0.0, middle, low), np.where(along < 0.0, high, middle)
    along, cross = errors(high)
    landing = reaching & (np.abs(along) < 1_000.0)  # else the range jumps there (a flight that goes round)
    assert landing.sum() >= 20
    assert np.min(np.abs(cross[landing])) > 100e3
    assert routes.miss_m[0] > TOLERANCE_M
    # past 180 deg the reach runs out: no full burn on 182.5 deg comes down at the aim's distance
    kicks = np.linspace(30.0, 70.0, 81)
    flown = flight.fly_launch(sarmat, earth.Sites(args[0][:1].repeat(81), args[1][:1].repeat(81)), np.full(81, 182.5),
                              kicks, np.inf)
    assert np.all(_track_errors_m(sarmat, flown, *(a[:1].repeat(81) for a in args))[0] < 0.0)
