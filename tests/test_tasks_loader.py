"""Task files load into validated cases; every bad input names the file, the line and the fix."""

from __future__ import annotations

import json
import os
import socket
import subprocess
from pathlib import Path

import pytest
from conftest import invoke

from whichai.errors import FileInputError
from whichai.tasks.loader import builtin_tasks, load_file, load_task

MINIMAL = '{"id": "q1", "input": "What is the capital of Indonesia?", "expected": "Jakarta", "scorer": "contains"}'


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def error_of(path: Path | str) -> FileInputError:
    with pytest.raises(FileInputError) as info:
        load_task(str(path))
    return info.value


# --- what loads --------------------------------------------------------------------------


def test_minimal_jsonl_case(tmp_path):
    path = write(tmp_path, "capitals.jsonl", MINIMAL + "\n\n")
    task = load_task(str(path))
    assert (task.name, task.source, len(task.cases)) == ("capitals", str(path), 1)
    case = task.cases[0]
    assert (case.id, case.expected, case.scorer, case.options) == ("q1", "Jakarta", "contains", {})
    assert case.messages() == [{"role": "user", "content": "What is the capital of Indonesia?"}]


def test_yaml_mapping_with_defaults(tmp_path):
    path = write(
        tmp_path,
        "mine.yaml",
        """\
name: my-task
description: Mine.
defaults:
  scorer: choice
  options: {labels: [yes, no]}
  tags: [lang:en]
  system: Answer yes or no.
cases:
  - id: 1
    input: Is water wet?
    expected: yes
    tags: [easy]
  - id: two
    input:
      - {role: user, content: 'Is fire cold?'}
    expected: no
    options: {mode: only}
  - id: three
    input: Spell 'cat'.
    scorer: exact
    expected: cat
    system: Spell it.
""",
    )
    task = load_task(str(path))
    assert (task.name, task.description) == ("my-task", "Mine.")
    one, two, three = task.cases
    assert (one.id, one.expected, one.options, one.tags) == ("1", "yes", {"labels": ["yes", "no"]}, ["lang:en", "easy"])
    assert two.options == {"labels": ["yes", "no"], "mode": "only"} and two.expected == "no"
    assert two.messages() == [{"role": "system", "content": "Answer yes or no."}, {"role": "user", "content": "Is fire cold?"}]
    assert (three.scorer, three.options, three.system) == ("exact", {}, "Spell it.")  # defaults' options are for 'choice' only


def test_yaml_plain_list_and_yaml_1_2_scalars(tmp_path):
    path = write(tmp_path, "list.yml", "- {id: a, input: Phone, expected: 0712, scorer: exact}\n- {id: b, input: When, expected: 2024-01-01}\n")
    task = load_task(str(path))
    assert task.name == "list"
    assert [c.expected for c in task.cases] == ["0712", "2024-01-01"]


def test_json_array_and_mapping_forms(tmp_path):
    array = write(tmp_path, "a.json", json.dumps([json.loads(MINIMAL)], indent=2))
    mapping = write(tmp_path, "b.json", json.dumps({"name": "caps", "cases": [json.loads(MINIMAL)]}))
    assert load_task(str(array)).cases == load_task(str(mapping)).cases
    assert load_task(str(mapping)).name == "caps"


def test_content_hash_depends_on_cases_not_on_the_file(tmp_path):
    yaml_path = write(tmp_path, "x.yaml", "cases:\n  - id: q1\n    input: What is the capital of Indonesia?\n    expected: Jakarta\n")
    jsonl_path = write(tmp_path, "y.jsonl", MINIMAL + "\n")
    assert load_task(str(yaml_path)).content_hash() == load_task(str(jsonl_path)).content_hash()
    changed = write(tmp_path, "z.jsonl", MINIMAL.replace("Jakarta", "Bandung") + "\n")
    assert load_task(str(changed)).content_hash() != load_task(str(jsonl_path)).content_hash()


def test_builtin_by_name_and_default():
    names = [t.name for t in builtin_tasks()]
    assert "sentiment" in names
    assert load_task("sentiment").source == "builtin:sentiment"
    suite = load_task(None)
    assert suite.name == "builtin" and len(suite.cases) == sum(len(t.cases) for t in builtin_tasks())
    assert load_task("builtin").content_hash() == suite.content_hash()


# --- bad input: exact file, line and fix -------------------------------------------------


def test_malformed_yaml(tmp_path):
    path = write(tmp_path, "bad.yaml", "cases:\n  - id: a\n    input: [unclosed\n    expected: x\n")
    err = error_of(path)
    assert err.path == str(path) and err.line == 4
    assert str(err).startswith(f"{path}:4: invalid YAML: expected ',' or ']', but got ':' (while parsing a flow sequence started at line 3)")
    assert "Fix: check indentation and quoting" in str(err)


def test_tabs_in_yaml(tmp_path):
    err = error_of(write(tmp_path, "tabs.yaml", "cases:\n\t- id: a\n"))
    assert err.line == 2 and str(err).endswith("Fix: indent with spaces, not tabs")


def test_malformed_jsonl_line(tmp_path):
    path = write(tmp_path, "bad.jsonl", MINIMAL + "\n\n" + '{"id": "q2", "input": "x",}\n')
    err = error_of(path)
    assert err.line == 3
    assert str(err).startswith(f"{path}:3: invalid JSON: Expecting property name enclosed in double quotes")


def test_jsonl_line_that_is_not_an_object(tmp_path):
    err = error_of(write(tmp_path, "bad.jsonl", MINIMAL + '\n["q2"]\n'))
    assert err.line == 2 and "each line must be one JSON object (a case), got a list" in str(err)


def test_json_with_one_case_per_line_suggests_jsonl(tmp_path):
    err = error_of(write(tmp_path, "lines.json", MINIMAL + "\n" + MINIMAL.replace("q1", "q2") + "\n"))
    assert err.line == 2
    assert "invalid JSON: Extra data" in str(err) and "name the file .jsonl" in str(err)


def test_missing_field_points_at_the_case(tmp_path):
    path = write(tmp_path, "t.yaml", "cases:\n  - id: a\n    input: hi\n    expected: x\n  - id: b\n    expected: y\n")
    err = error_of(path)
    assert str(err).startswith(f"{path}:5: case 'b': the case is missing the field 'input' Fix: add `input: ...`")


def test_missing_field_in_jsonl(tmp_path):
    path = write(tmp_path, "t.jsonl", MINIMAL + '\n{"input": "no id", "expected": "x"}\n')
    err = error_of(path)
    assert str(err).startswith(f"{path}:2: the case is missing the field 'id'")


def test_unknown_field_points_at_its_line_and_suggests(tmp_path):
    path = write(tmp_path, "t.yaml", "cases:\n  - id: a\n    input: hi\n    expcted: x\n")
    err = error_of(path)
    assert str(err) == (
        f"{path}:4: case 'a': unknown field 'expcted' in the case Fix: did you mean 'expected'? "
        "known fields: id, input, system, expected, scorer, options, tags"
    )


def test_unknown_top_level_field(tmp_path):
    err = error_of(write(tmp_path, "t.yaml", "name: x\ncase:\n  - id: a\n"))
    assert err.line == 2 and "unknown top-level field 'case'" in str(err) and "did you mean 'cases'?" in str(err)


def test_unknown_scorer_points_at_the_scorer_line(tmp_path):
    path = write(tmp_path, "t.yaml", "cases:\n  - id: a\n    input: hi\n    expected: x\n    scorer: contans\n")
    err = error_of(path)
    assert err.line == 5
    assert f"{path}:5: case 'a': unknown scorer 'contans'" in str(err) and "Fix: did you mean 'contains'?" in str(err)


def test_unknown_scorer_in_jsonl(tmp_path):
    path = write(tmp_path, "t.jsonl", MINIMAL + "\n" + MINIMAL.replace("q1", "q2").replace("contains", "fuzzy") + "\n")
    err = error_of(path)
    assert str(err).startswith(f"{path}:2: case 'q2': unknown scorer 'fuzzy'")


def test_invalid_regex_points_at_options(tmp_path):
    path = write(tmp_path, "t.yaml", "cases:\n  - id: r\n    input: hi\n    scorer: regex\n    options:\n      pattern: '(ab'\n")
    err = error_of(path)
    assert err.line == 5
    assert "case 'r': invalid regular expression '(ab': missing ), unterminated subpattern" in str(err)
    assert "Fix: for example: options: {pattern:" in str(err)


def test_choice_expected_not_a_label_points_at_expected(tmp_path):
    path = write(tmp_path, "t.yaml", "cases:\n  - id: c\n    input: hi\n    expected: maybe\n    scorer: choice\n    options: {labels: [yes, no]}\n")
    err = error_of(path)
    assert err.line == 4 and "'expected' must be one of the labels ['yes', 'no'], got 'maybe'" in str(err)


def test_unknown_scorer_in_defaults(tmp_path):
    err = error_of(write(tmp_path, "t.yaml", "defaults:\n  scorer: exactly\ncases:\n  - {id: a, input: hi, expected: x}\n"))
    assert err.line == 2 and "unknown scorer 'exactly' in 'defaults'" in str(err) and "did you mean 'exact'?" in str(err)


def test_duplicate_case_ids(tmp_path):
    path = write(tmp_path, "t.yaml", "cases:\n  - {id: a, input: hi, expected: x}\n  - {id: b, input: hi, expected: x}\n  - {id: a, input: ho, expected: y}\n")
    err = error_of(path)
    assert str(err) == f"{path}:4: duplicate case id 'a' (first used at line 2) Fix: give every case its own id"


def test_duplicate_case_ids_in_jsonl(tmp_path):
    err = error_of(write(tmp_path, "t.jsonl", f"{MINIMAL}\n{MINIMAL}\n"))
    assert err.line == 2 and "duplicate case id 'q1' (first used at line 1)" in str(err)


def test_duplicate_yaml_key(tmp_path):
    err = error_of(write(tmp_path, "t.yaml", "cases:\n  - id: a\n    input: hi\n    input: ho\n"))
    assert err.line == 4 and "duplicate key 'input' (already set at line 3)" in str(err)


def test_case_that_is_not_a_mapping(tmp_path):
    err = error_of(write(tmp_path, "t.yaml", "cases:\n  - {id: a, input: hi, expected: x}\n  - just text\n"))
    assert err.line == 3 and "a case must be a mapping of fields, got text" in str(err)


def test_input_of_the_wrong_shape(tmp_path):
    err = error_of(write(tmp_path, "t.yaml", "cases:\n  - id: a\n    input: {role: user}\n    expected: x\n"))
    assert err.line == 3 and "case 'a': 'input' must be a text or a list of chat messages" in str(err)


def test_no_cases(tmp_path):
    err = error_of(write(tmp_path, "t.yaml", "name: x\ncases: []\n"))
    assert err.line == 2 and "has no cases" in str(err)
    err = error_of(write(tmp_path, "u.yaml", "name: x\n"))
    assert "has no 'cases' list" in str(err)


def test_missing_file(tmp_path):
    path = tmp_path / "nope.yaml"
    err = error_of(path)
    assert str(err).startswith(f"{path}: no such file Fix:") and err.line is None


def test_unknown_builtin_name_suggests():
    err = error_of("sentimen")
    assert str(err).startswith("sentimen: is neither a file nor a built-in task Fix: did you mean 'sentiment'?")


@pytest.mark.parametrize("text", ["", "   \n\n", "\ufeff"])
def test_empty_file(tmp_path, text):
    path = write(tmp_path, "empty.jsonl", text)
    assert str(error_of(path)).startswith(f"{path}: is empty Fix: add at least one case")


def test_yaml_with_only_comments_is_empty(tmp_path):
    path = write(tmp_path, "c.yaml", "# nothing yet\n")
    assert str(error_of(path)).startswith(f"{path}: is empty (no cases)")


def test_binary_file(tmp_path):
    path = write(tmp_path, "blob.yaml", b"cases:\n\x00\x01\x02\xff")
    err = error_of(path)
    assert str(err).startswith(f"{path}:2: is a binary file (it contains NUL bytes), not text")


def test_not_utf8(tmp_path):
    path = write(tmp_path, "latin.yaml", "cases:\n  - {id: a, input: caf\u00e9, expected: x}\n".encode("latin-1"))
    err = error_of(path)
    assert str(err) == f"{path}:2: is not UTF-8 text (byte 0xe9 cannot be decoded) Fix: save the file as UTF-8"


def test_directory(tmp_path):
    err = error_of(tmp_path)
    assert str(err).startswith(f"{tmp_path}: is a directory, not a task file")


def test_unsupported_suffix(tmp_path):
    err = error_of(write(tmp_path, "cases.txt", MINIMAL))
    assert "unsupported file type '.txt'" in str(err)


def test_not_a_regular_file(tmp_path):
    path = tmp_path / "sock.jsonl"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        assert str(error_of(path)) .startswith(f"{path}: is not a regular file")
    finally:
        server.close()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file(tmp_path):
    path = write(tmp_path, "secret.jsonl", MINIMAL)
    path.chmod(0)
    try:
        assert str(error_of(path)).startswith(f"{path}: cannot be read (permission denied) Fix: make it readable")
    finally:
        path.chmod(0o600)


def test_load_file_accepts_a_path_object(tmp_path):
    path = write(tmp_path, "p.jsonl", MINIMAL)
    assert load_file(path).cases[0].id == "q1"


# --- through the CLI ---------------------------------------------------------------------


def cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    return invoke(["tasks", *args], env)


def test_cli_validates_a_file_and_exits_2_with_one_clear_message(tmp_path):
    path = write(tmp_path, "bad.yaml", "cases:\n  - id: a\n    input: hi\n    scorer: nope\n    expected: x\n")
    result = cli(str(path))
    assert result.returncode == 2 and result.stdout == ""
    assert f"{path}:4: case 'a': unknown scorer 'nope'" in result.stderr and "Traceback" not in result.stderr


def test_cli_lists_builtin_tasks_as_json():
    result = cli("--json")
    assert result.returncode == 0, result.stderr
    tasks = {t["name"]: t for t in json.loads(result.stdout)["tasks"]}
    assert tasks["builtin"]["cases"] == sum(t["cases"] for name, t in tasks.items() if name != "builtin")
    assert set(tasks["sentiment"]["languages"]) == {"en", "id"}


def test_cli_summarises_a_valid_file(tmp_path):
    path = write(tmp_path, "ok.jsonl", MINIMAL + "\n")
    result = cli(str(path), "--json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["task"]["name"] == "ok" and document["task"]["cases"] == 1
    assert document["cases"][0]["expected"] == "Jakarta"
    table = cli(str(path))
    assert table.returncode == 0 and "q1" in table.stdout and "1 valid cases" in table.stdout


def test_builtin_name_wins_over_a_same_named_folder(tmp_path, monkeypatch):
    (tmp_path / "facts").mkdir()
    monkeypatch.chdir(tmp_path)
    assert load_task("facts").source == "builtin:facts"
    assert str(error_of("./facts")).startswith("facts: is a directory")


@pytest.mark.parametrize(
    "line, words",
    [
        ('{"id": "q2", "input": "x", "input": "y"}', ["duplicate key 'input'", "keep one of the two"]),
        ('{"id": "q2", "input": "x", "expected": 1e400}', ["not finite"]),
        ('{"id": "q2", "input": "x", "expected": NaN}', ["NaN", "not finite"]),
        ('{"id": "q2", "input": "x", "expected": ' + "9" * 40 + "}", ["40 digits"]),
        ('{"id": "q2", "input": "x", "expected": ' + "[" * 80 + "]" * 80 + "}", ["nested"]),
        ('{"id": "q2", "input": "x", "options": {"a": 1, "a": 2}}', ["duplicate key 'a'"]),
    ],
)
def test_jsonl_fast_parse_leaves_unusual_lines_to_the_careful_one(tmp_path, line, words):
    """A JSONL line is parsed with one json.loads; what it cannot vouch for is parsed again carefully,
    so the error still names the file, the line and the fix."""
    err = error_of(write(tmp_path, "t.jsonl", MINIMAL + "\n" + line + "\n"))
    assert err.line == 2 or ":2" in str(err)
    for word in words:
        assert word in str(err)


def test_a_task_hashes_its_cases_once_and_sees_them_replaced(tmp_path):
    task = load_task(str(write(tmp_path, "t.jsonl", MINIMAL + "\n")))
    first = task.content_hash()
    assert task.content_hash() == first
    changed = task.model_copy(update={"cases": [task.cases[0].model_copy(update={"expected": "Bandung"})]})
    assert changed.content_hash() != first
    task.cases.append(task.cases[0].model_copy(update={"id": "q2"}))
    assert task.content_hash() != first


def test_content_hash_is_the_hash_of_the_cases_sorted_json(tmp_path):
    """The fast hash equals sha256 of the cases' pydantic JSON dumps with sorted keys (run ids of existing
    databases stay the same)."""
    import hashlib

    lines = [
        MINIMAL,
        '{"id": "q2", "input": [{"role": "user", "content": "Hai"}], "expected": {"b": [1, 2.5], "a": null}, "scorer": "json"}',
        '{"id": "q3", "input": "Apa kabar? é", "system": "S", "expected": ["baik", "ok"], "scorer": "contains", "tags": ["lang:id"]}',
    ]
    task = load_task(str(write(tmp_path, "t.jsonl", "\n".join(lines) + "\n")))
    payload = json.dumps([c.model_dump(mode="json") for c in task.cases], sort_keys=True, ensure_ascii=False)
    assert task.content_hash() == hashlib.sha256(payload.encode()).hexdigest()
    suite = load_task("builtin")
    payload = json.dumps([c.model_dump(mode="json") for c in suite.cases], sort_keys=True, ensure_ascii=False)
    assert suite.content_hash() == hashlib.sha256(payload.encode()).hexdigest()


def test_the_cases_validated_at_once_equal_those_validated_one_by_one(tmp_path):
    """The one-pass validation builds the same cases as the case-by-case one (defaults merged, numeric ids
    made text, options and tags of the file), which stays for naming the first problem."""
    from whichai.tasks import loader

    text = ("defaults: {scorer: contains, options: {all: true}, tags: [lang:en], system: Be brief.}\n"
            "cases:\n  - {id: 7, input: a, expected: [x, y]}\n  - {id: q2, input: b, expected: z, tags: [hard], system: Own.}\n"
            "  - {id: q3, input: [{role: user, content: c}], expected: 42, scorer: numeric, options: {tolerance: 1}}\n")
    doc = loader._parse_yaml("t.yaml", text)
    defaults = loader._Defaults.model_validate(loader._plain(doc["defaults"]))
    at_once = loader._all_valid(doc["cases"], defaults)
    one_by_one = loader._each_valid("t.yaml", doc["cases"], doc["cases"].lines, defaults)
    assert at_once is not None and [c.model_dump() for c in at_once] == [c.model_dump() for c in one_by_one]
    assert at_once[0].id == "7" and at_once[0].tags == ["lang:en"] and at_once[0].options == {"all": True}
    assert type(at_once[0].expected) is list and type(at_once[2].options) is dict  # plain values, not the parser's line-keeping ones
    suite = [c.model_dump(mode="json") for c in loader.builtin_suite().cases]
    assert [c.model_dump(mode="json") for c in loader._all_valid(suite, loader._Defaults()) or []] == suite


@pytest.mark.parametrize("bad, line, words", [
    ('{"id": "q1", "input": "again", "expected": "x"}', 3, ["duplicate case id 'q1'", "first used at line 1"]),
    ('{"id": "q3", "input": "x", "expected": "x", "scorer": "regex", "options": {"pattern": "("}}', 3, ["invalid regular expression"]),
    ('{"id": "q3", "input": "x", "expected": "x", "options": {"colour": 1}}', 3, ["unknown option(s) 'colour'"]),
    ('{"id": "q3", "input": 5}', 3, ["'input' must be a text"]),
    ('{"id": "q3", "input": "x", "extra": 1}', 3, ["unknown field 'extra'"]),
])
def test_a_problem_after_valid_cases_is_named_at_its_line(tmp_path, bad, line, words):
    """The one-pass validation only says that some case has a problem; the case-by-case pass names it."""
    err = error_of(write(tmp_path, "t.jsonl", MINIMAL + '\n{"id": "q2", "input": "y", "expected": "y"}\n' + bad + "\n"))
    assert err.line == line, str(err)
    for word in words:
        assert word in str(err)


def test_jsonl_lines_with_spaces_around_them_still_load(tmp_path):
    """The fast scan takes a line that is one object from its first character to its last; a line with
    spaces around it, or a second value after it, goes to the careful parse (which loads or names it)."""
    task = load_task(str(write(tmp_path, "t.jsonl", "  " + MINIMAL + "  \n\t" + MINIMAL.replace("q1", "q2") + "\n")))
    assert [c.id for c in task.cases] == ["q1", "q2"]
    err = error_of(write(tmp_path, "u.jsonl", MINIMAL + " " + MINIMAL.replace("q1", "q2") + "\n"))
    assert err.line == 1 and "Extra data" in str(err)
