"""Which of the project's calls reach which function: a parameter that other modules decide
holds what they pass (`Linker.parameter`).

The index grows as modules come in. A call, once it is known to reach a function, always does
(the names it goes through are never bound again); one that is not known yet is looked at again
each time the index is asked after a module came in. Rebuilding the whole index after every
module was quadratic: 8,425 rebuilds on a tree of 23,686 files."""
from __future__ import annotations

from bisect import insort
from typing import Callable, Dict, List, Set, Tuple

from poolcompat.engine.summary import CallRecord, Summary
from poolcompat.engine.values import Value

Identify = Callable[[Value], Tuple[str, int]]  # the function a value leads to, and its shift


class Callers:
    def __init__(self) -> None:
        self.calls: List[Tuple[bool, CallRecord]] = []  # from a test module?
        self.escapes: List[Tuple[bool, Value]] = []  # functions used other than by a call
        self._by_callee: Dict[str, List[Tuple[int, CallRecord, int]]] = {}  # by place: unique
        self._escaped: Set[str] = set()
        self._unknown: Tuple[List[int], List[int]] = ([], [])  # calls and escapes, by place
        self._seen = (0, 0)
        self._stale = False

    def add(self, summary: Summary) -> None:
        tests = is_test(summary.module)
        self.calls += [(tests, record) for record in summary.calls]
        self.escapes += [(tests, value) for value in summary.escapes]
        self._stale = True

    def of(self, qualname: str, identify: Identify) -> List[Tuple[CallRecord, int]]:
        """The calls of the function, each with how many parameters go before its arguments
        (`self`, for a constructor); a test's calls only for a test's function."""
        self._update(identify)
        return [(record, shift) for _, record, shift in self._by_callee.get(qualname, ())]

    def escaped(self, qualname: str, identify: Identify) -> bool:
        """Whether the function is used other than by calls: then anybody may call it."""
        self._update(identify)
        return qualname in self._escaped

    def _update(self, identify: Identify) -> None:
        if not self._stale:
            return
        self._stale = False
        calls, escapes = self._unknown
        calls += range(self._seen[0], len(self.calls))
        escapes += range(self._seen[1], len(self.escapes))
        self._seen = (len(self.calls), len(self.escapes))
        self._unknown = ([], [])
        for place in calls:
            from_tests, record = self.calls[place]
            qualname, shift = identify(record.callee)
            if not qualname:
                self._unknown[0].append(place)
            elif not from_tests or is_test(qualname):
                insort(self._by_callee.setdefault(qualname, []), (place, record, shift))
        for place in escapes:
            from_tests, value = self.escapes[place]
            qualname = identify(value)[0]
            if not qualname:
                self._unknown[1].append(place)
            elif not from_tests or is_test(qualname):
                self._escaped.add(qualname)


def is_test(qualname: str) -> bool:
    """`tests.unit.test_s3transfer`, `pkg.tests.helpers`, `conftest`, `pkg.foo_test`."""
    return any(part in ("test", "tests", "testing", "conftest") or part.startswith("test_")
               or part.endswith("_test") for part in qualname.split("."))
