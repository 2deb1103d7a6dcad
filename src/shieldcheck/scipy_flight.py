"""The same flight model integrated independently with scipy, one flight at a time.

Two uses: the tight reference of the tests (``solve_ivp`` DOP853 at rtol 1e-11;
``tests/test_flight_vs_scipy_dop853.py``) and the naive baseline of the benchmark (RK45 at rtol
1e-8, one flight after another; ``benchmarks/bench_flight.py``), the way a careful analyst would
write the model without a compiled batch engine. The right-hand side is plain Python scalars,
the fastest way to feed ``solve_ivp`` one flight at a time, so the baseline is not handicapped.

Why it is independent of the compiled engine (``engine/physics.py``): it calls none of its
functions; the right-hand side is written again from the model's description; the integrator
is scipy's error-controlled one instead of fixed-step RK4; the boost is integrated piecewise
between its events (pitch-over, each ignition and burnout, cut-off) with the phase of each piece
read from the missile record; impact (geodetic height 0, falling) and apogee (climb rate 0,
falling) are located by ``solve_ivp``'s event finding on its dense output instead of the
kernel's Hermite and Illinois search; geodetic heights come from NumPy's five rounds of Bowring's
iteration from the geocentric guess (``earth.geodetic_from_ecef``) instead of the kernel's two
compiled rounds from the parametric one.

What it shares on purpose: the data (the ``Missile`` record, the Earth model's constants) and the
1976-atmosphere table with its interpolation rule, so that a difference measures integration,
not the table. One deliberate difference in the model: the kernel looks the atmosphere up at the
height above the ellipsoid along the radius; this reference uses the geodetic height itself.
Measured effect on impact points: up to about 5 m (with converged steps in both).

Lift of a glide vehicle (``Missile.glide``, law ``constant-lift-to-drag``) is written again here
with numpy vectors: L/D x the drag magnitude, along the geocentric up made perpendicular to the
Earth-relative velocity, after thrust ends.

scipy is a test and benchmark dependency only: it is imported inside the functions.
"""

from __future__ import annotations

import math

import numpy as np

from . import atmosphere as atm
from . import earth as earth_mod
from .constants import SEA_LEVEL_PRESSURE_PA, STANDARD_GRAVITY_M_S2
from .engine.physics import (DIVE_HOLD_RAD_S, DIVE_PLAN_HEIGHTS, GLIDE_LOOP_DAMPING, GLIDE_LOOP_RAD_S,
                              GLIDE_SCALE_HEIGHT_M, NAVIGATION_GAIN, PUSH_OVER_FROM_HEIGHTS, PUSH_OVER_STEP_S,
                              PUSH_OVER_STEPS, SPEED_RATIO_MAX)
from .vehicles import Missile


class _Model:
    """Scalar right-hand side of the flight model for one missile and one steering."""

    def __init__(self, missile: Missile, earth: str, atmosphere: str, azimuth_deg: float, kick_deg: float,
                 cutoff_s: float, programme: str = "gravity-turn"):
        self.hold = programme == "pitch-hold"
        m = self.record = earth_mod.earth_model(earth)
        self.a, self.f, self.gm, self.j2, self.omega = (m.equatorial_radius_m, m.flattening, m.gm_m3_s2, m.j2,
                                                        m.rotation_rate_rad_s)
        self.e2 = m.eccentricity_squared
        self.air_on = atmosphere == "ussa1976"
        table = atm.kernel_table()
        self.step = table.altitude_step_m
        self.log_density = table.log_density.tolist()
        self.log_pressure = table.log_pressure.tolist()
        self.sound = table.speed_of_sound_m_s.tolist()
        self.missile = missile
        self.azimuth = math.radians(azimuth_deg)
        self.heading = None  # the launch site's heading (ECEF unit vector): set by the launch
        self.kick = math.radians(kick_deg)
        self.times = missile.stage_times_s()
        self.thrust_end = min(cutoff_s, missile.burn_time_s) if missile.stages else 0.0
        mass, self.ignition_mass = missile.launch_mass_kg, []
        for stage in missile.stages:
            self.ignition_mass.append(mass)
            mass -= stage.gross_mass_kg
        self.rv_area = math.pi * missile.reentry_diameter_m**2 / 4.0
        # the glide law (vehicles.GlideModel): lift = L/D x drag, or the equilibrium glide guided to self.target
        self.lift_to_drag = missile.glide.lift_to_drag_ratio if missile.glide is not None else None
        self.glide = missile.glide
        self.target = None  # the aim point, ECEF m (a guided glide without one glides for range)
        # the kernel looks for the dive's start only below its step rule's interface (flight.Integrator's default)
        self.interface_m = 100_000.0

    # --- geometry ---
    def height(self, x, y, z):
        """Geodetic height (m) and latitude (rad) by Bowring's iteration, in scalars."""
        p = math.hypot(x, y)
        lat = math.atan2(z, p * (1.0 - self.e2))
        for _ in range(4):
            s = math.sin(lat)
            n = self.a / math.sqrt(1.0 - self.e2 * s * s)
            lat = math.atan2(z + n * self.e2 * s, p)
        s, c = math.sin(lat), math.cos(lat)
        n = self.a / math.sqrt(1.0 - self.e2 * s * s)
        return p * c + z * s - n * (1.0 - self.e2 * s * s), lat

    def air(self, h):
        if not self.air_on:
            return 0.0, 0.0, 1.0
        x = h / self.step
        n = len(self.log_density)
        if x > n - 1:
            return 0.0, 0.0, 1.0
        x = max(x, 0.0)
        i = min(int(x), n - 2)
        w = x - i
        return (math.exp(self.log_density[i] * (1 - w) + self.log_density[i + 1] * w),
                math.exp(self.log_pressure[i] * (1 - w) + self.log_pressure[i + 1] * w),
                self.sound[i] * (1 - w) + self.sound[i + 1] * w)

    def phase(self, t):
        """('burn', k), ('coast', k) or ('ballistic', None) for the segment containing t."""
        if t >= self.thrust_end:
            return "ballistic", None
        for k, (ignition, burnout) in enumerate(self.times):
            if t < ignition:
                return "coast", k
            if t < burnout:
                return "burn", k
        return "ballistic", None

    def rhs(self, t, y, phase):
        x, yy, z, vx, vy, vz = y
        r2 = x * x + yy * yy + z * z
        r = math.sqrt(r2)
        k = 1.5 * self.j2 * self.a * self.a / r2
        zz = z * z / r2
        g_h = -self.gm / (r2 * r) * (1.0 + k * (1.0 - 5.0 * zz))
        g_z = -self.gm / (r2 * r) * (1.0 + k * (3.0 - 5.0 * zz))
        ax, ay, az = g_h * x, g_h * yy, g_z * z
        wx, wy, wz = vx + self.omega * yy, vy - self.omega * x, vz
        speed = math.sqrt(wx * wx + wy * wy + wz * wz)
        h, lat = self.height(x, yy, z)
        rho, pressure, sound = self.air(h)
        kind, stage_index = phase
        m = self.missile
        if kind in ("ballistic", "dive", "held"):
            mass, area, table = m.reentry_mass_kg, self.rv_area, m.reentry_drag
        else:
            stage = m.stages[stage_index]
            area, table = stage.reference_area_m2, m.body_drag
            if kind == "coast":
                mass = self.ignition_mass[stage_index]
            else:
                ignition = self.times[stage_index][0]
                mass = self.ignition_mass[stage_index] - stage.mass_flow_kg_s * (t - ignition)
                isp = stage.isp_vacuum_s - (stage.isp_vacuum_s - stage.isp_sea_level_s) * pressure / SEA_LEVEL_PRESSURE_PA
                thrust = stage.mass_flow_kg_s * STANDARD_GRAVITY_M_S2 * isp
                direction = self.steering(t, x, yy, z, wx, wy, wz, speed, lat)
                ax += thrust / mass * direction[0]
                ay += thrust / mass * direction[1]
                az += thrust / mass * direction[2]
        if rho > 0.0:
            drag = -0.5 * rho * speed * table.cd_at(speed / sound) * area / mass
            ax += drag * wx
            ay += drag * wy
            az += drag * wz
            if kind in ("ballistic", "dive", "held") and self.lift_to_drag is not None and speed > 1.0:
                magnitude = -drag * speed * self.lift_to_drag
                if self.glide.guided:
                    magnitude = self.guided_lift(t, np.array([x, yy, z]), np.array([wx, wy, wz]), -drag * speed,
                                                 kind)
                lift = self.lift(x, yy, z, wx, wy, wz, speed, magnitude)
                ax, ay, az = ax + lift[0], ay + lift[1], az + lift[2]
        return [vx, vy, vz, ax, ay, az]

    def aim_eci(self, t):
        """The aim point in ECI at time t (m)."""
        c, s = math.cos(self.omega * t), math.sin(self.omega * t)
        x, y, z = self.target
        return np.array([c * x - s * y, s * x + c * y, z])

    def to_go(self, t, r):
        """Ground range (m) to the aim at its radius, the height above that radius (m, at least 0), and the radius."""
        aim = self.aim_eci(t)
        aim_r = float(np.linalg.norm(aim))
        angle = math.acos(float(np.clip(np.dot(r, aim) / (np.linalg.norm(r) * aim_r), -1.0, 1.0)))
        return aim_r * angle, max(float(np.linalg.norm(r)) - aim_r, 0.0), aim_r

    def push_over_m(self, radius, speed, path, aim_r):
        """The dive's predicted ground range (m), as engine/physics.py ``push_over_m`` states it: the whole lift
        nose-down until the flight-path angle is minus the dive angle, then a straight line; midpoint steps of
        ``PUSH_OVER_STEP_S``, the last one cut by linear interpolation."""
        glide, m = self.glide, self.missile
        dive = math.radians(glide.dive_angle_deg)

        def rates(y):
            r, _, v, gamma = y
            v = max(v, 1.0)
            density, _, sound = self.air(r - aim_r)
            drag = 0.5 * density * v * v * m.reentry_drag.cd_at(v / sound) * self.rv_area / m.reentry_mass_kg
            gravity = self.gm / r**2
            net = gravity - v * v / r
            return np.array([v * math.sin(gamma), v * math.cos(gamma) / r, -drag - gravity * math.sin(gamma),
                             (-glide.lift_to_drag_ratio * drag - net * math.cos(gamma)) / v])

        y = np.array([radius, 0.0, speed, path])
        for _ in range(PUSH_OVER_STEPS):
            if y[3] <= -dive or y[0] <= aim_r:
                break
            new = y + PUSH_OVER_STEP_S * rates(y + 0.5 * PUSH_OVER_STEP_S * rates(y))
            cut = 1.0
            if new[3] <= -dive:
                cut = (y[3] + dive) / (y[3] - new[3])
            if new[0] <= aim_r:
                cut = min(cut, (y[0] - aim_r) / (y[0] - new[0]))
            y = y + cut * (new - y)
            if cut < 1.0:
                break
        return aim_r * y[1] + max(y[0] - aim_r, 0.0) / math.tan(dive)

    def guided_lift(self, t, r, w, drag_m_s2, kind):
        """The equilibrium-glide law (vehicles.GlideModel), in vectors: lift (m/s^2) along the vertical-plane normal."""
        glide = self.glide
        speed = float(np.linalg.norm(w))
        radius = float(np.linalg.norm(r))
        up, unit = r / radius, w / speed
        sin_path = float(np.dot(up, unit))
        cos_path = math.sqrt(max(1.0 - sin_path**2, 1e-12))
        normal = (up - sin_path * unit) / cos_path
        inertial = w + np.cross([0.0, 0.0, self.omega], r)
        horizontal = inertial - np.dot(inertial, up) * up
        weight = self.gm / radius**2 - float(np.dot(horizontal, horizontal)) / radius
        largest = glide.lift_to_drag_ratio * drag_m_s2
        least = math.cos(math.radians(glide.bank_limit_deg))
        if kind in ("dive", "held"):
            if self.target is None or kind == "held":
                wanted = weight * cos_path + speed * DIVE_HOLD_RAD_S * (-math.radians(glide.dive_angle_deg) - math.asin(sin_path))
            else:
                line = self.aim_eci(t) - r
                rate = np.cross(line, -w) / np.dot(line, line)  # line-of-sight rate (rad/s)
                wanted = float(np.dot(NAVIGATION_GAIN * np.cross(rate, w), normal)) + weight * cos_path
            return float(np.clip(wanted, -largest, largest))
        if largest <= 0.0 or weight <= 0.0:
            return 0.0
        fraction = 1.0
        if self.target is not None:
            to_go_m, height_m, _ = self.to_go(t, r)
            dive_m = DIVE_PLAN_HEIGHTS * height_m
            circular2 = self.gm / radius
            v2 = min(float(np.dot(inertial, inertial)), SPEED_RATIO_MAX**2 * circular2)
            end2 = glide.terminal_speed_m_s**2
            if v2 > end2:
                glide_m = 0.5 * glide.lift_to_drag_ratio * radius * math.log((1.0 - end2 / circular2) / (1.0 - v2 / circular2))
                fraction = float(np.clip((to_go_m - dive_m) / glide_m, least, 1.0))
        # the loop of engine/physics.py glide_lift: height error from the density ratio, damped on the sink rate
        error_m = -GLIDE_SCALE_HEIGHT_M * math.log(fraction * largest / weight)
        sink_m_s = -GLIDE_SCALE_HEIGHT_M * drag_m_s2 * (2.0 * speed / (radius * weight) + 2.0 / speed)
        climb_m_s2 = (-2.0 * GLIDE_LOOP_DAMPING * GLIDE_LOOP_RAD_S * (speed * sin_path - sink_m_s)
                      - GLIDE_LOOP_RAD_S**2 * error_m)
        wanted = (weight + climb_m_s2 + drag_m_s2 * sin_path) / cos_path
        return float(np.clip(wanted, least * largest, largest))

    def dive_event(self, t, y):
        """Zero where a guided glide begins its homing dive (as physics.dive_begins): the range to go down to the
        predicted push-over's (measured in units of 10 m); +1 where that is not predicted (not aimed, or farther
        than ``PUSH_OVER_FROM_HEIGHTS`` heights)."""
        if self.target is None:
            return 1.0
        r = np.asarray(y[:3])
        to_go_m, height_m, aim_r = self.to_go(t, r)
        if to_go_m > PUSH_OVER_FROM_HEIGHTS * height_m:
            return 1.0
        w = np.array([y[3] + self.omega * y[1], y[4] - self.omega * y[0], y[5]])
        speed = float(np.linalg.norm(w))
        path = math.asin(float(np.clip(np.dot(r, w) / (np.linalg.norm(r) * speed), -1.0, 1.0)))
        return (to_go_m - self.push_over_m(float(np.linalg.norm(r)), speed, path, aim_r)) / 10.0

    def held_event(self, t, y):
        """Zero where the speed is down to the terminal speed (the held dive, where the homing one has not begun)."""
        w = np.array([y[3] + self.omega * y[1], y[4] - self.omega * y[0], y[5]])
        return float(np.linalg.norm(w)) - self.glide.terminal_speed_m_s

    @staticmethod
    def lift(x, y, z, wx, wy, wz, speed, magnitude):
        """Lift acceleration (ECI) of a given magnitude: along the component of the geocentric up
        perpendicular to the Earth-relative velocity (vertical plane, no bank)."""
        w = np.array([wx, wy, wz]) / speed
        up = np.array([x, y, z]) / math.sqrt(x * x + y * y + z * z)
        normal = up - np.dot(up, w) * w
        norm = float(np.linalg.norm(normal))
        if norm <= 1e-9:
            return 0.0, 0.0, 0.0
        return tuple(magnitude * normal / norm)

    def steering(self, t, x, y, z, wx, wy, wz, speed, lat):
        """Thrust direction (ECI unit vector): vertical rise, linear pitch-over, gravity turn."""
        rise, over = self.missile.vertical_rise_s, self.missile.pitch_over_s
        if t >= rise + over and speed > 1.0 and not self.hold:
            return wx / speed, wy / speed, wz / speed
        theta = self.omega * t
        lon = math.atan2(y, x) - theta  # Earth-fixed longitude
        # local frame in ECEF, then rotated to ECI by the Earth angle
        sl, cl, so, co = math.sin(lat), math.cos(lat), math.sin(lon), math.cos(lon)
        up = (cl * co, cl * so, sl)
        tilt = 0.0 if t < rise else self.kick * min((t - rise) / over, 1.0)
        # the launch site's heading made horizontal here (a pole has no local north)
        along = sum(self.heading[i] * up[i] for i in range(3))
        h = [self.heading[i] - along * up[i] for i in range(3)]
        norm = math.sqrt(sum(c * c for c in h))
        d = [math.cos(tilt) * up[i] + math.sin(tilt) * h[i] / norm for i in range(3)]
        c, s = math.cos(theta), math.sin(theta)
        return c * d[0] - s * d[1], s * d[0] + c * d[1], d[2]

    def climb(self, t, y):
        """Rate of geodetic height (m/s): Earth-relative velocity along the geodetic up."""
        h, lat = self.height(y[0], y[1], y[2])
        lon = math.atan2(y[1], y[0])
        wx, wy, wz = y[3] + self.omega * y[1], y[4] - self.omega * y[0], y[5]
        return math.cos(lat) * (math.cos(lon) * wx + math.sin(lon) * wy) + math.sin(lat) * wz


def _integrate(model: _Model, y0, t0: float, *, method: str, rtol: float, atol, max_flight_time_s: float,
               sample_times_s=()) -> dict:
    from scipy.integrate import solve_ivp

    events = sorted({t for t in (model.missile.vertical_rise_s, model.missile.vertical_rise_s + model.missile.pitch_over_s,
                                 *(t for pair in model.times for t in pair), model.thrust_end)
                     if t0 < t <= model.thrust_end})
    t, y = t0, np.asarray(y0, float)
    apogee_m, apogee_t = max(model.height(*y[:3])[0], 0.0), t0
    burnout = (t0, y.copy())
    samples: list = []

    def apex(tt, yy, phase):
        return model.climb(tt, yy)

    apex.direction = -1.0

    for end in events:
        if end - t < 1e-9:
            continue
        phase = model.phase(0.5 * (t + end))
        sol = solve_ivp(model.rhs, (t, end), y, method=method, rtol=rtol, atol=atol, args=(phase,), events=apex,
                        dense_output=len(sample_times_s) > 0)
        samples.extend(_sample(sol, sample_times_s, t, end))
        for te, ye in zip(sol.t_events[0], sol.y_events[0]):
            if model.height(*ye[:3])[0] > apogee_m:
                apogee_m, apogee_t = model.height(*ye[:3])[0], te
        t, y = end, sol.y[:, -1]
    burnout = (t, y.copy())

    def ground(tt, yy, phase):
        return model.height(yy[0], yy[1], yy[2])[0]

    ground.terminal = True
    ground.direction = -1.0

    def dive(tt, yy, phase):
        return model.dive_event(tt, yy) if model.height(*yy[:3])[0] < model.interface_m else 1.0

    dive.terminal = True
    dive.direction = -1.0

    def held(tt, yy, phase):
        return model.held_event(tt, yy) if model.height(*yy[:3])[0] < model.interface_m else 1.0

    held.terminal = True
    held.direction = -1.0
    guided = model.glide is not None and model.glide.guided
    phase = ("ballistic", None)
    while True:
        sol = solve_ivp(model.rhs, (t, t0 + max_flight_time_s), y, method=method, rtol=rtol, atol=atol, args=(phase,),
                        dense_output=len(sample_times_s) > 0,
                        events=(ground, apex, dive, held) if guided and phase[0] == "ballistic" else (ground, apex))
        for te, ye in zip(sol.t_events[1], sol.y_events[1]):
            if model.height(*ye[:3])[0] > apogee_m:
                apogee_m, apogee_t = model.height(*ye[:3])[0], te
        if len(sol.t_events) < 3 or len(sol.t_events[0]) > 0 or not (len(sol.t_events[2]) or len(sol.t_events[3])):
            break
        # the dive begins (homing where the push-over reaches the aim, else held): the rest of the flight in it
        kind = "dive" if len(sol.t_events[2]) else "held"
        end = float(sol.t_events[2 if kind == "dive" else 3][0])
        samples.extend(_sample(sol, sample_times_s, t, end))
        t, y, phase = end, sol.y_events[2 if kind == "dive" else 3][0], (kind, None)
    landed = len(sol.t_events[0]) > 0
    t_end = float(sol.t_events[0][0]) if landed else float(sol.t[-1])
    y_end = sol.y_events[0][0] if landed else sol.y[:, -1]
    position = earth_mod.ecef_from_eci(y_end[:3], t_end, model.omega)
    lat, lon, _ = earth_mod.geodetic_from_ecef(position, model.record)
    samples.extend(_sample(sol, sample_times_s, t, t_end))
    return {"samples_eci": np.array(samples).reshape(-1, 7), "landed": landed, "impact_time_s": t_end, "impact_latitude_deg": float(np.degrees(lat)),
            "impact_longitude_deg": float(np.degrees(lon)), "impact_ecef_m": position,
            "burnout_time_s": burnout[0], "burnout_state_eci": burnout[1], "apogee_m": float(apogee_m),
            "apogee_time_s": float(apogee_t), "steps": int(sol.t.size)}


def _sample(sol, times_s, start: float, end: float) -> list:
    """Rows (t, ECI state) of a segment's dense output at the requested times inside it."""
    inside = [t for t in times_s if start <= t < end]
    return [np.concatenate([[t], sol.sol(t)]) for t in inside]


def _aim(target, model_record):
    """An aim site's ECEF point (m), or None."""
    if target is None:
        return None
    return earth_mod.ecef_from_geodetic(math.radians(target.latitude_deg), math.radians(target.longitude_deg),
                                        target.height_m, model_record)


def _atol(position_m: float):
    return np.array([position_m] * 3 + [position_m * 1e-3] * 3)


def fly_one_scipy(missile: Missile, latitude_deg: float, longitude_deg: float, azimuth_deg: float, kick_deg: float,
                  cutoff_s: float = math.inf, *, earth: str = earth_mod.DEFAULT_EARTH, atmosphere: str = "ussa1976",
                  method: str = "DOP853", rtol: float = 1e-11, atol_m: float = 1e-4,
                  max_flight_time_s: float = 10_800.0, sample_times_s=(), programme: str = "gravity-turn",
                  target=None) -> dict:
    """One launch from rest on the ground, integrated with ``solve_ivp``; a dict of its summary; ``target`` the
    aim (an earth.Site) a guided glider's guidance steers for.

    ``samples_eci`` holds (t, ECI state) rows at ``sample_times_s`` (dense output), if asked.
    """
    model_record = earth_mod.earth_model(earth)
    model = _Model(missile, earth, atmosphere, azimuth_deg, kick_deg, cutoff_s, programme)
    r0 = earth_mod.ecef_from_geodetic(math.radians(latitude_deg), math.radians(longitude_deg), 0.0, model_record)
    _, east, north = earth_mod.local_frame(math.radians(latitude_deg), math.radians(longitude_deg))
    model.heading = tuple(math.cos(model.azimuth) * north + math.sin(model.azimuth) * east)
    model.target = _aim(target, model_record)
    v0 = model.omega * np.array([-r0[1], r0[0], 0.0])
    return _integrate(model, np.concatenate([r0, v0]), 0.0, method=method, rtol=rtol, atol=_atol(atol_m),
                      max_flight_time_s=max_flight_time_s, sample_times_s=sample_times_s)


def fly_burnout_scipy(vehicle: Missile, latitude_deg: float, longitude_deg: float, altitude_m: float, speed_m_s: float,
                      flight_path_angle_deg: float, azimuth_deg: float, *, earth: str = earth_mod.DEFAULT_EARTH,
                      atmosphere: str = "ussa1976", method: str = "DOP853", rtol: float = 1e-11, atol_m: float = 1e-4,
                      max_flight_time_s: float = 10_800.0, target=None) -> dict:
    """One re-entry vehicle from a burnout state (conventions of ``flight.fly_burnout``)."""
    model_record = earth_mod.earth_model(earth)
    model = _Model(vehicle.reentry_only(), earth, atmosphere, 0.0, 0.0, 0.0)
    model.target = _aim(target, model_record)
    lat, lon = math.radians(latitude_deg), math.radians(longitude_deg)
    r0 = earth_mod.ecef_from_geodetic(lat, lon, altitude_m, model_record)
    up, east, north = earth_mod.local_frame(lat, lon)
    g, a = math.radians(flight_path_angle_deg), math.radians(azimuth_deg)
    v_rel = speed_m_s * (math.cos(g) * (math.cos(a) * north + math.sin(a) * east) + math.sin(g) * up)
    v0 = v_rel + model.omega * np.array([-r0[1], r0[0], 0.0])
    return _integrate(model, np.concatenate([r0, v0]), 0.0, method=method, rtol=rtol, atol=_atol(atol_m),
                      max_flight_time_s=max_flight_time_s)


def push_over_range_scipy(missile: Missile, radius_m: float, speed_m_s: float, flight_path_angle_rad: float,
                          aim_radius_m: float, *, earth: str = earth_mod.DEFAULT_EARTH,
                          atmosphere: str = "ussa1976") -> float:
    """The guided glider's predicted dive ground range (m) from a state in its vertical plane, as written again
    here (``_Model.push_over_m``), for comparison with the kernel's ``push_over_m``."""
    model = _Model(missile, earth, atmosphere, 0.0, 0.0, 0.0)
    return model.push_over_m(radius_m, speed_m_s, flight_path_angle_rad, aim_radius_m)
