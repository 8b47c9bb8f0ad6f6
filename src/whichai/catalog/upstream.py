"""Readers for the three upstream data sets, each as published: models.dev, MOF and osai-index.

models.dev gives the entries and every host's offer; MOF and osai-index add openness evidence to
the entry they link to (by Hugging Face repository, else by name with a matching producer). Each
value set here records its own source in the entry's ``_fs`` (field sources).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from whichai import safeyaml
from whichai.catalog import licenses
from whichai.catalog.catalog import Issue
from whichai.catalog.lifecycle import apply_offer
from whichai.catalog.naming import (
    LAB_NAMES,
    SIZE,
    hf_repo,
    is_base_variant,
    lab_of,
    model_key,
    params_from_name,
    repo_fits,
    sized_keys,
    slug,
    without_release_tag,
)
from whichai.catalog.openness import Evidence
from whichai.errors import FileInputError

URLS = {"models.dev": "https://models.dev", "mof": "https://mot.isitopen.ai", "osai-index": "https://osai-index.eu"}
RUN_PREFIX = {"google": "gemini"}  # models.dev provider folder -> the prefix whichai runs it under
FIRST_PARTY_EXTRA = {"llama": "meta"}  # provider folder -> the lab folder it is first party for
LATE_PROVIDERS = ("openrouter", "azure", "amazon-bedrock", "google-vertex", "nvidia", "huggingface", "ollama-cloud", "lmstudio")
NOT_TEXT = re.compile(r"whisper|embed|tts|rerank|guard|moderation|orpheus|dall-?e|image|diffusion|voice|speech|transcribe|ocr|audio|realtime", re.I)
MOF_NOT_TEXT = re.compile(r"diffusion|openvoice|deberta|megatron-bert|^bert", re.I)


def src(name: str, as_of: str, url: str | None = None, note: str = "") -> dict[str, Any]:
    out = {"name": name, "url": url if url is not None else URLS.get(name, ""), "as_of": as_of}
    if note:
        out["note"] = note
    return out


def set_field(e: dict[str, Any], field: str, value: Any, source: dict[str, Any], overwrite: bool = True) -> None:
    """Set a fact and the source it came from (skipped for None, or when set and not ``overwrite``)."""
    if value is None:
        return
    record_value(e, field, value, source)
    if not overwrite and e.get(field) not in (None, [], ""):
        return
    e[field] = value
    e["_fs"][field] = source


KEPT_FIELDS = ("license", "params_b", "active_params_b", "context_length", "release_date", "hf_repo", "weights_downloadable", "shutdown_date")


def record_value(e: dict[str, Any], field: str, value: Any, source: dict[str, Any]) -> None:
    """Keep every source's value of a fact (``entry.values[field]``); the shown value follows the
    precedence (docs/catalog.md), and fields whose sources disagree become ``entry.conflicts``."""
    if field not in KEPT_FIELDS or value in (None, "", []):
        return
    kept = e.setdefault("_values", {}).setdefault(field, [])
    item = {"value": value, "source": source.get("name", "?"), "as_of": source.get("as_of", ""), "note": source.get("note") or source.get("url") or ""}
    if not any(k["value"] == value and k["source"] == item["source"] for k in kept):
        kept.append(item)


def new_entry(**kw: Any) -> dict[str, Any]:
    e: dict[str, Any] = {
        "id": "", "name": "", "provider": "", "lab": None, "family": None, "aliases": [], "license": None,
        "license_restricts_use": None, "commercial_use": None, "weights_downloadable": None, "api_available": False,
        "price_usd_per_mtok": None, "offers": {}, "params_b": None, "active_params_b": None, "context_length": None,
        "release_date": None, "knowledge_cutoff": None, "languages": [], "task_fit": [], "facts": {},
        "openness_dimensions": {}, "sources": [], "hf_repo": None, "base_model": None,
        "_ev": Evidence(), "_links": [], "_fs": {}, "_base_name": None, "_md_deprecated": False,
    }
    e.update(kw)
    return e


def add_source(e: dict[str, Any], name: str, as_of: str, url: str | None = None) -> None:
    s = src(name, as_of, url)
    if s not in e["sources"]:
        e["sources"].append(s)


# ---------------------------------------------------------------- models.dev


def _read_toml(path: Path, issues: list[Issue]) -> dict[str, Any] | None:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        issues.append({"kind": "unreadable", "source": "models.dev", "item": str(path), "detail": str(exc)[:120]})
        return None


def _is_text(d: dict[str, Any], name: str) -> bool:
    mods = d.get("modalities") or {}
    if mods:
        return "text" in mods.get("output", []) and "text" in mods.get("input", []) and not NOT_TEXT.search(name)
    return not NOT_TEXT.search(name)


def _task_fit(d: dict[str, Any], name: str) -> list[str]:
    fit = ["base"] if is_base_variant(name) else ["chat"]
    if d.get("reasoning"):
        fit.append("reasoning")
    if re.search(r"cod(e|er|ex|estral)|devstral", name, re.I):
        fit.append("code")
    if "image" in ((d.get("modalities") or {}).get("input") or []):
        fit.append("vision")
    return fit


def _lab_entry(key: str, d: dict[str, Any], as_of: str) -> dict[str, Any]:
    lab, model = key.split("/", 1)
    s = src("models.dev", as_of, note=f"models/{key}.toml")
    e = new_entry(id=key, name=d.get("name", model), provider=LAB_NAMES.get(lab, lab), lab=lab, family=d.get("family"))
    e["_md_deprecated"] = d.get("status") == "deprecated"
    e["_lab_file"] = True  # the lab's own file: its open_weights outranks any host's
    set_field(e, "weights_downloadable", d.get("open_weights"), s)
    set_field(e, "context_length", (d.get("limit") or {}).get("context"), s)
    set_field(e, "release_date", d.get("release_date"), s)
    set_field(e, "knowledge_cutoff", d.get("knowledge"), s)
    set_field(e, "hf_repo", hf_repo([w.get("url") for w in d.get("weights", [])]), s)
    set_field(e, "task_fit", _task_fit(d, model), s)
    total, active = params_from_name(model)
    named = src("models.dev", as_of, note=f"size in the model's name ({model})")
    set_field(e, "params_b", total, named)
    set_field(e, "active_params_b", active, named)
    if d.get("license"):
        set_field(e, "license", licenses.normalise(d["license"]), s)
        e["_ev"].license, e["_ev"].license_src = e["license"], "models.dev"
    e["_ev"].weights, e["_ev"].weights_src = d.get("open_weights"), "models.dev open_weights"
    if d.get("open_weights") is True:
        e["_artefact"] = "models.dev open_weights" + (f" ({e['hf_repo']})" if e["hf_repo"] else "")
    add_source(e, "models.dev", as_of)
    return e


def _register(index: dict[str, Any], entries: dict[str, Any], key: str, lab: str | None, texts: list[str]) -> None:
    for text in texts:
        k = model_key(lab, text)
        old = index.get(k)
        if old is None or (is_base_variant(entries[old]["name"]) and not is_base_variant(entries[key]["name"])):
            index[k] = key


def read_lab_files(root: Path, as_of: str, issues: list[Issue]) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]], dict[str, str]]:
    """(toml by 'lab/model', entries by key, dedup index) from models.dev's models/ folder."""
    meta: dict[str, dict[str, Any]] = {}
    for path in sorted((root / "models").rglob("*.toml")):
        d = _read_toml(path, issues)
        if d is not None:
            meta[path.relative_to(root / "models").with_suffix("").as_posix()] = d
    entries: dict[str, dict[str, Any]] = {}
    index: dict[str, str] = {}
    exact: dict[str, str] = {}
    for key, d in meta.items():
        if not _is_text(d, key):
            continue
        lab, model = key.split("/", 1)
        vkey = model_key(lab, model, variant=True)
        if vkey in exact:  # a dated duplicate of the same model (e.g. claude-x-4-5 and claude-x-4-5-20251001)
            entries[exact[vkey]]["_links"].append({"alias": key, "how": "same model, dated lab file"})
            entries[exact[vkey]].setdefault("_same", []).append(key)
            continue
        entries[key] = _lab_entry(key, d, as_of)
        exact[vkey] = key
        _register(index, entries, key, lab, [d.get("name", model), model])
    return meta, entries, index


def _offer(d: dict[str, Any], run_id: str, as_of: str, path: str, notices: dict[str, Any], day: str) -> dict[str, Any]:
    cost = d.get("cost") or {}
    s = src("models.dev", as_of, note=path)
    free = run_id.endswith(":free") or (cost.get("input") == 0 and cost.get("output") == 0 and cost != {})
    price = None
    if not free and cost.get("input") is not None and cost.get("output") is not None:
        price = {"input": float(cost["input"]), "output": float(cost["output"]), "as_of": as_of, "source": f"models.dev:{path.split('/')[1]}"}
    offer = {"price": price, "context_length": (d.get("limit") or {}).get("context"), "status": "active",
             "shutdown_date": None, "free_tier": bool(free), "source": s}
    apply_offer(offer, run_id, notices, day, d.get("status") == "deprecated", d.get("name") or "")
    return offer


def _hosted_entry(run_id: str, merged: dict[str, Any], lab: str | None, pid: str, as_of: str, path: str) -> dict[str, Any]:
    stem = run_id.split("/")[-1]
    s = src("models.dev", as_of, note=f"{path} (a host's file: no lab file for this model)")
    e = new_entry(id=run_id, name=merged.get("name", stem), provider=LAB_NAMES.get(lab or "", lab or pid), lab=lab, family=merged.get("family"))
    set_field(e, "weights_downloadable", merged.get("open_weights"), s)
    set_field(e, "release_date", merged.get("release_date"), s)
    set_field(e, "knowledge_cutoff", merged.get("knowledge"), s)
    set_field(e, "task_fit", _task_fit(merged, stem), s)
    total, active = params_from_name(stem)
    named = src("models.dev", as_of, note=f"size in the model's name ({stem})")
    set_field(e, "params_b", total, named)
    set_field(e, "active_params_b", active, named)
    e["_ev"].weights, e["_ev"].weights_src = merged.get("open_weights"), f"models.dev open_weights={merged.get('open_weights')} ({run_id})"
    if merged.get("open_weights") is True:
        e["_artefact"] = f"models.dev open_weights ({run_id})"
    add_source(e, "models.dev", as_of)
    return e


def _target(entries: dict[str, dict[str, Any]], index: dict[str, str], meta: dict[str, dict[str, Any]], base: str | None,
            first_party_lab: str | None, mid: str, merged: dict[str, Any], pid: str, issues: list[Issue],
            run_id: str) -> tuple[str | None, str | None, str | None]:
    """(entry key or None, how, lab) for a host's model file."""
    if base and base in entries:
        return base, "base_model", entries[base]["lab"]
    for e_key, e in entries.items():
        if base and base in e.get("_same", []):
            return e_key, "base_model", e["lab"]
    if base and base not in meta:
        issues.append({"kind": "broken-link", "source": "models.dev", "item": run_id, "detail": f"base_model {base} not found"})
    if first_party_lab and f"{first_party_lab}/{mid}" in entries:
        return f"{first_party_lab}/{mid}", "first-party file name", first_party_lab
    lab = lab_of(mid, merged.get("name", ""), merged.get("family"), default=first_party_lab or pid)
    for text in (merged.get("name", ""), mid):
        key = index.get(model_key(lab, text))
        if key:
            return key, "same lab, name and size", lab
    key, how = _looser_target(entries, index, lab, merged.get("name", ""))
    return key, how, lab


def _looser_target(entries: dict[str, Any], index: dict[str, Any], lab: str | None, name: str) -> tuple[str | None, str | None]:
    """A host's name that differs from another host's entry of the lab only by a YYMM release tag
    (``Ministral 3 8B 2512`` is Bedrock's ``Ministral 3 8B``), or that names no size while the lab has
    exactly one size of that name (``Llama 4 Scout`` is Llama 4 Scout 17B). Never onto a lab's own
    file: a lab's files with and without a tag are different checkpoints (Qwen3 30B A3B and its 2507);
    never onto a name without a version number (``Magistral Small`` is whichever release is latest)."""
    untagged = without_release_tag(name) if name else None
    versioned = untagged and re.search(r"\d", SIZE.sub("", untagged))
    key = index.get(model_key(lab, untagged)) if untagged and versioned else None
    if key and not entries[key].get("_lab_file"):
        return key, "same lab, name and size (release tag dropped)"
    if name and params_from_name(name) == (None, None) and not re.search(r"\d+x\d+", name):
        sized = sized_keys(index, model_key(lab, name))
        if len(sized) == 1:
            return next(iter(sized)), "same lab and name; the lab's only size"
    return None, None


def read_providers(root: Path, meta: dict[str, Any], entries: dict[str, Any], index: dict[str, Any], as_of: str, issues: list[Issue], notices: dict[str, Any], day: str) -> dict[str, Any]:
    """Add every host's offers to the entries (creating hosted-only entries); return provider info."""
    labs = {p.name for p in (root / "models").iterdir() if p.is_dir()}
    providers: dict[str, dict[str, Any]] = {}
    pdirs = sorted((p for p in (root / "providers").iterdir() if p.is_dir()), key=lambda p: (p.name in LATE_PROVIDERS, p.name))
    for pdir in pdirs:
        pid = pdir.name
        pinfo = (_read_toml(pdir / "provider.toml", issues) if (pdir / "provider.toml").exists() else {}) or {}
        prefix = RUN_PREFIX.get(pid, pid)
        providers[prefix] = {"name": pinfo.get("name", pid), "env": pinfo.get("env", []), "api": pinfo.get("api"), "doc": pinfo.get("doc"), "models_dev_id": pid}
        first_party_lab = pid if pid in labs else FIRST_PARTY_EXTRA.get(pid)
        for path in sorted((pdir / "models").rglob("*.toml")):
            d = _read_toml(path, issues)
            if d is not None:
                mid = path.relative_to(pdir / "models").with_suffix("").as_posix()
                _host_model(entries, index, meta, pid, prefix, first_party_lab, mid, d, as_of, issues, notices, day)
    return providers


def _host_model(entries: dict[str, dict[str, Any]], index: dict[str, str], meta: dict[str, dict[str, Any]], pid: str, prefix: str,
                first_party_lab: str | None, mid: str, d: dict[str, Any], as_of: str, issues: list[Issue],
                notices: dict[str, Any], day: str) -> None:
    base = d.get("base_model")
    merged = {**(meta.get(base, {}) if base else {}), **d}
    run_id = f"{prefix}/{mid}"
    if not _is_text(merged, mid):
        return
    rel = f"providers/{pid}/models/{mid}.toml"
    key, how, lab = _target(entries, index, meta, base, first_party_lab, mid, merged, pid, issues, run_id)
    if key is None:
        key = f"hosted:{model_key(lab, merged.get('name') or mid)}"
        if key not in entries:
            entries[key] = _hosted_entry(run_id, merged, lab, pid, as_of, rel)
            _register(index, entries, key, lab, [merged.get("name", ""), mid])
            how = None  # the first host defines the entry
        else:
            how = "same lab, name and size"
    e = entries[key]
    if how:
        e["_links"].append({"alias": run_id, "how": how})
        ow = merged.get("open_weights")
        if ow is not None and e["weights_downloadable"] is not None and ow != e["weights_downloadable"]:
            decides = "the lab's file decides" if e.get("_lab_file") else "open_weights=true with no lab file counts"
            issues.append({"kind": "offers-disagree", "source": "models.dev", "item": run_id, "detail": f"open_weights={ow} but {e['id']} says {e['weights_downloadable']} ({decides})"})
        if ow is True and not e.get("_artefact") and not e.get("_lab_file"):  # a host's claim counts only without a lab file
            e["_artefact"] = f"models.dev open_weights ({run_id})"
    e["offers"][run_id] = _offer(d, run_id, as_of, rel, notices, day)
    e["api_available"] = True
    if first_party_lab and first_party_lab == e["lab"] and how in ("base_model", "first-party file name"):
        e.setdefault("_first_party", run_id)
    if run_id != e["id"] and run_id not in e["aliases"]:
        e["aliases"].append(run_id)


# ---------------------------------------------------------------- MOF


def _mof_settings(root: Path) -> dict[str, dict[str, Any]]:
    data = safeyaml.load_packaged(root / "mof.settings.yml")
    return {c["name"]: c for c in data["components"]}


def _mof_class(components: dict[str, str | None], settings: dict[str, dict[str, Any]]) -> str:
    def ok(level: int) -> bool:
        for name, c in settings.items():
            if c["class"] >= level and c.get("required"):
                if name not in components or licenses.is_open(components[name]) is not True:
                    return False
        return True

    for level, label in ((1, "I (open science)"), (2, "II (open tooling)"), (3, "III (open model)")):
        if ok(level):
            return label
    return "none (class III not met)"


def _bare(text: str) -> str:
    """Letters and digits only, lower case (a MOF file's name against its release's)."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _mof_release(path: Path, issues: list[Issue]) -> dict[str, Any] | None:
    try:
        rel: dict[str, Any] = safeyaml.load_packaged(path)["release"]
    except (FileInputError, KeyError, TypeError, UnicodeDecodeError) as exc:
        issues.append({"kind": "unreadable", "source": "mof", "item": path.name, "detail": str(exc)[:120]})
        return None
    name = str(rel.get("name") or path.stem)
    if rel.get("type") not in ("language", "code", "", None) or MOF_NOT_TEXT.search(name):
        return None
    return rel


def _mof_hf(value: Any) -> str | None:
    """A Hugging Face repository from MOF's ``huggingface`` field: a URL or a bare "org/repo"."""
    found = hf_repo(value)
    if found is None and isinstance(value, str) and re.fullmatch(r"[\w.-]+/[\w.-]+", value.strip()):
        found = value.strip().lower()
    return found


def read_mof(root: Path, as_of: str, issues: list[Issue]) -> list[dict[str, Any]]:
    root = Path(root)
    settings = _mof_settings(root)
    out = []
    for path in sorted(root.glob("*.yml")):
        rel = None if path.name == "mof.settings.yml" else _mof_release(path, issues)
        if rel is None:
            continue
        name = str(rel.get("name") or path.stem)
        dist = ((rel.get("license") or {}).get("distribution") or {}).get("name") if isinstance(rel.get("license"), dict) else None
        comps: dict[str, str | None] = {}
        for c in rel.get("components") or []:
            lic = c.get("license")
            lic = None if lic in (None, "", {}) else str(lic)
            if lic and re.search(r"component\s*(component\s*)?not\s*includ", lic, re.I):
                continue  # the tool's way of saying "not released"
            comps[c["name"]] = lic if lic is not None else dist
        version = str(rel.get("version") or "")
        full = name if (not version or slug(version) in slug(name) or version.lower() == "undisclosed") else f"{name}-{version}"
        hf = _mof_hf(rel.get("huggingface"))
        if hf and not repo_fits(hf, full):
            issues.append({"kind": "conflict", "source": "mof", "item": path.name, "detail": f"huggingface {hf} names another size than {full!r}: not linked"})
        if _bare(path.stem) not in _bare(full) and _bare(name) not in _bare(path.stem):
            issues.append({"kind": "conflict", "source": "mof", "item": path.name, "detail": f"file name says {path.stem!r} but the release is named {full!r} (huggingface: {rel.get('huggingface') or '-'})"})
        out.append({
            "file": path.name, "name": full, "producer": str(rel.get("producer") or "").strip(),
            "hf": hf if repo_fits(hf, full) else None, "hf_other": None if repo_fits(hf, full) else hf, "repo": rel.get("repository") or "",
            "distribution": licenses.normalise(dist), "components": comps,
            "template": all(licenses.normalise(v) is None for v in comps.values()),
            "mof_class": _mof_class(comps, settings), "date": str(rel.get("date") or ""),
        })
    return out


def apply_mof(e: dict[str, Any], m: dict[str, Any], as_of: str) -> None:
    """MOF evidence, with the precedence rules: no artefact, no downloadable weights; templates say nothing."""
    comps, ev = m["components"], e["_ev"]
    url = f"{URLS['mof']}/model/{m['file'][:-4]}"
    s = src("mof", as_of, url)
    add_source(e, "mof", as_of, url)
    for name, lic in comps.items():
        e["openness_dimensions"][f"mof:{name}"] = ("released-open" if licenses.is_open(lic) else "released") + (f" ({lic})" if lic else " (no licence)")
    if m["hf"]:
        set_field(e, "hf_repo", m["hf"], s, overwrite=False)
        e.setdefault("_artefact", f"Hugging Face repository {m['hf']} (MOF)")
    if m["template"]:
        e["_notes"] = e.get("_notes", []) + [f"MOF file {m['file']}: every component 'unlicensed' (a template): not evidence of openness"]
        return
    params = "Model parameters (Final)" in comps and not licenses.is_closed(comps.get("Model parameters (Final)"))
    if params and m["hf"]:
        ev.weights, ev.weights_src = True, f"MOF: Model parameters (Final) released, {m['hf']}"
    elif params and m.get("hf_other"):  # released, but the file links another size's repository: not recorded
        ev.weights, ev.weights_src = True, f"MOF: Model parameters (Final) released; its Hugging Face link names another size ({m['hf_other']}): not recorded"
        e.setdefault("_artefact", f"MOF: final parameters released (link to another size, {m['hf_other']}, not recorded)")
    elif params and ev.weights is None:
        e["_notes"] = e.get("_notes", []) + ["MOF lists final parameters but no artefact (Hugging Face repository) is on record: not counted"]
    lic = (licenses.normalise(comps.get("Model parameters (Final)")) if params else None) or m["distribution"]
    if lic and not (ev.license and ev.license_open is not None):
        ev.license, ev.license_src = lic, "MOF"
        set_field(e, "license", lic, s, overwrite=False)
    code = [comps[c] for c in ("Training code", "Inference code", "Model architecture") if c in comps]
    if code:
        ev.code = any(licenses.is_open(x) for x in code) or (None if all(x is None for x in code) else False)
        ev.code_src = "MOF: " + ", ".join(c for c in ("Training code", "Inference code", "Model architecture") if c in comps)
    if "Datasets" in comps or "Data card" in comps:
        ev.data, ev.data_src = True, "MOF: " + ", ".join(c for c in ("Datasets", "Data card") if c in comps)
    ev.mof_class = m["mof_class"]
    if e["params_b"] is None:
        total, active = params_from_name(m["name"])
        set_field(e, "params_b", total, src("mof", as_of, url, note=f"size in the release name ({m['name']})"))
        set_field(e, "active_params_b", active, src("mof", as_of, url, note=f"size in the release name ({m['name']})"))


# ---------------------------------------------------------------- osai-index

OSAI_DIMS = (
    "datasources_basemodel", "datasources_endmodel", "weights_basemodel", "weights_endmodel", "trainingcode",
    "code", "hardware_architecture", "preprint", "paper", "modelcard", "datasheet", "licenses",
)


def read_osai(root: Path, as_of: str, issues: list[Issue]) -> list[dict[str, Any]]:
    out = []
    for path in sorted(Path(root).glob("*.yaml")):
        if path.name.startswith("_"):
            continue
        try:
            d = safeyaml.load_packaged(path)
        except (FileInputError, UnicodeDecodeError) as exc:
            issues.append({"kind": "unreadable", "source": "osai-index", "item": path.name, "detail": str(exc)[:120]})
            continue
        sysd = d.get("system") or {}
        if not {t.strip() for t in str(sysd.get("type") or "").split(",")} & {"text", "code"}:
            continue
        end = str(sysd.get("endmodelname") or sysd.get("name") or path.stem)
        base = str(sysd.get("basemodelname") or "").strip()
        repos = (hf_repo((d.get("weights_endmodel") or {}).get("link")), hf_repo(sysd.get("link")))
        fits = [h for h in dict.fromkeys(repos) if repo_fits(h, end)]  # never a repo of another size
        out.append({
            "file": path.name, "name": str(sysd.get("name") or path.stem), "end": end,
            "base": base if base and slug(base) != slug(end) else None,
            "org": str((d.get("org") or {}).get("name") or "unknown"),
            "license": licenses.normalise(sysd.get("endmodellicense")),
            "release": str(sysd.get("releasedate") or "") or None,
            "hf": next(iter(fits), None),
            "hf_all": fits,
            "weights_link": bool((d.get("weights_endmodel") or {}).get("link")),
            "dims": {k: str((d.get(k) or {}).get("class") or "unknown").strip() for k in OSAI_DIMS},
        })
    return out


def apply_osai(e: dict[str, Any], o: dict[str, Any], as_of: str) -> None:
    ev, dims = e["_ev"], o["dims"]
    s = src("osai-index", as_of, f"{URLS['osai-index']}/", note=o["file"])
    add_source(e, "osai-index", as_of, f"{URLS['osai-index']}/")
    if o["hf"]:
        set_field(e, "hf_repo", o["hf"], s, overwrite=False)
    if (dims["weights_endmodel"] in ("open", "partial") or o["weights_link"]) and (o["hf"] or o["weights_link"]):
        e.setdefault("_artefact", f"osai-index: end-model weights linked ({o['hf'] or 'link'})")
        if ev.weights is not True:
            ev.weights, ev.weights_src = True, f"osai-index: end-model weights {dims['weights_endmodel']}, linked"
    elif ev.weights is None:
        ev.weights, ev.weights_src = False, "osai-index: end-model weights closed, no link"
    if o["license"] and not ev.license:
        ev.license, ev.license_src = o["license"], "osai-index"
        set_field(e, "license", o["license"], s, overwrite=False)
    if dims["trainingcode"] == "open":
        ev.code, ev.code_src = True, "osai-index: training code open"
    elif ev.code is None and dims["trainingcode"] in ("partial", "closed"):
        ev.code, ev.code_src = False, f"osai-index: training code {dims['trainingcode']}"
    if dims["datasources_basemodel"] in ("open", "partial") and dims["datasheet"] in ("open", "partial"):
        ev.data, ev.data_src = True, "osai-index: data sources and datasheet available"
    elif ev.data is None or o["base"]:
        ev.data, ev.data_src = False, f"osai-index: base-model data sources {dims['datasources_basemodel']}, datasheet {dims['datasheet']}"
    for k, v in dims.items():
        e["openness_dimensions"][f"osai:{k}"] = v
    if o["base"]:
        e["_base_name"] = o["base"]
    set_field(e, "release_date", o["release"], s, overwrite=False)
