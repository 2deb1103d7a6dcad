"""The commands about one flight and the catalog: ``fly`` (one missile's flight), ``engage`` (one threat
against one interceptor site: :func:`shieldcheck.api.engage`) and ``catalog`` (the catalog's entries)."""

from __future__ import annotations

import dataclasses
import json
import math
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from .. import api
from ..api import options, terminal
from ..api.pair import DEFAULT_AIM, DEFAULT_INTERCEPTOR, DEFAULT_LAUNCH, DEFAULT_MISSILE, DEFAULT_SITE
from ..errors import InputError
from .common import ENDGAME_HELP, FLIGHT_PHASE_HELP, FLIGHT_TIME_HELP, SOURCES_HELP, TRAJECTORY_HELP, Command, app


def _round(value, digits=3):
    return float(round(float(value), digits))


def _parse_burnout(text: str) -> list[float]:
    fields = ("LAT", "LON", "ALT_KM", "SPEED_KM_S", "GAMMA_DEG", "AZIMUTH_DEG")
    parts = text.split(",")
    if len(parts) != len(fields):
        raise InputError(f"--burnout {text!r}: expected {len(fields)} comma-separated numbers {','.join(fields)}, "
                         f"got {len(parts)}")
    values = []
    for name, part in zip(fields, parts):
        try:
            values.append(float(part))
        except ValueError:
            raise InputError(f"--burnout {name} = {part!r} is not a number") from None
    return values


def _earth_surface(model) -> str:
    """The surface an Earth model measures heights from, in words (the ellipsoid or the sphere)."""
    if model.flattening > 0.0:
        return "the WGS 84 ellipsoid" if model.name.startswith("wgs84") else "the ellipsoid"
    return f"the sphere of radius {model.equatorial_radius_m / 1e3:.1f} km"


def _earth_frame(model) -> str:
    """What an Earth model's speeds and directions are measured against, in words."""
    return "the rotating Earth" if model.rotation_rate_rad_s != 0.0 else "the non-rotating Earth (inertial axes)"


def _flight_json(flights, i: int = 0) -> dict:
    from .. import flight as flight_mod

    burnout = flights.burnout()
    impact = flights.impact()
    status = flight_mod.FlightStatus(int(flights.status[i]))
    result = {
        "missile": flights.missile_names[i],
        "mode": flights.mode,
        "status": status.name.lower(),
        "status_message": status.message,
        "range_km": _round(flights.range_km[i]),
        "flight_time_s": _round(flights.flight_time_s[i]),
        "apogee_km": _round(flights.apogee_km[i]),
        "apogee_time_s": _round(flights.apogee_time_s[i]),
        "impact": {"lat_deg": _round(impact["latitude_deg"][i], 5), "lon_deg": _round(impact["longitude_deg"][i], 5),
                   "speed_km_s": _round(impact["speed_m_s"][i] / 1e3, 4), "angle_deg": _round(impact["angle_deg"][i], 3)},
        "impact_miss_km": _round(flights.miss_m()[i] / 1e3, 4),
        "burnout": {"time_s": _round(burnout["time_s"][i]), "speed_km_s": _round(burnout["speed_m_s"][i] / 1e3, 5),
                    "inertial_speed_km_s": _round(burnout["inertial_speed_m_s"][i] / 1e3, 5),
                    "altitude_km": _round(burnout["altitude_m"][i] / 1e3),
                    "flight_path_angle_deg": _round(burnout["flight_path_angle_deg"][i]),
                    "azimuth_deg": _round(burnout["azimuth_deg"][i]),
                    "lat_deg": _round(burnout["latitude_deg"][i], 5), "lon_deg": _round(burnout["longitude_deg"][i], 5)},
        "launch": {"lat_deg": _round(flights.launch_latitude_deg[i], 5),
                   "lon_deg": _round(flights.launch_longitude_deg[i], 5)},
        "model": {"earth": flights.earth.name, "atmosphere": flights.atmosphere,
                  "integrator": {k: v for k, v in vars(flights.integrator).items()}},
        "assumptions": list(flights.notes) + [
            f"earth: {flights.earth.summary}",
            f"atmosphere: {flight_mod.ATMOSPHERES[flights.atmosphere]}",
            f"burnout speed, flight-path angle and azimuth are relative to {_earth_frame(flights.earth)}",
            f"impact: first crossing of height 0 above {_earth_surface(flights.earth)}",
        ],
        "sources": list(flights.sources),
        "source_keys": terminal.source_keys(flights.sources),
    }
    if flights.aim_latitude_deg is not None:
        result["aim"] = {"lat_deg": _round(flights.aim_latitude_deg[i], 5),
                         "lon_deg": _round(flights.aim_longitude_deg[i], 5)}
        result["trajectory"] = flights.trajectory
        result["steering"] = {"azimuth_deg": _round(flights.azimuth_deg[i], 4), "kick_deg": _round(flights.kick_deg[i], 4),
                              "cutoff_s": _round(flights.cutoff_s[i], 3)}
    if getattr(flights, "deorbit_time_s", None) is not None:  # a fractional orbit (shieldcheck.orbital)
        result["orbit"] = {"perigee_km": _round(flights.perigee_altitude_m[i] / 1e3, 2),
                           "apogee_km": _round(flights.apogee_altitude_m[i] / 1e3, 2),
                           "period_min": _round(flights.period_s[i] / 60.0, 3),
                           "inclination_deg": _round(flights.inclination_deg[i], 3),
                           "deorbit_time_s": _round(flights.deorbit_time_s[i], 2),
                           "deorbit_delta_v_m_s": _round(flights.deorbit_delta_v_m_s[i], 1),
                           "revolution_fraction": _round(flights.revolution_fraction[i], 4),
                           "approach_azimuth_deg": _round(flights.approach_azimuth_deg()[i], 2)}
    return result


def _print_flight(data: dict, full_sources: bool = False) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    route = data.get("route")
    title = (f"{data['missile']}" + (f" from {route['from']} to {route['to']}" if route else "")
             + (f", {data['trajectory']} trajectory" if "trajectory" in data else ", from burnout"))
    table = Table(title=title, show_header=False)
    b, imp = data["burnout"], data["impact"]
    rows = [
        ("status", data["status_message"]),
        ("range", f"{data['range_km']:,.1f} km"),
        ("flight time", f"{data['flight_time_s']:,.1f} s ({data['flight_time_s'] / 60:.1f} min)"),
        ("apogee", f"{data['apogee_km']:,.1f} km at {data['apogee_time_s']:,.0f} s"),
        ("burnout", f"{b['time_s']:.1f} s, {b['speed_km_s']:.3f} km/s, {b['altitude_km']:.1f} km, "
                    f"flight-path angle {b['flight_path_angle_deg']:.2f}°"),
        ("impact", f"{imp['lat_deg']:.4f}°, {imp['lon_deg']:.4f}° at {imp['speed_km_s']:.2f} km/s, "
                   f"{imp['angle_deg']:.1f}° below horizontal"),
    ]
    if "flight_time_aim" in data:
        t = data["flight_time_aim"]
        rows.insert(0, ("aimed for", f"flight time {t['asked_s']:,.1f} s: {t['shape']} flies {t['flown_s']:,.1f} s "
                                     f"(this route: {t['shortest_s']:,.0f} s flattest depressed to {t['longest_s']:,.0f} s "
                                     f"steepest lofted, minimum energy {t['minimum_energy_s']:,.0f} s)"))
    if "aim" in data:
        s = data["steering"]
        rows += [("miss distance", f"{data['impact_miss_km'] * 1e3:,.0f} m"),
                 ("steering", f"azimuth {s['azimuth_deg']:.2f}°, kick {s['kick_deg']:.2f}°, cut-off {s['cutoff_s']:.1f} s")]
    if "orbit" in data:
        o = data["orbit"]
        rows += [("orbit", f"{o['perigee_km']:,.1f} x {o['apogee_km']:,.1f} km, period {o['period_min']:.1f} min, "
                           f"inclination {o['inclination_deg']:.1f}°"),
                 ("deorbit", f"{o['deorbit_time_s']:,.1f} s after launch, impulse {o['deorbit_delta_v_m_s']:,.0f} m/s"),
                 ("revolution", f"{o['revolution_fraction']:.3f} of a revolution, arriving on azimuth "
                                f"{o['approach_azimuth_deg']:.0f}°")]
    if "range_class" in data:
        rows.append(("range class", data["range_class_basis"].split(": ", 1)[-1]))
    rows += [("model", f"earth={data['model']['earth']}, atmosphere={data['model']['atmosphere']}"
                       + (f", glide={data['model']['glide']['law']} (L/D {data['model']['glide']['lift_to_drag_ratio']:g})"
                          if "glide" in data["model"] else ""))]
    for key, value in rows:
        table.add_row(key, value)
    console.print(table)
    console.print("[bold]Assumptions[/bold]")
    for line in data["assumptions"]:
        console.print(f"  - {line}")
    terminal.print_sources(console, data["sources"], full_sources)


@app.command(cls=Command)
def fly(
    missile: Optional[str] = typer.Option(None, help=f"catalog missile (default {DEFAULT_MISSILE})"),
    from_: Optional[str] = typer.Option(None, "--from", help="launch site: catalog name or LAT,LON (without --from "
                                                             f"and --to: {DEFAULT_LAUNCH} to {DEFAULT_AIM} for the "
                                                             f"{DEFAULT_MISSILE}, for another missile the first pair "
                                                             "of the built-in threat sets that it can reach, stated "
                                                             "in the output)"),
    to: Optional[str] = typer.Option(None, help="aim point: catalog name or LAT,LON (default: see --from)"),
    trajectory: str = typer.Option("minimum-energy", help=TRAJECTORY_HELP),
    burnout_angle_deg: Optional[float] = typer.Option(None, help="shape a lofted/depressed trajectory by burnout flight-path angle"),
    apogee_km: Optional[float] = typer.Option(None, help="shape a lofted/depressed trajectory by apogee"),
    apogee_ratio: Optional[float] = typer.Option(None, help="shape a lofted/depressed trajectory by its apogee over "
                                                             "the minimum-energy one"),
    flight_time_s: Optional[float] = typer.Option(None, "--flight-time-s", help=FLIGHT_TIME_HELP),
    burnout: Optional[str] = typer.Option(None, help="fly from a burnout state (no boost): LAT,LON, ALT_KM, SPEED_KM_S, GAMMA_DEG, AZIMUTH_DEG "
                                                       "as six comma-separated numbers"),
    earth: str = typer.Option("wgs84-j2-rotating", help="wgs84-j2-rotating | wgs84-pointmass-rotating | spherical-nonrotating"),
    atmosphere: str = typer.Option("ussa1976", help="ussa1976 | none"),
    full_sources: bool = typer.Option(False, "--sources", help=SOURCES_HELP),
    as_json: bool = typer.Option(False, "--json", help="print one JSON object"),
):
    """Fly a missile from a launch site to an aim point, or a re-entry vehicle from a burnout state."""
    from .. import catalog, flight

    if burnout is not None:
        if from_ is not None or to is not None:
            raise InputError("--burnout flies from a burnout state: do not give --from or --to with it")
        shaped = [f"--{k.replace('_', '-')}" for k, v in (("trajectory", trajectory != "minimum-energy"),
                  ("burnout_angle_deg", burnout_angle_deg is not None), ("apogee_km", apogee_km is not None),
                  ("apogee_ratio", apogee_ratio is not None), ("flight_time_s", flight_time_s is not None)) if v]
        if shaped:
            raise InputError(f"--burnout flies from a burnout state: {', '.join(shaped)} shape(s) a launch and do "
                             "not apply to it")
        lat, lon, alt_km, speed_km_s, gamma_deg, azimuth_deg = _parse_burnout(burnout)
        vehicle = catalog.missile(options.named("--missile", missile, DEFAULT_MISSILE))
        flights = flight.fly_burnout(lat, lon, alt_km * 1e3, speed_km_s * 1e3, gamma_deg, azimuth_deg, vehicle,
                                     earth=earth, atmosphere=atmosphere, history=False)
    else:
        from ..aiming import fly_timed

        missile = options.named("--missile", missile, DEFAULT_MISSILE)
        chosen = None
        if from_ is None and to is None:
            from_, to, why = api.default_route(missile)
            chosen = f"route: {from_} to {to}, {why} (no --from and --to given)"
        flights, timed = fly_timed(missile, options.named("--from", from_, DEFAULT_LAUNCH),
                                   options.named("--to", to, DEFAULT_AIM), trajectory=trajectory,
                                   burnout_angle_deg=burnout_angle_deg, apogee_km=apogee_km, apogee_ratio=apogee_ratio,
                                   flight_time_s=flight_time_s, earth=earth, atmosphere=atmosphere, history=False)
    data = _flight_json(flights)
    if burnout is None and timed is not None:
        data["flight_time_aim"] = {"asked_s": _round(timed.flight_time_s[0]), "shape": timed.shapes[0],
                                   "flown_s": _round(timed.flown_time_s[0]),
                                   "shortest_s": _round(timed.shortest_s[0]), "longest_s": _round(timed.longest_s[0]),
                                   "minimum_energy_s": _round(timed.minimum_energy_s[0])}
    if burnout is None:
        data["route"] = {"from": from_, "to": to, "chosen": chosen}
        if chosen:
            data["assumptions"].insert(0, chosen)
    from ..aiming import range_class_of

    found = range_class_of(missile or DEFAULT_MISSILE)
    data["range_class"] = found.range_class
    data["range_class_basis"] = str(found)
    glide = catalog.missile(missile or DEFAULT_MISSILE).glide
    if glide is not None:  # a boost-glide vehicle: its glide model is an assumption of the flight
        data["model"]["glide"] = {k: v for k, v in dataclasses.asdict(glide).items() if v is not None}
        data["assumptions"].insert(0, glide.summary)
    if as_json:
        typer.echo(json.dumps(data, allow_nan=False))
    else:
        _print_flight(data, full_sources)


@app.command(cls=Command)
def engage(
    missile: str = typer.Option(DEFAULT_MISSILE, help="threat missile"),
    from_: str = typer.Option(DEFAULT_LAUNCH, "--from", help="threat launch site: catalog name or LAT,LON"),
    to: str = typer.Option(DEFAULT_AIM, help="threat aim point: catalog name or LAT,LON"),
    interceptor: str = typer.Option(DEFAULT_INTERCEPTOR, help="catalog interceptor"),
    site: str = typer.Option(DEFAULT_SITE, help="interceptor site: catalog name or LAT,LON"),
    sensor: list[str] = typer.Option([], help="cueing sensor (repeat for several); used by --cueing remote"),
    cueing: Optional[str] = typer.Option(
        None, help="own | remote | engage-remote | delay:SECONDS after the threat's launch (default: the bounding cue "
                   "of the built-in scenario epaa, delay:105, as `assess` uses for its bounding rows)"),
    launch_delay: float = typer.Option(
        0.0, "--launch-delay", help="decision time added to the cue, s (the scenarios' bounding rows add "
                                    "bounding_decision_time_s, 30 s: give --launch-delay 30 to match them)"),
    endgame: str = typer.Option("kinematic", help=ENDGAME_HELP),
    flight_phase: str = typer.Option("any", "--flight-phase", help=FLIGHT_PHASE_HELP),
    trajectory: str = typer.Option("minimum-energy", help=TRAJECTORY_HELP),
    flight_time_s: Optional[float] = typer.Option(None, "--flight-time-s", help=FLIGHT_TIME_HELP),
    rcs_m2: float = typer.Option(0.1, "--rcs-m2", help="threat radar cross-section, m^2"),
    shoot_look_shoot: float = typer.Option(
        60.0, "--shoot-look-shoot-s", help="the look of shoot-look-shoot: from one shot's intercept to the next "
                                           "shot's launch (kill assessment and commit), s"),
    burnout_speed_km_s: Optional[float] = typer.Option(
        None, "--burnout-speed-km-s", help="rescale the interceptor's stage model to this burnout speed (sweeps)"),
    sector: Optional[str] = typer.Option(
        None, help="intercept only above these countries: COUNTRY[,COUNTRY...] (Natural Earth names)"),
    sector_buffer_km: Optional[float] = typer.Option(None, "--sector-buffer-km",
                                                     help="grow the sector by this distance, km (default 0)"),
    plot: Optional[Path] = typer.Option(None, "--plot", help="write the pair's battle-space figure to FILE.png"),
    full_sources: bool = typer.Option(False, "--sources", help=SOURCES_HELP),
    as_json: bool = typer.Option(False, "--json", help="print one JSON object"),
):
    """Can this interceptor, cued by that sensor, reach that missile in time? A verdict with its reason."""
    if plot is not None:
        options.plot_path(plot)  # before any work
    result = api.engage(missile, from_, to, interceptor=interceptor, site=site, sensors=sensor, cueing=cueing,
                        launch_delay_s=launch_delay, endgame=endgame, flight_phase=flight_phase,
                        trajectory=trajectory, rcs_m2=rcs_m2, shoot_look_shoot_s=shoot_look_shoot,
                        burnout_speed_km_s=burnout_speed_km_s, sector=sector, sector_buffer_km=sector_buffer_km,
                        flight_time_s=flight_time_s)
    if plot is not None:
        result.plot(plot)
    if as_json:
        typer.echo(result.to_json())
        return
    result.explain(full_sources)


class Kind(str, Enum):
    missiles = "missiles"
    sites = "sites"
    interceptors = "interceptors"
    sensors = "sensors"
    scenarios = "scenarios"
    sources = "sources"
    test_ranges = "test-ranges"
    treaty = "treaty"
    tests = "tests"


def _number(value, spec: str = ",g") -> str:
    return "—" if value is None else format(value, spec)


def _treaty_listing(cat, full_sources: bool, as_json: bool) -> None:
    """``catalog treaty``: the 1997 lines, every catalog interceptor against the interceptor lines and every
    catalog missile as a test target (:mod:`shieldcheck.treaty`), as tables or one JSON object."""
    from rich.console import Console

    from .. import treaty

    lines = [{"name": line.name, "quantity": line.quantity, "value": line.value, "unit": line.unit,
              "basings": list(line.basings), "wording": line.wording, "date": line.date.isoformat(),
              "sources": cat.citations([line.source])} for line in treaty.LINES]
    interceptors = []
    for name in cat.interceptors:
        c = treaty.classify_interceptor(name, cat)
        interceptors.append({"name": c.name, "speed_km_s": c.speed_km_s, "speed_band_km_s": list(c.speed_band_km_s),
                             "speed_taken": treaty.SPEED_TAKEN, "basings": list(c.basings),
                             "lower_velocity": c.lower_velocity, "helsinki_lines_km_s": list(c.helsinki_lines_km_s),
                             "within_helsinki": c.within_helsinki, "settled_across_band": c.settled,
                             "explanation": c.explain(), "sources": cat.citations(c.sources)})
    targets = []
    for name in cat.missiles:
        c = treaty.classify_target(name, cat=cat)
        targets.append({"name": c.name, "role": c.role, "launch": c.launch, "speed_km_s": c.speed_km_s,
                        "range_km": c.range_km if c.range_km != float("inf") else None,
                        "speed_within": c.speed_within, "range_within": c.range_within, "compliant": c.compliant,
                        "explanation": c.explain(), "sources": cat.citations(c.sources)})
    if as_json:
        for e in (*lines, *interceptors, *targets):
            e["source_keys"] = terminal.source_keys(e["sources"])
        typer.echo(json.dumps({"speed_taken": treaty.SPEED_TAKEN, "lines": lines, "interceptors": interceptors,
                               "targets": targets}, allow_nan=False))
        return
    console = Console()
    yes = {True: "yes", False: "no"}
    console.print(terminal.table("The 1997 lines (ABM demarcation)", [("line", "key"), ("value", "number"),
                                                                     ("source", "key"), ("date", "number")],
                                 [[e["name"], f"{e['value']:,.1f} {e['unit']}", terminal.cited(e["sources"], False),
                                   e["date"]] for e in lines]))
    console.print(terminal.table(
        "Interceptors (speed: Earth-relative burnout)",
        [("name", "key"), ("basing", "key"), ("speed (km/s)", "number"), ("lower-velocity (≤3.0)", "key"),
         ("Helsinki line (km/s)", "number"), ("within it", "key")],
        [[e["name"], " and ".join(e["basings"]), f"{e['speed_km_s']:.2f}", yes[e["lower_velocity"]],
          " / ".join(f"{v:.1f}" for v in e["helsinki_lines_km_s"]),
          yes[e["within_helsinki"]] + ("" if e["settled_across_band"] else " (band: varies)")] for e in interceptors]))
    console.print(terminal.table(
        "Missiles as test targets (lines 5.0 km/s, 3,500 km)",
        [("name", "key"), ("role", "key"), ("speed (km/s)", "number"), ("range (km)", "number"),
         ("compliant", "key")],
        [[e["name"], e["role"], f"{e['speed_km_s']:.2f}", _number(e["range_km"], ",.0f"), yes[e["compliant"]]]
         for e in targets]))
    console.print(f"Speed taken: {treaty.SPEED_TAKEN}; a missile is classified as flown to its full range "
                  "(maximum-range flight due north from its reference site).", highlight=False)
    entries = [*interceptors, *targets]
    _print_sources(console, entries, full_sources)


def _print_sources(console: Console, entries: list[dict], full_sources: bool) -> None:
    """Each listed entry's sources: in full (``--sources``) or as keys."""
    if full_sources:
        console.print("[bold]Sources[/bold]")
        for e in entries:
            console.print(f"  {e['name']}:", highlight=False)
            for line in e["sources"]:
                console.print(f"    - {line}", highlight=False)
    else:
        console.print("[bold]Sources[/bold] (keys; in full: --sources; every key: shieldcheck catalog sources)")
        for e in entries:
            console.print(f"  {e['name']}: {terminal.cited(e['sources'], False)}", highlight=False)


@app.command("catalog", cls=Command)
def catalog_command(
    kind: Kind = typer.Argument(Kind.missiles, help="missiles | sites | interceptors | sensors | scenarios | "
                                                    "sources (every source key with its full citation) | test-ranges | "
                                                    "treaty (the 1997 lines; every interceptor and missile against them) | "
                                                    "tests (the intercept test records and the Pk posterior from them)"),
    pk_prior: Optional[str] = typer.Option(None, "--pk-prior", help=(
        "with tests: the Beta prior A,B of the single-shot Pk posterior (default 1,1, uniform); each above 0")),
    full_sources: bool = typer.Option(False, "--sources", help=SOURCES_HELP),
    as_json: bool = typer.Option(False, "--json", help="print JSON"),
):
    """List catalog entries with their sources."""
    from rich.console import Console

    from .. import catalog

    cat = catalog.load()
    if pk_prior is not None and kind != Kind.tests:
        raise InputError(f"--pk-prior {pk_prior}: the prior of the Pk posterior applies to `catalog tests` only")
    if kind == Kind.treaty:
        _treaty_listing(cat, full_sources, as_json)
        return
    entries, rows = [], []
    if kind == Kind.tests:
        _print_tests(cat, pk_prior, as_json, full_sources)
        return
    if kind == Kind.missiles:
        from ..aiming import range_class_of

        for name, record in cat.missiles.items():
            m = cat.missile(name)
            found = range_class_of(name)
            entries.append({"name": name, "aliases": record.aliases, "country": record.country, "role": record.role,
                            "range_class": found.range_class,
                            "flown_range_km": None if math.isinf(found.range_km) else round(found.range_km, 1),
                            "flown_range_from": found.launch,
                            "propellant": record.propellant, "stages": len(m.stages),
                            "launch_mass_kg": m.launch_mass_kg, "burn_time_s": m.burn_time_s,
                            "published_range_km": record.published_range_km.value if record.published_range_km else None,
                            "published_range_band_km": ([record.published_range_km.low, record.published_range_km.high]
                                                        if record.published_range_km else None),  # None: FOBS
                            "warheads": record.warheads.value,
                            "warheads_band": [record.warheads.low, record.warheads.high],
                            "flight_model": m.flight_model,
                            "summary": record.summary, "derivation": record.derivation, "sources": list(m.sources)})
            e = entries[-1]
            rows.append([name, e["country"], e["role"], e["range_class"], str(e["stages"]),
                         f"{e['launch_mass_kg'] / 1e3:,.1f}", _number(e["published_range_km"], ",.0f"),
                         f"{e['warheads']:g}"])
        columns = [("name", "key"), ("country", "key"), ("role", "key"), ("class", "key"), ("stages", "number"),
                   ("mass (t)", "number"), ("range (km)", "number"), ("RVs", "number")]
    elif kind == Kind.interceptors:
        for name, record in cat.interceptors.items():
            i = cat.interceptor(name)
            entries.append({"name": name, "aliases": record.aliases, "country": record.country, "basing": record.basing,
                            "burnout_speed_km_s": record.burnout_speed_km_s.value,
                            "burnout_speed_band_km_s": [record.burnout_speed_band_km_s.low,
                                                        record.burnout_speed_band_km_s.high],
                            "min_intercept_altitude_km": record.min_intercept_altitude_km.value,
                            "max_intercept_altitude_km": record.max_intercept_altitude_km.value,
                            "stages": len(i.vehicle.stages), "launch_mass_kg": i.vehicle.launch_mass_kg,
                            "summary": record.summary, "derivation": record.derivation,
                            "sources": list(i.vehicle.sources)})
            e = entries[-1]
            rows.append([name, e["country"], f"{e['burnout_speed_km_s']:.1f}",
                         f"{e['min_intercept_altitude_km']:,.0f}-{e['max_intercept_altitude_km']:,.0f}"])
        columns = [("name", "key"), ("country", "key"), ("burnout speed (km/s)", "number"),
                   ("intercept altitude (km)", "number")]
    elif kind == Kind.sensors:
        for name, record in cat.sensors.items():
            entries.append({"name": name, "aliases": record.aliases, "kind": record.kind, "system": record.system,
                            "site": record.site,
                            "reference_range_km": record.reference_range_km.value if record.reference_range_km else None,
                            "reference_rcs_m2": record.reference_rcs_m2.value if record.reference_rcs_m2 else None,
                            "track_time_s": record.track_time_s.value,
                            **{field: getattr(record, field).value if getattr(record, field) else None
                               for field in ("range_noise_m", "angle_noise_mrad", "range_rate_noise_m_s",
                                             "update_interval_s", "range_bias_m", "angle_bias_mrad",
                                             "range_rate_bias_m_s")},
                            "summary": record.summary,
                            "sources": cat.citations(cat.record_sources("sensor", name))})
            e = entries[-1]
            rows.append([name, e["kind"], _number(e["reference_range_km"], ",.0f"), _number(e["reference_rcs_m2"]),
                         f"{e['track_time_s']:g}"])
        columns = [("name", "key"), ("kind", "key"), ("range (km)", "number"), ("at RCS (m²)", "number"),
                   ("track (s)", "number")]
    elif kind == Kind.scenarios:
        from .. import scenario as scenario_mod

        for name in scenario_mod.builtin_names():
            chosen = scenario_mod.load(name)
            entries.append({"name": name, "title": chosen.title,
                            "phases": [p.name + (f" (cancelled {p.cancelled})" if p.cancelled else "") + f", {p.date}"
                                       for p in chosen.phases],
                            "sites": sorted({f"{e.site}: {e.interceptor}" for p in chosen.phases for e in p.sites}),
                            "threat_sets": [t.name for t in chosen.threats], "flights": len(chosen.flights()),
                            "sources": chosen.citations()})
            rows.append([name, chosen.title, str(len(chosen.phases)), f"{entries[-1]['flights']:,}"])
        columns = [("name", "key"), ("title", "text"), ("phases", "number"), ("flights", "number")]
    elif kind == Kind.test_ranges:
        for name, record in cat.test_ranges.items():
            place = cat.test_range(name)
            entries.append({"name": name, "aliases": record.aliases, "kind": record.kind, "operator": record.operator,
                            "country": record.country, "lat_deg": place.latitude_deg, "lon_deg": place.longitude_deg,
                            "site": record.site, "azimuth_band_deg": (list(place.azimuth_band_deg)
                                                                      if place.azimuth_band_deg else None),
                            "summary": record.summary, "sources": list(place.sources)})
            band = place.azimuth_band_deg
            rows.append([name, record.kind, f"{place.latitude_deg:.3f}", f"{place.longitude_deg:.3f}",
                         f"{band[0]:.0f}-{band[1]:.0f}" if band else "—"])
        columns = [("name", "key"), ("kind", "key"), ("lat (°)", "number"), ("lon (°)", "number"),
                   ("launch azimuths (°)", "number")]
    elif kind == Kind.sources:
        for key, record in cat.sources.items():
            entries.append({"key": key, "citation": record.citation, "url": record.url, "accessed": record.accessed,
                            "file": record.file, "date": record.date.isoformat() if record.date else None})
            rows.append([key, record.citation + (f" <{record.url}>" if record.url else "")
                         + (f" (accessed {record.accessed})" if record.accessed else "")])
        columns = [("key", "key"), ("citation", "text")]
    else:
        for name, record in cat.sites.items():
            entries.append({"name": name, "aliases": record.aliases, "kind": record.kind, "country": record.country,
                            "lat_deg": record.latitude_deg.value, "lon_deg": record.longitude_deg.value,
                            "estimate": record.latitude_deg.estimate, "summary": record.summary,
                            "sources": cat.site_sources(name)})
            e = entries[-1]
            rows.append([name, e["kind"], e["country"], f"{e['lat_deg']:.3f}", f"{e['lon_deg']:.3f}",
                         "yes" if e["estimate"] else "no"])
        columns = [("name", "key"), ("kind", "key"), ("country", "key"), ("lat (°)", "number"), ("lon (°)", "number"),
                   ("estimate", "key")]
    if as_json:
        for e in entries if kind != Kind.sources else ():
            e["source_keys"] = terminal.source_keys(e["sources"])
        typer.echo(json.dumps(entries, allow_nan=False))
        return
    console = Console()
    console.print(terminal.table(f"shieldcheck catalog: {kind.value}", columns, rows))
    if kind == Kind.sources:
        return
    if kind == Kind.missiles:
        from ..catalog import RANGE_CLASSES

        bounds = (" < ".join(f"{name} ≤ {upper:,.0f} km" for name, upper in RANGE_CLASSES[:-1])
                  + f" < {RANGE_CLASSES[-1][0]}")
        console.print(f"class: the range class of the range the model flies (full burn, best kick, due north from the "
                      f"reference site of its country and role), beside the hand-written role: {bounds}; range: the "
                      "published range; RVs: warheads (re-entry vehicles)", highlight=False)
    _print_sources(console, entries, full_sources)


def _print_tests(cat, pk_prior: str | None, as_json: bool, full_sources: bool) -> None:
    """``catalog tests``: per interceptor with test records, the counted hits of attempts, the records left out,
    and the Beta posterior of its single-shot Pk (mean, 90 % interval); then the published tallies."""
    from rich.console import Console

    from .. import kill_probability as kp

    prior = kp.DEFAULT_PRIOR
    if pk_prior is not None:
        alpha, beta = kp.parse_prior(pk_prior, "--pk-prior")
        prior = kp.BetaPrior(alpha, beta, "MODEL", f"--pk-prior {pk_prior}", stated=True)
    names = list(dict.fromkeys(r.interceptor for r in cat.intercept_tests))
    posteriors = [kp.posterior(name, prior, cat=cat) for name in names]
    if as_json:
        typer.echo(json.dumps({
            "prior": prior.as_dict(),
            "interceptors": [dict(p.as_dict(), records=[{
                "date": r.date.isoformat(), "test": r.test, "outcome": r.outcome, "target_class": r.target_class,
                "intercept_attempt": r.intercept_attempt, "counted": kp.counted(r), "source": r.source,
                "estimate": r.estimate} for r in kp.records(p.interceptor, cat)]) for p in posteriors],
            "tallies": [{"date": t.date.isoformat(), "system": t.system, "interceptors": list(t.interceptors),
                         "hits": t.hits, "attempts": t.attempts, "source": t.source, "note": t.note}
                        for t in cat.intercept_tallies]}, allow_nan=False))
        return
    console = Console()
    level = f"{100 * kp.INTERVAL_LEVEL:.0f} %"
    rows = []
    for p in posteriors:
        lo, hi = p.interval()
        rows.append([p.interceptor, f"{p.hits} of {p.attempts}", str(len(p.left_out)),
                     f"Beta({p.alpha:g}, {p.beta:g})", f"{p.mean:.2f}", f"{lo:.2f}-{hi:.2f}"])
    console.print(terminal.table(f"shieldcheck catalog: tests (prior Beta({prior.alpha:g}, {prior.beta:g}))",
                                 [("interceptor", "key"), ("hits", "number"), ("left out", "number"),
                                  ("Pk posterior", "key"), ("mean", "number"), (f"{level} interval", "number")], rows))
    console.print("Counted: intercept attempts, hit or miss, against a ballistic target; each an exchangeable trial "
                  "of one Pk (scripted tests: the record, not combat). Records left out say why in --json.",
                  highlight=False)
    tallies = [[t.system, t.date.isoformat(), f"{t.hits} of {t.attempts}", t.source] for t in cat.intercept_tallies]
    if tallies:
        console.print(terminal.table("Published tallies (not per test; larger than the records above)",
                                     [("system", "key"), ("date", "key"), ("hits", "number"), ("source", "key")],
                                     tallies))
    keys = list(dict.fromkeys(r.source for r in cat.intercept_tests))
    terminal.print_sources(console, cat.citations(keys), full_sources)


@app.command("implied-pk", cls=Command)
def implied_pk_command(
    fired: int = typer.Option(..., "--fired", help="interceptors fired"),
    warheads: int = typer.Option(..., "--warheads", help="warheads that flew at the defence"),
    through: int = typer.Option(..., "--through", help="warheads that got through"),
    tracking: float = typer.Option(1.0, "--tracking", help="probability that a warhead is tracked (above 0 to 1)"),
    level: float = typer.Option(0.9, "--level", help="the interval's level (between 0 and 1)"),
    as_json: bool = typer.Option(False, "--json", help="print one JSON object"),
):
    """The single-shot kill probability implied by an outcome: FIRED interceptors at WARHEADS warheads, THROUGH
    of them through (the moment and maximum-likelihood estimates and the likelihood-ratio interval)."""
    from .. import kill_probability as kp

    found = kp.implied_pk(fired, warheads, through, tracking=tracking, level=level)
    if as_json:
        typer.echo(json.dumps(found.as_dict(), allow_nan=False))
        return
    typer.echo(found.sentence())

