"""Maximum ranges of Forden's (2007) Table 1 missiles against his Table 3 (azimuth 40 deg east of north).

Reference: G. Forden, "GUI_Missile_Flyout", Science & Global Security 15 (2007) 133-146,
Tables 1 and 3, frozen in ``tests/references/forden2007_tables.toml`` from a secondary
transcription (source key FORDEN07_T13; the header says what was read and from where).
Scud-B 288 km, Al Hussein 693 km, No-dong 973 km, Taepodong-I 2,349 km.

The missiles are built from Table 1 and flown, full burn, at the best steering angle, by
``tools/forden2007_ranges.py`` under two models (its docstring states every choice Table 1 does
not make for us: constant Isp, nothing separates, Forden's Fig. 1 drag curve for the whole
flight, no coast, launch point 40.0 N, 127.0 E):

* ``default``: WGS 84 + J2, rotating, 1976 atmosphere, 10 s rise, 10 s pitch-over, gravity turn;
* ``paper-like``: sphere with point-mass gravity, rotating, 1976 atmosphere, Forden's Eq. 8
  steering (constant-rate pitch-over from lift-off to a loft angle held to burnout) at the
  1.348 deg/s of his Fig. 3 example.

Results and the attribution of the differences: docs/sources.md, "Flight model against Forden 2007".
"""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from shieldcheck import catalog
from shieldcheck.earth import Site

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("forden2007_ranges", ROOT / "tools" / "forden2007_ranges.py")
forden = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = forden  # dataclasses look their module up while the tool loads
_spec.loader.exec_module(forden)

REFERENCE = forden.load_reference()
RECORDS = {record["name"]: record for record in REFERENCE["missile"]}

# Tolerance on the maximum range, as a fraction of Table 3, for both models. What is not known
# about the paper's runs, each measured with this tool (tools/forden2007_ranges.py prints them):
#   steering: Table 3's pitch programmes are not published. Under Forden's Eq. 8 at pitch rates
#     of 1.0 to 2.0 deg/s about the 1.348 deg/s of his Fig. 3, the maximum range moves by up to
#     3.5 % (No-dong 937-992 km); the default gravity turn is 1.5-3 % from Eq. 8;
#   launch point: not stated; 30 to 50 N instead of 40 N moves the ranges by up to 0.5 %;
#   Earth model: WGS 84 + J2 instead of a point-mass sphere, under 0.2 %;
#   atmosphere and drag details: not stated (not quantified: 1976 is the only atmosphere here).
# Sum of the quantified parts: 4.2 %; with the unquantified atmosphere and drag, 5 %. The
# Scud-B and Al Hussein residuals are not explained by these (see the last test and the docs).
# A wrong Table 1 value would show: 10 % more Isp moves these ranges by 26-33 % (measured,
# default model).
RANGE_TOLERANCE_FRACTION = 0.05


def test_reference_names_source_status_and_values():
    text = forden.REFERENCE.read_text(encoding="utf-8")
    for phrase in ("SOURCE:", "ACCESS STATUS: SECONDARY", "armscontrolwonk/Thrusty", "OUR CHOICES"):
        assert phrase in text
    assert REFERENCE["source"]["key"] in catalog.load().sources
    assert REFERENCE["source"]["launch_azimuth_deg"] == 40.0
    assert {name: r["table3_max_range_km"] for name, r in RECORDS.items()} == {
        "Scud-B": 288.0, "Al Hussein": 693.0, "No-dong": 973.0, "Taepodong-I": 2349.0}


@pytest.mark.parametrize("name, launch_mass_kg, stage_count", [
    ("Scud-B", 4897.0 + 1000.0, 1), ("Al Hussein", 6073.0 + 191.0, 1), ("No-dong", 19900.0 + 1000.0, 1),
    ("Taepodong-I", 19900.0 + 4897.0 + 454.0, 2)])
def test_missiles_are_built_from_table1(name, launch_mass_kg, stage_count):
    """Launch mass = fuelled stages + payload; the re-entering body is the last stage's dry mass + payload."""
    record = RECORDS[name]
    missile = forden.build_missile(record, forden.MODELS["default"])
    assert len(missile.stages) == stage_count
    assert missile.launch_mass_kg == pytest.approx(launch_mass_kg, abs=1e-9)
    assert missile.reentry_mass_kg == pytest.approx(record["stage"][-1]["dry_kg"] + record["payload_kg"], abs=1e-9)
    assert all(s.isp_sea_level_s == s.isp_vacuum_s for s in missile.stages)  # one Isp per stage in Table 1


@pytest.mark.parametrize("model", ["default", "paper-like"])
@pytest.mark.parametrize("name", list(RECORDS))
def test_maximum_range_vs_table3(name, model):
    paper_km = RECORDS[name]["table3_max_range_km"]
    simulated_km = forden.max_range(RECORDS[name], forden.MODELS[model])["range_km"]
    assert abs(simulated_km - paper_km) <= RANGE_TOLERANCE_FRACTION * paper_km, (
        f"{name} ({model}): {simulated_km:.0f} km against Table 3's {paper_km:.0f} km")


@pytest.mark.parametrize("name", list(RECORDS))
def test_earth_model_is_not_what_separates_the_models(name):
    """WGS 84 + J2 against a point-mass sphere (same steering) moves the range by < 0.5 %.

    The J2 term is about 1e-3 of surface gravity and the ellipsoid's radius differs from the
    sphere's by < 0.1 % at 40 N; at these ranges either changes the range by a few tenths of a
    per cent at most (measured: under 0.2 %), so what separates the two models is the steering.
    """
    record = RECORDS[name]
    default = forden.MODELS["default"]
    j2 = forden.max_range(record, default)["range_km"]
    sphere = forden.max_range(record, replace(default, earth=forden.SPHERE_POINTMASS_ROTATING))["range_km"]
    assert abs(j2 - sphere) <= 0.005 * j2


@pytest.mark.parametrize("name", list(RECORDS))
def test_launch_latitude_matters_little(name):
    """From 30 N or 50 N instead of 40 N (azimuth 40 deg) the paper-like range changes by < 2 %.

    The Earth's eastward surface speed, 465 cos(latitude) m/s, differs by 104 m/s between 30 and
    50 N; along an azimuth of 40 deg that is 67 m/s, i.e. +-33 m/s about 40 N: 0.8 % of the
    Taepodong-I's burnout speed (4.0 km/s), so at most about 1.6 % of its range (range goes
    roughly as speed squared); less for the shorter-range missiles. Measured: up to 0.5 %.
    """
    record = RECORDS[name]
    model = forden.MODELS["paper-like"]
    centre = forden.max_range(record, model)["range_km"]
    for latitude_deg in (30.0, 50.0):
        site = Site(f"{latitude_deg:g} N", latitude_deg, forden.LAUNCH.longitude_deg)
        assert abs(forden.max_range(record, model, site=site)["range_km"] - centre) <= 0.02 * centre


@pytest.mark.parametrize("name", ["Scud-B", "Al Hussein"])
def test_drag_dominated_missiles_come_out_long_at_every_pitch_rate(name):
    """Known difference, kept visible: the two short-range missiles fly farther than Table 3 here.

    Drag costs them 10-14 % of their range in this model (2-3 % for the other two), and the
    paper-like model puts them 3.5-4.6 % beyond Table 3 whatever the Eq. 8 pitch rate from 1.0 to
    2.0 deg/s: not a steering effect. If everything else were equal Forden's drag loss would be
    about a third larger than ours (atmosphere, drag-curve detail or integration: not stated in
    what was read). Should a change of the atmosphere or drag model close the gap, this test
    fails and docs/sources.md ("Flight model against Forden 2007") must be updated.
    """
    record = RECORDS[name]
    paper_km = record["table3_max_range_km"]
    for rate_deg_s in (1.0, 2.0):
        model = replace(forden.MODELS["paper-like"], pitch_rate_deg_s=rate_deg_s)
        assert forden.max_range(record, model)["range_km"] > 1.02 * paper_km
