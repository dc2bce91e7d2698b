"""SPARQL expressions (FILTER, BIND, SELECT, GROUP BY, ORDER BY, HAVING): grammar rules
Expression to PrimaryExpression, the built-in calls with their argument counts, and
aggregates.  Each level of parentheses costs a bounded number of Python frames, and
the reader's depth limit bounds the levels."""

from __future__ import annotations

from typing import Callable

from aims_graph.sparql.reader import Reader
from aims_graph.sparql.terms import quoted

_ARGUMENTS: dict[str, tuple[int, int | None]] = {
    **dict.fromkeys(["STR", "LANG", "DATATYPE", "IRI", "URI", "ABS", "CEIL", "FLOOR", "ROUND",
                     "STRLEN", "UCASE", "LCASE", "ENCODE_FOR_URI", "YEAR", "MONTH", "DAY",
                     "HOURS", "MINUTES", "SECONDS", "TIMEZONE", "TZ", "MD5", "SHA1", "SHA256",
                     "SHA384", "SHA512", "ISIRI", "ISURI", "ISBLANK", "ISLITERAL", "ISNUMERIC"], (1, 1)),
    **dict.fromkeys(["LANGMATCHES", "CONTAINS", "STRSTARTS", "STRENDS", "STRBEFORE", "STRAFTER",
                     "STRLANG", "STRDT", "SAMETERM"], (2, 2)),
    **dict.fromkeys(["RAND", "NOW", "UUID", "STRUUID"], (0, 0)),
    **dict.fromkeys(["CONCAT", "COALESCE"], (0, None)),
    "IF": (3, 3), "REGEX": (2, 3), "SUBSTR": (2, 3), "REPLACE": (3, 4), "BNODE": (0, 1),
}
_AGGREGATES = frozenset({"COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT"})
BUILT_INS = frozenset({*_ARGUMENTS, *_AGGREGATES, "BOUND", "EXISTS", "NOT"})
_COMPARISONS = frozenset({"=", "!=", "<", ">", "<=", ">="})


class Expressions(Reader):
    group_graph_pattern: Callable[[], None]  # EXISTS { ... }: defined with the patterns

    def expression(self) -> None:
        self._and()
        while self.accept("||"):
            self._and()

    def _and(self) -> None:
        self._relational()
        while self.accept("&&"):
            self._relational()

    def _relational(self) -> None:
        self._additive()
        token = self.peek()
        if token.key in _COMPARISONS:
            self.consume()
        elif token.kind == "IRI":  # "<" after an operand is "less than"
            less = self.lexer.less_than_instead()
            assert less is not None
            self.out.append(less.text)
        elif self.accept("IN"):
            self.arguments("IN", 0, None)
            return
        elif self.accept("NOT"):
            self.expect("IN", "IN after NOT")
            self.arguments("NOT IN", 0, None)
            return
        else:
            return
        self._additive()

    def _additive(self) -> None:
        self._multiplicative()
        while True:
            token = self.peek()
            if token.key in {"+", "-"}:
                self.consume()
                self._multiplicative()
            elif token.key in {"integer", "decimal", "double"} and token.text[0] in "+-":
                # "?a -1" is ?a plus the literal -1: written as "?a - 1", the same value.
                self.lexer.advance()
                self.out += [token.text[0], token.text[1:]]
                while self.at("*", "/"):
                    self.consume()
                    self._unary()
            else:
                return

    def _multiplicative(self) -> None:
        self._unary()
        while self.at("*", "/"):
            self.consume()
            self._unary()

    def _unary(self) -> None:
        if self.at("!", "+", "-"):
            self.consume()
        self._primary()

    def _primary(self) -> None:
        token = self.peek()
        if token.key == "(":
            self.bracketted()
        elif token.kind == "WORD" and token.key in BUILT_INS:
            self.built_in()
        elif self.at_iri():
            self.iri()
            if self.at("("):
                self.function_arguments()
        elif token.kind == "VAR":
            self.var()
        elif self.at_term() and token.kind != "BNODE":
            self.value()
        else:
            self.fail("an expression")

    def bracketted(self) -> None:
        self.expect("(")
        self.expression()
        self.expect(")")

    def constraint(self) -> None:
        """FILTER, HAVING and ORDER BY: (expression), a built-in or a function call."""
        if self.at("("):
            self.bracketted()
        elif self.peek().kind == "WORD" and self.peek().key in BUILT_INS:
            self.built_in()
        elif self.at_iri():
            self.iri()
            self.function_arguments()
        else:
            self.fail("a bracketed expression, a built-in call or a function call")

    def at_constraint(self) -> bool:
        token = self.peek()
        return token.key == "(" or token.kind in {"IRI", "PNAME"} or (
            token.kind == "WORD" and token.key in BUILT_INS)

    def open_call(self, name: str) -> None:
        """The ``(`` after a function's name, written against it: the engine reads
        ``CONCAT (`` with a space as no call at all."""
        self.expect("(", f"( after {name}")
        opening = self.out.pop()
        self.out[-1] += opening

    def function_arguments(self) -> None:
        self.open_call("the function")
        if self.accept(")"):
            return
        self.accept("DISTINCT")
        self.expression()
        while self.accept(","):
            self.expression()
        self.expect(")", "',' or ')'")

    def arguments(self, name: str, least: int, most: int | None) -> None:
        start = self.peek()
        self.open_call(name)
        given = 0
        if not self.at(")"):
            self.expression()
            given = 1
            while self.accept(","):
                self.expression()
                given += 1
        self.expect(")", "',' or ')'")
        if given < least or (most is not None and given > most):
            wanted = str(least) if least == most else f"{least} to {most if most is not None else 'any'}"
            raise self.error(f"{name} takes {wanted} arguments, not {given}", start)

    def built_in(self) -> None:
        name = self.consume().key
        if name in _ARGUMENTS:
            self.arguments(name, *_ARGUMENTS[name])
        elif name in _AGGREGATES:
            self._aggregate(name)
        elif name == "BOUND":
            self.open_call("BOUND")
            self.var()
            self.expect(")")
        elif name == "NOT":
            self.expect("EXISTS", "EXISTS after NOT")
            self.group_graph_pattern()
        else:  # EXISTS
            self.group_graph_pattern()

    def _aggregate(self, name: str) -> None:
        self.open_call(name)
        self.accept("DISTINCT")
        if not (name == "COUNT" and self.accept("*")):
            self.expression()
        if name == "GROUP_CONCAT" and self.accept(";"):
            self.expect("SEPARATOR", "SEPARATOR")
            self.expect("=")
            self.out.append(quoted(self.string()))
        self.expect(")")
