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
