"""PostgreSQL full-text backend: generated tsvector `search_tsv` ('simple' configuration, title weight A,
text weight B) with a GIN index (migration 0002), and the posting arrays derived from it (migration 0003).

Selective queries go through the GIN index (`@@`): PostgreSQL then visits only a few rows. A query whose every
word is broad would make it visit tens of thousands of wide rows, so its ids are read from the posting arrays
(one row per token) and combined in numpy instead. Both paths see the same tokens: same results.
"""

from __future__ import annotations

import numpy as np
from django.db import connection

from spro.search.backends.base import SearchBackend, check_tokens

#: a query is answered by the GIN index when it should match at most this many documents (estimated from the
#: document frequencies as if the words were independent); the posting arrays answer broader ones
GIN_MAX_DOCUMENTS = 1000


def unpack_ids(packed: bytes | memoryview) -> np.ndarray:
    """The ids of one posting row: big-endian 4-byte integers, already sorted (ORDER BY id)."""
    return np.frombuffer(packed, dtype=">i4").astype(np.int64)


def tsquery(groups: list[list[str]], mode: str) -> str:
    """A to_tsquery string; every token is single-quoted (tokens are [a-z0-9]+, checked by the caller)."""
    parts = ["(" + " | ".join(f"'{token}'" for token in group) + ")" for group in groups]
    return (" & " if mode == "and" else " | ").join(parts)


class PostgresBackend(SearchBackend):
    vendor = "postgresql"

    def match_ids(
        self, groups: list[list[str]], mode: str = "and", df: dict[str, int] | None = None, documents: int = 0
    ) -> np.ndarray:
        groups = check_tokens(groups)
        if not groups:
            return np.zeros(0, dtype=np.int64)
        if df is None or self.estimate(groups, mode, df, documents) <= GIN_MAX_DOCUMENTS:
            return super().match_ids(groups, mode)
        tokens = sorted({t for group in groups for t in group})
        with connection.cursor() as cursor:
            cursor.execute("SELECT token, ids FROM search_posting WHERE token = ANY(%s)", [tokens])
            postings = {token: unpack_ids(packed) for token, packed in cursor.fetchall()}
        empty = np.zeros(0, dtype=np.int64)
        per_group = []
        for group in groups:
            arrays = [postings.get(t, empty) for t in group]
            per_group.append(arrays[0] if len(arrays) == 1 else np.unique(np.concatenate(arrays)))
        if mode == "and":
            per_group.sort(key=len)
            result = per_group[0]
            for other in per_group[1:]:
                result = np.intersect1d(result, other, assume_unique=True)
            return result
        return np.unique(np.concatenate(per_group))

    @staticmethod
    def estimate(groups: list[list[str]], mode: str, df: dict[str, int], documents: int) -> float:
        """Expected number of matches if the groups were independent (only chooses the path)."""
        total = max(documents, 1)
        sizes = [min(total, sum(df.get(t, 0) for t in group)) for group in groups]
        if mode != "and":
            return float(sum(sizes))
        expected = float(total)
        for size in sizes:
            expected *= size / total
        return expected

    def _ids_sql(self, groups, mode):
        return (
            "SELECT string_agg(d.id::text, ',') FROM search_searchdocument d "
            "WHERE d.search_tsv @@ to_tsquery('simple', %s)",
            [tsquery(groups, mode)],
        )

    def after_rebuild(self) -> None:
        """Rebuild the posting arrays beside the old ones, then swap: searches never wait for the rebuild."""
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS search_posting_new")
            cursor.execute("CREATE TABLE search_posting_new (token text NOT NULL, ids bytea NOT NULL)")
            cursor.execute("ALTER TABLE search_posting_new ALTER COLUMN ids SET STORAGE EXTERNAL")
            cursor.execute(
                "INSERT INTO search_posting_new (token, ids) "
                "SELECT t.token, string_agg(int4send(d.id::integer), ''::bytea ORDER BY d.id) "
                "FROM search_searchdocument d, unnest(tsvector_to_array(d.search_tsv)) AS t(token) GROUP BY t.token"
            )
            cursor.execute("ALTER TABLE search_posting_new ADD PRIMARY KEY (token)")
            cursor.execute("DROP TABLE IF EXISTS search_posting")
            cursor.execute("ALTER TABLE search_posting_new RENAME TO search_posting")
            cursor.execute("ALTER INDEX search_posting_new_pkey RENAME TO search_posting_pkey")
