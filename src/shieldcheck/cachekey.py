"""The key of kept work: one digest of the code and data that can change a number.

Every file of finished work kept between runs (aim solutions, shipped or cached; flown threats and
phase rows; reach envelopes; numba's compiled kernels) is named or stamped with a digest made here,
so that a changed model never answers from work computed before it.

What the whole-package digest (:func:`code_digest` with no arguments) covers:

- every Python module of the package except the presentation layers (``PRESENTATION``: the CLI,
  the report, the explorer and the 3-D scene). These only show numbers that the library functions
  computed from their arguments, and those arguments (the scenario, the options) are part of each
  key already; "reports compute no physics" (DESIGN.md). A physics module moved into one of them
  would be a bug in itself.
- every data file a model reads: the catalog (``catalog/data/*.toml``) and ``data/`` (the upper
  atmosphere table, the coastlines that decide land and sea).

What it ignores, because it cannot change a number: comments, docstrings (and any other bare string
statement), blank lines and trailing spaces. A module is hashed as its text with those cut out, not
as ``ast.dump`` (which differs between Python versions and would rename the shipped aim solutions
for each). Not covered: the built-in scenario files (a scenario's content is part of each key that
depends on it) and the shipped aim solutions (they are what the key names).

The digest is computed once per process: 1.1 s for the whole package, 0.3 s for the engine (measured
on two busy cores; reading the sources whole would be faster, but a docstring edit would then rename
the shipped aim solutions).
"""

from __future__ import annotations

import functools
import hashlib
import io
import tokenize
from pathlib import Path

PACKAGE = Path(__file__).parent
PRESENTATION = ("cli", "_entry", "report", "explorer", "scene")  # module or folder names, package level
DATA = ("catalog/data", "data")  # every file below these folders, hashed as bytes
ENGINE = ("engine", "constants.py", "errors.py")  # the compiled layer and all it imports (numba freezes constants)


def meaningful_source(text: str) -> str:
    """The Python source ``text`` without comments, docstrings (any statement that is only a string),
    blank lines and trailing spaces: what is left can change what the code computes.

    One pass of :mod:`tokenize` (faster than walking the syntax tree, and the spans it gives are the
    same in every Python version): a COMMENT token is cut, and so are the STRING tokens that make up a
    whole logical line."""
    lines = text.splitlines()
    cuts = []  # ((line, column), (line, column)) spans to cut; lines from 1, columns in characters
    starts_statement, strings = True, []  # strings: the STRING tokens that began this statement
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        kind = token.type
        if kind == tokenize.COMMENT:
            cuts.append((token.start, token.end))
        elif kind == tokenize.NL:
            pass
        elif kind == tokenize.STRING and (starts_statement or strings):
            strings.append(token)
        else:
            if strings and kind in (tokenize.NEWLINE, tokenize.ENDMARKER):
                cuts.append((strings[0].start, strings[-1].end))
            strings = []
        if kind not in (tokenize.COMMENT, tokenize.NL, tokenize.STRING):
            starts_statement = kind in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT)
        elif kind == tokenize.STRING:
            starts_statement = False
    for (line0, col0), (line1, col1) in sorted(cuts, reverse=True):  # from the end: earlier spans stay put
        lines[line0 - 1:line1] = [lines[line0 - 1][:col0] + lines[line1 - 1][col1:]]
    return "\n".join(line.rstrip() for line in lines if line.strip())


def _files(root: Path, parts: tuple[str, ...]) -> list[Path]:
    """The files of the package at ``root`` under ``parts`` (package-relative files or folders),
    sorted; with none, all that the key covers."""
    if parts:
        found = [p for part in parts for p in ((root / part).rglob("*") if (root / part).is_dir() else [root / part])]
    else:
        found = [p for p in root.rglob("*.py") if p.relative_to(root).parts[0].removesuffix(".py") not in PRESENTATION]
        found += [p for folder in DATA for p in (root / folder).rglob("*")]
    return sorted(p for p in set(found) if p.is_file() and "__pycache__" not in p.relative_to(root).parts)


def package_digest(root: Path, *parts: str) -> str:
    """The SHA-256 (hex) of the code and data of the package at ``root`` under ``parts`` (package-relative
    paths of modules or folders, e.g. ``"engine"``, ``"constants.py"``); with none, of everything that
    can change a number (see the module's docstring). Python files count by :func:`meaningful_source`,
    others by their bytes; each file's package-relative name counts too."""
    digest = hashlib.sha256()
    for path in _files(Path(root), parts):
        name = path.relative_to(root).as_posix()
        body = meaningful_source(path.read_text(encoding="utf-8")).encode() if path.suffix == ".py" else path.read_bytes()
        digest.update(f"{name}\0{len(body)}\0".encode() + body)
    return digest.hexdigest()


@functools.lru_cache(maxsize=None)
def code_digest(*parts: str) -> str:
    """:func:`package_digest` of this package, computed once per process for each ``parts``."""
    return package_digest(PACKAGE, *parts)


def key(*parts, length: int = 16) -> str:
    """A key for finished work: a digest of ``parts`` (their ``repr``: records, numbers, names) and of
    everything the package's results depend on (:func:`code_digest`)."""
    return hashlib.sha256(code_digest().encode() + repr(parts).encode()).hexdigest()[:length]
