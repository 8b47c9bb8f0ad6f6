"""``whichai report`` (a run as HTML, Markdown or JSON) and ``whichai serve`` (the local dashboard)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from whichai.cli.options import lang_option

LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")
SERVE_TOKEN_ENV = "WHICHAI_SERVE_TOKEN"  # the dashboard's token, out of sight of `ps`


def register(app: typer.Typer) -> None:
    app.command("report")(report)
    app.command("serve")(serve)


def _open(db: Path | None):
    from whichai.paths import default_db_path
    from whichai.store import Store

    return Store.open(db or default_db_path(), create=False)


def report(
    run_id: str = typer.Argument(..., help="Run id (or a unique prefix), from `whichai runs`."),
    fmt: str = typer.Option("html", "--format", "-f", help="html (self-contained, opens offline), md, json, or promptfoo (promptfoo's results JSON: `promptfoo import FILE`)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Output file ('-' for stdout). Default: the reports folder next to the database."),
    lang: str = lang_option("the labels and the explanation"),
    profile: Optional[str] = typer.Option(None, "--profile", help="Needs profile for the recommendation: a built-in name or a YAML file. Default: the profile the run was decided with."),
    db: Optional[Path] = typer.Option(None, "--db", help="SQLite database (default: the user data dir)."),
    as_json: bool = typer.Option(False, "--json", help="Print {\"report_path\", ...} as one JSON document on stdout."),
    force: bool = typer.Option(False, "--force", help="Overwrite --out if it exists (without --out a new file name is chosen)."),
) -> None:
    """Write the report of a run: verdict, charts, the ten criteria, openness, cost of ownership, answers."""
    from whichai.app import render_report, write_report

    store = _open(db)
    if out is not None and str(out) == "-":
        sys.stdout.write(render_report(store, run_id, fmt=fmt, lang=lang, profile=profile).text)
        return
    path = write_report(store, run_id, fmt=fmt, out=out, lang=lang, profile=profile, force=force)
    if as_json:
        from whichai.cli.output import print_json

        print_json({"run_id": store.run(run_id)["id"], "format": fmt, "report_path": str(path.resolve())})
    else:
        sys.stdout.write(f"{path.resolve()}\n")


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind. Anything but loopback needs --allow-remote."),
    port: int = typer.Option(8765, "--port", min=0, max=65535),
    db: Optional[Path] = typer.Option(None, "--db", help="SQLite database (default: the user data dir)."),
    allow_remote: bool = typer.Option(False, "--allow-remote", help="Allow binding a non-loopback address (a token is then required)."),
    token: Optional[str] = typer.Option(None, "--token", help="Access token required on every request (generated when binding remotely). Visible to other users in `ps`: prefer the environment variable WHICHAI_SERVE_TOKEN."),
    lang: str = lang_option("the pages, until a visitor picks one"),
) -> None:
    """Start the local dashboard: runs, their reports, the catalog, and a profile form with its recommendation."""
    from whichai.errors import InputError
    token = _serve_token(token)
    remote = host not in LOOPBACK
    if remote and not allow_remote:
        raise InputError(
            f"--host {host} would expose your runs beyond this machine. "
            "Fix: keep the default --host 127.0.0.1, or add --allow-remote (a token is then required)."
        )
    if token is not None and len(token) < 8:
        raise InputError("the token (--token or WHICHAI_SERVE_TOKEN) is too short. Fix: use at least 8 characters, or omit it to have one generated.")
    if remote and token is None:
        import secrets

        token = secrets.token_urlsafe(24)
    _check_port(host.strip("[]"), port)  # before the URL is printed: a taken port is one clear error
    store = _open(db)
    from whichai.web import create_app

    app = create_app(store.path, token=token, lang=lang, host=host)
    store.close()
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    url = f"http://{shown}:{port}/"
    if token:
        url += f"?token={token}"
    if remote:
        sys.stderr.write(
            f"WARNING: serving on {host}, reachable from other machines. Anyone with the token can read your runs.\n"
            f"Token: {token}\n"
        )
    sys.stderr.write(f"whichai dashboard: {url}  (Ctrl-C to stop)\n")
    import uvicorn

    uvicorn.run(app, host=host.strip("[]"), port=port, log_level="warning")


def _serve_token(given: str | None) -> str | None:
    """The dashboard's token: ``--token`` (with a warning: a command line is visible to every user of the
    machine, in ``ps`` and /proc), else the environment variable WHICHAI_SERVE_TOKEN, else none."""
    import os

    if given is not None:
        sys.stderr.write(
            "WARNING: --token is visible to other users of this machine (ps, /proc/PID/cmdline). "
            "Fix: set it in the environment variable WHICHAI_SERVE_TOKEN instead.\n"
        )
        return given
    return os.environ.get(SERVE_TOKEN_ENV) or None


def _check_port(host: str, port: int) -> None:
    """Bind the address once, as the server will (issue 23, finding 9: the URL was printed, then the
    server failed on a port already taken)."""
    import socket

    from whichai.errors import InputError

    if port == 0:
        return
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise InputError(f"cannot listen on {host}:{port}: {exc.strerror or exc}. "
                             f"Fix: stop what uses port {port}, or pass another --port (e.g. --port {port + 1 if port < 65535 else 8765}).") from None
