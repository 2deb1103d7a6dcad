"""Every input bound in one table and the one wording of a refused input (``shieldcheck.limits``).

Each bound of ``limits.BOUNDS`` refuses a value just below and just above it (and NaN, the infinities,
text and bools) with ``<field> = <value> is outside <low> to <high> <unit>``, and takes its ends and its
middle; every module that refuses a choice says ``<field>: <value> is not an allowed choice; allowed:
...``, which a scan of the package's source keeps so (a new hand-made wording fails it); the explorer's
what-if, the scenario file, the sweep and the Python API refuse the same value in the same words.
"""

from __future__ import annotations

import ast
import math
import re
from pathlib import Path

import pytest

from shieldcheck import limits
from shieldcheck.errors import InputError

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "shieldcheck"
OUTSIDE = re.compile(r"^(?P<field>.+) = (?P<value>.+) is outside (?P<range>.+)$")
CHOICE = re.compile(r"^(?P<field>.+): (?P<value>.+) is not an allowed choice; allowed: (?P<allowed>.+)$")


def _step(bound: limits.Bound) -> float:
    """A step off an end that stays a whole number where the bound takes whole numbers only."""
    return 1.0 if bound.whole else max(1e-6, 1e-3 * (bound.high - bound.low))


def _outside(bound: limits.Bound) -> list[float]:
    """The nearest refused values below and above (the end itself where it is excluded)."""
    below = bound.low if bound.low_excluded else bound.low - _step(bound)
    above = bound.high if bound.high_excluded else bound.high + _step(bound)
    return [below, above]


def _inside(bound: limits.Bound) -> list[float]:
    middle = (bound.low + bound.high) / 2
    values = [float(math.floor(middle)) if bound.whole else middle]
    values += [] if bound.low_excluded else [bound.low]
    values += [] if bound.high_excluded else [bound.high]
    return values


@pytest.mark.parametrize("name", sorted(limits.BOUNDS))
def test_every_bound_refuses_below_and_above_in_the_one_wording(name):
    bound = limits.bound(name)
    assert bound.name == name and bound.low < bound.high and bound.why and math.isfinite(bound.high)
    for value in _outside(bound):
        with pytest.raises(InputError) as error:
            limits.check(name, value, f"the {name}")
        assert str(error.value) == f"the {name} = {value!r} is outside {bound.words}"
        assert OUTSIDE.match(str(error.value))
    for value in (math.nan, math.inf, -math.inf):
        with pytest.raises(InputError, match=rf"^{re.escape(name)} = {value!r} is outside "):
            limits.check(name, value)
    for value in ("5", None, True, [1.0]):
        with pytest.raises(InputError, match=rf"^{re.escape(name)} = .* is not a number; allowed: "):
            limits.check(name, value)
    for value in _inside(bound):
        assert limits.check(name, value) == value
    if bound.whole:
        with pytest.raises(InputError, match="is not a whole number"):
            limits.check(name, bound.low + 0.5)


def test_the_words_of_a_range():
    assert limits.bound("burnout_speed_km_s").words == "0.5 to 12 km/s"
    assert limits.bound("dispersal_km").words == "0 (excluded) to 1,000 km"
    assert limits.bound("burnout_angle_deg").words == "0 (excluded) to 90 (excluded) deg"
    assert limits.bound("single_shot_pk").words == "0 to 1"


def test_served_as_json():
    table = limits.as_json()
    assert [row["name"] for row in table] == list(limits.BOUNDS)
    speed = next(row for row in table if row["name"] == "burnout_speed_km_s")
    assert (speed["low"], speed["high"], speed["unit"]) == (0.5, 12.0, "km/s") and speed["why"]


# ---- the one wording of a refused choice ----

def test_a_choice_refused_names_the_field_the_value_the_choices_and_the_closest():
    error = limits.not_allowed("endgame", "kinetic", ("kinematic", "none"))
    assert str(error) == "endgame: 'kinetic' is not an allowed choice; allowed: kinematic, none. Did you mean 'kinematic'?"
    assert limits.choose("endgame", "none", ("kinematic", "none")) == "none"
    assert limits.choose("site", "tabriz ", ("Tabriz",), fold=True) == "Tabriz"
    with pytest.raises(InputError, match=r"^endgame: 42 is not an allowed choice; allowed: kinematic, none$"):
        limits.choose("endgame", 42, ("kinematic", "none"))


def test_a_long_value_is_cut_and_its_length_said():
    name = "x" * 100_000
    message = str(limits.not_allowed("missile", name, ("Yars",)))
    assert len(message) < 200 and "(100,000 characters)" in message and "\n" not in message
    assert CHOICE.match(message)
    outside = str(limits.bound("rcs_m2").message("9" * 50_000))
    assert len(outside) < 200 and "(50,000 characters)" in outside


def test_a_long_list_of_choices_is_cut_and_counted():
    choices = [f"site-{k}" for k in range(500)]
    message = str(limits.not_allowed("site", "nowhere", choices, see="`shieldcheck catalog sites`"))
    assert message.count("site-") == limits.LISTED_CHOICES and "... (500 in all)" in message
    assert message.endswith("(see `shieldcheck catalog sites`)")


def _refusals():
    """(what, a call refusing a choice) over the modules that refuse one."""
    from shieldcheck import aiming, catalog, earth, engine, footprint, geography, sampling, scenario
    from shieldcheck.attrition import Doctrine
    from shieldcheck.endgame import Endgame, for_interceptor
    from shieldcheck.engagement import Cueing, endgame_of, flight_phase_code
    from shieldcheck.engine import pack
    from shieldcheck.flight import atmosphere_name, programme_code

    return {
        "catalog missile": lambda: catalog.missile("Shahab-4"),
        "catalog site": lambda: catalog.site("Teykovp"),
        "catalog interceptor": lambda: catalog.interceptor("SM-4"),
        "catalog sensor": lambda: catalog.sensor("TPY-3"),
        "cueing": lambda: Cueing.parse("soon"),
        "flight phase": lambda: flight_phase_code("coast"),
        "endgame (engagement)": lambda: endgame_of("tail", None),
        "endgame (model)": lambda: Endgame("magic"),
        "endgame (interceptor)": lambda: for_interceptor("SM-3 Block IIA", "magic"),
        "earth": lambda: earth.earth_model("flat"),
        "atmosphere": lambda: atmosphere_name("ussa1962"),
        "programme": lambda: programme_code("spiral"),
        "glide law": lambda: pack.glide_law_code("constant-lift-drag"),
        "device": lambda: engine.batch("fly_batch", "tpu"),
        "trajectory": lambda: aiming.TrajectoryShape.parse("lofed"),
        "trajectory shape": lambda: aiming.TrajectoryShape.parse("lofted:apogee=3"),
        "region": lambda: footprint.region("mars"),
        "country": lambda: geography.sector("test", ["Polnad"]),
        "scenario": lambda: scenario.load("epa"),
        "phase": lambda: scenario.load("epaa").phase("Phase 9"),
        "threat set": lambda: scenario.load("epaa").threat("nope"),
        "sweep table": lambda: sampling.ParameterPath.parse("interceptr.x.y"),
        "sweep method": lambda: sampling.cases({}, method="sobol"),
        "shot doctrine": lambda: Doctrine.parse("shoot-look-shot"),
    }


@pytest.mark.parametrize("what", sorted(_refusals()))
def test_every_module_refuses_a_choice_in_the_one_wording(what):
    with pytest.raises(InputError) as error:
        _refusals()[what]()
    message = str(error.value)
    assert CHOICE.match(message), message
    assert "\n" not in message


# ---- a scan of the package: no other wording of a refused choice ----

# Wordings of a refused choice other than the one (each a regular expression over the package's string
# literals, docstrings left out), and the call that only limits.py may make.
OTHER_WORDINGS = {
    "is not known": r"is not (a |an )?known",
    "unknown NAME": r"\bunknown (?!key )(\{|[a-z]+ \{)",
    "is not a NAME": r"is not an? [a-z -]*(model|phase|rule|trajectory|table|site|field)\b",
    "has no NAME": r"has no (phase|threat set) \{",
    "a hand-made list of choices": r"(allowed|allowed here|sites|phases|numbers|fields|columns|threat sets): \{', '\.join\(",
    "a hand-made list of choices (+)": r"allowed: \" \+ \", \"\.join",
}
# Places that still word a choice their own way, as (path prefix under src/shieldcheck, wording): reason.
# Any other place fails, and so does an entry here that no longer matches anything (delete it).
ALLOWED = {
    ("scenario.py", "did_you_mean"): "a misspelt key of a scenario file ('unknown key'): a key, not a value's choice",
    ("scenario.py", "a hand-made list of choices"): "the keys allowed where a misspelt key stands (not a value)",
}


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _scan(source: str) -> list[tuple[str, int]]:
    """(wording, line) of every other wording of a refused choice in a module's source."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    lines = [line.encode() for line in source.splitlines(keepends=True)]  # offsets are UTF-8 bytes

    def segment(node) -> str:  # ast.get_source_segment, without splitting the source again for each node
        first, last = node.lineno - 1, node.end_lineno - 1
        if first == last:
            return lines[first][node.col_offset:node.end_col_offset].decode()
        return b"".join([lines[first][node.col_offset:], *lines[first + 1:last],
                         lines[last][:node.end_col_offset]]).decode()

    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "did_you_mean":
            found.append(("did_you_mean", node.lineno))
        elif isinstance(node, (ast.JoinedStr, ast.Constant)) and id(node) not in skip:
            if isinstance(node, ast.Constant) and not isinstance(node.value, str):
                continue
            text = segment(node)
            found += [(name, node.lineno) for name, pattern in OTHER_WORDINGS.items() if re.search(pattern, text)]
    return found


def _findings() -> list[tuple[str, str, int]]:
    """(path under src/shieldcheck, wording, line) of every other wording of a refused choice in the package."""
    found = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        where = path.relative_to(PACKAGE).as_posix()
        if where not in ("limits.py", "errors.py"):
            found |= {(where, name, line) for name, line in _scan(path.read_text())}
    return sorted(found)


@pytest.mark.slow
def test_no_other_wording_of_a_refused_choice():
    findings = _findings()
    problems = [f"src/shieldcheck/{where}:{line}: {wording}: use limits.not_allowed or limits.choose"
                for where, wording, line in findings
                if not any(where.startswith(prefix) and wording == name for prefix, name in ALLOWED)]
    stale = [key for key in ALLOWED if not any(w.startswith(key[0]) and n == key[1] for w, n, _ in findings)]
    problems += [f"ALLOWED lists {key}, which no longer matches anything: delete the entry" for key in stale]
    assert not problems, "\n".join(problems)


def test_the_scan_sees_a_new_copy():
    """The scan itself: a module wording a choice its own way is found, each wording on its line; a
    docstring saying the same words is not a refusal."""
    source = ('def pick(name):\n    """A docstring: what is not known is refused."""\n'
              '    if name not in COLOURS:\n'
              '        raise InputError(f"colour {name!r} is not known{did_you_mean(name, COLOURS)}; "\n'
              '                         f"allowed: {\', \'.join(COLOURS)}")\n'
              '    raise InputError(f"unknown shade {name!r}; is not a colour model")\n')
    assert set(_scan(source)) == {("a hand-made list of choices", 4), ("did_you_mean", 4), ("is not known", 4),
                                  ("is not a NAME", 6), ("unknown NAME", 6)}
    assert _scan('raise InputError(f"{where}: {limits.not_allowed(\'x\', x, XS)}")\n') == []


# ---- the same bound, the same words, everywhere ----

def test_the_whatif_refuses_13_km_s_in_the_words_of_the_command_line():
    """The command line's ``engage --burnout-speed-km-s 13`` and the explorer's what-if refuse the same
    value against the same bound, in the same words (the field named as each names it)."""
    from pydantic import ValidationError

    from shieldcheck.explorer.whatif import WhatIf

    with pytest.raises(ValidationError) as error:
        WhatIf(result="r", phase="p", burnout_speed_km_s=13.0)
    refused = error.value.errors()[0]["ctx"]["error"]
    assert str(refused) == "burnout_speed_km_s = 13.0 is outside 0.5 to 12 km/s"
    with pytest.raises(InputError) as cli:
        limits.check("burnout_speed_km_s", 13.0, "--burnout-speed-km-s")
    assert str(cli.value) == "--burnout-speed-km-s = 13.0 is outside 0.5 to 12 km/s"
    assert str(refused).split(" = ", 1)[1] == str(cli.value).split(" = ", 1)[1]
    for value in (0.4, math.nan, math.inf):
        with pytest.raises(ValidationError, match="burnout_speed_km_s = .* is outside 0.5 to 12 km/s"):
            WhatIf(result="r", phase="p", burnout_speed_km_s=value)
    assert WhatIf(result="r", phase="p", burnout_speed_km_s=0.5).burnout_speed_km_s == 0.5  # was refused: > 0 only


def test_the_sweep_and_the_scenario_use_the_same_bounds(tmp_path):
    from shieldcheck import scenario, sweep

    chosen = scenario.load("epaa")
    with pytest.raises(InputError, match=r"--vary interceptor.SM-3 Block IIA.burnout_speed_km_s = 13.0 is outside "
                                         r"0.5 to 12 km/s"):
        sweep.plan(chosen, ['interceptor."SM-3 Block IIA".burnout_speed_km_s=4,13'])
    with pytest.raises(InputError, match=r"--vary assumptions.launch_delay_s = 5000.0 is outside 0 to 3,600 s"):
        sweep.plan(chosen, ["assumptions.launch_delay_s=0,5000"])
    text = scenario.BUILTIN.joinpath("epaa.toml").read_text()
    assert "launch_delay_s = { value = 0.0," in text
    path = tmp_path / "late.toml"
    line = next(x for x in text.splitlines() if x.startswith("launch_delay_s = { value = 0.0,"))
    late = line.replace("value = 0.0,", "value = 5000.0,").replace("high = 120.0,", "high = 6000.0,")
    path.write_text(text.replace(line, late))
    (tmp_path / "threats.toml").write_text(scenario.BUILTIN.joinpath("threats.toml").read_text())
    with pytest.raises(InputError, match=r"late.toml:\d+: assumptions.launch_delay_s.value = 5000.0 is outside 0 to "
                                         r"3,600 s$"):
        scenario.read(path)


def test_the_python_api_uses_the_same_bounds():
    from shieldcheck import guarantee, launch_areas, scenario
    from shieldcheck.engagement import Cueing
    from shieldcheck.footprint import grid

    with pytest.raises(InputError, match=r"^cueing 'delay:9000': delay = 9000.0 is outside 0 to 7,200 s$"):
        Cueing.parse("delay:9000")
    with pytest.raises(InputError, match=r"^grid_km = 0.5 is outside 1 to 2,000 km$"):
        grid("europe", 0.5)
    with pytest.raises(InputError, match=r"^radius_km = 5000 is outside 0 \(excluded\) to 1,000 km$"):
        launch_areas.check_radius_km(5000, "radius_km")
    with pytest.raises(InputError, match=r"^speeds_km_s = 13.0 is outside 0.5 to 12 km/s$"):
        guarantee.guarantee(scenario.load("epaa"), speeds_km_s=[4.0, 13.0])


def test_a_long_path_is_cut_in_its_middle_keeping_the_file_name():
    short = "/data/out/results.parquet"
    assert limits.shown_path(short) == short
    long = "/data/" + "d" * 5000 + "/results.parquet"
    shown = limits.shown_path(long)
    assert len(shown) <= limits.SHOWN_PATH_CHARS and shown.startswith("/data/ddd")
    assert shown.endswith(f"ddd/results.parquet ({len(long):,} characters)")


# ---- the bounds on free text ----

def test_every_text_bound_states_the_length_of_what_it_refuses():
    """A refused text is cut with its length stated (every bound is longer than what ``shown`` keeps),
    every kind has a reason, and no key is claimed by two kinds."""
    keys = [key for row in limits.TEXT_BOUNDS.values() for key in row.keys]
    assert len(keys) == len(set(keys)) and limits.NAME_TEXT in limits.TEXT_BOUNDS
    for row in limits.TEXT_BOUNDS.values():
        assert row.max_chars > limits.SHOWN_CHARS and row.why
        text = "t" * (row.max_chars + 1)
        with pytest.raises(InputError) as error:
            limits.check_text(row.keys[0] if row.keys else "name", text, "where.it.is")
        assert str(error.value) == (f"where.it.is = {text[:limits.SHOWN_CHARS - 12]!r}... ({row.max_chars + 1:,} "
                                    f"characters) is too long; allowed: at most {row.max_chars:,} characters")
        assert limits.check_text(row.keys[0] if row.keys else None, text[:-1], "x") == text[:-1]


def test_a_string_under_an_unlisted_key_is_a_name():
    assert limits.text_bound("site") is limits.text_bound(None) is limits.TEXT_BOUNDS[limits.NAME_TEXT]
    assert limits.text_bound("note").max_chars > limits.text_bound("title").max_chars > limits.text_bound("name").max_chars


def test_the_shipped_data_is_within_the_text_bounds():
    """Every shipped catalog file and built-in scenario reads (each string checked as it is read), with room:
    the longest string of each kind is at most 40 % of its bound."""
    import tomllib

    from shieldcheck import catalog, scenario

    files = sorted(Path(str(catalog.DATA)).glob("*.toml")) + sorted(Path(str(scenario.BUILTIN)).glob("*.toml"))
    longest: dict[str, int] = {}

    def walk(item, key):
        if isinstance(item, dict):
            for k, v in item.items():
                longest[limits.NAME_TEXT] = max(longest.get(limits.NAME_TEXT, 0), len(k))
                walk(v, k)
        elif isinstance(item, list):
            for v in item:
                walk(v, key)
        elif isinstance(item, str):
            kind = limits.text_bound(key).name
            longest[kind] = max(longest.get(kind, 0), len(item))

    for path in files:
        walk(tomllib.loads(path.read_text(encoding="utf-8")), None)
    assert set(longest) == set(limits.TEXT_BOUNDS)
    for kind, n in longest.items():
        assert n <= 0.4 * limits.TEXT_BOUNDS[kind].max_chars, (kind, n)
    catalog.Catalog(catalog.DATA)
    for name in scenario.builtin_names():
        scenario.load(name)
