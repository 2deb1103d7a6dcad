"""Records -> flat float64 rows for the compiled kernels, in one place.

The kernels know no names: they read rows of numbers at the column indices defined here. Every
index is a module-level integer, which numba treats as a compile-time constant on both targets.
Model names become numbers only in :func:`earth_row` and :func:`settings_row`.
"""

from __future__ import annotations

import numpy as np

from .. import limits

MAX_STAGES = 4
MAX_DRAG_POINTS = 16

# --- flight rows: one per flight ------------------------------------------------------------
F_POSITION = 0  # 0..2: position at t0, ECI (= ECEF at t = 0), m
F_VELOCITY = 3  # 3..5: velocity at t0, ECI (inertial), m/s
F_VEHICLE = 6  # vehicle row index
F_AZIMUTH = 7  # pitch-over azimuth at the launch site, rad from north towards east (as given)
F_KICK = 8  # pitch-over angle from the vertical, rad
F_CUTOFF = 9  # thrust termination time, s (>= last burnout: full burn)
F_T0 = 10  # start time, s
F_PROGRAMME = 11  # steering after the pitch-over: PROGRAMMES[name]
F_HEADING = 12  # 12..14: that azimuth as a unit vector of the launch site's horizontal, ECEF (defined at a pole)
F_TARGET = 15  # 15..17: the aim point, ECEF m, for a guided glider's guidance; all zero: no aim (fly for range)
N_FLIGHT = 18

# steering programmes after the vertical rise and the pitch-over
PROGRAMMES = {
    "gravity-turn": 0.0,  # thrust along the Earth-relative velocity
    "pitch-hold": 1.0,  # thrust held at the kick angle from the vertical, towards the azimuth, until burnout
}
PROGRAMME_PITCH_HOLD = 1.0

# --- vehicle rows: one per vehicle type -----------------------------------------------------
V_STAGE_COUNT = 0
V_RV_MASS = 1  # mass flown after thrust ends, kg
V_RV_AREA = 2  # its drag reference area, m^2
V_RV_DRAG = 3  # its drag table index
V_BODY_DRAG = 4  # drag table index of the stack during boost
V_VERTICAL_RISE = 5  # end of the vertical rise, s after launch
V_PITCH_OVER = 6  # duration of the pitch-over, s
V_STAGE = 7  # first stage block
# fields of one stage block
S_IGNITION = 0  # s after launch
S_BURNOUT = 1  # s after launch
S_MASS_AT_IGNITION = 2  # whole stack at ignition (this and upper stages, payload), kg
S_MASS_FLOW = 3  # kg/s
S_ISP_VACUUM = 4  # s
S_ISP_SEA_LEVEL = 5  # s
S_AREA = 6  # drag reference area, m^2
S_MASS_AFTER = 7  # stack mass just after this stage is dropped, kg
STAGE_STRIDE = 8
# glide model of the vehicle flown after thrust ends (after the stage blocks, so the fields above keep their indices)
V_GLIDE_LAW = V_STAGE + MAX_STAGES * STAGE_STRIDE  # GLIDE_LAWS[name]; 0: no lift (ballistic re-entry vehicle)
V_LIFT_TO_DRAG = V_GLIDE_LAW + 1  # lift-to-drag ratio L/D (the largest, for a guided glide), dimensionless
# the equilibrium-glide law's parameters (vehicles.GlideModel)
V_TERMINAL_SPEED = V_LIFT_TO_DRAG + 1  # Earth-relative speed at which the glide ends and the terminal dive begins, m/s
V_DIVE_ANGLE = V_LIFT_TO_DRAG + 2  # depression of the aim below the horizon at which the dive begins, rad
V_LIFT_FRACTION_MIN = V_LIFT_TO_DRAG + 3  # cosine of the largest bank angle: the least lift kept in the vertical plane
V_GLIDE_KICK = V_LIFT_TO_DRAG + 4  # pitch-over angle of the glider's boost, rad (its depressed boost to the glide)
N_VEHICLE = V_GLIDE_KICK + 1

# glide laws: how lift is set after thrust ends (vehicles.GlideModel names them)
GLIDE_LAWS = {
    "none": 0.0,  # no lift: a ballistic re-entry vehicle
    "constant-lift-to-drag": 1.0,  # lift = L/D x drag, perpendicular to the Earth-relative velocity, upwards in the vertical plane
    "equilibrium-glide": 2.0,  # lift modulated by bank to hold an equilibrium glide sized to the range to go, then a dive
}
GLIDE_CONSTANT_LIFT_TO_DRAG = 1.0
GLIDE_EQUILIBRIUM = 2.0

# --- earth row ------------------------------------------------------------------------------
E_A = 0  # equatorial radius, m
E_F = 1  # flattening
E_GM = 2  # m^3/s^2
E_J2 = 3
E_OMEGA = 4  # rotation rate, rad/s
N_EARTH = 5

# --- integrator settings row ----------------------------------------------------------------
C_DT_BOOST = 0  # step while thrusting, s
C_DT_AIR = 1  # step below the atmosphere interface, s
C_DT_VACUUM = 2  # step above it, s
C_INTERFACE = 3  # atmosphere interface altitude for the step rule, m
C_T_MAX = 4  # give up after this flight time, s
C_ATMOSPHERE = 5  # 1.0: 1976 standard atmosphere (drag, pressure-corrected Isp); 0.0: vacuum
C_HISTORY_DT = 6  # spacing of recorded samples, s
C_ATMOSPHERE_STEP = 7  # altitude spacing of the atmosphere table, m
C_DT_BOOST_VACUUM = 8  # step while thrusting above the boost interface, s
C_BOOST_INTERFACE = 9  # altitude above which thrusting steps are C_DT_BOOST_VACUUM, m
N_SETTINGS = 10

# --- drag tables: one row per Cd(Mach) table ------------------------------------------------
D_COUNT = 0  # number of points
D_MACH = 1  # 1 .. MAX_DRAG_POINTS: Mach numbers, increasing
D_CD = 1 + MAX_DRAG_POINTS  # the drag coefficients at those Mach numbers
N_DRAG = 1 + 2 * MAX_DRAG_POINTS

# --- summary rows: one per flight -----------------------------------------------------------
O_STATUS = 0
O_BURNOUT_T = 1
O_BURNOUT_STATE = 2  # 2..7: ECI position m, velocity m/s
O_APOGEE_T = 8
O_APOGEE_ALTITUDE = 9  # geodetic altitude, m
O_IMPACT_T = 10
O_IMPACT_ECEF = 11  # 11..13: m
O_IMPACT_VELOCITY_ECEF = 14  # 14..16: Earth-relative, m/s
O_END_T = 17
O_END_STATE = 18  # 18..23: ECI at the end of the flight
O_STEPS = 24
O_HISTORY_COUNT = 25
N_OUT = 26

# status codes (see flight.FlightStatus)
STATUS_RUNNING = 0
STATUS_IMPACT = 1
STATUS_MAX_TIME = 2
STATUS_NO_LIFTOFF = 3

# history samples: t, ECI position (3), ECI velocity (3)
H_T = 0
H_STATE = 1
N_HISTORY = 7


# --- packing --------------------------------------------------------------------------------


# --- sensor rows: one per sensor (sensors.sensor_rows) ------------------------------------------------
S_KIND = 0  # 0: radar, 1: infrared warning
S_TRACK_TIME = 1  # s
S_DELAY = 2  # infrared: detection delay after launch, s
S_ANTENNA = 3  # 3..5: antenna ECEF, m
S_UP = 6  # 6..8, east 9..11, north 12..14: the antenna's local frame
S_EAST = 9
S_NORTH = 12
S_BORESIGHT = 15  # deg
S_HALF_WIDTH = 16  # deg
S_MIN_ELEVATION = 17  # deg
S_MAX_ELEVATION = 18  # deg
S_RANGE = 19  # detection range for the threat's cross-section, m
N_SENSOR = 20

KIND_RADAR = 0.0
KIND_INFRARED = 1.0


def vehicle_rows(missiles) -> tuple[np.ndarray, np.ndarray]:
    """Vehicle rows (vehicle, N_VEHICLE) and drag-table rows (table, N_DRAG) for missiles."""
    tables: dict = {}

    def table_index(table) -> int:
        return tables.setdefault(table, len(tables))

    vehicles = np.zeros((len(missiles), N_VEHICLE))
    for row, missile in zip(vehicles, missiles):
        row[V_STAGE_COUNT] = len(missile.stages)
        row[V_RV_MASS] = missile.reentry_mass_kg
        row[V_RV_AREA] = np.pi * missile.reentry_diameter_m**2 / 4.0
        row[V_RV_DRAG] = table_index(missile.reentry_drag)
        row[V_BODY_DRAG] = table_index(missile.body_drag)
        row[V_VERTICAL_RISE] = missile.vertical_rise_s
        row[V_PITCH_OVER] = missile.pitch_over_s
        if missile.glide is not None:
            row[V_GLIDE_LAW] = glide_law_code(missile.glide.law)
            row[V_LIFT_TO_DRAG] = missile.glide.lift_to_drag_ratio
            if missile.glide.law == "equilibrium-glide":
                row[V_TERMINAL_SPEED] = missile.glide.terminal_speed_m_s
                row[V_DIVE_ANGLE] = np.radians(missile.glide.dive_angle_deg)
                row[V_LIFT_FRACTION_MIN] = np.cos(np.radians(missile.glide.bank_limit_deg))
                row[V_GLIDE_KICK] = np.radians(missile.glide.boost_kick_deg)
        mass = missile.launch_mass_kg
        for k, (stage, (ignition_s, burnout_s)) in enumerate(zip(missile.stages, missile.stage_times_s())):
            base = V_STAGE + k * STAGE_STRIDE
            row[base + S_IGNITION] = ignition_s
            row[base + S_BURNOUT] = burnout_s
            row[base + S_MASS_AT_IGNITION] = mass
            row[base + S_MASS_FLOW] = stage.mass_flow_kg_s
            row[base + S_ISP_VACUUM] = stage.isp_vacuum_s
            row[base + S_ISP_SEA_LEVEL] = stage.isp_sea_level_s
            row[base + S_AREA] = stage.reference_area_m2
            mass -= stage.gross_mass_kg
            row[base + S_MASS_AFTER] = mass
    drag = np.zeros((max(len(tables), 1), N_DRAG))
    for table, index in tables.items():
        n = len(table.mach)
        drag[index, D_COUNT] = n
        drag[index, D_MACH:D_MACH + n] = table.mach
        drag[index, D_CD:D_CD + n] = table.cd
    return vehicles, drag


def glide_law_code(name: str) -> float:
    """The kernels' number for a glide law name."""
    return GLIDE_LAWS[limits.choose("glide law", name, GLIDE_LAWS)]


def earth_row(model) -> np.ndarray:
    """The kernels' row for an :class:`~shieldcheck.earth.EarthModel`."""
    row = np.zeros(N_EARTH)
    row[E_A] = model.equatorial_radius_m
    row[E_F] = model.flattening
    row[E_GM] = model.gm_m3_s2
    row[E_J2] = model.j2
    row[E_OMEGA] = model.rotation_rate_rad_s
    return row


def settings_row(integrator, atmosphere_name: str, atmosphere_step_m: float) -> np.ndarray:
    """The kernels' row for integrator settings and the atmosphere switch."""
    row = np.zeros(N_SETTINGS)
    row[C_DT_BOOST] = integrator.boost_step_s
    row[C_DT_BOOST_VACUUM] = integrator.boost_vacuum_step_s
    row[C_DT_AIR] = integrator.air_step_s
    row[C_DT_VACUUM] = integrator.vacuum_step_s
    row[C_INTERFACE] = integrator.interface_altitude_m
    row[C_BOOST_INTERFACE] = integrator.boost_interface_altitude_m
    row[C_T_MAX] = integrator.max_flight_time_s
    row[C_ATMOSPHERE] = 1.0 if atmosphere_name == "ussa1976" else 0.0
    row[C_HISTORY_DT] = integrator.history_spacing_s
    row[C_ATMOSPHERE_STEP] = atmosphere_step_m
    return row
