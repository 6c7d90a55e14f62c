"""The data·inclusion harvester, on recorded pages through a fake transport (no network): pagination, retries,
timeouts, errors, and the `spro harvest structures` command that imports the result."""

from __future__ import annotations

import io
import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import CommandError, call_command

from spro.directory.harvest import Harvester, HarvestError, TransportError
from spro.directory.management.commands.harvest import Command as HarvestCommand
from spro.directory.models import Service, Structure

FIXTURES = Path(__file__).parent / "fixtures" / "di_api"
BASE = "https://api.example.test/api/v1"


def recorded(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


class FakeTransport:
    """Answers from recorded pages; `failures` maps a URL substring to the statuses (or exceptions) to give first."""

    def __init__(self, failures: dict[str, list] | None = None, style: str = "pages") -> None:
        self.failures = {key: list(value) for key, value in (failures or {}).items()}
        self.style = style
        self.calls: list[tuple[str, dict, float]] = []

    def __call__(self, url: str, headers: dict, timeout: float) -> tuple[int, bytes]:
        self.calls.append((url, headers, timeout))
        for key, outcomes in self.failures.items():
            if key in url and outcomes:
                outcome = outcomes.pop(0)
                if isinstance(outcome, Exception):
                    raise outcome
                return outcome, b'{"detail": "error"}'
        path, query = urlsplit(url).path, parse_qs(urlsplit(url).query)
        endpoint = path.rsplit("/", 1)[-1]
        if self.style == "next" and endpoint == "structures":
            return 200, recorded("structures-next-2.json" if "cursor" in query else "structures-next-1.json")
        page = query.get("page", ["1"])[0]
        name = FIXTURES / f"{endpoint}-page-{page}.json"
        if not name.exists():
            return 404, b'{"detail": "Not Found"}'
        return 200, name.read_bytes()


def harvester(transport, **kwargs) -> tuple[Harvester, list[float]]:
    waits: list[float] = []
    return Harvester(
        BASE, token="secret", transport=transport, sleep=waits.append, page_size=2, **kwargs
    ), waits


def test_follows_page_numbers_until_the_last_page():
    transport = FakeTransport()
    h, waits = harvester(transport, timeout=7)
    document = h.harvest()
    assert [s["id"] for s in document["structures"]] == ["dora--a1", "dora--a2", "dora--a3", "dora--a4"]
    assert [s["id"] for s in document["services"]] == ["dora--s1", "dora--s2"]
    urls = [call[0] for call in transport.calls]
    assert urls == [
        f"{BASE}/structures?page=1&size=2",
        f"{BASE}/structures?page=2&size=2",
        f"{BASE}/services?page=1&size=2",
    ]
    assert all(call[1]["Authorization"] == "Bearer secret" and call[2] == 7 for call in transport.calls)
    assert waits == []


def test_follows_next_links():
    h, _ = harvester(FakeTransport(style="next"))
    assert [s["id"] for s in h.fetch_all("structures")] == ["dora--a1", "dora--a2", "dora--a3", "dora--a4"]


def test_retries_server_errors_rate_limits_and_timeouts_with_backoff():
    transport = FakeTransport({"page=2": [503, 429, TransportError("timed out")]})
    h, waits = harvester(transport, retries=4, backoff=0.5)
    assert len(h.fetch_all("structures")) == 4
    assert waits == [0.5, 1.0, 2.0]
    assert h.requests == 5


def test_honours_retry_after_seconds():
    answers = iter([(429, b"{}", {"Retry-After": "7"}), (200, recorded("structures-next-2.json"), {})])
    h, waits = harvester(lambda url, headers, timeout: next(answers), backoff=1.0)
    assert [s["id"] for s in h.fetch_all("structures")] == ["dora--a4"]
    assert waits == [7.0]


def test_gives_up_after_the_retries_and_stops_on_client_errors():
    h, waits = harvester(FakeTransport({"page=1": [500] * 10}), retries=2)
    with pytest.raises(HarvestError, match="after 3 attempts"):
        h.fetch_all("structures")
    assert len(waits) == 2
    h, _ = harvester(FakeTransport({"structures": [401]}))
    with pytest.raises(HarvestError, match="401.*token"):
        h.fetch_all("structures")


def test_refuses_pages_that_are_not_json_or_loop():
    h, _ = harvester(lambda url, headers, timeout: (200, b"<html>"))
    with pytest.raises(HarvestError, match="not JSON"):
        h.fetch_all("structures")
    looping = json.dumps({"items": [], "next": "/api/v1/structures?page=1&size=2"}).encode()
    h, _ = harvester(lambda url, headers, timeout: (200, looping))
    with pytest.raises(HarvestError, match="loops"):
        h.fetch_all("structures")


@pytest.mark.django_db
def test_command_harvests_writes_and_imports_atomically(geo, tmp_path, monkeypatch):
    monkeypatch.setattr(HarvestCommand, "transport", FakeTransport())
    monkeypatch.setenv("DI_TOKEN", "secret")
    output = tmp_path / "harvest.json"
    out = io.StringIO()
    call_command(
        "harvest", "structures", "--url", BASE, "--token-env", "DI_TOKEN", "--output", str(output), stdout=out
    )
    assert "4 structures, 2 services" in out.getvalue() and "structures 4 created" in out.getvalue()
    assert Structure.objects.filter(source="dora").count() == 4 and Service.objects.count() == 2
    assert Structure.objects.get(di_id="dora--a2").commune_nom == "Cesson-Sévigné"
    assert json.loads(output.read_text())["structures"][0]["id"] == "dora--a1"

    # A second harvest of the same pages changes nothing.
    again = io.StringIO()
    call_command(
        "harvest",
        "structures",
        "--url",
        BASE,
        "--token-env",
        "DI_TOKEN",
        "--output",
        str(output),
        stdout=again,
    )
    assert "structures 0 created, 0 updated, 4 unchanged" in again.getvalue()
    assert "services 0 created, 0 updated, 2 unchanged" in again.getvalue()


@pytest.mark.django_db
def test_command_errors_exit_non_zero(geo, tmp_path, monkeypatch):
    monkeypatch.setattr(HarvestCommand, "transport", FakeTransport({"structures": [403]}))
    with pytest.raises(CommandError, match="environment variable NOPE"):
        call_command("harvest", "structures", "--url", BASE, "--token-env", "NOPE")
    monkeypatch.setenv("DI_TOKEN", "x")
    with pytest.raises(CommandError, match="harvest failed, nothing written"):
        call_command(
            "harvest",
            "structures",
            "--url",
            BASE,
            "--token-env",
            "DI_TOKEN",
            "--output",
            str(tmp_path / "h.json"),
        )
    assert not Structure.objects.exists()
