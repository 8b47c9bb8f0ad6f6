"""Issue 24: results stored in batches (one transaction per batch), each batch within a few milliseconds
or at once when full; what is queued when a run is interrupted is stored synchronously; a failed batch
is raised where the run can see it."""

from __future__ import annotations

import asyncio

import pytest

from whichai.errors import StorageError
from whichai.measure.writer import ResultWriter


def _writer(saved: list, stored: list, fail: bool = False, most: int = 4) -> ResultWriter:
    async def save(batch):
        if fail:
            raise StorageError("disk is full")
        saved.append([r["case_id"] for r in batch])

    return ResultWriter(save, lambda batch: saved.append([r["case_id"] for r in batch]),
                        lambda r: stored.append(r["case_id"]), every_s=60.0, most=most)


def test_full_batches_are_written_at_once_and_close_writes_the_rest():
    saved, stored = [], []

    async def main():
        writer = _writer(saved, stored)
        futures = []
        for i in range(10):  # calls finishing one after another
            futures.append(writer.add({"case_id": f"c{i}"}))
            await asyncio.sleep(0)
        assert futures[0].done() and not futures[9].done()  # full batches committed without waiting for the timer
        await writer.close()
        assert all(f.done() for f in futures)

    asyncio.run(main())
    assert saved == [["c0", "c1", "c2", "c3"], ["c4", "c5", "c6", "c7"], ["c8", "c9"]]
    assert stored == [f"c{i}" for i in range(10)]


def test_an_interrupted_run_stores_what_is_queued_synchronously():
    saved, stored = [], []

    async def main():
        writer = _writer(saved, stored, most=100)
        for i in range(3):
            writer.add({"case_id": f"c{i}"})
        writer.flush_now()

    asyncio.run(main())
    assert saved == [["c0", "c1", "c2"]] and stored == ["c0", "c1", "c2"]


def test_a_failed_batch_is_raised_by_the_next_add_and_by_close():
    saved, stored = [], []

    async def main():
        writer = _writer(saved, stored, fail=True, most=1)
        first = writer.add({"case_id": "c0"})
        with pytest.raises(StorageError):
            await first
        with pytest.raises(StorageError):
            writer.add({"case_id": "c1"})
        with pytest.raises(StorageError):
            await writer.close()

    asyncio.run(main())
    assert saved == [] and stored == []
