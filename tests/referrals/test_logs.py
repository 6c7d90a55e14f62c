"""Follow tokens stay out of logs: Django's request log, runserver's and gunicorn's access logs, error reports."""

from __future__ import annotations

import datetime as dt
import logging
import sys

import pytest
from django.test import RequestFactory
from django.utils import timezone
from django.views.debug import get_exception_reporter_class

from spro.core.logging_filters import MASK, MaskPersonalTokens, mask_secrets
from spro.referrals.models import Referral

from .conftest import make_referral


def test_mask_secrets_hides_the_token_part_of_paths_and_queries():
    token = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcde"
    assert mask_secrets(f"GET /suivi/{token}/retirer?envoyee=1 HTTP/1.1") == (
        f"GET /suivi/{MASK}/retirer?envoyee=1 HTTP/1.1"
    )
    assert mask_secrets(f"/pro/invitation/{token}") == f"/pro/invitation/{MASK}"
    assert mask_secrets(f"GET /parcours/{token}/rendez-vous.ics") == f"GET /parcours/{MASK}/rendez-vous.ics"
    assert mask_secrets(f"/accompagnements/mes-donnees/{token}") == f"/accompagnements/mes-donnees/{MASK}"
    assert mask_secrets(f"/conventions/calendrier/{token}.ics") == f"/conventions/calendrier/{MASK}"
    assert mask_secrets("/conseil-en-evolution-professionnelle?commune=35238") == (
        f"/conseil-en-evolution-professionnelle?{MASK}"
    )
    assert mask_secrets(f"/x?a=1&token={token}&b=2") == f"/x?a=1&token={MASK}&b=2"
    assert mask_secrets("/structures/abc?commune=Brest") == "/structures/abc?commune=Brest"
    answer = "/question/reponse?besoin=handicap%3A0.85&age=16-17&commune=29019"
    assert mask_secrets(f'"GET {answer} HTTP/1.1" 200') == f'"GET /question/reponse?{MASK} HTTP/1.1" 200'
    assert mask_secrets("/question/reponse") == "/question/reponse"


@pytest.mark.django_db
def test_request_log_of_the_follow_page_shows_no_token(client, structure, caplog):
    referral, token = make_referral(structure)
    Referral.objects.filter(pk=referral.pk).update(
        follow_link_expires_at=timezone.now() - dt.timedelta(days=1)
    )
    forged = "Z" * 43
    with caplog.at_level(logging.INFO):
        assert client.get(f"/suivi/{token}?token={token}").status_code == 410  # logged as « Gone: /suivi/… »
        assert client.get(f"/suivi/{forged}/retirer").status_code == 404
    messages = [record.getMessage() for record in caplog.records]
    logged = "\n".join(messages)
    assert f"/suivi/{MASK}" in logged
    assert token not in logged and forged not in logged
    for record in caplog.records:
        assert token not in str(record.args) and forged not in str(record.args)


def test_runserver_access_log_is_masked(caplog):
    token = "T" * 43
    server = logging.getLogger("django.server")
    assert any(isinstance(f, MaskPersonalTokens) for f in server.filters)
    configured = [h for h in server.handlers if h.name == "django.server"]  # the one of settings.LOGGING
    assert configured and any(isinstance(f, MaskPersonalTokens) for f in configured[0].filters)
    server.addHandler(caplog.handler)  # django.server does not propagate to the root logger
    try:
        server.info('"%s" %s %s', f"GET /suivi/{token} HTTP/1.1", "200", "5120", extra={"status_code": 200})
    finally:
        server.removeHandler(caplog.handler)
    assert caplog.records and token not in caplog.records[-1].getMessage()
    assert f"/suivi/{MASK}" in caplog.records[-1].getMessage()


def test_gunicorn_access_log_is_masked():
    from gunicorn.config import Config

    from spro.core.gunicorn_logger import MaskingLogger

    token = "G" * 43

    class Response:
        status, sent, headers = "200 OK", 10, [("Content-Type", "text/html")]

    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/suivi/{token}?envoyee=1",
        "PATH_INFO": f"/suivi/{token}",
        "QUERY_STRING": f"token={token}",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"https://orientation.example.org/suivi/{token}",
        "REMOTE_ADDR": "203.0.113.9",
    }
    atoms = MaskingLogger(Config()).atoms(Response(), [], environ, dt.timedelta(seconds=0.01))
    line = Config().access_log_format % atoms
    assert token not in line and f"/suivi/{MASK}" in line
    assert all(token not in str(value) for value in atoms.values())


def test_error_reports_mask_the_token():
    token = "E" * 43
    request = RequestFactory().get(f"/suivi/{token}/supprimer")
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        reporter = get_exception_reporter_class(request)(request, *sys.exc_info())
        text, html = reporter.get_traceback_text(), reporter.get_traceback_html()
    assert token not in text and token not in html and MASK in text
