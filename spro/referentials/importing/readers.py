"""Readers for official files: CSV (plain or gzip), JSON, with strict decoding and line numbers.

A wrong encoding, a missing column or a malformed line raises ImportFailure naming the file and the line, never a
half-read dataset.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from spro.referentials.importing.errors import ImportFailure

csv.field_size_limit(10_000_000)


#: What the gzip module raises on a truncated or damaged file (an EOFError traceback before issue 12).
GZIP_ERRORS = (EOFError, gzip.BadGzipFile, zlib.error)


class CheckedGzipFile(gzip.GzipFile):
    """A gzip stream whose truncation or corruption is an ImportFailure naming the file, for every reader.

    Every way of reading (read, read1, readline, iteration, peek, readinto) goes through these methods.
    """

    def __init__(self, path: Path, fileobj: io.BufferedReader) -> None:
        super().__init__(fileobj=fileobj, mode="rb")
        self.source_path = path

    def _failure(self, exc: BaseException) -> ImportFailure:
        detail = "it ends before its end marker" if isinstance(exc, EOFError) else str(exc)
        return ImportFailure(
            f"the compressed file is truncated or damaged ({detail}); download it again",
            source=self.source_path,
        )

    def read(self, size: int = -1) -> bytes:
        try:
            return super().read(size)
        except GZIP_ERRORS as exc:
            raise self._failure(exc) from None

    def read1(self, size: int = -1) -> bytes:
        try:
            return super().read1(size)
        except GZIP_ERRORS as exc:
            raise self._failure(exc) from None

    def peek(self, n: int) -> bytes:
        try:
            return super().peek(n)
        except GZIP_ERRORS as exc:
            raise self._failure(exc) from None

    def readline(self, size: int | None = -1) -> bytes:
        try:
            return super().readline(size)
        except GZIP_ERRORS as exc:
            raise self._failure(exc) from None


def open_binary(path: Path) -> tuple[io.BufferedReader, io.BufferedIOBase]:
    """Return (raw file, stream to read): gzip is detected by its magic bytes, not by the name."""
    raw = open(path, "rb")  # noqa: SIM115 - closed by the caller
    magic = raw.read(2)
    raw.seek(0)
    if magic == b"\x1f\x8b":
        return raw, CheckedGzipFile(Path(path), raw)
    return raw, raw


class Row:
    """One record of an input file, with typed accessors that raise ImportFailure at the right place."""

    __slots__ = ("source", "line", "data")

    def __init__(self, source: Path, line: int, data: dict[str, str]) -> None:
        self.source = source
        self.line = line
        self.data = data

    def fail(self, field: str | None, message: str) -> ImportFailure:
        return ImportFailure(message, source=self.source, line=self.line, field=field)

    def str(self, column: str, *, required: bool = False, max_length: int | None = None) -> str:
        value = (self.data.get(column) or "").strip()
        if required and not value:
            raise self.fail(column, "value is required")
        if max_length is not None and len(value) > max_length:
            raise self.fail(column, f"value is longer than {max_length} characters: {value[:40]!r}…")
        return value

    def int(self, column: str, *, required: bool = False) -> int | None:
        value = self.str(column, required=required)
        if not value:
            return None
        try:
            return int(value)
        except ValueError:
            raise self.fail(column, f"not an integer: {value!r}") from None

    def float(self, column: str, *, required: bool = False, decimal_comma: bool = False) -> float | None:
        value = self.str(column, required=required)
        if not value:
            return None
        if decimal_comma:
            value = value.replace(",", ".")
        try:
            return float(value)
        except ValueError:
            raise self.fail(column, f"not a number: {value!r}") from None

    def date(
        self, column: str, *, required: bool = False, formats: tuple[str, ...] = ("%d/%m/%Y", "%Y-%m-%d")
    ) -> dt.date | None:
        value = self.str(column, required=required)
        if not value:
            return None
        for fmt in formats:
            try:
                return dt.datetime.strptime(value, fmt).date()
            except ValueError:
                continue
        raise self.fail(column, f"not a date ({' or '.join(formats)}): {value!r}")

    def choice(self, column: str, choices: dict[str, Any], *, required: bool = False) -> Any:
        value = self.str(column, required=required)
        if not value and not required:
            return choices.get("")
        if value not in choices:
            raise self.fail(
                column,
                f"unexpected value {value!r} (expected one of {', '.join(sorted(map(repr, choices)))})",
            )
        return choices[value]

    def match(self, column: str, check: Callable[[str], bool], what: str, *, required: bool = False) -> str:
        value = self.str(column, required=required)
        if value and not check(value):
            raise self.fail(column, f"not a valid {what}: {value!r}")
        return value


def read_csv(
    path: Path,
    *,
    delimiter: str = ",",
    required_columns: tuple[str, ...] = (),
    encoding: str = "utf-8-sig",
    fieldnames: list[str] | None = None,
    quoting: int = csv.QUOTE_MINIMAL,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[Row]:
    """Yield Row objects with the line number where each record starts.

    Decoding is strict: a file in the wrong encoding stops at the first bad byte with its line number.
    `quoting=csv.QUOTE_NONE` reads files whose fields are never quoted but may contain a literal `"` (BCN).
    `progress(done_bytes, total_bytes)` is called every few thousand records.
    """
    path = Path(path)
    if not path.exists():
        raise ImportFailure("file not found", source=path)
    total = path.stat().st_size
    raw, stream = open_binary(path)
    with raw:
        text = io.TextIOWrapper(stream, encoding=encoding, errors="strict", newline="")
        reader = csv.reader(text, delimiter=delimiter, strict=quoting != csv.QUOTE_NONE, quoting=quoting)
        line = 1
        try:
            if fieldnames is None:
                try:
                    header = next(reader)
                except StopIteration:
                    raise ImportFailure("file is empty (no header line)", source=path, line=1) from None
                header = [name.strip() for name in header]
                line = reader.line_num + 1
            else:
                header = fieldnames
            missing = [column for column in required_columns if column not in header]
            if missing:
                raise ImportFailure(
                    f"missing column(s) {', '.join(missing)}; found {', '.join(header[:12])}",
                    source=path,
                    line=1,
                    field=missing[0],
                )
            width = len(header)
            count = 0
            for values in reader:
                start = line
                line = reader.line_num + 1
                if not values or (len(values) == 1 and not values[0].strip()):
                    continue
                if len(values) != width:
                    raise ImportFailure(
                        f"expected {width} fields, found {len(values)}", source=path, line=start
                    )
                count += 1
                if progress is not None and count % 5000 == 0:
                    progress(raw.tell(), total)
                yield Row(path, start, dict(zip(header, values, strict=True)))
            if progress is not None:
                progress(total, total)
        except UnicodeDecodeError:
            bad_line, column, reason = _first_undecodable_line(path, encoding)
            raise ImportFailure(
                f"not valid {encoding.replace('-sig', '').upper()} text ({reason} at byte {column} of the line); "
                f"convert the file to UTF-8",
                source=path,
                line=bad_line,
            ) from None
        except csv.Error as exc:
            raise ImportFailure(f"malformed CSV: {exc}", source=path, line=line) from None
        except ImportFailure as exc:
            if exc.line is None:  # a damaged compressed stream: say how far it could be read
                raise ImportFailure(exc.message, source=path, line=line, field=exc.field) from None
            raise


def _first_undecodable_line(path: Path, encoding: str) -> tuple[int, int, str]:
    """The decoder reads ahead by blocks, so find the exact line again by decoding line by line."""
    raw, stream = open_binary(path)
    with raw:
        for number, data in enumerate(stream, start=1):
            try:
                data.decode(encoding)
            except UnicodeDecodeError as exc:
                return number, exc.start + 1, exc.reason
    return 0, 0, "undecodable"


def read_json(path: Path) -> Any:
    path = Path(path)
    if not path.exists():
        raise ImportFailure("file not found", source=path)
    raw, stream = open_binary(path)
    with raw:
        data = stream.read()
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFailure(
            f"not valid UTF-8 text ({exc.reason}); convert the file to UTF-8", source=path, line=line
        ) from None
    except json.JSONDecodeError as exc:
        raise ImportFailure(f"malformed JSON: {exc.msg}", source=path, line=exc.lineno) from None
