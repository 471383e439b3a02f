# fix: PCP411, PCP517
# target: 3.3
# forced: no: the fallback imports `multiprocessing.process.Process`, which 3.4 renamed
# expect: True
# expect: 0
from multiprocessing.context import Process
from multiprocessing.process import BaseProcess


def work():
    pass


if __name__ == "__main__":
    worker = Process(target=work)
    print(isinstance(worker, BaseProcess))
    worker.start()
    worker.join(30)
    print(worker.exitcode)
