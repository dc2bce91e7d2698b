"""``aims-graph token``: create, list and revoke the access tokens of the HTTP service.

These commands never open the store: a running server holds its lock, and tokens are
managed while it runs (the server re-reads the file when it changes).
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from aims_graph.cli.app import sub_app
from aims_graph.cli.tables import FORMAT_HELP, Column, check_format, show
from aims_graph.errors import InputError
from aims_graph.serving.tokens import TOKENS_ENV, Role, TokenFile, tokens_path

token_app = sub_app("token", "Access tokens of the HTTP service (reader, editor, admin).")
console = Console()


def _token_file(ctx: typer.Context) -> TokenFile:
    spec = ctx.find_root().obj["store_spec"]
    path = tokens_path(spec)
    if path is None:
        raise InputError(f"the store {spec!r} has no directory to keep tokens beside: set {TOKENS_ENV}")
    return TokenFile(path)


@token_app.command("create")
def create(
    ctx: typer.Context,
    role: Annotated[str, typer.Option(help="reader (queries), editor (writes organisation data), admin (also the product's other graphs under /graph/; reference graphs are written by no token: see aims-graph reload).")] = "reader",
    label: Annotated[str, typer.Option(help="A note on who or what uses the token.")] = "",
) -> None:
    """Create a token; it is printed once, alone on the last line, and stored only hashed."""
    tokens = _token_file(ctx)
    entry, secret = tokens.create(Role.named(role), label)
    console.print(f"created {entry.role} token {entry.id} in {tokens.path}", highlight=False)
    console.print("send it as 'Authorization: Bearer <token>'; it cannot be shown again:")
    print(secret)


@token_app.command("list")
def list_tokens(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", help=FORMAT_HELP)] = "text",
) -> None:
    """List the tokens (ids, roles, labels; never the secrets)."""
    fmt = check_format(fmt)
    tokens = _token_file(ctx)
    show(f"tokens in {tokens.path}", [Column("id", "keep"), Column("role", "keep"), Column("label"),
                                      Column("created", "keep")],
         [[entry.id, entry.role, entry.label, entry.created] for entry in tokens.entries()], fmt)


@token_app.command("revoke")
def revoke(ctx: typer.Context, token_id: Annotated[str, typer.Argument(help="The id shown by 'token list'.")]) -> None:
    """Revoke a token; a running server refuses it from its next request on."""
    entry = _token_file(ctx).revoke(token_id)
    console.print(f"revoked {entry.role} token {entry.id}")
