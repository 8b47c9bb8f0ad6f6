"""The gettext catalogs (``src/whichai/locale/<lang>/LC_MESSAGES/whichai.po``): compiled, complete, in step.

Every .mo is the compilation of its .po; every language has every key of English with the same
``{placeholders}``; every text key the source uses with a lookup exists; and a third language is
picked up just by adding its folder.
"""

from __future__ import annotations

import ast
import importlib.util
import re
import shutil
import string
from pathlib import Path

import pytest

pytest.importorskip("babel")

from babel.messages.catalog import Catalog  # noqa: E402
from babel.messages.pofile import read_po, write_po  # noqa: E402

from whichai import i18n  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "whichai"
_spec = importlib.util.spec_from_file_location("compile_locales", ROOT / "tools" / "compile_locales.py")
assert _spec and _spec.loader
compile_locales = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(compile_locales)


def _messages(lang: str, locale_dir: Path = i18n.LOCALE_DIR) -> dict[tuple[str | None, str], str]:
    with (locale_dir / lang / "LC_MESSAGES" / "whichai.po").open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    return {(m.context, str(m.id)): str(m.string) for m in catalog if m.id}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_each_mo_is_compiled_from_its_po():
    pos = compile_locales.po_files()
    assert {p.parent.parent.name for p in pos} >= {"en", "id"}
    for po in pos:
        mo = po.with_suffix(".mo")
        assert mo.is_file() and mo.read_bytes() == compile_locales.compiled(po), f"{mo}: run tools/compile_locales.py"


def test_every_language_has_every_key_with_the_same_placeholders():
    english = _messages("en")
    assert all(english.values()), "an English text is empty"
    for lang in i18n.languages():
        own = _messages(lang)
        assert set(own) == set(english), (lang, sorted(set(own) ^ set(english))[:10])
        for key, text in own.items():
            assert text, (lang, key)
            assert _fields(text) == _fields(english[key]), (lang, key, text)


def test_languages_are_the_folders_english_first():
    assert i18n.languages()[:1] == ("en",) and "id" in i18n.languages()


def test_a_third_language_is_a_new_folder(tmp_path):
    locale = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, locale)
    catalog = Catalog(locale="fr", domain="whichai", fuzzy=False)
    catalog.add("title", "Rapport whichai", context="report")
    catalog.add("reason.does_not_fit", "il faut environ {need} Go de mémoire ; votre matériel en offre {have}", context="decide")
    po = locale / "fr" / "LC_MESSAGES" / "whichai.po"
    po.parent.mkdir(parents=True)
    with po.open("wb") as handle:
        write_po(handle, catalog)
    po.with_suffix(".mo").write_bytes(compile_locales.compiled(po))

    assert i18n.languages(locale) == ("en", "fr", "id")
    french = i18n.translations("fr", locale)
    assert french.pgettext("report", "title") == "Rapport whichai"
    assert french.pgettext("decide", "reason.does_not_fit").format(need=9, have=8).startswith("il faut environ 9 Go")
    assert french.pgettext("report", "run") == "Run"  # not translated yet: English
    assert i18n.keys("report", "fr", locale) == {"title": "Rapport whichai"}


def test_text_fills_placeholders_and_falls_back():
    assert i18n.text("reason.does_not_fit", "id", need=9, have=8) == "butuh sekitar 9 GB memori; perangkat keras Anda menyediakan 8 GB"
    assert i18n.text("title", "xx", "report") == "whichai report"  # an unknown language reads English
    assert i18n.text("no.such.key", "id", "report") == "no.such.key"


# --- every key the source uses exists --------------------------------------------------------------

# (module that defines a lookup, its name) -> the table its literal keys belong to
_LOOKUPS = {("whichai.decide.i18n", "t"): "decide", ("whichai.report.i18n", "t"): "report"}
_OWN_LOOKUPS = {"measure/candidates.py": ("text", "candidates")}


def _used_keys() -> set[tuple[str, str, str]]:
    """(table, key, where) for every literal key passed to a lookup in src/ and the templates."""
    used = set()
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names: dict[str, str | None] = {}  # local name -> its table (None: whichai.i18n.text, table in the call)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    local = alias.asname or alias.name
                    if (node.module, alias.name) in _LOOKUPS:
                        names[local] = _LOOKUPS[(node.module, alias.name)]
                    elif (node.module, alias.name) == ("whichai.i18n", "text"):
                        names[local] = None
        own = _OWN_LOOKUPS.get(path.relative_to(SRC).as_posix())
        if own:
            names[own[0]] = own[1]
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names):
                continue
            if not (node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                continue
            table = names[node.func.id]
            if table is None:
                given = node.args[2] if len(node.args) > 2 else next((k.value for k in node.keywords if k.arg == "table"), None)
                if given is None:
                    table = "decide"
                elif isinstance(given, ast.Constant) and isinstance(given.value, str):
                    table = given.value
                else:
                    continue
            used.add((table, node.args[0].value, f"{path.relative_to(SRC)}:{node.lineno}"))
    for path in sorted(SRC.glob("*/templates/*")):
        for match in re.finditer(r"""\bt\(['"]([^'"]+)['"]\s*[,)]""", path.read_text(encoding="utf-8")):
            used.add(("report", match.group(1), str(path.relative_to(SRC))))
    return used


def test_every_key_used_in_the_source_is_in_the_catalogs():
    english = _messages("en")
    used = _used_keys()
    assert len(used) > 100
    missing = sorted((table, key, where) for table, key, where in used if (table, key) not in english)
    assert not missing, missing
