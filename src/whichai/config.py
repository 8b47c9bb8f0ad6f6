"""The configuration file, ``whichai.toml``: named providers, prices, run defaults.

Looked up in this order: ``--config PATH``; ``./whichai.toml``; ``whichai.toml`` in the user's config
directory. Keys never go in the file: a provider names the environment variable that holds its key.
whichai says on stderr which file it loaded.

A file found in the working directory is not trusted with vendor keys: a cloned repository could hold
one. A provider whose key variable is a vendor's (``OPENAI_API_KEY``, ``ANTHROPIC_API_KEY``,
``GEMINI_API_KEY``, ``GROQ_API_KEY``, ... see :data:`VENDOR_HOSTS`) may point at a host other than that
vendor's only in a config given explicitly (``--config``) or kept in the user's config directory.

Every key a loaded config names (whatever its variable is called) and any password written in a
``base_url`` is registered as a secret, so it is redacted from everything whichai stores or shows.

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

import os
import re
import sys
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from whichai import safeyaml
from whichai.errors import ConfigError, FileInputError, did_you_mean, register_secret

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

# A vendor's key variable -> the host names (and their subdomains) that key belongs to: the keys of
# hosted APIs reached through a built-in kind, and others a user may hold. A provider kind names its own
# keys' hosts (``vendor_hosts`` on its class); :func:`key_hosts` reads both.
VENDOR_HOSTS: dict[str, tuple[str, ...]] = {
    "GROQ_API_KEY": ("api.groq.com",),
    "TOGETHER_API_KEY": ("api.together.xyz",),
    "DEEPINFRA_API_KEY": ("api.deepinfra.com",),
    "FIREWORKS_API_KEY": ("api.fireworks.ai",),
    "OPENROUTER_API_KEY": ("openrouter.ai",),
    "DEEPSEEK_API_KEY": ("api.deepseek.com",),
    "MISTRAL_API_KEY": ("api.mistral.ai",),
    "CEREBRAS_API_KEY": ("api.cerebras.ai",),
    "XAI_API_KEY": ("api.x.ai",),
    "COHERE_API_KEY": ("api.cohere.com", "api.cohere.ai"),
    "HF_TOKEN": ("huggingface.co",),
}


class PricePerMTok(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    input: float = Field(ge=0, le=100_000)
    output: float = Field(ge=0, le=100_000)


class ProviderConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    kind: str = "openai"  # a provider kind installed under the ``whichai.providers`` entry point
    base_url: str | None = None
    api_key_env: str | None = None
    price_usd_per_mtok: PricePerMTok | None = None
    concurrency: int | None = Field(default=None, ge=1, le=1024)
    default_model: str | None = None
    tokenizer: str | None = None  # local/<model> whose tokenizer counts tokens when the server reports no usage
    serves: str | None = None  # catalog id of the model this server runs: its results carry that model's identity
    self_hosted: bool = False  # the user runs this server on their own premises: decide prices it as self-hosting
    # Where the table was read (set by load_config, never by the file): a working-directory config is
    # not trusted with keys (see check_key_destination).
    _origin: str | None = PrivateAttr(default=None)
    _path: str | None = PrivateAttr(default=None)

    @field_validator("kind")
    @classmethod
    def _installed_kind(cls, value: str) -> str:
        kinds = installed_kinds()
        if value not in kinds:
            raise ValueError(f"no provider kind {value!r} is installed ({', '.join(sorted(kinds))}); "
                             f"{did_you_mean(value, kinds)}a plugin registers one under the whichai.providers entry point")
        return value

    @field_validator("tokenizer")
    @classmethod
    def _local_tokenizer(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("local/"):
            raise ValueError('must name a local model, e.g. "local/smollm2-135m-instruct" or "local/PATH/TO/model.gguf"')
        return value

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None:
            parts = urlsplit(value)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValueError('must be an http(s) URL, e.g. "http://127.0.0.1:8000/v1"')
        return value

    @field_validator("api_key_env")
    @classmethod
    def _env_name(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", value):
            raise ValueError("must be the NAME of an environment variable (the key itself never goes in the file)")
        return value


class RunDefaults(BaseModel):
    """The config's ``[run]`` table; a key it leaves out falls back to :data:`whichai.defaults.RUN_DEFAULTS`."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    concurrency: int | None = Field(default=None, ge=1, le=1024)
    timeout: float | None = Field(default=None, gt=0, le=86_400)
    max_tokens: int | None = Field(default=None, ge=1, le=1_000_000)
    temperature: float | None = Field(default=None, ge=0, le=2)
    retries: int | None = Field(default=None, ge=0, le=20)


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    providers: dict[str, ProviderConfig] = {}
    run: RunDefaults = RunDefaults()
    path: str | None = Field(default=None, exclude=True)
    origin: str | None = Field(default=None, exclude=True)  # explicit | working directory | user config directory


EXPLICIT, CWD, USER = "given with --config", "found in the working directory", "from the user config directory"


def locate_config(explicit: str | Path | None) -> tuple[Path, str] | None:
    """The config file to load and where it came from (:data:`EXPLICIT`, :data:`CWD` or :data:`USER`)."""
    if explicit:
        return Path(explicit), EXPLICIT
    local = Path("whichai.toml")
    if local.is_file():
        return local, CWD
    from whichai.paths import config_dir

    user = config_dir() / "whichai.toml"
    return (user, USER) if user.is_file() else None


def load_config(explicit: str | Path | None = None, *, announce: bool = True) -> Config:
    """The config (empty when there is no file). Says on stderr which file was loaded."""
    found = locate_config(explicit)
    if found is None:
        return Config()
    path, origin = found
    text = _read(path)
    data = _parse(path, text)
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
    config.path, config.origin = str(path), origin
    for provider in config.providers.values():
        provider._origin, provider._path = origin, str(path)
    _register_secrets(config)
    if origin == CWD:
        _refuse_vendor_keys_elsewhere(config, text)
    if announce and str(path) not in _ANNOUNCED:
        _ANNOUNCED.add(str(path))
        sys.stderr.write(f"whichai: using config {path} ({origin})\n")
    return config


_ANNOUNCED: set[str] = set()  # said once per process


def _read(path: Path) -> str:
    raw = safeyaml.read_capped(path, safeyaml.MAX_SMALL_BYTES, "config file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileInputError(path, "is not a UTF-8 text file.", "save the config as UTF-8 TOML.") from exc


def _parse(path: Path, text: str) -> dict:
    def no_special_floats(value: str) -> float:
        if value.lstrip("+-") in ("inf", "nan"):
            raise ValueError(f"the number {value} is not finite")
        return float(value)

    try:
        data = tomllib.loads(text, parse_float=no_special_floats)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = int(match.group(1)) if match else None
        raise FileInputError(path, f"invalid TOML: {exc}.", "fix the syntax (see https://toml.io).", line=line) from exc
    except RecursionError as exc:
        raise FileInputError(path, "is nested too deeply.", "flatten the structure.") from exc
    except ValueError as exc:  # an integer of thousands of digits, or inf / nan
        raise FileInputError(path, f"invalid number ({exc}).", safeyaml.NUMBER_FIX + ".") from exc
    safeyaml.check_numbers(data, str(path))
    return data


BUILTIN_FIELDS = ("kind", "base_url", "api_key_env", "serves", "self_hosted", "tokenizer")  # what redefines a provider


@lru_cache(maxsize=1)
def _kind_entry_points() -> dict[str, EntryPoint]:
    from importlib.metadata import entry_points

    return {ep.name: ep for ep in entry_points(group="whichai.providers")}


def installed_kinds() -> list[str]:
    """The provider kinds installed under the ``whichai.providers`` entry point (built-in ones and plugins)."""
    return list(_kind_entry_points())


def kind_class(kind: str) -> Any:
    """The provider class of an installed kind (its module imported now), or None. Its class attributes
    (``api_key_vars``, ``default_model``, ``vendor_hosts``, ...) say what the kind owns."""
    entry = _kind_entry_points().get(kind)
    return entry.load() if entry is not None else None


def vendor_kinds() -> list[str]:
    """Kinds that are a vendor's API (they name a default model): ``[providers.KIND]`` without ``kind`` keeps it."""
    kinds = [kind for kind in installed_kinds() if getattr(kind_class(kind), "default_model", None)]
    return sorted(kinds, key=lambda kind: (kind_class(kind).default_order, kind))


def key_hosts() -> dict[str, tuple[str, ...]]:
    """Every vendor key variable -> its hosts: :data:`VENDOR_HOSTS` and each installed kind's ``vendor_hosts``."""
    merged = dict(VENDOR_HOSTS)
    for kind in installed_kinds():
        merged.update(getattr(kind_class(kind), "vendor_hosts", None) or {})
    return merged


def effective_kind(name: str, provider: ProviderConfig) -> str:
    """The kind the registry builds for this table: ``[providers.anthropic]`` without ``kind`` is Anthropic."""
    return name if "kind" not in provider.model_fields_set and name in vendor_kinds() else provider.kind


def key_envs(name: str, provider: ProviderConfig) -> tuple[str, ...]:
    """The environment variables whose value is sent as this provider's key (its kind's ``api_key_vars``)."""
    if provider.api_key_env:
        return (provider.api_key_env,)
    kind = effective_kind(name, provider)
    cls = kind_class(kind)
    if cls is None or (cls.keys_only_under_own_name and name != kind):
        return ()
    return tuple(cls.api_key_vars)


def _vendor_of(host: str) -> str | None:
    for env, hosts in key_hosts().items():
        if any(host == h or host.endswith("." + h) for h in hosts):
            return env
    return None


_CONFIRMED: set[tuple[str, str, str]] = set()  # (variable, host, config path) the user said yes to, this process


def check_key_destination(name: str, provider: object, env: str | None, base_url: str | None, *, ask: bool = False) -> None:
    """THE rule for where a key may go, applied by every provider where its client is built (and in
    ``check``, before a run): a vendor's host is reached over https only; a vendor's key variable goes to
    that vendor's hosts, or elsewhere only from a config given with --config or kept in the user's config
    directory; and a config found in the working directory that would send any key (any variable) to any
    other host says so and needs the user's yes (asked on a terminal when ``ask``) or --config."""
    host = (urlsplit(base_url).hostname or "").lower() if base_url else ""
    if host and _vendor_of(host) and urlsplit(base_url or "").scheme != "https":
        raise ConfigError(f"[providers.{name}] base_url {base_url} reaches a vendor's API over plain http. "
                          f"Fix: write https://{host}/… in the config.")
    if not env or not os.environ.get(env) or not host:
        return  # no key is sent, or it goes to the SDK's own (vendor) host
    origin, path = getattr(provider, "_origin", None), getattr(provider, "_path", None) or "whichai.toml"
    vendor_hosts = key_hosts().get(env.upper())
    if vendor_hosts and any(host == h or host.endswith("." + h) for h in vendor_hosts):
        return  # the vendor's own key to the vendor's own host
    if origin != CWD:
        return  # the user's own config (given with --config, or in the user config directory) decides
    what = f"[providers.{name}] in {path} ({CWD}) would send the key in {env} to {host}"
    if vendor_hosts:
        raise ConfigError(f"{what}, which is not {vendor_hosts[0]}; a config {CWD} may not send a vendor's key to "
                          f"another host. Fix: if you trust this file, pass it explicitly with --config {path}, or move "
                          f"it to {_user_config_file()}; or name another variable in api_key_env.")
    if (env, host, path) in _CONFIRMED:
        return
    if ask and _confirm(what):
        _CONFIRMED.add((env, host, path))
        return
    raise ConfigError(f"{what}. A config {CWD} could come with a cloned repository, so whichai sends no key on its "
                      f"word alone. Fix: if you trust this file, pass it explicitly with --config {path} (or answer yes "
                      f"on a terminal), or move it to {_user_config_file()}.")


def _confirm(what: str) -> bool:
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        return False
    sys.stderr.write(f"whichai: {what}. Send it? [y/N] ")
    sys.stderr.flush()
    try:
        return sys.stdin.readline().strip().lower() in ("y", "yes", "ya")
    except (OSError, ValueError):
        return False


def check_builtin_not_redefined(name: str, provider: ProviderConfig, builtin: bool) -> None:
    """A config found in the working directory may set prices, concurrency or a default model for a
    built-in provider, never where it sends prompts (kind, base_url, key, identity)."""
    if not builtin or provider._origin != CWD:
        return
    changed = [f for f in BUILTIN_FIELDS if f in provider.model_fields_set]
    if changed:
        keys = " and ".join(key_envs(name, provider)) or "its prompts"
        raise ConfigError(f"[providers.{name}] in {provider._path} ({CWD}) redefines the built-in provider {name!r} "
                          f"({', '.join(changed)}); it would send {keys} elsewhere while every view still says {name!r}. "
                          f"Fix: if you trust this file, pass it explicitly with --config {provider._path}, or move it "
                          f"to {_user_config_file()}; or give the server its own name ([providers.myserver]).")


def _register_secrets(config: Config) -> None:
    for name, provider in config.providers.items():
        for env in key_envs(name, provider):
            register_secret(os.environ.get(env))
        if provider.base_url:
            password = urlsplit(provider.base_url).password
            if password:
                register_secret(password)
                register_secret(unquote(password))


def _refuse_vendor_keys_elsewhere(config: Config, text: str) -> None:
    for name, provider in config.providers.items():
        if not provider.base_url:
            continue  # the SDK's own host
        host = (urlsplit(provider.base_url).hostname or "").lower()
        for env in key_envs(name, provider):
            hosts = key_hosts().get(env.upper())
            if hosts and not any(host == h or host.endswith("." + h) for h in hosts):
                raise FileInputError(
                    Path(config.path or "whichai.toml"),
                    f"[providers.{name}] would send {env} to {host}, which is not {hosts[0]}; a config {CWD} may not "
                    "send a vendor's key to another host.",
                    f"if you trust this file, pass it explicitly with --config {config.path}, or move it to "
                    f"{_user_config_file()}; or name another variable in api_key_env.",
                    line=_line_of(text, ["providers", name]),
                )


def _user_config_file() -> Path:
    from whichai.paths import config_dir

    return config_dir() / "whichai.toml"


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
