"""The needs profile: what the user needs and what resources they have, validated, with defaults.

A profile is a YAML file (or a built-in example, by name). Every field has a sensible default, so
the smallest valid profile is an empty file. Errors name the file and the line of the bad field, and
suggest the field meant when a name is misspelt. Every number is finite and bounded (no ``.inf``,
NaN, ``1e308`` or 5000-digit integers); YAML aliases and deep nesting are refused.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from whichai.criteria import CRITERION_IDS
from whichai.errors import FileInputError, InputError, did_you_mean

Sensitivity = Literal["public", "internal", "confidential", "regulated"]
DataMayGo = Literal["nowhere", "zero-retention-vendor", "anywhere"]
Deployment = Literal["cloud", "on-premises", "air-gapped", "edge"]
Skill = Literal["none", "some", "strong"]
Availability = Literal["always_on", "business_hours", "batch"]

# The fields whose default can change a verdict: `whichai profile show` and the questionnaire list the
# ones a profile leaves to its default, and the explanation names one when it decided the verdict.
VERDICT_DEFAULTS = ("volume", "budget_usd_per_month", "data_may_go", "deployment", "hardware", "rent", "availability",
                    "team_skill", "ops_hourly_rate_usd", "languages", "support", "min_openness")


def defaulted_fields(profile: Profile) -> list[str]:
    """The fields of :data:`VERDICT_DEFAULTS` this profile does not set (their defaults apply). A field the
    profile sets to the default's value is set: someone chose it (the questionnaire's "16" GB of RAM is
    an answer, not a default nobody set; :func:`dump_profile` keeps such fields in the file)."""
    return [name for name in VERDICT_DEFAULTS if name not in profile.model_fields_set]
SupportNeed = Literal["none", "helpful", "sla-required"]
CustomiseNeed = Literal["none", "nice", "must"]
OpennessNeed = Literal["closed", "open-weights", "open-source"]  # the minimum openness class; "closed" = no requirement

TaskKind = Literal["chat", "reasoning", "code"]

OPENNESS_RANK = {"closed": 0, "open-weights": 1, "open-source": 2}
HOURS_PER_MONTH = 730.0  # 365 × 24 / 12
MAX_BYTES = 256 * 1024  # a profile is a few hundred bytes; anything this big is not one
MAX_DEPTH = 12  # the deepest real profile nests 4 levels
MAX_NODES = 5000
BIG = 1e12  # the largest count or amount a profile may state (USD, requests, watts ...)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class _Frozen(_Strict):
    """A part of the profile that decide's rules take as an answer: immutable, and equal parts hash equal
    (the rules' results are cached on the answers they read)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, frozen=True)

    def __hash__(self) -> int:
        return hash((type(self), *(tuple(v) if isinstance(v, list) else v for v in self.__dict__.values())))


class Volume(_Strict):
    requests_per_month: float = Field(10_000, ge=0, le=BIG)
    input_tokens_per_request: float = Field(500, ge=0, le=1e8)
    output_tokens_per_request: float = Field(250, ge=0, le=1e8)

    def tokens_per_month(self) -> float:
        return self.requests_per_month * (self.input_tokens_per_request + self.output_tokens_per_request)


class GPU(_Frozen):
    name: str = Field("GPU", max_length=200)
    memory_gb: float = Field(gt=0, le=1e5)
    count: int = Field(1, ge=1, le=4096)
    memory_bandwidth_gbps: float | None = Field(None, gt=0, le=1e6)  # estimated from the name when absent


THIS_MACHINE = "this-machine"


class OwnedHardware(_Frozen):
    """Hardware the user has. ``purchase_usd`` 0 means it is already paid for (a sunk cost).

    ``this_machine``: the machine whichai runs on (``hardware: this-machine`` in YAML; RAM and CPU
    cores are read from it). Only then does a local model's throughput measured in a run cost
    a deployment; elsewhere that figure is an estimate.
    """

    name: str | None = Field(None, max_length=200)  # names the hardware a capacity figure was measured on
    this_machine: bool = False
    cpu_cores: int = Field(8, ge=1, le=100_000)
    ram_gb: float = Field(16, gt=0, le=1e6)
    gpus: list[GPU] = Field([], max_length=64)
    purchase_usd: float = Field(0, ge=0, le=BIG)
    amortisation_months: int = Field(36, ge=1, le=600)
    power_watts: float | None = Field(None, ge=0, le=1e8)  # estimated from the hardware when absent
    electricity_usd_per_kwh: float = Field(0.15, ge=0, le=100)
    memory_bandwidth_gbps: float | None = Field(None, gt=0, le=1e6)  # of the CPU memory; estimated when absent
    hours_per_month: float = Field(HOURS_PER_MONTH, gt=0, le=744)  # the most hours a month it may run

    @model_validator(mode="before")
    @classmethod
    def _detect(cls, value: Any) -> Any:
        if value == THIS_MACHINE:
            value = {"this_machine": True}
        if isinstance(value, dict) and value.get("this_machine") is True:
            from whichai.catalog.hardware import this_machine

            detected = this_machine()
            value = {"name": THIS_MACHINE, **detected, **value}
        return value

    def gpu_memory_gb(self) -> float:
        return sum(g.memory_gb * g.count for g in self.gpus)

    def gpu_count(self) -> int:
        return sum(g.count for g in self.gpus)


class RentedGPU(_Frozen):
    """A GPU the user can rent by the hour (in a cloud). Several are rented when a model needs them."""

    gpu: str = Field("NVIDIA H100 80GB", max_length=200)
    memory_gb: float = Field(80, gt=0, le=1e5)
    usd_per_hour: float = Field(2.5, ge=0, le=1e6)
    memory_bandwidth_gbps: float | None = Field(None, gt=0, le=1e6)
    always_on: bool = False  # True: billed all month whatever the profile's availability (a server kept up for latency)


class Capacity(_Strict):
    """Throughput of a model on the user's hardware, measured elsewhere (a load test, a paper)."""

    model: str = Field(min_length=1, max_length=300)
    tokens_per_s: float = Field(gt=0, le=1e9)  # input + output tokens a second, all streams together
    source: str = Field(min_length=1, max_length=500)  # where the figure comes from
    hardware: str | None = Field(None, max_length=200)  # what it ran on (shown with the figure)


class PriceOverride(_Frozen):
    """An API price the user pays (a negotiated rate, a newer list price), USD per million tokens."""

    input: float = Field(ge=0, le=1e6)
    output: float = Field(ge=0, le=1e6)
    source: str = Field("profile", min_length=1, max_length=500)


class Profile(_Strict):
    name: str = "default"
    description: str = ""
    use_case: str = ""
    task: str | None = None  # a built-in task name or a task file measured for this profile
    commercial: bool = True  # the use is commercial (a licence forbidding commercial use then excludes)
    accept_use_restrictions: bool = True  # False: licences with use restrictions (e.g. Llama community licence) exclude
    volume: Volume = Volume()
    budget_usd_per_month: float | None = Field(None, ge=0, le=BIG)
    cost_reference_usd: float = Field(100, gt=0, le=BIG)  # the monthly cost that scores 0.5 on `cost` when no budget is given
    data_sensitivity: Sensitivity = "internal"
    data_may_go: DataMayGo = "anywhere"
    sensitive_share: float = Field(1.0, ge=0, le=1)  # share of requests carrying the sensitive data (<1 allows a hybrid)
    deployment: Deployment = "cloud"
    hardware: OwnedHardware | None = OwnedHardware()
    rent: RentedGPU | None = RentedGPU()
    # When the service must answer: always_on (a service customers use: a rented GPU is billed all month),
    # business_hours (billed BUSINESS_HOURS_PER_MONTH at least) or batch (billed the hours the volume needs,
    # each begun hour in full). Rented GPUs are billed by the hour, never by the minute.
    availability: Availability = "always_on"
    team_skill: Skill = "some"
    ops_hourly_rate_usd: float = Field(60, ge=0, le=1e5, validation_alias=AliasChoices("ops_hourly_rate_usd", "ops_hourly_usd"))
    ops_hours_per_month: float | None = Field(None, ge=0, le=744)  # from the operations rule (docs/method.md) when absent
    support: SupportNeed = "helpful"
    customise: CustomiseNeed = "none"
    min_openness: OpennessNeed = "closed"
    languages: list[str] = Field(["en"], max_length=50)
    task_kind: TaskKind = "chat"  # what the work is: a code model leads only a code task
    horizon_months: float = Field(6, ge=0, le=120)  # a model shutting down within this loses on `updates`
    latency_target_s: float | None = Field(None, gt=0, le=86_400)
    min_quality: float | None = Field(None, ge=0, le=1)  # minimum pass rate measured on the user's task
    weights: dict[str, float] = {}  # optional explicit weights on the ten criteria (any positive scale)
    capacity: list[Capacity] = Field([], max_length=1000)  # measured throughput of models on your hardware
    prices: dict[str, PriceOverride] = {}  # API prices you pay, by model id (replace the catalog's)

    @field_validator("weights")
    @classmethod
    def _known_criteria(cls, value: dict[str, float]) -> dict[str, float]:
        for key, weight in value.items():
            if key not in CRITERION_IDS:
                raise ValueError(f"unknown criterion {key!r}; the criteria are: {', '.join(CRITERION_IDS)}")
            if not 0 <= weight <= 1e6:
                raise ValueError(f"weight of {key!r} must be from 0 to 1000000")
        return value

    @field_validator("languages")
    @classmethod
    def _lower(cls, value: list[str]) -> list[str]:
        return [v.strip().lower() for v in value if v.strip()]

    def data_leaves_premises_allowed(self) -> bool:
        return self.data_may_go != "nowhere" and self.deployment == "cloud"


# loading -------------------------------------------------------------------------------------------

PROFILES_DIR = Path(__file__).with_name("profiles")


def _line_of(node: Any, loc: tuple[Any, ...]) -> int | None:
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


def _yaml_tree(text: str, path: str | Path) -> tuple[Any, Any]:
    """(root node, plain data) of YAML text; refuses aliases, deep nesting and out-of-range integers."""
    import yaml

    if len(text) > MAX_BYTES:
        raise FileInputError(path, f"the profile is {len(text):,} characters long; a profile is a few hundred.",
                             f"keep it under {MAX_BYTES // 1024} KB (see `whichai profile examples`).")
    try:
        loader = yaml.SafeLoader(text)
    except yaml.YAMLError as exc:  # a character YAML does not allow (e.g. ESC), found before parsing starts
        raise FileInputError(path, f"not valid YAML ({getattr(exc, 'reason', None) or exc}).",
                             "remove control characters, or write them as escapes inside double quotes.") from exc
    try:
        root = loader.get_single_node()
        _check_tree(root, path)
        data = loader.construct_document(root) if root is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise FileInputError(path, f"not valid YAML ({problem}).", "fix the YAML syntax on that line.", line=line) from exc
    except RecursionError as exc:
        raise FileInputError(path, "the YAML nests too deeply.", f"a profile nests at most {MAX_DEPTH} levels.", line=1) from exc
    except ValueError as exc:  # int() beyond Python's digit limit, e.g. a 5000-digit integer
        raise FileInputError(path, f"a number is out of range ({str(exc).split('; ')[0]}).",
                             "write numbers of at most 15 digits.", line=_first_long_number(root)) from exc
    finally:
        loader.dispose()
    return root, data


def _check_tree(root: Any, path: str | Path) -> None:
    import yaml

    seen: set[int] = set()
    stack = [(root, 1)] if root is not None else []
    while stack:
        node, depth = stack.pop()
        line = node.start_mark.line + 1
        if id(node) in seen:
            raise FileInputError(path, "YAML aliases (*name) are not accepted in a profile.", "write the value out in full.", line=line)
        seen.add(id(node))
        if depth > MAX_DEPTH:
            raise FileInputError(path, "the YAML nests too deeply.", f"a profile nests at most {MAX_DEPTH} levels.", line=line)
        if len(seen) > MAX_NODES:
            raise FileInputError(path, f"the profile holds more than {MAX_NODES} values.", "a profile needs a few dozen.", line=line)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack += [(key, depth + 1), (value, depth + 1)]
        elif isinstance(node, yaml.SequenceNode):
            stack += [(child, depth + 1) for child in node.value]


def _first_long_number(root: Any) -> int | None:
    import yaml

    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode) and len(node.value) > 300 and node.value.lstrip("+-").replace("_", "").isdigit():
            return int(node.start_mark.line) + 1
        if isinstance(node, yaml.MappingNode):
            stack += [v for pair in node.value for v in pair]
        elif isinstance(node, yaml.SequenceNode):
            stack += node.value
    return None


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The pydantic model whose fields are valid at ``loc`` (for "did you mean")."""
    model: type[BaseModel] = Profile
    for key in loc:
        if isinstance(key, int):
            continue
        field = model.model_fields.get(key)
        if field is None:
            return model
        nested = [a for a in getattr(field.annotation, "__args__", (field.annotation,)) if isinstance(a, type)]
        nested += [x for a in getattr(field.annotation, "__args__", ()) for x in getattr(a, "__args__", ()) if isinstance(x, type)]
        found: type[BaseModel] | None = next((a for a in nested if issubclass(a, BaseModel)), None)
        if found is None:
            return model
        model = found
    return model


def _did_you_mean(loc: tuple[Any, ...]) -> str:
    model = _model_at(loc[:-1])
    if model is None or not loc or not isinstance(loc[-1], str):
        return ""
    names = [n for n in model.model_fields if n != "this_machine" or model is OwnedHardware]
    if model is Profile:
        names.append("ops_hourly_usd")
    return did_you_mean(loc[-1], names, quote=lambda name: f"`{name}`")


def parse_profile(text: str, path: str | Path = "<profile>") -> Profile:
    """Validate a profile from YAML text; errors name ``path`` and the line."""
    root, data = _yaml_tree(text, path)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise FileInputError(path, "a profile must be a mapping of fields (key: value).", "see `whichai profile examples`.", line=1)
    try:
        return Profile.model_validate(data)
    except OSError as exc:  # hardware: this-machine, and the RAM cannot be read here
        raise FileInputError(path, f"`hardware: this-machine`: {exc}.", "describe the machine: hardware: {ram_gb: 16, cpu_cores: 8}.",
                             line=_line_of(root, ("hardware",))) from exc
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err.get("loc", ()))
        field = ".".join(str(p) for p in loc) or "profile"
        msg = err.get("msg", "invalid")
        fix = "correct the value; `whichai profile examples` shows valid profiles."
        if err.get("type") == "extra_forbidden":
            msg = "unknown field"
            fix = _did_you_mean(loc) + "remove or rename it; `whichai profile examples` shows the fields."
        line = _line_of(root, loc)
        more = f" (and {len(exc.errors()) - 1} more problem(s))" if len(exc.errors()) > 1 else ""
        raise FileInputError(path, f"field `{field}`: {msg}{more}.", fix, line=line) from exc


def load_profile_file(path: str | Path) -> Profile:
    path = Path(path)
    from whichai.safeyaml import MAX_SMALL_BYTES, read_capped

    raw = read_capped(path, MAX_SMALL_BYTES, "profile")  # size-capped; FIFOs and devices (/dev/zero) refused
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FileInputError(path, "the profile is not UTF-8 text.", "save it as UTF-8 YAML.") from exc
    return parse_profile(text, path)


def example_names() -> list[str]:
    return sorted(p.stem for p in PROFILES_DIR.glob("*.yaml"))


def example_profiles() -> dict[str, Profile]:
    """The built-in example profiles, by name."""
    return {name: load_profile_file(PROFILES_DIR / f"{name}.yaml") for name in example_names()}


# profiles saved by name (the dashboard's "save"): <data dir>/profiles/NAME.yaml ------------------------

SAVED_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")  # a name, never a path
SAVED_MAX_BYTES = 64 * 1024


def saved_profiles_dir() -> Path:
    """Where profiles saved by name live: ``<user data dir>/profiles`` (``WHICHAI_DATA_DIR`` moves it)."""
    from whichai.paths import data_dir

    return data_dir() / "profiles"


def _is_saved_file(path: Path) -> bool:
    """A regular file (not a link, FIFO or device) small enough to read (lstat only: nothing is opened)."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and info.st_size <= SAVED_MAX_BYTES


def saved_profile_names() -> list[str]:
    """The names of the saved profiles that can be loaded (built-in names excluded), sorted."""
    folder = saved_profiles_dir()
    if not folder.is_dir():
        return []
    builtin = set(example_names())
    return sorted(p.stem for p in folder.glob("*.yaml") if SAVED_NAME.fullmatch(p.stem) and p.stem not in builtin and _is_saved_file(p))


def read_saved_text(name: str) -> str | None:
    """The text of the saved profile ``name``, or None when the name is not a name, no such file is
    saved, or the file is not a regular UTF-8 file of at most ``SAVED_MAX_BYTES`` (opened without
    following links and without blocking; checked with fstat before a byte is read)."""
    if not SAVED_NAME.fullmatch(name or ""):
        return None
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(saved_profiles_dir() / f"{name}.yaml", flags)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > SAVED_MAX_BYTES:
            return None
        data = os.read(fd, SAVED_MAX_BYTES + 1)
    finally:
        os.close(fd)
    if len(data) > SAVED_MAX_BYTES:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def profile_names() -> list[str]:
    """Every profile name ``--profile`` accepts: default, the built-in ones, then the saved ones."""
    return ["default", *example_names(), *saved_profile_names()]


def _looks_like_name(text: str) -> bool:
    return "/" not in text and "\\" not in text and not text.endswith((".yaml", ".yml"))


def load_profile(name_or_path: str | Path | None) -> Profile:
    """A built-in profile by name, then a profile saved by name (through the dashboard, in
    :func:`saved_profiles_dir`), then a YAML file by path; the default profile for None."""
    if name_or_path is None or name_or_path == "default":
        return Profile()
    text = str(name_or_path)
    builtin = PROFILES_DIR / f"{text}.yaml"
    if _looks_like_name(text) and builtin.exists():
        return load_profile_file(builtin)
    if _looks_like_name(text):
        saved = read_saved_text(text)
        if saved is not None:
            return parse_profile(saved, saved_profiles_dir() / f"{text}.yaml")
    path = Path(text)
    if path.exists():
        return load_profile_file(path)
    names = profile_names()
    hint = did_you_mean(text, names, cutoff=0.5) if _looks_like_name(text) else ""
    hint = f" D{hint[1:].rstrip()}" if hint else ""  # "... and no such file. Did you mean 'x'? Fix: ..."
    raise InputError(f"no profile named {text!r} and no such file.{hint} Fix: pass a YAML file or one of: {', '.join(names)}.")


def dump_profile(profile: Profile) -> str:
    """YAML text of a profile (only what differs from the defaults, plus its name)."""
    import yaml

    data = profile.model_dump(mode="json", exclude_defaults=True)
    for name in VERDICT_DEFAULTS:  # set to the default's value: kept, so that it stays set (not "a default nobody set")
        if name in profile.model_fields_set and name not in data:
            value = getattr(profile, name)
            data[name] = (value.model_dump(mode="json", exclude_unset=True) or value.model_dump(mode="json")) if isinstance(value, BaseModel) \
                else profile.model_dump(mode="json", include={name})[name]
    hw = profile.hardware
    if hw is not None and hw.this_machine:  # detected values are read again where the profile is used
        rest = {k: v for k, v in hw.model_dump(mode="json", exclude_defaults=True).items()
                if k not in ("name", "ram_gb", "cpu_cores", "this_machine")}
        data["hardware"] = {"this_machine": True, **rest} if rest else THIS_MACHINE
    data = {"name": profile.name, **{k: v for k, v in data.items() if k != "name"}}
    return str(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
