"""Build the explorer's front-end into ``src/shieldcheck/explorer/static/`` from ``frontend/``.

The page (``frontend/src``: index.html, main.js, style.css) is plain JavaScript over CesiumJS, whose
version is pinned in ``frontend/package.json`` and, with everything it pulls in, in
``frontend/package-lock.json``. This script:

1. runs ``npm ci`` in ``frontend/`` (the lock file's exact versions; ``--ignore-scripts``; skipped
   with ``--no-install`` when ``node_modules`` is already what the lock names). Cesium 1.145 declares
   node >= 22 for its own development; only its prebuilt ``Build/Cesium`` is used here, and npm ci
   under node 20 (Debian's) only warns;
2. empties ``static/`` and copies the page (main.js -> app.js, style.css -> app.css, index.html) and,
   from ``node_modules/cesium/Build/Cesium``, only what the page loads (:data:`CESIUM_SHIPPED`):
   Cesium.js, its web workers, the widgets' CSS and images, the credit images and Natural Earth II
   imagery tiles, the approximate terrain heights, and the IAU 2006 XYS tables (Cesium's ICRF-to-Earth
   rotation, which its path drawing and uniforms load for the clock's date); no star sky, Sun, Moon,
   lens flare or water textures and no glTF or splat decoders (the page sets ``skyBox: false`` and
   draws no models). The browser test loads the page with every request refused that is not to the
   local server, and fails on any 404;
3. ships Cesium's LICENSE.md (Apache 2.0 with the third-party notices of what Cesium.js bundles) in
   ``static/licences/``;
4. writes ``static/BUILD.json``: the SHA-256 of package-lock.json and of every file of frontend/src,
   their combined "sources digest" (:func:`sources_digest`, which tests/test_explorer_build.py
   recomputes: a source changed without a rebuild fails it), and every shipped file with its size.

Nothing in the output depends on the time or the machine: the same lock file and sources give the
same files. The shipped assets must stay under :data:`MAX_SHIPPED_BYTES` (checked here and in the test).

Usage (from the repository root)::

    python tools/build_explorer.py            # npm ci, then build
    python tools/build_explorer.py --no-install
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FRONTEND = ROOT / "frontend"
STATIC = ROOT / "src" / "shieldcheck" / "explorer" / "static"
MAX_SHIPPED_BYTES = 25 * 1024 * 1024
#: The page's sources and the names they ship under.
PAGE = {"index.html": "index.html", "main.js": "app.js", "style.css": "app.css"}
#: What the page loads from Cesium's build, relative to node_modules/cesium/Build/Cesium (folders whole).
CESIUM_SHIPPED = (
    "Cesium.js",
    "Workers",
    "Widgets",
    "Assets/Images",
    "Assets/Textures/NaturalEarthII",
    "Assets/approximateTerrainHeights.json",
    "Assets/IAU2006_XYS",
)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def source_hashes(frontend: Path = FRONTEND) -> dict[str, str]:
    """SHA-256 of package.json, package-lock.json and every file under src/, by path relative to ``frontend``."""
    files = [frontend / "package.json", frontend / "package-lock.json",
             *sorted(p for p in (frontend / "src").rglob("*") if p.is_file())]
    return {p.relative_to(frontend).as_posix(): sha256(p) for p in files}


def sources_digest(hashes: dict[str, str]) -> str:
    """One SHA-256 over the sorted ``path sha256`` lines of :func:`source_hashes`."""
    text = "".join(f"{name} {digest}\n" for name, digest in sorted(hashes.items()))
    return hashlib.sha256(text.encode()).hexdigest()


def shipped_files(static: Path = STATIC) -> list[dict]:
    """Every file under ``static`` except BUILD.json, sorted, with its size in bytes."""
    return [{"path": p.relative_to(static).as_posix(), "bytes": p.stat().st_size}
            for p in sorted(static.rglob("*")) if p.is_file() and p.name != "BUILD.json"]


def build(install: bool = True, frontend: Path = FRONTEND, static: Path = STATIC) -> dict:
    """Rebuild ``static`` from ``frontend`` (see the module's text); return BUILD.json's content."""
    if install:
        subprocess.run(["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=frontend, check=True)
    cesium = frontend / "node_modules" / "cesium"
    lock = json.loads((frontend / "package-lock.json").read_text())
    locked = lock["packages"]["node_modules/cesium"]["version"]
    installed = json.loads((cesium / "package.json").read_text())["version"]
    if installed != locked:
        sys.exit(f"node_modules has cesium {installed}, the lock file {locked}: run without --no-install")
    if static.exists():
        shutil.rmtree(static)
    static.mkdir(parents=True)
    for source, shipped in PAGE.items():
        shutil.copyfile(frontend / "src" / source, static / shipped)
    build_dir = cesium / "Build" / "Cesium"
    for name in CESIUM_SHIPPED:
        source, target = build_dir / name, static / "cesium" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copyfile(source, target)
    (static / "licences").mkdir()
    shutil.copyfile(cesium / "LICENSE.md", static / "licences" / "cesium-LICENSE.md")
    files = shipped_files(static)
    total = sum(f["bytes"] for f in files)
    if total >= MAX_SHIPPED_BYTES:
        sys.exit(f"the shipped assets are {total / 2**20:.1f} MiB, over the {MAX_SHIPPED_BYTES / 2**20:.0f} MiB limit")
    hashes = source_hashes(frontend)
    record = {"cesium_version": locked, "sources": hashes, "sources_digest": sources_digest(hashes),
              "total_bytes": total, "files": files}
    (static / "BUILD.json").write_text(json.dumps(record, indent=1) + "\n")
    return record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-install", action="store_true", help="use frontend/node_modules as it is (no npm ci)")
    args = parser.parse_args()
    record = build(install=not args.no_install)
    print(f"{len(record['files'])} files, {record['total_bytes'] / 2**20:.1f} MiB, "
          f"sources digest {record['sources_digest'][:12]}, cesium {record['cesium_version']}")


if __name__ == "__main__":
    main()
