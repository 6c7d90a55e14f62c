"""Forms of the governance pages (validation only; the rules are in services.py and calendar.py)."""

from __future__ import annotations

from django import forms

from spro.core import uploads
from spro.core.text import clean_text
from spro.directory import vocabularies
from spro.directory.models import Structure
from spro.governance.models import (
    TITLE_MAX_LENGTH,
    Convention,
    ConventionKind,
    NetworkMember,
    SignatoryRole,
)

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


def _date(label: str, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=f"{label}, JJ/MM/AAAA",
        required=required,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"inputmode": "numeric"}, format="%d/%m/%Y"),
        error_messages={"invalid": "Saisissez une date qui existe, au format JJ/MM/AAAA."},
    )


class AccessibleForm(forms.Form):
    """Each field's hint (its help_text) and error are linked to its input (`aria-describedby`, `aria-invalid`), as
    on the other pro pages; templates pass `hint=field.help_text` to core/forms/_field.html."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"{self[name].auto_id}-aide"

    def full_clean(self) -> None:
        super().full_clean()
        for name, field in self.fields.items():
            if name in self.errors and not isinstance(field.widget, forms.HiddenInput):
                described = [f"{self[name].auto_id}-aide"] if field.help_text else []
                described.append(f"{self[name].auto_id}-erreur")
                field.widget.attrs["aria-invalid"] = "true"
                field.widget.attrs["aria-describedby"] = " ".join(described)


def _network_choices() -> list[tuple[str, str]]:
    return [("", "(aucun)")] + sorted(vocabularies.typologies().items(), key=lambda item: item[1])


class ConventionForm(AccessibleForm):
    kind = forms.ChoiceField(label="Type de convention", choices=ConventionKind.choices)
    parent = forms.ModelChoiceField(
        label="Convention cadre (pour une annexe ou une convention particulière)",
        queryset=Convention.objects.filter(kind=ConventionKind.CADRE),
        required=False,
        empty_label="(aucune : c’est une convention cadre)",
    )
    title = forms.CharField(label="Intitulé", max_length=TITLE_MAX_LENGTH)
    network = forms.ChoiceField(label="Réseau concerné", choices=(), required=False)
    structure = forms.CharField(
        label="Structure concernée (identifiant dans l’annuaire)",
        max_length=200,
        required=False,
        help_text="Pour une convention particulière avec une structure, par exemple : ml-rennes.",
    )
    signed_on = _date("Date de signature (vide tant qu’elle n’est pas signée)", required=False)
    effective_on = _date("Date d’effet", required=False)
    cprdfop_end = _date("Date de fin du CPRDFOP")
    party_1 = forms.CharField(label="Partie 1", max_length=TITLE_MAX_LENGTH, required=False, initial="Région")
    role_1 = forms.ChoiceField(
        label="Signataire de la partie 1 (fonction)",
        choices=SignatoryRole.choices,
        initial=SignatoryRole.PRESIDENT_REGION,
        required=False,
    )
    name_1 = forms.CharField(
        label="Nom du ou de la signataire de la partie 1 (facultatif)", max_length=120, required=False
    )
    party_2 = forms.CharField(label="Partie 2", max_length=TITLE_MAX_LENGTH, required=False, initial="État")
    role_2 = forms.ChoiceField(
        label="Signataire de la partie 2 (fonction)",
        choices=SignatoryRole.choices,
        initial=SignatoryRole.PREFET_REGION,
        required=False,
    )
    name_2 = forms.CharField(
        label="Nom du ou de la signataire de la partie 2 (facultatif)", max_length=120, required=False
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        network = self.fields["network"]
        assert isinstance(network, forms.ChoiceField)
        network.choices = _network_choices()

    def clean_title(self) -> str:
        return clean_text(self.cleaned_data["title"])

    def clean_structure(self) -> Structure | None:
        value = self.cleaned_data.get("structure", "").strip()
        if not value:
            return None
        structure = Structure.objects.filter(di_id=value).first()
        if structure is None:
            raise forms.ValidationError("Aucune structure de l’annuaire n’a cet identifiant.")
        return structure

    def clean(self) -> dict:
        data = super().clean() or {}
        for party, role in (("party_1", "role_1"), ("party_2", "role_2")):
            data[party] = clean_text(data.get(party, ""))
            name = party.replace("party", "name")
            data[name] = clean_text(data.get(name, ""))
            if data[party] and not data.get(role):
                self.add_error(role, "Indiquez la fonction du ou de la signataire.")
        return data


class AmendmentForm(AccessibleForm):
    number = forms.IntegerField(label="Numéro de l’avenant", min_value=1, max_value=999)
    signed_on = _date("Date de signature")
    subject = forms.CharField(label="Objet", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_subject(self) -> str:
        return clean_text(self.cleaned_data["subject"], multiline=True)


class UploadField(forms.FileField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault(
            "help_text", f"{uploads.ALLOWED_LABEL}, {uploads.max_bytes() // (1024 * 1024)} Mo au plus."
        )
        super().__init__(**kwargs)


class DocumentForm(AccessibleForm):
    title = forms.CharField(label="Titre du texte", max_length=TITLE_MAX_LENGTH, required=False)
    amendment = forms.ChoiceField(label="Texte d’un avenant ?", required=False, choices=())
    file = UploadField(label="Fichier")

    def __init__(self, *args, convention: Convention, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        amendment = self.fields["amendment"]
        assert isinstance(amendment, forms.ChoiceField)
        amendment.choices = [("", "(non : texte de la convention)")] + [
            (str(a.pk), f"Avenant n° {a.number}") for a in convention.amendments.all()
        ]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            uploads.inspect(upload)
        except uploads.UploadError as error:
            raise forms.ValidationError(str(error)) from None
        return upload


class NoticeForm(AccessibleForm):
    sent_on = _date("Date d’envoi de la dénonciation")
    sent_by = forms.CharField(label="Partie qui dénonce", max_length=TITLE_MAX_LENGTH)

    def clean_sent_by(self) -> str:
        return clean_text(self.cleaned_data["sent_by"])


class CharterForm(AccessibleForm):
    title = forms.CharField(
        label="Titre", max_length=TITLE_MAX_LENGTH, initial="Charte du réseau des acteurs du SPRO"
    )
    text = forms.CharField(
        label="Texte de la charte", max_length=20000, widget=forms.Textarea(attrs={"rows": 8})
    )
    file = UploadField(label="Document signé ou mis en page (facultatif)", required=False)

    def clean_text(self) -> str:
        return clean_text(self.cleaned_data["text"], multiline=True)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            try:
                uploads.inspect(upload)
            except uploads.UploadError as error:
                raise forms.ValidationError(str(error)) from None
        return upload


class MemberForm(AccessibleForm):
    structure = forms.CharField(
        label="Identifiant de la structure dans l’annuaire",
        max_length=200,
        help_text="Par exemple : ml-rennes.",
    )
    network = forms.ChoiceField(label="Réseau (tête de réseau)", choices=(), required=False)
    label = forms.CharField(label="Label", max_length=120, required=False)
    commitments = forms.CharField(
        label="Engagements", max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    started_on = _date("Membre depuis le")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        network = self.fields["network"]
        assert isinstance(network, forms.ChoiceField)
        network.choices = _network_choices()

    def clean_structure(self) -> Structure:
        value = self.cleaned_data["structure"].strip()
        structure = Structure.objects.filter(di_id=value, is_active=True).first()
        if structure is None:
            raise forms.ValidationError("Aucune structure active de l’annuaire n’a cet identifiant.")
        if NetworkMember.objects.filter(structure=structure).exists():
            raise forms.ValidationError("Cette structure est déjà membre du réseau.")
        return structure

    def clean_commitments(self) -> str:
        return clean_text(self.cleaned_data.get("commitments", ""), multiline=True)


class SignForm(AccessibleForm):
    confirm = forms.BooleanField(
        label="Je confirme signer la charte au nom de ma structure et m’engager à la respecter.",
        error_messages={"required": "Cochez la case pour confirmer la signature."},
    )


class ReseauFilterForm(forms.Form):
    """Filters of /reseau (GET); unknown values are ignored, never an error."""

    territoire = forms.ChoiceField(label="Département", required=False, choices=())
    reseau = forms.ChoiceField(label="Réseau", required=False, choices=())
