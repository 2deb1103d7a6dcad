"""Aiming in the compiled kernel: the steering that lands each route's missile on its aim point.

One route per thread (CPU: a parallel loop; CUDA: ``engine/cuda.py``), each route solved on its own
by flying the flight kernel's ``fly_one`` again and again into its own scratch row. Written once in
:func:`build` for both targets, like ``physics.py``.

Coordinates: the impact is measured on the reference great circle through the launch point in the
direction of the aim's geodesic bearing (unit vectors of the geocentric directions): the angle
along it from the launch point (along-track) and the angle off it (cross-track). They are smooth
in the steering, need no iteration (no geodesic), and both vanish together only at the aim, so the
aim is found when the chord from impact to aim, exact on the ellipsoid, is within the tolerance.

The steering has three controls: the pitch-over azimuth, the pitch-over (kick) angle and the thrust
cut-off time. Every shape is a point on the curve of (kick, cut-off) that lands at the aim's
along-track distance, from the full-burn lofted end to the full-burn depressed end:

* ``minimum-energy``: the earliest cut-off on that curve, i.e. the cut-off at which the largest
  along-track range over all kicks equals the aim's distance (a root in the cut-off, each value
  the peak of the range over the kick);
* ``lofted`` / ``depressed``: full burn, the kick on the steep or flat side of the range peak;
* shaped (apogee, burnout flight-path angle, or apogee as a ratio of the minimum-energy apogee):
  the kick between the minimum-energy point and the full-burn end on the shape's side at which
  the shape measure takes its value (a root in the kick, each value a root in the cut-off).

Every root is bracketed (regula falsi with the Illinois modification, started by secant steps
from the previous solution), so it converges wherever the bracket exists; where it does not, the
route ends with the reason and the number that decided it: the largest range over all kicks at
full burn (beyond reach), the range of the earliest cut-off (too near), the range of the steepest
or flattest full burn (no such full-burn shape), or the span of the shape measure on the route.
The azimuth is corrected after each solve by a secant on the cross-track angle.

Near circular speed the range turns so sharply with the azimuth, the kick and the cut-off that each
solve moves the others' roots and the corrections one after the other can circle without meeting.
Where they have not met, or a solve inside them has failed, the azimuth and one range control are
solved together from the nearest flight (``joint_root``: Newton steps on the along- and cross-track
miss, the step halved until the miss shrinks, the range control held at its bound where it would
cross it): the cut-off at the nearest flight's kick, or the kick at full burn on a full-burn side.
Where that fails too, the reach is judged again on the route's own track (the full-burn range peak
turned onto it): short of the aim there, the route is refused as beyond reach with that range.
Close to the antipode the azimuth has almost no leverage on the cross-track (the tracks converge
there), and a route can lie outside every landing of the missile although the range peak on its
bearing passes it: such a route ends "did not converge" with its nearest miss, never with a false
reason.
"""

from __future__ import annotations

import math
import types

from . import roots
from .pack import (
    E_A,
    E_F,
    E_OMEGA,
    F_AZIMUTH,
    F_CUTOFF,
    F_HEADING,
    F_KICK,
    F_POSITION,
    F_TARGET,
    F_VEHICLE,
    GLIDE_EQUILIBRIUM,
    O_APOGEE_ALTITUDE,
    O_BURNOUT_STATE,
    O_END_STATE,
    O_END_T,
    O_IMPACT_ECEF,
    O_STATUS,
    S_BURNOUT,
    STAGE_STRIDE,
    STATUS_IMPACT,
    STATUS_MAX_TIME,
    V_GLIDE_KICK,
    V_GLIDE_LAW,
    V_STAGE,
    V_STAGE_COUNT,
)

# --- route rows: one per route (aiming.route_rows) ---------------------------------------------
A_LAUNCH_UNIT = 0  # 0..2: geocentric unit vector of the launch point, ECEF
A_TANGENT = 3  # 3..5: unit tangent of the reference great circle at the launch point (direction of the bearing)
A_POLE = 6  # 6..8: unit normal of the reference great circle (launch unit x tangent)
A_AIM_ALONG = 9  # the aim's along-track angle on the reference circle, rad (0 to 2 pi)
A_AIM_CROSS = 10  # the aim's cross-track angle, rad
A_RADIUS = 11  # metres per radian of the along-track measure (the aim point's geocentric radius)
A_NORTH = 12  # 12..14: the launch site's north, ECEF
A_EAST = 15  # 15..17: its east
A_BEARING = 18  # geodesic bearing of the aim from the launch point, rad
A_SIDE = 19  # SIDE_*
A_MEASURE = 20  # MEASURE_*
A_TARGET = 21  # the shape measure's value: apogee m, burnout angle rad, or apogee ratio
A_TOLERANCE = 22  # landing tolerance, m (chord from impact to aim)
A_EARLIEST = 23  # earliest thrust cut-off, s
A_AIM_ECEF = 24  # 24..26: the aim point, ECEF m
A_SCAN = 27  # kick angles scanned at full burn for the range peak (at most MAX_SCAN)
N_ROUTE = 28

SIDE_MINIMUM_ENERGY = 0
SIDE_LOFTED = 1
SIDE_DEPRESSED = 2
SIDE_REACH = 3  # the reach on the track only: the range peak over the kick at full burn
MEASURE_NONE = 0  # minimum-energy, or full burn on the side
MEASURE_APOGEE = 1
MEASURE_BURNOUT_ANGLE = 2
MEASURE_APOGEE_RATIO = 3

# --- results: one row per route -----------------------------------------------------------------
U_STATUS = 0  # AIM_*
U_AZIMUTH = 1  # rad
U_KICK = 2  # rad
U_CUTOFF = 3  # s
U_MISS = 4  # chord from impact to aim, m (landed), or the last miss (not converged)
U_FLIGHTS = 5  # flights flown for this route
U_LIMIT = 6  # the number behind a refusal (see AIM_*)
U_LIMIT_HIGH = 7  # a span's upper end (shape measures)
U_PEAK_AZIMUTH = 8  # the range peak over the kick at full burn on the track: its azimuth (rad)
U_PEAK_KICK = 9  # ... and its kick (rad): the reach, flown again by the caller to measure it
U_MINIMUM_ENERGY_APOGEE = 10  # apogee of the minimum-energy solution, m (where it was solved)
U_MEASURE = 11  # the shape measure of the solution (apogee m, burnout angle rad)
U_REACH = 12  # along-track range (m) of the range peak at full burn (U_PEAK_*): past half the circumference where it
# went that far round
N_AIM = 13

AIM_LANDED = 0
AIM_BEYOND_REACH = 1  # U_LIMIT: along-track range (m) of the best kick at full burn (U_PEAK_*)
AIM_TOO_NEAR = 2  # U_LIMIT: along-track range (m) of the earliest cut-off on the best kick
AIM_NO_FULL_BURN = 3  # U_LIMIT: along-track range (m) of the steepest (lofted) or flattest (depressed) full burn
AIM_SHAPE_OUTSIDE = 4  # U_LIMIT, U_LIMIT_HIGH: the span of the shape measure over the side's trajectories
AIM_NOT_CONVERGED = 5  # U_MISS: the smallest miss found
AIM_REACH_MEASURED = 6  # SIDE_REACH: only the reach was asked for (U_PEAK_*, U_LIMIT)

KICK_MIN_RAD = math.radians(0.05)
KICK_MAX_RAD = math.radians(85.0)
MAX_SCAN = 24
MAX_REACH_TURNS = 6  # azimuth turns that bring the range peak onto the route's track
MAX_PASSES = 24  # azimuth corrections (steep flights, whose azimuth has little leverage, take the most)
MAX_ROOT_STEPS = 60
ALONG_FRACTION = 0.3  # the along-track root stops within this fraction of the tolerance
LANDING_FRACTION = 0.999  # the chord within this fraction of the tolerance: the geodesic is within it too
SHAPE_TOLERANCE_APOGEE_M = 500.0
SHAPE_TOLERANCE_ANGLE_RAD = math.radians(0.01)
PEAK_WIDTH_MIN_RAD = math.radians(0.02)
PEAK_BRACKET_MIN_RAD = math.radians(1e-4)  # a peak is not narrowed below this
PEAK_FRACTION = 2e-3  # the minimum-energy cut-off follows the kick's range peak to within this fraction of the distance
# Beyond this along-track range (m) a flight is near orbital speed, and its range over the kick is no longer a
# rounded peak: on the flat side the trajectory skims the atmosphere and the range falls off a cliff (RS-28 Sarmat
# due south from Uzhur at full burn: 18,317 km at a 51.5 deg kick, 16,141 km at 51.75 deg, 10,787 km at 52 deg).
# A parabola through three probes misjudges such a peak, so there the bracket is narrowed to PEAK_TRUST_RAD
# before the parabola's word is taken. Every catalog route shorter than this keeps the cheaper rule.
LONG_RANGE_M = 12_000e3
REJUDGE_CROSS_FRACTION = 0.01  # a route given up is beyond reach where its track's peak, within this fraction of its
# distance off the track, falls short
PEAK_TRUST_RAD = math.radians(0.02)
GOLDEN = (math.sqrt(5.0) - 1.0) / 2.0
GOLDEN_STEPS = 24
MAX_TURN_RAD = math.radians(20.0)  # the largest azimuth correction of one step
ROUND_TRIP_S = 5_069.0  # the period (s) of a circular orbit at the equatorial radius, 2 pi sqrt(a^3 / GM)
ROUND_TRIP_APOGEE_M = 2_000e3  # ... for flights below this apogee (m): a steep flight can stay aloft as long
FAR_LONG_FRACTION = 0.1  # a guided glide this far past its aim (fraction of the distance) has its cut-off solved first
OVERSHOOT_RAD = 2.0 * math.pi  # along-track angle given to a flight that does not come down (orbit, escape)
# the joint solve (joint_root), where the azimuth and the range control, corrected one after the other, do not meet
MAX_JOINT_STEPS = 40  # Newton steps
JOINT_HALVINGS = 12  # halvings of one step before its Jacobian is taken afresh (or the solve gives up)
JOINT_AZIMUTH_STEP_RAD = 2e-5  # forward-difference steps of the Jacobian: azimuth
JOINT_CUTOFF_STEP_S = 2e-3  # ... cut-off
JOINT_KICK_STEP_RAD = 2e-5  # ... kick
JOINT_FRESH_RATIO = 0.25  # a step that cuts the squared miss by less than this takes a fresh Jacobian next

# what the root finder varies (solve_root)
VARY_CUTOFF = 0  # the cut-off at a fixed kick
VARY_KICK = 1  # the kick at full burn
VARY_CUTOFF_PEAK = 2  # the cut-off, each value the peak of the range over the kick (minimum-energy)


def kick_of_scan(j, count):
    """The j-th of ``count`` kick angles scanned (rad): denser at small kicks, where steep trajectories
    change fastest, spaced as the square of j."""
    u = j / (count - 1.0)
    return KICK_MIN_RAD + (KICK_MAX_RAD - KICK_MIN_RAD) * u * u


def build(jit, fly_one):
    """The compiled ``aim_one`` for the target of ``jit``, flying with that target's ``fly_one``."""

    kick_at = jit(kick_of_scan)
    illinois_update = jit(roots.illinois_update)
    bracketed_step = jit(roots.bracketed_step)

    @jit
    def turned(azimuth, change):
        """An azimuth (rad) turned by a correction of at most ``MAX_TURN_RAD``, kept in [0, 2 pi)."""
        change = min(max(change, -MAX_TURN_RAD), MAX_TURN_RAD)
        return (azimuth + change) % (2.0 * math.pi)

    @jit
    def secant_slope(cross, previous_cross, azimuth, previous_azimuth, slope):
        """d(cross)/d(azimuth) from two flights, or ``slope`` where they cannot tell it (same azimuth or cross,
        or a sign the geometry rules out: turning the launch clockwise moves the impact to the right)."""
        turn = (azimuth - previous_azimuth + math.pi) % (2.0 * math.pi) - math.pi
        if turn == 0.0 or cross == previous_cross:
            return slope
        secant = (cross - previous_cross) / turn
        if (secant < 0.0) != (slope < 0.0):
            return slope
        return secant

    @jit
    def corrected(azimuth, cross, previous_azimuth, previous_cross, slope):
        """The azimuth (rad) turned to cancel the cross-track angle ``cross`` by the secant through the previous
        flight (``slope`` where there is none yet); returns it with the new previous azimuth, cross and slope."""
        if previous_cross == previous_cross:
            slope = secant_slope(cross, previous_cross, azimuth, previous_azimuth, slope)
        return turned(azimuth, -cross / slope), azimuth, cross, slope

    @jit
    def halfway(previous_azimuth, azimuth):
        """The azimuth (rad) half-way along the turn from ``previous_azimuth`` to ``azimuth``."""
        return turned(previous_azimuth, 0.5 * ((azimuth - previous_azimuth + math.pi) % (2.0 * math.pi) - math.pi))

    @jit
    def refuse(i, result, status, limit, azimuth, kick, cutoff, flown):
        """Settle route i with its status (``AIM_*``; a refusal, or landed): the number behind a refusal
        (``U_LIMIT``), the steering of the flight that decided it (the caller flies it again to measure it) and
        the flights flown."""
        result[i, U_STATUS] = status
        result[i, U_LIMIT] = limit
        result[i, U_AZIMUTH] = azimuth
        result[i, U_KICK] = kick
        result[i, U_CUTOFF] = cutoff
        result[i, U_FLIGHTS] = flown

    @jit
    def land(i, result, azimuth, kick, cutoff, miss_m, flown):
        """Route i landed: its steering, its miss (m) and the flights flown."""
        refuse(i, result, AIM_LANDED, math.nan, azimuth, kick, cutoff, flown)
        result[i, U_MISS] = miss_m

    @jit
    def refuse_beyond(i, result, reach_m, azimuth, kick, cutoff, flown):
        """Refuse route i as beyond reach: the along-track range (m) of the range peak over the kick at full burn,
        and its steering."""
        refuse(i, result, AIM_BEYOND_REACH, reach_m, azimuth, kick, cutoff, flown)
        result[i, U_PEAK_AZIMUTH] = azimuth
        result[i, U_PEAK_KICK] = kick

    @jit
    def give_up(i, result, miss_m, flown):
        """Route i did not converge: the smallest (or last) miss (m) and the flights flown."""
        result[i, U_STATUS] = AIM_NOT_CONVERGED
        result[i, U_MISS] = miss_m
        result[i, U_FLIGHTS] = flown

    @jit
    def full_burn_s(vehicle):
        """Time (s) of the last stage's burnout."""
        count = int(vehicle[V_STAGE_COUNT])
        return vehicle[V_STAGE + (count - 1) * STAGE_STRIDE + S_BURNOUT]

    @jit
    def went_round(i, flights, out):
        """Whether flight i travelled more than half-way round: the inertial angle from its start to its end,
        signed in the sense of its motion at burnout (the normal of the burnout position and velocity), is past
        the half turn. A near-vertical flight that drifts back over the ground still moves forwards in inertia."""
        x0 = flights[i, F_POSITION]
        y0 = flights[i, F_POSITION + 1]
        z0 = flights[i, F_POSITION + 2]
        x1 = out[i, O_END_STATE]
        y1 = out[i, O_END_STATE + 1]
        z1 = out[i, O_END_STATE + 2]
        bx = out[i, O_BURNOUT_STATE]
        by = out[i, O_BURNOUT_STATE + 1]
        bz = out[i, O_BURNOUT_STATE + 2]
        vx = out[i, O_BURNOUT_STATE + 3]
        vy = out[i, O_BURNOUT_STATE + 4]
        vz = out[i, O_BURNOUT_STATE + 5]
        hx = by * vz - bz * vy
        hy = bz * vx - bx * vz
        hz = bx * vy - by * vx
        sx = y0 * z1 - z0 * y1
        sy = z0 * x1 - x0 * z1
        sz = x0 * y1 - y0 * x1
        return sx * hx + sy * hy + sz * hz < 0.0

    @jit
    def impact_on_track(i, flights, out, route):
        """Along-track error (m, + long), cross-track error (rad) and chord to the aim (m) of flight i's end."""
        status = out[i, O_STATUS]
        if status == STATUS_MAX_TIME:  # in orbit or escaping: long of every aim
            return OVERSHOOT_RAD * route[A_RADIUS], 0.0, 1e30
        if status != STATUS_IMPACT:  # never lifted off: it falls at the pad
            return -route[A_AIM_ALONG] * route[A_RADIUS], 0.0, 1e30
        if out[i, O_END_T] > ROUND_TRIP_S and out[i, O_APOGEE_ALTITUDE] < ROUND_TRIP_APOGEE_M:
            # a flat flight aloft longer than a low orbit's period went round at least once: long of every aim
            return OVERSHOOT_RAD * route[A_RADIUS], 0.0, 1e30
        x = out[i, O_IMPACT_ECEF]
        y = out[i, O_IMPACT_ECEF + 1]
        z = out[i, O_IMPACT_ECEF + 2]
        r = math.sqrt(x * x + y * y + z * z)
        ux = x / r
        uy = y / r
        uz = z / r
        along = math.atan2(ux * route[A_TANGENT] + uy * route[A_TANGENT + 1] + uz * route[A_TANGENT + 2],
                           ux * route[A_LAUNCH_UNIT] + uy * route[A_LAUNCH_UNIT + 1] + uz * route[A_LAUNCH_UNIT + 2])
        if along < 0.0 and went_round(i, flights, out):  # past the antipode of the launch point
            along += 2.0 * math.pi
        sine = ux * route[A_POLE] + uy * route[A_POLE + 1] + uz * route[A_POLE + 2]
        cross = math.asin(min(1.0, max(-1.0, sine)))
        dx = x - route[A_AIM_ECEF]
        dy = y - route[A_AIM_ECEF + 1]
        dz = z - route[A_AIM_ECEF + 2]
        return (along - route[A_AIM_ALONG]) * route[A_RADIUS], cross - route[A_AIM_CROSS], math.sqrt(dx * dx + dy * dy + dz * dz)

    @jit
    def shoot(i, azimuth, kick, cutoff, flights, vehicles, drag, settings, earth, log_density, log_pressure, sound,
              out, history, routes):
        """Fly route i with the steering given; its along-track error (m), cross-track error (rad), chord (m)."""
        route = routes[i]
        ca = math.cos(azimuth)
        sa = math.sin(azimuth)
        flights[i, F_AZIMUTH] = azimuth
        for j in range(3):
            flights[i, F_HEADING + j] = ca * route[A_NORTH + j] + sa * route[A_EAST + j]
        flights[i, F_KICK] = kick
        flights[i, F_CUTOFF] = cutoff
        fly_one(i, flights, vehicles, drag, settings, earth, log_density, log_pressure, sound, out, history)
        return impact_on_track(i, flights, out, route)

    @jit
    def burnout_angle(i, out, earth):
        """Flight-path angle (rad) of the Earth-relative velocity above the geodetic horizontal at burnout."""
        x = out[i, O_BURNOUT_STATE]
        y = out[i, O_BURNOUT_STATE + 1]
        z = out[i, O_BURNOUT_STATE + 2]
        omega = earth[E_OMEGA]
        vx = out[i, O_BURNOUT_STATE + 3] + omega * y
        vy = out[i, O_BURNOUT_STATE + 4] - omega * x
        vz = out[i, O_BURNOUT_STATE + 5]
        a = earth[E_A]
        f = earth[E_F]
        e2 = f * (2.0 - f)
        p = math.sqrt(x * x + y * y)
        # geodetic latitude by Bowring's iteration, as in physics.geodetic_height (two rounds suffice there)
        latitude = math.atan2(z, p * (1.0 - e2))
        for _ in range(4):
            s = math.sin(latitude)
            n = a / math.sqrt(1.0 - e2 * s * s)
            latitude = math.atan2(z + e2 * n * s, p)
        cl = math.cos(latitude)
        up_x = cl * x / p if p > 0.0 else 0.0
        up_y = cl * y / p if p > 0.0 else 0.0
        up_z = math.sin(latitude)
        speed = math.sqrt(vx * vx + vy * vy + vz * vz)
        if speed <= 0.0:
            return 0.5 * math.pi
        return math.asin(min(1.0, max(-1.0, (vx * up_x + vy * up_y + vz * up_z) / speed)))

    @jit
    def measure_of(i, measure, out, earth):
        """The shape measure of flight i: apogee (m) or burnout flight-path angle (rad)."""
        if measure == MEASURE_BURNOUT_ANGLE:
            return burnout_angle(i, out, earth)
        return out[i, O_APOGEE_ALTITUDE]

    @jit
    def peak(i, azimuth, cutoff, kick, width, accept, fly_vertex, flights, vehicles, drag, settings, earth, log_density,
             log_pressure, sound, out, history, routes):
        """The largest along-track range over the kick near ``kick`` at a cut-off: three probes ``width`` (rad)
        apart, walked uphill until the middle one is highest, narrowed until the parabola through them rises less
        than ``accept`` (m) above the best, then the vertex of their parabola, flown with ``fly_vertex`` (out[i]
        then holds the flight returned), else its value read off the parabola.
        Returns (kick rad, along m, cross rad, chord m, flights)."""
        low = KICK_MIN_RAD
        high = KICK_MAX_RAD
        k0 = min(max(kick, low), high)
        f0, c0, d0 = shoot(i, azimuth, k0, cutoff, flights, vehicles, drag, settings, earth, log_density, log_pressure,
                           sound, out, history, routes)
        km = max(k0 - width, low)
        kp = min(k0 + width, high)
        fm = fp = -1e300
        cm = cp = dm = dp = 0.0
        count = 1
        if km < k0:
            fm, cm, dm = shoot(i, azimuth, km, cutoff, flights, vehicles, drag, settings, earth, log_density,
                               log_pressure, sound, out, history, routes)
            count += 1
        if kp > k0:
            fp, cp, dp = shoot(i, azimuth, kp, cutoff, flights, vehicles, drag, settings, earth, log_density,
                               log_pressure, sound, out, history, routes)
            count += 1
        step = width
        for _ in range(40):  # walk uphill, widening, until the middle probe is the highest
            if fp > f0 and kp < high:
                km, fm, cm, dm = k0, f0, c0, d0
                k0, f0, c0, d0 = kp, fp, cp, dp
                step *= 1.6
                kp = min(k0 + step, high)
                fp = -1e300
                if kp > k0:
                    fp, cp, dp = shoot(i, azimuth, kp, cutoff, flights, vehicles, drag, settings, earth, log_density,
                                       log_pressure, sound, out, history, routes)
                    count += 1
            elif fm > f0 and km > low:
                kp, fp, cp, dp = k0, f0, c0, d0
                k0, f0, c0, d0 = km, fm, cm, dm
                step *= 1.6
                km = max(k0 - step, low)
                fm = -1e300
                if km < k0:
                    fm, cm, dm = shoot(i, azimuth, km, cutoff, flights, vehicles, drag, settings, earth, log_density,
                                       log_pressure, sound, out, history, routes)
                    count += 1
            else:
                break
        # narrow the bracket by parabolic steps (golden where the parabola's vertex falls at the middle probe or
        # outside) while it is wider than asked (after a walk) or the vertex would lie more than ``accept`` (m)
        # above the best probe (a sharp peak, which a parabola through wide probes misjudges); near orbital speed
        # (LONG_RANGE_M) until the bracket is narrower than PEAK_TRUST_RAD, whatever the parabola says
        aim_m = routes[i, A_AIM_ALONG] * routes[i, A_RADIUS]
        for _ in range(40):
            if fm < -1e299 or fp < -1e299 or f0 < fm or f0 < fp:
                break
            d1 = (f0 - fm) / (k0 - km)
            d2 = (fp - f0) / (kp - k0)
            curvature = (d2 - d1) / (kp - km)
            v = math.nan
            rise = math.inf
            if curvature < 0.0:
                slope0 = (d1 * (kp - k0) + d2 * (k0 - km)) / (kp - km)
                v = k0 - slope0 / (2.0 * curvature)
                rise = -slope0 * slope0 / (4.0 * curvature)
            if kp - km <= 2.5 * width and rise < accept and (f0 + aim_m < LONG_RANGE_M or kp - km < PEAK_TRUST_RAD):
                break
            if kp - km < PEAK_BRACKET_MIN_RAD:
                break
            if not (km < v < kp) or abs(v - k0) < 0.05 * (kp - km):
                v = k0 + 0.382 * (kp - k0) if kp - k0 > k0 - km else k0 - 0.382 * (k0 - km)
            fv, cv, dv = shoot(i, azimuth, v, cutoff, flights, vehicles, drag, settings, earth, log_density,
                               log_pressure, sound, out, history, routes)
            count += 1
            if fv > f0:
                if v > k0:
                    km, fm, cm, dm = k0, f0, c0, d0
                else:
                    kp, fp, cp, dp = k0, f0, c0, d0
                k0, f0, c0, d0 = v, fv, cv, dv
            elif v > k0:
                kp, fp, cp, dp = v, fv, cv, dv
            else:
                km, fm, cm, dm = v, fv, cv, dv
        # the best probe (the middle one, or an end at a bound of the kick)
        best_k, best_f, best_c, best_d = k0, f0, c0, d0
        if fp > best_f:
            best_k, best_f, best_c, best_d = kp, fp, cp, dp
        if fm > best_f:
            best_k, best_f, best_c, best_d = km, fm, cm, dm
        vertex = best_k
        value = best_f
        if best_k == k0 and fm > -1e299 and fp > -1e299:
            # the parabola through the three probes: its vertex, kept inside them
            d1 = (f0 - fm) / (k0 - km)
            d2 = (fp - f0) / (kp - k0)
            curvature = (d2 - d1) / (kp - km)
            if curvature < 0.0:
                slope0 = (d1 * (kp - k0) + d2 * (k0 - km)) / (kp - km)
                vertex = min(max(k0 - slope0 / (2.0 * curvature), km), kp)
                value = f0 + slope0 * (vertex - k0) + curvature * (vertex - k0) * (vertex - k0)
        if not fly_vertex:
            if vertex == best_k:
                return best_k, best_f, best_c, best_d, count
            return vertex, max(value, best_f), best_c, best_d, count
        f, c, d = shoot(i, azimuth, vertex, cutoff, flights, vehicles, drag, settings, earth, log_density, log_pressure,
                        sound, out, history, routes)
        count += 1
        if f >= best_f:
            return vertex, f, c, d, count
        f, c, d = shoot(i, azimuth, best_k, cutoff, flights, vehicles, drag, settings, earth, log_density, log_pressure,
                        sound, out, history, routes)
        return best_k, f, c, d, count + 1

    @jit
    def evaluate(i, vary, x, azimuth, kick, width, tolerance, flights, vehicles, drag, settings, earth, log_density,
                 log_pressure, sound, out, history, routes):
        """One value of the root finder's function at x: (along m, cross rad, chord m, kick, flights)."""
        vehicle = vehicles[int(flights[i, F_VEHICLE])]
        full = full_burn_s(vehicle)
        if vary == VARY_CUTOFF:
            f, c, d = shoot(i, azimuth, kick, x, flights, vehicles, drag, settings, earth, log_density, log_pressure,
                            sound, out, history, routes)
            return f, c, d, kick, 1
        if vary == VARY_KICK:
            f, c, d = shoot(i, azimuth, x, full, flights, vehicles, drag, settings, earth, log_density, log_pressure,
                            sound, out, history, routes)
            return f, c, d, x, 1
        k, f, c, d, n = peak(i, azimuth, x, kick, width, tolerance, False, flights, vehicles, drag, settings, earth, log_density,
                             log_pressure, sound, out, history, routes)
        return f, c, d, k, n

    @jit
    def solve_root(i, vary, sign, low, f_low, high, f_high, x, slope, azimuth, kick, width, tolerance, flights,
                   vehicles, drag, settings, earth, log_density, log_pressure, sound, out, history, routes):
        """Root of the along-track error in x on [low, high]: secant steps from x with ``slope`` while they stay
        inside, regula falsi with the Illinois modification once the ends' values are known (NaN: not yet;
        an end is flown only when a step would leave the interval). ``sign`` (+1 or -1) orients the error so
        that it rises with x. Stops when |error| < tolerance; out[i] then holds the flight of the root.

        Returns (found, x, along m, cross rad, chord m, kick, flights, value at the end that has no root, slope):
        found is False when an end flown has the sign of the start, the end's value (oriented) then says by how
        much; the slope is the last secant's (oriented error per unit of x), a start for the next solve.
        """
        count = 0
        f, c, d, kick, n = evaluate(i, vary, x, azimuth, kick, width, tolerance, flights, vehicles, drag, settings, earth,
                                    log_density, log_pressure, sound, out, history, routes)
        count += n
        g = sign * f
        retained = 0  # which end the last two steps kept (Illinois): -1 low, +1 high
        steps = 0  # steps taken inside a known bracket
        span = math.inf  # the bracket's width three such steps ago
        for _ in range(MAX_ROOT_STEPS):
            if abs(f) < tolerance:
                return True, x, f, c, d, kick, count, 0.0, slope
            if vary == VARY_CUTOFF_PEAK:
                width = max(0.5 * width, PEAK_WIDTH_MIN_RAD)
            low, f_low, high, f_high, retained = illinois_update(x, g, low, f_low, high, f_high, retained)
            if f_low == f_low and f_high == f_high:
                new, steps, span = bracketed_step(low, f_low, high, f_high, steps, span)
            else:
                new = x - g / slope if slope > 0.0 else math.nan
                if not (low < new < high):
                    # the step leaves the interval: fly the end it points to, which must have the other sign
                    new = high if g < 0.0 else low
                    fe, ce, de, ke, n = evaluate(i, vary, new, azimuth, kick, width, tolerance, flights, vehicles, drag, settings,
                                                 earth, log_density, log_pressure, sound, out, history, routes)
                    count += n
                    ge = sign * fe
                    if (ge < 0.0) == (g < 0.0) and abs(fe) >= tolerance:
                        return False, new, fe, ce, de, ke, count, ge, slope
                    slope = (ge - g) / (new - x)
                    x, f, c, d, kick, g = new, fe, ce, de, ke, ge
                    continue
            fn, cn, dn, kn, n = evaluate(i, vary, new, azimuth, kick, width, tolerance, flights, vehicles, drag, settings, earth,
                                         log_density, log_pressure, sound, out, history, routes)
            count += n
            gn = sign * fn
            if new != x:
                slope = (gn - g) / (new - x)
            x, f, c, d, kick, g = new, fn, cn, dn, kn, gn
        return abs(f) < tolerance, x, f, c, d, kick, count, 0.0, slope


    @jit
    def kick_cost(i, azimuth, k, t_guess, earliest, full, slope_t, width, tolerance, flights, vehicles, drag, settings,
                  earth, log_density, log_pressure, sound, out, history, routes):
        """The earliest cut-off (s) at which kick k lands on the aim's distance, and (found, range error of the
        end that has no root, flights): a kick whose full burn falls short costs the full burn plus its
        shortfall at the mean rate, one beyond the aim even at the earliest cut-off less than ``earliest``."""
        ok, t, f, c, d, _, n, edge, s = solve_root(
            i, VARY_CUTOFF, 1.0, earliest, math.nan, full, math.nan, t_guess, slope_t, azimuth, k, width, tolerance,
            flights, vehicles, drag, settings, earth, log_density, log_pressure, sound, out, history, routes)
        if ok:
            return t, True, 0.0, n
        if edge < 0.0:
            return full - edge / slope_t, False, edge, n
        return earliest - 1.0 + 1.0 / (1.0 + edge), False, edge, n

    @jit
    def minimum_energy_by_kick(i, azimuth, count_scan, center, half, earliest, full, slope_t, width, tolerance, flights,
                               vehicles, drag, settings, earth, log_density, log_pressure, sound, out, history, routes,
                               scan):
        """Minimum energy the slow, sure way, where following the range peak fails (a range that is not single-
        peaked in the kick: a near-orbital flat branch, a glide's skips): golden-section search over the kick for
        the earliest cut-off that lands on the aim (``kick_cost``), over the scanned kicks whose full burn reaches
        the aim and their neighbours, and ``half`` (rad) either side of ``center`` (the peak on this azimuth). Returns (found, cut-off, along m, cross rad, chord m, kick, flights, the
        range error of the earliest cut-off where every kick tried lands beyond the aim)."""
        first = -1
        last = -1
        for j in range(count_scan):
            if scan[i, j] >= 0.0:
                if first < 0:
                    first = j
                last = j
        a = max(center - half, KICK_MIN_RAD)
        b = min(center + half, KICK_MAX_RAD)
        if first >= 0:
            a = min(a, kick_at(max(first - 1, 0), count_scan))
            b = max(b, kick_at(min(last + 1, count_scan - 1), count_scan))
        c_k = b - GOLDEN * (b - a)
        d_k = a + GOLDEN * (b - a)
        c_cost, c_ok, c_edge, n = kick_cost(i, azimuth, c_k, full, earliest, full, slope_t, width, tolerance, flights,
                                            vehicles, drag, settings, earth, log_density, log_pressure, sound, out,
                                            history, routes)
        count = n
        d_cost, d_ok, d_edge, n = kick_cost(i, azimuth, d_k, c_cost if c_ok else full, earliest, full, slope_t, width,
                                            tolerance, flights, vehicles, drag, settings, earth, log_density,
                                            log_pressure, sound, out, history, routes)
        count += n
        best_k = math.nan
        best_t = full
        if c_ok:
            best_k, best_t = c_k, c_cost
        if d_ok and d_cost < best_t:
            best_k, best_t = d_k, d_cost
        overshoot = min(c_edge if c_edge > 0.0 else math.inf, d_edge if d_edge > 0.0 else math.inf)
        over_k = c_k if c_edge > 0.0 and c_edge == overshoot else d_k
        for _ in range(GOLDEN_STEPS):
            if b - a < PEAK_WIDTH_MIN_RAD:
                break
            if c_cost < d_cost:
                b = d_k
                d_k, d_cost = c_k, c_cost
                k = b - GOLDEN * (b - a)
            else:
                a = c_k
                c_k, c_cost = d_k, d_cost
                k = a + GOLDEN * (b - a)
            cost, ok, edge, n = kick_cost(i, azimuth, k, best_t, earliest, full, slope_t, width, tolerance, flights,
                                          vehicles, drag, settings, earth, log_density, log_pressure, sound, out,
                                          history, routes)
            count += n
            if ok and (best_k != best_k or cost < best_t):
                best_k, best_t = k, cost
            if edge > 0.0 and edge < overshoot:
                overshoot, over_k = edge, k
            if k < d_k:
                c_k, c_cost = k, cost
            else:
                d_k, d_cost = k, cost
        if best_k != best_k:
            if overshoot < math.inf:
                return False, earliest, overshoot, math.nan, math.nan, over_k, count, overshoot
            return False, full, math.nan, math.nan, math.nan, math.nan, count, -1.0
        f, c, d = shoot(i, azimuth, best_k, best_t, flights, vehicles, drag, settings, earth, log_density,
                        log_pressure, sound, out, history, routes)
        return True, best_t, f, c, d, best_k, count + 1, 0.0

    @jit
    def reach_on_track(i, azimuth, kick, f, c, width, tolerance, stop_reaching, cross_slope, full, flights, vehicles,
                       drag, settings, earth, log_density, log_pressure, sound, out, history, routes):
        """The reach on the route's track: the range peak over the kick at full burn, from (azimuth, kick) with its
        along-track error f (m) and cross-track error c (rad), with the azimuth turned until the peak comes down on
        the reference circle (``stop_reaching``: or until it reaches the aim). Returns (azimuth, kick, along m,
        cross rad, chord m, cross slope, flights)."""
        count = 0
        d = math.inf
        for _ in range(MAX_REACH_TURNS):
            if (stop_reaching and f >= 0.0) or abs(c) * routes[i, A_RADIUS] < tolerance:
                break
            new_azimuth = turned(azimuth, -c / cross_slope)
            k, f_new, c_new, d, n = peak(i, new_azimuth, full, kick, width, tolerance, True, flights, vehicles, drag,
                                         settings, earth, log_density, log_pressure, sound, out, history, routes)
            count += n
            cross_slope = secant_slope(c_new, c, new_azimuth, azimuth, cross_slope)
            azimuth, kick, f, c = new_azimuth, k, f_new, c_new
        return azimuth, kick, f, c, d, cross_slope, count

    @jit
    def branch_root(i, side, azimuth, top_kick, count_scan, width, tolerance, full, flights, vehicles, drag, settings,
                    earth, log_density, log_pressure, sound, out, history, routes):
        """The full-burn kick on the side's branch (steep of the peak: lofted; flat: depressed) that lands at the
        aim's distance, found afresh on this azimuth: the peak flown, then the scan's kicks flown from it towards
        the side's extreme until one falls short, then the root in that bracket. Returns (code, kick, along m,
        cross rad, chord m, flights): code 0 found, 1 the peak falls short (beyond reach on this track), 2 every
        kick on the side lands beyond the aim (along is then the extreme kick's)."""
        sign = 1.0 if side == SIDE_LOFTED else -1.0
        k_top, f_top, c, d, count = peak(i, azimuth, full, top_kick, width, tolerance, True, flights, vehicles, drag,
                                         settings, earth, log_density, log_pressure, sound, out, history, routes)
        if f_top < 0.0:
            return 1, k_top, f_top, c, d, count
        near_k, near_f = k_top, f_top
        for step in range(count_scan):
            j = count_scan - 1 - step if side == SIDE_LOFTED else step
            k_j = kick_at(j, count_scan)
            if (side == SIDE_LOFTED and k_j >= k_top) or (side == SIDE_DEPRESSED and k_j <= k_top):
                continue
            f_j, c, d = shoot(i, azimuth, k_j, full, flights, vehicles, drag, settings, earth, log_density, log_pressure,
                              sound, out, history, routes)
            count += 1
            if f_j < 0.0:
                if side == SIDE_LOFTED:
                    lo, g_lo, hi, g_hi = k_j, f_j, near_k, near_f
                else:
                    lo, g_lo, hi, g_hi = near_k, -near_f, k_j, -f_j
                ok, k, f, c, d, _, n, edge, s = solve_root(
                    i, VARY_KICK, sign, lo, g_lo, hi, g_hi, 0.5 * (lo + hi), 1e7, azimuth, k_j, width, tolerance,
                    flights, vehicles, drag, settings, earth, log_density, log_pressure, sound, out, history, routes)
                return (0 if ok else 3), k, f, c, d, count + n
            near_k, near_f = k_j, f_j
        return 2, near_k, near_f, c, d, count

    @jit
    def shot(i, vary, azimuth, x, fixed, flights, vehicles, drag, settings, earth, log_density, log_pressure, sound, out,
             history, routes):
        """Fly route i with x the cut-off (``VARY_CUTOFF``, ``fixed`` the kick) or the kick (``VARY_KICK``, ``fixed``
        the cut-off): its along-track error (m), cross-track error (rad) and chord (m)."""
        if vary == VARY_CUTOFF:
            return shoot(i, azimuth, fixed, x, flights, vehicles, drag, settings, earth, log_density, log_pressure, sound,
                         out, history, routes)
        return shoot(i, azimuth, x, fixed, flights, vehicles, drag, settings, earth, log_density, log_pressure, sound, out,
                     history, routes)

    @jit
    def joint_root(i, vary, azimuth, x, fixed, low, high, tolerance, flights, vehicles, drag, settings, earth,
                   log_density, log_pressure, sound, out, history, routes):
        """The azimuth and one range control (x: the cut-off at the kick ``fixed``, or the kick at the cut-off
        ``fixed``; kept in [low, high]) solved together for the aim: Newton steps on the (along-track, cross-track)
        miss in metres, the Jacobian by forward differences and kept while it serves, each step halved until the
        miss shrinks. Near circular speed the range turns sharply with both controls and each one's root moves
        the other's, so that corrections one after the other can circle without meeting; the joint step does not.
        Where x is held at a bound the azimuth alone takes the least-squares step. Stops when the chord is within
        the landing tolerance (m); out[i] then holds that flight.

        Returns (landed, azimuth rad, x, along m, cross rad, chord m, flights)."""
        radius = routes[i, A_RADIUS]
        landing = LANDING_FRACTION * tolerance
        h_x = JOINT_CUTOFF_STEP_S if vary == VARY_CUTOFF else JOINT_KICK_STEP_RAD
        x = min(max(x, low), high)
        f, c, d = shot(i, vary, azimuth, x, fixed, flights, vehicles, drag, settings, earth, log_density, log_pressure,
                       sound, out, history, routes)
        count = 1
        if d < landing:
            return True, azimuth, x, f, c, d, count
        if d > 1e29:  # not down on the track: nothing to start from
            return False, azimuth, x, f, c, d, count
        j11 = j12 = j21 = j22 = 0.0
        stale = True  # the Jacobian is to be taken (afresh)
        fresh = False  # the Jacobian was taken at the current point
        for _ in range(MAX_JOINT_STEPS):
            if stale:
                fa, ca, da = shot(i, vary, turned(azimuth, JOINT_AZIMUTH_STEP_RAD), x, fixed, flights, vehicles, drag,
                                  settings, earth, log_density, log_pressure, sound, out, history, routes)
                step_x = h_x if x + h_x <= high else -h_x
                fx, cx, dx = shot(i, vary, azimuth, x + step_x, fixed, flights, vehicles, drag, settings, earth,
                                  log_density, log_pressure, sound, out, history, routes)
                count += 2
                if da > 1e29 or dx > 1e29:
                    break
                j11 = (fa - f) / JOINT_AZIMUTH_STEP_RAD
                j21 = (ca - c) * radius / JOINT_AZIMUTH_STEP_RAD
                j12 = (fx - f) / step_x
                j22 = (cx - c) * radius / step_x
                stale = False
                fresh = True
            r1 = f
            r2 = c * radius
            det = j11 * j22 - j12 * j21
            if det == 0.0 or det != det:
                break
            step_a = (-r1 * j22 + r2 * j12) / det
            step_v = (-r2 * j11 + r1 * j21) / det
            if x + step_v > high or x + step_v < low:
                # x held at the bound it would cross; the azimuth takes the least-squares step for the rest
                step_v = (high if x + step_v > high else low) - x
                norm = j11 * j11 + j21 * j21
                if norm == 0.0:
                    break
                step_a = -(j11 * (r1 + j12 * step_v) + j21 * (r2 + j22 * step_v)) / norm
            if abs(step_a) > MAX_TURN_RAD:
                scale = MAX_TURN_RAD / abs(step_a)
                step_a *= scale
                step_v *= scale
            merit = r1 * r1 + r2 * r2
            accepted = False
            fraction = 1.0
            fn = cn = dn = math.nan
            for _ in range(JOINT_HALVINGS):
                a_n = (azimuth + fraction * step_a) % (2.0 * math.pi)
                x_n = min(max(x + fraction * step_v, low), high)
                fn, cn, dn = shot(i, vary, a_n, x_n, fixed, flights, vehicles, drag, settings, earth, log_density,
                                  log_pressure, sound, out, history, routes)
                count += 1
                merit_n = fn * fn + (cn * radius) * (cn * radius)
                if dn < 1e29 and merit_n < merit:
                    accepted = True
                    break
                fraction *= 0.5
            if not accepted:
                if fresh:
                    break
                stale = True
                continue
            azimuth, x, f, c, d = a_n, x_n, fn, cn, dn
            if d < landing:
                return True, azimuth, x, f, c, d, count
            fresh = False
            stale = merit_n > JOINT_FRESH_RATIO * merit
        return False, azimuth, x, f, c, d, count

    @jit
    def aim_glider(i, flights, vehicles, drag, settings, earth, log_density, log_pressure, sound, out, history, routes,
                   result):
        """Solve route i for a guided glider (``equilibrium-glide``): the boost at full burn on the vehicle's own kick,
        the range set by its glide guidance, which flies to the aim written into its flight row. The azimuth is
        corrected by the secant on the cross-track angle; where even the lowest glide lands long, the cut-off is
        brought earlier (a root). Beyond reach: the guided flight with the whole boost lands short, on the track;
        its range is the reach. The reach asked for (``SIDE_REACH``): the flight without an aim, gliding for range,
        turned onto the track."""
        route = routes[i]
        vehicle = vehicles[int(flights[i, F_VEHICLE])]
        full = full_burn_s(vehicle)
        earliest = min(route[A_EARLIEST], full)
        tolerance = route[A_TOLERANCE]
        along_tolerance = ALONG_FRACTION * tolerance
        aim_m = route[A_AIM_ALONG] * route[A_RADIUS]
        kick = vehicle[V_GLIDE_KICK]
        reach = int(route[A_SIDE]) == SIDE_REACH
        for j in range(result.shape[1]):
            result[i, j] = math.nan
        for j in range(3):
            flights[i, F_TARGET + j] = 0.0 if reach else route[A_AIM_ECEF + j]
        sine = math.sin(route[A_AIM_ALONG])
        cross_slope = -sine if abs(sine) > 1e-3 else (-1e-3 if sine >= 0.0 else 1e-3)  # d(cross)/d(azimuth), sphere
        azimuth = route[A_BEARING]
        cutoff = full
        slope_t = aim_m / max(full - earliest, 1e-3)
        previous_azimuth = math.nan
        previous_cross = math.nan
        best_miss = math.inf
        near_azimuth, near_cutoff = azimuth, cutoff  # the nearest flight's steering
        flown = 0
        for attempt in range(MAX_PASSES):
            f, c, d = shoot(i, azimuth, kick, cutoff, flights, vehicles, drag, settings, earth, log_density, log_pressure,
                            sound, out, history, routes)
            flown += 1
            on_track = abs(c) * route[A_RADIUS] < along_tolerance
            if reach and (on_track or attempt == MAX_REACH_TURNS):
                result[i, U_STATUS] = AIM_REACH_MEASURED
                result[i, U_LIMIT] = f + aim_m
                result[i, U_PEAK_AZIMUTH] = azimuth
                result[i, U_PEAK_KICK] = kick
                result[i, U_FLIGHTS] = flown
                return
            if not reach:
                if (on_track or f > FAR_LONG_FRACTION * aim_m) and abs(f) >= along_tolerance and (f > 0.0 or cutoff < full):
                    # on the track (or far past the aim, where the energy decides before the azimuth) but long even
                    # on the lowest glide, or short of a full burn: the cut-off root (the range rises with it)
                    ok, t, f, c, d, _, n, edge, s = solve_root(
                        i, VARY_CUTOFF, 1.0, earliest, math.nan, full, math.nan, min(max(cutoff - f / slope_t, earliest), full),
                        slope_t, azimuth, kick, 0.0, along_tolerance, flights, vehicles, drag, settings, earth,
                        log_density, log_pressure, sound, out, history, routes)
                    flown += n
                    if not ok and edge > 0.0:
                        refuse(i, result, AIM_TOO_NEAR, edge + aim_m, azimuth, kick, earliest, flown)
                        return
                    cutoff = t
                    if ok and s > 0.0:
                        slope_t = s
                if d < best_miss:
                    best_miss, near_azimuth, near_cutoff = d, azimuth, cutoff
                if d < LANDING_FRACTION * tolerance:
                    land(i, result, azimuth, kick, cutoff, d, flown)
                    return
                if f <= -along_tolerance and cutoff >= full and on_track:
                    refuse_beyond(i, result, f + aim_m, azimuth, kick, full, flown)
                    return
            azimuth, previous_azimuth, previous_cross, cross_slope = corrected(azimuth, c, previous_azimuth,
                                                                              previous_cross, cross_slope)
        if not reach and best_miss < 1e29:
            # the azimuth and the cut-off, corrected one after the other, did not meet: solved together
            ok, azimuth, cutoff, f, c, d, n = joint_root(
                i, VARY_CUTOFF, near_azimuth, near_cutoff, kick, earliest, full, tolerance, flights, vehicles, drag,
                settings, earth, log_density, log_pressure, sound, out, history, routes)
            flown += n
            if ok:
                land(i, result, azimuth, kick, cutoff, d, flown)
                return
            best_miss = min(best_miss, d)
        give_up(i, result, best_miss, flown)

    @jit
    def aim_one(i, flights, vehicles, drag, settings, earth, log_density, log_pressure, sound, out, history, routes,
                scan, result):
        """Solve route i: write its steering, or its refusal and the number behind it, into ``result[i]`` (``U_*``).
        ``scan[i]`` holds the full-burn range of each scanned kick."""
        route = routes[i]
        vehicle = vehicles[int(flights[i, F_VEHICLE])]
        if vehicle[V_GLIDE_LAW] == GLIDE_EQUILIBRIUM:
            aim_glider(i, flights, vehicles, drag, settings, earth, log_density, log_pressure, sound, out, history,
                       routes, result)
            return
        full = full_burn_s(vehicle)
        earliest = min(route[A_EARLIEST], full)
        side = int(route[A_SIDE])
        measure = int(route[A_MEASURE])
        tolerance = route[A_TOLERANCE]
        along_tolerance = ALONG_FRACTION * tolerance
        aim_m = route[A_AIM_ALONG] * route[A_RADIUS]
        count_scan = int(route[A_SCAN])
        for j in range(result.shape[1]):
            result[i, j] = math.nan
        azimuth = route[A_BEARING]
        # the range over the kick at full burn: a scan on the bearing, then the peak near its best point
        best = 0
        best_c = best_d = 0.0
        for j in range(count_scan):
            f, c, d = shoot(i, azimuth, kick_at(j, count_scan), full, flights, vehicles, drag, settings, earth,
                            log_density, log_pressure, sound, out, history, routes)
            scan[i, j] = f
            if f > scan[i, best] or j == 0:
                best, best_c, best_d = j, c, d
        flown = count_scan
        k_low = kick_at(max(best - 1, 0), count_scan)
        k_high = kick_at(min(best + 1, count_scan - 1), count_scan)
        width = 0.25 * (k_high - k_low)
        peak_kick, peak_f, peak_c, peak_d = kick_at(best, count_scan), scan[i, best], best_c, best_d
        if 0 < best < count_scan - 1:
            # the parabola through the best scanned kick and its neighbours (unevenly spaced)
            k_mid = peak_kick
            d1 = (scan[i, best] - scan[i, best - 1]) / (k_mid - k_low)
            d2 = (scan[i, best + 1] - scan[i, best]) / (k_high - k_mid)
            curvature = (d2 - d1) / (k_high - k_low)
            if curvature < 0.0:
                slope0 = (d1 * (k_high - k_mid) + d2 * (k_mid - k_low)) / (k_high - k_low)
                peak_kick = min(max(k_mid - slope0 / (2.0 * curvature), k_low), k_high)
                peak_f = max(scan[i, best], scan[i, best] + slope0 * (peak_kick - k_mid)
                             + curvature * (peak_kick - k_mid) * (peak_kick - k_mid))
        if scan[i, best] < 0.0 or side == SIDE_REACH:
            # short of the aim, or the reach asked for: the peak itself, flown
            peak_kick, peak_f, peak_c, peak_d, n = peak(i, azimuth, full, peak_kick, width, along_tolerance, True, flights, vehicles,
                                                        drag, settings, earth, log_density, log_pressure, sound, out,
                                                        history, routes)
            flown += n
        sine = math.sin(route[A_AIM_ALONG])
        cross_slope = -sine if abs(sine) > 1e-3 else (-1e-3 if sine >= 0.0 else 1e-3)  # d(cross)/d(azimuth), sphere
        # the reach on the track (every route short of the peak on the bearing, and every reach asked for)
        if peak_f < 0.0 or side == SIDE_REACH:
            azimuth, peak_kick, peak_f, peak_c, peak_d, cross_slope, n = reach_on_track(
                i, azimuth, peak_kick, peak_f, peak_c, width, along_tolerance, side != SIDE_REACH, cross_slope, full,
                flights, vehicles, drag, settings, earth, log_density, log_pressure, sound, out, history, routes)
            flown += n
        result[i, U_AZIMUTH] = azimuth
        result[i, U_KICK] = peak_kick
        result[i, U_CUTOFF] = full
        result[i, U_PEAK_AZIMUTH] = azimuth
        result[i, U_PEAK_KICK] = peak_kick
        # the best flown point of the range over the kick (the peak where it was flown): brackets the branches
        top_kick, top_f = (peak_kick, peak_f) if flown > count_scan else (kick_at(best, count_scan), scan[i, best])
        if side == SIDE_REACH:
            result[i, U_STATUS] = AIM_REACH_MEASURED
            result[i, U_LIMIT] = peak_f + aim_m
            result[i, U_FLIGHTS] = flown
            return
        if peak_f <= -along_tolerance:
            refuse_beyond(i, result, peak_f + aim_m, azimuth, peak_kick, full, flown)
            return
        kick = peak_kick
        cutoff = full
        f, c, d = peak_f, peak_c, peak_d
        slope_t = (peak_f + aim_m) / max(full - earliest, 1e-3)  # mean rise of the range with the cut-off, m/s
        slope_k = 0.0
        me_kick = me_cutoff = me_f = me_c = me_d = me_measure = math.nan
        end_kick = end_cutoff = end_measure = math.nan
        minimum_energy_apogee = math.nan
        end_full = True  # whether the side's far end is a full burn (else the extreme kick, cut off early)
        best_miss = math.inf
        # a shape is measured against the route's own minimum-energy solution, solved first, on its own azimuth
        final_side = side
        final_measure = measure
        stages = 1 if measure == MEASURE_NONE else 2
        lowest_measure = math.nan  # the minimum-energy solution's shape measure
        lowest_apogee = math.nan  # ... and its apogee, m
        for stage in range(stages):
            side = final_side if stage == stages - 1 else SIDE_MINIMUM_ENERGY
            measure = final_measure if stage == stages - 1 else MEASURE_NONE
            previous_azimuth = math.nan
            previous_cross = math.nan
            settled = False
            stage_miss = math.inf  # this stage's nearest flight (m) and its steering: where a joint solve starts
            near_azimuth = near_kick = near_cutoff = math.nan
            for attempt in range(MAX_PASSES):
                warm = attempt > 0 or stage > 0
                # --- minimum energy: the earliest cut-off at which the range peak over the kick reaches the aim ---
                if side == SIDE_MINIMUM_ENERGY or measure != MEASURE_NONE:
                    ok = False
                    t = kk = math.nan
                    if warm:  # the kick stays (the range is flat in it there); the cut-off moves with the azimuth
                        ok, t, f, c, d, kk, n, edge, s = solve_root(
                            i, VARY_CUTOFF, 1.0, earliest, math.nan, full, math.nan, me_cutoff, slope_t, azimuth, me_kick,
                            width, along_tolerance, flights, vehicles, drag, settings, earth, log_density, log_pressure,
                            sound, out, history, routes)
                        flown += n
                        if ok and s > 0.0:
                            slope_t = s
                    if not ok:
                        if warm:
                            k_full, f_full, c_full, d_full, n = peak(i, azimuth, full, me_kick, width, along_tolerance, True, flights,
                                                                     vehicles, drag, settings, earth, log_density,
                                                                     log_pressure, sound, out, history, routes)
                            flown += n
                        else:
                            k_full, f_full, c_full, d_full = peak_kick, peak_f, peak_c, peak_d
                        if f_full <= -along_tolerance and warm and previous_azimuth == previous_azimuth:
                            # short after an azimuth step (the reach was judged on the bearing's track): take half of it
                            azimuth = halfway(previous_azimuth, azimuth)
                            continue
                        if f_full <= -along_tolerance:
                            refuse_beyond(i, result, f_full + aim_m, azimuth, k_full, full, flown)
                            return
                        if f_full < along_tolerance:
                            ok, t, f, c, d, kk = True, full, f_full, c_full, d_full, k_full
                        else:
                            # the range grows about as the cube of the burn past the earliest cut-off (steeply at the
                            # end, as the speed does): the first guess of the cut-off
                            guess = earliest + (full - earliest) * (aim_m / (aim_m + f_full)) ** (1.0 / 3.0)
                            guess = min(max(guess, earliest + 0.02 * (full - earliest)), full)
                            # the peak over the kick followed down to near the root, then the cut-off alone at that
                            # kick: the range is flat in the kick at its peak, so the kick's last error costs nothing
                            coarse = max(along_tolerance, PEAK_FRACTION * aim_m)
                            ok, t, f, c, d, kk, n, edge, s = solve_root(
                                i, VARY_CUTOFF_PEAK, 1.0, earliest, math.nan, full, f_full, guess, slope_t, azimuth,
                                k_full, width, coarse, flights, vehicles, drag, settings, earth, log_density,
                                log_pressure, sound, out, history, routes)
                            flown += n
                            if ok and s > 0.0:
                                slope_t = s
                            if ok and abs(c) * route[A_RADIUS] >= tolerance:
                                # the cross-track error is known now, near the solution's flight time: correct the
                                # azimuth before the cut-off is refined
                                previous_azimuth, previous_cross = azimuth, c
                                azimuth = turned(azimuth, -c / cross_slope)
                            if ok and abs(f) >= along_tolerance:
                                ok, t, f, c, d, kk, n, edge, s = solve_root(
                                    i, VARY_CUTOFF, 1.0, earliest, math.nan, full, math.nan, t, slope_t, azimuth, kk,
                                    width, along_tolerance, flights, vehicles, drag, settings, earth, log_density,
                                    log_pressure, sound, out, history, routes)
                                flown += n
                            if not ok:
                                # judge the reach here: the peak flown on this azimuth
                                k_full, f_full, c_full, d_full, n = peak(
                                    i, azimuth, full, kk if kk == kk else top_kick, width, along_tolerance, True,
                                    flights, vehicles, drag, settings, earth, log_density, log_pressure, sound, out,
                                    history, routes)
                                flown += n
                                if f_full <= -along_tolerance and previous_azimuth == previous_azimuth:
                                    # short after an azimuth step (the reach was judged on the bearing's track, where
                                    # the peak reached): the step went too far; take half of it, the pass again
                                    azimuth = halfway(previous_azimuth, azimuth)
                                    continue
                                if f_full <= -along_tolerance:
                                    refuse_beyond(i, result, f_full + aim_m, azimuth, k_full, full, flown)
                                    return
                                ok, t, f, c, d, kk, n, edge = minimum_energy_by_kick(
                                    i, azimuth, count_scan, k_full, 4.0 * width, earliest, full, slope_t, width,
                                    along_tolerance, flights, vehicles, drag, settings, earth, log_density, log_pressure,
                                    sound, out, history, routes, scan)
                                flown += n
                            if not ok and edge > 0.0 and kk == kk:
                                refuse(i, result, AIM_TOO_NEAR, edge + aim_m, azimuth, kk, earliest, flown)
                                return
                            if not ok:
                                break  # the joint solve, then the reach judged on the route's own track
                            if s > 0.0:
                                slope_t = s
                    me_kick, me_cutoff, me_f, me_c, me_d = kk, t, f, c, d
                    minimum_energy_apogee = out[i, O_APOGEE_ALTITUDE]
                    me_measure = measure_of(i, measure, out, earth)
                    kick, cutoff = kk, t
                # --- the side's far end: full burn on the steep (lofted) or flat (depressed) side of the peak ---
                if side != SIDE_MINIMUM_ENERGY:
                    sign = 1.0 if side == SIDE_LOFTED else -1.0
                    extreme = KICK_MIN_RAD if side == SIDE_LOFTED else KICK_MAX_RAD
                    ok = False
                    k_fb = math.nan
                    if end_full and warm and end_kick == end_kick:
                        # a secant from the last solution, inside the side's interval
                        ok, k_fb, f, c, d, _, n, edge, s = solve_root(
                            i, VARY_KICK, sign, KICK_MIN_RAD if side == SIDE_LOFTED else top_kick, math.nan,
                            top_kick if side == SIDE_LOFTED else KICK_MAX_RAD, math.nan, end_kick,
                            slope_k if slope_k > 0.0 else 1e7, azimuth, kick, width, along_tolerance, flights, vehicles,
                            drag, settings, earth, log_density, log_pressure, sound, out, history, routes)
                        flown += n
                    elif end_full and not warm and azimuth == route[A_BEARING]:
                        # the scan was flown on this azimuth: its first kick past the peak that falls short brackets
                        # the branch
                        beyond = scan[i, 0] if side == SIDE_LOFTED else scan[i, count_scan - 1]
                        if beyond >= 0.0:
                            end_full = False  # every full burn on this side lands beyond the aim
                            if measure == MEASURE_NONE:
                                refuse(i, result, AIM_NO_FULL_BURN, beyond + aim_m, azimuth, extreme, full, flown)
                                return
                        else:
                            lo = KICK_MIN_RAD if side == SIDE_LOFTED else top_kick
                            hi = top_kick if side == SIDE_LOFTED else KICK_MAX_RAD
                            f_lo = top_f if side == SIDE_LOFTED else -top_f
                            f_hi = top_f
                            if side == SIDE_LOFTED:
                                for j in range(best, -1, -1):
                                    k_j = kick_at(j, count_scan)
                                    if k_j >= top_kick:
                                        continue
                                    if scan[i, j] < 0.0:
                                        lo = k_j
                                        f_lo = scan[i, j]
                                        break
                                    hi = k_j
                                    f_hi = scan[i, j]
                            else:
                                for j in range(best, count_scan):
                                    k_j = kick_at(j, count_scan)
                                    if k_j <= top_kick:
                                        continue
                                    if scan[i, j] < 0.0:
                                        hi = k_j
                                        f_hi = -scan[i, j]
                                        break
                                    lo = k_j
                                    f_lo = -scan[i, j]
                            slope_k = (f_hi - f_lo) / (hi - lo)
                            ok, k_fb, f, c, d, _, n, edge, s = solve_root(
                                i, VARY_KICK, sign, lo, f_lo, hi, f_hi, 0.5 * (lo + hi), slope_k, azimuth, kick, width,
                                along_tolerance, flights, vehicles, drag, settings, earth, log_density, log_pressure,
                                sound, out, history, routes)
                            flown += n
                    if end_full and not ok:
                        # find the branch afresh on this azimuth
                        code, k_fb, f, c, d, n = branch_root(
                            i, side, azimuth, top_kick, count_scan, width, along_tolerance, full, flights, vehicles,
                            drag, settings, earth, log_density, log_pressure, sound, out, history, routes)
                        flown += n
                        ok = code == 0
                        if code == 2 and measure == MEASURE_NONE:
                            refuse(i, result, AIM_NO_FULL_BURN, f + aim_m, azimuth, k_fb, full, flown)
                            result[i, U_MISS] = d
                            return
                        if code != 0 and measure == MEASURE_NONE:
                            break  # the joint solve, then the reach judged on the route's own track
                        if code != 0:
                            end_full = False
                    if end_full:
                        end_kick, end_cutoff = k_fb, full
                    if not end_full:
                        end_kick = extreme
                        t_start = end_cutoff if end_cutoff == end_cutoff else me_cutoff
                        ok, t_end, f, c, d, _, n, edge, s = solve_root(
                            i, VARY_CUTOFF, 1.0, earliest, math.nan, full, math.nan, t_start, slope_t, azimuth, extreme,
                            width, along_tolerance, flights, vehicles, drag, settings, earth, log_density, log_pressure,
                            sound, out, history, routes)
                        flown += n
                        if not ok and edge <= 0.0:
                            # the extreme kick's full burn falls short on this azimuth: the side ends at a full burn
                            code, k_fb, f, c, d, n = branch_root(
                                i, side, azimuth, top_kick, count_scan, width, along_tolerance, full, flights, vehicles,
                                drag, settings, earth, log_density, log_pressure, sound, out, history, routes)
                            flown += n
                            if code != 0:
                                break  # the joint solve, then the reach judged on the route's own track
                            end_kick, t_end, end_full = k_fb, full, True
                        elif not ok:
                            refuse(i, result, AIM_TOO_NEAR, edge + aim_m, azimuth, extreme, earliest, flown)
                            return
                        end_cutoff = t_end
                    end_measure = measure_of(i, measure, out, earth)
                    kick, cutoff = end_kick, end_cutoff
                    if measure != MEASURE_NONE:
                        # --- shaped: the kick between the minimum-energy point and the far end where the measure is
                        # the target (regula falsi, Illinois), each value a cut-off root at that kick ---
                        target = route[A_TARGET]
                        if measure == MEASURE_APOGEE_RATIO:
                            target = route[A_TARGET] * lowest_apogee
                        shape_tolerance = SHAPE_TOLERANCE_ANGLE_RAD if measure == MEASURE_BURNOUT_ANGLE else SHAPE_TOLERANCE_APOGEE_M
                        # the span reported: from the route's own minimum-energy solution to the side's far end
                        if not (min(lowest_measure, end_measure) - shape_tolerance <= target
                                <= max(lowest_measure, end_measure) + shape_tolerance):
                            refuse(i, result, AIM_SHAPE_OUTSIDE, lowest_measure, azimuth, result[i, U_KICK], result[i, U_CUTOFF],
                                   flown)
                            result[i, U_LIMIT_HIGH] = end_measure
                            result[i, U_MINIMUM_ENERGY_APOGEE] = lowest_apogee
                            return
                        a_k, a_t, a_g = me_kick, me_cutoff, me_measure - target
                        b_k, b_t, b_g = end_kick, end_cutoff, end_measure - target
                        last_flown = True  # out[i] holds the far end's flight
                        g = b_g
                        if abs(a_g) < abs(b_g):
                            kick, cutoff, f, c, d, g = me_kick, me_cutoff, me_f, me_c, me_d, a_g
                            last_flown = False
                        retained = 0
                        for _ in range(MAX_ROOT_STEPS):
                            if abs(g) < shape_tolerance or a_g == b_g:
                                break
                            k_new = (a_k * b_g - b_k * a_g) / (b_g - a_g)
                            w = (k_new - a_k) / (b_k - a_k) if b_k != a_k else 0.5
                            if not (0.0 < w < 1.0):
                                k_new = 0.5 * (a_k + b_k)
                                w = 0.5
                            t_guess = min(max(a_t + w * (b_t - a_t), earliest), full)
                            ok, t_new, f_new, c_new, d_new, _, n, edge, s = solve_root(
                                i, VARY_CUTOFF, 1.0, earliest, math.nan, full, math.nan, t_guess, slope_t, azimuth, k_new,
                                width, along_tolerance, flights, vehicles, drag, settings, earth, log_density,
                                log_pressure, sound, out, history, routes)
                            flown += n
                            last_flown = True
                            if not ok:  # not expected between two points of the curve: keep the best found
                                last_flown = False
                                break
                            g_new = measure_of(i, measure, out, earth) - target
                            kick, cutoff, f, c, d, g = k_new, t_new, f_new, c_new, d_new, g_new
                            if (g_new < 0.0) == (a_g < 0.0):
                                if retained == -1:
                                    b_g *= 0.5
                                a_k, a_t, a_g = k_new, t_new, g_new
                                retained = -1
                            else:
                                if retained == 1:
                                    a_g *= 0.5
                                b_k, b_t, b_g = k_new, t_new, g_new
                                retained = 1
                        if not last_flown:
                            f, c, d = shoot(i, azimuth, kick, cutoff, flights, vehicles, drag, settings, earth,
                                            log_density, log_pressure, sound, out, history, routes)
                            flown += 1
                        result[i, U_MEASURE] = measure_of(i, measure, out, earth)
                # --- landed within the tolerance? otherwise correct the azimuth for the cross-track error ---
                if d < best_miss:
                    best_miss = d
                if d < stage_miss:
                    stage_miss, near_azimuth, near_kick, near_cutoff = d, azimuth, kick, cutoff
                if d < LANDING_FRACTION * tolerance and stage < stages - 1:
                    lowest_apogee = out[i, O_APOGEE_ALTITUDE]
                    lowest_measure = measure_of(i, final_measure, out, earth)
                    settled = True
                    break
                if d < LANDING_FRACTION * tolerance:
                    land(i, result, azimuth, kick, cutoff, d, flown)
                    result[i, U_MINIMUM_ENERGY_APOGEE] = lowest_apogee if stages > 1 else minimum_energy_apogee
                    return
                azimuth, previous_azimuth, previous_cross, cross_slope = corrected(azimuth, c, previous_azimuth,
                                                                                  previous_cross, cross_slope)
            if not settled and stage_miss < 1e29:
                # the azimuth and the range control, corrected one after the other, did not meet: solved together
                # from the nearest flight, the cut-off at its kick (where it was cut off early: minimum energy, a
                # shape, or the extreme kick) or the kick at full burn on the side's branch
                if near_cutoff < full or side == SIDE_MINIMUM_ENERGY:
                    vary, x, fixed, low, high = VARY_CUTOFF, near_cutoff, near_kick, earliest, full
                elif side == SIDE_LOFTED:
                    vary, x, fixed, low, high = VARY_KICK, near_kick, full, KICK_MIN_RAD, max(top_kick, near_kick)
                else:
                    vary, x, fixed, low, high = VARY_KICK, near_kick, full, min(top_kick, near_kick), KICK_MAX_RAD
                ok, a_j, x_j, f, c, d, n = joint_root(
                    i, vary, near_azimuth, x, fixed, low, high, tolerance, flights, vehicles, drag, settings, earth,
                    log_density, log_pressure, sound, out, history, routes)
                flown += n
                best_miss = min(best_miss, d)
                if ok and stage == stages - 1 and measure != MEASURE_NONE:
                    # the cut-off moved at the shape's kick: landed only where the shape still holds
                    shape_target = route[A_TARGET] * (lowest_apogee if measure == MEASURE_APOGEE_RATIO else 1.0)
                    shape_tolerance = (SHAPE_TOLERANCE_ANGLE_RAD if measure == MEASURE_BURNOUT_ANGLE
                                       else SHAPE_TOLERANCE_APOGEE_M)
                    ok = abs(measure_of(i, measure, out, earth) - shape_target) < shape_tolerance
                if ok:
                    azimuth = a_j
                    kick, cutoff = (fixed, x_j) if vary == VARY_CUTOFF else (x_j, fixed)
                    if stage < stages - 1:
                        me_kick, me_cutoff, me_f, me_c, me_d = kick, cutoff, f, c, d
                        lowest_apogee = out[i, O_APOGEE_ALTITUDE]
                        lowest_measure = measure_of(i, final_measure, out, earth)
                        settled = True
                    else:
                        if measure != MEASURE_NONE:
                            result[i, U_MEASURE] = measure_of(i, measure, out, earth)
                        land(i, result, azimuth, kick, cutoff, d, flown)
                        result[i, U_MINIMUM_ENERGY_APOGEE] = lowest_apogee if stages > 1 else out[i, O_APOGEE_ALTITUDE]
                        return
            if not settled:
                break
        # Not converged: judge the reach again, on the route's own track. Near orbital speed the range turns
        # sharply with the azimuth (a launch a degree east of the bearing gains the Earth's rotation), so the
        # scan on the bearing can see the aim within reach while every flight that comes down on the track
        # falls short: the peak turned onto the track says which.
        k_r, f_r, c_r, d_r, n = peak(i, azimuth, full, top_kick, width, along_tolerance, True, flights, vehicles, drag,
                                     settings, earth, log_density, log_pressure, sound, out, history, routes)
        flown += n
        az_r, k_r, f_r, c_r, d_r, _, n = reach_on_track(
            i, azimuth, k_r, f_r, c_r, width, along_tolerance, False, cross_slope, full, flights, vehicles, drag,
            settings, earth, log_density, log_pressure, sound, out, history, routes)
        flown += n
        if f_r <= -along_tolerance and abs(c_r) * route[A_RADIUS] < REJUDGE_CROSS_FRACTION * aim_m:
            refuse_beyond(i, result, f_r + aim_m, az_r, k_r, full, flown)
            return
        give_up(i, result, best_miss if best_miss < math.inf else d_r, flown)

    return types.SimpleNamespace(aim_one=aim_one, shoot=shoot)
