"""Running the command line in-process, as the tests of the commands do."""

from shieldcheck.cli import main


def run(args, capsys):
    """(exit status, stdout, stderr) of ``shieldcheck ARGS``."""
    try:
        main(args)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    captured = capsys.readouterr()
    return code or 0, captured.out, captured.err
