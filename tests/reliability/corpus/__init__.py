"""Hostile and broken inputs: files here, plus the few that are too large to keep as files.

``{LISTENER}`` in a file stands for the base URL of a loopback listener that records
every request, so a test can prove that nothing was fetched.
"""

from __future__ import annotations

from pathlib import Path

CORPUS = Path(__file__).parent
LISTENER_MARK = "{LISTENER}"


def corpus_bytes(name: str, listener_url: str) -> bytes:
    """A corpus file with the listener's address filled in (binary files stay as they are)."""
    data = (CORPUS / name).read_bytes()
    return data.replace(LISTENER_MARK.encode(), listener_url.encode())


def deeply_nested_jsonld(levels: int = 10_000) -> bytes:
    """JSON-LD node objects nested ``levels`` deep (about 330 kB for 10,000).

    Small on the wire, yet a parser that recurses or keeps every level's state can use
    gigabytes of memory or overflow its stack.
    """
    opening = b'{"@id": "https://example.org/n", "https://example.org/p": '
    return opening * levels + b'"leaf"' + b"}" * levels


def huge_literal_turtle(size: int) -> bytes:
    """One triple whose literal is ``size`` bytes long."""
    return (b'<https://example.org/system> <https://example.org/note> "'
            + b"x" * size + b'" .\n')


def chunks(data: bytes, size: int = 64 * 1024):
    """The body as a chunked upload, which carries no Content-Length to check up front."""
    for start in range(0, len(data), size):
        yield data[start:start + size]


def jsonld_context_bomb(levels: int = 252, terms: int = 1_200) -> bytes:
    """Node objects nested ``levels`` deep, each with an inline ``@context`` of ``terms``
    terms.  The default (12 MB) is the shape of issue 14's reproduction (9.4 MB there,
    under the old depth guard of 256): the JSON-LD parser copied every level's whole
    active context and the service grew to 6.7 GB before it aborted."""
    parts = []
    for level in range(levels):
        context = ",".join(f'"t{level}_{n}": "https://example.org/v/{n}"' for n in range(terms))
        parts.append('{"@context": {' + context + '}, "@id": "https://example.org/n", '
                     '"https://example.org/p": ')
    return ("".join(parts) + '"leaf"' + "}" * levels).encode()


def deeply_nested_rdfxml(levels: int = 60_000) -> bytes:
    """RDF/XML whose elements nest ``levels`` deep (1.4 MB by default; issue 14's 2.76 MB
    of 60,000 levels took pyoxigraph 72 s: its time grows with the square of the depth)."""
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    head = (f'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="{rdf}" xmlns:ex="https://example.org/">'
            '<rdf:Description rdf:about="https://example.org/s">').encode()
    opening = b"<ex:p><rdf:Description>"
    closing = b"</rdf:Description></ex:p>"
    return head + opening * (levels // 2) + closing * (levels // 2) + b"</rdf:Description></rdf:RDF>"


def wide_workbook(rows: int = 40_000, column: int = 16_384) -> bytes:
    """An .xlsx with one value at ``column`` (XFD by default) in each of ``rows`` rows:
    about 200 KB for the default, which used to be read as 655 million cells (5.5 GB)."""
    import io

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "systems"
    for row in range(1, rows + 1):
        sheet.cell(row=row, column=column, value="x")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def long_iri_turtle(size: int = 30_000_000) -> bytes:
    """One triple whose subject IRI is ``size`` bytes long (over pyoxigraph's 16 MiB token buffer)."""
    return (b"<https://example.org/" + b"a" * size + b"> <https://example.org/p> "
            b"<https://example.org/o> .\n")


def long_value_query(doublings: int = 24) -> str:
    """A SELECT whose one answer value is 2 ** ``doublings`` characters (16 MiB by
    default), made by the engine itself from a one-character string."""
    binds = " ".join(f"BIND(CONCAT(?v{n}, ?v{n}) AS ?v{n + 1})" for n in range(doublings))
    return f'SELECT ?v{doublings} WHERE {{ BIND("x" AS ?v0) {binds} }}'
