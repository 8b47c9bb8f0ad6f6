"""Curated facts and the rules of precedence (docs/catalog.md, "Rules of precedence").

* Weights are downloadable only with an artefact on record: a Hugging Face repository (MOF,
  osai-index, models.dev weights, curated model card) or models.dev ``open_weights = true``.
* MOF files whose components are all "unlicensed" are templates: not evidence (upstream.apply_mof).
* A closed lab's API model is closed, whatever a template says, unless an artefact is on record.
* A derivative inherits its base model's training-data openness and licence conditions.
* Licences are normalised (:mod:`whichai.catalog.licenses`): "Unclear", "other" mean unknown.
* Curated model-card facts (``curated/models.yaml``) override upstream values, each with its URL
  and the date it was read; vendor terms (``curated/vendors.yaml``) apply to the vendor's models.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from whichai import safeyaml
from whichai.catalog import licenses
from whichai.catalog.catalog import Issue
from whichai.catalog.naming import OWNER_LAB, known_lab, lab_filed_id, model_key, params_from_name
from whichai.catalog.openness import Evidence
from whichai.catalog.upstream import add_source, new_entry, record_value, set_field

CURATED = Path(__file__).parent / "curated"
# labs that sell API access to models whose weights they do not publish (some publish a few: those
# have an artefact on record and are not affected)
CLOSED_LABS = {"openai", "anthropic", "google", "xai", "amazon", "perplexity", "inception", "writer", "ai21", "baidu"}
ORG_WORDS = (
    ("openai", "openai"), ("anthropic", "anthropic"), ("google", "google"), ("deepmind", "google"), ("meta", "meta"),
    ("facebook", "meta"), ("microsoft", "microsoft"), ("mistral", "mistral"), ("alibaba", "alibaba"), ("qwen", "alibaba"),
    ("deepseek", "deepseek"), ("xai", "xai"), ("amazon", "amazon"), ("nvidia", "nvidia"), ("ibm", "ibm"),
    ("allen", "allenai"), ("ai2", "allenai"), ("huggingface", "huggingface"), ("hugging face", "huggingface"),
    ("ai singapore", "aisingapore"), ("cohere", "cohere"), ("baidu", "baidu"), ("tencent", "tencent"), ("ai21", "ai21"),
)
CURATED_FIELDS = ("params_b", "active_params_b", "context_length", "languages", "task_fit", "release_date", "hf_repo", "provider", "name")


def lab_for_org(org: str) -> str | None:
    o = str(org or "").lower()
    if known_lab(o):
        return known_lab(o)
    # a word followed by a digit is another name: "AI21 Labs" is not Ai2 (the Allen Institute)
    return next((lab for word, lab in ORG_WORDS if re.search(re.escape(word) + r"(?![0-9])", o)), None)


def apply_precedence(e: dict[str, Any], ev: Evidence, issues: list[Issue]) -> None:
    """Weights: yes with an artefact or an open licence on them; no with positive evidence (a closed
    lab's API model without either, an auditor's "closed" rating); otherwise unknown."""
    artefact = e.get("_artefact")
    lab = e.get("lab") or lab_for_org(e.get("provider", ""))
    if not artefact and lab in CLOSED_LABS and ev.license_src == "MOF" and licenses.is_open(ev.license):
        ev.license, ev.license_open = None, None  # a template's licence for unreleased weights: not evidence
        e["license"] = None
        e["_fs"].pop("license", None)
    if not artefact and ev.license and licenses.is_open(ev.license) and not ev.license_src.startswith("inherits"):
        artefact = f"weights released under an open licence, {ev.license} ({ev.license_src or 'licence on record'})"
    if artefact:
        if ev.weights is not True:
            if ev.weights is False:
                issues.append({"kind": "conflict", "source": "openness", "item": e["id"], "detail": f"{ev.weights_src} but {artefact}"})
            ev.weights, ev.weights_src = True, artefact
        return
    if ev.weights is True:  # only evidence without an artefact (should not happen: every True path records one)
        ev.weights, ev.weights_src = None, "no artefact (Hugging Face repository, models.dev open_weights) on record"
    own_api = any(OWNER_LAB.get(run_id.split("/")[0], run_id.split("/")[0]) == lab for run_id in e.get("offers") or {})
    if lab in CLOSED_LABS:
        ev.weights, ev.weights_src = False, f"{e['provider']} publishes no weights for it: no weights artefact or open licence on record (closed lab's model)"
    elif ev.weights is False and not (e.get("_lab_file") or own_api or ev.weights_src.startswith("osai-index")):
        ev.weights, ev.weights_src = None, f"only a host's file says not downloadable ({ev.weights_src}): not evidence"
    for note in e.get("_notes", []):
        e["openness_dimensions"].setdefault("note:" + str(len(e["openness_dimensions"])), note)


def align_suites(entries: dict[str, Any], issues: list[Issue]) -> None:
    """Every checkpoint of one suite (same lab, family and version; sizes differ) trained with the
    same published data and code gets the same evidence: a checkpoint whose code or data is unknown
    takes a sibling's positive evidence (never over a source's "no")."""
    suites: dict[str, list[dict[str, Any]]] = {}
    for e in entries.values():
        name = re.sub(r"(?<![\w.])\d+(?:\.\d+)?\s*[bm](?![a-z])", "", str(e["name"]), flags=re.I)
        suites.setdefault(model_key(e.get("lab"), name, True), []).append(e)
    for members in suites.values():
        if len(members) < 2:
            continue
        for dim in ("code", "data"):
            donor = next((m for m in members if getattr(m["_ev"], dim) is True and not str(getattr(m["_ev"], dim + "_src")).startswith("same suite")), None)
            if donor is None:
                continue
            for m in members:
                if getattr(m["_ev"], dim) is None:
                    setattr(m["_ev"], dim, True)
                    setattr(m["_ev"], dim + "_src", f"same suite as {donor['name']} ({getattr(donor['_ev'], dim + '_src')})")


# ---------------------------------------------------------------- curated models


def read_models() -> dict[str, Any]:
    """``curated/models.yaml``: read once per build, given to :func:`merge_same_models` and :func:`apply_curated_models`."""
    models: dict[str, Any] = safeyaml.load_packaged(CURATED / "models.yaml")
    return models


def _curated_entry(m: dict[str, Any]) -> dict[str, Any]:
    s = {"name": "curated", "url": m["sources"][0]["url"], "as_of": str(m["sources"][0]["as_of"])}
    keep = {k: v for k, v in m.items() if k not in ("evidence", "note", "sources")}
    e = new_entry(**keep)
    e["sources"] = [{**x, "as_of": str(x["as_of"])} for x in m["sources"]]
    for f in ("license", *CURATED_FIELDS, "provider", "name"):
        if m.get(f) is not None:
            e["_fs"][f] = s
    ev: Evidence = e["_ev"]
    ev.weights, ev.weights_src = m["evidence"]["weights"]["value"], m["evidence"]["weights"]["source"]
    ev.code, ev.code_src = m["evidence"]["code"]["value"], m["evidence"]["code"]["source"]
    ev.data, ev.data_src = m["evidence"]["data"]["value"], m["evidence"]["data"]["source"]
    ev.license, ev.license_src = licenses.normalise(m.get("license")), "curated"
    e["license"] = ev.license
    if m.get("hf_repo"):
        e["_artefact"] = f"Hugging Face repository {m['hf_repo']} (curated)"
    return e


def _lookup(entries: dict[str, Any]) -> dict[str, str]:
    idx: dict[str, str] = {}
    for k, e in entries.items():
        for name in (k, e["id"], *e["aliases"], *e["offers"], *e.get("_same", [])):
            idx.setdefault(str(name).lower(), k)
    return idx


def _apply_block(e: dict[str, Any], block: dict[str, Any]) -> None:
    s = {"name": "curated", "url": block["source"]["url"], "as_of": str(block["source"]["as_of"])}
    if block["source"].get("note"):
        s["note"] = block["source"]["note"]
    ev: Evidence = e["_ev"]
    if "license" in block:
        ev.license, ev.license_open, ev.license_src = licenses.normalise(block["license"]), None, f"curated: {s['url']}"
        e["license"] = ev.license
        e["_fs"]["license"] = s
        record_value(e, "license", ev.license, s)
    for f in CURATED_FIELDS:
        if f in block:
            set_field(e, f, block[f], s)
    if block.get("hf_repo"):
        e["_artefact"] = f"Hugging Face repository {block['hf_repo']} ({s['url']})"
    if "data_open" in block:
        ev.data, ev.data_src = block["data_open"], f"curated: {block.get('data_note') or s['url']}"
    if "code_open" in block:
        ev.code, ev.code_src = block["code_open"], f"curated: {s['url']}"
    if block.get("base_model"):
        e["_base_id"] = block["base_model"]
    e["aliases"].extend(a for a in block.get("aliases", []) if a not in e["aliases"])
    add_source(e, "curated", s["as_of"], s["url"])


def apply_curated_models(entries: dict[str, Any], issues: list[Issue], doc: dict[str, Any]) -> None:
    for m in doc.get("models", []):
        e = _curated_entry(m)
        entries[e["id"]] = e
    idx = _lookup(entries)
    for block in doc.get("facts", []):
        keys = list(dict.fromkeys(idx[m.lower()] for m in block["match"] if m.lower() in idx))
        if not keys:
            issues.append({"kind": "unknown-fact", "source": "curated", "item": block["match"][0], "detail": "curated facts for a model not in the catalog: not applied"})
        for key in keys:  # a block applies to every entry it names (each host's copy, each checkpoint)
            _apply_block(entries[key], block)
    apply_repo_facts(entries, doc.get("repo_facts", []))


def sizes_from_repo_names(entries: dict[str, Any]) -> None:
    """A size in the name of a model's Hugging Face repository is a label like one in the model's name
    (``mistralai/Mistral-Large-3-675B-Instruct-2512``): where no source gives the parameter count, it is
    read from there, with the repository as its source, and the documented nominal sizes correct it as
    they do a name's. Not for an entry whose own lab says its weights are closed (its repository is then
    in doubt: :func:`repo_in_doubt`)."""
    for e in entries.values():
        repo = e.get("hf_repo")
        if not repo or e.get("params_b") is not None or repo_in_doubt(e):
            continue
        total, active = params_from_name(str(repo).split("/")[-1])
        named = e["_fs"].get("hf_repo") or {}  # the source that recorded the repository, and when
        s = {"name": named.get("name", "catalog"), "url": f"https://huggingface.co/{repo}", "as_of": named.get("as_of", ""),
             "note": f"size in the repository name ({repo})"}
        set_field(e, "params_b", total, s)
        if e.get("active_params_b") is None:
            set_field(e, "active_params_b", active, s)


def apply_nominal_sizes(entries: dict[str, Any], blocks: list[dict[str, Any]]) -> None:
    """A size in a model's name is a label, not a count. Where a family's label is documented to differ
    from its parameter count by more than rounding (Gemma "2B" has 2.51B parameters, Gemma "7B" 8.54B,
    Gemma 2 "2B" 2.61B, Qwen3-VL "8B" 8.77B), every entry whose ``params_b`` came only from its name
    (source note "size in ...") and whose name matches the block takes the documented count, from the
    page that gives it; the name's size stays a value of the field. A count from any other source (a
    card, a curated block) is never replaced."""
    for e in entries.values():
        note = str((e["_fs"].get("params_b") or {}).get("note", ""))
        if e.get("params_b") is None or not note.startswith("size in"):
            continue
        names = [str(n).lower() for n in (e["id"], e.get("name") or "", *e["aliases"], *e["offers"])]
        for block in blocks:
            if float(e["params_b"]) != float(block["nominal"]):
                continue
            if any(re.search(block["names"], n) for n in names):
                s = {"name": "curated", "url": block["source"]["url"], "as_of": str(block["source"]["as_of"]),
                     "note": block["source"].get("note", "")}
                set_field(e, "params_b", block["params_b"], s)
                add_source(e, "curated", s["as_of"], s["url"])
                break


def apply_repo_facts(entries: dict[str, Any], blocks: list[dict[str, Any]]) -> None:
    """Facts read from a Hugging Face repository's card apply to every entry with that repository on
    record (any source's ``hf_repo``): its licence where the catalog has none, and the card's code / data
    evidence where no curated block already set them."""
    by_repo = {r.lower(): b for b in blocks for r in b["repos"]}
    for e in entries.values():
        repos = [e.get("hf_repo"), *(v["value"] for v in e.get("_values", {}).get("hf_repo", []))]
        block = next((by_repo[str(r).lower()] for r in repos if r and str(r).lower() in by_repo), None)
        if block is None:
            continue
        s = {"name": "curated", "url": block["source"]["url"], "as_of": str(block["source"]["as_of"]), "note": block["source"].get("note", "")}
        ev: Evidence = e["_ev"]
        if not ev.license or licenses.is_open(ev.license) is None:
            ev.license, ev.license_open, ev.license_src = licenses.normalise(block["license"]), None, f"curated: {s['url']}"
            e["license"] = ev.license
            e["_fs"]["license"] = s
            record_value(e, "license", ev.license, s)
        for dim in ("code", "data"):
            if f"{dim}_open" in block and not str(getattr(ev, dim + "_src") or "").startswith("curated"):
                setattr(ev, dim, block[f"{dim}_open"])
                setattr(ev, dim + "_src", f"curated: {s['url']} ({s['note']})")
        add_source(e, "curated", s["as_of"], s["url"])


def repo_in_doubt(e: dict[str, Any]) -> bool:
    """An entry names a Hugging Face repository while its own lab says the weights are not downloadable
    (models.dev's ``mistral-medium-latest`` file names Medium 3.5's repository for an alias that serves
    Medium 3.1): the repository says nothing of this entry's weights, and no repository rule uses it."""
    return bool(e.get("hf_repo")) and e["_ev"].weights is False


SIZE_LABEL = re.compile(r"(?<![\w.])\d+(?:\.\d+)?\s*[bm](?![a-z])", re.I)  # "24B", "671b", "135M" in a name


def merge_repo_copies(entries: dict[str, Any]) -> None:
    """Host copies of one model are one entry: entries that name the same Hugging Face repository and the
    same model once a size label is set aside (Ollama Cloud's ``deepseek-v3.1:671b`` and DeepSeek V3.1;
    OpenRouter's "Mistral Small 3.2 24B" and Mistral's "Mistral Small 3.2") are merged into the lab's own
    entry (else the one with the most offers), the others' ids kept as aliases, with the repository as the
    source that joins them. Entries of one repository under another name (an API alias, a faster tier, a
    dated snapshot) stay entries of their own and share the facts of the weights (:func:`share_repo_facts`)."""
    groups: dict[tuple[str, str], list[str]] = {}
    for key, e in entries.items():
        if e.get("hf_repo") and not repo_in_doubt(e):
            name = model_key(None, SIZE_LABEL.sub("", str(e["name"])), True)
            groups.setdefault((str(e["hf_repo"]).lower(), name), []).append(key)
    for (repo, _), keys in sorted(groups.items()):
        if len(keys) < 2:
            continue
        keys.sort(key=lambda k: (not entries[k].get("_lab_file"), -len(entries[k]["offers"]), entries[k]["id"]))
        source = {"url": f"https://huggingface.co/{repo}", "as_of": ""}
        keep = entries[keys[0]]
        for other in keys[1:]:
            merged = entries.pop(other)
            filed = lab_filed_id(merged["id"], merged.get("lab"))  # the id it was filed under as an entry of its own
            _merge_into(keep, merged, source)
            if filed and filed not in keep["aliases"]:
                keep["aliases"].append(filed)


WEIGHTS_FACTS = ("license", "params_b", "active_params_b")  # facts of the weights themselves, the same wherever they are served


def share_repo_facts(entries: dict[str, Any], issues: list[Issue]) -> None:
    """Entries that name the same Hugging Face repository serve the same weights (an API alias, a
    dated snapshot, a faster tier, a host's copy): the facts of the weights (licence, total and active
    parameters) that one of them has on record fill the others' gaps, each with the source that states
    it and the sibling it came through. Never over a value on record: two values that differ are an
    issue (kind ``conflict``). An entry whose own lab says the weights are not downloadable while naming
    the repository (models.dev's alias file pointing at another release) shares nothing, and is an
    issue too."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for e in entries.values():
        if e.get("hf_repo"):
            groups.setdefault(str(e["hf_repo"]).lower(), []).append(e)
    for repo, members in sorted(groups.items()):
        if len(members) < 2:
            continue
        members.sort(key=lambda m: m["id"])
        for m in members:
            if repo_in_doubt(m):
                issues.append({"kind": "conflict", "source": "catalog", "item": m["id"],
                               "detail": f"{m['_ev'].weights_src} says the weights are not downloadable, yet names {repo}, the repository of "
                                         f"{', '.join(o['name'] for o in members if o is not m)}: nothing shared with it"})
        _share_weights(repo, [m for m in members if not repo_in_doubt(m)], issues)


def _fact_key(value: Any) -> Any:
    """A fact as compared between entries: 671 and 671.0 parameters are one value."""
    return float(value) if isinstance(value, (int, float)) else str(value)


def _share_weights(repo: str, members: list[dict[str, Any]], issues: list[Issue]) -> None:
    for field in WEIGHTS_FACTS:
        donors = [m for m in members if m.get(field) not in (None, "")]
        if not donors:
            continue
        if len({_fact_key(d[field]) for d in donors}) > 1:
            issues.append({"kind": "conflict", "source": "catalog", "item": repo,
                           "detail": f"{field} differs between entries of the same weights: "
                                     + "; ".join(f"{d['name']}: {d[field]}" for d in donors)})
            continue
        donor = donors[0]
        via = dict(donor["_fs"][field])  # every fact set has its source (upstream.set_field)
        via["note"] = f"same weights as {donor['name']} (Hugging Face repository {repo})" + (f"; {via['note']}" if via.get("note") else "")
        for m in members:
            if m.get(field) in (None, ""):
                set_field(m, field, donor[field], via)
                if field == "license":
                    ev: Evidence = m["_ev"]
                    ev.license, ev.license_open = donor[field], None
                    ev.license_src = f"same weights as {donor['name']} ({repo}): {donor['_ev'].license_src or via['name']}"


def _merge_into(keep: dict[str, Any], other: dict[str, Any], source: dict[str, Any]) -> None:
    """``other`` is the same model as ``keep``: its id, aliases and offers become keep's."""
    for run_id, offer in other["offers"].items():
        keep["offers"].setdefault(run_id, offer)
    keep["aliases"].extend(a for a in (other["id"], *other["aliases"], *other.get("_same", [])) if a not in keep["aliases"])
    keep["_links"].append({"alias": other["id"], "how": f"same model ({source['url']})"})
    keep["api_available"] = keep["api_available"] or other["api_available"]
    for s in other["sources"]:
        if s not in keep["sources"]:
            keep["sources"].append(s)
    for field, fs in other["_fs"].items():
        if keep.get(field) in (None, [], "") and other.get(field) not in (None, [], ""):
            keep[field], keep["_fs"][field] = other[field], fs
    for field, vals in other.get("_values", {}).items():
        for v in vals:
            if v not in keep.setdefault("_values", {}).setdefault(field, []):
                keep["_values"][field].append(v)
    kev, oev = keep["_ev"], other["_ev"]
    for dim in ("weights", "code", "data", "license"):
        if getattr(kev, dim) is None and getattr(oev, dim) is not None:
            setattr(kev, dim, getattr(oev, dim))
            setattr(kev, dim + "_src", getattr(oev, dim + "_src"))
    for k, v in other["openness_dimensions"].items():
        keep["openness_dimensions"].setdefault(k, v)
    if other.get("_artefact") and not keep.get("_artefact"):
        keep["_artefact"] = other["_artefact"]
    if other.get("_first_party") and not keep.get("_first_party"):
        keep["_first_party"] = other["_first_party"]


def merge_same_models(entries: dict[str, Any], issues: list[Issue], doc: dict[str, Any]) -> None:
    """Curated ``same_model`` groups: entries the name key cannot join (an API name such as
    ``open-mistral-nemo``, a release name without "Instruct") merged into one, with the page that says so."""
    for group in doc.get("same_model", []):
        idx = _lookup(entries)
        keep = idx.get(group["keep"].lower())
        if keep is None:
            issues.append({"kind": "unknown-fact", "source": "curated", "item": group["keep"], "detail": "same_model: entry to keep not in the catalog"})
            continue
        src = {"url": group["source"]["url"], "as_of": str(group["source"]["as_of"])}
        for other_id in group["merge"]:
            other = idx.get(other_id.lower())
            if other is None or other == keep:
                continue
            _merge_into(entries[keep], entries.pop(other), src)
            idx = _lookup(entries)


def link_bases(entries: dict[str, Any], issues: list[Issue]) -> None:
    """Derivatives inherit the base model's data openness and licence conditions."""
    idx = _lookup(entries)
    names = {model_key(None, e["name"], True): k for k, e in entries.items()}
    for e in entries.values():
        base_ref = e.pop("_base_id", None) or e.get("_base_name")
        if not base_ref:
            continue
        key = idx.get(str(base_ref).lower()) or names.get(model_key(None, base_ref, True))
        if key is None or entries[key] is e:
            if e.get("_base_name"):
                issues.append({"kind": "unknown-fact", "source": "osai-index", "item": e["id"], "detail": f"base model {base_ref!r} not in the catalog: data openness taken from osai-index's base-model rating"})
            continue
        base = entries[key]
        e["base_model"] = base["id"]
        bev: Evidence = base["_ev"]
        ev: Evidence = e["_ev"]
        if bev.data is not True:
            ev.data, ev.data_src = False, f"inherits base model {base['name']}: its training data is not open"
        if bev.license and licenses.is_open(bev.license) is False:
            ev.license_open, ev.license_src = False, f"inherits the conditions of {base['name']}'s licence ({bev.license})"


# ---------------------------------------------------------------- vendor terms


def read_vendors() -> dict[str, Any]:
    vendors: dict[str, Any] = safeyaml.load_packaged(CURATED / "vendors.yaml")["vendors"]
    return vendors


def apply_vendor_facts(e: dict[str, Any], vendors: dict[str, Any]) -> None:
    if e["openness"] != "closed":
        chosen = vendors["self_hosting"]
    else:
        chosen = next((v for k, v in vendors.items() if k != "self_hosting" and any(e["id"].startswith(p) for p in v.get("applies_to", []))), None)
    if chosen is not None:
        e["facts"].update(_facts(chosen))


def _facts(vendor: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for k, f in vendor["facts"].items():
        source = f.get("source")
        if source:
            source = {**source, "as_of": str(source["as_of"])}
        out[k] = {"value": f.get("value"), "source": source, "note": (f.get("note") or "") + f" [{vendor['name']}]"}
    return out


def attach_provider_terms(providers: dict[str, Any], vendors: dict[str, Any]) -> None:
    """Each API provider's curated terms (retention, zero retention, training...) on ``providers[p]["terms"]``:
    the terms of that host's offers, whatever model they serve (``Catalog.provider_info(p)["terms"]``)."""
    for vendor in vendors.values():
        for p in vendor.get("providers", []):
            if p in providers:
                providers[p]["terms"] = _facts(vendor)
