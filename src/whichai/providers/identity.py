"""What a model id stands for: the catalog entry it runs, and where it runs.

``identity(registry, model_id, catalog)`` gives the :class:`Identity` whose keys a run's per-model summary
carries for decide:

- ``serves``: the catalog id of the model behind the id, when it is not the id itself: a configured
  server's ``serves = "<catalog id>"``, or the entry matched from a local server's model name
  (``ollama/llama3.1:8b`` -> ``meta/llama-3.1-8b-instruct``) or a Hugging Face GGUF repo;
- ``self_hosted``: True when the user runs it (a local GGUF, a local server, ``self_hosted = true``);
- ``hardware``: ``"this-machine"`` when it runs on this computer.

``match(catalog, name)`` links a local server's model name to a catalog entry by the tokens that
identify the weights (family, version, size), ignoring quantisation tags and the instruct suffix that
local servers leave out; it answers None rather than guess between two entries. ``link_to_catalog(rows,
catalog)`` adds that match to every model of a :func:`whichai.providers.discovery.probe` answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from whichai.providers.discovery import ServerProbe, is_loopback
from whichai.providers.hub import is_hub_ref, parse_ref

_QUANT = re.compile(r"(?i)[-_.:]?(?:i?q\d(?:_[a-z0-9]+)*|[bf]f?16|f32|fp8|int[48]|awq|gptq|gguf|mlx|\d+bit)$")
_TOKEN = re.compile(r"\d+(?:\.\d+)?[bkm]?(?![a-z])|[a-z]+")
_VARIANT = {"instruct", "it", "chat", "hf", "latest"}


@dataclass(frozen=True)
class Identity:
    """The catalog entry a model id runs (``serves``, when not the id itself), whether the user runs it
    (``self_hosted``), on what (``hardware``), and a local GGUF's own parameter count (``params_b``, for a
    file the catalog does not know). ``in_process``: whichai's own local/ provider runs it."""

    serves: str | None = None
    self_hosted: bool = False
    hardware: str | None = None
    params_b: float | None = None
    in_process: bool = False

    def summary_keys(self) -> dict[str, str | bool | float]:
        """The keys that are set, as a run's per-model summary carries them (in the order it always had)."""
        keys: dict[str, str | bool | float | None] = {"serves": self.serves, "self_hosted": self.self_hosted or None,
                                                       "hardware": self.hardware, "params_b": self.params_b}
        if self.in_process:  # the local provider's keys came first, its match to the catalog after
            keys = {"self_hosted": keys["self_hosted"], "hardware": keys["hardware"], **keys}
        return {k: v for k, v in keys.items() if v is not None}


def tokens(name: str) -> frozenset[str]:
    """``llama3.1:8b`` -> {llama, 3.1, 8b}; quantisation tags (``q4_K_M``, ``fp16``, ``GGUF``) dropped."""
    text = name.lower().rsplit("/", 1)[-1]
    text = text.replace(":", "-")
    previous = None
    while previous != text:  # strip trailing quantisation / packaging tags, one at a time
        previous = text
        text = _QUANT.sub("", text)
    return frozenset(_TOKEN.findall(text))


@lru_cache(maxsize=4)
def _index(catalog: Any) -> list[tuple[frozenset[str], int, str]]:
    """(tokens, preference, id) for each name of each entry; lower preference is better."""
    rows = []
    for raw in catalog.raw:
        names = [raw["id"], *(raw.get("aliases") or [])]
        if raw.get("hf_repo"):
            names.append(raw["hf_repo"])
        # prefer the lab's own entry with its weights on the hub over hosts' copies of it
        preference = (0 if raw.get("hf_repo") else 2) + (0 if raw.get("weights_downloadable") else 1)
        for name in names:
            rows.append((tokens(name), preference, raw["id"]))
    return rows


def match(catalog: Any, name: str) -> str | None:
    """The catalog id for a served model name, or None when no entry (or more than one) fits."""
    raw = catalog.find_raw(name)
    if raw is not None:
        return raw["id"]
    wanted = tokens(name)
    if not wanted or not any(any(c.isdigit() for c in t) for t in wanted):
        return None  # a family name alone ("llama3") does not say which weights
    best: dict[str, tuple[int, int]] = {}
    for have, preference, entry_id in _index(catalog):
        if wanted <= have and not (have - wanted - _VARIANT):
            # local servers' default tags are the chat models: between base and instruct, instruct
            rank = (preference, 0 if have & _VARIANT else 1)
            best[entry_id] = min(best.get(entry_id, (99, 9)), rank)
    if not best:
        return None
    top = min(best.values())
    winners = sorted(i for i, p in best.items() if p == top)
    return winners[0] if len(winners) == 1 else None


def link_to_catalog(rows: list[ServerProbe], catalog: Any) -> list[ServerProbe]:
    """The probe's rows with ``catalog`` (the matching catalog id, or None) set on every model."""
    return [replace(row, models=tuple(replace(m, catalog=match(catalog, m.name)) for m in row.models)) for row in rows]


def _is_local_server(provider: Any) -> bool:
    from whichai.providers.local_server import LocalServerProvider

    return isinstance(provider, LocalServerProvider)


def is_self_hosted(provider: Any) -> bool:
    """Whether the user runs the provider's models (no API bill): a local model, a local server, or a
    server declared ``self_hosted = true``."""
    return bool(provider.local or getattr(provider.config, "self_hosted", False) or _is_local_server(provider))


def identity(registry: Any, model_id: str, catalog: Any) -> Identity:
    """The identity of one model id (nothing set for a vendor API)."""
    from whichai.providers.registry import split_model_id

    prefix, name = split_model_id(model_id)
    provider = registry.provider(prefix)
    config = provider.config
    if provider.local:
        local = Identity(self_hosted=True, hardware="this-machine", in_process=True)
        if is_hub_ref(name) and catalog.find_raw(model_id) is None:
            return replace(local, serves=match(catalog, parse_ref(name).repo_id.split("/", 1)[1]))
        if catalog.find_raw(model_id) is None and (params := local_params_b(model_id)):
            return replace(local, params_b=params)
        return local
    serves = getattr(config, "serves", None) or (match(catalog, name) if _is_local_server(provider) else None)
    if not is_self_hosted(provider):
        return Identity(serves=serves)
    return Identity(serves=serves, self_hosted=True,
                    hardware="this-machine" if is_loopback(getattr(config, "base_url", None)) else None)


def identities(registry: Any, model_ids: Iterable[str], catalog: Any) -> dict[str, Identity]:
    """model id -> :func:`identity`, for each of ``model_ids``."""
    return {model_id: identity(registry, model_id, catalog) for model_id in model_ids}


def local_params_b(model_id: str) -> float | None:
    """The parameter count (billions) a local GGUF file states in its own tensors, as ``whichai inspect``
    reads it: a measured file the catalog does not know is then checked against the hardware like any
    sized model, not excluded as "parameter count unknown". None for anything else or an unreadable file."""
    from whichai.errors import WhichaiError
    from whichai.providers.registry import split_model_id

    prefix, name = split_model_id(model_id)
    if prefix != "local" or is_hub_ref(name):
        return None
    try:
        from whichai.catalog.gguf import summarise
        from whichai.providers.local import model_path

        return summarise(model_path(name))["params_b"] or None
    except (OSError, ValueError, KeyError, WhichaiError):
        return None


def save(store: Any, run_id: str, found: Mapping[str, Identity]) -> None:
    """Keep each model's identity with the run, so a later ``whichai recommend --run`` judges it the same way."""
    rows = [(run_id, model, i.serves, int(i.self_hosted), i.hardware) for model, i in found.items()]
    with store.db:
        store.db.executemany("INSERT OR REPLACE INTO run_model_identity VALUES (?, ?, ?, ?, ?)", rows)


def stored(store: Any, run_id: str) -> dict[str, Identity]:
    """model -> the identity saved with the run (``serves``, ``self_hosted``, ``hardware``)."""
    query = "SELECT model, serves, self_hosted, hardware FROM run_model_identity WHERE run_id = ?"
    return {model: Identity(serves=serves, self_hosted=bool(self_hosted), hardware=hardware)
            for model, serves, self_hosted, hardware in store.db.execute(query, (run_id,))}


def run_identities(store: Any, run_id: str, model_ids: Iterable[str]) -> dict[str, Identity]:
    """The identity each of a run's models was run under (for decide's measurements): as saved with the
    run, and a local GGUF's parameter count read again from the file (the size is not stored with the run)."""
    found = stored(store, run_id)
    out = {}
    for model_id in model_ids:
        saved = found.get(model_id, Identity())
        if model_id.startswith("local/") and saved.serves is None and (params := local_params_b(model_id)):
            saved = replace(saved, params_b=params)
        out[model_id] = saved
    return out
