"""The early phases (boost and ascent) of a Russian ICBM against the sites at Redzikowo and Deveselu.

References: the catalog's burnout-speed bands (the speeds engaged); a closed-form bound on the boost phase
(an interceptor launched at t_L is, at the threat's burnout t_bo, no farther from its site than its top
speed times t_bo - t_L: burnout speed, raised by a fall from its fan's highest point, plus 2 omega R for the
rotating frame, as tests/test_flight_phases.py bounds it), which the nearest boost track of a Yars from
Teykovo to Washington exceeds from Redzikowo at every catalog speed; the reach curve of the figure, which
never exceeds the burnout speed times the time since launch; the chord distance of a hand-made envelope;
and the report's section.
"""

import math
import re

import numpy as np
import pytest

from shieldcheck import catalog, early_phase, reach
from shieldcheck.errors import InputError

OMEGA_R_M_S = 7.292115e-5 * 6.378137e6  # Earth's rotation rate x equatorial radius (WGS 84)


@pytest.fixture(scope="module")
def study(small_assessed):
    """The small test scenario (tests/test_assess.py: phase "Second" with Deveselu and Redzikowo, a Yars from
    Teykovo to Washington), engaged at the catalog's speed bands under its bounding cue (delay:105 + 10 s)."""
    chosen, assessed, _ = small_assessed
    return early_phase.study(chosen, assessed.flights)


@pytest.mark.parametrize("interceptor, speeds", [
    ("SM-3 Block IIA", [("low", 4.0), ("value", 4.5), ("high", 5.0)]),
    ("SM-3 Block IB", [("low", 2.7), ("value = high", 3.0)]),  # the value is the band's top
])
def test_speeds_are_the_band_edges_and_the_value(interceptor, speeds):
    assert [(s.label, s.burnout_speed_km_s) for s in early_phase.catalog_speeds(interceptor)] == speeds


@pytest.mark.slow
def test_the_study_takes_the_latest_phase_with_the_sites_and_the_russian_icbms(study):
    assert study.phase == "Second"
    assert sorted(study.sites) == [("Deveselu", "SM-3 Block IB"), ("Redzikowo", "SM-3 Block IIA")]
    assert study.flight_count == 1 and study.missiles == ["Yars"]
    assert study.cue_basis == "bounding" and study.launch_s == pytest.approx(115.0)  # delay:105 + 10 s launch delay
    for site, _ in study.sites:
        for speed in study.speeds(site):
            for flight_phase in early_phase.FLIGHT_PHASES:
                case = study.case(site, speed.burnout_speed_km_s, flight_phase)
                assert case.flight_count == 1 and sum(case.verdicts.values()) == 1 and case.impossible is None


@pytest.mark.slow
def test_redzikowo_does_not_engage_yars_teykovo_washington_in_boost_at_catalog_speeds(study):
    """Not engageable in boost at 4.0, 4.5 or 5.0 km/s, and why: the Yars burns out about 176 s after launch, 61 s
    after the interceptor's launch, while its boost track passes about 1,250 km from Redzikowo; even the top speed
    of the fastest fly-out (5.0 km/s raised by its fall, plus the frame's 2 omega R) covers a few hundred km in
    that time, and the reach envelope about 100 km."""
    (approach,) = [a for a in study.approaches if a.site == "Redzikowo"]
    assert approach.flight == "Yars Teykovo → Washington (minimum-energy)"
    nearest_km = approach.nearest_km("boost")
    available_s = approach.burnout_s - study.launch_s
    assert 170.0 < approach.burnout_s < 185.0 and 1_100.0 < nearest_km < 1_400.0
    for speed in study.speeds("Redzikowo"):
        case = study.case("Redzikowo", speed.burnout_speed_km_s, "boost")
        assert case.engageable_count == 0 and case.engaged == [] and case.best_margin_s is None
        assert case.commonest_verdict in ("too late", "out of range")
        scaled = reach.with_burnout_speed(catalog.interceptor("SM-3 Block IIA"), speed.burnout_speed_km_s * 1e3)
        env = reach.envelope(scaled.vehicle, 54.5, 0.0)
        top_m_s = math.sqrt(env.burnout_speed_m_s ** 2 + 2.0 * 9.80665 * env.max_altitude_m) + 2.0 * OMEGA_R_M_S
        assert top_m_s * available_s / 1e3 < nearest_km / 2  # far beyond what even the top speed covers
        shortfall_km, flight, burnout_s, km, reach_km = study.boost_shortfall("Redzikowo", speed.burnout_speed_km_s)
        assert flight == approach.flight and km == pytest.approx(nearest_km)
        assert reach_km < 150.0 and shortfall_km > 1_000.0


@pytest.mark.slow
def test_reach_curve_never_exceeds_burnout_speed_times_time(study):
    """The figure's reach: zero before the interceptor's launch, never shrinking, and never beyond v (t - t_L)."""
    assert {c.site for c in study.curves} == {"Redzikowo", "Deveselu"}
    for curve in study.curves:
        after_s = curve.time_s - curve.launch_s
        assert np.all(curve.reach_km[after_s <= 0.0] == 0.0)
        assert np.all(np.diff(curve.reach_km) >= 0.0)
        bound_km = curve.speed.burnout_speed_km_s * np.maximum(after_s, 0.0)
        assert np.all(curve.reach_km <= bound_km), (curve.site, curve.speed)
        assert curve.reach_km[-1] > 500.0  # by the threat's apogee it is far out


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
    with pytest.raises(InputError, match=r"phase of small: 'Secnd' is not an allowed choice.*Did you mean.*Second"):
        early_phase.study(chosen, assessed.flights, phase="Secnd")


@pytest.mark.slow
def test_report_has_the_section_with_its_answer_figure_and_sources(study, small_assessed, tmp_path):
    from shieldcheck.report.html import write_report

    _, assessed, _ = small_assessed
    page = write_report(assessed, tmp_path / "with", early_phase=study).read_text(encoding="utf-8")
    section = re.search(r'<section id="early-phases">.*?</section>', page, re.S).group(0)
    text = re.sub(r"<[^>]+>", " ", re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", section))
    assert "The early phases: boost and ascent" in text
    assert "neither site engages any of the 1 Russian ICBM flights of Second" in text
    assert re.search(r"passes [\d,]+ km from it", text) and "APS03" in text and "NRC12" in text
    assert "data:image/png;base64," in section and 'href="#early-phases"' in page
    sources = re.search(r'<section id="sources">.*?</section>', page, re.S).group(0)
    assert "<code>APS03</code>" in sources and "<code>NRC12</code>" in sources
    from shieldcheck.report.context import Context
    from shieldcheck.report.sections import early_phase as section

    without = section.section(Context.of(assessed, tmp_path / "without"))
    assert 'id="early-phases"' in without and "Not computed for this report" in without
