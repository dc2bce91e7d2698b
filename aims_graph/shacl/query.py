"""What the compilers hand to the engine: queries, and the reasons they give up."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pyoxigraph as ox

from .model import Constraint, Shape

FocusPattern = Callable[[str], str]
"""Given a variable name (``?x``), a pattern binding it to each focus node once."""


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
