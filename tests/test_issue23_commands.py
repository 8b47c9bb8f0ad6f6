"""Issue 23, finding 7: every command whichai prints is one that works and respects the profile.

The suggested ``whichai run --models swiss-ai-initiative/apertus-70b-instruct-2509,…`` exited 2 ("unknown
provider"): a catalog id is not always a model id ``whichai run`` resolves. And for a profile whose data
must stay in-house, the command measuring the recommended self-hosted model went through a vendor's API.

The check here is cheap: each printed ``whichai`` command is parsed by the CLI's own click parser, and
each model id in ``--models`` is resolved by the registry (its provider, not the model).
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import click
import pytest
import typer

from whichai import app
from whichai.catalog import load_catalog
from whichai.cli.main import GROUPS
from whichai.config import Config
from whichai.decide.profile import example_names, load_profile
from whichai.measure.candidates import how_to_reach
from whichai.measure.ways import way_to_measure
from whichai.providers.registry import HOSTED, Registry, local_servers, split_model_id

PROFILES = ["default", *example_names()]
NAMES = "|".join(name for names in GROUPS.values() for name in names)
COMMAND = re.compile(rf"\bwhichai (?:{NAMES})\b(?: [^\s()`;,]+(?:,[^\s()`;,]+)*)*")
OUTSIDE = set(HOSTED) | {"openai", "anthropic", "gemini"}


def printed_commands(doc: object) -> list[str]:
    """Every ``whichai …`` command in the strings of a JSON document (explanations, evidence, reasons)."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, str):
            found.extend(m.group(0).rstrip(".") for m in COMMAND.finditer(node))
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(doc)
    return sorted(set(found))


def parse(command: str) -> dict:
    """The command's parameters as whichai's CLI parses them (exit 2 on a usage error raises here)."""
    from whichai.cli.main import build_app

    argv = shlex.split(command)[1:]
    group = typer.main.get_command(build_app())
    sub = group.get_command(click.Context(group), argv[0])
    assert sub is not None, f"{command!r}: no such command"
    with sub.make_context(argv[0], argv[1:]) as ctx:
        return dict(ctx.params)


def check_runs(command: str, registry: Registry) -> list[str]:
    params = parse(command)
    models = [m for m in (params.get("models") or "").split(",") if m]
    for model in models:
        registry.resolve(model)  # an unknown provider raises UnknownModelError
    if params.get("profile") not in (None, "default"):
        load_profile(params["profile"])  # a built-in profile's name: it loads
    return models


@pytest.fixture(scope="module")
def docs() -> dict[str, dict]:
    catalog = load_catalog()
    return {name: json.loads(json.dumps(app.recommend(name, catalog=catalog).to_json())) for name in PROFILES}


@pytest.mark.parametrize("name", PROFILES)
def test_every_printed_command_parses_and_resolves(docs, name, monkeypatch):
    monkeypatch.delenv("WHICHAI_CONFIG", raising=False)
    doc = docs[name]
    commands = printed_commands(doc)
    ev = doc["evidence"]
    if ev["next_to_measure"]:
        assert any(ev["next_command"] == c for c in commands) or ev["next_command"] is None
    registry = Registry(Config())
    for command in commands:
        models = check_runs(command, registry)
        profile = load_profile(name) if name != "default" else None
        if profile is not None and not profile.data_leaves_premises_allowed():
            leaks = [m for m in models if split_model_id(m)[0] in OUTSIDE]
            assert not leaks, f"{name}: {command!r} sends in-house data to an outside API"


def test_the_apertus_command_resolves():
    """The issue's own case: an open model with weights on the hub and no API is measured where it runs."""
    entry = load_catalog().find_raw("swiss-ai-initiative/apertus-70b-instruct-2509")
    way = way_to_measure(entry)
    assert way.run_id is not None and split_model_id(way.run_id)[0] in local_servers()
    assert way.first == f"vllm serve {entry['hf_repo']}"
    Registry(Config()).resolve(way.run_id)


def test_in_house_never_through_an_outside_api():
    """GPT OSS 20B is served by hosted APIs; a profile whose data stays in-house measures it locally."""
    entry = load_catalog().find_raw("deepinfra/openai/gpt-oss-20b")
    assert split_model_id(way_to_measure(entry).run_id)[0] in OUTSIDE
    local = way_to_measure(entry, in_house=True)
    assert split_model_id(local.run_id)[0] in local_servers()
    assert how_to_reach(entry, in_house=True) is None or "API_KEY" not in how_to_reach(entry, in_house=True)


def test_no_known_way_is_said_not_printed_as_a_command():
    way = way_to_measure({"id": "lab/closed-thing", "openness": "closed"})
    assert way.run_id is None
    from whichai.decide.explain import _how_to_measure

    text = _how_to_measure({"next_run": [way.to_json()]}, {"lab/closed-thing": "Closed Thing"}, "en", "default")
    assert "whichai run" not in text and "Closed Thing" in text
    assert "Closed Thing" in _how_to_measure({"next_run": [way.to_json()]}, {"lab/closed-thing": "Closed Thing"}, "id", "default")


def test_in_house_profiles_print_local_commands(docs):
    for name in PROFILES:
        profile = load_profile(name) if name != "default" else None
        if profile is None or profile.data_leaves_premises_allowed():
            continue
        for way in docs[name]["evidence"]["next_run"]:
            assert way["run_id"] is None or split_model_id(way["run_id"])[0] not in OUTSIDE, (name, way)


def test_cli_recommend_prints_runnable_commands(tmp_path: Path):
    """Through the real CLI for one in-house profile: the JSON's command resolves."""
    from typer.testing import CliRunner

    from whichai.cli.main import build_app

    result = CliRunner().invoke(build_app(["recommend"]), ["recommend", "--profile", "airgapped-government", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    for command in printed_commands(doc):
        check_runs(command, Registry(Config()))
