"""Query-string parameters shared by the pages (statistics periods…): parsed once, errors said in French."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest


def date_param(request: HttpRequest, name: str, errors: list[str], label: str) -> dt.date | None:
    """The ISO date in `request.GET[name]`, None when absent; an invalid one adds a message to `errors`."""
    value = request.GET.get(name, "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        errors.append(f"{label} : date invalide, format attendu AAAA-MM-JJ.")
        return None
