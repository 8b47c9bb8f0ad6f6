"""models.dev's ``api.json`` checked and laid out as the folder the catalog build reads.

``api.json`` (https://models.dev/api.json) is one object: provider id -> {id, name, env, npm, api,
doc, models: {model id -> {id, name, family, release_date, knowledge, open_weights, status, cost:
{input, output, ...}, limit: {context, output}, modalities: {input, output}, ...}}}. The build
(:mod:`whichai.catalog.upstream`) reads the repository's layout instead: ``providers/<p>/provider.toml``
and ``providers/<p>/models/<model>.toml``, plus the labs' own files ``models/<lab>/<model>.toml``.
:func:`validate` refuses a document of the wrong shape (every field the build reads is type-checked;
ids must be safe file names); :func:`write_tree` writes the layout: each provider's models, and a lab
file for every model a lab serves itself (a provider whose id is a lab) or that a host names as its
``base_model``.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

from whichai.catalog.naming import LAB_NAMES

_PROVIDER_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
_ID_PART = re.compile(r"^[A-Za-z0-9@_][A-Za-z0-9._:@+=-]{0,159}$")
MODEL_FIELDS = {  # the fields the build reads, with the JSON types each may have
    "name": str, "family": str, "status": str, "open_weights": bool, "release_date": str, "knowledge": str,
    "license": str, "reasoning": bool, "base_model": str, "cost": dict, "limit": dict, "modalities": dict, "weights": list,
}
PROVIDER_FIELDS = {"name": str, "api": str, "doc": str, "env": list}


class ShapeError(ValueError):
    """api.json is not in the shape models.dev publishes."""


def _model_id(mid: Any, where: str) -> str:
    if not isinstance(mid, str) or mid.count("/") > 3 or not all(_ID_PART.match(p) for p in mid.split("/")):
        raise ShapeError(f"{where}: model id {str(mid)[:80]!r} is not a safe name")
    if any(p in (".", "..") for p in mid.split("/")):
        raise ShapeError(f"{where}: model id {mid!r} climbs out of its folder")
    return mid


def _number(v: Any, where: str) -> float | int:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or (isinstance(v, float) and not math.isfinite(v)) or v < 0:
        raise ShapeError(f"{where}: {str(v)[:40]!r} is not a non-negative number")
    return v


def _str_list(v: Any, where: str) -> list[str]:
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise ShapeError(f"{where}: expected a list of strings")
    return list(v)


def _clean_model(d: Any, where: str) -> dict[str, Any]:
    if not isinstance(d, dict):
        raise ShapeError(f"{where}: expected an object")
    out: dict[str, Any] = {}
    for key, typ in MODEL_FIELDS.items():
        if key not in d or d[key] is None:
            continue
        if not isinstance(d[key], typ) or (typ is str and isinstance(d[key], bool)):
            raise ShapeError(f"{where}.{key}: expected {typ.__name__}, got {type(d[key]).__name__}")
        out[key] = d[key]
    if "base_model" in out:
        _model_id(out["base_model"], f"{where}.base_model")
        if "/" not in out["base_model"]:
            raise ShapeError(f"{where}.base_model: {out['base_model']!r} is not lab/model")
    if "cost" in out:
        out["cost"] = {k: _number(out["cost"][k], f"{where}.cost.{k}") for k in ("input", "output") if out["cost"].get(k) is not None}
    if "limit" in out:
        out["limit"] = {k: int(_number(out["limit"][k], f"{where}.limit.{k}")) for k in ("context", "output") if out["limit"].get(k) is not None}
    if "modalities" in out:
        out["modalities"] = {k: _str_list(out["modalities"][k], f"{where}.modalities.{k}") for k in ("input", "output") if k in out["modalities"]}
    if "weights" in out:
        out["weights"] = [{"url": w["url"]} for w in out["weights"] if isinstance(w, dict) and isinstance(w.get("url"), str)]
    return out


def validate(raw: bytes) -> dict[str, dict[str, Any]]:
    """The checked document: provider id -> {"info": provider fields, "models": {id: model fields}}."""
    try:
        doc = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise ShapeError(f"not JSON ({str(exc)[:120]})") from None
    if not isinstance(doc, dict) or not doc:
        raise ShapeError("expected a non-empty object of providers")
    out: dict[str, dict[str, Any]] = {}
    for pid, p in doc.items():
        if not isinstance(pid, str) or not _PROVIDER_ID.match(pid) or not isinstance(p, dict):
            raise ShapeError(f"provider {str(pid)[:60]!r}: not a safe id with an object")
        if not isinstance(p.get("models"), dict):
            raise ShapeError(f"{pid}.models: expected an object")
        info = {}
        for key, typ in PROVIDER_FIELDS.items():
            if p.get(key) is not None:
                if not isinstance(p[key], typ):
                    raise ShapeError(f"{pid}.{key}: expected {typ.__name__}")
                info[key] = _str_list(p[key], f"{pid}.{key}") if typ is list else p[key]
        models = {_model_id(mid, pid): _clean_model(m, f"{pid}.{mid}") for mid, m in p["models"].items()}
        out[pid] = {"info": info, "models": models}
    if not any(p["models"] for p in out.values()):
        raise ShapeError("no provider lists any model")
    return out


# ---------------------------------------------------------------- TOML


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=True)  # a JSON string is a TOML basic string
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{json.dumps(k)} = {_toml_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(type(v).__name__)


def to_toml(d: dict[str, Any]) -> str:
    return "".join(f"{json.dumps(k)} = {_toml_value(v)}\n" for k, v in d.items())


def _write(path: Path, d: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(to_toml(d), encoding="utf-8")


def write_tree(checked: dict[str, dict[str, Any]], root: Path) -> int:
    """Write the models.dev repository layout under ``root``; return how many model files."""
    labs: dict[str, dict[str, Any]] = {}
    count = 0
    for pid, p in checked.items():
        _write(root / "providers" / pid / "provider.toml", {"name": pid, **p["info"]})
        for mid, m in p["models"].items():
            _write(root / "providers" / pid / "models" / f"{mid}.toml", m)
            count += 1
            lab_fields = {k: v for k, v in m.items() if k not in ("cost", "base_model")}
            if pid in LAB_NAMES and "/" not in mid:  # the lab's own offer: its status is the lab's word
                labs[f"{pid}/{mid}"] = {**labs.get(f"{pid}/{mid}", {}), **lab_fields}
            elif m.get("base_model") and m["base_model"] not in labs:
                lab_fields.pop("status", None)  # a host retiring its copy says nothing of the model
                labs[m["base_model"]] = lab_fields
    for key, d in labs.items():
        _write(root / "models" / f"{key}.toml", d)
    (root / "models").mkdir(parents=True, exist_ok=True)
    return count
