"""Impossible glide models are refused with one line naming the field, the value and what is allowed."""

import math

import pytest
from cli_helpers import run

from shieldcheck import catalog
from shieldcheck.errors import InputError
from shieldcheck.vehicles import DragTable, GlideModel, Missile


def _glider(law: str, lift_to_drag_ratio) -> Missile:
    t = catalog.load().drag["rv-slender-cone"]
    table = DragTable(t.name, tuple(t.mach), tuple(t.cd))
    return Missile("test glider", (), 0.0, 1000.0, 0.6, table, table, 0.0, 1.0,
                   glide=GlideModel(law, lift_to_drag_ratio))


@pytest.mark.parametrize("value", [0.0, -1.0, math.nan, math.inf, 12.0])
def test_impossible_lift_to_drag_ratio_is_refused(value):
    with pytest.raises(InputError) as error:
        _glider("constant-lift-to-drag", value)
    message = str(error.value)
    assert message == f"missile 'test glider': lift_to_drag_ratio = {value!r} is outside 0 (excluded) to 10"
    assert "\n" not in message


def test_unknown_glide_law_is_refused_with_a_suggestion():
    with pytest.raises(InputError, match=r"glide law: 'constant-lift-drag' is not an allowed choice; allowed: "
                                         r"constant-lift-to-drag, equilibrium-glide\. Did you mean 'constant-lift-to-drag'\?"):
        _glider("constant-lift-drag", 2.6)


# --- the same errors from a catalog file, and from the command line ------------------------------

@pytest.fixture
def data_copy(tmp_path):
    import shutil
    from pathlib import Path

    directory = tmp_path / "data"
    shutil.copytree(Path(str(catalog.DATA)), directory)
    return directory


AVANGARD_LD = 'lift_to_drag_ratio = { value = 2.6, source = "MODEL"'


def _edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_catalog_lift_to_drag_above_the_bound_names_file_missile_field_value(data_copy):
    missiles = data_copy / "missiles.toml"
    _edit(missiles, AVANGARD_LD, 'lift_to_drag_ratio = { value = 12.0, source = "MODEL"')
    with pytest.raises(InputError) as error:
        catalog.Catalog(data_copy)
    assert str(error.value) == f"{missiles}: missile 'Avangard': lift_to_drag_ratio = 12.0 is outside 0 (excluded) to 10"


def test_catalog_lift_to_drag_nan_is_refused_on_load(data_copy):
    missiles = data_copy / "missiles.toml"
    _edit(missiles, AVANGARD_LD, 'lift_to_drag_ratio = { value = nan, source = "MODEL"')
    with pytest.raises(InputError) as error:
        catalog.Catalog(data_copy)
    message = str(error.value)
    assert message.startswith(f"{missiles}:") and ": missile[" in message  # the file, its line, the record
    assert ".glide.lift_to_drag_ratio.value = nan" in message
    assert "finite" in message


def test_catalog_glide_without_lift_to_drag_is_refused_on_load(data_copy):
    missiles = data_copy / "missiles.toml"
    text = missiles.read_text(encoding="utf-8")
    start = text.index(AVANGARD_LD)
    missiles.write_text(text[:start] + text[text.index("\n", start) + 1:], encoding="utf-8")
    with pytest.raises(InputError) as error:
        catalog.Catalog(data_copy)
    message = str(error.value)
    assert message.startswith(f"{missiles}:") and ": missile[" in message  # the file, its line, the record
    assert ".glide.lift_to_drag_ratio = {...}: Field required" in message


def test_cli_fly_with_a_broken_glide_model_is_one_line_and_status_2(data_copy, monkeypatch, capsys):
    _edit(data_copy / "missiles.toml", AVANGARD_LD, 'lift_to_drag_ratio = { value = -1.0, source = "MODEL"')
    monkeypatch.setattr(catalog, "load", lambda directory=None: catalog.Catalog(data_copy))
    code, out, err = run(["fly", "--missile", "Avangard", "--from", "Dombarovsky", "--to", "Washington"], capsys)
    assert code == 2
    lines = [line for line in (out + err).splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert "missile 'Avangard': lift_to_drag_ratio = -1.0 is outside 0 (excluded) to 10" in lines[0]
