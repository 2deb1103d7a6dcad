"""Scalar physics of one flight, written once and compiled for the CPU and for CUDA.

:func:`build` defines every function of the flight inside one factory and decorates each with
the ``jit`` it is given (``numba.njit(inline="always")`` for the CPU,
``numba.cuda.jit(device=True)`` for the GPU), so that a function calling another reaches the
compiled version for the same target. Only the two outer loops over flights differ
(``engine/cpu.py``, ``engine/cuda.py``). Functions take and return plain floats, tuples and
rows of float64 arrays laid out by ``engine/pack.py``; states are 6-tuples
``(x, y, z, vx, vy, vz)`` in the Earth-centred inertial frame (ECI), which coincides with the
Earth-fixed frame (ECEF) at t = 0 and turns with the Earth's rotation rate about the z axis
(precession and nutation over a flight of an hour are ignored).

The model: point mass; gravity inverse-square plus J2 (zonal, axis = rotation axis); thrust
= mass flow x g0 x Isp, with Isp interpolated between sea level and vacuum by ambient
pressure; stages dropped at burnout; vertical rise, then a pitch-over kick towards the launch
azimuth, then a gravity turn (thrust along the Earth-relative velocity); thrust termination at
a stated cut-off time; drag on the Earth-relative velocity with a Mach-dependent drag
coefficient and the 1976 standard atmosphere; after thrust ends, for a vehicle with a glide law,
lift = L/D x drag perpendicular to the Earth-relative velocity, upwards in the vertical plane
through the geocentric radius (no bank). Integration: classical RK4 with steps that land
on every event of the boost (pitch-over, staging, cut-off), large steps above the atmosphere
interface that never jump into it, and ground impact and apogee located inside the step by
cubic Hermite interpolation and Illinois regula falsi (not clamped).
"""

from __future__ import annotations

import math
import types

from ..constants import SEA_LEVEL_PRESSURE_PA, STANDARD_GRAVITY_M_S2
from .pack import (
    C_ATMOSPHERE,
    C_ATMOSPHERE_STEP,
    C_BOOST_INTERFACE,
    C_DT_AIR,
    C_DT_BOOST,
    C_DT_BOOST_VACUUM,
    C_DT_VACUUM,
    C_HISTORY_DT,
    C_INTERFACE,
    C_T_MAX,
    D_CD,
    D_COUNT,
    D_MACH,
    E_A,
    E_F,
    E_GM,
    E_J2,
    E_OMEGA,
    F_HEADING,
    F_CUTOFF,
    F_KICK,
    F_POSITION,
    F_PROGRAMME,
    F_T0,
    F_TARGET,
    F_VEHICLE,
    F_VELOCITY,
    GLIDE_EQUILIBRIUM,
    H_STATE,
    H_T,
    O_APOGEE_ALTITUDE,
    O_APOGEE_T,
    O_BURNOUT_STATE,
    O_BURNOUT_T,
    O_END_STATE,
    O_END_T,
    O_HISTORY_COUNT,
    O_IMPACT_ECEF,
    O_IMPACT_T,
    O_IMPACT_VELOCITY_ECEF,
    O_STATUS,
    O_STEPS,
    PROGRAMME_PITCH_HOLD,
    S_AREA,
    S_BURNOUT,
    S_IGNITION,
    S_ISP_SEA_LEVEL,
    S_ISP_VACUUM,
    S_MASS_AFTER,
    S_MASS_AT_IGNITION,
    S_MASS_FLOW,
    STAGE_STRIDE,
    STATUS_IMPACT,
    STATUS_MAX_TIME,
    STATUS_NO_LIFTOFF,
    V_BODY_DRAG,
    V_DIVE_ANGLE,
    V_GLIDE_LAW,
    V_LIFT_FRACTION_MIN,
    V_LIFT_TO_DRAG,
    V_PITCH_OVER,
    V_RV_AREA,
    V_RV_DRAG,
    V_RV_MASS,
    V_STAGE,
    V_STAGE_COUNT,
    V_TERMINAL_SPEED,
    V_VERTICAL_RISE,
)
from .results import N_TRACK, ROTATION_ANCHOR, T_HEIGHT, T_NORMAL, T_TIME, T_VELOCITY

G0 = STANDARD_GRAVITY_M_S2
P0 = SEA_LEVEL_PRESSURE_PA
EPS_S = 1e-9  # events closer than this (s) are the same instant
GAMMA_AIR = 1.4

# phases of a step, chosen at its start: what flies and how it is steered
MODE_BALLISTIC = 0  # thrust over: the re-entry vehicle flies alone
MODE_BURN = 1  # stage k burning
MODE_INTERSTAGE = 2  # between burnout of stage k - 1 and ignition of stage k
GUIDE_VERTICAL = 0
GUIDE_PITCH_OVER = 1
GUIDE_GRAVITY_TURN = 2
GUIDE_DIVE = 3  # after thrust ends, a guided glider in its terminal dive, homing (latched between steps by ``dive_begins``)
GUIDE_DIVE_HELD = 4  # a dive begun at the terminal speed short of the push-over point, or without an aim: angle held

# the equilibrium-glide law's loop (docs/model.md, "Glide guidance"): design constants of the model's guidance,
# not properties of a vehicle
GLIDE_SCALE_HEIGHT_M = 7_000.0  # converts the density ratio to the equilibrium glide into a height error
GLIDE_LOOP_RAD_S = 0.02  # natural frequency of the height loop (period 314 s, against the phugoid's 2,000-3,000 s)
GLIDE_LOOP_DAMPING = 0.7
NAVIGATION_GAIN = 3.0  # proportional navigation in the dive
# the dive's start: where the predicted push-over (the whole lift turned nose-down until the flight-path angle is
# minus the dive angle, then a straight line at that angle) comes down on the aim (``push_over_m``)
PUSH_OVER_STEP_S = 2.0  # the prediction's step (midpoint rule on the vertical-plane equations)
PUSH_OVER_STEPS = 150  # at most 300 s of prediction (a push-over from 30-45 km takes 40-70 s)
PUSH_OVER_FROM_HEIGHTS = 10.0  # predicted only where the range to go is within this many heights above the aim
DIVE_STEP_S = 0.25  # the kernel's step in the dive (at most): the homing's gain grows as the range closes at 1.5-3 km/s
DIVE_PLAN_HEIGHTS = 3.5  # the energy plan's dive: ground range over start height (the push-over's, 3.3-3.9 at 2-3.5 km/s)
# the held dive (without an aim, or short of the push-over point): the flight-path angle brought to minus the dive
# angle at this rate per radian of error, which saturates the lift nose-down (a push-over as predicted) until close
DIVE_HOLD_RAD_S = 0.5
SPEED_RATIO_MAX = 0.999  # the glide's range predictor caps v / v_circular below 1 (its logarithm diverges there)

# radius (m) beyond which every point is above the atmosphere table's top (1000 km) on any Earth model
AIR_TOP_RADIUS2 = (6_378_137.0 + 1_000_000.0) ** 2

IMPACT_EVENT = 0
APOGEE_EVENT = 1


def build(jit):
    """The compiled ``fly_one``, the geodesy it uses (``geodetic_height``, ``ecef_from_eci``) and its step rule's
    height and climb tests (``radial_height_and_climb``, ``rising``), for the
    target of ``jit``."""

    @jit
    def geodetic_height(p2, z, a, f):
        """Height (m) above the ellipsoid, the sine and cosine of the geodetic latitude, and the distance
        to the axis (m) of a point given by its squared distance to the axis p2 (m^2) and its axial
        coordinate z (m).

        Bowring's iteration (1976) without trigonometry, twice from the parametric latitude of the
        point's direction: it agrees with Heikkinen's closed form (1982) to rounding (1e-15 rad, 1e-8 m)
        from 50 km below the surface to 100,000 km above it (tested), with no cube root and a fixed cost
        on every thread. Height depends only on (p, z), which a rotation about the axis leaves
        unchanged, so ECI coordinates serve as well as ECEF. With f = 0 it is the sphere's: |r| - a.
        """
        e2 = f * (2.0 - f)
        b = a * (1.0 - f)
        p = math.sqrt(p2)
        # the parametric latitude's cosine and sine, up to a common factor: first of the point's
        # direction, then from the latitude found, tan(beta) = (1 - f) tan(latitude)
        cb = b * p
        sb = a * z
        numerator = z
        denominator = p
        for _ in range(2):
            norm = math.sqrt(cb * cb + sb * sb)
            cosine = cb / norm
            sine = sb / norm
            numerator = z + e2 / (1.0 - e2) * b * sine * sine * sine
            denominator = p - e2 * a * cosine * cosine * cosine
            cb = denominator
            sb = (1.0 - f) * numerator
        hypot = math.sqrt(numerator * numerator + denominator * denominator)
        sin_latitude = numerator / hypot
        cos_latitude = denominator / hypot
        height = p * cos_latitude + z * sin_latitude - a * math.sqrt(1.0 - e2 * sin_latitude * sin_latitude)
        return height, sin_latitude, cos_latitude, p

    @jit
    def air_height(r2, z, a, f):
        """Height (m) above the ellipsoid along the radius, for the atmosphere lookups.

        r - R(geocentric latitude), with the ellipsoid radius R = a b r / sqrt(b^2 p^2 + a^2 z^2)
        needing no trigonometry. It differs from the geodetic height (along the normal) by about
        h d^2 / 2, d <= 0.0034 rad the angle between radius and normal: under 0.6 m at 100 km,
        1e-4 in density, which moves ICBM impact points by up to about 5 m (measured against
        the geodetic-height reference, tests/test_flight_vs_scipy_dop853.py). Ground impact and
        apogee use the exact geodetic height.
        """
        b = a * (1.0 - f)
        r = math.sqrt(r2)
        p2 = r2 - z * z
        return r - a * b * r / math.sqrt(b * b * p2 + a * a * z * z)

    @jit
    def ecef_from_eci(x, y, z, t, omega):
        """Rotate an ECI vector into ECEF at time t (s)."""
        c = math.cos(omega * t)
        s = math.sin(omega * t)
        return c * x + s * y, -s * x + c * y, z

    @jit
    def eci_from_ecef(x, y, z, t, omega):
        """Rotate an ECEF vector into ECI at time t (s)."""
        c = math.cos(omega * t)
        s = math.sin(omega * t)
        return c * x - s * y, s * x + c * y, z

    @jit
    def gravity(x, y, z, earth):
        """Gravitational acceleration (m/s^2, ECI): inverse square plus J2."""
        gm = earth[E_GM]
        r2 = x * x + y * y + z * z
        r = math.sqrt(r2)
        mu_r3 = gm / (r2 * r)
        a_r2 = earth[E_A] * earth[E_A] / r2
        z2_r2 = z * z / r2
        k = 1.5 * earth[E_J2] * a_r2
        horizontal = mu_r3 * (1.0 + k * (1.0 - 5.0 * z2_r2))
        axial = mu_r3 * (1.0 + k * (3.0 - 5.0 * z2_r2))
        return -horizontal * x, -horizontal * y, -axial * z

    @jit
    def table_position(height, settings, n):
        """Row i and weight w of a height in the atmosphere table; i = -1 above its top."""
        x = height / settings[C_ATMOSPHERE_STEP]
        if x > n - 1:
            return -1, 0.0
        if x < 0.0:
            x = 0.0
        i = int(x)
        if i > n - 2:
            i = n - 2
        return i, x - i

    @jit
    def air(height, settings, log_density, sound):
        """Density (kg/m^3) and speed of sound (m/s) at a geodetic height.

        Log-linear interpolation of the 1976-standard table for density, linear for the speed
        of sound; clamped to the sea-level row below 0 m; vacuum above the table's top
        (1000 km).
        """
        i, w = table_position(height, settings, log_density.shape[0])
        if i < 0:
            return 0.0, sound[sound.shape[0] - 1]
        return math.exp(log_density[i] * (1.0 - w) + log_density[i + 1] * w), sound[i] * (1.0 - w) + sound[i + 1] * w

    @jit
    def ambient_pressure(height, settings, log_pressure):
        """Pressure (Pa) at a geodetic height: log-linear in the table, 0 above its top."""
        i, w = table_position(height, settings, log_pressure.shape[0])
        if i < 0:
            return 0.0
        return math.exp(log_pressure[i] * (1.0 - w) + log_pressure[i + 1] * w)

    @jit
    def drag_coefficient(drag, table, mach):
        """Drag coefficient of table row ``table`` at a Mach number: linear, held at the ends."""
        n = int(drag[table, D_COUNT])
        if mach <= drag[table, D_MACH]:
            return drag[table, D_CD]
        for j in range(1, n):
            if mach < drag[table, D_MACH + j]:
                m0 = drag[table, D_MACH + j - 1]
                w = (mach - m0) / (drag[table, D_MACH + j] - m0)
                return drag[table, D_CD + j - 1] * (1.0 - w) + drag[table, D_CD + j] * w
        return drag[table, D_CD + n - 1]

    @jit
    def aim_of(flight, t, omega):
        """The flight's aim point in ECI at time t (m), and whether it has one (``F_TARGET`` not all zero)."""
        x, y, z = flight[F_TARGET], flight[F_TARGET + 1], flight[F_TARGET + 2]
        ax, ay, az = eci_from_ecef(x, y, z, t, omega)
        return ax, ay, az, x * x + y * y + z * z > 0.0

    @jit
    def to_go(x, y, z, tx, ty, tz):
        """Ground range (m) from the point (x, y, z) to the aim (tx, ty, tz), both ECI, along the great circle at
        the aim's radius; the point's height above that radius (m, at least 0); and that radius (m)."""
        r = math.sqrt(x * x + y * y + z * z)
        aim_r = math.sqrt(tx * tx + ty * ty + tz * tz)
        cosine = (x * tx + y * ty + z * tz) / (r * aim_r)
        return aim_r * math.acos(min(max(cosine, -1.0), 1.0)), max(r - aim_r, 0.0), aim_r

    @jit
    def push_over_rates(r, speed, path, aim_r, vehicle, drag, settings, earth, log_density, sound):
        """Rates of (radius m/s, ground angle rad/s, speed m/s^2, flight-path angle rad/s) of the push-over: the whole
        lift L/D x drag turned nose-down, drag at the height above the aim's radius, point-mass gravity, the Earth
        not turning (the guidance's own estimate, not the flight)."""
        gm = earth[E_GM]
        speed = max(speed, 1.0)
        drag_acceleration = 0.0
        if settings[C_ATMOSPHERE] != 0.0:
            density, sound_speed = air(r - aim_r, settings, log_density, sound)
            if density > 0.0:
                cd = drag_coefficient(drag, int(vehicle[V_RV_DRAG]), speed / sound_speed)
                drag_acceleration = 0.5 * density * speed * speed * cd * vehicle[V_RV_AREA] / vehicle[V_RV_MASS]
        gravity = gm / (r * r)
        net = gravity - speed * speed / r
        sin_path = math.sin(path)
        cos_path = math.cos(path)
        return (speed * sin_path, speed * cos_path / r, -drag_acceleration - gravity * sin_path,
                (-vehicle[V_LIFT_TO_DRAG] * drag_acceleration - net * cos_path) / speed)

    @jit
    def push_over_m(r, speed, path, aim_r, vehicle, drag, settings, earth, log_density, sound):
        """Ground range (m, at the aim's radius) of the dive predicted from radius ``r`` (m), Earth-relative ``speed``
        (m/s) and flight-path angle ``path`` (rad): the push-over (``push_over_rates``) until the flight-path angle
        is minus the dive angle, then a straight line at that angle down to the aim's radius.

        Midpoint rule with ``PUSH_OVER_STEP_S`` steps; the step that crosses the dive angle (or the aim's radius)
        is cut by linear interpolation, so that the range is continuous in the state (the independent integration
        finds the dive's start as the root of the range to go less this range)."""
        dive_angle = vehicle[V_DIVE_ANGLE]
        h = PUSH_OVER_STEP_S
        angle = 0.0
        for _ in range(PUSH_OVER_STEPS):
            if path <= -dive_angle or r <= aim_r:
                break
            k1 = push_over_rates(r, speed, path, aim_r, vehicle, drag, settings, earth, log_density, sound)
            k2 = push_over_rates(r + 0.5 * h * k1[0], speed + 0.5 * h * k1[2], path + 0.5 * h * k1[3], aim_r, vehicle,
                                 drag, settings, earth, log_density, sound)
            new_r = r + h * k2[0]
            new_angle = angle + h * k2[1]
            new_speed = speed + h * k2[2]
            new_path = path + h * k2[3]
            fraction = 1.0
            if new_path <= -dive_angle:
                fraction = (path + dive_angle) / (path - new_path)
            if new_r <= aim_r:
                fraction = min(fraction, (r - aim_r) / (r - new_r))
            r += fraction * (new_r - r)
            angle += fraction * (new_angle - angle)
            speed += fraction * (new_speed - speed)
            path += fraction * (new_path - path)
            if fraction < 1.0:
                break
        return aim_r * angle + max(r - aim_r, 0.0) / math.tan(dive_angle)

    @jit
    def glide_range_m(speed, radius, lift_to_drag, end_speed, gm):
        """Ground range (m, at ``radius``) of an equilibrium glide at lift-to-drag ratio ``lift_to_drag`` from
        ``speed`` down to ``end_speed`` (m/s): (L/D) (r / 2) ln[(1 - v_f^2 r / GM) / (1 - v^2 r / GM)], the
        closed form of Eggers, Allen & Neice (NACA TR 1382); zero once the speed is at or below the end."""
        circular2 = gm / radius
        v2 = min(speed * speed, SPEED_RATIO_MAX * SPEED_RATIO_MAX * circular2)
        e2 = end_speed * end_speed
        if v2 <= e2:
            return 0.0
        return 0.5 * lift_to_drag * radius * math.log((1.0 - e2 / circular2) / (1.0 - v2 / circular2))

    @jit
    def glide_lift(t, x, y, z, wx, wy, wz, speed, drag_acceleration, guide, flight, vehicle, earth):
        """Lift acceleration (m/s^2) along the upward normal of the Earth-relative velocity in the vertical plane,
        as the vehicle's glide law sets it after thrust ends; ``drag_acceleration`` (m/s^2) is the drag at the
        angle of attack of the largest L/D.

        ``constant-lift-to-drag``: L/D x drag. ``equilibrium-glide``: the largest lift L/D x drag, banked so that
        its vertical part is the fraction the guidance asks for (between the cosine of the bank limit and 1; the
        horizontal part, which bank reversals keep from turning the vehicle off its great circle, is not flown):
        * glide: the equilibrium glide whose closed-form range to the terminal speed, less the planned dive
          (``DIVE_PLAN_HEIGHTS`` times the height above the aim), equals the
          range to go (without an aim: the whole lift, for range), held by a damped loop on the height error
          read from the density ratio;
        * dive (``GUIDE_DIVE``, from where the speed is down to the terminal speed or the predicted push-over comes
          down on the aim, ``dive_begins``): proportional navigation onto the aim, which turns the whole lift
          nose-down until the line of sight steadies and then homes steeply, or without an aim the flight-path angle
          held at minus the dive angle.
        """
        lift_max = vehicle[V_LIFT_TO_DRAG] * drag_acceleration
        if vehicle[V_GLIDE_LAW] != GLIDE_EQUILIBRIUM:
            return lift_max
        gm = earth[E_GM]
        r = math.sqrt(x * x + y * y + z * z)
        ux = x / r
        uy = y / r
        uz = z / r
        sin_path = (ux * wx + uy * wy + uz * wz) / speed
        cos_path = math.sqrt(max(1.0 - sin_path * sin_path, 1e-12))
        # gravity less the centrifugal term of the horizontal inertial motion, along the local vertical
        omega = earth[E_OMEGA]
        vx = wx - omega * y
        vy = wy + omega * x
        inertial2 = vx * vx + vy * vy + wz * wz
        radial = ux * vx + uy * vy + uz * wz
        net = gm / (r * r) - (inertial2 - radial * radial) / r
        tx, ty, tz, aimed = aim_of(flight, t, omega)
        dive_angle = vehicle[V_DIVE_ANGLE]
        if guide == GUIDE_DIVE or guide == GUIDE_DIVE_HELD:
            if aimed and guide == GUIDE_DIVE:
                # true proportional navigation onto the aim (at rest on the Earth): a = N (LOS rate) x w
                dx = tx - x
                dy = ty - y
                dz = tz - z
                d2 = dx * dx + dy * dy + dz * dz
                ox = (dz * wy - dy * wz) / d2
                oy = (dx * wz - dz * wx) / d2
                oz = (dy * wx - dx * wy) / d2
                cx = NAVIGATION_GAIN * (oy * wz - oz * wy)
                cy = NAVIGATION_GAIN * (oz * wx - ox * wz)
                cz = NAVIGATION_GAIN * (ox * wy - oy * wx)
                # its part along the lift normal n = (u - sin_path w / speed) / cos_path, plus the weight's part
                command = (cx * ux + cy * uy + cz * uz) / cos_path + net * cos_path
            else:
                command = net * cos_path + speed * DIVE_HOLD_RAD_S * (-dive_angle - math.asin(sin_path))
        else:
            fraction = 1.0
            if aimed:
                to_go_m, height_m, _ = to_go(x, y, z, tx, ty, tz)
                dive_m = DIVE_PLAN_HEIGHTS * height_m
                reach_m = glide_range_m(math.sqrt(inertial2), r, vehicle[V_LIFT_TO_DRAG], vehicle[V_TERMINAL_SPEED], gm)
                if reach_m > 0.0:
                    fraction = min(max((to_go_m - dive_m) / reach_m, vehicle[V_LIFT_FRACTION_MIN]), 1.0)
            if lift_max <= 0.0 or net <= 0.0:
                return 0.0
            # height error from the density ratio to the equilibrium glide at that fraction (+: too high), and
            # the equilibrium's own sink rate as the speed falls
            error_m = -GLIDE_SCALE_HEIGHT_M * math.log(fraction * lift_max / net)
            sink = -GLIDE_SCALE_HEIGHT_M * drag_acceleration * (2.0 * speed / (r * net) + 2.0 / speed)
            climb_acceleration = (-2.0 * GLIDE_LOOP_DAMPING * GLIDE_LOOP_RAD_S * (speed * sin_path - sink)
                                  - GLIDE_LOOP_RAD_S * GLIDE_LOOP_RAD_S * error_m)
            command = (net + climb_acceleration + drag_acceleration * sin_path) / cos_path
        if lift_max <= 0.0:
            return 0.0
        # the glide banks (the lift's vertical part at least the cosine of the bank limit); the dive also
        # pitches (the angle of attack of either sign: lift down to minus the largest)
        floor = -lift_max if guide == GUIDE_DIVE or guide == GUIDE_DIVE_HELD else vehicle[V_LIFT_FRACTION_MIN] * lift_max
        return min(max(command, floor), lift_max)

    @jit
    def dive_begins(t, state, flight, vehicle, drag, settings, earth, log_density, sound):
        """Whether and how a guided glider in the air begins its terminal dive at this state: ``GUIDE_DIVE`` (homing)
        where the predicted push-over (``push_over_m``) comes down on the aim or beyond it (the energy management
        plans the glide to reach the terminal speed there); ``GUIDE_DIVE_HELD`` (the dive angle held, no homing)
        where the speed is down to the terminal speed first (a glide short of its aim, or one without an aim);
        0 while the glide goes on."""
        x, y, z, vx, vy, vz = state
        omega = earth[E_OMEGA]
        wx = vx + omega * y
        wy = vy - omega * x
        speed = math.sqrt(wx * wx + wy * wy + vz * vz)
        tx, ty, tz, aimed = aim_of(flight, t, omega)
        if aimed:
            to_go_m, height_m, aim_r = to_go(x, y, z, tx, ty, tz)
            if to_go_m <= PUSH_OVER_FROM_HEIGHTS * height_m:
                r = math.sqrt(x * x + y * y + z * z)
                path = math.asin(min(max((x * wx + y * wy + z * vz) / (r * speed), -1.0), 1.0))
                if to_go_m <= push_over_m(r, speed, path, aim_r, vehicle, drag, settings, earth, log_density, sound):
                    return GUIDE_DIVE
        if speed <= vehicle[V_TERMINAL_SPEED]:
            return GUIDE_DIVE_HELD
        return 0

    @jit
    def phase(t, flight, vehicle):
        """(mode, guide, stage) of the step that starts at time t."""
        count = int(vehicle[V_STAGE_COUNT])
        rise = vehicle[V_VERTICAL_RISE]
        guide = GUIDE_GRAVITY_TURN
        if t < rise - EPS_S:
            guide = GUIDE_VERTICAL
        elif t < rise + vehicle[V_PITCH_OVER] - EPS_S:
            guide = GUIDE_PITCH_OVER
        if t >= flight[F_CUTOFF] - EPS_S:
            return MODE_BALLISTIC, guide, 0
        for k in range(count):
            base = V_STAGE + k * STAGE_STRIDE
            if t < vehicle[base + S_IGNITION] - EPS_S:
                return MODE_INTERSTAGE, guide, k
            if t < vehicle[base + S_BURNOUT] - EPS_S:
                return MODE_BURN, guide, k
        return MODE_BALLISTIC, guide, 0

    @jit
    def thrust_end(flight, vehicle):
        """Time (s) at which thrust ends for good: cut-off or the last stage's burnout."""
        count = int(vehicle[V_STAGE_COUNT])
        if count == 0:
            return flight[F_T0]
        last = vehicle[V_STAGE + (count - 1) * STAGE_STRIDE + S_BURNOUT]
        return min(flight[F_CUTOFF], last)

    @jit
    def next_event(t, flight, vehicle):
        """The first boost event (pitch-over, ignition, burnout, cut-off) after time t."""
        best = 1e300
        rise = vehicle[V_VERTICAL_RISE]
        for candidate in (rise, rise + vehicle[V_PITCH_OVER], flight[F_CUTOFF]):
            if candidate > t + EPS_S and candidate < best:
                best = candidate
        for k in range(int(vehicle[V_STAGE_COUNT])):
            base = V_STAGE + k * STAGE_STRIDE
            for candidate in (vehicle[base + S_IGNITION], vehicle[base + S_BURNOUT]):
                if candidate > t + EPS_S and candidate < best:
                    best = candidate
        return best

    @jit
    def derivative(t, state, mode, guide, stage, flight, vehicle, drag, settings, earth, log_density, log_pressure, sound):
        """Time derivative of the ECI state (m/s, m/s^2) in a given phase."""
        x, y, z, vx, vy, vz = state
        omega = earth[E_OMEGA]
        ax, ay, az = gravity(x, y, z, earth)
        # Earth-relative velocity, ECI components: v - omega x r
        wx = vx + omega * y
        wy = vy - omega * x
        wz = vz
        speed = math.sqrt(wx * wx + wy * wy + wz * wz)
        density = 0.0
        pressure = 0.0
        sound_speed = 1.0
        # above the table's top (geodetic height >= |r| - a) the air is vacuum: skip the geodesy
        if settings[C_ATMOSPHERE] != 0.0 and x * x + y * y + z * z < AIR_TOP_RADIUS2:
            height = air_height(x * x + y * y + z * z, z, earth[E_A], earth[E_F])
            density, sound_speed = air(height, settings, log_density, sound)
            if mode == MODE_BURN:
                pressure = ambient_pressure(height, settings, log_pressure)
        if mode == MODE_BALLISTIC:
            mass = vehicle[V_RV_MASS]
            area = vehicle[V_RV_AREA]
            table = int(vehicle[V_RV_DRAG])
        else:
            base = V_STAGE + stage * STAGE_STRIDE
            area = vehicle[base + S_AREA]
            table = int(vehicle[V_BODY_DRAG])
            if mode == MODE_BURN:
                mass = vehicle[base + S_MASS_AT_IGNITION] - vehicle[base + S_MASS_FLOW] * (t - vehicle[base + S_IGNITION])
                isp = vehicle[base + S_ISP_VACUUM] - (vehicle[base + S_ISP_VACUUM] - vehicle[base + S_ISP_SEA_LEVEL]) * pressure / P0
                thrust = vehicle[base + S_MASS_FLOW] * G0 * isp
                if guide == GUIDE_GRAVITY_TURN and speed > 1.0 and flight[F_PROGRAMME] != PROGRAMME_PITCH_HOLD:
                    tx = wx / speed
                    ty = wy / speed
                    tz = wz / speed
                else:  # vertical rise, pitch-over, or at rest relative to the Earth
                    # the geodetic up, in ECI as in ECEF (both share the axis), as in height_and_climb
                    _, sin_latitude, cos_latitude, p = geodetic_height(x * x + y * y, z, earth[E_A], earth[E_F])
                    across = cos_latitude / p if p > 0.0 else 0.0
                    ux = across * x
                    uy = across * y
                    uz = sin_latitude
                    tx, ty, tz = ux, uy, uz
                    if guide != GUIDE_VERTICAL:
                        rise = vehicle[V_VERTICAL_RISE]
                        tilt = flight[F_KICK] * min(max((t - rise) / vehicle[V_PITCH_OVER], 0.0), 1.0)
                        # the launch site's heading (ECEF) in ECI, made horizontal here: a pole has no local north
                        hx, hy, hz = eci_from_ecef(flight[F_HEADING], flight[F_HEADING + 1], flight[F_HEADING + 2], t,
                                                   omega)
                        along = hx * ux + hy * uy + hz * uz
                        hx -= along * ux
                        hy -= along * uy
                        hz -= along * uz
                        norm = math.sqrt(hx * hx + hy * hy + hz * hz)
                        ct = math.cos(tilt)
                        st = math.sin(tilt)
                        tx = ct * ux + st * hx / norm
                        ty = ct * uy + st * hy / norm
                        tz = ct * uz + st * hz / norm
                acceleration = thrust / mass
                ax += acceleration * tx
                ay += acceleration * ty
                az += acceleration * tz
            else:
                prior = base - STAGE_STRIDE
                mass = vehicle[prior + S_MASS_AFTER]
        if density > 0.0:
            cd = drag_coefficient(drag, table, speed / sound_speed)
            k = -0.5 * density * speed * cd * area / mass
            ax += k * wx
            ay += k * wy
            az += k * wz
            if mode == MODE_BALLISTIC and vehicle[V_GLIDE_LAW] != 0.0 and speed > 1.0:
                # lift along the part of the geocentric up perpendicular to the Earth-relative velocity:
                # the vertical plane of the flight, lift side up
                r = math.sqrt(x * x + y * y + z * z)
                ux = x / r
                uy = y / r
                uz = z / r
                along = (ux * wx + uy * wy + uz * wz) / speed  # sine of the flight-path angle
                across = math.sqrt(max(1.0 - along * along, 0.0))
                if across > 1e-9:
                    lift = glide_lift(t, x, y, z, wx, wy, wz, speed, -k * speed, guide, flight, vehicle, earth) / across
                    ax += lift * (ux - along * wx / speed)
                    ay += lift * (uy - along * wy / speed)
                    az += lift * (uz - along * wz / speed)
        return vx, vy, vz, ax, ay, az

    @jit
    def rk4(t, state, dt, mode, guide, stage, flight, vehicle, drag, settings, earth, log_density, log_pressure, sound):
        """One classical fourth-order Runge-Kutta step of length dt (s)."""
        k1 = derivative(t, state, mode, guide, stage, flight, vehicle, drag, settings, earth, log_density, log_pressure, sound)
        h = 0.5 * dt
        s2 = (state[0] + h * k1[0], state[1] + h * k1[1], state[2] + h * k1[2],
              state[3] + h * k1[3], state[4] + h * k1[4], state[5] + h * k1[5])
        k2 = derivative(t + h, s2, mode, guide, stage, flight, vehicle, drag, settings, earth, log_density, log_pressure, sound)
        s3 = (state[0] + h * k2[0], state[1] + h * k2[1], state[2] + h * k2[2],
              state[3] + h * k2[3], state[4] + h * k2[4], state[5] + h * k2[5])
        k3 = derivative(t + h, s3, mode, guide, stage, flight, vehicle, drag, settings, earth, log_density, log_pressure, sound)
        s4 = (state[0] + dt * k3[0], state[1] + dt * k3[1], state[2] + dt * k3[2],
              state[3] + dt * k3[3], state[4] + dt * k3[4], state[5] + dt * k3[5])
        k4 = derivative(t + dt, s4, mode, guide, stage, flight, vehicle, drag, settings, earth, log_density, log_pressure, sound)
        w = dt / 6.0
        return (
            state[0] + w * (k1[0] + 2.0 * k2[0] + 2.0 * k3[0] + k4[0]),
            state[1] + w * (k1[1] + 2.0 * k2[1] + 2.0 * k3[1] + k4[1]),
            state[2] + w * (k1[2] + 2.0 * k2[2] + 2.0 * k3[2] + k4[2]),
            state[3] + w * (k1[3] + 2.0 * k2[3] + 2.0 * k3[3] + k4[3]),
            state[4] + w * (k1[4] + 2.0 * k2[4] + 2.0 * k3[4] + k4[4]),
            state[5] + w * (k1[5] + 2.0 * k2[5] + 2.0 * k3[5] + k4[5]),
        )

    @jit
    def hermite(s, dt, start, end):
        """ECI state at fraction s of a step, by cubic Hermite interpolation of its ends."""
        s2 = s * s
        s3 = s2 * s
        h00 = 2.0 * s3 - 3.0 * s2 + 1.0
        h10 = (s3 - 2.0 * s2 + s) * dt
        h01 = -2.0 * s3 + 3.0 * s2
        h11 = (s3 - s2) * dt
        d00 = (6.0 * s2 - 6.0 * s) / dt
        d10 = 3.0 * s2 - 4.0 * s + 1.0
        d01 = (-6.0 * s2 + 6.0 * s) / dt
        d11 = 3.0 * s2 - 2.0 * s
        return (
            h00 * start[0] + h10 * start[3] + h01 * end[0] + h11 * end[3],
            h00 * start[1] + h10 * start[4] + h01 * end[1] + h11 * end[4],
            h00 * start[2] + h10 * start[5] + h01 * end[2] + h11 * end[5],
            d00 * start[0] + d10 * start[3] + d01 * end[0] + d11 * end[3],
            d00 * start[1] + d10 * start[4] + d01 * end[1] + d11 * end[4],
            d00 * start[2] + d10 * start[5] + d01 * end[2] + d11 * end[5],
        )

    @jit
    def height_and_climb(state, earth):
        """Geodetic height (m) and its rate (m/s) of an ECI state, without trigonometry.

        The geodetic up vector is (cos(lat) x / p, cos(lat) y / p, sin(lat)): it holds in ECI as in
        ECEF, since both share the axis. The rate is the Earth-relative velocity along it.
        """
        x, y, z, vx, vy, vz = state
        omega = earth[E_OMEGA]
        height, sin_latitude, cos_latitude, p = geodetic_height(x * x + y * y, z, earth[E_A], earth[E_F])
        across = cos_latitude / p if p > 0.0 else 0.0
        return height, ((vx + omega * y) * x + (vy - omega * x) * y) * across + vz * sin_latitude

    @jit
    def radial_height_and_climb(state, earth):
        """Height (m) above the ellipsoid along the radius (``air_height``) and the Earth-relative velocity
        along the radius (m/s): the step rule's height and climb, cheaper than ``geodetic_height``.

        The height has the sign of the geodetic height (a point is outside the ellipsoid along its
        radius exactly when it is outside along its normal), so it serves to find ground impact.
        """
        x, y, z, vx, vy, vz = state
        omega = earth[E_OMEGA]
        r2 = x * x + y * y + z * z
        r = math.sqrt(r2)
        climb = ((vx + omega * y) * x + (vy - omega * x) * y + vz * z) / r
        return air_height(r2, z, earth[E_A], earth[E_F]), climb

    @jit
    def normal_tilt(earth):
        """1.5 times the largest angle (rad) between the normal and the radius on the ellipsoid,
        e^2 / (2 sqrt(1 - e^2)) (0.0034 rad): above the surface the angle is smaller."""
        f = earth[E_F]
        e2 = f * (2.0 - f)
        return 1.5 * e2 / (2.0 * math.sqrt(1.0 - e2))

    @jit
    def rising(state, radial_climb, tilt, earth):
        """Whether the geodetic climb rate (``height_and_climb``) is positive, exactly.

        It differs from the radial climb rate by at most the Earth-relative speed times the angle
        between the normal and the radius, below ``tilt`` (``normal_tilt``); only inside that band is
        the climb taken from the geodetic normal.
        """
        omega = earth[E_OMEGA]
        wx = state[3] + omega * state[1]
        wy = state[4] - omega * state[0]
        band2 = (wx * wx + wy * wy + state[5] * state[5]) * tilt * tilt
        if radial_climb * radial_climb > band2 and radial_climb != 0.0:
            return radial_climb > 0.0
        _, climb = height_and_climb(state, earth)
        return climb > 0.0

    @jit
    def surface_state(t, state, earth):
        """ECEF position (m) and Earth-relative ECEF velocity (m/s) of an ECI state at time t."""
        omega = earth[E_OMEGA]
        xe, ye, ze = ecef_from_eci(state[0], state[1], state[2], t, omega)
        ux, uy, uz = ecef_from_eci(state[3], state[4], state[5], t, omega)
        return (xe, ye, ze), (ux + omega * ye, uy - omega * xe, uz)

    @jit
    def event_value(kind, s, t, dt, start, end, earth):
        """Height (impact) or climb rate (apogee) at fraction s of a step."""
        height, climb = height_and_climb(hermite(s, dt, start, end), earth)
        if kind == IMPACT_EVENT:
            return height
        return climb

    @jit
    def locate(kind, t, dt, start, end, earth):
        """Fraction s of the step where the event's value crosses zero (Illinois regula falsi)."""
        lo = 0.0
        hi = 1.0
        f_lo = event_value(kind, lo, t, dt, start, end, earth)
        f_hi = event_value(kind, hi, t, dt, start, end, earth)
        if f_lo <= 0.0:
            return 0.0
        if f_hi > 0.0:
            return 1.0
        s = 1.0
        side = 0
        for _ in range(60):
            s = (lo * f_hi - hi * f_lo) / (f_hi - f_lo)
            f = event_value(kind, s, t, dt, start, end, earth)
            if f > 0.0:
                lo = s
                f_lo = f
                if side == 1:
                    f_hi *= 0.5
                side = 1
            else:
                hi = s
                f_hi = f
                if side == -1:
                    f_lo *= 0.5
                side = -1
            # converged: bracket below 1e-7 s, or height within 0.1 mm / climb within 0.1 mm/s of zero
            if (hi - lo) * dt < 1e-7 or abs(f) < 1e-4:
                break
        return s

    @jit
    def write_track(tracks, i, k, t, state, c, s, omega, a, f):
        """Write sample k of flight i's compact track (``results.T_*``) from its ECI state at time t, with
        (c, s) the cosine and sine of the Earth's rotation angle then: height (m), unit surface normal and
        Earth-relative velocity (m/s) in ECEF. The normal's components are the latitude's and longitude's
        cosines and sines (no arc tangent: the engagement takes the angles only at the samples it
        evaluates)."""
        x = c * state[0] + s * state[1]
        y = -s * state[0] + c * state[1]
        z = state[2]
        height, sin_latitude, cos_latitude, p = geodetic_height(x * x + y * y, z, a, f)
        across = cos_latitude / p if p > 0.0 else 0.0
        tracks[i, k, T_TIME] = t
        tracks[i, k, T_HEIGHT] = height
        tracks[i, k, T_NORMAL] = across * x
        tracks[i, k, T_NORMAL + 1] = across * y
        tracks[i, k, T_NORMAL + 2] = sin_latitude
        # velocity: rotated into ECEF, less the frame's motion omega x r
        tracks[i, k, T_VELOCITY] = c * state[3] + s * state[4] + omega * y
        tracks[i, k, T_VELOCITY + 1] = -s * state[3] + c * state[4] - omega * x
        tracks[i, k, T_VELOCITY + 2] = state[5]

    @jit
    def record(history, i, count, t, state, earth, c, s):
        """Write sample ``count`` if there is room; return the new count.

        A history of ``N_HISTORY`` columns takes the ECI state (``H_*``); one of ``N_TRACK`` columns the
        compact track the engagement reads (``write_track``), with (c, s) the cosine and sine of the
        Earth's rotation angle at t.
        """
        if count >= history.shape[1]:
            return count
        if history.shape[2] == N_TRACK:
            write_track(history, i, count, t, state, c, s, earth[E_OMEGA], earth[E_A], earth[E_F])
        else:
            history[i, count, H_T] = t
            for j in range(6):
                history[i, count, H_STATE + j] = state[j]
        return count + 1

    @jit
    def record_until(history, i, count, t_limit, t, dt, start, end, t0, spacing, earth, c, s, step_c, step_s):
        """Record the samples at t0 + k * spacing that fall in (t, t_limit] of a step; return the count and
        the rotation's cosine and sine at the last sample recorded.

        For compact tracks the rotation angle is carried from sample k - 1 to k by the angle sum formulas
        with (step_c, step_s) of one spacing, and taken afresh every ``ROTATION_ANCHOR`` samples (rounding
        stays below 1e-14 rad)."""
        omega = earth[E_OMEGA]
        while count < history.shape[1]:
            ts = t0 + count * spacing
            if ts > t_limit:
                break
            if history.shape[2] == N_TRACK:
                if count % ROTATION_ANCHOR == 0:
                    c = math.cos(omega * ts)
                    s = math.sin(omega * ts)
                else:
                    c, s = c * step_c - s * step_s, s * step_c + c * step_s
            count = record(history, i, count, ts, hermite((ts - t) / dt, dt, start, end), earth, c, s)
        return count, c, s

    @jit
    def fly_one(i, flights, vehicles, drag, settings, earth, log_density, log_pressure, sound, out, history):
        """Fly flight i from its start state to ground impact; write its summary (and its history or compact
        track, as ``record`` says)."""
        flight = flights[i]
        vehicle = vehicles[int(flight[F_VEHICLE])]
        t0 = flight[F_T0]
        t = t0
        state = (
            flight[F_POSITION], flight[F_POSITION + 1], flight[F_POSITION + 2],
            flight[F_VELOCITY], flight[F_VELOCITY + 1], flight[F_VELOCITY + 2],
        )
        t_burnout = thrust_end(flight, vehicle)
        t_stop = t0 + settings[C_T_MAX]
        dt_boost = settings[C_DT_BOOST]
        dt_boost_vacuum = settings[C_DT_BOOST_VACUUM]
        dt_air = settings[C_DT_AIR]
        dt_vacuum = settings[C_DT_VACUUM]
        interface = settings[C_INTERFACE]
        boost_interface = settings[C_BOOST_INTERFACE]
        spacing = settings[C_HISTORY_DT]
        keep_history = history.shape[1] > 0
        for j in range(out.shape[1]):
            out[i, j] = 0.0
        out[i, O_APOGEE_ALTITUDE] = -1e300
        if t_burnout <= t0 + EPS_S:
            out[i, O_BURNOUT_T] = t0
            for j in range(6):
                out[i, O_BURNOUT_STATE + j] = state[j]
        count = 0
        omega = earth[E_OMEGA]
        c = math.cos(omega * t0)  # the Earth's rotation angle at the last sample recorded (compact tracks)
        sn = math.sin(omega * t0)
        step_c = math.cos(omega * spacing)
        step_s = math.sin(omega * spacing)
        if keep_history:
            count = record(history, i, count, t, state, earth, c, sn)
        height, climb = radial_height_and_climb(state, earth)
        tilt = normal_tilt(earth)
        up = rising(state, climb, tilt, earth)
        status = STATUS_MAX_TIME
        steps = 0
        guided = vehicle[V_GLIDE_LAW] == GLIDE_EQUILIBRIUM
        diving = 0  # the dive's guide once begun (latched)
        while t < t_stop - EPS_S:
            mode, guide, stage = phase(t, flight, vehicle)
            if mode == MODE_BALLISTIC and guided and diving == 0 and height < interface:
                diving = dive_begins(t, state, flight, vehicle, drag, settings, earth, log_density, sound)
            if diving != 0:
                guide = diving
            if mode != MODE_BALLISTIC:
                dt = dt_boost if height <= boost_interface else dt_boost_vacuum
                t_next = next_event(t, flight, vehicle)
                if t + dt > t_next:
                    dt = t_next - t
            elif height > interface:
                dt = dt_vacuum
                if climb < 0.0:
                    dt = min(dt_vacuum, max(dt_air, 0.5 * (height - interface) / -climb))
            else:
                dt = dt_air
            if diving != 0:
                dt = min(dt, DIVE_STEP_S)
            if t + dt > t_stop:
                dt = t_stop - t
            new = rk4(t, state, dt, mode, guide, stage, flight, vehicle, drag, settings, earth, log_density, log_pressure, sound)
            steps += 1
            new_height, new_climb = radial_height_and_climb(new, earth)
            new_up = rising(new, new_climb, tilt, earth)
            if mode != MODE_BALLISTIC and t + dt >= t_burnout - EPS_S:
                out[i, O_BURNOUT_T] = t + dt
                for j in range(6):
                    out[i, O_BURNOUT_STATE + j] = new[j]
            if up and not new_up and new_height > 0.0:
                s = locate(APOGEE_EVENT, t, dt, state, new, earth)
                apex, apex_climb = height_and_climb(hermite(s, dt, state, new), earth)
                if apex > out[i, O_APOGEE_ALTITUDE]:
                    out[i, O_APOGEE_ALTITUDE] = apex
                    out[i, O_APOGEE_T] = t + s * dt
            if new_height <= 0.0:
                if height > 0.0 or mode == MODE_BALLISTIC:
                    s = locate(IMPACT_EVENT, t, dt, state, new, earth)
                    t_hit = t + s * dt
                    hit = hermite(s, dt, state, new)
                    position, velocity = surface_state(t_hit, hit, earth)
                    if keep_history:
                        count, c, sn = record_until(history, i, count, t_hit, t, dt, state, new, t0, spacing, earth, c,
                                                    sn, step_c, step_s)
                        count = record(history, i, count, t_hit, hit, earth, math.cos(omega * t_hit),
                                       math.sin(omega * t_hit))
                    out[i, O_IMPACT_T] = t_hit
                    for j in range(3):
                        out[i, O_IMPACT_ECEF + j] = position[j]
                        out[i, O_IMPACT_VELOCITY_ECEF + j] = velocity[j]
                    t = t_hit
                    state = hit
                    status = STATUS_IMPACT
                else:
                    t = t + dt
                    state = new
                    status = STATUS_NO_LIFTOFF
                break
            if keep_history:
                count, c, sn = record_until(history, i, count, t + dt, t, dt, state, new, t0, spacing, earth, c, sn,
                                            step_c, step_s)
            t = t + dt
            state = new
            height = new_height
            climb = new_climb
            up = new_up
        if out[i, O_APOGEE_ALTITUDE] < 0.0:
            # no turning point in flight (a flight that only descends): the highest point is its start
            start_height, start_climb = height_and_climb((
                flight[F_POSITION], flight[F_POSITION + 1], flight[F_POSITION + 2],
                flight[F_VELOCITY], flight[F_VELOCITY + 1], flight[F_VELOCITY + 2]), earth)
            out[i, O_APOGEE_ALTITUDE] = max(start_height, 0.0)
            out[i, O_APOGEE_T] = t0
        out[i, O_STATUS] = status
        out[i, O_END_T] = t
        for j in range(6):
            out[i, O_END_STATE + j] = state[j]
        out[i, O_STEPS] = steps
        out[i, O_HISTORY_COUNT] = count

    return types.SimpleNamespace(fly_one=fly_one, geodetic_height=geodetic_height, ecef_from_eci=ecef_from_eci, write_track=write_track,
                                 radial_height_and_climb=radial_height_and_climb, rising=rising,
                                 normal_tilt=normal_tilt, push_over_m=push_over_m)
