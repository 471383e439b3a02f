"""Module-level helpers a fix may add once per module. Each is written to run on every Python
the rules know (2.7 and 3.x); the text is the identity: a raise fix removes a helper only while
it reads exactly so and nothing names it any more."""
from __future__ import annotations

from typing import Dict

HELPERS: Dict[str, str] = {
    "_StarCall": '''
class _StarCall(object):
    """Calls a function with each tuple of arguments unpacked, as `Pool.starmap` does
    (added by poolcompat for Python < 3.3)."""

    def __init__(self, function):
        self.function = function

    def __call__(self, arguments):
        return self.function(*arguments)
''',
    "_cancel_pending_futures": '''
def _cancel_pending_futures(executor):
    """Cancel the futures no worker has started, as `shutdown(cancel_futures=True)` does
    (added by poolcompat for Python < 3.9; it reads the executors' private queues)."""
    import queue

    work_queue = getattr(executor, "_work_queue", None)  # ThreadPoolExecutor
    while work_queue is not None:
        try:
            work_item = work_queue.get_nowait()
        except queue.Empty:
            break
        if work_item is not None:
            work_item.future.cancel()
    pending = getattr(executor, "_pending_work_items", {})  # ProcessPoolExecutor
    for work_item in list(pending.values()):
        work_item.future.cancel()
''',
    "_condition_wait_for": '''
def _condition_wait_for(condition, predicate, timeout=None):
    """`condition.wait_for(predicate, timeout)`, as Python 3.3 does it (added by poolcompat
    for Python < 3.3)."""
    import time

    result = predicate()
    deadline = None if timeout is None else time.time() + timeout
    while not result:
        remaining = None
        if deadline is not None:
            remaining = deadline - time.time()
            if remaining <= 0:
                break
        condition.wait(remaining)
        result = predicate()
    return result
''',
}
