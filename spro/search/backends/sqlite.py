"""SQLite FTS5 backend: external-content table `search_fts` (see migration 0002) over the normalised title and
text. The ids come back from FTS5 in rowid order, joined by group_concat (one row instead of one per match)."""

from __future__ import annotations

from django.db import connection

from spro.search.backends.base import SearchBackend


def fts5_query(groups: list[list[str]], mode: str) -> str:
    """FTS5 MATCH string; every token is double-quoted (tokens are [a-z0-9]+, checked by the caller)."""
    parts = ["(" + " OR ".join(f'"{token}"' for token in group) + ")" for group in groups]
    return (" AND " if mode == "and" else " OR ").join(parts)


class SqliteBackend(SearchBackend):
    vendor = "sqlite"

    def _ids_sql(self, groups, mode):
        return (
            "SELECT group_concat(rowid) FROM search_fts WHERE search_fts MATCH %s",
            [fts5_query(groups, mode)],
        )

    def after_rebuild(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
