"""``whichai models --local``: the models of the local servers running on this machine."""

from __future__ import annotations

from typing import Any

from whichai.cli.output import out_console, print_json


def show_local(catalog: Any, as_json: bool) -> None:
    from whichai.providers.discovery import PROBE_TIMEOUT_S, probe
    from whichai.providers.identity import link_to_catalog

    rows = link_to_catalog(probe(), catalog)
    for row in rows:
        for model in row["models"]:
            raw = catalog.find_raw(model["catalog"]) if model["catalog"] else None
            model["catalog_name"] = raw["name"] if raw else None
            model["openness"] = raw["openness"] if raw else None
    if as_json:
        print_json({"servers": rows, "probe_timeout_s": PROBE_TIMEOUT_S})
        return
    _print(rows)


def _print(rows: list[dict[str, Any]]) -> None:
    from rich.markup import escape
    from rich.table import Table

    console = out_console()
    running = [r for r in rows if r["running"]]
    table = Table(title="Models of the local servers on this machine", title_justify="left")
    for column in ("run it as", "size / quantisation", "catalog entry", "openness"):
        table.add_column(column, overflow="fold")
    for row in running:
        for m in row["models"]:
            size = " / ".join(str(x) for x in (m.get("parameter_size"), m.get("quantization")) if x) or "–"
            table.add_row(escape(m["id"]), escape(size), escape(m["catalog"] or "no match in the catalog"), m.get("openness") or "–")
    if any(r["models"] for r in running):
        console.print(table)
    for row in rows:
        state = f"{len(row['models'])} model(s)" if row["running"] else (row.get("note") or row.get("error") or "not running")
        console.print(f"[dim]{escape(row['label'])} at {escape(row['url'])}: {escape(state)}[/]")
    if not running:
        console.print("No local model server is running. Start one (e.g. `ollama serve`), or set OLLAMA_HOST / "
                      "WHICHAI_LMSTUDIO_HOST / WHICHAI_LLAMACPP_HOST / WHICHAI_VLLM_HOST to where it listens.")
