"""``/oscal/...``: the OSCAL documents for GRC tools (``aims_graph.exports.oscal``): the
catalog of a reference scheme, the mapping collection of a crosswalk and the component
definition of the organisation's implemented controls.

A document that points at a catalog points at that catalog's path here, so a tool that
fetched one document can fetch the catalogs it names from the same service.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from aims_graph.api.deps import StoreDep
from aims_graph.api.security import ReaderDep
from aims_graph.exports import oscal
from aims_graph.exports.oscal.documents import CatalogHref, Document

router = APIRouter(tags=["OSCAL"], dependencies=[ReaderDep])
_OSCAL_JSON: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/json": {}}, "description": "An OSCAL 1.2.1 document (JSON)."},
}


def _answer(document: Document) -> Response:
    return Response(oscal.to_json(document), media_type="application/json")


def _catalog_path(request: Request) -> CatalogHref:
    """Where this service answers the catalog of a scheme, as a path on its own host."""
    root = request.scope.get("root_path", "")
    return lambda scheme: root + request.app.url_path_for("oscal_catalog", scheme=scheme)


@router.get("/oscal/catalogs/{scheme}", name="oscal_catalog", response_class=Response, responses=_OSCAL_JSON,
            summary="The OSCAL catalog of a reference scheme (identifiers and titles only)")
def catalog(store: StoreDep, scheme: str) -> Response:
    return _answer(oscal.catalog(store, scheme, last_modified=datetime.now(UTC)))


@router.get("/oscal/mappings/{crosswalk}", response_class=Response, responses=_OSCAL_JSON,
            summary="The OSCAL mapping collection of a crosswalk")
def mapping(store: StoreDep, request: Request, crosswalk: str) -> Response:
    return _answer(oscal.mapping_collection(store, crosswalk, last_modified=datetime.now(UTC),
                                            catalog_href=_catalog_path(request)))


@router.get("/oscal/component-definition", response_class=Response, responses=_OSCAL_JSON,
            summary="The OSCAL component definition of the AI management system's implemented controls")
def component(
    store: StoreDep, request: Request,
    statement: Annotated[str | None, Query(alias="soa", description="The statement of applicability's IRI when "
                                                                     "the store holds several.")] = None,
) -> Response:
    return _answer(oscal.component_definition(store, statement, last_modified=datetime.now(UTC),
                                              catalog_href=_catalog_path(request)))
