"""Compiled sensing: which samples of a compact track a sensor sees, first detection and track.

The scalar functions are written once in :func:`build` and compiled for the CPU and for CUDA,
like the flight physics. A radar sees a sample when the four conditions of ``sensors.py`` hold
(line of sight over the ellipsoid, elevation, azimuth, range), computed the same way; an
infrared warning sensor sees the boost after its delay. The track rule: a target seen at
consecutive samples stays in view from sample to sample; the track is established
``track_time_s`` after first detection when the target is still in view then, otherwise at the
start of the first later interval at least that long, plus ``track_time_s``.
"""

from __future__ import annotations

import math

import numba

from .cache import drop_stale
from .pack import (
    KIND_INFRARED,
    S_ANTENNA,
    S_BORESIGHT,
    S_DELAY,
    S_EAST,
    S_HALF_WIDTH,
    S_KIND,
    S_MAX_ELEVATION,
    S_MIN_ELEVATION,
    S_NORTH,
    S_RANGE,
    S_TRACK_TIME,
    S_UP,
)
from .results import T_HEIGHT, T_NORMAL, T_TIME

drop_stale(__file__)

def build(jit):
    """Return (radar_sees, track_step, cue_of_flight) compiled for the target of ``jit``."""

    @jit
    def radar_sees(x, y, z, sensors, r, a, b):
        """True when radar row r sees the ECEF point (m)."""
        ax = sensors[r, S_ANTENNA]
        ay = sensors[r, S_ANTENNA + 1]
        az = sensors[r, S_ANTENNA + 2]
        dx = x - ax
        dy = y - ay
        dz = z - az
        if dx * dx + dy * dy + dz * dz > sensors[r, S_RANGE] * sensors[r, S_RANGE]:
            return False  # the cheapest test first: the four conditions must all hold
        # line of sight: the ellipsoid scaled onto the unit sphere, distance from its centre to the segment
        px, py, pz = ax / a, ay / a, az / b
        qx, qy, qz = x / a, y / a, z / b
        ex, ey, ez = qx - px, qy - py, qz - pz
        length2 = max(ex * ex + ey * ey + ez * ez, 1e-300)
        s = min(max(-(px * ex + py * ey + pz * ez) / length2, 0.0), 1.0)
        cx, cy, cz = px + s * ex, py + s * ey, pz + s * ez
        if cx * cx + cy * cy + cz * cz < 1.0 - 1e-12:
            return False
        u = dx * sensors[r, S_UP] + dy * sensors[r, S_UP + 1] + dz * sensors[r, S_UP + 2]
        e = dx * sensors[r, S_EAST] + dy * sensors[r, S_EAST + 1] + dz * sensors[r, S_EAST + 2]
        n = dx * sensors[r, S_NORTH] + dy * sensors[r, S_NORTH + 1] + dz * sensors[r, S_NORTH + 2]
        elevation = math.degrees(math.atan2(u, math.hypot(e, n)))
        if elevation < sensors[r, S_MIN_ELEVATION] or elevation > sensors[r, S_MAX_ELEVATION]:
            return False
        azimuth = math.degrees(math.atan2(e, n)) % 360.0
        return abs((azimuth - sensors[r, S_BORESIGHT] + 180.0) % 360.0 - 180.0) <= sensors[r, S_HALF_WIDTH]

    @jit
    def track_step(seen, t, start, first, track_time_s):
        """One sample of the track rule: (interval start or -1, first detection, track or inf)."""
        if not seen:
            return -1.0, first, math.inf
        if start < 0.0:
            start = t
            if first == math.inf:
                first = t
        if t - start >= track_time_s:
            return start, first, start + track_time_s
        return start, first, math.inf

    @jit
    def cue_of_flight(i, tracks, counts, burnout_s, sensors, a, f, out):
        """Earliest first detection and track (s, inf where none) of flight i by any sensor row;
        ``tracks`` are compact tracks (time, latitude, longitude, height, unit surface normal)."""
        e2 = f * (2.0 - f)
        b = a * (1.0 - f)
        best_first = math.inf
        best_track = math.inf
        for r in range(sensors.shape[0]):
            track_time = sensors[r, S_TRACK_TIME]
            if sensors[r, S_KIND] == KIND_INFRARED:
                first = sensors[r, S_DELAY]
                if first < burnout_s[i]:
                    best_first = min(best_first, first)
                    if first + track_time <= burnout_s[i]:
                        best_track = min(best_track, first + track_time)
                continue
            start = -1.0
            first = math.inf
            track = math.inf
            for s in range(int(counts[i])):
                # ECEF from the track's height and unit surface normal (no trigonometry)
                height = tracks[i, s, T_HEIGHT]
                sl = tracks[i, s, T_NORMAL + 2]
                normal = a / math.sqrt(1.0 - e2 * sl * sl)
                x = (normal + height) * tracks[i, s, T_NORMAL]
                y = (normal + height) * tracks[i, s, T_NORMAL + 1]
                z = (normal * (1.0 - e2) + height) * sl
                start, first, track = track_step(radar_sees(x, y, z, sensors, r, a, b), tracks[i, s, T_TIME], start,
                                                 first, track_time)
                if track < math.inf:
                    break
            best_first = min(best_first, first)
            best_track = min(best_track, track)
        out[i, 0] = best_first
        out[i, 1] = best_track

    return radar_sees, track_step, cue_of_flight


_radar_sees, _track_step, _cue_of_flight = build(numba.njit(cache=True, error_model="numpy"))


@numba.njit(parallel=True, cache=True, error_model="numpy")
def first_and_track(seen, time_s, counts, track_time_s, first_s, track_s):
    """Fill ``first_s`` and ``track_s`` (inf where none) for every row of ``seen`` (flight, sample)."""
    for i in numba.prange(seen.shape[0]):
        start = -1.0
        first = math.inf
        track = math.inf
        for s in range(int(counts[i])):
            start, first, track = _track_step(seen[i, s], time_s[i, s], start, first, track_time_s)
            if track < math.inf:
                break
        first_s[i] = first
        track_s[i] = track


@numba.njit(parallel=True, cache=True, error_model="numpy")
def cue_batch(tracks, counts, burnout_s, sensors, a, f, out):
    """First detection and track (columns 0, 1 of ``out``) of every flight by the sensor rows."""
    for i in numba.prange(tracks.shape[0]):
        _cue_of_flight(i, tracks, counts, burnout_s, sensors, a, f, out)
