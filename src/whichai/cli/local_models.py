"""``whichai models --local``: the models of the local servers running on this machine."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from whichai.cli.output import out_console, print_json

if TYPE_CHECKING:
    from whichai.providers.discovery import ServedModel, ServerProbe


def show_local(catalog: Any, as_json: bool) -> None:
    from whichai.providers.discovery import PROBE_TIMEOUT_S, probe
    from whichai.providers.identity import link_to_catalog

    rows = link_to_catalog(probe(), catalog)
    tunes = _tunes()
    if as_json:
        servers = [{**row.to_json(), "models": [{**m.to_json(), **_entry(catalog, m)} for m in row.models]} for row in rows]
        print_json({"servers": servers, "probe_timeout_s": PROBE_TIMEOUT_S, "tunes": tunes})
        return
    _print(rows, catalog)
    _print_tunes(tunes)


def _entry(catalog: Any, model: ServedModel) -> dict[str, str | None]:
    """The name and openness of the catalog entry a served model matches (None when it matches none)."""
    raw = catalog.find_raw(model.catalog) if model.catalog else None
    return {"catalog_name": raw["name"] if raw else None, "openness": raw["openness"] if raw else None}


def _tunes() -> list[dict[str, Any]]:
    """The models made by ``whichai tune`` (local/tuned:NAME), with their lineage."""
    from dataclasses import asdict

    from whichai.tune.lineage import list_tunes

    return [asdict(t) for t in list_tunes()]


def _print_tunes(tunes: list[dict[str, Any]]) -> None:
    from rich.markup import escape

    console = out_console()
    for t in tunes:
        rates = (t.get("measured") or {}).get("pass_rates") or {}
        shown = ", ".join(f"{escape(m)} {r['passed']}/{r['cases']}" for m, r in rates.items())
        console.print(f"{escape(t['model_id'])}: LoRA rank {t['hyper'].get('rank')} of {escape(t['base'])} on {t['examples']} "
                      f"examples of {escape(t['task'])}, {t['train_seconds']} s on {t['device']}"
                      + (f"; held-out pass: {shown}" if shown else ""))


def _print(rows: list[ServerProbe], catalog: Any) -> None:
    from rich.markup import escape
    from rich.table import Table

    console = out_console()
    running = [r for r in rows if r.running]
    table = Table(title="Models of the local servers on this machine", title_justify="left")
    for column in ("run it as", "size / quantisation", "catalog entry", "openness"):
        table.add_column(column, overflow="fold")
    for row in running:
        for m in row.models:
            details = (m.details.parameter_size, m.details.quantization) if m.details else ()
            size = " / ".join(str(x) for x in details if x) or "–"
            table.add_row(escape(m.id), escape(size), escape(m.catalog or "no match in the catalog"), _entry(catalog, m)["openness"] or "–")
    if any(r.models for r in running):
        console.print(table)
    for row in rows:
        state = f"{len(row.models)} model(s)" if row.running else (row.note or row.error or "not running")
        console.print(f"[dim]{escape(row.label)} at {escape(row.url)}: {escape(state)}[/]")
    if not running:
        console.print("No local model server is running. Start one (e.g. `ollama serve`), or set OLLAMA_HOST / "
                      "WHICHAI_LMSTUDIO_HOST / WHICHAI_LLAMACPP_HOST / WHICHAI_VLLM_HOST to where it listens.")
