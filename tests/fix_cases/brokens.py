# fix: PCP174, PCP175, PCP176, PCP177
# target: 3.2
# expect: task failed
# expect: True True True True
from concurrent.futures import BrokenExecutor, InvalidStateError, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from concurrent.futures.thread import BrokenThreadPool


def fail():
    raise ValueError("task failed")


def outcome(future):
    try:
        return future.result(timeout=30)
    except (BrokenExecutor, BrokenProcessPool, BrokenThreadPool):
        return "broken"
    except ValueError as exc:
        return str(exc)


if __name__ == "__main__":
    executor = ThreadPoolExecutor(1)
    print(outcome(executor.submit(fail)))
    executor.shutdown()
    classes = (BrokenExecutor, BrokenProcessPool, BrokenThreadPool, InvalidStateError)
    print(*(issubclass(cls, Exception) for cls in classes))
