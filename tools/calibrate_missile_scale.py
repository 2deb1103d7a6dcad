"""The band of each catalog missile's Isp scale factor: the factors at which its maximum range equals
the published low and high.

The uncertainty sweep varies a missile's derived stage model as a whole by ONE stated factor, the
catalog's ``scale`` (``shieldcheck.reach.with_isp_scale``: every stage's vacuum and sea-level Isp
times k, masses and burn times fixed, so the ideal delta-v scales by k). Its plausible range is
taken from the sources' spread of the missile's range: k_low and k_high are the factors at which
the simulated maximum range equals ``published_range_km.low`` and ``.high``.

Maximum range: exactly the method of the range tests (``tests/test_catalog_ranges.py::max_range_km``,
imported from there so that the calibration and its test cannot drift apart): full burn, due north
from the reference site of the missile's country and role (``catalog.range_check_site``), the kick
angle that maximises the ground range. Each factor is found by bisection to a relative range
tolerance of 1e-4 (``RANGE_TOLERANCE``), then rounded to five decimals (a near-orbital range moves by about 0.3 % per 1e-4 of k). A bound that no factor in
``K_LIMITS`` reaches (a range beyond orbital speed, or a stage model the flight core refuses) is
reported as such: the catalog then states a modelling band instead, and says so.

Usage::

    PYTHONPATH=src python tools/calibrate_missile_scale.py [--missile NAME ...]

It prints one row per missile (nominal range, k_low, k_high and the ranges flown at them); the
catalog's ``scale`` entries (missiles.toml) and docs/sources.md, "Uncertainty ranges", carry them.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from shieldcheck import catalog  # noqa: E402
from shieldcheck.errors import InputError  # noqa: E402
from shieldcheck.reach import with_isp_scale  # noqa: E402
from test_catalog_ranges import max_range_km  # noqa: E402

#: Relative tolerance on the range at which the bisection stops.
RANGE_TOLERANCE = 1e-4
#: Factors searched: a stage model outside +-40 % of its stated Isp is no longer the same missile.
K_LIMITS = (0.6, 1.4)
#: Step of the outward search for a bracket, from k = 1.
K_STEP = 0.02


def range_km(missile, site, k: float) -> float:
    """Maximum range (km) of the missile with its Isp scaled by k; -inf where the model is refused."""
    try:
        return max_range_km(with_isp_scale(missile, k), site)[0]
    except InputError:
        return -math.inf


def factor(missile, site, target_km: float, nominal_km: float) -> float | None:
    """The Isp factor k with maximum range = target_km (None where no k in K_LIMITS reaches it)."""
    if abs(nominal_km / target_km - 1.0) <= RANGE_TOLERANCE:
        return 1.0
    up = target_km > nominal_km
    near, far = 1.0, 1.0
    while True:  # walk outward from k = 1 until the target is bracketed
        far = near + (K_STEP if up else -K_STEP)
        if not K_LIMITS[0] <= far <= K_LIMITS[1]:
            return None
        reached = range_km(missile, site, far)
        if (reached >= target_km) if up else (reached <= target_km):
            break
        near = far
    low, high = (near, far) if up else (far, near)
    for _ in range(60):
        mid = 0.5 * (low + high)
        reached = range_km(missile, site, mid)
        if abs(reached / target_km - 1.0) <= RANGE_TOLERANCE:
            return mid
        if reached < target_km:
            low = mid
        else:
            high = mid
    return 0.5 * (low + high)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--missile", action="append", help="only these missiles (default: every one with a range)")
    args = parser.parse_args(argv)
    cat = catalog.load()
    names = [cat.find("missile", n) for n in args.missile] if args.missile else list(cat.missiles)
    print(f"{'missile':22} {'low km':>8} {'high km':>8} {'k=1 km':>9} {'k_low':>7} {'k_high':>7} "
          f"{'at k_low':>9} {'at k_high':>9}")
    for name in names:
        record = cat.missiles[name]
        published = record.published_range_km
        if published is None:
            print(f"{name:22} no published range (role {record.role}): a stated modelling band")
            continue
        missile, site = cat.missile(name), cat.site(catalog.range_check_site(record))
        nominal = max_range_km(missile, site)[0]
        ks = [factor(missile, site, target, nominal) for target in (published.low, published.high)]
        shown = [f"{round(k, 5):7.5f}" if k is not None else "    n/a" for k in ks]
        flown = [f"{range_km(missile, site, round(k, 5)):9,.0f}" if k is not None else "      n/a" for k in ks]
        print(f"{name:22} {published.low:8,.0f} {published.high:8,.0f} {nominal:9,.0f} {shown[0]} {shown[1]} "
              f"{flown[0]} {flown[1]}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
