"""``whichai run --repeat N``: ask each case N times, to see how consistent a model is.

Each repeat is a case of its own in the run (id ``<case>#<k>``, tags ``repeat:<k>`` and
``repeat-of:<case>``), so the repeat index is part of every result's key: nothing is reused between
repeats, a resumed run finishes exactly the repeats that are missing, and several processes share the
work as for any case. Repeats only make sense with sampling: the temperature must be above 0 (0.7 when
not given) and no fixed seed is sent. Metrics fold the repeats back into their case
(:func:`base_ids`): a case's score is the share of its repeats that passed, and ``consistency`` is the
share of cases whose repeats all passed or all failed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from whichai.errors import InputError

if TYPE_CHECKING:
    from whichai.tasks.model import Task

DEFAULT_TEMPERATURE = 0.7
MAX_REPEAT = 100


def expand(task: Task, n: int) -> Task:
    """The task with every case asked ``n`` times (unchanged when n is 1)."""
    if n < 1 or n > MAX_REPEAT:
        raise InputError(f"--repeat {n} is out of range. Fix: use --repeat 1 to {MAX_REPEAT}.")
    if n == 1:
        return task
    cases = [c.model_copy(update={"id": f"{c.id}#{k}", "tags": [*c.tags, f"repeat:{k}", f"repeat-of:{c.id}"]})
             for c in task.cases for k in range(1, n + 1)]
    return task.model_copy(update={"cases": cases})


def temperature_for(n: int, given: float | None) -> tuple[float | None, str | None]:
    """(temperature to use or None for the default, a note) for ``n`` repeats; 0 with repeats is bad input."""
    if n <= 1:
        return given, None
    if given is None:
        return DEFAULT_TEMPERATURE, (f"--repeat {n}: sampling at temperature {DEFAULT_TEMPERATURE} (repeats at temperature 0 "
                                     "would only measure the cache). Pass --temperature to choose another.")
    if given <= 0:
        raise InputError(f"--repeat {n} with --temperature {given:g} asks the same question the same way {n} times. "
                         "Fix: pass --temperature above 0 (e.g. 0.7), or drop --repeat.")
    return given, None


def base_ids(cases: list[dict[str, Any]]) -> dict[str, tuple[str, int]]:
    """Stored case id -> (its case id, repeat index) for repeated cases; empty for a run without repeats."""
    out = {}
    for case in cases:
        tags = case.get("tags", [])
        of = next((t.split(":", 1)[1] for t in tags if t.startswith("repeat-of:")), None)
        k = next((t.split(":", 1)[1] for t in tags if t.startswith("repeat:")), None)
        if of is not None and k is not None and k.isdigit():
            out[case["id"]] = (of, int(k))
    return out


def fold(cases: list[dict[str, Any]], rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(the run's own cases, its results with case_id and repeat folded back) — identity without repeats."""
    bases = base_ids(cases)
    if not bases:
        return cases, rows
    own: dict[str, dict[str, Any]] = {}
    for case in cases:
        base, _ = bases.get(case["id"], (case["id"], 0))
        tags = [t for t in case.get("tags", []) if not t.startswith(("repeat:", "repeat-of:"))]
        own.setdefault(base, {**case, "id": base, "tags": tags})
    folded = [{**r, "case_id": bases[r["case_id"]][0], "repeat": bases[r["case_id"]][1]} if r["case_id"] in bases else r
              for r in rows]
    return list(own.values()), folded
