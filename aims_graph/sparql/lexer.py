"""SPARQL 1.1 tokens (W3C recommendation, section 19.8, terminals), read one at a time.

The parser asks for the next token when it needs it, so that the one place where the
terminals overlap is settled by the grammar as the engine settles it: ``<`` after an
operand in an expression is "less than", not the start of an IRI (``?a<?b && ?b>?c``).

Codepoint escapes (``\\uXXXX``, ``\\UXXXXXXXX``) are decoded in the whole text before
tokenising (section 19.2).  A ``\\u`` left over after that (a bad escape, or an escaped
backslash followed by ``u``) is refused rather than guessed at: readers differ on it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aims_graph.sparql.errors import SparqlSyntaxError

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_LEFT_OVER_ESCAPE = re.compile(r"\\[uU]")

_BASE = ("A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D"
         "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF")
_CHARS_U = _BASE + "_"
_CHARS = _CHARS_U + r"\-0-9\u00B7\u0300-\u036F\u203F-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PREFIX = f"[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?"
_LOCAL = f"(?:[{_CHARS_U}:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?"
_VARNAME = f"[{_CHARS_U}0-9][{_CHARS_U}0-9\u00B7\u0300-\u036F\u203F-\u2040]*"
_EXPONENT = r"[eE][+-]?[0-9]+"

_SKIP = re.compile(r"(?:[ \t\r\n]+|#[^\r\n]*)*")
_TOKEN = re.compile("|".join([
    r"(?P<IRI><[^<>\"{}|^`\\\x00-\x20]*>)",
    r'(?P<LONG_STRING>"""(?:(?:"|"")?(?:[^"\\]|\\[tbnrf\\"\']))*"""'
    r"|'''(?:(?:'|'')?(?:[^'\\]|\\[tbnrf\\\"']))*''')",
    r'(?P<STRING>"(?:[^"\\\n\r]|\\[tbnrf\\"\'])*"|\'(?:[^\'\\\n\r]|\\[tbnrf\\"\'])*\')',
    f"(?P<VAR>[?$]{_VARNAME})",
    f"(?P<BNODE>_:[{_CHARS_U}0-9](?:[{_CHARS}.]*[{_CHARS}])?)",
    r"(?P<LANGTAG>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)",
    f"(?P<DOUBLE>[+-]?(?:[0-9]+\\.[0-9]*{_EXPONENT}|\\.[0-9]+{_EXPONENT}|[0-9]+{_EXPONENT}))",
    r"(?P<DECIMAL>[+-]?[0-9]*\.[0-9]+)",
    r"(?P<INTEGER>[+-]?[0-9]+)",
    f"(?P<PNAME>(?:{_PREFIX})?:(?:{_LOCAL})?)",
    r"(?P<WORD>[A-Za-z_][A-Za-z0-9_]*)",
    r"(?P<PUNCT>\^\^|&&|\|\||!=|<=|>=|[{}()\[\];,.*/+\-!=<>|^?])",
]))
_LESS_THAN = re.compile(r"<=?")
_ECHAR = re.compile(r"\\(.)")
_ECHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_LOCAL_ESCAPE = re.compile(r"\\(.)")


@dataclass(frozen=True, slots=True)
class Token:
    """One terminal.  ``key`` is what the grammar compares: the upper-cased word for a
    keyword, the text for punctuation, the kind in lower case for everything else (so
    that the keyword ``IRI`` and an IRI token differ)."""

    kind: str
    text: str
    start: int
    key: str


def _token(kind: str, text: str, start: int) -> Token:
    key = text.upper() if kind == "WORD" else text if kind == "PUNCT" else kind.lower()
    return Token(kind, text, start, key)


def string_value(token: Token) -> str:
    """The value of a STRING or LONG_STRING token, escapes decoded."""
    quote = 3 if token.kind == "LONG_STRING" else 1
    return _ECHAR.sub(lambda m: _ECHARS[m.group(1)], token.text[quote:-quote])


def pname_parts(token: Token) -> tuple[str, str]:
    """Prefix and local part (its ``\\`` escapes removed) of a PNAME token."""
    prefix, _, local = token.text.partition(":")
    return prefix, _LOCAL_ESCAPE.sub(r"\1", local)


def decode_escapes(text: str) -> str:
    """The text with every codepoint escape decoded, or a clear refusal."""
    def character(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise SparqlSyntaxError(f"{match.group(0)} is not a Unicode character", *_position(text, match.start()))
        return chr(code)

    decoded = _ESCAPE.sub(character, text) if "\\" in text else text
    left_over = _LEFT_OVER_ESCAPE.search(decoded)
    if left_over is not None:
        raise SparqlSyntaxError("a \\u or \\U escape that is not 4 or 8 hexadecimal digits "
                                "(or that decodes to another escape)", *_position(decoded, left_over.start()))
    return decoded


class Lexer:
    """Tokens of one decoded text, read on demand; ``peek`` does not consume."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.position = 0
        self._next: Token | None = None

    def peek(self) -> Token:
        return self._next or self._take_next()

    def _take_next(self) -> Token:
        self._next = self._read()
        return self._next

    def advance(self) -> Token:
        token = self.peek()
        self._next = None
        return token

    def less_than_instead(self) -> Token | None:
        """In an expression after an operand: the ``<`` or ``<=`` where the next token
        was read as an IRI, consumed; None when the next token is no IRI."""
        token = self.peek()
        if token.kind != "IRI":
            return None
        match = _LESS_THAN.match(self.text, token.start)
        assert match is not None
        self._next = None
        self.position = match.end()
        return _token("PUNCT", match.group(0), token.start)

    def where(self, offset: int) -> tuple[int, int]:
        return _position(self.text, offset)

    def _read(self) -> Token:
        text, position = self.text, self.position
        position = _SKIP.match(text, position).end()  # type: ignore[union-attr]
        if position >= len(text):
            self.position = position
            return _token("EOF", "", position)
        match = _TOKEN.match(text, position)
        if match is None:
            raise SparqlSyntaxError(f"unexpected character {text[position]!r}", *_position(text, position))
        self.position = match.end()
        kind = match.lastgroup
        assert kind is not None
        return _token(kind, match.group(0), position)


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
