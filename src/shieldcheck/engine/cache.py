"""Keep numba's on-disk kernel cache honest.

Numba checks only the time stamp of the file that defines a cached entry point, not of the files
it calls into or takes constants from, so a change to ``physics.py``, ``pack.py``, ``results.py`` or
``constants.py`` would leave a stale compiled loop in ``cpu.py``, ``engage.py`` or ``sensing.py``.
Each of those modules calls :func:`drop_stale` at import: it removes that module's cache files
whenever the engine's code (``cachekey.ENGINE``: the engine and the modules it imports, less
comments and docstrings) has changed since they were written. The stamp that records the digest
lies beside the cache files, wherever numba keeps them (:func:`cache_folder`), so a read-only
install, or a ``NUMBA_CACHE_DIR``, is served like a writable source tree.
"""

from __future__ import annotations

from pathlib import Path

from ..cachekey import ENGINE, code_digest


def _probe():  # numba's cache locators read the first line number of a function: any will do
    pass


def cache_folder(module_file: str) -> Path | None:
    """The folder numba keeps the compiled kernels of ``module_file`` in, chosen by numba's own rules:
    ``NUMBA_CACHE_DIR`` when set, else ``__pycache__`` beside the source when it is writable, else
    numba's user-wide cache; None where numba can keep none."""
    from numba.core.caching import CacheImpl

    for locator_class in getattr(CacheImpl, "_locator_classes", ()):
        try:
            locator = locator_class.from_function(_probe, str(module_file))
        except OSError:
            continue
        if locator is not None:
            return Path(locator.get_cache_path())
    return None


def drop_stale(module_file: str) -> None:
    """Remove the numba cache of the engine module ``module_file`` if the engine's code changed."""
    owner = Path(module_file).stem
    digest = code_digest(*ENGINE)
    try:
        cache = cache_folder(module_file)
        if cache is None:
            return
        stamp = cache / f"{owner}-engine.sha256"
        if stamp.exists() and stamp.read_text() == digest:
            return
        for path in cache.glob(f"{owner}.*.nb[ic]"):
            path.unlink()
        cache.mkdir(parents=True, exist_ok=True)
        stamp.write_text(digest)
    except OSError:  # a folder this process cannot write: numba cannot keep kernels there either
        pass
