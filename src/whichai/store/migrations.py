"""The database schema, as an ordered list of migrations (the store applies them, each once).

Every table lives here, the feature tables included (load sweeps, judge verdicts, model identities), so
the store depends on no feature module and a feature's module reads and writes its tables through the
store. A migration's number is its position in :data:`MIGRATIONS` and its name is recorded in the
``migrations`` table: append only; never reorder, rename or remove one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable


def _execute_script(db: sqlite3.Connection, script: str) -> None:
    """Each statement of ``script`` in turn, inside the caller's transaction (``executescript`` would
    commit it first, and another process could then apply the same migration)."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def _m001_initial(db: sqlite3.Connection) -> None:
    _execute_script(
        db,
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
            tokens_counted INTEGER NOT NULL DEFAULT 0,  -- 1: not all reported by the provider (token_source says how)
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


def _m002_load_sweeps(db: sqlite3.Connection) -> None:
    """Issue 12 (capacity): `whichai load` sweeps and their points (read and written by :mod:`whichai.measure.load.store`)."""
    _execute_script(db, _LOAD_SCHEMA)


_LOAD_SCHEMA = """
        CREATE TABLE load_sweeps (
            id TEXT PRIMARY KEY,
            created_at TEXT NOT NULL,
            model TEXT NOT NULL,              -- provider/model as the user named it
            server TEXT NOT NULL,             -- the base URL loaded (never a key)
            serves TEXT,                      -- the catalog id the server runs (whichai.toml `serves`), if named
            hardware TEXT NOT NULL,           -- what served it: this-machine, or as given with --hardware
            workload TEXT NOT NULL,           -- JSON: task or synthetic sizes, max tokens
            plan TEXT NOT NULL,               -- JSON: max concurrency, requests or duration, SLO
            saturated INTEGER NOT NULL,
            saturation_concurrency INTEGER,
            max_output_tokens_per_s REAL NOT NULL,
            at_slo TEXT,                      -- JSON or NULL when no SLO was given
            whichai_version TEXT NOT NULL
        );
        CREATE TABLE load_points (
            sweep_id TEXT NOT NULL REFERENCES load_sweeps(id) ON DELETE CASCADE,
            concurrency INTEGER NOT NULL,
            requests INTEGER NOT NULL,
            errors INTEGER NOT NULL,
            requests_per_s REAL NOT NULL,
            output_tokens_per_s REAL NOT NULL,
            ttft_p50_s REAL, ttft_p95_s REAL, itl_p50_s REAL, latency_p50_s REAL, latency_p95_s REAL,
            input_tokens_per_s REAL, tokens_per_s REAL, tpot_p50_s REAL,
            extra TEXT NOT NULL,              -- JSON: error classes, adaptive concurrency, elapsed, token counts
            PRIMARY KEY (sweep_id, concurrency)
        );
        CREATE INDEX load_sweeps_model ON load_sweeps(model, created_at);
        """


def _m003_runner_claims(db: sqlite3.Connection) -> None:
    """Issue 10 (hardening): claims and workers (several processes on one run), and what a result needs to say
    about itself: where its token counts came from, settings the provider did not apply, truncation,
    scoring errors."""
    for statement in (
        "CREATE TABLE workers (token TEXT PRIMARY KEY, run_id TEXT NOT NULL, pid INTEGER NOT NULL,"
        " host TEXT NOT NULL, started_at TEXT NOT NULL, heartbeat_at REAL NOT NULL)",
        "CREATE TABLE claims (run_id TEXT NOT NULL, model TEXT NOT NULL, case_id TEXT NOT NULL,"
        " token TEXT NOT NULL, state TEXT NOT NULL, claimed_at REAL NOT NULL,"  # state: working | done
        " PRIMARY KEY (run_id, model, case_id))",
        "ALTER TABLE results ADD COLUMN token_source TEXT",  # output tokens: provider | tokenizer | deltas
        "ALTER TABLE results ADD COLUMN input_token_source TEXT",  # provider | tokenizer | NULL (unknown)
        "ALTER TABLE results ADD COLUMN settings_not_applied TEXT",  # JSON {setting: why}, NULL when all applied
        "ALTER TABLE results ADD COLUMN answer_truncated INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE results ADD COLUMN answer_bytes INTEGER",  # UTF-8 bytes received before any truncation
        "ALTER TABLE results ADD COLUMN scoring_error TEXT",  # why the answer could not be scored
    ):
        db.execute(statement)


def _m004_quality_judgements(db: sqlite3.Connection) -> None:
    """Issue 11 (quality): judge verdicts (scorer: judge) and pairwise comparisons (:mod:`whichai.measure.judge`)."""
    _execute_script(
        db,
        """
        CREATE TABLE judgements (
            run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            model TEXT NOT NULL,           -- the judged model
            case_id TEXT NOT NULL,         -- with --repeat, the repeat's own case id (<case>#<k>)
            judge_model TEXT NOT NULL,
            status TEXT NOT NULL,          -- ok | error (call failed, or judge_unparseable)
            passed INTEGER, score REAL, reason TEXT,
            raw TEXT,                      -- the judge's reply as given
            error_class TEXT, error_message TEXT,
            input_tokens INTEGER, output_tokens INTEGER, tokens_counted INTEGER NOT NULL DEFAULT 0,
            latency_s REAL, cost_usd REAL, price_source TEXT,
            attempts INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            PRIMARY KEY (run_id, model, case_id)
        );
        CREATE TABLE pairwise (
            run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            a TEXT NOT NULL, b TEXT NOT NULL, judge_model TEXT NOT NULL,
            case_id TEXT NOT NULL,
            shown_first TEXT NOT NULL,     -- 'a' | 'b': which model's answer the judge saw as answer 1
            status TEXT NOT NULL,          -- ok | error
            winner TEXT,                   -- 'a' | 'b' | 'tie' (in model terms, not positions)
            reason TEXT, raw TEXT, error_class TEXT, error_message TEXT,
            input_tokens INTEGER, output_tokens INTEGER, latency_s REAL, cost_usd REAL, price_source TEXT,
            attempts INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            PRIMARY KEY (run_id, a, b, judge_model, case_id, shown_first)
        );
        """
    )


def _m005_models_identity(db: sqlite3.Connection) -> None:
    """Issue 11 (models people run): what each run's model serves and where it runs (:mod:`whichai.providers.identity`)."""
    db.execute(
        "CREATE TABLE run_model_identity (run_id TEXT NOT NULL, model TEXT NOT NULL, serves TEXT, "
        "self_hosted INTEGER NOT NULL DEFAULT 0, hardware TEXT, PRIMARY KEY (run_id, model))"
    )


def _m006_gateway_requests(db: sqlite3.Connection) -> None:
    """Issue 19 (whichai gateway): one row per request the gateway routed, without the prompt or the
    answer unless the policy asks for them (``content``)."""
    _execute_script(
        db,
        """
        CREATE TABLE gateway_requests (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            route TEXT,                    -- the route that answered (NULL: none did)
            reason TEXT NOT NULL,          -- default | fallback | sensitive:<kinds> | client-marked
            sensitive INTEGER NOT NULL,
            model TEXT,
            status INTEGER NOT NULL,       -- the HTTP status returned to the client
            error TEXT,
            stream INTEGER NOT NULL,
            input_tokens INTEGER,
            output_tokens INTEGER,
            latency_s REAL NOT NULL,
            ttft_s REAL,
            cost_usd REAL,
            cost_origin TEXT,              -- catalog/config price, or the decision's cost per request
            api_cost_usd REAL,             -- the same tokens at the public route's price
            attempts INTEGER NOT NULL,
            content TEXT                   -- JSON {prompt, answer} only when the policy's log_content is true
        );
        CREATE INDEX gateway_requests_at ON gateway_requests (at)
        """,
    )


def _m007_run_profiles(db: sqlite3.Connection) -> None:
    """Issue 23 (one view of a run): the needs profile a run was decided with, as YAML, so that its
    report and the dashboard show that decision unless told otherwise."""
    db.execute("CREATE TABLE run_profiles (run_id TEXT PRIMARY KEY, name TEXT NOT NULL, profile_yaml TEXT NOT NULL, decided_at TEXT NOT NULL)")


def _m008_judge_calibrations(db: sqlite3.Connection) -> None:
    """Issue 23, finding 6 (a judge earns its vote): each judge's agreement with a labelled sample, measured
    before it judges a run's answers (:func:`whichai.measure.judge.calibration_summary`)."""
    db.execute("CREATE TABLE judge_calibrations (run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
               " judge_model TEXT NOT NULL, sample TEXT NOT NULL, cases INTEGER NOT NULL, agreed INTEGER NOT NULL,"
               " unreadable INTEGER NOT NULL, agreement REAL NOT NULL, usable INTEGER NOT NULL, details TEXT NOT NULL,"
               " created_at TEXT NOT NULL, PRIMARY KEY (run_id, judge_model))")


# Ordered: a migration's number is its position. Append only; never reorder or remove.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _m001_initial,
    _m002_load_sweeps,
    _m003_runner_claims,
    _m004_quality_judgements,
    _m005_models_identity,
    _m006_gateway_requests,
    _m007_run_profiles,
    _m008_judge_calibrations,
]
