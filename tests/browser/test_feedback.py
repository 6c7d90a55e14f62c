"""The users' view in a browser (docs/avis.md): by keyboard, the satisfaction question after a first answer and
the 3-month « Où en êtes-vous ? » from the e-mail’s link; axe (WCAG 2.1 A/AA) finds no violation on any page.
A replayed form is refused by tests/feedback/test_satisfaction.py (going back reloads the page: a new form)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from spro.feedback import followup
from spro.feedback.models import OutcomeAnswer, SatisfactionAnswer
from spro.referrals.models import OutboxMessage
from tests.browser.harness import assert_no_axe_violations, warm_answer_indexes
from tests.browser.test_facile import ask
from tests.browser.test_search_journey import tab_to
from tests.search.pages.conftest import import_datasets

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_satisfaction_after_a_first_answer_by_keyboard(page, live_server):
    import_datasets(("geo", "rome", "structures"))
    warm_answer_indexes()
    ask(page, live_server)
    assert page.locator("#votre-avis legend").first.inner_text().startswith("Êtes-vous satisfait·e")
    assert_no_axe_violations(page)

    tab_to(page, "el.name === 'note'", "the first score")
    for _ in range(3):  # arrows move through the radio group and check: 1 → 4
        page.keyboard.press("ArrowDown")
    assert page.locator("input[name=note]:checked").get_attribute("value") == "4"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.value") == "clair"
    page.keyboard.press("Space")
    tab_to(page, "el.textContent.trim() === 'Envoyer mon avis'", "the send button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "Merci pour votre avis"
    assert "Votre avis est enregistré" in page.locator("[role=status]").inner_text()
    assert_no_axe_violations(page)
    answer = SatisfactionAnswer.objects.get()
    assert (answer.service, answer.score, answer.departement) == ("reponse", 4, "35")
    assert list(answer.reasons.values_list("code", flat=True)) == ["clair"]


def test_the_three_month_question_from_the_link_by_keyboard(page, live_server, settings):
    from django.utils import timezone

    from spro.referrals.models import Referral
    from tests.referrals.conftest import make_referral, make_structure

    settings.SPRO_SITE_URL = live_server.url
    referral, _ = make_referral(make_structure(typologie="ML"))
    created = timezone.make_aware(dt.datetime(2026, 1, 15, 10))
    Referral.objects.filter(pk=referral.pk).update(created_at=created)
    referral.refresh_from_db()
    followup.give_consent(referral)
    followup.queue_due(dt.date(2026, 4, 15))
    body = OutboxMessage.objects.get(subject__startswith="Où en êtes-vous").body
    link = re.search(r"(http\S+/avis/ou-en-etes-vous/\S+)", body).group(1)

    page.goto(link)
    assert page.locator("h1").inner_text() == "Où en êtes-vous, 3 mois après votre demande ?"
    assert_no_axe_violations(page)
    tab_to(page, "el.name === 'situation'", "the first situation")
    page.keyboard.press("ArrowDown")  # En formation → En emploi
    assert page.locator("input[name=situation]:checked").get_attribute("value") == "emploi"
    tab_to(page, "el.textContent.trim() === 'Envoyer ma réponse'", "the send button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "Merci pour votre réponse"
    assert_no_axe_violations(page)
    answer = OutcomeAnswer.objects.get()
    assert (answer.months, answer.outcome, answer.typologie) == (3, "emploi", "ML")
