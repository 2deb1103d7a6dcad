"""The explorer's server: its API answers from the same engine as ``assess``, refuses bad requests in
one clear 4xx line, never reaches files outside its assets and result folders, and stays responsive
under 50 concurrent what-ifs.

References: the assessment's own results table (a what-if that changes nothing must give its rows
verdict for verdict and margin for margin, to 1e-6 s); the physics of the delay (a later interceptor
launch can only lose intercepts: the count of feasible rows is monotonic in the launch delay).
"""

import json
import socket
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient  # needs httpx2, a test requirement: missing, the module fails

from shieldcheck import verdicts
from shieldcheck.explorer.server import create_app


@pytest.fixture(scope="module")
def client(small_result):
    _, _, folder = small_result
    with TestClient(create_app([folder])) as c:
        yield c


def wait(client, job: str, limit_s: float = 120.0) -> dict:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        state = client.get(f"/api/jobs/{job}").json()
        if state["state"] != "running":
            return state
        time.sleep(0.05)
    raise AssertionError(f"job {job} still running after {limit_s} s")


def test_results_and_verdicts_are_the_assessment(client, small_result):
    _, assessed, folder = small_result
    answer = client.get("/api/results").json()
    listed = answer["results"]
    assert [v["name"] for v in answer["verdicts"]] == list(verdicts.ORDER)  # the page's one verdict table
    assert [r["id"] for r in listed] == [folder.name] and listed[0]["phases"] == ["First", "Second"]
    rows = client.get(f"/api/results/{folder.name}/verdicts", params={"phase": "Second", "basis": "bounding"}).json()["rows"]
    expected = [r for r in assessed.results.to_pylist() if r["phase"] == "Second" and r["cue_basis"] == "bounding"]
    assert [(r["flight_id"], r["site"], r["verdict"], r["margin_s"]) for r in rows] == \
        [(r["flight_id"], r["site"], r["verdict"], r["margin_s"]) for r in expected]


def test_whatif_with_nothing_changed_gives_the_assessed_rows(client, small_result):
    _, assessed, folder = small_result
    job = client.post("/api/whatif", json={"result": folder.name, "phase": "Second", "basis": "bounding"}).json()["job"]
    state = wait(client, job)
    assert state["state"] == "done", state
    got = {(r["flight_id"], r["site"]): r for r in state["result"]["rows"]}
    expected = [r for r in assessed.results.to_pylist() if r["phase"] == "Second" and r["cue_basis"] == "bounding"]
    assert len(got) == len(expected)
    for r in expected:
        mine = got[(r["flight_id"], r["site"])]
        assert mine["verdict"] == r["verdict"] and mine["message"] == r["message"]
        assert (mine["margin_s"] is None) == (r["margin_s"] is None)
        if r["margin_s"] is not None:
            assert mine["margin_s"] == pytest.approx(r["margin_s"], abs=1e-6)


def test_one_engagement_answers_within_a_second_and_delay_only_loses_intercepts(client, small_result):
    _, assessed, folder = small_result
    base = {"result": folder.name, "phase": "First", "basis": "architecture", "flight_id": 0}
    wait(client, client.post("/api/whatif", json=base).json()["job"])  # warm-up
    feasible = []
    for delay_s in (0.0, 60.0, 600.0):
        state = wait(client, client.post("/api/whatif", json={**base, "launch_delay_s": delay_s}).json()["job"])
        result = state["result"]
        assert result["elapsed_s"] < 1.0, result["elapsed_s"]
        assert result["applied"]["launch_delay_s"] == delay_s
        feasible.append(sum(r["verdict"] == "feasible" for r in result["rows"]))
    assert feasible[0] >= feasible[1] >= feasible[2] and feasible[0] > feasible[2]
    high = wait(client, client.post("/api/whatif", json={**base, "min_intercept_altitude_km": 550.0}).json()["job"])
    assert high["state"] == "done", high
    assert all(r["verdict"] != "feasible" for r in high["result"]["rows"])


def test_a_missile_scale_re_aims_its_flights(client, small_result):
    """A missile's scale (every stage's Isp times the factor) re-aims and re-flies its threat flights in the aiming
    kernel: at 1.0 the assessed rows come back (verdicts, margins to 1e-6 s); at 0.97 that missile's flights
    change (another margin somewhere), the others do not."""
    _, assessed, folder = small_result
    expected = [r for r in assessed.rows() if r["phase"] == "First" and r["cue_basis"] == "architecture"]
    missile = expected[0]["missile"]
    base = {"result": folder.name, "phase": "First", "basis": "architecture", "missile": missile}
    same = wait(client, client.post("/api/whatif", json={**base, "missile_scale": 1.0}).json()["job"], 300.0)
    assert same["state"] == "done", same
    assert same["result"]["applied"]["missile"] == missile and same["result"]["applied"]["missile_scale"] == 1.0
    margins = {(r["flight_id"], r["site"]): r["margin_s"] for r in same["result"]["rows"]}
    for r in expected:
        if r["margin_s"] is not None:
            assert margins[(r["flight_id"], r["site"])] == pytest.approx(r["margin_s"], abs=1e-6)
    weaker = wait(client, client.post("/api/whatif", json={**base, "missile_scale": 0.97}).json()["job"], 300.0)
    assert weaker["state"] == "done", weaker
    changed = {(r["flight_id"], r["site"]) for r in weaker["result"]["rows"]
               if r["margin_s"] is not None and margins.get((r["flight_id"], r["site"])) is not None
               and abs(r["margin_s"] - margins[(r["flight_id"], r["site"])]) > 1e-6}
    by_missile = {r["flight_id"]: r["missile"] for r in expected}
    assert changed and all(by_missile[f] == missile for f, _ in changed)


@pytest.mark.parametrize("body, status, words", [
    ({"result": "small", "phase": "First", "launch_delay_s": -5}, 422, "launch_delay_s = -5.0 is outside 0 to 3,600 s"),
    ({"result": "small", "phase": "First", "sneaky": 1}, 422, "sneaky: Extra inputs are not permitted"),
    ({"result": "small", "phase": "First", "burnout_speed_km_s": "fast"}, 422, "burnout_speed_km_s: Input should be a "
                                                                                "valid number"),
    ({"result": "small", "phase": "First", "burnout_speed_km_s": 13}, 422, "burnout_speed_km_s = 13.0 is outside 0.5 "
                                                                          "to 12 km/s"),
    ({"result": "small", "phase": "First", "basis": "bound"}, 422, "basis: 'bound' is not an allowed choice; allowed: "
                                                                   "architecture, bounding"),
    ({"result": "nowhere", "phase": "First"}, 404, "result: 'nowhere' is not an allowed choice"),
    ({"result": "RESULT", "phase": "Third"}, 400, "'Third' is not an allowed choice; allowed: First, Second"),
    ({"result": "RESULT", "phase": "First", "site": "Atlantis"}, 400, "site of First: 'Atlantis' is not an allowed choice"),
    ({"result": "RESULT", "phase": "First", "min_intercept_altitude_km": 1_900}, 400, "is not below the maximum"),
    ({"result": "RESULT", "phase": "First", "missile_scale": 0.9}, 400, "missile and missile_scale go together"),
    ({"result": "RESULT", "phase": "First", "missile": "Avangard", "missile_scale": 0.9}, 400,
     "missile of this assessment's threat flights: 'Avangard' is not an allowed choice"),
    ({"result": "RESULT", "phase": "First", "missile": "Yars", "missile_scale": 2.0}, 422, "missile_scale = 2.0 is "
                                                                                          "outside 0.5 to 1.5"),
])
def test_bad_requests_get_one_clear_4xx(client, small_result, body, status, words):
    body = {k: (small_result[2].name if v == "RESULT" else v) for k, v in body.items()}
    response = client.post("/api/whatif", json=body)
    assert response.status_code == status, response.text
    detail = response.json()["detail"]
    assert isinstance(detail, str) and "\n" not in detail and words in detail, detail


def test_the_page_gets_the_bounds_from_the_server(client):
    """The what-if's bounds come with /api/results (and the whole table at /api/limits): the same table as
    the command line's and the sweep's (shieldcheck.limits), which the page's sliders span."""
    from shieldcheck import limits

    served = client.get("/api/results").json()["limits"]
    assert served["burnout_speed_km_s"] == limits.bound("burnout_speed_km_s").as_json()
    assert served["missile_scale"] == limits.bound("scale").as_json()
    assert set(served) == {"burnout_speed_km_s", "launch_delay_s", "min_intercept_altitude_km", "missile_scale"}
    table = client.get("/api/limits").json()
    assert table["bounds"] == limits.as_json() and table["whatif"] == served


def test_a_whatif_expected_to_run_too_long_is_refused(client, small_result, monkeypatch):
    from shieldcheck.explorer import whatif

    monkeypatch.setattr(whatif, "MAX_COST_S", 10.0)  # a new speed costs REBUILD_S (30 s) per interceptor
    response = client.post("/api/whatif", json={"result": small_result[2].name, "phase": "Second",
                                                "burnout_speed_km_s": 5.0})
    assert response.status_code == 422 and "would take about" in response.json()["detail"]


def test_a_large_body_is_refused(client):
    response = client.post("/api/whatif", content=b"{" + b" " * 20_000 + b"}", headers={"content-type": "application/json"})
    assert response.status_code == 413


@pytest.mark.parametrize("path", ["/static/../../pyproject.toml", "/static/%2e%2e/%2e%2e/pyproject.toml",
                                  "/static/..%2f..%2fpyproject.toml", "/api/results/..%2f..%2fetc/verdicts?phase=x",
                                  "/api/results/%2e%2e/scene.czml?phase=First", "/../../etc/passwd"])
def test_no_path_reaches_outside_the_assets_and_results(client, path):
    response = client.get(path)
    assert response.status_code in (400, 404, 422), (path, response.status_code)
    assert "[tool.setuptools" not in response.text and "root:" not in response.text


def test_the_page_is_never_blank(client):
    response = client.get("/")
    assert response.status_code == 200 and "shieldcheck explorer" in response.text


def test_fifty_concurrent_whatifs_all_answered_and_the_server_responsive(small_result):
    """A real uvicorn server on 127.0.0.1: 50 what-ifs at once (one engagement each, five launch delays),
    every answer equal to the same request's sequential answer, and /api/results answering in under a
    second while they run."""
    import uvicorn

    _, _, folder = small_result
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app([folder]), host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            if server.started:
                break
            time.sleep(0.05)

        def call(method, path, body=None):
            data = json.dumps(body).encode() if body is not None else None
            request = urllib.request.Request(base + path, data=data, method=method,
                                             headers={"content-type": "application/json"})
            with urllib.request.urlopen(request, timeout=60) as response:
                return json.loads(response.read())

        def ask(delay_s):
            body = {"result": folder.name, "phase": "First", "basis": "architecture", "flight_id": 0,
                    "launch_delay_s": delay_s}
            job = call("POST", "/api/whatif", body)["job"]
            for _ in range(2400):
                state = call("GET", f"/api/jobs/{job}")
                if state["state"] != "running":
                    return delay_s, state
                time.sleep(0.05)
            raise AssertionError("no answer")

        delays = [float(10 * (k % 5)) for k in range(50)]
        sequential = {d: ask(d)[1]["result"]["rows"] for d in sorted(set(delays))}
        with ThreadPoolExecutor(max_workers=50) as pool:
            futures = [pool.submit(ask, d) for d in delays]
            t = time.perf_counter()
            call("GET", "/api/results")
            responsive_s = time.perf_counter() - t
            answers = [f.result() for f in futures]
        assert responsive_s < 1.0, responsive_s
        assert len(answers) == 50
        for delay_s, state in answers:
            assert state["state"] == "done", state
            assert state["result"]["rows"] == sequential[delay_s]
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.mark.parametrize("args, words", [
    (["serve", "/nonexistent/folder"], "result folder '/nonexistent/folder' does not exist"),
    (["serve", "--port", "70000", "/tmp"], "--port 70000: give a TCP port from 1 to 65535"),
])
def test_serve_bad_input_is_one_line_and_exit_status_2(capsys, args, words):
    from cli_helpers import run

    code, out, err = run(args, capsys)
    assert code == 2 and words in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_serve_refuses_a_folder_that_is_not_an_assessment(capsys, tmp_path):
    from cli_helpers import run

    (tmp_path / "results.parquet").write_text("")
    code, _, err = run(["serve", str(tmp_path)], capsys)
    assert code == 2 and "lacks flights.parquet, tracks.parquet, scenario.json" in err


@pytest.mark.slow
def test_the_report_links_to_the_explorer_and_the_scene_files(small_result, tmp_path):
    from shieldcheck.report.html import write_report

    _, assessed, _ = small_result
    page = write_report(assessed, tmp_path / "small-report").read_text()
    assert "shieldcheck serve small-report" in page
    assert 'href="http://127.0.0.1:8765/#result=small-report&amp;phase=Second&amp;basis=bounding"' in page
    assert 'href="scene.czml"' in page and 'href="scene.kml"' in page


@pytest.mark.slow
def test_serve_without_a_folder_assesses_the_default_once_and_serves_it(capsys, monkeypatch, small_assessed):
    """``serve`` with no folder assesses its default scenario into the cache on first use, then serves that
    folder; a second start finds it and assesses nothing (the small scenario stands in for epaa)."""
    import uvicorn
    from cli_helpers import run

    from shieldcheck import api
    from shieldcheck.cli import data

    _, _, folder = small_assessed
    monkeypatch.setattr(data, "SERVE_DEFAULT", str(folder / "small.toml"))
    served = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: served.append((app, options)))
    code, out, err = run(["serve", "--port", "8999"], capsys)
    assert code == 0, err
    assert "Assessing small for the explorer (first use" in out and "http://127.0.0.1:8999/" in out
    app, options = served[-1]
    assert options["host"] == "127.0.0.1" and options["port"] == 8999
    assert [item.describe()["phases"] for item in app.state.results.values()] == [["First", "Second"]]
    monkeypatch.setattr(api, "assess", lambda *a, **k: (_ for _ in ()).throw(AssertionError("assessed again")))
    code, out, err = run(["serve", "--port", "8999", "--host", "0.0.0.0"], capsys)
    assert code == 0 and "Assessing" not in out and "Warning: listening on 0.0.0.0" in err
