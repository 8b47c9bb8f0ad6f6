"""Compile every gettext catalog of whichai: ``locale/<lang>/LC_MESSAGES/whichai.po`` -> ``whichai.mo``.

    .venv/bin/python tools/compile_locales.py          # compile every language
    .venv/bin/python tools/compile_locales.py --check  # exit 1 if a .mo is not up to date with its .po

Needs Babel (the test extra); whichai itself reads the .mo files with the standard library.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parents[1] / "src" / "whichai" / "locale"


def po_files(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    return sorted(locale_dir.glob("*/LC_MESSAGES/*.po"))


def compiled(po: Path) -> bytes:
    """The .mo bytes of one .po file (fuzzy entries left out, as gettext's msgfmt does)."""
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=po.parent.parent.name)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for po in po_files():
        mo = po.with_suffix(".mo")
        data = compiled(po)
        if mo.is_file() and mo.read_bytes() == data:
            continue
        if check:
            stale.append(mo)
        else:
            mo.write_bytes(data)
            print(f"compiled {mo.relative_to(LOCALE_DIR.parent)}")
    for mo in stale:
        print(f"{mo} is not up to date with its .po. Fix: run tools/compile_locales.py", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
