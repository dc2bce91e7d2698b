"""Credentials for a remote SPARQL endpoint: from the environment or a private file, never
from the command line (which shell history and process lists keep).

* ``AIMS_GRAPH_STORE_TOKEN``: a bearer token;
* ``AIMS_GRAPH_STORE_USER`` and ``AIMS_GRAPH_STORE_PASSWORD``: HTTP basic;
* else the TOML file ``AIMS_GRAPH_CREDENTIALS`` (default ``~/.config/aims-graph/credentials.toml``),
  readable by its owner only, with one ``[[endpoint]]`` table per service::

      [[endpoint]]
      url = "https://sparql.example.org/"   # applies to every URL under this one
      token = "..."                          # or: username = "...", password = "..."

  The longest ``url`` that the endpoint's URL starts with (same scheme, host and port)
  wins.
"""

from __future__ import annotations

import os
import stat
import tomllib
from pathlib import Path
from typing import Generator
from urllib.parse import urlsplit

import httpx

TOKEN_ENV = "AIMS_GRAPH_STORE_TOKEN"
USER_ENV = "AIMS_GRAPH_STORE_USER"
PASSWORD_ENV = "AIMS_GRAPH_STORE_PASSWORD"
FILE_ENV = "AIMS_GRAPH_CREDENTIALS"
DEFAULT_FILE = Path("~/.config/aims-graph/credentials.toml")


class BearerAuth(httpx.Auth):
    def __init__(self, token: str) -> None:
        self._header = f"Bearer {token}"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._header
        yield request


def credentials_for(url: str) -> httpx.Auth | None:
    """The authentication to send to ``url``, or None for an anonymous endpoint."""
    token = os.environ.get(TOKEN_ENV)
    if token:
        return BearerAuth(token)
    user = os.environ.get(USER_ENV)
    if user:
        return httpx.BasicAuth(user, os.environ.get(PASSWORD_ENV, ""))
    path = Path(os.environ.get(FILE_ENV) or DEFAULT_FILE).expanduser()
    if not path.exists():
        if os.environ.get(FILE_ENV):
            raise ValueError(f"{FILE_ENV}={path}: no such file")
        return None
    return _from_file(path, url)


def _from_file(path: Path, url: str) -> httpx.Auth | None:
    if path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ValueError(f"{path}: credentials must be readable by their owner only (chmod 600 {path})")
    try:
        entries = tomllib.loads(path.read_text(encoding="utf-8")).get("endpoint", [])
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"{path}: not valid TOML: {error}") from error
    if not isinstance(entries, list) or not all(isinstance(e, dict) and isinstance(e.get("url"), str)
                                                 for e in entries):
        raise ValueError(f"{path}: expected [[endpoint]] tables, each with a url")
    matching = [e for e in entries if _covers(e["url"], url)]
    if not matching:
        return None
    entry = max(matching, key=lambda e: len(urlsplit(e["url"]).path))
    if isinstance(entry.get("token"), str):
        return BearerAuth(entry["token"])
    if isinstance(entry.get("username"), str):
        return httpx.BasicAuth(entry["username"], str(entry.get("password", "")))
    raise ValueError(f"{path}: the entry for {entry['url']} has neither a token nor a username")


def _covers(prefix: str, url: str) -> bool:
    """Whether the credentials entry ``prefix`` applies to ``url`` (compared parsed, not as text)."""
    a, b = urlsplit(prefix), urlsplit(url)
    same_origin = (a.scheme, a.hostname, a.port) == (b.scheme, b.hostname, b.port)
    base = a.path.rstrip("/")
    return same_origin and (b.path == base or b.path.startswith(base + "/") or base == "")
