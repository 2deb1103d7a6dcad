"""The ``shieldcheck`` command line: one command per job, readable text or ``--json``.

Each command is a thin layer over a library function (:mod:`shieldcheck.api`): it parses its options,
calls the function and prints the result's ``explain()`` (or its JSON); the function checks the
options, runs the study and writes the outputs. The commands, one module per group: ``flight`` (fly,
engage, catalog), ``studies`` (assess, guarantee, footprint, compare, sweep, verify) and ``data`` (query,
serve); ``common`` holds the typer app they register on.

Bad input (unknown names, malformed coordinates, impossible parameters, broken data files)
prints one line naming the field, the value and what is allowed, and exits with status 2.
"""

from __future__ import annotations

import errno
import sys

import typer

from .. import limits
from ..api.folders import cannot_write
from ..errors import INTERRUPTED, InputError
from .common import app
from .flight import catalog_command, engage, fly, implied_pk_command  # registered in this order: the help's
from .studies import assess, compare, footprint, guarantee, sweep, verify
from .data import query, serve

__all__ = ["app", "main", "fly", "engage", "catalog_command", "implied_pk_command", "assess", "guarantee", "footprint",
           "compare", "sweep", "verify", "query", "serve"]


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app; bad input exits with status 2 and one line on stderr; an interrupted
    run says that its finished work is kept."""
    try:
        status = app(args=argv, prog_name="shieldcheck", standalone_mode=False)
    except InputError as error:
        typer.echo(f"error: {error}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        status = INTERRUPTED
    except OSError as error:  # the environment failed mid-run (a full disk, a folder made unwritable): status 1
        if error.errno == errno.ENAMETOOLONG:  # a path the user gave, not the machine: bad input
            typer.echo(f"error: {cannot_write(error.filename or '', error)}; give a shorter path", err=True)
            sys.exit(2)
        where = f" {limits.shown_path(error.filename)}" if getattr(error, "filename", None) else ""
        typer.echo(f"error: cannot go on:{where} {' '.join((error.strerror or str(error)).split())}; finished work is "
                   "kept (assess: OUT/.work and the shared work cache; sweep: OUT/results) and the same command "
                   "resumes from it", err=True)
        sys.exit(1)
    except SystemExit:
        raise
    except Exception as error:  # usage errors of typer's click when standalone_mode is off: one line too
        if hasattr(error, "format_message") and hasattr(error, "exit_code"):
            message = " ".join(error.format_message().split())
            if not message:  # a group or command given no arguments: its help is the whole answer
                sys.exit(0)
            typer.echo(f"error: {message}", err=True)
            sys.exit(error.exit_code or 2)
        if type(error).__name__ == "Abort":
            sys.exit(1)
        raise
    if status == INTERRUPTED:  # typer returns this status for Ctrl-C when not standalone
        typer.echo("interrupted: finished work is kept (assess: OUT/.work and the shared work cache; sweep: "
                   "OUT/results); the same command resumes from it", err=True)
    if isinstance(status, int) and status:
        sys.exit(status)
