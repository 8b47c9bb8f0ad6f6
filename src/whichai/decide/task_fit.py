"""What a model is fit for (chat, reasoning, code, base), from the catalog or read from its name.

The catalog's ``task_fit`` is used when it is on record (origin ``catalog``); otherwise the model's
id and name are read (origin ``estimate``): code words (``coder``, ``codestral``, ``codex`` …) mean a
code model, a ``-base`` suffix a base model, ``-r1``/``thinking``/``qwq`` a reasoning ("thinking")
model, ``instruct``/``chat``/``-it`` a chat model; a closed API model is a chat model. A model fit
for code and chat whose name says code is a code specialist.

A *thinking* model writes its reasoning before the answer: those tokens are generated and billed as
output. Until a run measures them, decide counts ``THINKING_OUTPUT_FACTOR`` (4) times the profile's
output tokens for such a model (an estimate, said so in its cost).
"""

from __future__ import annotations

from typing import Any

CODE_WORDS = ("coder", "codellama", "starcoder", "codegen", "codestral", "devstral", "codex", "-code-", "code-llama", "codeqwen",
              "granite-code", "santacoder", "wizardcoder")
CODE_SUFFIXES = ("-code", " code")
BASE_SUFFIXES = ("-base", "_base", " base")
CHAT_WORDS = ("instruct", "chat", "-it", "assistant", "zephyr", "hermes", "gpt-oss")
REASONING_WORDS = ("-r1", "reasoning", "thinking", "-think", "qwq")
THINKING_OUTPUT_FACTOR = 4.0


def task_fit(model_id: str, name: str | None, entry: Any, openness: str) -> tuple[list[str], str]:
    """(what the model is fit for, origin): the catalog's ``task_fit``, else read from its id (estimate)."""
    fit = [str(x).lower() for x in (getattr(entry, "task_fit", None) or [])]
    ids = (model_id.lower(), (name or "").lower())
    text = " ".join(ids)
    code_named = any(w in text for w in CODE_WORDS) or any(i.endswith(CODE_SUFFIXES) for i in ids)
    if fit:
        # a code model that can also chat (e.g. "…-codex" listed for chat and code) is a code specialist
        return (["code-specialist"] if code_named and "code" in fit else fit), "catalog"
    if code_named:
        return ["code"], "estimate"
    if any(i.endswith(BASE_SUFFIXES) or any(f"{s}-" in i for s in BASE_SUFFIXES) for i in ids):
        return ["base"], "estimate"
    if any(w in text for w in REASONING_WORDS):
        return ["reasoning", "chat"], "estimate"
    if openness == "closed" or any(w in text for w in CHAT_WORDS):
        return ["chat"], "estimate"
    return [], "unknown"


def thinks(model_id: str, name: str | None, entry: Any) -> bool:
    """True for a model that always reasons before answering: named for it (``-r1``, ``reasoning``,
    ``thinking``, ``-think``, ``qwq``) unless the catalog's fit leaves reasoning out, or fit for
    reasoning but not listed for chat in the catalog."""
    fit = [str(x).lower() for x in (getattr(entry, "task_fit", None) or [])]
    text = f"{model_id} {name or ''}".lower()
    if any(w in text for w in REASONING_WORDS):
        return not fit or "reasoning" in fit
    return bool(fit) and "reasoning" in fit and "chat" not in fit and "instruct" not in fit
