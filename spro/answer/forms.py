"""The "Poser une question" form: one free text and an optional profile (docs/contracts.md vocabularies)."""

from __future__ import annotations

from typing import Any

from django import forms

from spro.answer.service import MAX_TEXT_CHARS
from spro.core.forms import age_field
from spro.core.vocabularies.statuts import KNOWN_STATUTS, Statut
from spro.referentials.geo.forms import CommuneField

STATUT_CHOICES = [("", "Je ne souhaite pas le préciser")] + [
    (value, Statut(value).label) for value in KNOWN_STATUTS
]


class QuestionForm(forms.Form):
    text = forms.CharField(
        label="Votre question",
        required=False,
        max_length=MAX_TEXT_CHARS,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "true"}),
        error_messages={"max_length": "Votre texte est trop long : résumez-le en quelques phrases."},
    )
    age = age_field("Votre âge (facultatif)")
    statut = forms.ChoiceField(label="Votre situation (facultatif)", required=False, choices=STATUT_CHOICES)
    handicap = forms.BooleanField(
        label="Je suis en situation de handicap ou j’ai une reconnaissance (RQTH) (facultatif)",
        required=False,
    )
    commune = CommuneField(label="Votre commune (facultatif)", required=False)

    hints = {
        "text": "Décrivez votre situation et votre projet avec vos mots, par exemple : « J’ai 17 ans, j’ai arrêté "
        "le lycée et je ne sais pas quoi faire ». Ne donnez pas votre nom : ce texte n’est pas conservé.",
        "commune": "Nom, code postal ou les deux, par exemple : Rennes, 35000 ou Lorient 56100. Sert à trouver les "
        "structures proches de chez vous.",
    }

    def clean_commune(self) -> str | None:
        """The INSEE code of what the person typed (name, postal code or both), read by the one resolver; the
        resolution is kept to say on the answer which commune was understood."""
        resolution = self.cleaned_data.get("commune")
        self.commune_resolution = resolution
        return resolution.code_insee if resolution is not None else None

    def only_commune_to_choose(self) -> bool:
        """The only problem is a commune that fits several: the page offers the choice, it is not an error."""
        return set(self.errors) == {"commune"} and any(
            error.code == "commune-ambigue" for error in self.errors.as_data()["commune"]
        )

    def commune_reprise(self, profile: Any) -> dict[str, Any]:
        """How the answer's commune was found, for the answer page to say it once: read in the text, or typed in
        the field (by postal code or a near spelling: `commune_resolution`). Never the text itself."""
        return {
            "from_text": "commune" in getattr(profile, "from_text", ()),
            "typed": getattr(self, "commune_resolution", None),
        }

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        empty = not (data.get("text") or "").strip() and not any(
            data.get(name) for name in ("age", "statut", "handicap", "commune")
        )
        if empty and not self.errors:
            self.add_error("text", "Décrivez votre situation ou votre projet en quelques mots.")
        return data

    def profile(self) -> dict[str, Any]:
        """The profile of docs/contracts.md: only what the person filled in (an unticked box says nothing)."""
        data = self.cleaned_data
        profile: dict[str, Any] = {}
        if data.get("age") is not None:
            profile["age"] = data["age"]
        if data.get("statut"):
            profile["statut"] = data["statut"]
        if data.get("handicap"):
            profile["handicap"] = True
        if data.get("commune"):
            profile["commune"] = data["commune"]
        return profile

    def describe_fields(self) -> QuestionForm:
        """Link each field to its hint and error message (aria-describedby, aria-invalid) for screen readers."""
        for name, field in self.fields.items():
            ids = []
            if name in self.hints:
                ids.append(f"id_{name}-aide")
            if self.is_bound and name in self.errors:
                ids.append(f"id_{name}-erreur")
                field.widget.attrs["aria-invalid"] = "true"
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)
        return self
