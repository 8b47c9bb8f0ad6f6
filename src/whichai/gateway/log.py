"""The gateway's record of each request (table ``gateway_requests``, migration 6): route, reason,
model, tokens, latency, cost and status, never the prompt or the answer unless the policy asks.

Rows are written in batches from a worker thread (:class:`RequestLog`), so no request waits for the
disk; :func:`stats` reads them back for ``whichai gateway stats``.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from whichai.measure.metrics import percentile

if TYPE_CHECKING:
    from whichai.store import Store

FLUSH_EVERY_S = 0.2


class Record(NamedTuple):
    """One request's row. A named tuple: the writer hands it to SQLite as it is, with no per-row
    conversion holding the interpreter while requests wait (``dataclasses.astuple`` cost 77 µs a row)."""

    at: str
    route: str | None
    reason: str
    sensitive: bool
    model: str | None
    status: int
    error: str | None
    stream: bool
    input_tokens: int | None
    output_tokens: int | None
    latency_s: float
    ttft_s: float | None
    cost_usd: float | None
    cost_origin: str | None
    api_cost_usd: float | None
    attempts: int
    content: str | None = None


COLUMNS = ", ".join(Record._fields)
INSERT = f"INSERT INTO gateway_requests ({COLUMNS}) VALUES ({', '.join('?' for _ in Record._fields)})"


def save(store: Store, records: list[Record]) -> None:
    """Write records in one transaction."""
    with store.db:
        store.db.executemany(INSERT, records)


class RequestLog:
    """Collects records and writes them in batches off the event loop."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.pending: list[Record] = []
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    def add(self, record: Record) -> None:
        self.pending.append(record)

    async def run(self) -> None:
        """Write what is pending every FLUSH_EVERY_S until stopped. Never cancelled mid-write: a batch
        taken from ``pending`` is in the database before :meth:`stop` returns and the store closes."""
        while not self._stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), FLUSH_EVERY_S)
            await self.flush()

    async def flush(self) -> None:
        if self.pending:
            batch, self.pending = self.pending, []
            await asyncio.to_thread(save, self.store, batch)

    def start(self) -> None:
        self._stopping = asyncio.Event()
        self._task = asyncio.get_running_loop().create_task(self.run())

    async def stop(self) -> None:
        if self._task:
            self._stopping.set()
            await self._task
        await self.flush()


@dataclass(frozen=True)
class RouteStats:
    """One route's traffic: requests and why they went there, models, tokens, cost, latency of the answered."""

    route: str
    requests: int
    errors: int
    sensitive: int
    reasons: dict[str, int]
    models: list[str]
    input_tokens: int
    output_tokens: int
    cost_usd: float
    cost_origins: list[str]
    latency_p50_s: float | None
    latency_p95_s: float | None


@dataclass(frozen=True)
class Traffic:
    """What the gateway routed (``whichai gateway stats``): totals, the saving against sending everything to
    the API (None when no request had an API price), and each route's figures."""

    requests: int
    since: str | None
    sensitive: int
    errors: int
    cost_usd: float
    all_to_api_usd: float | None
    saving_usd: float | None
    routes: list[RouteStats]

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def stats(store: Store, since: str | None = None) -> Traffic:
    """Traffic, cost and latency per route, and the saving against sending everything to the API."""
    where, args = (" WHERE at >= ?", (since,)) if since else ("", ())
    rows = store.db.execute(f"SELECT * FROM gateway_requests{where} ORDER BY id", args).fetchall()
    routes: dict[str, list[Any]] = {}
    for row in rows:
        routes.setdefault(row["route"] or "(none)", []).append(row)
    cost = sum(r["cost_usd"] or 0 for r in rows)
    api = [r["api_cost_usd"] for r in rows if r["api_cost_usd"] is not None]
    return Traffic(
        requests=len(rows), since=since, sensitive=sum(r["sensitive"] for r in rows),
        errors=sum(r["status"] >= 400 for r in rows), cost_usd=cost,
        all_to_api_usd=sum(api) if api else None,
        saving_usd=(sum(api) - cost) if api else None,
        routes=[_route_stats(name, group) for name, group in sorted(routes.items())],
    )


def _route_stats(name: str, rows: list[Any]) -> RouteStats:
    latencies = [r["latency_s"] for r in rows if r["status"] < 400]
    reasons: dict[str, int] = {}
    for r in rows:
        reasons[r["reason"]] = reasons.get(r["reason"], 0) + 1
    return RouteStats(
        route=name, requests=len(rows), errors=sum(r["status"] >= 400 for r in rows),
        sensitive=sum(r["sensitive"] for r in rows), reasons=reasons,
        models=sorted({r["model"] for r in rows if r["model"]}),
        input_tokens=sum(r["input_tokens"] or 0 for r in rows), output_tokens=sum(r["output_tokens"] or 0 for r in rows),
        cost_usd=sum(r["cost_usd"] or 0 for r in rows),
        cost_origins=sorted({r["cost_origin"] for r in rows if r["cost_origin"]}),
        latency_p50_s=percentile(latencies, 0.5), latency_p95_s=percentile(latencies, 0.95),
    )
