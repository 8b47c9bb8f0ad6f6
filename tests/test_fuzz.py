"""Fuzz: generated task files, needs profiles and configs, valid and broken, each handled cleanly.

A corpus is generated from a fixed seed (so its size and results are reproducible, and the figures in
docs/security.md come from it): documents built from the real schemas with random values, then
mutated (truncated, spliced with YAML/JSON/TOML syntax, aliases, huge or non-finite numbers, deep
nesting, markup, control characters, NUL bytes, invalid UTF-8). Every input must end as a valid object
or a whichai input error (exit code 2), never another exception, within a time and memory bound. Most
inputs go through the loaders in-process; valid tasks are also rendered by ``whichai tasks`` in-process
(Typer's runner), and a sample goes through real CLI processes.
"""

from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from whichai.errors import InputError, WhichaiError

SEED = 20261125
PER_KIND = 150
PER_INPUT_S = 3.0  # seconds of CPU (this thread's) for one input: an alias bomb, not a busy machine
MEMORY_GROWTH_MB = 400

NASTY_SCALARS = [
    ".inf", "-.inf", ".nan", "NaN", "Infinity", "1e308", "1e999", "-1e400", "9" * 5000, "0x" + "f" * 40, "1_000_000",
    "[/x]", "[bold]x[/bold]", "[providers.NAME]", "\x1b[2J", "\x1b]0;pwn\x07", "\u202eevil", "\x00", "\ufeff", "*a", "&a",
    "~", "null", "yes", "no", "on", "2026-01-01", "12:30:00", "0712", "'", '"', "{", "[", "- ", ": ", "#", "\t",
    "%YAML 1.1", "!!python/object:os.system", "!!binary aGVsbG8=", "<<: *a", "", " ", "x" * 2000, "€ü日本", "\r\n",
]


def _scalar(rng: random.Random) -> Any:
    pick = rng.random()
    if pick < 0.25:
        return rng.choice(NASTY_SCALARS)
    if pick < 0.45:
        return rng.choice([0, 1, -1, 42, 3.5, 1e300, -0.0, 2**63, 10**30, True, False, None])
    if pick < 0.6:
        return [_scalar(rng) for _ in range(rng.randint(0, 3))]
    if pick < 0.7:
        return {rng.choice(["a", "b", "pattern", "labels", "tolerance"]): _scalar(rng) for _ in range(rng.randint(0, 3))}
    return rng.choice(["Jakarta", "positive", "negative", "42", "What is 2+2?", "Ibu kota Indonesia?"])


ODD_TEXT = ["[/x]", "[bold]x[/bold]", "[providers.NAME]", "\x1b[2J", "\x1b]0;pwn\x07", "\u202eevil", "€ü日本", "x" * 2000,
            "line\nbreak", "tab\there", "ya", "Jakarta"]


def _sane_case(rng: random.Random, i: int) -> dict:
    """A valid case whose texts are odd (markup, control characters, long, non-ASCII)."""
    text = rng.choice(ODD_TEXT)
    return rng.choice([
        {"id": f"{rng.choice(ODD_TEXT)[:20]}-{i}", "input": text, "expected": rng.choice(ODD_TEXT)},
        {"id": f"n{i}", "input": text, "expected": rng.choice([3, -2.5, "1e6"]), "scorer": "numeric",
         "options": {"tolerance": rng.choice([0, 0.5, 1e6])}},
        {"id": f"r{i}", "input": text, "scorer": "regex", "options": {"pattern": rng.choice(["(a|aa)+$", "\\d+", "[/x]"])}},
        {"id": f"c{i}", "input": text, "expected": "ya", "scorer": "choice", "options": {"labels": ["ya", "tidak", "[/x]"]}},
    ])


def _case(rng: random.Random, i: int) -> dict:
    scorer = rng.choice(["contains", "exact", "regex", "numeric", "json", "choice", "any_of", "nosuch"])
    case: dict = {"id": rng.choice([f"q{i}", f"[/x]{i}", f"id\x1b{i}", i, "", None]), "input": rng.choice(["Hello?", _scalar(rng)]),
                  "expected": _scalar(rng), "scorer": scorer}
    if rng.random() < 0.5:
        case["options"] = rng.choice([
            {"pattern": rng.choice(["(a|aa)+$", "[", "\\d+", "(?P<x", "a{1,99999}"])}, {"tolerance": _scalar(rng)},
            {"labels": [_scalar(rng), _scalar(rng)]}, {"required": _scalar(rng)}, _scalar(rng)])
    if rng.random() < 0.2:
        case[rng.choice(["tags", "system", "unknown_field", "expected"])] = _scalar(rng)
    return case


def _mutate(rng: random.Random, text: str) -> str:
    for _ in range(rng.randint(0, 3)):
        kind = rng.random()
        where = rng.randint(0, len(text))
        if kind < 0.25:
            text = text[:where]
        elif kind < 0.55:
            text = text[:where] + rng.choice(NASTY_SCALARS) + text[where:]
        elif kind < 0.7:
            depth = rng.choice([10, 70, 3000])
            text = text[:where] + "[" * depth + "]" * depth + text[where:]
        elif kind < 0.8:
            text = text[:where] + "&a [x, y]\nb: [*a, *a, *a, *a]\n" + text[where:]
        else:
            text = text.replace(":", rng.choice([":", "=", ": [", ""]), 1)
    return text


def _bomb() -> str:
    text = 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for i in range(1, 9):
        text += f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]\n"
    return text


def task_corpus(rng: random.Random) -> list[tuple[str, bytes]]:
    import yaml

    corpus: list[tuple[str, bytes]] = []
    for i in range(PER_KIND):
        sane = i % 4 == 0
        cases = [(_sane_case if sane else _case)(rng, j) for j in range(rng.randint(1 if sane else 0, 4))]
        style = i % 3
        if style == 0:
            doc = {"name": rng.choice(["t", "[/x]", _scalar(rng)]), "cases": cases}
            if rng.random() < 0.3:
                doc["defaults"] = {"scorer": rng.choice(["contains", "nosuch"]), "tags": _scalar(rng)}
            text, suffix = yaml.safe_dump(doc, allow_unicode=True), ".yaml"
        elif style == 1:
            text, suffix = "".join(json.dumps(c, ensure_ascii=rng.random() < 0.5) + "\n" for c in cases), ".jsonl"
        else:
            text, suffix = json.dumps(rng.choice([cases, {"cases": cases}])), ".json"
        text = text if sane else _mutate(rng, text)
        data = text.encode("utf-8", "surrogatepass")
        if not sane and rng.random() < 0.05:
            data = data[: len(data) // 2] + b"\xff\xfe" + data[len(data) // 2:]
        corpus.append((f"task{i}{suffix}", data))
    corpus.append(("bomb.yaml", (_bomb() + "cases: *a8\n").encode()))
    return corpus


def profile_corpus(rng: random.Random) -> list[tuple[str, bytes]]:
    import yaml

    from whichai.decide.profile import Profile

    fields = list(Profile.model_fields)
    corpus = []
    for i in range(PER_KIND):
        doc = {rng.choice(fields + ["unknown"]): _scalar(rng) for _ in range(rng.randint(0, 6))}
        if rng.random() < 0.4:
            doc["volume"] = {"requests_per_month": _scalar(rng), "input_tokens_per_request": _scalar(rng)}
        if rng.random() < 0.3:
            doc["weights"] = {rng.choice(["cost", "security", "nosuch"]): _scalar(rng)}
        corpus.append((f"profile{i}.yaml", _mutate(rng, yaml.safe_dump(doc, allow_unicode=True)).encode("utf-8", "surrogatepass")))
    corpus.append(("bomb.yaml", (_bomb() + "name: x\n").encode()))
    return corpus


def _toml_value(rng: random.Random) -> str:
    return rng.choice(['"x"', "1", "-5", "0.5", "inf", "nan", "1e308", "9" * 5000, "true", '"http://127.0.0.1:1/v1"',
                       '"file:///etc/passwd"', "[1, 2]", "{ input = 1.0, output = 2.0 }", '{ input = -1, output = "a" }',
                       '"OPENAI_API_KEY"', '"not a var"', '"local/smollm2-135m-instruct"', "[" * 50 + "]" * 50])


def config_corpus(rng: random.Random) -> list[tuple[str, bytes]]:
    keys = ["kind", "base_url", "api_key_env", "price_usd_per_mtok", "concurrency", "default_model", "tokenizer", "bogus"]
    corpus = []
    for i in range(PER_KIND):
        lines = []
        for _ in range(rng.randint(0, 3)):
            lines.append(f"[providers.{rng.choice(['a', 'my-server', 'UPPER', 'openai', 'x y'])}]")
            lines += [f"{rng.choice(keys)} = {_toml_value(rng)}" for _ in range(rng.randint(0, 4))]
        if rng.random() < 0.5:
            lines.append("[run]")
            lines += [f"{rng.choice(['timeout', 'max_tokens', 'temperature', 'retries', 'concurrency', 'x'])} = {_toml_value(rng)}"
                      for _ in range(rng.randint(0, 3))]
        corpus.append((f"config{i}.toml", _mutate(rng, "\n".join(lines) + "\n").encode("utf-8", "surrogatepass")))
    return corpus


def _load_task(path: Path) -> Any:
    from whichai.tasks.loader import load_file

    return load_file(path)


def _load_profile(path: Path) -> Any:
    from whichai.decide import load_profile

    return load_profile(str(path))


def _load_config(path: Path) -> Any:
    from whichai.config import load_config

    return load_config(path, announce=False)


KINDS: dict[str, tuple[Callable, Callable]] = {
    "task": (task_corpus, _load_task),
    "profile": (profile_corpus, _load_profile),
    "config": (config_corpus, _load_config),
}


def fuzz(kind: str, tmp_path: Path) -> dict[str, int]:
    """Run one kind's corpus; return its figures. Fails on any unclean outcome."""
    make, load = KINDS[kind]
    corpus = make(random.Random(f"{SEED}-{kind}"))
    figures = {"inputs": len(corpus), "valid": 0, "refused": 0}
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for name, data in corpus:
        path = tmp_path / name
        path.write_bytes(data)
        started = time.thread_time()  # the CPU this input cost (loaded in this thread), not the machine's load
        try:
            load(path)
            figures["valid"] += 1
        except WhichaiError as exc:
            assert isinstance(exc, InputError) and exc.exit_code == 2, (name, exc)
            assert str(path) in str(exc) or name in str(exc), (name, str(exc))
            figures["refused"] += 1
        spent = time.thread_time() - started
        assert spent < PER_INPUT_S, (name, spent)
    growth_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    assert growth_mb < MEMORY_GROWTH_MB, growth_mb
    return figures


@pytest.mark.parametrize("kind", list(KINDS))
def test_fuzzed_inputs_end_valid_or_as_one_input_error(kind, tmp_path, env):
    figures = fuzz(kind, tmp_path)
    assert figures["inputs"] >= PER_KIND and figures["valid"] + figures["refused"] == figures["inputs"]
    assert figures["refused"] > 0
    print(f"fuzz {kind}: {figures}")


def test_valid_fuzzed_tasks_render_in_whichai_tasks(tmp_path, env):
    """Valid but odd tasks (markup, control characters, huge texts) print without crashing."""
    from typer.testing import CliRunner

    from whichai.cli.main import app

    runner = CliRunner()
    rendered = 0
    for name, data in task_corpus(random.Random(f"{SEED}-task")):
        path = tmp_path / name
        path.write_bytes(data)
        try:
            _load_task(path)
        except InputError:
            continue
        for args in (["tasks", str(path)], ["tasks", str(path), "--json"]):
            result = runner.invoke(app, args)
            assert result.exit_code == 0 and result.exception is None, (name, result.output[-1000:], result.exception)
            assert "\x1b" not in result.output and "\x07" not in result.output, (name, result.output[-500:])
        rendered += 1
    assert rendered >= 3


@pytest.mark.slow  # a whichai process per input
def test_a_sample_through_real_processes(tmp_path, env):
    corpora = {kind: KINDS[kind][0](random.Random(f"{SEED}-{kind}")) for kind in KINDS}
    commands = {
        "task": lambda p: ["tasks", str(p)],
        "profile": lambda p: ["recommend", "--profile", str(p), "--json"],
        "config": lambda p: ["run", "--config", str(p), "--models", "nosuch/x", "--no-report"],
    }
    for kind, corpus in corpora.items():
        for name, data in [corpus[-1], *corpus[:4]]:
            path = tmp_path / f"real-{name}"
            path.write_bytes(data)
            result = subprocess.run([sys.executable, "-m", "whichai", *commands[kind](path)], env=env, capture_output=True,
                                    text=True, timeout=60)
            assert result.returncode in (0, 2), (kind, name, result.stderr[-2000:])
            assert "Traceback" not in result.stderr, (kind, name, result.stderr[-2000:])
