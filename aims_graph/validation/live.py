"""Live conformance: whole-store validation kept current write by write.

``validate(store)`` collects the organisation's data, classifies every AI system and
validates everything, on every call.  ``LiveConformance`` does that once (the first
time it is asked) and then keeps the same validation data and the latest results per
focus node up to date as writes are reported to it:

* The validation data is held in parts, exactly as ``data.collect`` builds it: the
  organisation data by subject, the derived classification by AI system (or GPAI
  model), and the reference context; their union is one in-memory store, the data
  graph of an ``aims_graph.shacl.IncrementalValidator``.
* A write reports the subjects it may have touched (the subjects of the triples it
  added, and for a replacement or deletion those the graph held before), or the graphs
  whose subjects are to be read again.  Applying it re-reads those subjects'
  organisation data, re-derives the classification of the AI systems among them (all
  systems when a management system or organisation changed), and hands the nodes of
  the triples that actually entered or left the validation data to
  ``IncrementalValidator.update``.
* What cannot be bounded that way marks the state *stale*, and the next report
  rebuilds it in full: writes to a reference graph (or to an unknown graph), blank
  nodes among the subjects, changes to rdfs:subClassOf/subPropertyOf in the
  organisation data, and every write a caller cannot describe.

Writes are serialised by ``writing`` (one at a time, so that "the subjects a graph
held before" cannot be changed by another write between the look and the write) and
queued; the queue is drained under the state lock before every report, so a report
never misses a write that was acknowledged before it was asked for.  A full rebuild
does not hold up writes: they queue and are applied after it.  Shapes that compare
with NOW() are re-checked (``validate_all`` on the held data) when the date changes.

The report is the law as of today, as ``validate(store, as_of=today)`` and
``aims-graph validate`` give it: the classification is derived as of the day (rebuilt when
the version of the act in force changes), and a finding on an EU AI Act requirement is
answered only when the requirement applies to its system on the day of the answer
(``validation.in_force``, a few look-ups per focus node, applied to the held results).

Results are returned in the canonical order ``report.result_order``, as ``validate`` returns them.

Every write is also classified before it is acknowledged: ``writing`` hands the subjects it
touched to ``classification.on_write.StoredClassification`` while it still holds the write
lock, which replaces the stored derivations of the systems they can change (all of them when
the subjects are unknown), so the inventory (``/systems``) never lists a written system without
its categories. Writes are therefore tracked from the first one, not only once a report was asked.

Writes made to the store without going through ``writing`` (another process on a
remote endpoint) are not seen; ``watch`` adds a cheap check (quads per graph, read
before each report and after each tracked write) that turns such a write into a full
rebuild, but a change that keeps every graph's size is not detected.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable, ContextManager, Iterable, Iterator

import pyoxigraph as ox

from aims_graph.classification import DERIVED_GRAPH, derive
from aims_graph.classification.inputs import is_organisation_graph, organisation_data, reference_context
from aims_graph.classification.on_write import (
    StoredClassification,
    classified_among,
    context_subjects,
    systems_linking,
)
from aims_graph.law import ActVersion, law_of
from aims_graph.rdf.namespaces import AIMS, RDFS
from aims_graph.shacl.incremental import IncrementalValidator
from aims_graph.store.base import Store
from aims_graph.validation import in_force
from aims_graph.validation.report import ConformanceReport, requirement_labels, result_order
from aims_graph.validation.shapes import ShapesBundle, load_bundle

_LOG = logging.getLogger(__name__)
ENGINE = "compiled"
_HIERARCHY = {RDFS + "subClassOf", RDFS + "subPropertyOf"}
_CLASSIFICATION = ox.NamedNode(AIMS + "classification")
# Above this many AI systems to re-derive, one derivation of everything is cheaper.
DERIVE_ONE_BY_ONE = 16
# Queued changes beyond this many are replaced by one full rebuild.
MAX_PENDING = 256


@dataclass
class Change:
    """What one write may have touched."""

    subjects: set[ox.NamedNode] = field(default_factory=set)
    reread: set[str] = field(default_factory=set)  # graphs whose current subjects are to be re-read


@dataclass(frozen=True)
class Freshness:
    """How current a live report is."""

    built_at: str  # when the state was last built in full (UTC, ISO 8601)
    incremental_updates: int  # writes applied incrementally since then
    last_update_at: str | None
    rebuilt: bool  # this report needed a full build

    def to_dict(self) -> dict:
        return {"built_at": self.built_at, "incremental_updates": self.incremental_updates,
                "last_update_at": self.last_update_at, "rebuilt": self.rebuilt}


class WriteTracker:
    """Handed to a write by ``LiveConformance.writing``: the write says what it touches."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.change = Change()
        self.stale = False
        self._graphs: dict[str | None, bool] = {}

    @property
    def active(self) -> bool:
        return not self.stale

    def graph_before(self, graph: str) -> None:
        """Call before writing ``graph``: its current subjects may lose triples."""
        if self.active:
            if not self._check_graph(graph):
                return
            subjects = _graph_subjects(self._store, graph)
            if subjects is None:
                self.stale = True
            else:
                self.change.subjects |= subjects

    def graph_after(self, graph: str) -> None:
        """Re-read the subjects ``graph`` holds once the write is done (for writes whose
        triples are not known, such as a spreadsheet import or a SPARQL update)."""
        if self.active and self._check_graph(graph):
            self.change.reread.add(graph)

    def body(self, data: bytes, rdf_format: ox.RdfFormat, graph: str | None) -> None:
        """The triples (or quads) a write adds, as sent; ``graph`` is where the triples
        without a graph go."""
        if not self.active:
            return
        # Streamed, never listed: a body's quads as Python objects cost 5-10 times its text.
        try:
            self.quads(ox.parse(data, format=rdf_format), graph)
        except (SyntaxError, ValueError, MemoryError):
            self.stale = True  # the write fails too; nothing to bound, nothing to trust

    def quads(self, quads: Iterable[ox.Quad], graph: str | None = None) -> None:
        """The quads a write adds or removes, as the request names them (a body, or an
        update's INSERT DATA / DELETE DATA); ``graph``, when given, is where the quads
        without a graph go (quads that name a graph keep it, as a load keeps it)."""
        if not self.active:
            return
        for quad in quads:
            named = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else None
            target = named if named is not None else graph
            if not self._check_graph(target):
                if self.stale:
                    return
                continue  # the derived graph: validation never reads it
            if not isinstance(quad.subject, ox.NamedNode):
                self.stale = True
                return
            self.change.subjects.add(quad.subject)

    def everything(self) -> None:
        """The write's effect is unknown: rebuild in full before the next report."""
        self.stale = True

    def _check_graph(self, graph: str | None) -> bool:
        """True for an organisation graph; False for the derived graph (validation never
        reads stored derivations) and, marking the write stale, for any other."""
        known = self._graphs.get(graph)
        if known is None:
            known = self._graphs[graph] = graph is not None and is_organisation_graph(graph)
        if not known and graph != DERIVED_GRAPH:
            self.stale = True
        return known


class LiveConformance:
    """The whole store's conformance report, kept current by the writes reported to it.

    Every write of the service passes through ``writing``; ``write_guard``, when given, is
    held for the duration of each (the service tells its engine's memory watch with it
    that a bounded write, not a runaway query, is growing the engine)."""

    def __init__(self, *, watch: bool = False, bundle: ShapesBundle | None = None,
                 write_guard: Callable[[], ContextManager[None]] | None = None,
                 today: Callable[[], dt.date] = dt.date.today) -> None:
        self.watch = watch
        self.today = today  # the clock of "as of today" (a test sets another day)
        self.classification = StoredClassification(lambda: self.today())
        self._write_guard = write_guard or nullcontext
        self._bundle = bundle
        self._state_lock = threading.RLock()  # the validation data and the validator
        self._write_lock = threading.Lock()  # one tracked write at a time
        self._queue_lock = threading.Lock()  # the queue below
        self._pending: list[Change] = []
        self._stale = True
        self._active = False  # once asked for a report, writes are tracked
        self._fingerprint: dict[str, int] | None = None
        # The state (valid once built).
        self._data = ox.Store()
        self._count: dict[ox.Quad, int] = {}
        self._org: dict[ox.NamedNode, set[ox.Quad]] = {}
        self._derived: dict[str, set[ox.Quad]] = {}
        self._classified: set[str] = set()
        self._context: set[str] = set()
        self._validator: IncrementalValidator | None = None
        self._day: str | None = None  # the date NOW() gave at the last validation of everything
        self._version: ActVersion | None = None  # the version of the act the classification was derived under
        self._built_at: str | None = None
        self._updates = 0
        self._last_update: str | None = None

    @property
    def bundle(self) -> ShapesBundle:
        return self._bundle or load_bundle()

    # ---- the write side ----------------------------------------------------------

    @contextmanager
    def writing(self, store: Store) -> Iterator[WriteTracker]:
        """Wrap one write to ``store``: the body tells the tracker what it touches (before
        and after writing); on leaving, the change is queued or the state marked stale, the
        stored classification of what it touched is brought up to date (a write that failed
        classifies nothing; a classification that fails fails the request, after the live
        state has been told), then the change is applied if nothing else holds the state.
        Leave before acknowledging."""
        with self._write_lock, self._write_guard():
            tracker = WriteTracker(store)
            written = False
            try:
                yield tracker
                written = True
            finally:
                if self._active:
                    if tracker.stale:
                        self.mark_stale()
                    elif tracker.change.subjects or tracker.change.reread:
                        self._queue(tracker.change)
                    if self.watch:
                        self._fingerprint = None if tracker.stale else _fingerprint_or_none(store)
            if written:  # classified before the write is acknowledged
                self.classification.after_write(store, _touched(store, tracker))
        self._drain_if_free(store)

    def mark_stale(self) -> None:
        """Rebuild in full before the next report."""
        with self._queue_lock:
            self._stale = True
            self._pending.clear()

    def _queue(self, change: Change) -> None:
        with self._queue_lock:
            if self._stale:
                return
            self._pending.append(change)
            if len(self._pending) > MAX_PENDING:
                self._stale = True
                self._pending.clear()

    def _drain_if_free(self, store: Store) -> None:
        """Apply queued changes now unless the state is busy (a build or another report
        will apply them); never rebuilds, so a write is not held up by a full build."""
        if self._state_lock.acquire(blocking=False):
            try:
                if self._validator is not None:
                    self._drain(store, rebuild=False)
            except Exception:
                self.mark_stale()  # the next report rebuilds, and raises if the store still fails
            finally:
                self._state_lock.release()

    # ---- the read side -----------------------------------------------------------

    def report(self, store: Store) -> tuple[ConformanceReport, Freshness]:
        """The current whole-store report: ``validate(store, as_of=today)`` with the compiled
        engine, today being the day of the answer."""
        with self._state_lock:
            if self.watch:
                with self._write_lock:
                    current = _fingerprint(store)
                    if current != self._fingerprint:
                        self.mark_stale()
            on = self.today()
            law = law_of(store)
            if self._validator is not None and law.version_in_force(on) != self._version:
                self.mark_stale()  # the rules read the version in force: derive again
            rebuilt = self._drain(store)
            today = _today(self._data)
            if today != self._day:
                # Some shapes compare with NOW() (overdue reviews, late incident reports):
                # results kept from another day are re-checked on today's date.
                self._validator.validate_all()
                self._day = today
            results = in_force(law, self._data, self.bundle, self._validator.report().results, on)
            results = sorted(results, key=result_order)
            report = ConformanceReport(results, self.bundle, ENGINE, None, requirement_labels(self._data, self.bundle))
            return report, Freshness(self._built_at or "", self._updates, self._last_update, rebuilt)

    def _drain(self, store: Store, *, rebuild: bool = True) -> bool:
        """Apply what is queued; if stale, rebuild (or, with ``rebuild=False``, leave
        that to the next report). True if a full build ran."""
        rebuilt = False
        while True:
            with self._queue_lock:
                if self._stale and not rebuild:
                    return rebuilt
                stale, changes = self._stale, self._pending
                self._pending = []
            if stale:
                # Taken with the write lock: a write either ends before the build reads
                # the store, or is tracked (it sees ``_active``) and queued for after it.
                with self._write_lock, self._queue_lock:
                    self._stale = False
                    self._pending = []
                    self._active = True
                try:
                    self._build(store)
                except Exception:
                    self.mark_stale()
                    raise
                rebuilt = True
                continue
            if not changes:
                return rebuilt
            try:
                applied = all(self._apply(store, change) for change in changes)  # stops at the first False
            except Exception:  # the state may be half updated: rebuild it (a lasting fault raises there)
                _LOG.warning("live conformance: a change could not be applied; rebuilding", exc_info=True)
                applied = False
            if not applied:
                self.mark_stale()

    # ---- building and applying ---------------------------------------------------

    def _build(self, store: Store) -> None:
        if self.watch:
            with self._write_lock:
                self._fingerprint = _fingerprint(store)
        org = _by_subject(_parse(organisation_data(store)))
        on = self.today()
        self._version = law_of(store).version_in_force(on)
        derivation = derive(store, as_of=on)
        reference = set(_parse(reference_context(store)))
        self._data = ox.Store()
        self._count = {}
        self._org = org
        self._classified = set(derivation.focus)
        self._derived = _by_system(derivation.graph, self._classified)
        self._context = context_subjects(store)
        for part in (*org.values(), *self._derived.values(), reference):
            for t in part:
                self._count[t] = self._count.get(t, 0) + 1
        self._data.extend(self._count)
        self._validator = IncrementalValidator(list(self.bundle.triples), self._data)
        self._validator.validate_all()
        self._day = _today(self._data)
        self._built_at = _now()
        self._updates = 0
        self._last_update = None

    def _apply(self, store: Store, change: Change) -> bool:
        """Bring the state up to date for one change; False if only a rebuild can."""
        subjects = set(change.subjects)
        for graph in change.reread:
            found = _graph_subjects(store, graph)
            if found is None:
                return False
            subjects |= found
        if not subjects:
            return True
        fresh = _by_subject(_parse(organisation_data(store, sorted(s.value for s in subjects))))
        moved = {s for s in subjects if fresh.get(s, set()) != self._org.get(s, set())}
        if not moved:
            return True
        for s in moved:
            if any(t.predicate.value in _HIERARCHY for t in (*fresh.get(s, ()), *self._org.get(s, ()))):
                return False  # targets move wholesale
        touched: dict[ox.Quad, bool] = {}  # triple -> was it in the data before
        for s in moved:
            old, new = self._org.pop(s, set()), fresh.get(s, set())
            self._remove(old - new, touched)
            self._add(new - old, touched)
            if new:
                self._org[s] = new
        self._rederive(store, {s.value for s in moved}, touched)
        flipped = [t for t, was in touched.items() if (t in self._count) != was]
        changed = {n for t in flipped for n in (t.subject, t.object) if not isinstance(n, ox.Literal)}
        if changed:
            self._validator.update(changed)
        self._updates += 1
        self._last_update = _now()
        return True

    def _rederive(self, store: Store, moved: set[str], touched: dict[ox.Quad, bool]) -> None:
        """Re-derive the classification of the systems the moved subjects can change: the
        moved AI systems themselves and the systems linking a moved node whose facts the rules
        read (a value-chain event, an Article 6(3) assessment), or all when a management system
        or organisation (which every system's rules read) moved."""
        context_now = context_subjects(store, moved)
        if moved & (self._context | context_now):
            self._context = context_subjects(store)
            systems = None
        else:
            linking = systems_linking(store, moved)
            classified_now = classified_among(store, moved | linking)
            systems = sorted((moved | linking) & (self._classified | classified_now))
            if not systems:
                return
            if len(systems) > DERIVE_ONE_BY_ONE:
                systems = None
        if systems is None:
            derivation = derive(store, as_of=self.today())
            self._classified = set(derivation.focus)
            fresh = _by_system(derivation.graph, self._classified)
            targets = set(self._derived) | set(fresh)
        else:
            fresh = {}
            for system in systems:
                if system in classified_now:
                    derivation = derive(store, system, self.today())
                    fresh.update(_by_system(derivation.graph, {system}))
                    self._classified.add(system)
                else:
                    self._classified.discard(system)
            targets = set(systems)
        for system in targets:
            old, new = self._derived.get(system, set()), fresh.get(system, set())
            if old == new:
                continue
            self._remove(old - new, touched)
            self._add(new - old, touched)
            if new:
                self._derived[system] = new
            else:
                self._derived.pop(system, None)

    def _add(self, triples: Iterable[ox.Quad], touched: dict[ox.Quad, bool]) -> None:
        """Count one more holder of each triple (the parts may share triples)."""
        for t in triples:
            n = self._count.get(t, 0)
            touched.setdefault(t, n > 0)
            self._count[t] = n + 1
            if n == 0:
                self._data.add(t)

    def _remove(self, triples: Iterable[ox.Quad], touched: dict[ox.Quad, bool]) -> None:
        for t in triples:
            n = self._count.get(t, 0)
            touched.setdefault(t, n > 0)
            if n <= 1:
                self._count.pop(t, None)
                self._data.remove(t)
            else:
                self._count[t] = n - 1


# ---- store reads ----------------------------------------------------------------

def _parse(ntriples: bytes) -> list[ox.Quad]:
    """Triples as quads of the default graph (as parsed: no conversion, which would
    cost more than the parse)."""
    if not ntriples:
        return []
    return list(ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES))


def _by_subject(triples: Iterable[ox.Quad]) -> dict:
    out: dict = {}
    for t in triples:
        out.setdefault(t.subject, set()).add(t)
    return out


def _by_system(graph: ox.Store, systems: set[str]) -> dict[str, set[ox.Quad]]:
    """Derived triples grouped by the system they were derived for: its own triples and
    those of its classification records."""
    triples = [ox.Quad(q.subject, q.predicate, q.object) for q in graph]
    owner: dict[object, str] = {ox.NamedNode(s): s for s in systems}
    for t in triples:
        if t.predicate == _CLASSIFICATION and t.subject in owner:
            owner.setdefault(t.object, owner[t.subject])
    out: dict[str, set[ox.Quad]] = {}
    for t in triples:
        out.setdefault(owner.get(t.subject, ""), set()).add(t)
    return out


def _touched(store: Store, tracker: WriteTracker) -> set[str] | None:
    """The subjects a finished write touched (None when that is not known)."""
    if tracker.stale:
        return None
    subjects = {s.value for s in tracker.change.subjects}
    for graph in tracker.change.reread:
        found = _graph_subjects(store, graph)
        if found is None:
            return None
        subjects |= {s.value for s in found}
    return subjects


def _graph_subjects(store: Store, graph: str) -> set[ox.NamedNode] | None:
    """The subjects of one graph; None if one is a blank node (it cannot be re-read by
    name) or the graph is no IRI."""
    try:
        name = ox.NamedNode(graph)
    except ValueError:
        return None
    rows = store.query(f"SELECT DISTINCT ?s WHERE {{ GRAPH {name} {{ ?s ?p ?o }} }}")
    subjects = {row["s"] for row in rows}
    if any(not isinstance(s, ox.NamedNode) for s in subjects):
        return None
    return subjects


def _fingerprint(store: Store) -> dict[str, int]:
    """Quads per named graph: a cheap sign that someone else wrote to the store."""
    rows = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {row["g"].value: int(row["n"].value) for row in rows}


def _fingerprint_or_none(store: Store) -> dict[str, int] | None:
    """The fingerprint, or None (which forces a rebuild) if the store cannot give it now."""
    try:
        return _fingerprint(store)
    except Exception:
        return None


def _today(data: ox.Store) -> str:
    """The date the shapes compare with, as they compute it (SUBSTR(STR(NOW()), 1, 10))."""
    return next(iter(data.query("SELECT (SUBSTR(STR(NOW()), 1, 10) AS ?d) WHERE {}")))["d"].value


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


__all__ = ["Change", "Freshness", "LiveConformance", "WriteTracker"]
