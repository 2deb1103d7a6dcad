"""The ``shieldcheck`` command line: one command per job, readable text or ``--json``.

Bad input (unknown names, malformed coordinates, impossible parameters, broken data files)
prints one line naming the field, the value and what is allowed, and exits with status 2.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import math
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from typer.core import TyperCommand, TyperGroup

from . import __version__
from .errors import INTERRUPTED, InputError, did_you_mean
from .explorer import DEFAULT_PORT

VALUE_WORDS = {float: "NUMBER", int: "NUMBER", Path: "PATH"}  # what a value option's help shows; else VALUE


def _plain(params: list) -> list:
    """Help without type noise: a flag (``--json``) and an argument show no type, a value option one word
    (VALUE, NUMBER or PATH) saying that it takes one; the help text says what the value is."""
    for param in params:
        if param.param_type_name == "option" and not param.is_flag:
            word = VALUE_WORDS.get(param.type_descriptor.annotation, "VALUE")
        else:
            word = None
        param.display_type_rich = lambda ctx, word=word: word
    return params


class _Command(TyperCommand):
    """A command whose help lists its options without type noise (see :func:`_plain`) and whose
    docstring paragraphs are filled to the terminal's width (rich keeps a docstring's line breaks)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.help:
            import inspect

            self.help = "\n\n".join(" ".join(paragraph.split())
                                     for paragraph in inspect.cleandoc(self.help).split("\n\n"))

    def get_params(self, ctx):
        return _plain(super().get_params(ctx))


class _Group(TyperGroup):
    """The ``shieldcheck`` group, with the same plain help as its commands."""

    def get_params(self, ctx):
        return _plain(super().get_params(ctx))


app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False, cls=_Group,
                  context_settings={"help_option_names": ["-h", "--help"]},
                  help="Open, reproducible technical assessment of ballistic-missile defence.")


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"shieldcheck {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True,
                                       help="print the version and exit")):
    """The group's own options (the help text is the app's)."""


DEFAULT_MISSILE = "Yars"
DEFAULT_LAUNCH = "Teykovo"
DEFAULT_AIM = "New York"


ENDGAME_HELP = ("kinematic (default): the kill vehicle's limits decide which reachable points it can use (closing "
                "speed, crossing angle, divert, track at intercept, operational range); none: reach only, a tail "
                "chase counts")
FLIGHT_PHASE_HELP = ("restrict the intercepts to one phase of the threat's flight: any (default) | boost (to burnout) | "
                     "ascent (post-boost, to apogee) | midcourse (after apogee, above the interceptor's floor) | "
                     "terminal (below it)")
TRAJECTORY_HELP = ("minimum-energy | lofted | depressed, or a shape NAME:KEY=VALUE with KEY apogee_km, "
                   "burnout_angle_deg or apogee_ratio (e.g. depressed:apogee_ratio=0.6)")


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


def _within(option: str, value: float, low: float, high: float, unit: str = "") -> float:
    """One rule for every numeric option: finite and within its physical bounds, else one clear line."""
    if not (isinstance(value, (int, float)) and math.isfinite(value) and low <= value <= high):
        raise InputError(f"{option} = {value!r} is outside {low:,g} to {high:,g}{' ' + unit if unit else ''}")
    return value


def _named(option: str, value: str | None, default: str | None = None) -> str:
    """A name option: its default when not given; an empty or blank value is an error, never the default."""
    if value is None:
        return default
    if not value.strip():
        raise InputError(f"{option} = {value!r} names nothing: give a name"
                         + (f" (or leave the option out for {default!r})" if default else ""))
    return value


def _round(value, digits=3):
    return float(round(float(value), digits))


SOURCES_HELP = "print each source's full citation (default: its key; `shieldcheck catalog sources` lists every key)"


def _table(title: str, columns: list[tuple[str, str]], rows: list[list[str]], width: int | None = None, **options):
    """A rich table that reads in a terminal of ``width`` characters (default: the terminal's; 80 is the
    one tested). ``columns``: (header, kind) with kind ``key`` (a name or a verdict: wraps only between
    words, never cut), ``number`` (never wrapped or cut, right-aligned) or ``text`` (wraps, and folds a
    word too long for its column). Headers carry their units and wrap between words. Where even the
    narrowest layout is too wide, each row is shown as a block of (header, value) lines.

    Rich shares out a narrow terminal unevenly (it may cut a key column while a text column could
    wrap), so the widths are set here: numbers at their width, key columns at least their longest
    word and unwrapped where the room allows (the narrowest first), what is left shared among the
    text columns in proportion to what each would need unwrapped."""
    from rich.console import Console
    from rich.table import Table

    width = width or Console().width
    lines = [[cell.split("\n") for cell in row] for row in rows]
    longest_line = [max([0, *(len(line) for row in lines for line in row[i])]) for i in range(len(columns))]
    longest_word = [max([len(w) for w in header.split()]
                        + [len(w) for row in lines for line in row[i] for w in line.split()]) for i, (header, _)
                    in enumerate(columns)]
    least = [max(longest_line[i], longest_word[i]) if kind == "number" else
             longest_word[i] if kind == "key" else min(12, longest_line[i] or 1) for i, (_, kind) in enumerate(columns)]
    most = [max(longest_line[i], least[i]) for i in range(len(columns))]  # every cell on one line
    natural = [max(most[i], len(header)) for i, (header, _) in enumerate(columns)]  # and the header too
    room = width - (len(columns) + 1) - 2 * len(columns)  # less the borders and each cell's padding
    if sum(least) > room:  # too many columns for the terminal: each row as a block, one line per column
        table = Table(title=title, show_header=False, **options)
        table.add_column("", no_wrap=True, style="bold")
        table.add_column("", overflow="fold")
        for row in rows:
            for i, ((header, _), cell) in enumerate(zip(columns, row)):
                table.add_row(header, cell, end_section=i == len(columns) - 1)
        return table
    widths = None
    if sum(natural) > room:  # names and numbers unwrapped where they can be, then the text, then the headers
        widths, spare = list(least), room - sum(least)
        for i in sorted((i for i, (_, kind) in enumerate(columns) if kind != "text"), key=lambda i: most[i] - least[i]):
            grow = min(most[i] - widths[i], spare)
            widths[i], spare = widths[i] + grow, spare - grow
        for target in (most, natural):
            wish = [max(0, t - w) for t, w in zip(target, widths)]
            share = [min(w, spare * w // sum(wish)) if sum(wish) else 0 for w in wish]
            widths, spare = [w + g for w, g in zip(widths, share)], spare - sum(share)
    table = Table(title=title, **options)
    for i, (header, kind) in enumerate(columns):
        table.add_column(header, justify="right" if kind == "number" else "left",
                         overflow="fold" if kind == "text" else "ellipsis", width=widths[i] if widths else None)
    for row in rows:
        table.add_row(*row)
    return table


def _source_keys(citations) -> list[str]:
    """The sources.toml keys of an output's full citations (``shieldcheck catalog sources`` lists them)."""
    from . import catalog

    cat = catalog.load()
    return [cat.source_key(c) for c in citations]


def _cited(citations, full: bool) -> str:
    """Sources in one line of text: their keys (comma-separated), or their full citations with ``--sources``."""
    return "\n".join(citations) if full else ", ".join(_source_keys(citations))


def _print_sources(console, citations, full: bool) -> None:
    """A readable output's sources: their keys on one line, or each full citation with ``--sources``."""
    if full:
        console.print("[bold]Sources[/bold]")
        for line in citations:
            console.print(f"  - {line}", highlight=False)
    else:
        console.print(f"[bold]Sources[/bold]: {_cited(citations, False)} (in full: --sources; every key: "
                      "shieldcheck catalog sources)", highlight=False)


def _earth_surface(model) -> str:
    """The surface an Earth model measures heights from, in words (the ellipsoid or the sphere)."""
    if model.flattening > 0.0:
        return "the WGS 84 ellipsoid" if model.name.startswith("wgs84") else "the ellipsoid"
    return f"the sphere of radius {model.equatorial_radius_m / 1e3:.1f} km"


def _earth_frame(model) -> str:
    """What an Earth model's speeds and directions are measured against, in words."""
    return "the rotating Earth" if model.rotation_rate_rad_s != 0.0 else "the non-rotating Earth (inertial axes)"


def _flight_json(flights, i: int = 0) -> dict:
    from . import flight as flight_mod

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
        "source_keys": _source_keys(flights.sources),
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
    rows += [("model", f"earth={data['model']['earth']}, atmosphere={data['model']['atmosphere']}"
                       + (f", glide={data['model']['glide']['law']} (L/D {data['model']['glide']['lift_to_drag_ratio']:g})"
                          if "glide" in data["model"] else ""))]
    for key, value in rows:
        table.add_row(key, value)
    console.print(table)
    console.print("[bold]Assumptions[/bold]")
    for line in data["assumptions"]:
        console.print(f"  - {line}")
    _print_sources(console, data["sources"], full_sources)


def _default_pair(missile: str) -> tuple[str, str, str]:
    """``fly --missile NAME`` without ``--from``/``--to``: (launch, aim, why). The default missile flies the
    built-in example; another flies the first pair (launch area, aim point) of the built-in threat sets
    that list it and that it can reach (full-burn maximum range on the bearing, aiming.max_range_m)."""
    from . import catalog
    from . import scenario as scenario_mod
    from .aiming import max_range_m

    cat = catalog.load()
    name = cat.find("missile", missile)
    if name == DEFAULT_MISSILE:
        return DEFAULT_LAUNCH, DEFAULT_AIM, "the built-in example"
    pairs = {}
    for threat in scenario_mod.load("epaa").threats:
        for areas, missiles in threat.launches():
            if name in {cat.find("missile", m) for m in missiles}:
                for area in areas:
                    for aim in threat.aim_points:
                        pairs.setdefault((area, aim), threat.name)
    asked = f"fly --missile {name!r}: give --from LAUNCH and --to AIM (catalog names or LAT,LON)"
    if not pairs:
        country = cat.missiles[name].country
        areas = [n for n, r in cat.sites.items()
                 if r.country == country and r.kind in ("launch-area", "icbm-base", "ssbn-bastion", "test-site")]
        raise InputError(f"{asked}; no built-in threat set flies it; launch areas of {country}: {', '.join(areas)} "
                         "(all sites: `shieldcheck catalog sites`)")
    vehicle = cat.missile(name)
    if vehicle.orbital is None and vehicle.glide is None:  # a ballistic missile: keep the pairs within its reach
        launches = [cat.site(a) for a, _ in pairs]
        aims = [cat.site(b) for _, b in pairs]
        reach_m, distance_m = max_range_m(vehicle, [s.latitude_deg for s in launches],
                                          [s.longitude_deg for s in launches], [s.latitude_deg for s in aims],
                                          [s.longitude_deg for s in aims])
        # 0.98: a margin below the full-burn maximum, so that the chosen flight is one the aiming solves
        reachable = [pair for pair, reach, distance in zip(pairs, reach_m, distance_m) if distance < 0.98 * reach]
        if not reachable:
            raise InputError(f"{asked}; none of its threat-set pairs is within its reach: "
                             + ", ".join(f"{a} -> {b}" for a, b in list(pairs)[:6]) + (" ..." if len(pairs) > 6 else ""))
        launch, aim = reachable[0]
        within = " within its reach"
    else:  # a glide vehicle or a fractional orbit: its threat sets' pairs are within its reach by design
        launch, aim = next(iter(pairs))
        within = ""
    return launch, aim, f"the first pair of the built-in threat set {pairs[(launch, aim)]!r}{within}"


@app.command(cls=_Command)
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
    burnout: Optional[str] = typer.Option(None, help="fly from a burnout state (no boost): LAT,LON, ALT_KM, SPEED_KM_S, GAMMA_DEG, AZIMUTH_DEG "
                                                       "as six comma-separated numbers"),
    earth: str = typer.Option("wgs84-j2-rotating", help="wgs84-j2-rotating | wgs84-pointmass-rotating | spherical-nonrotating"),
    atmosphere: str = typer.Option("ussa1976", help="ussa1976 | none"),
    full_sources: bool = typer.Option(False, "--sources", help=SOURCES_HELP),
    as_json: bool = typer.Option(False, "--json", help="print one JSON object"),
):
    """Fly a missile from a launch site to an aim point, or a re-entry vehicle from a burnout state."""
    from . import catalog, flight

    if burnout is not None:
        if from_ is not None or to is not None:
            raise InputError("--burnout flies from a burnout state: do not give --from or --to with it")
        shaped = [f"--{k.replace('_', '-')}" for k, v in (("trajectory", trajectory != "minimum-energy"),
                  ("burnout_angle_deg", burnout_angle_deg is not None), ("apogee_km", apogee_km is not None),
                  ("apogee_ratio", apogee_ratio is not None)) if v]
        if shaped:
            raise InputError(f"--burnout flies from a burnout state: {', '.join(shaped)} shape(s) a launch and do "
                             "not apply to it")
        lat, lon, alt_km, speed_km_s, gamma_deg, azimuth_deg = _parse_burnout(burnout)
        vehicle = catalog.missile(_named("--missile", missile, DEFAULT_MISSILE))
        flights = flight.fly_burnout(lat, lon, alt_km * 1e3, speed_km_s * 1e3, gamma_deg, azimuth_deg, vehicle,
                                     earth=earth, atmosphere=atmosphere, history=False)
    else:
        from .aiming import fly as aim_and_fly

        missile = _named("--missile", missile, DEFAULT_MISSILE)
        chosen = None
        if from_ is None and to is None:
            from_, to, why = _default_pair(missile)
            chosen = f"route: {from_} to {to}, {why} (no --from and --to given)"
        flights = aim_and_fly(missile, _named("--from", from_, DEFAULT_LAUNCH), _named("--to", to, DEFAULT_AIM),
                              trajectory=trajectory, burnout_angle_deg=burnout_angle_deg, apogee_km=apogee_km,
                              apogee_ratio=apogee_ratio,
                              earth=earth, atmosphere=atmosphere, history=False)
    data = _flight_json(flights)
    if burnout is None:
        data["route"] = {"from": from_, "to": to, "chosen": chosen}
        if chosen:
            data["assumptions"].insert(0, chosen)
    glide = catalog.missile(missile or DEFAULT_MISSILE).glide
    if glide is not None:  # a boost-glide vehicle: its glide model is an assumption of the flight
        data["model"]["glide"] = {k: v for k, v in dataclasses.asdict(glide).items() if v is not None}
        data["assumptions"].insert(0, glide.summary)
    if as_json:
        typer.echo(json.dumps(data, allow_nan=False))
    else:
        _print_flight(data, full_sources)


@app.command(cls=_Command)
def engage(
    missile: str = typer.Option(DEFAULT_MISSILE, help="threat missile"),
    from_: str = typer.Option(DEFAULT_LAUNCH, "--from", help="threat launch site: catalog name or LAT,LON"),
    to: str = typer.Option(DEFAULT_AIM, help="threat aim point: catalog name or LAT,LON"),
    interceptor: str = typer.Option("SM-3 Block IIA", help="catalog interceptor"),
    site: str = typer.Option("Redzikowo", help="interceptor site: catalog name or LAT,LON"),
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

    from . import catalog
    from .aiming import fly as aim_and_fly
    from .engagement import Cueing, flight_phase_code
    from .engagement import engage as engage_pair
    from .endgame import for_interceptor as endgame_for
    from .scenario import LIMITS  # the same bounds as a scenario's assumptions

    cat = catalog.load()
    for option, value in (("--missile", missile), ("--from", from_), ("--to", to), ("--interceptor", interceptor),
                          ("--site", site), *(("--sensor", name) for name in sensor)):
        _named(option, value)
    cue_note = None
    if cueing is None:  # the scenarios' bounding cue, read from the scenario (one source for both)
        from .scenario import BOUNDING_SCENARIO, bounding_cue

        bound, commit_s = bounding_cue()
        cueing = bound.value
        cue_note = (f"default cue: the bounding cue of the built-in scenario {BOUNDING_SCENARIO} ({bound.value}, "
                    f"{bound.source}, {'estimate' if bound.estimate else 'published'}); its bounding rows launch "
                    f"{commit_s:g} s after that cue (bounding_decision_time_s plus launch_delay_s), this pair "
                    f"{launch_delay:g} s after it (--launch-delay)")
    rule = Cueing.parse(cueing)
    _endgame_model(endgame)
    flight_phase_code(flight_phase, "--flight-phase")
    _within("--launch-delay", launch_delay, *LIMITS["launch_delay_s"], "s")
    _within("--shoot-look-shoot-s", shoot_look_shoot, *LIMITS["shoot_look_shoot_s"], "s")
    _within("--rcs-m2", rcs_m2, *LIMITS["rcs_m2"], "m^2")
    if sensor and not rule.remote:
        raise InputError(f"--sensor is used by --cueing remote or engage-remote only, not with --cueing {cueing}: "
                         "drop --sensor or cue remotely")
    if sector_buffer_km is not None and sector is None:
        raise InputError("--sector-buffer-km grows a sector: give --sector COUNTRY[,COUNTRY...] with it")
    sector_buffer_km = 0.0 if sector_buffer_km is None else sector_buffer_km
    kill = cat.interceptor(interceptor)
    speed_note = f"catalog stage model, burnout speed {kill.burnout_speed_m_s / 1e3:g} km/s"
    if burnout_speed_km_s is not None:
        from .reach import with_burnout_speed

        _within("--burnout-speed-km-s", burnout_speed_km_s, 0.5, 12.0, "km/s")
        kill = with_burnout_speed(kill, burnout_speed_km_s * 1e3)
        speed_note = (f"stage model rescaled to a burnout speed of {burnout_speed_km_s:g} km/s "
                      "(reach.with_burnout_speed: one stated parameter)")
    defence = cat.site(site)
    sensors = tuple(cat.sensor(name) for name in sensor)
    own = None
    if rule.rule == "own":
        mine = [n for n, r in cat.sensors.items() if r.site and r.site == defence.name]
        if not mine:
            raise InputError(f"cueing 'own': no catalog radar stands at the interceptor site {defence.name!r}; "
                             "use --cueing remote with --sensor NAME, or delay:SECONDS")
        own = cat.sensor(mine[0])
    if rule.remote and not sensors:
        raise InputError(f"cueing {rule.rule!r} names no sensor: give --sensor NAME (see `shieldcheck catalog sensors`)")
    kill_vehicle = endgame_for(cat.find("interceptor", interceptor), endgame)
    mask = None
    if sector is not None:
        from . import geography
        from .engagement import SectorMask

        _within("--sector-buffer-km", sector_buffer_km, 0.0, 2_000.0, "km")
        countries = [c.strip() for c in sector.split(",") if c.strip()]
        if not countries:
            raise InputError(f"--sector {sector!r} names no country")
        mask = SectorMask.of(geography.sector(f"{', '.join(countries)} (+{sector_buffer_km:g} km)", countries,
                                              sector_buffer_km))
    if plot is not None:
        _plot_path(plot)
    flights = aim_and_fly(missile, from_, to, trajectory=trajectory, history=True)
    result = engage_pair(flights.trajectory_of(0), kill, defence, cueing=rule, sensors=sensors, own_radar=own,
                         launch_delay_s=launch_delay, shoot_look_shoot_s=shoot_look_shoot, rcs_m2=rcs_m2,
                         burnout_time_s=float(flights.burnout_time_s[0]), sector=mask, endgame=kill_vehicle,
                         apogee_time_s=float(flights.apogee_time_s[0]), flight_phase=flight_phase)
    if plot is not None:
        from .report.battlespace import plot_pair

        plot_pair(flights.trajectory_of(0), kill, defence, result, endgame=kill_vehicle,
                  guides=rule.guides(sensors, own), rcs_m2=rcs_m2,
                  title=f"{kill.name} at {defence.name} against {flights.missile_names[0]} {from_} -> {to}: "
                        f"{result.verdict.name.lower()}", path=plot)
    used = [s for s in ((own,) if own else sensors)]
    sources = list(dict.fromkeys([*flights.sources, *kill.vehicle.sources, *cat.site_sources(site)]))
    for s in used:
        sources += [c for c in cat.citations(cat.record_sources("sensor", s.name)) if c not in sources]
    data = {
        "verdict": result.verdict.name.lower(), "message": result.message,
        "margin_s": round(result.margin_s, 2) if result.verdict.name in ("FEASIBLE", "TOO_LATE", "BEYOND_SECTOR")
        else None,  # as in results.parquet: null where no margin applies
        "usable_margin_s": None if result.usable_margin_s is None else round(result.usable_margin_s, 2),
        "interceptor_launch_s": None if result.interceptor_launch_s is None else round(result.interceptor_launch_s, 2),
        "window": result.window, "shots": result.shots, "intercept_point": result.intercept_point,
        "detection": result.detection,
        "threat": {"missile": flights.missile_names[0], "range_km": round(float(flights.range_km[0]), 1),
                   "flight_time_s": round(float(flights.flight_time_s[0]), 1),
                   "apogee_km": round(float(flights.apogee_km[0]), 1), "trajectory": flights.trajectory},
        "interceptor": {"name": kill.name, "site": defence.name, "lat_deg": defence.latitude_deg,
                        "lon_deg": defence.longitude_deg, "burnout_speed_km_s": kill.burnout_speed_m_s / 1e3},
        "sensors": [s.name for s in used],
        "assumptions": {**result.assumptions, **({"default_cue": cue_note} if cue_note else {}),
                        "threat_aiming": list(flights.notes), "interceptor_speed": speed_note,
                        "reach": "earliest arrival from fly-out fans (gravity turn and held attitude) of the "
                                 "interceptor's stage model, per 10 deg latitude and 45 deg azimuth bin"},
        "sources": sources,
        "source_keys": _source_keys(sources),
    }
    if as_json:
        typer.echo(json.dumps(data, allow_nan=False))
        return
    from rich.console import Console

    console = Console()
    console.print(f"[bold]{kill.name}[/bold] at {defence} against {flights.missile_names[0]} "
                  f"{from_} -> {to} ({data['threat']['range_km']:,.0f} km)")
    console.print(f"[bold]{data['verdict']}[/bold]: {data['message']}")
    if result.window:
        w = result.window
        console.print(f"window {w['earliest_s']:.0f}-{w['latest_s']:.0f} s, altitude {w['min_altitude_km']:.0f}-"
                      f"{w['max_altitude_km']:.0f} km, {result.shots} shot(s); threat's flight phase: "
                      f"{', '.join(w['flight_phases'])}")
        p = result.intercept_point
        divert = "" if p["divert_needed_m_s"] is None else f", divert needed {p['divert_needed_m_s']:,.0f} m/s"
        console.print(f"at the intercept point: closing speed {p['closing_speed_km_s']:.1f} km/s, crossing angle "
                      f"{p['crossing_angle_deg']:.0f} deg (0 = head-on){divert}", highlight=False)
    for seen in (result.detection or {}).get("sensors", []):
        if seen["never"]:
            text = f"never seen: {seen['never']}"
        else:
            track = "no track established" if seen["track_s"] is None else f"track {seen['track_s']:.0f} s"
            gaps = "".join(f", lost {a:.0f}-{b:.0f} s" for a, b in seen["gaps_s"])
            text = f"first detection {seen['first_s']:.0f} s, {track}{gaps}"
        console.print(f"  {seen['sensor']}: {text}", highlight=False)
    if result.interceptor_launch_s is not None:
        console.print(f"interceptor launch {result.interceptor_launch_s:.0f} s after the threat's", highlight=False)
    console.print("[bold]Assumptions[/bold]")
    for key, value in data["assumptions"].items():
        console.print(f"  - {key}: {value}", highlight=False)
    _print_sources(console, sources, full_sources)


class Kind(str, Enum):
    missiles = "missiles"
    sites = "sites"
    interceptors = "interceptors"
    sensors = "sensors"
    scenarios = "scenarios"
    sources = "sources"


def _number(value, spec: str = ",g") -> str:
    return "—" if value is None else format(value, spec)


@app.command("catalog", cls=_Command)
def catalog_command(
    kind: Kind = typer.Argument(Kind.missiles, help="missiles | sites | interceptors | sensors | scenarios | "
                                                    "sources (every source key with its full citation)"),
    full_sources: bool = typer.Option(False, "--sources", help=SOURCES_HELP),
    as_json: bool = typer.Option(False, "--json", help="print JSON"),
):
    """List catalog entries with their sources."""
    from rich.console import Console

    from . import catalog

    cat = catalog.load()
    entries, rows = [], []
    if kind == Kind.missiles:
        for name, record in cat.missiles.items():
            m = cat.missile(name)
            entries.append({"name": name, "aliases": record.aliases, "country": record.country, "role": record.role,
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
            rows.append([name, e["country"], e["role"], str(e["stages"]), f"{e['launch_mass_kg'] / 1e3:,.1f}",
                         _number(e["published_range_km"], ",.0f"), f"{e['warheads']:g}"])
        columns = [("name", "key"), ("country", "key"), ("role", "key"), ("stages", "number"),
                   ("mass (t)", "number"), ("range (km)", "number"), ("warheads", "number")]
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
                            "track_time_s": record.track_time_s.value, "summary": record.summary,
                            "sources": cat.citations(cat.record_sources("sensor", name))})
            e = entries[-1]
            rows.append([name, e["kind"], _number(e["reference_range_km"], ",.0f"), _number(e["reference_rcs_m2"]),
                         f"{e['track_time_s']:g}"])
        columns = [("name", "key"), ("kind", "key"), ("range (km)", "number"), ("at RCS (m²)", "number"),
                   ("track (s)", "number")]
    elif kind == Kind.scenarios:
        from . import scenario as scenario_mod

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
    elif kind == Kind.sources:
        for key, record in cat.sources.items():
            entries.append({"key": key, "citation": record.citation, "url": record.url, "accessed": record.accessed,
                            "file": record.file})
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
            e["source_keys"] = _source_keys(e["sources"])
        typer.echo(json.dumps(entries, allow_nan=False))
        return
    console = Console()
    console.print(_table(f"shieldcheck catalog: {kind.value}", columns, rows))
    if kind == Kind.sources:
        return
    if full_sources:
        console.print("[bold]Sources[/bold]")
        for e in entries:
            console.print(f"  {e['name']}:", highlight=False)
            for line in e["sources"]:
                console.print(f"    - {line}", highlight=False)
    else:
        console.print("[bold]Sources[/bold] (keys; in full: --sources; every key: shieldcheck catalog sources)")
        for e in entries:
            console.print(f"  {e['name']}: {_cited(e['sources'], False)}", highlight=False)


def _progress(unit: str | None = None):
    """A rich progress bar and the ``progress(done, total, what)`` callback that drives it; with a ``unit``
    (``"cases"``) it also shows the rate since the first call and the time remaining."""
    import time

    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn, \
        TimeRemainingColumn

    columns = [TextColumn("{task.description}"), BarColumn()]
    if unit:
        columns += [TextColumn(f"{{task.completed:,}}/{{task.total:,}} {unit}"), TaskProgressColumn(),
                    TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TimeRemainingColumn()]
    else:
        columns += [TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn()]
    bar = Progress(*columns, transient=True)
    task = bar.add_task("starting", total=1, rate="")
    began = {}

    def update(done: int, total: int, what: str) -> None:
        t0, done0 = began.setdefault("t", (time.perf_counter(), done))
        rate = (done - done0) / max(1e-9, time.perf_counter() - t0)
        bar.update(task, completed=done, total=total, description=what,
                   rate=f"{rate:,.2f} {unit}/s" if unit and done > done0 else "")

    return bar, update


def _summary_table(title: str, rows: list[dict], odds=None):
    """One row per phase: engageable flights of each threat set and cue basis, and the best Russian margin; with
    ``odds`` (an uncertainty run) each count's range over the cases beside it."""

    def spread(phase: str, purpose: str, basis: str, central: int) -> str:
        found = odds.count_range(phase, purpose, basis, central) if odds is not None else ""
        return f" ({found})" if found else ""

    def margin(value):
        return "—" if value is None else f"{value:+.0f} s"

    cells = []
    for r in rows:
        bounding = (f"{r['russian_bounding_engageable']}/{r['russian_bounding_flights']}"
                    + (f" ({r['russian_bounding_beyond_sector']} only beyond sector)"
                       if r["russian_bounding_beyond_sector"] else "")
                    if r["russian_bounding_flights"] else "—")
        best = r["russian_bounding_best_margin_s"] if r["russian_bounding_flights"] else r["russian_architecture_best_margin_s"]
        if r["russian_bounding_flights"]:
            bounding += spread(r["phase"], "russian-concern", "bounding", r["russian_bounding_engageable"])
        cells.append([r["phase"] + (f" (cancelled {r['cancelled']})" if r["cancelled"] else ""), r["date"],
                      f"{r['stated_architecture_engageable']}/{r['stated_architecture_flights']}"
                      + spread(r["phase"], "stated", "architecture", r["stated_architecture_engageable"]),
                      f"{r['russian_architecture_engageable']}/{r['russian_architecture_flights']}"
                      + spread(r["phase"], "russian-concern", "architecture", r["russian_architecture_engageable"]),
                      bounding,
                      margin(best)])
    return _table(title, [("phase", "key"), ("date", "key"), ("Iranian flights engageable", "key"),
                          ("Russian engageable (architecture cue)", "key"), ("Russian engageable (bounding cue)", "key"),
                          ("best Russian margin", "key")], cells)


#: Cases of the uncertainty run every `assess` makes by default (about 3 s each on the EPAA on 2 cores).
ASSESS_UNCERTAINTY_CASES = 8


def _assess(chosen, out: Path, uncertainty=None):
    """Assess a loaded scenario and write its outputs into ``out``, with a progress bar that moves with
    the work (flights aimed and flown, sites assessed, report sections written). ``uncertainty``:
    (sweep plan, ranges left out), swept into ``out/uncertainty`` before the report is written."""
    from . import assess as assess_mod

    bar, update = _progress()
    with bar:
        result = assess_mod.assess(chosen, work_dir=out / ".work", cache_dir=_shared_work_dir(),
                                   progress=update)
        odds = None
        if uncertainty is not None:
            from . import aggregate
            from . import sweep as sweep_mod

            plan, left_out = uncertainty
            from .report.sweep import write_summary

            sweep_mod.run(plan, out / "uncertainty", progress=lambda done, total, what: update(
                done, total, "evaluating the catalog's ranges (cases)"), write_page=write_summary)
            odds = aggregate.sweep_odds(out / "uncertainty", left_out)
            odds.plan = plan
        html = _write_outputs(result, out, update, odds)
    return result, html, odds


OUTPUT_KINDS = {"results.parquet": "file", "flights.parquet": "file", "report.html": "file", "attrition.json": "file",
                "compare.json": "file", "compare.html": "file", "guarantee.json": "file", "guarantee.png": "file",
                "footprint.png": "file", "footprint.parquet": "file", "footprint.json": "file", "figures": "folder",
                ".work": "folder", "manifest.json": "file", "cases.parquet": "file", "results": "folder",
                "flights": "folder", "summary.json": "file", "summary.html": "file",
                "uncertainty": "folder", "scene.czml": "file", "scene.kml": "file", "tracks.parquet": "file",
                "scenario.json": "file"}  # what the commands write into an output folder


def _shared_work_dir() -> Path:
    """The work cache shared by every command and output folder (``assess.shared_work_dir``)."""
    from .assess import shared_work_dir

    return shared_work_dir()


def _plot_path(path: Path) -> Path:
    """``--plot FILE``: a .png in a folder that exists, checked before any work."""
    if path.suffix.lower() != ".png":
        raise InputError(f"--plot {str(path)!r}: give a file name ending in .png")
    if path.is_dir() or not path.parent.is_dir():
        raise InputError(f"--plot {str(path)!r}: {'is a folder' if path.is_dir() else 'its folder does not exist'}; "
                         "give a .png file in an existing folder")
    return path


def _endgame_line(chosen) -> str:
    """The endgame model a run used, in one line (every output states its model switches)."""
    a = chosen.assumptions
    if a.endgame_model() == "none":
        return "Endgame: none (reach only: a point reached in time counts, a tail chase included)"
    return (f"Endgame: kinematic (a point counts only where the kill vehicle meets the warhead within its catalog "
            f"limits: crossing angle, closing speed, divert with a track velocity error of "
            f"{a.velocity_error_m_s():g} m/s, operational range, a radar track for engage-on-remote); bounding cue "
            f"{a.bounding_cueing.value if a.bounding_cueing else 'none'} plus {a.bounding_launch_delay_s():g} s to "
            "launch; --endgame none for reach only")


def _endgame_model(endgame: str) -> str:
    """``--endgame`` checked: one of ``endgame.ENDGAME_MODELS``."""
    from .endgame import ENDGAME_MODELS

    if endgame not in ENDGAME_MODELS:
        raise InputError(f"--endgame {endgame!r} is not an endgame model{did_you_mean(endgame, ENDGAME_MODELS)}; "
                         f"allowed: {', '.join(ENDGAME_MODELS)}")
    return endgame


def _with_endgame(chosen, endgame: str | None):
    """The scenario with its endgame model replaced by ``--endgame`` (unchanged when not given)."""
    return chosen if endgame is None else chosen.with_endgame(_endgame_model(endgame))


def _output_folder(out: Path) -> Path:
    """Create the output folder, or say in one line why it cannot be; refuse, before any work, an output
    that exists as the wrong kind of file (a folder where a table goes, a file where a folder goes)."""
    for name, kind in {out.name: "folder", **{f"{out.name}/{k}": v for k, v in OUTPUT_KINDS.items()}}.items():
        path = out.parent / name
        if path.exists() and (path.is_dir() if kind == "file" else not path.is_dir()):
            found = "a folder" if path.is_dir() else "not a folder"
            raise InputError(f"--out {str(out)!r}: {str(path)!r} is {found}, where shieldcheck writes a {kind}; "
                             "move it away or give another folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".shieldcheck-write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as error:
        raise InputError(f"--out {str(out)!r}: cannot write there ({error.strerror or error}); "
                         "give a folder you can write to") from None
    return out


@contextlib.contextmanager
def _exclusive(out: Path):
    """Hold the output folder for this run: a second run into the same folder is refused in one line,
    never interleaved (an advisory lock, released when the process ends, however it ends)."""
    import fcntl

    handle = open(out / ".shieldcheck.lock", "a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise InputError(f"--out {str(out)!r}: another shieldcheck run is writing there; wait for it to finish "
                         "or give another folder") from None
    try:
        yield
    finally:
        handle.close()


def _write_outputs(result, out: Path, progress=None, uncertainty=None) -> Path:
    """results.parquet, flights.parquet, attrition.json and the report of an assessment into ``out``; the
    report's path."""
    import pyarrow.parquet as pq

    from . import assess as assess_mod
    from . import atomic, attrition

    from .report.html import write_report

    def write(table, path: Path) -> None:  # through a temporary name: a killed run leaves no final-looking table
        atomic.write(path, lambda partial: pq.write_table(table, partial))

    write(result.results, out / "results.parquet")
    write(assess_mod.flights_table(result.flights), out / "flights.parquet")
    from .explorer.results import write_view

    write_view(result, out)
    atomic.write_text(out / "attrition.json", json.dumps(attrition.numbers(result), indent=1, allow_nan=False))
    from . import footprint

    areas = footprint.defended_areas(result.scenario,
                                     progress=(lambda done, total, what: progress(done, total, what)) if progress else None)
    from . import guarantee as guarantee_mod

    limits = guarantee_mod.for_assessment(result, progress=(lambda done, total, what: progress(
        done, total, f"guarantee: {what}")) if progress else None)
    key = next(((g.phase, x) for g in limits for x in g.limits if x.speeds_km_s and x.n_russian), None)
    if uncertainty is not None and uncertainty.plan is not None and key is not None:
        uncertainty.guarantee = guarantee_mod.limit_ranges(uncertainty.plan, result, *key, progress=progress)
    from . import early_phase

    early = early_phase.for_assessment(result, progress=progress)
    return write_report(result, out, progress, footprints=areas, uncertainty=uncertainty, guarantees=limits,
                        early_phase=early)


def _numbers_table(numbers: dict):
    """One row per phase: the numbers game (attrition.json) in brief."""
    a = numbers["assumptions"]
    pk, doctrine, told = a["single_shot_pk"], a["shot_doctrine"], a["deterrent"]
    title = (f"The numbers game: Pk {pk['value']:g}{' (notional)' if pk['estimate'] else ''}, doctrine "
             f"{doctrine['value']}, {a['decoys_per_warhead']['value']} decoys per warhead; warheads destroyed at most, "
             f"of {told['name']}'s {told['warheads']:,}")
    bases = [b for b in ("architecture", "bounding") if numbers["phases"] and b in numbers["phases"][0]["russian"]]
    short = {"architecture": "arch.", "bounding": "bound."}
    cue = " / ".join(short[b] for b in bases)
    columns = [("phase", "key"), (f"Russian engageable ({cue} cue)", "key"), ("interceptors at engaging sites", "key"),
               (f"warheads destroyed at most ({cue})", "key"),
               *((f"raid '{r['name']}', {r['missiles']:,} missiles: leaking warheads", "key") for r in numbers["raids"]),
               (f"at test-record Pk p5-p95: destroyed ({short[bases[-1]]}); raid leakers (arch.)", "key")]
    rows = []
    for p in numbers["phases"]:
        cells = [p["phase"] + (" (cancelled)" if p["cancelled"] else "")]
        cells.append(" / ".join(f"{p['russian'][b]['engageable_flights']}/{p['russian'][b]['flights']}" for b in bases))
        last = p["russian"][bases[-1]]
        stock = f"{last['interceptors_stated']:,}" if last["engageable_flights"] else "—"
        if last["sites_without_count"]:
            stock += " + not stated: " + ", ".join(last["sites_without_count"])
        cells.append(stock)
        cells.append(" / ".join(f"{p['russian'][b]['destroyed_at_most']:,.1f}" for b in bases)
                     + f" ({100 * last['deterrent_fraction']:.2f} %)")
        for raid in p["raids"]:
            r = raid["architecture"]
            cells.append("—" if r["expected_leaking_warheads"] is None else
                         f"{r['expected_leaking_warheads']:,.2f} of {r['raid_warheads']:,.0f}"
                         + (" (inventory exhausted)" if any(s["exhausted"] for s in r["sites"]) else ""))
        v = last["destroyed_at_most_test_records"]  # the test-record posterior's interval (attrition.py)
        cells.append(f"{v['at_pk_p05']:,.1f}-{v['at_pk_p95']:,.1f}" + "".join(
            f"; {x['architecture']['expected_leaking_warheads_test_records']['at_pk_p95']:,.2f}-"
            f"{x['architecture']['expected_leaking_warheads_test_records']['at_pk_p05']:,.2f}"
            for x in p["raids"] if x["architecture"]["expected_leaking_warheads"] is not None))
        rows.append(cells)
    return _table(title, columns, rows)


@app.command(cls=_Command)
def assess(
    scenario: str = typer.Argument("epaa", help="built-in scenario (epaa, sectoral, third-site-2007) or a TOML file"),
    out: Path = typer.Option(None, "--out", help="output folder (default ./shieldcheck-SCENARIO)"),
    endgame: Optional[str] = typer.Option(None, help="override the scenario's endgame model: " + ENDGAME_HELP),
    flight_phase: Optional[str] = typer.Option(
        None, "--flight-phase", help="override the scenario's flight_phase: " + FLIGHT_PHASE_HELP),
    pk_prior: Optional[str] = typer.Option(None, "--pk-prior", help=(
        "A,B: the Beta prior of the single-shot Pk posterior from the test records (default the scenario's "
        "pk_prior, else the uniform 1,1); each above 0")),
    uncertainty: int = typer.Option(ASSESS_UNCERTAINTY_CASES, help=(
        "evaluate N Latin-hypercube cases over the ranges the catalog and the scenario give (OUT/uncertainty): "
        "beside each answer its range over them and the parameter that moves it most, beside each verdict its "
        f"probability; {ASSESS_UNCERTAINTY_CASES} by default, a size that keeps the quick start within two minutes on "
        "2 cores (0: none; 256 for ranges and rankings that settle)")),
):
    """Every phase against every threat set: a report with its tables and figures.

    Writes report.html, figures/*.png, results.parquet, flights.parquet and attrition.json (the numbers
    game: inventories, kill probability, doctrine, raids)."""
    import time

    from rich.console import Console

    from . import assess as assess_mod
    from . import scenario as scenario_mod

    start = time.perf_counter()
    chosen = _with_endgame(scenario_mod.load(scenario), endgame)  # before anything is written
    if flight_phase is not None:
        chosen = chosen.with_flight_phase(flight_phase)
    if pk_prior is not None:  # the Beta prior of the test-record Pk posterior (kill_probability.py)
        from .kill_probability import parse_prior

        chosen = chosen.with_pk_prior(*parse_prior(pk_prior, "--pk-prior"))
    swept = None
    if isinstance(uncertainty, bool) or uncertainty < 0:
        raise InputError(f"--uncertainty {uncertainty}: give a number of cases (0: none)")
    if uncertainty:
        from . import sweep as sweep_mod

        bands, left_out = sweep_mod.catalog_bands(chosen)
        if not bands:
            raise InputError(f"--uncertainty {uncertainty}: neither the catalog nor the scenario gives a range to the "
                             "values its verdicts depend on")
        swept = (sweep_mod.plan(chosen, bands, samples=uncertainty, seed=0), left_out)
    out = _output_folder(out or Path(f"shieldcheck-{Path(scenario).stem}"))
    with _exclusive(out):
        result, html, odds = _assess(chosen, out, swept)
        result.run_s = time.perf_counter() - start
    console = Console()
    console.print(_summary_table(f"{result.scenario.title}", assess_mod.summary(result), odds))
    for basis in ("architecture", "bounding"):
        first = assess_mod.emergence(result, basis)
        console.print(f"When a Russian ICBM/SLBM bound for the US first becomes engageable ({basis} cue): "
                      + (f"{first['phase']} ({first['date']})" if first else "in none of the assessed phases")
                      + (f" (over the cases: {odds.emergence_words(basis)}; {odds.mover_words(('emergence', basis))})"
                         if odds is not None and odds.emergence_words(basis) else ""),
                      highlight=False)
    console.print(_endgame_line(result.scenario), highlight=False)
    if odds is not None:
        console.print(f"How sure: (ranges) over {uncertainty:,} Latin-hypercube cases of {len(swept[0].parameters)} "
                      f"ranges of the catalog and the scenario ({len(swept[1])} left out, each with its reason). "
                      f"Iranian flights engaged: {odds.mover_words(('stated', 'architecture'))}. Russian flights "
                      f"engageable (bounding cue): {odds.mover_words(('russian-concern', 'bounding'))}."
                      + (f" Speed limit at {odds.limit_words()}." if odds.guarantee else "")
                      + f" P(engageable) beside each verdict in the report; {out / 'uncertainty' / 'summary.html'}",
                      highlight=False)
    console.print(_numbers_table(json.loads((out / "attrition.json").read_text())))
    console.print(f"Wrote {html}, {out / 'results.parquet'} ({result.results.num_rows} rows), "
                  f"{out / 'flights.parquet'}, {out / 'attrition.json'}, {out / 'scene.czml'} and {out / 'scene.kml'} "
                  f"(shieldcheck serve {out} shows it on a globe); run time {time.perf_counter() - start:.1f} s",
                  highlight=False)


def _sweep(option: str, text: str, low: float, high: float) -> tuple[float, ...]:
    """Values of FROM:TO:STEP (inclusive) or a comma-separated list, each within [low, high]."""
    import numpy as np

    try:
        if ":" in text:
            start, stop, step = (float(v) for v in text.split(":"))
            if not step > 0 or stop < start:
                raise ValueError
            values = tuple(float(v) for v in np.round(np.arange(start, stop + step / 2, step), 6))
        else:
            values = tuple(float(v) for v in text.split(","))
    except ValueError:
        raise InputError(f"{option} {text!r}: expected FROM:TO:STEP with STEP > 0 and TO >= FROM, or a comma list "
                         "of numbers") from None
    bad = [v for v in values if not (math.isfinite(v) and low <= v <= high)]
    if bad or not values or len(values) > 200:
        raise InputError(f"{option} {text!r}: values must lie within {low:g} to {high:g}, at most 200 of them")
    return values


@app.command(cls=_Command)
def guarantee(
    scenario: str = typer.Argument("epaa", help="built-in scenario or a TOML file"),
    phase: Optional[str] = typer.Option(None, help="phase to examine (default: the last)"),
    site: list[str] = typer.Option([], help="only these interceptor sites of the phase (repeat for several)"),
    speeds: str = typer.Option("2.0:7.0:0.5", help="burnout speeds to sweep, km/s: FROM:TO:STEP or a comma list"),
    delays: str = typer.Option("0:900:30", help="launch delays to sweep, s: FROM:TO:STEP or a comma list"),
    out: Path = typer.Option(None, "--out", help="folder for guarantee.png and guarantee.json (default ./shieldcheck-SCENARIO)"),
    endgame: Optional[str] = typer.Option(None, help="override the scenario's endgame model: " + ENDGAME_HELP),
):
    """Per interceptor site: the largest burnout speed and the earliest cue at which no Russian flight is engageable."""
    from rich.console import Console

    from . import guarantee as guarantee_mod
    from . import scenario as scenario_mod

    chosen = _with_endgame(scenario_mod.load(scenario), endgame)
    speeds_km_s = _sweep("--speeds", speeds, 0.5, 12.0)
    delays_s = _sweep("--delays", delays, 0.0, 7_200.0)
    if phase is not None:
        chosen.phase(phase)
    out = _output_folder(out or Path(f"shieldcheck-{Path(scenario).stem}"))
    bar, update = _progress()
    with _exclusive(out), bar:
        phase_name, limits, _ = guarantee_mod.guarantee(chosen, phase=phase, sites=site or None, speeds_km_s=speeds_km_s,
                                                        delays_s=delays_s, work_dir=out / ".work",
                                                        cache_dir=_shared_work_dir(), progress=update)

    def share(value):
        return "—" if value is None else f"{100 * value:.0f} %"

    table = _table(f"{chosen.title}: {phase_name}: limits at which no Russian ICBM/SLBM flight is engageable",
                   [("site", "key"), ("interceptor", "key"), ("catalog speed", "key"), ("cue (speed sweep)", "key"),
                    ("speed limit", "text"), ("Iranian covered at it", "key"), ("earliest cue (delay)", "text"),
                    ("Iranian covered at it", "key")],
                   [[limit.site, limit.interceptor, f"{limit.catalog_speed_km_s:.2f} km/s", limit.cueing,
                     limit.speed_limit_words(), share(limit.stated_share_at_speed_limit), limit.cueing_limit_words(),
                     share(limit.stated_share_at_cueing_limit)] for limit in limits])
    console = Console()
    console.print(table)
    a = chosen.assumptions
    n_russian = limits[0].n_russian if limits else 0
    n_stated = limits[0].n_stated if limits else 0
    for line in (
            f"threat set: {n_russian} Russian ICBM/SLBM flights bound for the US and {n_stated} Iranian flights that "
            "their missiles can fly (the scenario's threat sets)",
            "speed sweep: each interceptor's stage model rescaled by one stated parameter to each burnout speed "
            "(reach.with_burnout_speed); cue: the scenario's bounding cue where it states one, which ignores where "
            "the radars look, so that the limit holds whatever the sensors",
            "cue sweep: the interceptor launched the given seconds after the threat's launch, at its catalog speed",
            "a limit is the largest speed (earliest delay) with no Russian flight engageable there or at any slower "
            "speed (later delay) swept",
            f"launch delay {a.launch_delay_s.value:g} s, radar cross-section {a.rcs_m2.value:g} m^2, the sites' "
            "altitude bands and sectors: as in the scenario; physics-only feasibility (no kill probability)",
            _endgame_line(chosen)):
        console.print(f"  - {line}", highlight=False)
    from .report.figures import guarantee_chart

    guarantee_mod.write(phase_name, limits, chosen, out, draw_chart=guarantee_chart)
    console.print(f"Wrote {out / 'guarantee.png'} and {out / 'guarantee.json'}", highlight=False)


@app.command(cls=_Command)
def footprint(
    scenario: str = typer.Argument(..., help="built-in scenario (epaa, sectoral, third-site-2007) or a TOML file"),
    phase: str = typer.Option(..., help="phase of the scenario"),
    site: list[str] = typer.Option([], help="only these interceptor sites of the phase (repeat for several)"),
    launch: str = typer.Option(..., help="threat launch area: catalog name or LAT,LON"),
    missile: str = typer.Option(..., help="threat missile (catalog name)"),
    region: str = typer.Option("europe", help="europe | us | LAT0,LON0,LAT1,LON1 (south-west and north-east corners)"),
    grid_km: float = typer.Option(50.0, "--grid-km", help="cell size, km (equal-area square cells)"),
    cue_basis: str = typer.Option("architecture", "--cue-basis",
                                  help="architecture (each site's own cueing) | bounding (the scenario's bounding cue)"),
    out: Path = typer.Option(None, "--out", help="folder for footprint.png, footprint.parquet and footprint.json "
                                                 "(default ./shieldcheck-SCENARIO)"),
    as_json: bool = typer.Option(False, "--json", help="print the summary as one JSON object"),
):
    """The aim points of a region whose flights a phase's sites can engage: area, places inside, map."""
    from rich.console import Console

    from . import footprint as footprint_mod
    from . import scenario as scenario_mod
    from .report import figures

    for option, value in (("--phase", phase), ("--launch", launch), ("--missile", missile), ("--region", region),
                          *(("--site", name) for name in site)):
        _named(option, value)
    _within("--grid-km", grid_km, *footprint_mod.GRID_LIMITS_KM, "km")
    chosen = scenario_mod.load(scenario)
    plan = footprint_mod.plan(chosen, launch=launch, missile=missile, phases=[phase], sites=site or None,
                              where=region, grid_km=grid_km, cue_basis=cue_basis)  # every check before any flight
    out = _output_folder(out or Path(f"shieldcheck-{Path(scenario).stem}"))
    bar, update = _progress()
    with _exclusive(out):
        with bar:
            result = footprint_mod.compute(plan, update)[0]
        paths = footprint_mod.write([result], out, draw_map=figures.footprint_map)
    data = result.summary()
    if as_json:
        typer.echo(json.dumps(data, allow_nan=False))
        return
    table = _table(f"{chosen.title}: {result.kind}, {result.missile} from {result.launch} over "
                   f"{result.grid.region.name} ({result.grid.cell_km:g} km cells)",
                   [("phase", "key"), ("sites", "key"), ("defended area (km²)", "number"),
                    ("partly defended (km²)", "number"), ("reached (km²)", "number"), ("places inside", "text")],
                   [[result.phase, "\n".join(dict.fromkeys(label.split(":")[0] for label in result.sites)),
                     f"{result.area_km2:,.0f}", f"{result.partly_area_km2:,.0f}", f"{result.reachable_area_km2:,.0f}",
                     ", ".join(f"{p}{' (capital)' if p in result.capitals_inside else ''}"
                               for p in result.places_inside) or "none"]])
    console = Console()
    console.print(table)
    for line in result.assumptions:
        console.print(f"  - {line}", highlight=False)
    console.print(f"Wrote {paths['png']}, {paths['parquet']} ({len(result.grid):,} cells) and {paths['json']}",
                  highlight=False)


@app.command(cls=_Command)
def compare(
    scenario_a: str = typer.Argument(..., help="first scenario (e.g. epaa)"),
    scenario_b: str = typer.Argument(..., help="second scenario (e.g. sectoral)"),
    out: Path = typer.Option(Path("shieldcheck-compare"), "--out", help="output folder"),
    endgame: Optional[str] = typer.Option(None, help="override both scenarios' endgame model: " + ENDGAME_HELP),
):
    """Side by side: what each scenario engages of the stated threats and of the Russian flights, phase by phase."""
    from rich.console import Console

    from . import assess as assess_mod
    from .report.compare import write_comparison

    from . import scenario as scenario_mod

    console = Console()
    summaries, columns = {}, []
    chosen = {name: _with_endgame(scenario_mod.load(name), endgame)
              for name in dict.fromkeys((scenario_a, scenario_b))}  # both before any work
    folders = {}
    for name in chosen:  # one folder each, even when two files share a stem
        stem = Path(name).stem
        folders[name] = stem if stem not in folders.values() else f"{stem}-2"
    _output_folder(out)
    for name, loaded in chosen.items():
        folder = _output_folder(out / folders[name])
        with _exclusive(folder):
            result, _, _ = _assess(loaded, folder)
        summaries[name] = assess_mod.summary(result)
        console.print(_summary_table(f"{name}: {result.scenario.title}", summaries[name]))
        firsts = {basis: assess_mod.emergence(result, basis) for basis in ("architecture", "bounding")}
        for basis, first in firsts.items():
            console.print(f"{name}: first phase with an engageable Russian flight ({basis} cue): "
                          + (f"{first['phase']} ({first['date']})" if first else "none"), highlight=False)
        console.print(f"{name}: {_endgame_line(loaded)}", highlight=False)
        columns.append((folders[name], result.scenario.title, summaries[name], firsts))
    (out / "compare.json").write_text(json.dumps(summaries, indent=1, allow_nan=False))
    page = write_comparison(columns, out)
    console.print(f"Wrote {page}, {out / 'compare.json'} and each scenario's report, results.parquet and "
                  "flights.parquet in its own folder", highlight=False)


VARY_HELP = ("PATH=SPEC, repeatable. PATH: interceptor.\"NAME\".FIELD, sensor.\"NAME\".FIELD, missile.NAME.scale, "
             "launch.AREA.dispersal_km or assumptions.NAME; SPEC: START:STOP:STEP, A,B,C, uniform(A,B), "
             "normal(MU,SIGMA) or band (the catalog's range)")


@app.command(cls=_Command)
def sweep(
    scenario: str = typer.Argument("epaa", help="built-in scenario or a TOML file"),
    vary: list[str] = typer.Option(..., "--vary", help=VARY_HELP),
    samples: int = typer.Option(64, help="draws of the distributions (each crossed with the grids)"),
    seed: int = typer.Option(0, help="seed of the draws (the same seed, the same cases)"),
    method: str = typer.Option("latin-hypercube", help="latin-hypercube or monte-carlo"),
    phase: Optional[list[str]] = typer.Option(None, "--phase", help="phases to sweep (default: all)"),
    out: Path = typer.Option(None, "--out", help="output folder (default ./shieldcheck-sweep-SCENARIO)"),
    device: str = typer.Option("cpu", help="cpu or gpu (the engagement kernels)"),
    scheduler: Optional[str] = typer.Option(None, help="run the chunks on Dask: tcp://HOST:PORT or local:N"),
    endgame: Optional[str] = typer.Option(None, help="override the scenario's endgame model: " + ENDGAME_HELP),
    chunk_cases: int = typer.Option(0, help="cases per chunk, the unit of work, memory and resumption (0: about "
                                            "200,000 rows a chunk)"),
):
    """Every verdict as a probability over uncertain values.

    Writes manifest.json, cases.parquet, results/ (one row per case x flight x site x phase x cue basis),
    summary.json and summary.html. A killed sweep resumes with the same command."""
    import time

    from rich.console import Console

    from . import scenario as scenario_mod
    from . import sweep as sweep_mod
    from .report.sweep import write_summary

    start = time.perf_counter()
    if device not in ("cpu", "gpu"):
        raise InputError(f"--device {device!r}: allowed: cpu, gpu")
    chosen = _with_endgame(scenario_mod.load(scenario), endgame)
    if isinstance(seed, bool) or seed < 0:
        raise InputError(f"--seed {seed}: give a whole number of at least 0")
    plan = sweep_mod.plan(chosen, list(vary), samples=samples, seed=seed, method=method, phases=tuple(phase or ()),
                          device=device, chunk_cases=chunk_cases)
    out = _output_folder(out or Path(f"shieldcheck-sweep-{Path(scenario).stem}"))
    bar, update = _progress("cases")
    with _exclusive(out), bar:
        manifest = sweep_mod.run(plan, out, scheduler=scheduler, progress=update, write_page=write_summary)
    summary = json.loads((out / "summary.json").read_text())
    console = Console()

    console.print(_table(
        f"{chosen.title}: {manifest['cases']:,} cases; engageable flights per case (mean, 5-95 %) and the "
        "probability that any is engageable, P(any), with its 95 % interval",
        [("phase", "key"), ("purpose, cue basis", "key"), ("flights", "number"), ("mean", "number"),
         ("5-95 %", "number"), ("P(any)", "key")],
        [[r["phase"], f"{r['purpose']}, {r['cue_basis']}", f"{r['flights']:,}", f"{r['mean']:.1f}",
          f"{r['p05']:.0f}-{r['p95']:.0f}", f"{r['probability_any']:.2f} ({r['ci_low']:.2f}-{r['ci_high']:.2f})"]
         for r in summary["by_phase"]]))
    ranked = [r for r in summary["sensitivity"] if r["first_order_index"] is not None]
    for purpose in sorted({r["purpose"] for r in ranked}):
        top = max((r for r in ranked if r["purpose"] == purpose), key=lambda r: r["first_order_index"])
        console.print(f"Moves the {purpose} verdicts most: {top['parameter']} (first-order index "
                      f"{top['first_order_index']:.2f})", highlight=False)
    c = summary["convergence"]
    if c["max_ci_half_width"] is not None:
        console.print(f"Convergence: widest 95 % interval half-width {c['max_ci_half_width']:.2f} at {c['cases']:,} cases",
                      highlight=False)
    console.print(_endgame_line(chosen), highlight=False)
    console.print(f"Wrote {out / 'summary.html'}, {out / 'summary.json'}, {out / 'results'} ({summary['rows']:,} rows), "
                  f"{out / 'cases.parquet'}; run time {time.perf_counter() - start:.1f} s", highlight=False)


QUERY_ROWS_SHOWN = 1_000  # rows of the readable table; --csv and --json print every row


@app.command(cls=_Command)
def query(
    folder: Path = typer.Argument(..., help="an assessment folder (assess --out) or a sweep folder (with manifest.json)"),
    sql: str = typer.Argument(..., help="one SQL query over the tables results and flights (and cases, for a sweep)"),
    as_csv: bool = typer.Option(False, "--csv", help="print CSV"),
    as_json: bool = typer.Option(False, "--json", help="print a JSON list of row objects"),
):
    """Run a DuckDB query over the tables of an assessment or a sweep, read-only.

    Example: shieldcheck query epaa-report "select phase, count(*) from results where verdict = 'feasible' group by phase"
    """
    import csv

    from . import aggregate

    if as_csv and as_json:
        raise InputError("--csv and --json: give one of them (or neither, for a table)")
    names, rows = aggregate.query(aggregate.connect(folder), sql)
    if as_csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(names)
        writer.writerows(["" if v is None else v for v in row] for row in rows)
        return
    if as_json:
        def plain(value):
            if isinstance(value, float) and not math.isfinite(value):
                return None  # JSON has no NaN or infinity
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            return [plain(v) for v in value] if isinstance(value, (list, tuple)) else value

        typer.echo(json.dumps([{n: plain(v) for n, v in zip(names, row)} for row in rows], allow_nan=False,
                              default=lambda v: float(v) if hasattr(v, "as_integer_ratio") else str(v)))
        return
    from rich.console import Console

    shown = [["—" if v is None else str(v) for v in row] for row in rows[:QUERY_ROWS_SHOWN]]
    kinds = ["number" if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in column if v is not None)
             else "key" for column in zip(*rows[:QUERY_ROWS_SHOWN])] or ["key"] * len(names)
    Console().print(_table(f"{len(rows):,} row(s)" + (f", the first {QUERY_ROWS_SHOWN:,} shown (--csv or --json for "
                                                      "all)" if len(rows) > QUERY_ROWS_SHOWN else ""),
                           list(zip(names, kinds)), shown))


SERVE_DEFAULT = "epaa"  # the scenario ``serve`` shows when given no result folder


@app.command(cls=_Command)
def serve(
    folders: list[Path] = typer.Argument(None, help="assessment folders (assess --out); none: the built-in epaa, "
                                                    "assessed on first use and cached"),
    port: int = typer.Option(DEFAULT_PORT, "--port", help="TCP port"),
    host: str = typer.Option("127.0.0.1", "--host", help="address to listen on (anything but 127.0.0.1 is reachable "
                                                         "by others: a warning is printed)"),
    open_browser: bool = typer.Option(False, "--open", help="open the explorer in the default browser"),
):
    """Explore assessments on a 3D globe in the browser, with what-ifs answered by the engine."""
    import uvicorn

    from . import reach
    from . import scenario as scenario_mod
    from .explorer.server import create_app

    if not 1 <= port <= 65_535:
        raise InputError(f"--port {port}: give a TCP port from 1 to 65535")
    folders = list(folders or [])
    if not folders:
        chosen = scenario_mod.load(SERVE_DEFAULT)
        folder = reach.cache_root() / "explorer" / chosen.name
        if not (folder / "scenario.json").exists():
            typer.echo(f"Assessing {chosen.name} for the explorer (first use; kept in {folder})")
            with _exclusive(_output_folder(folder)):
                _assess(chosen, folder)
        folders = [folder]
    application = create_app(folders)
    if host != "127.0.0.1":
        typer.echo(f"Warning: listening on {host}: anyone who can reach this machine can use the explorer", err=True)
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"
    typer.echo(f"shieldcheck explorer at {url} (Ctrl+C to stop)")
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    uvicorn.run(application, host=host, port=port, log_level="warning")


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app; bad input exits with status 2 and one line on stderr; an interrupted
    run says that its finished work is kept."""
    try:
        status = app(args=argv, prog_name="shieldcheck", standalone_mode=False)
    except InputError as error:
        typer.echo(f"error: {error}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        status = INTERRUPTED
    except OSError as error:  # the environment failed mid-run (a full disk, a folder made unwritable): status 1
        where = f" {error.filename}" if getattr(error, "filename", None) else ""
        typer.echo(f"error: cannot go on:{where} {' '.join((error.strerror or str(error)).split())}; finished work is "
                   "kept (assess: OUT/.work and the shared work cache; sweep: OUT/results) and the same command "
                   "resumes from it", err=True)
        sys.exit(1)
    except SystemExit:
        raise
    except Exception as error:  # usage errors of typer's click when standalone_mode is off: one line too
        if hasattr(error, "format_message") and hasattr(error, "exit_code"):
            typer.echo(f"error: {' '.join(error.format_message().split())}", err=True)
            sys.exit(error.exit_code or 2)
        if type(error).__name__ == "Abort":
            sys.exit(1)
        raise
    if status == INTERRUPTED:  # typer returns this status for Ctrl-C when not standalone
        typer.echo("interrupted: finished work is kept (assess: OUT/.work and the shared work cache; sweep: "
                   "OUT/results); the same command resumes from it", err=True)
    if isinstance(status, int) and status:
        sys.exit(status)


if __name__ == "__main__":
    main()
