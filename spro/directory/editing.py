"""A structure's own admins keep its fiche up to date from the professional space (`/pro/structures/<id>/fiche`).

Only what the structure knows best is editable there — description, address lines, contacts, opening hours,
channels, languages, accessibility — and the admin can confirm that the whole fiche was checked, which resets its
freshness (`date_verification`). Identity, typologie, place and zone of competence stay with the directory's
managers (Django admin, imports). Every saved change is written to the audit log with the changed field names.

A record that comes from an external source (data·inclusion harvest) is overwritten by the next import of that
source: the form says so, and the change should be made at the source too.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db import transaction

from spro.core.codes import POSTAL_CODE
from spro.directory import opening_hours, vocabularies
from spro.directory.models import Structure

#: Sources that this platform itself maintains (its records are not overwritten by a harvest).
LOCAL_SOURCES = frozenset({"spro-demo", "spro"})

EDITABLE_FIELDS = [
    "description",
    "adresse",
    "complement_adresse",
    "code_postal",
    "telephone",
    "courriel",
    "site_web",
    "horaires_accueil",
    "canaux",
    "langues",
    "accessibilite_pmr",
    "accessibilite_precisions",
]


class StructureForm(forms.ModelForm):
    site_web = forms.URLField(label="Site web", required=False, max_length=2083, assume_scheme="https")
    canaux = forms.MultipleChoiceField(
        label="Comment vous joindre", required=False, widget=forms.CheckboxSelectMultiple
    )
    langues = forms.MultipleChoiceField(
        label="Langues parlées à l’accueil", required=False, widget=forms.CheckboxSelectMultiple
    )
    accessibilite_pmr = forms.NullBooleanField(
        label="Accessible en fauteuil roulant", required=False, widget=forms.NullBooleanSelect
    )
    verifie = forms.BooleanField(
        label="J’ai vérifié l’ensemble de la fiche : elle est à jour",
        required=False,
        help_text="La date de dernière vérification devient celle d’aujourd’hui.",
    )

    class Meta:
        model = Structure
        fields = EDITABLE_FIELDS
        labels = {
            "description": "Présentation de la structure",
            "adresse": "Adresse",
            "complement_adresse": "Complément d’adresse",
            "code_postal": "Code postal",
            "telephone": "Téléphone",
            "courriel": "Courriel de contact",
            "horaires_accueil": "Horaires d’accueil",
            "accessibilite_precisions": "Précisions sur l’accessibilité",
        }
        help_texts = {
            "horaires_accueil": "Au format OpenStreetMap, par exemple : Mo-Fr 09:00-12:00,13:30-17:00; Sa 09:00-12:00",
            "courriel": "Les demandes de mise en relation y sont annoncées (sans données personnelles).",
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["canaux"].choices = list(vocabularies.canaux().items())
        self.fields["langues"].choices = list(vocabularies.langues().items())

    def clean_horaires_accueil(self) -> str:
        value = (self.cleaned_data.get("horaires_accueil") or "").strip()
        if value:
            try:
                opening_hours.parse(value)
            except opening_hours.OpeningHoursError as exc:
                raise forms.ValidationError(f"Horaires illisibles : {exc}") from None
        return value

    def clean_code_postal(self) -> str:
        value = (self.cleaned_data.get("code_postal") or "").strip()
        if value and not POSTAL_CODE.match(value):
            raise forms.ValidationError("Un code postal a cinq chiffres.")
        return value


def save(form: StructureForm, user, today: dt.date | None = None) -> list[str]:
    """Save a valid form; returns the changed fields (plus `date_verification` when confirmed)."""
    from spro import audit  # the audit log is another app's public function

    structure: Structure = form.instance
    today = today or dt.date.today()
    changed = [name for name in form.changed_data if name in EDITABLE_FIELDS]
    with transaction.atomic():
        if changed:
            structure.date_maj = today
        if form.cleaned_data.get("verifie"):
            structure.date_verification = today
            changed.append("date_verification")
        if changed:
            form.save()
            audit.record(user, "structure.update", structure, structure=structure, detail=", ".join(changed))
    return changed
