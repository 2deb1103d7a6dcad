"""What the library's results print in a terminal (``explain()``) and the command line shows: tables
that read in a terminal of any width, sources by key or in full, the endgame line, a progress bar.

Everything here is presentation: it formats numbers that the studies computed, and computes none.
"""

from __future__ import annotations


def table(title: str, columns: list[tuple[str, str]], rows: list[list[str]], width: int | None = None, **options):
    """A rich table that reads in a terminal of ``width`` characters (default: the terminal's; 80 is the
    one tested). ``columns``: (header, kind) with kind ``key`` (a name or a verdict: wraps only between
    words, never cut), ``number`` (never wrapped or cut, right-aligned) or ``text`` (wraps, and folds a
    word too long for its column). Headers carry their units and wrap between words. Where even the
    narrowest layout is too wide, each row is shown as a block of (header, value) lines.

    Rich shares out a narrow terminal unevenly (it may cut a key column while a text column could
    wrap), so the widths are set here: numbers at their width, key columns at least their longest
    word and unwrapped where the room allows (the narrowest first), what is left shared among the
    text columns in proportion to what each would need unwrapped."""
    from rich.console import Console
    from rich.table import Table

    width = width or Console().width
    lines = [[cell.split("\n") for cell in row] for row in rows]
    longest_line = [max([0, *(len(line) for row in lines for line in row[i])]) for i in range(len(columns))]
    longest_word = [max([len(w) for w in header.split()]
                        + [len(w) for row in lines for line in row[i] for w in line.split()]) for i, (header, _)
                    in enumerate(columns)]
    least = [max(longest_line[i], longest_word[i]) if kind == "number" else
             longest_word[i] if kind == "key" else min(12, longest_line[i] or 1) for i, (_, kind) in enumerate(columns)]
    most = [max(longest_line[i], least[i]) for i in range(len(columns))]  # every cell on one line
    natural = [max(most[i], len(header)) for i, (header, _) in enumerate(columns)]  # and the header too
    room = width - (len(columns) + 1) - 2 * len(columns)  # less the borders and each cell's padding
    if sum(least) > room:  # too many columns for the terminal: each row as a block, one line per column
        shown = Table(title=title, show_header=False, **options)
        shown.add_column("", no_wrap=True, style="bold")
        shown.add_column("", overflow="fold")
        for row in rows:
            for i, ((header, _), cell) in enumerate(zip(columns, row)):
                shown.add_row(header, cell, end_section=i == len(columns) - 1)
        return shown
    widths = None
    if sum(natural) > room:  # names and numbers unwrapped where they can be, then the text, then the headers
        widths, spare = list(least), room - sum(least)
        for i in sorted((i for i, (_, kind) in enumerate(columns) if kind != "text"), key=lambda i: most[i] - least[i]):
            grow = min(most[i] - widths[i], spare)
            widths[i], spare = widths[i] + grow, spare - grow
        for target in (most, natural):
            wish = [max(0, t - w) for t, w in zip(target, widths)]
            share = [min(w, spare * w // sum(wish)) if sum(wish) else 0 for w in wish]
            widths, spare = [w + g for w, g in zip(widths, share)], spare - sum(share)
    shown = Table(title=title, **options)
    for i, (header, kind) in enumerate(columns):
        shown.add_column(header, justify="right" if kind == "number" else "left",
                         overflow="fold" if kind == "text" else "ellipsis", width=widths[i] if widths else None)
    for row in rows:
        shown.add_row(*row)
    return shown


def console():
    """The rich console an explanation prints to (standard output, as the command line's)."""
    from rich.console import Console

    return Console()


def source_keys(citations) -> list[str]:
    """The sources.toml keys of an output's full citations (``shieldcheck catalog sources`` lists them)."""
    from .. import catalog

    cat = catalog.load()
    return [cat.source_key(c) for c in citations]


def cited(citations, full: bool) -> str:
    """Sources in one line of text: their keys (comma-separated), or their full citations with ``--sources``."""
    return "\n".join(citations) if full else ", ".join(source_keys(citations))


def print_sources(out, citations, full: bool) -> None:
    """A readable output's sources on the console ``out``: their keys on one line, or each full citation
    with ``full`` (``--sources``)."""
    if full:
        out.print("[bold]Sources[/bold]")
        for line in citations:
            out.print(f"  - {line}", highlight=False)
    else:
        out.print(f"[bold]Sources[/bold]: {cited(citations, False)} (in full: --sources; every key: "
                  "shieldcheck catalog sources)", highlight=False)


def endgame_line(chosen) -> str:
    """The endgame model a run of the scenario ``chosen`` used, in one line (every output states its model
    switches)."""
    a = chosen.assumptions
    if a.endgame_model() == "none":
        return "Endgame: none (reach only: a point reached in time counts, a tail chase included)"
    return (f"Endgame: kinematic (a point counts only where the kill vehicle meets the warhead within its catalog "
            f"limits: crossing angle, closing speed, divert with a track velocity error of "
            f"{a.velocity_error_m_s():g} m/s, operational range, a radar track for engage-on-remote); bounding cue "
            f"{a.bounding_cueing.value if a.bounding_cueing else 'none'} plus {a.bounding_launch_delay_s():g} s to "
            "launch; --endgame none for reach only")


class ProgressBar:
    """A rich progress bar that shows itself on its first update and is cleared when stopped: used as a
    context manager (``with bar: ...``, stopped on leaving it) or stopped by :meth:`stop` (then started
    again, afresh, by the next update). ``update(done, total, what)`` is the callback the library's
    functions call; with a ``unit`` (``"cases"``) it also shows the rate since the first update and the
    time remaining."""

    def __init__(self, unit: str | None = None):
        self.unit = unit
        self._bar = None
        self._began = None

    def _start(self):
        from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn, \
            TimeRemainingColumn

        columns = [TextColumn("{task.description}"), BarColumn()]
        if self.unit:
            columns += [TextColumn(f"{{task.completed:,}}/{{task.total:,}} {self.unit}"), TaskProgressColumn(),
                        TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TimeRemainingColumn()]
        else:
            columns += [TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn()]
        self._bar = Progress(*columns, transient=True)
        self._task = self._bar.add_task("starting", total=1, rate="")
        self._began = None
        self._bar.start()

    def update(self, done: int, total: int, what: str) -> None:
        import time

        if self._bar is None:
            self._start()
        if self._began is None:
            self._began = (time.perf_counter(), done)
        t0, done0 = self._began
        rate = (done - done0) / max(1e-9, time.perf_counter() - t0)
        self._bar.update(self._task, completed=done, total=total, description=what,
                         rate=f"{rate:,.2f} {self.unit}/s" if self.unit and done > done0 else "")

    def stop(self) -> None:
        """Clear the bar, if shown."""
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def progress_bar(unit: str | None = None):
    """(bar, update): a :class:`ProgressBar` of ``unit`` and its ``update(done, total, what)`` callback."""
    bar = ProgressBar(unit)
    return bar, bar.update


def started(progress) -> None:
    """Tell ``progress`` that the work begins (its options checked): a progress bar shows itself from here."""
    if progress:
        progress(0, 1, "starting")


def progress_of(progress, unit: str | None = None):
    """(context, callback) for a library function's ``progress`` option: True shows a rich progress bar
    (:func:`progress_bar` of ``unit``) while the context is entered; a callable ``progress(done, total,
    what)`` is called as work finishes; None or False shows nothing."""
    import contextlib

    if progress is True:
        return progress_bar(unit)
    return contextlib.nullcontext(), (progress or None)
