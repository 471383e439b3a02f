# fix: PCP261
# target: 3.9
# expect: 6
from concurrent.futures import ThreadPoolExecutor


def scale(value, factor=2):
    return value * factor


if __name__ == "__main__":
    executor = ThreadPoolExecutor(1)
    print(executor.submit(fn=scale, value=3).result())
    executor.shutdown()
