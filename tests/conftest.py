"""Shared fixtures: the catalog missiles the tests fly, the small scenario as a file and assessed."""

import pytest
import scenarios

from shieldcheck import catalog


@pytest.fixture(scope="session")
def topol():
    return catalog.missile("Topol-M")


@pytest.fixture(scope="session")
def shahab():
    return catalog.missile("Shahab-3")


@pytest.fixture(scope="session")
def test_interceptor():
    """A stated test interceptor (two solid stages burning 100 s, about 4.9 km/s), not a catalog entry.

    Its thrust/weight (about 2.6 at lift-off) and 8 s pitch-over let a gravity-turn fan fly out
    from near-vertical to low, flat trajectories.
    """
    from shieldcheck.vehicles import DragTable, Missile, Stage

    body = DragTable("test body", (0.0, 1.0, 2.0, 5.0), (0.3, 0.5, 0.35, 0.25))
    return Missile("test interceptor",
                   (Stage(1_200.0, 1_000.0, 40.0, 265.0, 240.0, 0.53), Stage(450.0, 380.0, 60.0, 285.0, 285.0, 0.53)),
                   60.0, 30.0, 0.3, body, body, 3.0, 8.0)


@pytest.fixture(scope="session", autouse=True)
def envelope_cache(tmp_path_factory):
    """Keep the tests' reach envelopes out of the user's cache directory."""
    import os

    previous = os.environ.get("SHIELDCHECK_CACHE_DIR")
    os.environ["SHIELDCHECK_CACHE_DIR"] = str(tmp_path_factory.mktemp("shieldcheck-cache"))
    yield
    if previous is None:
        os.environ.pop("SHIELDCHECK_CACHE_DIR", None)
    else:
        os.environ["SHIELDCHECK_CACHE_DIR"] = previous


@pytest.fixture
def data_copy(tmp_path):
    """A copy of the catalog's data folder, to edit in a test of the loader."""
    import shutil
    from pathlib import Path

    from shieldcheck import catalog

    directory = tmp_path / "data"
    shutil.copytree(Path(str(catalog.DATA)), directory)
    return directory


@pytest.fixture(scope="session")
def small_file(tmp_path_factory):
    """The small test scenario (scenarios.SMALL) as a file, for the commands that read one."""
    return scenarios.write(tmp_path_factory.mktemp("small-file"), scenarios.SMALL, "small.toml")


@pytest.fixture(scope="session")
def small_assessed(tmp_path_factory):
    """The small test scenario (scenarios.SMALL) assessed once for the session: (scenario, Assessment,
    its folder, holding small.toml and the work cache)."""
    from shieldcheck import assess

    folder = tmp_path_factory.mktemp("small")
    chosen = scenarios.load(folder, scenarios.SMALL, "small.toml")
    return chosen, assess.assess(chosen, work_dir=folder / "work"), folder


@pytest.fixture(scope="session")
def small_result(small_assessed):
    """The small scenario's assessment written as a result folder the explorer reads (its tables, scene and
    scenario; no report): (scenario, Assessment, folder)."""
    import pyarrow.parquet as pq

    from shieldcheck import assess
    from shieldcheck.explorer.results import write_view

    chosen, assessed, folder = small_assessed
    out = folder / "result"
    out.mkdir(exist_ok=True)
    pq.write_table(assessed.results, out / "results.parquet")
    pq.write_table(assess.flights_table(assessed.flights), out / "flights.parquet")
    write_view(assessed, out)
    return chosen, assessed, out


@pytest.fixture(scope="session")
def exo(test_interceptor):
    """The test interceptor as an exo-atmospheric site's: intercepts between 70 and 1,000 km."""
    from shieldcheck.engagement import Interceptor

    return Interceptor(test_interceptor, 70e3, 1_000e3)


@pytest.fixture(scope="session")
def shahab_flights():
    """Two Shahab-3 flights, Tabriz and Kermanshah into eastern Turkey, with their histories: the engagement tests'
    threats."""
    from shieldcheck import aiming

    return aiming.fly("Shahab-3", ["Tabriz", "Kermanshah"], ["40.5,38.0", "41.0,40.0"], history=True)
