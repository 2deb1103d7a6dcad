"""Size the notional Iranian missiles to their design requirements.

No Iranian IRBM or ICBM has flown; the catalog's ``Iran-IRBM (notional)`` and ``Iran-ICBM
(notional)`` are design-point models that stand for the threats EPAA Phases 3 and 4 were justified
by. A notional missile is written down as a *requirement* (payload, and the routes it must fly with
a stated margin) and a *starting design* (a catalog stage model: its stage propellant fractions,
Isp and burn times), and sized by ONE stated parameter:

``size`` -- every stage's gross and propellant mass times one common factor k and its diameter
    times k^(1/3) (geometrically similar stages), the payload and the stage burn times held fixed (so the mass flows, hence the thrust, scale with k and the
    lift-off thrust/weight is unchanged). A bigger missile with the same structure and the same
    payload gains velocity: this is how a designer meets a range requirement with a given
    technology. k is found by bisection so that the missile's maximum range on the binding route
    (full burn, best kick angle, on that route's own bearing: WGS-84 with J2, rotating Earth,
    1976 atmosphere) equals the route's distance times (1 + margin); stage masses are then rounded
    up to 10 kg.

Requirements (the catalog entries' ``derivation`` texts quote them):

* ``Iran-ICBM (notional)``: 1,000 kg to every US east-coast aim point of the built-in threat sets
  (Washington, New York, Boston) from every Iranian launch area of the catalog, with a 3 %
  range margin. The binding route is the longest relative to the missile's reach on its bearing:
  westward, against the Earth's rotation, from Bandar Abbas to Washington (11,234 km).
* ``Iran-IRBM (notional)``: the notional ICBM's technology (stage propellant fractions, Isp, burn
  times) and its 1,000 kg payload, sized to 4,000 km due north from Semnan (the reference rule of
  the catalog's range checks), the top of the 3,000-4,000 km class the EPAA's Phase 3 was
  justified by. Run with ``--start "Iran-ICBM (notional)"`` on the pre-sizing ICBM model.

Usage::

    PYTHONPATH=src python tools/size_notional_missiles.py [--missile NAME]
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from shieldcheck import aiming, catalog  # noqa: E402
from shieldcheck.vehicles import Missile  # noqa: E402

IRANIAN_LAUNCH_AREAS = ("Tabriz", "Kermanshah", "Khorramabad", "Semnan", "Shahroud", "Bandar Abbas")
US_EAST_COAST = ("Washington", "New York", "Boston")
ICBM_MARGIN = 0.03


@dataclasses.dataclass(frozen=True)
class Requirement:
    missile: str
    routes: tuple[tuple[str, str], ...]  # (launch, aim); or (launch, "north:KM") for a due-north distance
    margin: float


REQUIREMENTS = {
    "Iran-ICBM (notional)": Requirement("Iran-ICBM (notional)",
                                        tuple((a, b) for a in IRANIAN_LAUNCH_AREAS for b in US_EAST_COAST),
                                        ICBM_MARGIN),
    "Iran-IRBM (notional)": Requirement("Iran-IRBM (notional)", (("Semnan", "north:4000"),), 0.0),
}


def scaled(missile: Missile, k: float) -> Missile:
    """Every stage's gross and propellant mass times k, its diameter times k^(1/3) (a geometrically
    similar stage); payload and burn times fixed."""
    stages = tuple(dataclasses.replace(s, gross_mass_kg=k * s.gross_mass_kg, propellant_mass_kg=k * s.propellant_mass_kg,
                                       diameter_m=round(s.diameter_m * k ** (1.0 / 3.0), 2))
                   for s in missile.stages)
    return dataclasses.replace(missile, stages=stages)


def rounded(missile: Missile) -> Missile:
    """Stage propellant masses rounded up and dry masses down to 10 kg (more range, never less)."""
    stages = []
    for s in missile.stages:
        dry = math.floor(s.dry_mass_kg / 10 + 1e-9) * 10.0
        propellant = math.ceil(s.propellant_mass_kg / 10 - 1e-9) * 10.0
        stages.append(dataclasses.replace(s, gross_mass_kg=dry + propellant, propellant_mass_kg=propellant))
    return dataclasses.replace(missile, stages=tuple(stages))


def route_arrays(cat, routes):
    """Launch and aim coordinates of the routes; a due-north distance becomes a point on the meridian."""
    lat, lon, aim_lat, aim_lon = [], [], [], []
    for launch, aim in routes:
        site = cat.site(launch)
        lat.append(site.latitude_deg)
        lon.append(site.longitude_deg)
        if aim.startswith("north:"):
            from shieldcheck import earth
            model = earth.earth_model(earth.DEFAULT_EARTH)
            point = earth.geodesic_direct(site.latitude_deg, site.longitude_deg, 0.0, float(aim[6:]) * 1e3, model)
            aim_lat.append(float(point[0]))
            aim_lon.append(float(point[1]))
        else:
            target = cat.site(aim)
            aim_lat.append(target.latitude_deg)
            aim_lon.append(target.longitude_deg)
    return tuple(np.array(v) for v in (lat, lon, aim_lat, aim_lon))


def reach_ratio(missile: Missile, arrays) -> np.ndarray:
    """Maximum range on each route's bearing over the route's distance."""
    reach_m, distance_m = aiming.max_range_m(missile, *arrays)
    return reach_m / distance_m


def size(missile: Missile, arrays, margin: float) -> tuple[float, Missile, np.ndarray]:
    """The factor k that meets the requirement on the binding route, the rounded model and its ratios."""
    target = 1.0 + margin

    def meets(k: float) -> bool:
        return reach_ratio(scaled(missile, k), arrays).min() >= target

    lo, hi = 1.0, 1.0
    while meets(lo):  # shrink until the requirement fails
        lo /= 1.5
        if lo < 0.01:
            raise SystemExit("the design meets the requirement at any size: the payload is too light")
    while not meets(hi):  # grow until it holds
        hi *= 1.5
        if hi > 20.0:
            raise SystemExit("no factor up to 20 meets the requirement: the starting design cannot")
    if hi > 1.0:
        lo = hi / 1.5  # the last size that failed
    for _ in range(40):
        mid = 0.5 * (lo + hi)
        if meets(mid):
            hi = mid
        else:
            lo = mid
        if hi - lo < 1e-5:
            break
    model = rounded(scaled(missile, hi))
    return hi, model, reach_ratio(model, arrays)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--missile", action="append", help="only these notional missiles")
    parser.add_argument("--start", help="starting design: another catalog missile (default: the entry itself)")
    args = parser.parse_args(argv)
    cat = catalog.load()
    for name in args.missile or list(REQUIREMENTS):
        requirement = REQUIREMENTS[name]
        start = cat.missile(args.start or name)
        arrays = route_arrays(cat, requirement.routes)
        before = reach_ratio(start, arrays)
        k, model, after = size(start, arrays, requirement.margin)
        binding = int(np.argmin(after))
        print(f"{name} (starting design {start.name}): reach/distance before {before.min():.3f}, "
              f"k = {k:.4f}, after rounding {after.min():.4f} on {requirement.routes[binding]}")
        print(f"  launch mass {start.launch_mass_kg:,.0f} -> {model.launch_mass_kg:,.0f} kg; "
              f"ideal delta-v {start.ideal_delta_v_m_s:,.0f} -> {model.ideal_delta_v_m_s:,.0f} m/s")
        for n, s in enumerate(model.stages, start=1):
            print(f"  stage {n}: gross {s.gross_mass_kg:,.0f} kg, propellant {s.propellant_mass_kg:,.0f} kg, "
                  f"burn {s.burn_time_s:g} s, mass flow {s.mass_flow_kg_s:,.1f} kg/s")
        for (launch, aim), r in zip(requirement.routes, after):
            print(f"  {launch} -> {aim}: reach / distance {r:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
