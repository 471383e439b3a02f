# fix: PCP501, PCP502, PCP510, PCP516
# target: 3.6
# unsafe: terminate() sends SIGTERM where kill() sends SIGKILL; interrupt() becomes os.kill()
# expect: True
# expect: True
# expect: True
import multiprocessing
import signal
import time


def sleep(started=None):
    if started is not None:  # interrupted only once asleep: a busy machine starts it late
        # A job started in the background (CI, nohup) inherits SIGINT ignored: undo that.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        started.set()
    time.sleep(10)


if __name__ == "__main__":
    worker = multiprocessing.Process(target=sleep)
    worker.start()
    worker.kill()
    worker.join(30)
    print(worker.exitcode < 0)
    worker.close()
    results = multiprocessing.SimpleQueue()
    print(results.empty())
    results.close()
    started = multiprocessing.Event()
    sleeper = multiprocessing.Process(target=sleep, args=(started,))
    sleeper.start()
    started.wait(30)
    time.sleep(0.2)
    sleeper.interrupt()
    sleeper.join(30)
    print(sleeper.exitcode != 0)
