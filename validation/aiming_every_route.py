"""The aiming property test of ``tests/test_aiming_every_route.py`` at its full size for every class: 2,000
seeded random routes each, the glide vehicle's included (500 in the test suite, where its flights' cost counts).

    python validation/aiming_every_route.py

Prints each class's counts (landed, refused by reason code) and stops at the first property that fails.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))


def main() -> int:
    import test_aiming_every_route as property_test

    property_test.ROUTES_OF = {}
    for label in property_test.CLASSES:
        start = time.perf_counter()
        property_test.test_every_route_lands_or_is_refused_with_a_true_reason(label)
        print(f"  {label}: {time.perf_counter() - start:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
