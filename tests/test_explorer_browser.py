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
import math
import shutil
import socket
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import numpy as np
import pytest

playwright = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium executable on this machine")
STATIC = Path(__file__).parents[1] / "src" / "shieldcheck" / "explorer" / "static"
CHROMIUM_ARGS = ["--no-sandbox", "--headless=new", "--use-angle=swiftshader", "--enable-unsafe-swiftshader",
                 "--disable-background-networking", "--disable-component-update", "--no-first-run"]
WIDE = {"width": 1400, "height": 900}
PHONE = {"width": 390, "height": 844}
BACKGROUND_RGB = (0x0B, 0x13, 0x20)  # the page's scene.backgroundColor (#0b1320)


# ---- a stand-in for the explorer's server, used until shieldcheck.explorer.server exists ----
STAND_IN_SITES = [("Phase 1", "Deveselu", "SM-3 Block IB", 44.08, 24.40),
                  ("Phase 2", "Deveselu", "SM-3 Block IB", 44.08, 24.40),
                  ("Phase 2", "Redzikowo", "SM-3 Block IIA", 54.48, 17.10)]
STAND_IN_FLIGHTS = [(1, "Sejjil-2", "Tabriz", "London", 38.1, 46.3, 51.5, -0.1, 1500.0),
                    (2, "Yars", "Teykovo", "Washington", 56.9, 40.5, 38.9, -77.0, 1900.0),
                    (3, "Khorramshahr", "Tabriz", "Berlin", 38.1, 46.3, 52.5, 13.4, 1300.0)]


def _stand_in_rows(phase, basis, speed_km_s=None, delay_s=None, altitude_km=None, only_site=None):
    rows = []
    for _, site, interceptor, *_ in [s for s in STAND_IN_SITES if s[0] == phase]:
        if only_site and site != only_site:
            continue
        for fid, missile, launch, aim, *_rest in STAND_IN_FLIGHTS:
            speed = speed_km_s if speed_km_s is not None else (4.5 if "IIA" in interceptor else 3.5)
            margin = 100.0 * (speed - 4.0) - (delay_s if delay_s is not None else 60.0) + 20.0 * fid
            margin -= 30.0 if basis == "architecture" else 0.0
            if altitude_km is not None and altitude_km > 150:
                verdict = "out_of_altitude_band"
            else:
                verdict = "feasible" if margin >= 0 else "too_late"
            rows.append({"flight_id": fid, "missile": missile, "launch": launch, "aim": aim,
                         "trajectory": "minimum-energy", "purpose": "stated", "site": site,
                         "interceptor": interceptor, "verdict": verdict, "margin_s": margin,
                         "message": f"{interceptor} at {site}: margin {margin:.0f} s",
                         "window_earliest_s": 300.0 if verdict == "feasible" else None,
                         "window_latest_s": 600.0 if verdict == "feasible" else None,
                         "intercept_lat_deg": 50.0 if verdict == "feasible" else None,
                         "intercept_lon_deg": 20.0 if verdict == "feasible" else None,
                         "intercept_altitude_km": 200.0 if verdict == "feasible" else None,
                         "intercept_time_s": 400.0 if verdict == "feasible" else None})
    return rows


def _stand_in_czml(phase):
    packets = [{"id": "document", "version": "1.0", "clock": {
        "interval": "2000-01-01T00:00:00Z/2000-01-01T00:31:40Z", "currentTime": "2000-01-01T00:00:00Z", "multiplier": 30}}]
    for fid, _m, _l, _a, lat0, lon0, lat1, lon1, duration in STAND_IN_FLIGHTS:
        samples = []
        for k in range(21):
            f = k / 20
            samples += [duration * f, lon0 + f * (lon1 - lon0), lat0 + f * (lat1 - lat0), 1.2e6 * math.sin(math.pi * f)]
        packets.append({"id": f"flight-{fid}", "availability": "2000-01-01T00:00:00Z/2000-01-01T00:31:40Z",
                        "position": {"epoch": "2000-01-01T00:00:00Z", "cartographicDegrees": samples},
                        "path": {"material": {"solidColor": {"color": {"rgba": [150, 150, 150, 255]}}}, "width": 2,
                                 "leadTime": 0, "trailTime": 1e6},
                        "point": {"pixelSize": 6, "color": {"rgba": [150, 150, 150, 255]}}})
    for p, site, interceptor, lat, lon in STAND_IN_SITES:
        if p == phase:
            packets.append({"id": f"site-{site}", "name": f"{site} ({interceptor})",
                            "position": {"cartographicDegrees": [lon, lat, 0.0]},
                            "point": {"pixelSize": 9, "color": {"rgba": [60, 130, 255, 255]}}})
    return packets


class _StandIn(BaseHTTPRequestHandler):
    jobs: dict = {}

    def log_message(self, *args):
        pass

    def _send(self, status, body, kind="application/json"):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", kind)
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urlparse(self.path)
        q = {k: v[0] for k, v in parse_qs(url.query).items()}
        parts = [unquote(p) for p in url.path.strip("/").split("/")]
        if url.path == "/":
            return self._send(200, (STATIC / "index.html").read_bytes(), "text/html")
        if parts[0] == "static":
            path = (STATIC / "/".join(parts[1:])).resolve()
            if STATIC.resolve() not in path.parents or not path.is_file():
                return self._send(404, {"detail": "not found"})
            kinds = {".js": "text/javascript", ".css": "text/css", ".json": "application/json",
                     ".png": "image/png", ".jpg": "image/jpeg", ".xml": "application/xml", ".svg": "image/svg+xml"}
            return self._send(200, path.read_bytes(), kinds.get(path.suffix, "application/octet-stream"))
        if parts == ["api", "results"]:
            return self._send(200, {"results": [{
                "id": "small", "scenario": "small", "title": "Stand-in", "phases": ["Phase 1", "Phase 2"],
                "cue_bases": ["architecture", "bounding"],
                "sites": [{"phase": p, "site": s, "interceptor": i} for p, s, i, *_ in STAND_IN_SITES],
                "interceptors": [{"name": "SM-3 Block IB", "burnout_speed_km_s": 3.5, "low": 3.0, "high": 4.0},
                                 {"name": "SM-3 Block IIA", "burnout_speed_km_s": 4.5, "low": 4.0, "high": 5.5}],
                "launch_delay_s": 60.0, "min_intercept_altitude_km": {"SM-3 Block IB": 70.0, "SM-3 Block IIA": 70.0}}]})
        if parts[:2] == ["api", "results"] and len(parts) == 4:
            if parts[2] != "small" or q.get("phase") not in ("Phase 1", "Phase 2"):
                return self._send(404, {"detail": f"phase {q.get('phase')!r} is not in this assessment"})
            if parts[3] == "verdicts":
                return self._send(200, {"rows": _stand_in_rows(q["phase"], q["basis"]), "assumptions": ["stand-in"]})
            if parts[3] == "scene.czml":
                return self._send(200, _stand_in_czml(q["phase"]))
            return self._send(404, {"detail": "no battle-space figure"})
        if parts[:2] == ["api", "jobs"] and parts[2] in self.jobs:
            return self._send(200, self.jobs[parts[2]])
        return self._send(404, {"detail": "not found"})

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["content-length"])))
        rows = _stand_in_rows(body["phase"], body["basis"], body["burnout_speed_km_s"], body["launch_delay_s"],
                              body["min_intercept_altitude_km"], body["site"])
        job = str(len(self.jobs))
        self.jobs[job] = {"state": "done", "done": 1, "total": 1, "what": "engagements", "error": None,
                          "result": {"rows": rows, "applied": {k: v for k, v in body.items() if k.endswith(("_s", "_km"))},
                                     "elapsed_s": 0.01}}
        return self._send(200, {"job": job})


@pytest.fixture(scope="module")
def base_url():
    if not (STATIC / "index.html").exists():
        pytest.skip("the explorer's front-end is not built (python tools/build_explorer.py)")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _StandIn)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


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
        self.page.on("console", lambda m: m.type == "error" and "battlespace.png" not in m.text
                     and "404" not in m.text and self.errors.append(m.text))

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
    """The share of the globe canvas's pixels that differ from the background, and how many distinct colours."""
    from PIL import Image

    image = Image.open(io.BytesIO(page.locator(".cesium-widget canvas").screenshot(path=path))).convert("RGB")
    pixels = np.asarray(image, dtype=np.int16).reshape(-1, 3)
    drawn = pixels[np.abs(pixels - np.array(BACKGROUND_RGB)).max(axis=1) > 24]
    return len(drawn) / len(pixels), len(np.unique(drawn // 8, axis=0))


def test_the_globe_draws_offline_on_a_meaningful_view(wide, base_url, tmp_path):
    t0 = time.monotonic()
    wide.open(f"{base_url}/")
    print("ready", time.monotonic() - t0)
    # The globe is drawn (not a blank canvas) with Natural Earth imagery: tiles load asynchronously, so poll
    # the pixels; a globe with no imagery is one flat blue, hence the count of distinct colours.
    deadline = time.monotonic() + 20
    while True:
        share, colours = globe_pixels(wide.page, tmp_path / "globe.png")
        if (share > 0.25 and colours > 200) or time.monotonic() > deadline:
            break
        wide.page.wait_for_timeout(500)
    print("drawn", time.monotonic() - t0)
    wide.page.screenshot(path=tmp_path / "explorer.png")
    assert share > 0.25, f"only {share:.0%} of the canvas is drawn"
    assert colours > 200, f"{colours} distinct colours: the imagery did not load"
    wide.clean()


def test_the_table_lists_the_chosen_phase_as_the_api_gives_it(wide, base_url):
    wide.open(f"{base_url}/")
    results = get_json(f"{base_url}/api/results")["results"][0]
    assert wide.page.input_value("#phase") == results["phases"][-1]  # opens on the latest phase
    phase = results["phases"][0]
    wide.page.select_option("#phase", phase)
    wide.settle()
    basis = wide.page.input_value("#basis")
    api = get_json(f"{base_url}/api/results/{results['id']}/verdicts?phase={phase.replace(' ', '%20')}&basis={basis}")
    assert sorted(wide.table()) == as_table(api["rows"])
    assert f"phase={phase.replace(' ', '+')}" in wide.page.url
    wide.clean()


def test_a_slider_updates_the_verdicts_as_the_api_answers(wide, base_url, tmp_path):
    results = get_json(f"{base_url}/api/results")["results"][0]
    wide.open(f"{base_url}/")
    site = [s for s in results["sites"] if s["phase"] == results["phases"][-1]][-1]
    wide.page.select_option("#site", site["site"])
    wide.settle()
    before = wide.table()
    interceptor = next(i for i in results["interceptors"] if i["name"] == site["interceptor"])
    wide.set_slider("#speed", interceptor["high"])
    after = wide.table()
    body = {"result": results["id"], "phase": results["phases"][-1], "basis": wide.page.input_value("#basis"),
            "site": site["site"], "flight_id": None, "burnout_speed_km_s": interceptor["high"],
            "launch_delay_s": None, "min_intercept_altitude_km": None}
    expected = whatif_rows(base_url, body)
    assert sorted(after) == as_table(expected)
    assert sorted(after) != sorted(before)  # the top of the speed range changes some margin or verdict
    wide.page.screenshot(path=tmp_path / "whatif.png")
    # The URL carries the state: a fresh page on it shows the same table.
    url = wide.page.url
    assert f"speed={interceptor['high']:g}" in url
    wide.clean()
    wide.page.close()  # one WebGL page at a time: SwiftShader on two busy cores
    again = Watch(wide.page.context, base_url)
    again.open(url)
    assert sorted(again.table()) == sorted(after)
    assert again.page.input_value("#site") == site["site"]
    again.clean()


def test_a_row_flies_to_its_engagement_and_explains_it(wide, base_url):
    wide.open(f"{base_url}/")
    row = wide.page.locator("#verdicts tbody tr").first
    flight, site = row.get_attribute("data-flight"), row.get_attribute("data-site")
    row.click()
    wide.page.wait_for_function("!document.getElementById('selected').hidden")
    assert row.get_attribute("title").endswith(": " + wide.page.inner_text("#selected-message"))
    assert f"flight={flight}" in wide.page.url and f"at={site.replace(' ', '+')}" in wide.page.url
    wide.clean()


def test_the_key_columns_fit_a_phone(browser, base_url, tmp_path):
    context = browser.new_context(viewport=PHONE)
    phone = Watch(context, base_url)
    phone.open(f"{base_url}/")
    phone.page.screenshot(path=tmp_path / "phone.png", full_page=True)
    for key in ("missile", "aim", "site", "verdict", "margin_s"):
        box = phone.page.locator(f"#verdicts th[data-key={key}]").bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (key, box)
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.clean()
    context.close()
