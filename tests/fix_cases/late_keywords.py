# fix: PCP229, PCP230, PCP231, PCP232, PCP233, PCP264
# target: 3.10
# unsafe: resource tracking, shutdown timeout, preload errors, digest and buffering differ
# expect: 7
# expect: True
# expect: authenticated
# expect: kwargs ok
# expect: [1, 2, 3]
import multiprocessing
import threading
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Pipe, answer_challenge, deliver_challenge
from multiprocessing.managers import BaseManager
from multiprocessing.shared_memory import SharedMemory

if __name__ == "__main__":
    block = SharedMemory(create=True, size=8, track=False)
    block.buf[0] = 7
    print(block.buf[0])
    block.close()
    block.unlink()
    manager = BaseManager(shutdown_timeout=2.0)
    manager.start()
    print(manager.address is not None)
    manager.shutdown()
    multiprocessing.set_forkserver_preload(["json"], on_error="warn")
    near, far = Pipe()
    helper = threading.Thread(target=answer_challenge, args=(far, b"key"))
    helper.start()
    deliver_challenge(near, b"key", digest_name="sha256")
    helper.join(30)
    print("authenticated")
    multiprocessing.Process(target=print, args=("kwargs ok",), kwargs=None).run()
    with ThreadPoolExecutor(1) as executor:
        print(list(executor.map(abs, [-1, -2, -3], buffersize=2)))
