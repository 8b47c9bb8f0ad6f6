"""Scorers: turn a model's answer into pass/fail, a score in [0, 1] and a short reason.

Each scorer is a plain function ``(answer, expected, options) -> Score`` registered in
:data:`SCORERS`; :func:`score` applies the one a case names, and :func:`validate_options`
checks a case's scorer, options and expected answer before anything runs (the loader uses it).

=========  ===========================================================================
scorer     passes when
=========  ===========================================================================
exact      the normalised answer equals the (or one of the) normalised expected text(s)
contains   one of the expected texts appears in the answer as whole words (normalised);
any_of     same scorer, other name. Option ``all: true`` needs every text (partial score)
regex      ``pattern`` (or the expected text used as a pattern) is found; ``flags: "ims"``,
           ``fullmatch: true`` to match the whole stripped answer
numeric    the picked number in the answer is within tolerance of ``expected``.
           ``pick: last`` (default: a worked answer ends with its result) | ``first`` | ``any``;
           ``tolerance`` (absolute), ``rel_tolerance`` (relative to expected);
           ``decimal: auto|dot|comma``. Reads "1,234.5", "1.234,5", "−3", "minus 3", "50%";
           in ``auto`` an ambiguous "1.500" or "1,234" is tried both ways (1.5 or 1500).
json       a JSON object is found (also inside ```json fences); one check for "valid",
           one per ``required`` field (dotted paths for nested fields) and one per expected
           key/value (strings compared normalised, numbers numerically). Score = fraction met.
choice     the first label mentioned (``labels``, plus ``aliases: {label: [words]}``) is the
           expected label. ``mode: only`` fails when more than one label is mentioned.
judge      a judge model says so: ``rubric``, ``model`` (any model id), ``threshold`` (0.5).
           Applied by the runner after the answer is stored (see :mod:`whichai.measure.judge`).
=========  ===========================================================================

Normalisation (exact, contains, choice, json strings): Unicode NFKD with accents removed,
case-folded, punctuation and symbols turned into spaces, whitespace collapsed.
Pure Python (plus the `regex` package for time-bounded patterns): scoring thousands of answers
takes milliseconds.
"""

from __future__ import annotations

import functools
import json
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from whichai.errors import InputError

if TYPE_CHECKING:
    from whichai.tasks.model import Case


_NO_OPTIONS: dict = {}  # never mutated


@dataclass(frozen=True)
class Score:
    passed: bool
    score: float
    reason: str


def _show(text: Any, limit: int = 60) -> str:
    s = " ".join((text if isinstance(text, str) else json.dumps(text, ensure_ascii=False)).split())
    s = s if len(s) <= limit else s[: limit - 1] + "…"
    return f'"{s}"' if isinstance(text, str) else s


def normalize(text: str) -> str:
    """Lower-case, strip accents, turn punctuation and symbols into spaces, collapse whitespace."""
    if text.isascii():  # the same result in one C pass: NFKD leaves ASCII as it is and casefold is lower
        return " ".join(text.translate(_ASCII_SPACES).lower().split())
    decomposed = unicodedata.normalize("NFKD", text)
    out = []
    for ch in decomposed:
        cat = unicodedata.category(ch)
        if cat == "Mn":
            continue
        out.append(" " if cat[0] in "PSZC" else ch)
    return " ".join("".join(out).casefold().split())


# The ASCII punctuation, symbols, separators and controls (Unicode categories P, S, Z, C) as spaces.
_ASCII_SPACES = {c: " " for c in range(128) if unicodedata.category(chr(c))[0] in "PSZC"}


@functools.lru_cache(maxsize=4096)
def normalized_expected(text: str) -> str:
    """:func:`normalize` of an expected text or a label: worked out once per text, not on every answer scored
    against it (repeats, several models, the same label in every case)."""
    return normalize(text)


def _texts(expected: Any) -> list[str]:
    if isinstance(expected, (list, tuple)):
        return [str(e) for e in expected]
    return [str(expected)]


def _contains_words(haystack: str, needle: str) -> bool:
    """Whole-word containment of two normalised strings."""
    return bool(needle) and f" {needle} " in f" {haystack} "


# --- exact, contains ---------------------------------------------------------------------


def score_exact(answer: str, expected: Any, options: dict = _NO_OPTIONS) -> Score:
    got = normalize(answer)
    for text in _texts(expected):
        if got == normalized_expected(text):
            return Score(True, 1.0, f"answer equals {_show(text)}")
    return Score(False, 0.0, f"answer {_show(answer)} is not {' or '.join(_show(t) for t in _texts(expected))}")


def score_contains(answer: str, expected: Any, options: dict = _NO_OPTIONS) -> Score:
    got = normalize(answer)
    texts = _texts(expected)
    found = [t for t in texts if _contains_words(got, normalized_expected(t))]
    if options.get("all"):
        fraction = len(found) / len(texts)
        missing = [t for t in texts if t not in found]
        if not missing:
            return Score(True, 1.0, f"answer contains all of {', '.join(_show(t) for t in texts)}")
        return Score(False, fraction, f"answer lacks {', '.join(_show(t) for t in missing)}")
    if found:
        return Score(True, 1.0, f"answer contains {_show(found[0])}")
    return Score(False, 0.0, f"answer does not contain {' or '.join(_show(t) for t in texts)}")


# --- regex -------------------------------------------------------------------------------
# Patterns come from task files and answers from models: both untrusted. They are matched with the
# `regex` package, which takes a time bound (`timeout`) and releases the GIL while it matches, so a
# catastrophic pattern such as ``(a|aa)+$`` stops with TimeoutError instead of hanging the run.

REGEX_TIMEOUT_S = 2.0


def _flags() -> dict[str, int]:
    import regex

    return {"i": regex.IGNORECASE, "m": regex.MULTILINE, "s": regex.DOTALL, "x": regex.VERBOSE}


def _compile(expected: Any, options: dict):
    import regex

    pattern = options.get("pattern", expected)
    flags = 0
    table = _flags()
    for letter in str(options.get("flags", "")):
        flags |= table[letter.lower()]
    return regex.compile(str(pattern), flags)


def score_regex(answer: str, expected: Any, options: dict = _NO_OPTIONS, timeout: float = REGEX_TIMEOUT_S) -> Score:
    """Raises TimeoutError when matching takes longer than ``timeout`` seconds."""
    rx = _compile(expected, options)
    if options.get("fullmatch"):
        match = rx.fullmatch(answer.strip(), timeout=timeout, concurrent=True)
    else:
        match = rx.search(answer, timeout=timeout, concurrent=True)
    if match:
        return Score(True, 1.0, f"pattern {_show(rx.pattern)} matched {_show(match.group(0))}")
    return Score(False, 0.0, f"pattern {_show(rx.pattern)} not found in {_show(answer)}")


# --- numeric -----------------------------------------------------------------------------

_NUMBER = re.compile(
    r"(?:\b(minus|negatif|negative)\s+)?(?:(?<![\w.,])([-\u2212\u2013+]))?(?<![\d.,])(\d[\d.,]*)", re.IGNORECASE
)


def _grouped(digits: str, sep: str) -> bool:
    return re.fullmatch(rf"\d{{1,3}}(?:\{sep}\d{{3}})+", digits) is not None


def _read_number(digits: str, decimal: str = "auto") -> list[float]:
    """The value(s) a token like "1,234.5" or "1.234,5" can mean; two when it is ambiguous.

    Both separators: the last one is the decimal mark. One separator used several times
    ("1.234.567"): thousands. One separator once with three digits after it ("1,234",
    "1.500"): ambiguous unless ``decimal`` says which mark is decimal; in ``auto`` both
    readings are kept, the conventional one first. Otherwise it is the decimal mark.
    """
    digits = digits.rstrip(".,")
    dots, commas = digits.count("."), digits.count(",")
    if dots and commas:
        dec = "." if digits.rfind(".") > digits.rfind(",") else ","
        marks = [dec]
    elif dots + commas == 0:
        return [float(digits)]
    else:
        sep = "." if dots else ","
        other = "," if sep == "." else "."
        if dots + commas > 1:
            if not _grouped(digits, sep):
                return []  # "1.2.3", "12.05.2024": a version or a date, not a number
            marks = [other]
        elif _grouped(digits, sep):
            wanted = {"dot": ".", "comma": ","}.get(decimal)
            marks = [wanted] if wanted else ([other, sep] if sep == "," else [sep, other])
        else:
            marks = [sep]
    values = []
    for dec in marks:
        thousands = "," if dec == "." else "."
        values.append(float(digits.replace(thousands, "").replace(dec, ".")))
    return values


def extract_numbers(text: str, decimal: str = "auto") -> list[tuple[str, list[float]]]:
    """Every number in ``text`` as (the text matched, the value(s) it can mean), in order."""
    found = []
    for m in _NUMBER.finditer(text):
        word, sign, digits = m.groups()
        values = _read_number(digits, decimal)
        if not values:
            continue
        if word or (sign and sign != "+"):
            values = [-v for v in values]
        found.append((m.group(0).rstrip(".,"), values))
    return found


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() and abs(x) < 1e15 else repr(x)


def score_numeric(answer: str, expected: Any, options: dict = _NO_OPTIONS) -> Score:
    target = float(str(expected).replace("_", ""))
    tolerance = max(float(options.get("tolerance", 0)), float(options.get("rel_tolerance", 0)) * abs(target), 1e-9)
    numbers = extract_numbers(answer, options.get("decimal", "auto"))
    if not numbers:
        return Score(False, 0.0, f"no number in {_show(answer)}; expected {_fmt(target)}")
    pick = options.get("pick", "last")
    candidates = numbers if pick == "any" else [numbers[-1] if pick == "last" else numbers[0]]
    for text, values in candidates:
        for value in values:
            if math.isclose(value, target, rel_tol=0, abs_tol=tolerance):
                return Score(True, 1.0, f"{pick} number {text!r} = {_fmt(value)}, expected {_fmt(target)}")
    if pick == "any":
        shown = ", ".join(text for text, _ in numbers[:5])
        return Score(False, 0.0, f"no number within tolerance of {_fmt(target)} among {shown}")
    text, values = candidates[0]
    return Score(False, 0.0, f"{pick} number {text!r} = {_fmt(values[0])}, expected {_fmt(target)}")


# --- json --------------------------------------------------------------------------------

_FENCE = re.compile(r"```(?:json|JSON)?\s*\n?(.*?)```", re.DOTALL)


MAX_JSON_DEPTH = 64  # an answer's JSON nested deeper than this is not read (it would exhaust the stack)


def _too_deep(text: str, start: int) -> bool:
    depth = 0
    for ch in text[start:start + 200_000]:
        if ch in "{[":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return True
        elif ch in "}]":
            depth -= 1
            if depth <= 0:
                return False
    return False


def json_objects(text: str) -> list[tuple[dict, int, int]]:
    """Every well-formed JSON object in ``text`` that is not inside another, as (object, start, end), in
    order. Objects nested deeper than :data:`MAX_JSON_DEPTH` or holding a number of thousands of digits
    are skipped, not raised."""
    decoder = json.JSONDecoder()
    found: list[tuple[dict, int, int]] = []
    start = text.find("{")
    while start != -1 and len(found) < 1000:
        try:
            if _too_deep(text, start):
                raise ValueError("nested too deeply")
            value, end = decoder.raw_decode(text, start)
        except (ValueError, RecursionError):  # JSONDecodeError is a ValueError; so is a 5,000-digit integer
            start = text.find("{", start + 1)
            continue
        if isinstance(value, dict):
            found.append((value, start, end))
            start = text.find("{", end)
        else:
            start = text.find("{", start + 1)
    return found


def find_json(text: str) -> Any:
    """The first JSON object in ``text`` (fenced block first, then anywhere), or None."""
    for block in [m.group(1) for m in _FENCE.finditer(text)] + [text]:
        objects = json_objects(block)
        if objects:
            return objects[0][0]
    return None


def _lookup(obj: Any, path: str) -> tuple[bool, Any]:
    for part in path.split("."):
        if not isinstance(obj, dict) or part not in obj:
            return False, None
        obj = obj[part]
    return True, obj


def _same(got: Any, want: Any) -> bool:
    if isinstance(want, bool) or isinstance(got, bool):
        return got is want or (isinstance(got, str) and isinstance(want, bool) and normalize(got) == str(want).lower())
    if isinstance(want, (int, float)):
        if isinstance(got, str):
            values = [v for _, vs in extract_numbers(got) for v in vs]
            return len(extract_numbers(got)) == 1 and any(math.isclose(v, want, abs_tol=1e-9) for v in values)
        return isinstance(got, (int, float)) and math.isclose(got, want, abs_tol=1e-9)
    if isinstance(want, str):
        return isinstance(got, (str, int, float)) and normalize(str(got)) == normalize(want)
    if isinstance(want, dict):
        return isinstance(got, dict) and all(k in got and _same(got[k], v) for k, v in want.items())
    if isinstance(want, list):
        return isinstance(got, list) and len(got) == len(want) and all(_same(g, w) for g, w in zip(got, want))
    return got == want


def score_json(answer: str, expected: Any, options: dict = _NO_OPTIONS) -> Score:
    obj = find_json(answer)
    required = list(options.get("required", []))
    values = dict(expected or {})
    total = 1 + len(required) + len(values)
    if obj is None:
        return Score(False, 0.0, f"no JSON object in {_show(answer)}")
    failed = [f"missing {name!r}" for name in required if not _lookup(obj, name)[0]]
    for key, want in values.items():
        present, got = _lookup(obj, key)
        if not present:
            failed.append(f"missing {key!r}")
        elif not _same(got, want):
            failed.append(f"{key!r} is {_show(got, 30)}, expected {_show(want, 30)}")
    met = total - len(failed)
    if not failed:
        return Score(True, 1.0, f"valid JSON, all {total - 1} field checks met")
    return Score(False, met / total, f"{met}/{total} checks met: " + "; ".join(failed))


# --- choice ------------------------------------------------------------------------------


def _label_terms(options: dict) -> list[tuple[str, str]]:
    """(normalised term, label) for every label and alias, longest first."""
    terms = [(normalized_expected(str(label)), str(label)) for label in options["labels"]]
    for label, words in (options.get("aliases") or {}).items():
        for word in [words] if isinstance(words, str) else words:
            terms.append((normalized_expected(str(word)), str(label)))
    return sorted({t for t in terms if t[0]}, key=lambda t: -len(t[0]))


def mentioned_labels(answer: str, options: dict) -> list[str]:
    """Labels mentioned in ``answer``, in order of first mention (aliases map to their label)."""
    text = f" {normalize(answer)} "
    hits: list[tuple[int, int, str]] = []
    for term, label in _label_terms(options):
        for m in re.finditer(re.escape(f" {term} "), text):
            start, end = m.start(), m.end()
            if not any(s < end - 1 and start + 1 < e for s, e, _ in hits):  # longer terms win overlaps
                hits.append((start, end, label))
    order: list[str] = []
    for _, _, label in sorted(hits):
        if label not in order:
            order.append(label)
    return order


def score_choice(answer: str, expected: Any, options: dict = _NO_OPTIONS) -> Score:
    labels = mentioned_labels(answer, options)
    want = next(str(label) for label in options["labels"] if normalize(str(label)) == normalize(str(expected)))
    if not labels:
        return Score(False, 0.0, f"no label ({', '.join(map(str, options['labels']))}) in {_show(answer)}")
    if options.get("mode") == "only" and len(labels) > 1:
        return Score(False, 0.0, f"several labels mentioned: {', '.join(labels)}; expected only {want!r}")
    others = f" (also mentions {', '.join(labels[1:])})" if len(labels) > 1 else ""
    if labels[0] == want:
        return Score(True, 1.0, f"first label mentioned is {want!r}{others}")
    return Score(False, 0.0, f"first label mentioned is {labels[0]!r}, expected {want!r}{others}")


# --- registry and validation -------------------------------------------------------------

Scorer = Callable[[str, Any, dict], Score]


def score_judge(answer: str, expected: Any, options: dict = _NO_OPTIONS) -> Score:
    raise TypeError("scorer 'judge' needs a model call: the runner asks the judge (whichai.measure.judge), not score()")

def score_promptfoo(answer: str, expected: Any, options: dict = _NO_OPTIONS) -> Score:
    """A promptfoo test's assertion list, scored as promptfoo scores it (whichai.tasks.promptfoo_assert)."""
    from whichai.tasks.promptfoo_assert import evaluate

    outcome = evaluate(answer or "", options, latency_ms=options.get("latency_ms"), cost=options.get("cost"))
    return Score(outcome.passed, outcome.score, outcome.reason)


SCORERS: dict[str, Scorer] = {
    "exact": score_exact,
    "contains": score_contains,
    "any_of": score_contains,
    "regex": score_regex,
    "numeric": score_numeric,
    "json": score_json,
    "choice": score_choice,
    "judge": score_judge,
    "promptfoo": score_promptfoo,
}

_OPTIONS = {
    "exact": set(),
    "contains": {"all"},
    "any_of": {"all"},
    "regex": {"pattern", "flags", "fullmatch"},
    "numeric": {"pick", "tolerance", "rel_tolerance", "decimal"},
    "json": {"required"},
    "choice": {"labels", "aliases", "mode"},
    "judge": {"rubric", "model", "threshold"},
    "promptfoo": {"assert", "threshold", "vars", "description", "prompt", "test", "base_dir", "grader", "unsupported", "latency_ms", "cost", "judge_model"},
}


def _is_text_or_texts(value: Any) -> bool:
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value).strip() != ""
    return isinstance(value, list) and bool(value) and all(_is_text_or_texts(v) and not isinstance(v, list) for v in value)


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    try:
        return math.isfinite(float(str(value).replace("_", "")))
    except ValueError:
        return False


def _check_scorer(scorer: str, options: dict, expected: Any) -> str | None:  # noqa: C901 - a flat list of rules
    if scorer in ("exact", "contains", "any_of"):
        if not _is_text_or_texts(expected):
            return f"scorer '{scorer}' needs 'expected': a text or a list of texts"
    elif scorer == "regex":
        pattern = options.get("pattern", expected)
        if not isinstance(pattern, str) or not pattern:
            return "scorer 'regex' needs a pattern: options.pattern or 'expected'"
        bad = set(str(options.get("flags", ""))) - set("imsxIMSX")
        if bad:
            return f"unknown regex flag(s) {''.join(sorted(bad))!r}; use letters from 'imsx'"
        import regex

        try:
            re.compile(pattern)  # the standard library's wording of syntax errors is the familiar one
            _compile(expected, options)
        except (regex.error, re.error, ValueError, OverflowError, RecursionError) as exc:
            return f"invalid regular expression {pattern!r}: {exc}"
    elif scorer == "numeric":
        if not _is_number(expected):
            return f"scorer 'numeric' needs a number as 'expected', got {expected!r}"
        if options.get("pick", "last") not in ("last", "first", "any"):
            return "option 'pick' must be one of: last, first, any"
        if options.get("decimal", "auto") not in ("auto", "dot", "comma"):
            return "option 'decimal' must be one of: auto, dot, comma"
        for name in ("tolerance", "rel_tolerance"):
            if name in options and (not _is_number(options[name]) or float(options[name]) < 0):
                return f"option '{name}' must be a number ≥ 0"
    elif scorer == "json":
        required = options.get("required", [])
        if not isinstance(required, list) or not all(isinstance(r, str) and r for r in required):
            return "option 'required' must be a list of field names"
        if expected is not None and not isinstance(expected, dict):
            return "scorer 'json' needs 'expected' to be a mapping of field → value (or no 'expected')"
        if not required and not expected:
            return "scorer 'json' needs 'expected' fields or options.required"
    elif scorer == "choice":
        labels = options.get("labels")
        if not isinstance(labels, list) or len(labels) < 2 or not all(_is_text_or_texts(label) for label in labels):
            return "scorer 'choice' needs options.labels: a list of at least two labels"
        names = [normalize(str(label)) for label in labels]
        if normalize(str(expected)) not in names or isinstance(expected, (list, dict)) or expected is None:
            return f"'expected' must be one of the labels {labels}, got {expected!r}"
        aliases = options.get("aliases", {})
        if not isinstance(aliases, dict):
            return "option 'aliases' must map a label to a list of words"
        for label, words in aliases.items():
            if normalize(str(label)) not in names:
                return f"alias key {label!r} is not one of the labels {labels}"
            if not (isinstance(words, str) or (isinstance(words, list) and all(isinstance(w, str) for w in words))):
                return f"aliases of {label!r} must be a list of words"
        if options.get("mode", "first") not in ("first", "only"):
            return "option 'mode' must be 'first' or 'only'"
    elif scorer == "judge":
        return _check_judge_options(options)
    return None


JUDGE_THRESHOLD = 0.5  # a judge's score at or above it passes, unless options.threshold says otherwise


def _check_judge_options(options: dict[str, Any]) -> str | None:
    """A problem with a judge case's options, as one sentence; None if fine."""
    rubric, model = options.get("rubric"), options.get("model")
    if not isinstance(rubric, str) or not rubric.strip():
        return "scorer 'judge' needs options.rubric: what a good answer does, in words"
    if not isinstance(model, str) or not model.strip():
        return "scorer 'judge' needs options.model: the judge's model id, e.g. local/smollm2-135m-instruct"
    prefix, sep, name = model.partition("/")
    if not sep or not prefix or not name:
        return f"judge model {model!r} is not a model id; write provider/model, e.g. openai/gpt-4.1-mini"
    threshold = options.get("threshold", JUDGE_THRESHOLD)
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 <= threshold <= 1:
        return f"option 'threshold' must be a number from 0 to 1, got {threshold!r}"
    return None


EXAMPLES = {
    "exact": "expected: Jakarta",
    "contains": "expected: Jakarta  (or a list: [Jakarta, DKI Jakarta])",
    "any_of": "expected: [Jakarta, DKI Jakarta]",
    "regex": "options: {pattern: '\\b\\d{4}\\b', flags: i}  (single-quote patterns in YAML)",
    "numeric": "expected: 42, options: {tolerance: 0.5, pick: last}",
    "json": "expected: {name: Budi, age: 30}, options: {required: [name, age]}",
    "choice": "expected: positive, options: {labels: [positive, negative], aliases: {positive: [good]}}",
    "promptfoo": "a promptfoo config (promptfooconfig.yaml) given as the task: its tests' assert lists",
    "judge": "options: {rubric: 'Polite, answers the question, in Indonesian', model: local/smollm2-135m-instruct, threshold: 0.5}",
}


def validate_options(scorer: str, options: dict, expected: Any) -> str | None:
    """A problem with this scorer / options / expected combination, as one sentence; None if fine."""
    known = _OPTIONS.get(scorer)
    if known is None or scorer not in SCORERS:
        return f"unknown scorer {scorer!r}; known scorers: {', '.join(SCORERS)}"
    if options and not known.issuperset(options):
        unknown = sorted(set(options) - known)
        allowed = ", ".join(sorted(_OPTIONS[scorer])) or "none"
        return f"unknown option(s) {', '.join(map(repr, unknown))} for scorer {scorer!r} (allowed: {allowed})"
    return _check_scorer(scorer, options, expected)


def score(case: Case, answer: str | None, timeout: float = REGEX_TIMEOUT_S) -> Score:
    """Score ``answer`` for ``case`` with the case's scorer. A regex scorer that runs past ``timeout``
    seconds raises TimeoutError (the runner records it as a scoring error)."""
    scorer = SCORERS.get(case.scorer)
    if scorer is None:
        raise InputError(f"case {case.id!r}: unknown scorer {case.scorer!r}. Fix: use one of: {', '.join(SCORERS)}.")
    if answer is None or not answer.strip():
        return Score(False, 0.0, "empty answer")
    if scorer is score_regex:
        return score_regex(answer, case.expected, case.options, timeout=timeout)
    return scorer(answer, case.expected, case.options)
