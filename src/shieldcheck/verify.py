"""Could the other side verify a velocity limit? One interceptor test, who watches it, and how precisely.

The study behind ``shieldcheck verify``: an interceptor test flown from a test range or a deployed
site (``trial_flight``), the other side's radars that see it (``watch``), the tracks they would get
and the burnout speed fitted to them (``burnout_estimate``), and what that shows against a stated
limit (the 1997 texts limit the velocity "demonstrated in tests": 3.0 km/s for a lower-velocity
interceptor, 5.5 km/s land- and air-based, 4.5 km/s sea-based). With telemetry shared, the fit
also takes the vehicle's own velocity; out of sight, telemetry is all there is.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import catalog, limits
from .burnout_estimate import BurnoutEstimate, RadarNoise, Track, estimate_burnout_speed, estimate_coast_speed, \
    simulate_telemetry, simulate_track
from .earth import Site
from .errors import InputError
from .sensors import Radar
from .trial_flight import SPEED_TOLERANCE, TrialFlight, fly_trial, isp_scale_for
from .vehicles import Interceptor
from .watch import DEFAULT_RCS_M2, RadarView, other_side_radars, radar_names, watch

@dataclass(frozen=True)
class Place:
    """Where a test is flown from: a catalog test range or site, with its country."""

    name: str
    site: Site
    country: str


def test_place(name: str) -> Place:
    """A launch place by name or alias: a catalog test range (test_ranges.toml), else a catalog site (a
    deployed interceptor site); a name that is neither is refused with the test ranges listed."""
    cat = catalog.load()
    try:
        found = cat.test_range(name)
        return Place(found.name, Site(found.name, found.latitude_deg, found.longitude_deg, found.height_m),
                     found.country)
    except InputError as not_a_range:
        try:
            site = cat.find("site", name, "range")
        except InputError:
            raise InputError(str(not_a_range).replace("test_range:", "range:", 1)) from None
    return Place(site, cat.site(site), cat.sites[site].country)


@dataclass(frozen=True)
class Verification:
    """One test and what the other side can tell of it (:func:`verify`).

    ``estimate``: from the radars' tracks (None when no radar sees the test); ``coast``: the speed at the
    first coast point of the tracks, fitted with no stage model (a lower bound on the largest speed; None
    without a coast track); ``with_telemetry``: from the tracks and the telemetry (or the telemetry alone),
    when telemetry is shared; ``speed_flown_m_s`` the burnout speed of the test as flown.
    """

    place: Place
    interceptor: str
    trial: TrialFlight
    views: tuple[RadarView, ...]
    noises: tuple[RadarNoise, ...]
    tracks: tuple[Track, ...]
    estimate: BurnoutEstimate | None
    coast: BurnoutEstimate | None
    with_telemetry: BurnoutEstimate | None
    limit_m_s: float
    confidence: float
    telemetry: bool
    seed: int
    rcs_m2: float

    @property
    def speed_flown_m_s(self) -> float:
        return self.trial.burnout_speed_m_s

    @property
    def observable(self) -> bool:
        return any(view.sees for view in self.views)

    @property
    def watchers(self) -> list[str]:
        return [view.radar.name for view in self.views if view.sees]

    def conclusion(self) -> str:
        """The answer in one sentence: verifiable by whom with what precision, or not observable."""
        limit = f"{self.limit_m_s / 1e3:g} km/s"
        level = f"{100 * self.confidence:g} %"
        if self.estimate is None:
            text = (f"not observable by the other side's radars from {self.place.name}; verification would rest on "
                    "declarations and telemetry")
            if self.with_telemetry is not None:
                t = self.with_telemetry
                text += (f" (telemetry alone: burnout speed {t.speed_m_s / 1e3:.3f} ± {t.z * t.std_m_s:.2g} m/s at "
                         f"{level}; limit {limit} {'shown exceeded' if t.shows_exceeded(self.limit_m_s) else 'not shown exceeded'})")
            return text
        e = self.estimate
        shown = "shows" if e.shows_exceeded(self.limit_m_s) else "does not show"
        errors = "white noise and each radar's per-track biases" if e.biases else "white noise only"
        text = (f"verifiable by {', '.join(self.watchers)} with ±{e.z * e.std_m_s:.2g} m/s precision at {level} "
                f"(burnout speed {e.low_m_s / 1e3:.4f}-{e.high_m_s / 1e3:.4f} km/s on the declared stage model with "
                f"its thrust scaled, {errors}; flown {self.speed_flown_m_s / 1e3:.3f}): this test {shown} the "
                f"{limit} limit exceeded")
        at_limit = self.speed_flown_m_s <= self.limit_m_s * (1.0 + SPEED_TOLERANCE)  # flown at it, to the flight's tolerance
        tests = None if at_limit else e.tests_needed(self.speed_flown_m_s, self.limit_m_s)
        tracked = e.tracked_s_needed(self.speed_flown_m_s, self.limit_m_s)
        if tests is None:
            text += f", and flown at or below {limit} no number of tests would"
        else:
            text += f" ({tests} such test{'s' if tests > 1 else ''} in the median case"
            text += f", after {tracked:.0f} s of track)" if tracked is not None else ")"
        if self.coast is not None:
            c = self.coast
            text += (f"; with no stage model, the coast track alone shows at least {c.lower_bound_m_s / 1e3:.4f} km/s "
                     f"at {level} ({'above' if c.shows_exceeded(self.limit_m_s) else 'not above'} the limit)")
        return text


def verify(range_name: str, interceptor_name: str, azimuth_deg: float, *, limit_km_s: float, confidence: float,
           radars=None, telemetry: bool = False,
           seed: int = 0, burnout_speed_km_s: float | None = None, kick_deg: float | None = None,
           programme: str | None = None, rcs_m2: float = DEFAULT_RCS_M2, range_noise_m: float | None = None,
           angle_noise_mrad: float | None = None, range_rate_noise_m_s: float | None = None,
           update_interval_s: float | None = None, range_bias_m: float | None = None,
           angle_bias_mrad: float | None = None, range_rate_bias_m_s: float | None = None,
           duration_s: float = 600.0) -> Verification:
    """Fly one interceptor test, find who of the other side watches it and estimate its burnout speed.

    ``range_name``: a catalog test range or site; ``radars``: catalog radar names (default: every
    catalog radar on the other side, ``watch.other_side_radars``); ``burnout_speed_km_s``: fly the
    test at this burnout speed (default: the catalog model's); the noise and bias options replace every
    radar's noise and per-track biases (defaults: ``burnout_estimate.DEFAULT_*``). Every input is checked before any work.
    Raises :class:`~shieldcheck.errors.InputError` on bad input.
    """
    place = test_place(range_name)
    interceptor: Interceptor = catalog.interceptor(interceptor_name)
    limits.check("azimuth_deg", azimuth_deg, "azimuth_deg")
    limits.check("limit_km_s", limit_km_s)
    limits.check("confidence", confidence)
    limits.check("seed", seed)
    limits.check("rcs_m2", rcs_m2)
    if burnout_speed_km_s is not None:
        limits.check("limit_km_s", burnout_speed_km_s, "burnout_speed_km_s")
    names = list(radars) if radars else other_side_radars(place.country)
    chosen = []
    cat = catalog.load()
    for name in names:
        sensor = cat.sensor(cat.find("sensor", name, "radar"))
        if not isinstance(sensor, Radar):
            raise limits.not_allowed("radar", name, radar_names())
        chosen.append(sensor)
    noises = tuple(RadarNoise.of(r, range_noise_m=range_noise_m, angle_noise_mrad=angle_noise_mrad,
                               range_rate_noise_m_s=range_rate_noise_m_s, update_interval_s=update_interval_s,
                               range_bias_m=range_bias_m, angle_bias_mrad=angle_bias_mrad,
                               range_rate_bias_m_s=range_rate_bias_m_s)
                   for r in chosen)
    declared = fly_trial(interceptor, place.site, azimuth_deg, kick_deg=kick_deg, programme=programme,
                         duration_s=duration_s)
    flown = declared
    if burnout_speed_km_s is not None:
        k = isp_scale_for(interceptor, place.site, azimuth_deg, burnout_speed_km_s * 1e3, kick_deg=declared.kick_deg,
                          programme=declared.programme)
        flown = fly_trial(interceptor, place.site, azimuth_deg, kick_deg=declared.kick_deg,
                          programme=declared.programme, isp_scale=k, duration_s=duration_s)
    views = tuple(watch(flown, chosen, rcs_m2=rcs_m2))
    rng = np.random.default_rng(int(seed))
    tracks = tuple(simulate_track(flown, view, noise, rng) for view, noise in zip(views, noises) if view.sees)
    tracks = tuple(t for t in tracks if t.time_s.size > 0)
    estimate = estimate_burnout_speed(interceptor, declared, tracks, confidence=confidence) if tracks else None
    coast = estimate_coast_speed(interceptor, flown, tracks, confidence=confidence) if tracks else None
    with_telemetry = None
    if telemetry:
        shared = simulate_telemetry(flown, rng)
        with_telemetry = estimate_burnout_speed(interceptor, declared, tracks, confidence=confidence, telemetry=shared)
    return Verification(place, interceptor.name, flown, views, noises, tracks, estimate, coast, with_telemetry,
                        float(limit_km_s) * 1e3, float(confidence), bool(telemetry), int(seed), float(rcs_m2))


#: The test from a guarantee's site is flown due north (0 deg): towards the polar routes of the Russian
#: ICBMs bound for the US, which an interceptor from a European site would have to reach (a stated choice).
SITE_TEST_AZIMUTH_DEG = 0.0


def interceptor_test_range(interceptor_name: str) -> str | None:
    """The catalog test range where an interceptor is tested: the one whose name or alias the interceptor's
    flight-test records (intercept_tests.toml: test names and notes) name most often, e.g. Kauai (the Pacific
    Missile Range Facility) for the SM-3; None where its records name none."""
    cat = catalog.load()
    texts = [f"{r.test} {r.note or ''}".lower() for r in cat.intercept_tests if r.interceptor == interceptor_name]
    best, most = None, 0
    for name, record in cat.test_ranges.items():
        if record.kind != "test-range":
            continue
        words = [w.lower() for w in (name, *record.aliases) if len(w) > 3]
        count = sum(any(w in text for w in words) for text in texts)
        if count > most:
            best, most = name, count
    return best


def range_test_azimuth_deg(range_name: str) -> float:
    """The launch azimuth of a test from a catalog test range: the middle of its stated band of launch
    azimuths (test_ranges.toml), due north where it states none."""
    band = catalog.test_range(range_name).azimuth_band_deg
    return 0.0 if band is None else ((band[0] + band[1]) / 2.0) % 360.0


def for_guarantees(guarantees, *, confidence: float = 0.95, seed: int = 0) -> list[Verification]:
    """The verifications a guarantee's limits need: for each site with a stated speed limit
    (``guarantee.SiteLimit``, below the top of its sweep; the first phase that states it) and its interceptor, a test from the site itself
    on :data:`SITE_TEST_AZIMUTH_DEG` and one from the catalog test range where the interceptor is tested
    (:func:`interceptor_test_range`, on :func:`range_test_azimuth_deg`), each flown at the limit's speed and
    at the catalog speed, against the limit; a speed the stage model cannot reach is left out. The tests
    from one place share a seed."""
    found, seen = [], set()
    for phase in guarantees or ():
        for limit in phase.limits:
            if (limit.speed_limit_km_s is None or limit.speed_limit_at_top  # no limit stated: nothing to verify
                    or (limit.site, limit.interceptor) in seen):
                continue
            seen.add((limit.site, limit.interceptor))
            places = [(limit.site, SITE_TEST_AZIMUTH_DEG)]
            test_range = interceptor_test_range(limit.interceptor)
            if test_range is not None:
                places.append((test_range, range_test_azimuth_deg(test_range)))
            speeds = sorted({round(limit.speed_limit_km_s, 6), round(limit.catalog_speed_km_s, 6)})
            for place, azimuth in places:
                for speed in speeds:
                    try:
                        found.append(verify(place, limit.interceptor, azimuth, limit_km_s=limit.speed_limit_km_s,
                                            confidence=confidence, seed=seed, burnout_speed_km_s=speed))
                    except InputError:  # the stage model cannot be scaled to this speed from here
                        continue
    return found
