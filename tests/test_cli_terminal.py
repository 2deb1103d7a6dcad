"""The command line in an 80-column terminal: --version, -h, help without type noise, tables whose key
columns (names, numbers) are never cut, sources shortened to keys (whole with --sources), and the
default route of ``fly --missile NAME``."""

import json
import re
from importlib import metadata

import pytest
from cli_helpers import run

from shieldcheck import catalog
from shieldcheck.cli import app

COMMANDS = [c.name or c.callback.__name__ for c in app.registered_commands]
WIDTH = 80  # the terminal every output must read in


@pytest.fixture(autouse=True)
def terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", str(WIDTH))


def fits(text: str) -> None:
    """Every line within the terminal, and nothing cut with an ellipsis."""
    for line in text.splitlines():
        assert len(line) <= WIDTH, line
    assert "…" not in text, [line for line in text.splitlines() if "…" in line]


def test_version_is_the_package_version(capsys):
    code, out, err = run(["--version"], capsys)
    assert code == 0, err
    assert out == f"shieldcheck {metadata.version('shieldcheck')}\n"


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_h_is_help_and_shows_no_type_noise(capsys, command):
    args = [command] if command else []
    code, short, err = run([*args, "-h"], capsys)
    assert code == 0, err
    code, long, err = run([*args, "--help"], capsys)
    assert short == long and "Usage: shieldcheck" in short
    fits(short)
    # typer's metavars (<bool>, <str>, <float>, BOOLEAN, TEXT) are noise: the help text says what to give
    assert not re.search(r"<(bool|str|float|int|path)>|\bBOOLEAN\b|\bTEXT\b|\bFLOAT\b|\bINTEGER\b", short), short
    for line in short.splitlines():  # a flag shows no type at all
        if re.match(r"│ (--json|--sources|--csv|--help|--version)\b", line):
            assert not re.search(r"\b(VALUE|NUMBER|PATH)\b", line), line


@pytest.mark.parametrize("kind, table, units", [
    ("missiles", "missiles", ["mass", "(t)", "range", "(km)"]),
    ("interceptors", "interceptors", ["burnout speed (km/s)", "intercept altitude (km)"]),
    ("sensors", "sensors", ["range", "(km)", "track", "(s)"]),
    ("sites", "sites", ["lat", "lon", "(°)"]),
    ("scenarios", None, ["flights"]),
    ("sources", None, ["key", "citation"]),
])
def test_catalog_tables_read_at_80_columns(capsys, kind, table, units):
    code, out, err = run(["catalog", kind], capsys)
    assert code == 0, err
    fits(out)
    for header in units:
        assert header in out
    cat = catalog.load()
    names = getattr(cat, table) if table else {}
    words = set(out.split())
    for name in names:  # every name whole: each of its words on the page, none cut
        assert set(name.split()) <= words, name
    if kind == "missiles":  # numbers whole, with thousands separators
        assert "15.4" in out and "1,300" in out and "14,800" in out


def test_catalog_sources_are_keys_unless_asked_in_full(capsys):
    """By default a table names each source by its key; --sources prints each citation whole: a
    citation with commas in it is not cut at its first comma."""
    cat = catalog.load()
    code, out, err = run(["catalog", "missiles"], capsys)
    assert code == 0, err
    assert "ACA02" in out and "Arms Control Association" not in out
    code, out, err = run(["catalog", "missiles", "--sources"], capsys)
    assert code == 0, err
    fits(out)
    whole = cat.citations(["ACA02"])[0]
    assert "," in whole
    assert "".join(whole.split()) in "".join(out.split())  # wrapped (a long link folds) but whole
    code, out, err = run(["catalog", "sources"], capsys)
    assert code == 0, err
    flat = " ".join(out.replace("│", " ").split())  # a citation wrapped onto the row's next lines reads on
    for key in ("LIT", "WIL12", "SAN15", "BP11", "ACA02"):
        assert f"│ {key} " in out
        assert " ".join(cat.sources[key].citation.split()[:6]) in flat


def test_fly_without_a_route_flies_a_stated_pair_within_reach(capsys):
    code, out, err = run(["fly", "--missile", "Shahab-3", "--json"], capsys)
    assert code == 0, err
    data = json.loads(out)
    route = data["route"]
    from shieldcheck import scenario

    threat_pairs = {(a, b) for t in scenario.load("epaa").threats for areas, missiles in t.launches()
                    if "Shahab-3" in missiles for a in areas for b in t.aim_points}
    assert (route["from"], route["to"]) in threat_pairs
    assert route["chosen"] in data["assumptions"]
    # within reach: the aiming hits the chosen aim point (under 1 km, as the README's fly examples;
    # the aiming's own tolerance is metres)
    assert data["impact_miss_km"] < 1.0
    code, out, err = run(["fly", "--missile", "Shahab-3"], capsys)
    assert code == 0, err
    fits(out)
    assert f"Shahab-3 from {route['from']} to {route['to']}" in out
    assert "Sources: ACA02" in out


def test_fly_without_a_route_and_no_threat_set_asks_for_one(capsys):
    code, out, err = run(["fly", "--missile", "Ghadr-1"], capsys)
    assert code == 2 and err.count("\n") == 1
    assert "give --from LAUNCH and --to AIM" in err and "Tabriz" in err and "Traceback" not in err


def test_engage_reads_at_80_columns_with_source_keys(capsys):
    code, out, err = run(["engage", "--missile", "Shahab-3", "--from", "Tabriz", "--to", "40.5,38",
                          "--interceptor", "SM-3 Block IA", "--site", "40.5,38", "--cueing", "delay:60"], capsys)
    assert code == 0, err
    fits(out)
    assert re.search(r"^feasible: ", out, re.M)
    assert "Sources: ACA02" in out
