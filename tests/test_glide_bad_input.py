"""Impossible glide models are refused with one line naming the field, the value and what is allowed."""

import math

import pytest

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
    assert message.startswith(f"missile 'test glider': lift_to_drag_ratio = {value!r} is not allowed")
    assert "above 0 and at most 10" in message
    assert "\n" not in message


def test_unknown_glide_law_is_refused_with_a_suggestion():
    with pytest.raises(InputError, match=r"glide law = 'constant-lift-drag' is not allowed; allowed: "
                                         r"constant-lift-to-drag\. Did you mean 'constant-lift-to-drag'\?"):
        _glider("constant-lift-drag", 2.6)
