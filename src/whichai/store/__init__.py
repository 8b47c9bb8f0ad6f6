"""SQLite storage (WAL) for runs, their cases and results.

Migrations are a plain ordered list of functions (:data:`whichai.store.migrations.MIGRATIONS`, where every
table is defined), each recorded in the ``migrations`` table once applied. Results are committed as calls complete, a few
milliseconds' batch in one transaction (:meth:`Store.save_results`), so a run killed at any point keeps
everything but the last unflushed batch; claims are taken in batches too (:meth:`Store.claim_many`). API keys are never stored: nothing here receives one, and
every text column of a result is passed through :func:`whichai.errors.redact` before it is written
(a server that echoes a key back in an answer or an error body does not get it stored).

Safety of the file itself:

- A file that is not a whichai database (another program's SQLite file, or not SQLite at all) is
  refused before anything is written to it: no WAL switch, no migration.
- SQLite failures (disk full, read-only file, a damaged page, a lock held too long) become one clear
  error naming the file and the fix (:func:`storage_error`), never a traceback. What was committed
  before stays committed.
- Several processes may work on the same run: each registers as a *worker* (pid, host, heartbeat)
  and *claims* a (model, case) in one ``BEGIN IMMEDIATE`` transaction before calling the model, so
  no case is called (and paid for) twice. Claims of a worker that died (its pid is gone, or its
  heartbeat is older than ``STALE_S``) are taken over.

A Store is safe to use from several threads (one lock serialises access to its connection).
"""

from __future__ import annotations

import atexit
import functools
import json
import operator
import os
import socket
import sqlite3
import threading
import time
import uuid
import weakref
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from whichai.errors import FileInputError, InputError, StorageError, WhichaiError, redact
from whichai.store.migrations import MIGRATIONS

APP_ID = 0x57484941  # PRAGMA application_id of a whichai database ("WHIA")
HEARTBEAT_S = 2.0  # how often a running worker says it is alive
STALE_S = 20.0  # a worker silent for longer is taken to be dead, and its claims are taken over


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def storage_error(path: Path, exc: sqlite3.Error) -> WhichaiError | None:
    """The one clear error for a SQLite failure on ``path``; None when it is not a storage condition
    (a bug in a query stays a bug, with its traceback)."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc)
    if name.startswith("SQLITE_FULL") or "disk is full" in text:
        return StorageError(
            f"{path}: the disk is full, so whichai could not store the last result (SQLite: {text}). Everything "
            "stored before is kept. Fix: free disk space (or pass --db on another disk), then run the same command again."
        )
    if name.startswith("SQLITE_READONLY") or "readonly" in text:
        return FileInputError(path, f"the database cannot be written (read-only: {text}).",
                              "make the file and its folder writable, or pass another --db PATH.")
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in text or "not a database" in text:
        return FileInputError(path, f"is damaged or not a SQLite database ({text}).",
                              f"restore it from a backup, or save what it holds with `sqlite3 {path} .recover | sqlite3 "
                              "recovered.db` and pass --db recovered.db.")
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in text:
        return StorageError(f"{path}: the database stayed locked by another process ({text}). "
                            "Fix: wait for the other whichai process to finish, then run again.")
    if name.startswith("SQLITE_CANTOPEN") or "unable to open" in text:
        return FileInputError(path, f"cannot be opened ({text}).", "check the path and its permissions, or pass another --db PATH.")
    if name.startswith("SQLITE_IOERR") or "disk I/O error" in text:
        return StorageError(f"{path}: disk I/O error ({text}). Everything stored before is kept. "
                            "Fix: check the disk, then run the same command again.")
    return None


def _guarded(method: Callable) -> Callable:
    """Serialise access to the connection, and turn SQLite failures into one clear error."""

    @functools.wraps(method)
    def wrapper(self: Store, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            try:
                return method(self, *args, **kwargs)
            except sqlite3.Error as exc:
                mapped = storage_error(self.path, exc)
                if mapped is None:
                    raise
                raise mapped from exc

    return wrapper


def _refuse_foreign(db: sqlite3.Connection, path: Path) -> None:
    """Raise unless ``db`` is empty or a whichai database. Reads only: a foreign file is left as it was."""
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not tables:
        return
    app_id = db.execute("PRAGMA application_id").fetchone()[0]
    if app_id == APP_ID or (app_id == 0 and {"migrations", "runs", "results"} <= tables):
        return
    shown = ", ".join(sorted(tables)[:5]) + (", ..." if len(tables) > 5 else "")
    raise FileInputError(path, f"is a SQLite database of another program (tables: {shown}), not a whichai database; "
                         "whichai left it untouched.", "pass another --db PATH, or leave out --db for the default database.")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


HOST = socket.gethostname()
# Stores not yet closed. A sqlite3 connection is freed only by the garbage collector (it is in a cycle
# with its statement cache): a store closes its connection when it is released (``__del__``), and what
# is still open at exit is closed here. Closed,
# SQLite moves the write-ahead log into the database file and removes it.
_OPEN: weakref.WeakSet[Store] = weakref.WeakSet()


@atexit.register
def _close_open_stores() -> None:
    """Close every store still open when the process ends, so ``whichai.db`` alone holds every result
    (copied, moved or deleted without its ``-wal`` file, it is still whole)."""
    for store in list(_OPEN):
        store.close()


class Store:
    """A whichai database. Open with :meth:`open`; every write commits at once."""

    def __init__(self, db: sqlite3.Connection, path: Path) -> None:
        self.db = db
        self.path = path
        self._lock = threading.RLock()
        _OPEN.add(self)

    @classmethod
    def open(cls, path: str | Path, *, create: bool = True) -> Store:
        path = Path(path)
        if not create and not path.exists():
            raise FileInputError(path, "no whichai database here.", "run `whichai run` first, or pass --db PATH.")
        if path.is_dir():
            raise FileInputError(path, "is a directory, not a database file.", "pass the path of a .db file with --db.")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise FileInputError(path, f"cannot create its folder ({exc.strerror}).", "pass a writable --db PATH.") from exc
        db = None
        try:
            db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
            _refuse_foreign(db, path)
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA foreign_keys=ON")
            store = cls(db, path)
            store.migrate()
            return store
        except sqlite3.Error as exc:
            if db is not None:
                db.close()
            mapped = storage_error(path, exc)
            if mapped is None:
                raise
            if not create and "read-only" in str(mapped):
                return cls._open_read_only(path, mapped)
            raise mapped from exc
        except WhichaiError as exc:
            if db is not None:
                db.close()
            if not create and "read-only" in str(exc):
                return cls._open_read_only(path, exc)
            raise

    @classmethod
    def _open_read_only(cls, path: Path, why: WhichaiError) -> Store:
        """A database whichai may not write, opened for reading (``runs``, ``show``) when it is up to date."""
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30, isolation_level=None, check_same_thread=False)
        db.row_factory = sqlite3.Row
        try:
            applied = db.execute("SELECT COUNT(*) FROM migrations").fetchone()[0]
        except sqlite3.Error:
            db.close()
            raise why from None
        if applied < len(MIGRATIONS):
            db.close()
            raise why
        return cls(db, path)

    @_guarded
    def migrate(self) -> None:
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        if self.db.execute("PRAGMA application_id").fetchone()[0] != APP_ID:
            self.db.execute(f"PRAGMA application_id = {APP_ID}")
        done = {row[0] for row in self.db.execute("SELECT id FROM migrations")}
        for number, migration in enumerate(MIGRATIONS, start=1):
            if number in done:
                continue
            with self.db:
                self.db.execute("BEGIN IMMEDIATE")
                if self.db.execute("SELECT 1 FROM migrations WHERE id = ?", (number,)).fetchone():
                    continue  # another process applied it meanwhile
                migration(self.db)
                self.db.execute(
                    "INSERT INTO migrations (id, name, applied_at) VALUES (?, ?, ?)",
                    (number, migration.__name__.lstrip("_"), now_iso()),
                )

    def close(self) -> None:
        with self._lock:
            self.db.close()
            _OPEN.discard(self)

    def __del__(self) -> None:
        self.db.close()  # idempotent; see _OPEN

    # runs -----------------------------------------------------------------------------------
    @_guarded
    def ensure_run(
        self,
        run_id: str,
        *,
        task_name: str,
        task_hash: str,
        models: list[str],
        settings: dict[str, Any],
        cases: Iterable[tuple[str, dict[str, Any] | str]],
        version: str,
    ) -> bool:
        """Create the run and its cases unless it exists (safe when two processes start it at once).
        A case's data is a mapping or its JSON text already. Returns True when it already existed."""
        stamp = now_iso()
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            if self.db.execute("SELECT id FROM runs WHERE id = ?", (run_id,)).fetchone():
                self.db.execute("UPDATE runs SET status = 'running', updated_at = ? WHERE id = ?", (stamp, run_id))
                return True
            self.db.execute(
                "INSERT INTO runs (id, created_at, updated_at, task_name, task_hash, models, settings, status, whichai_version)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?)",
                (run_id, stamp, stamp, task_name, task_hash, json.dumps(models), json.dumps(settings, sort_keys=True), version),
            )
            self._insert_cases(run_id, cases, 0)
        return False

    @_guarded
    def add_cases(self, run_id: str, cases: Iterable[tuple[str, dict[str, Any] | str]], first: int = 0) -> None:
        """Store cases of an existing run, numbered from position ``first``, in one transaction; a case the
        run holds already is kept as it is (so two processes, or a resumed run, may store the same ones)."""
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            self._insert_cases(run_id, cases, first)

    def _insert_cases(self, run_id: str, cases: Iterable[tuple[str, dict[str, Any] | str]], first: int) -> None:
        self.db.executemany(
            "INSERT OR IGNORE INTO run_cases (run_id, case_id, position, data) VALUES (?, ?, ?, ?)",
            [(run_id, cid, pos, data if isinstance(data, str) else json.dumps(data, ensure_ascii=False))
             for pos, (cid, data) in enumerate(cases, start=first)],
        )

    @_guarded
    def set_status(self, run_id: str, status: str) -> None:
        self.db.execute("UPDATE runs SET status = ?, updated_at = ? WHERE id = ?", (status, now_iso(), run_id))

    def run(self, run_id: str) -> dict[str, Any] | None:
        """The run with this id or unique id prefix, else None (see :meth:`resolve_run` for the error)."""
        try:
            return self.resolve_run(run_id)
        except InputError:
            return None

    @_guarded
    def resolve_run(self, run_id: str) -> dict[str, Any]:
        """The one run whose id is ``run_id`` or starts with it. The prefix is matched literally
        (``%`` and ``_`` are not wildcards). Unknown or ambiguous ids are an :class:`InputError`."""
        text = str(run_id).strip()
        row = self.db.execute("SELECT * FROM runs WHERE id = ?", (text,)).fetchone()
        if row is not None:
            return _run_dict(row)
        matches = [] if not text else self.db.execute(
            "SELECT * FROM runs WHERE substr(id, 1, ?) = ? ORDER BY created_at DESC LIMIT 6", (len(text), text)
        ).fetchall()
        if len(matches) == 1:
            return _run_dict(matches[0])
        if not matches:
            raise InputError(f"No run {text!r} in {self.path}. Fix: see `whichai runs` for the run ids, or pass --db PATH.")
        shown = ", ".join(m["id"][:12] for m in matches[:5])
        raise InputError(f"The run id prefix {text!r} matches several runs ({shown}). Fix: give more characters of the id.")

    @_guarded
    def runs(self, limit: int = 50) -> list[dict[str, Any]]:
        rows = self.db.execute(
            "SELECT r.*, (SELECT COUNT(*) FROM results x WHERE x.run_id = r.id) AS results_count,"
            " (SELECT COUNT(*) FROM run_cases c WHERE c.run_id = r.id) AS cases_count"
            " FROM runs r ORDER BY updated_at DESC LIMIT ?",
            (limit,),
        ).fetchall()
        return [_run_dict(row) for row in rows]

    @_guarded
    def cases(self, run_id: str) -> list[dict[str, Any]]:
        rows = self.db.execute("SELECT data FROM run_cases WHERE run_id = ? ORDER BY position", (run_id,)).fetchall()
        return [json.loads(row[0]) for row in rows]

    # results ----------------------------------------------------------------------------------
    @_guarded
    def save_result(self, run_id: str, result: dict[str, Any], token: str | None = None) -> None:
        """Insert or replace one result (secrets redacted) and commit at once; with ``token``, mark that
        worker's claim on the case done in the same transaction."""
        self._save(run_id, [result], token)

    @_guarded
    def save_results(self, run_id: str, results: list[dict[str, Any]], token: str | None = None) -> None:
        """:meth:`save_result` for a batch of results, in one transaction. Should the disk fill up during the
        batch, its results are stored one by one, so that every one that fits is kept before the error."""
        try:
            self._save(run_id, results, token)
        except sqlite3.OperationalError:
            if len(results) == 1:
                raise
            for result in results:
                self._save(run_id, [result], token)

    def _save(self, run_id: str, results: list[dict[str, Any]], token: str | None) -> None:
        stamp = now_iso()
        rows = [_result_row(run_id, result, stamp) for result in results]
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            for columns, values in _by_columns(rows):  # one statement per run of rows alike (usually the whole batch)
                self.db.executemany(
                    f"INSERT OR REPLACE INTO results ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})", values)
            if token is not None:
                self.db.executemany("UPDATE claims SET state = 'done' WHERE run_id = ? AND model = ? AND case_id = ? AND token = ?",
                                    [(run_id, row["model"], row["case_id"], token) for row in rows])

    @_guarded
    def results(self, run_id: str, model: str | None = None) -> list[dict[str, Any]]:
        query = "SELECT * FROM results WHERE run_id = ?"
        params: list[Any] = [run_id]
        if model:
            query += " AND model = ?"
            params.append(model)
        return [dict(row) for row in self.db.execute(query + " ORDER BY model, case_id", params)]

    @_guarded
    def result_counts(self, run_id: str) -> dict[str, dict[str, int]]:
        """model -> {passed, failed, errors}: counted by SQLite, for summaries of large runs."""
        counts: dict[str, dict[str, int]] = {}
        for model, status, passed, n in self.db.execute(
                "SELECT model, status, passed, COUNT(*) FROM results WHERE run_id = ? GROUP BY model, status, passed", (run_id,)):
            key = "errors" if status == "error" else "passed" if passed else "failed"
            row = counts.setdefault(model, {"passed": 0, "failed": 0, "errors": 0})
            row[key] += n
        return counts

    def _stream(self, query: str, params: tuple[Any, ...], batch: int = 4096) -> Iterator[tuple[Any, ...]]:
        """The rows of ``query`` as plain tuples, fetched a batch at a time (the lock is held per batch):
        for the figures of large runs, read without holding every row."""
        cursor = self._cursor(query, params)
        while rows := self._fetch(cursor, batch):
            yield from rows

    @_guarded
    def _cursor(self, query: str, params: tuple[Any, ...]) -> sqlite3.Cursor:
        cursor = self.db.cursor()
        cursor.row_factory = None
        return cursor.execute(query, params)

    @_guarded
    def _fetch(self, cursor: sqlite3.Cursor, batch: int) -> list[tuple[Any, ...]]:
        return cursor.fetchmany(batch)

    def result_figures(self, run_id: str, model: str) -> Iterator[tuple[Any, ...]]:
        """What the figures of one model need from each of its results, in case id order: (case_id, status,
        passed, latency_s, ttft_s, output_tokens, input_tokens, cost_usd, tokens_counted, price_source,
        judge_model, judge_cost_usd); the last two from its judgement, when its case was judged."""
        return self._stream(
            "SELECT r.case_id, r.status, r.passed, r.latency_s, r.ttft_s, r.output_tokens, r.input_tokens, r.cost_usd,"
            " r.tokens_counted, r.price_source, j.judge_model, j.cost_usd FROM results r LEFT JOIN judgements j"
            " ON j.run_id = r.run_id AND j.model = r.model AND j.case_id = r.case_id"
            " WHERE r.run_id = ? AND r.model = ? ORDER BY r.case_id", (run_id, model))

    def verdicts(self, run_id: str) -> Iterator[tuple[str, str, str, int | None]]:
        """(model, case_id, status, passed) of every result of the run, by model and case id."""
        return self._stream("SELECT model, case_id, status, passed FROM results WHERE run_id = ? ORDER BY model, case_id",
                            (run_id,))

    @_guarded
    def _has_json(self) -> bool:
        """Whether this SQLite has its JSON functions (built in since 3.38, and in most builds before)."""
        try:
            self.db.execute("SELECT json_array_length('[]')")
        except sqlite3.OperationalError:
            return False
        return True

    def case_tags(self, run_id: str) -> Iterator[tuple[str, list[str]]]:
        """(case_id, tags) of the run's cases that have tags, in the run's order: SQLite's JSON functions pick
        them, so the other cases are not decoded at all (each case is decoded here where SQLite has none)."""
        if not self._has_json():
            for case_id, data in self._stream("SELECT case_id, data FROM run_cases WHERE run_id = ? ORDER BY position", (run_id,)):
                if tags := json.loads(data).get("tags"):
                    yield case_id, tags
            return
        for case_id, tags in self._stream("SELECT case_id, json_extract(data, '$.tags') FROM run_cases WHERE run_id = ?"
                                          " AND json_array_length(data, '$.tags') > 0 ORDER BY position", (run_id,)):
            yield case_id, json.loads(tags)

    def case_ids(self, run_id: str) -> Iterator[str]:
        """The run's case ids, in its order."""
        return (row[0] for row in self._stream("SELECT case_id FROM run_cases WHERE run_id = ? ORDER BY position", (run_id,)))

    @_guarded
    def case_count(self, run_id: str) -> int:
        return self.db.execute("SELECT COUNT(*) FROM run_cases WHERE run_id = ?", (run_id,)).fetchone()[0]

    @_guarded
    def token_sources(self, run_id: str) -> dict[str, dict[str, int]]:
        """model -> {provider | tokenizer | deltas: answers whose output tokens came from there}, counted by
        SQLite (models in order, each one's sources in the order of their first answer)."""
        sources: dict[str, dict[str, int]] = {}
        for model, source, n, _ in self.db.execute(
                "SELECT model, token_source, COUNT(*), MIN(case_id) AS first FROM results WHERE run_id = ? AND status = 'ok'"
                " AND token_source IS NOT NULL AND token_source != '' GROUP BY model, token_source ORDER BY model, first", (run_id,)):
            sources.setdefault(model, {})[source] = n
        return sources

    @_guarded
    def truncated_counts(self, run_id: str) -> dict[str, int]:
        """model -> answers stored cut at --max-answer-bytes."""
        return {model: n for model, n in self.db.execute(
            "SELECT model, COUNT(*) FROM results WHERE run_id = ? AND answer_truncated GROUP BY model ORDER BY model", (run_id,))}

    @_guarded
    def passed_by_all(self, run_id: str, models: list[str]) -> set[str]:
        """Ids of the cases every one of ``models`` answered and passed."""
        rows = self.db.execute("SELECT case_id FROM results WHERE run_id = ? AND status = 'ok' AND passed = 1"
                               " GROUP BY case_id HAVING COUNT(DISTINCT model) = ?", (run_id, len(models)))
        return {row[0] for row in rows}

    @_guarded
    def results_of(self, run_id: str, case_ids: list[str]) -> list[dict[str, Any]]:
        """The stored results of these cases (a page of a large run)."""
        marks = ", ".join("?" for _ in case_ids)
        return [dict(row) for row in self.db.execute(
            f"SELECT * FROM results WHERE run_id = ? AND case_id IN ({marks})", [run_id, *case_ids])]

    @_guarded
    def finished(self, run_id: str) -> dict[tuple[str, str], str]:
        """(model, case_id) -> status of every stored result."""
        rows = self.db.execute("SELECT model, case_id, status FROM results WHERE run_id = ?", (run_id,))
        return {(m, c): s for m, c, s in rows}

    # workers and claims -------------------------------------------------------------------------
    @_guarded
    def register_worker(self, run_id: str) -> str:
        """Register this process as a worker on ``run_id``; returns its token."""
        token = uuid.uuid4().hex
        self.db.execute("INSERT INTO workers (token, run_id, pid, host, started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?)",
                        (token, run_id, os.getpid(), HOST, now_iso(), time.time()))
        return token

    @_guarded
    def heartbeat(self, token: str) -> None:
        self.db.execute("UPDATE workers SET heartbeat_at = ? WHERE token = ?", (time.time(), token))

    @_guarded
    def release_worker(self, token: str) -> None:
        """Give back the claims this worker has not finished, and unregister it."""
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute("DELETE FROM claims WHERE token = ? AND state = 'working'", (token,))
            self.db.execute("DELETE FROM workers WHERE token = ?", (token,))

    def _live_workers(self, run_id: str) -> dict[str, int]:
        """token -> pid of the workers on ``run_id`` that are alive."""
        now = time.time()
        live = {}
        for token, pid, host, beat in self.db.execute("SELECT token, pid, host, heartbeat_at FROM workers WHERE run_id = ?", (run_id,)):
            if now - beat <= STALE_S and (host != HOST or _pid_alive(pid)):
                live[token] = pid
        return live

    @_guarded
    def claimable(self, run_id: str, token: str) -> set[tuple[str, str]]:
        """(model, case_id) pairs of the run with no ok result and no claim of a live worker (this one included)."""
        live = self._live_workers(run_id)
        held = {(m, c) for m, c, t in self.db.execute("SELECT model, case_id, token FROM claims WHERE run_id = ?", (run_id,))
                if t in live or t == token}
        ok = {(m, c) for m, c in self.db.execute("SELECT model, case_id FROM results WHERE run_id = ? AND status = 'ok'", (run_id,))}
        cases = [row[0] for row in self.db.execute("SELECT case_id FROM run_cases WHERE run_id = ?", (run_id,))]
        models = json.loads(self.db.execute("SELECT models FROM runs WHERE id = ?", (run_id,)).fetchone()[0])
        return {(m, c) for m in models for c in cases} - ok - held

    @_guarded
    def claim(self, run_id: str, model: str, case_id: str, token: str) -> bool:
        """Claim one (model, case) for this worker, atomically. False when it has an ok result, or a live
        worker (this one included) holds or has finished it."""
        return bool(self._claim(run_id, [(model, case_id)], token))

    @_guarded
    def claim_many(self, run_id: str, pairs: list[tuple[str, str]], token: str) -> list[tuple[str, str]]:
        """:meth:`claim` for a batch of (model, case_id) pairs in one transaction: those claimed, in order."""
        return self._claim(run_id, pairs, token)

    def _claim(self, run_id: str, pairs: list[tuple[str, str]], token: str) -> list[tuple[str, str]]:
        claimed = []
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            done = {(m, c) for m, c in self._among(run_id, pairs, "model, case_id", "results", "status = 'ok'")}
            held = {(m, c): t for m, c, t in self._among(run_id, pairs, "model, case_id, token", "claims")}
            live = None
            for pair in pairs:
                if pair in done:
                    continue
                if pair in held:
                    live = self._live_workers(run_id) if live is None else live
                    if held[pair] == token or held[pair] in live:
                        continue
                claimed.append(pair)
            self.db.executemany("INSERT OR REPLACE INTO claims (run_id, model, case_id, token, state, claimed_at)"
                                " VALUES (?, ?, ?, ?, 'working', ?)", [(run_id, m, c, token, time.time()) for m, c in claimed])
        return claimed

    def _among(self, run_id: str, pairs: list[tuple[str, str]], columns: str, table: str, condition: str = "1") -> list[Any]:
        """``columns`` of ``table``'s rows (a table keyed by run, model and case) that meet ``condition``, for these
        (model, case_id) pairs of the run: one query per model and batch (each case found through the key), not
        one per pair."""
        by_model: dict[str, list[str]] = {}
        for model, case_id in pairs:
            by_model.setdefault(model, []).append(case_id)
        rows: list[Any] = []
        for model, case_ids in by_model.items():
            for start in range(0, len(case_ids), _CASES_PER_QUERY):  # under SQLite's limit on a statement's parameters
                chunk = case_ids[start:start + _CASES_PER_QUERY]
                rows += self.db.execute(f"SELECT {columns} FROM {table} WHERE run_id = ? AND model = ? AND case_id IN "
                                        f"({', '.join('?' for _ in chunk)}) AND {condition}", [run_id, model, *chunk]).fetchall()
        return rows

    @_guarded
    def others_working(self, run_id: str, token: str) -> dict[int, int]:
        """pid -> number of cases of ``run_id`` that other live workers are working on now."""
        live = self._live_workers(run_id)
        counts: dict[int, int] = {}
        for (other,) in self.db.execute("SELECT token FROM claims WHERE run_id = ? AND state = 'working' AND token != ?", (run_id, token)):
            if other in live:
                counts[live[other]] = counts.get(live[other], 0) + 1
        return counts


_RESULT_COLUMNS = (
    "run_id", "model", "case_id", "status", "answer", "passed", "score", "reason", "error_class",
    "error_message", "finish_reason", "input_tokens", "output_tokens", "tokens_counted", "ttft_s",
    "latency_s", "output_tokens_per_s", "cost_usd", "price_source", "attempts", "created_at",
    "token_source", "input_token_source", "settings_not_applied", "answer_truncated", "answer_bytes", "scoring_error",
)
_CASES_PER_QUERY = 500  # case ids looked up per statement, under SQLite's older limit of 999 parameters
_TEXT_COLUMNS = ("answer", "reason", "error_message", "finish_reason", "scoring_error")


def _result_row(run_id: str, result: dict[str, Any], stamp: str) -> dict[str, Any]:
    """A result as stored: its text columns redacted, its settings notes as JSON."""
    row = {**result, "run_id": run_id, "created_at": stamp}
    for column in _TEXT_COLUMNS:
        if isinstance(row.get(column), str):
            row[column] = redact(row[column])
    if isinstance(row.get("settings_not_applied"), dict):
        row["settings_not_applied"] = json.dumps(row["settings_not_applied"], sort_keys=True) if row["settings_not_applied"] else None
    return row


def _by_columns(rows: list[dict[str, Any]]) -> list[tuple[tuple[str, ...], list[tuple[Any, ...]]]]:
    """Stored rows as runs of consecutive rows that fill the same result columns (one run, usually), each run
    one ``executemany``: the order of the rows is kept, so a later row for the same case still wins. A run's
    columns are found from its first row; each of its rows' values are read in one pass (``itemgetter``)."""
    runs: list[tuple[tuple[str, ...], list[tuple[Any, ...]]]] = []
    keys = None
    for row in rows:
        if row.keys() != keys:
            keys = row.keys()
            columns = tuple(c for c in _RESULT_COLUMNS if c in row)
            values = operator.itemgetter(*columns)
            runs.append((columns, []))
        runs[-1][1].append(values(row))
    return runs


def _run_dict(row: sqlite3.Row) -> dict[str, Any]:
    data = dict(row)
    data["models"] = json.loads(data["models"])
    data["settings"] = json.loads(data["settings"])
    return data
