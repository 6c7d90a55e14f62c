"""The one thing the explorer keeps: a date and a number of completed questionnaires, shown read-only in the admin."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory

from spro.explorer.models import DailyCount, count_completed
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_count_is_a_date_and_a_number_only():
    count_completed()
    count_completed()
    row = DailyCount.objects.get()
    assert row.questionnaires == 2
    assert {f.name for f in DailyCount._meta.get_fields()} == {"id", "date", "questionnaires"}


def test_the_admin_shows_the_count_read_only(client):
    superuser = UserFactory(email="root@example.org", is_superuser=True, is_staff=True)
    model_admin = admin.site._registry[DailyCount]
    request = RequestFactory().get("/admin/explorer/dailycount/")
    request.user = superuser
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    count_completed()
    client.force_login(superuser)
    response = client.get("/admin/explorer/dailycount/")
    assert response.status_code == 200
