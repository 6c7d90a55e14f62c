"""Forms of the conseiller's accompaniment pages (validation only; the rules are in services.py)."""

from __future__ import annotations

import re

from django import forms
from django.core.validators import validate_email

from spro.accompaniment.cep import CepLevel, CepOutcome, CepStage
from spro.accompaniment.models import (
    COMMENT_MAX_LENGTH,
    CONTACT_MAX_LENGTH,
    FIRST_NAME_MAX_LENGTH,
    NOTE_MAX_LENGTH,
)
from spro.accompaniment.vocabularies import CLOSE_CHOICES
from spro.core.forms import PlainSelect
from spro.core.text import clean_text
from spro.referrals.forms import AcceptForm, AccessibleForm
from spro.referrals.vocabularies import ContactChannel

_PHONE = re.compile(r"^\+?[0-9][0-9 .\-]{7,18}[0-9]$")
NO_CONTACT = "aucun"


def _choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


class OpenForm(AccessibleForm):
    """Open an accompaniment on the spot: the person is there and agrees."""

    structure = forms.ChoiceField(label="Structure qui accompagne", widget=PlainSelect)
    prenom = forms.CharField(label="Prénom de la personne", max_length=FIRST_NAME_MAX_LENGTH)
    moyen = forms.ChoiceField(
        label="Comment la joindre ?",
        choices=[*ContactChannel.choices, (NO_CONTACT, "Elle ne souhaite pas laisser de coordonnée")],
        widget=forms.RadioSelect,
        initial=ContactChannel.EMAIL.value,
    )
    coordonnee = forms.CharField(
        label="Adresse électronique ou numéro de téléphone", max_length=CONTACT_MAX_LENGTH, required=False
    )
    projet = forms.CharField(label="Son projet, en quelques mots", max_length=200)
    niveau_cep = forms.ChoiceField(
        label="Conseil en évolution professionnelle (facultatif)",
        choices=[("", "Pas un accompagnement CEP"), *CepLevel.choices],
        required=False,
    )
    accord = forms.BooleanField(label="La personne a lu ou entendu ce texte et donne son accord.")

    hints = {
        "coordonnee": "Par exemple : nom@exemple.fr ou 06 12 34 56 78.",
        "projet": "Ce sera le but de son parcours ; elle pourra le changer.",
    }

    def __init__(self, *args, structures=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [(s.di_id, s.nom) for s in structures]
        _choice_field(self, "structure").choices = choices
        if len(choices) == 1:
            self.fields["structure"].initial = choices[0][0]

    def clean_prenom(self) -> str:
        value = clean_text(self.cleaned_data["prenom"])
        if not value:
            raise forms.ValidationError("Indiquez le prénom de la personne.")
        return value

    def clean_projet(self) -> str:
        value = clean_text(self.cleaned_data["projet"])
        if not value:
            raise forms.ValidationError("Indiquez son projet, en quelques mots.")
        return value

    def clean(self) -> dict:
        data = super().clean() or {}
        channel = data.get("moyen")
        value = clean_text(data.get("coordonnee", ""))
        if channel == NO_CONTACT:
            data["coordonnee"], data["moyen"] = "", ""
        elif channel:
            if not value:
                self.add_error("coordonnee", "Indiquez la coordonnée, ou choisissez « pas de coordonnée ».")
            elif channel == ContactChannel.EMAIL:
                try:
                    validate_email(value)
                except forms.ValidationError:
                    self.add_error(
                        "coordonnee", "Indiquez une adresse électronique valide, par exemple nom@exemple.fr."
                    )
            elif not _PHONE.match(value):
                self.add_error(
                    "coordonnee", "Indiquez un numéro de téléphone valide, par exemple 06 12 34 56 78."
                )
            data["coordonnee"] = value
        return data


class NoteForm(AccessibleForm):
    texte = forms.CharField(
        label="Nouvelle note", max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4})
    )
    hints = {
        "texte": f"{NOTE_MAX_LENGTH} caractères au plus. Seuls les membres de votre structure la liront ; la personne "
        "peut demander à la voir. N’y écrivez que ce qui est utile à l’accompagnement.",
    }

    def clean_texte(self) -> str:
        value = clean_text(self.cleaned_data["texte"], multiline=True)
        if not value:
            raise forms.ValidationError("La note est vide.")
        return value


class SchemeForm(AccessibleForm):
    dispositif = forms.ChoiceField(label="Dispositif mobilisé", widget=PlainSelect)
    date = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    commentaire = forms.CharField(
        label="Commentaire (facultatif)", max_length=COMMENT_MAX_LENGTH, required=False
    )

    def __init__(self, *args, schemes=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "dispositif").choices = [("", "Choisissez un dispositif"), *schemes]


class AppointmentForm(AcceptForm):
    """A proposed appointment: an action of the person's pathway, which they accept or decline."""

    intitule = forms.CharField(label="Objet du rendez-vous", max_length=200, initial="Rendez-vous")
    note = None  # type: ignore[assignment]  # the referral's internal note has no place here

    field_order = ["intitule", "date", "heure", "modalite", "lieu"]


class CepForm(AccessibleForm):
    niveau = forms.ChoiceField(
        label="Niveau CEP",
        choices=[("", "Pas un accompagnement CEP"), *CepLevel.choices],
        required=False,
        widget=PlainSelect,
    )
    etape = forms.ChoiceField(
        label="Étape CEP",
        choices=[("", "Non précisée"), *CepStage.choices],
        required=False,
        widget=PlainSelect,
    )


class CloseForm(AccessibleForm):
    issue = forms.ChoiceField(
        label="Issue de l’accompagnement", choices=CLOSE_CHOICES, widget=forms.RadioSelect
    )
    issue_cep = forms.ChoiceField(
        label="Issue CEP (facultatif)",
        choices=[("", "Sans objet"), *CepOutcome.choices],
        required=False,
        widget=PlainSelect,
    )


class HandOverForm(AccessibleForm):
    structure = forms.ChoiceField(label="Structure qui prend le relais", widget=PlainSelect)
    accord = forms.BooleanField(
        label="La personne accepte d’être accompagnée par cette structure, qui reçoit son prénom, sa coordonnée et "
        "son parcours."
    )
    notes = forms.BooleanField(
        label="La personne accepte aussi que cette structure lise les notes des conseillers et conseillères d’ici.",
        required=False,
    )

    def __init__(self, *args, structures=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "structure").choices = [("", "Choisissez une structure")] + [
            (s.di_id, f"{s.nom} ({s.commune_nom})" if s.commune_nom else s.nom) for s in structures
        ]
