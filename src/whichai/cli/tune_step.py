"""``whichai run --candidates K``: the "tune the best open candidate" step, shown (not run) when the
profile says customisation matters (see :mod:`whichai.measure.tune_step`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from whichai.cli.output import err_console

if TYPE_CHECKING:
    from whichai.measure.tune_step import TuneStep


def propose_tune(chosen: Any, profile: Any, task: Any, lang: str | None) -> TuneStep | None:
    """The proposed ``whichai tune BASE --task T`` (printed on stderr), or None: no candidate plan, no
    customisation need, or no open candidate that can be tuned here."""
    if chosen is None or not profile:
        return None
    from whichai.decide import load_profile
    from whichai.measure.tune_step import propose, render

    step = propose(chosen.measured, load_profile(profile).customise, str(task) if task else None)
    render(step, err_console(), "id" if lang == "id" else "en")
    return step
