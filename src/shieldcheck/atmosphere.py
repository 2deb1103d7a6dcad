"""U.S. Standard Atmosphere, 1976: temperature, pressure, density and speed of sound, 0-1000 km.

Reference: NOAA-S/T 76-1562 (NOAA, NASA, USAF, "U.S. Standard Atmosphere, 1976", Washington DC,
October 1976), cited below as "the standard". Altitude is geometric altitude Z in metres; callers
pass height above the ellipsoid for it (the standard itself is a mid-latitude model referred to
mean sea level, with no latitude dependence).

0 to 86 km: closed form. Geopotential altitude H = r0 Z / (r0 + Z) (Eq. 18); molecular-scale
temperature T_M linear in H in seven layers (Eq. 23, Table 4); hydrostatic pressure per layer
(Eqs. 33a, 33b); density rho = P M0 / (R* T_M) (Eq. 42); speed of sound
sqrt(gamma R* T_M / M0) (Eq. 50). Kinetic temperature T = T_M M/M0, with M/M0 from Table 8
(1 below 80 km, 0.999579 at 86 km), interpolated linearly in Z between its 0.5 km entries: this
is the only place where T and T_M differ below 86 km (by at most 0.079 K, 0.042 %, at 86 km),
and it does not change pressure, density or speed of sound, which depend on T_M / M0 = T / M.

86 to 1000 km: the standard's upper atmosphere (diffusive species number densities) has no
closed form, so it is read from ``data/ussa1976_upper.csv``: made by
``tools/make_atmosphere_table.py`` with the ``ussa1976`` package 0.3.4, corrected for an
atomic-oxygen error in that package (see the tool's docstring; with the correction density
agrees with the standard's printed Table I to within 0.1 % at 86-1000 km). Rows are every
500 m; pressure and density are interpolated log-linearly, temperature and speed of sound
linearly (mid-row error against the package: density 0.04 %, pressure 0.03 %, temperature
0.16 K). The standard tabulates no speed of sound above 86 km; here it is
sqrt(gamma R* T / M) with the local mean molar mass M and gamma = 1.40, which continues
Eq. 50 across 86 km.

The two parts meet at Z = 86 km (closed form at and below, table above). Their difference
there is well within the standard's printed precision (5 significant figures): 1e-4 K in
temperature, 1.1e-5 relative in pressure, 8e-6 in density, 1e-4 m/s in speed of sound (tested).

``properties`` is the reference evaluation. ``kernel_table`` samples it on a uniform grid for
the compiled (numba CPU and CUDA) flight kernels, and ``AtmosphereTable.lookup`` is the NumPy
reference of the lookup those kernels do.
"""

from __future__ import annotations

import csv
import functools
import io
from importlib import resources
from typing import NamedTuple

import numpy as np

__all__ = [
    "ALTITUDE_MIN_M",
    "ALTITUDE_MAX_M",
    "AtmosphereState",
    "AtmosphereTable",
    "properties",
    "kernel_table",
]

ALTITUDE_MIN_M = 0.0  # lower end used here (the standard's tables start at -5 km; nothing is flown below 0)
ALTITUDE_MAX_M = 1_000_000.0  # top of the standard (1000 km)

# --- Constants of the standard (NOAA-S/T 76-1562) --------------------------------------------
R0_M = 6_356_766.0  # effective Earth radius r0 for geopotential altitude, Table 2 (6356.766 km), Eq. 18
G0_M_S2 = 9.80665  # standard gravity g0 (m^2 s^-2 per geopotential metre), Table 2
R_STAR_J_MOL_K = 8.31432  # gas constant R* = 8.31432e3 J/(kmol K), Table 2
M0_KG_MOL = 28.9644e-3  # sea-level mean molar mass M0 = 28.9644 kg/kmol, from Table 3 composition
T0_K = 288.15  # sea-level temperature T0, Table 2
P0_PA = 101_325.0  # sea-level pressure P0, Table 2
GAMMA = 1.40  # ratio of specific heats of air, Table 2 (used in Eq. 50)
Z_SEAM_M = 86_000.0  # top of the closed-form region: Z7 = 86 km, i.e. H = 84.852 km, top of Table 4

# Layer bases H_b (geopotential metres) and molecular-scale temperature gradients L_M,b (K per
# geopotential metre), Table 4.
_LAYER_BASE_H_M = np.array([0.0, 11_000.0, 20_000.0, 32_000.0, 47_000.0, 51_000.0, 71_000.0])
_LAYER_GRADIENT_K_M = np.array([-6.5e-3, 0.0, 1.0e-3, 2.8e-3, 0.0, -2.8e-3, -2.0e-3])

# Molecular-weight ratio M/M0 at Z = 80.0, 80.5, ..., 86.0 km, Table 8.
_M_RATIO_Z_M = np.arange(80_000.0, 86_000.0 + 1.0, 500.0)
_M_RATIO = np.array([
    1.000000, 0.999996, 0.999989, 0.999971, 0.999941, 0.999909, 0.999870,
    0.999829, 0.999786, 0.999741, 0.999694, 0.999641, 0.999579,
])

_HYDROSTATIC = G0_M_S2 * M0_KG_MOL / R_STAR_J_MOL_K  # g0 M0 / R*, K per geopotential metre


def _layer_bases() -> tuple[np.ndarray, np.ndarray]:
    """T_M,b and P_b at each layer base, by carrying Eqs. 23 and 33 up from sea level."""
    t_base = [T0_K]
    p_base = [P0_PA]
    for b in range(len(_LAYER_BASE_H_M) - 1):
        dh = _LAYER_BASE_H_M[b + 1] - _LAYER_BASE_H_M[b]
        lapse = _LAYER_GRADIENT_K_M[b]
        t_top = t_base[b] + lapse * dh
        if lapse == 0.0:
            p_top = p_base[b] * np.exp(-_HYDROSTATIC * dh / t_base[b])
        else:
            p_top = p_base[b] * (t_base[b] / t_top) ** (_HYDROSTATIC / lapse)
        t_base.append(t_top)
        p_base.append(p_top)
    return np.array(t_base), np.array(p_base)


_LAYER_BASE_T_K, _LAYER_BASE_P_PA = _layer_bases()


class AtmosphereState(NamedTuple):
    """Atmospheric state at given altitudes (arrays of the altitudes' shape, SI units)."""

    temperature_k: np.ndarray
    pressure_pa: np.ndarray
    density_kg_m3: np.ndarray
    speed_of_sound_m_s: np.ndarray


def _lower(z_m: np.ndarray) -> AtmosphereState:
    """Closed-form standard at 0 <= Z <= 86 km (Eqs. 18, 23, 33a, 33b, 42, 50; Tables 4, 8)."""
    h = R0_M * z_m / (R0_M + z_m)  # Eq. 18
    b = np.clip(np.searchsorted(_LAYER_BASE_H_M, h, side="right") - 1, 0, len(_LAYER_BASE_H_M) - 1)
    lapse = _LAYER_GRADIENT_K_M[b]
    t_base = _LAYER_BASE_T_K[b]
    dh = h - _LAYER_BASE_H_M[b]
    t_m = t_base + lapse * dh  # Eq. 23
    isothermal = lapse == 0.0
    safe_lapse = np.where(isothermal, 1.0, lapse)
    pressure = _LAYER_BASE_P_PA[b] * np.where(
        isothermal,
        np.exp(-_HYDROSTATIC * dh / t_base),  # Eq. 33b
        (t_base / t_m) ** (_HYDROSTATIC / safe_lapse),  # Eq. 33a
    )
    density = pressure * M0_KG_MOL / (R_STAR_J_MOL_K * t_m)  # Eq. 42
    speed_of_sound = np.sqrt(GAMMA * R_STAR_J_MOL_K * t_m / M0_KG_MOL)  # Eq. 50
    temperature = t_m * np.interp(z_m, _M_RATIO_Z_M, _M_RATIO)  # T = T_M M/M0, Table 8
    return AtmosphereState(temperature, pressure, density, speed_of_sound)


class _UpperTable(NamedTuple):
    altitude_m: np.ndarray
    temperature_k: np.ndarray
    log_pressure: np.ndarray
    log_density: np.ndarray
    speed_of_sound_m_s: np.ndarray


@functools.lru_cache(maxsize=1)
def _upper_table() -> _UpperTable:
    """The shipped 86-1000 km table, read once (on first use above 86 km)."""
    text = resources.files("shieldcheck").joinpath("data/ussa1976_upper.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in io.StringIO(text) if not line.startswith("#"))
    columns: dict[str, list[float]] = {}
    for row in rows:
        for key, value in row.items():
            columns.setdefault(key, []).append(float(value))
    data = {key: np.array(values) for key, values in columns.items()}
    return _UpperTable(
        altitude_m=data["altitude_m"],
        temperature_k=data["temperature_k"],
        log_pressure=np.log(data["pressure_pa"]),
        log_density=np.log(data["density_kg_m3"]),
        speed_of_sound_m_s=data["speed_of_sound_m_s"],
    )


def _upper(z_m: np.ndarray) -> AtmosphereState:
    """Tabulated standard at 86 < Z <= 1000 km: log-linear in p and rho, linear in T and c."""
    table = _upper_table()
    z = table.altitude_m
    return AtmosphereState(
        np.interp(z_m, z, table.temperature_k),
        np.exp(np.interp(z_m, z, table.log_pressure)),
        np.exp(np.interp(z_m, z, table.log_density)),
        np.interp(z_m, z, table.speed_of_sound_m_s),
    )


def _check_range(z_m: np.ndarray) -> None:
    """Raise ValueError naming the first altitude outside [0, 1000 km] (NaN included)."""
    bad = ~((z_m >= ALTITUDE_MIN_M) & (z_m <= ALTITUDE_MAX_M))
    if np.any(bad):
        where = np.argwhere(bad)[0]
        name = "altitude_m" if z_m.ndim == 0 else f"altitude_m[{', '.join(str(int(i)) for i in where)}]"
        raise ValueError(
            f"{name} = {float(z_m[tuple(where)])!r} is outside the 1976 standard atmosphere's "
            f"range 0–1,000,000 m"
        )


def properties(altitude_m: float | np.ndarray) -> AtmosphereState:
    """Standard-atmosphere state at geometric altitude(s) ``altitude_m`` (0 to 1,000,000 m).

    Returns arrays of the input's shape (0-d for a scalar). Raises ValueError for any altitude
    outside [0, 1000 km] or NaN; never returns NaN.
    """
    z = np.asarray(altitude_m, dtype=np.float64)
    _check_range(z)
    lower = z <= Z_SEAM_M
    if np.all(lower):
        return _lower(z)
    if not np.any(lower):
        return _upper(z)
    low = _lower(np.where(lower, z, Z_SEAM_M))
    high = _upper(np.where(lower, Z_SEAM_M, z))
    return AtmosphereState(*(np.where(lower, a, b) for a, b in zip(low, high)))


class AtmosphereTable(NamedTuple):
    """Uniform-grid atmosphere for the compiled flight kernels.

    Node i is at altitude i * altitude_step_m, i = 0..n-1, from 0 to 1000 km inclusive. All
    arrays are float64, C-contiguous, length n. The instance from ``kernel_table`` is shared
    (cached): do not modify its arrays in place.
    """

    altitude_step_m: float
    log_density: np.ndarray  # ln(density / (kg m^-3))
    log_pressure: np.ndarray  # ln(pressure / Pa)
    temperature_k: np.ndarray
    speed_of_sound_m_s: np.ndarray

    def lookup(self, altitude_m: float | np.ndarray) -> AtmosphereState:
        """NumPy reference of the kernels' lookup: log-linear in rho and p, linear in T and c.

        Altitudes below 0 return the sea-level values and altitudes above 1000 km the 1000 km
        values (x is clamped to [0, n-1]); the kernels rely on this when they step slightly
        below the ground while locating impact. NaN raises ValueError here (the kernels must not
        pass NaN).
        """
        z = np.asarray(altitude_m, dtype=np.float64)
        if np.any(np.isnan(z)):
            raise ValueError("altitude_m contains NaN")
        n = self.log_density.shape[0]
        x = np.clip(z / self.altitude_step_m, 0.0, n - 1.0)
        i = np.minimum(x.astype(np.int64), n - 2)
        w = x - i
        return AtmosphereState(
            self.temperature_k[i] * (1.0 - w) + self.temperature_k[i + 1] * w,
            np.exp(self.log_pressure[i] * (1.0 - w) + self.log_pressure[i + 1] * w),
            np.exp(self.log_density[i] * (1.0 - w) + self.log_density[i + 1] * w),
            self.speed_of_sound_m_s[i] * (1.0 - w) + self.speed_of_sound_m_s[i + 1] * w,
        )


@functools.lru_cache(maxsize=8)
def kernel_table(altitude_step_m: float = 250.0) -> AtmosphereTable:
    """``properties`` sampled every ``altitude_step_m`` from 0 to 1000 km, for the kernels.

    The step must divide 1,000,000 m. Lookup error of the default 250 m grid against
    ``properties``, measured at 4,000,001 altitudes 0.25 m apart (the tests re-check it):

    - below 86 km: density 0.062 %, pressure 0.004 %, temperature 0.17 K, speed of sound
      0.10 m/s at most, all at the temperature-gradient kinks of the layer bases (density worst
      at 47.35 km, the 47 km geopotential base); elsewhere far smaller;
    - above 86 km: 8e-6 relative in density, 1.1e-5 in pressure, 1e-4 K, 1e-4 m/s at most (the
      250 m nodes fall on the 500 m rows of the shipped table and their mid-points, so the
      lookup reproduces ``properties`` except for the 86 km seam in the 86-86.25 km cell).

    A 500 m step would give 0.11 % in density below 86 km, over the 0.1 % budget.
    """
    step = float(altitude_step_m)
    cells = ALTITUDE_MAX_M / step if step > 0.0 else 0.0
    if not (step > 0.0 and cells >= 1.0 and abs(cells - round(cells)) < 1e-9 * cells):
        raise ValueError(f"altitude_step_m = {altitude_step_m!r} must be positive and divide 1,000,000 m")
    n = int(round(cells)) + 1
    altitude = np.minimum(np.arange(n, dtype=np.float64) * step, ALTITUDE_MAX_M)
    state = properties(altitude)
    return AtmosphereTable(
        altitude_step_m=step,
        log_density=np.ascontiguousarray(np.log(state.density_kg_m3)),
        log_pressure=np.ascontiguousarray(np.log(state.pressure_pa)),
        temperature_k=np.ascontiguousarray(state.temperature_k),
        speed_of_sound_m_s=np.ascontiguousarray(state.speed_of_sound_m_s),
    )
