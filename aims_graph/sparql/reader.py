"""The parser's foundation: the token cursor, the re-serialised output, nesting depth,
prefixes and BASE, and the RDF terms.

Every token the grammar accepts is written to ``out`` in canonical form as it is
consumed (the prologue is not: its declarations are applied to the IRIs instead), so
that the text sent to the engine is made of exactly the tokens that were checked.
"""

from __future__ import annotations

from itertools import count

from aims_graph.rdf.namespaces import XSD
from aims_graph.sparql.errors import SparqlSyntaxError
from aims_graph.sparql.iri import is_absolute, resolve
from aims_graph.sparql.lexer import Lexer, Token, pname_parts, string_value
from aims_graph.sparql.terms import RDF_TYPE, BNode, Iri, Literal, Term, Var

_OPENING = frozenset("{([")
_CLOSING = frozenset("})]")
_NUMBERS = {"integer": XSD + "integer", "decimal": XSD + "decimal", "double": XSD + "double"}
_TERM_KINDS = frozenset({"var", "iri", "pname", "string", "long_string", "bnode", *_NUMBERS})


class Reader:
    def __init__(self, text: str, max_depth: int) -> None:
        self.lexer = Lexer(text)
        self.out: list[str] = []
        self.max_depth = max_depth
        self.depth = 0
        self.deepest = 0
        self.prefixes: dict[str, str] = {}
        self.base: str | None = None
        self._fresh = count()

    # -- the cursor ---------------------------------------------------------------------

    def peek(self) -> Token:
        return self.lexer.peek()

    def at(self, *keys: str) -> bool:
        return self.lexer.peek().key in keys

    def at_word(self, word: str) -> bool:
        """A case-sensitive keyword (``a``, ``true``, ``false``), as the engine reads them."""
        token = self.lexer.peek()
        return token.kind == "WORD" and token.text == word

    def consume(self) -> Token:
        """Take the next token and write its canonical form."""
        token = self.lexer.advance()
        self._nest(token.text if token.kind == "PUNCT" else "")
        if token.kind == "WORD":
            self.out.append(token.text if token.text in {"a", "true", "false"} else token.text.upper())
        elif token.kind == "VAR":
            self.out.append("?" + token.text[1:])
        else:
            self.out.append(token.text)
        return token

    def accept(self, key: str) -> bool:
        if self.at(key):
            self.consume()
            return True
        return False

    def expect(self, key: str, what: str | None = None) -> Token:
        if not self.at(key):
            self.fail(what or repr(key))
        return self.consume()

    def fail(self, expected: str) -> None:
        token = self.peek()
        found = "the end of the text" if token.kind == "EOF" else repr(token.text[:40])
        raise self.error(f"expected {expected}, found {found}", token)

    def error(self, message: str, token: Token | None = None) -> SparqlSyntaxError:
        offset = (token or self.peek()).start
        return SparqlSyntaxError(message, *self.lexer.where(offset))

    def _nest(self, punctuation: str) -> None:
        if punctuation in _OPENING:
            self.depth += 1
            if self.depth > self.max_depth:
                raise self.error(f"nested deeper than {self.max_depth} levels of {{, ( and [")
            self.deepest = max(self.deepest, self.depth)
        elif punctuation in _CLOSING:
            self.depth -= 1

    # -- prologue -----------------------------------------------------------------------

    def prologue(self) -> None:
        """BASE and PREFIX declarations: applied to later IRIs, not written out."""
        while self.at("BASE", "PREFIX"):
            keyword = self.lexer.advance().key
            if keyword == "PREFIX":
                name = self.peek()
                if name.kind != "PNAME" or not name.text.endswith(":"):
                    self.fail("a prefix name such as ex:")
                self.lexer.advance()
            iri = self.peek()
            if iri.kind != "IRI":
                self.fail("an IRI in <...>")
            self.lexer.advance()
            value = self.absolute(iri.text[1:-1], iri)
            if keyword == "BASE":
                self.base = value
            else:
                self.prefixes[name.text[:-1]] = value

    def absolute(self, reference: str, token: Token) -> str:
        if is_absolute(reference):
            return reference
        if self.base is None:
            raise self.error(f"relative IRI <{reference}> with no BASE to resolve it against", token)
        return resolve(self.base, reference)

    # -- terms --------------------------------------------------------------------------

    def at_iri(self) -> bool:
        return self.peek().kind in {"IRI", "PNAME"}

    def iri(self, write: bool = True) -> Iri:
        token = self.peek()
        if token.kind == "IRI":
            value = self.absolute(token.text[1:-1], token)
        elif token.kind == "PNAME":
            prefix, local = pname_parts(token)
            if prefix not in self.prefixes:
                raise self.error(f"prefix {prefix}: is not declared", token)
            value = self.prefixes[prefix] + local
        else:
            self.fail("an IRI")
        self.lexer.advance()
        term = Iri(value)
        if write:
            self.out.append(term.sparql())
        return term

    def var(self) -> Var:
        token = self.expect("var", "a variable")
        return Var(token.text[1:])

    def var_or_iri(self) -> Var | Iri:
        return self.var() if self.at("var") else self.iri()

    def at_term(self) -> bool:
        token = self.peek()
        return token.key in _TERM_KINDS or (token.kind == "WORD" and token.text in {"true", "false"})

    def var_or_term(self) -> Term:
        """Var | GraphTerm, except NIL and ``[]``, which the triples rules read."""
        token = self.peek()
        if token.kind == "VAR":
            return self.var()
        if token.kind == "BNODE":
            self.consume()
            return BNode(token.text[2:])
        return self.value()

    def value(self) -> Iri | Literal:
        """An IRI or a literal (RDF literal, number, boolean)."""
        token = self.peek()
        if token.kind in {"IRI", "PNAME"}:
            return self.iri()
        if token.kind in {"STRING", "LONG_STRING"}:
            return self.rdf_literal()
        if token.key in _NUMBERS:
            return self.number()
        if self.at_word("true") or self.at_word("false"):
            self.consume()
            return Literal(token.text, datatype=XSD + "boolean")
        self.fail("an IRI, a literal or a variable")
        raise AssertionError  # fail() raised

    def rdf_literal(self) -> Literal:
        literal = Literal(self.string())
        if self.at("langtag"):
            literal = Literal(literal.value, language=self.lexer.advance().text[1:])
        elif self.at("^^"):
            self.lexer.advance()
            literal = Literal(literal.value, datatype=self.iri(write=False).value)
        self.out.append(literal.sparql())
        return literal

    def string(self) -> str:
        """A string's value, not written (the caller writes the literal it belongs to)."""
        if not self.at("string", "long_string"):
            self.fail("a string")
        return string_value(self.lexer.advance())

    def number(self) -> Literal:
        token = self.lexer.advance()
        literal = Literal(token.text, datatype=_NUMBERS[token.key])
        # "+1" after a path would read as the path modifier "+": write the typed form.
        self.out.append(literal.sparql() if token.text.startswith("+") else token.text)
        return literal

    def fresh_bnode(self) -> BNode:
        return BNode(f"b{next(self._fresh)}", generated=True)

    def verb_a(self) -> Iri:
        """The keyword ``a``: rdf:type."""
        self.consume()
        return RDF_TYPE
