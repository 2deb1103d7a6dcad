"""A side-by-side page of two assessments: both questions, phase by phase, and links to each report."""

from __future__ import annotations

import html
from pathlib import Path

from .markup import fmt

STYLE = ("body{font-family:Georgia,serif;max-width:70em;margin:2em auto;color:#222}"
         "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;padding:.3em .6em;"
         "font-family:sans-serif;font-size:.9em}th{background:#eef}td.n{text-align:right}"
         ".grid{display:grid;grid-template-columns:1fr 1fr;gap:2em}")


def _count(entry: dict, key: str) -> str:
    flights = entry[f"{key}_flights"]
    if not flights:
        return "—"
    text = f"{entry[f'{key}_engageable']} / {flights}"
    if entry.get(f"{key}_beyond_sector"):
        text += f" ({entry[f'{key}_beyond_sector']} only beyond sector)"
    return text


def write_comparison(columns: list[tuple[str, str, list[dict], dict]], out_dir: Path) -> Path:
    """``compare.html`` in ``out_dir``: for each (name, title, assess.summary rows, {basis: first
    phase with an engageable Russian flight or None}), the summary and a link to its report."""
    parts = []
    for name, title, summary, emergence in columns:
        rows = "".join(
            "<tr>" + "".join(f"<td{' class=n' if i > 1 else ''}>{html.escape(v)}</td>" for i, v in enumerate((
                e["phase"] + (f" (cancelled {e['cancelled']})" if e["cancelled"] else ""), e["date"],
                _count(e, "stated_architecture"), _count(e, "russian_architecture"), _count(e, "russian_bounding"),
                fmt(e["russian_bounding_best_margin_s"], ",.0f", " s", signed=True)))) + "</tr>"
            for e in summary)
        emerged = "".join(
            f"<li>{html.escape(basis)} cue: "
            f"{html.escape(first['phase'] + ' (' + first['date'] + ')') if first else 'none of the assessed phases'}</li>"
            for basis, first in emergence.items())
        parts.append(
            f"<section><h2>{html.escape(name)}</h2><p>{html.escape(title)}</p>"
            f"<p><a href='{html.escape(name)}/report.html'>full report</a></p>"
            "<table><tr><th>phase</th><th>date</th><th>Iranian flights engageable (architecture cue)</th>"
            "<th>Russian engageable (architecture cue)</th><th>Russian engageable (bounding cue)</th>"
            f"<th>best Russian margin (bounding cue)</th></tr>{rows}</table>"
            f"<p>First phase in which a Russian ICBM/SLBM bound for the US is engageable:</p><ul>{emerged}</ul>"
            "</section>")
    names = " and ".join(html.escape(c[0]) for c in columns)
    page = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>shieldcheck: {names}</title>"
            f"<style>{STYLE}</style></head><body><h1>shieldcheck: {names} side by side</h1>"
            "<p>Both questions, phase by phase: how many of the stated (Iranian) threat flights some site can "
            "engage, and how many Russian ICBM and SLBM flights bound for the US, under each scenario's own cueing "
            "and under the bounding cue (a fixed launch time after the threat's launch, whatever the sensors see). "
            "Physics-only feasibility; each full report states every assumption and source.</p>"
            f"<div class='grid'>{''.join(parts)}</div></body></html>")
    path = out_dir / "compare.html"
    path.write_text(page)
    return path
