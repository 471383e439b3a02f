# fix: PCP310, PCP311, PCP312, PCP313, PCP314, PCP315, PCP316, PCP331
# target: 3.8
# unsafe: annotations become strings; aliases lose their parameters below 3.9
# expect: described
# expect: IntQueue True
# expect: True True True True True
from concurrent.futures import Future
from multiprocessing.managers import DictProxy, ListProxy, ValueProxy
from multiprocessing.pool import AsyncResult
from multiprocessing.queues import Queue, SimpleQueue
from multiprocessing.shared_memory import ShareableList


def describe(result: AsyncResult[int], future: Future[str]) -> str:
    return "described"


Scores = DictProxy[str, int]
Items = ListProxy[int]
Counter = ValueProxy[int]
Jobs = Queue[int]
Shared = ShareableList[int]


class IntQueue(SimpleQueue[int]):
    pass


if __name__ == "__main__":
    print(describe(None, None))
    print(IntQueue.__name__, issubclass(IntQueue, SimpleQueue))
    print(*(alias is not None for alias in (Scores, Items, Counter, Jobs, Shared)))
