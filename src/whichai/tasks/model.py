"""The validated shape of a task and its cases (the contract the loader, scorers and runner share)."""

from __future__ import annotations

import hashlib
import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, TypeAdapter


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
    # factories, not `{}`/`[]`: pydantic deep-copies a mutable default for every case (a third of
    # validating 100,000 cases)
    options: dict[str, Any] = Field(default_factory=dict)
    tags: list[str] = Field(default_factory=list)

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
    _hash_memo: tuple[int, int, str] | None = PrivateAttr(default=None)

    def content_hash(self) -> str:
        """Hash of what the cases ask and how they are scored (not where the file lives).

        Computed once per list of cases (a run asks for it several times; 100,000 cases take about a
        second): replacing ``cases`` or adding to it is seen, changing a case in place after hashing is not."""
        memo = self._hash_memo
        if memo is not None and memo[0] == id(self.cases) and memo[1] == len(self.cases):
            return memo[2]
        try:  # a case with a text input holds JSON values only: its fields are its JSON dump
            plain = [c.__dict__ if type(c.input) is str else c.model_dump(mode="json") for c in self.cases]
            payload = json.dumps(plain, sort_keys=True, ensure_ascii=False, allow_nan=False)
        except (TypeError, ValueError):  # a value JSON cannot hold as it is: pydantic's dump decides
            dumped = _CASES.dump_python(self.cases, mode="json")
            payload = json.dumps(dumped, sort_keys=True, ensure_ascii=False)
        digest = hashlib.sha256(payload.encode()).hexdigest()
        self._hash_memo = (id(self.cases), len(self.cases), digest)
        return digest

    def scorers(self) -> set[str]:
        """The scorers its cases use (one pass: whether a judge, a promptfoo assertion or an embedding model
        is needed is then a set lookup, not a walk over every case per question)."""
        return {c.scorer for c in self.cases}

    def case_rows(self, start: int = 0, stop: int | None = None) -> list[tuple[str, str]]:
        """(id, the case as JSON) per case (those from ``start`` to ``stop``), serialised in one pass (what a
        run stores for its cases)."""
        to_json = Case.__pydantic_serializer__.to_json
        return [(c.id, to_json(c).decode()) for c in self.cases[start:stop]]


_CASES: TypeAdapter[list[Case]] = TypeAdapter(list[Case])
