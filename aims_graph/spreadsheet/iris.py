"""The IRIs of an organisation's own data, built from the ids the organisation declares.

Stable IRIs are what make a re-import idempotent: the same row always names the same
resource.  The layout is ``<base>/<kind>/<id>``, with ``<base>`` defaulting to
``https://w3id.org/aims-graph/data/<org>``; the importer and the generator share it so
that generated and imported data look alike to queries and pictures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aims_graph.errors import InputError
from aims_graph.knowledge.reference import notation_slug

DATA_BASE = "https://w3id.org/aims-graph/data/"
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug(value: str) -> str:
    """A lower-case IRI segment for free text such as a person's or supplier's name."""
    return _NOT_SLUG.sub("-", value.lower()).strip("-") or "unnamed"


def check_base(base: str) -> str:
    if not re.match(r"^https?://[^\s<>\"{}|\\^`]+$", base):
        raise InputError(f"base IRI {base!r} must be an http(s) IRI without spaces or angle brackets")
    return base.rstrip("/")


@dataclass(frozen=True)
class DataIris:
    """IRIs for one organisation's data under one base."""

    base: str
    org: str = "org"

    @classmethod
    def for_org(cls, org: str = "org", base: str | None = None) -> "DataIris":
        if not ID_PATTERN.match(org):
            raise InputError(f"organisation id {org!r} may only hold letters, digits, '.', '_' and '-'")
        return cls(check_base(base or DATA_BASE + org), org)

    def of(self, kind: str, local_id: str) -> str:
        return f"{self.base}/{kind}/{local_id}"

    def system(self, local_id: str) -> str:
        return self.of("system", local_id)

    def control(self, notation: str) -> str:
        """One control implementation per Annex A control: the SoA model of ISO/IEC 42001."""
        return self.of("control", notation_slug(notation))

    def person(self, name: str) -> str:
        return self.of("person", slug(name))

    def organisation(self, name: str | None = None) -> str:
        """The organisation itself (no name) or a third party named in a cell."""
        return self.of("organisation", self.org if name is None else slug(name))

    @property
    def aims(self) -> str:
        return f"{self.base}/aims"

    @property
    def soa(self) -> str:
        return f"{self.base}/soa"

    @property
    def system_prefix(self) -> str:
        return f"{self.base}/system/"
