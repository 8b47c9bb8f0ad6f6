"""The configuration file, ``whichai.toml``: named providers, prices, run defaults.

Looked up in this order: ``--config PATH``; ``./whichai.toml``; ``whichai.toml`` in the user's config
directory. Keys never go in the file: a provider names the environment variable that holds its key.

.. code-block:: toml

    [providers.myserver]
    base_url = "http://127.0.0.1:8000/v1"
    api_key_env = "MYSERVER_API_KEY"
    price_usd_per_mtok = { input = 0.2, output = 0.6 }
    concurrency = 16
    default_model = "llama-3.1-8b"     # run by `whichai run` without --models
    tokenizer = "local/models/llama-3.1-8b.Q4_K_M.gguf"  # counts tokens where the server reports none
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from whichai.errors import FileInputError


class PricePerMTok(BaseModel):
    model_config = ConfigDict(extra="forbid")
    input: float = Field(ge=0)
    output: float = Field(ge=0)


class ProviderConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["openai", "anthropic", "gemini", "local"] = "openai"
    base_url: str | None = None
    api_key_env: str | None = None
    price_usd_per_mtok: PricePerMTok | None = None
    concurrency: int | None = Field(default=None, ge=1, le=1024)
    default_model: str | None = None
    tokenizer: str | None = None  # local/<model> whose tokenizer counts tokens when the server reports no usage
    serves: str | None = None  # catalog id of the model this server runs: its results carry that model's identity
    self_hosted: bool = False  # the user runs this server on their own premises: decide prices it as self-hosting

    @field_validator("tokenizer")
    @classmethod
    def _local_tokenizer(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("local/"):
            raise ValueError('must name a local model, e.g. "local/smollm2-135m-instruct" or "local/PATH/TO/model.gguf"')
        return value

    @field_validator("api_key_env")
    @classmethod
    def _env_name(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", value):
            raise ValueError("must be the NAME of an environment variable (the key itself never goes in the file)")
        return value


class RunDefaults(BaseModel):
    model_config = ConfigDict(extra="forbid")

    concurrency: int | None = Field(default=None, ge=1, le=1024)
    timeout: float | None = Field(default=None, gt=0)
    max_tokens: int | None = Field(default=None, ge=1)
    temperature: float | None = Field(default=None, ge=0, le=2)
    retries: int | None = Field(default=None, ge=0, le=20)


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    providers: dict[str, ProviderConfig] = {}
    run: RunDefaults = RunDefaults()
    path: str | None = Field(default=None, exclude=True)


def find_config(explicit: str | Path | None) -> Path | None:
    if explicit:
        return Path(explicit)
    local = Path("whichai.toml")
    if local.is_file():
        return local
    from whichai.paths import config_dir

    user = config_dir() / "whichai.toml"
    return user if user.is_file() else None


def load_config(explicit: str | Path | None = None) -> Config:
    path = find_config(explicit)
    if path is None:
        return Config()
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise FileInputError(path, "config file not found.", "check the --config path.") from exc
    except IsADirectoryError as exc:
        raise FileInputError(path, "is a directory, not a config file.", "pass the path of a .toml file.") from exc
    except OSError as exc:
        raise FileInputError(path, f"cannot read the config file ({exc.strerror}).", "check its permissions.") from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FileInputError(path, "is not a UTF-8 text file.", "save the config as UTF-8 TOML.") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = int(match.group(1)) if match else None
        raise FileInputError(path, f"invalid TOML: {exc}.", "fix the syntax (see https://toml.io).", line=line) from exc
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = [str(p) for p in first["loc"]]
        raise FileInputError(
            path,
            f"{'.'.join(loc)}: {first['msg']}.",
            "see the config example in the README.",
            line=_line_of(text, loc),
        ) from exc
    for name in config.providers:
        if not re.fullmatch(r"[a-z0-9][a-z0-9_.-]*", name):
            raise FileInputError(path, f"provider name {name!r} must be lower-case letters, digits, '-', '_' or '.'.",
                                 "rename the [providers.NAME] table.", line=_line_of(text, ["providers", name]))
    config.path = str(path)
    return config


def _line_of(text: str, loc: list[str]) -> int | None:
    """Best effort: the line of the deepest key of ``loc`` found in the file."""
    lines = text.splitlines()
    best = None
    start = 0
    for depth in range(1, len(loc) + 1):
        key = loc[depth - 1]
        header = "[" + ".".join(loc[:depth]) + "]"
        for number in range(start, len(lines)):
            stripped = lines[number].strip()
            if stripped.startswith(header) or re.match(rf"{re.escape(key)}\s*=", stripped) or (
                "{" in stripped and re.search(rf"\b{re.escape(key)}\s*=", stripped)
            ):
                best, start = number + 1, number
                break
    return best
