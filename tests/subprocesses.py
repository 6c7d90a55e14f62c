"""Helpers for tests that run `spro` or gunicorn in a child process against pytest-django's test database."""

from __future__ import annotations

from django.db import connection


def database_url_of_test_db() -> str:
    """The URL of the database pytest-django created, for a child process (needs a transactional test)."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    host, port = settings.get("HOST") or "127.0.0.1", settings.get("PORT") or 5432
    return f"postgres://{settings.get('USER') or 'postgres'}@{host}:{port}/{settings['NAME']}"
