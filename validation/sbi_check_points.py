"""The check points of docs/model.md, "Space-based interceptors": the catalog's constellations against the
published orders of magnitude (APS 2003: at least 1,600 SBIs against one solid ICBM from North Korea; CBO 2026:
7,800 for 10 simultaneous targets; CBO 2025: 1,300-2,000 against one or two ICBMs from a regional adversary),
and how the absentee ratio scales with altitude, inclination, delta-v and the decision delay.

Computed with the catalog as it stands, never tuned to the published numbers; the assumptions that differ from
the studies (whose orbits, interceptors and timelines were not retrieved) are every MODEL value of
constellations.toml, the stand-in missiles and the launch points. The check points themselves (the published
figures, the launches, the families tried and the assumptions that differ) are
``shieldcheck.space_study.CHECK_POINTS``, which the space study and its report section compute too.

    python validation/sbi_check_points.py [--times 96] [--trials 100]

Prints one JSON object (about a minute on 2 cores once the kernels are compiled).
"""

from __future__ import annotations

import argparse
import json

import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--times", type=int, default=96, help="launch times over a day")
    parser.add_argument("--trials", type=int, default=100, help="Monte Carlo trials per constellation size")
    args = parser.parse_args()

    from shieldcheck import space_intercept as S
    from shieldcheck import space_study
    from shieldcheck.catalog import constellations

    flights = space_study.check_point_flights()
    solid, liquid = flights["North Korea, solid"], flights["North Korea, liquid"]
    times = np.linspace(0.0, S.DAY_S, args.times, endpoint=False)
    out: dict = {"absentee_ratio": {}, "needed": {}, "scaling": {}, "check_points": []}
    for name in constellations.names():
        c = constellations.constellation(name)
        for label, launches in (("North Korea, solid", solid), ("North Korea, liquid", liquid)):
            result = S.engage_from_orbit(launches, c, times, flight_index=np.zeros(len(times), np.int64))
            out["absentee_ratio"][f"{name} / {label}"] = {
                "absentee_ratio": result.absentee_ratio(), "mean_engaging": float(result.engaging.mean()),
                "least_engaging": int(result.engaging.min()), "covered": result.coverage()}
    for point in space_study.check_points(times=args.times, trials=args.trials, seed=0, flights=flights):
        area = "Teykovo" if point["launches"] == "Teykovo" else "North Korea"
        out["needed"][f"{point['constellation']} / {area} / salvo of {point['salvo_size']}"] = {
            key: point[key] for key in ("salvo_size", "probability", "trials", "sizes", "all_engaged", "needed")}
        out["check_points"].append(point)
    aps = constellations.constellation("APS-2003-like")
    for label, launches in (("solid", solid), ("liquid", liquid)):
        for parameter, values in (("altitude_m", [300e3, 500e3, 800e3, 1_200e3]),
                                  ("inclination_deg", [40.0, 50.0, 65.0, 90.0]),
                                  ("delta_v_m_s", [2_500.0, 4_000.0, 6_000.0]),
                                  ("decision_delay_s", [10.0, 30.0, 60.0])):
            rows = S.absentee_ratio_versus(launches, aps, times, parameter, values,
                                           flight_index=np.zeros(len(times), np.int64))
            out["scaling"][f"APS-2003-like / {label} / {parameter}"] = [
                [row["value"], row["absentee_ratio"], row["mean_engaging"]] for row in rows]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
