# fix: PCP920
# target: 3.12
# expect: invalid state
from concurrent.futures import *

if __name__ == "__main__":
    future = Future()
    future.set_result(1)
    try:
        future.set_result(2)
    except InvalidStateError:
        print("invalid state")
