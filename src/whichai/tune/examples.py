"""Which cases a tune learns from and which are held out to score it; the answer each case teaches.

Cases used for training are never used to score: with ``--split`` a seeded shuffle of the task's cases puts
a share in training and the rest in the held-out set; with ``--train FILE`` every task case is held out and a
training case whose input equals a held-out one is refused.
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass
from typing import Any

from whichai.errors import InputError
from whichai.tasks.model import Case, Task

MIN_EXAMPLES = 8  # fewer than this teaches a model nothing measurable


@dataclass(frozen=True)
class Example:
    """One training example: the chat messages and the answer to learn."""

    case_id: str
    messages: list[dict[str, str]]
    answer: str


@dataclass(frozen=True)
class Split:
    train: list[Example]
    held_out: Task

    def examples_hash(self) -> str:
        payload = json.dumps([[e.messages, e.answer] for e in self.train], sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode()).hexdigest()


def answer_text(case: Case) -> str:
    """The answer a case teaches: ``options.answer`` if given, else its expected text (the first of a
    list; a JSON object as compact JSON)."""
    answer: Any = case.options.get("answer", case.expected)
    if isinstance(answer, list) and answer:
        answer = answer[0]
    if isinstance(answer, dict):
        return json.dumps(answer, ensure_ascii=False)
    if isinstance(answer, (str, int, float)) and str(answer).strip():
        return str(answer)
    raise InputError(f"case {case.id!r} has no answer text to learn from (scorer {case.scorer!r}). "
                     "Fix: give the case an expected text, or the answer to teach as options.answer.")


def _example(case: Case) -> Example:
    return Example(case_id=case.id, messages=case.messages(), answer=answer_text(case))


def split_task(task: Task, train_task: Task | None, share: float, seed: int = 0) -> Split:
    """Training examples and the held-out task (the cases that score base and tune)."""
    if train_task is not None:
        held = list(task.cases)
        seen = {json.dumps(c.messages(), sort_keys=True) for c in held}
        leaked = [c.id for c in train_task.cases if json.dumps(c.messages(), sort_keys=True) in seen]
        if leaked:
            raise InputError(f"training case(s) {', '.join(leaked[:5])} ask the same as a case of the task, which would "
                             "then score its own training. Fix: remove them from the training file.")
        train = list(train_task.cases)
    else:
        if not 0.0 < share < 1.0:
            raise InputError(f"--split {share}: the share of cases to train on must be between 0 and 1. Fix: e.g. --split 0.5.")
        cases = sorted(task.cases, key=lambda c: c.id)
        random.Random(seed).shuffle(cases)
        cut = round(len(cases) * share)
        train, held = cases[:cut], cases[cut:]
    if len(train) < MIN_EXAMPLES:
        raise InputError(f"only {len(train)} training example(s); a tune needs at least {MIN_EXAMPLES} (40 or more to "
                         "learn a format reliably). Fix: add cases, pass --train FILE, or raise --split.")
    if not held:
        raise InputError("no case is left to score the tune on. Fix: lower --split, or pass --train FILE.")
    return Split(train=[_example(c) for c in train],
                 held_out=Task(name=f"{task.name} (held out)", description=task.description, source=task.source, cases=held))
