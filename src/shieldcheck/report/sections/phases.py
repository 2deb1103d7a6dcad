"""One section per phase: its architecture; the stated purpose (every Iranian flight per aim point and
threat set, with a map); the Russian concern (every Russian flight, closest to an intercept first, with
a polar map)."""

from __future__ import annotations

import html
from collections import defaultdict

from ... import catalog
from ...aggregate import Outcome, finite
from ...scene import site_label
from .. import figures
from ..context import Context
from ..facts import Facts, nearest
from ..markup import DASH, details, fmt, howto, html_table, phase_label, slug

EUROPE_EXTENT = (-15.0, 60.0, 25.0, 72.0)  # lon_min, lon_max, lat_min, lat_max (deg) of the stated-purpose maps
NORTH_EXTENT = (-130.0, 180.0, 20.0, 90.0)  # the same, of the polar maps of Russian flights
CLOSEST_SHOWN = 10  # Russian flights shown before the full table (folded)


def missile_cell(flight: dict) -> str:
    """A flight's missile, with the range class its model flies (``range_class`` of the flights table: SRBM, MRBM,
    IRBM, ICBM; the hand-written role can differ, as an SLBM of intercontinental range)."""
    name = html.escape(fmt(flight.get("missile")))
    found = flight.get("range_class")
    return name + (f' <span class="muted">{html.escape(found)}</span>' if found else "")


def phase(ctx: Context, phase) -> str:
    """The section of one phase: its note, architecture, stated purpose and Russian concern."""
    out = [f'<section id="phase-{slug(phase.name)}"><h2>{html.escape(phase_label(phase))}, '
           f"{html.escape(phase.date.isoformat())}</h2>"]
    if phase.note:
        out.append(f"<p>{html.escape(phase.note)}</p>")
    out.append(architecture(ctx, phase))
    out.append(stated(ctx, phase))
    out.append(russian(ctx, phase))
    out.append("</section>")
    return "".join(out)


def architecture(ctx: Context, phase) -> str:
    """The phase's sites as the scenario states them: interceptor, count, radars, cueing, sector."""
    rows = []
    for s in phase.sites:
        rows.append([html.escape(s.site), html.escape(s.interceptor),
                     ctx.notes.cell(s.count.value if s.count else None,
                                    why="interceptor count not published or not given in the scenario"),
                     ctx.notes.cell(", ".join(s.sensors), why="the site has no radar of its own"),
                     html.escape(fmt(s.cueing)),
                     ctx.notes.cell(", ".join(s.cue_sensors), why="no remote sensor cues this site"),
                     ctx.notes.cell(s.sector, why="the site may intercept anywhere (no sector)"),
                     ctx.notes.cell(s.note, why="no note in the scenario")])
    return ("<h3>Architecture</h3>"
            + html_table(["site", "interceptor", "count", "own radars", "cueing", "cue sensors", "sector", "note"],
                     rows, {2}))


def stated(ctx: Context, phase) -> str:
    """Every Iranian flight of the phase per aim point and threat set, whether each aim point is defended, and the
    map."""
    f = ctx.facts
    outcomes = f.of(phase, "stated", "architecture")
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for flight in f.of_purpose("stated"):
        sets = [t for t, p in zip(flight.get("threat_sets", ()), flight.get("purposes", ())) if p == "stated"]
        for threat_set in sets or ["(none)"]:
            groups[(threat_set, flight["aim"])].append(flight)
    rows, group_rows, idle, aim_status = [], {}, [], {}
    for (threat_set, aim), flights in groups.items():
        flown = [x for x in flights if x.get("status") == "flown" and int(x["flight_id"]) in outcomes]
        if not flown:
            idle.append(f"{aim} ({threat_set})")
            aim_status.setdefault(aim, None)
            continue
        engaged = [x for x in flown if outcomes[int(x["flight_id"])].engageable]
        defended = len(engaged) == len(flown)
        aim_status[aim] = bool(aim_status.get(aim, True)) and defended
        n_launch = len({x["launch"] for x in flights})
        n_missile = len({x["missile"] for x in flights})
        verdict = ('<span class="ok">defended: every flown flight engageable</span>' if defended else
                   f'<span class="no">not defended: {len(flown) - len(engaged)} flown flight(s) not '
                   "engageable</span>")
        group_rows[len(rows)] = (f"{html.escape(aim)} <span class=\"muted\">— {html.escape(threat_set)}</span>: "
                                 f"{len(flown)} of {len(flights)} flights flown ({n_launch} launch area(s) × "
                                 f"{n_missile} missile(s)); {verdict}")
        for x in sorted(flown, key=lambda x: (x["launch"], x["missile"], x.get("trajectory", ""))):
            o = outcomes[int(x["flight_id"])]
            if o.engageable:
                sites = '<span class="ok">' + html.escape(", ".join(site_label(r) for r in o.engaged)) + "</span>"
                otherwise = DASH + ctx.notes.mark("engageable: no reason to give")
            else:
                sites = '<span class="no">none</span>'
                otherwise = html.escape(nearest(o))
            rows.append([html.escape(x["launch"]), missile_cell(x),
                         html.escape(fmt(x.get("shape") or x.get("trajectory"))),
                         sites, ctx.margin(o),
                         ctx.notes.cell(o.shots, why="not engageable: no shot"), otherwise]
                        + ([ctx.probability(phase, "architecture", x["flight_id"])] if ctx.odds else []))
    parts = ['<h3>Stated purpose: Iranian threats</h3>',
             howto("Per aim point and threat set, every flight a missile can fly from the launch areas "
                   "(the others are listed under “Flights not flown”), under the architecture's own cueing; "
                   "beside each missile the range class its model flies (SRBM, MRBM, IRBM or ICBM from its "
                   "maximum range). "
                   "“Engageable by” lists the sites that could intercept; the margin is the best of them (or, "
                   "for a flight no site can engage, that of the nearest site: the one whose verdict comes "
                   "closest, then the larger margin; where every site fails alike with no margin, no site is "
                   "named and the text says why); the shots are the most "
                   "shoot-look-shoot attempts one site's window allows. An aim point is <em>defended</em> "
                   "when every flown flight against it is engageable. On the map: green tracks engageable, "
                   "red not; aim points green (defended), red (not) or grey (no flight flown); × intercept "
                   "points (earliest intercept); blue wedges the radars' coverage for a "
                   f"{fmt(ctx.rcs_m2, ',.2g')} m² target.")]
    if rows:
        flown_aims = [a for a, v in aim_status.items() if v is not None]
        defended = [a for a in flown_aims if aim_status[a]]
        missed = [a for a in flown_aims if not aim_status[a]]
        parts.append(f"<p>{len(defended):,} of the {len(flown_aims):,} aim points some flight can reach are "
                     "defended (every flown flight against them engageable)"
                     + (f"; not defended: {html.escape(', '.join(missed))}" if missed else "") + ".</p>")
        parts.append(details(f"Every Iranian flight of {html.escape(phase.name)}, per aim point ({len(rows):,})",
                             html_table(["launch area", "missile", "trajectory", "engageable by", "best margin",
                                     "max shots", "otherwise: nearest site and reason"]
                                    + (["P(engageable)"] if ctx.odds else []), rows, {4, 5},
                                    group_rows=group_rows), open_=len(rows) <= 12))
    else:
        parts.append("<p>No stated threat flight could be flown: there is nothing to engage.</p>")
    if idle:
        parts.append("<p>No flight could be flown to: " + html.escape("; ".join(idle))
                     + " (beyond the missiles' reach; see <a href=\"#not-flown\">Flights not flown</a>).</p>")
    parts.append(stated_map(ctx, phase, outcomes, aim_status))
    return "".join(parts)


def stated_map(ctx: Context, phase, outcomes: dict[int, Outcome], aim_status: dict) -> str:
    """The map of the stated purpose: sites, radar coverage, Iranian tracks, intercept points and aim points."""
    f = ctx.facts
    layers = figures.MapLayers(EUROPE_EXTENT, f"{phase_label(phase)}: stated purpose (Iranian threats)")
    layers.sectors = _sectors(ctx, phase)
    layers.radars = _phase_radars(phase, ctx.rcs_m2)
    layers.sites = _phase_sites(phase)
    for flight_id, o in sorted(outcomes.items(), key=lambda kv: kv[1].engageable):
        track = _track(f, flight_id)
        if track:
            layers.tracks.append((*track, figures.ENGAGEABLE if o.engageable else figures.NOT_ENGAGED, 1.1))
        layers.intercepts += [(r["intercept_lat_deg"], r["intercept_lon_deg"], "black") for r in o.engaged
                              if finite(r.get("intercept_lat_deg")) is not None
                              and finite(r.get("intercept_lon_deg")) is not None]
    launches = {f.flights[i]["launch"] for i in outcomes if i in f.flights}
    for name in sorted(launches):
        where = _site_position(name)
        if where:
            layers.points.append((*where, "o", "white", name))
    for aim, status in aim_status.items():
        where = _site_position(aim)
        if where:
            colour = (figures.NO_FLIGHT if status is None else
                      figures.ENGAGEABLE if status else figures.NOT_ENGAGED)
            layers.points.append((*where, "o", colour, aim))
    layers.legend = [("launch area", "marker", "white", "o"),
                     ("engageable flight", "line", figures.ENGAGEABLE),
                     ("not engageable", "line", figures.NOT_ENGAGED),
                     ("interceptor site", "marker", figures.SITE_COLOR, "^"),
                     ("radar (coverage wedge)", "marker", figures.RADAR_COLOR, "s"),
                     ("aim point defended", "marker", figures.ENGAGEABLE, "o"),
                     ("aim point not defended", "marker", figures.NOT_ENGAGED, "o"),
                     ("no flight flown", "marker", figures.NO_FLIGHT, "o"),
                     ("intercept point", "marker", "black", "x")]
    path = figures.layer_map(layers, ctx.figs.path(f"{phase.name}-stated"))
    infrared = _infrared(phase)
    extra = (f" Infrared warning sensors ({html.escape(', '.join(infrared))}) have no footprint on the map."
             if infrared else "")
    defended = sorted(a for a, s in aim_status.items() if s)
    return ctx.figs.embed(path, f"map of {phase.name}, stated purpose",
                          f"{html.escape(phase_label(phase))}: sites, radar coverage, Iranian tracks and aim "
                          "points (plate carrée, latitude stretched by 1/cos(mid-latitude)). Defended area (aim points whose flown flights are all engageable): "
                          + html.escape(", ".join(defended) if defended else "none") + "." + extra)


def _sectors(ctx: Context, phase) -> list:
    """The scenario's sector shapes, those the phase's sites use first; none where they cannot be built."""
    used = {s.sector for s in phase.sites if s.sector}
    if not ctx.scenario.sectors:
        return []
    try:
        shapes = ctx.scenario.sector_shapes()
    except Exception:
        return []
    # every sector of the scenario (the other side's sector matters too), used ones first
    return sorted(shapes.values(), key=lambda s: s.name not in used)


def russian(ctx: Context, phase) -> str:
    """Every flown Russian flight of the phase, closest to an intercept first, under each cue basis; and the map."""
    f = ctx.facts
    by_basis = {b: f.of(phase, "russian-concern", b) for b in f.bases}
    ids = sorted(set().union(*[set(o) for o in by_basis.values()]) if by_basis else set())
    if not ids:
        return "<h3>Russian concern</h3><p>No Russian-concern flight was flown.</p>"

    def order(i):
        key = []
        for b in f.bases:
            o = by_basis[b].get(i)
            key += [0 if o and o.engageable else 1, -(o.margin_s if o and o.margin_s is not None else -1e18)]
        return key

    rows = []
    for i in sorted(ids, key=order):
        x = f.flights.get(i, {})
        row = [html.escape(fmt(x.get("launch"))), missile_cell(x),
               html.escape(fmt(x.get("shape") or x.get("trajectory"))), html.escape(fmt(x.get("aim")))]
        for b in f.bases:
            o = by_basis[b].get(i)
            if o is None:
                row += [DASH + ctx.notes.mark("not assessed under this cue basis"), DASH]
                continue
            if o.engageable:
                cls = "ok" if b == "architecture" else "bound"
                text = (f'<span class="{cls}">engageable by '
                        + html.escape(", ".join(site_label(r) for r in o.engaged)) + "</span>"
                        + html.escape(f" ({fmt(o.shots)} shot(s) at most)"))
            else:
                text = html.escape(f"not engageable; {nearest(o)}")
            row += [text, ctx.margin(o)] + ([ctx.probability(phase, b, i)] if ctx.odds else [])
        rows.append(row)
    header = ["launch", "missile", "trajectory", "aim"]
    numeric = set()
    for b in f.bases:
        header += [f"{b} cue: outcome", f"{b} cue: margin"] + ([f"{b} cue: P(engageable)"] if ctx.odds else [])
        numeric.add(len(header) - (2 if ctx.odds else 1))
    counts = []
    for b in f.bases:
        n = sum(o.engageable for o in by_basis[b].values())
        counts.append(f"{n:,} of {len(by_basis[b]):,} engageable under "
                      + ("the architecture's cueing" if b == "architecture" else "the bounding cue"))
    closest = max((o for b in f.bases for o in by_basis[b].values() if o.margin_s is not None),
                  key=lambda o: o.margin_s, default=None)
    if closest is not None:
        best_row = max(closest.engaged or [closest.best], key=lambda r: finite(r.get("margin_s")) or -1e18)
        near = (f" Closest: {f.flight_name(closest.flight_id)} at {site_label(best_row)} "
                f"({best_row.get('cue_basis')} cue): {fmt(best_row.get('message'))}.")
    else:
        near = (" No Russian flight has a margin at any site: each is never tracked by the cueing sensors, "
                "never within the interceptors' reach or never in their altitude band.")
    parts = ["<h3>Russian concern: Russian ICBMs and SLBMs bound for the US</h3>",
             howto("Every flown Russian flight, those closest to an intercept first. For an engageable flight "
                   "the sites that could intercept it; otherwise the nearest site (the one whose verdict comes "
                   "closest, then the larger margin; where every site fails alike with no margin, e.g. no "
                   "site's sensors track it, the text says so instead of naming one) and its verdict's message, with the margin by which it misses (negative: "
                   "late). The bounding cue launches every interceptor a fixed time after the threat's "
                   "launch, whatever the radars see: it bounds what the interceptors could do, not what "
                   "this architecture's sensors allow. On the map: green tracks engageable under the "
                   "architecture's cueing, orange only under the bounding cue, grey neither; × intercept "
                   "points (black: architecture cueing, orange: bounding cue)."),
             "<p>" + html.escape("; ".join(counts) + "." + near) + "</p>"]
    if len(rows) > CLOSEST_SHOWN:
        parts += [f"<p>The {CLOSEST_SHOWN} closest of {len(rows):,}:</p>",
                  html_table(header, rows[:CLOSEST_SHOWN], numeric),
                  details(f"All {len(rows):,} Russian flights of {html.escape(phase.name)}",
                          html_table(header, rows, numeric), open_=False)]
    else:
        parts.append(html_table(header, rows, numeric))
    parts.append(russian_map(ctx, phase, by_basis))
    return "".join(parts)


def russian_map(ctx: Context, phase, by_basis: dict) -> str:
    """The polar map of the Russian concern: tracks by outcome, the phase's sites and radars, intercept points."""
    f = ctx.facts
    layers = figures.MapLayers(NORTH_EXTENT, f"{phase_label(phase)}: Russian ICBMs and SLBMs to the US",
                               width_in=9.0, polar=True)
    layers.sectors = _sectors(ctx, phase)
    layers.radars = _phase_radars(phase, ctx.rcs_m2)
    layers.sites = _phase_sites(phase)
    arch = by_basis.get("architecture", {})
    bound = by_basis.get("bounding", {})
    styled = []
    for i in set(arch) | set(bound):
        if arch.get(i) and arch[i].engageable:
            styled.append((2, i, figures.ENGAGEABLE, 1.3))
        elif bound.get(i) and bound[i].engageable:
            styled.append((1, i, figures.BOUNDING_ONLY, 1.1))
        else:
            styled.append((0, i, figures.NOT_ENGAGED_RUSSIAN, 0.6))
    for _, i, colour, width in sorted(styled):
        track = _track(f, i)
        if track:
            layers.tracks.append((*track, colour, width))
    for basis, colour in (("bounding", figures.BOUNDING_ONLY), ("architecture", "black")):
        for o in by_basis.get(basis, {}).values():
            layers.intercepts += [(r["intercept_lat_deg"], r["intercept_lon_deg"], colour) for r in o.engaged
                                  if finite(r.get("intercept_lat_deg")) is not None
                                  and finite(r.get("intercept_lon_deg")) is not None]
    ends = {f.flights[i][k] for i in set(arch) | set(bound) if i in f.flights for k in ("launch", "aim")}
    for name in sorted(ends):
        where = _site_position(name)
        if where:
            layers.points.append((*where, "o", "white", None))
    layers.site_labels = True
    layers.legend = [("launch or aim point", "marker", "white", "o"),
                     ("engageable (architecture cueing)", "line", figures.ENGAGEABLE),
                     ("engageable only under the bounding cue", "line", figures.BOUNDING_ONLY),
                     ("not engageable", "line", figures.NOT_ENGAGED_RUSSIAN),
                     ("interceptor site", "marker", figures.SITE_COLOR, "^"),
                     ("radar (coverage wedge)", "marker", figures.RADAR_COLOR, "s"),
                     ("intercept point, architecture", "marker", "black", "x"),
                     ("intercept point, bounding cue", "marker", figures.BOUNDING_ONLY, "x")]
    path = figures.layer_map(layers, ctx.figs.path(f"{phase.name}-russian"))
    return ctx.figs.embed(path, f"map of {phase.name}, Russian flights",
                          f"{html.escape(phase_label(phase))}: Russian ICBM and SLBM ground tracks to the US "
                          "(azimuthal equidistant projection centred on the North Pole: distances and "
                          "directions from the pole are true; white dots: launch and aim points), the phase's "
                          "sites and radar coverage, and the intercept points.")


def _site_position(name: str):
    """(latitude, longitude) in deg of a catalog site, or None for a name the catalog does not know."""
    try:
        s = catalog.site(name)
        return s.latitude_deg, s.longitude_deg
    except Exception:
        return None


def _phase_radars(phase, rcs_m2: float) -> list[tuple]:
    """(name, lat, lon, boresight, half width, range km, label) of the radars a phase's sites use."""
    names = list(dict.fromkeys(n for s in phase.sites for n in (*s.sensors, *s.cue_sensors)))
    site_names = {s.site for s in phase.sites}
    out = []
    for name in names:
        try:
            sensor = catalog.sensor(name)
        except Exception:
            continue
        if not hasattr(sensor, "detection_range_m"):
            continue  # infrared warning: no place, no footprint
        try:
            range_km = float(sensor.detection_range_m(rcs_m2)) / 1e3
        except Exception:
            range_km = float(sensor.reference_range_km)
        label = None if sensor.site.name in site_names else name
        out.append((name, sensor.site.latitude_deg, sensor.site.longitude_deg, sensor.boresight_azimuth_deg,
                    sensor.azimuth_half_width_deg, range_km, label))
    return out


def _infrared(phase) -> list[str]:
    """The infrared warning sensors a phase's sites use (no place, no footprint on a map)."""
    names = list(dict.fromkeys(n for s in phase.sites for n in (*s.sensors, *s.cue_sensors)))
    out = []
    for name in names:
        try:
            if not hasattr(catalog.sensor(name), "detection_range_m"):
                out.append(name)
        except Exception:
            continue
    return out


def _phase_sites(phase) -> list[tuple]:
    """(name, latitude, longitude) of a phase's interceptor sites the catalog places."""
    out = []
    for name in dict.fromkeys(s.site for s in phase.sites):
        where = _site_position(name)
        if where:
            out.append((name, *where))
    return out


def _track(facts: Facts, flight_id: int):
    """(latitudes, longitudes) in deg of a flight's ground track, or None where fewer than two points are kept."""
    track = facts.tracks.get(flight_id)
    if not track or len(track.get("lat_deg", ())) < 2:
        return None
    return track["lat_deg"], track["lon_deg"]
