# fix: PCP251, PCP272
# target: 3.4
# expect: [1, 2]
# expect: 3
from concurrent.futures import ThreadPoolExecutor

if __name__ == "__main__":
    first = ThreadPoolExecutor()
    print(list(first.map(abs, [-1, -2])))
    first.shutdown()
    second = ThreadPoolExecutor(max_workers=None)
    print(second.submit(abs, -3).result())
    second.shutdown()
