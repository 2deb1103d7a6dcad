"""One TOML reader (``tomlfile``) for scenarios and the catalog: every error names file and line."""

from __future__ import annotations

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
