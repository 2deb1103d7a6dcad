"""Every source a reader is shown resolves to an entry of catalog/data/sources.toml, and every document
an entry points to is in the repository: the keys of the catalog and scenario files (read here from
the raw TOML, not through the loader), the keys named in their notes, the sections of the literature
survey (LIT) they cite, and the sources of the command line's outputs."""

import json
import re
import tomllib
from pathlib import Path

import pytest
from cli_helpers import run

from shieldcheck import catalog, scenario

ROOT = Path(__file__).parents[1]
DATA = ROOT / "src" / "shieldcheck" / "catalog" / "data"
SCENARIOS = ROOT / "src" / "shieldcheck" / "scenarios"
FILES = sorted(p for p in [*DATA.glob("*.toml"), *SCENARIOS.glob("*.toml")] if p.name != "sources.toml")
SOURCES = tomllib.loads((DATA / "sources.toml").read_text())["source"]
# a key with a two-digit year (WIL12, ACA02, SAN15): how the notes name a document
KEY_IN_TEXT = re.compile(r"\b[A-Z][A-Z_]*[A-Z]\d{2}[A-Z]?\b")
LIT_SECTIONS = re.compile(r"\bLIT,? (?:sections?|§)\s*(\d+)(?:\s*(?:and|,)\s*(\d+))?")


def _walk(node, path=()):
    """(path, key, value) of every table entry of a parsed TOML document."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield path, key, value
            yield from _walk(value, path + (key,))
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _walk(item, path + (i,))


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_every_cited_key_is_an_entry(path):
    cited = []
    for where, key, value in _walk(tomllib.loads(path.read_text())):
        if key == "source" and isinstance(value, str):
            cited.append((where, value))
        elif key in ("sources", "spread_sources") and isinstance(value, list):
            cited += [(where, v) for v in value]
        elif key in ("note", "derivation", "summary", "description", "basis") and isinstance(value, str):
            cited += [(where, k) for k in KEY_IN_TEXT.findall(value)]
    assert cited or path.name in ("drag.toml",)
    missing = [(where, key) for where, key in cited if key not in SOURCES]
    assert not missing, missing


def test_entries_point_to_files_in_the_repository():
    pointed = {key: entry["file"] for key, entry in SOURCES.items() if "file" in entry}
    assert pointed.get("LIT") == "docs/literature.md"
    for key, name in pointed.items():
        assert (ROOT / name).is_file(), (key, name)
        assert name in SOURCES[key]["citation"], key  # the citation says where the document is
    for key, entry in SOURCES.items():
        assert "shared/reference" not in entry["citation"], key  # a path outside the repository


def test_lit_sections_cited_exist_in_the_shipped_survey():
    headings = set(re.findall(r"^## (\d+)[a-z]?\.", (ROOT / "docs" / "literature.md").read_text(), re.M))
    texts = [p.read_text() for p in [*FILES, DATA / "sources.toml", *(ROOT / "docs").glob("*.md"), ROOT / "README.md"]]
    cited = {n for text in texts for pair in LIT_SECTIONS.findall(text) for n in pair if n}
    assert {"2", "3", "5", "6", "9", "10"} <= cited  # what the catalog and scenarios cite today
    assert cited <= headings, cited - headings


def test_scenario_citations_resolve():
    """The report's sources section lists the scenario's keys, then those of the catalog records it
    uses (checked above); each built-in scenario's keys are entries."""
    for name in scenario.builtin_names():
        keys = scenario.load(name).source_keys()
        assert keys and set(keys) <= set(SOURCES), name


def _sources_of(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "sources":
                yield from value
            else:
                yield from _sources_of(value)
    elif isinstance(node, list):
        for item in node:
            yield from _sources_of(item)


@pytest.mark.parametrize("args", [
    ("catalog", "missiles", "--json"), ("catalog", "interceptors", "--json"), ("catalog", "sensors", "--json"),
    ("catalog", "sites", "--json"), ("catalog", "scenarios", "--json"),
    ("fly", "--burnout", "40,50,200,6.5,30,315", "--json"),
])
def test_output_sources_resolve_to_keys(capsys, args):
    """Each citation an output gives is the full text of one sources.toml entry (the way back to its key)."""
    code, out, err = run(list(args), capsys)
    assert code == 0, err
    data = json.loads(out)
    cited = list(_sources_of(data))
    assert cited
    cat = catalog.load()
    keys = [cat.source_key(text) for text in cited]
    assert set(keys) <= set(SOURCES)
    for entry in data if isinstance(data, list) else [data]:  # the keys an output states are those entries'
        assert entry["source_keys"] == [cat.source_key(text) for text in entry["sources"]]


def test_catalog_sources_lists_every_entry(capsys):
    code, out, err = run(["catalog", "sources", "--json"], capsys)
    assert code == 0, err
    entries = json.loads(out)
    assert {e["key"] for e in entries} == set(SOURCES)
    lit = next(e for e in entries if e["key"] == "LIT")
    assert lit["file"] == "docs/literature.md"
