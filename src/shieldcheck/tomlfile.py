"""TOML files read with the line of every key, so that each message names file, line and key.

The one reader of the package's TOML: scenario files (``scenario``) and the catalog's data files
(``catalog``). :func:`read` gives the parsed document and a :class:`Located` that answers where a
key path is (``path:line``); a file that does not parse is an :class:`InputError` naming file and
line. tomllib gives no positions, so :func:`line_index` finds them with a small scan of the text
(after the parser has accepted it). Every string and every key of a file is checked against its
length bound (``limits.text_bound``) before anything else reads it, so that no label of a result
table or a report is longer than that.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from . import limits
from .errors import InputError


@dataclass(frozen=True)
class Located:
    """A TOML file and the line of every key path in it (``line_index``)."""

    path: Path
    index: dict = field(default_factory=dict, repr=False)

    def line(self, loc: tuple) -> int | None:
        """The line of the key path ``loc`` or of the nearest table or key that holds it; None if none."""
        for k in range(len(loc), 0, -1):
            if loc[:k] in self.index:
                return self.index[loc[:k]]
        return None

    def where(self, loc: tuple = ()) -> str:
        """``path:line`` of the key path ``loc`` (``path`` alone where no line is known)."""
        line = self.line(loc)
        return f"{self.path}:{line}" if line else f"{self.path}"


def read(path: Path, what: str = "TOML file", *, max_bytes: int | None = None) -> tuple[dict, Located]:
    """The parsed document of the TOML file ``path`` and where each of its keys is.

    ``what`` names the file in messages ("scenario file"). Raises :class:`InputError` naming the file
    (and, for a syntax error, the line) for a missing, unreadable, oversized (``max_bytes``) or
    invalid file, or one that is not a regular file."""
    path = Path(path)
    if path.exists() and not path.is_file():  # a FIFO would block, a device never end, a folder fail later
        kind = "a folder" if path.is_dir() else "not a regular file (a pipe, device or socket)"
        raise InputError(f"{path}: is {kind}; give a {what} (.toml)")
    try:
        if max_bytes is not None and path.stat().st_size > max_bytes:
            raise InputError(f"{path}: {path.stat().st_size:,} bytes is larger than a {what} may be "
                             f"({max_bytes:,} bytes)")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: {what} not found") from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot read the {what} ({error})") from None
    try:
        raw = tomllib.loads(text)
    except RecursionError:
        raise InputError(f"{path}: not a valid {what}: arrays or tables nested too deeply to read") from None
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"at line (\d+), column (\d+)", str(error))
        where = f"{path}:{found.group(1)}" if found else f"{path}"
        raise InputError(f"{where}: not valid TOML: {error}") from None
    located = Located(path, line_index(text))
    check_text(raw, located)
    return raw, located


def key_path(loc: tuple) -> str:
    """A key path as messages show it: tables and array elements counted from 1 (``phase[2].site[1].note``)."""
    text = ""
    for part in loc:
        text += f"[{part + 1}]" if isinstance(part, int) else (("." if text else "") + str(part))
    return text


def check_text(document, located: Located, loc: tuple = ()) -> None:
    """Every string and key of ``document`` (a parsed TOML file, or a table or array in it at key path
    ``loc``) within its length bound (``limits.text_bound`` of the key it is under); the first that is not
    is refused in one line naming file, line, key path, the text cut, its length and the bound."""
    if isinstance(document, dict):
        for key, value in document.items():
            if len(key) > limits.text_bound(None).max_chars:
                field = f"a key of {key_path(loc) or 'the top level'}"
                raise InputError(f"{located.where(loc + (key,))}: {limits.text_bound(None).message(key, field)}")
            check_text(value, located, loc + (key,))
    elif isinstance(document, list):
        for i, item in enumerate(document):
            check_text(item, located, loc + (i,))
    elif isinstance(document, str):
        key = next((part for part in reversed(loc) if isinstance(part, str)), None)
        try:
            limits.check_text(key, document, key_path(loc))
        except InputError as error:
            raise InputError(f"{located.where(loc)}: {error}") from None


def _split_keys(text: str) -> list[str]:
    """The keys of a dotted TOML key (``a."b.c".d``)."""
    keys, current, quote = [], "", None
    for c in text:
        if quote:
            if c == quote:
                quote = None
            else:
                current += c
        elif c in "\"'":
            quote = c
        elif c == ".":
            keys.append(current.strip())
            current = ""
        else:
            current += c
    keys.append(current.strip())
    return keys


def _skip_string(text: str, pos: int) -> int:
    """The position after the string that starts at ``pos``."""
    for quote in ('"""', "'''"):
        if text.startswith(quote, pos):
            end = text.find(quote, pos + 3)
            if end < 0:
                return len(text)
            end += 3
            while end < len(text) and text[end] == quote[0]:
                end += 1  # """ may close with up to two more quotes inside the string
            return end
    quote, j = text[pos], pos + 1
    while j < len(text) and text[j] != quote and text[j] != "\n":
        j += 2 if (quote == '"' and text[j] == "\\") else 1
    return j + 1


def _scan_value(text: str, pos: int, line: int, path: tuple, index: dict) -> tuple[int, int]:
    """Skip a value starting at ``pos``; record the line of each element of a top-level array."""
    depth, element, expecting = 0, 0, False
    is_array = None
    n = len(text)
    while pos < n:
        c = text[pos]
        if c == "\n":
            line += 1
            pos += 1
            if depth == 0:
                return pos, line
            continue
        if c == "#":
            end = text.find("\n", pos)
            pos = n if end < 0 else end
            continue
        if c.isspace():
            pos += 1
            continue
        if depth == 1 and expecting and is_array and c not in "]":
            index.setdefault(path + (element,), line)
            expecting = False
        if c in "\"'":
            end = _skip_string(text, pos)
            line += text.count("\n", pos, end)
            pos = end
            continue
        if c in "[{":
            if depth == 0:
                is_array = c == "["
                expecting = is_array
            depth += 1
        elif c in "]}":
            depth -= 1
        elif c == "," and depth == 1 and is_array:
            element += 1
            expecting = True
        pos += 1
    return pos, line


def line_index(text: str) -> dict:
    """The line (from 1) of every table header and key of a TOML text, by key path.

    Key paths are tuples as in the parsed document: ``("phase", 1, "site", 0, "interceptor")``
    (array-of-tables indices from 0); elements of arrays get their own line.
    """
    index: dict = {}
    counts: dict = {}
    table: tuple = ()
    pos, line, n = 0, 1, len(text)
    while pos < n:
        c = text[pos]
        if c == "\n":
            line += 1
            pos += 1
        elif c.isspace():
            pos += 1
        elif c == "#":
            end = text.find("\n", pos)
            pos = n if end < 0 else end
        elif c == "[":
            double = text.startswith("[[", pos)
            end = text.find("]]" if double else "]", pos)
            if end < 0:
                break
            keys = _split_keys(text[pos + (2 if double else 1):end])
            path: tuple = ()
            for key in keys[:-1]:
                path += (key,)
                if path in counts:
                    path += (counts[path] - 1,)
            path += (keys[-1],)
            if double:
                index.setdefault(path, line)  # the array itself: its first table
                counts[path] = counts.get(path, 0) + 1
                path += (counts[path] - 1,)
            index.setdefault(path, line)
            table = path
            pos = end + (2 if double else 1)
        else:
            eq, j = -1, pos
            while j < n and text[j] != "\n":
                if text[j] in "\"'":
                    j = _skip_string(text, j)
                    continue
                if text[j] == "=":
                    eq = j
                    break
                j += 1
            if eq < 0:  # not a key line (the parser has already accepted the text): skip it
                end = text.find("\n", pos)
                pos = n if end < 0 else end
                continue
            key_path = table + tuple(_split_keys(text[pos:eq]))
            index.setdefault(key_path, line)
            pos, line = _scan_value(text, eq + 1, line, key_path, index)
    return index
