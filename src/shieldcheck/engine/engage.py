"""Compiled engagement evaluation: every (threat flight, interceptor site) pair of a batch.

The scalar functions of one pair are written once in :func:`build` (like ``physics.py``) and
compiled for the CPU, with a parallel loop over pairs, and for CUDA (``cuda.py``). They read
compact tracks (time, geodetic latitude, longitude, height and surface normal per sample), each
pair's interceptor launch time (from the cue: ``engagement.cue_times``), the interceptor's reach
envelopes packed as one array, and the sites' sector rasters, and reproduce
``engagement.engage``: the same samples, the same geodesic (Vincenty's inverse formula here,
Karney's there: they agree to well under a millimetre away from antipodal points), the same
azimuth bins and bilinear envelope lookup, the same verdicts. Samples that provably cannot change
the result are skipped before their geodesic (see ``evaluate_pair``).
"""

from __future__ import annotations

import math

import numba

from . import physics
from .cache import drop_stale
from . import sensing
from .pack import E_A, E_F
from .results import (
    G_COS_MAX_CROSSING,
    G_DIVERT,
    G_MAX_CLOSING,
    G_MAX_RANGE,
    G_MIN_CLOSING,
    G_ON,
    G_TIME_TO_GO,
    G_VELOCITY_ERROR,
    R_CLOSING,
    R_CROSSING,
    R_DIVERT,
    R_EARLIEST,
    R_FIRST_INDEX,
    R_LATEST,
    R_MARGIN,
    R_MAX_ALTITUDE,
    R_MIN_ALTITUDE,
    R_REASON,
    R_REASON_VALUE,
    R_VERDICT,
    REASON_CLOSING_FAST,
    REASON_CLOSING_SLOW,
    REASON_CROSSING,
    REASON_DIVERT,
    REASON_NO_TRACK,
    REASON_NONE,
    REASON_RANGE,
    T_HEIGHT,
    T_LATITUDE,
    T_LONGITUDE,
    T_NORMAL,
    T_TIME,
    T_VELOCITY,
    VERDICT_BEYOND_SECTOR,
    VERDICT_ENDGAME_INFEASIBLE,
    VERDICT_FEASIBLE,
    VERDICT_NEVER_DETECTED,
    VERDICT_OUT_OF_ALTITUDE_BAND,
    VERDICT_OUT_OF_RANGE,
    VERDICT_TOO_LATE,
)

drop_stale(__file__)


def build(jit):
    """Return the compiled ``evaluate_pair`` for the target of ``jit``."""
    radar_sees = sensing.build(jit)[0]

    @jit
    def geodesic(lat1, lon1, lat2, lon2, a, f):
        """Distance (m), forward azimuth at the start and azimuth at the end (rad) on the ellipsoid:
        Vincenty's inverse (1975)."""
        b = a * (1.0 - f)
        u1 = math.atan((1.0 - f) * math.tan(lat1))
        u2 = math.atan((1.0 - f) * math.tan(lat2))
        su1, cu1, su2, cu2 = math.sin(u1), math.cos(u1), math.sin(u2), math.cos(u2)
        big_l = lon2 - lon1
        lam = big_l
        sin_sigma = cos_sigma = sigma = cos2_alpha = cos_2sm = 0.0
        for _ in range(200):
            sl, cl = math.sin(lam), math.cos(lam)
            sin_sigma = math.sqrt((cu2 * sl) ** 2 + (cu1 * su2 - su1 * cu2 * cl) ** 2)
            if sin_sigma == 0.0:
                return 0.0, 0.0, 0.0
            cos_sigma = su1 * su2 + cu1 * cu2 * cl
            sigma = math.atan2(sin_sigma, cos_sigma)
            sin_alpha = cu1 * cu2 * sl / sin_sigma
            cos2_alpha = 1.0 - sin_alpha * sin_alpha
            cos_2sm = cos_sigma - 2.0 * su1 * su2 / cos2_alpha if cos2_alpha != 0.0 else 0.0
            c = f / 16.0 * cos2_alpha * (4.0 + f * (4.0 - 3.0 * cos2_alpha))
            previous = lam
            lam = big_l + (1.0 - c) * f * sin_alpha * (
                sigma + c * sin_sigma * (cos_2sm + c * cos_sigma * (-1.0 + 2.0 * cos_2sm * cos_2sm)))
            if abs(lam - previous) < 1e-13:
                break
        u2_ = cos2_alpha * (a * a - b * b) / (b * b)
        big_a = 1.0 + u2_ / 16384.0 * (4096.0 + u2_ * (-768.0 + u2_ * (320.0 - 175.0 * u2_)))
        big_b = u2_ / 1024.0 * (256.0 + u2_ * (-128.0 + u2_ * (74.0 - 47.0 * u2_)))
        delta = big_b * sin_sigma * (cos_2sm + big_b / 4.0 * (
            cos_sigma * (-1.0 + 2.0 * cos_2sm * cos_2sm)
            - big_b / 6.0 * cos_2sm * (-3.0 + 4.0 * sin_sigma * sin_sigma) * (-3.0 + 4.0 * cos_2sm * cos_2sm)))
        distance = b * big_a * (sigma - delta)
        sl, cl = math.sin(lam), math.cos(lam)
        azimuth = math.atan2(cu2 * sl, cu1 * su2 - su1 * cu2 * cl)
        azimuth_end = math.atan2(cu1 * sl, -su1 * cu2 + cu1 * su2 * cl)
        return distance, azimuth, azimuth_end

    @jit
    def arrival(grids, velocities, e, ground_m, altitude_m, range_step_m, altitude_step_m):
        """Bilinear earliest arrival (s) in envelope e over its reachable corners (inf outside), and the
        arriving fly-out's velocity there (ground-range and vertical rates, m/s), with the same weights."""
        nx = grids.shape[1]
        ny = grids.shape[2]
        x = ground_m / range_step_m
        y = altitude_m / altitude_step_m
        if x < 0.0 or y < 0.0 or x > nx - 1 or y > ny - 1:
            return math.inf, 0.0, 0.0
        i = min(int(x), nx - 2)
        j = min(int(y), ny - 2)
        u = min(max(x - i, 0.0), 1.0)
        v = min(max(y - j, 0.0), 1.0)
        total = 0.0
        along = 0.0
        climb = 0.0
        weight = 0.0
        for di in range(2):
            for dj in range(2):
                w = (u if di == 1 else 1.0 - u) * (v if dj == 1 else 1.0 - v)
                corner = grids[e, i + di, j + dj]
                if corner < math.inf:
                    total += w * corner
                    along += w * velocities[e, i + di, j + dj, 0]
                    climb += w * velocities[e, i + di, j + dj, 1]
                    weight += w
        if weight > 0.0:
            return total / weight, along / weight, climb / weight
        return math.inf, 0.0, 0.0

    @jit
    def endgame_at(flight, s, site, tracks, arrival_s, along, climb, azimuth_end, ground_m, endgame, guides,
                   site_guides, a, f):
        """(reason, deciding value, closing speed m/s, crossing angle deg, divert needed m/s) of the
        kill vehicle at sample s (``endgame.check_point`` is the reference)."""
        lat = tracks[flight, s, T_LATITUDE]
        lon = tracks[flight, s, T_LONGITUDE]
        sl, cl, so, co = math.sin(lat), math.cos(lat), math.sin(lon), math.cos(lon)
        # the kill vehicle's Earth-relative velocity: along its geodesic from the site, and up
        ca, sa = math.cos(azimuth_end), math.sin(azimuth_end)
        hx = ca * (-sl * co) + sa * (-so)
        hy = ca * (-sl * so) + sa * co
        hz = ca * cl
        ix = along * hx + climb * tracks[flight, s, T_NORMAL]
        iy = along * hy + climb * tracks[flight, s, T_NORMAL + 1]
        iz = along * hz + climb * tracks[flight, s, T_NORMAL + 2]
        vx = tracks[flight, s, T_VELOCITY]
        vy = tracks[flight, s, T_VELOCITY + 1]
        vz = tracks[flight, s, T_VELOCITY + 2]
        closing = math.sqrt((vx - ix) ** 2 + (vy - iy) ** 2 + (vz - iz) ** 2)
        norms = math.sqrt(vx * vx + vy * vy + vz * vz) * math.sqrt(ix * ix + iy * iy + iz * iz)
        cos_crossing = -(vx * ix + vy * iy + vz * iz) / norms if norms > 0.0 else 1.0
        cos_crossing = min(max(cos_crossing, -1.0), 1.0)
        crossing = math.degrees(math.acos(cos_crossing))
        divert = endgame[G_VELOCITY_ERROR] * arrival_s / endgame[G_TIME_TO_GO] if endgame[G_ON] > 0.0 else 0.0
        if endgame[G_ON] == 0.0:
            return REASON_NONE, 0.0, closing, crossing, divert
        if ground_m > endgame[G_MAX_RANGE]:
            return REASON_RANGE, ground_m, closing, crossing, divert
        count = int(site_guides[site, 1])
        if count > 0:
            e2 = f * (2.0 - f)
            height = tracks[flight, s, T_HEIGHT]
            normal = a / math.sqrt(1.0 - e2 * sl * sl)
            x = (normal + height) * tracks[flight, s, T_NORMAL]
            y = (normal + height) * tracks[flight, s, T_NORMAL + 1]
            z = (normal * (1.0 - e2) + height) * sl
            seen = False
            for r in range(int(site_guides[site, 0]), int(site_guides[site, 0]) + count):
                if radar_sees(x, y, z, guides, r, a, a * (1.0 - f)):
                    seen = True
                    break
            if not seen:
                return REASON_NO_TRACK, 0.0, closing, crossing, divert
        if cos_crossing < endgame[G_COS_MAX_CROSSING]:
            return REASON_CROSSING, crossing, closing, crossing, divert
        if closing < endgame[G_MIN_CLOSING]:
            return REASON_CLOSING_SLOW, closing, closing, crossing, divert
        if closing > endgame[G_MAX_CLOSING]:
            return REASON_CLOSING_FAST, closing, closing, crossing, divert
        if divert > endgame[G_DIVERT]:
            return REASON_DIVERT, divert, closing, crossing, divert
        return REASON_NONE, 0.0, closing, crossing, divert

    @jit
    def evaluate_pair(k, flight, site, tracks, counts, sites, envelope_index, grids, velocities, site_min, masks,
                      launch_s, band, steps, earth, endgame, guides, site_guides, out):
        """Verdict, margin, window and endgame of one pair; writes row k of ``out``.

        A sample is *usable* when the interceptor reaches it (at any time) and its kill vehicle's
        endgame holds there (``endgame_at``; always, with the endgame off). Verdicts: no sample in
        the altitude band after the launch; none reachable; none usable (endgame_infeasible, with
        the limit that the reachable sample of best slack fails); usable but late (too_late, margin
        over usable samples); in time only outside the sector; feasible.

        A sample is skipped before its geodesic when a lower bound on the interceptor's arrival
        shows that it can neither be feasible nor raise the margin, so the results are those of
        evaluating every sample. The bound is the earliest arrival over the site's azimuth bins
        (``site_min``) in the range cells the geodesic can fall in: it lies between the angle
        between the surface normals times the smallest and the largest radius of curvature,
        a (1 - e^2) and a / sqrt(1 - e^2) (checked against Karney's geodesics in the tests). A first
        pass evaluates the sample with the best rough bound, so that the margin is known early.
        """
        for j in range(out.shape[1]):
            out[k, j] = 0.0
        out[k, R_FIRST_INDEX] = -1.0
        if launch_s == math.inf:
            out[k, R_VERDICT] = VERDICT_NEVER_DETECTED
            return
        a = earth[E_A]
        f = earth[E_F]
        low = band[0]
        high = band[1]
        sector = int(sites[site, 2])
        mask_step = steps[2]
        e2 = f * (2.0 - f)
        r_min = a * (1.0 - e2)
        r_max = a / math.sqrt(1.0 - e2) * (1.0 + 1e-5)
        nx = grids.shape[1]
        ny = grids.shape[2]
        bins = envelope_index.shape[1]
        cos_reach = math.cos(min((nx - 1) * steps[0] / r_min, math.pi))
        nx_s = math.cos(sites[site, 0]) * math.cos(sites[site, 1])
        ny_s = math.cos(sites[site, 0]) * math.sin(sites[site, 1])
        nz_s = math.sin(sites[site, 0])
        count = int(counts[flight])
        # the first sample after the interceptor's launch (samples are in time order)
        lo = 0
        hi = count
        while lo < hi:
            mid = (lo + hi) // 2
            if tracks[flight, mid, T_TIME] <= launch_s:
                lo = mid + 1
            else:
                hi = mid
        best = -math.inf  # slack over every usable sample
        best_in = -math.inf  # over the usable samples above the site's sector
        best_any = -math.inf  # over every reachable sample: the one whose endgame decides endgame_infeasible
        reason = 0
        reason_value = 0.0
        reachable = 0
        usable = 0
        first = -1
        last = -1
        min_altitude = math.inf
        max_altitude = -math.inf
        candidates = 0
        # two passes: the first evaluates only the candidate with the best rough bound (range from the
        # chord of the normals), so that the pruning of the second starts from a known margin
        top = -1
        top_upper = -math.inf
        for s in range(lo, count):
            altitude = tracks[flight, s, T_HEIGHT]
            if altitude < low or altitude > high:
                continue
            cosine = nx_s * tracks[flight, s, T_NORMAL] + ny_s * tracks[flight, s, T_NORMAL + 1] + nz_s * tracks[flight, s, T_NORMAL + 2]
            if cosine < cos_reach:
                continue
            i = min(int(math.sqrt(max(2.0 - 2.0 * cosine, 0.0)) * a / steps[0]), nx - 1)
            upper = (tracks[flight, s, T_TIME] - launch_s) - site_min[site, i, min(int(altitude / steps[1]), ny - 1)]
            if upper > top_upper:
                top_upper = upper
                top = s
        for rounds in range(2):
            start = top if rounds == 0 else lo
            stop = (top + 1 if top >= 0 else top) if rounds == 0 else count
            for s in range(start, stop):
                t = tracks[flight, s, T_TIME]
                altitude = tracks[flight, s, T_HEIGHT]
                if altitude < low or altitude > high:
                    continue
                if rounds == 1:
                    candidates += 1
                    if s == top:
                        continue  # done in the first round
                cosine = nx_s * tracks[flight, s, T_NORMAL] + ny_s * tracks[flight, s, T_NORMAL + 1] + nz_s * tracks[flight, s, T_NORMAL + 2]
                if cosine < cos_reach:
                    continue
                angle = math.acos(min(cosine, 1.0))
                i_low = min(int(max(angle * r_min - 1.0, 0.0) / steps[0]), nx - 2)
                i_high = min(int((angle * r_max + 1.0) / steps[0]) + 1, nx - 1)
                j_row = min(int(altitude / steps[1]), ny - 2)
                bound = math.inf
                for i in range(i_low, i_high + 1):
                    bound = min(bound, site_min[site, i, j_row], site_min[site, i, j_row + 1])
                upper = (t - launch_s) - bound
                if upper == -math.inf or (upper < 0.0 and upper <= best and upper <= best_any):
                    continue
                distance, azimuth, azimuth_end = geodesic(sites[site, 0], sites[site, 1], tracks[flight, s, T_LATITUDE],
                                                          tracks[flight, s, T_LONGITUDE], a, f)
                b = int(round((math.degrees(azimuth) % 360.0) / (360.0 / bins))) % bins
                arrival_s, along, climb = arrival(grids, velocities, envelope_index[site, b], distance, altitude,
                                                  steps[0], steps[1])
                if arrival_s == math.inf:
                    continue
                slack = (t - launch_s) - arrival_s
                reachable += 1
                why, value, closing, crossing, divert = endgame_at(flight, s, site, tracks, arrival_s, along, climb,
                                                                   azimuth_end, distance, endgame, guides, site_guides,
                                                                   a, f)
                if slack > best_any:
                    best_any = slack
                    reason = why
                    reason_value = value
                if why != REASON_NONE:
                    continue
                usable += 1
                if slack > best:
                    best = slack
                if slack >= 0.0 and sector >= 0:
                    row = min(max(int((math.degrees(tracks[flight, s, T_LATITUDE]) + 90.0) / mask_step), 0),
                              masks.shape[1] - 1)
                    column = int((math.degrees(tracks[flight, s, T_LONGITUDE]) + 180.0) / mask_step) % masks.shape[2]
                    if masks[sector, row, column] == 0:
                        continue
                if slack > best_in:
                    best_in = slack
                if slack >= 0.0:
                    if first < 0 or s < first:
                        first = s
                        out[k, R_CLOSING] = closing
                        out[k, R_CROSSING] = crossing
                        out[k, R_DIVERT] = divert
                    last = max(last, s)
                    min_altitude = min(min_altitude, altitude)
                    max_altitude = max(max_altitude, altitude)
        if candidates == 0:
            out[k, R_VERDICT] = VERDICT_OUT_OF_ALTITUDE_BAND
        elif reachable == 0:
            out[k, R_VERDICT] = VERDICT_OUT_OF_RANGE
        elif usable == 0:
            out[k, R_VERDICT] = VERDICT_ENDGAME_INFEASIBLE
            out[k, R_MARGIN] = best_any
            out[k, R_REASON] = reason
            out[k, R_REASON_VALUE] = reason_value
        elif best < 0.0:
            out[k, R_VERDICT] = VERDICT_TOO_LATE
            out[k, R_MARGIN] = best
        elif first < 0:
            out[k, R_VERDICT] = VERDICT_BEYOND_SECTOR
            out[k, R_MARGIN] = best
        else:
            out[k, R_VERDICT] = VERDICT_FEASIBLE
            out[k, R_MARGIN] = best_in
            out[k, R_EARLIEST] = tracks[flight, first, T_TIME]
            out[k, R_LATEST] = tracks[flight, last, T_TIME]
            out[k, R_MIN_ALTITUDE] = min_altitude
            out[k, R_MAX_ALTITUDE] = max_altitude
            out[k, R_FIRST_INDEX] = first
        if out[k, R_VERDICT] != VERDICT_FEASIBLE:
            out[k, R_CLOSING] = 0.0
            out[k, R_CROSSING] = 0.0
            out[k, R_DIVERT] = 0.0

    return evaluate_pair


_evaluate_pair = build(numba.njit(cache=True, error_model="numpy"))
_geodesy = physics.build(numba.njit(cache=True, error_model="numpy"))
_heikkinen = _geodesy.heikkinen
_ecef_from_eci = _geodesy.ecef_from_eci


@numba.njit(parallel=True, cache=True, error_model="numpy")
def compact_batch(history, counts, omega, a, f, tracks):
    """Compact tracks (``results.T_*``: time, geodetic latitude, longitude, height, unit surface
    normal, Earth-relative velocity in ECEF) of recorded ECI histories (flight, sample, 7), with the
    kernels' closed-form geodesy; the normal's components are the latitude's and longitude's cosines
    and sines taken from the same ratios."""
    for i in numba.prange(history.shape[0]):
        for s in range(int(counts[i])):
            t = history[i, s, 0]
            x, y, z = _ecef_from_eci(history[i, s, 1], history[i, s, 2], history[i, s, 3], t, omega)
            height, numerator, p = _heikkinen(x * x + y * y, z, a, f)
            tracks[i, s, T_TIME] = t
            tracks[i, s, T_LATITUDE] = math.atan2(numerator, p)
            tracks[i, s, T_LONGITUDE] = math.atan2(y, x)
            tracks[i, s, T_HEIGHT] = height
            hypot = math.sqrt(numerator * numerator + p * p)
            cos_latitude = p / hypot
            tracks[i, s, T_NORMAL] = cos_latitude * x / p if p > 0.0 else 0.0
            tracks[i, s, T_NORMAL + 1] = cos_latitude * y / p if p > 0.0 else 0.0
            tracks[i, s, T_NORMAL + 2] = numerator / hypot
            # velocity: rotated into ECEF, less the frame's motion omega x r
            vx, vy, vz = _ecef_from_eci(history[i, s, 4], history[i, s, 5], history[i, s, 6], t, omega)
            tracks[i, s, T_VELOCITY] = vx + omega * y
            tracks[i, s, T_VELOCITY + 1] = vy - omega * x
            tracks[i, s, T_VELOCITY + 2] = vz


@numba.njit(parallel=True, cache=True, error_model="numpy")
def engage_batch(tracks, counts, sites, envelope_index, grids, velocities, site_min, masks, launch_s, band, steps,
                 earth, endgame, guides, site_guides, out):
    """Evaluate every (flight, site) pair: row flight * n_sites + site of ``out``."""
    n_sites = sites.shape[0]
    for k in numba.prange(tracks.shape[0] * n_sites):
        flight = k // n_sites
        site = k % n_sites
        _evaluate_pair(k, flight, site, tracks, counts, sites, envelope_index, grids, velocities, site_min, masks,
                       launch_s[k], band, steps, earth, endgame, guides, site_guides, out)
