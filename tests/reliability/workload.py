"""The traffic of the load and crash tests: graph writes whose exact content is known.

Each write goes to a graph of its own, so that afterwards every acknowledged write can be
checked for its exact triples, and a write that was cut off by a crash can be told apart
from a partial one (its graph must hold all of its triples or none).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Awaitable

import httpx
import pyoxigraph as ox

TEST_GRAPHS = "https://test.aims-graph.example/graph/"
# Clients drop idle connections well before uvicorn does (after 5 s): a request sent on a
# connection the server is closing at that instant is lost by the client, not the server.
KEEPALIVE_S = 2.0
_P = "https://test.aims-graph.example/p/"


@dataclass(frozen=True)
class Write:
    """One graph write: where it goes, how it is sent, and the triples it must leave."""

    graph: str
    method: str
    path: str
    body: bytes
    expected: frozenset[str]

    @property
    def params(self) -> dict[str, str]:
        return {"graph": self.graph}


def make_write(client: int, number: int, kind: str, triples: int = 12) -> Write:
    """A Turtle document of ``triples`` triples (at least 3) with literals of several kinds.

    ``kind`` picks the road: ``put`` (Graph Store PUT), ``post`` (Graph Store POST) or
    ``import`` (POST /import).
    """
    graph = f"{TEST_GRAPHS}{kind}/c{client}/w{number}"
    subject = f"<{graph}/thing>"
    lines = [
        f'{subject} <{_P}n{index}> "write {client}-{number}, triple {index}: ünïcödé « » \\"quoted\\"" .'
        for index in range(triples - 2)
    ]
    lines.append(f'{subject} <{_P}count> {number} .')
    lines.append(f'{subject} <{_P}label> "client {client}"@en-GB .')
    body = ("\n".join(lines) + "\n").encode()
    expected = frozenset(str(t) for t in ox.parse(body, format=ox.RdfFormat.TURTLE))
    method, path = {"put": ("PUT", "/store"), "post": ("POST", "/store"),
                    "import": ("POST", "/import")}[kind]
    return Write(graph, method, path, body, expected)


def send(client: httpx.Client | httpx.AsyncClient, write: Write,
         auth: dict[str, str]) -> httpx.Response | Awaitable[httpx.Response]:
    """The request of one write (a coroutine for an async client)."""
    return client.request(write.method, write.path, params=write.params, content=write.body,
                          headers={**auth, "Content-Type": "text/turtle"})


@dataclass
class Ledger:
    """Which writes were acknowledged, refused, or left without an answer."""

    acknowledged: list[Write] = field(default_factory=list)
    refused: list[tuple[Write, int, str]] = field(default_factory=list)
    unanswered: list[Write] = field(default_factory=list)


def _check(response: httpx.Response, doing: str) -> None:
    assert response.status_code == 200, f"{doing}: {response.status_code} {response.text[:300]}"


def stored_graphs(url: str) -> dict[str, frozenset[str]]:
    """Every test graph in the store with its triples as N-Triples lines.

    The graphs are listed with SPARQL and read one by one through the Graph Store
    Protocol: one query for all triples could exceed the service's row limit.
    """
    query = (f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} '
             f'FILTER(STRSTARTS(STR(?g), "{TEST_GRAPHS}")) }}')
    graphs: dict[str, frozenset[str]] = {}
    with httpx.Client(base_url=url, timeout=120) as http:
        listing = http.post("/sparql", data={"query": query},
                            headers={"Accept": "application/sparql-results+json"})
        _check(listing, "listing the test graphs")
        for row in ox.parse_query_results(listing.content, format=ox.QueryResultsFormat.JSON):
            graph = row["g"].value
            response = http.get("/store", params={"graph": graph}, headers={"Accept": "application/n-triples"})
            _check(response, f"reading back {graph}")
            graphs[graph] = frozenset(str(t) for t in ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES))
    return graphs


def lost_or_altered(acknowledged: list[Write], stored: dict[str, frozenset[str]]) -> list[str]:
    """Acknowledged writes that are missing or whose graph differs, described one per line."""
    problems = []
    for write in acknowledged:
        found = stored.get(write.graph, frozenset())
        if found != write.expected:
            problems.append(f"{write.method} {write.path} {write.graph}: expected "
                            f"{len(write.expected)} triples, found {len(found)} "
                            f"({len(write.expected - found)} missing, {len(found - write.expected)} extra)")
    return problems
