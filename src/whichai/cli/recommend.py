"""``whichai recommend`` and ``whichai profile new|examples|show``.

Only typer and the standard library at import time: decide, the catalog, rich and pydantic load
inside the commands, so ``whichai --help`` stays instant.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from whichai.cli.options import lang_option

profile_app = typer.Typer(
    help="Needs profiles: write one with a questionnaire, list the built-in examples. / Profil kebutuhan.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.command("recommend")(recommend_cmd)
    app.add_typer(profile_app, name="profile")


def _lang(lang: Optional[str]) -> str:
    from whichai.decide.i18n import normalise_lang

    return normalise_lang(lang)


def recommend_cmd(
    profile: Optional[str] = typer.Option(None, "--profile", "-p", help="Needs profile: a built-in name (see `whichai profile examples`) or a YAML file. Default: the default profile."),
    run_id: Optional[str] = typer.Option(None, "--run", help="Use what this run measured (quality bar, performance, throughput)."),
    db: Optional[Path] = typer.Option(None, "--db", help="SQLite database of runs (default: whichai.db in the user data dir)."),
    catalog_file: Optional[Path] = typer.Option(None, "--catalog-file", help="YAML file of your own catalog entries / overrides."),
    only_measured: bool = typer.Option(False, "--only-measured", help="With --run: rank only the models the run measured."),
    top: int = typer.Option(10, "--top", min=1, help="Rows of the ranking to show (the JSON has all)."),
    lang: Optional[str] = lang_option("the explanation"),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document on stdout."),
) -> None:
    """Recommend open source, open weights, closed or a hybrid for your needs, with the cost and what would change it."""
    from whichai import app

    rec = app.recommend(app.load_needs(profile), run_id=run_id, db=db, lang=_lang(lang), catalog_file=catalog_file,
                        only_measured=only_measured)
    _show(rec.document(), _lang(lang), top, as_json)


def _show(document, language: str, top: int, as_json: bool) -> None:
    if as_json:
        import sys

        from whichai.errors import redact

        # one JSON document on stdout; pydantic's serialiser writes the 1 MB document 10x faster than json.dumps(indent=2)
        sys.stdout.write(redact(document.model_dump_json(indent=2)) + "\n")
        sys.stdout.flush()
        return
    from whichai.cli.decision_view import render
    from whichai.cli.output import out_console

    render(document, out_console(), language, top=top)


@profile_app.command("examples")
def examples_cmd(
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document on stdout."),
) -> None:
    """List the built-in example profiles by name."""
    from whichai.decide.profile import example_profiles

    profiles = example_profiles()
    if as_json:
        from whichai.cli.output import print_json

        print_json({"profiles": [{"name": n, "description": p.description, "profile": p.model_dump(mode="json")} for n, p in profiles.items()]})
        return
    from rich.table import Table

    from whichai.cli.output import out_console

    table = Table(title="Example profiles (use with --profile NAME)", title_justify="left")
    table.add_column("name", no_wrap=True)
    table.add_column("description")
    from whichai.cli.output import plain

    for name, p in profiles.items():
        table.add_row(plain(name), plain(p.description))
    out_console().print(table)


@profile_app.command("show")
def show_cmd(
    name: str = typer.Argument("default", help="A built-in name or a YAML file."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document on stdout."),
) -> None:
    """Show a profile with every default filled in."""
    from whichai.decide.profile import defaulted_fields, load_profile
    from whichai.decide.questionnaire import defaults_text

    p = load_profile(name)
    if as_json:
        from whichai.cli.output import print_json

        print_json({**p.model_dump(mode="json"), "defaulted": defaulted_fields(p)})
        return
    import yaml

    typer.echo(yaml.safe_dump(p.model_dump(mode="json"), sort_keys=False, allow_unicode=True), nl=False)
    typer.echo("".join(f"# {line}\n" for line in defaults_text(p, _lang(None)).splitlines()), nl=False)


@profile_app.command("new")
def new_cmd(
    out: Path = typer.Option(Path("whichai-profile.yaml"), "--out", "-o", help="Where to write the profile."),
    lang: Optional[str] = lang_option("the questions"),
    force: bool = typer.Option(False, "--force", help="Overwrite the file if it exists."),
) -> None:
    """Answer a few questions (EN or ID) and write a validated profile. Answers may also be piped on stdin."""
    from whichai.decide.questionnaire import run_questionnaire
    from whichai.errors import InputError

    if out.exists() and not force:
        raise InputError(f"{out} exists. Fix: pass --force to overwrite it, or another --out FILE.")
    run_questionnaire(out, _lang(lang))
