"""One round's view of a module: its libcst tree, where each node is, and what holds it."""
from __future__ import annotations

from typing import Dict, Iterator, List, Optional, Tuple, Type, TypeVar

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from poolcompat.engine.findings import Finding
from poolcompat.versions import Version

Span = Tuple[int, int, int, int]  # start line, column, end line, column (libcst's: 0-based columns)
NodeT = TypeVar("NodeT", bound=cst.CSTNode)
STATEMENTS = (cst.SimpleStatementLine, cst.BaseCompoundStatement)


def span_of(finding: Finding) -> Span:
    """A finding's place (1-based columns) as libcst gives positions."""
    return (finding.line, finding.column - 1, finding.end_line, finding.end_column - 1)


class Tree:
    """A parsed module with each node's position and parent. `floor` is the oldest Python the
    fixed code must run on (it decides what syntax a fix may write)."""

    def __init__(self, source: str, floor: Version) -> None:
        wrapper = MetadataWrapper(cst.parse_module(source), unsafe_skip_copy=True)
        self._lines = source.splitlines(keepends=True)
        self._parenthesized: List[cst.CSTNode] = []
        self.module = wrapper.module
        self.floor = floor
        self.spans: Dict[cst.CSTNode, Span] = {}
        self._at: Dict[Span, List[cst.CSTNode]] = {}
        for node, where in wrapper.resolve(PositionProvider).items():
            span = (where.start.line, where.start.column, where.end.line, where.end.column)
            self.spans[node] = span
            self._at.setdefault(span, []).append(node)
            if getattr(node, "lpar", None):
                self._parenthesized.append(node)
        self._parents: Dict[cst.CSTNode, cst.CSTNode] = {}
        stack: List[cst.CSTNode] = [self.module]
        while stack:
            node = stack.pop()
            for child in node.children:
                self._parents[child] = node
                stack.append(child)

    def nodes(self, finding: Finding) -> Tuple[cst.CSTNode, ...]:
        """The nodes exactly at the finding's place (the checker counts a node's parentheses
        in, libcst leaves them out), outermost first."""
        span = span_of(finding)
        found = self._at.get(span, []) or [n for n in self._parenthesized
                                           if self._in_parentheses(span, self.spans[n])]
        return tuple(sorted(found, key=lambda n: sum(1 for _ in self.ancestors(n))))

    def _text(self, start: Tuple[int, int], end: Tuple[int, int]) -> str:
        if start[0] == end[0]:
            return self._lines[start[0] - 1][start[1]:end[1]]
        middle = "".join(self._lines[start[0]:end[0] - 1])
        return self._lines[start[0] - 1][start[1]:] + middle + self._lines[end[0] - 1][:end[1]]

    def _in_parentheses(self, outer: Span, inner: Span) -> bool:
        if not (outer[:2] <= inner[:2] and inner[2:] <= outer[2:]) or outer == inner:
            return False
        before = self._text((outer[0], outer[1]), (inner[0], inner[1]))
        after = self._text((inner[2], inner[3]), (outer[2], outer[3]))
        return not before.strip("( \t\r\n") and not after.strip(") \t\r\n")

    def at(self, finding: Finding, kind: Type[NodeT]) -> Optional[NodeT]:
        """The outermost node of that type exactly at the finding's place."""
        return next((n for n in self.nodes(finding) if isinstance(n, kind)), None)

    def parent(self, node: cst.CSTNode) -> Optional[cst.CSTNode]:
        return self._parents.get(node)

    def ancestors(self, node: cst.CSTNode) -> Iterator[cst.CSTNode]:
        current = self._parents.get(node)
        while current is not None:
            yield current
            current = self._parents.get(current)

    def enclosing(self, node: cst.CSTNode, kind: Type[NodeT]) -> Optional[NodeT]:
        return next((n for n in self.ancestors(node) if isinstance(n, kind)), None)

    def in_annotation(self, node: cst.CSTNode) -> Optional[cst.Annotation]:
        for above in self.ancestors(node):
            if isinstance(above, cst.Annotation):
                return above
            if isinstance(above, STATEMENTS):
                return None
        return None

    def lone_statement(self, call: cst.BaseExpression) -> Optional[cst.SimpleStatementLine]:
        """The statement line that is nothing but this expression (`x.m(...)` on its own line)."""
        expr, line = self.parent(call), None
        if isinstance(expr, cst.Expr):
            line = self.parent(expr)
        if isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1:
            return line
        return None

    def contains(self, outer: cst.CSTNode, finding: Finding) -> bool:
        """Whether the finding lies within the node's lines and columns."""
        span = self.spans.get(outer)
        if span is None:
            return False
        start, end = (finding.line, finding.column - 1), (finding.end_line, finding.end_column - 1)
        return (span[0], span[1]) <= start and end <= (span[2], span[3])
