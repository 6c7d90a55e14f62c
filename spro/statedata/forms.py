"""The import form and the list's filters (labels and hints in French, errors linked to the fields)."""

from __future__ import annotations

from django import forms

from spro.core.vocabularies.territoires import TerritoryLevel
from spro.statedata.vocabularies import Indicator, Service

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Fichier CSV des données de l’État",
        help_text="CSV en UTF-8, séparateur « ; », avec la ligne d’en-tête décrite dans le format (5 Mo au plus).",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs.update(
            {"accept": ".csv,text/csv", "aria-describedby": "id_file-aide"}
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("Fichier trop lourd : 5 Mo au plus.")
        return upload

    def full_clean(self) -> None:
        super().full_clean()
        if "file" in self.errors:
            self.fields["file"].widget.attrs.update(
                {"aria-invalid": "true", "aria-describedby": "id_file-aide id_file-erreur"}
            )


def _choices(vocabulary, everything: str) -> list[tuple[str, str]]:
    return [("", everything), *vocabulary.choices]


class FilterForm(forms.Form):
    service = forms.ChoiceField(
        label="Service", required=False, choices=_choices(Service, "Tous les services")
    )
    periode = forms.CharField(
        label="Période", required=False, max_length=7, help_text="AAAA, AAAA-Tn ou AAAA-MM (ex. 2026-T1)"
    )
    territoire_niveau = forms.ChoiceField(
        label="Niveau de territoire", required=False, choices=_choices(TerritoryLevel, "Tous les niveaux")
    )
    territoire_code = forms.CharField(label="Code du territoire", required=False, max_length=9)
    indicateur = forms.ChoiceField(
        label="Indicateur", required=False, choices=_choices(Indicator, "Tous les indicateurs")
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["periode"].widget.attrs["aria-describedby"] = "id_periode-aide"
