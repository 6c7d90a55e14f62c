"""Forms of the register: an entry, an attachment, the review, the search (French labels, errors linked)."""

from __future__ import annotations

from django import forms

from spro.core import uploads
from spro.core.vocabularies.territoires import TerritoryLevel
from spro.directory import vocabularies as directory_vocabularies
from spro.practices.models import TEXT_MAX, TITLE_MAX
from spro.practices.vocabularies import Kind, RefusalReason, Theme


class AccessibleForm(forms.Form):
    """Hints and errors linked to their input (`aria-describedby`, `aria-invalid`), as on the other pro pages."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"{self[name].auto_id}-aide"

    def full_clean(self) -> None:
        super().full_clean()
        for name, field in self.fields.items():
            if name in self.errors:
                described = [f"{self[name].auto_id}-aide"] if field.help_text else []
                described.append(f"{self[name].auto_id}-erreur")
                field.widget.attrs["aria-invalid"] = "true"
                field.widget.attrs["aria-describedby"] = " ".join(described)


def network_choices(everything: str = "(aucun)") -> list[tuple[str, str]]:
    return [("", everything)] + sorted(directory_vocabularies.typologies().items(), key=lambda item: item[1])


class PracticeForm(AccessibleForm):
    title = forms.CharField(label="Titre", max_length=TITLE_MAX)
    kind = forms.ChoiceField(label="Nature", choices=Kind.choices, widget=forms.RadioSelect)
    theme = forms.ChoiceField(label="Thème", choices=Theme.choices)
    network = forms.ChoiceField(label="Réseau concerné", required=False, choices=())
    territory_level = forms.ChoiceField(label="Niveau de territoire", choices=TerritoryLevel.choices)
    territory_code = forms.CharField(
        label="Code du territoire",
        max_length=9,
        help_text="Code INSEE (commune, département, région), SIREN d’EPCI ou code de bassin.",
    )
    text = forms.CharField(
        label="Description",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Le contexte, ce qui a été fait ou ce qui bloque, le résultat. "
        "Aucune donnée permettant d’identifier une personne.",
    )
    structure = forms.ChoiceField(label="Au nom de la structure", required=False, choices=())
    file = forms.FileField(
        label="Pièce jointe (facultative)",
        required=False,
        help_text=f"{uploads.ALLOWED_LABEL}, {uploads.max_bytes() // (1024 * 1024)} Mo au plus.",
    )

    def __init__(self, *args, structures=(), with_structure: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["network"].choices = network_choices()  # type: ignore[attr-defined]  # a ChoiceField
        if with_structure and structures:
            self.fields["structure"].choices = [(str(s.pk), s.nom) for s in structures]  # type: ignore[attr-defined]  # a ChoiceField
            self.fields["structure"].required = True
        else:
            del self.fields["structure"]

    def clean_territory_code(self) -> str:
        return self.cleaned_data["territory_code"].strip().upper()

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            try:
                uploads.inspect(upload)
            except uploads.UploadError as error:
                raise forms.ValidationError(str(error)) from None
        return upload


class RefuseForm(AccessibleForm):
    reason = forms.ChoiceField(label="Motif du refus", choices=[("", "(choisir)"), *RefusalReason.choices])
    comment = forms.CharField(
        label="Commentaire pour les auteurs",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SearchForm(forms.Form):
    q = forms.CharField(label="Mots à chercher", required=False, max_length=200)
    theme = forms.ChoiceField(
        label="Thème", required=False, choices=[("", "Tous les thèmes"), *Theme.choices]
    )
    kind = forms.ChoiceField(
        label="Nature", required=False, choices=[("", "Bonnes pratiques et difficultés"), *Kind.choices]
    )
    network = forms.ChoiceField(label="Réseau", required=False, choices=())
    territoire = forms.CharField(label="Code du territoire", required=False, max_length=9)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["network"].choices = network_choices("Tous les réseaux")  # type: ignore[attr-defined]  # a ChoiceField
