"""Simulated maximum range of every catalog missile, and a one-parameter calibration of the derived ones.

The stage models in ``src/shieldcheck/catalog/data/missiles.toml`` were derived from public
totals with a rocket-equation rule that allowed 0.35-0.90 km/s of gravity and drag losses
(docs/sources.md, section 2). The flight simulator shows that a gravity-turn ascent loses more
(about 1.1-1.8 km/s), so the models fall short of their published ranges. This tool measures
that and, for each missile whose stage model is DERIVED, proposes the adjustment of ONE stated,
physically meaningful, unpublished parameter that brings the simulated maximum range to the
published nominal value (``published_range_km.value``), found by bisection.

Simulated maximum range: full burn (no thrust cut-off), launch azimuth due north, the missile's
own vertical rise and pitch-over duration, WGS-84 Earth with J2, rotating, 1976 atmosphere, and
the pitch-over (kick) angle that maximises the ground range: a scan from 0.5 to 85 deg in
0.5 deg steps, then two finer scans around the best angle (0.01 deg, then 0.0005 deg).

Reference launch sites (catalog names): Iranian missiles from "Semnan" (the Sejjil and
Khorramshahr test area, CSIS17A); Russian ICBMs from "Teykovo" (a Yars / Topol-M division);
SLBMs from the "Barents Sea patrol point" (a representative, unpublished point).

Parameters, in the order of preference; the first that reaches the nominal range within its
bounds is used, and only values whose source is our own modelling choice (``MODEL`` or
``DERIVED``, never a published value) are changed:

(a) ``dry`` -- the structural (dry) mass of every stage, scaled by one common factor k, each
    stage's gross mass (hence the published launch mass) held fixed: the propellant mass
    fraction rises. Solid stages keep their burn time (the grain burns for the stated time, so
    the mass flow and thrust rise with the load); liquid stages keep their mass flow (the same
    engine; the burn lengthens). Bounds: the highest stage propellant fraction of the missile
    may reach 0.93 for solid motors and 0.94 for storable-liquid stages (stated bounds: the
    upper end quoted for the best strategic composite-case motors and for storable-liquid
    ICBM stages; they are the brief's values, not sourced here, see docs/sources.md).
(b) ``isp`` -- the vacuum (and sea-level) Isp of every stage, scaled by one factor, mass flows
    held fixed. Bounds: highest stage vacuum Isp 300 s for composite solid propellant and
    340 s for NTO/UDMH storable liquid (stated bounds, see docs/sources.md). Not available
    where the Isp comes from a source model (Ghadr-1: the Shahab-3 engine of JRNODONG).
(c) ``pitch_over`` -- the pitch-over duration (a modelling choice), between 4 and 20 s.

If none reaches the nominal range, the tool reports the range at the bound of the most
preferred parameter (a) and the shortfall; nothing is forced.

Usage::

    PYTHONPATH=src python tools/calibrate_catalog.py [--missile NAME ...] [--no-calibrate] [--data DIR]

To reproduce the calibration from the pre-calibration catalog (commit 9c4c6a5)::

    mkdir -p /tmp/precal && cp src/shieldcheck/catalog/data/*.toml /tmp/precal/ &&
    git show 9c4c6a5:src/shieldcheck/catalog/data/missiles.toml > /tmp/precal/missiles.toml &&
    PYTHONPATH=src python tools/calibrate_catalog.py --data /tmp/precal
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from shieldcheck import catalog, reach  # noqa: E402
from shieldcheck.flight import fly_launch  # noqa: E402
from shieldcheck.vehicles import Missile  # noqa: E402

#: Highest propellant mass fraction (propellant / stage gross) of any stage (stated bounds).
MAX_PROPELLANT_FRACTION = {"solid": 0.93, "liquid": 0.94}
#: Highest vacuum Isp of any stage, seconds (stated bounds).
MAX_ISP_VACUUM_S = {"solid": 300.0, "liquid": 340.0}
#: Pitch-over duration bounds, seconds (modelling choice).
PITCH_OVER_BOUNDS_S = (4.0, 20.0)
#: Sources that mark a value as our own modelling choice (adjustable).
OWN_SOURCES = ("MODEL", "DERIVED")


reference_site = catalog.range_check_site


def is_derived(record) -> bool:
    """A stage model is derived when any stage value is our own modelling choice."""
    return any(getattr(stage, field).source in OWN_SOURCES
               for stage in record.stage for field in ("gross_mass_kg", "propellant_mass_kg", "burn_time_s",
                                                       "isp_vacuum_s"))


def max_range(missile: Missile, site, *, coarse_deg: float = 0.5) -> dict:
    """Maximum ground range over the kick angle (full burn, due north), with its burnout state."""

    def fly(kicks):
        flights = fly_launch(missile, site, 0.0, kicks)
        return np.where(flights.landed, flights.range_km, -np.inf), flights

    kicks = np.arange(0.5, 85.0 + 1e-9, coarse_deg)
    for step in (0.01, 0.0005):
        ranges, _ = fly(kicks)
        best = kicks[int(np.argmax(ranges))]
        width = coarse_deg if step == 0.01 else 0.01
        kicks = np.clip(np.arange(best - width, best + width + step / 2, step), 0.01, 89.0)
    ranges, flights = fly(kicks)
    i = int(np.argmax(ranges))
    burnout = flights.burnout()
    return {"range_km": float(ranges[i]), "kick_deg": float(kicks[i]),
            "speed_m_s": float(burnout["speed_m_s"][i]),
            "flight_path_angle_deg": float(burnout["flight_path_angle_deg"][i]),
            "altitude_km": float(burnout["altitude_m"][i]) / 1e3, "time_s": float(burnout["time_s"][i])}


# --- the three one-parameter families ----------------------------------------------------------

def with_dry_scale(missile: Missile, propellant: str, k: float) -> Missile:
    """Every stage's dry mass times k, gross fixed (solid: burn time fixed; liquid: mass flow fixed)."""
    stages = []
    for stage in missile.stages:
        new_propellant = stage.gross_mass_kg - k * stage.dry_mass_kg
        if propellant == "solid":
            burn = stage.burn_time_s
        else:
            burn = stage.burn_time_s * new_propellant / stage.propellant_mass_kg
        stages.append(dataclasses.replace(stage, propellant_mass_kg=new_propellant, burn_time_s=burn))
    return dataclasses.replace(missile, stages=tuple(stages))


def with_isp_scale(missile: Missile, propellant: str, s: float) -> Missile:
    """Every stage's vacuum and sea-level Isp times s (mass flows fixed): shieldcheck.reach.with_isp_scale."""
    return reach.with_isp_scale(missile, s)


def with_pitch_over(missile: Missile, propellant: str, seconds: float) -> Missile:
    return dataclasses.replace(missile, pitch_over_s=seconds)


@dataclasses.dataclass(frozen=True)
class Family:
    name: str
    describe: str
    build: Callable[[Missile, str, float], Missile]
    nominal: float  # parameter value that leaves the model unchanged
    bound: float  # plausible bound in the direction that adds range (nan: scanned instead)
    available: bool
    why_not: str = ""


def families(record, missile: Missile) -> list[Family]:
    """The three parameter families of a missile with their plausible bounds."""
    propellant = record.propellant
    fractions = [s.propellant_mass_kg / s.gross_mass_kg for s in missile.stages]
    own_mass = all(s.propellant_mass_kg.source in OWN_SOURCES for s in record.stage)
    k_min = (1.0 - MAX_PROPELLANT_FRACTION[propellant]) / (1.0 - max(fractions))
    own_isp = all(s.isp_vacuum_s.source in OWN_SOURCES for s in record.stage)
    s_max = MAX_ISP_VACUUM_S[propellant] / max(s.isp_vacuum_s for s in missile.stages)
    return [
        Family("dry", "stage dry masses x k (gross fixed)", with_dry_scale, 1.0, k_min, own_mass and k_min < 1.0,
               "propellant masses are not modelling choices" if not own_mass
               else "the propellant fraction is already at its bound"),
        Family("isp", "stage Isp x s", with_isp_scale, 1.0, s_max, own_isp and s_max > 1.0,
               "the Isp comes from a source model" if not own_isp else "the Isp is already at its bound"),
        Family("pitch_over", "pitch-over duration (s)", with_pitch_over, missile.pitch_over_s, math.nan,
               record.guidance.pitch_over_s.source in OWN_SOURCES),
    ]


def _bisect(f: Callable[[float], float], lo: float, hi: float, target: float, iterations: int = 60) -> float:
    """x in [lo, hi] with f(x) = target, f(lo) < target <= f(hi) (f monotonic); returns the hi side."""
    for _ in range(iterations):
        mid = 0.5 * (lo + hi)
        if f(mid) >= target:
            hi = mid
        else:
            lo = mid
        if abs(hi - lo) < 1e-7 * max(1.0, abs(hi)):
            break
    return hi


def calibrate(record, missile: Missile, site) -> dict:
    """The first parameter family that reaches the nominal range within its bounds, or the shortfall.

    Nothing is proposed when the simulated maximum range already lies between the published
    nominal value and the published high (a calibrated model, after rounding, sits a little
    above the nominal value).
    """
    published = record.published_range_km
    target = published.value
    base = max_range(missile, site)["range_km"]
    tried = []
    if target <= base <= published.high:
        return {"base_km": base, "family": None, "value": None, "tried": tried, "in_band": True}
    for family in families(record, missile):
        if not family.available:
            tried.append((family, None, None, family.why_not or "not available"))
            continue

        def reach(x, family=family):
            return max_range(family.build(missile, record.propellant, x), site)["range_km"]

        if family.name == "pitch_over":
            grid = np.arange(PITCH_OVER_BOUNDS_S[0], PITCH_OVER_BOUNDS_S[1] + 1e-9, 0.5)
            values = np.array([reach(x) for x in grid])
            best = float(grid[int(np.argmax(values))])
            if values.max() < target:
                tried.append((family, best, float(values.max()), "bound"))
                continue
            x = _bisect(reach, family.nominal, best, target) if base < target else best
            tried.append((family, x, reach(x), "reached"))
            return {"base_km": base, "family": family, "value": x, "tried": tried, "in_band": False}
        if base > published.high:  # above the band: the same parameter the other way (less range)
            away = 3.0 if family.name == "dry" else 0.8
            x = _bisect(lambda v: -reach(v), family.nominal, away, -target)
            tried.append((family, x, reach(x), "reached"))
            return {"base_km": base, "family": family, "value": x, "tried": tried, "in_band": False}
        at_bound = reach(family.bound)
        if at_bound < target:
            tried.append((family, family.bound, at_bound, "bound"))
            continue
        x = _bisect(reach, family.nominal, family.bound, target)
        tried.append((family, x, reach(x), "reached"))
        return {"base_km": base, "family": family, "value": x, "tried": tried, "in_band": False}
    return {"base_km": base, "family": None, "value": None, "tried": tried, "in_band": False}


def rounded(family: Family, missile: Missile, propellant: str, x: float, up: bool = True) -> Missile:
    """The proposed model with catalog-friendly numbers, rounded in the direction that adds range.

    ``dry``: propellant masses rounded up to 10 kg (gross fixed), liquid burn times recomputed
    from the unchanged mass flow and rounded to 0.1 s; ``isp``: Isp rounded up to 0.5 s;
    ``pitch_over``: rounded to 0.1 s. With ``up=False`` (a model left at its bound) masses and
    Isp are rounded the other way, so that the bound is not exceeded.
    """
    step = (lambda v: math.ceil(v - 1e-6)) if up else (lambda v: math.floor(v + 1e-6))
    if family.name == "dry":
        stages = []
        for old, new in zip(missile.stages, family.build(missile, propellant, x).stages):
            mass = step(new.propellant_mass_kg / 10.0) * 10.0
            burn = old.burn_time_s if propellant == "solid" else round(mass / old.mass_flow_kg_s, 1)
            stages.append(dataclasses.replace(old, propellant_mass_kg=mass, burn_time_s=burn))
        return dataclasses.replace(missile, stages=tuple(stages))
    if family.name == "isp":
        stages = tuple(dataclasses.replace(s, isp_vacuum_s=step(2 * x * s.isp_vacuum_s) / 2,
                                           isp_sea_level_s=step(2 * x * s.isp_sea_level_s) / 2)
                       for s in missile.stages)
        return dataclasses.replace(missile, stages=stages)
    return dataclasses.replace(missile, pitch_over_s=round(x, 1))


def describe(family: Family, old: Missile, new: Missile, x: float) -> str:
    """What a proposal changes, stage by stage (new = the rounded model)."""
    if family.name == "pitch_over":
        return f"pitch-over {old.pitch_over_s:g} -> {new.pitch_over_s:g} s"
    parts = []
    for n, (a, b) in enumerate(zip(old.stages, new.stages), start=1):
        if family.name == "dry":
            fraction_old = a.propellant_mass_kg / a.gross_mass_kg
            fraction_new = b.propellant_mass_kg / b.gross_mass_kg
            burn = f", burn {a.burn_time_s:g} -> {b.burn_time_s:g} s" if b.burn_time_s != a.burn_time_s else ""
            parts.append(f"stage {n}: dry {a.dry_mass_kg:,.0f} -> {b.dry_mass_kg:,.0f} kg, propellant "
                         f"{a.propellant_mass_kg:,.0f} -> {b.propellant_mass_kg:,.0f} kg "
                         f"(fraction {fraction_old:.3f} -> {fraction_new:.3f}){burn}")
        else:
            parts.append(f"stage {n}: Isp {a.isp_sea_level_s:g}/{a.isp_vacuum_s:g} -> "
                         f"{b.isp_sea_level_s:g}/{b.isp_vacuum_s:g} s")
    symbol = {"dry": "k", "isp": "s"}[family.name]
    return f"{symbol} = {x:.4f}; rounded: " + "; ".join(parts)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--missile", action="append", help="only these missiles (repeatable)")
    parser.add_argument("--no-calibrate", action="store_true", help="print the table only")
    parser.add_argument("--data", help="catalog data directory (default: the built-in one), e.g. a copy "
                                       "holding the pre-calibration missiles.toml")
    args = parser.parse_args(argv)
    cat = catalog.load(args.data)
    names = [cat.find("missile", n) for n in args.missile] if args.missile else list(cat.missiles)

    rows = []
    print("| missile | reference site | simulated max range (km) | published low-high (km) | nominal (km) "
          "| best kick (deg) | burnout speed (m/s) | burnout flight-path angle (deg) | burnout time (s) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name in names:
        record = cat.missiles[name]
        site_name = reference_site(record)
        result = max_range(cat.missile(name), cat.site(site_name))
        published = record.published_range_km
        rows.append((name, record, site_name))
        print(f"| {name} | {site_name} | {result['range_km']:,.0f} | {published.low:,.0f}-{published.high:,.0f} "
              f"| {published.value:,.0f} | {result['kick_deg']:.2f} | {result['speed_m_s']:,.0f} "
              f"| {result['flight_path_angle_deg']:.1f} | {result['time_s']:.0f} |")
    if args.no_calibrate:
        return 0

    print("\nCalibration proposals (derived stage models only; target = published nominal value):")
    for name, record, site_name in rows:
        missile = cat.missile(name)
        site = cat.site(site_name)
        if not is_derived(record):
            print(f"\n{name}: stage model from a published source model: not calibrated.")
            continue
        outcome = calibrate(record, missile, site)
        published = record.published_range_km
        print(f"\n{name}: simulated {outcome['base_km']:,.1f} km, nominal {published.value:,.0f} km "
              f"(band {published.low:,.0f}-{published.high:,.0f})")
        if outcome["in_band"]:
            print("  between the nominal value and the published high: no change proposed")
            continue
        for family, x, reached, how in outcome["tried"]:
            if x is None:
                print(f"  ({family.name}) {family.describe}: {how}")
                continue
            new = rounded(family, missile, record.propellant, x, up=how != "bound")
            final = max_range(new, site)["range_km"]
            if how == "bound":
                print(f"  ({family.name}) at the plausible bound, {describe(family, missile, new, x)}: "
                      f"{final:,.1f} km, short of the nominal value by {published.value - final:,.1f} km")
            else:
                print(f"  ({family.name}) PROPOSED {describe(family, missile, new, x)}: "
                      f"{reached:,.1f} km at the bisection value, {final:,.1f} km rounded")
        if outcome["family"] is None:
            first = families(record, missile)[0]
            print(f"  no plausible adjustment reaches {published.value:,.0f} km: leave ({first.name}) at its bound "
                  "and report the shortfall")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
