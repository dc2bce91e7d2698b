"""The example organisation, loaded and classified once (the fixture of tests/queries)."""

from tests.queries.conftest import example_store  # noqa: F401  (a fixture shared with the query tests)
