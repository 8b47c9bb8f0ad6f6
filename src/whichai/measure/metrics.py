"""From stored results to the figures of the result table: pass rate with its Wilson interval,
latency percentiles, time to first token, output tokens per second, cost of the run and per 1,000 cases,
pass rates per language, and whether the differences between models are real.

Every figure here is *measured* on this run. Definitions:

- ``cases``: the run's cases; ``answered``: results with an answer (status ok); ``errors``: failed calls;
  ``missing``: cases with no result yet (an interrupted run). ``scored``: answered results with a verdict
  (a judge that could not be parsed leaves an answer unscored: ``judge_errors``).
- ``pass_rate``: passed / scored — over the answered cases only, so an interrupted or partly failed run
  says what it measured, not more; ``partial`` is true when fewer cases were scored than the run has.
  ``pass_rate_ci95`` is the 95 % Wilson interval over the scored cases.
- ``by_lang``: the same per language, from case tags ``lang:<code>`` (e.g. ``lang:id``, ``lang:en``).
- With repeats (``whichai run --repeat N``) a case's score is the share of its N answers that passed;
  ``pass_rate`` is the mean over cases and the interval is Wilson's over cases (conservative: it treats a
  case's N answers as one observation). ``consistency`` is the share of cases whose answers all passed or
  all failed.
- ``latency_*`` and ``ttft_p50_s``: percentiles (linear interpolation) over calls that returned an answer.
- ``output_tokens_per_s``: output tokens of all answers / their total latency (end-to-end, one call at a time).
- ``cost_usd``: sum over answered calls of tokens × price (None if any price is unknown); 0 for local models.
  Judge calls are costed separately (``judge_cost_usd``).
- ``comparisons``: see :mod:`whichai.measure.comparisons` (McNemar's exact test on the shared scored cases).

The figures are typed (:class:`ModelSummary`, :class:`RunSummary`, :class:`PairComparison`; ``to_json()`` gives
the documents ``whichai run --json`` and the report show). A run's results are read back as narrow rows
streamed from SQLite (one pass per model, only the columns the figures need) and folded into running
counts, so the closing summary of a 100,000-case run holds a few lists of numbers, never its answers.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

from whichai.measure.comparisons import Z95, PairComparison, compare_all, wilson
from whichai.store import Store

__all__ = ["Z95", "wilson", "percentile", "summarise_results", "summarise", "run_summary", "comparisons",
           "case_outcomes", "case_langs", "ModelSummary", "RunSummary", "PairComparison", "LangRate", "Consistency"]


def percentile(values: Sequence[float], q: float) -> float | None:
    """The one percentile of whichai (latencies of runs, load tests and the gateway): linear interpolation
    between closest ranks (numpy's default; ``statistics.quantiles(method="inclusive")``), ``q`` in [0, 1]."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low = math.floor(position)
    high = math.ceil(position)
    if low == high:
        return ordered[low]
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


# --- the figures -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PassRate:
    """Passed over scored cases: ``passed`` is a count, or with repeats the sum of each case's share."""

    scored: int
    passed: int | float
    pass_rate: float | None  # None when nothing was scored: not measured
    ci95: tuple[float, float]


@dataclass(frozen=True, slots=True)
class LangRate:
    """The pass rate over the cases tagged with one language."""

    cases: int
    scored: int
    passed: int | float
    pass_rate: float | None
    ci95: tuple[float, float]

    def to_json(self) -> dict[str, Any]:
        return {"cases": self.cases, "scored": self.scored, "passed": self.passed, "pass_rate": self.pass_rate,
                "ci95": list(self.ci95)}


@dataclass(frozen=True, slots=True)
class Consistency:
    """With repeats: the share of cases whose answers all passed or all failed."""

    cases: int
    consistent: int
    share: float
    repeats: int

    def to_json(self) -> dict[str, Any]:
        return {"cases": self.cases, "consistent": self.consistent, "share": self.share, "repeats": self.repeats}


@dataclass(frozen=True, slots=True)
class ModelSummary:
    """The measured figures of one model of a run (see the module's definitions)."""

    model: str
    cases: int
    answered: int
    scored: int
    passed: int | float
    pass_rate: float | None  # None when nothing was scored: not measured
    pass_rate_ci95: tuple[float, float]
    errors: int
    judge_errors: int
    missing: int
    partial: bool
    latency_p50_s: float | None
    latency_p95_s: float | None
    ttft_p50_s: float | None
    output_tokens_per_s: float | None
    input_tokens_mean: float | None
    output_tokens_mean: float | None
    tokens_counted: bool
    cost_usd: float | None
    cost_per_1000_cases_usd: float | None
    price_source: str | None
    by_lang: Mapping[str, LangRate] = field(default_factory=dict)
    consistency: Consistency | None = None  # with repeats only
    judged: bool = False  # some answers were scored by a judge model: ``judge_cost_usd`` is shown
    judge_cost_usd: float | None = None  # None with ``judged``: a judge call's price is unknown
    # the catalog identity and place of the model (``serves``, ``self_hosted``, ``hardware``, ``params_b``;
    # whichai.providers.identity), in the order they were given
    identity: Mapping[str, str | bool | float] = field(default_factory=dict)

    pass_rate_over: ClassVar[str] = "scored answered cases"
    origin: ClassVar[str] = "measured"

    def with_identity(self, keys: Mapping[str, str | bool | float]) -> ModelSummary:
        """The summary with these identity keys added (a key given again keeps its place, takes the new value)."""
        return replace(self, identity={**self.identity, **keys}) if keys else self

    def to_json(self) -> dict[str, Any]:
        """The summary as ``whichai run --json`` and the report show it."""
        out: dict[str, Any] = {
            "model": self.model, "cases": self.cases, "answered": self.answered, "scored": self.scored,
            "passed": self.passed, "pass_rate": self.pass_rate, "pass_rate_ci95": list(self.pass_rate_ci95),
            "pass_rate_over": self.pass_rate_over, "errors": self.errors, "judge_errors": self.judge_errors,
            "missing": self.missing, "partial": self.partial,
            "latency_p50_s": self.latency_p50_s, "latency_p95_s": self.latency_p95_s, "ttft_p50_s": self.ttft_p50_s,
            "output_tokens_per_s": self.output_tokens_per_s, "input_tokens_mean": self.input_tokens_mean,
            "output_tokens_mean": self.output_tokens_mean, "tokens_counted": self.tokens_counted,
            "cost_usd": self.cost_usd, "cost_per_1000_cases_usd": self.cost_per_1000_cases_usd,
            "price_source": self.price_source, "origin": self.origin,
            "by_lang": {code: rate.to_json() for code, rate in self.by_lang.items()},
        }
        if self.consistency is not None:
            out["consistency"] = self.consistency.to_json()
        if self.judged:
            out["judge_cost_usd"] = self.judge_cost_usd
        out.update(self.identity)
        return out


@dataclass(frozen=True, slots=True)
class RunSummary:
    """The run as decide sees it: its completeness, results summed over models (case × model)."""

    id: str
    status: str
    cases: int
    models: int
    expected_results: int
    answered: int
    scored: int
    errors: int
    partial: bool
    text: Mapping[str, str]  # lang -> one sentence: complete, or partial and why

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "status": self.status, "cases": self.cases, "models": self.models,
                "expected_results": self.expected_results, "answered": self.answered, "scored": self.scored,
                "errors": self.errors, "partial": self.partial, "text": dict(self.text)}


# --- from rows to figures ---------------------------------------------------------------------------


def _langs_of(tags: Iterable[str]) -> list[str]:
    """The languages of ``lang:<code>`` tags (lower-cased, each once)."""
    return list(dict.fromkeys(t.split(":", 1)[1].strip().lower() for t in tags
                              if t.lower().startswith("lang:") and t.split(":", 1)[1].strip()))


def case_langs(cases: list[dict[str, Any]]) -> dict[str, list[str]]:
    """case id -> its languages from ``lang:<code>`` tags (lower-cased, each once)."""
    return {c["id"]: _langs_of(c.get("tags", [])) for c in cases}


def _pass_rate(passed: float, scored: int) -> PassRate:
    low, high = wilson(passed, scored) if scored else (0.0, 1.0)
    return PassRate(scored, round(passed, 4) if passed % 1 else int(passed), passed / scored if scored else None,
                    (round(low, 4), round(high, 4)))


def _rate(scores: Mapping[str, list[bool]], case_ids: Iterable[str] | None = None) -> PassRate:
    """Over cases (each case's share of passed answers: 0 or 1 without repeats)."""
    ids = [c for c in (case_ids if case_ids is not None else scores) if c in scores]
    return _pass_rate(sum([sum(scores[c]) / len(scores[c]) for c in ids]), len(ids))


def _by_lang(scores: Mapping[str, list[bool]], langs: Mapping[str, list[str]]) -> dict[str, LangRate]:
    groups: dict[str, list[str]] = {}
    for cid, codes in langs.items():
        for code in codes:
            groups.setdefault(code, []).append(cid)
    out = {}
    for code in sorted(groups):
        rate = _rate(scores, groups[code])
        out[code] = LangRate(len(groups[code]), rate.scored, rate.passed, rate.pass_rate, rate.ci95)
    return out


def _consistency(scores: Mapping[str, list[bool]]) -> Consistency | None:
    repeated = [s for s in scores.values() if len(s) > 1]
    if not repeated:
        return None
    steady = sum(1 for s in repeated if all(s) or not any(s))
    return Consistency(len(repeated), steady, steady / len(repeated), max(len(s) for s in repeated))


class _Tally:
    """One model's figures, taken one result at a time (in the order the rows come: case id order).

    ``by_case``: keep every case's verdicts (a run with repeats has several answers per case); without,
    each case has one result, so counts are enough, and only the cases with a language tag
    (``lang_cases``) keep their verdict, for the pass rates per language. The values the percentiles
    and sums need are kept as lists and summed in row order, as the figures were always computed."""

    def __init__(self, by_case: bool, lang_cases: Mapping[str, Any]) -> None:
        self.by_case, self.lang_cases = by_case, lang_cases
        self.scores: dict[str, list[bool]] = {}
        self.answered: set[str] = set()
        self.errored: set[str] = set()
        self.ok = self.errors = self.scored = self.passed = self.judge_errors = 0
        self.latencies: list[float] = []
        self.ttfts: list[float] = []
        self.rate_latencies: list[float] = []  # latencies of the answers with an output token count
        self.costs: list[float] | None = []  # None once a price is unknown
        self.out_tokens = self.out_n = self.in_tokens = self.in_n = 0
        self.tokens_counted = False
        self.price_source: str | None = None
        self.judged = False
        self.judge_costs: list[float] | None = []

    def add(self, case_id: str, status: str, passed: int | None, latency: float | None, ttft: float | None,
            out_tokens: int | None, in_tokens: int | None, cost: float | None, tokens_counted: Any,
            price_source: str | None, judge_model: str | None, judge_cost: float | None) -> None:
        if status != "ok":
            if status == "error":
                if self.by_case:
                    self.errored.add(case_id)
                else:
                    self.errors += 1
            return
        self.ok += 1
        if self.by_case:
            self.answered.add(case_id)
        if passed is None:
            self.judge_errors += 1
        else:
            if self.by_case or case_id in self.lang_cases:
                self.scores.setdefault(case_id, []).append(bool(passed))
            self.scored += 1
            self.passed += bool(passed)
        if latency is not None:
            self.latencies.append(latency)
        if ttft is not None:
            self.ttfts.append(ttft)
        if out_tokens is not None:
            self.out_tokens += out_tokens
            self.out_n += 1
            if latency:
                self.rate_latencies.append(latency)
        if in_tokens is not None:
            self.in_tokens += in_tokens
            self.in_n += 1
        if self.costs is not None:
            if cost is None:
                self.costs = None
            else:
                self.costs.append(cost)
        self.tokens_counted = self.tokens_counted or bool(tokens_counted)
        if self.price_source is None and price_source:
            self.price_source = price_source
        if judge_cost is not None or judge_model:
            self.judged = True
            if self.judge_costs is not None:
                if judge_cost is None:
                    self.judge_costs = None
                else:
                    self.judge_costs.append(judge_cost)

    def summary(self, model: str, cases: int, langs: Mapping[str, list[str]]) -> ModelSummary:
        if self.by_case:
            rate = _rate(self.scores)
            answered, errors = len(self.answered), len(self.errored - self.answered)
        else:
            rate = _pass_rate(self.passed, self.scored)
            answered, errors = self.ok, self.errors
        ok = self.ok
        cost = None if not ok or self.costs is None else sum(self.costs)
        total_latency = sum(self.rate_latencies)
        return ModelSummary(
            model=model, cases=cases, answered=answered, scored=rate.scored, passed=rate.passed,
            pass_rate=rate.pass_rate, pass_rate_ci95=rate.ci95, errors=errors, judge_errors=self.judge_errors,
            missing=cases - answered - errors, partial=rate.scored < cases,
            latency_p50_s=percentile(self.latencies, 0.5), latency_p95_s=percentile(self.latencies, 0.95),
            ttft_p50_s=percentile(self.ttfts, 0.5),
            output_tokens_per_s=self.out_tokens / total_latency if self.out_n and total_latency > 0 else None,
            input_tokens_mean=self.in_tokens / self.in_n if self.in_n else None,
            output_tokens_mean=self.out_tokens / self.out_n if self.out_n else None,
            tokens_counted=self.tokens_counted, cost_usd=cost,
            cost_per_1000_cases_usd=cost / ok * 1000 if cost is not None and ok else None,
            price_source=self.price_source, by_lang=_by_lang(self.scores, langs), consistency=_consistency(self.scores),
            judged=self.judged,
            judge_cost_usd=None if not self.judged or self.judge_costs is None else sum(self.judge_costs),
        )


def summarise_results(model: str, results: list[dict[str, Any]], cases: int,
                      langs: dict[str, list[str]] | None = None) -> ModelSummary:
    """The measured figures of one model: ``results`` are its stored rows (with repeats, folded: several
    rows per case id), ``cases`` the run's case count, ``langs`` case id -> its languages."""
    langs = {c: codes for c, codes in (langs or {}).items() if codes}
    tally = _Tally(by_case=len({r["case_id"] for r in results}) < len(results), lang_cases=langs)
    for r in results:
        tally.add(r["case_id"], r["status"], r.get("passed"), r.get("latency_s"), r.get("ttft_s"), r.get("output_tokens"),
                  r.get("input_tokens"), r.get("cost_usd"), r.get("tokens_counted"), r.get("price_source"),
                  r.get("judge_model"), r.get("judge_cost_usd"))
    return tally.summary(model, cases, langs)


@dataclass(frozen=True, slots=True)
class _RunCases:
    """A run's cases as the figures need them, without reading them back."""

    count: int  # the run's own cases (repeats folded into their case)
    bases: dict[str, str]  # stored case id -> its case id, for repeats (empty without)
    langs: dict[str, list[str]]  # case id -> its languages, for the cases with a language tag, in the run's order


def _run_cases(store: Store, run_id: str) -> _RunCases:
    """Only the cases with tags are read (their tags, from SQLite's JSON); a run with repeats reads its
    case ids too, to fold each repeat into the first stored case of its case (as :func:`repeats.fold`)."""
    bases: dict[str, str] = {}
    codes: dict[str, list[str]] = {}
    for case_id, tags in store.case_tags(run_id):
        of = next((t.split(":", 1)[1] for t in tags if t.startswith("repeat-of:")), None)
        k = next((t.split(":", 1)[1] for t in tags if t.startswith("repeat:")), None)
        if of is not None and k is not None and k.isdigit():
            bases[case_id] = of
        found = _langs_of(tags)
        if found:
            codes[case_id] = found
    if not bases:
        return _RunCases(store.case_count(run_id), bases, codes)
    own: dict[str, list[str] | None] = {}
    for case_id in store.case_ids(run_id):
        own.setdefault(bases.get(case_id, case_id), codes.get(case_id))
    return _RunCases(len(own), bases, {c: found for c, found in own.items() if found})


def _rows(store: Store, run_id: str, model: str, bases: Mapping[str, str]) -> Iterator[tuple[Any, ...]]:
    rows = store.result_figures(run_id, model)
    if not bases:
        return rows
    return ((bases.get(row[0], row[0]), *row[1:]) for row in rows)


def summarise(store: Store, run_id: str) -> list[ModelSummary]:
    """Per model of the run, in the run's order: the measured figures (one streamed pass over its results)."""
    run = store.run(run_id)
    if run is None:
        return []
    cases = _run_cases(store, run["id"])
    out = []
    for model in run["models"]:
        tally = _Tally(by_case=bool(cases.bases), lang_cases=cases.langs)
        for row in _rows(store, run["id"], model, cases.bases):
            tally.add(*row)
        out.append(tally.summary(model, cases.count, cases.langs))
    return out


def case_outcomes(store: Store, run_id: str) -> dict[str, dict[str, bool]]:
    """model -> case id -> passed, over scored answers; with repeats, the majority (a tie is a fail)."""
    bases = _run_cases(store, run_id).bases
    verdicts: dict[str, dict[str, list[bool]]] = {}
    for model, case_id, status, passed in store.verdicts(run_id):
        of_model = verdicts.setdefault(model, {})
        if status == "ok" and passed is not None:
            of_model.setdefault(bases.get(case_id, case_id), []).append(bool(passed))
    return {m: {c: sum(s) * 2 > len(s) for c, s in scores.items()} for m, scores in verdicts.items()}


def comparisons(store: Store, run_id: str) -> list[PairComparison]:
    """Every pair of the run's models on their shared scored cases (see :mod:`whichai.measure.comparisons`)."""
    run = store.run(run_id)
    if run is None or len(run["models"]) < 2:
        return []
    return compare_all(run["models"], case_outcomes(store, run["id"]))


def run_summary(store: Store, run_id: str, summaries: Sequence[ModelSummary] | None = None) -> RunSummary | None:
    """The run as decide sees it: {id, status, cases, answered, errors, partial, text}.

    ``answered`` and ``errors`` are summed over models (case × model results). A partial run (interrupted,
    or with failed calls or unscored answers) feeds decide its scored cases only, and says so."""
    run = store.run(run_id)
    if run is None:
        return None
    summaries = summaries if summaries is not None else summarise(store, run["id"])
    cases = _run_cases(store, run["id"]).count
    models = len(run["models"])
    expected = cases * models
    scored = sum(s.scored for s in summaries)
    errors = sum(s.errors for s in summaries)
    partial = scored < expected or run["status"] != "complete"
    text = _partial_text(run["status"], scored, expected, errors) if partial else {
        "en": f"Complete: all {cases} cases answered and scored for each of {models} model(s).",
        "id": f"Lengkap: semua {cases} kasus terjawab dan dinilai untuk {models} model.",
    }
    return RunSummary(id=run["id"], status=run["status"], cases=cases, models=models, expected_results=expected,
                      answered=sum(s.answered for s in summaries), scored=scored, errors=errors, partial=partial, text=text)


def _partial_text(status: str, scored: int, expected: int, errors: int) -> dict[str, str]:
    why_en = "it was interrupted" if status == "interrupted" else "some calls failed or were not scored"
    why_id = "run dihentikan" if status == "interrupted" else "sebagian panggilan gagal atau tidak dinilai"
    return {
        "en": f"Partial run ({why_en}): {scored} of {expected} case × model results are scored "
              f"({errors} failed). Pass rates are over the scored cases only; run the same command again to finish.",
        "id": f"Run sebagian ({why_id}): {scored} dari {expected} hasil kasus × model sudah dinilai "
              f"({errors} gagal). Tingkat lulus hanya dihitung dari kasus yang dinilai; jalankan perintah yang sama lagi untuk menyelesaikannya.",
    }
