"""Re-validate only what a write can have changed, and keep the latest results.

The results are cached per *unit* and, inside a unit, per focus node.  A unit is the
SHACL Core part of one targeted shape (every compiled constraint of the shape and of
its sh:property shapes), one SPARQL-based constraint (sh:sparql) of such a shape, or
the shapes that fall back to pySHACL.

A write that touches the nodes N (the subjects and objects of the triples added or
removed) can only change the results of a focus node x for a unit if one of the
triples the unit reads for x has an end in N.  Each unit therefore has a *walk*: a
SPARQL property path from its focus node to every node whose own triples it reads
(the focus node itself always counts).

* For SHACL Core the walk is derived from the shape: the nodes a sh:path passes
  through (the near end of each of its edges), and, where a constraint reads the value
  nodes' own triples (sh:class, sh:node, sh:not, sh:and/or/xone, qualified shapes,
  nested sh:property), the value nodes and the walks of those nested shapes.  Value
  nodes that are only compared (sh:datatype, sh:in, sh:hasValue, counts, ...) are not
  walked into, so a shared value such as ``true`` or a status IRI does not make every
  node that uses it "affected".
* A SPARQL-based constraint declares its walk with the annotation ``aims:reach`` on
  the sh:SPARQLConstraint node: a SHACL property path from $this to the last node
  whose own triples the query reads; every prefix of it is included.  ``sh:this``
  says that the query reads only the focus node's own triples.  ``aims:AnyNode``
  (or no aims:reach at all) says that the query can read anything:
  that constraint alone is then re-run in full after every write.

One query follows all walks backwards from N at once; a second one tells which of
the nodes found are targets of which shapes.  Each unit is then re-run for its own
affected focus nodes only (``VALUES``-restricted focus nodes), or in full when there
are many of them (above ``FULL_RUN_ABOVE``).  Constraints that judge each value node
on its own (sh:class, sh:node, sh:not, sh:and/or/xone on a property shape) are
re-checked per (focus node, value node) pair when only a value node changed, so a
focus node with thousands of values is not re-validated whole.  Walks are followed
backwards from changed literals only if they can step back into a literal along
another triple (a triple ``s p "x"`` is read from s, which changed too), and from a
changed node only if their last step can end there (one query lists the predicates
into and out of the changed nodes first).

Cases this reasoning cannot bound: changed or affected blank nodes (a query cannot
name them) make ``update`` validate everything; shapes that fall back to pySHACL
are re-run in full on every update; changes to the class hierarchy
(rdfs:subClassOf) move targets wholesale, so call :meth:`validate_all` after them.
The validator derives nothing: derived facts in the data (such as the EU AI Act
classification) must be re-derived by the caller, and the nodes of the derived
triples that changed passed to :meth:`update` too.  A declared aims:reach that is
too short leaves stale results; that is the shape author's responsibility (the
project's tests compare the cache with full validations after random edits).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Iterator

import pyoxigraph as ox

from aims_graph.rdf.namespaces import AIMS

from .compile import Compiler, focus_pattern
from .engine import run
from .fallback import validate_with_pyshacl
from .model import Constraint, Shape, ShapesError, ShapesGraph, ShapesInput, load_shapes
from .paths import Inverse, Path, PathError, Predicate, Repeat, Sequence, alternative, inverse, parse_path, prefixes
from .query import CompiledQuery, Unsupported
from .report import Fallback, ValidationReport, ValidationResult
from .source import SparqlSource, as_source
from .terms import RDF_TYPE, RDFS_SUBCLASS_OF, Term, sh

REACH = ox.NamedNode(AIMS + "reach")
"""Annotation of a sh:SPARQLConstraint: the SHACL path from $this to every node whose
triples the query reads (see the module docstring)."""
ANY_NODE = ox.NamedNode(AIMS + "AnyNode")
"""Value of aims:reach for a query that may read any node: re-run it in full."""
SH_THIS = sh("this")
"""Value of aims:reach for a query that reads only the focus node's own triples."""
FULL_RUN_ABOVE = 400
"""A unit with more affected focus nodes than this is re-run in full: one query over
all focus nodes is then cheaper than a long VALUES list (Oxigraph joins VALUES blocks
of about a thousand rows and more much more slowly)."""
_CHUNK = 500  # nodes per VALUES block in the affected-node queries

# Components whose check reads triples of the value nodes (not only their terms).
_READS_VALUES = ("Class", "Node", "Not", "And", "Or", "Xone", "QualifiedMinCount", "QualifiedMaxCount")
# ... and of those, the ones that judge each value node on its own.
_PER_VALUE = ("Class", "Node", "Not", "And", "Or", "Xone")


@dataclass
class _ValueCheck:
    """A constraint of a property shape that checks each value node on its own and reads
    the value node's triples (sh:class, sh:node, sh:not, sh:and/or/xone).  A change to a
    value node re-checks only the (focus node, value node) pairs it can alter, so that a
    focus node with thousands of values (a management system covering every AI system)
    is not re-validated whole each time one of its values changes."""

    shape: Shape  # the property shape
    constraint: Constraint
    checks: list  # Compiler.checks(shape, constraint)
    walk: str | None  # from a value node to the nodes whose triples the check reads; None: the value node only
    back: str  # from a focus node to those nodes: the path, then the walk


@dataclass
class _Unit:
    """What is re-run together, and its cached results per focus node."""

    shape: Shape  # the targeted shape whose targets are the focus nodes
    kind: str  # "core", "sparql" or "pyshacl"
    constraint: Term | None = None  # the sh:sparql node of a "sparql" unit
    query_shape: Term | None = None  # the shape holding that sh:sparql (the targeted shape or one of its sh:property)
    walk: str | None = None  # SPARQL path to the nodes whose triples are read; None: the focus node only
    bounded: bool = True  # False: re-run in full after every write
    whole: bool = False  # results can have other focus nodes than the targets: re-run in full when affected
    values: list[_ValueCheck] = field(default_factory=list)  # constraints re-checked per (focus, value) pair
    results: dict[Term, list[ValidationResult]] = field(default_factory=dict)

    def store(self, results: Iterable[ValidationResult]) -> None:
        for r in results:
            self.results.setdefault(r.focus_node, []).append(r)


class IncrementalValidator:
    """Holds the current results per unit and focus node for one shapes graph and one source."""

    def __init__(self, shapes: ShapesInput, data: ox.Store | SparqlSource, *, shapes_format: ox.RdfFormat | None = None) -> None:
        self.graph = load_shapes(shapes, shapes_format)
        self.source = as_source(data)
        self._fallbacks: list[Fallback] = []
        self._units: list[_Unit] = []
        self._via_literals: dict[str, set] = {}  # walk -> predicates along which it can arrive at a literal and step back
        self._last_steps: dict[str, set | None] = {}  # walk -> its possible last steps (None: it can be empty)
        self._links: dict[Term, dict[str, set]] = {}  # changed node -> predicates in ("f") and out ("i"), per update
        pyshacl_unit: _Unit | None = None
        for shape in self.graph.targeted:
            try:
                queries = Compiler(self.graph).queries(shape, focus_pattern(shape, None))
            except Unsupported as why:
                self._fallbacks.append(Fallback(shape.node, str(why)))
                if pyshacl_unit is None:
                    pyshacl_unit = _Unit(shape, "pyshacl", bounded=False)
                continue
            same_focus = {shape.node} | (set(shape.properties) if shape.path is None else set())
            core = [q for q in queries if q.constraint.kind != "SPARQL"]
            if core:
                whole = any(q.shape.node not in same_focus for q in core)
                values = [] if whole else self._value_checks(shape)
                skip = {(v.shape.node, id(v.constraint)) for v in values}
                walk = self._core_walk(shape.node, skip=skip)
                self._units.append(_Unit(shape, "core", walk=self._text(walk, self._full_path(shape.node, skip)),
                                         whole=whole, values=values))
            for q in queries:
                if q.constraint.kind == "SPARQL":
                    reach = self._declared_reach(q.constraint.arg)
                    self._units.append(_Unit(
                        shape, "sparql", constraint=q.constraint.arg, query_shape=q.shape.node,
                        walk=None if reach is ANY_NODE else self._text(reach),
                        bounded=reach is not ANY_NODE, whole=q.shape.node not in same_focus,
                    ))
        if pyshacl_unit is not None:
            self._units.append(pyshacl_unit)

    # ---- public API --------------------------------------------------------------

    def validate_all(self) -> ValidationReport:
        """Validate everything and replace the cache."""
        for unit in self._units:
            unit.results = {}
            unit.store(self._run(unit, None))
        return self.report()

    def affected(self, changed: Iterable[Term]) -> set[Term] | None:
        """Focus nodes whose results a change to ``changed`` can alter through the
        bounded units; None means "cannot be bounded, validate everything".  (Units
        without a bound, see :meth:`unbounded`, are re-run in full by :meth:`update`.)"""
        nodes = list(dict.fromkeys(changed))
        found = self._affected(nodes)
        if found is None:
            return None
        per_unit, pairs = found
        out = {n for affected in per_unit.values() for n in affected}
        checks = [(self._units[index], check) for index, listed in pairs.items() for check, _ in listed]
        reached = self._reached(nodes, sorted({check.back for _, check in checks})) or {}
        if checks and reached:
            membership = _Membership(self.source, self.graph, set().union(*reached.values()))
            out |= {x for unit, check in checks for x in reached.get(check.back, set()) if membership.is_target(x, unit.shape)}
        return out

    def update(self, changed: Iterable[Term]) -> set[Term] | None:
        """Re-validate after a write that touched ``changed`` (subjects and objects of
        the added and removed triples).  Returns the focus nodes whose results were
        re-computed (None: everything was re-validated)."""
        found = self._affected(changed)
        if found is None:
            self.validate_all()
            return None
        per_unit, pairs = found
        rechecked: set[Term] = set()
        for index, unit in enumerate(self._units):
            nodes = per_unit.get(index, set())
            if not unit.bounded or (nodes and (unit.whole or len(nodes) > FULL_RUN_ABOVE)):
                rechecked |= set(unit.results)
                unit.results = {}
                unit.store(self._run(unit, None))
                rechecked |= set(unit.results)
                continue
            if nodes:
                results = self._run(unit, sorted(nodes, key=str))
                for node in nodes:
                    unit.results.pop(node, None)
                unit.store(results)
                rechecked |= nodes
            for check, values in pairs.get(index, []):
                rechecked |= self._recheck_pairs(unit, check, nodes, values)
        return rechecked

    def report(self) -> ValidationReport:
        """The current full report, assembled from the cache (no query)."""
        results = [r for unit in self._units for rs in unit.results.values() for r in rs]
        return ValidationReport(results, list(self._fallbacks))

    def unbounded(self) -> list[tuple[Term, Term | None]]:
        """(shape, sh:sparql node or None) of every unit re-run in full after each write:
        SPARQL-based constraints without a declared reach (or with aims:AnyNode) and
        shapes that pySHACL validates."""
        return [(u.shape.node, u.constraint) for u in self._units if not u.bounded]

    # ---- running -----------------------------------------------------------------

    def _run(self, unit: _Unit, restrict: list[Term] | None) -> list[ValidationResult]:
        if unit.kind == "pyshacl":
            shapes = [f.shape for f in self._fallbacks]
            return validate_with_pyshacl(self.graph, shapes, self.source, restrict)
        results: list[ValidationResult] = []
        for query in self._queries(unit, restrict):
            results += run(query, self.source)
        return results

    def _queries(self, unit: _Unit, restrict: list[Term] | None) -> list[CompiledQuery]:
        queries = Compiler(self.graph).queries(unit.shape, focus_pattern(unit.shape, restrict))
        if unit.kind == "core":
            return [q for q in queries if q.constraint.kind != "SPARQL"]
        return [q for q in queries if q.constraint.kind == "SPARQL" and q.constraint.arg == unit.constraint
                and q.shape.node == unit.query_shape]

    # ---- affected focus nodes ----------------------------------------------------

    def _affected(self, changed: Iterable[Term]):
        """(affected focus nodes per bounded unit, {unit: [(value check, value nodes)]}),
        units by index; None: validate everything."""
        nodes = list(dict.fromkeys(changed))
        if any(isinstance(n, ox.BlankNode) for n in nodes):
            return None
        if not nodes:
            return {}, {}
        self._find_links(nodes)
        bounded = [(i, u) for i, u in enumerate(self._units) if u.bounded]
        walks = {u.walk for _, u in bounded} | {v.walk for _, u in bounded for v in u.values}
        reached = self._reached(nodes, sorted(w for w in walks if w is not None))
        if reached is None:
            return None
        # Value checks only need to know whether some focus node has an affected value
        # (the re-check finds the pairs itself), not which: a shared value such as a
        # life-cycle stage can be the value of thousands of focus nodes.
        backs = self._reaches_any(nodes, sorted({v.back for _, u in bounded for v in u.values}))
        found = {index: set(nodes) | reached.get(unit.walk, set()) if unit.walk is not None else set(nodes)
                 for index, unit in bounded}
        # A unit that many nodes can reach is re-run in full anyway: no need to know
        # which of them are its focus nodes (when an edit touches a hub such as the
        # management system, that is tens of thousands of nodes).
        small = [reach for reach in found.values() if len(reach) <= FULL_RUN_ABOVE]
        membership = _Membership(self.source, self.graph, set(nodes).union(*small))
        out: dict[int, set[Term]] = {}
        pairs: dict[int, list] = {}
        for index, unit in bounded:
            if len(found[index]) > FULL_RUN_ABOVE:
                out[index] = found[index]
            else:
                affected = {n for n in found[index] if membership.is_target(n, unit.shape)}
                affected |= found[index] & unit.results.keys()  # was a focus node: its old results must go
                if affected:
                    out[index] = affected
            for check in unit.values:
                if check.back not in backs:
                    continue  # no focus node has one of these values
                if check.walk is not None:
                    values = set(nodes) | reached.get(check.walk, set())
                else:  # sh:class reads the value's own rdf:type triples: a literal has none
                    values = {n for n in nodes if not isinstance(n, ox.Literal)}
                if values:
                    pairs.setdefault(index, []).append((check, values))
        return out, pairs

    def _recheck_pairs(self, unit: _Unit, check: _ValueCheck, focus: set[Term], values: set[Term]) -> set[Term]:
        """Re-run one value check for the given value nodes only, on every focus node
        that has one of them (tested as a target inside the query: no VALUES list of
        focus nodes), and replace exactly the cached results of those (focus node,
        value node) pairs.  Focus nodes in ``focus`` (already re-checked whole) are
        left alone."""
        # The test depends on the value node only: find the failing values first, then
        # the focus nodes that have them (a value can be shared by thousands).
        listed = " ".join(str(v) for v in sorted(values, key=str))
        head = f"?this {check.shape.path.sparql()} ?_v ."
        tests = " UNION ".join(f"{{ VALUES ?_v {{ {listed} }} {c.pattern[len(head):]} }}" for c in check.checks)
        failing = [row["_v"] for row in self.source.query(f"SELECT DISTINCT ?_v WHERE {{ {tests} }}")]
        fresh = []
        if failing:
            target = _target_test(unit.shape, "?this")
            text = (f"SELECT DISTINCT ?this ?_v WHERE {{ VALUES ?_v {{ {' '.join(map(str, failing))} }} "
                    f"{head} FILTER({target}) }}")
            query = CompiledQuery(text, check.shape, check.constraint, "_v")
            fresh = [r for r in run(query, self.source) if r.focus_node not in focus]
        component = check.constraint.component
        touched = set()
        for node, results in list(unit.results.items()):
            if node in focus:
                continue
            kept = [r for r in results if not (
                r.source_shape == check.shape.node and r.source_constraint_component == component and r.value in values)]
            if len(kept) != len(results):
                touched.add(node)
                if kept:
                    unit.results[node] = kept
                else:
                    del unit.results[node]
        unit.store(fresh)
        return touched | {r.focus_node for r in fresh}

    def _reached(self, nodes: list[Term], walks: list[str]) -> dict[str, set[Term]] | None:
        """For each walk, the nodes from which it reaches one of ``nodes``."""
        out: dict[str, set[Term]] = {w: set() for w in walks}
        for row in self._walk_rows(nodes, walks, first_only=False):
            x = row["x"]
            if isinstance(x, ox.BlankNode):
                return None
            out[walks[int(row["w"].value)]].add(x)
        return out

    def _reaches_any(self, nodes: list[Term], walks: list[str]) -> set[str]:
        """The walks along which some node reaches one of ``nodes``."""
        return {walks[int(row["w"].value)] for row in self._walk_rows(nodes, walks, first_only=True)}

    def _walk_rows(self, nodes: list[Term], walks: list[str], first_only: bool) -> Iterator[ox.QuerySolution]:
        """Rows (?w: index of a walk, ?x: a node it starts from) of the walks that end in
        ``nodes``, one query per chunk of nodes; ``first_only`` stops each walk at its
        first start (no ?x), for callers that only ask whether it reaches at all."""
        if not walks:
            return
        literals = self._literal_ends(nodes, walks)
        for start in range(0, len(nodes), _CHUNK):
            chunk = nodes[start:start + _CHUNK]
            branches = []
            for i, walk in enumerate(walks):
                if ends := self._ends(chunk, walk, literals):
                    branch = f"VALUES ?n {{ {' '.join(map(str, ends))} }} ?x {walk} ?n . BIND({i} AS ?w)"
                    branches.append(f"{{ SELECT ?w WHERE {{ {branch} }} LIMIT 1 }}" if first_only else f"{{ {branch} }}")
            if branches:
                projection = "?w" if first_only else "?w ?x"
                yield from self.source.query(f"SELECT DISTINCT {projection} WHERE {{ {' UNION '.join(branches)} }}")

    # ---- walks -------------------------------------------------------------------

    def _text(self, walk: Path | None, full: Path | None = None) -> str | None:
        """The SPARQL form of a walk, noting whether the reads it stands for (``full``:
        the whole paths, where the walk only goes to the near ends) can step back from
        a literal."""
        if walk is None:
            return None
        text = walk.sparql()
        _, last, _, empty = _kinds(walk)
        self._last_steps[text] = None if empty or self._last_steps.get(text, set()) is None else last
        turns = _kinds(walk)[2] | (_kinds(full)[2] if full is not None else set())
        if turns:
            self._via_literals.setdefault(text, set()).update(turns)
        return text

    def _full_path(self, node: Term, skip: set = frozenset()) -> Path | None:
        """Every path the SHACL Core constraints of shape ``node`` follow from its focus
        node, nested shapes included (to see whether they step back from a literal)."""
        shape = self.graph.shapes[node]
        if shape.deactivated:
            return None
        kept = [c for c in shape.constraints if (shape.node, id(c)) not in skip]
        nested = list(shape.properties) + [n for c in kept for n in _constraint_shapes(c, self.graph, shape)]
        inner = [w for n in nested if (w := self._full_path(n, skip if n in shape.properties else frozenset())) is not None]
        if shape.path is None:
            return alternative(inner) if inner else None
        return alternative([shape.path, *(Sequence((shape.path, w)) for w in inner)])

    def _ends(self, nodes: list[Term], walk: str, literals: set[tuple[Term, str]]) -> list[Term]:
        """The changed nodes worth following ``walk`` backwards from.  A literal has no
        triples of its own to read: a triple (s p "x") is read from s, which is among
        the changed nodes too, unless the walk arrives at the literal along one triple
        and steps back from it along another (a forward step directly followed by an
        inverse one, such as ``( ex:name [ sh:inversePath ex:name ] )``).  So literals
        are kept only for such walks, and only if they are the object of one of those
        forward steps' predicates (``literals``, see :meth:`_literal_ends`).  Following
        a path backwards from a literal as common as ``true`` is slow in Oxigraph."""
        last = self._last_steps.get(walk)
        return [n for n in nodes if (n, walk) in literals or (not isinstance(n, ox.Literal) and (
            last is None or n not in self._links or any(p in self._links[n][kind] for kind, p in last)))]

    def _find_links(self, nodes: list[Term]) -> None:
        """The predicates of the triples into ("f") and out of ("i") each changed IRI:
        a walk can only end at a node along one of them.  One query here saves a
        backward walk per shape from a node that many triples point to (a life-cycle
        stage, a person), each of which Oxigraph would start by scanning them all."""
        self._links = {}
        resources = [n for n in nodes if not isinstance(n, ox.Literal)]
        for start in range(0, len(resources), _CHUNK):
            values = " ".join(str(n) for n in resources[start:start + _CHUNK])
            query = (f"SELECT DISTINCT ?n ?p ?d WHERE {{ {{ VALUES ?n {{ {values} }} ?_s ?p ?n BIND(\"f\" AS ?d) }} "
                     f"UNION {{ VALUES ?n {{ {values} }} ?n ?p ?_o BIND(\"i\" AS ?d) }} }}")
            for node in resources[start:start + _CHUNK]:
                self._links[node] = {"f": set(), "i": set()}
            for row in self.source.query(query):
                self._links[row["n"]][row["d"].value].add(row["p"])

    def _literal_ends(self, nodes: list[Term], walks: list[str]) -> set[tuple[Term, str]]:
        """(literal, walk) pairs where the literal is the object of a predicate along
        which the walk can arrive at a literal and step back from it."""
        found = [n for n in nodes if isinstance(n, ox.Literal)]
        turns = {p for w in walks for p in self._via_literals.get(w, ())}
        if not found or not turns:
            return set()
        values = " ".join(str(n) for n in found)
        # one branch per predicate, the literal in VALUES: with the predicate in VALUES
        # too, or the literal written as a constant, Oxigraph scans the data.
        branches = " UNION ".join(f"{{ VALUES ?l {{ {values} }} ?_s {p} ?l BIND({p} AS ?p) }}" for p in sorted(turns, key=str))
        objects = {(row["l"], row["p"]) for row in self.source.query(f"SELECT DISTINCT ?l ?p WHERE {{ {branches} }}")}
        return {(lit, w) for lit, p in objects for w in walks if p in self._via_literals.get(w, ())}

    def _declared_reach(self, constraint: Term) -> Path | ox.NamedNode | None:
        """The aims:reach of a sh:sparql node: a path with all its prefixes, None for
        sh:this (the query reads the focus node's own triples only), or ANY_NODE
        (declared, or no aims:reach at all)."""
        values = self.graph.index.objects(constraint, REACH)
        if not values or ANY_NODE in values:
            return ANY_NODE
        paths = [v for v in values if v != SH_THIS]
        try:
            return alternative([prefixes(parse_path(self.graph.index, v)) for v in paths]) if paths else None
        except PathError as err:
            raise ShapesError(f"aims:reach of SPARQL constraint {constraint}: {err}") from err

    def _value_checks(self, shape: Shape) -> list[_ValueCheck]:
        """The constraints of ``shape`` (or of its direct sh:property shapes, which share
        its focus nodes) that can be re-checked per (focus node, value node) pair."""
        properties = [shape] if shape.path is not None else [self.graph.shapes[p] for p in shape.properties]
        out = []
        for prop in properties:
            if prop.path is None or prop.deactivated:
                continue
            for c in prop.constraints:
                if c.kind not in _PER_VALUE:
                    continue
                try:
                    checks = Compiler(self.graph).checks(prop, c)
                except Unsupported:
                    continue
                head = f"?this {prop.path.sparql()} ?_v ."
                if not checks or any(ch.value != "?_v" or not ch.pattern.startswith(head) for ch in checks):
                    continue
                nested = [w for n in _constraint_shapes(c) if (w := self._core_walk(n)) is not None]
                walk = alternative(nested) if nested else None
                back = prop.path if walk is None else alternative([prop.path, Sequence((prop.path, walk))])
                full = [f for n in _constraint_shapes(c) if (f := self._full_path(n)) is not None]
                full_walk = alternative(full) if full else None
                full_back = prop.path if full_walk is None else Sequence((prop.path, full_walk))
                out.append(_ValueCheck(prop, c, checks, self._text(walk, full_walk), self._text(back, full_back)))
        return out

    def _core_walk(self, node: Term, depth: int = 0, skip: set = frozenset()) -> Path | None:
        """Walk from a focus node of shape ``node`` to every node whose own triples
        its SHACL Core constraints read, beyond the focus node itself (None: none).
        Constraints in ``skip`` ((shape, id(constraint)) pairs) are left out: they are
        re-checked per value node.  The shapes are known not to be recursive here
        (recursion means fallback)."""
        shape = self.graph.shapes[node]
        if shape.deactivated or depth > 50:
            return None
        kept = [c for c in shape.constraints if (shape.node, id(c)) not in skip]
        nested = list(shape.properties) + [n for c in kept for n in _constraint_shapes(c, self.graph, shape)]
        on_values = [w for n in nested
                     if (w := self._core_walk(n, depth + 1, skip if n in shape.properties else frozenset())) is not None]
        reads_values = bool(nested) or any(c.kind in _READS_VALUES for c in kept)
        if shape.path is None:
            return alternative(on_values) if on_values else None
        walks = [w for w in [_inner_nodes(shape.path)] if w is not None]
        if reads_values:
            walks.append(shape.path)
            walks += [Sequence((shape.path, w)) for w in on_values]
        return alternative(walks) if walks else None


def _inner_nodes(path: Path) -> Path | None:
    """A path reaching the near end of every edge a walk along ``path`` crosses,
    other than the start node (None: the start node is the only one)."""
    if isinstance(path, Predicate):
        return None
    if isinstance(path, Inverse):
        inner = path.path
        return None if isinstance(inner, Predicate) else _inner_nodes(inverse(inner))
    if isinstance(path, Repeat):
        if path.operator == "?":
            return _inner_nodes(path.path)
        star = Repeat(path.path, "*")
        deeper = _inner_nodes(path.path)
        return star if deeper is None else alternative([star, Sequence((star, deeper))])
    if isinstance(path, Sequence):
        first, rest = path.steps[0], path.steps[1:]
        tail = rest[0] if len(rest) == 1 else Sequence(rest)
        options = [w for w in (_inner_nodes(first),) if w is not None]
        after = _inner_nodes(tail)
        options.append(first if after is None else alternative([first, Sequence((first, after))]))
        return alternative(options)
    options = [w for o in path.options if (w := _inner_nodes(o)) is not None]
    return alternative(options) if options else None


def _kinds(path: Path) -> tuple[set, set, set, bool]:
    """(first steps, last steps, turns, can be empty) of a path.  Steps are ("f", p)
    for a forward and ("i", p) for an inverse step along predicate p; the turns are
    the predicates of forward steps directly followed by an inverse step: where a
    walk can arrive at a literal and step back from it along another triple."""
    if isinstance(path, Predicate):
        return {("f", path.iri)}, {("f", path.iri)}, set(), False
    if isinstance(path, Inverse):
        if isinstance(path.path, Predicate):
            return {("i", path.path.iri)}, {("i", path.path.iri)}, set(), False
        return _kinds(inverse(path.path))
    if isinstance(path, Repeat):
        first, last, turns, _ = _kinds(path.path)
        if path.operator != "?":
            turns = turns | _turns(last, first)
        return first, last, turns, path.operator in "*?"
    if isinstance(path, Sequence):
        first: set = set()
        last: set = set()
        turns: set = set()
        empty = True
        for step in path.steps:
            s_first, s_last, s_turns, s_empty = _kinds(step)
            turns |= s_turns | _turns(last, s_first)
            if empty:
                first |= s_first
            last = (last | s_last) if s_empty else set(s_last)
            empty = empty and s_empty
        return first, last, turns, empty
    parts = [_kinds(o) for o in path.options]
    return (set().union(*(p[0] for p in parts)), set().union(*(p[1] for p in parts)),
            set().union(*(p[2] for p in parts)), any(p[3] for p in parts))


def _turns(last: set, first: set) -> set:
    """Forward predicates in ``last`` when ``first`` holds an inverse step."""
    if not any(kind == "i" for kind, _ in first):
        return set()
    return {p for kind, p in last if kind == "f"}


def _constraint_shapes(c: Constraint, graph: ShapesGraph | None = None, shape: Shape | None = None) -> list[Term]:
    """Shapes that constraint ``c`` checks its value nodes against."""
    if c.kind in ("Node", "Not"):
        return [c.arg]
    if c.kind in ("And", "Or", "Xone"):
        return list(c.arg)
    if c.kind in ("QualifiedMinCount", "QualifiedMaxCount"):
        out = [c.arg[0]]
        if c.option("disjoint") and graph is not None and shape is not None:
            out.extend(graph.siblings(shape.node, c.arg[0]))
        return out
    return []


def _target_test(shape: Shape, var: str) -> str:
    """A SPARQL expression: the node bound to ``var`` is a target of ``shape``."""
    t = shape.targets
    tests = [f"EXISTS {{ {var} {RDF_TYPE}/{RDFS_SUBCLASS_OF}* {c} }}" for c in t.classes]
    tests += [f"sameTerm({var}, {n})" for n in t.nodes]
    tests += [f"EXISTS {{ {var} {p} ?_to }}" for p in t.subjects_of]
    tests += [f"EXISTS {{ ?_ts {p} {var} }}" for p in t.objects_of]
    return " || ".join(tests) or "false"


class _Membership:
    """Which of a few nodes are targets of which shapes (one query, after the write)."""

    def __init__(self, source: SparqlSource, graph: ShapesGraph, nodes: set[Term]) -> None:
        self.classes: dict[Term, set[Term]] = {}
        self.subject_of: dict[Term, set[Term]] = {}
        self.object_of: dict[Term, set[Term]] = {}
        targeted = graph.targeted
        subject_preds = sorted({p for s in targeted for p in s.targets.subjects_of}, key=str)
        object_preds = sorted({p for s in targeted for p in s.targets.objects_of}, key=str)
        has_classes = any(s.targets.classes for s in targeted)
        listed = sorted(nodes, key=str)
        for start in range(0, len(listed), _CHUNK):
            chunk = listed[start:start + _CHUNK]
            values = " ".join(str(n) for n in chunk)
            # A literal has no type and no triples of its own; it can only be the
            # object of a triple (and looking it up as a subject is slow in Oxigraph).
            resources = " ".join(str(n) for n in chunk if not isinstance(n, ox.Literal))
            # VALUES ?x inside every branch (a UNION branch is evaluated on its own) and
            # one branch per predicate: with the predicates in a VALUES block too,
            # Oxigraph scanned the data (80 ms instead of 0.4 ms at 5,000 systems).
            branches = []
            if has_classes and resources:
                branches.append(f"{{ VALUES ?x {{ {resources} }} ?x {RDF_TYPE}/{RDFS_SUBCLASS_OF}* ?v . BIND(\"c\" AS ?k) }}")
            branches += [f"{{ VALUES ?x {{ {resources} }} FILTER EXISTS {{ ?x {p} ?_o }} BIND({p} AS ?v) BIND(\"s\" AS ?k) }}"
                         for p in subject_preds if resources]
            branches += [f"{{ VALUES ?x {{ {values} }} FILTER EXISTS {{ ?_s {p} ?x }} BIND({p} AS ?v) BIND(\"o\" AS ?k) }}"
                         for p in object_preds]
            if not branches:
                continue
            query = f"SELECT DISTINCT ?x ?k ?v WHERE {{ {' UNION '.join(branches)} }}"
            table = {"c": self.classes, "s": self.subject_of, "o": self.object_of}
            for row in source.query(query):
                table[row["k"].value].setdefault(row["x"], set()).add(row["v"])

    def is_target(self, node: Term, shape: Shape) -> bool:
        t = shape.targets
        return (
            node in t.nodes
            or bool(self.classes.get(node, set()).intersection(t.classes))
            or bool(self.subject_of.get(node, set()).intersection(t.subjects_of))
            or bool(self.object_of.get(node, set()).intersection(t.objects_of))
        )
