"""Bounds on the JSON bodies the API accepts, checked before any parser sees them.

Python's `json` parser recurses once per nesting level, so 5,000 nested brackets raise `RecursionError` (a 500) in
whatever endpoint parses them. Every POST of the API goes through `check_body` (from `public_endpoint`): a body
larger than `MAX_BODY_BYTES` is refused with 413, one nested deeper than `MAX_JSON_DEPTH` with 400, both in the API's
`{"detail", "code"}` shape. The scan is linear: strings are skipped by one regular expression, then only brackets are
counted, and it stops at the first level too deep.
"""

from __future__ import annotations

import re

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest

from spro.core.api import ApiError

#: 100,000 characters of text (the answer's limit) fit, even written as UTF-8; more is not a request.
MAX_BODY_BYTES = 1_048_576
#: The deepest legitimate body is 3 levels (`{"profile": {"commune": …}}`); 32 leaves room and stays far from
#: the parser's recursion limit.
MAX_JSON_DEPTH = 32

_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(rb"[\[\]{}]")
_OPENING = frozenset(b"[{")


def json_depth_exceeds(raw: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether the JSON text nests arrays/objects deeper than `limit` (brackets inside strings do not count)."""
    depth = 0
    for match in _BRACKET.finditer(_STRING.sub(b"", raw)):
        if match.group()[0] in _OPENING:
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def check_body(request: HttpRequest) -> None:
    """Raise `ApiError` (413 or 400) for a body too big or nested too deep; read nothing more than the bound."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    too_big = ApiError(413, f"Requête trop volumineuse ({MAX_BODY_BYTES} octets au plus).", "corps-trop-gros")
    if declared > MAX_BODY_BYTES:
        raise too_big
    try:
        raw = request.body
    except RequestDataTooBig as exc:
        raise too_big from exc
    if len(raw) > MAX_BODY_BYTES:
        raise too_big
    if json_depth_exceeds(raw):
        raise ApiError(
            400,
            f"Le JSON est imbriqué trop profondément ({MAX_JSON_DEPTH} niveaux au plus).",
            "json-trop-profond",
        )
