"""How to measure a catalog model next: the model id ``whichai run --models`` takes, from the catalog alone.

Decide names the models to measure next in every recommendation (:func:`way_to_measure`,
:func:`measure_command`); this module reads only the catalog entry and the installed provider kinds'
names, so a recommendation does not load the configuration (TOML, YAML, the provider registry) to
name them. :mod:`whichai.measure.candidates` plans what can be measured from here, with the registry.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from whichai.providers.known import EMBEDDED, HOSTED


def gguf_repo(raw: Any) -> str | None:
    """The GGUF repository of a catalog entry: its `gguf_repo`, else its `hf_repo` when that is one."""
    hf_repo = str(entry_field(raw, "hf_repo") or "")
    return entry_field(raw, "gguf_repo") or (hf_repo if hf_repo.endswith("-gguf") else None)


def entry_field(obj: Any, name: str) -> Any:
    """A field of a catalog entry, whether a raw dict or a ModelEntry (or an Offer)."""
    return obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)


# local servers on their default ports, and what loads a model into each before `whichai run` can call it
LOCAL_SERVER_STEPS = {"ollama": "ollama pull {model}", "lmstudio": "lms load {model}", "vllm": "vllm serve {model}"}


@dataclass
class Way:
    """How to measure a catalog model with ``whichai run --models``: ``run_id`` (None when no way is
    known from the catalog) and ``first``, a command to run before it (serving the weights)."""

    catalog: str
    run_id: str | None
    first: str | None = None

    def to_json(self) -> dict[str, str | None]:
        return {"model": self.catalog, "run_id": self.run_id, "first": self.first}


def way_to_measure(entry: Any, in_house: bool = False) -> Way:
    """The model id that measures a catalog entry, from the catalog alone (no probe, no key check): the
    embedded model; a GGUF repo the catalog knows (``local/hf:REPO:Q4_K_M``); unless ``in_house`` (the
    data may not leave the premises), an API that serves it (the vendor's SDK first, then a hosted
    open-model API); else a local server's offer, or its weights served with vLLM on this machine."""
    cid = entry_field(entry, "id")
    if cid == EMBEDDED:
        return Way(cid, cid)
    gguf = gguf_repo(entry)
    if gguf:
        return Way(cid, f"local/hf:{gguf}:Q4_K_M")
    offers = entry_field(entry, "offers") or {}
    ids = list(offers) + ([cid] if cid not in offers and entry_field(entry, "api_available") else [])
    active = [i for i in ids if entry_field(offers.get(i) or {}, "status") != "retired"
              and not (i == cid and entry_field(entry_field(entry, "lifecycle") or {}, "status") == "retired")]
    if not in_house:
        vendors = _api_kinds()
        apis = sorted((i for i in active if i.split("/", 1)[0] in vendors or i.split("/", 1)[0] in HOSTED),
                      key=lambda i: (i.split("/", 1)[0] not in vendors, i != cid, i))
        if apis:
            return Way(cid, apis[0])
    for run_id in sorted(active):
        prefix, _, model = run_id.partition("/")
        if prefix in LOCAL_SERVER_STEPS:
            return Way(cid, run_id, LOCAL_SERVER_STEPS[prefix].format(model=model))
    hf_repo = entry_field(entry, "hf_repo")
    if hf_repo and entry_field(entry, "weights_downloadable") is not False and entry_field(entry, "openness") != "closed":
        return Way(cid, f"vllm/{hf_repo}", f"vllm serve {hf_repo}")
    return Way(cid, None)


@functools.cache
def _api_kinds() -> frozenset[str]:
    """The vendors' provider kinds (the ``whichai.providers`` entry points, less the local runner): read
    once per process (the installed distributions do not change while it runs)."""
    from importlib.metadata import entry_points

    return frozenset(ep.name for ep in entry_points(group="whichai.providers")) - {"local"}


def measure_command(run_ids: list[str], profile_arg: str) -> str:
    """The ``whichai run`` command that measures these models for a profile."""
    return f"whichai run --models {','.join(run_ids)} --profile {profile_arg}"
