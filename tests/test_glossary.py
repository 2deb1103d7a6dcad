"""docs/glossary.md quotes the verdicts' definitions from the one place they are decided
(``shieldcheck.verdicts.TABLE``), in rank order; a definition edited in one place and not the other fails
here. It also defines every word the issue of record names as the outputs' vocabulary."""

from __future__ import annotations

import re
from pathlib import Path

from shieldcheck import verdicts

GLOSSARY = Path(__file__).resolve().parents[1] / "docs" / "glossary.md"


def verdict_block() -> list[str]:
    text = GLOSSARY.read_text()
    found = re.search(r"<!-- verdicts:[^>]*-->\n(.*?)<!-- /verdicts -->", text, re.S)
    assert found, "docs/glossary.md has lost its verdicts block"
    return [line for line in found.group(1).splitlines() if line.strip()]


def test_the_verdicts_are_quoted_from_the_table_in_rank_order():
    expected = [f"- **{row.name}** (shown as *{row.words}*): {row.definition}"
                for row in sorted(verdicts.TABLE.values(), key=lambda row: row.rank)]
    assert verdict_block() == expected


def test_the_outputs_vocabulary_is_defined():
    text = GLOSSARY.read_text()
    terms = re.findall(r"^\*\*([^*]+)\*\*", text, re.M)
    defined = " ".join(terms).lower()
    for word in ("cue basis", "bounding cue", "margin", "window", "endgame", "flyable", "engageable", "purpose",
                 "emergence", "speed limit", "cue limit", "stated share", "flight phase", "shots"):
        assert word in defined, f"docs/glossary.md defines no {word!r}"
