"""Every bound on a number a user gives, in one table, and the two wordings of a refused input.

Each :class:`Bound` names a quantity as the user writes it (scenario key, option stem, what-if field),
its lowest and highest allowed values, its unit and why the ends are where they are. The command
line, the scenario reader, the sweep, the footprint, the guarantee, the Python API and the explorer's
what-if all check against this table, and the explorer's page reads it as JSON (``/api/limits``), so
that the same value is refused everywhere in the same words:

* a number outside its bound: ``<field> = <value> is outside <low> to <high> <unit>``
  (:func:`check`, :meth:`Bound.message`);
* a name that is not one of the allowed choices: ``<field>: <value> is not an allowed choice;
  allowed: a, b, c. Did you mean 'b'?`` (:func:`not_allowed`, :func:`choose`).

A value is shown with :func:`shown`: its ``repr``, cut after :data:`SHOWN_CHARS` characters with its
length stated, so that a megabyte of text never comes back in an error line.

Free text read from an input file (a scenario's or the catalog's TOML: names, labels, titles, notes,
sources) has a longest length too, one :class:`TextBound` per kind of text (:data:`TEXT_BOUNDS`);
the reader of every TOML file (:mod:`shieldcheck.tomlfile`) checks each string and key against it, so
that a label copied into a result table, a map or a report is never a megabyte long:

* a text longer than its bound: ``<field> = <value> (<n> characters) is too long; allowed: at most
  <bound> characters`` (:func:`check_text`, :meth:`TextBound.message`).

Layer L0: imports only the standard library and :mod:`shieldcheck.errors`.
"""

from __future__ import annotations

import datetime
import math
import numbers
from collections.abc import Iterable
from dataclasses import dataclass

from .errors import InputError, did_you_mean

SHOWN_CHARS = 60  # a value's repr longer than this is cut (its length stated)
LISTED_CHOICES = 20  # an allowed list longer than this is cut (its count stated)


@dataclass(frozen=True)
class Bound:
    """The allowed values of one input: ``low`` to ``high`` in ``unit`` (an end itself excluded where
    ``low_excluded``, ``high_excluded``), whole numbers only where ``whole``; ``why``: the reason for the ends."""

    name: str
    low: float
    high: float
    unit: str
    why: str
    low_excluded: bool = False
    high_excluded: bool = False
    whole: bool = False

    @property
    def words(self) -> str:
        """The allowed range in words: ``0.5 to 12 km/s``."""
        low = _number(self.low) + (" (excluded)" if self.low_excluded else "")
        high = _number(self.high) + (" (excluded)" if self.high_excluded else "")
        return f"{low} to {high}{' ' + self.unit if self.unit else ''}"

    def inside(self, value):
        """True where ``value`` (a number or an array of numbers) is within the bound; NaN never is."""
        above = value > self.low if self.low_excluded else value >= self.low
        below = value < self.high if self.high_excluded else value <= self.high
        return above & below

    def message(self, value, field: str | None = None) -> str:
        """The one line refusing ``value`` for ``field`` (default: the bound's name)."""
        field = field or self.name
        if not is_number(value):
            return f"{field} = {shown(value)} is not a number; allowed: {self.words}"
        if self.whole and math.isfinite(value) and value != int(value):
            return f"{field} = {shown(value)} is not a whole number; allowed: {self.words}"
        return f"{field} = {shown(value)} is outside {self.words}"

    def check(self, value, field: str | None = None):
        """``value`` itself when it is a number within the bound (a whole one where ``whole``); otherwise an
        :class:`~shieldcheck.errors.InputError` with :meth:`message`."""
        if not (is_number(value) and math.isfinite(value) and self.inside(value)
                and (not self.whole or value == int(value))):
            raise InputError(self.message(value, field))
        return value

    def as_json(self) -> dict:
        return {"name": self.name, "low": self.low, "high": self.high, "unit": self.unit, "why": self.why,
                "low_excluded": self.low_excluded, "high_excluded": self.high_excluded, "whole": self.whole}


def _number(value: float) -> str:
    """A bound's end as written: 3,600, 1,000,000, 0.5, 0.0001."""
    return f"{value:,.0f}" if value == int(value) and abs(value) < 1e16 else f"{value:,g}"


def is_number(value) -> bool:
    """A real number (int, float, numpy scalar), not a bool."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


_ROWS = (
    # The engagement's assumptions (scenario [assumptions], `engage` options, the explorer's what-if, sweeps)
    Bound("launch_delay_s", 0.0, 3_600.0, "s",
          "time from the cue to the interceptor's launch; an hour is longer than any ballistic flight assessed"),
    Bound("bounding_decision_time_s", 0.0, 3_600.0, "s",
          "decision time added to the bounding cue; an hour is longer than any ballistic flight assessed"),
    Bound("cue_delay_s", 0.0, 7_200.0, "s",
          "a guarantee's cue sweep: the interceptor launched this long after the threat's launch; two hours "
          "outlast the longest ballistic or fractional-orbit flight"),
    Bound("shoot_look_shoot_s", 1.0, 3_600.0, "s",
          "from one shot's intercept to the next shot's launch: at least a second of kill assessment, at most "
          "an hour"),
    Bound("rcs_m2", 1e-4, 100.0, "m^2",
          "the threat's radar cross-section: from 1 cm^2 (a shaped re-entry vehicle) to 100 m^2 (a booster body)"),
    Bound("track_velocity_error_m_s", 0.0, 1_000.0, "m/s",
          "the velocity error of a cueing track; 1 km/s is a track that no longer predicts anything"),
    Bound("decoys_per_warhead", 0.0, 100.0, "",
          "decoys accompanying each warhead in the numbers game"),
    Bound("single_shot_pk", 0.0, 1.0, "", "a probability"),
    Bound("raid_missiles", 1.0, 100_000.0, "missiles",
          "missiles launched together in a raid (and at most the threat set's flights)", whole=True),
    Bound("salvo_size", 1.0, 100.0, "interceptors",
          "interceptors fired at one target in a salvo; no site holds more than 100", whole=True),
    Bound("buffer_km", 0.0, 2_000.0, "km",
          "distance a sector is grown by beyond its countries' borders; 2,000 km would be another sector"),
    # Interceptors, missiles and sensors (sweeps, the what-if, `engage`, `guarantee`)
    Bound("burnout_speed_km_s", 0.5, 12.0, "km/s",
          "an interceptor's burnout speed: from a short-range missile's to above the Earth's escape speed "
          "(11.2 km/s); the stage model is rescaled to it by one stated parameter"),
    Bound("burn_time_s", 1.0, 1_000.0, "s",
          "a stage's burn, or an interceptor's (a sweep stretches every stage's burn alike, propellant fixed)"),
    Bound("scale", 0.5, 1.5, "",
          "a missile's performance factor (every stage's Isp times it); beyond +-50 % the stage model is "
          "another missile"),
    Bound("min_intercept_altitude_km", 0.0, 2_000.0, "km",
          "the floor of an interceptor's intercept altitude band; 2,000 km is above every midcourse flight"),
    Bound("max_crossing_angle_deg", 1.0, 180.0, "deg",
          "the largest angle between the kill vehicle's and the threat's velocities at intercept"),
    Bound("boresight_azimuth_deg", -360.0, 360.0, "deg", "a radar face's boresight, either way round"),
    Bound("min_elevation_deg", -10.0, 90.0, "deg",
          "a radar's lowest elevation: from below the horizon of a raised site to the zenith"),
    Bound("max_elevation_deg", -10.0, 90.0, "deg",
          "a radar's highest elevation: from below the horizon of a raised site to the zenith"),
    Bound("range_noise_m", 0.0, 10_000.0, "m", "a radar's one-sigma range error per measurement: none (0) to "
          "10 km, coarser than any tracking radar"),
    Bound("angle_noise_mrad", 0.0, 1_000.0, "mrad", "a radar's one-sigma angle error per measurement: none (0) to "
          "1 rad, wider than any beam"),
    Bound("range_rate_noise_m_s", 0.0, 1_000.0, "m/s", "a radar's one-sigma range-rate error per measurement: none "
          "(0) to 1 km/s, a tenth of a ballistic missile's speed"),
    Bound("range_bias_m", 0.0, 10_000.0, "m", "a radar's one-sigma range bias, the same over a whole track: none (0) "
          "to 10 km"),
    Bound("angle_bias_mrad", 0.0, 1_000.0, "mrad", "a radar's one-sigma angle bias, the same over a whole track: none "
          "(0) to 1 rad"),
    Bound("range_rate_bias_m_s", 0.0, 1_000.0, "m/s", "a radar's one-sigma range-rate bias, the same over a whole "
          "track: none (0) to 1 km/s"),
    Bound("telemetry_bias_m_s", 0.0, 1_000.0, "m/s", "telemetry's one-sigma velocity bias per axis, the same over a "
          "whole flight: none (0) to 1 km/s"),
    Bound("update_interval_s", 0.0, 3_600.0, "s", "the time between a radar's measurements of one tracked object: "
          "more than zero, at most an hour", low_excluded=True),
    Bound("launch_azimuth_deg", 0.0, 720.0, "deg", "a test range's band of launch azimuths, clockwise from north; "
          "its high end may pass 360 for a band that crosses north"),
    Bound("dispersal_km", 0.0, 1_000.0, "km",
          "the radius of a launch area's disc; an area wider than 1,000 km is no longer one area (a road march "
          "of days)", low_excluded=True),
    # Threat flights: routes, shapes and the launch points drawn in an area
    Bound("latitude_deg", -90.0, 90.0, "deg", "geodetic latitude"),
    Bound("longitude_deg", -180.0, 360.0, "deg", "longitude east, either convention (-180 to 180 or 0 to 360)"),
    Bound("outline_longitude_deg", -180.0, 180.0, "deg",
          "a launch area's outline vertex: longitude east, -180 to 180 (an outline may cross the antimeridian)"),
    Bound("height_m", -500.0, 10_000.0, "m",
          "a point's height above the ellipsoid: from the Dead Sea shore to above the highest mountain"),
    Bound("apogee_km", 10.0, 20_000.0, "km", "a shaped trajectory's apogee"),
    Bound("burnout_angle_deg", 0.0, 90.0, "deg", "a shaped trajectory's flight-path angle at burnout: neither "
          "horizontal nor vertical", low_excluded=True, high_excluded=True),
    Bound("apogee_ratio", 0.1, 10.0, "",
          "a shaped trajectory's apogee over the minimum-energy one's (below 1: depressed; above: lofted)"),
    Bound("tolerance_m", 1.0, 100_000.0, "m", "how close to the aim point an aimed flight must land"),
    Bound("flight_time_s", 1.0, 100_000.0, "s", "a flight time to aim for, launch to impact: the lofted or "
          "depressed shape that lands on the aim at that time"),
    Bound("launch_samples", 1.0, 1_000.0, "launch points",
          "launch points drawn per area of a threat set: each is flown to every aim point, by every missile",
          whole=True),
    Bound("draw_points", 1.0, 1_000_000.0, "points",
          "launch points drawn in one call (8 MB per coordinate array)", whole=True),
    Bound("seed", 0.0, 2.0**53 - 1, "", "a random generator's seed: a whole number that a float (a TOML or JSON "
          "number) holds exactly", whole=True),
    # A flight from a launch or a burnout state (the Python API)
    Bound("azimuth_deg", -360.0, 720.0, "deg", "a launch's or burnout's azimuth, clockwise from north"),
    Bound("kick_deg", 0.0, 90.0, "deg", "a gravity turn's pitch-over kick"),
    Bound("cutoff_s", 0.0, 1e9, "s", "time of a thrust cut-off after launch"),
    Bound("burnout_altitude_m", 0.0, 5e6, "m", "a burnout state's altitude"),
    Bound("burnout_speed_m_s", 0.0, 11_000.0, "m/s", "a burnout state's speed: below the escape speed"),
    Bound("flight_path_angle_deg", -90.0, 90.0, "deg", "a burnout state's flight-path angle"),
    # The integrator (flight.Integrator)
    Bound("boost_step_s", 1e-3, 10.0, "s", "the step while thrusting in the air"),
    Bound("boost_vacuum_step_s", 1e-3, 10.0, "s", "the step while thrusting above the boost interface"),
    Bound("air_step_s", 1e-3, 120.0, "s", "the step of unpowered flight in the air"),
    Bound("vacuum_step_s", 1e-3, 120.0, "s", "the longest step of unpowered flight above the interface"),
    Bound("interface_altitude_m", 0.0, 1e6, "m", "where unpowered flight changes to the vacuum step"),
    Bound("boost_interface_altitude_m", 0.0, 1e6, "m", "where thrusting flight changes to the vacuum step"),
    Bound("max_flight_time_s", 1.0, 1e6, "s", "when a flight that has not landed is stopped"),
    Bound("history_spacing_s", 1e-3, 1e4, "s", "the spacing of a recorded history's samples"),
    # The equilibrium-glide law of a hypersonic glider (catalog missiles)
    Bound("lift_to_drag_ratio", 0.0, 10.0, "",
          "a hypersonic glider's L/D: Kuchemann's empirical L/D barrier, (L/D)max ~ 4 (M + 3) / M, gives about 6.4 "
          "at Mach 5 and 4.6 at Mach 20 (D. Kuchemann, The Aerodynamic Design of Aircraft, 1978); twice the Mach 5 "
          "value is a bound that only a data error exceeds", low_excluded=True),
    Bound("terminal_speed_m_s", 100.0, 7_000.0, "m/s", "a glider's speed at the end of its glide: below circular"),
    Bound("dive_angle_deg", 1.0, 89.0, "deg", "a glider's terminal dive: short of the vertical"),
    Bound("arrival_speed_m_s", 100.0, 7_000.0, "m/s", "a glider's stated speed at impact: below circular"),
    Bound("bank_limit_deg", 0.0, 90.0, "deg", "a glider's bank: the lift's vertical part never points down"),
    Bound("boost_kick_deg", 0.05, 85.0, "deg", "a glider's boost kick, within the aiming kernel's"),
    # The stage models of missiles and interceptors (catalog records, vehicles.py)
    Bound("gross_mass_kg", 1.0, 1e7, "kg", "a stage's mass at ignition"),
    Bound("propellant_mass_kg", 0.0, 1e7, "kg", "a stage's propellant"),
    Bound("isp_vacuum_s", 50.0, 500.0, "s", "a stage's vacuum specific impulse: from a poor solid to hydrogen-oxygen"),
    Bound("isp_sea_level_s", 50.0, 500.0, "s", "a stage's sea-level specific impulse (at most its vacuum one)"),
    Bound("diameter_m", 0.05, 10.0, "m", "a stage's diameter"),
    Bound("coast_after_s", 0.0, 600.0, "s", "a coast between a stage's burnout and the next stage's ignition"),
    Bound("payload_mass_kg", 0.0, 1e5, "kg", "the mass carried through the boost (re-entry vehicles and bus)"),
    Bound("reentry_mass_kg", 1.0, 1e5, "kg", "the mass that flies on after thrust ends"),
    Bound("reentry_diameter_m", 0.05, 10.0, "m", "the re-entry vehicle's diameter"),
    Bound("vertical_rise_s", 0.0, 120.0, "s", "the vertical rise before the pitch-over"),
    Bound("pitch_over_s", 0.1, 120.0, "s", "the pitch-over's duration"),
    Bound("mach", 0.0, 100.0, "", "a drag table's Mach number"),
    Bound("cd", 0.0, 5.0, "", "a drag table's drag coefficient"),
    Bound("perigee_altitude_m", 100e3, 2_000e3, "m",
          "a fractional orbit's perigee: above the atmosphere, below 2,000 km"),
    Bound("deorbit_delta_v_m_s", 1.0, 2_000.0, "m/s", "a fractional orbit's deorbit impulse"),
    Bound("deorbit_burn_time_s", 0.0, 600.0, "s", "the deorbit burn's duration"),
    # Studies
    Bound("grid_km", 1.0, 2_000.0, "km", "a footprint's cell size: finer than 1 km is below the model's accuracy"),
    Bound("steering_ranges_count", 3.0, 200.0, "", "ranges at which a footprint's fan is aimed, per steering",
          whole=True),
    Bound("samples", 1.0, 1_000_000.0, "cases", "a sweep's draws; more than a million is a mistake on one machine",
          whole=True),
    Bound("sweep_cases", 1.0, 1_000_000.0, "cases",
          "cases of one sweep (grid points times draws); more than a million is a mistake on one machine",
          whole=True),
    Bound("chunk_cases", 0.0, 1_000_000.0, "cases", "a sweep's cases per chunk file (0: about 200,000 rows a chunk)",
          whole=True),
    # Verifying a velocity limit from another side's radar track (burnout_estimate, verify)
    Bound("confidence", 0.0, 1.0, "", "a confidence level: a probability, neither 0 nor 1",
          low_excluded=True, high_excluded=True),
    Bound("telemetry_noise_m_s", 0.0, 100.0, "m/s",
          "telemetered velocity noise per axis (one standard deviation): positive", low_excluded=True),
    Bound("limit_km_s", 0.1, 11.0, "km/s", "a velocity limit: below the escape speed"),
    # The explorer's server
    Bound("port", 1.0, 65_535.0, "", "a TCP port", whole=True),
)

#: Every bound, by name
BOUNDS: dict[str, Bound] = {row.name: row for row in _ROWS}


@dataclass(frozen=True)
class DateBound:
    """The allowed dates of one kind of input, ``earliest`` to ``latest`` (both included); ``why``: the reason."""

    name: str
    earliest: datetime.date
    latest: datetime.date
    why: str

    @property
    def words(self) -> str:
        return f"{self.earliest.isoformat()} to {self.latest.isoformat()}"

    def inside(self, value: datetime.date) -> bool:
        return self.earliest <= value <= self.latest

    def message(self, value, field: str | None = None) -> str:
        """The one line refusing ``value`` for ``field`` (default: the bound's name)."""
        shown_value = value.isoformat() if isinstance(value, datetime.date) else shown(value)
        return f"{field or self.name} = {shown_value} is outside {self.words} ({self.why})"


#: The dates a scenario may give (a phase's date and cancellation, the assessment date): the missile age
#: to the end of the century. Earlier is before any ballistic missile or defence this tool models (the
#: first ICBM flew in 1957); later is no announced plan but a typing slip (9999-12-31), and a timeline
#: spanning it would squeeze every real phase into one pixel.
SCENARIO_DATES = DateBound("date", datetime.date(1950, 1, 1), datetime.date(2100, 12, 31),
                           "from the missile age to the end of the century: no architecture assessed lies outside")


def bound(name: str) -> Bound:
    """The bound named ``name`` (a key of :data:`BOUNDS`); KeyError for a name that has none."""
    return BOUNDS[name]


def check(name: str, value, field: str | None = None):
    """``value`` when it is within the bound ``name`` (:data:`BOUNDS`); otherwise an InputError in the one
    wording, naming ``field`` (default: the bound's name)."""
    return BOUNDS[name].check(value, field)


def check_each(name: str, values: Iterable, field: str | None = None) -> list:
    """Every value of ``values`` within the bound ``name``; the first that is not is refused (:func:`check`)."""
    return [BOUNDS[name].check(v, field) for v in values]


@dataclass(frozen=True)
class TextBound:
    """The longest free text of one kind read from an input file: ``max_chars`` characters. ``keys``: the
    TOML keys whose strings are of this kind (a string under any other key, and every key itself, is a
    name: :data:`NAME_TEXT`); ``why``: the reason for the bound."""

    name: str
    max_chars: int
    why: str
    keys: tuple[str, ...] = ()

    @property
    def words(self) -> str:
        """The bound in words: ``at most 200 characters``."""
        return f"at most {self.max_chars:,} characters"

    def message(self, value: str, field: str) -> str:
        """The one line refusing the text ``value`` for ``field``: the text cut, its length and the bound
        (every bound is longer than :data:`SHOWN_CHARS`, so :func:`shown` states the length)."""
        return f"{field} = {shown(value)} is too long; allowed: {self.words}"

    def check(self, value: str, field: str) -> str:
        """``value`` when it is at most ``max_chars`` characters long; otherwise an InputError with
        :meth:`message`."""
        if len(value) > self.max_chars:
            raise InputError(self.message(value, field))
        return value


NAME_TEXT = "name"  # the kind of every string of a TOML file whose key no other TextBound lists, and of every key
_TEXT_ROWS = (
    TextBound(NAME_TEXT, 200,
              "a name or label (scenario, phase, site, sensor, threat set, launch area, missile, sector, source key, "
              "a choice such as a cueing rule) and every TOML key: the longest shipped is 41 characters, and a label "
              "is copied into result rows, map legends, file names and report headings (a million-character "
              "scenario name once made a small assessment take 20 GB)"),
    TextBound("line", 2_000,
              "a line shown whole as a heading or a link: a title, a system's or basing's description, an intercept "
              "test's name, a web address or a file (2,000 characters: the longest web address that browsers and "
              "servers reliably take; the longest shipped line is a 403-character address)",
              keys=("title", "system", "basing", "test", "url", "file", "transcription")),
    TextBound("prose", 20_000,
              "a paragraph of prose: a note, description, summary, derivation, basis or citation (the longest "
              "shipped is a missile's derivation of 3,627 characters; 20,000 are about eight printed pages, and "
              "prose is printed once, never copied per row)",
              keys=("note", "description", "summary", "derivation", "basis", "citation")),
)
#: Every bound on free text, by kind
TEXT_BOUNDS: dict[str, TextBound] = {row.name: row for row in _TEXT_ROWS}
_TEXT_OF_KEY = {key: row for row in _TEXT_ROWS for key in row.keys}


def text_bound(key: str | None) -> TextBound:
    """The :class:`TextBound` of a string under the TOML key ``key`` (:data:`NAME_TEXT`'s for a key that no
    bound lists, for a key itself, and for None)."""
    return _TEXT_OF_KEY.get(key, TEXT_BOUNDS[NAME_TEXT]) if key is not None else TEXT_BOUNDS[NAME_TEXT]


def check_text(key: str | None, value: str, field: str) -> str:
    """``value``, a string under the TOML key ``key``, when it is within its :func:`text_bound`; otherwise
    an InputError in the one wording, naming ``field``."""
    return text_bound(key).check(value, field)


def as_json() -> list[dict]:
    """The table as the explorer's page reads it (``/api/limits``)."""
    return [row.as_json() for row in _ROWS]


def shown(value) -> str:
    """``repr(value)``, cut after :data:`SHOWN_CHARS` characters with the length stated."""
    text = repr(value)
    if len(text) <= SHOWN_CHARS:
        return text
    if isinstance(value, str):
        return f"{value[:SHOWN_CHARS - 12]!r}... ({len(value):,} characters)"
    return f"{text[:SHOWN_CHARS - 12]}... ({len(text):,} characters)"


SHOWN_PATH_CHARS = 200  # a path longer than this is cut in its middle (its length stated)


def shown_path(path) -> str:
    """A file path as an error line shows it: whole up to :data:`SHOWN_PATH_CHARS` characters, else its
    beginning and its end (where the file's name is) with the length stated."""
    text = str(path)
    if len(text) <= SHOWN_PATH_CHARS:
        return text
    part = SHOWN_PATH_CHARS // 2 - 20
    return f"{text[:part]}...{text[-part:]} ({len(text):,} characters)"


def choice_words(value, allowed: Iterable[str], *, see: str | None = None, suggest: Iterable[str] | None = None) -> str:
    """The words refusing a choice, without the field: ``'x' is not an allowed choice; allowed: a, b, c. Did
    you mean 'a'?``. A list longer than :data:`LISTED_CHOICES` is cut with its count; ``see`` names where the
    whole list is (``shieldcheck catalog missiles``); ``suggest``: the names to suggest from (default: ``allowed``)."""
    allowed = [str(a) for a in allowed]
    listed = ", ".join(allowed[:LISTED_CHOICES])
    if len(allowed) > LISTED_CHOICES:
        listed += f", ... ({len(allowed):,} in all)"
    if not allowed:
        listed = "none"
    if see:
        listed += f" (see {see})"
    hint = did_you_mean(value, allowed if suggest is None else suggest) if isinstance(value, str) else ""
    return f"{shown(value)} is not an allowed choice; allowed: {listed}{hint}"


def not_allowed(field: str, value, allowed: Iterable[str], *, see: str | None = None,
                suggest: Iterable[str] | None = None) -> InputError:
    """The one error refusing a choice: ``<field>: <value> is not an allowed choice; allowed: a, b, c``
    (:func:`choice_words`); raise it."""
    return InputError(f"{field}: {choice_words(value, allowed, see=see, suggest=suggest)}")


def choose(field: str, value, allowed: Iterable[str], *, fold: bool = False, see: str | None = None) -> str:
    """``value`` when it is one of ``allowed`` (the allowed spelling of it, with ``fold``: case and spaces
    ignored); otherwise :func:`not_allowed`."""
    allowed = list(allowed)
    if isinstance(value, str):
        if value in allowed:
            return value
        if fold:
            key = _folded(value)
            for name in allowed:
                if _folded(name) == key:
                    return name
    raise not_allowed(field, value, allowed, see=see)


def _folded(name: str) -> str:
    return " ".join(name.lower().split())
