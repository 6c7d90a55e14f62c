"""The shapes every part of the answer shares: the analysis of a request, the orientations, the answer.

Analysis (`text`, `needs`, `facts`), routing (`routing`, `rules`) and the interfaces (`service`, views, API, CLI)
only exchange these, so each part can change inside without touching the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Profile:
    """What is known of the person: from the form first, completed by facts stated in the text.

    `niveau` is the diploma level as the certification levels say it: "sans" (no diploma), "3" (CAP/BEP), "4" (bac),
    "5" (bac+2), "6" (bac+3/4), "7" (bac+5), "8" (doctorate). `from_text` names the fields found in the text.
    """

    age: int | None = None
    statut: str | None = None
    handicap: bool | None = None
    commune: str | None = None  # INSEE code
    niveau: str | None = None
    a_quitte_formation: bool | None = None  # left school/studies without finishing (dropout chain)
    for_child: bool | None = None  # a parent writes for a child: `statut` is then the child's school statut
    child_age: int | None = None  # the child's age (never the writer's `age`)
    from_text: set[str] = field(default_factory=set)

    def subject(self) -> Profile:
        """The person the answer is for: the child when a parent writes for one (the child's age, never the
        writer's), else this profile. Needs and routing read this one."""
        if not self.for_child:
            return self
        return Profile(
            age=self.child_age,
            statut=self.statut,
            handicap=self.handicap,
            commune=self.commune,
            niveau=self.niveau,
            a_quitte_formation=self.a_quitte_formation,
            for_child=True,
            child_age=self.child_age,
            from_text=set(self.from_text),
        )


@dataclass
class Facts:
    """Profile facts stated in the free text (each None when the text does not say)."""

    age: int | None = None
    statut: str | None = None
    handicap: bool | None = None
    commune: str | None = None
    niveau: str | None = None
    a_quitte_formation: bool | None = None
    for_child: bool | None = None
    child_age: int | None = None


@dataclass
class BesoinScore:
    code: str  # one of spro.core.vocabularies.besoins.Besoin
    score: float  # 0..1
    evidence: tuple[str, ...] = ()  # the words or facts that triggered it, for the restatement and the tests


@dataclass
class MetierMatch:
    code_rome: str
    libelle: str  # the fiche's label
    appellation: str  # the matched appellation (or the fiche label when the fiche matched directly)
    score: float  # 0..1
    raison: str = (
        ""  # why it is proposed when the text did not name it (« parce que vous aimez les animaux… »)
    )


@dataclass
class StructureHit:
    id: str
    nom: str
    commune: str
    distance_km: float | None
    url: str
    #: spro.directory.presenters.contact: adresse, telephone, telephone_lien, courriel, horaires_du_jour,
    #: ouvert_maintenant, etat, ferme_temporairement, fermeture.
    contact: dict[str, Any] = field(default_factory=dict)
    #: Shown because the structures before it are temporarily closed today (« Ouvert en attendant »).
    en_attendant: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "nom": self.nom,
            "commune": self.commune,
            "distance_km": self.distance_km,
            "url": self.url,
            "adresse": self.contact.get("adresse"),
            "telephone": self.contact.get("telephone"),
            "telephone_lien": self.contact.get("telephone_lien"),
            "courriel": self.contact.get("courriel"),
            "horaires_du_jour": self.contact.get("horaires_du_jour"),
            "ouvert_maintenant": self.contact.get("ouvert_maintenant"),
            "etat": self.contact.get("etat"),
            "ferme_temporairement": bool(self.contact.get("ferme_temporairement")),
            "fermeture": self.contact.get("fermeture"),
            "en_attendant": self.en_attendant,
        }


@dataclass
class Orientation:
    typologie: str
    raison: str  # human-readable, plain French, both gender forms
    regle: str  # id of the rule that produced it
    score: float
    structures: list[StructureHit] = field(default_factory=list)
    raison_facile: str = ""  # the « Facile à lire » version; empty when the rule file has none


@dataclass
class Ressource:
    titre: str
    url: str
    description: str = ""
    kind: str = "information"  # information | financement | droit | metier | formation
    facile: str = ""  # the « Facile à lire » version of the description; empty when the rule file has none


class Step(str):
    """A next step with its « Facile à lire » version in `facile` (the full text when the rule file has none).

    A str, so that the API, the summary, the CLI and every test that reads `Answer.etapes` as text are unchanged;
    only the answer page reads `facile`."""

    facile: str

    def __new__(cls, text: str, facile: str = "") -> Step:
        step = super().__new__(cls, text)
        step.facile = facile or text
        return step


@dataclass
class Analysis:
    besoins: list[BesoinScore]
    metiers: list[MetierMatch]
    profile: Profile
    language: str = "fr"  # "fr", or "autre" when the text is not French
    warnings: list[str] = field(default_factory=list)


@dataclass
class Answer:
    analysis: Analysis
    orientations: list[Orientation]
    etapes: list[str]
    ressources: list[Ressource]

    def as_dict(self) -> dict[str, Any]:
        """The JSON of docs/contracts.md#first-personalised-answer, plus `profil` and `avertissements`."""
        a = self.analysis
        return {
            "besoins": [{"code": b.code, "score": round(b.score, 3)} for b in a.besoins],
            "metiers": [
                {
                    "code_rome": m.code_rome,
                    "libelle": m.libelle,
                    "appellation": m.appellation,
                    "score": round(m.score, 3),
                    **({"raison": m.raison} if m.raison else {}),
                }
                for m in a.metiers
            ],
            "orientations": [
                {
                    "typologie": o.typologie,
                    "raison": o.raison,
                    "regle": o.regle,
                    "structures": [s.as_dict() for s in o.structures],
                }
                for o in self.orientations
            ],
            "etapes": list(self.etapes),
            "ressources": [{"titre": r.titre, "url": r.url} for r in self.ressources],
            "profil": {
                "age": a.profile.age,
                "statut": a.profile.statut,
                "handicap": a.profile.handicap,
                "commune": a.profile.commune,
                "niveau": a.profile.niveau,
                **(
                    {"pour_un_enfant": True, "age_enfant": a.profile.child_age} if a.profile.for_child else {}
                ),
                "deduit_du_texte": sorted(a.profile.from_text),
            },
            "langue": a.language,
            "avertissements": list(a.warnings),
        }


class AnswerError(ValueError):
    """Bad input: a clear French message and a stable code (the API answers 400 with them)."""

    def __init__(self, detail: str, code: str, extra: dict[str, Any] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.code = code
        self.extra = extra or {}  # more fields of the API's 400 body (`choix` for an ambiguous commune)
