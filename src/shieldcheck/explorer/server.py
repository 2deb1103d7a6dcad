"""The explorer's web server: the front-end, the scenes, the verdicts and the what-if jobs, on FastAPI.

Every computation that runs the engine (a what-if, a battle space, flying a result's threats) goes
through one worker thread: the compiled kernels are parallel inside, and a second caller would only
queue behind the first. The event loop stays free, so the page, the scenes and the job states answer
while a what-if runs. Requests name results by id, never by path: no request reaches the file
system outside the package's ``static`` folder and the result folders given at start.

Hostile requests (``serve --host`` can expose the server) are answered in one short line and never
crash it: a body is read at most :data:`MAX_BODY_BYTES` (+ one chunk) whatever its transfer encoding
(a declared length over it, or a chunked body that grows past it: 413, and the connection closed);
an error reply never echoes the request (a refused field is named, its value cut by
``limits.shown``); NaN, the infinities and numbers beyond a float (``1e400``) are refused by the
what-if's bounds (:mod:`shieldcheck.limits`) like any other value outside them (422).
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
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from .. import limits
from .. import scene as scene_mod
from .. import verdicts as verdicts_mod
from ..errors import InputError
from . import results as results_mod
from . import whatif

STATIC = Path(str(resources.files(__package__) / "static"))
MAX_BODY_BYTES = 10_000  # a what-if request is a few hundred bytes
MAX_DETAIL_CHARS = 300  # an error reply's one line is cut to this
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
            raise HTTPException(404, f"no job {limits.shown(job)}")
        return {k: v for k, v in state.items() if k != "submitted"}


class BodyLimit:
    """ASGI middleware: the request body is read before the application sees it, at most ``max_bytes`` (and
    the chunk that crosses it), whatever the transfer encoding; a declared or read body over the limit is
    answered 413 in one line and the connection closed, so that the rest is never read."""

    def __init__(self, app, max_bytes: int = MAX_BODY_BYTES):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope.get("headers", [])).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            return await self.refuse(send)
        chunks, size, last = [], 0, None
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away: pass that on
                last = message
                break
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self.max_bytes:
                return await self.refuse(send)
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return last or {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        return await self.app(scope, replay, send)

    async def refuse(self, send):
        body = JSONResponse({"detail": f"request body over {self.max_bytes:,} bytes"}).body
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body, "more_body": False})


def refusal(errors: list[dict]) -> str:
    """One line for a request the schema refused: the first error's field and reason, never its input."""
    first = errors[0] if errors else {"loc": (), "msg": "invalid request", "type": ""}
    loc = [str(part) for part in first.get("loc", ()) if part not in ("body", "query", "path")]
    field = ".".join(cut(part, limits.SHOWN_CHARS) for part in loc) or "body"
    if first.get("type") == "value_error" and "error" in first.get("ctx", {}):
        line = str(first["ctx"]["error"])  # the package's own words (limits), the field and value in them
    elif first.get("type") == "json_invalid":
        line = f"body: not JSON ({cut(str(first.get('ctx', {}).get('error', 'decode error')), 80)})"
    else:
        line = f"{field}: {first.get('msg', 'invalid')}"
    return cut(" ".join(line.split()), MAX_DETAIL_CHARS)


def cut(text: str, chars: int) -> str:
    """``text``, or its start and its length when longer than ``chars``."""
    return text if len(text) <= chars else f"{text[:chars - 24]}... ({len(text):,} characters)"


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
    app.add_middleware(BodyLimit, max_bytes=MAX_BODY_BYTES)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError):
        return JSONResponse({"detail": refusal(error.errors())}, status_code=422)

    @app.exception_handler(InputError)
    async def input_error(request: Request, error: InputError):
        return JSONResponse({"detail": cut(str(error), MAX_DETAIL_CHARS * 4)}, status_code=400)

    def result(ident: str) -> results_mod.Loaded:
        if ident not in loaded:
            raise HTTPException(404, str(limits.not_allowed("result", ident, loaded)))
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
        return {"results": [item.describe() for item in loaded.values()], "verdicts": verdicts_mod.as_json(),
                "limits": whatif.limits_json()}

    @app.get("/api/limits")
    async def list_limits():
        """Every input bound (limits.BOUNDS), and those of the what-if's fields by field."""
        return {"bounds": limits.as_json(), "whatif": whatif.limits_json()}

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
            raise HTTPException(404, f"no evaluated pair of flight {flight_id} and site {limits.shown(site)} in "
                                     f"{limits.shown(phase)} ({limits.shown(basis)} cue)")
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
