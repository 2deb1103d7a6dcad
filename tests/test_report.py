"""The HTML assessment report: self-contained, no NaN/None/inf, every phase, every figure a PNG.

A small scenario (two phases, one cancelled, a sector, a bounding cue; four Iranian flights of
which two are beyond the missiles' reach, two Russian flights) is assessed once per module and
written as a report.
"""

import base64
import html as html_mod
import math
import re
from pathlib import Path

import numpy as np
import pytest
import scenarios

from shieldcheck import assess
from shieldcheck.report.html import DASH, Notes, fmt, write_report

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    chosen = scenarios.load(folder, scenarios.REPORT, "report-test.toml")
    assessment = assess.assess(chosen, work_dir=folder / "work")
    out = folder / "out"
    written = write_report(assessment, out)
    return assessment, out, written, written.read_text(encoding="utf-8")


def _visible_text(page: str) -> str:
    """The page's text as a reader sees it: no data URIs, no style sheet, no tags, entities decoded."""
    page = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", page)
    page = re.sub(r"<style>.*?</style>", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    return html_mod.unescape(page)


# --- the formatting helper -----------------------------------------------------------------------

@pytest.mark.parametrize("value", [None, math.nan, math.inf, -math.inf, np.nan, np.float64("inf"), "", "  ",
                                   "nan", "NaN", "None", "inf", "-inf", [], (None, math.nan)])
def test_fmt_gives_a_dash_where_no_value_applies(value):
    assert fmt(value) == DASH
    assert fmt(value, ",.1f", "s", signed=True) == DASH


def test_fmt_formats_numbers_units_and_signs():
    assert fmt(1234.4) == "1,234"
    assert fmt(65.6, ",.0f", "s", signed=True) == "+66 s"
    assert fmt(-14.2, ",.0f", "s", signed=True) == "-14 s"
    assert fmt(-0.2, ",.0f", "s", signed=True) == "0 s"  # never "-0"
    assert fmt(-0.2) == "0"
    assert fmt(np.float64(2.5), ".1f", "km") == "2.5 km"
    assert fmt(np.int64(24)) == "24"
    assert fmt(True) == "yes" and fmt(False) == "no"
    assert fmt("remote") == "remote"
    assert fmt(["a", None, "b"]) == "a, b"
    assert fmt(0.1, ",.2g", "m²") == "0.1 m²"


def test_notes_number_each_reason_once_and_escape_it():
    notes = Notes()
    first = notes.cell(None, why="not <published>")
    again = notes.cell(math.nan, ",.0f", "s", why="not <published>")
    other = notes.cell(math.inf, why="another reason")
    assert first.startswith(DASH) and 'href="#note-1"' in first
    assert again == first
    assert 'href="#note-2"' in other
    assert notes.cell(3.0, ",.1f", "km", why="unused") == "3.0 km"
    assert notes.cell("a < b", why="unused") == "a &lt; b"
    listing = notes.html()
    assert 'id="note-1"' in listing and "not &lt;published&gt;" in listing and 'id="note-3"' not in listing


# --- the report ------------------------------------------------------------------------------------

@pytest.mark.slow
def test_report_is_written_where_asked(report):
    _, out, written, page = report
    assert written == out / "report.html" and written.is_file()
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")


@pytest.mark.slow
def test_report_never_prints_nan_none_or_inf(report):
    text = _visible_text(report[3])
    assert not re.findall(r"\b(nan|NaN|NAN|None|inf|Inf|Infinity|null)\b", text)


@pytest.mark.slow
def test_report_is_self_contained(report):
    page = report[3]
    assert "<script" not in page.lower()
    assert "<link" not in page.lower()
    assert "@import" not in page and "url(" not in page
    for tag in re.findall(r"<(?:img|source|iframe|embed|object|audio|video)\b[^>]*>", page, flags=re.I):
        assert re.search(r'src="data:image/png;base64,', tag), tag[:120]
    # remote addresses only as plain links to cited sources
    for match in re.finditer(r'(src|href)="(https?:)?//', page):
        assert match.group(1) == "href"


@pytest.mark.slow
def test_report_embeds_every_figure_as_a_png(report):
    _, out, _, page = report
    files = sorted((out / "figures").glob("*.png"))
    assert files, "no figures written"
    for path in files:
        assert path.read_bytes()[:8] == PNG_MAGIC
    embedded = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    assert len(embedded) == len(files)
    written = {path.read_bytes() for path in files}
    for data in embedded:
        image = base64.b64decode(data)
        assert image[:8] == PNG_MAGIC
        assert image in written
    for path in files:
        assert f"figures/{path.name}" in page


@pytest.mark.slow
def test_report_covers_every_phase_and_answers_the_questions(report):
    assessment, _, _, page = report
    text = _visible_text(page)
    for phase in assessment.scenario.phases:
        assert phase.name in text
    assert "Phase B (cancelled 2013-03-15)" in text
    assert 'id="emergence"' in page
    sentences = re.findall(r"Under [^.]*?first becomes engageable in [^.]*", text)
    assert len(sentences) == 2, sentences  # architecture cueing and the bounding cue
    assert all("none of the assessed phases" in s or "Phase A" in s or "Phase B" in s for s in sentences)
    for heading in ("Summary", "Stated purpose", "Russian concern", "Timelines", "Flights not flown",
                    "Assumptions", "Sources", "How to read this"):
        assert heading in text
    # a flight beyond reach, with its reason and its number
    assert re.search(r"beyond the reach of (Khorramshahr|Sejjil-2): its maximum range .* is [\d,]+ km", text)
    assert "bounding_cueing" in text and "delay:105" in text
    assert "physics-only" in text


@pytest.mark.slow
def test_report_escapes_scenario_text(report):
    page = report[3]
    assert "&lt;b&gt;markup&lt;/b&gt; &amp; an ampersand" in page
    assert "<b>markup</b>" not in page
    assert "Report test &lt;small&gt; &amp; scenario" in page


@pytest.mark.slow
def test_report_replaces_stale_figures(report, tmp_path):
    assessment, *_ = report
    stale = tmp_path / "figures" / "99-old-figure.png"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(PNG_MAGIC)
    keep = tmp_path / "figures" / "my-own.png"
    keep.write_bytes(PNG_MAGIC)
    write_report(assessment, tmp_path)
    assert not stale.exists() and keep.exists()


@pytest.mark.slow
def test_contents_list_every_section_in_the_order_written(report):
    # the contents are made from the table in report/html.py; each section writes its own element id
    page = report[3]
    nav = re.search(r"<nav><ol>(.*?)</ol></nav>", page, re.S).group(1)
    listed = re.findall(r'<li><a href="#([^"]+)">', nav)
    written = re.findall(r'<section id="([^"]+)">', page)
    assert listed == written, (listed, written)
    assert len(listed) == len(set(listed)) and "evasive" not in listed  # no glide vehicle: nothing to list


@pytest.mark.slow
def test_the_style_sheet_is_the_packaged_file(report):
    import tomllib
    from fnmatch import fnmatch
    from importlib.resources import files

    css = files("shieldcheck.report").joinpath("style.css").read_text(encoding="utf-8")
    assert "table-wrap" in css and "@media print" in css
    assert re.search(r"<style>(.*?)</style>", report[3], re.S).group(1) == css
    # a wheel carries it: the package data of pyproject.toml names it
    pyproject = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    shipped = pyproject["tool"]["setuptools"]["package-data"]["shieldcheck"]
    assert any(fnmatch("report/style.css", pattern) for pattern in shipped), shipped
