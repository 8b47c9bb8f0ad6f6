"""Load a task from a YAML, JSONL or JSON file, or from the built-in suite, validating every case.

Every problem raises :class:`whichai.errors.FileInputError` naming the file, the line and the fix.

YAML (``.yaml``/``.yml``) and JSON (``.json``) take either a mapping::

    name: capitals              # optional; defaults to the file's stem
    description: Capital cities
    defaults:                   # optional; applied to every case (the case's own values win)
      scorer: contains          # options apply to cases that use this scorer
      options: {}
      tags: [lang:en]           # added to each case's tags
      system: Answer briefly.
    cases:
      - id: q1
        input: What is the capital of Indonesia?
        expected: Jakarta

or a plain list of cases. JSONL (``.jsonl``) has one case per line:
``{"id": "q1", "input": "What is the capital of Indonesia?", "expected": "Jakarta", "scorer": "contains"}``.

YAML is read with YAML 1.2 scalars: only ``true``/``false`` are booleans (``yes``, ``no``, ``on``
stay text) and dates stay text, so a label or an answer is never silently changed.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Callable
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from whichai import safeyaml
from whichai.errors import FileInputError, did_you_mean
from whichai.tasks.model import Case, Task
from whichai.tasks.scorers import EXAMPLES, SCORERS, validate_options

SUFFIXES = (".yaml", ".yml", ".jsonl", ".json")
SUITE = "builtin"
_CASE_FIELDS = list(Case.model_fields)
_TOP_FIELDS = ["name", "description", "defaults", "cases"]
_MINIMAL = '{"id": "q1", "input": "What is the capital of Indonesia?", "expected": "Jakarta", "scorer": "contains"}'


class _Defaults(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scorer: str | None = None
    options: dict[str, Any] = {}
    tags: list[str] = []
    system: str | None = None


# --- values that remember their line -------------------------------------------------------


class _LineDict(dict):
    line: int = 0
    key_lines: dict

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.key_lines = {}


class _LineList(list):
    line: int = 0
    lines: list


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _line_of(value: Any, default: int | None) -> int | None:
    return getattr(value, "line", None) or default


# --- YAML --------------------------------------------------------------------------------


class _LineLoader(safeyaml.SafeLoader):
    """whichai's safe loader (bounded aliases, depth and numbers) with YAML 1.2 booleans, no timestamps,
    line numbers and duplicate-key errors."""


_YAML_1_1_ONLY = ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _YAML_1_1_ONLY]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
# YAML 1.2 core scalars: no yes/no booleans, no dates, no octal "0712" or sexagesimal "1:30" numbers.
_LineLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_LineLoader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$"), list("-+0123456789"))
_LineLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9][0-9_]*\.[0-9_]*(?:[eE][-+]?[0-9]+)?|\.[0-9]+|[0-9][0-9_]*[eE][-+]?[0-9]+|\.(?:inf|Inf|INF))$|^\.(?:nan|NaN|NAN)$"),
    list("-+0123456789."),
)


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _LineDict:
    loader.flatten_mapping(node)
    mapping = _LineDict(node.start_mark.line + 1)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, (str, int, float, bool)) or key is None:
            raise FileInputError(loader.path, f"a key must be text, got {key_node.value!r}", "write keys as plain words", line=line)
        key = str(key) if not isinstance(key, str) else key
        if key in mapping:
            raise FileInputError(
                loader.path,
                f"duplicate key {key!r} (already set at line {mapping.key_lines[key]})",
                "keep one of the two",
                line=line,
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = line
    return mapping


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> _LineList:
    seq = _LineList(loader.construct_object(child, deep=True) for child in node.value)
    seq.line = node.start_mark.line + 1
    seq.lines = [child.start_mark.line + 1 for child in node.value]
    return seq


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


def _parse_yaml(path: str, text: str) -> Any:
    return safeyaml.parse(text, path, _LineLoader)[0]


# --- JSON and JSONL ----------------------------------------------------------------------


def _json_error(path: str, exc: json.JSONDecodeError, line: int | None = None) -> FileInputError:
    fix = "check quotes, commas and brackets near that position"
    if exc.msg == "Extra data":
        fix = "a .json file holds one document; for one case per line, name the file .jsonl"
    where = line if line is not None else exc.lineno
    return FileInputError(path, f"invalid JSON: {exc.msg} (column {exc.colno})", fix, line=where)


def _json_with_lines(path: str, text: str, first_line: int = 1) -> Any:
    """Parse valid JSON again, keeping each object's and list item's line (and catching duplicate keys)."""
    decoder = json.JSONDecoder()
    ws = " \t\r\n"

    def line_at(pos: int) -> int:
        return first_line + text.count("\n", 0, pos)

    def skip(pos: int) -> int:
        while pos < len(text) and text[pos] in ws:
            pos += 1
        return pos

    def value(pos: int) -> tuple[Any, int]:
        pos = skip(pos)
        if text[pos] == "{":
            obj = _LineDict(line_at(pos))
            pos = skip(pos + 1)
            while text[pos] != "}":
                key_line = line_at(pos)
                key, pos = decoder.raw_decode(text, pos)
                if key in obj:
                    raise FileInputError(
                        path, f"duplicate key {key!r} (already set at line {obj.key_lines[key]})", "keep one of the two", line=key_line
                    )
                item, pos = value(skip(pos) + 1)  # past ':'
                obj[key], obj.key_lines[key] = item, key_line
                pos = skip(pos)
                pos = skip(pos + 1) if text[pos] == "," else pos
            return obj, pos + 1
        if text[pos] == "[":
            seq = _LineList()
            seq.line, seq.lines = line_at(pos), []
            pos = skip(pos + 1)
            while text[pos] != "]":
                seq.lines.append(line_at(pos))
                item, pos = value(pos)
                seq.append(item)
                pos = skip(pos)
                pos = skip(pos + 1) if text[pos] == "," else pos
            return seq, pos + 1
        return decoder.raw_decode(text, pos)

    return value(0)[0]


def _strict_json(path: str, text: str, line: int | None = None) -> Any:
    """``json.loads`` refusing NaN/Infinity, integers with too many digits and too deep nesting."""

    def bad_constant(name: str) -> Any:
        raise FileInputError(path, f"the number {name} is not finite", safeyaml.NUMBER_FIX, line=line)

    def bounded_int(digits: str) -> int:
        if len(digits.lstrip("-")) > safeyaml.MAX_DIGITS:
            raise FileInputError(path, f"a number has {len(digits.lstrip('-'))} digits", safeyaml.NUMBER_FIX, line=line)
        return int(digits)

    try:
        data = json.loads(text, parse_constant=bad_constant, parse_int=bounded_int)
    except json.JSONDecodeError as exc:
        raise _json_error(path, exc, line=line) from exc
    except RecursionError as exc:
        raise FileInputError(path, "is nested too deeply", "flatten the structure", line=line) from exc
    try:
        safeyaml.check_numbers(data, path)
    except FileInputError as exc:
        if line is None or exc.line is not None:
            raise
        problem, _, fix = str(exc).removeprefix(f"{path}: ").partition(" Fix: ")
        raise FileInputError(path, problem, fix, line=line) from None  # a JSONL line names itself
    return data


def _parse_json(path: str, text: str) -> Any:
    _strict_json(path, text)
    return _json_with_lines(path, text)


class _Unusual(Exception):
    """A JSONL line the fast parse leaves to the careful one (which finds and words the problem)."""


def _pairs(items: list[tuple[str, Any]]) -> dict:
    obj = dict(items)
    if len(obj) != len(items):  # a duplicate key
        raise _Unusual
    return obj


def _fast_int(digits: str) -> int:
    if len(digits) > safeyaml.MAX_DIGITS:
        raise _Unusual
    value = int(digits)
    if safeyaml.number_problem(value):
        raise _Unusual
    return value


def _fast_float(text: str) -> float:
    value = float(text)
    if safeyaml.number_problem(value):
        raise _Unusual
    return value


def _refuse(name: str) -> Any:
    raise _Unusual


# One C-speed scan per line; anything unusual (a syntax error, a duplicate key, a number out of
# range, deep nesting) is parsed again by the careful path, which raises the error naming line and fix.
# Within one JSONL line every key is on that line, so no per-value line tracking is needed.
# The decoder's C scanner is called directly: one value from the line's first character to its last (leading
# or trailing whitespace, or more after the value, go to the careful parse too).
_FAST_DECODER = json.JSONDecoder(object_pairs_hook=_pairs, parse_int=_fast_int, parse_float=_fast_float, parse_constant=_refuse)
_FAST_SCAN: Callable[[str, int], tuple[Any, int]] = _FAST_DECODER.scan_once  # type: ignore[attr-defined]  # set in __init__, not in typeshed


def _jsonl_item(path: str, line: str, number: int) -> Any:
    if line.count("{") + line.count("[") <= safeyaml.MAX_DEPTH // 2:  # cannot nest too deeply
        try:
            value, end = _FAST_SCAN(line, 0)
            if end == len(line):
                return value
        except (_Unusual, ValueError, RecursionError, StopIteration):
            pass
    _strict_json(path, line, line=number)
    return _json_with_lines(path, line, first_line=number)


def _parse_jsonl(path: str, text: str) -> _LineList:
    cases = _LineList()
    cases.line, cases.lines = 1, []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        item = _jsonl_item(path, line, number)
        if not isinstance(item, dict):
            raise FileInputError(path, f"each line must be one JSON object (a case), got {_kind(item)}", f"write e.g. {_MINIMAL}", line=number)
        cases.append(item)
        cases.lines.append(number)
    return cases


# --- reading a file ----------------------------------------------------------------------


def _read_text(path: Path) -> str:
    shown = str(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise FileInputError(shown, "no such file", "check the path, or run `whichai tasks` to list the built-in tasks") from None
    except OSError as exc:
        raise FileInputError(shown, f"cannot be read ({exc.strerror or exc})", "check the path and its permissions") from exc
    if stat.S_ISDIR(info.st_mode):
        raise FileInputError(shown, "is a directory, not a task file", f"give one task file ({', '.join(SUFFIXES)}) inside it")
    if not stat.S_ISREG(info.st_mode):
        raise FileInputError(shown, "is not a regular file", f"give a task file ({', '.join(SUFFIXES)})")
    if path.suffix.lower() not in SUFFIXES:
        raise FileInputError(shown, f"unsupported file type {path.suffix or '(no suffix)'!r}", f"use YAML (.yaml, .yml) or JSON lines (.jsonl); e.g. {_MINIMAL}")
    data = safeyaml.read_capped(path, safeyaml.MAX_TASK_BYTES, "task file")
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise FileInputError(shown, "is a binary file (it contains NUL bytes), not text", "give a UTF-8 text file in YAML or JSONL", line=line)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FileInputError(shown, f"is not UTF-8 text (byte 0x{data[exc.start]:02x} cannot be decoded)", "save the file as UTF-8", line=line) from exc
    if not text.strip():
        raise FileInputError(shown, "is empty", f"add at least one case, e.g. {_MINIMAL}")
    return text


# --- building the task -------------------------------------------------------------------


def _suggest(word: str, known: list[str]) -> str:
    return did_you_mean(word, known)


def _validation_problem(exc: ValidationError, known: list[str], what: str) -> tuple[str, str, str | None]:
    """(problem, fix, field) for the first error pydantic found."""
    err = exc.errors()[0]
    field = str(err["loc"][0]) if err["loc"] else None
    if err["type"] == "missing":
        return f"{what} is missing the field {field!r}", f"add `{field}: ...` to it; e.g. {_MINIMAL}", None
    if err["type"] == "extra_forbidden":
        return f"unknown field {field!r} in {what}", f"{_suggest(field or '', known)}known fields: {', '.join(known)}", field
    if field == "input":
        return (
            "'input' must be a text or a list of chat messages",
            "write `input: Your prompt` or `input: [{role: user, content: Your prompt}]` (roles: system, user, assistant)",
            field,
        )
    return f"field {field!r}: {err['msg']}", f"see the example: {_MINIMAL}", field


_CASE_SCORER = Case.model_fields["scorer"].default  # read once: the class property is slow (0.4 s per 100,000)


def _has_defaults(defaults: _Defaults) -> bool:
    return not (defaults.scorer is None and not defaults.options and not defaults.tags and defaults.system is None)


def _merge_defaults(data: dict, defaults: _Defaults) -> dict:
    merged = dict(data)
    if not _has_defaults(defaults):
        return merged
    if defaults.scorer and "scorer" not in merged:
        merged["scorer"] = defaults.scorer
    default_scorer = defaults.scorer or _CASE_SCORER
    if defaults.options and merged.get("scorer", default_scorer) == default_scorer:
        own = merged.get("options", {})
        merged["options"] = {**defaults.options, **own} if isinstance(own, dict) else own
    if defaults.tags:
        own_tags = merged.get("tags", [])
        if isinstance(own_tags, list):
            merged["tags"] = list(dict.fromkeys([*defaults.tags, *own_tags]))
    if defaults.system is not None and "system" not in merged:
        merged["system"] = defaults.system
    return merged


def _build_case(path: str, raw: Any, line: int, defaults: _Defaults) -> Case:
    if not isinstance(raw, dict):
        raise FileInputError(path, f"a case must be a mapping of fields, got {_kind(raw)}", f"write each case like {_MINIMAL}", line=line)
    key_lines = getattr(raw, "key_lines", {})
    data = _merge_defaults(raw if type(raw) is dict else _plain(raw), defaults)  # a JSONL line's dict is plain
    if isinstance(data.get("id"), int) and not isinstance(data.get("id"), bool):
        data["id"] = str(data["id"])
    try:
        case = Case.model_validate(data)
    except ValidationError as exc:
        invalid, fix, field = _validation_problem(exc, _CASE_FIELDS, "the case")
        case_id = data.get("id")
        label = f"case {case_id!r}: " if isinstance(case_id, str) else ""
        raise FileInputError(path, label + invalid, fix, line=key_lines.get(field, line)) from None
    problem = validate_options(case.scorer, case.options, case.expected)
    if problem:
        if case.scorer not in SCORERS:
            fix, field = (_suggest(case.scorer, list(SCORERS)) or "use one of the known scorers").strip(), "scorer"
        else:
            fix = f"for example: {EXAMPLES[case.scorer]}"
            field = "expected" if "'expected'" in problem else "options"
        raise FileInputError(path, f"case {case.id!r}: {problem}", fix, line=key_lines.get(field, line))
    return case


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    for kind, name in ((bool, "true/false"), (str, "text"), (int, "a number"), (float, "a number"), (list, "a list"), (dict, "a mapping")):
        if isinstance(value, kind):
            return name
    return type(value).__name__


def _build_task(path: str, doc: Any, default_name: str) -> Task:
    name, description, defaults = default_name, "", _Defaults()
    if doc is None:
        raise FileInputError(path, "is empty (no cases)", f"add at least one case, e.g. {_MINIMAL}")
    if isinstance(doc, dict):
        key_lines = getattr(doc, "key_lines", {})
        for key in doc:
            if key not in _TOP_FIELDS:
                hint = " (case fields go in a list under 'cases:')" if key in _CASE_FIELDS else ""
                raise FileInputError(
                    path, f"unknown top-level field {key!r}{hint}", f"{_suggest(key, _TOP_FIELDS)}known fields: {', '.join(_TOP_FIELDS)}", line=key_lines.get(key)
                )
        if "cases" not in doc:
            raise FileInputError(path, "has no 'cases' list", "add `cases:` with a list of cases under it", line=_line_of(doc, None))
        for key in ("name", "description"):
            if key in doc and not isinstance(doc[key], str):
                raise FileInputError(path, f"{key!r} must be text, got {_kind(doc[key])}", f"write `{key}: some text`", line=key_lines.get(key))
        name = doc.get("name") or default_name
        description = doc.get("description") or ""
        if doc.get("defaults") is not None:
            raw_defaults = doc["defaults"]
            if not isinstance(raw_defaults, dict):
                raise FileInputError(path, "'defaults' must be a mapping", "write e.g. `defaults: {scorer: contains, tags: [lang:en]}`", line=key_lines.get("defaults"))
            try:
                defaults = _Defaults.model_validate(_plain(raw_defaults))
            except ValidationError as exc:
                known = list(_Defaults.model_fields)
                problem, fix, field = _validation_problem(exc, known, "'defaults'")
                line = getattr(raw_defaults, "key_lines", {}).get(field, key_lines.get("defaults"))
                raise FileInputError(path, problem, fix, line=line) from None
            if defaults.scorer is not None and defaults.scorer not in SCORERS:
                line = getattr(raw_defaults, "key_lines", {}).get("scorer")
                raise FileInputError(
                    path, f"unknown scorer {defaults.scorer!r} in 'defaults'", f"{_suggest(defaults.scorer, list(SCORERS))}use one of: {', '.join(SCORERS)}", line=line
                )
        cases = doc["cases"]
        cases_line = key_lines.get("cases")
    else:
        cases, cases_line = doc, _line_of(doc, None)
    if not isinstance(cases, list):
        raise FileInputError(path, f"'cases' must be a list of cases, got {_kind(cases)}", "put each case under `cases:` as `- id: ...`", line=cases_line)
    if not cases:
        raise FileInputError(path, "has no cases", f"add at least one case, e.g. {_MINIMAL}", line=cases_line)
    lines = getattr(cases, "lines", None) or [cases_line or 1] * len(cases)
    built = _all_valid(cases, defaults)
    if built is None:  # a case has a problem: the case-by-case pass finds the first one and names its line
        built = _each_valid(path, cases, lines, defaults)
    return Task(name=name, description=description, source=path, cases=built)


_CASE_LIST: TypeAdapter[list[Case]] = TypeAdapter(list[Case])


def _all_valid(cases: list[Any], defaults: _Defaults) -> list[Case] | None:
    """Every case validated in one pass (one pydantic call over the list, then each case's scorer options and
    the ids' uniqueness), or None when any case has a problem. 100,000 cases: about half the time of
    validating them one by one, which stays for wording the first problem (:func:`_each_valid`)."""
    if not all(isinstance(raw, dict) for raw in cases):
        return None
    plain = [raw if type(raw) is dict else _plain(raw) for raw in cases]  # a JSONL line's dict is plain
    if _has_defaults(defaults):
        plain = [_merge_defaults(data, defaults) for data in plain]
    for i, data in enumerate(plain):
        case_id = data.get("id")
        if type(case_id) is int:
            plain[i] = {**data, "id": str(case_id)}
    try:
        built = _CASE_LIST.validate_python(plain)
    except ValidationError:
        return None
    if len({case.id for case in built}) != len(built):
        return None
    if any(validate_options(case.scorer, case.options, case.expected) for case in built):
        return None
    return built


def _each_valid(path: str, cases: list[Any], lines: list[int], defaults: _Defaults) -> list[Case]:
    """The cases validated one by one: the first problem raises a FileInputError naming its line and fix."""
    built: list[Case] = []
    seen: dict[str, int] = {}
    for raw, line in zip(cases, lines):
        case = _build_case(path, raw, line, defaults)
        if case.id in seen:
            raise FileInputError(path, f"duplicate case id {case.id!r} (first used at line {seen[case.id]})", "give every case its own id", line=line)
        seen[case.id] = line
        built.append(case)
    return built


def load_file(path: str | os.PathLike[str]) -> Task:
    """Load and validate one task file (.yaml, .yml, .jsonl, .json)."""
    p = Path(path).expanduser()
    text = _read_text(p)
    shown = str(p)
    suffix = p.suffix.lower()
    if suffix == ".jsonl":
        doc: Any = _parse_jsonl(shown, text)
    elif suffix == ".json":
        doc = _parse_json(shown, text)
    else:
        doc = _parse_yaml(shown, text)
    if isinstance(doc, dict):  # a mapping may be a promptfoo config (prompts × tests), a task too; a JSONL file's lines are not
        from whichai.tasks import promptfoo

        if promptfoo.is_config(doc):
            return promptfoo.build_task(shown, _plain(doc))
    return _build_task(shown, doc, p.stem)


# --- built-in tasks ----------------------------------------------------------------------


@lru_cache(maxsize=1)
def _builtin() -> tuple[Task, ...]:
    folder = resources.files("whichai.tasks") / "builtin"
    tasks = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith((".yaml", ".yml")):
            stem = entry.name.rsplit(".", 1)[0]
            task = _build_task(f"builtin:{stem}", _parse_yaml(f"builtin:{stem}", entry.read_text("utf-8")), stem)
            tasks.append(task)
    return tuple(tasks)


def builtin_tasks() -> list[Task]:
    """The built-in tasks, one per kind (sentiment, facts, ...), in name order."""
    return [t.model_copy(deep=True) for t in _builtin()]


def builtin_suite() -> Task:
    """All built-in cases as one task named ``builtin`` (what ``whichai run`` runs by default)."""
    tasks = _builtin()
    return Task(
        name=SUITE,
        description="The built-in suite: " + ", ".join(t.name for t in tasks) + " (English and Bahasa Indonesia).",
        source="builtin",
        cases=[c.model_copy(deep=True) for t in tasks for c in t.cases],
    )


def builtin_names() -> list[str]:
    return [SUITE, *(t.name for t in _builtin())]


def load_task(spec: str | os.PathLike[str] | None = None) -> Task:
    """A task from ``spec``: None or ``builtin`` (the whole suite), a built-in task name, or a file path."""
    if spec is None or str(spec) == SUITE:
        return builtin_suite()
    text = str(spec)
    path = Path(text).expanduser()
    looks_like_a_path = path.suffix.lower() in SUFFIXES or os.sep in text or "/" in text
    if not looks_like_a_path:
        for task in _builtin():
            if task.name == text:
                return task.model_copy(deep=True)
        if not os.path.lexists(path):
            raise FileInputError(
                text,
                "is neither a file nor a built-in task",
                f"{_suggest(text, builtin_names())}built-in tasks: {', '.join(builtin_names())}; or give the path of a .yaml or .jsonl file",
            )
    return load_file(path)
