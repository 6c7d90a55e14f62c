"""One interface for the full-text backends. The service never writes FTS5 or tsquery syntax itself.

A query reaches a backend as token *groups*: each group is a list of alternative canonical tokens (the
word itself, its typo corrections); `mode` "and" requires one token of every group, "or" any token. Tokens
come from the normaliser and are checked again here against [a-z0-9]+ before being quoted, so user text can
never become query syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import connection

SAFE_TOKEN = re.compile(r"^[a-z0-9]{1,100}$")

#: Columns fetched for every match: enough to filter by distance, count facets and preselect.
MATCH_COLUMNS = (
    "d.id",
    "d.type",
    "d.niveau",
    "d.filtres",
    "d.code_departement",
    "d.code_region",
    "d.domaine",
    "d.latitude",
    "d.longitude",
)


@dataclass
class Filters:
    """SQL-expressible filters (the exact radius test is done in Python on the bounding-box matches)."""

    type: str | None = None
    niveau: str | None = None
    modalite: str | None = None
    departement: str | None = None
    region: str | None = None
    public: str | None = None
    domaine: str | None = None
    bbox: tuple[float, float, float, float] | None = None  # lat_min, lat_max, lon_min, lon_max

    def where(self) -> tuple[list[str], list]:
        clauses: list[str] = []
        params: list = []
        for column, value in (
            ("d.type", self.type),
            ("d.niveau", self.niveau),
            ("d.code_departement", self.departement),
            ("d.code_region", self.region),
            ("d.domaine", self.domaine),
        ):
            if value:
                clauses.append(f"{column} = %s")
                params.append(value)
        for prefix, value in (("mod", self.modalite), ("pub", self.public)):
            if value:
                clauses.append("d.filtres LIKE %s")
                params.append(f"%|{prefix}:{value}|%")
        if self.bbox:
            clauses.append("d.latitude BETWEEN %s AND %s AND d.longitude BETWEEN %s AND %s")
            params.extend(self.bbox)
        return clauses, params


@dataclass
class Match:
    id: int
    rank: float  # native rank, higher is better (only used to preselect candidates)
    type: str
    niveau: str
    filtres: str
    departement: str
    region: str
    domaine: str
    latitude: float | None
    longitude: float | None
    extra: dict = field(default_factory=dict)


def check_tokens(groups: list[list[str]]) -> list[list[str]]:
    clean = [[t for t in group if SAFE_TOKEN.match(t)] for group in groups]
    return [group for group in clean if group]


class SearchBackend:
    """Subclasses implement `_text_match` (SQL joined to the documents) and `after_rebuild`."""

    vendor = ""

    def match(self, groups: list[list[str]], mode: str, filters: Filters) -> list[Match]:
        """Every document matching the groups and the filters, with the native rank (best first)."""
        groups = check_tokens(groups)
        clauses, params = filters.where()
        columns = ", ".join(MATCH_COLUMNS)
        if groups:
            sql, text_params = self._text_match(groups, mode, columns)
            params = text_params + params
        else:
            sql = f"SELECT {columns}, 0.0 AS rank FROM search_searchdocument d WHERE 1=1"  # noqa: S608 - constant column list; values are parameters
        if clauses:
            sql += " AND " + " AND ".join(clauses)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        matches = [Match(r[0], float(r[9] or 0.0), *r[1:9]) for r in rows]
        matches.sort(key=lambda m: (-m.rank, m.id))
        return matches

    def _text_match(self, groups: list[list[str]], mode: str, columns: str) -> tuple[str, list]:
        raise NotImplementedError

    def after_rebuild(self) -> None:
        """Bring the vendor-specific full-text structure in line with the document table."""


def get_backend() -> SearchBackend:
    """The backend of the default database's vendor."""
    if connection.vendor == "postgresql":
        from spro.search.backends.postgresql import PostgresBackend

        return PostgresBackend()
    from spro.search.backends.sqlite import SqliteBackend

    return SqliteBackend()
