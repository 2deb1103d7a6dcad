"""The small pieces every section of the report writes with: a value as text or "—" (:func:`fmt`),
numbered notes that say why a cell shows "—" (:class:`Notes`), tables, "How to read this" boxes and
folded details. Every text they are given as a value is escaped; cells and headers given to
:func:`html_table` are HTML already.
"""

from __future__ import annotations

import html
import math
import re

__all__ = ["DASH", "Notes", "details", "fmt", "howto", "html_table", "listing", "phase_label", "slug"]

DASH = "—"
MISSING_TEXT = {"", "nan", "-nan", "none", "null", "inf", "-inf", "+inf", "infinity", "-infinity"}  # shown as DASH


def fmt(value, spec: str = ",.0f", unit: str = "", *, signed: bool = False) -> str:
    """Plain text of a value, or ``DASH`` where no value applies.

    Numbers are formatted with ``spec`` (a format-spec, "+" prefixed when ``signed``) and
    ``unit`` after a space; None, NaN, infinities, empty strings and lists, and the words
    "nan", "None", "inf" give ``DASH``. Booleans are "yes"/"no"; lists are joined with ", ";
    other objects are shown with ``str``. A number that rounds to zero is never "-0".
    """
    if value is None:
        return DASH
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple, set, frozenset)):
        parts = [fmt(v, spec, unit, signed=signed) for v in value]
        parts = [p for p in parts if p != DASH]
        return ", ".join(parts) if parts else DASH
    number = None
    if isinstance(value, (int, float)):
        number = float(value)
    elif hasattr(value, "dtype") and getattr(value, "shape", None) == ():  # a NumPy scalar
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = None
    if number is not None:
        if not math.isfinite(number):
            return DASH
        text = format(number, ("+" if signed else "") + spec)
        if text[:1] in "+-" and not re.search(r"[1-9]", text):  # rounds to zero: no sign
            text = text[1:]
        return f"{text} {unit}" if unit else text
    text = str(value).strip()
    if text.lower() in MISSING_TEXT:
        return DASH
    return f"{text} {unit}" if unit else text


class Notes:
    """Numbered notes explaining why a cell shows "—"; one number per distinct reason."""

    def __init__(self):
        self.reasons: list[str] = []

    def mark(self, why: str) -> str:
        """HTML of a note mark (a superscript link) for ``why``."""
        if why not in self.reasons:
            self.reasons.append(why)
        n = self.reasons.index(why) + 1
        return f'<sup class="fn"><a href="#note-{n}" title="{html.escape(why)}">{n}</a></sup>'

    def cell(self, value, spec: str = ",.0f", unit: str = "", *, why: str, signed: bool = False) -> str:
        """HTML of a value (escaped), or "—" with a note mark saying ``why`` where none applies."""
        text = fmt(value, spec, unit, signed=signed)
        if text == DASH:
            return DASH + self.mark(why)
        return html.escape(text)

    def html(self) -> str:
        """The numbered list of reasons, each with the id its marks link to."""
        if not self.reasons:
            return '<p class="muted">No cell of this report is empty.</p>'
        items = "".join(f'<li id="note-{n}">{html.escape(r)}</li>' for n, r in enumerate(self.reasons, 1))
        return f"<ol>{items}</ol>"


def phase_label(phase) -> str:
    """"Phase 4 (cancelled 2013-03-15)" for a cancelled phase, else the name."""
    if getattr(phase, "cancelled", None):
        return f"{phase.name} (cancelled {phase.cancelled.isoformat()})"
    return phase.name


def slug(text: str) -> str:
    """``text`` as an element id or file name: lower-case letters and digits joined by "-"."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def listing(parts: list[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def html_table(header: list[str], rows: list[list[str]], numeric: set[int] = frozenset(), caption: str | None = None,
               group_rows: dict[int, str] | None = None) -> str:
    """A table; cells are HTML already (escaped by the caller); ``group_rows`` puts header rows before rows."""
    head = "".join(f'<th{" class=num" if i in numeric else ""}>{h}</th>' for i, h in enumerate(header))
    body = []
    for k, row in enumerate(rows):
        if group_rows and k in group_rows:
            body.append(f'<tr class="group"><th colspan="{len(header)}">{group_rows[k]}</th></tr>')
        body.append("<tr>" + "".join(f'<td{" class=num" if i in numeric else ""}>{c}</td>'
                                     for i, c in enumerate(row)) + "</tr>")
    cap = f"<caption>{caption}</caption>" if caption else ""
    # the table scrolls inside its wrapper, never the page; its first (key) column stays in view
    return (f'<div class="table-wrap"><table>{cap}<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody>'
            "</table></div>")


def howto(*paragraphs: str) -> str:
    """The "How to read this." box that opens a section; ``paragraphs`` are HTML."""
    return '<div class="howto"><strong>How to read this.</strong> ' + " ".join(paragraphs) + "</div>"


def details(summary: str, body: str, open_: bool = True) -> str:
    """``body`` folded under ``summary`` (both HTML), open unless ``open_`` is false."""
    return f"<details{' open' if open_ else ''}><summary>{summary}</summary>{body}</details>"
