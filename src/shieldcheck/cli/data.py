"""The commands over finished work: ``query`` (SQL over an assessment's or a sweep's tables) and
``serve`` (the explorer on a 3-D globe)."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import typer

from .. import api, folder_kind
from ..api import terminal
from ..errors import InputError
from ..explorer import DEFAULT_PORT
from .common import Command, app


QUERY_ROWS_SHOWN = 1_000  # rows of the readable table; --csv and --json print every row


class QueryCommand(Command):
    """``query``, whose SQL may begin with an SQL comment (``-- ...``): a word that starts with a dash and
    holds a space or a line break is no option but the SQL text, so it is passed after ``--`` (the end of
    the options) and the user need not know that separator."""

    def parse_args(self, ctx, args):
        args = list(args)
        if "--" not in args:
            sql = [a for a in args if a.startswith("-") and any(c.isspace() for c in a)]
            args = [a for a in args if a not in sql] + (["--", *sql] if sql else [])
        return super().parse_args(ctx, args)


@app.command(cls=QueryCommand)
def query(
    folder: Path = typer.Argument(..., help="an assessment folder (assess --out) or a sweep folder (with manifest.json)"),
    sql: str = typer.Argument(..., help="one SQL query over the tables results and flights (and cases, for a sweep)"),
    as_csv: bool = typer.Option(False, "--csv", help="print CSV"),
    as_json: bool = typer.Option(False, "--json", help="print a JSON list of row objects"),
):
    """Run a DuckDB query over the tables of an assessment or a sweep, read-only.

    Example: shieldcheck query epaa-report "select phase, count(*) from results where verdict = 'feasible' group by phase"
    """
    import csv

    from .. import aggregate

    if as_csv and as_json:
        raise InputError("--csv and --json: give one of them (or neither, for a table)")
    names, batches = aggregate.query(aggregate.connect(folder), sql)
    typer.echo(f"{folder}: {folder_kind.words(aggregate.tables_kind(folder))}", err=True)  # which tables were read
    if as_csv:  # batch by batch: memory holds one batch of rows (aggregate.QUERY_BATCH_ROWS)
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(names)
        for rows in batches:
            writer.writerows(["" if v is None else v for v in row] for row in rows)
        return
    if as_json:
        def plain(value):
            if isinstance(value, float) and not math.isfinite(value):
                return None  # JSON has no NaN or infinity
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            return [plain(v) for v in value] if isinstance(value, (list, tuple)) else value

        def text(row) -> str:
            return json.dumps({n: plain(v) for n, v in zip(names, row)}, allow_nan=False,
                              default=lambda v: float(v) if hasattr(v, "as_integer_ratio") else str(v))

        separator = "["
        for rows in batches:  # one JSON list, written a batch at a time
            for row in rows:
                sys.stdout.write(separator + text(row))
                separator = ", "
        sys.stdout.write("[]\n" if separator == "[" else "]\n")
        return
    from rich.console import Console

    rows, more = aggregate.first_rows(batches, QUERY_ROWS_SHOWN)
    shown = [["—" if v is None else str(v) for v in row] for row in rows]
    kinds = ["number" if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in column if v is not None)
             else "key" for column in zip(*rows)] or ["key"] * len(names)
    title = (f"the first {QUERY_ROWS_SHOWN:,} rows shown, more follow (--csv or --json for all)" if more
             else f"{len(rows):,} row(s)")
    Console().print(terminal.table(title, list(zip(names, kinds)), shown))


SERVE_DEFAULT = "epaa"  # the scenario ``serve`` shows when given no result folder


@app.command(cls=Command)
def serve(
    folders: list[Path] = typer.Argument(None, help="assessment folders (assess --out); none: the built-in epaa, "
                                                    "assessed on first use and cached"),
    port: int = typer.Option(DEFAULT_PORT, "--port", help="TCP port"),
    host: str = typer.Option("127.0.0.1", "--host", help="address to listen on (anything but 127.0.0.1 is reachable "
                                                         "by others: a warning is printed)"),
    open_browser: bool = typer.Option(False, "--open", help="open the explorer in the default browser"),
):
    """Explore assessments on a 3D globe in the browser, with what-ifs answered by the engine."""
    import uvicorn

    from .. import reach
    from .. import scenario as scenario_mod
    from ..explorer.server import create_app

    if not 1 <= port <= 65_535:
        raise InputError(f"--port {port}: give a TCP port from 1 to 65535")
    folders = list(folders or [])
    if not folders:
        chosen = scenario_mod.load(SERVE_DEFAULT)
        folder = reach.cache_root() / "explorer" / chosen.name
        if not (folder / "scenario.json").exists():
            typer.echo(f"Assessing {chosen.name} for the explorer (first use; kept in {folder})")
            bar, update = terminal.progress_bar()
            with bar:
                api.assess(chosen, uncertainty=0, out=folder, progress=update)
        folders = [folder]
    application = create_app(folders)
    if host != "127.0.0.1":
        typer.echo(f"Warning: listening on {host}: anyone who can reach this machine can use the explorer", err=True)
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"
    typer.echo(f"shieldcheck explorer at {url} (Ctrl+C to stop)")
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    uvicorn.run(application, host=host, port=port, log_level="warning")
