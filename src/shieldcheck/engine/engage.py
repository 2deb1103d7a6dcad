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
import types

import numba
import numpy as np

from . import physics
from .cache import drop_stale
from . import sensing
from .pack import E_A, E_F
from .results import (
    first_after as track_first_after,
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
    R_PHASE,
    R_PHASES,
    R_REASON,
    R_REASON_VALUE,
    R_SHOTS,
    R_USABLE_MARGIN,
    R_VERDICT,
    REASON_CLOSING_FAST,
    REASON_CLOSING_SLOW,
    REASON_CROSSING,
    REASON_DIVERT,
    REASON_NO_TRACK,
    REASON_NONE,
    REASON_RANGE,
    ROTATION_ANCHOR,
    T_HEIGHT,
    T_NORMAL,
    T_TIME,
    T_VELOCITY,
    VERDICT_BEYOND_SECTOR,
    VERDICT_ENDGAME_INFEASIBLE,
    VERDICT_FEASIBLE,
    VERDICT_TOO_LATE,
    phase_of,
    phase_window,
    verdict_of,
)

drop_stale(__file__)

# what the scratch of ``evaluate_pair`` knows of a sample
UNTESTED = 0.0
PROVED_UNUSABLE = 1.0
EVALUATED = 2.0
SCRATCH_SAMPLES = 512  # samples the CUDA path keeps in its per-thread scratch
# the kill vehicle's direction from the normal section through the site is within this plus e^2 angle^2 of
# its geodesic's (rad): the geodesic departs from the normal section by about e^2 angle^2 / 12, at most 0.081 of
# the allowance against Karney's geodesics up to 1 rad (tests/test_engagement_hand_checked.py)
DIRECTION_ERROR_RAD = 1e-3


def build(jit):
    """Return the compiled scalar functions of one pair (``evaluate_pair`` and the pieces the tests check)
    for the target of ``jit``."""
    radar_sees = sensing.build(jit)[0]
    choose_verdict = jit(verdict_of)
    first_after = jit(track_first_after)
    flight_phase = jit(phase_of)
    flight_phase_window = jit(phase_window)

    @jit
    def reduced_latitude(latitude, f):
        """Sine and cosine of the reduced latitude, atan((1 - f) tan(latitude))."""
        u = math.atan((1.0 - f) * math.tan(latitude))
        return math.sin(u), math.cos(u)

    @jit
    def vincenty(su1, cu1, su2, cu2, big_l, lam, a, f):
        """Vincenty's inverse (1975) between two points given by the sines and cosines of their reduced
        latitudes and their difference in longitude ``big_l`` (rad), iterated from the longitude
        difference on the auxiliary sphere ``lam`` (``big_l`` when nothing closer is known): the
        distance (m) and the converged ``lam``."""
        b = a * (1.0 - f)
        sin_sigma = cos_sigma = sigma = cos2_alpha = cos_2sm = 0.0
        for _ in range(200):
            sl, cl = math.sin(lam), math.cos(lam)
            sin_sigma = math.sqrt((cu2 * sl) ** 2 + (cu1 * su2 - su1 * cu2 * cl) ** 2)
            if sin_sigma == 0.0:
                return 0.0, lam
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
        return b * big_a * (sigma - delta), lam

    @jit
    def geodesic_from(su1, cu1, lon1, lat2, lon2, a, f):
        """``geodesic`` from a start point given by its reduced latitude's sine and cosine (one site, many
        points)."""
        su2, cu2 = reduced_latitude(lat2, f)
        distance, lam = vincenty(su1, cu1, su2, cu2, lon2 - lon1, lon2 - lon1, a, f)
        if distance == 0.0:
            return 0.0, 0.0, 0.0
        sl, cl = math.sin(lam), math.cos(lam)
        azimuth = math.atan2(cu2 * sl, cu1 * su2 - su1 * cu2 * cl)
        azimuth_end = math.atan2(cu1 * sl, -su1 * cu2 + cu1 * su2 * cl)
        return distance, azimuth, azimuth_end

    @jit
    def geodesic(lat1, lon1, lat2, lon2, a, f):
        """Distance (m), forward azimuth at the start and azimuth at the end (rad) on the ellipsoid:
        Vincenty's inverse (1975)."""
        su1, cu1 = reduced_latitude(lat1, f)
        return geodesic_from(su1, cu1, lon1, lat2, lon2, a, f)

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
    def latitude_longitude(flight, s, tracks):
        """Geodetic latitude and longitude (rad) of sample s, from its unit surface normal."""
        nx = tracks[flight, s, T_NORMAL]
        ny = tracks[flight, s, T_NORMAL + 1]
        return math.atan2(tracks[flight, s, T_NORMAL + 2], math.sqrt(nx * nx + ny * ny)), math.atan2(ny, nx)

    @jit
    def guided_sees(flight, s, site, tracks, guides, site_guides, a, f):
        """True when a radar that must guide the kill vehicle (``site_guides``) sees sample s, or none must."""
        count = int(site_guides[site, 1])
        if count == 0:
            return True
        e2 = f * (2.0 - f)
        sl = tracks[flight, s, T_NORMAL + 2]
        height = tracks[flight, s, T_HEIGHT]
        normal = a / math.sqrt(1.0 - e2 * sl * sl)
        x = (normal + height) * tracks[flight, s, T_NORMAL]
        y = (normal + height) * tracks[flight, s, T_NORMAL + 1]
        z = (normal * (1.0 - e2) + height) * sl
        for r in range(int(site_guides[site, 0]), int(site_guides[site, 0]) + count):
            if radar_sees(x, y, z, guides, r, a, a * (1.0 - f)):
                return True
        return False

    @jit
    def kill_geometry(flight, s, tracks, arrival_s, along, climb, azimuth_end, endgame):
        """(closing speed m/s, cosine of the crossing angle, divert needed m/s) of the kill vehicle at sample s,
        flying with the envelope's ground-range and vertical rates along its geodesic from the site."""
        # the latitude's and longitude's sines and cosines, from the unit surface normal
        nx = tracks[flight, s, T_NORMAL]
        ny = tracks[flight, s, T_NORMAL + 1]
        sl = tracks[flight, s, T_NORMAL + 2]
        cl = math.sqrt(nx * nx + ny * ny)
        so = ny / cl if cl > 0.0 else 0.0
        co = nx / cl if cl > 0.0 else 1.0
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
        divert = endgame[G_VELOCITY_ERROR] * arrival_s / endgame[G_TIME_TO_GO] if endgame[G_ON] > 0.0 else 0.0
        return closing, cos_crossing, divert

    @jit
    def endgame_reason(flight, s, site, tracks, closing, cos_crossing, divert, ground_m, endgame, guides, site_guides,
                       a, f):
        """The limit the kill vehicle fails at sample s (REASON_*, in ``endgame.check_point``'s order;
        REASON_NONE where it passes or the endgame is off)."""
        if endgame[G_ON] == 0.0:
            return REASON_NONE
        if ground_m > endgame[G_MAX_RANGE]:
            return REASON_RANGE
        if not guided_sees(flight, s, site, tracks, guides, site_guides, a, f):
            return REASON_NO_TRACK
        if cos_crossing < endgame[G_COS_MAX_CROSSING]:
            return REASON_CROSSING
        if closing < endgame[G_MIN_CLOSING]:
            return REASON_CLOSING_SLOW
        if closing > endgame[G_MAX_CLOSING]:
            return REASON_CLOSING_FAST
        if divert > endgame[G_DIVERT]:
            return REASON_DIVERT
        return REASON_NONE

    @jit
    def reason_value_of(why, ground_m, closing, cos_crossing, divert):
        """The number that decided a failed limit (m, deg, m/s)."""
        if why == REASON_RANGE:
            return ground_m
        if why == REASON_CROSSING:
            return math.degrees(math.acos(cos_crossing))
        if why == REASON_CLOSING_SLOW or why == REASON_CLOSING_FAST:
            return closing
        if why == REASON_DIVERT:
            return divert
        return 0.0

    @jit
    def normal_chord(flight, s, tracks, site_normal_x, site_normal_y, site_normal_z, cos_reach):
        """Chord between the unit surface normals of the site and of sample s (its angle's lower bound,
        rad); -1 beyond the envelopes."""
        cosine = (site_normal_x * tracks[flight, s, T_NORMAL] + site_normal_y * tracks[flight, s, T_NORMAL + 1]
                  + site_normal_z * tracks[flight, s, T_NORMAL + 2])
        if cosine < cos_reach:
            return -1.0
        return math.sqrt(max(2.0 - 2.0 * cosine, 0.0))

    @jit
    def angle_above(chord):
        """An upper bound on the angle (rad) of a chord of the unit sphere: 2 asin(c / 2) <= c (1 + c^2 / 20)
        for c <= 1."""
        if chord <= 1.0:
            return chord * (1.0 + 0.05 * chord * chord)
        return 2.0 * math.asin(min(0.5 * chord, 1.0)) * (1.0 + 1e-9)

    @jit
    def cells(flight, s, tracks, chord, site_x, site_y, site_z, r_min, r_max, steps, nx, ny, a, e2):
        """First and last range cell and the altitude row that the envelope lookup of sample s can use.

        The geodesic's length lies between the angle between the normals (``chord`` and above) times
        r_min and times r_max, and between the straight line d between the two points on the ellipsoid
        and the arc of radius r_min over it, 2 r_min asin(d / 2 r_min) <= d (1 + d^2 / 20 r_min^2) (its
        curvature is at most 1 / r_min: Schur's comparison theorem); 1 m margins.
        """
        low_m = chord * r_min - 1.0
        high_m = angle_above(chord) * r_max + 1.0
        nz_p = tracks[flight, s, T_NORMAL + 2]
        radius = a / math.sqrt(1.0 - e2 * nz_p * nz_p)
        dx = radius * tracks[flight, s, T_NORMAL] - site_x
        dy = radius * tracks[flight, s, T_NORMAL + 1] - site_y
        dz = radius * (1.0 - e2) * nz_p - site_z
        line_m = math.sqrt(dx * dx + dy * dy + dz * dz)
        if line_m <= r_min:
            low_m = max(low_m, line_m - 1.0)
            high_m = min(high_m, line_m * (1.0 + 0.05 * (line_m / r_min) ** 2) + 1.0)
        i_low = min(int(max(low_m, 0.0) / steps[0]), nx - 2)
        i_high = min(int(high_m / steps[0]) + 1, nx - 1)
        j_row = min(int(tracks[flight, s, T_HEIGHT] / steps[1]), ny - 2)
        return i_low, i_high, j_row

    @jit
    def earliest_bound(site, site_min, i_low, i_high, j_row):
        """A lower bound on the interceptor's earliest arrival (s) over the cells (inf: unreachable)."""
        bound = math.inf
        for i in range(i_low, i_high + 1):
            bound = min(bound, site_min[site, i, j_row])
        return bound

    @jit
    def sample_bound(flight, s, tracks, low, high, nx_s, ny_s, nz_s, cos_reach, site, site_min, site_x, site_y,
                     site_z, r_min, r_max, steps, nx, ny, a, e2, launch_s):
        """Sample s's chord, range cells, arrival bound and upper bound on its slack (s); the slack bound is
        -inf where the sample is outside the altitude band or beyond the envelopes."""
        altitude = tracks[flight, s, T_HEIGHT]
        if altitude < low or altitude > high:
            return -1.0, 0, 0, 0, 0.0, -math.inf
        chord = normal_chord(flight, s, tracks, nx_s, ny_s, nz_s, cos_reach)
        if chord < 0.0:
            return -1.0, 0, 0, 0, 0.0, -math.inf
        i_low, i_high, j_row = cells(flight, s, tracks, chord, site_x, site_y, site_z, r_min, r_max, steps, nx, ny, a,
                                     e2)
        bound = earliest_bound(site, site_min, i_low, i_high, j_row)
        return chord, i_low, i_high, j_row, bound, (tracks[flight, s, T_TIME] - launch_s) - bound

    @jit
    def cannot_be_usable(flight, s, site, tracks, site_rates, chord, i_low, i_high, j_row, bound, site_x, site_y,
                         site_z, endgame, guides, site_guides, a, f):
        """True when sample s, wherever the interceptor arrives, fails a limit of the kill vehicle: proved from
        bounds, before its geodesic (``evaluate_pair``)."""
        if endgame[G_ON] == 0.0:
            return False
        e2 = f * (2.0 - f)
        # operational range: the geodesic is at least chord * a (1 - e^2) - 1 m long (as for the cells)
        if chord * a * (1.0 - e2) - 1.0 > endgame[G_MAX_RANGE]:
            return True
        # divert grows with the fly-out time, at least ``bound`` (1e-9: the bilinear mean's rounding)
        if endgame[G_VELOCITY_ERROR] * bound / endgame[G_TIME_TO_GO] * (1.0 - 1e-9) > endgame[G_DIVERT]:
            return True
        # the kill vehicle's ground-range and vertical rates: within the cells' ranges over every azimuth bin
        along_low = math.inf
        along_high = -math.inf
        climb_low = math.inf
        climb_high = -math.inf
        for i in range(i_low, i_high + 1):
            along_low = min(along_low, site_rates[site, i, j_row, 0])
            along_high = max(along_high, site_rates[site, i, j_row, 1])
            climb_low = min(climb_low, site_rates[site, i, j_row, 2])
            climb_high = max(climb_high, site_rates[site, i, j_row, 3])
        if along_low > along_high or climb_low > climb_high:
            return False
        along_most = max(abs(along_low), abs(along_high))
        climb_most = max(abs(climb_low), abs(climb_high))
        kill_most = math.sqrt(along_most * along_most + climb_most * climb_most)
        along_least = 0.0 if along_low <= 0.0 <= along_high else min(abs(along_low), abs(along_high))
        climb_least = 0.0 if climb_low <= 0.0 <= climb_high else min(abs(climb_low), abs(climb_high))
        kill_least = math.sqrt(along_least * along_least + climb_least * climb_least)
        vx = tracks[flight, s, T_VELOCITY]
        vy = tracks[flight, s, T_VELOCITY + 1]
        vz = tracks[flight, s, T_VELOCITY + 2]
        speed = math.sqrt(vx * vx + vy * vy + vz * vz)
        # closing speed |v - i| lies between | |v| - |i| | and |v| + |i| (1e-9 relative, 1e-6 m/s: rounding)
        if (speed + kill_most) * (1.0 + 1e-9) + 1e-6 < endgame[G_MIN_CLOSING]:
            return True
        if max(speed - kill_most, kill_least - speed) * (1.0 - 1e-9) - 1e-6 > endgame[G_MAX_CLOSING]:
            return True
        # crossing angle: the kill vehicle flies along h + climb n, h its geodesic's direction at the point.
        # The normal section of the point through the site gives h within eps (rad): the geodesic departs
        # from it by about e^2 angle^2 / 12 (DIRECTION_ERROR_RAD; checked against Karney's geodesics)
        angle = angle_above(chord)
        nx_p = tracks[flight, s, T_NORMAL]
        ny_p = tracks[flight, s, T_NORMAL + 1]
        nz_p = tracks[flight, s, T_NORMAL + 2]
        radius = a / math.sqrt(1.0 - e2 * nz_p * nz_p)
        dx = radius * nx_p - site_x
        dy = radius * ny_p - site_y
        dz = radius * (1.0 - e2) * nz_p - site_z
        up = dx * nx_p + dy * ny_p + dz * nz_p
        dx -= up * nx_p
        dy -= up * ny_p
        dz -= up * nz_p
        length = math.sqrt(dx * dx + dy * dy + dz * dz)
        if length > 100.0 and angle < 1.0:
            eps = DIRECTION_ERROR_RAD + e2 * angle * angle
            ahead = (vx * dx + vy * dy + vz * dz) / length
            ahead_low = ahead - speed * eps
            ahead_high = ahead + speed * eps
            vertical = vx * nx_p + vy * ny_p + vz * nz_p
            rounding = 1e-9 * speed * (along_most + climb_most) + 1e-9
            cos_max = endgame[G_COS_MAX_CROSSING]
            vertical_term = min(climb_low * vertical, climb_high * vertical)
            if cos_max >= 0.0:
                # cos_crossing < cos_max  <=  along (ahead + cos_max |v|) + climb vertical > 0, as |i| >= along
                low = ahead_low + cos_max * speed
                high = ahead_high + cos_max * speed
                least = min(min(along_low * low, along_low * high), min(along_high * low, along_high * high))
                if least + vertical_term > rounding:
                    return True
            else:
                # cos_crossing < cos_max  <=  v.i > |cos_max| |v| |i|, with |i| <= kill_most
                least = min(min(along_low * ahead_low, along_low * ahead_high),
                            min(along_high * ahead_low, along_high * ahead_high))
                if least + vertical_term > -cos_max * speed * kill_most + rounding:
                    return True
        # track at the intercept: the kernel's own test
        return not guided_sees(flight, s, site, tracks, guides, site_guides, a, f)

    @jit
    def sift_down(scratch, start, size):
        """Restore the max-heap of scratch slots (column 3, keyed by the slack bound of column 0) below ``start``."""
        item = scratch[start, 3]
        key = scratch[int(item), 0]
        i = start
        while True:
            child = 2 * i + 1
            if child >= size:
                break
            if child + 1 < size and scratch[int(scratch[child + 1, 3]), 0] > scratch[int(scratch[child, 3]), 0]:
                child += 1
            if scratch[int(scratch[child, 3]), 0] <= key:
                break
            scratch[i, 3] = scratch[child, 3]
            i = child
        scratch[i, 3] = item

    @jit
    def evaluate_sample(flight, s, site, tracks, grids, velocities, envelope_index, site_sin_reduced, site_cos_reduced,
                        site_longitude, steps, endgame, guides, site_guides, a, f):
        """Sample s against the site: the interceptor's earliest arrival (s after its launch; inf where it
        cannot reach), the geodesic's length (m), the kill vehicle's ground-range and vertical rates and
        final azimuth, and, with the endgame on, the endgame reason (REASON_NONE: usable), closing speed,
        crossing-angle cosine and divert."""
        latitude, longitude = latitude_longitude(flight, s, tracks)
        distance, azimuth, azimuth_end = geodesic_from(site_sin_reduced, site_cos_reduced, site_longitude, latitude,
                                                       longitude, a, f)
        bins = envelope_index.shape[1]
        b = int(round((math.degrees(azimuth) % 360.0) / (360.0 / bins))) % bins
        arrival_s, along, climb = arrival(grids, velocities, envelope_index[site, b], distance,
                                          tracks[flight, s, T_HEIGHT], steps[0], steps[1])
        why = REASON_NONE
        closing = 0.0
        cos_crossing = 1.0
        divert = 0.0
        if arrival_s != math.inf and endgame[G_ON] > 0.0:
            closing, cos_crossing, divert = kill_geometry(flight, s, tracks, arrival_s, along, climb, azimuth_end,
                                                          endgame)
            why = endgame_reason(flight, s, site, tracks, closing, cos_crossing, divert, distance, endgame, guides,
                                 site_guides, a, f)
        return arrival_s, distance, along, climb, azimuth_end, why, closing, cos_crossing, divert

    @jit
    def in_sector(flight, s, tracks, masks, sector, mask_step):
        """Whether sample s lies where the site may intercept (always, for a site without a sector)."""
        if sector < 0:
            return True
        latitude, longitude = latitude_longitude(flight, s, tracks)
        row = min(max(int((math.degrees(latitude) + 90.0) / mask_step), 0), masks.shape[1] - 1)
        column = int((math.degrees(longitude) + 180.0) / mask_step) % masks.shape[2]
        return masks[sector, row, column] != 0

    @jit
    def evaluate_pair(k, flight, site, tracks, counts, phases, sites, envelope_index, grids, velocities, site_min,
                      site_rates, masks, launch_s, look_s, band, steps, earth, endgame, guides, site_guides, scratch, out):
        """Verdict, margin, window, shot opportunities and endgame of one pair; writes row k of ``out``.

        A sample is *usable* when the interceptor reaches it (at any time) and its kill vehicle's
        endgame holds there (``kill_geometry``, ``endgame_reason``; always, with the endgame off).
        The verdict is ``results.verdict_of`` of what the samples showed: the best slack over the samples
        reached and over those usable, and whether a usable one in time lies in the sector.
        endgame_infeasible carries the limit that the reachable sample of best slack fails (the earliest
        of equals) and the best usable slack (``R_USABLE_MARGIN``); too_late the margin over usable
        samples.

        The results are those of evaluating every sample; samples that provably cannot change them are
        skipped before their geodesic. An upper bound on a sample's slack comes from a lower bound on
        the interceptor's arrival: the earliest over the site's azimuth bins (``site_min``) in the range
        cells the geodesic can fall in (its length lies between the angle between the surface normals
        times the smallest and the largest radius of curvature, a (1 - e^2) and a / sqrt(1 - e^2):
        checked against Karney's geodesics in the tests). ``cannot_be_usable`` proves from bounds that
        a sample fails the endgame (operational range, divert, closing speed, crossing angle, track).

        The samples are taken best bound first (a heap in ``scratch``): each is proved unusable or
        evaluated, until the bound can neither be feasible nor raise the margin of the usable samples
        found. Only when none was usable in time, the samples proved unusable are evaluated, best bound
        first, while their bound can still reach the best slack (they decide endgame_infeasible against
        too_late, its explanation, or out_of_range); when some sample was usable (late), only while that
        bound is in time, since only an in-time sample can change the verdict then. ``scratch`` (samples
        after the launch, 4) holds each sample's slack bound, chord, state and the heap; samples past its length (the CUDA path has a fixed one) are taken in
        time order after the heap.

        Flight phase: ``band[2]`` (``results.PHASE_*``) restricts the samples to one phase of the threat's
        flight, a time window (``results.phase_window``) from the flight's burnout and apogee times
        (``phases``: flight, [burnout_s, apogee_s]); a feasible pair records the phase of its earliest
        intercept and, one bit each, the phases of its feasible samples (``results.phase_of``).

        Shots (feasible pairs): the window's samples are walked once more in time order, as
        ``engagement.shot_opportunities`` does, each further shot launched ``look_s`` after the last one's
        intercept; samples whose slack bound cannot meet that later launch are skipped before their geodesic.
        """
        for j in range(out.shape[1]):
            out[k, j] = 0.0
        out[k, R_FIRST_INDEX] = -1.0
        if launch_s == math.inf:
            out[k, R_VERDICT] = choose_verdict(False, False, -math.inf, -math.inf, False)
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
        site_latitude = sites[site, 0]
        site_longitude = sites[site, 1]
        nx_s = math.cos(site_latitude) * math.cos(site_longitude)
        ny_s = math.cos(site_latitude) * math.sin(site_longitude)
        nz_s = math.sin(site_latitude)
        site_sin_reduced, site_cos_reduced = reduced_latitude(site_latitude, f)
        site_radius = a / math.sqrt(1.0 - e2 * nz_s * nz_s)
        site_x = site_radius * nx_s
        site_y = site_radius * ny_s
        site_z = site_radius * (1.0 - e2) * nz_s
        burnout_s = phases[flight, 0]
        apogee_s = phases[flight, 1]
        after_s, until_s = flight_phase_window(int(band[2]), burnout_s, apogee_s)
        # the samples after the interceptor's launch and in the flight phase asked (samples are in time order)
        count = first_after(tracks, flight, int(counts[flight]), until_s)
        lo = first_after(tracks, flight, count, max(launch_s, after_s))
        kept = min(count - lo, scratch.shape[0])  # samples the scratch holds
        best = -math.inf  # slack over every usable sample
        best_in = -math.inf  # over the usable samples above the site's sector
        best_any = -math.inf  # over every reachable sample: the one whose endgame decides endgame_infeasible
        best_any_index = -1
        reason = 0
        reason_value = 0.0
        usable = 0
        first = -1
        last = -1
        min_altitude = math.inf
        max_altitude = -math.inf
        phase_bits = 0
        candidates = 0
        size = 0  # of the heap
        for s in range(lo, count):
            altitude = tracks[flight, s, T_HEIGHT]
            if altitude < low or altitude > high:
                continue
            candidates += 1
            if s - lo >= kept:
                continue
            chord = normal_chord(flight, s, tracks, nx_s, ny_s, nz_s, cos_reach)
            if chord < 0.0:
                continue
            i_low, i_high, j_row = cells(flight, s, tracks, chord, site_x, site_y, site_z, r_min, r_max, steps, nx, ny,
                                         a, e2)
            upper = (tracks[flight, s, T_TIME] - launch_s) - earliest_bound(site, site_min, i_low, i_high, j_row)
            if upper == -math.inf:
                continue
            scratch[s - lo, 0] = upper
            scratch[s - lo, 1] = chord
            scratch[s - lo, 2] = UNTESTED
            scratch[size, 3] = s - lo
            size += 1
        heaped = size
        for i in range(size // 2 - 1, -1, -1):
            sift_down(scratch, i, size)
        phase = 0
        cursor = lo + kept
        sorted_at = heaped - 1
        while True:
            if phase == 0:  # best bound first: popped into the heap's tail, which ends sorted ascending
                if size == 0:
                    phase = 1
                    continue
                slot = int(scratch[0, 3])
                size -= 1
                scratch[0, 3] = scratch[size, 3]
                sift_down(scratch, 0, size)
                scratch[size, 3] = slot
                upper = scratch[slot, 0]
                if upper < 0.0 and upper <= best:
                    phase = 1  # neither this sample nor any left can be feasible or raise the margin
                    continue
                s = lo + slot
                chord = scratch[slot, 1]
                i_low, i_high, j_row = cells(flight, s, tracks, chord, site_x, site_y, site_z, r_min, r_max, steps,
                                              nx, ny, a, e2)
                if cannot_be_usable(flight, s, site, tracks, site_rates, chord, i_low, i_high, j_row,
                                    earliest_bound(site, site_min, i_low, i_high, j_row), site_x, site_y, site_z,
                                    endgame, guides, site_guides, a, f):
                    scratch[slot, 2] = PROVED_UNUSABLE
                    continue
                scratch[slot, 2] = EVALUATED
            elif phase == 1:  # samples past the scratch, in time order
                if cursor >= count:
                    if best >= 0.0:
                        break
                    phase = 2  # none usable in time: every heaped sample in time was popped, the tail is sorted
                    cursor = lo + kept
                    continue
                s = cursor
                cursor += 1
                chord, i_low, i_high, j_row, bound, upper = sample_bound(
                    flight, s, tracks, low, high, nx_s, ny_s, nz_s, cos_reach, site, site_min, site_x, site_y, site_z,
                    r_min, r_max, steps, nx, ny, a, e2, launch_s)
                if upper == -math.inf or (upper < 0.0 and upper <= best):
                    continue
                if cannot_be_usable(flight, s, site, tracks, site_rates, chord, i_low, i_high, j_row, bound, site_x,
                                    site_y, site_z, endgame, guides, site_guides, a, f):
                    continue
            elif phase == 2:  # none usable in time: the samples proved unusable, best bound first, while they can tie
                if sorted_at < 0:
                    phase = 3
                    continue
                slot = int(scratch[sorted_at, 3])
                sorted_at -= 1
                if scratch[slot, 2] != PROVED_UNUSABLE:
                    continue
                upper = scratch[slot, 0]
                if upper < best_any or (usable > 0 and upper < 0.0):
                    phase = 3
                    continue
                s = lo + slot
                if upper == best_any and s > best_any_index:
                    continue
            else:  # ... and those past the scratch (evaluated in phase 1 unless proved unusable)
                if cursor >= count:
                    break
                s = cursor
                cursor += 1
                chord, i_low, i_high, j_row, bound, upper = sample_bound(
                    flight, s, tracks, low, high, nx_s, ny_s, nz_s, cos_reach, site, site_min, site_x, site_y, site_z,
                    r_min, r_max, steps, nx, ny, a, e2, launch_s)
                if (upper == -math.inf or upper < best_any or (upper == best_any and s > best_any_index)
                        or (usable > 0 and upper < 0.0)):
                    continue
                if not cannot_be_usable(flight, s, site, tracks, site_rates, chord, i_low, i_high, j_row, bound,
                                        site_x, site_y, site_z, endgame, guides, site_guides, a, f):
                    continue
            # evaluate sample s
            t = tracks[flight, s, T_TIME]
            altitude = tracks[flight, s, T_HEIGHT]
            arrival_s, distance, along, climb, azimuth_end, why, closing, cos_crossing, divert = evaluate_sample(
                flight, s, site, tracks, grids, velocities, envelope_index, site_sin_reduced, site_cos_reduced,
                site_longitude, steps, endgame, guides, site_guides, a, f)
            if arrival_s == math.inf:
                continue
            slack = (t - launch_s) - arrival_s
            if slack > best_any or (slack == best_any and s < best_any_index):
                best_any = slack
                best_any_index = s
                reason = why
                reason_value = reason_value_of(why, distance, closing, cos_crossing, divert)
            if why != REASON_NONE:
                continue
            usable += 1
            if slack > best:
                best = slack
            if slack >= 0.0 and not in_sector(flight, s, tracks, masks, sector, mask_step):
                continue
            if slack > best_in:
                best_in = slack
            if slack >= 0.0:
                if first < 0 or s < first:
                    first = s
                    if endgame[G_ON] == 0.0:
                        closing, cos_crossing, divert = kill_geometry(flight, s, tracks, arrival_s, along, climb,
                                                                      azimuth_end, endgame)
                    out[k, R_CLOSING] = closing
                    out[k, R_CROSSING] = math.degrees(math.acos(cos_crossing))
                    out[k, R_DIVERT] = divert
                last = max(last, s)
                phase_bits |= 1 << flight_phase(t, altitude, burnout_s, apogee_s, low)
                min_altitude = min(min_altitude, altitude)
                max_altitude = max(max_altitude, altitude)
        verdict = choose_verdict(True, candidates > 0, best_any, best, first >= 0)
        out[k, R_VERDICT] = verdict
        if verdict == VERDICT_ENDGAME_INFEASIBLE:
            out[k, R_MARGIN] = best_any
            out[k, R_REASON] = reason
            out[k, R_REASON_VALUE] = reason_value
            out[k, R_USABLE_MARGIN] = best
        elif verdict == VERDICT_TOO_LATE or verdict == VERDICT_BEYOND_SECTOR:
            out[k, R_MARGIN] = best
        elif verdict == VERDICT_FEASIBLE:
            out[k, R_MARGIN] = best_in
            out[k, R_EARLIEST] = tracks[flight, first, T_TIME]
            out[k, R_LATEST] = tracks[flight, last, T_TIME]
            out[k, R_MIN_ALTITUDE] = min_altitude
            out[k, R_MAX_ALTITUDE] = max_altitude
            out[k, R_FIRST_INDEX] = first
            out[k, R_PHASE] = flight_phase(tracks[flight, first, T_TIME], tracks[flight, first, T_HEIGHT], burnout_s,
                                           apogee_s, low)
            out[k, R_PHASES] = phase_bits
            # shoot-look-shoot (engagement.shot_opportunities): the next shot is launched a look after the last
            # one's intercept, at t_k + look_s, and must itself arrive in time at a usable sample in the sector,
            # slack >= t_k + look_s - launch_s; taken in time order, the earliest such sample each time
            shots = 1
            need = tracks[flight, first, T_TIME] + look_s - launch_s
            for s in range(first + 1, last + 1):
                if tracks[flight, s, T_TIME] - launch_s < need:  # the slack is at most t - launch_s
                    continue
                chord, i_low, i_high, j_row, bound, upper = sample_bound(
                    flight, s, tracks, low, high, nx_s, ny_s, nz_s, cos_reach, site, site_min, site_x, site_y, site_z,
                    r_min, r_max, steps, nx, ny, a, e2, launch_s)
                if upper < need:
                    continue
                arrival_s, distance, along, climb, azimuth_end, why, closing, cos_crossing, divert = evaluate_sample(
                    flight, s, site, tracks, grids, velocities, envelope_index, site_sin_reduced, site_cos_reduced,
                    site_longitude, steps, endgame, guides, site_guides, a, f)
                if (tracks[flight, s, T_TIME] - launch_s) - arrival_s < need or why != REASON_NONE:
                    continue
                if not in_sector(flight, s, tracks, masks, sector, mask_step):
                    continue
                shots += 1
                need = tracks[flight, s, T_TIME] + look_s - launch_s
            out[k, R_SHOTS] = shots
        if out[k, R_VERDICT] != VERDICT_FEASIBLE:
            out[k, R_CLOSING] = 0.0
            out[k, R_CROSSING] = 0.0
            out[k, R_DIVERT] = 0.0

    return types.SimpleNamespace(evaluate_pair=evaluate_pair, geodesic=geodesic, cannot_be_usable=cannot_be_usable,
                                 kill_geometry=kill_geometry, vincenty=vincenty, reduced_latitude=reduced_latitude)


_cpu = build(numba.njit(cache=True, error_model="numpy"))
_evaluate_pair, _vincenty, _reduced_latitude = _cpu.evaluate_pair, _cpu.vincenty, _cpu.reduced_latitude
_write_track = physics.build(numba.njit(cache=True, error_model="numpy", _nrt=False)).write_track


@numba.njit(parallel=True, cache=True, error_model="numpy")
def ground_ranges(tracks, counts, latitude, longitude, a, f, out):
    """Geodesic length (m, Vincenty's inverse, as the engagement measures it) on the ellipsoid (a, f)
    from the point (latitude, longitude; rad) to every sample of the compact tracks: ``out[i, s]``.

    The reduced latitude of a sample comes from its surface normal without trigonometry (tan u =
    (1 - f) n_z / sqrt(n_x^2 + n_y^2)), and each sample's iteration starts from where its
    predecessor's converged (the samples of a track are close): the same lengths, in fewer steps."""
    su1, cu1 = _reduced_latitude(latitude, f)
    for i in numba.prange(tracks.shape[0]):
        offset = 0.0  # the converged longitude difference on the auxiliary sphere, less the geodetic one
        for s in range(int(counts[i])):
            nx, ny, nz = tracks[i, s, T_NORMAL], tracks[i, s, T_NORMAL + 1], tracks[i, s, T_NORMAL + 2]
            p = math.sqrt(nx * nx + ny * ny)
            q = math.sqrt(p * p + ((1.0 - f) * nz) ** 2)
            big_l = math.atan2(ny, nx) - longitude
            out[i, s], lam = _vincenty(su1, cu1, (1.0 - f) * nz / q, p / q, big_l, big_l + offset, a, f)
            offset = lam - big_l


@numba.njit(parallel=True, cache=True, error_model="numpy")
def compact_batch(history, counts, omega, a, f, tracks):
    """Compact tracks (``results.T_*``, ``physics.write_track``) of recorded ECI histories (flight, sample, 7).

    The Earth's rotation angle at evenly spaced samples is carried from one to the next by the angle
    sum formulas (one cosine and sine per spacing, not per sample), taken afresh every
    ``ROTATION_ANCHOR`` samples and wherever the spacing changes (rounding stays below 1e-14 rad), as
    the flight kernel does when it writes compact tracks itself."""
    for i in numba.prange(history.shape[0]):
        c = 1.0
        sn = 0.0
        step_c = 1.0
        step_s = 0.0
        spacing = -1.0
        t_last = 0.0
        for s in range(int(counts[i])):
            t = history[i, s, 0]
            if s % ROTATION_ANCHOR != 0 and abs((t - t_last) - spacing) <= 1e-9 * spacing:
                c, sn = c * step_c - sn * step_s, sn * step_c + c * step_s
            else:
                c = math.cos(omega * t)
                sn = math.sin(omega * t)
                if s > 0:
                    spacing = t - t_last
                    step_c = math.cos(omega * spacing)
                    step_s = math.sin(omega * spacing)
            t_last = t
            state = (history[i, s, 1], history[i, s, 2], history[i, s, 3], history[i, s, 4], history[i, s, 5],
                     history[i, s, 6])
            _write_track(tracks, i, s, t, state, c, sn, omega, a, f)


@numba.njit(parallel=True, cache=True, error_model="numpy")
def engage_batch(tracks, counts, phases, sites, envelope_index, grids, velocities, site_min, site_rates, masks, launch_s,
                 look_s, band, steps, earth, endgame, guides, site_guides, out):
    """Evaluate every (flight, site) pair: row flight * n_sites + site of ``out``; ``look_s`` is the time from
    one shot's intercept to the next shot's launch (shoot-look-shoot). One scratch per flight, shared by its
    sites."""
    n_sites = sites.shape[0]
    for flight in numba.prange(tracks.shape[0]):
        scratch = np.empty((max(int(counts[flight]), 1), 4))
        for site in range(n_sites):
            k = flight * n_sites + site
            _evaluate_pair(k, flight, site, tracks, counts, phases, sites, envelope_index, grids, velocities, site_min,
                           site_rates, masks, launch_s[k], look_s, band, steps, earth, endgame, guides, site_guides,
                           scratch, out)
