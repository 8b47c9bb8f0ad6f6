"""Anthropic's Claude models, through the official ``anthropic`` SDK (Messages API, streamed).

Only calls and classifies: the SDK's own retries are off (``max_retries=0``) and it gets no timeout
of its own, because the runner owns retries and the per-request timeout.

Wire format (what the SDK parses for us): ``POST {base_url}/v1/messages`` with the key (``x-api-key``
in the docs; ``Authorization: Bearer`` from anthropic SDK 2.x) and ``anthropic-version`` headers; the answer streams as server-sent events ``message_start`` (input
usage) → ``content_block_start`` / ``content_block_delta`` (``text_delta``) / ``content_block_stop``
→ ``message_delta`` (``stop_reason``, cumulative output usage) → ``message_stop``, with ``ping`` and
``error`` events possible anywhere. https://docs.anthropic.com/en/docs/build-with-claude/streaming
"""

from __future__ import annotations

import os
from collections.abc import AsyncGenerator
from dataclasses import dataclass

from whichai.config import check_key_destination
from whichai.errors import ConfigError, FatalCallError, ProviderError, RetryableError
from whichai.providers.base import Chunk, GenerationSettings, SDKProvider
from whichai.providers.transport import classify_sdk, classify_status, is_transport, retry_after_seconds, shorten

ANTHROPIC_KEY_ENV = "ANTHROPIC_API_KEY"

# error.type in Anthropic's error bodies (https://docs.anthropic.com/en/api/errors), for errors that
# arrive as an `error` event inside a stream whose HTTP status was already 200.
_STREAM_ERROR_TYPES: dict[str, tuple[type[ProviderError], str]] = {
    "overloaded_error": (RetryableError, "server_error"),
    "api_error": (RetryableError, "server_error"),
    "rate_limit_error": (RetryableError, "rate_limit"),
    "timeout_error": (RetryableError, "timeout"),
    "authentication_error": (FatalCallError, "auth"),
    "permission_error": (FatalCallError, "auth"),
    "not_found_error": (FatalCallError, "not_found"),
    "invalid_request_error": (FatalCallError, "bad_request"),
    "request_too_large": (FatalCallError, "bad_request"),
    "billing_error": (FatalCallError, "quota"),
}


@dataclass
class AnthropicProvider(SDKProvider):
    api_key_vars = (ANTHROPIC_KEY_ENV,)
    default_model = "anthropic/claude-haiku-4-5"
    default_order = 2
    sdk_module = "anthropic"
    install_hint = "pip install 'whichai[anthropic]'"
    vendor_hosts = {ANTHROPIC_KEY_ENV: ("api.anthropic.com",)}

    kind: str = "anthropic"

    @property
    def base_url(self) -> str | None:
        return getattr(self.config, "base_url", None) or None

    @property
    def key_env(self) -> str:
        return getattr(self.config, "api_key_env", None) or ANTHROPIC_KEY_ENV

    def check(self, model: str) -> None:
        try:
            import anthropic  # noqa: F401
        except ImportError as exc:
            raise ConfigError(
                f"{self.name}/{model} needs the `anthropic` package, which is not installed. "
                "Fix: pip install 'whichai[anthropic]'"
            ) from exc
        if not os.environ.get(self.key_env):
            raise ConfigError(f"{self.name}/{model} needs an API key. Fix: set the environment variable {self.key_env}.")
        check_key_destination(self.name, self.config, self.key_env, self.base_url, ask=True)

    def new_client(self):
        import anthropic

        check_key_destination(self.name, self.config, self.key_env, self.base_url)
        return anthropic.AsyncAnthropic(
            api_key=os.environ.get(self.key_env, ""),
            base_url=self.base_url,
            max_retries=0,  # the runner retries
            timeout=None,  # the runner owns the per-request timeout
        )

    def default_concurrency(self) -> int:
        return 4

    async def stream(self, model: str, messages: list[dict[str, str]], settings: GenerationSettings) -> AsyncGenerator[Chunk, None]:
        system, turns = split_system(messages)
        params: dict = {
            "model": model,
            "max_tokens": settings.max_tokens,  # required by the Messages API
            "messages": turns,
            "stream": True,
        }
        if system:
            params["system"] = system
        # Temperature goes through only where the installed SDK's messages.create takes it (anthropic 2.x,
        # generated from the API's spec, takes no sampling parameter and never took a seed); what is not
        # passed on is reported by settings_not_applied and recorded with each result.
        if "temperature" in _create_parameters():
            params["temperature"] = settings.temperature
        events = await self._client().messages.create(**params)
        input_tokens = output_tokens = finish = None
        stopped = False
        try:
            async for event in events:
                kind = getattr(event, "type", None)
                if kind == "content_block_delta":
                    delta = event.delta
                    if getattr(delta, "type", None) == "text_delta" and delta.text:
                        yield Chunk(text=delta.text)
                elif kind == "message_start":
                    usage = getattr(event.message, "usage", None)
                    if usage is not None:
                        input_tokens = usage.input_tokens
                        output_tokens = usage.output_tokens
                elif kind == "message_delta":
                    finish = getattr(event.delta, "stop_reason", None) or finish
                    usage = getattr(event, "usage", None)
                    if usage is not None:  # cumulative counts
                        if usage.output_tokens is not None:
                            output_tokens = usage.output_tokens
                        if getattr(usage, "input_tokens", None) is not None:
                            input_tokens = usage.input_tokens
                elif kind == "message_stop":
                    stopped = True
        finally:
            await events.close()
        if not stopped:
            raise RetryableError(
                f"stream broken{self._where()}: it ended before message_stop", error_class="broken_stream"
            )
        yield Chunk(finish_reason=finish, input_tokens=input_tokens, output_tokens=output_tokens)

    def classify(self, exc: BaseException) -> ProviderError:
        return classify_sdk(exc, self._where(), _import_sdk, self._classify_sdk)

    def _classify_sdk(self, anthropic, exc: BaseException, where: str) -> ProviderError | None:
        if isinstance(exc, anthropic.APIStatusError):
            return self._classify_status(exc, where)
        if isinstance(exc, anthropic.APITimeoutError):
            return RetryableError(f"request timed out{where}", error_class="timeout")
        if isinstance(exc, anthropic.APIConnectionError):
            if is_transport(exc.__cause__, "RemoteProtocolError", "ReadError"):
                return RetryableError(f"stream broken{where}: {type(exc.__cause__).__name__}", error_class="broken_stream")
            return RetryableError(f"cannot connect{where}. Is the network up?", error_class="connection")
        if isinstance(exc, anthropic.APIResponseValidationError):
            return RetryableError(f"invalid response{where}: {shorten(exc)}", error_class="invalid_response")
        return None

    def _classify_status(self, exc, where: str) -> ProviderError:
        status = exc.status_code
        error_type = getattr(exc, "type", None) or _error_type(exc.body)
        headers = exc.response.headers if getattr(exc, "response", None) is not None else {}
        retry_after = retry_after_seconds(headers)
        detail = f" ({error_type})" if error_type else ""
        if status < 400:  # an `error` event inside a 200 stream: classify by its error.type
            cls, error_class = _STREAM_ERROR_TYPES.get(error_type or "", (RetryableError, "broken_stream"))
            return cls(f"error event in the stream{where}{detail}", error_class=error_class, retry_after=retry_after)
        if status == 429 and getattr(exc, "error_code", None) == "enforced_spend_limit_reached":
            return FatalCallError(f"spend limit reached (HTTP 429){where}{detail}", error_class="quota")
        if status == 402:
            return FatalCallError(f"billing problem (HTTP 402){where}{detail}", error_class="quota")
        message = getattr(exc, "api_message", None) or shorten(exc)  # 529, Anthropic's `overloaded_error`, is a server error
        return classify_status(status, where, self.key_env, detail=detail, message=shorten(message), retry_after=retry_after)

    def settings_not_applied(self, model: str, settings: GenerationSettings) -> dict[str, str]:
        accepted = _create_parameters()
        version = _sdk_version()
        ignored = {}
        if "temperature" not in accepted:
            ignored["temperature"] = f"the installed anthropic SDK ({version}) has no temperature in messages.create"
        if settings.seed is not None and "seed" not in accepted:
            ignored["seed"] = f"the Anthropic Messages API takes no seed (anthropic SDK {version})"
        return ignored

    def _where(self) -> str:
        return f" at {self.base_url}" if self.base_url else " at the Anthropic API"



_CREATE_PARAMETERS: list[frozenset[str]] = []


def _create_parameters() -> frozenset[str]:
    """The parameters the installed SDK's ``AsyncMessages.create`` accepts (looked up once)."""
    if not _CREATE_PARAMETERS:
        import inspect

        from anthropic.resources.messages import AsyncMessages

        _CREATE_PARAMETERS.append(frozenset(inspect.signature(AsyncMessages.create).parameters))
    return _CREATE_PARAMETERS[0]


def _import_sdk():
    import anthropic

    return anthropic


def _sdk_version() -> str:
    from importlib.metadata import version

    return version("anthropic")


def split_system(messages: list[dict[str, str]]) -> tuple[str, list[dict[str, str]]]:
    """System messages become the ``system`` parameter (joined in order); the rest stay turns."""
    system = [m["content"] for m in messages if m.get("role") == "system"]
    turns = [{"role": m["role"], "content": m["content"]} for m in messages if m.get("role") != "system"]
    return "\n\n".join(system), turns


def _error_type(body: object) -> str | None:
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict) and isinstance(error.get("type"), str):
            return error["type"]
    return None
