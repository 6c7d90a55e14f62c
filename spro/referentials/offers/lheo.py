"""Reading LHÉO files: version detection, the 2.2 → 2.3 namespace mapping, streaming and XSD validation.

It needs no configured Django. `validate_file` streams a whole file the way the importer used to (one
<formation> at a time, XSD-validated, then the skeleton): the importer calls it to report malformed XML or a
wrong skeleton exactly (file line, element) whatever the chunk boundaries of `chunks.py`; it also runs on its
own as `python -m spro.referentials.offers.lheo SCHEMA.xsd FILE` (docs/referentials/offers.md).
"""

from __future__ import annotations

import io
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from spro.referentials.importing.errors import ImportFailure
from spro.referentials.importing.readers import open_binary

NS_23 = "http://lheo.gouv.fr/2.3"
NS_22 = "http://www.lheo.org/2.2"
NS = "{" + NS_23 + "}"

FORMATION = NS + "formation"
OFFRES = NS + "offres"
LHEO = NS + "lheo"
EXTRAS = NS + "extras"
ORGANISME = NS + "organisme-formation-responsable"

_ELEMENT_IN_MESSAGE = re.compile(r"Element '(?:\{[^}]*\})?([^']+)'")
_schemas: dict[str, etree.XMLSchema] = {}


def xml_parser() -> etree.XMLParser:
    """The parser of LHÉO chunks and fragments: no entities resolved, no network, comments and processing
    instructions dropped, no size limit (a formation's text may be long)."""
    return etree.XMLParser(
        resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True, huge_tree=True
    )


def load_schema(path: Path) -> etree.XMLSchema:
    """The LHÉO 2.3 XSD, parsed once per process (≈ 60 ms); a broken XSD is a blocking error."""
    key = str(path)
    if key not in _schemas:
        try:
            _schemas[key] = etree.XMLSchema(etree.parse(key))
        except (etree.XMLSyntaxError, etree.XMLSchemaParseError) as exc:
            raise ImportFailure(f"cannot load the LHÉO schema: {exc}", source=path) from None
    return _schemas[key]


class NamespaceMapper(io.RawIOBase):
    """A read-only stream that rewrites one namespace URI into another of the same length, on the fly.

    The LHÉO 2.2 URI (http://www.lheo.org/2.2) and the 2.3 one (http://lheo.gouv.fr/2.3) both have 23
    characters, so offsets and line numbers stay exact. A match cut between two reads is carried over.
    """

    def __init__(self, stream: io.BufferedIOBase, old: bytes, new: bytes) -> None:
        assert len(old) == len(new)
        self._stream = stream
        self._old, self._new = old, new
        self._carry = b""

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size if size and size > 0 else -1)
        if not data:
            out, self._carry = self._carry, b""
            return out
        buffer = (self._carry + data).replace(self._old, self._new)
        keep = len(self._old) - 1
        self._carry = buffer[-keep:]
        out = buffer[:-keep]
        return out if out else self.read(size)

    def readinto(self, buffer) -> int:  # pragma: no cover - lxml calls read()
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def syntax_failure(path: Path, exc: etree.XMLSyntaxError) -> ImportFailure:
    """Malformed XML: libxml2's message already names the element; we add file and line."""
    message = re.sub(r"\s*\(<string>, line \d+\)$|, line \d+, column \d+$", "", exc.msg or str(exc))
    message = re.sub(r"^line \d+: ", "", message)
    line = exc.lineno or None
    element = (
        _ELEMENT_IN_MESSAGE.search(message)
        or re.search(r"in tag ([\w.:-]+)", message)
        or re.search(r"tag name mismatch: ([\w.:-]+)", message)
    )
    return ImportFailure(
        f"malformed XML: {message.replace(NS, '')}",
        source=path,
        line=line,
        field=element.group(1) if element else None,
    )


def detect_version(path: Path) -> str:
    """'2.3' or '2.2' from the root element; anything else is a blocking error with a clear message."""
    raw, stream = open_binary(path)
    try:
        for _event, element in etree.iterparse(
            stream, events=("start",), resolve_entities=False, no_network=True
        ):
            tag = element.tag
            break
        else:  # pragma: no cover - iterparse raises on an empty document
            raise ImportFailure("empty XML document", source=path)
    except etree.XMLSyntaxError as exc:
        raise syntax_failure(path, exc) from None
    finally:
        raw.close()
    namespace, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    if local != "lheo":
        raise ImportFailure(
            f"not an LHÉO file: the root element is <{local}>, expected <lheo>",
            source=path,
            line=1,
            field=local,
        )
    if namespace == NS_23:
        return "2.3"
    if namespace == NS_22:
        return "2.2"
    raise ImportFailure(
        f"unsupported LHÉO namespace {namespace or '(none)'!r}: this importer reads LHÉO 2.3 ({NS_23}) "
        f"and LHÉO 2.2 ({NS_22}, mapped to 2.3)",
        source=path,
        line=1,
        field="lheo",
    )


@dataclass
class LheoStream:
    """An open LHÉO file: `stream` yields 2.3-namespaced bytes whatever the file's version."""

    path: Path
    version: str
    raw: io.BufferedReader
    stream: io.BufferedIOBase | NamespaceMapper

    def close(self) -> None:
        self.raw.close()

    def tell(self) -> int:
        """Bytes consumed from the file on disk (compressed bytes for a .gz), for progress reports."""
        return self.raw.tell()


def open_lheo(path: Path) -> LheoStream:
    version = detect_version(path)
    raw, stream = open_binary(path)
    if version == "2.2":
        stream = NamespaceMapper(stream, NS_22.encode(), NS_23.encode())
    return LheoStream(path, version, raw, stream)


def iter_formations(lheo: LheoStream, xsd: etree.XMLSchema | None = None) -> Iterator[etree._Element]:
    """Yield each complete <formation>, detaching the ones before it from the tree: memory stays flat.

    Also checks the skeleton that per-formation validation cannot see: <lheo><offres><formation>+ <extras>*.
    """
    context = etree.iterparse(
        lheo.stream,
        events=("end",),
        tag=FORMATION,
        resolve_entities=False,
        no_network=True,
        remove_comments=True,
        remove_pis=True,
        huge_tree=True,
    )
    try:
        for _event, element in context:
            parent = element.getparent()
            if (
                parent is None
                or parent.tag != OFFRES
                or parent.getparent() is None
                or parent.getparent().tag != LHEO
                or parent.getparent().getparent() is not None
            ):
                raise ImportFailure(
                    "<formation> must be a child of <lheo><offres>",
                    source=lheo.path,
                    line=element.sourceline,
                    field="formation",
                )
            previous = element.getprevious()
            while previous is not None:
                if previous.tag != FORMATION:
                    raise ImportFailure(
                        f"unexpected <{local_name(previous.tag)}> before a <formation> in <offres>",
                        source=lheo.path,
                        line=previous.sourceline,
                        field=local_name(previous.tag),
                    )
                del parent[0]
                previous = element.getprevious()
            # Not cleared here: the importer keeps a batch of elements alive until it is written, then drops
            # them; detaching each one from <offres> when the next ends is what keeps the tree small.
            yield element
        root = context.root
    except etree.XMLSyntaxError as exc:
        raise syntax_failure(lheo.path, exc) from None
    if root is None:  # pragma: no cover - a document without elements is a syntax error
        raise ImportFailure("empty LHÉO document", source=lheo.path)
    _check_skeleton(lheo.path, root, xsd)


def _check_skeleton(path: Path, root: etree._Element, xsd: etree.XMLSchema | None) -> None:
    children = [child for child in root if isinstance(child.tag, str)]
    if not children or children[0].tag != OFFRES or any(c.tag != EXTRAS for c in children[1:]):
        raise ImportFailure(
            "<lheo> must hold one <offres> followed by <extras> only",
            source=path,
            line=root.sourceline,
            field="offres",
        )
    offres = children[0]
    formations = [c for c in offres if c.tag == FORMATION]
    if not formations:
        raise ImportFailure(
            "<offres> holds no <formation>", source=path, line=offres.sourceline, field="offres"
        )
    trailing = list(offres)[list(offres).index(formations[-1]) + 1 :]
    for child in trailing + children[1:]:
        if child.tag != EXTRAS:
            raise ImportFailure(
                f"unexpected <{local_name(child.tag)}> in <offres>",
                source=path,
                line=child.sourceline,
                field=local_name(child.tag),
            )
        problem = validate(xsd, child) if xsd is not None else None
        if problem:
            raise problem.failure(path)


def local_name(tag: str) -> str:
    return tag.rpartition("}")[2]


@dataclass
class SchemaProblem:
    line: int | None
    element: str | None
    message: str

    def failure(self, path: Path | str) -> ImportFailure:
        return ImportFailure(
            f"not valid against the LHÉO 2.3 schema: {self.message}",
            source=path,
            line=self.line,
            field=self.element,
        )

    def as_dict(self) -> dict:
        return {"line": self.line, "element": self.element, "message": self.message}


def validate(xsd: etree.XMLSchema, element: etree._Element) -> SchemaProblem | None:
    """Validate one global LHÉO element (a <formation>) against the XSD; the first error, with its line."""
    if xsd.validate(element):
        return None
    error = xsd.error_log[0]
    message = error.message.replace(NS, "")
    found = _ELEMENT_IN_MESSAGE.search(message)
    return SchemaProblem(error.line or element.sourceline, found.group(1) if found else None, message)


def validate_file(schema_path: Path, path: Path) -> SchemaProblem | None:
    """Stream the whole file, validating each <formation> then the skeleton; stops at the first problem."""
    xsd = load_schema(schema_path)
    lheo = open_lheo(path)
    try:
        for formation in iter_formations(lheo, xsd):
            problem = validate(xsd, formation)
            if problem:
                return problem
    finally:
        lheo.close()
    return None


def main(argv: list[str] | None = None) -> int:
    """Validator process: prints one JSON line, exit 0 (valid), 1 (invalid or malformed), 2 (usage)."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m spro.referentials.offers.lheo SCHEMA.xsd FILE.xml", file=sys.stderr)
        return 2
    try:
        problem = validate_file(Path(args[0]), Path(args[1]))
    except ImportFailure as exc:
        print(
            json.dumps(
                {
                    "valid": False,
                    "line": exc.line,
                    "element": exc.field,
                    "message": exc.message,
                    "failure": True,
                }
            )
        )
        return 1
    if problem:
        print(json.dumps({"valid": False, **problem.as_dict()}))
        return 1
    print(json.dumps({"valid": True}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
