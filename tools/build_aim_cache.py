"""Aim the built-in threat sets and ship their solutions with the package.

The built-in scenarios share ``scenarios/threats.toml``: about 1,500 flights whose aiming takes
minutes on two cores. Their solutions are kept in ``src/shieldcheck/scenarios/aim/`` (one JSON per
missile and trajectory, named by ``assess.aim_cache_name``: a digest of the missile, the trajectory,
the places and ``cachekey.code_digest()``, the package's code and data less comments and docstrings),
so that ``shieldcheck assess epaa`` on a fresh machine flies them instead of solving them again. Any
change to the code (but the CLI, report and explorer), the catalog or the threat sets changes the
names: run this tool then (``tests/test_assess.py`` says when).

    PYTHONPATH=src python tools/build_aim_cache.py
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def main() -> int:
    from shieldcheck import assess, scenario

    target = Path(__file__).resolve().parents[1] / "src" / "shieldcheck" / "scenarios" / "aim"
    target.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        os.environ["SHIELDCHECK_CACHE_DIR"] = scratch  # solve afresh: nothing read from a user cache
        wanted = set()
        for name in scenario.builtin_names():
            built = scenario.load(name)
            work = Path(scratch) / name
            assess.fly_threats(built, work, progress=lambda n: print(".", end="", flush=True))
            wanted |= {p.name for p in work.glob("aim-*.json")}
            for path in work.glob("aim-*.json"):
                shutil.copyfile(path, target / path.name)
    for stale in target.glob("aim-*.json"):
        if stale.name not in wanted:
            stale.unlink()
    print(f"\n{len(wanted)} aim-solution files in {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
