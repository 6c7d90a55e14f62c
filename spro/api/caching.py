"""ETag and Cache-Control on successful GET/HEAD answers, and 304 for a client that already has the same body.

The ETag is a hash of the body, so two app servers give the same ETag for the same data, and a re-import that changes
an answer changes its ETag at once. Five minutes of caching is short enough for referentials updated daily at most.
"""

from __future__ import annotations

import hashlib

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.http import parse_etags

CACHE_CONTROL = "public, max-age=300"


def body_etag(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def _matches(if_none_match: str, etag: str) -> bool:
    """Weak comparison (RFC 9110 §13.1.2): `W/"x"` matches `"x"`; `*` matches anything."""
    tags = parse_etags(if_none_match)
    if "*" in tags:
        return True
    bare = etag.removeprefix("W/")
    return any(tag.removeprefix("W/") == bare for tag in tags)


def conditional(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Add validators to a 200 answer to GET/HEAD; answer 304 when `If-None-Match` names the same ETag."""
    if request.method not in {"GET", "HEAD"} or response.status_code != 200 or response.streaming:
        return response
    etag = response.get("ETag") or body_etag(response.content)
    response["ETag"] = etag
    response["Cache-Control"] = CACHE_CONTROL
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match and _matches(if_none_match, etag):
        not_modified = HttpResponseNotModified()
        for header in ("ETag", "Cache-Control", "Vary", "Content-Location"):
            if header in response:
                not_modified[header] = response[header]
        return not_modified
    return response
