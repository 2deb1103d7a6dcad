"""The explorer: an assessment's geometry on a 3D globe in the browser, with what-ifs answered live.

``results.py`` loads assessment folders, ``whatif.py`` re-evaluates a phase with changed values
through the same engine, ``server.py`` serves both and the front-end (``static/``, built from
``frontend/`` by ``tools/build_explorer.py``) on 127.0.0.1.
"""

DEFAULT_PORT = 8765  # where ``shieldcheck serve`` listens unless told otherwise
