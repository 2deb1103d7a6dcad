"""Shared fixtures: the catalog missiles the tests fly."""

import pytest

from shieldcheck import catalog


@pytest.fixture(scope="session")
def topol():
    return catalog.missile("Topol-M")


@pytest.fixture(scope="session")
def shahab():
    return catalog.missile("Shahab-3")
