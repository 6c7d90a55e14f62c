"""Sections that apps add to the home page, without the core importing them (docs/architecture.md).

An app registers a section in its `AppConfig.ready()`:

    register_home_section("events/_home.html", "spro.events.public.home_context")

The home view calls each registered callable with the request, in the order of registration: it returns the
section's template context, or None (or an empty dict) to show nothing — for example when there is nothing
upcoming. The section's template is rendered with that context and the request; the home template puts the
sections after « Par où commencer ? ». Registering the same template twice keeps one section.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class HomeSection:
    template_name: str
    context_callable_path: str


_sections: list[HomeSection] = []


def register_home_section(template_name: str, context_callable_path: str) -> None:
    if any(section.template_name == template_name for section in _sections):
        return
    _sections.append(HomeSection(template_name, context_callable_path))


def unregister_home_section(template_name: str) -> None:
    """For tests."""
    _sections[:] = [section for section in _sections if section.template_name != template_name]


def registered() -> tuple[HomeSection, ...]:
    return tuple(_sections)


def render_sections(request: HttpRequest) -> list[SafeString]:
    """The HTML of each registered section that has something to show."""
    rendered = []
    for section in _sections:
        build: Callable[[HttpRequest], dict[str, Any] | None] = import_string(section.context_callable_path)
        context = build(request)
        if context:
            rendered.append(mark_safe(render_to_string(section.template_name, context, request=request)))  # noqa: S308 - a template's own output
    return rendered
