"""The validated shape of a task and its cases (the contract the loader, scorers and runner share)."""

from __future__ import annotations

import hashlib
import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Message(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Literal["system", "user", "assistant"]
    content: str


class Case(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    input: str | list[Message]
    system: str | None = None
    expected: Any = None
    scorer: str = "contains"
    options: dict[str, Any] = {}
    tags: list[str] = []

    def messages(self) -> list[dict[str, str]]:
        """The chat messages sent to a model."""
        out: list[dict[str, str]] = []
        if self.system:
            out.append({"role": "system", "content": self.system})
        if isinstance(self.input, str):
            out.append({"role": "user", "content": self.input})
        else:
            out.extend(m.model_dump() for m in self.input)
        return out


class Task(BaseModel):
    name: str
    description: str = ""
    source: str = ""  # the file it came from, or "builtin:<name>"
    cases: list[Case]
    providers: list[Any] = []  # a promptfoo config's `providers` (mapped to model ids by tasks.promptfoo.model_ids)

    def content_hash(self) -> str:
        """Hash of what the cases ask and how they are scored (not where the file lives)."""
        payload = json.dumps([c.model_dump(mode="json") for c in self.cases], sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode()).hexdigest()
