"""The concept IRIs a crosswalk may point at, read from the compiled reference schemes.

A crosswalk row naming a concept that no scheme defines is the commonest crosswalk
defect (invented control numbers, draft article numbers), so the reader checks every
IRI against this set rather than trusting the file.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from aims_graph.paths import REFERENCE_DIR

_IN_SCHEME = ox.NamedNode("http://www.w3.org/2004/02/skos/core#inScheme")


def known_concepts(reference_dir: Path = REFERENCE_DIR) -> frozenset[str]:
    """IRIs of every concept that some compiled ``<scheme>.ttl`` puts in a concept scheme.

    ``*.meta.ttl`` files describe schemes, not concepts, and are skipped.
    """
    found: set[str] = set()
    for path in sorted(reference_dir.glob("*.ttl")):
        if path.name.endswith(".meta.ttl"):
            continue
        for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            if triple.predicate == _IN_SCHEME and isinstance(triple.subject, ox.NamedNode):
                found.add(triple.subject.value)
    return frozenset(found)
