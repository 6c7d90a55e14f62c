"""Import errors and warnings, always naming file, line and field.

Errors are blocking: the whole dataset is rolled back and the command exits non-zero.
Warnings (a link to a code that a neighbouring referential does not know, say) are counted and reported; the
record or the link is skipped. This is the data·inclusion "errors versus warnings" rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


def _where(source: str | Path | None, line: int | None, field: str | None) -> str:
    parts = []
    if source is not None:
        parts.append(Path(source).name)
    if line is not None:
        parts.append(f"line {line}")
    if field:
        parts.append(f"field '{field}'")
    return ", ".join(parts)


class ImportFailure(Exception):
    """A blocking error in an input file. The dataset import is rolled back."""

    def __init__(
        self,
        message: str,
        *,
        source: str | Path | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.source = str(source) if source is not None else None
        self.line = line
        self.field = field
        super().__init__(str(self))

    def __str__(self) -> str:
        where = _where(self.source, self.line, self.field)
        return f"{where}: {self.message}" if where else self.message


@dataclass(frozen=True)
class ImportWarning:
    message: str
    source: str | None = None
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = _where(self.source, self.line, self.field)
        return f"{where}: {self.message}" if where else self.message
