"""Harvester of the data·inclusion API (`/api/v1/structures`, `/api/v1/services`): paginated JSON into one document.

Pagination: the API answers `{"items": [...], "total": N, "page": p, "size": s, "pages": P}` (fastapi-pagination);
the harvester asks `page=1, 2, …` until `pages`, and also follows a `next` URL when a server gives one (DRF style).
A bare JSON list is one page. Each request has a timeout; timeouts, connection errors, 429 and 5xx are retried
with exponential back-off (a longer `Retry-After: N` is honoured, up to 5 minutes); other statuses stop the
harvest with an error.

The transport is a plain callable `(url, headers, timeout) -> (status, body[, headers])`, so tests replay recorded
pages without any network; `urllib_transport` is the real one (standard library, no extra dependency).
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

#: (url, headers, timeout) -> (status, body) or (status, body, response headers)
Transport = Callable[[str, dict[str, str], float], tuple]
MAX_RETRY_AFTER = 300.0
RETRY_STATUSES = {429, 500, 502, 503, 504}
MAX_PAGES = 100_000


class HarvestError(Exception):
    pass


class TransportError(Exception):
    """A timeout or connection failure: retried."""


def urllib_transport(url: str, headers: dict[str, str], timeout: float) -> tuple[int, bytes, dict[str, str]]:
    if urlsplit(url).scheme not in ("http", "https"):
        raise HarvestError(f"only http(s) URLs are harvested: {url}")
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - scheme checked above
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, response.read(), dict(response.headers.items())
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read() or b"", dict(exc.headers.items()) if exc.headers else {}
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise TransportError(str(exc)) from exc


def _retry_after(headers: dict[str, str]) -> float | None:
    """Seconds asked by a `Retry-After: N` header (dates are ignored), capped at MAX_RETRY_AFTER."""
    value = {key.lower(): value for key, value in headers.items()}.get("retry-after", "")
    try:
        return min(max(float(value), 0.0), MAX_RETRY_AFTER)
    except ValueError:
        return None


class Harvester:
    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        transport: Transport = urllib_transport,
        timeout: float = 30.0,
        retries: int = 4,
        backoff: float = 1.0,
        page_size: int = 1000,
        sleep: Callable[[float], None] = time.sleep,
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.headers = {"Accept": "application/json", "User-Agent": "spro-directory-harvester/1"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        self.transport = transport
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.page_size = page_size
        self.sleep = sleep
        self.log = log or (lambda message: None)
        self.requests = 0

    def _url(self, endpoint: str, page: int) -> str:
        scheme, netloc, path, query, _ = urlsplit(f"{self.base_url}/{endpoint}")
        extra = urlencode({"page": page, "size": self.page_size})
        return urlunsplit((scheme, netloc, path, f"{query}&{extra}" if query else extra, ""))

    def get(self, url: str) -> Any:
        for attempt in range(self.retries + 1):
            self.requests += 1
            wait = self.backoff * (2**attempt)
            try:
                status, body, *rest = self.transport(url, self.headers, self.timeout)
            except TransportError as exc:
                problem = f"network error ({exc})"
            else:
                if status == 200:
                    try:
                        return json.loads(body.decode("utf-8"))
                    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                        raise HarvestError(f"{url}: the answer is not JSON ({exc})") from None
                if status not in RETRY_STATUSES:
                    raise HarvestError(
                        f"{url}: HTTP {status}" + (" (check the token)" if status in (401, 403) else "")
                    )
                problem = f"HTTP {status}"
                retry_after = _retry_after(rest[0] if rest else {})
                if retry_after is not None:
                    wait = max(wait, retry_after)
            if attempt == self.retries:
                raise HarvestError(f"{url}: {problem}, still failing after {self.retries + 1} attempts")
            self.log(f"{url}: {problem}, retry {attempt + 1}/{self.retries} in {wait:g} s")
            self.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def fetch_all(self, endpoint: str) -> list[dict]:
        items: list[dict] = []
        page = 1
        url = self._url(endpoint, page)
        seen: set[str] = set()
        while url and len(seen) < MAX_PAGES:
            if url in seen:
                raise HarvestError(f"{url}: pagination loops back to a page already read")
            seen.add(url)
            data = self.get(url)
            if isinstance(data, list):
                items.extend(data)
                break
            if not isinstance(data, dict) or not isinstance(data.get("items", data.get("results")), list):
                raise HarvestError(f"{url}: expected a page {{items: [...]}} or a list")
            batch = data.get("items", data.get("results"))
            items.extend(batch)
            self.log(f"{endpoint}: page {page}, {len(items)} records")
            if data.get("next"):
                url = urljoin(url, data["next"])
            elif isinstance(data.get("pages"), int) and page < data["pages"] and batch:
                url = self._url(endpoint, page + 1)
            else:
                url = ""
            page += 1
        return items

    def harvest(self) -> dict[str, list[dict]]:
        return {"structures": self.fetch_all("structures"), "services": self.fetch_all("services")}
