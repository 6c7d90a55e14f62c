"""Reading an LHÉO file in chunks of <formation> elements cut from its raw bytes, in process or in workers.

The importer's main process only cuts the file (a byte search for `</formation>`, no XML parsing) and writes
rows. Each chunk — the file's own header (everything before the first <formation>, so that namespaces and
entities are those of the file), ≈ `batch_size` formations, then `</offres></lheo>` — is parsed, every
<formation> validated against the XSD, hashed and turned into ready-to-insert rows by a `ChunkProcessor`:
in the importer's process for small files, in worker processes (`python -m spro.referentials.offers.chunks`,
one per core) for big ones. Both paths run the same code and give the same rows, digests, warnings and errors.

Results travel as `marshal` data (plain tuples, strings, numbers): ≈ 10 times cheaper to load than pickled
objects. Line numbers are the file's: a chunk carries the offset to add to lxml's line numbers.
"""

from __future__ import annotations

import bisect
import contextlib
import gc
import hashlib
import marshal
import os
import queue
import re
import struct
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, ClassVar

from lxml import etree

from spro.referentials.importing.errors import ImportFailure
from spro.referentials.offers.lheo import (
    FORMATION,
    LHEO,
    OFFRES,
    ORGANISME,
    load_schema,
    syntax_failure,
    validate,
    xml_parser,
)
from spro.referentials.offers.reader import FormationReader
from spro.referentials.offers.records import ChunkEntry, ParsedFormation, formation_rows, layouts
from spro.referentials.offers.tags import T_ACTION, T_CODE_ROME, T_DOMAINE_FORMATION, T_SESSION

#: Bump when the mapping changes, so that the next import rewrites every offer instead of skipping it.
MAPPING_VERSION = 2

FORMATION_START = re.compile(rb"<formation[\s>/]")
FORMATION_END = b"</formation>"
ORGANISME_END = b"</organisme-formation-responsable>"
_ORGANISME_TAG = b"<organisme-formation-responsable"
#: what may follow a tag name: ASCII whitespace (a bytes regex's \s), > or /
_TAG_END = frozenset(bytes([c]) for c in b" \t\n\r\x0b\x0c>/")
FOOTER = b"</offres></lheo>"
ROME_CODES = f"{T_DOMAINE_FORMATION}/{T_CODE_ROME}"
BLOCK = 4 << 20


@dataclass
class Chunk:
    index: int
    data: bytes
    #: file line = line in (header + data + FOOTER) + line_offset
    line_offset: int


@dataclass
class Splitter:
    """Cuts a stream of LHÉO bytes into `Chunk`s of `per_chunk` formations; memory: one chunk and one block.

    `header` is what precedes the first <formation>, `trailer` what follows the last </formation> (both
    known once the iteration ends; the trailer is checked by the importer). A file without any <formation>
    yields nothing and keeps everything in `trailer`.
    """

    stream: Any
    per_chunk: int
    header: bytes = b""
    trailer: bytes = b""
    header_lines: int = 0

    def __iter__(self) -> Iterator[Chunk]:
        read = self.stream.read
        buffer = b""
        eof = False
        while True:
            match = FORMATION_START.search(buffer)
            if match or eof:
                break
            more = read(BLOCK)
            eof = not more
            buffer += more
        if not match:
            self.trailer = buffer
            return
        self.header, buffer = buffer[: match.start()], buffer[match.start() :]
        self.header_lines = lines = self.header.count(b"\n")
        index, per_chunk, find, size = 0, self.per_chunk, buffer.find, len(FORMATION_END)
        position, count = 0, 0
        while True:
            find = buffer.find
            while count < per_chunk:
                end = find(FORMATION_END, position)
                if end < 0:
                    break
                position, count = end + size, count + 1
            if count < per_chunk and not eof:
                more = read(BLOCK)
                eof = not more
                buffer += more
                continue
            if not count:
                self.trailer = buffer
                return
            data, buffer = buffer[:position], buffer[position:]
            yield Chunk(index, data, lines - self.header_lines)
            lines += data.count(b"\n")
            index, position, count = index + 1, 0, 0


def raw_digests(prefix: bytes, data: bytes, start: int = 0, end: int | None = None) -> tuple[str, str]:
    """(digest of the <formation> bytes data[start:end] without its organisme, digest of the organisme's
    bytes or ""). The bytes are hashed in place (a memoryview: no copy of the formation)."""
    end = len(data) if end is None else end
    view = memoryview(data)
    organisme = _organisme_start(data, start, end)
    close = data.find(ORGANISME_END, organisme, end) if organisme >= 0 else -1
    own = hashlib.blake2b(prefix, digest_size=20)
    if close < 0:
        own.update(view[start:end])
        return own.hexdigest(), ""
    close += len(ORGANISME_END)
    own.update(view[start:organisme])
    own.update(view[close:end])
    other = hashlib.blake2b(prefix, digest_size=20)
    other.update(view[organisme:close])
    return own.hexdigest(), other.hexdigest()


class Fingerprint:
    """Digests that say whether an element must be read and written again.

    A digest covers the element's bytes in the file (`raw_digests`), the mapping version and the set of
    known communes and ROME fiches (their links are resolved at import time): when geo or rome is
    re-imported, every offer is re-read so that its links follow; otherwise an unchanged offer is not written.
    """

    def __init__(self, communes: set[str], fiches: set[str]) -> None:
        digest = hashlib.blake2b(f"lheo-mapping-{MAPPING_VERSION}".encode(), digest_size=20)
        for codes in (communes, fiches):
            digest.update("\n".join(sorted(codes)).encode())
            digest.update(b"\x00")
        self.prefix = digest.digest()


def _organisme_start(data: bytes, start: int, end: int) -> int:
    """Offset of the first `<organisme-formation-responsable` tag (name then whitespace, > or /) in
    data[start:end], or -1; bytes.find is ≈ 3 times faster than a regex, which stops at every '<'."""
    size = len(_ORGANISME_TAG)
    found = data.find(_ORGANISME_TAG, start, end)
    while found >= 0 and data[found + size : found + size + 1] not in _TAG_END:
        found = data.find(_ORGANISME_TAG, found + size, end)
    return found


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class ChunkProcessor:
    """Parse, validate, hash and read one chunk: needs Django's models (for the row layouts), not a database."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.path = Path(config["path"])
        self.header: bytes = config["header"]
        self.prefix: bytes = config["prefix"]
        self.xsd = load_schema(Path(config["schema"]))
        self.reader = FormationReader(self.path, set(config["communes"]), set(config["fiches"]))
        self.warnings = self.reader.warnings
        self.layouts = layouts()
        #: digests of the active stored offers (sorted, 20 bytes each): those formations need not be read
        self.known = DigestSet(config["known"]) if config.get("known") else None
        #: SIRETs whose organisme record this processor already sent: the first one in the file always is
        self.sent: set[str] = set()
        self.parser = xml_parser()

    def _fail(self, kind: str, message: str, line: int | None, field: str | None) -> tuple:
        return ("fail", kind, message, line, field)

    def process(self, data: bytes, offset: int) -> tuple:
        """("ok", entries) or ("fail", kind, message, line, field); kind: syntax, structure, schema, read.
        Each entry is a `ChunkEntry` as a plain tuple (what `marshal` carries): `ChunkEntry._make` reads it.

        The cycle collector is paused for the chunk: reading creates ≈ 100 dicts and lists per formation,
        none in a cycle (reference counting frees them), and the collections they would trigger cost ≈ 8 %
        of a worker's CPU (bench/lheo/profile_worker.py --gc). It runs again between chunks."""
        with _collector_paused():
            return self._process(data, offset)

    def _process(self, data: bytes, offset: int) -> tuple:
        try:
            root = etree.fromstring(self.header + data + FOOTER, self.parser)
        except etree.XMLSyntaxError as exc:
            failure = syntax_failure(self.path, exc)
            line = failure.line + offset if failure.line else None
            return self._fail("syntax", failure.message, line, failure.field)
        offres = root[0] if len(root) else None
        if root.tag != LHEO or offres is None or offres.tag != OFFRES or len(root) != 1:
            return self._fail("structure", "unexpected LHÉO structure", None, None)
        formations = list(offres)
        starts = [match.start() for match in FORMATION_START.finditer(data)]
        if any(element.tag != FORMATION for element in formations) or len(starts) != len(formations):
            return self._fail("structure", "unexpected element in <offres>", None, None)
        xsd, reader, prefix, known = self.xsd, self.reader, self.prefix, self.known
        reader.line_offset = offset
        entries: list[ChunkEntry] = []
        end_size = len(FORMATION_END)
        read: list[ParsedFormation] = []
        read_at: list[int] = []
        for element, start in zip(formations, starts, strict=True):
            problem = validate(xsd, element)
            if problem:
                line = problem.line + offset if problem.line else None
                return self._fail("schema", problem.message, line, problem.element)
            end = data.find(FORMATION_END, start) + end_size
            own, organisme_digest = raw_digests(prefix, data, start, end)
            try:
                if known and own in known:
                    # Already stored as it is (the importer checks it against its numero): not read.
                    parsed, warnings = None, []
                    numero, siret, action_count, session_count, fiches = self._summary(element)
                else:
                    parsed = reader.read(element)
                    parsed.record["content_hash"] = own
                    warnings = self.warnings.take()
                    numero, siret, fiches = parsed.numero, parsed.siret, parsed.fiches
                    action_count = len(parsed.actions)
                    session_count = sum(len(a.sessions) for a in parsed.actions)
                organisme_record, organisme_warnings, organisme_line = None, [], None
                if siret not in self.sent:
                    organisme_element = element.find(ORGANISME)
                    _, organisme_record = reader.organisme(organisme_element)
                    organisme_warnings = self.warnings.take()
                    organisme_line = reader.line(organisme_element)
                    self.sent.add(siret)
            except ImportFailure as exc:
                return self._fail("read", exc.message, exc.line, exc.field)
            entries.append(
                ChunkEntry(
                    numero=numero,
                    line=reader.line(element),
                    digest=own,
                    organisme_digest=organisme_digest,
                    siret=siret,
                    organisme_record=organisme_record,
                    organisme_warnings=organisme_warnings,
                    organisme_line=organisme_line,
                    warnings=warnings,
                    row=None,
                    actions=None,
                    fiches=fiches,
                    start=start,
                    end=end,
                    action_count=action_count,
                    session_count=session_count,
                )
            )
            if parsed is not None:
                read.append(parsed)
                read_at.append(len(entries) - 1)
        # The rows of the formations read, converted together (one call per table and chunk).
        for index, (row, actions) in zip(read_at, formation_rows(self.layouts, read), strict=True):
            entries[index] = entries[index]._replace(row=row, actions=actions)
        return ("ok", [tuple(entry) for entry in entries])  # marshal carries plain tuples only

    def _summary(self, element: etree._Element) -> tuple[str, str, int, int, list[str]]:
        """numero, SIRET, number of actions and sessions, known ROME fiches of a formation that is not read."""
        reader = self.reader
        numero = (element.get("numero") or element.get("id") or "").strip()
        organisme = element.find(ORGANISME)
        siret = reader.siret(organisme) if organisme is not None else ""
        if not numero or not siret:  # pragma: no cover - such an offer cannot have been stored
            raise ImportFailure(
                "formation without numero or SIRET", source=self.path, line=reader.line(element)
            )
        actions = element.findall(T_ACTION)
        sessions = sum(len(action.findall(T_SESSION)) for action in actions)
        codes = [(code.text or "").strip() for code in element.iterfind(ROME_CODES)]
        return (
            numero,
            siret,
            len(actions),
            sessions,
            [c for c in dict.fromkeys(codes) if c in reader.fiches],
        )


class DigestSet:
    """Sorted 20-byte digests in one bytes object (20 bytes per stored offer): `in` by binary search."""

    def __init__(self, blob: bytes) -> None:
        self.blob = blob
        self.size = len(blob) // 20

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, index: int) -> bytes:
        return self.blob[index * 20 : index * 20 + 20]

    def __contains__(self, digest: str) -> bool:
        key = bytes.fromhex(digest)
        index = bisect.bisect_left(self, key)
        return index < self.size and self[index] == key


# ---------------------------------------------------------------------------------------------- workers


def _send(stream: BinaryIO, value: Any) -> None:
    data = marshal.dumps(value)
    stream.write(struct.pack("<Q", len(data)))
    stream.write(data)
    stream.flush()


def _receive(stream: BinaryIO) -> Any:
    head = stream.read(8)
    if len(head) < 8:
        raise EOFError
    (size,) = struct.unpack("<Q", head)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return marshal.loads(data)  # noqa: S302 - our own worker processes, over pipes


@dataclass
class WorkerPool:
    """`count` worker processes; chunks are dealt round-robin and their results read back in file order.

    A feeder thread cuts the file and writes chunks to the workers while the main thread reads results and
    writes rows: at most `depth` chunks per worker are in flight, so memory stays flat.
    """

    count: int
    path: Path
    depth: int = 2
    #: how a worker is started (a test replaces it with a process that dies)
    command: ClassVar[tuple[str, ...]] = (sys.executable, "-m", __name__)
    #: started with stdin=PIPE and stdout=PIPE: their pipes are never None, though typed Optional (hence the
    #: `type: ignore[arg-type]` / `[union-attr]` where they are used)
    processes: list[subprocess.Popen] = field(default_factory=list)
    stderr: list[Any] = field(default_factory=list)
    finished: bool = False
    _errors: list[BaseException] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        env = dict(os.environ)
        env.setdefault("DJANGO_SETTINGS_MODULE", "spro.settings")
        for _ in range(self.count):
            self.stderr.append(tempfile.TemporaryFile())  # noqa: SIM115 - closed by stop()
            self.processes.append(
                subprocess.Popen(
                    list(self.command),
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=self.stderr[-1],
                    env=env,
                )
            )

    def _stderr(self, process: subprocess.Popen) -> str:
        try:
            stderr = self.stderr[self.processes.index(process)]
            stderr.seek(0)
            return stderr.read().decode(errors="replace").strip()[-800:]
        except (OSError, ValueError):  # pragma: no cover
            return ""

    def _failure(self, process: subprocess.Popen) -> ImportFailure:
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:  # pragma: no cover
            process.kill()
        return ImportFailure(
            f"a reader process stopped (exit code {process.returncode}): {self._stderr(process)}",
            source=self.path,
        )

    def run(self, splitter: Splitter, config: dict[str, Any]) -> Iterator[tuple[Chunk, tuple]]:
        """Yield (chunk, result) in file order; `config` is completed with the header once it is known."""
        pending: queue.Queue[Chunk | None] = queue.Queue(maxsize=self.count * self.depth)

        def put(item: Chunk | None) -> None:
            while not self._stop.is_set():
                try:
                    pending.put(item, timeout=0.2)
                    return
                except queue.Full:
                    continue

        def feed() -> None:
            try:
                started = False
                for chunk in splitter:
                    if not started:
                        for process in self.processes:
                            _send(process.stdin, {**config, "header": splitter.header})  # type: ignore[arg-type]
                        started = True
                    put(chunk)
                    if self._stop.is_set():
                        return
                    process = self.processes[chunk.index % self.count]
                    _send(process.stdin, (chunk.data, chunk.line_offset))  # type: ignore[arg-type]
            except (BrokenPipeError, ValueError, OSError) as exc:
                if not self._stop.is_set():
                    self._errors.append(exc)
            except BaseException as exc:  # re-raised by the main thread
                self._errors.append(exc)
            finally:
                put(None)

        thread = threading.Thread(target=feed, name="lheo-feeder", daemon=True)
        thread.start()
        try:
            while True:
                chunk = pending.get()
                if chunk is None:
                    break
                process = self.processes[chunk.index % self.count]
                try:
                    result = _receive(process.stdout)  # type: ignore[arg-type]
                except EOFError:
                    raise self._failure(process) from None
                yield chunk, result
            thread.join()
            self.finished = True
            if self._errors:
                error = self._errors[0]
                if isinstance(error, OSError):
                    dead = [p for p in self.processes if p.poll() is not None]
                    if dead:
                        raise self._failure(dead[0]) from None
                raise error
        finally:
            self._stop.set()
            thread.join(timeout=10)

    def stop(self) -> None:
        self._stop.set()
        for process in self.processes:
            with contextlib.suppress(OSError):
                process.stdin.close()  # type: ignore[union-attr]
        for process, stderr in zip(self.processes, self.stderr, strict=True):
            if not self.finished and process.poll() is None:
                process.kill()  # stopped on a failure: its pending results are not wanted
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:  # pragma: no cover
                process.kill()
                process.wait()
            process.stdout.close()  # type: ignore[union-attr]
            stderr.close()


def worker(stdin: BinaryIO, stdout: BinaryIO) -> int:
    """Worker process: one config message, then (data, offset) chunks until end of input; one result each."""
    import django

    django.setup()
    try:
        config = _receive(stdin)
    except EOFError:
        return 0
    processor = ChunkProcessor(config)
    while True:
        try:
            data, offset = _receive(stdin)
        except EOFError:
            return 0
        _send(stdout, processor.process(data, offset))


if __name__ == "__main__":
    sys.exit(worker(sys.stdin.buffer, sys.stdout.buffer))


__all__ = ["Chunk", "ChunkProcessor", "Fingerprint", "Splitter", "WorkerPool", "raw_digests"]
