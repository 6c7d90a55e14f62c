"""SQLite FTS5 backend: external-content table `search_fts` (see migration 0002), bm25 with title weight."""

from __future__ import annotations

from django.db import connection

from spro.search.backends.base import SearchBackend

TITLE_WEIGHT = 4.0
TEXT_WEIGHT = 1.0


def fts5_query(groups: list[list[str]], mode: str) -> str:
    """FTS5 MATCH string; every token is double-quoted (tokens are [a-z0-9]+, checked by the caller)."""
    parts = ["(" + " OR ".join(f'"{token}"' for token in group) + ")" for group in groups]
    return (" AND " if mode == "and" else " OR ").join(parts)


class SqliteBackend(SearchBackend):
    vendor = "sqlite"

    def _text_match(self, groups, mode, columns):
        # bm25() is lower-is-better: negate it so that higher is better everywhere.
        sql = (
            f"SELECT {columns}, -bm25(search_fts, {TITLE_WEIGHT}, {TEXT_WEIGHT}) AS rank "  # noqa: S608 - constants; the MATCH string is a parameter
            "FROM search_fts JOIN search_searchdocument d ON d.id = search_fts.rowid "
            "WHERE search_fts MATCH %s"
        )
        return sql, [fts5_query(groups, mode)]

    def after_rebuild(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
