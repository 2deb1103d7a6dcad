"""The ``shieldcheck`` console entry point: a Ctrl-C while the command line loads (typer, rich and the
package take a moment to import) ends in one line and status 130, as one during a run does."""

from __future__ import annotations

import sys

from .errors import INTERRUPTED


def main() -> None:
    try:
        from .cli import main as run
    except KeyboardInterrupt:
        sys.stderr.write("interrupted: nothing was started\n")
        sys.exit(INTERRUPTED)
    run()
