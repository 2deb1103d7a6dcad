"""One threat and one interceptor site: :func:`engage`, the verdict of a pair with its reason (what
``shieldcheck engage`` prints), and :func:`default_route`, the route ``shieldcheck fly --missile NAME``
flies when given none.

The pair's domain rules live here, the same for a notebook and the command line: the default cue is
the bounding cue of the built-in scenario ``epaa`` (:func:`scenario.bounding_cue`), the default endgame
the kinematic one of the catalog kill vehicle (as :func:`engagement.engage`), and cueing ``own`` uses
the site's own radar (:func:`own_radar`).
"""

from __future__ import annotations

import json
from pathlib import Path

from .. import limits
from ..errors import InputError
from ..verdicts import MARGIN_VERDICTS
from . import folders, options, terminal
from .result import Result

DEFAULT_MISSILE = "Yars"
DEFAULT_LAUNCH = "Teykovo"
DEFAULT_AIM = "New York"
DEFAULT_INTERCEPTOR = "SM-3 Block IIA"
DEFAULT_SITE = "Redzikowo"
REACH_NOTE = ("earliest arrival from fly-out fans (gravity turn and held attitude) of the interceptor's stage model, "
              "per 10 deg latitude and 45 deg azimuth bin")


def own_radar(site: str, cat=None):
    """The radar that cues a site under cueing ``own``: the first catalog radar standing at the site
    (its record's ``site``); an :class:`InputError` where none does."""
    from .. import catalog

    cat = cat or catalog.load()
    defence = cat.site(site)
    mine = [n for n, r in cat.sensors.items() if r.site and r.site == defence.name]
    if not mine:
        raise InputError(f"cueing 'own': no catalog radar stands at the interceptor site {defence.name!r}; "
                         "use --cueing remote with --sensor NAME, or delay:SECONDS")
    return cat.sensor(mine[0])


class EngageResult(Result):
    """The verdict of one threat flight against one interceptor site (:func:`engage`).

    Tables: ``summary`` (one row: the pair, its verdict, margin, window and intercept point; the fields
    of ``shieldcheck engage --json``, flattened) and ``detections`` (one row per cueing sensor: first
    detection, track, gaps; empty for a ``delay:`` cue). Also: ``verdict`` (name, as in results.parquet),
    ``message``, ``margin_s`` (None where the verdict carries no margin), ``data`` (the ``--json``
    object), ``engagement`` (:class:`engagement.Engagement`), ``flights`` (the threat's
    :class:`flight.Flights`, with its history), ``interceptor`` and ``site`` (the records used).

    ``explain()`` prints what ``shieldcheck engage`` prints; ``to_json()`` the line ``--json`` prints;
    ``plot(path)`` draws the battle-space figure of ``--plot``; ``write(folder)`` writes ``engage.json``
    (the ``--json`` line) and ``battlespace.png`` (the ``--plot`` figure).
    """

    TABLES = ("summary", "detections")

    def __init__(self, data: dict, engagement, flights, interceptor, site, *, launch: str, aim: str, kill_vehicle,
                 guides, rcs_m2: float):
        self.data, self.engagement, self.flights = data, engagement, flights
        self.interceptor, self.site = interceptor, site
        self.launch, self.aim = launch, aim
        self._kill_vehicle, self._guides, self._rcs_m2 = kill_vehicle, guides, rcs_m2
        self.folder = None

    @property
    def verdict(self) -> str:
        return self.data["verdict"]

    @property
    def message(self) -> str:
        return self.data["message"]

    @property
    def margin_s(self) -> float | None:
        return self.data["margin_s"]

    @property
    def summary(self):
        import pyarrow as pa

        d = self.data
        window = d["window"] or {}
        point = d["intercept_point"] or {}
        threat, kill = d["threat"], d["interceptor"]
        row = {"missile": threat["missile"], "launch": self.launch, "aim": self.aim, "trajectory": threat["trajectory"],
               "range_km": threat["range_km"], "flight_time_s": threat["flight_time_s"],
               "apogee_km": threat["apogee_km"], "interceptor": kill["name"], "site": kill["site"],
               "site_lat_deg": kill["lat_deg"], "site_lon_deg": kill["lon_deg"],
               "burnout_speed_km_s": kill["burnout_speed_km_s"], "sensors": "; ".join(d["sensors"]) or None,
               "verdict": d["verdict"], "message": d["message"], "margin_s": d["margin_s"],
               "usable_margin_s": d["usable_margin_s"], "interceptor_launch_s": d["interceptor_launch_s"],
               "shots": d["shots"], "window_earliest_s": window.get("earliest_s"),
               "window_latest_s": window.get("latest_s"), "window_min_altitude_km": window.get("min_altitude_km"),
               "window_max_altitude_km": window.get("max_altitude_km"),
               "window_flight_phases": ", ".join(window["flight_phases"]) if window else None,
               "intercept_lat_deg": point.get("lat_deg"), "intercept_lon_deg": point.get("lon_deg"),
               "intercept_altitude_km": point.get("altitude_km"), "intercept_time_s": point.get("time_s"),
               "intercept_flight_phase": point.get("flight_phase"),
               "closing_speed_km_s": point.get("closing_speed_km_s"),
               "crossing_angle_deg": point.get("crossing_angle_deg"),
               "divert_needed_m_s": point.get("divert_needed_m_s")}
        floats = {k for k in row if k.endswith(("_km", "_s", "_deg"))}  # _km_s and _m_s end in _s
        schema = pa.schema([(k, pa.int64() if k == "shots" else pa.float64() if k in floats else pa.string())
                            for k in row])
        return pa.Table.from_pylist([row], schema=schema)

    @property
    def detections(self):
        import pyarrow as pa

        schema = pa.schema([("sensor", pa.string()), ("first_s", pa.float64()), ("track_s", pa.float64()),
                            ("gaps_s", pa.list_(pa.list_(pa.float64()))), ("never", pa.string())])
        seen = (self.data["detection"] or {}).get("sensors", [])
        return pa.Table.from_pylist([{k: s[k] for k in schema.names} for s in seen], schema=schema)

    def to_json(self) -> str:
        """The one line of JSON ``shieldcheck engage --json`` prints (without its newline)."""
        return json.dumps(self.data, allow_nan=False)

    def plot(self, path) -> Path:
        """Draw the pair's battle-space figure (``--plot FILE``) into ``path`` (a .png in a folder that exists)."""
        from ..report.battlespace import plot_pair

        path = options.plot_path(Path(path))
        plot_pair(self.flights.trajectory_of(0), self.interceptor, self.site, self.engagement,
                  endgame=self._kill_vehicle, guides=self._guides, rcs_m2=self._rcs_m2,
                  title=f"{self.interceptor.name} at {self.site.name} against {self.flights.missile_names[0]} "
                        f"{self.launch} -> {self.aim}: {self.engagement.verdict.name.lower()}", path=path)
        return path

    def write(self, folder) -> Path:
        """``engage.json`` (what ``--json`` prints, newline included) and ``battlespace.png`` (what ``--plot``
        draws) into ``folder``; the folder."""
        from .. import atomic

        folder = folders.output_folder(Path(folder), "engage")
        atomic.write_text(folder / "engage.json", self.to_json() + "\n")
        self.plot(folder / "battlespace.png")
        self.folder = folder
        return folder

    def explain(self, full_sources: bool = False) -> None:
        """Print what ``shieldcheck engage`` prints (``full_sources``: ``--sources``)."""
        data, result = self.data, self.engagement
        console = terminal.console()
        console.print(f"[bold]{self.interceptor.name}[/bold] at {self.site} against {self.flights.missile_names[0]} "
                      f"{self.launch} -> {self.aim} ({data['threat']['range_km']:,.0f} km)")
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
        terminal.print_sources(console, data["sources"], full_sources)

    def __repr__(self) -> str:
        return (f"<EngageResult {self.interceptor.name} at {self.site.name} against {self.flights.missile_names[0]} "
                f"{self.launch} -> {self.aim}: {self.verdict}"
                + (f", margin {self.margin_s:+.0f} s" if self.margin_s is not None else "") + ">")


def engage(missile: str = DEFAULT_MISSILE, launch: str = DEFAULT_LAUNCH, aim: str = DEFAULT_AIM, *,
           interceptor: str = DEFAULT_INTERCEPTOR, site: str = DEFAULT_SITE, sensors=(), cueing: str | None = None,
           launch_delay_s: float = 0.0, endgame: str = "kinematic", flight_phase: str = "any",
           trajectory: str = "minimum-energy", rcs_m2: float = 0.1, shoot_look_shoot_s: float = 60.0,
           burnout_speed_km_s: float | None = None, sector=None, sector_buffer_km: float | None = None,
           flight_time_s: float | None = None) -> EngageResult:
    """Can this interceptor, cued by that sensor, reach that missile in time? The verdict of one threat
    flight (``missile``, a catalog name or a ``vehicles.Missile``, from ``launch`` to ``aim``: catalog
    names, "LAT,LON" or ``earth.Site`` records) against one interceptor
    site, with its reason and margin: what ``shieldcheck engage`` answers, with the same options and
    defaults.

    Options: ``interceptor`` and ``site`` (catalog interceptor; catalog site or "LAT,LON"); ``sensors``
    (catalog sensor names, for ``cueing`` remote or engage-remote); ``cueing``: own | remote |
    engage-remote | delay:SECONDS after the threat's launch (default: the bounding cue of the built-in
    scenario epaa, delay:105); ``launch_delay_s``: decision time added to the cue (the scenarios'
    bounding rows add 30 s); ``endgame``: kinematic (default) or none (reach only); ``flight_phase``:
    any | boost | ascent | midcourse | terminal; ``trajectory``: minimum-energy | lofted | depressed or
    NAME:KEY=VALUE; ``rcs_m2``: the threat's radar cross-section; ``shoot_look_shoot_s``: from one
    shot's intercept to the next shot's launch; ``burnout_speed_km_s``: rescale the interceptor's stage
    model to this burnout speed; ``sector``: intercept only above these countries ("A,B" or a list of
    Natural Earth names), grown by ``sector_buffer_km``; ``flight_time_s``: in place of ``trajectory``, the
    lofted or depressed shape that lands on the aim at that flight time (``aiming.aim_for_flight_time``).

    Returns an :class:`EngageResult`. Raises :class:`InputError` (one line naming the option, the value
    and what is allowed) on bad input, before any flight.
    """
    from .. import catalog
    from ..aiming import fly as aim_and_fly
    from ..endgame import for_interceptor as endgame_for
    from ..engagement import Cueing, flight_phase_code
    from ..engagement import engage as engage_pair

    sensors = [sensors] if isinstance(sensors, str) else list(sensors)
    if flight_time_s is not None:
        limits.check("flight_time_s", flight_time_s, "--flight-time-s")
        if trajectory != "minimum-energy":
            raise InputError(f"--flight-time-s {flight_time_s:g} chooses the trajectory's shape; do not also give "
                             f"--trajectory {trajectory}")
    cat = catalog.load()
    for option, value in (("--missile", missile), ("--from", launch), ("--to", aim), ("--interceptor", interceptor),
                          ("--site", site), *(("--sensor", name) for name in sensors)):
        options.named(option, value)
    cue_note = None
    if cueing is None:  # the scenarios' bounding cue, read from the scenario (one source for both)
        from ..scenario import BOUNDING_SCENARIO, bounding_cue

        bound, commit_s = bounding_cue()
        cueing = bound.value
        cue_note = (f"default cue: the bounding cue of the built-in scenario {BOUNDING_SCENARIO} ({bound.value}, "
                    f"{bound.source}, {'estimate' if bound.estimate else 'published'}); its bounding rows launch "
                    f"{commit_s:g} s after that cue (bounding_decision_time_s plus launch_delay_s), this pair "
                    f"{launch_delay_s:g} s after it (--launch-delay)")
    rule = Cueing.parse(cueing)
    options.endgame_model(endgame)
    flight_phase_code(flight_phase, "--flight-phase")
    limits.check("launch_delay_s", launch_delay_s, "--launch-delay")  # the bounds of a scenario's assumptions
    limits.check("shoot_look_shoot_s", shoot_look_shoot_s, "--shoot-look-shoot-s")
    limits.check("rcs_m2", rcs_m2, "--rcs-m2")
    if sensors and not rule.remote:
        raise InputError(f"--sensor is used by --cueing remote or engage-remote only, not with --cueing {cueing}: "
                         "drop --sensor or cue remotely")
    if sector_buffer_km is not None and sector is None:
        raise InputError("--sector-buffer-km grows a sector: give --sector COUNTRY[,COUNTRY...] with it")
    sector_buffer_km = 0.0 if sector_buffer_km is None else sector_buffer_km
    kill = cat.interceptor(interceptor)
    speed_note = f"catalog stage model, burnout speed {kill.burnout_speed_m_s / 1e3:g} km/s"
    if burnout_speed_km_s is not None:
        from ..reach import with_burnout_speed

        limits.check("burnout_speed_km_s", burnout_speed_km_s, "--burnout-speed-km-s")
        kill = with_burnout_speed(kill, burnout_speed_km_s * 1e3)
        speed_note = (f"stage model rescaled to a burnout speed of {burnout_speed_km_s:g} km/s "
                      "(reach.with_burnout_speed: one stated parameter)")
    defence = cat.site(site)
    chosen_sensors = tuple(cat.sensor(name) for name in sensors)
    own = own_radar(site, cat) if rule.rule == "own" else None
    if rule.remote and not chosen_sensors:
        raise InputError(f"cueing {rule.rule!r} names no sensor: give --sensor NAME (see `shieldcheck catalog sensors`)")
    kill_vehicle = endgame_for(cat.find("interceptor", interceptor), endgame)
    mask = None
    if sector is not None:
        from .. import geography
        from ..engagement import SectorMask

        limits.check("buffer_km", sector_buffer_km, "--sector-buffer-km")
        parts = sector.split(",") if isinstance(sector, str) else list(sector)
        countries = [c.strip() for c in parts if c.strip()]
        if not countries:
            raise InputError(f"--sector {sector!r} names no country")
        mask = SectorMask.of(geography.sector(f"{', '.join(countries)} (+{sector_buffer_km:g} km)", countries,
                                              sector_buffer_km))
    flights = aim_and_fly(missile, launch, aim, trajectory=trajectory, flight_time_s=flight_time_s, history=True)
    result = engage_pair(flights.trajectory_of(0), kill, defence, cueing=rule, sensors=chosen_sensors, own_radar=own,
                         launch_delay_s=launch_delay_s, shoot_look_shoot_s=shoot_look_shoot_s, rcs_m2=rcs_m2,
                         burnout_time_s=float(flights.burnout_time_s[0]), sector=mask, endgame=kill_vehicle,
                         apogee_time_s=float(flights.apogee_time_s[0]), flight_phase=flight_phase)
    used = [s for s in ((own,) if own else chosen_sensors)]
    sources = list(dict.fromkeys([*flights.sources, *kill.vehicle.sources, *cat.site_sources(site)]))
    for s in used:
        sources += [c for c in cat.citations(cat.record_sources("sensor", s.name)) if c not in sources]
    data = {
        "verdict": result.verdict.name.lower(), "message": result.message,
        "margin_s": round(result.margin_s, 2) if result.verdict.name.lower() in MARGIN_VERDICTS
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
                        "reach": REACH_NOTE},
        "sources": sources,
        "source_keys": terminal.source_keys(sources),
    }
    return EngageResult(data, result, flights, kill, defence, launch=_label(launch), aim=_label(aim),
                        kill_vehicle=kill_vehicle, guides=rule.guides(chosen_sensors, own), rcs_m2=rcs_m2)


def _label(place) -> str:
    """A launch or aim point as the outputs name it: as given, or an ``earth.Site`` record's name."""
    return place if isinstance(place, str) else getattr(place, "name", str(place))


def default_route(missile: str) -> tuple[str, str, str]:
    """The route ``fly --missile NAME`` flies without ``--from``/``--to``: (launch, aim, why). The default
    missile flies the built-in example; another flies the first pair (launch area, aim point) of the
    built-in threat sets that list it and that it can reach (full-burn maximum range on the bearing,
    ``aiming.max_range_m``)."""
    from .. import catalog
    from .. import scenario as scenario_mod
    from ..aiming import max_range_m

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
