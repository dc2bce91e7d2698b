"""SPARQL-based constraints (sh:sparql) run as written, for all focus nodes at once.

SHACL pre-binds ``$this`` per focus node; running one query per focus node is what
makes pySHACL slow, so instead the focus-node pattern is joined into the outermost
WHERE group, which gives the same answers for queries that follow SHACL's
pre-binding rules unless a nested group filters on ``$this`` without binding it
(see :func:`check_pre_binding`; such queries fall back).  ``$PATH`` is
replaced by the shape's path and ``$currentShape`` by the shape's IRI; ``$shapesGraph``
needs the shapes graph inside the data store, so such queries fall back to pySHACL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox

from .model import Constraint, Shape, ShapesError, ShapesGraph
from .query import CompiledQuery, FocusPattern, Unsupported
from .terms import sh

_WORD = r"(?![A-Za-z0-9_])"


def compile_sparql_constraint(graph: ShapesGraph, shape: Shape, c: Constraint, focus: FocusPattern) -> CompiledQuery | None:
    """The query for one sh:sparql constraint, or None when it is deactivated."""
    node = c.arg
    idx = graph.index
    deactivated = idx.one(node, sh("deactivated"))
    if isinstance(deactivated, ox.Literal) and deactivated.value == "true":
        return None
    selects = idx.objects(node, sh("select"))
    if len(selects) != 1 or not isinstance(selects[0], ox.Literal):
        raise Unsupported(f"sh:sparql constraint {node} needs exactly one sh:select string")
    text = selects[0].value
    if re.search(r"[$?]shapesGraph" + _WORD, text):
        raise Unsupported("SPARQL constraint uses $shapesGraph")
    if re.search(r"[$?]currentShape" + _WORD, text):
        if not isinstance(shape.node, ox.NamedNode):
            raise Unsupported("SPARQL constraint uses $currentShape on a blank-node shape")
        text = re.sub(r"[$?]currentShape" + _WORD, str(shape.node), text)
    if re.search(r"\$PATH" + _WORD, text):
        if shape.path is None:
            raise Unsupported("SPARQL constraint uses $PATH on a node shape")
        text = re.sub(r"\$PATH" + _WORD, lambda _: shape.path.sparql(), text)
    if not check_pre_binding(text):
        raise Unsupported("SPARQL constraint uses $this inside a nested group, where joining focus nodes differs from pre-binding")
    prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in graph.declared_prefixes(node).items())
    messages = tuple(m for m in idx.objects(node, sh("message")) if isinstance(m, ox.Literal))
    return CompiledQuery(prologue + _join_focus(text, focus("?this")), shape, c, "value", "path", messages)


_TOKEN = re.compile(
    r"""(?P<skip>"{3}.*?"{3}|'{3}.*?'{3}|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|<[^<>"{}|^`\\\s]*>|\#[^\n]*)"""
    r"|(?P<brace>[{}])|(?P<var>[?$][A-Za-z0-9_]+)|(?P<word>[A-Za-z_]+)|(?P<other>\S)",
    re.DOTALL,
)
_FORBIDDEN = ("MINUS", "SERVICE", "VALUES")


def _tokens(query: str):
    """(kind, text, offset) for braces, variables and keywords, skipping strings,
    IRIs and comments (so braces inside them are not mistaken for groups)."""
    for m in _TOKEN.finditer(query):
        if m.lastgroup != "skip":
            yield m.lastgroup, m.group(), m.start()


@dataclass
class _Group:
    """A ``{ }`` group met while scanning a query: does it bind $this in a triple
    pattern of its own, and does it use $this anywhere else?"""

    kind: str  # "where" (outermost), "open" (OPTIONAL/EXISTS), "plain" (everything else)
    parens: int = 0
    binds: bool = False
    uses: bool = False


def check_pre_binding(query: str) -> bool:
    """Enforce SHACL's rules for queries with pre-bound ``$this`` (a violation is an
    error in the shapes graph) and tell whether joining the focus nodes into the
    outer group gives the same answers as pre-binding.

    It does unless a nested plain group (a UNION branch, ``{ }``, GRAPH, sub-select)
    uses $this without binding it in a triple pattern of its own: such a group is
    evaluated before the join, so its filters would see $this unbound.  Uses inside
    OPTIONAL and EXISTS count for the nearest enclosing plain group."""
    tokens = list(_tokens(query))
    words = [t.upper() for kind, t, _ in tokens if kind == "word"]
    if not _projects_this(tokens, 0):
        raise ShapesError(f"a SPARQL constraint must select $this:\n{query}")
    for keyword in _FORBIDDEN:
        if keyword in words:
            raise ShapesError(f"a SPARQL constraint with pre-bound $this must not use {keyword}:\n{query}")
    stack: list[_Group] = []
    joinable, previous = True, ""
    for n, (kind, text, _) in enumerate(tokens):
        upper = text.upper()
        if kind == "word" and upper == "AS" and n + 1 < len(tokens) and tokens[n + 1][1][1:] == "this":
            raise ShapesError(f"a SPARQL constraint must not bind $this with AS:\n{query}")
        if kind == "word" and upper == "SELECT" and stack and not _projects_this(tokens, n, star=False):
            raise ShapesError(f"a sub-select in a SPARQL constraint must project $this:\n{query}")
        if text == "{":
            stack.append(_Group("where" if not stack else "open" if previous in ("OPTIONAL", "EXISTS") else "plain"))
        elif text == "}" and stack:
            group = stack.pop()
            joinable = joinable and not (group.kind == "plain" and group.uses and not group.binds)
        elif stack and text in "()":
            stack[-1].parens += 1 if text == "(" else -1
        elif stack and kind == "var" and text[1:] == "this":
            owner = next(g for g in reversed(stack) if g.kind != "open")
            if stack[-1] is owner and owner.parens == 0:
                owner.binds = True
            else:
                owner.uses = True
        previous = upper
    return joinable


def _projects_this(tokens: list, start: int, star: bool = True) -> bool:
    """Whether the SELECT at or after token ``start`` projects $this (``*`` counts
    only for the outer query: SHACL forbids it in sub-selects)."""
    select = next((i for i in range(start, len(tokens)) if tokens[i][1].upper() == "SELECT"), None)
    if select is None:
        return False
    for _, text, _ in tokens[select + 1 :]:
        if text.upper() == "WHERE" or text == "{":
            return False
        if text[0] in "?$" and text[1:] == "this" or (star and text == "*"):
            return True
    return False


def _join_focus(query: str, pattern: str) -> str:
    """Insert ``pattern`` right after the opening brace of the outermost WHERE group."""
    for kind, text, offset in _tokens(query):
        if text == "{":
            return query[: offset + 1] + " " + pattern + " " + query[offset + 1 :]
    raise Unsupported("sh:select has no WHERE group")


def substitute_message(template: str, row: dict[str, ox.Term]) -> str:
    """Fill ``{?var}``/``{$var}`` placeholders of an sh:message from a result row."""
    def fill(m: re.Match) -> str:
        value = row.get(m.group(1))
        if value is None:
            return m.group(0)
        return value.value if hasattr(value, "value") else str(value)

    return re.sub(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}", fill, template)
