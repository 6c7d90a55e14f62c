from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session", autouse=True)
def _static_root_exists() -> None:
    """WhiteNoise warns (an error under pytest) when STATIC_ROOT is missing, as before any collectstatic."""
    from django.conf import settings

    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
