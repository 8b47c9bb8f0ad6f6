"""Published benchmark results as catalog facts, and the per-ability priors fitted from them.

The data file ``data/benchmarks.json`` is written by ``tools/import_benchmarks.py`` from openly
licensed sources (Aider polyglot, Apache-2.0; LLM Stats, CC-BY-4.0; EvalPlus, Apache-2.0). Each
result keeps its source, benchmark (with its version), the model as the source named it, the score
(0-1), the source's date, and the catalog entries it links to.

**Linking rule** (:func:`link`, conservative): names are normalised to tokens (lower case; the part
after the last ``/``; split at every non-alphanumeric character and between letters and digits, so
``Qwen2.5-72B`` and ``qwen-2.5-72b`` are ``qwen 2 5 72 b``); a parenthetical that is not a date or
version number (``(high)``, ``(32k thinking)``) is a setting and is dropped, and so is a final ``hf`` (``OLMo-7B-hf`` is
``OLMo-7B``'s weights converted to the Transformers format, not another model). A result links to every
entry one of whose keys (id, name, aliases, Hugging Face repo) has exactly those tokens. A name with a
date (``-20240307``, ``-2024-08-06``) links to an undated key only when no catalog key has that base
with another date, and a name links to ``<name> Preview`` when the catalog has no entry of that name itself (a model
released as a preview, its publisher's table naming it without the word). Nothing is matched across sizes, versions, ``instruct``/base or distillations:
a name that does not link is listed as unlinked.

The data file keeps each result's model **as the source named it**; results are linked to the entries
of the catalog in use when it is first needed (:func:`_linked`), so a catalog rebuilt with new ids links
again by the same rule, and ``unlinked`` is what this catalog does not match. The links and the priors
are a pure function of the catalog document, the data file and this module: they are kept in the data
folder with the stamps of those inputs (:func:`_derived`), and a later process reads them there.

**Priors** (:func:`fit_priors`, run by the import tool, which stores each benchmark's fitted (a, c, σ)
in the data file as ``fit``; each entry's θ is computed from them when the catalog loads,
:func:`priors_from_fit`): per ability
(general, code, reasoning, extraction, multilingual, agentic), each linked entry's best result per benchmark
is put on one scale by a one-factor model fitted by alternating least squares:
score(m, b) = a_b + c_b · θ_m, residual spread σ_b; θ_m = Σ c_b (y - a_b)/σ_b² / (Σ c_b²/σ_b² + 1)
(the +1 shrinks a model seen on few benchmarks toward the middle), then θ is standardised over the
entries and the prior is Φ(θ) in [0, 1], with its standard error φ(θ)·SE(θ) (SE(θ) = 1/√(Σ c_b²/σ_b² + 1)).

**Linking the scales** (:func:`linkings`, mean-sigma linking on θ, a standard test-equating method): each
ability is fitted on its own population, so a code θ and a general θ are on different scales. Over the
entries that have both the general ability G and another ability A, θ_A ≈ μ_A + (σ_A/σ_G)(θ_G − μ_G); the
residual spread s of that line over those entries adds to the linked θ's standard error,
SE = √((σ_A/σ_G · SE(θ_G))² + s²). An entry without figures for A has its general prior put on A's scale
this way (:func:`prior`; ``linked_from`` says so), never its general score itself. Code, reasoning,
extraction and agentic coding (Terminal-Bench; no task reads it directly) are linked so. The same line read the other way puts an entry that has figures for A but none
for the general ability (a code model scored on code benchmarks only) on the general scale,
θ_G = μ_G + (θ_A − μ_A)/(σ_A/σ_G), SE = √(SE(θ_A)² + s²)/(σ_A/σ_G) (:meth:`Linking.general_of`), from the first of
code, reasoning, extraction and agentic coding it has.

**The multilingual ability is anchored on the general scale, benchmark by benchmark** (:func:`anchoring`,
the rule in :mod:`whichai.catalog.anchoring`), not linked as a whole: its benchmarks were taken by different
groups of models, so its one-factor θ confounds a benchmark's difficulty with who took it. Each multilingual
benchmark's figure is fitted (probit) against the general θ; an entry's multilingual θ is its general θ plus
its figures' mean residual from those lines, shrunk toward 0 (:func:`multilingual`; no figure: its general θ).
An entry with multilingual figures and no general prior keeps its own multilingual prior.
Both computed once per process from the entries' priors (a pure function of the data file and the catalog).
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from whichai.catalog.anchoring import Anchored, Anchoring, fit_anchoring

DATA = Path(__file__).parent / "data" / "benchmarks.json"
ABILITIES = ("general", "code", "reasoning", "extraction", "multilingual", "agentic")  # agentic: terminal and tool-using agents (Terminal-Bench)
MIN_RESULTS = 4  # a benchmark needs this many linked entries to be put on the common scale
_DATE = re.compile(r"^(\d{8}|\d{4}-\d{2}-\d{2})$")
_PAREN = re.compile(r"\(([^)]*)\)")
_DIGITS = re.compile(r"[\d\- ]+")
_ISO_DAY = re.compile(r"\b(20\d{2})-(\d{2})-(\d{2})\b")
_TOKEN = re.compile(r"[a-z]+|\d+")  # runs of letters or of digits: the split at non-alphanumerics and at letter/digit borders


# names ------------------------------------------------------------------------------------------


@cache
def tokens(name: str) -> tuple[str, ...]:
    """The normalised tokens of a model name (see the module docstring)."""
    text = str(name).lower().strip()
    if "(" in text:
        text = _PAREN.sub(lambda m: " " + m.group(1) if _DIGITS.fullmatch(m.group(1).strip()) else " ", text)
    text = text.rstrip("/").split("/")[-1]
    if "-" in text:
        text = _ISO_DAY.sub(r"\1\2\3", text)  # 2024-08-06 -> 20240806 (one date token)
    toks = tuple(_TOKEN.findall(text))
    return toks[:-1] if len(toks) > 1 and toks[-1] == "hf" else toks  # ``-hf``: the same weights in Transformers' format


def _undated(toks: tuple[str, ...]) -> tuple[tuple[str, ...], str | None]:
    if toks and re.fullmatch(r"20\d{6}", toks[-1]):
        return toks[:-1], toks[-1]
    return toks, None


class LinkIndex(dict[tuple[str, ...], set[str]]):
    """Tokens of a key -> entry ids; ``dates``: each undated base -> the snapshot dates (None: undated) the catalog has."""

    dates: dict[tuple[str, ...], set[str | None]]


_FAMILY_PAREN = re.compile(r"^\s*([^()]+?)\s*\(([^()]+)\)\s*$")
_ALNUM = re.compile(r"[^a-z0-9]")


def key_tokens(key: str) -> tuple[str, ...]:
    """The tokens of a catalog key. A name ``Family (Model)`` whose parenthetical is the model's own name, one that
    begins with the family's (``K2 (K2-Think-V2)``, ``Apertus (Apertus-70B-Instruct-2509)``), is keyed by that name:
    keyed by the family alone, it would take every result named only by the family (``LLM360/K2`` is another model)."""
    m = _FAMILY_PAREN.match(str(key))
    if m:
        family, inner = (_ALNUM.sub("", part.lower()) for part in m.groups())
        if family and inner.startswith(family) and inner != family:
            return tokens(m.group(2))
    return tokens(key)


def link_index(entries: Iterable[tuple[str, str | None, list[str], str | None]]) -> dict[tuple[str, ...], set[str]]:
    """Tokens of every key (id, name, aliases, Hugging Face repo; :func:`key_tokens`) -> the entry ids that have it."""
    index = LinkIndex()
    for eid, name, aliases, hf in entries:
        for key in (eid, name, *aliases, hf):
            if key:
                index.setdefault(key_tokens(key), set()).add(eid)
    index.dates = {}
    for k in index:
        base, day = _undated(k)
        index.dates.setdefault(base, set()).add(day)
    return index


def link(model: str, index: dict[tuple[str, ...], set[str]]) -> list[str] | None:
    """The catalog entries a result's model name links to (the rule of the module docstring), or None."""
    toks = tokens(model)
    if not toks:
        return None
    if toks in index:
        return sorted(index[toks])
    if toks + ("preview",) in index and toks[-1] != "preview":  # the model released as a preview only: the catalog has no other
        return sorted(index[toks + ("preview",)])
    base, day = _undated(toks)
    if day is None or base not in index:
        return None
    dates = getattr(index, "dates", None)
    if dates is None:
        dates = {}
        for k in index:
            dates.setdefault(_undated(k)[0], set()).add(_undated(k)[1])
    if dates.get(base, set()) - {None, day}:
        return None  # the catalog has another snapshot of that base: which one the undated name is, is not known
    return sorted(index[base])


# fitting (run by the import tool) ----------------------------------------------------------------


def _best_scores(doc: dict[str, Any], links: list[tuple[str, ...]]) -> dict[str, dict[str, tuple[float, str, str]]]:
    """entry -> benchmark -> (best score, source, model as named); ``links[i]``: the entries result i links to."""
    best: dict[str, dict[str, tuple[float, str, str]]] = {}
    for r, linked in zip(doc["results"], links):
        for eid in linked:
            cur = best.setdefault(eid, {}).get(r["benchmark"])
            if cur is None or r["score"] > cur[0]:
                best[eid][r["benchmark"]] = (r["score"], r["source"], r["model"])
    return best


def _fit(y: dict[str, dict[str, float]], rounds: int = 40) -> tuple[dict[str, float], dict[str, float], dict[str, tuple[float, float, float]]]:
    """One-factor fit: (θ per entry, SE(θ) per entry, (a, c, σ) per benchmark)."""
    benches = sorted({b for row in y.values() for b in row})
    cols = {b: {m: row[b] for m, row in y.items() if b in row} for b in benches}
    stats = {}
    for b, col in cols.items():
        mu = sum(col.values()) / len(col)
        sd = math.sqrt(sum((v - mu) ** 2 for v in col.values()) / len(col)) or 1.0
        stats[b] = (mu, sd, 0.5 * sd)
    theta = {m: sum((v - stats[b][0]) / stats[b][1] for b, v in row.items()) / len(row) for m, row in y.items()}
    se: dict[str, float] = {}
    for _ in range(rounds):
        for b, col in cols.items():
            xs = [theta[m] for m in col]
            mx, my = sum(xs) / len(xs), sum(col.values()) / len(col)
            sxx = sum((x - mx) ** 2 for x in xs) or 1e-9
            c = max(1e-3, sum((theta[m] - mx) * (v - my) for m, v in col.items()) / sxx)
            a = my - c * mx
            res = [v - a - c * theta[m] for m, v in col.items()]
            sigma = max(0.02, math.sqrt(sum(r * r for r in res) / max(1, len(res) - 2)))
            stats[b] = (a, c, sigma)
        for m, row in y.items():
            info = sum(stats[b][1] ** 2 / stats[b][2] ** 2 for b in row) + 1.0
            theta[m] = sum(stats[b][1] * (v - stats[b][0]) / stats[b][2] ** 2 for b, v in row.items()) / info
            se[m] = 1 / math.sqrt(info)
        mu = sum(theta.values()) / len(theta)
        sd = math.sqrt(sum((t - mu) ** 2 for t in theta.values()) / len(theta)) or 1.0
        theta = {m: (t - mu) / sd for m, t in theta.items()}
        se = {m: s / sd for m, s in se.items()}
        stats = {b: (a + c * mu, c * sd, s) for b, (a, c, s) in stats.items()}
    return theta, se, stats


def _phi(x: float) -> float:
    return math.exp(-x * x / 2) / math.sqrt(2 * math.pi)


def fit_priors(doc: dict[str, Any], links: list[tuple[str, ...]]) -> dict[str, dict[str, list[float]]]:
    """The fit stored in the data file: ability -> benchmark -> [a, c, σ] (the one-factor model of the
    module docstring over the entries the results link to now)."""
    best = _best_scores(doc, links)
    fit: dict[str, dict[str, list[float]]] = {}
    for ability in ABILITIES:
        keep = {b for b, meta in doc["benchmarks"].items() if ability in meta["abilities"]}
        counts: dict[str, int] = {}
        for row in best.values():
            for b in row:
                if b in keep:
                    counts[b] = counts.get(b, 0) + 1
        keep = {b for b in keep if counts.get(b, 0) >= MIN_RESULTS}
        y = {m: {b: v[0] for b, v in row.items() if b in keep} for m, row in best.items()}
        y = {m: row for m, row in y.items() if row}
        if len(y) < MIN_RESULTS:
            continue
        _, _, stats = _fit(y)
        fit[ability] = {b: [round(a, 6), round(c, 6), round(s, 6)] for b, (a, c, s) in sorted(stats.items())}
    return fit


def priors_from_fit(best: dict[str, dict[str, tuple[float, str, str]]], fit: dict[str, dict[str, list[float]]]) -> dict[str, dict[str, dict[str, Any]]]:
    """entry -> ability -> {score, se, benchmarks: [[benchmark, score, source, model as named], ...]}:
    θ = Σ c_b (y - a_b)/σ_b² / (Σ c_b²/σ_b² + 1) over the entry's results on the ability's fitted
    benchmarks, prior Φ(θ), standard error φ(θ)/√(Σ c_b²/σ_b² + 1). One pass, no fitting."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for ability, stats in fit.items():
        for m, row in best.items():
            used = sorted(b for b in row if b in stats)
            if not used:
                continue
            info = 1.0 + sum(stats[b][1] ** 2 / stats[b][2] ** 2 for b in used)
            theta = sum(stats[b][1] * (row[b][0] - stats[b][0]) / stats[b][2] ** 2 for b in used) / info
            score = 0.5 * (1 + math.erf(theta / math.sqrt(2)))
            out.setdefault(m, {})[ability] = {"score": round(score, 4), "se": round(_phi(theta) / math.sqrt(info), 4),
                                              "benchmarks": [[b, row[b][0], row[b][1], row[b][2]] for b in used],
                                              "theta": round(theta, 6), "theta_se": round(1 / math.sqrt(info), 6)}
    return dict(sorted(out.items()))


# reading (at run time) ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BenchmarkFact:
    source: str
    source_name: str
    benchmark: str
    benchmark_name: str
    version: str
    model_as_named: str
    score: float
    date: str
    url: str
    license: str
    observed: str
    setting: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source_name, "benchmark": self.benchmark_name, "version": self.version, "model_as_named": self.model_as_named,
                "score": self.score, "date": self.date, "url": self.url, "license": self.license, "observed": self.observed, "setting": self.setting}


@dataclass(frozen=True)
class BenchmarkPrior:
    ability: str
    score: float
    se: float  # standard error of the score (the benchmarks' own noise, propagated)
    benchmarks: tuple[tuple[str, float, str, str], ...]  # (benchmark name, score, source name, model as named)
    theta: float = 0.0  # the fitted θ on the ability's scale (score = Φ(θ))
    theta_se: float = 0.0  # SE(θ)
    linked_from: str = ""  # the ability this prior was put on its scale from (:class:`Linking`): "general", or code etc. for a general one
    linked_over: int = 0  # then: the number of entries having both that the linking was fitted on
    anchor: Anchored | None = None  # a multilingual prior anchored on the general one: its figures' residuals (:func:`anchoring`)
    with_general: BenchmarkPrior | None = None  # its own figures combined with this: its general prior linked to the ability's scale

    def evidence(self) -> list[str]:
        return [f"{b} {s:.3f} ({src}: {named})" for b, s, src, named in self.benchmarks]

    def names(self) -> str:
        return ", ".join(b for b, *_ in self.benchmarks)


def at_theta(ability: str, theta: float, theta_se: float, benchmarks: tuple[tuple[str, float, str, str], ...], **how: Any) -> BenchmarkPrior:
    """A prior put at θ ± SE(θ) on an ability's scale: Φ(θ), its noise φ(θ)·SE(θ) (``how``: linked_from, linked_over, anchor)."""
    score = 0.5 * (1 + math.erf(theta / math.sqrt(2)))
    return BenchmarkPrior(ability, round(score, 4), round(_phi(theta) * theta_se, 4), benchmarks, round(theta, 6), round(theta_se, 6), **how)


REFRESHED_NAME = "benchmarks.json"  # beside the refreshed catalog, written by ``whichai catalog update``


def active_data_path() -> Path:
    """The benchmark data in use: the one ``whichai catalog update`` wrote beside the catalog it built, while that
    catalog is the one in use; else the shipped file."""
    from whichai.catalog.catalog import refreshed_path

    cat = refreshed_path()
    mine = cat.with_name(REFRESHED_NAME)
    return mine if cat.exists() and mine.exists() else DATA


@cache
def data() -> dict[str, Any]:
    """The benchmark data in use (:func:`active_data_path`; empty when the file is missing)."""
    path = active_data_path()
    if not path.exists():
        return {"sources": {}, "benchmarks": {}, "results": [], "fit": {}}
    found: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return found


def reset() -> None:
    """Forget what was read and linked (after ``catalog update`` swapped the data in this process)."""
    for f in (data, tokens, _derived, _linked, _facts_by_entry, _priors, linkings, anchoring, prior, multilingual, _raw_entries, _lines, line_estimate):
        f.cache_clear()


def catalog_index(entries: Iterable[dict[str, Any]]) -> dict[tuple[str, ...], set[str]]:
    """The link index of catalog entries (dicts with id, name, aliases, hf_repo)."""
    return link_index((e["id"], e.get("name"), e.get("aliases") or [], e.get("hf_repo")) for e in entries)


def link_all(results: list[dict[str, Any]], index: dict[tuple[str, ...], set[str]]) -> list[tuple[str, ...]]:
    """The entries each result links to (``()`` when unlinked), one name looked up once."""
    names: dict[str, tuple[str, ...]] = {}
    for r in results:
        if r["model"] not in names:
            names[r["model"]] = tuple(link(r["model"], index) or ())
    return [names[r["model"]] for r in results]


@cache
def _linked() -> tuple[tuple[str, ...], ...]:
    """The entries of the catalog in use that each result links to (linked when first needed, once per process)."""
    return _derived()[0]


@cache
def _facts_by_entry() -> dict[str, tuple[BenchmarkFact, ...]]:
    doc = data()
    by: dict[str, list[BenchmarkFact]] = {}
    for r, linked in zip(doc["results"], _linked()):
        if not linked:
            continue
        src, bench = doc["sources"][r["source"]], doc["benchmarks"][r["benchmark"]]
        fact = BenchmarkFact(r["source"], src["name"], r["benchmark"], bench["name"], bench["version"], r["model"], r["score"], r.get("date", ""),
                             r.get("url") or src["url"], src["license"], src["observed"], r.get("setting", ""))
        for eid in linked:
            by.setdefault(eid, []).append(fact)
    return {k: tuple(v) for k, v in by.items()}


def facts(entry_id: str) -> tuple[BenchmarkFact, ...]:
    """The published results linked to one catalog entry."""
    return _facts_by_entry().get(entry_id, ())


@cache
def _priors() -> dict[str, dict[str, BenchmarkPrior]]:
    """Every linked entry's prior per ability (computed once per process, when first needed)."""
    return {eid: {ab: BenchmarkPrior(ab, score, se, tuple(tuple(b) for b in used), theta, theta_se)
                  for ab, (score, se, used, theta, theta_se) in row.items()}
            for eid, row in _derived()[1].items()}


# linking and priors, kept between processes ------------------------------------------------------

Derived = tuple[tuple[tuple[str, ...], ...], dict[str, dict[str, list[Any]]]]


@cache
def _derived() -> Derived:
    """(the entries each result links to; each linked entry's priors: ability -> [score, se, [[benchmark
    name, score, source name, model as named], ...], θ, SE(θ)]) for the catalog in use. A pure function of the
    catalog document, the data file and this module, so it is kept in a file with the stamp of each
    (path, size, modification time) and read from there by later processes instead of linked again;
    a file whose stamps are not those of the inputs now is linked again and written over."""
    stamps = _stamps()
    path = _derived_file()
    found = _read_derived(path, stamps) if stamps is not None else None
    if found is not None:
        return found
    doc = data()
    links = tuple(link_all(doc["results"], catalog_index(_raw_entries().values())))
    names = {k: v["name"] for k, v in doc["benchmarks"].items()}
    srcs = {k: v["name"] for k, v in doc["sources"].items()}
    raw = priors_from_fit(_best_scores(doc, list(links)), doc.get("fit", {}))
    priors = {eid: {ab: [p["score"], p["se"], [[names[b], s, srcs[src], named] for b, s, src, named in p["benchmarks"]], p["theta"], p["theta_se"]]
                    for ab, p in row.items()}
              for eid, row in raw.items()}
    if stamps is not None:
        _write_derived(path, stamps, links, priors)
    return links, priors


def _derived_file() -> Path:
    from whichai.paths import data_dir

    return data_dir() / "cache" / "benchmark-links.json"


def _stamps() -> list[list[Any]] | None:
    """(path, size, modification time) of each input of :func:`_derived`: the catalog document in use,
    the data file, this module; None when one cannot be read."""
    from whichai.catalog.catalog import active_path

    try:
        return [[str(f), f.stat().st_size, f.stat().st_mtime_ns] for f in (active_path(), active_data_path(), DATA, Path(__file__))]
    except OSError:
        return None


def _read_derived(path: Path, stamps: list[list[Any]]) -> Derived | None:
    try:
        found = json.loads(path.read_bytes())
        if found["inputs"] != stamps:
            return None  # made from other inputs
        links = tuple(tuple(str(e) for e in row) for row in found["links"])
        priors = found["priors"]
    except (OSError, ValueError, KeyError, TypeError):  # absent, or not what this module writes: link again
        return None
    return (links, priors) if isinstance(priors, dict) else None


def _write_derived(path: Path, stamps: list[list[Any]], links: tuple[tuple[str, ...], ...], priors: dict[str, Any]) -> None:
    """Write the file whole (a temporary file renamed into place); a data folder that cannot be written
    is no error (the next process links again)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"inputs": stamps, "links": links, "priors": priors}, separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass


def covered() -> list[str]:
    """The catalog entries with a benchmark prior."""
    return sorted(_priors())


TASK_ABILITY = {"chat": "general", "code": "code", "reasoning": "reasoning", "extraction": "extraction", "classification": "extraction"}


MIN_LINKED = 10  # entries having both abilities that a linking needs
LINKED = ("code", "reasoning", "extraction", "agentic")  # the abilities linked from the general scale (multilingual is anchored instead)


@dataclass(frozen=True)
class Linking:
    """The mean-sigma linking of the general scale to one ability's (module docstring), fitted over ``n`` entries."""

    ability: str
    n: int
    mean: float  # μ_A over the entries having both
    general_mean: float  # μ_G over the same entries
    slope: float  # σ_A / σ_G
    spread: float  # residual spread of θ_A around the linked θ_G (root mean square)

    def prior(self, general: BenchmarkPrior) -> BenchmarkPrior:
        """The general prior put on this ability's scale, its noise the general θ's (scaled) and the spread."""
        theta = self.mean + self.slope * (general.theta - self.general_mean)
        theta_se = math.hypot(self.slope * general.theta_se, self.spread)
        return at_theta(self.ability, theta, theta_se, general.benchmarks, linked_from="general", linked_over=self.n)

    def general_of(self, own: BenchmarkPrior) -> BenchmarkPrior:
        """The same line read the other way: this ability's prior put on the general scale (an entry with no general figure)."""
        theta = self.general_mean + (own.theta - self.mean) / self.slope
        theta_se = math.hypot(own.theta_se, self.spread) / self.slope
        return at_theta("general", theta, theta_se, own.benchmarks, linked_from=self.ability, linked_over=self.n)


def fit_linking(ability: str, pairs: list[tuple[float, float]]) -> Linking:
    """Mean-sigma linking from (θ_G, θ_A) pairs: slope σ_A/σ_G, through the two means."""
    n = len(pairs)
    mg, ma = sum(g for g, _ in pairs) / n, sum(a for _, a in pairs) / n
    sg = math.sqrt(sum((g - mg) ** 2 for g, _ in pairs) / n) or 1.0
    slope = math.sqrt(sum((a - ma) ** 2 for _, a in pairs) / n) / sg
    spread = math.sqrt(sum((a - ma - slope * (g - mg)) ** 2 for g, a in pairs) / n)
    return Linking(ability, n, round(ma, 6), round(mg, 6), round(slope, 6), round(spread, 6))


@cache
def linkings() -> dict[str, Linking]:
    """Each ability's linking from the general scale over the catalog's entries (:func:`fit_linkings`)."""
    return fit_linkings(_priors())


def fit_linkings(priors: dict[str, dict[str, BenchmarkPrior]]) -> dict[str, Linking]:
    """Each ability of ``LINKED``'s linking from the general scale, over the entries having both (at least ``MIN_LINKED``)."""
    rows = priors.values()
    out = {}
    for ability in LINKED:
        pairs = [(row["general"].theta, row[ability].theta) for row in rows if "general" in row and ability in row]
        if len(pairs) >= MIN_LINKED:
            out[ability] = fit_linking(ability, pairs)
    return out


def own_or_linked(row: dict[str, BenchmarkPrior], ability: str, links: dict[str, Linking]) -> BenchmarkPrior | None:
    """The entry's prior for an ability by the run-time rule, given the abilities' linkings: its own figures weighed with
    its general prior linked to that scale (:func:`combined`), else its general prior linked there, else its own (no
    linking); for the general ability, its own or one linked from another ability (:func:`general_linked`). None when
    neither can be."""
    general, linking = row.get("general") or general_linked(row, links), links.get(ability)
    if ability == "general":
        return general
    own = row.get(ability)
    if general is None or linking is None:
        return own
    linked = linking.prior(general)
    return linked if own is None else (combined(own, linked) if "general" in row else own)


def combined(own: BenchmarkPrior, linked: BenchmarkPrior) -> BenchmarkPrior:
    """An entry's own figures for an ability, with its general prior linked to that scale as their prior instead of the
    population's middle: θ = (Σ c_b (y − a_b)/σ_b² + θ_L/SE_L²) / (Σ c_b²/σ_b² + 1/SE_L²), SE = 1/√(Σ c_b²/σ_b² + 1/SE_L²).
    ``own`` was shrunk toward 0 with weight 1 (its θ·info and info − 1 give back the figures' terms)."""
    info = 1 / own.theta_se**2
    data_info, prior_info = info - 1, 1 / linked.theta_se**2
    theta = (own.theta * info + linked.theta * prior_info) / (data_info + prior_info)
    return at_theta(own.ability, theta, 1 / math.sqrt(data_info + prior_info), own.benchmarks, with_general=linked)


def general_linked(row: dict[str, BenchmarkPrior], links: dict[str, Linking]) -> BenchmarkPrior | None:
    """An entry without general figures: the first of its code, reasoning and extraction priors put on the general
    scale (:meth:`Linking.general_of`); None when it has none of them or that linking is not fitted."""
    return next((links[a].general_of(row[a]) for a in LINKED if a in row and a in links), None)


@cache
def prior(entry_id: str, task_kind: str) -> BenchmarkPrior | None:
    """The benchmark prior of an entry for a kind of task: that ability's own, else the general one linked to its
    scale (:class:`Linking`), else (no linking) the general one itself; an entry with no general figure has its
    general prior linked from another ability's (:func:`general_linked`); None when no benchmark covers it."""
    row = _priors().get(entry_id)
    if not row:
        return None
    return own_or_linked(row, TASK_ABILITY.get(task_kind, "general"), linkings()) or row.get("general")


@cache
def anchoring() -> Anchoring | None:
    """The multilingual benchmarks anchored on the general scale over the catalog's entries (:func:`fit_anchoring_of`)."""
    return fit_anchoring_of(_priors())


def fit_anchoring_of(priors: dict[str, dict[str, BenchmarkPrior]]) -> Anchoring | None:
    """The anchoring (:func:`whichai.catalog.anchoring.fit_anchoring`) over the entries with a general prior and
    multilingual figures; None when no multilingual benchmark has a line."""
    rows = [(row["general"].theta, _figures(row["multilingual"])) for row in priors.values() if "general" in row and "multilingual" in row]
    return fit_anchoring(rows)


def _figures(p: BenchmarkPrior) -> list[tuple[str, float]]:
    return [(b, s) for b, s, *_ in p.benchmarks]


def anchored_prior(row: dict[str, BenchmarkPrior], anchors: Anchoring | None) -> BenchmarkPrior | None:
    """An entry's multilingual prior from its priors: its general θ plus its figures' shrunk residual (0 without
    figures), its noise the general θ's and the shift's; without a general prior its own multilingual prior (as
    before the anchoring); None without an anchoring (no multilingual figure is comparable with a general one)."""
    general, own = row.get("general"), row.get("multilingual")
    if anchors is None:
        return None
    if general is None:
        return own
    found = anchors.anchor(general.theta, _figures(own) if own is not None else [])
    theta, theta_se = general.theta + found.shift, math.hypot(general.theta_se, found.shift_se)
    used = tuple(b for b in own.benchmarks if anchors.line(b[0])) if own is not None else ()
    return at_theta("multilingual", theta, theta_se, used or general.benchmarks, anchor=found)


@cache
def multilingual(entry_id: str) -> BenchmarkPrior | None:
    """The entry's multilingual prior on the general scale (:func:`anchored_prior`); None when it has no prior or
    no multilingual benchmark is anchored."""
    return anchored_prior(_priors().get(entry_id, {}), anchoring())


@dataclass(frozen=True)
class BenchmarkSource:
    """A benchmark source with its licence, attribution, commit and dates, its results (``linked``: those
    that link to the catalog in use)."""

    id: str
    name: str
    url: str
    license: str
    attribution: str
    commit: str
    source_date: str
    observed: str
    results: int
    linked: int


def sources() -> list[BenchmarkSource]:
    """Each source (for ``whichai catalog sources``)."""
    doc = data()
    linked: dict[str, int] = {}
    for r, entries in zip(doc["results"], _linked()):
        linked[r["source"]] = linked.get(r["source"], 0) + bool(entries)
    text = ("name", "url", "license", "attribution", "commit", "source_date", "observed")
    return [BenchmarkSource(id=k, **{f: v.get(f, "") for f in text}, results=v.get("results", 0), linked=linked.get(k, 0))
            for k, v in doc["sources"].items()]


def unlinked() -> list[str]:
    """``source: model as named`` for every result name that links to no entry of the catalog in use."""
    return sorted({f"{r['source']}: {r['model']}" for r, entries in zip(data()["results"], _linked()) if not entries})


# the estimate for an entry no benchmark covers (its line's benchmarked models) ----------------------

ESTIMATE_SE = 0.05  # added to the reference's own noise: the estimate is a floor, not a measurement
TIER_SLACK = 1.25  # a reference may be up to this factor above the entry's price or size and still count as "same tier"


@dataclass(frozen=True)
class LineEstimate:
    """An uncovered entry's prior, taken from the best benchmarked model of its line (same lab) that was
    released no later than it, at the same or a lower tier (price for closed models, size for open ones)."""

    prior: BenchmarkPrior  # the reference's prior
    reference: str  # the reference entry's id
    reference_name: str
    reference_release: str
    basis: str  # "price" (blended USD/Mtok) | "size" (effective billions of parameters)
    tier: float  # the entry's own price or size
    reference_tier: float

    @property
    def se(self) -> float:
        return round(self.prior.se + ESTIMATE_SE, 4)


def _tier(e: dict[str, Any]) -> tuple[str, float] | None:
    """("size", effective B) for downloadable weights, ("price", blended USD/Mtok) for an API model; None when unknown."""
    params, active, price = e.get("params_b"), e.get("active_params_b"), e.get("price_usd_per_mtok") or {}
    if e.get("weights_downloadable") and params:
        return "size", math.sqrt(params * active) if active and active < params else float(params)
    blended = (3 * (price.get("input") or 0) + (price.get("output") or 0)) / 4
    if not e.get("weights_downloadable") and blended > 0:
        return "price", blended
    return None


@cache
def _raw_entries() -> dict[str, dict[str, Any]]:
    """The active catalog document's entries by id (read once per process; no validation)."""
    from whichai.catalog.catalog import active_path, read_document

    path = active_path()
    return {e["id"]: e for e in read_document(str(path), path.stat().st_mtime).get("entries", [])}


@cache
def _lines() -> dict[tuple[str, str], list[tuple[str, float, dict[str, Any]]]]:
    """(lab, basis) -> [(release date, tier, entry)] of the benchmarked entries (once per process)."""
    covered = _priors()
    out: dict[tuple[str, str], list[tuple[str, float, dict[str, Any]]]] = {}
    for eid, e in _raw_entries().items():
        tier, line = _tier(e), e.get("lab") or e.get("provider")
        if eid in covered and tier and e.get("release_date") and line:
            out.setdefault((line, tier[0]), []).append((str(e["release_date"])[:10], tier[1], e))
    return out


@cache
def line_estimate(entry_id: str, task_kind: str) -> LineEstimate | None:
    """The prior of the strongest benchmarked model of the entry's line (same lab, same basis) released on
    or before it, at a tier at most ``TIER_SLACK`` × its own: a newer model is taken to be at least as
    good as an older one of its line at the same or a lower price (or size). None when the entry has a
    benchmark prior, or no release date, tier or reference."""
    if entry_id in _priors():
        return None
    e = _raw_entries().get(entry_id)
    tier = _tier(e) if e is not None else None
    if e is None or tier is None or not e.get("release_date"):
        return None
    release = str(e["release_date"])[:10]
    want = TASK_ABILITY.get(task_kind, "general")
    best: tuple[tuple[bool, float], LineEstimate] | None = None
    for ref_release, ref_tier, ref in _lines().get((e.get("lab") or e.get("provider") or "", tier[0]), []):
        found = prior(ref["id"], task_kind)
        if found is None or ref_release > release or ref_tier > tier[1] * TIER_SLACK:
            continue
        key = (found.ability == want and not found.linked_from, found.score)  # the task's own ability from its own figures first
        if best is None or key > best[0]:
            best = (key, LineEstimate(found, ref["id"], ref.get("name") or ref["id"], ref_release, tier[0], round(tier[1], 3), round(ref_tier, 3)))
    return best[1] if best else None
