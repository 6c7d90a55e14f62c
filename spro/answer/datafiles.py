"""Reading the answer's data files (rules, needs lexicon): one place for the French messages a Region's editor
reads when a file is missing, unreadable or not valid YAML (the file name, and the line when YAML knows it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


def read_yaml(path: Path, error: type[Exception], name: str | None = None) -> Any:
    """The parsed content of `path`; `error(message)` when it cannot be read or parsed."""
    name = name or path.name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"{name} : fichier introuvable dans {path.parent}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{name} : lecture impossible ({exc})") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f", ligne {mark.line + 1}" if mark is not None else ""
        raise error(f"{name}{line} : YAML invalide ({getattr(exc, 'problem', exc)})") from None
