"""The recommendation in words, English and Bahasa Indonesia, as structured blocks.

Each block is one sentence (or line) with the figures it states and their origins; every figure in
a text is followed by its origin in brackets: [catalog], [measured], [profile], [estimate]
([katalog], [diukur], [profil], [perkiraan] in Indonesian). The terminal, the reports and the
dashboard show these blocks; they never compose explanations of their own.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from typing import Any, cast

from whichai.catalog.lifecycle import lifecycle_of
from whichai.criteria import CRITERION_IDS, label
from whichai.decide.constraints import Reason
from whichai.decide.criteria_scores import Score, within_noise
from whichai.decide.criteria_scores import reason_text as score_text
from whichai.decide.document import DETAIL_ROWS, Block, Figure, Origin, Texts
from whichai.decide.i18n import LANGS, TEXTS, count, num, pct, t, usd
from whichai.decide.outcome import Findings
from whichai.decide.scoring import Ranked, operations_decide
from whichai.decide.tco import at_volume


def both(make: Callable[[str], str]) -> Texts:
    """One text in both languages, from a function of the language."""
    return Texts(en=make("en"), id=make("id"))


def _origin(origin: str) -> Origin:
    """A decide origin (a ``str`` where it is made) as the document's type: the document's validation checks it."""
    return cast(Origin, origin)


def origin_label(origin: str, lang: str) -> str:
    return "[" + t(f"origin.{origin}", lang) + "]"


def verdict_label(verdict: str | None, lang: str) -> str:
    return t(f"verdict.{verdict or 'none'}", lang)


# Numbers in reasons: digits shown, and where the number came from.
_NUMBERS = {"rate": (2, "measured"), "low": (2, "measured"), "min": (2, "profile"), "need": (1, "estimate"), "have": (1, "profile"), "hours": (0, "estimate"),
            "limit": (0, "profile")}


def reason_text(reason: Reason, lang: str, note: bool = False) -> str:
    params = dict(reason.params)
    for key, value in params.items():
        if key in ("cost", "budget"):
            params[key] = usd(value, lang)
        elif key == "requests":
            params[key] = count(value, lang)
        elif key in _NUMBERS:
            digits, origin = _NUMBERS[key]
            params[key] = num(value, lang, digits) + " " + origin_label(origin, lang)
    for key in ("openness", "required"):
        if key in params and f"verdict.{params[key]}" in TEXTS:
            params[key] = t(f"verdict.{params[key]}", lang)
    prefix = "note" if note and f"note.{reason.code}" in TEXTS else "reason"
    return t(f"{prefix}.{reason.code}", lang, **params)


def score_reason(s: Score, lang: str, skill: str = "") -> str:
    """Why a criterion scored what it did: the note's text, and (in English, the language the evidence is recorded in)
    its first evidence items; in another language the text alone, which carries its figures itself."""
    if s.note.startswith("catalog:"):
        text = t("why.catalog_reason", lang, reason=s.note[len("catalog:"):].strip())
    elif s.note:
        text = score_text(s.note, {"skill": skill, **s.params}, lang)
    else:
        text = ""
    evidence = "; ".join(s.evidence[:2]) if lang == "en" else ""
    if evidence and evidence not in text:
        text = f"{text} ({evidence})" if text else evidence
    return text


def _mode(r: Ranked, lang: str) -> str:
    return t(f"mode.{r.option.mode.kind}", lang)


def _factor_text(factor: float, direction: str, lang: str) -> str:
    if direction == "up":
        return t("wwc.times_up", lang, f=num(factor, lang, 1))
    return t("wwc.times_down", lang, f=num(1.0 / factor, lang, 1))


def change_text(item: dict[str, Any], names: dict[str, str], lang: str) -> str:
    """One "what would change" item in words."""
    winner = names.get(item.get("winner") or "", item.get("winner")) or t("wwc.nothing_left", lang)
    verdict = verdict_label(item.get("verdict"), lang)
    flips, kind = item["flips"], item["kind"]
    if kind == "weight":
        key = ("wwc." if flips == "verdict" else "wwc.winner_") + ("weight_up" if item["direction"] == "up" else "weight_down")
        return t(key, lang, label=label(item["criterion"], lang), from_=pct(item["from_weight"], lang) + " " + origin_label("profile", lang),
                 to=pct(item["to_weight"], lang), verdict=verdict, winner=winner)
    if kind in ("volume", "api_prices", "gpu_price"):
        factor = _factor_text(item["factor"], item["direction"], lang)
        key = ("wwc." if flips == "verdict" else "wwc.winner_") + kind
        return t(key, lang, factor=factor, requests=count(item.get("requests_per_month") or 0, lang), verdict=verdict, winner=winner)
    change = t(f"change.{item['change']}", lang)
    key = "wwc.profile" if flips == "verdict" else "wwc.winner_profile"
    return t(key, lang, change=change, verdict=verdict, winner=winner)


def sensitivity_lines(sens: dict[str, Any], names: dict[str, str], lang: str) -> list[str]:
    """One line per weight and per parameter: the range within which the top model stays first."""
    winner = names.get(sens.get("winner") or "", sens.get("winner"))
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


def _profile_arg(profile: str, lang: str) -> str:
    """How the user names this profile on the command line (a built-in name, else their file)."""
    from whichai.decide.profile import example_names

    return profile if profile == "default" or profile in example_names() else t("ev.your_profile", lang)


def evidence_text(ev: dict[str, Any], names: dict[str, str], lang: str, profile: str = "default") -> str:
    """The evidence level in words, and what to measure next (with the command that measures it)."""
    if not ev["ranked"]:
        return t("ev.none", lang)
    top = names.get(ev["top_model"], ev["top_model"])
    other = names.get(ev["other_side_model"], ev["other_side_model"])
    if ev["level"] == "measured":
        text = t("ev.measured", lang, top=top, other=other) if other else t("ev.measured_alone", lang, top=top)
    elif ev["level"] == "prior":
        text = t("ev.prior", lang)
    else:
        missing = []
        if not ev["top_measured"]:
            missing.append(t("ev.missing_top", lang, model=top))
        if ev["other_side_measured"] is False:
            missing.append(t("ev.missing_other", lang, model=other))
        text = t("ev.partial", lang, measured=ev["measured"], ranked=ev["ranked"], missing=t("ev.and", lang).join(missing))
    if ev["next_to_measure"]:
        models = t("ev.and", lang).join(names.get(m, m) for m in ev["next_to_measure"])
        text += " " + t("ev.next", lang, models=models, how=_how_to_measure(ev, names, lang, profile))
    return text


def _run_ids(f: Findings, rows: list[Ranked]) -> str:
    """The ids ``whichai run --models`` measures these ranked models by (catalog ids are not always run ids;
    in-house data never through an outside API: finding 7 of issue 23)."""
    from whichai.decide.outcome import next_measurement

    return ",".join(w["run_id"] or w["model"] for w in next_measurement(f.profile, rows)["next_run"])


def _how_to_measure(ev: dict[str, Any], names: dict[str, str], lang: str, profile: str) -> str:
    """The command that measures the next models (each by an id ``whichai run`` resolves), the step that
    serves one first, and the models no way to run is known for (finding 7 of issue 23)."""
    from whichai.measure.ways import measure_command

    ways = ev.get("next_run") or []
    run_ids = [w["run_id"] for w in ways if w["run_id"]]
    parts = []
    if run_ids:
        command = measure_command(run_ids, _profile_arg(profile, lang))
        firsts = [w["first"] for w in ways if w["first"]]
        parts.append(t("ev.first", lang, steps="; ".join(firsts), command=command) if firsts else command)
    unknown = [names.get(w["model"], w["model"]) for w in ways if not w["run_id"]]
    if unknown:
        parts.append(t("ev.no_way", lang, models=t("ev.and", lang).join(unknown)))
    return "; ".join(parts)


def run_text(run: dict[str, Any], lang: str) -> str:
    scored = run["scored"] if run.get("scored") is not None else run["answered"]
    # a run that finished with failed or unscored calls is "complete" in the store but partial here: never "partial (complete)"
    status = t("ex.run_finished", lang) if run["partial"] and run["status"] == "complete" else run["status"]
    params = dict(run=run["id"][:12], status=status, answered=count(run["answered"], lang), calls=count(run["calls"], lang),
                  errors=count(run["errors"], lang), cases=count(run["cases"], lang), scored=count(scored, lang))
    return t("ex.run_partial" if run["partial"] else "ex.run_complete", lang, **params)


def break_even_text(be: dict[str, Any], lang: str) -> str:
    names = dict(self_name=be["self_hosted_name"], api_name=be["api_name"])
    if be["kind"] == "above":
        return t("ex.break_even_above", lang, requests=count(be["requests_per_month"], lang),
                 current=count(be["current_requests_per_month"], lang), **names)
    if be["kind"] == "always":
        return t("ex.break_even_always", lang, **names)
    return t("ex.break_even_never", lang, **names)


# the explanation --------------------------------------------------------------------------------------


def _best_other(ranked: list[Ranked], top: Ranked) -> Ranked | None:
    for r in ranked[1:]:
        if r.cand.openness != top.cand.openness and r.cand.openness != "unknown":
            return r
    return None


def _deciding(f: Findings, a: Ranked, b: Ranked, lang: str) -> tuple[list[Block], list[str]]:
    w = f.outcome.w
    total = math.fsum(w.values())
    ca, cb = a.criteria(), b.criteria()
    contrib = sorted(((w[c] / total * (ca[c].score - cb[c].score), c) for c in CRITERION_IDS), key=lambda x: (-x[0], x[1]))
    skill = f.profile.team_skill
    blocks: list[Block] = []
    for value, cid in contrib[:3]:
        if value <= 0:
            break
        if round(ca[cid].score, 2) == round(cb[cid].score, 2) and blocks:
            continue
        text = t("ex.criterion", lang, label=label(cid, lang), weight=pct(w[cid] / total, lang),
                 a=num(ca[cid].score, lang) + " " + origin_label(ca[cid].origin, lang),
                 b=num(cb[cid].score, lang) + " " + origin_label(cb[cid].origin, lang),
                 a_name=a.cand.name, a_ev=score_reason(ca[cid], lang, skill), b_name=b.cand.name, b_ev=score_reason(cb[cid], lang, skill))
        figures = [Figure(name=f"weight.{cid}", value=round(w[cid] / total, 4), unit="share", origin="profile"),
                   Figure(name=f"{a.model}.{cid}", value=round(ca[cid].score, 4), origin=_origin(ca[cid].origin)),
                   Figure(name=f"{b.model}.{cid}", value=round(cb[cid].score, 4), origin=_origin(cb[cid].origin))]
        blocks.append(Block(kind="reason", text=text, figures=figures))
    against = [
        f"{label(cid, lang)} {num(cb[cid].score, lang)} vs {num(ca[cid].score, lang)}"
        for value, cid in sorted(contrib, key=lambda x: (x[0], x[1]))[:2]
        if value < 0 and round(cb[cid].score, 2) != round(ca[cid].score, 2)
    ]
    return blocks, against


def _why(f: Findings, top: Ranked, lang: str) -> tuple[list[Block], Ranked | None, Ranked | None]:
    """The reason blocks, the best model of the other side (or None) and the model compared with."""
    ranked = f.outcome.ranked
    alt = _best_other(ranked, top)
    runner = alt is None and len(ranked) > 1
    if alt is None and not runner:
        return [Block(kind="reason", text=t("ex.why_alone", lang))], None, None
    other = alt if alt is not None else ranked[1]
    lines, against = _deciding(f, top, other, lang)
    params: dict[str, Any] = dict(alt_name=other.cand.name, alt_score=num(other.total, lang))
    if runner:
        params["other"] = t("ex.other_closed" if top.cand.openness != "closed" else "ex.other_open", lang)
        key = "ex.why_runner" if lines else "ex.why_runner_none"
    else:
        params["alt_verdict"] = verdict_label(other.cand.openness, lang)
        key = "ex.why" if lines else "ex.why_none"
    score_fig = Figure(name=f"{other.model}.score", value=round(other.total, 4), origin="estimate")
    blocks = [Block(kind="reason", text=t(key, lang, **params), figures=[score_fig]), *lines]
    if against:
        blocks.append(Block(kind="reason", text=t("ex.against", lang, alt_name=other.cand.name, items="; ".join(against))))
    return blocks, alt, other


def _customised(f: Findings, top: Ranked, other: Ranked | None, lang: str) -> list[Block]:
    """A block when a tune measured on the decision's task decided the verdict: the winner's measured
    customisation lead over the model compared with is at least its lead in total (issue 18)."""
    if other is None:
        return []
    mine, theirs = top.criteria()["customization"], other.criteria()["customization"]
    if mine.note != "why.customization_tuned" or mine.origin != "measured":
        return []
    w = f.outcome.w
    lead = w["customization"] / math.fsum(w.values()) * (mine.score - theirs.score)
    if lead <= 0 or lead < top.total - other.total:
        return []
    p = mine.params
    figures = [Figure(name=f"{p['tuned']}.base_pass_rate", value=p["before"], origin="measured"),
               Figure(name=f"{p['tuned']}.pass_rate", value=p["after"], origin="measured"),
               Figure(name=f"{p['tuned']}.held_out_cases", value=p["cases"], origin="measured"),
               Figure(name=f"{p['tuned']}.mcnemar_p", value=p["p"], origin="measured")]
    text = t("ex.customised", lang, name=top.cand.name, alt_name=other.cand.name, origin=origin_label("measured", lang), **p)
    return [Block(kind="reason", text=text, figures=figures)]


def _cost_block(r: Ranked, requests: float, lang: str) -> Block:
    comps = [c for c in at_volume(r.option.mode, requests).components if c.usd or c.name != "amortisation"]
    parts = ", ".join(f"{t('cost.' + c.name, lang)} {usd(c.usd, lang)} {origin_label(c.origin, lang)}" for c in comps)
    text = t("ex.cost_item", lang, name=r.cand.name, usd=usd(r.monthly, lang), mode=_mode(r, lang), parts=parts)
    figures = [Figure(name=f"{r.model}.monthly_usd", value=round(r.monthly, 2), unit="USD/month", origin=_origin(r.option.mode.cost_origin))]
    figures += [Figure(name=f"{r.model}.{c.name}", value=round(c.usd, 2), unit="USD/month", origin=_origin(c.origin), source=c.detail or None)
                for c in comps]
    return Block(kind="cost", text=text, figures=figures)


def _tie(f: Findings, top: Ranked, lang: str) -> list[Block]:
    """When the top model's prior is within the benchmarks' noise of another of the first rows': the two are
    indistinguishable without measuring; the run that separates them, and which is cheaper at equal quality."""
    pa = top.option.criteria["performance"]
    for r in f.outcome.ranked[1:DETAIL_ROWS]:
        pb = r.option.criteria["performance"]
        if not within_noise(pa, pb):
            continue
        cheaper = top if top.monthly <= r.monthly else r
        text = t("ex.tied", lang, a=top.cand.name, b=r.cand.name, pa=num(pa.score, lang, 2), sa=num(float(pa.params["se"]), lang, 2),
                 pb=num(pb.score, lang, 2), sb=num(float(pb.params["se"]), lang, 2), cheaper=cheaper.cand.name, usd_a=usd(top.monthly, lang),
                 usd_b=usd(r.monthly, lang), ids=_run_ids(f, [top, r]), profile=_profile_arg(f.profile.name, lang))
        figures = [Figure(name=f"performance prior {x.model}", value=round(s.score, 4), origin=_origin(s.origin), source=s.params.get("benchmarks"))
                   for x, s in ((top, pa), (r, pb))]
        return [Block(kind="caveat", text=text, figures=figures)]
    return []


def _cost(f: Findings, shown: list[Ranked], lang: str) -> list[Block]:
    v = f.profile.volume
    head = t("ex.cost_head", lang, requests=count(v.requests_per_month, lang), tin=count(v.input_tokens_per_request, lang),
             tout=count(v.output_tokens_per_request, lang))
    blocks = [Block(kind="cost", text=head, figures=[
        Figure(name="requests_per_month", value=v.requests_per_month, unit="requests/month", origin="profile"),
        Figure(name="input_tokens_per_request", value=v.input_tokens_per_request, unit="tokens", origin="profile"),
        Figure(name="output_tokens_per_request", value=v.output_tokens_per_request, unit="tokens", origin="profile"),
    ])]
    blocks += [_cost_block(r, v.requests_per_month, lang) for r in shown]
    be = f.tco.get("break_even")
    if be:
        fig = [Figure(name="break_even.requests_per_month", value=be["requests_per_month"], unit="requests/month", origin="estimate")]
        blocks.append(Block(kind="cost", text=break_even_text(be, lang), figures=fig))
    return blocks


def _operations(f: Findings, lang: str) -> list[Block]:
    """Operations cost decides the verdict (:func:`whichai.decide.scoring.operations_decide`): say so,
    with the figure and its origin, and the profile settings that change it."""
    out = f.outcome
    reason = operations_decide(out.prepared, out.ranked, f.profile, out.w)
    if reason is None:
        return []
    p = reason.params
    text = t("note.operations_decide", lang, ops=usd(p["ops_usd"], lang), hours=num(p["hours"] or 0, lang, 1),
             rate=num(p["rate"] or 0, lang, 0), origin=origin_label(p["origin"], lang), name=p["name"])
    figures = [Figure(name=f"{p['model']}.operations", value=p["ops_usd"], unit="USD/month", origin=p["origin"]),
               Figure(name=f"{p['model']}.operations_hours", value=p["hours"], unit="h/month", origin=p["origin"]),
               Figure(name=f"{p['model']}.monthly_without_operations", value=p["monthly_without_ops"], unit="USD/month", origin="estimate")]
    return [Block(kind="operations", text=text, figures=figures)]


def _lifecycle(shown: list[Ranked], lang: str) -> list[Block]:
    blocks = []
    for r in shown:
        status, shutdown = lifecycle_of(r.cand.entry)
        if status not in ("deprecated", "retired"):
            continue
        when = t("ex.shutdown", lang, date=shutdown) if shutdown else t("ex.shutdown_unknown", lang) if status == "deprecated" else ""
        fig = Figure(name=f"{r.model}.lifecycle", value=status, origin="catalog", source=shutdown)
        blocks.append(Block(kind="lifecycle", text=t(f"ex.lifecycle_{status}", lang, name=r.cand.name, shutdown=when), figures=[fig]))
    return blocks


def _head(f: Findings, lang: str) -> list[Block]:
    provisional = f.evidence["level"] != "measured" and f.outcome.ranked
    key = "ex.verdict_provisional" if provisional else "ex.verdict"
    blocks = [Block(kind="verdict", text=t(key, lang, verdict=verdict_label(f.verdict, lang)))]
    ev_fig = [Figure(name="evidence.measured", value=f.evidence["measured"], unit="models", origin="measured"),
              Figure(name="evidence.ranked", value=f.evidence["ranked"], unit="models", origin="estimate")]
    blocks.append(Block(kind="evidence", text=evidence_text(f.evidence, f.outcome.names(), lang, f.profile.name), figures=ev_fig))
    if f.run is not None:
        fig = [Figure(name="run.answered", value=f.run["answered"], unit="calls", origin="measured"),
               Figure(name="run.calls", value=f.run["calls"], unit="calls", origin="measured")]
        blocks.append(Block(kind="evidence" if not f.run["partial"] else "caveat", text=run_text(f.run, lang), figures=fig))
    return blocks


def _top(f: Findings, top: Ranked, lang: str) -> list[Block]:
    ranked = f.outcome.ranked
    blocks = [Block(kind="verdict", text=t("ex.top", lang, name=top.cand.name, model=top.model, score=num(top.total, lang), mode=_mode(top, lang)),
                    figures=[Figure(name=f"{top.model}.score", value=round(top.total, 4), origin="estimate")])]
    h = f.hybrid
    if f.verdict == "hybrid" and h:
        text = t("ex.hybrid", lang, share=pct(h["sensitive"]["share"], lang) + " " + origin_label("profile", lang),
                 sens_name=h["sensitive"]["name"], sens_mode=t(f"mode.{h['sensitive']['mode']}", lang),
                 rest_name=h["rest"]["name"], rest_mode=t(f"mode.{h['rest']['mode']}", lang),
                 usd=usd(h["monthly_usd"], lang) + " " + origin_label("estimate", lang))
        blocks.append(Block(kind="verdict", text=text, figures=[
            Figure(name="hybrid.sensitive_share", value=h["sensitive"]["share"], unit="share", origin="profile"),
            Figure(name="hybrid.monthly_usd", value=h["monthly_usd"], unit="USD/month", origin="estimate")]))

    def openness(r: Ranked) -> str:
        return verdict_label(r.cand.openness, lang) if r.cand.openness != "unknown" else t("openness.unknown", lang)

    nxt = [f"{r.cand.name} ({num(r.total, lang)}, {openness(r)}, {_mode(r, lang)})" for r in ranked[1:3]]
    if nxt:
        blocks.append(Block(kind="reason", text=t("ex.next", lang, items="; ".join(nxt))))
    if top.cand.openness == "unknown":
        blocks.append(Block(kind="caveat", text=t("ex.top_unknown", lang, model=top.model)))
    blocks.extend(_defaulted(f, top, lang))
    return blocks


_DECIDING_DEFAULTS = {"rented": ("rent", "availability", "volume"), "owned": ("hardware", "volume"), "api": ("volume",)}


def _defaulted(f: Findings, top: Ranked, lang: str) -> list[Block]:
    """A caveat naming the defaults nobody set that the top pick's cost rests on (its GPU rent, hardware, volume)."""
    from whichai.decide.profile import defaulted_fields

    left = set(defaulted_fields(f.profile))
    fields = [name for name in _DECIDING_DEFAULTS.get(top.option.mode.kind, ()) if name in left]
    if not fields:
        return []
    return [Block(kind="caveat", text=t("ex.defaulted", lang, fields=", ".join(fields), mode=_mode(top, lang),
                                        profile=_profile_arg(f.profile.name, lang)))]


_GROUP = {"retired_undated": "retired"}  # reasons summed up as one group (the same words: retired, whether or not its date is known)


def _tail(f: Findings, lang: str) -> list[Block]:
    out = f.outcome
    blocks: list[Block] = []
    if out.excluded:
        total = len(out.ranked) + len(out.excluded)
        blocks.append(Block(kind="exclusion", text=t("ex.excluded", lang, n=len(out.excluded), total=total)))
        counts = Counter(_GROUP.get(r.code, r.code) for _, reasons in out.excluded for r in reasons)
        example = {_GROUP.get(r.code, r.code): (c, r) for c, reasons in reversed(out.excluded) for r in reasons}  # the first per group
        for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:5]:
            if f"group.{code}" in TEXTS:
                text = t("ex.excluded_item", lang, count=n, reason=t(f"group.{code}", lang))
            else:  # a code without a group text: the reason as given for the first model it excluded
                cand, reason = example[code]
                text = t("ex.excluded_example", lang, count=n, name=cand.name, reason=reason_text(reason, lang))
            blocks.append(Block(kind="exclusion", text=text))
    if f.what_would_change:
        first = f.what_would_change[0]
        head = "ex.wwc_head_winner" if first["flips"] == "winner" else ("ex.wwc_head" if first["verdict"] else "ex.wwc_head_none")
        blocks.append(Block(kind="change", text=t(head, lang)))
        names = out.names()
        for i, item in enumerate(f.what_would_change, 1):
            blocks.append(Block(kind="change", text=f"{i}. {change_text(item, names, lang)}"))
    else:
        blocks.append(Block(kind="change", text=t("ex.wwc_none", lang)))
    unmeasured = sum(1 for r in out.ranked if r.cand.measurement is None)
    if f.measured and unmeasured:
        blocks.append(Block(kind="caveat", text=t("ex.unmeasured", lang, n=unmeasured)))
    elif not f.measured and out.ranked:
        blocks.append(Block(kind="caveat", text=t("ex.no_measurements", lang)))
    return blocks


def explanation(f: Findings, lang: str) -> list[Block]:
    """The explanation of a recommendation in one language, block by block."""
    ranked = f.outcome.ranked
    blocks = _head(f, lang)
    if not ranked:
        total = len(f.outcome.excluded)
        blocks.append(Block(kind="reason", text=t("ex.none", lang, n=total)))
    else:
        top = ranked[0]
        blocks += _top(f, top, lang)
        why, _, compared = _why(f, top, lang)
        blocks += why
        blocks += _customised(f, top, compared, lang)
        blocks += _tie(f, top, lang)
        shown = [top] + ([compared] if compared is not None else [])
        blocks += _cost(f, shown, lang)
        blocks += _operations(f, lang)
        blocks += _lifecycle(shown, lang)
    return blocks + _tail(f, lang)


def explanations(f: Findings) -> dict[str, list[Block]]:
    return {lang: explanation(f, lang) for lang in LANGS}


__all__ = ["both", "break_even_text", "change_text", "evidence_text", "explanation", "explanations",
           "origin_label", "reason_text", "run_text", "score_reason", "sensitivity_lines", "verdict_label"]
