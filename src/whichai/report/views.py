"""What each view shows of the decision document: selections and look-ups, never a computation.

Every function here picks rows and fields out of ``doc["decision"]`` (decide's ``whichai.decision/1``
document); scores, costs, origins and texts are passed through as decide wrote them. Numbers are
formatted by :mod:`whichai.decide.i18n` (one format per language), labels by
:mod:`whichai.report.i18n`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from whichai.decide.document_json import DecisionJSON, ExclusionJSON, RankRowJSON, TcoModelJSON
    from whichai.report.document import ReportDocument

SHOWN = 8  # the top of the ranking shown in the views, besides the run's own models


def shown_models(decision: DecisionJSON, run_models: list[str]) -> list[str]:
    """The models the views detail: the top models, the top of the ranking, then the run's own models."""
    out: list[str] = []
    for m in [*decision.get("top_models", []), *(r["model"] for r in decision["ranking"][:SHOWN]), *run_models]:
        if m not in out:
            out.append(m)
    return out


def text(value: Any, lang: str) -> str:
    """A two-language text of the document ({en, id}) in ``lang``."""
    if isinstance(value, dict):
        return value.get(lang) or value.get("en") or ""
    return "" if value is None else str(value)


def rows_by_model(doc: ReportDocument) -> dict[str, RankRowJSON]:
    return {r["model"]: r for r in doc["decision"]["ranking"]}


def provisional(doc: ReportDocument) -> bool:
    """The verdict is not measured (decide's evidence level) and is shown as provisional."""
    decision = doc["decision"]
    return decision["evidence"]["level"] != "measured" and bool(decision["ranking"])


def run_ranking(doc: ReportDocument) -> list[dict[str, Any]]:
    """Where each model of the run stands in the decision: its ranking row, or its exclusion."""
    run = doc.get("run")
    ranked = rows_by_model(doc)
    excluded = {e["model"]: e for e in doc["decision"]["excluded"]}
    rows: list[dict[str, Any]] = []
    for m in run["models"] if run else []:
        if m in ranked:
            rows.append({"model": m, "row": ranked[m], "excluded": None})
        elif m in excluded:
            rows.append({"model": m, "row": None, "excluded": excluded[m]})
        else:
            rows.append({"model": m, "row": None, "excluded": None})
    return rows


def criteria_rows(doc: ReportDocument) -> list[RankRowJSON]:
    """The ranking rows of the shown models (each with decide's ten criterion cells), in ranking order."""
    ranked = rows_by_model(doc)
    return sorted((ranked[m] for m in doc["shown"] if m in ranked), key=lambda r: r["rank"])


def tco_rows(doc: ReportDocument) -> list[TcoModelJSON]:
    """decide's cost-of-ownership rows (tco.models): the shown models first, in ranking order."""
    models = doc["decision"]["tco"]["models"]
    shown = set(doc["shown"])
    return [m for m in models if m["model"] in shown] or list(models)


def excluded_rows(doc: ReportDocument, limit: int = 12) -> list[ExclusionJSON]:
    """The exclusions to list: the run's models first, then the first others."""
    run = doc.get("run")
    run_models = set(run["models"] if run else [])
    excluded = doc["decision"]["excluded"]
    mine = [e for e in excluded if e["model"] in run_models]
    return mine + [e for e in excluded if e["model"] not in run_models][: max(0, limit - len(mine))]
