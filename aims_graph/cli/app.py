"""The Typer application, the global ``--store`` option and user-error handling."""

from __future__ import annotations

import logging
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperGroup

from aims_graph.errors import AimsGraphError, InputError
# The store package is light (pyoxigraph): the remote store (httpx) and the reference
# loader load only when a command opens a store (aims_graph.store.open_store).
from aims_graph.store import STORE_ENV, Store, StoreError, open_store, store_spec

err_console = Console(stderr=True)
EXIT_ERROR = 2


def one_line(message: str, limit: int = 600) -> str:
    """The first line of a message, cut to a readable length (parsers can be verbose)."""
    lines = message.strip().splitlines() or ["unknown error"]
    first = lines[0] if len(lines[0]) <= limit else lines[0][: limit - 1] + "…"
    return first if len(lines) == 1 else f"{first} (and {len(lines) - 1} more)"


class GuardedGroup(TyperGroup):
    """Turns the errors a user can fix into one clear line (exit status 2), no stack trace."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (AimsGraphError, StoreError, SyntaxError, OSError) as error:
            # The message is text, not markup: "pip install 'aims-graph[pictures]'" keeps its brackets.
            err_console.print(f"[bold red]error:[/] {escape(one_line(str(error)))}",
                              highlight=False, soft_wrap=True, markup=True)
            raise typer.Exit(EXIT_ERROR) from error


app = typer.Typer(
    cls=GuardedGroup,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="aims-graph: a knowledge graph of AI governance (ISO/IEC 42001, ISO/IEC 23894, "
    "ISO/IEC 22989, EU AI Act, NIST AI RMF).",
)


def sub_app(name: str, help_text: str) -> typer.Typer:
    """A command group that shares the error handling of the main application."""
    group = typer.Typer(cls=GuardedGroup, no_args_is_help=True, help=help_text)
    app.add_typer(group, name=name)
    return group


def _print_version(asked: bool) -> None:
    if asked:
        from importlib.metadata import version

        typer.echo(f"aims-graph {version('aims-graph')}")
        raise typer.Exit()


@app.callback()
def _global_options(
    ctx: typer.Context,
    store: Annotated[
        str | None,
        typer.Option(
            "--store",
            envvar=STORE_ENV,
            help="Store: a directory (default ./aims-data), 'memory', or a SPARQL endpoint URL.",
        ),
    ] = None,
    _version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    ctx.obj = {"store_spec": store_spec(store)}


def get_store(ctx: typer.Context, *, reference: bool = True) -> Store:
    """Open the store named by ``--store`` once per command run."""
    root = ctx.find_root()
    cached = root.obj.get("store")
    if cached is None:
        spec = root.obj["store_spec"]
        try:
            cached = open_store(spec, reference=reference, progress=True)
        except StoreError as error:
            from aims_graph.cli.serving import held_store_advice, is_directory

            advice = held_store_advice(spec) if is_directory(spec) else None
            if advice is None:
                raise
            raise InputError(advice) from error
        root.obj["store"] = cached
        root.call_on_close(cached.close)
    return cached


def main() -> None:
    # The library reports what it did despite a doubt (a restored reference graph, data
    # loaded with unknown terms) as log warnings: one plain line each on stderr.
    logging.basicConfig(format="warning: %(message)s", level=logging.WARNING)
    app()
