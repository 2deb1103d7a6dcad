"""The style sheet every HTML page of the report package inlines: ``style.css`` beside this module,
shipped as package data and read once, so that a page opens offline with no file beside it."""

from __future__ import annotations

from importlib.resources import files

#: The text of ``style.css``, inlined in a ``<style>`` element by the report and the sweep summary.
STYLE_CSS = files(__package__).joinpath("style.css").read_text(encoding="utf-8")
