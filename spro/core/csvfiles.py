"""Reading a CSV file under one of the platform's import contracts: UTF-8 (a BOM allowed), `;`, one header line;
every problem kept with its line and column, so that a file is accepted whole or rejected whole.

One home for what the State figures (`spro/statedata/reading.py`) and the dropout lists (`spro/dropouts/reading.py`)
share: the error of a line (`LineError`), the rejection of a file (`ImportRejected`), the header checks (a required
column missing, an unknown or doubled column), a line with the wrong number of cells, a file not in UTF-8 (named by
its first unreadable line and byte), and the file's SHA-256. Each domain keeps its own columns and the rules of its
values. Streaming: the file is read line by line, never held whole.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class LineError:
    """One problem of a file: its line (1 is the header; 0 for the file as a whole), its column or "", in French."""

    ligne: int
    champ: str
    message: str

    def __str__(self) -> str:
        where = f"ligne {self.ligne}" + (f", champ « {self.champ} »" if self.champ else "")
        return f"{where} : {self.message}"


#: (line number, values by column or None, the header's or the line's errors)
Record = tuple[int, dict[str, str] | None, list[LineError]]


class ImportRejected(Exception):
    """The file is rejected: `errors` lists every problem (nothing was written)."""

    def __init__(self, errors: list[LineError]) -> None:
        super().__init__(f"{len(errors)} erreur(s)")
        self.errors = errors


def header_errors(
    names: list[str], required: Collection[str], known: Collection[str] | None
) -> list[LineError]:
    """The header's problems (line 1): required columns missing, unknown ones (when `known` is given), doubles."""
    problems = [
        LineError(1, column, "colonne obligatoire absente") for column in required if column not in names
    ]
    if known is not None:
        problems += [LineError(1, name, "colonne inconnue") for name in names if name and name not in known]
    doubled = sorted({name for name in names if name and names.count(name) > 1})
    problems += [LineError(1, name, "colonne en double") for name in doubled]
    return problems


def read_records(
    path: Path,
    *,
    required: Collection[str],
    known: Collection[str] | None = None,
    rename: Mapping[str, str] | None = None,
) -> Iterator[Record]:
    """(line number, values by column, errors) for each non-blank line, streaming.

    Column names are read trimmed and in lower case, then renamed through `rename` (a source header → a contract
    column). The header's problems come as line 1 with no values, and then nothing more is read; so does an
    unreadable file (not UTF-8, CSV malformed), at the line where it stops."""
    rename = rename or {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=";")
        line = 1
        try:
            header = next(reader, None)
            if header is None:
                yield 1, None, [LineError(1, "", "fichier vide : une ligne d’en-tête est attendue")]
                return
            names = [rename.get(name.strip().lower(), name.strip().lower()) for name in header]
            problems = header_errors(names, required, known)
            if problems:
                yield 1, None, problems
                return
            for cells in reader:
                line = reader.line_num
                if not any(cell.strip() for cell in cells):
                    continue
                if len(cells) != len(names):
                    message = f"{len(cells)} colonne(s) au lieu de {len(names)} (séparateur « ; »)"
                    yield line, None, [LineError(line, "", message)]
                    continue
                yield line, {name: cell.strip() for name, cell in zip(names, cells, strict=True)}, []
        except UnicodeDecodeError:
            bad, byte = first_bad_line(path)
            message = (
                f"encodage : le fichier n’est pas en UTF-8 (octet 0x{byte:02x} illisible ligne {bad}) ; "
                "enregistrez-le en UTF-8"
            )
            yield bad, None, [LineError(bad, "", message)]
        except csv.Error as exc:
            yield line + 1, None, [LineError(line + 1, "", f"CSV illisible : {exc}")]


def first_bad_line(path: Path) -> tuple[int, int]:
    """The first line that is not UTF-8, and its first unreadable byte (read again in binary, line by line)."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                return number, raw[exc.start]
    return 1, 0


def file_sha256(path: Path) -> str:
    """The file's SHA-256 (hex), read by chunks of 1 MiB: an import run records which file it read."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
