"""``/validate`` and ``/soa``: conformance by requirement, and the Statement of Applicability.

``GET /validate`` for the whole store with the default (compiled) engine answers from
the service's ``LiveConformance`` (``aims_graph.validation.live``): built on the first
such request, then kept current by the writes of ``/store``, ``/import`` and ``/update``,
which report what they touch through ``LiveDep``.  ``?system=``, ``?engine=pyshacl`` and
``?asOf=`` validate from scratch; ``asOf`` classifies as the law stands on that date and keeps
a finding on an EU AI Act requirement only when it applies to its system then.
"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from aims_graph.errors import InputError
from aims_graph.law import as_of_date
from aims_graph.systems import resolve_system
from aims_graph.reports.soa import FORMATS as SOA_FORMATS, render, statement_of_applicability
from aims_graph.validation import ENGINES, validate
from aims_graph.validation.live import ENGINE as LIVE_ENGINE
from aims_graph.api.deps import LiveDep, StoreDep
from aims_graph.api.security import ReaderDep
from aims_graph.api.views import json_view

router = APIRouter(tags=["conformance"], dependencies=[ReaderDep])

_SOA_TYPES = {"csv": "text/csv", "json": "application/json", "md": "text/markdown", "html": "text/html"}


@router.get("/validate", summary="Validate the store (or one system) against the shapes, by requirement")
def validation(
    store: StoreDep,
    live: LiveDep,
    system: Annotated[str | None, Query(description="Only this AI system: its identifier, IRI or CURIE.")] = None,
    engine: Annotated[str, Query(description=f"SHACL engine: {', '.join(ENGINES)}.")] = "compiled",
    as_of: Annotated[str | None, Query(alias="asOf", description="Count an EU AI Act requirement only if it applies "
                                       "to its system on this date (YYYY-MM-DD, not before 2024-08-01).")] = None,
) -> Response:
    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r}: use {', '.join(ENGINES)}")
    on = as_of_date(as_of) if as_of is not None else None
    iri = resolve_system(store, system) if system else None
    if iri is None and engine == LIVE_ENGINE and on is None:
        report, freshness = live.report(store)
        body = report.summary().to_dict()
        body["live"] = freshness.to_dict()
        response = json_view(body)
        response.headers["X-Validation-Built-At"] = freshness.built_at
        response.headers["X-Validation-Incremental-Updates"] = str(freshness.incremental_updates)
        return response
    body = validate(store, iri, engine, as_of=on).summary().to_dict()
    if on is not None:
        body["asOf"] = on.isoformat()
    return json_view(body)


@router.get("/soa", summary="The Statement of Applicability: every ISO/IEC 42001 Annex A control",
            responses={200: {"content": {media: {} for media in _SOA_TYPES.values()}}})
def soa(
    store: StoreDep,
    output: Annotated[str, Query(alias="format", description=f"One of {', '.join(SOA_FORMATS)}.")] = "json",
    statement: Annotated[str | None, Query(alias="soa", description="The statement's IRI when there are several.")] = None,
) -> Response:
    if output not in SOA_FORMATS:
        raise InputError(f"unknown format {output!r}: use {', '.join(SOA_FORMATS)}")
    text = render(statement_of_applicability(store, statement), output)
    if output == "json":
        return json_view(json.loads(text))
    return Response(text, media_type=_SOA_TYPES[output])
