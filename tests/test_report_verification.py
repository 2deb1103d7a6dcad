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
