"""OpenAI, and every OpenAI-compatible server (vLLM, Ollama, LM Studio, llama.cpp's server, hosted
open-model APIs), through the official ``openai`` SDK. The SDK's own retries are off: the runner retries."""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass

from whichai.config import check_key_destination
from whichai.errors import ConfigError, ProviderError, RetryableError
from whichai.providers.base import Chunk, GenerationSettings, SDKProvider
from whichai.providers.transport import classify_status, classify_transport, is_transport, retry_after_seconds, shorten

OPENAI_DEFAULT_MODEL = "gpt-5.4-mini"


@dataclass
class OpenAIProvider(SDKProvider):
    api_key_vars = ("OPENAI_API_KEY",)
    keys_only_under_own_name = True
    default_model = "openai/" + OPENAI_DEFAULT_MODEL
    default_order = 1
    sdk_module = "openai"
    install_hint = "pip install openai"
    vendor_hosts = {"OPENAI_API_KEY": ("api.openai.com",)}

    kind: str = "openai"

    @property
    def base_url(self) -> str | None:
        return getattr(self.config, "base_url", None)

    @property
    def key_env(self) -> str | None:
        env = getattr(self.config, "api_key_env", None)
        if env:
            return env
        return "OPENAI_API_KEY" if self.name == "openai" else None

    def check(self, model: str) -> None:
        tokenizer = getattr(self.config, "tokenizer", None)
        if tokenizer:
            from whichai.providers.local import check_gguf

            check_gguf(tokenizer.split("/", 1)[1])  # its vocabulary only is loaded, when first needed
        try:
            import openai  # noqa: F401
        except ImportError as exc:
            raise ConfigError("the `openai` package is not installed. Fix: pip install openai") from exc
        if self.name != "openai" and not self.base_url:
            raise ConfigError(
                f"provider {self.name!r} has no base_url. Fix: add `base_url = \"http://HOST:PORT/v1\"` under "
                f"[providers.{self.name}] in whichai.toml."
            )
        env = self.key_env
        if env and not os.environ.get(env) and (self.name == "openai" or getattr(self.config, "api_key_env", None)):
            raise ConfigError(f"{self.name}/{model} needs an API key. Fix: set the environment variable {env}.")
        check_key_destination(self.name, self.config, env, self.base_url, ask=True)

    def new_client(self):
        import openai

        env = self.key_env
        check_key_destination(self.name, self.config, env, self.base_url)
        key = os.environ.get(env, "") if env else ""
        return openai.AsyncOpenAI(
            api_key=key or "not-needed",
            base_url=self.base_url,
            max_retries=0,
            timeout=None,  # the runner owns the per-request timeout
        )

    def default_concurrency(self) -> int:
        return 8

    async def stream(self, model: str, messages: list[dict[str, str]], settings: GenerationSettings) -> AsyncIterator[Chunk]:
        params: dict = {
            "model": model,
            "messages": messages,
            "temperature": settings.temperature,
            "stream": True,
            "stream_options": {"include_usage": True},
        }
        if settings.seed is not None:
            params["seed"] = settings.seed
        if self.name == "openai":
            params["max_completion_tokens"] = settings.max_tokens
        else:
            params["max_tokens"] = settings.max_tokens
        # Through the SDK's generic `post` (its documented way to call any endpoint): the SDK still builds,
        # authenticates and sends the request, raises its typed errors and decodes the server-sent events,
        # but hands each chunk over as a plain dict. The typed `chat.completions.create` would re-walk the
        # params and build a model object per chunk, which doubles the CPU cost per call (BENCHMARKS.md).
        import openai

        finish = None
        finished = False  # a finish reason or [DONE] was seen: the stream was not cut short
        stream = await self._client().post(
            "/chat/completions", body=params, cast_to=object, stream=True, stream_cls=openai.AsyncStream[object]
        )
        async with stream:
            async for event in stream:
                if not isinstance(event, dict):
                    continue
                for choice in event.get("choices") or ():
                    text = (choice.get("delta") or {}).get("content")
                    if choice.get("finish_reason"):
                        finish = choice["finish_reason"]
                        finished = True
                    if text:
                        yield Chunk(text=text)
                usage = event.get("usage")
                if usage:
                    finished = True
                    yield Chunk(finish_reason=finish, input_tokens=usage.get("prompt_tokens"),
                                output_tokens=usage.get("completion_tokens"))
                    finish = None
        if not finished:
            raise RetryableError("the stream ended without a finish reason or [DONE]", error_class="broken_stream")
        if finish is not None:
            yield Chunk(finish_reason=finish)

    def _vocab(self):
        tokenizer = getattr(self.config, "tokenizer", None)
        if not tokenizer:
            return None
        from whichai.providers.local import load_vocab, model_path

        return load_vocab(model_path(tokenizer.split("/", 1)[1]))

    def count_tokens(self, model: str, text: str) -> int | None:
        vocab = self._vocab()
        if vocab is None:
            return None
        from whichai.providers.local import count_text_tokens

        return count_text_tokens(vocab, text)

    def count_prompt_tokens(self, model: str, messages: list[dict[str, str]]) -> int | None:
        vocab = self._vocab()
        if vocab is None:
            return None
        from whichai.providers.local import count_chat_tokens

        return count_chat_tokens(vocab, messages)

    def classify(self, exc: BaseException) -> ProviderError:
        import openai

        where = f" at {self.base_url}" if self.base_url else ""
        if isinstance(exc, openai.APIStatusError):
            retry_after = retry_after_seconds(exc.response.headers) if exc.response is not None else None
            return classify_status(exc.status_code, where, self.key_env or "the provider's API key variable", message=shorten(exc),
                                   retry_after=retry_after)
        if isinstance(exc, openai.APITimeoutError):
            return RetryableError(f"request timed out{where}", error_class="timeout")
        if isinstance(exc, openai.APIConnectionError):
            if is_transport(exc.__cause__, "RemoteProtocolError", "ReadError", "StreamError"):
                return RetryableError(f"stream broken{where}: {type(exc.__cause__).__name__}", error_class="broken_stream")
            return RetryableError(f"cannot connect{where}. Is the server running?", error_class="connection")
        if isinstance(exc, (json.JSONDecodeError, openai.APIResponseValidationError)):
            return RetryableError(f"invalid response{where}: not valid JSON", error_class="invalid_response")
        if isinstance(exc, openai.APIError):
            # e.g. an error event inside the stream
            return RetryableError(f"error from the server{where}: {shorten(exc)}", error_class="server_error")
        return classify_transport(exc, where)

