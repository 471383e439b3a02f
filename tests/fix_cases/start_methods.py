# fix: PCP401, PCP402, PCP403, PCP404, PCP405
# target: 3.3
# unsafe: below 3.4 the start method cannot be chosen
# expect: True
# expect: [4]
import multiprocessing
from multiprocessing import get_all_start_methods, set_forkserver_preload


def square(x):
    return x * x


if __name__ == "__main__":
    set_forkserver_preload(["json"])
    multiprocessing.set_start_method("fork", force=True)
    print(multiprocessing.get_start_method() in get_all_start_methods())
    context = multiprocessing.get_context()
    pool = context.Pool(1)
    try:
        print(pool.map(square, [2]))
    finally:
        pool.terminate()
