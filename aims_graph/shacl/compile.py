"""Compile SHACL Core shapes into SPARQL 1.1.

Every constraint is compiled in two forms:

* a *top-level check*: a group-pattern body that, after the focus-node pattern,
  has one solution per violation, so one SELECT answers the constraint for all
  focus nodes at once (counting components use GROUP BY instead);
* a *nested test*: a boolean expression "the node bound to ?x violates this",
  used when a shape is checked on value nodes (sh:node, sh:not, sh:and/or/xone,
  qualified shapes).  Nested tests only ever put one triple pattern in each
  EXISTS and chain further steps as inner EXISTS: Oxigraph evaluates a join inside
  EXISTS without the outer binding (seconds per thousand nodes) but a single bound
  pattern by index lookup.

Whatever cannot be compiled raises :class:`Unsupported`, which sends that shape to
pySHACL.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pyoxigraph as ox

from aims_graph.rdf.namespaces import RDF, RDFS, XSD

from .model import Constraint, Shape, ShapesGraph
from .paths import Alternative, Inverse, Path, Predicate, Sequence, inverse
from .query import CompiledQuery, FocusPattern, Unsupported
from .sparql import compile_sparql_constraint
from .terms import Term

MAX_NESTED_COUNT = 8
"""Nested counts join the path with itself n times; beyond this we fall back."""

_TYPE_PATH = f"<{RDF}type>/<{RDFS}subClassOf>*"
_CASTABLE = {f"{XSD}{t}" for t in ("integer", "decimal", "float", "double", "boolean", "dateTime", "date", "time")}
_INTEGER_RANGES = {
    "byte": (-(2**7), 2**7 - 1),
    "short": (-(2**15), 2**15 - 1),
    "int": (-(2**31), 2**31 - 1),
    "long": (-(2**63), 2**63 - 1),
    "unsignedByte": (0, 2**8 - 1),
    "unsignedShort": (0, 2**16 - 1),
    "unsignedInt": (0, 2**32 - 1),
    "unsignedLong": (0, 2**64 - 1),
    "nonNegativeInteger": (0, None),
    "positiveInteger": (1, None),
    "nonPositiveInteger": (None, 0),
    "negativeInteger": (None, -1),
}
_NODE_KINDS = {
    "IRI": "isIRI({v})",
    "BlankNode": "isBlank({v})",
    "Literal": "isLiteral({v})",
    "BlankNodeOrIRI": "(isBlank({v}) || isIRI({v}))",
    "BlankNodeOrLiteral": "(isBlank({v}) || isLiteral({v}))",
    "IRIOrLiteral": "(isIRI({v}) || isLiteral({v}))",
}
_COMPARISONS = {"MinInclusive": ">=", "MaxInclusive": "<=", "MinExclusive": ">", "MaxExclusive": "<"}
_LENGTHS = {"MinLength": ">=", "MaxLength": "<="}
PAIR_COMPONENTS = ("Equals", "Disjoint", "LessThan", "LessThanOrEquals")
"""Components comparing value nodes with the values of another predicate of the focus node."""
_ORDER = {"LessThan": "<", "LessThanOrEquals": "<="}


@dataclass(frozen=True)
class Check:
    """A violation pattern: ``pattern`` binds ``value`` (sh:value) and ``path``
    (sh:resultPath, only sh:closed) for each violation of the focus node."""

    pattern: str
    value: str | None
    path: str | None = None
    pair: str | None = None  # the other value of a compared pair: one result per pair


def term(node: Term) -> str:
    """A shapes-graph term written into a query; blank nodes have no stable name."""
    if isinstance(node, ox.BlankNode):
        raise Unsupported(f"blank node {node} used as a constraint value cannot be written into SPARQL")
    return str(node)


def focus_pattern(shape: Shape, restrict: list[Term] | None) -> FocusPattern:
    """The focus nodes of a shape's targets, optionally limited to ``restrict``."""
    t = shape.targets
    if t.advanced:
        raise Unsupported("SHACL-AF sh:target (SPARQL-based target)")
    restricted = " ".join(term(n) for n in restrict) if restrict is not None else None
    classes = [term(c) for c in t.classes]
    nodes = " ".join(term(n) for n in t.nodes)
    subjects_of = [term(p) for p in t.subjects_of]
    objects_of = [term(p) for p in t.objects_of]

    def pattern(var: str) -> str:
        branches = [f"{var} {_TYPE_PATH} {c} ." for c in classes]
        branches += [f"VALUES {var} {{ {nodes} }}"] if nodes else []
        branches += [f"{var} {p} ?_o ." for p in subjects_of]
        branches += [f"?_s {p} {var} ." for p in objects_of]
        restriction = f"VALUES {var} {{ {restricted} }}" if restricted is not None else ""
        union = " UNION ".join(f"{{ {b} }}" for b in branches)
        return f"{{ SELECT DISTINCT {var} WHERE {{ {restriction} {union} }} }}"

    return FocusPattern(pattern)


class Compiler:
    """Compiles the shapes of one shapes graph; holds the fresh-variable counter."""

    def __init__(self, graph: ShapesGraph) -> None:
        self.graph = graph
        self._counter = 0
        self._active: list[Term] = []

    def fresh(self) -> str:
        self._counter += 1
        return f"?_v{self._counter}"

    # ---- top level -------------------------------------------------------------

    def queries(self, shape: Shape, focus: FocusPattern) -> list[CompiledQuery]:
        """All queries validating ``shape`` (and its sh:property shapes) on ``focus``."""
        if shape.node in self._active:
            raise Unsupported(f"shape {shape.node} contains itself through sh:property")
        self._active.append(shape.node)
        try:
            out = [q for c in shape.constraints if (q := self._top(shape, c, focus)) is not None]
            for prop in shape.properties:
                child = self.graph.shapes[prop]
                if not child.deactivated:
                    out += self.queries(child, self._child_focus(shape, focus))
            return out
        finally:
            self._active.pop()

    def _child_focus(self, shape: Shape, focus: FocusPattern) -> FocusPattern:
        if shape.path is None:
            return focus
        path = shape.path.sparql()
        parent = f"?_p{len(focus.carried)}"
        carried = (*focus.carried, parent)
        return FocusPattern(
            lambda var: f"{{ SELECT DISTINCT {var} {' '.join(carried)} WHERE {{ {focus(parent)} {parent} {path} {var} . }} }}",
            carried,
        )

    def _top(self, shape: Shape, c: Constraint, focus: FocusPattern) -> CompiledQuery | None:
        """The one query for constraint ``c`` (None when it can never be violated)."""
        if c.kind == "Custom":
            raise Unsupported(f"SHACL-SPARQL constraint component {c.arg}")
        if c.kind == "SPARQL":
            return compile_sparql_constraint(self.graph, shape, c, focus)
        counted = self._counted(shape, c, focus)
        if counted is not None:
            return CompiledQuery(counted, shape, c, None)
        checks = self.checks(shape, c)
        if not checks:
            return None
        head = " ".join(v for v in (focus.projection, checks[0].value, checks[0].path, checks[0].pair) if v and v != "?this")
        body = " UNION ".join(f"{{ {focus('?this')} {ch.pattern} }}" for ch in checks)
        value = checks[0].value.lstrip("?") if checks[0].value else None
        path = checks[0].path.lstrip("?") if checks[0].path else None
        return CompiledQuery(f"SELECT DISTINCT ?this {head} WHERE {{ {body} }}", shape, c, value, path)

    def _counted(self, shape: Shape, c: Constraint, focus: FocusPattern) -> str | None:
        """GROUP BY form of the counting components (None for the others)."""
        if c.kind == "MinCount" and c.arg > 1:
            values, keep = f"OPTIONAL {{ ?this {shape.path.sparql()} ?_v . }}", f"?_c < {c.arg}"
        elif c.kind == "MaxCount":
            values, keep = f"?this {shape.path.sparql()} ?_v .", f"?_c > {c.arg}"
        elif c.kind in ("QualifiedMinCount", "QualifiedMaxCount"):
            bound = c.arg[1]
            if c.kind == "QualifiedMinCount" and bound == 0:
                return None
            match = f"?this {shape.path.sparql()} ?_v . FILTER({self._qualifies(shape, c, '?_v')})"
            if c.kind == "QualifiedMinCount":
                values, keep = f"OPTIONAL {{ {match} }}", f"?_c < {bound}"
            else:
                values, keep = match, f"?_c > {bound}"
        else:
            return None
        return (
            f"SELECT ?this WHERE {{ {{ SELECT ?this {focus.projection} (COUNT(DISTINCT ?_v) AS ?_c) "
            f"WHERE {{ {focus('?this')} {values} }} GROUP BY ?this {focus.projection} }} FILTER({keep}) }}"
        )

    # ---- nested conformance ------------------------------------------------------

    def violates(self, node: Term, var: str) -> str:
        """A SPARQL expression: true when the node bound to ``var`` does not conform to
        the shape ``node`` (targets ignored, severities ignored, as SHACL specifies)."""
        if node in self._active:
            raise Unsupported(f"shape {node} is recursive")
        shape = self.graph.shapes[node]
        if shape.deactivated:
            return "false"
        self._active.append(node)
        try:
            parts = [t for c in shape.constraints if (t := self.violated(shape, c, var)) != "false"]
            parts += [t for p in shape.properties if (t := self.violates(p, var)) != "false"]
        finally:
            self._active.pop()
        return "(" + " || ".join(parts) + ")" if parts else "false"

    def _qualifies(self, shape: Shape, c: Constraint, var: str) -> str:
        qualified = c.arg[0]
        parts = [f"!{self.violates(qualified, var)}"]
        if c.option("disjoint"):
            parts += [self.violates(s, var) for s in self.graph.siblings(shape.node, qualified)]
        return "(" + " && ".join(parts) + ")"

    # ---- walking paths inside EXISTS ---------------------------------------------

    def walk(self, path: Path, start: str, body: Callable[[str], str]) -> str:
        """True when some node v reached from ``start`` along ``path`` makes
        ``body(v)`` true; one triple pattern per EXISTS (see the module docstring)."""
        if isinstance(path, Inverse) and not isinstance(path.path, Predicate):
            return self.walk(inverse(path.path), start, body)
        if isinstance(path, Sequence):
            rest = path.steps[1:]
            tail = rest[0] if len(rest) == 1 else Sequence(rest)
            return self.walk(path.steps[0], start, lambda m: self.walk(tail, m, body))
        if isinstance(path, Alternative):
            return "(" + " || ".join(self.walk(o, start, body) for o in path.options) + ")"
        v = self.fresh()
        if isinstance(path, Predicate):
            pattern = f"{start} {path.iri} {v} ."
        elif isinstance(path, Inverse):
            pattern = f"{v} {path.path.iri} {start} ."
        else:
            pattern = f"{start} {path.sparql()} {v} ."
        test = body(v)
        return f"EXISTS {{ {pattern}{'' if test == 'true' else f' FILTER({test})'} }}"

    def some_value(self, shape: Shape, x: str, body: Callable[[str], str]) -> str:
        """True when some value node of ``x`` for ``shape`` makes ``body`` true."""
        return f"({body(x)})" if shape.path is None else self.walk(shape.path, x, body)

    def _at_least(self, shape: Shape, x: str, n: int, condition: Callable[[str], str] | None = None) -> str:
        """True when ``x`` has at least n distinct value nodes (meeting ``condition``),
        as n nested walks that each pick a value different from those picked before."""
        if n > MAX_NESTED_COUNT:
            raise Unsupported(f"a nested count of {n} values is beyond the limit {MAX_NESTED_COUNT}")

        def pick(chosen: list[str]) -> Callable[[str], str]:
            def body(v: str) -> str:
                tests = [f"!sameTerm({v}, {c})" for c in chosen] + ([condition(v)] if condition else [])
                if len(chosen) + 1 < n:
                    tests.append(self.walk(shape.path, x, pick([*chosen, v])))
                return " && ".join(tests) or "true"

            return body

        return "true" if n == 0 else self.walk(shape.path, x, pick([]))

    # ---- constraints: nested tests -----------------------------------------------

    def violated(self, shape: Shape, c: Constraint, x: str) -> str:
        """Boolean expression: the node bound to ``x`` violates constraint ``c``."""
        kind, arg = c.kind, c.arg
        if kind == "SPARQL":
            raise Unsupported("SPARQL-based constraint inside another shape")
        if kind == "Custom":
            raise Unsupported(f"SHACL-SPARQL constraint component {arg}")
        if kind == "MinCount":
            return "false" if arg == 0 else f"!{self._at_least(shape, x, arg)}"
        if kind == "MaxCount":
            return self._at_least(shape, x, arg + 1)
        if kind == "QualifiedMinCount":
            return "false" if arg[1] == 0 else f"!{self._at_least(shape, x, arg[1], lambda v: self._qualifies(shape, c, v))}"
        if kind == "QualifiedMaxCount":
            return self._at_least(shape, x, arg[1] + 1, lambda v: self._qualifies(shape, c, v))
        if kind == "UniqueLang":
            return self.walk(shape.path, x, lambda a: f"LANG({a}) != \"\" && " + self.walk(
                shape.path, x, lambda b: f"!sameTerm({a}, {b}) && LCASE(LANG({a})) = LCASE(LANG({b}))"
            ))
        if kind == "HasValue":
            return f"!{self.some_value(shape, x, lambda v: f'sameTerm({v}, {term(arg)})')}"
        if kind == "Closed":
            return self.some_value(shape, x, lambda v: self._unexpected(shape, arg, v, in_exists=True))
        if kind in PAIR_COMPONENTS:
            return self._pair_nested(shape, kind, term(arg), x)
        return self.some_value(shape, x, lambda v: self._value_test(c, v))

    def _pair_nested(self, shape: Shape, kind: str, other: str, x: str) -> str:
        o = self.fresh()
        if kind == "Equals":
            missing = self.some_value(shape, x, lambda v: f"NOT EXISTS {{ {x} {other} {v} . }}")
            extra = self.some_value(shape, x, lambda v: f"sameTerm({v}, {o})")
            return f"({missing} || EXISTS {{ {x} {other} {o} . FILTER(!{extra}) }})"
        if kind == "Disjoint":
            return self.some_value(shape, x, lambda v: f"EXISTS {{ {x} {other} {v} . }}")
        op = _ORDER[kind]
        return self.some_value(shape, x, lambda v: f"EXISTS {{ {x} {other} {o} . FILTER(!COALESCE({v} {op} {o}, false)) }}")

    def _unexpected(self, shape: Shape, ignored: tuple, v: str, in_exists: bool) -> str:
        """sh:closed: a triple of ``v`` whose predicate no property shape allows."""
        allowed = [self.graph.shapes[p].path for p in shape.properties]
        iris = [term(p.iri) for p in allowed if isinstance(p, Predicate)] + [term(i) for i in ignored]
        p, o = ("?_p", "?_o") if not in_exists else (self.fresh(), self.fresh())
        keep = f" FILTER({p} NOT IN ({', '.join(iris)}))" if iris else ""
        return f"{v} {p} {o} .{keep}" if not in_exists else f"EXISTS {{ {v} {p} {o} .{keep} }}"

    # ---- constraints: top-level checks -------------------------------------------

    def checks(self, shape: Shape, c: Constraint) -> list[Check]:
        """Violation patterns of ``c`` for the focus variable ``?this`` (alternatives:
        their union); joins are fine here since nothing is inside EXISTS."""
        kind, arg = c.kind, c.arg
        if kind in ("MinCount", "HasValue"):
            test = self.violated(shape, c, "?this")
            return [] if test == "false" else [Check(f"FILTER({test})", None)]
        if kind == "UniqueLang":
            # SHACL asks for one result per language tag used by two or more values, so
            # the tag stays in the projection (it is not reported: the result has no value).
            path = shape.path.sparql()
            return [Check(
                f"?this {path} ?_v . ?this {path} ?_w . FILTER(LANG(?_v) != \"\" && !sameTerm(?_v, ?_w) "
                f"&& LCASE(LANG(?_v)) = LCASE(LANG(?_w))) BIND(LCASE(LANG(?_v)) AS ?_lang)",
                None, pair="?_lang",
            )]
        if kind in PAIR_COMPONENTS:
            return self._pair_top(shape, kind, term(arg))
        values, v = self._values(shape)
        if kind == "Closed":
            return [Check(f"{values} {self._unexpected(shape, arg, v, in_exists=False)}", "?_o", "?_p")]
        return [Check(f"{values} FILTER({self._value_test(c, v)})", v)]

    def _values(self, shape: Shape) -> tuple[str, str]:
        """(pattern, variable) enumerating the value nodes of ``?this``."""
        if shape.path is None:
            return "", "?this"
        return f"?this {shape.path.sparql()} ?_v .", "?_v"

    def _pair_top(self, shape: Shape, kind: str, other: str) -> list[Check]:
        if shape.path is None:
            if kind == "Equals":
                return [
                    Check(f"FILTER NOT EXISTS {{ ?this {other} ?this . }} BIND(?this AS ?_v)", "?_v"),
                    Check(f"?this {other} ?_v . FILTER(!sameTerm(?_v, ?this))", "?_v"),
                ]
            if kind == "Disjoint":
                return [Check(f"?this {other} ?this . BIND(?this AS ?_v)", "?_v")]
            raise Unsupported(f"sh:{kind[0].lower() + kind[1:]} on a node shape")
        path = shape.path.sparql()
        if kind == "Equals":
            listed = self.walk(shape.path, "?this", lambda w: f"sameTerm({w}, ?_v)")
            return [
                Check(f"?this {path} ?_v . FILTER NOT EXISTS {{ ?this {other} ?_v . }}", "?_v"),
                Check(f"?this {other} ?_v . FILTER(!{listed})", "?_v"),
            ]
        if kind == "Disjoint":
            return [Check(f"?this {path} ?_v . ?this {other} ?_v .", "?_v")]
        # SHACL asks for one result per pair of value nodes that fail the comparison, so
        # the other value stays in the projection and DISTINCT keeps each pair.
        return [Check(f"?this {path} ?_v . ?this {other} ?_o . FILTER(!COALESCE(?_v {_ORDER[kind]} ?_o, false))",
                      "?_v", pair="?_o")]

    def _value_test(self, c: Constraint, v: str) -> str:
        """A filter that is true when value ``v`` violates a value-type/range/string/
        logical constraint (errors count as violations, as SHACL requires)."""
        kind, arg = c.kind, c.arg
        if kind == "Class":
            t = self.fresh()
            return f"NOT EXISTS {{ {v} <{RDF}type> {t} . FILTER EXISTS {{ {t} <{RDFS}subClassOf>* {term(arg)} . }} }}"
        if kind == "Datatype":
            ok = f"isLiteral({v}) && sameTerm(DATATYPE({v}), {term(arg)})"
            return f"!COALESCE({ok}{_well_formed(arg.value, v)}, false)"
        if kind == "NodeKind":
            local = arg.value.rsplit("#", 1)[-1]
            if local not in _NODE_KINDS:
                raise Unsupported(f"unknown sh:nodeKind {arg}")
            return "!" + _NODE_KINDS[local].format(v=v)
        if kind in _COMPARISONS:
            return f"!COALESCE({v} {_COMPARISONS[kind]} {term(arg)}, false)"
        if kind in _LENGTHS:
            return f"!COALESCE(STRLEN(STR({v})) {_LENGTHS[kind]} {arg}, false)"
        if kind == "Pattern":
            regex = f"REGEX(STR({v}), {_string(arg)}, {_string(c.option('flags', ''))})"
            return f"!COALESCE({regex}, false)"
        if kind == "LanguageIn":
            tests = " || ".join(f"langMatches(LANG({v}), {_string(t.value)})" for t in arg) or "false"
            return f"!COALESCE({tests}, false)"
        if kind == "In":
            return "!(" + (" || ".join(f"sameTerm({v}, {term(m)})" for m in arg) or "false") + ")"
        if kind == "Node":
            return self.violates(arg, v)
        if kind == "Not":
            return f"!{self.violates(arg, v)}"
        if kind == "And":
            return "(" + " || ".join(self.violates(s, v) for s in arg) + ")" if arg else "false"
        if kind == "Or":
            return "(" + " && ".join(self.violates(s, v) for s in arg) + ")" if arg else "true"
        if kind == "Xone":
            conforming = " + ".join(f"IF({self.violates(s, v)}, 0, 1)" for s in arg) or "0"
            return f"({conforming}) != 1"
        raise Unsupported(f"constraint component {c.component} is not compiled")


def _well_formed(datatype: str, v: str) -> str:
    """Extra filter conditions that reject ill-formed lexical forms of ``datatype``:
    a failing cast for the SPARQL-castable types, a cast plus range for the integer
    subtypes; other datatypes are only checked by name."""
    if datatype in _CASTABLE:
        return f" && isLiteral(<{datatype}>(STR({v})))"
    local = datatype.removeprefix(XSD)
    if local not in _INTEGER_RANGES:
        return ""
    number = f"<{XSD}integer>(STR({v}))"
    low, high = _INTEGER_RANGES[local]
    tests = [f"isLiteral({number})"]
    tests += [f"{number} >= {low}"] if low is not None else []
    tests += [f"{number} <= {high}"] if high is not None else []
    return " && " + " && ".join(tests)


def _string(text: str) -> str:
    """A SPARQL string literal for arbitrary text."""
    return str(ox.Literal(text))
