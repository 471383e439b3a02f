"""What an annotation proves a name holds, one annotation form per case: an instance of the
class (through `Optional`, `|`, `Annotated`, `Final`, `ClassVar`, a string), the class itself
(`type[...]`), or nothing (a string that is no expression, a subscript that is no type)."""
from __future__ import annotations

import textwrap
from typing import List

import pytest

import poolcompat

HEAD = "from typing import Annotated, ClassVar, Final, Optional, Type\nfrom multiprocessing.pool import Pool\n"


def _starmaps(source: str) -> List[int]:
    report = poolcompat.check_source(textwrap.dedent(source), path="case.py")
    assert not report.errors, report.errors
    return sorted(f.line for f in report.findings if f.code == "PCP102")


@pytest.mark.parametrize("annotation, proves", [
    pytest.param("Pool | None", True, id="or-none"),
    pytest.param("None | Pool", True, id="none-or"),
    pytest.param("Optional['Pool']", True, id="optional-of-a-string"),
    pytest.param("'Pool'", True, id="string"),
    pytest.param("Annotated[Pool, 'x']", True, id="annotated"),
    pytest.param("Final[Pool]", True, id="final"),
    pytest.param('"not an expression("', False, id="string-that-is-no-expression"),
    pytest.param("Pool[1:2]", False, id="subscript-that-is-no-type"),
    pytest.param("int | None", False, id="another-type"),
])
def test_a_parameter_annotation(annotation: str, proves: bool) -> None:
    source = HEAD + f"def g(p: {annotation}):\n    p.starmap(f, x)\n"
    assert _starmaps(source) == ([4] if proves else [])


def test_a_class_variable_annotation() -> None:
    source = HEAD + "class J:\n    pool: ClassVar[Pool]\n    def run(self):\n        self.pool.starmap(f, x)\n"
    assert _starmaps(source) == [6]


@pytest.mark.parametrize("annotation", ["Type[Pool]", "type[Pool]"])
def test_a_type_annotation_holds_the_class(annotation: str) -> None:
    source = HEAD + f"def g(c: {annotation}):\n    c(2).starmap(f, x)\n"
    assert _starmaps(source) == [4]
