"""Today's date, read in one place: the system clock, unless ``WHICHAI_TODAY`` pins it.

Lifecycle (active, deprecated, retired), the age of the catalog's data and every other date-dependent
fact are evaluated when read, against :func:`today`. ``WHICHAI_TODAY=YYYY-MM-DD`` pins the date for a
whole process and its children: the tests do, so no test breaks as the calendar moves, and a user can
ask "what would whichai have said on that day?".
"""

from __future__ import annotations

import os
from datetime import date

from whichai.errors import InputError

ENV_VAR = "WHICHAI_TODAY"


def today() -> date:
    """The date whichai treats as today: ``WHICHAI_TODAY`` when set, else the system clock."""
    pinned = os.environ.get(ENV_VAR, "").strip()
    if not pinned:
        return date.today()
    try:
        return date.fromisoformat(pinned)
    except ValueError:
        raise InputError(f"{ENV_VAR}={pinned!r} is not a date. Fix: set {ENV_VAR} to a date like 2026-12-07,"
                         " or unset it to use the system clock.") from None
