"""Forms of the dropout chain's professional pages (validation only; the rules are in lists.py and chain.py)."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from spro.core.forms import PlainSelect
from spro.dropouts.models import LABEL_MAX_LENGTH
from spro.dropouts.reading import CAMPAIGN_CODE
from spro.dropouts.vocabularies import (
    ContactChannel,
    ContactResult,
    FollowUpOutcome,
    Priority,
    Situation,
    SolutionType,
)
from spro.referrals.forms import AccessibleForm

NO_PARTNER = "aucun"


class ImportForm(AccessibleForm):
    """A campaign's list sent by its coordinator: the file of the contract and the campaign's month."""

    fichier = forms.FileField(
        label="Fichier de la liste (CSV)",
        error_messages={"required": "Choisissez le fichier de la liste.", "empty": "Le fichier est vide."},
    )
    campagne = forms.CharField(
        label="Campagne (AAAA-MM)",
        max_length=7,
        error_messages={"required": "Indiquez la campagne, par exemple 2026-11."},
    )

    hints = {
        "fichier": "CSV en UTF-8, séparateur « ; », une ligne d’en-tête avec les colonnes du contrat.",
        "campagne": "Le mois de la liste du SIEI, par exemple 2026-11.",
    }

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {"campagne": timezone.localdate().strftime("%Y-%m")})
        super().__init__(*args, **kwargs)
        self.fields["fichier"].widget.attrs["accept"] = ".csv,text/csv"

    def clean_campagne(self) -> str:
        value = self.cleaned_data["campagne"].strip()
        if not CAMPAIGN_CODE.match(value):
            raise forms.ValidationError("Écrivez la campagne sous la forme AAAA-MM, par exemple 2026-11.")
        return value


class AssignForm(AccessibleForm):
    """The coordinator's choice of partner and list for one young person."""

    partenaire = forms.ChoiceField(label="Structure partenaire", widget=PlainSelect)
    liste = forms.ChoiceField(label="Liste", choices=Priority.choices)

    def __init__(self, *args, structures=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["partenaire"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(NO_PARTNER, "Aucun partenaire (la plateforme seule)")] + [
            (str(s.pk), s.nom) for s in structures
        ]


# --- the chain's work (spro/dropouts/chain.py) ------------------------------------------------------------------

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


def date_field(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "required": "Indiquez la date, par exemple 15/09/2026.",
            "invalid": "Écrivez la date sous la forme JJ/MM/AAAA, par exemple 15/09/2026.",
        },
    )


class _Dated(AccessibleForm):
    date_hint = "JJ/MM/AAAA, par exemple 15/09/2026."

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)


class ContactForm(_Dated):
    moyen = forms.ChoiceField(label="Moyen de contact", choices=ContactChannel.choices)
    resultat = forms.ChoiceField(label="Résultat", choices=ContactResult.choices)
    date = date_field("Date du contact")


class SituationForm(_Dated):
    situation = forms.ChoiceField(label="Situation constatée", choices=Situation.choices)
    date = date_field("Date du constat")


class SolutionForm(_Dated):
    type = forms.ChoiceField(label="Type de solution", choices=SolutionType.choices)
    date = date_field("Début de la solution")
    precision = forms.CharField(label="Lieu ou précision", max_length=LABEL_MAX_LENGTH, required=False)


class FollowUpForm(_Dated):
    constat = forms.ChoiceField(label="Constat du suivi", choices=FollowUpOutcome.choices)
    date = date_field("Date du suivi")


class ReturnForm(_Dated):
    moyen = forms.ChoiceField(label="Demande reçue par", choices=ContactChannel.choices)
    date = date_field("Date de la demande")
