"""The ``whichai`` entry point. Heavy imports live inside the commands, so ``--help`` is instant."""

from __future__ import annotations

import os
import sys
from pathlib import Path

# pydantic otherwise reads every installed distribution's entry points looking for plugins (10-20 ms
# of each command); a user who wants their pydantic plugins inside whichai sets the variable (empty: all on).
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

import typer  # noqa: E402

from whichai.errors import WhichaiError  # noqa: E402


def _version(value: bool) -> None:
    if value:
        from whichai import __version__

        typer.echo(f"whichai {__version__}")
        raise typer.Exit()


def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """Open-source or closed-source AI? Measure models on your own prompts, join the facts, and get an
    explained recommendation. / AI open source atau closed source? Ukur, bandingkan, putuskan."""


# One module per command group, with the top-level names its register(app) adds (tests/test_structure.py
# checks that they match). A command line that names one of them loads that group alone: building
# every group's click commands costs ~0.01 s of each command. Add new groups on their own line.
GROUPS: dict[str, tuple[str, ...]] = {
    "run": ("run", "ask"),
    "history": ("runs", "show"),
    "tasks": ("tasks",),
    "models": ("models", "inspect", "catalog"),
    "recommend": ("recommend", "profile"),
    "report": ("report", "serve"),
    "load": ("load", "loads"),
    "tco": ("tco",),
    "compare": ("compare",),
    "gateway": ("gateway",),
    "tune": ("tune",),
}


def build_app(groups: tuple[str, ...] | list[str] | None = None) -> typer.Typer:
    """The CLI with these command groups (default: all of them)."""
    import importlib

    new = typer.Typer(
        name="whichai",
        help="Open-source or closed-source AI? Measure models on your own prompts, join the facts, "
        "and get an explained recommendation. / AI open source atau closed source? Ukur, bandingkan, putuskan.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode="rich",
    )
    new.callback()(_root)
    for name in groups or GROUPS:
        importlib.import_module(f"whichai.cli.{name}").register(new)
    return new


def __getattr__(name: str):
    """``app``: the CLI with every command (for tests and tools that drive it in process), built when first asked for."""
    if name == "app":
        found = globals()["app"] = build_app()
        return found
    raise AttributeError(name)


def _app_for(argv: list[str]) -> typer.Typer:
    """The CLI for this command line: the named command's group alone, or every group (help, version, a typo)."""
    first = argv[0] if argv else None
    for group, names in GROUPS.items():
        if first in names:
            return build_app([group])
    return build_app()


def main() -> None:
    """Run the CLI. Click (inside Typer) handles usage errors (exit 2); whichai's own errors are
    printed here as one message with the fix, never a traceback."""
    status = _run()
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the reader went away (`whichai ... | head`): nothing more to tell it
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # Python's own advice: no second error at exit
        status = status or 1
    sys.exit(status)


def _run() -> int:
    """The command's exit status (0 ok, 1 ran but something failed, 2 bad input, 130 interrupted)."""
    try:
        _app_for(sys.argv[1:])()
    except SystemExit as exc:
        return _status(exc.code)
    except WhichaiError as exc:
        from whichai.cli.output import print_error

        print_error(exc)
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("Interrupted.\n")
        return 130
    except Exception as exc:  # a bug of whichai's own: one message, the traceback only when asked for
        return _internal_error(exc)
    return 0


def _internal_error(exc: Exception) -> int:
    from whichai.errors import redact

    if os.environ.get("WHICHAI_DEBUG"):
        import traceback

        sys.stderr.write(redact("".join(traceback.format_exception(exc))))
    where = exc.__traceback__
    while where is not None and where.tb_next is not None:
        where = where.tb_next
    place = f" at {Path(where.tb_frame.f_code.co_filename).name}:{where.tb_lineno}" if where else ""
    sys.stderr.write(redact(f"Internal error (a bug in whichai){place}: {type(exc).__name__}: {exc}. Fix: report it with "
                            "the command you ran; WHICHAI_DEBUG=1 shows the traceback.\n"))
    return 1


def _status(code: object) -> int:
    """``sys.exit``'s argument as a process status, as the interpreter would turn it into one."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    sys.stderr.write(f"{code}\n")
    return 1
