"""System check: an invalid scheme file (national or the Region's) is a configuration error of the server, found by
`spro check` (and at every `migrate` or `runserver`) with the file, line and field named, rather than by a 503 on
the first visit to /aides."""

from __future__ import annotations

from django.core.checks import Error, register


@register("aides")
def catalogue_is_valid(app_configs, **kwargs) -> list[Error]:
    from spro.aides import catalogue

    try:
        catalogue.build(catalogue.NATIONAL_DIRECTORY, catalogue.region_directory())
    except catalogue.DispositifError as error:
        return [
            Error(
                f"Catalogue des aides invalide : {error}",
                hint="Corrigez le fichier (docs/aides.md) ou vérifiez SPRO_ANSWER_RULES_DIR ; "
                "`spro dispositifs check` liste toutes les erreurs.",
                id="aides.E001",
            )
        ]
    return []
