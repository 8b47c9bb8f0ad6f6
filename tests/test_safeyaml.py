"""``whichai.safeyaml``'s bounds hold for both of its loaders: ``SafeLoader`` (user files, PyYAML's Python
parser) and ``PackagedLoader`` (shipped and downloaded data, libyaml's parser under the same Python composer
and constructor), and the two read whichai's own YAML files alike."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml

from whichai import safeyaml
from whichai.errors import FileInputError

SRC = Path(safeyaml.__file__).parent


def _bomb(levels: int = 9) -> str:
    text = 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for i in range(1, levels):
        text += f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]\n"
    return text


def _user(path: Path) -> object:
    return safeyaml.load_file(path)[0]


READERS = {"user file": _user, "packaged": safeyaml.load_packaged}

REFUSED = {
    "alias bomb": (_bomb(), 5, "aliases .* expand to more than"),
    "recursive alias": ("a: &a [*a]\n", 1, "recursive alias"),
    "deep block nesting": ("".join(" " * i + "a:\n" for i in range(100)) + " " * 100 + "b: 1\n", 64, "nested more than 64 levels"),
    "deep flow nesting": ("x: " + "[" * 70 + "]" * 70 + "\n", 1, "nested more than 64 levels"),
    "not finite": ("x: .inf\n", 1, "not finite"),
    "out of range": ("x: 1.0e+19\n", 1, "out of range"),
    "too many digits": ("x: " + "9" * 30 + "\n", 1, "has 30 digits"),
}


def test_the_packaged_loader_parses_with_libyaml():
    if yaml.__with_libyaml__:
        assert safeyaml.PackagedLoader is not safeyaml.SafeLoader
        assert any(base.__module__ == "yaml._yaml" for base in safeyaml.PackagedLoader.__mro__)


@pytest.mark.parametrize("reader", READERS.values(), ids=READERS.keys())
@pytest.mark.parametrize("text, line, message", REFUSED.values(), ids=REFUSED.keys())
def test_each_bound_holds_for_both_loaders(tmp_path, reader, text, line, message):
    path = tmp_path / "hostile.yaml"
    path.write_text(text)
    with pytest.raises(FileInputError, match=message) as err:
        reader(path)
    assert err.value.exit_code == 2 and f"hostile.yaml:{line}:" in str(err.value) and "Fix:" in str(err.value)


def test_a_very_deep_document_is_refused_without_recursing(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("x: " + "[" * 5_000 + "]" * 5_000 + "\n")  # far past the interpreter's recursion limit
    for reader in READERS.values():
        with pytest.raises(FileInputError, match="nested|nesting"):
            reader(path)


@pytest.mark.parametrize("reader", READERS.values(), ids=READERS.keys())
def test_moderate_aliases_and_numbers_are_read(tmp_path, reader):
    path = tmp_path / "ok.yaml"
    path.write_text("a: &j [Jakarta, 1.5e+3, 12]\nb: *j\nc: 0x1F\n")
    assert reader(path) == {"a": ["Jakarta", 1500.0, 12], "b": ["Jakarta", 1500.0, 12], "c": 31}


@pytest.mark.parametrize("path", sorted(p for p in SRC.rglob("*.yaml") if "tests" not in p.parts), ids=lambda p: p.name)
def test_both_loaders_read_whichais_own_yaml_alike(path):
    assert safeyaml.load_packaged(path) == safeyaml.parse(path.read_text(encoding="utf-8"), path)[0]


def test_a_downloaded_aider_leaderboard_meets_the_same_bounds(tmp_path):
    from whichai.catalog.benchmarks_sources import DirTree, SourceFormatError, aider_results

    data = tmp_path / "aider" / "website" / "_data"
    data.mkdir(parents=True)
    row = "- model: m\n  pass_rate_2: 50.0\n"
    (data / "polyglot_leaderboard.yml").write_text(row)
    (data / "edit_leaderboard.yml").write_text(row)
    assert [r["score"] for r in aider_results(DirTree(tmp_path))] == [0.5, 0.5]
    (data / "edit_leaderboard.yml").write_text(row + textwrap.indent(_bomb(), "  "))
    with pytest.raises(SourceFormatError, match="edit_leaderboard.yml:7: its aliases"):
        aider_results(DirTree(tmp_path))
