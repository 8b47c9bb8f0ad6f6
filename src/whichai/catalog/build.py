"""Build the shipped catalog from the upstream data sets plus the curated facts.

Reads osai-index YAML, model-openness-tool (MOF) YAML and models.dev TOML as published, links
them into one entry per model, classifies openness (:mod:`whichai.catalog.openness`), scores the
ten criteria (:mod:`whichai.catalog.scores`) and writes one gzip'd JSON document that
:func:`whichai.catalog.load_catalog` reads in milliseconds. Every link that rests on a name rather
than on an explicit reference, and every disagreement between sources, goes to ``issues`` (shown
by ``whichai catalog check``): nothing is merged silently.

Run ``python tools/build_catalog.py`` or ``whichai catalog refresh --osai DIR --mof DIR --models-dev DIR``.
"""

from __future__ import annotations

import gzip
import json
import re
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from whichai.catalog import licenses
from whichai.catalog.openness import Evidence, classify
from whichai.catalog.scores import score_entry

HERE = Path(__file__).parent
CURATED = HERE / "curated"
SHIPPED = HERE / "data" / "catalog.json.gz"
FORMAT_VERSION = 1

URLS = {
    "models.dev": "https://models.dev",
    "mof": "https://mot.isitopen.ai",
    "osai-index": "https://osai-index.eu",
}
# models.dev provider folder -> the provider prefix whichai runs it under
RUN_PREFIX = {"google": "gemini"}
# models.dev provider folder -> the lab folder under models/ it is first party for
FIRST_PARTY_EXTRA = {"llama": "meta"}
# hosts' organisation folders -> models.dev lab folders
OWNER_LAB = {
    "meta-llama": "meta", "qwen": "alibaba", "deepseek-ai": "deepseek", "mistralai": "mistral", "zai-org": "zhipuai",
    "z-ai": "zhipuai", "x-ai": "xai", "minimaxai": "minimax", "moonshotai": "moonshotai", "google": "google",
    "openai": "openai", "anthropic": "anthropic", "nvidia": "nvidia", "cohere": "cohere", "xiaomi": "xiaomi",
}
# models.dev family -> the lab behind it, for hosted models filed without an organisation folder
FAMILY_LAB = (
    ("llama", "meta"), ("codellama", "meta"), ("qwen", "alibaba"), ("gemma", "google"), ("gpt-oss", "openai"),
    ("deepseek", "deepseek"), ("mistral", "mistral"), ("ministral", "mistral"), ("devstral", "mistral"),
    ("codestral", "mistral"), ("magistral", "mistral"), ("pixtral", "mistral"), ("mixtral", "mistral"),
    ("kimi", "moonshotai"), ("glm", "zhipuai"), ("nemotron", "nvidia"), ("phi", "microsoft"), ("grok", "xai"),
    ("command", "cohere"), ("minimax", "minimax"),
)
# aggregators and clouds come last, so a hosted model's id is a direct host where there is one
LATE_PROVIDERS = ("openrouter", "azure", "amazon-bedrock", "google-vertex", "nvidia", "huggingface", "ollama-cloud", "lmstudio")
LAB_NAMES = {
    "openai": "OpenAI", "anthropic": "Anthropic", "google": "Google", "meta": "Meta", "mistral": "Mistral AI",
    "deepseek": "DeepSeek", "alibaba": "Alibaba (Qwen)", "xai": "xAI", "cohere": "Cohere", "nvidia": "NVIDIA",
    "moonshotai": "Moonshot AI", "zhipuai": "Zhipu AI", "minimax": "MiniMax", "xiaomi": "Xiaomi",
    "perplexity": "Perplexity", "stepfun": "StepFun", "sakana": "Sakana AI", "sarvam": "Sarvam AI", "tencent": "Tencent",
}
NOT_TEXT = re.compile(r"whisper|embed|tts|rerank|guard|moderation|orpheus|dall-?e|image|diffusion|voice|speech|transcribe|ocr|audio", re.I)
MOF_NOT_TEXT = re.compile(r"diffusion|openvoice|deberta|megatron-bert|^bert", re.I)
SIZE = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s*([bm])(?![a-z])", re.I)


def slug(text: str) -> str:
    return re.sub(r"-+", "-", re.sub(r"[^a-z0-9.]+", "-", str(text).lower())).strip("-.")


def hf_repo(url: Any) -> str | None:
    for u in url if isinstance(url, list) else [url]:
        m = re.search(r"huggingface\.co/([\w.-]+/[\w.-]+)", str(u or ""))
        if m and not m.group(1).startswith(("datasets/", "spaces/", "collections/", "blog/", "docs/")):
            return m.group(1).lower()
    return None


def params_from_name(name: str) -> tuple[float | None, float | None]:
    """(total, active) billions from names like '70B', '135M', '235B-A22B'. '8x7B' stays unknown."""
    if re.search(r"\d+x\d+(\.\d+)?b", name, re.I):
        return None, None
    found = SIZE.findall(name.replace("_", "."))
    if not found:
        return None, None
    vals = [float(n) / (1000 if u.lower() == "m" else 1) for n, u in found]
    active = None
    m = re.search(r"-a(\d+(?:\.\d+)?)b", name, re.I)
    if m:
        active = float(m.group(1))
        vals = [v for v in vals if v != active] or vals
    return max(vals), active


# ---------------------------------------------------------------- models.dev


def _read_toml(path: Path, issues: list) -> dict | None:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        issues.append({"kind": "unreadable", "source": "models.dev", "item": str(path), "detail": str(exc)[:120]})
        return None


def _is_text(d: dict, name: str) -> bool:
    mods = d.get("modalities") or {}
    if mods:
        return "text" in mods.get("output", []) and "text" in mods.get("input", []) and not NOT_TEXT.search(name)
    return not NOT_TEXT.search(name)


def _price(cost: dict | None, as_of: str, src: str) -> dict | None:
    if not cost or cost.get("input") is None or cost.get("output") is None:
        return None
    return {"input": float(cost["input"]), "output": float(cost["output"]), "as_of": as_of, "source": src}


def _new_entry(**kw) -> dict:
    e = {
        "id": "",
        "name": "",
        "provider": "",
        "family": None,
        "aliases": [],
        "license": None,
        "license_restricts_use": None,
        "commercial_use": None,
        "weights_downloadable": None,
        "api_available": False,
        "price_usd_per_mtok": None,
        "offers": {},
        "params_b": None,
        "active_params_b": None,
        "context_length": None,
        "release_date": None,
        "knowledge_cutoff": None,
        "languages": [],
        "facts": {},
        "openness_dimensions": {},
        "sources": [],
        "hf_repo": None,
        "_ev": Evidence(),
        "_links": [],
    }
    e.update(kw)
    return e


def _add_source(e: dict, name: str, as_of: str, url: str | None = None) -> None:
    src = {"name": name, "url": url or URLS.get(name, ""), "as_of": as_of}
    if src not in e["sources"]:
        e["sources"].append(src)


def read_models_dev(root: Path, as_of: str, issues: list) -> tuple[dict[str, dict], dict[str, dict]]:
    """Return (entries by key, provider info). Keys are 'lab/model' or a hosted run id."""
    root = Path(root)
    labs = {p.name for p in (root / "models").iterdir() if p.is_dir()}
    meta: dict[str, dict] = {}
    for path in sorted((root / "models").rglob("*.toml")):
        d = _read_toml(path, issues)
        if d is not None:
            meta[path.relative_to(root / "models").with_suffix("").as_posix()] = d

    entries: dict[str, dict] = {}
    for key, d in meta.items():
        if not _is_text(d, key):
            continue
        lab, model = key.split("/", 1)
        total, active = params_from_name(model)
        e = _new_entry(
            id=key,
            name=d.get("name", model),
            provider=LAB_NAMES.get(lab, lab),
            family=d.get("family"),
            weights_downloadable=d.get("open_weights"),
            context_length=(d.get("limit") or {}).get("context"),
            release_date=d.get("release_date"),
            knowledge_cutoff=d.get("knowledge"),
            hf_repo=hf_repo([w.get("url") for w in d.get("weights", [])]),
            params_b=total,
            active_params_b=active,
        )
        if d.get("license"):
            e["license"] = licenses.normalise(d["license"])
            e["_ev"].license, e["_ev"].license_src = e["license"], "models.dev"
        e["_ev"].weights, e["_ev"].weights_src = d.get("open_weights"), "models.dev open_weights"
        _add_source(e, "models.dev", as_of)
        entries[key] = e

    providers: dict[str, dict] = {}
    pdirs = sorted((p for p in (root / "providers").iterdir() if p.is_dir()), key=lambda p: (p.name in LATE_PROVIDERS, p.name))
    for pdir in pdirs:
        pid = pdir.name
        pinfo = _read_toml(pdir / "provider.toml", issues) if (pdir / "provider.toml").exists() else {}
        prefix = RUN_PREFIX.get(pid, pid)
        providers[prefix] = {
            "name": (pinfo or {}).get("name", pid),
            "env": (pinfo or {}).get("env", []),
            "api": (pinfo or {}).get("api"),
            "doc": (pinfo or {}).get("doc"),
            "models_dev_id": pid,
        }
        first_party_lab = pid if pid in labs else FIRST_PARTY_EXTRA.get(pid)
        for path in sorted((pdir / "models").rglob("*.toml")):
            mid = path.relative_to(pdir / "models").with_suffix("").as_posix()
            d = _read_toml(path, issues)
            if d is None:
                continue
            base = d.get("base_model")
            merged = dict(meta.get(base, {})) if base else {}
            merged.update(d)
            run_id = f"{prefix}/{mid}"
            if not _is_text(merged, mid):
                continue
            price = _price(d.get("cost"), as_of, f"models.dev:{pid}")
            # link: explicit base_model, else first party same file name, else same id across hosts
            target, how = None, None
            if base and base in entries:
                target, how = base, "base_model"
            elif base and base not in meta:
                issues.append({"kind": "broken-link", "source": "models.dev", "item": run_id, "detail": f"base_model {base} not found"})
            elif first_party_lab and f"{first_party_lab}/{mid}" in entries:
                target, how = f"{first_party_lab}/{mid}", "first-party file name"
            stem = mid.split("/")[-1].lower()
            owner_lab = OWNER_LAB.get(mid.split("/")[0].lower()) if "/" in mid else None
            if target is None and owner_lab and f"{owner_lab}/{stem}" in entries:
                target, how = f"{owner_lab}/{stem}", "same lab and model id"
            if target is None:
                target = f"hosted:{stem}"
                how = "same model id across hosts"
                if target not in entries:
                    fam = str(merged.get("family") or "").lower()
                    owner = mid.split("/")[0].lower() if "/" in mid else (
                        first_party_lab or next((lab for f, lab in FAMILY_LAB if fam.startswith(f)), pid)
                    )
                    owner = LAB_NAMES.get(OWNER_LAB.get(owner, owner), owner)
                    total, active = params_from_name(stem)
                    entries[target] = _new_entry(
                        id=run_id,
                        name=merged.get("name", mid),
                        provider=owner,
                        family=merged.get("family"),
                        weights_downloadable=merged.get("open_weights"),
                        context_length=(merged.get("limit") or {}).get("context"),
                        release_date=merged.get("release_date"),
                        knowledge_cutoff=merged.get("knowledge"),
                        params_b=total,
                        active_params_b=active,
                    )
                    ev = entries[target]["_ev"]
                    ev.weights, ev.weights_src = merged.get("open_weights"), f"models.dev {run_id}"
                    _add_source(entries[target], "models.dev", as_of)
                    how = None  # the first host defines the entry
            e = entries[target]
            if how:
                e["_links"].append({"alias": run_id, "how": how})
                if how in ("same model id across hosts", "same lab and model id"):
                    issues.append({"kind": "uncertain-link", "source": "models.dev", "item": run_id, "detail": f"linked to {e['id']} because the hosts use the same model id"})
                if merged.get("open_weights") is not None and e["weights_downloadable"] is not None and merged.get("open_weights") != e["weights_downloadable"]:
                    issues.append({"kind": "conflict", "source": "models.dev", "item": run_id, "detail": f"open_weights={merged.get('open_weights')} but {e['id']} says {e['weights_downloadable']}"})
            if price:
                e["offers"][run_id] = price
            e["api_available"] = True
            if first_party_lab and LAB_NAMES.get(first_party_lab, first_party_lab) == e["provider"] and (how in ("base_model", "first-party file name")):
                e["_first_party"] = run_id
                if price:
                    e["price_usd_per_mtok"] = price
            if run_id != e["id"] and run_id not in e["aliases"]:
                e["aliases"].append(run_id)
    # ids: where the lab's own API serves the model, its run id is the id
    for e in entries.values():
        fp = e.pop("_first_party", None)
        if fp and fp != e["id"]:
            e["aliases"].append(e["id"])
            e["aliases"].remove(fp)
            e["id"] = fp
        if e["price_usd_per_mtok"] is None and e["offers"]:
            paid = [p for p in e["offers"].values() if p["input"] + p["output"] > 0]
            if paid:  # the cheapest paid offer; free tiers stay listed in offers
                e["price_usd_per_mtok"] = min(paid, key=lambda p: 3 * p["input"] + p["output"])
    return entries, providers


# ---------------------------------------------------------------- MOF


def _mof_settings(root: Path) -> dict[str, dict]:
    data = yaml.safe_load((root / "mof.settings.yml").read_text(encoding="utf-8"))
    return {c["name"]: c for c in data["components"]}


def _mof_class(components: dict[str, str | None], settings: dict[str, dict]) -> str:
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


def read_mof(root: Path, as_of: str, issues: list) -> list[dict]:
    root = Path(root)
    settings = _mof_settings(root)
    out = []
    for path in sorted(root.glob("*.yml")):
        if path.name == "mof.settings.yml":
            continue
        try:
            rel = yaml.safe_load(path.read_text(encoding="utf-8"))["release"]
        except Exception as exc:  # noqa: BLE001 - any malformed upstream file is reported, not fatal
            issues.append({"kind": "unreadable", "source": "mof", "item": path.name, "detail": str(exc)[:120]})
            continue
        name = str(rel.get("name") or path.stem)
        if rel.get("type") not in ("language", "code", "", None) or MOF_NOT_TEXT.search(name):
            continue
        dist = ((rel.get("license") or {}).get("distribution") or {}).get("name") if isinstance(rel.get("license"), dict) else None
        comps: dict[str, str | None] = {}
        for c in rel.get("components") or []:
            lic = c.get("license")
            lic = None if lic in (None, "", {}) else str(lic)
            if lic and re.search(r"component\s*(component\s*)?not\s*includ", lic, re.I):
                continue  # the tool's way of saying "not released"
            comps[c["name"]] = lic if lic is not None else dist
        version = str(rel.get("version") or "")
        full = name if (not version or slug(version) in slug(name)) else f"{name}-{version}"
        bare = lambda t: re.sub(r"[^a-z0-9]", "", t.lower())  # noqa: E731
        if bare(path.stem) not in bare(full) and bare(name) not in bare(path.stem):
            issues.append({"kind": "conflict", "source": "mof", "item": path.name, "detail": f"file name says {path.stem!r} but the release is named {full!r} (huggingface: {rel.get('huggingface') or '-'})"})
        out.append(
            {
                "file": path.name,
                "name": full,
                "producer": str(rel.get("producer") or "").strip(),
                "hf": hf_repo(rel.get("huggingface")),
                "repo": rel.get("repository") or "",
                "distribution": licenses.normalise(dist),
                "components": comps,
                "mof_class": _mof_class(comps, settings),
                "date": str(rel.get("date") or ""),
            }
        )
    return out


def _apply_mof(e: dict, m: dict, as_of: str) -> None:
    comps = m["components"]
    ev: Evidence = e["_ev"]
    weights_lic = licenses.normalise(comps.get("Model parameters (Final)")) if "Model parameters (Final)" in comps else None
    if "Model parameters (Final)" in comps and not licenses.is_closed(comps.get("Model parameters (Final)")):
        ev.weights, ev.weights_src = True, "MOF: Model parameters (Final) released"
    elif ev.weights is None:
        ev.weights, ev.weights_src = False, "MOF: final parameters not released"
    lic = weights_lic or m["distribution"]
    if lic and not (ev.license and ev.license_open is not None):
        ev.license, ev.license_src = lic, "MOF"
    code = [comps[c] for c in ("Training code", "Inference code", "Model architecture") if c in comps]
    if code:
        ev.code = any(licenses.is_open(x) for x in code) or (None if all(x is None for x in code) else False)
        ev.code_src = "MOF: " + ", ".join(c for c in ("Training code", "Inference code", "Model architecture") if c in comps)
    if "Datasets" in comps or "Data card" in comps:
        ev.data, ev.data_src = True, "MOF: " + ", ".join(c for c in ("Datasets", "Data card") if c in comps)
    ev.mof_class = m["mof_class"]
    for name, lic in comps.items():
        e["openness_dimensions"][f"mof:{name}"] = ("released-open" if licenses.is_open(lic) else "released") + (f" ({lic})" if lic else " (no licence)")
    _add_source(e, "mof", as_of, f"{URLS['mof']}/model/{m['file'][:-4]}")
    if e["params_b"] is None:
        e["params_b"], e["active_params_b"] = params_from_name(m["name"])


# ---------------------------------------------------------------- osai-index

OSAI_DIMS = (
    "datasources_basemodel", "datasources_endmodel", "weights_basemodel", "weights_endmodel", "trainingcode",
    "code", "hardware_architecture", "preprint", "paper", "modelcard", "datasheet", "licenses",
)


def read_osai(root: Path, as_of: str, issues: list) -> list[dict]:
    out = []
    for path in sorted(Path(root).glob("*.yaml")):
        if path.name.startswith("_"):
            continue
        try:
            d = yaml.safe_load(path.read_text(encoding="utf-8"))
        except Exception as exc:  # noqa: BLE001
            issues.append({"kind": "unreadable", "source": "osai-index", "item": path.name, "detail": str(exc)[:120]})
            continue
        sysd = d.get("system") or {}
        types = {t.strip() for t in str(sysd.get("type") or "").split(",")}
        if not types & {"text", "code"}:
            continue
        dims = {k: str((d.get(k) or {}).get("class") or "unknown").strip() for k in OSAI_DIMS}
        out.append(
            {
                "file": path.name,
                "name": str(sysd.get("name") or path.stem),
                "end": str(sysd.get("endmodelname") or sysd.get("name") or path.stem),
                "org": str((d.get("org") or {}).get("name") or "unknown"),
                "license": licenses.normalise(sysd.get("endmodellicense")),
                "release": str(sysd.get("releasedate") or "") or None,
                "hf": hf_repo((d.get("weights_endmodel") or {}).get("link")) or hf_repo(sysd.get("link")),
                "weights_link": bool((d.get("weights_endmodel") or {}).get("link")),
                "dims": dims,
            }
        )
    return out


def _apply_osai(e: dict, o: dict, as_of: str) -> None:
    ev: Evidence = e["_ev"]
    dims = o["dims"]
    if dims["weights_endmodel"] in ("open", "partial") or o["weights_link"]:
        if ev.weights is not True:
            ev.weights, ev.weights_src = True, f"osai-index: end-model weights {dims['weights_endmodel']}, linked"
    elif o["license"] and not licenses.is_closed(o["license"]) and ev.weights is None:
        # rated closed for a gated, bespoke licence (e.g. Llama): the weights are still distributed under it
        ev.weights, ev.weights_src = True, f"osai-index: end-model weights distributed under {o['license']} (rated {dims['weights_endmodel']})"
    elif ev.weights is None:
        ev.weights, ev.weights_src = False, "osai-index: end-model weights closed, no link"
    if o["license"] and not ev.license:
        ev.license, ev.license_src = o["license"], "osai-index"
    if dims["trainingcode"] == "open":
        ev.code, ev.code_src = True, "osai-index: training code open"
    elif ev.code is None and dims["trainingcode"] in ("partial", "closed"):
        ev.code, ev.code_src = False, f"osai-index: training code {dims['trainingcode']}"
    if dims["datasources_basemodel"] in ("open", "partial") and dims["datasheet"] in ("open", "partial"):
        ev.data, ev.data_src = True, "osai-index: data sources and datasheet available"
    elif ev.data is None:
        ev.data, ev.data_src = False, f"osai-index: data sources {dims['datasources_basemodel']}, datasheet {dims['datasheet']}"
    for k, v in dims.items():
        e["openness_dimensions"][f"osai:{k}"] = v
    _add_source(e, "osai-index", as_of, f"{URLS['osai-index']}/")
    if o["release"] and not e["release_date"]:
        e["release_date"] = o["release"]


# ---------------------------------------------------------------- curated


def read_curated(snapshot: str) -> tuple[dict, list[dict]]:
    vendors = yaml.safe_load((CURATED / "vendors.yaml").read_text(encoding="utf-8"))["vendors"]
    models = yaml.safe_load((CURATED / "models.yaml").read_text(encoding="utf-8"))["models"]
    return vendors, models


def _curated_entry(m: dict) -> dict:
    e = _new_entry(**{k: v for k, v in m.items() if k not in ("evidence", "note")})
    e["weights_downloadable"] = m["evidence"]["weights"]["value"]
    ev: Evidence = e["_ev"]
    ev.weights, ev.weights_src = m["evidence"]["weights"]["value"], m["evidence"]["weights"]["source"]
    ev.code, ev.code_src = m["evidence"]["code"]["value"], m["evidence"]["code"]["source"]
    ev.data, ev.data_src = m["evidence"]["data"]["value"], m["evidence"]["data"]["source"]
    ev.license, ev.license_src = licenses.normalise(m.get("license")), "curated"
    return e


# ---------------------------------------------------------------- linking and finishing


def _index(entries: dict[str, dict]) -> tuple[dict[str, str], dict[str, list[str]]]:
    by_hf, by_name = {}, {}
    for k, e in entries.items():
        if e.get("hf_repo"):
            by_hf[e["hf_repo"]] = k
        for n in {slug(e["name"]), slug(e["id"].split("/", 1)[-1])}:
            by_name.setdefault(n, []).append(k)
    return by_hf, by_name


def _producer_matches(producer: str, e: dict) -> bool:
    p, q = slug(producer).split("-")[0], slug(e["provider"]).split("-")[0]
    return bool(p) and (p.startswith(q) or q.startswith(p))


def _link(entries, item_hf, item_names, producer, source, item, issues) -> str | None:
    by_hf, by_name = _index(entries)
    if item_hf and item_hf in by_hf:
        return by_hf[item_hf]
    for n in item_names:
        cands = by_name.get(slug(n), [])
        if len(cands) > 1 and producer:
            cands = [c for c in cands if _producer_matches(producer, entries[c])] or cands
        if len(cands) == 1:
            e = entries[cands[0]]
            if producer and not _producer_matches(producer, e):
                issues.append({"kind": "conflict", "source": source, "item": item, "detail": f"same name as {e['id']} but producer {producer!r} differs from {e['provider']!r}: not linked"})
                continue
            issues.append({"kind": "uncertain-link", "source": source, "item": item, "detail": f"linked to {e['id']} by name"})
            return cands[0]
        if len(cands) > 1:
            issues.append({"kind": "uncertain-link", "source": source, "item": item, "detail": f"name matches {len(cands)} entries ({', '.join(entries[c]['id'] for c in cands[:4])}): not linked"})
    return None


def _apply_facts(e: dict, vendors: dict) -> None:
    if e["openness"] != "closed":
        chosen = vendors["self_hosting"]
    else:
        chosen = next((v for v in vendors.values() if any(e["id"].startswith(p) for p in v.get("applies_to", []))), None)
    if chosen is None:
        return
    for k, f in chosen["facts"].items():
        e["facts"][k] = {"value": f.get("value"), "source": f.get("source"), "note": (f.get("note") or "") + (f" [{chosen['name']}]")}


def build_catalog(osai: Path, mof: Path, models_dev: Path, as_of: dict[str, str] | None = None) -> dict:
    as_of = as_of or {}
    today = date.today().isoformat()
    d_osai, d_mof, d_md = as_of.get("osai-index", today), as_of.get("mof", today), as_of.get("models.dev", today)
    issues: list[dict] = []
    entries, providers = read_models_dev(Path(models_dev), d_md, issues)

    for m in read_mof(Path(mof), d_mof, issues):
        key = _link(entries, m["hf"], [m["name"]], m["producer"], "mof", m["file"], issues)
        if key is None:
            key = f"{slug(m['producer']) or 'unknown'}/{slug(m['name'])}"
            if key in entries:
                issues.append({"kind": "duplicate", "source": "mof", "item": m["file"], "detail": f"second MOF release named {key}: merged"})
            else:
                entries[key] = _new_entry(id=key, name=m["name"], provider=m["producer"] or "unknown", hf_repo=m["hf"])
        _apply_mof(entries[key], m, d_mof)

    for o in read_osai(Path(osai), d_osai, issues):
        key = _link(entries, o["hf"], [o["end"]], o["org"], "osai-index", o["file"], issues)
        if key is None:
            key = f"{slug(o['org'])}/{slug(o['end'])}"
            if key not in entries:
                entries[key] = _new_entry(id=key, name=f"{o['name']} ({o['end']})" if o["end"] != o["name"] else o["name"], provider=o["org"], hf_repo=o["hf"])
                entries[key]["params_b"], entries[key]["active_params_b"] = params_from_name(o["end"])
        _apply_osai(entries[key], o, d_osai)

    vendors, curated = read_curated(today)
    for m in curated:
        e = _curated_entry(m)
        entries[e["id"]] = e

    snapshot = max(d_osai, d_mof, d_md)
    out = []
    seen: set[str] = set()
    for e in entries.values():
        ev: Evidence = e.pop("_ev")
        links = e.pop("_links")
        if ev.license and ev.license_open is None:
            ev.license_open = licenses.is_open(ev.license)
        if e["license"] is None:
            e["license"] = ev.license
        if ev.weights is None and e["weights_downloadable"] is not None:
            ev.weights = e["weights_downloadable"]
        if e["weights_downloadable"] is not None and ev.weights is not None and e["weights_downloadable"] != ev.weights:
            issues.append({"kind": "conflict", "source": "openness", "item": e["id"], "detail": f"models.dev open_weights={e['weights_downloadable']} but {ev.weights_src}"})
        e["weights_downloadable"] = ev.weights
        e["license_restricts_use"] = None if ev.license_open is None else not ev.license_open
        if ev.license_open is True:
            e["commercial_use"] = True
        e["openness"], e["openness_reason"], decided = classify(ev)
        e["openness_dimensions"] = {**decided, **e["openness_dimensions"]}
        if e["params_b"] is None and e["openness"] != "closed":
            issues.append({"kind": "unknown-fact", "source": "catalog", "item": e["id"], "detail": "parameter count unknown: hardware fit cannot be computed"})
        if e["id"] in seen:
            issues.append({"kind": "duplicate", "source": "catalog", "item": e["id"], "detail": "two entries share an id; the second was dropped"})
            continue
        seen.add(e["id"])
        e["aliases"] = sorted(set(a for a in e["aliases"] if a != e["id"]))
        e["links"] = links
        _apply_facts(e, vendors)
        e["criteria"] = score_entry(e, snapshot)
        out.append(e)
    out.sort(key=lambda e: e["id"])
    return {
        "format": FORMAT_VERSION,
        "built": today,
        "snapshots": {"osai-index": d_osai, "mof": d_mof, "models.dev": d_md},
        "providers": providers,
        "entries": out,
        "issues": issues,
    }


def write_catalog(doc: dict, path: Path = SHIPPED) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = json.dumps(doc, ensure_ascii=False, separators=(",", ":"), sort_keys=False).encode("utf-8")
    with path.open("wb") as fh, gzip.GzipFile(filename="", mode="wb", fileobj=fh, mtime=0, compresslevel=9) as gz:
        gz.write(raw)
    return path
