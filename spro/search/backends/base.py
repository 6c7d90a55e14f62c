"""One interface for the full-text backends. The service never writes FTS5 or tsquery syntax itself.

A query reaches a backend as token *groups*: each group is a list of alternative canonical tokens (the
word itself, its typo corrections); `mode` "and" requires one token of every group, "or" any token. Tokens
come from the normaliser and are checked again here against [a-z0-9]+ before being quoted, so user text can
never become query syntax.

A backend only answers which documents match the words, as one compact comma-separated string of ids read
into a numpy array: filters, facets and ranking are computed by the service on the in-memory snapshot
(spro/search/snapshot.py), identically for every backend.
"""

from __future__ import annotations

import re

import numpy as np
from django.db import connection

from spro.search.snapshot import parse_ids

SAFE_TOKEN = re.compile(r"^[a-z0-9]{1,100}$")


def check_tokens(groups: list[list[str]]) -> list[list[str]]:
    clean = [[t for t in group if SAFE_TOKEN.match(t)] for group in groups]
    return [group for group in clean if group]


class SearchBackend:
    """Subclasses implement `_ids_sql` (one row, one column: the matching ids joined by commas)."""

    vendor = ""

    def match_ids(
        self, groups: list[list[str]], mode: str = "and", df: dict[str, int] | None = None, documents: int = 0
    ) -> np.ndarray:
        """The sorted ids of every document matching the groups ("and": all groups, "or": any group).

        `df` (token → document frequency) and `documents` (their number) let a backend choose how to answer;
        they never change the answer."""
        groups = check_tokens(groups)
        if not groups:
            return np.zeros(0, dtype=np.int64)
        sql, params = self._ids_sql(groups, mode)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        return parse_ids(row[0] if row else None)

    def _ids_sql(self, groups: list[list[str]], mode: str) -> tuple[str, list]:
        raise NotImplementedError

    def after_rebuild(self) -> None:
        """Bring the vendor-specific full-text structure in line with the document table."""
