"""Is a request sensitive? Personal data in its text, or the client says so.

Found in the messages' text (every role):

- e-mail addresses;
- phone numbers, read by ``phonenumbers`` (Google's libphonenumber): international numbers in any
  country, and national numbers of the regions the policy names (Indonesia by default: ``0812-…``);
- national ID numbers: the Indonesian NIK (16 digits: a province code, a district and sub-district,
  the date of birth with 40 added to the day for women, a serial) and NPWP (tax number), the US SSN;
- payment card numbers: 13 to 19 digits that pass the Luhn check and start like a card scheme;
- the user's own patterns (regular expressions in the policy).

A client marks a request itself with the header ``X-Whichai-Sensitive: true`` or the body field
``metadata: {"sensitive": true}``; ``false`` there does not clear what the text shows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
SSN = re.compile(r"(?<![\d-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\d-])")
NPWP = re.compile(r"(?<![\d.])\d{2}\.\d{3}\.\d{3}\.\d-\d{3}\.\d{3}(?![\d.])")
DIGIT_RUN = re.compile(r"(?<![\d])\d(?:[ -]?\d){12,18}(?![\d])")
SIXTEEN = re.compile(r"(?<![\d])\d{16}(?![\d])")
# Province codes of Indonesia (Kemendagri), the first two digits of a NIK.
NIK_PROVINCES = frozenset({
    11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53, 61, 62, 63, 64, 65,
    71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96, 97,
})
CARD_PREFIXES = ("4", "5", "2", "34", "37", "6", "35", "30", "36", "38", "39")
TRUE_WORDS = frozenset({"1", "true", "yes", "on", "sensitive"})


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

    def findings(self, text: str) -> list[Finding]:
        found = [Finding(kind) for kind, hit in self._checks(text) if hit]
        found += [Finding(f"pattern:{i}") for i, p in enumerate(self.patterns) if p.search(text)]
        return found

    def _checks(self, text: str) -> Iterable[tuple[str, bool]]:
        yield "email", "@" in text and EMAIL.search(text) is not None
        yield "ssn", SSN.search(text) is not None
        yield "npwp", NPWP.search(text) is not None
        yield "nik", any(is_nik(m.group()) for m in SIXTEEN.finditer(text))
        yield "payment_card", any(is_card(re.sub(r"[ -]", "", m.group())) for m in DIGIT_RUN.finditer(text))
        yield "phone", self._has_phone(text)

    def _has_phone(self, text: str) -> bool:
        if sum(ch.isdigit() for ch in text) < 8:
            return False
        import phonenumbers

        for region in self.regions:
            for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID):
                digits = re.sub(r"\D", "", match.raw_string)
                if len(digits) >= 9 and not is_card(digits) and not is_nik(digits):
                    return True
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
