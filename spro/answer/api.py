"""`POST /api/v1/analyse`: the first personalised answer for partner sites (a ninja router, registered by
`spro.api.api`). Same JSON as `spro analyse --json` (`Answer.as_dict()`); errors `{"detail", "code"}` with a 4xx.

The body is parsed here rather than by ninja, so that the API, the page and the command line share the service's
validation and its error codes. The text is never logged: an unexpected error is logged by the API's handler with
the path only.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from spro.answer.service import ANALYSED_CHARS, MAX_TEXT_CHARS, answer
from spro.answer.types import AnswerError
from spro.core.api import ApiError, ErrorOut
from spro.core.forms import MAX_AGE, MIN_AGE
from spro.core.vocabularies.statuts import KNOWN_STATUTS
from spro.directory.api import FermetureEnCoursOut  # one schema for a closure, both endpoints

router = Router(tags=["reponse"])


class AnalyseBesoinOut(Schema):
    code: str = Field(description="Code du besoin (vocabulaire `besoins` de docs/contracts.md).")
    score: float = Field(description="Confiance, de 0 à 1.")


class AnalyseMetierOut(Schema):
    code_rome: str
    libelle: str = Field(description="Libellé de la fiche ROME.")
    appellation: str = Field(description="Appellation reconnue dans le texte.")
    score: float


class AnalyseStructureOut(Schema):
    id: str = Field(description="Identifiant data·inclusion de la structure.")
    nom: str
    commune: str
    distance_km: float | None = Field(description="Distance depuis la commune de la personne, en km.")
    url: str = Field(description="Chemin de la fiche de la structure sur le site.")
    adresse: str | None = Field(None, description="Adresse sur une ligne (rue, code postal, commune).")
    telephone: str | None = Field(
        None, description="Numéro de téléphone, écrit pour être lu (« 02 99 12 34 56 »)."
    )
    telephone_lien: str | None = Field(
        None, description="Le même numéro en lien `tel:` (« tel:+33299123456 »)."
    )
    courriel: str | None = None
    horaires_du_jour: str | None = Field(
        None, description="Horaires d’aujourd’hui (heure de Paris), ou « fermé » ; null si inconnus."
    )
    ouvert_maintenant: bool | None = Field(
        None,
        description="Ouvert en ce moment (une fermeture temporaire compte) ; null si les horaires sont inconnus.",
    )
    etat: str | None = Field(
        None,
        description="« Ouvert maintenant, jusqu’à 12 h 30 » ou « Fermé — ouvre lundi à 9 h » ; null si inconnu.",
    )
    ferme_temporairement: bool = Field(False, description="Fermée temporairement aujourd’hui.")
    fermeture: FermetureEnCoursOut | None = Field(
        None, description="La fermeture temporaire en cours, ou la prochaine dans les deux semaines."
    )
    en_attendant: bool = Field(
        False,
        description="Proposée parce que les structures précédentes de ce type sont fermées temporairement "
        "aujourd’hui (la plus proche ouverte).",
    )


class AnalyseOrientationOut(Schema):
    typologie: str = Field(description="Type de structure (codes data·inclusion et SPRO).")
    raison: str = Field(description="Pourquoi ce type de structure, en langage simple.")
    regle: str = Field(description="Identifiant de la règle d’orientation appliquée.")
    structures: list[AnalyseStructureOut]


class AnalyseRessourceOut(Schema):
    titre: str
    url: str


class AnalyseProfilOut(Schema):
    age: int | None
    statut: str | None
    handicap: bool | None
    commune: str | None
    niveau: str | None = Field(description="Niveau de diplôme déduit du texte (`sans`, `3` à `8`).")
    deduit_du_texte: list[str] = Field(
        description="Champs du profil déduits du texte plutôt que du formulaire."
    )


class AnalyseAnswerOut(Schema):
    besoins: list[AnalyseBesoinOut]
    metiers: list[AnalyseMetierOut]
    orientations: list[AnalyseOrientationOut]
    etapes: list[str]
    ressources: list[AnalyseRessourceOut]
    profil: AnalyseProfilOut
    langue: str = Field(description="`fr`, ou `autre` si le texte n’est pas en français.")
    avertissements: list[str] = Field(description="Texte tronqué, autre langue, profil contradictoire…")


#: `null` (and "" for statut and commune) means "not given", as in the form.
REQUEST_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "text": {
            "type": ["string", "null"],
            "maxLength": MAX_TEXT_CHARS,
            "description": f"La demande, en français, telle que la personne l’écrit. Seuls les {ANALYSED_CHARS} "
            "premiers caractères sont analysés (avec un avertissement). Jamais conservée. Vide : la réponse ne "
            "tient compte que du profil (400 `texte-vide` si le profil est vide aussi).",
        },
        "profile": {
            "type": ["object", "null"],
            "additionalProperties": False,
            "description": "Profil facultatif ; `null` ou absent : non renseigné.",
            "properties": {
                "age": {"type": ["integer", "null"], "minimum": MIN_AGE, "maximum": MAX_AGE},
                "statut": {"type": ["string", "null"], "enum": [*KNOWN_STATUTS, "", None]},
                "handicap": {"type": ["boolean", "null"]},
                "commune": {
                    "type": ["string", "null"],
                    "description": "Commune de la personne : code INSEE (lu en premier s’il est valide), ou "
                    "nom, code postal ou les deux (`Lorient 56100`). 400 `commune-ambigue` (avec `choix`) ou "
                    "`commune-inconnue` sinon.",
                    "examples": ["35238"],
                },
            },
        },
    },
    "examples": [
        {
            "text": "J'ai 17 ans, j'ai arrêté le lycée et je sais pas quoi faire",
            "profile": {"commune": "35238"},
        }
    ],
}


def parse_body(request: HttpRequest) -> dict[str, Any]:
    """The JSON object of the body; `ApiError` 400 when it is missing, malformed, too big or not an object."""
    try:
        raw = request.body
    except RequestDataTooBig as exc:
        raise ApiError(413, "Requête trop volumineuse.", "corps-trop-gros") from exc
    try:
        body = json.loads(raw.decode("utf-8")) if raw else None
    except (UnicodeDecodeError, ValueError) as exc:
        raise ApiError(400, "Le corps de la requête n’est pas un JSON valide.", "json-invalide") from exc
    if not isinstance(body, dict):
        raise ApiError(
            400, 'Le corps doit être un objet JSON : {"text": "…", "profile": {…}}.', "corps-invalide"
        )
    unknown = sorted(str(key) for key in body if key not in {"text", "profile"})
    if unknown:
        raise ApiError(
            400,
            f"Clé(s) inconnue(s) : {', '.join(unknown)[:200]}. Clés possibles : text, profile.",
            "corps-invalide",
        )
    return body


@router.post(
    "",
    response={200: AnalyseAnswerOut, 400: ErrorOut, 413: ErrorOut, 429: ErrorOut},
    summary="Première réponse personnalisée",
    description="Analyse une demande écrite librement (et un profil facultatif : âge, statut, handicap, commune) "
    "et répond : les besoins repérés, des métiers, les types de structures à contacter avec la raison et les "
    "structures les plus proches, les prochaines étapes et des ressources. Même réponse que la page « Poser une "
    "question » et la commande `spro analyse --json`. Le texte n’est ni conservé ni journalisé ; seules des "
    "catégories (tranche d’âge, statut, département, besoins, types de structures) sont comptées pour les "
    "statistiques. Un texte vide avec un profil vide, un profil invalide (clé inconnue, âge hors 10–100, statut "
    "ou commune inconnus, handicap non booléen) ou un JSON malformé donnent une erreur 400.",
    operation_id="analyser",
    openapi_extra={
        "requestBody": {"required": True, "content": {"application/json": {"schema": REQUEST_SCHEMA}}}
    },
)
def analyse(request: HttpRequest) -> Any:
    from spro.answer import stats

    body = parse_body(request)
    try:
        result = answer(body.get("text"), body.get("profile"))
    except AnswerError as exc:
        raise ApiError(400, exc.detail, exc.code, **getattr(exc, "extra", {})) from None
    stats.record(result, "api")
    return result.as_dict()
