"""``/crosswalks``: the mapping sets, coverage between two schemes, and one concept explained."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from aims_graph.crosswalk import mapping_sets_from_store
from aims_graph.crosswalk.coverage import coverage
from aims_graph.crosswalk.explain import explain
from aims_graph.crosswalk.index import CrosswalkIndex
from aims_graph.api.deps import StoreDep
from aims_graph.api.security import ReaderDep
from aims_graph.api.views import json_view

router = APIRouter(tags=["crosswalks"], dependencies=[ReaderDep])


@router.get("/crosswalks", summary="The crosswalk mapping sets held by the store")
def crosswalks(store: StoreDep) -> Response:
    return json_view([
        {"id": s.id, "title": s.title, "version": s.version, "license": s.license,
         "subject_source": s.subject_source, "object_source": s.object_source,
         "mapping_date": s.mapping_date, "mappings": len(s.mappings), "graph": s.graph_name}
        for s in mapping_sets_from_store(store)
    ])


@router.get("/crosswalks/coverage", summary="How far the crosswalks cover one scheme from another")
def crosswalk_coverage(
    store: StoreDep,
    source: Annotated[str, Query(alias="from", description="Source scheme, e.g. iso42001.")],
    target: Annotated[str, Query(alias="to", description="Target scheme, e.g. eu-ai-act.")],
) -> Response:
    return json_view(coverage(CrosswalkIndex.from_store(store), source, target).to_dict())


@router.get("/crosswalks/explain", summary="Every mapping to and from one concept, with its reasons")
def crosswalk_explain(
    store: StoreDep,
    concept: Annotated[str, Query(description="A notation (A.5.2, 'Article 9'), scheme:notation or an IRI.")],
) -> Response:
    return json_view(explain(CrosswalkIndex.from_store(store), concept).to_dict())
