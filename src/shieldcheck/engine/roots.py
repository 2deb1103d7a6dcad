"""Bracketed root steps shared by the aiming kernels (``aim``, ``fobs``): plain scalar functions that each
kernel's builder compiles for its target, as ``results.verdict_of`` is.

Regula falsi with the Illinois modification: the end that the last two steps kept has its value halved, so
that the bracket shrinks from both sides; a bracket that has not halved in three steps is bisected (the
safeguard that makes the method converge wherever a sign change is bracketed).
"""


def illinois_update(x, value, low, value_low, high, value_high, retained):
    """The bracket with ``x`` (its ``value``, oriented to rise with x) replacing the end of its sign, and the
    other end's value halved where the same end was replaced the step before (``retained``: -1 low, +1 high,
    0 none yet; a value not yet known is NaN and stays so).

    Returns (low, value_low, high, value_high, retained)."""
    if value < 0.0:
        if retained == -1 and value_high == value_high:
            value_high *= 0.5
        return x, value, high, value_high, -1
    if retained == 1 and value_low == value_low:
        value_low *= 0.5
    return low, value_low, x, value, 1


def bracketed_step(low, value_low, high, value_high, steps, span):
    """The next x inside a bracket whose ends' values are known: regula falsi, bisected every third step where
    the bracket has not halved since (``span``: its width three steps before) or where the regula falsi point
    falls outside.

    Returns (x, steps, span) with ``steps`` counted up and ``span`` renewed every third step."""
    steps += 1
    bisect = False
    if steps % 3 == 0:
        bisect = high - low > 0.5 * span
        span = high - low
    new = (low * value_high - high * value_low) / (value_high - value_low)
    if bisect or not (low < new < high):
        new = 0.5 * (low + high)
    return new, steps, span
