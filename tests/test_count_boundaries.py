"""tools/count_boundaries.py counts what it says: a dict[str, Any] in a signature called from another
package is a crossing; the same call inside its own package is not (issue 21: typed data between packages)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

TOOL = Path(__file__).resolve().parent.parent / "tools" / "count_boundaries.py"


@pytest.fixture()
def counter(monkeypatch: pytest.MonkeyPatch):
    spec = importlib.util.spec_from_file_location("count_boundaries", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "count_boundaries", module)
    spec.loader.exec_module(module)
    return module


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / "whichai" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "whichai"


LOW = {
    "__init__.py": "",
    "decide/__init__.py": "from whichai.decide.core import plain, untyped\n",
    "decide/core.py": (
        "from typing import Any, TypedDict\n\n"
        "class Doc(TypedDict):\n    a: int\n\n"
        "def untyped(x: list[dict[str, Any]]) -> int:\n    return 0\n\n"
        "def plain(x: Doc) -> Doc:\n    return x\n\n"
        "def inside() -> int:\n    return untyped([])\n"
    ),
}


def test_a_new_untyped_crossing_is_counted(counter, tmp_path: Path) -> None:
    counter.ROOT = _tree(tmp_path, {**LOW, "app/__init__.py": "from whichai.decide.core import plain, untyped\n\nuntyped([])\nplain({'a': 1})\n"})
    assert counter.crossings() == {("whichai.decide.core", "untyped"): {"app"}}


def test_reached_through_a_package_and_as_an_attribute(counter, tmp_path: Path) -> None:
    counter.ROOT = _tree(tmp_path, {**LOW, "cli/__init__.py": "from whichai import decide\nfrom whichai.decide import untyped\n\nuntyped([])\n",
                                    "web/__init__.py": "from whichai.decide import core\n\ncore.untyped([])\n"})
    assert counter.crossings() == {("whichai.decide.core", "untyped"): {"cli", "web"}}


def test_typed_signatures_and_calls_inside_the_package_are_not(counter, tmp_path: Path) -> None:
    counter.ROOT = _tree(tmp_path, {**LOW, "app/__init__.py": "from whichai.decide.core import plain\n\nplain({'a': 1})\n"})
    assert counter.crossings() == {}


def test_the_tree_has_no_crossing(counter, capsys: pytest.CaptureFixture[str]) -> None:
    """A ratchet. The last two (the CLI's model list handing a raw catalog entry to ``catalog.hardware.fits``
    and ``catalog.lifecycle.entry_status``) went when the list's selection moved into ``catalog/listing.py``,
    which gives the CLI typed rows. Any new crossing fails here."""
    assert counter.main(["--list"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("dict[str, Any] across package boundaries: 0 "), out  # --list names every crossing


def test_loose_counts_a_bare_dict_and_a_mapping_of_object_too(counter, tmp_path: Path) -> None:
    files = {**LOW, "decide/more.py": "from collections.abc import Mapping\n\ndef bare(x: dict) -> int:\n    return 0\n\n"
                                      "def objects(x: int) -> Mapping[str, object]:\n    return {}\n",
             "cli/__init__.py": "from whichai.decide.more import bare, objects\n\nbare({})\nobjects(1)\n"}
    counter.ROOT = _tree(tmp_path, files)
    assert counter.crossings() == {}
    counter.LOOSE = True
    assert counter.crossings() == {("whichai.decide.more", "bare"): {"cli"}, ("whichai.decide.more", "objects"): {"cli"}}
