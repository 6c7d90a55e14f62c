"""The `/aides` form: a person's situation, every field optional (a GET form: the address can be shared)."""

from __future__ import annotations

from django import forms

from spro.aides.catalogue import NIVEAUX
from spro.core.forms import age_field
from spro.core.vocabularies.statuts import KNOWN_STATUTS, Statut
from spro.referentials.geo.forms import CommuneField

NOT_SAID = "Je ne souhaite pas le dire"
STATUT_CHOICES = [("", NOT_SAID)] + [(value, Statut(value).label) for value in KNOWN_STATUTS]
HANDICAP_CHOICES = [("", NOT_SAID), ("oui", "Oui"), ("non", "Non")]
NIVEAU_CHOICES = [("", NOT_SAID)] + [
    (code, "Pas de diplôme" if code == "sans" else label[0].upper() + label[1:])
    for code, label in NIVEAUX.items()
]


class AidesForm(forms.Form):
    age = age_field("Votre âge")
    statut = forms.ChoiceField(label="Votre situation", required=False, choices=STATUT_CHOICES)
    niveau = forms.ChoiceField(label="Votre plus haut diplôme", required=False, choices=NIVEAU_CHOICES)
    handicap = forms.ChoiceField(
        label="Êtes-vous en situation de handicap ?",
        required=False,
        choices=HANDICAP_CHOICES,
        initial="",
        widget=forms.RadioSelect,
    )
    commune = CommuneField(label="Votre commune", required=False)

    hints = {
        "age": "En chiffres, par exemple 17.",
        "handicap": "Par exemple avec une reconnaissance de travailleur handicapé (RQTH).",
        "commune": "Nom, code postal ou les deux, par exemple : Rennes, 35000 ou Lorient 56100. Certaines aides "
        "n’existent que dans une région ou une ville.",
    }

    def clean_handicap(self) -> bool | None:
        return {"oui": True, "non": False}.get(self.cleaned_data.get("handicap") or "")

    def clean_commune(self) -> str | None:
        resolution = self.cleaned_data.get("commune")
        self.commune_resolution = resolution
        return resolution.code_insee if resolution is not None and resolution.commune else None
