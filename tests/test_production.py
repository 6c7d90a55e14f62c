"""The production shape: refusal of insecure defaults, `check --deploy` clean, gunicorn + whitenoise + health."""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from tests.subprocesses import database_url_of_test_db

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def production_env(tmp_path: Path, database_url: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("SPRO_") and key != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.update(
        {
            "SPRO_ENV": "production",
            "SPRO_SECRET_KEY": secrets.token_urlsafe(64),
            "SPRO_ALLOWED_HOSTS": "orientation.example.org,127.0.0.1",
            "DATABASE_URL": database_url,
            "SPRO_VAR_DIR": str(tmp_path / "var"),
            "SPRO_SSL_REDIRECT": "true",
            "SPRO_SITE_URL": "https://orientation.example.org",
        }
    )
    return env


def test_production_refuses_the_default_secret_and_debug(tmp_path):
    env = production_env(tmp_path, "sqlite:///" + str(tmp_path / "db.sqlite3"))
    del env["SPRO_SECRET_KEY"]
    env["SPRO_DEBUG"] = "true"
    env["SPRO_SITE_URL"] = "http://orientation.example.org"
    result = subprocess.run([BIN / "spro", "check"], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "SPRO_SECRET_KEY must be set" in result.stderr
    assert "SPRO_DEBUG must be false" in result.stderr
    assert "SPRO_SITE_URL must be the site's public https:// address" in result.stderr


def test_production_settings_pass_check_deploy(tmp_path):
    env = production_env(tmp_path, "sqlite:///" + str(tmp_path / "db.sqlite3"))
    result = subprocess.run(
        [BIN / "spro", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db(transaction=True)
def test_gunicorn_serves_health_and_static_files_without_local_state(tmp_path):
    if connection.vendor == "sqlite":
        # A database file of its own: workers that close the run's shared SQLite test file as its last connection
        # would checkpoint and delete its write-ahead log under the test process (« disk I/O error » for the rest
        # of the run, seen in CI with one test order).
        database_url = "sqlite:///" + str(tmp_path / "gunicorn.sqlite3")
    else:
        database_url = database_url_of_test_db()
    env = production_env(tmp_path, database_url)
    env["SPRO_SSL_REDIRECT"] = "false"  # plain HTTP on loopback, as behind a TLS-terminating load balancer
    if redis_available():
        env["REDIS_URL"] = "redis://127.0.0.1:6379/15"
    if connection.vendor == "sqlite":
        subprocess.run([BIN / "spro", "migrate", "-v", "0"], env=env, check=True, timeout=300)
    subprocess.run([BIN / "spro", "collectstatic", "--no-input", "-v", "0"], env=env, check=True, timeout=300)
    port = free_port()
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [
            BIN / "gunicorn",
            "spro.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    try:
        health = None
        for _ in range(100):
            try:
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}/health/", headers={"Host": "127.0.0.1"}
                )
                with urllib.request.urlopen(request, timeout=5) as response:
                    health = (response.status, json.loads(response.read()))
                break
            except OSError:
                time.sleep(0.2)
        assert health is not None, "gunicorn did not answer: " + (tmp_path / "gunicorn.log").read_text()
        status, body = health
        assert status == 200 and body["database"] == "ok" and body["cache"] == "ok"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/core/spro.css", timeout=5) as response:
            assert response.status == 200
            assert "max-age" in response.headers.get("Cache-Control", "") or response.headers.get("ETag")
        behind_tls = urllib.request.Request(
            f"http://127.0.0.1:{port}/", headers={"X-Forwarded-Proto": "https"}
        )
        with urllib.request.urlopen(behind_tls, timeout=5) as response:
            assert response.headers["Strict-Transport-Security"].startswith("max-age=")
            assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
