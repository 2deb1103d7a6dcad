"""A seeded fuzz of the command line's argument space: every case exits 0 or 2, never with a
traceback, and every error is one line naming the offending option or value.

Each generated command carries at least one bad value (an empty or odd name, a number that is not
finite or out of bounds, a malformed cueing or trajectory), so every case ends before any flight is
flown; the valid paths are exercised by the other CLI tests.
"""

import random

import pytest
from cli_helpers import run

NAMES = {"--missile": "Yars", "--from": "Teykovo", "--to": "Washington", "--interceptor": "SM-3 Block IIA",
         "--site": "Redzikowo"}
NUMBERS = {"--launch-delay": "30", "--rcs-m2": "0.1", "--shoot-look-shoot-s": "60", "--burnout-speed-km-s": "4.5"}
BAD_NAMES = ["", " ", "\t", "Yarz", "x" * 300, "12,abc", "91,0", "0,400", "None", "[]", "-1", "nan,nan"]
BAD_NUMBERS = ["nan", "inf", "-inf", "-1", "1e300", "-0.5", "abc", "", "1e-30", "99999"]
BAD_RULES = [("--cueing", v) for v in ("", "delay", "delay:", "delay:-5", "delay:nan", "own:3", "remot")] + \
            [("--trajectory", v) for v in ("", "loft", "lofted:", "lofted:apogee_km", "depressed:apogee_ratio=5",
                                           "lofted:apogee_ratio=nan", "minimum-energy:apogee_km=1")]


def _cases(seed: int, n: int):
    rng = random.Random(seed)
    for _ in range(n):
        command = rng.choice(["engage", "fly"])
        args = [command]
        options = dict(NAMES) if command == "engage" else {k: NAMES[k] for k in ("--missile", "--from", "--to")}
        if command == "engage":
            options.update(NUMBERS)
        bad_kind = rng.choice(["name", "number", "rule"] if command == "engage" else ["name", "rule"])
        if bad_kind == "name":
            key, value = rng.choice([k for k in options if k in NAMES]), rng.choice(BAD_NAMES)
        elif bad_kind == "number":
            key, value = rng.choice(list(NUMBERS)), rng.choice(BAD_NUMBERS)
        else:
            key, value = rng.choice(BAD_RULES)
            if command == "fly" and key == "--cueing":
                key, value = "--trajectory", "loftd"
        options[key] = value
        for option, text in options.items():
            args += [option, text]
        yield args, key, value


@pytest.mark.parametrize("args, key, value", list(_cases(seed=20261128, n=120)),
                         ids=[f"{k}={v!r}" for _, k, v in _cases(seed=20261128, n=120)])
def test_fuzzed_command_lines_end_in_one_clear_line(capsys, args, key, value):
    code, out, err = run(args, capsys)
    assert code in (0, None, 2), (args, err[-1000:])
    assert "Traceback" not in err and "nan" not in out.lower().split()
    if code == 2:
        assert err.count("\n") == 1 and err.startswith("error: "), err
        # the message names the offending option, or the value itself, or what it is for
        named = {key, key.lstrip("-"), key.lstrip("-").replace("-", "_"), value.strip(), "cueing", "trajectory",
                 "missile", "site", "interceptor", "aim point"}
        assert any(word and word in err for word in named), (key, value, err)
