# fix: PCP226
# target: 3.2
# expect: True
# expect: 0
from multiprocessing import Process


def work():
    pass


if __name__ == "__main__":
    worker = Process(target=work, daemon=True)
    print(worker.daemon)
    worker.start()
    worker.join(30)
    print(worker.exitcode)
