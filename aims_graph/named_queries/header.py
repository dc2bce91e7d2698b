"""Read a named query file: a typed header of ``#+`` decorators above a SPARQL body.

The header is the query's public contract (CLI help, HTTP parameters, OpenAPI schema),
so it has a small grammar of its own and every mistake in it is reported with the file
and line, when the catalogue is loaded rather than when a user first runs the query::

    #+ name: trace-system
    #+ summary: Everything recorded about one AI system.
    #+ description: Longer text (optional).
    #+ tags: [traceability, risk]
    #+ param: system (iri, required) The AI system to trace.
    #+ param: scheme (enum(iso42001|eu-ai-act), optional, default "iso42001") Scheme to use.

A parameter is ``NAME (TYPE, required|optional[, default VALUE]) description``; NAME is
also the SPARQL variable the value is bound to.  Types: ``iri``, ``string``, ``integer``,
``date``, ``boolean``, ``enum(a|b|...)`` and ``concept`` or ``concept(<scheme>)`` (an IRI
or a notation such as ``A.6.2.4``, resolved to the concept's IRI).  An optional parameter
without default is left unbound, so that it matches anything.  Ordinary ``#`` comment
lines may sit among the decorators; the body starts at the first line that is not a
comment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from aims_graph.errors import InputError

SCALAR_TYPES = ("iri", "string", "integer", "date", "boolean")
_NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_DECORATOR = re.compile(r"^#\+\s*([A-Za-z_]+)\s*:\s*(.*?)\s*$")
_TYPE = re.compile(r"^([a-z]+)(?:\((.*)\))?$", re.DOTALL)
_KEYS = ("name", "summary", "description", "tags", "param")


@dataclass(frozen=True)
class ParamType:
    """A parameter's type: ``kind`` is one of SCALAR_TYPES, ``enum`` or ``concept``.

    ``choices`` holds the values of an enum; ``scheme`` the scheme a concept must be in
    (empty: any scheme).
    """

    kind: str
    choices: tuple[str, ...] = ()
    scheme: str = ""

    def __str__(self) -> str:
        if self.kind == "enum":
            return f"enum({'|'.join(self.choices)})"
        if self.kind == "concept" and self.scheme:
            return f"concept({self.scheme})"
        return self.kind


@dataclass(frozen=True)
class ParamSpec:
    """One declared parameter; ``default`` is the raw text, checked like user input."""

    name: str
    type: ParamType
    required: bool
    description: str
    default: str | None = None


@dataclass(frozen=True)
class NamedQuery:
    """A competency question: its header and the SPARQL text that answers it."""

    name: str
    summary: str
    sparql: str
    path: Path
    description: str = ""
    tags: tuple[str, ...] = ()
    params: tuple[ParamSpec, ...] = field(default=())

    def param(self, name: str) -> ParamSpec | None:
        return next((p for p in self.params if p.name == name), None)


def _fail(path: Path, line: int, why: str) -> InputError:
    return InputError(f"{path}:{line}: {why}")


def _split_top_level(text: str) -> list[str]:
    """Split on commas that are outside parentheses and quotes."""
    parts, depth, quoted, current = [], 0, False, []
    for char in text:
        if char == '"':
            quoted = not quoted
        elif not quoted and char == "(":
            depth += 1
        elif not quoted and char == ")":
            depth -= 1
        if char == "," and depth == 0 and not quoted:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    parts.append("".join(current).strip())
    return parts


def _closing_paren(text: str, start: int) -> int:
    """Index of the parenthesis that closes the one at ``start``, or -1."""
    depth, quoted = 0, False
    for index in range(start, len(text)):
        char = text[index]
        if char == '"':
            quoted = not quoted
        elif not quoted and char == "(":
            depth += 1
        elif not quoted and char == ")":
            depth -= 1
            if depth == 0:
                return index
    return -1


def parse_type(text: str) -> ParamType:
    """Parse a type expression; raises ValueError with the reason."""
    match = _TYPE.match(text.strip())
    if not match:
        raise ValueError(f"malformed type {text.strip()!r}")
    kind, argument = match.group(1), match.group(2)
    if kind in SCALAR_TYPES:
        if argument is not None:
            raise ValueError(f"type {kind!r} takes no argument")
        return ParamType(kind)
    if kind == "enum":
        choices = tuple(c.strip() for c in re.split(r"[|,]", argument or "") if c.strip())
        if not choices:
            raise ValueError("enum needs at least one value, e.g. enum(provider|deployer)")
        if len(set(choices)) != len(choices):
            raise ValueError("enum lists a value twice")
        return ParamType("enum", choices=choices)
    if kind == "concept":
        scheme = (argument or "").strip()
        if argument is not None and not re.match(r"^[a-z0-9-]+$", scheme):
            raise ValueError(f"concept scheme {argument!r} is not a scheme name like iso42001")
        return ParamType("concept", scheme=scheme)
    allowed = ", ".join(SCALAR_TYPES + ("enum(...)", "concept", "concept(<scheme>)"))
    raise ValueError(f"unknown type {kind!r} (known: {allowed})")


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return text[1:-1]
    return text


def parse_param(text: str) -> ParamSpec:
    """Parse the value of one ``#+ param:`` decorator; raises ValueError with the reason."""
    head = re.match(r"^([^\s(]+)\s*\(", text)
    if not head:
        raise ValueError("expected 'NAME (TYPE, required|optional[, default VALUE]) description'")
    name = head.group(1)
    if not _VARIABLE.match(name):
        raise ValueError(f"parameter name {name!r} is not a SPARQL variable name")
    close = _closing_paren(text, head.end() - 1)
    if close < 0:
        raise ValueError(f"parameter {name!r}: unclosed '('")
    items = _split_top_level(text[head.end():close])
    description = text[close + 1:].strip()
    if len(items) < 2:
        raise ValueError(f"parameter {name!r}: give a type and 'required' or 'optional'")
    param_type = parse_type(items[0])
    if items[1] not in ("required", "optional"):
        raise ValueError(f"parameter {name!r}: expected 'required' or 'optional', got {items[1]!r}")
    required = items[1] == "required"
    default = None
    for extra in items[2:]:
        option = re.match(r"^default\s+(.+)$", extra)
        if not option:
            raise ValueError(f"parameter {name!r}: unknown option {extra!r} (only 'default VALUE')")
        if default is not None:
            raise ValueError(f"parameter {name!r}: default given twice")
        default = _unquote(option.group(1).strip())
    if required and default is not None:
        raise ValueError(f"parameter {name!r}: a required parameter cannot have a default")
    if not description:
        raise ValueError(f"parameter {name!r}: add a description after the parentheses")
    return ParamSpec(name, param_type, required, description, default)


def _parse_tags(text: str) -> tuple[str, ...]:
    inner = text.strip()
    if not (inner.startswith("[") and inner.endswith("]")):
        raise ValueError("tags must be a list in brackets, e.g. [traceability, risk]")
    tags = tuple(t.strip() for t in inner[1:-1].split(",") if t.strip())
    bad = [t for t in tags if not _NAME.match(t)]
    if bad:
        raise ValueError(f"tag {bad[0]!r} is not lower-case words joined by '-'")
    return tags


def parse_query_text(text: str, path: Path) -> NamedQuery:
    """Parse the header of one query file; the body is checked by the catalogue."""
    values: dict[str, str] = {}
    params: list[ParamSpec] = []
    tags: tuple[str, ...] = ()
    lines = text.splitlines()
    body_start = len(lines)
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped.startswith("#"):
            body_start = number - 1
            break
        if not stripped.startswith("#+"):
            continue
        decorator = _DECORATOR.match(stripped)
        if not decorator:
            raise _fail(path, number, "malformed decorator: expected '#+ key: value'")
        key, value = decorator.group(1), decorator.group(2)
        if key not in _KEYS:
            raise _fail(path, number, f"unknown decorator {key!r} (known: {', '.join(_KEYS)})")
        if not value:
            raise _fail(path, number, f"decorator {key!r} has no value")
        try:
            if key == "param":
                param = parse_param(value)
                if any(p.name == param.name for p in params):
                    raise ValueError(f"parameter {param.name!r} declared twice")
                params.append(param)
                continue
            if key in values:
                raise ValueError(f"decorator {key!r} given twice")
            if key == "name" and not _NAME.match(value):
                raise ValueError(f"query name {value!r} must be lower-case words joined by '-'")
            if key == "tags":
                tags = _parse_tags(value)
            values[key] = value
        except ValueError as error:
            raise _fail(path, number, str(error)) from None
    for required in ("name", "summary"):
        if required not in values:
            raise _fail(path, 1, f"the header has no '#+ {required}:' decorator")
    sparql = "\n".join(lines[body_start:]).strip()
    if not sparql:
        raise _fail(path, len(lines) or 1, "the file has a header but no SPARQL body")
    return NamedQuery(
        name=values["name"],
        summary=values["summary"],
        description=values.get("description", ""),
        tags=tags,
        params=tuple(params),
        sparql=sparql + "\n",
        path=path,
    )


def parse_query_file(path: Path) -> NamedQuery:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot read the query file: {error}") from error
    return parse_query_text(text, path)
