"""What a remote store must get right on each real engine (Oxigraph server, Virtuoso 7):
loads of any size, all or nothing; the engine's own graphs hidden; ASK answers and
timeouts as the standard says; the engine recognised from its answer."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator

import httpx
import pyoxigraph as ox
import pytest

from aims_graph.store import RemoteStore, StoreError, StoreTimeout, open_store
from aims_graph.store.remote import STAGING_PREFIX
from tests.conftest import REMOTE_ENGINES, OxigraphServer, remote_server, store_url
from tests.virtuoso import SYSTEM_GRAPH_PREFIXES, VirtuosoServer

GRAPH = "https://example.org/graph/big"


@pytest.fixture(params=REMOTE_ENGINES)
def server(request: pytest.FixtureRequest) -> OxigraphServer | VirtuosoServer:
    return remote_server(request, request.param)


@pytest.fixture
def store(server: OxigraphServer | VirtuosoServer) -> Iterator[RemoteStore]:
    opened = open_store(store_url(server))
    assert isinstance(opened, RemoteStore)
    yield opened
    opened.close()


def turtle(systems: int) -> bytes:
    """``systems`` subjects of four triples each, one through a blank node."""
    lines = ["@prefix ex: <https://example.org/t/> ."]
    for n in range(systems):
        lines.append(f'ex:s{n} a ex:System ; ex:name "system {n}"@en ; ex:score {n} ; '
                     f'ex:owner [ ex:label "owner of {n}" ] .')
    return "\n".join(lines).encode()


def count(store: RemoteStore, graph: str) -> int:
    result = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return int(next(iter(result))["n"].value)


def test_the_engine_is_recognised_from_its_answer(server: OxigraphServer | VirtuosoServer,
                                                  store: RemoteStore) -> None:
    expected = "virtuoso" if isinstance(server, VirtuosoServer) else "oxigraph"
    assert store.client.profile.name == expected


def test_a_load_larger_than_one_insert_data_arrives_whole(store: RemoteStore) -> None:
    # 25,000 triples: Virtuoso refuses an INSERT DATA of about 5,000 ("memory exhausted"),
    # which is how every load was written before.
    store.load(turtle(5000), ox.RdfFormat.TURTLE, GRAPH)
    assert count(store, GRAPH) == 25000


def test_a_load_in_batches_keeps_blank_nodes_whole(store: RemoteStore) -> None:
    store.batch_bytes = 2000  # dozens of batches for this small file
    store.load(turtle(200), ox.RdfFormat.TURTLE, GRAPH)
    answer = store.query("SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { GRAPH <%s> { ?s <https://example.org/t/owner> ?o . "
                         "?o <https://example.org/t/label> ?l } }" % GRAPH)
    assert int(next(iter(answer))["n"].value) == 200  # each owner node kept its label
    assert count(store, GRAPH) == 1000
    assert not [g for g in store.named_graphs() if g.startswith(STAGING_PREFIX)]
    assert store.named_graphs().count(GRAPH) == 1


def test_a_replace_in_batches_replaces(store: RemoteStore) -> None:
    store.load(turtle(300), ox.RdfFormat.TURTLE, GRAPH)
    store.batch_bytes = 2000
    store.replace_graph(GRAPH, turtle(100), ox.RdfFormat.TURTLE)
    assert count(store, GRAPH) == 500


class FailingProxy:
    """A loopback proxy to the engine that answers 500 to the ``fail_at``-th write."""

    def __init__(self, target: str, fail_at: int) -> None:
        self.target, self.fail_at, self.writes = target, fail_at, 0
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.forward()

            def do_POST(self) -> None:
                self.forward()

            def do_PUT(self) -> None:
                self.forward()

            def forward(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if self.command in {"POST", "PUT"} and b"update=" not in body[:7]:
                    proxy.writes += 1
                    if proxy.writes == proxy.fail_at:
                        self.send_response(500)
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                        return
                headers = {k: v for k, v in self.headers.items() if k.lower() not in {"host", "content-length"}}
                answer = httpx.request(self.command, proxy.target + self.path, content=body, headers=headers,
                                       timeout=60)
                self.upstream = answer.headers.get("Server", "")  # the engine is recognised by it
                self.send_response(answer.status_code)
                if "Content-Type" in answer.headers:
                    self.send_header("Content-Type", answer.headers["Content-Type"])
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            def version_string(self) -> str:
                return getattr(self, "upstream", "")

            def log_message(self, *_: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def test_a_load_failing_in_its_third_batch_leaves_nothing(server: OxigraphServer | VirtuosoServer,
                                                          store: RemoteStore) -> None:
    # ``store`` has written the reference knowledge: the proxy sees only the load's writes.
    proxy = FailingProxy(server.url, fail_at=3)
    path = store_url(server).removeprefix(server.url)
    try:
        store = open_store(proxy.url + path)
        assert isinstance(store, RemoteStore)
        assert store.client.profile.name == ("virtuoso" if isinstance(server, VirtuosoServer) else "oxigraph")
        before = (len(store), store.named_graphs())
        store.batch_bytes = 2000
        with pytest.raises(StoreError, match="500"):
            store.load(turtle(200), ox.RdfFormat.TRIG, GRAPH)
        assert proxy.writes == 3
        assert (len(store), store.named_graphs()) == before
        everything = store.query("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        assert not [row["g"].value for row in everything if row["g"].value.startswith(STAGING_PREFIX)]
        store.close()
    finally:
        proxy.close()


def test_the_engines_own_graphs_are_not_organisation_data(server: OxigraphServer | VirtuosoServer,
                                                          store: RemoteStore) -> None:
    store.load(turtle(3), ox.RdfFormat.TURTLE, GRAPH)
    everything = {row["g"].value for row in store.query("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")}
    system = {g for g in everything if g.startswith(SYSTEM_GRAPH_PREFIXES)}
    if isinstance(server, VirtuosoServer):
        assert system, "Virtuoso keeps graphs of its own: this test must see them to mean anything"
    graphs = store.named_graphs()
    assert GRAPH in graphs and not system & set(graphs)
    exported = ox.Dataset(ox.parse(store.dump(ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS))
    assert {q.graph_name.value for q in exported if isinstance(q.graph_name, ox.NamedNode)} == set(graphs)
    assert len(store) == len(exported)


def test_ask_answers_a_boolean(store: RemoteStore) -> None:
    store.load(turtle(1), ox.RdfFormat.TURTLE, GRAPH)
    yes = store.query("ASK { ?s a <https://example.org/t/System> }")
    no = store.query("ASK { ?s a <https://example.org/t/Nothing> }")
    assert isinstance(yes, ox.QueryBoolean) and bool(yes) is True
    assert isinstance(no, ox.QueryBoolean) and bool(no) is False
    for result_format in (ox.QueryResultsFormat.JSON, ox.QueryResultsFormat.XML):
        raw = store.query_to_bytes("ASK { ?s a <https://example.org/t/System> }", result_format)
        assert bool(ox.parse_query_results(raw, format=result_format)) is True


def test_a_stored_boolean_reads_the_same_on_every_engine(store: RemoteStore) -> None:
    # Virtuoso answers a stored "true"^^xsd:boolean as "1": valid, but not what was stored.
    store.load(b'<https://example.org/t/s> <https://example.org/t/on> true , false .', ox.RdfFormat.TURTLE, GRAPH)
    rows = store.query(f"SELECT ?o WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }} ORDER BY ?o")
    assert sorted(row["o"].value for row in rows) == ["false", "true"]


def test_a_malformed_query_is_a_syntax_error(store: RemoteStore) -> None:
    with pytest.raises(SyntaxError):
        store.query("SELEC * WHERE { ?s ?p ?o }")


def test_a_long_query_goes_by_post_and_answers_the_same(store: RemoteStore) -> None:
    store.load(turtle(3), ox.RdfFormat.TURTLE, GRAPH)
    values = " ".join(f"<https://example.org/t/s{n}>" for n in range(300))  # ~9 kB: no GET
    answer = store.query(f"SELECT ?s WHERE {{ VALUES ?s {{ {values} }} ?s a <https://example.org/t/System> }}")
    assert sorted(row["s"].value for row in answer) == [f"https://example.org/t/s{n}" for n in range(3)]


def test_virtuoso_stops_a_query_at_its_limit_and_it_is_a_timeout(virtuoso_server: VirtuosoServer) -> None:
    # Virtuoso answers 200 with *incomplete* results when its time limit fires: they must
    # never pass for an answer.
    virtuoso_server.clear()
    store = RemoteStore.connect(store_url(virtuoso_server), timeout_s=1)
    try:
        store.load(turtle(5000), ox.RdfFormat.TURTLE, GRAPH)
        with pytest.raises(StoreTimeout):
            store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?a ?p ?x . ?b ?p ?y "
                        "FILTER (STR(?x) < STR(?y)) } }")
    finally:
        store.close()


def test_a_long_group_concat_is_an_engine_limit_on_virtuoso(server: OxigraphServer | VirtuosoServer,
                                                             store: RemoteStore) -> None:
    """An engine limit (docs/stores.md): Virtuoso 7 refuses to sort (keep in a temporary
    column) a concatenation over ~4 kB, as the named queries that order their rows do."""
    store.load(turtle(500), ox.RdfFormat.TURTLE, GRAPH)
    query = (f"SELECT ?t (GROUP_CONCAT(STR(?n); separator=', ') AS ?all) WHERE {{ GRAPH <{GRAPH}> "
             "{ ?s a ?t ; <https://example.org/t/name> ?n } } GROUP BY ?t ORDER BY ?all")
    if isinstance(server, VirtuosoServer):
        with pytest.raises(StoreError, match="SR319|SR478"):
            store.query(query)
    else:
        assert len(next(iter(store.query(query)))["all"].value) > 5000


def test_virtuoso_has_no_boolean_values(virtuoso_server: VirtuosoServer) -> None:
    """An engine limit (docs/stores.md): a boolean comes back as the integer 1 or 0."""
    store = RemoteStore.connect(store_url(virtuoso_server))
    try:
        row = next(iter(store.query("SELECT (true AS ?t) (1 < 2 AS ?c) WHERE {}")))
        assert row["t"] == ox.Literal("1", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
        assert row["c"].value == "1"
    finally:
        store.close()


@pytest.mark.parametrize("spec", ["virtuoso+http://127.0.0.1:1/sparql", "oxigraph+https://127.0.0.1:1/query"])
def test_an_engine_named_in_the_url_is_used(spec: str) -> None:
    with pytest.raises(StoreError, match="cannot reach"):
        open_store(spec)  # the scheme was understood: it went on to connect


@pytest.mark.parametrize("spec", ["fuseky+http://127.0.0.1:1/sparql", "ftp+http://127.0.0.1:1/sparql"])
def test_an_unknown_engine_is_refused(spec: str) -> None:
    with pytest.raises(ValueError, match="unknown engine"):
        open_store(spec)


@pytest.mark.parametrize("spec", ["http://user:secret@127.0.0.1:1/sparql", "http://user@127.0.0.1:1/sparql",
                                  "virtuoso+http://:secret@127.0.0.1:1/sparql"])
def test_credentials_in_the_url_are_refused(spec: str) -> None:
    with pytest.raises(ValueError, match="credentials in the URL are refused"):
        open_store(spec)


def test_a_generic_engine_without_graph_store_works_through_sparql_alone(
        oxigraph_server: OxigraphServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """``AIMS_GRAPH_ENGINE=generic`` and no Graph Store URL: loads go by SPARQL Update
    (``INSERT ... WHERE {}``, blank nodes allowed) and reads by CONSTRUCT."""
    oxigraph_server.clear()
    monkeypatch.setenv("AIMS_GRAPH_ENGINE", "generic")
    monkeypatch.setenv("AIMS_GRAPH_UPDATE_URL", oxigraph_server.url + "/update")
    store = open_store(oxigraph_server.url + "/query")
    try:
        assert isinstance(store, RemoteStore)
        assert (store.client.profile.name, store.client.endpoints.graph_store) == ("generic", None)
        store.batch_bytes = 2000  # staged: batches, then one ADD
        store.load(turtle(100), ox.RdfFormat.TURTLE, GRAPH)
        assert count(store, GRAPH) == 500
        store.replace_graph(GRAPH, turtle(2), ox.RdfFormat.TURTLE)
        exported = ox.Dataset(ox.parse(store.dump(ox.RdfFormat.N_TRIPLES, GRAPH), format=ox.RdfFormat.N_TRIPLES))
        assert len(exported) == 10
        assert not [g for g in store.named_graphs() if g.startswith(STAGING_PREFIX)]
    finally:
        store.close()
