"""The explorer's web server: the front-end, the scenes, the verdicts and the what-if jobs, on FastAPI.

Every computation that runs the engine (a what-if, a battle space, flying a result's threats) goes
through one worker thread: the compiled kernels are parallel inside, and a second caller would only
queue behind the first. The event loop stays free, so the page, the scenes and the job states answer
while a what-if runs. Requests name results by id, never by path: no request reaches the file
system outside the package's ``static`` folder and the result folders given at start.
"""

from __future__ import annotations

import concurrent.futures
import itertools
import tempfile
import threading
import time
from importlib import resources
from pathlib import Path

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from .. import scene as scene_mod
from .. import verdicts as verdicts_mod
from ..errors import InputError
from . import results as results_mod
from . import whatif

STATIC = Path(str(resources.files(__package__) / "static"))
MAX_BODY_BYTES = 10_000  # a what-if request is a few hundred bytes
MAX_QUEUED = 64  # jobs waiting or running; more are refused (429) until some finish
KEPT_JOBS = 512  # finished jobs kept for their callers to read
NOT_BUILT = ("<!doctype html><meta charset=utf-8><title>shieldcheck explorer</title><h1>shieldcheck explorer</h1>"
             "<p>The front-end is not in this installation (src/shieldcheck/explorer/static). Rebuild it with "
             "<code>python tools/build_explorer.py</code>; the API answers at <a href=/api/results>/api/results</a>.</p>")


class Jobs:
    """What-if jobs, run one at a time on the engine's worker thread; their state kept for polling."""

    def __init__(self, engine: concurrent.futures.ThreadPoolExecutor):
        self.engine = engine
        self.states: dict[str, dict] = {}
        self.lock = threading.Lock()
        self.ids = itertools.count(1)

    def submit(self, work) -> str:
        with self.lock:
            pending = sum(1 for s in self.states.values() if s["state"] == "running")
            if pending >= MAX_QUEUED:
                raise HTTPException(429, f"{pending} what-ifs are waiting; try again when some have finished")
            job = f"job-{next(self.ids)}"
            self.states[job] = {"state": "running", "done": 0, "total": 1, "what": "queued", "result": None,
                                "error": None, "submitted": time.time()}
            finished = [k for k, s in self.states.items() if s["state"] != "running"]
            for old in finished[:-KEPT_JOBS]:
                del self.states[old]

        def progress(done, total, what):
            self.states[job].update(done=done, total=total, what=what)

        def run():
            try:
                self.states[job].update(result=work(progress), state="done")
            except InputError as error:
                self.states[job].update(error=str(error), state="failed")
            except Exception as error:  # an engine failure is reported in the job, never as a dead server
                self.states[job].update(error=f"{type(error).__name__}: {error}", state="failed")

        self.engine.submit(run)
        return job

    def get(self, job: str) -> dict:
        state = self.states.get(job)
        if state is None:
            raise HTTPException(404, f"no job {job!r}")
        return {k: v for k, v in state.items() if k != "submitted"}


def _unique_ids(loaded: list[results_mod.Loaded]) -> dict[str, results_mod.Loaded]:
    out: dict[str, results_mod.Loaded] = {}
    for item in loaded:
        ident, k = item.id, 2
        while ident in out:
            ident, k = f"{item.id}-{k}", k + 1
        item.id = ident
        out[ident] = item
    return out


def create_app(result_dirs: list[Path], cache_dir: Path | None = None) -> FastAPI:
    """The explorer's application over the assessment folders ``result_dirs`` (each written by
    ``shieldcheck assess --out``; an InputError names a folder that is not one). ``cache_dir`` is
    unused by the server itself: the CLI assesses the default scenario into it before starting."""
    if not result_dirs:
        raise InputError("give at least one result folder (shieldcheck assess SCENARIO --out FOLDER)")
    loaded = _unique_ids([results_mod.load(Path(d)) for d in result_dirs])
    engine = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="shieldcheck-engine")
    jobs = Jobs(engine)
    for item in loaded.values():  # fly each result's threats now, so that the first what-if need not wait for it
        engine.submit(item.threats)
    app = FastAPI(title="shieldcheck explorer", docs_url=None, redoc_url=None)
    app.state.results, app.state.jobs, app.state.engine = loaded, jobs, engine

    @app.middleware("http")
    async def limit_body(request: Request, call_next):
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
            return JSONResponse({"detail": f"request body over {MAX_BODY_BYTES:,} bytes"}, status_code=413)
        return await call_next(request)

    @app.exception_handler(InputError)
    async def input_error(request: Request, error: InputError):
        return JSONResponse({"detail": str(error)}, status_code=400)

    def result(ident: str) -> results_mod.Loaded:
        if ident not in loaded:
            raise HTTPException(404, f"no result {ident!r}; known: {', '.join(loaded)}")
        return loaded[ident]

    async def on_engine(function, *args):
        """Run ``function(*args)`` on the engine's thread, without blocking the event loop."""
        future = engine.submit(function, *args)
        return await run_in_threadpool(future.result)

    @app.get("/", response_class=HTMLResponse)
    async def index():
        page = STATIC / "index.html"
        return HTMLResponse(page.read_text() if page.exists() else NOT_BUILT)

    @app.get("/api/results")
    async def list_results():
        return {"results": [item.describe() for item in loaded.values()], "verdicts": verdicts_mod.as_json()}

    @app.get("/api/results/{ident}/verdicts")
    async def verdicts(ident: str, phase: str = Query(..., max_length=200), basis: str = Query("bounding", max_length=40)):
        item = result(ident)
        rows = item.scene.rows(phase, basis)
        return {"rows": [whatif.row(r) for r in rows], "assumptions": _assumptions(item, rows)}

    @app.get("/api/results/{ident}/scene.czml")
    async def scene_czml(ident: str, phase: str = Query(..., max_length=200), basis: str = Query("bounding", max_length=40)):
        item = result(ident)
        text = await run_in_threadpool(scene_mod.czml, item.scene, phase, basis)
        return Response(text, media_type="application/json")

    @app.get("/api/results/{ident}/battlespace.png")
    async def battlespace(ident: str, phase: str = Query(..., max_length=200), site: str = Query(..., max_length=200),
                          flight_id: int = Query(..., ge=0), basis: str = Query("bounding", max_length=40)):
        item = result(ident)
        rows = [r for r in item.scene.rows(phase, basis) if r["site"] == site and r["flight_id"] == flight_id]
        if not rows:
            raise HTTPException(404, f"no evaluated pair of flight {flight_id} and site {site!r} in {phase} ({basis} cue)")
        png = await on_engine(_battlespace_png, item, rows[0])
        if png is None:
            raise HTTPException(404, "no battle space for this pair (its flight was not flown)")
        return Response(png, media_type="image/png")

    @app.post("/api/whatif")
    async def post_whatif(request: whatif.WhatIf):
        item = result(request.result)
        cost_s = whatif.estimate_s(item, request)
        if cost_s > whatif.MAX_COST_S:
            raise HTTPException(422, f"this what-if would take about {cost_s:.0f} s on 2 cores (limit "
                                     f"{whatif.MAX_COST_S:.0f} s): ask for one site or one flight")
        return {"job": jobs.submit(lambda progress: whatif.evaluate(item, request, progress)),
                "estimate_s": round(cost_s, 1)}

    @app.get("/api/jobs/{job}")
    async def get_job(job: str):
        return jobs.get(job)

    if STATIC.is_dir():
        app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


def _assumptions(item: results_mod.Loaded, rows: list[dict]) -> list[str]:
    """The stated assumptions of a phase's rows, one line each (the same words as the report's)."""
    import json

    seen = {}
    for r in rows:
        for key, value in json.loads(r["assumptions"]).items():
            seen.setdefault(key, set()).add(json.dumps(value, sort_keys=True))
    lines = [f"{key}: {' | '.join(sorted(values))}" for key, values in sorted(seen.items())]
    return [f"scenario {item.scenario.name}: {item.scenario.title}", *lines,
            f"times are seconds after the threat's launch; every threat launched at the notional epoch "
            f"{scene_mod.EPOCH.isoformat()}"]


def _battlespace_png(item: results_mod.Loaded, row: dict) -> bytes | None:
    """The battle-space figure of one results row, drawn as the report draws it."""
    from ..report.battlespace import figure_of_row

    with tempfile.TemporaryDirectory() as folder:
        drawn = figure_of_row(item.scenario, item.threats(), row, Path(folder) / "battlespace.png")
        return None if drawn is None else drawn[0].read_bytes()
