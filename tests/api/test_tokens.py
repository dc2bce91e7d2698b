"""Access tokens: the file keeps only digests, the CLI prints the secret once, a running
server sees new and revoked tokens at once."""

from __future__ import annotations

import json
import stat
from dataclasses import replace
from pathlib import Path

import pytest

from aims_graph.api.settings import Settings
from aims_graph.errors import InputError, NotFoundError
from aims_graph.serving.tokens import Role, TokenFile, tokens_path
from tests.api.conftest import ROOT, app_client
from tests.command_line import run_cli

UPDATE = {"Content-Type": "application/sparql-update"}


def test_the_file_holds_digests_not_secrets(tmp_path: Path) -> None:
    tokens = TokenFile(tmp_path / "t.json")
    entry, secret = tokens.create(Role.EDITOR, "ci")
    text = (tmp_path / "t.json").read_text()
    assert secret not in text and entry.sha256 in text
    assert stat.S_IMODE((tmp_path / "t.json").stat().st_mode) == 0o600
    assert tokens.role_of(secret) is Role.EDITOR
    assert tokens.role_of(secret + "x") is None
    assert tokens.role_of(entry.sha256) is None  # the digest itself is no token


def test_revoked_tokens_stop_working(tmp_path: Path) -> None:
    tokens = TokenFile(tmp_path / "t.json")
    entry, secret = tokens.create(Role.ADMIN)
    tokens.revoke(entry.id)
    assert tokens.role_of(secret) is None and not tokens.configured()
    with pytest.raises(NotFoundError):
        tokens.revoke(entry.id)


def test_a_damaged_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text("{not json")
    with pytest.raises(InputError, match="not a readable aims-graph tokens file"):
        TokenFile(path).configured()


def test_where_tokens_live() -> None:
    assert tokens_path("./aims-data", {}) == Path("./aims-data.tokens.json")
    assert tokens_path("/srv/store/", {}) == Path("/srv/store.tokens.json")
    assert tokens_path("memory", {}) is None
    assert tokens_path("http://db:7878", {}) is None
    assert tokens_path("memory", {"AIMS_GRAPH_TOKENS_FILE": "/etc/t.json"}) == Path("/etc/t.json")
    with pytest.raises(InputError, match="unknown role"):
        Role.named("owner")


def test_cli_prints_the_token_alone_on_its_last_line(tmp_path: Path) -> None:
    store = tmp_path / "store"
    done = run_cli("--store", str(store), "token", "create", "--role", "editor", "--label", "ci")
    assert done.returncode == 0, done.stderr
    secret = done.stdout.strip().splitlines()[-1]
    assert TokenFile(Path(f"{store}.tokens.json")).role_of(secret) is Role.EDITOR
    assert not store.exists(), "creating a token must not open (or create) the store"
    listed = run_cli("--store", str(store), "token", "list")
    assert "editor" in listed.stdout and secret not in listed.stdout
    token_id = json.loads(Path(f"{store}.tokens.json").read_text())["tokens"][0]["id"]
    assert run_cli("--store", str(store), "token", "revoke", token_id).returncode == 0
    assert TokenFile(Path(f"{store}.tokens.json")).role_of(secret) is None


def test_cli_refuses_a_memory_store_without_a_tokens_file() -> None:
    done = run_cli("--store", "memory", "token", "create", "--role", "admin",
                   env={"PATH": "/usr/bin:/bin", "HOME": str(ROOT)}, inherit_env=False)
    assert done.returncode == 2
    assert "AIMS_GRAPH_TOKENS_FILE" in done.stderr


def test_a_running_server_sees_new_and_revoked_tokens(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "live.json"
    with app_client(replace(settings, tokens_file=path)) as client:
        write = {"content": "INSERT DATA { <urn:t:a> <urn:t:b> <urn:t:c> }"}
        assert client.post("/update", headers=UPDATE, **write).status_code == 403  # read-only
        entry, secret = TokenFile(path).create(Role.EDITOR)
        auth = {**UPDATE, "Authorization": f"Bearer {secret}"}
        assert client.post("/update", headers=auth, **write).status_code == 204
        TokenFile(path).revoke(entry.id)
        assert client.post("/update", headers=auth, **write).status_code in {401, 403}
