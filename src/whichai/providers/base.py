"""The provider contract: call a model, stream its answer, classify failures. Nothing more.

Policy — retries, timeouts, concurrency, timing, cost, storage — lives once, in the runner.
A provider is registered under an entry point in the ``whichai.providers`` group (the built-in ones
use the same extension point a third-party plugin would), and is constructed with its name and its
:class:`~whichai.config.ProviderConfig`.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from typing import Any, ClassVar

from whichai.defaults import RUN_DEFAULTS
from whichai.errors import ProviderError


@dataclass(frozen=True)
class GenerationSettings:
    """What shapes the answer, and so is part of a run's identity."""

    max_tokens: int = RUN_DEFAULTS.max_tokens
    temperature: float = RUN_DEFAULTS.temperature
    seed: int | None = 0

    def identity(self) -> dict[str, Any]:
        return {"max_tokens": self.max_tokens, "temperature": self.temperature, "seed": self.seed}


@dataclass
class Chunk:
    """One piece of a streamed answer. The last chunk of a stream may carry usage and finish reason."""

    text: str = ""
    finish_reason: str | None = None
    input_tokens: int | None = None
    output_tokens: int | None = None


@dataclass
class Usage:
    input_tokens: int | None = None
    output_tokens: int | None = None
    counted: bool = False  # True: counted with the model's tokenizer, not reported by the provider


@dataclass
class Provider:
    """Base class for providers. Subclasses implement :meth:`stream` and :meth:`classify`.

    A provider kind owns what the rest of whichai needs to know about it, as class attributes read
    through the entry point (``whichai.config.kind_class``) without building one, so adding a provider
    is one module plus its entry point.
    """

    # The environment variables holding its key, preferred first (``api_key_env`` in whichai.toml overrides).
    api_key_vars: ClassVar[tuple[str, ...]] = ()
    # True for a generic protocol (openai): a table of this kind under another name gets no key by default.
    keys_only_under_own_name: ClassVar[bool] = False
    # ``provider/model`` run by ``whichai run`` when its key is set; a kind with one is a vendor's API, and a
    # ``[providers.KIND]`` table without ``kind`` keeps that kind (a proxy or gateway in front of it).
    default_model: ClassVar[str | None] = None
    default_order: ClassVar[int] = 100  # where that model stands in `whichai run`'s list of defaults (lower first)
    sdk_module: ClassVar[str | None] = None  # the module its SDK is imported as (checked before a run)
    install_hint: ClassVar[str] = ""  # the command that installs that SDK
    # Its key variables -> the vendor's hosts: such a key goes nowhere else (config.check_key_destination).
    vendor_hosts: ClassVar[dict[str, tuple[str, ...]]] = {}

    name: str
    config: Any = None
    kind: str = "provider"
    local: bool = False  # runs on this machine (cost 0; self-hosting cost comes from decide)
    _state: dict[str, Any] = field(default_factory=dict, repr=False)

    def check(self, model: str) -> None:
        """Raise :class:`~whichai.errors.ConfigError` if this model cannot be called (missing SDK, key, file)."""

    def preload(self, model: str) -> None:
        """Begin :meth:`prepare`'s slow part in the background (a local model's weights), for a command that
        has other work to do before its first call; :meth:`prepare` waits for it. Nothing by default."""

    async def prepare(self, model: str) -> None:
        """Load what the model needs once per run (e.g. local weights). Called before the first call."""

    def stream(self, model: str, messages: list[dict[str, str]], settings: GenerationSettings) -> AsyncGenerator[Chunk, None]:
        raise NotImplementedError

    def classify(self, exc: BaseException) -> ProviderError:
        """Map a foreign exception to a :class:`~whichai.errors.ProviderError` subclass."""
        return ProviderError(f"{type(exc).__name__}: {exc}", error_class="error")

    def count_tokens(self, model: str, text: str) -> int | None:
        """Count tokens with the model's tokenizer where the provider reports no usage."""
        return None

    def count_prompt_tokens(self, model: str, messages: list[dict[str, str]]) -> int | None:
        """Count the prompt's tokens as the model's chat template renders it, where usage is absent."""
        return None

    def default_concurrency(self) -> int:
        return 8

    def settings_not_applied(self, model: str, settings: GenerationSettings) -> dict[str, str]:
        """Generation settings this provider does not pass on to the model: {setting: why}. The runner
        records them with each result, so no figure claims a temperature or seed that was never applied."""
        return {}

    async def aclose(self) -> None:
        """Release clients and models."""


@dataclass
class SDKProvider(Provider):
    """A provider that calls a vendor SDK: one client, built before the first timed call, reused, closed."""

    def new_client(self) -> Any:
        """Build the SDK client (import the SDK here, lazily)."""
        raise NotImplementedError

    async def close_client(self, client: Any) -> None:
        await client.close()

    def _client(self) -> Any:
        client = self._state.get("client")
        if client is None:
            client = self._state["client"] = self.new_client()
        return client

    async def prepare(self, model: str) -> None:
        self._client()  # import the SDK and build the client before the first call is timed

    async def aclose(self) -> None:
        client = self._state.pop("client", None)
        if client is not None:
            await self.close_client(client)
