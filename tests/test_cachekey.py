"""The key of kept work (``cachekey``): it changes when a number can, and only then.

A copy of the package stands in for an edited checkout: one constant changed in a physics module
must change the key; a docstring, a comment or a blank line changed must not (the shipped aim
solutions are named by it). The engine's numba stamp goes where numba keeps its cache."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import numba.core.config
import pytest

from shieldcheck import cachekey
from shieldcheck.engine import cache


@pytest.fixture
def package(tmp_path) -> Path:
    copy = tmp_path / "shieldcheck"
    shutil.copytree(cachekey.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "static", "aim"))
    return copy


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} no longer holds {old!r}: pick another edit for this test"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_copy_has_the_same_key(package):
    assert cachekey.package_digest(package) == cachekey.code_digest()


@pytest.mark.parametrize("module, old, new", [
    ("atmosphere.py", "R0_M = 6_356_766.0", "R0_M = 6_356_767.0"),  # the standard's Earth radius
    ("earth.py", "\ndef ", "\ndef _unused():\n    return 1\n\n\ndef "),
    ("constants.py", "WGS84_FLATTENING = 1.0 / 298.257223563", "WGS84_FLATTENING = 1.0 / 298.26"),
    ("orbital.py", "import ", "import math as _m\nimport "),
    ("catalog/data/missiles.toml", "\n", "\n# a comment in a data file counts: data files count by their bytes\n"),
])
def test_a_change_that_can_change_a_number_changes_the_key(package, module, old, new):
    before = cachekey.code_digest()  # the copy's, as the first test checks
    edit(package / module, old, new)
    assert cachekey.package_digest(package) != before


@pytest.mark.parametrize("module, old, new", [
    ("atmosphere.py", '"""', '"""An edited module docstring.\n\n'),
    ("earth.py", "from __future__ import annotations\n", "from __future__ import annotations  # edited\n\n# new\n"),
    ("engine/physics.py", "    \"\"\"", "    \"\"\"Edited: "),  # the first function's docstring
    ("report/html.py", "\ndef ", "\ndef _presentation_only():\n    return 2\n\n\ndef "),  # the report computes no physics
])
def test_docstrings_comments_and_presentation_leave_the_key(package, module, old, new):
    before = cachekey.code_digest()  # the copy's, as the first test checks
    edit(package / module, old, new)
    assert cachekey.package_digest(package) == before


def test_meaningful_source_keeps_strings_that_are_values():
    text = '"""Doc."""\nX = "# kept"  # cut\n\n\ndef f():\n    """Doc."""\n    return "a".join("b")\n'
    assert cachekey.meaningful_source(text) == 'X = "# kept"\ndef f():\n    return "a".join("b")'


def test_the_engine_stamp_goes_where_numba_keeps_its_cache(tmp_path, monkeypatch):
    # A read-only copy of the engine, with NUMBA_CACHE_DIR set: the stamp and the dropped files are
    # in that folder, and nothing is written beside the sources.
    engine = tmp_path / "engine"
    shutil.copytree(cachekey.PACKAGE / "engine", engine, ignore=shutil.ignore_patterns("__pycache__"))
    for path in [engine, *engine.iterdir()]:
        path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    numba_cache = tmp_path / "numba-cache"
    monkeypatch.setattr(numba.core.config, "CACHE_DIR", str(numba_cache))
    module = engine / "cpu.py"
    folder = cache.cache_folder(str(module))
    assert folder is not None and folder.is_relative_to(numba_cache)
    stale = folder / "cpu.fly-12.py311.nbi"
    stale.parent.mkdir(parents=True, exist_ok=True)
    stale.write_bytes(b"")
    try:
        cache.drop_stale(str(module))
        assert not stale.exists()
        assert (folder / "cpu-engine.sha256").read_text() == cachekey.code_digest(*cachekey.ENGINE)
        assert not (engine / "__pycache__").exists()
        stale.write_bytes(b"")
        cache.drop_stale(str(module))  # the stamp is current: a kept kernel stays
        assert stale.exists()
    finally:
        engine.chmod(engine.stat().st_mode | stat.S_IWUSR)
    assert os.access(folder, os.W_OK)
