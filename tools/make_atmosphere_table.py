"""Make ``src/shieldcheck/data/ussa1976_upper.csv``: the 1976 standard atmosphere, 86 to 1000 km.

The standard's upper atmosphere (species number densities from diffusion, NOAA-S/T 76-1562) has no
closed form, so shieldcheck ships it as a table computed here with the ``ussa1976`` package
(pinned to 0.3.4), with one correction:

Atomic-oxygen correction. ``ussa1976`` 0.3.4 puts the molar mass of N2 where the standard's
diffusion equation (its function f, Eq. 36) has the mean molar mass M (= M0 from 86 to 100 km) in
the eddy-mixing term M*K/D of atomic oxygen. That makes its atomic-oxygen number density
about 7.2 % too high from ~100 km up (compared with Table VIII of the standard), hence total
density up to ~6.7 % too high between ~150 and ~700 km. With the mean molar mass, atomic
oxygen agrees with Table VIII to within 0.25 % at 86-1000 km, and density agrees with the
standard's Table I to within 0.1 % (e.g. 200 km: 2.5393e-10 vs printed 2.541e-10 kg/m^3;
unpatched package 2.617e-10). The correction is on by default; ``--no-oxygen-correction``
writes the package's values unchanged.

Rows: every 500 m from 86 km to 1000 km inclusive (1829 rows). Log-linear interpolation
between rows reproduces the package at mid-row altitudes to within 0.04 % in density,
0.03 % in pressure and 0.16 K in temperature (largest near 110 km, where the standard's
elliptical temperature segment is most curved); this script measures and prints those errors.

The first row, at exactly 86 km, comes from the standard's upper-atmosphere formulation
(T = 186.8673 K and the species number densities the standard fixes at 86 km), not from
its 0-86 km one.

Speed of sound is not tabulated by the standard above 86 km; the column here is
sqrt(gamma * R* * T / M) with the local mean molar mass M = rho * N_A / n and gamma = 1.40.

Usage (needs ``pip install ussa1976==0.3.4 scipy``)::

    python tools/make_atmosphere_table.py [--output PATH] [--no-oxygen-correction]
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np

USSA1976_VERSION = "0.3.4"
STEP_M = 500.0
Z_SEAM_M = 86_000.0
Z_TOP_M = 1_000_000.0
GAMMA = 1.40  # ratio of specific heats, NOAA-S/T 76-1562 Table 2
COLUMNS = (
    "altitude_m",
    "temperature_k",
    "pressure_pa",
    "density_kg_m3",
    "mean_molar_mass_kg_mol",
    "speed_of_sound_m_s",
)
DEFAULT_OUTPUT = Path(__file__).resolve().parents[1] / "src/shieldcheck/data/ussa1976_upper.csv"


def _core():
    """The ``ussa1976.core`` module, after checking the pinned version."""
    import ussa1976
    import ussa1976.core

    if ussa1976.__version__ != USSA1976_VERSION:
        sys.exit(f"need ussa1976=={USSA1976_VERSION} (the correction targets it), found {ussa1976.__version__}")
    return ussa1976.core


@contextlib.contextmanager
def oxygen_correction(enabled: bool = True) -> Iterator[None]:
    """Temporarily use the mean molar mass in atomic oxygen's eddy term (see module docstring)."""
    core = _core()
    original = core.thermal_diffusion_term_atomic_oxygen

    def corrected(z_grid, g, t, dt_dz, d, k):
        below, above = z_grid < 115e3, z_grid >= 115e3
        m = core.compute_mean_molar_mass_high_altitude(z=z_grid)
        low = core.f_below_115_km(
            g=g[below], t=t[below], dt_dz=dt_dz[below], m=m[below],
            mi=core.M["O"], alpha=core.ALPHA["O"], d=d, k=k,
        )
        high = core.f_above_115_km(
            g=g[above], t=t[above], dt_dz=dt_dz[above], mi=core.M["O"], alpha=core.ALPHA["O"],
        )
        return np.concatenate((low, high))

    if enabled:
        core.thermal_diffusion_term_atomic_oxygen = corrected
    try:
        yield
    finally:
        core.thermal_diffusion_term_atomic_oxygen = original


def upper_atmosphere(z_m: np.ndarray, *, correct_oxygen: bool = True) -> dict[str, np.ndarray]:
    """Standard-atmosphere state at 86 <= z <= 1000 km from the package's upper-atmosphere model."""
    core = _core()
    z_m = np.asarray(z_m, dtype=np.float64)
    if np.any(z_m < Z_SEAM_M) or np.any(z_m > Z_TOP_M):
        raise ValueError("upper_atmosphere needs 86 km <= z <= 1000 km")
    with oxygen_correction(correct_oxygen):
        ds = core.compute_high_altitude(core.init_data_set(z=z_m), inplace=False)
    t = ds["t"].values
    molar_mass = ds["rho"].values * core.NA / ds["n_tot"].values
    return {
        "altitude_m": z_m,
        "temperature_k": t,
        "pressure_pa": ds["p"].values,
        "density_kg_m3": ds["rho"].values,
        "mean_molar_mass_kg_mol": molar_mass,
        "speed_of_sound_m_s": np.sqrt(GAMMA * core.R * t / molar_mass),
    }


def interpolation_errors(step_m: float, correct_oxygen: bool) -> dict[str, float]:
    """Largest error of row-to-row interpolation (log-linear p, rho; linear T) at mid-rows."""
    nodes = np.arange(Z_SEAM_M, Z_TOP_M + 0.5 * step_m, step_m)
    a = upper_atmosphere(nodes, correct_oxygen=correct_oxygen)
    b = upper_atmosphere(0.5 * (nodes[1:] + nodes[:-1]), correct_oxygen=correct_oxygen)

    def loglin(name: str) -> np.ndarray:
        return np.exp(0.5 * (np.log(a[name][1:]) + np.log(a[name][:-1])))

    return {
        "density_rel": float(np.max(np.abs(loglin("density_kg_m3") / b["density_kg_m3"] - 1))),
        "pressure_rel": float(np.max(np.abs(loglin("pressure_pa") / b["pressure_pa"] - 1))),
        "temperature_k": float(
            np.max(np.abs(0.5 * (a["temperature_k"][1:] + a["temperature_k"][:-1]) - b["temperature_k"]))
        ),
    }


def write_table(path: Path, header: list[str], rows) -> None:
    """Write a CSV with '# ' comment lines, the COLUMNS header line and the given row strings."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as f:
        for line in header:
            f.write(f"# {line}\n")
        f.write(",".join(COLUMNS) + "\n")
        for row in rows:
            f.write(row + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--no-oxygen-correction", action="store_true")
    args = parser.parse_args()
    correct = not args.no_oxygen_correction

    z = np.arange(Z_SEAM_M, Z_TOP_M + 0.5 * STEP_M, STEP_M)
    state = upper_atmosphere(z, correct_oxygen=correct)
    errors = interpolation_errors(STEP_M, correct)
    command = "python tools/make_atmosphere_table.py" + ("" if correct else " --no-oxygen-correction")
    header = [
        "U.S. Standard Atmosphere 1976 (NOAA-S/T 76-1562), 86 to 1000 km geometric altitude.",
        f"Source: ussa1976 {USSA1976_VERSION} (PyPI), ussa1976.core.compute_high_altitude;",
        "atomic-oxygen eddy-term correction (mean molar mass, not M_N2): "
        + ("ON" if correct else "OFF") + " (see tools/make_atmosphere_table.py).",
        f"Rows every {STEP_M:g} m; mid-row interpolation error: density {errors['density_rel']:.1e} (log-linear),"
        f" pressure {errors['pressure_rel']:.1e} (log-linear), temperature {errors['temperature_k']:.2f} K (linear).",
        "speed_of_sound_m_s = sqrt(1.40 * 8.31432 * T / M), M = mean molar mass (not tabulated by the standard).",
        f"Made by: {command}",
    ]
    write_table(args.output, header, (f"{z[i]:.1f}," + ",".join(f"{state[c][i]:.9e}" for c in COLUMNS[1:])
                                      for i in range(z.size)))
    print(f"wrote {z.size} rows to {args.output}; mid-row interpolation errors: {errors}")


if __name__ == "__main__":
    main()
