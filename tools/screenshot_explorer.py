"""The README's picture of the explorer: an assessment folder served on 127.0.0.1 and shown in Debian's
Chromium (Playwright, WebGL through SwiftShader) at 1,400 x 900, once the globe's imagery has loaded.

    python tools/screenshot_explorer.py FOLDER docs/images/explorer.png [--hash 'phase=Phase%204&basis=bounding']
"""

from __future__ import annotations

import argparse
import shutil
import socket
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

from shieldcheck.explorer.server import create_app

CHROMIUM_ARGS = ["--no-sandbox", "--headless=new", "--use-angle=swiftshader", "--enable-unsafe-swiftshader",
                 "--disable-background-networking", "--disable-component-update", "--no-first-run"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--hash", default="", help="the view's URL state (result, phase, basis, site, flight ...)")
    args = parser.parse_args()
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app([args.folder]), log_level="error"))
    threading.Thread(target=server.run, kwargs={"sockets": [listening]}, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    url = f"http://127.0.0.1:{listening.getsockname()[1]}/#{args.hash}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(url.split("/#")[0]) else r.abort())
        page.goto(url)
        page.wait_for_function("document.body.dataset.ready === 'true' && document.body.dataset.busy === '0'",
                               timeout=120_000)
        page.wait_for_function("explorer.viewer.scene.requestRender() || explorer.viewer.scene.globe.tilesLoaded",
                               polling=250, timeout=120_000)
        page.screenshot(path=str(args.out))
        browser.close()
    server.should_exit = True
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
