"""The questionnaire and the adjustments as GET forms: the results address carries the answers (r1…r31) and the
adjustments (sans, niveau_max) only; a wrong value comes back as an error summary, never a 500."""

from __future__ import annotations

from typing import Any

from django import forms

from spro.explorer.questionnaire import Questionnaire, get_questionnaire
from spro.explorer.scoring import Adjustments

MIN_ANSWERS = 5
#: Highest entry level a person accepts, in words (European framework level → what a pupil reads).
NIVEAUX = [
    ("", "Pas de limite"),
    ("3", "CAP (2 ans après la 3e)"),
    ("4", "Bac (3 ans après la 3e)"),
    ("5", "Bac + 2"),
    ("6", "Bac + 3"),
    ("7", "Bac + 5"),
]
LEVEL_WORDS = {2: "sans diplôme", 3: "CAP", 4: "bac", 5: "bac + 2", 6: "bac + 3", 7: "bac + 5", 8: "bac + 8"}


class QuestionnaireForm(forms.Form):
    """One radio group per item (`r<id>`), none required; at least MIN_ANSWERS answered."""

    def __init__(self, *args: Any, questionnaire: Questionnaire | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_%s")
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire or get_questionnaire()
        choices = [(str(c.valeur), c.libelle) for c in self.questionnaire.echelle]
        for item in self.questionnaire.items:
            self.fields[item.param] = forms.ChoiceField(
                label=item.libelle,
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": "choisissez une des réponses proposées"},
            )

    def groups(self) -> list[tuple[str, str, list[forms.BoundField]]]:
        """(code, title, bound fields) per group of the questionnaire, in order."""
        return [
            (group.code, group.titre, [self[item.param] for item in group.items])
            for group in self.questionnaire.groupes
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        answered = sum(1 for item in self.questionnaire.items if data.get(item.param) not in (None, ""))
        if not self.errors and answered < MIN_ANSWERS:
            raise forms.ValidationError(
                f"Répondez à au moins {MIN_ANSWERS} questions (vous avez répondu à {answered}) : "
                "« Pas du tout » est aussi une réponse."
            )
        return data

    def answers(self) -> dict[int, int]:
        """{item id: value} of the answered items (call after is_valid)."""
        return {
            item.id: int(self.cleaned_data[item.param])
            for item in self.questionnaire.items
            if self.cleaned_data.get(item.param) not in (None, "")
        }


class AdjustmentsForm(forms.Form):
    sans = forms.MultipleChoiceField(
        label="Ne pas me montrer les métiers de ces domaines",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "ce domaine n’existe pas"},
    )
    niveau_max = forms.ChoiceField(
        label="Jusqu’à quel niveau d’études êtes-vous prêt ou prête à aller ?",
        choices=NIVEAUX,
        required=False,
        error_messages={"invalid_choice": "choisissez un des niveaux proposés"},
    )

    def __init__(self, *args: Any, domaines: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sans = self.fields["sans"]
        assert isinstance(sans, forms.MultipleChoiceField)
        sans.choices = domaines

    def adjustments(self) -> Adjustments:
        if not self.is_valid():
            return Adjustments()
        niveau = self.cleaned_data.get("niveau_max")
        return Adjustments(frozenset(self.cleaned_data.get("sans") or ()), int(niveau) if niveau else None)
