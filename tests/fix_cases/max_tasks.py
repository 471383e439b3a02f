# fix: PCP260
# target: 3.11
# expect: [1, 4, 9]
from concurrent.futures import ProcessPoolExecutor


def square(x):
    return x * x


if __name__ == "__main__":
    executor = ProcessPoolExecutor(1, None, None, (), 10)
    print(list(executor.map(square, [1, 2, 3])))
    executor.shutdown()
