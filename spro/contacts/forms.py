"""The first-contact form: short, defaults filled in, every question a click (radio buttons, checkboxes)."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from spro.contacts.vocabularies import Reponse, TrancheAge
from spro.core.vocabularies.besoins import BESOIN_DESCRIPTIONS, Besoin
from spro.core.vocabularies.canaux import Canal
from spro.core.vocabularies.statuts import Statut
from spro.directory import vocabularies as directory_vocabularies
from spro.directory.models import Structure
from spro.referentials.geo.forms import CommuneField
from spro.referentials.geo.models import Commune


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class FirstContactForm(forms.Form):
    structure = forms.ModelChoiceField(label="Structure", queryset=Structure.objects.none(), empty_label=None)
    date = forms.DateField(label="Date du contact", widget=DateInput())
    channel = forms.ChoiceField(label="Canal", choices=Canal.choices, widget=forms.RadioSelect)
    age_band = forms.ChoiceField(label="Tranche d’âge", choices=TrancheAge.choices, widget=forms.RadioSelect)
    statut = forms.ChoiceField(label="Statut", choices=Statut.choices, widget=forms.RadioSelect)
    commune = CommuneField(
        label="Commune de résidence",
        required=False,
        insee_first=True,  # professionals may type an INSEE code
        help_text="Nom, code postal ou code INSEE. Laissé vide : le département de la structure est retenu.",
    )
    besoins = forms.MultipleChoiceField(
        label="Besoins exprimés",
        choices=Besoin.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Un ou plusieurs.",
    )
    answer_given = forms.ChoiceField(
        label="Réponse apportée",
        choices=Reponse.choices,
        widget=forms.RadioSelect,
        initial=Reponse.INFORMATION,
    )
    referred_to_typologie = forms.ChoiceField(label="Orienté vers un type de structure", required=False)
    referred_to_structure = forms.ModelChoiceField(
        label="Orienté vers une structure précise",
        required=False,
        queryset=Structure.objects.none(),
        empty_label="(aucune)",
    )

    def __init__(self, *args, structures=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = structures if structures is not None else Structure.objects.none()
        typologies = sorted(directory_vocabularies.typologies().items(), key=lambda item: item[1].casefold())
        self.fields["referred_to_typologie"].choices = [("", "(aucun)")] + typologies
        if not self.is_bound:
            self.initial.setdefault("date", timezone.localdate())
        self.commune_found: Commune | None = None

    def set_referral_choices(self, structure: Structure | None) -> None:
        """Structures one may refer to: active ones of the same département as the recording structure."""
        candidates = Structure.objects.active()
        if structure is not None and structure.commune_id:
            candidates = candidates.filter(commune__departement_id=structure.commune.departement_id)
        self.fields["referred_to_structure"].queryset = candidates.exclude(pk=getattr(structure, "pk", None))

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError("La date ne peut pas être dans le futur.")
        return day

    def clean_commune(self) -> str:
        """The one commune resolver (spro.referentials.geo): name, postal code, INSEE code; choices if ambiguous."""
        resolution = self.cleaned_data.get("commune")
        if resolution is None:
            return ""
        self.commune_found = resolution.model()
        return resolution.commune.label if resolution.commune else ""

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("answer_given") == Reponse.ORIENTATION and not (
            cleaned.get("referred_to_typologie") or cleaned.get("referred_to_structure")
        ):
            self.add_error(
                "referred_to_typologie",
                "Pour une orientation, indiquez le type de structure ou la structure vers laquelle la personne "
                "est orientée.",
            )
        return cleaned

    def contact_fields(self) -> dict:
        """The model fields of the entry, territory resolved (commune, or else the structure's département)."""
        data = self.cleaned_data
        structure = data["structure"]
        referred = data.get("referred_to_structure")
        commune = self.commune_found
        departement_id = commune.departement_id if commune else None
        if departement_id is None and structure.commune_id:
            departement_id = structure.commune.departement_id
        return {
            "date": data["date"],
            "channel": data["channel"],
            "age_band": data["age_band"],
            "statut": data["statut"],
            "commune": commune,
            "departement_id": departement_id,
            "besoins": [code for code in Besoin.values if code in data["besoins"]],
            "answer_given": data["answer_given"],
            "referred_to_typologie": data.get("referred_to_typologie")
            or (referred.typologie if referred else ""),
            "referred_to_structure": referred,
        }


BESOIN_CHOICE_DESCRIPTIONS = list(BESOIN_DESCRIPTIONS.items())
