# fix: PCP266
# target: 3.8
# unsafe: below 3.9 the pending futures are found in the executor's private queues
# expect: [True, True, True]
# expect: True
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor


def main():
    started, gate = threading.Event(), threading.Event()

    def block():
        started.set()
        gate.wait(30)

    executor = ThreadPoolExecutor(1)
    executor.submit(block)
    started.wait(30)
    queued = [executor.submit(abs, -n) for n in range(3)]
    threading.Timer(0.2, gate.set).start()
    executor.shutdown(cancel_futures=True)
    print([future.cancelled() for future in queued])
    processes = ProcessPoolExecutor(1)
    futures = [processes.submit(time.sleep, 0.3)] + [processes.submit(abs, -n) for n in range(6)]
    processes.shutdown(cancel_futures=True)
    print(any(future.cancelled() for future in futures))


if __name__ == "__main__":
    main()
