"""Forms of the plan editor, versions and approvals, and of the bodies' pages (French messages, no JavaScript)."""

from __future__ import annotations

import datetime as dt
from typing import cast

from django import forms
from django.db.models import Model
from django.utils import timezone

from spro.accounts.models import TerritorialRole
from spro.accounts.permissions import scopes_in_region
from spro.actionplan.models import (
    Action,
    ActionPlan,
    ActionStatus,
    Axis,
    Body,
    BodyKind,
    DocumentNature,
    FollowUpStatus,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    MemberRole,
    Objective,
    Pilot,
    Presence,
)
from spro.core import uploads
from spro.directory.models import Structure

YEAR_MIN, YEAR_MAX = 2000, 2100
NUMBER_MESSAGE = "Indiquez un nombre, par exemple 1250 ou 12,5."


class FrenchDecimalField(forms.DecimalField):
    """A decimal typed the French way: « 1 250,5 » (spaces of any kind between thousands, a comma or a point)."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)
        self.error_messages.update(
            {
                "invalid": NUMBER_MESSAGE,
                "max_digits": "Ce nombre est trop grand.",
                "max_whole_digits": "Ce nombre est trop grand.",
                "max_decimal_places": "Deux chiffres après la virgule au plus.",
            }
        )

    def to_python(self, value):
        if isinstance(value, str):
            value = "".join(value.split()).replace(",", ".")  # split() drops every kind of space
        return super().to_python(value)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("step", None)
        attrs.update({"inputmode": "decimal"})
        return attrs


def _french_decimal(label: str, required: bool = True) -> FrenchDecimalField:
    return FrenchDecimalField(label=label, required=required, widget=forms.TextInput)


def _year_field(label: str, required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        error_messages={
            "min_value": f"Indiquez une année entre {YEAR_MIN} et {YEAR_MAX}.",
            "max_value": f"Indiquez une année entre {YEAR_MIN} et {YEAR_MAX}.",
            "invalid": "Indiquez une année en chiffres, par exemple 2027.",
        },
    )


class PlanForm(forms.ModelForm):
    start_year = _year_field("Première année du CPRDFOP")
    end_year = _year_field("Dernière année du CPRDFOP")

    class Meta:
        model = ActionPlan
        fields = ["region", "title", "start_year", "end_year", "introduction"]

    def __init__(self, *args, regions=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        region = cast(forms.ModelChoiceField, self.fields["region"])
        if regions is not None:
            region.queryset = regions
        region.empty_label = None

    def clean(self):
        data = super().clean()
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", "La dernière année ne peut pas précéder la première.")
        return data


class PlanEditForm(PlanForm):
    class Meta(PlanForm.Meta):
        fields = ["title", "start_year", "end_year", "introduction"]


class _Numbered(forms.ModelForm):
    """A numbered item (axis, objective, action): its number is unique among its siblings."""

    parent_field = ""

    def __init__(self, *args, parent: Model | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.parent = parent
        self.fields["number"].error_messages["invalid"] = "Indiquez un numéro en chiffres."

    def clean_number(self):
        number = self.cleaned_data["number"]
        siblings = type(self.instance).objects.filter(**{self.parent_field: self.parent, "number": number})
        if self.instance.pk:
            siblings = siblings.exclude(pk=self.instance.pk)
        if siblings.exists():
            raise forms.ValidationError("Ce numéro est déjà utilisé à ce niveau : choisissez-en un autre.")
        return number


class AxisForm(_Numbered):
    parent_field = "plan"

    class Meta:
        model = Axis
        fields = ["number", "title", "description"]


class ObjectiveForm(_Numbered):
    parent_field = "axis"

    class Meta:
        model = Objective
        fields = ["number", "title", "description"]


class ActionForm(_Numbered):
    parent_field = "objective"

    class Meta:
        model = Action
        fields = ["number", "title", "description"]


class PilotForm(forms.ModelForm):
    structure = forms.CharField(
        label="Structure de l’annuaire (identifiant)",
        required=False,
        max_length=200,
        help_text="Seulement pour une structure : son identifiant data·inclusion, indiqué sur sa fiche.",
    )

    class Meta:
        model = Pilot
        fields = ["kind", "label", "structure", "lead"]
        help_texts = {
            "label": "Par exemple « Région Bretagne », « DREETS », « CFDT », « Réseau des Missions locales ». "
            "Pour une structure, son nom par défaut."
        }

    def __init__(self, *args, parent: Model | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["label"].required = False
        if self.instance.structure_id:
            self.initial["structure"] = self.instance.structure.di_id

    def clean_structure(self) -> Structure | None:
        ref = (self.cleaned_data.get("structure") or "").strip()
        if not ref:
            return None
        structure = Structure.objects.filter(di_id=ref).first()
        if structure is None:
            raise forms.ValidationError("Aucune structure de l’annuaire n’a cet identifiant.")
        return structure


class IndicatorForm(forms.ModelForm):
    baseline = _french_decimal("Valeur de référence", required=False)
    baseline_year = _year_field("Année de référence", required=False)

    class Meta:
        model = Indicator
        fields = ["label", "unit", "baseline", "baseline_year", "source", "indicateur"]

    def __init__(self, *args, parent: Model | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)


class TargetForm(forms.ModelForm):
    year = _year_field("Année")
    value = _french_decimal("Cible")

    class Meta:
        model = IndicatorTarget
        fields = ["year", "value"]

    def __init__(self, *args, parent: Model | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.parent = parent

    def clean_year(self):
        year = self.cleaned_data["year"]
        others = IndicatorTarget.objects.filter(indicator=self.parent, year=year).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError("Une cible existe déjà pour cette année : modifiez-la.")
        return year


class ValueForm(forms.ModelForm):
    value = _french_decimal("Valeur")

    class Meta:
        model = IndicatorValue
        fields = ["period", "period_end", "value"]
        widgets = {"period_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, parent: Model | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.parent = parent
        self.fields["period_end"].error_messages["invalid"] = "Indiquez une date, par exemple 31/12/2027."

    def clean_period(self):
        period = self.cleaned_data["period"].strip()
        others = IndicatorValue.objects.filter(indicator=self.parent, period=period).exclude(
            pk=self.instance.pk
        )
        if others.exists():
            raise forms.ValidationError("Une valeur existe déjà pour cette période : modifiez-la.")
        return period


class ProgressForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = ["status", "progress", "progress_comment"]

    def __init__(self, *args, parent: Model | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["progress"].error_messages.update(
            {
                "invalid": "Indiquez un pourcentage entre 0 et 100.",
                "min_value": "Indiquez un pourcentage entre 0 et 100.",
                "max_value": "Indiquez un pourcentage entre 0 et 100.",
            }
        )

    def clean(self):
        data = super().clean()
        if data.get("status") == ActionStatus.REALISEE and data.get("progress") not in (None, 100):
            self.add_error("progress", "Une action réalisée est avancée à 100 %.")
        return data


class VersionForm(forms.Form):
    note = forms.CharField(
        label="Note de version (facultative)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Ce qui change par rapport à la version précédente.",
    )


class ApprovalForm(forms.Form):
    party = forms.ChoiceField(label="Au nom de")
    comment = forms.CharField(
        label="Observation (facultative)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, parties=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.parties = {f"{p.kind}:{p.label}": p for p in parties}
        cast(forms.ChoiceField, self.fields["party"]).choices = [
            (key, p.label) for key, p in self.parties.items()
        ]
        self.fields["party"].error_messages["invalid_choice"] = "Choisissez une partie que vous représentez."

    def clean_party(self):
        return self.parties[self.cleaned_data["party"]]


# --- Bodies ----------------------------------------------------------------------------------------------------------
class BodyForm(forms.ModelForm):
    class Meta:
        model = Body
        fields = ["region", "kind", "name", "parent", "mission"]

    def __init__(self, *args, regions=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        region = cast(forms.ModelChoiceField, self.fields["region"])
        parent = cast(forms.ModelChoiceField, self.fields["parent"])
        if regions is not None:
            region.queryset = regions
            parent.queryset = Body.objects.filter(region__in=regions)
        region.empty_label = None
        parent.empty_label = "Aucune (instance principale)"
        self.fields["kind"].initial = BodyKind.COMMISSION

    def clean(self):
        data = super().clean()
        parent, region = data.get("parent"), data.get("region")
        if parent is not None and region is not None and parent.region_id != region.pk:
            self.add_error("parent", "Une commission est rattachée à une instance de la même région.")
        return data


class SessionForm(forms.Form):
    day = forms.DateField(
        label="Date",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "invalid": "Indiquez une date, par exemple 12/03/2027.",
            "required": "Indiquez la date.",
        },
    )
    time = forms.TimeField(
        label="Heure",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": "Indiquez une heure, par exemple 14:00.", "required": "Indiquez l’heure."},
    )
    place = forms.CharField(label="Lieu", max_length=200, required=False)
    agenda = forms.CharField(
        label="Ordre du jour",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Un point par ligne.",
        max_length=5000,
    )
    notes = forms.CharField(
        label="Informations", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )

    def when(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.cleaned_data["day"], self.cleaned_data["time"]))


class DocumentForm(forms.Form):
    nature = forms.ChoiceField(label="Nature du document", choices=DocumentNature.choices)
    title = forms.CharField(
        label="Titre", max_length=200, required=False, help_text="Par défaut, le nom du fichier."
    )
    file = forms.FileField(
        label="Fichier",
        help_text=f"{uploads.ALLOWED_LABEL}.",
        error_messages={"required": "Choisissez le fichier à déposer.", "empty": "Le fichier est vide."},
    )


class AttendanceForm(forms.Form):
    member = forms.ChoiceField(
        label="Membre ayant un compte (facultatif)",
        required=False,
        help_text="Un membre du CREFOP ou un partenaire social de la région ; sinon, saisissez l’organisation.",
    )
    member_role = forms.ChoiceField(label="Collège", choices=MemberRole.choices)
    organisation = forms.CharField(label="Organisation", max_length=200, required=False)
    name = forms.CharField(label="Nom (facultatif)", max_length=200, required=False)
    presence = forms.ChoiceField(
        label="Présence", choices=Presence.choices, widget=forms.RadioSelect, initial=Presence.PRESENT
    )

    def __init__(self, *args, region: str | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.scopes = {}
        if region is not None:
            roles = (TerritorialRole.MEMBRE_CREFOP.value, TerritorialRole.PARTENAIRE_SOCIAL.value)
            self.scopes = {str(scope.pk): scope for scope in scopes_in_region(region, *roles)}
        choices = [("", "Aucun compte")] + [
            (key, f"{s.user.get_full_name() or s.user.email} – {s.organisation or s.get_role_display()}")
            for key, s in self.scopes.items()
        ]
        cast(forms.ChoiceField, self.fields["member"]).choices = choices
        self.fields["member"].error_messages["invalid_choice"] = "Choisissez un membre de la liste."

    def clean(self):
        data = super().clean()
        scope = self.scopes.get(data.get("member") or "")
        data["user"] = scope.user if scope else None
        if scope is not None:
            data["organisation"] = (data.get("organisation") or "").strip() or scope.organisation
            data["name"] = (data.get("name") or "").strip() or scope.user.get_full_name()
        if not (data.get("organisation") or "").strip():
            self.add_error("organisation", "Indiquez l’organisation représentée.")
        return data


def _plan_action_choices(plan: ActionPlan | None) -> list[tuple[str, str]]:
    choices = [("", "Aucune action précise du plan")]
    if plan is not None:
        actions = Action.objects.filter(objective__axis__plan=plan).select_related("objective__axis")
        for action in sorted(actions, key=lambda a: (a.objective.axis.number, a.objective.number, a.number)):
            choices.append((str(action.pk), f"{action.code} – {action.title}"))
    return choices


class FollowUpFields(forms.Form):
    """The follow-up action of a decision: what, who, when, and which action of the plan."""

    follow_up_title = forms.CharField(label="Action de suivi", max_length=300)
    owner = forms.CharField(
        label="Responsable", max_length=200, help_text="Une organisation ou une personne."
    )
    due_date = forms.DateField(
        label="Échéance",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Indiquez une date, par exemple 30/06/2027."},
    )
    plan_action = forms.ChoiceField(label="Action du plan concernée", required=False)

    def __init__(self, *args, plan: ActionPlan | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        cast(forms.ChoiceField, self.fields["plan_action"]).choices = _plan_action_choices(plan)

    def chosen_action(self) -> Action | None:
        value = self.cleaned_data.get("plan_action")
        return Action.objects.filter(pk=value).first() if value else None


class DecisionForm(FollowUpFields):
    """A decision and, optionally, its first follow-up action (the three fields then required)."""

    text = forms.CharField(label="Décision", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    field_order = ["text", "follow_up_title", "owner", "due_date", "plan_action"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("follow_up_title", "owner", "due_date"):
            self.fields[name].required = False
        self.fields["follow_up_title"].help_text = "Facultatif : ce que la décision demande de faire."

    def clean(self):
        data = super().clean()
        if (data.get("follow_up_title") or "").strip():
            if not (data.get("owner") or "").strip():
                self.add_error("owner", "Indiquez qui est responsable de l’action de suivi.")
            if not data.get("due_date") and "due_date" not in self.errors:
                self.add_error("due_date", "Indiquez l’échéance de l’action de suivi.")
            if self.plan is None:
                self.add_error(
                    "follow_up_title", "Aucun plan d’action n’existe pour cette région : créez-le d’abord."
                )
        return data


class FollowUpForm(FollowUpFields):
    def clean(self):
        data = super().clean()
        if self.plan is None:
            raise forms.ValidationError("Aucun plan d’action n’existe pour cette région : créez-le d’abord.")
        return data


class FollowUpStatusForm(forms.Form):
    status = forms.ChoiceField(label="État", choices=FollowUpStatus.choices)
    comment = forms.CharField(label="Commentaire", required=False, max_length=2000)
