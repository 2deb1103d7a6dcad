"""The assessment report: one self-contained HTML file that answers the questions phase by phase.

    >>> from shieldcheck import assess, scenario
    >>> from shieldcheck.report.html import write_report
    >>> path = write_report(assess.assess(scenario.load("epaa")), Path("out"))   # out/report.html

``write_report(assessment, out_dir)`` writes ``out_dir/report.html`` and its figures as
``out_dir/figures/*.png`` (PNG files of an earlier report in that folder are replaced). The
HTML opens offline: no script, style sheet, font or image is fetched from anywhere; the figures
are embedded as base64 data URIs and the style sheet is inline. Links appear only in the
sources table, to the cited documents.

What it contains, in order: the header (scenario, run date, version, how long the assessment
took, what was counted); how to read the report; the summary table (one row per phase); when a
threat to Russian strategic missiles emerges (first phase, per cue basis, and a chart); the early
phases (boost and ascent: :mod:`shieldcheck.early_phase`, :mod:`shieldcheck.report.early_phase`); the numbers
game (per phase, the Russian warheads the deployed interceptors could destroy at most against the
deterrent, each raid's expected leakage, the sweeps and the rules: :mod:`shieldcheck.attrition`); one
section per phase (its architecture; the stated purpose: Iranian flights per aim point, with a
map; the Russian concern: every Russian flight, with a map); engagement timelines of a few
representative flights; the flights no missile could fly; the assumptions and model settings;
the sources; and the notes that explain every "—".

Nothing is printed as NaN, None or inf: where a value does not apply the report shows "—"
with a numbered note saying why (:func:`fmt` and :class:`Notes`). Every text is escaped.
"""

from __future__ import annotations

import base64
import datetime
import functools
import html
from urllib.parse import quote
import json
import math
import re
import time
from collections import defaultdict
from pathlib import Path


from .. import aggregate, atomic, catalog, verdicts
from ..aggregate import Outcome
from ..aggregate import finite as _num
from . import early_phase as early_phase_section
from . import figures
from ..constants import PACKAGE_VERSION
from ..scene import site_label  # "Site (interceptor)": the same words on the globe and in the report

__all__ = ["DASH", "Notes", "fmt", "write_report"]

DASH = "—"
EUROPE_EXTENT = (-15.0, 60.0, 25.0, 72.0)
NORTH_EXTENT = (-130.0, 180.0, 20.0, 90.0)
CLOSEST_SHOWN = 10  # Russian flights shown before the full table (folded)
EVASIVE_ROLES = ("HGV", "FOBS")  # catalog roles of the threats built to evade defences: glide vehicles, fractional orbits
_MISSING_TEXT = {"", "nan", "-nan", "none", "null", "inf", "-inf", "+inf", "infinity", "-infinity"}
ENDGAME_KEYS = ("min_closing_speed_km_s", "max_closing_speed_km_s", "max_crossing_angle_deg", "divert_km_s",
                "time_to_go_s", "max_range_km")  # per interceptor: shown in their own table
_VERDICTS = {row.name: row.definition for row in verdicts.TABLE.values()}  # best first
_NO_MARGIN = {row.name: row.no_margin for row in verdicts.TABLE.values() if row.no_margin}
STYLE_CSS = """
body { font-family: Georgia, 'Times New Roman', serif; color: #1b1b1b; background: #fff; margin: 0 auto;
       max-width: 62rem; padding: 1.5rem 2rem 4rem; line-height: 1.45; font-size: 15px; }
h1 { font-size: 1.6rem; line-height: 1.25; margin-bottom: .3rem; }
h2 { font-size: 1.3rem; border-bottom: 2px solid #1f3b73; padding-bottom: .15rem; margin-top: 2.4rem; }
h3 { font-size: 1.1rem; margin-top: 1.6rem; }
p, li { max-width: 52rem; }
table { border-collapse: collapse; margin: .6rem 0 1rem; font-size: 12.5px; font-family: 'Helvetica Neue', Arial,
        sans-serif; }
th, td { border: 1px solid #c9c9c9; padding: .22rem .45rem; vertical-align: top; text-align: left; }
th { background: #eef1f6; font-weight: 600; }
td.num, th.num { text-align: right; }
td.num { white-space: nowrap; }
tr.group th { background: #f7f4ea; font-weight: 600; }
.ok { color: #1a7a36; font-weight: 600; }
.no { color: #b3171b; }
.bound { color: #b86400; font-weight: 600; }
.muted { color: #666; }
.meta { font-family: 'Helvetica Neue', Arial, sans-serif; font-size: 13px; color: #333; }
.meta dt { font-weight: 600; float: left; clear: left; width: 13rem; }
.meta dd { margin-left: 13.5rem; }
.howto { background: #f6f8fb; border-left: 4px solid #1f3b73; padding: .5rem .9rem; font-size: 14px; }
.finding { font-size: 1.05rem; background: #fbf7ea; border-left: 4px solid #c4a000; padding: .5rem .9rem; }
figure { margin: 1rem 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #ddd; }
figcaption { font-size: 13px; color: #444; margin-top: .3rem; }
sup.fn a { text-decoration: none; color: #1f3b73; font-size: .75em; }
nav ol { columns: 2; font-size: 14px; }
details summary { cursor: pointer; color: #1f3b73; margin: .4rem 0; }
.legend span { display: inline-block; margin-right: 1rem; }
.swatch { display: inline-block; width: .8rem; height: .8rem; margin-right: .25rem; vertical-align: middle; }
footer { margin-top: 3rem; font-size: 12px; color: #666; border-top: 1px solid #ccc; padding-top: .5rem; }
.table-wrap { overflow-x: auto; max-width: 100%; margin: .6rem 0 1rem; }
.table-wrap > table { margin: 0; }
.table-wrap td:first-child, .table-wrap th:first-child { position: sticky; left: 0; background: #fff; z-index: 1; }
.table-wrap thead th:first-child, .table-wrap tr.group th { background: #eef1f6; }
.table-wrap tr.group th { background: #f7f4ea; }
td { overflow-wrap: break-word; }  /* long words break only when alone on a line: the table scrolls instead */
#answers { margin-top: .6rem; }
#answers h2 { font-size: 1rem; margin: .3rem 0 .2rem; border-bottom-width: 1px; }
ol.answers { list-style: none; padding: 0; margin: 0; }
ol.answers > li { display: grid; grid-template-columns: minmax(0, 1fr) 300px; gap: .2rem 1rem; align-items: center;
                  border-top: 1px solid #e2e2e2; padding: .3rem 0; max-width: none; }
ol.answers p { margin: 0; max-width: none; }
.answer { font-size: 14.5px; line-height: 1.35; }
.rests { font-size: 12px; color: #555; }
figure.spark { margin: 0; }
figure.spark img { width: 300px; max-width: 100%; border: none; }
figure.spark figcaption { display: none; }
@media (max-width: 40rem) {
  body { padding: .6rem .7rem 3rem; font-size: 14px; }
  h1 { font-size: 1.02rem; margin: .2rem 0; }
  ol.answers { display: grid; grid-template-columns: 1fr 1fr; gap: .15rem .4rem; }
  ol.answers > li { display: contents; }
  ol.answers > li > .answer-text { grid-column: 1 / -1; order: 0; border-top: 1px solid #e2e2e2; padding-top: .15rem; }
  ol.answers > li > figure.spark { order: 1; }
  .answer { font-size: 12.5px; line-height: 1.3; }
  .rests { font-size: 10.5px; }
  figure.spark figcaption { display: block; font-size: 10px; margin: 0; }
  .meta dt { float: none; width: auto; }
  .meta dd { margin-left: 0; }
  nav ol { columns: 1; }
}
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  details::details-content { content-visibility: visible; display: block; }
  details > summary { list-style: none; font-weight: 600; }
  .table-wrap { overflow: visible; }
  table { font-size: 8pt; max-width: 100%; }
  td.num { white-space: normal; }
  .table-wrap td:first-child, .table-wrap th:first-child { position: static; }
  h2, h3 { page-break-after: avoid; }
  figure, tr, ol.answers > li { page-break-inside: avoid; }
  figure img { max-width: 100%; max-height: 24cm; }
  ol.answers > li { grid-template-columns: minmax(0, 1fr) 7.5cm; }
  figure.spark img { width: 7.5cm; }
  #answers { page-break-after: always; }
}
"""


# ---------------------------------------------------------------------------------------------
# Formatting: one helper, and notes for the dashes
# ---------------------------------------------------------------------------------------------

def fmt(value, spec: str = ",.0f", unit: str = "", *, signed: bool = False) -> str:
    """Plain text of a value, or ``DASH`` where no value applies.

    Numbers are formatted with ``spec`` (a format-spec, "+" prefixed when ``signed``) and
    ``unit`` after a space; None, NaN, infinities, empty strings and lists, and the words
    "nan", "None", "inf" give ``DASH``. Booleans are "yes"/"no"; lists are joined with ", ";
    other objects are shown with ``str``. A number that rounds to zero is never "-0".
    """
    if value is None:
        return DASH
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple, set, frozenset)):
        parts = [fmt(v, spec, unit, signed=signed) for v in value]
        parts = [p for p in parts if p != DASH]
        return ", ".join(parts) if parts else DASH
    number = None
    if isinstance(value, (int, float)):
        number = float(value)
    elif hasattr(value, "dtype") and getattr(value, "shape", None) == ():  # a NumPy scalar
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = None
    if number is not None:
        if not math.isfinite(number):
            return DASH
        text = format(number, ("+" if signed else "") + spec)
        if text[:1] in "+-" and not re.search(r"[1-9]", text):  # rounds to zero: no sign
            text = text[1:]
        return f"{text} {unit}" if unit else text
    text = str(value).strip()
    if text.lower() in _MISSING_TEXT:
        return DASH
    return f"{text} {unit}" if unit else text


class Notes:
    """Numbered notes explaining why a cell shows "—"; one number per distinct reason."""

    def __init__(self):
        self.reasons: list[str] = []

    def mark(self, why: str) -> str:
        """HTML of a note mark (a superscript link) for ``why``."""
        if why not in self.reasons:
            self.reasons.append(why)
        n = self.reasons.index(why) + 1
        return f'<sup class="fn"><a href="#note-{n}" title="{html.escape(why)}">{n}</a></sup>'

    def cell(self, value, spec: str = ",.0f", unit: str = "", *, why: str, signed: bool = False) -> str:
        """HTML of a value (escaped), or "—" with a note mark saying ``why`` where none applies."""
        text = fmt(value, spec, unit, signed=signed)
        if text == DASH:
            return DASH + self.mark(why)
        return html.escape(text)

    def html(self) -> str:
        if not self.reasons:
            return '<p class="muted">No cell of this report is empty.</p>'
        items = "".join(f'<li id="note-{n}">{html.escape(r)}</li>' for n, r in enumerate(self.reasons, 1))
        return f"<ol>{items}</ol>"


# ---------------------------------------------------------------------------------------------
# What the rows say, phase by phase
# ---------------------------------------------------------------------------------------------

def phase_label(phase) -> str:
    """"Phase 4 (cancelled 2013-03-15)" for a cancelled phase, else the name."""
    if getattr(phase, "cancelled", None):
        return f"{phase.name} (cancelled {phase.cancelled.isoformat()})"
    return phase.name


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


class Facts:
    """The rows of an assessment, grouped by phase, purpose and cue basis, and summed up
    (:mod:`shieldcheck.aggregate`: who a flight is for, what counts as engageable, the margins)."""

    def __init__(self, assessment):
        self.assessment = assessment
        self.scenario = assessment.scenario
        self.rows = [dict(r) for r in assessment.results.to_pylist()]
        for r in self.rows:
            r["cue_basis"] = r.get("cue_basis") or "architecture"
        self.flights = {int(f["flight_id"]): f for f in assessment.flights.rows}
        self.tracks = assessment.flights.tracks or {}
        self.phases = sorted(self.scenario.phases, key=lambda p: p.date)
        self.bases = ["architecture"] + (["bounding"] if any(r["cue_basis"] == "bounding" for r in self.rows) else [])
        self.outcomes: dict[tuple, dict[int, Outcome]] = aggregate.outcomes(self.rows)
        self._summary = aggregate.summary(assessment.results, self.phases)

    def of(self, phase, purpose: str, basis: str = "architecture") -> dict[int, Outcome]:
        return self.outcomes.get((phase.name, purpose, basis), {})

    def of_purpose(self, purpose: str) -> list[dict]:
        return [f for f in self.flights.values() if purpose in f.get("purposes", ())]

    def summary(self) -> list[dict]:
        """Per phase (date order): {"phase": the phase, (purpose, basis): :func:`aggregate.cell`}."""
        by_name = {p.name: p for p in self.phases}
        return [{"phase": by_name[entry["phase"]], **{(purpose, basis): aggregate.cell(entry, purpose, basis)
                                                      for purpose in aggregate.PURPOSES for basis in self.bases}}
                for entry in self._summary]

    def emergence(self, basis: str) -> tuple | None:
        """(phase, engageable outcomes) of the first phase in which a Russian-concern flight is engageable
        (:func:`aggregate.emergence`: the threat set's purpose says who a flight is for)."""
        first = aggregate.emergence(self._summary, basis)
        if first is None:
            return None
        phase = next(p for p in self.phases if p.name == first["phase"])
        return phase, [o for o in self.of(phase, "russian-concern", basis).values() if o.engageable]

    def _role(self, flight_id: int) -> str | None:
        cat = catalog.load()
        try:
            return cat.missiles[cat.find("missile", self.flights[flight_id]["missile"])].role
        except Exception:  # an unknown name: no role to go by
            return None

    def evasive_ids(self) -> list[int]:
        """Flown flights of glide vehicles and fractional orbits (catalog roles HGV and FOBS)."""
        flown = {int(r["flight_id"]) for r in self.rows}
        return sorted(i for i in flown if self._role(i) in EVASIVE_ROLES)

    def ballistic_twin(self, flight_id: int) -> int | None:
        """A flown minimum-energy ICBM or SLBM flight from the same launch area to the same aim point."""
        x = self.flights[flight_id]
        flown = {int(r["flight_id"]) for r in self.rows}
        for i, y in sorted(self.flights.items()):
            if (i in flown and y["launch"] == x["launch"] and y["aim"] == x["aim"]
                    and y.get("trajectory") == "minimum-energy" and self._role(i) in ("ICBM", "SLBM")):
                return i
        return None

    def detections(self, flight_id: int | None) -> dict[str, tuple]:
        """Sensor -> (first detection, track) in s after launch, of a flown flight, whatever the architecture."""
        if flight_id is None:
            return {}
        text = self.flights.get(flight_id, {}).get("detections_json")
        return {k: tuple(v) for k, v in json.loads(text).items()} if text else {}

    def flight_name(self, flight_id: int) -> str:
        f = self.flights.get(flight_id, {})
        shape = f.get("trajectory")
        return f"{f.get('missile')} {f.get('launch')} → {f.get('aim')}" + (f" ({shape})" if shape else "")


_NO_SITE = {  # every site fails alike, with no margin to rank them by: say why, name none
    "never_detected": "no site tracked it (the cueing sensors of every site never hold a track)",
    "out_of_range": "no site reaches it (it comes within no interceptor's reach)",
    "out_of_altitude_band": "no site reaches it in its altitude band",
    "endgame_infeasible": "no site's kill vehicle can use any point its interceptor reaches",
}


def nearest(outcome: Outcome) -> str:
    """Why a flight no site engages is not engageable: the nearest site by the stated measure (the verdict
    that comes closest, :data:`verdicts.RANK`, then the larger margin) and its message; or, where every
    site fails alike with no margin to rank them by, that no site tracked (or reached) it, naming none."""
    best = outcome.best
    if best is None:
        return "no site was assessed"
    verdicts = {r.get("verdict") for r in outcome.rows}
    if len(verdicts) == 1 and _num(best.get("margin_s")) is None and best.get("verdict") in _NO_SITE:
        return f"{_NO_SITE[best.get('verdict')]}, at all {len(outcome.rows)} site(s)"
    return f"nearest: {site_label(best)}: {fmt(best.get('message'))}"


# ---------------------------------------------------------------------------------------------
# HTML pieces
# ---------------------------------------------------------------------------------------------

def html_table(header: list[str], rows: list[list[str]], numeric: set[int] = frozenset(), caption: str | None = None,
           group_rows: dict[int, str] | None = None) -> str:
    """A table; cells are HTML already (escaped by the caller); ``group_rows`` puts header rows before rows."""
    head = "".join(f'<th{" class=num" if i in numeric else ""}>{h}</th>' for i, h in enumerate(header))
    body = []
    for k, row in enumerate(rows):
        if group_rows and k in group_rows:
            body.append(f'<tr class="group"><th colspan="{len(header)}">{group_rows[k]}</th></tr>')
        body.append("<tr>" + "".join(f'<td{" class=num" if i in numeric else ""}>{c}</td>'
                                     for i, c in enumerate(row)) + "</tr>")
    cap = f"<caption>{caption}</caption>" if caption else ""
    # the table scrolls inside its wrapper, never the page; its first (key) column stays in view
    return (f'<div class="table-wrap"><table>{cap}<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody>'
            "</table></div>")


def _howto(*paragraphs: str) -> str:
    return '<div class="howto"><strong>How to read this.</strong> ' + " ".join(paragraphs) + "</div>"


def _details(summary: str, body: str, open_: bool = True) -> str:
    return f"<details{' open' if open_ else ''}><summary>{summary}</summary>{body}</details>"


class _Figures:
    """Draws figures into ``out_dir/figures`` and embeds them."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.written: list[Path] = []

    def path(self, stem: str) -> Path:
        return self.folder / f"{len(self.written) + 1:02d}-{_slug(stem)}.png"

    def embed(self, path: Path, alt: str, caption: str) -> str:
        self.written.append(path)
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        return (f'<figure><img src="data:image/png;base64,{data}" alt="{html.escape(alt)}">'
                f"<figcaption>{caption} <span class=\"muted\">(figures/{html.escape(path.name)})</span>"
                "</figcaption></figure>")

    def tidy(self) -> None:
        """Remove PNGs of an earlier report that this one did not write."""
        keep = {p.name for p in self.written}
        for old in self.folder.glob("*.png"):
            if old.name not in keep and re.fullmatch(r"\d{2,}-[a-z0-9-]+\.png", old.name):
                old.unlink()


def _site_position(name: str):
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
    out = []
    for name in dict.fromkeys(s.site for s in phase.sites):
        where = _site_position(name)
        if where:
            out.append((name, *where))
    return out


def _track(facts: Facts, flight_id: int):
    track = facts.tracks.get(flight_id)
    if not track or len(track.get("lat_deg", ())) < 2:
        return None
    return track["lat_deg"], track["lon_deg"]


# ---------------------------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------------------------

class _Report:
    def __init__(self, assessment, out_dir: Path, footprints=None, uncertainty=None, guarantees=None,
                 early_phase=None):
        self.facts = Facts(assessment)
        self.early = early_phase  # early_phase.EarlyPhase, or None: not computed
        self.footprints = footprints
        self.guarantees = guarantees  # guarantee.PhaseLimits per phase where it matters, or None: not run
        self.odds = uncertainty  # aggregate.SweepOdds, or None
        self.scenario = assessment.scenario
        self.notes = Notes()
        self.figs = _Figures(out_dir / "figures")
        self.out_dir = out_dir
        a = self.scenario.assumptions
        self.rcs_m2 = float(a.rcs_m2.value)
        bounding = getattr(a, "bounding_cueing", None)
        self.bounding_rule = getattr(bounding, "value", bounding) if bounding is not None else None
        if self.bounding_rule is None and "bounding" in self.facts.bases:
            rules = {r.get("cueing") for r in self.facts.rows if r["cue_basis"] == "bounding"}
            self.bounding_rule = ", ".join(sorted(str(x) for x in rules if x))

    # -- small helpers -------------------------------------------------------------------------

    def margin(self, outcome: Outcome | None, *, why_none: str | None = None) -> str:
        if outcome is None:
            return DASH + self.notes.mark(why_none or "no row for this flight")
        value = outcome.margin_s
        why = why_none or _NO_MARGIN.get((outcome.best or {}).get("verdict"), "no margin for this verdict")
        return self.notes.cell(value, ",.0f", "s", signed=True, why=why)

    def probability(self, phase, basis: str, flight_id: int) -> str:
        """The share of the uncertainty sweep's cases in which the flight is engageable, with its interval."""
        found = self.odds.flight(phase.name, basis, flight_id)
        if found is None:
            return DASH + self.notes.mark("not evaluated by the uncertainty sweep")
        p, low, high = found
        return f"{p:.2f} <span class=\"muted\">({low:.2f}-{high:.2f})</span>"

    def bounding_words(self) -> str:
        rule = self.bounding_rule or ""
        if rule.startswith("delay:"):
            delay = fmt(_num(rule.split(":", 1)[1]), ",.0f", "s")
            return f"the bounding cue (interceptor launch {delay} after the threat's launch, whatever the sensors see)"
        return f"the bounding cue ({rule or 'a fixed delay'}, whatever the sensors see)"

    # -- sections --------------------------------------------------------------------------------

    def header(self) -> str:
        f, s = self.facts, self.scenario
        flown = sum(1 for x in f.flights.values() if x.get("status") == "flown")
        version = PACKAGE_VERSION
        now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        run_s = _num(getattr(f.assessment, "run_s", None))
        by_basis = ", ".join(f"{sum(1 for r in f.rows if r['cue_basis'] == b):,} under the {b} cue basis"
                             for b in f.bases)
        items = [
            ("Scenario", html.escape(s.name)),
            ("Report written", html.escape(now)),
            ("shieldcheck version", self.notes.cell(version, why="the installed shieldcheck states no version")),
            ("Assessment run time", ("computed in " + html.escape(fmt(run_s, ",.1f", "s")) if run_s is not None
                                     else DASH + self.notes.mark("the assessment did not record its run time"))
             + ' <span class="muted">(work read back from the work directory is not re-timed)</span>'),
            ("Phases", html.escape(f"{len(f.phases)}: " + ", ".join(phase_label(p) for p in f.phases))),
            ("Threat flights", html.escape(f"{len(f.flights):,} distinct flights in {len(s.threats)} threat sets; "
                                           f"{flown:,} flown, {len(f.flights) - flown:,} not flown "
                                           "(beyond the missile's reach or not solved)")),
            ("Engagement pairs", html.escape(f"{len(f.rows):,} (flight, phase, site, cue basis) rows: {by_basis}")),
            ("On a globe", self.globe()),
        ]
        meta = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in items)
        return (f'<section id="about"><h2>About this assessment</h2><p>{html.escape(s.description)}</p>'
                f'<dl class="meta">{meta}</dl></section>')

    def globe(self) -> str:
        """Where to see this result on a globe: the explorer's view of it, and the scene files beside the report."""
        from .. import scene
        from ..explorer import DEFAULT_PORT

        phase, basis = scene.default_view(scene.Scene(self.scenario, self.facts.assessment.results, {}))
        folder = self.out_dir.name
        url = f"http://127.0.0.1:{DEFAULT_PORT}/#result={quote(folder)}&phase={quote(phase)}&basis={basis}"
        return (f'<code>shieldcheck serve {html.escape(folder)}</code> opens this result in the explorer, a local '
                f'server that needs no network (<a href="{html.escape(url)}">this view</a> while it runs); '
                f'<a href="scene.czml">scene.czml</a> (CesiumJS, STK) and <a href="scene.kml">scene.kml</a> '
                f'(Google Earth) beside this report hold the geometry of {html.escape(phase)} under the '
                f'{html.escape(basis)} cue')

    def title(self) -> str:
        return f"<header><h1>{html.escape(self.scenario.title)}</h1></header>"

    def contents(self) -> str:
        entries = [("answers", "The answers"), ("about", "About this assessment"),
                   ("how-to-read", "How to read this report"), ("summary", "Summary"),
                   ("emergence", "When a threat emerges"), ("guarantee", "A limit that would guarantee it"),
                   (early_phase_section.SECTION_ID, early_phase_section.TITLE), ("numbers", "The numbers game")]
        entries += [("uncertainty", "How sure: the catalog's ranges")] if self.odds else []
        entries += [(f"phase-{_slug(p.name)}", phase_label(p)) for p in self.facts.phases]
        entries += [("defended-areas", "Defended areas")]
        entries += [("evasive", "Threats built to evade defences")] if self.facts.evasive_ids() else []
        entries += [("timelines", "Timelines"), ("battle-space", "Battle space"), ("not-flown", "Flights not flown"),
                    ("assumptions", "Assumptions"),
                    ("sources", "Sources"), ("notes", "Notes")]
        items = "".join(f'<li><a href="#{i}">{html.escape(t)}</a></li>' for i, t in entries)
        return f"<nav><ol>{items}</ol></nav>"

    # -- the answers on one screen ----------------------------------------------------------------

    def _cue_words(self, basis: str) -> str:
        """The cue basis in a few words, the bounding cue with the time from the threat's launch to the
        interceptor's (its delay plus the scenario's decision time and launch delay)."""
        if basis == "architecture":
            return "the architecture's own cueing (its radars)"
        rule = self.bounding_rule or ""
        delay = _num(rule.split(":", 1)[1]) if rule.startswith("delay:") else None
        if delay is None:
            return self.bounding_words()
        launch = delay + self.scenario.assumptions.bounding_launch_delay_s()
        return f"the bounding cue (interceptor launch {fmt(launch, ',.0f', 's')} after the threat's, whatever the radars see)"

    def _rests_on(self, basis: str) -> str:
        """What an answer rests on: its cue basis, the endgame model and the treatment of uncertainty."""
        model = self.scenario.assumptions.endgame_model()
        endgame = "kinematic endgame (catalog kill-vehicle limits)" if model != "none" else "no endgame (reach only)"
        sure = ("P(engageable) over the catalog's ranges: see the tables" if self.odds else
                "the catalog's central values, no uncertainty sweep")
        return f"{basis} · {html.escape(endgame)} · {html.escape(sure)}"

    def _answer(self, key: str, lead: str, text: str, basis: str, evidence: list[tuple[str, str]],
                figure: str) -> str:
        links = ", ".join(f'<a href="#{i}">{html.escape(t)}</a>' for i, t in evidence)
        return (f'<li id="answer-{key}"><div class="answer-text"><p class="answer"><strong>{lead}</strong> {text}</p>'
                f'<p class="rests">Rests on: {self._rests_on(basis)}. Evidence: {links}.</p></div>'
                f"{figure}</li>")

    def _spark(self, path: Path, alt: str, caption: str) -> str:
        self.figs.written.append(path)
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        return (f'<figure class="spark"><img src="data:image/png;base64,{data}" alt="{html.escape(alt)}">'
                f'<figcaption>{caption} <span class="muted">(figures/{html.escape(path.name)})</span>'
                "</figcaption></figure>")

    def stated_by_threat_set(self, phase_name: str) -> list[dict]:
        """The stated (Iranian) flights of one phase per threat set, architecture cueing (:func:`aggregate.counts`)."""
        return [c for c in self._by_threat_set if c["phase"] == phase_name and c["purpose"] == "stated"
                and c["cue_basis"] == "architecture"]

    @functools.cached_property
    def _by_threat_set(self) -> list[dict]:
        return aggregate.counts(self.facts.assessment.results, ("phase", "threat_sets", "purpose", "cue_basis"))

    @staticmethod
    def _listing(parts: list[str]) -> str:
        return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]

    def headline_stated(self) -> str:
        """Per phase, the Iranian flights engageable of those the missiles can fly, with the listed total and
        the flights beyond reach; then, for the last phase, per threat set (each with its own denominator)."""
        f = self.facts
        listed = f.of_purpose("stated")
        flyable = sum(1 for x in listed if x.get("status") == "flown")
        summary = f.summary()
        if not listed:
            return "the scenario lists no stated (Iranian) flight: there is nothing to defend against."
        if not flyable or not summary:
            return (f"none of the {len(listed):,} Iranian flights the threat sets list can be flown by the catalog's "
                    "missiles: there is nothing to engage.")
        parts = [f"{e[('stated', 'architecture')]['engageable']:,} in {html.escape(phase_label(e['phase']))}"
                 for e in summary]
        text = (f"{self._listing(parts)} of the {flyable:,} Iranian flights the catalog's missiles can fly "
                f"({len(listed) - flyable:,} of the {len(listed):,} flights the threat sets list are beyond their "
                "reach)")
        last = summary[-1]["phase"]
        sets = self.stated_by_threat_set(last.name)
        if len(sets) > 1:
            text += (f"; in {html.escape(last.name)} by threat set: "
                     + "; ".join(f"{html.escape(c['threat_sets'])} {c['engageable']:,} of {c['flights']:,}"
                                 for c in sets))
        return text + "."

    def headline_russian(self) -> str:
        """Per cue basis: the phases that engage Russian flights, how many of how many, from which sites, by
        how much; or how close the nearest comes."""
        f = self.facts
        listed = len(f.of_purpose("russian-concern"))
        sentences = []
        for basis in f.bases:
            found, closest, total = [], None, 0
            for entry in f.summary():
                phase, cell = entry["phase"], entry[("russian-concern", basis)]
                total = max(total, cell["flights"])
                if cell["best_margin_s"] is not None:
                    closest = cell["best_margin_s"] if closest is None else max(closest, cell["best_margin_s"])
                if cell["engageable"]:
                    sites = sorted({site_label(r) for o in f.of(phase, "russian-concern", basis).values()
                                    for r in o.engaged})
                    found.append(f"{html.escape(phase.name)} engages {cell['engageable']:,} of {cell['flights']:,} "
                                 f"(from {html.escape(', '.join(sites))}, best margin "
                                 f"{html.escape(fmt(cell['best_margin_s'], ',.0f', 's', signed=True))})")
            words = html.escape(self._cue_words(basis))
            if found:
                sentences.append(f"under {words}, {self._listing(found)}")
            else:
                near = ("no site tracks or reaches any" if closest is None else
                        f"the nearest is missed by {html.escape(fmt(-closest, ',.0f', 's'))}" if closest < 0 else
                        f"the best margin is {html.escape(fmt(closest, ',.0f', 's', signed=True))}")
                sentences.append(f"under {words}, no phase engages any of the {total:,} ({near})")
        flown = max((e[("russian-concern", b)]["flights"] for e in f.summary() for b in f.bases), default=0)
        return ("; ".join(sentences) + f". Counted of the {flown:,} Russian flights the catalog's missiles can fly "
                f"({listed:,} listed).")

    def headline_emergence(self) -> tuple[str, int | None]:
        """When a Russian flight first becomes engageable, per cue basis; and the index of the first phase."""
        f = self.facts
        parts, first_index = [], None
        for basis in f.bases:
            found = f.emergence(basis)
            words = "the architecture's own cueing" if basis == "architecture" else "the bounding cue"
            if found is None:
                parts.append(f"in no phase under {words}")
                continue
            phase, engaged = found
            index = f.phases.index(phase)
            first_index = index if first_index is None else min(first_index, index)
            cancelled = f", cancelled {phase.cancelled.isoformat()} and never built" if phase.cancelled else ""
            parts.append(f"in <strong>{html.escape(phase.name)}</strong> ({html.escape(phase.date.isoformat())}"
                         f"{cancelled}) under {words}")
        return "; ".join(parts) + ".", first_index

    def headline_guarantee(self) -> str:
        if self.guarantees is None:
            return ("not computed for this report (<code>shieldcheck guarantee SCENARIO --phase PHASE</code> "
                    "computes it).")
        if not self.guarantees:
            return ("no limit is needed: no site of any phase engages a Russian flight bound for the US under any "
                    "cue basis assessed.")
        first = self.guarantees[0]
        clauses = []
        for limit in first.limits:
            if limit.n_russian == 0:
                continue
            speed = limit.speed_limit_words()
            kept = limit.stated_share_at_speed_limit
            now = self.site_share(first.phase, limit)
            share = ("" if kept is None else f", keeping {100 * kept:.0f} % of the Iranian flights"
                     + (f" ({100 * now:.0f} % at its catalog speed)" if now is not None else ""))
            cue = limit.cueing_limit_words()
            cue_share = limit.stated_share_at_cueing_limit
            cue_text = (f"; or a launch no earlier than {cue} after the threat's"
                        + (f" ({100 * cue_share:.0f} % kept)" if cue_share is not None else "")
                        if limit.cueing_limit_s not in (None, 0.0) else f"; cue: {cue}")
            if limit.speed_limit_at_top or limit.speed_limit_km_s is None or not limit.speeds_km_s:
                clauses.append(f"at {html.escape(site_label(limit))}: speed: {html.escape(speed)}"
                               f"{html.escape(cue_text)}")
            else:
                clauses.append(f"at {html.escape(site_label(limit))}: a burnout speed of at most "
                               f"{html.escape(speed)} (catalog {limit.catalog_speed_km_s:.2f}){html.escape(share)}"
                               f"{html.escape(cue_text)}")
        if not clauses:
            return "no Russian flight is in the threat set: no limit to find."
        return (f"in {html.escape(first.phase)}, where it first emerges, no Russian flight would be engageable "
                + "; ".join(clauses) + ".")

    def site_share(self, phase_name: str, limit) -> float | None:
        """The share of the Iranian flights a site engages at its catalog values under the cue of the speed sweep
        (the scenario's bounding cue where it states one): the coverage a limit is compared with."""
        basis = "bounding" if "bounding" in self.facts.bases else "architecture"
        for c in self._site_counts:
            if (c["phase"], c["site"], c["interceptor"], c["purpose"], c["cue_basis"]) == (
                    phase_name, limit.site, limit.interceptor, "stated", basis):
                return c["engageable"] / c["flights"] if c["flights"] else None
        return None

    @functools.cached_property
    def _site_counts(self) -> list[dict]:
        return aggregate.counts(self.facts.assessment.results, ("phase", "site", "interceptor", "purpose", "cue_basis"))

    def _spread(self, ranges: str, mover: str) -> str:
        """An answer's range over the uncertainty run's cases and the parameter that moves it most ("" without one)."""
        o = self.odds
        if o is None or not o.answers or not ranges:
            return ""
        return (f' <span class="spread">Over the catalog\'s ranges ({o.answers["cases"]} Latin-hypercube cases): '
                f"{html.escape(ranges)}{'; ' + html.escape(mover) if mover else ''}.</span>")

    def spreads(self) -> dict[str, str]:
        """The range beside each of the four answers (``_spread``), by answer key."""
        o, f = self.odds, self.facts
        if o is None or not o.answers:
            return {}

        def per_phase(purpose: str, basis: str) -> str:  # with the catalog's central values among the cases
            found = [(e["phase"].name, o.count_range(e["phase"].name, purpose, basis, e[(purpose, basis)]["engageable"]))
                     for e in f.summary() if (purpose, basis) in e]
            return ", ".join(f"{name} {text}" for name, text in found if text)

        basis = "bounding" if "bounding" in f.bases else "architecture"
        return {"iran": self._spread("Iranian flights engaged " + per_phase("stated", "architecture"),
                                     o.mover_words(("stated", "architecture"))),
                "russia": self._spread(f"Russian flights engageable ({basis} cue) " + per_phase("russian-concern", basis),
                                       o.mover_words(("russian-concern", basis))),
                "emergence": self._spread(f"first engageable ({basis} cue) {o.emergence_words(basis)}",
                                          o.mover_words(("emergence", basis))),
                "guarantee": self._spread(f"the speed limit at {o.limit_words()}" if o.guarantee else "", "")}

    def answers(self) -> str:
        """The four answers, each one sentence with its number, its assumptions and a small figure, on the first
        screen; everything below is the evidence; beside each, with an uncertainty run, its range over the catalog's
        ranges and the parameter that moves it most."""
        f = self.facts
        spread = self.spreads()
        summary = f.summary()
        labels = [p.name.replace("Phase ", "P") + ("*" if p.cancelled else "") for p in f.phases]
        shares = [100.0 * e[("stated", "architecture")]["engageable"] / e[("stated", "architecture")]["flights"]
                  if e[("stated", "architecture")]["flights"] else None for e in summary]
        fig1 = self._spark(figures.answer_chart(labels, [("architecture cueing", shares, figures.ENGAGEABLE)],
                                                "Iranian flights engaged (% of flyable)", self.figs.path("answer-iran"),
                                                percent=True),
                           "Iranian flights engaged per phase", "① Iranian flights engaged, per phase (*: cancelled)")
        series = [(("architecture cueing" if b == "architecture" else "bounding cue"),
                   [e[("russian-concern", b)]["engageable"] for e in summary],
                   figures.ENGAGEABLE if b == "architecture" else figures.BOUNDING_ONLY) for b in f.bases]
        fig2 = self._spark(figures.answer_chart(labels, series, "Russian flights engageable, per phase",
                                                self.figs.path("answer-russia")),
                           "Russian flights engageable per phase", "② Russian flights engageable, per phase")
        colours, legend = [], [("none", figures.NOT_ENGAGED_RUSSIAN)]
        for e in summary:
            arch = e[("russian-concern", "architecture")]["engageable"]
            bound = e[("russian-concern", "bounding")]["engageable"] if "bounding" in f.bases else 0
            colours.append(figures.ENGAGEABLE if arch else figures.BOUNDING_ONLY if bound else
                           figures.NOT_ENGAGED_RUSSIAN)
        if "bounding" in f.bases:
            legend.append(("bounding cue only", figures.BOUNDING_ONLY))
        legend.append(("own cueing", figures.ENGAGEABLE))
        fig3 = self._spark(figures.answer_timeline([p.date for p in f.phases], labels, colours, legend,
                                                   "Phases by date: Russian flights engageable?",
                                                   self.figs.path("answer-emergence")),
                           "phases by date, coloured by whether a Russian flight is engageable",
                           "③ Phases by date: when it emerges")
        fig4 = ""
        key = next((x for g in (self.guarantees or []) for x in g.limits if x.speeds_km_s and x.n_russian), None)
        if key is not None:
            fig4 = self._spark(figures.answer_limit(key.speeds_km_s, key.russian_engageable, key.stated_share,
                                                    None if key.speed_limit_at_top else key.speed_limit_km_s,
                                                    f"{key.site} ({key.interceptor}): speed sweep",
                                                    self.figs.path("answer-guarantee")),
                               f"speed sweep at {key.site}", f"④ {html.escape(key.site)}: a speed limit")
        emergence, _ = self.headline_emergence()
        basis_name = {"architecture": "own cueing", "bounding": "bounding cue"}
        items = [
            self._answer("iran", "Iranian missiles:", "under the architecture's own cueing, " + self.headline_stated()
                         + spread.get("iran", ""),
                         "own cueing", [("summary", "summary"), ("not-flown", "flights not flown")], fig1),
            self._answer("russia", "Russian ICBMs and SLBMs bound for the US:", self.headline_russian()
                         + spread.get("russia", ""),
                         " and ".join(basis_name[b] for b in f.bases),
                         [("summary", "summary"), ("phase-" + _slug(f.phases[-1].name), "flight tables")]
                         if f.phases else [("summary", "summary")], fig2),
            self._answer("emergence", "When it first emerges:", "a Russian flight bound for the US is first "
                         "engageable " + emergence + spread.get("emergence", ""), " and ".join(basis_name[b] for b in f.bases),
                         [("emergence", "when a threat emerges")], fig3),
            self._answer("guarantee", "A limit that guarantees it does not:", self.headline_guarantee()
                         + spread.get("guarantee", ""),
                         basis_name["bounding" if "bounding" in f.bases else "architecture"] + " (speed sweep)",
                         [("guarantee", "the guarantee")], fig4),
        ]
        return ('<section id="answers"><h2>The answers</h2><ol class="answers">'
                + "".join(items) + "</ol></section>")

    def guarantee(self) -> str:
        """Per phase where a Russian flight is engageable and per site that engages one: the speed and cue limits
        and the Iranian share each keeps, with the trade-off figure (computed by :mod:`shieldcheck.guarantee`)."""
        parts = ['<section id="guarantee"><h2>A limit that would guarantee it</h2>',
                 _howto("For each interceptor site that engages a Russian flight, the guarantee analysis rescales the "
                        "interceptor's stage model to each swept burnout speed (one stated parameter) and, "
                        "separately, holds its launch to each swept delay after the threat's launch; a limit is the "
                        "largest speed (the earliest delay) at which no Russian flight of the threat sets is "
                        "engageable, nor at any slower speed (later delay) swept. Beside each limit, the share of "
                        "the Iranian flights the site still engages there, under the same cue. A limit found under "
                        "the bounding cue holds whatever the radars see, which is what makes it verifiable.")]
        if self.guarantees is None:
            parts.append("<p>Not computed for this report: <code>shieldcheck guarantee SCENARIO --phase PHASE</code> "
                         "computes it for any phase.</p></section>")
            return "".join(parts)
        if not self.guarantees:
            parts.append("<p>No site of any phase engages a Russian flight bound for the US under any cue basis "
                         "assessed: no limit is needed, and the analysis was not run.</p></section>")
            return "".join(parts)
        for g in self.guarantees:
            rows = []
            for limit in g.limits:
                now = self.site_share(g.phase, limit)
                rows.append([html.escape(site_label(limit)), html.escape(f"{limit.catalog_speed_km_s:.2f} km/s"),
                             html.escape(limit.cueing), html.escape(limit.speed_limit_words()),
                             self.notes.cell(None if limit.speed_limit_at_top else limit.stated_share_at_speed_limit,
                                             ".0%", why="no speed limit in the sweep: nothing is kept or lost"),
                             self.notes.cell(now, ".0%", why="the site has no Iranian flight to engage"),
                             html.escape(limit.cueing_limit_words()),
                             self.notes.cell(limit.stated_share_at_cueing_limit if limit.cueing_limit_s else None,
                                             ".0%", why="no cue limit in the sweep, or none needed"),
                             html.escape(limit.reachable_speeds_words())])
            first = g.limits[0] if g.limits else None
            grid = (f"speeds swept {fmt(first.speeds_km_s[0] if first.speeds_km_s else None, '.2f')}–"
                    f"{fmt(max(list(first.speeds_km_s) + list(first.impossible_speeds)) if first else None, '.2f')}"
                    f" km/s, delays {fmt(first.delays_s[0], ',.0f')}–{fmt(first.delays_s[-1], ',.0f')} s"
                    if first and first.delays_s else "")
            parts.append(f"<h3>{html.escape(g.phase)}</h3>")
            if g is self.guarantees[0]:
                parts.append("<p>Run for this report where it matters and is affordable: the phase in which a "
                             "Russian flight first becomes engageable, the sites that engage one, each interceptor "
                             "at its catalog burnout speed and 0.5, 1.0 and 1.5 km/s below it, and launch delays "
                             "every 60 s (each rescaled speed builds its own reach envelopes, seconds each). "
                             "<code>shieldcheck guarantee SCENARIO --phase PHASE --speeds FROM:TO:STEP --delays "
                             "FROM:TO:STEP</code> sweeps any phase on any grid.</p>")
            parts.append(f"<p>{len(g.limits)} site(s) swept against {first.n_russian if first else 0:,} Russian and "
                         f"{first.n_stated if first else 0:,} Iranian flights ({html.escape(grid)}; "
                         f"{g.run_s:,.1f} s)."
                         + (f" Not swept, because they engage no Russian flight at their catalog values: "
                            f"{html.escape(', '.join(g.left_out))}." if g.left_out else "") + "</p>")
            parts.append(html_table(["site (interceptor)", "catalog burnout speed", "cue of the speed sweep",
                                 "speed limit", "Iranian kept at it", "Iranian at catalog speed",
                                 "earliest launch after the threat's (cue limit)", "Iranian kept at it",
                                 "speeds the stage model reaches"], rows, {1, 4, 5, 7}))
            if g.limits:
                path = figures.guarantee_chart(g.limits, f"{self.scenario.name}, {g.phase}: where a limit stops "
                                               "Russian flights being engageable",
                                               self.figs.path(f"guarantee-{g.phase}"))
                parts.append(self.figs.embed(path, f"guarantee sweeps of {g.phase}",
                                             f"{html.escape(g.phase)}: per site, Russian flights engageable (solid) "
                                             "and Iranian flights covered (dashed) against burnout speed (left) and "
                                             "launch delay (middle), and the trade-off as the speed limit rises "
                                             "(right)."))
        parts.append("</section>")
        return "".join(parts)

    def early_phases(self) -> str:
        """Boost and ascent: can the sites engage a Russian ICBM there, and from how far would they have to be
        (computed by :mod:`shieldcheck.early_phase`)."""
        return early_phase_section.section(self.early, self.notes, self.figs, self.scenario.name, html_table)

    def how_to_read(self) -> str:
        f = self.facts
        examples = {}
        for r in f.rows:
            examples.setdefault(r.get("verdict"), r.get("message"))
        rows = [[f"<code>{html.escape(v)}</code>", html.escape(meaning),
                 html.escape(fmt(examples.get(v))) if examples.get(v) else
                 DASH + self.notes.mark("no row of this assessment has this verdict")]
                for v, meaning in _VERDICTS.items()]
        bounding = (f" Under {html.escape(self.bounding_words())} every site is assessed a second time: this bound, "
                    "used by published analyses to bound the question, ignores sensor coverage altogether: it asks "
                    "whether the interceptor could reach the threat if it were launched that early, not whether "
                    "the architecture's radars would let it." if "bounding" in f.bases else
                    " This scenario sets no bounding cue: only the architecture's own cueing is assessed.")
        return (
            '<section id="how-to-read"><h2>How to read this report</h2>'
            "<p>Every threat flight of the scenario is flown once on a rotating WGS 84 Earth; then, phase by phase, "
            "every site of the phase is tested against every flown flight. A flight is <em>engageable</em> in a "
            "phase when at least one of the phase's sites can intercept it. The results are <strong>physics-only "
            "feasibility</strong>: whether an interceptor could be at the threat in time, inside its altitude band "
            "and its sector, at a point its kill vehicle can use (the endgame: meeting the warhead roughly head-on, "
            "within its closing-speed, divert and range limits, unless the assumptions below say the endgame model "
            "is <code>none</code>). They say nothing of the probability of a kill, of discrimination of warheads from "
            "decoys, of countermeasures, of the number of interceptors left, or of command decisions. "
            "<a href=\"#numbers\">The numbers game</a> adds interceptor inventories, a kill probability, a shot "
            "doctrine, warheads, decoys and raids, each a stated assumption.</p>"
            "<p>Each site is first assessed under the <em>architecture's cueing</em>: its own cueing rule and "
            f"sensors, as the scenario states them.{bounding}</p>"
            "<p>A <em>margin</em> is in seconds: positive, the interceptor could be there that much early at "
            "its best point; negative, it is that much late. A “—” marks a value that does not apply; "
            "its numbered note (at the end) says why.</p>"
            + html_table(["verdict", "meaning", "example message from this assessment"], rows)
            + "</section>")

    def summary(self) -> str:
        f = self.facts
        bounded = "bounding" in f.bases
        stated_total = len(f.of_purpose("stated"))
        header = ["phase", "date", "Iranian flights engageable / flyable (architecture cueing)",
                  "Russian flights engageable / flyable (architecture cueing)"]
        if bounded:
            header.append("Russian flights engageable / flyable (bounding cue)")
        header.append("best Russian margin (architecture cueing)")
        if bounded:
            header.append("best Russian margin (bounding cue)")
        numeric = set(range(2, len(header)))
        rows = []
        for entry in f.summary():
            p = entry["phase"]
            cells = [html.escape(phase_label(p)), html.escape(p.date.isoformat())]
            cells.append(self._ratio(entry[("stated", "architecture")]))
            for basis in f.bases:
                cells.append(self._ratio(entry[("russian-concern", basis)]))
            for basis in f.bases:
                cell = entry[("russian-concern", basis)]
                text = self.notes.cell(cell["best_margin_s"], ",.0f", "s", signed=True,
                                       why="no Russian flight of this phase has a margin under this cue basis: "
                                       "every one is never tracked by the cueing sensors, out of the interceptors' "
                                       "reach or out of their altitude band")
                outside = cell["beyond_sector_margin_s"]
                if outside is not None and (cell["best_margin_s"] is None or outside > cell["best_margin_s"]):
                    text += self.notes.mark("closer outside a site's sector, where the site may not intercept: "
                                            "see the phase's Russian table (verdict beyond_sector); the margin "
                                            "shown counts only intercepts the sectors allow")
                cells.append(text)
            rows.append(cells)
        return ('<section id="summary"><h2>Summary</h2>'
                + _howto("One row per phase, in date order. The stated purpose counts the Iranian flights "
                         f"(of {stated_total:,} in the stated threat sets, only those a missile can fly) that at "
                         "least one site of the phase can engage under the architecture's own cueing. The Russian "
                         "columns count the Russian ICBM and SLBM flights to the US that some site could engage. "
                         "The best Russian margin says how close the phase comes: positive, some Russian flight is "
                         "engageable with that many seconds to spare; negative, the best Russian flight is missed "
                         "by that many seconds.")
                + html_table(header, rows, numeric) + "</section>")

    def _ratio(self, cell: dict) -> str:
        if not cell["flights"]:
            return DASH + self.notes.mark("no flight of this kind was flown, so none could be engaged")
        cls = "ok" if cell["engageable"] else "muted"
        return f'<span class="{cls}">{cell["engageable"]:,}</span> / {cell["flights"]:,}'

    def emergence(self) -> str:
        f = self.facts
        sentences = []
        for basis in f.bases:
            found = f.emergence(basis)
            words = ("the architecture's own cueing" if basis == "architecture" else html.escape(self.bounding_words()))
            if found is None:
                sentences.append(f"Under {words}, a Russian ICBM or SLBM bound for the US first becomes engageable "
                                 "in <strong>none of the assessed phases</strong>.")
                continue
            phase, engaged = found
            total = len(f.of(phase, "russian-concern", basis))
            sites = sorted({site_label(r) for o in engaged for r in o.engaged})
            cancelled = (f"; this phase was cancelled on {phase.cancelled.isoformat()} and never built"
                         if phase.cancelled else "")
            sentences.append(
                f"Under {words}, a Russian ICBM or SLBM bound for the US first becomes engageable in "
                f"<strong>{html.escape(phase.name)} ({html.escape(phase.date.isoformat())})</strong>{cancelled}: "
                f"{len(engaged):,} of {total:,} Russian flights, by {html.escape(', '.join(sites))}.")
        summary = f.summary()
        labels = [p.name + ("\n(cancelled)" if p.cancelled else "") for p in f.phases]
        arch = [e[("russian-concern", "architecture")]["best_margin_s"] for e in summary]
        bound = ([e[("russian-concern", "bounding")]["best_margin_s"] for e in summary] if "bounding" in f.bases
                 else None)
        share = [(e[("stated", "architecture")]["engageable"] / e[("stated", "architecture")]["flights"])
                 if e[("stated", "architecture")]["flights"] else None for e in summary]
        path = figures.emergence_chart(labels, arch, bound, share, self.figs.path("emergence"))
        figure = self.figs.embed(path, "best Russian margin and share of stated flights engageable, per phase",
                                 "Top: per phase, the best margin of any Russian flight at any site (bars above the "
                                 "zero line: engageable with that many seconds to spare; below: missed by that "
                                 "many; “no margin”: no Russian flight is tracked or within reach). Bottom: the "
                                 "share of flown stated (Iranian) flights engageable under the architecture's "
                                 "cueing.")
        return ('<section id="emergence"><h2>When a threat emerges</h2>'
                + _howto("The question behind the Russian concern: from which phase on could the defence engage "
                         "Russian strategic missiles bound for the US? Phases are taken in date order (a cancelled "
                         "phase is assessed as planned). A Russian flight is one of the scenario's threat sets "
                         "whose stated purpose is the Russian concern (purpose = \"russian-concern\"), "
                         "whatever the missile. “Engageable” is physics-only feasibility, not a "
                         "judgement of effectiveness.")
                + "".join(f'<p class="finding">{s}</p>' for s in sentences) + figure + "</section>")

    def numbers(self) -> str:
        from .. import attrition

        data = attrition.numbers(self.facts.assessment)
        a = data["assumptions"]
        pk, doctrine, decoys, told = a["single_shot_pk"], a["shot_doctrine"], a["decoys_per_warhead"], a["deterrent"]
        bases = [b for b in self.facts.bases if data["phases"] and b in data["phases"][0]["russian"]]

        def stated(item: dict, what: str) -> str:
            origin = ("stated by the scenario" if item["stated"] else
                      "NOT stated by the scenario: shieldcheck's default")
            flag = "an estimate" if item["estimate"] else "a published value"
            return (f"<li>{what}: <strong>{html.escape(str(item['value']))}</strong> ({origin}; source "
                    f"<code>{html.escape(item['source'])}</code>, {flag})"
                    + (f": {html.escape(item['note'])}" if item.get("note") else "") + "</li>")

        parts = ['<section id="numbers"><h2>The numbers game</h2>',
                 _howto("Kinematics says which flights a site could reach; this section asks how many warheads the "
                        "interceptors actually deployed could destroy, and how many of a raid would get through. "
                        "Each engageable Russian route counts as one missile flown at the defence, so the Russian "
                        "figure is an upper bound; it is compared with the size of the deterrent. The rules are "
                        "listed below and in docs/model.md; every number is also in attrition.json."),
                 "<ul>", stated(pk, "single-shot kill probability Pk"), stated(doctrine, "shot doctrine"),
                 stated(decoys, "decoys per warhead (not discriminated: each spends interceptors like a warhead)"),
                 f"<li>deterrent: <strong>{told['warheads']:,}</strong> warheads ({html.escape(told['name'])}; "
                 f"<code>{html.escape(told['source'])}</code>: {html.escape(told['citation'])}). "
                 f"{html.escape(told['note'] or '')}</li></ul>"]
        for p in data["phases"]:
            label = p["phase"] + (f" (cancelled {p['cancelled']})" if p["cancelled"] else "")
            parts.append(f"<h3>{html.escape(label)}</h3>")
            for b in bases:
                parts.append(f'<p class="finding">{html.escape(p["russian"][b]["sentence"])}</p>')
            for raid in p["raids"]:
                parts.append(f"<p>{html.escape(attrition.raid_sentence(raid, 'architecture'))}</p>")
            rows = []
            for site in p["sites"]:
                count = (fmt(site["count"], ",.0f") + f" ({site['count_source']}"
                         + (", estimate" if site["count_estimate"] else "") + ")") if site["count"] is not None \
                    else DASH + self.notes.mark("the scenario states no interceptor count for this site: it is not "
                                                "limited in the numbers game")
                cells = [html.escape(site["site"]), html.escape(site["interceptor"]), html.escape(count)
                         if site["count"] is not None else count]
                for b in bases:
                    mine = next(x for x in p["russian"][b]["sites"]
                                if (x["site"], x["interceptor"]) == (site["site"], site["interceptor"]))
                    cells += [fmt(mine["engageable_flights"], ",.0f"), fmt(mine["destroyed_at_most"], ",.1f")]
                rows.append(cells)
            header = ["site", "interceptor", "interceptors (source)"]
            for b in bases:
                header += [f"Russian flights engageable ({b})", f"warheads destroyed at most ({b})"]
            parts.append(html_table(header, rows, set(range(3, len(header)))))
        sweep_header = ["phase"] + [f"Pk {x:g}" for x in a["pk_sweep"]]
        sweep_rows = []
        for p in data["phases"]:
            basis = bases[-1]
            sweep_rows.append([html.escape(p["phase"])] + [fmt(x["russian_destroyed_at_most"][basis], ",.1f")
                                                          for x in p["pk_sweep"]])
        parts.append(f"<h3>Sweeps</h3><p>Russian warheads destroyed at most ({html.escape(bases[-1])} cue), "
                     "at each single-shot kill probability:</p>" + html_table(sweep_header, sweep_rows,
                                                                         set(range(1, len(sweep_header)))))
        for raid in data["raids"]:
            raid_rows = []
            for p in data["phases"]:
                values = [x["raid_expected_leaking_warheads"][raid["name"]]["architecture"] for x in p["pk_sweep"]]
                raid_rows.append([html.escape(p["phase"])] + [
                    fmt(v, ",.2f") if v is not None else DASH + self.notes.mark(
                        "no flight of the raid's threat set can be flown") for v in values])
            parts.append(f"<p>Raid '{html.escape(raid['name'])}' ({raid['missiles']:,} missiles, "
                         f"{html.escape(raid['source'])}{', estimate' if raid['estimate'] else ''}; drawn from "
                         f"{raid['pool_flown']:,} flyable of {raid['pool_flights']:,} flights of "
                         f"'{html.escape(raid['threat_set'])}'): expected leaking warheads at each Pk "
                         "(architecture's cueing)</p>" + html_table(sweep_header, raid_rows, set(range(1, len(sweep_header)))))
        # the test-record posterior beside the point values, and the deterrent's treaty status (attrition.py)
        parts.append("<h3>Kill probability from the test records</h3>" + "".join(
            f"<p>{html.escape(x)}</p>" for x in [told.get("treaty", {}).get("sentence", ""),
                                                  *attrition.posterior_sentences(data, bases[-1])] if x))
        parts.append("<h3>Rules</h3><ul>" + "".join(f"<li>{html.escape(r)}</li>" for r in
                                                    a["rules"] + a["test_records"]["rules"]) + "</ul>")
        parts.append("</section>")
        return "".join(parts)

    def uncertainty(self) -> str:
        """What the verdicts become over the catalog's ranges (assess --uncertainty)."""
        o = self.odds
        m = o.manifest
        rows = []
        for phase in self.facts.phases:
            for basis in self.facts.bases:
                for purpose in ("stated", "russian-concern"):
                    r = o.phase(phase.name, purpose, basis)
                    if r is None:
                        continue
                    rows.append([html.escape(phase_label(phase)), purpose, basis, f"{r['flights']:,}", f"{r['mean']:.1f}",
                                 f"{r['p05']:.0f}-{r['p95']:.0f}",
                                 f"{r['probability_any']:.2f} ({r['ci_low']:.2f}-{r['ci_high']:.2f})"])
        top = sorted((r for r in o.sensitivity if r["first_order_index"] is not None),
                     key=lambda r: -r["first_order_index"])[:6]
        ranking = "; ".join(f"{html.escape(r['parameter'])} ({r['purpose']}: {r['first_order_index']:.2f})" for r in top)
        c = o.convergence
        widest = "—" if c["max_ci_half_width"] is None else f"{c['max_ci_half_width']:.2f}"
        left = ("".join(f"<li>{html.escape(line)}</li>" for line in o.left_out)
                or "<li>none</li>")
        folder = Path(o.folder).name
        return ('<section id="uncertainty"><h2>How sure: the catalog\'s ranges</h2>'
                + _howto(f"Every verdict above is one point in the space of values the sources disagree on. Here the "
                         f"same engagements were evaluated in {m['cases']:,} cases ({html.escape(m['method'])}, seed "
                         f"{m['seed']}), each drawing every one of the {len(m['parameters'])} ranges below uniformly "
                         "within the range the catalog or the scenario gives it. Beside each verdict the flight tables "
                         "show P(engageable): the share of cases in which some site of the phase can engage the "
                         "flight, with its 95 % Wilson interval.")
                + html_table(["phase", "purpose", "cue basis", "flights", "mean engageable", "5th-95th percentile",
                          "P(at least one engageable)"], rows, {3, 4})
                + f"<p>Which ranges move the engageable count most (first-order variance-based index, estimated from "
                  f"the cases): {ranking or 'none varies it'}. Widest interval half-width: {widest} at "
                  f"{c['cases']:,} cases.</p>"
                + _details(f"The {len(m['parameters'])} ranges swept",
                           "<ul>" + "".join(f"<li>{html.escape(p['path'])}: {html.escape(p['basis'] or '')}</li>"
                                            for p in m["parameters"]) + "</ul>", open_=False)
                + _details("Ranges not swept, and why", f"<ul>{left}</ul>", open_=False)
                + f"<p>The cases, every row and the sweep's own summary are in <code>{html.escape(folder)}/</code> "
                  "(<code>summary.html</code>; <code>shieldcheck query</code> runs SQL over them).</p></section>")

    def phase(self, phase) -> str:
        out = [f'<section id="phase-{_slug(phase.name)}"><h2>{html.escape(phase_label(phase))}, '
               f"{html.escape(phase.date.isoformat())}</h2>"]
        if phase.note:
            out.append(f"<p>{html.escape(phase.note)}</p>")
        out.append(self.architecture(phase))
        out.append(self.stated(phase))
        out.append(self.russian(phase))
        out.append("</section>")
        return "".join(out)

    def architecture(self, phase) -> str:
        rows = []
        for s in phase.sites:
            rows.append([html.escape(s.site), html.escape(s.interceptor),
                         self.notes.cell(s.count.value if s.count else None,
                                         why="interceptor count not published or not given in the scenario"),
                         self.notes.cell(", ".join(s.sensors), why="the site has no radar of its own"),
                         html.escape(fmt(s.cueing)),
                         self.notes.cell(", ".join(s.cue_sensors), why="no remote sensor cues this site"),
                         self.notes.cell(s.sector, why="the site may intercept anywhere (no sector)"),
                         self.notes.cell(s.note, why="no note in the scenario")])
        return ("<h3>Architecture</h3>"
                + html_table(["site", "interceptor", "count", "own radars", "cueing", "cue sensors", "sector", "note"],
                         rows, {2}))

    def stated(self, phase) -> str:
        f = self.facts
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
                    otherwise = DASH + self.notes.mark("engageable: no reason to give")
                else:
                    sites = '<span class="no">none</span>'
                    otherwise = html.escape(nearest(o))
                rows.append([html.escape(x["launch"]), html.escape(x["missile"]), html.escape(fmt(x.get("trajectory"))),
                             sites, self.margin(o),
                             self.notes.cell(o.shots, why="not engageable: no shot"), otherwise]
                            + ([self.probability(phase, "architecture", x["flight_id"])] if self.odds else []))
        parts = ['<h3>Stated purpose: Iranian threats</h3>',
                 _howto("Per aim point and threat set, every flight a missile can fly from the launch areas "
                        "(the others are listed under “Flights not flown”), under the architecture's own cueing. "
                        "“Engageable by” lists the sites that could intercept; the margin is the best of them (or, "
                        "for a flight no site can engage, that of the nearest site: the one whose verdict comes "
                        "closest, then the larger margin; where every site fails alike with no margin, no site is "
                        "named and the text says why); the shots are the most "
                        "shoot-look-shoot attempts one site's window allows. An aim point is <em>defended</em> "
                        "when every flown flight against it is engageable. On the map: green tracks engageable, "
                        "red not; aim points green (defended), red (not) or grey (no flight flown); × intercept "
                        "points (earliest intercept); blue wedges the radars' coverage for a "
                        f"{fmt(self.rcs_m2, ',.2g')} m² target.")]
        if rows:
            flown_aims = [a for a, v in aim_status.items() if v is not None]
            defended = [a for a in flown_aims if aim_status[a]]
            missed = [a for a in flown_aims if not aim_status[a]]
            parts.append(f"<p>{len(defended):,} of the {len(flown_aims):,} aim points some flight can reach are "
                         "defended (every flown flight against them engageable)"
                         + (f"; not defended: {html.escape(', '.join(missed))}" if missed else "") + ".</p>")
            parts.append(_details(f"Every Iranian flight of {html.escape(phase.name)}, per aim point ({len(rows):,})",
                                  html_table(["launch area", "missile", "trajectory", "engageable by", "best margin",
                                          "max shots", "otherwise: nearest site and reason"]
                                         + (["P(engageable)"] if self.odds else []), rows, {4, 5},
                                         group_rows=group_rows), open_=len(rows) <= 12))
        else:
            parts.append("<p>No stated threat flight could be flown: there is nothing to engage.</p>")
        if idle:
            parts.append("<p>No flight could be flown to: " + html.escape("; ".join(idle))
                         + " (beyond the missiles' reach; see <a href=\"#not-flown\">Flights not flown</a>).</p>")
        parts.append(self.stated_map(phase, outcomes, aim_status))
        return "".join(parts)

    def stated_map(self, phase, outcomes: dict[int, Outcome], aim_status: dict) -> str:
        f = self.facts
        layers = figures.MapLayers(EUROPE_EXTENT, f"{phase_label(phase)}: stated purpose (Iranian threats)")
        layers.sectors = self._sectors(phase)
        layers.radars = _phase_radars(phase, self.rcs_m2)
        layers.sites = _phase_sites(phase)
        for flight_id, o in sorted(outcomes.items(), key=lambda kv: kv[1].engageable):
            track = _track(f, flight_id)
            if track:
                layers.tracks.append((*track, figures.ENGAGEABLE if o.engageable else figures.NOT_ENGAGED, 1.1))
            layers.intercepts += [(r["intercept_lat_deg"], r["intercept_lon_deg"], "black") for r in o.engaged
                                  if _num(r.get("intercept_lat_deg")) is not None
                                  and _num(r.get("intercept_lon_deg")) is not None]
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
        path = figures.layer_map(layers, self.figs.path(f"{phase.name}-stated"))
        infrared = _infrared(phase)
        extra = (f" Infrared warning sensors ({html.escape(', '.join(infrared))}) have no footprint on the map."
                 if infrared else "")
        defended = sorted(a for a, s in aim_status.items() if s)
        return self.figs.embed(path, f"map of {phase.name}, stated purpose",
                               f"{html.escape(phase_label(phase))}: sites, radar coverage, Iranian tracks and aim "
                               "points (plate carrée, latitude stretched by 1/cos(mid-latitude)). Defended area (aim points whose flown flights are all engageable): "
                               + html.escape(", ".join(defended) if defended else "none") + "." + extra)

    def _sectors(self, phase) -> list:
        used = {s.sector for s in phase.sites if s.sector}
        if not self.scenario.sectors:
            return []
        try:
            shapes = self.scenario.sector_shapes()
        except Exception:
            return []
        # every sector of the scenario (the other side's sector matters too), used ones first
        return sorted(shapes.values(), key=lambda s: s.name not in used)

    def russian(self, phase) -> str:
        f = self.facts
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
            row = [html.escape(fmt(x.get(k))) for k in ("launch", "missile", "trajectory", "aim")]
            for b in f.bases:
                o = by_basis[b].get(i)
                if o is None:
                    row += [DASH + self.notes.mark("not assessed under this cue basis"), DASH]
                    continue
                if o.engageable:
                    cls = "ok" if b == "architecture" else "bound"
                    text = (f'<span class="{cls}">engageable by '
                            + html.escape(", ".join(site_label(r) for r in o.engaged)) + "</span>"
                            + html.escape(f" ({fmt(o.shots)} shot(s) at most)"))
                else:
                    text = html.escape(f"not engageable; {nearest(o)}")
                row += [text, self.margin(o)] + ([self.probability(phase, b, i)] if self.odds else [])
            rows.append(row)
        header = ["launch", "missile", "trajectory", "aim"]
        numeric = set()
        for b in f.bases:
            header += [f"{b} cue: outcome", f"{b} cue: margin"] + ([f"{b} cue: P(engageable)"] if self.odds else [])
            numeric.add(len(header) - (2 if self.odds else 1))
        counts = []
        for b in f.bases:
            n = sum(o.engageable for o in by_basis[b].values())
            counts.append(f"{n:,} of {len(by_basis[b]):,} engageable under "
                          + ("the architecture's cueing" if b == "architecture" else "the bounding cue"))
        closest = max((o for b in f.bases for o in by_basis[b].values() if o.margin_s is not None),
                      key=lambda o: o.margin_s, default=None)
        if closest is not None:
            best_row = max(closest.engaged or [closest.best], key=lambda r: _num(r.get("margin_s")) or -1e18)
            near = (f" Closest: {f.flight_name(closest.flight_id)} at {site_label(best_row)} "
                    f"({best_row.get('cue_basis')} cue): {fmt(best_row.get('message'))}.")
        else:
            near = (" No Russian flight has a margin at any site: each is never tracked by the cueing sensors, "
                    "never within the interceptors' reach or never in their altitude band.")
        parts = ["<h3>Russian concern: Russian ICBMs and SLBMs bound for the US</h3>",
                 _howto("Every flown Russian flight, those closest to an intercept first. For an engageable flight "
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
                      _details(f"All {len(rows):,} Russian flights of {html.escape(phase.name)}",
                               html_table(header, rows, numeric), open_=False)]
        else:
            parts.append(html_table(header, rows, numeric))
        parts.append(self.russian_map(phase, by_basis))
        return "".join(parts)

    def russian_map(self, phase, by_basis: dict) -> str:
        f = self.facts
        layers = figures.MapLayers(NORTH_EXTENT, f"{phase_label(phase)}: Russian ICBMs and SLBMs to the US",
                                   width_in=9.0, polar=True)
        layers.sectors = self._sectors(phase)
        layers.radars = _phase_radars(phase, self.rcs_m2)
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
                                      if _num(r.get("intercept_lat_deg")) is not None
                                      and _num(r.get("intercept_lon_deg")) is not None]
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
        path = figures.layer_map(layers, self.figs.path(f"{phase.name}-russian"))
        return self.figs.embed(path, f"map of {phase.name}, Russian flights",
                               f"{html.escape(phase_label(phase))}: Russian ICBM and SLBM ground tracks to the US "
                               "(azimuthal equidistant projection centred on the North Pole: distances and "
                               "directions from the pole are true; white dots: launch and aim points), the phase's "
                               "sites and radar coverage, and the intercept points.")

    def defended_areas(self) -> str:
        """Per phase, the footprint of the representative stated threat (computed by
        :func:`shieldcheck.footprint.defended_areas` and handed in: the report computes no physics)."""
        parts = ['<section id="defended-areas"><h2>Defended areas</h2>']
        footprints = self.footprints
        if footprints is None:
            parts.append("<p>Footprints were not computed for this report; <code>shieldcheck footprint</code> "
                          "computes them for any phase, launch area, missile and region.</p></section>")
            return "".join(parts)
        if not footprints:
            parts.append("<p>The scenario states no threat (no stated threat set): there is no footprint to show."
                         "</p></section>")
            return "".join(parts)
        first = footprints[0]
        cells = first.grid
        parts.append(_howto(
            f"For each phase, the aim points of {html.escape(str(cells.region))} whose flights the phase's sites "
            f"can engage: {html.escape(first.missile)} from {html.escape(first.launch)}, the first launch area and "
            "missile of the scenario's first stated threat set, on minimum-energy trajectories, under each site's "
            f"own cueing. The region is cut into {fmt(cells.cell_km, ',.0f', 'km')} equal-area cells (a coarse grid, "
            "to keep the report quick: <code>shieldcheck footprint --grid-km 25</code> gives a finer one). Each "
            "flight of a fan counts where it actually lands; a cell is <em>defended</em> when every flight landing "
            "in it is engageable by some site, <em>partly</em> when some are; cells no flight lands in are beyond "
            "the missile's reach. The area counts defended cells only."))
        rows = []
        for f in footprints:
            capitals = f.capitals_inside
            others = [p for p in f.places_inside if p not in capitals]
            rows.append([html.escape(f.phase), html.escape("; ".join(f.sites)),
                         html.escape(fmt(f.area_km2, ",.0f", "km²")), html.escape(fmt(f.partly_area_km2, ",.0f", "km²")),
                         html.escape(fmt(f.reachable_area_km2, ",.0f", "km²")),
                         html.escape(", ".join(capitals)) if capitals else "none",
                         html.escape(", ".join(others)) if others else "none"])
        parts.append(html_table(["phase", "sites (cueing)", "defended area", "partly defended", "reached by the missile",
                             "capitals inside", "other cities inside"], rows, {2, 3, 4}))
        for f in footprints:
            path = figures.footprint_map(f, self.figs.path(f"{f.phase}-defended-area"))
            parts.append(self.figs.embed(
                path, f"defended area of {f.phase}",
                f"{html.escape(f.phase)}: defended area against {html.escape(f.missile)} from "
                f"{html.escape(f.launch)}, {html.escape(fmt(f.area_km2, ',.0f', 'km²'))} (green; yellow partly "
                "defended, orange reached but not defended). Map: plate carrée, latitude stretched by "
                "1/cos(mid-latitude); cells are squares of the Lambert azimuthal equal-area projection centred on "
                f"the region, {html.escape(fmt(f.cell_area_km2, ',.0f', 'km²'))} each."))
        parts.append(_details("How these footprints were computed", "<ul>" + "".join(
            f"<li>{html.escape(line)}</li>" for line in first.assumptions) + "</ul>", open_=False))
        parts.append("</section>")
        return "".join(parts)

    def evasive(self) -> str:
        """Glide vehicles and fractional orbits: engageable by phase, and when each radar first sees them
        against a ballistic missile on the same route."""
        f = self.facts
        ids = f.evasive_ids()
        if not ids:
            return ""
        rows = []
        for flight_id in ids:
            for phase in f.phases:
                cells = [html.escape(f.flight_name(flight_id)), html.escape(phase.name)]
                for basis in f.bases:
                    o = f.of(phase, "russian-concern", basis).get(flight_id)
                    cells.append(DASH + self.notes.mark("not assessed under this cue basis") if o is None else
                                 ('<span class="ok">engageable by ' + html.escape(", ".join(site_label(r) for r in o.engaged))
                                  + "</span>") if o.engageable else
                                 html.escape(f"not engageable; {nearest(o)}"))
                rows.append(cells)
        seen = []
        for flight_id in ids:
            twin = f.ballistic_twin(flight_id)
            mine, theirs = f.detections(flight_id), f.detections(twin)
            for sensor in sorted(set(mine) | set(theirs)):
                cells = [html.escape(f.flight_name(flight_id)), html.escape(sensor)]
                for found, who in ((mine, "this flight"), (theirs, "the ballistic missile")):
                    first, track = found.get(sensor, (None, None))
                    cells += [self.notes.cell(first, ",.0f", " s", why=f"{who}: never detected by this sensor"),
                              self.notes.cell(track, ",.0f", " s", why=f"{who}: never tracked by this sensor")]
                cells.append(html.escape(f.flight_name(twin)) if twin is not None else
                             DASH + self.notes.mark("no ballistic flight on the same route in the threat sets"))
                seen.append(cells)
        header = ["flight", "phase"] + [f"{b} cue" for b in f.bases]
        parts = ['<section id="evasive"><h2>Threats built to evade defences</h2>',
                 _howto("Glide vehicles and fractional-orbit (FOBS) flights: first, phase by phase, whether a site "
                        "could engage them; then, radar by radar (every sensor of the catalog, whatever the "
                        "architecture), when each is first detected and tracked (seconds after launch) beside a "
                        "ballistic ICBM flown from the same launch area to the same aim point on its "
                        "minimum-energy path. The models are stated in every flight's row of flights.parquet "
                        "(flight_model): the glide vehicle's lift law and lift-to-drag ratio, the FOBS orbit and "
                        "deorbit impulse."),
                 html_table(header, rows)]
        if seen:
            parts.append(html_table(["flight", "sensor", "first detection", "track", "ballistic: first detection",
                                 "ballistic: track", "ballistic missile on the same route"], seen, {2, 3, 4, 5}))
        else:
            parts.append("<p>No sensor of the catalog detects these flights or their ballistic counterparts.</p>")
        return "".join(parts) + "</section>"

    def picks(self) -> list[tuple[str, dict]]:
        """The representative (reason, result row) pairs the timelines and battle spaces show."""
        f = self.facts
        picks: list[tuple[str, dict]] = []

        def best(purpose: str, basis: str, feasible_only: bool = False):
            rows = [r for r in f.rows if r.get("purpose") == purpose and r["cue_basis"] == basis
                    and _num(r.get("margin_s")) is not None and (not feasible_only or r.get("verdict") == "feasible")]
            return max(rows, key=lambda r: r["margin_s"], default=None)

        for why, row in (("the Russian flight with the best margin under the architecture's cueing",
                          best("russian-concern", "architecture")),
                         ("the Russian flight with the best margin under the bounding cue",
                          best("russian-concern", "bounding")),
                         ("an Iranian flight engageable under the architecture's cueing (the best margin)",
                          best("stated", "architecture", True)),
                         ("the Iranian flight that comes closest (no Iranian flight is engageable under the "
                          "architecture's cueing)", None if best("stated", "architecture", True) else
                          next((best("stated", b) for b in f.bases if best("stated", b)), None))):
            if row is not None and not any(p[1]["flight_id"] == row["flight_id"] and p[1]["phase"] == row["phase"]
                                           and p[1]["cue_basis"] == row["cue_basis"] for p in picks):
                picks.append((why, row))
        endgame_fails = next((r for r in f.rows if r.get("purpose") == "russian-concern" and r["cue_basis"] == "bounding"
                              and r.get("verdict") == "endgame_infeasible"), None)
        if endgame_fails is not None:
            picks.append(("a Russian flight the interceptor reaches but its kill vehicle cannot use (bounding cue)",
                          endgame_fails))
        return picks

    def timelines(self) -> str:
        f = self.facts
        picks = self.picks()
        parts = ['<section id="timelines"><h2>Timelines</h2>',
                 _howto("For a few representative flights, every site of the phase on one line each: the threat's "
                        "flight from launch to impact (grey), the first detection and the established track of "
                        "the site's cueing sensors (under a delay cue there are none: the launch is at the stated "
                        "delay), the interceptor's launch (▲), the intercept window (green: the times at which "
                        "an interceptor launched then could meet the threat in its altitude band) and the earliest "
                        "intercept (×). A site with no green bar cannot intercept; its verdict is written at the "
                        "right.")]
        if not picks:
            parts.append("<p>No flight has a margin at any site: there is no engagement to show.</p></section>")
            return "".join(parts)
        items, listed = [], []
        for why, row in picks:
            rows = [r for r in f.rows if r["flight_id"] == row["flight_id"] and r.get("phase") == row.get("phase")
                    and r["cue_basis"] == row["cue_basis"]]
            rows.sort(key=lambda r: site_label(r))
            flight_time = _num(row.get("flight_time_s"))
            if flight_time is None:
                flight_time = _num(f.flights.get(row["flight_id"], {}).get("flight_time_s"))
            if flight_time is None:
                continue
            title = (f"{f.flight_name(row['flight_id'])}: {row.get('phase')}, {row['cue_basis']} cue "
                     f"(flight {flight_time:,.0f} s)")
            sites = [{"label": site_label(r), "verdict": (r.get("verdict") or "").replace("_", " "),
                      **{k: _num(r.get(k)) for k in ("first_detection_s", "track_s", "interceptor_launch_s",
                                                     "window_earliest_s", "window_latest_s", "intercept_time_s")}}
                     for r in rows]
            items.append(figures.Timeline(title, flight_time, sites))
            listed.append(f"<li>{html.escape(title)}: {html.escape(why)}.</li>")
        if not items:
            parts.append("<p>No flight time is known for the chosen flights.</p></section>")
            return "".join(parts)
        path = figures.timelines(items, self.figs.path("timelines"))
        parts.append("<ul>" + "".join(listed) + "</ul>")
        parts.append(self.figs.embed(path, "engagement timelines", "Engagement timelines, one panel per flight, "
                                     "times in seconds after the threat's launch."))
        parts.append("</section>")
        return "".join(parts)

    def battle_spaces(self) -> str:
        """For the representative pairs: why the intercept works or fails, drawn as analysts draw it."""
        from .battlespace import figure_of_row

        parts = ['<section id="battle-space"><h2>Battle space</h2>',
                 _howto("For the representative pairs of the timelines: the threat's altitude against time (left) "
                        "and against ground range from the interceptor site (right). Each point of the threat's "
                        "path is coloured by what it offers the interceptor launched on the cue: usable in time "
                        "(green), reached in time but failing the kill vehicle's endgame (orange: a tail chase, a "
                        "closing speed or divert beyond its limits), reached only late (red), out of reach or of "
                        "the altitude band (grey). The blue lines on the right are the interceptor's reach: its "
                        "earliest arrival, seconds after its launch, from the reach envelope facing the threat.")]
        drawn = 0
        shapes = self.scenario.sector_shapes() if self.scenario.sectors else {}  # once, for every pair
        for why, row in self.picks():
            title = f"{self.facts.flight_name(row['flight_id'])}: {site_label(row)}, {row.get('phase')}, {row['cue_basis']} cue"
            try:
                drawn_pair = figure_of_row(self.scenario, self.facts.assessment.flights, row,
                                           self.figs.path(f"battle-space-{drawn + 1}"), title, shapes)
            except (KeyError, ValueError, StopIteration):
                continue
            if drawn_pair is None:
                continue
            path, result = drawn_pair
            parts.append(self.figs.embed(path, f"battle space: {title}",
                                         f"{html.escape(title)}: {html.escape(why)}. {html.escape(result.message)}"
                                         + (f" ({html.escape(result.detail)})" if result.detail else "")))
            drawn += 1
        if not drawn:
            parts.append("<p>No pair to draw: no flight was flown.</p>")
        return "".join(parts) + "</section>"

    def not_flown(self) -> str:
        f = self.facts
        missing = sorted((x for x in f.flights.values() if x.get("status") != "flown"),
                         key=lambda x: (", ".join(x.get("threat_sets", ())), x.get("missile"), x.get("launch"),
                                        x.get("aim")))
        parts = ['<section id="not-flown"><h2>Flights not flown</h2>',
                 _howto("Flights of the threat sets that the catalog's missile cannot fly: the aim point lies "
                        "beyond its reach on that bearing (reach computed for the missile as modelled, on a "
                        "rotating Earth), or no aim solution was found. They take no part in the engagements; "
                        "the reason gives the numbers.")]
        if not missing:
            parts.append("<p>Every threat flight was flown.</p></section>")
            return "".join(parts)
        rows = [[html.escape(", ".join(x.get("threat_sets", ()))), html.escape(fmt(x.get("launch"))),
                 html.escape(fmt(x.get("aim"))), html.escape(fmt(x.get("missile"))),
                 html.escape(fmt(x.get("trajectory"))), html.escape(fmt(x.get("status"))),
                 self.notes.cell(x.get("reason"), why="no reason recorded")] for x in missing]
        counts = defaultdict(int)
        for x in missing:
            counts[x.get("missile")] += 1
        parts.append("<p>" + html.escape(f"{len(missing):,} of {len(f.flights):,} flights not flown: "
                                         + ", ".join(f"{m} {n}" for m, n in sorted(counts.items()))) + ".</p>")
        parts.append(_details(f"All {len(rows):,} flights not flown",
                              html_table(["threat sets", "launch", "aim", "missile", "trajectory", "status", "reason"],
                                     rows), open_=len(rows) <= 30))
        parts.append("</section>")
        return "".join(parts)

    def assumptions(self) -> str:
        s, f = self.scenario, self.facts
        a = s.assumptions
        rows = []
        for name in type(a).model_fields:
            item = getattr(a, name)
            if item is None:
                continue
            unit = {"s": "s", "m2": "m²", "km": "km"}.get(name.rsplit("_", 1)[-1], "")
            if hasattr(item, "source"):
                value = item.value
                shown = html.escape(fmt(value, ",.4g", unit)) if not isinstance(value, str) else html.escape(value)
                rows.append([f"<code>{html.escape(name)}</code>", shown, html.escape(fmt(item.source)),
                             html.escape(fmt(item.estimate)),
                             self.notes.cell(item.note, why="no note given in the scenario")])
            else:
                rows.append([f"<code>{html.escape(name)}</code>", html.escape(fmt(item)),
                             DASH + self.notes.mark("a rule of the scenario file, not a cited number: no source "
                                                    "key and no estimate flag"),
                             DASH + self.notes.mark("a rule of the scenario file, not a cited number: no source "
                                                    "key and no estimate flag"),
                             html.escape("the cueing rule of every site that states none"
                                         if name == "cueing" else "")])
        parts = ['<section id="assumptions"><h2>Assumptions</h2>',
                 _howto("The scenario's assumptions, each with its source key (see Sources) and whether it is an "
                        "estimate, then the model settings recorded with every result row. Estimates are the "
                        "numbers to sweep: the results hold only for the values shown."),
                 "<h3>Scenario assumptions</h3>",
                 html_table(["assumption", "value", "source", "estimate", "note"], rows)]
        if s.sectors:
            sector_rows = [[html.escape(x.name), html.escape(", ".join(x.countries)),
                            html.escape(fmt(x.buffer_km.value, ",.0f", "km")), html.escape(x.source),
                            self.notes.cell(x.note, why="no note given in the scenario")] for x in s.sectors]
            parts += ["<h3>Sectors</h3>", html_table(["sector", "countries (Natural Earth)", "buffer", "source", "note"],
                                                 sector_rows)]
        settings: dict[str, set] = defaultdict(set)
        bands: dict[str, dict] = {}
        cueing: dict[tuple, list[str]] = defaultdict(list)
        for r in f.rows:
            try:
                data = json.loads(r.get("assumptions") or "{}")
            except (TypeError, ValueError):
                data = {}
            bands.setdefault(r.get("interceptor"), data)
            key = (site_label(r), r["cue_basis"], fmt(data.get("cueing", r.get("cueing"))),
                   fmt(data.get("cue_sensors")))
            if r.get("phase") not in cueing[key]:
                cueing[key].append(r.get("phase"))
            for k, v in data.items():
                if k in ("cueing", "cue_sensors") or k.endswith(("intercept_altitude_km", "burnout_speed_km_s")) \
                        or k in ENDGAME_KEYS:
                    continue
                settings[k].add(fmt(v, ",.6g"))
        setting_rows = [[f"<code>{html.escape(k)}</code>", html.escape(", ".join(sorted(v)))]
                        for k, v in sorted(settings.items())]
        parts += ["<h3>Model settings (from the result rows)</h3>", html_table(["setting", "value(s)"], setting_rows)]
        band_rows = [[html.escape(fmt(name)),
                      self.notes.cell(_num(d.get("min_intercept_altitude_km")), ",.0f", "km",
                                      why="not recorded with the rows"),
                      self.notes.cell(_num(d.get("max_intercept_altitude_km")), ",.0f", "km",
                                      why="not recorded with the rows"),
                      self.notes.cell(_num(d.get("interceptor_burnout_speed_km_s")), ",.2f", "km/s",
                                      why="the interceptor's burnout speed is not recorded with the rows")]
                     for name, d in sorted(bands.items(), key=lambda kv: str(kv[0]))]
        parts += ["<h3>Interceptors: intercept altitude band</h3>",
                  html_table(["interceptor", "lowest intercept", "highest intercept", "burnout speed"], band_rows,
                         {1, 2, 3})]
        parts += self._endgame_limits(sorted(name for name in bands if name))
        cue_rows = [[html.escape(k[0]), html.escape(k[1]), html.escape(k[2]),
                     html.escape(k[3]) if k[3] != DASH else DASH + self.notes.mark(
                         "a delay cue: the launch time is fixed, no sensor is involved"),
                     html.escape(", ".join(str(p) for p in phases))] for k, phases in sorted(cueing.items())]
        parts += ["<h3>Cueing rules as assessed</h3>",
                  html_table(["site (interceptor)", "cue basis", "rule", "sensors whose track cues the launch", "phases"],
                         cue_rows)]
        parts.append("</section>")
        return "".join(parts)

    def _endgame_limits(self, interceptors: list[str]) -> list[str]:
        """The kill vehicles' endgame limits as assessed, each with the range the catalog gives for it."""
        cat = catalog.load()
        models = {json.loads(r.get("assumptions") or "{}").get("endgame", "kinematic").split(" ")[0]
                  for r in self.facts.rows}
        rows = []
        for name in interceptors:
            record = cat.interceptors.get(cat.find("interceptor", name))
            kv = record.kill_vehicle if record else None
            if kv is None:
                rows.append([html.escape(name)] + [DASH + self.notes.mark(
                    "the catalog gives this interceptor no hit-to-kill kill vehicle: its operational range only")] * 5
                            + [html.escape(fmt(record.max_range_km.value, ",.0f", "km")) if record and record.max_range_km
                               else DASH + self.notes.mark("no operational range in the catalog")])
                continue
            cells = [html.escape(name)]
            for item, unit, spec in ((kv.min_closing_speed_km_s, "km/s", ".1f"), (kv.max_closing_speed_km_s, "km/s", ".1f"),
                                     (kv.max_crossing_angle_deg, "deg", ".0f"), (kv.divert_km_s, "km/s", ".1f"),
                                     (kv.time_to_go_s, "s", ".0f")):
                cells.append(html.escape(f"{item.value:{spec}} {unit} ({item.low:{spec}}–{item.high:{spec}})"))
            cells.append(html.escape(fmt(record.max_range_km.value, ",.0f", "km")) if record.max_range_km
                         else DASH + self.notes.mark("no operational range in the catalog"))
            rows.append(cells)
        intro = ("Endgame model of these results: " + ", ".join(sorted(models)) + ". With the kinematic model a "
                 "point the interceptor reaches in time is usable only within these limits of its kill vehicle "
                 "(value, then the range to sweep; every one an estimate: see the catalog notes); with none a "
                 "tail chase counts as an intercept.")
        return ["<h3>Kill vehicles: endgame limits</h3>", _howto(intro),
                html_table(["interceptor", "closing speed at least", "closing speed at most", "crossing angle at most",
                        "divert", "seeker time-to-go", "operational range"], rows)]

    def sources(self) -> str:
        cat = catalog.load()
        cited: dict[str, list[str]] = defaultdict(list)
        for key in self.scenario.source_keys():
            cited[key].append("scenario")
        for key in early_phase_section.CONTEXT_SOURCES if self.early is not None else ():
            cited[key].append(early_phase_section.TITLE.lower())
        for key, what in _catalog_keys(self.scenario, self.facts):
            if what not in cited[key]:
                cited[key].append(what)
        rows = []
        for key, users in cited.items():
            record = cat.sources.get(key)
            if record is None:
                continue
            text = html.escape(record.citation)
            url = getattr(record, "url", None)
            if url and re.match(r"https?://", url):
                text += f' <a href="{html.escape(url, quote=True)}">{html.escape(url)}</a>'
            if getattr(record, "accessed", None):
                text += html.escape(f" (accessed {record.accessed})")
            shown = users[:6]
            more = f" and {len(users) - 6} more" if len(users) > 6 else ""
            rows.append([f"<code>{html.escape(key)}</code>", text, html.escape(", ".join(shown) + more)])
        return ('<section id="sources"><h2>Sources</h2>'
                + _howto("Every source the scenario cites, then those of the catalog records it uses (missiles, "
                         "interceptors, sensors, sites and drag tables). Keys are those of the assumptions and of "
                         "the catalog files. Links lead to the cited documents and are not needed to read this "
                         "report.")
                + html_table(["key", "citation", "cited by"], rows) + "</section>")

    def build(self, progress=None) -> str:
        """The page; ``progress(done, total, what)`` is called as each section is written."""
        start = time.perf_counter()
        sections = [self.title, self.answers, self.header, self.contents, self.how_to_read, self.summary,
                    self.emergence, self.guarantee, self.early_phases, self.numbers]
        sections += [self.uncertainty] if self.odds else []
        sections += [functools.partial(self.phase, p) for p in self.facts.phases]
        sections += [self.defended_areas, self.evasive, self.timelines, self.battle_spaces, self.not_flown,
                     self.assumptions, self.sources]
        body = []
        for done, section in enumerate(sections, 1):
            body.append(section())
            if progress:
                progress(done, len(sections), "writing the report")
        body.append('<section id="notes"><h2>Notes</h2><p>Why a cell shows “—”.</p>' + self.notes.html()
                    + "</section>")
        took = time.perf_counter() - start
        body.append(f"<footer>Written by shieldcheck's report module in {took:,.1f} s; maps from Natural Earth "
                    "(public domain). Physics-only feasibility, and in the numbers game a stated kill probability and "
                    "doctrine: no discrimination, no countermeasures beyond stated decoys.</footer>")
        self.figs.tidy()
        return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
                '<meta name="viewport" content="width=device-width, initial-scale=1">'
                f"<title>{html.escape(self.scenario.title)}</title><style>{STYLE_CSS}</style></head><body>"
                + "".join(body) + "</body></html>\n")


def _catalog_keys(scenario, facts: Facts) -> list[tuple[str, str]]:
    """(source key, record name) of the catalog records the scenario uses."""
    cat = catalog.load()
    out: list[tuple[str, str]] = []

    def walk(obj, what: str):
        if isinstance(obj, dict):
            for k, v in obj.items():
                if k == "source" and isinstance(v, str):
                    out.append((v, what))
                else:
                    walk(v, what)
        elif isinstance(obj, (list, tuple)):
            for v in obj:
                walk(v, what)

    def record(table: str, name: str):
        try:
            real = cat.find(table, name)
        except Exception:
            return None
        return {"missile": cat.missiles, "interceptor": cat.interceptors, "sensor": cat.sensors,
                "site": cat.sites}[table].get(real)

    missiles = sorted({x["missile"] for x in facts.flights.values()})
    interceptors = sorted({s.interceptor for p in scenario.phases for s in p.sites})
    sensors = sorted({n for p in scenario.phases for s in p.sites for n in (*s.sensors, *s.cue_sensors)})
    sites = {s.site for p in scenario.phases for s in p.sites}
    sites |= {x[k] for x in facts.flights.values() for k in ("launch", "aim")}
    for table, names in (("missile", missiles), ("interceptor", interceptors), ("sensor", sensors)):
        for name in names:
            rec = record(table, name)
            if rec is None:
                continue
            walk(rec.model_dump(), rec.name)
            drags = []
            if table == "missile":
                drags = [rec.reentry_vehicle.drag_table, rec.body.drag_table]
            elif table == "interceptor":
                drags = [rec.payload.drag_table]
            for d in drags:
                if d in cat.drag:
                    out.append((cat.drag[d].source, f"drag table {d}"))
            if table == "sensor" and getattr(rec, "site", None):
                sites.add(rec.site)
    for name in sorted(sites):
        rec = record("site", name)
        if rec is not None:
            walk(rec.model_dump(), rec.name)
    return out


def write_report(assessment, out_dir: Path, progress=None, footprints=None, uncertainty=None,
                 guarantees=None, early_phase=None) -> Path:
    """Write ``out_dir/report.html`` (self-contained) and ``out_dir/figures/*.png``; return the HTML path.
    ``progress(done, total, what)`` is called as each section is written; ``footprints`` (a list of
    :class:`shieldcheck.footprint.Footprint`, one per phase, from ``footprint.defended_areas``) fill the
    "Defended areas" section, which otherwise says that they were not computed; ``uncertainty`` (an
    :class:`shieldcheck.aggregate.SweepOdds`) adds each verdict's probability under the catalog's ranges;
    ``guarantees`` (a list of :class:`shieldcheck.guarantee.PhaseLimits`, from ``guarantee.for_assessment``)
    fill "A limit that would guarantee it", which otherwise says that it was not run; ``early_phase`` (an
    :class:`shieldcheck.early_phase.EarlyPhase`, from ``early_phase.for_assessment``) fills "The early phases",
    which otherwise says that it was not computed."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    text = _Report(assessment, out_dir, footprints, uncertainty, guarantees, early_phase).build(progress)
    path = out_dir / "report.html"
    return atomic.write_text(path, text)
