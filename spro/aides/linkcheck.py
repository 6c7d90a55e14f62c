"""`spro dispositifs link-check`: which schemes' official source links are dead.

Why its own module: the catalogue is only useful while its sources answer; an official page that moved leaves a
scheme unverifiable. A HEAD request first (cheap), GET when the server refuses HEAD; redirects are followed (a
moved page that redirects is alive, and the report says where it now lives so the file can be updated). Only the
standard library, so that the tests point it at a local fake server and never at the network.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from spro.aides.catalogue import Dispositif

USER_AGENT = "spro-dispositifs-link-check/1"
TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class LinkResult:
    id: str
    url: str
    ok: bool
    #: HTTP status, or None when no answer (DNS, refused connection, timeout).
    status: int | None
    detail: str
    #: The address the link now leads to, when it redirected.
    final_url: str | None = None


def _request(url: str, method: str, timeout: float) -> tuple[int, str]:
    # The scheme is http(s): the model refuses any other source_url at load.
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})  # noqa: S310
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        return response.status, response.geturl()


def check_url(id_: str, url: str, timeout: float = TIMEOUT_SECONDS) -> LinkResult:
    """One link: alive (2xx after redirects) or dead (4xx, 5xx, no answer), with why."""
    for method in ("HEAD", "GET"):
        try:
            status, final = _request(url, method, timeout)
        except urllib.error.HTTPError as exc:
            if method == "HEAD" and exc.code in (403, 405, 501):
                continue  # some servers refuse HEAD: ask again with GET
            return LinkResult(id_, url, False, exc.code, f"réponse HTTP {exc.code}")
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            return LinkResult(id_, url, False, None, f"pas de réponse ({reason})")
        moved = final if final != url else None
        return LinkResult(id_, url, True, status, "ok" if moved is None else f"redirigé vers {moved}", moved)
    return LinkResult(id_, url, False, None, "pas de réponse")  # pragma: no cover - the loop always returns


def check_links(
    dispositifs: Iterable[Dispositif], timeout: float = TIMEOUT_SECONDS, workers: int = 4
) -> list[LinkResult]:
    """Every scheme's source link, a few at a time, in the catalogue's order."""
    items = [(d.id, d.source_url) for d in dispositifs]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda item: check_url(item[0], item[1], timeout), items))
