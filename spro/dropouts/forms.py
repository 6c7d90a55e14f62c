"""Forms of the dropout chain's professional pages (validation only; the rules are in lists.py and chain.py)."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from spro.core.forms import PlainSelect
from spro.dropouts.models import LABEL_MAX_LENGTH
from spro.dropouts.reading import CAMPAIGN_CODE, parse_mapping
from spro.dropouts.vocabularies import (
    ContactChannel,
    ContactResult,
    FollowUpOutcome,
    Priority,
    ReturnOutcome,
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
    correspondance = forms.CharField(
        label="Correspondance des colonnes (facultatif)",
        required=False,
        max_length=2000,
        error_messages={"max_length": "La correspondance est trop longue (2 000 caractères au plus)."},
    )

    hints = {
        "fichier": "CSV en UTF-8, séparateur « ; », une ligne d’en-tête avec les colonnes du contrat.",
        "campagne": "Le mois de la liste du SIEI, par exemple 2026-11.",
        "correspondance": "Si les en-têtes du fichier ne sont pas ceux du contrat : colonne_du_fichier=colonne, "
        "séparées par des virgules, par exemple NOM_ELEVE=nom,INE_ELEVE=ine (comme l’option --correspondance "
        "de la commande).",
    }

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {"campagne": timezone.localdate().strftime("%Y-%m")})
        super().__init__(*args, **kwargs)
        self.fields["fichier"].widget.attrs["accept"] = ".csv,text/csv"

    def clean_correspondance(self) -> dict[str, str]:
        """The CLI's mapping format, read by the CLI's parser (`reading.parse_mapping`)."""
        try:
            return parse_mapping(self.cleaned_data["correspondance"])
        except ValueError as exc:
            message = str(exc)
            raise forms.ValidationError(message[:1].upper() + message[1:] + ".") from None

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
    precision = forms.CharField(
        label="Lieu ou précision",
        help_text="Un libellé court, par exemple « CFA du bâtiment, Quimper ».",
        max_length=LABEL_MAX_LENGTH,
        error_messages={
            "required": "Indiquez le lieu ou une précision, par exemple « CFA du bâtiment, Quimper »."
        },
    )


class FollowUpForm(_Dated):
    constat = forms.ChoiceField(label="Constat du suivi", choices=FollowUpOutcome.choices)
    date = date_field("Date du suivi")


class ReturnForm(_Dated):
    moyen = forms.ChoiceField(label="Demande reçue par", choices=ContactChannel.choices)
    date = date_field("Date de la demande")


#: The steps recorded on an open « droit au retour » request, in their order.
RETURN_STEPS = [
    ("entretien", "Entretien tenu"),
    ("offre", "Offre de formation faite"),
    ("cloture", "Demande close"),
]


class ReturnStepForm(_Dated):
    """The next step of a « droit au retour » request: its interview, its offer, its closing (chain.py checks the
    order and the dates)."""

    etape = forms.ChoiceField(label="Étape", choices=RETURN_STEPS)
    date = date_field("Date de l’étape")
    offre = forms.CharField(
        label="Formation offerte (pour une offre)",
        help_text="Quelques mots, par exemple « CAP Cuisine, lycée des métiers ». Pas de note personnelle.",
        max_length=LABEL_MAX_LENGTH,
        required=False,
    )
    issue = forms.ChoiceField(
        label="Issue (pour une clôture)", choices=[("", "—")] + list(ReturnOutcome.choices), required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("etape") == "offre" and not data.get("offre"):
            self.add_error("offre", "Indiquez la formation offerte.")
        if data.get("etape") == "cloture" and not data.get("issue"):
            self.add_error("issue", "Choisissez l’issue de la demande.")
        return data


class EndSolutionForm(_Dated):
    date = date_field("Fin de la solution")


class AccompanimentLinkForm(AccessibleForm):
    """Open an accompaniment and a pathway for the young person, with their consent (chain.link_accompaniment)."""

    accord = forms.BooleanField(label="Le jeune a donné son accord", required=False)
    projet = forms.CharField(
        label="Son projet en quelques mots",
        help_text="Le titre de son parcours, par exemple « Reprendre une formation en cuisine ».",
        max_length=LABEL_MAX_LENGTH,
    )

    def clean_accord(self) -> bool:
        if not self.cleaned_data.get("accord"):
            raise forms.ValidationError(
                "L’accord du jeune est nécessaire pour ouvrir un accompagnement et un parcours."
            )
        return True
