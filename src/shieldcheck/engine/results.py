"""Layout of the engagement kernel's rows (``engine/engage.py``): its results, its verdict codes, the
one rule that chooses a verdict (:func:`verdict_of`), the threat's flight phases (:func:`phase_of`)
and the endgame row.

Kept apart from ``pack.py`` (the flight rows), whose digest names the shipped aim solutions: a
change to the engagement's layout does not touch them.
"""

import math

from ..verdicts import Verdict

# --- engagement results: one row per (flight, site) pair ------------------------------------
R_VERDICT = 0
R_MARGIN = 1
R_EARLIEST = 2
R_LATEST = 3
R_MIN_ALTITUDE = 4
R_MAX_ALTITUDE = 5
R_FIRST_INDEX = 6
R_REASON = 7  # endgame_infeasible: the limit the best reachable point fails (REASON_*)
R_REASON_VALUE = 8  # ... and its value there (m, deg, m/s)
R_CLOSING = 9  # at the intercept point (the first feasible sample): closing speed, m/s
R_CROSSING = 10  # crossing angle, deg (0: head-on)
R_DIVERT = 11  # divert the kill vehicle needs, m/s
R_SHOTS = 12  # shot opportunities under shoot-look-shoot (engagement.shot_opportunities); 0 where not feasible
R_USABLE_MARGIN = 13  # endgame_infeasible: the slack at the best point the endgame allows, s (-inf: none)
R_PHASE = 14  # feasible: the threat's flight phase at the earliest intercept (PHASE_*)
R_PHASES = 15  # feasible: the phases of the feasible samples, one bit each (1 << PHASE_*)
N_RESULT = 16

# verdict codes: plain ints for the kernels, from the one table (verdicts.Verdict)
VERDICT_FEASIBLE = int(Verdict.FEASIBLE)
VERDICT_NEVER_DETECTED = int(Verdict.NEVER_DETECTED)
VERDICT_OUT_OF_ALTITUDE_BAND = int(Verdict.OUT_OF_ALTITUDE_BAND)
VERDICT_OUT_OF_RANGE = int(Verdict.OUT_OF_RANGE)
VERDICT_TOO_LATE = int(Verdict.TOO_LATE)
VERDICT_BEYOND_SECTOR = int(Verdict.BEYOND_SECTOR)
VERDICT_ENDGAME_INFEASIBLE = int(Verdict.ENDGAME_INFEASIBLE)


def verdict_of(detected, in_band, best_reached_s, best_usable_s, in_time_in_sector):
    """The verdict of one (flight, site) pair from what its samples showed: the one precedence rule, read
    by the compiled kernel (``engine/engage.py``, CPU and CUDA) and the NumPy reference
    (``engagement.engage``).

    ``detected``: the cue came (the interceptor launches); ``in_band``: some sample after its launch lies
    in its intercept altitude band; ``best_reached_s``: the best slack (s early, + ; late, -) over the
    samples it reaches, whatever the endgame (-inf: none); ``best_usable_s``: over those the kill
    vehicle's endgame allows (-inf: none; the same number with the endgame off); ``in_time_in_sector``:
    a usable sample reached in time lies where the site may intercept.

    In order: never_detected, out_of_altitude_band, out_of_range; a usable sample in time gives feasible
    (beyond_sector outside the sector); none in time gives endgame_infeasible when the endgame removed
    every in-time sample (some reached sample is in time) or every sample (none usable), and too_late only
    when even the samples the endgame removed are late: the lateness is then what an earlier cue would
    change, the endgame not.
    """
    if not detected:
        return VERDICT_NEVER_DETECTED
    if not in_band:
        return VERDICT_OUT_OF_ALTITUDE_BAND
    if best_reached_s == -math.inf:
        return VERDICT_OUT_OF_RANGE
    if best_usable_s >= 0.0:
        return VERDICT_FEASIBLE if in_time_in_sector else VERDICT_BEYOND_SECTOR
    if best_usable_s == -math.inf or best_reached_s >= 0.0:
        return VERDICT_ENDGAME_INFEASIBLE
    return VERDICT_TOO_LATE

# the threat's flight phases (engagement.FLIGHT_PHASES); PHASE_ANY selects every sample
PHASE_ANY = 0
PHASE_BOOST = 1
PHASE_ASCENT = 2
PHASE_MIDCOURSE = 3
PHASE_TERMINAL = 4
FLIGHT_PHASES = ("any", "boost", "ascent", "midcourse", "terminal")  # their names, in code order


def phase_of(time_s, altitude_m, burnout_s, apogee_s, floor_m):
    """The threat's flight phase at one sample (PHASE_*): boost up to its burnout, ascent (post-boost)
    up to its apogee, midcourse after the apogee at or above ``floor_m`` (the interceptor's lowest
    intercept altitude), terminal below it. Read by the kernel and the NumPy reference alike."""
    if time_s <= burnout_s:
        return PHASE_BOOST
    if time_s <= apogee_s:
        return PHASE_ASCENT
    if altitude_m >= floor_m:
        return PHASE_MIDCOURSE
    return PHASE_TERMINAL


def phase_window(want, burnout_s, apogee_s):
    """The times (after_s, until_s] of the threat's samples in flight phase ``want`` (PHASE_*) that can lie
    in an interceptor's altitude band: inside the band a sample's altitude is at least the floor of
    :func:`phase_of`, so the phase is one of time (boost up to burnout, ascent up to apogee, midcourse
    after it) and a terminal sample is never in the band (an empty window)."""
    if want == PHASE_BOOST:
        return -math.inf, burnout_s
    if want == PHASE_ASCENT:
        return burnout_s, apogee_s
    if want == PHASE_MIDCOURSE:
        return apogee_s, math.inf
    if want == PHASE_TERMINAL:
        return math.inf, -math.inf
    return -math.inf, math.inf


# endgame reasons (endgame.Reason), in the order they are checked
REASON_NONE = 0
REASON_RANGE = 1
REASON_NO_TRACK = 2
REASON_CROSSING = 3
REASON_CLOSING_SLOW = 4
REASON_CLOSING_FAST = 5
REASON_DIVERT = 6

# --- the endgame row (endgame.Endgame.row) ---------------------------------------------------
G_ON = 0  # 1: kinematic, 0: none
G_MIN_CLOSING = 1  # m/s
G_MAX_CLOSING = 2  # m/s
G_COS_MAX_CROSSING = 3  # cosine of the largest crossing angle
G_DIVERT = 4  # m/s
G_TIME_TO_GO = 5  # s
G_MAX_RANGE = 6  # m (inf: none)
G_VELOCITY_ERROR = 7  # m/s
N_ENDGAME = 8

# --- compact tracks: (flight, sample, column) --------------------------------------------------
# (the geodetic latitude and longitude are the normal's: sin(latitude) is its z, the longitude the angle of x, y)
T_TIME = 0
T_HEIGHT = 1  # m
T_NORMAL = 2  # 2..4: unit surface normal, ECEF
T_VELOCITY = 5  # 5..7: Earth-relative velocity, ECEF, m/s
N_TRACK = 8  # (the flight kernel's ECI histories have 7 columns: a history array says by its width which it holds)
ROTATION_ANCHOR = 32  # samples between the Earth's rotation angles taken afresh, not carried by the angle sums


def first_after(tracks, flight, count, time_s):
    """The first of a flight's ``count`` compact-track samples (in time order) later than ``time_s``;
    ``count`` if none (a bisection: the samples are sorted in time)."""
    lo = 0
    hi = count
    while lo < hi:
        mid = (lo + hi) // 2
        if tracks[flight, mid, T_TIME] <= time_s:
            lo = mid + 1
        else:
            hi = mid
    return lo
