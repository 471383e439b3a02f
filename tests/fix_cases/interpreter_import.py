# fix: PCP182
# target: 3.14
# expect: ExecutionFailed
from concurrent.futures.interpreter import ExecutionFailed

if __name__ == "__main__":
    print(ExecutionFailed.__name__)
