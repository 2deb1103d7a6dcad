"""The explorer in a real browser: Debian's Chromium driven by Playwright, WebGL through SwiftShader.

Reference: what the API says and what a reader sees. The page, served by the explorer's server on
127.0.0.1 with every other request refused (and none attempted), draws the globe (checked by the
canvas's pixels, not the DOM), lists the verdicts of the chosen phase exactly as the API gives them,
updates them after a slider moves exactly as the API's what-if answers, and reopens the same view
from its URL. Screenshots go to tmp_path. Skipped where Playwright or Chromium is missing.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import socket
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlparse

import numpy as np
import pytest

playwright = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.slow,  # each starts a browser
              pytest.mark.skipif(CHROMIUM is None, reason="no Chromium executable on this machine")]
STATIC = Path(__file__).parents[1] / "src" / "shieldcheck" / "explorer" / "static"
CHROMIUM_ARGS = ["--no-sandbox", "--headless=new", "--use-angle=swiftshader", "--enable-unsafe-swiftshader",
                 "--disable-background-networking", "--disable-component-update", "--no-first-run"]
WIDE = {"width": 1400, "height": 900}
PHONE = {"width": 390, "height": 844}
BACKGROUND_RGB = (0x0B, 0x13, 0x20)  # the page's scene.backgroundColor (#0b1320)


@pytest.fixture(scope="module")
def base_url(small_result):
    """The explorer's server (uvicorn, as ``shieldcheck serve`` runs it) over the small scenario's result
    folder, on 127.0.0.1 at a port of its own, in a thread."""
    if not (STATIC / "index.html").exists():
        pytest.skip("the explorer's front-end is not built (python tools/build_explorer.py)")
    import uvicorn

    from shieldcheck.explorer.server import create_app

    _, _, folder = small_result
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app([folder]), log_level="error"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the explorer's server did not start within 30 s"
    yield f"http://127.0.0.1:{listening.getsockname()[1]}"
    server.should_exit = True
    thread.join(timeout=30)
    listening.close()


# ---- the browser ----
def get_json(url, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as answer:
        return json.loads(answer.read())


def whatif_rows(base_url, body):
    """The API's answer to one what-if, polled to the end."""
    job = get_json(f"{base_url}/api/whatif", body)["job"]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        state = get_json(f"{base_url}/api/jobs/{job}")
        if state["state"] == "done":
            return state["result"]["rows"]
        assert state["state"] == "running", state
        time.sleep(0.2)
    raise AssertionError("what-if not answered within 60 s")


class Watch:
    """A page with every request not to 127.0.0.1 refused and recorded, and its failures collected."""

    def __init__(self, context, base_url):
        self.refused, self.failed, self.errors = [], [], []
        self.page = context.new_page()
        host = urlparse(base_url).netloc

        def route(r):
            if urlparse(r.request.url).netloc == host:
                r.continue_()
            else:
                self.refused.append(r.request.url)
                r.abort()

        self.page.route("**/*", route)
        self.page.on("response", lambda resp: resp.status >= 400 and not resp.url.split("?")[0].endswith("battlespace.png")
                     and self.failed.append(f"{resp.status} {resp.url}"))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        # (a response of 400 or more is also a console error "Failed to load resource": recorded above)
        self.page.on("console", lambda m: m.type == "error" and not m.text.startswith("Failed to load resource")
                     and self.errors.append(m.text))

    def open(self, url):
        self.page.goto(url)
        self.settle()

    def settle(self, timeout_ms=45_000):
        self.page.wait_for_function("document.body.dataset.ready === 'true' && document.body.dataset.busy === '0'",
                                    timeout=timeout_ms)

    def clean(self):
        assert self.refused == [], self.refused
        assert self.failed == [], self.failed
        assert self.errors == [], self.errors
        assert not self.page.is_visible("#status"), self.page.inner_text("#status")

    def table(self):
        """The verdict table as (flight_id, site, verdict, margin text) in page order."""
        rows = self.page.eval_on_selector_all("#verdicts tbody tr", """rows => rows.map(r => [
            Number(r.dataset.flight), r.dataset.site, r.dataset.verdict,
            r.querySelector('td[data-key=margin_s]').textContent])""")
        return [tuple(r) for r in rows]

    def set_slider(self, selector, value):
        self.page.eval_on_selector(selector, """(input, value) => {
            input.value = String(value);
            input.dispatchEvent(new Event('input', {bubbles: true}));
            input.dispatchEvent(new Event('change', {bubbles: true}));
        }""", value)
        self.settle()


def as_table(rows):
    margin = lambda v: "–" if v is None else f"{v:.0f}"
    return sorted((r["flight_id"], r["site"], r["verdict"], margin(r["margin_s"])) for r in rows)


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def wide(browser, base_url):
    context = browser.new_context(viewport=WIDE)
    yield Watch(context, base_url)
    context.close()


def globe_pixels(page, path):
    """A screenshot of the page at ``path``, and in it, the share of the globe canvas's pixels that differ from
    the background and how many distinct colours they have (32 levels a channel)."""
    from PIL import Image

    box = page.locator(".cesium-widget canvas").bounding_box()
    image = Image.open(io.BytesIO(page.screenshot(path=path))).convert("RGB")
    image = image.crop((int(box["x"]), int(box["y"]), int(box["x"] + box["width"]), int(box["y"] + box["height"])))
    pixels = np.asarray(image, dtype=np.int16).reshape(-1, 3)
    drawn = pixels[np.abs(pixels - np.array(BACKGROUND_RGB)).max(axis=1) > 24]
    return len(drawn) / len(pixels), len(np.unique(drawn // 8, axis=0))


def test_the_globe_draws_offline_on_a_meaningful_view(wide, base_url, tmp_path):
    wide.open(f"{base_url}/")
    # Wait until Cesium says the imagery tiles in view are loaded, then judge by pixels: the globe is drawn
    # (not a blank canvas) with Natural Earth imagery. A globe without imagery is one flat blue, hence the
    # count of distinct colours; the thresholds sit far below what the drawn globe gives (about 45 % of the
    # canvas, over 1,000 colours).
    # (The page renders on request: each poll asks for a frame, in which Cesium updates tilesLoaded.)
    wide.page.wait_for_function("explorer.viewer.scene.requestRender() || explorer.viewer.scene.globe.tilesLoaded",
                                polling=250, timeout=30_000)
    share, colours = globe_pixels(wide.page, tmp_path / "explorer.png")
    if os.environ.get("SHIELDCHECK_EXPLORER_SCREENSHOT"):  # the README's picture (docs/images/explorer.png)
        shutil.copyfile(tmp_path / "explorer.png", os.environ["SHIELDCHECK_EXPLORER_SCREENSHOT"])
    assert share > 0.25, f"only {share:.0%} of the canvas is drawn"
    assert colours > 200, f"{colours} distinct colours: the imagery did not load"
    # It opens on the whole threat geometry: every flight of the default view is shown.
    shown = wide.page.evaluate("""() => explorer.source.entities.values
        .filter(e => e.id.startsWith('flight-') && e.show).map(e => Number(e.id.slice(7)))""")
    assert sorted(shown) == sorted({r[0] for r in wide.table()})
    wide.clean()


def test_the_table_lists_the_chosen_phase_as_the_engine_gives_it(wide, base_url, small_result):
    _, assessed, _ = small_result
    wide.open(f"{base_url}/")
    result = get_json(f"{base_url}/api/results")["results"][0]
    assert wide.page.input_value("#phase") == result["phases"][-1]  # opens on the latest phase
    assert wide.page.input_value("#basis") == "bounding"  # under the bounding cue, as the scene files
    phase = result["phases"][0]
    wide.page.select_option("#phase", phase)
    wide.settle()
    api = get_json(f"{base_url}/api/results/{result['id']}/verdicts?phase={quote(phase)}&basis=bounding")["rows"]
    engine = [r for r in assessed.results.to_pylist() if r["phase"] == phase and r["cue_basis"] == "bounding"]
    assert sorted(wide.table()) == as_table(api) == as_table(engine)
    assert f"phase={quote(phase)}" in wide.page.url.replace("+", "%20")
    # Sorted by margin, largest first; a click on the heading turns it round (rows without a margin last).
    def margins():
        return [None if m == "–" else float(m) for *_, m in wide.table()]

    numbers = [m for m in margins() if m is not None]
    assert numbers == sorted(numbers, reverse=True) and margins()[len(numbers):] == [None] * (len(api) - len(numbers))
    wide.page.click("#verdicts th[data-key=margin_s] button")
    assert [m for m in margins() if m is not None] == sorted(numbers)
    # A site chosen: its rows only, and the speed slider spans its interceptor's catalogued range.
    site = next(s for s in result["sites"] if s["phase"] == phase)
    wide.page.select_option("#site", site["site"])
    wide.settle()
    assert sorted(wide.table()) == as_table([r for r in api if r["site"] == site["site"]])
    interceptor = next(i for i in result["interceptors"] if i["name"] == site["interceptor"])
    speed = wide.page.eval_on_selector("#speed", "s => [s.disabled, Number(s.min), Number(s.max), Number(s.value)]")
    assert speed == [False, interceptor["low"], interceptor["high"], interceptor["burnout_speed_km_s"]]
    wide.clean()


def test_a_slider_updates_the_verdicts_as_the_api_answers(wide, base_url, tmp_path):
    result = get_json(f"{base_url}/api/results")["results"][0]
    phase = result["phases"][-1]
    wide.open(f"{base_url}/")
    before = wide.table()
    delay_s = 300  # the slider's top: a launch 300 s after the cue (only re-evaluates; no reach rebuilt)
    wide.set_slider("#delay", delay_s)
    after = wide.table()
    body = {"result": result["id"], "phase": phase, "basis": "bounding", "site": None, "flight_id": None,
            "burnout_speed_km_s": None, "launch_delay_s": delay_s, "min_intercept_altitude_km": None}
    expected = whatif_rows(base_url, body)
    assert sorted(after) == as_table(expected)
    assert sorted(after) != sorted(before)  # 300 s later changes some margin or verdict
    # The globe follows: each track in the colour of its best verdict over the what-if's rows.
    from shieldcheck.scene import VERDICT_RGBA, best_rows

    colours = wide.page.evaluate("""() => Object.fromEntries(explorer.source.entities.values
        .filter(e => e.id.startsWith('flight-'))
        .map(e => [e.id.slice(7), e.path.material.color.getValue().toBytes()]))""")
    assert colours == {str(k): list(VERDICT_RGBA[r["verdict"]]) for k, r in best_rows(expected).items()}
    assert "launch delay 300" in wide.page.inner_text("#counts")
    wide.page.screenshot(path=tmp_path / "whatif.png")
    # The URL carries the state: a fresh page on it shows the same table and slider.
    url = wide.page.url
    assert f"delay={delay_s}" in url
    wide.clean()
    wide.page.close()  # one WebGL page at a time: SwiftShader on two busy cores
    again = Watch(wide.page.context, base_url)
    again.open(url)
    assert sorted(again.table()) == sorted(after)
    assert again.page.input_value("#delay") == str(delay_s)
    again.clean()


def test_a_row_flies_to_its_engagement_plays_and_explains_it(wide, base_url):
    wide.open(f"{base_url}/")
    row = wide.page.locator("#verdicts tbody tr").first
    flight, site = int(row.get_attribute("data-flight")), row.get_attribute("data-site")
    row.click()
    wide.page.wait_for_function("document.getElementById('battlespace').dataset.state !== 'loading'", timeout=30_000)
    result = get_json(f"{base_url}/api/results")["results"][0]
    api = get_json(f"{base_url}/api/results/{result['id']}/verdicts?phase={quote(result['phases'][-1])}&basis=bounding")
    chosen = next(r for r in api["rows"] if r["flight_id"] == flight and r["site"] == site)
    assert wide.page.inner_text("#selected-message") == chosen["message"]  # the sentence the CLI prints
    assert f"flight={flight}" in wide.page.url
    # The clock plays the flight: its interval is the track's, and it runs.
    clock = wide.page.evaluate("""() => { const c = explorer.viewer.clock;
        return [Cesium.JulianDate.secondsDifference(c.stopTime, c.startTime), c.shouldAnimate]; }""")
    packet = next(p for p in get_json(f"{base_url}/api/results/{result['id']}/scene.czml?phase="
                                      f"{quote(result['phases'][-1])}&basis=bounding") if p["id"] == f"flight-{flight}")
    samples = packet["position"]["cartographicDegrees"]
    assert clock == [pytest.approx(samples[-4] - samples[0], abs=1e-3), True]
    # The battle-space figure is shown exactly where the API has one.
    figure_url = (f"/api/results/{result['id']}/battlespace.png?phase={quote(result['phases'][-1])}&basis=bounding"
                  f"&site={quote(site)}&flight_id={flight}")
    has_figure = wide.page.evaluate("url => fetch(url).then(r => r.ok)", figure_url)
    assert wide.page.get_attribute("#battlespace", "data-state") == ("shown" if has_figure else "none")
    wide.clean()


KEY_COLUMNS = ("missile", "aim", "site", "verdict", "margin_s")


def key_columns_outside(page, width):
    """The key columns whose headings are not wholly inside the table's visible box (and the window)."""
    frame = page.locator("#table-wrap").bounding_box()
    right = min(width, frame["x"] + frame["width"])
    boxes = {key: page.locator(f"#verdicts th[data-key={key}]").bounding_box() for key in KEY_COLUMNS}
    return {k: b for k, b in boxes.items() if not b or b["x"] < frame["x"] or b["x"] + b["width"] > right + 0.5}


def test_the_key_columns_show_on_a_wide_screen(wide, base_url):
    wide.open(f"{base_url}/")
    assert key_columns_outside(wide.page, WIDE["width"]) == {}
    wide.clean()


def test_the_key_columns_fit_a_phone(browser, base_url, tmp_path):
    context = browser.new_context(viewport=PHONE)
    phone = Watch(context, base_url)
    phone.open(f"{base_url}/")
    phone.page.screenshot(path=tmp_path / "phone.png", full_page=True)
    assert key_columns_outside(phone.page, PHONE["width"]) == {}
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways page
    phone.clean()
    context.close()


def test_a_stale_link_and_a_refused_whatif_are_one_line_each(wide, base_url):
    result = get_json(f"{base_url}/api/results")["results"][0]
    wide.open(f"{base_url}/#phase=Phase%209&basis=bounding")
    assert "Phase 9" in wide.page.inner_text("#status")  # said once, and the defaults shown instead
    assert wide.page.input_value("#phase") == result["phases"][-1] and wide.table()
    # A minimum intercept altitude above the interceptors' ceiling: the API refuses it (4xx, one line).
    wide.page.evaluate("""() => { const input = document.getElementById('altitude');
        input.max = '5000'; input.value = '5000'; input.dispatchEvent(new Event('change')); }""")
    wide.settle()
    line = wide.page.inner_text("#status")
    assert line.startswith("What-if not answered: min_intercept_altitude_km") and "\n" not in line.strip()
    assert [f.split()[0] for f in wide.failed] == ["422"] and "/api/whatif" in wide.failed[0]
    assert wide.refused == [] and wide.errors == []
