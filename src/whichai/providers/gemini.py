"""Google's Gemini models, through the official ``google-genai`` SDK (Gemini Developer API, streamed).

Only calls and classifies: the SDK's own retries are off (``HttpRetryOptions(attempts=1)``, which also
stops the SDK's implicit retry of aiohttp connection errors) and it gets no timeout of its own,
because the runner owns retries and the per-request timeout.

Wire format (what the SDK parses for us): ``POST {base_url}/{api_version}/models/{model}:
streamGenerateContent?alt=sse`` with an ``x-goog-api-key`` header; each ``data:`` event is a GenerateContentResponse whose
``candidates[0].content.parts[].text`` carry the text, the last one with ``finishReason`` and
``usageMetadata``. https://ai.google.dev/api/generate-content#method:-models.streamgeneratecontent
"""

from __future__ import annotations

import os
import re
from collections.abc import AsyncGenerator
from dataclasses import dataclass

from whichai.config import check_key_destination
from whichai.errors import ConfigError, FatalCallError, ProviderError, RetryableError
from whichai.providers.base import Chunk, GenerationSettings, SDKProvider
from whichai.providers.transport import classify_sdk, classify_status, retry_after_seconds, shorten

GEMINI_KEY_ENVS = ("GEMINI_API_KEY", "GOOGLE_API_KEY")


@dataclass
class GeminiProvider(SDKProvider):
    api_key_vars = GEMINI_KEY_ENVS
    default_model = "gemini/gemini-3.5-flash"
    default_order = 3
    sdk_module = "google.genai"
    install_hint = "pip install 'whichai[gemini]'"
    vendor_hosts = {"GEMINI_API_KEY": ("generativelanguage.googleapis.com",),
                    "GOOGLE_API_KEY": ("generativelanguage.googleapis.com", "aiplatform.googleapis.com")}

    kind: str = "gemini"

    @property
    def base_url(self) -> str | None:
        return getattr(self.config, "base_url", None) or None

    @property
    def key_envs(self) -> tuple[str, ...]:
        env = getattr(self.config, "api_key_env", None)
        return (env,) if env else GEMINI_KEY_ENVS

    def _key(self) -> str | None:
        for env in self.key_envs:
            if os.environ.get(env):
                return os.environ[env]
        return None

    def check(self, model: str) -> None:
        try:
            from google import genai  # noqa: F401
        except ImportError as exc:
            raise ConfigError(
                f"{self.name}/{model} needs the `google-genai` package, which is not installed. "
                "Fix: pip install 'whichai[gemini]'"
            ) from exc
        if not self._key():
            names = " or ".join(self.key_envs)
            raise ConfigError(f"{self.name}/{model} needs an API key. Fix: set the environment variable {names}.")
        self._check_destination(ask=True)

    def _check_destination(self, ask: bool = False) -> None:
        env = next((e for e in self.key_envs if os.environ.get(e)), None)
        check_key_destination(self.name, self.config, env, self.base_url, ask=ask)

    def new_client(self):
        from google import genai
        from google.genai import types

        options = types.HttpOptions(
            base_url=self.base_url,
            retry_options=types.HttpRetryOptions(attempts=1),  # one attempt: the runner retries
        )
        self._check_destination()
        return genai.Client(vertexai=False, api_key=self._key() or "", http_options=options)

    def default_concurrency(self) -> int:
        return 4

    async def stream(self, model: str, messages: list[dict[str, str]], settings: GenerationSettings) -> AsyncGenerator[Chunk, None]:
        from google.genai import types

        system, contents = to_contents(messages)
        config = types.GenerateContentConfig(
            system_instruction=system or None,
            max_output_tokens=settings.max_tokens,
            temperature=settings.temperature,
            seed=settings.seed,
            candidate_count=1,
        )
        responses = await self._client().aio.models.generate_content_stream(model=model, contents=contents, config=config)
        finish = input_tokens = output_tokens = None
        async for response in responses:
            feedback = response.prompt_feedback
            if feedback is not None and feedback.block_reason is not None:  # no candidates will come
                finish = f"PROMPT_BLOCKED:{_enum_name(feedback.block_reason)}"
            candidates = response.candidates or []
            if candidates:
                candidate = candidates[0]
                parts = candidate.content.parts if candidate.content and candidate.content.parts else []
                for part in parts:
                    if part.text and not part.thought:  # thought summaries are not the answer
                        yield Chunk(text=part.text)
                if candidate.finish_reason is not None:
                    finish = _enum_name(candidate.finish_reason)
            usage = response.usage_metadata
            if usage is not None:
                if usage.prompt_token_count is not None:
                    input_tokens = usage.prompt_token_count
                if usage.candidates_token_count is not None or usage.thoughts_token_count is not None:
                    # thinking tokens are billed as output tokens
                    output_tokens = (usage.candidates_token_count or 0) + (usage.thoughts_token_count or 0)
        if finish is None:  # the last response of a complete stream carries the finish reason
            raise RetryableError(f"stream broken{self._where()}: it ended without a finish reason", error_class="broken_stream")
        yield Chunk(finish_reason=finish, input_tokens=input_tokens, output_tokens=output_tokens)

    def classify(self, exc: BaseException) -> ProviderError:
        return classify_sdk(exc, self._where(), _import_errors, self._classify_sdk)

    def _classify_sdk(self, errors, exc: BaseException, where: str) -> ProviderError | None:
        if isinstance(exc, errors.APIError):
            return self._classify_api_error(exc, where)
        if isinstance(exc, errors.UnknownApiResponseError):
            return RetryableError(f"invalid response{where}: not valid JSON", error_class="invalid_response")
        return None

    def _classify_api_error(self, exc, where: str) -> ProviderError:
        status = exc.code if isinstance(exc.code, int) else 0
        state = f" ({exc.status})" if exc.status else ""
        headers = getattr(getattr(exc, "response", None), "headers", None) or {}
        retry_after = retry_after_seconds(headers)
        if retry_after is None:
            retry_after = _retry_delay(exc.details)
        names = " or ".join(self.key_envs)
        if _reason(exc.details) in ("API_KEY_INVALID", "API_KEY_EXPIRED"):  # Google answers a bad key with HTTP 400
            return FatalCallError(f"authentication failed (HTTP {status}){where}{state}. Fix: check {names}.", error_class="auth")
        if status < 400:  # an error object inside a 200 stream without a usable code
            return RetryableError(f"error in the stream{where}{state}", error_class="broken_stream", retry_after=retry_after)
        return classify_status(status, where, names, detail=state, message=shorten(exc.message or ""), retry_after=retry_after)

    def _where(self) -> str:
        return f" at {self.base_url}" if self.base_url else " at the Gemini API"

    async def close_client(self, client) -> None:
        await client.aio.aclose()
        client.close()


def to_contents(messages: list[dict[str, str]]) -> tuple[str, list[dict]]:
    """System messages become the system instruction; ``assistant`` turns take Gemini's role ``model``."""
    system = [m["content"] for m in messages if m.get("role") == "system"]
    contents = [
        {"role": "model" if m["role"] == "assistant" else "user", "parts": [{"text": m["content"]}]}
        for m in messages
        if m.get("role") != "system"
    ]
    return "\n\n".join(system), contents


def _import_errors():
    from google.genai import errors

    return errors


def _enum_name(value: object) -> str:
    return str(getattr(value, "value", value))


def _details(body: object) -> list:
    if isinstance(body, dict):
        error = body.get("error", body)
        if isinstance(error, dict) and isinstance(error.get("details"), list):
            return error["details"]
    return []


def _reason(body: object) -> str | None:
    """``reason`` of a google.rpc.ErrorInfo detail (an invalid key is a 400 with API_KEY_INVALID)."""
    for detail in _details(body):
        if isinstance(detail, dict) and str(detail.get("@type", "")).endswith("google.rpc.ErrorInfo"):
            return detail.get("reason")
    return None


def _retry_delay(body: object) -> float | None:
    """``retryDelay`` of a google.rpc.RetryInfo detail, e.g. ``"37s"`` or ``"1.5s"``."""
    for detail in _details(body):
        if isinstance(detail, dict) and str(detail.get("@type", "")).endswith("google.rpc.RetryInfo"):
            match = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]*)?)s\s*", str(detail.get("retryDelay", "")))
            if match:
                return float(match.group(1))
    return None
