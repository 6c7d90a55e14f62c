"""The per-process keyed cache (spro.core.cache.KeyedCache) and the worker-start warm-up."""

from __future__ import annotations

import logging
import threading

import pytest

from spro.core import cache
from spro.core.cache import KeyedCache


class Source:
    """A stand-in for what a value is built from: a stamp the test moves, and a count of the builds."""

    def __init__(self) -> None:
        self.stamp = 1
        self.builds: list[tuple[str, int]] = []
        self.fail = False

    def build(self, key: str, stamp: int) -> str:
        self.builds.append((key, stamp))
        if self.fail:
            raise ValueError(f"{key} invalide")
        return f"{key}@{stamp}"

    def freshness(self, _key: str) -> int:
        return self.stamp


def test_a_value_is_built_once_per_key_and_stamp_and_again_when_the_stamp_changes():
    source = Source()
    values = KeyedCache(source.build, source.freshness)
    assert values.get("a") == "a@1"
    assert values.get("a") == "a@1"
    assert values.get("b") == "b@1"
    assert source.builds == [("a", 1), ("b", 1)]
    source.stamp = 2
    assert values.get("a") == "a@2"
    assert source.builds[-1] == ("a", 2)


def test_without_freshness_a_value_is_built_once_per_process_and_clear_forgets_it():
    built = []
    values = KeyedCache(lambda key, _stamp: built.append(key) or len(built))
    assert values.get("x") == values.get("x") == 1
    values.clear()
    assert values.current("x") is None
    assert values.get("x") == 2


def test_a_stamp_given_by_the_caller_replaces_the_freshness_check():
    source = Source()
    values = KeyedCache(source.build, lambda key: pytest.fail("freshness must not be called"))
    assert values.get("a", stamp=7) == "a@7"
    assert values.get("a", stamp=7) == "a@7"
    assert values.get("a", stamp=8) == "a@8"
    assert len(source.builds) == 2


def test_an_unusable_value_is_built_again_with_the_same_stamp():
    contents: list[list[str]] = [[], ["Rennes"]]
    values = KeyedCache(lambda _key, _stamp: contents.pop(0), usable=bool)
    assert values.get("communes") == []  # still empty (before the first import)…
    assert values.get("communes") == ["Rennes"]  # …so read again, not kept


def test_an_error_keeps_the_last_value_and_is_reported_once_per_stamp_but_a_never_built_key_raises():
    source = Source()
    kept: list[tuple[str, str]] = []
    values = KeyedCache(
        source.build,
        source.freshness,
        keep_last_on=(ValueError,),
        on_kept=lambda k, e: kept.append((k, str(e))),
    )
    assert values.get("a") == "a@1"
    source.stamp, source.fail = 2, True
    assert values.get("a") == "a@1"
    assert values.get("a") == "a@1"
    assert kept == [("a", "a invalide")]
    assert source.builds.count(("a", 2)) == 1  # the invalid stamp is remembered: not read again
    with pytest.raises(ValueError, match="b invalide"):
        values.get("b")
    source.stamp, source.fail = 3, False
    assert values.get("a") == "a@3"


def test_other_errors_are_not_kept():
    source = Source()
    values = KeyedCache(source.build, source.freshness, keep_last_on=(KeyError,))
    values.get("a")
    source.stamp, source.fail = 2, True
    with pytest.raises(ValueError):
        values.get("a")


def test_on_built_runs_once_the_new_value_is_in_place():
    source = Source()
    seen = []
    values: KeyedCache[str, str] = KeyedCache(
        source.build, source.freshness, on_built=lambda key, value: seen.append((value, values.current(key)))
    )
    values.get("a")
    values.get("a")
    source.stamp = 2
    values.get("a")
    assert seen == [("a@1", "a@1"), ("a@2", "a@2")]


def test_two_threads_asking_at_once_build_the_value_once():
    started, release = threading.Event(), threading.Event()
    builds = []

    def slow_build(key: str, _stamp: object) -> str:
        builds.append(key)
        started.set()
        assert release.wait(10)
        return key.upper()

    values = KeyedCache(slow_build)
    results: list[str] = []
    first = threading.Thread(target=lambda: results.append(values.get("k")))
    first.start()
    assert started.wait(10)
    second = threading.Thread(target=lambda: results.append(values.get("k")))
    second.start()
    release.set()
    first.join(10)
    second.join(10)
    assert results == ["K", "K"]
    assert builds == ["k"]


# --- warm-up ------------------------------------------------------------------------------------------------------
CALLS: list[str] = []


def warm_one() -> None:
    CALLS.append("one")


def warm_broken() -> None:
    raise RuntimeError("base vide")


def warm_two() -> None:
    CALLS.append("two")


def test_warm_up_calls_each_registered_function_once_and_a_failure_does_not_stop_the_others(
    monkeypatch, caplog
):
    monkeypatch.setattr(cache, "_warm_ups", [])
    CALLS.clear()
    for name in ("warm_one", "warm_broken", "warm_two", "warm_one"):
        cache.register_warm_up(f"{__name__}.{name}")
    with caplog.at_level(logging.WARNING, logger="spro.core.cache"):
        failed = cache.warm_up()
    assert CALLS == ["one", "two"]
    assert failed == [f"{__name__}.warm_broken"]
    assert [r.levelno for r in caplog.records] == [logging.WARNING]
    assert "warm_broken" in caplog.records[0].getMessage()


def test_the_answer_app_registers_the_metier_and_commune_indexes():
    assert "spro.answer.metiers.warm" in cache._warm_ups
    assert "spro.referentials.geo.resolver.get_index" in cache._warm_ups
