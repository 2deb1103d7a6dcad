"""How large may the integrator's steps be for 100 m impact accuracy?

Flies 200 flights of a catalog missile with random steering at several step sizes (and heights above
which a thrusting missile takes the longer boost step) and compares
their impact points with the same model at 0.02 s boost and air steps and 2 s vacuum steps.

    python validation/step_rule.py Yars Teykovo
"""

import sys

import numpy as np

from shieldcheck import catalog, earth, flight


def main(missile_name: str = "Yars", site_name: str = "Teykovo", n: int = 200) -> None:
    missile, site = catalog.missile(missile_name), catalog.site(site_name)
    rng = np.random.default_rng(2)
    azimuth = rng.uniform(0, 360, n)
    kick = rng.uniform(10, 50, n)
    cutoff = rng.uniform(0.8, 1.0, n) * missile.burn_time_s
    fine = flight.fly_launch(missile, site, azimuth, kick, cutoff,
                             integrator=flight.Integrator(boost_step_s=0.02, boost_vacuum_step_s=0.02, air_step_s=0.02,
                                                          vacuum_step_s=2.0))
    reference = fine.impact()
    model = earth.earth_model(earth.DEFAULT_EARTH)
    print("boost_step_s boost_vacuum_step_s boost_interface_km air_step_s vacuum_step_s max_impact_m median_impact_m "
          "mean_steps")
    for boost, boost_vacuum, boost_interface_km, air, vacuum in [
            (0.5, 0.5, 100, 0.5, 16), (1.0, 1.0, 100, 1.0, 16), (2.0, 2.0, 100, 1.0, 16), (1.0, 1.0, 100, 1.0, 32),
            (1.0, 2.0, 100, 1.0, 32), (1.0, 4.0, 100, 1.0, 32), (1.0, 8.0, 100, 1.0, 32), (1.0, 4.0, 100, 1.0, 64),
            (1.0, 4.0, 60, 1.0, 32), (1.0, 4.0, 40, 1.0, 32), (1.0, 4.0, 30, 1.0, 32), (1.0, 4.0, 20, 1.0, 32)]:
        f = flight.fly_launch(missile, site, azimuth, kick, cutoff,
                              integrator=flight.Integrator(boost_step_s=boost, boost_vacuum_step_s=boost_vacuum,
                                                           boost_interface_altitude_m=boost_interface_km * 1e3,
                                                           air_step_s=air, vacuum_step_s=vacuum))
        impact = f.impact()
        d, _ = earth.geodesic_inverse(impact["latitude_deg"], impact["longitude_deg"], reference["latitude_deg"],
                                      reference["longitude_deg"], model)
        print(f"{boost:12} {boost_vacuum:19} {boost_interface_km:18} {air:10} {vacuum:13} {d.max():12.2f} "
              f"{np.median(d):15.2f} {f.steps.mean():10.0f}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
