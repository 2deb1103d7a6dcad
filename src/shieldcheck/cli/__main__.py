"""``python -m shieldcheck.cli``: the command line, as the ``shieldcheck`` entry point runs it."""

from . import main

main()
