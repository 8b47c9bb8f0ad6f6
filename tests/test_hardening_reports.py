"""Issue 22: a report is written safely in a folder where someone else planted files, and shows model
and user text as it is. The report was written through `<name>.tmp` (a symlink planted there made the
write land wherever it pointed); bidi and zero-width controls in a task name or an answer reached the
HTML report (a "pass" that reads as "fail", a hidden word). Real parts: the store, the report, the files."""

from __future__ import annotations

import os
import re
import sqlite3

import pytest
from report_sample import make_sample_run

RUN = "a1b2c3d4e5f6sample"
BIDI = "\u202e"
INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("reports")
    s = make_sample_run(tmp_path / "w.db", task_name=f"shop {BIDI}lirpa\u200b tasks")
    s.close()
    with sqlite3.connect(tmp_path / "w.db") as db:
        db.execute("UPDATE results SET answer = ? WHERE rowid = (SELECT min(rowid) FROM results WHERE status = 'ok')",
                   (f"The verdict: {BIDI}liaf\u2066 pass\u2069 \ufeffend",))
    from whichai.store import Store

    s = Store.open(tmp_path / "w.db", create=False)
    yield s
    s.close()


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="symlinks")
@pytest.mark.parametrize("fmt", ["html", "md", "json"])
def test_a_planted_tmp_symlink_is_not_followed(store, tmp_path, fmt):
    from whichai.app import write_report

    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    out = tmp_path / "reports" / f"r.{fmt}"
    out.parent.mkdir()
    planted = out.with_name(out.name + ".tmp")
    os.symlink(victim, planted)
    path = write_report(store, RUN, fmt=fmt, out=out)
    assert path == out and out.is_file() and not out.is_symlink()
    assert victim.read_text() == "precious\n"  # before the fix: the report was written into it
    assert planted.is_symlink()  # left alone
    assert [p.name for p in out.parent.iterdir() if p.name.endswith(".tmp") and p != planted] == []


def test_a_report_replaces_an_old_one_and_keeps_an_ordinary_mode(store, tmp_path):
    from whichai.app import write_report

    out = tmp_path / "r.md"
    out.write_text("old")
    os.chmod(out, 0o640)
    write_report(store, RUN, fmt="md", out=out, force=True)
    assert out.read_text() != "old" and (out.stat().st_mode & 0o777) == 0o640
    fresh = write_report(store, RUN, fmt="md", out=tmp_path / "new.md")
    umask = os.umask(0o022)
    os.umask(umask)
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~umask  # not mkstemp's 0600


def test_bidi_and_zero_width_controls_are_shown_not_applied_in_the_html_report(store, tmp_path):
    from whichai.app import write_report

    html = write_report(store, RUN, out=tmp_path / "r.html").read_text(encoding="utf-8")
    assert not INVISIBLE.search(html)
    assert "\\u202elirpa\\u200b" in html  # the task name, made visible
    assert "\\u202eliaf\\u2066 pass\\u2069 \\ufeffend" in html  # the answer, made visible


def test_the_dashboard_pages_use_the_same_filter(store):
    from whichai.report.html import environment, neutral, script_json

    env = environment()
    assert env.from_string("{{ x }}|{{ x|upper }}").render(x=f"a{BIDI}b") == "a\\u202eb|A\\u202eB"
    assert neutral(7) == 7 and neutral("plain") == "plain"
    import json

    assert json.loads(str(script_json({"k": f"a{BIDI}"}))) == {"k": "a\\u202e"}
