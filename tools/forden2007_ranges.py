"""Forden (2007) Table 3 maximum ranges recomputed with shieldcheck from his Table 1.

Reads the frozen reference ``tests/references/forden2007_tables.toml`` (Table 1 masses, Isp,
burn times, diameters, payloads; Table 3 maximum ranges at launch azimuth 40 deg east of north;
source and access status in its header), builds each missile as a
:class:`shieldcheck.vehicles.Missile`, and finds its maximum range over the steering angle at
that azimuth, full burn, under two flight models:

``default``
    shieldcheck's own model and conventions: WGS 84 ellipsoid, GM + J2 gravity, rotating;
    U.S. Standard Atmosphere 1976; vertical rise 10 s, pitch-over 10 s to the kick angle, then a
    gravity turn (thrust along the Earth-relative velocity), as the catalog's liquid
    missiles fly (``missiles.toml``, guidance, source MODEL).
``paper-like``
    as close to Forden's model as this tool allows without changing the engine: a sphere of
    radius 6371.0 km with point-mass gravity, rotating at the WGS 84 rate (the secondary source
    says Forden used point-mass gravity, Coriolis and centrifugal terms and haversine ranges);
    the same 1976 atmosphere (the only one shieldcheck has; Forden's is not stated in what we
    could read); and his Eq. 8 steering: pitch-over from lift-off at a constant rate to a loft
    angle, that angle from the local vertical then held to burnout (``pitch-hold``, vertical
    rise 0 s, pitch-over lasting angle / rate). The rate of each Table 3 case is not known; we
    use the 1.348 deg/s of Forden's Fig. 3 Scud-B example for all four (secondary source), and
    the maximum is over the loft angle.

Choices where Table 1 gives no number (the same in both models; stated again in the reference
file's header and in docs/sources.md, "Flight model against Forden 2007"):

* Isp: Table 1 gives one value per stage; it is applied at every altitude (sea-level Isp =
  vacuum Isp), as for the catalog's Shahab-3 (the effective Isp of a source model).
* Nothing separates: after burnout the last stage's dry mass plus the payload re-enters as one
  body of the last stage's diameter with the body drag table. This is how the secondary source
  flies Forden's Table 1 missiles (no re-entry vehicle ballistic coefficient is given for them)
  and how a Scud flies.
* Drag: the catalog's ``missile-body`` table, Forden's Fig. 1 curve as transcribed (FORDEN07),
  for the whole flight; reference area from the current stage's diameter.
* Taepodong-I: no coast between the stages.
* Launch point 40.0 N, 127.0 E (a round point in North Korea, our choice; Table 3's launch
  point is not stated in what we could read).

Usage::

    python tools/forden2007_ranges.py    # prints the table of docs/sources.md and the attribution runs
"""

from __future__ import annotations

import sys
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from shieldcheck import catalog  # noqa: E402
from shieldcheck import constants as k  # noqa: E402
from shieldcheck.earth import EarthModel, Site  # noqa: E402
from shieldcheck.flight import fly_launch  # noqa: E402
from shieldcheck.vehicles import DragTable, Missile, Stage  # noqa: E402

REFERENCE = ROOT / "tests" / "references" / "forden2007_tables.toml"

#: Launch point for Table 3 (our choice, source MODEL: Forden's is not stated in what we read).
LAUNCH = Site("Forden Table 3 launch point (40.0 N, 127.0 E, MODEL)", 40.0, 127.0, 0.0)

#: Sphere of the catalog's textbook radius, point-mass gravity, rotating at the WGS 84 rate.
SPHERE_POINTMASS_ROTATING = EarthModel(
    "sphere-pointmass-rotating", k.SPHERE_RADIUS_M, 0.0, k.SPHERE_GM_M3_S2, 0.0, k.WGS84_ROTATION_RATE_RAD_S,
    "sphere of radius 6371.0 km, point-mass gravity, rotating at the WGS 84 rate (closest to Forden 2007)")


@dataclass(frozen=True)
class FlightModel:
    """Earth, atmosphere and steering of one way of flying the Table 1 missiles."""

    name: str
    earth: str | EarthModel
    atmosphere: str
    programme: str
    vertical_rise_s: float
    pitch_rate_deg_s: float | None  # None: a fixed pitch-over duration, pitch_over_s
    pitch_over_s: float = 10.0


MODELS = {
    "default": FlightModel("default", "wgs84-j2-rotating", "ussa1976", "gravity-turn", 10.0, None, 10.0),
    "paper-like": FlightModel("paper-like", SPHERE_POINTMASS_ROTATING, "ussa1976", "pitch-hold", 0.0, 1.348),
}


def load_reference(path: Path = REFERENCE) -> dict:
    """The frozen Table 1 / Table 3 reference (``source`` and ``missile`` tables)."""
    return tomllib.loads(path.read_text(encoding="utf-8"))


def build_missile(record: dict, model: FlightModel, pitch_over_s: float | None = None) -> Missile:
    """A :class:`Missile` from one Table 1 record under a flight model's steering timing."""
    table = catalog.load().drag["missile-body"]  # Forden Fig. 1 as transcribed (FORDEN07)
    body = DragTable(table.name, tuple(table.mach), tuple(table.cd))
    stages = tuple(Stage(s["fuelled_kg"], s["fuelled_kg"] - s["dry_kg"], s["burn_time_s"], s["isp_s"], s["isp_s"],
                         s["diameter_m"]) for s in record["stage"])
    last = record["stage"][-1]
    return Missile(record["name"], stages, record["payload_kg"], last["dry_kg"] + record["payload_kg"],
                   last["diameter_m"], body, body, model.vertical_rise_s,
                   model.pitch_over_s if pitch_over_s is None else pitch_over_s, ("FORDEN07_T13", "FORDEN07"))


def ranges_km(record: dict, model: FlightModel, kicks_deg, *, azimuth_deg: float = 40.0,
              site: Site = LAUNCH) -> np.ndarray:
    """Ground range (km, -inf if not landed) of full-burn flights at each kick (loft) angle from the vertical."""
    kicks = np.atleast_1d(np.asarray(kicks_deg, float))
    options = {"earth": model.earth, "atmosphere": model.atmosphere, "programme": model.programme}
    if model.pitch_rate_deg_s is None:
        flights = fly_launch(build_missile(record, model), site, azimuth_deg, kicks, **options)
        return np.where(flights.landed, flights.range_km, -np.inf)
    # Eq. 8: the pitch-over lasts kick / rate, so each kick angle is its own missile
    out = np.empty(kicks.size)
    for i, kick in enumerate(kicks):
        flights = fly_launch(build_missile(record, model, kick / model.pitch_rate_deg_s), site, azimuth_deg, kick,
                             **options)
        out[i] = flights.range_km[0] if flights.landed[0] else -np.inf
    return out


def max_range(record: dict, model: FlightModel, *, azimuth_deg: float = 40.0, site: Site = LAUNCH) -> dict:
    """Maximum ground range (km) over the kick angle, full burn: a 4 deg scan, then golden section to 0.01 deg."""
    top = 85.0
    if model.pitch_rate_deg_s is not None:
        # a pitch-over that would end after burnout (or last over 120 s) repeats the same flight
        burn_s = sum(s["burn_time_s"] for s in record["stage"])
        top = min(top, model.pitch_rate_deg_s * min(burn_s, 120.0))
    kicks = np.arange(1.0, top + 1e-9, 4.0)
    coarse = ranges_km(record, model, kicks, azimuth_deg=azimuth_deg, site=site)
    best = float(kicks[int(np.argmax(coarse))])
    low, high = max(0.01, best - 4.0), min(top, best + 4.0)
    ratio = (np.sqrt(5.0) - 1.0) / 2.0

    def value(kick):
        return float(ranges_km(record, model, kick, azimuth_deg=azimuth_deg, site=site)[0])

    a, b = high - ratio * (high - low), low + ratio * (high - low)
    fa, fb = value(a), value(b)
    while high - low > 0.01:
        if fa >= fb:
            high, b, fb = b, a, fa
            a = high - ratio * (high - low)
            fa = value(a)
        else:
            low, a, fa = a, b, fb
            b = low + ratio * (high - low)
            fb = value(b)
    kick, range_km = (a, fa) if fa >= fb else (b, fb)
    if coarse.max() > range_km:  # never report less than the scan found
        kick, range_km = best, float(coarse.max())
    rate = model.pitch_rate_deg_s if model.pitch_rate_deg_s is not None else kick / model.pitch_over_s
    return {"range_km": range_km, "kick_deg": kick, "pitch_rate_deg_s": rate}


def attribution_models() -> dict[str, FlightModel]:
    """One change at a time from the default model to the paper-like one, and the sensitivities."""
    d, p = MODELS["default"], MODELS["paper-like"]
    return {
        "default": d,
        "default steering, sphere with point-mass gravity (Earth model)": replace(d, earth=SPHERE_POINTMASS_ROTATING),
        "paper-like (+ Eq. 8 steering at 1.348 deg/s)": p,
        "paper-like, 1.0 deg/s": replace(p, pitch_rate_deg_s=1.0),
        "paper-like, 2.0 deg/s": replace(p, pitch_rate_deg_s=2.0),
        "paper-like, Earth not rotating": replace(p, earth="spherical-nonrotating"),
        "paper-like, no atmosphere (drag off; Isp is constant anyway)": replace(p, atmosphere="none"),
    }


def main() -> None:
    reference = load_reference()
    records = reference["missile"]
    print("| missile | Table 3 (km) | default model (km) | paper-like model (km) |")
    print("|---|---:|---:|---:|")
    for record in records:
        paper = record["table3_max_range_km"]
        d, p = (max_range(record, MODELS[name]) for name in ("default", "paper-like"))
        print(f"| {record['name']} | {paper:,.0f} | {d['range_km']:,.0f} ({d['range_km'] / paper - 1:+.1%}; kick "
              f"{d['kick_deg']:.1f} deg) | {p['range_km']:,.0f} ({p['range_km'] / paper - 1:+.1%}; loft "
              f"{90 - p['kick_deg']:.1f} deg) |")
    print()
    print("| model | " + " | ".join(r["name"] for r in records) + " |")
    print("|---|" + "---:|" * len(records))
    runs = [(name, model, LAUNCH) for name, model in attribution_models().items()]
    runs += [(f"{name}, launch at {lat:g} N", MODELS[name], Site(f"{lat:g} N", lat, LAUNCH.longitude_deg))
             for lat in (30.0, 50.0) for name in ("default", "paper-like")]
    for name, model, site in runs:
        cells = [max_range(record, model, site=site)["range_km"] for record in records]
        print(f"| {name} | " + " | ".join(f"{c:,.0f} ({c / r['table3_max_range_km'] - 1:+.1%})"
                                        for c, r in zip(cells, records)) + " |")


if __name__ == "__main__":
    main()
