"""A commune's territory (département, région, EPCI) from the geography referential, for `territoire` conditions.

One primary-key query (with the région's name and the parent of an arrondissement municipal): the commune index of
the resolver holds the département only, and the EPCI is the list Regions use most for local aids.
"""

from __future__ import annotations

from spro.aides.evaluation import Lieu
from spro.referentials.geo.models import Commune


def lieu_of(code_insee: str) -> Lieu | None:
    """The territory of a commune in force (or an arrondissement: its city's EPCI), or None when unknown."""
    commune = (
        Commune.objects.select_related("region", "commune_parente")
        .filter(code_insee=code_insee)
        .only(
            "code_insee",
            "nom",
            "departement_id",
            "region__nom",
            "region__code",
            "epci_id",
            "commune_parente__code_insee",
            "commune_parente__epci_id",
        )
        .first()
    )
    if commune is None:
        return None
    parent = commune.commune_parente
    return Lieu(
        commune=commune.code_insee,
        nom=commune.nom,
        departement=commune.departement_id or "",
        region=commune.region_id or "",
        region_nom=commune.region.nom if commune.region_id else "",
        epci=commune.epci_id or (parent.epci_id if parent else "") or "",
        commune_parente=parent.code_insee if parent else "",
    )
