"""Errors a user can cause, and the "did you mean" suggestion that goes with a wrong name.

Every message names what was wrong (file, field, value) and what is allowed; the CLI prints it
on one line and exits with status 2; a run stopped by Ctrl-C exits with :data:`INTERRUPTED`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


INTERRUPTED = 130  # exit status of a run stopped by Ctrl-C, as the shell gives it (128 + SIGINT)


class InputError(ValueError):
    """Bad input from a user or a data file: the message says what and what is allowed."""


def did_you_mean(name: str, choices: Iterable[str], n: int = 3) -> str:
    """'. Did you mean ...?' for the closest choices, or '' when none is close."""
    choices = list(choices)
    lowered = {c.lower(): c for c in choices}
    close = difflib.get_close_matches(str(name).lower(), list(lowered), n=n, cutoff=0.6)
    if not close:
        return ""
    return ". Did you mean " + " or ".join(repr(lowered[c]) for c in close) + "?"
