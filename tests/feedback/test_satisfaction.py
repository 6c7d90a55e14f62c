"""The satisfaction question: anonymous rows, one answer per form, forged values refused (docs/avis.md)."""

from __future__ import annotations

import re

import pytest
from django.core import signing
from django.test import Client

from spro.feedback import satisfaction
from spro.feedback.models import OutcomeAnswer, SatisfactionAnswer, SatisfactionReason, UsedFormKey
from spro.feedback.vocabularies import ServiceKind

from .conftest import make_referral

pytestmark = pytest.mark.django_db

URL = "/avis/satisfaction"


def _key(service: str = "reponse", **context) -> str:
    return satisfaction.new_form_key(satisfaction.FormContext(service=service, **context))


@pytest.mark.parametrize("model", [SatisfactionAnswer, SatisfactionReason, OutcomeAnswer, UsedFormKey])
def test_answer_tables_have_no_link_to_a_person_a_user_a_referral_or_a_token(model):
    names = {f.name for f in model._meta.get_fields()}
    related = {f.related_model for f in model._meta.get_fields() if f.is_relation}
    assert related <= {SatisfactionAnswer, SatisfactionReason}, related
    assert not names & {"user", "referral", "ip", "token", "created_at", "person", "accompaniment"}
    for field in model._meta.get_fields():
        assert field.get_internal_type() not in ("DateTimeField", "TextField", "GenericIPAddressField"), (
            field.name
        )


def test_an_answer_is_stored_with_its_reasons_and_context_only(client):
    key = _key(departement="35", typologie="CIO", reseau="cio", retour="/question/reponse?besoins=x")
    response = client.post(URL, {"cle": key, "note": "4", "raisons": ["clair", "utile"]})
    assert response.status_code == 200
    assert "Votre avis est enregistré" in response.content.decode()
    assert 'href="/question/reponse?besoins=x"' in response.content.decode()
    answer = SatisfactionAnswer.objects.get()
    assert (answer.service, answer.score, answer.departement, answer.typologie, answer.reseau) == (
        "reponse",
        4,
        "35",
        "CIO",
        "cio",
    )
    assert sorted(answer.reasons.values_list("code", flat=True)) == ["clair", "utile"]


def test_a_double_submit_stores_one_row_and_says_so(client):
    key = _key()
    assert client.post(URL, {"cle": key, "note": "5"}).status_code == 200
    again = client.post(URL, {"cle": key, "note": "1"})
    assert again.status_code == 409
    assert "déjà été enregistré" in again.content.decode()
    assert SatisfactionAnswer.objects.count() == 1
    assert SatisfactionAnswer.objects.get().score == 5


@pytest.mark.parametrize(
    "data",
    [
        {"note": "6"},
        {"note": "0"},
        {"note": "abc"},
        {"note": ""},
        {"note": "3", "raisons": ["inventee"]},
        {"note": "3", "cle": "forgee"},
        {"note": "3", "cle": ""},
        {"note": "3", "raisons": ["clair"], "cle": None},
    ],
)
def test_forged_values_are_400_and_write_nothing(client, data):
    posted = {"cle": _key(), **data}
    if posted["cle"] is None:  # a key signed for another purpose
        posted["cle"] = signing.dumps({"s": "reponse", "n": "x"}, salt="autre")
    response = client.post(URL, {k: v for k, v in posted.items()})
    assert response.status_code == 400
    assert SatisfactionAnswer.objects.count() == 0
    assert UsedFormKey.objects.count() == 0


def test_an_unknown_service_in_a_validly_signed_key_is_refused(client):
    key = signing.dumps(
        {"s": "inconnu", "d": "", "t": "", "r": "", "u": "", "n": "abc"},
        salt=satisfaction.SALT,
        compress=True,
    )
    assert client.post(URL, {"cle": key, "note": "3"}).status_code == 400
    assert SatisfactionAnswer.objects.count() == 0


def test_an_outside_return_address_is_not_offered(client):
    response = client.post(URL, {"cle": _key(retour="//evil.example/x"), "note": "3"})
    assert response.status_code == 200
    assert "evil.example" not in response.content.decode()


def test_csrf_is_required():
    response = Client(enforce_csrf_checks=True).post(URL, {"cle": _key(), "note": "3"})
    assert response.status_code == 403
    assert SatisfactionAnswer.objects.count() == 0


def test_get_is_not_allowed(client):
    assert client.get(URL).status_code == 405


def _form_key(html: str) -> str:
    match = re.search(r'name="cle" value="([^"]+)"', html)
    assert match, "no satisfaction form on the page"
    return match.group(1)


def test_the_follow_page_shows_the_question_with_the_structure_context(client, structure):
    referral, token = make_referral(structure)
    page = client.get(f"/suivi/{token}")
    html = page.content.decode()
    assert "<legend>Êtes-vous satisfait·e de ce service" in html
    context, _ = satisfaction.read_form_key(_form_key(html))
    assert context.service == ServiceKind.ORIENTATION
    assert (context.typologie, context.reseau) == ("ML", "mission-locale")
    assert (
        client.post(URL, {"cle": _form_key(html), "note": "2", "raisons": ["trop-long"]}).status_code == 200
    )
    answer = SatisfactionAnswer.objects.get()
    assert (answer.service, answer.typologie) == ("orientation", "ML")


def test_each_page_view_carries_a_new_key(client, structure):
    _, token = make_referral(structure)
    first = _form_key(client.get(f"/suivi/{token}").content.decode())
    second = _form_key(client.get(f"/suivi/{token}").content.decode())
    assert first != second


def test_a_stored_answer_is_signalled_in_its_transaction(client):
    from spro.feedback import signals

    received = []

    def listener(sender, answer, reasons, **_):
        received.append((answer.score, reasons))

    signals.satisfaction_recorded.connect(listener)
    try:
        client.post(URL, {"cle": _key(), "note": "3", "raisons": ["rapide"]})
        client.post(URL, {"cle": "forgee", "note": "3"})
    finally:
        signals.satisfaction_recorded.disconnect(listener)
    assert received == [(3, ["rapide"])]


def test_answers_are_rate_limited_per_client(client, settings):
    settings.SPRO_FEEDBACK_RATE_LIMIT = "2/hour"
    assert client.post(URL, {"cle": _key(), "note": "3"}).status_code == 200
    assert client.post(URL, {"cle": _key(), "note": "3"}).status_code == 200
    assert client.post(URL, {"cle": _key(), "note": "3"}).status_code == 429
    assert SatisfactionAnswer.objects.count() == 2
