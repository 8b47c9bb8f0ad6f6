"""The "tune the best open candidate" step of ``whichai run --candidates K`` (issue 18).

When the profile says customisation matters (``customise`` is ``nice`` or ``must``), the candidate plan
proposes ``whichai tune BASE --task T`` for the best-ranked open candidate that can be tuned here: a
local GGUF (not itself a tune) whose architecture the tune code exports (:mod:`whichai.tune.export`).
It is proposed, not run: training takes minutes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from whichai.errors import WhichaiError

if TYPE_CHECKING:
    from whichai.measure.candidates import Chosen


@dataclass(frozen=True)
class TuneStep:
    """The proposed ``whichai tune BASE --task T`` (``run``: always False, it is proposed, not run)."""

    base: str
    rank: int
    command: str
    run: bool = False
    reason: dict[str, str] = field(default_factory=dict)  # lang -> why this model

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def text(key: str, lang: str, **params: Any) -> str:
    """A text of the ``candidates`` table of the gettext catalogs (``tune_step``, ``tune_why``)."""
    from whichai.i18n import text as lookup

    return lookup(key, lang, "candidates", **params)


def tunable(model: str) -> bool:
    """Whether ``model`` (an id run here) is a GGUF on this machine that ``whichai tune`` can export."""
    from whichai.providers.registry import split_model_id

    prefix, name = split_model_id(model)
    if prefix != "local" or name.startswith("tuned:"):
        return False
    try:
        from whichai.providers.local import model_path
        from whichai.tune.export import check_exportable

        path = model_path(name)
        if not path.is_file():
            return False
        check_exportable(path)
    except (WhichaiError, ImportError, OSError, ValueError):  # not a GGUF, another architecture, gguf missing: not tunable here
        return False
    return True


def propose(measured: list[Chosen], customise: str, task: str | None,
            can_tune: Callable[[str], bool] = tunable) -> TuneStep | None:
    """The step for the best open candidate of ``measured`` (the plan's rows) that can be tuned here,
    when customisation matters and the run has a task; else None."""
    if customise == "none" or not task:
        return None
    for row in sorted((r for r in measured if r.side == "open"), key=lambda r: r.rank):
        if can_tune(row.model):
            reason = {lang: text("tune_why", lang, model=row.model, rank=row.rank) for lang in ("en", "id")}
            return TuneStep(row.model, row.rank, f"whichai tune {row.model} --task {task}", reason=reason)
    return None


def render(step: TuneStep | None, console: Any, lang: str) -> None:
    if step is None:
        return
    from rich.markup import escape

    console.print("[bold]" + escape(text("tune_step", lang)) + "[/]")
    console.print(f"  {escape(step.command)}  [dim]({escape(step.reason.get(lang, step.reason['en']))})[/]")
