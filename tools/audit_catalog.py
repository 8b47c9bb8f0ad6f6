"""Audit the catalog against facts read by hand from model cards and vendor pages (issue 16, item 6).

    python tools/audit_catalog.py [--sample tests/data/audit_sample.yaml] [--day 2026-12-07] [--json]
    python tools/audit_catalog.py --draw 90 [--seed 2026] [--catalog FILE]

The sample (``tests/data/audit_sample.yaml``) holds, for entries that no curated block touches, the
true value of each fact (openness class, licence, parameters, context length, lifecycle status on
the audit day), the page it was read from and the date. This tool compares the catalog's current
value for each recorded fact with the recorded truth and prints: facts checked, wrong and unknown
(truth not found) per kind, and the list of wrong ones. ``--draw N`` prints the seeded random
selection the sample was drawn with (the rule is in the YAML header and in :func:`eligible`).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import yaml  # noqa: E402

SAMPLE = ROOT / "tests" / "data" / "audit_sample.yaml"
CURATED = ROOT / "src" / "whichai" / "catalog" / "curated"
KINDS = ("openness", "license", "params_b", "context_length", "lifecycle")
UNKNOWN = "unknown"


# ------------------------------------------------------------------ drawing the sample


def curated_names(curated: Path = CURATED) -> set[str]:
    """Every model id a curated block names (models.yaml models/aliases/facts/same_model,
    lifecycle.yaml notices, vendor-prefixed as the lifecycle reader does), lower-cased."""
    names: set[str] = set()
    models = yaml.safe_load((curated / "models.yaml").read_text(encoding="utf-8"))
    for m in models.get("models", []):
        names.update([m["id"], *m.get("aliases", [])])
    for b in models.get("facts", []):
        names.update([*b.get("match", []), *b.get("aliases", [])])
    for g in models.get("same_model", []):
        names.update([g["keep"], *g.get("merge", [])])
    notices = yaml.safe_load((curated / "lifecycle.yaml").read_text(encoding="utf-8"))
    for n in notices.get("notices", []):
        names.update(m if "/" in m else f"{n['vendor']}/{m}" for m in n.get("models", []))
    return {str(n).lower() for n in names}


def _is_curated(src) -> bool:
    return isinstance(src, dict) and src.get("name") == "curated"


def eligible(entries: list[dict], names: set[str]) -> list[str]:
    """Ids of entries no curated block touches: no field, source, lifecycle or offer status from
    ``curated``, and none of the entry's ids, aliases or offers named in models.yaml or
    lifecycle.yaml. Vendor terms (vendors.yaml ``facts``) are not among the audited facts and are
    ignored. Sorted, so the seeded draw is reproducible."""
    out = []
    for e in entries:
        ids = {e["id"], *e.get("aliases", []), *(e.get("offers") or {})}
        if {i.lower() for i in ids} & names:
            continue
        if any(_is_curated(s) for s in (e.get("field_sources") or {}).values()):
            continue
        if any(_is_curated(s) for s in e.get("sources") or []):
            continue
        if _is_curated((e.get("lifecycle") or {}).get("source")):
            continue
        if any(_is_curated(o.get("status_source")) for o in (e.get("offers") or {}).values()):
            continue
        out.append(e["id"])
    return sorted(out)


def draw(entries: list[dict], n: int, seed: int = 2026) -> list[str]:
    return random.Random(seed).sample(eligible(entries, curated_names()), n)


# ------------------------------------------------------------------ comparing


def load_sample(path: Path = SAMPLE) -> dict:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def find(catalog, item: dict) -> dict | None:
    """The catalog entry for a sampled item: its id, else any id it was known by when drawn."""
    for key in (item["id"], *item.get("also", [])):
        e = catalog.find_raw(key)
        if e is not None:
            return e
    return None


def status_on(entry: dict, day: str) -> str:
    from whichai.catalog import lifecycle

    return lifecycle.entry_status(entry, day)


def catalog_value(entry: dict | None, kind: str, day: str):
    if entry is None:
        return None
    if kind == "lifecycle":
        return status_on(entry, day)
    return entry.get(kind)


def same(kind: str, truth, value) -> bool:
    """Whether the catalog's value agrees with the recorded truth. Parameter counts agree within
    5 % (cards round: 7.24B is "7B"); context lengths within 3 % (128000 vs 131072); licences after
    the catalog's own normalisation; a truth recorded as a list accepts any of its values."""
    if isinstance(truth, list):
        return any(same(kind, t, value) for t in truth)
    if value is None:
        return False
    if kind == "params_b":
        return abs(float(value) - float(truth)) <= 0.05 * float(truth)
    if kind == "context_length":
        return abs(int(value) - int(truth)) <= 0.03 * int(truth)
    if kind == "license":
        from whichai.catalog import licenses

        return (licenses.normalise(str(value)) or "").lower() == (licenses.normalise(str(truth)) or "").lower()
    return str(value).lower() == str(truth).lower()


def audit(catalog, sample: dict, day: str | None = None) -> dict:
    """Per kind: ``checked`` (truth known), ``wrong`` (the catalog states another value), ``gap``
    (the catalog says unknown, a null or the openness class ``unknown``, where the page gives a
    value: missing, not wrong) and ``unknown``
    (no page settled the fact); ``wrong_list`` / ``gap_list`` name them; ``missing``: sampled ids
    the catalog no longer resolves."""
    day = day or str(sample.get("day", "2026-12-07"))
    checked, wrong, gap, unknown = Counter(), Counter(), Counter(), Counter()
    wrong_list, gap_list, missing = [], [], []
    for item in sample["entries"]:
        entry = find(catalog, item)
        if entry is None:
            missing.append(item["id"])
        for kind, fact in (item.get("facts") or {}).items():
            truth = fact["value"]
            if truth == UNKNOWN:
                unknown[kind] += 1
                continue
            checked[kind] += 1
            value = catalog_value(entry, kind, day)
            if entry is not None and (value is None or (kind == "openness" and value == UNKNOWN)):
                gap[kind] += 1
                gap_list.append({"id": item["id"], "kind": kind, "truth": truth, "url": fact.get("url")})
            elif not same(kind, truth, value):
                wrong[kind] += 1
                wrong_list.append({"id": item["id"], "kind": kind, "catalog": value, "truth": truth, "url": fact.get("url"), "note": fact.get("note", "")})
    return {"checked": checked, "wrong": wrong, "gap": gap, "unknown": unknown, "wrong_list": wrong_list, "gap_list": gap_list,
            "missing": missing, "day": day, "entries": len(sample["entries"])}


def report(result: dict, verbose: bool = False) -> str:
    lines = [f"audit of {result['entries']} sampled entries, lifecycle on {result['day']}",
             "checked: the page gives the fact; wrong: the catalog states another value; gap: the catalog",
             "says unknown (null) where the page gives one; unknown: no page settled the fact", ""]
    lines.append(f"{'kind':16} {'checked':>8} {'wrong':>6} {'gap':>5} {'unknown':>8}")
    for k in KINDS:
        lines.append(f"{k:16} {result['checked'][k]:>8} {result['wrong'][k]:>6} {result['gap'][k]:>5} {result['unknown'][k]:>8}")
    tc, tw, tg, tu = (sum(result[x].values()) for x in ("checked", "wrong", "gap", "unknown"))
    lines.append(f"{'total':16} {tc:>8} {tw:>6} {tg:>5} {tu:>8}   ({100 * tw / max(tc, 1):.1f} % wrong, {100 * tg / max(tc, 1):.1f} % gaps)")
    if result["missing"]:
        lines += ["", "not in the catalog: " + ", ".join(result["missing"])]
    if result["wrong_list"]:
        lines += ["", "wrong:"]
        for w in result["wrong_list"]:
            lines.append(f"  {w['id']:50} {w['kind']:15} catalog={w['catalog']!r} truth={w['truth']!r}  {w['url']}")
    if result["gap_list"] and verbose:
        lines += ["", "gaps (catalog unknown):"]
        for w in result["gap_list"]:
            lines.append(f"  {w['id']:50} {w['kind']:15} truth={w['truth']!r}  {w['url']}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sample", default=str(SAMPLE))
    parser.add_argument("--day", default=None, help="the day lifecycle statuses are computed for (default: the sample's)")
    parser.add_argument("--catalog", default=None, help="a catalog.json.gz (default: the active one)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--gaps", action="store_true", help="also list the facts the catalog leaves unknown")
    parser.add_argument("--draw", type=int, default=0, help="print the seeded selection of N eligible ids")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    os.environ.setdefault("WHICHAI_TODAY", "2026-12-07")
    if args.catalog:
        from whichai.catalog.catalog import Catalog

        with gzip.open(args.catalog, "rb") as fh:
            catalog = Catalog(json.loads(fh.read()), args.catalog)
    else:
        from whichai.catalog import load_catalog

        catalog = load_catalog()
    if args.draw:
        for i in draw(catalog.raw, args.draw, args.seed):
            print(i)
        return 0
    result = audit(catalog, load_sample(Path(args.sample)), args.day)
    if args.json:
        print(json.dumps(result, indent=1, default=str))
    else:
        print(report(result, args.gaps))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
