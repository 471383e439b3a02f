# fix: PCP213, PCP217
# target: 3.8
# unsafe: the keyword never worked; it is left out
# expect: [1, 2]
# expect: [3]
from multiprocessing.dummy import Pool as DummyPool
from multiprocessing.pool import ThreadPool

if __name__ == "__main__":
    threads = ThreadPool(1, maxtasksperchild=5)
    print(threads.map(abs, [-1, -2]))
    threads.terminate()
    dummies = DummyPool(processes=1, maxtasksperchild=5)
    print(dummies.map(abs, [-3]))
    dummies.terminate()
