"""The report's charts are written as plotly.js figure specs directly (issue 24: plotly.py's figure classes
cost more CPU than the rest of the report's charts). Each spec must be the figure plotly.py itself makes
of the same traces and layout: every property passes plotly.py's validators, its default template is in
the layout, and the JSON is escaped as plotly.io escapes it."""

from __future__ import annotations

import json

import pytest
from report_sample import make_sample_run

import whichai.report.charts as charts

RUN = "a1b2c3d4e5f6sample"


@pytest.fixture(scope="module")
def doc(tmp_path_factory) -> dict:
    from whichai.app import build_report

    store = make_sample_run(tmp_path_factory.mktemp("charts") / "w.db")
    try:
        if _has_load():
            from report_sample import add_sample_sweep

            add_sample_sweep(store)
        return dict(build_report(store, RUN))
    finally:
        store.close()


def _has_load() -> bool:
    import importlib.util

    return importlib.util.find_spec("whichai.measure.load") is not None


def _plotly_json(traces: list[dict], layout: dict) -> str:
    """The same figure made and serialised by plotly.py (validating every property on the way)."""
    go = pytest.importorskip("plotly.graph_objects")
    return go.Figure(data=traces, layout=layout).to_json(pretty=False, engine="json")


@pytest.mark.parametrize("lang", ["en", "id"])
def test_every_chart_is_the_figure_plotly_makes(doc, lang, monkeypatch):
    made: list[tuple[list[dict], dict, str]] = []
    direct = charts._figure

    def recorded(traces, layout):
        text = direct(traces, layout)
        made.append((traces, layout, text))
        return text

    monkeypatch.setattr(charts, "_figure", recorded)
    drawn = {name: spec for name, spec in charts.all_charts(doc, lang).items() if spec is not None}
    expected = {"quality_latency", "latency_dist", "criteria", "openness_dims", "tco"} | ({"load"} if _has_load() else set())
    assert expected <= set(drawn)
    assert len(made) == len(drawn)
    for traces, layout, text in made:
        theirs = _plotly_json(traces, layout)
        assert json.loads(text) == json.loads(theirs)
        assert json.loads(text)["layout"]["template"]["layout"]["colorway"]  # plotly.py's default look, drawn by plotly.js


def test_strings_are_escaped_and_non_finite_numbers_are_null_as_plotly_writes_them():
    traces = [{"type": "scatter", "x": [1.0, float("nan"), float("inf")], "y": [1, 2, 3], "name": "</script><b>a/b</b>"}]
    layout = {"height": 300}
    text = charts._figure(traces, layout)
    assert "<" not in text and ">" not in text and "/" not in text
    assert json.loads(text) == json.loads(_plotly_json(traces, layout))
    assert json.loads(text)["data"][0]["x"] == [1.0, None, None]
