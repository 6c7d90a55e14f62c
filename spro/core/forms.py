"""Form fields that several public forms share (the question, the aids page…), so that a person meets the same limits
and the same French messages everywhere."""

from __future__ import annotations

from django import forms

#: The ages a public form, the API and the services accept: outside them, the value is a typing error.
MIN_AGE, MAX_AGE = 10, 100


def age_field(label: str) -> forms.IntegerField:
    """An optional age in years, typed in digits (numeric keyboard on a phone), with the limits above."""
    message = f"L’âge doit être compris entre {MIN_AGE} et {MAX_AGE} ans."
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=MIN_AGE,
        max_value=MAX_AGE,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "invalid": "Indiquez votre âge en chiffres, par exemple 17.",
            "min_value": message,
            "max_value": message,
        },
    )
