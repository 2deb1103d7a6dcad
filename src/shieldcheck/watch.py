"""Who can watch an interceptor test: which of the other side's radars see the test flight, from when
to when, at what elevation and slant range, and whether burnout lies inside the tracked arc.

Each radar's view is the sensors' own law (``sensors.visibility`` and ``sensors.coverage``: line of
sight over the ellipsoid, elevation limits, azimuth sector, detection range scaled to the
interceptor's cross-section by the radar equation), applied to every sample of the test flight.

The other side: a radar whose country is on the other side from the launch's. Sides are the two
alliances the 1997 texts were negotiated between: the NATO member states (:data:`NATO_MEMBERS`,
NATO, "NATO member countries", nato.int, 2024) and Russia with Belarus (the Union State, whose
early-warning radar at Baranovichi serves Russia's network); any other country is a side of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import catalog, limits
from . import earth as earth_mod
from .errors import InputError
from .sensors import Radar, Visibility, coverage, look_angles, visibility
from .trial_flight import TrialFlight

#: The 32 NATO member states (nato.int, 2024); Greenland as part of Denmark's realm. The catalog's
#: radars in international waters are US Navy Aegis ships (sensors.toml), so that place counts as NATO.
NATO_MEMBERS = frozenset({
    "Albania", "Belgium", "Bulgaria", "Canada", "Croatia", "Czech Republic", "Denmark", "Estonia", "Finland",
    "France", "Germany", "Greece", "Hungary", "Iceland", "Italy", "Latvia", "Lithuania", "Luxembourg", "Montenegro",
    "Netherlands", "North Macedonia", "Norway", "Poland", "Portugal", "Romania", "Slovakia", "Slovenia", "Spain",
    "Sweden", "Turkey", "United Kingdom", "United States", "Greenland", "international waters",
})
RUSSIA_SIDE = frozenset({"Russia", "Belarus"})

#: Radar cross-section (m^2) of the interceptor seen by the radars, by default: STATED ASSUMPTION,
#: not sourced: the spent upper stage with its kill vehicle, about 1 m^2 at the early-warning radars'
#: VHF/UHF wavelengths (the cross-section at which the catalog states their ranges).
DEFAULT_RCS_M2 = 1.0


def side(country: str) -> str:
    """The side a country is on: ``NATO``, ``Russia``, or the country itself. A place the catalog marks as
    leased (``"Marshall Islands (US-leased)"``, ``"Kazakhstan (Russian-leased)"``) is on its lessee's side."""
    if country in NATO_MEMBERS or country.endswith("(US-leased)"):
        return "NATO"
    if country in RUSSIA_SIDE or country.endswith("(Russian-leased)"):
        return "Russia"
    return country


def radar_country(name: str) -> str:
    """The country of a catalog radar's site."""
    cat = catalog.load()
    record = cat.sensors[cat.find("sensor", name)]
    return cat.sites[cat.find("site", record.site)].country


def radar_names() -> list[str]:
    """Every radar of the built-in catalog (infrared satellites left out), by name."""
    return [name for name, record in catalog.load().sensors.items() if record.kind == "radar"]


def other_side_radars(country: str) -> list[str]:
    """The catalog's radars on the other side from ``country`` (:func:`side`)."""
    return [name for name in radar_names() if side(radar_country(name)) != side(country)]


@dataclass(frozen=True)
class RadarView:
    """What one radar sees of a test flight.

    Times are seconds after launch; ``intervals_s`` the spans in view (sample resolution);
    ``seen`` (k,) marks the flight's samples in view; ``elevation_deg`` and ``slant_range_m`` (k,)
    are the look angles of every sample (in view or not); ``reason_never`` says why a radar that
    never sees the flight does not.
    """

    radar: Radar
    country: str
    intervals_s: tuple[tuple[float, float], ...]
    first_detection_s: float | None
    track_s: float | None
    seen: np.ndarray
    elevation_deg: np.ndarray
    slant_range_m: np.ndarray
    burnout_time_s: float
    reason_never: str | None

    @property
    def sees(self) -> bool:
        return bool(self.seen.any())

    @property
    def last_seen_s(self) -> float | None:
        return self.intervals_s[-1][1] if self.intervals_s else None

    @property
    def burnout_tracked(self) -> bool:
        """Whether burnout lies inside the tracked arc: in view, after the track is established."""
        return self.track_s is not None and self.track_s <= self.burnout_time_s and any(
            a <= self.burnout_time_s <= b for a, b in self.intervals_s)

    def seen_range(self, values: np.ndarray) -> tuple[float, float] | None:
        """Lowest and highest of a per-sample quantity over the samples in view (None if never seen)."""
        return (float(values[self.seen].min()), float(values[self.seen].max())) if self.sees else None

    def summary(self) -> str:
        """One line: when, how high and how far, or why never."""
        if not self.sees:
            return f"{self.radar.name}: never sees the test ({self.reason_never})"
        low, high = self.seen_range(self.elevation_deg)
        near, far = self.seen_range(self.slant_range_m)
        burnout = "burnout tracked" if self.burnout_tracked else "burnout not in the tracked arc"
        return (f"{self.radar.name}: sees it {self.first_detection_s:.0f}-{self.last_seen_s:.0f} s after launch, "
                f"elevation {low:.1f}-{high:.1f} deg, range {near / 1e3:,.0f}-{far / 1e3:,.0f} km; {burnout}")


def watch(trial: TrialFlight, radars, *, rcs_m2: float = DEFAULT_RCS_M2) -> list[RadarView]:
    """Each radar's view of a test flight (radars: :class:`~shieldcheck.sensors.Radar` records or catalog names).

    Raises :class:`~shieldcheck.errors.InputError` for an unknown radar name or a bad cross-section.
    """
    limits.check("rcs_m2", rcs_m2)
    model = earth_mod.earth_model(trial.earth)
    views = []
    for radar in radars:
        if isinstance(radar, str):
            radar = catalog.load().sensor(radar)
            if not isinstance(radar, Radar):
                raise limits.not_allowed("radar", radar.name, radar_names())
        code = visibility(radar, trial.position_ecef_m, rcs_m2, model)
        slant, _, elevation = look_angles(radar, trial.position_ecef_m, model)
        seen_by = coverage(radar, trial.time_s, trial.position_ecef_m, rcs_m2, model)
        try:
            country = radar_country(radar.name)
        except InputError:  # a radar not in the catalog (an ad hoc record): its country is not known
            country = "unknown"
        views.append(RadarView(radar, country, seen_by.intervals_s, seen_by.first_detection_s, seen_by.track_s,
                               code == Visibility.SEEN, elevation, slant, trial.burnout_time_s, seen_by.reason_never))
    return views
