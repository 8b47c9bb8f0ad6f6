"""At the provider boundary, a bug of whichai's own is not passed off as the model's failure.

The runner classifies a foreign exception raised while calling a model through its provider
(``llama.cpp failed``, ``server error``...). An exception raised by a line of whichai's own code is a
bug: the result then says so, with the file and line, as a fatal (not retried) ``internal`` error.
"""

from __future__ import annotations

import json

import pytest

from whichai.decide.i18n import num
from whichai.errors import FatalCallError, RetryableError
from whichai.measure.runner import internal_error


def _raised(call):
    try:
        call()
    except Exception as exc:  # the exception itself is what the test looks at
        return exc
    raise AssertionError("nothing raised")


def test_an_exception_raised_in_whichai_is_an_internal_error_with_its_place() -> None:
    exc = _raised(lambda: num("not a number", "en"))  # whichai's own code fails on its input
    found = internal_error(exc)
    assert isinstance(found, FatalCallError) and found.error_class == "internal"
    assert "whichai/decide/i18n.py:" in str(found) and type(exc).__name__ in str(found)
    assert "bug in whichai" in str(found)


@pytest.mark.parametrize("call", [lambda: json.loads("{not json"), lambda: int("x")])
def test_an_exception_raised_by_a_library_is_left_to_the_provider(call) -> None:
    assert internal_error(_raised(call)) is None


def test_whichais_own_errors_are_not_internal() -> None:
    def fail():
        raise RetryableError("server error (HTTP 503)", error_class="server_error")

    assert internal_error(_raised(fail)) is None


def test_the_runner_asks_judge_py_about_every_scorer_a_judge_may_score() -> None:
    """The runner answers "no judge" for most cases without importing judge.py (it asks twice per call): for
    every scorer, with and without judge options, its answer is judge.py's."""
    from whichai.measure import judge, runner
    from whichai.tasks.model import Case
    from whichai.tasks.scorers import SCORERS

    rubric = {"assert": [{"type": "llm-rubric", "value": "polite"}], "judge_model": "fake/judge", "model": "fake/judge"}
    for scorer in SCORERS:
        for options in ({}, rubric):
            case = Case.model_construct(id="c", input="q", scorer=scorer, options=options)
            assert runner._needs_judge(case) == judge.needs_judge(case), (scorer, options)
    assert runner._needs_judge(Case.model_construct(id="c", input="q", scorer="judge", options=rubric))
    assert runner._needs_judge(Case.model_construct(id="c", input="q", scorer="promptfoo", options=rubric))
