"""The early phases (boost and ascent) of each class of Russian strategic missile against the sites at Redzikowo
and Deveselu, in every phase that has one of them.

References: the catalog's burnout-speed bands (the speeds engaged); the catalog roles of the Russian-concern flights
(the classes); a closed-form bound on the boost phase (an interceptor launched at t_L is, at the threat's burnout
t_bo, no farther from its site than its burnout speed times t_bo - t_L: it starts at rest; the engagement's
intercepts are checked against v (t_i - t_L), and the named cases against a looser top speed, burnout speed
raised by a fall from its fan's highest point plus 2 omega R for the rotating frame, as tests/test_flight_phases.py
bounds it), which the nearest boost track of each class exceeds; the reach curve of the figure, which never
exceeds the burnout speed times the time since launch; the chord distance of a hand-made envelope; and the
report's section.

The scenario (tests/scenarios.py EARLY): one flight of each class to Washington (a Yars from Teykovo, a Bulava
from the Barents Sea patrol point, an Avangard and an R-36orb from Dombarovsky), SMALL's phases "First" (a ship
only) and "Second" (Deveselu and Redzikowo), and a cancelled "Third" with both SM-3 Block IIA and IIB at
Redzikowo; bounding cue delay:105 + 10 s. The glide vehicle is asked about in boost and ascent only: its
numbers here do not depend on its glide.
"""

import math
import re

import numpy as np
import pytest
import scenarios

from shieldcheck import catalog, early_phase, reach
from shieldcheck.early_phase import ALL
from shieldcheck.errors import InputError

OMEGA_R_M_S = 7.292115e-5 * 6.378137e6  # Earth's rotation rate x equatorial radius (WGS 84)
CLASSES = ["ICBM", "SLBM", "HGV", "FOBS"]


@pytest.fixture(scope="module")
def early_assessed(tmp_path_factory):
    """The EARLY scenario assessed: (scenario, Assessment, its folder)."""
    from shieldcheck import assess

    folder = tmp_path_factory.mktemp("early")
    chosen = scenarios.load(folder, scenarios.EARLY, "early.toml")
    return chosen, assess.assess(chosen, work_dir=folder / "work"), folder


@pytest.fixture(scope="module")
def phases(early_assessed):
    chosen, assessed, _ = early_assessed
    return early_phase.study_phases(chosen, assessed.flights)


@pytest.fixture(scope="module")
def early_cue(early_assessed):
    """The cancelled phase "Third" under a cue at the threat's launch (delay:0, + the 10 s launch delay): the
    earliest any interceptor could go, where the Yars is engaged in ascent."""
    chosen, assessed, folder = early_assessed
    text = scenarios.EARLY.replace('bounding_cueing = { value = "delay:105"', 'bounding_cueing = { value = "delay:0"')
    assert text != scenarios.EARLY
    return early_phase.study(scenarios.load(folder, text, "early-0.toml"), assessed.flights, phase="Third")


@pytest.mark.parametrize("interceptor, speeds", [
    ("SM-3 Block IIA", [("low", 4.0), ("value", 4.5), ("high", 5.0)]),
    ("SM-3 Block IB", [("low", 2.7), ("value = high", 3.0)]),  # the value is the band's top
])
def test_speeds_are_the_band_edges_and_the_value(interceptor, speeds):
    assert [(s.label, s.burnout_speed_km_s) for s in early_phase.catalog_speeds(interceptor)] == speeds


def test_closed_form_bound_is_speed_times_the_time_left():
    assert early_phase.bound_km(5.0, 40.0) == pytest.approx(200.0)
    assert early_phase.bound_km(5.0, -3.0) == 0.0  # the threat burns out before the interceptor's launch


def test_classes_are_catalog_roles_in_a_stated_order():
    assert early_phase.class_order(["FOBS", "SLBM", "IRBM", "HGV", "ICBM", "XYZ"]) == ["ICBM", "SLBM", "HGV", "FOBS",
                                                                                      "IRBM", "XYZ"]
    assert early_phase.class_label("HGV") == "glide vehicle" and early_phase.class_label("FOBS") == "fractional orbit"
    assert early_phase.flight_class({"missile": "Bulava"}) == "SLBM"


@pytest.mark.slow
def test_every_phase_with_the_sites_and_every_class_is_studied(phases):
    assert [s.phase for s in phases.studies] == ["Second", "Third"]
    assert phases.skipped == [("First", "no interceptor at Redzikowo or Deveselu")]
    second, third = phases.studies
    assert second.cancelled is None and third.cancelled == "2013-03-15" and phases.latest is second
    for study in phases.studies:
        assert study.classes == CLASSES and study.class_counts == {c: 1 for c in CLASSES} and study.flight_count == 4
        assert study.cue_basis == "bounding" and study.launch_s == pytest.approx(115.0)  # delay:105 + 10 s launch delay
        for site, interceptor in study.sites:
            for speed in study.speeds(site, interceptor):
                for flight_phase in early_phase.FLIGHT_PHASES:
                    every = study.case(site, speed.burnout_speed_km_s, flight_phase, ALL, interceptor)
                    per_class = [study.case(site, speed.burnout_speed_km_s, flight_phase, c, interceptor) for c in CLASSES]
                    assert every.flight_count == 4 and [c.flight_count for c in per_class] == [1, 1, 1, 1]
                    assert every.engageable_count == sum(c.engageable_count for c in per_class)
                    assert sum(every.verdicts.values()) == 4 and every.impossible is None
    # two interceptors at one site are kept apart, each at its own band
    assert third.sites[1:] == [("Redzikowo", "SM-3 Block IIA"), ("Redzikowo", "SM-3 Block IIB")]
    assert [s.burnout_speed_km_s for s in third.speeds("Redzikowo", "SM-3 Block IIA")] == [4.0, 4.5, 5.0]
    assert [s.burnout_speed_km_s for s in third.speeds("Redzikowo", "SM-3 Block IIB")] == [
        s.burnout_speed_km_s for s in early_phase.catalog_speeds("SM-3 Block IIB")]
    assert third.curve("Redzikowo", 5.0, "SM-3 Block IIB").interceptor == "SM-3 Block IIB"
    # a site with the same inputs in two phases is engaged once
    assert second.case("Deveselu", 3.0, "boost", "SLBM") is third.case("Deveselu", 3.0, "boost", "SLBM")


# One named flight per class: its nearest boost track from Redzikowo (km) and its burnout (s after launch), each
# as a band from the model (the Yars's from tests of the same flight before, the others read from these flights).
NAMED = [
    ("ICBM", "Yars Teykovo → Washington (minimum-energy)", (1_100.0, 1_400.0), (170.0, 185.0)),
    ("SLBM", "Bulava Barents Sea patrol point → Washington (minimum-energy)", (2_000.0, 2_500.0), (140.0, 165.0)),
    ("HGV", "Avangard Dombarovsky → Washington (minimum-energy)", (1_900.0, 2_300.0), (280.0, 320.0)),
    ("FOBS", "R-36orb Dombarovsky → Washington (fractional-orbit)", (2_600.0, 3_100.0), (370.0, 410.0)),
]


@pytest.mark.slow
@pytest.mark.parametrize("flight_class, flight, nearest_band_km, burnout_band_s", NAMED)
def test_no_class_is_engaged_in_boost_from_redzikowo_at_any_catalog_speed_and_why(
        phases, flight_class, flight, nearest_band_km, burnout_band_s):
    """Not engageable in boost by the IIA or the IIB at any catalog speed, in either phase, and why: the track's
    boost passes farther from Redzikowo than even the top speed of the fastest fly-out (burnout speed raised by
    its fall, plus the frame's 2 omega R) covers between the interceptor's launch and the threat's burnout."""
    third = phases.studies[1]
    (track,) = [t for t in third.tracks if t.site == "Redzikowo" and t.flight_class == flight_class]
    assert track.flight == flight and third.nearest("Redzikowo", "boost", flight_class) is track
    assert nearest_band_km[0] < track.nearest_boost_km < nearest_band_km[1]
    assert burnout_band_s[0] < track.burnout_s < burnout_band_s[1]
    available_s = track.burnout_s - third.launch_s
    for interceptor in ("SM-3 Block IIA", "SM-3 Block IIB"):
        for speed in third.speeds("Redzikowo", interceptor):
            v = speed.burnout_speed_km_s
            case = third.case("Redzikowo", v, "boost", flight_class, interceptor)
            assert case.engageable_count == 0 and case.engaged == [] and case.best_margin_s is None
            scaled = reach.with_burnout_speed(catalog.interceptor(interceptor), v * 1e3)
            env = reach.envelope(scaled.vehicle, 54.5, 0.0)
            top_m_s = math.sqrt(env.burnout_speed_m_s ** 2 + 2.0 * 9.80665 * env.max_altitude_m) + 2.0 * OMEGA_R_M_S
            assert top_m_s * available_s / 1e3 < track.nearest_boost_km  # beyond what even the top speed covers
            gap = third.gap(track, v, interceptor)
            assert gap.flight == flight and gap.available_s == pytest.approx(available_s)
            assert gap.bound_km == pytest.approx(v * available_s)
            assert gap.reach_km <= gap.bound_km < gap.nearest_km and gap.shortfall_km > 0.0
            assert gap.needed_km_s > v


@pytest.mark.slow
def test_the_class_that_comes_closest_is_the_least_shortfall_of_any_phase_site_and_class(phases):
    closest = phases.closest()
    every = [study.gap(t, study.speeds(site, kind)[-1].burnout_speed_km_s, kind)
             for study in phases.studies for site, kind in study.sites for t in study.tracks if t.site == site]
    assert closest.shortfall_km == pytest.approx(min(g.shortfall_km for g in every))
    # the Yars from Teykovo: the nearest boost track to Redzikowo and the earliest burnout of the land-based flights;
    # the fastest interceptor at Redzikowo is the never-built IIB of the cancelled phase
    assert (closest.flight_class, closest.launch, closest.site) == ("ICBM", "Teykovo", "Redzikowo")
    assert (closest.phase, closest.interceptor) == ("Third", "SM-3 Block IIB")


@pytest.mark.slow
def test_launched_at_the_threats_launch_redzikowo_reaches_the_yars_in_ascent_never_in_boost(early_cue):
    """With a cue at the threat's launch (interceptor launch at 10 s), the Yars's boost track (about 1,250 km from
    Redzikowo, burnout about 176 s) is still beyond v (t_bo - t_L) = 5 x 166 = 830 km at the IIA's top speed;
    after burnout, on its way up, the IIA at 5.0 km/s and the IIB meet it, about 1,070 km from the site."""
    assert early_cue.launch_s == pytest.approx(10.0)
    for interceptor in ("SM-3 Block IIA", "SM-3 Block IIB"):
        fastest = early_cue.speeds("Redzikowo", interceptor)[-1].burnout_speed_km_s
        assert early_cue.case("Redzikowo", fastest, "boost", "ICBM", interceptor).engageable_count == 0
        ascent = early_cue.case("Redzikowo", fastest, "ascent", "ICBM", interceptor)
        assert ascent.engaged == ["Yars Teykovo → Washington (minimum-energy)"]
        (point,) = ascent.intercepts
        assert point.flight_phase == "ascent" and 176.0 < point.time_s < 886.0
        assert 1_000.0 < point.distance_km < early_phase.bound_km(fastest, point.time_s - early_cue.launch_s)


def _bound_holds(study):
    """Every intercept and reach curve of a study within the closed-form bound; the count of intercepts checked."""
    checked = 0
    for case in study.cases:
        v = case.speed.burnout_speed_km_s
        for point in case.intercepts:
            assert point.distance_km <= early_phase.bound_km(v, point.time_s - study.launch_s), (case, point)
            checked += 1
        if case.flight_phase == "boost":  # a boost intercept only of a track within reach by its burnout
            for flight in case.engaged:
                track = next(t for t in study.tracks if t.site == case.site and t.flight == flight)
                assert track.nearest_boost_km <= early_phase.bound_km(v, track.burnout_s - study.launch_s)
    for curve in study.curves:
        after_s = curve.time_s - curve.launch_s
        assert np.all(curve.reach_km[after_s <= 0.0] == 0.0)
        assert np.all(np.diff(curve.reach_km) >= 0.0)
        bound = np.array([early_phase.bound_km(curve.speed.burnout_speed_km_s, s) for s in after_s])
        assert np.all(curve.reach_km <= bound), (curve.site, curve.speed)
        assert curve.reach_km[-1] > 500.0  # by the last apogee it is far out
    return checked


@pytest.mark.slow
@pytest.mark.parametrize("flight_class", CLASSES)
def test_the_tool_never_exceeds_the_closed_form_bound_for_each_class(phases, early_cue, flight_class):
    """For each class, site and speed: the reach flown by each threat's burnout, and the boost track of each, against
    v (t_bo - t_L); and every intercept the engagement finds (any phase, under both cues) within v (t_i - t_L)."""
    for study in phases.studies + [early_cue]:
        for site, interceptor in study.sites:
            for speed in study.speeds(site, interceptor):
                for track in (t for t in study.tracks if t.site == site and t.flight_class == flight_class):
                    gap = study.gap(track, speed.burnout_speed_km_s, interceptor)
                    assert gap.reach_km <= gap.bound_km + 1e-9
    assert _bound_holds(early_cue) >= 1  # the Yars in ascent at least
    for study in phases.studies:
        _bound_holds(study)


def test_reach_of_a_hand_made_envelope_is_the_chord_to_its_farthest_cell():
    """Cells (0 km, 100 km up) at 10 s and (100 km along the ground, 0 km up) at 20 s, on a sphere of 6,371 km:
    by 15 s the reach is the 100 km climb; by 20 s the chord 2 R sin(s / 2R) of the ground cell."""
    grid = np.full((11, 21), np.inf)
    grid[0, 20] = 10.0
    grid[10, 0] = 20.0
    env = reach.ReachEnvelope("hand", grid, np.full((11, 21, 2), np.nan), 10_000.0, 5_000.0, "wgs84", "none", 0.0,
                              0.0, 1_000.0, 10.0, 0.0)
    r = 6_371e3
    got = early_phase.reach_km(env, r, np.array([-1.0, 9.9, 15.0, 20.0, 99.0]))
    chord_km = 2.0 * r * math.sin(100e3 / (2.0 * r)) / 1e3
    assert got == pytest.approx([0.0, 0.0, 100.0, max(100.0, chord_km), max(100.0, chord_km)], abs=1e-9)


def test_a_phase_without_the_sites_gives_nothing_and_an_unknown_phase_is_named(small_assessed):
    chosen, assessed, _ = small_assessed
    assert early_phase.study(chosen, assessed.flights, sites=("Thule",)) is None
    assert early_phase.study_phases(chosen, assessed.flights, sites=("Thule",)) is None
    with pytest.raises(InputError, match=r"phase of small: 'Secnd' is not an allowed choice.*Did you mean.*Second"):
        early_phase.study(chosen, assessed.flights, phase="Secnd")


@pytest.mark.slow
def test_one_phase_study_keeps_its_callers(small_assessed):
    """``study`` with no phase: the latest phase not cancelled with the sites, every class the scenario flies (the
    small scenario: its one Yars)."""
    chosen, assessed, _ = small_assessed
    study = early_phase.study(chosen, assessed.flights)
    assert study.phase == "Second" and study.classes == ["ICBM"] and study.missiles == ["Yars"]
    assert sorted(study.sites) == [("Deveselu", "SM-3 Block IB"), ("Redzikowo", "SM-3 Block IIA")]
    assert study.case("Redzikowo", 5.0, "boost").flight_count == 1


def _text(page: str, section_id: str) -> tuple[str, str]:
    section = re.search(rf'<section id="{section_id}">.*?</section>', page, re.S).group(0)
    return section, re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ",
                                               re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", section)))


@pytest.mark.slow
def test_report_has_a_row_per_phase_site_and_class_and_names_the_closest_class(phases, early_assessed, tmp_path):
    from shieldcheck.report.html import write_report
    from shieldcheck.report.sections import early_phase as section

    _, assessed, _ = early_assessed
    page = write_report(assessed, tmp_path / "with", early_phase=phases).read_text(encoding="utf-8")
    html, text = _text(page, "early-phases")
    assert "The early phases: boost and ascent" in text
    assert "in Second and Third (cancelled 2013-03-15, never built); First is not studied: no interceptor" in text
    assert "(1 ICBM, 1 SLBM, 1 glide vehicle and 1 fractional orbit:" in text
    assert "neither site engages any of them in boost, in any of the phases studied" in text
    closest = phases.closest()
    assert (f"The class that comes closest is the ICBM, from Teykovo: its boost track ({closest.flight}) passes "
            f"{closest.nearest_km:,.0f} km from Redzikowo (Third, cancelled, never built)") in text
    assert f"at most {closest.bound_km:,.0f} km from its site (the closed-form bound" in text
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)
    cells = [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)] for r in rows]
    keys = [tuple(c[:3]) for c in cells if c]
    expected = [(phase, site, f"1 {label}") for phase, sites in
                (("Second", ["Deveselu (SM-3 Block IB)", "Redzikowo (SM-3 Block IIA)"]),
                 ("Third (cancelled)", ["Deveselu (SM-3 Block IB)", "Redzikowo (SM-3 Block IIA)",
                                        "Redzikowo (SM-3 Block IIB)"]))
                for site in sites for label in ("ICBM", "SLBM", "glide vehicle", "fractional orbit")]
    assert keys == expected
    slbm = next(c for c in cells if c and tuple(c[:3]) == ("Second", "Redzikowo (SM-3 Block IIA)", "1 SLBM"))
    track = phases.studies[0].nearest("Redzikowo", "boost", "SLBM")
    assert slbm[3].startswith("0 at 4.0, 0 at 4.5 and 0 at 5.0 km/s of 1")
    assert slbm[6] == f"{track.nearest_boost_km:,.0f} km (Barents Sea patrol point, burnout {track.burnout_s:,.0f} s)"
    assert slbm[8] == f"{early_phase.bound_km(5.0, track.burnout_s - 115.0):,.0f} km"
    assert "APS03" in text and "NRC12" in text
    assert html.count("data:image/png;base64,") == 1 and 'href="#early-phases"' in page
    sources = re.search(r'<section id="sources">.*?</section>', page, re.S).group(0)
    assert "<code>APS03</code>" in sources and "<code>NRC12</code>" in sources
    # one phase's study, as before, still words the section
    from shieldcheck.report.context import Context

    one = section.section(Context.of(assessed, tmp_path / "one", early_phase=phases.studies[0]))
    assert "in Second, with" in _text(one, "early-phases")[1]
    without = section.section(Context.of(assessed, tmp_path / "without"))
    assert 'id="early-phases"' in without and "Not computed for this report" in without
