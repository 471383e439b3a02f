# fix: PCP209
# target: 3.3
# unsafe: below 3.4 the pool uses the default start method
# expect: [4, 9]
import multiprocessing
from multiprocessing.pool import Pool


def square(x):
    return x * x


if __name__ == "__main__":
    pool = Pool(1, context=multiprocessing.get_context("spawn"))
    try:
        print(pool.map(square, [2, 3]))
    finally:
        pool.terminate()
