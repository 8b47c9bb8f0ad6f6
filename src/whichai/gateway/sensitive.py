"""Is a request sensitive? Personal data in its text, or the client says so.

Found in the messages' text (every role):

- e-mail addresses;
- phone numbers, read by ``phonenumbers`` (Google's libphonenumber): international numbers in any
  country, and national numbers of the regions the policy names (Indonesia by default: ``0812-…``);
  a text with so many number-like groups that the matcher stops reading it counts as holding one;
- national ID numbers: the Indonesian NIK (16 digits: a province code, a district and sub-district,
  the date of birth with 40 added to the day for women, a serial) and NPWP (tax number), the US SSN;
- payment card numbers: 13 to 19 digits that pass the Luhn check and start like a card scheme;
- the user's own patterns (regular expressions in the policy).

A client marks a request itself with the header ``X-Whichai-Sensitive: true`` or the body field
``metadata: {"sensitive": true}``; ``false`` there does not clear what the text shows.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
SSN = re.compile(r"(?<![\d-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\d-])")
NPWP = re.compile(r"(?<![\d.])\d{2}\.\d{3}\.\d{3}\.\d-\d{3}\.\d{3}(?![\d.])")
DIGIT_RUN = re.compile(r"(?<![\d])\d(?:[ -]?\d){12,18}(?![\d])")
DIGIT_BLOCK = re.compile(r"\d+")
# What every SSN, NPWP, NIK and card number above has: 9 digits or more, each two apart by at most one space, dot
# or hyphen. A text without it holds none of them, and the four searches are skipped.
ID_SHAPE = re.compile(r"\d(?:[ .-]?\d){8}")
SIXTEEN = re.compile(r"(?<![\d])\d{16}(?![\d])")
# Province codes of Indonesia (Kemendagri), the first two digits of a NIK.
NIK_PROVINCES = frozenset({
    11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53, 61, 62, 63, 64, 65,
    71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96, 97,
})
CARD_PREFIXES = ("4", "5", "2", "34", "37", "6", "35", "30", "36", "38", "39")
TRUE_WORDS = frozenset({"1", "true", "yes", "on", "sensitive"})
EXTENSION_DIGITS = r"\(\\d\{1,\d+\}\)(?:#\?|#)?"  # an extension's digits in phonenumbers' patterns: (\d{1,20})#?
PHONE_TRIES = 65_535  # candidates phonenumbers' matcher reads that are no number before it stops (its default)
PHONE_DIGITS = 9  # a phone number found in a text counts from 9 digits (shorter: too often an amount or an id)


@dataclass(frozen=True)
class Finding:
    """Why a request is sensitive: the kind of data (never the data itself)."""

    kind: str  # email | phone | nik | npwp | ssn | payment_card | pattern:N | client


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def is_nik(digits: str) -> bool:
    """A 16-digit number shaped like an Indonesian NIK (province, then a valid birth date)."""
    if len(digits) != 16 or int(digits[:2]) not in NIK_PROVINCES:
        return False
    day, month = int(digits[6:8]), int(digits[8:10])
    day = day - 40 if day > 40 else day
    return 1 <= day <= 31 and 1 <= month <= 12 and digits[12:] != "0000"


def is_card(digits: str) -> bool:
    return 13 <= len(digits) <= 19 and digits.startswith(CARD_PREFIXES) and luhn_ok(digits)


class Classifier:
    """Finds personal data in a request. ``regions``: where national phone numbers are read from."""

    def __init__(self, patterns: Sequence[str] = (), regions: Sequence[str] = ("ID",)) -> None:
        self.patterns = [re.compile(p) for p in patterns]
        self.regions = tuple(regions)
        phone_gap()  # built now (it imports phonenumbers), not in the first request

    def findings(self, text: str) -> list[Finding]:
        found = [Finding(kind) for kind, hit in self._checks(text) if hit]
        found += [Finding(f"pattern:{i}") for i, p in enumerate(self.patterns) if p.search(text)]
        return found

    def _checks(self, text: str) -> Iterable[tuple[str, bool]]:
        yield "email", "@" in text and EMAIL.search(text) is not None
        ids = ID_SHAPE.search(text) is not None
        yield "ssn", ids and SSN.search(text) is not None
        yield "npwp", ids and NPWP.search(text) is not None
        yield "nik", ids and any(is_nik(m.group()) for m in SIXTEEN.finditer(text))
        yield "payment_card", ids and any(is_card(re.sub(r"[ -]", "", m.group())) for m in DIGIT_RUN.finditer(text))
        yield "phone", self._has_phone(text)

    def _has_phone(self, text: str) -> bool:
        """A phone number in the text: read by phonenumbers' matcher, which costs 0.3-3 ms on a paragraph with
        amounts and dates, so only where the text has the shape of one (:func:`has_phone_shape`)."""
        return has_phone_shape(text) and self._matched_phone(text)

    def _matched_phone(self, text: str) -> bool:
        """A phone number phonenumbers' matcher finds; also a text it stopped reading (``PHONE_TRIES`` candidates
        that were no number): what it did not read may hold one, so the text counts as holding one (fail closed)."""
        import phonenumbers

        for region in self.regions:
            matcher = phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID,
                                                      max_tries=PHONE_TRIES)
            for match in matcher:
                digits = re.sub(r"\D", "", match.raw_string)
                if len(digits) >= PHONE_DIGITS and not is_card(digits) and not is_nik(digits):
                    return True
            if getattr(matcher, "_max_tries", 1) <= 0:  # a private counter (pinned by tests/test_gateway.py)
                return True
        return False


@functools.cache
def phone_gap() -> re.Pattern[str] | None:
    """What may stand between two digits of one number that phonenumbers' matcher reads: up to 4 of its
    punctuation, or what its extension patterns put before an extension's digits. Built from the matcher's own
    pieces, with its flags (tests/test_gateway.py pins the pattern this holds for). None when a phonenumbers
    release no longer has those private pieces: then every text goes to the matcher (slower, never less safe)."""
    try:
        from phonenumbers.phonenumbermatcher import _PUNCTUATION
        from phonenumbers.phonenumberutil import _EXTN_PATTERNS_FOR_MATCHING, _REGEX_FLAGS
    except ImportError:
        return None

    extension_gaps = re.sub(EXTENSION_DIGITS, "", _EXTN_PATTERNS_FOR_MATCHING)
    return re.compile(f"(?:{_PUNCTUATION}|{extension_gaps})", _REGEX_FLAGS)


def has_phone_shape(text: str) -> bool:
    """Could phonenumbers' matcher find a number of ``PHONE_DIGITS`` digits or more in ``text``? Only where that
    many digits follow one another with a :func:`phone_gap` between each two blocks of them. Nothing is missed:
    every candidate the matcher reads is a match of its pattern (digit blocks joined by up to 4 punctuation, then at
    most one extension) or a part of one, so the digits of a number it finds are joined so."""
    gap = phone_gap()
    if gap is None:
        return True
    run, end = 0, 0
    for block in DIGIT_BLOCK.finditer(text):
        if run and gap.fullmatch(text, end, block.start()) is None:
            run = 0
        run += block.end() - block.start()
        if run >= PHONE_DIGITS:
            return True
        end = block.end()
    return False


def message_text(body: dict[str, Any]) -> str:
    """All the text a chat-completions request carries (every message, every text part)."""
    parts: list[str] = []
    for message in body.get("messages") or []:
        content = message.get("content") if isinstance(message, dict) else None
        if isinstance(content, str):
            parts.append(content)
        elif isinstance(content, list):
            parts += [p.get("text", "") for p in content if isinstance(p, dict) and isinstance(p.get("text"), str)]
    return "\n".join(parts)


def client_marked(headers: Any, body: dict[str, Any]) -> bool:
    """The client says the request is sensitive (header or ``metadata.sensitive``)."""
    header = str(headers.get("X-Whichai-Sensitive", "")).strip().lower()
    metadata = body.get("metadata")
    flag = metadata.get("sensitive") if isinstance(metadata, dict) else None
    return header in TRUE_WORDS or flag is True or str(flag).strip().lower() in TRUE_WORDS
