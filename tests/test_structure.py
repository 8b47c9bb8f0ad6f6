"""The package's shape (issue 8, Structure): no import cycle among whichai's modules, imports that follow
the data flow (``LAYERS``: a module never imports from a higher layer), no function over 80 lines. All
read the source with the ``ast`` module, so nothing is imported or run.

An import is an edge wherever it stands: at module level, inside a function (a lazy import), or under
``if TYPE_CHECKING:`` — a cycle hidden in a function is still a cycle. A package's ``__init__`` is a
node of its own: ``import whichai.a.b`` is an edge to ``whichai.a.b``, and ``from whichai.a import b``
is an edge to ``whichai.a.b`` when ``b`` is a module, else to ``whichai.a``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
MAX_FUNCTION_LINES = 80

# The data flow, bottom up: a module imports from its own layer or lower ones, never from a higher one.
# Every top-level module and package of whichai is in exactly one layer (a new one must be placed here).
LAYERS: list[tuple[str, set[str]]] = [
    ("foundations", {"errors", "paths", "clock", "defaults", "safeyaml", "config", "criteria", "i18n"}),
    ("inputs and parts", {"tasks", "providers", "store", "catalog"}),
    ("measuring", {"measure", "gateway", "tune"}),
    ("deciding", {"decide"}),
    ("rendering the decision", {"report"}),
    ("the application layer", {"app"}),
    ("interfaces", {"cli", "web"}),
]


def _modules() -> dict[str, tuple[Path, bool]]:
    """module name -> (file, is a package's __init__)."""
    modules = {}
    for path in sorted((SRC / "whichai").rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        modules[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    return modules


def _known(name: str, modules: dict) -> str | None:
    """The nearest module that ``name`` is, or is inside of (``whichai.x.attr`` -> ``whichai.x``)."""
    while name not in modules and "." in name:
        name = name.rsplit(".", 1)[0]
    return name if name in modules else None


def _imported(module: str, is_package: bool, node: ast.AST, modules: dict) -> list[str]:
    """The whichai modules one import statement names."""
    if isinstance(node, ast.Import):
        return [m for a in node.names if a.name.startswith("whichai") and (m := _known(a.name, modules))]
    if not isinstance(node, ast.ImportFrom):
        return []
    if node.level:
        package = module.split(".") if is_package else module.split(".")[:-1]
        base = ".".join(package[: len(package) - node.level + 1] + ([node.module] if node.module else []))
    else:
        base = node.module or ""
    if not base.startswith("whichai"):
        return []
    names = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
    return [m for name in names if (m := _known(name, modules))]


def import_graph() -> dict[str, dict[str, int]]:
    """module -> {imported module: line of the first import of it}."""
    modules = _modules()
    graph: dict[str, dict[str, int]] = {name: {} for name in modules}
    for name, (path, is_package) in modules.items():
        for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
            for target in _imported(name, is_package, node, modules):
                if target != name:
                    graph[name].setdefault(target, node.lineno)
    return graph


def cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def long_functions(limit: int = MAX_FUNCTION_LINES) -> list[str]:
    """``file:line name (N lines)`` for every function or method longer than ``limit`` lines."""
    rows = []
    for path, _ in _modules().values():
        for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1
                if lines > limit:
                    rows.append(f"{path.relative_to(SRC)}:{node.lineno} {node.name} ({lines} lines)")
    return sorted(rows)


def test_no_import_cycle_among_whichai_modules() -> None:
    graph = import_graph()
    assert len(graph) > 50 and graph["whichai.store"], "the graph must see the package and its imports"
    shown = []
    for component in cycles(graph):
        members = set(component)
        edges = [f"{a} -> {b} (line {graph[a][b]})" for a in component for b in sorted(graph[a]) if b in members]
        shown.append("cycle: " + "; ".join(edges))
    assert not shown, "\n".join(shown)


def _layer(module: str) -> int | None:
    """The layer of ``whichai.<top>...`` (None for the package itself and ``__main__``)."""
    parts = module.split(".")
    if len(parts) == 1 or parts[1] == "__main__":
        return None
    return next(i for i, (_, names) in enumerate(LAYERS) if parts[1] in names)


def test_every_module_has_a_layer() -> None:
    tops = {name.split(".")[1] for name in _modules() if "." in name} - {"__main__"}
    placed = set().union(*(names for _, names in LAYERS))
    assert tops == placed, f"not placed in LAYERS: {sorted(tops - placed)}; gone: {sorted(placed - tops)}"


def test_imports_follow_the_data_flow() -> None:
    graph = import_graph()
    upward = [f"{a} ({LAYERS[_layer(a)][0]}) -> {b} ({LAYERS[_layer(b)][0]}), line {line}"
              for a, targets in sorted(graph.items()) for b, line in sorted(targets.items())
              if _layer(a) is not None and _layer(b) is not None and _layer(b) > _layer(a)]
    assert not upward, "imports from a higher layer:\n" + "\n".join(upward)


def test_no_function_over_80_lines() -> None:
    assert not long_functions(), "\n".join(long_functions())


# The checks themselves must see what they look for.


def test_the_cycle_finder_finds_a_cycle_and_only_cycles() -> None:
    graph = {"a": {"b": 1}, "b": {"c": 1}, "c": {"a": 1}, "d": {"a": 1}, "e": {}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b": 1}, "b": {}}) == []


@pytest.mark.parametrize(
    ("module", "is_package", "source", "expected"),
    [
        ("whichai.store", False, "from whichai.store.migrations import MIGRATIONS", ["whichai.store.migrations"]),
        ("whichai.cli.running", False, "def f():\n    from whichai import app", ["whichai.app"]),
        ("whichai.cli.running", False, "from . import output", ["whichai.cli.output"]),
        ("whichai.measure.load", True, "from .store import save_sweep", ["whichai.measure.load.store"]),
        ("whichai.measure.judge", False, "import whichai.tasks.scorers as s", ["whichai.tasks.scorers"]),
        ("whichai.measure.judge", False, "from whichai.decide import recommend", ["whichai.decide"]),
        ("whichai.measure.judge", False, "import json", []),
    ],
)
def test_imports_are_read_as_edges(module: str, is_package: bool, source: str, expected: list[str]) -> None:
    modules = _modules()
    found = [m for node in ast.walk(ast.parse(source)) for m in _imported(module, is_package, node, modules)]
    assert found == expected


def test_the_cli_groups_map_names_every_command_of_its_module() -> None:
    """``whichai NAME`` loads NAME's group alone (cli/main.GROUPS): the map must name exactly the
    top-level commands and sub-groups each module registers, and every module of the CLI is a group."""
    import importlib

    import typer

    from whichai.cli.main import GROUPS

    for group, names in GROUPS.items():
        app = typer.Typer()
        importlib.import_module(f"whichai.cli.{group}").register(app)
        found = [c.name or c.callback.__name__ for c in app.registered_commands] + [g.name for g in app.registered_groups]
        assert sorted(found) == sorted(names), group
    every = [n for names in GROUPS.values() for n in names]
    assert len(every) == len(set(every))
