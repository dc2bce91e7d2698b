"""SPARQL 1.1 Query and Update (W3C recommendation, section 19) read into a
``ParsedRequest``: the request re-serialised, and what it does.

A hand-written recursive-descent parser: the grammar is LL(1), so it reads each token
once (linear time), and its recursion is bounded by the nesting-depth limit, checked on
tokens as they are read.  rdflib's parser was not an option: it is quadratic.
"""

from __future__ import annotations

from dataclasses import dataclass

from aims_graph.sparql.analysis import ANY_GRAPH, DEFAULT, Operation, ParsedRequest, Quad
from aims_graph.sparql.errors import SparqlSyntaxError
from aims_graph.sparql.lexer import decode_escapes
from aims_graph.sparql.patterns import Patterns
from aims_graph.sparql.terms import BNode, Iri, Literal, Var

QUERY_FORMS = frozenset({"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"})
_UPDATES = "INSERT, DELETE, WITH, LOAD, CLEAR, DROP, CREATE, ADD, MOVE or COPY"


@dataclass(frozen=True)
class Limits:
    """What a text may cost before it is read: its size in UTF-8 bytes, and how deep
    ``{``, ``(`` and ``[`` may nest (the engine's own parser recurses on them)."""

    max_bytes: int = 1024 * 1024
    max_depth: int = 64


def parse(text: str, limits: Limits = Limits()) -> ParsedRequest:
    """Read a query or an update; ``SparqlSyntaxError`` says what is wrong and where."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > limits.max_bytes:
        raise SparqlSyntaxError(f"the request is {size:,} bytes long; at most {limits.max_bytes:,} are read")
    parser = _Parser(decode_escapes(text), limits.max_depth)
    try:
        return parser.request()
    except RecursionError:  # only if the depth limit was configured above what Python allows
        raise SparqlSyntaxError("the request is nested too deeply to be read") from None


class _Parser(Patterns):
    def request(self) -> ParsedRequest:
        self.prologue()
        form = self.peek().key if self.at(*QUERY_FORMS) else None
        operations: tuple[Operation, ...] = ()
        if form is not None:
            self._query(form)
        else:
            operations = self._update()
        if not self.at("eof"):
            self.fail("the end of the request" if form else "';' or the end of the request")
        return ParsedRequest(" ".join(self.out), form, operations, tuple(self.services),
                             frozenset(self.graphs_read), self.deepest)

    # -- queries ------------------------------------------------------------------------

    def _query(self, form: str) -> None:
        if form == "SELECT":
            self.select_clause()
        else:
            self.consume()
        if form == "CONSTRUCT" and not self.at("{"):  # CONSTRUCT WHERE { template }
            self._datasets()
            self.expect("WHERE", "{ or WHERE")
            self._template_block()
        else:
            if form == "CONSTRUCT":
                self._template_block()
            elif form == "DESCRIBE" and not self.accept("*"):
                if not self.at("var", "iri", "pname"):
                    self.fail("'*', a variable or an IRI")
                while self.at("var", "iri", "pname"):
                    self.var_or_iri()
            self._datasets()
            if form != "DESCRIBE" or self.at("WHERE", "{"):
                self.where_clause()
        self.solution_modifier()
        self.values_clause()

    def _datasets(self) -> None:
        while self.accept("FROM"):
            self.accept("NAMED")
            self.graphs_read.add(self.iri().value)

    def _template_block(self) -> None:
        self.expect("{")
        self.triples_template()
        self.expect("}", "'.' or '}'")

    # -- updates ------------------------------------------------------------------------

    def _update(self) -> tuple[Operation, ...]:
        if self.at("eof"):
            return ()
        operations = [self._operation()]
        while self.accept(";"):
            self.prologue()
            if self.at("eof"):
                self.out.pop()  # a trailing ";": nothing follows it
                break
            operations.append(self._operation())
        return tuple(operations)

    def _operation(self) -> Operation:
        keyword = self.peek().key
        if keyword not in {"INSERT", "DELETE", "WITH", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY"}:
            self.fail(f"SELECT, ASK, CONSTRUCT, DESCRIBE or an update ({_UPDATES})")
        if keyword == "WITH":
            return self._modify(None)
        self.consume()
        if keyword in {"INSERT", "DELETE"}:
            if self.accept("DATA"):
                return self._data(f"{keyword} DATA")
            if keyword == "DELETE" and self.accept("WHERE"):
                graphs, _ = self._quads(DEFAULT, "DELETE WHERE")
                return Operation("DELETE WHERE", frozenset(graphs), frozenset(graphs))
            return self._modify(keyword)
        silent = self.accept("SILENT")
        del silent  # SILENT changes what the engine reports, not what it touches
        if keyword == "LOAD":
            source = self.iri().value
            target = DEFAULT
            if self.accept("INTO"):
                self.expect("GRAPH", "GRAPH after INTO")
                target = self.iri().value
            return Operation("LOAD", frozenset({target}), frozenset(), loads=(source,))
        if keyword in {"CLEAR", "DROP"}:
            return Operation(keyword, frozenset({self._graph_ref_all()}), frozenset())
        if keyword == "CREATE":
            self.expect("GRAPH", "GRAPH after CREATE")
            return Operation("CREATE", frozenset({self.iri().value}), frozenset())
        source = self._graph_or_default()
        self.expect("TO", "TO")
        target = self._graph_or_default()
        written = {source, target} if keyword == "MOVE" else {target}  # MOVE empties its source
        return Operation(keyword, frozenset(written), frozenset({source}))

    def _graph_ref_all(self) -> str:
        if self.accept("DEFAULT"):
            return DEFAULT
        if self.accept("NAMED") or self.accept("ALL"):
            return ANY_GRAPH
        self.expect("GRAPH", "GRAPH, DEFAULT, NAMED or ALL")
        return self.iri().value

    def _graph_or_default(self) -> str:
        if self.accept("DEFAULT"):
            return DEFAULT
        self.accept("GRAPH")
        return self.iri().value

    def _data(self, kind: str) -> Operation:
        graphs, quads = self._quads(DEFAULT, kind)
        variable = next((term for quad in quads for term in quad[:3] if isinstance(term, Var)), None)
        if variable is not None:
            raise self.error(f"{kind} takes no variables ({variable.sparql()})")
        if any(isinstance(quad[0], Literal) for quad in quads):
            raise self.error(f"{kind}: a literal cannot be the subject of a triple")
        return Operation(kind, frozenset(graphs), frozenset(), quads=tuple(quads))

    def _modify(self, started: str | None) -> Operation:
        """``WITH g? DELETE {..}? INSERT {..}? USING* WHERE {..}``; ``started`` is the
        keyword already read (INSERT or DELETE), None when the operation began with WITH."""
        target = DEFAULT
        if started is None:
            self.consume()
            target = self.iri().value
            if not self.at("INSERT", "DELETE"):
                self.fail("DELETE or INSERT")
            started = self.consume().key
        written, _ = self._quads(target, f"{started} template")
        if started == "DELETE" and self.accept("INSERT"):
            written |= self._quads(target, "INSERT template")[0]
        using: set[str] = set()
        while self.accept("USING"):
            self.accept("NAMED")
            using.add(self.iri().value)
        self.expect("WHERE", "USING or WHERE")
        outer, self.graphs_read = self.graphs_read, set()
        self.group_graph_pattern()
        reads = (using or {target}) | self.graphs_read
        self.graphs_read = outer | self.graphs_read
        return Operation("MODIFY", frozenset(written), frozenset(reads))

    def _quads(self, default: str, kind: str) -> tuple[set[str], list[Quad]]:
        """A ``{ quads }`` block: the graphs it names and its quads.  ``default`` is where
        triples outside GRAPH go; a GRAPH variable may be any graph."""
        start = self.peek()
        self.expect("{", "{")
        graphs: set[str] = set()
        quads: list[Quad] = []
        self.triples = []
        if self.at_triples():
            graphs.add(default)
            self.triples_template()
            quads += [(*triple, default) for triple in self.triples]
        while self.accept("GRAPH"):
            graph = self.var_or_iri()
            if isinstance(graph, Var) and "DATA" in kind:
                raise self.error(f"{kind} takes no variables ({graph.sparql()})", start)
            name = graph.value if isinstance(graph, Iri) else ANY_GRAPH
            graphs.add(name)
            self.expect("{")
            self.triples = []
            self.triples_template()
            quads += [(*triple, name) for triple in self.triples]
            self.expect("}", "'.' or '}'")
            self.accept(".")
            if self.at_triples():
                graphs.add(default)
                self.triples = []
                self.triples_template()
                quads += [(*triple, default) for triple in self.triples]
        self.triples = None
        self.expect("}", "'.', GRAPH or '}'")
        if kind.startswith("DELETE") and any(isinstance(term, BNode) for quad in quads for term in quad[:3]):
            raise self.error(f"{kind} takes no blank nodes", start)
        return graphs, quads
