"""Anonymous runaway queries cannot starve ``/health`` or token holders.

Reproduced before the fix: 45 anonymous clients sending cross-product queries took every
worker; ``/health`` took 21 s and answered 503, and editors' writes failed.  Here 50
anonymous clients loop such queries against a real server (uvicorn and its sidecar)
while a monitor polls ``/health`` and an editor writes; the bounded form runs a few
seconds (``AIMS_GRAPH_RELIABILITY=full``: a minute).
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from typing import Iterator

import httpx
import pytest

from tests.api.conftest import LiveServer, Tokens, live_service
from tests.reliability.conftest import full_mode
from tests.reliability.results import percentile

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
QUERY_TIMEOUT_S = 2
ATTACKERS = 50
SECONDS = 60 if full_mode() else 8


@pytest.fixture(scope="module")
def server(tokens: Tokens, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_service(tokens, tmp_path_factory, "admission", AIMS_GRAPH_QUERY_TIMEOUT=str(QUERY_TIMEOUT_S), AIMS_GRAPH_UPDATE_TIMEOUT="10") as live:
        yield live


async def _attack(http: httpx.AsyncClient, deadline: float, statuses: Counter, refusals: list) -> None:
    while time.monotonic() < deadline:
        try:
            response = await http.get("/sparql", params={"query": RUNAWAY})
        except httpx.HTTPError as error:
            statuses[type(error).__name__] += 1
            await asyncio.sleep(0.1)
            continue
        statuses[response.status_code] += 1
        if response.status_code in (429, 503) and response.json().get("error") in ("too many requests", "busy"):
            refusals.append(response)
            await asyncio.sleep(0.05)  # keeps this process from spinning on the shared cores


async def _monitor(http: httpx.AsyncClient, deadline: float, latencies: list[float], statuses: Counter) -> None:
    while time.monotonic() < deadline:
        began = time.monotonic()
        response = await http.get("/health")
        latencies.append(time.monotonic() - began)
        statuses[response.status_code] += 1
        if response.status_code != 200:
            statuses[response.text[:200]] += 1
        await asyncio.sleep(0.1)


async def _edit(http: httpx.AsyncClient, deadline: float, auth: dict[str, str], statuses: Counter) -> None:
    number = 0
    while time.monotonic() < deadline:
        number += 1
        response = await http.put("/store", params={"graph": f"https://example.org/admission/{number}"},
                                  content=f'<https://example.org/s> <https://example.org/n> {number} .'.encode(),
                                  headers={**auth, "Content-Type": "text/turtle"})
        statuses[response.status_code] += 1
        if response.status_code >= 400:
            statuses[response.text[:120]] += 1
        await asyncio.sleep(0.2)


async def _run(url: str, auth: dict[str, str]) -> dict[str, object]:
    deadline = time.monotonic() + SECONDS
    attack, health, edits = Counter(), Counter(), Counter()
    latencies: list[float] = []
    refusals: list[httpx.Response] = []
    limits = httpx.Limits(max_connections=ATTACKERS + 10)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as http, \
            httpx.AsyncClient(base_url=url, timeout=60) as monitor, \
            httpx.AsyncClient(base_url=url, timeout=60) as editor:
        await asyncio.gather(*[_attack(http, deadline, attack, refusals) for _ in range(ATTACKERS)],
                             _monitor(monitor, deadline, latencies, health),
                             _edit(editor, deadline, auth, edits))
    return {"attack": attack, "health": health, "edits": edits, "latencies": latencies, "refusals": refusals}


def test_health_and_editors_keep_answering_under_anonymous_runaway_queries(server: LiveServer,
                                                                          tokens: Tokens) -> None:
    outcome = asyncio.run(_run(server.url, tokens.header("editor")))
    latencies, health, edits, attack = (outcome["latencies"], outcome["health"], outcome["edits"],
                                        outcome["attack"])
    p99 = percentile(latencies, 0.99)
    print(f"health: {len(latencies)} polls, p50 {percentile(latencies, 0.5):.3f} s, p99 {p99:.3f} s; "
          f"editor writes {dict(edits)}; anonymous answers {dict(attack)}")
    assert health == Counter({200: len(latencies)}), f"/health answered {dict(health)}"
    assert p99 < 1.0, f"/health p99 {p99:.2f} s (p50 {percentile(latencies, 0.5):.2f} s)"
    # Each runaway query admitted ends in a sidecar restart (docs/api.md); a restart waits
    # for the writes in flight, and a write that arrives during one waits for the engine,
    # so every editor write lands (25 % were once lost with 503 "store unavailable").  How many
    # writes fit in the window depends on the machine's load (the suite runs on several
    # processes); what is asserted is that writes got through and none was lost.
    succeeded = edits[201] + edits[204]
    assert succeeded == sum(n for status, n in edits.items() if isinstance(status, int)) and succeeded >= 3, (
        f"editor writes: {dict(edits)}")
    assert outcome["refusals"], f"no anonymous request was turned away: {attack}"
    refusal = outcome["refusals"][0]
    assert refusal.headers["retry-after"] == "1"
    assert refusal.headers["content-type"].startswith("application/json")
    assert not [status for status in attack if isinstance(status, int) and status >= 500
                and status not in (503,)], f"anonymous answers: {attack}"


def test_one_address_is_limited_but_a_token_is_not(server: LiveServer, tokens: Tokens) -> None:
    async def burst(headers: dict[str, str]) -> Counter:
        async with httpx.AsyncClient(base_url=server.url, timeout=60) as http:
            answers = await asyncio.gather(*[
                http.get("/sparql", params={"query": RUNAWAY}, headers=headers) for _ in range(12)])
        return Counter(response.status_code for response in answers)

    anonymous = asyncio.run(burst({}))
    assert anonymous[429] >= 1, f"12 runaway queries from one address: {anonymous}"
    with_token = asyncio.run(burst(tokens.header("reader")))
    assert with_token[429] == 0 and with_token.get(503, 0) + with_token.get(200, 0) == 12, with_token
