"""`GET /api/v1/indicateurs` and `GET /api/v1/indicateurs/{code}`: the public indicators and their figures.

The API is anonymous and cached publicly (`spro.api.caching`), so it reads as everyone does: the public indicators,
every structure together, small counts hidden. A scoped reading (a structure's own, a network's) is not served here.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Path, Query, Router, Schema
from pydantic import Field

from spro.core.api import ApiError, ErrorOut, strip_control_characters
from spro.monitoring import query
from spro.monitoring.declarations import DIMENSIONS, TERRITORY_LEVELS, Indicator

router = Router(tags=["indicateurs"])
PUBLIC = query.Scope(None, public_only=True)


class IndicatorOut(Schema):
    code: str
    libelle: str
    definition: str
    source: str = Field(description="Modèle et événement comptés.")
    mesure: str
    ventilations: list[str] = Field(description="Valeurs possibles du paramètre `ventilation`.")
    territoires: list[str] = Field(description="Valeurs possibles de `niveau` et du niveau de `territoire`.")
    proprietaire: str
    disponible: bool = Field(description="`false` : déclaré mais pas encore calculé (aucun chiffre).")
    statut: str


class LineOut(Schema):
    code: str = Field(description="Code du territoire (vide : non renseigné ; `ensemble` sans niveau).")
    libelle: str
    valeurs: dict[str, int | str] = Field(
        description="Par valeur de la ventilation : effectif, « < 5 » ou « masqué »."
    )
    total: int | str


class TableOut(Schema):
    indicateur: IndicatorOut
    debut: str
    fin: str
    ventilation: str | None
    niveau: str | None
    colonnes: list[dict[str, str]]
    lignes: list[LineOut]
    total: int | str
    periode_precedente: dict[str, int | str] = Field(
        description="Même durée juste avant : `debut`, `fin`, `total`."
    )
    secret_statistique: str


class TableParams(Schema):
    ventilation: str | None = Field(
        None, max_length=30, description="Une ventilation : " + ", ".join(DIMENSIONS)
    )
    niveau: str | None = Field(
        None,
        max_length=20,
        description="Une ligne par territoire de ce niveau : " + ", ".join(TERRITORY_LEVELS),
    )
    territoire: str | None = Field(
        None,
        max_length=40,
        description="Filtre `niveau:code`, par exemple `departement:35` ou `commune:35238`.",
    )
    debut: str | None = Field(
        None, max_length=7, description="Premier mois, AAAA-MM (défaut : 11 mois avant `fin`)."
    )
    fin: str | None = Field(
        None, max_length=7, description="Dernier mois inclus, AAAA-MM (défaut : ce mois-ci)."
    )


def indicator_out(indicator: Indicator) -> dict:
    return {
        **indicator.model_dump(include={"code", "libelle", "definition", "mesure", "proprietaire"}),
        "source": f"{indicator.source.modele} ({indicator.source.evenement})",
        "ventilations": list(indicator.ventilations),
        "territoires": list(indicator.territoires),
        "disponible": indicator.disponible,
        "statut": indicator.statut,
    }


@router.get(
    "",
    response={200: list[IndicatorOut], 400: ErrorOut, 404: ErrorOut, 429: ErrorOut},
    summary="Liste des indicateurs publics et leurs définitions",
    operation_id="indicateurs",
)
def list_indicators(request: HttpRequest) -> list[dict]:
    """Les indicateurs publics du pilotage du SPRO : définition, source, ventilations et territoires permis,
    responsable ; ceux dont la source n’existe pas encore sont listés avec `disponible: false` et leur statut."""
    return [indicator_out(i) for i in query.listed(PUBLIC)]


def _bad(message: str) -> ApiError:
    return ApiError(400, message, "invalid-parameter")


@router.get(
    "/{code}",
    response={200: TableOut, 400: ErrorOut, 404: ErrorOut, 429: ErrorOut},
    summary="Un indicateur, ventilé et filtré, avec le secret statistique appliqué",
    operation_id="indicateur",
)
def indicator_table(
    request: HttpRequest,
    params: Query[TableParams],
    code: str = Path(..., max_length=40, description="Code de l’indicateur (voir la liste)."),
) -> dict:
    """Les effectifs d’un indicateur public sur une période de mois, toutes structures confondues, ventilés par
    une dimension et/ou par territoire, avec la période précédente de même durée. Effectifs de 1 à 4 : « < 5 » ;
    une seconde case « masqué » quand un total permettrait de les retrouver. 400 sur un paramètre invalide."""
    clean = {k: strip_control_characters(v).strip() if v else None for k, v in params.dict().items()}
    if clean["niveau"] is not None and clean["niveau"] not in TERRITORY_LEVELS:
        raise _bad(f"niveau : valeur attendue parmi {', '.join(TERRITORY_LEVELS)}")
    if clean["ventilation"] is not None and clean["ventilation"] not in DIMENSIONS:
        raise _bad(f"ventilation : valeur attendue parmi {', '.join(DIMENSIONS)}")
    territory = None
    if clean["territoire"]:
        level, _sep, value = clean["territoire"].partition(":")
        if level not in TERRITORY_LEVELS or not value:
            raise _bad("territoire : forme attendue niveau:code, par exemple departement:35")
        territory = (level, value)
    try:
        months = query.period(clean["debut"], clean["fin"])
        result = query.run(
            code,
            PUBLIC,
            breakdown=clean["ventilation"],
            level=clean["niveau"],
            territory=territory,
            months=months,
        )
    except query.QueryError as error:
        raise _bad(str(error)) from None
    except LookupError as error:
        raise ApiError(404, str(error), "indicateur-inconnu") from None
    previous = result.previous_period or months.previous()
    return {
        "indicateur": indicator_out(result.indicator),
        "debut": f"{months.start:%Y-%m}",
        "fin": f"{months.end:%Y-%m}",
        "ventilation": result.breakdown,
        "niveau": result.level,
        "colonnes": [{"code": c, "libelle": label} for c, label in result.columns],
        "lignes": [
            {
                "code": line.code or ("ensemble" if not result.level else ""),
                "libelle": line.label,
                "valeurs": line.cells,
                "total": line.total,
            }
            for line in result.lines
        ],
        "total": result.total,
        "periode_precedente": {
            "debut": f"{previous.start:%Y-%m}",
            "fin": f"{previous.end:%Y-%m}",
            "total": result.previous_total,
        },
        "secret_statistique": "Effectifs de 1 à 4 affichés « < 5 » ; une seconde case « masqué » empêche de les "
        "retrouver par différence avec un total.",
    }
