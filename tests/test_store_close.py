"""A database file holds every result once whichai is done with it: the write-ahead log is moved into
``whichai.db`` when a store is closed, released, or still open when the process ends (the CLI ends with
``os._exit``, after the exit handlers, so garbage collection never closes a connection for it)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from whichai.store import Store


def _write_run(store: Store) -> None:
    store.ensure_run("r1", task_name="t", task_hash="h", models=["a/b"], settings={}, cases=[("c1", {"id": "c1"})],
                     version="test")


def _runs_in_file_alone(path: Path, tmp_path: Path) -> int:
    """Runs in a copy of the database file without its -wal and -shm files."""
    copy = tmp_path / "copy.db"
    copy.write_bytes(path.read_bytes())
    with sqlite3.connect(copy) as db:
        return db.execute("SELECT COUNT(*) FROM runs").fetchone()[0]


def test_a_released_store_leaves_its_results_in_the_database_file(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    store = Store.open(path)
    _write_run(store)
    assert Path(f"{path}-wal").exists()  # WAL mode: the run is in the log so far
    del store
    assert not Path(f"{path}-wal").exists()
    assert _runs_in_file_alone(path, tmp_path) == 1


def test_a_store_open_when_the_process_ends_with_os_exit_is_closed(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    script = (
        "import atexit, os, sys\n"
        "from whichai.store import Store\n"
        f"store = Store.open({str(path)!r})\n"
        "store.ensure_run('r1', task_name='t', task_hash='h', models=['a/b'], settings={}, cases=[], version='test')\n"
        "atexit._run_exitfuncs()\n"  # what whichai.cli.main does before os._exit
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
    assert not Path(f"{path}-wal").exists()
    assert _runs_in_file_alone(path, tmp_path) == 1
