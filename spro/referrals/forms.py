"""Forms of the public request and of the conseiller's actions (validation only; the rules are in workflow.py)."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.core.validators import validate_email
from django.utils import timezone

from spro.core.text import clean_text
from spro.referentials.geo.forms import CommuneField
from spro.referentials.geo.models import Commune
from spro.referrals import tokens
from spro.referrals.models import FIRST_NAME_MAX_LENGTH, MESSAGE_MAX_LENGTH
from spro.referrals.vocabularies import BESOINS, AppointmentChannel, ContactChannel, DeclineReason, Outcome

_PHONE = re.compile(r"^\+?[0-9][0-9 .\-]{7,18}[0-9]$")
#: A form key: a 43-character nonce, a dot, a 43-character HMAC (see tokens.py).
FORM_KEY_LENGTH = 87
EXPIRED_FORM = "Le formulaire a expiré : rechargez la page et recommencez."


def _clean_text(value: str, multiline: bool = False) -> str:
    return clean_text(value, multiline=multiline)


class _BoundKeyMixin:
    """The hidden `cle` must be a key issued for this very form (kind, structure, source referral)."""

    key_scope: tuple = ()

    def clean_cle(self) -> str:
        nonce = tokens.open_form_key(self.cleaned_data["cle"], *self.key_scope) if self.key_scope else None
        if nonce is None:
            raise forms.ValidationError(EXPIRED_FORM)
        return nonce


class AccessibleForm(forms.Form):
    """Links each field to its error message (`aria-describedby`, `aria-invalid`) so screen readers announce it.

    The templates print a field's errors in an element whose id is `<field id>-erreur`; hints (`hints` below) in
    `<field id>-aide`.
    """

    hints: dict[str, str] = {}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in self.hints:
            self.fields[name].widget.attrs["aria-describedby"] = f"{self[name].auto_id}-aide"

    def full_clean(self) -> None:
        super().full_clean()
        for name, field in self.fields.items():
            if name not in self.errors or isinstance(field.widget, forms.HiddenInput):
                continue
            widget_id = self[name].auto_id
            described = [f"{widget_id}-aide"] if name in self.hints else []
            described.append(f"{widget_id}-erreur")
            field.widget.attrs["aria-invalid"] = "true"
            field.widget.attrs["aria-describedby"] = " ".join(described)

    def hint(self, name: str) -> str:
        return self.hints.get(name, "")


class ContactForm(_BoundKeyMixin, AccessibleForm):
    """Only what is needed to be contacted: a first name, one channel, an optional message and needs.

    `structure` binds the form's key: a key issued for another form is refused as an expired form."""

    cle = forms.CharField(widget=forms.HiddenInput, max_length=FORM_KEY_LENGTH)
    first_name = forms.CharField(label="Prénom", max_length=FIRST_NAME_MAX_LENGTH)
    contact_channel = forms.ChoiceField(
        label="Comment souhaitez-vous être contacté ou contactée ?",
        choices=ContactChannel.choices,
        widget=forms.RadioSelect,
    )
    contact_value = forms.CharField(
        label="Votre adresse électronique ou votre numéro de téléphone", max_length=254
    )
    message = forms.CharField(
        label="Votre message (facultatif)",
        max_length=MESSAGE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea,
    )
    besoins = forms.MultipleChoiceField(
        label="Vos besoins (facultatif)",
        choices=list(BESOINS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    commune = CommuneField(label="Votre commune (facultatif)", required=False)

    hints = {
        "contact_value": "Par exemple : nom@exemple.fr ou 06 12 34 56 78.",
        "message": f"{MESSAGE_MAX_LENGTH} caractères au plus. N’y écrivez pas d’informations sur votre santé : "
        "la structure vous les demandera si elles sont utiles.",
        "commune": "Nom ou code postal, pour que la structure sache où vous habitez.",
    }

    def __init__(self, *args, structure=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if structure is not None:
            self.key_scope = ("public", structure.pk)

    @staticmethod
    def new_key(structure) -> str:
        return tokens.new_form_key("public", structure.pk)

    def clean_first_name(self) -> str:
        value = _clean_text(self.cleaned_data["first_name"])
        if not value:
            raise forms.ValidationError("Indiquez votre prénom.")
        return value

    def clean_message(self) -> str:
        return _clean_text(self.cleaned_data.get("message", ""), multiline=True)

    def clean_commune(self) -> Commune | None:
        """The one commune resolver (spro.referentials.geo): name, postal code or both; choices when ambiguous."""
        resolution = self.cleaned_data.get("commune")
        return resolution.model() if resolution else None

    def clean(self) -> dict:
        data = super().clean()
        channel = data.get("contact_channel")
        value = _clean_text(data.get("contact_value", ""))
        if channel and value:
            if channel == ContactChannel.EMAIL:
                try:
                    validate_email(value)
                except forms.ValidationError:
                    self.add_error(
                        "contact_value",
                        "Indiquez une adresse électronique valide, par exemple nom@exemple.fr.",
                    )
            elif not _PHONE.match(value):
                self.add_error(
                    "contact_value", "Indiquez un numéro de téléphone valide, par exemple 06 12 34 56 78."
                )
            data["contact_value"] = value
        return data


class AcceptForm(AccessibleForm):
    date = forms.DateField(label="Date du rendez-vous", widget=forms.DateInput(attrs={"type": "date"}))
    heure = forms.TimeField(label="Heure", widget=forms.TimeInput(attrs={"type": "time"}))
    modalite = forms.ChoiceField(
        label="Modalité", choices=AppointmentChannel.choices, widget=forms.RadioSelect, initial="sur-place"
    )
    lieu = forms.CharField(
        label="Lieu ou précisions (adresse, numéro appelé, lien de visioconférence)",
        max_length=300,
        required=False,
    )
    note = forms.CharField(
        label="Note interne (facultatif)",
        max_length=MESSAGE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("date") and data.get("heure"):
            moment = timezone.make_aware(dt.datetime.combine(data["date"], data["heure"]))
            if moment <= timezone.now():
                self.add_error("date", "Le rendez-vous doit être dans le futur.")
            data["moment"] = moment
        if data.get("modalite") == AppointmentChannel.SUR_PLACE and not _clean_text(data.get("lieu", "")):
            self.add_error("lieu", "Indiquez le lieu du rendez-vous.")
        return data


def _note(label: str) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=MESSAGE_MAX_LENGTH, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class _TypedReasonForm(AccessibleForm):
    """A typed choice and a note, the note required when the choice is the "other" one."""

    choice_field: str
    other: str
    missing_note: str

    def clean(self) -> dict:
        data = super().clean()
        if data.get(self.choice_field) == self.other and not _clean_text(data.get("note", "")):
            self.add_error("note", self.missing_note)
        return data


class DeclineForm(_TypedReasonForm):
    motif = forms.ChoiceField(label="Motif du refus", choices=DeclineReason.choices, widget=forms.RadioSelect)
    note = _note("Précisions (obligatoires pour « Autre raison »)")
    choice_field, other, missing_note = "motif", DeclineReason.AUTRE, "Précisez le motif du refus."


class CloseForm(_TypedReasonForm):
    issue = forms.ChoiceField(label="Issue de la demande", choices=Outcome.choices, widget=forms.RadioSelect)
    note = _note("Précisions (obligatoires pour « Autre issue »)")
    choice_field, other, missing_note = "issue", Outcome.AUTRE, "Précisez l’issue de la demande."


class OnwardForm(_BoundKeyMixin, AccessibleForm):
    """Bound to the referral it comes from: its key is refused by any other form."""

    cle = forms.CharField(widget=forms.HiddenInput, max_length=FORM_KEY_LENGTH)
    structure = forms.ChoiceField(label="Structure vers laquelle orienter la personne")
    note = forms.CharField(
        label="Message pour la structure (facultatif ; sinon le message de la personne est repris)",
        max_length=MESSAGE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    accord = forms.BooleanField(
        label="La personne a donné son accord pour que son prénom, son moyen de contact et sa demande soient "
        "transmis à cette structure."
    )

    def __init__(self, *args, structures=(), referral=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if referral is not None:
            self.key_scope = ("orienter", referral.structure_id, referral.pk)
        self.fields["structure"].choices = [("", "Choisissez une structure")] + [
            (s.di_id, f"{s.nom} ({s.commune_nom})" if s.commune_nom else s.nom) for s in structures
        ]

    @staticmethod
    def new_key(referral) -> str:
        return tokens.new_form_key("orienter", referral.structure_id, referral.pk)

    def clean_note(self) -> str:
        return _clean_text(self.cleaned_data.get("note", ""), multiline=True)
