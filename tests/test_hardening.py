"""Issue 10, findings 3-12: each attack as it was found, against the real CLI, real SQLite and the
scriptable OpenAI-compatible server on loopback. Each test failed on the code before the fix. An attack on
the process (memory, file size, a FIFO, signals, a second process) meets a real CLI process with bounded
memory and time; one through what whichai reads, prints and stores meets its entry point in process."""

from __future__ import annotations

import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import invoke, write_config, write_jsonl

MEMORY_LIMIT = 1536 * 1024 * 1024  # bytes of address space a malicious input may make whichai use


def _limited() -> None:  # runs in the child before exec
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def whichai(env: dict, *args: str, timeout: float = 60, limit_memory: bool = True, **kwargs) -> subprocess.CompletedProcess:
    """The real CLI in its own process, with bounded memory and time."""
    return subprocess.run([sys.executable, "-m", "whichai", *args], env=env, capture_output=True, text=True,
                          timeout=timeout, preexec_fn=_limited if limit_memory else None, **kwargs)


def whichai_here(env: dict, *args: str) -> subprocess.CompletedProcess:
    """The real CLI's entry point in this process (``conftest.invoke``), for attacks through what whichai reads,
    prints and stores, where its own process adds nothing: no memory or file-size limit, signal or second process."""
    return invoke(list(args), env)


def assert_clean(result: subprocess.CompletedProcess, code: int = 2) -> None:
    assert result.returncode == code, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr and "Error:" in result.stderr, result.stderr[-2000:]


# --- 3. YAML alias bomb, file size cap -------------------------------------------------------------


def _bomb(levels: int = 9) -> str:
    text = 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for i in range(1, levels):
        text += f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]\n"
    return text


def test_yaml_alias_bomb_in_a_task_file_is_refused_quickly(env, tmp_path):
    task = tmp_path / "bomb.yaml"
    task.write_text(_bomb() + "cases:\n  - id: q\n    input: hi\n    expected: *a8\n")
    assert task.stat().st_size < 1024
    for args in (["tasks", str(task)], ["run", "--task", str(task), "--models", "local/smollm2-135m-instruct", "--no-report"]):
        result = whichai(env, *args, timeout=120)  # within bounded memory; the timeout ends an expansion that would hang
        assert_clean(result)
        assert "aliases" in result.stderr and "bomb.yaml" in result.stderr  # refused by counting aliases, not by expanding


def test_yaml_alias_bomb_in_a_profile_is_refused(env, tmp_path):
    profile = tmp_path / "bomb.yaml"
    profile.write_text(_bomb() + "name: *a8\n")
    result = whichai(env, "recommend", "--profile", str(profile), timeout=30)
    assert_clean(result)
    assert "alias" in result.stderr.lower()


def test_moderate_aliases_still_work(env, tmp_path):
    task = tmp_path / "ok.yaml"
    task.write_text("cases:\n  - id: q1\n    input: Capital of Indonesia\n    expected: &j [Jakarta, DKI Jakarta]\n"
                    "  - id: q2\n    input: Ibu kota Indonesia\n    expected: *j\n")
    result = whichai_here(env, "tasks", str(task), "--json")
    assert result.returncode == 0, result.stderr
    assert [c["expected"] for c in json.loads(result.stdout)["cases"]] == [["Jakarta", "DKI Jakarta"]] * 2


def test_oversized_task_file_is_refused_before_reading(env, tmp_path):
    big = tmp_path / "big.jsonl"
    with big.open("wb") as handle:  # sparse: 40 MB that cost no disk
        handle.truncate(40 * 1024 * 1024)
    result = whichai(env, "tasks", str(big))
    assert_clean(result)
    assert "more than the 32.0 MB" in result.stderr and "big.jsonl" in result.stderr


def test_a_fifo_or_device_is_not_read(env, tmp_path):
    fifo = tmp_path / "task.yaml"
    os.mkfifo(fifo)
    result = whichai(env, "tasks", str(fifo), timeout=20)
    assert_clean(result)
    result = whichai(env, "run", "--config", "/dev/zero", "--models", "local/x", timeout=20)
    assert_clean(result)
    for device in ("/dev/zero", str(fifo)):
        result = whichai(env, "recommend", "--profile", device, timeout=20)
        assert_clean(result)


# --- 4 and 11. Rich markup and terminal escapes in user and model text -----------------------------


def test_markup_and_control_characters_print_as_text(env, tmp_path, fake):
    task = tmp_path / "m.yaml"
    task.write_text('name: "[/x] tugas"\ncases:\n'
                    '  - id: "[bold]q1[/bold]"\n    input: "say [red]hi[/] \\e[2J\\e]0;pwned\\a"\n    expected: "hi"\n')
    config = write_config(tmp_path / "c.toml", "fake", fake.base_url)
    db = tmp_path / "w.db"
    run = whichai_here(env, "run", "--task", str(task), "--models", "fake/echo[/x]", "--config", str(config), "--db", str(db),
                  "--no-report")
    assert run.returncode == 0, run.stderr
    assert "[/x] tugas" in run.stdout and "fake/echo[/x]" in run.stdout
    for args in (["runs"], ["show", json.loads(whichai_here(env, "runs", "--db", str(db), "--json").stdout)["runs"][0]["id"]],
                 ["tasks", str(task)]):
        shown = whichai_here(env, *args, *(["--db", str(db)] if args[0] != "tasks" else []))
        assert shown.returncode == 0, shown.stderr
        assert "[/x]" in shown.stdout
        assert "\x1b" not in shown.stdout and "\x07" not in shown.stdout
        if args[0] != "runs":
            assert "[bold]q1[/bold]" in shown.stdout and "\\x1b[2J" in shown.stdout
    # The stored answer keeps what the model said, control characters included.
    answer = sqlite3.connect(db).execute("SELECT answer FROM results").fetchone()[0]
    assert "\x1b[2J" in answer and "\x07" in answer


def test_error_messages_keep_bracketed_text(env, tmp_path):
    result = whichai_here(env, "run", "--models", "nosuch/model", "--no-report")
    assert_clean(result)
    assert "[providers.nosuch]" in result.stderr


# --- 5. ReDoS in the regex scorer --------------------------------------------------------------------

EVIL = {"scorer": "regex", "options": {"pattern": "(a|aa)+$"}}


@pytest.mark.slow  # a whichai process scoring answers that backtrack to their 2 s bound (in a process: the bounded thread runs on)
def test_catastrophic_regex_is_a_recorded_scoring_error_and_does_not_block_other_calls(env, tmp_path):
    from fakeopenai import FakeOpenAI

    cases = [{"id": "evil", "input": "a" * 40 + "!", **EVIL}]
    cases += [{"id": f"n{i}", "input": f"question {i}", "expected": f"question {i}"} for i in range(4)]
    task = write_jsonl(tmp_path / "t.jsonl", cases)
    db = tmp_path / "w.db"
    with FakeOpenAI(delay=0.3) as fake:
        config = write_config(tmp_path / "c.toml", "fake", fake.base_url)
        result = whichai(env, "run", "--task", str(task), "--models", "fake/echo", "--config", str(config), "--db", str(db),
                         "--concurrency", "1", "--timeout", "5", "--no-report", "--json", timeout=120)
    assert result.returncode == 0, result.stderr
    rows = {r[0]: r[1:] for r in sqlite3.connect(db).execute(
        "SELECT case_id, status, passed, scoring_error, latency_s FROM results")}
    status, passed, scoring_error, _ = rows["evil"]
    assert status == "ok" and passed == 0 and "ran past" in scoring_error
    # Scoring ran off the event loop: the calls made meanwhile were not held up by it.
    assert all(rows[f"n{i}"][0] == "ok" and rows[f"n{i}"][1] == 1 and rows[f"n{i}"][3] < 1.5 for i in range(4))


def _stored_results(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10) as connection:
            return connection.execute("SELECT COUNT(*) FROM results").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


@pytest.mark.slow  # a whichai process scoring answers that backtrack to their 2 s bound (in a process: the bounded thread runs on)
def test_ctrl_c_is_honoured_while_a_regex_backtracks(env, tmp_path):
    """One call at a time, each answer's scoring backtracking until its 2 s bound: Ctrl-C once the first answer is
    stored (the next is being scored) ends the run there, with exit 130 and no traceback, leaving most cases
    unscored (waiting it out would score all 20, 40 s or more)."""
    from fakeopenai import FakeOpenAI

    cases = [{"id": f"e{i}", "input": "a" * 40 + "!", **EVIL} for i in range(20)]
    task = write_jsonl(tmp_path / "t.jsonl", cases)
    db = tmp_path / "w.db"
    with FakeOpenAI() as fake:
        config = write_config(tmp_path / "c.toml", "fake", fake.base_url)
        process = subprocess.Popen([sys.executable, "-m", "whichai", "run", "--task", str(task), "--models", "fake/echo",
                                    "--config", str(config), "--db", str(db), "--no-report", "--concurrency", "1"],
                                   env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120  # a bound for a broken run only: a healthy one stores its first answer in seconds
        while _stored_results(db) < 1 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=120)
    assert process.returncode == 130 and "Traceback" not in err, err
    assert _stored_results(db) < len(cases), "Ctrl-C was not honoured: every case was scored"


# --- 6. Two processes on the same run ----------------------------------------------------------------


def concurrent_trial(env, tmp_path, processes: int = 2, cases: int = 24) -> tuple[list[subprocess.CompletedProcess], dict]:
    """Start the same run in several processes at once; return their results and the server's counts."""
    from fakeopenai import FakeOpenAI

    task = write_jsonl(tmp_path / "t.jsonl", [{"id": f"c{i:02d}", "input": f"q{i}", "expected": f"q{i}"} for i in range(cases)])
    db = tmp_path / "w.db"
    with FakeOpenAI(delay=0.3) as fake:
        config = write_config(tmp_path / "c.toml", "fake", fake.base_url)
        command = [sys.executable, "-m", "whichai", "run", "--task", str(task), "--models", "fake/echo", "--config", str(config),
                   "--db", str(db), "--concurrency", "3", "--no-report", "--json"]
        running = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                   for _ in range(processes)]
        results = []
        for process in running:
            out, err = process.communicate(timeout=120)
            results.append(subprocess.CompletedProcess(command, process.returncode, out, err))
        counts = dict(fake.requests)
    return results, counts


@pytest.mark.slow  # whichai processes racing on one run, or one killed
def test_two_processes_with_the_same_run_never_pay_a_case_twice(env, tmp_path):
    results, counts = concurrent_trial(env, tmp_path)
    for result in results:
        assert result.returncode == 0, result.stderr[-2000:]
        assert "Traceback" not in result.stderr and "UNIQUE" not in result.stderr
        document = json.loads(result.stdout)
        assert document["models"][0]["passed"] == 24  # each process reports the whole run
    assert len(counts) == 24 and set(counts.values()) == {1}, counts
    db = sqlite3.connect(tmp_path / "w.db")
    assert db.execute("SELECT COUNT(*) FROM results").fetchone()[0] == 24
    assert db.execute("SELECT status FROM runs").fetchone()[0] == "complete"
    # The work was shared, or the later process waited and said for whom.
    assert sum(json.loads(r.stdout)["calls"] for r in results) == 24


@pytest.mark.slow  # whichai processes racing on one run, or one killed
def test_a_process_waits_and_names_the_process_holding_the_run(env, tmp_path):
    import threading

    from fakeopenai import FakeOpenAI

    task = write_jsonl(tmp_path / "t.jsonl", [{"id": "held", "input": "q", "expected": "q"}])
    db = tmp_path / "w.db"
    release = threading.Event()
    with FakeOpenAI() as fake:
        fake.scripts["held"] = lambda request: "You asked: q" if release.wait(90) else "timed out"
        config = write_config(tmp_path / "c.toml", "fake", fake.base_url)
        command = [sys.executable, "-m", "whichai", "run", "--task", str(task), "--models", "fake/held", "--config", str(config),
                   "--db", str(db), "--no-report", "--json", "--timeout", "120"]
        first = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 60
        while fake.total() < 1 and time.time() < deadline:
            time.sleep(0.05)
        log = (tmp_path / "second.err").open("w")
        second = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=log, text=True)
        while "waiting" not in (tmp_path / "second.err").read_text() and time.time() < deadline + 60:
            time.sleep(0.1)
        release.set()  # the first process's call now answers
        out, _ = second.communicate(timeout=60)
        first.communicate(timeout=60)
        log.close()
        assert fake.total() == 1
    err = (tmp_path / "second.err").read_text()
    assert second.returncode == 0, err
    assert f"process {first.pid}" in err and "waiting" in err
    assert json.loads(out)["shared_with_pids"] == [first.pid]


@pytest.mark.slow  # whichai processes racing on one run, or one killed
def test_claims_of_a_killed_process_are_taken_over(env, tmp_path):
    from fakeopenai import FakeOpenAI

    task = write_jsonl(tmp_path / "t.jsonl", [{"id": f"c{i}", "input": f"q{i}", "expected": f"q{i}"} for i in range(6)])
    db = tmp_path / "w.db"
    with FakeOpenAI(delay=1.0) as fake:
        config = write_config(tmp_path / "c.toml", "fake", fake.base_url)
        command = [sys.executable, "-m", "whichai", "run", "--task", str(task), "--models", "fake/echo", "--config", str(config),
                   "--db", str(db), "--concurrency", "6", "--no-report", "--json"]
        victim = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.time() + 30
        while fake.total() < 6 and time.time() < deadline:
            time.sleep(0.05)
        os.kill(victim.pid, signal.SIGKILL)  # all six claimed, none stored
        victim.wait()
        again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    document = json.loads(again.stdout)
    assert document["calls"] == 6
    # taken over at once, the dead process seen as dead: never waited for (as a live one would be, up to STALE_S)
    assert document["shared_with_pids"] == [] and "waiting" not in again.stderr, again.stderr


# --- 7. A whichai.toml in the working directory --------------------------------------------------------

VENDOR_KEY = "sk-vendor-key-for-tests-0123456789"


def test_config_in_the_working_directory_may_not_send_a_vendor_key_elsewhere(env, tmp_path, fake):
    env["OPENAI_API_KEY"] = VENDOR_KEY
    write_config(tmp_path / "whichai.toml", "openai", fake.base_url)  # cwd is tmp_path
    task = write_jsonl(tmp_path / "t.jsonl", [{"id": "a", "input": "alpha", "expected": "alpha"}])
    result = whichai_here(env, "run", "--task", str(task), "--models", "openai/echo", "--db", str(tmp_path / "w.db"), "--no-report")
    assert_clean(result)
    assert "whichai.toml" in result.stderr and "OPENAI_API_KEY" in result.stderr and "--config" in result.stderr
    assert fake.total() == 0 and not any(VENDOR_KEY in str(h) for h in fake.headers_seen)
    # Given explicitly, the same file is the user's decision: it is used, and said so on stderr.
    result = whichai_here(env, "run", "--task", str(task), "--models", "openai/echo", "--config", "whichai.toml",
                     "--db", str(tmp_path / "w.db"), "--no-report")
    assert result.returncode == 0, result.stderr
    assert "using config whichai.toml (given with --config)" in result.stderr
    assert fake.total() == 1


def test_which_config_was_loaded_is_said_on_stderr(env, tmp_path, fake):
    write_config(tmp_path / "whichai.toml", "fake", fake.base_url)
    result = whichai_here(env, "tasks", "builtin", "--json")  # a command that loads no config says nothing
    assert "using config" not in result.stderr
    task = write_jsonl(tmp_path / "t.jsonl", [{"id": "a", "input": "alpha", "expected": "alpha"}])
    result = whichai_here(env, "run", "--task", str(task), "--models", "fake/echo", "--db", str(tmp_path / "w.db"), "--no-report", "--json")
    assert result.returncode == 0, result.stderr
    assert "using config whichai.toml (found in the working directory)" in result.stderr
    json.loads(result.stdout)


# --- 8. Redaction of every configured key's value -----------------------------------------------------

ODD_SECRET = "pl41n-v4lue-n0-n4me-h1nt-5551234"
URL_PASSWORD = "urlpass-0987654321-zz"


def _all_text(tmp_path: Path, outputs: list[str]) -> list[str]:
    texts = list(outputs)
    for path in tmp_path.rglob("*"):
        if path.is_file() and path.suffix in (".db", ".db-wal", ".html", ".json", ".md", ".log"):
            texts.append(path.read_bytes().decode("utf-8", "replace"))
    return texts


def test_a_key_in_any_variable_is_redacted_from_answers_errors_db_and_output(env, tmp_path, fake):
    env["MY_SERVER_CRED"] = ODD_SECRET  # no KEY/TOKEN/SECRET in the name
    fake.scripts["leaky"] = lambda request: f"Sure. The credential you sent is {ODD_SECRET}, as you asked."
    config = write_config(tmp_path / "c.toml", "fake", fake.base_url, api_key_env='"MY_SERVER_CRED"')
    task = write_jsonl(tmp_path / "t.jsonl", [{"id": "a", "input": "what is my key?", "expected": "credential"}])
    db = tmp_path / "w.db"
    outputs = []
    for model in ("fake/leaky", "fake/badreq"):
        result = whichai_here(env, "run", "--task", str(task), "--models", model, "--config", str(config), "--db", str(db),
                         "--retries", "0", "--json")
        assert result.returncode in (0, 1), result.stderr
        outputs += [result.stdout, result.stderr]
        document = json.loads(result.stdout)
        shown = whichai_here(env, "show", document["run_id"], "--db", str(db))
        shown_json = whichai_here(env, "show", document["run_id"], "--db", str(db), "--json")
        outputs += [shown.stdout, shown.stderr, shown_json.stdout]
    assert any(h.get("authorization") == f"Bearer {ODD_SECRET}" for h in fake.headers_seen)  # it was used
    rows = sqlite3.connect(db).execute("SELECT model, answer, error_message FROM results").fetchall()
    assert any(answer and "***" in answer for _, answer, _ in rows)  # the answer kept, the key replaced
    assert any(error and "***" in error for _, _, error in rows)  # the server's error body quoted it back
    for text in _all_text(tmp_path, outputs):
        assert ODD_SECRET not in text


def test_a_password_in_a_base_url_is_redacted(env, tmp_path):
    from conftest import free_port

    url = f"http://user:{URL_PASSWORD}@127.0.0.1:{free_port()}/v1"  # nothing listens there
    config = write_config(tmp_path / "c.toml", "down", url)
    task = write_jsonl(tmp_path / "t.jsonl", [{"id": "a", "input": "hello", "expected": "x"}])
    db = tmp_path / "w.db"
    result = whichai_here(env, "run", "--task", str(task), "--models", "down/m", "--config", str(config), "--db", str(db),
                     "--retries", "0", "--json")
    assert result.returncode == 1, result.stderr
    shown = whichai_here(env, "show", json.loads(result.stdout)["run_id"], "--db", str(db), "--json")
    for text in _all_text(tmp_path, [result.stdout, result.stderr, shown.stdout, shown.stderr]):
        assert URL_PASSWORD not in text


# --- 9. Disk full, a damaged page, a read-only database, a foreign SQLite file ------------------------


def _echo_run(env, tmp_path, fake, db: Path, cases: int = 5, **popen):
    """A run of ``cases`` echoed answers into ``db``: in process, or in a process of its own started with ``popen``."""
    task = write_jsonl(tmp_path / "t.jsonl", [{"id": f"c{i}", "input": f"question {i} " + "x" * 3000, "expected": "question"}
                                              for i in range(cases)])
    config = write_config(tmp_path / "c.toml", "fake", fake.base_url)
    args = ["run", "--task", str(task), "--models", "fake/echo", "--config", str(config), "--db", str(db), "--no-report", "--json"]
    if not popen:
        return whichai_here(env, *args)
    return subprocess.run([sys.executable, "-m", "whichai", *args], env=env, capture_output=True, text=True, timeout=120, **popen)


def test_disk_full_is_one_message_and_keeps_what_was_stored(env, tmp_path, fake):
    db = tmp_path / "w.db"
    first = _echo_run(env, tmp_path, fake, db, cases=2)
    assert first.returncode == 0, first.stderr[-2000:]  # a database with results in it
    before = sqlite3.connect(db).execute("SELECT COUNT(*) FROM results").fetchone()[0]
    size = sum(p.stat().st_size for p in tmp_path.glob("w.db*"))

    def small_disk() -> None:  # files may not grow: writes fail with EFBIG, as on a full disk
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size + 4096, size + 4096))

    result = _echo_run(env, tmp_path, fake, db, cases=60, preexec_fn=small_disk)
    assert result.returncode in (1, 2), result.stderr[-2000:]
    assert "Traceback" not in result.stderr and "w.db" in result.stderr, result.stderr[-2000:]
    assert "disk" in result.stderr.lower() or "full" in result.stderr.lower()
    connection = sqlite3.connect(db)
    assert connection.execute("SELECT COUNT(*) FROM results").fetchone()[0] >= before
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_damaged_database_is_one_clear_message(env, tmp_path, fake):
    db = tmp_path / "w.db"
    assert _echo_run(env, tmp_path, fake, db, cases=40).returncode == 0
    connection = sqlite3.connect(db)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    data = bytearray(db.read_bytes())
    page = 4096
    for start in range(2 * page, len(data) - page, page):  # every page but the header: garbage
        data[start + 8:start + 200] = os.urandom(192)
    db.write_bytes(bytes(data))
    for args in (["runs"], ["show", "abc"], ["run", "--task", str(tmp_path / "t.jsonl"), "--models", "fake/echo",
                                             "--config", str(tmp_path / "c.toml"), "--no-report"]):
        result = whichai_here(env, *args, "--db", str(db))
        assert result.returncode in (1, 2), (args, result.stderr[-2000:])
        assert "Traceback" not in result.stderr and "w.db" in result.stderr, result.stderr[-2000:]


def _no_privileges() -> list[str]:
    """A command prefix under which file permissions bind even for root (a user namespace), or []."""
    if os.geteuid() != 0:
        return []
    probe = subprocess.run(["unshare", "-U", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("root without user namespaces: a read-only file cannot be made here")
    return ["unshare", "-U"]


def test_a_read_only_database_is_one_clear_message_and_can_still_be_read(env, tmp_path, fake):
    db = tmp_path / "w.db"
    assert _echo_run(env, tmp_path, fake, db, cases=2).returncode == 0
    connection = sqlite3.connect(db)
    connection.execute("PRAGMA journal_mode=DELETE")
    connection.close()
    db.chmod(0o444)
    prefix = _no_privileges()
    config = write_config(tmp_path / "c.toml", "fake", fake.base_url)
    result = subprocess.run([*prefix, sys.executable, "-m", "whichai", "run", "--task", str(tmp_path / "t.jsonl"), "--models",
                             "fake/echo", "--config", str(config), "--db", str(db), "--limit", "1", "--no-report"],
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2, result.stderr[-2000:]
    assert "Traceback" not in result.stderr and "read-only" in result.stderr, result.stderr[-2000:]
    shown = subprocess.run([*prefix, sys.executable, "-m", "whichai", "runs", "--db", str(db), "--json"], env=env,
                           capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0, shown.stderr
    assert len(json.loads(shown.stdout)["runs"]) == 1


def test_a_foreign_sqlite_file_is_left_untouched(env, tmp_path, fake):
    foreign = tmp_path / "photos.db"
    connection = sqlite3.connect(foreign)
    connection.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
    connection.execute("INSERT INTO photos (name) VALUES ('holiday.jpg')")
    connection.commit()
    connection.close()
    before = foreign.read_bytes()
    for args in (["runs"], ["show", "abc"]):
        result = whichai_here(env, *args, "--db", str(foreign))
        assert_clean(result)
        assert "another program" in result.stderr
    result = _echo_run(env, tmp_path, fake, foreign, cases=1)
    assert_clean(result)
    assert foreign.read_bytes() == before
    assert sorted(p.name for p in tmp_path.glob("photos.db*")) == ["photos.db"]  # no -wal, no -shm
    text = tmp_path / "notes.db"
    text.write_text("just some notes, not a database\n" * 100)
    result = whichai_here(env, "runs", "--db", str(text))
    assert_clean(result)
    assert text.read_text() == "just some notes, not a database\n" * 100


# --- 10. Numbers in task files and configs ---------------------------------------------------------------


TASK_NUMBERS = [
    ("inf.yaml", "cases:\n  - {id: a, input: x, expected: .inf, scorer: numeric}\n"),
    ("nan.jsonl", '{"id": "a", "input": "x", "expected": NaN, "scorer": "numeric"}\n'),
    ("huge.jsonl", '{"id": "a", "input": "x", "expected": ' + "9" * 5000 + ', "scorer": "numeric"}\n'),
    ("big.yaml", "cases:\n  - {id: a, input: x, expected: 1e308, scorer: numeric, options: {tolerance: 1e308}}\n"),
    ("tol.yaml", "cases:\n  - {id: a, input: x, expected: 3, scorer: numeric, options: {tolerance: " + "9" * 5000 + "}}\n"),
]
TASK_DEPTHS = [  # what would recurse past the stack: in a process of its own, with bounded memory
    ("deep.yaml", "cases: " + "[" * 5000 + "]" * 5000 + "\n"),
    ("deep.json", "[" * 100000 + "]" * 100000),
]


@pytest.mark.parametrize("name, content", TASK_NUMBERS + TASK_DEPTHS)
def test_numbers_in_task_files_are_finite_and_bounded(env, tmp_path, name, content):
    (tmp_path / name).write_text(content)
    call = whichai if (name, content) in TASK_DEPTHS else whichai_here
    result = call(env, "tasks", str(tmp_path / name))
    assert_clean(result)
    assert name in result.stderr


CONFIG_NUMBERS = [
    "[run]\ntimeout = inf\n",
    "[run]\ntimeout = nan\n",
    "[run]\ntimeout = 1e308\n",
    "[run]\nmax_tokens = " + "9" * 5000 + "\n",
    '[providers.a]\nbase_url = "http://127.0.0.1:1/v1"\nprice_usd_per_mtok = { input = 1e300, output = 1 }\n',
    '[providers.a]\nbase_url = "file:///etc/passwd"\n',
]
CONFIG_DEPTHS = ["x = " + "[" * 3000 + "]" * 3000 + "\n"]  # in a process of its own, with bounded memory


@pytest.mark.parametrize("content", CONFIG_NUMBERS + CONFIG_DEPTHS)
def test_numbers_and_shapes_in_configs_are_checked(env, tmp_path, content):
    (tmp_path / "c.toml").write_text(content)
    call = whichai if content in CONFIG_DEPTHS else whichai_here
    result = call(env, "run", "--config", str(tmp_path / "c.toml"), "--models", "local/smollm2-135m-instruct", "--no-report")
    assert_clean(result)
    assert "c.toml" in result.stderr


# --- 12. Answer size cap ------------------------------------------------------------------------------


def test_long_answers_are_cut_at_the_cap_and_marked(env, tmp_path, fake):
    task = write_jsonl(tmp_path / "t.jsonl", [{"id": "long", "input": "word " * 5000, "expected": "word"}])
    config = write_config(tmp_path / "c.toml", "fake", fake.base_url)
    db = tmp_path / "w.db"
    result = whichai_here(env, "run", "--task", str(task), "--models", "fake/echo", "--config", str(config), "--db", str(db),
                     "--max-answer-bytes", "2048", "--no-report", "--json")
    assert result.returncode == 0, result.stderr
    answer, truncated, received, finish = sqlite3.connect(db).execute(
        "SELECT answer, answer_truncated, answer_bytes, finish_reason FROM results").fetchone()
    assert len(answer.encode()) <= 2048 and truncated == 1 and received > 2048 and finish == "truncated"
    assert json.loads(result.stdout)["truncated_answers"] == {"fake/echo": 1}
    run_id = json.loads(result.stdout)["run_id"]
    shown = whichai_here(env, "show", run_id, "--db", str(db))
    assert "answer truncated" in shown.stdout
    shown = json.loads(whichai_here(env, "show", run_id, "--db", str(db), "--json").stdout)
    assert shown["cases"][0]["answers"]["fake/echo"]["truncated"] is True


def test_the_default_cap_is_64_kib(env, tmp_path, fake):
    task = write_jsonl(tmp_path / "t.jsonl", [{"id": "long", "input": "w" * 100_000, "expected": "w"}])
    config = write_config(tmp_path / "c.toml", "fake", fake.base_url)
    db = tmp_path / "w.db"
    result = whichai_here(env, "run", "--task", str(task), "--models", "fake/echo", "--config", str(config), "--db", str(db),
                     "--no-report", "--json")
    assert result.returncode == 0, result.stderr
    answer, truncated = sqlite3.connect(db).execute("SELECT answer, answer_truncated FROM results").fetchone()
    assert len(answer.encode()) == 65536 and truncated == 1


def test_a_full_database_stops_the_run_marked_interrupted_with_one_message(tmp_path, fake):
    """SQLite's own SQLITE_FULL (a page limit stands in for the disk): a StorageError naming the file and
    the fix, the run marked interrupted, what was stored before kept; the same run later finishes."""
    import asyncio

    from whichai.config import load_config
    from whichai.errors import StorageError
    from whichai.measure.runner import Runner, RunPlan
    from whichai.providers.registry import Registry
    from whichai.store import Store
    from whichai.tasks.model import Case, Task

    config = load_config(write_config(tmp_path / "c.toml", "fake", fake.base_url), announce=False)
    cases = [Case(id=f"c{i}", input=f"question {i} " + "x" * 3000, expected="question") for i in range(40)]
    plan = RunPlan(task=Task(name="t", cases=cases), models=["fake/echo"], retries=0, concurrency=2)
    store = Store.open(tmp_path / "w.db")
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages + 40}")
    with pytest.raises(StorageError) as caught:
        asyncio.run(Runner(store, Registry(config)).run(plan))
    message = str(caught.value)
    assert "w.db" in message and "disk is full" in message and "Fix:" in message
    stored = store.db.execute("SELECT COUNT(*) FROM results").fetchone()[0]
    assert 0 < stored < 40
    assert store.db.execute("SELECT status FROM runs").fetchone()[0] == "interrupted"
    store.close()
    store = Store.open(tmp_path / "w.db")  # room again: the same run resumes and finishes
    outcome = asyncio.run(Runner(store, Registry(config)).run(plan))
    assert outcome.reused == stored and outcome.ran == 40 - stored
    assert store.db.execute("SELECT status FROM runs").fetchone()[0] == "complete"
