"""Results stored in small batches: one SQLite transaction per batch, never one per case.

A result handed to :meth:`ResultWriter.add` is committed within ``every_s`` seconds (a few milliseconds),
or at once when ``most`` results are waiting; :meth:`ResultWriter.close` commits what is left, and
:meth:`ResultWriter.flush_now` does so synchronously when a run is interrupted. A process killed
outright (SIGKILL) loses at most the batch not yet committed: those cases have no result, so the next
run asks them again, and a case with a stored result is never asked twice. The batch is written in the
one database thread, one hop per batch, so the event loop that times the calls never waits on the disk.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

Result = dict[str, Any]


class ResultWriter:
    def __init__(self, save: Callable[[list[Result]], Awaitable[None]], save_now: Callable[[list[Result]], None],
                 on_stored: Callable[[Result], None], every_s: float = 0.005, most: int = 64) -> None:
        self._save, self._save_now, self._on_stored = save, save_now, on_stored
        self.every_s, self.most = every_s, most
        self._batch: list[Result] = []
        self._stored: asyncio.Future[None] | None = None  # resolved when the waiting batch is committed
        self._timer: asyncio.TimerHandle | None = None
        self._flushing: asyncio.Task[None] | None = None
        self._failure: BaseException | None = None

    def add(self, result: Result) -> asyncio.Future[None]:
        """Queue one result; the future is resolved once it is committed (await it before judging it)."""
        if self._failure is not None:
            raise self._failure
        loop = asyncio.get_running_loop()
        if self._stored is None:
            self._stored = loop.create_future()
        stored = self._stored
        self._batch.append(result)
        if len(self._batch) >= self.most:
            self._kick()
        elif self._timer is None:
            self._timer = loop.call_later(self.every_s, self._kick)
        return stored

    def _kick(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._flushing is None and self._batch:
            self._flushing = asyncio.get_running_loop().create_task(self._flush())

    async def _flush(self) -> None:
        try:
            while self._batch:
                batch, stored = self._batch, self._stored
                self._batch, self._stored = [], None
                try:
                    await self._save(batch)
                except Exception as exc:  # kept for add() and close() to raise, in the tasks that own the run
                    self._failure = exc
                    if stored is not None and not stored.done():
                        stored.set_exception(exc)
                        stored.exception()  # retrieved here: whoever awaits it still gets it
                    return
                for result in batch:
                    self._on_stored(result)
                if stored is not None and not stored.done():
                    stored.set_result(None)
        finally:
            self._flushing = None

    async def close(self) -> None:
        """Commit everything queued; raise the failure of any batch that could not be stored."""
        self._kick()
        while self._flushing is not None:
            await asyncio.shield(self._flushing)
            self._kick()
        if self._failure is not None:
            raise self._failure

    def flush_now(self) -> None:
        """Commit what is queued, synchronously (a run being interrupted: keep what finished)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        batch, self._batch = self._batch, []
        if batch and self._failure is None:
            self._save_now(batch)
            for result in batch:
                self._on_stored(result)


__all__ = ["ResultWriter"]
