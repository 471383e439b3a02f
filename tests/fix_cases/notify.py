# fix: PCP234, PCP235
# target: 3.6
# expect: 2 woken
# expect: 2 woken
import multiprocessing
import threading
import time


def waiters(condition, arrived, woken):
    """Two threads waiting on the condition; each says when it is about to wait."""

    def wait():
        with condition:
            arrived.append(1)
            if condition.wait(30):
                woken.append(1)

    threads = [threading.Thread(target=wait) for _ in range(2)]
    for thread in threads:
        thread.start()
    return threads


def finish(threads, woken):
    for thread in threads:
        thread.join(30)
    print("%d woken" % len(woken))


def wake_local():
    condition = multiprocessing.Condition()
    arrived, woken = [], []
    threads = waiters(condition, arrived, woken)
    while True:  # both threads are in wait() once both arrived and the lock is free again
        with condition:
            if len(arrived) == 2:
                condition.notify(n=2)
                break
        time.sleep(0.01)
    finish(threads, woken)


def wake_shared(manager):
    condition = manager.Condition()
    arrived, woken = [], []
    threads = waiters(condition, arrived, woken)
    while True:
        with condition:
            if len(arrived) == 2:
                condition.notify(2)
                break
        time.sleep(0.01)
    finish(threads, woken)


if __name__ == "__main__":
    wake_local()
    manager = multiprocessing.Manager()
    try:
        wake_shared(manager)
    finally:
        manager.shutdown()
