"""One TOML reader (``tomlfile``) for scenarios and the catalog: every error names file and line."""

from __future__ import annotations

import re

import pytest

from shieldcheck import scenario, tomlfile
from shieldcheck.catalog import Catalog
from shieldcheck.errors import InputError


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def _break(path, old: str, new: str) -> int:
    """Replace the first ``old`` in ``path`` by ``new``; the line it is on."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return _line_of(text, old)


def test_a_syntax_error_in_a_scenario_file_names_file_and_line(tmp_path):
    text = scenario.BUILTIN.joinpath("epaa.toml").read_text(encoding="utf-8")
    first = next(l for l in text.splitlines() if l.startswith('name = "'))
    path = tmp_path / "mine.toml"
    path.write_text(text.replace(first, 'name = "unclosed', 1), encoding="utf-8")
    with pytest.raises(InputError, match=rf"mine\.toml:{_line_of(text, first)}: not valid TOML"):
        scenario.load(path)


def test_a_syntax_error_in_a_catalog_file_names_file_and_line(data_copy):
    line = _break(data_copy / "missiles.toml", "[[missile]]", "[[missile]")
    with pytest.raises(InputError, match=rf"missiles\.toml:{line}: not valid TOML"):
        Catalog(data_copy)


def test_a_bad_catalog_value_names_file_line_and_key(data_copy):
    path = data_copy / "sources.toml"
    text = path.read_text(encoding="utf-8")
    key = next(l for l in text.splitlines() if l.startswith("[source."))
    line = _line_of(text, key) + 1  # the first key of that source's table
    first = text.splitlines()[line - 1]
    name = first.partition("=")[0].strip()
    _break(path, first, f"{name} = 12")
    with pytest.raises(InputError, match=rf"sources\.toml:{line}: source\..*\.{name} = 12"):
        Catalog(data_copy)


def test_located_answers_the_nearest_line(tmp_path):
    path = tmp_path / "a.toml"
    path.write_text('[table]\nkey = 1\n\n[[rows]]\nx = [\n  1,\n  2,\n]\n', encoding="utf-8")
    raw, found = tomlfile.read(path)
    assert raw == {"table": {"key": 1}, "rows": [{"x": [1, 2]}]}
    assert found.where(("table", "key")) == f"{path}:2"
    assert found.line(("rows", 0, "x", 1)) == 7
    assert found.line(("rows", 0, "y")) == 4  # no such key: its table's line
    assert found.where(("nowhere",)) == str(path)


# ---- free text within its length bound (limits.TEXT_BOUNDS), checked as the file is read ----

@pytest.mark.parametrize("old, long_line, key, bound", [
    ('name = "test"', 'name = "{}"', "scenario.name", 200),
    ('description = "two phases, two sectors, one threat set"', 'description = "{}"', "scenario.description", 20_000),
    ('title = "A test scenario"', 'title = "{}"', "scenario.title", 2_000),
    ('name = "One"', 'name = "{}"', r"phase\[1\].name", 200),
    ('name = "One"', 'name = "One"\nnote = "{}"', r"phase\[1\].note", 20_000),
    ('site = "Deveselu"', 'site = "{}"', r"phase\[1\].site\[1\].site", 200),
    ('name = "Iran"', 'name = "{}"', r"threats\[1\].name", 200),
    ('launch_areas = ["Tabriz", "Semnan"]', 'launch_areas = ["Tabriz", "{}"]', r"threats\[1\].launch_areas\[2\]", 200),
    ('sources = ["MODEL"]', 'sources = ["{}"]', r"scenario.sources\[1\]", 200),
])
def test_free_text_of_a_scenario_is_refused_over_its_bound(tmp_path, old, long_line, key, bound):
    """A text one character over its bound is refused in one line naming file, line, key, the text cut, its
    length and the bound; at the bound it is read (and then refused, if at all, for what it says)."""
    from scenarios import MINIMAL

    assert old in MINIMAL
    line = _line_of(MINIMAL, old) + (1 if "\n" in long_line else 0)
    path = tmp_path / "long.toml"
    path.write_text(MINIMAL.replace(old, long_line.format("x" * (bound + 1)), 1), encoding="utf-8")
    with pytest.raises(InputError) as error:
        scenario.read(path)
    message = str(error.value)
    assert re.fullmatch(rf"{re.escape(str(path))}:{line}: {key} = 'x+'\.\.\. \({bound + 1:,} characters\) is too "
                        rf"long; allowed: at most {bound:,} characters", message), message
    path.write_text(MINIMAL.replace(old, long_line.format("x" * bound), 1), encoding="utf-8")
    try:
        scenario.read(path)
    except InputError as other:  # a name at the bound may be refused as unknown, never as too long
        assert "too long" not in str(other)


def test_a_million_character_name_is_refused_without_echoing_it(tmp_path):
    from scenarios import MINIMAL

    path = tmp_path / "huge.toml"
    path.write_text(MINIMAL.replace('name = "test"', f'name = "{"n" * 1_000_000}"', 1), encoding="utf-8")
    with pytest.raises(InputError) as error:
        scenario.read(path)
    message = str(error.value)
    assert len(message) < 250 and "\n" not in message and "(1,000,000 characters)" in message
    assert message.endswith("allowed: at most 200 characters")


def test_a_long_key_is_refused_as_a_name(tmp_path):
    from scenarios import MINIMAL

    path = tmp_path / "key.toml"
    path.write_text(MINIMAL.replace("[assumptions]\n", f'[assumptions]\n"{"k" * 201}" = 1\n', 1), encoding="utf-8")
    line = _line_of(MINIMAL, "[assumptions]") + 1
    with pytest.raises(InputError, match=rf"key\.toml:{line}: a key of assumptions = 'k+'\.\.\. \(201 characters\) is "
                                         r"too long; allowed: at most 200 characters$"):
        scenario.read(path)


def test_free_text_of_the_catalog_is_refused_over_its_bound(data_copy):
    text = (data_copy / "sources.toml").read_text(encoding="utf-8")
    citation = re.search(r'^citation = "([^"\n]*)"', text, re.M)
    assert citation, "sources.toml has a one-line citation"
    line = _break(data_copy / "sources.toml", citation.group(0), f'citation = "{"c" * 20_001}"')
    with pytest.raises(InputError, match=rf"sources\.toml:{line}: source\.\S+\.citation = 'c+'\.\.\. \(20,001 "
                                         r"characters\) is too long; allowed: at most 20,000 characters$"):
        Catalog(data_copy)


def test_a_long_alias_in_the_catalog_is_refused(data_copy):
    line = _break(data_copy / "missiles.toml", "aliases = [", f'aliases = ["{"a" * 201}", ')
    with pytest.raises(InputError, match=rf"missiles\.toml:{line}: missile\[\d+\]\.aliases\[1\] = 'a+'\.\.\. "
                                         r"\(201 characters\) is too long; allowed: at most 200 characters$"):
        Catalog(data_copy)
