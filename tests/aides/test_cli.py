"""`spro dispositifs check` and `spro dispositifs link-check`: exit codes, line-precise errors, and the dead links
found against a fake local HTTP server (never the network)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.aides.support import VALID, write

SPRO = str(Path(sys.executable).parent / "spro")


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("dispositifs", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_check_passes_on_the_built_in_catalogue_and_prints_the_warnings():
    out, err = run("check")
    assert err == ""
    assert "Catalogue valide : " in out and "avertissement, vérifiée il y a plus de 12 mois" in out


def test_check_reports_each_error_with_its_line_and_fails(tmp_path):
    region = tmp_path / "dispositifs"
    write(region, text=VALID.format(id="bretagne-transport").replace("[ML]", "[MLX]"))
    with pytest.raises(CommandError, match="1 erreur"):
        run("check", "--region", str(region))


def test_check_with_the_region_folder_from_settings(settings, tmp_path):
    settings.SPRO_ANSWER_RULES_DIR = str(tmp_path)
    write(tmp_path / "dispositifs")
    cej = Path("spro/aides/catalogue/cej.yaml").read_text(encoding="utf-8")
    write(tmp_path / "dispositifs", "cej", cej)
    out, _ = run("check")
    assert "la Région remplace : cej" in out and str(tmp_path / "dispositifs") in out


def test_the_spro_command_exits_zero_when_valid_and_one_with_the_errors_on_stderr(tmp_path):
    env = {**os.environ, "SPRO_ANSWER_RULES_DIR": ""}
    ok = subprocess.run([SPRO, "dispositifs", "check"], capture_output=True, text=True, env=env, timeout=120)
    assert ok.returncode == 0, ok.stderr
    region = tmp_path / "dispositifs"
    write(region, text=VALID.format(id="bretagne-transport").replace("max: 25", "max: 250"))
    bad = subprocess.run(
        [SPRO, "dispositifs", "check", "--region", str(region)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert bad.returncode == 1
    assert (
        "dispositifs/bretagne-transport.yaml, ligne 7, champ 'pour_qui.age.max' : doit être inférieur ou égal à 120"
        in bad.stderr
    )
    missing = subprocess.run(
        [SPRO, "dispositifs", "check", "--region", str(tmp_path / "absent")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert missing.returncode == 1 and "dossier introuvable" in missing.stderr


# --- link-check against a fake server ------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    def _answer(self, with_body: bool) -> None:
        if self.path == "/ok":
            self.send_response(200)
        elif self.path == "/ancienne-adresse":
            self.send_response(301)
            self.send_header("Location", "/ok")
        elif self.path == "/sans-head" and self.command == "HEAD":
            self.send_response(405)
        elif self.path == "/sans-head":
            self.send_response(200)
        elif self.path == "/erreur":
            self.send_response(500)
        else:
            self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_HEAD(self) -> None:
        self._answer(False)

    def do_GET(self) -> None:
        self._answer(True)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def fake_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _catalogue_with_links(folder: Path, base: str, paths: dict[str, str]) -> Path:
    for id_, path in paths.items():
        write(folder, id_, VALID.format(id=id_).replace("https://www.example.org/aide", base + path))
    return folder


def test_link_check_reports_dead_links_and_fails(fake_server, tmp_path):
    national = _catalogue_with_links(
        tmp_path / "national",
        fake_server,
        {
            "lien-ok": "/ok",
            "lien-deplace": "/ancienne-adresse",
            "lien-sans-head": "/sans-head",
            "lien-mort": "/disparu",
            "lien-en-erreur": "/erreur",
        },
    )
    closed = "http://127.0.0.1:9/rien"  # the discard port: nothing listens
    write(
        national,
        "lien-injoignable",
        VALID.format(id="lien-injoignable").replace("https://www.example.org/aide", closed),
    )
    with pytest.raises(CommandError, match="3 lien"):
        run("link-check", "--national", str(national), "--json", "--timeout", "5")
    out = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "dispositifs", "link-check", "--national", str(national), "--json", stdout=out, stderr=StringIO()
        )
    report = json.loads(out.getvalue())
    assert report["verifies"] == 6
    dead = {row["id"]: row for row in report["morts"]}
    assert set(dead) == {"lien-mort", "lien-en-erreur", "lien-injoignable"}
    assert dead["lien-mort"]["statut"] == 404 and dead["lien-en-erreur"]["statut"] == 500
    assert dead["lien-injoignable"]["statut"] is None
    assert report["rediriges"] == [
        {"id": "lien-deplace", "url": fake_server + "/ancienne-adresse", "vers": fake_server + "/ok"}
    ]


def test_link_check_passes_when_every_link_answers(fake_server, tmp_path):
    national = _catalogue_with_links(
        tmp_path / "national", fake_server, {"lien-ok": "/ok", "lien-sans-head": "/sans-head"}
    )
    out, _ = run("link-check", "--national", str(national))
    assert "2 lien(s) vérifié(s), 0 mort(s)." in out


def test_spro_check_reports_an_invalid_region_file(settings, tmp_path):
    from django.core.management import call_command as call
    from django.core.management.base import SystemCheckError

    settings.SPRO_ANSWER_RULES_DIR = str(tmp_path)
    # `--tag aides`: this folder holds no answer rules, which the answer's own check would report.
    call("check", tags=["aides"], stdout=StringIO(), stderr=StringIO())  # no Region folder yet: valid
    write(tmp_path / "dispositifs", text=VALID.format(id="bretagne-transport").replace("[ML]", "[MLX]"))
    with pytest.raises(
        SystemCheckError, match=r"aides.E001.*bretagne-transport.yaml, ligne 13, champ 'structures'"
    ):
        call("check", tags=["aides"], stdout=StringIO(), stderr=StringIO())
