"""Fold the texts of whichai's former Python translation tables into the gettext catalogs.

Until issue 21 the texts lived in Python tables of ``key -> (English, Bahasa Indonesia)``; they now
live in ``src/whichai/locale/<lang>/LC_MESSAGES/whichai.po``. This tool reads those tables from a
source tree (the working tree by default, or a git revision with ``--rev``) and adds every key the
catalogs lack (``--replace``: also overwrite the texts of keys they have), then compiles the .mo
files. Run it when a branch written before the move adds a text to one of the old tables:

    .venv/bin/python tools/extract_locales.py                # the working tree
    .venv/bin/python tools/extract_locales.py --rev HEAD~3   # the tables as they were in a commit

Tables that no longer exist in the source are skipped. Needs Babel (the test extra).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
LOCALE_DIR = ROOT / "src" / "whichai" / "locale"
LANGS = ("en", "id")

# msgctxt -> (module, attribute, kind): "pairs" is a dict key -> (en, id); "rows" is a sequence of
# (key, en, id) rows (criteria.py's CRITERIA). Keys listed in SKIP stay where they are (the form's weights labels are criteria.py's names).
TABLES = {
    "decide": [("whichai.decide.reason_texts", "MODEL_TEXTS", "pairs"), ("whichai.decide.i18n", "TEXTS", "pairs")],
    "report": [("whichai.report.i18n", "LABELS", "pairs")],
    "form": [("whichai.web.form_labels", "LABELS", "pairs")],
    "form.section": [("whichai.web.form_labels", "SECTIONS", "pairs")],
    "candidates": [("whichai.measure.candidates", "TEXT", "pairs")],
    "criteria": [("whichai.criteria", "CRITERIA", "rows")],
}
SKIP = {"form": ("weights.",)}

_READER = r"""
import importlib, json, sys
tables = json.loads(sys.argv[1])
out = {}
for ctx, sources in tables.items():
    for module, attr, kind in sources:
        try:
            table = getattr(importlib.import_module(module), attr)
        except (ImportError, AttributeError):
            continue
        rows = [(k, *v) for k, v in table.items()] if kind == "pairs" else list(table)
        for row in rows:
            if isinstance(row, tuple) and len(row) == 3 and all(isinstance(x, str) for x in row):
                out.setdefault(ctx, {})[row[0]] = list(row[1:])
print(json.dumps(out))
"""


def read_tables(src: Path) -> dict[str, dict[str, list[str]]]:
    """ctx -> key -> [en, id], read by importing the tables from ``src`` in a fresh interpreter."""
    done = subprocess.run([sys.executable, "-c", _READER, json.dumps(TABLES)], capture_output=True, text=True,
                          cwd=src.parent, env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"}, check=True)
    tables = json.loads(done.stdout)
    for ctx, prefixes in SKIP.items():
        tables[ctx] = {k: v for k, v in tables.get(ctx, {}).items() if not k.startswith(prefixes)}
    return tables


def source_at(rev: str, into: Path) -> Path:
    archive = subprocess.run(["git", "archive", rev, "src"], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into / "src"


def load_po(lang: str) -> Catalog:
    path = LOCALE_DIR / lang / "LC_MESSAGES" / "whichai.po"
    if path.is_file():
        with path.open("rb") as handle:
            return read_po(handle, locale=lang)
    return Catalog(locale=lang, domain="whichai", project="whichai", version="", fuzzy=False, charset="utf-8",
                   header_comment=f"# whichai's texts in {lang}: msgctxt is the table, msgid the key; edit msgstr only.\n"
                                  "# After editing, run tools/compile_locales.py (docs/translating.md).")


def save_po(catalog: Catalog, lang: str) -> None:
    path = LOCALE_DIR / lang / "LC_MESSAGES" / "whichai.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0, omit_header=False, no_location=True)


def fold(tables: dict[str, dict[str, list[str]]], replace: bool = False) -> dict[str, int]:
    """Add the tables' keys to each language's catalog; returns how many entries each language gained."""
    added = {}
    for index, lang in enumerate(LANGS):
        catalog, count = load_po(lang), 0
        for ctx, table in tables.items():
            for key, texts in table.items():
                have = catalog.get(key, context=ctx)
                if have is not None and not replace:
                    continue
                catalog.add(key, texts[index] or "", context=ctx)
                count += have is None
        save_po(catalog, lang)
        added[lang] = count
    return added


def main(argv: list[str]) -> int:
    replace = "--replace" in argv
    rev = argv[argv.index("--rev") + 1] if "--rev" in argv else None
    with tempfile.TemporaryDirectory() as tmp:
        src = source_at(rev, Path(tmp)) if rev else ROOT / "src"
        added = fold(read_tables(src), replace)
    print("added: " + ", ".join(f"{lang} {n}" for lang, n in added.items()))
    sys.path.insert(0, str(Path(__file__).parent))
    import compile_locales

    return compile_locales.main([])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
