"""The check points of docs/model.md, "Space-based interceptors": the catalog's constellations against the
published orders of magnitude (APS 2003: at least 1,600 SBIs against one solid ICBM from North Korea; CBO 2026:
7,800 for 10 simultaneous targets; CBO 2025: 1,300-2,000 against one or two ICBMs from a regional adversary),
and how the absentee ratio scales with altitude, inclination, delta-v and the decision delay.

Computed with the catalog as it stands, never tuned to the published numbers; the assumptions that differ from
the studies (whose orbits, interceptors and timelines were not retrieved) are every MODEL value of
constellations.toml, the stand-in missiles and the launch points.

    python validation/sbi_check_points.py [--times 96] [--trials 100]

Prints one JSON object (about a minute on 2 cores once the kernels are compiled).
"""

from __future__ import annotations

import argparse
import json

import numpy as np

NORTH_KOREA = "40.0,127.5"  # a point in central North Korea (no catalog site there)


def boosts(missile: str, latitude_deg, longitude_deg, azimuth_deg, kick_deg):
    from shieldcheck import catalog, flight
    from shieldcheck.earth import Sites

    return flight.fly_launch(catalog.missile(missile), Sites(latitude_deg, longitude_deg), azimuth_deg, kick_deg,
                             tracks=True, integrator=flight.Integrator(max_flight_time_s=400.0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--times", type=int, default=96, help="launch times over a day")
    parser.add_argument("--trials", type=int, default=100, help="Monte Carlo trials per constellation size")
    args = parser.parse_args()

    from shieldcheck import launch_areas
    from shieldcheck import space_intercept as S
    from shieldcheck.catalog import constellations

    rng = np.random.default_rng(0)
    solid = boosts("Topol-M", 40.0, 127.5, 45.0, 20.0)  # the solid stand-in: 180 s burn
    liquid = boosts("Iran-ICBM (notional)", 40.0, 127.5, 45.0, 2.0)  # the notional liquid ICBM: 253 s burn
    field = boosts("Topol-M", 40.0 + rng.uniform(-1, 1, 10), 127.5 + rng.uniform(-1, 1, 10),
                   45.0 + rng.uniform(-10, 10, 10), 20.0)
    latitude, longitude = launch_areas.sample("Teykovo", 10, seed=1)
    teykovo = boosts("Yars", latitude, longitude, 10.0, 20.0)
    times = np.linspace(0.0, S.DAY_S, args.times, endpoint=False)
    out: dict = {"absentee_ratio": {}, "needed": {}, "scaling": {}}
    for name in constellations.names():
        c = constellations.constellation(name)
        for label, flights in (("North Korea, solid", solid), ("North Korea, liquid", liquid)):
            result = S.engage_from_orbit(flights, c, times, flight_index=np.zeros(len(times), np.int64))
            out["absentee_ratio"][f"{name} / {label}"] = {
                "absentee_ratio": result.absentee_ratio(), "mean_engaging": float(result.engaging.mean()),
                "least_engaging": int(result.engaging.min()), "covered": result.coverage()}
    sizes = (1_000, 2_000, 4_000, 7_800, 16_000, 32_000)
    for name, flights, label, k, family in (
            ("APS-2003-like", field, "North Korea", 1, (800, 1_600, 3_200)),
            ("CBO-2025-like", field, "North Korea", 2, sizes),
            ("CBO-2026-like", field, "North Korea", 10, sizes),
            ("CBO-2026-like", teykovo, "Teykovo", 10, sizes)):
        sizing = S.satellites_needed(flights, constellations.constellation(name), k, sizes=family,
                                     trials=args.trials, seed=0)
        out["needed"][f"{name} / {label} / salvo of {k}"] = sizing.as_dict()
    aps = constellations.constellation("APS-2003-like")
    for label, flights in (("solid", solid), ("liquid", liquid)):
        for parameter, values in (("altitude_m", [300e3, 500e3, 800e3, 1_200e3]),
                                  ("inclination_deg", [40.0, 50.0, 65.0, 90.0]),
                                  ("delta_v_m_s", [2_500.0, 4_000.0, 6_000.0]),
                                  ("decision_delay_s", [10.0, 30.0, 60.0])):
            rows = S.absentee_ratio_versus(flights, aps, times, parameter, values,
                                           flight_index=np.zeros(len(times), np.int64))
            out["scaling"][f"APS-2003-like / {label} / {parameter}"] = [
                [row["value"], row["absentee_ratio"], row["mean_engaging"]] for row in rows]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
