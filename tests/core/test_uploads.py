"""`spro.core.uploads`: type by content, size, checksum, antivirus hook, storage and serving — with hostile files."""

from __future__ import annotations

import hashlib
import io
import sys
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from spro.core import uploads

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def _odf(mimetype: bytes = b"application/vnd.oasis.opendocument.text") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype)  # stored, first, as ODF requires
        archive.writestr("content.xml", "<office:document-content/>", zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _ooxml(main: str = "word/document.xml", extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main, "<document/>")
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _storage(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.SPRO_ANTIVIRUS_COMMAND = ""
    return tmp_path / "media"


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("convention.pdf", PDF, "pdf"),
        ("Convention cadre.ODT", _odf(), "odt"),
        ("budget.ods", _odf(b"application/vnd.oasis.opendocument.spreadsheet"), "ods"),
        ("avenant.docx", _ooxml(), "docx"),
        ("indicateurs.xlsx", _ooxml("xl/workbook.xml"), "xlsx"),
        ("logo.png", PNG, "png"),
        ("photo.jpg", JPEG, "jpeg"),
        ("photo.jpeg", JPEG, "jpeg"),
        ("notes.txt", "Compte rendu de la réunion\n".encode(), "txt"),
        ("membres.csv", "\ufeffnom;ville\nMission locale;Rennes\n".encode(), "csv"),
    ],
)
def test_allowed_files_are_recognised_by_their_content(name, content, kind):
    checked = uploads.inspect(SimpleUploadedFile(name, content))
    assert checked.kind.value == kind
    assert checked.size == len(content)
    assert checked.sha256 == hashlib.sha256(content).hexdigest()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("convention.docx", PDF, "nommez-le en .pdf"),  # wrong extension
        ("rapport.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "page web"),  # HTML as PDF
        ("rapport.pdf", b"<html><body>x</body></html>", "page web"),
        ("image.png", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "page web"),
        ("notes.txt", b"<script>alert(1)</script>", "page web"),
        ("vide.pdf", b"", "vide"),
        ("programme.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00", "pas accepté"),
        ("archive.zip", b"PK\x03\x04broken", "endommagée"),
        ("macro.docx", _ooxml(extra={"word/vbaProject.bin": b"\x00" * 10}), "macros"),
        ("paquet.odt", _ooxml("other/part.xml"), "pas accepté"),  # a zip, but no office document
        ("faux.odt", _odf(b"application/x-other"), "pas accepté"),
        ("texte.pdf", b"Du texte, pas un PDF", "nommez-le en .txt"),
        ("latin1.txt", "Réunion".encode("latin-1"), "pas accepté"),  # not UTF-8
    ],
)
def test_hostile_or_unknown_files_are_refused_with_a_french_reason(name, content, message):
    with pytest.raises(uploads.UploadError, match=message):
        uploads.inspect(SimpleUploadedFile(name, content))


def test_a_zip_bomb_is_refused_without_being_extracted():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\x00" * (20 * 1024 * 1024))  # compresses about 1000 to 1
    bomb = buffer.getvalue()
    assert len(bomb) < 100 * 1024
    with pytest.raises(uploads.UploadError, match="anormalement compressé"):
        uploads.inspect(SimpleUploadedFile("bombe.docx", bomb))


def test_the_size_limit_comes_from_the_setting(settings):
    settings.SPRO_UPLOAD_MAX_BYTES = 1024
    with pytest.raises(uploads.UploadError, match="trop volumineux : 1 ko au plus"):
        uploads.inspect(SimpleUploadedFile("gros.pdf", PDF + b"0" * 1024))
    assert uploads.inspect(SimpleUploadedFile("petit.pdf", PDF)).size == len(PDF)


def test_the_default_size_limit_is_ten_megabytes(settings):
    del settings.SPRO_UPLOAD_MAX_BYTES
    assert uploads.max_bytes() == 10 * 1024 * 1024
    with pytest.raises(uploads.UploadError, match="10 Mo"):
        uploads.inspect(SimpleUploadedFile("gros.txt", b"a" * (10 * 1024 * 1024 + 1)))


def test_the_antivirus_hook_refuses_unless_the_command_exits_zero(settings):
    clean = (
        f"{sys.executable} -c 'import sys; sys.exit(0 if b\"EICAR\" not in sys.stdin.buffer.read() else 1)'"
    )
    settings.SPRO_ANTIVIRUS_COMMAND = clean
    assert uploads.inspect(SimpleUploadedFile("ok.txt", b"bonjour")).kind.value == "txt"
    with pytest.raises(uploads.UploadError, match="antivirus"):
        uploads.inspect(SimpleUploadedFile("virus.txt", b"X5O EICAR test"))


def test_an_antivirus_that_cannot_run_refuses_the_file(settings):
    settings.SPRO_ANTIVIRUS_COMMAND = "/nonexistent/clamdscan --no-summary -"
    with pytest.raises(uploads.UploadError, match="n’a pas pu être faite"):
        uploads.inspect(SimpleUploadedFile("ok.txt", b"bonjour"))


def test_without_the_setting_the_antivirus_hook_is_off(settings):
    del settings.SPRO_ANTIVIRUS_COMMAND
    assert uploads.antivirus_command() == []


def test_a_stored_file_gets_a_server_made_name_and_nothing_is_left_when_refused(_storage):
    stored = uploads.store(SimpleUploadedFile("../../etc/Convention cadre.pdf", PDF), "gouvernance")
    assert stored.original_name == "Convention cadre.pdf"
    assert stored.path.startswith("gouvernance/") and stored.path.endswith(".pdf")
    assert "Convention" not in stored.path
    assert (_storage / stored.path).read_bytes() == PDF
    with pytest.raises(uploads.UploadError):
        uploads.store(SimpleUploadedFile("page.pdf", b"<html></html>"), "gouvernance")
    files = [p for p in _storage.rglob("*") if p.is_file()]
    assert files == [_storage / stored.path]


def test_a_stored_file_is_removed_when_the_row_naming_it_fails_and_kept_otherwise(_storage):
    kept = uploads.store(SimpleUploadedFile("a.pdf", PDF), "pratiques")
    with uploads.removed_on_failure(kept):
        pass
    assert (_storage / kept.path).is_file()
    failed = uploads.store(SimpleUploadedFile("b.pdf", PDF), "pratiques")
    with pytest.raises(RuntimeError), uploads.removed_on_failure(failed):
        raise RuntimeError("la ligne n’a pas été écrite")
    assert not (_storage / failed.path).exists()
    with uploads.removed_on_failure(None):  # no file sent: nothing to remove
        pass


def test_storage_falls_back_to_var_dir_uploads(settings, tmp_path):
    settings.MEDIA_ROOT = ""
    settings.VAR_DIR = tmp_path / "var"
    assert uploads.storage_root() == tmp_path / "var" / "uploads"


def test_a_folder_name_cannot_escape_the_storage():
    with pytest.raises(ValueError):
        uploads.store(SimpleUploadedFile("a.pdf", PDF), "../etc")


def test_serving_requires_the_permission_check_and_answers_as_an_attachment(db):
    # `db`: closing a response sends request_finished, which closes the database connections an earlier test left.
    stored = uploads.store(SimpleUploadedFile("convention.pdf", PDF), "gouvernance")
    with pytest.raises(PermissionDenied):
        uploads.attachment_response(stored.path, "convention.pdf", stored.content_type, allowed=False)
    response = uploads.attachment_response(
        stored.path, "Convention\r\n.pdf", stored.content_type, allowed=True
    )
    assert response["Content-Disposition"].startswith("attachment;")
    assert "\r" not in response["Content-Disposition"] and "\n" not in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    response.close()


@pytest.mark.parametrize("path", ["../secret.pdf", "/etc/passwd", "", "gouvernance/absent.pdf"])
def test_serving_a_path_outside_the_storage_or_missing_is_a_404(path):
    with pytest.raises(Http404):
        uploads.attachment_response(path, "x.pdf", "application/pdf", allowed=True)


def test_display_names_are_cleaned():
    assert uploads.display_name("C:\\Users\\x\\avenant n°2.pdf") == "avenant n°2.pdf"
    assert uploads.display_name("\x00\x1b.pdf") == "pdf"
    assert uploads.display_name("") == "document"
    assert len(uploads.display_name("a" * 300 + ".pdf")) == 120
    assert uploads.display_name("a" * 300 + ".pdf").endswith(".pdf")
