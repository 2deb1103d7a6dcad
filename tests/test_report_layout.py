"""The report as a reader sees it, on a desktop screen and on a phone (Debian's Chromium via Playwright).

Reference: what a reader sees at 1,400 x 900 and 390 x 844 CSS pixels. The first screen holds the four
answers (each answer's sentence and what it rests on, by element id, inside the first viewport); the
page never scrolls sideways (``document.scrollingElement.scrollWidth <= innerWidth``: wide tables scroll
inside their wrapper, whose box stays within the viewport); every figure decodes. Screenshots are saved
under the test's tmp_path. Skipped where Playwright or Chromium is not installed.
"""

import shutil

import pytest

playwright = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.slow,  # each starts a browser
              pytest.mark.skipif(CHROMIUM is None, reason="no Chromium executable on this machine")]
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
ANSWERS = ("answer-iran", "answer-russia", "answer-emergence", "answer-guarantee")

MEASURE = """() => ({
  scrollWidth: document.scrollingElement.scrollWidth, width: innerWidth, height: innerHeight,
  answers: Object.fromEntries([...document.querySelectorAll('ol.answers > li')].map(li => {
      const box = li.querySelector('.answer-text').getBoundingClientRect();
      return [li.id, [box.top, box.bottom, box.left, box.right]]; })),
  loose: [...document.querySelectorAll('table')].filter(t => !t.closest('.table-wrap')).length,
  wrappers: [...document.querySelectorAll('.table-wrap')].map(w => w.getBoundingClientRect().right),
  images: [...document.images].map(i => i.complete ? i.naturalWidth : 0),
})"""


@pytest.fixture(scope="module")
def page_path(small_assessed, tmp_path_factory):
    from shieldcheck import guarantee
    from shieldcheck.report.html import write_report

    _, assessment, _ = small_assessed
    return write_report(assessment, tmp_path_factory.mktemp("layout"), guarantees=guarantee.for_assessment(assessment))


@pytest.mark.parametrize("width, height", [(1400, 900), (390, 844)])
def test_first_screen_holds_the_four_answers_and_nothing_scrolls_sideways(page_path, width, height, tmp_path):
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(page_path.as_uri())
        page.screenshot(path=str(tmp_path / f"first-screen-{width}.png"))
        seen = page.evaluate(MEASURE)
        page.screenshot(path=str(tmp_path / f"whole-{width}.png"), full_page=True)
        browser.close()
    assert list(seen["answers"]) == list(ANSWERS)
    for key, (top, bottom, left, right) in seen["answers"].items():
        assert 0 <= top and bottom <= seen["height"], (key, top, bottom)  # inside the first viewport
        assert 0 <= left and right <= seen["width"], (key, left, right)
    assert seen["scrollWidth"] <= seen["width"], seen["scrollWidth"]
    assert seen["loose"] == 0  # every table in its scrolling wrapper
    assert seen["wrappers"] and max(seen["wrappers"]) <= seen["width"] + 0.5
    assert seen["images"] and all(w > 0 for w in seen["images"]), seen["images"]
