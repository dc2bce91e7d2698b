"""Every write reaches every export: the service and the CLI share one real Oxigraph
server, each write path writes a triple of its own, and each export path must return it.

Also the import rules the CLI and the service share: an upload of the same file for
another organisation does not replace the CLI's import (the reported defect), unless
asked to.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Iterator

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from aims_graph.api.main import create_app
from aims_graph.api.settings import Settings
from aims_graph.spreadsheet.iris import DataIris
from tests.api.conftest import ROOT, Tokens
from tests.command_line import invoke_cli
from tests.conftest import OxigraphServer

EX = "https://example.org/paths/"
NAMED = EX + "graph"
UPDATE = {"Content-Type": "application/sparql-update"}
WORKBOOK = ROOT / "examples" / "spreadsheets" / "example-lender.xlsx"


@dataclasses.dataclass
class Shared:
    client: TestClient
    url: str

    def cli(self, *args: str) -> str:
        result = invoke_cli("--store", self.url, *args)
        assert result.exit_code == 0, (result.output, result.exception)
        return result.stdout

    def cli_fails(self, *args: str) -> str:
        result = invoke_cli("--store", self.url, *args)
        assert result.exit_code == 2, result.output
        return result.output


@pytest.fixture(scope="module")
def shared(oxigraph_server: OxigraphServer, settings: Settings) -> Iterator[Shared]:
    oxigraph_server.clear()
    with TestClient(create_app(dataclasses.replace(settings, store=oxigraph_server.url))) as client:
        yield Shared(client, oxigraph_server.url)


def subject(name: str) -> ox.NamedNode:
    return ox.NamedNode(EX + name)


def triple(name: str) -> str:
    return f"<{EX}{name}> <{EX}wrote> \"{name}\" ."


def subjects(data: bytes, rdf_format: ox.RdfFormat) -> set[str]:
    return {q.subject.value for q in ox.parse(data, format=rdf_format) if isinstance(q.subject, ox.NamedNode)}


def test_every_write_path_reaches_every_export(shared: Shared, tokens: Tokens, tmp_path: Path) -> None:
    client, editor = shared.client, tokens.header("editor")
    # The default graph, by every door that names no graph.
    default_writes = {
        "update-default": lambda: client.post("/update", content=f"INSERT DATA {{ {triple('update-default')} }}",
                                              headers={**UPDATE, **editor}),
        "gsp-post-default": lambda: client.post("/store", params={"default": ""}, content=triple("gsp-post-default"),
                                                headers={**editor, "Content-Type": "application/n-triples"}),
        "import-turtle": lambda: client.post("/import", content=triple("import-turtle"),
                                             headers={**editor, "Content-Type": "text/turtle"}),
        "import-nquads-default": lambda: client.post("/import", content=triple("import-nquads-default"),
                                                     headers={**editor, "Content-Type": "application/n-quads"}),
    }
    named_writes = {
        "update-named": lambda: client.post(
            "/update", content=f"INSERT DATA {{ GRAPH <{NAMED}> {{ {triple('update-named')} }} }}",
            headers={**UPDATE, **editor}),
        "gsp-put": lambda: client.put("/store", params={"graph": NAMED + "-put"}, content=triple("gsp-put"),
                                      headers={**editor, "Content-Type": "application/n-triples"}),
        "import-trig": lambda: client.post("/import", content=f"<{NAMED}> {{ {triple('import-trig')} }}",
                                           headers={**editor, "Content-Type": "application/trig"}),
    }
    for name, write in {**default_writes, **named_writes}.items():
        assert write().status_code in (200, 201, 204), name
    cli_file = tmp_path / "cli-load.nq"
    cli_file.write_text(triple("cli-load") + "\n" + triple("cli-load-named")[:-1] + f" <{NAMED}> .\n")
    shared.cli("load", str(cli_file))
    sheet = client.post("/import", params={"org": "paths"}, headers=editor,
                        files={"file": (WORKBOOK.name, WORKBOOK.read_bytes(), "application/octet-stream")})
    assert sheet.status_code == 200, sheet.text
    shared.cli("import", str(ROOT / "examples" / "spreadsheets" / "inventory.csv"), "--org", "paths-cli")

    written = {EX + name for name in [*default_writes, *named_writes, "cli-load", "cli-load-named"]}
    written |= {DataIris.for_org("paths").organisation(), DataIris.for_org("paths-cli").system("credit-scoring")}
    exports = {
        "/export nquads": (client.get("/export").content, ox.RdfFormat.N_QUADS),
        "/export trig": (client.get("/export", params={"format": "trig"}).content, ox.RdfFormat.TRIG),
        "/export jsonld": (client.get("/export", params={"format": "jsonld"}).content, ox.RdfFormat.JSON_LD),
        "GET /store": (client.get("/store", headers={"Accept": "application/n-quads"}).content, ox.RdfFormat.N_QUADS),
        "GET /store trig": (client.get("/store").content, ox.RdfFormat.TRIG),
        "CLI export nquads": (shared.cli("export").encode(), ox.RdfFormat.N_QUADS),
        "CLI export trig": (shared.cli("export", "--format", "trig").encode(), ox.RdfFormat.TRIG),
    }
    for name, (data, rdf_format) in exports.items():
        missing = written - subjects(data, rdf_format)
        assert not missing, f"{name} lacks {sorted(missing)}"

    default_subjects = {EX + name for name in [*default_writes, "cli-load"]}
    for media in ("text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"):
        read = client.get("/store", params={"default": ""}, headers={"Accept": media})
        assert read.status_code == 200, read.text
        assert default_subjects <= subjects(read.content, ox.RdfFormat.from_media_type(media)), media
    # What GET ?default shows, DELETE ?default removes; then there is none.
    assert client.delete("/store", params={"default": ""}, headers=editor).status_code == 204
    assert client.get("/store", params={"default": ""}).status_code == 404
    assert client.delete("/store", params={"default": ""}, headers=editor).status_code == 404
    remaining = subjects(client.get("/export").content, ox.RdfFormat.N_QUADS)
    assert not default_subjects & remaining and {EX + "update-named", EX + "gsp-put"} <= remaining


def test_an_upload_for_another_organisation_does_not_replace_a_cli_import(
        shared: Shared, tokens: Tokens, tmp_path: Path) -> None:
    inventory = ROOT / "examples" / "spreadsheets" / "inventory.csv"
    risks = ROOT / "examples" / "spreadsheets" / "risk-register.csv"
    copy = tmp_path / "inventory.csv"
    copy.write_bytes(inventory.read_bytes())
    shared.cli("import", str(copy), "--org", "acme", "--graph", EX + "registers")
    upload = {"file": (copy.name, copy.read_bytes(), "text/csv")}
    refused = shared.client.post("/import", params={"graph": EX + "registers"}, files=upload,
                                 headers=tokens.header("editor"))
    assert refused.status_code == 409, refused.text
    detail = refused.json()["detail"]
    assert "inventory.csv" in detail and DataIris.for_org("acme").organisation() in detail, detail
    # The CLI's import is intact: its risks still find their systems.
    shared.cli("import", str(risks), "--org", "acme", "--graph", EX + "risks")
    # Asked for, the replacement happens; then the CLI's later import is the one refused.
    replaced = shared.client.post("/import", params={"graph": EX + "registers", "replace": "true"}, files=upload,
                                  headers=tokens.header("editor"))
    assert replaced.status_code == 200, replaced.text
    assert "import of inventory.csv for organisation" in shared.cli_fails(
        "import", str(copy), "--org", "acme", "--graph", EX + "registers")
