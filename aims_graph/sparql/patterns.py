"""Graph patterns, triples, property paths and the SELECT clauses a sub-select needs.

While reading, the parser notes what the guard needs: every SERVICE target and every
graph a GRAPH pattern names (``ANY_GRAPH`` for a variable).  Triples are kept only where
the caller asks for them (``self.triples`` set to a list), for the quads of an update.
"""

from __future__ import annotations

from typing import Callable

from aims_graph.sparql.analysis import ANY_GRAPH
from aims_graph.sparql.expressions import Expressions
from aims_graph.sparql.terms import RDF_FIRST, RDF_NIL, RDF_REST, Iri, Term

_NOT_TRIPLES = frozenset({"{", "OPTIONAL", "MINUS", "GRAPH", "SERVICE", "FILTER", "BIND", "VALUES"})
Triple = tuple[Term, Term, Term]


class Patterns(Expressions):
    def __init__(self, text: str, max_depth: int) -> None:
        super().__init__(text, max_depth)
        self.services: list[str] = []
        self.graphs_read: set[str] = set()
        self.triples: list[Triple] | None = None

    # -- group graph patterns -----------------------------------------------------------

    def group_graph_pattern(self) -> None:
        self.expect("{")
        if self.at("SELECT"):
            self.sub_select()
        else:
            self._group_graph_pattern_sub()
        self.expect("}", "a graph pattern or '}'")

    def _group_graph_pattern_sub(self) -> None:
        self._triples_block()
        while self.at(*_NOT_TRIPLES):
            self._graph_pattern_not_triples()
            self.accept(".")
            self._triples_block()

    def _triples_block(self) -> None:
        while self.at_triples():
            self.triples_same_subject(path=True)
            if not self.accept("."):
                return

    def _graph_pattern_not_triples(self) -> None:
        keyword = self.peek().key
        if keyword == "{":
            self.group_graph_pattern()
            while self.accept("UNION"):
                self.group_graph_pattern()
            return
        self.consume()
        if keyword in {"OPTIONAL", "MINUS"}:
            self.group_graph_pattern()
        elif keyword == "GRAPH":
            graph = self.var_or_iri()
            self.graphs_read.add(graph.value if isinstance(graph, Iri) else ANY_GRAPH)
            self.group_graph_pattern()
        elif keyword == "SERVICE":
            self.accept("SILENT")
            target = self.var_or_iri()
            self.services.append(target.value if isinstance(target, Iri) else target.sparql())
            self.group_graph_pattern()
        elif keyword == "FILTER":
            self.constraint()
        elif keyword == "BIND":
            self.expect("(", "( after BIND")
            self.expression()
            self.expect("AS", "AS")
            self.var()
            self.expect(")")
        else:  # VALUES
            self.data_block()

    # -- triples ------------------------------------------------------------------------

    def at_triples(self) -> bool:
        return self.at_term() or self.at("(", "[")

    def triples_template(self) -> None:
        """Triples of a template or of data: no property paths."""
        while self.at_triples():
            self.triples_same_subject(path=False)
            if not self.accept("."):
                return

    def triples_same_subject(self, path: bool) -> None:
        if self.at("(", "["):
            subject, described = self._node(path)
            if described and not self.at_verb(path):  # "[ :p :o ]" alone is a pattern
                return
        else:
            subject = self.var_or_term()
        self._property_list(subject, path)

    def _property_list(self, subject: Term, path: bool) -> None:
        self._objects(subject, self._verb(path), path)
        while self.accept(";"):
            if self.at_verb(path):
                self._objects(subject, self._verb(path), path)

    def at_verb(self, path: bool) -> bool:
        if self.at("var", "iri", "pname") or self.at_word("a"):
            return True
        return path and self.at("!", "(", "^")

    def _verb(self, path: bool) -> Term | None:
        """The predicate; None for a property path that is more than one IRI."""
        if self.at("var"):
            return self.var()
        if path:
            return self._path()
        if self.at_word("a"):
            return self.verb_a()
        return self.iri()

    def _objects(self, subject: Term, predicate: Term | None, path: bool) -> None:
        while True:
            term = self._graph_node(path)
            if self.triples is not None and predicate is not None:
                self.triples.append((subject, predicate, term))
            if not self.accept(","):
                return

    def _graph_node(self, path: bool) -> Term:
        if self.at("(", "["):
            return self._node(path)[0]
        return self.var_or_term()

    def _node(self, path: bool) -> tuple[Term, bool]:
        """``()``, ``[]``, a collection or ``[ property list ]``, and whether it described
        itself (a collection or a non-empty property list: no verb needs to follow)."""
        if self.consume().text == "(":
            if self.accept(")"):
                return RDF_NIL, False
            head = node = self.fresh_bnode()
            while True:
                item = self._graph_node(path)
                self._keep(node, RDF_FIRST, item)
                if self.accept(")"):
                    self._keep(node, RDF_REST, RDF_NIL)
                    return head, True
                following = self.fresh_bnode()
                self._keep(node, RDF_REST, following)
                node = following
        node = self.fresh_bnode()
        if self.accept("]"):
            return node, False
        self._property_list(node, path)
        self.expect("]", "';' or ']'")
        return node, True

    def _keep(self, subject: Term, predicate: Term, term: Term) -> None:
        if self.triples is not None:
            self.triples.append((subject, predicate, term))

    # -- property paths -----------------------------------------------------------------

    def _path(self) -> Iri | None:
        first = self._path_sequence()
        if not self.at("|"):
            return first
        while self.accept("|"):
            self._path_sequence()
        return None

    def _path_sequence(self) -> Iri | None:
        first = self._path_element()
        if not self.at("/"):
            return first
        while self.accept("/"):
            self._path_element()
        return None

    def _path_element(self) -> Iri | None:
        inverse = self.accept("^")
        primary = self._path_primary()
        if self.at("?", "*", "+"):
            self.consume()
            return None
        return None if inverse else primary

    def _path_primary(self) -> Iri | None:
        if self.at_word("a"):
            return self.verb_a()
        if self.accept("!"):
            if not self.accept("("):
                self._path_one_in_set()
            elif not self.accept(")"):
                self._path_one_in_set()
                while self.accept("|"):
                    self._path_one_in_set()
                self.expect(")", "'|' or ')'")
            return None
        if self.accept("("):
            self._path()
            self.expect(")")
            return None
        return self.iri()

    def _path_one_in_set(self) -> None:
        self.accept("^")
        if self.at_word("a"):
            self.verb_a()
        else:
            self.iri()

    # -- SELECT clauses, also used by sub-selects ----------------------------------------

    def sub_select(self) -> None:
        self.select_clause()
        self.where_clause()
        self.solution_modifier()
        self.values_clause()

    def select_clause(self) -> None:
        self.expect("SELECT")
        if not self.accept("DISTINCT"):
            self.accept("REDUCED")
        if self.accept("*"):
            return
        if not self.at("var", "("):
            self.fail("'*', a variable or (expression AS ?variable)")
        while self.at("var", "("):
            if self.at("var"):
                self.var()
            else:
                self.consume()
                self.expression()
                self.expect("AS", "AS")
                self.var()
                self.expect(")")

    def where_clause(self) -> None:
        self.accept("WHERE")
        self.group_graph_pattern()

    def solution_modifier(self) -> None:
        if self.accept("GROUP"):
            self.expect("BY", "BY after GROUP")
            self._one_or_more(self._group_condition, self._at_group_condition, "a grouping condition")
        if self.accept("HAVING"):
            self._one_or_more(self.constraint, self.at_constraint, "a HAVING condition")
        if self.accept("ORDER"):
            self.expect("BY", "BY after ORDER")
            self._one_or_more(self._order_condition, self._at_order_condition, "an ordering condition")
        for first, second in (("LIMIT", "OFFSET"), ("OFFSET", "LIMIT")):
            if self.accept(first):
                self._count()
                if self.accept(second):
                    self._count()
                return

    def _one_or_more(self, read: Callable[[], object], present: Callable[[], bool], what: str) -> None:
        if not present():
            self.fail(what)
        while present():
            read()

    def _at_group_condition(self) -> bool:
        return self.at("var") or self.at_constraint()

    def _group_condition(self) -> None:
        if self.at("var"):
            self.var()
        elif self.accept("("):
            self.expression()
            if self.accept("AS"):
                self.var()
            self.expect(")")
        else:
            self.constraint()

    def _at_order_condition(self) -> bool:
        return self.at("ASC", "DESC") or self._at_group_condition()

    def _order_condition(self) -> None:
        if self.accept("ASC") or self.accept("DESC"):
            self.bracketted()
        elif self.at("var"):
            self.var()
        else:
            self.constraint()

    def _count(self) -> None:
        token = self.peek()
        if token.kind != "INTEGER" or not token.text[0].isdigit():
            self.fail("a whole number")
        self.consume()

    def values_clause(self) -> None:
        if self.accept("VALUES"):
            self.data_block()

    def data_block(self) -> None:
        if self.at("var"):
            self.var()
            self.expect("{")
            while not self.accept("}"):
                self._data_value()
            return
        width = 0
        self.expect("(", "a variable or ( after VALUES")
        while self.at("var"):
            self.var()
            width += 1
        self.expect(")", "a variable or ')'")
        self.expect("{")
        while self.at("("):
            row = self.consume()
            given = 0
            while not self.accept(")"):
                self._data_value()
                given += 1
            if given != width:
                raise self.error(f"a VALUES row of {given} values for {width} variables", row)
        self.expect("}", "( or '}'")

    def _data_value(self) -> None:
        if not self.accept("UNDEF"):
            if not self.at_term() or self.at("var", "bnode"):
                self.fail("an IRI, a literal or UNDEF")
            self.value()

