"""Every public quantity names its unit (STYLE.md, habit 1): dataclass fields and keyword arguments
of the public functions end in a known unit suffix or are on the dimensionless list."""

import dataclasses
import inspect

import pytest

from shieldcheck import aiming, earth, flight, vehicles

SUFFIXES = ("_m", "_km", "_s", "_kg", "_m_s", "_km_s", "_m_s2", "_rad", "_deg", "_rad_s", "_pa", "_k", "_kg_m3",
            "_n", "_m2", "_m3_s2", "_kg_s", "_kg_m2")
# names that are not physical quantities, or are dimensionless
NOT_QUANTITIES = {
    "name", "summary", "mode", "sources", "notes", "trajectory", "earth", "atmosphere", "integrator", "history",
    "device", "chunk_size", "missile", "vehicle", "launch", "aim", "stages", "mach", "cd", "flattening", "j2",
    "missile_names", "reentry_drag", "body_drag", "options", "model", "shaping", "programme", "cueing", "sensors",
    "own_radar", "interceptor", "site", "track", "tracks", "vehicle_name", "orbital", "glide", "law", "target",
}
DIMENSIONLESS = {"flattening", "j2", "mach", "cd"}
DIMENSIONLESS_SUFFIXES = ("_ratio", "_fraction", "_count")  # STYLE.md: dimensionless names say so


def _check(owner: str, name: str):
    if name.startswith("_") or name in NOT_QUANTITIES or name in DIMENSIONLESS:
        return
    assert name.endswith(SUFFIXES + DIMENSIONLESS_SUFFIXES), f"{owner}.{name} names no unit"


@pytest.mark.parametrize("cls", [flight.Flights, flight.Integrator, vehicles.Stage, vehicles.Missile,
                                 vehicles.GlideModel, vehicles.DragTable, earth.Site, earth.EarthModel, aiming.AimSolution])
def test_dataclass_fields_carry_units(cls):
    for field in dataclasses.fields(cls):
        if field.name == "summary" and cls is flight.Flights:
            continue  # the packed summary array; its columns are named in engine/pack.py
        _check(cls.__name__, field.name)


@pytest.mark.parametrize("function", [flight.fly_launch, flight.fly_burnout, flight.iter_fly_launch, aiming.solve,
                                      aiming.fly, earth.site, earth.geodesic_inverse, earth.geodesic_direct,
                                      earth.ecef_from_geodetic])
def test_public_arguments_carry_units(function):
    for name in inspect.signature(function).parameters:
        if name in ("position_ecef_m", "kick_deg", "model"):
            continue
        _check(function.__name__, name)
