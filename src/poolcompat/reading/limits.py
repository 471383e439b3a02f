"""Per-file resource bounds: size, time, and stack depth, so one file cannot stall or crash a run.

libcst's native parser recurses on the C stack: a deep expression overflows the main thread's
8 MB and kills the process, so the work runs in a thread with a large stack. A thread cannot be
killed; on timeout an exception is raised in it asynchronously, which lands as soon as it runs
Python code again (libcst builds its tree through Python constructors, so soon). The limit is on
the thread's CPU time where the platform can measure it: on a loaded machine a file's wall time
grows with the load, and a wall-clock limit gave up on files that a quiet run checks.
"""
from __future__ import annotations

import ctypes
import gc
import os
import queue
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator, List, Optional, TypeVar, Union

T = TypeVar("T")

STACK_BYTES = 512 * 1024 * 1024  # address space only: pages are touched as the stack grows
RECURSION_LIMIT = 20_000  # our walk's Python frames; the big stack holds far more
_GRACE = 2.0  # seconds a timed-out thread gets to notice the exception
_WALL_FACTOR = 20  # however loaded the machine, give up after this many times the limit
_limit_lock = threading.Lock()
_deep_users = 0
_saved_limit = 0


TIMED_OUT = "gave up after"  # how a file's error starts when it ran out of time


class TimeLimitExceeded(Exception):
    """Raised inside the checking thread when its file took too long."""


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 4 * 1024 * 1024
    seconds: float = 20.0

    @classmethod
    def from_env(cls) -> Limits:
        """POOLCOMPAT_MAX_FILE_MB and POOLCOMPAT_TIMEOUT override the defaults (0: no limit)."""
        default = cls()
        return cls(
            max_bytes=int(_number("POOLCOMPAT_MAX_FILE_MB", default.max_bytes / 2**20) * 2**20),
            seconds=_number("POOLCOMPAT_TIMEOUT", default.seconds),
        )


def _number(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return value if value >= 0 else default


class _Deep:
    """Raise the recursion limit while any checking thread needs it (the limit is global)."""

    def __enter__(self) -> None:
        global _deep_users, _saved_limit
        with _limit_lock:
            if _deep_users == 0:
                _saved_limit = sys.getrecursionlimit()
                sys.setrecursionlimit(max(_saved_limit, RECURSION_LIMIT))
            _deep_users += 1

    def __exit__(self, *exc: object) -> None:
        global _deep_users
        with _limit_lock:
            _deep_users -= 1
            if _deep_users == 0:
                sys.setrecursionlimit(_saved_limit)


deep = _Deep()


_TRIM_FROM_BYTES = 20_000  # smaller files leave too little behind to be worth a trim


def _malloc_trim() -> Callable[[int], int]:
    try:
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim  # glibc only
        return trim
    except (AttributeError, OSError, TypeError):
        return lambda pad: 0


_trim = _malloc_trim()


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while a file is checked: libcst's trees hold no cycles
    (reference counts free them), yet the collector walked them again and again as they
    grew, 15-20% of the time. Cycles made meanwhile wait for the next collection."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def release_memory(checked_bytes: int) -> None:
    """Give the allocator's free memory back to the system after a big file: libcst's parser
    frees what it used, but glibc keeps it, and the next file's peak lands on top of it."""
    if checked_bytes >= _TRIM_FROM_BYTES:
        _trim(0)


def _interrupt(thread: threading.Thread) -> None:
    if thread.ident is not None:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(
            ctypes.c_ulong(thread.ident), ctypes.py_object(TimeLimitExceeded))


class _Checker:
    """A long-lived thread with the big stack that runs one job at a time. Reused rather than
    started per file: glibc gives each new thread its own malloc arena, and libcst's freed
    parser memory stayed behind in each of them (peak RSS 160 -> 220 MB on the stdlib)."""

    def __init__(self) -> None:
        self.jobs: "queue.SimpleQueue[Optional[Callable[[], None]]]" = queue.SimpleQueue()
        with _limit_lock:
            previous = threading.stack_size(STACK_BYTES)
            try:
                self.thread = threading.Thread(target=self._loop, name="poolcompat-check",
                                               daemon=True)
                self.thread.start()
            finally:
                threading.stack_size(previous)
        self.cpu_time = _cpu_clock(self.thread)

    def _loop(self) -> None:
        try:
            while True:
                job = self.jobs.get()
                if job is None:
                    return
                job()  # catches everything itself
        except TimeLimitExceeded:  # landed between jobs: the caller has given up on us
            return


def _cpu_clock(thread: threading.Thread) -> Optional[Callable[[], float]]:
    """The thread's CPU clock, where the platform has one (POSIX threads)."""
    clock_of = getattr(time, "pthread_getcpuclockid", None)
    if clock_of is None or thread.ident is None:
        return None
    try:
        clock = clock_of(thread.ident)
        time.clock_gettime(clock)
    except (OSError, ValueError):
        return None
    return lambda: time.clock_gettime(clock)


def _finished(done: threading.Event, checker: _Checker, seconds: float) -> bool:
    """Wait for the job until it has had `seconds` of CPU time (of wall time without a CPU
    clock); whether it finished."""
    if not seconds or checker.cpu_time is None:
        return done.wait(seconds or None)
    cpu_time, started = checker.cpu_time, time.monotonic()
    spent_before = cpu_time()
    used = 0.0
    while not done.wait(max(seconds - used, 0.05)):  # CPU time never outruns the wall clock
        used = cpu_time() - spent_before
        if used >= seconds or time.monotonic() - started >= seconds * _WALL_FACTOR:
            return False
    return True


_idle: List[_Checker] = []
if hasattr(os, "register_at_fork"):  # a forked worker process has none of the parent's threads
    os.register_at_fork(after_in_child=_idle.clear)


def bounded(work: Callable[[], T], seconds: float) -> T:
    """`work()` on a big stack; TimeLimitExceeded after `seconds` of its CPU time (0: wait
    for ever).
    Exceptions from `work` propagate."""
    box: List[Union[T, BaseException]] = []
    done = threading.Event()

    def job() -> None:
        try:
            box.append(work())
        except BaseException as exc:  # handed to the caller's thread
            box.append(exc)
        finally:
            done.set()

    with _limit_lock:
        checker = _idle.pop() if _idle else None
    checker = checker or _Checker()
    checker.jobs.put(job)
    if not _finished(done, checker, seconds):
        _interrupt(checker.thread)
        checker.jobs.put(None)  # never reused: it ends once the exception lands
        done.wait(_GRACE)
        raise TimeLimitExceeded(seconds)
    with _limit_lock:
        _idle.append(checker)
    result = box[0]
    if isinstance(result, BaseException):
        raise result
    return result
