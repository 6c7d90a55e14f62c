"""Every model change has its migration: a model edited without `spro makemigrations` fails the suite (issue 13)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_is_missing_its_migration():
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exc:  # --check exits 1 when a migration would be written
        pytest.fail(
            f"models and migrations differ (exit {exc.code}); run `spro makemigrations`:\n{out.getvalue()}"
        )
    assert "No changes detected" in out.getvalue()
