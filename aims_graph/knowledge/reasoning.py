"""Run an OWL 2 DL reasoner (HermiT, bundled with owlready2) over the ontology and data.

SHACL checks what a graph *says*; the reasoner checks what it *entails*: whether the
ontology with an organisation's data is consistent at all, which classes can have no
member, and which types follow from the axioms (a system supplied by a third party is a
``aims:ThirdPartyAISystem`` without anyone saying so).  Every call runs HermiT in a Java
process of its own on a file of its own, so that runs never leak into each other, and
nothing is fetched from the network: ``owl:imports`` are dropped because the caller passes
every module it wants.  HermiT is started directly rather than through owlready2's
``sync_reasoner``, which asks it for more than the report needs and loads the input into
a quadstore first (see ``HERMIT_TASKS``).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import tempfile
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
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
# Kinds of terms that describe the vocabulary, not the things in it (see _inferred_types).
_SCHEMA_KINDS = {ox.NamedNode(str(kind)) for kind in (OWL.Class, RDFS.Class, OWL.ObjectProperty, OWL.DatatypeProperty,
                                                       OWL.AnnotationProperty, RDF.Property)}
# Datatypes whose every text is valid: nothing to check.
_FREE_TEXT = {str(XSD.string), str(RDF.langString)}
_TYPE, _SUBCLASS_OF, _IMPORTS = (ox.NamedNode(str(iri)) for iri in (RDF.type, RDFS.subClassOf, OWL.imports))


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


def reason(extra: Iterable[Path | str] = (), *, include_core: bool = True) -> ReasoningReport:
    """Merge the core ontology files with ``extra`` inputs and classify them with HermiT.

    ``extra`` items are Turtle files (``Path``) or Turtle text (``str``), for example the
    compiled reference modules and an organisation's data.  Set ``include_core=False``
    to reason over the given inputs alone.
    """
    java = shutil.which("java")
    if java is None:
        raise JavaMissingError(
            "HermiT needs a Java runtime but no 'java' executable is on PATH; install one "
            "(for example 'apt-get install default-jre-headless') or put it on PATH, then retry."
        )
    triples = _merge([*(CORE_FILES if include_core else ())], list(extra))
    _refuse_ill_typed(triples)
    text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    with tempfile.TemporaryDirectory(prefix="aims-reason-") as tmp:
        source = Path(tmp) / "input.nt"
        source.write_bytes(text)
        taxonomy = _run_hermit(java, source)
    if taxonomy is None:
        return ReasoningReport(consistent=False, explanation=_inconsistency_explanation(_rdflib_graph(text)),
                               triples=len(triples))
    unsatisfiable = sorted(taxonomy.unsatisfiable())
    return ReasoningReport(
        consistent=True,
        explanation=(
            f"{len(unsatisfiable)} class(es) can have no member: {', '.join(unsatisfiable)}"
            if unsatisfiable
            else ""
        ),
        unsatisfiable_classes=unsatisfiable,
        inferred_types=_inferred_types(taxonomy, triples),
        triples=len(triples),
    )


HERMIT_JAVA_OPTIONS = ("-Xmx2000M", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
"""How the JVM runs HermiT: as much memory as owlready2 gives it, and tuned for a short run
(the client compiler only: the optimising one spends more time compiling than a classification of
an organisation lasts; one garbage-collector thread on a small, shared machine)."""
HERMIT_TASKS = ("-c", "-I")
"""Classify the classes (unsatisfiable ones come out as equivalent to owl:Nothing) and the
individuals (their most specific types).  owlready2's ``sync_reasoner`` also classifies the
object and data properties (``-O -D``), which no answer here reads and which took half of
HermiT's time on the example organisation."""


def _run_hermit(java: str, source: Path) -> Taxonomy | None:
    """HermiT's class and individual taxonomy of the N-Triples file ``source``; None when
    the input is inconsistent.  HermiT is the one owlready2 bundles (with its patches)."""
    hermit = Path(owlready2.__file__).parent / "hermit"
    command = [java, *HERMIT_JAVA_OPTIONS, "-cp", os.pathsep.join([str(hermit), str(hermit / "HermiT.jar")]),
               "org.semanticweb.HermiT.cli.CommandLine", *HERMIT_TASKS, "--ignoreUnsupportedDatatypes",
               source.as_uri()]
    # The command is fixed but for the java found on PATH and the file written here.
    done = subprocess.run(command, capture_output=True, text=True, encoding="utf-8",  # noqa: S603
                          errors="replace", check=False)
    if done.returncode == 1 and "InconsistentOntologyException" in done.stderr:
        return None
    if done.returncode != 0:
        raise ReasonerFailedError(_java_message(done.stderr or done.stdout))
    return Taxonomy.read(done.stdout)


@dataclass
class Taxonomy:
    """What HermiT printed: each class's direct superclasses, the sets of equivalent
    classes, and each individual's most specific types (all as IRIs)."""

    parents: dict[str, set[str]] = field(default_factory=dict)
    equivalents: dict[str, set[str]] = field(default_factory=dict)
    types: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def read(cls, output: str) -> Taxonomy:
        """Parse HermiT's output: one axiom a line, ``Name( <iri> <iri> ... )``."""
        taxonomy = cls()
        for number, line in enumerate(output.splitlines(), 1):
            if not line.strip():
                continue
            name, iris = _hermit_axiom(line, number)
            if name == "SubClassOf" and len(iris) == 2:
                taxonomy.parents.setdefault(iris[0], set()).add(iris[1])
            elif name == "EquivalentClasses" and len(iris) >= 2:
                group = set(iris).union(*(taxonomy.equivalents.get(iri, set()) for iri in iris))
                for iri in group:
                    taxonomy.equivalents[iri] = group
            elif name == "Type" and len(iris) == 2:
                taxonomy.types.setdefault(iris[0], set()).add(iris[1])
            else:
                raise ReasonerFailedError(
                    f"HermiT printed an axiom this reader does not know, line {number}: {line[:200]}")
        return taxonomy

    def unsatisfiable(self) -> set[str]:
        """The classes equivalent to owl:Nothing, owl:Nothing itself left out."""
        return self.equivalents.get(str(OWL.Nothing), set()) - {str(OWL.Nothing)}

    def ancestors(self, iri: str) -> set[str]:
        """``iri``, its equivalent classes and every class above them."""
        found: set[str] = set()
        waiting = [iri]
        while waiting:
            current = waiting.pop()
            if current in found:
                continue
            same = self.equivalents.get(current, {current})
            found |= same
            waiting.extend(parent for member in same for parent in self.parents.get(member, ()))
        return found


def _hermit_axiom(line: str, number: int) -> tuple[str, list[str]]:
    """``Name( <a> <b> )`` -> ``("Name", ["a", "b"])``: a name, then IRIs in angle brackets."""
    name, opening, rest = line.strip().partition("(")
    body = rest.rstrip()
    if not opening or not name.isalpha() or not body.endswith(")"):
        raise ReasonerFailedError(f"HermiT printed a line this reader cannot parse, line {number}: {line[:200]}")
    iris: list[str] = []
    for token in body[:-1].split():
        if len(token) < 3 or token[0] != "<" or token[-1] != ">" or ">" in token[1:-1]:
            raise ReasonerFailedError(f"HermiT printed a term that is not an IRI, line {number}: {token[:200]}")
        iris.append(token[1:-1])
    return name, iris


def _merge(core: list[Path], extra: list[Path | str]) -> list[ox.Triple]:
    """The triples of every input, each once, without ``owl:imports``; stop at the first
    input that is not valid Turtle.

    Turtle strings are numbered by their position in ``extra`` so that the error message
    points at the caller's own argument.  Blank nodes are renamed per input, so that two
    inputs' ``_:b0`` stay two nodes.  (pyoxigraph parses the inputs: rdflib took a tenth of
    the command's time for the example organisation.)
    """
    merged: dict[ox.Triple, None] = {}
    for number, source in [(0, p) for p in core] + list(enumerate(extra, start=1)):
        where = str(source) if isinstance(source, Path) else f"Turtle text #{number} of extra"
        try:
            if isinstance(source, Path):
                quads = ox.parse(path=source, format=ox.RdfFormat.TURTLE, base_iri=source.resolve().as_uri(),
                                 rename_blank_nodes=True)
            else:
                quads = ox.parse(source, format=ox.RdfFormat.TURTLE, rename_blank_nodes=True)
            merged.update((ox.Triple(q.subject, q.predicate, q.object), None) for q in quads)
        except FileNotFoundError as error:
            raise ReasoningInputError(f"{where}: file not found") from error
        except (SyntaxError, OSError) as error:
            raise ReasoningInputError(f"{where}: not valid Turtle: {error}") from error
    return [triple for triple in merged if triple.predicate != _IMPORTS]


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


def _refuse_ill_typed(triples: list[ox.Triple]) -> None:
    """Refuse literals whose text is not of their datatype (``"high"^^xsd:integer``,
    ``"2025-02-30"^^xsd:date``), naming each: the reasoner would stop on them without saying
    which one, and a consistency verdict over them would mean nothing.  rdflib's literals
    know the lexical forms of the datatypes."""
    bad = []
    with _quiet_literal_conversion():
        for triple in triples:
            value = triple.object
            if not isinstance(value, ox.Literal) or value.datatype.value in _FREE_TEXT:
                continue
            if Literal(value.value, datatype=URIRef(value.datatype.value)).ill_typed:
                bad.append(f"<{_key(triple.subject)}> <{triple.predicate.value}> \"{value.value}\" (as written) "
                           f"is not a valid {_short(value.datatype.value)}")
    if bad:
        bad.sort()
        shown = "; ".join(bad[:10]) + (f"; and {len(bad) - 10} more" if len(bad) > 10 else "")
        raise ReasoningInputError(
            f"{len(bad)} literal(s) are not of their datatype, fix them before reasoning: {shown}")


def _short(datatype: str | None) -> str:
    return f"xsd:{datatype[len(str(XSD)):]}" if datatype and datatype.startswith(str(XSD)) else f"<{datatype}>"


def _told_types(triples: list[ox.Triple]) -> dict[str, set[str]]:
    """Each individual's asserted classes closed under the told subclass hierarchy."""
    parents: dict[str, set[str]] = {}
    for triple in triples:
        if triple.predicate == _SUBCLASS_OF:
            parents.setdefault(_key(triple.subject), set()).add(_key(triple.object))
    closed: dict[str, set[str]] = {}

    def ancestors(cls: str) -> set[str]:
        if cls not in closed:
            found, waiting = set(), [cls]
            while waiting:
                current = waiting.pop()
                if current not in found:
                    found.add(current)
                    waiting.extend(parents.get(current, ()))
            closed[cls] = {c for c in found if not c.startswith("_:")}
        return closed[cls]

    told: dict[str, set[str]] = {}
    for triple in triples:
        subject, cls = triple.subject, triple.object
        if triple.predicate == _TYPE and isinstance(subject, ox.NamedNode) and isinstance(cls, ox.NamedNode):
            told.setdefault(subject.value, set()).update(ancestors(cls.value))
    return told


def _key(term: object) -> str:
    """An IRI as itself, a blank node as ``_:id`` (no IRI starts so), a literal as its text."""
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else getattr(term, "value", str(term))


def _inferred_types(taxonomy: Taxonomy, triples: list[ox.Triple]) -> dict[str, list[str]]:
    """Named classes of each individual after reasoning, minus what was told.

    Individuals are the IRIs HermiT typed; an IRI the input also declares a class or a
    property (punning) is described by the class hierarchy, not listed as an individual."""
    schema = {_key(t.subject) for t in triples if t.predicate == _TYPE and t.object in _SCHEMA_KINDS}
    told = _told_types(triples)
    inferred: dict[str, list[str]] = {}
    for individual, direct in taxonomy.types.items():
        if individual in schema:
            continue
        classes = set().union(*(taxonomy.ancestors(c) for c in direct))
        new = sorted(c for c in classes - told.get(individual, set()) if not c.startswith(_META_NAMESPACES))
        if new:
            inferred[individual] = new
    return dict(sorted(inferred.items()))


def _rdflib_graph(ntriples: bytes) -> Graph:
    """The merged input as an rdflib graph, for the explanation of an inconsistency."""
    graph = Graph()
    with _quiet_literal_conversion():
        graph.parse(data=ntriples, format="nt")
    return graph


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
