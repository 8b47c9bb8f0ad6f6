"""The report as Markdown: the same sections as the HTML page, as tables, without charts.

It renders the report document (:mod:`whichai.report.build`): decide's decision document for the
verdict, scores, costs, origins and texts; the run's measurements and answers. Model answers and
every other text are untrusted; in Markdown they are shown inside table cells with the characters
that would start markup (``<``, ``>``, ``|``, backticks, newlines) neutralised.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from whichai.report.document import ReportDocument

from whichai.catalog.age import STALE_DAYS
from whichai.criteria import CRITERION_IDS, label
from whichai.decide.i18n import t as dt
from whichai.report.charts import HEADLINE_DIMS, dim_class
from whichai.report.html import _count, _num, _pct, _secs, _usd
from whichai.report.i18n import t
from whichai.report.views import criteria_rows, excluded_rows, provisional, run_ranking, tco_rows, text


def cell(value: Any, limit: int | None = 300) -> str:
    out = "" if value is None else str(value)
    if limit is not None and len(out) > limit:
        out = out[: limit - 1] + "…"
    return (
        out.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|").replace("`", "\\`")
        .replace("*", "\\*").replace("_", "\\_").replace("[", "\\[").replace("]", "\\]").replace("\r", "").replace("\n", "<br>")
    )


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out + [""]


def _origin(origin: str, lang: str) -> str:
    return f"({dt('origin.' + origin, lang)})"


def render_markdown(doc: ReportDocument, lang: str = "en") -> str:
    run = doc.get("run")
    title = f"# {t('title', lang)}: {cell(run['task'])}" if run else f"# {t('title', lang)}"
    lines = [title, ""]
    if run:
        lines += [f"- {t('run', lang)}: `{run['id']}`",
                  f"- {t('created', lang)}: {run['created_at']} · {t('status', lang)}: {run['status']}",
                  f"- {t('models', lang)}: {', '.join(cell(m) for m in run['models'])}",
                  f"- {t('cases', lang)}: {len(doc['cases'])}", ""]
        if doc.get("promptfoo"):
            lines[-1:-1] = [f"- {cell(doc['promptfoo']['text'], None)}"]
    lines += _verdict(doc, lang) + _why(doc, lang)
    if run:
        lines += _measured(doc, lang)
    lines += _tco(doc, lang) + _gateway(doc, lang) + _loads(doc, lang) + _criteria(doc, lang) + _openness(doc, lang)
    if run:
        lines += _cases(doc, lang)
    version = run["whichai_version"] if run else ""
    return "\n".join(lines + [f"_{t('generated', lang)} {version} · {doc['generated_at']}_", ""])


def _verdict(doc: ReportDocument, lang: str) -> list[str]:
    dec = doc["decision"]
    mark = f" ({dt('ui.provisional', lang)})" if provisional(doc) else ""
    lines = [f"## {t('recommendation', lang)}", "", f"{t('profile', lang)}: **{cell(dec['profile']['name'])}**", "",
             f"**{t('verdict', lang)}{mark}: {cell(text(dec['verdict_text'], lang))}**", "",
             f"{t('evidence', lang)}: {cell(text(dec['evidence']['text'], lang), None)}", ""]
    if provisional(doc) and dec["evidence"]["next_to_measure"]:
        ev = dec["evidence"]
        how = f" (`{cell(ev['next_command'])}`)" if ev.get("next_command") else ""
        lines += [f"{dt('ui.measure_next', lang)}: " + ", ".join(cell(m) for m in ev["next_to_measure"]) + how, ""]
    run = dec["run"]
    if run:
        lines += [cell(text(run["text"], lang), None), ""]
    age = dec["catalog_age"]
    if age.get("newest_as_of"):
        days = "?" if age.get("age_days") is None else age["age_days"]
        lines += [dt("ex.catalog_age", lang, oldest=age["oldest_as_of"], newest=age["newest_as_of"], days=days), ""]
    if (age.get("age_days") or 0) > STALE_DAYS:
        lines += [f"**{dt('ex.catalog_stale', lang, days=age['age_days'], limit=STALE_DAYS)}**", ""]
    lines += [cell(b["text"], None) + "  " for b in dec["explanation"]["id" if lang == "id" else "en"]] + [""]  # the text names its origins
    if dec["ranking"]:
        lines += [f"### {t('top_models', lang)}", ""]
        lines += _table(["#", t("model", lang), t("openness", lang), t("score", lang), t("mode", lang), t("monthly_cost", lang)],
                        [[str(r["rank"]), cell(r["model"]), t("openness." + r["openness"], lang), _num(r["score"], lang),
                          t("mode." + r["mode"], lang), f"{_usd(r['monthly_usd'], lang)} {_origin(r['monthly_origin'], lang)}"]
                         for r in dec["ranking"][:10]])
    mine = run_ranking(doc)
    if mine:
        lines += [f"### {t('your_models', lang)}", ""]
        lines += _table([t("rank", lang), t("model", lang), t("score", lang), t("monthly_cost", lang)], [_mine(m, lang) for m in mine])
    return lines


def _mine(m: dict[str, Any], lang: str) -> list[str]:
    r, e = m["row"], m["excluded"]
    if r:
        return [f"#{r['rank']}", cell(m["model"]), _num(r["score"], lang), f"{_usd(r['monthly_usd'], lang)} {_origin(r['monthly_origin'], lang)}"]
    if e:
        return [t("excluded", lang), cell(m["model"]), "–", cell("; ".join(text(x["text"], lang) for x in e["reasons"]), None)]
    return ["–", cell(m["model"]), "–", t("not_ranked", lang)]


def _why(doc: ReportDocument, lang: str) -> list[str]:
    dec = doc["decision"]
    lines = [f"### {dt('ui.weights', lang)}", ""]
    lines += _table([dt("ui.criterion", lang), dt("ui.weight", lang), dt("ui.why_weight", lang)],
                    [[label(c, lang), _pct(w["weight"], lang), f"{cell(text(w['reason'], lang), None)} {_origin(w['origin'], lang)}"]
                     for c, w in dec["weights"].items()])
    if dec["what_would_change"]:
        lines += [f"### {t('what_would_change', lang)}", ""] + [f"- {cell(text(c['text'], lang), None)}" for c in dec["what_would_change"]] + [""]
    if dec["sensitivity"]["lines"].get(lang):
        lines += [f"### {t('sensitivity', lang)}", ""] + [f"- {cell(x, None)}" for x in dec["sensitivity"]["lines"][lang]] + [""]
    excl = excluded_rows(doc)
    if excl:
        lines += [f"### {dt('ui.excluded', lang, n=len(dec['excluded']))}", ""]
        lines += _table([t("model", lang), t("reasons", lang)],
                        [[cell(e["model"]), cell("; ".join(text(x["text"], lang) for x in e["reasons"]), None)] for e in excl])
    return lines


def _measured(doc: ReportDocument, lang: str) -> list[str]:
    lines = [f"## {t('measured', lang)}", ""]
    return lines + _table(
        [t("model", lang), t("openness", lang), t("pass_rate", lang), t("ci95", lang), t("errors", lang), t("latency_p50", lang),
         t("latency_p95", lang), t("ttft_p50", lang), t("tokens_per_s", lang), t("cost_run", lang), t("cost_1000", lang)],
        [[cell(s["model"]), t(f"openness.{s['openness']}", lang), _pct(s["pass_rate"], lang),
          f"{_pct(s['pass_rate_ci95'][0], lang)}–{_pct(s['pass_rate_ci95'][1], lang)}", str(s["errors"]), _secs(s["latency_p50_s"], lang),
          _secs(s["latency_p95_s"], lang), _secs(s["ttft_p50_s"], lang), _num(s["output_tokens_per_s"], lang, 1),
          _usd(s["cost_usd"], lang), _usd(s["cost_per_1000_cases_usd"], lang)] for s in doc["summaries"]],
    )


def _tco(doc: ReportDocument, lang: str) -> list[str]:
    tco = doc["decision"]["tco"]
    lines = [f"## {t('chart.tco', lang)}", "", f"{t('tco_at', lang)} {_count(tco['requests_per_month'], lang)} {t('requests_month', lang)}", ""]
    rows = tco_rows(doc)
    if not rows:
        return lines + [t("tco_none", lang), ""]
    lines += _table([t("model", lang), t("mode", lang), t("monthly_cost", lang), t("components", lang)],
                    [[cell(r["model"]), t("mode." + r["mode"], lang), f"{_usd(r['monthly_usd'], lang)} {_origin(r['origin'], lang)}",
                      cell("; ".join(f"{t('component.' + c['name'], lang)} {_usd(c['monthly_usd'], lang)} {_origin(c['origin'], lang)}"
                                     for c in r["components"]), None)] for r in rows])
    be = tco["break_even"]
    if be:
        lines += [cell(text(be["text"], lang), None), ""]
    return lines


def _gateway(doc: ReportDocument, lang: str) -> list[str]:
    g = doc.get("gateway")
    if not g:
        return []
    estimate = _usd(g["decision_monthly_usd"], lang) if g["decision_monthly_usd"] is not None else "?"
    lines = [f"## {t('gateway.title', lang)}", "",
             t("gateway.line", lang).format(requests=g["requests"], since=cell(g["since"]), sensitive=g["sensitive"],
                                             errors=g["errors"], cost=_usd(g["cost_usd"], lang), estimate=estimate), ""]
    if g.get("saving_usd") is not None:
        lines += [t("gateway.saving", lang).format(api=_usd(g["all_to_api_usd"], lang), saving=_usd(g["saving_usd"], lang)), ""]
    lines += [f"- {t('gateway.route', lang).format(route=cell(r['route']), models=cell(', '.join(r['models'])), requests=r['requests'], sensitive=r['sensitive'], cost=_usd(r['cost_usd'], lang))}"
              for r in g["routes"]]
    return lines + [""]


def _loads(doc: ReportDocument, lang: str) -> list[str]:
    if not doc.get("loads"):
        return []
    lines = [f"## {t('chart.load', lang)}", ""]
    for s in doc["loads"]:
        lines += [f"### {cell(s['model'])}" + (f" · {cell(s['server'])}" if s.get("server") else ""), ""]
        lines += _table([t("load_concurrency", lang), "req/s", t("tokens_per_s", lang), t("ttft_p50", lang), t("latency_p50", lang),
                         t("latency_p95", lang)],
                        [[str(p["concurrency"]), _num(p.get("requests_per_s"), lang), _num(p["output_tokens_per_s"], lang, 1),
                          _secs(p.get("ttft_p50_s"), lang), _secs(p.get("latency_p50_s"), lang), _secs(p.get("latency_p95_s"), lang)]
                         for p in sorted(s["points"], key=lambda p: p["concurrency"])])
    return lines


def _criteria(doc: ReportDocument, lang: str) -> list[str]:
    rows = criteria_rows(doc)
    lines = [f"## {t('chart.criteria', lang)}", ""]
    if not rows:
        return lines + [t("criteria_none", lang), ""]
    return lines + _table(
        [t("model", lang)] + [label(c, lang) for c in CRITERION_IDS],
        [[cell(r["model"])] + [f"{_num(r['criteria'][c]['score'], lang)} {_origin(r['criteria'][c]['origin'], lang)}" for c in CRITERION_IDS]
         for r in rows],
    )


def _openness(doc: ReportDocument, lang: str) -> list[str]:
    lines = [f"## {t('openness', lang)}", ""]
    lines += _table(
        [t("model", lang), t("openness", lang), t("license", lang), t("reason", lang), t("sources", lang)],
        [[cell(m["id"]), t(f"openness.{m['openness']}", lang), cell(m.get("license") or "–"),
          cell(m.get("openness_reason") if m["in_catalog"] else t("not_in_catalog", lang)),
          cell(", ".join(f"{s.get('name')} ({s.get('as_of')})" for s in m.get("sources") or []))] for m in doc["models"]],
    )
    dims_models = [m for m in doc["models"] if m.get("openness_dimensions")]
    if dims_models:
        dims = [d for d in HEADLINE_DIMS if any(d in m["openness_dimensions"] for m in dims_models)]
        lines += [f"### {t('chart.openness_dims', lang)}", ""]
        lines += _table([t("model", lang)] + [t(f"dimname.{d}", lang) for d in dims],
                        [[cell(m["id"])] + [t(f"dim.{dim_class(m['openness_dimensions'].get(d))}", lang) for d in dims] for m in dims_models])
    return lines


def _cases(doc: ReportDocument, lang: str) -> list[str]:
    models = doc["run"]["models"] if doc["run"] else []
    rows = []
    for c in doc["cases"]:
        row = [f"**{cell(c['id'])}**<br>{cell(c['input'], 200)}"]
        for m in models:
            r = c["results"][m]
            mark = {"pass": "✅", "fail": "❌", "error": "⚠️", "missing": "·"}[r["state"]]
            body = r.get("error_message") if r["state"] == "error" else r.get("answer")
            row.append(f"{mark} {t(r['state'], lang)}<br>{cell(body, 200)}")
        rows.append(row)
    return [f"## {t('per_case', lang)}", ""] + _table([t("case", lang)] + [cell(m) for m in models], rows)
