# fix: PCP519, PCP520, PCP521
# target: 3.2
# unsafe: below 3.14 locked() takes the lock and gives it back
# expect: False
# expect: True
# expect: True
# expect: True
import multiprocessing

if __name__ == "__main__":
    lock = multiprocessing.Lock()
    print(lock.locked())
    lock.acquire()
    print(lock.locked())
    lock.release()
    ready = multiprocessing.Event()
    ready.set()
    condition = multiprocessing.Condition()
    condition.acquire()
    print(condition.wait_for(ready.is_set, timeout=1))
    condition.release()
    manager = multiprocessing.Manager()
    try:
        shared = manager.Condition()
        shared.acquire()
        print(shared.wait_for(ready.is_set, 1))
        shared.release()
    finally:
        manager.shutdown()
