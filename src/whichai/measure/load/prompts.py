"""The requests a load test sends: a task's cases, or synthetic prompts of a given size.

Bodies are encoded to bytes once, before the clock starts, so the load generator spends no time on
JSON while it measures. Synthetic prompts differ from the first word on, so no server can answer one
from the prefix cache of another.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from whichai.measure.load.target import Target

if TYPE_CHECKING:
    from whichai.tasks.model import Task

# Common English words; most are one token in the tokenizers of current open models (with the leading space).
_WORDS = (
    "the of and to in is was for that with as on by at from his her they this have are but not be had "
    "which one all were when there can an your more their has time will would about if up out them some "
    "she what so other into than its only over new could also after two first any these many then may "
    "way well back work year down people day most made city world water long part small house light "
    "before place right old great large story little number point still high found road tree river "
    "music field paper garden window market summer winter morning evening country family school"
).split()
SYNTHETIC_PREFIX = "Continue this text with a long story:"
MAX_DISTINCT = 64  # distinct prompts of a sweep; requests cycle through them


@dataclass
class Prompt:
    body: bytes  # the whole request, encoded once
    input_tokens: int | None = None  # the server's count, from a calibration call (None until then)
    label: str = ""


def synthetic_text(index: int, words: int) -> str:
    rng = random.Random(index)
    body = " ".join(rng.choice(_WORDS) for _ in range(max(1, words)))
    return f"{index}. {SYNTHETIC_PREFIX} {body}"


def request_body(target: Target, messages: list[dict[str, str]], max_tokens: int, *, min_tokens: int | None,
                 temperature: float) -> dict[str, Any]:
    body: dict[str, Any] = {"model": target.model, "messages": messages, "temperature": temperature, "stream": True,
                  "stream_options": {"include_usage": True}}
    body["max_completion_tokens" if target.provider == "openai" else "max_tokens"] = max_tokens
    if min_tokens:
        body["min_tokens"] = min_tokens  # vLLM and llama-cpp-python honour it: answers of the asked length
    return body


def synthetic_prompts(target: Target, input_tokens: int, output_tokens: int, *, exact_output: bool,
                      temperature: float = 0.0, count: int = MAX_DISTINCT) -> list[Prompt]:
    # The instruction and chat template take ~15 tokens; the rest is words, about one token each.
    words = max(1, input_tokens - 15)
    return [
        Prompt(json.dumps(request_body(target, [{"role": "user", "content": synthetic_text(i, words)}], output_tokens,
                                       min_tokens=output_tokens if exact_output else None,
                                       temperature=temperature)).encode(), label=f"synthetic-{i}")
        for i in range(count)
    ]


def task_prompts(target: Target, task: Task, max_tokens: int, temperature: float = 0.0) -> list[Prompt]:
    return [
        Prompt(json.dumps(request_body(target, case.messages(), max_tokens, min_tokens=None,
                                       temperature=temperature)).encode(), label=case.id)
        for case in task.cases[:MAX_DISTINCT]
    ]
