"""Run an OWL 2 DL reasoner (HermiT, bundled with owlready2) over the ontology and data.

SHACL checks what a graph *says*; the reasoner checks what it *entails*: whether the
ontology with an organisation's data is consistent at all, which classes can have no
member, and which types follow from the axioms (a system supplied by a third party is a
``aims:ThirdPartyAISystem`` without anyone saying so).  Every call builds a fresh
owlready2 World so that runs never leak into each other, and nothing is fetched from
the network: ``owl:imports`` are dropped because the caller passes every module it wants.
"""

from __future__ import annotations

import logging
import re
import shutil
import tempfile
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import rdflib
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, XSD

from aims_graph.errors import AimsGraphError, InputError
from aims_graph.extras import missing_extra
from aims_graph.paths import ONTOLOGY_DIR

try:
    import owlready2
except ImportError as error:  # the 'reasoning' extra
    raise missing_extra("reasoning", error) from error

CORE_FILES: tuple[Path, ...] = (
    ONTOLOGY_DIR / "aims.ttl",
    ONTOLOGY_DIR / "crosswalk-vocabulary.ttl",
    ONTOLOGY_DIR / "alignment.ttl",
)

# Vocabulary that describes the ontology itself rather than the things in it; a type in
# these namespaces (owl:NamedIndividual, owl:Class ...) is never reported as inferred.
_META_NAMESPACES = (str(OWL), str(RDF), str(RDFS))
# Datatypes whose literals HermiT checks against a property's range.
_CHECKED_DATATYPES = (XSD.boolean, XSD.integer, XSD.double, XSD.anyURI, XSD.string)


class JavaMissingError(AimsGraphError, RuntimeError):
    """HermiT is a Java program; without ``java`` on PATH no reasoning can happen."""


class ReasonerFailedError(AimsGraphError, RuntimeError):
    """HermiT stopped without an answer (for example on input outside OWL 2 DL)."""


class ReasoningInputError(InputError):
    """One of the inputs could not be parsed as Turtle; the message names which one."""


@dataclass(frozen=True)
class ReasoningReport:
    """What HermiT concluded about the merged input.

    ``inferred_types`` maps an individual's IRI to the named classes it belongs to by
    entailment but that the input neither asserted nor implied through the told
    ``rdfs:subClassOf`` hierarchy, so it lists only what the reasoner added.
    """

    consistent: bool
    explanation: str = ""
    unsatisfiable_classes: list[str] = field(default_factory=list)
    inferred_types: dict[str, list[str]] = field(default_factory=dict)
    triples: int = 0

    @property
    def coherent(self) -> bool:
        """Consistent and without classes that can have no member."""
        return self.consistent and not self.unsatisfiable_classes


def reason(
    extra: Iterable[Path | str] = (),
    *,
    include_core: bool = True,
    infer_property_values: bool = False,
) -> ReasoningReport:
    """Merge the core ontology files with ``extra`` inputs and classify them with HermiT.

    ``extra`` items are Turtle files (``Path``) or Turtle text (``str``), for example the
    compiled reference modules and an organisation's data.  Set ``include_core=False``
    to reason over the given inputs alone.  ``infer_property_values`` asks HermiT for
    entailed object-property values too, which is slower and adds nothing to the report
    beyond types, so it is off by default.
    """
    java = shutil.which("java")
    if java is None:
        raise JavaMissingError(
            "HermiT needs a Java runtime but no 'java' executable is on PATH; install one "
            "(for example 'apt-get install default-jre-headless') or put it on PATH, then retry."
        )
    graph = _merge([*(CORE_FILES if include_core else ())], list(extra))
    _refuse_ill_typed(graph)
    told = _told_types(graph)
    owlready2.JAVA_EXE = java
    with tempfile.TemporaryDirectory(prefix="aims-reason-") as tmp:
        source = Path(tmp) / "input.nt"
        graph.serialize(destination=source, format="nt", encoding="utf-8")
        world = owlready2.World()
        try:
            world.get_ontology(source.as_uri()).load()
            with world.get_ontology("https://w3id.org/aims-graph/reasoning/inferred"):
                # xsd:date is outside the OWL 2 datatype map; HermiT treats its
                # literals as opaque instead of refusing the whole input.
                owlready2.sync_reasoner(
                    world,
                    infer_property_values=infer_property_values,
                    debug=0,
                    ignore_unsupported_datatypes=True,
                )
            unsatisfiable = sorted(
                c.iri for c in world.inconsistent_classes() if c.iri != str(OWL.Nothing)
            )
            inferred = _inferred_types(world, graph, told)
        except owlready2.OwlReadyInconsistentOntologyError:
            return ReasoningReport(
                consistent=False, explanation=_inconsistency_explanation(graph), triples=len(graph)
            )
        except owlready2.OwlReadyOntologyParsingError as error:
            raise ReasoningInputError("the merged input could not be handed to the reasoner: it holds a term "
                                      "that OWL tools cannot read") from error
        except owlready2.OwlReadyJavaError as error:
            raise ReasonerFailedError(_java_message(str(error))) from error
        finally:
            world.close()
    return ReasoningReport(
        consistent=True,
        explanation=(
            f"{len(unsatisfiable)} class(es) can have no member: {', '.join(unsatisfiable)}"
            if unsatisfiable
            else ""
        ),
        unsatisfiable_classes=unsatisfiable,
        inferred_types=inferred,
        triples=len(graph),
    )


def _merge(core: list[Path], extra: list[Path | str]) -> Graph:
    """Parse every input into one graph; stop at the first that is not valid Turtle.

    Turtle strings are numbered by their position in ``extra`` so that the error message
    points at the caller's own argument.
    """
    graph = Graph()
    for number, source in [(0, p) for p in core] + list(enumerate(extra, start=1)):
        part = Graph()
        where = str(source) if isinstance(source, Path) else f"Turtle text #{number} of extra"
        try:
            with _quiet_literal_conversion():
                if isinstance(source, Path):
                    part.parse(source, format="turtle")
                else:
                    part.parse(data=source, format="turtle")
        except FileNotFoundError as error:
            raise ReasoningInputError(f"{where}: file not found") from error
        except Exception as error:  # rdflib raises several unrelated exception types
            raise ReasoningInputError(f"{where}: not valid Turtle: {error}") from error
        graph += part
    graph.remove((None, OWL.imports, None))
    return graph


@contextmanager
def _quiet_literal_conversion() -> Iterator[None]:
    """rdflib logs a traceback (and warns) for every literal whose text is not of its datatype,
    and rewrites some (``"none"^^xsd:boolean`` becomes ``false``); keep the text as written,
    so that ``_refuse_ill_typed`` can report each such literal once, in words."""
    logger = logging.getLogger("rdflib.term")
    was_disabled, logger.disabled = logger.disabled, True
    normalise, rdflib.NORMALIZE_LITERALS = rdflib.NORMALIZE_LITERALS, False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.disabled = was_disabled
        rdflib.NORMALIZE_LITERALS = normalise


def _refuse_ill_typed(graph: Graph) -> None:
    """Refuse literals whose text is not of their datatype (``"high"^^xsd:integer``,
    ``"2025-02-30"^^xsd:date``), naming each: the reasoner would stop on them without saying
    which one, and a consistency verdict over them would mean nothing."""
    bad = sorted(
        f"<{subject}> <{prop}> \"{value}\" (as written) is not a valid {_short(value.datatype)}"
        for subject, prop, value in graph
        if isinstance(value, Literal) and value.ill_typed
    )
    if bad:
        shown = "; ".join(bad[:10]) + (f"; and {len(bad) - 10} more" if len(bad) > 10 else "")
        raise ReasoningInputError(f"{len(bad)} literal(s) are not of their datatype, fix them before reasoning: {shown}")


def _short(datatype: URIRef | None) -> str:
    return f"xsd:{datatype[len(str(XSD)):]}" if datatype and str(datatype).startswith(str(XSD)) else f"<{datatype}>"


def _told_types(graph: Graph) -> dict[str, set[str]]:
    """Each individual's asserted classes closed under the told subclass hierarchy."""
    superclasses: dict[URIRef, set[URIRef]] = {}

    def ancestors(cls: URIRef) -> set[URIRef]:
        if cls not in superclasses:
            superclasses[cls] = set(graph.transitive_objects(cls, RDFS.subClassOf))
        return superclasses[cls]

    told: dict[str, set[str]] = {}
    for subject, cls in graph.subject_objects(RDF.type):
        if isinstance(subject, URIRef) and isinstance(cls, URIRef):
            told.setdefault(str(subject), set()).update(
                str(c) for c in ancestors(cls) if isinstance(c, URIRef)
            )
    return told


def _inferred_types(
    world: owlready2.World, graph: Graph, told: dict[str, set[str]]
) -> dict[str, list[str]]:
    """Named classes of each individual after reasoning, minus what was told.

    Individuals are looked up from the input graph rather than ``world.individuals()``,
    which only lists resources typed ``owl:NamedIndividual``; data rarely says that.
    """
    inferred: dict[str, list[str]] = {}
    nodes = {n for n in graph.all_nodes() if isinstance(n, URIRef)}
    for node in sorted(nodes):
        individual = world[str(node)]
        if not isinstance(individual, owlready2.Thing):
            continue
        iri = individual.iri
        classes = {
            c.iri
            for c in individual.INDIRECT_is_a
            if isinstance(c, owlready2.ThingClass) and not c.iri.startswith(_META_NAMESPACES)
        }
        new = sorted(classes - told.get(iri, set()))
        if new:
            inferred[iri] = new
    return inferred


def _inconsistency_explanation(graph: Graph) -> str:
    """Say that HermiT found no model, and point at the facts that most likely cause it.

    owlready2 does not hand over HermiT's justification, so the usual suspects in this
    ontology are looked up directly: two values for a functional property, and literals
    outside a property's declared datatype or value range.
    """
    suspects = _functional_conflicts(graph) + _range_violations(graph)
    text = (
        "HermiT found the merged input inconsistent: no interpretation satisfies all its "
        "axioms and facts."
    )
    if suspects:
        text += " Likely causes: " + "; ".join(suspects[:10])
        if len(suspects) > 10:
            text += f"; and {len(suspects) - 10} more"
    return text


def _functional_conflicts(graph: Graph) -> list[str]:
    found = []
    for prop in sorted(graph.subjects(RDF.type, OWL.FunctionalProperty)):
        values: dict[object, set[object]] = {}
        for subject, value in graph.subject_objects(prop):
            plain = value.toPython() if isinstance(value, Literal) else value
            values.setdefault(subject, set()).add(plain)
        for subject, distinct in sorted(values.items(), key=lambda item: str(item[0])):
            if len(distinct) > 1:
                shown = ", ".join(sorted(str(v) for v in distinct))
                found.append(
                    f"<{subject}> has {len(distinct)} values ({shown}) "
                    f"for the functional property <{prop}>"
                )
    return found


def _range_violations(graph: Graph) -> list[str]:
    found = []
    for prop in sorted(graph.subjects(RDF.type, OWL.DatatypeProperty)):
        for rng in graph.objects(prop, RDFS.range):
            datatype = graph.value(rng, OWL.onDatatype) if isinstance(rng, BNode) else rng
            bounds = _bounds(graph, rng) if isinstance(rng, BNode) else {}
            for subject, value in graph.subject_objects(prop):
                if not isinstance(value, Literal):
                    continue
                actual = value.datatype or (RDF.langString if value.language else XSD.string)
                if datatype is not None and actual != datatype and datatype in _CHECKED_DATATYPES:
                    found.append(
                        f"<{subject}> <{prop}> {value.n3()} is not of the range datatype <{datatype}>"
                    )
                elif bounds and not _within(value.toPython(), bounds):
                    found.append(f"<{subject}> <{prop}> {value.n3()} lies outside the allowed range")
    return found


def _bounds(graph: Graph, datatype: BNode) -> dict[URIRef, object]:
    facets: dict[URIRef, object] = {}
    restrictions = graph.value(datatype, OWL.withRestrictions)
    if restrictions is None:
        return facets
    for facet_node in Collection(graph, restrictions):
        for facet, limit in graph.predicate_objects(facet_node):
            if isinstance(limit, Literal):
                facets[facet] = limit.toPython()
    return facets


def _within(value: object, bounds: dict[URIRef, object]) -> bool:
    try:
        low = bounds.get(XSD.minInclusive)
        high = bounds.get(XSD.maxInclusive)
        return (low is None or value >= low) and (high is None or value <= high)
    except TypeError:
        return False


def _java_message(text: str) -> str:
    """Keep the first meaningful line of a Java error, not the whole stack trace."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    useful = [line for line in lines if not re.match(r"^at [\w.$]+\(", line)]
    return "HermiT could not process the input: " + " | ".join(useful[:4])
