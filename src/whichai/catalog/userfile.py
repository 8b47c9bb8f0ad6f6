"""A user's YAML file that adds or overrides catalog entries, validated like every input.

    as_of: 2026-11-01                 # optional: when these facts were true (default: file date)
    models:
      - id: acme/llama-ft             # new entry: name, provider and openness are required
        name: ACME Llama fine-tune
        provider: ACME
        openness: open-weights
        license: Llama 3.1 Community License
        params_b: 8
        price_usd_per_mtok: {input: 0.1, output: 0.2, as_of: 2026-11-01}
      - id: openai/gpt-4o             # existing id or alias: only the given fields change
        price_usd_per_mtok: {input: 2.0, output: 8.0, as_of: 2026-11-01}

Errors raise :class:`whichai.errors.FileInputError` naming the file and the line.
"""

from __future__ import annotations

import copy
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import yaml

    from whichai.catalog.catalog import Catalog

from whichai.errors import FileInputError

ALLOWED = {
    "id", "name", "provider", "family", "aliases", "openness", "openness_reason", "license", "license_restricts_use",
    "commercial_use", "weights_downloadable", "api_available", "price_usd_per_mtok", "params_b", "active_params_b",
    "context_length", "release_date", "languages", "facts", "hf_repo", "knowledge_cutoff", "openness_dimensions",
    "task_fit", "base_model", "lifecycle",
}
REQUIRED_NEW = ("name", "provider", "openness")
FIX = "See docs/catalog.md (user entries) for the format."


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _key_line(mapping_node: yaml.MappingNode, key: str) -> int:
    for k, _value in mapping_node.value:
        if k.value == key:
            return _line(k)
    return _line(mapping_node)


def read_user_file(path: str | Path) -> tuple[list[tuple[dict[str, Any], int, object]], str]:
    """Parse and structurally check the file: [(item, line, node)], as_of.

    Read through :func:`whichai.safeyaml.load_file`: size-capped, regular files only, no alias
    bombs, bounded nesting and numbers; every problem names the file and the line."""
    from whichai.safeyaml import load_file

    path = Path(path)
    data, root = load_file(path, "catalog file")
    if not isinstance(data, dict) or not isinstance(data.get("models"), list):
        raise FileInputError(path, "expected a mapping with a 'models:' list.", FIX, line=1)
    as_of = data.get("as_of") or date.fromtimestamp(path.stat().st_mtime).isoformat()
    as_of = as_of.isoformat() if isinstance(as_of, (date, datetime)) else str(as_of)
    assert root is not None  # the file parsed to a mapping
    models_node = next(v for k, v in root.value if k.value == "models")
    items = []
    for item, node in zip(data["models"], models_node.value):
        if not isinstance(item, dict) or not item.get("id"):
            raise FileInputError(path, "each model needs an 'id' (provider/model).", FIX, line=_line(node))
        unknown = set(item) - ALLOWED
        if unknown:
            key = sorted(unknown)[0]
            raise FileInputError(path, f"unknown field {key!r} in model {item['id']!r}.", f"Allowed: {', '.join(sorted(ALLOWED))}.", line=_key_line(node, key))
        if "openness" in item and item["openness"] not in ("open-source", "open-weights", "closed"):
            raise FileInputError(path, f"openness of {item['id']!r} is {item['openness']!r}.", "Write open-source, open-weights or closed.", line=_key_line(node, "openness"))
        price = item.get("price_usd_per_mtok")
        if price is not None:
            if not isinstance(price, dict) or not {"input", "output"} <= set(price):
                raise FileInputError(path, f"price_usd_per_mtok of {item['id']!r} needs input and output.", "Write {input: 0.5, output: 1.5, as_of: YYYY-MM-DD}.", line=_key_line(node, "price_usd_per_mtok"))
            if not price.get("as_of"):
                raise FileInputError(path, f"price of {item['id']!r} has no as_of date (a price without a date is not accepted).", "Add as_of: YYYY-MM-DD to the price.", line=_key_line(node, "price_usd_per_mtok"))
        items.append((item, _line(node), node))
    return items, as_of


def _iso(value: object) -> object:
    """YAML dates (at any depth, e.g. lifecycle.shutdown_date) as ISO strings."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _iso(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_iso(v) for v in value]
    return value


def merge_user_file(catalog: Catalog, path: str | Path) -> Catalog:
    """A new Catalog: the given one plus the file's additions and overrides, each field sourced to the file."""
    from pydantic import ValidationError

    from whichai.catalog.catalog import Catalog
    from whichai.catalog.schema import ModelEntry

    items, as_of = read_user_file(path)
    path = Path(path)
    doc = catalog.document.copy()
    entries = list(catalog.raw)
    index = {k: i for k, i in catalog._index.items()}
    source = {"name": "user", "url": path.resolve().as_uri(), "as_of": as_of}
    for item, line, node in items:
        item = {k: _iso(v) for k, v in item.items()}
        if isinstance(item.get("price_usd_per_mtok"), dict):
            price = dict(item["price_usd_per_mtok"])
            price["as_of"] = str(price["as_of"])
            price.setdefault("source", "user")
            item["price_usd_per_mtok"] = price
        i = index.get(str(item["id"]).lower())
        if i is None:
            missing = [k for k in REQUIRED_NEW if not item.get(k)]
            if missing:
                raise FileInputError(path, f"new model {item['id']!r} needs {', '.join(missing)}.", "Give name, provider and openness (open-source, open-weights or closed), or use the id of an existing entry to override it.", line=line)
            entry = {"sources": [], "openness_reason": "stated in the user file", **item}
            entry.setdefault("weights_downloadable", item["openness"] != "closed")
            entries.append(entry)
            i = len(entries) - 1
        else:
            entry = copy.deepcopy(entries[i])
            item.pop("id")
            entry.update(item)
            if "openness" in item:
                entry["openness_reason"] = item.get("openness_reason") or "overridden in the user file"
            entries[i] = entry
        entry["sources"] = [*entry.get("sources", []), source]
        if isinstance(entry.get("price_usd_per_mtok"), dict) and entry["price_usd_per_mtok"].get("source") == "user":
            offer = {"price": entry["price_usd_per_mtok"], "status": "active", "free_tier": False, "source": source}
            entry["offers"] = {**entry.get("offers", {}), entry["id"]: offer}
        for field in item:
            if field != "id":
                entry.setdefault("field_sources", {})[field] = source
        try:
            ModelEntry.model_validate(entry)
        except ValidationError as exc:
            err = exc.errors()[0]
            field = str(err["loc"][0]) if err.get("loc") else ""
            raise FileInputError(path, f"model {entry['id']!r}: {field} {err['msg']}.", FIX, line=_key_line(node, field) if field else line) from exc
        except (KeyError, TypeError, ValueError) as exc:
            raise FileInputError(path, f"model {entry['id']!r}: invalid value ({exc}).", FIX, line=line) from exc
        for key in (entry["id"], *entry.get("aliases", [])):
            index[key.lower()] = i
    doc["entries"] = entries
    return Catalog(doc, catalog.path)
