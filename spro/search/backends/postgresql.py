"""PostgreSQL full-text backend: generated tsvector `search_tsv` ('simple' configuration, title weight A,
text weight B) with a GIN index (migration 0002), ranked by ts_rank."""

from __future__ import annotations

from spro.search.backends.base import SearchBackend


def tsquery(groups: list[list[str]], mode: str) -> str:
    """A to_tsquery string; every token is single-quoted (tokens are [a-z0-9]+, checked by the caller)."""
    parts = ["(" + " | ".join(f"'{token}'" for token in group) + ")" for group in groups]
    return (" & " if mode == "and" else " | ").join(parts)


class PostgresBackend(SearchBackend):
    vendor = "postgresql"

    def _text_match(self, groups, mode, columns):
        sql = (
            f"SELECT {columns}, ts_rank(d.search_tsv, q.query) AS rank "  # noqa: S608 - constant columns; the tsquery is a parameter
            "FROM search_searchdocument d, to_tsquery('simple', %s) AS q(query) "
            "WHERE d.search_tsv @@ q.query"
        )
        return sql, [tsquery(groups, mode)]
