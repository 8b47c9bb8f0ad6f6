"""``whichai recommend`` and ``whichai profile new|examples|show``.

Only typer and the standard library at import time: decide, the catalog, rich and pydantic load
inside the commands, so ``whichai --help`` stays instant.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

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


def _measurements(run_id: str, db: Optional[Path]) -> list[dict]:
    from whichai.errors import InputError
    from whichai.paths import default_db_path
    from whichai.store import Store

    store = Store.open(db or default_db_path(), create=False)
    try:
        run = store.run(run_id)
        if run is None:
            raise InputError(f"no run {run_id!r} in {store.path}. Fix: list runs with `whichai history`, or pass --db PATH.")
        from whichai.metrics import summarise

        return summarise(store, run["id"])
    finally:
        store.close()


def recommend_cmd(
    profile: Optional[str] = typer.Option(None, "--profile", "-p", help="Needs profile: a built-in name (see `whichai profile examples`) or a YAML file. Default: the default profile."),
    run_id: Optional[str] = typer.Option(None, "--run", help="Use what this run measured (quality bar, performance, throughput)."),
    db: Optional[Path] = typer.Option(None, "--db", help="SQLite database of runs (default: whichai.db in the user data dir)."),
    catalog_file: Optional[Path] = typer.Option(None, "--catalog-file", help="YAML file of your own catalog entries / overrides."),
    only_measured: bool = typer.Option(False, "--only-measured", help="With --run: rank only the models the run measured."),
    top: int = typer.Option(10, "--top", min=1, help="Rows of the ranking to show (the JSON has all)."),
    lang: Optional[str] = typer.Option(None, "--lang", help="Language of the explanation: en or id (default: from the locale)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document on stdout."),
) -> None:
    """Recommend open source, open weights, closed or a hybrid for your needs, with the cost and what would change it."""
    from whichai.catalog import load_catalog
    from whichai.decide import load_profile
    from whichai.decide.recommendation import recommend
    from whichai.errors import InputError

    language = _lang(lang)
    needs = load_profile(profile)
    if only_measured and not run_id:
        raise InputError("--only-measured needs --run RUN_ID. Fix: add --run, or drop --only-measured.")
    measurements = _measurements(run_id, db) if run_id else None
    only = [m["model"] for m in measurements or []] if only_measured else None
    rec = recommend(needs, load_catalog(catalog_file), measurements=measurements, lang=language, only=only)
    if as_json:
        from whichai.cli.output import print_json

        document = rec.to_json(language)
        if run_id:
            document["run_id"] = run_id
        print_json(document)
        return
    from whichai.cli.output import out_console
    from whichai.decide.explain import render

    render(rec, out_console(), language, top=top)


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
    for name, p in profiles.items():
        table.add_row(name, p.description)
    out_console().print(table)


@profile_app.command("show")
def show_cmd(
    name: str = typer.Argument("default", help="A built-in name or a YAML file."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document on stdout."),
) -> None:
    """Show a profile with every default filled in."""
    from whichai.decide.profile import load_profile

    p = load_profile(name)
    if as_json:
        from whichai.cli.output import print_json

        print_json(p.model_dump(mode="json"))
        return
    import yaml

    typer.echo(yaml.safe_dump(p.model_dump(mode="json"), sort_keys=False, allow_unicode=True), nl=False)


@profile_app.command("new")
def new_cmd(
    out: Path = typer.Option(Path("whichai-profile.yaml"), "--out", "-o", help="Where to write the profile."),
    lang: Optional[str] = typer.Option(None, "--lang", help="Language of the questions: en or id (default: from the locale)."),
    force: bool = typer.Option(False, "--force", help="Overwrite the file if it exists."),
) -> None:
    """Answer a few questions (EN or ID) and write a validated profile. Answers may also be piped on stdin."""
    from whichai.decide.questionnaire import run_questionnaire
    from whichai.errors import InputError

    if out.exists() and not force:
        raise InputError(f"{out} exists. Fix: pass --force to overwrite it, or another --out FILE.")
    run_questionnaire(out, _lang(lang))
