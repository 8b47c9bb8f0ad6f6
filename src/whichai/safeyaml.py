"""Reading user files safely: a size cap, and YAML without alias bombs, deep nesting or huge numbers.

Every YAML file whichai reads from a user (task files, needs profiles) goes through :class:`SafeLoader`
(or :func:`parse`), and every user file is read with :func:`read_capped`. What they refuse, each with a
:class:`~whichai.errors.FileInputError` naming the file, the line and the fix (exit code 2):

- a file larger than its cap (``MAX_TASK_BYTES`` for task files, ``MAX_SMALL_BYTES`` for configs and
  profiles), before reading it whole;
- anchors and aliases (``&a`` / ``*a``) that would expand the document by more than
  ``MAX_ALIAS_NODES`` nodes: a 1 KB "billion laughs" file otherwise grows to gigabytes once copied;
- nesting deeper than ``MAX_DEPTH`` (the parser and every consumer would recurse past the stack);
- numbers that are not finite (``.inf``, ``.nan``) or beyond ``±MAX_NUMBER``, and integers written
  with more than ``MAX_DIGITS`` digits (Python refuses to convert 4,300+ digits at all).

:func:`check_numbers` applies the same number rule to data parsed by other means (JSON, TOML).

This module is the one way whichai reads YAML: :func:`load_file` for a user's file, :func:`loads` for
YAML text from outside (a config's value, a model's answer), :func:`load_packaged` (:func:`loads_packaged`
for text) for the data files shipped with whichai or downloaded by ``whichai catalog update`` (read whole,
the same bounds, parsed by libyaml: :class:`PackagedLoader`).
"""

from __future__ import annotations

import math
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from whichai.errors import FileInputError

MAX_TASK_BYTES = 32 * 1024 * 1024
MAX_SMALL_BYTES = 1024 * 1024
MAX_ALIAS_NODES = 10_000
MAX_DEPTH = 64
MAX_NUMBER = 1e18
MAX_DIGITS = 24

NUMBER_FIX = f"write a finite number between -{MAX_NUMBER:g} and {MAX_NUMBER:g} (put it in quotes if it is text)"


def read_capped(path: Path, limit: int, what: str = "file") -> bytes:
    """The bytes of ``path``, refusing non-regular files and files over ``limit`` bytes before reading."""
    shown = str(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise FileInputError(shown, f"no such {what}", "check the path") from None
    except OSError as exc:
        raise FileInputError(shown, f"the {what} cannot be read ({exc.strerror or exc})", "check the path and its permissions") from exc
    if stat.S_ISDIR(info.st_mode):
        raise FileInputError(shown, f"is a directory, not a {what}", f"give the path of one {what}")
    if not stat.S_ISREG(info.st_mode):
        raise FileInputError(shown, f"is not a regular file (a device, pipe or socket), not a {what}", f"give the path of a {what}")
    if info.st_size > limit:
        raise FileInputError(shown, f"the {what} is {_size(info.st_size)}, more than the {_size(limit)} whichai reads",
                             f"split it into smaller files, or check that this is the {what} you meant")
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except PermissionError as exc:
        raise FileInputError(shown, f"the {what} cannot be read (permission denied)", f"make it readable, e.g. chmod u+r {shown}") from exc
    except OSError as exc:
        raise FileInputError(shown, f"the {what} cannot be read ({exc.strerror or exc})", "check the file and the disk") from exc
    if len(data) > limit:  # it grew while we looked
        raise FileInputError(shown, f"the {what} is more than the {_size(limit)} whichai reads", "split it into smaller files")
    return data


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def number_problem(value: Any) -> str | None:
    """Why ``value`` (an int or float) is not an acceptable number, or None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return f"the number {value!r} is not finite"
    if abs(value) > MAX_NUMBER:
        return f"the number {_short(value)} is out of range (beyond ±{MAX_NUMBER:g})"
    return None


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 30 else text[:12] + "…" + text[-6:] + f" ({len(text)} digits)"


def check_numbers(data: Any, path: str, depth: int = 0) -> None:
    """Refuse non-finite or out-of-range numbers, and nesting deeper than ``MAX_DEPTH``, in parsed data."""
    if depth > MAX_DEPTH:
        raise FileInputError(path, f"is nested more than {MAX_DEPTH} levels deep", "flatten the structure")
    if isinstance(data, dict):
        for value in data.values():
            check_numbers(value, path, depth + 1)
    elif isinstance(data, list):
        for value in data:
            check_numbers(value, path, depth + 1)
    else:
        problem = number_problem(data)
        if problem:
            raise FileInputError(path, problem, NUMBER_FIX)


class _Bounded:
    """The bounds of the module doc, hooked into PyYAML's Python composer and constructor: alias expansion
    and nesting depth counted as nodes are composed, numbers checked as they are constructed. Mixed into a
    loader whose composer and constructor are PyYAML's Python ones (the bases of :class:`SafeLoader` and
    :class:`PackagedLoader`)."""

    path: str = "<yaml>"
    _depth: int
    _aliases: int

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):  # type: ignore[attr-defined]
            self._aliases += 1
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[attr-defined]
                raise FileInputError(self.path, f"is nested more than {MAX_DEPTH} levels deep", "flatten the structure", line=mark.line + 1)
            return super().compose_node(parent, index)  # type: ignore[misc]
        finally:
            self._depth -= 1

    def get_single_node(self) -> Any:
        node = super().get_single_node()  # type: ignore[misc]
        if node is not None and self._aliases:
            _check_expansion(self.path, node)
        return node

    def construct_yaml_int(self, node: yaml.ScalarNode) -> Any:
        digits = sum(ch.isdigit() for ch in str(node.value))
        if digits > MAX_DIGITS:
            raise FileInputError(self.path, f"the number {_short(node.value)} has {digits} digits", NUMBER_FIX, line=node.start_mark.line + 1)
        return self._checked(super().construct_yaml_int(node), node)  # type: ignore[misc]

    def construct_yaml_float(self, node: yaml.ScalarNode) -> Any:
        return self._checked(super().construct_yaml_float(node), node)  # type: ignore[misc]

    def _checked(self, value: Any, node: yaml.ScalarNode) -> Any:
        problem = number_problem(value)
        if problem:
            raise FileInputError(self.path, problem, NUMBER_FIX, line=node.start_mark.line + 1)
        return value


class SafeLoader(_Bounded, yaml.SafeLoader):
    """``yaml.SafeLoader`` that bounds alias expansion, nesting depth and numbers (see the module doc): PyYAML's
    pure-Python reader, scanner and parser, whose error messages name the problem and the line in a user's words.

    Set ``path`` (shown in errors) before loading. Subclasses may add resolvers and constructors."""

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self._depth = 0
        self._aliases = 0


if yaml.__with_libyaml__:
    from yaml._yaml import CParser
    from yaml.composer import Composer
    from yaml.constructor import SafeConstructor
    from yaml.resolver import Resolver

    class PackagedLoader(_Bounded, Composer, CParser, SafeConstructor, Resolver):
        """The same bounds for the data whichai ships or downloads, about 8x faster: libyaml scans and parses
        (in C, without recursion: its nesting lives in heap stacks), while composing and constructing stay in
        PyYAML's Python composer and constructor, where the bounds are hooked. ``yaml.CSafeLoader`` composes
        in C too, so the alias and depth counts would never run; this loader keeps every one of them."""

        def __init__(self, stream: Any) -> None:
            CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)
            self._depth = 0
            self._aliases = 0
else:  # a PyYAML built without libyaml: the pure-Python loader, bounds and all
    PackagedLoader = SafeLoader  # type: ignore[misc]


for _loader in (SafeLoader, PackagedLoader):
    _loader.add_constructor("tag:yaml.org,2002:int", _loader.construct_yaml_int)
    _loader.add_constructor("tag:yaml.org,2002:float", _loader.construct_yaml_float)


def _check_expansion(path: str, root: yaml.Node) -> None:
    """Refuse a document whose aliases would add more than ``MAX_ALIAS_NODES`` nodes when expanded."""
    sizes: dict[int, int] = {}
    unique: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    active: set[int] = set()
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            active.discard(key)
            children = _children(node)
            sizes[key] = 1 + sum(sizes[id(c)] for c in children)
            expanded = sizes[key]
            if expanded - len(unique) > MAX_ALIAS_NODES:
                raise FileInputError(path, f"its aliases (*name) expand to more than {expanded:,} nodes",
                                     "write the repeated parts out, or use fewer nested aliases",
                                     line=node.start_mark.line + 1)
            continue
        if key in sizes:
            continue
        if key in active:
            raise FileInputError(path, "an alias refers to the mapping or list that contains it (a recursive alias)",
                                 "remove the recursive *alias", line=node.start_mark.line + 1)
        active.add(key)
        unique.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) not in sizes:
                stack.append((child, False))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def yaml_error(path: str, exc: yaml.YAMLError) -> FileInputError:
    """One clear :class:`FileInputError` for a PyYAML syntax error, with its line."""
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        problem = str(exc.problem or exc.context or "syntax error")
        if exc.context and exc.problem:
            started = ""
            if exc.context_mark and mark is not None and exc.context_mark.line != mark.line:
                started = f" started at line {exc.context_mark.line + 1}"
            problem += f" ({exc.context}{started})"
        fix = "check indentation and quoting near that line (quote text containing ': ', '#', '[' or '{')"
        if "'\\t'" in problem:
            fix = "indent with spaces, not tabs"
        return FileInputError(path, f"invalid YAML: {problem}", fix, line=mark.line + 1 if mark else None)
    return FileInputError(path, f"invalid YAML: {exc}", "check the file's syntax")


def parse(text: str, path: str | Path = "<yaml>", loader: Callable[[str], Any] = SafeLoader) -> tuple[Any, yaml.Node | None]:
    """Parse one YAML document safely: ``(data, root node)``; the node gives line numbers for errors. ``loader``:
    :class:`SafeLoader` or a subclass, or :class:`PackagedLoader`.

    Any problem, syntax or safety, is a :class:`FileInputError` naming ``path`` and the line."""
    try:
        instance = loader(text)
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, found before parsing starts
        line = text[: exc.position].count("\n") + 1 if isinstance(exc.position, int) else None
        raise FileInputError(str(path), f"contains the character U+{exc.character:04X}, which YAML does not allow in a file",
                             'remove it, or write it as an escape inside double quotes (e.g. "\\e" for ESC)', line=line) from exc
    instance.path = str(path)
    try:
        node = instance.get_single_node()
        data = instance.construct_document(node) if node is not None else None
        return data, node
    except yaml.YAMLError as exc:
        raise yaml_error(str(path), exc) from exc
    except RecursionError as exc:  # defence in depth: MAX_DEPTH keeps far below the stack limit
        raise FileInputError(str(path), "is nested too deeply", "flatten the structure") from exc
    finally:
        instance.dispose()


def load_file(path: str | Path, what: str = "file", limit: int = MAX_SMALL_BYTES) -> tuple[Any, yaml.Node | None]:
    """Read (capped) and parse a UTF-8 YAML file safely: ``(data, root node)``."""
    p = Path(path).expanduser()
    raw = read_capped(p, limit, what)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise FileInputError(str(p), f"the {what} is not UTF-8 text", "save it as UTF-8", line=line) from exc
    return parse(text, p)


def loads(text: str, what: str = "<yaml>") -> Any:
    """The data of YAML text from outside whichai (a config's value, a model's answer), parsed safely."""
    return parse(text, what)[0]


def load_packaged(path: str | Path) -> Any:
    """The data of a YAML file whichai ships (``catalog/curated/``) or its catalog update downloaded:
    read whole (no size cap), parsed with the same bounds by :class:`PackagedLoader` (libyaml's parser);
    a problem is a FileInputError naming it."""
    return loads_packaged(Path(path).read_text(encoding="utf-8"), path)


def loads_packaged(text: str, what: str | Path) -> Any:
    """The data of YAML text whichai ships or downloads (``what`` names it in errors), as :func:`load_packaged`."""
    return parse(text, what, PackagedLoader)[0]
