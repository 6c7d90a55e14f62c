"""The full-text backends (SQLite FTS5, PostgreSQL) behind one interface (`base.SearchBackend`).

`get_backend()` lives here rather than in `base` so that the interface does not import its own subclasses.
"""

from __future__ import annotations

from django.db import connection

from .base import SearchBackend
from .postgresql import PostgresBackend
from .sqlite import SqliteBackend


def get_backend() -> SearchBackend:
    """The backend of the default database's vendor."""
    if connection.vendor == "postgresql":
        return PostgresBackend()
    return SqliteBackend()
