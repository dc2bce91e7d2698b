"""The on-disk store's fast path for large imports keeps the importer's promise:
a malformed file changes nothing, a good one loads exactly what a transaction would."""

from __future__ import annotations

from pathlib import Path

import pytest

from aims_graph.errors import InputError
from aims_graph.rdf.io import load_files
from aims_graph.store import DEFAULT_DATA_GRAPH, EmbeddedStore, open_store

GOOD = "".join(f"<urn:s{i}> <urn:p> \"value {i}\" .\n" for i in range(2000))


@pytest.fixture
def bulk_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every load takes the bulk path, whatever its size."""
    monkeypatch.setattr(EmbeddedStore, "bulk_load_bytes", 0)


def _quads(store) -> set[tuple[str, ...]]:
    rows = store.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    return {tuple(str(row[v]) for v in ("s", "p", "o", "g")) for row in rows}


def _data(store) -> set[tuple[str, ...]]:
    """The data graph only: reference knowledge has blank nodes, fresh in every store."""
    return {quad for quad in _quads(store) if quad[3] == f"<{DEFAULT_DATA_GRAPH}>"}


def test_malformed_file_leaves_the_store_unchanged(tmp_path: Path, bulk_everything: None) -> None:
    bad = tmp_path / "bad.nt"
    bad.write_text(GOOD + "<urn:broken> <urn:p> \"no end .\n" + GOOD.replace("urn:s", "urn:t"), encoding="utf-8")
    with open_store(str(tmp_path / "store")) as store:
        before = _quads(store)
        with pytest.raises(InputError, match=r"bad\.nt:2001:"):
            load_files(store, [bad])
        assert _quads(store) == before


def test_bulk_path_loads_what_a_transaction_loads(tmp_path: Path, bulk_everything: None) -> None:
    good = tmp_path / "good.nt"
    good.write_text(GOOD, encoding="utf-8")
    with open_store(str(tmp_path / "bulk")) as store:
        assert load_files(store, [good]) == 2000
        bulk = _data(store)
    transaction = open_store("memory")  # in-memory stores always use one transaction
    load_files(transaction, [good])
    assert len(bulk) == 2000
    assert bulk == _data(transaction)


def test_malformed_file_into_a_graph_with_data_changes_nothing(tmp_path: Path, bulk_everything: None) -> None:
    good, bad = tmp_path / "good.nt", tmp_path / "bad.nt"
    good.write_text(GOOD, encoding="utf-8")
    bad.write_text(GOOD.replace("urn:s", "urn:t") + "<urn:broken> <urn:p> \"no end .\n", encoding="utf-8")
    with open_store(str(tmp_path / "store")) as store:
        load_files(store, [good])
        before = _quads(store)
        with pytest.raises(InputError, match=r"bad\.nt:2001:"):
            load_files(store, [bad])
        assert _quads(store) == before


def test_missing_file_is_a_user_error(tmp_path: Path) -> None:
    with open_store(str(tmp_path / "store")) as store:
        with pytest.raises(InputError, match="missing.nt: cannot read the file"):
            load_files(store, [tmp_path / "missing.nt"])
