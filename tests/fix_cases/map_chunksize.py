# fix: PCP263
# target: 3.4
# unsafe: below 3.5 items go to the processes one by one
# expect: [0, 1, 4, 9, 16]
from concurrent.futures import ProcessPoolExecutor


def square(x):
    return x * x


if __name__ == "__main__":
    executor = ProcessPoolExecutor(1)
    print(list(executor.map(square, range(5), chunksize=2)))
    executor.shutdown()
