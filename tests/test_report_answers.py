"""The report's first answers say of what they count, and the guarantee's limits cannot be misread.

References: the numbers come from :mod:`shieldcheck.aggregate` over the small scenario's results (the
one place rows become counts), never hard-coded; the limits' words follow the definitions of
:class:`shieldcheck.guarantee.SiteLimit`. No figure or physics is computed here beyond the small
scenario's session assessment (``small_assessed``) and one guarantee chart.
"""

import dataclasses
import html as html_mod
import re

import pytest

from shieldcheck import aggregate, treaty
from shieldcheck.aggregate import Outcome
from shieldcheck.guarantee import PhaseLimits, SiteLimit
from shieldcheck.report.context import Context
from shieldcheck.report.facts import nearest
from shieldcheck.report.sections import answers, guarantee


def _text(fragment: str) -> str:
    return html_mod.unescape(re.sub(r"<[^>]+>", "", fragment))


@pytest.fixture(scope="module")
def report(small_assessed, tmp_path_factory):
    _, assessment, _ = small_assessed
    return Context.of(assessment, tmp_path_factory.mktemp("answers"))


def _limit(russian_by_speed, russian_by_delay, *, speeds=(2.0, 3.0, 4.0, 5.0, 6.0, 7.0), impossible=()):
    """A site's sweeps as guarantee() records them (counts per swept value), the Iranian share falling with
    the speed and rising with the delay."""
    reachable = [v for v in speeds if v not in impossible]
    delays = [0.0, 60.0, 120.0, 180.0][:len(russian_by_delay)]
    return SiteLimit("Redzikowo", "SM-3 Block IIA", 4.5, "delay:105 +30 s", speeds_km_s=reachable,
                     russian_engageable=list(russian_by_speed), stated_share=[0.1 * k for k in range(len(reachable))],
                     delays_s=delays, russian_engageable_by_delay=list(russian_by_delay),
                     stated_share_by_delay=[0.9 - 0.1 * k for k in range(len(delays))], n_russian=10, n_stated=20,
                     impossible_speeds={v: "beyond the stage model" for v in impossible})


def test_the_iranian_headline_names_its_denominators(report, small_assessed):
    _, assessment, _ = small_assessed
    summary = aggregate.summary(assessment.results, assessment.scenario.phases)
    flights = assessment.flights.rows
    listed = [f for f in flights if "stated" in f.get("purposes", ())]
    flyable = [f for f in listed if f.get("status") == "flown"]
    text = _text(answers.headline_stated(report))
    assert f"of the {len(flyable):,} Iranian flights the catalog's missiles can fly" in text
    assert f"({len(listed) - len(flyable):,} of the {len(listed):,} flights the threat sets list are beyond" in text
    for entry in summary:  # every phase's count, in the order of the phases
        assert f"{aggregate.cell(entry, 'stated', 'architecture')['engageable']:,} in {entry['phase']}" in text


def test_the_russian_headline_names_its_denominator_and_cue_basis(report, small_assessed):
    _, assessment, _ = small_assessed
    summary = aggregate.summary(assessment.results, assessment.scenario.phases)
    flown = max(aggregate.cell(e, "russian-concern", b)["flights"] for e in summary for b in aggregate.BASES)
    listed = sum(1 for f in assessment.flights.rows if "russian-concern" in f.get("purposes", ()))
    text = _text(answers.headline_russian(report))
    assert f"of the {flown:,} Russian flights the catalog's missiles can fly ({listed:,} listed)" in text
    assert "under the architecture's own cueing" in text and "under the bounding cue (interceptor launch" in text
    # the small scenario's bounding cue: delay:105 plus its 10 s launch delay
    assert "115 s after the threat's" in text


def test_answers_are_four_with_ids_and_links_to_the_evidence(report):
    page = answers.answers(report)
    for key in ("iran", "russia", "emergence", "guarantee"):
        assert f'id="answer-{key}"' in page
    assert page.count("Rests on:") == 4 and page.count('href="#') >= 4
    assert "not computed for this report" in _text(page)  # no guarantee handed in: said so, no number


def test_a_limit_at_the_top_of_the_sweep_reads_as_no_limit():
    limit = _limit([0, 0, 0, 0, 0, 0], [1, 0, 0])
    assert limit.speed_limit_km_s == 7.0 and limit.speed_limit_at_top
    words = limit.speed_limit_words()
    assert words.startswith("no Russian flight engageable at any swept speed up to 7.00 km/s")
    assert "not a limit" in words


def test_the_sweeps_reachable_speeds_are_stated_as_such():
    limit = _limit([0, 2, 5], [1, 0], impossible=(2.0, 3.0, 7.0))
    assert limit.reachable_speeds_words() == ("its stage model reaches swept speeds from 4.00 to 6.00 km/s "
                                              "(not 2.00, 3.00, 7.00 km/s)")
    assert limit.speed_limit_words() == "4.00 km/s"
    slow = _limit([1, 2, 5], [1, 0], impossible=(2.0, 3.0, 7.0))
    assert slow.speed_limit_words() == "below 4.00 km/s, the slowest swept speed its stage model reaches"
    unswept = _limit([1, 2, 3, 4, 5, 6], [1, 0])
    assert unswept.speed_limit_words() == "below 2.00 km/s, the slowest swept speed"


def test_a_zero_second_cue_is_never_offered_as_a_limit(report):
    limit = _limit([0, 0, 1, 1, 1, 1], [0, 0, 0])  # no delay, even 0 s, engages a Russian flight
    assert limit.cueing_limit_s == 0.0
    words = limit.cueing_limit_words()
    assert "physically impossible" in words and not re.match(r"^0 s", words)
    swept = dataclasses.replace(report, guarantees=[PhaseLimits("First", [limit], ["Deveselu (SM-3 Block IB)"], 1.0)])
    answer = _text(answers.headline_guarantee(swept))
    section = _text(guarantee.guarantee(swept))
    assert "no earlier than 0 s" not in answer and "physically impossible" in answer
    assert "a burnout speed of at most 3.00 km/s" in answer
    assert "Not swept, because they engage no Russian flight at their catalog values: Deveselu" in section
    assert "physically impossible" in section


def test_the_guarantee_section_says_when_it_was_not_needed(report):
    not_needed = dataclasses.replace(report, guarantees=[])
    assert "no limit is needed" in _text(answers.headline_guarantee(not_needed))
    assert "no limit is needed" in _text(guarantee.guarantee(not_needed))


def test_nearest_site_is_named_only_where_the_measure_ranks_one():
    never = [{"site": s, "interceptor": "SM-3", "verdict": "never_detected", "margin_s": None,
              "message": "never tracked"} for s in ("A", "B")]
    none_tracked = Outcome(1, never, [], never[0])
    assert nearest(none_tracked).startswith("no site tracked it") and "A (SM-3)" not in nearest(none_tracked)
    late = {"site": "C", "interceptor": "SM-3", "verdict": "too_late", "margin_s": -40.0, "message": "40 s late"}
    mixed = Outcome(2, never + [late], [], late)
    assert nearest(mixed) == "nearest: C (SM-3): 40 s late"


def test_the_guarantee_states_its_limit_in_treaty_wording(report):
    limit = _limit([0, 1, 1, 1, 1, 1], [1, 0, 0])  # a limit of 2.00 km/s
    on_the_line = dataclasses.replace(_limit([0, 0, 1, 1, 1, 1], [1, 0, 0]), site="Deveselu", basings=("land",))
    limit = dataclasses.replace(limit, basings=("land",))
    assert on_the_line.speed_limit_km_s == 3.0
    swept = dataclasses.replace(report, guarantees=[PhaseLimits("First", [limit, on_the_line], [], 1.0)])
    answer = _text(answers.headline_guarantee(swept))
    section = _text(guarantee.guarantee(swept))
    words = ("maximum velocity over any part of the trajectory, as demonstrated in tests, not to exceed 3.00 km/s: "
             "at the lower-velocity line (3.0 km/s), below the Helsinki land/air-based line (5.5 km/s)")
    assert "In the words of the 1997 texts:" in answer and words in answer
    assert words in section and "not to exceed 2.00 km/s: below the lower-velocity line" in section
    # the small table: one column per interceptor line, the sea-based line not applying to a land site
    page = guarantee.guarantee(swept)
    for header in ("lower-velocity line (3.0 km/s)", "Helsinki sea-based line (4.5 km/s)",
                   "Helsinki land/air-based line (5.5 km/s)"):
        assert header in page
    assert "<td>at</td>" in page and "<td>—</td>" in page


def test_no_limit_has_no_treaty_wording():
    none = _limit([1, 2, 3, 4, 5, 6], [1, 0])
    assert none.treaty_limit() is None and none.treaty_json() is None
    assert none.treaty_words() == "no limit to write: below 2.00 km/s, the slowest swept speed"
    assert guarantee.treaty_wording([none]) == ""
    top = _limit([0, 0, 0, 0, 0, 0], [1, 0, 0])
    assert "not to exceed 7.00 km/s" in top.treaty_words() and "the top of the sweep" in top.treaty_words()
    assert top.treaty_json()["at_top_of_sweep"] is True
    # a site whose basing is not known is placed against every interceptor line
    assert [r["line"] for r in top.treaty_limit().rows] == [line.name for line in treaty.INTERCEPTOR_LINES]
