"""The recommendation in words (English or Bahasa Indonesia) and in the terminal (rich).

Every number in the explanation is followed by its origin in brackets: [catalog], [measured],
[profile] or [estimate] (in Indonesian: [katalog], [diukur], [profil], [perkiraan]).
"""

from __future__ import annotations

import math
from collections import Counter
from typing import TYPE_CHECKING, Any

from whichai.criteria import CRITERION_IDS, label
from whichai.decide.constraints import Reason
from whichai.decide.i18n import count, num, pct, t, usd

if TYPE_CHECKING:
    from whichai.decide.recommendation import Recommendation
    from whichai.decide.scoring import Ranked, Score


def _o(origin: str, lang: str) -> str:
    return "[" + t(f"origin.{origin}", lang) + "]"


def verdict_label(verdict: str | None, lang: str) -> str:
    return t(f"verdict.{verdict or 'none'}", lang)


# Numbers in reasons: digits shown, and where the number came from.
_NUMBERS = {"rate": (2, "measured"), "min": (2, "profile"), "need": (1, "estimate"), "have": (1, "profile"), "hours": (0, "estimate")}


def reason_text(reason: Reason, lang: str, note: bool = False) -> str:
    params = dict(reason.params)
    for key, value in params.items():
        if key in ("cost", "budget"):
            params[key] = usd(value, lang)
        elif key == "requests":
            params[key] = count(value, lang)
        elif key in _NUMBERS:
            digits, origin = _NUMBERS[key]
            params[key] = num(value, lang, digits) + " " + _o(origin, lang)
    for key in ("openness", "required"):
        if key in params:
            params[key] = t(f"verdict.{params[key]}", lang) if f"verdict.{params[key]}" in _keys() else params[key]
    prefix = "note" if note and f"note.{reason.code}" in _keys() else "reason"
    return t(f"{prefix}.{reason.code}", lang, **params)


def _keys() -> dict:
    from whichai.decide.i18n import TEXTS

    return TEXTS


def _score_note(s: Score, lang: str, skill: str = "") -> str:
    if s.note.startswith("catalog:"):
        text = s.note[len("catalog:"):].strip()
    elif s.note:
        text = t(s.note, lang, skill=skill) if s.note == "why.ease_self" else t(s.note, lang)
    else:
        text = ""
    evidence = "; ".join(s.evidence[:2])
    if evidence and evidence not in text:
        text = f"{text} ({evidence})" if text else evidence
    return text


def _mode(r: Ranked, lang: str) -> str:
    return t(f"mode.{r.option.mode.kind}", lang)


def _factor_text(factor: float, direction: str, lang: str) -> str:
    if direction == "up":
        return t("wwc.times_up", lang, f=num(factor, lang, 1))
    return t("wwc.times_down", lang, f=num(1.0 / factor, lang, 1))


def wwc_text(item: dict[str, Any], rec: Recommendation, lang: str) -> str:
    names = {c.model: c.name for c in rec.outcome.candidates}
    winner = names.get(item.get("winner"), item.get("winner")) or t("wwc.nothing_left", lang)
    verdict = verdict_label(item.get("verdict"), lang)
    flips = item["flips"]
    kind = item["kind"]
    if kind == "weight":
        key = ("wwc." if flips == "verdict" else "wwc.winner_") + ("weight_up" if item["direction"] == "up" else "weight_down")
        return t(key, lang, label=label(item["criterion"], lang), from_=pct(item["from"], lang) + " " + _o("profile", lang),
                 to=pct(item["to"], lang), verdict=verdict, winner=winner)
    if kind in ("volume", "api_prices", "gpu_price"):
        factor = _factor_text(item["factor"], item["direction"], lang)
        key = ("wwc." if flips == "verdict" else "wwc.winner_") + kind
        return t(key, lang, factor=factor, requests=count(item.get("requests_per_month", 0), lang), verdict=verdict, winner=winner)
    change = t(f"change.{item['change']}", lang)
    key = "wwc.profile" if flips == "verdict" else "wwc.winner_profile"
    return t(key, lang, change=change, verdict=verdict, winner=winner)


def sensitivity_lines(rec: Recommendation, lang: str) -> list[str]:
    """One line per weight and per parameter: the range within which the top model stays first."""
    sens = rec.sensitivity
    names = {c.model: c.name for c in rec.outcome.candidates}
    winner = names.get(sens.get("winner"), sens.get("winner"))
    if not winner:
        return []
    lines = []
    for ws in sens.get("weights", []):
        lo = pct(ws["below"]["weight"], lang) if ws.get("below") else "0%"
        hi = pct(ws["above"]["weight"], lang) if ws.get("above") else "100%"
        lines.append(t("sens.weight", lang, label=label(ws["criterion"], lang), w=pct(ws["weight"], lang), winner=winner, lo=lo, hi=hi))
    for param in ("volume", "api_prices", "gpu_price"):
        block = sens.get(param)
        if not block:
            continue
        down, up = block["down"].get("winner"), block["up"].get("winner")
        lo = t("sens.times", lang, f=num(down["factor"], lang, 3)) if down else t("sens.any_lower", lang)
        hi = t("sens.times", lang, f=num(up["factor"], lang, 2)) if up else t("sens.any_higher", lang)
        lines.append(t("sens.param", lang, param=t(f"sens.param.{param}", lang), winner=winner, lo=lo, hi=hi))
    return lines


def _best_other(rec: Recommendation, top: Ranked) -> Ranked | None:
    for r in rec.ranked[1:]:
        if r.cand.openness != top.cand.openness and r.cand.openness != "unknown":
            return r
    return None


def _deciding(rec: Recommendation, a: Ranked, b: Ranked, lang: str) -> tuple[list[str], list[str]]:
    w = rec.outcome.w
    total = math.fsum(w.values())
    ca, cb = a.criteria(), b.criteria()
    contrib = sorted(
        ((w[c] / total * (ca[c].score - cb[c].score), c) for c in CRITERION_IDS), key=lambda x: (-x[0], x[1])
    )
    skill = rec.profile.team_skill
    lines = []
    for value, cid in contrib[:3]:
        if value <= 0:
            break
        if round(ca[cid].score, 2) == round(cb[cid].score, 2) and lines:
            continue
        lines.append(t(
            "ex.criterion", lang, label=label(cid, lang), weight=pct(w[cid] / total, lang),
            a=num(ca[cid].score, lang) + " " + _o(ca[cid].origin, lang), b=num(cb[cid].score, lang) + " " + _o(cb[cid].origin, lang),
            a_name=a.cand.name, a_ev=_score_note(ca[cid], lang, skill), b_name=b.cand.name, b_ev=_score_note(cb[cid], lang, skill),
        ))
    against = [
        f"{label(cid, lang)} {num(cb[cid].score, lang)} vs {num(ca[cid].score, lang)}"
        for value, cid in sorted(contrib, key=lambda x: (x[0], x[1]))[:2]
        if value < 0 and round(cb[cid].score, 2) != round(ca[cid].score, 2)
    ]
    return lines, against


def _cost_line(r: Ranked, lang: str) -> str:
    parts = ", ".join(
        f"{t('cost.' + c.name, lang)} {usd(c.usd, lang)} {_o(c.origin, lang)}" for c in r.option.mode.components if c.usd or c.name != "amortisation"
    )
    return t("ex.cost_item", lang, name=r.cand.name, usd=usd(r.monthly, lang), mode=_mode(r, lang), parts=parts)


def explanation(rec: Recommendation, lang: str) -> str:
    out: list[str] = []
    ranked = rec.ranked
    total_models = len(ranked) + len(rec.excluded)
    out.append(t("ex.verdict", lang, verdict=verdict_label(rec.verdict, lang)))
    if not ranked:
        out.append(t("ex.none", lang, n=total_models))
    else:
        top = ranked[0]
        out.append(t("ex.top", lang, name=top.cand.name, model=top.model, score=num(top.total, lang), mode=_mode(top, lang)))
        if rec.verdict == "hybrid" and rec.hybrid:
            h = rec.hybrid
            out.append(t(
                "ex.hybrid", lang, share=pct(h["sensitive"]["share"], lang) + " " + _o("profile", lang),
                sens_name=h["sensitive"]["name"], sens_mode=t(f"mode.{h['sensitive']['mode']}", lang),
                rest_name=h["rest"]["name"], rest_mode=t(f"mode.{h['rest']['mode']}", lang),
                usd=usd(h["monthly_usd"], lang) + " " + _o("estimate", lang),
            ))
        nxt = [f"{r.cand.name} ({num(r.total, lang)}, {verdict_label(r.cand.openness, lang) if r.cand.openness != 'unknown' else t('openness.unknown', lang)}, {_mode(r, lang)})" for r in ranked[1:3]]
        if nxt:
            out.append(t("ex.next", lang, items="; ".join(nxt)))
        if top.cand.openness == "unknown":
            out.append(t("ex.top_unknown", lang, model=top.model))
        out.append("")
        alt = _best_other(rec, top)
        if alt is not None:
            out.append(t("ex.why", lang, alt_verdict=verdict_label(alt.cand.openness, lang), alt_name=alt.cand.name, alt_score=num(alt.total, lang)))
        elif len(ranked) > 1:
            alt = ranked[1]
            other = "closed source" if top.cand.openness != "closed" else "open"
            if lang == "id":
                other = "closed source" if top.cand.openness != "closed" else "terbuka"
            out.append(t("ex.why_runner", lang, other=other, alt_name=alt.cand.name, alt_score=num(alt.total, lang)))
        else:
            out.append(t("ex.why_alone", lang))
        if alt is not None:
            lines, against = _deciding(rec, top, alt, lang)
            out.extend(lines)
            if against:
                out.append(t("ex.against", lang, alt_name=alt.cand.name, items="; ".join(against)))
        out.append("")
        v = rec.profile.volume
        out.append(t("ex.cost_head", lang, requests=count(v.requests_per_month, lang), tin=count(v.input_tokens_per_request, lang),
                     tout=count(v.output_tokens_per_request, lang)))
        shown = [top] + ([alt] if alt is not None else [])
        for r in shown:
            out.append(_cost_line(r, lang))
        be = rec.tco.get("break_even")
        if be:
            names = dict(self_name=be["self_hosted_name"], api_name=be["api_name"])
            if be["kind"] == "above":
                out.append(t("ex.break_even_above", lang, requests=count(be["requests_per_month"], lang),
                             current=count(be["current_requests_per_month"], lang), **names))
            elif be["kind"] == "always":
                out.append(t("ex.break_even_always", lang, **names))
            else:
                out.append(t("ex.break_even_never", lang, **names))
    if rec.excluded:
        out.append("")
        out.append(t("ex.excluded", lang, n=len(rec.excluded), total=total_models))
        counts = Counter(r.code for _, reasons in rec.excluded for r in reasons)
        for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:5]:
            out.append(t("ex.excluded_item", lang, count=n, reason=t(f"group.{code}", lang)))
    out.append("")
    if rec.what_would_change:
        first = rec.what_would_change[0]
        head = "ex.wwc_head_winner" if first["flips"] == "winner" else ("ex.wwc_head" if first["verdict"] else "ex.wwc_head_none")
        out.append(t(head, lang))
        for i, item in enumerate(rec.what_would_change, 1):
            out.append(f"{i}. {wwc_text(item, rec, lang)}")
    else:
        out.append(t("ex.wwc_none", lang))
    unmeasured = sum(1 for r in ranked if r.cand.measurement is None)
    if rec.measured and unmeasured:
        out.append("")
        out.append(t("ex.unmeasured", lang, n=unmeasured))
    elif not rec.measured and ranked:
        out.append("")
        out.append(t("ex.no_measurements", lang))
    return "\n".join(out).strip() + "\n"


def render(rec: Recommendation, console: Any = None, lang: str | None = None, top: int = 10) -> None:
    """Print the recommendation in the terminal: ranking table, weights, cost, explanation."""
    from rich.console import Console
    from rich.markup import escape
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    lang = lang or rec.lang
    console = console or Console()
    title = t("ui.title", lang, profile=rec.profile.name)
    console.print(Panel(f"[bold]{t('ex.verdict', lang, verdict=verdict_label(rec.verdict, lang))}[/]", title=title, expand=False))
    if rec.ranked:
        table = Table(title=t("ui.ranking", lang, n=min(top, len(rec.ranked)), total=len(rec.ranked)), title_justify="left")
        measured = any(r.cand.measurement for r in rec.ranked)
        cols = ["ui.rank", "ui.model", "ui.openness", "ui.score", "ui.mode", "ui.monthly"] + (["ui.measured"] if measured else [])
        for col in cols:
            table.add_column(t(col, lang), justify="right" if col in ("ui.rank", "ui.score", "ui.monthly") else "left",
                             ratio=3 if col == "ui.model" else None, overflow="fold" if col == "ui.model" else "ellipsis")
        for i, r in enumerate(rec.ranked[:top], 1):
            openness = r.cand.openness if r.cand.openness != "unknown" else "?"
            row = [str(i), f"{escape(r.cand.name)}\n[dim]{escape(r.model)}[/]", openness, num(r.total, lang), t(f"mode_short.{r.option.mode.kind}", lang),
                   num(r.monthly, lang)]
            if measured:
                row.append(t("ui.yes" if r.cand.measurement else "ui.no", lang))
            table.add_row(*row)
        console.print(table)
        wt = Table(title=t("ui.weights", lang), title_justify="left")
        wt.add_column(t("ui.criterion", lang))
        wt.add_column(t("ui.weight", lang), justify="right")
        wt.add_column(t("ui.why_weight", lang))
        o = rec.outcome
        total = math.fsum(o.w.values())
        for cid in CRITERION_IDS:
            wt.add_row(label(cid, lang), pct(o.w[cid] / total, lang), t(o.weights[cid].why, lang))
        console.print(wt)
    # Plain text, not markup: the origin labels ([measured], [catalog], [estimate], [profile]) must show.
    console.print(Panel(Text(rec.explain(lang).rstrip()), title=t("ui.explanation", lang), expand=False))
