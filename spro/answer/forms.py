"""The "Poser une question" form: one free text and an optional profile (CONTRACTS.md vocabularies)."""

from __future__ import annotations

from typing import Any

from django import forms

from spro.contacts.vocabularies import Statut

from .service import MAX_AGE, MAX_TEXT_CHARS, MIN_AGE

STATUT_CHOICES = [("", "Je ne souhaite pas le préciser")] + [
    (value, label) for value, label in Statut.choices if value != Statut.NON_RENSEIGNE
]


class QuestionForm(forms.Form):
    text = forms.CharField(
        label="Votre question",
        required=False,
        max_length=MAX_TEXT_CHARS,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "true"}),
        error_messages={"max_length": "Votre texte est trop long : résumez-le en quelques phrases."},
    )
    age = forms.IntegerField(
        label="Votre âge (facultatif)",
        required=False,
        min_value=MIN_AGE,
        max_value=MAX_AGE,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "invalid": "Indiquez votre âge en chiffres, par exemple 17.",
            "min_value": f"L’âge doit être compris entre {MIN_AGE} et {MAX_AGE} ans.",
            "max_value": f"L’âge doit être compris entre {MIN_AGE} et {MAX_AGE} ans.",
        },
    )
    statut = forms.ChoiceField(label="Votre situation (facultatif)", required=False, choices=STATUT_CHOICES)
    handicap = forms.BooleanField(
        label="Je suis en situation de handicap ou j’ai une reconnaissance (RQTH) (facultatif)",
        required=False,
    )
    commune = forms.CharField(
        label="Votre commune (facultatif)",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"max_length": "Nom de commune trop long."},
    )

    hints = {
        "text": "Décrivez votre situation et votre projet avec vos mots, par exemple : « J’ai 17 ans, j’ai arrêté "
        "le lycée et je ne sais pas quoi faire ». Ne donnez pas votre nom : ce texte n’est pas conservé.",
        "commune": "Nom, code postal ou code INSEE, par exemple : Rennes ou 35000. Sert à trouver les structures "
        "proches de chez vous.",
    }

    def clean_commune(self) -> str | None:
        """The INSEE code of what the person typed (name, postal code or INSEE code)."""
        value = (self.cleaned_data.get("commune") or "").strip()
        if not value:
            return None
        from spro.search.details import resolve_commune

        commune = resolve_commune(value)
        if commune is None:
            raise forms.ValidationError(
                "Commune introuvable : écrivez son nom complet (par exemple Saint-Brieuc), son code postal ou son "
                "code INSEE."
            )
        return commune.code_insee

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        empty = not (data.get("text") or "").strip() and not any(
            data.get(name) for name in ("age", "statut", "handicap", "commune")
        )
        if empty and not self.errors:
            self.add_error("text", "Décrivez votre situation ou votre projet en quelques mots.")
        return data

    def profile(self) -> dict[str, Any]:
        """The profile of CONTRACTS.md: only what the person filled in (an unticked box says nothing)."""
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
