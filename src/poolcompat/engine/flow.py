"""Which bindings of a name reach each place it is read (reaching definitions), so that a use
takes the binding that reaches it: `results = [r.get() for r in results]` reads the list that was
filled, not the one it rebinds.

The resolver walks each function (and module, class body, lambda) once, in order; this keeps,
per such frame, the bindings that may reach the current point (`state`: name -> indices into
its scope's bindings), forks it at branches and joins it after them. A loop body is walked once:
what flows around its back edge is added to every read in it afterwards (an over-approximation,
never too small). Bindings made from elsewhere (`global`, `nonlocal`, a nested function) make the
name flow-insensitive, and so does anything not recorded: the evaluator then joins every
binding, as without this. Container fills (`x.append(v)`) are not bindings here: they always
count."""
from __future__ import annotations

from typing import Dict, FrozenSet, List, Optional, Set, Tuple

import libcst as cst

from poolcompat.engine.values import Scope

State = Optional[Dict[str, Set[int]]]  # None: the point cannot be reached


def merge(*states: State) -> State:
    found: State = None
    for state in states:
        if state is None:
            continue
        if found is None:
            found = {name: set(indices) for name, indices in state.items()}
            continue
        for name, indices in state.items():
            found.setdefault(name, set()).update(indices)
    return found


def copy_state(state: State) -> State:
    return None if state is None else {name: set(indices) for name, indices in state.items()}


class _Loop:
    def __init__(self) -> None:
        self.reads: List[Tuple[str, Set[int]]] = []
        self.breaks: List[State] = []
        self.continues: List[State] = []


class _Frame:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.state: State = {}
        self.loops: List[_Loop] = []
        self.tries: List[List[Tuple[str, int]]] = []  # what each open `try` body binds


class Flow:
    def __init__(self) -> None:
        self.frames: List[_Frame] = []
        self.reaching: Dict[int, Tuple[Scope, Set[int]]] = {}  # by id of the read Name
        self.foreign: Set[Tuple[int, str]] = set()  # (id of scope, name) bound from elsewhere

    # -- frames ------------------------------------------------------------------------------

    def enter(self, scope: Scope) -> None:
        self.frames.append(_Frame(scope))

    def exit(self) -> None:
        self.frames.pop()

    @property
    def state(self) -> State:
        return self.frames[-1].state if self.frames else None

    @state.setter
    def state(self, value: State) -> None:
        if self.frames:
            self.frames[-1].state = value

    # -- events ------------------------------------------------------------------------------

    def bound(self, owner: Scope, name: str, index: int) -> None:
        frame = self.frames[-1] if self.frames else None
        if frame is None or owner is not frame.scope:
            self.foreign.add((id(owner), name))
            return
        if frame.state is not None:
            frame.state[name] = {index}
        for log in frame.tries:
            log.append((name, index))

    def read(self, node: cst.Name) -> None:
        frame = self.frames[-1] if self.frames else None
        if frame is None or frame.state is None or node.value not in frame.state:
            return
        indices = set(frame.state[node.value])
        self.reaching[id(node)] = (frame.scope, indices)
        for loop in frame.loops:
            loop.reads.append((node.value, indices))

    def reaches(self, node: cst.Name, owner: Scope) -> Optional[FrozenSet[int]]:
        """The indices of the owner's bindings of the name that reach this read, or None
        when all of them may."""
        found = self.reaching.get(id(node))
        if found is None or found[0] is not owner or (id(owner), node.value) in self.foreign:
            return None
        return frozenset(found[1])

    # -- control flow ------------------------------------------------------------------------

    def fork(self) -> State:
        return copy_state(self.state)

    def loop_start(self) -> Tuple[State, _Loop]:
        loop = _Loop()
        if self.frames:
            self.frames[-1].loops.append(loop)
        return self.fork(), loop

    def loop_body_done(self, before: State, loop: _Loop) -> None:
        """After the body: what comes round again reaches every read in it, and the loop's
        exit (and `else`) sees the state before it or after any round."""
        back = merge(self.state, *loop.continues)
        for name, indices in loop.reads:
            if back is not None and name in back:
                indices.update(back[name])
        self.state = merge(before, back)

    def loop_end(self, loop: _Loop) -> None:
        self.state = merge(self.state, *loop.breaks)
        if self.frames and self.frames[-1].loops and self.frames[-1].loops[-1] is loop:
            self.frames[-1].loops.pop()
            if self.frames[-1].loops:  # an outer loop's back edge reaches these reads too
                self.frames[-1].loops[-1].reads.extend(loop.reads)

    def jump(self, kind: str) -> None:
        """`return`, `raise`, `break` or `continue`: nothing flows on from here."""
        frame = self.frames[-1] if self.frames else None
        if frame is None:
            return
        if kind in ("break", "continue") and frame.loops:
            loop = frame.loops[-1]
            (loop.breaks if kind == "break" else loop.continues).append(frame.state)
        frame.state = None

    def try_start(self) -> State:
        if self.frames:
            self.frames[-1].tries.append([])
        return self.fork()

    def try_body_done(self, before: State) -> State:
        """Where a handler starts: before the body, or after any binding in it."""
        log = self.frames[-1].tries.pop() if self.frames and self.frames[-1].tries else []
        entry = merge(before, self.state)
        if entry is not None:
            for name, index in log:
                entry.setdefault(name, set()).add(index)
        return entry
