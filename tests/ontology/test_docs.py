"""``make docs`` documents every term of the aims: vocabulary."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import RDFS

from aims_graph.devtools.ontology_docs import AIMS, load_vocabulary, write


class _Sections(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "section":
            self.ids.update(v for k, v in attrs if k == "id" and v)


def test_every_declared_term_has_a_section_with_its_label(tmp_path: Path) -> None:
    page = write(tmp_path).read_text(encoding="utf-8")
    parser = _Sections()
    parser.feed(page)
    graph = load_vocabulary()
    declared = {s for s in graph.subjects(RDFS.label, None) if isinstance(s, URIRef) and str(s).startswith(str(AIMS))}
    missing = sorted(str(t) for t in declared if str(t)[len(str(AIMS)):] not in parser.ids)
    assert not missing
    assert "Statement of applicability" in page or "statement of applicability" in page
    assert len(parser.ids) > 200
