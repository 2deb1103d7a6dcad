"""What every library function returns: a result with its tables as pyarrow Tables, ``to_pandas()``,
``explain()`` (what the command prints) and ``write(folder)`` (what the command writes)."""

from __future__ import annotations

from pathlib import Path

from .. import limits


class Result:
    """The common shape of the library's results.

    ``TABLES`` names the attributes that hold the result's pyarrow Tables, the main one first;
    ``tables`` gives them as a dict; ``to_pandas()`` the same as pandas DataFrames (pandas is optional:
    ``pip install pandas``). ``explain()`` prints what the command line prints and ``write(folder)``
    writes what it writes into ``--out``; each result class documents its own."""

    TABLES: tuple[str, ...] = ()
    folder: Path | None = None  # where write() last wrote the result (None: not written)

    @property
    def tables(self) -> dict:
        """Name -> pyarrow Table, for each of ``TABLES``."""
        return {name: getattr(self, name) for name in self.TABLES}

    def to_pandas(self, name: str | None = None):
        """The tables as pandas DataFrames: a dict name -> DataFrame (every table of ``TABLES``), or the one
        table ``name``."""
        if name is not None:
            limits.choose(f"table of {type(self).__name__}", name, self.TABLES)
        import importlib.util

        if importlib.util.find_spec("pandas") is None:  # pyarrow's to_pandas needs it
            raise ImportError("to_pandas() needs pandas (pip install pandas); without it the same tables are "
                              "pyarrow Tables: result.tables")
        if name is not None:
            return getattr(self, name).to_pandas()
        return {key: table.to_pandas() for key, table in self.tables.items()}
