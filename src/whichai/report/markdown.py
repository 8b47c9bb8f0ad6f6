"""The report as Markdown: the same sections as the HTML page, as tables, without charts.

Model answers are untrusted; in Markdown they are shown inside table cells with the characters that
would start markup (``<``, ``>``, ``|``, backticks, newlines) neutralised, so a renderer shows them as text.
"""

from __future__ import annotations

from typing import Any

from whichai.report.build import sensitivity_lines
from whichai.report.charts import HEADLINE_DIMS, dim_class
from whichai.report.html import _num, _pct, _secs, _usd
from whichai.report.i18n import t
from whichai.report.tco import tco_view


def cell(value: Any, limit: int | None = 300) -> str:
    text = "" if value is None else str(value)
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("|", "\\|")
        .replace("`", "\\`")
        .replace("\r", "")
        .replace("\n", "<br>")
    )


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out + [""]


def render_markdown(doc: dict[str, Any], lang: str = "en") -> str:
    run = doc["run"]
    lines = [f"# {t('title', lang)}: {cell(run['task'])}", ""]
    lines += [
        f"- {t('run', lang)}: `{run['id']}`",
        f"- {t('created', lang)}: {run['created_at']} · {t('status', lang)}: {run['status']}",
        f"- {t('models', lang)}: {', '.join(cell(m) for m in run['models'])}",
        f"- {t('cases', lang)}: {len(doc['cases'])}",
        "",
    ]
    lines += _recommendation(doc, lang)
    lines += [f"## {t('measured', lang)}", ""]
    openness = {m["id"]: m["openness"] for m in doc["models"]}
    lines += _table(
        [t("model", lang), t("openness", lang), t("pass_rate", lang), t("ci95", lang), t("errors", lang),
         t("latency_p50", lang), t("latency_p95", lang), t("ttft_p50", lang), t("tokens_per_s", lang),
         t("cost_run", lang), t("cost_1000", lang)],
        [
            [cell(s["model"]), t(f"openness.{openness.get(s['model'], 'unknown')}", lang), _pct(s["pass_rate"]),
             f"{_pct(s['pass_rate_ci95'][0])}–{_pct(s['pass_rate_ci95'][1])}", str(s["errors"]),
             _secs(s["latency_p50_s"]), _secs(s["latency_p95_s"]), _secs(s["ttft_p50_s"]),
             _num(s["output_tokens_per_s"]), _usd(s["cost_usd"]), _usd(s["cost_per_1000_cases_usd"])]
            for s in doc["summaries"]
        ],
    )
    lines += _tco(doc, lang)
    crit = doc["criteria"]
    key = "id" if lang == "id" else "en"
    lines += [f"## {t('chart.criteria', lang)}", ""]
    lines += _table(
        [t("model", lang)] + [crit["labels"][c][key] for c in crit["ids"]],
        [[cell(m)] + [_num(row[c]["score"], 2) for c in crit["ids"]] for m, row in crit["models"].items()],
    )
    lines += [f"## {t('openness', lang)}", ""]
    lines += _table(
        [t("model", lang), t("openness", lang), t("license", lang), t("reason", lang), t("sources", lang)],
        [
            [cell(m["id"]), t(f"openness.{m['openness']}", lang), cell(m.get("license") or "–"),
             cell(m.get("openness_reason") if m["in_catalog"] else t("not_in_catalog", lang)),
             cell(", ".join(f"{s.get('name')} ({s.get('as_of')})" for s in m.get("sources") or []))]
            for m in doc["models"]
        ],
    )
    dims_models = [m for m in doc["models"] if m.get("openness_dimensions")]
    if dims_models:
        dims = [d for d in HEADLINE_DIMS if any(d in m["openness_dimensions"] for m in dims_models)]
        lines += [f"### {t('chart.openness_dims', lang)}", ""]
        lines += _table(
            [t("model", lang)] + [t(f"dimname.{d}", lang) for d in dims],
            [[cell(m["id"])] + [t(f"dim.{dim_class(m['openness_dimensions'].get(d))}", lang) for d in dims] for m in dims_models],
        )
    lines += [f"## {t('per_case', lang)}", ""]
    models = run["models"]
    rows = []
    for c in doc["cases"]:
        row = [f"**{cell(c['id'])}**<br>{cell(c['input'], 200)}"]
        for m in models:
            r = c["results"][m]
            mark = {"pass": "✅", "fail": "❌", "error": "⚠️", "missing": "·"}[r["state"]]
            body = r.get("error_message") if r["state"] == "error" else r.get("answer")
            row.append(f"{mark} {t(r['state'], lang)}<br>{cell(body, 200)}")
        rows.append(row)
    lines += _table([t("case", lang)] + [cell(m) for m in models], rows)
    lines += [f"_{t('generated', lang)} {run['whichai_version']} · {doc['generated_at']}_", ""]
    return "\n".join(lines)


def _recommendation(doc: dict[str, Any], lang: str) -> list[str]:
    rec = doc.get("recommendation")
    lines = [f"## {t('recommendation', lang)}", ""]
    if not rec:
        return lines + [t("no_recommendation", lang), ""]
    lines += [f"**{t('verdict', lang)}: {t('verdict.' + (rec.get('verdict') or 'unknown'), lang)}**", ""]
    if rec.get("headline"):
        lines += [cell(rec["headline"], None), ""]
    if rec.get("explanation"):
        lines += [cell(rec["explanation"], None).replace("<br>", "\n"), ""]
    if rec.get("ranking"):
        lines += [f"### {t('top_models', lang)}", ""]
        lines += _table(["#", t("model", lang), t("score", lang)],
                        [[str(i), cell(r.get("model")), _num(r.get("score"), 3)] for i, r in enumerate(rec["ranking"][:10], 1)])
    flips = sensitivity_lines(rec.get("sensitivity"))
    if flips:
        lines += [f"### {t('what_would_change', lang)}", ""] + [f"- {cell(f, None)}" for f in flips] + [""]
    if rec.get("excluded"):
        lines += [f"### {t('excluded', lang)}", ""]
        lines += _table([t("model", lang), t("reasons", lang)],
                        [[cell(e.get("model")), cell("; ".join(map(str, e.get("reasons") or [])), None)] for e in rec["excluded"]])
    return lines


def _tco(doc: dict[str, Any], lang: str) -> list[str]:
    view = tco_view(doc)
    lines = [f"## {t('chart.tco', lang)}", ""]
    if not view or not view.get("rows"):
        return lines + [t("tco_none", lang), ""]
    lines += _table([t("model", lang), "", t("monthly_cost", lang)],
                    [[cell(r.get("model")), cell(r.get("kind") or ""), _usd(r.get("monthly_usd"))] for r in view["rows"]])
    if view.get("break_even_text"):
        lines += [cell(view["break_even_text"], None), ""]
    return lines
