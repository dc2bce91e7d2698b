"""IRI references resolved as RFC 3986 section 5.2 says, the way the engine resolves them.

``urllib.parse.urljoin`` is not used: it only resolves the schemes it knows (``urn:`` and
others come back unresolved) and keeps some dot segments.
"""

from __future__ import annotations

import re

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_PARTS = re.compile(r"^(?:([^:/?#]+):)?(?://([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$", re.DOTALL)


def is_absolute(iri: str) -> bool:
    return _SCHEME.match(iri) is not None


def resolve(base: str, reference: str) -> str:
    """``reference`` resolved against the absolute ``base`` (RFC 3986 5.2.2, strict)."""
    b_scheme, b_authority, b_path, b_query, _ = _split(base)
    scheme, authority, path, query, fragment = _split(reference)
    if scheme is not None:
        return _join(scheme, authority, remove_dot_segments(path), query, fragment)
    if authority is not None:
        return _join(b_scheme, authority, remove_dot_segments(path), query, fragment)
    if path == "":
        return _join(b_scheme, b_authority, b_path, query if query is not None else b_query, fragment)
    if path.startswith("/"):
        return _join(b_scheme, b_authority, remove_dot_segments(path), query, fragment)
    if b_authority is not None and b_path == "":
        merged = "/" + path
    else:
        merged = b_path[: b_path.rfind("/") + 1] + path
    return _join(b_scheme, b_authority, remove_dot_segments(merged), query, fragment)


def remove_dot_segments(path: str) -> str:
    """RFC 3986 5.2.4: ``.`` and ``..`` segments removed from a path."""
    output: list[str] = []
    while path:
        if path.startswith("../"):
            path = path[3:]
        elif path.startswith("./"):
            path = path[2:]
        elif path.startswith("/./"):
            path = path[2:]
        elif path == "/.":
            path = "/"
        elif path.startswith("/../"):
            path = path[3:]
            if output:
                output.pop()
        elif path == "/..":
            path = "/"
            if output:
                output.pop()
        elif path in {".", ".."}:
            path = ""
        else:
            cut = path.find("/", 1)
            segment, path = (path, "") if cut < 0 else (path[:cut], path[cut:])
            output.append(segment)
    return "".join(output)


def _split(iri: str) -> tuple[str | None, str | None, str, str | None, str | None]:
    match = _PARTS.match(iri)
    assert match is not None  # the pattern matches every string
    return match.group(1), match.group(2), match.group(3), match.group(4), match.group(5)


def _join(scheme: str | None, authority: str | None, path: str, query: str | None,
          fragment: str | None) -> str:
    text = f"{scheme}:" if scheme is not None else ""
    if authority is not None:
        text += "//" + authority
    text += path
    if query is not None:
        text += "?" + query
    if fragment is not None:
        text += "#" + fragment
    return text
