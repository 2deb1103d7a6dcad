"""The explorer's server under hostile requests (``serve --host`` can expose it), driven against a real uvicorn
on 127.0.0.1: a chunked body with no Content-Length cannot pass the size limit (read at most the limit, then
413 and the connection closed); an error reply never echoes the request (a 20 MB body, a 9 KB field or key:
a short one-line detail naming the field); NaN, Infinity, -Infinity and 1e400 in any what-if field are a
422 in one line, never a 500; and the server answers throughout.

References: the limit itself (``server.MAX_BODY_BYTES``: the body middleware is also driven directly and
must pull no more than the limit and the chunk that crosses it); the what-if's bounds
(``shieldcheck.limits``: the refusal of a non-finite number is the bound's own line).
"""

from __future__ import annotations

import asyncio
import json
import select
import socket
import threading
import time
import urllib.error
import urllib.request

import pytest

from shieldcheck.explorer import server as server_mod
from shieldcheck.explorer.server import MAX_BODY_BYTES, BodyLimit, create_app

SHORT = 400  # bytes: the longest error reply a refused request may get here
WHATIF_FIELDS = ("result", "phase", "basis", "site", "flight_id", "burnout_speed_km_s", "launch_delay_s",
                 "min_intercept_altitude_km", "missile", "missile_scale")


@pytest.fixture(scope="module")
def served(small_result):
    """A real uvicorn server over the small assessment on a free port of 127.0.0.1: (host, port, result id)."""
    import uvicorn

    _, _, folder = small_result
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app([folder]), host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(400):
        if server.started:
            break
        time.sleep(0.05)
    assert server.started, "the server did not start"
    yield "127.0.0.1", port, folder.name
    server.should_exit = True
    thread.join(timeout=10)


def post(served, body: bytes, headers: dict | None = None) -> tuple[int, bytes]:
    host, port, _ = served
    request = urllib.request.Request(f"http://{host}:{port}/api/whatif", data=body, method="POST",
                                     headers={"content-type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def one_line(reply: bytes) -> str:
    """The reply's detail: a JSON object with one short line, the whole reply short."""
    assert len(reply) <= SHORT, reply[:200]
    detail = json.loads(reply)["detail"]
    assert isinstance(detail, str) and detail and "\n" not in detail, detail
    return detail


def still_answers(served) -> None:
    host, port, _ = served
    with urllib.request.urlopen(f"http://{host}:{port}/api/results", timeout=30) as response:
        assert response.status == 200 and json.loads(response.read())["results"]


class Answered(Exception):
    """The server answered (or closed the connection) while the body was being sent."""


def raw_exchange(served, head: bytes, chunks, limit_bytes: int) -> tuple[bytes, int]:
    """Send ``head`` then ``chunks`` (each framed by the caller) on a raw socket, reading all the while; stop
    sending once the server answers or ``limit_bytes`` went out. Returns (the reply, bytes of body sent)."""
    host, port, _ = served
    sock = socket.create_connection((host, port), timeout=30)
    sock.setblocking(False)
    reply, sent, pending = b"", 0, head
    deadline = time.monotonic() + 120
    try:
        for chunk in chunks:
            pending += chunk
            while pending:
                readable, writable, _ = select.select([sock], [sock], [], 1.0)
                if readable:
                    try:
                        data = sock.recv(65536)
                    except ConnectionResetError:
                        data = b""
                    reply += data
                    if not data or b"\r\n\r\n" in reply:
                        raise Answered
                if writable:
                    try:
                        n = sock.send(pending)
                    except (BrokenPipeError, ConnectionResetError):
                        raise Answered from None
                    sent += n
                    pending = pending[n:]
                assert time.monotonic() < deadline, "no answer"
            if sent >= limit_bytes:
                break
    except Answered:
        pass
    sock.setblocking(True)
    sock.settimeout(30)
    try:
        while True:
            data = sock.recv(65536)
            if not data:
                break
            reply += data
    except (ConnectionResetError, TimeoutError, OSError):
        pass
    sock.close()
    return reply, sent


def chunked(total_bytes: int, size: int = 65536):
    piece = b"x" * size
    for _ in range(total_bytes // size):
        yield b"%x\r\n" % size + piece + b"\r\n"
    yield b"0\r\n\r\n"


def status_and_body(reply: bytes) -> tuple[int, bytes]:
    head, _, body = reply.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 "), reply[:200]
    return int(head.split()[1]), body


# ---- the size limit holds for every transfer encoding ----

def test_a_chunked_body_with_no_length_is_refused_at_the_limit(served):
    """200 MB offered in chunks with no Content-Length: a 413 in one line long before the body is sent; the
    connection is closed, and the server answers on."""
    _, port, _ = served
    head = (f"POST /api/whatif HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
            "Transfer-Encoding: chunked\r\n\r\n").encode()
    reply, sent = raw_exchange(served, head, chunked(200 * 2**20), 200 * 2**20)
    status, body = status_and_body(reply)
    assert status == 413, reply[:300]
    assert one_line(body) == f"request body over {MAX_BODY_BYTES:,} bytes"
    assert b"connection: close" in reply.lower()
    assert sent < 50 * 2**20, sent  # the server stopped reading: the rest never went out (socket buffers aside)
    still_answers(served)


def test_a_declared_length_over_the_limit_is_refused_before_reading(served):
    _, port, _ = served
    head = (f"POST /api/whatif HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {200 * 2**20}\r\n\r\n").encode()
    reply, sent = raw_exchange(served, head, (b"x" * 65536 for _ in range(3200)), 200 * 2**20)
    status, body = status_and_body(reply)
    assert status == 413 and sent < 50 * 2**20, (reply[:300], sent)
    one_line(body)
    still_answers(served)


def test_the_middleware_pulls_no_more_than_the_limit():
    """BodyLimit driven directly with an endless chunked body of 1 KB chunks: it pulls the limit and the chunk
    that crosses it, never calls the application, and answers 413 with the connection closed."""
    pulled, sent, called = [], [], []

    async def receive():
        pulled.append(1)
        return {"type": "http.request", "body": b"x" * 1024, "more_body": True}

    async def send(message):
        sent.append(message)

    async def app(scope, receive_, send_):
        called.append(1)

    scope = {"type": "http", "method": "POST", "path": "/api/whatif",
             "headers": [(b"transfer-encoding", b"chunked")]}
    asyncio.run(BodyLimit(app, MAX_BODY_BYTES)(scope, receive, send))
    assert len(pulled) == MAX_BODY_BYTES // 1024 + 1 and not called
    assert sent[0]["status"] == 413 and (b"connection", b"close") in sent[0]["headers"]

    async def small():  # a body within the limit reaches the application whole, in one message
        return {"type": "http.request", "body": b"{}", "more_body": False}

    seen = []

    async def reader(scope, receive_, send_):
        seen.append(await receive_())

    asyncio.run(BodyLimit(reader, MAX_BODY_BYTES)(scope, small, send))
    assert seen == [{"type": "http.request", "body": b"{}", "more_body": False}]


# ---- error replies never echo the request ----

@pytest.mark.parametrize("chunk", [False, True], ids=["content-length", "chunked"])
def test_a_20_mb_body_gets_a_short_reply(served, chunk):
    """20 MB of JSON, sent with its length or in chunks: a 413 of a few bytes in one line (never the body
    echoed in a validation error)."""
    _, port, _ = served
    big = json.dumps({"result": "x", "phase": "y" * (20 * 2**20)}).encode()
    pieces = [big[k:k + 65536] for k in range(0, len(big), 65536)]
    framing = "Transfer-Encoding: chunked" if chunk else f"Content-Length: {len(big)}"
    head = (f"POST /api/whatif HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
            f"{framing}\r\n\r\n").encode()
    if chunk:
        pieces = [b"%x\r\n" % len(p) + p + b"\r\n" for p in pieces] + [b"0\r\n\r\n"]
    reply, _ = raw_exchange(served, head, pieces, len(big))
    status, body = status_and_body(reply)
    assert status == 413 and len(reply) <= 2 * SHORT, reply[:300]
    one_line(body)


@pytest.mark.parametrize("body, field", [
    ('{"result": "RESULT", "phase": "%s"}' % ("p" * 9_000), "phase"),
    ('{"result": "RESULT", "phase": "First", "site": "%s"}' % ("s" * 9_000), "site"),
    ('{"result": "RESULT", "phase": "First", "%s": 1}' % ("k" * 9_000), "kkkk"),
    ('{"result": "RESULT", "phase": "First", "flight_id": "%s"}' % ("9" * 9_000), "flight_id"),
    ('{"result": "RESULT", "phase": "First", "burnout_speed_km_s": "%s"}' % ("5" * 9_000), "burnout_speed_km_s"),
    ('{"result": "RESULT", "phase": "First", "launch_delay_s": %s}' % ("9" * 9_000), "body"),  # no float: not parsed
    ('{"result": "RESULT", "phase": "First", "missile": [%s]}' % ",".join(["1"] * 4_000), "missile"),
    ('{"result": "RESULT", "phase": ' + "x" * 9_000, "body"),
    ('[%s]' % ",".join(['"a"'] * 2_000), "body"),
])
def test_a_refused_field_is_named_never_echoed(served, body, field):
    """A body near the limit, refused for one field: a one-line reply of a few hundred bytes naming the field;
    the field's value (or a long key) is not sent back beyond a short cut start."""
    status, reply = post(served, body.replace("RESULT", served[2]).encode())
    assert status in (400, 404, 422), reply[:300]
    detail = one_line(reply)
    assert field in detail, detail
    assert "x" * 100 not in detail and "p" * 100 not in detail and "9" * 100 not in detail


# ---- non-finite numbers: 422 in one line, never 500 ----

@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity", "1e400", "-1e400"])
@pytest.mark.parametrize("field", WHATIF_FIELDS)
def test_a_non_finite_number_in_any_field_is_a_422_in_one_line(served, field, token):
    body = {"result": served[2], "phase": "First", "basis": "architecture"}
    text = json.dumps({k: v for k, v in body.items() if k != field})[:-1] + f', "{field}": {token}}}'
    status, reply = post(served, text.encode())
    assert status == 422, (status, reply[:300])
    detail = one_line(reply)
    assert detail.startswith(field), detail


def test_the_server_answers_after_all_that(served):
    still_answers(served)
    status, reply = post(served, json.dumps({"result": served[2], "phase": "First", "flight_id": 0,
                                             "basis": "architecture", "launch_delay_s": 30.0}).encode())
    assert status == 200 and json.loads(reply)["job"].startswith("job-"), reply


def test_the_refusal_line_never_holds_an_input():
    """server.refusal over pydantic's own error records: the field named, the input never."""
    errors = [{"type": "string_too_long", "loc": ("body", "phase"), "msg": "String should have at most 200 characters",
               "input": "p" * 50_000, "ctx": {"max_length": 200}}]
    assert server_mod.refusal(errors) == "phase: String should have at most 200 characters"
    errors = [{"type": "extra_forbidden", "loc": ("body", "k" * 5_000), "msg": "Extra inputs are not permitted",
               "input": 1}]
    line = server_mod.refusal(errors)
    assert len(line) < 200 and "(5,000 characters)" in line
