"""Look-ups that prepare a request (a notation resolved to its concept) are kept until
the next write, and only on a store the service manages: never a stale answer."""

from __future__ import annotations

from fastapi.testclient import TestClient

from aims_graph.api.lookups import LookupCache
from aims_graph.api.main import create_app
from aims_graph.api.settings import Settings
from tests.api.conftest import Tokens

SCRATCH = "https://example.org/test/lookups"
NEW_CONCEPT = (b'<https://w3id.org/aims-graph/eu-ai-act/Article-999> '
               b'<http://www.w3.org/2004/02/skos/core#notation> "Article 999" ; '
               b'<http://www.w3.org/2004/02/skos/core#inScheme> <https://w3id.org/aims-graph/eu-ai-act> .')


def test_an_answer_looked_up_across_a_write_is_not_kept() -> None:
    cache = LookupCache()
    generation = cache.generation
    cache.forget()  # a write began (or ended) while the answer was on its way
    cache.put("ASK {}", b"{}", generation)
    assert cache.get("ASK {}") is None
    cache.put("ASK {}", b"{}", cache.generation)
    assert cache.get("ASK {}") == b"{}"
    cache.forget()
    assert cache.get("ASK {}") is None


def test_a_write_makes_the_service_look_again(client: TestClient, tokens: Tokens) -> None:
    missing = client.get("/queries/concept-mappings", params={"concept": "Article 999"})
    assert missing.status_code == 404  # and its (empty) look-up answer is now kept
    assert client.get("/queries/concept-mappings", params={"concept": "Article 999"}).status_code == 404
    # A concept the scheme lacks is a typo unless the writer says otherwise (issue 17).
    added = client.put("/store", params={"graph": SCRATCH, "allowUnknownTerms": "true"}, content=NEW_CONCEPT,
                       headers={**tokens.header("editor"), "Content-Type": "text/turtle"})
    assert added.status_code in (201, 204), added.text
    found = client.get("/queries/concept-mappings", params={"concept": "Article 999"})
    assert found.status_code == 200, found.text
    removed = client.delete("/store", params={"graph": SCRATCH}, headers=tokens.header("editor"))
    assert removed.status_code == 204
    assert client.get("/queries/concept-mappings", params={"concept": "Article 999"}).status_code == 404


def test_nothing_is_kept_for_a_remote_store(settings: Settings) -> None:
    """Its other clients can write it without the service knowing."""
    remote = create_app(Settings(store="http://127.0.0.1:9/query", tokens_file=settings.tokens_file))
    assert remote.state.lookups is None
    assert create_app(settings).state.lookups is not None
