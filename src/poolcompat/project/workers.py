"""The worker processes that check files, and the jobs that wait for them.

Workers start as soon as a run has work enough for them (`PARALLEL_FROM` files that import a
tracked package and that the cache has no summary of): they fork while the parent is still
small (they would share its later growth) and load libcst while it reads the rest of the files.
Ready jobs wait in a heap, the biggest file first, with one job queued per worker: a big file
queued behind many small ones kept one worker busy at the end while the other idled. (Ranking
files by the work that waits on them instead cost the standard library 11%.) Without workers,
a job runs at once.
"""
from __future__ import annotations

import heapq
from typing import TYPE_CHECKING, Dict, List, Optional, Tuple

from poolcompat.engine.context import Context
from poolcompat.engine.summary import Summary
from poolcompat.table.load import Table

if TYPE_CHECKING:  # concurrent.futures loads logging, multiprocessing...: a tenth of a second
    from concurrent.futures import Future, ProcessPoolExecutor

Job = Tuple[bytes, str, Context]  # source, shown path, its place in the project
Tag = Tuple[int, int]  # the scheduler's file and component
# Fewer files to parse than this (they import a tracked package, and the cache has no summary
# of their bytes): no worker processes. Two are enough to gain: the workers load libcst while
# the parent still reads (pylint's 2,345 files: 0.1 s).
PARALLEL_FROM = 2
_table: Optional[Table] = None  # a worker's table, from the pool's initializer


def _start_worker(table: Table) -> None:
    global _table
    _table = table


def _check(job: Job, table: Table) -> Summary:
    from poolcompat.engine.check import summarize  # libcst loads only when a file needs it
    return summarize(job[0], job[1], table, job[2])


def _work(job: Job) -> Summary:
    assert _table is not None, "worker started without a table"
    return _check(job, _table)


def _load_engine() -> None:
    import poolcompat.engine.check  # noqa: F401  (libcst, in a worker that waits for files)


class Workers:
    def __init__(self, table: Table, count: int) -> None:
        self.table = table
        self.count = count
        self.pool: Optional[ProcessPoolExecutor] = None
        self.running: Dict["Future[Summary]", Tag] = {}
        self.ran: List[Tuple[Tag, Summary]] = []  # checked in this process, not yet collected
        self.queued: List[Tuple[int, int, Tag, Job]] = []  # -size, order, tag, job

    @property
    def busy(self) -> bool:
        return bool(self.running or self.queued or self.ran)

    def start(self) -> None:
        if self.count > 1 and self.pool is None:
            from concurrent.futures import ProcessPoolExecutor
            self.pool = ProcessPoolExecutor(self.count, initializer=_start_worker,
                                            initargs=(self.table,))
            for _ in range(self.count):
                self.pool.submit(_load_engine)

    def submit(self, job: Job, tag: Tag) -> None:
        if self.pool is not None:
            order = len(self.queued) + len(self.running)
            heapq.heappush(self.queued, (-len(job[0]), order, tag, job))
            return
        self.ran.append((tag, _check(job, self.table)))

    def feed(self) -> None:
        """Keep each worker busy and one job waiting, the biggest ready file first."""
        while self.queued and self.pool is not None and len(self.running) <= self.count:
            _, _, tag, job = heapq.heappop(self.queued)
            self.running[self.pool.submit(_work, job)] = tag

    def finished(self) -> List[Tuple[Tag, Summary]]:
        """Wait for a job to finish; what finished."""
        if self.ran:
            ran, self.ran = self.ran, []
            return ran
        from concurrent.futures import FIRST_COMPLETED, wait
        done, _ = wait(list(self.running), return_when=FIRST_COMPLETED)
        return [(self.running.pop(future), future.result()) for future in done]

    def shutdown(self) -> None:
        if self.pool is not None:
            self.pool.shutdown()
