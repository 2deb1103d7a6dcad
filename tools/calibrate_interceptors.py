"""Simulated burnout speed of every catalog interceptor, and a one-parameter calibration to the catalog value.

The interceptor stage models in ``src/shieldcheck/catalog/data/interceptors.toml`` were derived
with a rocket-equation rule (ideal delta-v = burnout speed + about 0.6 km/s; docs/sources.md,
"Interceptors: the delta-v rule"). In the flight simulator their burnout speeds differ from the
catalog ``burnout_speed_km_s`` by a few per cent. This tool measures that and calibrates ONE
stated parameter per interceptor so that the simulated value equals the catalog value.

Calibration target (``shieldcheck.reach``, stated): the FAN BURNOUT SPEED, the largest
Earth-relative burnout speed over the fly-out fan of the reach envelopes -- both steering
programmes (gravity turn and attitude held at the kick angle), every kick angle of
``reach.KICKS_DEG`` (0.2-88 deg), full burn, launch due north from latitude 0, longitude 0,
WGS-84 Earth with J2, rotating, 1976 atmosphere, the envelope's integrator step rule -- must equal
the catalog ``burnout_speed_km_s`` within 1 % (``reach.BURNOUT_SPEED_TOLERANCE``).

Parameter (``reach.speed_parameters``, the first that reaches the target within its bounds; only
values whose source is our own modelling choice, ``MODEL`` or ``DERIVED``, may change):

(a) ``dry`` -- the dry mass of every stage times one common factor k, each stage's gross mass and
    burn time fixed (solid motors; parameter (a) of tools/calibrate_catalog.py). Bounds: every
    stage's propellant fraction within 0.30-0.93 (0.93: the solid-motor bound of
    tools/calibrate_catalog.py) and lift-off thrust/weight at least 1.5 (stated bounds).
(b) ``payload`` -- the mass carried to burnout, for the GBI models only, whose motors are
    published (``ORION_ATK``) and whose payload is the catalog's fitted quantity (source
    ``DERIVED``). Bounds: the catalog kill-vehicle mass (69 kg) up to lift-off thrust/weight 1.5.

The bisection (``reach.with_burnout_speed``) stops within 0.01 % of the target; the tool then
rounds propellant masses and payloads to 0.1 kg, writes them into interceptors.toml
(values, notes, source ``DERIVED``, and a sentence at the end of each ``derivation``; the launch
mass of a GBI follows its payload), re-reads the file and reports the fan burnout speed of the
written models. Interceptors already within 1 % are left unchanged.

Usage::

    PYTHONPATH=src python tools/calibrate_interceptors.py [--interceptor NAME ...] [--no-calibrate] [--data DIR]

To reproduce the calibration from the pre-calibration catalog (commit 969b350)::

    mkdir -p /tmp/precal && cp src/shieldcheck/catalog/data/*.toml /tmp/precal/ &&
    git show 969b350:src/shieldcheck/catalog/data/interceptors.toml > /tmp/precal/interceptors.toml &&
    PYTHONPATH=src python tools/calibrate_interceptors.py --data /tmp/precal
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import re
import sys
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import calibrate_catalog  # noqa: E402  (shared helpers: bounds, the dry-mass family, its description)
from shieldcheck import catalog, reach  # noqa: E402
from shieldcheck.catalog import Catalog  # noqa: E402
from shieldcheck.errors import InputError  # noqa: E402
from shieldcheck.vehicles import Interceptor, Missile  # noqa: E402

#: Marker of the calibration sentence at the end of a derivation (replaced, not repeated, on a re-run).
MARKER = "SIMULATOR CALIBRATION (tools/calibrate_interceptors.py):"
#: Marker of a calibrated note; the text after BEFORE is the note of the delta-v rule's model.
NOTE_MARKER = "CALIBRATED (tools/calibrate_interceptors.py):"
BEFORE = " Before calibration: "

# the bounds are stated once, in calibrate_catalog.py, for the missiles; the interceptors use the same
assert reach.MAX_PROPELLANT_FRACTION == calibrate_catalog.MAX_PROPELLANT_FRACTION["solid"]
assert reach.OWN_SOURCES == calibrate_catalog.OWN_SOURCES


def change(old: Interceptor, new: Interceptor) -> tuple[str, float]:
    """Which parameter ``with_burnout_speed`` changed, and its value (k, or the payload in kg)."""
    a, b = old.vehicle, new.vehicle
    if a == b:
        return "", math.nan
    if b.payload_mass_kg != a.payload_mass_kg:
        return "payload", b.payload_mass_kg
    return "dry", b.stages[0].dry_mass_kg / a.stages[0].dry_mass_kg


def rounded(old: Missile, new: Missile, parameter: str) -> Missile:
    """Catalog numbers: propellant masses and payload to 0.1 kg."""
    if parameter == "payload":
        return reach.with_payload(old, round(new.payload_mass_kg, 1))
    stages = tuple(dataclasses.replace(s, propellant_mass_kg=round(n.propellant_mass_kg, 1))
                   for s, n in zip(old.stages, new.stages))
    return dataclasses.replace(old, stages=stages)


def describe(parameter: str, old: Missile, new: Missile, k: float) -> str:
    if parameter == "payload":
        return (f"payload (mass at burnout) {old.payload_mass_kg:,.0f} -> {new.payload_mass_kg:,.1f} kg, launch mass "
                f"{old.launch_mass_kg:,.0f} -> {new.launch_mass_kg:,.1f} kg")
    family = calibrate_catalog.Family("dry", "stage dry masses x k (gross fixed)", calibrate_catalog.with_dry_scale,
                                      1.0, k, True)
    return calibrate_catalog.describe(family, old, new, k)


# --- writing interceptors.toml -----------------------------------------------------------------

def _inline(value: float, source: str, estimate: bool, note: str | None) -> str:
    text = f"{{ value = {value!r}, source = {json.dumps(source)}, estimate = {str(estimate).lower()}"
    return text + (f", note = {json.dumps(note, ensure_ascii=False)} }}" if note else " }")


def _line(lines: list[str], start: int, end: int, key: str) -> int:
    for i in range(start, end):
        if lines[i].startswith(f"{key} = "):
            return i
    raise KeyError(key)


def _original(note: str | None) -> str:
    """The note of the delta-v rule's model (before any calibration)."""
    note = note or ""
    if note.startswith(NOTE_MARKER):
        return note.split(BEFORE, 1)[1] if BEFORE in note else ""
    return note


def _value(line: str):
    return next(iter(tomllib.loads(line).values()))


def write(path: Path, name: str, target_km_s: float, source: str, old: Missile, new: Missile, parameter: str,
          value: float, before_m_s: float, after_m_s: float) -> None:
    """Write one interceptor's calibrated values, notes and derivation sentence into the TOML text."""
    lines = path.read_text().split("\n")
    starts = [i for i, line in enumerate(lines) if line.strip() == "[[interceptor]]"] + [len(lines)]
    start = next(s for s in starts[:-1] if _value(lines[_line(lines, s, len(lines), "name")]) == name)
    end = starts[starts.index(start) + 1]
    speed = f"the simulated fan burnout speed equals the catalog {target_km_s!r} km/s"
    if parameter == "dry":
        stage_starts = [i for i in range(start, end) if lines[i].strip() == "[[interceptor.stage]]"] + [end]
        for n, (a, b) in enumerate(zip(old.stages, new.stages)):
            i = _line(lines, stage_starts[n], stage_starts[n + 1], "propellant_mass_kg")
            record = _value(lines[i])
            note = (f"{NOTE_MARKER} {a.propellant_mass_kg:g} -> {b.propellant_mass_kg:g} kg (fraction "
                    f"{a.propellant_mass_kg / a.gross_mass_kg:.3f} -> {b.propellant_mass_kg / b.gross_mass_kg:.3f}) "
                    f"by the common dry-mass factor k = {value:.4f} (gross mass fixed) with which {speed} (see derivation)."
                    f"{BEFORE}{_original(record.get('note')) or 'no note'}")
            lines[i] = f"propellant_mass_kg = {_inline(b.propellant_mass_kg, 'DERIVED', True, note)}"
        change_text = (f"the stage dry masses, scaled by one common factor k = {value:.4f} with gross masses and burn "
                       f"times fixed: propellant " + " / ".join(f"{s.propellant_mass_kg:g}" for s in old.stages)
                       + " -> " + " / ".join(f"{s.propellant_mass_kg:g}" for s in new.stages) + " kg (fractions "
                       + " / ".join(f"{s.propellant_mass_kg / s.gross_mass_kg:.3f}" for s in old.stages) + " -> "
                       + " / ".join(f"{s.propellant_mass_kg / s.gross_mass_kg:.3f}" for s in new.stages) + ")")
    else:
        payload_start = next(i for i in range(start, end) if lines[i].strip() == "[interceptor.payload]")
        i = _line(lines, payload_start, end, "mass_kg")
        record = _value(lines[i])
        note = (f"{NOTE_MARKER} {old.payload_mass_kg:g} -> {new.payload_mass_kg:g} kg, the one stated parameter with "
                f"which {speed} (see derivation); the EKV alone is about 69 kg.{BEFORE}"
                f"{_original(record.get('note')) or 'no note'}")
        lines[i] = f"mass_kg = {_inline(new.payload_mass_kg, 'DERIVED', True, note)}"
        try:
            i = _line(lines, start, end, "launch_mass_kg")
        except KeyError:
            i = None
        if i is not None and _value(lines[i])["source"] == "DERIVED":
            motors = sum(s.gross_mass_kg for s in new.stages)
            note = (f"sum of the Orion motors ({motors:,.0f} kg, ORION_ATK) and the calibrated {new.payload_mass_kg:,.1f} kg "
                    f"payload (tools/calibrate_interceptors.py; {old.launch_mass_kg:,.0f} kg before calibration); "
                    "no published launch mass was found")
            lines[i] = f"launch_mass_kg = {_inline(new.launch_mass_kg, 'DERIVED', True, note)}"
        change_text = (f"the mass at burnout (the model's fitted quantity; the motors are published), "
                       f"{old.payload_mass_kg:,.0f} -> {new.payload_mass_kg:,.1f} kg (launch mass "
                       f"{old.launch_mass_kg:,.0f} -> {new.launch_mass_kg:,.1f} kg)")
    sentence = (f"{MARKER} in the flight simulator the fan burnout speed of the model above (the fastest Earth-relative "
                f"burnout speed over both steering programmes and the kicks of reach.KICKS_DEG, due north from latitude "
                f"0; docs/sources.md, 'Calibration against burnout speeds') was {before_m_s / 1e3:.3f} km/s against the "
                f"catalog burnout_speed_km_s of {target_km_s!r} km/s ({source}); ONE parameter was calibrated by "
                f"bisection, {change_text}; ideal delta-v {old.ideal_delta_v_m_s / 1e3:.2f} -> "
                f"{new.ideal_delta_v_m_s / 1e3:.2f} km/s; simulated fan burnout speed now {after_m_s / 1e3:.3f} km/s.")
    i = _line(lines, start, end, "derivation")
    text = _value(lines[i])
    text = text.split(" " + MARKER)[0].rstrip()
    lines[i] = f"derivation = {json.dumps(text + ' ' + sentence, ensure_ascii=False)}"
    path.write_text("\n".join(lines))


# --- the tables ----------------------------------------------------------------------------------

def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--interceptor", action="append", help="only these interceptors (repeatable)")
    parser.add_argument("--no-calibrate", action="store_true", help="print the tables only; write nothing")
    parser.add_argument("--data", help="catalog data directory (default: the built-in one), e.g. a copy holding "
                                       "the pre-calibration interceptors.toml")
    args = parser.parse_args(argv)
    directory = Path(args.data) if args.data else Path(str(catalog.DATA))
    cat = Catalog(directory)
    names = [cat.find("interceptor", n) for n in args.interceptor] if args.interceptor else list(cat.interceptors)
    path = directory / "interceptors.toml"

    print("Fan burnout speed (fastest over both programmes and reach.KICKS_DEG, due north from latitude 0):\n")
    print("| interceptor | catalog (km/s), source | simulated (km/s) | difference | fastest fly-out (kick, programme) "
          "| burnout time (s) | burnout altitude (km) |")
    print("|---|---|---|---|---|---|---|")
    before = {}
    for name in names:
        record = cat.interceptors[name]
        row = reach.fan_fastest_flyout(cat.interceptor(name))
        before[name] = row
        target = record.burnout_speed_km_s.value
        print(f"| {name} | {target!r}, {record.burnout_speed_km_s.source} | {row['speed_m_s'] / 1e3:.3f} "
              f"| {100 * (row['speed_m_s'] / (1e3 * target) - 1):+.1f} % | {row['kick_deg']:.1f} deg, {row['programme']} "
              f"| {row['time_s']:.1f} | {row['altitude_m'] / 1e3:.0f} |")
    if args.no_calibrate:
        return 0

    print("\nCalibration (one parameter per interceptor; target = catalog burnout_speed_km_s within 1 %):")
    changed = []
    for name in names:
        record = cat.interceptors[name]
        interceptor = cat.interceptor(name)
        target_m_s = record.burnout_speed_km_s.value * 1e3
        base = before[name]["speed_m_s"]
        if abs(base / target_m_s - 1.0) <= reach.BURNOUT_SPEED_TOLERANCE:
            print(f"\n{name}: {base / 1e3:.3f} km/s, within 1 % of {record.burnout_speed_km_s.value!r} km/s: no change")
            continue
        new = reach.with_burnout_speed(interceptor, target_m_s)
        parameter, value = change(interceptor, new)
        vehicle = rounded(interceptor.vehicle, new.vehicle, parameter)
        after = reach.fan_burnout_speed_m_s(vehicle)
        print(f"\n{name}: {base / 1e3:.3f} -> {after / 1e3:.3f} km/s (catalog {record.burnout_speed_km_s.value!r}); ({parameter}) "
              f"{describe(parameter, interceptor.vehicle, vehicle, value)}; ideal delta-v "
              f"{interceptor.vehicle.ideal_delta_v_m_s / 1e3:.2f} -> {vehicle.ideal_delta_v_m_s / 1e3:.2f} km/s")
        write(path, name, record.burnout_speed_km_s.value, record.burnout_speed_km_s.source, interceptor.vehicle,
              vehicle, parameter, value, base, after)
        changed.append(name)

    reread = Catalog(directory)
    print("\nAfter calibration (re-read from the file):\n")
    print("| interceptor | catalog (km/s) | before (km/s) | after (km/s) | difference | parameter | change |")
    print("|---|---|---|---|---|---|---|")
    for name in names:
        old, new = cat.interceptor(name), reread.interceptor(name)
        target = reread.interceptors[name].burnout_speed_km_s.value
        after = reach.fan_burnout_speed_m_s(new)
        parameter = "payload" if new.vehicle.payload_mass_kg != old.vehicle.payload_mass_kg else (
            "dry" if new.vehicle != old.vehicle else "")
        if parameter == "payload":
            what = f"{old.vehicle.payload_mass_kg:,.0f} -> {new.vehicle.payload_mass_kg:,.1f} kg"
        elif parameter == "dry":
            k = new.vehicle.stages[0].dry_mass_kg / old.vehicle.stages[0].dry_mass_kg
            what = f"k = {k:.3f}; propellant " + " / ".join(f"{s.propellant_mass_kg:,.0f}" for s in old.vehicle.stages) + \
                " -> " + " / ".join(f"{s.propellant_mass_kg:,.1f}" for s in new.vehicle.stages) + " kg"
        else:
            what = "none"
        print(f"| {name} | {target!r} | {before[name]['speed_m_s'] / 1e3:.3f} | {after / 1e3:.3f} "
              f"| {100 * (after / (1e3 * target) - 1):+.2f} % | {parameter or '-'} | {what} |")

    print("\nThe sources' band (burnout_speed_band_km_s) through reach.with_burnout_speed:\n")
    print("| interceptor | band (km/s) | low end | high end |")
    print("|---|---|---|---|")
    for name in names:
        interceptor = reread.interceptor(name)
        band = reread.interceptors[name].burnout_speed_band_km_s
        cells = []
        for end in (band.low, band.high):
            try:
                new = reach.with_burnout_speed(interceptor, end * 1e3)
            except InputError as error:
                cells.append(f"impossible: {str(error).split('speeds: ', 1)[1].split(' with')[0]} reachable")
                continue
            parameter, value = change(interceptor, new)
            cells.append("the catalog model" if not parameter else
                         f"k = {value:.3f}" if parameter == "dry" else f"payload {value:,.1f} kg")
        print(f"| {name} | {band.low!r}-{band.high!r} | {cells[0]} | {cells[1]} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
