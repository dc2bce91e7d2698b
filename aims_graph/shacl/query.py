"""What the compilers hand to the engine: queries, and the reasons they give up."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pyoxigraph as ox

from .model import Constraint, Shape

@dataclass(frozen=True)
class FocusPattern:
    """Given a variable name (``?x``), a pattern binding it to the focus nodes.

    A shape reached through ``sh:property`` of a property shape validates each value
    node once *per parent focus node* that leads to it, and SHACL reports each of
    those validations; ``carried`` names the variables that hold those parents, so
    queries keep them in their DISTINCT projection and one result per parent stays
    (the W3C test core/property/property-001 expects exactly that)."""

    make: Callable[[str], str]
    carried: tuple[str, ...] = ()

    def __call__(self, var: str) -> str:
        return self.make(var)

    @property
    def projection(self) -> str:
        """The carried variables, to add to a SELECT or GROUP BY after ``?this``."""
        return " ".join(self.carried)


class Unsupported(Exception):
    """The compiler cannot express this shape in SPARQL; the message says why."""


@dataclass(frozen=True)
class CompiledQuery:
    """One SELECT answering one constraint of one shape for all focus nodes.

    The focus node is always projected as ``this``; ``value``/``path`` name the
    projected variables (without ``?``) holding sh:value and sh:resultPath, with
    ``value == "this"`` meaning the focus node itself.  ``messages`` are sh:message
    templates of a SPARQL-based constraint."""

    text: str
    shape: Shape
    constraint: Constraint
    value: str | None
    path: str | None = None
    messages: tuple[ox.Literal, ...] = ()
