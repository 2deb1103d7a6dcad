"""The explorer's shipped front-end is the build of the sources in the repository, small, licensed and offline.

Reference: tools/build_explorer.py's BUILD.json. A source changed without a rebuild fails here (the
digest of frontend/'s sources now differs from the one the build recorded); so does a shipped file
that the build did not list, a build over 25 MB, a missing licence, an app file that names a web
address, or a pyproject that would leave the assets out of the wheel.
"""

from __future__ import annotations

import glob
import importlib.util
import json
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
STATIC = ROOT / "src" / "shieldcheck" / "explorer" / "static"
APP_FILES = ("index.html", "app.js", "app.css")  # ours; Cesium's own files mention URLs in comments and code


def _build_tool():
    spec = importlib.util.spec_from_file_location("build_explorer", ROOT / "tools" / "build_explorer.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def record():
    return json.loads((STATIC / "BUILD.json").read_text())


def test_the_shipped_build_is_of_the_sources_now(record):
    tool = _build_tool()
    hashes = tool.source_hashes()
    changed = sorted(name for name in hashes.keys() | record["sources"].keys()
                     if hashes.get(name) != record["sources"].get(name))
    assert not changed, f"rebuild with python tools/build_explorer.py: changed since the build: {changed}"
    assert record["sources_digest"] == tool.sources_digest(hashes)


def test_the_page_ships_as_its_sources(record):
    tool = _build_tool()
    for source, shipped in tool.PAGE.items():
        assert (STATIC / shipped).read_bytes() == (ROOT / "frontend" / "src" / source).read_bytes(), shipped


def test_the_cesium_shipped_is_the_locked_one(record):
    lock = json.loads((ROOT / "frontend" / "package-lock.json").read_text())
    assert record["cesium_version"] == lock["packages"]["node_modules/cesium"]["version"]
    package = json.loads((ROOT / "frontend" / "package.json").read_text())
    assert package["dependencies"]["cesium"] == record["cesium_version"]  # pinned, not a range


def test_the_shipped_files_are_those_listed_and_under_25_mb(record):
    tool = _build_tool()
    assert tool.shipped_files() == record["files"]  # nothing added, removed or changed in size since the build
    total = sum(f["bytes"] for f in record["files"])
    assert total == record["total_bytes"] < 25 * 1024 * 1024


def test_the_licences_ship(record):
    licence = (STATIC / "licences" / "cesium-LICENSE.md").read_text()
    assert "Apache License" in licence and "Third-Party Code" in licence


def test_the_app_fetches_nothing_from_the_web():
    for name in APP_FILES:
        text = (STATIC / name).read_text()
        assert not re.search(r"https?://", text), f"{name} names a web address"
        assert "//cdn" not in text and "ion.cesium.com" not in text, name
    script = (STATIC / "app.js").read_text()
    assert 'Cesium.Ion.defaultAccessToken = ""' in script  # no ion token: nothing from Cesium's servers
    assert "baseLayerPicker: false" in script and "geocoder: false" in script
    assert 'buildModuleUrl("Assets/Textures/NaturalEarthII")' in script
    assert 'window.CESIUM_BASE_URL = "/static/cesium/"' in (STATIC / "index.html").read_text()


def test_the_wheel_takes_every_shipped_file():
    """pyproject's package-data patterns take every file of static/, expanded as setuptools expands them
    (``glob(package/pattern, recursive=True)``)."""
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["shieldcheck"]
    package = ROOT / "src" / "shieldcheck"
    taken = {Path(p) for pattern in data for p in glob.glob(str(package / pattern), recursive=True)}
    left_out = [p for p in STATIC.rglob("*") if p.is_file() and p not in taken]
    assert not left_out, left_out[:5]


def test_the_page_takes_the_verdicts_from_the_server():
    """The page holds no verdict table of its own: colours, order and words come with /api/results
    (verdicts.as_json, the scene's colours and order)."""
    from shieldcheck import scene, verdicts

    script = (STATIC / "app.js").read_text()
    assert "setVerdicts(answer.verdicts" in script
    assert not any(name in script for name in ("feasible:", "too_late:", "endgame_infeasible:"))
    served = verdicts.as_json()
    assert [v["name"] for v in served] == list(scene.VERDICT_ORDER)
    assert {v["name"]: tuple(v["rgba"]) for v in served} == scene.VERDICT_RGBA


def test_the_page_takes_the_bounds_from_the_server():
    """The what-if sliders hold no bounds of their own: their ends come with /api/results (``limits``, from
    shieldcheck.limits, the command line's and the sweep's table), the speed narrowed to the catalogued band."""
    import re

    from shieldcheck.explorer import whatif

    script = (STATIC / "app.js").read_text()
    page = (STATIC / "index.html").read_text()
    assert "setLimits(answer.limits" in script
    assert all(f'field: "{field}"' in script for field in ("burnout_speed_km_s", "launch_delay_s",
                                                          "min_intercept_altitude_km"))
    for slider in ("speed", "delay", "altitude"):
        tag = re.search(rf'<input id="{slider}"[^>]*>', page).group(0)
        assert "min=" not in tag and "max=" not in tag, tag
    assert set(whatif.limits_json()) >= {"burnout_speed_km_s", "launch_delay_s", "min_intercept_altitude_km"}
