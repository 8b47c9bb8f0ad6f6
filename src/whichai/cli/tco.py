"""``whichai tco A B --profile P``: two models' monthly cost, break-even volume and payback.

Only typer and the standard library at import time: decide, the catalog, rich and pydantic load
inside the command, so ``whichai --help`` stays instant.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer

from whichai.cli.options import lang_option

if TYPE_CHECKING:
    from whichai.decide.tco import CapacityFigure
    from whichai.decide.tco_compare import TcoDocument

HELP = (
    "Compare two models' cost of ownership at your profile's volume.\n\n"
    "Each model is costed in its cheapest mode your profile allows (API, your own hardware, rented GPUs), with the parts "
    "of that cost and where each figure comes from (catalog, profile, measured, estimate). Then the break-even volume, "
    "where the two monthly costs meet, and for a model on hardware you buy (hardware.purchase_usd > 0) the payback in "
    "months: purchase ÷ (the other model's monthly cost − this model's running cost: power + operations).\n\n"
    "Throughput on your hardware comes from a capacity entry in the profile (model, tokens_per_s counting input and "
    "output tokens, source, hardware), else from an estimate. hardware.hours_per_month caps the hours your hardware "
    "runs (default 730); prices sets the API prices you pay (USD per million tokens, by model id).\n\n"
    "Example: whichai tco lg/exaone-4.0.1-32b openai/gpt-5 --profile my.yaml --mode-a owned"
)


MODES = ("api", "owned", "rented")


def register(app: typer.Typer) -> None:
    app.command("tco", help=HELP)(tco_cmd)


def tco_cmd(
    model_a: str = typer.Argument(..., metavar="A", help="A model id or alias (e.g. the open model you would host)."),
    model_b: str = typer.Argument(..., metavar="B", help="The model to compare it with (e.g. a closed API)."),
    profile: Optional[str] = typer.Option(None, "--profile", "-p", help="Needs profile: a built-in name or a YAML file (volume, hardware, capacity, prices)."),
    mode_a: Optional[str] = typer.Option(None, "--mode-a", help="Cost A in this mode only: api, owned or rented (default: its cheapest allowed mode)."),
    mode_b: Optional[str] = typer.Option(None, "--mode-b", help="Cost B in this mode only: api, owned or rented (default: its cheapest allowed mode)."),
    catalog_file: Optional[Path] = typer.Option(None, "--catalog-file", help="YAML file of your own catalog entries / overrides."),
    db: Optional[Path] = typer.Option(None, "--db", help="Database whose `whichai load` results give measured capacity (default: whichai.db in the user data dir, when it exists)."),
    lang: Optional[str] = lang_option("the text"),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document on stdout."),
) -> None:
    from whichai.app import load_needs
    from whichai.catalog import load_catalog
    from whichai.decide.i18n import normalise_lang
    from whichai.decide.tco_compare import compare
    from whichai.errors import InputError

    language = normalise_lang(lang)
    for flag, mode in (("--mode-a", mode_a), ("--mode-b", mode_b)):
        if mode is not None and mode not in MODES:
            raise InputError(f"{flag} {mode!r} is not a mode. Fix: use one of {', '.join(MODES)}.")
    needs = load_needs(profile)
    doc = compare(needs, load_catalog(catalog_file), model_a, model_b, capacity=_measured_capacity(db), modes=(mode_a, mode_b))
    failed = any("excluded" in row for row in doc["models"])
    if as_json:
        from whichai.cli.output import print_json

        print_json(doc)
    else:
        _render(doc, language)
    if failed:
        raise typer.Exit(1)


def _measured_capacity(db: Optional[Path]) -> list[CapacityFigure]:
    """Capacity measured by `whichai load` and stored in the database (none when there is no database)."""
    from whichai.paths import default_db_path

    path = db or default_db_path()
    if db is None and not path.exists():
        return []
    from whichai.app import capacity_figure
    from whichai.measure.load.store import capacity_entries
    from whichai.store import Store

    store = Store.open(path, create=False)
    try:
        return [capacity_figure(c) for c in capacity_entries(store)]
    finally:
        store.close()


def _render(doc: TcoDocument, lang: str) -> None:
    from rich.table import Table

    from whichai.cli.output import out_console, plain, print_line
    from whichai.decide.i18n import count, usd
    from whichai.decide.i18n import t as text

    vol = doc["volume"]
    table = Table(title=plain(text("tco.title", lang, requests=count(vol["requests_per_month"], lang),
                                   tokens=count(vol["tokens_per_month"], lang))), title_justify="left")
    for key in ("col_model", "col_mode", "col_monthly", "col_per_mtok"):
        table.add_column(text(f"tco.{key}", lang), overflow="fold", ratio=3 if key == "col_model" else None)
    for row in doc["models"]:
        if "excluded" in row:
            continue
        mtok = row.get("usd_per_mtok")
        per_mtok = "–" if mtok is None else usd(mtok, lang)
        table.add_row(plain(row["model"]), text("mode_short." + row["mode"], lang),
                      f"{usd(row['monthly_usd'], lang)} [{text('origin.' + row['origin'], lang)}]", per_mtok)
    out_console().print(table)
    for row in doc["models"]:
        if "excluded" in row:
            reasons = "; ".join(r["text"][lang] for r in row["excluded"])
            print_line(text("tco.excluded", lang, model=row["model"], reasons=reasons))
            continue
        print_line(f"{row['model']}:")
        for c in row["components"]:
            print_line(f"  {text('cost.' + c['name'], lang)} {usd(c['usd'], lang)} [{text('origin.' + c['origin'], lang)}]: {c['text'][lang]}")
        throughput = row.get("throughput")
        if throughput:
            print_line(f"  {text('tco.col_throughput', lang)}: {throughput['text'][lang]}")
    for line in _lines(doc, lang):
        print_line(line)


def _lines(doc: TcoDocument, lang: str) -> list[str]:
    from whichai.decide.i18n import count, num, usd
    from whichai.decide.i18n import t as text

    lines = []
    be = doc.get("break_even")
    if be:
        requests, tokens = be["requests_per_month"], be["tokens_per_month"]
        if be["kind"] == "above" and requests is not None and tokens is not None:  # "above" names its volume
            lines.append(text("tco.break_even_above", lang, a=be["cheaper_above"], b=be["than"], requests=count(requests, lang),
                              tokens=count(tokens, lang), origin=text("origin." + be["origin"], lang)))
        else:
            a, b = (doc["models"][0]["model"], doc["models"][1]["model"]) if be["kind"] == "equal" else (be["cheaper_above"], be["than"])
            lines.append(text(f"tco.break_even_{be['kind']}", lang, a=a, b=b, origin=text("origin." + be["origin"], lang)))
    for pb in doc.get("payback") or []:
        if pb["months"] is None:
            lines.append(text("tco.payback_never", lang, a=pb["model"], b=pb["against"]))
        else:
            lines.append(text("tco.payback", lang, purchase=usd(pb["purchase_usd"], lang), a=pb["model"], months=num(pb["months"], lang),
                              b=pb["against"], against=usd(pb["against_monthly_usd"], lang), running=usd(pb["running_usd"], lang),
                              origin=text("origin." + pb["origin"], lang)))
    return lines
