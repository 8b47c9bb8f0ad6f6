"""The profile form of the dashboard: which fields it shows, and how a submitted form becomes a Profile.

The form starts from a built-in example (or the default profile) and overrides the fields the user
changed. It is a GET form: a recommendation is a computation, not a change, and its URL can be shared.
Validation errors come back as one message naming the field, as everywhere in whichai.
"""

from __future__ import annotations

from typing import Any, NamedTuple


class Field(NamedTuple):
    path: str  # dotted path into the profile
    en: str
    id_: str
    kind: str  # number | choice | text | list
    choices: tuple[str, ...] = ()


FIELDS: tuple[Field, ...] = (
    Field("volume.requests_per_month", "Requests per month", "Permintaan per bulan", "number"),
    Field("volume.input_tokens_per_request", "Input tokens per request", "Token masukan per permintaan", "number"),
    Field("volume.output_tokens_per_request", "Output tokens per request", "Token keluaran per permintaan", "number"),
    Field("budget_usd_per_month", "Budget (USD / month)", "Anggaran (USD / bulan)", "number"),
    Field("data_sensitivity", "Data sensitivity", "Sensitivitas data", "choice", ("public", "internal", "confidential", "regulated")),
    Field("data_may_go", "Data may go", "Data boleh dikirim ke", "choice", ("anywhere", "zero-retention-vendor", "nowhere")),
    Field("deployment", "Deployment", "Penerapan", "choice", ("cloud", "on-premises", "air-gapped", "edge")),
    Field("team_skill", "Team skill at running models", "Keahlian tim menjalankan model", "choice", ("none", "some", "strong")),
    Field("support", "Vendor support", "Dukungan vendor", "choice", ("none", "helpful", "sla-required")),
    Field("customise", "Customisation (fine-tuning)", "Kustomisasi (fine-tuning)", "choice", ("none", "nice", "must")),
    Field("min_openness", "Minimum openness", "Keterbukaan minimum", "choice", ("closed", "open-weights", "open-source")),
    Field("languages", "Languages", "Bahasa", "list"),
    Field("min_quality", "Minimum pass rate (0-1)", "Tingkat lulus minimum (0-1)", "number"),
    Field("latency_target_s", "Latency target (s)", "Target latensi (dtk)", "number"),
)


def label(field: Field, lang: str) -> str:
    return field.id_ if lang == "id" else field.en


def _get(data: dict[str, Any], path: str) -> Any:
    for key in path.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    keys = path.split(".")
    for key in keys[:-1]:
        if not isinstance(data.get(key), dict):
            data[key] = {}
        data = data[key]
    data[keys[-1]] = value


def form_values(profile: Any) -> dict[str, str]:
    """The form's current values (as strings) from a profile."""
    data = profile.model_dump(mode="json")
    values = {}
    for f in FIELDS:
        v = _get(data, f.path)
        if f.kind == "list":
            values[f.path] = ", ".join(v or [])
        elif v is None:
            values[f.path] = ""
        elif isinstance(v, float) and v.is_integer():
            values[f.path] = str(int(v))
        else:
            values[f.path] = str(v)
    return values


def profile_from_form(base: str | None, params: dict[str, str]) -> Any:
    """The base profile with the submitted fields applied. Raises InputError naming the field."""
    from pydantic import ValidationError

    from whichai.decide.profile import Profile, load_profile
    from whichai.errors import InputError

    data = load_profile(base or None).model_dump(mode="json")
    for f in FIELDS:
        if f.path not in params:
            continue
        raw = params[f.path].strip()
        if f.kind == "number":
            if raw == "":
                value: Any = None
            else:
                try:
                    value = float(raw)
                except ValueError as exc:
                    raise InputError(f"{f.en}: {raw!r} is not a number. Fix: enter a number.") from exc
        elif f.kind == "list":
            value = [p.strip() for p in raw.split(",") if p.strip()]
        elif f.kind == "choice":
            if raw not in f.choices:
                raise InputError(f"{f.en}: {raw!r} is not one of {', '.join(f.choices)}.")
            value = raw
        else:
            value = raw
        if value is None and _get(Profile().model_dump(mode="json"), f.path) is not None:
            continue  # an emptied field that cannot be None keeps the base value
        _set(data, f.path, value)
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err.get("loc", ()))
        raise InputError(f"{where}: {err.get('msg', 'invalid')}. Fix: correct that field.") from exc
