"""Output folders: checked before any work, of one kind of output each, held by one run at a time, and the
work kept in them.

A library result keeps its resumable work (an assessment's ``.work``, a sweep's chunks) in a folder:
the output folder when one is given (``out=``, as the command line's ``--out``), else a temporary one
that lives as long as the result. ``write(folder)`` copies that work into the folder it writes, so a
folder written from a notebook is the folder the command writes, and the command resumes from it.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import weakref
from pathlib import Path

from .. import atomic, folder_kind, limits
from ..errors import InputError

#: What the commands write into an output folder, and whether each is a file or a folder.
OUTPUT_KINDS = {"results.parquet": "file", "flights.parquet": "file", "report.html": "file", "attrition.json": "file",
                "compare.json": "file", "compare.html": "file", "guarantee.json": "file", "guarantee.png": "file",
                "footprint.png": "file", "footprint.parquet": "file", "footprint.json": "file", "figures": "folder",
                ".work": "folder", "manifest.json": "file", "cases.parquet": "file", "results": "folder",
                "flights": "folder", "summary.json": "file", "summary.html": "file",
                "uncertainty": "folder", "scene.czml": "file", "scene.kml": "file", "tracks.parquet": "file",
                "scenario.json": "file", "engage.json": "file", "battlespace.png": "file",
                "verify.json": "file", "verify.png": "file", "verify-radars.parquet": "file",
                "verify-estimates.parquet": "file", "verify-flight.parquet": "file",
                "space-study.json": "file", folder_kind.MARKER: "file"}
LOCK = folder_kind.LOCK  # the advisory lock a run holds on its output folder


def output_folder(out: Path, kind: str | None = None) -> Path:
    """Create the output folder, or say in one line why it cannot be; refuse, before any work, an output
    that exists as the wrong kind of file (a folder where a table goes, a file where a folder goes) and,
    given the ``kind`` of output to be written (a key of ``folder_kind.KINDS``), a folder that holds
    another kind (``folder_kind.claim``: the folder is then marked as holding ``kind``)."""
    out = Path(out)
    try:  # a path too long (ENAMETOOLONG), a file for a parent, no permission: bad input, before any work
        for name, entry in {out.name: "folder", **{f"{out.name}/{k}": v for k, v in OUTPUT_KINDS.items()}}.items():
            path = out.parent / name
            if path.exists() and (path.is_dir() if entry == "file" else not path.is_dir()):
                found = "a folder" if path.is_dir() else "not a folder"
                raise InputError(f"--out {str(out)!r}: {str(path)!r} is {found}, where shieldcheck writes a {entry}; "
                                 "move it away or give another folder")
        out.mkdir(parents=True, exist_ok=True)
        probe = out / folder_kind.PROBE
        probe.write_text("")
        probe.unlink()
    except OSError as error:
        raise InputError(f"--out: {cannot_write(out, error)}; give a folder you can write to") from None
    if kind is not None:
        folder_kind.claim(out, kind)
    return out


def cannot_write(path, error: OSError) -> str:
    """``cannot write there: <path, cut>: <why>``: the words for an output path the system refuses."""
    why = " ".join((error.strerror or str(error)).split())
    return f"cannot write there: {limits.shown_path(path)}: {why}"


@contextlib.contextmanager
def exclusive(out: Path):
    """Hold the output folder for this run: a second run into the same folder is refused in one line,
    never interleaved (an advisory lock, released when the process ends, however it ends)."""
    import fcntl

    handle = open(Path(out) / LOCK, "a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise InputError(f"--out {str(out)!r}: another shieldcheck run is writing there; wait for it to finish "
                         "or give another folder") from None
    try:
        yield
    finally:
        handle.close()


class Work:
    """The folder a result keeps its resumable work in: ``path`` given (an output folder, kept), or a new
    temporary folder, removed when this object (held by its result) is."""

    def __init__(self, path: Path | None = None):
        self.temporary = path is None
        self.path = Path(tempfile.mkdtemp(prefix="shieldcheck-")) if path is None else Path(path)
        if self.temporary:
            weakref.finalize(self, shutil.rmtree, self.path, ignore_errors=True)

    def __repr__(self) -> str:
        return f"<Work {str(self.path)!r}{' (temporary)' if self.temporary else ''}>"


def same(a: Path, b: Path) -> bool:
    """Whether two paths name the same folder."""
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return False


def copy_work(work: Path, out: Path, parts: tuple[str, ...]) -> None:
    """Copy the files under ``work/PART`` for each of ``parts`` (a folder or a file) into ``out``, byte
    for byte, each through a temporary name; nothing where ``work`` is ``out``."""
    if same(work, out):
        return
    for part in parts:
        source = Path(work) / part
        files = sorted(p for p in source.rglob("*") if p.is_file()) if source.is_dir() else \
            [source] if source.is_file() else []
        for path in files:
            target = Path(out) / path.relative_to(work)
            atomic.write(target, lambda partial, path=path: shutil.copyfile(path, partial))
