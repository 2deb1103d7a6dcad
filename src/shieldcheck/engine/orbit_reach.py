"""Compiled reach from orbit: which satellites of a constellation can put a kill vehicle on a boosting
missile in time, written once as scalar functions and compiled for the CPU and for CUDA.

The satellites fly circular orbits given by their *mean* elements (semi-major axis, inclination, node
and argument of latitude at the constellation's epoch), propagated with the secular J2 rates of the
node and of the argument of latitude and the first-order short-period J2 terms of a circular orbit
(Brouwer's theory as SGP4 writes it, Hoots and Roehrich 1980, Spacetrack Report 3, without drag and
with no zonal term but J2). The frame is the flights' inertial frame: ECI coincides with ECEF at the
constellation's epoch and the Earth turns about z (``earth.py``); a threat launched ``launch_s`` after
the epoch has its compact track in ECEF, turned into this ECI by the Earth's angle at the epoch time.

The carrier's interceptor is released ``release_s`` after the threat's launch (detection, decision and
launch delays) with the carrier's own velocity, and thrusts with constant acceleration delta_v / burn
along a fixed direction for its burn, then coasts. Gravity acts on the interceptor as on the carrier
(a uniform field: the gravity gradient across the fly-out is left out, see docs/model.md for its size),
so after a fly-out time tau the interceptor can be anywhere within the reach D(tau) of the point where
the carrier itself is then::

    D(tau) = 1/2 a tau^2            (tau <= burn, a = delta_v / burn)
           = delta_v (tau - burn/2)  (tau > burn)

A threat sample at time t (s after its launch) at distance d from the carrier's own position at t is
reached in time when D(t - release_s) >= d; its slack is ``t - release_s - tau(d)`` (s): the time by
which the release could have come later and still reach the point when the threat is there. The kill
vehicle's velocity there is the carrier's plus the full-burn fly-out's along the line (the latest
release that reaches the point: the same convention as the ground envelopes' earliest fly-out), and
the endgame limits of ``results.G_*`` are checked against the threat's velocity (closing speed,
crossing angle on the Earth-relative velocities, divert); operational range and a guiding radar do
not apply to a kill vehicle launched from orbit on the space layer's track.

Two compiled loops (here for the CPU, in ``orbit_reach_cuda.py`` for CUDA) share :func:`build`'s scalar
functions: every (launch, satellite) pair written out (``pair_batch``, for small cases and tests), and one
launch per loop iteration (CUDA thread) running
over the satellites and keeping per-launch summaries (``launch_batch``), where a satellite that
provably cannot come within ``horizon_s`` of in time is skipped before any sample is evaluated.
"""

from __future__ import annotations

import math
import types

import numba

from .cache import drop_stale
from .pack import E_A, E_F, E_OMEGA
from .results import (
    first_after as track_first_after,
    G_COS_MAX_CROSSING,
    G_DIVERT,
    G_MAX_CLOSING,
    G_MIN_CLOSING,
    G_ON,
    G_TIME_TO_GO,
    G_VELOCITY_ERROR,
    N_ENDGAME,
    REASON_CLOSING_FAST,
    REASON_CLOSING_SLOW,
    REASON_CROSSING,
    REASON_DIVERT,
    REASON_NONE,
    T_HEIGHT,
    T_NORMAL,
    T_TIME,
    T_VELOCITY,
    VERDICT_ENDGAME_INFEASIBLE,
    VERDICT_FEASIBLE,
    VERDICT_NEVER_DETECTED,
    VERDICT_TOO_LATE,
    verdict_of,
)

drop_stale(__file__)

# --- satellite rows: one per satellite (mean elements at the epoch and what the propagation needs) ---
K_A = 0  # mean semi-major axis, m
K_N = 1  # mean motion, rad/s (Kepler's third law from K_A)
K_INCLINATION = 2  # rad
K_RAAN = 3  # right ascension of the ascending node at the epoch, rad (ECI of the epoch)
K_U = 4  # mean argument of latitude at the epoch, rad
K_RAAN_RATE = 5  # secular J2 rate of the node, rad/s
K_U_RATE = 6  # secular rate of the argument of latitude (mean motion plus J2 terms), rad/s
K_GAMMA = 7  # J2 (R / a)^2
K_SPEED_BOUND = 8  # an upper bound on the satellite's inertial speed, m/s (for the pruning)
N_ELEMENT = 9

# --- the carrier row: its interceptor, the kill vehicle's floor, the endgame row ---------------------
C_DELTA_V = 0  # m/s
C_BURN = 1  # s
C_MIN_ALTITUDE = 2  # lowest intercept altitude of the kill vehicle, m
C_ENDGAME = 3  # 3 .. 3 + N_ENDGAME: the endgame row (results.G_*)
N_CARRIER = C_ENDGAME + N_ENDGAME

# --- launch rows: one per threat launch --------------------------------------------------------------
L_FLIGHT = 0  # row of the compact tracks
L_TIME = 1  # launch time, s after the constellation's epoch
L_RELEASE = 2  # interceptor release, s after the launch (inf: never detected)
L_WINDOW_END = 3  # last time a sample may be intercepted, s after the launch (burnout plus any ascent)
N_LAUNCH = 4

# --- results of one (launch, satellite) pair -----------------------------------------------------------
P_VERDICT = 0  # results.VERDICT_* (feasible, too_late, endgame_infeasible, out_of_altitude_band, never_detected)
P_MARGIN = 1  # s: best slack over usable samples (feasible, too late), over reached ones (endgame infeasible)
P_REASON = 2  # endgame_infeasible: the limit the best reached sample fails (results.REASON_*)
P_REASON_VALUE = 3  # ... and its value (m/s, deg)
P_EARLIEST = 4  # feasible: time of the earliest usable sample in time, s after the launch
P_ALTITUDE = 5  # ... its altitude, m
P_FLY_OUT = 6  # ... the fly-out time to it, s
P_DISTANCE = 7  # ... its distance from the carrier's own position then, m
P_CLOSING = 8  # ... the closing speed, m/s
P_CROSSING = 9  # ... the crossing angle, deg (0: head-on)
P_REACHED = 10  # 1 where some sample above the floor is reached in time whatever the endgame, else 0
P_USABLE = 11  # best slack over the samples the endgame allows, s (-inf: none)
N_PAIR = 12

# --- per-launch summaries --------------------------------------------------------------------------
S_ENGAGING = 0  # satellites that can engage (feasible)
S_REACHING = 1  # satellites that reach some sample in time, whatever the endgame
S_BEST_MARGIN = 2  # best usable slack over the satellites (s), exact down to -horizon_s; -inf below it or where none
S_BEST_SATELLITE = 3  # its satellite (-1: none)
S_EARLIEST = 4  # earliest usable intercept in time over the satellites, s after the launch (inf: none)
S_EVALUATED = 5  # satellites not skipped by the pruning bound
S_DETECTED = 6  # 1 where the launch is detected in time to release (L_RELEASE finite), else 0
N_SUMMARY = 7

PRUNE_SLACK_M = 1.0  # added to the pruning bound: its rounding


def build(jit):
    """The compiled scalar functions of reach from orbit for the target of ``jit``."""
    choose_verdict = jit(verdict_of)
    first_after = jit(track_first_after)

    @jit
    def satellite_state(elements, k, time_s):
        """ECI position (m) and velocity (m/s) of satellite k at ``time_s`` after the epoch: secular J2 rates
        of the node and the argument of latitude, and the first-order short-period J2 terms of a circular
        orbit (Hoots and Roehrich 1980, SGP4 with e = 0, no drag, J2 only)."""
        a = elements[k, K_A]
        n = elements[k, K_N]
        gamma = elements[k, K_GAMMA]
        inclination = elements[k, K_INCLINATION]
        raan = elements[k, K_RAAN] + elements[k, K_RAAN_RATE] * time_s
        u = elements[k, K_U] + elements[k, K_U_RATE] * time_s
        c = math.cos(inclination)
        s = math.sin(inclination)
        theta2 = c * c
        s2u = math.sin(2.0 * u)
        c2u = math.cos(2.0 * u)
        radius = a * (1.0 - 0.75 * gamma * (3.0 * theta2 - 1.0)) + 0.25 * gamma * a * (1.0 - theta2) * c2u
        uk = u - 0.125 * gamma * (7.0 * theta2 - 1.0) * s2u
        raan_k = raan + 0.75 * gamma * c * s2u
        inclination_k = inclination + 0.75 * gamma * c * s * c2u
        radial_rate = -0.5 * gamma * n * a * (1.0 - theta2) * s2u
        transverse = n * a + 0.5 * gamma * n * a * ((1.0 - theta2) * c2u + 1.5 * (3.0 * theta2 - 1.0))
        su = math.sin(uk)
        cu = math.cos(uk)
        sn = math.sin(raan_k)
        cn = math.cos(raan_k)
        si = math.sin(inclination_k)
        ci = math.cos(inclination_k)
        mx = -sn * ci
        my = cn * ci
        ux = mx * su + cn * cu
        uy = my * su + sn * cu
        uz = si * su
        vx = mx * cu - cn * su
        vy = my * cu - sn * su
        vz = si * cu
        return (radius * ux, radius * uy, radius * uz, radial_rate * ux + transverse * vx,
                radial_rate * uy + transverse * vy, radial_rate * uz + transverse * vz)

    @jit
    def reach_time(distance_m, delta_v, burn_s):
        """Fly-out time (s) to cover ``distance_m`` from the carrier's free-fall position: constant acceleration
        delta_v / burn_s for the burn, then coasting at delta_v."""
        if distance_m <= 0.5 * delta_v * burn_s:
            return math.sqrt(2.0 * distance_m * burn_s / delta_v)
        return distance_m / delta_v + 0.5 * burn_s

    @jit
    def reach_distance(fly_out_s, delta_v, burn_s):
        """Reach D (m) after a fly-out of ``fly_out_s``: the inverse of :func:`reach_time` (0 before release)."""
        if fly_out_s <= 0.0:
            return 0.0
        if fly_out_s <= burn_s:
            return 0.5 * delta_v / burn_s * fly_out_s * fly_out_s
        return delta_v * (fly_out_s - 0.5 * burn_s)

    @jit
    def sample_eci(tracks, flight, s, epoch_time_s, earth):
        """Sample s of a compact track at ``epoch_time_s`` after the constellation's epoch, in its ECI frame:
        position (m), inertial velocity and Earth-relative velocity (m/s)."""
        a = earth[E_A]
        f = earth[E_F]
        omega = earth[E_OMEGA]
        e2 = f * (2.0 - f)
        nx = tracks[flight, s, T_NORMAL]
        ny = tracks[flight, s, T_NORMAL + 1]
        sl = tracks[flight, s, T_NORMAL + 2]
        height = tracks[flight, s, T_HEIGHT]
        normal = a / math.sqrt(1.0 - e2 * sl * sl)
        x = (normal + height) * nx
        y = (normal + height) * ny
        z = (normal * (1.0 - e2) + height) * sl
        theta = omega * epoch_time_s
        c = math.cos(theta)
        sn = math.sin(theta)
        # ECEF = R_z(theta) ECI, so ECI = R_z(-theta) ECEF
        px = c * x - sn * y
        py = sn * x + c * y
        wx = tracks[flight, s, T_VELOCITY]
        wy = tracks[flight, s, T_VELOCITY + 1]
        wz = tracks[flight, s, T_VELOCITY + 2]
        rx = c * wx - sn * wy
        ry = sn * wx + c * wy
        return px, py, z, rx - omega * py, ry + omega * px, wz, rx, ry, wz

    @jit
    def endgame_at(px, py, dx, dy, dz, distance, fly_out, svx, svy, svz, tvx, tvy, tvz, rvx, rvy, rvz, carrier, omega):
        """(reason, value, closing m/s, crossing deg) of the kill vehicle arriving along (dx, dy, dz) (length
        ``distance``) after ``fly_out`` s from a carrier moving at (svx, svy, svz), against a threat of inertial
        velocity (tvx, tvy, tvz) and Earth-relative velocity (rvx, rvy, rvz); REASON_NONE where it passes."""
        delta_v = carrier[C_DELTA_V]
        burn = carrier[C_BURN]
        speed = delta_v * min(fly_out / burn, 1.0)
        ix = svx
        iy = svy
        iz = svz
        if distance > 0.0:
            ix += speed * dx / distance
            iy += speed * dy / distance
            iz += speed * dz / distance
        closing = math.sqrt((tvx - ix) ** 2 + (tvy - iy) ** 2 + (tvz - iz) ** 2)
        # crossing angle on the Earth-relative velocities, as endgame.py measures it (0: head-on)
        jx = ix + omega * py
        jy = iy - omega * px
        jz = iz
        norms = math.sqrt(jx * jx + jy * jy + jz * jz) * math.sqrt(rvx * rvx + rvy * rvy + rvz * rvz)
        cos_crossing = -(jx * rvx + jy * rvy + jz * rvz) / norms if norms > 0.0 else 1.0
        cos_crossing = min(max(cos_crossing, -1.0), 1.0)
        crossing = math.degrees(math.acos(cos_crossing))
        g = C_ENDGAME
        if carrier[g + G_ON] == 0.0:
            return REASON_NONE, 0.0, closing, crossing
        if cos_crossing < carrier[g + G_COS_MAX_CROSSING]:
            return REASON_CROSSING, crossing, closing, crossing
        if closing < carrier[g + G_MIN_CLOSING]:
            return REASON_CLOSING_SLOW, closing, closing, crossing
        if closing > carrier[g + G_MAX_CLOSING]:
            return REASON_CLOSING_FAST, closing, closing, crossing
        divert = carrier[g + G_VELOCITY_ERROR] * fly_out / carrier[g + G_TIME_TO_GO]
        if divert > carrier[g + G_DIVERT]:
            return REASON_DIVERT, divert, closing, crossing
        return REASON_NONE, 0.0, closing, crossing

    @jit
    def window(tracks, counts, launches, i):
        """The samples [lo, hi) of launch i after its release and up to its window's end."""
        flight = int(launches[i, L_FLIGHT])
        count = int(counts[flight])
        hi = first_after(tracks, flight, count, launches[i, L_WINDOW_END])
        lo = first_after(tracks, flight, hi, launches[i, L_RELEASE])
        return flight, lo, hi

    @jit
    def evaluate_pair(i, k, tracks, counts, launches, elements, carrier, earth):
        """Verdict and numbers (``P_*`` order, as a tuple) of launch i against satellite k: every sample of
        the window above the kill vehicle's floor is evaluated (slack, endgame); the verdict is
        ``results.verdict_of`` of the best reached and best usable slacks."""
        release = launches[i, L_RELEASE]
        window_end = launches[i, L_WINDOW_END]
        if release == math.inf:
            return (float(VERDICT_NEVER_DETECTED), -math.inf, 0.0, 0.0, math.inf, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
                    -math.inf)
        if release >= window_end:  # released after the window closed: late by the difference
            return (float(VERDICT_TOO_LATE), window_end - release, 0.0, 0.0, math.inf, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
                    window_end - release)
        flight, lo, hi = window(tracks, counts, launches, i)
        t0 = launches[i, L_TIME]
        delta_v = carrier[C_DELTA_V]
        burn = carrier[C_BURN]
        floor = carrier[C_MIN_ALTITUDE]
        omega = earth[E_OMEGA]
        in_band = False
        best_reached = -math.inf
        best_usable = -math.inf
        reason = REASON_NONE
        reason_value = 0.0
        earliest = math.inf
        altitude_at = 0.0
        fly_out_at = 0.0
        distance_at = 0.0
        closing_at = 0.0
        crossing_at = 0.0
        for s in range(lo, hi):
            altitude = tracks[flight, s, T_HEIGHT]
            if altitude < floor:
                continue
            in_band = True
            t = tracks[flight, s, T_TIME]
            px, py, pz, tvx, tvy, tvz, rvx, rvy, rvz = sample_eci(tracks, flight, s, t0 + t, earth)
            sx, sy, sz, svx, svy, svz = satellite_state(elements, k, t0 + t)
            dx = px - sx
            dy = py - sy
            dz = pz - sz
            distance = math.sqrt(dx * dx + dy * dy + dz * dz)
            fly_out = reach_time(distance, delta_v, burn)
            slack = (t - release) - fly_out
            why, value, closing, crossing = endgame_at(px, py, dx, dy, dz, distance, fly_out, svx, svy, svz, tvx, tvy,
                                                       tvz, rvx, rvy, rvz, carrier, omega)
            if slack > best_reached:
                best_reached = slack
                reason = why
                reason_value = value
            if why != REASON_NONE:
                continue
            if slack > best_usable:
                best_usable = slack
            if slack >= 0.0 and earliest == math.inf:
                earliest = t
                altitude_at = altitude
                fly_out_at = fly_out
                distance_at = distance
                closing_at = closing
                crossing_at = crossing
        verdict = choose_verdict(True, in_band, best_reached, best_usable, True)
        if verdict == VERDICT_FEASIBLE or verdict == VERDICT_TOO_LATE:
            margin = best_usable
            reason = REASON_NONE
            reason_value = 0.0
        elif verdict == VERDICT_ENDGAME_INFEASIBLE:
            margin = best_reached  # the best slack the endgame removed
        else:
            margin = -math.inf
        return (float(verdict), margin, float(reason), reason_value, earliest, altitude_at, fly_out_at, distance_at,
                closing_at, crossing_at, 1.0 if best_reached >= 0.0 else 0.0, best_usable)

    @jit
    def launch_bounds(i, tracks, counts, launches, carrier, earth):
        """Centre (ECI, m) and radius (m) of a ball holding every window sample of launch i above the floor, the
        middle of their times and half their span (s); radius -1 where no sample is in the window."""
        flight, lo, hi = window(tracks, counts, launches, i)
        t0 = launches[i, L_TIME]
        floor = carrier[C_MIN_ALTITUDE]
        cx = 0.0
        cy = 0.0
        cz = 0.0
        used = 0
        first = math.inf
        last = -math.inf
        for s in range(lo, hi):
            if tracks[flight, s, T_HEIGHT] < floor:
                continue
            t = tracks[flight, s, T_TIME]
            px, py, pz, a1, a2, a3, b1, b2, b3 = sample_eci(tracks, flight, s, t0 + t, earth)
            cx += px
            cy += py
            cz += pz
            used += 1
            first = min(first, t)
            last = max(last, t)
        if used == 0:
            return 0.0, 0.0, 0.0, -1.0, 0.0, 0.0
        cx /= used
        cy /= used
        cz /= used
        radius = 0.0
        for s in range(lo, hi):
            if tracks[flight, s, T_HEIGHT] < floor:
                continue
            t = tracks[flight, s, T_TIME]
            px, py, pz, a1, a2, a3, b1, b2, b3 = sample_eci(tracks, flight, s, t0 + t, earth)
            radius = max(radius, math.sqrt((px - cx) ** 2 + (py - cy) ** 2 + (pz - cz) ** 2))
        return cx, cy, cz, radius, 0.5 * (first + last), 0.5 * (last - first)

    @jit
    def cannot_come_close(k, cx, cy, cz, radius, middle_s, half_span_s, reach_m, t0, elements):
        """True when satellite k provably stays farther from every window sample than ``reach_m``: its distance
        from the samples' ball at the middle time, less the ball's radius and the most it can move in half
        the span, exceeds the reach."""
        sx, sy, sz, a1, a2, a3 = satellite_state(elements, k, t0 + middle_s)
        gap = math.sqrt((sx - cx) ** 2 + (sy - cy) ** 2 + (sz - cz) ** 2)
        return gap - radius - elements[k, K_SPEED_BOUND] * half_span_s > reach_m + PRUNE_SLACK_M

    @jit
    def summarise_launch(i, tracks, counts, launches, elements, carrier, earth, horizon_s, summary, listed,
                         listed_margin):
        """Row i of the per-launch summaries (``S_*``) and its list of engaging satellites (the first
        ``listed.shape[1]`` by index, with their margins), over every satellite; those that provably cannot come
        within ``horizon_s`` of in time are skipped before their samples."""
        n_sat = elements.shape[0]
        engaging = 0
        reaching = 0
        best = -math.inf
        best_k = -1
        earliest = math.inf
        evaluated = 0
        capacity = listed.shape[1]
        for j in range(capacity):
            listed[i, j] = -1
            listed_margin[i, j] = -math.inf
        release = launches[i, L_RELEASE]
        summary[i, S_DETECTED] = 0.0 if release == math.inf else 1.0
        if release != math.inf and release < launches[i, L_WINDOW_END]:
            cx, cy, cz, radius, middle_s, half_span_s = launch_bounds(i, tracks, counts, launches, carrier, earth)
            if radius >= 0.0:
                last_s = middle_s + half_span_s
                reach_m = reach_distance(last_s - release + horizon_s, carrier[C_DELTA_V], carrier[C_BURN])
                for k in range(n_sat):
                    if cannot_come_close(k, cx, cy, cz, radius, middle_s, half_span_s, reach_m, launches[i, L_TIME],
                                         elements):
                        continue
                    evaluated += 1
                    result = evaluate_pair(i, k, tracks, counts, launches, elements, carrier, earth)
                    usable = result[P_USABLE]
                    if result[P_REACHED] > 0.0:
                        reaching += 1
                    if int(result[P_VERDICT]) == VERDICT_FEASIBLE:
                        if engaging < capacity:
                            listed[i, engaging] = k
                            listed_margin[i, engaging] = usable
                        engaging += 1
                        earliest = min(earliest, result[P_EARLIEST])
                    if usable > best and usable >= -horizon_s:
                        best = usable
                        best_k = k
        summary[i, S_ENGAGING] = engaging
        summary[i, S_REACHING] = reaching
        summary[i, S_BEST_MARGIN] = best
        summary[i, S_BEST_SATELLITE] = best_k
        summary[i, S_EARLIEST] = earliest
        summary[i, S_EVALUATED] = evaluated

    return types.SimpleNamespace(satellite_state=satellite_state, reach_time=reach_time,
                                 reach_distance=reach_distance, sample_eci=sample_eci, evaluate_pair=evaluate_pair,
                                 summarise_launch=summarise_launch)


_cpu = build(numba.njit(cache=True, error_model="numpy"))
_evaluate_pair = _cpu.evaluate_pair
_summarise_launch = _cpu.summarise_launch
_satellite_state = _cpu.satellite_state


@numba.njit(parallel=True, cache=True, error_model="numpy")
def pair_batch(tracks, counts, launches, elements, carrier, earth, out):
    """Every (launch, satellite) pair: ``out[i, k]`` (``P_*``), one launch per loop iteration (no pruning)."""
    n_sat = elements.shape[0]
    for i in numba.prange(launches.shape[0]):
        for k in range(n_sat):
            result = _evaluate_pair(i, k, tracks, counts, launches, elements, carrier, earth)
            for c in range(N_PAIR):
                out[i, k, c] = result[c]


@numba.njit(parallel=True, cache=True, error_model="numpy")
def launch_batch(tracks, counts, launches, elements, carrier, earth, horizon_s, summary, listed, listed_margin):
    """Per-launch summaries over every satellite (``S_*``) and the engaging satellites' list, one launch per loop
    iteration; satellites that cannot come within ``horizon_s`` of in time are skipped (see the module's text)."""
    for i in numba.prange(launches.shape[0]):
        _summarise_launch(i, tracks, counts, launches, elements, carrier, earth, horizon_s, summary, listed,
                          listed_margin)


@numba.njit(parallel=True, cache=True, error_model="numpy")
def state_batch(elements, time_s, out):
    """ECI states (m, m/s) of every satellite at every time: ``out[k, j, 0:6]``."""
    for k in numba.prange(elements.shape[0]):
        for j in range(time_s.shape[0]):
            state = _satellite_state(elements, k, time_s[j])
            for c in range(6):
                out[k, j, c] = state[c]
