"""Catalog missiles against their published ranges, and the catalog loader's errors.

Simulated maximum range, as in ``tools/calibrate_catalog.py``: full burn, launch azimuth due
north from the reference site of the missile's country and role, the missile's own vertical
rise and pitch-over duration, and the pitch-over (kick) angle that maximises the ground range
(here a 2 deg scan from 0.5 to 85 deg refined twice around the best angle, at 0.1 and 0.005 deg),
the range counted over the ground in the direction of motion, past the antipode where a flight goes
that far (``aiming.maximum_range_km``).
It must lie in the published band [low, high] of ``published_range_km``: that is the tolerance
the sources allow. The derived stage models were calibrated to the nominal value (docs/sources.md,
"Calibration against published ranges"); the Shahab-3 model is a published one, not calibrated.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from shieldcheck import catalog
from shieldcheck.catalog import Catalog
from shieldcheck.errors import InputError


reference_site = catalog.range_check_site


def max_range_km(missile, site) -> tuple[float, float]:
    """Maximum ground range due north over the kick angle and the kick that gives it (coarse scan + refinement,
    counted past the antipode): the library's method, ``aiming.maximum_range_km``."""
    from shieldcheck.aiming import maximum_range_km

    return maximum_range_km(missile, site, azimuth_deg=0.0)


# One case per catalog missile; the comment names the reference band (published_range_km) and its source.
CASES = [
    # 1,200-1,300 km: ACA02 (1,300 km with 700 kg) and ACW08 (1,200 km). Published model, not calibrated.
    "Shahab-3",
    # 1,600-2,000 km: ACA16 (1,600 km); AJZ05 ('at least 2,000 km', Iranian claim).
    "Ghadr-1",
    # 2,000-2,200 km: RT09 / IRNA08 (2,000 km); IISS14 (750 kg to about 2,200 km).
    "Sejjil-2",
    # 2,000-4,000 km: AP23 (2,000 km with 1,500 kg); FOX17 (US officials: 'double').
    "Khorramshahr",
    # 14,500-15,000 km: NOT published; the due-north reach of the notional model sized to its westward
    # requirement (source MODEL; test_notional_icbm_reaches_the_us_east_coast checks the requirement).
    "Iran-ICBM (notional)",
    # 4,000-4,200 km: NOT published; the design point of the notional IRBM (source MODEL).
    "Iran-IRBM (notional)",
    # 10,000-10,500 km: ESTADAO06 (up to 10,000 km); StrategyPage 2008 via LIT (10,500 km).
    "Topol-M",
    # 11,000-12,000 km: RT_YARS (11,000 km); TASS_YARS (12,000 km).
    "Yars",
    # 11,000-11,500 km: VNP09_R36 (11,000 km); RIA09_R36 (11,500 km), both with 8.8 t.
    "R-36M2",
    # 7,600-8,400 km: RIA11_BULAVA / REUTERS11_BULAVA (8,000 km), +-5 % reading precision.
    "Bulava",
    # 6,000-40,008 km: MW18_AVANGARD (the 6,000 km test flight, a demonstrated distance) up to the whole
    # meridian (a geometric limit: it glides past the antipode, about 21,400 km): no maximum range is
    # published for the glide vehicle. Not calibrated.
    "Avangard",
    # 5,472-6,000 km: DOD24_ORESHNIK ('somewhat more than 3,400 miles' for the RS-26); BELTA24_ORESHNIK and
    # INTERIA25_ORESHNIK (6,000 km). Payload sized at the published 40 t to about 5,500 km.
    "Oreshnik",
    # 17,100-18,900 km: +-5 % round the one published 18,000 km (SPUTNIK21_SARMAT). Payload sized at 208.1 t.
    "RS-28 Sarmat",
    # 3,810-4,000 km: the reported distances to Diego Garcia (CNN26_DIEGO from the coast; WSJ26_DIEGO from
    # Iran). Sized to fly about 4,000 km on the route from Chabahar (source MODEL).
    "Iran-IRBM 2026",
    # 14,250-15,750 km: +-5 % round Japan's 'over 15,000 km' (CNN23_HS18), due north from Pyongyang. No stage
    # data published: the Topol-M technology sized to 15,000 km (source DERIVED).
    "Hwasong-18",
]


def test_every_catalog_missile_has_a_case():
    # a FOBS has no range limit (no published_range_km): its orbit is checked in tests/test_orbital_vs_kepler.py
    missiles = catalog.load().missiles
    assert sorted(CASES) == sorted(name for name, record in missiles.items() if record.role != "FOBS")


@pytest.mark.parametrize("name", CASES)
def test_simulated_maximum_range_lies_in_the_published_band(name):
    record = catalog.missile_record(name)
    published = record.published_range_km
    site_name = reference_site(record)
    range_km, kick_deg = max_range_km(catalog.missile(name), catalog.site(site_name))
    assert published.low <= range_km <= published.high, (
        f"{name}: simulated maximum range {range_km:,.1f} km (kick {kick_deg:.3f} deg, due north from {site_name}) "
        f"is outside the published {published.low:,.0f}-{published.high:,.0f} km ({published.source})")


@pytest.mark.parametrize("name", CASES)
def test_propellant_fractions_within_the_stated_bounds(name):
    # Stated calibration bounds (tools/calibrate_catalog.py): solid motors 0.93, storable liquids 0.94.
    record = catalog.missile_record(name)
    bound = {"solid": 0.93, "liquid": 0.94}[record.propellant]
    for number, stage in enumerate(catalog.missile(name).stages, start=1):
        fraction = stage.propellant_mass_kg / stage.gross_mass_kg
        assert fraction <= bound, f"{name} stage {number}: propellant fraction {fraction:.3f} > {bound}"


IRANIAN_LAUNCH_AREAS = ("Tabriz", "Kermanshah", "Khorramabad", "Semnan", "Shahroud", "Bandar Abbas")
US_EAST_COAST = ("Washington", "New York", "Boston")


def test_notional_icbm_reaches_the_us_east_coast():
    # The notional ICBM's design requirement (missiles.toml derivation; tools/size_notional_missiles.py):
    # 1,000 kg to every US east-coast aim point from every Iranian launch area with a 3 % range margin,
    # sized with the maximum range on the route's bearing as the Python-driven solver measured it (the peak
    # flight's impact wherever it came down: 3.8 % left on the binding route). aiming.max_range_m now measures
    # the reach on the route's own track (the azimuth turned until the peak comes down on it), which leaves
    # 2.5 % on the binding route: held here at 2 %, so that a 1 % change of the flight model would still pass
    # and a 3 % one would fail.
    from shieldcheck import aiming

    launches = [catalog.site(a) for a in IRANIAN_LAUNCH_AREAS for _ in US_EAST_COAST]
    aims = [catalog.site(b) for _ in IRANIAN_LAUNCH_AREAS for b in US_EAST_COAST]
    reach_m, distance_m = aiming.max_range_m(
        catalog.missile("Iran-ICBM (notional)"), [s.latitude_deg for s in launches], [s.longitude_deg for s in launches],
        [s.latitude_deg for s in aims], [s.longitude_deg for s in aims])
    ratio = reach_m / distance_m
    worst = int(np.argmin(ratio))
    assert ratio.min() >= 1.02, f"{launches[worst].name} -> {aims[worst].name}: reach / distance {ratio[worst]:.3f}"
    assert (launches[worst].name, aims[worst].name) == ("Bandar Abbas", "Washington")  # the binding route


def test_warhead_counts_are_cited():
    # New START-era published counts: Yars 4-6 (RT_YARS), R-36M2 10 (RIA09_R36), Bulava 6-10 (REUTERS11_BULAVA).
    cat = catalog.load()
    assert (cat.missiles["R-36M2"].warheads.value, cat.missiles["R-36M2"].warheads.source) == (10, "RIA09_R36")
    assert (cat.missiles["Bulava"].warheads.low, cat.missiles["Bulava"].warheads.high) == (6, 10)
    assert all(r.warheads.low <= r.warheads.value <= r.warheads.high for r in cat.missiles.values())


# --- catalog loader errors ------------------------------------------------------------------------

def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_unknown_key_in_a_missile_entry(data_copy):
    missiles = data_copy / "missiles.toml"
    _edit(missiles, 'propellant = "liquid"\n', 'propellant = "liquid"\ncolour = "red"\n')
    with pytest.raises(InputError) as error:
        Catalog(data_copy)
    message = str(error.value)
    assert str(missiles) in message
    assert "colour" in message and "'red'" in message


def test_source_key_missing_from_sources_toml(data_copy):
    missiles = data_copy / "missiles.toml"
    _edit(missiles, 'payload_mass_kg = { value = 700.0, source = "ACA02"',
          'payload_mass_kg = { value = 700.0, source = "ACA99"')
    with pytest.raises(InputError) as error:
        Catalog(data_copy)
    message = str(error.value)
    assert str(missiles) in message
    assert "source: 'ACA99' is not an allowed choice" in message and "sources.toml" in message and "Shahab-3" in message


def test_propellant_mass_above_gross_mass(data_copy):
    missiles = data_copy / "missiles.toml"
    _edit(missiles, "propellant_mass_kg = { value = 12912.0", "propellant_mass_kg = { value = 16000.0")
    with pytest.raises(InputError) as error:
        Catalog(data_copy).missile("Shahab-3")
    message = str(error.value)
    assert str(missiles) in message
    assert "propellant_mass_kg = 16000.0" in message and "gross_mass_kg = 14692" in message


def test_unknown_drag_table(data_copy):
    missiles = data_copy / "missiles.toml"
    _edit(missiles, 'drag_table = "rv-blunt-cone"', 'drag_table = "rv-blunt-cnoe"')
    with pytest.raises(InputError) as error:
        Catalog(data_copy)
    message = str(error.value)
    assert str(missiles) in message
    assert "drag_table: 'rv-blunt-cnoe' is not an allowed choice" in message and "drag.toml" in message
    assert "Did you mean 'rv-blunt-cone'" in message


def test_warhead_count_out_of_order(data_copy):
    missiles = data_copy / "missiles.toml"
    _edit(missiles, 'warheads = { value = 10, low = 10, high = 10', 'warheads = { value = 12, low = 10, high = 10')
    with pytest.raises(InputError) as error:
        Catalog(data_copy)
    message = str(error.value)
    assert str(missiles) in message and "warheads" in message and "low <= value <= high" in message


def test_missile_names_are_normalised():
    assert catalog.missile("Shahab3").name == "Shahab-3"
    assert catalog.missile("SHAHAB_3").name == "Shahab-3"  # case, hyphens and underscores ignored


def test_unknown_missile_suggests_a_name():
    with pytest.raises(InputError, match="Did you mean") as error:
        catalog.missile("Shahab-4")
    assert "'Shahab-3'" in str(error.value)
