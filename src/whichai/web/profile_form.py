"""The dashboard's profile form: one input per profile field, derived from the Profile model itself.

The fields are read from :class:`whichai.decide.profile.Profile` (its pydantic fields, nested models
and lists), so the form covers every field the CLI accepts: volume, budget, data rules, the hardware
the user owns (with one row per GPU), the GPU they can rent, operations hours and hourly rate, the
weights on the ten criteria, languages, horizon, measured capacity. A submitted form starts from the
chosen base profile and overrides what was submitted; the result is validated by the same model as
a YAML file, and an error names the field. It is a GET form: a recommendation is a computation, and
its URL can be shared. Saving (a POST) writes YAML through :mod:`whichai.web.profiles`.
"""

from __future__ import annotations

import types
import typing
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, TypeGuard, Union, get_args, get_origin

from whichai.errors import InputError
from whichai.web.form_labels import LABELS, SECTION_OF, SECTIONS, field_label, section_name

if TYPE_CHECKING:
    from pydantic import BaseModel


class Field(NamedTuple):
    path: str  # dotted path into the profile; list rows carry their index (hardware.gpus.0.name)
    kind: str  # number | integer | text | choice | bool | list | variant | weight
    choices: tuple[str, ...] = ()
    optional: bool = False  # an empty input means "not given" (None)
    parent: str = ""  # the variant field this one belongs to ("hardware" for hardware.ram_gb)

    @property
    def key(self) -> str:
        """The label key: the path with row indices as ``*``."""
        return ".".join("*" if p.isdigit() else p for p in self.path.split("."))

    @property
    def section(self) -> str:
        return SECTION_OF.get(self.path.split(".", 1)[0], "other")


CUSTOM, NONE = "custom", "none"
KEY = "_key"  # the input holding the key of an entry in a mapping of entries (prices.0._key: the model id)


def keyed_fields(model: type[BaseModel] | None = None) -> list[str]:
    """Top-level fields that map keys to entries (``prices: {model id: {...}}``): the form shows them as rows."""
    if model is None:
        from whichai.decide.profile import Profile

        model = Profile
    out = []
    for name, annotation in _hints(model).items():
        args, _ = _split(annotation)
        if name in model.model_fields and args and get_origin(args[0]) is dict:
            pair = get_args(args[0])
            if len(pair) == 2 and _is_model(pair[1]):
                out.append(name)
    return out


def _as_rows(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with each keyed mapping of entries as a list of rows carrying their key."""
    out = dict(data)
    for name in keyed_fields():
        if isinstance(out.get(name), dict):
            out[name] = [{KEY: k, **v} for k, v in out[name].items()]
    return out


def _as_mapping(data: dict[str, Any]) -> dict[str, Any]:
    for name in keyed_fields():
        if isinstance(data.get(name), list):
            data[name] = {row.pop(KEY): row for row in data[name] if row.get(KEY)}
    return data


def _is_model(tp: Any) -> TypeGuard[type[BaseModel]]:
    from pydantic import BaseModel

    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _split(annotation: Any) -> tuple[list[Any], bool]:
    """The alternatives of a (possibly Optional) annotation, and whether None is allowed."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = list(get_args(annotation))
    else:
        args = [annotation]
    nullable = type(None) in args
    return [a for a in args if a is not type(None)], nullable


def _literals(args: list[Any]) -> tuple[str, ...]:
    return tuple(str(v) for a in args if get_origin(a) is Literal for v in get_args(a))


def _hints(model: type) -> dict[str, Any]:
    return typing.get_type_hints(model)


def fields(model: type[BaseModel] | None = None, data: dict[str, Any] | None = None, prefix: str = "", parent: str = "") -> list[Field]:
    """The form's fields for ``model`` (default: Profile); ``data`` (a profile as JSON) sets how many rows
    each list of entries gets (its entries, plus one empty row to add another)."""
    if model is None:
        from whichai.decide.profile import Profile

        model = Profile
    data = data or {}
    out: list[Field] = []
    for name, annotation in _hints(model).items():
        if name not in model.model_fields:
            continue
        out += _field(f"{prefix}{name}", annotation, data.get(name), parent)
    return out


def _field(path: str, annotation: Any, value: Any, parent: str) -> list[Field]:
    args, nullable = _split(annotation)
    models = [a for a in args if _is_model(a)]
    literals = _literals(args)
    if models:
        choices = literals + (CUSTOM,) + ((NONE,) if nullable else ())
        head = [Field(path, "variant", choices, False, parent)] if len(choices) > 1 else []
        sub = value if isinstance(value, dict) else {}
        return head + fields(models[0], sub, path + ".", path if head else parent)
    if literals:
        return [Field(path, "choice", literals + (("",) if nullable else ()), nullable, parent)]
    tp = args[0] if args else str
    origin = get_origin(tp)
    if origin is list:
        (item,) = get_args(tp) or (str,)
        if _is_model(item):
            items = value if isinstance(value, list) else []
            return [f for i in range(len(items) + 1)
                    for f in fields(item, items[i] if i < len(items) and isinstance(items[i], dict) else {}, f"{path}.{i}.", parent)]
        return [Field(path, "list", (), nullable, parent)]
    if origin is dict:
        item = get_args(tp)[1] if len(get_args(tp)) == 2 else float
        if _is_model(item):  # entries by key (prices by model id): rows with the key as their first input
            items = value if isinstance(value, list) else []
            return [f for i in range(len(items) + 1)
                    for f in [Field(f"{path}.{i}.{KEY}", "text", (), True, parent)]
                    + fields(item, items[i] if i < len(items) else {}, f"{path}.{i}.", parent)]
        from whichai.criteria import CRITERION_IDS

        return [Field(f"{path}.{cid}", "weight", (), True, parent) for cid in CRITERION_IDS]
    kind = {bool: "bool", int: "integer", float: "number"}.get(tp, "text")
    return [Field(path, kind, ("true", "false") if kind == "bool" else (), nullable, parent)]


def label(field: Field, lang: str) -> str:
    if field.key not in LABELS:
        return field.path
    return field_label(field.key, lang)


def section_label(section: str, lang: str) -> str:
    return section_name(section, lang) if section in SECTIONS else section


def grouped(form_fields: list[Field]) -> list[tuple[str, list[Field]]]:
    """The fields by section, in the order of :data:`SECTIONS`."""
    order = list(SECTIONS) + ["other"]
    groups: dict[str, list[Field]] = {}
    for f in form_fields:
        groups.setdefault(f.section, []).append(f)
    return [(s, groups[s]) for s in order if s in groups]


def _get(data: Any, path: str) -> Any:
    for key in path.split("."):
        if isinstance(data, dict):
            data = data.get(key)
        elif isinstance(data, list) and key.isdigit() and int(key) < len(data):
            data = data[int(key)]
        else:
            return None
    return data


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def form_values(profile: Any) -> tuple[list[Field], dict[str, str]]:
    """The form's fields for ``profile`` and their current values (as strings)."""
    data = _as_rows(profile.model_dump(mode="json"))
    form_fields = fields(None, data)
    values: dict[str, str] = {}
    for f in form_fields:
        value = _get(data, f.path)
        if f.kind == "variant":
            values[f.path] = NONE if value is None else (value if isinstance(value, str) else CUSTOM)
        else:
            values[f.path] = _text(value)
    return form_fields, values


def _convert(f: Field, raw: str) -> Any:
    """A submitted string as the field's value (None for an empty optional). InputError names the field."""
    name = LABELS.get(f.key, (f.path,))[0]
    if f.kind in ("number", "integer", "weight"):
        if raw == "":
            return None
        try:
            number = float(raw)
        except ValueError as exc:
            raise InputError(f"{name} ({f.path}): {raw!r} is not a number. Fix: enter a number.") from exc
        if f.kind == "integer":
            if not number.is_integer():
                raise InputError(f"{name} ({f.path}): {raw!r} is not a whole number. Fix: enter a whole number.")
            return int(number)
        return number
    if f.kind in ("choice", "bool", "variant"):
        if raw not in f.choices:
            raise InputError(f"{name} ({f.path}): {raw!r} is not one of: {', '.join(c or '(none)' for c in f.choices)}.")
        if f.kind == "bool":
            return raw == "true"
        return None if raw == "" else raw
    if f.kind == "list":
        return [p.strip() for p in raw.split(",") if p.strip()]
    return None if (raw == "" and f.optional) else raw


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    keys = path.split(".")
    for key in keys[:-1]:
        if not isinstance(data.get(key), dict):
            data[key] = {}
        data = data[key]
    data[keys[-1]] = value


def _rows_shape(params: dict[str, str]) -> dict[str, Any]:
    """A skeleton of the submitted lists of entries (``a.b.3.c`` -> a.b gets 4 rows), to size the fields."""
    shape: dict[str, Any] = {}
    for key in params:
        parts = key.split(".")
        for i, part in enumerate(parts):
            if part.isdigit() and i > 0:
                node = shape
                for p in parts[: i - 1]:
                    node = node.setdefault(p, {})
                rows = node.setdefault(parts[i - 1], [])
                if isinstance(rows, list):
                    rows.extend({} for _ in range(int(part) + 1 - len(rows)))
                break
    return shape


def _list_of(path: str) -> str | None:
    """``hardware.gpus`` for ``hardware.gpus.0.name``; None when the path is in no list of entries."""
    parts = path.split(".")
    for i, part in enumerate(parts):
        if part.isdigit():
            return ".".join(parts[:i])
    return None


def _apply_rows(data: dict[str, Any], form_fields: list[Field], params: dict[str, str]) -> set[str]:
    """Rebuild each submitted list of entries from its rows (rows left empty are dropped); the paths done."""
    lists: dict[str, dict[int, dict[str, Any]]] = {}
    for f in form_fields:
        owner = _list_of(f.path)
        if owner is None or f.path not in params:
            continue
        index, leaf = f.path[len(owner) + 1 :].split(".", 1)
        value = _convert(f, params[f.path].strip())
        row = lists.setdefault(owner, {}).setdefault(int(index), {})
        if value not in (None, "", []):
            _set(row, leaf, value)
    for owner, rows in lists.items():
        if _variant_off(data, owner):
            continue
        _set(data, owner, [rows[i] for i in sorted(rows) if rows[i]])
    return set(lists)


def _variant_off(data: dict[str, Any], path: str) -> bool:
    """True when ``path`` lies under a variant (e.g. ``hardware``) that is not a custom entry."""
    parent = path.split(".", 1)[0]
    return parent != path and not isinstance(data.get(parent), dict)


def profile_from_form(base: Any, params: dict[str, str]) -> Any:
    """``base`` (a Profile) with the submitted fields applied. Raises InputError naming the field."""
    from pydantic import ValidationError

    from whichai.decide.profile import Profile

    data = _as_rows(base.model_dump(mode="json"))
    form_fields = fields(None, {**data, **_rows_shape(params)})
    for f in [f for f in form_fields if f.kind == "variant" and f.path in params]:
        choice = _convert(f, params[f.path].strip())
        if choice == CUSTOM:
            if not isinstance(_get(data, f.path), dict):
                _set(data, f.path, {})
        else:
            _set(data, f.path, None if choice == NONE else choice)
    done = _apply_rows(data, form_fields, params)
    weights = [f for f in form_fields if f.kind == "weight" and f.path in params]
    if weights:
        given = {f.path.rsplit(".", 1)[1]: _convert(f, params[f.path].strip()) for f in weights}
        data["weights"] = {k: v for k, v in given.items() if v is not None}
    for f in form_fields:
        if f.path not in params or f.kind in ("variant", "weight") or _list_of(f.path) in done or _variant_off(data, f.path):
            continue
        value = _convert(f, params[f.path].strip())
        if value is None and not f.optional:
            continue  # an emptied field that cannot be None keeps the base value
        _set(data, f.path, value)
    try:
        return Profile.model_validate(_as_mapping(data))
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err.get("loc", ()))
        raise InputError(f"{where}: {err.get('msg', 'invalid')}. Fix: correct that field.") from exc
