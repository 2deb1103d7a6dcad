"""Make ``tests/references/ussa1976_reference.csv``: the ``ussa1976`` package at 37 off-grid altitudes.

The test suite compares ``shieldcheck.atmosphere.properties`` with these frozen values, so CI
needs neither ``ussa1976`` nor scipy. The altitudes (0 to 1000 km) include the geometric
altitudes of the seven layer bases of Table 4 and the 86 km seam, and points between the
500 m rows of ``src/shieldcheck/data/ussa1976_upper.csv``.

Settings: ``ussa1976.core.compute`` (0.3.4) with the same atomic-oxygen correction as the
shipped table (see ``tools/make_atmosphere_table.py``; ``--no-oxygen-correction`` turns it off).
Notes on the package's values, which the test takes into account:

- at and below 86 km the package's ``t`` is the molecular-scale temperature T_M (it applies no
  Table 8 M/M0 ratio), up to 0.079 K above the kinetic temperature between 80 and 86 km;
- the package's M0 is 28.964425 kg/kmol (summed from Table 3) against the standard's 28.9644
  (relative difference 9e-7);
- above 86 km the package gives no speed of sound; the column there is sqrt(1.40 R* T / M) with
  the package's mean molar mass M = rho N_A / n (shieldcheck's definition).

Usage (needs ``pip install ussa1976==0.3.4 scipy``)::

    python tools/make_reference_ussa1976.py [--output PATH] [--no-oxygen-correction]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from make_atmosphere_table import COLUMNS, GAMMA, USSA1976_VERSION, _core, oxygen_correction, write_table

DEFAULT_OUTPUT = Path(__file__).resolve().parents[1] / "tests/references/ussa1976_reference.csv"

R0_M = 6_356_766.0  # Table 2
LAYER_BASES_H_M = (11_000.0, 20_000.0, 32_000.0, 47_000.0, 51_000.0, 71_000.0)  # Table 4

OTHER_ALTITUDES_M = (
    0.0, 1_234.5, 5_000.0, 11_000.0, 15_432.1, 40_000.0, 50_000.0, 60_000.0,
    75_000.0, 80_000.0, 81_234.5, 83_250.0, 85_000.0, 85_987.6, 86_000.0,
    86_123.4, 88_888.8, 91_000.0, 95_432.1, 100_000.0, 109_777.7, 115_000.0, 120_000.0,
    150_321.9, 200_000.0, 287_654.3, 400_250.0, 500_000.0, 733_333.3, 999_876.5,
)


def altitudes_m() -> np.ndarray:
    """The 37 reference altitudes: layer bases (Eq. 19, Z = r0 H / (r0 - H)) and the list above."""
    bases = [R0_M * h / (R0_M - h) for h in LAYER_BASES_H_M]
    z = np.array(sorted(set(OTHER_ALTITUDES_M) | set(bases) | {1_000_000.0}))
    assert z.size == 37, z.size
    return z


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--no-oxygen-correction", action="store_true")
    args = parser.parse_args()
    correct = not args.no_oxygen_correction

    core = _core()
    z = altitudes_m()
    with oxygen_correction(correct):
        ds = core.compute(z=z, variables=["t", "p", "rho", "n_tot", "cs"])
    t, p, rho = ds["t"].values, ds["p"].values, ds["rho"].values
    molar_mass = rho * core.NA / ds["n_tot"].values
    cs = np.where(np.isfinite(ds["cs"].values), ds["cs"].values, np.sqrt(GAMMA * core.R * t / molar_mass))
    values = {
        "altitude_m": z, "temperature_k": t, "pressure_pa": p, "density_kg_m3": rho,
        "mean_molar_mass_kg_mol": molar_mass, "speed_of_sound_m_s": cs,
    }
    command = "python tools/make_reference_ussa1976.py" + ("" if correct else " --no-oxygen-correction")
    header = [
        "Frozen reference for tests/test_atmosphere_vs_ussa1976.py (CI does not install ussa1976).",
        f"Source: ussa1976 {USSA1976_VERSION} (PyPI), ussa1976.core.compute at 37 geometric altitudes.",
        "Settings: atomic-oxygen eddy-term correction " + ("ON" if correct else "OFF")
        + " (as in src/shieldcheck/data/ussa1976_upper.csv); package defaults otherwise.",
        "At z <= 86 km temperature_k is the package's molecular-scale temperature T_M (no Table 8 M/M0).",
        "Above 86 km speed_of_sound_m_s = sqrt(1.40 * R* * T / M) with M = rho * N_A / n from the package.",
        f"Made by: {command}",
    ]
    write_table(args.output, header, (",".join(repr(float(values[c][i])) for c in COLUMNS) for i in range(z.size)))
    print(f"wrote {z.size} altitudes to {args.output}")


if __name__ == "__main__":
    main()
