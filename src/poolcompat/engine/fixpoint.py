"""Memoized evaluation that settles cycles: a value that depends on itself (a container filled
with what is read back from it, `futures.append(running)` after `running = futures.popleft()`)
is the least fixpoint of its equations, not unknown.

While a name or expression is being evaluated, a read of it again gives a provisional value,
at first `NONE` (nothing yet: no obstacle to a join). If the result differs from what was
assumed, everything computed since under that assumption is forgotten and the evaluation runs
again with the result as the assumption, a few times at most; a value that does not settle is
unknown. One cycle at a time iterates: one inside another's second round is unknown, so nested
cycles cost no more than one."""
from __future__ import annotations

from itertools import islice
from typing import Any, Callable, Dict, Hashable, List, Set, Tuple

from poolcompat.engine.values import NONE, Value

_ROUNDS = 3


class Memo:
    def __init__(self) -> None:
        self.tables: List[Dict[Any, Any]] = []  # every memo a retry must forget from
        self._busy: Set[Hashable] = set()
        self._assumed: Dict[Hashable, Value] = {}
        self._cyclic: Set[Hashable] = set()
        self._retrying = 0  # fixpoints in a second round: only one at a time iterates

    def table(self) -> Dict[Any, Any]:
        made: Dict[Any, Any] = {}
        self.tables.append(made)
        return made

    def _marks(self) -> Tuple[int, ...]:
        return tuple(map(len, self.tables))

    def _forget(self, marks: Tuple[int, ...]) -> None:
        for table, mark in zip(self.tables, marks):
            for key in list(islice(reversed(table), len(table) - mark)):
                del table[key]

    def fixed(self, key: Hashable, memo: Dict[Any, Any],
              compute: Callable[[], Value]) -> Value:
        """`memo[key]`, computed once by `compute` (see the module's docstring)."""
        if key in memo:
            found: Value = memo[key]
            return found
        if key in self._busy:
            self._cyclic.add(key)
            return self._assumed.get(key, NONE)
        self._busy.add(key)
        assumed: Value = NONE
        retrying = False
        try:
            for round_ in range(_ROUNDS):
                marks = self._marks()
                self._assumed[key] = assumed
                self._cyclic.discard(key)
                value = compute()
                if key not in self._cyclic or value == assumed:
                    break
                self._forget(marks)  # computed under an assumption that did not hold
                if value is None or round_ == _ROUNDS - 1 or (self._retrying and not retrying):
                    value = None
                    break
                if not retrying:
                    retrying = True
                    self._retrying += 1
                assumed = value
        finally:
            self._busy.discard(key)
            self._assumed.pop(key, None)
            self._cyclic.discard(key)
            if retrying:
                self._retrying -= 1
        memo[key] = value
        return value
