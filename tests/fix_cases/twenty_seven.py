# fix: PCP301, PCP102
# target: 2.7
# expect: [3, 7]
from __future__ import print_function

from multiprocessing import Pool


def add(a, b):
    return a + b


if __name__ == "__main__":
    with Pool(1) as pool:  # the pool is terminated on the way out
        print(pool.starmap(add, [(1, 2), (3, 4)]))
