"""Adaptive concurrency: an AIMD limit on calls in flight, for servers that shed load.

A server that is over its capacity says so in one of three ways: HTTP 503 (or 529, "overloaded"),
HTTP 429 *without* a ``Retry-After`` header (with one, the caller simply waits as told), or a stream
cut short when a newer request interrupts it (llama.cpp's servers do this by default: the older
stream ends with ``[DONE]`` and no finish reason). Each of these is a *shed* signal.

:class:`AdaptiveLimiter` starts at the configured limit. On a shed signal it halves the limit
(multiplicative decrease) — once per round: a call sent before the last decrease (a *generation*
earlier) that is shed too only counts, as TCP counts losses once per round trip; after a window of
successes it adds one back (additive increase), never above the configured limit and never below 1. The caller retries the shed call
once it gets a slot again, so every call is eventually answered without hammering the server. Every
change of the limit is recorded in :attr:`AdaptiveLimiter.events` so the run table can say when and
how far whichai backed off.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from whichai.errors import ProviderError

T = TypeVar("T")

SHED_STATUSES = frozenset({503, 529})
SHED_RETRIES = 20  # attempts shed while the server answered others: not counted against the retries, up to this


def is_shed(exc: BaseException) -> bool:
    """Whether a failed call is the server shedding load (see the module docstring).

    ``exc`` is a :class:`~whichai.errors.ProviderError`; the HTTP status is read from the SDK
    exception it was raised from (``status_code``), which every SDK whichai uses carries.
    """
    error_class = getattr(exc, "error_class", None)
    if error_class == "broken_stream":
        return True
    if error_class == "rate_limit" and not getattr(exc, "retry_after", None):
        return True
    status = getattr(exc, "status_code", None) or getattr(exc.__cause__, "status_code", None)
    return status in SHED_STATUSES


@dataclass
class LimitChange:
    at_s: float  # seconds since the limiter was made
    before: int
    after: int
    reason: str  # "shed: <error class>" | "recovered"

    def to_json(self) -> dict[str, Any]:
        return {"at_s": round(self.at_s, 3), "before": self.before, "after": self.after, "reason": self.reason}


@dataclass
class AdaptiveLimiter:
    """At most ``limit`` holders of :meth:`slot` at once; the limit adapts between 1 and ``maximum``."""

    maximum: int
    window: int = 0  # successes per additive increase; 0: see :meth:`success`
    limit: int = 0
    in_flight: int = 0
    sheds: int = 0
    answered: int = 0  # calls answered so far: evidence that the server is up while it sheds
    events: list[LimitChange] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.maximum < 1:
            raise ValueError("maximum must be at least 1")
        self.limit = self.limit or self.maximum
        self._started = time.perf_counter()
        self.generation = 0  # bumped by each decrease
        self._successes = 0
        self._decreases = 0
        self._waiters: deque[asyncio.Future[None]] = deque()

    @property
    def lowest(self) -> int:
        """The lowest limit reached (the configured one if it never backed off)."""
        return min([self.maximum, *(e.after for e in self.events)])

    @property
    def backed_off(self) -> bool:
        return any(e.after < e.before for e in self.events)

    def _free(self) -> bool:
        return self.in_flight < self.limit

    async def acquire(self) -> None:
        """Take a slot, waiting in line (first come, first served) while the limit is reached."""
        if self._free() and not self._waiters:
            self.in_flight += 1
            return
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            await waiter  # resolved by _wake, which has already counted this holder in in_flight
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():  # handed a slot just as it was cancelled: pass it on
                self.in_flight -= 1
                self._wake()
            else:
                self._waiters.remove(waiter)
            raise

    def _wake(self) -> None:
        """Hand each free slot to exactly one waiter (the oldest): O(1) per slot, not one wake-up per waiter."""
        waiters = self._waiters
        while waiters and self._free():
            waiter = waiters.popleft()
            if not waiter.done():
                self.in_flight += 1
                waiter.set_result(None)

    async def release(self) -> None:
        self.release_nowait()

    def release_nowait(self) -> None:
        self.in_flight -= 1
        self._wake()

    async def __aenter__(self) -> AdaptiveLimiter:
        await self.acquire()
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.release_nowait()

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        async with self:
            yield

    async def requeue(self) -> None:
        """Give a held slot back and wait for one under the current (perhaps lowered) limit."""
        self.release_nowait()
        await self.acquire()

    def shed(self, reason: str, sent_at: int | None = None) -> None:
        """A shed signal for a call sent at generation ``sent_at``: halve the limit, unless the call was
        sent before the last decrease (the same round of overload, already answered by halving)."""
        self.sheds += 1
        self._successes = 0
        if (sent_at is not None and sent_at < self.generation) or self.limit == 1:
            return
        now = time.perf_counter()
        self.generation += 1
        self._decreases += 1
        before, self.limit = self.limit, max(1, self.limit // 2)
        self.events.append(LimitChange(now - self._started, before, self.limit, f"shed: {reason}"))

    def success(self) -> None:
        """A call answered: after a window of successes, raise the limit by one.

        The window is a round of calls at the current limit (at least 4), longer after each decrease
        (up to 8 rounds), so a server whose capacity really is lower is probed less and less often."""
        self.answered += 1
        if self.limit >= self.maximum:
            return
        self._successes += 1
        if self._successes < (self.window or max(self.limit, 4) * min(1 + self._decreases, 8)):
            return
        self._successes = 0
        before, self.limit = self.limit, self.limit + 1
        self.events.append(LimitChange(time.perf_counter() - self._started, before, self.limit, "recovered"))
        self._wake()  # the slot just added goes to the oldest waiter

    def summary(self) -> dict[str, Any]:
        """What happened, for a run's or a load point's JSON."""
        return {
            "configured": self.maximum, "lowest": self.lowest, "final": self.limit, "sheds": self.sheds,
            "backed_off": self.backed_off, "changes": [e.to_json() for e in self.events],
        }


class CallBudget:
    """One call's retries under an :class:`AdaptiveLimiter`, for a caller that holds a slot for the whole
    call (the runner's retry loop asks :meth:`stop` and :meth:`pause`, and makes each attempt through :meth:`attempt`):

    - from the second attempt on, the slot is given back and a new one awaited under the current limit,
      so calls the server shed come back only as fast as the lowered limit allows;
    - a shed attempt while the server answered other calls since this one began (it is overloaded, not
      down) does not use up the retries, up to :data:`SHED_RETRIES`; a server that answers nobody gets
      the ordinary retry budget;
    - after a shed attempt without Retry-After the pause is short (the limit did the backing off).
    """

    def __init__(self, limiter: AdaptiveLimiter | None, retries: int, pause_s: float = 0.5) -> None:
        self.limiter, self.retries, self.pause_s = limiter, retries, pause_s
        self.attempts = 0
        self.free = 0
        self._answered = limiter.answered if limiter else 0

    def stop(self, state: object = None) -> bool:
        """Whether the call's attempts are spent (``state`` is not read)."""
        return self.attempts - min(self.free, SHED_RETRIES) >= self.retries + 1

    def pause(self, exc: BaseException | None) -> float | None:
        """Seconds to wait before retrying a shed call; None for other failures (the caller's backoff)."""
        if exc is None or getattr(exc, "retry_after", None) or not is_shed(exc):
            return None
        return self.pause_s * random.uniform(0.5, 1.5)

    async def attempt(self, make: Callable[[], Awaitable[T]]) -> T:
        self.attempts += 1
        limiter = self.limiter
        if limiter is None:
            return await make()
        if self.attempts > 1:
            await limiter.requeue()
        sent_at = limiter.generation
        try:
            result = await make()
        except ProviderError as exc:  # the runner maps every failed call to one (other errors pass untouched)
            if is_shed(exc):
                self.free += limiter.answered > self._answered
                limiter.shed(getattr(exc, "error_class", None) or type(exc).__name__, sent_at)
            raise
        limiter.success()
        return result


__all__ = ["AdaptiveLimiter", "CallBudget", "LimitChange", "SHED_RETRIES", "SHED_STATUSES", "is_shed"]
