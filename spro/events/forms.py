"""Forms of the events app: French messages, dates as `datetime-local` inputs (no JavaScript needed)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from spro.core.text import clean_text
from spro.events.models import Actualite, EvenementPro, GroupeTravail, RendezVous, Reunion
from spro.events.vocabularies import Moderation, TypeEvenementPro
from spro.referentials.geo.models import Commune, Departement
from spro.referentials.geo.resolver import resolve

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_MESSAGES = {
    "invalid": "Indiquez une date et une heure, par exemple 15/03/2027 à 09:30.",
    "required": "Obligatoire.",
}


class _Dates(forms.ModelForm):
    """Start and end: the end after the start."""

    def clean(self):
        data = super().clean()
        debut, fin = data.get("debut"), data.get("fin")
        if debut and fin and fin < debut:
            self.add_error("fin", "La fin doit être après le début.")
        return data


def _date_fields(form: forms.ModelForm) -> None:
    for name in ("debut", "fin"):
        if name in form.fields:
            form.fields[name].widget = DATETIME
            form.fields[name].error_messages.update(DATE_MESSAGES)
            form.fields[name].help_text = "Date et heure, par exemple 15/03/2027 09:30."


class EvenementProForm(_Dates):
    class Meta:
        model = EvenementPro
        fields = ["titre", "type", "description", "debut", "fin", "lieu", "capacite"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _date_fields(self)
        # A new event's type is chosen, not left at the model's default « autre » (kept for rows made before
        # events had a type): the steering breaks participation down by it.
        kind = self.fields["type"]
        kind.choices = [("", "Choisissez un type")] + list(TypeEvenementPro.choices)
        if self.instance.pk is None:
            self.initial["type"] = ""
        kind.help_text = "Format de l’événement ; les indicateurs de participation sont ventilés par type."
        kind.error_messages.update(
            {"required": "Choisissez un type d’événement.", "invalid_choice": "Type d’événement inconnu."}
        )
        self.fields["capacite"].min_value = 1
        self.fields["capacite"].error_messages["min_value"] = "Au moins une place."

    def clean_debut(self):
        debut = self.cleaned_data["debut"]
        if self.instance.pk is None and debut <= timezone.now():
            raise forms.ValidationError("Un nouvel événement commence dans le futur.")
        return debut


class GroupeForm(forms.ModelForm):
    class Meta:
        model = GroupeTravail
        fields = ["titre", "objet"]


class MembreForm(forms.Form):
    email = forms.EmailField(
        label="Adresse électronique du membre",
        help_text="La personne doit déjà avoir un compte de l’espace professionnel.",
        error_messages={"invalid": "Adresse électronique invalide.", "required": "Obligatoire."},
    )

    def clean_email(self):
        email = self.cleaned_data["email"]
        users = list(get_user_model().objects.filter(email__iexact=email, is_active=True)[:2])
        if len(users) != 1:
            raise forms.ValidationError("Aucun compte actif n’a cette adresse : invitez d’abord la personne.")
        self.user = users[0]
        return email


class ReunionForm(_Dates):
    class Meta:
        model = Reunion
        fields = ["debut", "fin", "lieu", "ordre_du_jour"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _date_fields(self)


class DocumentForm(forms.Form):
    titre = forms.CharField(
        label="Titre du document", max_length=200, error_messages={"required": "Obligatoire."}
    )
    fichier = forms.FileField(
        label="Fichier",
        help_text="PDF, ODT, ODS, DOCX, XLSX, PNG, JPEG, texte ou CSV.",
        error_messages={"required": "Choisissez un fichier.", "empty": "Le fichier est vide."},
    )


class _PublicEntryForm(forms.ModelForm):
    """Territory: a commune (name, postal code or INSEE code), or a département, or nothing (the whole Region)."""

    commune_saisie = forms.CharField(
        label="Commune",
        required=False,
        max_length=100,
        help_text="Nom ou code postal ; laissez vide pour un département.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _date_fields(self)
        self.fields["departement"].queryset = Departement.objects.filter(is_active=True).order_by("code")
        self.fields["departement"].help_text = "Laissez vide, et la commune aussi, pour toute la région."
        self.fields["texte"].widget.attrs["rows"] = 6

    def clean_titre(self):
        return clean_text(self.cleaned_data["titre"])

    def clean_texte(self):
        return clean_text(self.cleaned_data["texte"])

    def clean(self):
        data = super().clean()
        typed = (data.get("commune_saisie") or "").strip()
        self.instance.commune = None
        if typed:
            resolution = resolve(typed)
            if resolution.commune is None:
                self.add_error("commune_saisie", resolution.message or "Commune inconnue.")
            else:
                self.instance.commune = Commune.objects.get(code_insee=resolution.commune.code_insee)
        return data


class ActualiteForm(_PublicEntryForm):
    class Meta:
        model = Actualite
        fields = ["titre", "texte", "public", "departement"]


class RendezVousForm(_PublicEntryForm, _Dates):
    lien = forms.URLField(
        label="Lien pour en savoir plus",
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={"invalid": "Adresse web invalide, par exemple https://www.exemple.fr/forum."},
    )

    class Meta:
        model = RendezVous
        fields = ["type", "titre", "texte", "debut", "fin", "lieu", "lien", "public", "departement"]


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(
        label="Décision",
        choices=[(Moderation.PUBLIEE, "Publier"), (Moderation.REFUSEE, "Refuser")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez publier ou refuser.",
            "invalid_choice": "Choisissez publier ou refuser.",
        },
    )
    motif = forms.CharField(
        label="Motif du refus",
        required=False,
        max_length=500,
        help_text="Transmis à la personne qui a proposé.",
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == Moderation.REFUSEE and not (data.get("motif") or "").strip():
            self.add_error("motif", "Indiquez le motif du refus.")
        return data
