"""``whichai catalog update`` against a loopback upstream (tests/fakeupstream.py) in the real wire formats.

Success, rollback, offline, truncated, malformed and hostile downloads; on every failure the catalog
in use is byte for byte what it was, and no temporary file is left beside it.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
from fakeupstream import FakeUpstream, free_port

from whichai.catalog import update
from whichai.catalog.catalog import SHIPPED, refreshed_path
from whichai.errors import InputError


@pytest.fixture(scope="module")
def upstream():
    with FakeUpstream() as up:
        yield up


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("WHICHAI_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def _point(monkeypatch, up: FakeUpstream, **paths: str) -> None:
    for k, v in up.env(**paths).items():
        monkeypatch.setenv(k, v)


@pytest.fixture(scope="module")
def updated_once(upstream, tmp_path_factory) -> Path:
    """A data directory after one successful update (a refreshed and a previous catalog, both benchmark files),
    made once per module: a test that starts from it gets a copy (``after_an_update``)."""
    folder = tmp_path_factory.mktemp("updated") / "data"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("WHICHAI_DATA_DIR", str(folder))
        _point(mp, upstream)
        update.run_update()
    return folder


@pytest.fixture
def after_an_update(updated_once: Path, data: Path) -> Path:
    """The test's data directory as one successful update leaves it (a copy of ``updated_once``)."""
    shutil.copytree(updated_once, data)
    return data


def _digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def _state(data: Path) -> dict:
    """What the catalog in use and the kept one are, and every other file in the data directory."""
    files = sorted(p.name for p in data.iterdir()) if data.exists() else []
    return {"current": _digest(refreshed_path()), "previous": _digest(update.previous_path()), "files": files}


def _doc(path: Path) -> dict:
    with gzip.open(path, "rb") as fh:
        return json.loads(fh.read())


def test_update_builds_swaps_in_and_reports_what_changed(upstream, data, monkeypatch):
    _point(monkeypatch, upstream)
    report = update.run_update()
    cur = _doc(refreshed_path())
    assert report["path"] == str(refreshed_path()) and report["replaced"] == str(SHIPPED)
    assert cur["snapshots"] == {"osai-index": "2026-12-07", "mof": "2026-12-07", "models.dev": "2026-12-07"}
    ids = {e["id"] for e in cur["entries"]}
    assert {"openai/gpt-4.1-mini", "openai/gpt-oss-120b"} <= ids
    oss = next(e for e in cur["entries"] if e["id"] == "openai/gpt-oss-120b")
    assert oss["weights_downloadable"] is True and "groq/openai/gpt-oss-120b" in oss["offers"]  # lab file + host offers
    assert any(e["openness"] != "closed" for e in cur["entries"] if "mof" in {s["name"] for s in e["sources"]})
    # the previous catalog (here the shipped one) is kept, byte for byte
    assert _digest(update.previous_path()) == _digest(SHIPPED)
    assert report["entries_after"] == len(cur["entries"]) and report["removed"] and "openai/gpt-oss-120b" not in report["removed"]
    assert any(c["id"] == "openai/gpt-oss-120b" for c in report["price_changes"])
    assert sorted(p.name for p in data.iterdir()) == ["benchmarks.json", "benchmarks.previous.json", "catalog.json.gz",
                                                      "catalog.previous.json.gz"]  # no staging left
    assert {h for h in upstream.hits} >= {"/api.json", "/osai.tar.gz", "/mof.tar.gz", "/aider/polyglot_leaderboard.yml",
                                          "/aider/edit_leaderboard.yml", "/llmstats.tar.gz", "/evalplus/results.json"}


def test_a_codeload_zip_works_too(upstream, data, monkeypatch):
    _point(monkeypatch, upstream, mof="/mof.zip")
    update.run_update()
    assert any("mof" in {s["name"] for s in e["sources"]} for e in _doc(refreshed_path())["entries"])


def test_rollback_puts_the_previous_catalog_back_and_can_be_undone(upstream, data, monkeypatch):
    _point(monkeypatch, upstream)
    with pytest.raises(InputError, match="No previous catalog"):
        update.rollback()
    update.run_update()
    updated = _digest(refreshed_path())
    replaced, restored, path = update.rollback()
    assert _digest(path) == _digest(SHIPPED) and _digest(update.previous_path()) == updated
    diff = update.changes(replaced, restored, "2026-12-07")
    assert diff["added"] and "openai/gpt-oss-120b" not in diff["added"]
    update.rollback()  # the rollback of a rollback is the update again
    assert _digest(refreshed_path()) == updated


def test_the_loader_uses_the_updated_catalog(after_an_update):
    from whichai.catalog import load_catalog

    cat = load_catalog()
    assert Path(cat.path) == refreshed_path() and len(cat) == len(_doc(refreshed_path())["entries"])


BAD = [
    ({"models_dev": "/truncated.json"}, "failed part-way|truncated"),
    ({"models_dev": "/bad.json"}, "not JSON"),
    ({"models_dev": "/wrongtypes.json"}, r"cost\.input"),
    ({"models_dev": "/traversal.json"}, "not a safe name"),
    ({"models_dev": "/empty.json"}, "non-empty"),
    ({"models_dev": "/missing"}, "HTTP 404"),
    ({"osai": "/evil.tar.gz"}, r"'\.\.'"),
    ({"osai": "/link.tar.gz"}, "link"),
    ({"osai": "/absolute.zip"}, "absolute"),
    ({"osai": "/notgzip.tar.gz"}, "damaged or truncated"),
    ({"osai": "/cut.tar.gz"}, "damaged or truncated"),
    ({"mof": "/osai.tar.gz"}, "mof.settings.yml"),
]


@pytest.mark.parametrize("paths, message", BAD, ids=[next(iter(p.values())).strip("/") for p, _ in BAD])
def test_a_bad_download_changes_nothing(upstream, after_an_update, monkeypatch, paths, message):
    data = after_an_update  # a previous update, so there is a refreshed and a previous catalog to protect
    before = _state(data)
    _point(monkeypatch, upstream, **paths)
    with pytest.raises(update.UpdateError, match=message) as err:
        update.run_update()
    assert "kept" in str(err.value) and "Fix:" in str(err.value)
    assert _state(data) == before
    assert not list(Path("/tmp").glob("whichai-evil*")) and not (data.parent / "evil.yaml").exists()


def test_size_cap_and_deadline_bound_every_download(upstream, data, monkeypatch):
    small = tuple(update.Source(s.name, s.env, s.url, 2 * 1024 * 1024) for s in update.SOURCES)
    monkeypatch.setattr(update, "SOURCES", small)
    _point(monkeypatch, upstream, models_dev="/huge.json")
    with pytest.raises(update.UpdateError, match="cap"):
        update.run_update()
    assert _state(data)["current"] is None
    upstream.slow_seconds = 3.0
    _point(monkeypatch, upstream, models_dev="/slow.json")
    with pytest.raises(update.UpdateError, match="timed out|deadline"):
        update.run_update(deadline_s=0.5)
    assert _state(data) == {"current": None, "previous": None, "files": []}


def test_offline_says_so_and_keeps_the_catalog(data, monkeypatch):
    monkeypatch.setenv("WHICHAI_MODELS_DEV_URL", f"http://127.0.0.1:{free_port()}/api.json")
    with pytest.raises(update.UpdateError, match="^Offline: .*Connection refused.*kept") as err:
        update.run_update()
    assert err.value.exit_code == 1 and "\n" not in str(err.value)
    assert _state(data)["current"] is None


def test_a_source_url_that_is_not_http_is_an_input_error(data, monkeypatch):
    monkeypatch.setenv("WHICHAI_OSAI_URL", "file:///etc/passwd")
    with pytest.raises(InputError, match="WHICHAI_OSAI_URL"):
        update.run_update()


def test_cli_update_json_and_offline_line(upstream, env, tmp_path):
    from conftest import invoke  # in process: the entry point, its exit status and streams, no interpreter start

    proc = invoke(["catalog", "update", "--json"], {**env, **upstream.env()})
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["action"] == "update" and doc["entries_after"] > 0 and isinstance(doc["price_changes"], list)
    assert doc["benchmarks"]["sources"]["aider"]["license"] == "Apache-2.0" and doc["benchmarks"]["entries_after"] > 0
    current = (Path(env["WHICHAI_DATA_DIR"]) / "catalog.json.gz").read_bytes()
    off = invoke(["catalog", "update"], {**env, "WHICHAI_MODELS_DEV_URL": f"http://127.0.0.1:{free_port()}/x"})
    assert off.returncode == 1 and off.stdout == ""
    lines = [ln for ln in off.stderr.splitlines() if ln.strip()]
    assert "Traceback" not in off.stderr and lines[0].startswith("Error: Offline:"), off.stderr
    assert (Path(env["WHICHAI_DATA_DIR"]) / "catalog.json.gz").read_bytes() == current
    back = invoke(["catalog", "update", "--rollback"], env)
    assert back.returncode == 0 and "Rolled back" in back.stdout, back.stderr
    again = invoke(["catalog", "update"], {**env, **upstream.env()})
    assert again.returncode == 0 and "Benchmarks aider (Apache-2.0, observed 2026-12-07)" in again.stdout, again.stderr


def test_no_update_test_reaches_beyond_loopback():
    from whichai.catalog.benchmarks_sources import FETCHED

    for s in (*update.SOURCES, *FETCHED):
        assert os.environ.get(s.env) is None  # the module fixture sets them per test only


# the benchmark results: refreshed in the same run, from the same readers as tools/import_benchmarks.py ----------


def test_update_refreshes_the_benchmarks_and_keeps_source_url_date_licence(upstream, data, monkeypatch):
    from whichai.catalog import benchmarks
    from whichai.catalog.benchmarks import DATA

    shipped = json.loads(DATA.read_text(encoding="utf-8"))
    _point(monkeypatch, upstream)
    report = update.run_update()["benchmarks"]
    bench_file, kept_file = update.bench_paths()
    doc = json.loads(bench_file.read_text(encoding="utf-8"))
    assert kept_file.read_bytes() == DATA.read_bytes()  # the data it replaced (here the shipped one), byte for byte
    # the downloaded sources are read anew: their results are those of the loopback files, observed today
    aider = [r for r in doc["results"] if r["source"] == "aider"]
    assert {"gpt-4.1-mini (rerun)", "gpt-oss-120b (high)"} <= {r["model"] for r in aider}
    assert next(r for r in aider if r["model"] == "gpt-4.1-mini (rerun)")["score"] == 0.338
    assert {r["model"] for r in doc["results"] if r["source"] == "llmstats"} >= {"gpt-4.1-mini-2025-04-14", "gpt-oss-120b"}
    assert {r["model"] for r in doc["results"] if r["source"] == "evalplus"} == {"GPT-4 (May 2023)", "GPT-4-Turbo (April 2024)",
                                                                                 "GPT-4-Turbo (Nov 2023)", "Llama3.1-8B-instruct"}
    for sid in ("aider", "llmstats", "evalplus"):
        src, before = doc["sources"][sid], shipped["sources"][sid]
        assert src["observed"] == "2026-12-07" and src["license"] == before["license"] and src["attribution"] == before["attribution"]
        assert src["url"] == before["url"] and src["fetched_from"].startswith(upstream.url)
        assert report["sources"][sid]["results_after"] == src["results"] == sum(r["source"] == sid for r in doc["results"])
    assert doc["sources"]["llmstats"]["commit"] == "0123456789abcdef0123456789abcdef01234567"  # codeload's pax header
    # the frozen and curated sources are kept as they were
    for sid in ("openllm", "openllm-final", "scandeval", "cards", "vendor-reports", "terminal-bench-paper", "apertus-report"):
        assert doc["sources"][sid] == shipped["sources"][sid]
        assert [r for r in doc["results"] if r["source"] == sid] == [r for r in shipped["results"] if r["source"] == sid]
    assert report["kept"] == ["apertus-report", "cards", "openllm", "openllm-final", "scandeval", "terminal-bench-paper", "vendor-reports"]
    assert report["sources"]["aider"]["added"] >= 1 and report["sources"]["aider"]["removed"] > 0
    # linked to the new catalog and fitted again; read from beside the catalog in use
    assert benchmarks.active_data_path() == bench_file and benchmarks.data()["observed"] == "2026-12-07"
    facts = benchmarks.facts("openai/gpt-4.1-mini")
    assert any(f.model_as_named == "gpt-4.1-mini (rerun)" and f.license == "Apache-2.0" and f.url == "https://aider.chat/docs/leaderboards/"
               for f in facts)
    assert set(doc["fit"]) == set(shipped["fit"])


def test_rollback_puts_the_benchmarks_back_with_the_catalog(after_an_update):
    from whichai.catalog import benchmarks
    from whichai.catalog.benchmarks import DATA

    bench_file, kept_file = update.bench_paths()
    new = bench_file.read_bytes()
    update.rollback()
    assert bench_file.read_bytes() == DATA.read_bytes() and kept_file.read_bytes() == new
    assert not any(f.model_as_named == "gpt-4.1-mini (rerun)" for f in benchmarks.facts("openai/gpt-4.1-mini"))


@pytest.mark.parametrize("paths, message", [({"aider": "/aider-bad/"}, "aider is not in its format"),
                                            ({"llmstats": "/llmstats-empty.tar.gz"}, "llmstats is not in its format"),
                                            ({"evalplus": "/missing"}, "HTTP 404")])
def test_a_bad_benchmark_source_changes_nothing(upstream, after_an_update, monkeypatch, paths, message):
    data = after_an_update
    before = _state(data)
    bench_before = update.bench_paths()[0].read_bytes()
    _point(monkeypatch, upstream, **paths)
    with pytest.raises(update.UpdateError, match=message) as err:
        update.run_update()
    assert "kept" in str(err.value) and "Fix:" in str(err.value)
    assert _state(data) == before and update.bench_paths()[0].read_bytes() == bench_before


def test_stale_note_after_90_days_in_english_and_indonesian():
    from whichai.catalog.age import stale_note
    from whichai.decide.i18n import t

    assert stale_note(None) is None and stale_note(90) is None
    assert "whichai catalog update" in stale_note(91) and "91 days" in stale_note(91)
    assert "Jalankan `whichai catalog update`" in stale_note(200, "id")
    assert t("ex.catalog_stale", "id", days=200, limit=90) == stale_note(200, "id")


def test_views_warn_on_old_data_and_not_on_fresh(env):
    from conftest import invoke  # in process: the entry point, its exit status and streams, no interpreter start

    old = invoke(["models", "openai/gpt-4.1-mini"], env)  # the shipped data, on the pinned 2026-12-07
    assert old.returncode == 0 and "Run `whichai catalog update`" in old.stdout and "Jalankan" not in old.stdout
    old_id = invoke(["models", "--search", "gpt-4.1-mini", "--lang", "id"], env)  # one language, the one asked for
    assert old_id.returncode == 0 and "Jalankan `whichai catalog update`" in old_id.stdout and "Run `whichai" not in old_id.stdout
    fresh = invoke(["models", "--search", "gpt-4.1-mini"], {**env, "WHICHAI_TODAY": "2026-07-20"})
    assert fresh.returncode == 0 and "whichai catalog update" not in fresh.stdout
    rec = invoke(["recommend", "--profile", "hobbyist-laptop"], env)
    assert rec.returncode == 0 and "whichai catalog update" in rec.stdout
