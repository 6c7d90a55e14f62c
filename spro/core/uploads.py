"""The one home for uploaded documents: check, store, serve.

Every app that accepts a file from a user (the conventions and the charter of the network, the action plan, the
CREFOP's documents, the working groups' shared documents) goes through this module, so that one set of rules holds:

* **type by content, never by name**: the first bytes (and, for office documents, the zip container's inside) say
  what a file is. Allowed: PDF, OpenDocument text and spreadsheet (ODT, ODS: a zip whose first entry `mimetype`
  names the type), Office Open XML text and workbook (DOCX, XLSX: a zip with `[Content_Types].xml` and the main
  part), PNG, JPEG, plain text and CSV (UTF-8, no NUL byte, not HTML or SVG in disguise). The name's extension must
  agree with the content (a PDF named `.docx` is refused, and so is a web page named `.pdf`); office files with
  macros (`vbaProject.bin`) are refused; zip containers whose declared uncompressed size is too large (a « zip
  bomb ») are refused without being extracted.
* **size**: `settings.SPRO_UPLOAD_MAX_BYTES` (default 10 MB); an empty file is refused.
* **checksum**: SHA-256 of the content, kept with the document.
* **antivirus hook**: `settings.SPRO_ANTIVIRUS_COMMAND`, a command line that reads the file on its standard input
  (for example `clamdscan --no-summary -`). When it is set, a file is accepted only if the command exits with 0;
  any other exit, a timeout or a command that cannot be run refuses the file (fail closed). When it is not set
  (the default), no antivirus runs: the hook is off and the documentation says so.
* **storage**: under `settings.MEDIA_ROOT` when set, else `<VAR_DIR>/uploads`, in `<folder>/<year>/`, under a name
  made by the server (random, with the extension of the detected type): the user's file name is kept only as
  data, for the download's name.
* **serving**: `attachment_response(stored_path, ..., allowed=...)` refuses unless the caller says its permission
  check passed, and always answers as an attachment (`Content-Disposition: attachment`) with
  `X-Content-Type-Options: nosniff` and a sandboxing Content-Security-Policy, so a stored file is never rendered by
  the browser as a page of the site.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import shlex
import subprocess
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
CHUNK = 64 * 1024
# A zip container may declare at most this many bytes once uncompressed (sum over its entries), this many entries,
# and no entry may be more compressed than this ratio: beyond, it is treated as a « zip bomb » and refused.
ZIP_MAX_UNCOMPRESSED = 100 * 1024 * 1024
ZIP_MAX_ENTRIES = 2000
ZIP_MAX_RATIO = 200
ANTIVIRUS_TIMEOUT_SECONDS = 120
FOLDER = re.compile(r"\A[a-z0-9][a-z0-9_-]{0,40}\Z")


@dataclass(frozen=True)
class FileKind:
    value: str
    label: str
    content_type: str
    extensions: tuple[str, ...]  # the first one is the one a stored file gets


KINDS: dict[str, FileKind] = {
    kind.value: kind
    for kind in (
        FileKind("pdf", "PDF", "application/pdf", (".pdf",)),
        FileKind("odt", "texte OpenDocument (ODT)", "application/vnd.oasis.opendocument.text", (".odt",)),
        FileKind(
            "ods", "classeur OpenDocument (ODS)", "application/vnd.oasis.opendocument.spreadsheet", (".ods",)
        ),
        FileKind(
            "docx",
            "document Word (DOCX)",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            (".docx",),
        ),
        FileKind(
            "xlsx",
            "classeur Excel (XLSX)",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            (".xlsx",),
        ),
        FileKind("png", "image PNG", "image/png", (".png",)),
        FileKind("jpeg", "image JPEG", "image/jpeg", (".jpg", ".jpeg")),
        FileKind("txt", "texte brut", "text/plain", (".txt",)),
        FileKind("csv", "tableau CSV", "text/csv", (".csv",)),
    )
}

ALLOWED_LABEL = "PDF, ODT, ODS, DOCX, XLSX, PNG, JPEG, texte ou CSV"

_ODF_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
}
_OOXML_MAIN_PARTS = {"word/document.xml": "docx", "xl/workbook.xml": "xlsx"}
# Text that a browser would take for markup if it ever rendered it: refused even though it is text.
_MARKUP = re.compile(
    rb"<\s*(?:!doctype|html|head|body|script|svg|iframe|object|embed|\?xml)\b", re.IGNORECASE
)


class UploadError(ValueError):
    """A refused file; the message is French and may be shown to the person who sent it."""


@dataclass(frozen=True)
class CheckedUpload:
    kind: FileKind
    size: int
    sha256: str
    original_name: str


@dataclass(frozen=True)
class StoredUpload:
    path: str  # relative to storage_root(), with forward slashes: what a model stores
    kind: FileKind
    size: int
    sha256: str
    original_name: str

    @property
    def content_type(self) -> str:
        return self.kind.content_type


def max_bytes() -> int:
    return int(getattr(settings, "SPRO_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES) or DEFAULT_MAX_BYTES)


def antivirus_command() -> list[str]:
    """The antivirus command as arguments, or [] when the hook is off."""
    return shlex.split(getattr(settings, "SPRO_ANTIVIRUS_COMMAND", "") or "")


def storage_root() -> Path:
    media = getattr(settings, "MEDIA_ROOT", "")
    if media:
        return Path(media)
    return Path(getattr(settings, "VAR_DIR", "var")) / "uploads"


def _human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.0f} Mo".replace(".", ",")
    return f"{max(1, size // 1024)} ko"


def display_name(original: str) -> str:
    """The user's file name made safe to show and to offer as a download name: no folder, no control character,
    at most 120 characters; « document » when nothing is left."""
    name = unicodedata.normalize("NFC", str(original or "")).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip().lstrip(".")
    name = re.sub(r"\s+", " ", name)
    if len(name) > 120:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 120 - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else name[:120]
    return name or "document"


def _extension(name: str) -> str:
    return os.path.splitext(name)[1].lower()


def _zip_kind(handle: IO[bytes]) -> str:
    """The kind of an office zip container, or an UploadError; never extracts anything."""
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UploadError("Le fichier est une archive endommagée ou illisible.") from None
    with archive:
        entries = archive.infolist()
        if len(entries) > ZIP_MAX_ENTRIES:
            raise UploadError("Le document contient trop d’éléments pour être accepté.")
        total = 0
        for entry in entries:
            total += entry.file_size
            ratio = entry.file_size / max(entry.compress_size, 1)
            if total > ZIP_MAX_UNCOMPRESSED or ratio > ZIP_MAX_RATIO:
                raise UploadError("Le document est anormalement compressé : il a été refusé par précaution.")
            if entry.filename.lower().endswith("vbaproject.bin"):
                raise UploadError("Les documents contenant des macros ne sont pas acceptés.")
        names = {entry.filename for entry in entries}
        if entries and entries[0].filename == "mimetype":
            try:
                mimetype = archive.read("mimetype").strip()
            except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
                raise UploadError("Le fichier est une archive endommagée ou illisible.") from None
            if mimetype in _ODF_MIMETYPES:
                return _ODF_MIMETYPES[mimetype]
        if "[Content_Types].xml" in names:
            for part, kind in _OOXML_MAIN_PARTS.items():
                if part in names:
                    return kind
    raise UploadError(f"Ce type de fichier n’est pas accepté : envoyez un fichier {ALLOWED_LABEL}.")


def _text_kind(handle: IO[bytes], extension: str) -> str | None:
    handle.seek(0)
    content = handle.read()
    if b"\x00" in content:
        return None
    try:
        content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if _MARKUP.search(content[:4096]):
        raise UploadError("Ce fichier contient du code de page web : il n’est pas accepté.")
    return "csv" if extension == ".csv" else "txt"


def detect_kind(handle: IO[bytes], name: str) -> FileKind:
    """What the content is (seekable file positioned anywhere), checked against the name's extension."""
    handle.seek(0)
    head = handle.read(16)
    extension = _extension(name)
    kind: str | None
    if head.startswith(b"%PDF-"):
        kind = "pdf"
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = "png"
    elif head.startswith(b"\xff\xd8\xff"):
        kind = "jpeg"
    elif head.startswith(b"PK\x03\x04"):
        handle.seek(0)
        kind = _zip_kind(handle)
    else:
        kind = _text_kind(handle, extension)
    handle.seek(0)
    if kind is None:
        raise UploadError(f"Ce type de fichier n’est pas accepté : envoyez un fichier {ALLOWED_LABEL}.")
    found = KINDS[kind]
    if extension not in found.extensions:
        raise UploadError(
            f"Le nom du fichier ne correspond pas à son contenu : c’est un fichier {found.label}, "
            f"nommez-le en {found.extensions[0]}."
        )
    return found


def _run_antivirus(handle: IO[bytes]) -> None:
    command = antivirus_command()
    if not command:
        return
    handle.seek(0)
    try:
        completed = subprocess.run(
            command,
            stdin=handle,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=ANTIVIRUS_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        raise UploadError(
            "L’analyse antivirus n’a pas pu être faite : le fichier n’a pas été accepté. Réessayez plus tard."
        ) from None
    finally:
        handle.seek(0)
    if completed.returncode != 0:
        raise UploadError("Le fichier a été refusé par l’analyse antivirus.")


def _copy_checked(source: Any, target: IO[bytes]) -> tuple[int, str]:
    """Copy an uploaded file (Django `File`, or any binary file object) into `target`, hashing it and stopping as
    soon as it passes the size limit."""
    limit = max_bytes()
    digest = hashlib.sha256()
    size = 0
    chunks = source.chunks(CHUNK) if hasattr(source, "chunks") else iter(lambda: source.read(CHUNK), b"")
    for chunk in chunks:
        size += len(chunk)
        if size > limit:
            raise UploadError(f"Le fichier est trop volumineux : {_human_size(limit)} au plus.")
        digest.update(chunk)
        target.write(chunk)
    if size == 0:
        raise UploadError("Le fichier est vide.")
    target.flush()
    return size, digest.hexdigest()


def _checked(source: Any, name: str | None, target: IO[bytes]) -> CheckedUpload:
    original = display_name(name if name is not None else getattr(source, "name", "") or "")
    if hasattr(source, "seek"):
        with contextlib.suppress(OSError, ValueError):
            source.seek(0)
    size, sha256 = _copy_checked(source, target)
    kind = detect_kind(target, original)
    _run_antivirus(target)
    return CheckedUpload(kind=kind, size=size, sha256=sha256, original_name=original)


def inspect(source: Any, name: str | None = None) -> CheckedUpload:
    """Check an uploaded file without storing it (a form's clean): type, size, checksum, antivirus.
    Raises UploadError with a French message."""
    with tempfile.TemporaryFile() as scratch:
        return _checked(source, name, scratch)


def store(source: Any, folder: str, name: str | None = None) -> StoredUpload:
    """Check then store an uploaded file under `<storage_root>/<folder>/<year>/<random><ext>`; nothing is left on
    disk when the file is refused."""
    if not FOLDER.match(folder):
        raise ValueError(f"dossier de stockage invalide : {folder!r}")
    directory = storage_root() / folder / f"{date.today():%Y}"
    directory.mkdir(parents=True, exist_ok=True)
    descriptor, scratch_name = tempfile.mkstemp(dir=directory, prefix=".upload-")
    try:
        with os.fdopen(descriptor, "w+b") as scratch:
            checked = _checked(source, name, scratch)
        stored_name = f"{secrets.token_hex(16)}{checked.kind.extensions[0]}"
        os.replace(scratch_name, directory / stored_name)
        os.chmod(directory / stored_name, 0o640)
    except BaseException:
        Path(scratch_name).unlink(missing_ok=True)
        raise
    relative = (directory / stored_name).relative_to(storage_root()).as_posix()
    return StoredUpload(
        path=relative,
        kind=checked.kind,
        size=checked.size,
        sha256=checked.sha256,
        original_name=checked.original_name,
    )


@contextlib.contextmanager
def removed_on_failure(stored: StoredUpload | None) -> Iterator[StoredUpload | None]:
    """Around the write of the row that names a stored file: if the block raises, the row was not written and the
    file is deleted, so no file is left on disk that nothing points to. `None` (no file sent) passes through."""
    try:
        yield stored
    except BaseException:
        if stored is not None:
            delete(stored.path)
        raise


def stored_file(path: str) -> Path:
    """The absolute path of a stored file; Http404 when it is outside the storage or missing."""
    root = storage_root().resolve()
    candidate = (root / path).resolve()
    if not path or root not in candidate.parents or not candidate.is_file():
        raise Http404("Document introuvable.")
    return candidate


def delete(path: str) -> None:
    with contextlib.suppress(Http404):
        stored_file(path).unlink()


def attachment_response(path: str, download_name: str, content_type: str, *, allowed: bool) -> FileResponse:
    """Serve a stored file as a download, once the caller's permission check passed (`allowed`).

    Always an attachment, never shown inline; `nosniff` so that the declared type is the only one a browser uses,
    and a CSP sandbox in case a browser renders it anyway."""
    if not allowed:
        raise PermissionDenied("Vous n’avez pas accès à ce document.")
    response = FileResponse(
        stored_file(path).open("rb"),
        as_attachment=True,
        filename=display_name(download_name),
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
