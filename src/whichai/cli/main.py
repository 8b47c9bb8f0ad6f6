"""The ``whichai`` entry point. Heavy imports live inside the commands, so ``--help`` is instant."""

from __future__ import annotations

import sys

import typer

from whichai.errors import WhichaiError

app = typer.Typer(
    name="whichai",
    help="Open-source or closed-source AI? Measure models on your own prompts, join the facts, "
    "and get an explained recommendation. / AI open source atau closed source? Ukur, bandingkan, putuskan.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)

def _version(value: bool) -> None:
    if value:
        from whichai import __version__

        typer.echo(f"whichai {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """Open-source or closed-source AI? Measure models on your own prompts, join the facts, and get an
    explained recommendation. / AI open source atau closed source? Ukur, bandingkan, putuskan."""


# One module per command group; each has register(app). Append new groups on their own line.
_GROUPS = (
    "run",
    "history",
    "tasks",
    "models",
    "recommend",
    "report",
    "load",
    "tco",
    "compare",
)


def _register() -> None:
    import importlib

    for name in _GROUPS:
        module = importlib.import_module(f"whichai.cli.{name}")
        module.register(app)


_register()


def main() -> None:
    """Run the CLI. Click (inside Typer) handles usage errors (exit 2); whichai's own errors are
    printed here as one message with the fix, never a traceback."""
    try:
        app()
    except WhichaiError as exc:
        from whichai.cli.output import print_error

        print_error(exc)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.stderr.write("Interrupted.\n")
        sys.exit(130)
