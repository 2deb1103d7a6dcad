"""Which kind of output a folder holds: one kind per folder.

Every command that writes an output folder (``assess``, ``sweep``, ``footprint``, ``guarantee``,
``compare``, ``space``, ``engage``) claims it for its kind before any work (:func:`claim`): the folder
gets the marker file :data:`MARKER`, which names the kind, and a folder that holds another kind of
output is refused in one line naming the folder, the kind it holds and the kind asked. So a sweep's
rows never land beside an assessment's, and ``query`` says which kind it read (:func:`kind_of`).

A folder written before the marker existed is known by the files only its kind writes
(:data:`SIGNS`); a folder that holds nothing but the marker and the run's lock holds nothing yet (a
refused run's leftover) and may be claimed by any kind.

Layer L0: imports only the standard library, :mod:`shieldcheck.atomic` and :mod:`shieldcheck.errors`.
"""

from __future__ import annotations

from pathlib import Path

from . import atomic
from .errors import InputError

#: Each kind of output folder, by the command that writes it, in words
KINDS = {"assess": "assessment results", "sweep": "sweep results", "footprint": "a footprint",
         "guarantee": "speed and cue limits", "compare": "a comparison of two scenarios",
         "space": "a space-based interceptor study", "engage": "a single engagement"}
MARKER = ".shieldcheck-kind"  # the file naming the kind of a folder's output (the command's name and a newline)
LOCK = ".shieldcheck.lock"  # the advisory lock a run holds on its output folder (api.folders.exclusive)
PROBE = ".shieldcheck-write-test"  # the file an output folder's check writes and removes
# Files only one kind writes, first match wins: how a folder written before MARKER is known (a sweep first:
# an assessment folder swept into before kinds were checked answers as the sweep it was read as)
SIGNS = {"sweep": ("manifest.json", "cases.parquet"), "assess": ("results.parquet", "report.html", "attrition.json"),
         "compare": ("compare.json", "compare.html"), "guarantee": ("guarantee.json", "guarantee.png"),
         "footprint": ("footprint.json", "footprint.parquet", "footprint.png"),
         "space": ("space-study.json",), "engage": ("engage.json", "battlespace.png")}
_NOT_OUTPUT = {MARKER, LOCK, PROBE}


def words(kind: str) -> str:
    """A kind in words, with its command: ``assessment results (shieldcheck assess)``."""
    return f"{KINDS[kind]} (shieldcheck {kind})"


def kind_of(folder) -> str | None:
    """The kind of output ``folder`` holds (a key of :data:`KINDS`): its marker's, else the kind whose files
    it holds (:data:`SIGNS`); None for a folder that is missing, holds no output, or holds none of these."""
    folder = Path(folder)
    try:
        entries = {p.name for p in folder.iterdir()}
    except OSError:  # missing, not a folder, or unreadable: it holds no kind
        return None
    if not entries - _NOT_OUTPUT:
        return None
    try:
        marked = (folder / MARKER).read_text(encoding="utf-8").strip() if (folder / MARKER).is_file() else None
    except (OSError, UnicodeDecodeError):
        marked = None
    if marked in KINDS:
        return marked
    return next((kind for kind, files in SIGNS.items() if any(name in entries for name in files)), None)


def check(folder, kind: str, option: str = "--out") -> None:
    """Refuse, in one line, to write ``kind`` of output into ``folder`` when it holds another kind."""
    held = kind_of(folder)
    if held is not None and held != kind:
        raise InputError(f"{option} {str(folder)!r}: the folder holds {words(held)}; {words(kind)} cannot be "
                         "written into it: give another folder")


def claim(folder, kind: str, option: str = "--out") -> None:
    """Check ``folder`` (an existing, writable folder) for ``kind`` (:func:`check`) and mark it as holding that
    kind, before any work."""
    if kind not in KINDS:
        raise ValueError(f"kind {kind!r}: allowed {', '.join(KINDS)}")
    check(folder, kind, option)
    marker = Path(folder) / MARKER
    try:
        current = marker.read_text(encoding="utf-8").strip() if marker.is_file() else None
    except (OSError, UnicodeDecodeError):
        current = None
    if current != kind:
        atomic.write_text(marker, f"{kind}\n")
