"""The satisfaction and follow-up forms: fixed choices only, no free text (docs/avis.md)."""

from __future__ import annotations

from django import forms

from spro.feedback.vocabularies import Outcome, Reason, Score


class SatisfactionForm(forms.Form):
    cle = forms.CharField(max_length=2000)
    note = forms.TypedChoiceField(
        choices=Score.choices, coerce=int, error_messages={"required": "Choisissez une note de 1 à 5."}
    )
    raisons = forms.MultipleChoiceField(choices=Reason.choices, required=False)


class OutcomeForm(forms.Form):
    situation = forms.ChoiceField(
        choices=Outcome.choices, error_messages={"required": "Choisissez la situation qui vous correspond."}
    )
