"""System checks: a broken rules file is a configuration error of the server, found by `spro check` (and at every
`migrate` or `runserver`) with the file, rule and field named, rather than by the first person asking a question."""

from __future__ import annotations

from django.core.checks import Error, register


@register()
def rules_files_are_valid(app_configs, **kwargs) -> list[Error]:
    from spro.answer.needs import load_lexicon
    from spro.answer.rules import load_rules

    errors = []
    for check_id, loader in (("answer.E001", load_rules), ("answer.E002", load_lexicon)):
        try:
            loader()
        except ValueError as error:  # RulesError, BesoinsFileError
            errors.append(
                Error(
                    f"Règles de la première réponse invalides : {error}",
                    hint="Corrigez le fichier (docs/answer-rules.md) ou vérifiez SPRO_ANSWER_RULES_DIR ; "
                    "`spro answer_rules check` liste toutes les erreurs.",
                    id=check_id,
                )
            )
    return errors
