"""Aiming a fractional-orbit (FOBS) vehicle in the compiled kernel: its own controls, every route on its own.

A FOBS boosts into a low orbit (thrust cut off when the osculating perigee reaches the stated altitude),
coasts the long way round and fires a retro impulse timed to bring its warhead down on the aim
(``shieldcheck.orbital``). Its controls are the launch azimuth, the pitch-over (kick) angle, the thrust
cut-off and the deorbit time. One route per thread (CPU: a parallel loop; CUDA: ``engine/cuda.py``), each
solved by flying the flight kernel's ``fly_one`` again and again into its own rows; written once in
:func:`build` for both targets, like ``physics.py`` and ``aim.py``.

The solution, per route:

1. *insertion*: of the kicks whose full burn reaches the perigee, the one that needs the earliest cut-off
   (least propellant; the most nearly circular orbit): a scan and a golden-section search for the kick
   of the highest full-burn perigee, then the same over a window round it for the earliest cut-off, each
   value a root of the perigee in the cut-off (the perigee rises with the burn);
2. *deorbit time*: a root of the along-track error, in a chart fixed to the insertion orbit: the angle
   swept about the Earth's centre in the orbit's plane from the launch point to the impact (the coast's
   whole turns counted from its mean motion), less the in-plane angle of the aim at the impact time (the
   aim turns with the Earth). Over a coast of 1.25 revolutions the swept angle grows by 2.5 pi and the
   aim's angle by at most 0.45 rad, so the error changes sign (it rises monotonically on a nearly
   circular orbit; on an eccentric one the re-entry's range swings with the deorbit point): the root is
   bracketed between the earliest deorbit (one second after burnout) and the end of the coast. The
   aim's angle is taken on the turn after the earliest deorbit's impact (the first revolution that can
   reach it), by the same rule on every azimuth, and the bracket is marched to from the last root in
   steps of at most an eighth of a period, so that the root found moves continuously with the azimuth;
3. *azimuth*: a root of the cross-track error (the aim's angle off the orbit plane less the impact's),
   each value with the cut-off solved again for the perigee and the deorbit time for the along-track
   error: secant steps from the aim's bearing + 180 deg (the long way round), regula falsi once the
   error has changed sign. The kick is searched again, round the last one, when the azimuth has moved
   more than ``KICK_AZIMUTH_RAD`` from where it was searched or the kick no longer reaches the orbit; a
   step onto an azimuth on which no kick reaches it is halved back towards the last one that did. Where the
   search stops short of a landing within half the tolerance, the best one within the tolerance is kept.
   Where the secant steps find no change of sign (a local extreme of the cross-track error: near the
   antipode two azimuths reach the aim, and the first steps may lead between them), the compass is
   scanned in ``SCAN_AZIMUTHS`` steps for one.

Every root is regula falsi with the Illinois modification on a bracket, started by secant steps, and
bisected when the bracket does not halve in three steps: it converges wherever the bracket exists.
Where none exists, the route ends with the reason and the number that decided it: the highest perigee
at full burn and the burnout speed short of the orbit (``FOBS_NO_ORBIT``), the perigee left after the
deorbit impulse (``FOBS_NO_DEORBIT``), the along-track shortfall of the latest deorbit of the coast
(``FOBS_BEYOND``), the nearest the first revolution's track comes to the aim on any azimuth of the compass
scan (``FOBS_TRACK_MISSES``), or the smallest miss found (``FOBS_NOT_CONVERGED``).

Each evaluation flies the boost and coast up to the deorbit time with the kernel stopped there (the
integrator's time limit set in the route's own settings row), then the re-entry vehicle alone from the
state after the impulse: exactly the flight that ``fly_solution`` flies for the answer, so the miss found
is the miss flown.
"""

from __future__ import annotations

import math
import types

from . import roots
from .pack import (
    C_T_MAX,
    E_A,
    E_F,
    E_GM,
    E_OMEGA,
    F_AZIMUTH,
    F_CUTOFF,
    F_HEADING,
    F_KICK,
    F_POSITION,
    F_T0,
    F_VEHICLE,
    F_VELOCITY,
    N_SETTINGS,
    O_BURNOUT_STATE,
    O_BURNOUT_T,
    O_END_STATE,
    O_END_T,
    O_IMPACT_ECEF,
    O_IMPACT_T,
    O_STATUS,
    S_BURNOUT,
    STAGE_STRIDE,
    STATUS_IMPACT,
    STATUS_MAX_TIME,
    V_STAGE,
    V_STAGE_COUNT,
)

# --- route rows: one per route (orbital.fobs_route_rows) ------------------------------------------
R_LAUNCH = 0  # 0..2: the launch point, ECEF m (= ECI at launch)
R_NORTH = 3  # 3..5: the launch site's north, ECEF
R_EAST = 6  # 6..8: its east
R_AIM = 9  # 9..11: the aim point, ECEF m
R_AZIMUTH = 12  # the first azimuth, rad: the aim's bearing + pi (the long way round); TASK_INSERTION: the azimuth
R_PERIGEE = 13  # the insertion orbit's perigee altitude above the ellipsoid, m
R_DELTA_V = 14  # the deorbit impulse, m/s, against the inertial velocity
R_REENTRY_VEHICLE = 15  # vehicle row of the re-entry vehicle flown alone after the impulse
R_EARLIEST_CUTOFF = 16  # the earliest thrust cut-off tried, s: one second into the last stage
R_TOLERANCE = 17  # landing tolerance, m (chord from impact to aim)
R_REENTRY_TIME = 18  # the re-entry leg's time limit, s (the integrator's max_flight_time_s)
R_TASK = 19  # TASK_*
N_ROUTE = 20

TASK_AIM = 0  # every control, for the aim
TASK_INSERTION = 1  # only the insertion's kick and cut-off, on the azimuth R_AZIMUTH

# --- solutions: one row per route ---------------------------------------------------------------
SOL_STATUS = 0  # FOBS_*
SOL_AZIMUTH = 1  # rad
SOL_KICK = 2  # rad
SOL_CUTOFF = 3  # s
SOL_DEORBIT = 4  # deorbit time, s after launch
SOL_MISS = 5  # chord from impact to aim, m (landed), or the smallest found (not converged)
SOL_FLIGHTS = 6  # kernel flights flown for this route
SOL_LIMIT = 7  # the number behind a refusal (see FOBS_*)
SOL_SPEED_SHORT = 8  # FOBS_NO_ORBIT: inertial speed (m/s) the best full burn lacks for the perigee (NaN: none would do)
SOL_BURNOUT_ALTITUDE = 9  # FOBS_NO_ORBIT: altitude (m) of that burnout above the ellipsoid
SOL_PERIGEE = 10  # perigee altitude (m) of the insertion orbit solved
N_SOLUTION = 11

FOBS_LANDED = 0
FOBS_NO_ORBIT = 1  # SOL_LIMIT: the highest perigee altitude (m) at full burn over the kicks, on SOL_AZIMUTH, SOL_KICK
FOBS_NO_DEORBIT = 2  # SOL_LIMIT: perigee altitude (m) after the impulse at SOL_DEORBIT: it does not come down
FOBS_BEYOND = 3  # SOL_LIMIT: along-track shortfall (m) of the latest deorbit of the coast (SOL_DEORBIT)
FOBS_NOT_CONVERGED = 4  # SOL_MISS: the smallest miss found
FOBS_INSERTION = 5  # TASK_INSERTION: the insertion solved (SOL_KICK, SOL_CUTOFF, SOL_PERIGEE)
FOBS_TRACK_MISSES = 6  # SOL_LIMIT: the nearest (m) that the first revolution's track comes to the aim, on SOL_AZIMUTH

# --- scratch rows: one per route; the first N_SETTINGS columns are its own integrator settings row ---
X_E1 = N_SETTINGS  # 0..2: in-plane unit vector of the insertion orbit towards the launch point, ECI
X_E2 = N_SETTINGS + 3  # 0..2: in-plane unit vector 90 deg ahead of it
X_NORMAL = N_SETTINGS + 6  # 0..2: the orbit's unit normal (angular momentum)
X_MEAN_MOTION = N_SETTINGS + 9  # rad/s
X_BURNOUT_T = N_SETTINGS + 10  # s
X_BURNOUT_PHASE = N_SETTINGS + 11  # in-plane angle of the insertion point from the launch point, rad
X_AIM_PHASE = N_SETTINGS + 12  # the aim's in-plane angle on the turn chosen in this pass, rad (NaN: not chosen yet)
X_AIM_PHASE_LAST = N_SETTINGS + 13  # ... at the last flight
X_CUTOFF_GUESS = N_SETTINGS + 14  # the last cut-off root, s: the next one starts there
X_AIM_UNIT = N_SETTINGS + 15  # 0..2: the aim's direction at the last flight's impact time, ECI
X_CUTOFF_SLOPE = N_SETTINGS + 18  # d(perigee)/d(cut-off) at the last cut-off root, m/s (NaN: none yet)
N_SCRATCH = N_SETTINGS + 19

KICK_MIN_RAD = math.radians(0.05)
KICK_MAX_RAD = math.radians(85.0)
TOP_SCAN = 18  # kicks scanned at full burn for the highest perigee
COST_SCAN = 9  # kicks scanned for the earliest cut-off ...
COST_WINDOW_RAD = math.radians(12.0)  # ... this far either side of the highest perigee's kick
REFINE_SCAN = 7  # kicks scanned again round the last one, when the azimuth has moved
REFINE_WINDOW_RAD = math.radians(3.0)
KICK_AZIMUTH_RAD = math.radians(0.5)  # the kick is searched again once the azimuth moves this far from where it was
KICK_RESOLUTION_RAD = math.radians(0.01)  # golden-section searches stop at this bracket
GOLDEN = (math.sqrt(5.0) - 1.0) / 2.0
GOLDEN_STEPS = 30
SHORT_S_PER_M = 1e-3  # a kick whose full burn falls short of the perigee costs the full burn plus 1 s per km short
# the cut-off root stops when the perigee is this close to its target: far closer than the insertion needs, so that
# the azimuth's root sees a smooth function (a root's stopping point jumps between passes by up to its tolerance)
PERIGEE_TOLERANCE_M = 0.01
SEARCH_PERIGEE_TOLERANCE_M = 1.0  # ... and inside the kick's search, whose least cut-off lies where it is flat in the kick
CUTOFF_RESOLUTION_S = 1e-9
DEORBIT_RESOLUTION_S = 1e-7
COAST_REVOLUTIONS = 1.25  # the latest deorbit: this many periods after burnout
MARCH_FRACTION = 0.125  # the deorbit time's bracket is looked for in steps of at most this fraction of a period
MARCH_MIN_S = 1.0
ALONG_FRACTION = 0.25  # the deorbit-time root stops within this fraction of the tolerance along the track
LANDING_FRACTION = 0.5  # landed when the chord is within this fraction of the tolerance
MAX_ROOT_STEPS = 80
MAX_PASSES = 80  # azimuth corrections (and steps back from azimuths on which the orbit is out of reach)
MAX_KICK_SEARCHES = 3  # kick searches: the first, then round the last one where the azimuth has moved
MIN_STEP_BACK_RAD = math.radians(0.01)  # an azimuth step into one where the orbit is out of reach is halved down to this
AZIMUTH_RESOLUTION_RAD = 1e-12  # the azimuth's bracket closed
STUCK_PASSES = 8  # secant passes without a change of sign of the cross-track error before the compass is scanned
SCAN_AZIMUTHS = 24  # azimuths of that scan
MAX_TURN_RAD = math.radians(20.0)  # the largest azimuth correction of one secant step
SLOPE_FLOOR = 0.2  # |d(cross)/d(azimuth)| assumed at least this in the first step (rad per rad)
FELL_M = -1e7  # perigee given to a boost that fell before thrust ended
TWO_PI = 2.0 * math.pi

ROOT_FOUND = 0
ROOT_EDGE = 1  # an end of the interval has the sign of the start: no root inside
ROOT_FAILED = 2  # an evaluation had no value (the re-entry vehicle did not come down)
ROOT_STALLED = 3  # the bracket closed without the value within the tolerance, or too many steps

WHAT_PERIGEE = 0  # x: the cut-off (s); value: perigee altitude less the target (m)
WHAT_ALONG = 1  # x: the deorbit time (s); value: along-track error (rad, + beyond the aim)

OBJECTIVE_TOP = 0  # minus the full burn's perigee (m): its minimum is the highest perigee
OBJECTIVE_COST = 1  # the cut-off (s) that reaches the perigee: its minimum is the least propellant


def build(jit, fly_one):
    """The compiled ``aim_one`` and ``fly_solution`` for FOBS routes on the target of ``jit``, flying with that
    target's ``fly_one``."""
    illinois_update = jit(roots.illinois_update)
    bracketed_step = jit(roots.bracketed_step)

    @jit
    def full_burn_s(vehicle):
        """Time (s) of the last stage's burnout."""
        count = int(vehicle[V_STAGE_COUNT])
        return vehicle[V_STAGE + (count - 1) * STAGE_STRIDE + S_BURNOUT]

    @jit
    def wrapped(angle):
        """An angle (rad) brought into [-pi, pi)."""
        return (angle + math.pi) % TWO_PI - math.pi

    @jit
    def perigee_altitude(x, y, z, vx, vy, vz, earth):
        """Perigee altitude (m) above the ellipsoid of the osculating two-body orbit of an ECI state (the ellipsoid's
        radius along the perigee's direction), and the orbit's semi-major axis (m; inf if it escapes).

        As ``orbital.kepler_orbit`` (Bate, Mueller & White 1971, ch. 2): p = h^2 / mu, e from the Laplace vector."""
        gm = earth[E_GM]
        r = math.sqrt(x * x + y * y + z * z)
        hx = y * vz - z * vy
        hy = z * vx - x * vz
        hz = x * vy - y * vx
        v2 = vx * vx + vy * vy + vz * vz
        ex = (vy * hz - vz * hy) / gm - x / r
        ey = (vz * hx - vx * hz) / gm - y / r
        ez = (vx * hy - vy * hx) / gm - z / r
        e = math.sqrt(ex * ex + ey * ey + ez * ez)
        radius = (hx * hx + hy * hy + hz * hz) / gm / (1.0 + e)
        sine = ez / e if e > 1e-9 else z / r
        a = earth[E_A]
        b = a * (1.0 - earth[E_F])
        s2 = sine * sine
        surface = a * b / math.sqrt(b * b * (1.0 - s2) + a * a * s2)
        energy = 0.5 * v2 - gm / r
        semi_major = -gm / (2.0 * energy) if energy < 0.0 else math.inf
        return radius - surface, semi_major

    @jit
    def fly_leg(i, azimuth, kick, cutoff, t_stop, flights, vehicles, drag, scratch, earth, log_density, log_pressure,
                sound, out, history, routes):
        """Fly route i's missile from its launch point with the steering given until ``t_stop`` (s) or impact."""
        route = routes[i]
        ca = math.cos(azimuth)
        sa = math.sin(azimuth)
        flights[i, F_AZIMUTH] = azimuth
        for j in range(3):
            flights[i, F_HEADING + j] = ca * route[R_NORTH + j] + sa * route[R_EAST + j]
        flights[i, F_KICK] = kick
        flights[i, F_CUTOFF] = cutoff
        scratch[i, C_T_MAX] = t_stop
        fly_one(i, flights, vehicles, drag, scratch[i], earth, log_density, log_pressure, sound, out, history)

    @jit
    def insertion_perigee(i, azimuth, kick, cutoff, flights, vehicles, drag, scratch, earth, log_density,
                          log_pressure, sound, out, history, routes):
        """Perigee altitude (m) of the orbit at thrust end (``FELL_M`` if the boost fell before); out[i] then holds the
        boost, flown one second past the last stage's burnout."""
        vehicle = vehicles[int(flights[i, F_VEHICLE])]
        fly_leg(i, azimuth, kick, cutoff, full_burn_s(vehicle) + 1.0, flights, vehicles, drag, scratch, earth,
                log_density, log_pressure, sound, out, history, routes)
        x = out[i, O_BURNOUT_STATE]
        y = out[i, O_BURNOUT_STATE + 1]
        z = out[i, O_BURNOUT_STATE + 2]
        if out[i, O_STATUS] != STATUS_MAX_TIME or x * x + y * y + z * z < 1.0:
            return FELL_M
        p, _ = perigee_altitude(x, y, z, out[i, O_BURNOUT_STATE + 3], out[i, O_BURNOUT_STATE + 4],
                                out[i, O_BURNOUT_STATE + 5], earth)
        return p

    @jit
    def phase_of(s, x, y, z):
        """In-plane angle (rad, -pi to pi) of an ECI vector in the chart of scratch row ``s``, from the launch point."""
        return math.atan2(x * s[X_E2] + y * s[X_E2 + 1] + z * s[X_E2 + 2], x * s[X_E1] + y * s[X_E1 + 1] + z * s[X_E1 + 2])

    @jit
    def chart(i, azimuth, kick, cutoff, flights, vehicles, drag, scratch, earth, log_density, log_pressure, sound, out,
              history, routes):
        """Fly the insertion and fix the chart of route i's orbit in its scratch row: the orbit's plane (normal, and
        the in-plane directions towards the launch point and 90 deg ahead), its mean motion, the burnout time and the
        insertion point's angle. Returns the orbit's period (s; inf if it escapes)."""
        insertion_perigee(i, azimuth, kick, cutoff, flights, vehicles, drag, scratch, earth, log_density, log_pressure,
                          sound, out, history, routes)
        s = scratch[i]
        route = routes[i]
        x = out[i, O_BURNOUT_STATE]
        y = out[i, O_BURNOUT_STATE + 1]
        z = out[i, O_BURNOUT_STATE + 2]
        vx = out[i, O_BURNOUT_STATE + 3]
        vy = out[i, O_BURNOUT_STATE + 4]
        vz = out[i, O_BURNOUT_STATE + 5]
        hx = y * vz - z * vy
        hy = z * vx - x * vz
        hz = x * vy - y * vx
        h = math.sqrt(hx * hx + hy * hy + hz * hz)
        hx /= h
        hy /= h
        hz /= h
        lx = route[R_LAUNCH]
        ly = route[R_LAUNCH + 1]
        lz = route[R_LAUNCH + 2]
        along = lx * hx + ly * hy + lz * hz
        lx -= along * hx
        ly -= along * hy
        lz -= along * hz
        length = math.sqrt(lx * lx + ly * ly + lz * lz)
        lx /= length
        ly /= length
        lz /= length
        s[X_NORMAL] = hx
        s[X_NORMAL + 1] = hy
        s[X_NORMAL + 2] = hz
        s[X_E1] = lx
        s[X_E1 + 1] = ly
        s[X_E1 + 2] = lz
        s[X_E2] = hy * lz - hz * ly
        s[X_E2 + 1] = hz * lx - hx * lz
        s[X_E2 + 2] = hx * ly - hy * lx
        _, semi_major = perigee_altitude(x, y, z, vx, vy, vz, earth)
        motion = math.sqrt(earth[E_GM] / (semi_major * semi_major * semi_major)) if semi_major < math.inf else 0.0
        s[X_MEAN_MOTION] = motion
        s[X_BURNOUT_T] = out[i, O_BURNOUT_T]
        s[X_BURNOUT_PHASE] = phase_of(s, x, y, z)
        return TWO_PI / motion if motion > 0.0 else math.inf

    @jit
    def fly_deorbit(i, t_deorbit, azimuth, kick, cutoff, flights, vehicles, drag, scratch, earth, log_density,
                    log_pressure, sound, out, history, routes, reentry_flights, reentry_out, reentry_history):
        """Fly route i to the deorbit time (the kernel stopped there: out[i], history[i]), the impulse against the
        inertial velocity, and the re-entry vehicle alone from there (reentry_flights[i], reentry_out[i],
        reentry_history[i])."""
        route = routes[i]
        fly_leg(i, azimuth, kick, cutoff, t_deorbit, flights, vehicles, drag, scratch, earth, log_density,
                log_pressure, sound, out, history, routes)
        vx = out[i, O_END_STATE + 3]
        vy = out[i, O_END_STATE + 4]
        vz = out[i, O_END_STATE + 5]
        scale = 1.0 - route[R_DELTA_V] / math.sqrt(vx * vx + vy * vy + vz * vz)
        for j in range(3):
            reentry_flights[i, F_POSITION + j] = out[i, O_END_STATE + j]
            reentry_flights[i, F_VELOCITY + j] = scale * out[i, O_END_STATE + 3 + j]
        reentry_flights[i, F_T0] = out[i, O_END_T]
        reentry_flights[i, F_VEHICLE] = route[R_REENTRY_VEHICLE]
        scratch[i, C_T_MAX] = route[R_REENTRY_TIME]
        fly_one(i, reentry_flights, vehicles, drag, scratch[i], earth, log_density, log_pressure, sound, reentry_out,
                reentry_history)

    @jit
    def deorbit_shot(i, t_deorbit, azimuth, kick, cutoff, flights, vehicles, drag, scratch, earth, log_density,
                     log_pressure, sound, out, history, routes, reentry_flights, reentry_out, reentry_history):
        """Fly route i's deorbit at ``t_deorbit`` (``fly_deorbit``) and measure where it came down.

        Returns (along rad, landed, cross rad, chord m, post-impulse perigee altitude m): the along-track error in
        the orbit's chart (the swept angle less the aim's, + beyond the aim), the cross-track error (the aim's angle
        off the orbit plane less the impact's), and the chord from impact to aim. Not landed: the re-entry vehicle
        did not come down within the re-entry's time limit."""
        route = routes[i]
        s = scratch[i]
        fly_deorbit(i, t_deorbit, azimuth, kick, cutoff, flights, vehicles, drag, scratch, earth, log_density,
                    log_pressure, sound, out, history, routes, reentry_flights, reentry_out, reentry_history)
        dx = out[i, O_END_STATE]
        dy = out[i, O_END_STATE + 1]
        dz = out[i, O_END_STATE + 2]
        t_start = out[i, O_END_T]
        if reentry_out[i, O_STATUS] != STATUS_IMPACT:
            p, _ = perigee_altitude(dx, dy, dz, reentry_flights[i, F_VELOCITY], reentry_flights[i, F_VELOCITY + 1],
                                    reentry_flights[i, F_VELOCITY + 2], earth)
            return math.nan, False, math.nan, math.inf, p
        ix = reentry_out[i, O_END_STATE]
        iy = reentry_out[i, O_END_STATE + 1]
        iz = reentry_out[i, O_END_STATE + 2]
        # the angle swept: to the insertion point, the coast (its whole turns from the mean motion), the re-entry
        burnout_phase = s[X_BURNOUT_PHASE]
        coast = (phase_of(s, dx, dy, dz) - burnout_phase) % TWO_PI
        expected = s[X_MEAN_MOTION] * (t_start - s[X_BURNOUT_T])
        coast += TWO_PI * math.floor((expected - coast) / TWO_PI + 0.5)
        swept = burnout_phase + coast + (phase_of(s, ix, iy, iz) - phase_of(s, dx, dy, dz)) % TWO_PI
        # the aim where the Earth has turned it at the impact time
        t_hit = reentry_out[i, O_IMPACT_T]
        c = math.cos(earth[E_OMEGA] * t_hit)
        sn = math.sin(earth[E_OMEGA] * t_hit)
        ax = c * route[R_AIM] - sn * route[R_AIM + 1]
        ay = sn * route[R_AIM] + c * route[R_AIM + 1]
        az = route[R_AIM + 2]
        r_aim = math.sqrt(ax * ax + ay * ay + az * az)
        ax /= r_aim
        ay /= r_aim
        az /= r_aim
        s[X_AIM_UNIT] = ax
        s[X_AIM_UNIT + 1] = ay
        s[X_AIM_UNIT + 2] = az
        aim_phase = phase_of(s, ax, ay, az)
        reference = s[X_AIM_PHASE]
        if reference == reference:  # followed continuously from the last root
            aim_phase = reference + wrapped(aim_phase - reference)
        else:  # the first: on the turn after this flight's impact (the first revolution that can reach it)
            aim_phase += TWO_PI * math.ceil((swept - aim_phase) / TWO_PI)
            if aim_phase <= swept:
                aim_phase += TWO_PI
        s[X_AIM_PHASE_LAST] = aim_phase
        r_hit = math.sqrt(ix * ix + iy * iy + iz * iz)
        nx = s[X_NORMAL]
        ny = s[X_NORMAL + 1]
        nz = s[X_NORMAL + 2]
        cross = (math.asin(min(1.0, max(-1.0, ax * nx + ay * ny + az * nz)))
                 - math.asin(min(1.0, max(-1.0, (ix * nx + iy * ny + iz * nz) / r_hit))))
        ex = reentry_out[i, O_IMPACT_ECEF] - route[R_AIM]
        ey = reentry_out[i, O_IMPACT_ECEF + 1] - route[R_AIM + 1]
        ez = reentry_out[i, O_IMPACT_ECEF + 2] - route[R_AIM + 2]
        return swept - aim_phase, True, cross, math.sqrt(ex * ex + ey * ey + ez * ez), math.nan

    @jit
    def evaluate(i, what, x, azimuth, kick, cutoff, flights, vehicles, drag, scratch, earth, log_density, log_pressure,
                 sound, out, history, routes, reentry_flights, reentry_out, reentry_history):
        """One value of a root's function at x: (value, has one, cross rad, chord m, post-impulse perigee m)."""
        if what == WHAT_PERIGEE:
            p = insertion_perigee(i, azimuth, kick, x, flights, vehicles, drag, scratch, earth, log_density,
                                  log_pressure, sound, out, history, routes)
            return p - routes[i, R_PERIGEE], True, 0.0, math.inf, math.nan
        return deorbit_shot(i, x, azimuth, kick, cutoff, flights, vehicles, drag, scratch, earth, log_density,
                            log_pressure, sound, out, history, routes, reentry_flights, reentry_out, reentry_history)

    @jit
    def root(i, what, low, f_low, high, f_high, x, slope, tolerance, resolution, azimuth, kick, cutoff, flights,
             vehicles, drag, scratch, earth, log_density, log_pressure, sound, out, history, routes, reentry_flights,
             reentry_out, reentry_history):
        """Root in x on [low, high] of a function that rises with x (``evaluate``): secant steps from x with ``slope``
        while they stay inside, regula falsi with the Illinois modification once the ends' values are known (NaN:
        not yet; an end is flown only when a step would leave the interval), bisected where the bracket has not
        halved in three steps. Stops when |value| < tolerance.

        Returns (ROOT_*, x, value, cross rad, chord m, flights, slope, post-impulse perigee m): with ROOT_EDGE, x is
        the end that has the start's sign and the value its value there."""
        count = 1
        f, ok, c, d, extra = evaluate(i, what, x, azimuth, kick, cutoff, flights, vehicles, drag, scratch, earth,
                                      log_density, log_pressure, sound, out, history, routes, reentry_flights,
                                      reentry_out, reentry_history)
        if not ok:
            return ROOT_FAILED, x, f, c, d, count, slope, extra
        retained = 0  # which end the last step replaced (Illinois): -1 low, +1 high
        steps = 0  # steps inside a known bracket
        span = math.inf  # the bracket's width three such steps ago
        for _ in range(MAX_ROOT_STEPS):
            if abs(f) < tolerance:
                return ROOT_FOUND, x, f, c, d, count, slope, extra
            low, f_low, high, f_high, retained = illinois_update(x, f, low, f_low, high, f_high, retained)
            if f_low == f_low and f_high == f_high:
                if high - low < resolution:
                    return ROOT_STALLED, x, f, c, d, count, slope, extra
                new, steps, span = bracketed_step(low, f_low, high, f_high, steps, span)
            else:
                new = x - f / slope if slope > 0.0 else math.nan
                if not (low < new < high):
                    # the step leaves the interval (or there is no slope yet): fly the end it points to
                    new = high if f < 0.0 else low
                    fe, ok, ce, de, extra = evaluate(i, what, new, azimuth, kick, cutoff, flights, vehicles, drag,
                                                     scratch, earth, log_density, log_pressure, sound, out, history,
                                                     routes, reentry_flights, reentry_out, reentry_history)
                    count += 1
                    if not ok:
                        return ROOT_FAILED, new, fe, ce, de, count, slope, extra
                    if (fe < 0.0) == (f < 0.0) and abs(fe) >= tolerance:
                        return ROOT_EDGE, new, fe, ce, de, count, slope, extra
                    if new != x:
                        slope = (fe - f) / (new - x)
                    x, f, c, d = new, fe, ce, de
                    continue
            fn, ok, cn, dn, extra = evaluate(i, what, new, azimuth, kick, cutoff, flights, vehicles, drag, scratch,
                                             earth, log_density, log_pressure, sound, out, history, routes,
                                             reentry_flights, reentry_out, reentry_history)
            count += 1
            if not ok:
                return ROOT_FAILED, new, fn, cn, dn, count, slope, extra
            if new != x:
                slope = (fn - f) / (new - x)
            x, f, c, d = new, fn, cn, dn
        return (ROOT_FOUND if abs(f) < tolerance else ROOT_STALLED), x, f, c, d, count, slope, extra

    @jit
    def deorbit_root(i, t_low, t_high, x, f, slope, march, tolerance, azimuth, kick, cutoff, flights, vehicles, drag,
                     scratch, earth, log_density, log_pressure, sound, out, history, routes, reentry_flights,
                     reentry_out, reentry_history):
        """The deorbit time (s) at which the along-track error changes sign upwards nearest to x (its value f there, or
        NaN: fly it) in [t_low, t_high]: marched from x towards the sign change, the first step the secant's (by
        ``slope``, rad/s) and half again, every step at most ``march`` (s), then regula falsi (``root``) in the
        bracket found. Near a root that moves little between two passes, this finds the same one again, so the
        azimuth's root sees a continuous function. Returns as ``root``."""
        count = 0
        c = 0.0
        d = math.inf
        extra = math.nan
        if f != f:
            f, ok, c, d, extra = evaluate(i, WHAT_ALONG, x, azimuth, kick, cutoff, flights, vehicles, drag, scratch, earth,
                                          log_density, log_pressure, sound, out, history, routes, reentry_flights,
                                          reentry_out, reentry_history)
            count += 1
            if not ok:
                return ROOT_FAILED, x, f, c, d, count, slope, extra
            if abs(f) < tolerance:
                return ROOT_FOUND, x, f, c, d, count, slope, extra
        direction = 1.0 if f < 0.0 else -1.0
        step = 1.5 * abs(f) / slope if slope > 0.0 else march
        step = min(max(step, MARCH_MIN_S), march)
        for _ in range(MAX_ROOT_STEPS):
            y = min(max(x + direction * step, t_low), t_high)
            if y == x:  # an end of the coast reached with the sign of the start
                return ROOT_EDGE, x, f, c, d, count, slope, extra
            g, ok, c, d, extra = evaluate(i, WHAT_ALONG, y, azimuth, kick, cutoff, flights, vehicles, drag, scratch, earth,
                                          log_density, log_pressure, sound, out, history, routes, reentry_flights,
                                          reentry_out, reentry_history)
            count += 1
            if not ok:
                return ROOT_FAILED, y, g, c, d, count, slope, extra
            if (g - f) * (y - x) > 0.0:
                slope = (g - f) / (y - x)
            if abs(g) < tolerance:
                return ROOT_FOUND, y, g, c, d, count, slope, extra
            if (g < 0.0) != (f < 0.0):
                low, f_low, high, f_high = (x, f, y, g) if x < y else (y, g, x, f)
                start = (low * f_high - high * f_low) / (f_high - f_low)
                code, t, value, c, d, n, slope_root, extra = root(
                    i, WHAT_ALONG, low, f_low, high, f_high, start, slope, tolerance, DEORBIT_RESOLUTION_S, azimuth,
                    kick, cutoff, flights, vehicles, drag, scratch, earth, log_density, log_pressure, sound, out,
                    history, routes, reentry_flights, reentry_out, reentry_history)
                if slope_root > 0.0:
                    slope = slope_root
                return code, t, value, c, d, count + n, slope, extra
            x, f = y, g
            step = march
        return ROOT_STALLED, x, f, c, d, count, slope, extra

    @jit
    def cutoff_for_perigee(i, azimuth, kick, top, tolerance, flights, vehicles, drag, scratch, earth, log_density,
                           log_pressure, sound, out, history, routes, reentry_flights, reentry_out, reentry_history):
        """The thrust cut-off (s) at which the osculating perigee reaches its target to ``tolerance`` (m) on a kick whose
        full burn reaches ``top`` (m, at least the target), and the flights flown: a root in the cut-off between one
        second into the last stage and the full burn (the perigee rises with the burn), started by a secant step from
        the last root with its slope; that earliest cut-off itself where the perigee is reached already there."""
        route = routes[i]
        vehicle = vehicles[int(flights[i, F_VEHICLE])]
        full = full_burn_s(vehicle)
        low = min(route[R_EARLIEST_CUTOFF], full)
        guess = scratch[i, X_CUTOFF_GUESS]
        slope = scratch[i, X_CUTOFF_SLOPE]
        f_full = top - route[R_PERIGEE]
        if not (low < guess < full):
            guess = full - 0.1 * (full - low)
            slope = math.nan
        code, t, f, c, d, count, slope, extra = root(
            i, WHAT_PERIGEE, low, math.nan, full, math.nan if slope > 0.0 else f_full, guess, slope, tolerance,
            CUTOFF_RESOLUTION_S, azimuth, kick, full, flights, vehicles, drag, scratch, earth, log_density, log_pressure,
            sound, out, history, routes, reentry_flights, reentry_out, reentry_history)
        if code == ROOT_EDGE:
            t = low
        scratch[i, X_CUTOFF_GUESS] = t
        scratch[i, X_CUTOFF_SLOPE] = slope if slope > 0.0 else math.nan
        return t, count

    @jit
    def kick_value(i, objective, azimuth, kick, flights, vehicles, drag, scratch, earth, log_density, log_pressure,
                   sound, out, history, routes, reentry_flights, reentry_out, reentry_history):
        """The search's objective at a kick (``OBJECTIVE_*``), and the flights flown."""
        vehicle = vehicles[int(flights[i, F_VEHICLE])]
        full = full_burn_s(vehicle)
        top = insertion_perigee(i, azimuth, kick, full, flights, vehicles, drag, scratch, earth, log_density,
                                log_pressure, sound, out, history, routes)
        if objective == OBJECTIVE_TOP:
            return -top, 1
        short = routes[i, R_PERIGEE] - top
        if short > 0.0:
            return full + SHORT_S_PER_M * short, 1
        t, count = cutoff_for_perigee(i, azimuth, kick, top, SEARCH_PERIGEE_TOLERANCE_M, flights, vehicles, drag,
                                      scratch, earth, log_density, log_pressure, sound, out, history, routes,
                                      reentry_flights, reentry_out, reentry_history)
        return t, count + 1

    @jit
    def kick_search(i, objective, azimuth, low, high, points, flights, vehicles, drag, scratch, earth, log_density,
                    log_pressure, sound, out, history, routes, reentry_flights, reentry_out, reentry_history):
        """The kick (rad) of the least objective on [low, high]: ``points`` kicks scanned, then a golden-section search
        between the best one's neighbours. Returns (kick, objective, flights)."""
        count = 0
        best_k = low
        best_v = math.inf
        step = (high - low) / (points - 1)
        for j in range(points):
            k = low + step * j
            v, n = kick_value(i, objective, azimuth, k, flights, vehicles, drag, scratch, earth, log_density,
                              log_pressure, sound, out, history, routes, reentry_flights, reentry_out, reentry_history)
            count += n
            if v < best_v:
                best_k, best_v = k, v
        a = max(best_k - step, low)
        b = min(best_k + step, high)
        kc = b - GOLDEN * (b - a)
        kd = a + GOLDEN * (b - a)
        vc, n = kick_value(i, objective, azimuth, kc, flights, vehicles, drag, scratch, earth, log_density,
                           log_pressure, sound, out, history, routes, reentry_flights, reentry_out, reentry_history)
        count += n
        vd, n = kick_value(i, objective, azimuth, kd, flights, vehicles, drag, scratch, earth, log_density,
                           log_pressure, sound, out, history, routes, reentry_flights, reentry_out, reentry_history)
        count += n
        for _ in range(GOLDEN_STEPS):
            if vc < best_v:
                best_k, best_v = kc, vc
            if vd < best_v:
                best_k, best_v = kd, vd
            if b - a < KICK_RESOLUTION_RAD:
                break
            if vc < vd:
                b = kd
                kd, vd = kc, vc
                kc = b - GOLDEN * (b - a)
                vc, n = kick_value(i, objective, azimuth, kc, flights, vehicles, drag, scratch, earth, log_density,
                                   log_pressure, sound, out, history, routes, reentry_flights, reentry_out,
                                   reentry_history)
            else:
                a = kc
                kc, vc = kd, vd
                kd = a + GOLDEN * (b - a)
                vd, n = kick_value(i, objective, azimuth, kd, flights, vehicles, drag, scratch, earth, log_density,
                                   log_pressure, sound, out, history, routes, reentry_flights, reentry_out,
                                   reentry_history)
            count += n
        return best_k, best_v, count

    @jit
    def speed_short(x, y, z, vx, vy, vz, target, earth):
        """Inertial speed (m/s) to add along the velocity of a burnout state for its perigee to reach ``target`` (m);
        NaN where no speed will (the perigee never rises above the point itself)."""
        p, _ = perigee_altitude(x, y, z, 3.0 * vx, 3.0 * vy, 3.0 * vz, earth)
        if p < target:
            return math.nan
        low = 1.0
        high = 3.0
        for _ in range(60):
            middle = 0.5 * (low + high)
            p, _ = perigee_altitude(x, y, z, middle * vx, middle * vy, middle * vz, earth)
            if p < target:
                low = middle
            else:
                high = middle
        return (high - 1.0) * math.sqrt(vx * vx + vy * vy + vz * vz)

    @jit
    def refuse_orbit(i, result, azimuth, kick, flown, flights, vehicles, drag, scratch, earth, log_density,
                     log_pressure, sound, out, history, routes):
        """Route i cannot reach the perigee on this azimuth: the best kick's full burn flown again, its perigee, its
        burnout altitude and the speed it lacks."""
        vehicle = vehicles[int(flights[i, F_VEHICLE])]
        full = full_burn_s(vehicle)
        top = insertion_perigee(i, azimuth, kick, full, flights, vehicles, drag, scratch, earth, log_density,
                                log_pressure, sound, out, history, routes)
        result[i, SOL_STATUS] = FOBS_NO_ORBIT
        result[i, SOL_AZIMUTH] = azimuth
        result[i, SOL_KICK] = kick
        result[i, SOL_CUTOFF] = full
        result[i, SOL_LIMIT] = top
        result[i, SOL_FLIGHTS] = flown + 1
        x = out[i, O_BURNOUT_STATE]
        y = out[i, O_BURNOUT_STATE + 1]
        z = out[i, O_BURNOUT_STATE + 2]
        if top > FELL_M:
            a = earth[E_A]
            b = a * (1.0 - earth[E_F])
            r = math.sqrt(x * x + y * y + z * z)
            s2 = z * z / (r * r)
            result[i, SOL_BURNOUT_ALTITUDE] = r - a * b / math.sqrt(b * b * (1.0 - s2) + a * a * s2)
            result[i, SOL_SPEED_SHORT] = speed_short(x, y, z, out[i, O_BURNOUT_STATE + 3], out[i, O_BURNOUT_STATE + 4],
                                                     out[i, O_BURNOUT_STATE + 5], routes[i, R_PERIGEE], earth)

    @jit
    def insertion(i, azimuth, window_kick, flights, vehicles, drag, scratch, earth, log_density, log_pressure, sound,
                  out, history, routes, reentry_flights, reentry_out, reentry_history):
        """The insertion's kick on an azimuth: the kick of the earliest cut-off among those that reach the perigee,
        searched ``COST_WINDOW_RAD`` either side of the highest perigee's kick, or (``window_kick`` given, not NaN)
        ``REFINE_WINDOW_RAD`` either side of it. Returns (found, kick, flights); not found: the kick of the highest
        perigee, which falls short."""
        route = routes[i]
        count = 0
        centre = window_kick
        window = REFINE_WINDOW_RAD
        points = REFINE_SCAN
        if window_kick == window_kick:
            top = insertion_perigee(i, azimuth, window_kick, full_burn_s(vehicles[int(flights[i, F_VEHICLE])]), flights,
                                    vehicles, drag, scratch, earth, log_density, log_pressure, sound, out, history,
                                    routes)
            count += 1
            if top < route[R_PERIGEE]:
                centre = math.nan  # the kick no longer reaches the orbit here: search afresh
        if centre != centre:
            centre, value, n = kick_search(i, OBJECTIVE_TOP, azimuth, KICK_MIN_RAD, KICK_MAX_RAD, TOP_SCAN, flights,
                                           vehicles, drag, scratch, earth, log_density, log_pressure, sound, out,
                                           history, routes, reentry_flights, reentry_out, reentry_history)
            count += n
            if -value < route[R_PERIGEE]:
                return False, centre, count
            window = COST_WINDOW_RAD
            points = COST_SCAN
        kick, cost, n = kick_search(i, OBJECTIVE_COST, azimuth, max(centre - window, KICK_MIN_RAD),
                                    min(centre + window, KICK_MAX_RAD), points, flights, vehicles, drag, scratch, earth,
                                    log_density, log_pressure, sound, out, history, routes, reentry_flights, reentry_out,
                                    reentry_history)
        count += n
        full = full_burn_s(vehicles[int(flights[i, F_VEHICLE])])
        if cost > full:  # the least-propellant search left the reachable kicks: keep the centre, which reaches
            kick = centre
        return True, kick, count

    @jit
    def solve_pass(i, azimuth, kick, top, t_guess, slope_t, tolerance, flights, vehicles, drag, scratch, earth,
                   log_density, log_pressure, sound, out, history, routes, reentry_flights, reentry_out, reentry_history):
        """One pass at an azimuth and kick whose full burn reaches ``top`` (m, at least the perigee): the cut-off for
        the perigee, the orbit's chart, the aim's turn fixed by the earliest deorbit (the first revolution that can
        reach it: the same rule on every pass, so that the cross-track error is one function of the azimuth), and the
        deorbit time's root, started at ``t_guess`` (NaN: from the earliest deorbit).

        Returns (ROOT_*, cut-off s, deorbit time s, along rad, cross rad, chord m, flights, slope rad/s, post-impulse
        perigee m)."""
        cutoff, count = cutoff_for_perigee(i, azimuth, kick, top, PERIGEE_TOLERANCE_M, flights, vehicles, drag, scratch,
                                           earth, log_density, log_pressure, sound, out, history, routes,
                                           reentry_flights, reentry_out, reentry_history)
        period = chart(i, azimuth, kick, cutoff, flights, vehicles, drag, scratch, earth, log_density, log_pressure,
                       sound, out, history, routes)
        count += 1
        t_low = scratch[i, X_BURNOUT_T] + 1.0
        t_high = scratch[i, X_BURNOUT_T] + COAST_REVOLUTIONS * min(period, 1e5)
        scratch[i, X_AIM_PHASE] = math.nan
        f_low, ok, c, d, extra = deorbit_shot(i, t_low, azimuth, kick, cutoff, flights, vehicles, drag, scratch, earth,
                                              log_density, log_pressure, sound, out, history, routes, reentry_flights,
                                              reentry_out, reentry_history)
        count += 1
        if not ok:
            return ROOT_FAILED, cutoff, t_low, f_low, c, d, count, slope_t, extra
        scratch[i, X_AIM_PHASE] = scratch[i, X_AIM_PHASE_LAST]
        if abs(f_low) < tolerance:
            return ROOT_FOUND, cutoff, t_low, f_low, c, d, count, slope_t, extra
        slope = slope_t if slope_t > 0.0 else scratch[i, X_MEAN_MOTION]
        x = t_guess
        f = math.nan
        if not (t_low < x < t_high):
            x, f = t_low, f_low
        code, t, f, c, d, n, slope, extra = deorbit_root(
            i, t_low, t_high, x, f, slope, MARCH_FRACTION * min(period, 1e5), tolerance, azimuth, kick, cutoff, flights,
            vehicles, drag, scratch, earth, log_density, log_pressure, sound, out, history, routes, reentry_flights,
            reentry_out, reentry_history)
        return code, cutoff, t, f, c, d, count + n, slope, extra

    @jit
    def land(i, result, azimuth, kick, cutoff, t_deorbit, miss, flown, flights, vehicles, drag, scratch, earth,
             log_density, log_pressure, sound, out, history, routes):
        """Route i landed: its controls, its miss (m), the flights flown and the insertion perigee (m, flown again)."""
        result[i, SOL_STATUS] = FOBS_LANDED
        result[i, SOL_AZIMUTH] = azimuth
        result[i, SOL_KICK] = kick
        result[i, SOL_CUTOFF] = cutoff
        result[i, SOL_DEORBIT] = t_deorbit
        result[i, SOL_MISS] = miss
        result[i, SOL_FLIGHTS] = flown + 1
        result[i, SOL_PERIGEE] = insertion_perigee(i, azimuth, kick, cutoff, flights, vehicles, drag, scratch, earth,
                                                   log_density, log_pressure, sound, out, history, routes)

    @jit
    def aim_one(i, flights, vehicles, drag, scratch, earth, log_density, log_pressure, sound, out, history, routes,
                reentry_flights, reentry_out, reentry_history, result):
        """Solve route i: write its controls, or its refusal and the number behind it, into ``result[i]``
        (``SOL_*``)."""
        route = routes[i]
        vehicle = vehicles[int(flights[i, F_VEHICLE])]
        full = full_burn_s(vehicle)
        target = route[R_PERIGEE]
        tolerance = route[R_TOLERANCE]
        for j in range(result.shape[1]):
            result[i, j] = math.nan
        scratch[i, X_AIM_PHASE] = math.nan
        scratch[i, X_CUTOFF_GUESS] = math.nan
        scratch[i, X_CUTOFF_SLOPE] = math.nan
        azimuth0 = route[R_AZIMUTH]
        flown = 0
        found, kick, n = insertion(i, azimuth0, math.nan, flights, vehicles, drag, scratch, earth, log_density,
                                   log_pressure, sound, out, history, routes, reentry_flights, reentry_out,
                                   reentry_history)
        flown += n
        if not found:
            refuse_orbit(i, result, azimuth0, kick, flown, flights, vehicles, drag, scratch, earth, log_density,
                         log_pressure, sound, out, history, routes)
            return
        if int(route[R_TASK]) == TASK_INSERTION:
            top = insertion_perigee(i, azimuth0, kick, full, flights, vehicles, drag, scratch, earth, log_density,
                                    log_pressure, sound, out, history, routes)
            cutoff, n = cutoff_for_perigee(i, azimuth0, kick, top, PERIGEE_TOLERANCE_M, flights, vehicles, drag, scratch,
                                           earth, log_density, log_pressure, sound, out, history, routes,
                                           reentry_flights, reentry_out, reentry_history)
            result[i, SOL_PERIGEE] = insertion_perigee(i, azimuth0, kick, cutoff, flights, vehicles, drag, scratch,
                                                       earth, log_density, log_pressure, sound, out, history, routes)
            result[i, SOL_STATUS] = FOBS_INSERTION
            result[i, SOL_AZIMUTH] = azimuth0
            result[i, SOL_KICK] = kick
            result[i, SOL_CUTOFF] = cutoff
            result[i, SOL_FLIGHTS] = flown + n + 2
            return
        radius = math.sqrt(route[R_AIM] ** 2 + route[R_AIM + 1] ** 2 + route[R_AIM + 2] ** 2)
        along_tolerance = ALONG_FRACTION * tolerance / radius  # rad
        offset = 0.0  # the azimuth's turn from azimuth0, rad (not wrapped: the brackets stay ordered)
        kick_offset = 0.0  # where the kick was searched
        searches = 1
        research = False  # search the kick again on this azimuth before flying it
        good_offset = math.nan  # the last azimuth on which the kick reached the orbit
        t_deorbit = math.nan
        slope_t = math.nan  # d(along)/d(deorbit time), rad/s
        best_miss = math.inf
        kept_azimuth = kept_kick = kept_cutoff = kept_deorbit = math.nan
        # the azimuth's root: (offset, cross) of the last pass, and the bracket once the sign has changed
        previous_offset = math.nan
        previous_cross = math.nan
        low = high = math.nan  # offsets with a negative and a positive cross-track error
        c_low = c_high = math.nan
        retained = 0
        steps = 0
        span = math.inf
        unbracketed = 0  # passes without a bracket since the last kick search
        scanned = False
        for _ in range(MAX_PASSES):
            azimuth = (azimuth0 + offset) % TWO_PI
            top = insertion_perigee(i, azimuth, kick, full, flights, vehicles, drag, scratch, earth, log_density,
                                    log_pressure, sound, out, history, routes)
            flown += 1
            if research or top < target:
                # the azimuth has moved from where the kick was searched, or the kick no longer reaches the orbit
                # here: search it again, round the last one (afresh where that one falls short)
                if research:
                    searches += 1
                found, new_kick, n = insertion(i, azimuth, kick, flights, vehicles, drag, scratch, earth, log_density,
                                               log_pressure, sound, out, history, routes, reentry_flights, reentry_out,
                                               reentry_history)
                flown += n
                if not found:
                    if good_offset == good_offset and abs(offset - good_offset) > MIN_STEP_BACK_RAD:
                        # a step from an azimuth that reached it: take half of the step
                        offset = 0.5 * (offset + good_offset)
                        continue
                    # the azimuth the aim needs lies past the last one that reaches the orbit (within
                    # MIN_STEP_BACK_RAD of it), or no azimuth tried reached it
                    refuse_orbit(i, result, azimuth, new_kick, flown, flights, vehicles, drag, scratch, earth,
                                 log_density, log_pressure, sound, out, history, routes)
                    return
                kick = new_kick
                kick_offset = offset
                research = False
                # a new kick is a new function of the azimuth: its bracket starts afresh
                previous_offset = previous_cross = low = high = c_low = c_high = math.nan
                retained = 0
                steps = 0
                span = math.inf
                unbracketed = 0
                top = insertion_perigee(i, azimuth, kick, full, flights, vehicles, drag, scratch, earth, log_density,
                                        log_pressure, sound, out, history, routes)
                flown += 1
            good_offset = offset
            code, cutoff, t, f, c, d, n, s, extra = solve_pass(
                i, azimuth, kick, top, t_deorbit, slope_t, along_tolerance, flights, vehicles, drag, scratch, earth,
                log_density, log_pressure, sound, out, history, routes, reentry_flights, reentry_out, reentry_history)
            flown += n
            if code == ROOT_FAILED or code == ROOT_EDGE:
                result[i, SOL_AZIMUTH] = azimuth
                result[i, SOL_KICK] = kick
                result[i, SOL_CUTOFF] = cutoff
                result[i, SOL_DEORBIT] = t
                result[i, SOL_FLIGHTS] = flown
                if code == ROOT_FAILED:
                    result[i, SOL_STATUS] = FOBS_NO_DEORBIT
                    result[i, SOL_LIMIT] = extra
                elif f < 0.0:  # the latest deorbit of the coast still lands short
                    result[i, SOL_STATUS] = FOBS_BEYOND
                    result[i, SOL_LIMIT] = -f * radius
                else:  # not expected: the aim's turn is chosen past the earliest deorbit's impact
                    result[i, SOL_STATUS] = FOBS_NOT_CONVERGED
                    result[i, SOL_MISS] = min(best_miss, d)
                return
            if s > 0.0:
                slope_t = s
            t_deorbit = t
            if d < best_miss:
                best_miss = d
                if d < tolerance:  # the best landing yet: kept, should the search stop short of a better one
                    kept_azimuth, kept_kick, kept_cutoff, kept_deorbit = azimuth, kick, cutoff, t_deorbit
            if d < LANDING_FRACTION * tolerance:
                if abs(offset - kick_offset) > KICK_AZIMUTH_RAD and searches < MAX_KICK_SEARCHES:
                    research = True  # landed far from where the kick was searched: search it here, solve again
                    continue
                land(i, result, azimuth, kick, cutoff, t_deorbit, d, flown, flights, vehicles, drag, scratch, earth,
                     log_density, log_pressure, sound, out, history, routes)
                return
            if code != ROOT_FOUND:
                break
            # --- the azimuth: Illinois on a bracket once the cross-track error has changed sign, else secant ---
            low, c_low, high, c_high, retained = illinois_update(offset, c, low, c_low, high, c_high, retained)
            if not (c_low == c_low and c_high == c_high):
                unbracketed += 1
                if unbracketed >= STUCK_PASSES and not scanned:
                    # the secant steps found no change of sign (a local extreme of the cross-track error): look
                    # round the compass for one, from this azimuth in equal steps
                    scanned = True
                    smallest = abs(c)
                    smallest_offset = offset
                    u_a, c_a = offset, c
                    for j in range(1, SCAN_AZIMUTHS + 1):
                        u_b = offset + TWO_PI * j / SCAN_AZIMUTHS
                        if j == SCAN_AZIMUTHS:
                            c_b = c  # round the compass: back where the scan began
                        else:
                            a_b = (azimuth0 + u_b) % TWO_PI
                            top_b = insertion_perigee(i, a_b, kick, full, flights, vehicles, drag, scratch, earth,
                                                      log_density, log_pressure, sound, out, history, routes)
                            flown += 1
                            if top_b < target:  # the kick does not reach the orbit here: no value
                                u_a = c_a = math.nan
                                continue
                            code_b, _, _, _, c_b, d_b, n, _, _ = solve_pass(
                                i, a_b, kick, top_b, math.nan, slope_t, along_tolerance, flights, vehicles, drag,
                                scratch, earth, log_density, log_pressure, sound, out, history, routes,
                                reentry_flights, reentry_out, reentry_history)
                            flown += n
                            if code_b != ROOT_FOUND:
                                u_a = c_a = math.nan
                                continue
                            if abs(c_b) < smallest:
                                smallest, smallest_offset = abs(c_b), u_b
                        if c_a == c_a and (c_a < 0.0) != (c_b < 0.0):
                            low, c_low, high, c_high = (u_a, c_a, u_b, c_b) if c_a < 0.0 else (u_b, c_b, u_a, c_a)
                            retained = 0
                            steps = 0
                            span = math.inf
                            break
                        u_a, c_a = u_b, c_b
                    if not (c_low == c_low and c_high == c_high):
                        # no azimuth brings the track of the first revolution onto the aim: the closest it comes
                        result[i, SOL_STATUS] = FOBS_TRACK_MISSES
                        result[i, SOL_LIMIT] = smallest * radius
                        result[i, SOL_AZIMUTH] = (azimuth0 + smallest_offset) % TWO_PI
                        result[i, SOL_KICK] = kick
                        result[i, SOL_MISS] = best_miss
                        result[i, SOL_FLIGHTS] = flown
                        return
                    t_deorbit = math.nan  # the bracket's ends were solved afresh: no warm start
            if c_low == c_low and c_high == c_high:
                if abs(high - low) < AZIMUTH_RESOLUTION_RAD:
                    break
                steps += 1
                bisect = False
                if steps % 3 == 0:
                    bisect = abs(high - low) > 0.5 * span
                    span = abs(high - low)
                new = (low * c_high - high * c_low) / (c_high - c_low)
                if bisect or not (min(low, high) < new < max(low, high)):
                    new = 0.5 * (low + high)
            else:
                # the geometric slope: turning the launch heading u turns the plane's normal by L x du, and the
                # aim's angle off the plane with it
                ca = math.cos(azimuth)
                sa = math.sin(azimuth)
                ux = -sa * route[R_NORTH] + ca * route[R_EAST]
                uy = -sa * route[R_NORTH + 1] + ca * route[R_EAST + 1]
                uz = -sa * route[R_NORTH + 2] + ca * route[R_EAST + 2]
                lx = route[R_LAUNCH]
                ly = route[R_LAUNCH + 1]
                lz = route[R_LAUNCH + 2]
                length = math.sqrt(lx * lx + ly * ly + lz * lz)
                slope = (scratch[i, X_AIM_UNIT] * (ly * uz - lz * uy) + scratch[i, X_AIM_UNIT + 1] * (lz * ux - lx * uz)
                         + scratch[i, X_AIM_UNIT + 2] * (lx * uy - ly * ux)) / length
                if abs(slope) < SLOPE_FLOOR:
                    slope = SLOPE_FLOOR if slope >= 0.0 else -SLOPE_FLOOR
                if previous_offset == previous_offset and offset != previous_offset:
                    secant = (c - previous_cross) / (offset - previous_offset)
                    # the secant, where it agrees with the geometry's sign or the geometry cannot tell
                    if secant != 0.0 and ((secant < 0.0) == (slope < 0.0) or abs(slope) <= SLOPE_FLOOR):
                        slope = secant
                new = offset + min(max(-c / slope, -MAX_TURN_RAD), MAX_TURN_RAD)
            previous_offset, previous_cross = offset, c
            offset = new
        if best_miss < tolerance:  # the best landing found (its flight is flown again: the same miss)
            land(i, result, kept_azimuth, kept_kick, kept_cutoff, kept_deorbit, best_miss, flown, flights, vehicles,
                 drag, scratch, earth, log_density, log_pressure, sound, out, history, routes)
            return
        result[i, SOL_STATUS] = FOBS_NOT_CONVERGED
        result[i, SOL_MISS] = best_miss
        result[i, SOL_FLIGHTS] = flown

    @jit
    def fly_solution(i, flights, vehicles, drag, scratch, earth, log_density, log_pressure, sound, out, history,
                     routes, reentry_flights, reentry_out, reentry_history, result):
        """Fly route i's solution (``result[i]``): the boost and coast stopped at the deorbit time into out[i] and
        history[i], the re-entry vehicle from the state after the impulse into reentry_out[i] and
        reentry_history[i] (its start time in reentry_flights[i])."""
        fly_deorbit(i, result[i, SOL_DEORBIT], result[i, SOL_AZIMUTH], result[i, SOL_KICK], result[i, SOL_CUTOFF],
                    flights, vehicles, drag, scratch, earth, log_density, log_pressure, sound, out, history, routes,
                    reentry_flights, reentry_out, reentry_history)

    return types.SimpleNamespace(aim_one=aim_one, fly_solution=fly_solution)
