# fix: PCP252, PCP253, PCP254, PCP256, PCP257, PCP258
# target: 3.5
# unsafe: below 3.7 no initializer runs and the default start method is used
# expect: [1, 4]
# expect: [9, 16]
import multiprocessing
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor


def setup(value):
    assert value


def square(x):
    return x * x


if __name__ == "__main__":
    threads = ThreadPoolExecutor(1, thread_name_prefix="io", initializer=setup, initargs=(1,))
    print(list(threads.map(square, [1, 2])))
    threads.shutdown()
    processes = ProcessPoolExecutor(
        1,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=setup,
        initargs=(2,),
    )
    print(list(processes.map(square, [3, 4])))
    processes.shutdown()
