"""Per-process caches of values that are slow to build (indexes, parsed rule files) and the start-up warm-up.

Why one helper: each such value must be built once per worker, never twice at the same time by two threads, and
rebuilt when what it was built from changes (a file's modification time, the last import of a referential). A
`KeyedCache` holds, per key, the value and the freshness stamp it was built for; every `get` computes the current
stamp (`freshness(key)`, cheap: a `stat` or one primary-key query) and rebuilds when it differs.

`warm_up()` builds at worker start (spro/wsgi.py) what each app registered with `register_warm_up` in its
AppConfig.ready, so that no person waits for the first build.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from django.utils.module_loading import import_string

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

logger = logging.getLogger(__name__)


def _always(_value: object) -> bool:
    return True


class KeyedCache(Generic[K, V]):
    """Values built by `build(key, stamp)`, kept per key while `freshness(key)` returns the same stamp (by default
    always None: built once per process).

    - `usable(value)`: false makes a cached value be built again even with the same stamp (an index still empty);
    - `keep_last_on`: exceptions of these types, raised by `build` when a value was already built for the key,
      keep that value in service (a live edit that is invalid) instead of propagating; `on_kept(key, error)` is
      called once per stamp (the invalid stamp is remembered, so the next calls neither rebuild nor report again).
      Never-built keys still raise;
    - `on_built(key, value)`: called under the lock once a new value is in place (to drop what was derived from
      the previous one).
    """

    def __init__(
        self,
        build: Callable[[K, Any], V],
        freshness: Callable[[K], Any] = lambda _key: None,
        *,
        usable: Callable[[V], bool] = _always,
        keep_last_on: tuple[type[Exception], ...] = (),
        on_kept: Callable[[K, Exception], None] | None = None,
        on_built: Callable[[K, V], None] | None = None,
    ) -> None:
        self._build = build
        self._freshness = freshness
        self._usable = usable
        self._keep_last_on = keep_last_on
        self._on_kept = on_kept
        self._on_built = on_built
        self._lock = threading.Lock()
        self._entries: dict[K, tuple[Any, V]] = {}

    def get(self, key: K, stamp: Any = None) -> V:
        """The value for `key`, built again when its stamp changed (the freshness check runs outside the lock).

        `stamp`: the current stamp when the caller already has it (then `freshness` is not called)."""
        if stamp is None:
            stamp = self._freshness(key)
        entry = self._entries.get(key)
        if entry is not None and entry[0] == stamp and self._usable(entry[1]):
            return entry[1]
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0] == stamp and self._usable(entry[1]):
                return entry[1]
            try:
                value = self._build(key, stamp)
            except self._keep_last_on as error:
                if entry is None:
                    raise
                if self._on_kept is not None:
                    self._on_kept(key, error)
                self._entries[key] = (stamp, entry[1])
                return entry[1]
            self._entries[key] = (stamp, value)
            if self._on_built is not None:
                self._on_built(key, value)
            return value

    def current(self, key: K) -> V | None:
        """The value last built for `key`, without checking its freshness (None when never built)."""
        entry = self._entries.get(key)
        return None if entry is None else entry[1]

    def clear(self) -> None:
        """Forget every value (tests; after an import that other processes see through the stamp anyway)."""
        with self._lock:
            self._entries.clear()


# --- Warm-up at worker start ------------------------------------------------------------------------------------

_warm_ups: list[str] = []


def register_warm_up(dotted_path: str) -> None:
    """Have `warm_up()` call the function at `dotted_path` (imported only then: registering costs nothing)."""
    if dotted_path not in _warm_ups:
        _warm_ups.append(dotted_path)


def warm_up() -> list[str]:
    """Call every registered warm-up, in registration order; return those that failed.

    A failure (an empty database before the first import, say) is logged and never keeps a worker from starting:
    the value is then built at the first request that needs it.
    """
    failed = []
    for path in _warm_ups:
        try:
            import_string(path)()
        except Exception:  # a worker must start; the first request builds what failed here
            logger.warning("warm-up %s failed at start", path, exc_info=True)
            failed.append(path)
    return failed
