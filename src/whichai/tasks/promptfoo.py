"""A promptfoo config (``promptfooconfig.yaml``) read as a whichai task.

Every prompt × test (× combination of list-valued vars, as promptfoo expands them) becomes one case,
its id a hash of the rendered prompt and the vars (stable across runs and file moves). The case's scorer
is ``promptfoo``: its options carry the test's assertion list (``defaultTest.assert`` first, as promptfoo
merges them), ``threshold``, ``vars`` and ``description``; :mod:`whichai.tasks.promptfoo_assert` scores
it the way promptfoo does. Read here: ``prompts`` (inline text, ``file://`` text with ``---`` separators,
``file://`` chat-format JSON, ``{raw|id, label}``), ``tests`` (inline, ``file://`` YAML / JSON / CSV with
``__expected``, ``__description``, ``__threshold``, ``__prefix``, ``__suffix``), ``defaultTest`` and
``providers`` (mapped to whichai model ids by :func:`model_ids`). Variables are substituted with a
sandboxed Jinja2 environment, which reads Nunjucks' ``{{ var }}`` syntax the same way.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from whichai import safeyaml
from whichai.errors import FileInputError
from whichai.tasks import promptfoo_embed
from whichai.tasks.model import Case, Message, Task
from whichai.tasks.promptfoo_assert import (
    JUDGED,
    SIMILAR,
    SUPPORTED,
    assertion_types,
    parse_expected,
    render,
)

KEYS = ("prompts", "tests", "providers")
SCORER = "promptfoo"


def is_config(doc: Any) -> bool:
    """A promptfoo config: a mapping with ``prompts`` or ``tests`` or ``providers`` and no ``cases``."""
    return isinstance(doc, dict) and "cases" not in doc and any(k in doc for k in KEYS)


# --- files ---------------------------------------------------------------------------------


def _file(base: Path, ref: str, shown: str) -> Path:
    return (base / ref.removeprefix("file://")).expanduser()


def _read(path: Path) -> str:
    return safeyaml.read_capped(path, safeyaml.MAX_TASK_BYTES, "file").decode("utf-8-sig")


def _load_structured(path: Path) -> Any:
    text = _read(path)
    suffix = path.suffix.lower()
    if suffix == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise FileInputError(str(path), f"invalid JSON: {exc.msg}", "check quotes, commas and brackets", line=exc.lineno) from None
    if suffix == ".jsonl":
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    if suffix == ".csv":
        return [_csv_test(row) for row in csv.DictReader(io.StringIO(text))]
    return safeyaml.parse(text, str(path))[0]


def _csv_test(row: dict[str, str]) -> dict[str, Any]:
    """One CSV row as a promptfoo test: columns are vars; ``__expected*`` become assertions."""
    test: dict[str, Any] = {"vars": {}, "assert": []}
    for key, value in row.items():
        key = (key or "").strip()
        value = value or ""
        if key.startswith("__expected"):
            if value.strip():
                test["assert"].append(parse_expected(value.strip()))
        elif key == "__description":
            test["description"] = value
        elif key == "__threshold" and value.strip():
            test["threshold"] = float(value)
        elif key in ("__prefix", "__suffix"):
            test.setdefault("options", {})[key[2:]] = value
        elif not key.startswith("__"):
            test["vars"][key] = value
    return test


# --- prompts -------------------------------------------------------------------------------


def _prompts(doc: dict, base: Path, shown: str) -> list[tuple[str, str]]:
    """(label, template) for every prompt; a chat-format JSON template stays JSON text."""
    raw = doc.get("prompts", ["{{prompt}}"])
    items = raw if isinstance(raw, list) else [raw]
    out: list[tuple[str, str]] = []
    for item in items:
        label = None
        if isinstance(item, dict):
            label = item.get("label")
            item = item.get("raw", item.get("id", ""))
        if not isinstance(item, str):
            raise FileInputError(shown, f"a prompt must be text or a file:// path, got {type(item).__name__}", "write e.g. `prompts: ['Answer: {{question}}']`")
        out.extend(_expand_prompt(item, label, base, shown))
    return out


def _expand_prompt(item: str, label: str | None, base: Path, shown: str) -> list[tuple[str, str]]:
    if not item.startswith("file://"):
        return [(label or item, item)]
    path = _file(base, item, shown)
    if path.suffix.lower() in (".json", ".yaml", ".yml"):
        data = _load_structured(path)
        text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
        return [(label or item, text)]
    if path.suffix.lower() not in (".txt", ".md", ".j2", ".prompt", ""):
        raise FileInputError(shown, f"prompt file {item!r}: whichai reads text, JSON and YAML prompt files", "write the prompt as text, or as chat-format JSON")
    parts = [p.strip() for p in _read(path).split("\n---\n")]
    return [(label or (f"{item}: {p[:40]}" if len(parts) > 1 else item), p) for p in parts if p]


# --- tests ---------------------------------------------------------------------------------


def _tests(value: Any, base: Path, shown: str) -> list[dict]:
    if value is None:
        return [{}]
    items = value if isinstance(value, list) else [value]
    out: list[dict] = []
    for item in items:
        if isinstance(item, str):
            loaded = _load_structured(_file(base, item, shown))
            out.extend(loaded if isinstance(loaded, list) else [loaded])
        elif isinstance(item, dict):
            out.append(item)
        else:
            raise FileInputError(shown, f"a test must be a mapping or a file:// path, got {type(item).__name__}", "write e.g. `tests: [{vars: {q: ...}, assert: [...]}]`")
    return out


def _default_test(doc: dict, base: Path, shown: str) -> dict:
    value = doc.get("defaultTest") or {}
    if isinstance(value, str):
        value = _load_structured(_file(base, value, shown))
    if not isinstance(value, dict):
        raise FileInputError(shown, "'defaultTest' must be a mapping", "write e.g. `defaultTest: {assert: [...]}`")
    return value


def _merge(default: dict, test: dict) -> dict:
    merged = {**default, **test}
    merged["vars"] = {**(default.get("vars") or {}), **(test.get("vars") or {})}
    merged["options"] = {**(default.get("options") or {}), **(test.get("options") or {})}
    merged["assert"] = [*(default.get("assert") or []), *(test.get("assert") or [])]
    return merged


def _load_var(value: Any, base: Path, shown: str) -> Any:
    if isinstance(value, str) and value.startswith("file://"):
        path = _file(base, value, shown)
        if path.suffix.lower() in (".json", ".yaml", ".yml"):
            return _load_structured(path)
        return _read(path)
    return value


def _combinations(vars_: dict) -> list[dict]:
    """promptfoo's expansion: a var holding a list of texts gives one test per value (cartesian)."""
    keys = [k for k, v in vars_.items() if isinstance(v, list) and v and all(isinstance(x, str) for x in v)]
    if not keys:
        return [vars_]
    return [{**vars_, **dict(zip(keys, combo))} for combo in itertools.product(*(vars_[k] for k in keys))]


# --- rendering -----------------------------------------------------------------------------


def _input(text: str) -> str | list[Message]:
    stripped = text.strip()
    if stripped.startswith("["):
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError:
            return text
        if isinstance(data, list) and data and all(isinstance(m, dict) and "role" in m for m in data):
            return [Message(role=m["role"], content=m.get("content") if isinstance(m.get("content"), str) else json.dumps(m.get("content"))) for m in data]
    return text


def _case_id(prompt: str, vars_: dict, seen: dict[str, int]) -> str:
    digest = hashlib.sha256(json.dumps([prompt, vars_], sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()[:12]
    seen[digest] = seen.get(digest, 0) + 1
    return f"pf-{digest}" if seen[digest] == 1 else f"pf-{digest}-{seen[digest]}"


def _case(label: str, template: str, test: dict, index: int, base: Path, shown: str, seen: dict[str, int]) -> Case:
    vars_ = {k: _load_var(v, base, shown) for k, v in test["vars"].items()}
    prompt = render(template, vars_)
    options = test.get("options") or {}
    if options.get("prefix") or options.get("suffix"):
        prompt = f"{options.get('prefix', '')}{prompt}{options.get('suffix', '')}"
    asserts = test.get("assert") or []
    types = assertion_types(asserts)
    transforms = options.get("transform") or any(isinstance(a, dict) and a.get("transform") for a in asserts)
    unsupported = sorted({t for t in types if t not in SUPPORTED} | ({"transform"} if transforms else set())
                         | ({t for t in types if t in SIMILAR} if not promptfoo_embed.available() else set()))
    opts: dict[str, Any] = {"assert": asserts, "vars": vars_, "prompt": label, "test": index, "base_dir": str(base)}
    for key in ("threshold", "description"):
        if test.get(key) is not None:
            opts[key] = test[key]
    if options.get("provider") or test.get("provider"):
        opts["grader"] = options.get("provider") or test.get("provider")
    if unsupported:
        opts["unsupported"] = unsupported
    tags = ["promptfoo", *(["promptfoo:unsupported"] if unsupported else [])]
    return Case(id=_case_id(prompt, vars_, seen), input=_input(prompt), scorer=SCORER, options=opts, tags=tags)


def build_task(path: str, doc: dict) -> Task:
    """The task a promptfoo config describes (its providers as ``Task.models`` when set)."""
    base = Path(path).expanduser().resolve().parent
    prompts = _prompts(doc, base, path)
    default = _default_test(doc, base, path)
    cases: list[Case] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(_tests(doc.get("tests"), base, path)):
        if not isinstance(raw, dict):
            raise FileInputError(path, f"test {index + 1} must be a mapping", "write each test as `- vars: {...}`")
        merged = _merge(default, raw)
        for combo in _combinations(merged["vars"]):
            for label, template in prompts:
                cases.append(_case(label, template, {**merged, "vars": combo}, index, base, path, seen))
    if not cases:
        raise FileInputError(path, "has no prompts × tests", "add `prompts:` and `tests:`")
    name = Path(path).stem if Path(path).stem != "promptfooconfig" else Path(path).resolve().parent.name
    return Task(name=name, description=str(doc.get("description") or ""), source=path, cases=cases,
                providers=list(doc.get("providers") or []) if isinstance(doc.get("providers"), list) else [doc["providers"]] if doc.get("providers") else [])


# --- coverage ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    """A promptfoo import: its cases, assertions by type, and which types whichai scores (supported) or
    flags (not supported), with the cases flagged."""

    cases: int
    assertions: dict[str, int]
    supported: dict[str, int]
    unsupported: dict[str, int]
    flagged_cases: int

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def coverage(task: Task) -> Coverage:
    """Cases, assertions by type, and which types whichai scores (supported) or flags (not supported)."""
    from collections import Counter

    counts: Counter[str] = Counter()
    flagged = 0
    for case in task.cases:
        if case.scorer != SCORER:
            continue
        types = assertion_types(case.options.get("assert") or [])
        counts.update(types)
        counts.update(f for f in case.options.get("unsupported") or [] if f not in types)  # e.g. transform
        flagged += bool(case.options.get("unsupported"))
    usable = SUPPORTED if promptfoo_embed.available() else SUPPORTED - SIMILAR
    supported = {t: n for t, n in sorted(counts.items()) if t in usable}
    unsupported = {t: n for t, n in sorted(counts.items()) if t not in usable}
    return Coverage(cases=sum(c.scorer == SCORER for c in task.cases), assertions=dict(sorted(counts.items())),
                    supported=supported, unsupported=unsupported, flagged_cases=flagged)


def stored_coverage(cases: Iterable[object]) -> Coverage | None:
    """:func:`coverage` of a run's stored cases (each as JSON); None when none is a promptfoo case."""
    parsed = [Case.model_validate(c) for c in cases if isinstance(c, dict) and c.get("scorer") == SCORER]
    return coverage(Task(name="", cases=parsed)) if parsed else None


def coverage_text(report: Coverage) -> str:
    """One line: ``promptfoo import: N cases · supported: equals 2, … · not supported: … (K cases flagged…)``."""
    def counts(values: dict[str, int]) -> str:
        return ", ".join(f"{k} {n}" for k, n in values.items()) or "-"

    return (f"promptfoo import: {report.cases} cases · supported: {counts(report.supported)} · "
            f"not supported: {counts(report.unsupported)} ({report.flagged_cases} cases flagged, never counted as passed)")


# --- llm-rubric's judge --------------------------------------------------------------------


def with_judges(task: Task, judge: str | None, servers: dict[str, str]) -> Task:
    """``task`` with each promptfoo case that has an ``llm-rubric`` given its judge model as
    ``options.judge_model``: ``judge`` (``--judge``) first, else the test's ``provider`` or
    ``defaultTest.options.provider`` (kept by the loader as ``grader``), mapped like the config's providers.
    A case left without one is scored "not run" (flagged, never passed)."""
    cases = []
    for case in task.cases:
        options = case.options
        if case.scorer == SCORER and any(t in JUDGED for t in assertion_types(options.get("assert") or [])):
            entry = _grader_entry(options.get("grader"))
            chosen = judge or (_grader_id(entry, servers, task.source or task.name) if entry else None)
            if chosen:
                case = case.model_copy(update={"options": {**options, "judge_model": chosen}})
        cases.append(case)
    return task.model_copy(update={"cases": cases})


def _grader_id(entry: Any, servers: dict[str, str], shown: str) -> str:
    try:
        return model_id(entry, servers, shown)
    except FileInputError as exc:
        raise FileInputError(shown, f"the llm-rubric grader: {exc.message.split(': ', 1)[-1].split(' Fix: ')[0]}",
                             "give the judge with --judge PROVIDER/MODEL (e.g. openai/gpt-4.1-mini, NAME/MODEL for a server in "
                             "whichai.toml), or a grader whichai maps (openai:, anthropic:messages:, google:, ollama:chat:)") from None


def _grader_entry(grader: Any) -> Any:
    """The text grader of a ``provider`` option as a provider entry: ``openai:chat:x``, ``{id, config}``,
    ``{text: ...}`` (promptfoo's by-type form; an ``embedding``-only one has none) or ``{openai:chat:x: {config}}``."""
    if isinstance(grader, dict) and "id" not in grader:
        if grader.get("text"):
            return grader["text"]
        if set(grader) <= {"embedding", "classification", "moderation"}:
            return None
        if len(grader) == 1:
            (key, body), = grader.items()
            return {"id": key, **(body if isinstance(body, dict) else {})}
    return grader or None


# --- providers -----------------------------------------------------------------------------

_PREFIXES = (
    (("openai:chat:", "openai:responses:", "openai:"), "openai"),
    (("anthropic:messages:", "anthropic:"), "anthropic"),
    (("google:", "vertex:", "gemini:"), "gemini"),
    (("ollama:chat:", "ollama:completion:", "ollama:"), "ollama"),
    (("llama.cpp:", "llama:"), "llamacpp"),
)
PROVIDER_FIX = ("run it with --models PROVIDER/MODEL (e.g. openai/gpt-4o-mini, anthropic/claude-..., gemini/gemini-..., "
                "ollama/llama3, NAME/MODEL for a server in whichai.toml); whichai maps openai:, anthropic:messages:, "
                "google:/vertex:, ollama:chat:, llama/llama.cpp")


def _server_named(base_url: str, servers: dict[str, str]) -> str | None:
    want = base_url.rstrip("/")
    return next((name for name, url in servers.items() if url and url.rstrip("/") == want), None)


def model_id(entry: Any, servers: dict[str, str], shown: str) -> str:
    """A promptfoo provider entry as a whichai model id; ``servers``: whichai.toml server name → base_url.

    ``openai:chat:M`` with ``config.apiBaseUrl`` becomes ``NAME/M`` for the server whichai.toml names with
    that base_url. An entry whichai cannot map is a FileInputError naming it and the fix."""
    spec = entry.get("id") if isinstance(entry, dict) else entry
    config = (entry.get("config") or {}) if isinstance(entry, dict) else {}
    if not isinstance(spec, str):
        raise FileInputError(shown, f"provider {entry!r} has no id", PROVIDER_FIX)
    if spec in ("llama", "llama.cpp"):
        return "llamacpp/default"
    for prefixes, provider in _PREFIXES:
        prefix = next((p for p in prefixes if spec.startswith(p)), None)
        if prefix is None or not spec[len(prefix):]:
            continue
        model = spec[len(prefix):]
        base_url = config.get("apiBaseUrl") or config.get("apiHost")
        if provider == "openai" and base_url:
            name = _server_named(str(base_url), servers)
            if name is None:
                raise FileInputError(shown, f"provider {spec!r} calls the OpenAI-compatible server {base_url}, which whichai.toml does not name",
                                     f'add [providers.myserver] base_url = "{base_url}" to whichai.toml, or {PROVIDER_FIX}')
            return f"{name}/{model}"
        return f"{provider}/{model}"
    raise FileInputError(shown, f"provider {spec!r} has no whichai equivalent", PROVIDER_FIX)


def model_ids(providers: Any, servers: dict[str, str], shown: str) -> list[str]:
    """Every provider of a promptfoo config as a whichai model id, in order, without repeats."""
    entries = providers if isinstance(providers, list) else [providers]
    out: list[str] = []
    for entry in entries:
        if isinstance(entry, dict) and "id" not in entry and len(entry) == 1:  # {openai:gpt-4o: {config}}
            (spec, body), = entry.items()
            entry = {"id": spec, **(body if isinstance(body, dict) else {})}
        mapped = model_id(entry, servers, shown)
        if mapped not in out:
            out.append(mapped)
    return out
