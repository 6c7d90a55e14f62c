"""Reusable browser-test harness: Debian's Chromium, driven by Playwright (sync API), against the live server.

Use it from any test module under tests/browser/:

    pytestmark = pytest.mark.browser

    def test_my_page_is_accessible(page, live_server):
        page.goto(live_server.url + "/my-page/")
        assert_no_axe_violations(page)

Fixtures:
- `browser` (session): one Chromium for the whole run, launched from /usr/bin/chromium (never a downloaded
  build; `playwright install` is not used). SPRO_CHROMIUM overrides the path.
- `browser_context_factory`: new isolated contexts (e.g. `java_script_enabled=False`, a 320 px viewport); the
  test fails at teardown if one of their pages broke the Content-Security-Policy (see `csp_violations`).
- `page`: a page in a fresh desktop context (1280x900, French).
Helpers: `assert_no_axe_violations(page)`, `axe_violations(page)`, `format_violations(violations)`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("SPRO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
# The WCAG 2.1 A and AA rules (RGAA 4.1 maps to WCAG 2.1 AA). Best-practice rules are deliberately left out.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DEFAULT_TIMEOUT_MS = 15_000


@pytest.fixture(scope="session", autouse=True)
def _static_root_exists() -> None:
    """WhiteNoise warns (an error under pytest) when STATIC_ROOT is missing, as before any collectstatic."""
    from django.conf import settings

    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def csp_violations() -> list[str]:
    """Console reports of Content-Security-Policy violations, from every page of the test's contexts."""
    return []


@pytest.fixture
def browser_context_factory(browser: Any, csp_violations: list[str]) -> Iterator[Callable[..., Any]]:
    """Open contexts with the given Playwright options; the test fails at teardown if a page broke the CSP."""
    contexts: list[Any] = []

    def record(message: Any) -> None:
        if "Content Security Policy" in message.text:
            csp_violations.append(message.text)

    def open_context(**options: Any) -> Any:
        options.setdefault("locale", "fr-FR")
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(**options)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        context.on("console", record)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()
    assert not csp_violations, "a page broke the Content-Security-Policy:\n" + "\n".join(csp_violations)


@pytest.fixture
def page(browser_context_factory: Callable[..., Any]) -> Any:
    return browser_context_factory().new_page()


def axe_violations(page: Any, context: str | None = None) -> list[dict[str, Any]]:
    """Run axe-core in the page (WCAG 2.1 A/AA rules only) and return its violations."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    results = Axe().run(page, context=context, options=options)
    return results.response["violations"]


def format_violations(violations: list[dict[str, Any]], url: str = "") -> str:
    """A report a developer can act on: rule, impact, why, where (selector and HTML), how to fix."""
    lines = [f"{len(violations)} axe violation(s) on {url or 'the page'}:"]
    for violation in violations:
        lines.append(f"\n[{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.append(f"  WCAG tags: {', '.join(t for t in violation['tags'] if t.startswith('wcag'))}")
        lines.append(f"  More: {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"  - at {' '.join(map(str, node['target']))}")
            lines.append(f"    html: {node['html'][:300]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n      ")
            if summary:
                lines.append(f"    {summary}")
    return "\n".join(lines)


def autofocused(page: Any, condition: str, timeout_ms: int = 5000) -> bool:
    """Whether the element the page focuses on its own (`autofocus`) meets `condition`, a JavaScript expression on
    `el`.

    Chromium applies `autofocus` at a rendering step that may come after the `load` event a navigation waits for,
    so reading `document.activeElement` at once raced it (CI, 2026-12-06: the error summary was not yet focused).
    This waits for the focus to arrive, and still fails when it never does.
    """
    script = f"() => {{ const el = document.activeElement; return !!el && ({condition}); }}"
    # Polled from Python, not with `wait_for_function`, whose polling runs in the page and so never would with
    # JavaScript off.
    for _ in range(max(1, timeout_ms // 50)):
        if page.evaluate(script):
            return True
        page.wait_for_timeout(50)
    return bool(page.evaluate(script))


def assert_no_axe_violations(page: Any) -> None:
    violations = axe_violations(page)
    assert not violations, format_violations(violations, page.url)


def warm_answer_indexes() -> None:
    """Build the métier and commune indexes before a browser asks its first question, as each gunicorn worker does
    at start (`spro.core.cache.warm_up`).

    The live server would otherwise build them inside the first POST /question (about 20 s on a loaded CI machine),
    past the browser's 15 s navigation timeout; the request then ran on into the test's teardown flush. Every
    warm-up must succeed: the data was just imported.
    """
    from spro.core.cache import warm_up

    assert warm_up() == []


class KeyboardWalk:
    """A journey by keyboard only: reach an element with Tab, act with Enter or typing, and collect the axe
    violations of every page reached (checked at the end, so that one run lists them all). Tests add their own
    steps in a subclass (a login, a date field…)."""

    max_tabs = 250

    def __init__(self, page: Any, base: str) -> None:
        self.page, self.base, self.problems = page, base, []

    def axe(self) -> None:
        violations = axe_violations(self.page)
        if violations:
            self.problems.append(format_violations(violations, self.page.url))

    def tab_to(self, locator: Any, what: str) -> None:
        assert locator.count() == 1, f"{what}: {locator.count()} elements on {self.page.url}"
        handle = locator.element_handle()
        for _ in range(self.max_tabs):
            self.page.keyboard.press("Tab")
            if handle.evaluate("el => el === document.activeElement"):
                return
        raise AssertionError(f"Tab never reached {what} on {self.page.url}")

    def press(self, key: str = "Enter") -> None:
        with self.page.expect_navigation() as navigation:
            self.page.keyboard.press(key)
        response = navigation.value
        assert response is not None and response.status < 400, (self.page.url, response and response.status)
        self.axe()

    def fill(self, locator: Any, text: str, what: str) -> None:
        self.tab_to(locator, what)
        self.page.keyboard.type(text)
