"""The report opens offline in a real browser (Debian's Chromium driven by Playwright).

Reference: what a reader sees. With every network request refused, the report loads, every
figure decodes (natural width > 0), no request leaves the file, and the summary table is on the
page. Skipped where Playwright or a Chromium executable is not installed (CI without a browser).
"""

import shutil

import pytest

playwright = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.slow,  # each starts a browser
              pytest.mark.skipif(CHROMIUM is None, reason="no Chromium executable on this machine")]


@pytest.fixture(scope="module")
def report(small_assessed, tmp_path_factory):
    from shieldcheck.report.html import write_report

    return write_report(small_assessed[1], tmp_path_factory.mktemp("browser") / "out")


def test_report_renders_offline_with_every_figure(report):
    requests = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        page.route("**/*", lambda route: (requests.append(route.request.url),
                                          route.continue_() if route.request.url.startswith(("file:", "data:"))
                                          else route.abort()))
        page.goto(report.as_uri())
        widths = page.eval_on_selector_all("img", "images => images.map(i => i.complete ? i.naturalWidth : 0)")
        text = page.inner_text("body")
        browser.close()
    assert widths and all(w > 0 for w in widths), widths
    assert all(url.startswith(("file:", "data:")) for url in requests), requests
    assert "Summary" in text and "When a threat emerges" in text and "NaN" not in text
