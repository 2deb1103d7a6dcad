"""Keep numba's on-disk kernel cache honest.

Numba checks only the time stamp of the file that defines a cached entry point, not of the files
it calls into or takes constants from, so a change to ``physics.py``, ``pack.py`` or ``results.py``
would leave a stale compiled loop in ``cpu.py``, ``engage.py`` or ``sensing.py``. Each of those
modules calls :func:`drop_stale` at import: it removes that module's cache files whenever any
engine source has changed since they were written.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

ENGINE = Path(__file__).parent
SOURCES = ("physics.py", "aim.py", "pack.py", "results.py", "engage.py", "sensing.py", "cpu.py")


def drop_stale(module_file: str) -> None:
    """Remove the numba cache of the engine module ``module_file`` if the engine sources changed."""
    owner = Path(module_file).stem
    digest = hashlib.sha256(b"".join((ENGINE / name).read_bytes() for name in SOURCES)).hexdigest()
    cache = ENGINE / "__pycache__"
    stamp = cache / f"{owner}-engine.sha256"
    try:
        if stamp.exists() and stamp.read_text() == digest:
            return
        for path in cache.glob(f"{owner}.*.nb[ic]"):
            path.unlink()
        cache.mkdir(exist_ok=True)
        stamp.write_text(digest)
    except OSError:  # read-only install: numba then caches in its user-wide directory
        pass
