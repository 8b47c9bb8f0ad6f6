"""Count the ``dict[str, Any]`` that cross a package boundary of whichai (issue 21: typed data between packages).

Reads the code with :mod:`ast`, runs none of it. A *crossing* is a function of one package (the first
part of its module path under ``whichai``: ``decide``, ``measure``, ``config``, ...) whose signature has
``dict[str, Any]`` (a parameter or the return; ``list[dict[str, Any]]`` and the like count too), called by
name from a module of another package that imports it. Each (function, calling package) pair counts once.

    python tools/count_boundaries.py            # the count, and the functions with the most callers
    python tools/count_boundaries.py --list     # every crossing
    python tools/count_boundaries.py --root DIR # another tree's src/whichai (e.g. from git archive)
    python tools/count_boundaries.py --loose    # also a bare ``dict``, ``dict[str, object]`` and
                                                # ``Mapping[str, Any | object]``: as untyped, but not the issue's measure
"""

from __future__ import annotations

import ast
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "src" / "whichai"
LOOSE = False  # --loose
_LOOSE = re.compile(r"\b(dict|Dict)\b(?!\[)|\b(dict|Dict|Mapping|MutableMapping)\[str,(Any|object)\]")


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _untyped(annotation: ast.expr | None) -> bool:
    """True where the annotation mentions ``dict[str, Any]`` (or ``Dict[str, Any]``)."""
    if annotation is None:
        return False
    text = ast.unparse(annotation).replace(" ", "").replace("'", "").replace('"', "")
    return "dict[str,Any]" in text or "Dict[str,Any]" in text or (LOOSE and _LOOSE.search(text) is not None)


def _signature_untyped(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    args = fn.args
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    return _untyped(fn.returns) or any(a is not None and _untyped(a.annotation) for a in every)


def parsed() -> dict[str, ast.Module]:
    """Module name -> its syntax tree, for every module under ``ROOT`` (each file parsed once per count)."""
    return {_module_name(path): ast.parse(path.read_text(encoding="utf-8")) for path in sorted(ROOT.rglob("*.py"))}


def untyped_functions(trees: dict[str, ast.Module]) -> dict[tuple[str, str], str]:
    """(module, function name) -> package, for each top-level function or method with dict[str, Any]."""
    found: dict[tuple[str, str], str] = {}
    for module, tree in trees.items():
        for node in tree.body:
            nodes = [node] + (list(node.body) if isinstance(node, ast.ClassDef) else [])
            for fn in nodes:
                if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)) and _signature_untyped(fn):
                    found[(module, fn.name)] = _package(module)
    return found


def _imported_names(nodes: list[ast.AST], module: str) -> dict[str, tuple[str, str | None]]:
    """Local name -> (whichai module, imported name or None for a module), from every import in the file's ``nodes``."""
    names: dict[str, tuple[str, str | None]] = {}
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.module:
            base = node.module
            if node.level:
                base = ".".join(module.split(".")[: -node.level] + ([node.module] if node.module else []))
            if base.split(".")[0] != "whichai":
                continue
            for alias in node.names:
                names[alias.asname or alias.name] = (base, alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "whichai":
                    names[alias.asname or alias.name.split(".")[-1]] = (alias.name, None)
    return names


def crossings() -> dict[tuple[str, str], set[str]]:
    """(module, function) -> the other packages that call it."""
    trees = parsed()
    untyped = untyped_functions(trees)
    by_name: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for module, name in untyped:
        by_name[name].append((module, name))
    calls: dict[tuple[str, str], set[str]] = defaultdict(set)
    for module, tree in trees.items():
        caller = _package(module)
        nodes = list(ast.walk(tree))
        imported = _imported_names(nodes, module)
        for node in nodes:
            if not isinstance(node, ast.Call):
                continue
            target = _target(node.func, imported, by_name)
            if target is not None and untyped[target] != caller:
                calls[target].add(caller)
    return calls


def _target(func: ast.expr, imported: dict, by_name: dict) -> tuple[str, str] | None:
    if isinstance(func, ast.Name) and func.id in imported:
        source, name = imported[func.id]
        if name is not None:
            key = (source, name)
            return key if key in {k for ks in by_name.values() for k in ks} else _reexported(source, name, by_name)
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in imported:
        source, name = imported[func.value.id]
        module = source if name is None else f"{source}.{name}"
        return _reexported(module, func.attr, by_name)
    return None


def _reexported(module: str, name: str, by_name: dict) -> tuple[str, str] | None:
    """A function reached through a package's ``__init__`` (``from whichai.decide import load_profile``)."""
    for candidate in by_name.get(name, []):
        if candidate[0] == module or candidate[0].startswith(module + "."):
            return candidate
    return None


def main(argv: list[str]) -> int:
    global ROOT, LOOSE
    LOOSE = "--loose" in argv
    if "--root" in argv:
        ROOT = Path(argv[argv.index("--root") + 1]).resolve()
    found = crossings()
    total = sum(len(callers) for callers in found.values())
    what = "dict[str, Any], dict, dict[str, object] or Mapping[str, Any | object]" if LOOSE else "dict[str, Any]"
    print(f"{what} across package boundaries: {total} (function, calling package) pairs, {len(found)} functions")
    rows = sorted(found.items(), key=lambda item: (-len(item[1]), item[0]))
    for (module, name), callers in rows if "--list" in argv else rows[:15]:
        print(f"  {module}.{name} <- {', '.join(sorted(callers))}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
