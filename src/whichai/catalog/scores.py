"""Criterion scores in [0, 1] for one catalog entry, each from its facts, with reason and evidence.

The method (docs/catalog.md explains it for people):

- **cost**: API price blended 3:1 input:output, on a log scale from $0.05 (1.0) to $100 (0.0)
  per million tokens; open weights with no licence fee score by size (self-hosting hardware).
  The best of the two applies.
- **accessibility**: weights downloadable 0.4, API available 0.3, licence without use
  restrictions 0.2, small enough (<= 14 B parameters) for common hardware 0.1.
- **customization**: open weights 0.8 (+0.2 with open training code); closed with vendor
  fine-tuning 0.4; closed without 0.1.
- **transparency**: share of openness dimensions rated open (partial counts half) when audited
  (osai-index, MOF); else by class (open source 0.7, open weights 0.35, closed 0.05).
- **collaboration**: open licence 0.9; restricted 0.5; unknown licence with open weights 0.4;
  closed 0.1.
- **updates**: closed 0.6 (vendor ships updates, but also retires models); open weights 0.7
  (you choose when to upgrade, weights never retired); +0.1 if released within a year of the
  snapshot, -0.2 if older than three years.
- **support**: curated facts: SLA 0.9, paid support 0.7, community 0.4, unknown 0.3.
- **security**: self-hostable 0.9 (data can stay on your machines); API only: 0.5, +0.15 when
  API data is not used for training by default, +0.1 when certifications are published,
  -0.2 when it is used for training; unknown 0.4.
- **performance**: a prior of 0.5 ("not measured"): measured performance comes from runs.
- **ease_of_use**: managed API 0.9; open weights only: 0.5 if <= 8 B parameters, else 0.35.
"""

from __future__ import annotations

import math
from typing import Any

SNAPSHOT_YEAR_DAYS = 365


def _ev(name: str, value: Any, src: str) -> str:
    return f"{name}={value} ({src})"


def _src(entry: dict) -> str:
    sources = entry.get("sources") or []
    return ", ".join(sorted({f"{s['name']} {s['as_of']}" for s in sources})) or "no source"


def _fact(entry: dict, key: str) -> tuple[Any, str]:
    fact = (entry.get("facts") or {}).get(key)
    if not fact:
        return None, ""
    src = fact.get("source") or {}
    return fact.get("value"), (f"{src.get('name', '')} {src.get('as_of', '')}".strip() or "curated")


def _days_between(a: str, b: str) -> int | None:
    from datetime import date

    try:
        da = date.fromisoformat((a + "-01")[:10] if len(a) == 7 else a[:10])
        db = date.fromisoformat((b + "-01")[:10] if len(b) == 7 else b[:10])
    except ValueError:
        return None
    return (db - da).days


def score_entry(entry: dict, snapshot: str) -> dict[str, dict]:
    src = _src(entry)
    out: dict[str, dict] = {}
    openness = entry["openness"]
    weights = entry.get("weights_downloadable") is True or openness != "closed"
    params = entry.get("params_b")
    price = entry.get("price_usd_per_mtok")
    lic = entry.get("license")
    restricts = entry.get("license_restricts_use")

    # cost
    cost_scores, cost_ev, cost_reason = [], [], []
    if price:
        blended = (3 * price["input"] + price["output"]) / 4
        s = 1.0 - (math.log10(max(blended, 0.05)) - math.log10(0.05)) / (math.log10(100) - math.log10(0.05))
        cost_scores.append(max(0.0, min(1.0, s)))
        cost_ev.append(_ev("price_usd_per_mtok", f"{price['input']}/{price['output']}", f"{price['source']} {price['as_of']}"))
        cost_reason.append(f"API ${blended:.2f}/Mtok blended")
    if weights:
        if params is None:
            s, size = 0.6, "size unknown"
        else:
            s = 0.9 if params <= 10 else 0.75 if params <= 40 else 0.6 if params <= 100 else 0.45
            size = f"{params:g} B parameters"
        cost_scores.append(s)
        cost_ev.append(_ev("params_b", params, src))
        cost_reason.append(f"no licence fee to self-host; hardware grows with size ({size})")
    if cost_scores:
        out["cost"] = {"score": round(max(cost_scores), 3), "reason": "; ".join(cost_reason), "evidence": cost_ev}
    else:
        out["cost"] = {"score": 0.5, "reason": "no published price and no downloadable weights: cost unknown", "evidence": []}

    # accessibility
    s, parts, ev = 0.0, [], []
    if weights:
        s += 0.4
        parts.append("weights downloadable")
    if entry.get("api_available"):
        s += 0.3
        parts.append("API available")
    if weights and restricts is False:
        s += 0.2
        parts.append("licence without use restrictions")
    elif weights and restricts:
        parts.append(f"licence {lic} restricts use")
    if weights and params is not None and params <= 14:
        s += 0.1
        parts.append("runs on common hardware")
    ev += [_ev("openness", openness, src), _ev("api_available", entry.get("api_available"), src), _ev("license", lic, src)]
    out["accessibility"] = {"score": round(s, 3), "reason": ", ".join(parts) or "API only", "evidence": ev}

    # customization
    ft, ft_src = _fact(entry, "fine_tuning")
    dims = entry.get("openness_dimensions") or {}
    code_open = str(dims.get("code_open", "")).startswith("yes")
    if weights:
        s = 1.0 if code_open else 0.8
        reason = "weights can be fine-tuned and configured freely" + (" with the open training code" if code_open else "")
        ev = [_ev("weights_downloadable", True, src)]
    elif ft:
        s, reason, ev = 0.4, "vendor offers API fine-tuning only", [_ev("fine_tuning", ft, ft_src)]
    elif ft is None and not ft_src:
        s, reason, ev = 0.2, "closed weights; fine-tuning offer unknown", []
    else:
        s, reason, ev = 0.1, "closed weights and no fine-tuning offered", [_ev("fine_tuning", ft, ft_src)]
    out["customization"] = {"score": s, "reason": reason, "evidence": ev}

    # transparency
    rated = {k: v for k, v in dims.items() if k.startswith("osai:") or k.startswith("mof:")}
    if rated:
        vals = []
        for v in rated.values():
            v = str(v).split(" ")[0]
            vals.append(1.0 if v in ("open", "released-open") else 0.5 if v in ("partial", "released") else 0.0)
        s = sum(vals) / len(vals)
        reason = f"{sum(1 for v in vals if v == 1.0)} of {len(vals)} audited openness dimensions open"
        ev = [f"{k}={v}" for k, v in list(rated.items())[:14]]
    else:
        s = {"open-source": 0.7, "open-weights": 0.35, "closed": 0.05}[openness]
        reason = f"no openness audit; from the class ({openness})"
        ev = [_ev("openness", openness, src)]
    out["transparency"] = {"score": round(s, 3), "reason": reason, "evidence": ev}

    # collaboration
    if not weights:
        s, reason = 0.1, "closed: no modification or redistribution"
    elif restricts is False:
        s, reason = 0.9, f"open licence {lic} allows modification and redistribution"
    elif restricts:
        s, reason = 0.5, f"licence {lic} allows sharing with restrictions"
    else:
        s, reason = 0.4, "weights shared, licence terms unknown"
    out["collaboration"] = {"score": s, "reason": reason, "evidence": [_ev("license", lic, src)]}

    # updates
    dep, dep_src = _fact(entry, "deprecation")
    rel = entry.get("release_date")
    s = 0.7 if weights else 0.6
    reason = "you choose when to upgrade; published weights are never retired" if weights else "vendor ships updates but controls them and retires models"
    ev = []
    if dep:
        ev.append(_ev("deprecation", dep, dep_src))
    if rel:
        days = _days_between(rel, snapshot)
        ev.append(_ev("release_date", rel, src))
        if days is not None and days <= SNAPSHOT_YEAR_DAYS:
            s += 0.1
            reason += "; released within the last year"
        elif days is not None and days > 3 * SNAPSHOT_YEAR_DAYS:
            s -= 0.2
            reason += "; released over three years ago"
    out["updates"] = {"score": round(s, 3), "reason": reason, "evidence": ev}

    # support
    sup, sup_src = _fact(entry, "support")
    sla, sla_src = _fact(entry, "sla")
    if sla:
        s, reason = 0.9, f"SLA on offer: {sla}"
    elif sup == "paid":
        s, reason = 0.7, "paid vendor support"
    elif sup == "community":
        s, reason = 0.4, "community support only"
    else:
        s, reason = 0.3, "support on offer unknown"
    ev = [e for e in (_ev("support", sup, sup_src) if sup_src else "", _ev("sla", sla, sla_src) if sla_src else "") if e]
    out["support"] = {"score": s, "reason": reason, "evidence": ev}

    # security
    if weights:
        s, reason, ev = 0.9, "can be self-hosted: prompts need not leave your machines", [_ev("weights_downloadable", True, src)]
    else:
        trains, t_src = _fact(entry, "trains_on_api_data")
        certs, c_src = _fact(entry, "certifications")
        ret, r_src = _fact(entry, "data_retention")
        if trains is None and not certs:
            s, reason, ev = 0.4, "API only; data handling terms unknown", []
        else:
            s, parts, ev = 0.5, ["prompts go to the vendor"], []
            if trains is False:
                s += 0.15
                parts.append("not used for training by default")
                ev.append(_ev("trains_on_api_data", trains, t_src))
            elif trains is True:
                s -= 0.2
                parts.append("may be used for training")
                ev.append(_ev("trains_on_api_data", trains, t_src))
            if certs:
                s += 0.1
                parts.append("certifications published")
                ev.append(_ev("certifications", ", ".join(certs) if isinstance(certs, list) else certs, c_src))
            if ret:
                ev.append(_ev("data_retention", ret, r_src))
            reason = "; ".join(parts)
    out["security"] = {"score": round(s, 3), "reason": reason, "evidence": ev}

    out["performance"] = {
        "score": 0.5,
        "reason": "not measured: a neutral prior; run the model on your task to measure it",
        "evidence": [],
    }

    if entry.get("api_available"):
        s, reason = 0.9, "managed API: no servers to run"
    elif weights and params is not None and params <= 8:
        s, reason = 0.5, "self-host only; small enough for a laptop"
    elif weights:
        s, reason = 0.35, "self-host only; you run the servers"
    else:
        s, reason = 0.2, "no API listed and no weights"
    out["ease_of_use"] = {"score": s, "reason": reason, "evidence": [_ev("api_available", entry.get("api_available"), src)]}
    return out
