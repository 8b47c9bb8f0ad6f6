"""The needs profile: what the user needs and what resources they have, validated, with defaults.

A profile is a YAML file (or a built-in example, by name). Every field has a sensible default, so
the smallest valid profile is an empty file. Errors name the file and the line of the bad field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from whichai.criteria import CRITERION_IDS
from whichai.errors import FileInputError, InputError

Sensitivity = Literal["public", "internal", "confidential", "regulated"]
DataMayGo = Literal["nowhere", "zero-retention-vendor", "anywhere"]
Deployment = Literal["cloud", "on-premises", "air-gapped", "edge"]
Skill = Literal["none", "some", "strong"]
SupportNeed = Literal["none", "helpful", "sla-required"]
CustomiseNeed = Literal["none", "nice", "must"]
OpennessNeed = Literal["closed", "open-weights", "open-source"]  # the minimum openness class; "closed" = no requirement

OPENNESS_RANK = {"closed": 0, "open-weights": 1, "open-source": 2}
HOURS_PER_MONTH = 730.0


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Volume(_Strict):
    requests_per_month: float = Field(10_000, ge=0)
    input_tokens_per_request: float = Field(500, ge=0)
    output_tokens_per_request: float = Field(250, ge=0)

    def tokens_per_month(self) -> float:
        return self.requests_per_month * (self.input_tokens_per_request + self.output_tokens_per_request)


class GPU(_Strict):
    name: str = "GPU"
    memory_gb: float = Field(gt=0)
    count: int = Field(1, ge=1)
    memory_bandwidth_gbps: float | None = Field(None, gt=0)  # estimated from the name when absent


class OwnedHardware(_Strict):
    """Hardware the user has. ``purchase_usd`` 0 means it is already paid for (a sunk cost)."""

    cpu_cores: int = Field(8, ge=1)
    ram_gb: float = Field(16, gt=0)
    gpus: list[GPU] = []
    purchase_usd: float = Field(0, ge=0)
    amortisation_months: int = Field(36, ge=1)
    power_watts: float | None = Field(None, ge=0)  # estimated from the hardware when absent
    electricity_usd_per_kwh: float = Field(0.15, ge=0)
    memory_bandwidth_gbps: float | None = Field(None, gt=0)  # of the CPU memory; estimated when absent

    def gpu_memory_gb(self) -> float:
        return sum(g.memory_gb * g.count for g in self.gpus)

    def gpu_count(self) -> int:
        return sum(g.count for g in self.gpus)


class RentedGPU(_Strict):
    """A GPU the user can rent by the hour (in a cloud). Several are rented when a model needs them."""

    gpu: str = "NVIDIA H100 80GB"
    memory_gb: float = Field(80, gt=0)
    usd_per_hour: float = Field(2.5, ge=0)
    memory_bandwidth_gbps: float | None = Field(None, gt=0)
    always_on: bool = False  # True: billed all month (a server kept up for latency), not only the hours the volume needs


class Profile(_Strict):
    name: str = "default"
    description: str = ""
    use_case: str = ""
    task: str | None = None  # a built-in task name or a task file measured for this profile
    commercial: bool = True  # the use is commercial (a licence forbidding commercial use then excludes)
    accept_use_restrictions: bool = True  # False: licences with use restrictions (e.g. Llama community licence) exclude
    volume: Volume = Volume()
    budget_usd_per_month: float | None = Field(None, ge=0)
    cost_reference_usd: float = Field(100, gt=0)  # the monthly cost that scores 0.5 on `cost` when no budget is given
    data_sensitivity: Sensitivity = "internal"
    data_may_go: DataMayGo = "anywhere"
    sensitive_share: float = Field(1.0, ge=0, le=1)  # share of requests carrying the sensitive data (<1 allows a hybrid)
    deployment: Deployment = "cloud"
    hardware: OwnedHardware | None = OwnedHardware()
    rent: RentedGPU | None = RentedGPU()
    team_skill: Skill = "some"
    ops_hourly_rate_usd: float = Field(60, ge=0)
    ops_hours_per_month: float | None = Field(None, ge=0)  # derived from team_skill when absent
    support: SupportNeed = "helpful"
    customise: CustomiseNeed = "none"
    min_openness: OpennessNeed = "closed"
    languages: list[str] = ["en"]
    latency_target_s: float | None = Field(None, gt=0)
    min_quality: float | None = Field(None, ge=0, le=1)  # minimum pass rate measured on the user's task
    weights: dict[str, float] = {}  # optional explicit weights on the ten criteria (any positive scale)

    @field_validator("weights")
    @classmethod
    def _known_criteria(cls, value: dict[str, float]) -> dict[str, float]:
        for key, weight in value.items():
            if key not in CRITERION_IDS:
                raise ValueError(f"unknown criterion {key!r}; the criteria are: {', '.join(CRITERION_IDS)}")
            if weight < 0:
                raise ValueError(f"weight of {key!r} must be >= 0")
        return value

    @field_validator("languages")
    @classmethod
    def _lower(cls, value: list[str]) -> list[str]:
        return [v.strip().lower() for v in value if v.strip()]

    def data_leaves_premises_allowed(self) -> bool:
        return self.data_may_go != "nowhere" and self.deployment == "cloud"


# loading -------------------------------------------------------------------------------------------

PROFILES_DIR = Path(__file__).with_name("profiles")


def _line_of(node: Any, loc: tuple) -> int | None:
    """1-based line of the YAML node at ``loc`` (pydantic's error location), as deep as it resolves."""
    import yaml

    line = node.start_mark.line + 1 if node is not None else None
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            found = None
            for k, v in node.value:
                if k.value == key:
                    found = (k, v)
                    break
            if found is None:
                break
            line = found[0].start_mark.line + 1
            node = found[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            break
    return line


def parse_profile(text: str, path: str | Path = "<profile>") -> Profile:
    """Validate a profile from YAML text; errors name ``path`` and the line."""
    import yaml

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise FileInputError(path, f"not valid YAML ({problem}).", "fix the YAML syntax on that line.", line=line) from exc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise FileInputError(path, "a profile must be a mapping of fields (key: value).", "see `whichai profile examples`.", line=1)
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err.get("loc", ()))
        field = ".".join(str(p) for p in loc) or "profile"
        msg = err.get("msg", "invalid")
        if err.get("type") == "extra_forbidden":
            msg = "unknown field"
        line = _line_of(root, loc)
        more = f" (and {len(exc.errors()) - 1} more problem(s))" if len(exc.errors()) > 1 else ""
        raise FileInputError(
            path, f"field `{field}`: {msg}{more}.", "correct the value; `whichai profile examples` shows valid profiles.", line=line
        ) from exc


def load_profile_file(path: str | Path) -> Profile:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise FileInputError(path, f"cannot read the profile ({exc.strerror}).", "pass an existing YAML file or a built-in name.") from exc
    except UnicodeDecodeError as exc:
        raise FileInputError(path, "the profile is not UTF-8 text.", "save it as UTF-8 YAML.") from exc
    return parse_profile(text, path)


def example_names() -> list[str]:
    return sorted(p.stem for p in PROFILES_DIR.glob("*.yaml"))


def example_profiles() -> dict[str, Profile]:
    """The built-in example profiles, by name."""
    return {name: load_profile_file(PROFILES_DIR / f"{name}.yaml") for name in example_names()}


def load_profile(name_or_path: str | Path | None) -> Profile:
    """A built-in profile by name, a YAML file by path, or the default profile for None."""
    if name_or_path is None or name_or_path == "default":
        return Profile()
    text = str(name_or_path)
    builtin = PROFILES_DIR / f"{text}.yaml"
    if "/" not in text and "\\" not in text and not text.endswith((".yaml", ".yml")) and builtin.exists():
        return load_profile_file(builtin)
    path = Path(text)
    if path.exists():
        return load_profile_file(path)
    raise InputError(
        f"no profile named {text!r} and no such file. Fix: pass a YAML file or one of: default, {', '.join(example_names())}."
    )


def dump_profile(profile: Profile) -> str:
    """YAML text of a profile (only what differs from the defaults, plus its name)."""
    import yaml

    data = profile.model_dump(mode="json", exclude_defaults=True)
    data = {"name": profile.name, **{k: v for k, v in data.items() if k != "name"}}
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
