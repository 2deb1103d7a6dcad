"""Treaty wording: the only limits on missile-defence interceptors the two sides ever negotiated.

The 1997 ABM demarcation texts (catalog sources ``ABM97_AS1``, ``ABM97_AS2``, ``HEL97``, ``ABM97_SCC``;
docs/literature.md section 12a) draw four lines, each kept here once, as data with its source:

* **lower velocity, 3.0 km/s** (First Agreed Statement, 26 Sep 1997): an interceptor whose velocity
  demonstrated in tests does not exceed, and has not exceeded, 3 km/s "over its flight trajectory";
* **Helsinki, 5.5 km/s land or air based, 4.5 km/s sea based** (Helsinki Joint Statement, 21 Mar
  1997, and the annual exchange): no plans for interceptors "whose velocity over any part of their
  flight trajectory exceeds" these;
* **test target, 5.0 km/s and 3,500 km** (both Agreed Statements): a test is compliant while the
  ballistic target does not exceed a velocity of 5 km/s or a range of 3,500 km.

"Does not exceed" is read as written: a speed equal to a line is on the allowed side (3.0 km/s is
lower-velocity; a target of 5.0 km/s and 3,500 km is compliant). Values are compared as given, in
km/s and km, with no tolerance.

What speed of the catalog is compared. The texts speak of the maximum velocity over any part of
the trajectory, as demonstrated in tests; they do not name a frame. An interceptor and a ballistic
missile are fastest at burnout (after it a climbing vehicle only slows), and the other side would
measure the speed from the ground, with radars fixed to the Earth. So the speed taken is the
**burnout speed relative to the rotating Earth**: for an interceptor the catalog's
``burnout_speed_km_s`` (the fastest Earth-relative burnout of its fly-out fan, the calibration target
of its stage model, docs/sources.md, "Calibration against burnout speeds"), with the band of its
sources; for a target the Earth-relative burnout speed of its maximum-range flight
(:func:`aiming.maximum_range_km`, due north from the catalog's reference site,
``catalog.range_check_site``), and that flight's range; for a fractional orbit, its insertion orbit's
perigee speed. The inertial speed is larger by up to the
Earth's surface rotation speed (465 m/s at the equator) and is not what a ground radar measures.

A missile classified here is classified as flown to its full range: any missile can be flown as a
compliant target by cutting its thrust early or lofting it; what the classification says is whether
its full performance lies within the target lines.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from . import limits
from .constants import WGS84_EQUATORIAL_RADIUS_M, WGS84_GM_M3_S2
from .errors import InputError

# The lines, in km/s and km, each with the text it comes from (catalog sources.toml keys).
LOWER_VELOCITY_KM_S = 3.0  # ABM97_AS1: "does not exceed 3 km/sec over its flight trajectory"
HELSINKI_SEA_KM_S = 4.5  # HEL97, ABM97_SCC: sea-based interceptors
HELSINKI_LAND_AIR_KM_S = 5.5  # HEL97, ABM97_SCC: land- or air-based interceptors
TARGET_SPEED_KM_S = 5.0  # ABM97_AS1, ABM97_AS2: the ballistic target's velocity in a test
TARGET_RANGE_KM = 3_500.0  # ABM97_AS1, ABM97_AS2: the ballistic target's range in a test

BASINGS = ("land", "sea", "air")

# How a limit is written in the texts' words (the SCC statement's "over any part of their flight trajectory",
# the First Agreed Statement's "demonstrated in tests")
LIMIT_WORDING = "maximum velocity over any part of the trajectory, as demonstrated in tests, not to exceed {speed} km/s"
SPEED_TAKEN = ("burnout speed relative to the rotating Earth (the fastest point of the trajectory, as a ground "
               "radar measures it)")


@dataclass(frozen=True)
class Line:
    """One line of the 1997 texts: what it limits, its value, to which basing it applies, its words and source."""

    name: str
    quantity: str  # "interceptor speed", "target speed", "target range"
    value: float  # km/s for a speed, km for a range
    unit: str
    basings: tuple[str, ...]  # the interceptor basings it applies to; () for a target line
    wording: str
    source: str  # sources.toml key
    date: datetime.date

    @property
    def words(self) -> str:
        """The line in a few words: ``lower-velocity line (3.0 km/s, First Agreed Statement 26 Sep 1997)``."""
        value = f"{self.value:,.0f}" if self.unit == "km" else f"{self.value:.1f}"
        return f"{self.name} ({value} {self.unit}, {self.source} {self.date:%d %b %Y})"


LINES = (
    Line("lower-velocity line", "interceptor speed", LOWER_VELOCITY_KM_S, "km/s", BASINGS,
         "velocity demonstrated in tests does not exceed, and has not exceeded, 3 km/s over its flight trajectory",
         "ABM97_AS1", datetime.date(1997, 9, 26)),
    Line("Helsinki sea-based line", "interceptor speed", HELSINKI_SEA_KM_S, "km/s", ("sea",),
         "no plans for sea-based interceptors whose velocity over any part of their flight trajectory exceeds "
         "4.5 km/s", "HEL97", datetime.date(1997, 3, 21)),
    Line("Helsinki land/air-based line", "interceptor speed", HELSINKI_LAND_AIR_KM_S, "km/s", ("land", "air"),
         "no plans for land- or air-based interceptors whose velocity over any part of their flight trajectory "
         "exceeds 5.5 km/s", "HEL97", datetime.date(1997, 3, 21)),
    Line("test-target speed line", "target speed", TARGET_SPEED_KM_S, "km/s", (),
         "not tested against a ballistic target missile exceeding a velocity of 5 km/s", "ABM97_AS1",
         datetime.date(1997, 9, 26)),
    Line("test-target range line", "target range", TARGET_RANGE_KM, "km", (),
         "not tested against a ballistic target missile exceeding a range of 3,500 km", "ABM97_AS1",
         datetime.date(1997, 9, 26)),
)
INTERCEPTOR_LINES = tuple(line for line in LINES if line.quantity == "interceptor speed")
SOURCES = ("ABM97_AS1", "ABM97_AS2", "HEL97", "ABM97_SCC", "CBMA97")


def _number(field: str, value, *, positive: bool = True) -> float:
    """``value`` as a float when it is a finite number (positive where asked); otherwise one InputError line."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or (positive and value <= 0.0):
        raise InputError(f"{field} = {value!r}: give a finite {'positive ' if positive else ''}number")
    return float(value)


def basings_of(text: str) -> tuple[str, ...]:
    """The basings named in a catalog interceptor's ``basing`` text (``"sea and land (Aegis Ashore ...)"``):
    any of land, sea, air, in that order; an InputError line where it names none."""
    words = str(text).lower().split("(")[0]
    found = tuple(b for b in BASINGS if b in words)
    if not found:
        raise InputError(f"basing = {text!r}: names none of {', '.join(BASINGS)}")
    return found


def helsinki_line_km_s(basing: str) -> float:
    """The Helsinki line of a basing: 4.5 km/s at sea, 5.5 km/s on land or in the air."""
    basing = limits.choose("basing", basing, BASINGS)
    return HELSINKI_SEA_KM_S if basing == "sea" else HELSINKI_LAND_AIR_KM_S


def is_lower_velocity(speed_km_s: float) -> bool:
    """Whether an interceptor's maximum demonstrated speed (km/s) is within the lower-velocity line (3.0 km/s
    included)."""
    return _number("speed_km_s", speed_km_s) <= LOWER_VELOCITY_KM_S


def within_helsinki(speed_km_s: float, basing: str) -> bool:
    """Whether a speed (km/s) is within the Helsinki line of a basing (the line itself included)."""
    return _number("speed_km_s", speed_km_s) <= helsinki_line_km_s(basing)


def is_compliant_target(speed_km_s: float, range_km: float) -> bool:
    """Whether a ballistic target of this maximum speed (km/s) and range (km) may be flown in a compliant test:
    neither exceeds its line (5.0 km/s and 3,500 km themselves are compliant). An infinite range (a fractional
    orbit) is not."""
    speed = _number("speed_km_s", speed_km_s)
    if isinstance(range_km, bool) or not isinstance(range_km, (int, float)) or math.isnan(range_km) or range_km <= 0:
        raise InputError(f"range_km = {range_km!r}: give a positive number of km (inf for no range limit)")
    return speed <= TARGET_SPEED_KM_S and float(range_km) <= TARGET_RANGE_KM


def position_against_lines(speed_km_s: float, basings=BASINGS) -> list[dict]:
    """Where a speed (km/s) falls against each interceptor line that applies to one of ``basings``: rows of
    line, value, source, date and relation (``below``, ``at``, ``above``), in the order of :data:`LINES`."""
    speed = _number("speed_km_s", speed_km_s)
    rows = []
    for line in INTERCEPTOR_LINES:
        if not set(line.basings) & set(basings):
            continue
        relation = "at" if speed == line.value else ("below" if speed < line.value else "above")
        rows.append({"line": line.name, "line_km_s": line.value, "relation": relation, "within": speed <= line.value,
                     "source": line.source, "date": line.date.isoformat()})
    return rows


@dataclass(frozen=True)
class InterceptorClass:
    """A catalog interceptor against the interceptor lines: its speed as taken (:data:`SPEED_TAKEN`), the
    sources' band of it, its basings, and whether it is lower-velocity and within its basings' Helsinki lines,
    at the catalog value and at both ends of the band."""

    name: str
    speed_km_s: float
    speed_band_km_s: tuple[float, float]
    basings: tuple[str, ...]
    lower_velocity: bool
    helsinki_lines_km_s: tuple[float, ...]  # one per basing
    within_helsinki: bool  # within the line of every basing it has
    lower_velocity_across_band: tuple[bool, bool]  # at the band's low and high ends
    within_helsinki_across_band: tuple[bool, bool]
    sources: tuple[str, ...]  # sources.toml keys: the speed's, the band's, the lines'

    @property
    def settled(self) -> bool:
        """True where the classification is the same at both ends of the sources' band."""
        return (len(set(self.lower_velocity_across_band) | {self.lower_velocity}) == 1
                and len(set(self.within_helsinki_across_band) | {self.within_helsinki}) == 1)

    def explain(self) -> str:
        """One sentence: the speed, and the lines it is within or beyond."""
        lower = "lower-velocity" if self.lower_velocity else "not lower-velocity"
        lines = " and ".join(f"{b} {v:.1f}" for b, v in zip(self.basings, self.helsinki_lines_km_s))
        helsinki = "within" if self.within_helsinki else "beyond"
        band = "" if self.settled else (f"; across its sources' band {self.speed_band_km_s[0]:.1f}-"
                                        f"{self.speed_band_km_s[1]:.1f} km/s the classification changes")
        return (f"{self.name}: {self.speed_km_s:.2f} km/s, {lower} (line {LOWER_VELOCITY_KM_S:.1f} km/s), "
                f"{helsinki} the Helsinki line for its basing ({lines} km/s){band}")


def classify_interceptor(interceptor: str, cat=None) -> InterceptorClass:
    """A catalog interceptor (name or alias) against the 3.0 km/s lower-velocity line and the Helsinki line
    of each of its basings (the catalog's ``basing``: sea 4.5 km/s, land or air 5.5 km/s), at its catalog
    burnout speed (:data:`SPEED_TAKEN`) and at both ends of ``burnout_speed_band_km_s``. ``cat``: the catalog
    (default: the built-in one). Raises InputError (one line) for a name not in the catalog."""
    from . import catalog

    cat = cat or catalog.load()
    record = cat.interceptors[cat.find("interceptor", interceptor)]
    speed = record.burnout_speed_km_s.value
    band = (record.burnout_speed_band_km_s.low, record.burnout_speed_band_km_s.high)
    basings = basings_of(record.basing)
    lines = tuple(helsinki_line_km_s(b) for b in basings)
    keys = (record.burnout_speed_km_s.source, record.burnout_speed_band_km_s.source, "ABM97_AS1", "HEL97")
    return InterceptorClass(
        record.name, speed, band, basings, is_lower_velocity(speed), lines,
        all(speed <= line for line in lines),
        tuple(is_lower_velocity(v) for v in band),
        tuple(all(v <= line for line in lines) for v in band),
        tuple(dict.fromkeys(keys)))


@dataclass(frozen=True)
class TargetClass:
    """A catalog missile as a test target against the 5.0 km/s and 3,500 km lines: the Earth-relative
    burnout speed and the range of its maximum-range flight (due north from ``launch``)."""

    name: str
    role: str
    launch: str
    speed_km_s: float  # Earth-relative burnout speed of the maximum-range flight
    range_km: float  # inf for a fractional orbit (no range limit)
    speed_within: bool
    range_within: bool
    sources: tuple[str, ...]

    @property
    def compliant(self) -> bool:
        """Whether a test against it flown to its full range would be compliant (neither line exceeded)."""
        return self.speed_within and self.range_within

    def explain(self) -> str:
        """One sentence: its speed and range against the two lines."""
        flown = "no range limit (fractional orbit)" if math.isinf(self.range_km) else f"{self.range_km:,.0f} km"
        verdict = "a compliant test target" if self.compliant else "not a compliant test target"
        beyond = [w for w, ok in (("speed", self.speed_within), ("range", self.range_within)) if not ok]
        why = f" ({' and '.join(beyond)} beyond the line)" if beyond else ""
        when = "at orbit insertion" if math.isinf(self.range_km) else "at burnout"
        return (f"{self.name}: {self.speed_km_s:.2f} km/s {when}, {flown} at full range from {self.launch}: "
                f"{verdict}{why} (lines {TARGET_SPEED_KM_S:.1f} km/s, {TARGET_RANGE_KM:,.0f} km)")


def classify_target(missile: str, *, device: str = "cpu", cat=None) -> TargetClass:
    """A catalog missile (name or alias) as a ballistic test target: the Earth-relative burnout speed and the
    range of its maximum-range flight (:func:`aiming.maximum_range_km`, due north from
    ``catalog.range_check_site``, full burn), each against its line. A fractional-orbit missile has no range
    limit; its speed is that of its insertion orbit at perigee (the catalog's ``[missile.orbit]``, vis-viva:
    inertial, as the orbit is stated; far above the line either way). Raises InputError (one line) for a name not in the
    catalog."""
    from . import aiming, catalog
    from .flight import fly_launch

    cat = cat or catalog.load()
    record = cat.missiles[cat.find("missile", missile)]
    launch = catalog.range_check_site(record)
    vehicle = cat.missile(record.name)
    site = cat.site(launch)
    if vehicle.orbital is not None:
        range_km, kick_deg = math.inf, None
    else:
        range_km, kick_deg = aiming.maximum_range_km(vehicle, site, device=device)
        if not math.isfinite(range_km):
            raise InputError(f"missile {record.name!r}: no full-burn flight due north from {launch} lands: its "
                             "range as a test target cannot be measured")
    if kick_deg is None:  # a fractional orbit: its insertion orbit's speed at perigee
        speed_km_s = _perigee_speed_m_s(record.orbit) / 1e3
    else:  # the maximum-range flight's burnout
        flown = fly_launch(vehicle, site, 0.0, kick_deg, device=device)
        speed_km_s = float(flown.burnout()["speed_m_s"][0]) / 1e3
    keys = tuple(dict.fromkeys(cat.record_sources("missile", record.name) + ["ABM97_AS1", "ABM97_AS2"]))
    return TargetClass(record.name, record.role, launch, speed_km_s, range_km, speed_km_s <= TARGET_SPEED_KM_S,
                       range_km <= TARGET_RANGE_KM, keys)


def _perigee_speed_m_s(orbit) -> float:
    """Speed at perigee (m/s, inertial) of a catalog insertion orbit, by vis-viva on the WGS-84 equatorial radius
    (a circular orbit where no apogee is given)."""
    perigee_m = WGS84_EQUATORIAL_RADIUS_M + orbit.perigee_altitude_km.value * 1e3
    apogee_m = WGS84_EQUATORIAL_RADIUS_M + (orbit.apogee_altitude_km or orbit.perigee_altitude_km).value * 1e3
    return math.sqrt(WGS84_GM_M3_S2 * (2.0 / perigee_m - 2.0 / (perigee_m + apogee_m)))


@dataclass(frozen=True)
class TreatyLimit:
    """A speed limit (km/s) in the 1997 texts' words, with where it falls against the interceptor lines."""

    speed_km_s: float
    basings: tuple[str, ...]
    rows: tuple[dict, ...]  # position_against_lines

    @property
    def wording(self) -> str:
        return LIMIT_WORDING.format(speed=f"{self.speed_km_s:.2f}")

    def sentence(self) -> str:
        """The limit in treaty wording and where it falls: "... not to exceed 2.50 km/s: below the
        lower-velocity line (3.0 km/s) ..."."""
        parts = [f"{r['relation']} the {r['line']} ({r['line_km_s']:.1f} km/s)" for r in self.rows]
        return f"{self.wording}: {', '.join(parts)}"

    def as_json(self) -> dict:
        return {"wording": self.wording, "speed_km_s": self.speed_km_s, "speed_taken": SPEED_TAKEN,
                "basings": list(self.basings), "lines": [dict(r) for r in self.rows],
                "lower_velocity": self.speed_km_s <= LOWER_VELOCITY_KM_S, "sources": list(SOURCES[:4])}


def treaty_limit(speed_km_s: float, basings=BASINGS) -> TreatyLimit:
    """A speed limit (km/s) written as the 1997 texts write one, and placed against the lower-velocity line and
    the Helsinki line of each of ``basings`` (land, sea, air; default all)."""
    basings = tuple(limits.choose("basing", b, BASINGS) for b in basings)
    if not basings:
        raise InputError("basings = (): give at least one of land, sea, air")
    return TreatyLimit(_number("speed_km_s", speed_km_s), basings, tuple(position_against_lines(speed_km_s, basings)))


def site_basing(site_name: str, cat=None) -> tuple[str, ...]:
    """The basing of an interceptor site: sea for a catalog site in international waters (a ship's patrol
    station), land for any other catalog site; () for a place the catalog does not know."""
    from . import catalog

    cat = cat or catalog.load()
    try:
        record = cat.sites[cat.find("site", site_name)]
    except InputError:
        return ()
    return ("sea",) if record.country == "international waters" else ("land",)
