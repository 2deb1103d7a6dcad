"""Freeze the guided glide's independent reference: tests/references/glide_avangard_dombarovsky_washington.csv.

The catalog Avangard on a frozen aimed steering (Dombarovsky -> Washington), integrated by
``scipy_flight.fly_one_scipy`` (the equilibrium-glide law written again in vectors, DOP853 at rtol 1e-11,
the homing dive begun at its exact event: where the predicted push-over comes down on the aim), sampled
every 60 s and every 5 s through the dive: time, ECI position, geodetic height and Earth-relative speed.
Run again when the law, the catalog's glide values or the steering change.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from shieldcheck import catalog, earth, scipy_flight

OUT = Path(__file__).parents[1] / "tests" / "references" / "glide_avangard_dombarovsky_washington.csv"
# aiming.fly("Avangard", "Dombarovsky", "Washington")'s steering when frozen (azimuth deg, kick deg, cut-off s)
STEERING = (321.0602737726973, 55.0, 310.0)
SPACING_S = 60.0
DIVE_FROM_S = 1_600.0  # from shortly before the terminal dive (begun about 1,620 s after launch) ...
DIVE_SPACING_S = 5.0  # ... sampled more densely, through the push-over and the homing


def main() -> None:
    missile, launch, aim = catalog.missile("Avangard"), catalog.site("Dombarovsky"), catalog.site("Washington")
    times = np.concatenate([np.arange(SPACING_S, DIVE_FROM_S, SPACING_S), np.arange(DIVE_FROM_S, 2_000.0, DIVE_SPACING_S)])
    ref = scipy_flight.fly_one_scipy(missile, launch.latitude_deg, launch.longitude_deg, *STEERING, target=aim,
                                     sample_times_s=times)
    model = earth.earth_model(earth.DEFAULT_EARTH)
    rows = []
    for t, x, y, z, vx, vy, vz in ref["samples_eci"]:
        position = earth.ecef_from_eci(np.array([x, y, z]), t, model.rotation_rate_rad_s)
        _, _, height = earth.geodetic_from_ecef(position, model)
        w = np.array([vx + model.rotation_rate_rad_s * y, vy - model.rotation_rate_rad_s * x, vz])
        rows.append(f"{t:.1f},{x:.3f},{y:.3f},{z:.3f},{float(height):.3f},{float(np.linalg.norm(w)):.4f}")
    header = [
        "# Frozen reference for tests/test_glide_guidance.py (tools/make_glide_reference.py).",
        "# SOURCE: shieldcheck.scipy_flight.fly_one_scipy, the equilibrium-glide law written again in numpy vectors,",
        "#   scipy solve_ivp DOP853, rtol 1e-11, atol 1e-4 m; the dive begun at its exact event (the predicted push-over",
        "#   comes down on the aim), then proportional navigation.",
        f"# SETTINGS: catalog Avangard, Dombarovsky -> Washington, azimuth {STEERING[0]:.11f} deg, kick {STEERING[1]} deg,",
        f"#   cut-off {STEERING[2]:.11f} s, WGS 84 + J2 rotating Earth, US Standard Atmosphere 1976 (kernel table).",
        f"# IMPACT: t {ref['impact_time_s']:.3f} s, lat {ref['impact_latitude_deg']:.6f} deg, "
        f"lon {ref['impact_longitude_deg']:.6f} deg; apogee {ref['apogee_m']:.1f} m.",
        "# COLUMNS: time_s (after launch), x_eci_m, y_eci_m, z_eci_m (ECI = ECEF at launch), height_m (geodetic),",
        "#   speed_m_s (Earth-relative)",
        "time_s,x_eci_m,y_eci_m,z_eci_m,height_m,speed_m_s",
    ]
    OUT.write_text("\n".join(header + rows) + "\n")
    print(f"wrote {OUT} ({len(rows)} samples); impact {ref['impact_time_s']:.1f} s")


if __name__ == "__main__":
    main()
