"""Layout of the engagement kernel's rows (``engine/engage.py``): its results, its verdict codes and
the endgame row.

Kept apart from ``pack.py`` (the flight rows), whose digest names the shipped aim solutions: a
change to the engagement's layout does not touch them.
"""

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
N_RESULT = 13

# verdict codes (engagement.Verdict)
VERDICT_FEASIBLE = 0
VERDICT_NEVER_DETECTED = 1
VERDICT_OUT_OF_ALTITUDE_BAND = 2
VERDICT_OUT_OF_RANGE = 3
VERDICT_TOO_LATE = 4
VERDICT_BEYOND_SECTOR = 5
VERDICT_ENDGAME_INFEASIBLE = 6

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
