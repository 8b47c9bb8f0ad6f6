"""promptfoo's assertions, scored as promptfoo 0.121 scores them (src/assertions/*.ts in promptfoo/promptfoo).

Each assertion gives ``{pass, score, reason, assertion}``; ``not-`` inverts it; ``weight: 0`` forces a
pass; the test's score is ``sum(weight × score) / sum(weight)`` and it passes when no assertion failed,
or, when the test has a ``threshold``, when the score reaches it. ``assert-set`` is scored the same way
as one weighted assertion of its parent. String values are rendered with the test's vars first.

Types outside :data:`SUPPORTED` are never passed silently: the assertion fails with the reason
"not supported by whichai" and the loader tags the case ``promptfoo:unsupported``. ``javascript`` runs
with Node where ``node`` is on PATH; elsewhere it fails as "not run". ``python`` and ``javascript`` code
runs in a subprocess with a time limit (:mod:`whichai.tasks.promptfoo_script`).
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypedDict

REGEX_TIMEOUT_S = 2.0

DETERMINISTIC = frozenset({
    "equals", "contains", "icontains", "contains-any", "contains-all", "icontains-any", "icontains-all",
    "starts-with", "regex", "is-json", "contains-json", "levenshtein", "word-count",
})
SIMILAR = frozenset({"similar", "similar:cosine", "similar:dot", "similar:euclidean"})
JUDGED = frozenset({"llm-rubric"})  # asked of whichai's judge by the runner (rubric_assertions / evaluate's verdicts)
SUPPORTED = DETERMINISTIC | {"latency", "cost", "python", "javascript"} | JUDGED | SIMILAR
_KNOWN = SUPPORTED | {"llm-rubric", "similar", "factuality", "model-graded-closedqa", "answer-relevance", "is-xml",
                      "contains-xml", "is-sql", "contains-sql", "rouge-n", "bleu", "moderation", "classifier", "g-eval",
                      "finish-reason", "is-refusal", "perplexity", "webhook", "select-best", "is-valid-openai-tools-call"}


@dataclass
class Outcome:
    passed: bool
    score: float
    reason: str
    components: list[dict[str, Any]] = field(default_factory=list)


class AssertionError_(ValueError):
    """An assertion promptfoo would refuse (a missing or malformed value)."""


# --- types ---------------------------------------------------------------------------------


def base_type(kind: str) -> str:
    return kind.removeprefix("not-")


def assertion_types(asserts: list) -> list[str]:
    """The base type of every assertion, assert-set members included."""
    out: list[str] = []
    for a in asserts or []:
        if not isinstance(a, dict):
            out.append("(malformed)")
        elif "$ref" in a and "type" not in a:
            out.append("$ref")
        elif a.get("type") == "assert-set":
            out.extend(assertion_types(a.get("assert") or []))
        else:
            out.append(base_type(str(a.get("type", "(no type)"))))
    return out


_EXPECTED = re.compile(r"^(not-)?([a-z][a-z:-]*?)(?:\((\d+(?:\.\d+)?)\))?(?::([\s\S]*))?$")
_THRESHOLD_TYPES = {"cost", "latency", "levenshtein", "similar", "starts-with", "answer-relevance", "classifier",
                    "context-faithfulness", "context-recall", "context-relevance", "perplexity", "perplexity-score", "rouge-n"}


def parse_expected(text: str) -> dict[str, Any]:
    """A CSV ``__expected`` cell as an assertion (promptfoo's assertionFromString)."""
    for prefix, kind in (("javascript:", "javascript"), ("fn:", "javascript"), ("eval:", "javascript"),
                         ("grade:", "llm-rubric"), ("llm-rubric:", "llm-rubric"), ("python:", "python")):
        if text.startswith(prefix):
            value = text[len(prefix):]
            return {"type": kind, "value": value if kind == "llm-rubric" else value.strip()}
    if text.startswith("file://"):
        if text.endswith((".js", ".cjs", ".mjs", ".ts")) or re.search(r"\.(c|m)?js:", text):
            return {"type": "javascript", "value": text}
        if text.endswith(".py") or ".py:" in text:
            return {"type": "python", "value": text[7:].strip()}
    m = _EXPECTED.match(text)
    if m and m.group(2) in _KNOWN:
        neg, kind, threshold, value = m.groups()
        out: dict[str, Any] = {"type": f"{neg or ''}{kind}"}
        if kind in ("contains-all", "contains-any", "icontains-all", "icontains-any"):
            out["value"] = comma_values(value) if value else value
        elif kind in ("contains-json", "is-json"):
            out["value"] = value
        else:
            out["value"] = value.strip() if value is not None else None
            if kind in _THRESHOLD_TYPES:
                out["threshold"] = float(threshold) if threshold else (0.75 if kind != "similar" else 0.8)
        return out
    return {"type": "equals", "value": text}


def comma_values(value: str) -> list[str]:
    """promptfoo's parseCommaSeparatedValues: comma-separated, double quotes keep commas."""
    out: list[str] = []
    i = 0
    while i < len(value):
        while i < len(value) and value[i] in " \t\n\r,":
            i += 1
        if i >= len(value):
            break
        if value[i] == '"':
            j, buf = i + 1, []
            while j < len(value):
                if value[j] == '"' and j + 1 < len(value) and value[j + 1] == '"':
                    buf.append('"')
                    j += 2
                elif value[j] == '"':
                    j += 1
                    break
                else:
                    buf.append(value[j])
                    j += 1
            out.append("".join(buf))
            i = j
        else:
            j = value.find(",", i)
            j = len(value) if j == -1 else j
            out.append(value[i:j].strip())
            i = j
    return out


def render(template: str, vars_: dict) -> str:
    """``template`` with ``{{ var }}`` substituted, in a sandbox (a template cannot reach Python)."""
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(keep_trailing_newline=True, autoescape=False)
    env.filters["load"] = json.loads  # promptfoo's Nunjucks filter: parse a JSON var
    env.filters["dump"] = lambda v: json.dumps(v, ensure_ascii=False)
    return env.from_string(template).render(**vars_)


# --- JavaScript-like values ----------------------------------------------------------------


def js_string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    if value is None:
        return "null"
    return str(value)


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def json_parse(text: str) -> Any:
    """JSON.parse: strict JSON (no NaN / Infinity)."""
    return json.loads(text, parse_constant=_no_constants)


def deep_equal(a: Any, b: Any) -> bool:
    """util.isDeepStrictEqual on JSON values: booleans are not numbers."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(deep_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(deep_equal(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def extract_json_objects(text: str) -> list[Any]:
    """promptfoo's extractJsonObjects: each balanced (or end-closed) ``{...}`` that parses, leniently."""
    from whichai import safeyaml
    from whichai.errors import FileInputError

    found: list[Any] = []
    i = 0
    while i < len(text):
        if text[i] != "{":
            i += 1
            continue
        opened, closed, j = 1, 0, i + 1
        while j < min(i + 100_000, len(text)) and opened > closed:
            opened += text[j] == "{"
            closed += text[j] == "}"
            j += 1
            if opened == closed or j == len(text) or j == i + 100_000:
                candidate = text[i:j] + "}" * max(0, opened - closed)
                try:
                    obj = json.loads(candidate)
                except ValueError:
                    try:
                        obj = safeyaml.loads(re.sub(r"(^|\s)//", r"\1#", candidate), "<answer>")
                    except FileInputError:
                        obj = None
                if isinstance(obj, (dict, list)):
                    found.append(obj)
                    i = j - 1
                    break
                if opened == closed:
                    break
        i += 1
    return found


def _schema_validator(value: Any, base_dir: str):
    import jsonschema

    from whichai import safeyaml

    schema = value
    if isinstance(value, str):
        schema = _file_value(value, base_dir) if value.startswith("file://") else safeyaml.loads(value, "schema")
    if not isinstance(schema, (dict, bool)):
        raise AssertionError_("is-json / contains-json need a JSON schema (a mapping) as value")
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft7Validator) if isinstance(schema, dict) else jsonschema.Draft7Validator
    return cls(schema)


def _file_value(ref: str, base_dir: str) -> Any:
    from whichai import safeyaml

    path = Path(base_dir) / ref.removeprefix("file://")
    if path.suffix.lower() in (".yaml", ".yml"):  # a user's file: size-capped, parsed safely
        return safeyaml.load_file(path)[0]
    text = path.read_text("utf-8")
    if path.suffix.lower() == ".json":
        return json.loads(text)
    return text


# --- one assertion -------------------------------------------------------------------------


def _result(passed: bool, reason: str, score: float | None = None) -> tuple[bool, float, str]:
    return passed, (1.0 if passed else 0.0) if score is None else score, "Assertion passed" if passed else reason


def _contains_family(kind: str, value: Any, output: str, inverse: bool) -> tuple[bool, float, str]:
    fold = kind.startswith("i")
    hay = output.lower() if fold else output
    if kind in ("contains", "icontains"):
        if not ((isinstance(value, str) and value != "") or (isinstance(value, (int, float)) and not isinstance(value, bool))):
            raise AssertionError_(f'"{kind}" assertion type must have a string or number value')
        needle = js_string(value).lower() if fold else js_string(value)
        return _result((needle in hay) != inverse, f'Expected output to {"not " if inverse else ""}contain "{js_string(value)}"')
    if not value:
        raise AssertionError_(f'"{kind}" assertion type must have a value')
    values = comma_values(value) if isinstance(value, str) else value
    if not isinstance(values, list):
        raise AssertionError_(f'"{kind}" assertion type must have an array value')
    texts = [js_string(v).lower() if fold else js_string(v) for v in values]
    if kind.endswith("any"):
        return _result(any(t in hay for t in texts) != inverse, f'Expected output to {"not " if inverse else ""}contain one of "{", ".join(map(js_string, values))}"')
    missing = [js_string(v) for v, t in zip(values, texts) if t not in hay]
    return _result((not missing) != inverse, f'Expected output to {"not " if inverse else ""}contain all of [{", ".join(map(js_string, values))}]. Missing: [{", ".join(missing)}]')


def _equals(value: Any, output: str, inverse: bool) -> tuple[bool, float, str]:
    if isinstance(value, (dict, list)):
        try:
            same = deep_equal(value, json_parse(output))
        except ValueError:
            return _result(inverse, f'Expected output "{output}" to {"not " if inverse else ""}equal "{json.dumps(value)}"')
        return _result(same != inverse, f'Expected output "{output}" to {"not " if inverse else ""}equal "{json.dumps(value)}"')
    return _result((js_string(value) == output) != inverse, f'Expected output "{output}" to {"not " if inverse else ""}equal "{js_string(value)}"')


def _is_json(value: Any, output: str, inverse: bool, base_dir: str) -> tuple[bool, float, str]:
    try:
        parsed, passed = json_parse(output), not inverse
    except ValueError:
        parsed, passed = None, inverse
        return _result(passed, "Expected output to be valid JSON")
    if value not in (None, ""):
        validator = _schema_validator(value, base_dir)
        valid = validator.is_valid(parsed)
        if valid == inverse:
            errors = "; ".join(e.message for e in validator.iter_errors(parsed))
            return False, 0.0, ("Output is JSON that conforms to the provided schema" if inverse else f"JSON does not conform to the provided schema. Errors: {errors}")
    return _result(passed, "Expected output to be valid JSON")


def _contains_json(value: Any, output: str, inverse: bool, base_dir: str) -> tuple[bool, float, str]:
    objects = extract_json_objects(output)
    passed = (not objects) if inverse else bool(objects)
    reason = "Expected output to contain valid JSON"
    if objects and value not in (None, ""):
        validator = _schema_validator(value, base_dir)
        for obj in objects:
            valid = validator.is_valid(obj)
            passed = (not valid) if inverse else valid
            if valid:
                reason = "Output contains JSON conforming to the provided schema" if inverse else reason
                break
            reason = "JSON does not conform to the provided schema. Errors: " + "; ".join(e.message for e in validator.iter_errors(obj))
    return _result(passed, reason)


def levenshtein(a: str, b: str) -> int:
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _word_count(value: Any, output: str, inverse: bool) -> tuple[bool, float, str]:
    if value is None:
        raise AssertionError_('"word-count" assertion must have a value')
    count = len(output.split())
    if isinstance(value, dict):
        low, high = value.get("min"), value.get("max")
        if low is None and high is None:
            raise AssertionError_('"word-count" assertion object must have "min" and/or "max" properties')
        ok = (low is None or count >= low) and (high is None or count <= high)
        return _result(ok != inverse, f"Word count {count} is outside {low}..{high}")
    try:
        want = float(value)
    except (TypeError, ValueError):
        raise AssertionError_('"word-count" assertion value must be a number or an object with min/max properties') from None
    return _result((count == want) != inverse, f"Word count {count} does not equal expected {js_string(want)}")


def _regex(value: Any, output: str, inverse: bool) -> tuple[bool, float, str]:
    import regex

    if not isinstance(value, str) or not value:
        raise AssertionError_('"regex" assertion type must have a string value')
    try:
        rx = regex.compile(value, regex.VERSION0)
    except regex.error as exc:
        return False, 0.0, f"Invalid regex pattern: {exc}"
    found = rx.search(output, timeout=REGEX_TIMEOUT_S) is not None
    return _result(found != inverse, f'Expected output to {"not " if inverse else ""}match regex "{value}"')


def _threshold_metric(kind: str, measured: float | None, threshold: Any, inverse: bool) -> tuple[bool, float, str]:
    if threshold is None:
        raise AssertionError_(f"{kind} assertion must have a threshold")
    if measured is None:
        raise AssertionError_(f"{kind} was not measured for this answer")
    ok = (measured <= float(threshold)) != inverse
    return _result(ok, f"{kind.capitalize()} {measured:g} is {'less than or equal to' if inverse else 'greater than'} threshold {threshold}")


def run_one(assertion: dict, output: str, ctx: dict[str, Any]) -> tuple[bool, float, str]:
    """(pass, score, reason) of one assertion; raises AssertionError_ for a malformed one."""
    kind = str(assertion.get("type", ""))
    base, inverse = base_type(kind), kind.startswith("not-")
    value = assertion.get("value")
    if isinstance(value, str) and not value.startswith("file://"):
        value = render(value, ctx["vars"])
    elif isinstance(value, list):
        value = [render(v, ctx["vars"]) if isinstance(v, str) and not v.startswith("file://") else v for v in value]
    if isinstance(value, str) and value.startswith("file://") and base not in ("python", "javascript", "is-json", "contains-json"):
        value = _file_value(value, ctx["base_dir"])
    if base in ("contains", "icontains", "contains-any", "contains-all", "icontains-any", "icontains-all"):
        return _contains_family(base, value, output, inverse)
    if base == "equals":
        return _equals(value, output, inverse)
    if base == "starts-with":
        if not isinstance(value, str) or not value:
            raise AssertionError_('"starts-with" assertion type must have a string value')
        return _result(output.startswith(value) != inverse, f'Expected output to {"not " if inverse else ""}start with "{value}"')
    if base == "regex":
        return _regex(value, output, inverse)
    if base == "is-json":
        return _is_json(value, output, inverse, ctx["base_dir"])
    if base == "contains-json":
        return _contains_json(value, output, inverse, ctx["base_dir"])
    if base == "levenshtein":
        if not isinstance(value, str):
            raise AssertionError_('"levenshtein" assertion type must have a string value')
        threshold = assertion.get("threshold", 5)
        distance = levenshtein(output, value)
        return _result((distance <= threshold) != inverse, f"Levenshtein distance {distance} is {'less than or equal to' if inverse else 'greater than'} threshold {threshold}")
    if base == "word-count":
        return _word_count(value, output, inverse)
    if base == "latency":
        return _threshold_metric("latency", ctx.get("latency_ms"), assertion.get("threshold"), inverse)
    if base == "cost":
        return _threshold_metric("cost", ctx.get("cost"), assertion.get("threshold"), inverse)
    if base in ("python", "javascript"):
        from whichai.tasks.promptfoo_script import run_script

        return run_script(base, value, assertion, output, ctx, inverse)
    if base in SIMILAR:
        return _similar(base, value, assertion, output, inverse)
    return False, 0.0, f"assertion type {kind!r} is not supported by whichai (flagged, not scored)"


def _similar(kind: str, value: Any, assertion: dict, output: str, inverse: bool) -> tuple[bool, float, str]:
    """promptfoo's handleSimilar / buildSimilarityResult with all-MiniLM-L6-v2 embeddings (whichai[similar])."""
    from whichai.tasks import promptfoo_embed

    if not (isinstance(value, str) or (isinstance(value, list) and value)):
        raise AssertionError_("Similarity assertion type must have a string or array of strings value")
    if not promptfoo_embed.available():
        raise NotRun(promptfoo_embed.MISSING)
    metric = kind.partition(":")[2] or "cosine"
    threshold = float(assertion.get("threshold", 0.75))
    values = [js_string(v) for v in (value if isinstance(value, list) else [value])]
    results = [_similar_one(promptfoo_embed.similarity(v, output, metric), threshold, inverse, metric) for v in values]
    if len(results) == 1:
        return results[0]
    if inverse:  # every value must be dissimilar; the closest one is reported
        failed = next((r for r in results if not r[0]), None)
        return failed or min(results, key=lambda r: r[1])
    passed = next((r for r in results if r[0]), None)
    return passed or (False, max(r[1] for r in results), "None of the provided values met the similarity threshold")


def _similar_one(similarity: float, threshold: float, inverse: bool, metric: str) -> tuple[bool, float, str]:
    eps = 2.220446049250313e-16  # Number.EPSILON
    if metric == "euclidean":
        ok = similarity >= threshold - eps if inverse else similarity <= threshold + eps
        normalized = 1 / (1 + similarity)
        below, above = (f"Distance {similarity:.2f} is less than or equal to threshold {js_string(threshold)}",
                        f"Distance {similarity:.2f} is greater than threshold {js_string(threshold)}")
        return ok, 1 - normalized if inverse else normalized, (above if inverse else below) if ok else (below if inverse else above)
    ok = similarity <= threshold + eps if inverse else similarity >= threshold - eps
    greater = f"Similarity {similarity:.2f} is greater than or equal to threshold {js_string(threshold)}"
    less = f"Similarity {similarity:.2f} is less than threshold {js_string(threshold)}"
    return ok, 1 - similarity if inverse else similarity, (less if inverse else greater) if ok else (greater if inverse else less)


class NotRun(RuntimeError):
    """An assertion that could not be run here (a missing optional extra): the case fails, flagged."""


# --- llm-rubric: verdicts from whichai's judge ----------------------------------------------


RubricVerdict = TypedDict("RubricVerdict", {"pass": bool, "score": float, "reason": str | None})
"""The judge's verdict on one llm-rubric assertion (``pass`` is a keyword, hence this form)."""


def _list(value: object) -> list[object]:
    """A promptfoo option that holds a list (``assert``); [] when absent."""
    return value if isinstance(value, list) else []


def _vars(options: Mapping[str, object]) -> dict[str, object]:
    found = options.get("vars")
    return found if isinstance(found, dict) else {}


def rubric_assertions(options: Mapping[str, object]) -> list[tuple[str, str]]:
    """(path, rubric) of every ``llm-rubric`` assertion of a promptfoo case, assert-set members included,
    the rubric rendered with the test's vars. The runner asks the judge about each and hands the verdicts
    back to :func:`evaluate` under the same paths ("2", or "3.0" inside an assert-set)."""
    out: list[tuple[str, str]] = []

    def walk(asserts: list, prefix: str) -> None:
        for i, a in enumerate(asserts or []):
            if not isinstance(a, dict):
                continue
            if a.get("type") == "assert-set":
                walk(a.get("assert") or [], f"{prefix}{i}.")
            elif base_type(str(a.get("type", ""))) in JUDGED:
                value = a.get("value")
                rubric = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False) if value is not None else ""
                out.append((f"{prefix}{i}", render(rubric, _vars(options)) if isinstance(value, str) else rubric))
    walk(_list(options.get("assert")), "")
    return out


def _rubric(assertion: dict, path: str, ctx: dict[str, Any]) -> tuple[bool, float, str]:
    """promptfoo's handleLlmRubric on the judge's verdict: pass (and score >= threshold when set); not- inverts."""
    verdict = (ctx.get("verdicts") or {}).get(path)
    if verdict is None:
        raise NotRun("llm-rubric was not judged: give `whichai run --judge MODEL`, the test's `provider` or "
                     "`defaultTest.options.provider`")
    passed, score = bool(verdict["pass"]), float(verdict["score"])
    threshold = assertion.get("threshold")
    if isinstance(threshold, str):
        try:
            threshold = float(threshold)
        except ValueError:
            threshold = None
    if isinstance(threshold, (int, float)) and not isinstance(threshold, bool) and math.isfinite(threshold):
        passed = passed and score >= threshold
    reason = verdict.get("reason") or ("Grading passed" if passed else f"Score {js_string(score)} below threshold {threshold}")
    if str(assertion.get("type", "")).startswith("not-"):
        return not passed, min(1.0, max(0.0, 1 - score)), reason
    return passed, score, reason


# --- a test's assertions -------------------------------------------------------------------


def _aggregate(asserts: list, output: str, ctx: dict[str, Any], threshold: Any, prefix: str = "") -> Outcome:
    total = weights = 0.0
    failed: str | None = None
    components: list[dict[str, Any]] = []
    for index, assertion in enumerate(asserts):
        if not isinstance(assertion, dict):
            passed, score, reason, comp = False, 0.0, f"malformed assertion {assertion!r}", {}
        elif assertion.get("type") == "assert-set":
            sub = _aggregate(assertion.get("assert") or [], output, ctx, assertion.get("threshold"), f"{prefix}{index}.")
            passed, score, reason = sub.passed, sub.score, sub.reason
            comp = {"pass": passed, "score": score, "reason": reason, "assertion": assertion, "componentResults": sub.components}
        else:
            try:
                if base_type(str(assertion.get("type", ""))) in JUDGED:
                    passed, score, reason = _rubric(assertion, f"{prefix}{index}", ctx)
                else:
                    passed, score, reason = run_one(assertion, output, ctx)
            except NotRun as exc:  # never a pass, whatever the weights or the threshold say
                ctx.setdefault("not_run", []).append(f"{assertion.get('type')}: {exc}")
                passed, score, reason = False, 0.0, f"not run: {exc}"
            except (AssertionError_, OSError, ValueError, TypeError, TimeoutError) as exc:
                passed, score, reason = False, 0.0, f"{assertion.get('type')}: {exc}"
            if assertion.get("weight") == 0:
                passed = True
            comp = {"pass": passed, "score": score, "reason": reason, "assertion": assertion}
        weight = float(assertion.get("weight", 1)) if isinstance(assertion, dict) and assertion.get("weight") is not None else 1.0
        total += score * weight
        weights += weight
        components.append(comp)
        if not passed:
            failed = reason
    score = total / weights if weights > 0 else 0.0
    passed, reason = failed is None, failed or "All assertions passed"
    if isinstance(threshold, (int, float)) and not isinstance(threshold, bool) and not math.isnan(threshold):
        passed = score >= threshold
        reason = f"Aggregate score {score:.2f} {'≥' if passed else '<'} {threshold} threshold"
    return Outcome(passed, score, reason, components)


def evaluate(output: str, options: Mapping[str, object], latency_ms: float | None = None, cost: float | None = None,
             verdicts: Mapping[str, RubricVerdict] | None = None) -> Outcome:
    """Score ``output`` against a promptfoo case's options (as the loader built them). ``verdicts``: the
    judge's ``{pass, score, reason}`` for each path of :func:`rubric_assertions`; an llm-rubric without one,
    or a ``similar`` without the embedding model, is "not run" and the case fails, flagged."""
    asserts = _list(options.get("assert"))
    if not asserts:
        return Outcome(True, 1.0, "No assertions")
    ctx: dict[str, Any] = {"vars": _vars(options), "base_dir": options.get("base_dir") or os.getcwd(),
           "prompt": options.get("prompt", ""), "latency_ms": latency_ms, "cost": cost, "verdicts": verdicts or {}}
    outcome = _aggregate(asserts, output, ctx, options.get("threshold"))
    if ctx.get("not_run"):
        outcome.passed = False
        outcome.reason = f"not run: {'; '.join(ctx['not_run'])} (case flagged, not scored as passed)"
    unsupported = _list(options.get("unsupported"))
    if unsupported:  # flagged: never a silent pass
        outcome.passed = False
        outcome.reason = f"not supported by whichai: {', '.join(map(str, unsupported))} (case flagged, not scored as passed); {outcome.reason}"
    return outcome


