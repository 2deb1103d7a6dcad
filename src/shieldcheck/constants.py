"""Physical constants, one line each with the document that defines it.

SI units throughout; the unit is in the name. GM is used directly, never ``G * M``: GM of the
Earth is known to about nine significant digits, G alone to about five.
"""

# WGS 84, NIMA TR8350.2 (3rd ed., amendment 1, 2000) Table 3.1 / NGA.STND.0036_1.0.0_WGS84 (2014).
WGS84_EQUATORIAL_RADIUS_M = 6378137.0  # defining parameter a
WGS84_FLATTENING = 1.0 / 298.257223563  # defining parameter 1/f
WGS84_GM_M3_S2 = 3.986004418e14  # defining parameter GM (includes the atmosphere)
WGS84_ROTATION_RATE_RAD_S = 7.292115e-5  # defining parameter omega (nominal mean rate)
# NIMA TR8350.2 Table 5.3 (EGM96 normalised C20 = -0.484166774985e-3); J2 = -sqrt(5) * C20.
EGM96_J2 = 1.0826298213133048e-3

# The textbook spherical, non-rotating Earth used for closed-form two-body checks.
SPHERE_RADIUS_M = 6371000.0  # mean Earth radius (IUGG R1 = 6371.0088 km, rounded as in textbooks)
SPHERE_GM_M3_S2 = 3.986004418e14  # same GM as WGS 84

# Standard acceleration of gravity, used to turn specific impulse into exhaust speed.
STANDARD_GRAVITY_M_S2 = 9.80665  # 3rd CGPM (1901); also g0 of NOAA-S/T 76-1562
# Sea-level pressure of the 1976 standard atmosphere, reference for the Isp pressure correction.
SEA_LEVEL_PRESSURE_PA = 101325.0  # NOAA-S/T 76-1562 Table 1

# Not physics, but a fact every layer may state: the package's version (pyproject.toml's), stamped on
# sweeps and reports; ``shieldcheck.__version__`` is this.
PACKAGE_VERSION = "0.1.0"
