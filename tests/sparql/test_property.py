"""Property: for generated updates (every operation LOAD aside, random prefixes, BASE,
escapes, comments, spacing and keyword case), the graphs the analysis says an update
writes include every graph whose content the engine actually changed running the
ORIGINAL text on a scratch store, and the re-serialised text has the same effect.

LOAD is left out: running it would fetch a document.  Bounded here so that it runs in
seconds; ``AIMS_GRAPH_RELIABILITY=full`` runs many more examples.
"""

from __future__ import annotations

import os

import pyoxigraph as ox
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aims_graph.sparql import ANY_GRAPH, DEFAULT, parse
from tests.sparql.engine import content

BASE = "http://ex.org/g/"
GRAPHS = [BASE + name for name in ("a", "b", "c")]
NODES = ["http://ex.org/n/s", "http://ex.org/n/o", "http://ex.org/n/p"]
EXAMPLES = 1500 if os.environ.get("AIMS_GRAPH_RELIABILITY") == "full" else 80

SCRATCH = "\n".join(
    [f"<{NODES[0]}> <{NODES[2]}> <{NODES[1]}> ."]
    + [f"<{g}> {{ <{NODES[0]}> <{NODES[2]}> <{NODES[1]}> . <{NODES[1]}> <{NODES[2]}> \"{g[-1]}\" }}" for g in GRAPHS[:2]]
)


def scratch() -> ox.Store:
    store = ox.Store()
    store.load(SCRATCH.encode(), ox.RdfFormat.TRIG)
    return store


@st.composite
def spelling(draw: st.DrawFn) -> dict[str, object]:
    """How one text spells things: its prefix (maybe non-ASCII), whether it has a BASE,
    its keyword case and its separators."""
    return {
        "prefix": draw(st.sampled_from(["g", "é", "g.x", "Ω1", ""])),
        "base": draw(st.sampled_from([None, BASE, BASE + "deeper/"])),
        "case": draw(st.sampled_from([str.upper, str.lower, str.title])),
        "gaps": draw(st.lists(st.sampled_from([" ", "\n", "\t", " # note } { GRAPH\n", "  "]), min_size=1, max_size=3)),
    }


def graph_spellings(iri: str, how: dict[str, object]) -> list[str]:
    """Every way this text can name ``iri``."""
    local = iri[len(BASE):]
    ways = [f"<{iri}>", f"<{iri[:-1]}\\u{ord(iri[-1]):04X}>", f"{how['prefix']}:{local}"]
    if how["base"] == BASE:
        ways.append(f"<{local}>")
    elif how["base"] is not None:
        ways.append(f"<../{local}>")
    return ways


@st.composite
def update_text(draw: st.DrawFn) -> str:
    how = draw(spelling())
    kw = how["case"]
    gap = lambda: draw(st.sampled_from(how["gaps"]))  # noqa: E731
    graph = lambda: draw(st.sampled_from(graph_spellings(draw(st.sampled_from(GRAPHS)), how)))  # noqa: E731
    node = lambda: draw(st.sampled_from([f"<{n}>" for n in NODES] + ['"lit"', "7", '"x"@en']))  # noqa: E731
    iri = lambda: draw(st.sampled_from([f"<{n}>" for n in NODES]))  # noqa: E731

    def triple(pattern: bool) -> str:
        subject = draw(st.sampled_from(["?s", iri()])) if pattern else iri()
        value = draw(st.sampled_from(["?o", node()])) if pattern else node()
        return f"{subject}{gap()}{iri()}{gap()}{value}"

    def block(pattern: bool, with_variable_graph: bool) -> str:
        parts = []
        for _ in range(draw(st.integers(1, 2))):
            choice = draw(st.sampled_from(["default", "graph", "var"] if with_variable_graph else ["default", "graph"]))
            if choice == "default":
                parts.append(triple(pattern) + " .")
            else:
                name = "?g" if choice == "var" else graph()
                parts.append(f"{kw('graph')}{gap()}{name}{gap()}{{ {triple(pattern)} }}")
        return "{" + gap() + gap().join(parts) + gap() + "}"

    def graph_or_default() -> str:
        return draw(st.sampled_from([kw("default"), graph(), f"{kw('graph')} {graph()}"]))

    def operation() -> str:
        kind = draw(st.sampled_from(["insert data", "delete data", "delete where", "modify", "clear",
                                     "drop", "create", "add", "move", "copy"]))
        silent = draw(st.sampled_from(["", kw("silent") + gap()]))
        if kind in {"insert data", "delete data"}:
            return f"{kw(kind.split()[0])}{gap()}{kw('data')}{gap()}{block(False, False)}"
        if kind == "delete where":
            return f"{kw('delete')}{gap()}{kw('where')}{gap()}{block(True, True)}"
        if kind == "modify":
            with_clause = draw(st.sampled_from(["", f"{kw('with')}{gap()}{graph()}{gap()}"]))
            templates = draw(st.sampled_from(["delete", "insert", "both"]))
            text = with_clause
            if templates in {"delete", "both"}:
                text += f"{kw('delete')}{gap()}{block(True, True)}{gap()}"
            if templates in {"insert", "both"}:
                text += f"{kw('insert')}{gap()}{block(True, True)}{gap()}"
            using = draw(st.sampled_from(["", f"{kw('using')}{gap()}{graph()}{gap()}",
                                          f"{kw('using')} {kw('named')} {graph()}{gap()}"]))
            where = draw(st.sampled_from(["{ ?s ?p ?o }", "{ GRAPH ?g { ?s ?p ?o } }",
                                          f"{{ {kw('optional')} {{ ?s ?p ?o }} }}"]))
            return f"{text}{using}{kw('where')}{gap()}{where}"
        if kind in {"clear", "drop"}:
            target = draw(st.sampled_from([f"{kw('graph')}{gap()}{graph()}", kw("default"), kw("named"), kw("all")]))
            return f"{kw(kind)}{gap()}{silent}{target}"
        if kind == "create":
            return f"{kw('create')}{gap()}{kw('silent')}{gap()}{kw('graph')}{gap()}{graph()}"
        return f"{kw(kind)}{gap()}{silent}{graph_or_default()}{gap()}{kw('to')}{gap()}{graph_or_default()}"

    prologue = f"{kw('prefix')}{gap()}{how['prefix']}:{draw(st.sampled_from(['', gap()]))}<{BASE}>{gap()}"
    if how["base"] is not None:
        prologue = f"{kw('base')}{gap()}<{how['base']}>{gap()}" + prologue
    operations = [operation() for _ in range(draw(st.integers(1, 3)))]
    return prologue + f"{gap()};{gap()}".join(operations)


Effect = tuple[str | None, dict[str, list[tuple[str, str, str]]], list[str]]


def effect(text: str) -> Effect:
    """The engine's outcome on a scratch store: its error (it then changes nothing),
    every graph's content afterwards, and which named graphs exist (CREATE, DROP)."""
    store = scratch()
    error = None
    try:
        store.update(text)
    except (RuntimeError, OSError) as refusal:  # e.g. CREATE of a graph that exists
        error = type(refusal).__name__
    return error, content(store), sorted(graph.value for graph in store.named_graphs())


def graph_key(graph: str) -> str:
    return "default" if graph == DEFAULT else graph


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(update_text())
def test_the_graphs_read_as_written_include_every_graph_the_engine_changed(text: str) -> None:
    request = parse(text)
    _, before, graphs_before = effect("")
    outcome = effect(text)
    _, after, graphs_after = outcome
    changed = {graph for graph in before.keys() | after.keys() if before.get(graph) != after.get(graph)}
    changed |= set(graphs_before).symmetric_difference(graphs_after)
    if ANY_GRAPH not in request.writes:
        assert changed <= {graph_key(graph) for graph in request.writes}, (text, request.writes)
    assert effect(request.text) == outcome, (text, request.text)
