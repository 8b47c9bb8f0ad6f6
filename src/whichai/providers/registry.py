"""Model ids (``provider/model``) to provider instances.

Providers are found through the ``whichai.providers`` entry-point group, the same extension point a
third-party plugin uses. Named servers in ``whichai.toml`` add providers of a built-in kind (an
OpenAI-compatible server is kind ``openai`` with a ``base_url``). A few well-known hosts of open models
speak the OpenAI protocol and are known without configuration (their key variable must be set).
"""

from __future__ import annotations

import os

from whichai.config import (
    Config,
    ProviderConfig,
    check_builtin_not_redefined,
    effective_kind,
    installed_kinds,
    kind_class,
    vendor_kinds,
)
from whichai.errors import UnknownModelError
from whichai.providers.base import Provider
from whichai.providers.known import EMBEDDED as EMBEDDED
from whichai.providers.known import HOSTED as HOSTED


def vendor_defaults() -> dict[str, tuple[str, tuple[str, ...], str, str]]:
    """Each vendor API kind (one that names a ``default_model``): (model, key variables, SDK module, how to
    install it), read from its provider class. That model, run by `whichai run` when its key is set, must be
    active in the catalog's lifecycle data with no announced shutdown (tests/test_providers_registry.py)."""
    table = {}
    for kind in vendor_kinds():
        cls = kind_class(kind)
        table[kind] = (cls.default_model, tuple(cls.api_key_vars), cls.sdk_module or kind, cls.install_hint)
    return table




def local_servers() -> dict:
    """Servers on this machine known without configuration (ollama, lmstudio, llamacpp, vllm)."""
    from whichai.providers.discovery import SERVERS

    return SERVERS


def provider_class(kind: str) -> type[Provider]:
    cls = kind_class(kind)
    if cls is None:
        raise UnknownModelError(f"no provider kind {kind!r} is installed. Fix: reinstall whichai (pip install -e .).")
    return cls


def split_model_id(model_id: str) -> tuple[str, str]:
    prefix, sep, model = model_id.partition("/")
    if not sep or not prefix or not model:
        raise UnknownModelError(
            f"{model_id!r} is not a model id. Fix: write provider/model, e.g. {EMBEDDED} or openai/gpt-5.4-mini."
        )
    return prefix, model


class Registry:
    """Resolves model ids against the built-in providers and the user's config; one instance per provider."""

    def __init__(self, config: Config | None = None) -> None:
        self.config = config or Config()
        self._providers: dict[str, Provider] = {}
        self.notes: list[str] = []  # what the user should know about the defaults chosen

    def known_names(self) -> list[str]:
        names = set(installed_kinds()) | set(self.config.providers) | set(HOSTED) | set(local_servers())
        return sorted(names)

    def provider(self, name: str) -> Provider:
        if name in self._providers:
            return self._providers[name]
        configured = self.config.providers.get(name)
        if configured is not None:
            check_builtin_not_redefined(name, configured, name in installed_kinds() or name in HOSTED or name in local_servers())
            # [providers.openai|anthropic|gemini] with a base_url: the official provider through a proxy or
            # gateway (its kind unless the table says otherwise); its models keep their catalog identity.
            kind = effective_kind(name, configured)
        elif name in installed_kinds():
            kind, configured = name, ProviderConfig(kind=name)
        elif name in HOSTED:
            base_url, env = HOSTED[name]
            kind, configured = "openai", ProviderConfig(base_url=base_url, api_key_env=env)
        elif name in local_servers():
            from whichai.providers.local_server import LocalServerProvider

            server = local_servers()[name]
            instance: Provider = LocalServerProvider(name=name, config=ProviderConfig(base_url=server.api_base), server=server)
            self._providers[name] = instance
            return instance
        else:
            where = f" in {self.config.path}" if self.config.path else " (no whichai.toml found)"
            raise UnknownModelError(
                f"unknown provider {name!r}{where}. Known: {', '.join(self.known_names())}. "
                f"Fix: add [providers.{name}] with base_url = \"http://HOST:PORT/v1\" to whichai.toml, or pass --config."
            )
        instance = provider_class(kind)(name=name, config=configured)
        self._providers[name] = instance
        return instance

    def resolve(self, model_id: str) -> tuple[Provider, str]:
        prefix, model = split_model_id(model_id)
        return self.provider(prefix), model

    def default_models(self) -> list[str]:
        """The embedded model, one default per API provider whose key is set (and whose SDK is
        installed; otherwise a note says how to install it), and each configured default_model."""
        import importlib.util

        models = [EMBEDDED]
        for name, (model_id, envs, module, install) in vendor_defaults().items():
            configured = self.config.providers.get(name)
            if configured is not None and (configured.default_model or self.provider(name).kind != name):
                continue  # the table names its own default, or reuses the name for another kind of server
            envs = (configured.api_key_env,) if configured is not None and configured.api_key_env else envs
            if not any(os.environ.get(env) for env in envs):
                continue
            if importlib.util.find_spec(module.split(".")[0]) is None or importlib.util.find_spec(module) is None:
                self.notes.append(f"{envs[0] if len(envs) == 1 else ' or '.join(envs)} is set but the {name} SDK is not "
                                  f"installed, so {model_id} is left out. Fix: {install}")
                continue
            models.append(model_id)
        for name, configured in self.config.providers.items():
            if configured.default_model:
                models.append(f"{name}/{configured.default_model}")
        return models

    async def aclose(self) -> None:
        for instance in self._providers.values():
            await instance.aclose()
