"""The report's figures as files and as embeds: each PNG is written to ``figures/`` beside the page,
numbered in the order the sections draw them, and embedded in the page as a base64 data URI, so that
the page opens offline and the files are there to reuse.
"""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path

from .markup import slug


class FigureFiles:
    """Names the figures of one report in ``folder``, embeds them, and removes those of an earlier one."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.written: list[Path] = []

    def path(self, stem: str) -> Path:
        """Where the next figure goes: ``folder/NN-stem.png``, NN the number it will have."""
        return self.folder / f"{len(self.written) + 1:02d}-{slug(stem)}.png"

    def embed(self, path: Path, alt: str, caption: str) -> str:
        """A ``<figure>`` holding the PNG at ``path``, with ``caption`` (HTML) and its file name."""
        self.written.append(path)
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        return (f'<figure><img src="data:image/png;base64,{data}" alt="{html.escape(alt)}">'
                f"<figcaption>{caption} <span class=\"muted\">(figures/{html.escape(path.name)})</span>"
                "</figcaption></figure>")

    def spark(self, path: Path, alt: str, caption: str) -> str:
        """A small figure beside an answer (class ``spark``: its caption shows only on a narrow screen)."""
        self.written.append(path)
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        return (f'<figure class="spark"><img src="data:image/png;base64,{data}" alt="{html.escape(alt)}">'
                f'<figcaption>{caption} <span class="muted">(figures/{html.escape(path.name)})</span>'
                "</figcaption></figure>")

    def tidy(self) -> None:
        """Remove PNGs of an earlier report that this one did not write."""
        keep = {p.name for p in self.written}
        for old in self.folder.glob("*.png"):
            if old.name not in keep and re.fullmatch(r"\d{2,}-[a-z0-9-]+\.png", old.name):
                old.unlink()
