"""The guarantee answer's verification paragraph (``report.sections.verification``): "verifiable by ..."
for a test the other side's radars see, "not observable ..." for one they do not."""

import pytest

from shieldcheck import verify
from shieldcheck.report.sections.verification import verification_paragraph


@pytest.fixture(scope="module")
def tests_seen_and_not():
    seen = verify.verify("Deveselu", "SM-3 Block IIA", 60.0, limit_km_s=4.5, confidence=0.95,
                         radars=["Voronezh-DM Armavir"])
    unseen = verify.verify("Pacific Missile Range Facility", "SM-3 Block IIA", 270.0, limit_km_s=4.5, confidence=0.95)
    return seen, unseen


def test_the_paragraph_says_who_verifies_and_who_cannot(tests_seen_and_not):
    text = verification_paragraph(list(tests_seen_and_not))
    assert "verifiable by Voronezh-DM Armavir with ±" in text and "m/s precision at 95 %" in text
    assert ("not observable by the other side&#x27;s radars from Pacific Missile Range Facility; verification "
            "would rest on declarations and telemetry") in text
    assert text.count("<li>") == 2


def test_nothing_when_not_computed():
    assert verification_paragraph(None) == "" and verification_paragraph([]) == ""


@pytest.mark.slow
def test_the_guarantee_answer_carries_the_verifications_its_limit_needs(small_assessed, tmp_path):
    """The small scenario (tests/scenarios.py) with a guarantee that limits the SM-3 Block IIA at Deveselu to
    3.5 km/s: the tests it needs are flown from Deveselu (due north, watched by the Russian radars) and from
    the Pacific Missile Range Facility (where the SM-3's test records place it; out of their sight), at the
    limit's speed and at the catalog speed, and the guarantee answer says both."""
    import dataclasses

    from shieldcheck.guarantee import PhaseLimits, SiteLimit
    from shieldcheck.report.context import Context
    from shieldcheck.report.sections import guarantee

    limit = SiteLimit("Deveselu", "SM-3 Block IIA", 4.5, "delay:105", speeds_km_s=[3.0, 3.5, 4.0, 4.5],
                      russian_engageable=[0, 0, 1, 1], stated_share=[0.1, 0.2, 0.3, 0.4], n_russian=1, n_stated=2,
                      basings=("land",))
    limits = [PhaseLimits("Second", [limit], [], 1.0)]
    found = verify.for_guarantees(limits)
    places = {(v.place.name, round(v.speed_flown_m_s / 1e3, 2)) for v in found}
    assert places == {("Deveselu", 3.5), ("Deveselu", 4.5), ("Pacific Missile Range Facility", 3.5),
                      ("Pacific Missile Range Facility", 4.5)}
    assert all(v.limit_m_s == 3_500.0 and v.trial.azimuth_deg == verify.SITE_TEST_AZIMUTH_DEG
               for v in found if v.place.name == "Deveselu")
    assert [v.observable for v in found if v.place.name == "Deveselu"] == [True, True]
    assert not any(v.observable for v in found if v.place.name != "Deveselu")
    _, assessment, _ = small_assessed
    report = dataclasses.replace(Context.of(assessment, tmp_path), guarantees=limits, verifications=found)
    page = guarantee.guarantee(report)
    assert "Could the other side verify it?" in page and page.count("<li>") == 4
    assert "verifiable by Voronezh-DM Armavir" in page and "shows the 3.5 km/s limit exceeded" in page
    assert "no number of tests would" in page  # the test flown at the limit
    assert ("not observable by the other side&#x27;s radars from Pacific Missile Range Facility; verification "
            "would rest on declarations and telemetry") in page


def test_the_test_range_of_an_interceptor_comes_from_its_test_records():
    assert verify.interceptor_test_range("SM-3 Block IIA") == "Pacific Missile Range Facility"
    assert verify.interceptor_test_range("GBI (three-stage)") == "Reagan Test Site"
    assert verify.range_test_azimuth_deg("Pacific Missile Range Facility") == pytest.approx(305.0)


def test_a_site_without_a_stated_limit_needs_no_verification():
    """A "limit" at the top of the sweep (no swept speed engages a Russian flight) or none at all (the slowest
    swept speed engages one) states nothing to verify: no test is flown."""
    from shieldcheck.guarantee import PhaseLimits, SiteLimit

    at_top = SiteLimit("Deveselu", "SM-3 Block IIA", 4.5, "delay:105", speeds_km_s=[3.5, 4.5],
                       russian_engageable=[0, 0], stated_share=[0.1, 0.2], n_russian=1, n_stated=2)
    none = SiteLimit("Redzikowo", "SM-3 Block IIA", 4.5, "delay:105", speeds_km_s=[3.5, 4.5],
                     russian_engageable=[1, 1], stated_share=[0.1, 0.2], n_russian=1, n_stated=2)
    assert at_top.speed_limit_at_top and none.speed_limit_km_s is None
    assert verify.for_guarantees([PhaseLimits("Second", [at_top, none], [], 1.0)]) == []
    assert verify.for_guarantees(None) == [] and verify.for_guarantees([]) == []
