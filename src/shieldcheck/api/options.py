"""The checks of the library's options, the same for a notebook and for the command line: every value
is checked before any work, and bad input is one :class:`~shieldcheck.errors.InputError` line naming
the option (by its command-line spelling, ``--launch-delay``), the value and what is allowed. A
number's bounds are those of :mod:`shieldcheck.limits` (``limits.check``), as everywhere else.
"""

from __future__ import annotations

import math
from pathlib import Path

from .. import limits
from ..errors import InputError

#: Values a FROM:TO:STEP option may expand to.
MAX_VALUES = 200


def named(option: str, value, default: str | None = None):
    """A name option: its default when not given; an empty or blank value is an error, never the default.
    A record given instead of a name (a ``vehicles.Missile``) is left to the function that takes it."""
    if value is None:
        return default
    if isinstance(value, str) and not value.strip():
        raise InputError(f"{option} = {value!r} names nothing: give a name"
                         + (f" (or leave the option out for {default!r})" if default else ""))
    return value


def values(option: str, text, bound: str) -> tuple[float, ...]:
    """Values of FROM:TO:STEP (inclusive) or a comma-separated list (or, from Python, a sequence of
    numbers), each within the bound ``bound`` of :mod:`shieldcheck.limits`, at most ``MAX_VALUES``."""
    import numpy as np

    low, high = limits.bound(bound).low, limits.bound(bound).high
    if not isinstance(text, str):  # a sequence of numbers, as a notebook gives it
        try:
            text = ",".join(repr(float(v)) for v in text)
        except (TypeError, ValueError):
            raise InputError(f"{option} {text!r}: expected FROM:TO:STEP with STEP > 0 and TO >= FROM, or a comma "
                             "list of numbers") from None
    try:
        if ":" in text:
            start, stop, step = (float(v) for v in text.split(":"))
            if not step > 0 or stop < start:
                raise ValueError
            found = tuple(float(v) for v in np.round(np.arange(start, stop + step / 2, step), 6))
        else:
            found = tuple(float(v) for v in text.split(","))
    except ValueError:
        raise InputError(f"{option} {text!r}: expected FROM:TO:STEP with STEP > 0 and TO >= FROM, or a comma list "
                         "of numbers") from None
    bad = [v for v in found if not (math.isfinite(v) and low <= v <= high)]
    if bad or not found or len(found) > MAX_VALUES:
        raise InputError(f"{option} {text!r}: values must lie within {low:g} to {high:g}, at most {MAX_VALUES} of them")
    return found


def endgame_model(endgame: str) -> str:
    """``--endgame`` checked: one of ``endgame.ENDGAME_MODELS``, refused in the one wording (``limits.choose``)."""
    from ..endgame import ENDGAME_MODELS

    return limits.choose("--endgame", endgame, ENDGAME_MODELS)


def scenario(name_or_scenario, endgame: str | None = None):
    """The scenario named (built-in name or TOML file) or given, with its endgame model replaced by
    ``endgame`` (unchanged when None). Read and checked before anything is written."""
    from .. import scenario as scenario_mod

    chosen = (name_or_scenario if isinstance(name_or_scenario, scenario_mod.Scenario)
              else scenario_mod.load(name_or_scenario))
    return chosen if endgame is None else chosen.with_endgame(endgame_model(endgame))


def plot_path(path: Path) -> Path:
    """``--plot FILE``: a .png in a folder that exists, checked before any work."""
    path = Path(path)
    if path.suffix.lower() != ".png":
        raise InputError(f"--plot {str(path)!r}: give a file name ending in .png")
    if path.is_dir() or not path.parent.is_dir():
        raise InputError(f"--plot {str(path)!r}: {'is a folder' if path.is_dir() else 'its folder does not exist'}; "
                         "give a .png file in an existing folder")
    return path
