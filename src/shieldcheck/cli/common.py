"""The ``shieldcheck`` typer app that every command module registers on, with the help's plain style,
the option help texts that several commands share."""

from __future__ import annotations

import inspect
from pathlib import Path

import typer
from typer.core import TyperCommand, TyperGroup

from ..constants import PACKAGE_VERSION

VALUE_WORDS = {float: "NUMBER", int: "NUMBER", Path: "PATH"}  # what a value option's help shows; else VALUE


def plain(params: list) -> list:
    """Help without type noise: a flag (``--json``) and an argument show no type, a value option one word
    (VALUE, NUMBER or PATH) saying that it takes one; the help text says what the value is."""
    for param in params:
        if param.param_type_name == "option" and not param.is_flag:
            word = VALUE_WORDS.get(param.type_descriptor.annotation, "VALUE")
        else:
            word = None
        param.display_type_rich = lambda ctx, word=word: word
    return params


class Command(TyperCommand):
    """A command whose help lists its options without type noise (see :func:`plain`) and whose
    docstring paragraphs are filled to the terminal's width (rich keeps a docstring's line breaks)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.help:
            self.help = "\n\n".join(" ".join(paragraph.split())
                                     for paragraph in inspect.cleandoc(self.help).split("\n\n"))

    def get_params(self, ctx):
        return plain(super().get_params(ctx))


class Group(TyperGroup):
    """The ``shieldcheck`` group, with the same plain help as its commands."""

    def get_params(self, ctx):
        return plain(super().get_params(ctx))


app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False, cls=Group,
                  context_settings={"help_option_names": ["-h", "--help"]},
                  help="Open, reproducible technical assessment of ballistic-missile defence.")


def print_version(value: bool) -> None:
    if value:
        typer.echo(f"shieldcheck {PACKAGE_VERSION}")
        raise typer.Exit()


@app.callback()
def root(version: bool = typer.Option(False, "--version", callback=print_version, is_eager=True,
                                      help="print the version and exit")):
    """The group's own options (the help text is the app's)."""


ENDGAME_HELP = ("kinematic (default): the kill vehicle's limits decide which reachable points it can use (closing "
                "speed, crossing angle, divert, track at intercept, operational range); none: reach only, a tail "
                "chase counts")
FLIGHT_PHASE_HELP = ("restrict the intercepts to one phase of the threat's flight: any (default) | boost (to burnout) | "
                     "ascent (post-boost, to apogee) | midcourse (after apogee, above the interceptor's floor) | "
                     "terminal (below it)")
TRAJECTORY_HELP = ("minimum-energy | lofted | depressed, or a shape NAME:KEY=VALUE with KEY apogee_km, "
                   "burnout_angle_deg or apogee_ratio (e.g. depressed:apogee_ratio=0.6)")
FLIGHT_TIME_HELP = ("aim for a flight time, launch to impact, s: fly the lofted or depressed shape that lands on the aim "
                    "then (stated with its burnout speed and angle and its apogee), or be told the range of times the "
                    "missile can fly on that route; in place of --trajectory")
SOURCES_HELP = "print each source's full citation (default: its key; `shieldcheck catalog sources` lists every key)"
