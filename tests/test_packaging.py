"""Packaging promises: compiled kernels cached on disk, a fast import, the GPU extra's pins."""

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]

FLY_AND_REPORT = """
from shieldcheck import catalog, flight
from shieldcheck.engine.cpu import fly_batch
flight.fly_launch(catalog.missile("Shahab-3"), catalog.site("Tabriz"), 300.0, 20.0)
print(sum(fly_batch.stats.cache_hits.values()), sum(fly_batch.stats.cache_misses.values()))
"""


@pytest.mark.slow
def test_second_process_loads_the_compiled_kernel_from_disk(tmp_path):
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path))
    runs = [subprocess.run([sys.executable, "-c", FLY_AND_REPORT], env=env, capture_output=True, text=True,
                           timeout=600) for _ in range(2)]
    for run in runs:
        assert run.returncode == 0, run.stderr[-2000:]
    first_hits, first_misses = map(int, runs[0].stdout.split()[-2:])
    hits, misses = map(int, runs[1].stdout.split()[-2:])
    assert (first_hits, first_misses) == (0, 1)  # an empty cache: compiled once
    assert (hits, misses) == (1, 0)  # the second process loads it from disk


def test_import_does_not_load_numba():
    code = "import sys, shieldcheck; print('numba' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "False"


def test_gpu_extra_pins_versions_tested_together():
    """numba-cuda 0.30.4 fails to import with NumPy 2.5 (np.row_stack removed): the extra pins both."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    gpu = project["optional-dependencies"]["gpu"]
    assert any(d.startswith("numba-cuda") and "==" in d for d in gpu)
    assert any(d.startswith("numba==") for d in gpu)
    assert "numpy<2.5" in gpu


def test_ctrl_c_while_the_command_line_loads_is_one_line_and_status_130():
    # a KeyboardInterrupt raised while typer is being imported, as a Ctrl-C at start-up would
    code = """
import builtins
real = builtins.__import__
def interrupted(name, *args, **kwargs):
    if name == "typer":
        raise KeyboardInterrupt
    return real(name, *args, **kwargs)
builtins.__import__ = interrupted
from shieldcheck._entry import main
main()
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 130
    assert done.stderr == "interrupted: nothing was started\n"


def test_the_console_script_is_the_entry_module():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["scripts"]["shieldcheck"] == "shieldcheck._entry:main"
