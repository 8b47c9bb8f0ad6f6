"""``whichai profile new``: a questionnaire in English or Bahasa Indonesia that writes a valid profile.

Questions go to stderr, answers come from stdin one line each, so answers can be piped (for tests
and scripts). An empty line keeps the default shown in brackets. An invalid answer is asked again
at a terminal; when stdin is not a terminal it is bad input (exit 2) naming the question. When the
answers end early, the remaining questions keep their defaults.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from whichai.decide.i18n import t
from whichai.decide.profile import THIS_MACHINE, Profile, dump_profile, parse_profile
from whichai.errors import InputError


class _Ended(Exception):
    pass


_LANG = ["en"]  # the questionnaire's language, for the problems its parsers name


def _choice(options: tuple[str, ...]) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        value = raw.strip().lower()
        if value not in options:
            raise ValueError(t("q.choose", _LANG[0], choices=", ".join(options)))
        return value

    return parse


def _number(low: float = 0.0, high: float | None = None) -> Callable[[str], float]:
    def parse(raw: str) -> float:
        try:
            value = float(raw.replace(",", "."))
        except ValueError:
            raise ValueError(t("q.number", _LANG[0])) from None
        if value < low or (high is not None and value > high):
            raise ValueError(t("q.number_range", _LANG[0], low=f"{low:g}", high="…" if high is None else f"{high:g}"))
        return value

    return parse


def _text(raw: str) -> str:
    return raw.strip()


class _Asker:
    def __init__(self, lang: str, stdin: Any, stderr: Any) -> None:
        self.lang, self.stdin, self.stderr = lang, stdin, stderr
        self.interactive = bool(getattr(stdin, "isatty", lambda: False)())
        self.ended = False
        self.unanswered: set[str] = set()  # questions the answers ended before: their defaults nobody set

    def __call__(self, key: str, default: Any, parse: Callable[[str], Any], **params: Any) -> Any:
        if self.ended:
            self.unanswered.add(key)
            return parse(str(default))
        shown = "" if default is None else str(default)
        while True:
            self.stderr.write(f"{t(key, self.lang, **params)} [{shown}]: ")
            self.stderr.flush()
            line = self.stdin.readline()
            if line == "":
                self.ended = True
                self.unanswered.add(key)
                self.stderr.write("\n" + t("q.eof", self.lang) + "\n")
                return parse(shown)
            raw = line.strip() or shown
            try:
                return parse(raw)
            except ValueError as exc:
                if not self.interactive:
                    raise InputError(t("q.bad_answer", self.lang, raw=repr(raw), question=t(key, self.lang, **params), problem=str(exc))) from exc
                self.stderr.write(t("q.invalid", self.lang, problem=str(exc)) + "\n")


# The questions whose field can change a verdict (profile.VERDICT_DEFAULTS): unanswered, the field stays unset,
# so the profile lists it as a default nobody set; answered (Enter on the default included), it is set.
QUESTION_FIELDS = {"q.requests": "volume", "q.budget": "budget_usd_per_month", "q.data_may_go": "data_may_go",
                   "q.deployment": "deployment", "q.ram": "hardware", "q.ram_this": "hardware", "q.rent_price": "rent",
                   "q.availability": "availability", "q.skill": "team_skill", "q.ops_rate": "ops_hourly_rate_usd",
                   "q.languages": "languages", "q.support": "support", "q.openness": "min_openness"}


def ask_profile(lang: str = "en", stdin: Any = None, stderr: Any = None) -> Profile:
    """Ask the questions and return the validated profile."""
    ask = _Asker(lang, stdin or sys.stdin, stderr or sys.stderr)
    _LANG[0] = lang
    d = Profile()
    ask.stderr.write(t("q.intro", lang) + "\n")
    data: dict[str, Any] = {}
    data["name"] = ask("q.name", "my-profile", _text) or "my-profile"
    data["use_case"] = ask("q.use_case", "", _text)
    volume = {
        "requests_per_month": ask("q.requests", int(d.volume.requests_per_month), _number()),
        "input_tokens_per_request": ask("q.tokens_in", int(d.volume.input_tokens_per_request), _number()),
        "output_tokens_per_request": ask("q.tokens_out", int(d.volume.output_tokens_per_request), _number()),
    }
    data["volume"] = volume
    budget = ask("q.budget", 0, _number())
    data["budget_usd_per_month"] = budget or None
    data["data_sensitivity"] = ask("q.sensitivity", d.data_sensitivity, _choice(("public", "internal", "confidential", "regulated")))
    data["data_may_go"] = ask("q.data_may_go", d.data_may_go, _choice(("nowhere", "zero-retention-vendor", "anywhere")))
    if data["data_may_go"] != "anywhere":
        data["sensitive_share"] = ask("q.sensitive_share", 1, _number(0, 1))
    data["deployment"] = ask("q.deployment", d.deployment, _choice(("cloud", "on-premises", "air-gapped", "edge")))
    data["hardware"] = _ask_hardware(ask)
    if data["deployment"] == "cloud":
        price = ask("q.rent_price", d.rent.usd_per_hour if d.rent else 0, _number())
        data["rent"] = {"usd_per_hour": price} if price > 0 else None
        if price > 0:
            data["availability"] = ask("q.availability", d.availability, _choice(("always_on", "business_hours", "batch")))
    else:
        data["rent"] = None
    data["team_skill"] = ask("q.skill", d.team_skill, _choice(("none", "some", "strong")))
    data["support"] = ask("q.support", d.support, _choice(("none", "helpful", "sla-required")))
    data["customise"] = ask("q.customise", d.customise, _choice(("none", "nice", "must")))
    data["min_openness"] = ask("q.openness", d.min_openness, _choice(("closed", "open-weights", "open-source")))
    langs = ask("q.languages", "en,id" if lang == "id" else "en", _text)
    data["languages"] = [x.strip() for x in langs.split(",") if x.strip()] or ["en"]
    latency = ask("q.latency", 0, _number())
    data["latency_target_s"] = latency or None
    quality = ask("q.quality", 0, _number(0, 1))
    data["min_quality"] = quality or None
    _ask_operations(ask, data, d)
    for key, name in QUESTION_FIELDS.items():  # an answer, even the default's value, sets its field; no answer leaves it unset
        if key in ask.unanswered:
            data.pop(name, None)
    from pydantic import ValidationError

    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:  # the answers combine into something invalid
        raise InputError(f"the answers do not make a valid profile ({exc}). Fix: run `whichai profile new` again.") from exc
    ask.stderr.write(defaults_text(profile, lang) + "\n")
    return profile


def defaults_text(profile: Profile, lang: str) -> str:
    """The fields that can change a verdict and that ``profile`` leaves to their defaults, with the default."""
    from whichai.decide.profile import defaulted_fields

    names = defaulted_fields(profile)
    if not names:
        return t("q.no_defaults", lang)
    shown = []
    for name in names:
        value = getattr(profile, name)
        if name == "rent" and value is not None:
            value = t("q.rent_default", lang)
        elif hasattr(value, "model_dump"):
            value = value.model_dump(mode="json", exclude_none=True)
        shown.append(f"  {name}: {value}")
    return t("q.defaults", lang) + "\n" + "\n".join(shown)


def _ram_or_this(raw: str) -> float | str:
    value = raw.strip().lower()
    if value in ("this", "ini", THIS_MACHINE):
        return THIS_MACHINE
    return _number()(value)


def _ask_hardware(ask: _Asker) -> dict[str, Any] | str | None:
    """This machine (detected), another machine (its RAM, then a GPU), or none (0)."""
    from whichai.catalog.hardware import this_machine

    try:
        here = this_machine()
    except OSError:
        here = None
    if here is None:
        ram = ask("q.ram", 16, _number())
    else:
        ram = ask("q.ram_this", "this", _ram_or_this, ram=f"{here['ram_gb']:g}", cores=here["cpu_cores"])
    if ram != THIS_MACHINE and ram <= 0:
        return None
    hardware: dict[str, Any] = {"this_machine": True} if ram == THIS_MACHINE else {"ram_gb": ram}
    gpu_memory = ask("q.gpu_memory", 0, _number())
    if gpu_memory > 0:
        hardware["gpus"] = [{"name": ask("q.gpu_name", "GPU", _text) or "GPU", "memory_gb": gpu_memory}]
    return THIS_MACHINE if hardware == {"this_machine": True} else hardware


def _ask_operations(ask: _Asker, data: dict[str, Any], d: Profile) -> None:
    """Operations time (empty keeps the rule of docs/method.md), its hourly cost, the planning horizon."""
    if data.get("hardware") is not None or data.get("rent") is not None:
        hours = ask("q.ops_hours", "", lambda raw: None if raw.strip() == "" else _number(0, 744)(raw))
        if hours is not None:
            data["ops_hours_per_month"] = hours
        data["ops_hourly_rate_usd"] = ask("q.ops_rate", f"{d.ops_hourly_rate_usd:g}", _number(0, 1e5))
    data["horizon_months"] = ask("q.horizon", f"{d.horizon_months:g}", _number(0, 120))


def run_questionnaire(out: Path, lang: str = "en", stdin: Any = None, stderr: Any = None) -> Profile:
    profile = ask_profile(lang, stdin, stderr)
    text = f"# whichai needs profile, written by `whichai profile new` ({lang})\n" + dump_profile(profile)
    parse_profile(text, out)  # what is written must load back
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        from whichai.errors import FileInputError

        raise FileInputError(out, f"cannot write the profile ({exc.strerror}).", "pass a writable --out FILE.") from exc
    (stderr or sys.stderr).write(t("q.saved", lang, path=out) + "\n")
    return profile
