"""The walk over a libcst tree that the resolver builds on: the uses to match, in order, with the
conditions (guards) around each."""
from __future__ import annotations

from typing import Callable, Dict, List, Literal, NamedTuple, Optional, Sequence, Tuple, Type

import libcst as cst

from poolcompat.engine.flow import Flow, State, copy_state, merge
from poolcompat.engine.syntax import dotted, exits, fields
from poolcompat.engine.values import Guard, Scope

UseKind = Literal["import", "from", "attr", "call", "with", "getattr", "import-call", "subscript",
                  "operator"]
_TYPE_CHECKING = frozenset({"TYPE_CHECKING", "typing.TYPE_CHECKING",
                            "typing_extensions.TYPE_CHECKING"})


class Use(NamedTuple):
    """A place that may match a rule."""

    kind: UseKind
    node: cst.CSTNode
    scope: Scope
    module: str = ""
    name: str = ""
    guards: Tuple[Guard, ...] = ()
    top: int = -1  # index of the module-level statement it is in
    typing_only: bool = False  # never runs: under `if TYPE_CHECKING:`, an unevaluated annotation


class Walker:
    """Visits what can hold a use, skipping punctuation and whitespace; subclasses say what to
    do with each kind of node in `handlers`."""

    def __init__(self) -> None:
        self.flow = Flow()
        self.module = Scope("module", None, flow=self.flow)
        self.flow.enter(self.module)
        self.uses: List[Use] = []
        self.guards: List[Guard] = []  # the conditions around the node being walked
        self.top = -1
        self.unevaluated = 0  # inside annotations that never run (`from __future__ import ...`)
        self.handlers: Dict[Type[cst.CSTNode], Callable[[cst.CSTNode, Scope], None]] = {
            cst.IndentedBlock: self._indented, cst.If: self._if, cst.IfExp: self._if,
            cst.Try: self._try, cst.TryStar: self._try, cst.BooleanOperation: self._boolean,
            cst.While: self._while, cst.Match: self._match, cst.Raise: self._jump,
            cst.Break: self._jump, cst.Continue: self._jump,
        }

    def _use(self, use: Use) -> None:
        typing_only = bool(self.unevaluated) or any(
            g.kind == "if" and g.positive and dotted(g.node) in _TYPE_CHECKING
            for g in self.guards)
        self.uses.append(use._replace(guards=tuple(self.guards), top=self.top,
                                      typing_only=typing_only))

    def annotation(self, node: cst.BaseExpression, scope: Scope, evaluated: bool) -> None:
        """Walk an annotation; what it uses is typing-only where Python never evaluates it."""
        self.unevaluated += not evaluated
        self.walk(node, scope)
        self.unevaluated -= not evaluated

    def walk(self, node: cst.CSTNode, scope: Scope) -> None:
        handler = self.handlers.get(type(node))
        if handler is not None:
            handler(node, scope)
            return
        for name in fields(type(node)):
            value = getattr(node, name)
            if isinstance(value, cst.CSTNode):
                self.walk(value, scope)
            elif isinstance(value, (list, tuple)):
                self.walk_all(value, scope)

    def walk_all(self, nodes: Sequence[object], scope: Scope) -> None:
        for node in nodes:
            if isinstance(node, cst.CSTNode):
                self.walk(node, scope)

    # -- guards ------------------------------------------------------------------------------

    def _indented(self, node: cst.CSTNode, scope: Scope) -> None:
        assert isinstance(node, cst.IndentedBlock)
        self._block(node.body, scope)

    def _block(self, statements: Sequence[cst.BaseStatement], scope: Scope,
               top: bool = False) -> None:
        """Statements in order; after `if <test>: return/raise`, the rest runs only if not test."""
        depth = len(self.guards)
        for index, statement in enumerate(statements):
            if top:
                self.top = index
            self.walk(statement, scope)
            if isinstance(statement, cst.If) and statement.orelse is None and exits(statement.body):
                self.guards.append(Guard("if", statement.test, scope, positive=False))
        del self.guards[depth:]

    def _guarded(self, node: Optional[cst.CSTNode], guard: Guard, scope: Scope) -> None:
        if node is not None:
            self.guards.append(guard)
            self.walk(node, scope)
            self.guards.pop()

    def _if(self, node: cst.CSTNode, scope: Scope) -> None:
        assert isinstance(node, (cst.If, cst.IfExp))
        self.walk(node.test, scope)
        before = self.flow.fork()
        self._guarded(node.body, Guard("if", node.test, scope), scope)
        after, self.flow.state = self.flow.state, before
        self._guarded(node.orelse, Guard("if", node.test, scope, positive=False), scope)
        self.flow.state = merge(after, self.flow.state)

    def _boolean(self, node: cst.CSTNode, scope: Scope) -> None:
        """`hasattr(x, "m") and x.m()`: the right runs only where the left holds (fails, for
        `or`)."""
        assert isinstance(node, cst.BooleanOperation)
        self.walk(node.left, scope)
        positive = isinstance(node.operator, cst.And)
        before = self.flow.fork()
        self._guarded(node.right, Guard("if", node.left, scope, positive=positive), scope)
        self.flow.state = merge(before, self.flow.state)

    def _try(self, node: cst.CSTNode, scope: Scope) -> None:
        assert isinstance(node, (cst.Try, cst.TryStar))
        before = self.flow.try_start()
        self._guarded(node.body, Guard("try", node, scope), scope)
        body_end = self.flow.state
        raised = self.flow.try_body_done(before)
        ends: List[State] = []
        for handler in node.handlers:
            self.flow.state = copy_state(raised)
            self.walk(handler, scope)
            ends.append(self.flow.state)
        self.flow.state = body_end
        if node.orelse is not None:
            self.walk(node.orelse, scope)
        self.flow.state = merge(self.flow.state, *ends)
        if node.finalbody is not None:  # also on the way out of an exception
            self.flow.state = merge(self.flow.state, raised)
            self.walk(node.finalbody, scope)

    def _while(self, node: cst.CSTNode, scope: Scope) -> None:
        assert isinstance(node, cst.While)
        before, loop = self.flow.loop_start()
        self.walk_all([node.test, node.body], scope)
        self.flow.loop_body_done(before, loop)
        if node.orelse is not None:
            self.walk(node.orelse, scope)
        self.flow.loop_end(loop)

    def _match(self, node: cst.CSTNode, scope: Scope) -> None:
        assert isinstance(node, cst.Match)
        self.walk(node.subject, scope)
        before = self.flow.fork()
        ends: List[State] = [before]  # no case may match
        for case in node.cases:
            self.flow.state = copy_state(before)
            self.walk(case, scope)
            ends.append(self.flow.state)
        self.flow.state = merge(*ends)

    def _jump(self, node: cst.CSTNode, scope: Scope) -> None:
        for name in fields(type(node)):
            value = getattr(node, name)
            if isinstance(value, cst.CSTNode):
                self.walk(value, scope)
        kind = {cst.Raise: "raise", cst.Break: "break", cst.Continue: "continue"}
        self.flow.jump(kind.get(type(node), "return"))
