"""`spro check` (and every start) refuses an invalid questionnaire.yaml, naming the item and the field."""

from __future__ import annotations

from typing import Any

from django.core import checks

from spro.explorer.questionnaire import QuestionnaireError, get_questionnaire


@checks.register()
def questionnaire_is_valid(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    try:
        get_questionnaire()
    except QuestionnaireError as exc:
        return [checks.Error(str(exc), id="explorer.E001")]
    return []
