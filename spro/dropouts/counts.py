"""The per-list counts of the professional pages (how many young people in each priority list a user sees), kept
between requests until the young people change (docs/decrochage.md « Pages »).

Why: the coordinator's list counts its zone's young people per list on every page (a `GROUP BY priority` over
50,000 index entries, the largest SQL part of the page on PostgreSQL; docs/performance.md). The counts are kept
per process in a `spro.core.cache.KeyedCache`, per count query (its SQL and parameters: the user's zones or
structures and the filters), with a version as freshness stamp. The version is a random token in Django's cache
(shared by the processes where it is Redis); any write that may change a list — its zone, partner, priority or
campaigns — draws a new one (`changed()`): every count is made again at its next use. A version evicted from the
cache comes back as a new token, so nothing stale survives an eviction either.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connections, router, transaction
from django.db.models import Count, QuerySet

from spro.core.cache import KeyedCache

VERSION_KEY = "dropouts:lists-version"


def _new_version() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def changed(**_signal: Any) -> None:
    """The young people changed: the counts are made again. A new version now and another once the transaction
    commits (a count made in between, from the rows before the commit, is not kept after it). Also the receiver of
    `YoungPerson`'s post_save (spro/dropouts/apps.py); the writers that bypass it (the import's bulk rows, the
    purge) call it themselves."""
    _new_version()
    transaction.on_commit(_new_version)


def _version(_key: Any) -> str:
    return str(cache.get_or_set(VERSION_KEY, lambda: uuid.uuid4().hex, timeout=None))


def _count(key: tuple[str, str, tuple[Any, ...]], _stamp: Any) -> dict[str, int]:
    alias, sql, params = key
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return {priority: n for priority, n in cursor.fetchall()}


_COUNTS: KeyedCache[tuple[str, str, tuple[Any, ...]], dict[str, int]] = KeyedCache(_count, _version)
#: The version the kept counts were made under: when it changes they are all dropped at once, so that the counts
#: of queries not asked again (another user's, another filter's) do not stay in memory.
_kept_under: list[str] = [""]


def priority_counts(queryset: QuerySet) -> dict[str, int]:
    """{priority: number of young people} of `queryset`, from the cache while the young people did not change."""
    counting = queryset.order_by().values_list("priority").annotate(n=Count("*")).values_list("priority", "n")
    alias = router.db_for_read(queryset.model)
    try:
        sql, params = counting.query.get_compiler(alias).as_sql()
    except EmptyResultSet:  # `.none()`: a user who sees nobody
        return {}
    version = _version(None)
    if version != _kept_under[0]:
        _COUNTS.clear()
        _kept_under[0] = version
    return dict(_COUNTS.get((alias, sql, tuple(params)), stamp=version))


def clear() -> None:
    """Forget the counts of this process (tests whose rolled-back rows the version cannot see)."""
    _COUNTS.clear()
    _new_version()
