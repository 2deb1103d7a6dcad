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
from .pack import (
    E_A,
    E_F,
    R_EARLIEST,
    R_FIRST_INDEX,
    R_LATEST,
    R_MARGIN,
    R_MAX_ALTITUDE,
    R_MIN_ALTITUDE,
    R_VERDICT,
    VERDICT_BEYOND_SECTOR,
    VERDICT_FEASIBLE,
    VERDICT_NEVER_DETECTED,
    VERDICT_OUT_OF_ALTITUDE_BAND,
    VERDICT_OUT_OF_RANGE,
    VERDICT_TOO_LATE,
)

drop_stale(__file__)


def build(jit):
    """Return the compiled ``evaluate_pair`` for the target of ``jit``."""

    @jit
    def geodesic(lat1, lon1, lat2, lon2, a, f):
        """Distance (m) and forward azimuth (rad) on the ellipsoid: Vincenty's inverse (1975)."""
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
                return 0.0, 0.0
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
        azimuth = math.atan2(cu2 * math.sin(lam), cu1 * su2 - su1 * cu2 * math.cos(lam))
        return distance, azimuth

    @jit
    def earliest(grids, e, ground_m, altitude_m, range_step_m, altitude_step_m):
        """Bilinear earliest arrival (s) in envelope e over its reachable corners; inf outside."""
        nx = grids.shape[1]
        ny = grids.shape[2]
        x = ground_m / range_step_m
        y = altitude_m / altitude_step_m
        if x < 0.0 or y < 0.0 or x > nx - 1 or y > ny - 1:
            return math.inf
        i = min(int(x), nx - 2)
        j = min(int(y), ny - 2)
        u = min(max(x - i, 0.0), 1.0)
        v = min(max(y - j, 0.0), 1.0)
        total = 0.0
        weight = 0.0
        for di in range(2):
            for dj in range(2):
                w = (u if di == 1 else 1.0 - u) * (v if dj == 1 else 1.0 - v)
                corner = grids[e, i + di, j + dj]
                if corner < math.inf:
                    total += w * corner
                    weight += w
        if weight > 0.0:
            return total / weight
        return math.inf

    @jit
    def slack_at(flight, s, site, tracks, sites, envelope_index, grids, launch_s, steps, a, f):
        """Seconds the interceptor is early (+) or late (-) at sample s; -inf where it cannot reach."""
        distance, azimuth = geodesic(sites[site, 0], sites[site, 1], tracks[flight, s, 1], tracks[flight, s, 2], a, f)
        bins = envelope_index.shape[1]
        b = int(round((math.degrees(azimuth) % 360.0) / (360.0 / bins))) % bins
        arrival = earliest(grids, envelope_index[site, b], distance, tracks[flight, s, 3], steps[0], steps[1])
        if arrival == math.inf:
            return -math.inf
        return (tracks[flight, s, 0] - launch_s) - arrival

    @jit
    def evaluate_pair(k, flight, site, tracks, counts, sites, envelope_index, grids, site_min, masks, launch_s, band,
                      steps, earth, out):
        """Verdict, margin and window of one pair; writes row k of ``out``.

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
            if tracks[flight, mid, 0] <= launch_s:
                lo = mid + 1
            else:
                hi = mid
        # first pass: the candidate with the best rough bound (range from the chord of the normals)
        top = -1
        top_upper = -math.inf
        for s in range(lo, count):
            altitude = tracks[flight, s, 3]
            if altitude < low or altitude > high:
                continue
            cosine = nx_s * tracks[flight, s, 4] + ny_s * tracks[flight, s, 5] + nz_s * tracks[flight, s, 6]
            if cosine < cos_reach:
                continue
            i = min(int(math.sqrt(max(2.0 - 2.0 * cosine, 0.0)) * a / steps[0]), nx - 1)
            upper = (tracks[flight, s, 0] - launch_s) - site_min[site, i, min(int(altitude / steps[1]), ny - 1)]
            if upper > top_upper:
                top_upper = upper
                top = s
        best = -math.inf  # over every reachable sample
        best_in = -math.inf  # over the samples above the site's sector
        reachable = 0
        if top >= 0:
            best = slack_at(flight, top, site, tracks, sites, envelope_index, grids, launch_s, steps, a, f)
            reachable = 1 if best > -math.inf else 0
        first = -1
        last = -1
        min_altitude = math.inf
        max_altitude = -math.inf
        candidates = 0
        for s in range(lo, count):
            t = tracks[flight, s, 0]
            altitude = tracks[flight, s, 3]
            if altitude < low or altitude > high:
                continue
            candidates += 1
            cosine = nx_s * tracks[flight, s, 4] + ny_s * tracks[flight, s, 5] + nz_s * tracks[flight, s, 6]
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
            if upper == -math.inf or (reachable > 0 and upper < 0.0 and upper <= best):
                continue
            slack = slack_at(flight, s, site, tracks, sites, envelope_index, grids, launch_s, steps, a, f)
            if slack == -math.inf:
                continue
            reachable += 1
            if slack > best:
                best = slack
            if slack >= 0.0 and sector >= 0:
                row = min(max(int((math.degrees(tracks[flight, s, 1]) + 90.0) / mask_step), 0), masks.shape[1] - 1)
                column = int((math.degrees(tracks[flight, s, 2]) + 180.0) / mask_step) % masks.shape[2]
                if masks[sector, row, column] == 0:
                    continue
            if slack > best_in:
                best_in = slack
            if slack >= 0.0:
                if first < 0:
                    first = s
                last = s
                min_altitude = min(min_altitude, altitude)
                max_altitude = max(max_altitude, altitude)
        if candidates == 0:
            out[k, R_VERDICT] = VERDICT_OUT_OF_ALTITUDE_BAND
        elif reachable == 0:
            out[k, R_VERDICT] = VERDICT_OUT_OF_RANGE
        elif best < 0.0:
            out[k, R_VERDICT] = VERDICT_TOO_LATE
            out[k, R_MARGIN] = best
        elif first < 0:
            out[k, R_VERDICT] = VERDICT_BEYOND_SECTOR
            out[k, R_MARGIN] = best
        else:
            out[k, R_VERDICT] = VERDICT_FEASIBLE
            out[k, R_MARGIN] = best_in
            out[k, R_EARLIEST] = tracks[flight, first, 0]
            out[k, R_LATEST] = tracks[flight, last, 0]
            out[k, R_MIN_ALTITUDE] = min_altitude
            out[k, R_MAX_ALTITUDE] = max_altitude
            out[k, R_FIRST_INDEX] = first

    return evaluate_pair


_evaluate_pair = build(numba.njit(cache=True, error_model="numpy"))
_geodesy = physics.build(numba.njit(cache=True, error_model="numpy"))
_heikkinen = _geodesy.heikkinen
_ecef_from_eci = _geodesy.ecef_from_eci


@numba.njit(parallel=True, cache=True, error_model="numpy")
def compact_batch(history, counts, omega, a, f, tracks):
    """Compact tracks (time, geodetic latitude, longitude, height, unit surface normal) of recorded
    ECI histories (flight, sample, 7), with the kernels' closed-form geodesy; the normal's
    components are the latitude's and longitude's cosines and sines taken from the same ratios."""
    for i in numba.prange(history.shape[0]):
        for s in range(int(counts[i])):
            t = history[i, s, 0]
            x, y, z = _ecef_from_eci(history[i, s, 1], history[i, s, 2], history[i, s, 3], t, omega)
            height, numerator, p = _heikkinen(x * x + y * y, z, a, f)
            tracks[i, s, 0] = t
            tracks[i, s, 1] = math.atan2(numerator, p)
            tracks[i, s, 2] = math.atan2(y, x)
            tracks[i, s, 3] = height
            hypot = math.sqrt(numerator * numerator + p * p)
            cos_latitude = p / hypot
            tracks[i, s, 4] = cos_latitude * x / p if p > 0.0 else 0.0
            tracks[i, s, 5] = cos_latitude * y / p if p > 0.0 else 0.0
            tracks[i, s, 6] = numerator / hypot


@numba.njit(parallel=True, cache=True, error_model="numpy")
def engage_batch(tracks, counts, sites, envelope_index, grids, site_min, masks, launch_s, band, steps, earth, out):
    """Evaluate every (flight, site) pair: row flight * n_sites + site of ``out``."""
    n_sites = sites.shape[0]
    for k in numba.prange(tracks.shape[0] * n_sites):
        flight = k // n_sites
        site = k % n_sites
        _evaluate_pair(k, flight, site, tracks, counts, sites, envelope_index, grids, site_min, masks, launch_s[k],
                       band, steps, earth, out)
