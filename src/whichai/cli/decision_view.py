"""The decision document in the terminal (rich).

Renders a :class:`whichai.decide.document.Decision` and nothing else: no score, cost or origin is
computed here. Every text from the document (model names and ids, profile names, explanation
sentences with their ``[origin]`` labels) is printed as text, never parsed as markup. A verdict
whose evidence is not ``measured`` is shown as provisional, with what to measure next.
"""

from __future__ import annotations

import re
from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from whichai.catalog.age import STALE_DAYS
from whichai.criteria import label
from whichai.decide.document import PART, Block, Decision
from whichai.decide.i18n import num, pct, t

MODEL_COLUMN_MAX = 34  # a model id up to this many characters stays on one line


def _text(value: Any, style: str = "") -> Text:
    from whichai.cli.output import plain

    return plain(value, style)


_COMMAND = re.compile(r"\bwhichai [a-z]+(?: [^\s()`;,]+(?:,[^\s()`;,]+)*)*")


def _wrapped(text: str, width: int | None) -> str:
    """``text`` broken into lines of at most ``width`` characters at spaces, a printed ``whichai …`` command
    kept whole on one line (moved to the next line rather than split, so that it can be copied and run);
    unchanged without a width. A word or command longer than the width is left to the terminal."""
    if not width or width < 20:
        return text
    lines = []
    glued = _COMMAND.sub(lambda m: m.group(0).replace(" ", "\x00"), text)  # a command is one word while wrapping
    for para in glued.split("\n"):
        line = ""
        for word in para.split():
            if line and len(line) + 1 + len(word) > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        lines.append(line)
    lines = [ln.replace("\x00", " ") for ln in lines]
    return "\n".join(lines)


def verdict_panel(doc: Decision, lang: str, width: int | None = None) -> Panel:
    """The verdict, marked provisional unless the models it turns on were measured, and the evidence (its lines
    broken at ``width``, never inside a printed command)."""
    provisional = doc.evidence.level != "measured" and bool(doc.ranking)
    title = _text(t("ui.title", lang, profile=doc.profile.name))
    line = Text.assemble((t("ex.verdict_provisional" if provisional else "ex.verdict", lang, verdict=doc.verdict_text.get(lang)), "bold"))
    if provisional:
        line.append("  ")
        line.append(f" {t('ui.provisional', lang).upper()} ", style="black on yellow")
    parts: list[Any] = [line, _text(_wrapped(str(doc.evidence.text.get(lang) or ""), width), "yellow" if provisional else "green")]
    if doc.run is not None:
        parts.append(_text(_wrapped(str(doc.run.text.get(lang) or ""), width), "yellow" if doc.run.partial else ""))
    age = doc.catalog_age
    if age.newest_as_of:
        days = "?" if age.age_days is None else str(age.age_days)
        parts.append(_text(t("ex.catalog_age", lang, oldest=age.oldest_as_of, newest=age.newest_as_of, days=days), "dim"))
    if (age.age_days or 0) > STALE_DAYS:
        parts.append(_text(t("ex.catalog_stale", lang, days=age.age_days, limit=STALE_DAYS), "bold yellow"))
    return Panel(Group(*parts), title=title, expand=False, border_style="yellow" if provisional else "green")


def ranking_table(doc: Decision, lang: str, top: int) -> Table:
    rows = doc.ranking[:top]
    measured = any(r.measured for r in doc.ranking)
    table = Table(title=t("ui.ranking", lang, n=len(rows), total=len(doc.ranking)), title_justify="left")
    width = min(MODEL_COLUMN_MAX, max([len(r.model) for r in rows] + [len(r.name) for r in rows] + [10]))
    table.add_column(t("ui.rank", lang), justify="right")
    table.add_column(t("ui.model", lang), min_width=width, overflow="fold")
    table.add_column(t("ui.openness", lang))
    table.add_column(t("ui.score", lang), justify="right")
    table.add_column(t("ui.mode", lang))
    table.add_column(t("ui.monthly", lang), justify="right")
    if measured:
        table.add_column(t("ui.measured", lang))
    for r in rows:
        model = _text(r.name) + Text("\n") + _text(r.model, "dim")
        monthly = Text(num(r.monthly_usd, lang)) + Text(" " + t(f"origin.{r.monthly_origin}", lang), style="dim")
        cells: list[Any] = [str(r.rank), model, r.openness if r.openness != "unknown" else "?", num(r.score, lang),
                            t(f"mode_short.{r.mode}", lang), monthly]
        if measured:
            cells.append(t("ui.yes" if r.measured else "ui.no", lang))
        table.add_row(*cells)
    return table


def weights_table(doc: Decision, lang: str) -> Table:
    table = Table(title=t("ui.weights", lang), title_justify="left")
    table.add_column(t("ui.criterion", lang))
    table.add_column(t("ui.weight", lang), justify="right")
    table.add_column(t("ui.why_weight", lang))
    for cid, w in doc.weights.items():
        table.add_row(label(cid, lang), pct(w.weight, lang), _text(w.reason.get(lang)))
    return table


_STYLE = {"verdict": "bold", "operations": "yellow", "lifecycle": "yellow", "caveat": "yellow"}


def explanation_text(blocks: list[Block], width: int | None = None) -> Text:
    """The explanation blocks as one Text: a blank line where a new part (kind of block) starts; with a width,
    lines are broken there, never inside a printed command (:func:`_wrapped`)."""
    out = Text()
    previous = None
    for block in blocks:
        part = PART.get(block.kind, block.kind)
        if previous is not None:
            out.append("\n\n" if part != previous else "\n")
        out.append_text(_text(_wrapped(block.text, width), _STYLE.get(block.kind, "")))
        previous = part
    return out


def render(doc: Decision, console: Console | None = None, lang: str | None = None, top: int = 10) -> None:
    """Print the decision: verdict and evidence, ranking, weights, explanation."""
    lang = lang or doc.lang
    console = console or Console()
    inner = console.width - 4  # a panel's border and padding
    console.print(verdict_panel(doc, lang, inner))
    if doc.ranking:
        console.print(ranking_table(doc, lang, top))
        console.print(weights_table(doc, lang))
    console.print(Panel(explanation_text(doc.explanation.blocks(lang), inner), title=t("ui.explanation", lang), expand=False))
