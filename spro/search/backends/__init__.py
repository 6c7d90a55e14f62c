"""The full-text backends (SQLite FTS5, PostgreSQL) behind one interface (`base.SearchBackend`).

`get_backend()` lives here rather than in `base` so that the interface does not import its own subclasses.
"""

from __future__ import annotations

from django.db import connection

from spro.search.backends.base import SearchBackend
from spro.search.backends.postgresql import PostgresBackend
from spro.search.backends.sqlite import SqliteBackend


def get_backend() -> SearchBackend:
    """The backend of the default database's vendor."""
    if connection.vendor == "postgresql":
        return PostgresBackend()
    return SqliteBackend()
