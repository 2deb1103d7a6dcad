"""Files written whole or not at all: through a temporary name, then renamed into place.

A reader (in this or another process, or the next run after a killed one) sees the whole file or
none, never a half-written one that looks finished. The temporary name is hidden, unique to the
process (two processes sharing a cache each leave whole files), holds the final name (so an error
about it names the file meant) and ends in the file's suffix (NumPy and matplotlib choose the format
from it): ``.results.parquet.1234.partial.parquet``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path


def partial_name(path: Path) -> Path:
    """The temporary name ``path`` is written under before it is renamed into place."""
    return path.with_name(f".{path.name}.{os.getpid()}.partial{path.suffix}")


def write(path: Path, write_to: Callable[[Path], object], *, shared: bool = False) -> Path:
    """``write_to(temporary_path)``, then rename it to ``path`` (making its folder); ``path``.

    On failure the temporary file is removed and the error raised (an ``OSError`` that names no file,
    a full disk's, named for ``path``), except an ``OSError`` where ``shared``: a file of a shared cache
    is a convenience, and a read-only or full cache costs only the work of making it again."""
    path = Path(path)
    partial = partial_name(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_to(partial)
        partial.replace(path)
    except BaseException as error:
        try:
            partial.unlink(missing_ok=True)
        except OSError:  # its folder is missing or not a folder: there is nothing to remove
            pass
        if not (shared and isinstance(error, OSError)):
            if isinstance(error, OSError) and not error.filename:  # a full disk says nothing of the file: name it
                raise OSError(error.errno, error.strerror or " ".join(str(error).split()), str(path)) from error
            raise
    return path


def write_text(path: Path, text: str, *, shared: bool = False) -> Path:
    """:func:`write` of a text, in UTF-8."""
    return write(path, lambda partial: partial.write_text(text, encoding="utf-8"), shared=shared)


def write_bytes(path: Path, data: bytes, *, shared: bool = False) -> Path:
    """:func:`write` of bytes."""
    return write(path, lambda partial: partial.write_bytes(data), shared=shared)
