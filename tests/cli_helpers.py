"""Running the command line, as the tests of the commands do: in-process (``run``), or, where a test needs a
real process (its exit status through the console entry point, a signal, a kill -9 and a resume), as a
process of its own (``run_process``, ``start_process``)."""

import subprocess
import sys

from shieldcheck.cli import main

ENTRY = [sys.executable, "-c", "from shieldcheck._entry import main; main()"]
"""The ``shieldcheck`` console script's command: the entry point pyproject names, run by this Python."""


def run(args, capsys):
    """(exit status, stdout, stderr) of ``shieldcheck ARGS`` run in this process."""
    try:
        main(args)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    captured = capsys.readouterr()
    return code or 0, captured.out, captured.err


def run_process(args, timeout_s: float = 600.0) -> subprocess.CompletedProcess:
    """``shieldcheck ARGS`` run to its end as a process of its own: its exit status, stdout and stderr."""
    return subprocess.run([*ENTRY, *args], capture_output=True, text=True, timeout=timeout_s)


def start_process(args) -> subprocess.Popen:
    """``shieldcheck ARGS`` started as a process of its own, its output discarded: for a test that stops it."""
    return subprocess.Popen([*ENTRY, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
