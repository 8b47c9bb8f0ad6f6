"""SQLite storage (WAL) for runs, their cases and results.

Migrations are a plain ordered list of functions, each recorded in the ``migrations`` table once
applied. Results are written one by one, committed the moment a call completes, so a run killed at
any point keeps everything that finished. API keys are never stored: nothing here receives one.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from whichai.errors import FileInputError, InputError


def _m001_initial(db: sqlite3.Connection) -> None:
    db.executescript(
        """
        CREATE TABLE runs (
            id TEXT PRIMARY KEY,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            task_name TEXT NOT NULL,
            task_hash TEXT NOT NULL,
            models TEXT NOT NULL,          -- JSON list of model ids
            settings TEXT NOT NULL,        -- JSON generation settings (part of the identity)
            status TEXT NOT NULL,          -- running | complete | interrupted
            whichai_version TEXT NOT NULL
        );
        CREATE TABLE run_cases (
            run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            case_id TEXT NOT NULL,
            position INTEGER NOT NULL,
            data TEXT NOT NULL,            -- JSON of the case as validated
            PRIMARY KEY (run_id, case_id)
        );
        CREATE TABLE results (
            run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            model TEXT NOT NULL,
            case_id TEXT NOT NULL,
            status TEXT NOT NULL,          -- ok | error
            answer TEXT,
            passed INTEGER,
            score REAL,
            reason TEXT,
            error_class TEXT,
            error_message TEXT,
            finish_reason TEXT,
            input_tokens INTEGER,
            output_tokens INTEGER,
            tokens_counted INTEGER NOT NULL DEFAULT 0,  -- 1: counted with the tokenizer, not reported by the provider
            ttft_s REAL,
            latency_s REAL,
            output_tokens_per_s REAL,
            cost_usd REAL,
            price_source TEXT,             -- where the price came from: config | catalog:<source> | local
            attempts INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            PRIMARY KEY (run_id, model, case_id)
        );
        CREATE INDEX results_run ON results(run_id, model);
        """
    )


# Ordered: a migration's number is its position. Append only; never reorder or remove.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _m001_initial,
]


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Store:
    """A whichai database. Open with :meth:`open`; every write commits at once."""

    def __init__(self, db: sqlite3.Connection, path: Path) -> None:
        self.db = db
        self.path = path

    @classmethod
    def open(cls, path: str | Path, *, create: bool = True) -> Store:
        path = Path(path)
        if not create and not path.exists():
            raise FileInputError(path, "no whichai database here.", "run `whichai run` first, or pass --db PATH.")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA foreign_keys=ON")
            store = cls(db, path)
            store.migrate()
        except sqlite3.DatabaseError as exc:
            raise FileInputError(path, f"not a usable SQLite database ({exc}).", "pass another --db PATH.") from exc
        except OSError as exc:
            raise FileInputError(path, f"cannot open the database ({exc.strerror}).", "pass a writable --db PATH.") from exc
        return store

    def migrate(self) -> None:
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        done = {row[0] for row in self.db.execute("SELECT id FROM migrations")}
        for number, migration in enumerate(MIGRATIONS, start=1):
            if number in done:
                continue
            with self.db:
                self.db.execute("BEGIN")
                migration(self.db)
                self.db.execute(
                    "INSERT INTO migrations (id, name, applied_at) VALUES (?, ?, ?)",
                    (number, migration.__name__.lstrip("_"), now_iso()),
                )

    def close(self) -> None:
        self.db.close()

    # runs -----------------------------------------------------------------------------------
    def ensure_run(
        self,
        run_id: str,
        *,
        task_name: str,
        task_hash: str,
        models: list[str],
        settings: dict[str, Any],
        cases: Iterable[tuple[str, dict[str, Any]]],
        version: str,
    ) -> bool:
        """Create the run and its cases unless it exists. Returns True when it already existed."""
        existing = self.db.execute("SELECT id FROM runs WHERE id = ?", (run_id,)).fetchone()
        stamp = now_iso()
        if existing:
            self.db.execute("UPDATE runs SET status = 'running', updated_at = ? WHERE id = ?", (stamp, run_id))
            return True
        with self.db:
            self.db.execute("BEGIN")
            self.db.execute(
                "INSERT INTO runs (id, created_at, updated_at, task_name, task_hash, models, settings, status, whichai_version)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?)",
                (run_id, stamp, stamp, task_name, task_hash, json.dumps(models), json.dumps(settings, sort_keys=True), version),
            )
            self.db.executemany(
                "INSERT INTO run_cases (run_id, case_id, position, data) VALUES (?, ?, ?, ?)",
                [(run_id, cid, pos, json.dumps(data, ensure_ascii=False)) for pos, (cid, data) in enumerate(cases)],
            )
        return False

    def set_status(self, run_id: str, status: str) -> None:
        self.db.execute("UPDATE runs SET status = ?, updated_at = ? WHERE id = ?", (status, now_iso(), run_id))

    def run(self, run_id: str) -> dict[str, Any] | None:
        """The run with this id or unique id prefix, else None (see :meth:`resolve_run` for the error)."""
        try:
            return self.resolve_run(run_id)
        except InputError:
            return None

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

    def runs(self, limit: int = 50) -> list[dict[str, Any]]:
        rows = self.db.execute(
            "SELECT r.*, (SELECT COUNT(*) FROM results x WHERE x.run_id = r.id) AS results_count,"
            " (SELECT COUNT(*) FROM run_cases c WHERE c.run_id = r.id) AS cases_count"
            " FROM runs r ORDER BY updated_at DESC LIMIT ?",
            (limit,),
        ).fetchall()
        return [_run_dict(row) for row in rows]

    def cases(self, run_id: str) -> list[dict[str, Any]]:
        rows = self.db.execute("SELECT data FROM run_cases WHERE run_id = ? ORDER BY position", (run_id,)).fetchall()
        return [json.loads(row[0]) for row in rows]

    # results ----------------------------------------------------------------------------------
    def save_result(self, run_id: str, result: dict[str, Any]) -> None:
        """Insert or replace one result and commit (autocommit mode) at once."""
        row = {**result, "run_id": run_id, "created_at": now_iso()}
        columns = [c for c in _RESULT_COLUMNS if c in row]
        self.db.execute(
            f"INSERT OR REPLACE INTO results ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
            [row[c] for c in columns],
        )

    def results(self, run_id: str, model: str | None = None) -> list[dict[str, Any]]:
        query = "SELECT * FROM results WHERE run_id = ?"
        params: list[Any] = [run_id]
        if model:
            query += " AND model = ?"
            params.append(model)
        return [dict(row) for row in self.db.execute(query + " ORDER BY model, case_id", params)]

    def finished(self, run_id: str) -> dict[tuple[str, str], str]:
        """(model, case_id) -> status of every stored result."""
        rows = self.db.execute("SELECT model, case_id, status FROM results WHERE run_id = ?", (run_id,))
        return {(m, c): s for m, c, s in rows}


_RESULT_COLUMNS = (
    "run_id", "model", "case_id", "status", "answer", "passed", "score", "reason", "error_class",
    "error_message", "finish_reason", "input_tokens", "output_tokens", "tokens_counted", "ttft_s",
    "latency_s", "output_tokens_per_s", "cost_usd", "price_source", "attempts", "created_at",
)


def _run_dict(row: sqlite3.Row) -> dict[str, Any]:
    data = dict(row)
    data["models"] = json.loads(data["models"])
    data["settings"] = json.loads(data["settings"])
    return data
